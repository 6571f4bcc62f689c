//! The lifecycle register (`src/sources/register/`): YAML and the CMDB CSV forms (identities,
//! people), each parsed with every register format, its problems rendered as the CLI renders
//! them (exit 2), and a register that reads correlated with an empty inventory.
//! Input: `path\0content` (a `.yaml` path lets YAML sniffing and detection of a broken YAML
//! register act).
#![no_main]

use deprov::inventory::{correlate, Records};
use deprov::sources::register::{self, Format};
use deprov_fuzz::{file_input, probe, render, split};
use libfuzzer_sys::fuzz_target;

const FORMATS: &[Format] = &[Format::Yaml, Format::IdentitiesCsv, Format::PeopleCsv];

fuzz_target!(|data: &[u8]| {
    let (rel, content) = split(data);
    let input = file_input(&rel, content.len());
    let probe = probe(&input, content);
    let _ = register::detect(&probe);
    for &format in FORMATS {
        match register::parse(&probe, format, Some(jiff::Timestamp::UNIX_EPOCH)) {
            Ok((register, _warnings)) => {
                let _ = correlate(register, Records::default());
            }
            Err(e) => {
                let _ = e.reason();
                let _ = render(&e);
            }
        }
    }
});
