//! Bad input: a diagnostic naming the file (and line), never a panic. A broken export inside a
//! scanned directory is skipped with its reason; a broken register, config or policy stops the
//! run with exit code 2.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::NOW;
use predicates::prelude::*;

/// Runs deprov inside `dir`, scanning `.`, so that paths in messages are stable.
fn deprov_in(dir: &Path) -> Command {
    let mut cmd = Command::cargo_bin("deprov").unwrap();
    cmd.env("NO_COLOR", "1").current_dir(dir);
    cmd
}

fn write(dir: &Path, rel: &str, content: &[u8]) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

fn no_panic(output: &std::process::Output) {
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert!(output.status.code().is_some(), "killed by a signal");
}

const GOOD_REGISTER: &str = "identities:\n  - id: svc\n    status: active\n    owner: team-a\n    aliases: [arn:aws:iam::111122223333:user/svc]\nteams:\n  - id: team-a\n";

#[test]
fn broken_register_yaml_is_a_diagnostic_with_a_line() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "register.yaml",
        b"identities:\n  - id: svc\n    status: [active\n",
    );
    let output = deprov_in(dir.path())
        .args(["scan", ".", "--now", NOW])
        .output()
        .unwrap();
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("register.yaml"), "{stderr}");
    assert!(stderr.contains("deprov::register::shape"), "{stderr}");
    insta::assert_snapshot!("broken_register_yaml", stderr);
}

#[test]
fn every_register_problem_is_reported_in_one_round() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "register.yaml",
        b"identities:\n  - id: a\n    status: retierd\n    aliases: [x@p.iam.gserviceaccount.com]\n  - id: b\n    status: retired\n    retired_at: last tuesday\n  - id: c\n    status: active\n    aliases: [X@P.iam.gserviceaccount.com]\n",
    );
    let output = deprov_in(dir.path())
        .args(["scan", ".", "--now", NOW])
        .output()
        .unwrap();
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("3 problem(s)"), "{stderr}");
    assert!(stderr.contains("retierd"));
    assert!(stderr.contains("last tuesday"));
    assert!(stderr.contains("belongs to both"));
    insta::assert_snapshot!("register_problems", stderr);
}

#[test]
fn broken_register_csv_names_the_row() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "cmdb.csv",
        b"id,kind,status,retired_at,owner,aliases\nsvc,service,active,,team,a;b\nbad,row\n",
    );
    let output = deprov_in(dir.path())
        .args(["scan", ".", "--now", NOW])
        .output()
        .unwrap();
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cmdb.csv"), "{stderr}");
    assert!(
        stderr.contains("line 3") || stderr.contains(":3:"),
        "{stderr}"
    );
}

#[test]
fn malformed_exports_in_a_directory_are_skipped_and_the_scan_goes_on() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "register.yaml", GOOD_REGISTER.as_bytes());
    write(
        dir.path(),
        "aws/truncated.json",
        b"{\"UserDetailList\": [{\"UserName\": \"svc\", \"Arn\": ",
    );
    write(
        dir.path(),
        "aws/wrong-types.json",
        b"{\"AccessKeyMetadata\": [{\"AccessKeyId\": 5, \"Status\": \"Active\"}]}",
    );
    write(
        dir.path(),
        "aws/report.csv",
        b"user,arn,user_creation_time,password_enabled\nsvc,arn:aws:iam::111122223333:user/svc\n",
    );
    write(
        dir.path(),
        "garbage.bin",
        &(0u8..=255).cycle().take(4096).collect::<Vec<u8>>(),
    );
    write(
        dir.path(),
        "notes.txt",
        "résumé ünïcode but not an export\n".as_bytes(),
    );
    // Broken exports leave the run incomplete: the report is written, and the exit code is 2
    // unless the user accepts it.
    let output = deprov_in(dir.path())
        .args(["scan", ".", "--now", NOW, "--format", "json"])
        .output()
        .unwrap();
    no_panic(&output);
    assert_eq!(
        output.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let accepted = deprov_in(dir.path())
        .args([
            "scan",
            ".",
            "--now",
            NOW,
            "--format",
            "json",
            "--allow-incomplete",
        ])
        .output()
        .unwrap();
    assert_eq!(accepted.status.code(), Some(0));
    assert_eq!(accepted.stdout, output.stdout);
    let report: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(report["summary"]["incomplete"], true);
    let unread: Vec<&str> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["incomplete"] == true)
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        unread,
        [
            "aws/report.csv",
            "aws/truncated.json",
            "aws/wrong-types.json"
        ],
        "{report:#}"
    );
    let skipped: Vec<(String, String)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["reason"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    let reason = |p: &str| {
        skipped
            .iter()
            .find(|(path, _)| path == p)
            .map(|(_, r)| r.clone())
            .unwrap_or_default()
    };
    assert!(
        reason("aws/truncated.json").contains("line 1"),
        "{skipped:?}"
    );
    assert!(
        reason("aws/wrong-types.json").contains("list-access-keys"),
        "{skipped:?}"
    );
    assert!(
        reason("aws/report.csv").contains("credential report"),
        "{skipped:?}"
    );
    assert_eq!(reason("garbage.bin"), "binary file");
    // Text that is not an export is read by the secret detectors, not skipped.
    assert_eq!(reason("notes.txt"), "");
    let sources = report["sources"].as_array().unwrap();
    assert!(sources
        .iter()
        .any(|s| s["path"] == "notes.txt" && s["format"] == "files/text"));
    assert_eq!(report["summary"]["files_read"], 2);
}

