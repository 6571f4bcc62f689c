//! The GCP family on the real samples (testdata/samples/gcp, provenance in SOURCES.md), on the
//! example organisation's exports, and on malformed files: every value that reaches the
//! inventory is checked, and bad input is skipped with its reason, never a panic.

mod common;

use std::path::Path;

use common::{deprov, rules_of, scan_json, testdata};
use serde_json::Value;

fn inventory_of(path: &Path) -> Value {
    inventory_exiting(path, 0)
}

/// The inventory of `path`, whose command must exit with `code` (2: an incomplete reading).
fn inventory_exiting(path: &Path, code: i32) -> Value {
    let output = deprov()
        .arg("inventory")
        .arg(path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert_eq!(output.status.code(), Some(code), "{stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn inventory(rel: &str) -> Value {
    inventory_of(&testdata(rel))
}

fn identity<'a>(inv: &'a Value, id: &str) -> &'a Value {
    inv["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in inventory: {:#}", inv["identities"]))
}

fn source<'a>(inv: &'a Value, path: &str) -> &'a Value {
    inv["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in sources: {:#}", inv["sources"]))
}

fn warnings_of(source: &Value) -> Vec<String> {
    source["warnings"]
        .as_array()
        .map(|w| w.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn strs<'a>(values: &'a Value, field: &str) -> Vec<&'a str> {
    values
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v[field].as_str().unwrap())
        .collect()
}

/// Writes files into a fresh directory.
fn dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for (rel, content) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
    dir
}

