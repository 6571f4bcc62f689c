//! Entra files → inventory records. Applications and service principals are joined by appId (the
//! pair shares its worst account state); credentials are read from both; the sign-in reports
//! become uses of an appId or of one credential (`keyId`). The decisions are in `mod.rs`.

use crate::sources::leak::ExportSecret;
use crate::sources::Assembly;
use std::collections::{BTreeMap, BTreeSet, HashMap};

use super::model::{
    AppCredentialSignInActivity, Application, DirectoryObject, KeyCredential, PasswordCredential,
    ServicePrincipal, ServicePrincipalSignInActivity, ServicePrincipalType,
};
use super::AzureFile;
use crate::discover::FileInput;
use crate::inventory::alias::is_guid;
use crate::inventory::{
    AccountState, CredentialKind, CredentialRecord, CredentialStatus, EntraObject, Evidence,
    Expiry, IdentityKind, IdentityRecord, LastUse, Locator, Records, SourceFamily, SystemRef,
    UsageRecord,
};
use crate::sources::reconcile;
use crate::time::{format_rfc3339, parse_field, TimeField};

/// The tenants that own Microsoft's first-party applications ("Microsoft Services" and
/// "Microsoft"): their service principals exist in every tenant and are Microsoft's to manage.
const MICROSOFT_TENANTS: [&str; 2] = [
    "f8cdef31-a31e-4b4a-93e4-5f571e91255a",
    "72f988bf-86f1-41af-91ab-2d7cd011db47",
];

/// The one system every Entra record belongs to: the exports do not name their tenant.
fn entra() -> SystemRef {
    SystemRef::new(SourceFamily::Azure, "entra")
}

/// GUIDs compare case-insensitively; records carry them lowercased so that credential IDs meet
/// the report's `keyId` exactly.
fn guid_text(text: &str) -> String {
    let trimmed = text.trim();
    if is_guid(trimmed) {
        trimmed.to_ascii_lowercase()
    } else {
        trimmed.to_string()
    }
}

/// Which directory object an account record comes from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum ObjectKind {
    Application,
    ServicePrincipal,
}

impl ObjectKind {
    /// The locator of a record on this object (a runbook removes credentials of an application
    /// and of a service principal with different commands).
    fn locator(self) -> Locator {
        Locator::Entra(match self {
            ObjectKind::Application => EntraObject::Application,
            ObjectKind::ServicePrincipal => EntraObject::ServicePrincipal,
        })
    }

    fn as_str(self) -> &'static str {
        match self {
            ObjectKind::Application => "application",
            ObjectKind::ServicePrincipal => "service principal",
        }
    }
}

/// How bad an account state is, to pick the worst of an application and its service principal.
fn severity(state: AccountState) -> u8 {
    match state {
        AccountState::Unknown => 0,
        AccountState::Enabled => 1,
        AccountState::Disabled => 2,
        AccountState::Deleted => 3,
    }
}

/// The owner of an object: the first user owner's UPN, or its mail when the UPN is a guest's
/// `…#EXT#@…` form (the register knows people by email), lowercased.
fn owner_of(owners: &[DirectoryObject]) -> Option<String> {
    owners
        .iter()
        .filter(|o| {
            o.odata_type
                .as_deref()
                .map_or(o.user_principal_name.is_some(), |t| {
                    t.eq_ignore_ascii_case("#microsoft.graph.user")
                })
        })
        .find_map(|user| {
            let upn = user
                .user_principal_name
                .as_deref()
                .map(str::trim)
                .filter(|u| !u.is_empty());
            let mail = user
                .mail
                .as_deref()
                .map(str::trim)
                .filter(|m| !m.is_empty());
            match (upn, mail) {
                (Some(upn), Some(mail)) if upn.contains("#EXT#") => Some(mail),
                (Some(upn), _) => Some(upn),
                (None, mail) => mail,
            }
        })
        .map(str::to_ascii_lowercase)
}

/// The two credential collections an application or service principal carries.
struct CredentialSet<'a> {
    passwords: &'a [PasswordCredential],
    keys: &'a [KeyCredential],
}

#[derive(Default)]
struct AzureJoin {
    /// appId → the application account, and → the service principal account.
    applications: BTreeMap<String, IdentityRecord>,
    service_principals: BTreeMap<String, IdentityRecord>,
    credentials: Vec<CredentialRecord>,
    credential_by_key: HashMap<String, usize>,
    /// appIds of Microsoft first-party service principals left out.
    first_party: BTreeSet<String>,
    /// Sign-in rows of the current file about those appIds.
    first_party_rows: usize,
    usages: Vec<UsageRecord>,
    common: Assembly,
}

