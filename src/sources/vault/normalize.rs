//! Vault files → inventory records, joined across the files of one export (one Vault system):
//! the assembly that every record passes through, and the order in which the kinds of file are
//! read so that the joins see what they need (role IDs before roles and entities, lookups before
//! the lists that name them, the export's mounts before the audit log's display names).
//! The records themselves are made in `roles.rs`, `tokens.rs`, `stored.rs` and `usage.rs`.

use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet};

use jiff::Timestamp;

use super::audit::AuditSummary;
use super::model::{
    AppRoleRole, Entity, KubernetesRole, KvMetadata, Lease, LoginAuth, SecretIdAccessor,
    TokenLookup,
};
use super::path::{role_id_path, ApiPath, ExportPath};
use super::stored::{serial_key, KV_IDENTITY_KEYS};
use super::usage::Looked;
use super::{PkiEntry, VaultBody, VaultFile};
use crate::discover::FileInput;
use crate::inventory::{
    CredentialRecord, Evidence, GrantRecord, IdentityKind, IdentityRecord, Records, SourceFamily,
    SystemRef, UsageRecord,
};
use crate::sources::reconcile;
use crate::sources::Assembly;
use crate::time::{parse_field, TimeField};

/// The mount AppRole is enabled at unless configured otherwise.
pub(super) const DEFAULT_APPROLE_MOUNT: &str = "approle";

/// The policy every token gets; holding it grants nothing worth reporting.
const DEFAULT_POLICY: &str = "default";

/// The policies a role, entity or token grants: `token_policies` and the legacy `policies`,
/// without `default`, deduplicated in order.
pub(super) fn granted_policies(token_policies: &[String], legacy: &[String]) -> Vec<String> {
    let mut seen = BTreeSet::new();
    token_policies
        .iter()
        .chain(legacy)
        .map(|p| p.trim())
        .filter(|p| !p.is_empty() && *p != DEFAULT_POLICY)
        .filter(|p| seen.insert(p.to_string()))
        .map(str::to_string)
        .collect()
}

/// A file name without its extension: the name of what a file outside the layout describes.
pub(super) fn file_stem(rel: &str) -> &str {
    let name = rel.rsplit('/').next().unwrap_or(rel);
    match name.rsplit_once('.') {
        Some((stem, _)) if !stem.is_empty() => stem,
        _ => name,
    }
}

/// An audit line number as evidence carries it.
pub(super) fn line(n: u64) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

/// Reads a timestamp field; text that is neither a date nor a sentinel is a warning and unknown.
pub(super) fn time_field(text: Option<&str>, what: &str, warnings: &mut Vec<String>) -> TimeField {
    match text.map(parse_field) {
        None => TimeField::Absent,
        Some(Ok(field)) => field,
        Some(Err(e)) => {
            warnings.push(format!("{what}: {e}; treated as unknown"));
            TimeField::Absent
        }
    }
}

/// A list for an evidence detail.
pub(super) fn list_text(items: &[String]) -> String {
    if items.is_empty() {
        "none".to_string()
    } else {
        items.join(", ")
    }
}

