//! HashiCorp Vault / OpenBao exports (one API response per file, in a directory that mirrors the
//! API paths read) and file audit device logs (JSON lines, streamed).
//!
//! Format decisions:
//! - **Recognised by content.** A JSON object whose top-level keys all belong to the response
//!   envelope (`request_id`, `lease_id`, `renewable`, `lease_duration`, `data`, `wrap_info`,
//!   `warnings`, `auth`, `mount_type`), so the CLI's `-format=json` output and raw API bodies
//!   (sometimes only `data`) both read, is told apart by the keys of `data`: a token lookup
//!   (`accessor` + `creation_time`/`expire_time`/`policies`), a secret ID accessor lookup
//!   (`secret_id_accessor`), a role ID (`role_id`), a Kubernetes auth role
//!   (`bound_service_account_names`), an AppRole role (`bind_secret_id`, `secret_id_ttl`,
//!   `secret_id_num_uses` or `secret_id_bound_cidrs`), an entity (`id` + `aliases`), a lease
//!   (`id` + `issue_time`), KV v2 metadata (`versions` + `current_version`/`created_time`), a PKI
//!   certificate (`certificate` + `revocation_time`), a list (`keys`); a login response by a
//!   top-level `auth` with an `accessor`. A bare JSON array of strings (`vault list`) is claimed
//!   only when its path has a Vault anchor. Audit logs are JSON lines (or JSON documents) whose
//!   first entry has `type`, `time` and `auth` or `request`.
//! - **Names from the path.** `path.rs` finds the API path inside the file's relative path by its
//!   anchors (`auth/MOUNT/…`, `identity/…`, `sys/leases/lookup/…`, `MOUNT/metadata/…`,
//!   `MOUNT/cert[s]/…`); the directory before the anchor names the Vault system (`vault` at the
//!   root). Files outside that layout join the export whose directory contains them, and take
//!   what the body lacks from the file name with a warning (an AppRole role read as
//!   `deploy.json` is `auth/approle/role/deploy`). Auth mounts may span several components
//!   (`auth/team/approle/role/x`); a secret-engine mount is the one component before `metadata`
//!   or `cert[s]` (the export script writes nested ones with `-`).
//! - **Secrets are never read.** The models have no field for a token (`id`,
//!   `auth.client_token`), a secret ID, a KV value or a private key.
//! - **Tokens** are credentials keyed by accessor. Holder, first that applies: `meta.role_name`
//!   with the mount of `path` (`auth/MOUNT/role/ROLE`), Kubernetes service-account metadata
//!   (`system:serviceaccount:NS:NAME`), `entity_id` (`vault:entity:ID`), a root token
//!   (`vault:root`), else `vault:token:ACCESSOR`. Non-expiring: `expire_time` null with `ttl` 0,
//!   or periodic without an explicit max TTL. A token's policies are not grants (its role's are).
//!   A login response gives the same credential without an issue time (expiry unknown); the
//!   mount of its `metadata.role_name` is the file's `auth/MOUNT/login` path, else `approle` is
//!   assumed and said; a lookup of the same accessor wins.
//! - **AppRole roles** are service identities `auth/MOUNT/role/NAME` (their role ID an alias),
//!   with one grant per token policy except `default`, and a `token_role` credential
//!   `auth/MOUNT/role/NAME#login` that never expires when the role mints periodic tokens without
//!   an explicit max TTL. Secret IDs are credentials of their role (`0001-01-01` expiry: never).
//!   Kubernetes auth roles grant their policies to each bound service account (wildcards are
//!   reported, not attributed).
//! - **Entities** are identities `vault:entity:ID`; an AppRole alias adds the role ID (and the
//!   role, when its role ID was exported), a Kubernetes alias `NS/NAME` adds
//!   `system:serviceaccount:NS:NAME`. Disabled entities are disabled accounts.
//! - **Leases** are credentials of `auth/MOUNT/role/NAME` (`auth/MOUNT/login/NAME/…`), of
//!   `MOUNT/roles/ROLE` (`MOUNT/creds/ROLE/…`), else of `vault:lease:PREFIX`.
//! - **KV v2 secrets** are stored secrets of the identity named by a `custom_metadata` key
//!   (`deprov_identity`, `identity`, `owner_identity`, `service`, first found, any case); a new
//!   version is a rotation (the current version's `created_time`, else `updated_time`). Every
//!   version destroyed: revoked. Every live version soft-deleted or scheduled for deletion: the
//!   latest `deletion_time` is its expiry (soft-deleted data can be undeleted, so it is still
//!   present until destroyed). Secrets that name no identity are counted in one warning per
//!   export.
//! - **PKI certificates** are read from their PEM: a workload identity (`dns:` CN or first DNS
//!   SAN; a CA is an authority) with a certificate credential `sha256:FINGERPRINT`, revoked when
//!   `revocation_time` > 0. An unreadable PEM is a warning.
//! - **Lists** give no records; listed accessors, leases and serials without a lookup in the
//!   export are counted in a warning (they are not judged).
//! - **Audit logs** (`audit.rs`, streamed line by line; memory grows with the number of
//!   distinct subjects only) give the latest use per role, service account, entity, root and
//!   plain accessor; people (auth metadata with a `username`) are not NHI use and are left out.
//!   A malformed line is counted and named in a warning; the log must start with a readable
//!   entry to be recognised at all. A token's last use is `never` when an audit log of its
//!   system records plain accessors (`hmac_accessor=false`), began before the token was
//!   created, went on after it, and never shows its accessor; otherwise it stays unknown.

