//! Any inventory, by mapping (issue 16, part 1): `inventories:` in the config maps CSV, JSON and
//! YAML files of systems deprov has no family for. Their records join the register by alias and
//! every rule applies to them; a mapping that does not fit its file points into the config; a
//! mapped file that cannot be read leaves the run incomplete.

mod common;

use std::path::Path;

use common::{copy_tree, deprov_in, testdata, write, NOW};
use serde_json::Value;

/// `deprov scan exports --config deprov.yaml` inside `dir`, as JSON.
fn scan_json_in(dir: &Path, extra: &[&str]) -> (Value, i32, String) {
    let output = deprov_in(dir)
        .args(["scan", "exports", "--config", "deprov.yaml", "--now", NOW])
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    let text = String::from_utf8_lossy(&output.stdout);
    let report = serde_json::from_str(&text).unwrap_or(Value::Null);
    (report, output.status.code().unwrap_or(-1), stderr)
}

/// The rendered diagnostic of a run that stops with exit code 2.
fn diagnostic_in(dir: &Path) -> String {
    let output = deprov_in(dir)
        .args(["scan", "exports", "--config", "deprov.yaml", "--now", NOW])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    stderr
}

/// A rendered diagnostic as one line: without miette's frame and line wrapping.
fn flat(rendered: &str) -> String {
    rendered
        .replace(['│', '×'], " ")
        .split_whitespace()
        .collect::<Vec<_>>()
        .join(" ")
}

/// A copy of `testdata/mapped` to change.
fn mapped_copy() -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&testdata("mapped"), dir.path());
    dir
}

fn findings<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

fn finding_of<'a>(report: &'a Value, rule: &str, identity: &str) -> &'a Value {
    findings(report, rule)
        .into_iter()
        .find(|f| f["identity"] == identity)
        .unwrap_or_else(|| panic!("no {rule} for {identity}: {:#}", report["findings"]))
}

#[test]
fn a_retired_identitys_active_key_in_a_mapped_csv_is_dpv001() {
    let (report, code, stderr) = scan_json_in(&testdata("mapped"), &[]);
    assert_eq!(code, 1, "{stderr}");
    // Joined by the client ID the register lists as an alias of ci-legacy.
    let dpv001 = finding_of(&report, "DPV001", "ci-legacy");
    assert_eq!(
        dpv001["credential"],
        "3MVG9ciLegacyDeployer.ConsumerKey.0001"
    );
    assert_eq!(dpv001["system"], "salesforce:prod");
    assert_eq!(dpv001["owner"], "alice@example.com");
    assert_eq!(dpv001["evidence"]["path"], "salesforce/connected-apps.csv");
    assert_eq!(dpv001["evidence"]["line"], 2);
    // An identity its home system disabled counts as retired when the register does not know it.
    let disabled = finding_of(&report, "DPV001", "snowflake:prod:LEGACY_LOADER");
    assert_eq!(disabled["system"], "snowflake:prod");
}

#[test]
fn an_unused_key_in_a_mapped_csv_is_stl001() {
    let (report, _, _) = scan_json_in(&testdata("mapped"), &[]);
    let stl001 = finding_of(&report, "STL001", "reporting-sync");
    assert_eq!(
        stl001["credential"],
        "3MVG9reportingSync.ConsumerKey.000002"
    );
    assert_eq!(
        findings(&report, "STL001").len(),
        1,
        "only the key unused for 90 days"
    );
}

#[test]
fn a_departed_owner_in_a_mapped_json_is_dpv006() {
    let (report, _, _) = scan_json_in(&testdata("mapped"), &[]);
    // `$.items[*]`, `owner.email`: the owner the system records, departed in the register.
    let dpv006 = finding_of(&report, "DPV006", "slack:T0EXAMPLE:billing-alerts");
    assert_eq!(dpv006["owner"], "bob@example.com");
    assert_eq!(dpv006["system"], "slack:T0EXAMPLE");
    assert_eq!(dpv006["evidence"]["path"], "slack/apps.json");
    assert!(dpv006["evidence"]["line"].as_u64().is_some());
}

#[test]
fn an_unregistered_identity_in_a_mapped_yaml_is_inv001() {
    let (report, _, _) = scan_json_in(&testdata("mapped"), &[]);
    let inv001 = finding_of(&report, "INV001", "snowflake:prod:ADHOC_EXPORTER");
    assert_eq!(inv001["evidence"]["path"], "snowflake/service-users.yaml");
    // Registered under its `SYSTEM:ID` alias: not INV001, and nothing else either.
    for f in report["findings"].as_array().unwrap() {
        assert_ne!(f["identity"], "etl-runner", "{f:#}");
        assert_ne!(f["identity"], "deploy-notifier", "{f:#}");
    }
}

