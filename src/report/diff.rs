//! `deprov diff OLD.json NEW.json`: what a nightly run shows as progress — findings that are new,
//! resolved, or unchanged between two JSON reports, matched by their stable fingerprint.

use std::collections::BTreeMap;
use std::io::{self, Write};
use std::path::Path;

use miette::Diagnostic;
use serde::Serialize;

use super::escape::visible;
use super::json::JsonReport;
use super::style::Style;
use crate::diagnostic::{FileDiagnostic, FileKind};
use crate::findings::Finding;
use crate::inventory::Confidence;
use crate::severity::FailOn;

/// How a JSON report given to `diff` (or `merge`) is named in its diagnostics.
pub static REPORT_FILE: FileKind = FileKind {
    what: "report",
    io_code: "deprov::diff::io",
    unreadable: "cannot read report {path}: {message}",
    syntax_code: "deprov::diff::syntax",
    invalid: "{path} is not a deprov JSON report: {message}",
    invalid_help: Some("compare the output of `deprov scan --format json`"),
};

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum DiffError {
    /// Not a regular file, unreadable, or not a report's JSON.
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] FileDiagnostic),
    #[error("{path} has schema_version {found}; this deprov reads version {expected}")]
    #[diagnostic(code(deprov::diff::version))]
    Version {
        path: String,
        found: u32,
        expected: u32,
    },
}

/// Reads a JSON report written by `deprov scan --format json`.
pub fn load_report(path: &Path) -> Result<JsonReport<'static>, DiffError> {
    let name = path.display().to_string();
    let bytes = crate::discover::regular::read_named(path, &REPORT_FILE)?;
    let report: JsonReport<'static> = serde_json::from_slice(&bytes)
        .map_err(|e| FileDiagnostic::json(&REPORT_FILE, &name, &bytes, &e))?;
    if report.schema_version != super::json::SCHEMA_VERSION {
        return Err(DiffError::Version {
            path: name,
            found: report.schema_version,
            expected: super::json::SCHEMA_VERSION,
        });
    }
    Ok(report)
}

/// The three sets, each sorted as reports sort findings.
#[derive(Debug, Serialize)]
pub struct ReportDiff {
    pub schema_version: u32,
    pub old_evaluated_at: String,
    pub new_evaluated_at: String,
    pub summary: DiffSummary,
    pub new: Vec<Finding>,
    pub resolved: Vec<Finding>,
    pub unchanged: Vec<Finding>,
}

#[derive(Debug, Serialize)]
pub struct DiffSummary {
    pub new: usize,
    pub resolved: usize,
    pub unchanged: usize,
    pub fail_on: FailOn,
    /// A new finding (that counts: not baselined or suppressed) is at or above `fail_on`.
    pub failed: bool,
    /// The earlier run was incomplete: some of the "new" findings may only be newly read.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub old_incomplete: bool,
    /// The later run is incomplete: a finding that is not in it may only be unread, so
    /// "resolved" is not confirmed.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub new_incomplete: bool,
    /// Why the later run is incomplete.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub new_incomplete_reasons: Vec<String>,
    /// The higher of the two reports' `--min-confidence` levels, when either had one: findings
    /// below it are compared in neither report, since the other may have left them out (a
    /// finding filtered from the later report is not resolved).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_confidence: Option<Confidence>,
    /// Findings of either report left out of the comparison for being below `min_confidence`.
    #[serde(skip_serializing_if = "is_zero")]
    pub below_min_confidence: usize,
}

fn is_zero(count: &usize) -> bool {
    *count == 0
}

pub fn diff(old: JsonReport<'static>, new: JsonReport<'static>, fail_on: FailOn) -> ReportDiff {
    // Option orders `None` first: the stricter of the two levels, if any.
    let min_confidence = old.summary.min_confidence.max(new.summary.min_confidence);
    let mut below_min_confidence = 0;
    let mut comparable = |findings: Vec<Finding>| -> BTreeMap<String, Finding> {
        findings
            .into_iter()
            .filter(|f| {
                let shown = match (f.confidence, min_confidence) {
                    (Some(level), Some(min)) => level >= min,
                    _ => true,
                };
                below_min_confidence += usize::from(!shown);
                shown
            })
            .map(|f| (f.id.clone(), f))
            .collect()
    };
    let old_by_id = comparable(old.findings.into_owned());
    let mut new_by_id = comparable(new.findings.into_owned());
    let mut resolved = Vec::new();
    let mut unchanged = Vec::new();
    for (id, finding) in old_by_id {
        match new_by_id.remove(&id) {
            Some(current) => unchanged.push(current),
            None => resolved.push(finding),
        }
    }
    let mut added: Vec<Finding> = new_by_id.into_values().collect();
    for list in [&mut added, &mut resolved, &mut unchanged] {
        crate::findings::sort(list);
    }
    let failed = super::json::fails(&added, fail_on);
    let old_incomplete = old.summary.incomplete;
    let new_incomplete = new.summary.incomplete;
    let new_incomplete_reasons = new.summary.incomplete_reasons;
    ReportDiff {
        schema_version: super::json::SCHEMA_VERSION,
        old_evaluated_at: old.evaluated_at,
        new_evaluated_at: new.evaluated_at,
        summary: DiffSummary {
            new: added.len(),
            resolved: resolved.len(),
            unchanged: unchanged.len(),
            fail_on,
            failed,
            old_incomplete,
            new_incomplete,
            new_incomplete_reasons,
            min_confidence,
            below_min_confidence,
        },
        new: added,
        resolved,
        unchanged,
    }
}

impl ReportDiff {
    pub fn write_json(&self, out: &mut dyn Write) -> io::Result<()> {
        super::write_json_document(out, self)
    }

    pub fn write_text(&self, out: &mut dyn Write, color: bool) -> io::Result<()> {
        let style = Style { enabled: color };
        writeln!(
            out,
            "{} {} → {}: {} new, {} resolved, {} unchanged",
            style.bold("deprov diff"),
            visible(&self.old_evaluated_at),
            visible(&self.new_evaluated_at),
            self.summary.new,
            self.summary.resolved,
            self.summary.unchanged
        )?;
        if self.summary.new_incomplete {
            writeln!(
                out,
                "{}",
                style.severity(
                    crate::severity::Severity::Critical,
                    "INCOMPLETE: the later run did not read every input, so \"resolved\" is not confirmed (a finding may only be unread):"
                )
            )?;
            for reason in &self.summary.new_incomplete_reasons {
                writeln!(out, "  - {}", visible(reason))?;
            }
        }
        if let Some(min) = self.summary.min_confidence {
            writeln!(
                out,
                "note: findings below {min} confidence (--min-confidence of a report) are compared in neither report: {} left out",
                self.summary.below_min_confidence
            )?;
        }
        if self.summary.old_incomplete {
            writeln!(
                out,
                "note: the earlier run was incomplete: some new findings may only be newly read"
            )?;
        }
        for (title, list, mark) in [("New", &self.new, "+"), ("Resolved", &self.resolved, "-")] {
            if list.is_empty() {
                continue;
            }
            writeln!(out)?;
            writeln!(out, "{}", style.bold(title))?;
            for f in list {
                writeln!(
                    out,
                    "  {mark} {} {} {}  {}",
                    style.severity(
                        f.severity,
                        &format!("{:<8}", f.severity.as_str().to_uppercase())
                    ),
                    visible(&f.rule),
                    visible(&f.identity),
                    visible(&f.message)
                )?;
            }
        }
        Ok(())
    }
}
