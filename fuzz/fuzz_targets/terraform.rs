//! Terraform states (format version 4 and older), `terraform show -json` of a state and plans,
//! each parsed with every Terraform format and assembled into provision records and the
//! secrets of the file. Input: `path\0content`.
#![no_main]

use deprov::sources::terraform::{self, Format};
use libfuzzer_sys::fuzz_target;

const FORMATS: &[Format] = &[Format::State, Format::ShownState, Format::Plan];

fuzz_target!(|data: &[u8]| {
    deprov_fuzz::each_format(
        data,
        terraform::detect,
        FORMATS,
        terraform::parse,
        terraform::assemble,
    );
});
