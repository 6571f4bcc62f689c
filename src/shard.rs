//! Splitting one scan over several machines (`scan --shard K/N`) and putting the pieces back
//! together (`merge`).
//!
//! What is split, and why:
//! - **Evaluation and findings** (the dominant cost at scale): every subject (credential, grant,
//!   use, identity, exposure) belongs to exactly one shard, by a stable hash of the same key its
//!   finding fingerprint is made of.
//! - **Repositories** (the dominant cost of secret scanning): each repository belongs to one
//!   shard, by a stable hash of its path; its secrets and references are judged there.
//! - **Exports, audit logs and the register** are read by every shard: correlation needs all of
//!   them (an access key's last use may come from any audit log line, an identity's accounts from
//!   any dump), and they are the shared part that makes each shard's judgement the same as a
//!   single machine's. Reading them is fast (hundreds of MB/s); judging them is what is split.
//!
//! A shard's JSON report carries a `shard` section with what `merge` needs beyond the findings
//! (rules run, requests, stale suppressions and unmatched baseline entries as that shard saw
//! them, retired identities with findings). The merged report has no `shard` section and is
//! byte-identical to the report of a single-machine run (`tests/shard.rs` proves it).

use std::collections::{BTreeMap, BTreeSet};

use miette::Diagnostic;
use serde::{Deserialize, Serialize};

use crate::inventory::SourceFamily;

/// This machine's part: shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ShardError {
    #[error("invalid shard `{text}`: expected K/N with 1 ≤ K ≤ N (e.g. 2/8)")]
    #[diagnostic(code(deprov::shard::syntax))]
    Syntax { text: String },
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

impl std::str::FromStr for Shard {
    type Err = ShardError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let syntax = || ShardError::Syntax {
            text: text.to_string(),
        };
        let (k, n) = text.split_once('/').ok_or_else(syntax)?;
        let index: u32 = k.trim().parse().map_err(|_| syntax())?;
        let count: u32 = n.trim().parse().map_err(|_| syntax())?;
        if index == 0 || count == 0 || index > count {
            return Err(syntax());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether this shard owns the work named by `key`. FNV-1a (64-bit) is fixed by its
    /// specification, so every machine, platform and deprov version splits the same way.
    pub fn owns(&self, key: &str) -> bool {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in key.as_bytes() {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        hash % u64::from(self.count) == u64::from(self.index - 1)
    }

    /// The key that assigns a repository to a shard.
    pub fn repository_key(rel: &str) -> String {
        format!("repository:{rel}")
    }

    /// The key that assigns a subject to a shard: its repository's for what was found in a
    /// repository (only the shard that read it has it), else the subject's own key.
    pub fn subject_owner_key(family: SourceFamily, system_name: &str, subject_key: &str) -> String {
        if family == SourceFamily::Git {
            Self::repository_key(system_name)
        } else {
            subject_key.to_string()
        }
    }
}

/// What a shard's report carries for `merge` beyond a normal report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardFacts {
    pub index: u32,
    pub count: u32,
    /// Subjects this shard evaluated.
    pub requests: usize,
    /// Rule codes that ran.
    pub rules_run: Vec<String>,
    /// Retired identities with at least one finding in this shard.
    pub retired_with_findings: Vec<String>,
    /// Baseline entries this shard did not produce (resolved only if no shard produced them).
    pub baseline_unmatched: Vec<String>,
}

/// Stale suppressions of the merged run: those stale in every shard.
pub fn stale_in_every_shard<T: Clone + Ord>(per_shard: &[Vec<T>]) -> Vec<T> {
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
pub fn in_every_list(per_shard: &[Vec<String>]) -> BTreeSet<String> {
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

/// A shard report and the file it came from.
pub struct ShardReport {
    pub path: String,
    pub report: crate::report::json::JsonReport<'static>,
}

/// Combines the reports of every shard of one run into the result a single machine would have
/// produced (no inventory: reports of a merged run use its [`crate::scan::Totals`]).
pub fn merge(mut shards: Vec<ShardReport>) -> Result<crate::scan::ScanResult, ShardError> {
    let mismatch = |path: &str, message: String| ShardError::Mismatch {
        path: path.to_string(),
        message,
    };
    let mut facts: Vec<(ShardFacts, &str)> = Vec::new();
    for shard in &shards {
        let f = shard
            .report
            .shard
            .clone()
            .ok_or_else(|| ShardError::NotAShard {
                path: shard.path.clone(),
            })?;
        facts.push((f, &shard.path));
    }
    let Some((first, first_path)) = facts.first().cloned() else {
        return Err(ShardError::Incomplete {
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
            return Err(ShardError::Duplicate {
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
                "inventory (identities, credentials, grants)",
                (
                    r.summary.identities,
                    r.summary.registered_identities,
                    r.summary.retired_identities,
                    r.summary.credentials,
                    r.summary.grants,
                ) == (
                    head.summary.identities,
                    head.summary.registered_identities,
                    head.summary.retired_identities,
                    head.summary.credentials,
                    head.summary.grants,
                ),
            ),
            (
                "expired suppressions",
                r.suppressions.expired == head.suppressions.expired,
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
        return Err(ShardError::Incomplete {
            missing: missing.join(", "),
            count: first.count,
        });
    }

    let evaluated_at = crate::time::parse_timestamp(&head.evaluated_at)
        .map_err(|e| mismatch(first_path, format!("evaluated_at: {e}")))?;
    let summary = head.summary.clone();
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

    Ok(crate::scan::ScanResult {
        evaluated_at,
        findings,
        sources: sources.into_sorted(),
        skipped: skipped.into_sorted(),
        inventory: Default::default(),
        policy_errors: policy_errors
            .into_iter()
            .map(
                |(policy, (message, count))| crate::engine::PolicyEvaluationError {
                    policy,
                    message,
                    count,
                },
            )
            .collect(),
        requests,
        rules_run: first.rules_run.clone(),
        triage: crate::triage::TriageReport {
            expired,
            stale,
            baseline_resolved,
        },
        totals: crate::scan::Totals {
            identities: summary.identities,
            registered_identities: summary.registered_identities,
            retired_identities: summary.retired_identities,
            retired_with_findings: retired_with_findings.into_iter().collect(),
            credentials: summary.credentials,
            grants: summary.grants,
            scheduled_retirements: summary.scheduled_retirements.clone(),
        },
        shard: None,
    })
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
    fn parses_and_rejects_shard_specs() {
        assert_eq!(
            "2/8".parse::<Shard>().ok(),
            Some(Shard { index: 2, count: 8 })
        );
        for bad in ["0/3", "4/3", "1/0", "x/2", "3", "", "1/2/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_key_belongs_to_exactly_one_shard() {
        for count in 1..=7 {
            for n in 0..500 {
                let key = format!("credential:aws:1111:AKIA{n}");
                let owners = (1..=count)
                    .filter(|&index| Shard { index, count }.owns(&key))
                    .count();
                assert_eq!(owners, 1, "{key} with {count} shards");
            }
        }
    }

    #[test]
    fn the_split_is_fixed_and_roughly_even() {
        // FNV-1a of "a" is 0xaf63dc4c8601ec8c: pinned so that a change of hash is noticed.
        let shard = |index| Shard { index, count: 2 };
        assert!(shard(1).owns("a"));
        let owned = (0..10_000)
            .filter(|n| shard(1).owns(&format!("key-{n}")))
            .count();
        assert!((4_500..5_500).contains(&owned), "{owned}");
    }

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
