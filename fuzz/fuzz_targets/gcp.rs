//! GCP exports: service accounts, service-account keys, IAM policies and Cloud Asset Inventory
//! (JSON lines and JSON), each parsed with every GCP format and assembled into records.
//! Input: `path\0content`.
#![no_main]

use deprov::sources::gcp::{self, Format};
use libfuzzer_sys::fuzz_target;

const FORMATS: &[Format] = &[
    Format::ServiceAccounts,
    Format::ServiceAccountKeys,
    Format::IamPolicy,
    Format::AssetInventory,
];

fuzz_target!(|data: &[u8]| {
    deprov_fuzz::each_format(data, gcp::detect, FORMATS, gcp::parse, gcp::assemble);
});
