//! Joins that only the whole export can make: lists compared with the lookups they name, audit
//! uses turned into usage records (display-name mounts resolved against the export's mounts),
//! and tokens found never used by a plain-accessor audit log that spans their life.

use std::collections::{BTreeSet, HashSet};

use jiff::Timestamp;

use super::audit::{AuditSubject, AuditSummary, MountHint};
use super::normalize::{line, VaultJoin, DEFAULT_APPROLE_MOUNT};
use super::path::{role_id_path, ApiPath, ExportPath};
use super::stored::serial_key;
use crate::discover::FileInput;
use crate::inventory::{Evidence, LastUse, UsageRecord};
use crate::time::format_rfc3339;

/// What the export looked up, for comparing lists with lookups.
pub(super) struct Looked<'a> {
    pub(super) tokens: &'a HashSet<&'a str>,
    pub(super) secret_ids: &'a HashSet<(String, &'a str)>,
    pub(super) leases: &'a HashSet<&'a str>,
    pub(super) serials: &'a HashSet<(String, String)>,
}

/// The identity an audit subject names, and how: a role's display-name mount is resolved
/// against the mounts of the export's roles.
pub(super) fn audit_identity(
    subject: &AuditSubject,
    accessor: Option<&str>,
    approle_mounts: &BTreeSet<String>,
) -> (String, &'static str) {
    match subject {
        AuditSubject::Role {
            mount: MountHint::LoginPath(mount),
            role,
        } => (role_id_path(mount, role), "login of role"),
        AuditSubject::Role {
            mount: MountHint::DisplayName(display_name),
            role,
        } => {
            let mount = approle_mounts
                .iter()
                .find(|m| m.replace('/', "-") == *display_name)
                .cloned()
                .unwrap_or_else(|| {
                    if display_name.is_empty() {
                        DEFAULT_APPROLE_MOUNT.to_string()
                    } else {
                        display_name.clone()
                    }
                });
            (role_id_path(&mount, role), "request by a token of role")
        }
        AuditSubject::Role {
            mount: MountHint::DisplayNamePrefix(display_name),
            role,
        } => (
            role_id_path(&mount_of_display_name(display_name, approle_mounts), role),
            "request by a token of role",
        ),
        AuditSubject::ServiceAccount { namespace, name } => (
            format!("system:serviceaccount:{namespace}:{name}"),
            "request by Kubernetes service account",
        ),
        AuditSubject::Entity(id) => (format!("vault:entity:{id}"), "request by entity"),
        AuditSubject::Root => ("vault:root".to_string(), "request by a root token"),
        AuditSubject::Token => (
            format!("vault:token:{}", accessor.unwrap_or_default()),
            "request by token",
        ),
    }
}

/// The mount a token's display name begins with (`MOUNT-ALIAS`, the mount's `/` written `-`): the
/// longest mount of the export that fits, else up to the first `-` (the default mounts, `jwt`,
/// `oidc`, `kubernetes`, have none), else the whole name.
fn mount_of_display_name(display_name: &str, mounts: &BTreeSet<String>) -> String {
    let fits = |mount: &&String| {
        let dashed = mount.replace('/', "-");
        display_name == dashed
            || display_name
                .strip_prefix(dashed.as_str())
                .is_some_and(|rest| rest.starts_with('-'))
    };
    if let Some(mount) = mounts.iter().filter(fits).max_by_key(|m| m.len()) {
        return mount.clone();
    }
    match display_name.split_once('-') {
        Some((mount, _)) if !mount.is_empty() => mount.to_string(),
        _ if display_name.is_empty() => DEFAULT_APPROLE_MOUNT.to_string(),
        _ => display_name.to_string(),
    }
}

