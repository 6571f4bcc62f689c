//! Secret material inside an export: a `create-access-key` response's `SecretAccessKey`, an
//! Entra `addPassword` response's `secretText`, a GCP `keys.create` response's
//! `privateKeyData`, a Kubernetes Secret's `data`, a Vault token or secret ID written in plain.
//! An export that holds a live secret is a leak where it is stored, whoever may read the
//! directory, the CI artifact or the backup it sits in. Each such secret becomes one exposure
//! record about the export itself, judged by the same `expose` rules as a repository's secrets
//! (DPV004 for a retired identity's, LEAK002 for an active identity's, LEAK001 for nobody's),
//! and carrying the native IDs the export names for it, never the value.
//!
//! The value never outlives deserialization: [`SecretField`] reads a string, decides whether it
//! is live secret material ([`is_live`]), keeps its SHA-256 and lets the text go. The digest
//! stays in memory, to tell one secret found in two exports from two secrets; reports show
//! nothing derived from the value ([`WithheldReason::InExport`]), not even a preview or a digest,
//! since an export's type does not say whether its secret is a generated key or a chosen
//! password (a Kubernetes `stringData` value, a database URL in a Vault log). With the
//! organisation's digest key, its keyed digest is shown, as for every withheld value.
//!
//! Not secret material: an absent, `null` or empty field; a Vault `hmac-sha256:…` value (the
//! audit device's own hash); a mask or redaction marker (`***`, `xxxx`, `<redacted>`,
//! `[REDACTED]`, `REDACTED`); a template (`${SECRET}`, `{{password}}`).

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, SeqAccess, Visitor};
use serde::Deserialize;
use sha2::{Digest, Sha256};
use zeroize::Zeroizing;

use crate::inventory::disclosure::{Disclosure, Withheld, WithheldReason};
use crate::inventory::{
    Confidence, Evidence, ExposureKind, ExposureRecord, SecretConfidence, SystemRef,
};
use crate::sources::exposure::secrets::DigestKey;

/// Prefix of every value a Vault audit device hashes.
pub const HMAC_PREFIX: &str = "hmac-sha256:";

/// Whether a field's text is live secret material (see the module documentation for what is
/// not).
pub fn is_live(value: &str) -> bool {
    let value = value.trim();
    !value.is_empty()
        && !value
            .get(..HMAC_PREFIX.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(HMAC_PREFIX))
        && !is_placeholder(value)
}

/// A mask, a redaction marker or a template: text that stands where a secret was.
fn is_placeholder(value: &str) -> bool {
    // Masks: nothing but masking characters (`****`, `xxxxxxxx`, `••••`, `...`).
    if value.chars().all(|c| {
        matches!(
            c,
            '*' | 'x' | 'X' | '•' | '●' | '.' | '#' | '-' | '_' | '?' | '…'
        )
    }) {
        return true;
    }
    // Templates the secret is filled into later.
    if (value.starts_with("${") || value.starts_with("{{")) && value.ends_with('}') {
        return true;
    }
    let word = value
        .trim_matches(|c: char| "<>[]()*\"' ".contains(c))
        .to_ascii_lowercase();
    word.contains("redacted")
        || matches!(
            word.as_str(),
            "hidden"
                | "masked"
                | "removed"
                | "omitted"
                | "scrubbed"
                | "filtered"
                | "censored"
                | "sensitive"
                | "sensitive value"
                | "secret"
                | "none"
                | "null"
                | "nil"
                | "n/a"
                | "undefined"
        )
}

/// What is kept of a field that may hold a secret: the SHA-256 of a live value, else nothing.
/// It reads any JSON value: a value of another type than a string (a number, an object) is not
/// secret material deprov recognises and reads as absent, so that no error message ever quotes
/// a field that may hold a secret.
#[derive(Clone, Copy, Default, PartialEq, Eq)]
pub struct SecretField(Option<[u8; 32]>);

impl SecretField {
    /// The field's text, judged and hashed.
    pub fn of(value: &str) -> SecretField {
        SecretField(is_live(value).then(|| Sha256::digest(value.as_bytes()).into()))
    }

    /// The SHA-256 of the live secret the field holds.
    pub fn live(&self) -> Option<&[u8; 32]> {
        self.0.as_ref()
    }
}

/// Never the digest: a plain SHA-256 of a weak secret is as good as the secret to whoever can
/// guess it, and `Debug` output ends up in logs.
impl fmt::Debug for SecretField {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(if self.0.is_some() {
            "SecretField(live)"
        } else {
            "SecretField(none)"
        })
    }
}

