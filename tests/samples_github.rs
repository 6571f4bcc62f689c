//! GitHub exports: the real samples (testdata/samples/github), the example org's PAT grants,
//! deploy keys and app installations, register joins and malformed input, through the built
//! binary.

mod common;

use std::path::Path;

use common::{deprov, scan_json, testdata};
use serde_json::{json, Value};

fn inventory(path: &Path, extra: &[&str]) -> Value {
    let output = deprov()
        .args(
            [
                &["inventory", path.to_str().unwrap(), "--format", "json"],
                extra,
            ]
            .concat(),
        )
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); stderr: {stderr}"))
}

fn identity<'a>(inv: &'a Value, id: &str) -> &'a Value {
    inv["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in inventory"))
}

fn source<'a>(inv: &'a Value, path: &str) -> &'a Value {
    inv["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in sources: {}", inv["sources"]))
}

fn credential<'a>(identity: &'a Value, id: &str) -> &'a Value {
    identity["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("{id} not among {}", identity["credentials"]))
}

/// Rule codes of the findings about one credential.
fn rules_of_credential(report: &Value, credential: &str) -> Vec<String> {
    let mut rules: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["credential"] == credential)
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    rules.sort();
    rules
}

/// Rule codes of the findings about one identity.
fn rules_of_identity(report: &Value, identity: &str) -> Vec<String> {
    let mut rules: Vec<String> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["identity"] == identity)
        .map(|f| f["rule"].as_str().unwrap().to_string())
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

fn write(dir: &Path, rel: &str, content: &str) {
    std::fs::write(dir.join(rel), content).unwrap();
}

const JENKINS_KEY_SHA256: &str =
    "sha256:e324d224844442c8f63bdbf60838ef16bbcb167a54de54a948e27d6e840af91c";

#[test]
fn every_github_sample_parses() {
    let inv = inventory(&testdata("samples/github"), &[]);
    assert_eq!(inv["skipped"], json!([]));
    assert_eq!(
        source(&inv, "ghdocs_list_deploy_keys.json")["format"],
        "github/deploy-keys"
    );
    assert_eq!(
        source(&inv, "gogithub_org_fine_grained_pats_list.json")["format"],
        "github/fine-grained-pats"
    );
    assert_eq!(
        source(&inv, "gogithub_app_installations_list.json")["format"],
        "github/app-installations"
    );

    // The docs' deploy key: its `AAA...` placeholder has no fingerprint.
    let key = identity(&inv, "github:deploy-key:octocat/Hello-World:1");
    assert_eq!(key["kind"], "service");
    assert_eq!(key["owner"], "octocat");
    assert_eq!(
        key["aliases"],
        json!(["github:deploy-key:octocat/Hello-World:1"])
    );
    assert_eq!(key["accounts"][0]["display_name"], "octocat@octomac");
    assert_eq!(key["accounts"][0]["created"], "2014-12-10T15:53:42Z");
    let deploy_key = credential(key, "deploy-key:octocat/Hello-World:1");
    assert_eq!(deploy_key["kind"], "deploy_key");
    assert_eq!(deploy_key["status"], "active");
    assert_eq!(deploy_key["last_used"]["at"], "2022-01-10T15:53:42Z");
    assert_eq!(deploy_key["expires"]["kind"], "not_applicable");
    assert_eq!(
        key["grants"][0]["privilege"],
        "repo:octocat/Hello-World (read)"
    );

    // The go-github PAT grant: no token_id, so the grant ID names it; `null` last use is never.
    let octocat = identity(&inv, "github:octocat");
    assert_eq!(octocat["kind"], "unknown");
    let pat = credential(octocat, "pat-grant:25381");
    assert_eq!(pat["kind"], "personal_access_token");
    assert_eq!(pat["holder"], "github:octocat");
    assert_eq!(pat["status"], "active");
    assert_eq!(pat["created"], "2006-01-02T05:00:00Z");
    assert_eq!(pat["last_used"]["kind"], "never");
    assert_eq!(pat["expires"]["at"], "2006-01-02T05:00:01Z");

    // The installation without slug or account.
    let app = identity(&inv, "github:app:1");
    let installation = credential(app, "installation:1");
    assert_eq!(installation["kind"], "app_installation");
    assert_eq!(installation["status"], "active");
    assert_eq!(installation["last_used"]["kind"], "unknown");
    assert_eq!(installation["created"], "2006-01-02T05:00:00Z");
    assert_eq!(
        app["grants"][0]["privilege"],
        "installation 1 on unknown-account (selected): issues=write,organization_administration=write,organization_custom_roles=write,organization_hooks=write,organization_packages=write,organization_pre_receive_hooks=write,organization_user_blocking=write,pull_requests=write,repository_hooks=write,single_file=write,statuses=write,workflows=write"
    );
    assert_eq!(
        source(&inv, "gogithub_app_installations_list.json")["warnings"],
        json!(["installation 1 names no account; recorded as unknown-account"])
    );
}

