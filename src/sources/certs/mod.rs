//! Certificate stores and trust bundles, recognised by content: PEM files (one or many
//! certificates and CRLs, text between blocks ignored), DER certificates and CRLs, PKCS#7
//! bundles (PEM or DER), PKCS#12 and Java keystores (read when no password is needed or the
//! config gives one, otherwise skipped with the reason), and x509-limbo test cases.
//!
//! Certificates inside other exports (Kubernetes TLS Secrets, Vault PKI) are read by those
//! families with `certificate_records`.

mod keystores;
mod model;
mod normalize;
pub mod pkcs12;

use std::collections::BTreeMap;

use der::{Decode, Encode};
use serde::Deserialize;

pub use model::{CertsFile, Container, FoundCertificate, FoundCrl};
pub use normalize::{assemble, certificate_records, container_of, store_of, subject_identifier};
pub use pkcs12::{KdfBudget, KDF_BUDGET_PER_SCAN, MAX_KDF_ITERATIONS};

use super::SourceError;
use crate::diagnostic::LineIndex;
use crate::discover::probe::{Content, Probe};
use crate::x509::{certificate_facts, crl_facts, pem_blocks, CertificateFacts};

crate::sources::formats! {
    pub enum Format {
        Pem => "pem",
        DerCertificate => "der-certificate",
        DerCrl => "der-crl",
        Pkcs7 => "pkcs7",
        Pkcs12 => "pkcs12",
        JavaKeyStore => "jks",
        LimboTestCase => "x509-limbo-testcase",
    }
}

/// Passwords for keystores, by the path reports show (from `.deprov.yaml` `keystores:`).
#[derive(Debug, Clone, Default)]
pub struct KeystorePasswords(pub BTreeMap<String, String>);

/// Warnings listed one by one per PEM file; the rest are counted in one more warning.
const MAX_BLOCK_WARNINGS: usize = 100;

const PEM_LABELS: [&[u8]; 4] = [
    b"-----BEGIN CERTIFICATE-----",
    b"-----BEGIN TRUSTED CERTIFICATE-----",
    b"-----BEGIN X509 CRL-----",
    b"-----BEGIN PKCS7-----",
];

/// `1.2.840.113549.1.7.2` (signedData), DER-encoded.
const SIGNED_DATA_OID: &[u8] = &[
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02,
];
/// `1.2.840.113549.1.7.1` (data), DER-encoded: PKCS#12's authSafe.
const DATA_OID: &[u8] = &[
    0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x01,
];
const JKS_MAGIC: &[u8] = &[0xFE, 0xED, 0xFE, 0xED];

pub fn detect(probe: &Probe) -> Option<Format> {
    match &probe.content {
        Content::Pem => {
            let bytes = probe.bytes().unwrap_or(&probe.head);
            PEM_LABELS
                .iter()
                .any(|label| memchr::memmem::find(bytes, label).is_some())
                .then_some(Format::Pem)
        }
        Content::Der => detect_der(probe.bytes().unwrap_or(&probe.head)),
        Content::Binary if probe.head.starts_with(JKS_MAGIC) => Some(Format::JavaKeyStore),
        Content::Json(shape)
            if !shape.is_array && shape.has_all(&["trusted_certs", "peer_certificate"]) =>
        {
            Some(Format::LimboTestCase)
        }
        _ => None,
    }
}

fn detect_der(bytes: &[u8]) -> Option<Format> {
    let head = &bytes[..bytes.len().min(64)];
    if memchr::memmem::find(head, SIGNED_DATA_OID).is_some() {
        return Some(Format::Pkcs7);
    }
    if certificate_facts(bytes).is_ok() {
        return Some(Format::DerCertificate);
    }
    if crl_facts(bytes).is_ok() {
        return Some(Format::DerCrl);
    }
    // PFX ::= SEQUENCE { version INTEGER (3), authSafe ContentInfo (data), … }
    let version_3 = memchr::memmem::find(&head[..head.len().min(8)], &[0x02, 0x01, 0x03]).is_some();
    if version_3 && memchr::memmem::find(head, DATA_OID).is_some() {
        return Some(Format::Pkcs12);
    }
    None
}

