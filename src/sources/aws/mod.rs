//! AWS IAM exports, recognised by content: the credential report (CSV, or the
//! `get-credential-report` JSON with base64 or decoded `Content`), account authorization details
//! (one page or merged), `list-access-keys`, `create-access-key`, `get-access-key-last-used`,
//! `get-role`, `get-user`, `list-users` and `list-roles`; IAM Access Analyzer unused-access
//! findings (`list-findings-v2`, `get-finding-v2`), the platform's own verdict on use
//! (`analyzer`).
//!
//! A `create-access-key` response is a credential record like a listed key, and its
//! `SecretAccessKey` is secret material in the export: reported as a leak of the file
//! (`sources::leak`), attributed to the key (and through it its user), never shown.

mod analyzer;
mod model;
mod normalize;

use base64::Engine;

pub use normalize::assemble;

use super::SourceError;
use crate::discover::probe::{Content, Probe};
use model::{
    AccessKeyLastUsedOutput, AccessKeyList, AnalyzerFinding, AnalyzerFindingList,
    AuthorizationDetails, CreateAccessKeyOutput, CreatedAccessKey, CredentialReportEnvelope,
    CredentialReportRow, GetRoleOutput, GetUserOutput, RoleDetail, RoleList, UserDetail, UserList,
};

crate::sources::formats! {
    pub enum Format {
        CredentialReportCsv => "credential-report-csv",
        CredentialReportJson => "credential-report-json",
        AuthorizationDetails => "account-authorization-details",
        AccessKeys => "list-access-keys",
        AccessKeyLastUsed => "get-access-key-last-used",
        Roles => "roles",
        Users => "users",
        CreateAccessKey => "create-access-key",
        AnalyzerFindings => "access-analyzer-findings",
        AnalyzerFinding => "access-analyzer-finding",
    }
}

const AUTH_DETAILS_KEYS: [&str; 4] = [
    "UserDetailList",
    "RoleDetailList",
    "GroupDetailList",
    "Policies",
];

/// An Access Analyzer finding's keys (`list-findings-v2` items, `get-finding-v2` output).
fn is_analyzer_finding(keys: &std::collections::BTreeSet<String>) -> bool {
    keys.contains("findingType") && keys.contains("resourceType")
}

pub fn detect(probe: &Probe) -> Option<Format> {
    match &probe.content {
        Content::Json(shape) if is_analyzer_finding(&shape.keys) => Some(Format::AnalyzerFinding),
        Content::Json(shape)
            if !shape.is_array
                && shape
                    .nested
                    .get("findings")
                    .is_some_and(is_analyzer_finding) =>
        {
            Some(Format::AnalyzerFindings)
        }
        Content::Csv { header } => {
            let has = |h: &str| header.iter().any(|c| c == h);
            (has("user") && has("arn") && has("user_creation_time"))
                .then_some(Format::CredentialReportCsv)
        }
        Content::Json(shape) if !shape.is_array => {
            if shape.has("Content") && (shape.has("GeneratedTime") || shape.has("ReportFormat"))
                || shape.has("GeneratedTime") && shape.has("ReportFormat")
            {
                Some(Format::CredentialReportJson)
            } else if AUTH_DETAILS_KEYS.iter().any(|k| shape.has(k)) {
                Some(Format::AuthorizationDetails)
            } else if shape.nested_has("AccessKey", "AccessKeyId") {
                Some(Format::CreateAccessKey)
            } else if shape.has("AccessKeyMetadata") {
                Some(Format::AccessKeys)
            } else if shape.has("AccessKeyLastUsed") {
                Some(Format::AccessKeyLastUsed)
            } else if shape.nested_has("Role", "RoleName") || shape.nested_has("Roles", "RoleName")
            {
                Some(Format::Roles)
            } else if shape.nested_has("User", "UserName") || shape.nested_has("Users", "UserName")
            {
                Some(Format::Users)
            } else {
                None
            }
        }
        _ => None,
    }
}

/// A credential-report row and the 1-based line it was read from.
#[derive(Debug, Clone)]
pub struct ReportRow {
    pub row: CredentialReportRow,
    pub line: u32,
}

