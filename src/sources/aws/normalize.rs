//! AWS files → inventory records. The credential report knows key slots but not key IDs;
//! `list-access-keys` knows IDs but not use; `get-access-key-last-used` knows use but not the ID.
//! They are joined here by user and creation time.

use crate::sources::Assembly;
use rayon::slice::ParallelSliceMut;

use super::model::{
    AttachedPolicy, CredentialReportRow, InlinePolicy, RoleDetail, Tag, UserDetail,
};
use super::{AwsFile, ReportRow};
use crate::discover::FileInput;
use crate::inventory::{
    AccountState, CredentialKind, CredentialRecord, CredentialStatus, Evidence, GrantRecord, IdMap,
    IdentityKind, IdentityRecord, LastUse, Records, SourceFamily, SystemRef, UsageRecord,
};
use crate::sources::leak::ExportSecret;
use crate::sources::reconcile::{self, Observation};
use crate::time::TimeField;
use jiff::Timestamp;

/// Two records of one key (report slot, key listing) are the same key when their creation
/// times are this close: the report's `last_rotated` is the key's `CreateDate`, to the second.
const SAME_KEY_TOLERANCE_SECONDS: i64 = 120;

/// The account of an IAM ARN (`arn:PARTITION:iam::ACCOUNT:…`).
pub(super) fn account_of(arn: &str) -> Option<&str> {
    let mut parts = arn.splitn(6, ':');
    (parts.next()? == "arn").then_some(())?;
    let account = parts.nth(3)?;
    (!account.is_empty()).then_some(account)
}

fn system_of(arn: &str) -> SystemRef {
    SystemRef::new(
        SourceFamily::Aws,
        account_of(arn).unwrap_or("unknown-account"),
    )
}

fn flag(text: &str) -> Option<bool> {
    match text.trim().to_ascii_lowercase().as_str() {
        "true" => Some(true),
        "false" => Some(false),
        _ => None,
    }
}

fn owner_tag(tags: &[Tag]) -> Option<String> {
    tags.iter()
        .find(|t| t.key.eq_ignore_ascii_case("owner"))
        .map(|t| t.value.trim().to_string())
        .filter(|v| !v.is_empty())
}

#[derive(Debug)]
struct Account {
    record: IdentityRecord,
    password_enabled: bool,
}

/// What the join knows of a key beside its record. Records are kept apart, in the order they
/// were met, so that they become the family's credentials without a copy (at 3,000,000 keys in
/// one account a copy is most of a gigabyte).
#[derive(Debug)]
struct KeyJoin {
    /// The real access key ID is known (not a report slot placeholder).
    id_known: bool,
    /// When the export that first named the key was made. That export's word is the record's
    /// own status and evidence, which change only with it (a listing naming a report slot
    /// renames both), so it is not copied.
    first_exported_at: Option<Timestamp>,
    /// Every later export's word on the key's status; decided with the first once all are
    /// read (`sources::reconcile`), so that the order of files does not matter. Empty for most
    /// keys.
    later: Vec<Observation<CredentialStatus>>,
}

impl KeyJoin {
    /// Another export's word on this key.
    fn also_said(
        &mut self,
        status: CredentialStatus,
        exported_at: Option<Timestamp>,
        evidence: Evidence,
    ) {
        if self.later.is_empty() {
            // Most keys are named by two exports: room for one more word, not the four a
            // first push reserves.
            self.later.reserve_exact(1);
        }
        self.later.push(Observation {
            state: status,
            exported_at,
            evidence,
        });
    }
}

