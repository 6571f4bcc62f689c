//! OSCAL assessment results (OSCAL 1.0.6 JSON): one result for the scan, an observation per
//! counted finding a control lists (see [`compliance::LISTED_PER_CONTROL`]), and an OSCAL finding per assessed control of the NIST CSF 2.0 and SP 800-53
//! Rev. 5 catalogs (the frameworks with OSCAL catalogs), satisfied or not, tied to the
//! observations that make it fail. UUIDs are derived from content, so the same scan gives the
//! same document.
//!
//! OSCAL 1.0.6 is the newest assessment-results JSON schema committed to usnistgov/OSCAL; newer
//! releases publish theirs only as release artifacts, and the package registries reachable here
//! carry OSCAL as code models (compliance-trestle), not as the schema.

use std::io::{self, Write};

use serde_json::{json, Value};
use sha2::{Digest, Sha256};

use super::compliance::{self, ComplianceView, ControlStatus};
use super::{ReportContext, Reporter};
use crate::time::format_rfc3339;

pub struct OscalReporter {
    pub framework: Option<String>,
}

pub const OSCAL_VERSION: &str = "1.0.6";
const NS: &str = "https://github.com/deprov/deprov/ns/oscal";

/// A name-based UUID (version 5 layout, SHA-256 derived): stable for the same content.
fn uuid(name: &str) -> String {
    let digest = Sha256::digest(name.as_bytes());
    let mut bytes = [0u8; 16];
    bytes.copy_from_slice(&digest[..16]);
    bytes[6] = (bytes[6] & 0x0f) | 0x50;
    bytes[8] = (bytes[8] & 0x3f) | 0x80;
    let hex = hex::encode(bytes);
    format!(
        "{}-{}-{}-{}-{}",
        &hex[..8],
        &hex[8..12],
        &hex[12..16],
        &hex[16..20],
        &hex[20..]
    )
}

fn prop(name: &str, value: &str) -> Value {
    json!({ "name": name, "ns": NS, "value": value })
}

impl Reporter for OscalReporter {
    fn write(&self, context: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
        compliance::with_view(context, self.framework.as_deref(), |view| {
            super::write_json_document(out, &document(view, context))
        })
    }
}

/// The assessment results. Observations are the counted findings the controls list (at most
/// [`compliance::LISTED_PER_CONTROL`] per control, so the document's size is bounded by the
/// catalog); each OSCAL finding relates the observations of the findings its control lists and
/// states how many it has in all.
fn document(view: &ComplianceView, context: &ReportContext) -> Value {
    let result = context.result;
    let at = format_rfc3339(result.evaluated_at);
    let observations: Vec<Value> = view
            .listed
            .iter()
            .map(|f| {
                let location = match f.evidence.line {
                    Some(line) => format!("{}:{line}", f.evidence.path),
                    None => f.evidence.path.to_string(),
                };
                let mut props = vec![
                    prop("finding-id", &f.id),
                    prop("rule", &f.rule),
                    prop("severity", f.severity.as_str()),
                    prop("identity", &f.identity),
                    prop("system", &f.system),
                ];
                if let Some(level) = f.confidence {
                    props.push(prop("confidence", level.as_str()));
                }
                json!({
                    "uuid": uuid(&format!("observation:{}", f.id)),
                    "title": format!("{} {}", f.rule, f.title),
                    "description": f.message,
                    "props": props,
                    "methods": ["TEST"],
                    "types": ["finding"],
                    "relevant-evidence": [{ "description": format!("{location}: {}", f.evidence.detail) }],
                    "collected": at,
                })
            })
            .collect();

    let mut selected = Vec::new();
    let mut findings = Vec::new();
    for framework in &view.frameworks {
        for control in &framework.controls {
            let Some(oscal_id) = control.control.oscal_id.as_deref() else {
                continue;
            };
            if control.status == ControlStatus::NotAssessed {
                continue;
            }
            selected.push(json!({ "control-id": oscal_id }));
            let satisfied = control.status == ControlStatus::Pass;
            let related: Vec<Value> = control
                .findings
                .iter()
                .map(|f| json!({ "observation-uuid": uuid(&format!("observation:{}", f.id)) }))
                .collect();
            let mut finding = json!({
                "uuid": uuid(&format!("finding:{}", control.control.id)),
                "title": format!("{} {}", control.control.id, control.control.title),
                "description": if satisfied {
                    format!("Rules {} ran and found no gap.", control.rules_run.join(", "))
                } else {
                    format!(
                        "{} finding(s) of rules {} affect {} identit(ies).{}",
                        control.counted,
                        control.rules_run.join(", "),
                        control.identity_count,
                        if control.unlisted_findings() > 0 {
                            format!(" {}", compliance::unlisted_note(control.findings.len(), control.counted))
                        } else {
                            String::new()
                        }
                    )
                },
                "props": [prop("framework", &framework.framework.id)],
                "target": {
                    "type": "statement-id",
                    "target-id": format!("{oscal_id}_smt"),
                    "status": { "state": if satisfied { "satisfied" } else { "not-satisfied" } },
                },
            });
            if !related.is_empty() {
                finding["related-observations"] = json!(related);
            }
            findings.push(finding);
        }
    }

    let mut scan_result = json!({
        "uuid": uuid(&format!("result:{at}:{}", view.total)),
        "title": "deprov scan",
        "description": format!(
            "Deprovisioning and stale-credential assessment of {} identities, {} credentials and {} grants read from {} file(s).",
            result.totals.identities,
            result.totals.credentials,
            result.totals.grants,
            result.sources.len()
        ),
        "start": at,
        "end": at,
        "reviewed-controls": {
            "description": "Controls of the NIST CSF 2.0 and SP 800-53 Rev. 5 catalogs that deprov rules assess and that ran.",
            "control-selections": [ if selected.is_empty() { json!({ "include-all": {} }) } else { json!({ "include-controls": selected }) } ],
        },
    });
    let mut remarks = Vec::new();
    if !view.incomplete.is_empty() {
        // Controls are then not assessed (none passes): the remarks say why.
        remarks.push(format!(
                "INCOMPLETE ({} problem(s): inputs that should have been read and were not), so no control is reported as satisfied: {}",
                view.incomplete.len(),
                view.incomplete.join("; ")
            ));
    }
    if let Some(filter) = context.result.confidence_filter {
        remarks.push(format!(
            "{} finding(s) about secrets below {} confidence are left out (--min-confidence {}).",
            filter.filtered, filter.min, filter.min
        ));
    }
    if !remarks.is_empty() {
        scan_result["remarks"] = json!(remarks.join(" "));
    }
    if !observations.is_empty() {
        scan_result["observations"] = json!(observations);
    }
    if !findings.is_empty() {
        scan_result["findings"] = json!(findings);
    }
    json!({
        "assessment-results": {
            "uuid": uuid(&format!("assessment-results:{at}:{}", view.total)),
            "metadata": {
                "title": "deprov assessment results",
                "last-modified": at,
                "version": env!("CARGO_PKG_VERSION"),
                "oscal-version": OSCAL_VERSION,
            },
            "import-ap": {
                "href": "#deprov-rule-catalog",
                "remarks": "deprov has no separate OSCAL assessment plan: its plan is the built-in rule catalog (`deprov rules`).",
            },
            "results": [scan_result],
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn uuids_are_stable_and_well_formed() {
        let a = uuid("x");
        assert_eq!(a, uuid("x"));
        assert_ne!(a, uuid("y"));
        assert_eq!(a.len(), 36);
        assert_eq!(&a[14..15], "5");
        assert!(matches!(&a[19..20], "8" | "9" | "a" | "b"));
    }
}
