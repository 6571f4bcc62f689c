//! Every output format on the example organisation: pinned by snapshots, validated against the
//! official schemas where one exists; and the CI-gate and audit workflows through the binary:
//! several outputs in one run, baselines, suppressions (expiry, staleness), diff, verify.

mod common;

use std::path::Path;

use common::{assert_restrictive_csp, deprov, scan, svg_charts, testdata, NOW};
use serde_json::Value;

fn output_of(format: &str, extra: &[&str]) -> String {
    let output = scan(
        &testdata("example-org"),
        &[&["--format", format], extra].concat(),
    )
    .output()
    .unwrap();
    assert_eq!(
        output.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).unwrap()
}

fn validate(schema_file: &str, document: &Value) {
    let schema: Value = serde_json::from_slice(
        &std::fs::read(testdata(&format!("schemas/{schema_file}"))).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(document)
        .take(10)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{schema_file}:\n{}", errors.join("\n"));
}

#[test]
fn sarif_is_valid_sarif_2_1_0_with_a_location_on_every_result() {
    let sarif: Value = serde_json::from_str(&output_of("sarif", &[])).unwrap();
    validate("sarif-schema-2.1.0.json", &sarif);
    let runs = sarif["runs"].as_array().unwrap();
    assert_eq!(runs.len(), 1);
    let rules = runs[0]["tool"]["driver"]["rules"].as_array().unwrap();
    assert!(rules
        .iter()
        .all(|r| r["properties"]["security-severity"].is_string()));
    assert!(rules.iter().any(|r| r["properties"]["tags"]
        .as_array()
        .unwrap()
        .iter()
        .any(|t| t == "NHI1:2025")));
    let results = runs[0]["results"].as_array().unwrap();
    assert!(!results.is_empty());
    for result in results {
        let location = &result["locations"][0]["physicalLocation"];
        assert!(location["artifactLocation"]["uri"]
            .as_str()
            .is_some_and(|u| !u.is_empty()));
        assert!(location["region"]["startLine"]
            .as_u64()
            .is_some_and(|l| l >= 1));
        assert!(result["partialFingerprints"]["deprovFindingId/v1"].is_string());
    }
    insta::assert_json_snapshot!("example_org_sarif", sarif);
}

#[test]
fn oscal_is_valid_assessment_results() {
    let oscal: Value = serde_json::from_str(&output_of("oscal", &[])).unwrap();
    validate("oscal_assessment-results_schema-1.0.6.json", &oscal);
    let result = &oscal["assessment-results"]["results"][0];
    let findings = result["findings"].as_array().unwrap();
    assert!(findings
        .iter()
        .any(|f| f["target"]["target-id"] == "pr.aa-01_smt"
            && f["target"]["status"]["state"] == "not-satisfied"));
    insta::assert_json_snapshot!("example_org_oscal", oscal);
}

#[test]
fn junit_has_a_case_per_rule_and_identity() {
    let junit = output_of("junit", &[]);
    assert!(junit.starts_with("<?xml"));
    assert!(junit
        .contains("<testsuite name=\"DPV001 Retired identity still has an active credential\""));
    assert!(junit.contains("<testcase name=\"ci-legacy\" classname=\"deprov.DPV001\""));
    assert!(junit.contains("<failure"));
    insta::assert_snapshot!("example_org_junit", junit);
}

#[test]
fn markdown_and_html_compliance_reports() {
    let markdown = output_of("markdown", &[]);
    assert!(markdown.contains("### NHI1:2025 Improper Offboarding: **FAIL**"));
    // A control no rule covers is "not assessed", never a pass.
    assert!(markdown.contains("| [NHI8:2025](#nhi8-2025) | Environment Isolation | not assessed |"));
    insta::assert_snapshot!("example_org_markdown", markdown);

    let html = output_of("html", &[]);
    assert!(html.starts_with("<!DOCTYPE html>"));
    assert!(!html.contains("<script") && !html.contains("http://") && !html.contains("@import"));
    assert!(html.contains("status-fail") && html.contains("sev-critical"));
    assert_restrictive_csp(&html);
    // Per framework a bar of controls failed / passed / not assessed and the findings per
    // control, each parsed as XML with drawn marks and an accessible title.
    let charts = svg_charts(&html);
    assert!(charts.len() >= 2, "{} charts", charts.len());
    for (label, marks) in &charts {
        assert!(*marks > 0, "chart `{label}` draws nothing");
    }
    assert!(charts
        .iter()
        .any(|(l, _)| l.ends_with(": controls failed, passed and not assessed")));
    assert!(charts
        .iter()
        .any(|(l, _)| l.ends_with(": findings per control")));
    insta::assert_snapshot!("example_org_html", html);
}

#[test]
fn framework_filter_and_its_alias() {
    let nhi06 = output_of("markdown", &["--framework", "NHI-06"]);
    let nhi1 = output_of("markdown", &["--framework", "NHI1:2025"]);
    assert_eq!(nhi06.replace("NHI-06", "NHI1:2025"), nhi1);
    assert!(nhi1.contains("Improper Offboarding") && !nhi1.contains("Secret Leakage"));
    let pr_aa = output_of("markdown", &["--framework", "PR.AA"]);
    assert!(
        pr_aa.contains("PR.AA-01")
            && pr_aa.contains("PR.AA-06")
            && !pr_aa.contains("NHI1:2025 Improper")
    );
    let zero_trust = output_of("markdown", &["--framework", "SP800-207"]);
    assert!(zero_trust.contains("SP800-207:T6"));
}

/// OWASP Agentic Applications ASI03: findings about agents (identities of kind `agent`, secrets
/// found in agent and tool configurations) carry it; findings about other identities do not; the
/// compliance report fails the control on the agents' findings only.
#[test]
fn agent_findings_map_to_owasp_agentic_asi03() {
    let (report, _) = json_report(&testdata("example-org"), &[]);
    let findings = report["findings"].as_array().unwrap();
    let has_asi03 = |f: &Value| {
        f["controls"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c == "ASI03:2026")
    };
    let agent_findings: Vec<&Value> = findings.iter().filter(|f| has_asi03(f)).collect();
    assert!(agent_findings
        .iter()
        .any(|f| f["identity"] == "metrics-agent" && f["rule"] == "DPV006"));
    assert!(agent_findings
        .iter()
        .any(|f| f["identity"] == "release-bot" && f["rule"] == "STL002"));
    // A secret in an MCP client configuration is an agent's credential, whoever holds it.
    assert!(agent_findings.iter().any(|f| f["evidence"]["path"]
        .as_str()
        .unwrap()
        .ends_with(".cursor/mcp.json")));
    // Not an agent: its findings keep the rule's own controls.
    let billing = findings
        .iter()
        .find(|f| f["identity"] == "billing-exporter")
        .expect("a finding about billing-exporter");
    assert!(!has_asi03(billing), "{billing}");

    let asi03 = output_of("markdown", &["--framework", "ASI03"]);
    let control = &asi03[asi03.find("### ASI03:2026").expect("the control's section")..];
    assert!(control.starts_with("### ASI03:2026 Identity and Privilege Abuse: **FAIL**"));
    assert!(control.contains("metrics-agent") && !control.contains("billing-exporter"));
    // The other nine are run-time behaviour no export shows: not assessed, never a pass.
    let all = output_of("markdown", &["--framework", "owasp-agentic-2026"]);
    assert!(all.contains("| Rogue Agents | not assessed |"), "{all}");
    assert!(
        all.contains("1 failing, 0 passing, 9 not assessed"),
        "{all}"
    );
}

#[test]
fn several_outputs_in_one_run_follow_their_extensions() {
    let dir = tempfile::tempdir().unwrap();
    let out = |name: &str| dir.path().join(name);
    let output = scan(&testdata("example-org"), &[])
        .args(["--output"])
        .arg(out("report.html"))
        .args(["--output"])
        .arg(out("results.sarif"))
        .args(["--output"])
        .arg(out("report.json"))
        .args(["--output"])
        .arg(out("junit.xml"))
        .args(["--output"])
        .arg(out("report.md"))
        .args(["--output"])
        .arg(out("results.oscal.json"))
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1));
    assert!(output.stdout.is_empty(), "files only");
    let read = |name: &str| std::fs::read_to_string(out(name)).unwrap();
    assert!(read("report.html").starts_with("<!DOCTYPE html>"));
    assert_eq!(
        serde_json::from_str::<Value>(&read("results.sarif")).unwrap()["version"],
        "2.1.0"
    );
    assert_eq!(
        serde_json::from_str::<Value>(&read("report.json")).unwrap()["schema_version"],
        1
    );
    assert!(read("junit.xml").starts_with("<?xml"));
    assert!(read("report.md").starts_with("# deprov compliance report"));
    assert!(
        serde_json::from_str::<Value>(&read("results.oscal.json")).unwrap()["assessment-results"]
            .is_object()
    );
}

