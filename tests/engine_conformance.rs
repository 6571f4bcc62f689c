//! Every entity the engine builds for the example organisation conforms to the Cedar schema
//! (the engine skips the per-request schema check for speed; this test is that check), and the
//! per-action policy sets the engine evaluates decide exactly as the whole pack would, and the
//! engine's prepared sets decide exactly as Cedar's `Authorizer` does.

mod common;

#[path = "../benches/support/synth.rs"]
mod synth;

use cedar_policy::{Authorizer, Entities};
use deprov::engine::decide::{PreparedSet, Verdict};
use deprov::engine::entities::{RequestBuilder, SharedEntities, Subject};
use deprov::engine::policies::ACTIONS;
use deprov::scan::{self, ScanPlan};

fn example_inventory(plan: &ScanPlan) -> deprov::inventory::Inventory {
    let inputs = scan::read_inputs(plan).unwrap();
    let assembled = deprov::sources::assemble(inputs.parsed).unwrap();
    let mut inventory = deprov::inventory::correlate(assembled.register, assembled.records);
    deprov::inventory::correlate_exposures(&mut inventory, inputs.exposures);
    inventory
}

#[test]
fn every_request_slice_conforms_to_the_schema() {
    let plan = common::example_plan();
    let inventory = example_inventory(&plan);
    let shared = SharedEntities::build(&inventory).unwrap();
    let mut builder =
        RequestBuilder::new(&shared, &inventory, &plan.config.thresholds, plan.now).unwrap();
    let subjects = shared.subjects(&inventory);
    assert!(subjects.len() > 50);
    for subject in subjects {
        let (_, entities) = builder.build(subject).unwrap();
        let slice: Vec<cedar_policy::Entity> = entities.iter().cloned().collect();
        if let Err(e) = Entities::from_entities(slice, Some(&plan.pack.schema)) {
            panic!("{subject:?} does not conform: {e}");
        }
    }
}

#[test]
fn per_action_policy_sets_decide_as_the_whole_pack() {
    let plan = common::example_plan();
    let inventory = example_inventory(&plan);
    let shared = SharedEntities::build(&inventory).unwrap();
    let mut builder =
        RequestBuilder::new(&shared, &inventory, &plan.config.thresholds, plan.now).unwrap();
    let whole = plan.pack.fresh_set();
    let split = plan.pack.fresh_action_sets();
    let mut denied = 0;
    let subjects = shared.subjects(&inventory);
    assert!(subjects.iter().any(|s| matches!(s, Subject::Exposure(_))));
    for subject in subjects {
        let action = ACTIONS[subject.action_index()];
        let (request, entities) = builder.build(subject).unwrap();
        let expected = authorizer_verdict(&request, &whole, &entities);
        assert_eq!(
            authorizer_verdict(&request, split.for_action(action), &entities),
            expected,
            "{subject:?}"
        );
        denied += usize::from(expected.decision == cedar_policy::Decision::Deny);
    }
    assert!(denied > 20, "the example organisation has gaps to decide");
}

/// Each denial of a run as text (subject and violated policies), sorted.
fn sorted_denials(evaluation: &deprov::engine::Evaluation) -> Vec<String> {
    let mut denials: Vec<String> = evaluation
        .decisions
        .iter()
        .map(|d| format!("{:?} {:?}", d.subject, d.violated))
        .collect();
    denials.sort();
    denials
}

#[test]
fn evaluating_identities_in_parts_changes_no_decision() {
    let plan = common::example_plan();
    let inventory = example_inventory(&plan);
    let run = |per_part: usize| {
        let evaluation = deprov::engine::evaluate::evaluate_in_parts(
            &plan.pack,
            &inventory,
            &plan.config.thresholds,
            plan.now,
            &|_| true,
            &|_| {},
            &|_| {},
            per_part,
        )
        .unwrap();
        (evaluation.requests, sorted_denials(&evaluation))
    };
    let whole = run(usize::MAX);
    assert!(whole.1.len() > 20);
    assert!(inventory.identities.len() > 6);
    for per_part in [1, 3, inventory.identities.len() / 2] {
        assert_eq!(run(per_part), whole, "parts of {per_part} identities");
    }
}

/// Cedar's `Authorizer` verdict, in the form of the engine's.
fn authorizer_verdict(
    request: &cedar_policy::Request,
    set: &cedar_policy::PolicySet,
    entities: &Entities,
) -> Verdict {
    let response = Authorizer::new().is_authorized(request, set, entities);
    let mut reasons: Vec<String> = response
        .diagnostics()
        .reason()
        .map(|p| p.to_string())
        .collect();
    reasons.sort();
    Verdict {
        decision: response.decision(),
        reasons,
        errors: response.diagnostics().errors().cloned().collect(),
    }
}

