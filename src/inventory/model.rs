//! The normalized records every source family produces: identities, credentials, grants and
//! observed uses, each with the evidence of where it was read.

use std::fmt;
use std::sync::Arc;

use super::disclosure::Disclosure;
use jiff::Timestamp;
use serde::Serialize;

/// The family of system a record comes from. Also the name of the `src/sources/` module.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum SourceFamily {
    Register,
    /// The manifests collectors write beside their exports (`export.json`): where and when
    /// an export was taken. They hold no records.
    Manifest,
    Aws,
    Gcp,
    Azure,
    Kubernetes,
    Github,
    Vault,
    Certs,
    /// Infrastructure code: Terraform state and plan files.
    Terraform,
    Git,
    /// Plain files outside repositories, read by the secret detectors.
    Files,
    /// Inventories the config maps (`inventories:`): SaaS, ticketing, CMDB exports.
    Inventory,
    /// Inventories written by the open-source nhi-scan tool.
    NhiScan,
}

impl SourceFamily {
    /// The family's exports name identities a register judges (cloud and platform accounts),
    /// rather than certificates, repositories or files.
    pub fn holds_identities(self) -> bool {
        matches!(
            self,
            SourceFamily::Aws
                | SourceFamily::Gcp
                | SourceFamily::Azure
                | SourceFamily::Kubernetes
                | SourceFamily::Github
                | SourceFamily::Vault
                | SourceFamily::Inventory
                | SourceFamily::NhiScan
        )
    }

    pub fn as_str(self) -> &'static str {
        match self {
            SourceFamily::Register => "register",
            SourceFamily::Manifest => "manifest",
            SourceFamily::Aws => "aws",
            SourceFamily::Gcp => "gcp",
            SourceFamily::Azure => "azure",
            SourceFamily::Kubernetes => "kubernetes",
            SourceFamily::Github => "github",
            SourceFamily::Vault => "vault",
            SourceFamily::Certs => "certs",
            SourceFamily::Terraform => "terraform",
            SourceFamily::Git => "git",
            SourceFamily::Files => "files",
            SourceFamily::Inventory => "inventory",
            SourceFamily::NhiScan => "nhi-scan",
        }
    }
}

impl fmt::Display for SourceFamily {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One concrete system: an AWS account, a GCP project, an Entra tenant, a cluster, a Vault
/// server, a certificate store, a repository.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
pub struct SystemRef {
    pub family: SourceFamily,
    pub name: Arc<str>,
}

impl SystemRef {
    pub fn new(family: SourceFamily, name: impl AsRef<str>) -> Self {
        SystemRef {
            family,
            name: shared(name.as_ref()),
        }
    }
}

/// The same text as the previous call on this thread, shared rather than copied: the records
/// of one file, made one after another, name the same path and system, and at a million
/// credentials a copy of each is hundreds of MB.
fn shared(text: &str) -> Arc<str> {
    thread_local! {
        static LAST: std::cell::RefCell<[Option<Arc<str>>; 2]> = const { std::cell::RefCell::new([None, None]) };
    }
    LAST.with(|last| {
        let mut last = last.borrow_mut();
        if let Some(found) = last.iter().flatten().find(|s| &***s == text) {
            return Arc::clone(found);
        }
        let made: Arc<str> = Arc::from(text);
        last.swap(0, 1);
        last[0] = Some(Arc::clone(&made));
        made
    })
}

impl fmt::Display for SystemRef {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.family {
            // The user named the system (`salesforce:prod`): reports show that name.
            SourceFamily::Inventory => f.write_str(&self.name),
            family => write!(f, "{family}:{}", self.name),
        }
    }
}

/// Where a record was read. Paths are relative to the scanned root they were found under.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize)]
pub struct Evidence {
    pub path: Arc<str>,
    #[serde(default)]
    pub line: Option<u32>,
    pub detail: String,
    /// Text whose first occurrence in the file marks the record (a native ID), so that the line
    /// can be found after evaluation for the few records that become findings.
    #[serde(skip)]
    pub locate: Option<String>,
}

