//! GCP files → inventory records. Service accounts are read first, from every file, so that keys
//! and grants written with a uniqueId find their account's email; CAI Project and
//! ServiceAccount assets map the project numbers of policy asset names to project IDs.

use crate::sources::Assembly;
use std::collections::{BTreeMap, HashMap, HashSet};

use super::model::{
    parse_key_name, project_of_email, Binding, KeyOrigin, KeyType, Member, PrincipalKind,
    ServiceAccount, ServiceAccountKey,
};
use super::{AssetPolicy, GcpFile};
use crate::discover::FileInput;
use crate::inventory::{
    AccountState, CredentialKind, CredentialRecord, CredentialStatus, Evidence, Expiry,
    GrantRecord, IdentityKind, IdentityRecord, Records, SourceFamily, SystemRef, UsageRecord,
};
use crate::sources::leak::ExportSecret;
use crate::sources::reconcile;
use crate::time::TimeField;

/// The system name of records whose project no export names.
pub const UNKNOWN_PROJECT: &str = "unknown-project";

/// What a `get-iam-policy` grant is on: the body does not name its resource.
const POLICY_RESOURCE: &str = "project";

pub(super) fn system(project: &str) -> SystemRef {
    SystemRef::new(SourceFamily::Gcp, project)
}

/// Evidence at a known line, or located later by a native ID.
fn evidence(input: &FileInput, detail: String, line: Option<u32>, locate: &str) -> Evidence {
    let evidence = Evidence::new(&input.rel, detail);
    match line {
        Some(line) => evidence.at_line(line),
        None => evidence.locate_by(locate),
    }
}

#[derive(Debug)]
pub(super) struct Account {
    pub(super) record: IdentityRecord,
    /// The file it was first read from, for conflict warnings.
    file: String,
}

#[derive(Default)]
pub(super) struct GcpJoin {
    /// By lower-cased email: one account however many exports list it.
    accounts: BTreeMap<String, Account>,
    /// uniqueId → lower-cased email.
    email_of_unique_id: HashMap<String, String>,
    /// Project number → project ID.
    pub(super) project_ids: HashMap<String, String>,
    /// Uses the platform dated (Recommender insights, Policy Analyzer activities).
    pub(super) usages: Vec<UsageRecord>,
    credentials: Vec<CredentialRecord>,
    credential_index: HashMap<(SystemRef, String), usize>,
    grants: Vec<GrantRecord>,
    grant_keys: HashSet<(SystemRef, String, String, bool)>,
    pub(super) common: Assembly,
}

/// Joins every GCP file of the scan into records, with warnings per file.
pub fn assemble(mut files: Vec<(FileInput, GcpFile)>, common: &mut Assembly) -> Records {
    let mut a = GcpJoin {
        common: std::mem::take(common),
        ..GcpJoin::default()
    };
    for (_, file) in &files {
        if let GcpFile::AssetInventory { export, .. } = file {
            for (number, id) in &export.project_ids {
                a.project_ids
                    .entry(number.clone())
                    .or_insert_with(|| id.clone());
            }
        }
    }
    // Each pass lets go of what it has read, so that a large project's parsed exports are not
    // held beside every record made from them.
    for (input, file) in &mut files {
        let input = &*input;
        a.common.reading(input);
        match file {
            GcpFile::ServiceAccounts { accounts, .. } => {
                for account in &std::mem::take(accounts) {
                    a.add_account(input, account, None);
                }
            }
            GcpFile::AssetInventory { export, .. } => {
                for account in &std::mem::take(&mut export.accounts) {
                    a.add_account(input, &account.item, account.line);
                }
            }
            GcpFile::ServiceAccountKeys { .. }
            | GcpFile::IamPolicy { .. }
            | GcpFile::Insights { .. }
            | GcpFile::Activities { .. } => {}
        }
    }
    for (input, file) in &mut files {
        let input = &*input;
        a.common.reading(input);
        match file {
            GcpFile::ServiceAccountKeys {
                keys,
                private_key_line,
                ..
            } => {
                for key in &std::mem::take(keys) {
                    a.add_key(input, key, "", None);
                    a.expose_private_key(input, key, *private_key_line);
                }
            }
            GcpFile::AssetInventory { export, .. } => {
                for key in &std::mem::take(&mut export.keys) {
                    a.add_key(input, &key.item.key, &key.item.asset_name, key.line);
                }
            }
            GcpFile::ServiceAccounts { .. }
            | GcpFile::IamPolicy { .. }
            | GcpFile::Insights { .. }
            | GcpFile::Activities { .. } => {}
        }
    }
    for (input, file) in &mut files {
        let input = &*input;
        a.common.reading(input);
        match file {
            GcpFile::IamPolicy { policy, .. } => {
                let project = system(policy.project.as_deref().unwrap_or(UNKNOWN_PROJECT));
                for located in &policy.bindings {
                    a.add_binding(input, &project, POLICY_RESOURCE, &located.binding, |i| {
                        located.member_lines.get(i).copied().flatten()
                    });
                }
            }
            GcpFile::AssetInventory { export, .. } => {
                let mut unplaced = 0usize;
                for policy in &std::mem::take(&mut export.policies) {
                    let project = a.asset_system(policy);
                    unplaced += usize::from(&*project.name == UNKNOWN_PROJECT);
                    for binding in &policy.policy.bindings {
                        a.add_binding(input, &project, &policy.resource, binding, |_| {
                            Some(policy.line)
                        });
                    }
                }
                if unplaced > 0 {
                    a.common.warn(format!(
                        "{unplaced} polic(ies) on assets of no known project, folder or organization; grants read under {UNKNOWN_PROJECT}"
                    ));
                }
            }
            GcpFile::ServiceAccounts { .. }
            | GcpFile::ServiceAccountKeys { .. }
            | GcpFile::Insights { .. }
            | GcpFile::Activities { .. } => {}
        }
    }
    // Google's own verdicts on use: joined to the records above after correlation.
    for (input, file) in &files {
        a.common.reading(input);
        match file {
            GcpFile::Insights { insights, .. } => {
                for insight in insights {
                    a.add_insight(input, insight);
                }
            }
            GcpFile::Activities { activities, .. } => {
                for activity in activities {
                    a.add_activity(input, activity);
                }
            }
            _ => {}
        }
    }
    let (records, finished) = a.finish();
    *common = finished;
    records
}

