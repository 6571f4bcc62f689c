//! `merge`: the reports of every shard of one run (`scan --shard K/N --format json`) combined
//! into the result a single machine would have produced.
//!
//! A shard's JSON report carries a `shard` section with what `merge` needs beyond the findings
//! (rules run, requests, stale suppressions and unmatched baseline entries as that shard saw
//! them, retired identities with findings). The merged report has no `shard` section and is
//! byte-identical to the report of a single-machine run (`tests/shard.rs` proves it).
//!
//! The merge streams (issue 19): each shard's findings are already in the report's order, so a
//! k-way merge ([`KWayMerge`]) of the shard files, each read one finding at a time
//! ([`ShardStream`]), gives the merged findings in order while holding one finding per shard. A
//! first pass ([`read`]) counts them (every format's summary comes before its findings) and
//! reads the sections around them; the reports that list findings in the report's order (JSON,
//! SARIF) are written in a second pass ([`findings`]), one batch of findings at a time.

mod kway;
mod shard_file;

use std::collections::{BTreeMap, BTreeSet};
use std::path::PathBuf;

use miette::Diagnostic;

pub use kway::KWayMerge;
pub use shard_file::ShardStream;

use crate::diagnostic::FileDiagnostic;
use crate::engine::PolicyEvaluationError;
use crate::findings::Finding;
use crate::inventory::Confidence;
use crate::report::json::{FindingCounts, JsonReport};
use crate::result::{ConfidenceFilter, ScanResult, Totals};
use crate::severity::FailOn;
use crate::shard::ShardFacts;
use crate::triage::TriageReport;

/// Why shard reports cannot be merged.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum MergeError {
    #[error("{path}: not a shard report (no `shard` section); run `deprov scan --shard K/N --format json`")]
    #[diagnostic(code(deprov::merge::not_a_shard))]
    NotAShard { path: String },
    #[error("{path}: {message}")]
    #[diagnostic(
        code(deprov::merge::mismatch),
        help(
            "every shard of one run must use the same inputs, --now, policies and deprov version"
        )
    )]
    Mismatch { path: String, message: String },
    #[error("shards missing from the merge: {missing} (of {count})")]
    #[diagnostic(code(deprov::merge::incomplete))]
    Incomplete { missing: String, count: u32 },
    #[error("shard {index}/{count} given twice ({path})")]
    #[diagnostic(code(deprov::merge::duplicate))]
    Duplicate {
        index: u32,
        count: u32,
        path: String,
    },
    /// Not a regular file, or unreadable.
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(Box<FileDiagnostic>),
    #[error("{path} has schema_version {found}; this deprov reads version {expected}")]
    #[diagnostic(code(deprov::merge::version))]
    Version {
        path: String,
        found: u32,
        expected: u32,
    },
    #[error("{path} is not a deprov JSON report: {message}")]
    #[diagnostic(
        code(deprov::merge::malformed),
        help("give the reports `deprov scan --shard K/N --format json` wrote, whole (a copy cut short is not one)")
    )]
    Malformed { path: String, message: String },
    #[error("{path}: its findings are not in the report's order")]
    #[diagnostic(
        code(deprov::merge::unsorted),
        help("the merge relies on the order `deprov scan` writes; give the shard's report as written")
    )]
    Unsorted { path: String },
    #[error("the shard reports changed while they were merged: {found} finding(s) on the second reading, {expected} on the first")]
    #[diagnostic(
        code(deprov::merge::changed),
        help("merge once every shard has finished writing its report")
    )]
    Changed { expected: usize, found: usize },
    #[error("{path} is both a shard report and an output of this merge")]
    #[diagnostic(
        code(deprov::merge::output_is_input),
        help("write the merged report to another file: the shards are read while it is written")
    )]
    OutputIsInput { path: String },
}

/// A shard report without its findings, and the file it came from.
pub struct ShardReport {
    pub path: String,
    pub report: JsonReport<'static>,
}

/// The first pass over the shard reports: the merged run's result without its findings (unless
/// they were collected), their counts, and what the shards were run with.
pub struct MergedRun {
    /// Findings only when collected ([`read`]); otherwise [`findings`] streams them.
    pub result: ScanResult,
    /// The merged findings' counts (after `min_confidence`).
    pub counts: FindingCounts,
    pub shard_fail_on: Option<FailOn>,
    /// The shards' own `--min-confidence` level, when they had one.
    pub shard_min_confidence: Option<Confidence>,
}

