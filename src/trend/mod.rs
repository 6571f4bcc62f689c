//! `deprov trend`: scan JSON reports of scheduled runs read back, ordered by `evaluated_at`, and
//! turned into series (findings by severity, residual access, per rule, new and resolved, time
//! to resolve, oldest open findings). Pure: reading is one function, the rest computes.

use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::severity::Severity;
use crate::time::format_rfc3339;

/// How many of the oldest open findings the trend lists.
pub const OLDEST_SHOWN: usize = 10;

/// Why the runs could not be read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum TrendError {
    #[error("cannot read run {path}: {message}")]
    #[diagnostic(code(deprov::trend::read))]
    Read { path: String, message: String },
    #[error("{path} is not a deprov scan JSON report: {message}")]
    #[diagnostic(
        code(deprov::trend::report),
        help("give the reports of `deprov scan … --format json` (or `-o run.json`)")
    )]
    Report { path: String, message: String },
}

/// One finding of a run, as the trend needs it.
#[derive(Debug, Clone, Deserialize)]
pub struct RunFinding {
    /// The fingerprint: the same finding has the same `id` in every run.
    pub id: String,
    pub rule: String,
    pub severity: Severity,
    #[serde(default)]
    pub identity: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
struct RunSummary {
    #[serde(default)]
    retired_with_residual_access: usize,
}

#[derive(Debug, Deserialize)]
struct RunFile {
    schema_version: u32,
    evaluated_at: String,
    #[serde(default)]
    summary: RunSummary,
    findings: Vec<RunFinding>,
}

/// One run read back.
#[derive(Debug, Clone)]
pub struct Run {
    pub path: String,
    pub evaluated_at: Timestamp,
    pub findings: Vec<RunFinding>,
    pub retired_with_residual_access: usize,
}

/// Reads one scan JSON report.
pub fn read_run(path: &Path) -> Result<Run, TrendError> {
    let name = path.display().to_string();
    let bytes = std::fs::read(path).map_err(|e| TrendError::Read {
        path: name.clone(),
        message: e.to_string(),
    })?;
    parse_run(&name, &bytes)
}

/// Parses one scan JSON report's bytes.
pub fn parse_run(name: &str, bytes: &[u8]) -> Result<Run, TrendError> {
    let report = |message: String| TrendError::Report {
        path: name.to_string(),
        message,
    };
    let file: RunFile = serde_json::from_slice(bytes).map_err(|e| report(e.to_string()))?;
    if file.schema_version != 1 {
        return Err(report(format!(
            "schema_version {} (this deprov reads 1)",
            file.schema_version
        )));
    }
    let evaluated_at = crate::time::parse_timestamp(&file.evaluated_at)
        .map_err(|e| report(format!("evaluated_at: {e}")))?;
    Ok(Run {
        path: name.to_string(),
        evaluated_at,
        findings: file.findings,
        retired_with_residual_access: file.summary.retired_with_residual_access,
    })
}

/// One run's point in every series.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RunPoint {
    pub evaluated_at: String,
    pub path: String,
    pub findings: usize,
    /// Critical first.
    pub by_severity: BTreeMap<Severity, usize>,
    pub retired_with_residual_access: usize,
    /// Findings whose fingerprint the previous run did not have (every finding of the first).
    pub new: usize,
    /// Findings of the previous run whose fingerprint is gone.
    pub resolved: usize,
}

/// One rule over the runs.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RuleSeries {
    pub rule: String,
    /// Findings per run, in run order.
    pub counts: Vec<usize>,
    /// Findings of the rule resolved over the runs.
    pub resolved: usize,
    /// Mean days from the first run a finding was in to the first run it was gone.
    pub mean_days_to_resolve: Option<f64>,
    /// The 90th percentile of the same (nearest rank).
    pub p90_days_to_resolve: Option<f64>,
}

