//! Secret material a Vault export holds → exposure records (`sources::leak`): a token lookup's
//! `id` (`vault token lookup TOKEN` prints the token; a lookup by accessor leaves it empty), a
//! login response's `client_token`, a generated secret ID's `secret_id`, and the plain-text
//! values of an audit log written with `log_raw` (`audit_secrets.rs`). Each carries the accessor
//! first (a credential of the export: the exposure then takes its status) and who holds it, as
//! the credential records of the same files say.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::audit_secrets::AuditSecretKind;
use super::normalize::{Export, VaultJoin};
use super::path::{role_id_path, ApiPath};
use super::tokens::{lease_holder, login_holder, lookup_holder};
use super::usage::audit_identity;
use crate::discover::FileInput;
use crate::inventory::Evidence;
use crate::sources::leak::{ExportSecret, SecretField};

impl VaultJoin {
    /// Every secret the export's files hold in plain.
    pub(super) fn expose_secrets(
        &mut self,
        export: &Export,
        approle_mounts: &BTreeSet<String>,
        role_of_role_id: &HashMap<String, String>,
    ) {
        for (input, token) in &export.tokens {
            let accessor = token.accessor.trim();
            let (holder, _) = lookup_holder(token);
            self.expose_response(
                export,
                input,
                token.id,
                (
                    "export/vault-token",
                    "Vault token (a token lookup with its id)",
                ),
                accessor,
                holder,
            );
        }
        for (input, place, login) in &export.logins {
            let (holder, _, _) = login_holder(place, login);
            self.expose_response(
                export,
                input,
                login.client_token,
                (
                    "export/vault-token",
                    "Vault token (a login response with its client_token)",
                ),
                login.accessor.trim(),
                holder,
            );
        }
        for (input, place, secret_id) in &export.secret_ids {
            // A lookup under `…/secret-id-accessor/`, or a generation response saved as
            // `…/secret-id` (the path `vault write -f auth/MOUNT/role/NAME/secret-id` uses).
            let holder = match &place.api {
                Some(
                    ApiPath::SecretIdAccessor { mount, name }
                    | ApiPath::SecretIdList { mount, name },
                ) => role_id_path(mount, name),
                _ => String::new(),
            };
            self.expose_response(
                export,
                input,
                secret_id.secret_id,
                (
                    "export/vault-secret-id",
                    "AppRole secret ID (a response with its secret_id)",
                ),
                secret_id.secret_id_accessor.trim(),
                holder,
            );
        }
        for (input, summary) in &export.audits {
            self.expose_audit_secrets(input, summary, approle_mounts, role_of_role_id);
        }
    }

    /// A token or secret ID a response holds: carried by its accessor and its holder.
    fn expose_response(
        &mut self,
        export: &Export,
        input: &FileInput,
        secret: SecretField,
        (detector, description): (&'static str, &str),
        accessor: &str,
        holder: String,
    ) {
        let Some(sha256) = secret.live() else {
            return;
        };
        let carries: Vec<String> = [accessor.to_string(), holder]
            .into_iter()
            .filter(|id| !id.is_empty())
            .collect();
        let slot = carries.first().cloned().unwrap_or_default();
        let evidence = Evidence::new(
            &input.rel,
            format!("{description}; accessor {}", or_none(accessor)),
        );
        let evidence = match export.secret_lines.get(input.rel.as_str()) {
            Some(&line) => evidence.at_line(line),
            None => evidence.locate_by(accessor),
        };
        self.common.expose(ExportSecret {
            system: self.system.clone(),
            detector,
            description: description.to_string(),
            carries,
            slot,
            sha256: *sha256,
            evidence,
        });
    }

    /// The plain-text values of an audit log, each at the first line that holds it.
    fn expose_audit_secrets(
        &mut self,
        input: &FileInput,
        summary: &super::audit::AuditSummary,
        approle_mounts: &BTreeSet<String>,
        role_of_role_id: &HashMap<String, String>,
    ) {
        // Values without an identifier are told apart by where they are: the request path and
        // field, numbered from the second time in one log.
        let mut places: BTreeMap<String, usize> = BTreeMap::new();
        for secret in &summary.secrets {
            let mut carries = secret.ids.clone();
            if let Some(subject) = &secret.subject {
                let accessor = secret.ids.first().map(String::as_str);
                carries.push(audit_identity(subject, accessor, approle_mounts).0);
            }
            // A role ID names its role when the export read it; a lease, the role it was
            // issued for.
            let extra: Vec<String> = carries
                .iter()
                .filter_map(|id| {
                    role_of_role_id.get(id).cloned().or_else(|| {
                        (id.contains("/creds/") || id.contains("/login/"))
                            .then(|| lease_holder(id))
                            .filter(|holder| !holder.starts_with("vault:lease:"))
                    })
                })
                .collect();
            for id in extra {
                if !carries.contains(&id) {
                    carries.push(id);
                }
            }
            let slot = match secret.ids.first() {
                Some(id) => id.clone(),
                None => {
                    let place = format!("{} {}", secret.path, secret.field);
                    let seen = places.entry(place.clone()).or_default();
                    *seen += 1;
                    if *seen == 1 {
                        place
                    } else {
                        format!("{place}#{seen}")
                    }
                }
            };
            let kind = secret.kind;
            let path = if secret.path.is_empty() {
                "(no path)"
            } else {
                secret.path.as_str()
            };
            self.common.expose(ExportSecret {
                system: self.system.clone(),
                detector: kind.detector(),
                description: kind.description().to_string(),
                carries,
                slot,
                sha256: secret.sha256,
                evidence: Evidence::new(
                    &input.rel,
                    format!(
                        "{} in plain text in an audit entry for {path}{}",
                        secret.field,
                        if kind == AuditSecretKind::Password {
                            ""
                        } else {
                            " (the audit device writes values unhashed: log_raw)"
                        }
                    ),
                )
                .at_line(super::normalize::line(secret.line)),
            });
        }
    }
}

fn or_none(text: &str) -> &str {
    if text.is_empty() {
        "(none)"
    } else {
        text
    }
}
