//! The binary, driven as users drive it: output formats pinned by snapshots, exit codes, and
//! diagnostics for bad input.

mod common;

use common::{deprov, rules_of, scan, scan_json, testdata, NOW};
use predicates::prelude::*;

fn stdout_of(cmd: &mut assert_cmd::Command) -> String {
    String::from_utf8(cmd.output().expect("runs").stdout).expect("utf-8")
}

#[test]
fn example_org_text_report() {
    let text = stdout_of(&mut scan(&testdata("example-org"), &[]));
    insta::assert_snapshot!("example_org_text", text);
}

#[test]
fn example_org_json_report() {
    let (report, code) = scan_json(&testdata("example-org"), &[]);
    assert_eq!(code, 1);
    insta::assert_json_snapshot!("example_org_json", report);
}

#[test]
fn example_org_shows_the_deprovisioning_and_staleness_gaps() {
    let (report, _) = scan_json(&testdata("example-org"), &[]);
    let rules = rules_of(&report);
    for code in [
        "DPV001", "DPV002", "DPV006", "DPV007", "STL001", "STL002", "STL003", "STL005", "INV001",
    ] {
        assert!(
            rules.contains(&code.to_string()),
            "{code} missing from {rules:?}"
        );
    }
    // Every finding names an owner field (possibly null) and carries evidence with a path.
    for finding in report["findings"].as_array().unwrap() {
        assert!(finding.get("owner").is_some());
        assert!(finding["evidence"]["path"]
            .as_str()
            .is_some_and(|p| !p.is_empty()));
        assert!(!finding["controls"].as_array().unwrap().is_empty());
    }
}

#[test]
fn output_is_deterministic() {
    let first = stdout_of(&mut scan(&testdata("example-org"), &["--format", "json"]));
    let second = stdout_of(&mut scan(&testdata("example-org"), &["--format", "json"]));
    assert_eq!(first, second);
}

#[test]
fn exit_code_zero_when_nothing_reaches_fail_on() {
    scan(&testdata("example-org"), &["--fail-on", "none"])
        .assert()
        .code(0);
}

#[test]
fn exit_code_one_when_a_finding_reaches_fail_on() {
    scan(&testdata("example-org"), &["--fail-on", "critical"])
        .assert()
        .code(1);
}

#[test]
fn exit_code_zero_on_a_clean_org() {
    scan(&testdata("rules/DPV001/pass"), &["--fail-on", "low"])
        .assert()
        .code(0);
}

#[test]
fn exit_code_two_on_usage_errors() {
    deprov().arg("scan").assert().code(2);
    deprov()
        .args(["scan", "example-org", "--now", "yesterday"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("invalid --now"));
    deprov()
        .args(["scan", "does/not/exist", "--now", NOW])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("cannot scan does/not/exist"));
}

#[test]
fn output_file_gets_the_report() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("report.json");
    scan(
        &testdata("example-org"),
        &["--format", "json", "--output", out.to_str().unwrap()],
    )
    .assert()
    .code(1)
    .stdout("");
    let report: serde_json::Value = serde_json::from_slice(&std::fs::read(out).unwrap()).unwrap();
    assert_eq!(report["schema_version"], 1);
}

#[test]
fn help_of_every_command() {
    for args in [
        vec!["--help"],
        vec!["scan", "--help"],
        vec!["verify", "--help"],
        vec!["baseline", "--help"],
        vec!["baseline", "write", "--help"],
        vec!["diff", "--help"],
        vec!["merge", "--help"],
        vec!["trend", "--help"],
        vec!["inventory", "--help"],
        vec!["rules", "--help"],
        vec!["policy", "--help"],
        vec!["policy", "check", "--help"],
    ] {
        let text = stdout_of(deprov().args(&args));
        insta::assert_snapshot!(format!("help_{}", args.join("_").replace("--", "")), text);
    }
}

#[test]
fn rules_lists_the_catalog() {
    let text = stdout_of(deprov().arg("rules"));
    insta::assert_snapshot!("rules_text", text);
    let json: serde_json::Value =
        serde_json::from_str(&stdout_of(deprov().args(["rules", "--format", "json"]))).unwrap();
    let dpv001 = json
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "DPV001")
        .unwrap();
    assert!(dpv001["controls"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "NHI1:2025"));
}

#[test]
fn policy_check_accepts_the_builtin_pack() {
    deprov()
        .args(["policy", "check"])
        .assert()
        .code(0)
        .stdout(predicate::str::starts_with("ok:"));
}

#[test]
fn inventory_lists_what_was_read() {
    // At a fixed time: the example organisation's nhi-scan inventory counts its ages back from
    // the evaluation time.
    let text = stdout_of(deprov().args(["inventory", "example-org", "--now", NOW]));
    insta::assert_snapshot!("example_org_inventory", text);
    let json: serde_json::Value = serde_json::from_str(&stdout_of(deprov().args([
        "inventory",
        "example-org",
        "--format",
        "json",
    ])))
    .unwrap();
    let ci = json["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "ci-legacy")
        .unwrap();
    assert_eq!(ci["lifecycle"], "retired");
    assert!(ci["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c["id"] == "AKIA5CILEGACY2ACCESS"));
}
