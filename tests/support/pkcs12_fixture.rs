// Crafted PKCS#12 files for the tests of the key-derivation limits (issue 13, item 17), built
// here rather than committed so that each case says what it sets: the MAC's iteration count,
// how the certificates are encrypted, and private-key bags whose own key derivation would be
// huge. Included by `src/sources/certs/pkcs12.rs` (unit tests) and `tests/hostile.rs`.

use cms::content_info::{CmsVersion, ContentInfo};
use cms::encrypted_data::EncryptedData;
use cms::enveloped_data::EncryptedContentInfo;
use der::asn1::{ObjectIdentifier, OctetString};
use der::{Any, Decode, Encode};
use hmac_13::{KeyInit, Mac};
use spki::AlgorithmIdentifierOwned;

const DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.1");
const ENCRYPTED_DATA: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.7.6");
const CERT_BAG: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.3");
const SHROUDED_KEY_BAG: ObjectIdentifier =
    ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.10.1.2");
const X509_CERTIFICATE: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.9.22.1");
const PBES2: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.5.13");
const PBE_SHA_3DES: ObjectIdentifier = ObjectIdentifier::new_unwrap("1.2.840.113549.1.12.1.3");
const SHA256: ObjectIdentifier = ObjectIdentifier::new_unwrap("2.16.840.1.101.3.4.2.1");

/// How the certificates' part is protected.
#[derive(Clone, Copy)]
pub enum Part {
    Plain,
    /// PBES2: PBKDF2-HMAC-SHA256 with this many iterations, AES-256-CBC.
    Pbkdf2(u32),
    /// PBES2 with scrypt (log2 N).
    Scrypt(u8),
}

/// What to craft.
#[derive(Clone, Copy)]
pub struct Crafted<'a> {
    /// The MAC's iteration count; `None` writes no MAC.
    pub mac_iterations: Option<i32>,
    pub part: Part,
    /// Private-key bags written next to the certificates, each claiming this many iterations
    /// for its own key derivation (their content is noise: it is never decrypted).
    pub shrouded_keys: usize,
    pub key_iterations: i32,
    pub password: &'a str,
}

impl Default for Crafted<'_> {
    fn default() -> Self {
        Crafted {
            mac_iterations: Some(2048),
            part: Part::Plain,
            shrouded_keys: 0,
            key_iterations: 2048,
            password: "",
        }
    }
}

fn any(der: &[u8]) -> Any {
    Any::from_der(der).unwrap()
}

/// Above this many iterations a derivation is not run by the fixture either: the MAC or the
/// ciphertext is noise, which is all a file refused before opening needs (and a debug build
/// derives keys slowly).
const REFUSED_ANYWAY: u32 = 100_000;

/// A bag; `SafeBag` wraps its value in the `[0]` tag when encoding (and keeps it when decoding).
fn bag(id: ObjectIdentifier, value: Vec<u8>) -> pkcs12::SafeBag {
    pkcs12::SafeBag {
        bag_id: id,
        bag_value: value,
        bag_attributes: None,
    }
}

