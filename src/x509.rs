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

/// The largest PEM block deprov reads, from its BEGIN line to the end of its END line. The
/// largest PEM objects deprov meets are CRLs of big CAs and PKCS#7 bundles, some of them tens of
/// MB; a block whose END line is further than this is reported as too large and not decoded.
pub const MAX_PEM_BLOCK_BYTES: usize = 64 << 20;

/// The most PEM blocks read from one text. Trust bundles hold hundreds of certificates and the
/// largest stores seen a few thousand; the cap bounds what one file can make deprov hold (a
/// block, its label and a warning each) when it is nothing but BEGIN lines. Further blocks are
/// counted in [`PemBlocks::dropped`].
pub const MAX_PEM_BLOCKS: usize = 100_000;

/// The longest label kept (`ENCRYPTED PRIVATE KEY` is 21 characters); a longer one is cut, so
/// that a BEGIN line of megabytes does not become a warning of megabytes.
const MAX_LABEL_CHARS: usize = 64;

/// The PEM blocks of a text, and how many were left unread beyond [`MAX_PEM_BLOCKS`]. Reads as
/// a slice of blocks.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct PemBlocks {
    pub blocks: Vec<PemBlock>,
    /// BEGIN lines after the first [`MAX_PEM_BLOCKS`], not read.
    pub dropped: usize,
}

impl std::ops::Deref for PemBlocks {
    type Target = [PemBlock];
    fn deref(&self) -> &[PemBlock] {
        &self.blocks
    }
}

impl IntoIterator for PemBlocks {
    type Item = PemBlock;
    type IntoIter = std::vec::IntoIter<PemBlock>;
    fn into_iter(self) -> Self::IntoIter {
        self.blocks.into_iter()
    }
}

const BEGIN: &[u8] = b"-----BEGIN ";
/// An END line, with the newline that ends the line before it (END lines are found at the start
/// of a line only, as x509-parser reads them).
const NEWLINE_END: &[u8] = b"\n-----END ";

/// Every PEM block of a text, in order. Text between blocks (comments of certifi's bundle,
/// `subject=` lines of OpenSSL output) is skipped; a broken block is reported and the next one
/// is still read.
///
/// Linear in the text: a block ends at the first END line after its BEGIN line, or else at the
/// next BEGIN line (a block cannot hold another one, so it is then truncated); each block is
/// decoded from its own bytes only, and the search for END lines never goes over the same bytes
/// twice. (Decoding from each BEGIN to wherever an END might be re-read the rest of the text
/// for every BEGIN line: a file of BEGIN lines cost O(N²).)
pub fn pem_blocks(text: &[u8]) -> PemBlocks {
    pem_blocks_counting(text, &mut 0)
}

/// [`pem_blocks`], adding to `work` the bytes it searched for END lines and handed to the
/// decoder (tests check that this stays within a small multiple of the text's length).
fn pem_blocks_counting(text: &[u8], work: &mut usize) -> PemBlocks {
    let mut found = PemBlocks::default();
    let mut begins = begin_lines(text).peekable();
    // The next END line at or after where the last search started; `None` once there is none.
    let mut next_end: Option<usize> = None;
    let mut searched_from: Option<usize> = None;
    while let Some(offset) = begins.next() {
        if found.blocks.len() == MAX_PEM_BLOCKS {
            found.dropped = 1 + begins.count();
            break;
        }
        let next_begin = begins.peek().copied().unwrap_or(text.len());
        // The body starts after the BEGIN line; the END line is searched from the newline that
        // ends it.
        let from = memchr::memchr(b'\n', &text[offset..next_begin]).map(|p| offset + p);
        let end_line = from.and_then(|from| {
            let stale = match (searched_from, next_end) {
                (None, _) => true,
                (Some(_), Some(end)) => end < from,
                (Some(_), None) => false,
            };
            if stale {
                searched_from = Some(from);
                next_end = memchr::memmem::find(&text[from..], NEWLINE_END).map(|p| from + p + 1);
                *work += next_end.unwrap_or(text.len()) - from;
            }
            next_end.filter(|&end| end < next_begin)
        });
        let block_end = match end_line {
            Some(end) => {
                memchr::memchr(b'\n', &text[end..next_begin]).map_or(next_begin, |p| end + p + 1)
            }
            None => next_begin,
        };
        let contents = if block_end - offset > MAX_PEM_BLOCK_BYTES {
            Err(format!(
                "PEM block larger than {} MiB; not read",
                MAX_PEM_BLOCK_BYTES >> 20
            ))
        } else {
            *work += block_end - offset;
            match x509_parser::pem::parse_x509_pem(&text[offset..block_end]) {
                Ok((_, pem)) => Ok(pem.contents),
                Err(e) => Err(match e {
                    nom::Err::Error(e) | nom::Err::Failure(e) => pem_problem(&e),
                    nom::Err::Incomplete(_) => "truncated PEM block".to_string(),
                }),
            }
        };
        found.blocks.push(PemBlock {
            label: label_of(&text[offset + BEGIN.len()..block_end]),
            offset,
            contents,
        });
    }
    found
}

