//! Serde types close to the Vault / OpenBao API bodies (the same inside the `vault … -format=json`
//! envelope). Dates stay text here; `normalize` reads them with the sentinels in mind.
//!
//! Secret material is never kept: a token lookup's `id` (the token itself), a login response's
//! `auth.client_token` and a generated secret ID's `secret_id` are reduced to digests while they
//! are read (`sources::leak`), so that a file that holds one is reported as a leak; a KV value
//! or a private key has no field.

use std::collections::BTreeMap;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use crate::sources::leak::SecretField;

/// The response envelope; raw API bodies sometimes carry only `data` or only `auth`.
#[derive(Debug, Clone, Deserialize)]
pub struct Envelope<T> {
    pub data: Option<T>,
}

/// A login response: its `auth` block describes the token that was issued.
#[derive(Debug, Clone, Deserialize)]
pub struct LoginEnvelope {
    #[serde(default)]
    pub auth: Option<LoginAuth>,
}

/// `auth/token/lookup[-accessor|-self]` data. The token itself (`id`: empty in a lookup by
/// accessor) is kept as a digest.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct TokenLookup {
    pub accessor: String,
    pub id: SecretField,
    /// Unix seconds.
    #[serde(deserialize_with = "nullable")]
    pub creation_time: i64,
    #[serde(deserialize_with = "nullable")]
    pub display_name: String,
    #[serde(deserialize_with = "nullable")]
    pub entity_id: String,
    /// RFC 3339 with nanoseconds and the server's offset, or null for non-expiring tokens.
    pub expire_time: Option<String>,
    pub explicit_max_ttl: Seconds,
    pub issue_time: Option<String>,
    pub meta: StringMap,
    pub num_uses: i64,
    pub orphan: bool,
    #[serde(deserialize_with = "nullable")]
    pub path: String,
    pub period: Seconds,
    #[serde(deserialize_with = "nullable")]
    pub policies: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub identity_policies: Vec<String>,
    pub renewable: bool,
    pub ttl: Seconds,
    #[serde(rename = "type", deserialize_with = "nullable")]
    pub token_type: String,
}

/// `auth` of a login response. `client_token` (the token issued) is kept as a digest.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct LoginAuth {
    pub accessor: String,
    pub client_token: SecretField,
    #[serde(deserialize_with = "nullable")]
    pub token_policies: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub policies: Vec<String>,
    pub lease_duration: Seconds,
    pub renewable: bool,
    pub metadata: StringMap,
    #[serde(deserialize_with = "nullable")]
    pub entity_id: String,
    #[serde(deserialize_with = "nullable")]
    pub token_type: String,
    pub orphan: bool,
}

/// `auth/MOUNT/role/NAME` data of an AppRole role. Durations are seconds.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AppRoleRole {
    #[serde(deserialize_with = "nullable")]
    pub token_policies: Vec<String>,
    /// Deprecated alias of `token_policies`, still returned by older servers.
    #[serde(deserialize_with = "nullable")]
    pub policies: Vec<String>,
    pub token_ttl: Seconds,
    pub token_max_ttl: Seconds,
    pub token_explicit_max_ttl: Seconds,
    pub token_period: Seconds,
    /// Deprecated alias of `token_period`.
    pub period: Seconds,
    pub token_num_uses: i64,
    #[serde(deserialize_with = "nullable")]
    pub token_type: String,
    pub secret_id_ttl: Seconds,
    pub secret_id_num_uses: i64,
    pub bind_secret_id: Option<bool>,
    #[serde(deserialize_with = "nullable")]
    pub secret_id_bound_cidrs: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub token_bound_cidrs: Vec<String>,
}

/// `auth/MOUNT/role/NAME/role-id` data. The role ID is an identifier, not a secret (the secret ID
/// is), and is the name of the role's entity alias.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct RoleId {
    pub role_id: String,
}

/// `auth/MOUNT/role/NAME/secret-id-accessor/lookup` data, or a `secret-id` generation response,
/// whose `secret_id` (the secret) is kept as a digest.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct SecretIdAccessor {
    pub secret_id_accessor: String,
    pub secret_id: SecretField,
    /// RFC 3339 (unlike tokens' Unix seconds).
    pub creation_time: Option<String>,
    /// `0001-01-01T00:00:00Z` when the secret ID never expires.
    pub expiration_time: Option<String>,
    pub last_updated_time: Option<String>,
    /// Remaining uses; 0 is unlimited.
    pub secret_id_num_uses: i64,
    pub secret_id_ttl: Seconds,
    pub metadata: StringMap,
    #[serde(deserialize_with = "nullable")]
    pub cidr_list: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub token_bound_cidrs: Vec<String>,
}