/// Every request of `plan`'s inventory gets the same verdict from the engine's prepared set as
/// from Cedar's `Authorizer`; returns how many were denied and allowed.
fn prepared_matches_authorizer(plan: &ScanPlan) -> (usize, usize) {
    let inventory = example_inventory(plan);
    let shared = SharedEntities::build(&inventory).unwrap();
    let mut builder =
        RequestBuilder::new(&shared, &inventory, &plan.config.thresholds, plan.now).unwrap();
    let whole = plan.pack.fresh_set();
    let prepared = PreparedSet::new(&whole);
    let (mut denied, mut allowed) = (0, 0);
    let mut expected_denials = Vec::new();
    for subject in shared.subjects(&inventory) {
        let (request, entities) = builder.build(subject).unwrap();
        let expected = authorizer_verdict(&request, &whole, &entities);
        assert_eq!(
            prepared.decide(&request, &entities),
            expected,
            "{subject:?}"
        );
        denied += usize::from(expected.decision == cedar_policy::Decision::Deny);
        allowed += usize::from(expected.decision == cedar_policy::Decision::Allow);
        if expected.decision == cedar_policy::Decision::Deny {
            expected_denials.push(format!("{subject:?} {:?}", expected.reasons));
        }
    }
    // The engine's own run (in parallel, in parts, with prepared sets): the same denials, for
    // the same reasons, as Cedar's `Authorizer` gives each request.
    let evaluation =
        deprov::engine::evaluate(&plan.pack, &inventory, &plan.config.thresholds, plan.now)
            .unwrap();
    expected_denials.sort();
    assert_eq!(sorted_denials(&evaluation), expected_denials);
    assert!(evaluation.errors.is_empty());
    (denied, allowed)
}

#[test]
fn prepared_sets_decide_as_cedars_authorizer_on_the_example() {
    let (denied, allowed) = prepared_matches_authorizer(&common::example_plan());
    assert!(
        denied > 20 && allowed > 20,
        "{denied} denied, {allowed} allowed"
    );
}

#[test]
fn prepared_sets_decide_as_cedars_authorizer_on_a_synthetic_organisation() {
    let dir = tempfile::tempdir().unwrap();
    synth::full_org(dir.path(), 3_000, 7).unwrap();
    let mut plan = common::example_plan();
    plan.paths = vec![dir.path().to_path_buf()];
    let (denied, allowed) = prepared_matches_authorizer(&plan);
    assert!(
        denied > 1_000 && allowed > 1_000,
        "{denied} denied, {allowed} allowed"
    );
}

/// The combining step on its own: default deny, permits without forbids, errors skipped and
/// reported, with policies written to reach each case on a single request.
#[test]
fn prepared_sets_combine_as_cedar_does() {
    use cedar_policy::{Context, EntityUid, PolicySet, Request};
    use std::str::FromStr;
    let uid = |s: &str| EntityUid::from_str(s).unwrap();
    let request = Request::new(
        uid(r#"User::"alice""#),
        uid(r#"Action::"view""#),
        uid(r#"Doc::"d""#),
        Context::empty(),
        None,
    )
    .unwrap();
    let entities = Entities::empty();
    let packs = [
        // no policy: default deny, no reasons
        "",
        // a permit that holds and one that does not
        r#"@id("p1") permit(principal, action, resource);
           @id("p2") permit(principal, action, resource) when { false };"#,
        // a forbid overrides permits; two forbids are both reasons
        r#"@id("p1") permit(principal, action, resource);
           @id("f2") forbid(principal, action, resource);
           @id("f1") forbid(principal == User::"alice", action, resource);"#,
        // errors are skipped (not satisfied) and reported; the scope fails without error
        r#"@id("e1") forbid(principal, action, resource) when { principal.missing == 1 };
           @id("e2") permit(principal, action, resource) when { 1 + true == 2 };
           @id("s1") forbid(principal == User::"bob", action, resource);
           @id("p1") permit(principal, action, resource);"#,
        // only erroring policies: default deny with the errors
        r#"@id("e1") forbid(principal, action, resource) when { principal.missing };"#,
    ];
    let expected_errors = [0, 0, 0, 2, 1];
    let expected_reasons = [0, 1, 2, 1, 0];
    for (i, text) in packs.into_iter().enumerate() {
        let set = PolicySet::from_str(text).unwrap();
        let expected = authorizer_verdict(&request, &set, &entities);
        assert_eq!(expected.errors.len(), expected_errors[i], "{text}");
        assert_eq!(expected.reasons.len(), expected_reasons[i], "{text}");
        let verdict = PreparedSet::new(&set).decide(&request, &entities);
        assert_eq!(verdict, expected, "{text}");
    }
}
