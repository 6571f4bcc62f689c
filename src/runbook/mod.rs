//! Remediation runbooks: for each residual item of a retired identity (`verify --runbook`) or
//! each finding of a scan (`scan --format runbook`), the commands that remove it in its home
//! system, in a safe order: disable what can be undone, delete, remove grants and bindings,
//! delete the accounts, rotate what leaked, clean up, purge history (optional), re-verify.
//!
//! Pure data: which command removes which record is decided here, from the inventory; how a
//! command is written (Markdown, shell, JSON) is `report::runbook`'s. deprov never runs any.

pub mod command;
mod exposure;
mod families;
mod resolve;

use std::collections::HashMap;

use jiff::Timestamp;

use crate::findings::Finding;
use crate::inventory::{GrantRecord, IdentityIdx, IdentityRecord, Inventory, RecordRef, SystemRef};
use crate::result::ScanResult;
use crate::verify::{Checklist, ItemState};
pub use command::{Arg, Command, Part, Program, UnsafeValue, Variable};
use families::Intent;

/// The order steps are taken in. Each phase is safe to start once the one before is done.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Phase {
    /// Switch off what can be switched back on: if something breaks, undo and look again.
    Disable,
    /// Delete the credentials (and revoke certificates at their issuer).
    Delete,
    /// Remove what the identity is granted: policies, group memberships, role bindings.
    RemoveGrants,
    /// Delete the accounts themselves, once nothing is attached to them.
    RemoveAccounts,
    /// Replace what leaked or is due: a new credential for the consumers, then the old one goes.
    Rotate,
    /// What only a person can do: the register, repositories, an investigation.
    CleanUp,
    /// Optional, and last: rewrite repository history (it breaks every clone).
    PurgeHistory,
    /// Take fresh exports and check that nothing remains.
    Reverify,
}

impl Phase {
    pub const ALL: [Phase; 8] = [
        Phase::Disable,
        Phase::Delete,
        Phase::RemoveGrants,
        Phase::RemoveAccounts,
        Phase::Rotate,
        Phase::CleanUp,
        Phase::PurgeHistory,
        Phase::Reverify,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Disable => "disable",
            Phase::Delete => "delete",
            Phase::RemoveGrants => "remove_grants",
            Phase::RemoveAccounts => "remove_accounts",
            Phase::Rotate => "rotate",
            Phase::CleanUp => "clean_up",
            Phase::PurgeHistory => "purge_history",
            Phase::Reverify => "reverify",
        }
    }

    pub fn title(self) -> &'static str {
        match self {
            Phase::Disable => "Disable (reversible)",
            Phase::Delete => "Delete credentials",
            Phase::RemoveGrants => "Remove grants and bindings",
            Phase::RemoveAccounts => "Delete the accounts",
            Phase::Rotate => "Rotate what leaked or is due",
            Phase::CleanUp => "Clean up",
            Phase::PurgeHistory => "Purge repository history (optional, last)",
            Phase::Reverify => "Re-verify",
        }
    }

    pub fn why(self) -> &'static str {
        match self {
            Phase::Disable => "Each of these can be switched back on: wait for anything that breaks before deleting.",
            Phase::Delete => "Deleted credentials cannot be used again, whoever holds a copy.",
            Phase::RemoveGrants => "A grant outlives its credentials: whoever re-creates or re-enables the identity would get it back.",
            Phase::RemoveAccounts => "Last of the system steps: most systems refuse to delete an account that still has credentials or grants.",
            Phase::Rotate => "Create the replacement and move every consumer to it before the old credential goes.",
            Phase::CleanUp => "Steps no command can take: decide, edit, investigate.",
            Phase::PurgeHistory => "Rewriting history breaks every clone and fork, and does not un-leak a secret: only revocation does. Do it only if the repository's policy asks for it.",
            Phase::Reverify => "Re-export the systems (contrib/export/) and check that nothing remains.",
        }
    }
}

/// What a step does: a command, or an instruction for a person.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub enum Action {
    Run(Command),
    Manual(String),
}

