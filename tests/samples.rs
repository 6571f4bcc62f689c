//! The real export samples (testdata/samples, provenance in its SOURCES.md) parse, and what they
//! say reaches the inventory.

mod common;

use common::deprov;
use serde_json::Value;

fn inventory(path: &str) -> Value {
    let output = deprov()
        .args(["inventory", path, "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn identity<'a>(inv: &'a Value, id: &str) -> &'a Value {
    inv["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in inventory"))
}

#[test]
fn every_aws_sample_parses() {
    let inv = inventory("samples/aws");
    assert!(
        inv["skipped"].as_array().unwrap().is_empty(),
        "{}",
        inv["skipped"]
    );
    let formats: Vec<(String, String)> = inv["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| {
            (
                s["path"].as_str().unwrap().into(),
                s["format"].as_str().unwrap().into(),
            )
        })
        .collect();
    let files = std::fs::read_dir(common::testdata("samples/aws"))
        .unwrap()
        .count();
    assert_eq!(formats.len(), files, "{formats:?}");
    let format_of = |p: &str| {
        formats
            .iter()
            .find(|(path, _)| path == p)
            .map(|(_, f)| f.as_str())
            .unwrap()
    };
    assert_eq!(
        format_of("credential_report_cloudmapper.csv"),
        "aws/credential-report-csv"
    );
    assert_eq!(
        format_of("cloudmapper_iam-get-credential-report.json"),
        "aws/credential-report-json"
    );
    assert_eq!(
        format_of("cloudsplaining_example_authz_details.json"),
        "aws/account-authorization-details"
    );
    assert_eq!(
        format_of("awscli_list-access-keys.json"),
        "aws/list-access-keys"
    );
    assert_eq!(
        format_of("awscli_get-access-key-last-used.json"),
        "aws/get-access-key-last-used"
    );
    assert_eq!(format_of("awscli_get-role.json"), "aws/roles");
}

#[test]
fn credential_report_sentinels_and_slots() {
    let inv = inventory("samples/aws/credential_report_cloudmapper.csv");
    // The root row: an active key, used; `not_supported` password fields are not dates.
    let root = identity(&inv, "arn:aws:iam::123456789012:root");
    assert_eq!(root["kind"], "root");
    let key = &root["credentials"][0];
    assert_eq!(key["kind"], "access_key");
    assert_eq!(key["status"], "active");
    assert_eq!(key["privileged"], true);
    assert_eq!(key["last_used"]["at"], "2018-11-27T00:02:00Z");
    // auditor_tmp: active key with `N/A` last use: tracked and never used.
    let auditor = identity(&inv, "arn:aws:iam::123456789012:user/auditor_tmp");
    assert_eq!(auditor["credentials"][0]["last_used"]["kind"], "never");
    // user: two active keys (the older one left over) and a console password.
    let user = identity(&inv, "arn:aws:iam::123456789012:user/user");
    let kinds: Vec<&str> = user["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| c["kind"].as_str().unwrap())
        .collect();
    assert_eq!(kinds.iter().filter(|k| **k == "access_key").count(), 2);
    assert!(kinds.contains(&"password"));
}

#[test]
fn boto3_dates_and_role_last_used() {
    let inv = inventory("samples/aws/cloudsplaining_test_example-authz-details.json");
    let user = identity(&inv, "arn:aws:iam::012345678901:user/obama");
    // `2019-12-18 19:10:08+00:00` (boto3 str form).
    assert_eq!(user["accounts"][0]["created"], "2019-12-18T19:10:08Z");
    assert!(user["grants"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["privilege"] == "group:admin"));
    // A role with `RoleLastUsed: {}` has no use; one with a date has it.
    let used: Vec<&Value> = inv["identities"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| !i["last_used"].is_null())
        .collect();
    assert_eq!(used.len(), 1);
    assert_eq!(used[0]["last_used"], "2019-01-20T18:48:00Z");
}

#[test]
fn access_key_listing_keeps_ids_and_status() {
    let inv = inventory("samples/aws/awscli_list-access-keys.json");
    let bob = identity(&inv, "user/Bob");
    let keys: Vec<(&str, &str)> = bob["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .map(|c| (c["id"].as_str().unwrap(), c["status"].as_str().unwrap()))
        .collect();
    assert_eq!(
        keys,
        vec![
            ("AKIAI44QH8DHBEXAMPLE", "inactive"),
            ("AKIAIOSFODNN7EXAMPLE", "active")
        ]
    );
}

#[test]
fn cli_doc_defects_are_read_and_reported() {
    let inv = inventory("samples/aws/awscli_get-account-authorization-details.json");
    let warnings = inv["sources"][0]["warnings"].as_array().unwrap();
    assert!(warnings.iter().any(|w| w
        .as_str()
        .unwrap()
        .contains("AttachedManagedPolicies is an object")));
    assert!(warnings
        .iter()
        .any(|w| w.as_str().unwrap().contains("IsTruncated")));
}
