//! GitHub exports: fine-grained personal access tokens, deploy keys, app installations
//! (arrays, paginated pages back to back), each parsed with every GitHub format and assembled
//! into records. Input: `path\0content`.
#![no_main]

use deprov::sources::github::{self, Format};
use libfuzzer_sys::fuzz_target;

const FORMATS: &[Format] = &[
    Format::FineGrainedPats,
    Format::DeployKeys,
    Format::Installations,
];

fuzz_target!(|data: &[u8]| {
    deprov_fuzz::each_format(data, github::detect, FORMATS, github::parse, github::assemble);
});
