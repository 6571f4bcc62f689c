//! Certificate stores (`src/sources/certs/`): PEM bundles, DER certificates and CRLs, PKCS#7
//! (`.p7b`, DER or BER), PKCS#12 (opened against a small key-derivation budget) and Java
//! keystores (tried with the password `changeit`, that of the samples, and without one: both
//! forms of "no password" for PKCS#12, the unverified walk for JKS) and x509-limbo test cases,
//! each parsed with every certificate format and assembled into records. Input: `path\0content`.
#![no_main]

use deprov::sources::certs::{self, Format};
use libfuzzer_sys::fuzz_target;

const FORMATS: &[Format] = &[
    Format::Pem,
    Format::DerCertificate,
    Format::DerCrl,
    Format::Pkcs7,
    Format::Pkcs12,
    Format::JavaKeyStore,
    Format::LimboTestCase,
];

fuzz_target!(|data: &[u8]| {
    let (rel, _) = deprov_fuzz::split(data);
    for passwords in [
        deprov_fuzz::keystore_passwords(&rel),
        certs::KeystorePasswords::default(),
    ] {
        deprov_fuzz::each_format(
            data,
            certs::detect,
            FORMATS,
            |probe, format| {
                // A keystore's key derivations run when opened, against a budget: a small one
                // here (a fuzzed MAC may ask for the per-derivation maximum of 1,000,000
                // iterations).
                certs::parse(probe, format, &passwords).map(|mut file| {
                    let _ = certs::open_pending(&mut file, &mut certs::KdfBudget::of(50_000));
                    file
                })
            },
            certs::assemble,
        );
    }
});
