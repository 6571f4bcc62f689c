//! Java keystores: their certificates (never their private keys). A JKS needs its store
//! password to check integrity, so only the config's is used; without one, the certificates are
//! still read (JKS stores them unencrypted: trusted-certificate entries, and the chains of
//! private-key entries), with a warning that the store's integrity was not checked. PKCS#12 files
//! are read in `pkcs12.rs`, with their key derivations budgeted.
//!
//! The jks crate allocates from the length fields it reads (a certificate of `u32::MAX` bytes, a
//! chain of `u32::MAX` certificates) before it finds the file too short, so a 20-byte file could
//! make it ask for gigabytes: every length is checked against the bytes that follow first.

use super::model::FoundCertificate;
use crate::x509::certificate_facts;

pub(super) const PASSWORD_HELP: &str =
    "give its password in .deprov.yaml (`keystores: [{path: …, password_env: VAR}]`) or export the certificates as PEM";

/// The certificates of a Java keystore, and what is worth telling about how they were read.
pub fn jks(
    bytes: &[u8],
    password: Option<&str>,
) -> Result<(Vec<FoundCertificate>, Vec<String>), String> {
    let Some(password) = password else {
        return jks_unverified(bytes);
    };
    check_jks_lengths(bytes)?;
    let mut store = jks::KeyStore::new();
    store
        .load(bytes, password.as_bytes())
        .map_err(|e| format!("Java KeyStore does not open with the configured password: {e}"))?;
    let mut found = Vec::new();
    let mut aliases = store.aliases();
    aliases.sort();
    for alias in aliases {
        let certs = if store.is_trusted_certificate_entry(&alias) {
            store
                .get_trusted_certificate_entry(&alias)
                .map(|e| vec![e.certificate])
                .unwrap_or_default()
        } else {
            store
                .get_private_key_entry_certificate_chain(&alias)
                .unwrap_or_default()
        };
        for (n, cert) in certs.iter().enumerate() {
            let facts =
                certificate_facts(&cert.content).map_err(|e| format!("entry `{alias}`: {e}"))?;
            found.push(FoundCertificate {
                facts,
                line: None,
                position: format!("keystore entry `{alias}` certificate {}", n + 1),
            });
        }
    }
    Ok((found, Vec::new()))
}

/// The certificates of a Java keystore read without its password: its structure is walked (every
/// length checked against the bytes left) and each certificate taken as it is stored, without
/// the integrity digest that only the password can check.
fn jks_unverified(bytes: &[u8]) -> Result<(Vec<FoundCertificate>, Vec<String>), String> {
    let mut entries = Vec::new();
    walk_jks(bytes, |entry| entries.push(entry))?;
    let mut found = Vec::new();
    let mut warnings = vec![
        "read without the store password: the keystore's integrity (its SHA-1 digest) was not \
         checked, so its certificates are read as stored; give its password in .deprov.yaml \
         (`keystores: [{path: …, password_env: VAR}]`) to check it"
            .to_string(),
    ];
    let mut other_types = 0usize;
    // Entries in alias order, as with a password.
    entries.sort_by(|a, b| a.alias.cmp(b.alias).then(a.index.cmp(&b.index)));
    for entry in entries {
        if entry.kind.is_some_and(|kind| kind != "X.509") {
            other_types += 1;
            continue;
        }
        let alias = String::from_utf8_lossy(entry.alias);
        let facts =
            certificate_facts(entry.certificate).map_err(|e| format!("entry `{alias}`: {e}"))?;
        found.push(FoundCertificate {
            facts,
            line: None,
            position: format!("keystore entry `{alias}` certificate {}", entry.index + 1),
        });
    }
    if other_types > 0 {
        warnings.push(format!(
            "{other_types} certificate(s) of a type other than X.509 not read"
        ));
    }
    Ok((found, warnings))
}

/// One certificate as a JKS file stores it: in a trusted-certificate entry (index 0) or in the
/// chain of a private-key entry.
struct StoredCertificate<'a> {
    alias: &'a [u8],
    index: usize,
    /// The certificate type (`X.509`), written by version 2 stores.
    kind: Option<&'a str>,
    certificate: &'a [u8],
}

const JKS_MAGIC: u32 = 0xFEED_FEED;
const PRIVATE_KEY_ENTRY: u32 = 1;
const TRUSTED_CERTIFICATE_ENTRY: u32 = 2;
/// The SHA-1 integrity digest that ends the file.
const DIGEST_LEN: usize = 20;

