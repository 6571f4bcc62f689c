//! Secret material in a Vault / OpenBao audit log. A file audit device hashes every token,
//! accessor and request or response value (`hmac-sha256:…`) unless it was enabled with
//! `log_raw=true` (or a mount lists keys in `audit_non_hmac_request_keys`): such a log holds
//! live tokens, AppRole secret IDs and database passwords in plain text, a leak wherever the log
//! is shipped. Each distinct value is reported once (`sources::leak`), at the first line that
//! holds it, with the native IDs the entry names for it; the value itself is hashed and dropped
//! while the line is read.
//!
//! What is recognised: client tokens (`auth.client_token`, `request.client_token`,
//! `response.auth.client_token`) and wrapping tokens (`response.wrap_info.token`), attributed to
//! their accessor and to who holds them (as `audit.rs` decides who acted); secret IDs
//! (`secret_id` in request or response data), attributed to the secret ID accessor, the role ID
//! and the role the path names; passwords (`password` in request or response data, and the
//! password of a `scheme://user:password@host` URL in any of their values), attributed to the
//! lease the response names (`database/creds/ROLE/…`: the role). Other values of a raw log (KV
//! reads, private keys of PKI responses) have no shape deprov can tell from configuration, and
//! are not reported.

use std::borrow::Cow;
use std::collections::HashSet;
use std::fmt;

use serde::de::{self, Deserializer, IgnoredAny, MapAccess, Visitor};
use serde::Deserialize;

use super::audit::AuditSubject;
use crate::sources::leak::{is_live, SecretField};

/// How many distinct secret values one log reports; the rest are counted in a warning. A raw log
/// of a busy server holds a token per login: past this, more findings say nothing new about the
/// log (it is written with `log_raw`), and each costs memory.
pub const MAX_SECRETS_PER_LOG: usize = 10_000;

/// What a plain-text value in an audit entry is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum AuditSecretKind {
    Token,
    SecretId,
    Password,
}

impl AuditSecretKind {
    pub fn detector(self) -> &'static str {
        match self {
            AuditSecretKind::Token => "export/vault-token",
            AuditSecretKind::SecretId => "export/vault-secret-id",
            AuditSecretKind::Password => "export/vault-password",
        }
    }

    pub fn description(self) -> &'static str {
        match self {
            AuditSecretKind::Token => {
                "Vault token in plain text (an audit log written with log_raw)"
            }
            AuditSecretKind::SecretId => {
                "AppRole secret ID in plain text (an audit log written with log_raw)"
            }
            AuditSecretKind::Password => "password in plain text (a Vault audit log)",
        }
    }
}

/// One distinct secret value of a log, where it was first seen and what its entry names.
#[derive(Clone, PartialEq, Eq)]
pub struct AuditSecret {
    pub kind: AuditSecretKind,
    pub sha256: [u8; 32],
    /// The 1-based line of the first entry that holds it.
    pub line: u64,
    /// The field it was in (`auth.client_token`, `request.data.connection_url`).
    pub field: String,
    /// The request path of that entry.
    pub path: String,
    /// Who holds a token, as the entry tells (resolved to an identity with the export's mounts).
    pub subject: Option<AuditSubject>,
    /// Native IDs the entry names for it: a token or secret ID accessor, a role ID, a lease ID,
    /// a role path, credential IDs first.
    pub ids: Vec<String>,
}

/// Never the digest (see `SecretField`).
impl fmt::Debug for AuditSecret {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuditSecret")
            .field("kind", &self.kind)
            .field("line", &self.line)
            .field("field", &self.field)
            .field("path", &self.path)
            .field("subject", &self.subject)
            .field("ids", &self.ids)
            .finish()
    }
}

/// The distinct secret values of one log, in the order they were first seen.
#[derive(Debug, Default)]
pub struct SecretCollector {
    seen: HashSet<[u8; 32]>,
    pub secrets: Vec<AuditSecret>,
    /// Values past [`MAX_SECRETS_PER_LOG`], counted (not told apart).
    pub over_cap: u64,
}