impl GcpJoin {
    fn add_account(&mut self, input: &FileInput, account: &ServiceAccount, line: Option<u32>) {
        // Accounts without an email were counted in the file's warnings.
        let Some(email) = account.email() else {
            return;
        };
        let key = email.to_ascii_lowercase();
        let unique_id = account.unique_id.trim();
        if !unique_id.is_empty() {
            self.email_of_unique_id
                .entry(unique_id.to_string())
                .or_insert_with(|| key.clone());
        }
        let state = if account.disabled {
            AccountState::Disabled
        } else {
            AccountState::Enabled
        };
        if let Some(existing) = self.accounts.get_mut(&key) {
            let record = &mut existing.record;
            if !unique_id.is_empty() && !record.aliases.iter().any(|a| a == unique_id) {
                record.aliases.push(unique_id.to_string());
            }
            if record.display_name.is_none() {
                record.display_name = display_name(account);
            }
            if record.state != state {
                // The exports do not say which is newer: the conservative reading, the one that
                // leaves the account able to authenticate, wins (`sources::reconcile`).
                let (winner, warning) = reconcile::decide(
                    &[
                        reconcile::Observation {
                            state: record.state,
                            exported_at: None,
                            evidence: record.evidence.clone(),
                        },
                        reconcile::Observation {
                            state,
                            exported_at: None,
                            evidence: Evidence::new(&input.rel, "service account"),
                        },
                    ],
                    reconcile::account_rank,
                    |s| s.as_str(),
                    &format!("service account {email}"),
                );
                if winner == 1 {
                    record.state = state;
                }
                if let Some(warning) = warning {
                    self.common
                        .warnings_mut()
                        .push((existing.file.clone(), warning.clone()));
                    self.common.warn(warning);
                }
            }
            return;
        }
        let project = account.project().unwrap_or(UNKNOWN_PROJECT);
        let record = IdentityRecord::new(
            system(project),
            email.to_string(),
            IdentityKind::Service,
            state,
            evidence(
                input,
                format!(
                    "service account {email}{}",
                    if account.disabled { " (disabled)" } else { "" }
                ),
                line,
                email,
            ),
        )
        .aliases(if unique_id.is_empty() {
            Vec::new()
        } else {
            vec![unique_id.to_string()]
        })
        .display_name(display_name(account));
        self.accounts.insert(
            key,
            Account {
                record,
                file: input.rel.clone(),
            },
        );
    }

