//! The compliance view shared by the Markdown, HTML and OSCAL reports: for every control of
//! every framework, whether it failed (findings of a rule mapped to it), passed (rules mapped to
//! it ran and found nothing) or was not assessed (no rule maps to it, or none of those ran, or
//! the run is incomplete: finding nothing in what was read is no pass when inputs were not
//! read) — never a pass by default.
//!
//! The view is built from a [`ComplianceTally`] that sees the findings one at a time, in the
//! report's order, and keeps aggregates: counts per control, severity and system, the retired
//! identities' residual access, and per control only the first [`LISTED_PER_CONTROL`] findings
//! and identities it lists. So a merge of shard reports can write the compliance formats while
//! it streams the findings (issue 19), and a report of millions of findings stays a document an
//! auditor can open: the findings past the limit are counted, and every one of them is in the
//! JSON and SARIF reports.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use crate::catalog::{Catalog, Control, Framework};
use crate::findings::Finding;
use crate::result::ScanResult;
use crate::severity::Severity;

/// How many findings, and how many identities, a control lists; more are counted, not listed.
/// Large enough that an organisation of a few thousand identities sees every one of them.
pub const LISTED_PER_CONTROL: usize = 1_000;

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
    /// Counted findings (new) of those rules; baselined and suppressed ones are only counted.
    pub counted: usize,
    pub accepted: usize,
    /// The first counted findings in the report's order (most severe first), at most
    /// [`LISTED_PER_CONTROL`].
    pub findings: Vec<&'a Finding>,
    /// How many identities the counted findings are about.
    pub identity_count: usize,
    /// The first of them in name order, at most [`LISTED_PER_CONTROL`].
    pub identities: Vec<&'a str>,
}

impl ControlView<'_> {
    /// Counted findings the control does not list.
    pub fn unlisted_findings(&self) -> usize {
        self.counted - self.findings.len()
    }

    pub fn unlisted_identities(&self) -> usize {
        self.identity_count - self.identities.len()
    }
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

/// What a control that lists only the first of its findings says under them.
pub fn unlisted_note(listed: usize, counted: usize) -> String {
    format!(
        "The first {listed} of {counted} findings, most severe first; every finding is in the JSON and SARIF reports (`--format json`, `--format sarif`)."
    )
}

/// The counted findings of one retired identity.
#[derive(Debug, Default)]
pub struct ResidualAccess {
    pub systems: BTreeSet<String>,
    pub findings: usize,
    pub worst: Option<Severity>,
}

/// Totals for the top of a report.
pub struct Overview<'a> {
    pub by_severity: Vec<(Severity, usize)>,
    pub by_system: &'a BTreeMap<String, usize>,
    /// Retired identities with at least one counted finding.
    pub residual: &'a BTreeMap<String, ResidualAccess>,
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
    /// Every finding the tally saw (counted or not), for names derived from the run.
    pub total: usize,
    /// The counted findings any control lists (whatever the filter), in the report's order.
    pub listed: &'a [Finding],
}

/// The aggregates of a control no finding maps to.
static NO_FINDINGS: ControlTally = ControlTally {
    counted: 0,
    accepted: 0,
    listed: Vec::new(),
    identities: Vec::new(),
    identity_count: 0,
    identities_listed: BTreeSet::new(),
};

/// One control's aggregates.
#[derive(Default)]
struct ControlTally {
    counted: usize,
    accepted: usize,
    /// Indexes into [`ComplianceTally::listed`], in the report's order.
    listed: Vec<usize>,
    /// Which identities (by [`ComplianceTally::identity_numbers`]) have a counted finding: one
    /// bit per identity numbered so far, so that a run of a million identities with findings
    /// costs 125 KB per control.
    identities: Vec<u64>,
    identity_count: usize,
    /// The first identities in name order.
    identities_listed: BTreeSet<String>,
}

impl ControlTally {
    /// Marks identity `number`; true when it is new to the control.
    fn mark(&mut self, number: usize) -> bool {
        let (word, bit) = (number / 64, 1u64 << (number % 64));
        if self.identities.len() <= word {
            self.identities.resize(word + 1, 0);
        }
        let new = self.identities[word] & bit == 0;
        self.identities[word] |= bit;
        new
    }
}

