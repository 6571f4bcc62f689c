//! Every entity the engine builds for the example organisation conforms to the Cedar schema
//! (the engine skips the per-request schema check for speed; this test is that check).

mod common;

use cedar_policy::Entities;
use deprov::catalog::Catalog;
use deprov::config::Config;
use deprov::engine::entities::{RequestBuilder, SharedEntities};
use deprov::engine::PolicyPack;
use deprov::scan::{self, ScanPlan};

#[test]
fn every_request_slice_conforms_to_the_schema() {
    let catalog = Catalog::builtin().unwrap();
    let pack = PolicyPack::load(None, &catalog, |_| true).unwrap();
    let plan = ScanPlan {
        paths: vec![common::testdata("example-org")],
        register_files: vec![],
        now: common::NOW.parse().unwrap(),
        config: Config::default(),
        catalog,
        pack,
        source_options: Default::default(),
        baseline: None,
        git: Default::default(),
        detectors: deprov::secrets::DetectorSet::builtin().expect("detectors"),
        shard: None,
    };
    let inputs = scan::read_inputs(&plan).unwrap();
    let assembled = deprov::sources::assemble(inputs.parsed);
    let inventory = deprov::inventory::correlate(&assembled.register, assembled.records);
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