fn skipped_reason(inv: &Value, path: &str) -> String {
    inv["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == path)
        .unwrap_or_else(|| panic!("{path} not skipped: {:#}", inv["skipped"]))["reason"]
        .as_str()
        .unwrap()
        .to_string()
}

#[test]
fn every_gcp_sample_is_recognised_and_read() {
    let inv = inventory("samples/gcp");
    assert!(
        inv["skipped"].as_array().unwrap().is_empty(),
        "{}",
        inv["skipped"]
    );
    let files = std::fs::read_dir(testdata("samples/gcp")).unwrap().count();
    assert_eq!(inv["sources"].as_array().unwrap().len(), files);
    for (path, format, records) in [
        (
            "forseti_mock_cai_iam_policies.dump.jsonl",
            "gcp/cloud-asset-inventory",
            38,
        ),
        (
            "forseti_mock_cai_resources.dump.jsonl",
            "gcp/cloud-asset-inventory",
            3,
        ),
        ("kcc_iam_serviceaccount_get.json", "gcp/service-accounts", 1),
        (
            "kcc_iam_serviceaccountkey_create_response.json",
            "gcp/service-account-keys",
            1,
        ),
        (
            "kcc_iam_serviceaccountkey_get.json",
            "gcp/service-account-keys",
            1,
        ),
    ] {
        let s = source(&inv, path);
        assert_eq!(s["format"], format, "{path}");
        assert_eq!(s["records"], records, "{path}");
    }
}

#[test]
fn kcc_placeholders_are_read_as_written() {
    let inv = inventory("samples/gcp");
    let sa = identity(&inv, "gsa-${uniqueId}@${projectId}.iam.gserviceaccount.com");
    assert_eq!(sa["kind"], "service");
    assert_eq!(sa["lifecycle"], "unregistered");
    assert_eq!(sa["state"], "enabled");
    let account = &sa["accounts"][0];
    assert_eq!(account["system"]["family"], "gcp");
    assert_eq!(account["system"]["name"], "${projectId}");
    assert_eq!(account["aliases"][0], "111111111111111111111");
    assert_eq!(account["display_name"], "ExampleGSA");
    assert!(account["created"].is_null());
    // keys.get and keys.create describe the same key: one credential.
    let credentials = sa["credentials"].as_array().unwrap();
    assert_eq!(credentials.len(), 1, "{credentials:#?}");
    let key = &credentials[0];
    assert_eq!(key["id"], "${serviceAccountKeyID}");
    assert_eq!(key["kind"], "service_account_key");
    assert_eq!(key["status"], "active");
    assert_eq!(key["system"], account["system"]);
    assert_eq!(key["created"], "2024-04-01T12:34:56Z");
    assert_eq!(key["last_rotated"], "2024-04-01T12:34:56Z");
    assert_eq!(key["expires"]["kind"], "never");
    assert_eq!(key["last_used"]["kind"], "unknown");
    assert_eq!(key["privileged"], false);
    // The keys.create response's private key is never read into the output.
    let text = inv.to_string();
    assert!(!text.contains("VGhpcyBzaG91bGQ"), "private key data leaked");
    assert!(!text.contains("privateKeyData"));
}

#[test]
fn cai_resources_give_accounts_and_skip_google_managed_keys() {
    let inv = inventory("samples/gcp/forseti_mock_cai_resources.dump.jsonl");
    let sa = identity(&inv, "123-compute@developer.gserviceaccount.com");
    let account = &sa["accounts"][0];
    assert_eq!(account["system"]["name"], "project2");
    assert_eq!(account["aliases"][0], "09876543210987654321");
    assert_eq!(
        account["display_name"],
        "App Engine default service account"
    );
    assert_eq!(account["evidence"]["line"], 116);
    // Its only key is SYSTEM_MANAGED: Google's, not reported.
    assert!(sa["credentials"].as_array().unwrap().is_empty());
    let old_shape = identity(&inv, "1041-compute@developer.gserviceaccount.com");
    assert_eq!(old_shape["accounts"][0]["system"]["name"], "project1");
    assert_eq!(old_shape["accounts"][0]["evidence"]["line"], 52);
    let warnings = warnings_of(source(&inv, "forseti_mock_cai_resources.dump.jsonl"));
    assert_eq!(
        warnings,
        vec![
            "125 asset(s) of other types ignored".to_string(),
            "1 Google-managed (SYSTEM_MANAGED) key(s) not reported: Google rotates them itself and they cannot be downloaded".to_string(),
        ]
    );
}

#[test]
fn cai_policies_become_grants_on_their_assets() {
    // Alone, the policies file knows projects only by number.
    let alone = inventory("samples/gcp/forseti_mock_cai_iam_policies.dump.jsonl");
    let editor = identity(&alone, "3@cloudservices.gserviceaccount.com");
    assert_eq!(editor["kind"], "service");
    assert_eq!(editor["grants"][0]["system"]["name"], "1043");
    // With the resources export, Project assets map numbers to IDs.
    let inv = inventory("samples/gcp");
    let editor = identity(&inv, "3@cloudservices.gserviceaccount.com");
    let grant = &editor["grants"][0];
    assert_eq!(grant["system"]["name"], "project3");
    assert_eq!(
        grant["privilege"],
        "role:roles/editor on //cloudresourcemanager.googleapis.com/projects/1043"
    );
    assert_eq!(grant["holder_kind"], "service");
    assert_eq!(grant["dangling"], false);
    assert_eq!(grant["evidence"]["line"], 5);
    // The same member twice in one binding (projects/1044) is one grant.
    let duplicated = identity(&inv, "4@cloudservices.gserviceaccount.com");
    assert_eq!(duplicated["grants"].as_array().unwrap().len(), 1);
    // Users and groups keep their kind; folder and billing-account grants sit on them.
    let user = identity(&inv, "a_user@forseti.test");
    assert_eq!(user["kind"], "human");
    let systems = strs(&user["grants"], "privilege");
    assert!(systems.contains(
        &"role:roles/resourcemanager.organizationAdmin on //cloudresourcemanager.googleapis.com/organizations/111222333"
    ));
    let org_grant = user["grants"]
        .as_array()
        .unwrap()
        .iter()
        .find(|g| {
            g["privilege"]
                .as_str()
                .unwrap()
                .contains("organizationAdmin")
        })
        .unwrap();
    assert_eq!(org_grant["system"]["name"], "organizations/111222333");
    let group = identity(&inv, "auditors@forseti.test");
    assert_eq!(group["kind"], "group");
    assert_eq!(
        group["grants"][0]["system"]["name"],
        "billingAccounts/000000-111111-222222"
    );
    // A policy on a service account: who may act on it.
    let key_admin = identity(&inv, "c_user@forseti.test");
    assert_eq!(
        key_admin["grants"][0]["privilege"],
        "role:roles/iam.serviceAccountKeyAdmin on //iam.googleapis.com/projects/project1/serviceAccounts/1101"
    );
    assert_eq!(key_admin["grants"][0]["system"]["name"], "project1");
    let warnings = warnings_of(source(&inv, "forseti_mock_cai_iam_policies.dump.jsonl"));
    assert!(
        warnings.contains(&"members that are not one identity carry no grant here: 2 allAuthenticatedUsers, 2 domain:, 13 projectOwner:/projectEditor:/projectViewer:".to_string()),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("2 polic(ies) on assets of no known project")),
        "{warnings:?}"
    );
    // Nobody is made of `allAuthenticatedUsers` or `projectOwner:…`.
    let ids = strs(&inv["identities"], "id");
    assert!(!ids
        .iter()
        .any(|id| id.contains("allAuthenticatedUsers") || id.starts_with("project")));
}

