//! The resource types that provision identities, credentials and grants, and what one instance
//! provisions: its kind, its holder in the inventory's alias forms (ARN, service-account email,
//! appId, `system:serviceaccount:NS:NAME`, `auth/MOUNT/role/NAME`, `sha256:` of a deploy key),
//! the credential's native ID when the state knows it, and a few words for reports.
//!
//! A state often names a holder only by name (an access key's `user`, a binding's `role`): the
//! [`Context`] of the directory (every state and plan of one configuration) turns names into
//! ARNs through the users and roles it holds, or the account its other ARNs and
//! `data.aws_caller_identity` name; unique and object IDs into emails and appIds likewise.

use std::collections::{BTreeSet, HashMap};

use serde_json::Value;

use super::read::Instance;
use crate::inventory::ProvisionKind;

/// What one instance provisions for one holder.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Spec {
    pub kind: ProvisionKind,
    pub holder: String,
    pub holder_aliases: Vec<String>,
    pub credential: Option<String>,
    pub what: String,
}

/// Prefixes of resource types whose every instance is read: AWS IAM, GCP service accounts and
/// IAM members and bindings, Entra applications and service principals, Kubernetes service
/// accounts, bindings and token Secrets, Vault AppRoles, GitHub deploy keys.
pub fn is_provisioning(resource_type: &str) -> bool {
    matches!(
        resource_type,
        "aws_iam_user"
            | "aws_iam_role"
            | "aws_iam_access_key"
            | "aws_iam_user_login_profile"
            | "aws_iam_user_ssh_key"
            | "aws_iam_service_specific_credential"
            | "aws_iam_signing_certificate"
            | "aws_iam_user_policy_attachment"
            | "aws_iam_user_policy"
            | "aws_iam_user_group_membership"
            | "aws_iam_group_membership"
            | "aws_iam_role_policy_attachment"
            | "aws_iam_role_policy"
            | "aws_iam_policy_attachment"
            | "google_service_account"
            | "google_service_account_key"
            | "azuread_application"
            | "azuread_service_principal"
            | "azuread_application_password"
            | "azuread_application_certificate"
            | "azuread_service_principal_password"
            | "azuread_service_principal_certificate"
            | "kubernetes_service_account"
            | "kubernetes_service_account_v1"
            | "kubernetes_role_binding"
            | "kubernetes_role_binding_v1"
            | "kubernetes_cluster_role_binding"
            | "kubernetes_cluster_role_binding_v1"
            | "kubernetes_secret"
            | "kubernetes_secret_v1"
            | "vault_approle_auth_backend_role"
            | "vault_approle_auth_backend_role_secret_id"
            | "github_repository_deploy_key"
    ) || is_gcp_iam_member(resource_type)
}

/// `google_project_iam_member`, `google_storage_bucket_iam_binding`, … (not `_iam_policy`,
/// whose bindings are one JSON document).
fn is_gcp_iam_member(resource_type: &str) -> bool {
    resource_type.starts_with("google_")
        && (resource_type.ends_with("_iam_member") || resource_type.ends_with("_iam_binding"))
}

/// What a configuration's resources tell about the names of their holders.
#[derive(Debug, Default)]
pub struct Context {
    /// (partition, account) of every AWS ARN and caller identity.
    aws_accounts: BTreeSet<(String, String)>,
    user_arns: HashMap<String, String>,
    role_arns: HashMap<String, String>,
    /// Service-account unique ID → email.
    sa_emails: HashMap<String, String>,
    gcp_projects: BTreeSet<String>,
    /// Entra object ID → appId, of applications and of service principals.
    app_ids_of_applications: HashMap<String, String>,
    app_ids_of_principals: HashMap<String, String>,
}

/// `arn:PARTITION:SERVICE:REGION:ACCOUNT:…` → (partition, account) when the account is one.
fn arn_account(arn: &str) -> Option<(String, String)> {
    let mut parts = arn.splitn(6, ':');
    let (prefix, partition, _, _, account) = (
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
        parts.next()?,
    );
    (prefix == "arn" && account.len() == 12 && account.bytes().all(|b| b.is_ascii_digit()))
        .then(|| (partition.to_string(), account.to_string()))
}

/// The object ID in `/applications/OID`, `/servicePrincipals/OID` or a bare OID.
fn object_id(text: &str) -> &str {
    text.rsplit('/').next().unwrap_or(text)
}