#[derive(Default)]
struct AwsJoin {
    /// By ARN; hashed while assembling (a B-tree of 300,000 ARNs that share their first 30
    /// bytes is slow to search) and sorted by ARN once at the end.
    accounts: IdMap<String, Account>,
    /// User name → ARNs (several when the scan spans accounts).
    users_by_name: IdMap<String, Vec<String>>,
    keys: Vec<CredentialRecord>,
    /// Beside `keys`, index for index.
    key_join: Vec<KeyJoin>,
    /// Indexes into `keys`: by real access key ID, by credential report slot (`ARN#access_key_1`),
    /// by holder ARN, by user name.
    key_by_id: IdMap<String, usize>,
    key_by_slot: IdMap<String, usize>,
    /// Report passwords and signing certificates, by ID (two reports of one account hold the
    /// same ones).
    other_by_id: IdMap<String, usize>,
    /// When the credential report being read was generated, if it says.
    report_time: Option<Timestamp>,
    keys_of_holder: IdMap<String, Vec<usize>>,
    keys_of_user: IdMap<String, Vec<usize>>,
    other_credentials: Vec<CredentialRecord>,
    grants: Vec<GrantRecord>,
    usages: Vec<UsageRecord>,
    common: Assembly,
}

/// Joins every AWS file of the scan into records, with warnings per file.
pub fn assemble(mut files: Vec<(FileInput, AwsFile)>, common: &mut Assembly) -> Records {
    let mut a = AwsJoin {
        common: std::mem::take(common),
        ..AwsJoin::default()
    };
    // Each pass lets go of the files it has read (an empty list in their place), so that the
    // parsed exports of a large account are not held beside all of the records made from them.
    let spent = || AwsFile::Users(Vec::new());
    // Identities first, so that files naming users only by name can be joined to ARNs.
    for (input, file) in &mut files {
        a.common.reading(input);
        match &*file {
            AwsFile::AuthorizationDetails(details) => {
                for user in &details.user_detail_list {
                    a.add_user(input, user);
                }
                for role in &details.role_detail_list {
                    a.add_role(input, role);
                }
            }
            AwsFile::Users(users) => users.iter().for_each(|u| a.add_user(input, u)),
            AwsFile::Roles(roles) => roles.iter().for_each(|r| a.add_role(input, r)),
            AwsFile::CredentialReport {
                rows, generated, ..
            } => {
                a.report_time = *generated;
                rows.iter().for_each(|r| a.add_report_row(input, r));
                a.report_time = None;
            }
            AwsFile::AccessKeys(_)
            | AwsFile::CreatedKey { .. }
            | AwsFile::AccessKeyLastUsed { .. }
            | AwsFile::AccessAnalyzer { .. } => continue,
        }
        *file = spent();
    }
    for (input, file) in &mut files {
        a.common.reading(input);
        match &*file {
            AwsFile::AccessKeys(list) => {
                for key in &list.access_key_metadata {
                    a.add_listed_key(input, key);
                }
            }
            AwsFile::CreatedKey { key, line } => {
                a.add_listed_key(input, &key.metadata());
                a.expose_created_key(input, key, *line);
            }
            _ => continue,
        }
        *file = spent();
    }
    for (input, file) in &mut files {
        a.common.reading(input);
        if let AwsFile::AccessKeyLastUsed { output, key_id } = &*file {
            a.add_last_used(input, output, key_id.as_deref());
            *file = spent();
        }
    }
    // The platform's own verdicts: joined to the records above after correlation.
    let detailed = super::analyzer::detailed_ids(files.iter().flat_map(|(_, file)| match file {
        AwsFile::AccessAnalyzer { findings, .. } => findings.as_slice(),
        _ => &[],
    }));
    for (input, file) in &files {
        a.common.reading(input);
        if let AwsFile::AccessAnalyzer { findings, .. } = file {
            super::analyzer::read(input, findings, &detailed, &mut a.common, &mut a.usages);
        }
    }
    let (records, finished) = a.finish();
    *common = finished;
    records
}

impl AwsJoin {
    /// A key met for the first time; `user_name` is how files that name users only by name
    /// find it.
    fn push_key(
        &mut self,
        record: CredentialRecord,
        user_name: String,
        id_known: bool,
        exported_at: Option<Timestamp>,
    ) {
        let idx = self.keys.len();
        if id_known {
            self.key_by_id.insert(record.id.clone(), idx);
        } else {
            self.key_by_slot.insert(record.id.clone(), idx);
        }
        self.keys_of_holder
            .entry(record.holder.clone())
            .or_default()
            .push(idx);
        self.keys_of_user.entry(user_name).or_default().push(idx);
        self.keys.push(record);
        self.key_join.push(KeyJoin {
            id_known,
            first_exported_at: exported_at,
            later: Vec::new(),
        });
    }

