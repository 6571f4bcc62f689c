//! Vault / OpenBao file audit device logs, streamed: one JSON object per line, read line by line
//! into a reused buffer and deserialized into borrowed fields, so that memory grows with the
//! number of distinct subjects (who acted, through which plain accessor), never with the length
//! of the log.
//!
//! Tokens and accessors are HMAC'd by the device (`hmac-sha256:…`), so use is joined to
//! identities through what is not: the login role, AppRole's `role_name` or the `role` that JWT/
//! OIDC, Kubernetes, GCP, Azure and AWS logins put in the token's metadata (with the mount of a
//! login path, or the token's `display_name`: the mount path with `/` → `-`, followed for those
//! other methods by `-` and the login's alias name), Kubernetes service-account metadata (a
//! Kubernetes login is a use of its role and of its service account), the entity ID, the root
//! display name, and accessors left plain by `hmac_accessor=false`. Uses by people (auth metadata
//! with a `username` and no role) are not recorded.

use std::borrow::Cow;
use std::collections::HashMap;
use std::io::BufRead;

use jiff::Timestamp;
use serde::de::IgnoredAny;
use serde::Deserialize;

use super::audit_secrets::{
    url_password, AuditSecret, AuditSecretKind, DataValues, SecretCollector,
};
use super::path::{login_mount, role_of_path};
use crate::sources::leak::SecretField;
use crate::time::parse_timestamp;

/// How many malformed lines are named in the warning (all are counted).
const MALFORMED_EXAMPLES: usize = 5;

/// Prefix of every value the audit device hashes.
const HMAC_PREFIX: &str = crate::sources::leak::HMAC_PREFIX;

/// Where the mount of a login role was read.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum MountHint {
    /// From the login request path `auth/MOUNT/login`: exact.
    LoginPath(String),
    /// From the token's display name: the mount path with `/` replaced by `-` (ambiguous for
    /// nested mounts; resolved against the mounts the export knows). AppRole's.
    DisplayName(String),
    /// From the token's display name, which is the mount path (`/` → `-`), `-` and the login's
    /// alias name (`jwt-repo:org/app:ref:main`, `kubernetes-web-frontend`): JWT/OIDC, Kubernetes
    /// and the other methods whose metadata holds `role`. Resolved against the mounts the export
    /// knows, the longest that fits; without one, up to the first `-`.
    DisplayNamePrefix(String),
}

/// Who acted, as far as the entry tells without its HMAC'd values.
#[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum AuditSubject {
    Role {
        mount: MountHint,
        role: String,
    },
    ServiceAccount {
        namespace: String,
        name: String,
    },
    Entity(String),
    Root,
    /// Nothing but a plain accessor names the token.
    Token,
}

/// The latest use of one subject (through one plain accessor, when the log shows it).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct AuditUse {
    pub subject: AuditSubject,
    pub accessor: Option<String>,
    pub at: Timestamp,
    /// The 1-based line of that latest entry.
    pub line: u64,
}

/// What a log held, once read.
#[derive(Debug, Clone, Default)]
pub struct AuditSummary {
    /// Sorted by subject and accessor.
    pub uses: Vec<AuditUse>,
    /// The time of the first entry: the log covers what happened after it.
    pub first_time: Option<Timestamp>,
    /// The time of the last entry: the log covers what happened before it.
    pub last_time: Option<Timestamp>,
    /// Whether any accessor was written in plain (the device has `hmac_accessor=false`), so that a
    /// token's accessor missing from the log means the token was not used.
    pub plain_accessors: bool,
    pub lines: u64,
    pub entries: u64,
    pub bytes: u64,
    pub malformed: u64,
    /// The first few malformed lines, with why.
    pub malformed_examples: Vec<(u64, String)>,
    /// Secret material written in plain (`log_raw`), each distinct value once.
    pub secrets: Vec<AuditSecret>,
    /// Why some plain-text values are not listed one by one, when they are not.
    pub secrets_warning: Option<String>,
}

impl AuditSummary {
    /// The file's warnings: malformed lines, counted and named; plain-text values past the cap.
    pub fn warnings(&self) -> Vec<String> {
        let mut warnings: Vec<String> = self.secrets_warning.iter().cloned().collect();
        if self.malformed == 0 {
            return warnings;
        }
        let named: Vec<String> = self
            .malformed_examples
            .iter()
            .map(|(line, why)| format!("line {line}: {why}"))
            .collect();
        let more = if self.malformed > self.malformed_examples.len() as u64 {
            ", …"
        } else {
            ""
        };
        warnings.insert(
            0,
            format!(
                "{} malformed audit line(s) skipped ({}{more}); the rest of the log was read",
                self.malformed,
                named.join("; ")
            ),
        );
        warnings
    }
}

