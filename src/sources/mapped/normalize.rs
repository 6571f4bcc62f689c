//! Mapped rows → inventory records. Each row is an account of its identity (`SYSTEM:ID`,
//! aliased by the alias columns), the credential it holds, and its grants; an identity or
//! credential seen in several rows or files is one record, its observations weighed by
//! `sources::reconcile` like every other family's.

use std::collections::BTreeMap;

use super::model::{MappedFile, Row};
use super::spec::{CredentialSpec, Mapping};
use crate::discover::FileInput;
use crate::inventory::{
    AccountState, CredentialKind, CredentialRecord, CredentialStatus, Evidence, Expiry,
    GrantRecord, IdentityKind, IdentityRecord, LastUse, Records,
};
use crate::sources::{reconcile, Assembly};
use crate::time::TimeField;

/// The identity ID of a record: `SYSTEM:ID`, so that the same name in two systems is two
/// identities (and the form a register alias can name).
pub fn identity_id(mapping: &Mapping, id: &str) -> String {
    format!("{}:{id}", mapping.system.name)
}

/// Whether `value` is one of `listed`, ignoring case and surrounding space.
fn listed(value: &str, listed: &[String]) -> bool {
    let value = value.trim();
    listed.iter().any(|l| l.trim().eq_ignore_ascii_case(value))
}

#[derive(Default)]
struct Join {
    identities: BTreeMap<String, IdentityRecord>,
    /// The aliases each identity holds so far: rows of one identity with a different alias each
    /// are joined in linear time (a search of its alias list per row would be quadratic).
    aliases: std::collections::HashMap<String, std::collections::HashSet<String>>,
    credentials: BTreeMap<(String, String), CredentialRecord>,
    grants: BTreeMap<(String, String, String), GrantRecord>,
}

/// Joins every mapped file of the scan into records.
pub fn assemble(files: Vec<(FileInput, MappedFile)>, common: &mut Assembly) -> Records {
    let mut join = Join::default();
    for (input, file) in &files {
        common.reading(input);
        for row in &file.rows {
            join.row(&file.mapping, input, row, common);
        }
    }
    Records {
        identities: join.identities.into_values().collect(),
        credentials: join.credentials.into_values().collect(),
        grants: join.grants.into_values().collect(),
        usages: Vec::new(),
        provisions: Vec::new(),
    }
}

impl Join {
    fn row(&mut self, mapping: &Mapping, input: &FileInput, row: &Row, common: &mut Assembly) {
        let spec = &mapping.spec;
        let at = row
            .line
            .map_or_else(String::new, |line| format!("line {line}: "));
        let Some(id) = row.identity_id.as_deref() else {
            common.warn(format!(
                "{at}no identity ID (`{}` is empty); the record is not read",
                spec.identity.id
            ));
            return;
        };
        let native = identity_id(mapping, id);
        let kind = IdentityKind::from(spec.identity.kind);
        let state = match (&spec.identity.status, row.status.as_deref()) {
            (None, _) => AccountState::Enabled,
            (Some(_), None) => AccountState::Unknown,
            (Some(_), Some(status)) if listed(status, &spec.identity.disabled_when) => {
                AccountState::Disabled
            }
            (Some(_), Some(_)) => AccountState::Enabled,
        };
        let evidence = |detail: String| {
            Evidence::new(&input.rel, detail)
                .at(row.line)
                .locate_by(id.to_string())
        };
        let known = self.aliases.entry(native.clone()).or_default();
        let aliases: Vec<String> = row
            .aliases
            .iter()
            .filter(|alias| **alias != native && known.insert((*alias).clone()))
            .cloned()
            .collect();
        let account = IdentityRecord::new(
            mapping.system.clone(),
            native.clone(),
            kind,
            state,
            evidence(format!("{} {id} in {}", kind.as_str(), mapping.system)),
        )
        .aliases(aliases)
        .display_name(Some(row.name.clone().unwrap_or_else(|| id.to_string())))
        .owner(row.owner.clone());
        match self.identities.get_mut(&native) {
            Some(kept) => {
                if kept.owner.is_none() {
                    kept.owner = account.owner.clone();
                }
                // New aliases only (see `aliases`): `reconcile` searches the list for each.
                let mut account = account;
                kept.aliases.append(&mut account.aliases);
                reconcile::account_into(kept, account, common.warnings_mut());
            }
            None => {
                self.identities.insert(native.clone(), account);
            }
        }
        if let (Some(credential), Some(credential_id)) =
            (&spec.credential, row.credential_id.as_deref())
        {
            let record = credential_record(
                mapping,
                credential,
                row,
                (&native, credential_id),
                &at,
                common,
            );
            let record = CredentialRecord {
                evidence: evidence(format!(
                    "{} {credential_id} of {id} in {}",
                    CredentialKind::from(credential.kind).as_str(),
                    mapping.system
                )),
                ..record
            };
            let key = (mapping.system.name.to_string(), credential_id.to_string());
            match self.credentials.get_mut(&key) {
                Some(kept) => reconcile::credential_into(kept, record, common.warnings_mut()),
                None => {
                    self.credentials.insert(key, record);
                }
            }
        }
        for privilege in &row.grants {
            self.grants
                .entry((
                    mapping.system.name.to_string(),
                    native.clone(),
                    privilege.clone(),
                ))
                .or_insert_with(|| {
                    GrantRecord::new(
                        mapping.system.clone(),
                        native.clone(),
                        privilege.clone(),
                        evidence(format!("{id} holds {privilege} in {}", mapping.system)),
                    )
                    .holder_kind(kind)
                });
        }
    }
}

