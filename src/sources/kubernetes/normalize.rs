//! Kubernetes files → inventory records. Whether a token is orphaned or a binding subject is
//! dangling depends on the ServiceAccounts of every file in the scan, so both are decided here,
//! after all of them are indexed.

use crate::sources::Assembly;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::model::{ObjectMeta, Subject};
use super::{Binding, BindingScope, DataSecret, KubernetesFile, TOKEN_SECRET_TYPE};
use crate::discover::FileInput;
use crate::inventory::{
    AccountState, CredentialKind, CredentialRecord, CredentialStatus, Evidence, Expiry,
    GrantRecord, IdentityKind, IdentityRecord, LastUse, Records, SourceFamily, SystemRef,
};
use crate::sources::leak::ExportSecret;
use crate::sources::reconcile;
use crate::time::TimeField;

/// The exports do not name their cluster; every record is in this one system.
pub const CLUSTER: &str = "cluster";

const SA_NAME_ANNOTATION: &str = "kubernetes.io/service-account.name";
const SA_UID_ANNOTATION: &str = "kubernetes.io/service-account.uid";
const LAST_USED_LABEL: &str = "kubernetes.io/legacy-token-last-used";
const INVALID_SINCE_LABEL: &str = "kubernetes.io/legacy-token-invalid-since";
/// The prefix of a ServiceAccount's user name, and of the identities deprov gives them.
const SA_USER_PREFIX: &str = "system:serviceaccount:";
/// Groups that hold every ServiceAccount (of the cluster, or of a namespace after `:`).
const ALL_SA_GROUP: &str = "system:serviceaccounts";
const CLUSTER_ADMIN: &str = "cluster-admin";
const DEFAULT_NAMESPACE: &str = "default";

fn system() -> SystemRef {
    SystemRef::new(SourceFamily::Kubernetes, CLUSTER)
}

/// `system:serviceaccount:NS:NAME`, the user name the API server gives a ServiceAccount.
pub fn service_account_id(namespace: &str, name: &str) -> String {
    format!("{SA_USER_PREFIX}{namespace}:{name}")
}

/// The namespace and name in a `system:serviceaccount:NS:NAME` user name.
fn service_account_of_user(user: &str) -> Option<(&str, &str)> {
    let (namespace, name) = user.strip_prefix(SA_USER_PREFIX)?.split_once(':')?;
    (!namespace.is_empty() && !name.is_empty() && !name.contains(':')).then_some((namespace, name))
}

/// A JSON string as it appears in the file, to find the record's line later.
fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

/// The text that marks an object in its file: its uid (unique), else its name.
fn locator(meta: &ObjectMeta) -> String {
    quoted(
        meta.uid
            .as_deref()
            .filter(|uid| !uid.is_empty())
            .unwrap_or(&meta.name),
    )
}

/// The namespace of a namespaced object. Exports from the API always carry it; a manifest without
/// one means the namespace kubectl was pointed at, most often `default`.
fn namespace_or_default(meta: &ObjectMeta) -> &str {
    non_empty(meta.namespace.as_ref()).unwrap_or(DEFAULT_NAMESPACE)
}

