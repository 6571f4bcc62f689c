//! An incomplete scan never reads as a pass (issue 13, "Fail closed"): an export that is
//! recognised but cannot be read, or a run that read nothing, is exit 2 with the report still
//! written and saying so in every format, unless the user accepts it; exports in other encodings
//! are decoded rather than passed over as text; a Vault audit log with a bad first line is
//! still read.

mod common;

use std::path::Path;

use common::{copy_tree, deprov_in, rules_of, testdata, write, NOW};
use serde_json::Value;

/// (exit code, standard output, standard error).
fn run(cwd: &Path, args: &[&str]) -> (i32, String, String) {
    let output = deprov_in(cwd).args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    (
        output.status.code().expect("exited"),
        String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr,
    )
}

/// The first lines of the example's credential report, cut in the middle of a row.
fn broken_credential_report() -> String {
    let report =
        std::fs::read_to_string(testdata("example-org/aws/credential-report.csv")).unwrap();
    let cut = report.find("\nbilling-exporter").unwrap() + 40;
    format!("{}\"unterminated,quote\n", &report[..cut])
}

#[test]
fn a_scan_whose_only_input_is_broken_is_no_pass_in_any_format() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "data/credential-report.csv",
        broken_credential_report(),
    );
    let (code, text, stderr) = run(dir.path(), &["scan", "data", "--now", NOW]);
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("deprov::input::incomplete"), "{stderr}");
    assert!(text.contains("INCOMPLETE ("), "{text}");
    assert!(!text.contains("pass:"), "{text}");
    assert!(
        text.lines().last().unwrap().starts_with("INCOMPLETE"),
        "{text}"
    );

    let out = dir.path().join("out");
    std::fs::create_dir(&out).unwrap();
    let (code, _, _) = run(
        dir.path(),
        &[
            "scan",
            "data",
            "--now",
            NOW,
            "--format",
            "json",
            "-o",
            "out/r.json",
            "-o",
            "out/r.sarif",
            "-o",
            "out/r.md",
            "-o",
            "out/r.html",
            "-o",
            "out/r.xml",
            "-o",
            "out/r.oscal.json",
        ],
    );
    assert_eq!(code, 2);
    let json: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("r.json")).unwrap()).unwrap();
    assert_eq!(json["summary"]["incomplete"], true);
    let reasons = json["summary"]["incomplete_reasons"].to_string();
    assert!(
        reasons.contains("credential-report.csv: aws/credential-report-csv"),
        "{reasons}"
    );
    assert_eq!(json["skipped"][0]["incomplete"], true);
    let sarif: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("r.sarif")).unwrap()).unwrap();
    let invocation = &sarif["runs"][0]["invocations"][0];
    assert_eq!(invocation["executionSuccessful"], false);
    assert_eq!(
        invocation["toolExecutionNotifications"][0]["level"],
        "error"
    );
    let markdown = std::fs::read_to_string(out.join("r.md")).unwrap();
    assert!(markdown.contains("> **INCOMPLETE** ("), "{markdown}");
    // No control passes on a partial reading.
    assert!(!markdown.contains("| pass |"), "{markdown}");
    let html = std::fs::read_to_string(out.join("r.html")).unwrap();
    assert!(html.contains("<section class=\"incomplete\" role=\"alert\">"));
    assert!(!html.contains("status-pass\">pass"), "no control passes");
    let junit = std::fs::read_to_string(out.join("r.xml")).unwrap();
    assert!(
        junit.contains("deprov inputs") && junit.contains("<error"),
        "{junit}"
    );
    let oscal = std::fs::read_to_string(out.join("r.oscal.json")).unwrap();
    assert!(
        oscal.contains("INCOMPLETE") && !oscal.contains("\"satisfied\""),
        "{oscal}"
    );

    // Accepted on purpose: the findings decide, and the report still says it.
    let (code, text, _) = run(
        dir.path(),
        &["scan", "data", "--now", NOW, "--allow-incomplete"],
    );
    assert_eq!(code, 0);
    assert!(text.contains("INCOMPLETE ("), "{text}");
    write(dir.path(), "accept.yaml", "allow_incomplete: true\n");
    let (code, _, _) = run(
        dir.path(),
        &["scan", "data", "--now", NOW, "--config", "accept.yaml"],
    );
    assert_eq!(code, 0);
}

#[test]
fn a_run_that_read_nothing_is_exit_two_and_unrecognised_files_change_nothing() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("empty")).unwrap();
    let (code, _, stderr) = run(dir.path(), &["scan", "empty", "--now", NOW]);
    assert_eq!(code, 2);
    assert!(stderr.contains("no input was read"), "{stderr}");
    // An image and prose beside a readable export: read or listed, and no gap.
    let data = dir.path().join("data");
    copy_tree(&testdata("example-org/aws"), &data);
    std::fs::copy(
        testdata("example-org/register.yaml"),
        data.join("register.yaml"),
    )
    .unwrap();
    write(
        &data,
        "diagram.png",
        b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR\0\0\0\x10",
    );
    write(
        &data,
        "NOTES.md",
        "# Notes\nThe exports were taken on Monday.\n",
    );
    let (code, stdout, stderr) = run(
        dir.path(),
        &["scan", "data", "--now", NOW, "--format", "json"],
    );
    assert!(code < 2, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["summary"]["incomplete"], false);
}