#[test]
fn each_mapped_file_is_read_once_with_its_mapping() {
    let (report, _, _) = scan_json_in(&testdata("mapped"), &[]);
    let sources: Vec<(String, String, u64)> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().to_string(),
                s["format"].as_str().unwrap().to_string(),
                s["records"].as_u64().unwrap(),
            )
        })
        .collect();
    assert_eq!(
        sources,
        vec![
            ("register.yaml".into(), "register/register-yaml".into(), 8),
            (
                "salesforce/connected-apps.csv".into(),
                "inventory/csv".into(),
                3
            ),
            ("slack/apps.json".into(), "inventory/json".into(), 2),
            (
                "snowflake/service-users.yaml".into(),
                "inventory/yaml".into(),
                3
            ),
        ]
    );
    assert_eq!(report["skipped"], serde_json::json!([]));
    assert_eq!(report["summary"]["incomplete"], false);
}

#[test]
fn without_the_mapping_the_files_are_only_text() {
    // The same files scanned without the config are not inventories: nothing of them is judged.
    let output = common::scan(&testdata("mapped/exports"), &["--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(report["findings"].as_array().unwrap().is_empty());
    let csv = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == "salesforce/connected-apps.csv")
        .unwrap();
    assert_eq!(csv["format"], "files/text");
}

#[test]
fn a_column_the_file_lacks_points_into_the_config_and_names_the_columns() {
    let dir = mapped_copy();
    let config = std::fs::read_to_string(dir.path().join("deprov.yaml")).unwrap();
    let config = config
        .replace("owner: \"Contact Email\"", "owner: \"Contact Mail\"")
        .replace("id: app.name", "id: app.title");
    write(dir.path(), "deprov.yaml", config);
    let stderr = diagnostic_in(dir.path());
    assert!(stderr.contains("deprov.yaml:6:"), "{stderr}");
    assert!(stderr.contains("`Contact Email`"), "{stderr}");
    insta::assert_snapshot!("column_not_in_file", stderr);
}

#[test]
fn mapping_problems_are_reported_at_start_up_all_at_once() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "deprov.yaml",
        "inventories:\n  - path: \"exports/[apps.csv\"\n    system: sales force\n    format: csv\n    records: \"$.items[*]\"\n    identity: { id: Name, kind: service, disabled_when: [Blocked] }\n    credential: { id: Key, kind: api-key, active_when: [Active] }\n    grants: { column: Roles, separator: \"\" }\n",
    );
    std::fs::create_dir(dir.path().join("exports")).unwrap();
    let stderr = diagnostic_in(dir.path());
    assert!(stderr.contains("6 problem(s)"), "{stderr}");
    insta::assert_snapshot!("start_up_problems", stderr);
}

#[test]
fn an_unknown_kind_is_refused_at_its_line() {
    let dir = mapped_copy();
    let config = std::fs::read_to_string(dir.path().join("deprov.yaml")).unwrap();
    write(
        dir.path(),
        "deprov.yaml",
        config.replace(
            "kind: api-key, created: \"Created",
            "kind: apikey, created: \"Created",
        ),
    );
    let stderr = diagnostic_in(dir.path());
    assert!(
        flat(&stderr).contains("unknown variant `apikey`"),
        "{stderr}"
    );
    assert!(stderr.contains("deprov.yaml:8:"), "{stderr}");
}

#[test]
fn an_unreadable_mapped_file_makes_the_run_incomplete() {
    let dir = mapped_copy();
    let csv = dir.path().join("exports/salesforce/connected-apps.csv");
    let mut text = std::fs::read_to_string(&csv).unwrap();
    text.push_str("cut-short,0Ho5g\n");
    std::fs::write(&csv, text).unwrap();
    let (report, code, _) = scan_json_in(dir.path(), &[]);
    assert_eq!(code, 2);
    assert_eq!(report["summary"]["incomplete"], true);
    let skipped = &report["skipped"][0];
    assert_eq!(skipped["path"], "salesforce/connected-apps.csv");
    assert_eq!(skipped["incomplete"], true);
    let reason = skipped["reason"].as_str().unwrap();
    assert!(reason.contains("invalid CSV"), "{reason}");
    assert!(
        reason.contains("inventories[0] (salesforce:prod)"),
        "{reason}"
    );
    // Accepted on purpose, the other inventories are still judged.
    let (report, code, _) = scan_json_in(dir.path(), &["--allow-incomplete"]);
    assert_eq!(code, 1);
    assert!(!findings(&report, "DPV006").is_empty());
    assert!(
        findings(&report, "STL001").is_empty(),
        "the CSV was not read"
    );
}