impl Evidence {
    pub fn new(path: impl AsRef<str>, detail: impl Into<String>) -> Self {
        Evidence {
            path: shared(path.as_ref()),
            line: None,
            detail: detail.into(),
            locate: None,
        }
    }

    pub fn at_line(mut self, line: u32) -> Self {
        self.line = Some(line);
        self
    }

    /// Sets the line when it is known.
    pub fn at(mut self, line: Option<u32>) -> Self {
        self.line = line.or(self.line);
        self
    }

    /// Marks the record by a text to find in the file later (when no line is known yet).
    pub fn locate_by(mut self, needle: impl Into<String>) -> Self {
        let needle = needle.into();
        if !needle.is_empty() {
            self.locate = Some(needle);
        }
        self
    }
}

/// What an identity is, as far as the source or the register can tell.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum IdentityKind {
    Service,
    Workload,
    Agent,
    Human,
    /// A cloud account's root principal: not an NHI to register, but its keys still count.
    Root,
    /// A group of principals (a GCP group, a Kubernetes group subject): holds grants, is not an
    /// identity to register.
    Group,
    /// A certificate authority: it issues and anchors trust, it is not an NHI to register.
    Authority,
    /// Created and deleted by its platform with its container (a Kubernetes namespace's
    /// `default` service account): nobody registers it, but its credentials and grants count.
    Managed,
    Unknown,
}

impl IdentityKind {
    pub fn as_str(self) -> &'static str {
        match self {
            IdentityKind::Service => "service",
            IdentityKind::Workload => "workload",
            IdentityKind::Agent => "agent",
            IdentityKind::Human => "human",
            IdentityKind::Root => "root",
            IdentityKind::Group => "group",
            IdentityKind::Authority => "authority",
            IdentityKind::Managed => "managed",
            IdentityKind::Unknown => "unknown",
        }
    }
}

/// The state of an identity's account in its home system.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum AccountState {
    Enabled,
    Disabled,
    Deleted,
    Unknown,
}

impl AccountState {
    pub fn as_str(self) -> &'static str {
        match self {
            AccountState::Enabled => "enabled",
            AccountState::Disabled => "disabled",
            AccountState::Deleted => "deleted",
            AccountState::Unknown => "unknown",
        }
    }
}

/// An identity as one system knows it.
#[derive(Debug, Clone, Serialize)]
pub struct IdentityRecord {
    pub system: SystemRef,
    /// The most specific identifier the system gives (ARN, SA email, appId, …).
    pub native_id: String,
    /// Other identifiers of the same account in this system, offered for correlation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub aliases: Vec<String>,
    pub kind: IdentityKind,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub display_name: Option<String>,
    pub state: AccountState,
    #[serde(skip_serializing_if = "Option::is_none", with = "opt_ts")]
    pub created: Option<Timestamp>,
    /// Owner as the system records it (a person's login or email), if it does.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub owner: Option<String>,
    /// How the home system addresses it beyond its native ID, where the ID does not say.
    #[serde(skip)]
    pub locator: Option<Box<Locator>>,
    pub evidence: Evidence,
}

/// How a record's home system addresses it beyond its native ID, where the ID alone does not
/// say: what a remediation runbook's commands need (`runbook`). Set by the families that know;
/// absent for most records.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Locator {
    /// The Entra directory object a record is or sits on: one appId names an application and
    /// its service principal, and their credentials are removed with different commands.
    Entra(EntraObject),
    /// A certificate: who issued it and its serial, for revocation at the issuer.
    Certificate(Issuance),
    /// A GitHub fine-grained personal access token: its grant ID in the organisation, the
    /// `pat_id` the REST API revokes it by (its credential ID is the token ID).
    GithubPatGrant(u64),
}

/// The Entra directory objects a record can be.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, serde::Deserialize)]
pub enum EntraObject {
    Application,
    ServicePrincipal,
    /// A managed identity's service principal: Azure deletes it with its resource.
    ManagedIdentity,
}

