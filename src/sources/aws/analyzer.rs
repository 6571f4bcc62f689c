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
use crate::time::{format_day as day, TimeField};

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
    let mut summaries = 0usize;
    for finding in findings {
        if !is_read(finding)
            || finding.finding_details.is_none() && detailed.contains(finding.id.as_str())
        {
            continue;
        }
        summaries += usize::from(finding.finding_details.is_none());
        Finding::of(input, finding, common).read(finding, common, usages);
    }
    if summaries > 0 {
        common.warn(format!(
            "{summaries} finding(s) without their details in any file of the scan: read as unused when analyzed, with no last-use date and no access key named; add their get-finding-v2 output"
        ));
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
        let judged_at = [
            ("analyzedAt", &finding.analyzed_at),
            ("updatedAt", &finding.updated_at),
        ]
        .into_iter()
        .find_map(|(field, text)| {
            common
                .time(text.as_deref(), &format!("finding {}: {field}", finding.id))
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

#[cfg(test)]
mod tests {
    use super::super::{detect, parse, AwsFile, Format};
    use crate::discover::probe::Probe;
    use crate::discover::FileInput;
    use crate::inventory::{LastUse, Records, UsageRecord, VerdictRecord, VerdictSubject};
    use crate::sources::Assembly;

    fn read(rel: &str, json: &str) -> (FileInput, Option<Format>, Option<AwsFile>) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("export.json");
        std::fs::write(&path, json).unwrap();
        let input = FileInput {
            path,
            rel: rel.into(),
            size: json.len() as u64,
        };
        let probe = Probe::read(&input, 1 << 20).unwrap();
        let format = detect(&probe);
        let file = format.map(|f| parse(&probe, f, None).unwrap());
        (input, format, file)
    }

    fn assembled(files: &[(&str, &str)]) -> (Records, Vec<VerdictRecord>, Vec<(String, String)>) {
        let files = files
            .iter()
            .map(|(rel, json)| {
                let (input, _, file) = read(rel, json);
                (input, file.expect("an Access Analyzer file"))
            })
            .collect();
        let ((records, verdicts), warnings) =
            Assembly::alone_with_verdicts(super::super::assemble, files);
        (records, verdicts, warnings)
    }

    const ROLE: &str = "arn:aws:iam::111122223333:role/etl";
    const USER: &str = "arn:aws:iam::111122223333:user/ci";

    fn finding(id: &str, kind: &str, resource: &str, status: &str, details: &str) -> String {
        let details = if details.is_empty() {
            String::new()
        } else {
            format!(r#""findingDetails": [{details}],"#)
        };
        format!(
            r#"{{{details} "id": "{id}", "resource": "{resource}", "resourceType": "AWS::IAM::Role",
              "resourceOwnerAccount": "111122223333", "status": "{status}", "findingType": "{kind}",
              "analyzedAt": "2026-04-01T06:12:09.114000+00:00", "updatedAt": "2026-04-01T06:12:09+00:00"}}"#
        )
    }

    #[test]
    fn findings_are_recognised_by_their_keys() {
        let one = finding("f1", "UnusedIAMRole", ROLE, "ACTIVE", "");
        assert_eq!(read("a.json", &one).1, Some(Format::AnalyzerFinding));
        assert_eq!(
            read("a.json", &format!("[{one}, {one}]")).1,
            Some(Format::AnalyzerFinding)
        );
        assert_eq!(
            read(
                "a.json",
                &format!(r#"{{"findings": [{one}], "nextToken": "t"}}"#)
            )
            .1,
            Some(Format::AnalyzerFindings)
        );
        // Other tools' findings (GuardDuty's capitalised keys, a scanner's list) are not these.
        assert_eq!(
            read("a.json", r#"{"Findings": [{"Type": "x", "Resource": {}}]}"#).1,
            None
        );
        assert_eq!(
            read(
                "a.json",
                r#"{"findings": [{"title": "x", "severity": "high"}]}"#
            )
            .1,
            None
        );
    }

    fn usage_of<'a>(records: &'a Records, identity: &str) -> Vec<&'a UsageRecord> {
        records
            .usages
            .iter()
            .filter(|u| u.identity == identity)
            .collect()
    }

    #[test]
    fn every_unused_finding_type_is_a_verdict_and_its_last_access_a_use() {
        let role = finding(
            "f-role",
            "UnusedIAMRole",
            ROLE,
            "ACTIVE",
            r#"{"unusedIamRoleDetails": {"lastAccessed": "2026-02-10T11:00:00+00:00"}}"#,
        );
        let never = finding(
            "f-never",
            "UnusedIAMRole",
            "arn:aws:iam::111122223333:role/idle",
            "ARCHIVED",
            r#"{"unusedIamRoleDetails": {}}"#,
        );
        let password = finding(
            "f-password",
            "UnusedIAMUserPassword",
            USER,
            "RESOLVED",
            r#"{"unusedIamUserPasswordDetails": {"lastAccessed": "2026-03-01T00:00:00Z"}}"#,
        );
        let keys = finding(
            "f-keys",
            "UnusedIAMUserAccessKey",
            USER,
            "ACTIVE",
            r#"{"unusedIamUserAccessKeyDetails": {"accessKeyId": "AKIAEXAMPLEKEYONE001"}},
               {"unusedIamUserAccessKeyDetails": {"accessKeyId": "AKIAEXAMPLEKEYTWO002", "lastAccessed": "2026-01-05T00:00:00Z"}}"#,
        );
        let permission = finding(
            "f-perm",
            "UnusedPermission",
            ROLE,
            "ACTIVE",
            r#"{"unusedPermissionDetails": {"serviceNamespace": "s3", "lastAccessed": "2026-05-01T00:00:00Z",
                "actions": [{"action": "PutObject", "lastAccessed": "2026-06-02T00:00:00Z"}, {"action": "DeleteObject"}]}},
               {"unusedPermissionDetails": {"serviceNamespace": "ec2"}}"#,
        );
        let list =
            format!(r#"{{"findings": [{role}, {never}, {password}, {keys}, {permission}]}}"#);
        let (records, verdicts, warnings) = assembled(&[("aa.json", &list)]);
        assert!(warnings.is_empty(), "{warnings:?}");
        let subjects: Vec<(&str, &VerdictSubject, bool, LastUse)> = verdicts
            .iter()
            .map(|v| (v.identity.as_str(), &v.subject, v.unused, v.last_used))
            .collect();
        let at = |t: &str| LastUse::At(t.parse().unwrap());
        assert_eq!(
            subjects,
            vec![
                (
                    ROLE,
                    &VerdictSubject::Identity,
                    true,
                    at("2026-02-10T11:00:00Z")
                ),
                (
                    "arn:aws:iam::111122223333:role/idle",
                    &VerdictSubject::Identity,
                    true,
                    LastUse::Never
                ),
                (
                    USER,
                    &VerdictSubject::Credential(format!("{USER}#password")),
                    false,
                    at("2026-03-01T00:00:00Z")
                ),
                (
                    USER,
                    &VerdictSubject::Credential("AKIAEXAMPLEKEYONE001".into()),
                    true,
                    LastUse::Never
                ),
                (
                    USER,
                    &VerdictSubject::Credential("AKIAEXAMPLEKEYTWO002".into()),
                    true,
                    at("2026-01-05T00:00:00Z")
                ),
            ]
        );
        assert!(verdicts
            .iter()
            .all(|v| v.judged_at == Some("2026-04-01T06:12:09.114Z".parse().unwrap())));
        // The role's uses: its own last access, and the latest access an unused-permission
        // finding dates (an action's, later than its service's).
        let role_uses = usage_of(&records, ROLE);
        assert_eq!(role_uses.len(), 2);
        assert_eq!(
            role_uses[0].evidence.detail,
            "IAM Access Analyzer: last accessed 2026-02-10 (UnusedIAMRole finding f-role, ACTIVE)"
        );
        assert_eq!(role_uses[1].at, "2026-06-02T00:00:00Z".parse().unwrap());
        assert!(
            role_uses[1].evidence.detail.ends_with(", s3:PutObject)"),
            "{}",
            role_uses[1].evidence.detail
        );
        // The user's: the password's and one key's, each through its credential.
        let credentials: Vec<Option<&str>> = usage_of(&records, USER)
            .iter()
            .map(|u| u.credential.as_deref())
            .collect();
        assert_eq!(
            credentials,
            vec![
                Some("arn:aws:iam::111122223333:user/ci#password"),
                Some("AKIAEXAMPLEKEYTWO002")
            ]
        );
        // Verdicts make no identity and no credential.
        assert!(records.identities.is_empty() && records.credentials.is_empty());
    }

    #[test]
    fn a_summary_is_read_only_where_no_file_gives_the_details() {
        let summary = finding("f1", "UnusedIAMUserAccessKey", USER, "ACTIVE", "");
        let detailed = finding(
            "f1",
            "UnusedIAMUserAccessKey",
            USER,
            "ACTIVE",
            r#"{"unusedIamUserAccessKeyDetails": {"accessKeyId": "AKIAEXAMPLEKEYONE001", "lastAccessed": "2026-01-05T00:00:00Z"}}"#,
        );
        let list = format!(r#"{{"findings": [{summary}]}}"#);
        let (_, verdicts, warnings) = assembled(&[("list.json", &list), ("get.json", &detailed)]);
        assert_eq!(verdicts.len(), 1);
        assert_eq!(
            verdicts[0].subject,
            VerdictSubject::Credential("AKIAEXAMPLEKEYONE001".into())
        );
        assert!(warnings.is_empty(), "{warnings:?}");
        // Alone, a summary names no key and dates nothing, and the file says so.
        let (records, verdicts, warnings) = assembled(&[("list.json", &list)]);
        assert_eq!(verdicts[0].subject, VerdictSubject::UnnamedCredential);
        assert_eq!(verdicts[0].last_used, LastUse::Unknown);
        assert!(records.usages.is_empty());
        assert_eq!(warnings.len(), 1);
        assert!(
            warnings[0].1.contains("without their details"),
            "{warnings:?}"
        );
    }

    #[test]
    fn unreadable_dates_error_findings_and_other_types_say_nothing_about_use() {
        let garbled = finding(
            "f-garbled",
            "UnusedIAMRole",
            ROLE,
            "ACTIVE",
            r#"{"unusedIamRoleDetails": {"lastAccessed": "last tuesday"}}"#,
        );
        let error = r#"{"id": "f-error", "resource": "arn:aws:iam::111122223333:role/x", "resourceType": "AWS::IAM::Role",
            "status": "ACTIVE", "findingType": "UnusedIAMRole", "error": "INTERNAL_ERROR"}"#;
        let external = finding("f-ext", "ExternalAccess", ROLE, "ACTIVE", "");
        let list = format!(r#"{{"findings": [{garbled}, {error}, {external}]}}"#);
        let (_, format, file) = read("aa.json", &list);
        assert_eq!(format, Some(Format::AnalyzerFindings));
        let file = file.unwrap();
        assert_eq!(crate::sources::FamilyFile::record_count(&file), 1);
        assert_eq!(
            crate::sources::FamilyFile::warnings(&file),
            vec![
                "1 finding(s) not about use (external or internal access); not read",
                "1 unused-access finding(s) with an error (the analyzer could not analyze the entity); not read"
            ]
        );
        let (records, verdicts, warnings) = assembled(&[("aa.json", &list)]);
        assert_eq!(verdicts.len(), 1);
        // A date that cannot be read is unknown, never "no access recorded".
        assert_eq!(verdicts[0].last_used, LastUse::Unknown);
        assert!(records.usages.is_empty());
        assert!(warnings[0].1.contains("last tuesday"), "{warnings:?}");
    }
}
