//! Certificates: removed from the trust bundles and stores that hold them, revoked at the
//! issuing CA while they are still valid (through Vault's PKI when Vault issued them; otherwise
//! the CA is named), their private key destroyed.

use super::{where_read, Intent, Remedies};
use crate::inventory::{
    CredentialRecord, CredentialStatus, GrantRecord, IdentityRecord, Issuance, Locator,
};
use crate::runbook::command::{joined, word, Arg, Command, Part, Program};
use crate::runbook::{Phase, Plan};

pub struct Certs;

const RFC5280_REVOCATION: &str = "https://datatracker.ietf.org/doc/html/rfc5280#section-5";
const VAULT_PKI_TIDY: &str = "https://developer.hashicorp.com/vault/api-docs/secret/pki#tidy";
const VAULT_PKI_REVOKE: &str =
    "https://developer.hashicorp.com/vault/api-docs/secret/pki#revoke-certificate";

/// A serial as Vault's PKI takes it: colon-separated hex pairs.
fn colon_serial(serial: &str) -> String {
    let digits: String = serial.chars().filter(char::is_ascii_hexdigit).collect();
    let padded = if digits.len() % 2 == 1 {
        format!("0{digits}")
    } else {
        digits
    };
    padded
        .as_bytes()
        .chunks(2)
        .map(|pair| String::from_utf8_lossy(pair).to_ascii_lowercase())
        .collect::<Vec<_>>()
        .join(":")
}

/// The steps that take a certificate out of use: out of its bundle or store, then revoked.
pub(super) fn certificate(plan: &mut Plan, credential: &CredentialRecord, intent: Intent) {
    let system = &credential.system;
    let issuance = match credential.locator.as_deref() {
        Some(Locator::Certificate(issuance)) => Some(issuance),
        _ => None,
    };
    let serial = issuance.map_or("unknown", |i| i.serial.as_str());
    let file = &credential.evidence.path;
    let phase = intent.phase(Phase::Delete);
    if credential.trusted {
        plan.manual(
            phase,
            system,
            format!("Remove certificate {} from trust bundle {file}", credential.id),
            format!(
                "Remove the certificate with serial {serial} and fingerprint {} from the trust bundle {file} ({}), then redistribute the bundle to every consumer: they trust the bundle, not the CRL.",
                credential.id,
                where_read(&credential.evidence)
            ),
            RFC5280_REVOCATION,
        );
    } else if system.family == crate::inventory::SourceFamily::Certs {
        plan.manual(
            phase,
            system,
            format!("Remove certificate {} from {file}", credential.id),
            format!(
                "Delete the certificate with serial {serial} ({file}) and destroy its private key wherever it is deployed."
            ),
            RFC5280_REVOCATION,
        );
    }
    let live = credential.status == CredentialStatus::Active
        && crate::engine::entities::effective_status(
            credential.status,
            credential.expires,
            plan.now,
        ) == CredentialStatus::Active;
    if !live {
        // Vault keeps an expired or revoked certificate in its store until the mount is tidied.
        if let Some(mount) = issuance.and_then(|i| i.vault_pki_mount.as_ref()) {
            plan.run(
                phase,
                system,
                format!("Tidy expired and revoked certificates out of Vault PKI mount {mount}"),
                Command::new(
                    Program::Vault,
                    vec![
                        word("write"),
                        Arg(vec![Part::Value(mount.clone()), Part::Fixed("/tidy")]),
                        word("tidy_cert_store=true"),
                        word("tidy_revoked_certs=true"),
                    ],
                ),
                VAULT_PKI_TIDY,
            )
            .caution = Some("tidy removes every certificate of the mount that expired more than its safety buffer (72 hours by default) ago, not only this one".into());
        }
        return;
    }
    let step = match issuance {
        Some(Issuance {
            serial,
            vault_pki_mount: Some(mount),
            ..
        }) => plan.run(
                phase,
                system,
                format!("Revoke certificate serial {serial} at Vault PKI mount {mount}"),
                Command::new(
                    Program::Vault,
                    vec![
                        word("write"),
                        Arg(vec![Part::Value(mount.clone()), Part::Fixed("/revoke")]),
                        joined("serial_number=", colon_serial(serial)),
                    ],
                ),
                VAULT_PKI_REVOKE,
            ),
        Some(Issuance { issuer, serial, .. }) => plan.manual(
                phase,
                system,
                format!("Revoke certificate serial {serial} at its issuer"),
                format!(
                    "Ask the issuing CA ({issuer}) to revoke serial {serial}, and check that its next CRL lists it."
                ),
                RFC5280_REVOCATION,
            ),
        None => plan.manual(
            phase,
            system,
            format!("Revoke certificate {}", credential.id),
            format!(
                "Revoke certificate {} at the CA that issued it ({}).",
                credential.id,
                where_read(&credential.evidence)
            ),
            RFC5280_REVOCATION,
        ),
    };
    if credential.privileged {
        step.caution =
            Some("a CA certificate: everything it issued stops being valid with it".into());
    }
}

impl Remedies for Certs {
    /// A certificate's subject goes with its certificates.
    fn account(&self, _plan: &mut Plan, _account: &IdentityRecord) {}

    fn credential(&self, plan: &mut Plan, credential: &CredentialRecord, intent: Intent) {
        certificate(plan, credential, intent);
    }

    fn grant(&self, plan: &mut Plan, grant: &GrantRecord) {
        super::manual_grant(plan, grant, RFC5280_REVOCATION);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vault_serials_are_colon_separated_pairs() {
        assert_eq!(colon_serial("3a9f2c"), "3a:9f:2c");
        assert_eq!(colon_serial("A9F2C"), "0a:9f:2c");
    }
}