/// One parsed AWS file.
#[derive(Debug, Clone)]
pub enum AwsFile {
    CredentialReport {
        rows: Vec<ReportRow>,
        warnings: Vec<String>,
        /// When AWS generated it (`GeneratedTime` of `get-credential-report`; the CSV form does
        /// not say).
        generated: Option<jiff::Timestamp>,
    },
    AuthorizationDetails(AuthorizationDetails),
    AccessKeys(AccessKeyList),
    /// A `create-access-key` response: the key, and its secret's digest when the file holds it.
    CreatedKey {
        key: CreatedAccessKey,
        /// The line of `SecretAccessKey`.
        line: Option<u32>,
    },
    AccessKeyLastUsed {
        output: AccessKeyLastUsedOutput,
        /// The access key ID, from the output (some collectors add it) or the file name.
        key_id: Option<String>,
    },
    Roles(Vec<RoleDetail>),
    Users(Vec<UserDetail>),
    /// IAM Access Analyzer findings, from `list-findings-v2` or `get-finding-v2` outputs.
    AccessAnalyzer {
        findings: Vec<AnalyzerFinding>,
        warnings: Vec<String>,
    },
}

impl super::FamilyFile for AwsFile {
    fn record_count(&self) -> usize {
        match self {
            AwsFile::CredentialReport { rows, .. } => rows.len(),
            AwsFile::AuthorizationDetails(d) => {
                d.user_detail_list.len() + d.role_detail_list.len() + d.group_detail_list.len()
            }
            AwsFile::AccessKeys(list) => list.access_key_metadata.len(),
            AwsFile::CreatedKey { .. } | AwsFile::AccessKeyLastUsed { .. } => 1,
            AwsFile::Roles(roles) => roles.len(),
            AwsFile::Users(users) => users.len(),
            AwsFile::AccessAnalyzer { findings, .. } => {
                findings.iter().filter(|f| analyzer::is_read(f)).count()
            }
        }
    }

    fn exported_at(&self) -> Option<jiff::Timestamp> {
        match self {
            AwsFile::CredentialReport { generated, .. } => *generated,
            _ => None,
        }
    }

    /// Defects worth telling the user about; the file is still read.
    fn warnings(&self) -> Vec<String> {
        match self {
            AwsFile::CredentialReport { warnings, .. } => warnings.clone(),
            AwsFile::AuthorizationDetails(details) => {
                let mut warnings = Vec::new();
                for group in &details.group_detail_list {
                    if group.attached_managed_policies.is_single_object() {
                        warnings.push(format!(
                            "group {}: AttachedManagedPolicies is an object, not a list; read as a one-element list",
                            group.group_name
                        ));
                    }
                }
                if details.is_truncated == Some(true) {
                    warnings.push(
                        "page is truncated (IsTruncated: true); include the following pages in the scan".into(),
                    );
                }
                warnings
            }
            AwsFile::AccessKeyLastUsed { key_id: None, .. } => vec![
                "the output does not name its access key; it is joined to the user's only key, if there is one".into(),
            ],
            AwsFile::AccessAnalyzer { warnings, .. } => warnings.clone(),
            _ => Vec::new(),
        }
    }
}

