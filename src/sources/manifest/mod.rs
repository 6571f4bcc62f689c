//! Export manifests: the small `export.json` each collector in `contrib/export/` writes beside
//! its export, recognised by content (a JSON object with `tool`, `family`, `exported_at` and
//! `source`). A manifest holds no identity, credential or grant: it is listed under `sources`
//! with where and when the export was taken (`detail`), so that a report says what it judged.
//!
//! Format decisions:
//! - `exported_at` must be a timestamp; one that is not, or that lies after the evaluation time,
//!   is a warning (the manifest is still listed: it records nothing a verdict depends on).
//! - A `family` deprov does not read, and `failed_reads` above zero (the collector could not make
//!   every read; its `export-errors.log` lists them), are warnings: the export beside it is
//!   partial.

mod model;
mod normalize;

pub use normalize::assemble;

use super::SourceError;
use crate::discover::probe::{Content, Probe};
use crate::time::{format_rfc3339, parse_field, TimeField};
use model::ManifestFile;

crate::sources::formats! {
    pub enum Format {
        ExportManifest => "export",
    }
}

/// The families a manifest may name: those a collector exports.
const EXPORT_FAMILIES: [&str; 6] = ["aws", "gcp", "azure", "kubernetes", "github", "vault"];

pub fn detect(probe: &Probe) -> Option<Format> {
    let Content::Json(shape) = &probe.content else {
        return None;
    };
    (!shape.is_array && shape.has_all(&["tool", "family", "exported_at", "source"]))
        .then_some(Format::ExportManifest)
}

/// One parsed manifest.
#[derive(Debug, Clone)]
pub struct Manifest {
    /// What the `sources` entry says of it.
    detail: String,
    warnings: Vec<String>,
    exported_at: Option<jiff::Timestamp>,
}

impl super::FamilyFile for Manifest {
    fn record_count(&self) -> usize {
        0
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }

    fn detail(&self) -> Option<String> {
        Some(self.detail.clone())
    }

    fn exported_at(&self) -> Option<jiff::Timestamp> {
        self.exported_at
    }
}

pub fn parse(probe: &Probe, now: Option<jiff::Timestamp>) -> Result<Manifest, SourceError> {
    let bytes = super::whole(probe)?;
    let text = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    let file: ManifestFile = serde_json::from_slice(text)
        .map_err(|e| SourceError::json(probe.input, bytes, Format::ExportManifest.name(), &e))?;
    Ok(read(file, now))
}

/// The detail and warnings of a manifest.
fn read(file: ManifestFile, now: Option<jiff::Timestamp>) -> Manifest {
    let mut warnings = Vec::new();
    let mut exported = None;
    let exported_at = match parse_field(&file.exported_at) {
        Ok(TimeField::At(at)) => {
            exported = Some(at);
            if now.is_some_and(|now| at > now) {
                warnings.push(format!(
                    "exported_at {} is after the evaluation time",
                    format_rfc3339(at)
                ));
            }
            format_rfc3339(at)
        }
        Ok(TimeField::Absent | TimeField::Never) | Err(_) => {
            warnings.push(format!(
                "exported_at `{}` is not a timestamp: when the export was taken is unknown",
                file.exported_at
            ));
            "an unknown time".to_string()
        }
    };
    if !EXPORT_FAMILIES.contains(&file.family.as_str()) {
        warnings.push(format!(
            "family `{}` is not one deprov reads exports of ({})",
            file.family,
            EXPORT_FAMILIES.join(", ")
        ));
    }
    if let Some(failed) = file.failed_reads.filter(|n| *n > 0) {
        warnings.push(format!(
            "the collector could not make {failed} read(s) (its export-errors.log lists them): the export is partial"
        ));
    }
    let from = if file.source.is_empty() {
        "an unnamed source".to_string()
    } else {
        file.source
            .iter()
            .map(|(key, value)| format!("{key} {}", value.0))
            .collect::<Vec<_>>()
            .join(", ")
    };
    let by = match &file.script_version {
        Some(version) => format!("{} {}", file.tool, version.0),
        None => file.tool.clone(),
    };
    Manifest {
        detail: format!(
            "{} export of {from}, taken at {exported_at} by {by}",
            file.family
        ),
        warnings,
        exported_at: exported,
    }
}

/// The collectors' export manifests.
pub struct ExportManifests;

impl super::Family for ExportManifests {
    type Format = Format;
    type File = Manifest;

    fn source(&self) -> crate::inventory::SourceFamily {
        crate::inventory::SourceFamily::Manifest
    }

    fn recognise(&self, probe: &Probe) -> Option<Format> {
        detect(probe)
    }

    fn parse(
        &self,
        probe: &Probe,
        _format: Format,
        context: &super::ParseContext,
    ) -> Result<Manifest, SourceError> {
        parse(probe, context.now)
    }

    fn assemble(
        &self,
        files: Vec<(crate::discover::FileInput, Manifest)>,
        assembly: &mut super::Assembly,
    ) -> Result<super::Contribution, super::family::AssembleError> {
        Ok(assemble(files, assembly).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn manifest(json: &str) -> ManifestFile {
        serde_json::from_str(json).expect("a manifest")
    }

    const AWS: &str = r#"{
        "tool": "contrib/export/aws.sh",
        "script_version": "1",
        "family": "aws",
        "exported_at": "2026-11-20T08:00:00Z",
        "source": {"account": "123456789012", "profile": "prod"},
        "failed_reads": 0
    }"#;

    #[test]
    fn a_manifest_says_what_was_exported_from_where_and_when() {
        let read = read(manifest(AWS), "2026-11-25T00:00:00Z".parse().ok());
        assert_eq!(
            read.detail,
            "aws export of account 123456789012, profile prod, taken at 2026-11-20T08:00:00Z by contrib/export/aws.sh 1"
        );
        assert!(read.warnings.is_empty(), "{:?}", read.warnings);
    }

    #[test]
    fn a_partial_future_or_foreign_export_is_told() {
        let file = manifest(
            r#"{"tool": "t", "family": "terraform", "exported_at": "2027-01-01T00:00:00Z",
                "source": {}, "failed_reads": 3}"#,
        );
        let read = read(file, "2026-11-25T00:00:00Z".parse().ok());
        assert_eq!(
            read.detail,
            "terraform export of an unnamed source, taken at 2027-01-01T00:00:00Z by t"
        );
        assert_eq!(read.warnings.len(), 3, "{:?}", read.warnings);
        assert!(read.warnings[0].contains("after the evaluation time"));
        assert!(read.warnings[1].contains("`terraform`"));
        assert!(read.warnings[2].contains("3 read(s)"));
    }

    #[test]
    fn an_unreadable_time_is_unknown() {
        let file = manifest(
            r#"{"tool": "t", "family": "gcp", "exported_at": "yesterday", "source": {"project": 7}}"#,
        );
        let read = read(file, None);
        assert_eq!(
            read.detail,
            "gcp export of project 7, taken at an unknown time by t"
        );
        assert_eq!(read.warnings.len(), 1);
    }
}
