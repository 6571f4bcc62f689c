//! The Terraform family on real states and plans (testdata/samples/terraform, provenance in
//! SOURCES.md), on the example organisation, and on hand-made files that pin edge cases: every
//! provisioned resource reaches the inventory under its address, DPV011 names the address, the
//! file and the line, and broken or old files are skipped with their reason, never a panic.

mod common;

use std::path::Path;

use common::{deprov, rules_of, scan_json, testdata, NOW};
use serde_json::Value;

/// Copies samples into a fresh directory (one configuration) with a register.
fn configuration(samples: &[&str], register: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    for sample in samples {
        std::fs::copy(
            testdata(&format!("samples/terraform/{sample}")),
            dir.path().join(sample),
        )
        .unwrap();
    }
    std::fs::write(dir.path().join("register.yaml"), register).unwrap();
    dir
}

fn inventory(path: &Path) -> Value {
    let output = deprov()
        .arg("inventory")
        .arg(path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// (address, change, holder) of every provisioned resource, known identity or not.
fn provisioned(inventory: &Value) -> Vec<(String, String, String)> {
    let mut all: Vec<(String, String, String)> = inventory["identities"]
        .as_array()
        .unwrap()
        .iter()
        .flat_map(|i| i["provisioned"].as_array().cloned().unwrap_or_default())
        .chain(
            inventory["provisioned_for_unknown"]
                .as_array()
                .cloned()
                .unwrap_or_default(),
        )
        .map(|p| {
            (
                p["address"].as_str().unwrap().to_string(),
                p["change"].as_str().unwrap().to_string(),
                p["holder"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    all.sort();
    all
}

/// (rule, identity, path, line, message) of the findings of `rule`.
fn findings_of(report: &Value, rule: &str) -> Vec<(String, String, u64, String)> {
    let mut found: Vec<(String, String, u64, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            (
                f["identity"].as_str().unwrap().to_string(),
                f["evidence"]["path"].as_str().unwrap().to_string(),
                f["evidence"]["line"].as_u64().unwrap_or(0),
                f["message"].as_str().unwrap().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

/// The 1-based line of the first occurrence of `needle` in a file.
fn line_of(path: &Path, needle: &str) -> u64 {
    let text = std::fs::read_to_string(path).unwrap();
    let at = text
        .find(needle)
        .unwrap_or_else(|| panic!("{needle} not in {path:?}"));
    text[..at].matches('\n').count() as u64 + 1
}

const REGISTER_TFSTATE_LOOKUP: &str = "identities:
  - id: foo-bar
    kind: service
    status: retired
    retired_at: 2026-01-15
    owner: team-a
    aliases: [\"arn:aws:iam::xxxxxxxxxxxx:user/foo.bar\"]
  - id: task-runner
    kind: workload
    status: active
    owner: team-a
    aliases: [\"arn:aws:iam::123456789012:role/task-execution-role\"]
  - id: ec2-fleet
    kind: workload
    status: retired
    retired_at: 2026-02-01
    owner: team-a
    aliases: [\"arn:aws:iam::123456789012:role/ec2\"]
teams:
  - id: team-a
";

/// A real state: `for_each` keys and `count` indices in the addresses, a role two modules
/// down, and a role known only by name, whose ARN the account of the state's other ARNs gives.
#[test]
fn a_real_state_keeps_its_users_roles_and_attachments() {
    let dir = configuration(
        &["tfstate-lookup_terraform.tfstate"],
        REGISTER_TFSTATE_LOOKUP,
    );
    let inventory = inventory(dir.path());
    assert_eq!(
        provisioned(&inventory),
        [
            (
                "aws_iam_role_policy_attachment.ec2[0]",
                "arn:aws:iam::123456789012:role/ec2"
            ),
            (
                "aws_iam_role_policy_attachment.ec2[1]",
                "arn:aws:iam::123456789012:role/ec2"
            ),
            (
                "aws_iam_user.user[\"me\"]",
                "arn:aws:iam::xxxxxxxxxxxx:user/me"
            ),
            (
                "aws_iam_user.users[\"foo.bar\"]",
                "arn:aws:iam::xxxxxxxxxxxx:user/foo.bar"
            ),
            (
                "aws_iam_user.users[\"hoge.fuga\"]",
                "arn:aws:iam::xxxxxxxxxxxx:user/hoge.fuga"
            ),
            (
                "module.webapp.module.ecs_task_roles.aws_iam_role.task_execution_role",
                "arn:aws:iam::123456789012:role/task-execution-role"
            ),
        ]
        .map(|(a, h)| (a.to_string(), "keep".to_string(), h.to_string()))
    );
    let source = &inventory["sources"][1];
    assert_eq!(source["format"], "terraform/state");
    assert_eq!(source["records"], 6);
    assert!(source.get("warnings").is_none(), "{source}");

    let (report, code) = scan_json(dir.path(), &[]);
    assert_eq!(code, 1);
    let file = dir.path().join("tfstate-lookup_terraform.tfstate");
    let dpv011 = findings_of(&report, "DPV011");
    let lines: Vec<(&str, u64)> = dpv011.iter().map(|f| (f.0.as_str(), f.2)).collect();
    // The user's line is its `for_each` key; the attachments', their `count` indices.
    assert_eq!(
        lines,
        vec![
            ("ec2-fleet", line_of(&file, "\"index_key\": 0")),
            ("ec2-fleet", line_of(&file, "\"index_key\": 1")),
            ("foo-bar", line_of(&file, "\"index_key\": \"foo.bar\"")),
        ]
    );
    assert!(
        dpv011[2].3.contains(
            "aws_iam_user.users[\"foo.bar\"] keeps IAM user foo.bar; the next apply restores"
        ),
        "{}",
        dpv011[2].3
    );
    assert_eq!(report["skipped"], Value::Array(Vec::new()));
}

/// A real plan that keeps (`no-op`) a role, its inline policy and its attachments: all of them
/// are provisioned for the next apply; and one that `create`s a role in a nested module.
#[test]
fn real_plans_keep_and_create() {
    let dir = configuration(
        &["tfcompliance_issue-522_plan.json"],
        "identities:
  - id: lambda-legacy
    kind: workload
    status: retired
    retired_at: 2026-01-01
    owner: team-a
    aliases: [\"arn:aws:iam::553479592532:role/terraform-20210620041514555500000001\"]
teams:
  - id: team-a
",
    );
    let (report, _) = scan_json(dir.path(), &[]);
    let dpv011 = findings_of(&report, "DPV011");
    assert_eq!(dpv011.len(), 4, "{dpv011:#?}");
    assert!(dpv011.iter().all(|f| f.0 == "lambda-legacy" && f.2 == 1));
    assert!(
        dpv011.iter().any(|f| f
            .3
            .contains("aws_iam_role.lambda_execution_role keeps IAM role")),
        "{dpv011:#?}"
    );

    let dir = configuration(
        &["tfcompliance_nested-modules_plan.json"],
        "identities:
  - id: apigw-logs
    kind: service
    status: retired
    retired_at: 2026-01-01
    owner: team-a
    aliases: [\"arn:aws:iam::740863752284:role/cc-testapi-logs-eu-west-1\"]
teams:
  - id: team-a
",
    );
    let (report, _) = scan_json(dir.path(), &[]);
    let messages: Vec<String> = findings_of(&report, "DPV011")
        .into_iter()
        .map(|f| f.3)
        .collect();
    assert_eq!(messages.len(), 2, "{messages:#?}");
    assert!(messages.iter().all(|m| m
        .contains("module.apigw_test_1.module.api_gw_log_role.aws_iam_role")
        && m.contains(" creates ")));
}

/// `terraform show -json` of a state and the state itself: their sensitive output is a secret
/// of the file, withheld, and they provision nothing deprov reads (`null_resource`s).
#[test]
fn sensitive_outputs_of_real_states_are_secrets_of_the_file() {
    for sample in [
        "terraform-json_sensitive_values.tfstate",
        "terraform-json_sensitive_values_show-state.json",
    ] {
        let dir = configuration(
            &[sample],
            "identities: []\npeople:\n  - id: p@example.com\n    status: active\n",
        );
        let (report, _) = scan_json(dir.path(), &[]);
        let leaks: Vec<&Value> = report["findings"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|f| f["rule"] == "LEAK001")
            .collect();
        assert_eq!(leaks.len(), 1, "{sample}: {leaks:#?}");
        assert_eq!(
            leaks[0]["secret"]["detector"],
            "export/terraform-sensitive-output"
        );
        assert_eq!(leaks[0]["secret"]["withheld"], "in-export");
        assert_eq!(report["skipped"], Value::Array(Vec::new()));
        let source = report["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["path"] == sample)
            .unwrap();
        assert_eq!(source["records"], 0);
    }
}

/// The example organisation's state still provisions the retired `ci-legacy`: its user, its
/// access key (the one AWS still has active) and its policy attachment, and holds the key's
/// secret; the active `deploy-bot` it also manages is no finding.
#[test]
fn the_example_organisation_still_provisions_ci_legacy() {
    let (report, _) = scan_json(&testdata("example-org"), &[]);
    let path = "terraform/ci/terraform.tfstate";
    let file = testdata(&format!("example-org/{path}"));
    let dpv011 = findings_of(&report, "DPV011");
    assert!(!dpv011.is_empty());
    assert!(dpv011.iter().all(|f| f.0 == "ci-legacy" && f.1 == path));
    let key = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "DPV011" && f["credential"] == "AKIA5CILEGACY2ACCESS")
        .expect("the access key the state keeps");
    assert_eq!(
        key["evidence"]["line"],
        line_of(&file, "\"name\": \"deploy\"")
    );
    assert!(key["message"]
        .as_str()
        .unwrap()
        .contains("module.ci.aws_iam_access_key.deploy keeps access key AKIA5CILEGACY2ACCESS"));
    // The key's secret in the state: a secret of the file, attributed to the key.
    let leak = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["rule"] == "DPV004"
                && f["secret"]["detector"] == "export/terraform-secret-attribute"
                && f["evidence"]["path"] == path
                && f["credential"] == "AKIA5CILEGACY2ACCESS"
        })
        .expect("the state's secret is a finding");
    assert_eq!(
        leak["evidence"]["line"],
        line_of(&file, "\"secret\": \"U8JZ")
    );
    assert_eq!(leak["severity"], "critical");
    assert!(!rules_of(&report).is_empty());
    assert!(!findings_of(&report, "DPV011")
        .iter()
        .any(|f| f.0 == "deploy-bot"));

    let output = deprov()
        .args(["verify", "ci-legacy"])
        .arg(testdata("example-org"))
        .args(["--now", NOW, "--format", "json"])
        .output()
        .unwrap();
    let checklist: Value = serde_json::from_slice(&output.stdout).unwrap();
    let provisioned: Vec<&str> = checklist["items"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|i| i["kind"] == "provisioned")
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert!(
        provisioned.contains(&"module.ci.aws_iam_access_key.deploy"),
        "{provisioned:?}"
    );
}

/// Hand-made edge cases: a plan that destroys the retired user and key (the offboarding done
/// in code) and creates a new key for an active user; a state and a plan of one configuration
/// that disagree; a state whose access key names its user only, with the account from
/// `data.aws_caller_identity`; an old state format; a broken state.
#[test]
fn edge_cases_of_states_and_plans() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("register.yaml"),
        "identities:
  - id: old-ci
    kind: service
    status: retired
    retired_at: 2026-01-01
    owner: team-a
    aliases: [\"arn:aws:iam::111122223333:user/old-ci\"]
  - id: new-ci
    kind: service
    status: active
    owner: team-a
    aliases: [\"arn:aws:iam::111122223333:user/new-ci\"]
teams:
  - id: team-a
",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("ci")).unwrap();
    // The state keeps old-ci's key; the plan beside it destroys it: read as kept, with a
    // warning naming both files.
    std::fs::write(
        root.join("ci/terraform.tfstate"),
        r#"{
  "version": 4, "terraform_version": "1.6.0", "serial": 2, "lineage": "l-1",
  "outputs": {},
  "resources": [
    {"mode": "data", "type": "aws_caller_identity", "name": "current",
     "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
     "instances": [{"schema_version": 0, "attributes": {"account_id": "111122223333", "arn": "arn:aws:sts::111122223333:assumed-role/ci/s", "id": "111122223333", "user_id": "AROA:s"}, "sensitive_attributes": []}]},
    {"mode": "managed", "type": "aws_iam_access_key", "name": "old",
     "provider": "provider[\"registry.terraform.io/hashicorp/aws\"]",
     "instances": [{"schema_version": 0, "attributes": {"id": "AKIA5OLDCIEDGECASE01", "user": "old-ci", "status": "Active", "secret": null}, "sensitive_attributes": []}]}
  ]
}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("ci/plan.json"),
        r#"{"format_version": "1.2", "terraform_version": "1.6.0", "planned_values": {"root_module": {}},
 "resource_changes": [
  {"address": "aws_iam_access_key.old", "mode": "managed", "type": "aws_iam_access_key", "name": "old",
   "change": {"actions": ["delete"], "before": {"id": "AKIA5OLDCIEDGECASE01", "user": "old-ci", "status": "Active"}, "after": null, "before_sensitive": {}, "after_sensitive": false}},
  {"address": "aws_iam_access_key.new", "mode": "managed", "type": "aws_iam_access_key", "name": "new",
   "change": {"actions": ["create"], "before": null, "after": {"user": "new-ci", "pgp_key": null}, "after_unknown": {"id": true, "secret": true}, "before_sensitive": false, "after_sensitive": {"secret": true}}}
 ]}"#,
    )
    .unwrap();
    // Another configuration: a plan that only destroys old-ci's user.
    std::fs::create_dir_all(root.join("retire")).unwrap();
    std::fs::write(
        root.join("retire/plan.json"),
        r#"{"format_version": "1.2", "resource_changes": [
  {"address": "aws_iam_user.old", "mode": "managed", "type": "aws_iam_user", "name": "old",
   "change": {"actions": ["delete"], "before": {"name": "old-ci", "arn": "arn:aws:iam::111122223333:user/old-ci"}, "after": null}}]}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("old.tfstate"),
        r#"{"version": 3, "terraform_version": "0.11.14", "serial": 1, "lineage": "l-0", "modules": []}"#,
    )
    .unwrap();
    std::fs::write(
        root.join("broken.tfstate"),
        r#"{"version": 4, "terraform_version": "1.6.0", "serial": 1, "lineage": "l", "resources": [{"type": 7}]}"#,
    )
    .unwrap();

    let (report, code) = scan_json(root, &[]);
    assert_eq!(code, 2, "two files could not be read: an incomplete run");
    let dpv011 = findings_of(&report, "DPV011");
    assert_eq!(dpv011.len(), 1, "{dpv011:#?}");
    assert_eq!(dpv011[0].0, "old-ci");
    assert_eq!(dpv011[0].1, "ci/terraform.tfstate");
    let warnings = |path: &str| -> String {
        report["sources"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["path"] == path)
            .unwrap()["warnings"]
            .to_string()
    };
    assert!(
        warnings("ci/plan.json").contains("kept by ci/terraform.tfstate, removed by ci/plan.json"),
        "{}",
        warnings("ci/plan.json")
    );
    assert!(warnings("ci/terraform.tfstate").contains("read as kept"));
    let skipped: Vec<(&str, &str)> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["reason"].as_str().unwrap()))
        .collect();
    assert_eq!(skipped.len(), 2, "{skipped:?}");
    assert!(skipped
        .iter()
        .any(|(p, r)| *p == "old.tfstate" && r.contains("state format version 3")));
    assert!(
        skipped
            .iter()
            .any(|(p, r)| *p == "broken.tfstate" && r.contains("invalid state")),
        "{skipped:?}"
    );

    // The plan's new key for the active new-ci, joined by the account the state names.
    let inventory = {
        let output = deprov()
            .arg("inventory")
            .arg(root)
            .args(["--format", "json", "--allow-incomplete"])
            .output()
            .unwrap();
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    let new_ci = inventory["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == "new-ci")
        .unwrap();
    assert_eq!(new_ci["provisioned"][0]["change"], "create");
    assert_eq!(
        new_ci["provisioned"][0]["what"],
        "a new access key of IAM user new-ci"
    );
}

/// HCL that still names a retired identity is DPV008 (a reference in configuration), in `.tf`
/// and `.tfvars` files alike, at the line that names it; a name that only starts the same is
/// not the identity.
#[test]
fn terraform_configuration_that_names_a_retired_identity_is_dpv008() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("register.yaml"),
        "identities:
  - id: ci-deployer
    kind: workload
    status: retired
    retired_at: 2026-06-01
    owner: team-a
    aliases:
      - arn:aws:iam::111122223333:role/ci-deployer
      - ci-deployer@example-prod.iam.gserviceaccount.com
teams:
  - id: team-a
",
    )
    .unwrap();
    std::fs::create_dir_all(root.join("infra")).unwrap();
    std::fs::write(
        root.join("infra/main.tf"),
        "resource \"aws_iam_role_policy_attachment\" \"deploy\" {\n  role       = \"arn:aws:iam::111122223333:role/ci-deployer\"\n  policy_arn = \"arn:aws:iam::aws:policy/ReadOnlyAccess\"\n}\n",
    )
    .unwrap();
    std::fs::write(
        root.join("infra/prod.tfvars"),
        "region = \"europe-west1\"\ndeployer = \"ci-deployer@example-prod.iam.gserviceaccount.com\"\nsuccessor = \"arn:aws:iam::111122223333:role/ci-deployer-v2\"\n",
    )
    .unwrap();
    let (report, _) = scan_json(root, &[]);
    let mut found: Vec<(String, u64)> = findings_of(&report, "DPV008")
        .into_iter()
        .map(|f| (f.1, f.2))
        .collect();
    found.sort();
    assert_eq!(
        found,
        vec![
            ("infra/main.tf".to_string(), 2),
            ("infra/prod.tfvars".to_string(), 2)
        ]
    );
}
