//! PKCS#12 files read for their certificates only, with every password-based key derivation
//! counted before it runs.
//!
//! A key derivation costs what the file says: its iteration count, chosen by whoever wrote the
//! file. A general PKCS#12 library derives a key for the MAC, for every encrypted part and for
//! every private key (those inside encrypted parts cannot even be counted before decrypting), so
//! one crafted file in a repository could cost hours. Here the outline of a file (its MAC and
//! the encryption parameters of each part) is read first without deriving anything; each
//! derivation above [`MAX_KDF_ITERATIONS`] refuses the file, and the file's total is what the
//! scan's [`KdfBudget`] is charged before anything runs. Private keys are never decrypted (deprov
//! reads certificates), so the parts that are decrypted are all the work there is.
//!
//! Every length in the file is checked by the DER decoder against the bytes that are there
//! before anything is allocated from it.

use cms::content_info::{CmsVersion, ContentInfo};
use cms::encrypted_data::EncryptedData;
use der::asn1::{BmpString, ContextSpecific, ObjectIdentifier, OctetString};
use der::{Decode, Encode};
use spki::AlgorithmIdentifierOwned;

use super::model::FoundCertificate;
use crate::x509::certificate_facts;

/// The most iterations one key derivation may ask for. Real files ask for far fewer: OpenSSL
/// writes 2048 (PBKDF2 and the MAC, OpenSSL 3 too), Java's keytool 10,000, Python's
/// `cryptography` 20,000; this is a hundred times keytool's default, and the limit the
/// p12-keystore crate applies. A file that asks for more is not read.
pub const MAX_KDF_ITERATIONS: u64 = 1_000_000;

/// Key-derivation iterations all the PKCS#12 files of one scan may cost together: 3 to 6 s of one
/// core on the development machine (3,000,000 iterations took 0.23 s), and room for about 1,250
/// files written by keytool (its MAC tried with both forms of "no password" and the configured
/// one, its certificates). Files past it
/// are skipped with the reason.
pub const KDF_BUDGET_PER_SCAN: u64 = 50_000_000;

/// Nesting of `safeContentsBag`s read at most (real files nest none).
const MAX_NESTING: usize = 4;

const DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const CERT_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.3");
const SAFE_CONTENTS_BAG: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.6");
const X509_CERTIFICATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.22.1");
const FRIENDLY_NAME: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.20");
const PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const PBE_SHA_3DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.3");
const PBE_SHA_RC2_40: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.6");
const SHA1: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.3.14.3.2.26");
const SHA224: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.4");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");
const SHA384: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.2");
const SHA512: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.3");

/// What the key derivations of a scan may still cost.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KdfBudget {
    remaining: u64,
    total: u64,
}

impl KdfBudget {
    /// [`KDF_BUDGET_PER_SCAN`].
    pub fn per_scan() -> Self {
        KdfBudget::of(KDF_BUDGET_PER_SCAN)
    }

    pub fn of(iterations: u64) -> Self {
        KdfBudget {
            remaining: iterations,
            total: iterations,
        }
    }

    pub fn remaining(&self) -> u64 {
        self.remaining
    }

    /// Takes `cost` if it is left.
    fn charge(&mut self, cost: u64) -> Result<(), String> {
        if cost > self.remaining {
            return Err(format!(
                "PKCS#12 key derivation of up to {cost} iterations not run: the scan's budget of {} \
                 iterations for keystores has {} left",
                self.total, self.remaining
            ));
        }
        self.remaining -= cost;
        Ok(())
    }
}

/// A file's structure, read without deriving any key.
struct Outline {
    /// The authenticated content the MAC covers.
    auth_safe: Vec<u8>,
    mac: Option<Mac>,
    parts: Vec<Part>,
    /// Parts of kinds deprov does not read (public-key encryption), for a warning.
    unread_parts: usize,
}

struct Mac {
    digest: Digest,
    salt: Vec<u8>,
    iterations: u64,
    value: Vec<u8>,
}

