//! IAM Access Analyzer unused-access findings (`list-findings-v2`, `get-finding-v2`) → the
//! platform's verdicts on use (`inventory::VerdictRecord`) and the uses it dated. A finding names
//! its IAM role or user by ARN, an access key by its ID and a console password by its user
//! (`ARN#password`, the credential report's ID for it), so it joins what the other AWS exports
//! read; it creates no identity and no credential.
//!
//! - `UnusedIAMRole`, `UnusedIAMUserPassword`, `UnusedIAMUserAccessKey`: a verdict, "unused"
//!   unless the finding is resolved (used again or removed since). A `lastAccessed` is also a use
//!   of the role, password or key; details without one mean that IAM recorded no access since its
//!   tracking began ("never used"); a finding listed without its details says neither, and names
//!   no key.
//! - `UnusedPermission`: the latest `lastAccessed` of its services and actions is a use of the
//!   role or user; the finding does not call the entity unused.
//! - External and internal access findings (who can reach a resource) and error findings are
//!   counted in the file's warnings and not read.

use std::collections::HashSet;

use jiff::Timestamp;

use super::model::{AnalyzerFinding, FindingDetails, FindingStatus, FindingType};
use crate::discover::FileInput;
use crate::inventory::{
    Evidence, LastUse, SourceFamily, SystemRef, UsageRecord, VerdictRecord, VerdictSource,
    VerdictSubject,
};
use crate::sources::Assembly;
use crate::time::TimeField;

/// A finding deprov reads: about use, and analyzed.
pub(super) fn is_read(finding: &AnalyzerFinding) -> bool {
    finding.finding_type.is_some_and(FindingType::is_about_use) && finding.error.is_none()
}

/// What a file of findings holds that is not read, or not in full.
pub(super) fn warnings(findings: &[AnalyzerFinding]) -> Vec<String> {
    let about_use = |f: &&AnalyzerFinding| f.finding_type.is_some_and(FindingType::is_about_use);
    let other = findings.iter().filter(|f| !about_use(f)).count();
    let errors = findings
        .iter()
        .filter(about_use)
        .filter(|f| f.error.is_some())
        .count();
    let summaries = findings
        .iter()
        .filter(|f| is_read(f) && f.finding_details.is_none())
        .count();
    let mut warnings = Vec::new();
    if other > 0 {
        warnings.push(format!(
            "{other} finding(s) not about use (external or internal access); not read"
        ));
    }
    if errors > 0 {
        warnings.push(format!(
            "{errors} unused-access finding(s) with an error (the analyzer could not analyze the entity); not read"
        ));
    }
    if summaries > 0 {
        warnings.push(format!(
            "{summaries} finding(s) without their details: read as unused when analyzed, with no last-use date and no access key named; add their get-finding-v2 output to the scan"
        ));
    }
    warnings
}

/// The IDs of findings some file gives with their details: a bare summary of one of them says
/// less, and is not read.
pub(super) fn detailed_ids<'a>(
    findings: impl Iterator<Item = &'a AnalyzerFinding>,
) -> HashSet<&'a str> {
    findings
        .filter(|f| f.finding_details.is_some() && !f.id.is_empty())
        .map(|f| f.id.as_str())
        .collect()
}

/// Reads one file's findings into verdicts (through `common`) and uses.
pub(super) fn read(
    input: &FileInput,
    findings: &[AnalyzerFinding],
    detailed: &HashSet<&str>,
    common: &mut Assembly,
    usages: &mut Vec<UsageRecord>,
) {
    for finding in findings {
        if !is_read(finding)
            || finding.finding_details.is_none() && detailed.contains(finding.id.as_str())
        {
            continue;
        }
        Finding::of(input, finding, common).read(finding, common, usages);
    }
}

/// What every verdict and use of one finding shares.
struct Finding {
    finding_type: FindingType,
    resource: String,
    system: SystemRef,
    unused: bool,
    judged_at: Option<Timestamp>,
    /// `UnusedIAMRole finding ID, ACTIVE`.
    label: String,
    evidence: Evidence,
}

