//! nhi-scan inventories, read natively: the JSON inventory format the open-source `nhi-scan`
//! tool (github.com/rpmsft9/nhi-scan, MIT) documents in its README ("The inventory format") and
//! its collectors write: a list of non-human identity records, or an object with an
//! `identities` list.
//!
//! Format decisions:
//! - Recognised by the keys of the first record: `id` and `name` with at least one of the
//!   tool's posture fields (`privilege`, `secret_storage`, `last_rotated_days`,
//!   `last_used_days`, `owner_active`, `exposure`, `autonomous`, `third_party`, `human_used`,
//!   `shared_across_env`); the `identities` object is also recognised by the template's
//!   `_allowed_values`. YAML inventories are not read: a YAML list has no keys to recognise by
//!   content, and a YAML `identities:` mapping is a register's shape (map one with
//!   `inventories:` instead, or write it as JSON).
//! - The records come from many systems and do not say which: the family is one system,
//!   `nhi-scan:inventory`. Each record is the identity `nhi-scan:ID`, aliased by its bare `id`
//!   (often a native ID: an access key ID, an appId, a service-account email), owned by `owner`;
//!   `ai_agent` is an agent, `workload_identity` and `managed_identity` workloads, any other type
//!   a service. A record is listed, so its account is enabled.
//! - Its credential, when it authenticates with a stored secret (`static_secret` — the tool's
//!   default —, `api_key`, `certificate`), is `ID#TYPE`; `federated`, `managed`,
//!   `short_lived_token` and `none` hold none. It is active (listed) and has no known expiry.
//! - `last_used_days` and `last_rotated_days` count days back from when the inventory was
//!   written, which the file does not record: they are counted back from the evaluation time
//!   (`--now`), with a warning on the file. An inventory written at the scan (the tool's
//!   collect-then-scan workflow) reads exactly; an older one reads as more recent than it is,
//!   so an age finding (STL001, STL003) is never overstated. `null` is unknown.
//! - `scopes` are the grants.

mod model;
mod normalize;

pub use normalize::{assemble, SYSTEM};

use serde_json::Value;

use super::SourceError;
use crate::discover::probe::{Content, Probe};
use model::NhiRecord;

crate::sources::formats! {
    pub enum Format {
        Inventory => "inventory",
    }
}

/// Fields only nhi-scan records carry (beside `id` and `name`).
const POSTURE_KEYS: [&str; 10] = [
    "privilege",
    "secret_storage",
    "last_rotated_days",
    "last_used_days",
    "owner_active",
    "exposure",
    "autonomous",
    "third_party",
    "human_used",
    "shared_across_env",
];

/// Whether the keys of a record are an nhi-scan record's.
pub fn is_record(keys: &std::collections::BTreeSet<String>) -> bool {
    keys.contains("id") && keys.contains("name") && POSTURE_KEYS.iter().any(|k| keys.contains(*k))
}

pub fn detect(probe: &Probe) -> Option<Format> {
    let Content::Json(shape) = &probe.content else {
        return None;
    };
    if shape.documents != 1 {
        return None;
    }
    if shape.is_array {
        return is_record(&shape.keys).then_some(Format::Inventory);
    }
    let records = shape.nested.get("identities")?;
    (is_record(records) || shape.has("_allowed_values")).then_some(Format::Inventory)
}

/// One parsed inventory.
#[derive(Debug, Clone)]
pub struct NhiScanFile {
    pub records: Vec<NhiRecord>,
    /// The time ages are counted back from (the evaluation time), when known.
    pub counted_from: Option<jiff::Timestamp>,
    pub warnings: Vec<String>,
}

impl super::FamilyFile for NhiScanFile {
    fn record_count(&self) -> usize {
        self.records.len()
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }
}

pub fn parse(probe: &Probe, now: Option<jiff::Timestamp>) -> Result<NhiScanFile, SourceError> {
    let bytes = super::whole(probe)?;
    let name = Format::Inventory.name();
    let document: Value = serde_json::from_slice(bytes)
        .map_err(|e| SourceError::json(probe.input, bytes, name, &e))?;
    let items = match document {
        Value::Array(items) => items,
        Value::Object(mut map) => match map.remove("identities") {
            Some(Value::Array(items)) => items,
            _ => {
                return Err(SourceError::content(
                    probe.input,
                    bytes,
                    None,
                    "an nhi-scan inventory object holds its records under `identities`".into(),
                    "here",
                ))
            }
        },
        _ => {
            return Err(SourceError::content(
                probe.input,
                bytes,
                None,
                "an nhi-scan inventory is a list of records".into(),
                "here",
            ))
        }
    };
    let mut warnings = Vec::new();
    let mut records = Vec::with_capacity(items.len());
    let mut unreadable = 0usize;
    for (index, item) in items.into_iter().enumerate() {
        match serde_json::from_value::<NhiRecord>(item) {
            Ok(record) => records.push(record),
            Err(e) => {
                unreadable += 1;
                if unreadable <= 5 {
                    warnings.push(format!("record {}: {e}; not read", index + 1));
                }
            }
        }
    }
    if unreadable > 5 {
        warnings.push(format!("{} more records not read", unreadable - 5));
    }
    if now.is_some() {
        warnings.push("ages (`last_used_days`, `last_rotated_days`) are counted back from the evaluation time: an nhi-scan inventory does not say when it was written".into());
    } else {
        warnings.push("ages (`last_used_days`, `last_rotated_days`) are not read: no evaluation time to count them back from".into());
    }
    Ok(NhiScanFile {
        records,
        counted_from: now,
        warnings,
    })
}

