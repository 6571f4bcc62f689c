//! Login roles and entities → identities and grants: AppRole roles (with their role IDs and a
//! `token_role` credential for what a login mints), Kubernetes auth roles (policies granted to the
//! service accounts they bind), and identity entities (joined to roles and service accounts through
//! their aliases).

use std::collections::{BTreeSet, HashMap};

use super::model::{AppRoleRole, Entity, KubernetesRole};
use super::normalize::{
    file_stem, granted_policies, list_text, time_field, VaultJoin, DEFAULT_APPROLE_MOUNT,
};
use super::path::{role_id_path, ApiPath, ExportPath};
use crate::discover::FileInput;
use crate::inventory::{
    AccountState, CredentialKind, CredentialRecord, CredentialStatus, Evidence, Expiry,
    IdentityKind, IdentityRecord,
};

/// Auth methods whose entity aliases are people.
const HUMAN_AUTH_METHODS: [&str; 6] = ["userpass", "ldap", "oidc", "okta", "radius", "github"];

/// A login role named by a file's place, or by the file name when the file is outside the
/// layout (with a warning).
pub(super) struct RoleName {
    pub(super) mount: String,
    pub(super) name: String,
}

impl RoleName {
    pub(super) fn path(&self) -> String {
        role_id_path(&self.mount, &self.name)
    }
}

impl VaultJoin {
    /// The role a file describes, from its path; outside the layout the file name is the role
    /// name on the default mount, and the file says so.
    pub(super) fn role_name(&mut self, input: &FileInput, place: &ExportPath) -> RoleName {
        match &place.api {
            Some(ApiPath::Role { mount, name }) => RoleName {
                mount: mount.clone(),
                name: name.clone(),
            },
            _ => {
                let name = RoleName {
                    mount: DEFAULT_APPROLE_MOUNT.to_string(),
                    name: file_stem(&input.rel).to_string(),
                };
                self.warn(
                    input,
                    format!(
                        "the file is not at auth/MOUNT/role/NAME: the role is named after the file, {}",
                        name.path()
                    ),
                );
                name
            }
        }
    }

    /// An AppRole role: a service identity, a grant per token policy, and a `token_role`
    /// credential that says whether the tokens its logins mint can live forever.
    pub(super) fn add_approle(
        &mut self,
        input: &FileInput,
        name: &RoleName,
        role: &AppRoleRole,
        role_id: Option<&String>,
    ) {
        let path = name.path();
        let system = self.system.clone();
        self.push_identity(
            IdentityRecord::new(
                system.clone(),
                path.clone(),
                IdentityKind::Service,
                AccountState::Enabled,
                Evidence::new(&input.rel, format!("AppRole role {path}")).at_line(1),
            )
            .aliases(role_id.into_iter().cloned().collect())
            .display_name(Some(name.name.clone())),
        );
        for policy in granted_policies(&role.token_policies, &role.policies) {
            self.grant(
                input,
                &path,
                IdentityKind::Service,
                &policy,
                format!("token policy {policy} of AppRole role {path}"),
            );
        }
        let period = role.token_period.0.max(role.period.0);
        let unbounded = period > 0 && role.token_explicit_max_ttl.0 <= 0;
        let mut detail = if unbounded {
            format!(
                "login role {path} mints periodic tokens (period {period} s) without an explicit max TTL: they renew forever"
            )
        } else {
            format!(
                "login role {path} mints tokens (ttl {} s, max ttl {} s, explicit max ttl {} s; 0 = system default)",
                role.token_ttl.0, role.token_max_ttl.0, role.token_explicit_max_ttl.0
            )
        };
        if role.secret_id_ttl.0 <= 0 {
            detail.push_str("; secret_id_ttl 0: its secret IDs never expire");
        } else {
            detail.push_str(&format!("; secret_id_ttl {} s", role.secret_id_ttl.0));
        }
        if role.bind_secret_id == Some(false) {
            detail.push_str("; bind_secret_id false: the role ID alone logs in");
        }
        let evidence = Evidence::new(&input.rel, detail);
        let evidence = match (role.token_period.0 > 0, role.period.0 > 0) {
            (true, _) => evidence.locate_by("\"token_period\""),
            (false, true) => evidence.locate_by("\"period\""),
            _ => evidence.at_line(1),
        };
        self.push_credential(
            CredentialRecord::new(
                system,
                format!("{path}#login"),
                CredentialKind::TokenRole,
                path,
                CredentialStatus::Active,
                evidence,
            )
            .expires(if unbounded {
                Expiry::Never
            } else {
                Expiry::NotApplicable
            }),
        );
    }