#[test]
fn example_org_github_inventory() {
    let register = testdata("example-org/register.yaml");
    let inv = inventory(
        &testdata("example-org/github"),
        &["--register", register.to_str().unwrap()],
    );
    assert_eq!(inv["skipped"], json!([]));
    // Two `gh api --paginate` pages back to back.
    assert_eq!(source(&inv, "fine-grained-pats.json")["records"], 3);
    assert_eq!(
        source(&inv, "installations.json")["format"],
        "github/app-installations"
    );

    let ci_legacy = identity(&inv, "ci-legacy");
    let pat = credential(ci_legacy, "pat:900211");
    assert_eq!(pat["holder"], "github:ci-legacy-bot");
    assert_eq!(pat["created"], "2025-01-15T10:22:31Z");
    assert_eq!(pat["last_used"]["at"], "2026-06-01T13:12:44Z");
    assert_eq!(pat["expires"]["kind"], "never");
    let bot = &ci_legacy["accounts"][0];
    assert_eq!(bot["native_id"], "github:ci-legacy-bot");
    assert_eq!(bot["kind"], "service");

    let release_bot = identity(&inv, "release-bot");
    let pat = credential(release_bot, "pat:901877");
    assert_eq!(pat["created"], "2026-09-01T16:05:17Z");
    assert_eq!(pat["last_used"]["kind"], "never");
    assert_eq!(pat["expires"]["at"], "2027-09-01T06:59:59Z");

    let dana = identity(&inv, "github:dana");
    assert_eq!(dana["registered"], false);
    assert_eq!(
        credential(dana, "pat:905512")["last_used"]["at"],
        "2026-11-18T23:40:02Z"
    );

    let jenkins = identity(&inv, "github:deploy-key:example-org/infra:81234567");
    assert!(jenkins["aliases"]
        .as_array()
        .unwrap()
        .contains(&json!(JENKINS_KEY_SHA256)));
    assert_eq!(jenkins["owner"], "alice-gh");
    assert_eq!(
        jenkins["grants"][0]["privilege"],
        "repo:example-org/infra (write)"
    );
    let argocd = identity(&inv, "github:deploy-key:example-org/infra:61990024");
    assert_eq!(
        argocd["grants"][0]["privilege"],
        "repo:example-org/infra (read)"
    );
    assert!(argocd["owner"].is_null());

    let renovate = identity(&inv, "github:app:renovate");
    assert!(renovate["aliases"]
        .as_array()
        .unwrap()
        .contains(&json!("github:app:2740")));
    assert_eq!(
        renovate["grants"][0]["privilege"],
        "installation 48811902 on example-org (all): checks=write,contents=write,issues=write,pull_requests=write,statuses=write,workflows=write"
    );
    let legacy_app = identity(&inv, "github:app:legacy-jenkins-ci");
    let installation = credential(legacy_app, "installation:15530471");
    assert_eq!(installation["status"], "inactive");
    assert!(installation["evidence"]["detail"]
        .as_str()
        .unwrap()
        .contains("suspended since 2026-03-02T09:14:00.000Z"));
}