impl SecretCollector {
    /// Keeps a value seen for the first time; `describe` is called only then.
    pub fn found(
        &mut self,
        kind: AuditSecretKind,
        secret: SecretField,
        describe: impl FnOnce() -> (String, Option<AuditSubject>, Vec<String>),
        line: u64,
        path: &str,
    ) {
        let Some(sha256) = secret.live().copied() else {
            return;
        };
        if self.seen.contains(&sha256) {
            return;
        }
        if self.secrets.len() >= MAX_SECRETS_PER_LOG {
            self.over_cap += 1;
            return;
        }
        self.seen.insert(sha256);
        let (field, subject, ids) = describe();
        self.secrets.push(AuditSecret {
            kind,
            sha256,
            line,
            field,
            path: path.to_string(),
            subject,
            ids,
        });
    }

    /// The warning for values past the cap.
    pub fn warning(&self) -> Option<String> {
        (self.over_cap > 0).then(|| {
            format!(
                "plain-text secret values past the first {MAX_SECRETS_PER_LOG} distinct ones occur {} more time(s) \
                 and are not reported one by one: treat every token and password in this log as leaked",
                self.over_cap
            )
        })
    }
}

/// The values of a `data` map that may be secret material or name it, borrowed from the line:
/// `secret_id`, `password`, URLs with a password, and the identifiers beside them (`role_id`,
/// `secret_id_accessor`). Hashed values (`hmac-sha256:…`, the normal case) and everything else
/// are skipped without allocating.
#[derive(Default)]
pub struct DataValues<'a>(pub Vec<(Cow<'a, str>, Cow<'a, str>)>);

/// Keys of a `data` map worth keeping.
const DATA_KEYS: [&str; 4] = ["secret_id", "password", "role_id", "secret_id_accessor"];

impl<'a> DataValues<'a> {
    /// The value of a key (of the map itself, not of its `data`).
    pub fn get(&self, key: &str) -> Option<&str> {
        self.0
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_ref())
    }
}

impl<'de: 'a, 'a> Deserialize<'de> for DataValues<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        deserializer.deserialize_any(DataVisitor)
    }
}

struct DataVisitor;

impl<'de> Visitor<'de> for DataVisitor {
    type Value = DataValues<'de>;

    fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("a map")
    }

    fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
        let mut kept = Vec::new();
        while let Some(key) = map.next_key::<Cow<'de, str>>()? {
            // A KV v2 write or read wraps the secret's values in `data`: one level more, named
            // `data.KEY`.
            if key == "data" {
                let DataValues(nested) = map.next_value()?;
                kept.extend(
                    nested
                        .into_iter()
                        .map(|(k, v)| (Cow::Owned(format!("data.{k}")), v)),
                );
                continue;
            }
            let MaybeText(value) = map.next_value()?;
            let Some(value) = value else {
                continue;
            };
            if !is_live(&value) {
                continue;
            }
            if DATA_KEYS.contains(&key.as_ref()) || url_password(&value).is_some() {
                kept.push((key, value));
            }
        }
        Ok(DataValues(kept))
    }

    fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(DataValues::default())
    }

    fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
        Ok(DataValues::default())
    }

    fn visit_some<D: Deserializer<'de>>(self, deserializer: D) -> Result<Self::Value, D::Error> {
        deserializer.deserialize_any(self)
    }

    // List responses, numbers: nothing to keep.
    fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
        while seq.next_element::<IgnoredAny>()?.is_some() {}
        Ok(DataValues::default())
    }

    fn visit_str<E: de::Error>(self, _: &str) -> Result<Self::Value, E> {
        Ok(DataValues::default())
    }

    fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
        Ok(DataValues::default())
    }

    fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
        Ok(DataValues::default())
    }

    fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
        Ok(DataValues::default())
    }

    fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
        Ok(DataValues::default())
    }
}

/// A string value borrowed from the line, or nothing for any other type.
struct MaybeText<'a>(Option<Cow<'a, str>>);