/// Parses a recognised AWS file. `now` is the evaluation time: an export dated after it (a
/// credential report's `GeneratedTime` in the future) is treated as undated, since a date no
/// export can have would otherwise make it "the latest" and let it decide.
pub fn parse(
    probe: &Probe,
    format: Format,
    now: Option<jiff::Timestamp>,
) -> Result<AwsFile, SourceError> {
    let bytes = super::whole(probe)?;
    let json = |e: serde_json::Error| SourceError::json(probe.input, bytes, format.name(), &e);
    Ok(match format {
        Format::CredentialReportCsv => {
            let (rows, warnings) = parse_report_csv(probe, bytes, 0)?;
            AwsFile::CredentialReport {
                rows,
                warnings,
                generated: None,
            }
        }
        Format::CredentialReportJson => {
            let envelope: CredentialReportEnvelope = serde_json::from_slice(bytes).map_err(json)?;
            parse_report_envelope(probe, bytes, envelope, now)?
        }
        Format::AuthorizationDetails => {
            AwsFile::AuthorizationDetails(serde_json::from_slice(bytes).map_err(json)?)
        }
        Format::AccessKeys => AwsFile::AccessKeys(serde_json::from_slice(bytes).map_err(json)?),
        Format::CreateAccessKey => AwsFile::CreatedKey {
            key: serde_json::from_slice::<CreateAccessKeyOutput>(bytes)
                .map_err(json)?
                .access_key,
            line: crate::sources::leak::line_of(bytes, "\"SecretAccessKey\""),
        },
        Format::AccessKeyLastUsed => {
            let output: AccessKeyLastUsedOutput = serde_json::from_slice(bytes).map_err(json)?;
            let key_id = output
                .access_key_id
                .clone()
                .or_else(|| access_key_id_in(&probe.input.rel));
            AwsFile::AccessKeyLastUsed { output, key_id }
        }
        Format::Roles => {
            let shape = probe.content.json();
            if shape.is_some_and(|s| s.has("Roles")) {
                AwsFile::Roles(
                    serde_json::from_slice::<RoleList>(bytes)
                        .map_err(json)?
                        .roles,
                )
            } else {
                AwsFile::Roles(vec![
                    serde_json::from_slice::<GetRoleOutput>(bytes)
                        .map_err(json)?
                        .role,
                ])
            }
        }
        Format::AnalyzerFindings => {
            let pages: Vec<AnalyzerFindingList> = documents(bytes).map_err(json)?;
            let truncated = pages
                .last()
                .and_then(|p| p.next_token.as_deref())
                .is_some_and(|t| !t.is_empty());
            let findings: Vec<AnalyzerFinding> =
                pages.into_iter().flat_map(|p| p.findings).collect();
            let mut warnings = analyzer::warnings(&findings);
            if truncated {
                warnings.push("listing is truncated (nextToken is set); include the following pages in the scan".into());
            }
            AwsFile::AccessAnalyzer { findings, warnings }
        }
        Format::AnalyzerFinding => {
            let findings: Vec<AnalyzerFinding> = if probe.content.json().is_some_and(|s| s.is_array)
            {
                documents::<Vec<AnalyzerFinding>>(bytes)
                    .map_err(json)?
                    .into_iter()
                    .flatten()
                    .collect()
            } else {
                documents(bytes).map_err(json)?
            };
            let warnings = analyzer::warnings(&findings);
            AwsFile::AccessAnalyzer { findings, warnings }
        }
        Format::Users => {
            let shape = probe.content.json();
            if shape.is_some_and(|s| s.has("Users")) {
                AwsFile::Users(
                    serde_json::from_slice::<UserList>(bytes)
                        .map_err(json)?
                        .users,
                )
            } else {
                AwsFile::Users(vec![
                    serde_json::from_slice::<GetUserOutput>(bytes)
                        .map_err(json)?
                        .user,
                ])
            }
        }
    })
}

fn parse_report_envelope(
    probe: &Probe,
    bytes: &[u8],
    envelope: CredentialReportEnvelope,
    now: Option<jiff::Timestamp>,
) -> Result<AwsFile, SourceError> {
    let mut warnings = Vec::new();
    let generated = match envelope
        .generated_time
        .as_deref()
        .map(crate::time::parse_field)
    {
        Some(Ok(crate::time::TimeField::At(at))) if now.is_some_and(|now| at > now) => {
            warnings.push(format!(
                "GeneratedTime {} is after the evaluation time; the report is read as undated",
                crate::time::format_rfc3339(at)
            ));
            None
        }
        Some(Ok(crate::time::TimeField::At(at))) => Some(at),
        None | Some(Ok(_)) => None,
        Some(Err(e)) => {
            warnings.push(format!("GeneratedTime: {e}; the report's time is unknown"));
            None
        }
    };
    let Some(content) = envelope.content else {
        warnings.push("get-credential-report output without `Content`: the report body is missing, nothing to read".into());
        return Ok(AwsFile::CredentialReport {
            rows: Vec::new(),
            warnings,
            generated,
        });
    };
    let trimmed = content.trim_start();
    let csv_text = if trimmed.starts_with("user,") {
        content.into_bytes()
    } else {
        let compact: String = content.chars().filter(|c| !c.is_whitespace()).collect();
        base64::engine::general_purpose::STANDARD
            .decode(compact.as_bytes())
            .map_err(|e| {
                SourceError::content(
                    probe.input,
                    bytes,
                    memchr::memmem::find(bytes, b"\"Content\""),
                    format!("credential report `Content` is neither CSV nor base64: {e}"),
                    "Content",
                )
            })?
    };
    // Line numbers of the embedded CSV refer to the decoded report, not to this JSON file.
    let (rows, csv_warnings) = parse_report_csv(probe, &csv_text, 0)?;
    warnings.extend(csv_warnings);
    if !rows.is_empty() {
        warnings.push("line numbers refer to the decoded report inside `Content`".into());
    }
    Ok(AwsFile::CredentialReport {
        rows,
        warnings,
        generated,
    })
}