/// The nhi-scan family.
pub struct NhiScan;

impl super::Family for NhiScan {
    type Format = Format;
    type File = NhiScanFile;

    fn source(&self) -> crate::inventory::SourceFamily {
        crate::inventory::SourceFamily::NhiScan
    }

    fn recognise(&self, probe: &Probe) -> Option<Format> {
        detect(probe)
    }

    fn parse(
        &self,
        probe: &Probe,
        _format: Format,
        context: &super::ParseContext,
    ) -> Result<NhiScanFile, SourceError> {
        parse(probe, context.now)
    }

    fn assemble(
        &self,
        files: Vec<(crate::discover::FileInput, NhiScanFile)>,
        assembly: &mut super::Assembly,
    ) -> Result<super::Contribution, super::family::AssembleError> {
        Ok(assemble(files, assembly).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::FileInput;
    use crate::inventory::{CredentialKind, IdentityKind, LastUse};
    use crate::sources::Assembly;

    fn probe_of<R>(path: &std::path::Path, check: impl FnOnce(&Probe) -> R) -> R {
        let input = FileInput {
            path: path.to_path_buf(),
            rel: path.file_name().unwrap().to_string_lossy().into_owned(),
            size: std::fs::metadata(path).unwrap().len(),
        };
        check(&Probe::read(&input, 1 << 20).unwrap())
    }

    fn sample(name: &str) -> std::path::PathBuf {
        std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("testdata/samples/nhi-scan")
            .join(name)
    }

    #[test]
    fn recognises_the_documented_forms_and_not_lookalikes() {
        assert_eq!(
            probe_of(&sample("sample-inventory.json"), detect),
            Some(Format::Inventory)
        );
        assert_eq!(
            probe_of(&sample("template-inventory.json"), detect),
            Some(Format::Inventory)
        );
        let dir = tempfile::tempdir().unwrap();
        for (text, expected) in [
            (
                r#"{"identities":[{"id":"a","name":"b","privilege":"admin"}]}"#,
                Some(Format::Inventory),
            ),
            (r#"[{"id":"a","name":"b"}]"#, None),
            (r#"[{"id":1,"name":"x","type":"t"}]"#, None),
            (r#"{"identities":[{"id":"svc","status":"active"}]}"#, None),
        ] {
            let path = dir.path().join("x.json");
            std::fs::write(&path, text).unwrap();
            assert_eq!(probe_of(&path, detect), expected, "{text}");
        }
    }

    #[test]
    fn the_sample_becomes_identities_credentials_and_grants() {
        let now: jiff::Timestamp = "2026-11-25T00:00:00Z".parse().unwrap();
        let path = sample("sample-inventory.json");
        let file = probe_of(&path, |p| parse(p, Some(now))).unwrap();
        assert_eq!(file.records.len(), 8);
        let input = FileInput {
            path: path.clone(),
            rel: "sample-inventory.json".into(),
            size: 0,
        };
        let (records, _) = Assembly::alone(assemble, vec![(input, file)]);
        assert_eq!(records.identities.len(), 8);
        let agent = records
            .identities
            .iter()
            .find(|i| i.native_id == "nhi-scan:agent-collections")
            .unwrap();
        assert_eq!(agent.kind, IdentityKind::Agent);
        assert_eq!(agent.aliases, vec!["agent-collections"]);
        assert_eq!(agent.owner.as_deref(), Some("cx-automation@bank.example"));
        // Federated and short-lived credentials hold no stored secret.
        assert_eq!(records.credentials.len(), 6);
        let key = records
            .credentials
            .iter()
            .find(|c| c.id == "key-legacy-etl#api_key")
            .unwrap();
        assert_eq!(key.kind, CredentialKind::ApiKey);
        assert_eq!(
            key.last_used,
            LastUse::At("2026-04-19T00:00:00Z".parse().unwrap())
        );
        assert_eq!(key.last_rotated, None, "null is unknown");
        let payments = records
            .credentials
            .iter()
            .find(|c| c.id == "svc-payments-prod#static_secret")
            .unwrap();
        assert_eq!(payments.kind, CredentialKind::Password);
        assert_eq!(
            payments.last_rotated,
            Some("2025-10-11T00:00:00Z".parse().unwrap())
        );
        assert_eq!(records.grants.len(), 13);
    }
}