impl VaultJoin {
    /// Warns when a list names items the export did not look up: they exist, but are not judged.
    pub(super) fn check_list(
        &mut self,
        input: &FileInput,
        place: &ExportPath,
        keys: &[String],
        looked: &Looked,
    ) {
        let items: Vec<&str> = keys
            .iter()
            .map(|k| k.trim())
            .filter(|k| !k.is_empty() && !k.ends_with('/'))
            .collect();
        let (what, missing) = match &place.api {
            Some(ApiPath::TokenAccessorList) => (
                "token accessors",
                items
                    .iter()
                    .filter(|k| !looked.tokens.contains(**k))
                    .count(),
            ),
            Some(ApiPath::SecretIdList { mount, name }) => {
                let role = role_id_path(mount, name);
                (
                    "secret ID accessors",
                    items
                        .iter()
                        .filter(|k| !looked.secret_ids.contains(&(role.clone(), **k)))
                        .count(),
                )
            }
            Some(ApiPath::Leases { prefix }) => (
                "leases",
                items
                    .iter()
                    .filter(|k| {
                        let id = if prefix.is_empty() {
                            k.to_string()
                        } else {
                            format!("{}/{k}", prefix.trim_end_matches('/'))
                        };
                        !looked.leases.contains(id.as_str())
                    })
                    .count(),
            ),
            Some(ApiPath::PkiCertList { mount }) => (
                "certificates",
                items
                    .iter()
                    .filter(|k| !looked.serials.contains(&(mount.clone(), serial_key(k))))
                    .count(),
            ),
            Some(_) => return,
            None => {
                self.warn(
                    input,
                    format!(
                        "a list of {} key(s) outside the export layout: what it lists is unknown, so it is not compared with the lookups",
                        keys.len()
                    ),
                );
                return;
            }
        };
        if missing > 0 {
            self.warn(
                input,
                format!(
                    "{missing} of {} listed {what} were not looked up; they are not judged",
                    items.len()
                ),
            );
        }
    }

    /// One usage record per audit subject, at its latest entry.
    pub(super) fn add_audit(
        &mut self,
        input: &FileInput,
        summary: &AuditSummary,
        approle_mounts: &BTreeSet<String>,
    ) {
        for audit_use in &summary.uses {
            let (identity, how) = audit_identity(
                &audit_use.subject,
                audit_use.accessor.as_deref(),
                approle_mounts,
            );
            let through = audit_use
                .accessor
                .as_deref()
                .map_or_else(String::new, |a| format!(" through accessor {a}"));
            self.usages.push(
                UsageRecord::new(
                    self.system.clone(),
                    identity.clone(),
                    audit_use.at,
                    Evidence::new(
                        &input.rel,
                        format!("last audit entry: {how} {identity}{through}"),
                    )
                    .at_line(line(audit_use.line)),
                )
                .credential(audit_use.accessor.clone()),
            );
        }
    }

    /// A token is never used when a plain-accessor audit log of its system spans its life and
    /// never shows its accessor; without such a log its use stays unknown.
    pub(super) fn judge_unseen_tokens(
        &mut self,
        audits: &[(&FileInput, &AuditSummary)],
        tokens: &[(usize, Timestamp)],
    ) {
        let covering: Vec<&AuditSummary> = audits
            .iter()
            .map(|(_, s)| *s)
            .filter(|s| s.plain_accessors)
            .collect();
        let (Some(start), Some(end)) = (
            covering.iter().filter_map(|s| s.first_time).min(),
            covering.iter().filter_map(|s| s.last_time).max(),
        ) else {
            return;
        };
        let seen: HashSet<&str> = covering
            .iter()
            .flat_map(|s| s.uses.iter())
            .filter_map(|u| u.accessor.as_deref())
            .collect();
        for &(index, created) in tokens {
            let Some(credential) = self.credentials.get_mut(index) else {
                continue;
            };
            if created > start && created < end && !seen.contains(credential.id.as_str()) {
                credential.last_used = LastUse::Never;
                credential.evidence.detail.push_str(&format!(
                    "; its accessor never appears in the audit log, which records plain accessors from {} to {}",
                    format_rfc3339(start),
                    format_rfc3339(end)
                ));
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn display_names_are_placed_under_the_longest_mount_that_fits() {
        let mounts: BTreeSet<String> = ["kubernetes", "k8s/prod", "k8s", "jwt"]
            .iter()
            .map(|m| m.to_string())
            .collect();
        for (display_name, mount) in [
            ("k8s-prod-web-frontend", "k8s/prod"),
            ("k8s-web-frontend", "k8s"),
            ("kubernetes-web-frontend", "kubernetes"),
            ("jwt", "jwt"),
            // Unknown to the export: up to the first `-`, the default mounts' form.
            ("oidc-alice@example.com", "oidc"),
            ("gitlab", "gitlab"),
            ("", DEFAULT_APPROLE_MOUNT),
        ] {
            assert_eq!(
                mount_of_display_name(display_name, &mounts),
                mount,
                "{display_name}"
            );
        }
        let (identity, how) = audit_identity(
            &AuditSubject::Role {
                mount: MountHint::DisplayNamePrefix("k8s-prod-web-frontend".into()),
                role: "web".into(),
            },
            None,
            &mounts,
        );
        assert_eq!(identity, "auth/k8s/prod/role/web");
        assert_eq!(how, "request by a token of role");
    }
}
