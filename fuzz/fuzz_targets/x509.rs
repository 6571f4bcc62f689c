//! Shared X.509 reading (`src/x509.rs`): PEM splitting (`pem_blocks`), then certificate and CRL
//! facts of every block, and of the input itself as DER. Input: PEM text or DER.
#![no_main]

use deprov::x509::{certificate_facts, crl_facts, pem_blocks};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    for block in pem_blocks(data) {
        if let Ok(der) = block.contents {
            let _ = certificate_facts(&der);
            let _ = crl_facts(&der);
        }
    }
    let _ = certificate_facts(data);
    let _ = crl_facts(data);
});