/// Joins every Entra file of the scan into records, with warnings per file.
pub fn assemble(mut files: Vec<(FileInput, AzureFile)>, common: &mut Assembly) -> Records {
    let mut a = AzureJoin {
        common: std::mem::take(common),
        ..AzureJoin::default()
    };
    // Objects first: the reports are joined to the credentials they hold. Each object file is
    // let go of once read, so that a large tenant's parsed objects are not held beside every
    // record made from them.
    for (input, file) in &mut files {
        let input = &*input;
        a.common.reading(input);
        match &*file {
            AzureFile::Applications(list) => list
                .items
                .iter()
                .for_each(|app| a.add_application(input, app)),
            AzureFile::ServicePrincipals(list) => {
                let before = a.first_party.len();
                list.items
                    .iter()
                    .for_each(|sp| a.add_service_principal(input, sp));
                let left_out = a.first_party.len() - before;
                if left_out > 0 {
                    a.common.warn(format!(
                        "{left_out} Microsoft first-party service principal(s) without credentials of their own \
                         are managed by Microsoft and not reported"
                    ));
                }
            }
            AzureFile::AddedPasswords { passwords, line } => {
                for password in passwords {
                    a.expose_added_password(input, password, *line);
                }
            }
            AzureFile::ServicePrincipalSignIns(_) | AzureFile::AppCredentialSignIns(_) => continue,
        }
        *file = AzureFile::AddedPasswords {
            passwords: Vec::new(),
            line: None,
        };
    }
    a.share_pair_states();
    for (input, file) in &files {
        a.common.reading(input);
        a.first_party_rows = 0;
        match file {
            AzureFile::AppCredentialSignIns(list) => list
                .items
                .iter()
                .for_each(|row| a.add_credential_sign_in(input, row)),
            AzureFile::ServicePrincipalSignIns(list) => list
                .items
                .iter()
                .for_each(|row| a.add_service_principal_sign_in(input, row)),
            AzureFile::Applications(_)
            | AzureFile::ServicePrincipals(_)
            | AzureFile::AddedPasswords { .. } => {}
        }
        if a.first_party_rows > 0 {
            let rows = a.first_party_rows;
            a.common.warn(format!(
                "{rows} row(s) about Microsoft first-party applications left out with their service principals"
            ));
        }
    }
    let (records, finished) = a.finish();
    *common = finished;
    records
}

impl AzureJoin {
    /// An `addPassword` response that still holds its `secretText`: a leak of the file. It does
    /// not name its application, so it carries the keyId only: an application or service
    /// principal listing that holds the same credential attributes it.
    fn expose_added_password(
        &mut self,
        input: &FileInput,
        password: &PasswordCredential,
        line: Option<u32>,
    ) {
        let Some(sha256) = password.secret_text.live() else {
            return;
        };
        let key_id = password
            .key_id
            .as_deref()
            .map(guid_text)
            .filter(|id| !id.is_empty())
            .unwrap_or_else(|| "(no keyId)".to_string());
        let label = password
            .display_name
            .as_deref()
            .map(|n| format!(" {n}"))
            .unwrap_or_default();
        self.common.expose(ExportSecret {
            system: entra(),
            detector: "export/azure-client-secret",
            description: "Entra client secret (an addPassword response)".into(),
            carries: vec![key_id.clone()],
            slot: key_id.clone(),
            sha256: *sha256,
            evidence: Evidence::new(
                &input.rel,
                format!(
                    "addPassword response for client secret{label} {key_id}, with its secretText"
                ),
            )
            .at(line),
        });
    }

    /// Reads a timestamp. Values that are not RFC 3339 but readable (the Graph documentation's
    /// `-8:00` offsets) are read with a warning; unreadable ones are absent, with a warning.
    fn graph_time(&mut self, text: Option<&str>, subject: &str, field: &str) -> TimeField {
        let Some(text) = text else {
            return TimeField::Absent;
        };
        match parse_field(text) {
            Ok(TimeField::At(at)) => {
                if text.trim().parse::<jiff::Timestamp>().is_err() {
                    self.common.warn(format!(
                        "{subject}: `{field}` value `{text}` is not valid RFC 3339; read as {}",
                        format_rfc3339(at)
                    ));
                }
                TimeField::At(at)
            }
            Ok(other) => other,
            Err(e) => {
                self.common
                    .warn(format!("{subject}: `{field}`: {e}; treated as absent"));
                TimeField::Absent
            }
        }
    }

    /// The appId of an object or row, lowercased; `None` (with a warning) when it has none.
    fn app_id(&mut self, app_id: Option<&str>, what: &str) -> Option<String> {
        match app_id.map(str::trim).filter(|id| !id.is_empty()) {
            Some(id) => {
                if !is_guid(id) {
                    self.common.warn(format!(
                        "{what}: appId `{id}` is not a GUID; kept as written"
                    ));
                }
                Some(guid_text(id))
            }
            None => {
                self.common.warn(format!("{what} has no appId; skipped"));
                None
            }
        }
    }

