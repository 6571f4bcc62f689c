//! One retired identity with aliases in several systems: one finding per residual credential
//! and per grant, each naming the same register identity.

mod common;

use common::{deprov, scan_json, testdata};
use serde_json::Value;

#[test]
fn a_retired_identity_is_found_in_every_system_that_still_knows_it() {
    let (report, _) = scan_json(&testdata("example-org"), &[]);
    let inventory: Value = serde_json::from_slice(
        &deprov()
            .args(["inventory", "example-org", "--format", "json"])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let ci = inventory["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "ci-legacy")
        .unwrap();
    let findings: Vec<&Value> = report["findings"].as_array().unwrap().iter().collect();

    // Its accounts span at least AWS, GCP and Kubernetes.
    let systems: Vec<&str> = ci["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a["system"]["family"].as_str().unwrap())
        .collect();
    for family in ["aws", "gcp", "kubernetes"] {
        assert!(
            systems.contains(&family),
            "ci-legacy has no {family} account: {systems:?}"
        );
    }

    // Every active non-certificate credential: exactly one DPV001, naming ci-legacy.
    let active: Vec<&Value> = ci["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|c| c["status"] == "active" && c["kind"] != "certificate")
        .collect();
    let families: std::collections::BTreeSet<&str> = active
        .iter()
        .map(|c| c["system"]["family"].as_str().unwrap())
        .collect();
    assert!(families.len() >= 3, "{families:?}");
    for credential in &active {
        let id = credential["id"].as_str().unwrap();
        let matching: Vec<&&Value> = findings
            .iter()
            .filter(|f| f["rule"] == "DPV001" && f["credential"] == id)
            .collect();
        // Expired ones are judged expired, not DPV001.
        let expired = credential["expires"]["kind"] == "at"
            && credential["expires"]["at"].as_str().unwrap() <= common::NOW;
        if expired {
            assert!(matching.is_empty(), "{id}");
            continue;
        }
        assert_eq!(matching.len(), 1, "{id}: {matching:?}");
        assert_eq!(matching[0]["identity"], "ci-legacy");
    }

    // Every grant: exactly one DPV002, naming ci-legacy, in its own system.
    let grants = ci["grants"].as_array().unwrap();
    assert!(!grants.is_empty());
    for grant in grants.iter().filter(|g| g["dangling"] == false) {
        let privilege = grant["privilege"].as_str().unwrap();
        let system = format!(
            "{}:{}",
            grant["system"]["family"].as_str().unwrap(),
            grant["system"]["name"].as_str().unwrap()
        );
        let matching: Vec<&&Value> = findings
            .iter()
            .filter(|f| {
                f["rule"] == "DPV002"
                    && f["system"] == system.as_str()
                    && f["message"].as_str().unwrap().contains(privilege)
            })
            .collect();
        // Two records may hold the same privilege (a Vault role's and its entity's policies).
        let same = grants
            .iter()
            .filter(|g| {
                g["dangling"] == false
                    && g["privilege"] == privilege
                    && g["system"] == grant["system"]
            })
            .count();
        assert_eq!(matching.len(), same, "{system} {privilege}");
        assert!(matching.iter().all(|f| f["identity"] == "ci-legacy"));
    }
}
