//! What reports may show of a secret value, decided where the value is found and nowhere else.
//!
//! A report is read by more people than the secret's owners (CI logs, code-scanning alerts,
//! audit binders). Whatever it shows must not let a reader recover the secret offline. A
//! four-character preview and a plain SHA-256 are harmless for a generated token with well over
//! 64 bits left once the preview is known (nobody enumerates 2^64 SHA-256 inputs to confirm a
//! guess), but a password such as `Winter2024x` falls to a dictionary attack against its
//! SHA-256 in seconds, and its preview shortens the search. So a value is *withheld* (no
//! preview, no plain digest, no unkeyed function of it anywhere in a report, fingerprints
//! included) when either
//!
//! - its detector is of the password class (`class: password` in the detector YAML: generic
//!   assignments, URL passwords, `.env` values, MCP server credentials), whatever the value's
//!   entropy: people choose these values, and a random-looking one is still often a
//!   human-made pattern the estimate below overrates; or
//! - its estimated entropy, not counting what the preview would show, is under
//!   [`MIN_SHOWN_BITS`] (64 bits).
//!
//! When the organisation configures a key (`secrets.digest_key_env` in `.deprov.yaml`), a
//! withheld value is shown as `hmac-sha256:HEX`, the HMAC-SHA-256 under that key of the value's
//! SHA-256 (the value's digest rather than the value, so that private keys, which are hashed by
//! their DER encoding, are keyed the same way): equal values stay recognisable across reports,
//! and only holders of the key can test a guess.

use hmac::{Hmac, Mac};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

/// A value whose estimated entropy beyond its preview is below this is withheld.
pub const MIN_SHOWN_BITS: u32 = 64;

/// How a detector's values are judged for reports (`class:` in the detector YAML).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum SecretClass {
    /// A generated credential of a fixed random shape (vendor tokens, keys): its preview and
    /// SHA-256 are shown when it has at least [`MIN_SHOWN_BITS`] of estimated entropy beyond
    /// the preview.
    #[default]
    Token,
    /// A value people choose, or that can be anything (passwords, `.env` values, generic
    /// assignments): always withheld.
    Password,
}

pub use crate::inventory::disclosure::{short_digest, Disclosure, Withheld, WithheldReason};

/// What the scan keeps of a value where it finds it, before the detector's class is known:
/// its SHA-256, the preview it would have, and how much entropy is left beyond that preview.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Redacted {
    pub sha256: [u8; 32],
    preview: String,
    /// [`estimated_bits`] of the value without the characters the preview shows, rounded
    /// down (so `hidden_bits < MIN_SHOWN_BITS` exactly when the estimate is under it).
    hidden_bits: u32,
}

impl Redacted {
    /// Hashes `value` and keeps its first characters. Short values show fewer characters, so
    /// that a preview never shows half of a secret.
    pub fn of(value: &[u8]) -> Redacted {
        Redacted::with_preview_of(value, value)
    }

    /// The hash of one value with the preview of another: a private key is hashed by its DER
    /// encoding (the same key hashes alike in a `.pem` file and inside JSON) and previewed and
    /// judged by its base64 text.
    pub fn with_preview_of(hashed: &[u8], shown: &[u8]) -> Redacted {
        let preview = preview(shown);
        // The preview's characters, less the ellipsis, are the first bytes of `shown` (or
        // replacement characters standing for invalid ones: no more bytes than that).
        let previewed_bytes = preview
            .strip_suffix('…')
            .map_or(0, |p| p.len())
            .min(shown.len());
        let hidden = estimated_bits(shown) * (shown.len() - previewed_bytes) as f64
            / shown.len().max(1) as f64;
        Redacted {
            sha256: Sha256::digest(hashed).into(),
            // A float-to-integer `as` saturates; the estimate is finite and non-negative.
            hidden_bits: hidden.floor() as u32,
            preview,
        }
    }

    pub fn sha256_hex(&self) -> String {
        hex::encode(self.sha256)
    }

    /// Whether the value has the entropy of a generated token: at least [`MIN_SHOWN_BITS`]
    /// beyond its preview, the floor under which even a token is withheld as low-entropy. What
    /// `confidence.rs` calls a strong value.
    pub fn clears_token_floor(&self) -> bool {
        self.hidden_bits >= MIN_SHOWN_BITS
    }

    /// What reports may show, for a value of a detector of `class`, keyed with `key` when one
    /// is configured; `slot` locates a withheld value (see [`Withheld::slot`]).
    pub fn disclose(
        &self,
        class: SecretClass,
        key: Option<&DigestKey>,
        slot: String,
    ) -> Disclosure {
        let reason = match class {
            SecretClass::Password => WithheldReason::PasswordClass,
            SecretClass::Token if self.hidden_bits < MIN_SHOWN_BITS => WithheldReason::LowEntropy,
            SecretClass::Token => return Disclosure::Preview(self.preview.clone()),
        };
        Disclosure::Withheld(Withheld {
            reason,
            hmac_sha256: key.map(|key| key.digest(&self.sha256)),
            slot,
        })
    }

