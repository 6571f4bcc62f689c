//! What reports may show of a secret value: decided by the secret detectors where the value is
//! found (`sources::exposure::secrets::redact`), carried by exposure records to the reports.

use serde::{Deserialize, Serialize};

/// Why a value is withheld from reports.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum WithheldReason {
    /// Found by a password-class detector.
    PasswordClass,
    /// Under `MIN_SHOWN_BITS` of estimated entropy.
    LowEntropy,
    /// Secret material an export holds (`sources::leak`): whatever its shape, nothing derived
    /// from it is shown, since the export's type does not say whether it is a generated key or
    /// a chosen password (a Kubernetes `stringData` value, a database URL in a Vault log).
    InExport,
}

impl WithheldReason {
    pub fn as_str(self) -> &'static str {
        match self {
            WithheldReason::PasswordClass => "password-class",
            WithheldReason::LowEntropy => "low-entropy",
            WithheldReason::InExport => "in-export",
        }
    }

    /// What is withheld, as messages and labels say it: `password-class value`, `secret
    /// material in an export`.
    pub fn phrase(self) -> &'static str {
        match self {
            WithheldReason::PasswordClass => "password-class value",
            WithheldReason::LowEntropy => "low-entropy value",
            WithheldReason::InExport => "secret material in an export",
        }
    }
}

/// What reports may show of a secret value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Disclosure {
    /// A token with enough entropy (or an identifier, for references): its first characters
    /// and `…`; its plain SHA-256 is shown too.
    Preview(String),
    /// Nothing derived from the value without a key.
    Withheld(Withheld),
}

/// A withheld value: what identifies it without showing anything derived from it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Withheld {
    pub reason: WithheldReason,
    /// `HMAC-SHA-256(key, SHA-256(value))`, lower-case hex, when a key is configured.
    pub hmac_sha256: Option<String>,
    /// Where the value sits, for telling withheld values apart without a key: the name it is
    /// assigned to (`DB_PASSWORD`, an MCP header, a URL's user), numbered from the second time
    /// the same detector finds the same name in one file (`password#2`); empty when the
    /// detector has no name. For secret material in an export, the native ID the export names
    /// for it (an access key ID, a Secret's `NAMESPACE/NAME`). Never shown: only findings'
    /// fingerprints are made from it.
    pub slot: String,
}

impl Disclosure {
    /// How the text formats and `verify` name the value: the preview, `hmac-sha256:` and the
    /// first 16 hex digits of the keyed digest, or why it is withheld.
    pub fn label(&self) -> String {
        match self {
            Disclosure::Preview(preview) => preview.clone(),
            Disclosure::Withheld(Withheld {
                hmac_sha256: Some(keyed),
                ..
            }) => format!("hmac-sha256:{}", short_digest(keyed)),
            Disclosure::Withheld(withheld) => format!("(withheld: {})", withheld.reason.phrase()),
        }
    }
}

/// The first 16 hex digits (64 bits) of a digest, as messages show digests.
pub fn short_digest(hex: &str) -> &str {
    hex.get(..16).unwrap_or(hex)
}
