//! GitHub files → inventory records: PAT grants to tokens held by their owners, deploy keys to
//! one identity each (with credential and repository grant), installations to their app's
//! identity. Identities seen in several files or pages are merged by native ID.

use crate::sources::Assembly;
use std::collections::BTreeMap;

use base64::Engine;
use sha2::{Digest, Sha256};

use super::model::{DeployKey, Installation, PatGrant};
use super::GithubFile;
use crate::discover::FileInput;
use crate::inventory::{
    AccountState, CredentialKind, CredentialRecord, CredentialStatus, Evidence, Expiry,
    GrantRecord, IdentityKind, IdentityRecord, LastUse, Locator, Records, SourceFamily, SystemRef,
};
use crate::sources::reconcile;
use crate::time::TimeField;

/// The exports do not name the organisation; the whole family is this one system.
pub const SYSTEM: &str = "github";

/// The repository of a deploy key whose `url` does not name one.
const UNKNOWN_REPO: &str = "unknown-repo";
/// The account of an installation that does not name one.
const UNKNOWN_ACCOUNT: &str = "unknown-account";

fn system() -> SystemRef {
    SystemRef::new(SourceFamily::Github, SYSTEM)
}

/// `github:LOGIN`, the identifier of a GitHub account (and its register alias form).
pub fn account_id(login: &str) -> String {
    format!("github:{login}")
}

/// A JSON string as it appears in the file, to find the record's line later.
fn quoted(text: &str) -> String {
    format!("\"{text}\"")
}

fn non_empty(value: Option<&String>) -> Option<&str> {
    value.map(|v| v.trim()).filter(|v| !v.is_empty())
}

/// `OWNER/REPO` from `https://api.github.com/repos/OWNER/REPO/keys/ID` (any host: GitHub
/// Enterprise Server serves `/api/v3/repos/…`).
fn repository_of(url: &str) -> Option<String> {
    let (_, path) = url.split_once("/repos/")?;
    let mut parts = path.split('/');
    let (owner, repo) = (parts.next()?, parts.next()?);
    (!owner.is_empty() && !repo.is_empty() && parts.next() == Some("keys"))
        .then(|| format!("{owner}/{repo}"))
}

/// `sha256:HEX` of an OpenSSH public key's blob, when `key` is a well-formed public key (the
/// blob decodes and names the same algorithm as the line).
pub(crate) fn public_key_fingerprint(key: &str) -> Option<String> {
    let mut fields = key.split_whitespace();
    let (algorithm, encoded) = (fields.next()?, fields.next()?);
    let blob = base64::engine::general_purpose::STANDARD
        .decode(encoded)
        .ok()?;
    let name_len = usize::try_from(u32::from_be_bytes(blob.get(..4)?.try_into().ok()?)).ok()?;
    let name = blob.get(4..4usize.checked_add(name_len)?)?;
    (name == algorithm.as_bytes()).then(|| format!("sha256:{}", hex::encode(Sha256::digest(&blob))))
}

#[derive(Default)]
struct GithubJoin {
    identities: BTreeMap<String, IdentityRecord>,
    credentials: BTreeMap<String, CredentialRecord>,
    grants: BTreeMap<(String, String), GrantRecord>,
    common: Assembly,
}

/// Joins every GitHub file of the scan into records, with warnings per file.
pub fn assemble(files: Vec<(FileInput, GithubFile)>, common: &mut Assembly) -> Records {
    let mut a = GithubJoin {
        common: std::mem::take(common),
        ..GithubJoin::default()
    };
    // Each file is let go of once read, so that large exports are not held beside every record
    // made from them.
    for (input, file) in files {
        let input = &input;
        a.common.reading(input);
        match &file {
            GithubFile::FineGrainedPats(grants) => {
                grants.iter().for_each(|g| a.add_pat_grant(input, g))
            }
            GithubFile::DeployKeys(keys) => keys.iter().for_each(|k| a.add_deploy_key(input, k)),
            GithubFile::Installations { installations, .. } => installations
                .iter()
                .for_each(|i| a.add_installation(input, i)),
        }
    }
    let (records, finished) = a.finish();
    *common = finished;
    records
}