fn non_empty(value: Option<&String>) -> Option<&str> {
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// What the scan says about a ServiceAccount's existence.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Existence<'a> {
    /// Present, with the uids the scan saw for it.
    Present(&'a [String]),
    /// Its namespace is listed and it is not there.
    Missing,
    /// Its namespace is not listed: cannot tell.
    Undecidable,
}

/// Namespaces a file could not judge, for one warning per file.
#[derive(Debug, Default)]
struct Undecided {
    namespaces: BTreeSet<String>,
    count: usize,
}

#[derive(Default)]
struct KubernetesJoin {
    /// (namespace, name) → uids seen for that ServiceAccount.
    service_accounts: HashMap<(String, String), Vec<String>>,
    listed_namespaces: BTreeSet<String>,
    /// Holders of `cluster-admin` cluster-wide: ServiceAccount IDs, namespaces whose every
    /// ServiceAccount holds it, or every ServiceAccount.
    admin_accounts: BTreeSet<String>,
    admin_namespaces: BTreeSet<String>,
    admin_all: bool,
    identities: BTreeMap<String, IdentityRecord>,
    credentials: BTreeMap<String, CredentialRecord>,
    grants: BTreeMap<(String, String), GrantRecord>,
    undecided_tokens: BTreeMap<String, Undecided>,
    undecided_subjects: BTreeMap<String, Undecided>,
    common: Assembly,
}

/// Joins every Kubernetes file of the scan into records, with warnings per file.
pub fn assemble(mut files: Vec<(FileInput, KubernetesFile)>, common: &mut Assembly) -> Records {
    let mut a = KubernetesJoin {
        common: std::mem::take(common),
        ..KubernetesJoin::default()
    };
    // Existence and cluster-admin holders first: tokens and bindings are judged against every
    // file's ServiceAccounts and bindings.
    for (input, file) in &files {
        a.common.reading(input);
        for meta in &file.service_accounts {
            a.index_service_account(meta, file.lists_service_accounts);
        }
        for binding in &file.bindings {
            a.index_cluster_admin(binding);
        }
    }
    // Each pass lets go of what it has read, so that a large cluster's parsed objects are not
    // held beside every record made from them.
    for (input, file) in &mut files {
        a.common.reading(input);
        for meta in &std::mem::take(&mut file.service_accounts) {
            a.add_service_account(input, meta);
        }
    }
    for (input, file) in files {
        a.common.reading(&input);
        for meta in &file.token_secrets {
            a.add_token_secret(&input, meta);
        }
        for secret in &file.data_secrets {
            a.expose_data_secret(&input, secret);
        }
        for binding in &file.bindings {
            a.add_binding(&input, binding);
        }
    }
    let (records, finished) = a.finish();
    *common = finished;
    records
}

impl KubernetesJoin {
    /// The namespace of a namespaced object, with a warning when it has none.
    fn namespace_of(&mut self, meta: &ObjectMeta, what: &str) -> String {
        if non_empty(meta.namespace.as_ref()).is_none() {
            self.common.warn(format!(
                "{what} {} has no metadata.namespace; read as namespace `{DEFAULT_NAMESPACE}`",
                meta.name
            ));
        }
        namespace_or_default(meta).to_string()
    }

    fn index_service_account(&mut self, meta: &ObjectMeta, from_list: bool) {
        if meta.name.trim().is_empty() {
            return;
        }
        let namespace = namespace_or_default(meta);
        let uids = self
            .service_accounts
            .entry((namespace.to_string(), meta.name.clone()))
            .or_default();
        if let Some(uid) = non_empty(meta.uid.as_ref()) {
            if !uids.iter().any(|u| u == uid) {
                uids.push(uid.to_string());
            }
        }
        if from_list {
            self.listed_namespaces.insert(namespace.to_string());
        }
    }

    fn index_cluster_admin(&mut self, binding: &Binding) {
        let is_cluster_admin = binding.scope == BindingScope::Cluster
            && binding
                .role_ref
                .as_ref()
                .is_some_and(|r| r.kind == "ClusterRole" && r.name == CLUSTER_ADMIN);
        if !is_cluster_admin {
            return;
        }
        for subject in &binding.subjects {
            match subject.kind.as_str() {
                "ServiceAccount" => {
                    if let Some(namespace) = non_empty(subject.namespace.as_ref()) {
                        self.admin_accounts
                            .insert(service_account_id(namespace, &subject.name));
                    }
                }
                "User" if service_account_of_user(&subject.name).is_some() => {
                    self.admin_accounts.insert(subject.name.clone());
                }
                "Group" if subject.name == ALL_SA_GROUP => self.admin_all = true,
                "Group" => {
                    if let Some(namespace) = subject
                        .name
                        .strip_prefix(ALL_SA_GROUP)
                        .and_then(|rest| rest.strip_prefix(':'))
                    {
                        self.admin_namespaces.insert(namespace.to_string());
                    }
                }
                _ => {}
            }
        }
    }

    fn existence(&self, namespace: &str, name: &str) -> Existence<'_> {
        match self
            .service_accounts
            .get(&(namespace.to_string(), name.to_string()))
        {
            Some(uids) => Existence::Present(uids),
            None if self.listed_namespaces.contains(namespace) => Existence::Missing,
            None => Existence::Undecidable,
        }
    }

    fn is_cluster_admin(&self, namespace: &str, account_id: &str) -> bool {
        self.admin_all
            || self.admin_namespaces.contains(namespace)
            || self.admin_accounts.contains(account_id)
    }

    fn add_service_account(&mut self, input: &FileInput, meta: &ObjectMeta) {
        if meta.name.trim().is_empty() {
            self.common
                .warn("a ServiceAccount without metadata.name; not read");
            return;
        }
        let namespace = self.namespace_of(meta, "ServiceAccount");
        let native_id = service_account_id(&namespace, &meta.name);
        let created = self
            .common
            .time(
                meta.creation_timestamp.as_deref(),
                &format!("ServiceAccount {namespace}/{} creationTimestamp", meta.name),
            )
            .at();
        let owner = non_empty(meta.labels.get("owner"))
            .or_else(|| non_empty(meta.annotations.get("owner")))
            .map(str::to_string);
        let record = {
            // Kubernetes creates `default` in every namespace and deletes it with the namespace.
            IdentityRecord::new(
                system(),
                native_id.clone(),
                if meta.name == "default" {
                    IdentityKind::Managed
                } else {
                    IdentityKind::Workload
                },
                AccountState::Enabled,
                Evidence::new(
                    &input.rel,
                    format!("ServiceAccount {namespace}/{}", meta.name),
                )
                .locate_by(locator(meta)),
            )
            .aliases(
                non_empty(meta.uid.as_ref())
                    .map(|uid| vec![uid.to_string()])
                    .unwrap_or_default(),
            )
            .display_name(Some(format!("{namespace}/{}", meta.name)))
            .created(created)
            .owner(owner)
        };
        self.merge_identity(record);
    }

    /// Adds an account, or weighs a second export's word on it with the first's
    /// (`sources::reconcile`).
    fn merge_identity(&mut self, record: IdentityRecord) {
        match self.identities.get_mut(&record.native_id) {
            Some(kept) => reconcile::account_into(kept, record, self.common.warnings_mut()),
            None => {
                self.identities.insert(record.native_id.clone(), record);
            }
        }
    }

    fn add_token_secret(&mut self, input: &FileInput, meta: &ObjectMeta) {
        if meta.name.trim().is_empty() {
            self.common
                .warn("a token Secret without metadata.name; not read");
            return;
        }
        let namespace = self.namespace_of(meta, "token Secret");
        let id = format!("{namespace}/{}", meta.name);
        // The same Secret in a second export: its word is weighed with the first's, and what
        // reading it reports is not reported twice.
        let again = self.credentials.contains_key(&id);
        let Some(account) = non_empty(meta.annotations.get(SA_NAME_ANNOTATION)) else {
            self.common.warn(format!(
                "token Secret {id} has no {SA_NAME_ANNOTATION} annotation, so no holder; not read"
            ));
            return;
        };
        let account = account.to_string();
        let holder = service_account_id(&namespace, &account);
        let created = self
            .common
            .time(
                meta.creation_timestamp.as_deref(),
                &format!("token Secret {id} creationTimestamp"),
            )
            .at();
        let last_used = match meta.labels.get(LAST_USED_LABEL) {
            None => LastUse::Unknown,
            Some(text) => {
                match self
                    .common
                    .time(Some(text), &format!("token Secret {id} {LAST_USED_LABEL}"))
                {
                    TimeField::At(at) => LastUse::At(at),
                    _ => LastUse::Unknown,
                }
            }
        };
        let mut status = CredentialStatus::Active;
        let mut detail =
            format!("legacy token Secret {id} of ServiceAccount {namespace}/{account}");
        if let Some(since) = non_empty(meta.labels.get(INVALID_SINCE_LABEL)) {
            status = CredentialStatus::Inactive;
            detail.push_str(&format!(
                "; invalidated by the legacy token cleaner since {since}"
            ));
        }
        let bound_uid = non_empty(meta.annotations.get(SA_UID_ANNOTATION)).map(str::to_string);
        let orphaned = match self.existence(&namespace, &account) {
            Existence::Present(uids) => match &bound_uid {
                Some(uid) if !uids.is_empty() && !uids.contains(uid) => Some(format!(
                    "it is bound to ServiceAccount uid {uid}, but {namespace}/{account} has uid {} (re-created)",
                    uids.join(", ")
                )),
                _ => None,
            },
            Existence::Missing => {
                self.add_deleted_account(input, meta, &namespace, &account, &holder);
                Some(format!(
                    "ServiceAccount {namespace}/{account} is not among the scan's ServiceAccounts of {namespace}"
                ))
            }
            Existence::Undecidable => {
                if !again {
                    let undecided =
                        self.undecided_tokens.entry(self.common.current().to_string()).or_default();
                    undecided.namespaces.insert(namespace.clone());
                    undecided.count += 1;
                }
                None
            }
        };
        if let Some(reason) = orphaned {
            status = CredentialStatus::Inactive;
            detail.push_str(&format!(
                "; orphaned: {reason}, so the API server rejects the token"
            ));
            if !again {
                self.common.warn(format!(
                    "token Secret {id} is orphaned ({reason}); read as inactive"
                ));
            }
        }
        let privileged = self.is_cluster_admin(&namespace, &holder);
        self.merge_credential({
            // Legacy service-account tokens carry no `exp`.
            CredentialRecord::new(
                system(),
                id,
                CredentialKind::Token,
                holder,
                status,
                Evidence::new(&input.rel, detail).locate_by(locator(meta)),
            )
            .created(created)
            .last_used(last_used)
            .expires(Expiry::Never)
            .privileged(privileged)
        });
    }

    /// A Secret exported with its data: a leak of the export, carrying the Secret (a token
    /// Secret's credential ID) and the ServiceAccount it is annotated with.
    fn expose_data_secret(&mut self, input: &FileInput, secret: &DataSecret) {
        let meta = &secret.metadata;
        let namespace = namespace_or_default(meta);
        let id = format!("{namespace}/{}", meta.name);
        let mut carries = vec![id.clone()];
        let account = non_empty(meta.annotations.get(SA_NAME_ANNOTATION));
        if let Some(account) = account {
            carries.push(service_account_id(namespace, account));
        }
        let secret_type = secret.secret_type.as_deref().unwrap_or("Opaque");
        let (detector, description) = if secret_type == TOKEN_SECRET_TYPE {
            (
                "export/kubernetes-service-account-token",
                "Kubernetes service-account token (Secret data in an export)".to_string(),
            )
        } else {
            (
                "export/kubernetes-secret",
                format!("Kubernetes Secret data ({secret_type}, in an export)"),
            )
        };
        let detail = match account {
            Some(account) => {
                format!(
                    "Secret {id} of ServiceAccount {namespace}/{account}, exported with its data"
                )
            }
            None => format!("Secret {id}, exported with its data"),
        };
        let evidence = Evidence::new(&input.rel, detail);
        self.common.expose(ExportSecret {
            system: system(),
            detector,
            description,
            carries,
            slot: id,
            sha256: secret.sha256,
            evidence: match secret.line {
                Some(line) => evidence.at_line(line),
                None => evidence.locate_by(locator(meta)),
            },
        });
    }

    /// Adds a credential, or weighs a second export's word on it with the first's.
    fn merge_credential(&mut self, record: CredentialRecord) {
        match self.credentials.get_mut(&record.id) {
            Some(kept) => reconcile::credential_into(kept, record, self.common.warnings_mut()),
            None => {
                self.credentials.insert(record.id.clone(), record);
            }
        }
    }

    /// A ServiceAccount that a token names but the listed namespace no longer holds: recorded as
    /// deleted, so that it is not mistaken for a live unregistered identity.
    fn add_deleted_account(
        &mut self,
        input: &FileInput,
        secret: &ObjectMeta,
        namespace: &str,
        account: &str,
        native_id: &str,
    ) {
        if self.identities.contains_key(native_id) {
            return;
        }
        let record = IdentityRecord::new(system(), native_id.to_string(), IdentityKind::Workload, AccountState::Deleted, Evidence::new(
                &input.rel,
                format!(
                    "ServiceAccount {namespace}/{account}, named by token Secret {namespace}/{}, is not in the scan: deleted",
                    secret.name
                ),
            )
            .locate_by(locator(secret))).display_name(Some(format!("{namespace}/{account}")));
        self.identities.insert(native_id.to_string(), record);
    }

    fn add_binding(&mut self, input: &FileInput, binding: &Binding) {
        let meta = &binding.metadata;
        let (binding_namespace, via) = match binding.scope {
            BindingScope::Namespace => {
                let namespace = self.namespace_of(meta, "RoleBinding");
                let via = format!("RoleBinding/{namespace}/{}", meta.name);
                (Some(namespace), via)
            }
            BindingScope::Cluster => (None, format!("ClusterRoleBinding/{}", meta.name)),
        };
        let Some(role_ref) = binding
            .role_ref
            .as_ref()
            .filter(|r| !r.name.is_empty() && !r.kind.is_empty())
        else {
            self.common.warn(format!("{via} has no roleRef; not read"));
            return;
        };
        let privilege = format!("{}/{} via {via}", role_ref.kind, role_ref.name);
        for subject in &binding.subjects {
            self.add_subject(
                input,
                binding,
                binding_namespace.as_deref(),
                &privilege,
                subject,
            );
        }
    }

    fn add_subject(
        &mut self,
        input: &FileInput,
        binding: &Binding,
        binding_namespace: Option<&str>,
        privilege: &str,
        subject: &Subject,
    ) {
        if subject.name.trim().is_empty() {
            self.common.warn(format!(
                "{privilege}: a {} subject without a name; not read",
                subject.kind
            ));
            return;
        }
        let service_account = match subject.kind.as_str() {
            "ServiceAccount" => match non_empty(subject.namespace.as_ref()).or(binding_namespace) {
                Some(namespace) => Some((namespace.to_string(), subject.name.clone())),
                None => {
                    self.common.warn(format!(
                        "{privilege}: ServiceAccount subject {} has no namespace; not read",
                        subject.name
                    ));
                    return;
                }
            },
            // The API server authenticates a ServiceAccount as this user name, so a User subject
            // of that form grants to the ServiceAccount.
            "User" => service_account_of_user(&subject.name)
                .map(|(namespace, name)| (namespace.to_string(), name.to_string())),
            "Group" => None,
            other => {
                self.common.warn(format!(
                    "{privilege}: subject {} of unknown kind `{other}`; not read",
                    subject.name
                ));
                return;
            }
        };
        let (holder, holder_kind, dangling, detail) = match service_account {
            Some((namespace, name)) => {
                let holder = service_account_id(&namespace, &name);
                let dangling = match self.existence(&namespace, &name) {
                    Existence::Present(_) => false,
                    Existence::Missing => true,
                    Existence::Undecidable => {
                        let undecided = self
                            .undecided_subjects
                            .entry(self.common.current().to_string())
                            .or_default();
                        undecided.namespaces.insert(namespace.clone());
                        undecided.count += 1;
                        false
                    }
                };
                let detail = if dangling {
                    format!(
                        "{privilege} to ServiceAccount {namespace}/{name}, which is not among the scan's ServiceAccounts of {namespace}"
                    )
                } else {
                    format!("{privilege} to ServiceAccount {namespace}/{name}")
                };
                (holder, IdentityKind::Workload, dangling, detail)
            }
            None if subject.kind == "Group" => (
                subject.name.clone(),
                IdentityKind::Group,
                false,
                format!("{privilege} to group {}", subject.name),
            ),
            None => (
                subject.name.clone(),
                IdentityKind::Human,
                false,
                format!("{privilege} to user {}", subject.name),
            ),
        };
        let key = (holder.clone(), privilege.to_string());
        if self.grants.contains_key(&key) {
            return;
        }
        let grant = GrantRecord::new(
            system(),
            holder,
            privilege.to_string(),
            Evidence::new(&input.rel, detail).locate_by(locator(&binding.metadata)),
        )
        .holder_kind(holder_kind)
        .dangling(dangling);
        self.grants.insert(key, grant);
    }

    fn finish(mut self) -> (Records, Assembly) {
        for (file, undecided) in std::mem::take(&mut self.undecided_tokens) {
            self.common.warnings_mut().push((
                file,
                format!(
                    "the scan lists no ServiceAccounts of namespace(s) {}: cannot tell whether {} token Secret(s) there are orphaned",
                    join(&undecided.namespaces),
                    undecided.count
                ),
            ));
        }
        for (file, undecided) in std::mem::take(&mut self.undecided_subjects) {
            self.common.warnings_mut().push((
                file,
                format!(
                    "the scan lists no ServiceAccounts of namespace(s) {}: cannot tell whether {} ServiceAccount subject(s) there still exist; not judged dangling",
                    join(&undecided.namespaces),
                    undecided.count
                ),
            ));
        }
        let records = Records {
            identities: self.identities.into_values().collect(),
            credentials: self.credentials.into_values().collect(),
            grants: self.grants.into_values().collect(),
            usages: Vec::new(),
            provisions: Vec::new(),
        };
        (records, self.common)
    }
}