enum Part {
    Plain(Vec<u8>),
    Encrypted { scheme: Scheme, ciphertext: Vec<u8> },
}

/// How an encrypted part is decrypted.
enum Scheme {
    Pbes2(Box<pkcs5::pbes2::Parameters>),
    /// PKCS#12 `pbeWithSHAAnd…` (PBES1): 3-key triple DES or 40-bit RC2.
    Pbes1 {
        triple_des: bool,
        salt: Vec<u8>,
        iterations: u64,
    },
}

#[derive(Clone, Copy)]
enum Digest {
    Sha1,
    Sha224,
    Sha256,
    Sha384,
    Sha512,
}

impl Digest {
    fn of(oid: &ObjectIdentifier) -> Option<Digest> {
        match *oid {
            SHA1 => Some(Digest::Sha1),
            SHA224 => Some(Digest::Sha224),
            SHA256 => Some(Digest::Sha256),
            SHA384 => Some(Digest::Sha384),
            SHA512 => Some(Digest::Sha512),
            _ => None,
        }
    }

    fn output_len(self) -> u64 {
        match self {
            Digest::Sha1 => 20,
            Digest::Sha224 => 28,
            Digest::Sha256 => 32,
            Digest::Sha384 => 48,
            Digest::Sha512 => 64,
        }
    }
}

/// Iterations of one PKCS#12 KDF run producing `len` bytes (one pass of the iterations per hash
/// output it needs).
fn kdf_cost(iterations: u64, len: u64, digest: Digest) -> u64 {
    iterations.saturating_mul(len.div_ceil(digest.output_len()).max(1))
}

fn checked_iterations(iterations: i64, what: &str) -> Result<u64, String> {
    let iterations = u64::try_from(iterations)
        .ok()
        .filter(|&i| i > 0)
        .ok_or_else(|| format!("PKCS#12 {what} has an iteration count of {iterations}"))?;
    if iterations > MAX_KDF_ITERATIONS {
        return Err(format!(
            "PKCS#12 {what} asks for {iterations} key-derivation iterations, above the limit of \
             {MAX_KDF_ITERATIONS}; not read"
        ));
    }
    Ok(iterations)
}

impl Scheme {
    fn of(algorithm: &AlgorithmIdentifierOwned) -> Result<Scheme, String> {
        let parameters = algorithm
            .parameters
            .as_ref()
            .ok_or("PKCS#12 encryption without parameters")?
            .to_der()
            .map_err(|e| format!("PKCS#12 encryption parameters: {e}"))?;
        match algorithm.oid {
            PBES2 => {
                let parameters = pkcs5::pbes2::Parameters::from_der(&parameters)
                    .map_err(|e| format!("PKCS#12 PBES2 parameters: {e}"))?;
                match &parameters.kdf {
                    pkcs5::pbes2::Kdf::Pbkdf2(pbkdf2) => {
                        checked_iterations(pbkdf2.iteration_count.into(), "PBKDF2")?;
                    }
                    // Memory-hard by design: its cost is what the file asks, in memory too.
                    _ => return Err("PKCS#12 part encrypted with scrypt; not read".into()),
                }
                Ok(Scheme::Pbes2(Box::new(parameters)))
            }
            PBE_SHA_3DES | PBE_SHA_RC2_40 => {
                let parameters = pkcs12::pbe_params::Pkcs12PbeParams::from_der(&parameters)
                    .map_err(|e| format!("PKCS#12 PBE parameters: {e}"))?;
                Ok(Scheme::Pbes1 {
                    triple_des: algorithm.oid == PBE_SHA_3DES,
                    salt: parameters.salt.as_bytes().to_vec(),
                    iterations: checked_iterations(parameters.iterations.into(), "encryption")?,
                })
            }
            other => Err(format!(
                "PKCS#12 part encrypted with an unsupported scheme ({other})"
            )),
        }
    }

