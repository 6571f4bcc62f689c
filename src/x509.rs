//! Certificates as deprov needs them, read with x509-parser: fingerprints of the certificate
//! and of its public key, names, validity, CA flag and key type; and PEM armour split into
//! blocks with their byte offsets so that each certificate of a bundle has a line.
//!
//! Shared by the certificate stores, Vault PKI and the repository scanner (which matches
//! committed private keys to certificates by SPKI fingerprint).

use jiff::Timestamp;
use sha2::{Digest, Sha256};
use x509_parser::extensions::GeneralName;
use x509_parser::prelude::{FromDer, X509Certificate};
use x509_parser::public_key::PublicKey;

/// What deprov records of one certificate.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CertificateFacts {
    /// Lowercase hex SHA-256 of the DER encoding (the `sha256:` alias form).
    pub sha256: String,
    /// Lowercase hex SHA-256 of the DER SubjectPublicKeyInfo.
    pub spki_sha256: String,
    pub subject: String,
    pub common_name: Option<String>,
    /// DNS names of the subject alternative name extension.
    pub dns_names: Vec<String>,
    pub issuer: String,
    /// Serial number as lowercase hex without separators.
    pub serial: String,
    pub not_before: Timestamp,
    pub not_after: Timestamp,
    pub is_ca: bool,
    pub self_signed: bool,
    /// `RSA 2048`, `EC 256`, `Ed25519`, …
    pub key: String,
}

/// Why a certificate could not be read.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct X509Problem(pub String);

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// Reads one DER certificate.
pub fn certificate_facts(der: &[u8]) -> Result<CertificateFacts, X509Problem> {
    let (_, cert) = X509Certificate::from_der(der)
        .map_err(|e| X509Problem(format!("not a valid X.509 certificate: {e}")))?;
    let timestamp = |t: x509_parser::time::ASN1Time| {
        Timestamp::from_second(t.timestamp())
            .map_err(|_| X509Problem(format!("validity date out of range: {}", t.timestamp())))
    };
    let common_name = cert
        .subject()
        .iter_common_name()
        .next()
        .and_then(|cn| cn.as_str().ok())
        .map(str::to_string);
    let dns_names = match cert.subject_alternative_name() {
        Ok(Some(san)) => san
            .value
            .general_names
            .iter()
            .filter_map(|name| match name {
                GeneralName::DNSName(dns) => Some(dns.to_string()),
                _ => None,
            })
            .collect(),
        _ => Vec::new(),
    };
    let is_ca = matches!(cert.basic_constraints(), Ok(Some(bc)) if bc.value.ca);
    let spki = cert.public_key();
    let key = match spki.parsed() {
        Ok(PublicKey::RSA(rsa)) => format!("RSA {}", rsa.key_size()),
        Ok(PublicKey::EC(point)) => format!("EC {}", point.key_size()),
        Ok(PublicKey::DSA(_)) => "DSA".to_string(),
        Ok(PublicKey::GostR3410(_)) | Ok(PublicKey::GostR3410_2012(_)) => "GOST".to_string(),
        Ok(PublicKey::Unknown(_)) | Err(_) => {
            match spki.algorithm.algorithm.to_id_string().as_str() {
                "1.3.101.112" => "Ed25519".to_string(),
                "1.3.101.113" => "Ed448".to_string(),
                other => format!("OID {other}"),
            }
        }
    };
    Ok(CertificateFacts {
        sha256: sha256_hex(der),
        spki_sha256: sha256_hex(spki.raw),
        subject: cert.subject().to_string(),
        common_name,
        dns_names,
        issuer: cert.issuer().to_string(),
        serial: hex::encode(cert.raw_serial()),
        not_before: timestamp(cert.validity().not_before)?,
        not_after: timestamp(cert.validity().not_after)?,
        is_ca,
        self_signed: cert.subject() == cert.issuer(),
        key,
    })
}

/// What deprov records of one certificate revocation list.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct CrlFacts {
    pub issuer: String,
    pub this_update: Timestamp,
    pub next_update: Option<Timestamp>,
    /// Revoked serial numbers (lowercase hex) with their revocation dates.
    pub revoked: Vec<(String, Timestamp)>,
}

/// Reads one DER certificate revocation list.
pub fn crl_facts(der: &[u8]) -> Result<CrlFacts, X509Problem> {
    use x509_parser::revocation_list::CertificateRevocationList;
    let (_, crl) = CertificateRevocationList::from_der(der)
        .map_err(|e| X509Problem(format!("not a valid CRL: {e}")))?;
    let timestamp = |t: x509_parser::time::ASN1Time| {
        Timestamp::from_second(t.timestamp())
            .map_err(|_| X509Problem(format!("CRL date out of range: {}", t.timestamp())))
    };
    let mut revoked = Vec::new();
    for entry in crl.iter_revoked_certificates() {
        revoked.push((
            hex::encode(entry.raw_serial()),
            timestamp(entry.revocation_date)?,
        ));
    }
    Ok(CrlFacts {
        issuer: crl.issuer().to_string(),
        this_update: timestamp(crl.last_update())?,
        next_update: crl.next_update().map(timestamp).transpose()?,
        revoked,
    })
}

