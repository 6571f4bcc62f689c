//! Credentials that authenticate to Vault → records: tokens (lookups and login responses),
//! AppRole secret IDs and leases, each held by the identity its metadata or path names.

use jiff::Timestamp;

use super::model::{Lease, LoginAuth, SecretIdAccessor, StringMap, TokenLookup};
use super::normalize::{granted_policies, list_text, time_field, VaultJoin, DEFAULT_APPROLE_MOUNT};
use super::path::{login_mount, role_id_path, ApiPath, ExportPath};
use crate::discover::FileInput;
use crate::inventory::{CredentialKind, CredentialRecord, CredentialStatus, Evidence, Expiry};
use crate::time::{format_rfc3339, from_unix_seconds, parse_field, TimeField};

/// Who holds a token, first that applies; the second value says how it was decided.
pub(super) fn token_holder(
    meta: &StringMap,
    login_path_mount: Option<String>,
    entity_id: &str,
    is_root: bool,
    accessor: &str,
) -> (String, &'static str) {
    if let (Some(role), Some(mount)) = (meta.get("role_name"), login_path_mount) {
        return (role_id_path(&mount, role), "meta.role_name");
    }
    if let (Some(name), Some(namespace)) = (
        meta.get("service_account_name"),
        meta.get("service_account_namespace"),
    ) {
        return (
            format!("system:serviceaccount:{namespace}:{name}"),
            "Kubernetes service account",
        );
    }
    if !entity_id.trim().is_empty() {
        return (format!("vault:entity:{}", entity_id.trim()), "entity_id");
    }
    if is_root {
        return ("vault:root".to_string(), "root token");
    }
    (format!("vault:token:{accessor}"), "the token itself")
}

/// Who holds the token a login response issued: the mount of its `metadata.role_name` is the
/// file's `auth/MOUNT/login` path, else [`DEFAULT_APPROLE_MOUNT`] is assumed (the third value
/// says so).
pub(super) fn login_holder(place: &ExportPath, login: &LoginAuth) -> (String, &'static str, bool) {
    let accessor = login.accessor.trim();
    let path_mount = match &place.api {
        Some(ApiPath::Login { mount }) => Some(mount.clone()),
        _ => None,
    };
    let role_name = login.metadata.get("role_name");
    let (mount, assumed) = match (role_name, path_mount) {
        (Some(_), Some(mount)) => (Some(mount), false),
        (Some(_), None) => (Some(DEFAULT_APPROLE_MOUNT.to_string()), true),
        (None, _) => (None, false),
    };
    let is_root = login.token_policies.iter().any(|p| p == "root");
    let (holder, decided_by) =
        token_holder(&login.metadata, mount, &login.entity_id, is_root, accessor);
    (holder, decided_by, assumed)
}

/// Who holds a looked-up token (see [`token_holder`]).
pub(super) fn lookup_holder(token: &TokenLookup) -> (String, &'static str) {
    let is_root = token.policies.iter().any(|p| p == "root")
        || token.path == "auth/token/root"
        || token.display_name == "root";
    token_holder(
        &token.meta,
        login_mount(&token.path),
        &token.entity_id,
        is_root,
        token.accessor.trim(),
    )
}

/// `auth/MOUNT/login/NAME/…` → `auth/MOUNT/role/NAME`; `MOUNT/creds/ROLE/…` → `MOUNT/roles/ROLE`;
/// else `vault:lease:PREFIX`.
pub(super) fn lease_holder(lease_id: &str) -> String {
    let parts: Vec<&str> = lease_id.split('/').collect();
    if parts.first() == Some(&"auth") {
        if let Some(at) = parts.iter().position(|p| *p == "login") {
            // AppRole leases are `auth/MOUNT/login/HASH`: no name; userpass-like ones name it.
            if at >= 2 && parts.len() >= at + 3 {
                return role_id_path(&parts[1..at].join("/"), parts[at + 1]);
            }
        }
    } else if let Some(at) = parts.iter().position(|p| *p == "creds") {
        if at >= 1 && parts.len() >= at + 3 {
            return format!("{}/roles/{}", parts[..at].join("/"), parts[at + 1]);
        }
    }
    let prefix = match lease_id.rsplit_once('/') {
        Some((prefix, _)) => prefix,
        None => lease_id,
    };
    format!("vault:lease:{prefix}")
}