fn parse_report_csv(
    probe: &Probe,
    csv_text: &[u8],
    line_offset: u32,
) -> Result<(Vec<ReportRow>, Vec<String>), SourceError> {
    let mut reader = csv::ReaderBuilder::new()
        .flexible(false)
        .trim(csv::Trim::All)
        .from_reader(csv_text);
    let headers = reader
        .headers()
        .map_err(|e| csv_error(probe, csv_text, &e))?
        .clone();
    let mut warnings = Vec::new();
    if !headers.iter().any(|h| h == "access_key_1_last_used_date") {
        warnings.push(
            "report without *_last_used_* columns (pre-2015 format): key use is unknown".into(),
        );
    }
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    loop {
        match reader.read_record(&mut record) {
            Ok(false) => break,
            Ok(true) => {}
            Err(e) => return Err(csv_error(probe, csv_text, &e)),
        }
        let row: CredentialReportRow = record
            .deserialize(Some(&headers))
            .map_err(|e| csv_error(probe, csv_text, &e))?;
        let line = record.position().map_or(0, |p| p.line());
        rows.push(ReportRow {
            row,
            line: u32::try_from(line)
                .unwrap_or(u32::MAX)
                .saturating_add(line_offset),
        });
    }
    Ok((rows, warnings))
}

fn csv_error(probe: &Probe, text: &[u8], e: &csv::Error) -> SourceError {
    let offset = e.position().map(|p| p.byte() as usize);
    SourceError::content(
        probe.input,
        text,
        offset,
        format!("invalid credential report CSV: {e}"),
        "this row",
    )
}

/// Every top-level JSON value of the file (pages a collector wrote back to back).
fn documents<T: serde::de::DeserializeOwned>(bytes: &[u8]) -> Result<Vec<T>, serde_json::Error> {
    serde_json::Deserializer::from_slice(bytes)
        .into_iter::<T>()
        .collect()
}

/// An access key ID (`AKIA…`/`ASIA…`, 20 characters) in a file name, for last-used lookups saved
/// one file per key.
fn access_key_id_in(path: &str) -> Option<String> {
    let name = path.rsplit('/').next()?;
    let bytes = name.as_bytes();
    // Byte windows: a file name may hold multi-byte characters anywhere.
    bytes.windows(20).find_map(|candidate| {
        let ok = (candidate.starts_with(b"AKIA") || candidate.starts_with(b"ASIA"))
            && candidate
                .iter()
                .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
        ok.then(|| String::from_utf8_lossy(candidate).into_owned())
    })
}

/// The Amazon Web Services IAM family.
pub struct Aws;

impl super::Family for Aws {
    type Format = Format;
    type File = AwsFile;

    fn source(&self) -> crate::inventory::SourceFamily {
        crate::inventory::SourceFamily::Aws
    }

    fn characteristic_keys(&self) -> &'static [(Format, &'static [&'static str])] {
        &[
            (
                Format::CredentialReportJson,
                &["Content", "ReportFormat", "GeneratedTime"],
            ),
            (Format::AuthorizationDetails, &AUTH_DETAILS_KEYS),
            (
                Format::AccessKeys,
                &[
                    "AccessKeyMetadata",
                    "AccessKeyId",
                    "UserName",
                    "Status",
                    "CreateDate",
                ],
            ),
            (
                Format::AccessKeyLastUsed,
                &["AccessKeyLastUsed", "LastUsedDate", "ServiceName", "Region"],
            ),
            (
                Format::Roles,
                &[
                    "Roles",
                    "RoleName",
                    "RoleId",
                    "Arn",
                    "AssumeRolePolicyDocument",
                ],
            ),
            (
                Format::Users,
                &["Users", "UserName", "UserId", "Arn", "PasswordLastUsed"],
            ),
            (Format::CreateAccessKey, &["AccessKey", "SecretAccessKey"]),
            (
                Format::AnalyzerFindings,
                &["findings", "findingType", "resourceType", "resource"],
            ),
            (
                Format::AnalyzerFinding,
                &["findingDetails", "findingType", "resourceType"],
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
        context: &super::ParseContext,
    ) -> Result<AwsFile, SourceError> {
        parse(probe, format, context.now)
    }

    fn assemble(
        &self,
        files: Vec<(crate::discover::FileInput, AwsFile)>,
        assembly: &mut super::Assembly,
    ) -> Result<super::Contribution, super::family::AssembleError> {
        Ok(assemble(files, assembly).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn key_ids_in_file_names() {
        assert_eq!(
            access_key_id_in("aws/last-used/AKIAIOSFODNN7EXAMPLE.json").as_deref(),
            Some("AKIAIOSFODNN7EXAMPLE")
        );
        assert_eq!(access_key_id_in("aws/last-used.json"), None);
        assert_eq!(access_key_id_in("aws/ééééééééééééééééééééé.json"), None);
    }
}
