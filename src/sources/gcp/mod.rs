//! Google Cloud IAM exports, recognised by content: service accounts (`gcloud iam
//! service-accounts list` array, REST `{"accounts": …}`, one `GET` object), service-account keys
//! (`keys list` array, REST `{"keys": …}`, one `keys.get`/`keys.create` object), IAM policies
//! (`get-iam-policy`), Cloud Asset Inventory exports (JSON lines or a `gcloud asset list`
//! array, snake_case or camelCase), and Google's own verdicts on use: Recommender
//! service-account insights and Policy Analyzer authentication activities (`activity`).
//!
//! Format decisions:
//! - A service account is an identity of its project (`projectId`, else `name`, else the email
//!   domain); its `uniqueId` is an alias. GCP records no creation or last-use time for it.
//! - A key is a credential of the project in its `name`, so that it shares the account's system.
//!   `validAfterTime` is its creation and last rotation, `validBeforeTime` its expiry (the
//!   `9999-12-31T23:59:59Z` sentinel: never). These exports carry no per-key use: last use is
//!   unknown, never "unused". Keys Google manages (`SYSTEM_MANAGED`) are rotated by Google every
//!   two weeks and cannot be downloaded: they are counted in a warning and not reported.
//! - A key whose `privateKeyData` the file holds (a `keys.create` response: the key file
//!   itself) is a leak of the file (`sources::leak`), attributed to the key and its service
//!   account; the key material is reduced to a digest while it is read and never shown.
//! - A binding member is a grant: `serviceAccount:` (service), `user:` (human), `group:` (group);
//!   `deleted:` ones are dangling, whatever their kind, because GCP itself says the principal is
//!   gone. `serviceAccount:POOL.svc.id.goog[NS/NAME]` (GKE Workload Identity) is a grant of the
//!   Kubernetes service account `system:serviceaccount:NS:NAME`. Domains, the public, federated
//!   principal sets and project convenience values are nobody in particular: no grant, one
//!   warning per file.
//! - A `get-iam-policy` body does not name its project: it is taken from the service-account
//!   members' emails when they agree, else `unknown-project` (with a warning). A CAI policy's
//!   system is the project in its asset name or ancestors (numbers mapped to IDs through the
//!   Project and ServiceAccount assets of the scan), else the organization, folder or billing
//!   account it sits on.
//! - A CAI line that does not parse costs that line, not the file (a warning lists them). Large
//!   JSON-lines files are streamed from disk line by line.

mod activity;
mod assets;
mod model;
mod normalize;

use std::collections::{BTreeMap, BTreeSet};

use serde::de::{DeserializeOwned, IgnoredAny};

use assets::parse_asset_inventory;
pub use normalize::assemble;

use super::SourceError;
use crate::discover::probe::{Content, JsonShape, Probe};
use crate::discover::FileInput;
use model::{
    Activity, ActivityList, AssetHeader, AssetResource, IamPolicy, Insight, InsightList, KeyType,
    Member, NonIdentityMember, ProjectData, ServiceAccount, ServiceAccountKey,
    ServiceAccountKeyList, ServiceAccountList,
};

crate::sources::formats! {
    pub enum Format {
        ServiceAccounts => "service-accounts",
        ServiceAccountKeys => "service-account-keys",
        IamPolicy => "iam-policy",
        AssetInventory => "cloud-asset-inventory",
        ServiceAccountInsights => "service-account-insights",
        PolicyAnalyzerActivities => "policy-analyzer-activities",
    }
}

const SERVICE_ACCOUNT_ASSET: &str = "iam.googleapis.com/ServiceAccount";
const SERVICE_ACCOUNT_KEY_ASSET: &str = "iam.googleapis.com/ServiceAccountKey";
const PROJECT_ASSET: &str = "cloudresourcemanager.googleapis.com/Project";

/// How many malformed CAI lines a warning names before it only counts them.
const MALFORMED_LINES_NAMED: usize = 5;

fn is_asset(shape: &JsonShape) -> bool {
    shape.has("name") && (shape.has("asset_type") || shape.has("assetType"))
}

fn is_service_account(keys: &BTreeSet<String>) -> bool {
    keys.contains("email") && keys.contains("uniqueId")
}

