//! nhi-scan records → inventory records: one identity per record (`nhi-scan:ID`, aliased by
//! `ID`), its stored credential when it has one, its scopes as grants. Records of the same ID in
//! several files are one identity, weighed by `sources::reconcile`.

use std::collections::BTreeMap;

use jiff::{SignedDuration, Timestamp};

use super::model::{days_of, scopes_of, text_of, NhiRecord};
use super::NhiScanFile;
use crate::discover::FileInput;
use crate::inventory::{
    AccountState, CredentialKind, CredentialRecord, CredentialStatus, Evidence, GrantRecord,
    IdentityKind, IdentityRecord, LastUse, Records, SourceFamily, SystemRef,
};
use crate::sources::{reconcile, Assembly};

/// The records name no system: the family is this one.
pub const SYSTEM: &str = "inventory";

fn system() -> SystemRef {
    SystemRef::new(SourceFamily::NhiScan, SYSTEM)
}

fn kind_of(record: &NhiRecord) -> IdentityKind {
    match record.kind.as_deref().map(str::trim) {
        Some("ai_agent") => IdentityKind::Agent,
        Some("workload_identity" | "managed_identity") => IdentityKind::Workload,
        _ => IdentityKind::Service,
    }
}

/// The stored credential a record authenticates with, by the tool's word (its default is
/// `static_secret`); `None` for federated, managed, short-lived and no credential.
fn credential_of(record: &NhiRecord) -> Option<(CredentialKind, &str)> {
    match record.credential.as_deref().map(str::trim) {
        None | Some("static_secret") => Some((CredentialKind::Password, "static_secret")),
        Some("api_key") => Some((CredentialKind::ApiKey, "api_key")),
        Some("certificate") => Some((CredentialKind::Certificate, "certificate")),
        Some("federated" | "managed" | "short_lived_token" | "none") => None,
        // The tool reads an unknown word as its default.
        Some(_) => Some((CredentialKind::Password, "static_secret")),
    }
}

/// `days` before `from`.
fn days_before(from: Timestamp, days: u32) -> Option<Timestamp> {
    from.checked_sub(SignedDuration::from_hours(i64::from(days) * 24))
        .ok()
}

/// Joins every nhi-scan file of the scan into records.
pub fn assemble(files: Vec<(FileInput, NhiScanFile)>, common: &mut Assembly) -> Records {
    let mut identities: BTreeMap<String, IdentityRecord> = BTreeMap::new();
    let mut credentials: BTreeMap<String, CredentialRecord> = BTreeMap::new();
    let mut grants: BTreeMap<(String, String), GrantRecord> = BTreeMap::new();
    for (input, file) in &files {
        common.reading(input);
        for (index, record) in file.records.iter().enumerate() {
            let Some(id) = text_of(record.id.as_ref()).or_else(|| text_of(record.name.as_ref()))
            else {
                common.warn(format!(
                    "record {}: neither `id` nor `name`; not read",
                    index + 1
                ));
                continue;
            };
            let native = format!("nhi-scan:{id}");
            let kind = kind_of(record);
            let evidence =
                |detail: String| Evidence::new(&input.rel, detail).locate_by(format!("\"{id}\""));
            let name = text_of(record.name.as_ref()).unwrap_or_else(|| id.clone());
            let account = IdentityRecord::new(
                system(),
                native.clone(),
                kind,
                AccountState::Enabled,
                evidence(format!(
                    "{} {id} ({})",
                    record.kind.as_deref().unwrap_or("service_account"),
                    name
                )),
            )
            .aliases(vec![id.clone()])
            .display_name(Some(name))
            .owner(record.owner.clone().filter(|o| !o.trim().is_empty()));
            match identities.get_mut(&native) {
                Some(kept) => reconcile::account_into(kept, account, common.warnings_mut()),
                None => {
                    identities.insert(native.clone(), account);
                }
            }
            let mut days = |value, field: &str| match days_of(value) {
                Ok(days) => days,
                Err(problem) => {
                    common.warn(format!(
                        "record {id}: {field}: {problem}; treated as unknown"
                    ));
                    None
                }
            };
            let used = days(record.last_used_days.as_ref(), "last_used_days");
            let rotated = days(record.last_rotated_days.as_ref(), "last_rotated_days");
            if let Some((credential_kind, word)) = credential_of(record) {
                let at = |days: Option<u32>| {
                    file.counted_from
                        .zip(days)
                        .and_then(|(from, days)| days_before(from, days))
                };
                let credential_id = format!("{id}#{word}");
                let credential = CredentialRecord::new(
                    system(),
                    credential_id.clone(),
                    credential_kind,
                    native.clone(),
                    CredentialStatus::Active,
                    evidence(format!("{word} of {id}")),
                )
                .last_used(at(used).map_or(LastUse::Unknown, LastUse::At))
                .last_rotated(if credential_kind == CredentialKind::Certificate {
                    None
                } else {
                    at(rotated)
                });
                match credentials.get_mut(&credential_id) {
                    Some(kept) => {
                        reconcile::credential_into(kept, credential, common.warnings_mut())
                    }
                    None => {
                        credentials.insert(credential_id, credential);
                    }
                }
            }
            for scope in scopes_of(record.scopes.as_ref()) {
                grants
                    .entry((native.clone(), scope.clone()))
                    .or_insert_with(|| {
                        GrantRecord::new(
                            system(),
                            native.clone(),
                            scope.clone(),
                            evidence(format!("{id} holds {scope}")),
                        )
                        .holder_kind(kind)
                    });
            }
        }
    }
    Records {
        identities: identities.into_values().collect(),
        credentials: credentials.into_values().collect(),
        grants: grants.into_values().collect(),
        usages: Vec::new(),
        provisions: Vec::new(),
    }
}
