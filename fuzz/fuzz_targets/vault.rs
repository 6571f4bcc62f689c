//! Vault / OpenBao export files: token and secret-ID accessor lookups, login responses, AppRole
//! and Kubernetes roles, role IDs, entities, leases, KV v2 metadata, PKI certificates, lists,
//! and audit logs written as JSON documents, each parsed with every Vault format and assembled
//! into records. The path matters here (API paths name mounts, roles and accessors), so the
//! seeds keep the export layout. Input: `path\0content`.
#![no_main]

use deprov::sources::vault::{self, Format};
use libfuzzer_sys::fuzz_target;

const FORMATS: &[Format] = &[
    Format::TokenLookup,
    Format::LoginResponse,
    Format::AppRoleRole,
    Format::RoleId,
    Format::SecretIdAccessor,
    Format::KubernetesRole,
    Format::Entity,
    Format::Lease,
    Format::KvMetadata,
    Format::PkiCertificate,
    Format::List,
    Format::BareList,
    Format::AuditLog,
];

fuzz_target!(|data: &[u8]| {
    deprov_fuzz::each_format(data, vault::detect, FORMATS, vault::parse, vault::assemble);
});
