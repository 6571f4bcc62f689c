//! Serde types close to `kubectl get … -o json`: lists (`kind: List` or typed), and the few
//! fields of ServiceAccounts, Secrets and (Cluster)RoleBindings that deprov needs. A Secret's
//! `data` and `stringData` are reduced to a digest per entry while they are read
//! (`sources::leak`): the values never reach memory beyond the raw file bytes.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

use crate::sources::leak::SecretMap;

/// The `apiVersion` and `kind` of a document, read to recognise it; everything else is skipped.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ObjectHeader {
    pub api_version: String,
    pub kind: String,
}

/// A list: `kind: List` (items carry their own `kind`) or a typed list such as
/// `ServiceAccountList` (items do not).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ObjectList {
    pub kind: String,
    #[serde(deserialize_with = "null_as_default")]
    pub metadata: ListMeta,
    #[serde(deserialize_with = "null_as_default")]
    pub items: Vec<Object>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ListMeta {
    /// Set on a page of a chunked list: more pages follow.
    #[serde(rename = "continue")]
    pub continue_token: Option<String>,
}

/// One object of the kinds deprov reads. The fields of every kind sit side by side, so a
/// heterogeneous `List` is read in one pass without buffering items (and without reading any
/// Secret's `data`); which fields matter depends on `kind`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Object {
    /// Absent on the items of typed lists; filled in from the list's kind.
    pub kind: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub metadata: ObjectMeta,
    /// A Secret's type (`kubernetes.io/service-account-token`, `Opaque`, …).
    #[serde(rename = "type")]
    pub secret_type: Option<String>,
    /// A binding's role.
    pub role_ref: Option<RoleRef>,
    /// A binding's subjects; absent or `null` when the binding has none.
    pub subjects: Option<Vec<Subject>>,
    /// A Secret's `data` (base64 values), as digests of its live entries. Read for every kind
    /// (a ConfigMap's `data` is dropped once its kind is known): `kind` may come after `data`.
    #[serde(deserialize_with = "SecretMap::base64")]
    pub data: SecretMap,
    /// A Secret's `stringData` (a manifest's plain values), likewise.
    #[serde(deserialize_with = "SecretMap::plain")]
    pub string_data: SecretMap,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct ObjectMeta {
    pub name: String,
    pub namespace: Option<String>,
    pub uid: Option<String>,
    pub creation_timestamp: Option<String>,
    #[serde(deserialize_with = "null_as_default")]
    pub labels: BTreeMap<String, String>,
    #[serde(deserialize_with = "null_as_default")]
    pub annotations: BTreeMap<String, String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct RoleRef {
    pub kind: String,
    pub name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, rename_all = "camelCase")]
pub struct Subject {
    pub kind: String,
    pub name: String,
    pub namespace: Option<String>,
}

/// `null` where an object or list is expected reads as empty: hand-written manifests and some
/// collectors write `labels: null`.
fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}