    /// A role known only from its role ID file.
    pub(super) fn add_role_known_by_id(
        &mut self,
        input: &FileInput,
        mount: &str,
        name: &str,
        role_id: &str,
    ) {
        let path = role_id_path(mount, name);
        self.push_identity(
            IdentityRecord::new(
                self.system.clone(),
                path.clone(),
                IdentityKind::Service,
                AccountState::Enabled,
                Evidence::new(
                    &input.rel,
                    format!("AppRole role {path}, known from its role ID"),
                )
                .locate_by(role_id),
            )
            .aliases(vec![role_id.to_string()])
            .display_name(Some(name.to_string())),
        );
    }

    /// A Kubernetes auth role: its policies are held by each service account it binds.
    pub(super) fn add_kubernetes_role(
        &mut self,
        input: &FileInput,
        place: &ExportPath,
        role: &KubernetesRole,
    ) {
        let name = match &place.api {
            Some(ApiPath::Role { mount, name }) => role_id_path(mount, name),
            _ => format!("the role in {}", input.rel),
        };
        let policies = granted_policies(&role.token_policies, &role.policies);
        if policies.is_empty() {
            return;
        }
        let wildcard = |v: &String| v.contains('*');
        if role.bound_service_account_names.iter().any(wildcard)
            || role.bound_service_account_namespaces.iter().any(wildcard)
        {
            self.warn(
                input,
                format!(
                    "Kubernetes role {name} binds service accounts by wildcard (names: {}; namespaces: {}): its policies are not attributed to an identity",
                    list_text(&role.bound_service_account_names),
                    list_text(&role.bound_service_account_namespaces)
                ),
            );
            return;
        }
        for namespace in &role.bound_service_account_namespaces {
            for account in &role.bound_service_account_names {
                let holder = format!("system:serviceaccount:{namespace}:{account}");
                for policy in &policies {
                    self.grant(
                        input,
                        &holder,
                        IdentityKind::Workload,
                        policy,
                        format!("token policy {policy} of Kubernetes auth role {name}"),
                    );
                }
            }
        }
    }

    /// An entity: an identity whose aliases join it to roles and service accounts, and whose
    /// policies are grants.
    pub(super) fn add_entity(
        &mut self,
        input: &FileInput,
        entity: &Entity,
        role_of_role_id: &HashMap<String, String>,
    ) {
        let id = entity.id.trim();
        if id.is_empty() {
            self.warn(input, "entity without id; skipped".into());
            return;
        }
        let native_id = format!("vault:entity:{id}");
        let mut aliases = Vec::new();
        let mut kinds = BTreeSet::new();
        for alias in &entity.aliases {
            let name = alias.name.trim();
            match alias.mount_type.as_str() {
                "approle" => {
                    kinds.insert(IdentityKind::Service);
                    if !name.is_empty() {
                        aliases.push(name.to_string());
                        if let Some(role) = role_of_role_id.get(name) {
                            aliases.push(role.clone());
                        }
                    }
                }
                "kubernetes" => {
                    kinds.insert(IdentityKind::Workload);
                    // `serviceaccount_name` alias source: `NS/NAME`; the default
                    // `serviceaccount_uid`: the account's UID, an alias of its own.
                    match name.split_once('/') {
                        Some((namespace, account))
                            if !namespace.is_empty() && !account.is_empty() =>
                        {
                            aliases.push(format!("system:serviceaccount:{namespace}:{account}"))
                        }
                        _ if !name.is_empty() => aliases.push(name.to_string()),
                        _ => {}
                    }
                }
                method if HUMAN_AUTH_METHODS.contains(&method) => {
                    kinds.insert(IdentityKind::Human);
                }
                _ => {
                    kinds.insert(IdentityKind::Unknown);
                }
            }
        }
        let kind = match kinds.len() {
            1 => kinds.into_iter().next().unwrap_or(IdentityKind::Unknown),
            _ => IdentityKind::Unknown,
        };
        let mut warnings = Vec::new();
        let created = time_field(
            entity.creation_time.as_deref(),
            &format!("entity {id} creation_time"),
            &mut warnings,
        )
        .at();
        self.warn_all(input, warnings);
        let mounts: Vec<String> = entity
            .aliases
            .iter()
            .map(|a| format!("{} ({})", a.mount_path, a.mount_type))
            .collect();
        self.push_identity(
            IdentityRecord::new(
                self.system.clone(),
                native_id.clone(),
                kind,
                if entity.disabled {
                    AccountState::Disabled
                } else {
                    AccountState::Enabled
                },
                Evidence::new(
                    &input.rel,
                    format!(
                        "entity {}{} with aliases on {}",
                        entity.name,
                        if entity.disabled { " (disabled)" } else { "" },
                        list_text(&mounts)
                    ),
                )
                .locate_by(id),
            )
            .aliases(aliases)
            .display_name(Some(entity.name.clone()).filter(|n| !n.is_empty()))
            .created(created),
        );
        for policy in granted_policies(&entity.policies, &[]) {
            self.grant(
                input,
                &native_id,
                kind,
                &policy,
                format!("policy {policy} of entity {}", entity.name),
            );
        }
    }
}