    /// Iterations one decryption costs.
    fn cost(&self) -> u64 {
        match self {
            Scheme::Pbes2(parameters) => match &parameters.kdf {
                pkcs5::pbes2::Kdf::Pbkdf2(pbkdf2) => u64::from(pbkdf2.iteration_count),
                _ => u64::MAX,
            },
            Scheme::Pbes1 {
                triple_des,
                iterations,
                ..
            } => {
                let key = if *triple_des { 24 } else { 5 };
                kdf_cost(*iterations, key, Digest::Sha1) + kdf_cost(*iterations, 8, Digest::Sha1)
            }
        }
    }

    fn decrypt(&self, ciphertext: &[u8], password: Password) -> Result<Vec<u8>, String> {
        use cbc::cipher::{block_padding::Pkcs7, BlockModeDecrypt, KeyIvInit};
        use pkcs12::kdf::Pkcs12KeyType;
        match self {
            Scheme::Pbes2(parameters) => parameters
                .decrypt(password.utf8(), ciphertext)
                .map_err(|e| format!("cannot decrypt: {e}")),
            Scheme::Pbes1 {
                triple_des,
                salt,
                iterations,
            } => {
                let rounds = i32::try_from(*iterations).map_err(|e| e.to_string())?;
                let derive = |kind, len| password.derive::<sha1::Sha1>(salt, kind, rounds, len);
                let iv = derive(Pkcs12KeyType::Iv, 8)?;
                let bad = |_| "cannot decrypt: wrong password or corrupt data".to_string();
                if *triple_des {
                    let key = derive(Pkcs12KeyType::EncryptionKey, 24)?;
                    cbc::Decryptor::<des::TdesEde3>::new_from_slices(&key, &iv)
                        .map_err(|e| e.to_string())?
                        .decrypt_padded_vec::<Pkcs7>(ciphertext)
                        .map_err(bad)
                } else {
                    let key = derive(Pkcs12KeyType::EncryptionKey, 5)?;
                    cbc::Decryptor::<rc2::Rc2>::new_from_slices(&key, &iv)
                        .map_err(|e| e.to_string())?
                        .decrypt_padded_vec::<Pkcs7>(ciphertext)
                        .map_err(bad)
                }
            }
        }
    }
}

impl Mac {
    fn cost(&self) -> u64 {
        kdf_cost(self.iterations, self.digest.output_len(), self.digest)
    }

    fn verifies(&self, password: Password, content: &[u8]) -> Result<bool, String> {
        use hmac_13::{KeyInit, Mac as _};
        use pkcs12::kdf::Pkcs12KeyType;
        let rounds = i32::try_from(self.iterations).map_err(|e| e.to_string())?;
        macro_rules! verify {
            ($digest:ty) => {{
                let key = password.derive::<$digest>(
                    &self.salt,
                    Pkcs12KeyType::Mac,
                    rounds,
                    self.digest.output_len() as usize,
                )?;
                let mut mac =
                    hmac_13::Hmac::<$digest>::new_from_slice(&key).map_err(|e| e.to_string())?;
                mac.update(content);
                Ok(mac.verify_slice(&self.value).is_ok())
            }};
        }
        match self.digest {
            Digest::Sha1 => verify!(sha1::Sha1),
            Digest::Sha224 => verify!(sha2_11::Sha224),
            Digest::Sha256 => verify!(sha2_11::Sha256),
            Digest::Sha384 => verify!(sha2_11::Sha384),
            Digest::Sha512 => verify!(sha2_11::Sha512),
        }
    }
}

