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
//!   it), inactive once labelled `kubernetes.io/legacy-token-invalid-since`. Its `data` is never
//!   read. It is privileged when its ServiceAccount is bound to `cluster-admin` cluster-wide.
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

use super::SourceError;
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

/// One parsed Kubernetes file: the objects of the kinds deprov reads, sorted by kind.
#[derive(Debug, Clone)]
pub struct KubernetesFile {
    pub service_accounts: Vec<ObjectMeta>,
    /// The ServiceAccounts came from a list, so their namespaces count as listed.
    pub lists_service_accounts: bool,
    pub token_secrets: Vec<ObjectMeta>,
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
    fn add(&mut self, kind: &str, object: Object) {
        match ResourceKind::parse(kind) {
            ResourceKind::ServiceAccount => self.service_accounts.push(object.metadata),
            ResourceKind::Secret => {
                if object.secret_type.as_deref() == Some(TOKEN_SECRET_TYPE) {
                    self.token_secrets.push(object.metadata);
                } else {
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
        for mut item in list.items {
            let kind = item.kind.take().unwrap_or_else(|| item_kind.clone());
            file.add(&kind, item);
        }
    } else {
        let mut object: Object = serde_json::from_slice(bytes).map_err(json)?;
        let kind = object.kind.take().unwrap_or_default();
        file.add(&kind, object);
    }
    Ok(file)
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
