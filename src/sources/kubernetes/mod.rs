//! Kubernetes (`kubectl get … -o json`): ServiceAccounts, legacy service-account token Secrets,
//! RoleBindings and ClusterRoleBindings, as a `kind: List`, a typed list (`ServiceAccountList`,
//! `SecretList`, `RoleBindingList`, `ClusterRoleBindingList`) or a single object.
//!
//! Format decisions:
//! - Recognised by content: a JSON object with `apiVersion` and `kind` whose `kind` is `List`, one
//!   of the kinds above or their typed list. The `kind` value is read from the document (the key
//!   shape alone cannot tell a ServiceAccount from any other object).
//! - The exports do not name their cluster, so every record is in the one system
//!   `kubernetes:cluster` (scan one cluster per run, or its identities merge).
//! - A ServiceAccount is the identity `system:serviceaccount:NS:NAME` (its `uid` an alias, its
//!   `owner` label or annotation its owner). Every ServiceAccount is reported, `default` included.
//! - A `kubernetes.io/service-account-token` Secret is a legacy token (credential `NS/SECRET`):
//!   no expiry, last use from the `kubernetes.io/legacy-token-last-used` label (unknown without
//!   it), inactive once labelled `kubernetes.io/legacy-token-invalid-since`. It is privileged
//!   when its ServiceAccount is bound to `cluster-admin` cluster-wide.
//! - A Secret of any type whose `data` or `stringData` holds a value is a leak of the export
//!   (`sources::leak`: an export of Secrets with their data hands them to whoever reads it), one
//!   exposure per Secret at the line of its `data`, carrying `NS/NAME` (a token Secret's
//!   credential) and, when annotated `kubernetes.io/service-account.name`, its ServiceAccount:
//!   DPV004 or LEAK002 through them, LEAK001 for a Secret nothing in the inventory owns. Public
//!   entries are not secret material (`ca.crt`; a token Secret's `namespace`; `tls.crt`; a
//!   basic-auth `username`; a bootstrap token's fields but `token-secret`), nor is a `data` value
//!   that is not base64 (a manifest's placeholder: the API server only returns base64). The
//!   values are reduced to digests while they are read, never kept.
//! - Existence is judged per namespace: a namespace counts as listed when a list export in the
//!   scan holds at least one of its ServiceAccounts (single-object exports do not list a
//!   namespace). In a listed namespace, a binding subject with no ServiceAccount is dangling
//!   (DPV005), and a token whose ServiceAccount is missing, or whose
//!   `kubernetes.io/service-account.uid` differs from the live one, is orphaned: the API server
//!   rejects it, so it is inactive (and a missing ServiceAccount is recorded as deleted). In a
//!   namespace that is not listed nothing is judged, and each file says so once.
//! - A binding gives one grant per subject, `ClusterRole/NAME via ClusterRoleBinding/BINDING` or
//!   `Role/NAME via RoleBinding/NS/BINDING`. User subjects are people, except
//!   `system:serviceaccount:NS:NAME` users, which are ServiceAccounts; Group subjects are groups.
//! - Other kinds in a `List`, and Secrets of other types, are counted in one warning per file.

mod model;
mod normalize;

use std::collections::BTreeMap;

pub use normalize::assemble;
pub(crate) use normalize::service_account_id;

use super::{leak, SourceError};
use crate::discover::probe::{Content, Probe};
use model::{Object, ObjectHeader, ObjectList, ObjectMeta, RoleRef, Subject};

/// The `type` of a legacy service-account token Secret.
const TOKEN_SECRET_TYPE: &str = "kubernetes.io/service-account-token";

crate::sources::formats! {
    pub enum Format {
        /// `kind: List`, items of any kind.
        List => "list",
        ServiceAccounts => "service-accounts",
        Secrets => "secrets",
        RoleBindings => "role-bindings",
        ClusterRoleBindings => "cluster-role-bindings",
    }
}

impl Format {
    /// The format of an object or typed list of this kind.
    fn of_kind(kind: &str) -> Option<Format> {
        match ResourceKind::parse(kind.strip_suffix("List").unwrap_or(kind)) {
            ResourceKind::ServiceAccount => Some(Format::ServiceAccounts),
            ResourceKind::Secret => Some(Format::Secrets),
            ResourceKind::RoleBinding => Some(Format::RoleBindings),
            ResourceKind::ClusterRoleBinding => Some(Format::ClusterRoleBindings),
            ResourceKind::Other if kind == "List" => Some(Format::List),
            ResourceKind::Other => None,
        }
    }
}

