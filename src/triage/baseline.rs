//! Baseline files: the fingerprints of findings accepted at some point, so that a CI gate fails
//! only on new ones. Written by `deprov baseline write`.

use std::collections::HashSet;
use std::path::Path;

use miette::Diagnostic;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{FileDiagnostic, FileKind};
use crate::findings::Finding;

pub const BASELINE_SCHEMA_VERSION: u32 = 1;

/// One accepted finding. Only `id` decides; the rest tells a reviewer what was accepted.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct BaselineEntry {
    pub id: String,
    pub rule: String,
    pub identity: String,
    pub system: String,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Baseline {
    pub schema_version: u32,
    pub created_at: String,
    pub entries: Vec<BaselineEntry>,
    #[serde(skip)]
    ids: HashSet<String>,
}

/// How a baseline is named in its diagnostics.
pub static BASELINE_FILE: FileKind = FileKind {
    what: "baseline",
    io_code: "deprov::baseline::io",
    unreadable: "cannot read baseline {path}: {message}",
    syntax_code: "deprov::baseline::syntax",
    invalid: "invalid baseline {path}: {message}",
    invalid_help: Some("write a baseline with `deprov baseline write FILE PATH…`"),
};

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum BaselineError {
    /// Not a regular file, unreadable, or not a baseline's JSON.
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] FileDiagnostic),
}

impl Baseline {
    pub fn from_findings(findings: &[Finding], created_at: String) -> Baseline {
        let mut entries: Vec<BaselineEntry> = findings
            .iter()
            .map(|f| BaselineEntry {
                id: f.id.clone(),
                rule: f.rule.to_string(),
                identity: f.identity.clone(),
                system: f.system.to_string(),
            })
            .collect();
        entries.sort();
        entries.dedup();
        let ids = entries.iter().map(|e| e.id.clone()).collect();
        Baseline {
            schema_version: BASELINE_SCHEMA_VERSION,
            created_at,
            entries,
            ids,
        }
    }

    pub fn load(path: &Path) -> Result<Baseline, BaselineError> {
        let bytes = crate::discover::regular::read_named(path, &BASELINE_FILE)?;
        let mut baseline: Baseline = serde_json::from_slice(&bytes).map_err(|e| {
            FileDiagnostic::json(&BASELINE_FILE, &path.display().to_string(), &bytes, &e)
        })?;
        baseline.ids = baseline.entries.iter().map(|e| e.id.clone()).collect();
        Ok(baseline)
    }

    pub fn contains(&self, id: &str) -> bool {
        self.ids.contains(id)
    }

    /// Entries none of `findings` reproduces (sorted IDs).
    pub fn unmatched(&self, findings: &[Finding]) -> Vec<String> {
        let current: std::collections::HashSet<&str> =
            findings.iter().map(|f| f.id.as_str()).collect();
        let mut ids: Vec<String> = self
            .entries
            .iter()
            .filter(|e| !current.contains(e.id.as_str()))
            .map(|e| e.id.clone())
            .collect();
        ids.sort();
        ids.dedup();
        ids
    }
}
