//! Deny decisions → findings: the rules each decision fired (one finding per rule, at the
//! highest severity of its variants), in the catalog's words, with the shared texts allocated
//! once and the findings written in place into one exact allocation.

use std::collections::{BTreeMap, HashMap};
use std::sync::{Arc, OnceLock};

use jiff::Timestamp;
use rayon::prelude::*;

use super::fingerprint::{fingerprint, subject_key};
use super::message::Facts;
use super::{sort, Finding, SecretEvidence, UNATTRIBUTED};
use crate::catalog::{Catalog, Rule};
use crate::config::Config;
use crate::engine::{register_system, Decision, Evaluation, PolicyPack, Subject};
use crate::inventory::{Evidence, Identity, IdentityKind, Inventory};
use crate::severity::Severity;

/// Builds the findings of an evaluation.
pub fn build(
    evaluation: &Evaluation,
    pack: &PolicyPack,
    catalog: &Catalog,
    config: &Config,
    inventory: &Inventory,
    now: Timestamp,
) -> Vec<Finding> {
    let texts: HashMap<&str, RuleTexts> = catalog
        .rules
        .values()
        .map(|rule| (rule.id.as_str(), RuleTexts::of(rule)))
        .collect();
    // The rules a decision fired: several policies (variants) of one rule are one finding at
    // the highest severity.
    let fired = |decision: &Decision| -> Vec<(&str, Severity)> {
        let mut by_rule: BTreeMap<&str, Severity> = BTreeMap::new();
        for key in &decision.violated {
            let Some(policy) = pack.rules.get(key) else {
                continue;
            };
            let Some(rule) = catalog.rule(&policy.rule) else {
                continue;
            };
            if !texts.contains_key(rule.id.as_str()) {
                continue;
            }
            let severity = policy.severity.unwrap_or(rule.severity);
            let entry = by_rule.entry(rule.id.as_str()).or_insert(severity);
            *entry = (*entry).max(severity);
        }
        by_rule.into_iter().collect()
    };
    // One copy of each identity's aliases, shared by all its findings.
    let aliases: Vec<OnceLock<Arc<[String]>>> = (0..inventory.identities.len())
        .map(|_| Default::default())
        .collect();
    // One copy of each system's name, shared by its findings.
    let system_names: Vec<Arc<str>> = evaluation
        .shared
        .systems()
        .iter()
        .map(|s| s.to_string().into())
        .collect();
    let register_system = register_system();
    let register_name: Arc<str> = register_system.to_string().into();
    let finding = |decision: &Decision, code: &str, severity: Severity| {
        let resource = evaluation.shared.resource_of(inventory, decision.subject);
        let (system, system_name) = match evaluation.shared.systems().get(resource) {
            Some(system) => (system, &system_names[resource]),
            None => (&register_system, &register_name),
        };
        let About {
            identity: identity_idx,
            credential,
            evidence,
        } = About::of(inventory, decision.subject);
        let facts = Facts::of(inventory, decision.subject, identity_idx, system, now);
        let subject_key = subject_key(inventory, decision.subject);
        let identity = identity_idx.map(|i| &inventory.identities[i]);
        let mut about_agent = identity.is_some_and(|i| i.kind == IdentityKind::Agent);
        let (secret, confidence) = match decision.subject {
            Subject::Exposure(e) => {
                let exposure = &inventory.exposures[e];
                about_agent |= exposure.agent_credential;
                (
                    Some(Box::new(SecretEvidence::of(exposure))),
                    exposure.confidence.map(|c| c.level),
                )
            }
            _ => (None, None),
        };
        let texts = &texts[code];
        Finding {
            id: fingerprint(code, system.family.as_str(), &subject_key),
            rule: Arc::clone(&texts.code),
            severity: config.severity_override(code).unwrap_or(severity),
            confidence,
            title: texts.title.clone(),
            message: facts.render(&texts.message),
            identity: identity.map_or_else(|| UNATTRIBUTED.to_string(), |i| i.id.clone()),
            identity_aliases: identity_idx.map_or_else(Default::default, |i| {
                Arc::clone(aliases[i].get_or_init(|| aliases_of(&inventory.identities[i]).into()))
            }),
            owner: identity.and_then(|i| i.owner.clone()),
            credential,
            secret,
            system: Arc::clone(system_name),
            controls: if about_agent {
                texts.agent_controls.clone()
            } else {
                texts.controls.clone()
            },
            evidence,
            remediation: texts.remediation.clone(),
            status: Default::default(),
            suppressed_by: None,
        }
    };
    // Findings are written in place into one exact allocation: the n-th finding is found from
    // the number each decision fired (a flat parallel collect would hold every finding twice).
    let decisions = &evaluation.decisions;
    let fired_counts: Vec<usize> = decisions
        .par_iter()
        .with_min_len(256)
        .map(|d| fired(d).len())
        .collect();
    let mut starts = Vec::with_capacity(decisions.len() + 1);
    let mut total = 0;
    for count in fired_counts {
        starts.push(total);
        total += count;
    }
    starts.push(total);
    let mut findings: Vec<Finding> = (0..total)
        .into_par_iter()
        .with_min_len(256)
        .map(|n| {
            let d = starts.partition_point(|&start| start <= n) - 1;
            let decision = &decisions[d];
            let (code, severity) = fired(decision)[n - starts[d]];
            finding(decision, code, severity)
        })
        .collect();
    sort(&mut findings);
    findings
}