impl Context {
    /// Learns what an instance of the configuration says (every instance, data sources
    /// included).
    pub fn learn(&mut self, instance: &Instance) {
        let t = instance.resource_type.as_str();
        if t.starts_with("aws_") {
            if let Some(account) = instance.text("arn").and_then(arn_account) {
                self.aws_accounts.insert(account);
            }
        }
        match t {
            "aws_caller_identity" => {
                if let Some(account) = instance.text("account_id") {
                    let partition = instance
                        .text("arn")
                        .and_then(|arn| arn.split(':').nth(1))
                        .unwrap_or("aws");
                    self.aws_accounts
                        .insert((partition.to_string(), account.to_string()));
                }
            }
            "aws_iam_user" | "aws_iam_role" => {
                if let (Some(name), Some(arn)) = (instance.text("name"), instance.text("arn")) {
                    let map = if t == "aws_iam_user" {
                        &mut self.user_arns
                    } else {
                        &mut self.role_arns
                    };
                    map.insert(name.to_string(), arn.to_string());
                }
            }
            "google_service_account" => {
                if let (Some(id), Some(email)) =
                    (instance.text("unique_id"), instance.text("email"))
                {
                    self.sa_emails.insert(id.to_string(), email.to_string());
                }
            }
            "azuread_application" | "azuread_service_principal" => {
                let app_id = instance
                    .text("client_id")
                    .or_else(|| instance.text("application_id"));
                let object = instance
                    .text("object_id")
                    .or_else(|| instance.text("id"))
                    .map(object_id);
                if let (Some(app_id), Some(object)) = (app_id, object) {
                    let map = if t == "azuread_application" {
                        &mut self.app_ids_of_applications
                    } else {
                        &mut self.app_ids_of_principals
                    };
                    map.insert(object.to_string(), app_id.to_string());
                }
            }
            _ => {}
        }
        if t.starts_with("google_") {
            if let Some(project) = instance.text("project") {
                self.gcp_projects.insert(project.to_string());
            }
        }
    }

    /// The configuration's one AWS account, if it names exactly one.
    fn aws_account(&self) -> Option<&(String, String)> {
        match self.aws_accounts.len() {
            1 => self.aws_accounts.first(),
            _ => None,
        }
    }

    /// The ARN of an IAM user or role named `name` (an ARN is taken as it is).
    fn iam_arn(&self, kind: &str, name: &str, path: Option<&str>) -> Result<String, String> {
        if name.starts_with("arn:") {
            return Ok(name.to_string());
        }
        let known = if kind == "user" {
            &self.user_arns
        } else {
            &self.role_arns
        };
        if let Some(arn) = known.get(name) {
            return Ok(arn.clone());
        }
        let (partition, account) = self.aws_account().ok_or_else(|| {
            format!(
                "IAM {kind} {name}: its ARN is not in the file and the configuration names no single AWS account (add data.aws_caller_identity)"
            )
        })?;
        let path = path.filter(|p| p.starts_with('/')).unwrap_or("/");
        Ok(format!("arn:{partition}:iam::{account}:{kind}{path}{name}"))
    }

    /// A service account's email from `projects/P/serviceAccounts/EMAIL`, an email or a
    /// unique ID.
    fn service_account_email(&self, text: &str) -> Result<String, String> {
        let last = text.rsplit('/').next().unwrap_or(text);
        if last.contains('@') {
            return Ok(last.to_string());
        }
        self.sa_emails
            .get(last)
            .cloned()
            .ok_or_else(|| format!("service account {last}: its email is not in the configuration"))
    }
}

