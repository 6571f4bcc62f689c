//! Serde types close to the Google Cloud IAM exports (service accounts, service-account keys, IAM
//! policies, Cloud Asset Inventory lines) and the grammar of the names and members they use.
//! Dates stay text here; `normalize` reads them with the sentinels in mind.
//!
//! Secret material is never kept: `privateKeyData` (a `keys.create` response: the key file) is
//! reduced to its digest while it is read (`sources::leak`), so that a file that holds it is
//! reported as a leak. `publicKeyData` is skipped like any unknown field.

use serde::Deserialize;

use crate::sources::leak::SecretField;

/// A service account as `gcloud iam service-accounts list` and the REST API write it.
/// `disabled` is omitted when false.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceAccount {
    /// `projects/P/serviceAccounts/EMAIL`.
    pub name: String,
    pub project_id: String,
    pub unique_id: String,
    pub email: String,
    pub display_name: String,
    pub disabled: bool,
}

impl ServiceAccount {
    /// The account's email, from `email` or, when a collector dropped it, from `name`.
    pub fn email(&self) -> Option<&str> {
        let email = self.email.trim();
        if !email.is_empty() {
            return Some(email);
        }
        let last = self.name.rsplit('/').next()?;
        last.contains('@').then_some(last)
    }

    /// `projectId`, else the project of `name`, else the project in the email's domain.
    pub fn project(&self) -> Option<&str> {
        let project_id = self.project_id.trim();
        if !project_id.is_empty() {
            return Some(project_id);
        }
        project_of_resource_name(&self.name).or_else(|| self.email().and_then(project_of_email))
    }
}

/// The REST form of a service-account listing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceAccountList {
    pub accounts: Vec<ServiceAccount>,
    pub next_page_token: Option<String>,
}

/// A service-account key (`keys list`, `keys get`, `keys create`, CAI `resource.data`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceAccountKey {
    /// `projects/P/serviceAccounts/EMAIL/keys/KEYID`.
    pub name: String,
    pub valid_after_time: Option<String>,
    pub valid_before_time: Option<String>,
    pub key_algorithm: Option<String>,
    pub key_origin: KeyOrigin,
    pub key_type: KeyType,
    pub disabled: bool,
    pub disable_reason: DisableReason,
    pub extended_status: Vec<ExtendedStatus>,
    /// The private key file a `keys.create` response returns, as a digest.
    pub private_key_data: SecretField,
}

/// The REST form of a key listing.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ServiceAccountKeyList {
    pub keys: Vec<ServiceAccountKey>,
}

/// Who manages a key. Unknown values read as `Unspecified` rather than failing the file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KeyType {
    /// Created by a user, downloadable, valid until deleted unless an expiry policy applies.
    UserManaged,
    /// Held and rotated by Google (about every two weeks); never leaves Google.
    SystemManaged,
    #[default]
    #[serde(other)]
    Unspecified,
}

/// Where the key pair was made.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum KeyOrigin {
    GoogleProvided,
    /// Uploaded public key: the private half was made and kept outside Google.
    UserProvided,
    #[default]
    #[serde(other)]
    Unspecified,
}

/// Why a key was disabled (newer API versions).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum DisableReason {
    #[serde(rename = "DISABLE_REASON_USER_INITIATED")]
    UserInitiated,
    #[serde(rename = "DISABLE_REASON_EXPOSED")]
    Exposed,
    #[serde(rename = "DISABLE_REASON_COMPROMISE_DETECTED")]
    CompromiseDetected,
    #[default]
    #[serde(other)]
    Unspecified,
}

/// `extendedStatus[]`: what Google knows about a key beyond enabled/disabled.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct ExtendedStatus {
    pub key: ExtendedStatusKey,
    /// For an exposed key: where it was found (a URL), never the key itself.
    pub value: Option<String>,
}