#[test]
fn example_org_github_gaps() {
    let register = testdata("example-org/register.yaml");
    let (report, code) = scan_json(
        &testdata("example-org/github"),
        &["--register", register.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert_eq!(report["skipped"], json!([]));
    assert_eq!(
        rules_of_credential(&report, "pat:900211"),
        vec!["DPV001", "DPV007", "STL001", "STL004"]
    );
    assert_eq!(rules_of_credential(&report, "pat:901877"), vec!["STL002"]);
    assert!(rules_of_credential(&report, "pat:905512").is_empty());
    assert_eq!(rules_of_identity(&report, "github:dana"), vec!["INV001"]);
    assert_eq!(
        rules_of_credential(&report, "deploy-key:example-org/infra:81234567"),
        vec!["STL001"]
    );
    // The owner GitHub records (`added_by`) is not a person the register knows.
    assert_eq!(
        rules_of_identity(&report, "github:deploy-key:example-org/infra:81234567"),
        vec!["DPV006", "INV001", "STL001"]
    );
    assert_eq!(
        rules_of_identity(&report, "github:deploy-key:example-org/infra:61990024"),
        vec!["INV001"]
    );
    assert_eq!(
        rules_of_identity(&report, "github:app:renovate"),
        vec!["INV001"]
    );
    assert_eq!(
        rules_of_identity(&report, "github:app:legacy-jenkins-ci"),
        vec!["INV001"]
    );
    // Findings point at their line through a unique URL of the item.
    let stl001 = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| {
            f["rule"] == "STL001" && f["credential"] == "deploy-key:example-org/infra:81234567"
        })
        .unwrap();
    assert_eq!(stl001["evidence"]["path"], "deploy-keys.json");
    assert_eq!(stl001["evidence"]["line"], 5);
}

#[test]
fn a_register_alias_by_key_fingerprint_joins_the_deploy_key() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::copy(
        testdata("example-org/github/deploy-keys.json"),
        dir.path().join("deploy-keys.json"),
    )
    .unwrap();
    write(
        dir.path(),
        "register.yaml",
        &format!(
            "identities:\n  - id: jenkins-deploy-key\n    kind: service\n    status: retired\n    retired_at: 2026-03-01\n    owner: team-a\n    aliases: [\"{}\"]\nteams:\n  - id: team-a\n",
            JENKINS_KEY_SHA256.to_uppercase().replace("SHA256:", "sha256:")
        ),
    );
    let (report, _) = scan_json(dir.path(), &[]);
    assert_eq!(
        rules_of_identity(&report, "jenkins-deploy-key"),
        vec!["DPV001", "DPV002", "STL001"]
    );
}

#[test]
fn json_lines_and_empty_pages_read() {
    let dir = tempfile::tempdir().unwrap();
    // `gh api --paginate --jq '.[]'`: one key per line.
    write(
        dir.path(),
        "keys.jsonl",
        concat!(
            r#"{"id":5,"key":"ssh-rsa AAA...","url":"https://api.github.com/repos/o/r/keys/5","title":"a","created_at":"2025-01-01T00:00:00Z","read_only":true,"added_by":null,"last_used":null,"enabled":false}"#,
            "\n",
            r#"{"id":6,"key":"ssh-rsa AAA...","title":"b","created_at":"2025-01-01T00:00:00Z","read_only":false}"#,
            "\n"
        ),
    );
    write(
        dir.path(),
        "installations.json",
        r#"{"total_count":3,"installations":[{"id":9,"app_id":77,"app_slug":"ci","account":{"login":"o"},"permissions":{"contents":"read"},"repository_selection":"all","created_at":"2025-01-01T00:00:00Z","suspended_at":null}]}"#,
    );
    let inv = inventory(dir.path(), &[]);
    assert_eq!(inv["skipped"], json!([]));
    assert_eq!(source(&inv, "keys.jsonl")["format"], "github/deploy-keys");
    let disabled = identity(&inv, "github:deploy-key:o/r:5");
    assert_eq!(disabled["state"], "disabled");
    let key = credential(disabled, "deploy-key:o/r:5");
    assert_eq!(key["status"], "inactive");
    assert_eq!(key["last_used"]["kind"], "never");
    // No `url`: the repository is unknown; no `last_used` field: use is unknown.
    let unknown = identity(&inv, "github:deploy-key:unknown-repo:6");
    assert_eq!(
        credential(unknown, "deploy-key:unknown-repo:6")["last_used"]["kind"],
        "unknown"
    );
    assert_eq!(
        source(&inv, "keys.jsonl")["warnings"],
        json!(["deploy key 6: url does not name its repository; recorded under unknown-repo"])
    );
    let app = identity(&inv, "github:app:ci");
    assert_eq!(
        app["grants"][0]["privilege"],
        "installation 9 on o (all): read-only"
    );
    assert_eq!(
        source(&inv, "installations.json")["warnings"],
        json!(["holds 1 of 3 installations (total_count); include the other pages in the scan"])
    );
}