/// The kinds deprov reads.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ResourceKind {
    ServiceAccount,
    Secret,
    RoleBinding,
    ClusterRoleBinding,
    Other,
}

impl ResourceKind {
    fn parse(kind: &str) -> Self {
        match kind {
            "ServiceAccount" => ResourceKind::ServiceAccount,
            "Secret" => ResourceKind::Secret,
            "RoleBinding" => ResourceKind::RoleBinding,
            "ClusterRoleBinding" => ResourceKind::ClusterRoleBinding,
            _ => ResourceKind::Other,
        }
    }
}

pub fn detect(probe: &Probe) -> Option<Format> {
    let Content::Json(shape) = &probe.content else {
        return None;
    };
    if shape.is_array
        || !shape.has_all(&["apiVersion", "kind"])
        || !(shape.has("items") || shape.has("metadata"))
    {
        return None;
    }
    // Only the first document's header: the file may hold more, which `parse` reports.
    let header = serde_json::Deserializer::from_slice(without_bom(probe.bytes()?))
        .into_iter::<ObjectHeader>()
        .next()?
        .ok()?;
    if header.api_version.is_empty() {
        return None;
    }
    Format::of_kind(&header.kind)
}

/// Whether a binding grants within a namespace or cluster-wide.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BindingScope {
    Namespace,
    Cluster,
}

/// A RoleBinding or ClusterRoleBinding.
#[derive(Debug, Clone)]
pub struct Binding {
    pub scope: BindingScope,
    pub metadata: ObjectMeta,
    pub role_ref: Option<RoleRef>,
    pub subjects: Vec<Subject>,
}

/// What a file held that deprov does not read, for one warning.
#[derive(Debug, Clone, Default)]
pub struct Ignored {
    pub other_secret_types: usize,
    /// Kind (or `(no kind)`) → count.
    pub other_kinds: BTreeMap<String, usize>,
}

/// A Secret whose `data` or `stringData` holds secret material.
#[derive(Debug, Clone)]
pub struct DataSecret {
    pub metadata: ObjectMeta,
    pub secret_type: Option<String>,
    /// One digest of its secret entries.
    pub sha256: [u8; 32],
    /// Its index among the file's items (0 for a single object).
    item: usize,
    /// The line of its `data` (or `stringData`), else of the object.
    pub line: Option<u32>,
}

/// Entries of a Secret that hold no secret: certificates, the namespace a token Secret names,
/// a user name, a bootstrap token's ID and settings.
fn is_public_entry(secret_type: Option<&str>, key: &str) -> bool {
    match (secret_type.unwrap_or("Opaque"), key) {
        (_, "ca.crt") => true,
        (TOKEN_SECRET_TYPE, "namespace") => true,
        ("kubernetes.io/tls", "tls.crt") => true,
        ("kubernetes.io/basic-auth", "username") => true,
        ("bootstrap.kubernetes.io/token", key) => key != "token-secret",
        _ => false,
    }
}

/// One parsed Kubernetes file: the objects of the kinds deprov reads, sorted by kind.
#[derive(Debug, Clone)]
pub struct KubernetesFile {
    pub service_accounts: Vec<ObjectMeta>,
    /// The ServiceAccounts came from a list, so their namespaces count as listed.
    pub lists_service_accounts: bool,
    pub token_secrets: Vec<ObjectMeta>,
    /// Secrets (of any type) exported with their data.
    pub data_secrets: Vec<DataSecret>,
    pub bindings: Vec<Binding>,
    pub ignored: Ignored,
    /// A page of a chunked list (`metadata.continue` set).
    pub truncated: bool,
}

impl KubernetesFile {
    fn new(is_list: bool) -> Self {
        KubernetesFile {
            service_accounts: Vec::new(),
            lists_service_accounts: is_list,
            token_secrets: Vec::new(),
            data_secrets: Vec::new(),
            bindings: Vec::new(),
            ignored: Ignored::default(),
            truncated: false,
        }
    }
}

impl super::FamilyFile for KubernetesFile {
    fn record_count(&self) -> usize {
        self.service_accounts.len()
            + self.token_secrets.len()
            + self
                .bindings
                .iter()
                .map(|b| b.subjects.len())
                .sum::<usize>()
    }