    fn add_application(&mut self, input: &FileInput, app: &Application) {
        let what = describe(
            ObjectKind::Application,
            app.display_name.as_deref(),
            app.id.as_deref(),
        );
        let Some(app_id) = self.app_id(app.app_id.as_deref(), &what) else {
            return;
        };
        let subject = format!("application {app_id}");
        let created = self
            .graph_time(
                app.created_date_time.as_deref(),
                &subject,
                "createdDateTime",
            )
            .at();
        let deleted = self
            .graph_time(
                app.deleted_date_time.as_deref(),
                &subject,
                "deletedDateTime",
            )
            .at()
            .is_some();
        let record = self.account(
            input,
            ObjectKind::Application,
            &app_id,
            Account {
                object_id: app.id.as_deref(),
                display_name: app.display_name.as_deref(),
                kind: IdentityKind::Service,
                state: if deleted {
                    AccountState::Deleted
                } else {
                    AccountState::Enabled
                },
                created,
                owner: owner_of(&app.owners),
            },
        );
        self.merge_account(ObjectKind::Application, &app_id, record);
        self.add_credentials(
            input,
            &app_id,
            ObjectKind::Application,
            CredentialSet {
                passwords: &app.password_credentials,
                keys: &app.key_credentials,
            },
        );
    }

    fn add_service_principal(&mut self, input: &FileInput, sp: &ServicePrincipal) {
        let name = sp
            .display_name
            .as_deref()
            .or(sp.app_display_name.as_deref());
        let what = describe(ObjectKind::ServicePrincipal, name, sp.id.as_deref());
        let Some(app_id) = self.app_id(sp.app_id.as_deref(), &what) else {
            return;
        };
        let managed_identity =
            sp.service_principal_type == Some(ServicePrincipalType::ManagedIdentity);
        let first_party = !managed_identity
            && sp
                .app_owner_organization_id
                .as_deref()
                .is_some_and(|t| MICROSOFT_TENANTS.contains(&guid_text(t).as_str()));
        if first_party && sp.password_credentials.is_empty() && sp.key_credentials.is_empty() {
            self.first_party.insert(app_id);
            return;
        }
        let subject = format!("service principal {app_id}");
        let created = self
            .graph_time(sp.created_date_time.as_deref(), &subject, "createdDateTime")
            .at();
        let deleted = self
            .graph_time(sp.deleted_date_time.as_deref(), &subject, "deletedDateTime")
            .at()
            .is_some();
        let state = match (deleted, sp.account_enabled) {
            (true, _) => AccountState::Deleted,
            (false, Some(false)) => AccountState::Disabled,
            (false, Some(true)) => AccountState::Enabled,
            (false, None) => AccountState::Unknown,
        };
        let mut record = self.account(
            input,
            ObjectKind::ServicePrincipal,
            &app_id,
            Account {
                object_id: sp.id.as_deref(),
                display_name: name,
                kind: if managed_identity {
                    IdentityKind::Workload
                } else {
                    IdentityKind::Service
                },
                state,
                created,
                owner: owner_of(&sp.owners),
            },
        );
        // A user-assigned managed identity is known in Azure by its resource ID.
        if managed_identity {
            record.locator = Some(Box::new(Locator::Entra(EntraObject::ManagedIdentity)));
            for name in &sp.alternative_names {
                if name.starts_with("/subscriptions/") && !record.aliases.contains(name) {
                    record.aliases.push(name.clone());
                }
            }
        }
        if first_party {
            record.evidence.detail.push_str(
                " (a Microsoft first-party application: a credential added here is suspect)",
            );
        }
        self.merge_account(ObjectKind::ServicePrincipal, &app_id, record);
        self.add_credentials(
            input,
            &app_id,
            ObjectKind::ServicePrincipal,
            CredentialSet {
                passwords: &sp.password_credentials,
                keys: &sp.key_credentials,
            },
        );
    }

    fn account(
        &mut self,
        input: &FileInput,
        object: ObjectKind,
        app_id: &str,
        account: Account,
    ) -> IdentityRecord {
        let object_id = account.object_id.map(guid_text).filter(|id| !id.is_empty());
        let name = account.display_name.unwrap_or(app_id);
        let evidence = Evidence::new(
            &input.rel,
            format!("{} {name} (appId {app_id})", object.as_str()),
        )
        .locate_by(object_id.clone().unwrap_or_else(|| app_id.to_string()));
        IdentityRecord::new(
            entra(),
            app_id.to_string(),
            account.kind,
            account.state,
            evidence,
        )
        .aliases(object_id.into_iter().collect())
        .display_name(account.display_name.map(str::to_string))
        .created(account.created)
        .owner(account.owner)
        .locator(object.locator())
    }

    /// Keeps one account per appId and object kind: pages may overlap, and a deleted-items
    /// listing may repeat a live object.
    fn merge_account(&mut self, object: ObjectKind, app_id: &str, record: IdentityRecord) {
        let accounts = match object {
            ObjectKind::Application => &mut self.applications,
            ObjectKind::ServicePrincipal => &mut self.service_principals,
        };
        let Some(existing) = accounts.get_mut(app_id) else {
            accounts.insert(app_id.to_string(), record);
            return;
        };
        let mut conflict = None;
        for alias in record.aliases {
            if !existing.aliases.contains(&alias) {
                conflict = Some(alias.clone());
                existing.aliases.push(alias);
            }
        }
        if severity(record.state) > severity(existing.state) {
            existing.state = record.state;
        }
        existing.created = existing.created.or(record.created);
        existing.owner = existing.owner.take().or(record.owner);
        if let Some(other) = conflict {
            self.common.warn(format!(
                "appId {app_id} appears as more than one {} object (also {other}); read as one account",
                object.as_str()
            ));
        }
    }

