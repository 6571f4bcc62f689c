//! Triage of findings after evaluation: baselines (accepted findings of an earlier run) and
//! suppressions (reviewed exceptions with a reason and an expiry) mark findings instead of
//! deleting them, so that every output still shows them and only new ones drive the exit code.
//! Both bind to a finding's content fingerprint and subject, never to a line position.

mod baseline;

pub use baseline::{Baseline, BaselineEntry, BaselineError, BASELINE_FILE};

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::config::{Suppression, SuppressionReport};
use crate::findings::{Finding, FindingStatus};

/// What triage found about the suppressions themselves.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct TriageReport {
    /// Suppressions past their expiry: they no longer suppress anything.
    pub expired: Vec<SuppressionReport>,
    /// Live suppressions that matched no finding.
    pub stale: Vec<SuppressionReport>,
    /// Findings in the baseline that this run no longer produces.
    pub baseline_resolved: usize,
}

impl TriageReport {
    pub fn is_empty(&self) -> bool {
        self.expired.is_empty() && self.stale.is_empty()
    }
}

/// Marks findings as baselined or suppressed.
pub fn apply(
    findings: &mut [Finding],
    suppressions: &[Suppression],
    honour_inline_allows: bool,
    baseline: Option<&Baseline>,
    now: Timestamp,
) -> TriageReport {
    let mut report = TriageReport::default();
    let mut used = vec![false; suppressions.len()];
    for finding in findings.iter_mut() {
        if honour_inline_allows {
            let allowed = finding
                .secret
                .as_ref()
                .is_some_and(|s| s.allowed_rules.iter().any(|r| **r == *finding.rule));
            if allowed {
                finding.status = FindingStatus::Suppressed;
                finding.suppressed_by = Some("inline `deprov:allow` comment".into());
                continue;
            }
        }
        if let Some((i, suppression)) = suppressions
            .iter()
            .enumerate()
            .find(|(_, s)| !s.is_expired(now) && suppresses(s, finding))
        {
            used[i] = true;
            finding.status = FindingStatus::Suppressed;
            finding.suppressed_by = Some(format!(
                "{} (until {})",
                suppression.reason,
                suppression.expires_text()
            ));
            continue;
        }
        if baseline.is_some_and(|b| b.contains(&finding.id)) {
            finding.status = FindingStatus::Baselined;
        }
    }
    for (suppression, used) in suppressions.iter().zip(used) {
        if suppression.is_expired(now) {
            report.expired.push(suppression.report());
        } else if !used {
            report.stale.push(suppression.report());
        }
    }
    if let Some(baseline) = baseline {
        let current: std::collections::HashSet<&str> =
            findings.iter().map(|f| f.id.as_str()).collect();
        report.baseline_resolved = baseline
            .entries
            .iter()
            .filter(|e| !current.contains(e.id.as_str()))
            .count();
    }
    report
}

/// Whether a suppression covers a finding: all the selectors it names must match (a rule and an
/// identity, say).
fn suppresses(suppression: &Suppression, finding: &Finding) -> bool {
    *finding.rule == *suppression.rule
        && suppression.identity.as_ref().is_none_or(|i| {
            i == &finding.identity || finding.identity_aliases.iter().any(|a| a == i)
        })
        && suppression
            .credential
            .as_ref()
            .is_none_or(|c| finding.credential.as_deref() == Some(c.as_str()))
        && suppression.covers_path(&finding.evidence.path)
        && suppression
            .fingerprint
            .as_ref()
            .is_none_or(|f| f == &finding.id)
}