pub mod audit;
mod audit_secrets;
mod leaks;
mod model;
mod normalize;
mod path;
mod roles;
mod stored;
mod tokens;
mod usage;

use std::io::BufReader;

use jiff::Timestamp;
use serde::de::DeserializeOwned;

pub use normalize::assemble;

use super::SourceError;
use crate::discover::probe::{Content, JsonShape, Probe};
use crate::time::{from_unix_seconds, TimeField};
use crate::x509::{certificate_facts, pem_blocks, CertificateFacts};
use audit::AuditSummary;
use model::{
    AppRoleRole, Entity, Envelope, KeyList, KubernetesRole, KvMetadata, Lease, LoginAuth,
    LoginEnvelope, PkiCertificate, RoleId, SecretIdAccessor, TokenLookup,
};
use path::{ApiPath, ExportPath};

crate::sources::formats! {
    pub enum Format {
        TokenLookup => "token-lookup",
        LoginResponse => "login-response",
        AppRoleRole => "approle-role",
        RoleId => "approle-role-id",
        SecretIdAccessor => "secret-id-accessor",
        KubernetesRole => "kubernetes-role",
        Entity => "entity",
        Lease => "lease",
        KvMetadata => "kv-metadata",
        PkiCertificate => "pki-certificate",
        /// `{"data":{"keys":[…]}}`
        List => "list",
        /// The bare array `vault list -format=json` prints.
        BareList => "list",
        AuditLog => "audit-log",
    }
}

/// Top-level keys of a Vault response (API and CLI). A JSON object with any other key is not a
/// Vault response.
const ENVELOPE_KEYS: [&str; 9] = [
    "request_id",
    "lease_id",
    "renewable",
    "lease_duration",
    "data",
    "wrap_info",
    "warnings",
    "auth",
    "mount_type",
];

fn is_audit_entry(shape: &JsonShape) -> bool {
    shape.has("type") && shape.has("time") && (shape.has("auth") || shape.has("request"))
}

/// Recognises a Vault response, list or audit log by its content; the path is consulted only
/// for bare arrays, which carry no shape of their own.
pub fn detect(probe: &Probe) -> Option<Format> {
    match &probe.content {
        Content::JsonLines(shape) if is_audit_entry(shape) => Some(Format::AuditLog),
        Content::Json(shape) if !shape.is_array && is_audit_entry(shape) => Some(Format::AuditLog),
        Content::Json(shape)
            if !shape.is_array
                && shape
                    .keys
                    .iter()
                    .all(|k| ENVELOPE_KEYS.contains(&k.as_str())) =>
        {
            detect_response(shape)
        }
        // Strings only (no element keys) under a Vault path: `vault list -format=json`.
        Content::Json(shape)
            if shape.is_array
                && shape.keys.is_empty()
                && ExportPath::locate(&probe.input.rel).api.is_some() =>
        {
            Some(Format::BareList)
        }
        _ => None,
    }
}

