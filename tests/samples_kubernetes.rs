//! Kubernetes exports: the real samples (testdata/samples/kubernetes), the example org's cluster
//! dump, the dangling-binding rule (DPV005) and malformed input, through the built binary.

mod common;

use std::path::Path;

use common::{deprov, rules_of, scan_json, testdata, NOW};
use serde_json::Value;

fn run_json(args: &[&str]) -> Value {
    let output = deprov().args(args).output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); stderr: {stderr}"))
}

fn inventory(path: &Path, extra: &[&str]) -> Value {
    let path = path.to_str().unwrap();
    run_json(&[&["inventory", path, "--format", "json"], extra].concat())
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

fn warnings_of(inv: &Value, path: &str) -> Vec<String> {
    source(inv, path)["warnings"]
        .as_array()
        .map(|w| w.iter().map(|m| m.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
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

fn findings_of<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

fn write(dir: &Path, rel: &str, content: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

#[test]
fn every_kubernetes_sample_parses() {
    let inv = inventory(&testdata("samples/kubernetes"), &[]);
    assert_eq!(inv["skipped"], serde_json::json!([]));
    assert_eq!(
        source(&inv, "regolibrary_serviceaccount_list.json")["format"],
        "kubernetes/list"
    );
    assert_eq!(
        source(&inv, "regolibrary_clusterrolebinding.json")["format"],
        "kubernetes/cluster-role-bindings"
    );

    let sa = identity(&inv, "system:serviceaccount:test:not-default");
    let account = &sa["accounts"][0];
    assert_eq!(account["kind"], "workload");
    assert_eq!(account["state"], "enabled");
    assert_eq!(account["created"], "2022-01-10T06:48:02Z");
    assert_eq!(account["system"]["name"], "cluster");
    assert_eq!(
        account["aliases"],
        serde_json::json!(["879c8006-85e6-4ce8-bea8-df452a3dfe12"])
    );

    // The ClusterRoleBinding's ServiceAccount subject: namespace n1 is not listed, so it cannot
    // be judged dangling, and the file says so.
    let default_n1 = identity(&inv, "system:serviceaccount:n1:default");
    let grant = &default_n1["grants"][0];
    assert_eq!(
        grant["privilege"],
        "ClusterRole/test via ClusterRoleBinding/read-secrets-global"
    );
    assert_eq!(grant["holder_kind"], "workload");
    assert_eq!(grant["dangling"], false);
    let group = identity(&inv, "dev");
    assert_eq!(group["kind"], "group");
    assert_eq!(group["grants"][0]["holder_kind"], "group");
    let warnings = warnings_of(&inv, "regolibrary_clusterrolebinding.json");
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("namespace(s) n1") && w.contains("not judged dangling")),
        "{warnings:?}"
    );
}

#[test]
fn example_org_cluster_inventory() {
    let register = testdata("example-org/register.yaml");
    let inv = inventory(
        &testdata("example-org/kubernetes"),
        &["--register", register.to_str().unwrap()],
    );
    assert_eq!(inv["skipped"], serde_json::json!([]));
    for file in ["serviceaccounts.json", "secrets.json", "rolebindings.json"] {
        assert_eq!(source(&inv, file)["format"], "kubernetes/list", "{file}");
    }
    assert_eq!(source(&inv, "serviceaccounts.json")["records"], 7);
    // Two token Secrets; the Opaque one holds no credential record, but it was exported with
    // its data, so it is a leak of the export (a finding, not a warning).
    assert_eq!(source(&inv, "secrets.json")["records"], 2);
    assert!(warnings_of(&inv, "secrets.json").is_empty());
    assert!(warnings_of(&inv, "rolebindings.json").is_empty());

    let ci_legacy = identity(&inv, "ci-legacy");
    assert_eq!(ci_legacy["lifecycle"], "retired");
    let token = credential(ci_legacy, "ci/ci-legacy-token");
    assert_eq!(token["kind"], "token");
    assert_eq!(token["holder"], "system:serviceaccount:ci:ci-legacy");
    assert_eq!(token["status"], "active");
    assert_eq!(token["created"], "2024-03-01T09:30:12Z");
    assert_eq!(token["last_used"]["at"], "2026-04-02T00:00:00Z");
    assert_eq!(token["expires"]["kind"], "never");
    assert!(token.get("last_rotated").is_none());
    assert_eq!(
        ci_legacy["grants"][0]["privilege"],
        "ClusterRole/edit via RoleBinding/ci/deployer"
    );

    let frontend = identity(&inv, "web-frontend");
    let token = credential(frontend, "web/frontend-token");
    assert_eq!(token["last_used"]["at"], "2026-11-24T00:00:00Z");
    let privileges: Vec<&str> = frontend["grants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["privilege"].as_str().unwrap())
        .collect();
    assert_eq!(
        privileges,
        vec!["ClusterRole/view via ClusterRoleBinding/web-readers"]
    );

    // The binding to a ServiceAccount that the listed namespace no longer has.
    let old_cron = identity(&inv, "system:serviceaccount:batch:old-cron");
    assert_eq!(old_cron["state"], "deleted");
    let grant = &old_cron["grants"][0];
    assert_eq!(
        grant["privilege"],
        "Role/report-reader via RoleBinding/batch/old-cron-reader"
    );
    assert_eq!(grant["dangling"], true);

    // Owners from the `owner` label and annotation.
    assert_eq!(
        identity(&inv, "system:serviceaccount:ci:builder")["owner"],
        "platform-team"
    );
    assert_eq!(
        identity(&inv, "system:serviceaccount:batch:report-cron")["owner"],
        "carol@example.com"
    );
    assert_eq!(
        identity(&inv, "system:serviceaccounts:web")["kind"],
        "group"
    );
    assert_eq!(identity(&inv, "system:masters")["kind"], "group");
}

#[test]
fn example_org_cluster_gaps() {
    let register = testdata("example-org/register.yaml");
    let (report, code) = scan_json(
        &testdata("example-org/kubernetes"),
        &["--register", register.to_str().unwrap()],
    );
    assert_eq!(code, 1);
    assert_eq!(report["skipped"], serde_json::json!([]));
    assert_eq!(
        rules_of_credential(&report, "ci/ci-legacy-token"),
        // DPV004: the export holds the token's data.
        vec!["DPV001", "DPV004", "DPV007", "STL001", "STL004"]
    );
    assert_eq!(
        rules_of_credential(&report, "web/frontend-token"),
        // LEAK002: an active identity's token, exported with its data.
        vec!["LEAK002", "STL004"]
    );

    let dpv002 = findings_of(&report, "DPV002");
    assert_eq!(dpv002.len(), 1);
    assert_eq!(dpv002[0]["identity"], "ci-legacy");
    assert_eq!(dpv002[0]["evidence"]["path"], "rolebindings.json");

    let dpv005 = findings_of(&report, "DPV005");
    assert_eq!(dpv005.len(), 1);
    assert_eq!(
        dpv005[0]["identity"],
        "system:serviceaccount:batch:old-cron"
    );
    // Located by the binding's uid.
    assert_eq!(dpv005[0]["evidence"]["line"], 12);

    let mut unregistered: Vec<&str> = findings_of(&report, "INV001")
        .iter()
        .map(|f| f["identity"].as_str().unwrap())
        .collect();
    unregistered.sort();
    // The namespaces' `default` accounts are the platform's: not INV001.
    assert_eq!(
        unregistered,
        vec![
            "system:serviceaccount:batch:report-cron",
            "system:serviceaccount:ci:builder",
        ]
    );
    // The token finding points at the Secret in its file.
    let dpv001 = findings_of(&report, "DPV001");
    assert_eq!(dpv001[0]["evidence"]["path"], "secrets.json");
    assert_eq!(dpv001[0]["evidence"]["line"], 24);
}

const SA_LIST_BATCH: &str = r#"{"apiVersion":"v1","kind":"List","metadata":{"resourceVersion":""},"items":[
  {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"default","namespace":"batch",
   "uid":"0b7c9e7e-6d3e-4c84-9d0a-1f6f3c2b9a11","creationTimestamp":"2022-05-10T08:14:03Z"}}]}"#;

const ROLE_BINDING_OLD_CRON: &str = r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding",
  "metadata":{"name":"old-cron-reader","namespace":"batch"},
  "roleRef":{"apiGroup":"rbac.authorization.k8s.io","kind":"Role","name":"report-reader"},
  "subjects":[{"kind":"ServiceAccount","name":"old-cron"}]}"#;