/// One step of a runbook.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Step {
    pub phase: Phase,
    /// The system the step acts in (`aws:111122223333`).
    pub system: String,
    /// What the step does, in words (names from the inputs: renderers escape it).
    pub summary: String,
    pub action: Action,
    /// What to check before running it.
    pub caution: Option<String>,
    /// The page that documents the command or the procedure.
    pub documentation: &'static str,
    /// The checklist items or findings it removes.
    pub resolves: Vec<String>,
}

/// What a runbook is for.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Scope {
    /// The residual items of one identity (`verify --runbook`).
    Identity {
        identity: String,
        lifecycle: &'static str,
        retired_at: Option<String>,
        owner: Option<String>,
        /// Items still present.
        remaining: usize,
    },
    /// The findings of a scan.
    Scan { findings: usize },
}

/// A runbook: ordered steps.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Runbook {
    pub evaluated_at: String,
    pub scope: Scope,
    /// Why the scan behind it is incomplete: what was not read cannot be planned for.
    pub incomplete: Vec<String>,
    /// In phase order; within a phase, in the order of the items (sorted) they came from.
    pub steps: Vec<Step>,
}

impl Runbook {
    /// The variables its commands need, in order, without repeats.
    pub fn variables(&self) -> Vec<Variable> {
        let mut variables = Vec::new();
        for step in &self.steps {
            if let Action::Run(command) = &step.action {
                for variable in command.variables() {
                    if !variables.contains(&variable) {
                        variables.push(variable);
                    }
                }
            }
        }
        variables
    }
}

/// The runbook of a `verify` checklist: a step for every item still present. `reverify` is the
/// command that checks the result (the same `deprov verify` on fresh exports).
pub fn for_checklist(
    checklist: &Checklist,
    inventory: &Inventory,
    now: Timestamp,
    reverify: Result<Command, UnsafeValue>,
) -> Runbook {
    let mut plan = Plan::new(inventory, now);
    for item in &checklist.items {
        let Some(record) = item.record else {
            continue;
        };
        // A recorded use is information, unless it came after the retirement (planned as an
        // investigation).
        if item.state == ItemState::Removed
            || (item.state == ItemState::Info && !matches!(record, RecordRef::Usage(_)))
        {
            continue;
        }
        let label = format!(
            "{} {}{}",
            item.kind.as_str(),
            item.system
                .as_deref()
                .map(|s| format!("{s} "))
                .unwrap_or_default(),
            item.id
        );
        plan.resolving(label);
        plan.record(record, Intent::Remove);
    }
    plan.resolving(format!("identity {}", checklist.identity));
    plan.reverify(reverify);
    Runbook {
        evaluated_at: checklist.evaluated_at.clone(),
        scope: Scope::Identity {
            identity: checklist.identity.clone(),
            lifecycle: checklist.lifecycle,
            retired_at: checklist.retired_at.clone(),
            owner: checklist.owner.clone(),
            remaining: checklist.remaining,
        },
        incomplete: checklist.incomplete.clone(),
        steps: plan.finish(),
    }
}

/// The runbook of a scan: a step for every finding, found in the inventory by its
/// fingerprint. A merged run has no inventory: its findings get their rule's remediation.
pub fn for_findings(result: &ScanResult, reverify: Result<Command, UnsafeValue>) -> Runbook {
    let inventory = &result.inventory;
    let targets = resolve::targets(inventory, &result.findings);
    let mut plan = Plan::new(inventory, result.evaluated_at);
    // One credential, one plan: removing it (a retired identity's, an unused one) makes its
    // rotation (due, leaked) moot.
    for (finding, target) in result.findings.iter().zip(&targets) {
        if let Some((c, intent)) = target.and_then(|t| credential_intent(inventory, finding, t)) {
            let entry = plan.credential_intents.entry(c).or_insert(intent);
            if intent == Intent::Remove {
                *entry = Intent::Remove;
            }
        }
    }
    for (finding, target) in result.findings.iter().zip(targets) {
        plan.resolving(finding.id.clone());
        match target {
            Some(target) => plan.finding(finding, target),
            None => plan.unresolved(finding),
        }
    }
    plan.resolving("scan".to_string());
    plan.reverify(reverify);
    Runbook {
        evaluated_at: crate::time::format_rfc3339(result.evaluated_at),
        scope: Scope::Scan {
            findings: result.findings.len(),
        },
        incomplete: crate::result::incompleteness(&result.sources, &result.skipped),
        steps: plan.finish(),
    }
}