/// `auth/MOUNT/role/NAME` data of a Kubernetes auth role.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KubernetesRole {
    #[serde(deserialize_with = "nullable")]
    pub bound_service_account_names: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub bound_service_account_namespaces: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub token_policies: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub policies: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub alias_name_source: String,
}

/// `identity/entity/id/ID` data.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Entity {
    pub id: String,
    #[serde(deserialize_with = "nullable")]
    pub name: String,
    pub disabled: bool,
    #[serde(deserialize_with = "nullable")]
    pub policies: Vec<String>,
    #[serde(deserialize_with = "nullable")]
    pub aliases: Vec<EntityAlias>,
    pub metadata: StringMap,
    pub creation_time: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct EntityAlias {
    #[serde(deserialize_with = "nullable")]
    pub mount_accessor: String,
    #[serde(deserialize_with = "nullable")]
    pub mount_path: String,
    #[serde(deserialize_with = "nullable")]
    pub mount_type: String,
    #[serde(deserialize_with = "nullable")]
    pub name: String,
}

/// `sys/leases/lookup` data.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Lease {
    pub id: String,
    pub issue_time: Option<String>,
    pub expire_time: Option<String>,
    pub last_renewal: Option<String>,
    pub renewable: bool,
    pub ttl: Seconds,
}

/// `MOUNT/metadata/PATH` data of a KV v2 secret. The secret's values are not part of it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KvMetadata {
    pub created_time: Option<String>,
    pub updated_time: Option<String>,
    pub current_version: u64,
    pub oldest_version: u64,
    pub max_versions: u64,
    pub cas_required: bool,
    /// A Go duration (`3h25m19s`); `0s` keeps versions forever.
    pub delete_version_after: Seconds,
    /// A map, or `null` when never set.
    pub custom_metadata: StringMap,
    /// Keyed by the version number as a string.
    #[serde(deserialize_with = "nullable")]
    pub versions: BTreeMap<String, KvVersion>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KvVersion {
    pub created_time: Option<String>,
    /// `""` when the version is not deleted; may lie in the future (`delete_version_after`).
    pub deletion_time: Option<String>,
    pub destroyed: bool,
}

/// `MOUNT/cert/SERIAL` data of the PKI engine. It holds the public certificate only.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PkiCertificate {
    #[serde(deserialize_with = "nullable")]
    pub certificate: String,
    /// Unix seconds; 0 when not revoked.
    pub revocation_time: Seconds,
    pub revocation_time_rfc3339: Option<String>,
    pub issuer_id: Option<String>,
}

/// The API form of a list (`{"data":{"keys":[…]}}`); the CLI prints the bare array.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct KeyList {
    #[serde(deserialize_with = "nullable")]
    pub keys: Vec<String>,
}

/// `null` reads as the type's default: Vault writes `null` for empty lists and maps.
pub fn nullable<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Default + Deserialize<'de>,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// A duration in whole seconds, as Vault writes it: an integer, or a Go duration string
/// (`"768h"`, `"3h25m19s"`, `"0s"`) where the CLI or KV metadata prints one. `null` is 0.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, PartialOrd, Ord)]
pub struct Seconds(pub i64);

impl<'de> Deserialize<'de> for Seconds {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(SecondsVisitor)
    }
}

struct SecondsVisitor;

