//! Certificates → inventory records: which identity a certificate belongs to (its DNS names),
//! whether the file is a trust bundle, and which certificates a CRL of their issuer revokes.
//!
//! `certificate_records` is shared with the families that find certificates inside other
//! exports (Kubernetes TLS Secrets and `ca.crt` ConfigMaps, Vault PKI).

use rayon::prelude::*;
use std::collections::HashSet;

use super::model::{CertsFile, Container};
use crate::discover::FileInput;
use crate::inventory::{
    AccountState, CredentialKind, CredentialRecord, CredentialStatus, Evidence, Expiry,
    IdentityKind, IdentityRecord, Issuance, Locator, Records, SourceFamily, SystemRef,
};
use crate::sources::Assembly;
use crate::x509::CertificateFacts;

/// Whether a file's certificates are trust anchors: one CA certificate, or several certificates
/// that do not form a presented chain (leaf first, each issued by the next). A mesh bundle that
/// pins workload certificates is a bundle; `tls.crt` with its intermediates is a chain.
pub fn container_of(certificates: &[&CertificateFacts]) -> Container {
    match certificates {
        [] => Container::Presented,
        [one] => {
            if one.is_ca {
                Container::TrustBundle
            } else {
                Container::Presented
            }
        }
        [first, ..] => {
            let chained = certificates
                .windows(2)
                .all(|pair| pair[0].issuer == pair[1].subject && !pair[0].self_signed);
            if chained && !first.is_ca {
                Container::Presented
            } else {
                Container::TrustBundle
            }
        }
    }
}

fn looks_like_dns_name(name: &str) -> bool {
    name.contains('.')
        && !name.contains([' ', '/', ',', '='])
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b == b'.' || b == b'-' || b == b'*' || b == b'_')
}

/// The identifier a certificate offers for its subject: `dns:NAME` from the CN or the first DNS
/// SAN, else `x500:DN`.
pub fn subject_identifier(facts: &CertificateFacts) -> String {
    match facts
        .common_name
        .as_deref()
        .filter(|cn| looks_like_dns_name(cn))
    {
        Some(cn) => format!("dns:{}", cn.to_ascii_lowercase()),
        None => match facts.dns_names.first() {
            Some(name) => format!("dns:{}", name.to_ascii_lowercase()),
            None => format!("x500:{}", facts.subject),
        },
    }
}

/// The identity and credential records of one certificate.
pub fn certificate_records(
    facts: &CertificateFacts,
    system: &SystemRef,
    evidence: Evidence,
    trusted: bool,
    revoked: bool,
    vault_pki_mount: Option<&str>,
) -> (IdentityRecord, CredentialRecord) {
    let holder = subject_identifier(facts);
    let mut aliases: Vec<String> = facts
        .dns_names
        .iter()
        .map(|n| format!("dns:{}", n.to_ascii_lowercase()))
        .chain(
            facts
                .common_name
                .iter()
                .filter(|cn| looks_like_dns_name(cn))
                .map(|cn| format!("dns:{}", cn.to_ascii_lowercase())),
        )
        .filter(|a| *a != holder)
        .collect();
    aliases.sort();
    aliases.dedup();
    let identity = IdentityRecord::new(
        system.clone(),
        holder.clone(),
        if facts.is_ca {
            IdentityKind::Authority
        } else {
            IdentityKind::Workload
        },
        AccountState::Enabled,
        evidence.clone(),
    )
    .aliases(aliases)
    .display_name(Some(facts.subject.clone()));
    let credential = CredentialRecord::new(
        system.clone(),
        format!("sha256:{}", facts.sha256),
        CredentialKind::Certificate,
        holder,
        if revoked {
            CredentialStatus::Revoked
        } else {
            CredentialStatus::Active
        },
        evidence,
    )
    .created(Some(facts.not_before))
    .expires(Expiry::At(facts.not_after))
    .privileged(facts.is_ca)
    .trusted(trusted)
    .fingerprints(vec![format!("spki-sha256:{}", facts.spki_sha256)])
    .locator(Locator::Certificate(Issuance {
        issuer: facts.issuer.clone(),
        serial: facts.serial.clone(),
        vault_pki_mount: vault_pki_mount.map(str::to_string),
    }));
    (identity, credential)
}

/// The store a file belongs to: its directory (a `/etc/ssl/certs`-style store), or the file
/// itself when it sits at the scanned root.
pub fn store_of(rel: &str) -> SystemRef {
    let name = match rel.rsplit_once('/') {
        Some((dir, _)) => dir,
        None => rel,
    };
    SystemRef::new(SourceFamily::Certs, name)
}