#[test]
fn strict_turns_skipped_inputs_into_exit_two() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "register.yaml", GOOD_REGISTER.as_bytes());
    // Not an export (a binary file): skipped, and no gap.
    write(dir.path(), "image.png", b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR");
    deprov_in(dir.path())
        .args(["scan", ".", "--now", NOW])
        .assert()
        .code(0);
    deprov_in(dir.path())
        .args(["scan", ".", "--now", NOW, "--strict"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("--strict"));
}

#[test]
fn broken_policy_is_a_diagnostic_with_the_file_name() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "register.yaml", GOOD_REGISTER.as_bytes());
    write(
        dir.path(),
        "policies/DPV001-mine.cedar",
        b"@id(\"DPV001\")\nforbid (principal is Deprov::Credential, action == Deprov::Action::\"authenticate\", resource)\nwhen { principal.stauts == \"active\" };\n",
    );
    let output = deprov_in(dir.path())
        .args([
            "scan",
            "register.yaml",
            "--now",
            NOW,
            "--policies",
            "policies",
        ])
        .output()
        .unwrap();
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("policies/DPV001-mine.cedar"), "{stderr}");
    assert!(stderr.contains("stauts"), "{stderr}");
    insta::assert_snapshot!("broken_policy", stderr);

    write(
        dir.path(),
        "policies/DPV001-mine.cedar",
        b"@id(\"DPV001\") forbid (principal, action resource);",
    );
    let output = deprov_in(dir.path())
        .args(["policy", "check", "policies"])
        .output()
        .unwrap();
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("policies/DPV001-mine.cedar"));
}

#[test]
fn policy_without_catalog_entry_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "policies/X.cedar",
        b"@id(\"ORG001\")\nforbid (principal, action, resource) when { true };\n",
    );
    deprov_in(dir.path())
        .args(["policy", "check", "policies"])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("has no entry in the rule catalog"));
    // With a catalog entry next to it, the same policy is accepted.
    write(
        dir.path(),
        "policies/catalog.yaml",
        b"rules:\n  - id: ORG001\n    title: Everything\n    severity: low\n    rationale: r\n    remediation: m\n    message: \"{identity}\"\n    controls: [NHI1:2025]\n",
    );
    deprov_in(dir.path())
        .args(["policy", "check", "policies"])
        .assert()
        .code(0);
}

#[test]
fn broken_config_is_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "register.yaml", GOOD_REGISTER.as_bytes());
    write(
        dir.path(),
        ".deprov.yaml",
        b"thresholds:\n  unused_dayz: 30\n",
    );
    let output = deprov_in(dir.path())
        .args(["scan", "register.yaml", "--now", NOW])
        .output()
        .unwrap();
    no_panic(&output);
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains(".deprov.yaml") && stderr.contains("unused_dayz"),
        "{stderr}"
    );

    write(
        dir.path(),
        ".deprov.yaml",
        b"rules:\n  NOPE001: {enabled: false}\n",
    );
    deprov_in(dir.path())
        .args(["scan", "register.yaml", "--now", NOW])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("NOPE001"));

    // An allow path that is not a glob would silently allow nothing: it is an error instead.
    write(
        dir.path(),
        ".deprov.yaml",
        b"repositories:\n  allow_paths: [\"tests/[fixtures\"]\n",
    );
    deprov_in(dir.path())
        .args(["scan", "register.yaml", "--now", NOW])
        .assert()
        .code(2)
        .stderr(
            predicate::str::contains("tests/[fixtures")
                .and(predicate::str::contains("allow_paths")),
        );
}

#[test]
fn config_switches_rules_and_thresholds() {
    let dir = tempfile::tempdir().unwrap();
    let org = common::testdata("example-org");
    write(
        dir.path(),
        "strict.yaml",
        b"fail_on: low\nthresholds:\n  rotation_days: 10000\nrules:\n  INV001: {enabled: false}\n  STL002: {severity: critical}\n",
    );
    let (report, code) = common::scan_json(
        &org,
        &["--config", dir.path().join("strict.yaml").to_str().unwrap()],
    );
    assert_eq!(code, 1);
    let rules = common::rules_of(&report);
    assert!(!rules.contains(&"INV001".to_string()));
    assert!(
        !rules.contains(&"STL003".to_string()),
        "rotation threshold raised"
    );
    let stl002 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "STL002")
        .unwrap();
    assert_eq!(stl002["severity"], "critical");
    assert_eq!(report["summary"]["fail_on"], "low");
}
