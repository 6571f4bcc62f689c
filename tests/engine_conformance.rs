//! Every entity the engine builds for the example organisation conforms to the Cedar schema
//! (the engine skips the per-request schema check for speed; this test is that check), and the
//! per-action policy sets the engine evaluates decide exactly as the whole pack would.

mod common;

use cedar_policy::{Authorizer, Entities};
use deprov::engine::entities::{RequestBuilder, SharedEntities, Subject};
use deprov::scan::{self, ScanPlan};

fn example_inventory(plan: &ScanPlan) -> deprov::inventory::Inventory {
    let inputs = scan::read_inputs(plan).unwrap();
    let assembled = deprov::sources::assemble(inputs.parsed);
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
    let authorizer = Authorizer::new();
    let mut denied = 0;
    let subjects = shared.subjects(&inventory);
    assert!(subjects.iter().any(|s| matches!(s, Subject::Exposure(_))));
    for subject in subjects {
        let action = match subject {
            Subject::Credential(_) => "authenticate",
            Subject::Grant(_) => "hold",
            Subject::Usage(_) => "use",
            Subject::Identity(_) => "exist",
            Subject::Exposure(_) => "expose",
        };
        let (request, entities) = builder.build(subject).unwrap();
        let verdict = |set: &cedar_policy::PolicySet| {
            let response = authorizer.is_authorized(&request, set, &entities);
            let mut reasons: Vec<String> = response
                .diagnostics()
                .reason()
                .map(|p| p.to_string())
                .collect();
            reasons.sort();
            let errors = response.diagnostics().errors().count();
            (response.decision(), reasons, errors)
        };
        let expected = verdict(&whole);
        assert_eq!(verdict(split.for_action(action)), expected, "{subject:?}");
        denied += usize::from(expected.0 == cedar_policy::Decision::Deny);
    }
    assert!(denied > 20, "the example organisation has gaps to decide");
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
        let mut decisions: Vec<String> = evaluation
            .decisions
            .iter()
            .map(|d| format!("{:?} {:?}", d.subject, d.violated))
            .collect();
        decisions.sort();
        (evaluation.requests, decisions)
    };
    let whole = run(usize::MAX);
    assert!(whole.1.len() > 20);
    assert!(inventory.identities.len() > 6);
    for per_part in [1, 3, inventory.identities.len() / 2] {
        assert_eq!(run(per_part), whole, "parts of {per_part} identities");
    }
}