pub fn parse(
    probe: &Probe,
    format: Format,
    passwords: &KeystorePasswords,
) -> Result<CertsFile, SourceError> {
    let bytes = super::whole(probe)?;
    let mut warnings = Vec::new();
    let mut certificates = Vec::new();
    let mut crls = Vec::new();
    let problem = |message: String| SourceError::content(probe.input, bytes, None, message, "file");
    match format {
        Format::Pem => {
            let lines = LineIndex::new(bytes);
            let blocks = pem_blocks(bytes);
            let total = blocks.len();
            let dropped = blocks.dropped;
            // A file of broken blocks would otherwise carry one warning per block into the
            // report; past the first ones they are counted.
            let mut unreported = 0usize;
            let mut warn = |warnings: &mut Vec<String>, text: String| {
                if warnings.len() < MAX_BLOCK_WARNINGS {
                    warnings.push(text);
                } else {
                    unreported += 1;
                }
            };
            for (n, block) in blocks.into_iter().enumerate() {
                let line = lines.line(block.offset);
                let der = match block.contents {
                    Ok(der) => der,
                    Err(reason) => {
                        warn(
                            &mut warnings,
                            format!("line {line}: {reason}; block skipped"),
                        );
                        continue;
                    }
                };
                let position = format!("certificate {} of {total}", n + 1);
                match block.label.as_str() {
                    "CERTIFICATE" | "TRUSTED CERTIFICATE" | "X509 CERTIFICATE" => {
                        match certificate_facts(&der) {
                            Ok(facts) => certificates.push(FoundCertificate {
                                facts,
                                line: Some(line),
                                position,
                            }),
                            Err(e) => {
                                warn(&mut warnings, format!("line {line}: {e}; block skipped"))
                            }
                        }
                    }
                    "X509 CRL" => match crl_facts(&der) {
                        Ok(facts) => crls.push(FoundCrl {
                            facts,
                            line: Some(line),
                        }),
                        Err(e) => warn(&mut warnings, format!("line {line}: {e}; block skipped")),
                    },
                    "PKCS7" => match pkcs7_certificates(&der) {
                        Ok(found) => certificates.extend(found),
                        Err(e) => warn(&mut warnings, format!("line {line}: {e}; block skipped")),
                    },
                    other => warn(
                        &mut warnings,
                        format!(
                            "line {line}: PEM block `{other}` is not a certificate or CRL; not read"
                        ),
                    ),
                }
            }
            if unreported > 0 {
                warnings.push(format!(
                    "{unreported} more block(s) skipped or not read, not listed one by one"
                ));
            }
            if dropped > 0 {
                warnings.push(format!(
                    "{dropped} PEM block(s) after the first {} not read (the per-file limit)",
                    crate::x509::MAX_PEM_BLOCKS
                ));
            }
            if certificates.is_empty() && crls.is_empty() {
                return Err(problem(match warnings.first() {
                    Some(first) => format!("no readable certificate or CRL: {first}"),
                    None => "no certificate or CRL".into(),
                }));
            }
        }
        Format::DerCertificate => {
            let facts = certificate_facts(bytes).map_err(|e| problem(e.to_string()))?;
            certificates.push(FoundCertificate {
                facts,
                line: None,
                position: "DER certificate".into(),
            });
        }
        Format::DerCrl => {
            let facts = crl_facts(bytes).map_err(|e| problem(e.to_string()))?;
            crls.push(FoundCrl { facts, line: None });
        }
        Format::Pkcs7 => certificates = pkcs7_certificates(bytes).map_err(problem)?,
        Format::Pkcs12 => {
            // Only the outline is read here; the key derivations run once the scan's budget is
            // charged, in path order (`open_pending`), so that which files fit is the same on
            // every run whatever order the files were parsed in.
            let pending =
                pkcs12::Pending::new(bytes, passwords.0.get(&probe.input.rel).map(String::as_str))
                    .map_err(problem)?;
            return Ok(CertsFile {
                certificates,
                crls,
                container: Container::TrustBundle,
                warnings,
                pending: Some(pending),
            });
        }
        Format::JavaKeyStore => {
            let (found, notes) =
                keystores::jks(bytes, passwords.0.get(&probe.input.rel).map(String::as_str))
                    .map_err(problem)?;
            certificates = found;
            warnings.extend(notes);
        }
        Format::LimboTestCase => {
            let case: LimboCase = serde_json::from_slice(bytes)
                .map_err(|e| SourceError::json(probe.input, bytes, format.name(), &e))?;
            return Ok(limbo_case(case, &mut warnings));
        }
    }
    let facts: Vec<&CertificateFacts> = certificates.iter().map(|c| &c.facts).collect();
    let container = match format {
        Format::Pkcs12 | Format::JavaKeyStore => Container::TrustBundle,
        _ => container_of(&facts),
    };
    Ok(CertsFile {
        certificates,
        crls,
        container,
        warnings,
        pending: None,
    })
}