/// The credential of a row, held by `holder`; its evidence is set by the caller.
fn credential_record(
    mapping: &Mapping,
    credential: &CredentialSpec,
    row: &Row,
    (holder, credential_id): (&str, &str),
    at: &str,
    common: &mut Assembly,
) -> CredentialRecord {
    let kind = CredentialKind::from(credential.kind);
    let what = |field: &str| format!("{at}credential {credential_id} {field}");
    let status = if credential.active_when.is_empty() {
        CredentialStatus::Active
    } else {
        let status = match credential.status {
            Some(_) => row.credential_status.as_deref(),
            None => row.status.as_deref(),
        };
        match status {
            Some(status) if listed(status, &credential.active_when) => CredentialStatus::Active,
            Some(_) => CredentialStatus::Inactive,
            None => {
                common.warn(format!("{}: empty; taken as active", what("status")));
                CredentialStatus::Active
            }
        }
    };
    let created = row
        .created
        .as_deref()
        .and_then(|text| common.parse_time(text, &what("created")))
        .and_then(TimeField::at);
    // A mapped column that is empty says "never used" and "never expires": the system
    // tracks both. An unmapped one says nothing.
    let last_used = match (&credential.last_used, row.last_used.as_deref()) {
        (None, _) => LastUse::Unknown,
        (Some(_), None) => LastUse::Never,
        (Some(_), Some(text)) if text.trim().eq_ignore_ascii_case("never") => LastUse::Never,
        (Some(_), Some(text)) => match common.parse_time(text, &what("last used")) {
            Some(TimeField::At(at)) => LastUse::At(at),
            Some(TimeField::Absent | TimeField::Never) => LastUse::Never,
            None => LastUse::Unknown,
        },
    };
    let expires = match (&credential.expires, row.expires.as_deref()) {
        (None, _) => Expiry::NotApplicable,
        (Some(_), None) => Expiry::Never,
        (Some(_), Some(text)) if text.trim().eq_ignore_ascii_case("never") => Expiry::Never,
        (Some(_), Some(text)) => match common.parse_time(text, &what("expires")) {
            Some(TimeField::At(at)) => Expiry::At(at),
            Some(TimeField::Absent | TimeField::Never) => Expiry::Never,
            None => Expiry::NotApplicable,
        },
    };
    // A certificate is judged by its lifetime, not by rotation; any other secret's age is
    // its rotation age unless the export says when it was last replaced.
    let rotated = match row.rotated.as_deref() {
        Some(text) => common
            .parse_time(text, &what("rotated"))
            .and_then(TimeField::at),
        None if kind == CredentialKind::Certificate => None,
        None => created,
    };
    CredentialRecord::new(
        mapping.system.clone(),
        credential_id,
        kind,
        holder,
        status,
        Evidence::new(common.current(), ""),
    )
    .created(created)
    .last_used(last_used)
    .expires(expires)
    .last_rotated(rotated)
}