fn is_key(keys: &BTreeSet<String>) -> bool {
    let has = |k: &str| keys.contains(k);
    has("name") && (has("validAfterTime") || has("keyType") && has("keyAlgorithm"))
}

/// A Recommender insight's keys.
fn is_insight(keys: &BTreeSet<String>) -> bool {
    keys.contains("insightSubtype") && keys.contains("content")
}

/// A Policy Analyzer activity's keys.
fn is_activity(keys: &BTreeSet<String>) -> bool {
    keys.contains("activityType") && keys.contains("fullResourceName")
}

/// Only these keys: a REST page (proto3 omits empty lists, so `{"accounts": []}` is rare but
/// valid).
fn only_keys(shape: &JsonShape, allowed: &[&str]) -> bool {
    !shape.keys.is_empty() && shape.keys.iter().all(|k| allowed.contains(&k.as_str()))
}

pub fn detect(probe: &Probe) -> Option<Format> {
    match &probe.content {
        Content::JsonLines(shape) => is_asset(shape).then_some(Format::AssetInventory),
        Content::Json(shape) => {
            let nested = |key: &str| shape.nested.get(key);
            if is_asset(shape) {
                Some(Format::AssetInventory)
            } else if is_insight(&shape.keys)
                || !shape.is_array && nested("insights").is_some_and(is_insight)
            {
                Some(Format::ServiceAccountInsights)
            } else if is_activity(&shape.keys)
                || !shape.is_array && nested("activities").is_some_and(is_activity)
            {
                Some(Format::PolicyAnalyzerActivities)
            } else if is_service_account(&shape.keys)
                || !shape.is_array
                    && shape.has("accounts")
                    && (nested("accounts").is_some_and(is_service_account)
                        || only_keys(shape, &["accounts", "nextPageToken"]))
            {
                Some(Format::ServiceAccounts)
            } else if is_key(&shape.keys) || !shape.is_array && nested("keys").is_some_and(is_key) {
                Some(Format::ServiceAccountKeys)
            } else if !shape.is_array
                && (shape.nested_has("bindings", "role")
                    || shape.nested_has("bindings", "members")
                    || shape.has("etag")
                        && shape.has("version")
                        && only_keys(shape, &["version", "etag", "bindings", "auditConfigs"]))
            {
                Some(Format::IamPolicy)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A value read from a file, with the line it starts on when known.
#[derive(Debug, Clone)]
pub struct Located<T> {
    pub item: T,
    pub line: Option<u32>,
}

/// A binding of a policy and, per member, the line the member is written on.
#[derive(Debug, Clone)]
pub struct LocatedBinding {
    pub binding: model::Binding,
    pub member_lines: Vec<Option<u32>>,
}

/// A `get-iam-policy` file (one policy, or several concatenated).
#[derive(Debug, Clone)]
pub struct PolicyFile {
    /// The project its service-account members agree on.
    pub project: Option<String>,
    pub bindings: Vec<LocatedBinding>,
}

/// An IAM policy attached to an asset, from a CAI line.
#[derive(Debug, Clone)]
pub struct AssetPolicy {
    /// The asset's full resource name (`//cloudresourcemanager.googleapis.com/projects/1041`).
    pub resource: String,
    pub ancestors: Vec<String>,
    pub policy: IamPolicy,
    pub line: u32,
}

/// A service-account key from a CAI line; the asset name stands in for a missing `data.name`.
#[derive(Debug, Clone)]
pub struct AssetKey {
    pub key: ServiceAccountKey,
    pub asset_name: String,
}

/// What a Cloud Asset Inventory export holds that deprov reads.
#[derive(Debug, Clone, Default)]
pub struct AssetExport {
    pub accounts: Vec<Located<ServiceAccount>>,
    pub keys: Vec<Located<AssetKey>>,
    pub policies: Vec<AssetPolicy>,
    /// Project number → project ID, from Project assets and service accounts' parents.
    pub project_ids: Vec<(String, String)>,
}

/// One parsed GCP file.
#[derive(Debug, Clone)]
pub enum GcpFile {
    ServiceAccounts {
        accounts: Vec<ServiceAccount>,
        warnings: Vec<String>,
    },
    ServiceAccountKeys {
        keys: Vec<ServiceAccountKey>,
        warnings: Vec<String>,
        /// The line of `privateKeyData` in a one-key file (a `keys.create` response).
        private_key_line: Option<u32>,
    },
    IamPolicy {
        policy: PolicyFile,
        warnings: Vec<String>,
    },
    AssetInventory {
        export: AssetExport,
        warnings: Vec<String>,
    },
    /// Recommender insights (`google.iam.serviceAccount.Insight`).
    Insights {
        insights: Vec<Insight>,
        warnings: Vec<String>,
    },
    /// Policy Analyzer authentication activities.
    Activities {
        activities: Vec<Activity>,
        warnings: Vec<String>,
    },
}

/// Keys that become credentials: user-managed (or of unknown type) with a readable name.
fn is_reported_key(key: &ServiceAccountKey, fallback_name: &str) -> bool {
    key.key_type != KeyType::SystemManaged
        && (model::parse_key_name(&key.name).is_some()
            || model::parse_key_name(fallback_name).is_some())
}

fn identity_members<'a>(bindings: impl Iterator<Item = &'a model::Binding>) -> usize {
    bindings
        .flat_map(|b| &b.members)
        .filter(|m| Member::parse(m).is_identity())
        .count()
}

impl super::FamilyFile for GcpFile {
    fn record_count(&self) -> usize {
        match self {
            GcpFile::ServiceAccounts { accounts, .. } => {
                accounts.iter().filter(|a| a.email().is_some()).count()
            }
            GcpFile::ServiceAccountKeys { keys, .. } => {
                keys.iter().filter(|k| is_reported_key(k, "")).count()
            }
            GcpFile::IamPolicy { policy, .. } => {
                identity_members(policy.bindings.iter().map(|b| &b.binding))
            }
            GcpFile::AssetInventory { export, .. } => {
                export
                    .accounts
                    .iter()
                    .filter(|a| a.item.email().is_some())
                    .count()
                    + export
                        .keys
                        .iter()
                        .filter(|k| is_reported_key(&k.item.key, &k.item.asset_name))
                        .count()
                    + identity_members(export.policies.iter().flat_map(|p| &p.policy.bindings))
            }
            GcpFile::Insights { insights, .. } => insights
                .iter()
                .filter(|i| activity::is_read_insight(i))
                .count(),
            GcpFile::Activities { activities, .. } => activities
                .iter()
                .filter(|a| activity::is_read_activity(a))
                .count(),
        }
    }

    /// Defects and omissions worth telling the user about; the file is still read.
    fn warnings(&self) -> Vec<String> {
        match self {
            GcpFile::ServiceAccounts { warnings, .. }
            | GcpFile::ServiceAccountKeys { warnings, .. }
            | GcpFile::IamPolicy { warnings, .. }
            | GcpFile::AssetInventory { warnings, .. }
            | GcpFile::Insights { warnings, .. }
            | GcpFile::Activities { warnings, .. } => warnings.clone(),
        }
    }
}

pub fn parse(probe: &Probe, format: Format) -> Result<GcpFile, SourceError> {
    if format == Format::AssetInventory {
        return parse_asset_inventory(probe);
    }
    let bytes = without_bom(super::whole(probe)?);
    let shape = probe.content.json().cloned().unwrap_or_default();
    match format {
        Format::ServiceAccounts => {
            let mut warnings = Vec::new();
            let accounts: Vec<ServiceAccount> = if shape.is_array {
                documents::<Vec<ServiceAccount>>(probe, bytes, format)?
                    .into_iter()
                    .flatten()
                    .collect()
            } else if shape.has("accounts") {
                let pages = documents::<ServiceAccountList>(probe, bytes, format)?;
                if pages
                    .last()
                    .and_then(|p| p.next_page_token.as_deref())
                    .is_some_and(|t| !t.is_empty())
                {
                    warnings.push("listing is truncated (nextPageToken is set); include the following pages in the scan".into());
                }
                pages.into_iter().flat_map(|p| p.accounts).collect()
            } else {
                documents::<ServiceAccount>(probe, bytes, format)?
            };
            warnings.extend(account_warnings(accounts.iter()));
            Ok(GcpFile::ServiceAccounts { accounts, warnings })
        }
        Format::ServiceAccountKeys => {
            let keys: Vec<ServiceAccountKey> = if shape.is_array {
                documents::<Vec<ServiceAccountKey>>(probe, bytes, format)?
                    .into_iter()
                    .flatten()
                    .collect()
            } else if shape.has("keys") {
                documents::<ServiceAccountKeyList>(probe, bytes, format)?
                    .into_iter()
                    .flat_map(|l| l.keys)
                    .collect()
            } else {
                documents::<ServiceAccountKey>(probe, bytes, format)?
            };
            let warnings = key_warnings(keys.iter().map(|k| (k, "")));
            let private_key_line = match &keys[..] {
                [key] if key.private_key_data.live().is_some() => {
                    crate::sources::leak::line_of(bytes, "\"privateKeyData\"")
                }
                _ => None,
            };
            Ok(GcpFile::ServiceAccountKeys {
                keys,
                warnings,
                private_key_line,
            })
        }
        Format::IamPolicy => {
            let policies = documents::<IamPolicy>(probe, bytes, format)?;
            let mut warnings = Vec::new();
            let project = policy_project(&policies, &mut warnings);
            let bindings = locate_members(bytes, policies);
            warnings.extend(member_warnings(bindings.iter().map(|b| &b.binding)));
            Ok(GcpFile::IamPolicy {
                policy: PolicyFile { project, bindings },
                warnings,
            })
        }
        Format::AssetInventory => parse_asset_inventory(probe),
        Format::ServiceAccountInsights => {
            let (insights, truncated) = if shape.is_array {
                let insights = documents::<Vec<Insight>>(probe, bytes, format)?;
                (insights.into_iter().flatten().collect(), false)
            } else if shape.has("insights") {
                let pages = documents::<InsightList>(probe, bytes, format)?;
                let truncated = next_page(pages.last().and_then(|p| p.next_page_token.as_deref()));
                (
                    pages.into_iter().flat_map(|p| p.insights).collect(),
                    truncated,
                )
            } else {
                (documents::<Insight>(probe, bytes, format)?, false)
            };
            let mut warnings = activity::insight_warnings(&insights);
            if truncated {
                warnings.push(TRUNCATED.into());
            }
            Ok(GcpFile::Insights { insights, warnings })
        }
        Format::PolicyAnalyzerActivities => {
            let (activities, truncated) = if shape.is_array {
                let activities = documents::<Vec<Activity>>(probe, bytes, format)?;
                (activities.into_iter().flatten().collect(), false)
            } else if shape.has("activities") {
                let pages = documents::<ActivityList>(probe, bytes, format)?;
                let truncated = next_page(pages.last().and_then(|p| p.next_page_token.as_deref()));
                (
                    pages.into_iter().flat_map(|p| p.activities).collect(),
                    truncated,
                )
            } else {
                (documents::<Activity>(probe, bytes, format)?, false)
            };
            let mut warnings = activity::activity_warnings(&activities);
            if truncated {
                warnings.push(TRUNCATED.into());
            }
            Ok(GcpFile::Activities {
                activities,
                warnings,
            })
        }
    }
}

/// The warning for a REST page that says more follow.
const TRUNCATED: &str =
    "listing is truncated (nextPageToken is set); include the following pages in the scan";

fn next_page(token: Option<&str>) -> bool {
    token.is_some_and(|t| !t.is_empty())
}

fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// Every top-level JSON value of the file (a paginated collector may concatenate pages).
fn documents<T: DeserializeOwned>(
    probe: &Probe,
    bytes: &[u8],
    format: Format,
) -> Result<Vec<T>, SourceError> {
    serde_json::Deserializer::from_slice(bytes)
        .into_iter::<T>()
        .map(|doc| doc.map_err(|e| SourceError::json(probe.input, bytes, format.name(), &e)))
        .collect()
}

fn account_warnings<'a>(accounts: impl Iterator<Item = &'a ServiceAccount>) -> Vec<String> {
    let mut warnings = Vec::new();
    let (mut no_email, mut no_project) = (0usize, Vec::new());
    for account in accounts {
        match account.email() {
            None => no_email += 1,
            Some(email) if account.project().is_none() => no_project.push(email.to_string()),
            Some(_) => {}
        }
    }
    if no_email > 0 {
        warnings.push(format!(
            "{no_email} service account(s) without email or name; not read"
        ));
    }
    if !no_project.is_empty() {
        warnings.push(format!(
            "no project for {} (no projectId, name or project email); read under unknown-project",
            no_project.join(", ")
        ));
    }
    warnings
}

/// Keys with the name of their asset as a fallback (empty outside CAI).
fn key_warnings<'a>(keys: impl Iterator<Item = (&'a ServiceAccountKey, &'a str)>) -> Vec<String> {
    let (mut system_managed, mut unnamed, mut untyped) = (0usize, 0usize, 0usize);
    for (key, fallback) in keys {
        if key.key_type == KeyType::SystemManaged {
            system_managed += 1;
        } else if !is_reported_key(key, fallback) {
            unnamed += 1;
        } else if key.key_type == KeyType::Unspecified {
            untyped += 1;
        }
    }
    let mut warnings = Vec::new();
    if system_managed > 0 {
        warnings.push(format!(
            "{system_managed} Google-managed (SYSTEM_MANAGED) key(s) not reported: Google rotates them itself and they cannot be downloaded"
        ));
    }
    if unnamed > 0 {
        warnings.push(format!(
            "{unnamed} key(s) without a name of the form projects/P/serviceAccounts/SA/keys/ID; not read"
        ));
    }
    if untyped > 0 {
        warnings.push(format!(
            "{untyped} key(s) without a known keyType; read as user-managed"
        ));
    }
    warnings
}

fn member_warnings<'a>(bindings: impl Iterator<Item = &'a model::Binding>) -> Vec<String> {
    let mut counts: BTreeMap<NonIdentityMember, usize> = BTreeMap::new();
    for binding in bindings {
        for member in &binding.members {
            if let Member::NotAnIdentity(kind) = Member::parse(member) {
                *counts.entry(kind).or_default() += 1;
            }
        }
    }
    if counts.is_empty() {
        return Vec::new();
    }
    let list: Vec<String> = counts
        .iter()
        .map(|(kind, n)| format!("{n} {}", kind.label()))
        .collect();
    vec![format!(
        "members that are not one identity carry no grant here: {}",
        list.join(", ")
    )]
}