impl<'de: 'a, 'a> Deserialize<'de> for MaybeText<'a> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Text;
        impl<'de> Visitor<'de> for Text {
            type Value = MaybeText<'de>;
            fn expecting(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
                f.write_str("any value")
            }
            fn visit_borrowed_str<E: de::Error>(self, v: &'de str) -> Result<Self::Value, E> {
                Ok(MaybeText(Some(Cow::Borrowed(v))))
            }
            fn visit_str<E: de::Error>(self, v: &str) -> Result<Self::Value, E> {
                Ok(MaybeText(Some(Cow::Owned(v.to_string()))))
            }
            fn visit_string<E: de::Error>(self, v: String) -> Result<Self::Value, E> {
                Ok(MaybeText(Some(Cow::Owned(v))))
            }
            fn visit_unit<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(MaybeText(None))
            }
            fn visit_none<E: de::Error>(self) -> Result<Self::Value, E> {
                Ok(MaybeText(None))
            }
            fn visit_some<D: Deserializer<'de>>(self, d: D) -> Result<Self::Value, D::Error> {
                d.deserialize_any(self)
            }
            fn visit_bool<E: de::Error>(self, _: bool) -> Result<Self::Value, E> {
                Ok(MaybeText(None))
            }
            fn visit_i64<E: de::Error>(self, _: i64) -> Result<Self::Value, E> {
                Ok(MaybeText(None))
            }
            fn visit_u64<E: de::Error>(self, _: u64) -> Result<Self::Value, E> {
                Ok(MaybeText(None))
            }
            fn visit_f64<E: de::Error>(self, _: f64) -> Result<Self::Value, E> {
                Ok(MaybeText(None))
            }
            fn visit_seq<A: de::SeqAccess<'de>>(self, mut seq: A) -> Result<Self::Value, A::Error> {
                while seq.next_element::<IgnoredAny>()?.is_some() {}
                Ok(MaybeText(None))
            }
            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Self::Value, A::Error> {
                while map.next_entry::<IgnoredAny, IgnoredAny>()?.is_some() {}
                Ok(MaybeText(None))
            }
        }
        deserializer.deserialize_any(Text)
    }
}