impl VaultJoin {
    /// Returns the index and creation time of the token credential, for the audit join.
    pub(super) fn add_token(
        &mut self,
        input: &FileInput,
        token: &TokenLookup,
    ) -> Option<(usize, Timestamp)> {
        let accessor = token.accessor.trim();
        if accessor.is_empty() {
            self.warn(input, "token lookup without accessor; skipped".into());
            return None;
        }
        let mut warnings = Vec::new();
        let (holder, decided_by) = lookup_holder(token);
        let created = match from_unix_seconds(token.creation_time) {
            TimeField::At(at) => Some(at),
            _ => time_field(token.issue_time.as_deref(), "issue_time", &mut warnings).at(),
        };
        let periodic = token.period.0 > 0 && token.explicit_max_ttl.0 <= 0;
        let expires = if periodic {
            Expiry::Never
        } else {
            match time_field(
                token.expire_time.as_deref(),
                &format!("token {accessor} expire_time"),
                &mut warnings,
            ) {
                TimeField::At(at) => Expiry::At(at),
                TimeField::Never => Expiry::Never,
                TimeField::Absent if token.ttl.0 <= 0 => Expiry::Never,
                TimeField::Absent => {
                    warnings.push(format!(
                        "token {accessor}: no expire_time but ttl {} s; its expiry is unknown",
                        token.ttl.0
                    ));
                    Expiry::NotApplicable
                }
            }
        };
        self.warn_all(input, warnings);
        let mut detail = format!(
            "{} token from {}, orphan: {}, policies: {}",
            if token.token_type.is_empty() {
                "service"
            } else {
                token.token_type.as_str()
            },
            if token.path.is_empty() {
                "(no path)"
            } else {
                token.path.as_str()
            },
            token.orphan,
            list_text(&token.policies)
        );
        if !token.identity_policies.is_empty() {
            detail.push_str(&format!(
                ", identity policies: {}",
                list_text(&token.identity_policies)
            ));
        }
        if periodic {
            detail.push_str(&format!(
                ", periodic ({} s) without explicit max TTL",
                token.period.0
            ));
        }
        detail.push_str(&format!("; holder from {decided_by}"));
        let index = self.credentials.len();
        let added = self.push_credential(
            CredentialRecord::new(
                self.system.clone(),
                accessor.to_string(),
                CredentialKind::Token,
                holder,
                CredentialStatus::Active,
                Evidence::new(&input.rel, detail).locate_by(accessor),
            )
            .created(created)
            .expires(expires)
            .privileged(token.policies.iter().any(|p| p == "root")),
        );
        match (added, created) {
            (true, Some(created)) => Some((index, created)),
            _ => None,
        }
    }

    /// A login response: the token it issued, without an issue time (so without an expiry).
    pub(super) fn add_login(&mut self, input: &FileInput, place: &ExportPath, login: &LoginAuth) {
        let accessor = login.accessor.trim();
        if accessor.is_empty() {
            self.warn(input, "login response without accessor; skipped".into());
            return;
        }
        let (holder, decided_by, assumed) = login_holder(place, login);
        if let (true, Some(role)) = (assumed, login.metadata.get("role_name")) {
            self.warn(
                input,
                format!(
                    "login of role {role} outside auth/MOUNT/login: the mount is assumed to be {DEFAULT_APPROLE_MOUNT}"
                ),
            );
        }
        let policies = granted_policies(&login.token_policies, &login.policies);
        let is_root = login.token_policies.iter().any(|p| p == "root");
        if decided_by == "the token itself" {
            self.warn(
                input,
                format!(
                    "login response of token {accessor} names no role (metadata.role_name) or entity: the token is its own identity"
                ),
            );
        }
        self.push_credential(CredentialRecord::new(self.system.clone(), accessor.to_string(), CredentialKind::Token, holder, CredentialStatus::Active, Evidence::new(
                &input.rel,
                format!(
                    "login response: token with lease_duration {} s and policies {}; the response carries no issue time, so its expiry is unknown; holder from {decided_by}",
                    login.lease_duration.0,
                    list_text(&policies)
                ),
            )
            .locate_by(accessor)).privileged(is_root));
    }