    /// A report password or signing certificate; the same one from a second report is weighed
    /// with the first (`sources::reconcile`).
    fn push_other(&mut self, record: CredentialRecord) {
        match self.other_by_id.get(&record.id) {
            Some(&existing) => reconcile::credential_into(
                &mut self.other_credentials[existing],
                record,
                self.common.warnings_mut(),
            ),
            None => {
                self.other_by_id
                    .insert(record.id.clone(), self.other_credentials.len());
                self.other_credentials.push(record);
            }
        }
    }

    fn account(&mut self, arn: &str, make: impl FnOnce() -> IdentityRecord) -> &mut Account {
        if !self.accounts.contains_key(arn) {
            if let Some((_, path)) = arn.rsplit_once(":user/") {
                let name = path.rsplit('/').next().unwrap_or(path).to_string();
                self.users_by_name
                    .entry(name)
                    .or_default()
                    .push(arn.to_string());
            }
        }
        self.accounts
            .entry(arn.to_string())
            .or_insert_with(|| Account {
                record: make(),
                password_enabled: false,
            })
    }

    fn add_user(&mut self, input: &FileInput, user: &UserDetail) {
        if user.arn.is_empty() {
            self.common
                .warn(format!("user {} without Arn; skipped", user.user_name));
            return;
        }
        let created = self
            .common
            .time(user.create_date.as_deref(), "CreateDate")
            .at();
        let evidence =
            Evidence::new(&input.rel, format!("IAM user {}", user.user_name)).locate_by(&user.arn);
        let account = self.account(&user.arn, || {
            IdentityRecord::new(
                system_of(&user.arn),
                user.arn.clone(),
                IdentityKind::Unknown,
                AccountState::Enabled,
                evidence,
            )
            .display_name(Some(user.user_name.clone()))
            .created(created)
        });
        if let Some(id) = user.user_id.as_ref().filter(|id| id.starts_with("AIDA")) {
            if !account.record.aliases.contains(id) {
                account.record.aliases.push(id.clone());
            }
        }
        account.record.created = account.record.created.or(created);
        account.record.owner = account
            .record
            .owner
            .take()
            .or_else(|| owner_tag(&user.tags));

        let holder = user.arn.clone();
        let system = system_of(&holder);
        for policy in user.attached_managed_policies.items() {
            self.grants
                .push(managed_grant(input, &holder, &system, policy));
        }
        for policy in &user.user_policy_list {
            self.grants
                .push(inline_grant(input, &holder, &system, policy));
        }
        for group in &user.group_list {
            self.grants.push(GrantRecord::new(
                system.clone(),
                holder.clone(),
                format!("group:{group}"),
                Evidence::new(&input.rel, format!("member of group {group}")).locate_by(&user.arn),
            ));
        }
        if let Some(at) = self
            .common
            .time(user.password_last_used.as_deref(), "PasswordLastUsed")
            .at()
        {
            self.usages.push(
                UsageRecord::new(
                    system,
                    holder.clone(),
                    at,
                    Evidence::new(&input.rel, "PasswordLastUsed").locate_by(&user.arn),
                )
                .credential(Some(format!("{holder}#password"))),
            );
        }
    }