#[test]
fn commands_that_certify_refuse_an_incomplete_reading() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org");
    copy_tree(&testdata("example-org"), &org);
    let (code, _, _) = run(
        dir.path(),
        &[
            "scan", "org", "--now", NOW, "--format", "json", "-o", "old.json",
        ],
    );
    assert_eq!(code, 1);
    // The next run cannot read the credential report: what it held is not "resolved".
    write(
        &org,
        "aws/credential-report.csv",
        broken_credential_report(),
    );
    let (code, _, _) = run(
        dir.path(),
        &[
            "scan", "org", "--now", NOW, "--format", "json", "-o", "new.json",
        ],
    );
    assert_eq!(code, 2);
    let (code, text, stderr) = run(dir.path(), &["diff", "old.json", "new.json"]);
    assert_eq!(code, 2, "{stderr}");
    assert!(text.contains("\"resolved\" is not confirmed"), "{text}");
    let (code, _, _) = run(
        dir.path(),
        &["diff", "old.json", "new.json", "--allow-incomplete"],
    );
    assert!(code < 2);
    // verify cannot certify what it could not read.
    let (code, text, _) = run(
        dir.path(),
        &["verify", "old-reporting", "org", "--now", NOW],
    );
    assert_eq!(code, 2);
    assert!(text.contains("INCOMPLETE SCAN"), "{text}");
    let (code, json, _) = run(
        dir.path(),
        &[
            "verify",
            "old-reporting",
            "org",
            "--now",
            NOW,
            "--format",
            "json",
            "--allow-incomplete",
        ],
    );
    assert_eq!(code, 1);
    let checklist: Value = serde_json::from_str(&json).unwrap();
    assert_eq!(checklist["complete"], false);
    assert!(!checklist["incomplete"].as_array().unwrap().is_empty());
    let (code, text, _) = run(dir.path(), &["inventory", "org"]);
    assert_eq!(code, 2);
    assert!(text.contains("INCOMPLETE ("), "{text}");
    let (code, _, _) = run(
        dir.path(),
        &["baseline", "write", "b.json", "org", "--now", NOW],
    );
    assert_eq!(code, 2);
    assert!(
        !dir.path().join("b.json").exists(),
        "no baseline from a partial reading"
    );
}