fn detect_response(shape: &JsonShape) -> Option<Format> {
    let data = |key: &str| shape.nested_has("data", key);
    if data("accessor") && (data("creation_time") || data("expire_time") || data("policies")) {
        Some(Format::TokenLookup)
    } else if data("secret_id_accessor") {
        Some(Format::SecretIdAccessor)
    } else if data("role_id") {
        Some(Format::RoleId)
    } else if data("bound_service_account_names") {
        Some(Format::KubernetesRole)
    } else if [
        "bind_secret_id",
        "secret_id_ttl",
        "secret_id_num_uses",
        "secret_id_bound_cidrs",
    ]
    .iter()
    .any(|k| data(k))
    {
        Some(Format::AppRoleRole)
    } else if data("id") && data("aliases") {
        Some(Format::Entity)
    } else if data("id") && data("issue_time") {
        Some(Format::Lease)
    } else if data("versions") && (data("current_version") || data("created_time")) {
        Some(Format::KvMetadata)
    } else if data("certificate") && (data("revocation_time") || data("revocation_time_rfc3339")) {
        Some(Format::PkiCertificate)
    } else if data("keys") {
        Some(Format::List)
    } else if shape.nested_has("auth", "accessor") {
        Some(Format::LoginResponse)
    } else {
        None
    }
}

/// A PKI certificate as read: its facts, or why they could not be read.
#[derive(Debug, Clone)]
pub struct PkiEntry {
    pub facts: Option<CertificateFacts>,
    pub revoked_at: Option<Timestamp>,
    pub issuer_id: Option<String>,
}

/// What one file held; several documents of one kind may share a file.
#[derive(Debug, Clone)]
pub enum VaultBody {
    Tokens(Vec<TokenLookup>),
    Logins(Vec<LoginAuth>),
    AppRoles(Vec<AppRoleRole>),
    RoleIds(Vec<RoleId>),
    SecretIds(Vec<SecretIdAccessor>),
    KubernetesRoles(Vec<KubernetesRole>),
    Entities(Vec<Entity>),
    Leases(Vec<Lease>),
    KvMetadata(Vec<KvMetadata>),
    PkiCertificates(Vec<PkiEntry>),
    List(Vec<String>),
    Audit(AuditSummary),
}

/// One parsed file of this family, with its place in the export.
#[derive(Debug, Clone)]
pub struct VaultFile {
    pub place: ExportPath,
    pub body: VaultBody,
    warnings: Vec<String>,
    /// In a one-response file that holds a token or secret ID in plain, the line of its field.
    pub secret_line: Option<u32>,
}

impl super::FamilyFile for VaultFile {
    fn record_count(&self) -> usize {
        let policies =
            |token: &[String], legacy: &[String]| normalize::granted_policies(token, legacy).len();
        match &self.body {
            VaultBody::Tokens(items) => items.len(),
            VaultBody::Logins(items) => items.len(),
            // The role, its login credential and its policies.
            VaultBody::AppRoles(roles) => roles
                .iter()
                .map(|r| 2 + policies(&r.token_policies, &r.policies))
                .sum(),
            VaultBody::RoleIds(_) | VaultBody::List(_) => 0,
            VaultBody::SecretIds(items) => items.len(),
            // Wildcard bindings are reported, not attributed.
            VaultBody::KubernetesRoles(roles) => roles
                .iter()
                .filter(|r| {
                    !r.bound_service_account_names
                        .iter()
                        .chain(&r.bound_service_account_namespaces)
                        .any(|v| v.contains('*'))
                })
                .map(|r| {
                    policies(&r.token_policies, &r.policies)
                        * r.bound_service_account_names.len()
                        * r.bound_service_account_namespaces.len()
                })
                .sum(),
            VaultBody::Entities(entities) => entities
                .iter()
                .map(|e| 1 + policies(&e.policies, &[]))
                .sum(),
            VaultBody::Leases(items) => items.len(),
            VaultBody::KvMetadata(items) => items
                .iter()
                .filter(|m| stored::kv_identity(m).is_some())
                .count(),
            VaultBody::PkiCertificates(items) => {
                2 * items.iter().filter(|c| c.facts.is_some()).count()
            }
            VaultBody::Audit(summary) => summary.uses.len(),
        }
    }

    /// Defects worth telling the user about; the file is still read.
    fn warnings(&self) -> Vec<String> {
        let mut warnings = self.warnings.clone();
        if let VaultBody::Audit(summary) = &self.body {
            warnings.extend(summary.warnings());
        }
        warnings
    }
}