    /// The account a key name points at (by email or uniqueId), if the scan read it.
    pub(super) fn account(&self, name_account: &str) -> Option<&Account> {
        let key = if name_account.contains('@') {
            name_account.to_ascii_lowercase()
        } else {
            self.email_of_unique_id.get(name_account)?.clone()
        };
        self.accounts.get(&key)
    }

    /// A key whose file holds its `privateKeyData` (a `keys.create` response): the key file
    /// itself, a leak of the export. It is reported whatever the key's type or name: a key
    /// deprov does not read as a credential leaks all the same (LEAK001 then).
    fn expose_private_key(
        &mut self,
        input: &FileInput,
        key: &ServiceAccountKey,
        line: Option<u32>,
    ) {
        let Some(sha256) = key.private_key_data.live() else {
            return;
        };
        let name = parse_key_name(&key.name);
        let (carries, project, slot) = match &name {
            Some(name) => {
                let account = self.account(name.account);
                let holder = account
                    .map_or_else(|| name.account.to_string(), |a| a.record.native_id.clone());
                let project = match (name.project, account) {
                    (Some(project), _) => system(project),
                    (None, Some(account)) => account.record.system.clone(),
                    (None, None) => {
                        system(project_of_email(name.account).unwrap_or(UNKNOWN_PROJECT))
                    }
                };
                (
                    vec![name.key_id.to_string(), holder],
                    project,
                    name.key_id.to_string(),
                )
            }
            None => (
                Vec::new(),
                system(UNKNOWN_PROJECT),
                key.name.trim().to_string(),
            ),
        };
        let evidence = Evidence::new(
            &input.rel,
            format!("service-account key {slot} with its privateKeyData (the key file)"),
        );
        let evidence = match line {
            Some(line) => evidence.at_line(line),
            None => evidence.locate_by(slot.clone()),
        };
        self.common.expose(ExportSecret {
            system: project,
            detector: "export/gcp-service-account-key",
            description: "GCP service-account private key (privateKeyData)".into(),
            carries,
            slot,
            sha256: *sha256,
            evidence,
        });
    }

    fn add_key(
        &mut self,
        input: &FileInput,
        key: &ServiceAccountKey,
        asset_name: &str,
        line: Option<u32>,
    ) {
        // Google rotates its own keys and never hands them out; the file's warning counts them.
        if key.key_type == KeyType::SystemManaged {
            return;
        }
        // Unnamed keys were counted in the file's warnings.
        let Some(name) = parse_key_name(&key.name).or_else(|| parse_key_name(asset_name)) else {
            return;
        };
        let account = self.account(name.account);
        let holder =
            account.map_or_else(|| name.account.to_string(), |a| a.record.native_id.clone());
        let project = match (name.project, account) {
            (Some(project), _) => system(project),
            (None, Some(account)) => account.record.system.clone(),
            (None, None) => system(project_of_email(name.account).unwrap_or(UNKNOWN_PROJECT)),
        };
        let key_id = name.key_id.to_string();
        let what = format!("key {key_id}");
        let created = self
            .common
            .time(
                key.valid_after_time.as_deref(),
                &format!("{what}: validAfterTime"),
            )
            .at();
        let expires = match key.valid_before_time.as_deref() {
            None => {
                self.common
                    .warn(format!("{what}: no validBeforeTime; expiry unknown"));
                Expiry::NotApplicable
            }
            Some(text) => match self
                .common
                .time(Some(text), &format!("{what}: validBeforeTime"))
            {
                TimeField::At(at) => Expiry::At(at),
                TimeField::Never => Expiry::Never,
                TimeField::Absent => Expiry::NotApplicable,
            },
        };
        let status = if key.disabled {
            CredentialStatus::Inactive
        } else {
            CredentialStatus::Active
        };
        let existing = self
            .credential_index
            .get(&(project.clone(), key_id.clone()))
            .copied();
        let kind = match (key.key_type, key.key_origin) {
            (KeyType::Unspecified, _) => "key of unknown type",
            (_, KeyOrigin::UserProvided) => "uploaded user-managed key",
            _ => "user-managed key",
        };
        let mut detail = format!("{kind} of {holder}");
        if let Some(algorithm) = key.key_algorithm.as_deref().filter(|a| !a.is_empty()) {
            detail.push_str(&format!(", {algorithm}"));
        }
        if key.disabled {
            detail.push_str(", disabled");
        }
        if let Some(exposure) = key.exposure() {
            detail.push_str(&format!("; {exposure}"));
        }
        let record = {
            // The key listings carry no use; Policy Analyzer activity is a separate export.
            CredentialRecord::new(
                project.clone(),
                key_id.clone(),
                CredentialKind::ServiceAccountKey,
                holder,
                status,
                evidence(input, detail, line, &key_id),
            )
            .created(created)
            .last_rotated(created)
            .expires(expires)
        };
        match existing {
            // The same key in another export: weighed with the first (`sources::reconcile`).
            Some(existing) => reconcile::credential_into(
                &mut self.credentials[existing],
                record,
                self.common.warnings_mut(),
            ),
            None => {
                self.credential_index
                    .insert((project, key_id), self.credentials.len());
                self.credentials.push(record);
            }
        }
    }