fn json_report(path: &Path, extra: &[&str]) -> (Value, i32) {
    common::scan_json(path, extra)
}

#[test]
fn a_baseline_accepts_current_findings_and_fails_on_new_ones() {
    let dir = tempfile::tempdir().unwrap();
    let baseline = dir.path().join("baseline.json");
    let status = deprov()
        .args(["baseline", "write"])
        .arg(&baseline)
        .arg(testdata("example-org"))
        .args(["--now", NOW])
        .output()
        .unwrap()
        .status;
    assert_eq!(status.code(), Some(0));
    let written: Value = serde_json::from_slice(&std::fs::read(&baseline).unwrap()).unwrap();
    assert!(written["entries"].as_array().unwrap().len() > 50);
    // No line numbers in what binds a finding.
    assert!(written["entries"][0].get("line").is_none());

    let (report, code) = json_report(
        &testdata("example-org"),
        &["--baseline", baseline.to_str().unwrap()],
    );
    assert_eq!(code, 0, "everything is baselined");
    assert_eq!(report["summary"]["new"], 0);
    // Inline-allowed findings stay suppressed; everything else is baselined.
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["status"] == "baselined" || f["status"] == "suppressed"));

    // A new retired identity's credential is new, whatever the baseline holds.
    let org = tempfile::tempdir().unwrap();
    common::copy_tree(&testdata("example-org"), org.path());
    let register = org.path().join("register.yaml");
    let text = std::fs::read_to_string(&register).unwrap();
    std::fs::write(&register, text.replacen("  - id: etl-runner\n    kind: workload\n    status: active", "  - id: etl-runner\n    kind: workload\n    status: retired\n    retired_at: 2026-10-01", 1)).unwrap();
    let (report, code) = json_report(org.path(), &["--baseline", baseline.to_str().unwrap()]);
    assert_eq!(code, 1);
    let new: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["status"] == "new")
        .collect();
    assert!(
        !new.is_empty() && new.iter().all(|f| f["identity"] == "etl-runner"),
        "{new:?}"
    );
}

