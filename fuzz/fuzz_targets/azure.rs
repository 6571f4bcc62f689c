//! Azure / Entra ID exports: applications, service principals, sign-in activity reports and
//! credential responses, each parsed with every Azure format and assembled into records.
//! Input: `path\0content`.
#![no_main]

use deprov::sources::azure::{self, Format};
use libfuzzer_sys::fuzz_target;

const FORMATS: &[Format] = &[
    Format::Applications,
    Format::ServicePrincipals,
    Format::ServicePrincipalSignInActivities,
    Format::AppCredentialSignInActivities,
    Format::AddPasswordResponse,
    Format::AddKeyResponse,
];

fuzz_target!(|data: &[u8]| {
    deprov_fuzz::each_format(data, azure::detect, FORMATS, azure::parse, azure::assemble);
});