/// Who issued a certificate, and its serial.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Issuance {
    /// The issuer's distinguished name.
    pub issuer: String,
    /// The serial number, lower-case hex.
    pub serial: String,
    /// The Vault PKI mount that issued it, when it was read from one.
    pub vault_pki_mount: Option<String>,
}

/// What a credential is.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "snake_case")]
pub enum CredentialKind {
    AccessKey,
    /// A SaaS API key or consumer key (mapped inventories).
    ApiKey,
    Password,
    SigningCertificate,
    ServiceAccountKey,
    ClientSecret,
    ClientCertificate,
    Token,
    SecretId,
    Certificate,
    DeployKey,
    PersonalAccessToken,
    AppInstallation,
    Lease,
    /// A Vault login role as a credential factory: what a login to it gets (periodic tokens that
    /// renew forever are "never expires").
    TokenRole,
    /// A secret stored in a secret manager (Vault KV) on behalf of an identity.
    StoredSecret,
}

impl CredentialKind {
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialKind::AccessKey => "access_key",
            CredentialKind::ApiKey => "api_key",
            CredentialKind::Password => "password",
            CredentialKind::SigningCertificate => "signing_certificate",
            CredentialKind::ServiceAccountKey => "service_account_key",
            CredentialKind::ClientSecret => "client_secret",
            CredentialKind::ClientCertificate => "client_certificate",
            CredentialKind::Token => "token",
            CredentialKind::SecretId => "secret_id",
            CredentialKind::Certificate => "certificate",
            CredentialKind::DeployKey => "deploy_key",
            CredentialKind::PersonalAccessToken => "personal_access_token",
            CredentialKind::AppInstallation => "app_installation",
            CredentialKind::Lease => "lease",
            CredentialKind::TokenRole => "token_role",
            CredentialKind::StoredSecret => "stored_secret",
        }
    }
}

/// Whether a credential can still be used, as its system reports it.
#[derive(
    Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, serde::Deserialize,
)]
#[serde(rename_all = "lowercase")]
pub enum CredentialStatus {
    Active,
    Inactive,
    Expired,
    Revoked,
}

impl CredentialStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            CredentialStatus::Active => "active",
            CredentialStatus::Inactive => "inactive",
            CredentialStatus::Expired => "expired",
            CredentialStatus::Revoked => "revoked",
        }
    }
}

