//! `merge`: the reports of every shard of one run (`scan --shard K/N --format json`) combined
//! into the result a single machine would have produced.
//!
//! A shard's JSON report carries a `shard` section with what `merge` needs beyond the findings
//! (rules run, requests, stale suppressions and unmatched baseline entries as that shard saw
//! them, retired identities with findings). The merged report has no `shard` section and is
//! byte-identical to the report of a single-machine run (`tests/shard.rs` proves it).

use std::collections::{BTreeMap, BTreeSet};

use miette::Diagnostic;

use crate::engine::PolicyEvaluationError;
use crate::report::json::JsonReport;
use crate::result::{ConfidenceFilter, ScanResult, Totals};
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
}

/// A shard report and the file it came from.
pub struct ShardReport {
    pub path: String,
    pub report: JsonReport<'static>,
}

/// Combines the reports of every shard of one run into the result a single machine would have
/// produced (no inventory: reports of a merged run use its [`Totals`]).
pub fn merge(mut shards: Vec<ShardReport>) -> Result<ScanResult, MergeError> {
    let mismatch = |path: &str, message: String| MergeError::Mismatch {
        path: path.to_string(),
        message,
    };
    let mut facts: Vec<(ShardFacts, &str)> = Vec::new();
    for shard in &shards {
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
    let head = &shards[0].report;
    let mut seen = BTreeMap::new();
    for ((f, path), shard) in facts.iter().zip(&shards) {
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

    let mut findings = Vec::new();
    let mut sources = MaxMultiset::default();
    let mut skipped = MaxMultiset::default();
    let mut policy_errors: BTreeMap<String, (String, usize)> = BTreeMap::new();
    for shard in &mut shards {
        let report = &mut shard.report;
        findings.extend(std::mem::take(&mut report.findings).into_owned());
        sources.add(std::mem::take(&mut report.sources).into_owned());
        skipped.add(std::mem::take(&mut report.skipped).into_owned());
        for e in &report.policy_errors {
            policy_errors
                .entry(e.policy.clone())
                .or_insert_with(|| (e.message.clone(), 0))
                .1 += e.count;
        }
    }
    crate::findings::sort(&mut findings);
    findings.dedup_by(|a, b| a.id == b.id);

    Ok(ScanResult {
        evaluated_at,
        findings,
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