#[test]
fn suppressions_expire_and_stale_ones_are_reported() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("deprov.yaml");
    std::fs::write(
        &config,
        "suppressions:\n  - rule: STL003\n    identity: etl-runner\n    reason: rotation scheduled in CHG-1042\n    expires: 2027-01-31\n  - rule: STL005\n    identity: billing-exporter\n    reason: old key kept for the migration\n    expires: 2026-10-01\n  - rule: DPV001\n    identity: nobody-has-this\n    reason: left over from last year\n    expires: 2027-06-30\n",
    )
    .unwrap();
    let (report, _) = json_report(
        &testdata("example-org"),
        &["--config", config.to_str().unwrap()],
    );
    let findings = report["findings"].as_array().unwrap();
    let stl003: Vec<&Value> = findings
        .iter()
        .filter(|f| f["rule"] == "STL003" && f["identity"] == "etl-runner")
        .collect();
    assert!(!stl003.is_empty());
    assert!(stl003.iter().all(|f| f["status"] == "suppressed"
        && f["suppressed_by"].as_str().unwrap().contains("CHG-1042")));
    // Expired: it suppresses nothing any more, and is itself reported.
    let stl005 = findings.iter().find(|f| f["rule"] == "STL005").unwrap();
    assert_eq!(stl005["status"], "new");
    assert_eq!(report["suppressions"]["expired"][0]["rule"], "STL005");
    assert_eq!(report["suppressions"]["stale"][0]["rule"], "DPV001");
    let text = String::from_utf8(
        scan(
            &testdata("example-org"),
            &["--config", config.to_str().unwrap()],
        )
        .output()
        .unwrap()
        .stdout,
    )
    .unwrap();
    assert!(text.contains("Expired suppressions") && text.contains("Stale suppressions"));
}

#[test]
fn suppressions_need_a_reason_and_an_expiry() {
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("deprov.yaml");
    std::fs::write(&config, "suppressions:\n  - rule: STL003\n    identity: etl-runner\n    reason: \"\"\n    expires: someday\n").unwrap();
    let output = scan(
        &testdata("example-org"),
        &["--config", config.to_str().unwrap()],
    )
    .output()
    .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("empty reason") && stderr.contains("someday"),
        "{stderr}"
    );
}