/// One audit entry; everything not named here is skipped by the deserializer without being
/// kept. Tokens and data values are read only to judge whether they were written in plain
/// (`audit_secrets.rs`); a hashed value, the normal case, costs a prefix comparison.
#[derive(Deserialize)]
struct Entry<'a> {
    #[serde(borrow, rename = "type", default)]
    kind: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    time: Option<Cow<'a, str>>,
    #[serde(borrow, default)]
    auth: Option<EntryAuth<'a>>,
    #[serde(borrow, default)]
    request: Option<EntryRequest<'a>>,
    #[serde(borrow, default)]
    response: Option<EntryResponse<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EntryAuth<'a> {
    client_token: SecretField,
    #[serde(borrow)]
    display_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    accessor: Option<Cow<'a, str>>,
    #[serde(borrow)]
    entity_id: Option<Cow<'a, str>>,
    #[serde(borrow)]
    metadata: Option<EntryMetadata<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EntryResponse<'a> {
    #[serde(borrow)]
    auth: Option<EntryAuth<'a>>,
    #[serde(borrow)]
    data: Option<DataValues<'a>>,
    #[serde(borrow)]
    wrap_info: Option<WrapInfo<'a>>,
    #[serde(borrow)]
    secret: Option<LeaseInfo<'a>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct WrapInfo<'a> {
    token: SecretField,
    #[serde(borrow)]
    accessor: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct LeaseInfo<'a> {
    #[serde(borrow)]
    lease_id: Option<Cow<'a, str>>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EntryMetadata<'a> {
    /// AppRole's.
    #[serde(borrow)]
    role_name: Option<Cow<'a, str>>,
    /// JWT/OIDC, Kubernetes, GCP, Azure, AWS and other methods' login role.
    #[serde(borrow)]
    role: Option<Cow<'a, str>>,
    #[serde(borrow)]
    service_account_name: Option<Cow<'a, str>>,
    #[serde(borrow)]
    service_account_namespace: Option<Cow<'a, str>>,
    username: Option<IgnoredAny>,
}

#[derive(Deserialize, Default)]
#[serde(default)]
struct EntryRequest<'a> {
    #[serde(borrow)]
    path: Option<Cow<'a, str>>,
    client_token: SecretField,
    #[serde(borrow)]
    client_token_accessor: Option<Cow<'a, str>>,
    #[serde(borrow)]
    data: Option<DataValues<'a>>,
}

/// A present, non-empty value.
fn text<'s>(value: &'s Option<Cow<'_, str>>) -> Option<&'s str> {
    value.as_deref().filter(|v| !v.is_empty())
}

/// A value the device did not hash.
fn plain<'s>(value: &'s Option<Cow<'_, str>>) -> Option<&'s str> {
    text(value).filter(|v| !v.starts_with(HMAC_PREFIX))
}

/// A subject as borrowed from the entry, before it is known whether it is new.
enum SubjectRef<'e> {
    Role {
        login_mount: Option<String>,
        display_name: &'e str,
        /// The display name is the mount followed by the alias name (not AppRole).
        display_prefix: bool,
        role: &'e str,
    },
    ServiceAccount {
        namespace: &'e str,
        name: &'e str,
    },
    Entity(&'e str),
    Root,
    Token,
}

impl SubjectRef<'_> {
    /// Writes the lookup key: a tag and the fields, NUL-separated.
    fn write_key(&self, key: &mut String) {
        match self {
            SubjectRef::Role {
                login_mount: Some(mount),
                role,
                ..
            } => push_all(key, &["R", mount, role]),
            SubjectRef::Role {
                login_mount: None,
                display_name,
                display_prefix,
                role,
            } => push_all(
                key,
                &[if *display_prefix { "P" } else { "D" }, display_name, role],
            ),
            SubjectRef::ServiceAccount { namespace, name } => {
                push_all(key, &["S", namespace, name])
            }
            SubjectRef::Entity(id) => push_all(key, &["E", id]),
            SubjectRef::Root => key.push('O'),
            SubjectRef::Token => key.push('T'),
        }
    }

    fn to_owned(&self) -> AuditSubject {
        match self {
            SubjectRef::Role {
                login_mount,
                display_name,
                display_prefix,
                role,
            } => AuditSubject::Role {
                mount: match login_mount {
                    Some(mount) => MountHint::LoginPath(mount.clone()),
                    None if *display_prefix => {
                        MountHint::DisplayNamePrefix(display_name.to_string())
                    }
                    None => MountHint::DisplayName(display_name.to_string()),
                },
                role: role.to_string(),
            },
            SubjectRef::ServiceAccount { namespace, name } => AuditSubject::ServiceAccount {
                namespace: namespace.to_string(),
                name: name.to_string(),
            },
            SubjectRef::Entity(id) => AuditSubject::Entity(id.to_string()),
            SubjectRef::Root => AuditSubject::Root,
            SubjectRef::Token => AuditSubject::Token,
        }
    }
}