fn outline(bytes: &[u8]) -> Result<Outline, String> {
    let pfx = pkcs12::pfx::Pfx::from_der(bytes).map_err(|e| format!("not a PKCS#12 file: {e}"))?;
    if pfx.auth_safe.content_type != DATA {
        return Err("PKCS#12 file protected by a public key, not a password; not read".into());
    }
    let auth_safe = octets(&pfx.auth_safe)?;
    let mac = match pfx.mac_data {
        None => None,
        Some(mac) => Some(Mac {
            digest: Digest::of(&mac.mac.algorithm.oid).ok_or_else(|| {
                format!(
                    "PKCS#12 MAC with an unsupported digest ({})",
                    mac.mac.algorithm.oid
                )
            })?,
            salt: mac.mac_salt.as_bytes().to_vec(),
            iterations: checked_iterations(mac.iterations.into(), "MAC")?,
            value: mac.mac.digest.as_bytes().to_vec(),
        }),
    };
    let safes = Vec::<ContentInfo>::from_der(&auth_safe)
        .map_err(|e| format!("PKCS#12 content is not an authenticated safe: {e}"))?;
    let mut parts = Vec::with_capacity(safes.len());
    let mut unread_parts = 0;
    for safe in safes {
        match safe.content_type {
            DATA => parts.push(Part::Plain(octets(&safe)?)),
            ENCRYPTED_DATA => {
                let encrypted = safe
                    .content
                    .to_der()
                    .and_then(|der| EncryptedData::from_der(&der))
                    .map_err(|e| format!("PKCS#12 encrypted part: {e}"))?;
                if encrypted.version != CmsVersion::V0 {
                    return Err("PKCS#12 encrypted part of an unknown version".into());
                }
                let info = encrypted.enc_content_info;
                let Some(ciphertext) = info.encrypted_content else {
                    continue;
                };
                parts.push(Part::Encrypted {
                    scheme: Scheme::of(&info.content_enc_alg)?,
                    ciphertext: ciphertext.into_bytes().into_vec(),
                });
            }
            _ => unread_parts += 1,
        }
    }
    Ok(Outline {
        auth_safe,
        mac,
        parts,
        unread_parts,
    })
}

/// The bytes of a `data` content.
fn octets(info: &ContentInfo) -> Result<Vec<u8>, String> {
    info.content
        .to_der()
        .and_then(|der| OctetString::from_der(&der))
        .map(|o| o.into_bytes().into_vec())
        .map_err(|e| format!("PKCS#12 data content: {e}"))
}

/// A PKCS#12 file whose outline was read and whose key derivations are within the per-derivation
/// limit; [`Pending::open`] runs them.
#[derive(Clone)]
pub struct Pending {
    bytes: Vec<u8>,
    password: Option<String>,
    /// Iterations the opening costs at most (every password tried).
    pub cost: u64,
}

/// Never shows the password (nor the file's bytes).
impl std::fmt::Debug for Pending {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pending")
            .field("bytes", &self.bytes.len())
            .field("password", &self.password.as_ref().map(|_| "(set)"))
            .field("cost", &self.cost)
            .finish()
    }
}

/// A password as the PKCS#12 key derivation (RFC 7292, appendix B) takes it.
///
/// "No password" is written two ways, and OpenSSL reads both (its `pkcs12` command retries an
/// empty password as none): the empty text, a BMPString of its terminating zero (`00 00`, what
/// `openssl pkcs12 -export -passout pass:` and Python's `cryptography` write), and no password at
/// all, zero bytes (what `PKCS12_create(NULL, …)` writes: pyOpenSSL, libraries calling OpenSSL's
/// API). A file written one way fails the other's MAC check.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Password<'a> {
    /// Text, given to the PKCS#12 KDF as a BMPString with two terminating zero bytes.
    Text(&'a str),
    /// No password: zero bytes.
    Absent,
}

impl<'a> Password<'a> {
    /// A PKCS#12 KDF key (for the MAC and PBES1 encryption).
    fn derive<D>(
        self,
        salt: &[u8],
        kind: pkcs12::kdf::Pkcs12KeyType,
        rounds: i32,
        len: usize,
    ) -> Result<Vec<u8>, String>
    where
        D: sha1::digest::Digest
            + sha1::digest::FixedOutputReset
            + sha1::digest::block_api::BlockSizeUser,
    {
        match self {
            Password::Text(text) => {
                pkcs12::kdf::derive_key_utf8::<D>(text, salt, kind, rounds, len)
                    .map_err(|e| format!("password: {e}"))
            }
            Password::Absent => Ok(pkcs12::kdf::derive_key::<D>(&[], salt, kind, rounds, len)),
        }
    }