/// Reads a JKS file's structure as the jks crate will, checking each length and count against
/// the bytes left before the crate allocates from it.
pub(super) fn check_jks_lengths(bytes: &[u8]) -> Result<(), String> {
    walk_jks(bytes, |_| {})
}

/// Walks a JKS file's entries, handing each stored certificate to `certificate`; every length
/// and count is checked against the bytes left, so the walk is linear in the file and allocates
/// nothing from what the file claims. Private keys are skipped over, never read.
fn walk_jks<'a>(
    bytes: &'a [u8],
    mut certificate: impl FnMut(StoredCertificate<'a>),
) -> Result<(), String> {
    let mut r = JksReader { bytes, at: 0 };
    if r.u32()? != JKS_MAGIC {
        return Err("Java KeyStore: bad magic number".into());
    }
    let version = r.u32()?;
    if version != 1 && version != 2 {
        return Err(format!("Java KeyStore: unknown version {version}"));
    }
    let entries = r.u32()?;
    // An entry is at least a tag, an alias length, a timestamp and a length: 18 bytes.
    r.count_fits(entries, 18, "entry count")?;
    for _ in 0..entries {
        let tag = r.u32()?;
        let alias = r.string()?;
        r.take(8, "timestamp")?;
        match tag {
            PRIVATE_KEY_ENTRY => {
                let key = r.u32()?;
                r.take(key, "private key")?;
                let chain = r.u32()?;
                r.count_fits(chain, 4, "certificate chain length")?;
                for index in 0..chain as usize {
                    let (kind, bytes) = r.certificate(version)?;
                    certificate(StoredCertificate {
                        alias,
                        index,
                        kind,
                        certificate: bytes,
                    });
                }
            }
            TRUSTED_CERTIFICATE_ENTRY => {
                let (kind, bytes) = r.certificate(version)?;
                certificate(StoredCertificate {
                    alias,
                    index: 0,
                    kind,
                    certificate: bytes,
                });
            }
            other => return Err(format!("Java KeyStore: unknown entry tag {other}")),
        }
    }
    r.take(DIGEST_LEN as u32, "integrity digest")?;
    Ok(())
}

struct JksReader<'a> {
    bytes: &'a [u8],
    at: usize,
}

impl<'a> JksReader<'a> {
    fn left(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn take(&mut self, len: u32, what: &str) -> Result<&'a [u8], String> {
        let len = usize::try_from(len).map_err(|e| e.to_string())?;
        if len > self.left() {
            return Err(format!(
                "Java KeyStore: {what} of {len} bytes at byte {} of a {}-byte file (truncated or crafted)",
                self.at,
                self.bytes.len()
            ));
        }
        let taken = &self.bytes[self.at..self.at + len];
        self.at += len;
        Ok(taken)
    }

    fn u32(&mut self) -> Result<u32, String> {
        let bytes = self.take(4, "field")?;
        Ok(u32::from_be_bytes([bytes[0], bytes[1], bytes[2], bytes[3]]))
    }