impl Finding {
    fn of(input: &FileInput, finding: &AnalyzerFinding, common: &mut Assembly) -> Finding {
        let finding_type = finding.finding_type.unwrap_or(FindingType::Other);
        let resource = finding
            .resource
            .as_deref()
            .map(str::trim)
            .unwrap_or_default()
            .to_string();
        let account = finding
            .resource_owner_account
            .as_deref()
            .map(str::trim)
            .filter(|a| !a.is_empty())
            .or_else(|| super::normalize::account_of(&resource))
            .unwrap_or("unknown-account")
            .to_string();
        let status = finding.status.unwrap_or(FindingStatus::Active);
        let judged_at = [&finding.analyzed_at, &finding.updated_at]
            .into_iter()
            .find_map(|text| {
                common
                    .time(
                        text.as_deref(),
                        &format!("finding {}: analyzedAt", finding.id),
                    )
                    .at()
            });
        let label = if finding.id.is_empty() {
            format!("{} finding, {}", finding_type.as_str(), status.as_str())
        } else {
            format!(
                "{} finding {}, {}",
                finding_type.as_str(),
                finding.id,
                status.as_str()
            )
        };
        let locate = if finding.id.is_empty() {
            resource.clone()
        } else {
            finding.id.clone()
        };
        Finding {
            finding_type,
            evidence: Evidence::new(&input.rel, format!("IAM Access Analyzer {label}"))
                .locate_by(locate),
            resource,
            system: SystemRef::new(SourceFamily::Aws, account),
            unused: status != FindingStatus::Resolved,
            judged_at,
            label,
        }
    }

    fn read(
        &self,
        finding: &AnalyzerFinding,
        common: &mut Assembly,
        usages: &mut Vec<UsageRecord>,
    ) {
        if self.resource.is_empty() {
            common.warn(format!(
                "{}: the finding names no resource; not read",
                self.label
            ));
            return;
        }
        let details = finding.finding_details.as_deref();
        match self.finding_type {
            FindingType::UnusedRole => {
                let last_used = details.map_or(LastUse::Unknown, |details| {
                    self.last_accessed(details, common, |d| {
                        d.unused_iam_role_details.as_ref().map(|d| &d.last_accessed)
                    })
                });
                self.judge(VerdictSubject::Identity, last_used, common, usages);
            }
            FindingType::UnusedPassword => {
                let last_used = details.map_or(LastUse::Unknown, |details| {
                    self.last_accessed(details, common, |d| {
                        d.unused_iam_user_password_details
                            .as_ref()
                            .map(|d| &d.last_accessed)
                    })
                });
                let password = format!("{}#password", self.resource);
                self.judge(
                    VerdictSubject::Credential(password),
                    last_used,
                    common,
                    usages,
                );
            }
            FindingType::UnusedAccessKey => {
                let keys: Vec<_> = details
                    .into_iter()
                    .flatten()
                    .filter_map(|d| d.unused_iam_user_access_key_details.as_ref())
                    .filter(|k| !k.access_key_id.trim().is_empty())
                    .collect();
                if keys.is_empty() {
                    self.judge(
                        VerdictSubject::UnnamedCredential,
                        LastUse::Unknown,
                        common,
                        usages,
                    );
                }
                for key in keys {
                    let last_used =
                        self.dated(key.last_accessed.as_deref(), common, "lastAccessed");
                    let subject = VerdictSubject::Credential(key.access_key_id.trim().to_string());
                    self.judge(subject, last_used, common, usages);
                }
            }
            FindingType::UnusedPermission => {
                self.permission_use(details.unwrap_or_default(), common, usages)
            }
            FindingType::Other => {}
        }
    }