/// What an instance provisions: one spec per holder, or why a holder could not be named.
pub fn specs(instance: &Instance, context: &Context) -> Vec<Result<Spec, String>> {
    let t = instance.resource_type.as_str();
    let text = |name: &str| instance.text(name);
    let spec = |kind, holder: String, credential: Option<String>, what: String| Spec {
        kind,
        holder,
        holder_aliases: Vec::new(),
        credential,
        what,
    };
    let one = |result: Result<Spec, String>| vec![result];
    let user_arn = |field: &str| -> Result<(String, String), String> {
        let name = text(field).ok_or_else(|| format!("no `{field}`"))?;
        Ok((context.iam_arn("user", name, None)?, name.to_string()))
    };
    let role_arn = |field: &str| -> Result<(String, String), String> {
        let name = text(field).ok_or_else(|| format!("no `{field}`"))?;
        // `aws_iam_role_policy`'s `role` may be `NAME` or the role's ARN.
        Ok((context.iam_arn("role", name, None)?, name.to_string()))
    };
    match t {
        "aws_iam_user" | "aws_iam_role" => {
            let kind = if t == "aws_iam_user" { "user" } else { "role" };
            one((|| {
                let name = text("name").ok_or("no `name`")?;
                let arn = match text("arn") {
                    Some(arn) => arn.to_string(),
                    None => context.iam_arn(kind, name, text("path"))?,
                };
                let mut spec = spec(
                    ProvisionKind::Identity,
                    arn,
                    None,
                    format!("IAM {kind} {name}"),
                );
                spec.holder_aliases = text("unique_id").map(str::to_string).into_iter().collect();
                Ok(spec)
            })())
        }
        "aws_iam_access_key" => one(user_arn("user").map(|(arn, name)| {
            let id = text("id").map(str::to_string);
            let what = match &id {
                Some(id) => format!("access key {id} of IAM user {name}"),
                None => format!("a new access key of IAM user {name}"),
            };
            spec(ProvisionKind::Credential, arn, id, what)
        })),
        "aws_iam_user_login_profile" => one(user_arn("user").map(|(arn, name)| {
            spec(
                ProvisionKind::Credential,
                arn,
                None,
                format!("console password of IAM user {name}"),
            )
        })),
        "aws_iam_user_ssh_key"
        | "aws_iam_service_specific_credential"
        | "aws_iam_signing_certificate" => {
            let (field, id_field, label) = match t {
                "aws_iam_user_ssh_key" => ("username", "ssh_public_key_id", "SSH public key"),
                "aws_iam_service_specific_credential" => (
                    "user_name",
                    "service_specific_credential_id",
                    "service-specific credential",
                ),
                _ => ("user_name", "certificate_id", "signing certificate"),
            };
            one(user_arn(field).map(|(arn, name)| {
                let id = text(id_field).map(str::to_string);
                let what = format!(
                    "{label}{} of IAM user {name}",
                    id.as_deref().map(|id| format!(" {id}")).unwrap_or_default()
                );
                spec(ProvisionKind::Credential, arn, id, what)
            }))
        }
        "aws_iam_user_policy_attachment" => one(user_arn("user").map(|(arn, name)| {
            let policy = text("policy_arn").unwrap_or("(unknown policy)");
            spec(
                ProvisionKind::Grant,
                arn,
                None,
                format!("policy {policy} attached to IAM user {name}"),
            )
        })),
        "aws_iam_user_policy" => one(user_arn("user").map(|(arn, name)| {
            spec(
                ProvisionKind::Grant,
                arn,
                None,
                format!(
                    "inline policy {} of IAM user {name}",
                    text("name").unwrap_or("(unnamed)")
                ),
            )
        })),
        "aws_iam_user_group_membership" => one(user_arn("user").map(|(arn, name)| {
            let groups = strings(instance.attributes.get("groups")).join(", ");
            spec(
                ProvisionKind::Grant,
                arn,
                None,
                format!("IAM user {name} in group(s) {groups}"),
            )
        })),
        "aws_iam_role_policy_attachment" => one(role_arn("role").map(|(arn, name)| {
            let policy = text("policy_arn").unwrap_or("(unknown policy)");
            spec(
                ProvisionKind::Grant,
                arn,
                None,
                format!("policy {policy} attached to IAM role {name}"),
            )
        })),
        "aws_iam_role_policy" => {
            // `role` is the role's name; older states write `ROLE:POLICY` into `id` only.
            one(role_arn("role").map(|(arn, name)| {
                spec(
                    ProvisionKind::Grant,
                    arn,
                    None,
                    format!(
                        "inline policy {} of IAM role {name}",
                        text("name").unwrap_or("(unnamed)")
                    ),
                )
            }))
        }
        "aws_iam_group_membership" => {
            let group = text("group").unwrap_or("(unknown group)");
            strings(instance.attributes.get("users"))
                .into_iter()
                .map(|user| {
                    let arn = context.iam_arn("user", &user, None)?;
                    Ok(spec(
                        ProvisionKind::Grant,
                        arn,
                        None,
                        format!("IAM user {user} in group {group}"),
                    ))
                })
                .collect()
        }
        "aws_iam_policy_attachment" => {
            let policy = text("policy_arn").unwrap_or("(unknown policy)");
            let users = strings(instance.attributes.get("users"))
                .into_iter()
                .map(|u| ("user", u));
            let roles = strings(instance.attributes.get("roles"))
                .into_iter()
                .map(|r| ("role", r));
            users
                .chain(roles)
                .map(|(kind, name)| {
                    let arn = context.iam_arn(kind, &name, None)?;
                    Ok(spec(
                        ProvisionKind::Grant,
                        arn,
                        None,
                        format!("policy {policy} attached to IAM {kind} {name}"),
                    ))
                })
                .collect()
        }
        "google_service_account" => one((|| {
            let email = match text("email") {
                Some(email) => email.to_string(),
                None => {
                    let account = text("account_id").ok_or("no `email` nor `account_id`")?;
                    let project = text("project")
                        .map(str::to_string)
                        .or_else(|| match context.gcp_projects.len() {
                            1 => context.gcp_projects.first().cloned(),
                            _ => None,
                        })
                        .ok_or_else(|| {
                            format!("service account {account}: no project, so no email")
                        })?;
                    format!("{account}@{project}.iam.gserviceaccount.com")
                }
            };
            let mut spec = spec(
                ProvisionKind::Identity,
                email.clone(),
                None,
                format!("service account {email}"),
            );
            spec.holder_aliases = text("unique_id").map(str::to_string).into_iter().collect();
            Ok(spec)
        })()),
        "google_service_account_key" => one((|| {
            let account = text("service_account_id").ok_or("no `service_account_id`")?;
            let email = context.service_account_email(account)?;
            let key_id = text("id")
                .or_else(|| text("name"))
                .and_then(|name| name.rsplit_once("/keys/").map(|(_, id)| id.to_string()));
            let what = match &key_id {
                Some(id) => format!("service-account key {id} of {email}"),
                None => format!("a new service-account key of {email}"),
            };
            Ok(spec(ProvisionKind::Credential, email, key_id, what))
        })()),
        t if is_gcp_iam_member(t) => {
            let role = text("role").unwrap_or("(unknown role)");
            let members = match instance.attributes.get("members") {
                Some(members) => strings(Some(members)),
                None => text("member").map(str::to_string).into_iter().collect(),
            };
            members
                .iter()
                .filter_map(|member| gcp_member(member))
                .map(|holder| {
                    Ok(spec(
                        ProvisionKind::Grant,
                        holder.clone(),
                        None,
                        format!("role {role} bound to {holder} ({t})"),
                    ))
                })
                .collect()
        }
        "azuread_application" | "azuread_service_principal" => one((|| {
            let app_id = text("client_id")
                .or_else(|| text("application_id"))
                .ok_or("no `client_id`")?;
            let label = if t == "azuread_application" {
                "Entra application"
            } else {
                "Entra service principal"
            };
            let mut spec = spec(
                ProvisionKind::Identity,
                app_id.to_string(),
                None,
                format!(
                    "{label} {}",
                    text("display_name")
                        .map(|n| format!("{n} ({app_id})"))
                        .unwrap_or_else(|| app_id.to_string())
                ),
            );
            spec.holder_aliases = text("object_id").map(str::to_string).into_iter().collect();
            Ok(spec)
        })()),
        "azuread_application_password"
        | "azuread_application_certificate"
        | "azuread_service_principal_password"
        | "azuread_service_principal_certificate" => one((|| {
            let on_application = t.starts_with("azuread_application_");
            let object = if on_application {
                text("application_id").or_else(|| text("application_object_id"))
            } else {
                text("service_principal_id")
            }
            .map(object_id)
            .ok_or("no application or service principal ID")?;
            let app_ids = if on_application {
                &context.app_ids_of_applications
            } else {
                &context.app_ids_of_principals
            };
            // Without its appId, the object ID (an alias of the account in Entra exports).
            let holder = app_ids
                .get(object)
                .cloned()
                .unwrap_or_else(|| object.to_string());
            let key_id = text("key_id").map(str::to_string);
            let label = if t.ends_with("_password") {
                "client secret"
            } else {
                "certificate"
            };
            let what = format!(
                "{label}{} of {holder}",
                key_id
                    .as_deref()
                    .map(|k| format!(" {k}"))
                    .unwrap_or_default()
            );
            let mut spec = spec(ProvisionKind::Credential, holder.clone(), key_id, what);
            if holder != object {
                spec.holder_aliases.push(object.to_string());
            }
            Ok(spec)
        })()),
        "kubernetes_service_account" | "kubernetes_service_account_v1" => one((|| {
            let (namespace, name) = metadata_name(instance).ok_or("no `metadata.name`")?;
            let holder = super::super::kubernetes::service_account_id(&namespace, &name);
            Ok(spec(
                ProvisionKind::Identity,
                holder,
                None,
                format!("Kubernetes service account {namespace}/{name}"),
            ))
        })()),
        "kubernetes_role_binding"
        | "kubernetes_role_binding_v1"
        | "kubernetes_cluster_role_binding"
        | "kubernetes_cluster_role_binding_v1" => {
            let binding_namespace = metadata_name(instance).map(|(ns, _)| ns);
            let role = first_object(instance.attributes.get("role_ref"))
                .map(|r| {
                    format!(
                        "{}/{}",
                        r.get("kind").and_then(Value::as_str).unwrap_or("Role"),
                        r.get("name").and_then(Value::as_str).unwrap_or("?")
                    )
                })
                .unwrap_or_else(|| "(unknown role)".into());
            objects(instance.attributes.get("subject"))
                .filter(|s| s.get("kind").and_then(Value::as_str) == Some("ServiceAccount"))
                .filter_map(|s| {
                    let name = s.get("name").and_then(Value::as_str)?;
                    let namespace = s
                        .get("namespace")
                        .and_then(Value::as_str)
                        .filter(|n| !n.is_empty())
                        .map(str::to_string)
                        .or_else(|| binding_namespace.clone())
                        .unwrap_or_else(|| "default".into());
                    Some(Ok(spec(
                        ProvisionKind::Grant,
                        super::super::kubernetes::service_account_id(&namespace, name),
                        None,
                        format!("{role} bound to service account {namespace}/{name}"),
                    )))
                })
                .collect()
        }
        "kubernetes_secret" | "kubernetes_secret_v1" => {
            if text("type") != Some("kubernetes.io/service-account-token") {
                return Vec::new();
            }
            one((|| {
                let (namespace, name) = metadata_name(instance).ok_or("no `metadata.name`")?;
                let account = first_object(instance.attributes.get("metadata"))
                    .and_then(|m| m.get("annotations"))
                    .and_then(|a| a.get("kubernetes.io/service-account.name"))
                    .and_then(Value::as_str)
                    .ok_or("a token Secret without its service-account annotation")?;
                Ok(spec(
                    ProvisionKind::Credential,
                    super::super::kubernetes::service_account_id(&namespace, account),
                    Some(format!("{namespace}/{name}")),
                    format!(
                        "service-account token Secret {namespace}/{name} of {namespace}/{account}"
                    ),
                ))
            })())
        }
        "vault_approle_auth_backend_role" | "vault_approle_auth_backend_role_secret_id" => {
            one((|| {
                let backend = text("backend").unwrap_or("approle").trim_matches('/');
                let role = text("role_name").ok_or("no `role_name`")?;
                let holder = format!("auth/{backend}/role/{role}");
                if t == "vault_approle_auth_backend_role" {
                    let mut spec = spec(
                        ProvisionKind::Identity,
                        holder.clone(),
                        None,
                        format!("AppRole role {holder}"),
                    );
                    spec.holder_aliases = text("role_id").map(str::to_string).into_iter().collect();
                    return Ok(spec);
                }
                let accessor = text("accessor").map(str::to_string);
                let what = match &accessor {
                    Some(a) => format!("secret ID (accessor {a}) of AppRole role {holder}"),
                    None => format!("a new secret ID of AppRole role {holder}"),
                };
                Ok(spec(ProvisionKind::Credential, holder, accessor, what))
            })())
        }
        "github_repository_deploy_key" => one((|| {
            let key = text("key").ok_or("no `key`")?;
            let fingerprint = super::super::github::public_key_fingerprint(key)
                .ok_or("a deploy key whose `key` is not an OpenSSH public key")?;
            let repository = text("repository").unwrap_or("(unknown repository)");
            Ok(spec(
                ProvisionKind::Credential,
                fingerprint.clone(),
                Some(fingerprint),
                format!(
                    "deploy key {}on repository {repository}",
                    text("title")
                        .map(|t| format!("\"{t}\" "))
                        .unwrap_or_default()
                ),
            ))
        })()),
        _ => Vec::new(),
    }
}

