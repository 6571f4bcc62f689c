//! The `export.json` manifest the collectors in `contrib/export/` write beside each export:
//! which collector wrote it, for which family, when, and from where. Close to the file; the
//! time stays text here and is read in `mod.rs`.

use std::collections::BTreeMap;

use serde::Deserialize;

/// One `export.json`.
#[derive(Debug, Clone, Deserialize)]
pub struct ManifestFile {
    /// The collector (`contrib/export/aws.sh`).
    pub tool: String,
    /// The collector's version, as it names it.
    #[serde(default)]
    pub script_version: Option<ScalarText>,
    /// The family the export belongs to (`aws`, `gcp`, …).
    pub family: String,
    /// When the export started (RFC 3339, UTC).
    pub exported_at: String,
    /// Where it was taken from: `account`, `project`, `tenant`, `context`, `org`, and what else
    /// the collector names (a profile, a region).
    #[serde(default)]
    pub source: BTreeMap<String, ScalarText>,
    /// Reads the collector could not make (listed in its `export-errors.log`).
    #[serde(default)]
    pub failed_reads: Option<u64>,
}

/// A JSON string, number or boolean, kept as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ScalarText(pub String);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Scalar {
            Text(String),
            Number(serde_json::Number),
            Flag(bool),
        }
        Ok(ScalarText(match Scalar::deserialize(deserializer)? {
            Scalar::Text(text) => text,
            Scalar::Number(number) => number.to_string(),
            Scalar::Flag(flag) => flag.to_string(),
        }))
    }
}