    fn add_role(&mut self, input: &FileInput, role: &RoleDetail) {
        // AWS creates and retires service-linked roles itself; nobody registers them.
        if role.arn.is_empty()
            || role
                .path
                .as_deref()
                .is_some_and(|p| p.starts_with("/aws-service-role/"))
        {
            return;
        }
        let created = self
            .common
            .time(role.create_date.as_deref(), "CreateDate")
            .at();
        let evidence =
            Evidence::new(&input.rel, format!("IAM role {}", role.role_name)).locate_by(&role.arn);
        let account = self.account(&role.arn, || {
            IdentityRecord::new(
                system_of(&role.arn),
                role.arn.clone(),
                IdentityKind::Service,
                AccountState::Enabled,
                evidence,
            )
            .display_name(Some(role.role_name.clone()))
            .created(created)
        });
        if let Some(id) = role.role_id.as_ref().filter(|id| id.starts_with("AROA")) {
            if !account.record.aliases.contains(id) {
                account.record.aliases.push(id.clone());
            }
        }
        account.record.owner = account
            .record
            .owner
            .take()
            .or_else(|| owner_tag(&role.tags));

        let system = system_of(&role.arn);
        for policy in role.attached_managed_policies.items() {
            self.grants
                .push(managed_grant(input, &role.arn, &system, policy));
        }
        for policy in &role.role_policy_list {
            self.grants
                .push(inline_grant(input, &role.arn, &system, policy));
        }
        if let Some(last_used) = &role.role_last_used {
            if let Some(at) = self
                .common
                .time(last_used.last_used_date.as_deref(), "RoleLastUsed")
                .at()
            {
                self.usages.push(UsageRecord::new(
                    system,
                    role.arn.clone(),
                    at,
                    Evidence::new(&input.rel, format!("RoleLastUsed of {}", role.role_name))
                        .locate_by(&role.arn),
                ));
            }
        }
    }

    fn add_report_row(&mut self, input: &FileInput, report_row: &ReportRow) {
        let row = &report_row.row;
        let line = report_row.line;
        if row.arn.is_empty() {
            self.common
                .warn(format!("line {line}: row without arn; skipped"));
            return;
        }
        let is_root = row.user == "<root_account>" || row.arn.ends_with(":root");
        let what = |field: &str| format!("line {line}: {field}");
        let created = self
            .common
            .time(Some(&row.user_creation_time), &what("user_creation_time"))
            .at();
        let evidence = Evidence::new(&input.rel, format!("credential report row of {}", row.user))
            .at_line(line);
        let account = self.account(&row.arn, || {
            IdentityRecord::new(
                system_of(&row.arn),
                row.arn.clone(),
                if is_root {
                    IdentityKind::Root
                } else {
                    IdentityKind::Unknown
                },
                AccountState::Enabled,
                evidence.clone(),
            )
            .display_name(Some(row.user.clone()))
            .created(created)
        });
        account.record.created = account.record.created.or(created);
        if is_root {
            account.record.kind = IdentityKind::Root;
        }
        // The report row gives a line; prefer it as the identity's evidence.
        account.record.evidence = evidence;
        let password_enabled = flag(&row.password_enabled) == Some(true);
        account.password_enabled |= password_enabled;

        let system = system_of(&row.arn);
        for slot in [1u8, 2] {
            self.add_report_key(input, row, line, slot, &system, is_root);
        }
        if password_enabled {
            let last_used = match self
                .common
                .time(Some(&row.password_last_used), &what("password_last_used"))
            {
                TimeField::At(at) => LastUse::At(at),
                // `no_information`: never used, or not since tracking began.
                _ if row.password_last_used.trim() == "no_information" => LastUse::Never,
                _ => LastUse::Unknown,
            };
            let changed = self
                .common
                .time(
                    Some(&row.password_last_changed),
                    &what("password_last_changed"),
                )
                .at();
            self.push_other(
                CredentialRecord::new(
                    system.clone(),
                    format!("{}#password", row.arn),
                    CredentialKind::Password,
                    row.arn.clone(),
                    CredentialStatus::Active,
                    Evidence::new(&input.rel, format!("console password of {}", row.user))
                        .at_line(line),
                )
                .created(changed.or(created))
                .last_used(last_used)
                .privileged(is_root),
            );
        }
        for (slot, active, rotated) in [
            (1, &row.cert_1_active, &row.cert_1_last_rotated),
            (2, &row.cert_2_active, &row.cert_2_last_rotated),
        ] {
            let rotated = self
                .common
                .time(Some(rotated), &what("cert_last_rotated"))
                .at();
            let status = match (flag(active), rotated) {
                (Some(true), _) => CredentialStatus::Active,
                (Some(false), Some(_)) => CredentialStatus::Inactive,
                _ => continue,
            };
            self.push_other(
                CredentialRecord::new(
                    system.clone(),
                    format!("{}#cert_{slot}", row.arn),
                    CredentialKind::SigningCertificate,
                    row.arn.clone(),
                    status,
                    Evidence::new(
                        &input.rel,
                        format!("signing certificate {slot} of {}", row.user),
                    )
                    .at_line(line),
                )
                .created(rotated)
                .last_rotated(rotated)
                .privileged(is_root),
            );
        }
    }