    /// What reports show of an identifier a detector reports without its secret (an AWS
    /// access key ID): it is not secret material, so its preview and SHA-256 are shown.
    pub fn disclose_identifier(&self) -> Disclosure {
        Disclosure::Preview(self.preview.clone())
    }

    #[cfg(test)]
    pub fn preview(&self) -> &str {
        &self.preview
    }
}

const PREVIEW_CHARS: usize = 4;

fn preview(value: &[u8]) -> String {
    // Decoding only a prefix keeps this cheap for long keys; 4 characters are at most 16 bytes.
    let head = &value[..value.len().min(PREVIEW_CHARS * 4)];
    let total_chars = String::from_utf8_lossy(value).chars().count();
    let shown = PREVIEW_CHARS.min(total_chars / 2);
    let mut preview: String = String::from_utf8_lossy(head).chars().take(shown).collect();
    preview.push('…');
    preview
}

/// Estimated entropy of `value` in bits: its length in bytes times the smaller of
///
/// - the bits per character of the character classes it uses (lower-case letters 26, upper-case
///   26, digits 10, ASCII punctuation and space 33, any other byte 128), what a random string
///   over those classes would have; and
/// - its Shannon entropy in bits per byte, which a value with repeated characters lowers.
///
/// Both are ceilings for a value drawn at random and overrate anything a person chose
/// (`Winter2024x` estimates at 36 bits, where a dictionary attack needs far fewer); that is why
/// password-class detectors withhold their values whatever this says. Errors go towards
/// withholding: a value of 16 bytes or fewer never reaches 64 bits, since Shannon entropy over
/// n bytes is at most log2(n) per byte.
pub fn estimated_bits(value: &[u8]) -> f64 {
    if value.is_empty() {
        return 0.0;
    }
    let (mut lower, mut upper, mut digit, mut punct, mut other) =
        (false, false, false, false, false);
    for &b in value {
        match b {
            b'a'..=b'z' => lower = true,
            b'A'..=b'Z' => upper = true,
            b'0'..=b'9' => digit = true,
            b' '..=b'~' => punct = true,
            _ => other = true,
        }
    }
    let pool: u32 = [
        (lower, 26),
        (upper, 26),
        (digit, 10),
        (punct, 33),
        (other, 128),
    ]
    .iter()
    .filter(|(used, _)| *used)
    .map(|(_, size)| size)
    .sum();
    let per_byte = f64::from(pool)
        .log2()
        .min(super::values::shannon_entropy(value));
    per_byte * value.len() as f64
}

/// The organisation's key for keyed digests of withheld values (never shown, never logged).
pub struct DigestKey(Zeroizing<Vec<u8>>);

/// Why a digest key was refused.
#[derive(Debug, Clone, PartialEq)]
pub enum WeakKey {
    TooShort { bytes: usize },
    LowEntropy { bits: f64 },
}

impl std::fmt::Display for WeakKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            WeakKey::TooShort { bytes } => write!(
                f,
                "it has {bytes} byte(s); a key needs at least {} bytes",
                DigestKey::MIN_BYTES
            ),
            WeakKey::LowEntropy { bits } => write!(
                f,
                "it has an estimated {bits:.0} bits of entropy; a key needs at least {:.0}",
                DigestKey::MIN_BITS
            ),
        }
    }
}

impl DigestKey {
    /// HMAC-SHA-256 keys shorter than the hash's output weaken it (RFC 2104, section 3).
    pub const MIN_BYTES: usize = 32;
    /// A key must not itself be guessable; `openssl rand -hex 32` gives about 250.
    pub const MIN_BITS: f64 = 128.0;

    /// The key's bytes as the environment variable holds them (no decoding: a hex or base64
    /// text is used as text).
    pub fn new(bytes: Vec<u8>) -> Result<DigestKey, WeakKey> {
        let bytes = Zeroizing::new(bytes);
        if bytes.len() < Self::MIN_BYTES {
            return Err(WeakKey::TooShort { bytes: bytes.len() });
        }
        let bits = estimated_bits(&bytes);
        if bits < Self::MIN_BITS {
            return Err(WeakKey::LowEntropy { bits });
        }
        Ok(DigestKey(bytes))
    }

    /// `HMAC-SHA-256(key, sha256)` in lower-case hex.
    pub fn digest(&self, sha256: &[u8; 32]) -> String {
        // HMAC takes a key of any length; the error case cannot happen.
        let Ok(mut mac) = Hmac::<Sha256>::new_from_slice(&self.0) else {
            return String::new();
        };
        mac.update(sha256);
        hex::encode(mac.finalize().into_bytes())
    }
}

impl std::fmt::Debug for DigestKey {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("DigestKey(…)")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const KEY: &[u8] = b"3f9c1e7a5b2d8f4c6e0a9b1d7f3e5c2a8b4d6f0e1c3a5b7d9f2e4c6a8b0d1f3e";

