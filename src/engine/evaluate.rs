//! Asking Cedar about every subject of the inventory, in parallel with one parsed policy set per
//! worker thread, and collecting which rules each Deny names.

use cedar_policy::Decision as CedarDecision;
use jiff::Timestamp;
use rayon::prelude::*;

use super::decide::PreparedSet;
use super::entities::{EntityError, RequestBuilder, SharedEntities, Subject};
use super::policies::{PolicyPack, ACTIONS};
use crate::config::Thresholds;
use crate::inventory::Inventory;

/// The rules (policy keys) a subject's request violated.
#[derive(Debug, Clone)]
pub struct Decision {
    pub subject: Subject,
    pub violated: Vec<String>,
}

/// A policy that failed while evaluating (it then counts as not satisfied, and the run is
/// reported as incomplete).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct PolicyEvaluationError {
    pub policy: String,
    pub message: String,
    pub count: usize,
}

/// Everything the engine decided.
pub struct Evaluation {
    pub shared: SharedEntities,
    pub decisions: Vec<Decision>,
    pub errors: Vec<PolicyEvaluationError>,
    pub requests: usize,
}

struct Worker<'a> {
    /// The pack's policies per action, in the order of [`ACTIONS`].
    sets: Vec<PreparedSet>,
    builder: RequestBuilder<'a>,
}

struct Outcome {
    decision: Option<Decision>,
    errors: Vec<(String, String)>,
}

/// Evaluates every subject of the inventory against the pack.
pub fn evaluate(
    pack: &PolicyPack,
    inventory: &Inventory,
    thresholds: &Thresholds,
    now: Timestamp,
) -> Result<Evaluation, EntityError> {
    evaluate_observed(
        pack,
        inventory,
        thresholds,
        now,
        &|_| true,
        &|_| {},
        &|_| {},
    )
}

/// Requests between two progress reports.
const PROGRESS_STEP: usize = 1024;

/// [`evaluate`] of the subjects `select` keeps (a shard's part), telling `started` how many
/// requests there are and `done` as they complete.
pub fn evaluate_observed(
    pack: &PolicyPack,
    inventory: &Inventory,
    thresholds: &Thresholds,
    now: Timestamp,
    select: &(dyn Fn(Subject) -> bool + Sync),
    started: &(dyn Fn(usize) + Sync),
    done: &(dyn Fn(usize) + Sync),
) -> Result<Evaluation, EntityError> {
    evaluate_in_parts(
        pack,
        inventory,
        thresholds,
        now,
        select,
        started,
        done,
        IDENTITIES_PER_PART,
    )
}

/// [`evaluate_observed`] with parts of `identities_per_part` identities (tests show that the
/// size of the parts changes no decision).
#[doc(hidden)]
#[allow(clippy::too_many_arguments)]
pub fn evaluate_in_parts(
    pack: &PolicyPack,
    inventory: &Inventory,
    thresholds: &Thresholds,
    now: Timestamp,
    select: &(dyn Fn(Subject) -> bool + Sync),
    started: &(dyn Fn(usize) + Sync),
    done: &(dyn Fn(usize) + Sync),
    identities_per_part: usize,
) -> Result<Evaluation, EntityError> {
    let per_part = identities_per_part.max(1);
    let mut shared = SharedEntities::build_base(inventory)?;
    let mut subjects = shared.subjects(inventory);
    subjects.retain(|&s| select(s));
    started(subjects.len());
    let requests = subjects.len();

    // Subjects are evaluated in parts by the identity their request needs, and only that part's
    // identity entities exist at a time; subjects without an identity go with the first part.
    let identities = inventory.identities.len();
    let parts = identities.div_ceil(per_part).max(1);
    let mut by_part: Vec<Vec<Subject>> = vec![Vec::new(); parts];
    for subject in subjects {
        let part = SharedEntities::identity_of(inventory, subject).map_or(0, |i| i / per_part);
        by_part[part.min(parts - 1)].push(subject);
    }
    let mut decisions = Vec::new();
    let mut errors: std::collections::BTreeMap<String, (String, usize)> = Default::default();
    let mut evaluated = 0;
    for (part, part_subjects) in by_part.into_iter().enumerate() {
        let range = part.saturating_mul(per_part).min(identities)
            ..(part + 1).saturating_mul(per_part).min(identities);
        shared.build_identities(inventory, range.clone())?;
        let outcomes = evaluate_part(
            pack,
            &shared,
            inventory,
            thresholds,
            now,
            &part_subjects,
            evaluated,
            done,
        )?;
        evaluated += part_subjects.len();
        shared.release_identities(range);
        // Folded part by part: an outcome per request of a whole run would be held for nothing.
        for outcome in outcomes {
            for (policy, message) in outcome.errors {
                errors.entry(policy).or_insert((message, 0)).1 += 1;
            }
            decisions.extend(outcome.decision);
        }
    }
    // Findings only need to know which system a subject's resource is; the Cedar entities go
    // now.
    shared.release_entities();

    let errors = errors
        .into_iter()
        .map(|(policy, (message, count))| PolicyEvaluationError {
            policy,
            message,
            count,
        })
        .collect();
    Ok(Evaluation {
        requests,
        shared,
        decisions,
        errors,
    })
}

