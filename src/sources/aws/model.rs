//! Serde types close to the AWS IAM exports: the credential report, account authorization
//! details, access-key listings and last-used lookups, roles and users. Dates stay text here;
//! `normalize` reads them with the sentinels in mind.

use crate::sources::leak::SecretField;
use serde::{Deserialize, Deserializer};

/// A row of the IAM credential report. Columns are mapped by header name, so older reports
/// without the `*_last_used_*` columns read too (missing columns are empty).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct CredentialReportRow {
    pub user: String,
    pub arn: String,
    pub user_creation_time: String,
    pub password_enabled: String,
    pub password_last_used: String,
    pub password_last_changed: String,
    pub mfa_active: String,
    pub access_key_1_active: String,
    pub access_key_1_last_rotated: String,
    pub access_key_1_last_used_date: String,
    pub access_key_1_last_used_region: String,
    pub access_key_1_last_used_service: String,
    pub access_key_2_active: String,
    pub access_key_2_last_rotated: String,
    pub access_key_2_last_used_date: String,
    pub access_key_2_last_used_region: String,
    pub access_key_2_last_used_service: String,
    pub cert_1_active: String,
    pub cert_1_last_rotated: String,
    pub cert_2_active: String,
    pub cert_2_last_rotated: String,
}

/// `aws iam get-credential-report` output. `Content` is base64 from the CLI and plain CSV from
/// boto3-based collectors; the CLI documentation example omits it altogether.
#[derive(Debug, Clone, Deserialize)]
#[serde(rename_all = "PascalCase")]
pub struct CredentialReportEnvelope {
    #[serde(default)]
    pub content: Option<String>,
    /// When AWS generated the report: the export time that decides between disagreeing
    /// exports (`sources::reconcile`).
    #[serde(default)]
    pub generated_time: Option<String>,
    #[allow(dead_code)] // accepted in the file, not needed for judging
    #[serde(default)]
    pub report_format: Option<String>,
}

/// `aws iam get-account-authorization-details` output (one page or the merged result).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AuthorizationDetails {
    pub user_detail_list: Vec<UserDetail>,
    pub role_detail_list: Vec<RoleDetail>,
    pub group_detail_list: Vec<GroupDetail>,
    pub is_truncated: Option<bool>,
    pub marker: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserDetail {
    pub user_name: String,
    pub user_id: Option<String>,
    pub arn: String,
    pub path: Option<String>,
    pub create_date: Option<String>,
    pub password_last_used: Option<String>,
    pub group_list: Vec<String>,
    pub attached_managed_policies: OneOrMany<AttachedPolicy>,
    pub user_policy_list: Vec<InlinePolicy>,
    pub tags: Vec<Tag>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RoleDetail {
    pub role_name: String,
    pub role_id: Option<String>,
    pub arn: String,
    pub path: Option<String>,
    pub create_date: Option<String>,
    pub attached_managed_policies: OneOrMany<AttachedPolicy>,
    pub role_policy_list: Vec<InlinePolicy>,
    pub tags: Vec<Tag>,
    /// Absent: the export did not ask; `{}`: never used within the 400-day tracking window.
    pub role_last_used: Option<RoleLastUsed>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GroupDetail {
    pub group_name: String,
    pub arn: String,
    pub attached_managed_policies: OneOrMany<AttachedPolicy>,
    pub group_policy_list: Vec<InlinePolicy>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RoleLastUsed {
    pub last_used_date: Option<String>,
    pub region: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AttachedPolicy {
    pub policy_name: Option<String>,
    pub policy_arn: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct InlinePolicy {
    pub policy_name: String,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct Tag {
    pub key: String,
    pub value: String,
}

/// A list that some exports write as a single object (the CLI documentation's
/// `GroupDetailList[].AttachedManagedPolicies`). Both are read; the single form is reported.
#[derive(Debug, Clone)]
pub enum OneOrMany<T> {
    Many(Vec<T>),
    One(T),
}

impl<T> Default for OneOrMany<T> {
    fn default() -> Self {
        OneOrMany::Many(Vec::new())
    }
}

impl<T> OneOrMany<T> {
    pub fn items(&self) -> &[T] {
        match self {
            OneOrMany::Many(items) => items,
            OneOrMany::One(item) => std::slice::from_ref(item),
        }
    }

    pub fn is_single_object(&self) -> bool {
        matches!(self, OneOrMany::One(_))
    }
}

impl<'de, T: Deserialize<'de>> Deserialize<'de> for OneOrMany<T> {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        #[derive(Deserialize)]
        #[serde(untagged)]
        enum Shape<T> {
            Many(Vec<T>),
            One(T),
        }
        Ok(match Shape::deserialize(deserializer)? {
            Shape::Many(items) => OneOrMany::Many(items),
            Shape::One(item) => OneOrMany::One(item),
        })
    }
}

/// `aws iam list-access-keys` output.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AccessKeyList {
    pub access_key_metadata: Vec<AccessKeyMetadata>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AccessKeyMetadata {
    pub user_name: Option<String>,
    pub access_key_id: String,
    pub status: String,
    pub create_date: Option<String>,
}

/// `aws iam create-access-key` output.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreateAccessKeyOutput {
    pub access_key: CreatedAccessKey,
}

/// The key a `create-access-key` response describes. Its `SecretAccessKey` is secret material:
/// it is reduced to its digest while it is read (`sources::leak`), and reported as a leak of the
/// file that holds it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct CreatedAccessKey {
    pub user_name: Option<String>,
    pub access_key_id: String,
    pub status: String,
    pub create_date: Option<String>,
    pub secret_access_key: SecretField,
}

impl CreatedAccessKey {
    /// The key as a listing would describe it.
    pub fn metadata(&self) -> AccessKeyMetadata {
        AccessKeyMetadata {
            user_name: self.user_name.clone(),
            access_key_id: self.access_key_id.clone(),
            status: self.status.clone(),
            create_date: self.create_date.clone(),
        }
    }
}

/// `aws iam get-access-key-last-used` output. It names the user but not the key.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AccessKeyLastUsedOutput {
    pub user_name: Option<String>,
    /// Not in the AWS output; some collectors add it.
    pub access_key_id: Option<String>,
    pub access_key_last_used: AccessKeyLastUsed,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct AccessKeyLastUsed {
    pub last_used_date: Option<String>,
    pub service_name: Option<String>,
    pub region: Option<String>,
}

/// `aws iam get-role` output.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetRoleOutput {
    pub role: RoleDetail,
}

/// `aws iam get-user` output.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct GetUserOutput {
    pub user: UserDetail,
}

