//! Committed private keys: their canonical hash and the fingerprints of their public keys, so
//! that a key found in a repository is matched to the certificate or deploy key it belongs to.
//!
//! No private-key math where the structure already holds the public key: an RSA private key
//! carries its modulus and exponent, SEC1 and PKCS#8 EC keys usually carry their point, an
//! OpenSSH file stores the public key blob unencrypted. Only an EC key without its point has
//! its public key computed (P-256 and P-384). Decoded key bytes are zeroed when dropped.

use der::asn1::{AnyRef, BitStringRef, Null, ObjectIdentifier};
use der::{Decode, Encode};
use sha2::{Digest, Sha256};
use spki::{AlgorithmIdentifier, SubjectPublicKeyInfo};
use zeroize::Zeroizing;

use super::redact::Redacted;

const RSA_ENCRYPTION: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.1.1");
const EC_PUBLIC_KEY: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.2.1");
const SECP256R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.10045.3.1.7");
const SECP384R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.34");
const SECP521R1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.132.0.35");
const ED25519: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.101.112");

/// What deprov learns from one PEM private key.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct PrivateKeyFacts {
    /// SHA-256 of the decoded key (of its base64 text when that does not decode) and the first
    /// characters of the base64 text.
    pub redacted: Redacted,
    /// `spki-sha256:HEX` (the form certificate credentials carry) and, for OpenSSH keys,
    /// `sha256:HEX` of the public key blob (the form deploy keys are aliased by).
    pub fingerprints: Vec<String>,
    /// What kind of key this is, or why no public key could be derived.
    pub summary: String,
    pub structure: KeyStructure,
}

/// How far the PEM body was read as a key.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum KeyStructure {
    /// The body is not base64: words, a key elided with `...`, a placeholder between armour
    /// lines. Not a key.
    NotBase64,
    /// Read as the key its label names (a public key derived from it).
    Read,
    /// Encrypted, or of a type deprov does not parse (DSA, unknown labels): nothing to check.
    Unchecked,
    /// Base64, but not the key its label names (altered or cut DER): a stand-in, or a key
    /// damaged past use.
    Unreadable,
}

/// Whether `secret` is PEM armour around a private key (possibly JSON-escaped).
pub(crate) fn looks_like_pem_private_key(secret: &[u8]) -> bool {
    secret.starts_with(b"-----BEGIN ")
        && memchr::memmem::find(secret, b"PRIVATE KEY-----").is_some()
}

/// Reads one PEM private key block: `-----BEGIN … PRIVATE KEY-----`, body, `-----END …`. The
/// body may be JSON-escaped (`\n`), indented (YAML block scalars) or use CRLF.
pub(crate) fn private_key_facts(pem: &[u8]) -> PrivateKeyFacts {
    let label = pem_label(pem);
    let body = PemBody::of(pem);
    let base64_text = body.base64.as_slice();
    let der = decode_base64(base64_text);
    let redacted = match &der {
        Some(der) => Redacted::with_preview_of(der, base64_text),
        None => Redacted::with_preview_of(base64_text, base64_text),
    };
    let Some(der) = der else {
        return PrivateKeyFacts {
            redacted,
            fingerprints: Vec::new(),
            summary: "body is not valid base64, so no public key was derived".into(),
            structure: KeyStructure::NotBase64,
        };
    };
    let unchecked = body.encrypted_headers
        || matches!(label.as_str(), "ENCRYPTED PRIVATE KEY" | "DSA PRIVATE KEY")
        || !matches!(
            label.as_str(),
            "RSA PRIVATE KEY" | "EC PRIVATE KEY" | "PRIVATE KEY" | "OPENSSH PRIVATE KEY"
        );
    let (fingerprints, summary) = if body.encrypted_headers {
        (
            Vec::new(),
            format!("{label}, encrypted (PEM Proc-Type header): no public key derived"),
        )
    } else {
        match label.as_str() {
            "RSA PRIVATE KEY" => keyed(rsa_pkcs1(&der), "RSA, PKCS#1"),
            "EC PRIVATE KEY" => keyed(ec_sec1(&der, None), "EC, SEC1"),
            "PRIVATE KEY" => pkcs8(&der),
            "ENCRYPTED PRIVATE KEY" => (
                Vec::new(),
                "encrypted PKCS#8: no public key derived".to_string(),
            ),
            "OPENSSH PRIVATE KEY" => openssh(&der),
            "DSA PRIVATE KEY" => (Vec::new(), "DSA: no public key derived".to_string()),
            other => (
                Vec::new(),
                format!("{other}: unknown key type, no public key derived"),
            ),
        }
    };
    let structure = if !fingerprints.is_empty() {
        KeyStructure::Read
    } else if unchecked {
        KeyStructure::Unchecked
    } else {
        KeyStructure::Unreadable
    };
    PrivateKeyFacts {
        redacted,
        fingerprints,
        summary,
        structure,
    }
}