#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
pub enum ExtendedStatusKey {
    #[serde(rename = "SERVICE_ACCOUNT_KEY_EXTENDED_STATUS_KEY_EXPOSED")]
    KeyExposed,
    #[serde(rename = "SERVICE_ACCOUNT_KEY_EXTENDED_STATUS_KEY_COMPROMISE_DETECTED")]
    CompromiseDetected,
    #[default]
    #[serde(other)]
    Unspecified,
}

impl ServiceAccountKey {
    /// What Google says about the key's exposure, for the evidence.
    pub fn exposure(&self) -> Option<String> {
        let mut notes: Vec<String> = Vec::new();
        match self.disable_reason {
            DisableReason::Exposed => notes.push("disabled: key exposed".into()),
            DisableReason::CompromiseDetected => notes.push("disabled: compromise detected".into()),
            DisableReason::UserInitiated | DisableReason::Unspecified => {}
        }
        for status in &self.extended_status {
            let what = match status.key {
                ExtendedStatusKey::KeyExposed => "KEY_EXPOSED",
                ExtendedStatusKey::CompromiseDetected => "COMPROMISE_DETECTED",
                ExtendedStatusKey::Unspecified => continue,
            };
            notes.push(match status.value.as_deref().filter(|v| !v.is_empty()) {
                Some(value) => format!("{what} ({value})"),
                None => what.to_string(),
            });
        }
        (!notes.is_empty()).then(|| notes.join(", "))
    }
}

/// The parts of a key's resource name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KeyName<'a> {
    /// `None` for the `-` wildcard.
    pub project: Option<&'a str>,
    /// The account's email, or its uniqueId when the name was written with it.
    pub account: &'a str,
    pub key_id: &'a str,
}

/// Splits `projects/P/serviceAccounts/SA/keys/KEYID` (also with a `//iam.googleapis.com/`
/// prefix, as CAI asset names have it).
pub fn parse_key_name(name: &str) -> Option<KeyName<'_>> {
    let name = name.trim().trim_start_matches("//iam.googleapis.com/");
    let rest = name.strip_prefix("projects/")?;
    let (project, rest) = rest.split_once("/serviceAccounts/")?;
    let (account, key_id) = rest.split_once("/keys/")?;
    if account.is_empty() || key_id.is_empty() || key_id.contains('/') {
        return None;
    }
    Some(KeyName {
        project: (!project.is_empty() && project != "-").then_some(project),
        account,
        key_id,
    })
}

/// The project of `projects/P/…` (not the `-` wildcard).
pub fn project_of_resource_name(name: &str) -> Option<&str> {
    let project = name.trim().strip_prefix("projects/")?.split('/').next()?;
    (!project.is_empty() && project != "-").then_some(project)
}

/// The project a service-account email names: `NAME@P.iam.gserviceaccount.com` and the App Engine
/// default `P@appspot.gserviceaccount.com`. Google's service agents
/// (`service-N@gcp-sa-X.iam.gserviceaccount.com`), the Compute default
/// (`N-compute@developer.gserviceaccount.com`) and the APIs agent (`N@cloudservices…`) name a
/// project number or nothing, so they give no project.
pub fn project_of_email(email: &str) -> Option<&str> {
    let (local, domain) = email.rsplit_once('@')?;
    let domain_lower = domain.to_ascii_lowercase();
    let project = if domain_lower == "appspot.gserviceaccount.com" {
        local
    } else {
        let cut = domain.len().checked_sub(".iam.gserviceaccount.com".len())?;
        if !domain_lower.ends_with(".iam.gserviceaccount.com") {
            return None;
        }
        domain.get(..cut)?
    };
    (!project.is_empty() && !project.starts_with("gcp-sa-")).then_some(project)
}

/// The service account (and key) a full resource name names:
/// `//iam.googleapis.com/projects/P/serviceAccounts/EMAIL_OR_ID[/keys/KEY_ID]`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct AccountName<'a> {
    pub project: Option<&'a str>,
    /// The email, or the numeric unique ID.
    pub account: &'a str,
    pub key_id: Option<&'a str>,
}