    /// Defects worth telling the user about; the file is still read.
    fn warnings(&self) -> Vec<String> {
        let mut warnings = Vec::new();
        let other_items: usize = self.ignored.other_kinds.values().sum();
        if self.ignored.other_secret_types > 0 || other_items > 0 {
            let mut parts = Vec::new();
            if self.ignored.other_secret_types > 0 {
                parts.push(format!(
                    "{} Secret(s) of types other than {TOKEN_SECRET_TYPE}",
                    self.ignored.other_secret_types
                ));
            }
            if other_items > 0 {
                let kinds: Vec<String> = self
                    .ignored
                    .other_kinds
                    .iter()
                    .map(|(kind, n)| format!("{kind} ×{n}"))
                    .collect();
                parts.push(format!(
                    "{other_items} item(s) of other kinds ({})",
                    kinds.join(", ")
                ));
            }
            warnings.push(format!("ignored {}", parts.join(" and ")));
        }
        if self.truncated {
            warnings.push(
                "page of a chunked list (metadata.continue is set); include the following pages in the scan"
                    .into(),
            );
        }
        warnings
    }
}

impl KubernetesFile {
    fn add(&mut self, kind: &str, mut object: Object, item: usize) {
        match ResourceKind::parse(kind) {
            ResourceKind::ServiceAccount => self.service_accounts.push(object.metadata),
            ResourceKind::Secret => {
                let secret_type = object.secret_type.take();
                let mut entries = std::mem::take(&mut object.data);
                entries.0.append(&mut object.string_data.0);
                let sha256 = entries.digest(|key| !is_public_entry(secret_type.as_deref(), key));
                if let Some(sha256) = sha256 {
                    self.data_secrets.push(DataSecret {
                        metadata: object.metadata.clone(),
                        secret_type: secret_type.clone(),
                        sha256,
                        item,
                        line: None,
                    });
                }
                if secret_type.as_deref() == Some(TOKEN_SECRET_TYPE) {
                    self.token_secrets.push(object.metadata);
                } else if sha256.is_none() {
                    self.ignored.other_secret_types += 1;
                }
            }
            ResourceKind::RoleBinding => self.add_binding(BindingScope::Namespace, object),
            ResourceKind::ClusterRoleBinding => self.add_binding(BindingScope::Cluster, object),
            ResourceKind::Other => {
                let kind = if kind.is_empty() { "(no kind)" } else { kind };
                *self
                    .ignored
                    .other_kinds
                    .entry(kind.to_string())
                    .or_default() += 1;
            }
        }
    }

    fn add_binding(&mut self, scope: BindingScope, object: Object) {
        self.bindings.push(Binding {
            scope,
            metadata: object.metadata,
            role_ref: object.role_ref,
            subjects: object.subjects.unwrap_or_default(),
        });
    }
}

pub fn parse(probe: &Probe, format: Format) -> Result<KubernetesFile, SourceError> {
    let bytes = without_bom(super::whole(probe)?);
    let json = |e: serde_json::Error| SourceError::json(probe.input, bytes, format.name(), &e);
    let is_list = probe.content.json().is_some_and(|s| s.has("items"));
    let mut file = KubernetesFile::new(is_list);
    if is_list {
        let list: ObjectList = serde_json::from_slice(bytes).map_err(json)?;
        // Typed lists name their items' kind once, in the list's kind.
        let item_kind = list
            .kind
            .strip_suffix("List")
            .unwrap_or_default()
            .to_string();
        file.truncated = list
            .metadata
            .continue_token
            .is_some_and(|token| !token.is_empty());
        for (index, mut item) in list.items.into_iter().enumerate() {
            let kind = item.kind.take().unwrap_or_else(|| item_kind.clone());
            file.add(&kind, item, index);
        }
        locate_data(bytes, &mut file.data_secrets);
    } else {
        let mut object: Object = serde_json::from_slice(bytes).map_err(json)?;
        let kind = object.kind.take().unwrap_or_default();
        file.add(&kind, object, 0);
        let at = leak::top_level_key(bytes, &["data", "stringData"]);
        for secret in &mut file.data_secrets {
            secret.line = at.map(|at| leak::line_at(bytes, at));
        }
    }
    Ok(file)
}

/// The line of each Secret's `data` in a list: the items are read again as raw text (only when
/// the file exports Secrets with their data), each searched for its own top-level `data` key.
/// One pass over the file, whatever the number of Secrets.
fn locate_data(bytes: &[u8], secrets: &mut [DataSecret]) {
    #[derive(serde::Deserialize)]
    struct RawItems<'a> {
        #[serde(borrow, default)]
        items: Option<Vec<&'a serde_json::value::RawValue>>,
    }
    if secrets.is_empty() {
        return;
    }
    let Ok(RawItems { items: Some(items) }) = serde_json::from_slice::<RawItems>(bytes) else {
        return;
    };
    let mut lines = leak::LineCursor::new(bytes);
    for secret in secrets {
        let Some(raw) = items.get(secret.item) else {
            continue;
        };
        let text = raw.get().as_bytes();
        let start = (text.as_ptr() as usize).saturating_sub(bytes.as_ptr() as usize);
        let at = leak::top_level_key(text, &["data", "stringData"]).unwrap_or(0);
        secret.line = Some(lines.line_at(start + at));
    }
}

