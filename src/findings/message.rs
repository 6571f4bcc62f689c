//! A finding's message: the values its rule's template may name (`catalog::Placeholder`),
//! taken from the subject, its identity and its owner, and the template rendered with them.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::UNATTRIBUTED;
use crate::catalog::Placeholder;
use crate::engine::entities::effective_status;
use crate::engine::Subject;
use crate::inventory::{
    CredentialStatus, Evidence, Expiry, Inventory, LastUse, OwnerStatus, RetiredBy, SystemRef,
};
use crate::sources::exposure::secrets::{short_digest, Disclosure};
use crate::time::{days_between, format_rfc3339};

/// Values a message template can name, by name.
pub(super) struct Facts {
    values: BTreeMap<&'static str, String>,
}

impl Facts {
    fn set(&mut self, name: Placeholder, value: String) {
        self.values.insert(name.name(), value);
    }

    /// A placeholder without a value (a credential whose last use is unknown has no
    /// `{last_used}`) reads "unknown".
    pub(super) fn render(&self, template: &str) -> String {
        crate::template::render(
            template,
            |name| self.values.get(name).map(String::as_str),
            "unknown",
        )
    }

    /// The values of a finding about `subject` in `system`, whose identity is `identity` (none
    /// for a secret nobody in the inventory accounts for).
    pub(super) fn of(
        inventory: &Inventory,
        subject: Subject,
        identity: Option<usize>,
        system: &SystemRef,
        now: Timestamp,
    ) -> Facts {
        let mut facts = Facts {
            values: BTreeMap::new(),
        };
        facts.set(Placeholder::System, system.to_string());
        match subject {
            Subject::Credential(c) => facts.credential(inventory, c, now),
            Subject::Grant(g) => facts.set(
                Placeholder::Privilege,
                inventory.records.grants[g].privilege.clone(),
            ),
            Subject::Usage(u) => {
                facts.set(Placeholder::UsedAt, date(inventory.records.usages[u].at))
            }
            Subject::Identity(_) => {}
            Subject::Exposure(e) => facts.exposure(inventory, e, now),
            Subject::Provision(p) => facts.provision(inventory, p),
        }
        match identity {
            Some(identity) => facts.identity(inventory, identity),
            None => facts.set(Placeholder::Identity, UNATTRIBUTED.to_string()),
        }
        facts
    }

    fn credential(&mut self, inventory: &Inventory, c: usize, now: Timestamp) {
        let cred = &inventory.records.credentials[c];
        self.set(Placeholder::Credential, cred.id.clone());
        self.set(
            Placeholder::CredentialKind,
            cred.kind.as_str().replace('_', " "),
        );
        if let Some(created) = cred.created {
            self.set(Placeholder::Created, date(created));
            self.set(Placeholder::AgeDays, days_between(created, now).to_string());
        }
        match cred.last_used {
            LastUse::At(at) => {
                self.set(Placeholder::LastUsed, date(at));
                self.set(Placeholder::UsedAt, date(at));
                self.set(Placeholder::UnusedDays, days_between(at, now).to_string());
            }
            LastUse::Never => self.set(Placeholder::LastUsed, "never".into()),
            LastUse::Unknown => {}
        }
        if let Some(rotated) = cred.last_rotated {
            self.set(Placeholder::LastRotated, date(rotated));
            self.set(
                Placeholder::RotatedDays,
                days_between(rotated, now).to_string(),
            );
        }
        let lifetime = match (cred.expires, cred.created) {
            (Expiry::Never, _) => "never expires".to_string(),
            (Expiry::At(at), Some(created)) => {
                format!(
                    "is valid for {} days, until {}",
                    days_between(created, at),
                    date(at)
                )
            }
            (Expiry::At(at), None) => format!("expires on {}", date(at)),
            (Expiry::NotApplicable, _) => "has no expiry in its system".to_string(),
        };
        self.set(Placeholder::Lifetime, lifetime);
        let mut state = Vec::new();
        let status = effective_status(cred.status, cred.expires, now);
        if status == CredentialStatus::Active {
            state.push(match cred.expires {
                Expiry::At(at) => format!("is valid until {}", date(at)),
                _ => "is valid".to_string(),
            });
        } else {
            state.push(format!("is {}", status.as_str()));
        }
        if cred.trusted {
            state.push("is pinned in a trust bundle".to_string());
        }
        self.set(Placeholder::CertificateState, state.join(" and "));
        if let Expiry::At(at) = cred.expires {
            self.set(Placeholder::Expires, date(at));
        }
    }