/// Splits a service account's or key's full resource name (also without the `//iam…` prefix).
pub fn parse_account_name(name: &str) -> Option<AccountName<'_>> {
    if let Some(key) = parse_key_name(name) {
        return Some(AccountName {
            project: key.project,
            account: key.account,
            key_id: Some(key.key_id),
        });
    }
    let name = name.trim().trim_start_matches("//iam.googleapis.com/");
    let (project, account) = name
        .strip_prefix("projects/")?
        .split_once("/serviceAccounts/")?;
    if account.is_empty() || account.contains('/') {
        return None;
    }
    Some(AccountName {
        project: (!project.is_empty() && project != "-").then_some(project),
        account,
        key_id: None,
    })
}

/// A Recommender insight, as `gcloud recommender insights list --format=json` (an array), the
/// REST `insights.list` page and `insights.get` write it. Only `SERVICE_ACCOUNT_USAGE` insights
/// (`google.iam.serviceAccount.Insight`) are read; their `content` names the account and its
/// last authentication, absent when none was recorded.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Insight {
    /// `projects/P/locations/global/insightTypes/TYPE/insights/ID`.
    pub name: String,
    pub insight_subtype: Option<String>,
    pub content: InsightContent,
    /// When the insight was last refreshed: the end of the data it was built from.
    pub last_refresh_time: Option<String>,
    /// How long before `lastRefreshTime` its data begins (a protobuf duration, `19008000s`).
    pub observation_period: Option<String>,
    pub state_info: Option<InsightState>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InsightContent {
    pub email: Option<String>,
    pub service_account_id: Option<String>,
    pub last_authenticated_time: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InsightState {
    pub state: Option<String>,
}

/// A REST `insights.list` page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct InsightList {
    pub insights: Vec<Insight>,
    pub next_page_token: Option<String>,
}

/// The insight subtype deprov reads.
pub const SERVICE_ACCOUNT_USAGE: &str = "SERVICE_ACCOUNT_USAGE";

/// A Policy Analyzer activity, as `gcloud policy-intelligence query-activity --format=json` (an
/// array) and the REST `activities.query` page write it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Activity {
    pub full_resource_name: String,
    pub activity_type: Option<ActivityType>,
    pub observation_period: Option<ObservationPeriod>,
    pub activity: ActivityDetail,
}

/// What an activity reports. Other activity types are counted in a warning.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum ActivityType {
    #[serde(rename = "serviceAccountLastAuthentication")]
    ServiceAccount,
    #[serde(rename = "serviceAccountKeyLastAuthentication")]
    ServiceAccountKey,
    #[serde(other)]
    Other,
}

impl ActivityType {
    pub fn as_str(self) -> &'static str {
        match self {
            ActivityType::ServiceAccount => "serviceAccountLastAuthentication",
            ActivityType::ServiceAccountKey => "serviceAccountKeyLastAuthentication",
            ActivityType::Other => "other",
        }
    }
}

/// The days the activity was observed (both at `07:00:00Z`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ObservationPeriod {
    pub start_time: Option<String>,
    pub end_time: Option<String>,
}

/// `activity`: the last authentication (absent when none was observed) and what it was of.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ActivityDetail {
    pub last_authenticated_time: Option<String>,
    pub service_account: Option<ActivitySubject>,
    pub service_account_key: Option<ActivitySubject>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ActivitySubject {
    pub full_resource_name: Option<String>,
    pub project_number: Option<String>,
    pub service_account_id: Option<String>,
}

/// A REST `activities.query` page.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ActivityList {
    pub activities: Vec<Activity>,
    pub next_page_token: Option<String>,
}