/// The holder named by a GCP IAM member: service accounts, users and groups by email (a
/// `deleted:` one too: the code still binds it), a GKE Workload Identity member as its
/// Kubernetes service account. Domains, the public and principal sets are nobody in particular.
fn gcp_member(member: &str) -> Option<String> {
    let member = member.strip_prefix("deleted:").unwrap_or(member);
    let (kind, rest) = member.split_once(':')?;
    let email = rest.split_once("?uid=").map_or(rest, |(email, _)| email);
    match kind {
        "serviceAccount" => {
            if let Some((_pool, workload)) = email.split_once(".svc.id.goog[") {
                let (namespace, name) = workload.strip_suffix(']')?.split_once('/')?;
                return Some(super::super::kubernetes::service_account_id(
                    namespace, name,
                ));
            }
            Some(email.to_string())
        }
        "user" | "group" => Some(email.to_string()),
        _ => None,
    }
}

/// The strings of a list (or a lone string).
fn strings(value: Option<&Value>) -> Vec<String> {
    match value {
        Some(Value::Array(items)) => items
            .iter()
            .filter_map(Value::as_str)
            .filter(|s| !s.trim().is_empty())
            .map(str::to_string)
            .collect(),
        Some(Value::String(s)) if !s.trim().is_empty() => vec![s.clone()],
        _ => Vec::new(),
    }
}