    /// The bytes PBES2 (PBKDF2) takes: UTF-8, with no terminator; both forms of "no password" are
    /// empty there.
    fn utf8(self) -> &'a [u8] {
        match self {
            Password::Text(text) => text.as_bytes(),
            Password::Absent => &[],
        }
    }
}

/// The passwords tried, in order: both forms of "no password" first (many trust stores have
/// none), then the config's.
fn candidates(password: Option<&str>) -> Vec<Password<'_>> {
    let mut candidates = vec![Password::Text(""), Password::Absent];
    if let Some(p) = password.filter(|p| !p.is_empty()) {
        candidates.push(Password::Text(p));
    }
    candidates
}

impl Pending {
    /// Reads the outline of `bytes` (no key derivation) and what opening it costs at most.
    pub fn new(bytes: &[u8], password: Option<&str>) -> Result<Pending, String> {
        let outline = outline(bytes)?;
        let tries = candidates(password).len() as u64;
        let parts: u64 = outline
            .parts
            .iter()
            .map(|part| match part {
                Part::Plain(_) => 0,
                Part::Encrypted { scheme, .. } => scheme.cost(),
            })
            .fold(0, u64::saturating_add);
        // With a MAC, each password is tried on the MAC and the parts are decrypted once; without
        // one, each password is tried on the parts.
        let cost = match &outline.mac {
            Some(mac) => mac.cost().saturating_mul(tries).saturating_add(parts),
            None => parts.saturating_mul(tries),
        };
        Ok(Pending {
            bytes: bytes.to_vec(),
            password: password.map(str::to_string),
            cost,
        })
    }

    /// Charges `budget` with the file's cost, then reads its certificates; the warnings say what
    /// was not read.
    pub fn open(
        self,
        budget: &mut KdfBudget,
    ) -> Result<(Vec<FoundCertificate>, Vec<String>), String> {
        budget.charge(self.cost)?;
        let outline = outline(&self.bytes)?;
        let passwords = candidates(self.password.as_deref());
        let mut warnings = Vec::new();
        if outline.unread_parts > 0 {
            warnings.push(format!(
                "{} PKCS#12 part(s) protected by public-key encryption not read",
                outline.unread_parts
            ));
        }
        let help = super::keystores::PASSWORD_HELP;
        let contents = match &outline.mac {
            Some(mac) => {
                let mut chosen = None;
                for &password in &passwords {
                    if mac.verifies(password, &outline.auth_safe)? {
                        chosen = Some(password);
                        break;
                    }
                }
                let Some(password) = chosen else {
                    return Err(match self.password {
                        Some(_) => "PKCS#12 keystore does not open with the configured password \
                                    (MAC verification failed)"
                            .to_string(),
                        None => format!(
                            "PKCS#12 keystore needs a password (its MAC verifies neither with an \
                             empty password nor with none); {help}"
                        ),
                    });
                };
                decrypt_all(&outline.parts, password)?
            }
            None => {
                let mut last = String::new();
                let mut opened = None;
                for &password in &passwords {
                    match decrypt_all(&outline.parts, password) {
                        Ok(contents) => {
                            opened = Some(contents);
                            break;
                        }
                        Err(e) => last = e,
                    }
                }
                opened.ok_or_else(|| match self.password {
                    Some(_) => format!(
                        "PKCS#12 keystore does not open with the configured password: {last}"
                    ),
                    None => format!("PKCS#12 keystore needs a password ({last}); {help}"),
                })?
            }
        };
        let mut found = Vec::new();
        for safe_contents in contents {
            certificates_of(&safe_contents, 0, &mut found, &mut warnings)?;
        }
        Ok((found, warnings))
    }
}

/// The SafeContents of every part, decrypting the encrypted ones with `password`.
fn decrypt_all(parts: &[Part], password: Password) -> Result<Vec<Vec<u8>>, String> {
    parts
        .iter()
        .map(|part| match part {
            Part::Plain(bytes) => Ok(bytes.clone()),
            Part::Encrypted { scheme, ciphertext } => {
                let plain = scheme.decrypt(ciphertext, password)?;
                // A wrong password decrypts to noise that is not SafeContents (and its padding
                // check fails 255 times in 256).
                pkcs12::safe_bag::SafeContents::from_der(&plain)
                    .map_err(|_| "cannot decrypt: wrong password or corrupt data".to_string())?;
                Ok(plain)
            }
        })
        .collect()
}

