//! SARIF 2.1.0 for code-scanning platforms: one run, one rule per catalog entry (with controls
//! as tags and a `security-severity`), and a physical location on every result (platforms
//! reject a file where one result lacks it). Fingerprints come from the stable finding ID. A
//! result about a secret carries its confidence as `properties.precision` and `rank`
//! ([`precision_and_rank`]); a `--min-confidence` run says what it left out in a notification.

use std::io::{self, Write};

use serde_json::{json, Value};

use super::{ReportContext, Reporter};
use crate::catalog::Rule;
use crate::findings::Finding;
use crate::findings::FindingStatus;
use crate::inventory::Confidence;
use crate::severity::Severity;

pub struct SarifReporter;

const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";
const INFORMATION_URI: &str = "https://github.com/deprov/deprov";

fn level(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// A secret's confidence in SARIF's words: `precision` takes the vocabulary CodeQL gives rules
/// (`very-high`, `high`, `medium`, `low`), named level for level (deprov's `high`, a key pair or
/// checksum, is not claimed as `very-high`: a detector can still be wrong about a format), and
/// `rank` (0 to 100, how much the result matters) spaces the three levels evenly, so that a
/// platform sorting by rank lists the surest secrets first.
fn precision_and_rank(confidence: Confidence) -> (&'static str, f64) {
    match confidence {
        Confidence::High => ("high", 90.0),
        Confidence::Medium => ("medium", 60.0),
        Confidence::Low => ("low", 30.0),
    }
}

/// `Retired identity still has an active credential` → `RetiredIdentityStillHasAnActiveCredential`.
fn pascal(title: &str) -> String {
    title
        .split(|c: char| !c.is_ascii_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(|w| {
            let mut chars = w.chars();
            chars
                .next()
                .map(|first| first.to_ascii_uppercase().to_string() + chars.as_str())
                .unwrap_or_default()
        })
        .collect()
}

/// A relative path as a URI reference: `/` separators kept, reserved characters escaped.
fn uri(path: &str) -> String {
    let mut out = String::with_capacity(path.len());
    for byte in path.bytes() {
        match byte {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'.' | b'_' | b'~' | b'/' => {
                out.push(byte as char)
            }
            _ => out.push_str(&format!("%{byte:02X}")),
        }
    }
    out
}

fn rule_descriptor(rule: &Rule) -> Value {
    let mut tags: Vec<&str> = vec!["security", "deprovisioning"];
    tags.extend(rule.controls.iter().map(String::as_str));
    json!({
        "id": rule.id,
        "name": pascal(&rule.title),
        "shortDescription": { "text": rule.title },
        "fullDescription": { "text": rule.rationale },
        "help": {
            "text": format!("{}\n\nRemediation: {}\n\nControls: {}", rule.rationale, rule.remediation, rule.controls.join(", ")),
            "markdown": format!(
                "{}\n\n**Remediation.** {}\n\n**Controls:** {}",
                rule.rationale,
                rule.remediation,
                rule.controls.iter().map(|c| format!("`{c}`")).collect::<Vec<_>>().join(", ")
            ),
        },
        "helpUri": rule.references.first().cloned().unwrap_or_else(|| INFORMATION_URI.to_string()),
        "defaultConfiguration": { "level": level(rule.severity) },
        "properties": {
            "tags": tags,
            "security-severity": rule.severity.security_score(),
            "precision": "high",
            "problem.severity": rule.severity.as_str(),
        },
    })
}

fn result(finding: &Finding, rule_index: usize, baseline_used: bool) -> Value {
    let mut properties = json!({
        "severity": finding.severity.as_str(),
        "identity": finding.identity,
        "system": finding.system,
        "controls": finding.controls,
        "evidence": finding.evidence.detail,
    });
    if let Some(owner) = &finding.owner {
        properties["owner"] = json!(owner);
    }
    if let Some(credential) = &finding.credential {
        properties["credential"] = json!(credential);
    }
    if let Some(secret) = &finding.secret {
        if let Some(preview) = &secret.preview {
            properties["secretPreview"] = json!(preview);
        }
        if let Some(sha256) = &secret.sha256 {
            properties["secretSha256"] = json!(sha256);
        }
        if let Some(reason) = secret.withheld {
            properties["secretWithheld"] = json!(reason.as_str());
        }
        if let Some(keyed) = &secret.hmac_sha256 {
            properties["secretHmacSha256"] = json!(keyed);
        }
        if let Some(commit) = &secret.first_commit {
            properties["commit"] = json!(commit);
        }
        if secret.test_fixture {
            properties["testFixture"] = json!(true);
        }
    }
    let confidence = finding.confidence.map(precision_and_rank);
    if let Some((precision, _)) = confidence {
        properties["precision"] = json!(precision);
    }
    let mut value = json!({
        "ruleId": finding.rule,
        "ruleIndex": rule_index,
        "level": level(finding.severity),
        "message": { "text": finding.message },
        "locations": [{
            "physicalLocation": {
                "artifactLocation": { "uri": uri(&finding.evidence.path), "uriBaseId": "%SRCROOT%" },
                "region": { "startLine": finding.evidence.line.unwrap_or(1).max(1) },
            }
        }],
        "partialFingerprints": { "deprovFindingId/v1": finding.id },
        "properties": properties,
    });
    if let Some((_, rank)) = confidence {
        value["rank"] = json!(rank);
    }
    if baseline_used {
        value["baselineState"] = json!(if finding.status == FindingStatus::Baselined {
            "unchanged"
        } else {
            "new"
        });
    }
    if finding.status == FindingStatus::Suppressed {
        let inline = finding
            .suppressed_by
            .as_deref()
            .is_some_and(|s| s.starts_with("inline"));
        value["suppressions"] = json!([{
            "kind": if inline { "inSource" } else { "external" },
            "justification": finding.suppressed_by.clone().unwrap_or_default(),
        }]);
    }
    value
}

impl Reporter for SarifReporter {
    fn write(&self, context: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
        let findings = &context.result.findings;
        let baseline_used = findings
            .iter()
            .any(|f| f.status == FindingStatus::Baselined);
        write_streamed(
            context,
            baseline_used,
            findings
                .chunks(super::json::FINDINGS_PER_BATCH)
                .map(io::Result::Ok),
            out,
        )
    }
}

/// The SARIF document of `context`'s result with the findings of `batches` (in the report's
/// order) as its results, rather than the result's own: a merge writes the results one batch at
/// a time. `baselined` says whether any of them is baselined.
pub fn write_streamed<B: AsRef<[Finding]>>(
    context: &ReportContext,
    baselined: bool,
    batches: impl Iterator<Item = io::Result<B>>,
    out: &mut dyn Write,
) -> io::Result<()> {
    let rules: Vec<&Rule> = context.catalog.rules.values().collect();
    let index = |code: &str| rules.iter().position(|r| r.id == code).unwrap_or(0);
    let baseline_used = baselined || context.result.triage.baseline_resolved > 0;
    let skeleton = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": {
                "driver": {
                    "name": "deprov",
                    "version": env!("CARGO_PKG_VERSION"),
                    "semanticVersion": env!("CARGO_PKG_VERSION"),
                    "informationUri": INFORMATION_URI,
                    "rules": rules.iter().map(|r| rule_descriptor(r)).collect::<Vec<_>>(),
                }
            },
            "originalUriBaseIds": { "%SRCROOT%": { "description": { "text": "the scanned root" } } },
            "invocations": [invocation(context)],
            "results": [],
        }]
    });
    let text = serde_json::to_vec_pretty(&skeleton)?;
    // `results` is a member of the run, the only element of `runs`: depth 3.
    super::write_spliced(out, &text, "results", 3, batches, |f: &Finding| {
        serde_json::to_vec_pretty(&result(f, index(&f.rule), baseline_used))
            .map_err(io::Error::from)
    })
}

