//! The JSON report, `schema_version: 1`: a public contract. Fields are only ever added.

use std::borrow::Cow;
use std::collections::BTreeMap;
use std::io::{self, Write};

use serde::{Deserialize, Serialize};

use super::{ReportContext, Reporter};
use crate::findings::Finding;
use crate::findings::FindingStatus;
use crate::result::{ScanResult, Skipped};
use crate::severity::{FailOn, Severity};
use crate::sources::SourceSummary;
use crate::time::format_rfc3339;

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
    /// Findings about secrets below `min_confidence`, left out of `findings` and of the exit
    /// code (`--min-confidence`); 0 without it.
    #[serde(default)]
    pub filtered: usize,
    /// The `--min-confidence` level (config `secrets.min_confidence`), when one was given.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub min_confidence: Option<crate::inventory::Confidence>,
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
    /// Identities the register schedules to retire after the evaluation time (active until
    /// then), sorted.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub scheduled_retirements: Vec<crate::result::ScheduledRetirement>,
    pub files_read: usize,
    pub files_skipped: usize,
    /// Inputs that should have been read were not, or nothing was read: the findings may be
    /// missing some, and the exit code is 2 unless the run accepted it (`--allow-incomplete`).
    /// A report without the field (written before it existed) reads as complete.
    #[serde(default)]
    pub incomplete: bool,
    /// Files and blobs whose text was not scanned for secrets, wholly or past the scan limits
    /// (`skipped` entries with `unscanned: true`).
    #[serde(default)]
    pub unscanned: usize,
    /// Why the run is incomplete, one line per unread input.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub incomplete_reasons: Vec<String>,
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

/// What the summary counts of the findings: gathered from a slice, or one finding at a time
/// while a merge streams them.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct FindingCounts {
    pub findings: usize,
    pub new: usize,
    pub baselined: usize,
    pub suppressed: usize,
    pub by_severity: SeverityCounts,
    /// New findings only: those decide the exit code.
    pub new_by_severity: SeverityCounts,
    pub by_rule: BTreeMap<String, usize>,
    pub by_system: BTreeMap<String, usize>,
}

impl FindingCounts {
    pub fn of(findings: &[Finding]) -> Self {
        let mut counts = FindingCounts::default();
        for f in findings {
            counts.add(f);
        }
        counts
    }

    pub fn add(&mut self, f: &Finding) {
        self.findings += 1;
        *self.by_severity.slot(f.severity) += 1;
        match f.status {
            FindingStatus::New => {
                self.new += 1;
                *self.new_by_severity.slot(f.severity) += 1;
            }
            FindingStatus::Baselined => self.baselined += 1,
            FindingStatus::Suppressed => self.suppressed += 1,
        }
        // Looked up before inserting: the keys are a few dozen rules and systems, the findings
        // millions, and most lookups find their key.
        for (counts, key) in [
            (&mut self.by_rule, &*f.rule),
            (&mut self.by_system, &*f.system),
        ] {
            match counts.get_mut(key) {
                Some(count) => *count += 1,
                None => {
                    counts.insert(key.to_string(), 1);
                }
            }
        }
    }

    /// Whether the counted findings make the exit code 1 (as [`fails`] decides on a slice).
    pub fn fails(&self, fail_on: FailOn) -> bool {
        Severity::ALL
            .iter()
            .any(|&s| self.new_by_severity.get(s) > 0 && fail_on.fails(s))
    }
}

impl<'a> JsonReport<'a> {
    pub fn from_result(result: &'a ScanResult, fail_on: FailOn) -> Self {
        Self::with_counts(result, &FindingCounts::of(&result.findings), fail_on)
    }

    /// The report of `result` whose findings `counts` counted: those of `result`, or those a
    /// merge streams (then `result` holds none and the report's findings are written apart,
    /// [`write_streamed`]).
    pub fn with_counts(result: &'a ScanResult, counts: &FindingCounts, fail_on: FailOn) -> Self {
        let totals = &result.totals;
        let incomplete_reasons = crate::result::incompleteness(&result.sources, &result.skipped);
        JsonReport {
            schema_version: SCHEMA_VERSION,
            tool: Tool::current(),
            evaluated_at: format_rfc3339(result.evaluated_at),
            summary: Summary {
                findings: counts.findings,
                new: counts.new,
                baselined: counts.baselined,
                suppressed: counts.suppressed,
                filtered: result.confidence_filter.map_or(0, |f| f.filtered),
                min_confidence: result.confidence_filter.map(|f| f.min),
                by_severity: counts.by_severity.clone(),
                by_rule: counts.by_rule.clone(),
                by_system: counts.by_system.clone(),
                identities: totals.identities,
                registered_identities: totals.registered_identities,
                retired_identities: totals.retired_identities,
                retired_with_residual_access: totals.retired_with_findings.len(),
                credentials: totals.credentials,
                grants: totals.grants,
                scheduled_retirements: totals.scheduled_retirements.clone(),
                files_read: result.sources.len(),
                files_skipped: result.skipped.len(),
                incomplete: !incomplete_reasons.is_empty(),
                unscanned: result.skipped.iter().filter(|s| s.unscanned).count(),
                incomplete_reasons,
                fail_on,
                failed: counts.fails(fail_on),
            },
            findings: Cow::Borrowed(&result.findings),
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
        write_report(out, &report)
    }
}

/// Findings rendered at once, in parallel, while the batch before is written.
pub(crate) const FINDINGS_PER_BATCH: usize = 4096;

/// Writes `report` exactly as `serde_json::to_writer_pretty` does, followed by a newline, but
/// renders the findings on every core while the previous batch is written: at a million findings
/// rendering on one thread was most of the report's time (see [`super::write_spliced`]).
pub fn write_report(out: &mut dyn Write, report: &JsonReport) -> io::Result<()> {
    let findings: &[Finding] = &report.findings;
    write_streamed(
        out,
        report,
        findings.chunks(FINDINGS_PER_BATCH).map(io::Result::Ok),
    )
}

/// [`write_report`] of a report whose findings come in batches, in the report's order, apart
/// from `report` (whose own findings are not written): a merge writes a report of millions of
/// findings holding one batch.
pub fn write_streamed<B: AsRef<[Finding]> + Send>(
    out: &mut dyn Write,
    report: &JsonReport,
    batches: impl Iterator<Item = io::Result<B>>,
) -> io::Result<()> {
    let skeleton = JsonReport {
        schema_version: report.schema_version,
        tool: report.tool.clone(),
        evaluated_at: report.evaluated_at.clone(),
        summary: report.summary.clone(),
        findings: Cow::Borrowed(&[]),
        sources: Cow::Borrowed(&report.sources),
        skipped: Cow::Borrowed(&report.skipped),
        policy_errors: report.policy_errors.clone(),
        suppressions: report.suppressions.clone(),
        shard: report.shard.clone(),
    };
    let text = serde_json::to_vec_pretty(&skeleton)?;
    super::write_spliced(out, &text, "findings", 1, batches, |f: &Finding| {
        serde_json::to_vec_pretty(f).map_err(io::Error::from)
    })
}