#[test]
fn a_path_that_matches_no_file_is_a_gap() {
    let dir = mapped_copy();
    std::fs::remove_file(dir.path().join("exports/slack/apps.json")).unwrap();
    let (report, code, _) = scan_json_in(dir.path(), &[]);
    assert_eq!(code, 2);
    let skipped = report["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:#?}");
    assert_eq!(skipped[0]["path"], "exports/slack/*.json");
    assert_eq!(
        skipped[0]["reason"],
        "inventories[1] (slack:T0EXAMPLE): no file matches"
    );
    assert_eq!(skipped[0]["incomplete"], true);
}

#[test]
fn a_file_two_mappings_match_is_refused() {
    let dir = mapped_copy();
    let mut config = std::fs::read_to_string(dir.path().join("deprov.yaml")).unwrap();
    config.push_str(
        "\n  - path: exports/salesforce/*.csv\n    system: salesforce:copy\n    identity: { id: \"App Name\", kind: service }\n",
    );
    write(dir.path(), "deprov.yaml", config);
    let stderr = diagnostic_in(dir.path());
    assert!(
        flat(&stderr).contains("also matched by inventories[0]"),
        "{stderr}"
    );
}

#[test]
fn json_lines_yaml_lists_and_files_outside_the_scan_are_read() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "exports/register.yaml",
        "identities:\n  - id: svc\n    status: retired\n    retired_at: 2026-01-01\n    owner: team-a\n    aliases: [okta:prod:svc-sync]\nteams:\n  - id: team-a\n",
    );
    // Outside the scanned path: read all the same, shown by its path from the config.
    write(
        dir.path(),
        "inventories/okta-tokens.jsonl",
        "{\"user\":{\"login\":\"svc-sync\"},\"token\":{\"id\":\"00T1\",\"created\":\"2026-01-01T00:00:00Z\"}}\n{\"user\":{\"login\":\"svc-sync\"},\"token\":{\"id\":\"00T2\",\"created\":\"2026-02-01T00:00:00Z\"}}\n",
    );
    write(
        dir.path(),
        "deprov.yaml",
        "inventories:\n  - path: inventories/*.jsonl\n    system: okta:prod\n    identity: { id: user.login, kind: service }\n    credential: { id: token.id, kind: token, created: token.created }\n",
    );
    let (report, code, stderr) = scan_json_in(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    let source = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["format"] == "inventory/json-lines")
        .unwrap_or_else(|| panic!("{:#}", report["sources"]));
    assert_eq!(source["path"], "inventories/okta-tokens.jsonl");
    assert_eq!(source["records"], 2);
    let keys: Vec<&Value> = findings(&report, "DPV001")
        .iter()
        .map(|f| &f["credential"])
        .collect();
    assert_eq!(keys, vec!["00T1", "00T2"]);
    // Two rows, one identity: its two active tokens.
    assert_eq!(findings(&report, "DPV001")[0]["evidence"]["line"], 1);
}