    /// Returns the holder, for the list check.
    pub(super) fn add_secret_id(
        &mut self,
        input: &FileInput,
        place: &ExportPath,
        secret_id: &SecretIdAccessor,
    ) -> String {
        let accessor = secret_id.secret_id_accessor.trim();
        let holder = match &place.api {
            Some(ApiPath::SecretIdAccessor { mount, name }) => role_id_path(mount, name),
            _ => {
                self.warn(
                    input,
                    format!(
                        "secret ID {accessor} outside auth/MOUNT/role/NAME/secret-id-accessor/: its role is unknown"
                    ),
                );
                format!("vault:secret-id:{accessor}")
            }
        };
        if accessor.is_empty() {
            self.warn(
                input,
                "secret ID lookup without secret_id_accessor; skipped".into(),
            );
            return holder;
        }
        let mut warnings = Vec::new();
        let created = time_field(
            secret_id.creation_time.as_deref(),
            &format!("secret ID {accessor} creation_time"),
            &mut warnings,
        )
        .at();
        let expires = match secret_id.expiration_time.as_deref() {
            Some(text) => match parse_field(text) {
                Ok(TimeField::At(at)) => Expiry::At(at),
                // `0001-01-01T00:00:00Z`: `secret_id_ttl` 0, the secret ID never expires.
                Ok(TimeField::Absent | TimeField::Never) => Expiry::Never,
                Err(e) => {
                    warnings.push(format!(
                        "secret ID {accessor} expiration_time: {e}; its expiry is unknown"
                    ));
                    Expiry::NotApplicable
                }
            },
            None if secret_id.secret_id_ttl.0 <= 0 => Expiry::Never,
            None => Expiry::NotApplicable,
        };
        self.warn_all(input, warnings);
        let mut detail = format!(
            "secret ID of {holder}: uses left {}, ttl {} s",
            if secret_id.secret_id_num_uses <= 0 {
                "unlimited".to_string()
            } else {
                secret_id.secret_id_num_uses.to_string()
            },
            secret_id.secret_id_ttl.0,
        );
        if !secret_id.cidr_list.is_empty() {
            detail.push_str(&format!(", cidr_list {}", list_text(&secret_id.cidr_list)));
        }
        // A metadata owner says who asked for this secret ID, not who owns the identity.
        if let Some((_, owner)) = secret_id.metadata.get_any_ci(&["owner"]) {
            detail.push_str(&format!(", metadata owner {owner}"));
        }
        self.push_credential(
            CredentialRecord::new(
                self.system.clone(),
                accessor.to_string(),
                CredentialKind::SecretId,
                holder.clone(),
                CredentialStatus::Active,
                Evidence::new(&input.rel, detail).locate_by(accessor),
            )
            .created(created)
            .expires(expires),
        );
        holder
    }

    /// A lease: a credential of the role its path names.
    pub(super) fn add_lease(&mut self, input: &FileInput, lease: &Lease) {
        let id = lease.id.trim();
        if id.is_empty() {
            self.warn(input, "lease lookup without id; skipped".into());
            return;
        }
        let mut warnings = Vec::new();
        let created = time_field(
            lease.issue_time.as_deref(),
            &format!("lease {id} issue_time"),
            &mut warnings,
        )
        .at();
        let expires = match time_field(
            lease.expire_time.as_deref(),
            &format!("lease {id} expire_time"),
            &mut warnings,
        ) {
            TimeField::At(at) => Expiry::At(at),
            TimeField::Never => Expiry::Never,
            TimeField::Absent => Expiry::NotApplicable,
        };
        let last_renewal = time_field(
            lease.last_renewal.as_deref(),
            &format!("lease {id} last_renewal"),
            &mut warnings,
        )
        .at();
        self.warn_all(input, warnings);
        let holder = lease_holder(id);
        self.push_credential(
            CredentialRecord::new(
                self.system.clone(),
                id.to_string(),
                CredentialKind::Lease,
                holder.clone(),
                CredentialStatus::Active,
                Evidence::new(
                    &input.rel,
                    format!(
                        "lease of {holder}: {}, ttl {} s, last renewal {}",
                        if lease.renewable {
                            "renewable"
                        } else {
                            "not renewable"
                        },
                        lease.ttl.0,
                        last_renewal.map_or_else(|| "never".to_string(), format_rfc3339)
                    ),
                )
                .locate_by(id),
            )
            .created(created)
            .expires(expires),
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lease_holders_follow_the_lease_path() {
        assert_eq!(
            lease_holder("auth/userpass/login/user/h5a2d75"),
            "auth/userpass/role/user"
        );
        assert_eq!(
            lease_holder("database/creds/readonly/2f6a614c"),
            "database/roles/readonly"
        );
        assert_eq!(
            lease_holder("team/db/creds/app/2f6a614c"),
            "team/db/roles/app"
        );
        // AppRole token leases carry only a hash after `login`.
        assert_eq!(
            lease_holder("auth/approle/login/h0123"),
            "vault:lease:auth/approle/login"
        );
        assert_eq!(lease_holder("orphan"), "vault:lease:orphan");
    }

    #[test]
    fn token_holders_in_order_of_precedence() {
        let meta = |pairs: &[(&str, &str)]| {
            StringMap(
                pairs
                    .iter()
                    .map(|(k, v)| (k.to_string(), v.to_string()))
                    .collect(),
            )
        };
        let role = meta(&[("role_name", "ci")]);
        assert_eq!(
            token_holder(&role, Some("approle-ci".into()), "e1", true, "a").0,
            "auth/approle-ci/role/ci"
        );
        // A role name without a mount does not decide.
        assert_eq!(
            token_holder(&role, None, "e1", false, "a").0,
            "vault:entity:e1"
        );
        let sa = meta(&[
            ("service_account_name", "frontend"),
            ("service_account_namespace", "web"),
        ]);
        assert_eq!(
            token_holder(&sa, Some("kubernetes".into()), "e1", false, "a").0,
            "system:serviceaccount:web:frontend"
        );
        assert_eq!(
            token_holder(&StringMap::default(), None, "", true, "a").0,
            "vault:root"
        );
        assert_eq!(
            token_holder(&StringMap::default(), None, " ", false, "a").0,
            "vault:token:a"
        );
    }
}