/// A finding still open in the last run.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct OpenFinding {
    pub id: String,
    pub rule: String,
    pub severity: Severity,
    pub identity: String,
    /// The first run of the latest unbroken stretch the finding is in.
    pub first_seen: String,
    /// Days from `first_seen` to the last run.
    pub age_days: f64,
}

/// Every series of the trend page (and of `trend --format json`).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Trend {
    pub schema_version: u32,
    pub runs: Vec<RunPoint>,
    pub rules: Vec<RuleSeries>,
    pub oldest_open: Vec<OpenFinding>,
}

/// Days between two instants, rounded to a tenth (the charts and JSON show no more).
fn days(from: Timestamp, to: Timestamp) -> f64 {
    let seconds = to.as_second() - from.as_second();
    ((seconds as f64) / 86_400.0 * 10.0).round() / 10.0
}

fn round_tenth(value: f64) -> f64 {
    (value * 10.0).round() / 10.0
}

/// Nearest-rank percentile of sorted values.
pub fn percentile(sorted: &[f64], p: f64) -> Option<f64> {
    if sorted.is_empty() {
        return None;
    }
    let rank = ((p / 100.0) * sorted.len() as f64).ceil() as usize;
    sorted.get(rank.clamp(1, sorted.len()) - 1).copied()
}