    fn add_credentials(
        &mut self,
        input: &FileInput,
        app_id: &str,
        origin: ObjectKind,
        set: CredentialSet<'_>,
    ) {
        for (index, secret) in set.passwords.iter().enumerate() {
            let label = secret
                .display_name
                .as_deref()
                .map(|n| format!(" {n}"))
                .unwrap_or_default();
            let detail = format!(
                "client secret{label} on the {} of appId {app_id}",
                origin.as_str()
            );
            self.add_credential(
                input,
                app_id,
                CredentialFields {
                    kind: CredentialKind::ClientSecret,
                    origin,
                    collection: "passwordCredentials",
                    index,
                    key_id: secret.key_id.as_deref(),
                    start: secret.start_date_time.as_deref(),
                    end: secret.end_date_time.as_deref(),
                    spki_sha256: None,
                    detail,
                },
            );
            if let Some(sha256) = secret.secret_text.live() {
                let key_id = secret.key_id.as_deref().map(guid_text).unwrap_or_default();
                let slot = if key_id.is_empty() {
                    format!("{app_id}#passwordCredentials[{index}]")
                } else {
                    key_id.clone()
                };
                self.common.expose(ExportSecret {
                    system: entra(),
                    detector: "export/azure-client-secret",
                    description: "Entra client secret (secretText)".into(),
                    carries: vec![slot.clone(), app_id.to_string()],
                    slot: slot.clone(),
                    sha256: *sha256,
                    evidence: Evidence::new(
                        &input.rel,
                        format!(
                            "client secret {slot} on the {} of appId {app_id}, with its secretText",
                            origin.as_str()
                        ),
                    )
                    .locate_by(if key_id.is_empty() {
                        app_id.to_string()
                    } else {
                        key_id
                    }),
                });
            }
        }
        for (index, key) in set.keys.iter().enumerate() {
            let label = key
                .display_name
                .as_deref()
                .map(|n| format!(" {n}"))
                .unwrap_or_default();
            let what: Vec<&str> = [
                key.key_type.map(|t| t.as_str()),
                key.usage.map(|u| u.as_str()),
            ]
            .into_iter()
            .flatten()
            .collect();
            let what = if what.is_empty() {
                String::new()
            } else {
                format!(" ({})", what.join(", "))
            };
            let detail = format!(
                "certificate credential{label}{what} on the {} of appId {app_id}",
                origin.as_str()
            );
            self.add_credential(
                input,
                app_id,
                CredentialFields {
                    kind: CredentialKind::ClientCertificate,
                    origin,
                    collection: "keyCredentials",
                    index,
                    key_id: key.key_id.as_deref(),
                    start: key.start_date_time.as_deref(),
                    end: key.end_date_time.as_deref(),
                    spki_sha256: key.spki_sha256.as_deref(),
                    detail,
                },
            );
        }
    }

    fn add_credential(&mut self, input: &FileInput, app_id: &str, fields: CredentialFields<'_>) {
        let key_id = fields.key_id.map(guid_text).filter(|id| !id.is_empty());
        let id = match &key_id {
            Some(id) => id.clone(),
            None => {
                let id = format!("{app_id}#{}[{}]", fields.collection, fields.index);
                self.common.warn(format!(
                    "appId {app_id}: a credential in `{}` has no keyId; reported as {id}",
                    fields.collection
                ));
                id
            }
        };
        let existing = self.credential_by_key.get(&id).copied();
        if let Some(existing) = existing {
            let holder = self.credentials[existing].holder.clone();
            if holder != app_id {
                self.common.warn(format!(
                    "keyId {id} appears on appId {holder} and on appId {app_id}; kept on {holder}"
                ));
                return;
            }
        }
        let subject = format!("appId {app_id}, keyId {id}");
        let start = self
            .graph_time(fields.start, &subject, "startDateTime")
            .at();
        let expires = match self.graph_time(fields.end, &subject, "endDateTime") {
            TimeField::At(at) => Expiry::At(at),
            TimeField::Never => Expiry::Never,
            TimeField::Absent => {
                self.common.warn(format!(
                    "{subject}: no `endDateTime`; its expiry is unknown"
                ));
                Expiry::NotApplicable
            }
        };
        let evidence = Evidence::new(&input.rel, fields.detail).locate_by(match &key_id {
            Some(key) => key.clone(),
            None => app_id.to_string(),
        });
        let record = CredentialRecord::new(
            entra(),
            id,
            fields.kind,
            app_id.to_string(),
            CredentialStatus::Active,
            evidence,
        )
        .created(start)
        .last_rotated(start)
        .expires(expires)
        .locator(fields.origin.locator())
        .fingerprints(
            fields
                .spki_sha256
                .map(|hex| format!("spki-sha256:{hex}"))
                .into_iter()
                .collect(),
        );
        match existing {
            // The same credential in another page or export: weighed with the first
            // (`sources::reconcile`).
            Some(existing) => reconcile::credential_into(
                &mut self.credentials[existing],
                record,
                self.common.warnings_mut(),
            ),
            None => {
                self.credential_by_key
                    .insert(record.id.clone(), self.credentials.len());
                self.credentials.push(record);
            }
        }
    }