#[test]
fn malformed_exports_are_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let pats =
        std::fs::read_to_string(testdata("example-org/github/fine-grained-pats.json")).unwrap();
    // Cut in the second page: the first parses, the file as a whole does not.
    write(dir.path(), "truncated.json", &pats[..pats.len() - 200]);
    write(
        dir.path(),
        "wrong-type.json",
        "[\n  {\"id\": 1, \"key\": \"ssh-rsa AAA...\", \"read_only\": \"yes\"}\n]",
    );
    write(
        dir.path(),
        "page-of-objects.json",
        r#"[{"id":1,"key":"k","read_only":true}]{"id":2,"key":"k","read_only":true}"#,
    );
    write(
        dir.path(),
        "installations.json",
        r#"{"total_count":1,"installations":[{"id":"one","app_id":2}]}"#,
    );
    let (report, code) = scan_json(dir.path(), &[]);
    // Exports that cannot be read leave the run incomplete: exit 2, the report still written.
    assert_eq!(code, 2);
    assert_eq!(report["summary"]["incomplete"], true);
    let skipped = report["skipped"].as_array().unwrap();
    assert!(
        skipped.iter().all(|s| s["incomplete"] == true),
        "{skipped:?}"
    );
    let reason = |path: &str| {
        skipped
            .iter()
            .find(|s| s["path"] == path)
            .and_then(|s| s["reason"].as_str())
            .unwrap_or_else(|| panic!("{path} not skipped: {skipped:?}"))
    };
    // Cut short, it is still recognised by what could be read.
    assert!(
        reason("truncated.json").starts_with("github/fine-grained-pats: not valid JSON"),
        "{}",
        reason("truncated.json")
    );
    let wrong = reason("wrong-type.json");
    assert!(
        wrong.starts_with("github/deploy-keys: invalid deploy-keys"),
        "{wrong}"
    );
    assert!(
        wrong.contains("expected a boolean") && wrong.contains("line 2"),
        "{wrong}"
    );
    assert!(reason("page-of-objects.json").contains("expected a sequence"));
    assert!(reason("installations.json").starts_with("github/app-installations: invalid"));
    assert_eq!(skipped.len(), 4);
}

/// Issue 15: the older deploy-key list shape (`id, key, url, title, verified`; no `created_at` or
/// `read_only`, as GitHub's v3 documentation showed it until 2014) was read as plain text with no
/// record. It is read, access conservatively taken as write; a file shaped like an export that
/// matches no format is listed under `skipped` with the closest known shape.
#[test]
fn older_deploy_key_lists_are_read_and_near_misses_are_listed() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("keys.json"),
        r#"[
  {
    "id": 1,
    "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
    "url": "https://api.github.com/repos/octocat/Hello-World/keys/1",
    "title": "octocat@octomac",
    "verified": true
  }
]
"#,
    )
    .unwrap();
    // A list of keys of another shape: not read, and said so.
    std::fs::write(
        dir.path().join("other-keys.json"),
        r#"[{"key": "ssh-ed25519 AAAA", "title": "ci", "fingerprint": "SHA256:x"}]"#,
    )
    .unwrap();
    let inv = inventory(dir.path(), &[]);
    let read = source(&inv, "keys.json");
    assert_eq!(read["format"], "github/deploy-keys");
    assert_eq!(read["records"], 1);
    let key = identity(&inv, "github:deploy-key:octocat/Hello-World:1");
    assert!(key["grants"]
        .as_array()
        .unwrap()
        .iter()
        .any(|g| g["privilege"] == "repo:octocat/Hello-World (write)"));
    assert!(key["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a.as_str().unwrap().starts_with("sha256:")));
    let skipped = inv["skipped"].as_array().unwrap();
    assert_eq!(skipped.len(), 1, "{skipped:?}");
    assert_eq!(skipped[0]["path"], "other-keys.json");
    let reason = skipped[0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("closest known shape: github/deploy-keys (shares key, title;"),
        "{reason}"
    );
    // Not a gap: the run is complete, and the file was still scanned for secrets.
    assert!(skipped[0].get("incomplete").is_none());
    assert_eq!(source(&inv, "other-keys.json")["format"], "files/text");
}