/// What the compliance reports need from the findings, gathered one finding at a time in the
/// report's order. Its memory is bounded by the catalog (the listed findings) and by the
/// identities and systems with findings, not by the number of findings.
pub struct ComplianceTally {
    limit: usize,
    rules_run: BTreeSet<String>,
    retired: BTreeSet<String>,
    /// Canonical control ID → its number in `controls`.
    control_numbers: HashMap<String, usize>,
    controls: Vec<ControlTally>,
    /// Every alias or ID a finding carries → its canonical control's number (`None`: not in
    /// the catalog), so that each is looked up once, not once per finding.
    canonical: HashMap<String, Option<usize>>,
    /// Per rule that ran, the controls the catalog maps it to (its agent controls included): a
    /// finding counts for a control it carries only if its rule maps to it, as the "Rules:"
    /// line of the control says, even when the shards ran another policy pack than the merge.
    rule_controls: HashMap<String, Vec<usize>>,
    /// A number per identity with a counted finding, for the controls' bit sets.
    identity_numbers: HashMap<String, usize>,
    /// Findings some control lists, in the report's order.
    listed: Vec<Finding>,
    by_severity: BTreeMap<Severity, usize>,
    by_system: BTreeMap<String, usize>,
    residual: BTreeMap<String, ResidualAccess>,
    counted: usize,
    total: usize,
}

impl ComplianceTally {
    /// A tally of the findings of `result`'s run (the rules it ran, the retired identities with
    /// findings), to be given them with [`add`](Self::add).
    pub fn new(result: &ScanResult) -> Self {
        Self::with_limit(result, LISTED_PER_CONTROL)
    }

    pub fn with_limit(result: &ScanResult, limit: usize) -> Self {
        ComplianceTally {
            limit,
            rules_run: result.rules_run.iter().cloned().collect(),
            retired: result
                .totals
                .retired_with_findings
                .iter()
                .cloned()
                .collect(),
            control_numbers: HashMap::new(),
            controls: Vec::new(),
            canonical: HashMap::new(),
            rule_controls: HashMap::new(),
            identity_numbers: HashMap::new(),
            listed: Vec::new(),
            by_severity: BTreeMap::new(),
            by_system: BTreeMap::new(),
            residual: BTreeMap::new(),
            counted: 0,
            total: 0,
        }
    }

    /// The tally of the result's own findings.
    pub fn of(result: &ScanResult, catalog: &Catalog) -> Self {
        let mut tally = Self::new(result);
        for finding in &result.findings {
            tally.add(catalog, finding);
        }
        tally
    }

    /// Adds the next finding in the report's order.
    pub fn add(&mut self, catalog: &Catalog, finding: &Finding) {
        self.total += 1;
        let counts = finding.status.counts();
        if counts {
            self.add_to_overview(finding);
        }
        // A finding counts for the controls it carries (a rule's agent controls only for its
        // findings about agents), once per control even when two of its IDs name the same one.
        let mut controls: Vec<usize> = Vec::with_capacity(finding.controls.len());
        for id in finding.controls.iter() {
            let Some(number) = self.control_number(catalog, id) else {
                continue;
            };
            if !controls.contains(&number) && self.rule_maps_to(catalog, &finding.rule, number) {
                controls.push(number);
            }
        }
        if controls.is_empty() {
            return;
        }
        let identity_number = counts.then(|| match self.identity_numbers.get(&finding.identity) {
            Some(&number) => number,
            None => {
                let number = self.identity_numbers.len();
                self.identity_numbers
                    .insert(finding.identity.clone(), number);
                number
            }
        });
        let mut listed_at = None;
        for number in controls {
            let control = &mut self.controls[number];
            let Some(identity) = identity_number else {
                control.accepted += 1;
                continue;
            };
            control.counted += 1;
            if control.listed.len() < self.limit {
                let index = *listed_at.get_or_insert_with(|| {
                    self.listed.push(finding.clone());
                    self.listed.len() - 1
                });
                control.listed.push(index);
            }
            if control.mark(identity) {
                control.identity_count += 1;
                let names = &mut control.identities_listed;
                let below_last = names.last().is_none_or(|last| finding.identity < *last);
                if names.len() < self.limit || below_last {
                    names.insert(finding.identity.clone());
                    if names.len() > self.limit {
                        names.pop_last();
                    }
                }
            }
        }
    }