fn join(names: &BTreeSet<String>) -> String {
    names
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .join(", ")
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::model::RoleRef;
    use super::super::Ignored;
    use super::*;

    /// The family's assembly on its own, with the warnings it gave.
    fn assemble(files: Vec<(FileInput, KubernetesFile)>) -> (Records, Vec<(String, String)>) {
        Assembly::alone(super::assemble, files)
    }

    fn meta(namespace: &str, name: &str, uid: &str) -> ObjectMeta {
        ObjectMeta {
            name: name.into(),
            namespace: (!namespace.is_empty()).then(|| namespace.into()),
            uid: (!uid.is_empty()).then(|| uid.into()),
            creation_timestamp: Some("2024-03-01T10:00:00Z".into()),
            ..ObjectMeta::default()
        }
    }

    fn token(namespace: &str, name: &str, account: &str, uid: &str) -> ObjectMeta {
        let mut m = meta(namespace, name, "");
        m.annotations
            .insert(SA_NAME_ANNOTATION.into(), account.into());
        if !uid.is_empty() {
            m.annotations.insert(SA_UID_ANNOTATION.into(), uid.into());
        }
        m
    }

    fn binding(
        scope: BindingScope,
        namespace: &str,
        role: (&str, &str),
        subjects: Vec<Subject>,
    ) -> Binding {
        Binding {
            scope,
            metadata: meta(namespace, "b", ""),
            role_ref: Some(RoleRef {
                kind: role.0.into(),
                name: role.1.into(),
            }),
            subjects,
        }
    }

    fn subject(kind: &str, name: &str, namespace: Option<&str>) -> Subject {
        Subject {
            kind: kind.into(),
            name: name.into(),
            namespace: namespace.map(Into::into),
        }
    }

    fn file(
        listed: bool,
        service_accounts: Vec<ObjectMeta>,
        token_secrets: Vec<ObjectMeta>,
        bindings: Vec<Binding>,
    ) -> (FileInput, KubernetesFile) {
        (
            FileInput {
                path: PathBuf::from("k.json"),
                rel: "k.json".into(),
                size: 0,
            },
            KubernetesFile {
                service_accounts,
                lists_service_accounts: listed,
                token_secrets,
                data_secrets: Vec::new(),
                bindings,
                ignored: Ignored::default(),
                truncated: false,
            },
        )
    }

    #[test]
    fn tokens_of_recreated_or_missing_accounts_are_orphaned() {
        let (records, warnings) = assemble(vec![file(
            true,
            vec![meta("ci", "a", "uid-new")],
            vec![
                token("ci", "a-old", "a", "uid-old"),
                token("ci", "a-live", "a", "uid-new"),
                token("ci", "gone-token", "gone", ""),
                token("other", "t", "x", ""),
            ],
            Vec::new(),
        )]);
        let status = |id: &str| {
            records
                .credentials
                .iter()
                .find(|c| c.id == id)
                .map(|c| (c.status, c.evidence.detail.clone()))
                .unwrap()
        };
        assert_eq!(status("ci/a-live").0, CredentialStatus::Active);
        let (old, detail) = status("ci/a-old");
        assert_eq!(old, CredentialStatus::Inactive);
        assert!(
            detail.contains("uid uid-old") && detail.contains("re-created"),
            "{detail}"
        );
        assert_eq!(status("ci/gone-token").0, CredentialStatus::Inactive);
        // A namespace whose ServiceAccounts are not in the scan is not judged.
        assert_eq!(status("other/t").0, CredentialStatus::Active);
        let gone = records
            .identities
            .iter()
            .find(|i| i.native_id == "system:serviceaccount:ci:gone")
            .unwrap();
        assert_eq!(gone.state, AccountState::Deleted);
        let messages: Vec<&str> = warnings.iter().map(|(_, m)| m.as_str()).collect();
        assert_eq!(
            messages
                .iter()
                .filter(|m| m.contains("is orphaned"))
                .count(),
            2
        );
        assert!(messages
            .iter()
            .any(|m| m.contains("namespace(s) other") && m.contains("1 token Secret(s)")));
    }

    #[test]
    fn token_labels_give_last_use_and_invalidation() {
        let mut used = token("ci", "used", "a", "");
        used.labels
            .insert(LAST_USED_LABEL.into(), "2026-04-02".into());
        let mut invalid = token("ci", "invalid", "a", "");
        invalid
            .labels
            .insert(INVALID_SINCE_LABEL.into(), "2025-01-01".into());
        let mut garbled = token("ci", "garbled", "a", "");
        garbled.labels.insert(LAST_USED_LABEL.into(), "soon".into());
        let (records, warnings) = assemble(vec![file(
            true,
            vec![meta("ci", "a", "")],
            vec![used, invalid, garbled],
            Vec::new(),
        )]);
        let find = |id: &str| records.credentials.iter().find(|c| c.id == id).unwrap();
        assert_eq!(
            find("ci/used").last_used,
            LastUse::At("2026-04-02T00:00:00Z".parse().unwrap())
        );
        assert_eq!(find("ci/used").expires, Expiry::Never);
        assert_eq!(find("ci/invalid").status, CredentialStatus::Inactive);
        assert_eq!(find("ci/invalid").last_used, LastUse::Unknown);
        assert_eq!(find("ci/garbled").last_used, LastUse::Unknown);
        assert!(warnings.iter().any(|(_, m)| m.contains("`soon`")));
    }

    #[test]
    fn subjects_become_grants_dangling_only_in_listed_namespaces() {
        let (records, warnings) = assemble(vec![file(
            true,
            vec![meta("ci", "present", "")],
            Vec::new(),
            vec![
                binding(
                    BindingScope::Namespace,
                    "ci",
                    ("ClusterRole", "edit"),
                    vec![
                        subject("ServiceAccount", "present", None),
                        subject("ServiceAccount", "missing", None),
                        subject("ServiceAccount", "elsewhere", Some("unlisted")),
                        subject("User", "jane@example.com", None),
                        subject("User", "system:serviceaccount:ci:missing2", None),
                        subject("Group", "system:serviceaccounts:ci", None),
                    ],
                ),
                binding(
                    BindingScope::Cluster,
                    "",
                    ("ClusterRole", "view"),
                    vec![subject("ServiceAccount", "no-namespace", None)],
                ),
            ],
        )]);
        let grant = |holder: &str| {
            records
                .grants
                .iter()
                .find(|g| g.holder == holder)
                .unwrap_or_else(|| panic!("{holder}"))
        };
        let present = grant("system:serviceaccount:ci:present");
        assert_eq!(present.privilege, "ClusterRole/edit via RoleBinding/ci/b");
        assert!(!present.dangling);
        assert!(grant("system:serviceaccount:ci:missing").dangling);
        assert!(grant("system:serviceaccount:ci:missing2").dangling);
        assert!(!grant("system:serviceaccount:unlisted:elsewhere").dangling);
        assert_eq!(grant("jane@example.com").holder_kind, IdentityKind::Human);
        assert_eq!(
            grant("system:serviceaccounts:ci").holder_kind,
            IdentityKind::Group
        );
        assert_eq!(records.grants.len(), 6);
        let messages: Vec<&str> = warnings.iter().map(|(_, m)| m.as_str()).collect();
        assert!(messages.iter().any(|m| m.contains("no-namespace")));
        assert!(messages
            .iter()
            .any(|m| m.contains("namespace(s) unlisted") && m.contains("not judged dangling")));
    }

    #[test]
    fn single_objects_do_not_list_a_namespace() {
        let (records, _) = assemble(vec![file(
            false,
            vec![meta("ci", "one", "")],
            Vec::new(),
            vec![binding(
                BindingScope::Namespace,
                "ci",
                ("Role", "r"),
                vec![subject("ServiceAccount", "other", None)],
            )],
        )]);
        assert!(!records.grants[0].dangling);
    }

    #[test]
    fn cluster_admin_tokens_are_privileged() {
        let (records, _) = assemble(vec![file(
            true,
            vec![meta("ci", "admin", ""), meta("ci", "plain", "")],
            vec![
                token("ci", "admin-token", "admin", ""),
                token("ci", "plain-token", "plain", ""),
            ],
            vec![binding(
                BindingScope::Cluster,
                "",
                ("ClusterRole", "cluster-admin"),
                vec![subject("ServiceAccount", "admin", Some("ci"))],
            )],
        )]);
        let privileged = |id: &str| {
            records
                .credentials
                .iter()
                .find(|c| c.id == id)
                .unwrap()
                .privileged
        };
        assert!(privileged("ci/admin-token"));
        assert!(!privileged("ci/plain-token"));
    }

    #[test]
    fn user_names_of_service_accounts_are_parsed_strictly() {
        assert_eq!(
            service_account_of_user("system:serviceaccount:ns:name"),
            Some(("ns", "name"))
        );
        assert_eq!(service_account_of_user("system:serviceaccount:ns"), None);
        assert_eq!(service_account_of_user("system:serviceaccount::x"), None);
        assert_eq!(service_account_of_user("alice"), None);
    }
}