    #[test]
    fn previews_show_four_characters_and_never_half_a_secret() {
        assert_eq!(Redacted::of(b"abcdefghijkl").preview(), "abcd…");
        assert_eq!(Redacted::of(b"abcdef").preview(), "abc…");
        assert_eq!(Redacted::of(b"ab").preview(), "a…");
        assert_eq!(Redacted::of(b"").preview(), "…");
        assert_eq!(Redacted::of("ééééééééé".as_bytes()).preview(), "éééé…");
        assert_eq!(
            Redacted::of(b"\xff\xfe\xfd\xfc\xfb\xfa\xf9\xf8")
                .preview()
                .chars()
                .count(),
            5
        );
        assert_eq!(
            Redacted::of(b"abc").sha256_hex(),
            "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
        );
    }

    #[test]
    fn the_estimate_is_capped_by_character_classes_and_by_shannon() {
        assert_eq!(estimated_bits(b""), 0.0);
        assert_eq!(estimated_bits(b"aaaaaaaaaaaaaaaaaaaaaaaa"), 0.0);
        // 16 distinct hex digits: Shannon says 4 bits each, the classes (36) say more.
        assert!((estimated_bits(b"0123456789abcdef") - 64.0).abs() < 1e-9);
        // A human password: 11 characters over 62, but repeats make Shannon the ceiling.
        let winter = estimated_bits(b"Winter2024x");
        assert!(winter > 30.0 && winter < 40.0, "{winter}");
        // A 40-character AWS secret is far above the floor (179 bits).
        assert!(estimated_bits(b"wkEJ3PEVVIPcP4Y7p4tD14z4gzM/jppZxO4z7Kdc") > 170.0);
        // Digits only: log2(10) per character is the ceiling.
        let digits = estimated_bits(b"73914062851739406285");
        assert!(digits <= 20.0 * 10f64.log2() + 1e-9, "{digits}");
    }

    #[test]
    fn tokens_are_shown_and_passwords_and_weak_values_withheld() {
        // Spliced, so that no scanner finds a token in this file.
        let token =
            Redacted::of(concat!("gh", "p_4gfnvE0rGRV3XM4Z4U2htVAZDVxGm5frKvHx").as_bytes());
        assert_eq!(
            token.disclose(SecretClass::Token, None, String::new()),
            Disclosure::Preview(concat!("gh", "p_…").into())
        );
        let password = Redacted::of(b"q8Zr2LmT5vXw9KpN3bYc");
        let Disclosure::Withheld(withheld) =
            password.disclose(SecretClass::Password, None, "DB_PASSWORD".into())
        else {
            panic!("a password-class value is withheld");
        };
        assert_eq!(withheld.reason, WithheldReason::PasswordClass);
        assert_eq!(withheld.hmac_sha256, None);
        assert_eq!(withheld.slot, "DB_PASSWORD");
        // A token-class value whose part beyond the preview has under 64 bits.
        let short = Redacted::of(b"xoxb-1234567890");
        assert!(matches!(
            short.disclose(SecretClass::Token, None, String::new()),
            Disclosure::Withheld(Withheld {
                reason: WithheldReason::LowEntropy,
                ..
            })
        ));
        // 17 distinct characters: 68 bits in all, but the preview would leave under 64.
        let edge = Redacted::of(b"Ab3dEf6hIj9lMn2pQ");
        assert!(matches!(
            edge.disclose(SecretClass::Token, None, String::new()),
            Disclosure::Withheld(_)
        ));
    }

    #[test]
    fn the_keyed_digest_is_hmac_sha256_of_the_values_sha256() {
        let key = DigestKey::new(KEY.to_vec()).unwrap();
        let value = b"Winter2024x";
        let Disclosure::Withheld(withheld) =
            Redacted::of(value).disclose(SecretClass::Password, Some(&key), String::new())
        else {
            panic!("withheld");
        };
        let mut mac = Hmac::<Sha256>::new_from_slice(KEY).unwrap();
        mac.update(&Sha256::digest(value));
        let expected = hex::encode(mac.finalize().into_bytes());
        assert_eq!(withheld.hmac_sha256.as_deref(), Some(expected.as_str()));
        assert_ne!(expected, hex::encode(Sha256::digest(value)));
        assert_eq!(
            Disclosure::Withheld(withheld).label(),
            format!("hmac-sha256:{}", &expected[..16])
        );
        assert_eq!(format!("{key:?}"), "DigestKey(…)");
    }

    #[test]
    fn weak_keys_are_refused() {
        assert_eq!(
            DigestKey::new(b"short".to_vec()).unwrap_err(),
            WeakKey::TooShort { bytes: 5 }
        );
        assert!(matches!(
            DigestKey::new(vec![b'a'; 64]).unwrap_err(),
            WeakKey::LowEntropy { .. }
        ));
        assert!(DigestKey::new(KEY.to_vec()).is_ok());
    }
}