/// The project a `get-iam-policy` body belongs to, from its service-account members.
fn policy_project(policies: &[IamPolicy], warnings: &mut Vec<String>) -> Option<String> {
    let mut projects = BTreeSet::new();
    for binding in policies.iter().flat_map(|p| &p.bindings) {
        for member in &binding.members {
            if let Member::Principal {
                kind: model::PrincipalKind::ServiceAccount,
                email,
                ..
            } = Member::parse(member)
            {
                if let Some(project) = model::project_of_email(email) {
                    projects.insert(project.to_string());
                }
            }
        }
    }
    let bindings = policies.iter().map(|p| p.bindings.len()).sum::<usize>();
    match projects.len() {
        1 => projects.pop_first(),
        0 if bindings == 0 => None,
        0 => {
            warnings.push(format!(
                "the policy does not name its project and no service-account member names one; grants read under {}",
                normalize::UNKNOWN_PROJECT
            ));
            None
        }
        _ => {
            warnings.push(format!(
                "the policy does not name its project and its service-account members name several ({}); grants read under {}",
                projects.into_iter().collect::<Vec<_>>().join(", "),
                normalize::UNKNOWN_PROJECT
            ));
            None
        }
    }
}

/// Finds the line of every member by searching the members' quoted text in file order: serde
/// gives no positions, and bindings and their members are written in the order they are read.
fn locate_members(bytes: &[u8], policies: Vec<IamPolicy>) -> Vec<LocatedBinding> {
    let mut cursor = 0usize;
    let mut lines = LineCounter::default();
    let mut located = Vec::new();
    for binding in policies.into_iter().flat_map(|p| p.bindings) {
        let member_lines = binding
            .members
            .iter()
            .map(|member| {
                let needle = format!("\"{member}\"");
                let found = bytes
                    .get(cursor..)
                    .and_then(|rest| memchr::memmem::find(rest, needle.as_bytes()))?;
                cursor += found + needle.len();
                Some(lines.line_of(bytes, cursor - needle.len()))
            })
            .collect();
        located.push(LocatedBinding {
            binding,
            member_lines,
        });
    }
    located
}