/// An IAM allow policy (`get-iam-policy`, CAI `iam_policy`). `version`, `etag` and
/// `auditConfigs` are accepted and not needed.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct IamPolicy {
    pub bindings: Vec<Binding>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Binding {
    pub role: String,
    pub members: Vec<String>,
    pub condition: Option<Condition>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct Condition {
    pub title: Option<String>,
    pub expression: Option<String>,
}

impl Condition {
    /// How the privilege names the condition: its title, else its expression.
    pub fn label(&self) -> String {
        [&self.title, &self.expression]
            .into_iter()
            .flatten()
            .map(|s| s.trim())
            .find(|s| !s.is_empty())
            .unwrap_or("untitled")
            .to_string()
    }
}

/// What a principal member names.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum PrincipalKind {
    ServiceAccount,
    User,
    Group,
}

/// A member of a binding, as the IAM policy language spells it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Member<'a> {
    /// `serviceAccount:`, `user:`, `group:`, possibly `deleted:` with the old `?uid=`.
    Principal {
        kind: PrincipalKind,
        email: &'a str,
        /// `Some` for `deleted:` members: the uniqueId the principal had (may be empty).
        deleted_uid: Option<&'a str>,
    },
    /// GKE Workload Identity: `serviceAccount:POOL.svc.id.goog[NAMESPACE/NAME]`, a Kubernetes
    /// service account acting in Google Cloud.
    KubernetesServiceAccount {
        pool: &'a str,
        namespace: &'a str,
        name: &'a str,
    },
    /// Not one identity: a domain, the public, federated pools, project convenience values.
    NotAnIdentity(NonIdentityMember),
}

/// Members that grant to many principals at once, or to no one in particular.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum NonIdentityMember {
    AllUsers,
    AllAuthenticatedUsers,
    Domain,
    /// `principal://` and `principalSet://` (workforce and workload identity federation).
    Federated,
    /// `projectOwner:`, `projectEditor:`, `projectViewer:` (legacy bucket and dataset roles).
    ProjectRole,
    Unrecognised,
}

impl NonIdentityMember {
    pub fn label(self) -> &'static str {
        match self {
            NonIdentityMember::AllUsers => "allUsers",
            NonIdentityMember::AllAuthenticatedUsers => "allAuthenticatedUsers",
            NonIdentityMember::Domain => "domain:",
            NonIdentityMember::Federated => "principal://, principalSet://",
            NonIdentityMember::ProjectRole => "projectOwner:/projectEditor:/projectViewer:",
            NonIdentityMember::Unrecognised => "unrecognised",
        }
    }
}

impl<'a> Member<'a> {
    pub fn parse(member: &'a str) -> Member<'a> {
        let member = member.trim();
        let (deleted, rest) = match member.strip_prefix("deleted:") {
            Some(rest) => (true, rest),
            None => (false, member),
        };
        let principal = [
            ("serviceAccount:", PrincipalKind::ServiceAccount),
            ("user:", PrincipalKind::User),
            ("group:", PrincipalKind::Group),
        ]
        .into_iter()
        .find_map(|(prefix, kind)| rest.strip_prefix(prefix).map(|value| (kind, value)));
        if let Some((kind, value)) = principal {
            if value.is_empty() {
                return Member::NotAnIdentity(NonIdentityMember::Unrecognised);
            }
            if !deleted && kind == PrincipalKind::ServiceAccount {
                if let Some(ksa) = kubernetes_service_account(value) {
                    return ksa;
                }
            }
            return match value.split_once('?') {
                Some((email, query)) if deleted => Member::Principal {
                    kind,
                    email,
                    deleted_uid: Some(query.strip_prefix("uid=").unwrap_or(query)),
                },
                _ if deleted => Member::Principal {
                    kind,
                    email: value,
                    deleted_uid: Some(""),
                },
                _ => Member::Principal {
                    kind,
                    email: value,
                    deleted_uid: None,
                },
            };
        }
        let other = if deleted {
            NonIdentityMember::Unrecognised
        } else if rest == "allUsers" {
            NonIdentityMember::AllUsers
        } else if rest == "allAuthenticatedUsers" {
            NonIdentityMember::AllAuthenticatedUsers
        } else if rest.starts_with("domain:") {
            NonIdentityMember::Domain
        } else if rest.starts_with("principal://") || rest.starts_with("principalSet://") {
            NonIdentityMember::Federated
        } else if ["projectOwner:", "projectEditor:", "projectViewer:"]
            .iter()
            .any(|p| rest.starts_with(p))
        {
            NonIdentityMember::ProjectRole
        } else {
            NonIdentityMember::Unrecognised
        };
        Member::NotAnIdentity(other)
    }

    /// Whether the member becomes a grant record.
    pub fn is_identity(&self) -> bool {
        !matches!(self, Member::NotAnIdentity(_))
    }
}

/// `POOL.svc.id.goog[NAMESPACE/NAME]`.
fn kubernetes_service_account(value: &str) -> Option<Member<'_>> {
    let (pool, subject) = value.split_once('[')?;
    let subject = subject.strip_suffix(']')?;
    let (namespace, name) = subject.split_once('/')?;
    (pool.ends_with(".svc.id.goog") && !namespace.is_empty() && !name.is_empty()).then_some(
        Member::KubernetesServiceAccount {
            pool,
            namespace,
            name,
        },
    )
}

