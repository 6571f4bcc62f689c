//! What Vault stores on behalf of identities → records: KV v2 secrets attributed through their
//! custom metadata, and PKI certificates read from their PEM.

use jiff::Timestamp;

use super::model::KvMetadata;
use super::normalize::{file_stem, time_field, VaultJoin};
use super::path::{ApiPath, ExportPath};
use super::PkiEntry;
use crate::discover::FileInput;
use crate::inventory::{CredentialKind, CredentialRecord, CredentialStatus, Evidence, Expiry};
use crate::sources::certs::certificate_records;
use crate::time::{format_rfc3339, TimeField};

/// `custom_metadata` keys that name the identity a KV secret belongs to, most specific first.
pub(super) const KV_IDENTITY_KEYS: [&str; 4] =
    ["deprov_identity", "identity", "owner_identity", "service"];

/// The identity a KV secret names in its custom metadata, with the key that named it.
pub(super) fn kv_identity(metadata: &KvMetadata) -> Option<(&str, &str)> {
    metadata.custom_metadata.get_any_ci(&KV_IDENTITY_KEYS)
}

/// A PKI serial as a comparable key: hex digits only, lowercase, without leading zeros.
pub(super) fn serial_key(serial: &str) -> String {
    let hex: String = serial
        .chars()
        .filter(char::is_ascii_hexdigit)
        .map(|c| c.to_ascii_lowercase())
        .collect();
    hex.trim_start_matches('0').to_string()
}

impl VaultJoin {
    /// Returns false when the secret names no identity (counted by the caller).
    pub(super) fn add_kv(
        &mut self,
        input: &FileInput,
        place: &ExportPath,
        metadata: &KvMetadata,
    ) -> bool {
        let Some((key, holder)) = kv_identity(metadata) else {
            return false;
        };
        let id = match &place.api {
            Some(ApiPath::KvMetadata { mount, path }) => format!("{mount}/{path}"),
            _ => {
                let id = file_stem(&input.rel).to_string();
                self.warn(
                    input,
                    format!("KV metadata outside MOUNT/metadata/PATH: the secret is named after the file, {id}"),
                );
                id
            }
        };
        let mut warnings = Vec::new();
        let created = time_field(
            metadata.created_time.as_deref(),
            &format!("{id} created_time"),
            &mut warnings,
        )
        .at();
        let current = metadata
            .versions
            .get(&metadata.current_version.to_string())
            .and_then(|v| v.created_time.as_deref());
        let rotated = match current {
            Some(text) => time_field(
                Some(text),
                &format!("{id} version created_time"),
                &mut warnings,
            )
            .at(),
            None => None,
        }
        .or_else(|| {
            time_field(
                metadata.updated_time.as_deref(),
                &format!("{id} updated_time"),
                &mut warnings,
            )
            .at()
        });
        let mut live = 0usize;
        let mut deletions: Vec<Timestamp> = Vec::new();
        for (number, version) in &metadata.versions {
            if version.destroyed {
                continue;
            }
            match time_field(
                version.deletion_time.as_deref(),
                &format!("{id} version {number} deletion_time"),
                &mut warnings,
            ) {
                TimeField::At(at) => deletions.push(at),
                _ => live += 1,
            }
        }
        self.warn_all(input, warnings);
        let (status, expires) = if metadata.versions.is_empty() {
            (CredentialStatus::Active, Expiry::NotApplicable)
        } else if live == 0 && deletions.is_empty() {
            (CredentialStatus::Revoked, Expiry::NotApplicable)
        } else if live == 0 {
            // Soft-deleted (or scheduled for deletion): the data can be undeleted until it is
            // destroyed, so it counts as present until the last deletion time, then expired.
            let last = deletions.iter().max().copied();
            (
                CredentialStatus::Active,
                last.map_or(Expiry::NotApplicable, Expiry::At),
            )
        } else {
            (CredentialStatus::Active, Expiry::NotApplicable)
        };
        self.push_credential(CredentialRecord::new(self.system.clone(), id.clone(), CredentialKind::StoredSecret, holder.to_string(), status, Evidence::new(
                &input.rel,
                format!(
                    "KV v2 secret {id} of {holder} (custom_metadata {key}): current version {}, {} version(s) readable",
                    metadata.current_version, live
                ),
            )
            .locate_by(holder)).created(created).last_rotated(rotated).expires(expires));
        true
    }

    /// A PKI certificate with a readable PEM: the subject's identity and the certificate.
    pub(super) fn add_certificate(
        &mut self,
        input: &FileInput,
        place: &ExportPath,
        entry: &PkiEntry,
    ) {
        let Some(facts) = &entry.facts else {
            return;
        };
        let mount = match &place.api {
            Some(ApiPath::PkiCert { mount, .. }) => mount.as_str(),
            _ => "pki",
        };
        let evidence = Evidence::new(
            &input.rel,
            format!(
                "certificate {} of PKI mount {mount}, serial {}, {} , issuer {}{}",
                facts.subject,
                facts.serial,
                facts.key,
                entry.issuer_id.as_deref().unwrap_or(&facts.issuer),
                entry.revoked_at.map_or_else(String::new, |at| format!(
                    ", revoked at {}",
                    format_rfc3339(at)
                ))
            ),
        )
        .locate_by("\"certificate\"");
        // Named as the certificate stores name it, so that the same certificate in a store and
        // in Vault is one identity.
        let (identity, credential) = certificate_records(
            facts,
            &self.system,
            evidence,
            false,
            entry.revoked_at.is_some(),
            Some(mount),
        );
        self.push_identity(identity);
        self.push_credential(credential);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serials_compare_in_any_spelling() {
        assert_eq!(serial_key("17:67:16:b0"), serial_key("1767-16B0"));
        assert_eq!(serial_key("00:0a"), "a");
    }
}