#[test]
fn example_org_gcp_gaps_are_found() {
    let (report, _) = scan_json(&testdata("example-org"), &[]);
    let skipped: Vec<&str> = strs(&report["skipped"], "path");
    assert!(
        !skipped.iter().any(|p| p.starts_with("gcp/")),
        "{skipped:?}"
    );
    let gcp: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["system"].as_str().unwrap().starts_with("gcp:"))
        .collect();
    let found = |rule: &str, identity: &str| -> &Value {
        gcp.iter()
            .find(|f| f["rule"] == rule && f["identity"] == identity)
            .unwrap_or_else(|| panic!("no {rule} for {identity}: {gcp:#?}"))
    };
    let ci_key = "7c3e9a1f5b2d4e8c6a0b9f3d1e7c5a2b4d6f8e0a";
    for rule in ["DPV001", "STL003", "STL004"] {
        let f = found(rule, "ci-legacy");
        assert_eq!(f["credential"], ci_key, "{rule}");
        assert_eq!(f["system"], "gcp:example-prod");
        assert_eq!(f["evidence"]["path"], "gcp/keys-ci-legacy.json");
        assert_eq!(f["evidence"]["line"], 6);
    }
    let grant = found("DPV002", "ci-legacy");
    assert_eq!(grant["evidence"]["path"], "gcp/iam-policy.json");
    assert_eq!(grant["evidence"]["line"], 12);
    assert!(grant["message"]
        .as_str()
        .unwrap()
        .contains("roles/storage.admin"));
    let disabled = found("DPV009", "reporting-etl");
    assert_eq!(
        disabled["credential"],
        "2d9f4b7e1a6c3e8f0b5d2a9c7e4f1b3d6a8c0e5f"
    );
    let dangling = found("DPV005", "old-batch@example-prod.iam.gserviceaccount.com");
    assert_eq!(dangling["evidence"]["line"], 5);
    assert!(dangling["evidence"]["detail"]
        .as_str()
        .unwrap()
        .contains("uid 109876543210987654321"));
    found(
        "INV001",
        "billing-sync@example-prod.iam.gserviceaccount.com",
    );
    found(
        "INV001",
        "482913705126-compute@developer.gserviceaccount.com",
    );
    // The SYSTEM_MANAGED key of ci-legacy is not a credential; people and groups are not INV001.
    assert!(!gcp
        .iter()
        .any(|f| f["credential"] == "e41b8d2c7f09a3561d4e8b2f0c7a9e3d5b1f6c84"));
    assert!(!gcp.iter().any(|f| {
        let id = f["identity"].as_str().unwrap();
        id == "carol@example.com" || id == "data-team@example.com"
    }));
    let mut rules: Vec<&str> = gcp.iter().map(|f| f["rule"].as_str().unwrap()).collect();
    rules.sort();
    assert_eq!(
        rules,
        vec!["DPV001", "DPV002", "DPV005", "DPV009", "INV001", "INV001", "STL003", "STL004"]
    );
}