fn keyed(result: Result<Vec<String>, &'static str>, kind: &str) -> (Vec<String>, String) {
    match result {
        Ok(fingerprints) => (fingerprints, kind.to_string()),
        Err(why) => (Vec::new(), format!("{kind}: {why}, no public key derived")),
    }
}

/// The label between `-----BEGIN ` and `-----`.
fn pem_label(pem: &[u8]) -> String {
    let rest = pem.get(b"-----BEGIN ".len()..).unwrap_or_default();
    let end = memchr::memmem::find(rest, b"-----").unwrap_or(0);
    String::from_utf8_lossy(&rest[..end]).trim().to_string()
}

/// The base64 text of a PEM body, and whether it had RFC 1421 encryption headers.
struct PemBody {
    base64: Zeroizing<Vec<u8>>,
    encrypted_headers: bool,
}

impl PemBody {
    fn of(pem: &[u8]) -> PemBody {
        let after_begin = memchr::memmem::find(pem, b"KEY-----").map_or(pem.len(), |p| p + 8);
        let before_end = memchr::memmem::rfind(pem, b"-----END").unwrap_or(pem.len());
        let body = pem
            .get(after_begin..before_end.max(after_begin))
            .unwrap_or_default();
        let unescaped = unescape_json(body);
        let mut base64 = Zeroizing::new(Vec::with_capacity(unescaped.len()));
        let mut encrypted_headers = false;
        for line in unescaped.split(|&b| b == b'\n' || b == b'\r') {
            // `Proc-Type: 4,ENCRYPTED` and `DEK-Info: …` header lines precede the base64.
            if line.contains(&b':') {
                encrypted_headers |= memchr::memmem::find(line, b"ENCRYPTED").is_some();
                continue;
            }
            base64.extend(
                line.iter()
                    .copied()
                    .filter(|b| !b.is_ascii_whitespace() && *b != b'"'),
            );
        }
        PemBody {
            base64,
            encrypted_headers,
        }
    }
}

/// Undoes the JSON escapes a key file uses (`\n`, `\/`, `\u003d` from Go encoders); other text
/// is kept as is.
fn unescape_json(text: &[u8]) -> Zeroizing<Vec<u8>> {
    let mut out = Zeroizing::new(Vec::with_capacity(text.len()));
    let mut i = 0;
    while i < text.len() {
        if text[i] == b'\\' {
            match text.get(i + 1) {
                Some(b'n' | b'r' | b't') => {
                    out.push(b'\n');
                    i += 2;
                    continue;
                }
                Some(b'/') => {
                    out.push(b'/');
                    i += 2;
                    continue;
                }
                Some(b'u') => {
                    let code = text
                        .get(i + 2..i + 6)
                        .and_then(|hex| std::str::from_utf8(hex).ok())
                        .and_then(|hex| u8::from_str_radix(hex, 16).ok());
                    if let Some(byte) = code.filter(u8::is_ascii) {
                        out.push(byte);
                        i += 6;
                        continue;
                    }
                }
                _ => {}
            }
        }
        out.push(text[i]);
        i += 1;
    }
    out
}

fn decode_base64(text: &[u8]) -> Option<Zeroizing<Vec<u8>>> {
    use base64::Engine;
    let engine = base64::engine::GeneralPurpose::new(
        &base64::alphabet::STANDARD,
        base64::engine::GeneralPurposeConfig::new()
            .with_decode_padding_mode(base64::engine::DecodePaddingMode::Indifferent),
    );
    let decoded = engine.decode(text).ok()?;
    (!decoded.is_empty()).then(|| Zeroizing::new(decoded))
}

/// `spki-sha256:HEX` of a SubjectPublicKeyInfo, the value `crate::x509` computes for a
/// certificate's key.
fn spki_fingerprint(
    algorithm: ObjectIdentifier,
    parameters: Option<AnyRef<'_>>,
    key: &[u8],
) -> Option<String> {
    let spki: SubjectPublicKeyInfo<AnyRef<'_>, BitStringRef<'_>> = SubjectPublicKeyInfo {
        algorithm: AlgorithmIdentifier {
            oid: algorithm,
            parameters,
        },
        subject_public_key: BitStringRef::from_bytes(key).ok()?,
    };
    let der = spki.to_der().ok()?;
    Some(format!("spki-sha256:{}", hex::encode(Sha256::digest(der))))
}

