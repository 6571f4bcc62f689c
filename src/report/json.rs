//! The JSON report, `schema_version: 1`: a public contract. Fields are only ever added.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::{ReportContext, Reporter};
use crate::findings::Finding;
use crate::scan::{ScanResult, Skipped};
use crate::severity::{FailOn, Severity};
use crate::sources::SourceSummary;
use crate::time::format_rfc3339;
use crate::triage::FindingStatus;

pub const SCHEMA_VERSION: u32 = 1;

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct Tool {
    pub name: String,
    pub version: String,
}

impl Tool {
    pub fn current() -> Tool {
        Tool {
            name: "deprov".into(),
            version: env!("CARGO_PKG_VERSION").into(),
        }
    }
}

/// Finding counts by severity, most severe first.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct SeverityCounts {
    pub critical: usize,
    pub high: usize,
    pub medium: usize,
    pub low: usize,
    pub info: usize,
}

impl SeverityCounts {
    pub fn of(findings: &[Finding]) -> Self {
        let mut counts = SeverityCounts::default();
        for f in findings {
            *counts.slot(f.severity) += 1;
        }
        counts
    }

    fn slot(&mut self, severity: Severity) -> &mut usize {
        match severity {
            Severity::Critical => &mut self.critical,
            Severity::High => &mut self.high,
            Severity::Medium => &mut self.medium,
            Severity::Low => &mut self.low,
            Severity::Info => &mut self.info,
        }
    }

    pub fn get(&self, severity: Severity) -> usize {
        match severity {
            Severity::Critical => self.critical,
            Severity::High => self.high,
            Severity::Medium => self.medium,
            Severity::Low => self.low,
            Severity::Info => self.info,
        }
    }
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Summary {
    pub findings: usize,
    /// Findings that count for the exit code (neither baselined nor suppressed).
    #[serde(default)]
    pub new: usize,
    #[serde(default)]
    pub baselined: usize,
    #[serde(default)]
    pub suppressed: usize,
    pub by_severity: SeverityCounts,
    pub by_rule: BTreeMap<String, usize>,
    pub by_system: BTreeMap<String, usize>,
    pub identities: usize,
    pub registered_identities: usize,
    pub retired_identities: usize,
    /// Retired identities that still have at least one finding: residual access.
    pub retired_with_residual_access: usize,
    pub credentials: usize,
    pub grants: usize,
    pub files_read: usize,
    pub files_skipped: usize,
    pub fail_on: FailOn,
    /// Whether the exit code is 1 (a finding at or above `fail_on`).
    pub failed: bool,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct PolicyErrorEntry {
    pub policy: String,
    pub message: String,
    pub count: usize,
}

/// The whole JSON document. It borrows the scan's findings, sources and skipped files when it is
/// written (a report of a million findings is not copied to be printed) and owns them when read.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct JsonReport<'a> {
    pub schema_version: u32,
    pub tool: Tool,
    pub evaluated_at: String,
    pub summary: Summary,
    pub findings: Cow<'a, [Finding]>,
    pub sources: Cow<'a, [SourceSummary]>,
    pub skipped: Cow<'a, [Skipped]>,
    #[serde(default)]
    pub policy_errors: Vec<PolicyErrorEntry>,
    /// Expired and stale suppressions (present when the config has suppressions or a baseline
    /// was given).
    #[serde(default, skip_serializing_if = "crate::triage::TriageReport::is_empty")]
    pub suppressions: crate::triage::TriageReport,
    /// Only in the report of one shard of a sharded run, for `deprov merge`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub shard: Option<crate::shard::ShardFacts>,
}

/// Whether findings make the exit code 1: a new (not baselined, not suppressed) finding at or
/// above the threshold.
pub fn fails(findings: &[Finding], fail_on: FailOn) -> bool {
    findings
        .iter()
        .any(|f| f.status.counts() && fail_on.fails(f.severity))
}

impl<'a> JsonReport<'a> {
    pub fn from_result(result: &'a ScanResult, fail_on: FailOn) -> Self {
        let findings = &result.findings;
        let mut by_rule = BTreeMap::new();
        let mut by_system = BTreeMap::new();
        for f in findings {
            *by_rule.entry(f.rule.to_string()).or_insert(0) += 1;
            *by_system.entry(f.system.to_string()).or_insert(0) += 1;
        }
        let totals = &result.totals;
        JsonReport {
            schema_version: SCHEMA_VERSION,
            tool: Tool::current(),
            evaluated_at: format_rfc3339(result.evaluated_at),
            summary: Summary {
                findings: findings.len(),
                new: findings
                    .iter()
                    .filter(|f| f.status == FindingStatus::New)
                    .count(),
                baselined: findings
                    .iter()
                    .filter(|f| f.status == FindingStatus::Baselined)
                    .count(),
                suppressed: findings
                    .iter()
                    .filter(|f| f.status == FindingStatus::Suppressed)
                    .count(),
                by_severity: SeverityCounts::of(findings),
                by_rule,
                by_system,
                identities: totals.identities,
                registered_identities: totals.registered_identities,
                retired_identities: totals.retired_identities,
                retired_with_residual_access: totals.retired_with_findings.len(),
                credentials: totals.credentials,
                grants: totals.grants,
                files_read: result.sources.len(),
                files_skipped: result.skipped.len(),
                fail_on,
                failed: fails(findings, fail_on),
            },
            findings: Cow::Borrowed(findings),
            sources: Cow::Borrowed(&result.sources),
            skipped: Cow::Borrowed(&result.skipped),
            policy_errors: result
                .policy_errors
                .iter()
                .map(|e| PolicyErrorEntry {
                    policy: e.policy.clone(),
                    message: e.message.clone(),
                    count: e.count,
                })
                .collect(),
            suppressions: result.triage.clone(),
            shard: result.shard.clone(),
        }
    }
}

pub struct JsonReporter;

impl Reporter for JsonReporter {
    fn write(&self, context: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
        let report = JsonReport::from_result(context.result, context.fail_on);
        super::write_json_document(out, &report)
    }
}