impl<'de> Visitor<'de> for SecondsVisitor {
    type Value = Seconds;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a duration in seconds or a Go duration string")
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<Seconds, E> {
        Ok(Seconds(v))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<Seconds, E> {
        Ok(Seconds(i64::try_from(v).unwrap_or(i64::MAX)))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<Seconds, E> {
        if v.is_finite() {
            // Saturating float-to-int conversion: whole seconds are enough here.
            Ok(Seconds(v as i64))
        } else {
            Err(E::custom("a duration must be a finite number"))
        }
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<Seconds, E> {
        go_duration_seconds(v)
            .map(Seconds)
            .ok_or_else(|| E::custom(format!("`{v}` is not a duration (seconds or `1h30m`)")))
    }
    fn visit_unit<E: de::Error>(self) -> Result<Seconds, E> {
        Ok(Seconds(0))
    }
    fn visit_none<E: de::Error>(self) -> Result<Seconds, E> {
        Ok(Seconds(0))
    }
}

/// Parses a Go `time.Duration` string (or plain seconds) into whole seconds.
pub fn go_duration_seconds(text: &str) -> Option<i64> {
    let text = text.trim();
    if text.is_empty() {
        return None;
    }
    if let Ok(seconds) = text.parse::<i64>() {
        return Some(seconds);
    }
    let (negative, mut rest) = match text.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, text.strip_prefix('+').unwrap_or(text)),
    };
    let mut total = 0f64;
    while !rest.is_empty() {
        let number_end = rest
            .find(|c: char| !(c.is_ascii_digit() || c == '.'))
            .unwrap_or(rest.len());
        let number: f64 = rest[..number_end].parse().ok()?;
        rest = &rest[number_end..];
        let unit_end = rest
            .find(|c: char| c.is_ascii_digit() || c == '.')
            .unwrap_or(rest.len());
        let factor = match &rest[..unit_end] {
            "ns" => 1e-9,
            "us" | "µs" | "μs" => 1e-6,
            "ms" => 1e-3,
            "s" => 1.0,
            "m" => 60.0,
            "h" => 3600.0,
            _ => return None,
        };
        rest = &rest[unit_end..];
        total += number * factor;
    }
    let seconds = total.floor() as i64;
    Some(if negative { -seconds } else { seconds })
}

/// A `map[string]string` of Vault metadata (`meta`, `metadata`, `custom_metadata`). `null` is
/// empty; numbers and booleans written by other tools are kept as text; nested values are left
/// out (they are never identifiers). Pairs sorted by key, one per key (the last written wins, as
/// in a map): a token's `meta` holds one or two, and a B-tree's node for them took 640 bytes of
/// every token file a shard holds while it reads a Vault export (issue 19).
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct StringMap(pub Box<[(String, String)]>);

impl StringMap {
    /// Sorts the pairs by key; of repeated keys, the last one stays.
    fn of_pairs(mut pairs: Vec<(String, String)>) -> StringMap {
        // A stable sort keeps repeated keys in the order written; the last of each run stays.
        pairs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut kept: Vec<(String, String)> = Vec::with_capacity(pairs.len());
        for pair in pairs {
            match kept.last_mut() {
                Some(last) if last.0 == pair.0 => *last = pair,
                _ => kept.push(pair),
            }
        }
        StringMap(kept.into_boxed_slice())
    }

    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .binary_search_by(|(k, _)| k.as_str().cmp(key))
            .ok()
            .map(|at| self.0[at].1.as_str())
            .filter(|v| !v.trim().is_empty())
    }

    /// The first non-empty value among `keys`, compared case-insensitively, with the key found.
    pub fn get_any_ci(&self, keys: &[&str]) -> Option<(&str, &str)> {
        keys.iter().find_map(|wanted| {
            self.0.iter().find_map(|(k, v)| {
                (k.eq_ignore_ascii_case(wanted) && !v.trim().is_empty())
                    .then_some((k.as_str(), v.trim()))
            })
        })
    }
}

impl<'de> Deserialize<'de> for StringMap {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(StringMapVisitor)
    }
}

struct StringMapVisitor;

impl<'de> Visitor<'de> for StringMapVisitor {
    type Value = StringMap;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("a map of strings or null")
    }
    fn visit_unit<E: de::Error>(self) -> Result<StringMap, E> {
        Ok(StringMap::default())
    }
    fn visit_none<E: de::Error>(self) -> Result<StringMap, E> {
        Ok(StringMap::default())
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<StringMap, A::Error> {
        let mut values = Vec::new();
        while let Some(key) = map.next_key::<String>()? {
            if let Some(value) = map.next_value::<ScalarText>()?.0 {
                values.push((key, value));
            }
        }
        Ok(StringMap::of_pairs(values))
    }
}

/// A scalar as text; `None` for null, arrays and objects.
struct ScalarText(Option<String>);

impl<'de> Deserialize<'de> for ScalarText {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(ScalarTextVisitor)
    }
}

struct ScalarTextVisitor;

