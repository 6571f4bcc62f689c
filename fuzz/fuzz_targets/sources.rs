//! Every export family through the scanner's own path: sniff the content (`Probe`), `detect`
//! the format, `parse` it, `assemble` the family's records and correlate them with the
//! register (or an empty one). Input: `path\0content` (see `fuzz/src/lib.rs`).
#![no_main]

use deprov::inventory::correlate;
use deprov::sources::{self, ParseContext};
use deprov_fuzz::{file_input, keystore_passwords, probe, render, split};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let (rel, content) = split(data);
    let input = file_input(&rel, content.len());
    let probe = probe(&input, content);
    let Some(format) = sources::detect(&probe) else {
        let _ = sources::detect_broken(&probe);
        let _ = sources::unrecognised_reason(&probe);
        return;
    };
    let _ = format.name();
    let options = ParseContext {
        keystore_passwords: keystore_passwords(&rel),
        now: Some(jiff::Timestamp::UNIX_EPOCH),
        ..Default::default()
    };
    match sources::parse(&probe, format, &options) {
        Ok(parsed) => {
            if let Ok(assembled) = sources::assemble(vec![parsed]) {
                let _ = correlate(assembled.register, assembled.records);
            }
        }
        Err(e) => {
            let _ = e.reason();
            let _ = render(&e);
        }
    }
});
