//! The deprovisioning checklist of one identity across every system in the inventory: each
//! alias, account, credential, grant, certificate, repository exposure and recorded use, marked
//! removed or still present, with its evidence. What an offboarding ticket runs before it is
//! closed: done only when nothing remains.

use jiff::Timestamp;
use serde::Serialize;

use crate::engine::entities::effective_status;
use crate::inventory::alias::normalize;
use crate::inventory::{
    AccountState, Evidence, ExposureKind, IdentityIdx, Inventory, Lifecycle, RecordRef,
};
use crate::time::format_rfc3339;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemKind {
    Alias,
    Account,
    Credential,
    Certificate,
    Grant,
    Secret,
    Reference,
    /// A resource infrastructure code provisions (a Terraform state or plan).
    Provisioned,
    LastUse,
}

impl ItemKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ItemKind::Alias => "alias",
            ItemKind::Account => "account",
            ItemKind::Credential => "credential",
            ItemKind::Certificate => "certificate",
            ItemKind::Grant => "grant",
            ItemKind::Secret => "secret",
            ItemKind::Reference => "reference",
            ItemKind::Provisioned => "provisioned",
            ItemKind::LastUse => "last_use",
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemState {
    /// Still there: offboarding is not complete.
    StillPresent,
    /// Not found in any scanned export.
    Removed,
    /// Information only (a recorded use): does not block.
    Info,
}

#[derive(Debug, Clone, Serialize)]
pub struct ChecklistItem {
    pub kind: ItemKind,
    pub state: ItemState,
    pub system: Option<String>,
    pub id: String,
    pub detail: String,
    pub evidence: Option<Evidence>,
    /// The inventory record the item is (none for aliases): what a runbook removes.
    #[serde(skip)]
    pub record: Option<RecordRef>,
}

#[derive(Debug, Clone, Serialize)]
pub struct Checklist {
    pub schema_version: u32,
    pub evaluated_at: String,
    pub identity: String,
    pub registered: bool,
    pub lifecycle: &'static str,
    pub retired_at: Option<String>,
    /// A retirement the register schedules after the evaluation time: the identity is active
    /// until then.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub retires_at: Option<String>,
    pub owner: Option<String>,
    /// Nothing remains anywhere the scan could see, and the scan read every input it should
    /// have.
    pub complete: bool,
    /// Why the scan is incomplete (inputs that should have been read and were not): then the
    /// checklist cannot be complete, whatever it lists.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub incomplete: Vec<String>,
    pub remaining: usize,
    pub items: Vec<ChecklistItem>,
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("no identity `{query}` in the register or in the scanned exports")]
#[diagnostic(
    code(deprov::verify::unknown_identity),
    help(
        "give the register ID or one of its aliases (ARN, email, appId, system:serviceaccount:…)"
    )
)]
pub struct UnknownIdentity {
    pub query: String,
}

/// Finds an identity by register ID or by any alias or native ID.
pub fn find(inventory: &Inventory, query: &str) -> Option<IdentityIdx> {
    inventory
        .identities
        .iter()
        .position(|i| i.registered && i.id == query)
        .or_else(|| inventory.alias_index.get(&normalize(query)).copied())
        .or_else(|| inventory.identities.iter().position(|i| i.id == query))
}