/// What the export says about a credential's expiry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "at")]
pub enum Expiry {
    /// Expires at this instant.
    At(#[serde(with = "ts")] Timestamp),
    /// The system says explicitly that it never expires (9999 sentinel, `ttl: 0`, legacy token).
    Never,
    /// The system has no expiry for this kind of credential (AWS access keys) or the export
    /// does not say.
    NotApplicable,
}

/// What the export says about a credential's last use.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "kind", content = "at")]
pub enum LastUse {
    At(#[serde(with = "ts")] Timestamp),
    /// The system tracks use and recorded none (AWS `N/A` for an existing key, `RoleLastUsed: {}`).
    Never,
    /// The export carries no usage data for it: unknown, never treated as unused or as fine.
    Unknown,
}

/// A credential: something that lets its holder authenticate to a system.
#[derive(Debug, Clone, Serialize)]
pub struct CredentialRecord {
    pub system: SystemRef,
    /// The native credential ID: never secret material.
    pub id: String,
    pub kind: CredentialKind,
    /// An identifier of the holder, in a form the alias index knows (ARN, email, …).
    pub holder: String,
    pub status: CredentialStatus,
    #[serde(skip_serializing_if = "Option::is_none", with = "opt_ts")]
    pub created: Option<Timestamp>,
    pub last_used: LastUse,
    /// When the secret was last replaced; only for credentials that can be rotated in place.
    #[serde(skip_serializing_if = "Option::is_none", with = "opt_ts")]
    pub last_rotated: Option<Timestamp>,
    pub expires: Expiry,
    /// A credential whose compromise gives the whole system (root key, root token, CA).
    pub privileged: bool,
    /// Accepted by whatever consumes the store it sits in (a certificate in a trust bundle).
    pub trusted: bool,
    /// Other identifiers of the same secret, for joins that are not aliases of an identity:
    /// `spki-sha256:HEX` of a certificate's public key, so that a committed private key can be
    /// matched to it. Empty for most credentials.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub fingerprints: Vec<String>,
    /// How the home system addresses it beyond its ID, where the ID does not say.
    #[serde(skip)]
    pub locator: Option<Box<Locator>>,
    pub evidence: Evidence,
}

/// A privilege held by an identity, or by a principal string that resolves to nothing.
#[derive(Debug, Clone, Serialize)]
pub struct GrantRecord {
    pub system: SystemRef,
    /// The holder identifier (resolvable) or the raw principal string when dangling.
    pub holder: String,
    /// What the holder is, as far as the grant says (`user:` and `group:` members of a GCP
    /// binding are people and groups, not NHIs to register).
    pub holder_kind: IdentityKind,
    /// What is granted: `policy:ARN`, `group:NAME`, `role:roles/owner on projects/p`, …
    pub privilege: String,
    /// The system itself says the principal no longer exists (`deleted:serviceAccount:…`, a
    /// binding to a missing ServiceAccount).
    pub dangling: bool,
    pub evidence: Evidence,
}

/// An observed use: the last time an identity (through one of its credentials, when the
/// export says which) acted in a system.
#[derive(Debug, Clone, Serialize)]
pub struct UsageRecord {
    pub system: SystemRef,
    /// An identifier of the identity that acted (resolved through the alias index).
    pub identity: String,
    /// The native ID of the credential used, when known; its last use is raised to `at`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    #[serde(with = "ts")]
    pub at: Timestamp,
    pub evidence: Evidence,
}

/// Whose own judgement of use a verdict is: the platforms' unused-access analyses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VerdictSource {
    /// AWS IAM Access Analyzer unused-access findings.
    AccessAnalyzer,
    /// GCP Recommender service-account insights.
    GcpRecommender,
    /// GCP Policy Analyzer (Activity Analyzer) authentication activities.
    GcpPolicyAnalyzer,
}

impl VerdictSource {
    /// The platform's name, as evidence names it.
    pub fn name(self) -> &'static str {
        match self {
            VerdictSource::AccessAnalyzer => "IAM Access Analyzer",
            VerdictSource::GcpRecommender => "GCP Recommender",
            VerdictSource::GcpPolicyAnalyzer => "GCP Policy Analyzer",
        }
    }

    /// The words the platform dates a use with.
    pub fn last_use_words(self) -> &'static str {
        match self {
            VerdictSource::AccessAnalyzer => "last accessed",
            VerdictSource::GcpRecommender | VerdictSource::GcpPolicyAnalyzer => {
                "last authenticated"
            }
        }
    }
}

/// What a verdict judges.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum VerdictSubject {
    /// The identity itself (an IAM role, a service account).
    Identity,
    /// One credential, by its native ID (an access key ID, a service-account key ID, an IAM
    /// user's `ARN#password`).
    Credential(String),
    /// A credential the export does not name (an unused-access-key finding listed without its
    /// details): nothing is joined to it.
    UnnamedCredential,
}

/// A platform's own word on whether an identity or a credential is used: an Access Analyzer
/// unused-access finding, a Recommender service-account insight, a Policy Analyzer
/// authentication activity. The dated use it reports is also a [`UsageRecord`] (a fact like any
/// other, and the latest use always counts); this record keeps what the platform judged, so that
/// an undated "no recorded use" can be applied and the evidence can say where another export
/// disagrees (`inventory::verdict`). Verdicts create no identity and no credential.
#[derive(Debug, Clone)]
pub struct VerdictRecord {
    pub system: SystemRef,
    pub source: VerdictSource,
    /// An identifier of the identity judged, or that holds the credential judged (resolved
    /// through the alias index).
    pub identity: String,
    pub subject: VerdictSubject,
    /// The platform calls it unused (an unresolved unused-access finding, a service-account
    /// insight, an activity without authentication), rather than only dating its last use.
    pub unused: bool,
    /// The last use the platform recorded: a date; `Never` when it watched and recorded none
    /// (since `watched_since`, or since its tracking began); `Unknown` when the export does not
    /// carry the detail (a finding listed without its details).
    pub last_used: LastUse,
    /// The start of the period the platform watched, when it says (a Policy Analyzer
    /// observation period; a Recommender insight's `lastRefreshTime` minus its
    /// `observationPeriod`). `None` with `Never`: since the platform's tracking began.
    pub watched_since: Option<Timestamp>,
    /// When the platform judged (`analyzedAt`, `lastRefreshTime`, the observation's end).
    pub judged_at: Option<Timestamp>,
    pub evidence: Evidence,
}