#[test]
fn diff_shows_progress_between_two_runs() {
    let dir = tempfile::tempdir().unwrap();
    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    scan(
        &testdata("example-org"),
        &["--format", "json", "--output", old.to_str().unwrap()],
    )
    .output()
    .unwrap();
    // The next night: billing-exporter's old key was deleted, and etl-runner was retired.
    let org = tempfile::tempdir().unwrap();
    common::copy_tree(&testdata("example-org"), org.path());
    let register = org.path().join("register.yaml");
    let text = std::fs::read_to_string(&register).unwrap();
    std::fs::write(&register, text.replacen("  - id: etl-runner\n    kind: workload\n    status: active", "  - id: etl-runner\n    kind: workload\n    status: retired\n    retired_at: 2026-10-01", 1)).unwrap();
    // Both exports of that night say so: exports that disagree are read conservatively.
    let report = org.path().join("aws/credential-report.csv");
    let text = std::fs::read_to_string(&report).unwrap();
    std::fs::write(
        &report,
        text.replace(
            "2024-05-01T11:58:00+00:00,false,N/A,N/A,N/A,false,true,2024-05-01T12:00:00+00:00",
            "2024-05-01T11:58:00+00:00,false,N/A,N/A,N/A,false,false,2024-05-01T12:00:00+00:00",
        ),
    )
    .unwrap();
    let keys = org.path().join("aws/access-keys/billing-and-deploy.json");
    let text = std::fs::read_to_string(&keys).unwrap();
    std::fs::write(
        &keys,
        text.replace(
            "\"Status\": \"Active\",\n            \"CreateDate\": \"2024-05-01T12:00:00+00:00\"",
            "\"Status\": \"Inactive\",\n            \"CreateDate\": \"2024-05-01T12:00:00+00:00\"",
        ),
    )
    .unwrap();
    deprov()
        .args(["scan"])
        .arg(org.path())
        .args([
            "--now",
            NOW,
            "--format",
            "json",
            "--output",
            new.to_str().unwrap(),
        ])
        .output()
        .unwrap();

    let output = deprov()
        .args([
            "diff",
            old.to_str().unwrap(),
            new.to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "new findings fail");
    let diff: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(diff["new"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["identity"] == "etl-runner" && f["rule"] == "DPV001"));
    assert!(diff["resolved"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "STL005" && f["identity"] == "billing-exporter"));
    assert!(diff["summary"]["unchanged"].as_u64().unwrap() > 10);

    let same = deprov()
        .args(["diff", old.to_str().unwrap(), old.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(same.status.code(), Some(0));
    assert!(String::from_utf8_lossy(&same.stdout).contains("0 new, 0 resolved"));

    std::fs::write(dir.path().join("bad.json"), "{\"schema_version\": 1").unwrap();
    let bad = deprov()
        .args([
            "diff",
            old.to_str().unwrap(),
            dir.path().join("bad.json").to_str().unwrap(),
        ])
        .output()
        .unwrap();
    assert_eq!(bad.status.code(), Some(2));
}

#[test]
fn verify_lists_what_remains_of_a_retired_identity() {
    let output = deprov()
        .args(["verify", "ci-legacy"])
        .arg(testdata("example-org"))
        .args(["--now", NOW, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(1), "ci-legacy still has access");
    let checklist: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(checklist["complete"], false);
    let items = checklist["items"].as_array().unwrap();
    let kinds: std::collections::BTreeSet<&str> =
        items.iter().map(|i| i["kind"].as_str().unwrap()).collect();
    for kind in [
        "alias",
        "account",
        "credential",
        "grant",
        "secret",
        "reference",
        "last_use",
    ] {
        assert!(kinds.contains(kind), "{kind} missing from {kinds:?}");
    }
    assert!(items.iter().any(|i| i["kind"] == "credential"
        && i["id"] == "AKIA5CILEGACY2ACCESS"
        && i["state"] == "still_present"));
    assert!(items
        .iter()
        .any(|i| i["kind"] == "last_use" && i["detail"] == "used after the retirement date"));

    // By alias, too; text output names what is left.
    let text = deprov()
        .args([
            "verify",
            "arn:aws:iam::111122223333:role/ci-legacy-deployer",
        ])
        .arg(testdata("example-org"))
        .args(["--now", NOW])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&text.stdout).contains("INCOMPLETE"));

    // An identity whose traces are all gone verifies clean.
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("register.yaml"),
        "identities:\n  - id: gone\n    status: retired\n    retired_at: 2026-01-01\n    owner: team\n    aliases: [arn:aws:iam::1:user/gone]\nteams:\n  - id: team\n",
    )
    .unwrap();
    let clean = deprov()
        .args(["verify", "gone"])
        .arg(dir.path())
        .args(["--now", NOW])
        .output()
        .unwrap();
    assert_eq!(
        clean.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&clean.stdout)
    );
    let unknown = deprov()
        .args(["verify", "nobody"])
        .arg(dir.path())
        .args(["--now", NOW])
        .output()
        .unwrap();
    assert_eq!(unknown.status.code(), Some(2));
}