/// A PKCS#12 file holding `certificates` (DER) as `crafted` says.
pub fn pkcs12(certificates: &[&[u8]], crafted: Crafted) -> Vec<u8> {
    let mut bags: Vec<pkcs12::SafeBag> = certificates
        .iter()
        .map(|der| {
            let cert_bag = pkcs12::CertBag {
                cert_id: X509_CERTIFICATE,
                cert_value: OctetString::new(der.to_vec()).unwrap(),
            };
            bag(CERT_BAG, cert_bag.to_der().unwrap())
        })
        .collect();
    for _ in 0..crafted.shrouded_keys {
        let params = pkcs12::pbe_params::Pkcs12PbeParams {
            salt: OctetString::new(vec![7u8; 8]).unwrap(),
            iterations: crafted.key_iterations,
        };
        let key = pkcs12::pbe_params::EncryptedPrivateKeyInfo {
            encryption_algorithm: AlgorithmIdentifierOwned {
                oid: PBE_SHA_3DES,
                parameters: Some(any(&params.to_der().unwrap())),
            },
            encrypted_data: OctetString::new(vec![0x5a; 64]).unwrap(),
        };
        bags.push(bag(SHROUDED_KEY_BAG, key.to_der().unwrap()));
    }
    let safe_contents = bags.to_der().unwrap();
    let part = match crafted.part {
        Part::Plain => ContentInfo {
            content_type: DATA,
            content: any(&OctetString::new(safe_contents).unwrap().to_der().unwrap()),
        },
        Part::Pbkdf2(iterations) => encrypted(
            pkcs5::pbes2::Parameters::generate_pbkdf2_sha256_aes256cbc(
                iterations, &[1u8; 16], [2u8; 16],
            )
            .unwrap(),
            &safe_contents,
            crafted.password,
        ),
        Part::Scrypt(log_n) => encrypted(
            pkcs5::pbes2::Parameters::generate_scrypt_aes256cbc(
                pkcs5::scrypt::Params::new(log_n, 8, 1).unwrap(),
                &[1u8; 16],
                [2u8; 16],
            )
            .unwrap(),
            &safe_contents,
            crafted.password,
        ),
    };
    let auth_safe = vec![part].to_der().unwrap();
    let mac_data = crafted.mac_iterations.map(|iterations| {
        let salt = [3u8; 8];
        let digest = if iterations as u32 <= REFUSED_ANYWAY {
            let key = pkcs12::kdf::derive_key_utf8::<sha2_11::Sha256>(
                crafted.password,
                &salt,
                pkcs12::kdf::Pkcs12KeyType::Mac,
                iterations,
                32,
            )
            .unwrap();
            let mut mac = hmac_13::Hmac::<sha2_11::Sha256>::new_from_slice(&key).unwrap();
            mac.update(&auth_safe);
            mac.finalize().into_bytes().to_vec()
        } else {
            vec![0x5a; 32]
        };
        pkcs12::MacData {
            mac: pkcs12::DigestInfo {
                algorithm: AlgorithmIdentifierOwned {
                    oid: SHA256,
                    parameters: None,
                },
                digest: OctetString::new(digest).unwrap(),
            },
            mac_salt: OctetString::new(salt.to_vec()).unwrap(),
            iterations,
        }
    });
    pkcs12::pfx::Pfx {
        version: pkcs12::pfx::Version::V3,
        auth_safe: ContentInfo {
            content_type: DATA,
            content: any(&OctetString::new(auth_safe).unwrap().to_der().unwrap()),
        },
        mac_data,
    }
    .to_der()
    .unwrap()
}

fn encrypted(
    parameters: pkcs5::pbes2::Parameters,
    plaintext: &[u8],
    password: &str,
) -> ContentInfo {
    let runs = match &parameters.kdf {
        pkcs5::pbes2::Kdf::Pbkdf2(pbkdf2) => pbkdf2.iteration_count <= REFUSED_ANYWAY,
        _ => false,
    };
    let ciphertext = if runs {
        parameters.encrypt(password.as_bytes(), plaintext).unwrap()
    } else {
        vec![0x5a; plaintext.len().div_ceil(16) * 16]
    };
    let data = EncryptedData {
        version: CmsVersion::V0,
        enc_content_info: EncryptedContentInfo {
            content_type: DATA,
            content_enc_alg: AlgorithmIdentifierOwned {
                oid: PBES2,
                parameters: Some(any(&parameters.to_der().unwrap())),
            },
            encrypted_content: Some(OctetString::new(ciphertext).unwrap()),
        },
        unprotected_attrs: None,
    };
    ContentInfo {
        content_type: ENCRYPTED_DATA,
        content: any(&data.to_der().unwrap()),
    }
}