#[test]
fn example_org_gcp_inventory() {
    let inv = inventory("example-org/gcp");
    let etl = identity(&inv, "reporting-etl@example-prod.iam.gserviceaccount.com");
    assert_eq!(etl["state"], "disabled");
    assert_eq!(etl["accounts"][0]["aliases"][0], "113920485761203948576");
    let key = &etl["credentials"][0];
    assert_eq!(key["status"], "active");
    assert_eq!(key["created"], "2026-09-15T07:30:00Z");
    assert_eq!(key["expires"]["kind"], "at");
    assert_eq!(key["expires"]["at"], "2026-12-14T07:30:00Z");
    assert_eq!(
        strs(&etl["grants"], "privilege"),
        vec!["role:roles/bigquery.dataEditor on project"]
    );
    let viewer = identity(&inv, "data-team@example.com");
    assert_eq!(viewer["kind"], "group");
    assert_eq!(viewer["grants"][0]["holder_kind"], "group");
    assert_eq!(identity(&inv, "carol@example.com")["kind"], "human");
    let deleted = identity(&inv, "old-batch@example-prod.iam.gserviceaccount.com");
    assert_eq!(deleted["state"], "deleted");
    assert_eq!(deleted["grants"][0]["dangling"], true);
    assert_eq!(deleted["grants"][0]["system"]["name"], "example-prod");
}

const SA: &str = r#"[{"name":"projects/p1/serviceAccounts/a@p1.iam.gserviceaccount.com","projectId":"p1","uniqueId":"100","email":"a@p1.iam.gserviceaccount.com"}]"#;

#[test]
fn rest_forms_camel_case_assets_and_key_states() {
    let dir = dir_with(&[
        (
            "accounts.json",
            r#"{"accounts":[{"name":"projects/p1/serviceAccounts/a@p1.iam.gserviceaccount.com","uniqueId":"100","email":"a@p1.iam.gserviceaccount.com","disabled":true}],"nextPageToken":"page-2"}"#,
        ),
        (
            "keys.json",
            r#"{"keys":[
  {"name":"projects/p1/serviceAccounts/a@p1.iam.gserviceaccount.com/keys/aaaa","validAfterTime":"2026-01-01T00:00:00Z","validBeforeTime":"2026-03-01T00:00:00Z","keyType":"USER_MANAGED","keyAlgorithm":"KEY_ALG_RSA_2048"},
  {"name":"projects/p1/serviceAccounts/a@p1.iam.gserviceaccount.com/keys/bbbb","validAfterTime":"2026-01-01T00:00:00Z","validBeforeTime":"9999-12-31T23:59:59Z","keyType":"USER_MANAGED","keyOrigin":"USER_PROVIDED","disabled":true,"disableReason":"DISABLE_REASON_EXPOSED","extendedStatus":[{"key":"SERVICE_ACCOUNT_KEY_EXTENDED_STATUS_KEY_EXPOSED","value":"https://github.com/example/leak"}]}
]}"#,
        ),
        (
            "assets.json",
            r#"[
  {"ancestors":["projects/2222","organizations/9"],"assetType":"iam.googleapis.com/ServiceAccount","name":"//iam.googleapis.com/projects/p2/serviceAccounts/200","resource":{"data":{"email":"b@p2.iam.gserviceaccount.com","projectId":"p2","uniqueId":"200"},"parent":"//cloudresourcemanager.googleapis.com/projects/2222"}},
  {"assetType":"cloudresourcemanager.googleapis.com/Project","iamPolicy":{"bindings":[{"members":["serviceAccount:b@p2.iam.gserviceaccount.com","serviceAccount:p2.svc.id.goog[ci/runner]"],"role":"roles/iam.workloadIdentityUser","condition":{"title":"expires 2027","expression":"request.time < timestamp('2027-01-01T00:00:00Z')"}}]},"name":"//cloudresourcemanager.googleapis.com/projects/2222"}
]"#,
        ),
    ]);
    let inv = inventory_of(dir.path());
    assert!(
        inv["skipped"].as_array().unwrap().is_empty(),
        "{}",
        inv["skipped"]
    );
    assert_eq!(
        source(&inv, "accounts.json")["format"],
        "gcp/service-accounts"
    );
    assert!(warnings_of(source(&inv, "accounts.json"))[0].contains("nextPageToken"));
    let a = identity(&inv, "a@p1.iam.gserviceaccount.com");
    // No projectId: the project comes from `name`.
    assert_eq!(a["accounts"][0]["system"]["name"], "p1");
    assert_eq!(a["state"], "disabled");
    let keys = a["credentials"].as_array().unwrap();
    assert_eq!(keys[0]["id"], "aaaa");
    assert_eq!(keys[0]["expires"]["at"], "2026-03-01T00:00:00Z");
    assert_eq!(keys[1]["id"], "bbbb");
    assert_eq!(keys[1]["status"], "inactive");
    assert_eq!(keys[1]["expires"]["kind"], "never");
    let detail = keys[1]["evidence"]["detail"].as_str().unwrap();
    assert!(detail.starts_with("uploaded user-managed key"), "{detail}");
    assert!(
        detail.contains("disabled: key exposed, KEY_EXPOSED (https://github.com/example/leak)"),
        "{detail}"
    );
    // `gcloud asset list --format=json`: camelCase, an array, lines of each element.
    assert_eq!(
        source(&inv, "assets.json")["format"],
        "gcp/cloud-asset-inventory"
    );
    let b = identity(&inv, "b@p2.iam.gserviceaccount.com");
    assert_eq!(b["accounts"][0]["evidence"]["line"], 2);
    let grant = &b["grants"][0];
    assert_eq!(grant["system"]["name"], "p2");
    assert_eq!(
        grant["privilege"],
        "role:roles/iam.workloadIdentityUser on //cloudresourcemanager.googleapis.com/projects/2222 (conditional: expires 2027)"
    );
    assert_eq!(grant["evidence"]["line"], 3);
    // GKE Workload Identity members are the Kubernetes service account.
    let ksa = identity(&inv, "system:serviceaccount:ci:runner");
    assert_eq!(ksa["grants"][0]["holder_kind"], "workload");
}