    fn add_to_overview(&mut self, finding: &Finding) {
        self.counted += 1;
        *self.by_severity.entry(finding.severity).or_insert(0) += 1;
        match self.by_system.get_mut(&*finding.system) {
            Some(count) => *count += 1,
            None => {
                self.by_system.insert(finding.system.to_string(), 1);
            }
        }
        if !self.retired.contains(&finding.identity) {
            return;
        }
        let residual = match self.residual.get_mut(&finding.identity) {
            Some(residual) => residual,
            None => self.residual.entry(finding.identity.clone()).or_default(),
        };
        residual.findings += 1;
        residual.worst = residual.worst.max(Some(finding.severity));
        if !residual.systems.contains(&*finding.system) {
            residual.systems.insert(finding.system.to_string());
        }
    }

    /// The number of the control `id` names (an ID or an alias), numbering it when new.
    fn control_number(&mut self, catalog: &Catalog, id: &str) -> Option<usize> {
        if let Some(&number) = self.canonical.get(id) {
            return number;
        }
        let number = catalog.canonical_control(id).map(|canonical| {
            match self.control_numbers.get(canonical) {
                Some(&number) => number,
                None => {
                    self.controls.push(ControlTally::default());
                    let number = self.controls.len() - 1;
                    self.control_numbers.insert(canonical.to_string(), number);
                    number
                }
            }
        });
        self.canonical.insert(id.to_string(), number);
        number
    }

    /// Whether `rule` ran and the catalog maps it to control `number`.
    fn rule_maps_to(&mut self, catalog: &Catalog, rule: &str, number: usize) -> bool {
        if !self.rule_controls.contains_key(rule) {
            let mut mapped = Vec::new();
            if self.rules_run.contains(rule) {
                if let Some(entry) = catalog.rules.get(rule) {
                    for id in entry.controls.iter().chain(&entry.agent_controls) {
                        if let Some(n) = self.control_number(catalog, id) {
                            mapped.push(n);
                        }
                    }
                }
            }
            self.rule_controls.insert(rule.to_string(), mapped);
        }
        self.rule_controls
            .get(rule)
            .is_some_and(|mapped| mapped.contains(&number))
    }

    /// The view for the reports; `filter` selects a framework, a control (or its alias) or a
    /// control prefix (`NHI1:2025`, `NHI-06`, `PR.AA`, `SP800-207`, `owasp-nhi-2025`).
    pub fn view<'a>(
        &'a self,
        catalog: &'a Catalog,
        result: &ScanResult,
        filter: Option<&str>,
    ) -> ComplianceView<'a> {
        let selected: Option<BTreeSet<&str>> = filter.map(|f| {
            catalog
                .select_controls(f)
                .into_iter()
                .map(|c| c.id.as_str())
                .collect()
        });
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
                let rules_run: Vec<&str> = rules
                    .iter()
                    .copied()
                    .filter(|r| self.rules_run.contains(*r))
                    .collect();
                let tally = self
                    .control_numbers
                    .get(&control.id)
                    .map_or(&NO_FINDINGS, |&n| &self.controls[n]);
                let status = if rules_run.is_empty() || tally.counted == 0 && !incomplete.is_empty()
                {
                    ControlStatus::NotAssessed
                } else if tally.counted == 0 {
                    ControlStatus::Pass
                } else {
                    ControlStatus::Fail
                };
                controls.push(ControlView {
                    control,
                    status,
                    rules,
                    rules_run,
                    counted: tally.counted,
                    accepted: tally.accepted,
                    findings: tally.listed.iter().map(|&i| &self.listed[i]).collect(),
                    identity_count: tally.identity_count,
                    identities: tally.identities_listed.iter().map(String::as_str).collect(),
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
            overview: Overview {
                by_severity: Severity::ALL
                    .iter()
                    .map(|s| (*s, self.by_severity.get(s).copied().unwrap_or(0)))
                    .collect(),
                by_system: &self.by_system,
                residual: &self.residual,
                counted: self.counted,
                accepted: self.total - self.counted,
            },
            filter: filter.map(str::to_string),
            incomplete,
            total: self.total,
            listed: &self.listed,
        }
    }
}

/// Calls `write` with the view of the context's tally (or, without one, of the result's own
/// findings) for the reports.
pub fn with_view<R>(
    context: &super::ReportContext,
    filter: Option<&str>,
    write: impl FnOnce(&ComplianceView) -> R,
) -> R {
    let own;
    let tally = match context.compliance {
        Some(tally) => tally,
        None => {
            own = ComplianceTally::of(context.result, context.catalog);
            &own
        }
    };
    write(&tally.view(context.catalog, context.result, filter))
}

#[cfg(test)]
mod tests;
