//! `deprov inventory`: what was parsed, per identity (accounts, credentials, grants, last use),
//! plus the files read and skipped. No judgement.

use std::io::{self, Write};

use serde::Serialize;

use super::escape::visible;
use super::style::Style;
use crate::inventory::{
    CredentialRecord, Expiry, GrantRecord, IdentityRecord, Inventory, LastUse, ProvisionRecord,
};
use crate::result::Skipped;
use crate::sources::SourceSummary;
use crate::time::format_rfc3339;

#[derive(Debug, Serialize)]
pub struct InventoryReport<'a> {
    pub schema_version: u32,
    /// Why the reading is incomplete (inputs that should have been read and were not).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<String>,
    pub identities: Vec<IdentityView<'a>>,
    /// What infrastructure code provisions for no identity the inventory knows (no register
    /// alias and no export names its holder).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provisioned_for_unknown: Vec<&'a ProvisionRecord>,
    pub sources: &'a [SourceSummary],
    pub skipped: &'a [Skipped],
}

#[derive(Debug, Serialize)]
pub struct IdentityView<'a> {
    pub id: &'a str,
    pub registered: bool,
    pub kind: &'static str,
    pub lifecycle: &'static str,
    pub state: &'static str,
    pub owner: Option<&'a str>,
    pub retired_at: Option<String>,
    /// A retirement the register schedules after the evaluation time.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retires_at: Option<String>,
    pub aliases: Vec<&'a str>,
    pub accounts: Vec<&'a IdentityRecord>,
    pub credentials: Vec<&'a CredentialRecord>,
    pub grants: Vec<&'a GrantRecord>,
    /// What infrastructure code provisions for it (Terraform state and plan resources).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provisioned: Vec<&'a ProvisionRecord>,
    pub last_used: Option<String>,
}

