//! Java keystores: their certificates (never their private keys). A JKS needs its store
//! password to check integrity, so only the config's is used. PKCS#12 files are read in
//! `pkcs12.rs`, with their key derivations budgeted.
//!
//! The jks crate allocates from the length fields it reads (a certificate of `u32::MAX` bytes, a
//! chain of `u32::MAX` certificates) before it finds the file too short, so a 20-byte file could
//! make it ask for gigabytes: every length is checked against the bytes that follow first.

use super::model::FoundCertificate;
use crate::x509::certificate_facts;

pub(super) const PASSWORD_HELP: &str =
    "give its password in .deprov.yaml (`keystores: [{path: …, password_env: VAR}]`) or export the certificates as PEM";

/// The certificates of a Java keystore.
pub fn jks(bytes: &[u8], password: Option<&str>) -> Result<Vec<FoundCertificate>, String> {
    let Some(password) = password else {
        return Err(format!(
            "Java KeyStore: its store password is needed to read it; {PASSWORD_HELP}"
        ));
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
    Ok(found)
}

const JKS_MAGIC: u32 = 0xFEED_FEED;
const PRIVATE_KEY_ENTRY: u32 = 1;
const TRUSTED_CERTIFICATE_ENTRY: u32 = 2;
/// The SHA-1 integrity digest that ends the file.
const DIGEST_LEN: usize = 20;

/// Reads a JKS file's structure as the jks crate will, checking each length and count against
/// the bytes left before the crate allocates from it.
pub(super) fn check_jks_lengths(bytes: &[u8]) -> Result<(), String> {
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
        r.string()?;
        r.take(8, "timestamp")?;
        match tag {
            PRIVATE_KEY_ENTRY => {
                let key = r.u32()?;
                r.take(key, "private key")?;
                let chain = r.u32()?;
                r.count_fits(chain, 4, "certificate chain length")?;
                for _ in 0..chain {
                    r.certificate(version)?;
                }
            }
            TRUSTED_CERTIFICATE_ENTRY => r.certificate(version)?,
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

impl JksReader<'_> {
    fn left(&self) -> usize {
        self.bytes.len() - self.at
    }

    fn take(&mut self, len: u32, what: &str) -> Result<&[u8], String> {
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

    fn string(&mut self) -> Result<(), String> {
        let len = self.take(2, "string length")?;
        let len = u16::from_be_bytes([len[0], len[1]]);
        self.take(len.into(), "string").map(|_| ())
    }

    fn certificate(&mut self, version: u32) -> Result<(), String> {
        if version == 2 {
            self.string()?;
        }
        let len = self.u32()?;
        self.take(len, "certificate").map(|_| ())
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

    #[test]
    fn a_real_keystore_passes_the_length_check_and_opens() {
        check_jks_lengths(STORE).unwrap();
        assert_eq!(jks(STORE, Some("changeit")).unwrap().len(), 1);
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
        }
    }
}