#[test]
fn dangling_binding_fires_dpv005_only_in_a_listed_namespace() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sa.json", SA_LIST_BATCH);
    write(dir.path(), "rb.json", ROLE_BINDING_OLD_CRON);
    let (report, _) = scan_json(dir.path(), &["--without-register"]);
    assert_eq!(report["skipped"], serde_json::json!([]));
    let dpv005 = findings_of(&report, "DPV005");
    assert_eq!(dpv005.len(), 1, "{}", report["findings"]);
    assert_eq!(
        dpv005[0]["identity"],
        "system:serviceaccount:batch:old-cron"
    );
    assert_eq!(dpv005[0]["evidence"]["path"], "rb.json");
    // A deleted ServiceAccount is not an unregistered one.
    assert!(!findings_of(&report, "INV001")
        .iter()
        .any(|f| f["identity"] == "system:serviceaccount:batch:old-cron"));

    // Without the namespace's ServiceAccounts, existence cannot be decided.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "rb.json", ROLE_BINDING_OLD_CRON);
    let (report, _) = scan_json(dir.path(), &[]);
    assert!(!rules_of(&report).contains(&"DPV005".to_string()));
    let warnings = &report["sources"][0]["warnings"];
    assert!(
        warnings.to_string().contains("namespace(s) batch"),
        "{warnings}"
    );
}