/// nhi-scan's documented inventory format is read natively (no mapping): the tool's own sample,
/// joined to a register by the record's bare `id`.
#[test]
fn nhi_scan_inventories_are_read_without_a_mapping() {
    let dir = tempfile::tempdir().unwrap();
    let register = write(
        dir.path(),
        "register.yaml",
        "identities:\n  - id: legacy-etl\n    kind: service\n    status: retired\n    retired_at: 2026-01-01\n    owner: data-team\n    aliases: [key-legacy-etl]\nteams:\n  - id: data-team\n",
    );
    let (report, code) = common::scan_json(
        &testdata("samples/nhi-scan"),
        &["--register", register.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    let dpv001 = finding_of(&report, "DPV001", "legacy-etl");
    assert_eq!(dpv001["credential"], "key-legacy-etl#api_key");
    assert_eq!(dpv001["system"], "nhi-scan:inventory");
    assert_eq!(dpv001["evidence"]["path"], "sample-inventory.json");
    assert_eq!(dpv001["evidence"]["line"], 17);
    // Ages count back from --now, and the file says so.
    let stl001 = finding_of(&report, "STL001", "legacy-etl");
    assert!(
        stl001["message"].as_str().unwrap().contains("220 days"),
        "{stl001:#}"
    );
    let sources = report["sources"].as_array().unwrap();
    for file in ["sample-inventory.json", "template-inventory.json"] {
        let source = sources.iter().find(|s| s["path"] == file).unwrap();
        assert_eq!(source["format"], "nhi-scan/inventory");
        assert!(source["warnings"][0]
            .as_str()
            .unwrap()
            .contains("counted back from the evaluation time"));
    }
    // The agent record is an agent identity, unregistered.
    finding_of(&report, "INV001", "nhi-scan:agent-collections");
}

/// The example organisation's SaaS inventory (`saas/nhi-inventory.json`, nhi-scan's format: no
/// config, since a scanned tree never configures the scan) joins the register by the
/// `nhi-scan:ID` aliases it names: the retired `legacy-sync`'s Salesforce connected app and
/// `old-reporting`'s Snowflake user are residual access, the unregistered Slack bot is INV001,
/// and `metrics-agent`'s Datadog key is an account of the registered agent and no finding.
#[test]
fn the_example_organisations_saas_inventory_is_joined_and_judged() {
    let (report, code) = common::scan_json(&testdata("example-org"), &[]);
    assert_eq!(code, 1);
    let path = "saas/nhi-inventory.json";
    let of = |rule: &str, identity: &str, credential: Option<&str>| -> Vec<(String, u64)> {
        findings(&report, rule)
            .into_iter()
            .filter(|f| {
                f["identity"] == identity
                    && f["evidence"]["path"] == path
                    && credential.is_none_or(|c| f["credential"] == c)
            })
            .map(|f| {
                assert_eq!(f["system"], "nhi-scan:inventory", "{f:#}");
                (
                    f["credential"].as_str().unwrap_or("").to_string(),
                    f["evidence"]["line"].as_u64().unwrap(),
                )
            })
            .collect()
    };
    let salesforce = "sfdc-legacy-crm-sync#static_secret";
    let snowflake = "snowflake-OLD_REPORTING_SVC#static_secret";
    assert_eq!(
        of("DPV001", "legacy-sync", None),
        [(salesforce.to_string(), 3)]
    );
    assert_eq!(
        of("DPV001", "old-reporting", None),
        [(snowflake.to_string(), 19)]
    );
    // Both were used after their retirement (ages count back from --now).
    assert_eq!(of("DPV007", "legacy-sync", Some(salesforce)).len(), 1);
    assert_eq!(of("DPV007", "old-reporting", Some(snowflake)).len(), 1);
    // Their scopes are grants the retired identities still hold.
    assert_eq!(of("DPV002", "legacy-sync", None).len(), 2);
    assert_eq!(of("DPV002", "old-reporting", None).len(), 2);
    // Stale: the connected app unused for 101 days, both secrets never rotated in a year.
    assert_eq!(of("STL001", "legacy-sync", Some(salesforce)).len(), 1);
    assert_eq!(of("STL003", "legacy-sync", Some(salesforce)).len(), 1);
    assert_eq!(of("STL003", "old-reporting", Some(snowflake)).len(), 1);
    // The Slack bot nobody registered.
    let inv001 = of("INV001", "nhi-scan:slack-B05QX7K2M9T", None);
    assert_eq!(inv001.len(), 1);
    assert_eq!(inv001[0].1, 48);
    // The Datadog key of the active agent: no finding from the inventory.
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .all(|f| f["evidence"]["path"] != path || f["identity"] != "metrics-agent"));
    let source = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == path)
        .expect("the inventory is a source");
    assert_eq!(source["format"], "nhi-scan/inventory");
    assert_eq!(source["records"], 4);

    // The inventory lists the Datadog key under the registered agent.
    let output = common::deprov()
        .args(["inventory"])
        .arg(testdata("example-org"))
        .args(["--format", "json"])
        .output()
        .unwrap();
    let inventory: Value = serde_json::from_slice(&output.stdout).unwrap();
    let agent = inventory["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "metrics-agent")
        .expect("metrics-agent");
    assert!(
        agent["credentials"]
            .as_array()
            .unwrap()
            .iter()
            .any(|c| c["id"] == "datadog-metrics-agent-key#api_key"),
        "{agent:#}"
    );
}

/// The README's mapping example reads the fixtures it names.
#[test]
fn the_readme_mapping_reads_the_fixtures() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let section = readme
        .split("## Any inventory, by mapping")
        .nth(1)
        .expect("README has the section");
    let example = section
        .split("```yaml\n")
        .nth(1)
        .and_then(|rest| rest.split("```").next())
        .expect("a YAML example");
    let dir = mapped_copy();
    write(dir.path(), "deprov.yaml", example);
    let (report, code, stderr) = scan_json_in(dir.path(), &[]);
    assert_eq!(code, 1, "{stderr}");
    finding_of(&report, "DPV001", "ci-legacy");
    finding_of(&report, "DPV006", "slack:T0EXAMPLE:billing-alerts");
}