fn push_all(key: &mut String, parts: &[&str]) {
    for (i, part) in parts.iter().enumerate() {
        if i > 0 {
            key.push('\0');
        }
        key.push_str(part);
    }
}

/// Who acted in an entry, in the same order as token holders are chosen.
fn subject_of<'e>(
    auth: &'e EntryAuth<'_>,
    request: Option<&'e EntryRequest<'_>>,
    accessor: Option<&str>,
) -> Option<SubjectRef<'e>> {
    let metadata = auth.metadata.as_ref();
    let approle = metadata.and_then(|m| text(&m.role_name));
    let other = metadata.and_then(|m| text(&m.role));
    if let Some(role) = approle.or(other) {
        let login_mount = request.and_then(|r| text(&r.path)).and_then(login_mount);
        let display_name = text(&auth.display_name).unwrap_or("");
        // AppRole's default mount stands in for a missing display name; another method's role
        // without a mount to place it under is not attributed (its service account or entity is).
        if approle.is_some() || login_mount.is_some() || !display_name.is_empty() {
            return Some(SubjectRef::Role {
                login_mount,
                display_name,
                display_prefix: approle.is_none(),
                role,
            });
        }
    }
    if let Some(subject) = service_account_of(auth) {
        return Some(subject);
    }
    if let Some(m) = metadata {
        if m.username.is_some() {
            return None;
        }
    }
    if let Some(entity) = text(&auth.entity_id) {
        return Some(SubjectRef::Entity(entity));
    }
    if text(&auth.display_name) == Some("root") {
        return Some(SubjectRef::Root);
    }
    accessor.map(|_| SubjectRef::Token)
}

/// The Kubernetes service account a login's metadata names.
fn service_account_of<'e>(auth: &'e EntryAuth<'_>) -> Option<SubjectRef<'e>> {
    let m = auth.metadata.as_ref()?;
    Some(SubjectRef::ServiceAccount {
        namespace: text(&m.service_account_namespace)?,
        name: text(&m.service_account_name)?,
    })
}

/// The latest use of a subject while reading: the time as written, and its line.
#[derive(Debug)]
struct Pending {
    subject: AuditSubject,
    accessor: Option<String>,
    time: String,
    line: u64,
}

/// Vault writes `time` in UTC with a fixed layout (`2026-05-20T10:15:00.123456789Z`); two such
/// texts of equal length compare as their instants do, so no parsing is needed for them.
fn fixed_utc_layout(time: &str) -> bool {
    let b = time.as_bytes();
    b.len() >= 20
        && b[b.len() - 1] == b'Z'
        && b[4] == b'-'
        && b[7] == b'-'
        && b[10] == b'T'
        && b[13] == b':'
        && b[16] == b':'
        && [0, 1, 2, 3, 5, 6, 8, 9, 11, 12, 14, 15, 17, 18]
            .iter()
            .all(|&i| b[i].is_ascii_digit())
        && in_range(b[5], b[6], 1, 12)
        && in_range(b[8], b[9], 1, 31)
        && in_range(b[11], b[12], 0, 23)
        && in_range(b[14], b[15], 0, 59)
        && in_range(b[17], b[18], 0, 60)
}

fn in_range(tens: u8, units: u8, min: u8, max: u8) -> bool {
    let value = (tens - b'0') * 10 + (units - b'0');
    (min..=max).contains(&value)
}

/// Whether `new` is later than `old`; both were validated, so a text that still does not parse
/// (a layout-valid month 13) is never later.
fn is_later(new: &str, old: &str) -> bool {
    if new.len() == old.len() && fixed_utc_layout(new) && fixed_utc_layout(old) {
        return new > old;
    }
    match (parse_timestamp(new), parse_timestamp(old)) {
        (Ok(new_at), Ok(old_at)) => new_at > old_at,
        (Ok(_), Err(_)) => true,
        (Err(_), _) => false,
    }
}

fn validate_time(time: &str) -> Result<(), String> {
    if fixed_utc_layout(time) {
        return Ok(());
    }
    parse_timestamp(time).map(|_| ()).map_err(|e| e.to_string())
}