/// serde_json rejects a UTF-8 byte order mark, which Windows tools write.
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The Kubernetes family.
pub struct Kubernetes;

impl super::Family for Kubernetes {
    type Format = Format;
    type File = KubernetesFile;

    fn source(&self) -> crate::inventory::SourceFamily {
        crate::inventory::SourceFamily::Kubernetes
    }

    fn recognise(&self, probe: &Probe) -> Option<Format> {
        detect(probe)
    }

    fn parse(
        &self,
        probe: &Probe,
        format: Format,
        _context: &super::ParseContext,
    ) -> Result<KubernetesFile, SourceError> {
        parse(probe, format)
    }

    fn characteristic_keys(&self) -> &'static [(Format, &'static [&'static str])] {
        &[
            (Format::List, &["apiVersion", "kind", "items", "metadata"]),
            (
                Format::ServiceAccounts,
                &[
                    "apiVersion",
                    "kind",
                    "metadata",
                    "secrets",
                    "automountServiceAccountToken",
                ],
            ),
            (
                Format::Secrets,
                &["apiVersion", "kind", "metadata", "type", "data"],
            ),
            (
                Format::RoleBindings,
                &["apiVersion", "kind", "metadata", "roleRef", "subjects"],
            ),
        ]
    }

    fn assemble(
        &self,
        files: Vec<(crate::discover::FileInput, KubernetesFile)>,
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

    /// Writes `text` to a file and hands its probe to `check`.
    fn with_probe<R>(text: &str, check: impl FnOnce(&Probe) -> R) -> R {
        let dir = tempfile::tempdir().unwrap();
        let input = FileInput {
            path: dir.path().join("export.json"),
            rel: "export.json".to_string(),
            size: text.len() as u64,
        };
        std::fs::write(&input.path, text).unwrap();
        check(&Probe::read(&input, 1 << 20).unwrap())
    }

    #[test]
    fn recognises_lists_typed_lists_and_objects_by_kind() {
        let cases = [
            (
                r#"{"apiVersion":"v1","kind":"List","items":[]}"#,
                Some(Format::List),
            ),
            (
                r#"{"apiVersion":"v1","kind":"ServiceAccountList","items":[],"metadata":{}}"#,
                Some(Format::ServiceAccounts),
            ),
            (
                r#"{"apiVersion":"v1","kind":"Secret","metadata":{"name":"s"},"type":"Opaque"}"#,
                Some(Format::Secrets),
            ),
            (
                r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBindingList","items":[]}"#,
                Some(Format::ClusterRoleBindings),
            ),
            (
                r#"{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"d"}}"#,
                None,
            ),
            (r#"{"kind":"List","items":[]}"#, None),
        ];
        for (text, expected) in cases {
            assert_eq!(with_probe(text, detect), expected, "{text}");
        }
    }

    #[test]
    fn a_list_is_read_by_item_kind_without_reading_secret_data() {
        // `data` of another shape than a map proves it is skipped, not read.
        let text = r#"{"apiVersion":"v1","kind":"List","items":[
            {"kind":"ServiceAccount","metadata":{"name":"a","namespace":"ns","labels":null}},
            {"kind":"Secret","type":"kubernetes.io/service-account-token","data":7,
             "metadata":{"name":"a-token","namespace":"ns"}},
            {"kind":"Secret","type":"Opaque","metadata":{"name":"o"}},
            {"kind":"RoleBinding","metadata":{"name":"rb","namespace":"ns"},"subjects":null,
             "roleRef":{"kind":"Role","name":"r"}},
            {"kind":"ConfigMap","metadata":{"name":"c"}},
            {"kind":"ConfigMap","metadata":{"name":"d"}}
        ],"metadata":{"continue":"abc"}}"#;
        let file = with_probe(text, |p| parse(p, Format::List)).unwrap();
        assert_eq!(file.service_accounts.len(), 1);
        assert_eq!(file.token_secrets[0].name, "a-token");
        assert!(file.bindings[0].subjects.is_empty());
        assert!(file.lists_service_accounts);
        assert_eq!(file.record_count(), 2);
        assert_eq!(
            file.warnings(),
            vec![
                "ignored 1 Secret(s) of types other than kubernetes.io/service-account-token and 2 item(s) of other kinds (ConfigMap ×2)".to_string(),
                "page of a chunked list (metadata.continue is set); include the following pages in the scan".to_string(),
            ]
        );
    }