/// What a provisioned resource is to its identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProvisionKind {
    /// The identity itself (an IAM user or role, a service account, an application).
    Identity,
    /// A credential of it (an access key, a service-account key, a client secret).
    Credential,
    /// A privilege it holds (a policy attachment, an IAM binding, a role binding).
    Grant,
}

impl ProvisionKind {
    pub fn as_str(self) -> &'static str {
        match self {
            ProvisionKind::Identity => "identity",
            ProvisionKind::Credential => "credential",
            ProvisionKind::Grant => "grant",
        }
    }
}

/// What the next apply does with a provisioned resource.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ProvisionChange {
    /// In the state, or a plan's `no-op`: the apply keeps it, and recreates it if it was
    /// removed by hand.
    Keep,
    /// A plan's `create`.
    Create,
    /// A plan's `update` (in place).
    Update,
    /// A plan's `delete` and `create` together: destroyed and created again.
    Replace,
    /// A plan's `delete`, or a deposed object of the state: the apply removes it.
    Destroy,
    /// A plan's `forget` (a `removed` block): Terraform stops managing it without destroying it.
    Forget,
}

impl ProvisionChange {
    pub fn as_str(self) -> &'static str {
        match self {
            ProvisionChange::Keep => "keep",
            ProvisionChange::Create => "create",
            ProvisionChange::Update => "update",
            ProvisionChange::Replace => "replace",
            ProvisionChange::Destroy => "destroy",
            ProvisionChange::Forget => "forget",
        }
    }

    /// What the next apply does with it, as a verb (`keeps`, `creates`, …).
    pub fn verb(self) -> &'static str {
        match self {
            ProvisionChange::Keep => "keeps",
            ProvisionChange::Create => "creates",
            ProvisionChange::Update => "updates",
            ProvisionChange::Replace => "replaces",
            ProvisionChange::Destroy => "destroys",
            ProvisionChange::Forget => "forgets",
        }
    }

    /// Whether the resource exists after the next apply.
    pub fn survives_apply(self) -> bool {
        matches!(
            self,
            ProvisionChange::Keep
                | ProvisionChange::Create
                | ProvisionChange::Update
                | ProvisionChange::Replace
        )
    }
}

/// A resource that infrastructure code provisions (a Terraform state or plan): an identity, a
/// credential or a grant, and what the next apply does with it. It is not an account, a
/// credential or a grant of a system (the state is what the code wants, not what the system
/// holds): it is judged on its own (DPV011), never merged with the system's records.
#[derive(Debug, Clone, Serialize)]
pub struct ProvisionRecord {
    /// The code that provisions it (`terraform:DIRECTORY`, the directory of the state or plan).
    pub system: SystemRef,
    /// The resource address (`module.ci.aws_iam_access_key.deploy`).
    pub address: String,
    /// The resource type (`aws_iam_access_key`).
    pub resource_type: String,
    pub kind: ProvisionKind,
    pub change: ProvisionChange,
    /// The identity it is or belongs to, in a form the alias index knows (ARN, service-account
    /// email, appId, `system:serviceaccount:NS:NAME`, `auth/MOUNT/role/NAME`).
    pub holder: String,
    /// Other identifiers of the holder (unique IDs, object IDs), for correlation.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub holder_aliases: Vec<String>,
    /// The native ID of the credential, when the resource is a credential whose ID is known
    /// (an access key ID, a key ID, an accessor, a public-key fingerprint).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub credential: Option<String>,
    /// What is provisioned, in words (`access key AKIA…`, `policy arn:… attached`).
    pub what: String,
    pub evidence: Evidence,
}