    fn add_report_key(
        &mut self,
        input: &FileInput,
        row: &CredentialReportRow,
        line: u32,
        slot: u8,
        system: &SystemRef,
        is_root: bool,
    ) {
        let (active, rotated, used) = if slot == 1 {
            (
                &row.access_key_1_active,
                &row.access_key_1_last_rotated,
                &row.access_key_1_last_used_date,
            )
        } else {
            (
                &row.access_key_2_active,
                &row.access_key_2_last_rotated,
                &row.access_key_2_last_used_date,
            )
        };
        let what = format!("line {line}: access_key_{slot}");
        let rotated = self
            .common
            .time(Some(rotated), &format!("{what}_last_rotated"))
            .at();
        let status = match (flag(active), rotated) {
            (Some(true), _) => CredentialStatus::Active,
            (Some(false), Some(_)) => CredentialStatus::Inactive,
            _ => return,
        };
        // A key that exists and has `N/A` as last-used date was never used (or not since
        // 2015-04-22); a report without the column says nothing.
        let last_used = if used.is_empty() {
            LastUse::Unknown
        } else {
            match self
                .common
                .time(Some(used), &format!("{what}_last_used_date"))
            {
                TimeField::At(at) => LastUse::At(at),
                _ => LastUse::Never,
            }
        };
        let id = format!("{}#access_key_{slot}", row.arn);
        let evidence = Evidence::new(
            &input.rel,
            format!("credential report row of {}, access key {slot}", row.user),
        )
        .at_line(line);
        if let Some(&existing) = self.key_by_slot.get(&id) {
            // The same account in a second credential report.
            let report_time = self.report_time;
            self.key_join[existing].also_said(status, report_time, evidence);
            let key = &mut self.keys[existing];
            key.last_used = reconcile::later_use(key.last_used, last_used);
            return;
        }
        let report_time = self.report_time;
        self.push_key(
            CredentialRecord::new(
                system.clone(),
                id,
                CredentialKind::AccessKey,
                row.arn.clone(),
                status,
                evidence,
            )
            .created(rotated)
            .last_used(last_used)
            .last_rotated(rotated)
            .privileged(is_root),
            row.user.clone(),
            false,
            report_time,
        );
    }

    /// The secret of a `create-access-key` response, when the file still holds it: a leak of
    /// the file, attributed to the key (which the same response made a credential) and its user.
    fn expose_created_key(
        &mut self,
        input: &FileInput,
        created: &super::model::CreatedAccessKey,
        line: Option<u32>,
    ) {
        let Some(sha256) = created.secret_access_key.live() else {
            return;
        };
        let user_name = created.user_name.clone().unwrap_or_default();
        let key_id = created.access_key_id.trim();
        let key = self.key_by_id.get(key_id).map(|&k| &self.keys[k]);
        let holder = key.map_or_else(
            || {
                self.arn_of_user(&user_name)
                    .unwrap_or_else(|| format!("user/{user_name}"))
            },
            |key| key.holder.clone(),
        );
        let system = key.map_or_else(|| system_of(&holder), |key| key.system.clone());
        let carries: Vec<String> = [key_id.to_string(), holder.clone()]
            .into_iter()
            .filter(|id| !id.is_empty())
            .collect();
        self.common.expose(ExportSecret {
            system,
            detector: "export/aws-secret-access-key",
            description: "AWS secret access key (a create-access-key response)".into(),
            slot: if key_id.is_empty() {
                holder
            } else {
                key_id.to_string()
            },
            carries,
            sha256: *sha256,
            evidence: Evidence::new(
                &input.rel,
                format!(
                    "create-access-key response for {user_name} still holding its SecretAccessKey"
                ),
            )
            .at(line),
        });
    }

