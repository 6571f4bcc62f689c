//! How sure deprov is that a repository match is a live secret: decided by the secret
//! detectors where the match is found (`sources::exposure::secrets::confidence`), carried by
//! exposure records to findings, shown by reports and filtered by `--min-confidence`.
//!
//! It lives with the records, below the sources that decide it and the findings and reports that
//! read it, like [`super::disclosure`].

use serde::{Deserialize, Serialize};

/// How sure a match is to be a secret, lowest first (so `>=` compares with a threshold).
///
/// - `high`: the format proves it, a vendor format with a checksum deprov verifies, or a key
///   pair (an AWS key ID with its secret beside it, a private key, a GCP key file's private key
///   with its key ID).
/// - `medium`: a vendor's token format without such proof, or a generic match whose value is
///   assigned to a credential's name and is strong (see the secrets' `confidence.rs`).
/// - `low`: any other generic match, an identifier found without its secret, and generic
///   matches in test fixtures.
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Confidence {
    Low,
    Medium,
    High,
}

impl Confidence {
    pub const ALL: [Confidence; 3] = [Confidence::High, Confidence::Medium, Confidence::Low];

    pub fn as_str(self) -> &'static str {
        match self {
            Confidence::Low => "low",
            Confidence::Medium => "medium",
            Confidence::High => "high",
        }
    }

    /// One step down, `low` staying `low`.
    pub fn lowered(self) -> Confidence {
        match self {
            Confidence::High => Confidence::Medium,
            Confidence::Medium | Confidence::Low => Confidence::Low,
        }
    }
}

impl std::fmt::Display for Confidence {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(self.as_str())
    }
}

/// What the detectors decided about one secret: its confidence, and whether it was found only
/// in test-fixture paths (`tests/`, `testdata/`, `*_test.go`, …). The flag is a fact about
/// where the secret is, shown whatever the level, so that a reader can tell why a generic match
/// is low, and that a vendor key sits in a fixture.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretConfidence {
    pub level: Confidence,
    pub test_fixture: bool,
}

impl SecretConfidence {
    /// The confidence of one secret found in several places (history and the working tree,
    /// several files): the highest of its occurrences (one occurrence outside a fixture makes
    /// it more than a fixture), and a test fixture only if every occurrence is in one.
    pub fn combine(self, other: SecretConfidence) -> SecretConfidence {
        SecretConfidence {
            level: self.level.max(other.level),
            test_fixture: self.test_fixture && other.test_fixture,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn levels_are_ordered_and_named_in_lower_case() {
        assert!(Confidence::Low < Confidence::Medium && Confidence::Medium < Confidence::High);
        assert_eq!(
            serde_json::to_string(&Confidence::Medium).unwrap(),
            "\"medium\""
        );
        assert_eq!(
            serde_json::from_str::<Confidence>("\"high\"").unwrap(),
            Confidence::High
        );
        for level in Confidence::ALL {
            assert_eq!(level.to_string(), level.as_str());
        }
        assert_eq!(Confidence::High.lowered(), Confidence::Medium);
        assert_eq!(Confidence::Low.lowered(), Confidence::Low);
    }

    #[test]
    fn occurrences_combine_to_the_highest_and_a_fixture_only_if_all_are() {
        let src = SecretConfidence {
            level: Confidence::Medium,
            test_fixture: false,
        };
        let fixture = SecretConfidence {
            level: Confidence::Low,
            test_fixture: true,
        };
        assert_eq!(fixture.combine(src), src);
        assert_eq!(src.combine(fixture), src);
        assert_eq!(fixture.combine(fixture), fixture);
    }
}