/// The password of a `scheme://user:password@host…` URL, when it is one (not a template such
/// as Vault's own `{{password}}`).
pub fn url_password(value: &str) -> Option<&str> {
    let (_, rest) = value.split_once("://")?;
    let authority = rest.split(['/', '?', '#']).next()?;
    let (userinfo, _) = authority.rsplit_once('@')?;
    let (_, password) = userinfo.split_once(':')?;
    is_live(password).then_some(password)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_passwords_but_not_templates() {
        assert_eq!(
            url_password("postgresql://app:Winter2024x@db.internal:5432/app"),
            Some("Winter2024x")
        );
        assert_eq!(
            url_password("postgresql://{{username}}:{{password}}@db:5432/app"),
            None
        );
        assert_eq!(url_password("https://vault.example.com:8200"), None);
        assert_eq!(url_password("https://user@example.com/x:y@z"), None);
        assert_eq!(url_password("not a url"), None);
    }

    #[test]
    fn data_keeps_only_plain_interesting_values() {
        let line = r#"{"secret_id":"hmac-sha256:aa","role_id":"59d6d1ca","password":"***",
            "connection_url":"postgresql://app:Winter2024x@db/app","keys":["a"],"n":5,
            "other":"plain"}"#;
        let values: DataValues = serde_json::from_str(line).unwrap();
        let keys: Vec<&str> = values.0.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, vec!["role_id", "connection_url"]);
        assert_eq!(values.get("role_id"), Some("59d6d1ca"));
        let list: DataValues = serde_json::from_str(r#"["a","b"]"#).unwrap();
        assert!(list.0.is_empty());
        // KV v2: the values sit in `data`, one level down.
        let kv: DataValues = serde_json::from_str(
            r#"{"data":{"DATABASE_URL":"postgresql://etl:pw-1@db/x","password":"pw-2","n":{"x":1}},"options":{}}"#,
        )
        .unwrap();
        let keys: Vec<&str> = kv.0.iter().map(|(k, _)| k.as_ref()).collect();
        assert_eq!(keys, vec!["data.DATABASE_URL", "data.password"]);
    }

    /// A log written with `log_raw`: each token, secret ID and password once, at its first
    /// line, with what its entry names; hashed values and templates are nothing.
    #[test]
    fn a_raw_log_yields_each_value_once_with_its_names() {
        let log = concat!(
            r#"{"time":"2026-11-20T08:00:00Z","type":"request","auth":{"client_token":"hmac-sha256:aa","accessor":"hmac-sha256:bb","display_name":"root"},"request":{"path":"sys/health","data":{"password":"hmac-sha256:cc"}}}"#,
            "
",
            r#"{"time":"2026-11-20T09:00:00Z","type":"request","request":{"path":"auth/approle/login","data":{"role_id":"r-1","secret_id":"s-1"}}}"#,
            "
",
            r#"{"time":"2026-11-20T09:00:01Z","type":"response","auth":{"client_token":"hvs.T1","accessor":"acc-1","display_name":"approle","metadata":{"role_name":"ci"}},"request":{"path":"auth/approle/login","client_token":"hvs.T1","client_token_accessor":"acc-1","data":{"role_id":"r-1","secret_id":"s-1"}},"response":{"auth":{"client_token":"hvs.T1","accessor":"acc-1","metadata":{"role_name":"ci"}}}}"#,
            "
",
            r#"{"time":"2026-11-20T09:00:02Z","type":"response","auth":{"client_token":"hvs.T1","accessor":"acc-1","metadata":{"role_name":"ci"}},"request":{"path":"database/creds/ro"},"response":{"secret":{"lease_id":"database/creds/ro/L1"},"data":{"username":"v-ro","password":"pw-1"}}}"#,
            "
",
            r#"{"time":"2026-11-20T09:00:03Z","type":"request","request":{"path":"database/config/db","data":{"connection_url":"postgresql://{{username}}:{{password}}@db/x","password":"pw-2"}}}"#,
            "
",
        );
        let summary = super::super::audit::read_lines(log.as_bytes()).unwrap();
        let found: Vec<(AuditSecretKind, u64, &str, Vec<&str>)> = summary
            .secrets
            .iter()
            .map(|s| {
                (
                    s.kind,
                    s.line,
                    s.field.as_str(),
                    s.ids.iter().map(String::as_str).collect(),
                )
            })
            .collect();
        assert_eq!(
            found,
            vec![
                (
                    AuditSecretKind::SecretId,
                    2,
                    "request.data.secret_id",
                    vec!["r-1"]
                ),
                (
                    AuditSecretKind::Token,
                    3,
                    "auth.client_token",
                    vec!["acc-1"]
                ),
                (
                    AuditSecretKind::Password,
                    4,
                    "response.data.password",
                    vec!["database/creds/ro/L1"]
                ),
                (
                    AuditSecretKind::Password,
                    5,
                    "request.data.password",
                    vec![]
                ),
            ]
        );
        assert_eq!(
            summary.secrets[1].subject,
            Some(AuditSubject::Role {
                mount: super::super::audit::MountHint::LoginPath("approle".into()),
                role: "ci".into()
            })
        );
        assert_eq!(summary.secrets[2].path, "database/creds/ro");
    }

    #[test]
    fn values_are_kept_once_up_to_the_cap() {
        let mut collector = SecretCollector::default();
        let describe = || ("auth.client_token".to_string(), None, Vec::new());
        collector.found(
            AuditSecretKind::Token,
            SecretField::of("t1"),
            describe,
            1,
            "p",
        );
        collector.found(
            AuditSecretKind::Token,
            SecretField::of("t1"),
            describe,
            2,
            "p",
        );
        collector.found(
            AuditSecretKind::Token,
            SecretField::of("hmac-sha256:x"),
            describe,
            3,
            "p",
        );
        assert_eq!(collector.secrets.len(), 1);
        assert_eq!(collector.secrets[0].line, 1);
        assert!(!format!("{:?}", collector.secrets[0]).contains("sha256"));
        for i in 0..MAX_SECRETS_PER_LOG + 2 {
            collector.found(
                AuditSecretKind::Token,
                SecretField::of(&format!("token-{i}")),
                describe,
                10,
                "p",
            );
        }
        assert_eq!(collector.secrets.len(), MAX_SECRETS_PER_LOG);
        assert_eq!(collector.over_cap, 3);
        assert!(collector
            .warning()
            .unwrap()
            .contains("occur 3 more time(s)"));
    }
}