pub fn checklist(
    inventory: &Inventory,
    query: &str,
    now: Timestamp,
) -> Result<Checklist, UnknownIdentity> {
    let idx = find(inventory, query).ok_or_else(|| UnknownIdentity {
        query: query.to_string(),
    })?;
    let identity = &inventory.identities[idx];
    let records = &inventory.records;
    let mut items = Vec::new();

    // Aliases the register lists that no export shows any more are done.
    let seen: std::collections::BTreeSet<String> = identity
        .accounts
        .iter()
        .flat_map(|&a| {
            let account = &records.identities[a];
            std::iter::once(normalize(&account.native_id))
                .chain(account.aliases.iter().map(|x| normalize(x)))
        })
        .chain(
            records
                .credentials
                .iter()
                .enumerate()
                .filter(|(c, _)| inventory.credential_holder[*c] == idx)
                .flat_map(|(_, c)| [normalize(&c.holder), normalize(&c.id)]),
        )
        .chain(
            records
                .grants
                .iter()
                .enumerate()
                .filter(|(g, _)| inventory.grant_holder[*g] == idx)
                .map(|(_, g)| normalize(&g.holder)),
        )
        .collect();
    if identity.registered {
        for alias in &identity.aliases {
            let present = seen.contains(&normalize(alias));
            items.push(ChecklistItem {
                kind: ItemKind::Alias,
                state: if present {
                    ItemState::StillPresent
                } else {
                    ItemState::Removed
                },
                system: None,
                id: alias.clone(),
                detail: if present {
                    "a scanned export still knows this identifier".into()
                } else {
                    "no scanned export knows this identifier".into()
                },
                evidence: None,
                record: None,
            });
        }
    }
    for &a in &identity.accounts {
        let account = &records.identities[a];
        let present = account.state != AccountState::Deleted;
        items.push(ChecklistItem {
            kind: ItemKind::Account,
            state: if present {
                ItemState::StillPresent
            } else {
                ItemState::Removed
            },
            system: Some(account.system.to_string()),
            id: account.native_id.clone(),
            detail: format!("account {}", account.state.as_str()),
            evidence: Some(account.evidence.clone()),
            record: Some(RecordRef::Account(a)),
        });
    }
    for (c, credential) in records.credentials.iter().enumerate() {
        if inventory.credential_holder[c] != idx {
            continue;
        }
        let status = effective_status(credential.status, credential.expires, now);
        items.push(ChecklistItem {
            kind: if credential.kind == crate::inventory::CredentialKind::Certificate {
                ItemKind::Certificate
            } else {
                ItemKind::Credential
            },
            // A deactivated or expired credential still exists and can come back: only deletion
            // completes offboarding.
            state: ItemState::StillPresent,
            system: Some(credential.system.to_string()),
            id: credential.id.clone(),
            detail: format!(
                "{} {}{}",
                credential.kind.as_str().replace('_', " "),
                status.as_str(),
                if credential.trusted {
                    ", pinned in a trust bundle"
                } else {
                    ""
                }
            ),
            evidence: Some(credential.evidence.clone()),
            record: Some(RecordRef::Credential(c)),
        });
    }
    for (g, grant) in records.grants.iter().enumerate() {
        if inventory.grant_holder[g] != idx {
            continue;
        }
        items.push(ChecklistItem {
            kind: ItemKind::Grant,
            state: ItemState::StillPresent,
            system: Some(grant.system.to_string()),
            id: grant.privilege.clone(),
            detail: if grant.dangling {
                "bound to a principal that no longer exists".into()
            } else {
                "still granted".into()
            },
            evidence: Some(grant.evidence.clone()),
            record: Some(RecordRef::Grant(g)),
        });
    }
    for (e, exposure) in inventory.exposures.iter().enumerate() {
        if inventory.exposure_identity[e] != Some(idx) {
            continue;
        }
        items.push(ChecklistItem {
            kind: match exposure.kind {
                ExposureKind::Secret => ItemKind::Secret,
                ExposureKind::Reference => ItemKind::Reference,
            },
            state: ItemState::StillPresent,
            system: Some(exposure.system.to_string()),
            id: format!("{} {}", exposure.detector, exposure.disclosure.label()),
            detail: if exposure.in_working_tree {
                "in the working tree".into()
            } else {
                "in history only".into()
            },
            evidence: Some(exposure.evidence.clone()),
            record: Some(RecordRef::Exposure(e)),
        });
    }
    for (p, provision) in records.provisions.iter().enumerate() {
        if inventory.provision_identity[p] != Some(idx) {
            continue;
        }
        // The next apply recreates what the code still declares, whatever was removed by hand.
        let survives = provision.change.survives_apply();
        items.push(ChecklistItem {
            kind: ItemKind::Provisioned,
            state: if survives {
                ItemState::StillPresent
            } else {
                ItemState::Removed
            },
            system: Some(provision.system.to_string()),
            id: provision.address.clone(),
            detail: format!(
                "{}: the next apply {} it",
                provision.what,
                provision.change.verb()
            ),
            evidence: Some(provision.evidence.clone()),
            record: Some(RecordRef::Provision(p)),
        });
    }
    let mut last_uses: std::collections::BTreeMap<String, (Timestamp, &Evidence, usize)> =
        std::collections::BTreeMap::new();
    for (u, usage) in records.usages.iter().enumerate() {
        if inventory.usage_identity[u] != idx {
            continue;
        }
        let entry =
            last_uses
                .entry(usage.system.to_string())
                .or_insert((usage.at, &usage.evidence, u));
        if usage.at > entry.0 {
            *entry = (usage.at, &usage.evidence, u);
        }
    }
    for (system, (at, evidence, u)) in last_uses {
        let after = identity.retired_at.is_some_and(|r| at > r);
        items.push(ChecklistItem {
            kind: ItemKind::LastUse,
            state: ItemState::Info,
            system: Some(system),
            id: format_rfc3339(at),
            detail: if after {
                "used after the retirement date".into()
            } else {
                "last recorded use".into()
            },
            evidence: Some(evidence.clone()),
            record: Some(RecordRef::Usage(u)),
        });
    }
    items.sort_by(|a, b| {
        (a.state, a.kind, &a.system, &a.id).cmp(&(b.state, b.kind, &b.system, &b.id))
    });
    let remaining = items
        .iter()
        .filter(|i| i.state == ItemState::StillPresent)
        .count();
    Ok(Checklist {
        schema_version: 1,
        evaluated_at: format_rfc3339(now),
        identity: identity.id.clone(),
        registered: identity.registered,
        lifecycle: identity.lifecycle.as_str(),
        retired_at: identity.retired_at.map(format_rfc3339),
        retires_at: identity.retires_at.map(format_rfc3339),
        owner: identity.owner.clone(),
        complete: remaining == 0,
        incomplete: Vec::new(),
        remaining,
        items,
    })
}

impl Checklist {
    /// Whether the register marks the identity retired (verifying an active one is allowed, but
    /// reported).
    pub fn retired(&self) -> bool {
        self.lifecycle == Lifecycle::Retired.as_str()
    }

    /// Records that the scan behind the checklist is incomplete: nothing can be certified gone
    /// from an input that was not read.
    pub fn mark_incomplete(&mut self, reasons: Vec<String>) {
        if !reasons.is_empty() {
            self.complete = false;
        }
        self.incomplete = reasons;
    }
}
