//! AWS IAM exports: the credential report (CSV, and the JSON envelope with base64 or decoded
//! `Content`), authorization details, access keys, last used, roles and users, IAM Access Analyzer
//! findings, each parsed with every AWS format and assembled into records. Input:
//! `path\0content`.
#![no_main]

use deprov::sources::aws::{self, Format};
use libfuzzer_sys::fuzz_target;

const FORMATS: &[Format] = &[
    Format::CredentialReportCsv,
    Format::CredentialReportJson,
    Format::AuthorizationDetails,
    Format::AccessKeys,
    Format::AccessKeyLastUsed,
    Format::Roles,
    Format::Users,
    Format::CreateAccessKey,
    Format::AnalyzerFindings,
    Format::AnalyzerFinding,
];

fuzz_target!(|data: &[u8]| {
    deprov_fuzz::each_format(
        data,
        aws::detect,
        FORMATS,
        |probe, format| aws::parse(probe, format, None),
        aws::assemble,
    );
});