/// A rule's texts, allocated once per scan and shared by its findings.
struct RuleTexts {
    code: Arc<str>,
    title: Arc<str>,
    message: String,
    controls: Arc<[String]>,
    /// The rule's controls and its `agent_controls`, for findings about an agent.
    agent_controls: Arc<[String]>,
    remediation: Arc<str>,
}

impl RuleTexts {
    fn of(rule: &Rule) -> Self {
        RuleTexts {
            code: rule.id.as_str().into(),
            title: rule.title.as_str().into(),
            message: rule.message.clone(),
            controls: rule.controls.clone().into(),
            agent_controls: rule
                .controls
                .iter()
                .chain(&rule.agent_controls)
                .cloned()
                .collect::<Vec<_>>()
                .into(),
            remediation: rule.remediation.as_str().into(),
        }
    }
}

fn aliases_of(identity: &Identity) -> Vec<String> {
    identity
        .aliases
        .iter()
        .filter(|a| **a != identity.id)
        .cloned()
        .collect()
}

/// What a finding is about besides its message: its identity (none for a secret nobody in the
/// inventory accounts for), the credential it names and its evidence.
struct About {
    identity: Option<usize>,
    credential: Option<String>,
    evidence: Evidence,
}

impl About {
    fn of(inventory: &Inventory, subject: Subject) -> About {
        let records = &inventory.records;
        match subject {
            Subject::Credential(c) => {
                let cred = &records.credentials[c];
                About {
                    identity: Some(inventory.credential_holder[c]),
                    credential: Some(cred.id.clone()),
                    evidence: cred.evidence.clone(),
                }
            }
            Subject::Grant(g) => About {
                identity: Some(inventory.grant_holder[g]),
                credential: None,
                evidence: records.grants[g].evidence.clone(),
            },
            Subject::Usage(u) => About {
                identity: Some(inventory.usage_identity[u]),
                credential: None,
                evidence: records.usages[u].evidence.clone(),
            },
            Subject::Identity(i) => About {
                identity: Some(i),
                credential: None,
                evidence: inventory.identities[i].evidence.clone(),
            },
            Subject::Exposure(e) => About {
                identity: inventory.exposure_identity[e],
                credential: inventory.exposure_credential[e]
                    .map(|c| records.credentials[c].id.clone()),
                evidence: inventory.exposures[e].evidence.clone(),
            },
            Subject::Provision(p) => {
                let provision = &records.provisions[p];
                About {
                    identity: inventory.provision_identity[p],
                    credential: provision.credential.clone(),
                    evidence: provision.evidence.clone(),
                }
            }
        }
    }
}