/// Reads audit entries one at a time and keeps the latest use per subject.
#[derive(Debug, Default)]
pub struct AuditScanner {
    index: HashMap<String, usize>,
    /// The mount each display name logged in through (from login entries), to place the roles
    /// of later requests whose display name is `MOUNT-ALIAS`.
    login_mounts: HashMap<String, String>,
    pending: Vec<Pending>,
    key: String,
    first_time: Option<String>,
    last_time: String,
    plain_accessors: bool,
    lines: u64,
    entries: u64,
    bytes: u64,
    malformed: u64,
    malformed_examples: Vec<(u64, String)>,
    secrets: SecretCollector,
}

impl AuditScanner {
    pub fn new() -> Self {
        Self::default()
    }

    fn malformed(&mut self, line: u64, why: String) {
        self.malformed += 1;
        if self.malformed_examples.len() < MALFORMED_EXAMPLES {
            self.malformed_examples.push((line, why));
        }
    }

    /// Reads one entry (one line of the log, without or with its line break).
    pub fn entry(&mut self, line: u64, bytes: &[u8]) {
        self.lines = self.lines.max(line);
        let trimmed = bytes.trim_ascii();
        if trimmed.is_empty() {
            return;
        }
        let entry: Entry = match serde_json::from_slice(trimmed) {
            Ok(entry) => entry,
            Err(e) => return self.malformed(line, e.to_string()),
        };
        let (Some(time), Some(_)) = (text(&entry.time), text(&entry.kind)) else {
            return self.malformed(line, "not an audit entry (no `time` or `type`)".into());
        };
        if let Err(why) = validate_time(time) {
            return self.malformed(line, why);
        }
        if self.first_time.is_none() {
            self.first_time = Some(time.to_string());
        }
        self.last_time.clear();
        self.last_time.push_str(time);
        self.entries += 1;
        self.collect_secrets(&entry, line);
        let Some(auth) = entry.auth.as_ref() else {
            return;
        };
        let request = entry.request.as_ref();
        let accessor =
            plain(&auth.accessor).or_else(|| request.and_then(|r| plain(&r.client_token_accessor)));
        let Some(subject) = subject_of(auth, request, accessor) else {
            return;
        };
        self.plain_accessors |= accessor.is_some();
        // A Kubernetes login with a role is a use of the role and of the service account.
        let service_account = match &subject {
            SubjectRef::Role {
                login_mount,
                display_name,
                display_prefix: true,
                ..
            } => {
                if let Some(mount) = login_mount.as_ref().filter(|_| !display_name.is_empty()) {
                    if !self.login_mounts.contains_key(*display_name) {
                        self.login_mounts
                            .insert(display_name.to_string(), mount.clone());
                    }
                }
                service_account_of(auth)
            }
            SubjectRef::Role { .. } => service_account_of(auth),
            _ => None,
        };
        self.record(subject, accessor, time, line);
        if let Some(service_account) = service_account {
            self.record(service_account, accessor, time, line);
        }
    }

    /// Keeps `time` as the subject's latest use through `accessor` when it is later.
    fn record(&mut self, subject: SubjectRef<'_>, accessor: Option<&str>, time: &str, line: u64) {
        self.key.clear();
        subject.write_key(&mut self.key);
        self.key.push('\0');
        self.key.push_str(accessor.unwrap_or(""));
        match self.index.get(self.key.as_str()) {
            Some(&i) => {
                let latest = &mut self.pending[i];
                if is_later(time, &latest.time) {
                    latest.time.clear();
                    latest.time.push_str(time);
                    latest.line = line;
                }
            }
            None => {
                self.index.insert(self.key.clone(), self.pending.len());
                self.pending.push(Pending {
                    subject: subject.to_owned(),
                    accessor: accessor.map(str::to_string),
                    time: time.to_string(),
                    line,
                });
            }
        }
    }