/// The run's invocation: unsuccessful when policies failed to evaluate or the run is incomplete,
/// with one error notification per input that should have been read and was not.
fn invocation(context: &ReportContext) -> Value {
    let result = context.result;
    let incomplete = crate::result::incompleteness(&result.sources, &result.skipped);
    let mut invocation = json!({
        "executionSuccessful": result.policy_errors.is_empty() && incomplete.is_empty(),
        "endTimeUtc": crate::time::format_rfc3339(result.evaluated_at),
    });
    let mut notifications: Vec<Value> = incomplete
        .iter()
        .map(|reason| {
            json!({
                "level": "error",
                "descriptor": { "id": "incomplete" },
                "message": { "text": format!("input not read, the run is incomplete: {reason}") },
            })
        })
        .collect();
    if let Some(filter) = result.confidence_filter {
        notifications.push(json!({
            "level": "note",
            "descriptor": { "id": "min-confidence" },
            "message": { "text": format!(
                "{} finding(s) about secrets below {} confidence left out (--min-confidence {})",
                filter.filtered, filter.min, filter.min
            ) },
        }));
    }
    if !notifications.is_empty() {
        invocation["toolExecutionNotifications"] = json!(notifications);
    }
    invocation
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_uris() {
        assert_eq!(
            pascal("Retired identity still has an active credential"),
            "RetiredIdentityStillHasAnActiveCredential"
        );
        assert_eq!(uri("aws/my report#1.csv"), "aws/my%20report%231.csv");
    }
}
