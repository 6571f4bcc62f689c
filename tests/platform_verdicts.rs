//! The platforms' own "unused" verdicts as inputs: IAM Access Analyzer findings, GCP Recommender
//! service-account insights and Policy Analyzer activities, on the real samples
//! (testdata/samples, provenance in SOURCES.md) and on the `platform-verdicts` scenario, whose
//! exports disagree with the verdicts on purpose.

mod common;

use common::{copy_tree, deprov, scan_json, testdata};
use serde_json::Value;

fn inventory(paths: &[&str]) -> Value {
    let output = deprov()
        .arg("inventory")
        .args(paths)
        .args(["--format", "json", "--without-register"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn source<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in sources: {:#}", report["sources"]))
}

fn warnings_of(source: &Value) -> Vec<&str> {
    source["warnings"]
        .as_array()
        .map(|w| w.iter().map(|s| s.as_str().unwrap()).collect())
        .unwrap_or_default()
}

fn identity<'a>(inv: &'a Value, id: &str) -> &'a Value {
    inv["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in inventory: {:#}", inv["identities"]))
}

/// The finding of `rule` about `credential` (or, with `None`, about `identity` without one).
fn finding<'a>(
    report: &'a Value,
    rule: &str,
    identity: &str,
    credential: Option<&str>,
) -> &'a Value {
    find(report, rule, identity, credential).unwrap_or_else(|| {
        panic!(
            "no {rule} for {identity} {credential:?}: {:#}",
            report["findings"]
        )
    })
}

fn find<'a>(
    report: &'a Value,
    rule: &str,
    identity: &str,
    credential: Option<&str>,
) -> Option<&'a Value> {
    report["findings"].as_array().unwrap().iter().find(|f| {
        f["rule"] == rule && f["identity"] == identity && f["credential"].as_str() == credential
    })
}

fn detail(finding: &Value) -> &str {
    finding["evidence"]["detail"].as_str().unwrap()
}

fn scenario() -> (Value, i32) {
    scan_json(&testdata("platform-verdicts"), &[])
}

/// The scenario without some of its files, scanned.
fn scenario_without(files: &[&str]) -> Value {
    let dir = tempfile::tempdir().unwrap();
    copy_tree(&testdata("platform-verdicts"), dir.path());
    for file in files {
        std::fs::remove_file(dir.path().join(file)).unwrap();
    }
    scan_json(dir.path(), &[]).0
}

#[test]
fn the_aws_cli_examples_are_read_and_external_access_is_not_use() {
    let inv = inventory(&[
        "samples/aws/awscli_list-findings-v2.json",
        "samples/aws/awscli_get-finding-v2.json",
    ]);
    assert!(
        inv["skipped"].as_array().unwrap().is_empty(),
        "{}",
        inv["skipped"]
    );
    for (path, format, findings) in [
        (
            "awscli_list-findings-v2.json",
            "aws/access-analyzer-findings",
            2,
        ),
        (
            "awscli_get-finding-v2.json",
            "aws/access-analyzer-finding",
            1,
        ),
    ] {
        let source = source(&inv, path);
        assert_eq!(source["format"], format);
        assert_eq!(source["records"], 0, "{path}: no finding is about use");
        assert_eq!(
            warnings_of(source),
            vec![format!(
                "{findings} finding(s) not about use (external or internal access); not read"
            )]
        );
    }
    // External access findings name roles, but make no identity.
    assert!(inv["identities"].as_array().unwrap().is_empty(), "{inv:#}");
}