/// The fields of a Cloud Asset Inventory line that every asset type has. Exports spell them in
/// snake_case, `gcloud asset list/search` in camelCase. `resource` is not read here: its `data`
/// depends on the asset type, so it is read a second time, typed, for the few types deprov uses.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct AssetHeader {
    pub name: String,
    #[serde(alias = "assetType")]
    pub asset_type: String,
    #[serde(alias = "iamPolicy")]
    pub iam_policy: Option<IamPolicy>,
    /// `projects/NUMBER`, `folders/…`, `organizations/…`, nearest first.
    pub ancestors: Vec<String>,
}

/// A Cloud Asset Inventory line read for its resource, typed by asset type.
#[derive(Debug, Clone, Deserialize)]
#[serde(bound(deserialize = "T: Deserialize<'de> + Default"))]
pub struct AssetResource<T> {
    #[serde(default)]
    pub resource: Option<ResourceBody<T>>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default, bound(deserialize = "T: Deserialize<'de> + Default"))]
pub struct ResourceBody<T> {
    pub data: T,
    /// The parent's full resource name (for a service account, its project by number).
    pub parent: Option<String>,
}

/// The fields of a `cloudresourcemanager.googleapis.com/Project` asset that map its number (as
/// policy asset names and ancestors write it) to its ID (as service accounts write it).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct ProjectData {
    pub project_id: String,
    pub project_number: String,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_names_split_into_project_account_and_id() {
        let name = parse_key_name(
            "projects/p1/serviceAccounts/sa@p1.iam.gserviceaccount.com/keys/0123abcd",
        )
        .unwrap();
        assert_eq!(name.project, Some("p1"));
        assert_eq!(name.account, "sa@p1.iam.gserviceaccount.com");
        assert_eq!(name.key_id, "0123abcd");
        let cai =
            parse_key_name("//iam.googleapis.com/projects/-/serviceAccounts/1101/keys/k").unwrap();
        assert_eq!((cai.project, cai.account), (None, "1101"));
        assert_eq!(parse_key_name("projects/p/serviceAccounts/sa"), None);
        assert_eq!(parse_key_name("keys/abc"), None);
        assert_eq!(parse_key_name("projects/p/serviceAccounts//keys/k"), None);
    }

    #[test]
    fn projects_come_from_emails_except_google_agents() {
        assert_eq!(
            project_of_email("ci@example-prod.iam.gserviceaccount.com"),
            Some("example-prod")
        );
        assert_eq!(
            project_of_email("gsa@${projectId}.iam.gserviceaccount.com"),
            Some("${projectId}")
        );
        assert_eq!(
            project_of_email("my-app@appspot.gserviceaccount.com"),
            Some("my-app")
        );
        assert_eq!(
            project_of_email("service-1234@gcp-sa-pubsub.iam.gserviceaccount.com"),
            None
        );
        assert_eq!(
            project_of_email("1234-compute@developer.gserviceaccount.com"),
            None
        );
        assert_eq!(
            project_of_email("1234@cloudservices.gserviceaccount.com"),
            None
        );
        assert_eq!(project_of_email("alice@example.com"), None);
        assert_eq!(project_of_email("x@.iam.gserviceaccount.com"), None);
        assert_eq!(project_of_email("no-at-sign"), None);
        // Multi-byte text must not panic on the suffix cut.
        assert_eq!(project_of_email("é@é"), None);
    }

    #[test]
    fn members_are_classified() {
        assert_eq!(
            Member::parse("serviceAccount:a@p.iam.gserviceaccount.com"),
            Member::Principal {
                kind: PrincipalKind::ServiceAccount,
                email: "a@p.iam.gserviceaccount.com",
                deleted_uid: None
            }
        );
        assert_eq!(
            Member::parse("deleted:serviceAccount:old@p.iam.gserviceaccount.com?uid=1234"),
            Member::Principal {
                kind: PrincipalKind::ServiceAccount,
                email: "old@p.iam.gserviceaccount.com",
                deleted_uid: Some("1234")
            }
        );
        assert_eq!(
            Member::parse("deleted:user:bob@example.com?uid=99"),
            Member::Principal {
                kind: PrincipalKind::User,
                email: "bob@example.com",
                deleted_uid: Some("99")
            }
        );
        assert_eq!(
            Member::parse("deleted:group:g@example.com"),
            Member::Principal {
                kind: PrincipalKind::Group,
                email: "g@example.com",
                deleted_uid: Some("")
            }
        );
        assert_eq!(
            Member::parse("serviceAccount:prod.svc.id.goog[ci/runner]"),
            Member::KubernetesServiceAccount {
                pool: "prod.svc.id.goog",
                namespace: "ci",
                name: "runner"
            }
        );
        for (member, expected) in [
            ("allUsers", NonIdentityMember::AllUsers),
            (
                "allAuthenticatedUsers",
                NonIdentityMember::AllAuthenticatedUsers,
            ),
            ("domain:example.com", NonIdentityMember::Domain),
            (
                "principalSet://iam.googleapis.com/locations/global/workforcePools/p/*",
                NonIdentityMember::Federated,
            ),
            ("projectOwner:project3", NonIdentityMember::ProjectRole),
            ("serviceAccount:", NonIdentityMember::Unrecognised),
            (
                "deleted:domain:example.com",
                NonIdentityMember::Unrecognised,
            ),
            ("something", NonIdentityMember::Unrecognised),
        ] {
            assert_eq!(
                Member::parse(member),
                Member::NotAnIdentity(expected),
                "{member}"
            );
        }
    }

    #[test]
    fn key_status_enums_tolerate_unknown_values() {
        let key: ServiceAccountKey = serde_json::from_str(
            r#"{"keyType":"KEY_TYPE_UNSPECIFIED","keyOrigin":"SOMETHING_NEW",
                "disableReason":"DISABLE_REASON_EXPOSED",
                "extendedStatus":[{"key":"SERVICE_ACCOUNT_KEY_EXTENDED_STATUS_KEY_EXPOSED","value":"https://github.com/x/y"}],
                "privateKeyData":"c2VjcmV0"}"#,
        )
        .unwrap();
        assert_eq!(key.key_type, KeyType::Unspecified);
        assert_eq!(key.key_origin, KeyOrigin::Unspecified);
        assert_eq!(
            key.exposure().as_deref(),
            Some("disabled: key exposed, KEY_EXPOSED (https://github.com/x/y)")
        );
    }
}