/// The X.509 certificates of a SafeContents, by their bag's friendly name.
fn certificates_of(
    safe_contents: &[u8],
    depth: usize,
    found: &mut Vec<FoundCertificate>,
    warnings: &mut Vec<String>,
) -> Result<(), String> {
    let bags = pkcs12::safe_bag::SafeContents::from_der(safe_contents)
        .map_err(|e| format!("PKCS#12 bags: {e}"))?;
    for bag in bags {
        match bag.bag_id {
            CERT_BAG => {
                let bag_value = ContextSpecific::<pkcs12::CertBag>::from_der(&bag.bag_value)
                    .map_err(|e| format!("PKCS#12 certificate bag: {e}"))?
                    .value;
                if bag_value.cert_id != X509_CERTIFICATE {
                    warnings.push(format!(
                        "PKCS#12 certificate bag of type {} not read",
                        bag_value.cert_id
                    ));
                    continue;
                }
                let name = friendly_name(&bag);
                let position = match &name {
                    Some(name) => format!("keystore entry `{name}`"),
                    None => format!("keystore certificate {}", found.len() + 1),
                };
                let facts = certificate_facts(bag_value.cert_value.as_bytes())
                    .map_err(|e| format!("{position}: {e}"))?;
                found.push(FoundCertificate {
                    facts,
                    line: None,
                    position,
                });
            }
            SAFE_CONTENTS_BAG if depth < MAX_NESTING => {
                let nested = ContextSpecific::<der::Any>::from_der(&bag.bag_value)
                    .and_then(|inner| inner.value.to_der())
                    .map_err(|e| format!("PKCS#12 nested bags: {e}"))?;
                certificates_of(&nested, depth + 1, found, warnings)?;
            }
            SAFE_CONTENTS_BAG => {
                warnings.push(format!(
                    "PKCS#12 bags nested deeper than {MAX_NESTING} not read"
                ));
            }
            // Private keys (plain or shrouded) and secrets: never decrypted, never read.
            _ => {}
        }
    }
    Ok(())
}