/// `aws iam list-users` output.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct UserList {
    pub users: Vec<UserDetail>,
}

/// `aws iam list-roles` output.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "PascalCase", default)]
pub struct RoleList {
    pub roles: Vec<RoleDetail>,
}

/// `aws accessanalyzer list-findings-v2` output. Collectors may merge each finding's
/// `get-finding-v2` details into its summary; both shapes read alike.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnalyzerFindingList {
    pub findings: Vec<AnalyzerFinding>,
    pub next_token: Option<String>,
}

/// An IAM Access Analyzer finding: a `list-findings-v2` summary, or a `get-finding-v2` output
/// (the summary and its `findingDetails`, paginated by `nextToken`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct AnalyzerFinding {
    pub id: String,
    /// The ARN of the IAM role or user the finding is about.
    pub resource: Option<String>,
    pub resource_type: Option<String>,
    pub resource_owner_account: Option<String>,
    pub status: Option<FindingStatus>,
    pub finding_type: Option<FindingType>,
    pub updated_at: Option<String>,
    pub analyzed_at: Option<String>,
    /// Why the analyzer could not analyze the entity (an error finding).
    pub error: Option<String>,
    /// Absent from a `list-findings-v2` summary.
    pub finding_details: Option<Vec<FindingDetails>>,
    pub next_token: Option<String>,
}

/// What an Access Analyzer finding is about. External and internal access findings are about
/// who can reach a resource, not about use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
pub enum FindingType {
    #[serde(rename = "UnusedIAMRole")]
    UnusedRole,
    #[serde(rename = "UnusedIAMUserAccessKey")]
    UnusedAccessKey,
    #[serde(rename = "UnusedIAMUserPassword")]
    UnusedPassword,
    #[serde(rename = "UnusedPermission")]
    UnusedPermission,
    #[serde(other)]
    Other,
}

impl FindingType {
    /// The name AWS gives it.
    pub fn as_str(self) -> &'static str {
        match self {
            FindingType::UnusedRole => "UnusedIAMRole",
            FindingType::UnusedAccessKey => "UnusedIAMUserAccessKey",
            FindingType::UnusedPassword => "UnusedIAMUserPassword",
            FindingType::UnusedPermission => "UnusedPermission",
            FindingType::Other => "other",
        }
    }

    /// A finding about whether an IAM entity or its credentials are used.
    pub fn is_about_use(self) -> bool {
        self != FindingType::Other
    }
}

/// An Access Analyzer finding's status: a resolved unused-access finding is one whose entity was
/// used again (or removed) since.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "SCREAMING_SNAKE_CASE")]
pub enum FindingStatus {
    Active,
    Archived,
    Resolved,
    #[serde(other)]
    Other,
}

impl FindingStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            FindingStatus::Active => "ACTIVE",
            FindingStatus::Archived => "ARCHIVED",
            FindingStatus::Resolved => "RESOLVED",
            FindingStatus::Other => "of another status",
        }
    }
}

/// One entry of a finding's `findingDetails` (a union: one member is set).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct FindingDetails {
    pub unused_iam_role_details: Option<UnusedLastAccessed>,
    pub unused_iam_user_access_key_details: Option<UnusedAccessKeyDetails>,
    pub unused_iam_user_password_details: Option<UnusedLastAccessed>,
    pub unused_permission_details: Option<UnusedPermissionDetails>,
}

/// `unusedIamRoleDetails` and `unusedIamUserPasswordDetails`: no `lastAccessed` means no access
/// recorded.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UnusedLastAccessed {
    pub last_accessed: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UnusedAccessKeyDetails {
    pub access_key_id: String,
    pub last_accessed: Option<String>,
}

/// The unused actions of one service, each with its own last access when it had one.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UnusedPermissionDetails {
    pub service_namespace: String,
    pub actions: Option<Vec<UnusedAction>>,
    pub last_accessed: Option<String>,
}

#[derive(Debug, Clone, Default, Deserialize)]
#[serde(rename_all = "camelCase", default)]
pub struct UnusedAction {
    pub action: String,
    pub last_accessed: Option<String>,
}