impl<'de> Deserialize<'de> for SecretField {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(AnyValue(SecretField::of))
    }
}

/// Reads any JSON value, hands a string to `judge` and reads everything else as absent,
/// consuming it without keeping it and without quoting it in an error.
struct AnyValue<F>(F);

impl<'de, T: Default, F: FnOnce(&str) -> T> Visitor<'de> for AnyValue<F> {
    type Value = T;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_str<E: de::Error>(self, value: &str) -> Result<T, E> {
        Ok((self.0)(value))
    }

    fn visit_string<E: de::Error>(self, value: String) -> Result<T, E> {
        let value = Zeroizing::new(value);
        Ok((self.0)(&value))
    }

    fn visit_none<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<T, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<T, E> {
        Ok(T::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<T, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(T::default())
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<T, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(T::default())
    }
}

/// The live entries of a string map that may hold secrets (a Kubernetes Secret's `data` or
/// `stringData`): each key with the SHA-256 of its value. Keys are kept because whether an
/// entry is secret depends on the object's type, which may come later in the document.
#[derive(Clone, Default, PartialEq, Eq)]
pub struct SecretMap(pub Vec<(String, [u8; 32])>);

impl fmt::Debug for SecretMap {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_list()
            .entries(self.0.iter().map(|(key, _)| key))
            .finish()
    }
}

impl SecretMap {
    /// Reads a map whose values are base64 (a Kubernetes Secret's `data`): a value that does not
    /// decode (`REPLACE_WITH_BASE64_KEY` in a hand-written manifest: the API server only ever
    /// returns base64), decodes to nothing, or decodes to a placeholder is not secret material.
    pub fn base64<'de, D: Deserializer<'de>>(deserializer: D) -> Result<SecretMap, D::Error> {
        deserializer.deserialize_any(AnyMap { base64: true })
    }

    /// Reads a map whose values are the secrets themselves (`stringData`).
    pub fn plain<'de, D: Deserializer<'de>>(deserializer: D) -> Result<SecretMap, D::Error> {
        deserializer.deserialize_any(AnyMap { base64: false })
    }

    /// One digest of the entries `keep` accepts, in key order: the same data in two exports
    /// is one secret. `None` when no entry is kept.
    pub fn digest(&self, keep: impl Fn(&str) -> bool) -> Option<[u8; 32]> {
        let kept: BTreeMap<&str, &[u8; 32]> = self
            .0
            .iter()
            .filter(|(key, _)| keep(key))
            .map(|(key, digest)| (key.as_str(), digest))
            .collect();
        if kept.is_empty() {
            return None;
        }
        let mut hasher = Sha256::new();
        for (key, digest) in kept {
            hasher.update(key.as_bytes());
            hasher.update([0]);
            hasher.update(digest);
        }
        Some(hasher.finalize().into())
    }
}

/// Judges a base64 value by what it decodes to.
fn judge_base64(value: &str) -> SecretField {
    use base64::Engine;
    let compact: Zeroizing<String> =
        Zeroizing::new(value.chars().filter(|c| !c.is_whitespace()).collect());
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(compact.as_bytes()) else {
        return SecretField::default();
    };
    let decoded = Zeroizing::new(decoded);
    let live = match std::str::from_utf8(&decoded) {
        Ok(text) => is_live(text),
        Err(_) => !decoded.is_empty(),
    };
    SecretField(live.then(|| Sha256::digest(compact.as_bytes()).into()))
}

struct AnyMap {
    base64: bool,
}

