//! The finding: what one gap looks like in every output format, what reports may show of a
//! secret, whether it counts for the exit code, and the order reports list findings in.

use std::sync::Arc;

use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::inventory::{Confidence, Evidence};
use crate::severity::Severity;
use crate::sources::exposure::secrets::{Disclosure, WithheldReason};

/// One gap, as every output format shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Finding {
    /// Stable fingerprint: rule code, source family and subject; never a line number.
    pub id: String,
    /// Shared by every finding of the rule.
    pub rule: Arc<str>,
    pub severity: Severity,
    /// How sure the detectors are that a secret in a repository or file is one (`high`,
    /// `medium`, `low`). Absent for every other finding: those are facts read from exports,
    /// and references are exact identifiers; `--min-confidence` never hides them.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub confidence: Option<Confidence>,
    /// Shared by every finding of the rule (a million findings hold one copy).
    pub title: Arc<str>,
    pub message: String,
    /// The register ID when known, else the native ID.
    pub identity: String,
    /// Shared by every finding of the identity's subject.
    pub identity_aliases: Arc<[String]>,
    pub owner: Option<String>,
    /// Native credential ID (never secret material), when the finding is about a credential.
    pub credential: Option<String>,
    /// Shared by every finding in the system.
    pub system: Arc<str>,
    pub controls: Arc<[String]>,
    pub evidence: Evidence,
    pub remediation: Arc<str>,
    /// For secrets and references found in repositories and files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Box<SecretEvidence>>,
    /// New, baselined or suppressed: only new findings count for the exit code.
    #[serde(default)]
    pub status: FindingStatus,
    /// What suppressed it (the suppression's reason and expiry, or an inline allow).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed_by: Option<String>,
}

/// The identity of a finding about a secret nobody in the inventory accounts for.
pub const UNATTRIBUTED: &str = "(unattributed)";

/// What a finding about a repository or file exposure shows of the secret: never the value.
/// A token shows its preview and SHA-256; a withheld value (password class, low entropy) shows
/// neither, only why, and its keyed digest when the organisation configured a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SecretEvidence {
    pub detector: String,
    /// First four characters of the secret and an ellipsis (the identifier itself, for
    /// references); absent when withheld.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
    /// SHA-256 of the secret, lower-case hex; absent when withheld.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Why nothing derived from the value is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<WithheldReason>,
    /// `HMAC-SHA-256(key, SHA-256(value))` of a withheld value under the configured key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_commit: Option<String>,
    pub in_working_tree: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub agent_credential: bool,
    /// Found only in test-fixture paths (`tests/`, `testdata/`, `*_test.go`, …): a generic
    /// match there is one confidence step lower.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub test_fixture: bool,
    /// Rules an inline `deprov:allow` names; triage honours them unless the config refuses.
    #[serde(skip)]
    pub allowed_rules: Vec<String>,
}

impl SecretEvidence {
    pub(super) fn of(exposure: &crate::inventory::ExposureRecord) -> Self {
        let (preview, sha256, withheld, hmac_sha256) = match &exposure.disclosure {
            Disclosure::Preview(preview) => (
                Some(preview.clone()),
                Some(exposure.secret_sha256.clone()),
                None,
                None,
            ),
            Disclosure::Withheld(withheld) => (
                None,
                None,
                Some(withheld.reason),
                withheld.hmac_sha256.clone(),
            ),
        };
        SecretEvidence {
            detector: exposure.detector.clone(),
            preview,
            sha256,
            withheld,
            hmac_sha256,
            first_commit: exposure.first_commit.clone(),
            in_working_tree: exposure.in_working_tree,
            agent_credential: exposure.agent_credential,
            test_fixture: exposure.confidence.is_some_and(|c| c.test_fixture),
            allowed_rules: exposure.allowed_rules.clone(),
        }
    }
}

/// Whether a finding counts for the exit code.
#[derive(
    Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum FindingStatus {
    /// Reported and counted.
    #[default]
    New,
    /// Present in the baseline: reported, not counted.
    Baselined,
    /// Matched by a live suppression or an honoured inline allow: reported, not counted.
    Suppressed,
}

impl FindingStatus {
    pub fn counts(self) -> bool {
        self == FindingStatus::New
    }
}

/// Most severe first, then by rule, identity, system and credential; the fingerprint, then the
/// evidence and the message break ties. The order is total over what reports show, so an
/// unstable sort (which needs no buffer the size of the findings) is still deterministic.
pub fn sort(findings: &mut [Finding]) {
    findings.par_sort_unstable_by(compare);
}

/// The order reports list findings in ([`sort`]); `merge` relies on every shard's report being
/// in it.
pub fn compare(a: &Finding, b: &Finding) -> std::cmp::Ordering {
    b.severity
        .cmp(&a.severity)
        .then_with(|| a.rule.cmp(&b.rule))
        .then_with(|| a.identity.cmp(&b.identity))
        .then_with(|| a.system.cmp(&b.system))
        .then_with(|| a.credential.cmp(&b.credential))
        .then_with(|| a.id.cmp(&b.id))
        .then_with(|| a.evidence.cmp(&b.evidence))
        .then_with(|| a.message.cmp(&b.message))
}