    /// A length-prefixed (modified UTF-8) string, as stored.
    fn string(&mut self) -> Result<&'a [u8], String> {
        let len = self.take(2, "string length")?;
        let len = u16::from_be_bytes([len[0], len[1]]);
        self.take(len.into(), "string")
    }

    /// A stored certificate: its type (version 2 stores name it) and its encoding.
    fn certificate(&mut self, version: u32) -> Result<(Option<&'a str>, &'a [u8]), String> {
        let kind = if version == 2 {
            Some(std::str::from_utf8(self.string()?).unwrap_or("(not UTF-8)"))
        } else {
            None
        };
        let len = self.u32()?;
        Ok((kind, self.take(len, "certificate")?))
    }

    /// `count` items of at least `each` bytes fit in what is left.
    fn count_fits(&self, count: u32, each: usize, what: &str) -> Result<(), String> {
        let needed = usize::try_from(count)
            .ok()
            .and_then(|c| c.checked_mul(each));
        match needed {
            Some(needed) if needed <= self.left() => Ok(()),
            _ => Err(format!(
                "Java KeyStore: {what} {count} does not fit in the {} bytes left (truncated or crafted)",
                self.left()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const STORE: &[u8] = include_bytes!("../../../testdata/certs/formats/store.jks");

    const TRUSTSTORE: &[u8] = include_bytes!("../../../testdata/certs/formats/truststore.jks");
    const KEYTOOL: &[u8] = include_bytes!("../../../testdata/certs/formats/store-keytool.jks");

    fn positions(found: &[FoundCertificate]) -> Vec<&str> {
        found.iter().map(|c| c.position.as_str()).collect()
    }

    #[test]
    fn a_real_keystore_passes_the_length_check_and_opens() {
        check_jks_lengths(STORE).unwrap();
        let (found, warnings) = jks(STORE, Some("changeit")).unwrap();
        assert_eq!(found.len(), 1);
        assert!(warnings.is_empty(), "{warnings:?}");
    }

    /// Issue 15: a truststore without its password was skipped; its certificates are not
    /// encrypted, so they are read, with a warning that integrity was not checked.
    #[test]
    fn keystores_written_by_keytool_are_read_without_their_password() {
        let (found, warnings) = jks(TRUSTSTORE, None).unwrap();
        assert_eq!(
            positions(&found),
            [
                "keystore entry `mesh-root` certificate 1",
                "keystore entry `partner-root` certificate 1"
            ]
        );
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].contains("integrity (its SHA-1 digest) was not checked"),
            "{warnings:?}"
        );
        // The same certificates as with the password, which checks the digest.
        let (checked, none) = jks(TRUSTSTORE, Some("changeit")).unwrap();
        assert!(none.is_empty());
        let fingerprints = |found: &[FoundCertificate]| {
            found
                .iter()
                .map(|c| c.facts.sha256.clone())
                .collect::<Vec<_>>()
        };
        assert_eq!(fingerprints(&found), fingerprints(&checked));
        // A private-key entry: its certificate chain is stored in plain, its key is not read.
        let (chain, _) = jks(KEYTOOL, None).unwrap();
        assert_eq!(positions(&chain), ["keystore entry `svc` certificate 1"]);
        assert_eq!(
            chain[0].facts.common_name.as_deref(),
            Some("svc.example.com")
        );
        // A wrong password is still an error: it was given, and the digest does not match.
        assert!(jks(TRUSTSTORE, Some("wrong")).is_err());
    }

    /// The jks crate would allocate what these length fields claim (4 GiB, or a chain of four
    /// billion certificates) before reading past the end of the file.
    #[test]
    fn lengths_beyond_the_file_are_refused_before_the_crate_allocates() {
        let header = |entries: u32| {
            let mut bytes = JKS_MAGIC.to_be_bytes().to_vec();
            bytes.extend(2u32.to_be_bytes());
            bytes.extend(entries.to_be_bytes());
            bytes
        };
        let mut huge_certificate = header(1);
        huge_certificate.extend(TRUSTED_CERTIFICATE_ENTRY.to_be_bytes());
        huge_certificate.extend([0, 1, b'a']); // alias "a"
        huge_certificate.extend([0; 8]); // timestamp
        huge_certificate.extend([0, 4]); // certificate type
        huge_certificate.extend(b"X509");
        huge_certificate.extend(u32::MAX.to_be_bytes());
        huge_certificate.extend([0; 40]);
        let mut huge_chain = header(1);
        huge_chain.extend(PRIVATE_KEY_ENTRY.to_be_bytes());
        huge_chain.extend([0, 1, b'k']);
        huge_chain.extend([0; 8]);
        huge_chain.extend(2u32.to_be_bytes());
        huge_chain.extend([0, 0]);
        huge_chain.extend(u32::MAX.to_be_bytes()); // certificates in the chain
        huge_chain.extend([0; 40]);
        let many_entries = header(u32::MAX);
        let mut truncated = STORE.to_vec();
        truncated.truncate(STORE.len() - 10);
        for (name, bytes) in [
            ("huge certificate", huge_certificate),
            ("huge chain", huge_chain),
            ("many entries", many_entries),
            ("truncated", truncated),
        ] {
            let refused = check_jks_lengths(&bytes).unwrap_err();
            assert!(
                refused.contains("truncated or crafted"),
                "{name}: {refused}"
            );
            assert!(jks(&bytes, Some("changeit")).is_err(), "{name}");
            let unverified = jks(&bytes, None).unwrap_err();
            assert!(
                unverified.contains("truncated or crafted"),
                "{name}: {unverified}"
            );
        }
    }
}
