//! GCP exports: service accounts, service-account keys, IAM policies, Cloud Asset Inventory
//! (JSON lines and JSON), Recommender service-account insights and Policy Analyzer activities,
//! each parsed with every GCP format and assembled into records.
//! Input: `path\0content`.
#![no_main]

use deprov::sources::gcp::{self, Format};
use libfuzzer_sys::fuzz_target;

const FORMATS: &[Format] = &[
    Format::ServiceAccounts,
    Format::ServiceAccountKeys,
    Format::IamPolicy,
    Format::AssetInventory,
    Format::ServiceAccountInsights,
    Format::PolicyAnalyzerActivities,
];

fuzz_target!(|data: &[u8]| {
    deprov_fuzz::each_format(data, gcp::detect, FORMATS, gcp::parse, gcp::assemble);
});