    /// Issue 14: Secrets exported with their data are leaks of the export, one per Secret, at
    /// the line of its `data`; public entries, placeholders and other kinds' `data` are not.
    #[test]
    fn secrets_with_data_are_found_at_their_data_line() {
        let text = r#"{"apiVersion":"v1","kind":"List","items":[
{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"c","namespace":"ns"},
 "data":{"password":"cGxhaW4="}},
{"apiVersion":"v1",
 "data":{"ca.crt":"Y2E=","namespace":"bnM=","token":"ZXhhbXBsZS10b2tlbg=="},
 "kind":"Secret","metadata":{"name":"ci-token","namespace":"ns",
  "annotations":{"kubernetes.io/service-account.name":"ci"}},
 "type":"kubernetes.io/service-account-token"},
{"apiVersion":"v1","kind":"Secret","metadata":{"name":"empty-token","namespace":"ns",
  "annotations":{"kubernetes.io/service-account.name":"ci"}},
 "type":"kubernetes.io/service-account-token","data":{"ca.crt":"Y2E=","namespace":"bnM="}},
{"apiVersion":"v1","kind":"Secret","metadata":{"name":"tls","namespace":"ns"},
 "type":"kubernetes.io/tls","data":{"tls.crt":"Y2VydA==","tls.key":"REPLACE_WITH_BASE64_KEY"}},
{"apiVersion":"v1","kind":"Secret","metadata":{"name":"basic","namespace":"ns"},
 "type":"kubernetes.io/basic-auth","stringData":{"username":"admin","password":"t0p-Secret"}},
{"apiVersion":"v1","kind":"Secret","metadata":{"name":"redacted","namespace":"ns"},
 "type":"Opaque","data":{"key":"UkVEQUNURUQ="}}
]}"#;
        let file = with_probe(text, |p| parse(p, Format::List)).unwrap();
        let found: Vec<(&str, Option<u32>)> = file
            .data_secrets
            .iter()
            .map(|s| (s.metadata.name.as_str(), s.line))
            .collect();
        assert_eq!(found, vec![("ci-token", Some(5)), ("basic", Some(15))]);
        assert_eq!(file.token_secrets.len(), 2);
        assert!(!format!("{file:?}").contains("ZXhhbXBsZS10b2tlbg"));
        let input = FileInput {
            path: "secrets.json".into(),
            rel: "secrets.json".into(),
            size: 0,
        };
        let ((_, exposures), _) =
            crate::sources::Assembly::alone_with_exposures(assemble, vec![(input, file)]);
        let carried: Vec<(&str, Vec<&str>)> = exposures
            .iter()
            .map(|e| {
                (
                    e.detector.as_str(),
                    e.carries.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            carried,
            vec![
                (
                    "export/kubernetes-service-account-token",
                    vec!["ns/ci-token", "system:serviceaccount:ns:ci"]
                ),
                ("export/kubernetes-secret", vec!["ns/basic"]),
            ]
        );
        // A single object: the line of its `data`.
        let single = r#"{"apiVersion":"v1","kind":"Secret",
"metadata":{"name":"s"},
"stringData":{"x":"y1"}}"#;
        let file = with_probe(single, |p| parse(p, Format::Secrets)).unwrap();
        assert_eq!(file.data_secrets[0].line, Some(3));
    }

    #[test]
    fn typed_list_items_take_the_list_kind() {
        let text = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBindingList","items":[
            {"metadata":{"name":"rb","namespace":"ns"},"roleRef":{"kind":"ClusterRole","name":"view"},
             "subjects":[{"kind":"ServiceAccount","name":"x"}]}]}"#;
        let file = with_probe(text, |p| parse(p, Format::RoleBindings)).unwrap();
        assert_eq!(file.bindings.len(), 1);
        assert_eq!(file.bindings[0].scope, BindingScope::Namespace);
        assert!(file.warnings().is_empty());
    }

    #[test]
    fn wrong_types_are_errors_with_a_line() {
        let text = "{\"apiVersion\":\"v1\",\"kind\":\"List\",\n\"items\":[{\"kind\":\"ServiceAccount\",\n\"metadata\":{\"name\":42}}]}";
        let err = with_probe(text, |p| parse(p, Format::List)).unwrap_err();
        assert!(err.reason().contains("line 3"), "{}", err.reason());
    }
}