impl GithubJoin {
    /// Reads a timestamp; text that is neither a date nor a sentinel is a warning and `None`.
    fn created(&mut self, text: Option<&String>, what: &str) -> Option<jiff::Timestamp> {
        text.and_then(|t| self.common.parse_time(t, what))
            .and_then(TimeField::at)
    }

    /// A last-use field: absent says nothing, `null` (or a sentinel) says never used.
    fn last_use(&mut self, field: Option<&Option<String>>, what: &str) -> LastUse {
        match field {
            None => LastUse::Unknown,
            Some(None) => LastUse::Never,
            Some(Some(text)) => match self.common.parse_time(text, what) {
                Some(TimeField::At(at)) => LastUse::At(at),
                Some(TimeField::Absent | TimeField::Never) => LastUse::Never,
                None => LastUse::Unknown,
            },
        }
    }

    /// Adds an account, or weighs a second export's word on it with the first's
    /// (`sources::reconcile`).
    fn add_identity(&mut self, record: IdentityRecord) {
        match self.identities.get_mut(&record.native_id) {
            Some(kept) => reconcile::account_into(kept, record, self.common.warnings_mut()),
            None => {
                self.identities.insert(record.native_id.clone(), record);
            }
        }
    }

    /// Adds a credential, or weighs a second export's word on it with the first's.
    fn add_credential(&mut self, record: CredentialRecord) {
        match self.credentials.get_mut(&record.id) {
            Some(kept) => reconcile::credential_into(kept, record, self.common.warnings_mut()),
            None => {
                self.credentials.insert(record.id.clone(), record);
            }
        }
    }

    fn add_grant(&mut self, record: GrantRecord) {
        self.grants
            .entry((record.holder.clone(), record.privilege.clone()))
            .or_insert(record);
    }

    fn add_pat_grant(&mut self, input: &FileInput, grant: &PatGrant) {
        let grant_label = grant
            .id
            .map_or_else(|| "without id".to_string(), |id| id.to_string());
        let Some(owner) = grant.owner.as_ref().filter(|o| !o.login.trim().is_empty()) else {
            self.common.warn(format!(
                "fine-grained PAT grant {grant_label} has no owner login, so no holder; not read"
            ));
            return;
        };
        let login = owner.login.trim();
        let id = match (grant.token_id, grant.id) {
            (Some(token), _) => format!("pat:{token}"),
            (None, Some(grant_id)) => format!("pat-grant:{grant_id}"),
            (None, None) => {
                self.common.warn(format!(
                    "fine-grained PAT of {} has neither token_id nor id; not read",
                    login
                ));
                return;
            }
        };
        let holder = account_id(login);
        let is_bot = owner.account_type.as_deref() == Some("Bot");
        // The grant's repositories URL is unique to it; the token name and login may repeat.
        let locate = non_empty(grant.repositories_url.as_ref())
            .or(non_empty(grant.token_name.as_ref()))
            .unwrap_or(login);
        self.add_identity({
            // Removing a member from the organisation revokes their grants: a listed owner is
            // a member.
            IdentityRecord::new(
                system(),
                holder.clone(),
                if is_bot {
                    IdentityKind::Service
                } else {
                    IdentityKind::Unknown
                },
                AccountState::Enabled,
                Evidence::new(
                    &input.rel,
                    format!("owner of fine-grained PAT grant {grant_label}"),
                )
                .locate_by(quoted(login)),
            )
            .display_name(Some(login.to_string()))
        });
        let what = |field: &str| format!("PAT {id} {field}");
        let created = self.created(grant.access_granted_at.as_ref(), &what("access_granted_at"));
        let last_used = self.last_use(
            grant.token_last_used_at.as_ref(),
            &what("token_last_used_at"),
        );
        let expires = match &grant.token_expires_at {
            None => Expiry::NotApplicable,
            Some(None) => Expiry::Never,
            Some(Some(text)) => match self.common.parse_time(text, &what("token_expires_at")) {
                Some(TimeField::At(at)) => Expiry::At(at),
                Some(TimeField::Never | TimeField::Absent) => Expiry::Never,
                None => Expiry::NotApplicable,
            },
        };
        let status = if grant.token_expired == Some(true) {
            CredentialStatus::Expired
        } else {
            CredentialStatus::Active
        };
        let name = non_empty(grant.token_name.as_ref())
            .map(|n| format!(" \"{n}\""))
            .unwrap_or_default();
        let selection = non_empty(grant.repository_selection.as_ref()).unwrap_or("unknown");
        let record = CredentialRecord::new(
            system(),
            id.clone(),
            CredentialKind::PersonalAccessToken,
            holder,
            status,
            Evidence::new(
                &input.rel,
                format!(
                    "fine-grained PAT{name} of {} (grant {grant_label}, repositories: {selection})",
                    login
                ),
            )
            .locate_by(quoted(locate)),
        )
        .created(created)
        .last_used(last_used)
        .expires(expires);
        // The REST API revokes an organisation's access by the grant ID, not the token ID.
        self.add_credential(match grant.id {
            Some(grant_id) => record.locator(Locator::GithubPatGrant(grant_id)),
            None => record,
        });
    }