/// One PEM block: its label (`CERTIFICATE`, `X509 CRL`, `PRIVATE KEY`, …), where it starts, and
/// its decoded content or why it could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PemBlock {
    pub label: String,
    pub offset: usize,
    pub contents: Result<Vec<u8>, String>,
}

/// Every PEM block of a text, in order. Text between blocks (comments of certifi's bundle,
/// `subject=` lines of OpenSSL output) is skipped; a broken block is reported and the next one
/// is still read.
pub fn pem_blocks(text: &[u8]) -> Vec<PemBlock> {
    const BEGIN: &[u8] = b"-----BEGIN ";
    let mut blocks = Vec::new();
    for offset in memchr::memmem::find_iter(text, BEGIN) {
        // Only markers at the start of a line open a block.
        if offset > 0 && text[offset - 1] != b'\n' && text[offset - 1] != b'\r' {
            continue;
        }
        let block = &text[offset..];
        let label = block[BEGIN.len()..]
            .split(|&b| b == b'-' || b == b'\n')
            .next()
            .map(|l| String::from_utf8_lossy(l).trim().to_string())
            .unwrap_or_default();
        let contents = match x509_parser::pem::parse_x509_pem(block) {
            Ok((_, pem)) => Ok(pem.contents),
            Err(e) => Err(match e {
                nom::Err::Error(e) | nom::Err::Failure(e) => pem_problem(&e),
                nom::Err::Incomplete(_) => "truncated PEM block".to_string(),
            }),
        };
        blocks.push(PemBlock {
            label,
            offset,
            contents,
        });
    }
    blocks
}

fn pem_problem(e: &x509_parser::error::PEMError) -> String {
    use x509_parser::error::PEMError;
    match e {
        PEMError::Base64DecodeError => "PEM block is not valid base64".into(),
        PEMError::IncompletePEM => "PEM block has no END line (truncated)".into(),
        PEMError::InvalidHeader => "PEM block has an invalid BEGIN line".into(),
        PEMError::MissingHeader => "no PEM block".into(),
        other => format!("unreadable PEM block: {other}"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CHAIN: &[u8] =
        include_bytes!("../testdata/samples/certs/limbo_cryptography.io_chain.pem");

    #[test]
    fn reads_a_real_chain() {
        let blocks = pem_blocks(CHAIN);
        assert_eq!(blocks.len(), 3);
        let leaf = certificate_facts(blocks[0].contents.as_ref().unwrap()).unwrap();
        assert!(
            leaf.dns_names.iter().any(|d| d == "cryptography.io"),
            "{:?}",
            leaf.dns_names
        );
        assert!(!leaf.is_ca);
        assert_eq!(leaf.sha256.len(), 64);
        assert_eq!(
            crate::time::format_rfc3339(leaf.not_after)[..10].to_string(),
            "2023-08-27"
        );
        let root = certificate_facts(blocks[2].contents.as_ref().unwrap()).unwrap();
        assert!(root.is_ca && root.self_signed);
        assert_eq!(root.key, "RSA 4096");
    }

    #[test]
    fn broken_blocks_are_reported_and_the_rest_is_read() {
        let mut text =
            b"# comment\n-----BEGIN CERTIFICATE-----\n!!!notbase64!!!\n-----END CERTIFICATE-----\n"
                .to_vec();
        text.extend_from_slice(CHAIN);
        text.extend_from_slice(b"-----BEGIN CERTIFICATE-----\nMIIB");
        let blocks = pem_blocks(&text);
        assert_eq!(blocks.len(), 5);
        assert!(blocks[0].contents.is_err());
        assert!(blocks[1].contents.is_ok());
        assert!(blocks[4]
            .contents
            .as_ref()
            .unwrap_err()
            .contains("truncated"));
        assert!(certificate_facts(b"\x30\x82garbage").is_err());
    }

    #[test]
    fn reads_a_real_crl_and_matches_its_issuer() {
        let crl_pem = include_bytes!("../testdata/samples/certs/pyca_crl_all_reasons.pem");
        let ca_pem = include_bytes!("../testdata/samples/certs/pyca_crl_ca.pem");
        let crl = crl_facts(pem_blocks(crl_pem)[0].contents.as_ref().unwrap()).unwrap();
        assert_eq!(crl.revoked.len(), 9);
        let ca = certificate_facts(pem_blocks(ca_pem)[0].contents.as_ref().unwrap()).unwrap();
        assert_eq!(crl.issuer, ca.subject);
        assert!(crl_facts(b"\x30\x03\x02\x01\x01").is_err());
    }
}