fn friendly_name(bag: &pkcs12::SafeBag) -> Option<String> {
    let attributes = bag.bag_attributes.as_ref()?;
    let attribute = attributes.iter().find(|a| a.oid == FRIENDLY_NAME)?;
    let value = attribute.values.iter().next()?;
    let name = BmpString::from_der(&value.to_der().ok()?).ok()?.to_string();
    Some(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[allow(dead_code)]
    mod fixture {
        include!(concat!(
            env!("CARGO_MANIFEST_DIR"),
            "/tests/support/pkcs12_fixture.rs"
        ));
    }
    use fixture::{Crafted, Part};

    const CHANGEIT: &[u8] = include_bytes!("../../../testdata/certs/formats/store-changeit.p12");
    const NOPASS: &[u8] = include_bytes!("../../../testdata/certs/formats/store-nopass.p12");
    const ROOT: &[u8] = include_bytes!("../../../testdata/certs/formats/root.der");

    fn open(bytes: &[u8], password: Option<&str>, budget: &mut KdfBudget) -> Result<usize, String> {
        let pending = Pending::new(bytes, password)?;
        pending.open(budget).map(|(found, _)| found.len())
    }

    #[test]
    fn real_files_open_and_cost_what_their_parameters_say() {
        // Written by Python's cryptography: MAC SHA-256 with 2048 iterations, certificates
        // under PBES2 (PBKDF2-SHA256, 20,000 iterations, AES-256-CBC).
        let pending = Pending::new(CHANGEIT, Some("changeit")).unwrap();
        // The MAC is tried without a password (both forms), then with the configured one.
        assert_eq!(pending.cost, 3 * 2048 + 20_000);
        let mut budget = KdfBudget::of(1_000_000);
        assert_eq!(pending.open(&mut budget).unwrap().0.len(), 2);
        assert_eq!(budget.remaining(), 1_000_000 - 26_144);
        assert_eq!(open(NOPASS, None, &mut KdfBudget::per_scan()), Ok(1));
        let needs = open(CHANGEIT, None, &mut KdfBudget::per_scan()).unwrap_err();
        assert!(needs.contains("needs a password"), "{needs}");
        let wrong = open(CHANGEIT, Some("nope"), &mut KdfBudget::per_scan()).unwrap_err();
        assert!(wrong.contains("does not open"), "{wrong}");
    }

    #[test]
    fn files_written_by_openssl_and_keytool_open() {
        let file = |name: &str| {
            std::fs::read(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("testdata/certs/formats")
                    .join(name),
            )
            .unwrap()
        };
        // (file, cost with the password configured, certificates)
        let cases = [
            // SHA-1 MAC (one 20-byte block per try); RC2-40: a 5-byte key and an 8-byte IV.
            ("store-legacy-rc2.p12", 3 * 2048 + 2 * 2048, 1),
            // 3-key triple DES: a 24-byte key is two SHA-1 blocks, plus the IV.
            ("store-legacy-3des.p12", 3 * 2048 + 3 * 2048, 1),
            // keytool: the private key's own 10,000 iterations are not counted, never run.
            ("store-keytool.p12", 3 * 10_000 + 10_000, 1),
        ];
        for (name, cost, certificates) in cases {
            let pending = Pending::new(&file(name), Some("changeit")).unwrap();
            assert_eq!(pending.cost, cost, "{name}");
            let (found, _) = pending.open(&mut KdfBudget::per_scan()).unwrap();
            assert_eq!(found.len(), certificates, "{name}");
        }
        let found = Pending::new(&file("store-keytool.p12"), Some("changeit"))
            .unwrap()
            .open(&mut KdfBudget::per_scan())
            .unwrap()
            .0;
        assert_eq!(found[0].position, "keystore entry `svc`");
        assert_eq!(
            found[0].facts.common_name.as_deref(),
            Some("svc.example.com")
        );
    }

    /// Issue 15: OpenSSL writes "no password" two ways, and a file written with a NULL password
    /// (`PKCS12_create(NULL, …)`: zero bytes into the key derivation) failed the MAC check made
    /// with the empty one (`00 00`). Files of both kinds, with their certificates in plain, under
    /// PBES2 (where both forms are the same empty key) and under PBES1 triple DES (where they
    /// differ too), open without a password.
    #[test]
    fn both_encodings_of_no_password_open() {
        let file = |name: &str| {
            std::fs::read(
                std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                    .join("testdata/certs/formats")
                    .join(name),
            )
            .unwrap()
        };
        for name in [
            "store-emptypass.p12",
            "store-nullpass.p12",
            "store-nullpass-3des.p12",
        ] {
            let (found, _) = Pending::new(&file(name), None)
                .unwrap()
                .open(&mut KdfBudget::per_scan())
                .unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(found.len(), 1, "{name}");
        }
        // Which form a file's MAC takes: each opens with its own and fails with the other.
        let outline_of = |name: &str| outline(&file(name)).unwrap();
        let verifies = |name: &str, password| {
            let outline = outline_of(name);
            outline
                .mac
                .as_ref()
                .unwrap()
                .verifies(password, &outline.auth_safe)
                .unwrap()
        };
        assert!(verifies("store-emptypass.p12", Password::Text("")));
        assert!(!verifies("store-emptypass.p12", Password::Absent));
        assert!(verifies("store-nullpass.p12", Password::Absent));
        assert!(!verifies("store-nullpass.p12", Password::Text("")));
        // The triple-DES part of the NULL-password file decrypts only with no password at all.
        let outline = outline_of("store-nullpass-3des.p12");
        assert!(decrypt_all(&outline.parts, Password::Text("")).is_err());
        assert!(decrypt_all(&outline.parts, Password::Absent).is_ok());
        // A password-protected file still says it needs one.
        let needs = open(CHANGEIT, None, &mut KdfBudget::per_scan()).unwrap_err();
        assert!(
            needs.contains("verifies neither with an empty password nor with none"),
            "{needs}"
        );
    }

    #[test]
    fn derivations_above_the_cap_are_refused_before_any_runs() {
        let too_many = (MAX_KDF_ITERATIONS + 1) as i32;
        let cases = [
            Crafted {
                mac_iterations: Some(too_many),
                ..Crafted::default()
            },
            Crafted {
                mac_iterations: Some(i32::MAX),
                ..Crafted::default()
            },
            Crafted {
                part: Part::Pbkdf2(too_many as u32),
                ..Crafted::default()
            },
        ];
        for crafted in cases {
            let file = fixture::pkcs12(&[ROOT], crafted);
            let refused = Pending::new(&file, None).unwrap_err();
            assert!(refused.contains("above the limit of 1000000"), "{refused}");
        }
        let scrypt = fixture::pkcs12(
            &[ROOT],
            Crafted {
                part: Part::Scrypt(10),
                ..Crafted::default()
            },
        );
        assert!(Pending::new(&scrypt, None).unwrap_err().contains("scrypt"));
        // At the cap it is read.
        let at_cap = fixture::pkcs12(
            &[ROOT],
            Crafted {
                mac_iterations: Some(1),
                part: Part::Pbkdf2(MAX_KDF_ITERATIONS as u32),
                ..Crafted::default()
            },
        );
        assert_eq!(
            Pending::new(&at_cap, None).unwrap().cost,
            2 + MAX_KDF_ITERATIONS
        );
    }

    #[test]
    fn private_keys_are_never_decrypted_so_their_iterations_cost_nothing() {
        // Ten thousand key bags, each asking for 999,999 iterations: a PKCS#12 library would
        // derive every one of them (hours). Here only the MAC and the certificates' part count.
        let file = fixture::pkcs12(
            &[ROOT],
            Crafted {
                part: Part::Pbkdf2(1000),
                shrouded_keys: 10_000,
                key_iterations: 999_999,
                ..Crafted::default()
            },
        );
        let pending = Pending::new(&file, None).unwrap();
        assert_eq!(pending.cost, 2 * 2048 + 1000);
        let mut budget = KdfBudget::per_scan();
        let (found, _) = pending.open(&mut budget).unwrap();
        assert_eq!(found.len(), 1);
        assert_eq!(budget.remaining(), KDF_BUDGET_PER_SCAN - 5096);
    }

    #[test]
    fn the_budget_is_charged_in_order_and_refuses_what_no_longer_fits() {
        let file = fixture::pkcs12(
            &[ROOT],
            Crafted {
                mac_iterations: Some(3000),
                ..Crafted::default()
            },
        );
        // Each file costs its MAC tried with both forms of "no password": 6000 iterations.
        let mut budget = KdfBudget::of(20_000);
        let outcomes: Vec<Result<usize, String>> =
            (0..5).map(|_| open(&file, None, &mut budget)).collect();
        assert_eq!(outcomes[..3], [Ok(1), Ok(1), Ok(1)]);
        for refused in &outcomes[3..] {
            let reason = refused.as_ref().unwrap_err();
            assert!(
                reason.contains("budget of 20000") && reason.contains("has 2000 left"),
                "{reason}"
            );
        }
    }

    #[test]
    fn lengths_beyond_the_file_are_refused_without_allocating() {
        // A valid file cut short: every length now claims more than is there.
        for cut in [4, 64, CHANGEIT.len() / 2, CHANGEIT.len() - 1] {
            assert!(
                Pending::new(&CHANGEIT[..cut], None).is_err(),
                "cut at {cut}"
            );
        }
        // A SEQUENCE claiming 2 GiB.
        let claim = [0x30, 0x84, 0x7f, 0xff, 0xff, 0xff, 0x02, 0x01, 0x03];
        assert!(Pending::new(&claim, None).is_err());
    }
}
