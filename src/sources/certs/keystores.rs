//! PKCS#12 and Java keystores: their certificates (never their private keys). A PKCS#12 file is
//! first tried without a password (many trust stores have none), then with the one the config
//! gives; a JKS needs its store password to check integrity, so only the config's is used.

use p12_keystore::{KeyStore as Pkcs12Store, KeyStoreEntry, Pkcs12ImportPolicy};

use super::model::FoundCertificate;
use crate::x509::certificate_facts;

const PASSWORD_HELP: &str =
    "give its password in .deprov.yaml (`keystores: [{path: …, password_env: VAR}]`) or export the certificates as PEM";

/// The certificates of a PKCS#12 file.
pub fn pkcs12(bytes: &[u8], password: Option<&str>) -> Result<Vec<FoundCertificate>, String> {
    let store =
        Pkcs12Store::from_pkcs12(bytes, "", Pkcs12ImportPolicy::Relaxed).or_else(|first| {
            match password {
                Some(p) => {
                    Pkcs12Store::from_pkcs12(bytes, p, Pkcs12ImportPolicy::Relaxed).map_err(|e| {
                        format!("PKCS#12 keystore does not open with the configured password: {e}")
                    })
                }
                None => Err(format!(
                    "PKCS#12 keystore needs a password ({first}); {PASSWORD_HELP}"
                )),
            }
        })?;
    let mut found = Vec::new();
    for (alias, entry) in store.entries() {
        let ders: Vec<&[u8]> = match entry {
            KeyStoreEntry::Certificate(cert) => vec![cert.as_der()],
            KeyStoreEntry::PrivateKeyChain(chain) => {
                chain.certs().iter().map(|c| c.as_der()).collect()
            }
            KeyStoreEntry::Secret(_) => Vec::new(),
        };
        for (n, der) in ders.into_iter().enumerate() {
            let facts = certificate_facts(der).map_err(|e| format!("entry `{alias}`: {e}"))?;
            found.push(FoundCertificate {
                facts,
                line: None,
                position: format!("keystore entry `{alias}` certificate {}", n + 1),
            });
        }
    }
    Ok(found)
}

/// The certificates of a Java keystore.
pub fn jks(bytes: &[u8], password: Option<&str>) -> Result<Vec<FoundCertificate>, String> {
    let Some(password) = password else {
        return Err(format!(
            "Java KeyStore: its store password is needed to read it; {PASSWORD_HELP}"
        ));
    };
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
