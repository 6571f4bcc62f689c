//! The built-in policy pack, schema and catalogs, compiled into the binary so that deprov runs
//! anywhere without its source tree. `tests/catalog_integrity.rs` checks that these lists match
//! the files in `policies/` and `rules/`.

/// A file shipped inside the binary, with the path it has in the repository.
#[derive(Debug, Clone, Copy)]
pub struct EmbeddedFile {
    pub path: &'static str,
    pub text: &'static str,
}

macro_rules! embed {
    ($path:literal) => {
        EmbeddedFile {
            path: $path,
            text: include_str!(concat!("../", $path)),
        }
    };
}

pub const SCHEMA: EmbeddedFile = embed!("policies/schema.cedarschema");

pub const POLICIES: &[EmbeddedFile] = &[
    embed!("policies/baseline.cedar"),
    embed!("policies/DPV001-retired-identity-active-credential.cedar"),
    embed!("policies/DPV002-retired-identity-holds-grant.cedar"),
    embed!("policies/DPV003-retired-identity-certificate.cedar"),
    embed!("policies/DPV004-retired-identity-secret-in-repository.cedar"),
    embed!("policies/DPV005-dangling-grant.cedar"),
    embed!("policies/DPV006-owner-departed-or-unknown.cedar"),
    embed!("policies/DPV007-used-after-retirement.cedar"),
    embed!("policies/DPV008-reference-to-retired-identity.cedar"),
    embed!("policies/DPV009-credential-on-disabled-account.cedar"),
    embed!("policies/DPV010-revoked-but-trusted.cedar"),
    embed!("policies/DPV011-code-provisions-retired-identity.cedar"),
    embed!("policies/STL001-unused-credential.cedar"),
    embed!("policies/STL002-never-used-credential.cedar"),
    embed!("policies/STL003-not-rotated.cedar"),
    embed!("policies/STL004-no-expiry-or-long-lifetime.cedar"),
    embed!("policies/STL005-multiple-active-keys.cedar"),
    embed!("policies/STL006-expired-credential-present.cedar"),
    embed!("policies/INV001-unregistered-identity.cedar"),
    embed!("policies/LEAK001-unattributed-secret.cedar"),
    embed!("policies/LEAK002-active-identity-secret-in-repository.cedar"),
];

pub const RULE_CATALOG: EmbeddedFile = embed!("rules/catalog.yaml");

pub const FRAMEWORKS: &[EmbeddedFile] = &[
    embed!("rules/frameworks/owasp-nhi-2025.yaml"),
    embed!("rules/frameworks/owasp-agentic-2026.yaml"),
    embed!("rules/frameworks/nist-csf-2.0.yaml"),
    embed!("rules/frameworks/nist-sp800-207.yaml"),
    embed!("rules/frameworks/nist-sp800-53-r5.yaml"),
    embed!("rules/frameworks/cis-aws.yaml"),
    embed!("rules/frameworks/cis-gcp.yaml"),
    embed!("rules/frameworks/pci-dss-4.0.1.yaml"),
    embed!("rules/frameworks/iso27001-2022.yaml"),
];