    /// An application and its service principal share the worse of their states: a disabled or
    /// deleted principal cannot sign in, and neither can the principal of a deleted application.
    fn share_pair_states(&mut self) {
        for (app_id, app) in &mut self.applications {
            let Some(sp) = self.service_principals.get_mut(app_id) else {
                continue;
            };
            if matches!(sp.state, AccountState::Disabled | AccountState::Deleted)
                && severity(sp.state) > severity(app.state)
            {
                app.state = sp.state;
                app.evidence.detail.push_str(&format!(
                    " ({} through its service principal)",
                    sp.state.as_str()
                ));
            }
            if app.state == AccountState::Deleted && sp.state != AccountState::Deleted {
                sp.state = AccountState::Deleted;
                sp.evidence
                    .detail
                    .push_str(" (deleted through its application)");
            }
        }
    }

    fn add_credential_sign_in(&mut self, input: &FileInput, row: &AppCredentialSignInActivity) {
        let Some(app_id) = self.app_id(row.app_id.as_deref(), "credential sign-in row") else {
            return;
        };
        if self.first_party.contains(&app_id) {
            self.first_party_rows += 1;
            return;
        }
        let key_id = row
            .key_id
            .as_deref()
            .map(guid_text)
            .filter(|k| !k.is_empty());
        let subject = match &key_id {
            Some(key) => format!("appId {app_id}, keyId {key}"),
            None => format!("appId {app_id}"),
        };
        let at = self.graph_time(
            row.sign_in_activity
                .as_ref()
                .and_then(|a| a.last_sign_in_date_time.as_deref()),
            &subject,
            "signInActivity.lastSignInDateTime",
        );
        let known = key_id
            .as_ref()
            .and_then(|k| self.credential_by_key.get(k).copied());
        if let Some(i) = known {
            let holder = &self.credentials[i].holder;
            if *holder != app_id {
                let holder = holder.clone();
                self.common.warn(format!(
                    "{subject}: the report names appId {app_id}, the listing puts the credential on appId {holder}; joined by keyId"
                ));
            }
        }
        match at {
            TimeField::At(at) => {
                let kind = row.key_type.map_or("credential", |t| t.as_str());
                let origin = row
                    .credential_origin
                    .map(|o| format!(" on the {}", o.as_str()))
                    .unwrap_or_default();
                let detail = match &key_id {
                    Some(key) => {
                        format!("last sign-in with {kind} {key}{origin} of appId {app_id}")
                    }
                    None => format!("last sign-in with a {kind} of appId {app_id} (no keyId)"),
                };
                let evidence = Evidence::new(&input.rel, detail)
                    .locate_by(key_id.clone().unwrap_or_else(|| app_id.clone()));
                self.usages
                    .push(UsageRecord::new(entra(), app_id, at, evidence).credential(key_id));
            }
            // Listed, with no sign-in: the report tracks this credential and saw none.
            TimeField::Absent | TimeField::Never => {
                if let Some(i) = known {
                    let credential = &mut self.credentials[i];
                    if credential.last_used == LastUse::Unknown {
                        credential.last_used = LastUse::Never;
                    }
                }
            }
        }
    }

    fn add_service_principal_sign_in(
        &mut self,
        input: &FileInput,
        row: &ServicePrincipalSignInActivity,
    ) {
        let Some(app_id) = self.app_id(row.app_id.as_deref(), "service principal sign-in row")
        else {
            return;
        };
        if self.first_party.contains(&app_id) {
            self.first_party_rows += 1;
            return;
        }
        let subject = format!("appId {app_id}");
        let mut latest: Option<(jiff::Timestamp, &'static str)> = None;
        for (field, activity) in row.activities() {
            let text = activity.and_then(|a| a.last_sign_in_date_time.as_deref());
            let path = format!("{field}.lastSignInDateTime");
            if let TimeField::At(at) = self.graph_time(text, &subject, &path) {
                if latest.is_none_or(|(prev, _)| at > prev) {
                    latest = Some((at, field));
                }
            }
        }
        if let Some((at, field)) = latest {
            self.usages.push(UsageRecord::new(
                entra(),
                app_id.clone(),
                at,
                Evidence::new(
                    &input.rel,
                    format!("last sign-in of appId {app_id} ({field})"),
                )
                .locate_by(app_id),
            ));
        }
    }

    fn finish(self) -> (Records, Assembly) {
        let mut records = Records::default();
        let app_ids: BTreeSet<&String> = self
            .applications
            .keys()
            .chain(self.service_principals.keys())
            .collect();
        for app_id in app_ids {
            records
                .identities
                .extend(self.applications.get(app_id).cloned());
            records
                .identities
                .extend(self.service_principals.get(app_id).cloned());
        }
        records.credentials = self.credentials;
        records.usages = self.usages;
        (records, self.common)
    }
}

/// The fields of an account record that differ between applications and service principals.
struct Account<'a> {
    object_id: Option<&'a str>,
    display_name: Option<&'a str>,
    kind: IdentityKind,
    state: AccountState,
    created: Option<jiff::Timestamp>,
    owner: Option<String>,
}