#[test]
fn policy_without_a_project_is_read_under_unknown_project() {
    let dir = dir_with(&[(
        "policy.json",
        r#"{"bindings":[{"members":["user:u@example.com","serviceAccount:x@p1.iam.gserviceaccount.com","serviceAccount:y@p2.iam.gserviceaccount.com","allUsers"],"role":"roles/viewer"}],"etag":"BwX=","version":3}"#,
    )]);
    let inv = inventory_of(dir.path());
    let s = source(&inv, "policy.json");
    assert_eq!(s["format"], "gcp/iam-policy");
    assert_eq!(s["records"], 3);
    let warnings = warnings_of(s);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("several (p1, p2)") && w.contains("unknown-project")),
        "{warnings:?}"
    );
    assert!(
        warnings.iter().any(|w| w.contains("1 allUsers")),
        "{warnings:?}"
    );
    let x = identity(&inv, "x@p1.iam.gserviceaccount.com");
    assert_eq!(x["grants"][0]["system"]["name"], "unknown-project");
    assert_eq!(x["grants"][0]["evidence"]["line"], 1);
}

#[test]
fn malformed_exports_are_skipped_with_a_reason() {
    let dir = dir_with(&[
        ("truncated.json", &SA[..SA.len() - 10]),
        (
            "wrong-type.json",
            "[\n  {\n    \"email\": \"a@p1.iam.gserviceaccount.com\",\n    \"uniqueId\": \"100\",\n    \"disabled\": \"yes\"\n  }\n]\n",
        ),
        (
            "keys-wrong-type.json",
            r#"[{"name":"projects/p/serviceAccounts/a@p.iam.gserviceaccount.com/keys/k","validAfterTime":5}]"#,
        ),
        (
            "policy-wrong-type.json",
            r#"{"version":1,"etag":"e","bindings":[{"role":"roles/viewer","members":"user:a@example.com"}]}"#,
        ),
        (
            "all-bad.jsonl",
            "{\"name\":\"//x\",\"asset_type\":7}\n{\"name\":\"//y\",\"asset_type\":[]}\n",
        ),
    ]);
    // Exports that cannot be read leave the reading incomplete: exit 2, each listed.
    let inv = inventory_exiting(dir.path(), 2);
    // Five unread exports, and nothing read at all.
    assert_eq!(inv["incomplete"].as_array().unwrap().len(), 6, "{inv:#}");
    // Cut short, it is still recognised by what could be read.
    assert!(
        skipped_reason(&inv, "truncated.json").starts_with("gcp/service-accounts: not valid JSON"),
        "{}",
        inv["skipped"]
    );
    let reason = skipped_reason(&inv, "wrong-type.json");
    assert!(
        reason.starts_with("gcp/service-accounts: invalid service-accounts: invalid type: string \"yes\", expected a boolean at line 5"),
        "{reason}"
    );
    let reason = skipped_reason(&inv, "keys-wrong-type.json");
    assert!(
        reason.starts_with(
            "gcp/service-account-keys: invalid service-account-keys: invalid type: integer `5`"
        ),
        "{reason}"
    );
    let reason = skipped_reason(&inv, "policy-wrong-type.json");
    assert!(
        reason.starts_with("gcp/iam-policy: invalid iam-policy: invalid type: string"),
        "{reason}"
    );
    let reason = skipped_reason(&inv, "all-bad.jsonl");
    assert!(
        reason.starts_with("gcp/cloud-asset-inventory: invalid cloud-asset-inventory: no asset could be read (line 1:"),
        "{reason}"
    );
}