/// The credential a finding acts on, and how: a credential that is due (STL003, STL004) or an
/// active identity's leaked secret is rotated; anything else is removed.
fn credential_intent(
    inventory: &Inventory,
    finding: &Finding,
    target: Target,
) -> Option<(usize, Intent)> {
    match target {
        Target::Record(RecordRef::Credential(c)) => Some((
            c,
            if matches!(&*finding.rule, "STL003" | "STL004") {
                Intent::Rotate
            } else {
                Intent::Remove
            },
        )),
        Target::Record(RecordRef::Exposure(e)) => {
            let c = inventory.exposure_credential[e]?;
            Some((c, exposure::intent(inventory, e, Some(finding))))
        }
        _ => None,
    }
}

/// What a finding is about in the inventory.
/// Terraform's documentation of removing a resource from a configuration.
const TERRAFORM_REMOVING_RESOURCES_DOC: &str =
    "https://developer.hashicorp.com/terraform/language/resources/syntax#removing-resources";

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Target {
    Record(RecordRef),
    Identity(IdentityIdx),
}

/// Steps as they are planned: merged when two items need the same step.
pub(crate) struct Plan<'a> {
    pub inventory: &'a Inventory,
    /// The evaluation time: an expired certificate needs no revocation.
    pub now: Timestamp,
    /// How each credential is planned when several findings name it (removal wins).
    credential_intents: HashMap<usize, Intent>,
    steps: Vec<Step>,
    index: HashMap<(Phase, Action), usize>,
    resolving: String,
}

impl<'a> Plan<'a> {
    fn new(inventory: &'a Inventory, now: Timestamp) -> Self {
        Plan {
            inventory,
            now,
            credential_intents: HashMap::new(),
            steps: Vec::new(),
            index: HashMap::new(),
            resolving: String::new(),
        }
    }

    /// The item or finding the next steps remove.
    fn resolving(&mut self, label: String) {
        self.resolving = label;
    }

    /// A command step; a command that cannot be written safely becomes an instruction that
    /// says why.
    pub fn run(
        &mut self,
        phase: Phase,
        system: &SystemRef,
        summary: String,
        command: Result<Command, UnsafeValue>,
        documentation: &'static str,
    ) -> &mut Step {
        let action = match command {
            Ok(command) => Action::Run(command),
            Err(reason) => Action::Manual(format!(
                "{summary}, in the system's console or API: no command is written for it because {reason}."
            )),
        };
        self.push(phase, system.to_string(), summary, action, documentation)
    }

    /// A step for a person.
    pub fn manual(
        &mut self,
        phase: Phase,
        system: &SystemRef,
        summary: String,
        instruction: String,
        documentation: &'static str,
    ) -> &mut Step {
        self.push(
            phase,
            system.to_string(),
            summary,
            Action::Manual(instruction),
            documentation,
        )
    }

    fn push(
        &mut self,
        phase: Phase,
        system: String,
        summary: String,
        action: Action,
        documentation: &'static str,
    ) -> &mut Step {
        let key = (phase, action);
        let position = match self.index.get(&key) {
            Some(&position) => position,
            None => {
                let position = self.steps.len();
                self.steps.push(Step {
                    phase,
                    system,
                    summary,
                    action: key.1.clone(),
                    caution: None,
                    documentation,
                    resolves: Vec::new(),
                });
                self.index.insert(key, position);
                position
            }
        };
        let step = &mut self.steps[position];
        if !step.resolves.contains(&self.resolving) {
            step.resolves.push(self.resolving.clone());
        }
        step
    }