    /// The `lastAccessed` of the details member `pick` selects: `Never` when the member is there
    /// without one, `Unknown` when no entry has the member.
    fn last_accessed(
        &self,
        details: &[FindingDetails],
        common: &mut Assembly,
        pick: impl Fn(&FindingDetails) -> Option<&Option<String>>,
    ) -> LastUse {
        let mut last_used = LastUse::Unknown;
        for text in details.iter().filter_map(pick) {
            last_used = later(
                last_used,
                self.dated(text.as_deref(), common, "lastAccessed"),
            );
        }
        last_used
    }

    /// A `lastAccessed` value: absent is "no access recorded"; one that cannot be read is a
    /// warning and unknown, never "no access".
    fn dated(&self, text: Option<&str>, common: &mut Assembly, what: &str) -> LastUse {
        let Some(text) = text else {
            return LastUse::Never;
        };
        match common.parse_time(text, &format!("{}: {what}", self.label)) {
            Some(TimeField::At(at)) => LastUse::At(at),
            Some(TimeField::Absent | TimeField::Never) => LastUse::Never,
            None => LastUse::Unknown,
        }
    }

    /// The verdict, and the use it dates.
    fn judge(
        &self,
        subject: VerdictSubject,
        last_used: LastUse,
        common: &mut Assembly,
        usages: &mut Vec<UsageRecord>,
    ) {
        if let LastUse::At(at) = last_used {
            let (credential, what) = match &subject {
                VerdictSubject::Credential(id)
                    if self.finding_type == FindingType::UnusedAccessKey =>
                {
                    (Some(id.clone()), format!(", access key {id}"))
                }
                VerdictSubject::Credential(id) => (Some(id.clone()), String::new()),
                _ => (None, String::new()),
            };
            usages.push(
                UsageRecord::new(
                    self.system.clone(),
                    self.resource.clone(),
                    at,
                    self.use_evidence(at, &what),
                )
                .credential(credential),
            );
        }
        common.judge(
            VerdictRecord::new(
                self.system.clone(),
                VerdictSource::AccessAnalyzer,
                self.resource.clone(),
                subject,
                self.evidence.clone(),
            )
            .unused(self.unused)
            .last_used(last_used)
            .judged_at(self.judged_at),
        );
    }

    /// The latest access an unused-permission finding dates, of a service or one of its
    /// actions: a use of the role or user.
    fn permission_use(
        &self,
        details: &[FindingDetails],
        common: &mut Assembly,
        usages: &mut Vec<UsageRecord>,
    ) {
        let mut latest: Option<(Timestamp, String)> = None;
        for permission in details
            .iter()
            .filter_map(|d| d.unused_permission_details.as_ref())
        {
            let service = permission.service_namespace.trim();
            let dated = std::iter::once((permission.last_accessed.as_deref(), service.to_string()))
                .chain(permission.actions.iter().flatten().map(|a| {
                    (
                        a.last_accessed.as_deref(),
                        format!("{service}:{}", a.action.trim()),
                    )
                }));
            for (text, what) in dated {
                if let LastUse::At(at) = self.dated(text, common, "lastAccessed") {
                    if latest.as_ref().is_none_or(|(prev, _)| at > *prev) {
                        latest = Some((at, what));
                    }
                }
            }
        }
        if let Some((at, what)) = latest {
            usages.push(UsageRecord::new(
                self.system.clone(),
                self.resource.clone(),
                at,
                self.use_evidence(at, &format!(", {what}")),
            ));
        }
    }

    fn use_evidence(&self, at: Timestamp, what: &str) -> Evidence {
        let mut evidence = self.evidence.clone();
        evidence.detail = format!(
            "IAM Access Analyzer: last accessed {} ({}{what})",
            day(at),
            self.label
        );
        evidence
    }
}

/// The later of two last uses (a date beats "none recorded", which beats unknown).
fn later(a: LastUse, b: LastUse) -> LastUse {
    crate::sources::reconcile::later_use(a, b)
}

/// A day as evidence shows it.
fn day(at: Timestamp) -> String {
    let text = crate::time::format_rfc3339(at);
    text.get(..10).unwrap_or(&text).to_string()
}