    fn add_deploy_key(&mut self, input: &FileInput, key: &DeployKey) {
        let Some(key_id) = key.id else {
            self.common.warn("deploy key without id; not read");
            return;
        };
        let url = non_empty(key.url.as_ref());
        let repository = match url.and_then(repository_of) {
            Some(repository) => repository,
            None => {
                self.common.warn(format!(
                    "deploy key {key_id}: url does not name its repository; recorded under {UNKNOWN_REPO}"
                ));
                UNKNOWN_REPO.to_string()
            }
        };
        let native_id = format!("github:deploy-key:{repository}:{key_id}");
        let credential_id = format!("deploy-key:{repository}:{key_id}");
        let locate = quoted(url.unwrap_or(&native_id));
        let title = non_empty(key.title.as_ref()).map(str::to_string);
        let label = match &title {
            Some(title) => format!("deploy key \"{title}\" ({key_id}) of {repository}"),
            None => format!("deploy key {key_id} of {repository}"),
        };
        let what = |field: &str| format!("deploy key {key_id} {field}");
        let created = self.created(key.created_at.as_ref(), &what("created_at"));
        let last_used = self.last_use(key.last_used.as_ref(), &what("last_used"));
        let disabled = key.enabled == Some(false);
        // The public key's fingerprint is also the credential's, so that a committed private
        // key is matched to the deploy key itself (and its state), not only to its identity.
        let fingerprint: Vec<String> = key
            .key
            .as_deref()
            .and_then(public_key_fingerprint)
            .into_iter()
            .collect();
        self.add_identity(
            IdentityRecord::new(
                system(),
                native_id.clone(),
                IdentityKind::Service,
                if disabled {
                    AccountState::Disabled
                } else {
                    AccountState::Enabled
                },
                Evidence::new(&input.rel, label.clone()).locate_by(&locate),
            )
            .aliases(fingerprint.clone())
            .display_name(title)
            .created(created)
            .owner(non_empty(key.added_by.as_ref()).map(str::to_string)),
        );
        self.add_credential({
            // Deploy keys cannot be replaced in place: a new key is a new key.
            CredentialRecord::new(
                system(),
                credential_id,
                CredentialKind::DeployKey,
                native_id.clone(),
                if disabled {
                    CredentialStatus::Inactive
                } else {
                    CredentialStatus::Active
                },
                Evidence::new(
                    &input.rel,
                    if disabled {
                        format!("{label}, disabled")
                    } else {
                        label.clone()
                    },
                )
                .locate_by(&locate),
            )
            .created(created)
            .last_used(last_used)
            .fingerprints(fingerprint)
        });
        let access = match key.read_only {
            Some(true) => "read",
            Some(false) => "write",
            None => {
                self.common.warn(format!(
                    "deploy key {key_id}: read_only is missing; read as write access"
                ));
                "write"
            }
        };
        self.add_grant(
            GrantRecord::new(
                system(),
                native_id,
                format!("repo:{repository} ({access})"),
                Evidence::new(&input.rel, format!("{label}, {access} access")).locate_by(&locate),
            )
            .holder_kind(IdentityKind::Service),
        );
    }