    /// The steps that remove one record.
    fn record(&mut self, record: RecordRef, intent: Intent) {
        let inventory = self.inventory;
        let records = &inventory.records;
        match record {
            RecordRef::Account(a) => self.account(&records.identities[a]),
            RecordRef::Credential(c) => self.credential_at(c, intent),
            RecordRef::Grant(g) => self.grant(&records.grants[g]),
            RecordRef::Exposure(e) => exposure::plan(self, e, None),
            RecordRef::Usage(u) => {
                let usage = &records.usages[u];
                let identity = &inventory.identities[inventory.usage_identity[u]];
                exposure::used_after_retirement(self, usage, identity);
            }
            RecordRef::Provision(p) => self.provision(&records.provisions[p]),
        }
    }

    /// Code that still provisions a resource recreates it at its next apply, whatever this
    /// runbook removes by hand: it is taken out of the code first.
    fn provision(&mut self, provision: &crate::inventory::ProvisionRecord) {
        if !provision.change.survives_apply() {
            return;
        }
        self.manual(
            Phase::Disable,
            &provision.system,
            format!(
                "Stop provisioning {} in {}",
                provision.address, provision.system
            ),
            format!(
                "Remove `{}` ({}) from the Terraform configuration (delete its resource block, \
                 or add a `removed` block to stop managing it) and apply, so that the next apply \
                 does not recreate what the rest of this runbook removes ({}).",
                provision.address,
                provision.what,
                families::where_read(&provision.evidence)
            ),
            TERRAFORM_REMOVING_RESOURCES_DOC,
        );
    }

    pub fn account(&mut self, account: &IdentityRecord) {
        families::account(self, account);
    }

    /// The steps for credential `c`, as `intent` asks unless the plan settled it already.
    pub fn credential_at(&mut self, c: usize, intent: Intent) {
        let intent = self.credential_intents.get(&c).copied().unwrap_or(intent);
        families::credential(self, &self.inventory.records.credentials[c], intent);
    }

    pub fn grant(&mut self, grant: &GrantRecord) {
        families::grant(self, grant);
    }

    /// The steps a finding's rule asks for, on what it is about.
    fn finding(&mut self, finding: &Finding, target: Target) {
        let rule = &*finding.rule;
        match target {
            Target::Record(RecordRef::Credential(c)) => {
                // A credential that is due is replaced; one that should not exist is removed.
                let intent = if matches!(rule, "STL003" | "STL004") {
                    Intent::Rotate
                } else {
                    Intent::Remove
                };
                self.credential_at(c, intent);
            }
            Target::Record(RecordRef::Exposure(e)) => exposure::plan(self, e, Some(finding)),
            Target::Record(record) => self.record(record, Intent::Remove),
            Target::Identity(i) => {
                let identity = &self.inventory.identities[i];
                let system = identity
                    .home_system
                    .clone()
                    .unwrap_or_else(crate::engine::register_system);
                self.manual(
                    Phase::CleanUp,
                    &system,
                    format!("{}: {}", finding.title, identity.id),
                    finding.remediation.to_string(),
                    families::REGISTER_DOC,
                );
            }
        }
    }

    /// A finding the inventory does not hold (a merged run): its rule's remediation.
    fn unresolved(&mut self, finding: &Finding) {
        // One step per finding: the instruction names it, so that two findings of one rule
        // are not merged into the first one's step.
        let step = self.push(
            Phase::CleanUp,
            finding.system.to_string(),
            format!("{}: {}", finding.title, finding.identity),
            Action::Manual(format!("{}. {}", finding.message, finding.remediation)),
            families::REGISTER_DOC,
        );
        step.caution = Some(
            "the report behind this runbook has no inventory (a merged run): run `deprov scan … --format runbook` for the commands".into(),
        );
    }

    fn reverify(&mut self, command: Result<Command, UnsafeValue>) {
        let summary = "Re-export every system, then re-run deprov on the fresh exports";
        let action = match command {
            Ok(command) => Action::Run(command),
            Err(reason) => Action::Manual(format!(
                "{summary}: no command is written for it because {reason}."
            )),
        };
        self.push(
            Phase::Reverify,
            "deprov".into(),
            summary.into(),
            action,
            families::REVERIFY_DOC,
        );
    }

    /// The steps in phase order, stable within a phase.
    fn finish(mut self) -> Vec<Step> {
        self.steps.sort_by_key(|step| step.phase);
        self.steps
    }
}