#[test]
fn a_malformed_asset_line_costs_only_that_line() {
    let good = r#"{"name":"//iam.googleapis.com/projects/p/serviceAccounts/1","asset_type":"iam.googleapis.com/ServiceAccount","resource":{"data":{"email":"a@p.iam.gserviceaccount.com","uniqueId":"1","projectId":"p"}}}"#;
    let other = r#"{"name":"//compute.googleapis.com/projects/p/global/networks/n","asset_type":"compute.googleapis.com/Network","resource":{"data":{"name":"n"}}}"#;
    let mut text = String::new();
    for n in 1..=9 {
        match n {
            1 => text.push_str(good),
            3..=8 => text.push_str(r#"{"name":"//x","asset_type":"iam.googleapis.com/ServiceAccount","resource":{"data":{"disabled":"no"}}}"#),
            _ => text.push_str(other),
        }
        text.push('\n');
    }
    text.push_str(r#"{"name":"//iam.googleapis.com/projects/p/serviceAccounts/2","asset_t"#);
    let dir = dir_with(&[("export.jsonl", &text)]);
    let inv = inventory_of(dir.path());
    assert!(
        inv["skipped"].as_array().unwrap().is_empty(),
        "{}",
        inv["skipped"]
    );
    let s = source(&inv, "export.jsonl");
    assert_eq!(s["records"], 1);
    let warnings = warnings_of(s);
    assert!(
        warnings[0].starts_with(
            "7 malformed asset(s) skipped (line 3: invalid type: string \"no\", expected a boolean"
        ),
        "{warnings:?}"
    );
    assert!(warnings[0].ends_with("; and 2 more)"), "{warnings:?}");
    assert!(warnings.contains(&"2 asset(s) of other types ignored".to_string()));
    assert_eq!(
        identity(&inv, "a@p.iam.gserviceaccount.com")["accounts"][0]["evidence"]["line"],
        1
    );
}

#[test]
fn large_asset_exports_are_streamed() {
    // Beyond the probe's head (64 KiB), JSON lines are read from disk line by line.
    let filler = r#"{"name":"//compute.googleapis.com/projects/p/zones/z/disks/d","asset_type":"compute.googleapis.com/Disk","resource":{"data":{"sizeGb":"10"}}}"#;
    let mut text = String::new();
    for _ in 0..1000 {
        text.push_str(filler);
        text.push('\n');
    }
    text.push_str(r#"{"name":"//cloudresourcemanager.googleapis.com/projects/77","asset_type":"cloudresourcemanager.googleapis.com/Project","iam_policy":{"bindings":[{"role":"roles/owner","members":["deleted:serviceAccount:gone@p.iam.gserviceaccount.com?uid=42"]}]},"ancestors":["projects/77"]}"#);
    text.push('\n');
    let dir = dir_with(&[("big.jsonl", &text)]);
    let (report, _) = scan_json(dir.path(), &["--without-register"]);
    assert!(report["skipped"].as_array().unwrap().is_empty());
    assert!(rules_of(&report).contains(&"DPV005".to_string()));
    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "DPV005")
        .unwrap();
    assert_eq!(finding["evidence"]["line"], 1001);
    assert_eq!(finding["system"], "gcp:77");
}