impl<'de> Visitor<'de> for AnyMap {
    type Value = SecretMap;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("any value")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<SecretMap, A::Error> {
        let mut entries = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            let base64 = self.base64;
            let field: SecretField = map.next_value_seed(ValueSeed(move |value: &str| {
                if base64 {
                    judge_base64(value)
                } else {
                    SecretField::of(value)
                }
            }))?;
            if let Some(digest) = field.live() {
                entries.push((key, *digest));
            }
        }
        Ok(SecretMap(entries))
    }

    // Anything but a map (`data: 7`, `null`) holds no entry.
    fn visit_none<E: de::Error>(self) -> Result<SecretMap, E> {
        Ok(SecretMap::default())
    }

    fn visit_unit<E: de::Error>(self) -> Result<SecretMap, E> {
        Ok(SecretMap::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<SecretMap, D::Error> {
        deserializer.deserialize_any(self)
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<SecretMap, E> {
        Ok(SecretMap::default())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<SecretMap, E> {
        Ok(SecretMap::default())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<SecretMap, E> {
        Ok(SecretMap::default())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<SecretMap, E> {
        Ok(SecretMap::default())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<SecretMap, E> {
        Ok(SecretMap::default())
    }

    fn visit_seq<A: SeqAccess<'de>>(self, mut seq: A) -> Result<SecretMap, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(SecretMap::default())
    }
}

/// A map value judged by a function, whatever its type.
struct ValueSeed<F>(F);

impl<'de, F: FnOnce(&str) -> SecretField> de::DeserializeSeed<'de> for ValueSeed<F> {
    type Value = SecretField;

    fn deserialize<D: Deserializer<'de>>(self, deserializer: D) -> Result<SecretField, D::Error> {
        deserializer.deserialize_any(AnyValue(self.0))
    }
}

/// The 1-based line of a byte offset.
pub fn line_at(bytes: &[u8], offset: usize) -> u32 {
    let before = bytes.get(..offset).unwrap_or(bytes);
    u32::try_from(memchr::memchr_iter(b'\n', before).count())
        .unwrap_or(u32::MAX - 1)
        .saturating_add(1)
}

/// Lines of increasing offsets in one text, counted once: finding the lines of a thousand
/// Secrets of one list costs one pass over it, not one per Secret.
pub struct LineCursor<'a> {
    bytes: &'a [u8],
    offset: usize,
    line: u32,
}

impl<'a> LineCursor<'a> {
    pub fn new(bytes: &'a [u8]) -> Self {
        LineCursor {
            bytes,
            offset: 0,
            line: 1,
        }
    }

    /// The 1-based line of `offset`; an offset before the last one is counted from the start.
    pub fn line_at(&mut self, offset: usize) -> u32 {
        let offset = offset.min(self.bytes.len());
        if offset < self.offset {
            (self.offset, self.line) = (0, 1);
        }
        let newlines = memchr::memchr_iter(b'\n', &self.bytes[self.offset..offset]).count();
        self.line = self
            .line
            .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
        self.offset = offset;
        self.line
    }
}

/// The line of the first occurrence of `needle` (a quoted key such as `"SecretAccessKey"`), so
/// that a finding names the line of the secret in a one-object export.
pub fn line_of(bytes: &[u8], needle: &str) -> Option<u32> {
    memchr::memmem::find(bytes, needle.as_bytes()).map(|at| line_at(bytes, at))
}

/// The offset of the first of `keys` written as a key of the outermost object of `json` (one
/// JSON object's text): strings, escapes and nesting are followed, so a key of a nested object
/// or a value that reads like a key is not taken for it. Linear in the text.
pub fn top_level_key(json: &[u8], keys: &[&str]) -> Option<usize> {
    let (mut depth, mut i) = (0usize, 0usize);
    while i < json.len() {
        match json[i] {
            b'{' | b'[' => depth += 1,
            b'}' | b']' => depth = depth.saturating_sub(1),
            b'"' => {
                let start = i;
                i += 1;
                while i < json.len() && json[i] != b'"' {
                    i += if json[i] == b'\\' { 2 } else { 1 };
                }
                let text = json.get(start + 1..i.min(json.len()))?;
                if depth == 1 && keys.iter().any(|k| k.as_bytes() == text) {
                    let after = json.get(i + 1..)?;
                    let colon = after.iter().find(|b| !b.is_ascii_whitespace());
                    if colon == Some(&b':') {
                        return Some(start);
                    }
                }
            }
            _ => {}
        }
        i += 1;
    }
    None
}

/// One secret an export holds, as a family reports it (see [`crate::sources::Assembly::expose`]).
#[derive(Debug, Clone)]
pub struct ExportSecret {
    /// The system of the credential or identity the export names (`aws:ACCOUNT`,
    /// `kubernetes:cluster`).
    pub system: SystemRef,
    /// A stable name of the kind of secret (`export/aws-secret-access-key`), as findings show
    /// it in `secret.detector`.
    pub detector: &'static str,
    /// What the secret is, in words, for the finding's message.
    pub description: String,
    /// The native IDs the export names for it, in the inventory's forms: the credential's ID
    /// first (so that the exposure joins the credential and takes its status), then its holder.
    pub carries: Vec<String>,
    /// The native ID that identifies the secret across runs (its findings' fingerprint), never
    /// the export's path: an access key ID, a key ID, `NAMESPACE/NAME`, a Vault accessor.
    pub slot: String,
    pub sha256: [u8; 32],
    /// The export and where in it (a line, or a text to find).
    pub evidence: Evidence,
}

impl ExportSecret {
    /// The exposure record: withheld, present now (an export is its own working tree).
    pub fn into_exposure(self) -> ExposureRecord {
        ExposureRecord {
            system: self.system,
            kind: ExposureKind::Secret,
            detector: self.detector.to_string(),
            description: self.description,
            carries: self.carries,
            secret_sha256: hex::encode(self.sha256),
            disclosure: Disclosure::Withheld(Withheld {
                reason: WithheldReason::InExport,
                hmac_sha256: None,
                slot: self.slot,
            }),
            in_working_tree: true,
            first_commit: None,
            agent_credential: false,
            allowed_rules: Vec::new(),
            // The export names the field a secret: no guess about what the value is.
            confidence: Some(SecretConfidence {
                level: Confidence::High,
                test_fixture: false,
            }),
            evidence: self.evidence,
        }
    }
}

/// Joins the secrets every family found: one exposure per secret (system, detector and value),
/// cited at the first export met that holds it (files are met in an order that follows their
/// content, so the citation does not depend on file names), its detail naming how many other
/// exports hold it too (each is a copy to delete).
pub fn merge(mut exposures: Vec<ExposureRecord>) -> Vec<ExposureRecord> {
    // Stable: among copies of one secret, the first met stays first, and files reach the
    // families in an order that follows their content, not their names.
    exposures.sort_by(|a, b| {
        (&a.system, &a.detector, &a.secret_sha256).cmp(&(&b.system, &b.detector, &b.secret_sha256))
    });
    let mut merged: Vec<(ExposureRecord, Vec<String>)> = Vec::with_capacity(exposures.len());
    for exposure in exposures {
        match merged.last_mut() {
            Some((kept, others))
                if kept.system == exposure.system
                    && kept.detector == exposure.detector
                    && kept.secret_sha256 == exposure.secret_sha256 =>
            {
                if exposure.evidence.path != kept.evidence.path
                    && !others.iter().any(|o| **o == *exposure.evidence.path)
                {
                    others.push(exposure.evidence.path.to_string());
                }
                for carried in exposure.carries {
                    if !kept.carries.contains(&carried) {
                        kept.carries.push(carried);
                    }
                }
            }
            _ => merged.push((exposure, Vec::new())),
        }
    }
    merged
        .into_iter()
        .map(|(mut exposure, others)| {
            match others.len() {
                0 => {}
                1 => exposure
                    .evidence
                    .detail
                    .push_str(&format!("; also in {}", others[0])),
                n => exposure.evidence.detail.push_str(&format!(
                    "; also in {} and {} other export(s)",
                    others[0],
                    n - 1
                )),
            }
            exposure
        })
        .collect()
}

/// Gives secret material in exports the organisation's keyed digest, when a key is configured:
/// the keyed digest is then what reports show of them and what their findings are identified
/// by, as for every withheld value.
pub fn key_digests(exposures: &mut [ExposureRecord], key: Option<&DigestKey>) {
    let Some(key) = key else {
        return;
    };
    for exposure in exposures {
        let Disclosure::Withheld(withheld) = &mut exposure.disclosure else {
            continue;
        };
        if withheld.reason != WithheldReason::InExport || withheld.hmac_sha256.is_some() {
            continue;
        }
        let mut digest = [0u8; 32];
        if hex::decode_to_slice(&exposure.secret_sha256, &mut digest).is_ok() {
            withheld.hmac_sha256 = Some(key.digest(&digest));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn live_values_are_told_from_placeholders() {
        for live in [
            "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzEXAMPLEKEY",
            "t0p-Secret",
            "x1",
            "5b1a0318-679c-9c45-e5c6-d1b9a9035d49",
            "hvs.CAESIJ",
        ] {
            assert!(is_live(live), "{live}");
        }
        for placeholder in [
            "",
            "  ",
            "***",
            "xxxxxxxx",
            "XXXX-XXXX",
            "<redacted>",
            "[REDACTED]",
            "REDACTED",
            "**REDACTED**",
            "(sensitive value)",
            "${AWS_SECRET_ACCESS_KEY}",
            "{{password}}",
            "hmac-sha256:4813494d137e1631bba301d5acab6e7b",
            "HMAC-SHA256:abc",
            "null",
            "••••••",
        ] {
            assert!(!is_live(placeholder), "{placeholder}");
        }
    }

    #[test]
    fn a_field_keeps_only_a_digest_and_reads_any_type() {
        #[derive(Deserialize, Debug)]
        struct Response {
            #[serde(default)]
            secret: SecretField,
        }
        let read = |json: &str| serde_json::from_str::<Response>(json).unwrap().secret;
        let live = read(r#"{"secret": "Qx7~planted"}"#);
        assert_eq!(
            live.live().map(hex::encode).as_deref(),
            Some(hex::encode(Sha256::digest(b"Qx7~planted")).as_str())
        );
        assert_eq!(format!("{live:?}"), "SecretField(live)");
        // Escaped text is read as what it says.
        assert_eq!(read(r#"{"secret": "Qx7~pl\u0061nted"}"#), live);
        for absent in [
            r#"{"secret": null}"#,
            r#"{}"#,
            r#"{"secret": "***"}"#,
            r#"{"secret": 12345678}"#,
            r#"{"secret": {"nested": "Qx7~planted"}}"#,
            r#"{"secret": ["Qx7~planted"]}"#,
            r#"{"secret": true}"#,
        ] {
            assert_eq!(read(absent).live(), None, "{absent}");
        }
    }

    #[test]
    fn maps_keep_live_entries_and_base64_must_decode() {
        #[derive(Deserialize)]
        struct Secret {
            #[serde(default, deserialize_with = "SecretMap::base64")]
            data: SecretMap,
            #[serde(default, rename = "stringData", deserialize_with = "SecretMap::plain")]
            string_data: SecretMap,
        }
        let secret: Secret = serde_json::from_str(
            r#"{"data": {"token": "dG9rZW4tdmFsdWU=", "tls.key": "REPLACE_WITH_BASE64_KEY",
                         "empty": "", "masked": "KioqKio=", "n": 5},
                "stringData": {"password": "t0p-Secret", "user": "***"}}"#,
        )
        .unwrap();
        let keys = |map: &SecretMap| map.0.iter().map(|(k, _)| k.clone()).collect::<Vec<_>>();
        assert_eq!(keys(&secret.data), vec!["token"]);
        assert_eq!(keys(&secret.string_data), vec!["password"]);
        assert_eq!(format!("{:?}", secret.data), r#"["token"]"#);
        assert!(secret.data.digest(|_| true).is_some());
        assert_eq!(secret.data.digest(|k| k != "token"), None);
        // Not a map: nothing.
        let odd: Secret = serde_json::from_str(r#"{"data": 7, "stringData": "x"}"#).unwrap();
        assert!(odd.data.0.is_empty() && odd.string_data.0.is_empty());
    }

    #[test]
    fn lines_and_top_level_keys() {
        let text = b"{\n \"a\": {\"data\": 1},\n \"s\": \"\\\"data\\\": \",\n \"data\" : {}\n}";
        let at = top_level_key(text, &["data", "stringData"]).unwrap();
        assert_eq!(line_at(text, at), 4);
        assert_eq!(top_level_key(b"{\"x\": {\"data\": 1}}", &["data"]), None);
        assert_eq!(top_level_key(b"{\"data\"", &["data"]), None);
        assert_eq!(
            line_of(b"{\n\n \"SecretAccessKey\": 1}", "\"SecretAccessKey\""),
            Some(3)
        );
        assert_eq!(line_of(b"{}", "\"x\""), None);
        let mut cursor = LineCursor::new(b"a\nb\nc\nd");
        assert_eq!(
            [2, 4, 6, 0, 100].map(|o| cursor.line_at(o)),
            [2, 3, 4, 1, 4]
        );
    }

    #[test]
    fn one_secret_in_two_exports_is_one_exposure_cited_at_the_first_met() {
        let secret = |path: &str, value: &[u8]| {
            ExportSecret {
                system: SystemRef::new(crate::inventory::SourceFamily::Kubernetes, "cluster"),
                detector: "export/kubernetes-secret",
                description: "Kubernetes Secret data".into(),
                carries: vec![format!("ns/{path}")],
                slot: "ns/s".into(),
                sha256: Sha256::digest(value).into(),
                evidence: Evidence::new(path, "Secret ns/s"),
            }
            .into_exposure()
        };
        let merged = merge(vec![
            secret("b.json", b"one"),
            secret("a.json", b"one"),
            secret("c.json", b"one"),
            secret("a.json", b"two"),
        ]);
        assert_eq!(merged.len(), 2);
        let one = merged
            .iter()
            .find(|e| e.secret_sha256 == hex::encode(Sha256::digest(b"one")))
            .unwrap();
        // Files are met in an order that follows their content, not their names: the first met
        // is cited, whatever it is called.
        assert_eq!(&*one.evidence.path, "b.json");
        assert_eq!(
            one.evidence.detail,
            "Secret ns/s; also in a.json and 1 other export(s)"
        );
        assert_eq!(one.carries, vec!["ns/b.json", "ns/a.json", "ns/c.json"]);
    }
}