#[test]
fn orphaned_tokens_are_inactive_with_the_reason() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sa.json", SA_LIST_BATCH);
    write(
        dir.path(),
        "secrets.json",
        r#"{"apiVersion":"v1","kind":"SecretList","metadata":{},"items":[
  {"metadata":{"name":"default-token-old","namespace":"batch","creationTimestamp":"2021-01-04T10:00:00Z",
   "annotations":{"kubernetes.io/service-account.name":"default",
                  "kubernetes.io/service-account.uid":"9d2f0c55-0000-4000-8000-000000000000"}},
   "type":"kubernetes.io/service-account-token"},
  {"metadata":{"name":"gone-token","namespace":"batch","creationTimestamp":"2021-01-04T10:00:00Z",
   "annotations":{"kubernetes.io/service-account.name":"gone"},
   "labels":{"kubernetes.io/legacy-token-invalid-since":"2025-02-01"}},
   "type":"kubernetes.io/service-account-token"}]}"#,
    );
    let inv = inventory(dir.path(), &[]);
    assert_eq!(source(&inv, "secrets.json")["format"], "kubernetes/secrets");
    let default = identity(&inv, "system:serviceaccount:batch:default");
    let token = credential(default, "batch/default-token-old");
    assert_eq!(token["status"], "inactive");
    let detail = token["evidence"]["detail"].as_str().unwrap();
    assert!(detail.contains("re-created"), "{detail}");
    let gone = identity(&inv, "system:serviceaccount:batch:gone");
    assert_eq!(gone["state"], "deleted");
    let token = credential(gone, "batch/gone-token");
    assert_eq!(token["status"], "inactive");
    let detail = token["evidence"]["detail"].as_str().unwrap();
    assert!(
        detail.contains("legacy token cleaner since 2025-02-01"),
        "{detail}"
    );
    let warnings = warnings_of(&inv, "secrets.json");
    assert_eq!(
        warnings
            .iter()
            .filter(|w| w.contains("is orphaned"))
            .count(),
        2,
        "{warnings:?}"
    );
}

#[test]
fn token_data_never_reaches_an_output() {
    const PLANTED: &str = "ZXlKaGJHY2lPaUpTVXpJMU5pSXNJbXRwWkNJNklsQk1RVTVVUlVRaWZRLlBMQU5URUQ=";
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "sa.json", SA_LIST_BATCH);
    write(
        dir.path(),
        "secret.json",
        &format!(
            r#"{{"apiVersion":"v1","kind":"Secret","type":"kubernetes.io/service-account-token",
  "data":{{"token":"{PLANTED}","ca.crt":"{PLANTED}"}},
  "metadata":{{"name":"default-token","namespace":"batch","creationTimestamp":"2021-01-04T10:00:00Z",
   "annotations":{{"kubernetes.io/service-account.name":"default"}}}}}}"#
        ),
    );
    for args in [
        vec!["scan", ".", "--now", NOW, "--format", "json"],
        vec!["scan", ".", "--now", NOW, "--format", "text"],
        vec!["inventory", ".", "--format", "json"],
        vec!["inventory", ".", "--format", "text"],
    ] {
        let output = deprov()
            .current_dir(dir.path())
            .args(&args)
            .output()
            .unwrap();
        let stdout = String::from_utf8_lossy(&output.stdout);
        assert!(stdout.contains("batch/default-token"), "{args:?}: {stdout}");
        assert!(
            !stdout.contains("PLANTED") && !stdout.contains(PLANTED),
            "{args:?}"
        );
        assert!(!String::from_utf8_lossy(&output.stderr).contains(PLANTED));
    }
}