fn rsa_spki(modulus: pkcs1::UintRef<'_>, exponent: pkcs1::UintRef<'_>) -> Option<String> {
    let public = pkcs1::RsaPublicKey {
        modulus,
        public_exponent: exponent,
    };
    let public_der = public.to_der().ok()?;
    spki_fingerprint(RSA_ENCRYPTION, Some(AnyRef::from(Null)), &public_der)
}

fn rsa_pkcs1(der: &[u8]) -> Result<Vec<String>, &'static str> {
    let key = pkcs1::RsaPrivateKeyRef::from_der(der).map_err(|_| "not a valid PKCS#1 structure")?;
    let public = key.public_key();
    rsa_spki(public.modulus, public.public_exponent)
        .map(|fingerprint| vec![fingerprint])
        .ok_or("public key not encodable")
}

fn ec_sec1(
    der: &[u8],
    curve_from_pkcs8: Option<ObjectIdentifier>,
) -> Result<Vec<String>, &'static str> {
    let key = sec1::EcPrivateKey::from_der(der).map_err(|_| "not a valid SEC1 structure")?;
    let curve = key
        .parameters
        .and_then(|p| p.named_curve())
        .or(curve_from_pkcs8)
        .ok_or("no named curve")?;
    let point: Vec<u8> = match key.public_key {
        Some(point) => point.to_vec(),
        None => public_point(curve, key.private_key)?,
    };
    spki_fingerprint(EC_PUBLIC_KEY, Some(AnyRef::from(&curve)), &point)
        .map(|fingerprint| vec![fingerprint])
        .ok_or("public key not encodable")
}

/// The uncompressed public point of an EC private scalar, for keys stored without it.
fn public_point(curve: ObjectIdentifier, scalar: &[u8]) -> Result<Vec<u8>, &'static str> {
    if curve == SECP256R1 {
        let secret = p256::SecretKey::from_slice(scalar).map_err(|_| "invalid P-256 scalar")?;
        Ok(secret.public_key().to_sec1_bytes().into_vec())
    } else if curve == SECP384R1 {
        let secret = p384::SecretKey::from_slice(scalar).map_err(|_| "invalid P-384 scalar")?;
        Ok(secret.public_key().to_sec1_bytes().into_vec())
    } else if curve == SECP521R1 {
        Err("P-521 key without its public point")
    } else {
        Err("unsupported curve")
    }
}