    fn add_installation(&mut self, input: &FileInput, installation: &Installation) {
        let Some(installation_id) = installation.id else {
            self.common.warn("app installation without id; not read");
            return;
        };
        let slug = non_empty(installation.app_slug.as_ref());
        // (identity, its aliases, the name reports use)
        let (app, aliases, app_name) = match (slug, installation.app_id) {
            (Some(slug), app_id) => (
                format!("github:app:{slug}"),
                app_id
                    .map(|id| format!("github:app:{id}"))
                    .into_iter()
                    .collect(),
                slug.to_string(),
            ),
            (None, Some(app_id)) => (
                format!("github:app:{app_id}"),
                Vec::new(),
                format!("app {app_id}"),
            ),
            (None, None) => {
                self.common.warn(format!(
                    "installation {installation_id} names neither app_slug nor app_id; not read"
                ));
                return;
            }
        };
        let account = match installation
            .account
            .as_ref()
            .map(|a| a.login.trim())
            .filter(|l| !l.is_empty())
        {
            Some(login) => login.to_string(),
            None => {
                self.common.warn(format!(
                    "installation {installation_id} names no account; recorded as {UNKNOWN_ACCOUNT}"
                ));
                UNKNOWN_ACCOUNT.to_string()
            }
        };
        let locate = quoted(
            non_empty(installation.access_tokens_url.as_ref())
                .or(non_empty(installation.html_url.as_ref()))
                .or(slug)
                .unwrap_or(&app),
        );
        self.add_identity(
            IdentityRecord::new(
                system(),
                app.clone(),
                IdentityKind::Service,
                AccountState::Enabled,
                Evidence::new(&input.rel, format!("GitHub App {app_name}")).locate_by(&locate),
            )
            .aliases(aliases)
            .display_name(Some(app_name.clone())),
        );
        let what = |field: &str| format!("installation {installation_id} {field}");
        let created = self.created(installation.created_at.as_ref(), &what("created_at"));
        // Suspension is a fact even when its date does not read.
        let suspended = non_empty(installation.suspended_at.as_ref());
        if let Some(text) = suspended {
            self.common.parse_time(text, &what("suspended_at"));
        }
        let label = format!("installation {installation_id} of {app_name} on {account}");
        let detail = match suspended {
            Some(at) => format!("{label}, suspended since {at}"),
            None => label.clone(),
        };
        self.add_credential({
            // Installations have no last-use time in the API.
            CredentialRecord::new(
                system(),
                format!("installation:{installation_id}"),
                CredentialKind::AppInstallation,
                app.clone(),
                if suspended.is_some() {
                    CredentialStatus::Inactive
                } else {
                    CredentialStatus::Active
                },
                Evidence::new(&input.rel, detail.clone()).locate_by(&locate),
            )
            .created(created)
        });
        let selection = non_empty(installation.repository_selection.as_ref()).unwrap_or("unknown");
        self.add_grant(
            GrantRecord::new(
                system(),
                app,
                format!(
                    "installation {installation_id} on {account} ({selection}): {}",
                    write_permissions(installation)
                ),
                Evidence::new(&input.rel, detail).locate_by(&locate),
            )
            .holder_kind(IdentityKind::Service),
        );
    }

    fn finish(self) -> (Records, Assembly) {
        let records = Records {
            identities: self.identities.into_values().collect(),
            credentials: self.credentials.into_values().collect(),
            grants: self.grants.into_values().collect(),
            usages: Vec::new(),
            provisions: Vec::new(),
        };
        (records, self.common)
    }
}

/// `PERMISSION=LEVEL,…` for the permissions that change something (write, admin), sorted;
/// `read-only` when there are none.
fn write_permissions(installation: &Installation) -> String {
    let writes: Vec<String> = installation
        .permissions
        .iter()
        .filter(|(_, level)| matches!(level.as_str(), "write" | "admin"))
        .map(|(permission, level)| format!("{permission}={level}"))
        .collect();
    if writes.is_empty() {
        "read-only".to_string()
    } else {
        writes.join(",")
    }
}

#[cfg(test)]
mod tests {
    use std::path::PathBuf;

    use super::super::model::Account;
    use super::*;

    /// The family's assembly on its own, with the warnings it gave.
    fn assemble(files: Vec<(FileInput, GithubFile)>) -> (Records, Vec<(String, String)>) {
        Assembly::alone(super::assemble, files)
    }

    /// A real ed25519 public key (generated for these tests; its private half was discarded).
    const ED25519: &str =
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIMhfORM5w8qfiP7NOfL1UvL22GlrCKXoAIK5wTDu/MKd";

