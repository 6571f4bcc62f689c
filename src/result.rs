//! What a run produced — findings, what was read and skipped, the triage of suppressions and
//! the baseline, inventory counts — as reporters and `merge` see it. Built by the scan
//! pipeline (`scan`) or rebuilt from shards (`merge`); reporters depend on this module, never on
//! the pipeline that fills it.

use std::collections::BTreeSet;

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::engine::PolicyEvaluationError;
use crate::findings::Finding;
use crate::inventory::{Confidence, Inventory, Lifecycle};
use crate::shard::ShardFacts;
use crate::sources::SourceSummary;
use crate::triage::TriageReport;

/// How the `skipped` list names the register that a run over identity exports did not have.
pub const NO_REGISTER: &str = "(no register)";

/// An input that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
    /// The input should have been read and was not (an export or register that is broken,
    /// truncated, too large or unreadable): the run is incomplete. Absent (false) for inputs
    /// that are not data (unrecognised files) or were left out on purpose.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub incomplete: bool,
    /// Text that was not scanned for secrets, wholly or past the scan limits
    /// (`repositories.max_blob_size_mb` for history blobs, `limits.max_file_size_mb` for
    /// files): counted in `summary.unscanned`, and a failure with `--fail-on-unscanned`.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unscanned: bool,
}

impl Skipped {
    /// An input left out on purpose, or one that is not data: it changes nothing.
    pub fn ignored(path: impl Into<String>, reason: impl Into<String>) -> Skipped {
        Skipped {
            path: path.into(),
            reason: reason.into(),
            incomplete: false,
            unscanned: false,
        }
    }

    /// An input that should have been read and could not be: the run is incomplete.
    pub fn unread(path: impl Into<String>, reason: impl Into<String>) -> Skipped {
        Skipped {
            incomplete: true,
            ..Skipped::ignored(path, reason)
        }
    }

    /// Text not scanned for secrets (above the scan limits).
    pub fn unscanned(path: impl Into<String>, reason: impl Into<String>) -> Skipped {
        Skipped {
            unscanned: true,
            ..Skipped::ignored(path, reason)
        }
    }
}

/// Why a run's result is incomplete: every input that should have been read and was not, and
/// a run that read nothing at all. Empty for a complete run. Reports show this at the top, and
/// the exit code is 2 unless the user accepted it (`--allow-incomplete`).
pub fn incompleteness(sources: &[SourceSummary], skipped: &[Skipped]) -> Vec<String> {
    let mut reasons: Vec<String> = skipped
        .iter()
        .filter(|s| s.incomplete)
        .map(|s| format!("{}: {}", s.path, s.reason))
        .collect();
    if sources.is_empty() {
        reasons.push("no input was read: nothing among the scanned paths is an export, a register, a repository or a text file".into());
    }
    reasons
}

/// Everything a scan produced.
pub struct ScanResult {
    pub evaluated_at: Timestamp,
    pub findings: Vec<Finding>,
    pub sources: Vec<SourceSummary>,
    pub skipped: Vec<Skipped>,
    pub inventory: Inventory,
    pub policy_errors: Vec<PolicyEvaluationError>,
    pub requests: usize,
    /// Rule codes that ran (for "pass" versus "not assessed" in compliance reports).
    pub rules_run: Vec<String>,
    /// Expired and stale suppressions, resolved baseline entries.
    pub triage: TriageReport,
    /// Counts of the inventory that reports show (kept apart from `inventory` so that a merged
    /// run, which has no inventory, reports the same).
    pub totals: Totals,
    /// What `merge` needs from a shard's run.
    pub shard: Option<ShardFacts>,
    /// What `--min-confidence` left out, when it was given.
    pub confidence_filter: Option<ConfidenceFilter>,
}

/// What `--min-confidence` (config `secrets.min_confidence`) left out of a run's findings: those
/// about secrets below the level. They are not reported and do not count for the exit code,
/// but reports say how many there were, so that nothing is hidden silently.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ConfidenceFilter {
    pub min: Confidence,
    /// Findings left out.
    pub filtered: usize,
}

impl ScanResult {
    /// Leaves out the findings whose confidence is below `min` and counts them. Findings without
    /// a confidence (facts read from exports, references to identities) always stay.
    ///
    /// Applied to a finished result: triage, the totals and a shard's facts have seen every
    /// finding, so a baselined finding below the level is not "resolved", a suppression that
    /// covers one is not stale, and residual access still counts it. The filter changes what is
    /// shown, never what was found, and fingerprints do not depend on it. Filtering again (a
    /// merge of filtered shards) keeps the higher level and adds the counts.
    pub fn filter_confidence(&mut self, min: Confidence) {
        let before = self.findings.len();
        self.findings
            .retain(|f| f.confidence.is_none_or(|level| level >= min));
        let filtered = before - self.findings.len();
        self.confidence_filter = Some(ConfidenceFilter::then(
            self.confidence_filter,
            min,
            filtered,
        ));
    }
}