/// Opens a PKCS#12 file whose opening was deferred (see [`pkcs12`]), charging `budget`; the
/// error is why it is skipped.
pub fn open_pending(file: &mut CertsFile, budget: &mut KdfBudget) -> Result<(), String> {
    let Some(pending) = file.pending.take() else {
        return Ok(());
    };
    let (certificates, warnings) = pending.open(budget)?;
    file.certificates.extend(certificates);
    file.warnings.extend(warnings);
    file.container = Container::TrustBundle;
    Ok(())
}

/// The certificates of a PKCS#7 SignedData (a `.p7b` bundle), DER or BER.
///
/// The big CAs, Windows (`certutil`, the certificate export wizard) and streaming CMS writers
/// encode PKCS#7 in BER with indefinite lengths (`30 80 …`): when the DER reading fails, the
/// bundle is read again with the `der` crate's BER rules. Those accept indefinite lengths and
/// constructed strings, no deeper than 64 levels (`der`'s nesting limit); finding where an
/// indefinite-length value ends scans what it holds, so a file costs its length times its depth
/// at most, and [`MAX_BER_BYTES`] bounds the length.
fn pkcs7_certificates(bytes: &[u8]) -> Result<Vec<FoundCertificate>, String> {
    use cms::content_info::ContentInfo;
    use cms::signed_data::SignedData;
    use der::EncodingRules;
    let signed = match ContentInfo::from_der(bytes) {
        Ok(info) => info.content.decode_as::<SignedData>(),
        // BER is a superset of DER: what DER refuses (indefinite or non-minimal lengths,
        // constructed strings) is read again under BER's rules.
        Err(der_error) => {
            let indefinite = bytes.get(1) == Some(&0x80);
            if bytes.len() > MAX_BER_BYTES {
                return Err(match indefinite {
                    true => format!(
                        "BER-encoded PKCS#7 of {} bytes, above the {MAX_BER_BYTES}-byte limit for \
                         BER; re-encode it as DER (`openssl pkcs7 -inform der -outform der`)",
                        bytes.len()
                    ),
                    false => format!("not a valid PKCS#7 ContentInfo: {der_error}"),
                });
            }
            match ContentInfo::from_ber(bytes) {
                Ok(info) => info
                    .content
                    .decode_as_encoding::<SignedData>(EncodingRules::Ber),
                Err(e) if indefinite => {
                    return Err(format!("not a valid PKCS#7 ContentInfo (BER): {e}"))
                }
                Err(_) => return Err(format!("not a valid PKCS#7 ContentInfo: {der_error}")),
            }
        }
    };
    let signed = signed.map_err(|e| format!("PKCS#7 content is not SignedData: {e}"))?;
    signed_data_certificates(&signed)
}

/// The largest BER-encoded PKCS#7 file read: a hundred times a national PKI's bundle of every
/// CA (a few hundred KiB). DER files have no such limit (their cost is linear).
const MAX_BER_BYTES: usize = 16 << 20;

/// The certificates a SignedData carries.
fn signed_data_certificates(
    signed: &cms::signed_data::SignedData,
) -> Result<Vec<FoundCertificate>, String> {
    use cms::cert::CertificateChoices;
    let mut found = Vec::new();
    let choices: Vec<&CertificateChoices> = signed
        .certificates
        .iter()
        .flat_map(|set| set.0.iter())
        .collect();
    let total = choices.len();
    for (n, choice) in choices.into_iter().enumerate() {
        if let CertificateChoices::Certificate(cert) = choice {
            let der = cert
                .to_der()
                .map_err(|e| format!("PKCS#7 certificate {}: {e}", n + 1))?;
            let facts = certificate_facts(&der)
                .map_err(|e| format!("PKCS#7 certificate {}: {e}", n + 1))?;
            found.push(FoundCertificate {
                facts,
                line: None,
                position: format!("PKCS#7 certificate {} of {total}", n + 1),
            });
        }
    }
    Ok(found)
}