/// Identities whose entities exist at once: about 2 KB each in Cedar's form.
const IDENTITIES_PER_PART: usize = 65_536;

/// Evaluates one part's subjects, in parallel with one parsed policy set and request builder per
/// worker thread (`skip` subjects were evaluated before, for progress reports).
#[allow(clippy::too_many_arguments)]
fn evaluate_part(
    pack: &PolicyPack,
    shared: &SharedEntities,
    inventory: &Inventory,
    thresholds: &Thresholds,
    now: Timestamp,
    subjects: &[Subject],
    skip: usize,
    done: &(dyn Fn(usize) + Sync),
) -> Result<Vec<Outcome>, EntityError> {
    // Sharing one set between threads would make them contend on the reference counts that
    // Cedar bumps while evaluating; `map_init` would parse a set for every split of the work.
    let workers: Vec<std::sync::Mutex<Worker>> = (0..rayon::current_num_threads().max(1))
        .map(|_| {
            let sets = pack.fresh_action_sets();
            Ok(std::sync::Mutex::new(Worker {
                sets: ACTIONS
                    .iter()
                    .map(|action| PreparedSet::new(sets.for_action(action)))
                    .collect(),
                builder: RequestBuilder::new(shared, inventory, thresholds, now)?,
            }))
        })
        .collect::<Result<_, EntityError>>()?;
    subjects
        .par_iter()
        .enumerate()
        .with_min_len(256)
        .map(|(position, &subject)| {
            if (skip + position) % PROGRESS_STEP == PROGRESS_STEP - 1 {
                done(PROGRESS_STEP);
            }
            let slot = rayon::current_thread_index().unwrap_or(0) % workers.len();
            // A worker's lock is only ever taken by its own thread; poisoning would mean a
            // panic, which the engine does not have, but it is recovered rather than unwrapped.
            let mut worker = workers[slot]
                .lock()
                .unwrap_or_else(std::sync::PoisonError::into_inner);
            let Worker { sets, builder } = &mut *worker;
            let (request, entities) = builder.build(subject)?;
            let verdict = sets[subject.action_index()].decide(&request, &entities);
            let errors = verdict
                .errors
                .iter()
                .map(|e| (policy_of(e), e.to_string()))
                .collect();
            let decision = (verdict.decision == CedarDecision::Deny).then_some(Decision {
                subject,
                violated: verdict.reasons,
            });
            Ok(Outcome { decision, errors })
        })
        .collect()
}

fn policy_of(error: &cedar_policy::AuthorizationError) -> String {
    match error {
        cedar_policy::AuthorizationError::PolicyEvaluationError(e) => e.policy_id().to_string(),
    }
}