/// What a repository or file scan found: a secret, or a reference to an identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum ExposureKind {
    /// Secret material (a key, a token, a password).
    Secret,
    /// An identifier without a secret (an ARN, an SA email, a Vault role path) in configuration.
    Reference,
}

/// A secret or an identity reference found in a repository's working tree or history, or in a
/// plain file. The secret value itself is never kept: only its hash (in memory) and what
/// reports may show of it. Not serializable: its hash may be a plain digest of a password.
#[derive(Debug, Clone)]
pub struct ExposureRecord {
    pub system: SystemRef,
    pub kind: ExposureKind,
    pub detector: String,
    pub description: String,
    /// Identifiers the match carries, in the inventory's forms (key IDs, `spki-sha256:…`, emails).
    pub carries: Vec<String>,
    /// SHA-256 of the secret (or of the identifier, for references): equal values are one
    /// exposure. Reports show it only for a [`Disclosure::Preview`].
    pub secret_sha256: String,
    /// What reports may show of the value.
    pub disclosure: Disclosure,
    /// Still present in the working tree (or in a plain file), not only in history.
    pub in_working_tree: bool,
    /// The first commit (oldest) that holds it, when found in history.
    pub first_commit: Option<String>,
    /// Found in an agent or tool configuration (MCP config, `.env`).
    pub agent_credential: bool,
    /// Rules an inline `deprov:allow RULE reason` comment names for it.
    pub allowed_rules: Vec<String>,
    /// How sure the detectors are that it is a secret (the highest of its occurrences). `None`
    /// for a reference: an exact identifier of a known identity, which makes no claim of secret
    /// material, so `--min-confidence` never hides it.
    pub confidence: Option<super::SecretConfidence>,
    pub evidence: Evidence,
}

/// One record of the inventory, by its index: what a checklist item is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RecordRef {
    /// `Records::identities`: an account in one system.
    Account(usize),
    Credential(usize),
    Grant(usize),
    Usage(usize),
    /// `Inventory::exposures`.
    Exposure(usize),
    /// `Records::provisions`: a resource infrastructure code provisions.
    Provision(usize),
}

/// Everything the sources read, before correlation.
#[derive(Debug, Default, Clone, Serialize)]
pub struct Records {
    pub identities: Vec<IdentityRecord>,
    pub credentials: Vec<CredentialRecord>,
    pub grants: Vec<GrantRecord>,
    pub usages: Vec<UsageRecord>,
    /// What infrastructure code provisions (judged apart from what the systems hold).
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub provisions: Vec<ProvisionRecord>,
}

impl Records {
    pub fn len(&self) -> usize {
        self.identities.len()
            + self.credentials.len()
            + self.grants.len()
            + self.usages.len()
            + self.provisions.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    pub fn extend(&mut self, other: Records) {
        // Taking the first family's vectors as they are avoids copying (and briefly doubling)
        // the largest of them.
        fn append<T>(into: &mut Vec<T>, from: Vec<T>) {
            if into.is_empty() {
                *into = from;
            } else {
                into.extend(from);
            }
        }
        append(&mut self.identities, other.identities);
        append(&mut self.credentials, other.credentials);
        append(&mut self.grants, other.grants);
        append(&mut self.usages, other.usages);
        append(&mut self.provisions, other.provisions);
    }
}

/// Serde helpers that write timestamps in deprov's one output form.
pub(crate) mod ts {
    use jiff::Timestamp;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(value: &Timestamp, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(&crate::time::format_rfc3339(*value))
    }
}

pub(crate) mod opt_ts {
    use jiff::Timestamp;
    use serde::Serializer;

    pub fn serialize<S: Serializer>(value: &Option<Timestamp>, s: S) -> Result<S::Ok, S::Error> {
        match value {
            Some(ts) => s.serialize_str(&crate::time::format_rfc3339(*ts)),
            None => s.serialize_none(),
        }
    }
}