    /// The ARN of a user known only by name, when exactly one account has that user.
    fn arn_of_user(&self, name: &str) -> Option<String> {
        match self.users_by_name.get(name).map(Vec::as_slice) {
            Some([one]) => Some(one.clone()),
            _ => None,
        }
    }

    fn add_listed_key(&mut self, input: &FileInput, key: &super::model::AccessKeyMetadata) {
        if key.access_key_id.is_empty() {
            return;
        }
        let user_name = key.user_name.clone().unwrap_or_default();
        let created = self
            .common
            .time(key.create_date.as_deref(), "CreateDate")
            .at();
        let status = if key.status.eq_ignore_ascii_case("active") {
            CredentialStatus::Active
        } else {
            CredentialStatus::Inactive
        };
        let holder = self.arn_of_user(&user_name);
        let evidence = Evidence::new(&input.rel, format!("access key of {user_name}"))
            .locate_by(&key.access_key_id);
        if let Some(&existing) = self.key_by_id.get(&key.access_key_id) {
            // The key again, in another listing: its word is weighed with the others'.
            self.key_join[existing].also_said(status, None, evidence);
            return;
        }
        if let Some(holder) = &holder {
            let (keys, key_join) = (&self.keys, &self.key_join);
            let slot = self
                .keys_of_holder
                .get(holder)
                .into_iter()
                .flatten()
                .copied()
                .filter(|&k| !key_join[k].id_known)
                .filter_map(|k| {
                    let gap = (keys[k].created?.as_second() - created?.as_second()).abs();
                    (gap <= SAME_KEY_TOLERANCE_SECONDS).then_some((gap, k))
                })
                .min_by_key(|(gap, _)| *gap)
                .map(|(_, k)| k);
            if let Some(slot_idx) = slot {
                self.key_by_id.insert(key.access_key_id.clone(), slot_idx);
                let slot = &mut self.keys[slot_idx];
                slot.id = key.access_key_id.clone();
                slot.evidence.detail = format!("{} ({})", slot.evidence.detail, key.access_key_id);
                let join = &mut self.key_join[slot_idx];
                join.also_said(status, None, evidence);
                join.id_known = true;
                return;
            }
        }
        let holder = holder.unwrap_or_else(|| format!("user/{user_name}"));
        self.push_key(
            CredentialRecord::new(
                system_of(&holder),
                key.access_key_id.clone(),
                CredentialKind::AccessKey,
                holder,
                status,
                evidence,
            )
            .created(created)
            .last_rotated(created),
            user_name,
            true,
            None,
        );
    }

    fn add_last_used(
        &mut self,
        input: &FileInput,
        output: &super::model::AccessKeyLastUsedOutput,
        key_id: Option<&str>,
    ) {
        let user_name = output.user_name.clone().unwrap_or_default();
        let last_used = match self.common.time(
            output.access_key_last_used.last_used_date.as_deref(),
            "LastUsedDate",
        ) {
            TimeField::At(at) => LastUse::At(at),
            _ => LastUse::Never,
        };
        let target = match key_id {
            Some(id) => self.key_by_id.get(id).copied(),
            None => {
                let candidates: Vec<usize> = self
                    .keys_of_user
                    .get(&user_name)
                    .cloned()
                    .unwrap_or_default();
                match candidates.as_slice() {
                    [one] => Some(*one),
                    _ => {
                        self.common.warn(format!(
                            "last use of an unnamed key of {user_name}, who has {} keys; not joined",
                            candidates.len()
                        ));
                        None
                    }
                }
            }
        };
        match target {
            // A use is a fact whichever file holds it: the latest counts.
            Some(i) => {
                let record = &mut self.keys[i];
                record.last_used = reconcile::later_use(record.last_used, last_used);
            }
            None => {
                if let (Some(id), LastUse::At(at)) = (key_id, last_used) {
                    let identity = self
                        .arn_of_user(&user_name)
                        .unwrap_or_else(|| format!("user/{user_name}"));
                    self.usages.push(
                        UsageRecord::new(
                            system_of(&identity),
                            identity,
                            at,
                            Evidence::new(&input.rel, format!("last use of access key {id}")),
                        )
                        .credential(Some(id.to_string())),
                    );
                }
            }
        }
    }