/// The series of runs given in any order: ordered by `evaluated_at` (then path).
pub fn series(mut runs: Vec<Run>) -> Trend {
    runs.sort_by(|a, b| (a.evaluated_at, &a.path).cmp(&(b.evaluated_at, &b.path)));
    let all_rules: BTreeSet<&str> = runs
        .iter()
        .flat_map(|r| r.findings.iter().map(|f| f.rule.as_str()))
        .collect();
    let mut points = Vec::with_capacity(runs.len());
    // Fingerprint → (rule, the run its current stretch began in).
    let mut open: BTreeMap<&str, (&RunFinding, Timestamp)> = BTreeMap::new();
    let mut resolve_days: BTreeMap<&str, Vec<f64>> = BTreeMap::new();
    for run in &runs {
        let ids: BTreeSet<&str> = run.findings.iter().map(|f| f.id.as_str()).collect();
        let gone: Vec<&str> = open
            .keys()
            .filter(|id| !ids.contains(**id))
            .copied()
            .collect();
        for id in &gone {
            if let Some((finding, since)) = open.remove(id) {
                resolve_days
                    .entry(finding.rule.as_str())
                    .or_default()
                    .push(days(since, run.evaluated_at));
            }
        }
        let mut new = 0;
        for finding in &run.findings {
            if !open.contains_key(finding.id.as_str()) {
                new += 1;
                open.insert(&finding.id, (finding, run.evaluated_at));
            } else if let Some(entry) = open.get_mut(finding.id.as_str()) {
                // The latest run's word on the finding (its severity may have risen).
                entry.0 = finding;
            }
        }
        let mut by_severity: BTreeMap<Severity, usize> =
            Severity::ALL.iter().map(|s| (*s, 0)).collect();
        for finding in &run.findings {
            *by_severity.entry(finding.severity).or_default() += 1;
        }
        points.push(RunPoint {
            evaluated_at: format_rfc3339(run.evaluated_at),
            path: run.path.clone(),
            findings: ids.len(),
            by_severity,
            retired_with_residual_access: run.retired_with_residual_access,
            new,
            resolved: gone.len(),
        });
    }
    let rules = all_rules
        .iter()
        .map(|rule| {
            let counts = runs
                .iter()
                .map(|r| r.findings.iter().filter(|f| f.rule == *rule).count())
                .collect();
            let mut resolved = resolve_days.get(rule).cloned().unwrap_or_default();
            resolved.sort_by(f64::total_cmp);
            let mean = (!resolved.is_empty())
                .then(|| round_tenth(resolved.iter().sum::<f64>() / resolved.len() as f64));
            RuleSeries {
                rule: rule.to_string(),
                counts,
                resolved: resolved.len(),
                mean_days_to_resolve: mean,
                p90_days_to_resolve: percentile(&resolved, 90.0),
            }
        })
        .collect();
    let last = runs.last().map(|r| r.evaluated_at);
    let mut oldest_open: Vec<OpenFinding> = open
        .iter()
        .map(|(id, (finding, since))| OpenFinding {
            id: id.to_string(),
            rule: finding.rule.clone(),
            severity: finding.severity,
            identity: finding.identity.clone(),
            first_seen: format_rfc3339(*since),
            age_days: last.map_or(0.0, |last| days(*since, last)),
        })
        .collect();
    oldest_open.sort_by(|a, b| {
        (&a.first_seen, std::cmp::Reverse(a.severity), &a.id).cmp(&(
            &b.first_seen,
            std::cmp::Reverse(b.severity),
            &b.id,
        ))
    });
    oldest_open.truncate(OLDEST_SHOWN);
    Trend {
        schema_version: 1,
        runs: points,
        rules,
        oldest_open,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(at: &str, findings: &[(&str, &str, Severity)]) -> Run {
        Run {
            path: format!("{at}.json"),
            evaluated_at: at.parse().unwrap(),
            findings: findings
                .iter()
                .map(|(id, rule, severity)| RunFinding {
                    id: id.to_string(),
                    rule: rule.to_string(),
                    severity: *severity,
                    identity: "ci".into(),
                })
                .collect(),
            retired_with_residual_access: findings.len(),
        }
    }

    #[test]
    fn runs_are_ordered_and_resolution_is_the_first_run_without_the_fingerprint() {
        use Severity::*;
        let trend = series(vec![
            run("2026-01-21T00:00:00Z", &[("c", "STL001", Low)]),
            run(
                "2026-01-01T00:00:00Z",
                &[("a", "DPV001", Critical), ("b", "DPV001", High)],
            ),
            run(
                "2026-01-11T00:00:00Z",
                &[("b", "DPV001", High), ("c", "STL001", Low)],
            ),
        ]);
        let new: Vec<_> = trend.runs.iter().map(|r| (r.new, r.resolved)).collect();
        assert_eq!(new, [(2, 0), (1, 1), (0, 1)]);
        let dpv = &trend.rules[0];
        assert_eq!(dpv.counts, [2, 1, 0]);
        // a: 10 days, b: 20 days.
        assert_eq!(dpv.mean_days_to_resolve, Some(15.0));
        assert_eq!(dpv.p90_days_to_resolve, Some(20.0));
        assert_eq!(trend.rules[1].mean_days_to_resolve, None);
        assert_eq!(trend.oldest_open.len(), 1);
        assert_eq!(trend.oldest_open[0].id, "c");
        assert_eq!(trend.oldest_open[0].age_days, 10.0);
        assert_eq!(trend.runs[0].by_severity[&Critical], 1);
    }

    #[test]
    fn a_finding_that_comes_back_starts_a_new_stretch() {
        use Severity::*;
        let trend = series(vec![
            run("2026-01-01T00:00:00Z", &[("a", "DPV001", High)]),
            run("2026-01-02T00:00:00Z", &[]),
            run("2026-01-04T00:00:00Z", &[("a", "DPV001", High)]),
        ]);
        assert_eq!(trend.rules[0].resolved, 1);
        assert_eq!(trend.oldest_open[0].first_seen, "2026-01-04T00:00:00Z");
    }

    #[test]
    fn percentile_is_nearest_rank() {
        let values: Vec<f64> = (1..=10).map(f64::from).collect();
        assert_eq!(percentile(&values, 90.0), Some(9.0));
        assert_eq!(percentile(&[4.0], 90.0), Some(4.0));
        assert_eq!(percentile(&[], 90.0), None);
    }

    #[test]
    fn a_report_that_is_not_a_scan_is_refused() {
        assert!(parse_run("x.json", b"{\"findings\": []}").is_err());
        assert!(parse_run(
            "x.json",
            br#"{"schema_version": 1, "evaluated_at": "2026-01-01T00:00:00Z", "findings": []}"#
        )
        .is_ok());
    }
}