/// The objects of a block list (`[{…}]`) or a lone object.
fn objects(value: Option<&Value>) -> impl Iterator<Item = &serde_json::Map<String, Value>> {
    let items: Vec<&serde_json::Map<String, Value>> = match value {
        Some(Value::Array(items)) => items.iter().filter_map(Value::as_object).collect(),
        Some(Value::Object(map)) => vec![map],
        _ => Vec::new(),
    };
    items.into_iter()
}

fn first_object(value: Option<&Value>) -> Option<&serde_json::Map<String, Value>> {
    objects(value).next()
}

/// A Kubernetes object's namespace (`default` when unset) and name, from `metadata`.
fn metadata_name(instance: &Instance) -> Option<(String, String)> {
    let metadata = first_object(instance.attributes.get("metadata"))?;
    let name = metadata
        .get("name")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())?;
    let namespace = metadata
        .get("namespace")
        .and_then(Value::as_str)
        .filter(|n| !n.is_empty())
        .unwrap_or("default");
    Some((namespace.to_string(), name.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arns_and_members() {
        assert_eq!(
            arn_account("arn:aws:iam::111122223333:user/ci"),
            Some(("aws".into(), "111122223333".into()))
        );
        assert_eq!(arn_account("arn:aws:iam::aws:policy/ReadOnlyAccess"), None);
        assert_eq!(arn_account("arn:aws:iam::xxxxxxxxxxxx:user/me"), None);
        assert_eq!(
            gcp_member("serviceAccount:ci@p.iam.gserviceaccount.com").as_deref(),
            Some("ci@p.iam.gserviceaccount.com")
        );
        assert_eq!(
            gcp_member("deleted:serviceAccount:old@p.iam.gserviceaccount.com?uid=1").as_deref(),
            Some("old@p.iam.gserviceaccount.com")
        );
        assert_eq!(
            gcp_member("serviceAccount:p.svc.id.goog[ci/runner]").as_deref(),
            Some("system:serviceaccount:ci:runner")
        );
        assert_eq!(gcp_member("domain:example.com"), None);
        assert_eq!(gcp_member("allUsers"), None);
    }

    #[test]
    fn names_become_arns_through_the_configuration() {
        let mut context = Context::default();
        assert!(context.iam_arn("user", "ci", None).is_err());
        context
            .aws_accounts
            .insert(("aws".into(), "111122223333".into()));
        assert_eq!(
            context.iam_arn("user", "ci", None).unwrap(),
            "arn:aws:iam::111122223333:user/ci"
        );
        context.role_arns.insert(
            "deployer".into(),
            "arn:aws:iam::111122223333:role/ci/deployer".into(),
        );
        assert_eq!(
            context.iam_arn("role", "deployer", None).unwrap(),
            "arn:aws:iam::111122223333:role/ci/deployer"
        );
        // Two accounts: no guess.
        context
            .aws_accounts
            .insert(("aws".into(), "444455556666".into()));
        assert!(context.iam_arn("user", "ci", None).is_err());
    }
}
