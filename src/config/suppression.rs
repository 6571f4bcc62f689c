//! Suppressions from `.deprov.yaml`: a rule plus what it applies to (an identity, a credential,
//! an evidence path glob or a finding fingerprint), a mandatory reason and an expiry date, as
//! the config declares them and checks them at load. Applying them to findings is `triage`'s:
//! an expired suppression stops suppressing and is reported; one that matches nothing is
//! reported as stale.

use jiff::Timestamp;
use serde::{Deserialize, Serialize};

use crate::time::{format_rfc3339, parse_field, TimeField};

/// One suppression as written in the config.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Suppression {
    pub rule: String,
    #[serde(default)]
    pub identity: Option<String>,
    #[serde(default)]
    pub credential: Option<String>,
    /// A glob over the finding's evidence path (`tests/fixtures/**`).
    #[serde(default)]
    pub path: Option<String>,
    /// A finding fingerprint (`id` in the JSON output).
    #[serde(default)]
    pub fingerprint: Option<String>,
    pub reason: String,
    /// A date or RFC 3339 instant after which the suppression no longer applies.
    pub expires: String,
    #[serde(skip)]
    expires_at: Option<Timestamp>,
    #[serde(skip)]
    path_glob: Option<globset::GlobMatcher>,
}

/// A suppression as reports list it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SuppressionReport {
    pub rule: String,
    pub target: String,
    pub reason: String,
    pub expires: String,
}

/// Why a suppression cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SuppressionProblem {
    /// Index in the config's list.
    pub index: usize,
    pub message: String,
}

impl Suppression {
    /// Checks the entry and prepares its matchers; every problem is returned.
    pub fn prepare(&mut self, index: usize) -> Vec<SuppressionProblem> {
        let mut problems = Vec::new();
        let mut problem = |message: String| problems.push(SuppressionProblem { index, message });
        if self.reason.trim().is_empty() {
            problem(format!(
                "suppression {} of {} has an empty reason",
                index + 1,
                self.rule
            ));
        }
        if self.identity.is_none()
            && self.credential.is_none()
            && self.path.is_none()
            && self.fingerprint.is_none()
        {
            problem(format!(
                "suppression {} of {} names no identity, credential, path or fingerprint (to turn a rule off, use `rules: {{{}: {{enabled: false}}}}`)",
                index + 1,
                self.rule,
                self.rule
            ));
        }
        match parse_field(&self.expires) {
            Ok(TimeField::At(at)) => self.expires_at = Some(at),
            _ => problem(format!(
                "suppression {} of {} has expires `{}`, which is not a date (every suppression must expire)",
                index + 1,
                self.rule,
                self.expires
            )),
        }
        if let Some(glob) = &self.path {
            match globset::Glob::new(glob) {
                Ok(glob) => self.path_glob = Some(glob.compile_matcher()),
                Err(e) => problem(format!(
                    "suppression {} has an invalid path glob: {e}",
                    index + 1
                )),
            }
        }
        problems
    }

    pub fn is_expired(&self, now: Timestamp) -> bool {
        self.expires_at.is_none_or(|at| at < now)
    }

    pub fn expires_text(&self) -> String {
        self.expires_at.map_or_else(
            || self.expires.clone(),
            |at| format_rfc3339(at)[..10].to_string(),
        )
    }

    /// Whether the path glob, when there is one, matches a finding's evidence path (which
    /// findings a suppression covers is decided in `triage`).
    pub fn covers_path(&self, path: &str) -> bool {
        self.path_glob.as_ref().is_none_or(|g| g.is_match(path))
    }

    pub fn report(&self) -> SuppressionReport {
        let target = [
            self.identity.as_ref().map(|i| format!("identity {i}")),
            self.credential.as_ref().map(|c| format!("credential {c}")),
            self.path.as_ref().map(|p| format!("path {p}")),
            self.fingerprint.as_ref().map(|f| format!("finding {f}")),
        ]
        .into_iter()
        .flatten()
        .collect::<Vec<_>>()
        .join(", ");
        SuppressionReport {
            rule: self.rule.clone(),
            target,
            reason: self.reason.clone(),
            expires: self.expires_text(),
        }
    }
}