/// An x509-limbo test case: `trusted_certs` are a trust bundle; the peer certificate and its
/// intermediates are presented.
#[derive(Debug, Deserialize)]
struct LimboCase {
    #[serde(default)]
    trusted_certs: Vec<String>,
    #[serde(default)]
    untrusted_intermediates: Vec<String>,
    #[serde(default)]
    peer_certificate: Option<String>,
}

fn limbo_case(case: LimboCase, warnings: &mut Vec<String>) -> CertsFile {
    let mut certificates = Vec::new();
    let read = |pem: &str, position: String, warnings: &mut Vec<String>| {
        pem_blocks(pem.as_bytes())
            .into_iter()
            .filter_map(|b| b.contents.ok())
            .filter_map(|der| match certificate_facts(&der) {
                Ok(facts) => Some(facts),
                Err(e) => {
                    warnings.push(format!("{position}: {e}"));
                    None
                }
            })
            .map(|facts| FoundCertificate {
                facts,
                line: None,
                position: position.clone(),
            })
            .collect::<Vec<_>>()
    };
    for (n, pem) in case.trusted_certs.iter().enumerate() {
        certificates.extend(read(
            pem,
            format!("trusted certificate {}", n + 1),
            warnings,
        ));
    }
    // The test case mixes trust anchors and a presented chain in one file; trust is recorded
    // for the whole file only when the case holds nothing else.
    let anchors = certificates.len();
    if let Some(peer) = &case.peer_certificate {
        certificates.extend(read(peer, "peer certificate".into(), warnings));
    }
    for (n, pem) in case.untrusted_intermediates.iter().enumerate() {
        certificates.extend(read(
            pem,
            format!("untrusted intermediate {}", n + 1),
            warnings,
        ));
    }
    let container = if anchors == certificates.len() {
        Container::TrustBundle
    } else {
        Container::Presented
    };
    CertsFile {
        certificates,
        crls: Vec::new(),
        container,
        warnings: warnings.clone(),
        pending: None,
    }
}

impl super::FamilyFile for CertsFile {
    fn record_count(&self) -> usize {
        self.certificates.len() + self.crls.len()
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }
}

/// The certificate stores family: PEM, DER, PKCS#7, PKCS#12, Java keystores, CRLs.
pub struct Certs;

impl super::Family for Certs {
    type Format = Format;
    type File = CertsFile;

    fn source(&self) -> crate::inventory::SourceFamily {
        crate::inventory::SourceFamily::Certs
    }

    fn recognise(&self, probe: &Probe) -> Option<Format> {
        detect(probe)
    }

    fn parse(
        &self,
        probe: &Probe,
        format: Format,
        context: &super::ParseContext,
    ) -> Result<CertsFile, SourceError> {
        parse(probe, format, &context.keystore_passwords)
    }

    /// A PKCS#12 file's key derivations run here, against the scan's budget.
    fn settle(&self, file: &mut CertsFile, budget: &mut KdfBudget) -> Result<bool, String> {
        let pending = file.pending.is_some();
        open_pending(file, budget)?;
        Ok(pending)
    }

    /// Certificates are read inside repositories: one can only add findings. A CRL is not
    /// (deprov does not check CRL signatures: a committed one could mark a retired workload's
    /// certificate revoked).
    fn in_repository(&self, format: Format) -> super::InRepository {
        if format == Format::DerCrl {
            super::InRepository::Refused
        } else {
            super::InRepository::Read
        }
    }

    /// A store in a repository without its revocation lists (for the same reason).
    fn for_repository(&self, file: &mut CertsFile) -> Vec<String> {
        if file.crls.is_empty() {
            return Vec::new();
        }
        let warning = format!(
            "{} revocation list(s) not read: inside a repository (--trust-repository-exports reads them)",
            file.crls.len()
        );
        file.crls.clear();
        vec![warning]
    }