fn pkcs8(der: &[u8]) -> (Vec<String>, String) {
    let Ok(info) = pkcs8::PrivateKeyInfoRef::from_der(der) else {
        return (
            Vec::new(),
            "PKCS#8: not a valid structure, no public key derived".into(),
        );
    };
    let private_key = info.private_key.as_bytes();
    match info.algorithm.oid {
        oid if oid == RSA_ENCRYPTION => keyed(rsa_pkcs1(private_key), "RSA, PKCS#8"),
        oid if oid == EC_PUBLIC_KEY => {
            let curve = info
                .algorithm
                .parameters
                .and_then(|p: AnyRef<'_>| p.decode_as::<ObjectIdentifier>().ok());
            keyed(ec_sec1(private_key, curve), "EC, PKCS#8")
        }
        oid if oid == ED25519 => match info.public_key {
            Some(public) => keyed(
                public
                    .as_bytes()
                    .and_then(|key| spki_fingerprint(ED25519, None, key))
                    .map(|f| vec![f])
                    .ok_or("public key not encodable"),
                "Ed25519, PKCS#8",
            ),
            None => (
                Vec::new(),
                "Ed25519, PKCS#8 without its public key: no public key derived".into(),
            ),
        },
        other => (
            Vec::new(),
            format!("PKCS#8 algorithm {other}: no public key derived"),
        ),
    }
}

fn openssh(der: &[u8]) -> (Vec<String>, String) {
    use ssh_key::public::{EcdsaPublicKey, KeyData};
    let Ok(key) = ssh_key::PrivateKey::from_bytes(der) else {
        return (
            Vec::new(),
            "OpenSSH: not a readable key, no public key derived".into(),
        );
    };
    let public = key.public_key();
    let mut fingerprints = Vec::new();
    if let Ok(blob) = public.to_bytes() {
        fingerprints.push(format!("sha256:{}", hex::encode(Sha256::digest(&blob))));
    }
    let spki = match public.key_data() {
        KeyData::Rsa(rsa) => match (rsa.n.as_positive_bytes(), rsa.e.as_positive_bytes()) {
            (Some(n), Some(e)) => match (pkcs1::UintRef::new(n), pkcs1::UintRef::new(e)) {
                (Ok(n), Ok(e)) => rsa_spki(n, e),
                _ => None,
            },
            _ => None,
        },
        KeyData::Ecdsa(ecdsa) => {
            let curve = match ecdsa {
                EcdsaPublicKey::NistP256(_) => SECP256R1,
                EcdsaPublicKey::NistP384(_) => SECP384R1,
                EcdsaPublicKey::NistP521(_) => SECP521R1,
            };
            spki_fingerprint(
                EC_PUBLIC_KEY,
                Some(AnyRef::from(&curve)),
                ecdsa.as_sec1_bytes(),
            )
        }
        KeyData::Ed25519(ed) => spki_fingerprint(ED25519, None, &ed.0),
        _ => None,
    };
    fingerprints.extend(spki);
    let algorithm = public.algorithm().as_str().to_string();
    let summary = if key.is_encrypted() {
        format!("OpenSSH {algorithm}, encrypted (public key read from the unencrypted header)")
    } else {
        format!("OpenSSH {algorithm}")
    };
    (fingerprints, summary)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// PEM armour assembled at run time, so that no scanner flags this file.
    fn armour(label: &str, body: &str) -> String {
        let begin = ["-----BEGIN ", label, " PRIVATE", " KEY-----"].concat();
        let end = ["-----END ", label, " PRIVATE", " KEY-----"].concat();
        format!("{begin}\n{body}\n{end}\n").replace("  ", " ")
    }

    #[test]
    fn a_body_is_read_as_far_as_it_goes() {
        let words = armour("OPENSSH", "ThisIsNotAKeyJustWordsInCamelCase...");
        assert_eq!(
            private_key_facts(words.as_bytes()).structure,
            KeyStructure::NotBase64
        );
        // Base64, but not DER of an RSA key: a stand-in or a key damaged past use.
        let altered = armour(
            "RSA",
            "MIIEpAIBAAKCAQEAzZ9xQ0aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
        );
        assert_eq!(
            private_key_facts(altered.as_bytes()).structure,
            KeyStructure::Unreadable
        );
        let encrypted = armour(
            "ENCRYPTED",
            "MIIFHDBOBgkqhkiG9w0BBQ0wQTApBgkqhkiG9w0BBQwwHAQI",
        );
        assert_eq!(
            private_key_facts(encrypted.as_bytes()).structure,
            KeyStructure::Unchecked
        );
    }

    #[test]
    fn the_example_org_key_matches_its_certificate() {
        let key = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/repo-fixture/files/legacy-payments.key"
        ))
        .unwrap();
        let bundle = std::fs::read(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/example-org/certs/mesh/trust-bundle.pem"
        ))
        .unwrap();
        let blocks = crate::x509::pem_blocks(&bundle);
        let cert = crate::x509::certificate_facts(blocks[1].contents.as_ref().unwrap()).unwrap();
        let facts = private_key_facts(&key);
        assert_eq!(facts.summary, "EC, PKCS#8");
        assert_eq!(
            facts.fingerprints,
            vec![format!("spki-sha256:{}", cert.spki_sha256)]
        );
    }

    #[test]
    fn json_escaped_and_plain_keys_hash_alike() {
        let key = std::fs::read_to_string(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/testdata/repo-fixture/files/legacy-payments.key"
        ))
        .unwrap();
        let escaped = key.replace('\n', "\\n").replace('=', "\\u003d");
        let crlf = key.replace('\n', "\r\n");
        let plain = private_key_facts(key.as_bytes());
        assert_eq!(private_key_facts(escaped.as_bytes()), plain);
        assert_eq!(private_key_facts(crlf.as_bytes()), plain);
        assert_eq!(plain.redacted.preview(), "MIGH…");
    }

    #[test]
    fn broken_and_encrypted_keys_say_why_they_carry_nothing() {
        let broken = private_key_facts(armour("RSA", "!!!!").as_bytes());
        assert!(broken.fingerprints.is_empty());
        assert!(
            broken.summary.contains("not valid base64"),
            "{}",
            broken.summary
        );
        let garbage = private_key_facts(armour("RSA", "QUJDREVGR0g=").as_bytes());
        assert!(garbage.summary.contains("PKCS#1"), "{}", garbage.summary);
        assert!(garbage.fingerprints.is_empty());
        let encrypted = private_key_facts(armour("ENCRYPTED", "QUJDREVGR0g=").as_bytes());
        assert!(
            encrypted.summary.contains("encrypted"),
            "{}",
            encrypted.summary
        );
        let legacy = private_key_facts(
            armour(
                "RSA",
                "Proc-Type: 4,ENCRYPTED\nDEK-Info: AES-128-CBC,00112233445566778899AABBCCDDEEFF\n\nQUJDREVGR0g=",
            )
            .as_bytes(),
        );
        assert!(legacy.summary.contains("encrypted"), "{}", legacy.summary);
        assert!(legacy.fingerprints.is_empty());
        assert!(private_key_facts(b"-----BEGIN").fingerprints.is_empty());
    }
}