/// The fields of a password or key credential that become a record.
struct CredentialFields<'a> {
    kind: CredentialKind,
    origin: ObjectKind,
    collection: &'static str,
    index: usize,
    key_id: Option<&'a str>,
    start: Option<&'a str>,
    end: Option<&'a str>,
    spki_sha256: Option<&'a str>,
    detail: String,
}

/// `application NAME (object ID)`, for warnings about an object that has no appId.
fn describe(object: ObjectKind, name: Option<&str>, object_id: Option<&str>) -> String {
    match (name, object_id) {
        (Some(name), Some(id)) => format!("{} {name} ({id})", object.as_str()),
        (Some(name), None) => format!("{} {name}", object.as_str()),
        (None, Some(id)) => format!("{} {id}", object.as_str()),
        (None, None) => format!("a {} object", object.as_str()),
    }
}

#[cfg(test)]
mod tests {
    use super::super::Listing;
    use super::*;

    /// The family's assembly on its own, with the warnings it gave.
    fn assemble(files: Vec<(FileInput, AzureFile)>) -> (Records, Vec<(String, String)>) {
        Assembly::alone(super::assemble, files)
    }
    use std::path::PathBuf;

    fn input(rel: &str) -> FileInput {
        FileInput {
            path: PathBuf::from(rel),
            rel: rel.to_string(),
            size: 0,
        }
    }

    fn listing<T: serde::de::DeserializeOwned>(json: &str) -> Listing<T> {
        Listing {
            items: serde_json::from_str(json).unwrap(),
            continues: false,
        }
    }

    fn apps(json: &str) -> (FileInput, AzureFile) {
        (input("apps.json"), AzureFile::Applications(listing(json)))
    }

    fn sps(json: &str) -> (FileInput, AzureFile) {
        (
            input("sps.json"),
            AzureFile::ServicePrincipals(listing(json)),
        )
    }

    const APP_A: &str = "0a1b2c3d-0000-4000-8000-00000000000a";
    const K1: &str = "5a1b3c7d-2e4f-4a6b-9c8d-0e1f2a3b4c5d";
    const K1_UPPER: &str = "5A1B3C7D-2E4F-4A6B-9C8D-0E1F2A3B4C5D";
    const K2: &str = "c3b2a190-8f7e-4d6c-b5a4-39281706f5e4";
    const K2_UPPER: &str = "C3B2A190-8F7E-4D6C-B5A4-39281706F5E4";

    fn state_of(records: &Records, object_id: &str) -> AccountState {
        records
            .identities
            .iter()
            .find(|i| i.aliases.iter().any(|a| a == object_id))
            .map(|i| i.state)
            .unwrap()
    }

    #[test]
    fn owners_are_users_and_guests_are_known_by_mail() {
        let owners: Vec<DirectoryObject> = serde_json::from_str(
            r##"[{"@odata.type":"#microsoft.graph.servicePrincipal","id":"s"},
                {"@odata.type":"#microsoft.graph.user","userPrincipalName":"carol_example.com#EXT#@tenant.onmicrosoft.com","mail":"Carol@Example.com"},
                {"@odata.type":"#microsoft.graph.user","userPrincipalName":"dave@example.com"}]"##,
        )
        .unwrap();
        assert_eq!(owner_of(&owners).as_deref(), Some("carol@example.com"));
        let untyped: Vec<DirectoryObject> =
            serde_json::from_str(r#"[{"userPrincipalName":"Eve@Example.com"}]"#).unwrap();
        assert_eq!(owner_of(&untyped).as_deref(), Some("eve@example.com"));
        assert_eq!(owner_of(&[]), None);
    }

    #[test]
    fn a_disabled_service_principal_disables_its_application_record() {
        let (records, _) = assemble(vec![
            apps(&format!(
                r#"[{{"id":"APP-OBJ","appId":"{}","passwordCredentials":[{{"keyId":"{K1_UPPER}","startDateTime":"2026-01-01T00:00:00Z","endDateTime":"2026-07-01T00:00:00Z"}}]}}]"#,
                APP_A.to_uppercase()
            )),
            sps(&format!(
                r#"[{{"id":"sp-obj","appId":"{APP_A}","accountEnabled":false,"servicePrincipalType":"Application"}}]"#
            )),
        ]);
        assert_eq!(records.identities.len(), 2);
        assert!(records.identities.iter().all(|i| i.native_id == APP_A));
        assert_eq!(state_of(&records, "APP-OBJ"), AccountState::Disabled);
        assert_eq!(state_of(&records, "sp-obj"), AccountState::Disabled);
        let secret = &records.credentials[0];
        assert_eq!(secret.id, K1);
        assert_eq!(secret.holder, APP_A);
        assert_eq!(secret.system, entra());
        assert_eq!(secret.last_rotated, secret.created);
    }