    fn input() -> FileInput {
        FileInput {
            path: PathBuf::from("gh.json"),
            rel: "gh.json".into(),
            size: 0,
        }
    }

    #[test]
    fn repositories_come_from_key_urls() {
        assert_eq!(
            repository_of("https://api.github.com/repos/octocat/Hello-World/keys/1").as_deref(),
            Some("octocat/Hello-World")
        );
        assert_eq!(
            repository_of("https://ghe.example.com/api/v3/repos/o/r/keys/7").as_deref(),
            Some("o/r")
        );
        assert_eq!(repository_of("https://api.github.com/user/keys/1"), None);
        assert_eq!(repository_of("https://api.github.com/repos/o"), None);
    }

    #[test]
    fn fingerprints_only_well_formed_public_keys() {
        let fingerprint = public_key_fingerprint(ED25519).unwrap();
        // `sha256sum` of the base64-decoded blob.
        assert_eq!(
            fingerprint,
            "sha256:d73982e1135be60da843d015d56fdcec6c1e575c1765503fab8579f62bbe5973"
        );
        // The same blob with a comment has the same fingerprint.
        assert_eq!(
            public_key_fingerprint(&format!("{ED25519} ci@host")),
            Some(fingerprint)
        );
        // The docs' placeholder, a blob naming another algorithm, truncated input.
        assert_eq!(public_key_fingerprint("ssh-rsa AAA..."), None);
        assert_eq!(
            public_key_fingerprint(&ED25519.replace("ssh-ed25519", "ssh-rsa")),
            None
        );
        assert_eq!(public_key_fingerprint("ssh-ed25519 AAAA"), None);
        assert_eq!(public_key_fingerprint(""), None);
    }

    #[test]
    fn pat_fields_distinguish_null_from_absent() {
        let grant = |last_used: Option<Option<String>>, expires: Option<Option<String>>| PatGrant {
            id: Some(7),
            owner: Some(Account {
                login: "bot".into(),
                account_type: Some("Bot".into()),
            }),
            token_id: Some(99),
            token_last_used_at: last_used,
            token_expires_at: expires,
            access_granted_at: Some("2023-05-16T08:47:09.000-07:00".into()),
            ..PatGrant::default()
        };
        let (records, _) = assemble(vec![(
            input(),
            GithubFile::FineGrainedPats(vec![grant(Some(None), Some(None))]),
        )]);
        let pat = &records.credentials[0];
        assert_eq!(pat.id, "pat:99");
        assert_eq!(pat.last_used, LastUse::Never);
        assert_eq!(pat.expires, Expiry::Never);
        assert_eq!(pat.created, Some("2023-05-16T15:47:09Z".parse().unwrap()));
        assert_eq!(records.identities[0].kind, IdentityKind::Service);
        let (records, _) = assemble(vec![(
            input(),
            GithubFile::FineGrainedPats(vec![grant(None, None)]),
        )]);
        assert_eq!(records.credentials[0].last_used, LastUse::Unknown);
        assert_eq!(records.credentials[0].expires, Expiry::NotApplicable);
    }

    #[test]
    fn installation_grants_list_write_permissions_only() {
        let mut installation = Installation {
            id: Some(3),
            app_id: Some(12),
            app_slug: Some("renovate".into()),
            account: Some(Account {
                login: "example-org".into(),
                account_type: Some("Organization".into()),
            }),
            repository_selection: Some("all".into()),
            suspended_at: Some("2026-03-02T10:00:00Z".into()),
            ..Installation::default()
        };
        installation.permissions = [
            ("metadata", "read"),
            ("contents", "write"),
            ("administration", "admin"),
        ]
        .into_iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect();
        let (records, warnings) = assemble(vec![(
            input(),
            GithubFile::Installations {
                installations: vec![installation],
                total_count: None,
            },
        )]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(
            records.grants[0].privilege,
            "installation 3 on example-org (all): administration=admin,contents=write"
        );
        assert_eq!(records.identities[0].native_id, "github:app:renovate");
        assert_eq!(records.identities[0].aliases, vec!["github:app:12"]);
        assert_eq!(records.credentials[0].status, CredentialStatus::Inactive);
    }
}
