//! The compliance view shared by the Markdown, HTML and OSCAL reports: for every control of
//! every framework, whether it failed (findings of a rule mapped to it), passed (rules mapped to
//! it ran and found nothing) or was not assessed (no rule maps to it, or none of those ran, or
//! the run is incomplete: finding nothing in what was read is no pass when inputs were not
//! read) — never a pass by default.

use std::collections::{BTreeMap, BTreeSet};

use crate::catalog::{Catalog, Control, Framework};
use crate::findings::Finding;
use crate::result::ScanResult;
use crate::severity::Severity;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub enum ControlStatus {
    Fail,
    Pass,
    NotAssessed,
}

impl ControlStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            ControlStatus::Fail => "fail",
            ControlStatus::Pass => "pass",
            ControlStatus::NotAssessed => "not assessed",
        }
    }
}

/// One control's assessment.
pub struct ControlView<'a> {
    pub control: &'a Control,
    pub status: ControlStatus,
    /// Rules that map to the control (whether they ran or not).
    pub rules: Vec<&'a str>,
    /// Rules mapped to it that ran.
    pub rules_run: Vec<&'a str>,
    /// Counted findings (new) of those rules; baselined and suppressed ones are listed apart.
    pub findings: Vec<&'a Finding>,
    pub accepted: Vec<&'a Finding>,
    pub identities: BTreeSet<&'a str>,
}

pub struct FrameworkView<'a> {
    pub framework: &'a Framework,
    pub controls: Vec<ControlView<'a>>,
}

/// The command that writes the evidence bundle of a retired identity, as the compliance reports
/// show it beside the identity's residual access. A command rather than a link: a report does
/// not know whether a bundle was written, nor where the auditor keeps it. `PATH…` stands for
/// the scanned exports, which the result does not record; the bundle goes to
/// `evidence/<identity as an anchor>` and `--now` is the report's evaluation time, so that the
/// checklist is judged at the same instant as the report.
pub fn evidence_command(identity: &str, evaluated_at: jiff::Timestamp) -> String {
    format!(
        "deprov verify --now {} --evidence evidence/{} -- {} PATH…",
        crate::time::format_rfc3339(evaluated_at),
        super::markdown::anchor(identity),
        super::runbook::quote::quote(identity)
    )
}

impl FrameworkView<'_> {
    pub fn count(&self, status: ControlStatus) -> usize {
        self.controls.iter().filter(|c| c.status == status).count()
    }
}

/// Totals for the top of a report.
pub struct Overview<'a> {
    pub by_severity: Vec<(Severity, usize)>,
    pub by_system: BTreeMap<&'a str, usize>,
    /// Retired identities with at least one counted finding, and their findings.
    pub residual: BTreeMap<&'a str, Vec<&'a Finding>>,
    pub counted: usize,
    pub accepted: usize,
}

pub struct ComplianceView<'a> {
    pub frameworks: Vec<FrameworkView<'a>>,
    pub overview: Overview<'a>,
    /// The `--framework` filter, when one was given.
    pub filter: Option<String>,
    /// Why the run is incomplete (empty when it is not): then no control passes.
    pub incomplete: Vec<String>,
}

/// Builds the view; `filter` selects a framework, a control (or its alias) or a control prefix
/// (`NHI1:2025`, `NHI-06`, `PR.AA`, `SP800-207`, `owasp-nhi-2025`).
pub fn build<'a>(
    catalog: &'a Catalog,
    result: &'a ScanResult,
    filter: Option<&str>,
) -> ComplianceView<'a> {
    let selected: Option<BTreeSet<&str>> = filter.map(|f| {
        catalog
            .select_controls(f)
            .into_iter()
            .map(|c| c.id.as_str())
            .collect()
    });
    let ran: BTreeSet<&str> = result.rules_run.iter().map(String::as_str).collect();
    let incomplete = crate::result::incompleteness(&result.sources, &result.skipped);
    let mut frameworks = Vec::new();
    for framework in &catalog.frameworks {
        let mut controls = Vec::new();
        for control in &framework.controls {
            if selected
                .as_ref()
                .is_some_and(|s| !s.contains(control.id.as_str()))
            {
                continue;
            }
            let rules: Vec<&str> = catalog
                .rules
                .values()
                .filter(|r| {
                    r.controls
                        .iter()
                        .chain(&r.agent_controls)
                        .any(|c| catalog.canonical_control(c) == Some(control.id.as_str()))
                })
                .map(|r| r.id.as_str())
                .collect();
            let rules_run: Vec<&str> = rules.iter().copied().filter(|r| ran.contains(r)).collect();
            // A finding counts for the controls it carries: a rule's agent controls only for its
            // findings about agents.
            let related = result.findings.iter().filter(|f| {
                rules_run.contains(&&*f.rule)
                    && f.controls
                        .iter()
                        .any(|c| catalog.canonical_control(c) == Some(control.id.as_str()))
            });
            let (findings, accepted): (Vec<&Finding>, Vec<&Finding>) =
                related.partition(|f| f.status.counts());
            let status = if rules_run.is_empty() || findings.is_empty() && !incomplete.is_empty() {
                ControlStatus::NotAssessed
            } else if findings.is_empty() {
                ControlStatus::Pass
            } else {
                ControlStatus::Fail
            };
            let identities = findings.iter().map(|f| f.identity.as_str()).collect();
            controls.push(ControlView {
                control,
                status,
                rules,
                rules_run,
                findings,
                accepted,
                identities,
            });
        }
        if !controls.is_empty() {
            frameworks.push(FrameworkView {
                framework,
                controls,
            });
        }
    }
    ComplianceView {
        frameworks,
        overview: overview(result),
        filter: filter.map(str::to_string),
        incomplete,
    }
}

fn overview(result: &ScanResult) -> Overview<'_> {
    let counted: Vec<&Finding> = result
        .findings
        .iter()
        .filter(|f| f.status.counts())
        .collect();
    let by_severity = Severity::ALL
        .iter()
        .map(|s| (*s, counted.iter().filter(|f| f.severity == *s).count()))
        .collect();
    let mut by_system = BTreeMap::new();
    for f in &counted {
        *by_system.entry(&*f.system).or_insert(0) += 1;
    }
    let retired: BTreeSet<&str> = result
        .totals
        .retired_with_findings
        .iter()
        .map(String::as_str)
        .collect();
    let mut residual: BTreeMap<&str, Vec<&Finding>> = BTreeMap::new();
    for f in &counted {
        if retired.contains(f.identity.as_str()) {
            residual.entry(f.identity.as_str()).or_default().push(f);
        }
    }
    Overview {
        by_severity,
        by_system,
        residual,
        counted: counted.len(),
        accepted: result.findings.len() - counted.len(),
    }
}