    /// Keeps the secret material an entry holds in plain (see `audit_secrets.rs`), each value
    /// with what the entry names for it.
    fn collect_secrets(&mut self, entry: &Entry<'_>, line: u64) {
        let request = entry.request.as_ref();
        let response = entry.response.as_ref();
        let path = request.and_then(|r| text(&r.path)).unwrap_or("");
        // The token a request was made with (the same in `auth` and `request`), then the token a
        // login response issued.
        let used = [
            (entry.auth.as_ref(), "auth.client_token"),
            (
                response.and_then(|r| r.auth.as_ref()),
                "response.auth.client_token",
            ),
        ];
        for (auth, field) in used {
            let Some(auth) = auth else { continue };
            let accessor = plain(&auth.accessor)
                .or_else(|| request.and_then(|r| plain(&r.client_token_accessor)));
            let describe = || {
                let subject = subject_of(auth, request, accessor).map(|s| s.to_owned());
                (
                    field.to_string(),
                    subject,
                    accessor.map(str::to_string).into_iter().collect(),
                )
            };
            self.secrets.found(
                AuditSecretKind::Token,
                auth.client_token,
                describe,
                line,
                path,
            );
        }
        if let Some(request) = request {
            let accessor = plain(&request.client_token_accessor);
            let auth = entry.auth.as_ref();
            let describe = || {
                let subject = auth
                    .and_then(|auth| subject_of(auth, Some(request), accessor))
                    .map(|s| s.to_owned());
                (
                    "request.client_token".to_string(),
                    subject,
                    accessor.map(str::to_string).into_iter().collect(),
                )
            };
            self.secrets.found(
                AuditSecretKind::Token,
                request.client_token,
                describe,
                line,
                path,
            );
        }
        if let Some(wrap) = response.and_then(|r| r.wrap_info.as_ref()) {
            let describe = || {
                let ids = plain(&wrap.accessor)
                    .map(str::to_string)
                    .into_iter()
                    .collect();
                ("response.wrap_info.token".to_string(), None, ids)
            };
            self.secrets
                .found(AuditSecretKind::Token, wrap.token, describe, line, path);
        }
        let lease = response
            .and_then(|r| r.secret.as_ref())
            .and_then(|s| plain(&s.lease_id));
        let login_auth = response.and_then(|r| r.auth.as_ref());
        let data = [
            (request.and_then(|r| r.data.as_ref()), "request.data"),
            (response.and_then(|r| r.data.as_ref()), "response.data"),
        ];
        for (values, place) in data {
            let Some(values) = values else { continue };
            for (key, value) in &values.0 {
                let name = key.rsplit('.').next().unwrap_or(key);
                let (kind, secret) = match name {
                    "secret_id" => (AuditSecretKind::SecretId, SecretField::of(value)),
                    "password" => (AuditSecretKind::Password, SecretField::of(value)),
                    "role_id" | "secret_id_accessor" => continue,
                    _ => match url_password(value) {
                        Some(password) => (AuditSecretKind::Password, SecretField::of(password)),
                        None => continue,
                    },
                };
                let describe = || {
                    let mut ids = Vec::new();
                    let mut subject = None;
                    if kind == AuditSecretKind::SecretId {
                        // A secret ID is joined by its accessor (a credential of the export),
                        // its role ID (an alias of its role) and the role the path names.
                        ids.extend(values.get("secret_id_accessor").map(str::to_string));
                        ids.extend(values.get("role_id").map(str::to_string));
                        ids.extend(role_of_path(path));
                        subject = login_auth
                            .and_then(|auth| subject_of(auth, request, None))
                            .map(|s| s.to_owned());
                    }
                    // A database credential: its lease (and the role the lease names).
                    ids.extend(lease.map(str::to_string));
                    (format!("{place}.{key}"), subject, ids)
                };
                self.secrets.found(kind, secret, describe, line, path);
            }
        }
    }

    /// Parses each kept time once and sorts the uses.
    pub fn finish(self) -> AuditSummary {
        let mut malformed = self.malformed;
        let mut malformed_examples = self.malformed_examples;
        let mut uses = Vec::with_capacity(self.pending.len());
        for pending in self.pending {
            // The fast layout check lets through a day the month lacks (February 30); such a
            // latest time is reported, not guessed.
            match parse_timestamp(&pending.time) {
                Ok(at) => uses.push(AuditUse {
                    subject: pending.subject,
                    accessor: pending.accessor,
                    at,
                    line: pending.line,
                }),
                Err(e) => {
                    malformed += 1;
                    if malformed_examples.len() < MALFORMED_EXAMPLES {
                        malformed_examples.push((pending.line, e.to_string()));
                    }
                }
            }
        }
        malformed_examples.sort();
        // A role known by its token's display name is placed under the mount that display name
        // logged in through, when the log holds that login; the two are then one subject, at
        // its latest use.
        for audit_use in &mut uses {
            if let AuditSubject::Role {
                mount: mount @ MountHint::DisplayNamePrefix(_),
                ..
            } = &mut audit_use.subject
            {
                let MountHint::DisplayNamePrefix(display_name) = &*mount else {
                    continue;
                };
                if let Some(login) = self.login_mounts.get(display_name) {
                    *mount = MountHint::LoginPath(login.clone());
                }
            }
        }
        uses.sort_by(|a, b| {
            (&a.subject, &a.accessor, b.at, a.line).cmp(&(&b.subject, &b.accessor, a.at, b.line))
        });
        uses.dedup_by(|later, kept| {
            later.subject == kept.subject && later.accessor == kept.accessor
        });
        AuditSummary {
            uses,
            first_time: self.first_time.and_then(|t| parse_timestamp(&t).ok()),
            last_time: parse_timestamp(&self.last_time).ok(),
            plain_accessors: self.plain_accessors,
            lines: self.lines,
            entries: self.entries,
            bytes: self.bytes,
            malformed,
            malformed_examples,
            secrets_warning: self.secrets.warning(),
            secrets: self.secrets.secrets,
        }
    }
}