#[test]
fn malformed_exports_are_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    // Truncated mid-item.
    let truncated = &SA_LIST_BATCH[..SA_LIST_BATCH.len() / 2];
    write(dir.path(), "truncated.json", truncated);
    // A name that is a number, on line 3.
    write(
        dir.path(),
        "wrong-type.json",
        "{\"apiVersion\":\"v1\",\"kind\":\"List\",\"items\":[\n{\"kind\":\"ServiceAccount\",\n\"metadata\":{\"name\":42,\"namespace\":\"ci\"}}]}",
    );
    // Items that are not a list.
    write(
        dir.path(),
        "items-object.json",
        r#"{"apiVersion":"v1","kind":"ServiceAccountList","items":{"name":"x"}}"#,
    );
    // Subjects that are not objects.
    write(
        dir.path(),
        "subjects.json",
        r#"{"apiVersion":"rbac.authorization.k8s.io/v1","kind":"ClusterRoleBinding","metadata":{"name":"b"},"roleRef":{"kind":"ClusterRole","name":"view"},"subjects":["system:anonymous"]}"#,
    );
    let (report, _) = scan_json(dir.path(), &[]);
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
    let reason = |path: &str| {
        skipped
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, r)| r.as_str())
            .unwrap_or_else(|| panic!("{path} not skipped: {skipped:?}"))
    };
    // Cut before it says what it is: a `.json` file that holds no JSON, and a gap.
    let truncated = reason("truncated.json");
    assert!(
        truncated.starts_with("a .json file that holds no JSON (not valid JSON"),
        "{truncated}"
    );
    let wrong = reason("wrong-type.json");
    assert!(
        wrong.starts_with("kubernetes/list: invalid list"),
        "{wrong}"
    );
    assert!(
        wrong.contains("expected a string") && wrong.contains("line 3"),
        "{wrong}"
    );
    assert!(reason("items-object.json").starts_with("kubernetes/service-accounts: invalid"));
    assert!(reason("subjects.json").starts_with("kubernetes/cluster-role-bindings: invalid"));
    assert_eq!(skipped.len(), 4);
}

#[test]
fn odd_but_readable_objects_are_warnings() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "list.json",
        r#"{"apiVersion":"v1","kind":"List","items":[
  {"apiVersion":"v1","kind":"Secret","type":"kubernetes.io/service-account-token",
   "metadata":{"name":"nameless","namespace":"ci","creationTimestamp":"yesterday"}},
  {"apiVersion":"v1","kind":"ServiceAccount","metadata":{"name":"sa","namespace":"ci","creationTimestamp":"not a date"}},
  {"apiVersion":"rbac.authorization.k8s.io/v1","kind":"RoleBinding","metadata":{"name":"norole","namespace":"ci"},"subjects":null},
  {"apiVersion":"v1","kind":"Pod","metadata":{"name":"p","namespace":"ci"}}
]}"#,
    );
    let inv = inventory(dir.path(), &[]);
    assert_eq!(inv["skipped"], serde_json::json!([]));
    let warnings = warnings_of(&inv, "list.json").join("\n");
    for expected in [
        "token Secret ci/nameless has no kubernetes.io/service-account.name annotation",
        "ServiceAccount ci/sa creationTimestamp: `not a date`",
        "RoleBinding/ci/norole has no roleRef",
        "1 item(s) of other kinds (Pod ×1)",
    ] {
        assert!(warnings.contains(expected), "{expected} not in {warnings}");
    }
    let sa = identity(&inv, "system:serviceaccount:ci:sa");
    assert!(sa["accounts"][0].get("created").is_none());
}