/// The files of one Vault system, by kind, in scan order.
#[derive(Default)]
pub(super) struct Export<'f> {
    pub(super) tokens: Vec<(&'f FileInput, &'f TokenLookup)>,
    pub(super) logins: Vec<(&'f FileInput, &'f ExportPath, &'f LoginAuth)>,
    approles: Vec<(&'f FileInput, &'f ExportPath, &'f AppRoleRole)>,
    role_ids: Vec<(&'f FileInput, &'f ExportPath, &'f str)>,
    pub(super) secret_ids: Vec<(&'f FileInput, &'f ExportPath, &'f SecretIdAccessor)>,
    kubernetes_roles: Vec<(&'f FileInput, &'f ExportPath, &'f KubernetesRole)>,
    entities: Vec<(&'f FileInput, &'f Entity)>,
    leases: Vec<(&'f FileInput, &'f Lease)>,
    kv: Vec<(&'f FileInput, &'f ExportPath, &'f KvMetadata)>,
    pki: Vec<(&'f FileInput, &'f ExportPath, &'f PkiEntry)>,
    lists: Vec<(&'f FileInput, &'f ExportPath, &'f [String])>,
    pub(super) audits: Vec<(&'f FileInput, &'f AuditSummary)>,
    /// The line of the token or secret ID a one-response file holds, by file.
    pub(super) secret_lines: HashMap<&'f str, u32>,
}

/// Joins every Vault file of the scan into records, with warnings per file.
pub fn assemble(files: Vec<(FileInput, VaultFile)>, common: &mut Assembly) -> Records {
    let systems = system_names(&files);
    let mut exports: BTreeMap<&str, Export> = BTreeMap::new();
    for ((input, file), system) in files.iter().zip(&systems) {
        let export = exports.entry(system.as_str()).or_default();
        let place = &file.place;
        if let Some(line) = file.secret_line {
            export.secret_lines.insert(input.rel.as_str(), line);
        }
        match &file.body {
            VaultBody::Tokens(items) => export.tokens.extend(items.iter().map(|t| (input, t))),
            VaultBody::Logins(items) => export
                .logins
                .extend(items.iter().map(|l| (input, place, l))),
            VaultBody::AppRoles(items) => export
                .approles
                .extend(items.iter().map(|r| (input, place, r))),
            VaultBody::RoleIds(items) => export
                .role_ids
                .extend(items.iter().map(|r| (input, place, r.role_id.as_str()))),
            VaultBody::SecretIds(items) => export
                .secret_ids
                .extend(items.iter().map(|s| (input, place, s))),
            VaultBody::KubernetesRoles(items) => export
                .kubernetes_roles
                .extend(items.iter().map(|r| (input, place, r))),
            VaultBody::Entities(items) => export.entities.extend(items.iter().map(|e| (input, e))),
            VaultBody::Leases(items) => export.leases.extend(items.iter().map(|l| (input, l))),
            VaultBody::KvMetadata(items) => {
                export.kv.extend(items.iter().map(|m| (input, place, m)))
            }
            VaultBody::PkiCertificates(items) => {
                export.pki.extend(items.iter().map(|c| (input, place, c)))
            }
            VaultBody::List(keys) => export.lists.push((input, place, keys.as_slice())),
            VaultBody::Audit(summary) => export.audits.push((input, summary)),
        }
    }
    let mut assembly = VaultJoin {
        common: std::mem::take(common),
        system: SystemRef::new(SourceFamily::Vault, super::path::DEFAULT_SYSTEM),
        identities: Vec::new(),
        identity_index: HashMap::new(),
        credentials: Vec::new(),
        credential_index: HashMap::new(),
        grants: Vec::new(),
        usages: Vec::new(),
    };
    for (system, export) in &exports {
        assembly.system = SystemRef::new(SourceFamily::Vault, *system);
        assembly.add_export(export);
    }
    let (records, finished) = assembly.finish();
    *common = finished;
    records
}

/// The system of each file: the directory before its API path; a file outside the layout joins
/// the export whose directory contains it (an audit log in `vault/audit/`), else its own
/// directory names it.
fn system_names(files: &[(FileInput, VaultFile)]) -> Vec<String> {
    let anchored: BTreeMap<&str, &str> = files
        .iter()
        .filter(|(_, f)| f.place.api.is_some())
        .map(|(_, f)| (f.place.prefix.as_str(), f.place.system.as_str()))
        .collect();
    files
        .iter()
        .map(|(_, file)| {
            if file.place.api.is_some() {
                return file.place.system.clone();
            }
            let dir = file.place.prefix.as_str();
            anchored
                .iter()
                .filter(|(prefix, _)| {
                    prefix.is_empty()
                        || dir == **prefix
                        || dir
                            .strip_prefix(**prefix)
                            .is_some_and(|r| r.starts_with('/'))
                })
                .max_by_key(|(prefix, _)| prefix.len())
                .map_or_else(
                    || file.place.system.clone(),
                    |(_, system)| system.to_string(),
                )
        })
        .collect()
}

pub(super) struct VaultJoin {
    /// The system whose export is being read.
    pub(super) system: SystemRef,
    pub(super) identities: Vec<IdentityRecord>,
    pub(super) identity_index: HashMap<(SystemRef, String), usize>,
    pub(super) credentials: Vec<CredentialRecord>,
    pub(super) credential_index: HashMap<(SystemRef, String), usize>,
    pub(super) grants: Vec<GrantRecord>,
    pub(super) usages: Vec<UsageRecord>,
    /// The file being read and the warnings, shared with every family.
    pub(super) common: Assembly,
}

impl VaultJoin {
    /// A warning about `input` (Vault files are joined by export, not one after the other).
    pub(super) fn warn(&mut self, input: &FileInput, message: String) {
        self.common.warn_about(input.rel.as_str(), message);
    }

    pub(super) fn warn_all(&mut self, input: &FileInput, messages: Vec<String>) {
        for message in messages {
            self.warn(input, message);
        }
    }

    /// Adds an identity, or merges its aliases into the one already read.
    pub(super) fn push_identity(&mut self, record: IdentityRecord) {
        let key = (record.system.clone(), record.native_id.clone());
        match self.identity_index.get(&key) {
            Some(&i) => {
                reconcile::account_into(&mut self.identities[i], record, self.common.warnings_mut())
            }
            None => {
                self.identity_index.insert(key, self.identities.len());
                self.identities.push(record);
            }
        }
    }

    /// Adds a credential; one already read (a role in API and CLI form) is weighed with it
    /// instead (`sources::reconcile`), and `false` says so.
    pub(super) fn push_credential(&mut self, record: CredentialRecord) -> bool {
        let key = (record.system.clone(), record.id.clone());
        if let Some(&i) = self.credential_index.get(&key) {
            reconcile::credential_into(
                &mut self.credentials[i],
                record,
                self.common.warnings_mut(),
            );
            return false;
        }
        self.credential_index.insert(key, self.credentials.len());
        self.credentials.push(record);
        true
    }

    /// A policy held by an identity of this system.
    pub(super) fn grant(
        &mut self,
        input: &FileInput,
        holder: &str,
        holder_kind: IdentityKind,
        policy: &str,
        detail: String,
    ) {
        self.grants.push(
            GrantRecord::new(
                self.system.clone(),
                holder.to_string(),
                format!("policy:{policy}"),
                Evidence::new(&input.rel, detail).locate_by(format!("\"{policy}\"")),
            )
            .holder_kind(holder_kind),
        );
    }

    /// One system's files, kind by kind, in the order the joins need.
    fn add_export(&mut self, export: &Export) {
        let role_of_role_id = self.add_roles(export);
        for (input, place, role) in &export.kubernetes_roles {
            self.add_kubernetes_role(input, place, role);
        }
        for (input, entity) in &export.entities {
            self.add_entity(input, entity, &role_of_role_id);
        }
        let (token_accessors, tokens_created) = self.add_tokens(export);
        let mut secret_id_accessors: HashSet<(String, &str)> = HashSet::new();
        for (input, place, secret_id) in &export.secret_ids {
            let holder = self.add_secret_id(input, place, secret_id);
            secret_id_accessors.insert((holder, secret_id.secret_id_accessor.trim()));
        }
        let mut lease_ids: HashSet<&str> = HashSet::new();
        for (input, lease) in &export.leases {
            self.add_lease(input, lease);
            lease_ids.insert(lease.id.trim());
        }
        self.add_kv_secrets(export);
        let serials = self.add_certificates(export);
        let looked = Looked {
            tokens: &token_accessors,
            secret_ids: &secret_id_accessors,
            leases: &lease_ids,
            serials: &serials,
        };
        for (input, place, keys) in &export.lists {
            self.check_list(input, place, keys, &looked);
        }
        let approle_mounts: BTreeSet<String> = self
            .identities
            .iter()
            .filter(|i| i.system == self.system)
            .filter_map(|i| {
                let rest = i.native_id.strip_prefix("auth/")?;
                Some(rest.rsplit_once("/role/")?.0.to_string())
            })
            .collect();
        for (input, summary) in &export.audits {
            self.add_audit(input, summary, &approle_mounts);
        }
        self.judge_unseen_tokens(&export.audits, &tokens_created);
        self.expose_secrets(export, &approle_mounts, &role_of_role_id);
    }

    /// AppRole roles with their role IDs (read first: roles and entity aliases join through
    /// them). Returns role ID → role.
    fn add_roles(&mut self, export: &Export) -> HashMap<String, String> {
        let mut role_id_of_role: BTreeMap<String, String> = BTreeMap::new();
        let mut role_of_role_id: HashMap<String, String> = HashMap::new();
        for (input, place, role_id) in &export.role_ids {
            let Some(ApiPath::RoleId { mount, name }) = &place.api else {
                self.warn(
                    input,
                    "role ID outside auth/MOUNT/role/NAME/role-id: its role is unknown, so it joins nothing".into(),
                );
                continue;
            };
            let role_id = role_id.trim();
            if role_id.is_empty() {
                self.warn(input, "empty role_id".into());
                continue;
            }
            let role = role_id_path(mount, name);
            role_id_of_role.insert(role.clone(), role_id.to_string());
            role_of_role_id.insert(role_id.to_string(), role);
        }
        let mut roles_read: HashSet<String> = HashSet::new();
        for (input, place, role) in &export.approles {
            let name = self.role_name(input, place);
            let path = name.path();
            self.add_approle(input, &name, role, role_id_of_role.get(&path));
            roles_read.insert(path);
        }
        // A role ID without its role's file still says the role exists.
        for (input, place, role_id) in &export.role_ids {
            if let Some(ApiPath::RoleId { mount, name }) = &place.api {
                if !roles_read.contains(&role_id_path(mount, name)) && !role_id.trim().is_empty() {
                    self.add_role_known_by_id(input, mount, name, role_id.trim());
                }
            }
        }
        role_of_role_id
    }

    /// Token lookups, then login responses of tokens not looked up. Returns the accessors read
    /// and, per token credential, its index and creation time.
    fn add_tokens<'e>(
        &mut self,
        export: &Export<'e>,
    ) -> (HashSet<&'e str>, Vec<(usize, Timestamp)>) {
        let mut accessors: HashSet<&str> = HashSet::new();
        let mut created: Vec<(usize, Timestamp)> = Vec::new();
        for (input, token) in &export.tokens {
            created.extend(self.add_token(input, token));
            accessors.insert(token.accessor.trim());
        }
        for (input, place, login) in &export.logins {
            if accessors.insert(login.accessor.trim()) {
                self.add_login(input, place, login);
            }
        }
        (accessors, created)
    }

    /// KV secrets; those that name no identity are counted in one warning per export.
    fn add_kv_secrets(&mut self, export: &Export) {
        let mut unattributed: Vec<&FileInput> = Vec::new();
        for (input, place, metadata) in &export.kv {
            if !self.add_kv(input, place, metadata) {
                unattributed.push(input);
            }
        }
        if let Some(first) = unattributed.first() {
            self.warn(
                first,
                format!(
                    "{} KV secret(s) in {} name no identity in custom_metadata ({}): they are not attributed",
                    unattributed.len(),
                    self.system.name,
                    KV_IDENTITY_KEYS.join(", ")
                ),
            );
        }
    }

    /// PKI certificates. Returns the (mount, serial) pairs read, by path and by certificate.
    fn add_certificates(&mut self, export: &Export) -> HashSet<(String, String)> {
        let mut serials: HashSet<(String, String)> = HashSet::new();
        for (input, place, entry) in &export.pki {
            let mount = match &place.api {
                Some(ApiPath::PkiCert { mount, serial }) => {
                    serials.insert((mount.clone(), serial_key(serial)));
                    mount.clone()
                }
                _ => String::new(),
            };
            if let Some(facts) = &entry.facts {
                serials.insert((mount, serial_key(&facts.serial)));
            }
            self.add_certificate(input, place, entry);
        }
        serials
    }

    fn finish(self) -> (Records, Assembly) {
        (
            Records {
                identities: self.identities,
                credentials: self.credentials,
                grants: self.grants,
                usages: self.usages,
                provisions: Vec::new(),
            },
            self.common,
        )
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn policies_skip_default_and_repeat() {
        let granted = granted_policies(
            &["default".into(), "ci-deploy".into(), " ".into()],
            &["ci-deploy".into(), "read".into()],
        );
        assert_eq!(granted, vec!["ci-deploy", "read"]);
    }
}