/// Offsets of the BEGIN markers that open a line.
fn begin_lines(text: &[u8]) -> impl Iterator<Item = usize> + '_ {
    memchr::memmem::find_iter(text, BEGIN).filter(move |&offset| {
        offset == 0 || text[offset - 1] == b'\n' || text[offset - 1] == b'\r'
    })
}

/// The label of a BEGIN line (what follows `-----BEGIN ` up to a dash or the line's end),
/// trimmed and cut at [`MAX_LABEL_CHARS`].
fn label_of(after_begin: &[u8]) -> String {
    // Four bytes per character at most: enough for the longest label kept.
    let head = &after_begin[..after_begin.len().min(4 * MAX_LABEL_CHARS + 4)];
    let stop = head
        .iter()
        .position(|&b| b == b'-' || b == b'\n')
        .unwrap_or(head.len());
    let label = String::from_utf8_lossy(&head[..stop]);
    let label = label.trim();
    match label.char_indices().nth(MAX_LABEL_CHARS) {
        Some((cut, _)) => format!("{}…", &label[..cut]),
        None => label.to_string(),
    }
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

    /// Issue 13, item 15: each BEGIN line used to be decoded up to the end of the text, so a
    /// file of BEGIN lines without an END cost O(N²). The work is now counted: a few MB of BEGIN
    /// lines cost at most a couple of passes over the text, and the blocks past the cap are
    /// counted, not read.
    #[test]
    fn begin_lines_without_end_cost_linear_work_and_are_capped() {
        let line = b"-----BEGIN CERTIFICATE-----\n";
        let lines = MAX_PEM_BLOCKS + 50_000;
        let mut text = CHAIN.to_vec();
        for _ in 0..lines {
            text.extend_from_slice(line);
        }
        assert!(text.len() > 4 << 20);
        let mut work = 0;
        let blocks = pem_blocks_counting(&text, &mut work);
        assert!(
            work <= 2 * text.len(),
            "{work} bytes of work for {} bytes of text",
            text.len()
        );
        assert_eq!(blocks.len(), MAX_PEM_BLOCKS);
        assert_eq!(blocks.dropped, lines + 3 - MAX_PEM_BLOCKS);
        // The real chain in front is read; every BEGIN line after it is a truncated block.
        assert!(blocks[..3].iter().all(|b| b.contents.is_ok()));
        assert!(blocks[3..].iter().all(|b| b
            .contents
            .as_ref()
            .is_err_and(|e| e.contains("no END line"))));
        assert_eq!(blocks[3].label, "CERTIFICATE");
    }

    /// Nested BEGIN lines end the block before them; one END at the very end of the text is
    /// decoded once, with its own BEGIN line.
    #[test]
    fn a_block_ends_at_the_next_begin_line() {
        let mut text = Vec::new();
        for _ in 0..10_000 {
            text.extend_from_slice(b"-----BEGIN CERTIFICATE-----\nAAAA\n");
        }
        text.extend_from_slice(CHAIN);
        let mut work = 0;
        let blocks = pem_blocks_counting(&text, &mut work);
        assert!(work <= 2 * text.len(), "{work} for {}", text.len());
        assert_eq!(blocks.len(), 10_003);
        assert!(blocks[..10_000].iter().all(|b| b.contents.is_err()));
        assert!(blocks[10_000..].iter().all(|b| b.contents.is_ok()));
        assert_eq!(blocks.dropped, 0);
    }

    #[test]
    fn oversized_blocks_and_labels_are_bounded() {
        let mut text = b"-----BEGIN ".to_vec();
        text.extend(std::iter::repeat_n(b'A', 1000));
        text.extend_from_slice(b"-----\n");
        let blocks = pem_blocks(&text);
        assert_eq!(blocks.len(), 1);
        assert_eq!(blocks[0].label.chars().count(), MAX_LABEL_CHARS + 1);
        let mut big = b"-----BEGIN X509 CRL-----\n".to_vec();
        big.resize(MAX_PEM_BLOCK_BYTES + 10, b'A');
        big.extend_from_slice(b"\n-----END X509 CRL-----\n");
        let blocks = pem_blocks(&big);
        assert!(blocks[0]
            .contents
            .as_ref()
            .is_err_and(|e| e.contains("larger than")));
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