    fn exposure(&mut self, inventory: &Inventory, e: usize, now: Timestamp) {
        let exposure = &inventory.exposures[e];
        self.set(Placeholder::Detector, exposure.description.clone());
        // `{secret}` says what the report may show of the value; `{preview}` and
        // `{secret_hash}` (the catalog's older names) never show a withheld value's.
        let (preview, secret_hash, secret) = match &exposure.disclosure {
            Disclosure::Preview(preview) => {
                let hash = short_digest(&exposure.secret_sha256).to_string();
                let secret = format!("secret {preview}, sha256 {hash}");
                (preview.clone(), hash, secret)
            }
            Disclosure::Withheld(withheld) => {
                let mut secret = format!("secret withheld: {}", withheld.reason.phrase());
                if let Some(keyed) = &withheld.hmac_sha256 {
                    secret.push_str(", hmac-sha256 ");
                    secret.push_str(short_digest(keyed));
                }
                ("(withheld)".to_string(), "(withheld)".to_string(), secret)
            }
        };
        self.set(Placeholder::Preview, preview);
        self.set(Placeholder::SecretHash, secret_hash);
        self.set(Placeholder::Secret, secret);
        let location = location(&exposure.evidence);
        self.set(
            Placeholder::Location,
            match (&exposure.first_commit, exposure.in_working_tree) {
                (Some(commit), false) => format!(
                    "{location} (history only, commit {})",
                    &commit[..commit.len().min(12)]
                ),
                (Some(commit), true) => format!(
                    "{location} (commit {} and the working tree)",
                    &commit[..commit.len().min(12)]
                ),
                (None, _) => location,
            },
        );
        let credential =
            inventory.exposure_credential[e].map(|c| &inventory.records.credentials[c]);
        self.set(
            Placeholder::CredentialState,
            match credential {
                Some(cred) => format!(
                    "{} {} is {}",
                    cred.kind.as_str().replace('_', " "),
                    cred.id,
                    effective_status(cred.status, cred.expires, now).as_str()
                ),
                None => "credential state unknown".to_string(),
            },
        );
    }

    fn provision(&mut self, inventory: &Inventory, p: usize) {
        let provision = &inventory.records.provisions[p];
        self.set(Placeholder::Address, provision.address.clone());
        self.set(Placeholder::Change, provision.change.verb().to_string());
        self.set(Placeholder::Provisioned, provision.what.clone());
        self.set(Placeholder::Location, location(&provision.evidence));
        if let Some(id) = &provision.credential {
            self.set(Placeholder::Credential, id.clone());
        }
    }

    fn identity(&mut self, inventory: &Inventory, identity_idx: usize) {
        let identity = &inventory.identities[identity_idx];
        self.set(Placeholder::Identity, identity.id.clone());
        if let Some(retired_at) = identity.retired_at {
            self.set(Placeholder::RetiredAt, date(retired_at));
        } else if identity.retired_by.is_some() {
            self.set(
                Placeholder::RetiredAt,
                match identity.retired_by {
                    Some(RetiredBy::HomeSystem) => "its account was disabled or deleted".into(),
                    _ => "an unrecorded date".into(),
                },
            );
        }
        self.set(
            Placeholder::Owner,
            identity.owner.clone().unwrap_or_else(|| "(none)".into()),
        );
        let owner_problem = match (&identity.owner, inventory.owner_of(identity)) {
            (Some(name), Some(owner)) => match owner.status {
                OwnerStatus::Departed => match owner.departed_at {
                    Some(at) => format!("its owner {name} departed on {}", date(at)),
                    None => format!("its owner {name} has departed"),
                },
                OwnerStatus::Unknown => {
                    format!("its owner {name} is listed neither under people nor under teams in the register")
                }
                OwnerStatus::Active => format!("its owner {name} is active"),
            },
            _ => "no owner is named for it".into(),
        };
        self.set(Placeholder::OwnerProblem, owner_problem);
    }
}

/// `path:line`, or the path when the line is unknown.
fn location(evidence: &Evidence) -> String {
    match evidence.line {
        Some(line) => format!("{}:{line}", evidence.path),
        None => evidence.path.to_string(),
    }
}

/// A day as messages show it (`2026-03-01`).
fn date(ts: Timestamp) -> String {
    format_rfc3339(ts)[..10].to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn templates_fill_known_values_and_mark_unknown_ones() {
        let facts = Facts {
            values: BTreeMap::from([("identity", "ci".to_string())]),
        };
        assert_eq!(
            facts.render("{identity} used {credential}"),
            "ci used unknown"
        );
        assert_eq!(
            facts.render("unterminated {identity"),
            "unterminated {identity"
        );
    }
}