/// Reads the shard reports once: every finding through the k-way merge (counted, and kept only
/// when `collect`, for the formats that cannot be written one finding at a time in the report's
/// order), then the sections around the findings, which are checked and combined. Findings
/// below `min_confidence` are left out and counted, as the shards count theirs.
pub fn read(
    files: &[PathBuf],
    min_confidence: Option<Confidence>,
    collect: bool,
) -> Result<MergedRun, MergeError> {
    let mut merged = MergedFindings::open(files, min_confidence, None)?;
    let mut counts = FindingCounts::default();
    let mut collected = Vec::new();
    for finding in merged.by_ref() {
        let finding = finding?;
        counts.add(&finding);
        if collect {
            collected.push(finding);
        }
    }
    let filtered = merged.filtered;
    let shards = merged
        .merge
        .into_streams()
        .into_iter()
        .map(|stream| {
            let path = stream.path().to_string();
            stream
                .into_report()
                .map(|report| ShardReport { path, report })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let shard_fail_on = shards.first().map(|s| s.report.summary.fail_on);
    let mut result = combine(&shards)?;
    let shard_min_confidence = result.confidence_filter.map(|f| f.min);
    if let Some(min) = min_confidence {
        result.confidence_filter = Some(ConfidenceFilter::then(
            result.confidence_filter,
            min,
            filtered,
        ));
    }
    result.findings = collected;
    Ok(MergedRun {
        result,
        counts,
        shard_fail_on,
        shard_min_confidence,
    })
}

/// The merged findings, read again from the shard reports one at a time (after [`read`], which
/// counted `expected` of them: another count means a file changed in between).
pub fn findings(
    files: &[PathBuf],
    min_confidence: Option<Confidence>,
    expected: usize,
) -> Result<MergedFindings, MergeError> {
    MergedFindings::open(files, min_confidence, Some(expected))
}

/// The findings of every shard in the report's order, without duplicates and without those
/// below `--min-confidence`: at most one finding per shard in memory.
pub struct MergedFindings {
    merge: KWayMerge<ShardStream, Finding, MergeError>,
    min_confidence: Option<Confidence>,
    /// Findings left out for being below `min_confidence`.
    filtered: usize,
    /// The fingerprint of the finding before, to drop a finding two shards both reported.
    last_id: Option<String>,
    given: usize,
    expected: Option<usize>,
}

impl MergedFindings {
    fn open(
        files: &[PathBuf],
        min_confidence: Option<Confidence>,
        expected: Option<usize>,
    ) -> Result<Self, MergeError> {
        let streams = files
            .iter()
            .map(|file| ShardStream::open(file))
            .collect::<Result<Vec<_>, _>>()?;
        Ok(MergedFindings {
            merge: KWayMerge::new(streams, crate::findings::compare, |stream| {
                MergeError::Unsorted {
                    path: stream.path().to_string(),
                }
            }),
            min_confidence,
            filtered: 0,
            last_id: None,
            given: 0,
            expected,
        })
    }
}

impl Iterator for MergedFindings {
    type Item = Result<Finding, MergeError>;

    fn next(&mut self) -> Option<Self::Item> {
        loop {
            let finding = match self.merge.next() {
                Some(Ok(finding)) => finding,
                Some(Err(error)) => return Some(Err(error)),
                None => {
                    let expected = self.expected.take()?;
                    return (expected != self.given).then_some(Err(MergeError::Changed {
                        expected,
                        found: self.given,
                    }));
                }
            };
            // The same finding from two shards is one finding (as the single run has it once):
            // equal fingerprints sort next to each other.
            if self.last_id.as_deref() == Some(finding.id.as_str()) {
                continue;
            }
            self.last_id = Some(finding.id.clone());
            if let (Some(min), Some(level)) = (self.min_confidence, finding.confidence) {
                if level < min {
                    self.filtered += 1;
                    continue;
                }
            }
            self.given += 1;
            return Some(Ok(finding));
        }
    }
}

/// Combines the reports of every shard of one run (without their findings) into the result a
/// single machine would have produced, without its findings (no inventory: reports of a merged
/// run use its [`Totals`]).
pub fn combine(shards: &[ShardReport]) -> Result<ScanResult, MergeError> {
    let mismatch = |path: &str, message: String| MergeError::Mismatch {
        path: path.to_string(),
        message,
    };
    let mut facts: Vec<(ShardFacts, &str)> = Vec::new();
    for shard in shards {
        let f = shard
            .report
            .shard
            .clone()
            .ok_or_else(|| MergeError::NotAShard {
                path: shard.path.clone(),
            })?;
        facts.push((f, &shard.path));
    }
    let Some((first, first_path)) = facts.first().cloned() else {
        return Err(MergeError::Incomplete {
            missing: "all".into(),
            count: 0,
        });
    };
    let Some(head) = shards.first().map(|s| &s.report) else {
        return Err(MergeError::Incomplete {
            missing: "all".into(),
            count: 0,
        });
    };
    let mut seen = BTreeMap::new();
    for ((f, path), shard) in facts.iter().zip(shards) {
        let r = &shard.report;
        if f.count != first.count {
            return Err(mismatch(
                path,
                format!(
                    "shard of {} where {first_path} is of {}",
                    f.count, first.count
                ),
            ));
        }
        if let Some(previous) = seen.insert(f.index, *path) {
            let _ = previous;
            return Err(MergeError::Duplicate {
                index: f.index,
                count: f.count,
                path: path.to_string(),
            });
        }
        let checks = [
            ("evaluated_at", r.evaluated_at == head.evaluated_at),
            ("deprov version", r.tool.version == head.tool.version),
            ("rules run", f.rules_run == first.rules_run),
            (
                "expired suppressions",
                r.suppressions.expired == head.suppressions.expired,
            ),
            (
                "--min-confidence levels",
                r.summary.min_confidence == head.summary.min_confidence,
            ),
        ];
        if let Some((what, _)) = checks.iter().find(|(_, same)| !same) {
            return Err(mismatch(
                path,
                format!("its {what} differ from those of {first_path}"),
            ));
        }
    }
    let missing: Vec<String> = (1..=first.count)
        .filter(|i| !seen.contains_key(i))
        .map(|i| format!("{i}/{}", first.count))
        .collect();
    if !missing.is_empty() {
        return Err(MergeError::Incomplete {
            missing: missing.join(", "),
            count: first.count,
        });
    }

    let evaluated_at = crate::time::parse_timestamp(&head.evaluated_at)
        .map_err(|e| mismatch(first_path, format!("evaluated_at: {e}")))?;
    // Each shard counted the identities it owns and their credentials and grants.
    let sum = |count: fn(&ShardReport) -> usize| shards.iter().map(count).sum::<usize>();
    let identities = sum(|s| s.report.summary.identities);
    let registered_identities = sum(|s| s.report.summary.registered_identities);
    let retired_identities = sum(|s| s.report.summary.retired_identities);
    let credentials = sum(|s| s.report.summary.credentials);
    let grants = sum(|s| s.report.summary.grants);
    let mut scheduled_retirements: Vec<_> = shards
        .iter()
        .flat_map(|s| s.report.summary.scheduled_retirements.iter().cloned())
        .collect();
    scheduled_retirements.sort();
    scheduled_retirements.dedup();
    let expired = head.suppressions.expired.clone();
    let stale = stale_in_every_shard(
        &shards
            .iter()
            .map(|s| s.report.suppressions.stale.clone())
            .collect::<Vec<_>>(),
    );
    let baseline_resolved = in_every_list(
        &facts
            .iter()
            .map(|(f, _)| f.baseline_unmatched.clone())
            .collect::<Vec<_>>(),
    )
    .len();
    let retired_with_findings: BTreeSet<String> = facts
        .iter()
        .flat_map(|(f, _)| f.retired_with_findings.iter().cloned())
        .collect();
    let requests = facts.iter().map(|(f, _)| f.requests).sum();
    // Every shard left out its own findings below the level: the run left out their sum.
    let confidence_filter = head.summary.min_confidence.map(|min| ConfidenceFilter {
        min,
        filtered: shards.iter().map(|s| s.report.summary.filtered).sum(),
    });

    let mut sources = MaxMultiset::default();
    let mut skipped = MaxMultiset::default();
    let mut policy_errors: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for shard in shards {
        let report = &shard.report;
        sources.add(report.sources.to_vec());
        skipped.add(report.skipped.to_vec());
        for e in &report.policy_errors {
            policy_errors
                .entry(e.policy.clone())
                .or_insert_with(|| (e.message.clone(), 0))
                .1 += e.count;
        }
    }

    Ok(ScanResult {
        evaluated_at,
        findings: Vec::new(),
        sources: sources.into_sorted(),
        skipped: skipped.into_sorted(),
        inventory: Default::default(),
        policy_errors: policy_errors
            .into_iter()
            .map(|(policy, (message, count))| PolicyEvaluationError {
                policy,
                message,
                count,
            })
            .collect(),
        requests,
        rules_run: first.rules_run.clone(),
        triage: TriageReport {
            expired,
            stale,
            baseline_resolved,
        },
        totals: Totals {
            identities,
            registered_identities,
            retired_identities,
            retired_with_findings: retired_with_findings.into_iter().collect(),
            credentials,
            grants,
            scheduled_retirements,
        },
        shard: None,
        confidence_filter,
    })
}

/// Stale suppressions of the merged run: those stale in every shard.
fn stale_in_every_shard<T: Clone + Ord>(per_shard: &[Vec<T>]) -> Vec<T> {
    let Some((first, rest)) = per_shard.split_first() else {
        return Vec::new();
    };
    let counts: Vec<BTreeMap<&T, usize>> = rest
        .iter()
        .map(|list| {
            let mut counts = BTreeMap::new();
            for item in list {
                *counts.entry(item).or_insert(0) += 1;
            }
            counts
        })
        .collect();
    let mut taken: Vec<BTreeMap<&T, usize>> = vec![BTreeMap::new(); rest.len()];
    let mut out = Vec::new();
    for item in first {
        let everywhere = counts.iter().zip(taken.iter_mut()).all(|(have, used)| {
            let used = used.entry(item).or_insert(0);
            let available = have.get(item).copied().unwrap_or(0);
            if *used < available {
                *used += 1;
                true
            } else {
                false
            }
        });
        if everywhere {
            out.push(item.clone());
        }
    }
    out
}

/// Items present in every list (for baseline entries no shard produced).
fn in_every_list(per_shard: &[Vec<String>]) -> BTreeSet<String> {
    let Some((first, rest)) = per_shard.split_first() else {
        return BTreeSet::new();
    };
    let rest: Vec<BTreeSet<&String>> = rest.iter().map(|l| l.iter().collect()).collect();
    first
        .iter()
        .filter(|id| rest.iter().all(|set| set.contains(id)))
        .cloned()
        .collect()
}

/// Items of several lists, each as many times as the list that has it most: the files every
/// shard read appear once, the repositories only their shard read appear too.
struct MaxMultiset<T: Ord> {
    counts: BTreeMap<T, usize>,
}

impl<T: Ord> Default for MaxMultiset<T> {
    fn default() -> Self {
        MaxMultiset {
            counts: BTreeMap::new(),
        }
    }
}

impl<T: Ord + Clone> MaxMultiset<T> {
    fn add(&mut self, items: Vec<T>) {
        let mut here: BTreeMap<T, usize> = BTreeMap::new();
        for item in items {
            *here.entry(item).or_insert(0) += 1;
        }
        for (item, n) in here {
            let count = self.counts.entry(item).or_insert(0);
            *count = (*count).max(n);
        }
    }

    fn into_sorted(self) -> Vec<T> {
        self.counts
            .into_iter()
            .flat_map(|(item, n)| std::iter::repeat_n(item, n))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stale_means_stale_everywhere() {
        let lists = vec![vec!["a", "b", "b"], vec!["b", "a"], vec!["b", "b", "a"]];
        assert_eq!(stale_in_every_shard(&lists), vec!["a", "b"]);
        let ids = vec![
            vec!["x".to_string(), "y".to_string()],
            vec!["y".to_string()],
        ];
        assert_eq!(in_every_list(&ids), BTreeSet::from(["y".to_string()]));
    }
}