    fn finish(mut self) -> (Records, Assembly) {
        let mut records = Records::default();
        let active_key_holders: crate::inventory::IdSet<&str> = self
            .keys
            .iter()
            .filter(|k| k.status == CredentialStatus::Active)
            .map(|k| k.holder.as_str())
            .collect();
        let mut accounts: Vec<(String, Account)> =
            std::mem::take(&mut self.accounts).into_iter().collect();
        accounts.par_sort_unstable_by(|a, b| a.0.cmp(&b.0));
        for (arn, mut account) in accounts {
            // Console-only users (a password, no active key) are people, not workloads.
            if account.record.kind == IdentityKind::Unknown
                && account.password_enabled
                && !active_key_holders.contains(arn.as_str())
            {
                account.record.kind = IdentityKind::Human;
            }
            records.identities.push(account.record);
        }
        for (key, join) in self.keys.iter_mut().zip(&mut self.key_join) {
            if join.later.is_empty() {
                continue;
            }
            let first = Observation {
                state: key.status,
                exported_at: join.first_exported_at,
                evidence: key.evidence.clone(),
            };
            let mut said = Vec::with_capacity(1 + join.later.len());
            said.push(first);
            said.append(&mut join.later);
            let subject = format!("access key {}", key.id);
            let (winner, warning) =
                reconcile::decide(&said, reconcile::credential_rank, |s| s.as_str(), &subject);
            let decided = &said[winner];
            key.status = decided.state;
            if winner > 0 {
                key.evidence = decided.evidence.clone();
            }
            if let Some(warning) = warning {
                let mut paths: Vec<&str> = said.iter().map(|o| o.evidence.path.as_ref()).collect();
                paths.sort_unstable();
                paths.dedup();
                for path in paths {
                    self.common
                        .warnings_mut()
                        .push((path.to_string(), warning.clone()));
                }
            }
        }
        drop(self.key_join);
        // The keys first, then the report's passwords and certificates, as they were met.
        records.credentials = self.keys;
        records.credentials.extend(self.other_credentials);
        records.grants = self.grants;
        records.usages = self.usages;
        (records, self.common)
    }
}

fn managed_grant(
    input: &FileInput,
    holder: &str,
    system: &SystemRef,
    policy: &AttachedPolicy,
) -> GrantRecord {
    GrantRecord::new(
        system.clone(),
        holder.to_string(),
        format!("policy:{}", policy.policy_arn),
        Evidence::new(
            &input.rel,
            format!(
                "attached policy {}",
                policy.policy_name.as_deref().unwrap_or(&policy.policy_arn)
            ),
        )
        .locate_by(holder),
    )
}

fn inline_grant(
    input: &FileInput,
    holder: &str,
    system: &SystemRef,
    policy: &InlinePolicy,
) -> GrantRecord {
    GrantRecord::new(
        system.clone(),
        holder.to_string(),
        format!("inline-policy:{}", policy.policy_name),
        Evidence::new(&input.rel, format!("inline policy {}", policy.policy_name))
            .locate_by(holder),
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn accounts_come_from_arns() {
        assert_eq!(
            account_of("arn:aws:iam::111122223333:user/ci"),
            Some("111122223333")
        );
        assert_eq!(
            account_of("arn:aws-cn:iam::111122223333:root"),
            Some("111122223333")
        );
        assert_eq!(account_of("user/ci"), None);
    }
}