impl ConfidenceFilter {
    /// A filter at `min` that left out `filtered` more findings, after `earlier` (a shard's):
    /// the higher level, and the counts added.
    pub fn then(earlier: Option<ConfidenceFilter>, min: Confidence, filtered: usize) -> Self {
        match earlier {
            Some(earlier) => ConfidenceFilter {
                min: earlier.min.max(min),
                filtered: earlier.filtered + filtered,
            },
            None => ConfidenceFilter { min, filtered },
        }
    }
}

/// Inventory counts shown in reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub identities: usize,
    pub registered_identities: usize,
    pub retired_identities: usize,
    /// Retired identities with at least one finding (sorted IDs): their access is residual.
    pub retired_with_findings: Vec<String>,
    pub credentials: usize,
    pub grants: usize,
    /// Identities whose retirement the register schedules after the evaluation time: active
    /// until then.
    pub scheduled_retirements: Vec<ScheduledRetirement>,
}

/// A retirement the register dates after the evaluation time.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct ScheduledRetirement {
    pub identity: String,
    /// RFC 3339.
    pub retires_at: String,
}

impl Totals {
    /// The counts of an inventory and the findings about it.
    pub fn of(inventory: &Inventory, findings: &[Finding]) -> Totals {
        Totals {
            identities: inventory.identities.len(),
            registered_identities: inventory.identities.iter().filter(|i| i.registered).count(),
            retired_identities: inventory
                .identities
                .iter()
                .filter(|i| i.lifecycle == Lifecycle::Retired)
                .count(),
            retired_with_findings: retired_with_findings(inventory, findings),
            credentials: inventory.records.credentials.len(),
            grants: inventory.records.grants.len(),
            scheduled_retirements: {
                let mut scheduled: Vec<ScheduledRetirement> = inventory
                    .identities
                    .iter()
                    .filter_map(|i| {
                        Some(ScheduledRetirement {
                            identity: i.id.clone(),
                            retires_at: crate::time::format_rfc3339(i.retires_at?),
                        })
                    })
                    .collect();
                scheduled.sort();
                scheduled
            },
        }
    }
}

impl Totals {
    /// The counts of one shard's part: the identities it owns (by ID) and their credentials
    /// and grants. The shard's inventory also holds every other identity (the register and the
    /// accounts are joined on every shard) and the credentials secrets name, which other shards
    /// count.
    pub fn of_share(
        inventory: &Inventory,
        findings: &[Finding],
        owns: impl Fn(&str) -> bool,
    ) -> Totals {
        let owned: Vec<bool> = inventory.identities.iter().map(|i| owns(&i.id)).collect();
        let is_owned = |idx: usize| owned.get(idx).copied().unwrap_or(false);
        let identities = || {
            inventory
                .identities
                .iter()
                .zip(&owned)
                .filter(|(_, owned)| **owned)
                .map(|(i, _)| i)
        };
        let whole = Totals::of(inventory, findings);
        Totals {
            identities: identities().count(),
            registered_identities: identities().filter(|i| i.registered).count(),
            retired_identities: identities()
                .filter(|i| i.lifecycle == Lifecycle::Retired)
                .count(),
            credentials: inventory
                .credential_holder
                .iter()
                .filter(|&&i| is_owned(i))
                .count(),
            grants: inventory
                .grant_holder
                .iter()
                .filter(|&&i| is_owned(i))
                .count(),
            scheduled_retirements: whole
                .scheduled_retirements
                .into_iter()
                .filter(|s| owns(&s.identity))
                .collect(),
            retired_with_findings: whole.retired_with_findings,
        }
    }
}

fn retired_with_findings(inventory: &Inventory, findings: &[Finding]) -> Vec<String> {
    let with_findings: BTreeSet<&str> = findings.iter().map(|f| f.identity.as_str()).collect();
    inventory
        .identities
        .iter()
        .filter(|i| i.lifecycle == Lifecycle::Retired)
        .filter(|i| with_findings.contains(i.id.as_str()))
        .map(|i| i.id.clone())
        .collect::<BTreeSet<String>>()
        .into_iter()
        .collect()
}