    /// The system of a CAI policy: the project in its asset name or ancestors (a number mapped to
    /// its ID when the scan knows it), else the organization, folder or billing account.
    fn asset_system(&self, policy: &AssetPolicy) -> SystemRef {
        let path = policy
            .resource
            .trim_start_matches("//")
            .split_once('/')
            .map_or("", |(_, path)| path);
        let segments: Vec<&str> = path.split('/').collect();
        let project = segments
            .windows(2)
            .find_map(|pair| match pair {
                ["projects", project] if !project.is_empty() => Some(*project),
                _ => None,
            })
            .or_else(|| {
                policy
                    .ancestors
                    .iter()
                    .find_map(|a| a.strip_prefix("projects/"))
            });
        if let Some(project) = project {
            return system(
                self.project_ids
                    .get(project)
                    .map_or(project, String::as_str),
            );
        }
        let container = |path: &str| -> Option<String> {
            match path.split('/').collect::<Vec<_>>().as_slice() {
                [kind @ ("organizations" | "folders" | "billingAccounts"), id, ..]
                    if !id.is_empty() =>
                {
                    Some(format!("{kind}/{id}"))
                }
                _ => None,
            }
        };
        container(path)
            .or_else(|| policy.ancestors.iter().find_map(|a| container(a)))
            .map_or_else(|| system(UNKNOWN_PROJECT), |name| system(&name))
    }

    fn add_binding(
        &mut self,
        input: &FileInput,
        project: &SystemRef,
        resource: &str,
        binding: &Binding,
        line_of_member: impl Fn(usize) -> Option<u32>,
    ) {
        let role = binding.role.trim();
        if role.is_empty() {
            let identities = binding
                .members
                .iter()
                .filter(|m| Member::parse(m).is_identity())
                .count();
            if identities > 0 {
                self.common.warn(format!(
                    "a binding without role; its {identities} member(s) not read"
                ));
            }
            return;
        }
        let mut privilege = format!("role:{role} on {resource}");
        if let Some(condition) = &binding.condition {
            privilege.push_str(&format!(" (conditional: {})", condition.label()));
        }
        for (i, member) in binding.members.iter().enumerate() {
            let (holder, holder_kind, dangling, what) = match Member::parse(member) {
                Member::Principal {
                    kind,
                    email,
                    deleted_uid,
                } => {
                    let (holder_kind, label) = match kind {
                        PrincipalKind::ServiceAccount => (IdentityKind::Service, "service account"),
                        PrincipalKind::User => (IdentityKind::Human, "user"),
                        PrincipalKind::Group => (IdentityKind::Group, "group"),
                    };
                    let what = match deleted_uid {
                        Some("") => format!("deleted {label} {email}"),
                        Some(uid) => format!("deleted {label} {email} (uid {uid})"),
                        None => format!("{label} {email}"),
                    };
                    (email.to_string(), holder_kind, deleted_uid.is_some(), what)
                }
                Member::KubernetesServiceAccount {
                    pool,
                    namespace,
                    name,
                } => (
                    format!("system:serviceaccount:{namespace}:{name}"),
                    IdentityKind::Workload,
                    false,
                    format!("Kubernetes service account {namespace}/{name} of {pool}"),
                ),
                // Counted in the file's warnings.
                Member::NotAnIdentity(_) => continue,
            };
            let grant_key = (
                project.clone(),
                holder.to_ascii_lowercase(),
                privilege.clone(),
                dangling,
            );
            if !self.grant_keys.insert(grant_key) {
                continue;
            }
            self.grants.push(
                GrantRecord::new(
                    project.clone(),
                    holder,
                    privilege.clone(),
                    evidence(
                        input,
                        format!("binding {role}: {what}"),
                        line_of_member(i),
                        member,
                    ),
                )
                .holder_kind(holder_kind)
                .dangling(dangling),
            );
        }
    }