/// Streams a JSON-lines audit log.
pub fn read_lines<R: BufRead>(mut reader: R) -> std::io::Result<AuditSummary> {
    let mut scanner = AuditScanner::new();
    let mut buffer = Vec::with_capacity(16 * 1024);
    let mut line = 0u64;
    // Lines are bounded: the log is exempt from the file size limit, its records are not.
    use crate::discover::lines::{read_record, too_long_message, Record, MAX_RECORD_BYTES};
    while let Some(record) = read_record(&mut reader, &mut buffer, MAX_RECORD_BYTES)? {
        line += 1;
        match record {
            Record::Line { bytes } => {
                scanner.bytes += bytes;
                scanner.entry(line, &buffer);
            }
            Record::TooLong { bytes } => {
                scanner.bytes += bytes;
                scanner.lines = scanner.lines.max(line);
                scanner.malformed(line, too_long_message(bytes));
            }
        }
    }
    Ok(scanner.finish())
}

/// Reads audit entries written as whole JSON documents (pretty-printed, one or several), each
/// attributed to the line it starts on.
pub fn read_documents(bytes: &[u8]) -> AuditSummary {
    let mut scanner = AuditScanner::new();
    scanner.bytes = bytes.len() as u64;
    let mut stream = serde_json::Deserializer::from_slice(bytes).into_iter::<IgnoredAny>();
    let mut start = 0usize;
    let line_of = |offset: usize| {
        1 + memchr::memchr_iter(b'\n', bytes.get(..offset).unwrap_or(bytes)).count() as u64
    };
    loop {
        match stream.next() {
            Some(Ok(_)) => {
                let end = stream.byte_offset();
                let Some(document) = bytes.get(start..end) else {
                    break;
                };
                let leading = document
                    .iter()
                    .position(|b| !b.is_ascii_whitespace())
                    .unwrap_or(0);
                scanner.entry(line_of(start + leading), document);
                start = end;
            }
            Some(Err(e)) => {
                scanner.malformed(e.line() as u64, e.to_string());
                break;
            }
            None => break,
        }
    }
    scanner.lines = 1 + memchr::memchr_iter(b'\n', bytes).count() as u64;
    scanner.finish()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> AuditSummary {
        read_lines(text.as_bytes()).unwrap()
    }

    const LOGIN: &str = r#"{"time":"2026-05-20T10:00:00.000000001Z","type":"response","auth":{"client_token":"hmac-sha256:aa","accessor":"hmac-sha256:bb","display_name":"approle","metadata":{"role_name":"ci-legacy"},"entity_id":"e-1"},"request":{"path":"auth/approle-ci/login","client_token_accessor":""}}"#;
    const USE: &str = r#"{"time":"2026-05-20T11:00:00.000000002Z","type":"request","auth":{"accessor":"hmac-sha256:bb","display_name":"approle","metadata":{"role_name":"ci-legacy"}},"request":{"path":"secret/data/ci","data":{"x":"hmac-sha256:cc"}}}"#;

    #[test]
    fn latest_use_per_subject_with_its_line() {
        let log = format!("{LOGIN}\n{USE}\n{LOGIN}\n");
        let summary = read(&log);
        assert_eq!(summary.entries, 3);
        assert_eq!(summary.uses.len(), 2, "{:?}", summary.uses);
        let login = &summary.uses[0];
        assert_eq!(
            login.subject,
            AuditSubject::Role {
                mount: MountHint::LoginPath("approle-ci".into()),
                role: "ci-legacy".into()
            }
        );
        // The same login twice: the later line of equal time is not "later".
        assert_eq!(login.line, 1);
        let by_name = &summary.uses[1];
        assert_eq!(
            by_name.subject,
            AuditSubject::Role {
                mount: MountHint::DisplayName("approle".into()),
                role: "ci-legacy".into()
            }
        );
        assert_eq!(
            crate::time::format_rfc3339(by_name.at),
            "2026-05-20T11:00:00Z"
        );
        assert!(!summary.plain_accessors);
        assert_eq!(
            crate::time::format_rfc3339(summary.first_time.unwrap()),
            "2026-05-20T10:00:00Z"
        );
    }

    #[test]
    fn out_of_order_and_offset_times_compare_as_instants() {
        let log = concat!(
            r#"{"time":"2026-11-24T10:00:00.5Z","type":"request","auth":{"display_name":"root"}}"#,
            "\n",
            r#"{"time":"2026-11-24T09:00:00Z","type":"request","auth":{"display_name":"root"}}"#,
            "\n",
            r#"{"time":"2026-11-24T11:30:00+01:00","type":"request","auth":{"display_name":"root"}}"#,
            "\n",
        );
        let summary = read(log);
        assert_eq!(summary.uses.len(), 1);
        assert_eq!(summary.uses[0].subject, AuditSubject::Root);
        assert_eq!(summary.uses[0].line, 3);
        assert_eq!(
            crate::time::format_rfc3339(summary.uses[0].at),
            "2026-11-24T10:30:00Z"
        );
    }

    #[test]
    fn plain_accessors_kubernetes_entities_and_people() {
        let log = concat!(
            r#"{"time":"2026-11-24T10:00:00Z","type":"request","auth":{"accessor":"4f1c0de5-0000-4000-8000-00000000abcd","display_name":"token"}}"#,
            "\n",
            r#"{"time":"2026-11-24T10:00:01Z","type":"request","auth":{"metadata":{"role":"web","service_account_name":"frontend","service_account_namespace":"web"}}}"#,
            "\n",
            r#"{"time":"2026-11-24T10:00:02Z","type":"request","auth":{"entity_id":"7d2e3179","metadata":{"username":"tesla"}}}"#,
            "\n",
            r#"{"time":"2026-11-24T10:00:03Z","type":"request","auth":{"entity_id":"8e3f"}}"#,
            "\n",
            r#"{"time":"2026-11-24T10:00:04Z","type":"request","request":{"path":"sys/health"}}"#,
            "\n",
        );
        let summary = read(log);
        assert!(summary.plain_accessors);
        let subjects: Vec<(&AuditSubject, Option<&str>)> = summary
            .uses
            .iter()
            .map(|u| (&u.subject, u.accessor.as_deref()))
            .collect();
        assert_eq!(
            subjects,
            vec![
                (
                    &AuditSubject::ServiceAccount {
                        namespace: "web".into(),
                        name: "frontend".into()
                    },
                    None
                ),
                (&AuditSubject::Entity("8e3f".into()), None),
                (
                    &AuditSubject::Token,
                    Some("4f1c0de5-0000-4000-8000-00000000abcd")
                ),
            ]
        );
        assert_eq!(summary.entries, 5);
    }

    /// Issue 15: logins through JWT/OIDC, Kubernetes and the other methods that put the role in
    /// `auth.metadata.role` were not attributed to their role. Lines of the shape Vault 1.17
    /// writes (a Terraform Cloud JWT login, then requests by its token; a Kubernetes login on a
    /// mount named after its cluster, then a read), with their values HMAC'd.
    #[test]
    fn roles_in_metadata_are_attributed_like_approle_logins() {
        let log = concat!(
            r#"{"auth":{"accessor":"hmac-sha256:a1","client_token":"hmac-sha256:c1","display_name":"jwt-organization:acme:project:infra:workspace:net","entity_id":"c67ec5d4","metadata":{"role":"tfc-role"},"policies":["default","tfc-policy"],"token_type":"service"},"request":{"data":{"jwt":"hmac-sha256:j1","role":"hmac-sha256:r1"},"mount_point":"auth/jwt/","mount_type":"jwt","operation":"update","path":"auth/jwt/login"},"response":{"auth":{"accessor":"hmac-sha256:a1","client_token":"hmac-sha256:c1","display_name":"jwt-organization:acme:project:infra:workspace:net","metadata":{"role":"tfc-role"}}},"time":"2024-08-15T13:15:03.516989693Z","type":"response"}"#,
            "
",
            r#"{"auth":{"accessor":"hmac-sha256:a1","client_token":"hmac-sha256:c1","display_name":"jwt-organization:acme:project:infra:workspace:net","entity_id":"c67ec5d4","metadata":{"role":"tfc-role"}},"request":{"client_token":"hmac-sha256:c1","mount_point":"secret/","operation":"read","path":"secret/data/s3"},"time":"2024-08-15T13:15:15.135181832Z","type":"request"}"#,
            "
",
            r#"{"time":"2021-01-04T16:10:45.881794702Z","type":"response","auth":{"client_token":"hmac-sha256:97","accessor":"hmac-sha256:03","display_name":"gke-useast1-retail-app1","metadata":{"role":"retail-app1-template","service_account_name":"app1","service_account_namespace":"retail","service_account_secret_name":"app1-token-x4npd","service_account_uid":"c0fed346"},"entity_id":"6021bd59","token_type":"service"},"request":{"operation":"update","mount_type":"kubernetes","path":"auth/gke-useast1/login"}}"#,
            "
",
            r#"{"time":"2021-01-04T16:13:40.21441436Z","type":"response","auth":{"client_token":"hmac-sha256:97","accessor":"hmac-sha256:03","display_name":"gke-useast1-retail-app1","metadata":{"role":"retail-app1-template","service_account_name":"app1","service_account_namespace":"retail"},"entity_id":"6021bd59"},"request":{"operation":"read","mount_type":"kv","path":"kv/retail/app1"}}"#,
            "
",
            // A token of a role whose login is not in this log: placed by its display name.
            r#"{"time":"2024-08-16T09:00:00Z","type":"request","auth":{"display_name":"oidc-alice@example.com","metadata":{"role":"developer"}},"request":{"path":"secret/data/x"}}"#,
            "
",
        );
        let summary = read(log);
        let uses: Vec<(&AuditSubject, String, u64)> = summary
            .uses
            .iter()
            .map(|u| (&u.subject, crate::time::format_rfc3339(u.at), u.line))
            .collect();
        let role = |mount: MountHint, role: &str| AuditSubject::Role {
            mount,
            role: role.into(),
        };
        assert_eq!(
            uses,
            vec![
                (
                    &role(
                        MountHint::LoginPath("gke-useast1".into()),
                        "retail-app1-template"
                    ),
                    "2021-01-04T16:13:40Z".to_string(),
                    4
                ),
                (
                    &role(MountHint::LoginPath("jwt".into()), "tfc-role"),
                    "2024-08-15T13:15:15Z".to_string(),
                    2
                ),
                (
                    &role(
                        MountHint::DisplayNamePrefix("oidc-alice@example.com".into()),
                        "developer"
                    ),
                    "2024-08-16T09:00:00Z".to_string(),
                    5
                ),
                (
                    &AuditSubject::ServiceAccount {
                        namespace: "retail".into(),
                        name: "app1".into()
                    },
                    "2021-01-04T16:13:40Z".to_string(),
                    4
                ),
            ]
        );
    }

    #[test]
    fn malformed_lines_are_counted_with_their_numbers_and_reading_goes_on() {
        let log = format!("{LOGIN}\n{{\"time\": \"2026-05-20T\n\n[1,2]\n{{\"type\":\"request\",\"time\":\"soon\",\"auth\":{{\"display_name\":\"root\"}}}}\n{{\"type\":\"request\",\"time\":7}}\n{USE}\r\n");
        let summary = read(&log);
        assert_eq!(summary.malformed, 4, "{:?}", summary.malformed_examples);
        let lines: Vec<u64> = summary.malformed_examples.iter().map(|(l, _)| *l).collect();
        assert_eq!(lines, vec![2, 4, 5, 6]);
        assert_eq!(summary.uses.len(), 2);
        assert_eq!(summary.lines, 7);
        let warning = &summary.warnings()[0];
        assert!(
            warning.starts_with("4 malformed audit line(s) skipped (line 2:"),
            "{warning}"
        );
    }

    #[test]
    fn pretty_printed_documents_are_entries_too() {
        let text = format!(
            "{{\n  \"time\": \"2019-11-05T00:40:27.638711Z\",\n  \"type\": \"request\",\n  \"auth\": {{\"display_name\": \"root\"}}\n}}\n\n{}\n",
            USE
        );
        let summary = read_documents(text.as_bytes());
        assert_eq!(summary.entries, 2);
        assert_eq!(summary.uses[1].subject, AuditSubject::Root);
        assert_eq!(summary.uses[1].line, 1);
        assert_eq!(summary.uses[0].line, 7);
        let broken = read_documents(b"{\"time\":\"2019-11-05T00:40:27Z\",\"type\":\"request\"} {");
        assert_eq!((broken.entries, broken.malformed), (1, 1));
    }

    #[test]
    fn the_fast_comparison_needs_the_fixed_layout() {
        assert!(fixed_utc_layout("2026-05-20T10:00:00.123456789Z"));
        assert!(!fixed_utc_layout("2026-05-20T10:00:00+01:00"));
        assert!(!fixed_utc_layout("2026-05-20 10:00:00Z"));
        assert!(!fixed_utc_layout("Z"));
        assert!(is_later("2026-05-20T10:00:01Z", "2026-05-20T10:00:00Z"));
        assert!(!is_later("2026-05-20T10:00:00.5Z", "2026-05-20T10:00:01Z"));
        assert!(!fixed_utc_layout("2026-13-20T10:00:00Z"));
        assert!(!fixed_utc_layout("2026-12-20T24:00:00Z"));
        assert!(is_later("2026-05-20T10:00:00Z", "2026-13-20T10:00:00Z"));
        assert!(validate_time("later").is_err());
    }
}