#[test]
fn the_google_docs_examples_date_service_accounts_and_keys() {
    let inv = inventory(&[
        "samples/gcp/gcpdocs_service_account_insights_list.json",
        "samples/gcp/gcpdocs_policy_analyzer_service_account_activities.json",
        "samples/gcp/gcpdocs_policy_analyzer_key_activities.json",
    ]);
    assert!(
        inv["skipped"].as_array().unwrap().is_empty(),
        "{}",
        inv["skipped"]
    );
    let insights = source(&inv, "gcpdocs_service_account_insights_list.json");
    assert_eq!(insights["format"], "gcp/service-account-insights");
    assert_eq!(insights["records"], 2);
    let accounts = source(
        &inv,
        "gcpdocs_policy_analyzer_service_account_activities.json",
    );
    assert_eq!(accounts["format"], "gcp/policy-analyzer-activities");
    assert_eq!(accounts["records"], 2);
    assert_eq!(
        warnings_of(accounts),
        vec![
            "listing is truncated (nextPageToken is set); include the following pages in the scan"
        ]
    );
    // The docs' key example names two accounts for one key (`service-account-1t@` at the top,
    // `service-account-1@` in its details): read as the top-level name, and said.
    let keys = source(&inv, "gcpdocs_policy_analyzer_key_activities.json");
    assert_eq!(keys["records"], 1);
    let [warning] = warnings_of(keys)[..] else {
        panic!("one warning: {keys:#}");
    };
    assert!(
        warning.contains("service-account-1t@my-project.iam.gserviceaccount.com/keys/1c65fca351d6925e629059743428b7af243a728c: its activity details name //iam.googleapis.com/projects/my-project/serviceAccounts/service-account-1@"),
        "{warning}"
    );
    // Each dated authentication is a use of its account (the key is not in the inventory, so its
    // use counts for the account that holds it).
    for (account, last_used) in [
        (
            "sa-1@my-project.iam.gserviceaccount.com",
            "2020-09-11T07:00:00Z",
        ),
        (
            "service-account-1@my-project.iam.gserviceaccount.com",
            "2021-04-28T07:00:00Z",
        ),
        (
            "service-account-2@my-project.iam.gserviceaccount.com",
            "2021-04-29T07:00:00Z",
        ),
        (
            "service-account-1t@my-project.iam.gserviceaccount.com",
            "2021-06-11T07:00:00Z",
        ),
    ] {
        assert_eq!(identity(&inv, account)["last_used"], last_used, "{account}");
    }
    // sa-2 has no recorded authentication: no date is invented.
    assert!(inv["identities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["id"] != "sa-2@my-project.iam.gserviceaccount.com"));
}

#[test]
fn every_file_of_the_scenario_is_read() {
    let (report, code) = scenario();
    assert_eq!(code, 1, "findings, nothing incomplete");
    assert!(
        report["skipped"].as_array().unwrap().is_empty(),
        "{}",
        report["skipped"]
    );
    assert_eq!(report["summary"]["incomplete"], false);
    // The summaries of list-findings-v2 whose details other files give are not read twice, and
    // the external access finding is named.
    let list = source(&report, "aws/access-analyzer/list-findings-v2.json");
    assert_eq!(
        warnings_of(list),
        vec!["1 finding(s) not about use (external or internal access); not read"]
    );
}

#[test]
fn an_access_analyzer_last_access_makes_a_key_unused_beyond_the_threshold() {
    let (report, _) = scenario();
    // `list-access-keys` alone carries no use: the key's last use comes from Access Analyzer.
    let stale = finding(
        &report,
        "STL001",
        "report-sync",
        Some("AKIAEXAMPLEREPORTSY1"),
    );
    assert_eq!(
        stale["message"],
        "access key AKIAEXAMPLEREPORTSY1 of report-sync in aws:444455556666 was last used 267 days ago (2026-03-02)"
    );
    assert_eq!(
        stale["evidence"]["path"],
        "aws/access-keys-444455556666.json"
    );
    assert_eq!(
        detail(stale),
        "access key of report-sync; IAM Access Analyzer: last accessed 2026-03-02 (aws/access-analyzer/findings-444455556666.json)"
    );
    // Without the verdict, the key's use is unknown: never "unused".
    let without = scenario_without(&["aws/access-analyzer/findings-444455556666.json"]);
    assert!(find(
        &without,
        "STL001",
        "report-sync",
        Some("AKIAEXAMPLEREPORTSY1")
    )
    .is_none());
    assert!(find(
        &without,
        "STL002",
        "report-sync",
        Some("AKIAEXAMPLEREPORTSY1")
    )
    .is_none());
}

#[test]
fn where_a_verdict_and_an_export_disagree_the_later_use_counts_and_both_are_named() {
    let (report, _) = scenario();
    // Access Analyzer (as of 2026-04-01) last saw the key on 2026-01-10; the credential report
    // saw it used on 2026-05-20.
    let later_export = finding(
        &report,
        "STL001",
        "ci-deployer",
        Some("AKIAEXAMPLECIDEPLOY1"),
    );
    assert!(
        later_export["message"]
            .as_str()
            .unwrap()
            .ends_with("was last used 188 days ago (2026-05-20)"),
        "{later_export:#}"
    );
    assert_eq!(
        detail(later_export),
        "credential report row of ci-deployer, access key 1 (AKIAEXAMPLECIDEPLOY1); IAM Access Analyzer reports it unused (last accessed 2026-01-10, as of 2026-04-01; aws/access-analyzer/findings/0c7d2a51-6f3e-4b8a-9d12-5e4f7a8b9c01.json), but aws/credential-report.csv shows use on 2026-05-20"
    );
    // The credential report last saw the key on 2025-12-01; Access Analyzer on 2026-04-15.
    let later_verdict = finding(
        &report,
        "STL001",
        "batch-export",
        Some("AKIAEXAMPLEBATCHEX01"),
    );
    assert!(
        later_verdict["message"]
            .as_str()
            .unwrap()
            .ends_with("(2026-04-15)"),
        "{later_verdict:#}"
    );
    assert!(
        detail(later_verdict).ends_with(
            "; IAM Access Analyzer: last accessed 2026-04-15 (aws/access-analyzer/findings/1b8e3f62-7a4d-4c9b-8e23-6f5a8b9c0d12.json)"
        ),
        "{later_verdict:#}"
    );
}

#[test]
fn a_use_elsewhere_after_the_platform_said_unused_is_named_in_the_finding() {
    let (report, _) = scenario();
    // The role's last access (2026-02-10) precedes the retirement; the Vault login does not.
    let used = finding(&report, "DPV007", "legacy-etl", None);
    assert_eq!(
        used["message"],
        "legacy-etl retired on 2026-03-01 but was used in vault:vault on 2026-07-14"
    );
    assert_eq!(used["evidence"]["path"], "vault/audit.log");
    assert!(
        detail(used).ends_with(
            "; IAM Access Analyzer reports arn:aws:iam::111122223333:role/legacy-etl unused (last accessed 2026-02-10, as of 2026-06-01; aws/access-analyzer/findings/2a9f4e73-8b5c-4dac-9f34-7a6b9c0d1e23.json), but vault/audit.log shows use on 2026-07-14"
        ),
        "{used:#}"
    );
    assert_eq!(
        report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "DPV007" && f["identity"] == "legacy-etl")
            .count(),
        1,
        "the role's own last access is before the retirement"
    );
}

#[test]
fn google_verdicts_date_keys_say_never_used_and_show_use_after_retirement() {
    let (report, _) = scenario();
    const USED: &str = "6f1c2d3e4a5b6c7d8e9f0a1b2c3d4e5f6a7b8c9d";
    const SILENT: &str = "0a9b8c7d6e5f4a3b2c1d0e9f8a7b6c5d4e3f2a1b";
    let stale = finding(&report, "STL001", "warehouse-loader", Some(USED));
    assert!(
        stale["message"].as_str().unwrap().ends_with("(2026-04-01)"),
        "{stale:#}"
    );
    assert_eq!(
        detail(stale),
        "user-managed key of warehouse-loader@data-prod.iam.gserviceaccount.com, KEY_ALG_RSA_2048; GCP Policy Analyzer: last authenticated 2026-04-01 (gcp/key-activity.json); GCP Recommender reports warehouse-loader@data-prod.iam.gserviceaccount.com unused (no use recorded since 2025-12-15, as of 2026-03-15; gcp/insights.json), but gcp/key-activity.json shows use on 2026-04-01"
    );
    // Created inside the period Policy Analyzer watched, and no authentication in it.
    let never = finding(&report, "STL002", "warehouse-loader", Some(SILENT));
    assert!(
        detail(never).ends_with(
            "; GCP Policy Analyzer: no use recorded since 2025-11-27, as of 2026-11-20 (gcp/key-activity.json)"
        ),
        "{never:#}"
    );
    // A Recommender insight's last authentication is a use of the account.
    let after = finding(&report, "DPV007", "etl-legacy-gcp", None);
    assert_eq!(
        after["message"],
        "etl-legacy-gcp retired on 2026-03-01 but was used in gcp:data-prod on 2026-04-10"
    );
    assert_eq!(after["evidence"]["path"], "gcp/insights.json");
    assert!(
        detail(after).starts_with("GCP Recommender: last authenticated 2026-04-10 (SERVICE_ACCOUNT_USAGE insight 6a3d8c17"),
        "{after:#}"
    );
    // Without the activities, neither key's use is known.
    let without = scenario_without(&["gcp/key-activity.json"]);
    assert!(find(&without, "STL001", "warehouse-loader", Some(USED)).is_none());
    assert!(find(&without, "STL002", "warehouse-loader", Some(SILENT)).is_none());
}

#[test]
fn the_verdicts_do_not_depend_on_the_order_of_paths() {
    let root = testdata("platform-verdicts");
    let run = |order: &[&str]| {
        let paths: Vec<String> = order
            .iter()
            .map(|p| root.join(p).to_string_lossy().into_owned())
            .collect();
        let output = deprov()
            .arg("scan")
            .args(&paths)
            .args(["--now", common::NOW, "--format", "json"])
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        report["findings"].clone()
    };
    let forward = run(&["register.yaml", "aws", "gcp", "vault"]);
    let backward = run(&["vault", "gcp", "aws", "register.yaml"]);
    assert!(!forward.as_array().unwrap().is_empty());
    assert_eq!(forward, backward);
}