    fn characteristic_keys(&self) -> &'static [(Format, &'static [&'static str])] {
        &[(
            Format::LimboTestCase,
            &[
                "trusted_certs",
                "peer_certificate",
                "untrusted_intermediates",
                "validation_time",
            ],
        )]
    }

    fn assemble(
        &self,
        files: Vec<(crate::discover::FileInput, CertsFile)>,
        assembly: &mut super::Assembly,
    ) -> Result<super::Contribution, super::family::AssembleError> {
        Ok(assemble(files, assembly).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn sample(name: &str) -> Vec<u8> {
        std::fs::read(
            std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
                .join("testdata/certs/formats")
                .join(name),
        )
        .unwrap()
    }

    fn fingerprints(found: &[FoundCertificate]) -> Vec<String> {
        found.iter().map(|c| c.facts.sha256.clone()).collect()
    }

    /// Issue 15: BER bundles (indefinite lengths, as NSS, Windows and streaming CMS writers
    /// encode PKCS#7) were skipped as binary files; they hold the same certificates as DER.
    #[test]
    fn ber_bundles_read_as_their_der_form() {
        let der = pkcs7_certificates(&sample("bundle.p7b")).unwrap();
        let ber = sample("bundle-ber.p7b");
        assert_eq!(&ber[..2], [0x30, 0x80]);
        assert!(cms::content_info::ContentInfo::from_der(&ber).is_err());
        let read = pkcs7_certificates(&ber).unwrap();
        assert_eq!(fingerprints(&read), fingerprints(&der));
        assert_eq!(read[1].position, "PKCS#7 certificate 2 of 2");
        // OpenSSL's streaming signer: indefinite lengths down to the signed content, a
        // constructed OCTET STRING, the signer's certificate and its issuer.
        let streamed = pkcs7_certificates(&sample("signed-stream-ber.p7m")).unwrap();
        let names: Vec<Option<&str>> = streamed
            .iter()
            .map(|c| c.facts.common_name.as_deref())
            .collect();
        assert_eq!(
            names,
            [
                Some("release-signer.example.com"),
                Some("Example Signing Root CA")
            ]
        );
    }

    #[test]
    fn broken_and_hostile_ber_is_an_error_in_bounded_time() {
        let ber = sample("bundle-ber.p7b");
        // Cut anywhere: every indefinite length now lacks its end-of-contents.
        for cut in [2, 15, 40, ber.len() / 2, ber.len() - 2, ber.len() - 1] {
            assert!(pkcs7_certificates(&ber[..cut]).is_err(), "cut at {cut}");
        }
        // An end-of-contents that is not `00 00`.
        let mut bad_eoc = ber.clone();
        let last = bad_eoc.len() - 1;
        bad_eoc[last] = 0x01;
        assert!(pkcs7_certificates(&bad_eoc).is_err());
        // Nesting a hundred thousand levels deep: refused at der's limit (64), no stack overflow.
        let mut deep = Vec::new();
        for _ in 0..100_000 {
            deep.extend([0x30, 0x80]);
        }
        deep.extend(vec![0; 200_000]);
        let refused = pkcs7_certificates(&deep).unwrap_err();
        assert!(refused.contains("BER"), "{refused}");
        // A SignedData as deep as der allows, then two million empty elements: finding where
        // each indefinite value ends scans what it holds, so this costs length × depth; the
        // guard is a hang check, not a benchmark.
        let mut wide = vec![0x30, 0x80];
        wide.extend(SIGNED_DATA_OID);
        wide.extend([0xA0, 0x80]);
        for _ in 0..60 {
            wide.extend([0x30, 0x80]);
        }
        for _ in 0..2_000_000 {
            wide.extend([0x05, 0x00]);
        }
        wide.extend(vec![0; 2 * 62]);
        let started = std::time::Instant::now();
        assert!(pkcs7_certificates(&wide).is_err());
        assert!(
            started.elapsed() < std::time::Duration::from_secs(20),
            "{:?}",
            started.elapsed()
        );
        // Past the size limit for BER, before any parsing.
        let mut huge = vec![0x30, 0x80];
        huge.resize(MAX_BER_BYTES + 1, 0);
        let refused = pkcs7_certificates(&huge).unwrap_err();
        assert!(refused.contains("above the"), "{refused}");
    }
}
