//! Human-readable report: findings grouped by identity, the most severe identity first.

use std::collections::BTreeMap;
use std::io::{self, Write};

use super::escape::visible;
use super::json::{fails, SeverityCounts};
use super::style::Style;
use super::{ReportContext, Reporter};
use crate::findings::Finding;
use crate::findings::FindingStatus;
use crate::severity::Severity;
use crate::time::format_rfc3339;

pub struct TextReporter;

impl Reporter for TextReporter {
    fn write(&self, context: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
        let style = Style {
            enabled: context.color,
        };
        let result = context.result;
        let findings = &result.findings;
        let counts = SeverityCounts::of(findings);
        writeln!(
            out,
            "{} evaluated at {}",
            style.bold("deprov scan"),
            format_rfc3339(result.evaluated_at)
        )?;
        let by_severity: Vec<String> = Severity::ALL
            .iter()
            .filter(|s| counts.get(**s) > 0)
            .map(|s| style.severity(*s, &format!("{} {}", counts.get(*s), s)))
            .collect();
        let identities: BTreeMap<&str, Vec<&Finding>> = group_by_identity(findings);
        writeln!(
            out,
            "{} finding(s){} across {} identit{}; {} file(s) read, {} skipped",
            findings.len(),
            if by_severity.is_empty() {
                String::new()
            } else {
                format!(" ({})", by_severity.join(", "))
            },
            identities.len(),
            if identities.len() == 1 { "y" } else { "ies" },
            result.sources.len(),
            result.skipped.len()
        )?;
        let incomplete = crate::result::incompleteness(&result.sources, &result.skipped);
        if !incomplete.is_empty() {
            writeln!(
                out,
                "{}",
                style.severity(
                    Severity::Critical,
                    &format!(
                        "INCOMPLETE ({} problem(s): inputs that should have been read and were not); findings may be missing",
                        incomplete.len()
                    )
                )
            )?;
            for reason in &incomplete {
                writeln!(out, "  - {}", visible(reason))?;
            }
        }
        if let Some(filter) = result.confidence_filter {
            writeln!(
                out,
                "{} finding(s) about secrets below {} confidence not shown (--min-confidence {})",
                filter.filtered, filter.min, filter.min
            )?;
        }
        let unscanned = result.skipped.iter().filter(|s| s.unscanned).count();
        if unscanned > 0 {
            writeln!(
                out,
                "{unscanned} file(s) or blob(s) not wholly scanned for secrets (above the scan limits; listed under Skipped)"
            )?;
        }
        let scheduled = &result.totals.scheduled_retirements;
        if !scheduled.is_empty() {
            writeln!(out, "retirements scheduled (active until then):")?;
            for s in scheduled {
                writeln!(
                    out,
                    "  - {} on {}",
                    visible(&s.identity),
                    &s.retires_at[..s.retires_at.len().min(10)]
                )?;
            }
        }

        let mut groups: Vec<(&str, Vec<&Finding>)> = identities.into_iter().collect();
        groups.sort_by(|(a_id, a), (b_id, b)| {
            let worst = |fs: &[&Finding]| fs.iter().map(|f| f.severity).max();
            worst(b).cmp(&worst(a)).then_with(|| a_id.cmp(b_id))
        });
        for (identity, group) in groups {
            writeln!(out)?;
            let owner = group[0].owner.as_deref().map_or_else(
                || "no owner".to_string(),
                |o| format!("owner {}", visible(o)),
            );
            writeln!(out, "{}  ({})", style.bold(&visible(identity)), owner)?;
            for f in group {
                let label = format!("{:<8}", f.severity.as_str().to_uppercase());
                writeln!(
                    out,
                    "  {} {}  {}{}",
                    style.severity(f.severity, &label),
                    visible(&f.rule),
                    visible(&f.title),
                    confidence_note(f)
                )?;
                writeln!(out, "           {}", visible(&f.message))?;
                match f.status {
                    FindingStatus::New => {}
                    FindingStatus::Baselined => writeln!(
                        out,
                        "           {}",
                        style.dim("baselined: accepted in the baseline, not counted")
                    )?,
                    FindingStatus::Suppressed => writeln!(
                        out,
                        "           {}",
                        style.dim(&format!(
                            "suppressed: {}",
                            visible(f.suppressed_by.as_deref().unwrap_or(""))
                        ))
                    )?,
                }
                let location = match f.evidence.line {
                    Some(line) => format!("{}:{line}", f.evidence.path),
                    None => f.evidence.path.to_string(),
                };
                writeln!(
                    out,
                    "           {}",
                    style.dim(&format!(
                        "evidence: {} ({})",
                        visible(&location),
                        visible(&f.evidence.detail)
                    ))
                )?;
            }
        }

        let warnings: Vec<(&str, &str)> = result
            .sources
            .iter()
            .flat_map(|s| {
                s.warnings
                    .iter()
                    .map(move |w| (s.path.as_str(), w.as_str()))
            })
            .collect();
        if !warnings.is_empty() {
            writeln!(out)?;
            writeln!(out, "{}", style.bold("Warnings"))?;
            for (path, warning) in warnings {
                writeln!(out, "  {}: {}", visible(path), visible(warning))?;
            }
        }
        if !result.skipped.is_empty() {
            writeln!(out)?;
            writeln!(out, "{}", style.bold("Skipped"))?;
            for s in &result.skipped {
                writeln!(out, "  {}: {}", visible(&s.path), visible(&s.reason))?;
            }
        }
        for (title, list) in [
            (
                "Expired suppressions (no longer applied)",
                &result.triage.expired,
            ),
            (
                "Stale suppressions (match no finding)",
                &result.triage.stale,
            ),
        ] {
            if !list.is_empty() {
                writeln!(out)?;
                writeln!(out, "{}", style.bold(title))?;
                for s in list {
                    writeln!(
                        out,
                        "  {} {} until {}: {}",
                        visible(&s.rule),
                        visible(&s.target),
                        visible(&s.expires),
                        visible(&s.reason)
                    )?;
                }
            }
        }
        if !result.policy_errors.is_empty() {
            writeln!(out)?;
            writeln!(
                out,
                "{}",
                style.bold("Policy evaluation errors (the run is incomplete)")
            )?;
            for e in &result.policy_errors {
                writeln!(
                    out,
                    "  {} ({}×): {}",
                    visible(&e.policy),
                    e.count,
                    visible(&e.message)
                )?;
            }
        }
        writeln!(out)?;
        let threshold = context.fail_on.threshold().map_or("none", |s| s.as_str());
        let verdict = if fails(findings, context.fail_on) {
            format!("FAIL: findings at or above {threshold}")
        } else if !incomplete.is_empty() {
            format!(
                "INCOMPLETE: nothing at or above {threshold} in what was read, but the run is incomplete ({} problem(s) above)",
                incomplete.len()
            )
        } else {
            format!("pass: nothing at or above {threshold}")
        };
        writeln!(out, "{verdict}")
    }
}

/// `  (confidence high)`, `  (confidence low, test fixture)`, or nothing for a finding that
/// is not about a secret.
fn confidence_note(finding: &Finding) -> String {
    let Some(level) = finding.confidence else {
        return String::new();
    };
    let fixture = finding.secret.as_ref().is_some_and(|s| s.test_fixture);
    format!(
        "  (confidence {level}{})",
        if fixture { ", test fixture" } else { "" }
    )
}

fn group_by_identity(findings: &[Finding]) -> BTreeMap<&str, Vec<&Finding>> {
    let mut groups: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in findings {
        groups.entry(f.identity.as_str()).or_default().push(f);
    }
    groups
}