impl<'de> Visitor<'de> for ScalarTextVisitor {
    type Value = ScalarText;

    fn expecting(&self, f: &mut fmt::Formatter) -> fmt::Result {
        f.write_str("any JSON value")
    }
    fn visit_str<E: de::Error>(self, v: &str) -> Result<ScalarText, E> {
        Ok(ScalarText(Some(v.to_string())))
    }
    fn visit_bool<E: de::Error>(self, v: bool) -> Result<ScalarText, E> {
        Ok(ScalarText(Some(v.to_string())))
    }
    fn visit_i64<E: de::Error>(self, v: i64) -> Result<ScalarText, E> {
        Ok(ScalarText(Some(v.to_string())))
    }
    fn visit_u64<E: de::Error>(self, v: u64) -> Result<ScalarText, E> {
        Ok(ScalarText(Some(v.to_string())))
    }
    fn visit_f64<E: de::Error>(self, v: f64) -> Result<ScalarText, E> {
        Ok(ScalarText(Some(v.to_string())))
    }
    fn visit_unit<E: de::Error>(self) -> Result<ScalarText, E> {
        Ok(ScalarText(None))
    }
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<ScalarText, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(ScalarText(None))
    }
    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<ScalarText, A::Error> {
        while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
        Ok(ScalarText(None))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn go_durations_and_plain_seconds() {
        assert_eq!(go_duration_seconds("3h25m19s"), Some(12_319));
        assert_eq!(go_duration_seconds("0s"), Some(0));
        assert_eq!(go_duration_seconds("768h"), Some(2_764_800));
        assert_eq!(go_duration_seconds("1.5h"), Some(5_400));
        assert_eq!(go_duration_seconds("86400"), Some(86_400));
        assert_eq!(go_duration_seconds("-1m"), Some(-60));
        assert_eq!(go_duration_seconds("300ms"), Some(0));
        for bad in ["", "h", "5x", "1h5", "..s"] {
            assert_eq!(go_duration_seconds(bad), None, "{bad}");
        }
    }

    #[test]
    fn seconds_accept_every_spelling_and_reject_garbage() {
        #[derive(Deserialize)]
        struct T {
            a: Seconds,
            b: Seconds,
            c: Seconds,
        }
        let t: T = serde_json::from_str(r#"{"a": 60, "b": "2m", "c": null}"#).unwrap();
        assert_eq!((t.a, t.b, t.c), (Seconds(60), Seconds(120), Seconds(0)));
        assert!(serde_json::from_str::<T>(r#"{"a": "soon", "b": 1, "c": 1}"#).is_err());
        assert!(serde_json::from_str::<T>(r#"{"a": [], "b": 1, "c": 1}"#).is_err());
    }

    #[test]
    fn metadata_maps_tolerate_null_and_non_strings() {
        let m: StringMap = serde_json::from_str(
            r#"{"Identity": "auth/approle/role/x", "n": 3, "o": {"x": 1}, "e": ""}"#,
        )
        .unwrap();
        assert_eq!(
            m.get_any_ci(&["identity"]),
            Some(("Identity", "auth/approle/role/x"))
        );
        assert_eq!(m.get("n"), Some("3"));
        assert_eq!(m.get("o"), None);
        assert_eq!(m.get("e"), None);
        let m: StringMap = serde_json::from_str("null").unwrap();
        assert!(m.0.is_empty());
    }

    #[test]
    fn a_repeated_metadata_key_keeps_its_last_value_and_keys_stay_sorted() {
        let m: StringMap =
            serde_json::from_str(r#"{"role_name": "a", "b": "1", "role_name": "c", "a": "0"}"#)
                .unwrap();
        assert_eq!(m.get("role_name"), Some("c"));
        let keys: Vec<&str> = m.0.iter().map(|(k, _)| k.as_str()).collect();
        assert_eq!(keys, ["a", "b", "role_name"]);
        assert_eq!(m.get("missing"), None);
    }

    #[test]
    fn token_lookup_has_no_field_for_the_token() {
        let t: Envelope<TokenLookup> = serde_json::from_str(
            r#"{"data":{"id":"s.SECRET","accessor":"acc","policies":null,"meta":null,"expire_time":null}}"#,
        )
        .unwrap();
        let debug = format!("{t:?}");
        assert!(!debug.contains("s.SECRET"), "{debug}");
        assert!(debug.contains("acc"));
    }
}