    #[test]
    fn a_deleted_application_deletes_its_service_principal() {
        let (records, _) = assemble(vec![
            apps(&format!(
                r#"[{{"id":"app-obj","appId":"{APP_A}","deletedDateTime":"2026-05-02T10:00:00Z"}}]"#
            )),
            sps(&format!(
                r#"[{{"id":"sp-obj","appId":"{APP_A}","accountEnabled":true}}]"#
            )),
        ]);
        assert_eq!(state_of(&records, "app-obj"), AccountState::Deleted);
        assert_eq!(state_of(&records, "sp-obj"), AccountState::Deleted);
        // Without `accountEnabled` the state is not known.
        let (records, _) = assemble(vec![sps(&format!(
            r#"[{{"id":"sp-obj","appId":"{APP_A}","servicePrincipalType":"ManagedIdentity","alternativeNames":["isExplicit=True","/subscriptions/s/resourcegroups/r/providers/Microsoft.ManagedIdentity/userAssignedIdentities/mi"]}}]"#
        ))]);
        let mi = &records.identities[0];
        assert_eq!(mi.state, AccountState::Unknown);
        assert_eq!(mi.kind, IdentityKind::Workload);
        assert_eq!(mi.aliases.len(), 2, "{:?}", mi.aliases);
    }