    fn finish(self) -> (Records, Assembly) {
        let records = Records {
            identities: self.accounts.into_values().map(|a| a.record).collect(),
            credentials: self.credentials,
            grants: self.grants,
            usages: self.usages,
            provisions: Vec::new(),
        };
        (records, self.common)
    }
}

fn display_name(account: &ServiceAccount) -> Option<String> {
    let name = account.display_name.trim();
    (!name.is_empty()).then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::super::{AssetExport, Located, LocatedBinding, PolicyFile};
    use super::*;

    /// The family's assembly on its own, with the warnings it gave.
    fn assemble(files: Vec<(FileInput, GcpFile)>) -> (Records, Vec<(String, String)>) {
        Assembly::alone(super::assemble, files)
    }
    use crate::inventory::LastUse;
    use crate::sources::gcp::model::{Condition, IamPolicy};

    fn input(rel: &str) -> FileInput {
        FileInput {
            path: rel.into(),
            rel: rel.into(),
            size: 0,
        }
    }

    fn account(email: &str, unique_id: &str, disabled: bool) -> ServiceAccount {
        ServiceAccount {
            name: format!("projects/p1/serviceAccounts/{email}"),
            project_id: "p1".into(),
            unique_id: unique_id.into(),
            email: email.into(),
            display_name: String::new(),
            disabled,
        }
    }

    fn key(name: &str, before: &str) -> ServiceAccountKey {
        ServiceAccountKey {
            name: name.into(),
            valid_after_time: Some("2025-11-02T10:00:00Z".into()),
            valid_before_time: Some(before.into()),
            key_type: KeyType::UserManaged,
            ..ServiceAccountKey::default()
        }
    }

    #[test]
    fn keys_share_their_account_system_and_read_sentinels() {
        let files = vec![
            (
                input("sa.json"),
                GcpFile::ServiceAccounts {
                    accounts: vec![account("ci@p1.iam.gserviceaccount.com", "111", true)],
                    warnings: Vec::new(),
                },
            ),
            (
                input("keys.json"),
                GcpFile::ServiceAccountKeys {
                    private_key_line: None,
                    keys: vec![
                        key(
                            "projects/-/serviceAccounts/111/keys/aaa",
                            "9999-12-31T23:59:59Z",
                        ),
                        key(
                            "projects/p1/serviceAccounts/ci@p1.iam.gserviceaccount.com/keys/bbb",
                            "2026-12-14T00:00:00Z",
                        ),
                        ServiceAccountKey {
                            key_type: KeyType::SystemManaged,
                            ..key(
                                "projects/p1/serviceAccounts/ci@p1.iam.gserviceaccount.com/keys/ccc",
                                "2026-12-01T00:00:00Z",
                            )
                        },
                    ],
                    warnings: Vec::new(),
                },
            ),
        ];
        let (records, warnings) = assemble(files);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(records.identities.len(), 1);
        assert_eq!(records.identities[0].state, AccountState::Disabled);
        assert_eq!(records.identities[0].aliases, vec!["111".to_string()]);
        let ids: Vec<&str> = records.credentials.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(ids, vec!["aaa", "bbb"]);
        let never = &records.credentials[0];
        // The uniqueId in the name resolves to the account's email and system.
        assert_eq!(never.holder, "ci@p1.iam.gserviceaccount.com");
        assert_eq!(never.system, records.identities[0].system);
        assert_eq!(never.expires, Expiry::Never);
        assert_eq!(never.last_used, LastUse::Unknown);
        assert_eq!(never.last_rotated, never.created);
        assert!(matches!(records.credentials[1].expires, Expiry::At(_)));
    }

    #[test]
    fn deleted_members_dangle_and_others_keep_their_kind() {
        let binding = Binding {
            role: "roles/bigquery.dataEditor".into(),
            members: vec![
                "serviceAccount:etl@p1.iam.gserviceaccount.com".into(),
                "deleted:serviceAccount:old@p1.iam.gserviceaccount.com?uid=109876".into(),
                "group:data@example.com".into(),
                "user:carol@example.com".into(),
                "serviceAccount:p1.svc.id.goog[ci/runner]".into(),
                "domain:example.com".into(),
                "user:carol@example.com".into(),
            ],
            condition: Some(Condition {
                title: Some("until 2027".into()),
                expression: None,
            }),
        };
        let files = vec![(
            input("policy.json"),
            GcpFile::IamPolicy {
                policy: PolicyFile {
                    project: Some("p1".into()),
                    bindings: vec![LocatedBinding {
                        binding,
                        member_lines: vec![Some(4), Some(5)],
                    }],
                },
                warnings: Vec::new(),
            },
        )];
        let (records, _) = assemble(files);
        let grants: Vec<(&str, IdentityKind, bool, Option<u32>)> = records
            .grants
            .iter()
            .map(|g| {
                (
                    g.holder.as_str(),
                    g.holder_kind,
                    g.dangling,
                    g.evidence.line,
                )
            })
            .collect();
        assert_eq!(
            grants,
            vec![
                (
                    "etl@p1.iam.gserviceaccount.com",
                    IdentityKind::Service,
                    false,
                    Some(4)
                ),
                (
                    "old@p1.iam.gserviceaccount.com",
                    IdentityKind::Service,
                    true,
                    Some(5)
                ),
                ("data@example.com", IdentityKind::Group, false, None),
                ("carol@example.com", IdentityKind::Human, false, None),
                (
                    "system:serviceaccount:ci:runner",
                    IdentityKind::Workload,
                    false,
                    None
                ),
            ]
        );
        assert_eq!(
            records.grants[0].privilege,
            "role:roles/bigquery.dataEditor on project (conditional: until 2027)"
        );
        assert!(records.grants[1].evidence.detail.contains("uid 109876"));
        assert_eq!(
            records.grants[2].evidence.locate.as_deref(),
            Some("group:data@example.com")
        );
    }

    #[test]
    fn asset_policies_are_placed_in_their_project_by_id() {
        let policy = |resource: &str, ancestors: &[&str]| AssetPolicy {
            resource: resource.into(),
            ancestors: ancestors.iter().map(|a| a.to_string()).collect(),
            policy: IamPolicy {
                bindings: vec![Binding {
                    role: "roles/editor".into(),
                    members: vec!["serviceAccount:s@p1.iam.gserviceaccount.com".into()],
                    condition: None,
                }],
            },
            line: 3,
        };
        let export = AssetExport {
            accounts: vec![Located {
                item: account("s@p1.iam.gserviceaccount.com", "1", false),
                line: Some(1),
            }],
            keys: Vec::new(),
            policies: vec![
                policy("//cloudresourcemanager.googleapis.com/projects/1041", &[]),
                policy(
                    "//storage.googleapis.com/bucket",
                    &["projects/1041", "organizations/9"],
                ),
                policy(
                    "//cloudresourcemanager.googleapis.com/folders/7",
                    &["folders/7", "organizations/9"],
                ),
                policy("//storage.googleapis.com/orphan", &[]),
            ],
            project_ids: vec![("1041".into(), "p1".into())],
        };
        let (records, warnings) = assemble(vec![(
            input("cai.jsonl"),
            GcpFile::AssetInventory {
                export,
                warnings: Vec::new(),
            },
        )]);
        let systems: Vec<&str> = records
            .grants
            .iter()
            .map(|g| g.system.name.as_ref())
            .collect();
        assert_eq!(systems, vec!["p1", "p1", "folders/7", UNKNOWN_PROJECT]);
        assert_eq!(
            records.grants[1].privilege,
            "role:roles/editor on //storage.googleapis.com/bucket"
        );
        assert_eq!(records.grants[0].evidence.line, Some(3));
        assert_eq!(records.identities[0].evidence.line, Some(1));
        assert_eq!(warnings.len(), 1, "{warnings:?}");
    }

    #[test]
    fn conflicting_exports_are_reported_not_dropped() {
        let files = vec![
            (
                input("a.json"),
                GcpFile::ServiceAccounts {
                    accounts: vec![account("x@p1.iam.gserviceaccount.com", "1", false)],
                    warnings: Vec::new(),
                },
            ),
            (
                input("b.json"),
                GcpFile::ServiceAccounts {
                    accounts: vec![account("X@p1.iam.gserviceaccount.com", "1", true)],
                    warnings: Vec::new(),
                },
            ),
        ];
        let (records, warnings) = assemble(files);
        assert_eq!(records.identities.len(), 1);
        // Neither export says when it was made: the reading that leaves the account able to
        // authenticate wins, and both files carry the warning.
        assert_eq!(records.identities[0].state, AccountState::Enabled);
        let files: Vec<&str> = warnings.iter().map(|(path, _)| path.as_str()).collect();
        assert_eq!(files, ["a.json", "b.json"]);
        assert!(
            warnings[0]
                .1
                .contains("enabled in a.json, disabled in b.json: read as enabled"),
            "{warnings:?}"
        );
    }
}