impl<'a> InventoryReport<'a> {
    pub fn new(
        inventory: &'a Inventory,
        sources: &'a [SourceSummary],
        skipped: &'a [Skipped],
    ) -> Self {
        let records = &inventory.records;
        let mut identities: Vec<IdentityView> = inventory
            .identities
            .iter()
            .map(|identity| IdentityView {
                id: &identity.id,
                registered: identity.registered,
                kind: identity.kind.as_str(),
                lifecycle: identity.lifecycle.as_str(),
                state: identity.state.as_str(),
                owner: identity.owner.as_deref(),
                retired_at: identity.retired_at.map(format_rfc3339),
                retires_at: identity.retires_at.map(format_rfc3339),
                aliases: identity.aliases.iter().map(String::as_str).collect(),
                accounts: identity
                    .accounts
                    .iter()
                    .map(|&a| &records.identities[a])
                    .collect(),
                credentials: Vec::new(),
                grants: Vec::new(),
                provisioned: Vec::new(),
                last_used: None,
            })
            .collect();
        for (c, credential) in records.credentials.iter().enumerate() {
            identities[inventory.credential_holder[c]]
                .credentials
                .push(credential);
        }
        for (g, grant) in records.grants.iter().enumerate() {
            identities[inventory.grant_holder[g]].grants.push(grant);
        }
        let mut provisioned_for_unknown = Vec::new();
        for (p, provision) in records.provisions.iter().enumerate() {
            match inventory.provision_identity[p] {
                Some(i) => identities[i].provisioned.push(provision),
                None => provisioned_for_unknown.push(provision),
            }
        }
        provisioned_for_unknown.sort_by(|a, b| {
            (&a.system, &a.address, &a.holder).cmp(&(&b.system, &b.address, &b.holder))
        });
        for (u, usage) in records.usages.iter().enumerate() {
            let view = &mut identities[inventory.usage_identity[u]];
            let at = format_rfc3339(usage.at);
            if view.last_used.as_ref().is_none_or(|prev| *prev < at) {
                view.last_used = Some(at);
            }
        }
        for view in &mut identities {
            view.credentials
                .sort_by(|a, b| (&a.system, &a.id).cmp(&(&b.system, &b.id)));
            view.grants
                .sort_by(|a, b| (&a.system, &a.privilege).cmp(&(&b.system, &b.privilege)));
            view.provisioned.sort_by(|a, b| {
                (&a.system, &a.address, &a.holder).cmp(&(&b.system, &b.address, &b.holder))
            });
        }
        identities.sort_by(|a, b| a.id.cmp(b.id));
        InventoryReport {
            schema_version: 1,
            incomplete: crate::result::incompleteness(sources, skipped),
            identities,
            provisioned_for_unknown,
            sources,
            skipped,
        }
    }

    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        super::write_json_document(out, self)
    }

    pub fn write_text(&self, out: &mut dyn Write, color: bool) -> io::Result<()> {
        let style = Style { enabled: color };
        writeln!(
            out,
            "{} identities, {} credentials, {} grants from {} file(s); {} skipped",
            self.identities.len(),
            self.identities
                .iter()
                .map(|i| i.credentials.len())
                .sum::<usize>(),
            self.identities
                .iter()
                .map(|i| i.grants.len())
                .sum::<usize>(),
            self.sources.len(),
            self.skipped.len()
        )?;
        if !self.incomplete.is_empty() {
            writeln!(
                out,
                "INCOMPLETE ({} problem(s): inputs that should have been read and were not):",
                self.incomplete.len()
            )?;
            for reason in &self.incomplete {
                writeln!(out, "  - {}", visible(reason))?;
            }
        }
        for identity in &self.identities {
            writeln!(out)?;
            writeln!(
                out,
                "{}  [{}{}, {}, {}]{}",
                style.bold(&visible(identity.id)),
                identity.lifecycle,
                identity
                    .retired_at
                    .as_deref()
                    .map(|r| format!(" {}", &r[..10]))
                    .or_else(|| identity
                        .retires_at
                        .as_deref()
                        .map(|r| format!(", retiring {}", &r[..10])))
                    .unwrap_or_default(),
                identity.kind,
                if identity.registered {
                    "registered"
                } else {
                    "not registered"
                },
                identity
                    .owner
                    .map(|o| format!("  owner {}", visible(o)))
                    .unwrap_or_default()
            )?;
            for account in &identity.accounts {
                writeln!(
                    out,
                    "  account     {} {} ({})",
                    visible(&account.system.to_string()),
                    visible(&account.native_id),
                    account.state.as_str()
                )?;
            }
            for c in &identity.credentials {
                writeln!(
                    out,
                    "  credential  {} {} {} {}, last used {}, expires {}",
                    visible(&c.system.to_string()),
                    c.kind.as_str(),
                    visible(&c.id),
                    c.status.as_str(),
                    match c.last_used {
                        LastUse::At(at) => format_rfc3339(at),
                        LastUse::Never => "never".into(),
                        LastUse::Unknown => "unknown".into(),
                    },
                    match c.expires {
                        Expiry::At(at) => format_rfc3339(at),
                        Expiry::Never => "never".into(),
                        Expiry::NotApplicable => "n/a".into(),
                    }
                )?;
            }
            for g in &identity.grants {
                writeln!(
                    out,
                    "  grant       {} {}{}",
                    visible(&g.system.to_string()),
                    visible(&g.privilege),
                    if g.dangling { " (dangling)" } else { "" }
                )?;
            }
            for p in &identity.provisioned {
                writeln!(
                    out,
                    "  provisioned {} {} ({}: {})",
                    visible(&p.system.to_string()),
                    visible(&p.address),
                    p.change.as_str(),
                    visible(&p.what)
                )?;
            }
            if let Some(last) = &identity.last_used {
                writeln!(out, "  last use    {last}")?;
            }
        }
        if !self.provisioned_for_unknown.is_empty() {
            writeln!(out)?;
            writeln!(
                out,
                "{}",
                style.bold("Provisioned by code for no identity in the inventory")
            )?;
            for p in &self.provisioned_for_unknown {
                writeln!(
                    out,
                    "  {} {} ({}: {}) for {}",
                    visible(&p.system.to_string()),
                    visible(&p.address),
                    p.change.as_str(),
                    visible(&p.what),
                    visible(&p.holder)
                )?;
            }
        }
        if !self.skipped.is_empty() {
            writeln!(out)?;
            writeln!(out, "{}", style.bold("Skipped"))?;
            for s in self.skipped {
                writeln!(out, "  {}: {}", visible(&s.path), visible(&s.reason))?;
            }
        }
        Ok(())
    }
}