    #[test]
    fn microsoft_first_party_principals_are_left_out_unless_they_hold_a_credential() {
        let (records, warnings) = assemble(vec![sps(
            r#"[{"id":"g","appId":"00000003-0000-0000-c000-000000000000","accountEnabled":true,"appOwnerOrganizationId":"f8cdef31-a31e-4b4a-93e4-5f571e91255a"},
                {"id":"x","appId":"00000002-0000-0ff1-ce00-000000000000","accountEnabled":true,"appOwnerOrganizationId":"F8CDEF31-A31E-4B4A-93E4-5F571E91255A","passwordCredentials":[{"keyId":"planted","endDateTime":"2299-12-31T00:00:00Z"}]}]"#,
        )]);
        assert_eq!(records.identities.len(), 1);
        assert_eq!(
            records.identities[0].native_id,
            "00000002-0000-0ff1-ce00-000000000000"
        );
        assert!(records.identities[0]
            .evidence
            .detail
            .contains("first-party"));
        assert_eq!(records.credentials[0].expires, Expiry::Never);
        assert!(warnings
            .iter()
            .any(|(_, w)| w.starts_with("1 Microsoft first-party")));
    }

    #[test]
    fn credential_sign_ins_are_uses_and_listed_silence_is_never() {
        let (records, warnings) = assemble(vec![
            apps(&format!(
                r#"[{{"id":"o","appId":"{APP_A}","passwordCredentials":[{{"keyId":"{K1}","startDateTime":"2026-01-01T00:00:00Z"}},{{"keyId":"k-silent"}},{{"keyId":"k-unlisted"}}]}}]"#
            )),
            (
                input("cred.json"),
                AzureFile::AppCredentialSignIns(listing(&format!(
                    r#"[{{"appId":"{APP_A}","keyId":"{K1_UPPER}","keyType":"clientSecret","credentialOrigin":"application","signInActivity":{{"lastSignInDateTime":"2026-08-14T02:20:00-8:00"}}}},
                        {{"appId":"{APP_A}","keyId":"k-silent","signInActivity":null}},
                        {{"appId":"{APP_A}","keyId":"k-other","signInActivity":{{"lastSignInDateTime":"yesterday"}}}}]"#
                ))),
            ),
        ]);
        let usage = &records.usages[0];
        assert_eq!(records.usages.len(), 1);
        assert_eq!(usage.credential.as_deref(), Some(K1));
        assert_eq!(usage.identity, APP_A);
        assert_eq!(format_rfc3339(usage.at), "2026-08-14T10:20:00Z");
        let last_used = |id: &str| {
            records
                .credentials
                .iter()
                .find(|c| c.id == id)
                .map(|c| c.last_used)
                .unwrap()
        };
        // The use itself is joined by correlation; here the credential is still unknown.
        assert_eq!(last_used(K1), LastUse::Unknown);
        assert_eq!(last_used("k-silent"), LastUse::Never);
        assert_eq!(last_used("k-unlisted"), LastUse::Unknown);
        let messages: Vec<&str> = warnings.iter().map(|(_, w)| w.as_str()).collect();
        assert!(
            messages.iter().any(
                |w| w.contains("`2026-08-14T02:20:00-8:00` is not valid RFC 3339")
                    && w.contains("signInActivity.lastSignInDateTime")
            ),
            "{messages:?}"
        );
        assert!(
            messages
                .iter()
                .any(|w| w.contains("yesterday") && w.ends_with("treated as absent")),
            "{messages:?}"
        );
        // Credentials without an end date are unknown, with a warning.
        assert!(messages.iter().any(|w| w.contains("no `endDateTime`")));
    }

    #[test]
    fn a_service_principal_sign_in_is_its_latest_activity() {
        let (records, warnings) = assemble(vec![(
            input("sp-sign-ins.json"),
            AzureFile::ServicePrincipalSignIns(listing(&format!(
                r#"[{{"appId":"{APP_A}","lastSignInActivity":{{"lastSignInDateTime":"2021-04-01T00:00:00Z"}},
                     "applicationAuthenticationResourceSignInActivity":{{"lastSignInDateTime":"2021-04-01T00:00:00-8:00"}},
                     "delegatedClientSignInActivity":null}},
                    {{"appId":"0a1b2c3d-0000-4000-8000-00000000000b","lastSignInActivity":{{"lastSignInDateTime":null}}}},
                    {{"id":"no-app"}}]"#
            ))),
        )]);
        assert_eq!(records.usages.len(), 1);
        let usage = &records.usages[0];
        assert_eq!(format_rfc3339(usage.at), "2021-04-01T08:00:00Z");
        assert!(usage
            .evidence
            .detail
            .contains("applicationAuthenticationResourceSignInActivity"));
        assert!(warnings.iter().any(|(_, w)| w.contains("has no appId")));
    }

    #[test]
    fn odd_credentials_are_kept_and_reported() {
        let (records, warnings) = assemble(vec![apps(&format!(
            r#"[{{"objectId":"o","appId":"{APP_A}","passwordCredentials":[{{"startDate":"2026-01-01T00:00:00Z","endDate":"9999-12-31T23:59:59Z"}}],
                     "keyCredentials":[{{"keyId":"{K2}","type":"AsymmetricX509Cert","usage":"Verify","key":"bm90IGEgY2VydA==","endDateTime":"2027-01-01T00:00:00Z"}}]}},
                    {{"id":"o","appId":"{APP_A}","keyCredentials":[{{"keyId":"{K2_UPPER}"}}]}},
                    {{"id":"n","appId":"not-a-guid","displayName":"x"}}]"#
        ))]);
        let ids: Vec<&str> = records.credentials.iter().map(|c| c.id.as_str()).collect();
        assert_eq!(
            ids,
            vec![format!("{APP_A}#passwordCredentials[0]").as_str(), K2]
        );
        assert_eq!(records.credentials[0].expires, Expiry::Never);
        assert_eq!(
            records.credentials[1].kind,
            CredentialKind::ClientCertificate
        );
        // A `key` that is not a certificate leaves no fingerprint.
        assert!(records.credentials[1].fingerprints.is_empty());
        assert_eq!(records.identities.len(), 2);
        let messages: Vec<&str> = warnings.iter().map(|(_, w)| w.as_str()).collect();
        assert!(
            messages.iter().any(|w| w.contains("has no keyId")),
            "{messages:?}"
        );
        assert!(
            messages.iter().any(|w| w.contains("is not a GUID")),
            "{messages:?}"
        );
    }

    /// A self-signed P-256 certificate (CN=legacy-sync.example.com), as Graph returns it in
    /// `keyCredentials[].key` when selected.
    const CERTIFICATE_KEY: &str = "MIIBmjCCAT+gAwIBAgIUeecFGgpR4t+3Ju0I26bdnAxPnRwwCgYIKoZIzj0EAwIwIjEgMB4GA1UEAwwXbGVnYWN5LXN5bmMuZXhhbXBsZS5jb20wHhcNMjYxMTI1MTg1OTE5WhcNMjcxMTI1MTg1OTE5WjAiMSAwHgYDVQQDDBdsZWdhY3ktc3luYy5leGFtcGxlLmNvbTBZMBMGByqGSM49AgEGCCqGSM49AwEHA0IABItn1bi25ea7IE5SOhhrHlqHry49Ctp93Sj4UumGknerFU1WFVfVbcgnjonAvhWCAk3Le88P4leVE4/QM0cdLPWjUzBRMB0GA1UdDgQWBBTonWpVc3Kah8mVvQkDgLcgm6MFLTAfBgNVHSMEGDAWgBTonWpVc3Kah8mVvQkDgLcgm6MFLTAPBgNVHRMBAf8EBTADAQH/MAoGCCqGSM49BAMCA0kAMEYCIQCrwsBtKR4FpWYBTSVytl8A0fc2H28MSDc8LcjpFh2MrQIhAMtMD/PWvf3QqZYQ/ETemN7UNdMfHiSWugjazTOiZQMR";

    #[test]
    fn a_certificate_key_becomes_its_public_key_fingerprint() {
        let (records, _) = assemble(vec![apps(&format!(
            r#"[{{"id":"o","appId":"{APP_A}","keyCredentials":[{{"keyId":"{K2}","type":"AsymmetricX509Cert","usage":"Verify","key":"{CERTIFICATE_KEY}"}}]}}]"#
        ))]);
        assert_eq!(
            records.credentials[0].fingerprints,
            vec!["spki-sha256:6de5c2b42d4dc2c762ccea20c160c0958f18ad58fe1d65584d07d887fcfc485c"]
        );
        assert!(!format!("{records:?}").contains(&CERTIFICATE_KEY[..40]));
    }
}