/// Line numbers of increasing offsets, counted incrementally.
#[derive(Default)]
struct LineCounter {
    offset: usize,
    line: u32,
}

impl LineCounter {
    /// The 1-based line of `offset`; offsets must not decrease between calls.
    fn line_of(&mut self, bytes: &[u8], offset: usize) -> u32 {
        let offset = offset.min(bytes.len());
        if offset >= self.offset {
            let newlines = bytes
                .get(self.offset..offset)
                .map_or(0, |span| memchr::memchr_iter(b'\n', span).count());
            self.line = self
                .line
                .saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
            self.offset = offset;
        }
        self.line.saturating_add(1)
    }
}

/// The Google Cloud IAM family.
pub struct Gcp;

impl super::Family for Gcp {
    type Format = Format;
    type File = GcpFile;

    fn source(&self) -> crate::inventory::SourceFamily {
        crate::inventory::SourceFamily::Gcp
    }

    fn characteristic_keys(&self) -> &'static [(Format, &'static [&'static str])] {
        &[
            (
                Format::ServiceAccounts,
                &["email", "uniqueId", "projectId", "oauth2ClientId"],
            ),
            (
                Format::ServiceAccountKeys,
                &[
                    "keyType",
                    "validAfterTime",
                    "validBeforeTime",
                    "keyAlgorithm",
                ],
            ),
            (Format::IamPolicy, &["bindings", "etag", "auditConfigs"]),
            (
                Format::AssetInventory,
                &["assetType", "iamPolicy", "resource"],
            ),
            (
                Format::ServiceAccountInsights,
                &[
                    "insightSubtype",
                    "content",
                    "stateInfo",
                    "observationPeriod",
                ],
            ),
            (
                Format::PolicyAnalyzerActivities,
                &[
                    "activityType",
                    "activity",
                    "fullResourceName",
                    "observationPeriod",
                ],
            ),
        ]
    }