pub fn parse(probe: &Probe, format: Format) -> Result<VaultFile, SourceError> {
    let place = ExportPath::locate(&probe.input.rel);
    let mut warnings = Vec::new();
    if format == Format::AuditLog {
        let summary = match (&probe.content, probe.bytes()) {
            (Content::Json(_), Some(bytes)) => audit::read_documents(bytes),
            _ => {
                let file = crate::discover::open_regular(&probe.input.path)
                    .map_err(|e| SourceError::io(probe.input.rel.clone(), e.to_string()))?;
                audit::read_lines(BufReader::with_capacity(1 << 20, file))
                    .map_err(|e| SourceError::io(probe.input.rel.clone(), e.to_string()))?
            }
        };
        return Ok(VaultFile {
            place,
            body: VaultBody::Audit(summary),
            warnings,
            secret_line: None,
        });
    }
    let bytes = super::whole(probe)?;
    let json = |e: serde_json::Error| SourceError::json(probe.input, bytes, format.name(), &e);
    let body = match format {
        Format::TokenLookup => {
            VaultBody::Tokens(data_documents(bytes, &mut warnings).map_err(json)?)
        }
        Format::SecretIdAccessor => {
            VaultBody::SecretIds(data_documents(bytes, &mut warnings).map_err(json)?)
        }
        Format::RoleId => VaultBody::RoleIds(data_documents(bytes, &mut warnings).map_err(json)?),
        Format::KubernetesRole => {
            VaultBody::KubernetesRoles(data_documents(bytes, &mut warnings).map_err(json)?)
        }
        Format::AppRoleRole => {
            VaultBody::AppRoles(data_documents(bytes, &mut warnings).map_err(json)?)
        }
        Format::Entity => VaultBody::Entities(data_documents(bytes, &mut warnings).map_err(json)?),
        Format::Lease => VaultBody::Leases(data_documents(bytes, &mut warnings).map_err(json)?),
        Format::KvMetadata => {
            VaultBody::KvMetadata(data_documents(bytes, &mut warnings).map_err(json)?)
        }
        Format::List => VaultBody::List(
            data_documents::<KeyList>(bytes, &mut warnings)
                .map_err(json)?
                .into_iter()
                .flat_map(|list| list.keys)
                .collect(),
        ),
        Format::BareList => {
            VaultBody::List(documents::<Vec<String>>(bytes).map_err(json)?.concat())
        }
        Format::LoginResponse => {
            let mut logins = Vec::new();
            for envelope in documents::<LoginEnvelope>(bytes).map_err(json)? {
                match envelope.auth {
                    Some(auth) => logins.push(auth),
                    None => warnings.push("a response without `auth`: nothing to read".into()),
                }
            }
            VaultBody::Logins(logins)
        }
        Format::PkiCertificate => {
            let certificates: Vec<PkiCertificate> =
                data_documents(bytes, &mut warnings).map_err(json)?;
            VaultBody::PkiCertificates(
                certificates
                    .iter()
                    .map(|c| read_certificate(c, &place, &mut warnings))
                    .collect(),
            )
        }
        Format::AuditLog => VaultBody::Audit(AuditSummary::default()),
    };
    let secret_line = secret_line(bytes, &body);
    Ok(VaultFile {
        place,
        body,
        warnings,
        secret_line,
    })
}

/// The line of the token or secret ID a one-response file holds in plain (a file of several
/// responses cites each by its accessor instead).
fn secret_line(bytes: &[u8], body: &VaultBody) -> Option<u32> {
    let field = match body {
        VaultBody::Tokens(t) if t.len() == 1 && t[0].id.live().is_some() => "\"id\"",
        VaultBody::Logins(l) if l.len() == 1 && l[0].client_token.live().is_some() => {
            "\"client_token\""
        }
        VaultBody::SecretIds(s) if s.len() == 1 && s[0].secret_id.live().is_some() => {
            "\"secret_id\""
        }
        _ => return None,
    };
    super::leak::line_of(bytes, field)
}

/// Every JSON document of a file (one, usually; collectors sometimes append several responses).
fn documents<T: DeserializeOwned>(bytes: &[u8]) -> Result<Vec<T>, serde_json::Error> {
    serde_json::Deserializer::from_slice(bytes)
        .into_iter::<T>()
        .collect()
}