/// A credential report whose only defect is a byte that is not UTF-8 (a name typed in Latin-1)
/// was once read as plain text: no records, no skip, and a pass.
#[test]
fn exports_in_other_encodings_are_decoded_not_passed_over() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org");
    copy_tree(&testdata("example-org"), &org);
    let (_, baseline, _) = run(
        dir.path(),
        &["scan", "org", "--now", NOW, "--format", "json"],
    );
    let baseline: Value = serde_json::from_str(&baseline).unwrap();

    let report = std::fs::read(org.join("aws/credential-report.csv")).unwrap();
    let mut latin1 = report.clone();
    let at = latin1.windows(4).position(|w| w == b"root").unwrap();
    latin1.splice(at..at, *b"r\xE9");
    std::fs::write(org.join("aws/credential-report.csv"), &latin1).unwrap();
    let (code, stdout, stderr) = run(
        dir.path(),
        &["scan", "org", "--now", NOW, "--format", "json"],
    );
    assert_eq!(code, 1, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let source = json["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == "aws/credential-report.csv")
        .expect("read as an export");
    assert_eq!(source["format"], "aws/credential-report-csv");
    assert!(
        source["warnings"][0]
            .as_str()
            .unwrap()
            .contains("read as windows-1252"),
        "{source}"
    );
    assert_eq!(rules_of(&json), rules_of(&baseline));

    // The same report as UTF-16 with a byte-order mark (Windows PowerShell's `>`).
    let text = String::from_utf8(report).unwrap();
    let utf16: Vec<u8> = [0xFF, 0xFE]
        .into_iter()
        .chain(text.encode_utf16().flat_map(u16::to_le_bytes))
        .collect();
    std::fs::write(org.join("aws/credential-report.csv"), &utf16).unwrap();
    let (code, stdout, _) = run(
        dir.path(),
        &["scan", "org", "--now", NOW, "--format", "json"],
    );
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(rules_of(&json), rules_of(&baseline));
    assert_eq!(json["findings"], baseline["findings"]);
}

/// A Vault audit log is recognised from any of its first lines; a bad line, first or not, is
/// counted and skipped while the rest is read (DPV007 once vanished with a bad first line).
#[test]
fn a_vault_audit_log_with_a_bad_first_line_is_still_read() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org");
    copy_tree(&testdata("example-org"), &org);
    let log = org.join("vault/audit/vault-audit.log");
    let original = std::fs::read(&log).unwrap();
    let (_, baseline, _) = run(
        dir.path(),
        &["scan", "org", "--now", NOW, "--format", "json"],
    );
    let baseline: Value = serde_json::from_str(&baseline).unwrap();
    assert!(rules_of(&baseline).contains(&"DPV007".to_string()));
    let deep = format!("{}{}\n", "[".repeat(200), "]".repeat(200));
    let huge = format!("{{\"time\":\"{}\"}}\n", "x".repeat(17 << 20));
    let deep_object = format!("{}1{}\n", "{\"a\":".repeat(200), "}".repeat(200));
    for first in [
        "{\"time\":\"2026-05-20T08:0".to_string() + "\n",
        "[1,2,3]\n".to_string(),
        deep,
        deep_object,
        "{}\n".to_string(),
        "{\"unrelated\": true}\n".to_string(),
        huge,
    ] {
        let mut bad = first.clone().into_bytes();
        bad.extend_from_slice(&original);
        std::fs::write(&log, &bad).unwrap();
        let (code, stdout, stderr) = run(
            dir.path(),
            &["scan", "org", "--now", NOW, "--format", "json"],
        );
        assert_eq!(code, 1, "{stderr}");
        let json: Value = serde_json::from_str(&stdout).unwrap();
        assert_eq!(
            rules_of(&json),
            rules_of(&baseline),
            "first line {:.40}",
            first
        );
        let source = json["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["path"] == "vault/audit/vault-audit.log")
            .expect("read as an audit log");
        let warning = source["warnings"][0].as_str().unwrap();
        // The example's log ends with one truncated line of its own.
        assert!(
            warning.starts_with("2 malformed audit line(s) skipped (line 1:"),
            "{warning}"
        );
    }
}

/// A UTF-8 byte-order mark (PowerShell's `Set-Content -Encoding UTF8`) is no content.
#[test]
fn a_utf8_byte_order_mark_does_not_break_an_export() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org");
    copy_tree(&testdata("example-org"), &org);
    let (_, baseline, _) = run(
        dir.path(),
        &["scan", "org", "--now", NOW, "--format", "json"],
    );
    let baseline: Value = serde_json::from_str(&baseline).unwrap();
    for rel in [
        "aws/authorization-details.json",
        "vault/auth/token/accessors.json",
    ] {
        let mut bytes = b"\xEF\xBB\xBF".to_vec();
        bytes.extend(std::fs::read(org.join(rel)).unwrap());
        std::fs::write(org.join(rel), bytes).unwrap();
    }
    let (code, stdout, stderr) = run(
        dir.path(),
        &["scan", "org", "--now", NOW, "--format", "json"],
    );
    assert_eq!(code, 1, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert_eq!(json["findings"], baseline["findings"]);
}

/// An export dated after the evaluation time is no "latest export": read as undated.
#[test]
fn an_export_dated_in_the_future_does_not_win() {
    use base64::Engine;
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "register.yaml",
        "identities:\n  - id: ci-legacy\n    status: retired\n    retired_at: 2026-03-01\n    owner: team-a\n    aliases: [arn:aws:iam::111122223333:user/ci-legacy]\nteams:\n  - id: team-a\n",
    );
    let header = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n";
    let envelope = |active: &str, generated: &str| {
        let row = format!("ci-legacy,arn:aws:iam::111122223333:user/ci-legacy,2024-01-10T09:00:00+00:00,false,N/A,N/A,N/A,false,{active},2024-01-10T09:05:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n");
        let content = base64::engine::general_purpose::STANDARD.encode(format!("{header}{row}"));
        format!("{{\"Content\": \"{content}\", \"ReportFormat\": \"text/csv\", \"GeneratedTime\": \"{generated}\"}}\n")
    };
    write(
        dir.path(),
        "real.json",
        envelope("true", "2026-11-24T00:00:00Z"),
    );
    write(
        dir.path(),
        "planted.json",
        envelope("false", "2099-01-01T00:00:00Z"),
    );
    let (code, stdout, _) = run(dir.path(), &["scan", ".", "--now", NOW, "--format", "json"]);
    assert_eq!(code, 1);
    let json: Value = serde_json::from_str(&stdout).unwrap();
    assert!(rules_of(&json).contains(&"DPV001".to_string()), "{json:#}");
    assert!(json["sources"]
        .to_string()
        .contains("after the evaluation time"));
}

/// GCP exports that disagree about a key follow the same rule as every family: active wins.
#[test]
fn gcp_exports_that_disagree_keep_the_key_active() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org");
    copy_tree(&testdata("example-org"), &org);
    let keys = std::fs::read_to_string(org.join("gcp/keys-ci-legacy.json")).unwrap();
    let snapshot = keys.replacen("\"keyType\"", "\"disabled\": true, \"keyType\"", 1);
    assert_ne!(snapshot, keys);
    write(&org, "gcp/keys-old-snapshot.json", snapshot);
    let (code, stdout, stderr) = run(
        dir.path(),
        &["scan", "org", "--now", NOW, "--format", "json"],
    );
    assert_eq!(code, 1, "{stderr}");
    let json: Value = serde_json::from_str(&stdout).unwrap();
    let gcp_dpv001 = json["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "DPV001" && f["system"].as_str().unwrap().starts_with("gcp:"));
    assert!(gcp_dpv001, "{json:#}");
    assert!(json["sources"].to_string().contains("read as active"));
}