    fn recognise(&self, probe: &Probe) -> Option<Format> {
        detect(probe)
    }

    fn parse(
        &self,
        probe: &Probe,
        format: Format,
        _context: &super::ParseContext,
    ) -> Result<GcpFile, SourceError> {
        parse(probe, format)
    }

    fn assemble(
        &self,
        files: Vec<(crate::discover::FileInput, GcpFile)>,
        assembly: &mut super::Assembly,
    ) -> Result<super::Contribution, super::family::AssembleError> {
        Ok(assemble(files, assembly).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn detect_json(json: &str) -> Option<Format> {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.json");
        std::fs::write(&path, json).unwrap();
        let input = FileInput {
            path,
            rel: "export.json".into(),
            size: json.len() as u64,
        };
        let probe = Probe::read(&input, 1 << 20).unwrap();
        detect(&probe)
    }

    #[test]
    fn detects_every_shape_by_content() {
        assert_eq!(
            detect_json(r#"[{"email":"a@p.iam.gserviceaccount.com","uniqueId":"1","name":"n"}]"#),
            Some(Format::ServiceAccounts)
        );
        assert_eq!(
            detect_json(r#"{"accounts":[{"email":"a","uniqueId":"1"}],"nextPageToken":"t"}"#),
            Some(Format::ServiceAccounts)
        );
        assert_eq!(
            detect_json(r#"{"accounts":[]}"#),
            Some(Format::ServiceAccounts)
        );
        assert_eq!(
            detect_json(r#"{"email":"a","uniqueId":"1","projectId":"p"}"#),
            Some(Format::ServiceAccounts)
        );
        assert_eq!(
            detect_json(r#"[{"name":"projects/p/serviceAccounts/a/keys/k","validAfterTime":"x"}]"#),
            Some(Format::ServiceAccountKeys)
        );
        assert_eq!(
            detect_json(r#"{"keys":[{"name":"k","keyType":"USER_MANAGED","keyAlgorithm":"a"}]}"#),
            Some(Format::ServiceAccountKeys)
        );
        assert_eq!(
            detect_json(r#"{"version":1,"etag":"e","bindings":[{"role":"r","members":[]}]}"#),
            Some(Format::IamPolicy)
        );
        assert_eq!(
            detect_json(r#"{"version":1,"etag":"ACAB"}"#),
            Some(Format::IamPolicy)
        );
        assert_eq!(
            detect_json(r#"[{"name":"//x","assetType":"iam.googleapis.com/ServiceAccount"}]"#),
            Some(Format::AssetInventory)
        );
        // A JWKS document and unrelated JSON are not GCP exports.
        assert_eq!(detect_json(r#"{"keys":[{"kty":"RSA","kid":"1"}]}"#), None);
        assert_eq!(detect_json(r#"{"version":1,"etag":"e","other":2}"#), None);
        assert_eq!(detect_json(r#"{"subjects":[],"roleRef":{}}"#), None);
    }

    /// A `keys.create` response holds the key file: the key is a credential, and the file a
    /// leak attributed to it, at the line of `privateKeyData`.
    #[test]
    fn a_created_key_is_a_credential_and_its_key_file_a_leak() {
        let text = "{\n  \"name\": \"projects/p1/serviceAccounts/ci@p1.iam.gserviceaccount.com/keys/0123abcd\",\n  \"privateKeyData\": \"eyJ0eXBlIjoic2VydmljZV9hY2NvdW50In0=\",\n  \"keyType\": \"USER_MANAGED\",\n  \"validAfterTime\": \"2024-04-01T12:34:56Z\"\n}";
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("key.json");
        std::fs::write(&path, text).unwrap();
        let input = FileInput {
            path,
            rel: "key.json".into(),
            size: text.len() as u64,
        };
        let probe = Probe::read(&input, 1 << 20).unwrap();
        assert_eq!(detect(&probe), Some(Format::ServiceAccountKeys));
        let file = parse(&probe, Format::ServiceAccountKeys).unwrap();
        assert!(!format!("{file:?}").contains("eyJ0eXBl"));
        let ((records, exposures), _) =
            crate::sources::Assembly::alone_with_exposures(assemble, vec![(input, file)]);
        assert_eq!(records.credentials[0].id, "0123abcd");
        let [exposure] = &exposures[..] else {
            panic!("one exposure: {exposures:?}");
        };
        assert_eq!(
            exposure.carries,
            vec!["0123abcd", "ci@p1.iam.gserviceaccount.com"]
        );
        assert_eq!(exposure.system.to_string(), "gcp:p1");
        assert_eq!(exposure.evidence.line, Some(3));
    }

    #[test]
    fn member_lines_follow_file_order() {
        let text = "{\n \"bindings\": [\n  {\"members\": [\n   \"user:a@x\",\n   \"serviceAccount:s@p.iam.gserviceaccount.com\"\n  ], \"role\": \"roles/viewer\"},\n  {\"members\": [\n   \"user:a@x\"\n  ], \"role\": \"roles/editor\"}\n ]\n}\n";
        let policies: Vec<IamPolicy> = vec![serde_json::from_str(text).unwrap()];
        let located = locate_members(text.as_bytes(), policies);
        assert_eq!(located[0].member_lines, vec![Some(4), Some(5)]);
        assert_eq!(located[1].member_lines, vec![Some(8)]);
    }

    #[test]
    fn policy_project_needs_agreeing_service_accounts() {
        let policy = |members: &[&str]| IamPolicy {
            bindings: vec![model::Binding {
                role: "roles/viewer".into(),
                members: members.iter().map(|m| m.to_string()).collect(),
                condition: None,
            }],
        };
        let mut warnings = Vec::new();
        assert_eq!(
            policy_project(
                &[policy(&[
                    "serviceAccount:a@p1.iam.gserviceaccount.com",
                    "deleted:serviceAccount:b@p1.iam.gserviceaccount.com?uid=1",
                    "serviceAccount:1-compute@developer.gserviceaccount.com",
                    "user:u@example.com"
                ])],
                &mut warnings
            )
            .as_deref(),
            Some("p1")
        );
        assert!(warnings.is_empty());
        assert_eq!(
            policy_project(
                &[policy(&[
                    "serviceAccount:a@p1.iam.gserviceaccount.com",
                    "serviceAccount:a@p2.iam.gserviceaccount.com"
                ])],
                &mut warnings
            ),
            None
        );
        assert!(warnings[0].contains("p1, p2"), "{warnings:?}");
        assert_eq!(
            policy_project(&[policy(&["user:u@example.com"])], &mut warnings),
            None
        );
        assert_eq!(warnings.len(), 2);
    }
}