/// The `data` of every response in a file; a response whose `data` is null is a warning.
fn data_documents<T: DeserializeOwned>(
    bytes: &[u8],
    warnings: &mut Vec<String>,
) -> Result<Vec<T>, serde_json::Error> {
    let mut items = Vec::new();
    for envelope in documents::<Envelope<T>>(bytes)? {
        match envelope.data {
            Some(data) => items.push(data),
            None => warnings.push("a response whose `data` is null: nothing to read".into()),
        }
    }
    Ok(items)
}

/// Reads the PEM of a PKI certificate. Documentation samples shorten it with `...`: that is a
/// warning, not a broken file.
fn read_certificate(
    certificate: &PkiCertificate,
    place: &ExportPath,
    warnings: &mut Vec<String>,
) -> PkiEntry {
    let revoked_at = match from_unix_seconds(certificate.revocation_time.0) {
        TimeField::At(at) => Some(at),
        _ => certificate
            .revocation_time_rfc3339
            .as_deref()
            .and_then(|t| crate::time::parse_field(t).ok())
            .and_then(TimeField::at),
    };
    let serial = match &place.api {
        Some(ApiPath::PkiCert { serial, .. }) => serial.clone(),
        _ => "(not in the file's path)".to_string(),
    };
    let facts = pem_blocks(certificate.certificate.as_bytes())
        .into_iter()
        .find(|block| block.label == "CERTIFICATE")
        .ok_or_else(|| "no CERTIFICATE block".to_string())
        .and_then(|block| block.contents)
        .and_then(|der| certificate_facts(&der).map_err(|e| e.to_string()));
    let facts = match facts {
        Ok(facts) => Some(facts),
        Err(problem) => {
            let revoked = revoked_at.map_or(String::new(), |at| {
                format!(
                    "; the certificate was revoked at {}",
                    crate::time::format_rfc3339(at)
                )
            });
            warnings.push(format!(
                "certificate PEM of serial {serial} is unreadable: {problem}{revoked}; no certificate record"
            ));
            None
        }
    };
    PkiEntry {
        facts,
        revoked_at,
        issuer_id: certificate.issuer_id.clone(),
    }
}

/// The Vault / OpenBao family.
pub struct Vault;

impl super::Family for Vault {
    type Format = Format;
    type File = VaultFile;

    fn source(&self) -> crate::inventory::SourceFamily {
        crate::inventory::SourceFamily::Vault
    }

    fn recognise(&self, probe: &Probe) -> Option<Format> {
        detect(probe)
    }

    fn parse(
        &self,
        probe: &Probe,
        format: Format,
        _context: &super::ParseContext,
    ) -> Result<VaultFile, SourceError> {
        parse(probe, format)
    }

    fn characteristic_keys(&self) -> &'static [(Format, &'static [&'static str])] {
        &[
            (
                Format::AuditLog,
                &["time", "type", "auth", "request", "response"],
            ),
            (
                Format::TokenLookup,
                &[
                    "request_id",
                    "lease_duration",
                    "data.accessor",
                    "data.creation_time",
                    "data.policies",
                ],
            ),
            (
                Format::LoginResponse,
                &[
                    "request_id",
                    "lease_duration",
                    "auth.accessor",
                    "auth.client_token",
                    "auth.metadata",
                ],
            ),
            (
                Format::AppRoleRole,
                &[
                    "request_id",
                    "data.bind_secret_id",
                    "data.secret_id_ttl",
                    "data.token_policies",
                ],
            ),
            (
                Format::Lease,
                &[
                    "request_id",
                    "data.id",
                    "data.issue_time",
                    "data.expire_time",
                ],
            ),
            (
                Format::Entity,
                &["request_id", "data.id", "data.aliases", "data.name"],
            ),
        ]
    }