/// Joins every certificate file of the scan: revocations by (issuer, serial), one record per
/// certificate and store (trusted if any copy sits in a bundle). Per-file warnings were given
/// at parse time.
pub fn assemble(files: Vec<(FileInput, CertsFile)>, _common: &mut Assembly) -> Records {
    let revoked: HashSet<(String, String)> = files
        .iter()
        .flat_map(|(_, file)| file.crls.iter())
        .flat_map(|crl| {
            crl.facts
                .revoked
                .iter()
                .map(move |(serial, _)| (crl.facts.issuer.clone(), serial.clone()))
        })
        .collect();

    // Records are built in parallel, in input order; then a certificate present twice in a store
    // (same store, same fingerprint) becomes one credential: the bundle copy wins, as it is the
    // one that grants trust.
    let built: Vec<(SystemRef, IdentityRecord, CredentialRecord)> = files
        .par_iter()
        .flat_map_iter(|(input, file)| {
            let system = store_of(&input.rel);
            let count = file.certificates.len();
            let trusted = file.container == Container::TrustBundle;
            let revoked = &revoked;
            file.certificates.iter().map(move |found| {
                let facts = &found.facts;
                let is_revoked = revoked.contains(&(facts.issuer.clone(), facts.serial.clone()));
                let mut evidence = Evidence::new(
                    &input.rel,
                    format!(
                        "{} {} (serial {}, {}), {}{}",
                        if facts.is_ca {
                            "CA certificate"
                        } else {
                            "certificate"
                        },
                        facts.subject,
                        facts.serial,
                        facts.key,
                        found.position,
                        if trusted {
                            format!(" of a trust bundle of {count}")
                        } else {
                            String::new()
                        }
                    ),
                );
                if let Some(line) = found.line {
                    evidence = evidence.at_line(line);
                }
                let (identity, credential) =
                    certificate_records(facts, &system, evidence, trusted, is_revoked, None);
                (system.clone(), identity, credential)
            })
        })
        .collect();
    // The parsed stores are not needed past here: let them go before the records are sorted.
    drop(files);
    let mut order: Vec<usize> = (0..built.len()).collect();
    // Stable: the first copy of a certificate stays first among its duplicates.
    order.sort_by(|&a, &b| {
        let (x, y) = (&built[a], &built[b]);
        (&x.0, &x.2.id).cmp(&(&y.0, &y.2.id))
    });
    let mut built: Vec<Option<(SystemRef, IdentityRecord, CredentialRecord)>> =
        built.into_iter().map(Some).collect();
    let mut records = Records::default();
    let mut position = 0;
    while position < order.len() {
        let Some((system, identity, mut credential)) = built[order[position]].take() else {
            position += 1;
            continue;
        };
        let mut copies = 1;
        position += 1;
        while position < order.len() {
            let Some(next) = built[order[position]].as_ref() else {
                break;
            };
            if next.0 != system || next.2.id != credential.id {
                break;
            }
            if let Some((_, _, duplicate)) = built[order[position]].take() {
                copies += 1;
                if duplicate.trusted && !credential.trusted {
                    credential = duplicate;
                }
            }
            position += 1;
        }
        if copies > 1 {
            credential.evidence.detail = format!(
                "{} (present {copies} times in the store)",
                credential.evidence.detail
            );
        }
        records.identities.push(identity);
        records.credentials.push(credential);
    }
    records
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::x509::{certificate_facts, pem_blocks};

    fn facts_of(pem: &[u8]) -> Vec<CertificateFacts> {
        pem_blocks(pem)
            .iter()
            .filter_map(|b| b.contents.as_ref().ok())
            .filter_map(|der| certificate_facts(der).ok())
            .collect()
    }

    #[test]
    fn chains_are_presented_and_bundles_are_trusted() {
        let chain = facts_of(include_bytes!(
            "../../../testdata/samples/certs/limbo_cryptography.io_chain.pem"
        ));
        let refs: Vec<&CertificateFacts> = chain.iter().collect();
        // Leaf, R3, ISRG Root X1: a chain that ends in its root is still presented.
        assert_eq!(container_of(&refs), Container::Presented);
        assert_eq!(container_of(&refs[2..]), Container::TrustBundle);
        assert_eq!(container_of(&refs[..1]), Container::Presented);
        let bundle = facts_of(include_bytes!(
            "../../../testdata/samples/certs/certifi_cacert.pem"
        ));
        let refs: Vec<&CertificateFacts> = bundle.iter().collect();
        assert_eq!(container_of(&refs), Container::TrustBundle);
    }

    #[test]
    fn subjects_are_named_by_dns_name() {
        let chain = facts_of(include_bytes!(
            "../../../testdata/samples/certs/limbo_cryptography.io_chain.pem"
        ));
        assert_eq!(subject_identifier(&chain[0]), "dns:cryptography.io");
        assert!(subject_identifier(&chain[2]).starts_with("x500:"));
        assert_eq!(store_of("mesh/bundle.pem").name.as_ref(), "mesh");
        assert_eq!(store_of("bundle.pem").name.as_ref(), "bundle.pem");
    }
}