    fn assemble(
        &self,
        files: Vec<(crate::discover::FileInput, VaultFile)>,
        assembly: &mut super::Assembly,
    ) -> Result<super::Contribution, super::family::AssembleError> {
        Ok(assemble(files, assembly).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::FileInput;
    use crate::sources::FamilyFile as _;

    fn probe_of(rel: &str, text: &str) -> (tempfile::TempDir, FileInput) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f.json");
        std::fs::write(&path, text).unwrap();
        let input = FileInput {
            path,
            rel: rel.to_string(),
            size: text.len() as u64,
        };
        (dir, input)
    }

    fn detected(rel: &str, text: &str) -> Option<Format> {
        let (_dir, input) = probe_of(rel, text);
        let probe = Probe::read(&input, 1 << 20).unwrap();
        detect(&probe)
    }

    #[test]
    fn responses_are_told_apart_by_their_data() {
        let cases = [
            (
                r#"{"data":{"accessor":"a","creation_time":1}}"#,
                Format::TokenLookup,
            ),
            (
                r#"{"request_id":"r","data":{"secret_id_accessor":"a"},"auth":null}"#,
                Format::SecretIdAccessor,
            ),
            (r#"{"data":{"role_id":"x"}}"#, Format::RoleId),
            (
                r#"{"data":{"secret_id_ttl":0,"token_policies":[]}}"#,
                Format::AppRoleRole,
            ),
            (
                r#"{"data":{"bound_service_account_names":["a"],"token_policies":[]}}"#,
                Format::KubernetesRole,
            ),
            (
                r#"{"data":{"id":"e","aliases":[],"name":"n"}}"#,
                Format::Entity,
            ),
            (r#"{"data":{"id":"l","issue_time":"x"}}"#, Format::Lease),
            (
                r#"{"data":{"versions":{},"current_version":1}}"#,
                Format::KvMetadata,
            ),
            (
                r#"{"data":{"certificate":"","revocation_time":0}}"#,
                Format::PkiCertificate,
            ),
            (r#"{"data":{"keys":["a"]}}"#, Format::List),
            (
                r#"{"auth":{"accessor":"a","client_token":"t"},"data":null}"#,
                Format::LoginResponse,
            ),
        ];
        for (text, format) in cases {
            assert_eq!(detected("x.json", text), Some(format), "{text}");
        }
    }

    #[test]
    fn foreign_json_is_not_claimed() {
        assert_eq!(
            detected(
                "x.json",
                r#"{"data":{"accessor":"a","creation_time":1},"kind":"Secret"}"#
            ),
            None
        );
        assert_eq!(detected("x.json", r#"{"keys":["a"]}"#), None);
        assert_eq!(detected("x.json", r#"["a","b"]"#), None);
        assert_eq!(
            detected("auth/token/accessors.json", r#"["a","b"]"#),
            Some(Format::BareList)
        );
        assert_eq!(detected("auth/token/accessors.json", r#"[{"a":1}]"#), None);
    }

    #[test]
    fn audit_lines_and_documents_are_recognised() {
        let line =
            r#"{"time":"2026-01-01T00:00:00Z","type":"request","request":{"path":"sys/health"}}"#;
        assert_eq!(
            detected("a.log", &format!("{line}\n{line}\n")),
            Some(Format::AuditLog)
        );
        assert_eq!(detected("a.json", line), Some(Format::AuditLog));
    }

    #[test]
    fn wrong_types_are_errors_with_a_line() {
        let text = "{\"data\": {\n  \"accessor\": \"a\",\n  \"creation_time\": \"yesterday\"\n}}";
        let (_dir, input) = probe_of("t.json", text);
        let probe = Probe::read(&input, 1 << 20).unwrap();
        let err = parse(&probe, Format::TokenLookup).unwrap_err();
        let reason = err.reason();
        assert!(reason.contains("line 3"), "{reason}");
    }

    #[test]
    fn truncated_pem_is_a_warning_naming_the_serial_and_revocation() {
        let text = r#"{"data":{"certificate":"-----BEGIN CERTIFICATE-----\nMIIGmDCC\n...","revocation_time":1667400107}}"#;
        let (_dir, input) = probe_of("vault/pki/cert/17:67.json", text);
        let probe = Probe::read(&input, 1 << 20).unwrap();
        let file = parse(&probe, Format::PkiCertificate).unwrap();
        assert_eq!(file.record_count(), 0);
        let warnings = file.warnings();
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].starts_with("certificate PEM of serial 17:67 is unreadable: "),
            "{warnings:?}"
        );
        assert!(
            warnings[0].contains("revoked at 2022-11-02T14:41:47Z"),
            "{warnings:?}"
        );
    }
}
