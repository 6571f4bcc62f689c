//! Vault / OpenBao: the real API samples (testdata/samples/vault), the example organisation's
//! export and audit log, exports in temporary directories (any mount, CLI and API forms, audit
//! joins), malformed input, and planted secrets that must never reach an output.

mod common;

use std::path::Path;

use common::{deprov, scan_json, testdata, NOW};
use serde_json::Value;

fn inventory(path: &Path) -> Value {
    let output = deprov()
        .arg("inventory")
        .arg(path)
        .args(["--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

fn identity<'a>(inv: &'a Value, id: &str) -> &'a Value {
    inv["identities"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["id"] == id)
        .unwrap_or_else(|| panic!("{id} not in inventory: {}", inv["identities"]))
}

/// A credential by native ID, with the identity it was joined to.
fn credential<'a>(inv: &'a Value, id: &str) -> (&'a Value, &'a Value) {
    for identity in inv["identities"].as_array().unwrap() {
        for credential in identity["credentials"].as_array().unwrap() {
            if credential["id"] == id {
                return (identity, credential);
            }
        }
    }
    panic!("credential {id} not in inventory")
}

fn source<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == path)
        .unwrap_or_else(|| panic!("{path} not in sources: {}", report["sources"]))
}

fn warnings(report: &Value, path: &str) -> Vec<String> {
    source(report, path)["warnings"]
        .as_array()
        .map(|w| w.iter().map(|s| s.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

fn write(dir: &Path, rel: &str, content: &str) {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(path, content).unwrap();
}

/// Findings of one rule as (identity, credential) pairs.
fn findings_of(report: &Value, rule: &str) -> Vec<(String, String)> {
    let mut found: Vec<(String, String)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .map(|f| {
            (
                f["identity"].as_str().unwrap_or_default().to_string(),
                f["credential"].as_str().unwrap_or_default().to_string(),
            )
        })
        .collect();
    found.sort();
    found
}

#[test]
fn every_vault_sample_parses_with_its_values() {
    let inv = inventory(&testdata("samples/vault"));
    assert!(
        inv["skipped"].as_array().unwrap().is_empty(),
        "{}",
        inv["skipped"]
    );
    let files = std::fs::read_dir(testdata("samples/vault"))
        .unwrap()
        .count();
    assert_eq!(inv["sources"].as_array().unwrap().len(), files);
    for (path, format) in [
        ("token_lookup.json", "vault/token-lookup"),
        ("token_lookup_accessor.json", "vault/token-lookup"),
        ("token_list_accessors.json", "vault/list"),
        ("approle_read_role.json", "vault/approle-role"),
        ("approle_list_secret_id_accessors.json", "vault/list"),
        (
            "approle_secret_id_accessor_lookup.json",
            "vault/secret-id-accessor",
        ),
        ("approle_login.json", "vault/login-response"),
        ("kv2_metadata.json", "vault/kv-metadata"),
        ("lease_lookup.json", "vault/lease"),
        ("lease_list.json", "vault/list"),
        ("pki_list_certs.json", "vault/list"),
        ("pki_read_cert.json", "vault/pki-certificate"),
        ("audit_request_datadog_sample.json", "vault/audit-log"),
    ] {
        assert_eq!(source(&inv, path)["format"], format, "{path}");
    }

    // The token (looked up twice, by token and by accessor) is one credential of its entity;
    // creation is Unix seconds, expiry the RFC 3339 time with its -04:00 offset.
    let (holder, token) = credential(&inv, "8609694a-cdbc-db9b-d345-e782dbb562ed");
    assert_eq!(
        holder["id"],
        "vault:entity:7d2e3179-f69b-450c-7179-ac8ee8bd8ca9"
    );
    assert_eq!(token["kind"], "token");
    assert_eq!(token["created"], "2018-04-17T15:35:54Z");
    assert_eq!(token["expires"]["at"], "2018-05-19T15:35:54Z");
    assert_eq!(token["last_used"]["kind"], "unknown");
    assert!(token["evidence"]["detail"]
        .as_str()
        .unwrap()
        .contains("orphan: true"));

    // Secret ID: RFC 3339 creation, the 0001 sentinel is "never expires"; outside the layout its
    // role is unknown and said so.
    let (_, secret_id) = credential(&inv, "2be760a4-86bb-2fa9-1637-1b7fa9ba2896");
    assert_eq!(secret_id["kind"], "secret_id");
    assert_eq!(
        secret_id["holder"],
        "vault:secret-id:2be760a4-86bb-2fa9-1637-1b7fa9ba2896"
    );
    assert_eq!(secret_id["created"], "2023-02-10T18:17:27Z");
    assert_eq!(secret_id["expires"]["kind"], "never");
    assert!(
        warnings(&inv, "approle_secret_id_accessor_lookup.json")[0].contains("its role is unknown")
    );

    // Lease: +01:00 offsets, holder from the lease path.
    let (_, lease) = credential(
        &inv,
        "auth/userpass/login/user/h5a2d7506918f459d022267a3351666b35bd8b5d6d39b0bcfe14927c0e4464225",
    );
    assert_eq!(lease["holder"], "auth/userpass/role/user");
    assert_eq!(lease["created"], "2024-02-04T19:34:02Z");
    assert_eq!(lease["expires"]["at"], "2024-03-07T19:34:02Z");

    // Login response: no client token read, no issue time, no role in metadata.
    let (_, login) = credential(&inv, "fd6c9a00-d2dc-3b11-0be5-af7ae0e1d374");
    assert_eq!(
        login["holder"],
        "vault:token:fd6c9a00-d2dc-3b11-0be5-af7ae0e1d374"
    );
    assert_eq!(login["expires"]["kind"], "not_applicable");
    assert!(warnings(&inv, "approle_login.json")[0].contains("names no role"));

    // The role is named after its file outside the layout; its login credential is bounded.
    let role = identity(&inv, "auth/approle/role/approle_read_role");
    assert_eq!(role["kind"], "service");
    assert_eq!(
        role["credentials"][0]["id"],
        "auth/approle/role/approle_read_role#login"
    );
    assert_eq!(role["credentials"][0]["expires"]["kind"], "not_applicable");
    assert!(
        role["grants"].as_array().unwrap().is_empty(),
        "default is not a grant"
    );

    // The audit entry of a root token is the last use of `vault:root`.
    assert_eq!(
        identity(&inv, "vault:root")["last_used"],
        "2019-11-05T00:40:27Z"
    );

    // The documentation's PEM is cut with `...`: a warning naming the revocation, no record.
    let pki = warnings(&inv, "pki_read_cert.json");
    assert!(pki[0].starts_with("certificate PEM of serial"), "{pki:?}");
    assert!(pki[0].contains("unreadable") && pki[0].contains("revoked at 2022-11-02T14:41:47Z"));
    assert_eq!(source(&inv, "pki_read_cert.json")["records"], 0);
    // KV metadata without an identity key is counted, not attributed.
    assert!(warnings(&inv, "kv2_metadata.json")[0]
        .starts_with("1 KV secret(s) in vault name no identity"));
}

#[test]
fn example_org_vault_gaps_are_found() {
    let (report, code) = scan_json(&testdata("example-org"), &[]);
    assert_eq!(code, 1);
    let skipped: Vec<&Value> = report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["path"].as_str().unwrap().starts_with("vault/"))
        .collect();
    assert!(skipped.is_empty(), "{skipped:?}");
    let vault: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["system"] == "vault:vault"
                || f["evidence"]["path"]
                    .as_str()
                    .unwrap()
                    .starts_with("vault/")
        })
        .collect();
    let has = |rule: &str, identity: &str, credential: Option<&str>| {
        vault.iter().any(|f| {
            f["rule"] == rule
                && f["identity"] == identity
                && credential.is_none_or(|c| f["credential"] == c)
        })
    };
    const CI_SECRET_ID: &str = "0c7e2b1d-4a5f-4e6b-9c3d-2f1a8e7b6d54";
    const CI_TOKEN: &str = "9f3a7c2e-1b4d-4e8f-a6c5-7d2e1f0b3a98";
    const ROOT_TOKEN: &str = "2d8b4f6a-3c1e-4a7b-9d5f-8e0c2b4a6f13";
    for (rule, identity, credential) in [
        ("DPV001", "ci-legacy", Some(CI_SECRET_ID)),
        ("DPV001", "ci-legacy", Some(CI_TOKEN)),
        (
            "DPV001",
            "ci-legacy",
            Some("auth/approle/role/ci-legacy#login"),
        ),
        ("DPV001", "ci-legacy", Some("secret/ci/legacy-db")),
        ("STL004", "ci-legacy", Some(CI_SECRET_ID)),
        ("STL003", "ci-legacy", Some("secret/ci/legacy-db")),
        ("DPV002", "ci-legacy", None),
        ("DPV007", "ci-legacy", None),
        ("DPV007", "ci-legacy", Some(CI_TOKEN)),
        ("STL001", "ci-legacy", Some(CI_TOKEN)),
        ("STL004", "vault:root", Some(ROOT_TOKEN)),
        ("INV001", "vault:root", None),
        (
            "STL004",
            "etl-runner",
            Some("auth/approle/role/etl-runner#login"),
        ),
        // The register retires old-api; its expired PKI certificate is still stored.
        ("STL006", "old-api", None),
    ] {
        assert!(
            has(rule, identity, credential),
            "{rule} {identity} {credential:?} missing"
        );
    }
    let root = vault
        .iter()
        .find(|f| f["rule"] == "STL004" && f["credential"] == ROOT_TOKEN)
        .unwrap();
    assert_eq!(root["severity"], "critical");
    assert_eq!(
        root["evidence"]["path"],
        format!("vault/auth/token/accessors/{ROOT_TOKEN}.json")
    );
    assert!(root["evidence"]["line"].as_u64().is_some());
    // The use after retirement points at the audit line of the latest use.
    let used = vault
        .iter()
        .find(|f| f["rule"] == "DPV007" && f["evidence"]["path"] == "vault/audit/vault-audit.log")
        .unwrap();
    assert_eq!(used["evidence"]["line"], 13);
    // The policy is held through the role and through the entity that joined it by role ID.
    let grants: Vec<&str> = vault
        .iter()
        .filter(|f| f["rule"] == "DPV002")
        .map(|f| f["evidence"]["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        grants,
        vec![
            "vault/auth/approle/role/ci-legacy.json",
            "vault/identity/entity/id/e4c1a7b3-5d2f-4e8a-b9c6-1f3d5a7e9b20.json"
        ]
    );
    // The bounded etl-runner secret ID and the active lease are not findings.
    assert!(!has(
        "STL004",
        "etl-runner",
        Some("5e2f8a1c-7b3d-4f9e-8a6c-0d1e2f3a4b5c")
    ));
    assert!(!vault
        .iter()
        .any(|f| f["identity"] == "etl-runner" && f["rule"] != "STL004"));

    let audit = warnings(&report, "vault/audit/vault-audit.log");
    assert_eq!(audit.len(), 1, "{audit:?}");
    assert!(
        audit[0].starts_with("1 malformed audit line(s) skipped (line 23:"),
        "{audit:?}"
    );
    assert_eq!(
        warnings(&report, "vault/auth/token/accessors.json"),
        vec!["1 of 3 listed token accessors were not looked up; they are not judged"]
    );
    assert!(
        warnings(&report, "vault/secret/metadata/shared/smtp-relay.json")[0]
            .starts_with("1 KV secret(s) in vault name no identity")
    );
    for path in [
        "vault/pki/certs.json",
        "vault/sys/leases/lookup/database/creds/readonly.json",
        "vault/auth/approle/role/ci-legacy/secret-id.json",
    ] {
        assert!(
            warnings(&report, path).is_empty(),
            "{path}: every listed item was looked up"
        );
    }
}

#[test]
fn example_org_vault_inventory_joins_roles_entities_and_audit() {
    let inv = inventory(&testdata("example-org"));
    let ci = identity(&inv, "ci-legacy");
    let aliases: Vec<&str> = ci["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| a.as_str().unwrap())
        .collect();
    for alias in [
        "auth/approle/role/ci-legacy",
        "6b1f3c2a-9d4e-4f7a-8c21-3e5d7f9a1b42",
        "vault:entity:e4c1a7b3-5d2f-4e8a-b9c6-1f3d5a7e9b20",
    ] {
        assert!(aliases.contains(&alias), "{alias} not in {aliases:?}");
    }
    let (_, token) = credential(&inv, "9f3a7c2e-1b4d-4e8f-a6c5-7d2e1f0b3a98");
    assert_eq!(token["created"], "2026-01-04T09:12:33Z");
    assert_eq!(token["expires"]["at"], "2026-12-20T09:12:33Z");
    assert_eq!(token["last_used"]["at"], "2026-05-20T11:47:09Z");
    let (_, kv) = credential(&inv, "secret/ci/legacy-db");
    assert_eq!(kv["kind"], "stored_secret");
    assert_eq!(kv["created"], "2024-02-10T11:05:44Z");
    assert_eq!(kv["last_rotated"], "2025-06-01T08:30:17Z");
    let (etl, role) = credential(&inv, "auth/approle/role/etl-runner#login");
    assert_eq!(etl["id"], "etl-runner");
    assert_eq!(role["expires"]["kind"], "never");
    assert_eq!(etl["last_used"], "2026-11-24T23:12:57Z");
    let (_, lease) = credential(
        &inv,
        "database/creds/readonly/4c8e2a6b-1d3f-5e7a-9b0c-2d4f6a8b0c1e",
    );
    assert_eq!(lease["holder"], "database/roles/readonly");
    assert_eq!(lease["expires"]["at"], "2026-11-25T08:00:03Z");
    let (cert_holder, cert) = credential(
        &inv,
        "sha256:85aad20a7d53b91d7e4535d90fcbd9d92e7c9cc3cad88a553e1b3810a1dc3e2d",
    );
    assert_eq!(cert_holder["id"], "old-api");
    assert!(cert_holder["aliases"]
        .as_array()
        .unwrap()
        .iter()
        .any(|a| a == "dns:old-api.internal.example.com"));
    assert_eq!(cert["expires"]["at"], "2026-02-01T00:00:00Z");
    assert_eq!(cert["created"], "2025-02-01T00:00:00Z");
    assert_eq!(cert["status"], "active");
    // The Kubernetes service account's Vault use joins the registered workload.
    assert_eq!(
        identity(&inv, "web-frontend")["last_used"],
        "2026-11-24T09:41:18Z"
    );
    // People's requests are not NHI use.
    assert!(!inv["identities"]
        .as_array()
        .unwrap()
        .iter()
        .any(|i| i["id"].as_str().unwrap().contains("d3a5c7e9")));
}

const REGISTER: &str = "identities:
  - id: deploy
    kind: service
    status: retired
    retired_at: 2026-03-01
    owner: team-a
    aliases: [auth/team/approle-ci/role/deploy]
  - id: builder
    kind: service
    status: active
    owner: team-a
    aliases: [auth/approle/role/builder]
  - id: frontend
    kind: workload
    status: active
    owner: team-a
    aliases: [system:serviceaccount:web:frontend]
teams:
  - id: team-a
";

#[test]
fn any_mount_and_both_response_forms_join_through_role_ids() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "register.yaml", REGISTER);
    // A nested mount, read with the CLI (envelope) and the API (bare data).
    write(
        d,
        "prod/auth/team/approle-ci/role/deploy.json",
        r#"{"request_id":"1","lease_id":"","renewable":false,"lease_duration":0,"data":{"bind_secret_id":true,"secret_id_ttl":"768h","token_policies":["deploy","default"],"token_period":0},"wrap_info":null,"warnings":null,"auth":null}"#,
    );
    write(
        d,
        "prod/auth/team/approle-ci/role/deploy/role-id.json",
        r#"{"data":{"role_id":"11111111-2222-4333-8444-555555555555"}}"#,
    );
    write(
        d,
        "prod/identity/entity/id/ent-1.json",
        r#"{"data":{"id":"ent-1","name":"entity_ab12","disabled":true,"policies":null,"metadata":null,"creation_time":"2025-01-01T00:00:00Z","aliases":[{"mount_type":"approle","mount_path":"auth/team/approle-ci/","mount_accessor":"auth_approle_x","name":"11111111-2222-4333-8444-555555555555"}]}}"#,
    );
    write(
        d,
        "prod/identity/entity/id/ent-2.json",
        r#"{"data":{"id":"ent-2","name":"frontend","disabled":false,"policies":["web"],"aliases":[{"mount_type":"kubernetes","mount_path":"auth/kubernetes/","name":"web/frontend"}]}}"#,
    );
    // Kubernetes auth: a role granting policies to a service account, and a token of it.
    write(
        d,
        "prod/auth/kubernetes/role/web.json",
        r#"{"data":{"bound_service_account_names":["frontend"],"bound_service_account_namespaces":["web"],"token_policies":["web-read"]}}"#,
    );
    write(
        d,
        "prod/auth/kubernetes/role/any.json",
        r#"{"data":{"bound_service_account_names":["*"],"bound_service_account_namespaces":["web"],"token_policies":["web-read"]}}"#,
    );
    write(
        d,
        "prod/auth/token/accessors/acc-k8s.json",
        r#"{"data":{"accessor":"acc-k8s","creation_time":1764000000,"expire_time":"2026-12-24T16:00:00Z","ttl":3600,"meta":{"role":"web","service_account_name":"frontend","service_account_namespace":"web"},"path":"auth/kubernetes/login","policies":["default","web-read"],"entity_id":"ent-2"}}"#,
    );
    // A second system beside the first.
    write(
        d,
        "staging/auth/approle/role/builder.json",
        r#"{"data":{"secret_id_num_uses":10,"token_policies":["build"],"period":3600}}"#,
    );
    let inv = inventory(d);
    assert!(
        inv["skipped"].as_array().unwrap().is_empty(),
        "{}",
        inv["skipped"]
    );
    let deploy = identity(&inv, "deploy");
    let systems: Vec<&Value> = deploy["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .map(|a| &a["system"]["name"])
        .collect();
    assert_eq!(systems, vec!["prod", "prod"], "the role and its entity");
    let entity = deploy["accounts"]
        .as_array()
        .unwrap()
        .iter()
        .find(|a| a["native_id"] == "vault:entity:ent-1")
        .unwrap();
    assert_eq!(entity["state"], "disabled");
    let frontend = identity(&inv, "frontend");
    let (holder, token) = credential(&inv, "acc-k8s");
    assert_eq!(holder["id"], "frontend");
    assert_eq!(token["expires"]["at"], "2026-12-24T16:00:00Z");
    let privileges: Vec<&str> = frontend["grants"]
        .as_array()
        .unwrap()
        .iter()
        .map(|g| g["privilege"].as_str().unwrap())
        .collect();
    assert!(
        privileges.contains(&"policy:web-read") && privileges.contains(&"policy:web"),
        "{privileges:?}"
    );
    assert!(warnings(&inv, "prod/auth/kubernetes/role/any.json")[0].contains("wildcard"));
    let (builder, login) = credential(&inv, "auth/approle/role/builder#login");
    assert_eq!(builder["id"], "builder");
    assert_eq!(login["system"]["name"], "staging");
    assert_eq!(
        login["expires"]["kind"], "never",
        "periodic without explicit max TTL"
    );

    let (report, _) = scan_json(d, &[]);
    // A token whose entity is disabled while its identity is active; the retired role's policy.
    assert!(findings_of(&report, "DPV002").contains(&("deploy".into(), String::new())));
    assert!(findings_of(&report, "STL004")
        .contains(&("builder".into(), "auth/approle/role/builder#login".into())));
}

#[test]
fn audit_logs_decide_never_used_only_when_they_cover_the_token() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "register.yaml", REGISTER);
    let token = |accessor: &str, created: i64| {
        format!(
            r#"{{"data":{{"accessor":"{accessor}","creation_time":{created},"expire_time":"2027-06-01T00:00:00Z","ttl":100,"meta":{{"role_name":"builder"}},"path":"auth/approle/login","policies":["build"]}}}}"#
        )
    };
    // 2026-06-01 and 2026-07-01: both after the log's first line, before its last.
    write(
        d,
        "v/auth/token/accessors/acc-unused.json",
        &token("acc-unused", 1_780_272_000),
    );
    write(
        d,
        "v/auth/token/accessors/acc-used.json",
        &token("acc-used", 1_782_864_000),
    );
    // 2025: older than the log, so the log cannot tell.
    write(
        d,
        "v/auth/token/accessors/acc-old.json",
        &token("acc-old", 1_735_689_600),
    );
    let line = |time: &str, accessor: &str| {
        format!(
            r#"{{"time":"{time}","type":"request","auth":{{"accessor":"{accessor}","display_name":"approle","metadata":{{"role_name":"builder"}}}},"request":{{"path":"secret/data/b","client_token_accessor":"{accessor}"}}}}"#
        )
    };
    let log = [
        line("2026-05-01T00:00:00.000000001Z", "hmac-sha256:00"),
        line("2026-08-01T10:00:00.5Z", "acc-used"),
        "{\"time\": \"2026-08-02T00:00:00Z\", \"type\": ".to_string(),
        line("2026-11-01T00:00:00.000000001Z", "hmac-sha256:00"),
    ]
    .join("\n");
    write(d, "v/audit/audit.log", &log);
    let inv = inventory(d);
    assert_eq!(
        credential(&inv, "acc-unused").1["last_used"]["kind"],
        "never"
    );
    assert_eq!(
        credential(&inv, "acc-used").1["last_used"]["at"],
        "2026-08-01T10:00:00Z"
    );
    assert_eq!(
        credential(&inv, "acc-old").1["last_used"]["kind"],
        "unknown"
    );
    assert_eq!(
        identity(&inv, "builder")["last_used"],
        "2026-11-01T00:00:00Z"
    );
    let audit = warnings(&inv, "v/audit/audit.log");
    assert!(
        audit[0].starts_with("1 malformed audit line(s) skipped (line 3:"),
        "{audit:?}"
    );
    let (report, _) = scan_json(d, &[]);
    assert_eq!(
        findings_of(&report, "STL002"),
        vec![("builder".to_string(), "acc-unused".to_string())]
    );

    // Without plain accessors the same log says nothing about tokens.
    let hashed = log.replace("\"acc-used\"", "\"hmac-sha256:11\"");
    write(d, "v/audit/audit.log", &hashed);
    let inv = inventory(d);
    assert_eq!(
        credential(&inv, "acc-unused").1["last_used"]["kind"],
        "unknown"
    );
}

#[test]
fn malformed_vault_files_are_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(
        d,
        "v/auth/token/accessors/truncated.json",
        "{\"data\": {\"accessor\": \"a\",\n \"creation_time\": 17",
    );
    write(
        d,
        "v/auth/token/accessors/wrong-type.json",
        "{\"data\": {\n  \"accessor\": \"a\",\n  \"creation_time\": \"yesterday\"\n}}",
    );
    write(d, "v/auth/token/accessors.json", "[1, 2, 3]");
    write(
        d,
        "v/auth/approle/role/r.json",
        "{\"data\": {\"secret_id_ttl\": \"forever\", \"token_policies\": []}}",
    );
    write(
        d,
        "v/sys/leases/lookup/x/y.json",
        "{\"data\": {\"id\": 7, \"issue_time\": \"2026-01-01T00:00:00Z\"}}",
    );
    write(
        d,
        "v/pki/cert/01.json",
        "{\"data\": {\"certificate\": \"not a pem\", \"revocation_time\": 0}}",
    );
    write(
        d,
        "v/audit/a.log",
        "{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"auth\":{\"display_name\":\"root\"}}\n{\"time\":\"2026-01-02T00:00:00Z\",\"type\":\"request\",\"auth\":{\"display_name\":\"root\"}}\n\u{0}\u{1}garbage\n{\"time\":\"2026-01-03T00:00:00Z\",\"type\":\"request\"}\n",
    );
    let output = deprov()
        .arg("scan")
        .arg(d)
        .args(["--now", NOW, "--format", "json"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let reason = |path: &str| {
        report["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .find(|s| s["path"] == path)
            .map(|s| s["reason"].as_str().unwrap().to_string())
            .unwrap_or_else(|| panic!("{path} not skipped: {}", report["skipped"]))
    };
    // Cut short, it is still recognised by what could be read: an export left unread.
    let truncated = reason("v/auth/token/accessors/truncated.json");
    assert!(
        truncated.starts_with("vault/token-lookup: not valid JSON (line 2"),
        "{truncated}"
    );
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert_eq!(report["summary"]["incomplete"], true);
    let wrong = reason("v/auth/token/accessors/wrong-type.json");
    assert!(
        wrong.starts_with("vault/token-lookup: invalid token-lookup:") && wrong.contains("line 3"),
        "{wrong}"
    );
    assert!(reason("v/auth/token/accessors.json").starts_with("vault/list: invalid list:"));
    assert!(reason("v/auth/approle/role/r.json").contains("`forever` is not a duration"));
    assert!(reason("v/sys/leases/lookup/x/y.json").starts_with("vault/lease: invalid lease:"));
    // Readable files with odd content are warnings, not skips.
    let pki = warnings(&report, "v/pki/cert/01.json");
    assert!(
        pki[0].starts_with("certificate PEM of serial 01 is unreadable"),
        "{pki:?}"
    );
    let audit = warnings(&report, "v/audit/a.log");
    assert!(
        audit[0].starts_with("1 malformed audit line(s) skipped (line 3:"),
        "{audit:?}"
    );
    assert_eq!(
        source(&report, "v/audit/a.log")["records"],
        1,
        "the root token's last use"
    );
}

#[test]
fn planted_secrets_never_reach_an_output() {
    const TOKEN: &str = "hvs.PLANTEDTOKENVALUEaaaaaaaaaaaaaaaa";
    const CLIENT_TOKEN: &str = "hvs.PLANTEDCLIENTTOKENbbbbbbbbbbbbbbb";
    const SECRET_ID: &str = "PLANTED-SECRET-ID-cccccccccccccccccc";
    const PRIVATE_KEY: &str = "PLANTEDPRIVATEKEYdddddddddddddddddddd";
    const AUDIT_TOKEN: &str = "hvs.PLANTEDAUDITTOKENeeeeeeeeeeeeeeee";
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "register.yaml", REGISTER);
    write(
        d,
        "v/auth/token/lookup-self.json",
        &format!(
            r#"{{"data":{{"id":"{TOKEN}","accessor":"acc-1","creation_time":1700000000,"expire_time":null,"ttl":0,"policies":["root"],"path":"auth/token/root","display_name":"root"}}}}"#
        ),
    );
    write(
        d,
        "v/auth/approle/login.json",
        &format!(
            r#"{{"auth":{{"client_token":"{CLIENT_TOKEN}","accessor":"acc-2","metadata":{{"role_name":"builder"}},"token_policies":["build"],"lease_duration":1200}},"data":null}}"#
        ),
    );
    write(
        d,
        "v/auth/approle/role/builder/secret-id-accessor/acc-3.json",
        &format!(
            r#"{{"data":{{"secret_id":"{SECRET_ID}","secret_id_accessor":"acc-3","secret_id_ttl":0,"secret_id_num_uses":0}}}}"#
        ),
    );
    write(
        d,
        "v/pki/cert/02.json",
        &format!(
            r#"{{"data":{{"certificate":"","private_key":"-----BEGIN PRIVATE KEY-----\n{PRIVATE_KEY}\n-----END PRIVATE KEY-----","revocation_time":0}}}}"#
        ),
    );
    write(
        d,
        "v/audit/a.log",
        &format!("{{\"time\":\"2026-01-01T00:00:00Z\",\"type\":\"request\",\"auth\":{{\"client_token\":\"{AUDIT_TOKEN}\",\"accessor\":\"acc-2\",\"metadata\":{{\"role_name\":\"builder\"}}}},\"request\":{{\"client_token\":\"{AUDIT_TOKEN}\",\"path\":\"auth/approle/login\"}}}}\n{{\"time\":\"2026-01-02T00:00:00Z\",\"type\":\"request\",\"auth\":{{\"display_name\":\"root\"}}}}\n"),
    );
    let mut outputs = Vec::new();
    for command in ["scan", "inventory"] {
        for format in ["text", "json"] {
            let mut cmd = deprov();
            cmd.arg(command).arg(d).args(["--format", format]);
            if command == "scan" {
                cmd.args(["--now", NOW]);
            }
            let output = cmd.output().unwrap();
            let text = format!(
                "{}{}",
                String::from_utf8_lossy(&output.stdout),
                String::from_utf8_lossy(&output.stderr)
            );
            assert!(
                text.contains("acc-1") && text.contains("acc-3"),
                "{command} {format}: {text}"
            );
            outputs.push((command, format, text));
        }
    }
    for (command, format, text) in outputs {
        for secret in [TOKEN, CLIENT_TOKEN, SECRET_ID, PRIVATE_KEY, AUDIT_TOKEN] {
            assert!(!text.contains(secret), "{secret} in {command} {format}");
        }
    }
}

/// A stand-in for the `vault` CLI that answers the export script's calls from canned responses
/// and logs every call, so that the script's layout and its read-only use can be checked.
const FAKE_VAULT: &str = r#"#!/usr/bin/env bash
echo "$*" >> "$FAKE_VAULT_LOG"
case "$*" in
  "auth list -format=json") echo '{"approle-ci/":{"type":"approle"},"token/":{"type":"token"},"kubernetes/":{"type":"kubernetes"}}' ;;
  "secrets list -format=json") echo '{"secret/":{"type":"kv","options":{"version":"2"}},"kv1/":{"type":"kv","options":null},"pki/":{"type":"pki","options":null}}' ;;
  "list -format=json auth/token/accessors") echo '["acc-1","acc-gone"]' ;;
  "token lookup -format=json -accessor acc-1") echo '{"request_id":"r","data":{"accessor":"acc-1","creation_time":1700000000,"expire_time":null,"ttl":0,"policies":["root"],"path":"auth/token/root","display_name":"root","id":""}}' ;;
  "list -format=json auth/approle-ci/role") echo '["ci"]' ;;
  "read -format=json auth/approle-ci/role/ci") echo '{"data":{"secret_id_ttl":0,"token_policies":["deploy"]}}' ;;
  "read -format=json auth/approle-ci/role/ci/role-id") echo '{"data":{"role_id":"11111111-2222-4333-8444-555555555555"}}' ;;
  "list -format=json auth/approle-ci/role/ci/secret-id") echo '["sid-1"]' ;;
  "write -format=json auth/approle-ci/role/ci/secret-id-accessor/lookup secret_id_accessor=sid-1") echo '{"data":{"secret_id_accessor":"sid-1","creation_time":"2025-01-01T00:00:00Z","expiration_time":"0001-01-01T00:00:00Z"}}' ;;
  "list -format=json auth/kubernetes/role") echo '["web"]' ;;
  "read -format=json auth/kubernetes/role/web") echo '{"data":{"bound_service_account_names":["frontend"],"bound_service_account_namespaces":["web"],"token_policies":["web"]}}' ;;
  "list -format=json identity/entity/id") echo '["ent-1"]' ;;
  "read -format=json identity/entity/id/ent-1") echo '{"data":{"id":"ent-1","name":"ci","aliases":[{"mount_type":"approle","name":"11111111-2222-4333-8444-555555555555"}]}}' ;;
  "list -format=json sys/leases/lookup/") echo '["database/"]' ;;
  "list -format=json sys/leases/lookup/database/") echo '["creds/"]' ;;
  "list -format=json sys/leases/lookup/database/creds/") echo '["ro/"]' ;;
  "list -format=json sys/leases/lookup/database/creds/ro/") echo '["L1"]' ;;
  "lease lookup -format=json database/creds/ro/L1") echo '{"data":{"id":"database/creds/ro/L1","issue_time":"2026-11-24T00:00:00Z","expire_time":"2026-11-26T00:00:00Z","ttl":100}}' ;;
  "list -format=json secret/metadata/") echo '["ci/"]' ;;
  "list -format=json secret/metadata/ci/") echo '["db"]' ;;
  "read -format=json secret/metadata/ci/db") echo '{"data":{"created_time":"2025-01-01T00:00:00Z","current_version":1,"custom_metadata":{"identity":"auth/approle-ci/role/ci"},"versions":{"1":{"created_time":"2025-01-01T00:00:00Z","deletion_time":"","destroyed":false}}}}' ;;
  "list -format=json pki/certs") echo '["0a:1b"]' ;;
  *) echo "No value found at $*" >&2; exit 2 ;;
esac
"#;

#[test]
fn the_export_script_writes_the_layout_deprov_reads_and_only_reads() {
    let has = |tool: &str| {
        std::process::Command::new("sh")
            .args(["-c", &format!("command -v {tool}")])
            .output()
            .is_ok_and(|o| o.status.success())
    };
    if !(has("bash") && has("jq")) {
        eprintln!("bash or jq missing: the export script is not exercised");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let fake = dir.path().join("vault");
    write(dir.path(), "vault", FAKE_VAULT);
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(&fake, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    let log = dir.path().join("calls.log");
    let out = dir.path().join("export/vault-prod");
    let status = std::process::Command::new("bash")
        .arg(common::root().join("contrib/export/vault.sh"))
        .arg(&out)
        .env("VAULT_BIN", &fake)
        .env("FAKE_VAULT_LOG", &log)
        .status()
        .unwrap();
    assert!(status.success());
    let calls = std::fs::read_to_string(&log).unwrap();
    for call in calls.lines() {
        let read_only = call.starts_with("list ")
            || call.starts_with("read ")
            || call.starts_with("token lookup ")
            || call.starts_with("lease lookup ")
            || call.ends_with(" list -format=json")
            || (call.starts_with("write ") && call.contains("/secret-id-accessor/lookup "));
        assert!(read_only, "not a read: {call}");
    }
    // The failed lookup and the missing certificate are logged beside the export.
    let errors = std::fs::read_to_string(out.join("export-errors.log")).unwrap();
    assert!(
        errors.contains("failed: auth/token/accessors/acc-gone"),
        "{errors}"
    );
    std::fs::remove_file(out.join("export-errors.log")).unwrap();

    let inv = inventory(&dir.path().join("export"));
    assert!(
        inv["skipped"].as_array().unwrap().is_empty(),
        "{}",
        inv["skipped"]
    );
    let role = identity(&inv, "auth/approle-ci/role/ci");
    assert_eq!(role["accounts"][0]["system"]["name"], "vault-prod");
    let aliases = role["aliases"].to_string();
    assert!(
        aliases.contains("vault:entity:ent-1")
            && aliases.contains("11111111-2222-4333-8444-555555555555"),
        "{aliases}"
    );
    assert_eq!(credential(&inv, "sid-1").0["id"], "auth/approle-ci/role/ci");
    assert_eq!(
        credential(&inv, "secret/ci/db").0["id"],
        "auth/approle-ci/role/ci"
    );
    assert_eq!(
        credential(&inv, "database/creds/ro/L1").0["id"],
        "database/roles/ro"
    );
    assert_eq!(credential(&inv, "acc-1").0["id"], "vault:root");
    assert_eq!(
        warnings(&inv, "vault-prod/auth/token/accessors.json"),
        vec!["1 of 2 listed token accessors were not looked up; they are not judged"]
    );
    assert_eq!(
        warnings(&inv, "vault-prod/pki/certs.json"),
        vec!["1 of 1 listed certificates were not looked up; they are not judged"]
    );
}

#[test]
fn kv_versions_decide_status_and_expiry_and_pki_revocation_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let d = dir.path();
    write(d, "register.yaml", REGISTER);
    let kv = |custom: &str, versions: &str| {
        format!(
            r#"{{"data":{{"created_time":"2025-01-01T00:00:00Z","updated_time":"2025-03-01T00:00:00Z","current_version":2,"custom_metadata":{custom},"delete_version_after":"0s","versions":{versions}}}}}"#
        )
    };
    let version = |n: u32, deleted: &str, destroyed: bool| {
        format!(
            r#""{n}":{{"created_time":"2025-0{n}-01T00:00:00Z","deletion_time":"{deleted}","destroyed":{destroyed}}}"#
        )
    };
    let holder = r#"{"Deprov_Identity":"auth/approle/role/builder","identity":"ignored"}"#;
    write(
        d,
        "v/kv/metadata/live.json",
        &kv(
            holder,
            &format!("{{{},{}}}", version(1, "", false), version(2, "", false)),
        ),
    );
    write(
        d,
        "v/kv/metadata/destroyed.json",
        &kv(
            holder,
            &format!("{{{},{}}}", version(1, "", true), version(2, "", true)),
        ),
    );
    write(
        d,
        "v/kv/metadata/deleted.json",
        &kv(
            holder,
            &format!(
                "{{{},{}}}",
                version(1, "", true),
                version(2, "2026-04-01T00:00:00Z", false)
            ),
        ),
    );
    write(
        d,
        "v/kv/metadata/scheduled.json",
        &kv(
            holder,
            &format!("{{{}}}", version(2, "2027-04-01T00:00:00Z", false)),
        ),
    );
    // The example organisation's certificate, revoked here.
    let cert_dir = testdata("example-org/vault/pki/cert");
    let cert_file = std::fs::read_dir(&cert_dir)
        .unwrap()
        .next()
        .unwrap()
        .unwrap();
    let cert = std::fs::read_to_string(cert_file.path())
        .unwrap()
        .replace("\"revocation_time\": 0", "\"revocation_time\": 1767225600");
    write(d, "v/pki_int/cert/3a-9f.json", &cert);
    let inv = inventory(d);
    assert!(
        inv["skipped"].as_array().unwrap().is_empty(),
        "{}",
        inv["skipped"]
    );
    let (builder, live) = credential(&inv, "kv/live");
    assert_eq!(
        builder["id"], "builder",
        "Deprov_Identity wins over identity, in any case"
    );
    assert_eq!(live["status"], "active");
    assert_eq!(live["expires"]["kind"], "not_applicable");
    assert_eq!(live["created"], "2025-01-01T00:00:00Z");
    assert_eq!(
        live["last_rotated"], "2025-02-01T00:00:00Z",
        "the current version's creation"
    );
    assert_eq!(credential(&inv, "kv/destroyed").1["status"], "revoked");
    let deleted = credential(&inv, "kv/deleted").1;
    assert_eq!(
        (&deleted["status"], &deleted["expires"]["at"]),
        (&Value::from("active"), &Value::from("2026-04-01T00:00:00Z"))
    );
    assert_eq!(
        credential(&inv, "kv/scheduled").1["expires"]["at"],
        "2027-04-01T00:00:00Z"
    );
    let (_, revoked) = credential(
        &inv,
        "sha256:85aad20a7d53b91d7e4535d90fcbd9d92e7c9cc3cad88a553e1b3810a1dc3e2d",
    );
    assert_eq!(revoked["status"], "revoked");
    assert_eq!(revoked["system"]["name"], "v");

    let (report, _) = scan_json(d, &[]);
    // Soft-deleted data can be undeleted: it is still present, and expired.
    assert!(findings_of(&report, "STL006").contains(&("builder".into(), "kv/deleted".into())));
    let stl006 = findings_of(&report, "STL006");
    assert!(
        !stl006.iter().any(|(_, c)| c.starts_with("sha256:")),
        "a revoked certificate is not expired clutter: {stl006:?}"
    );
    assert!(!findings_of(&report, "STL003")
        .iter()
        .any(|(_, c)| c == "kv/destroyed"));
}

/// Issue 15: logins through JWT/OIDC and Kubernetes (and the other methods that put the role in
/// `auth.metadata.role`) are attributed to `auth/MOUNT/role/NAME`, as AppRole logins are. The
/// lines have the shape Vault 1.17 writes for a Terraform Cloud JWT login and the requests of
/// its token, and for a Kubernetes login on a mount named after its cluster (values HMAC'd).
#[test]
fn jwt_and_kubernetes_logins_are_uses_of_their_roles() {
    let dir = tempfile::tempdir().unwrap();
    let log = [
        r#"{"auth":{"policy_results":{"allowed":true},"token_type":"default"},"request":{"data":{"jwt":"hmac-sha256:6a77","role":"hmac-sha256:726f"},"mount_point":"auth/jwt/","mount_type":"jwt","namespace":{"id":"root"},"operation":"update","path":"auth/jwt/login"},"time":"2024-08-15T13:15:03.448238519Z","type":"request"}"#,
        r#"{"auth":{"accessor":"hmac-sha256:a1","client_token":"hmac-sha256:c1","display_name":"jwt-organization:acme:project:infra:workspace:net","entity_id":"c67ec5d4-310a-ec11-cac8-cdeff0fd9878","metadata":{"role":"tfc-role"},"policies":["default","tfc-policy"],"token_ttl":1200,"token_type":"service"},"request":{"data":{"jwt":"hmac-sha256:6a77","role":"hmac-sha256:726f"},"mount_point":"auth/jwt/","mount_type":"jwt","operation":"update","path":"auth/jwt/login"},"response":{"auth":{"accessor":"hmac-sha256:a1","client_token":"hmac-sha256:c1","display_name":"jwt-organization:acme:project:infra:workspace:net","metadata":{"role":"tfc-role"}}},"time":"2024-08-15T13:15:03.516989693Z","type":"response"}"#,
        r#"{"auth":{"accessor":"hmac-sha256:a1","client_token":"hmac-sha256:c1","display_name":"jwt-organization:acme:project:infra:workspace:net","entity_id":"c67ec5d4-310a-ec11-cac8-cdeff0fd9878","metadata":{"role":"tfc-role"},"token_issue_time":"2024-08-15T13:15:03Z"},"request":{"client_token":"hmac-sha256:c1","client_token_accessor":"hmac-sha256:a1","mount_point":"secret/","mount_type":"kv","operation":"read","path":"secret/data/s3"},"time":"2024-08-15T13:15:15.135181832Z","type":"request"}"#,
        r#"{"time":"2024-09-04T16:10:45.881794702Z","type":"response","auth":{"client_token":"hmac-sha256:97","accessor":"hmac-sha256:03","display_name":"gke-useast1-retail-app1","metadata":{"role":"retail-app1-template","service_account_name":"app1","service_account_namespace":"retail","service_account_secret_name":"app1-token-x4npd","service_account_uid":"c0fed346-308e-4bdf-a18c-f9d0e8ea4639"},"entity_id":"6021bd59-6f00-e459-3c69-21cc25fb871c","token_type":"service","token_ttl":120},"request":{"operation":"update","mount_type":"kubernetes","path":"auth/gke-useast1/login"}}"#,
        r#"{"time":"2024-09-04T16:13:40.21441436Z","type":"response","auth":{"client_token":"hmac-sha256:97","accessor":"hmac-sha256:03","display_name":"gke-useast1-retail-app1","metadata":{"role":"retail-app1-template","service_account_name":"app1","service_account_namespace":"retail"},"entity_id":"6021bd59-6f00-e459-3c69-21cc25fb871c","token_issue_time":"2024-09-04T16:10:45Z"},"request":{"operation":"read","mount_type":"kv","client_token":"hmac-sha256:97","client_token_accessor":"hmac-sha256:03","path":"kv/retail/app1"}}"#,
    ]
    .join("\n");
    write(
        dir.path(),
        "exports/vault/audit/vault-audit.log",
        &format!("{log}\n"),
    );
    write(
        dir.path(),
        "register.yaml",
        "identities:
  - id: terraform-cloud
    kind: workload
    status: retired
    retired_at: 2024-06-01
    owner: team-a
    aliases: [auth/jwt/role/tfc-role]
  - id: retail-app1
    kind: workload
    status: active
    owner: team-a
    aliases: [auth/gke-useast1/role/retail-app1-template]
  - id: retail-app1-sa
    kind: workload
    status: active
    owner: team-a
    aliases: [system:serviceaccount:retail:app1]
teams:
  - id: team-a
",
    );
    let inv = inventory(dir.path());
    // The JWT role's latest use is the token's read, after its login.
    assert_eq!(
        identity(&inv, "terraform-cloud")["last_used"],
        "2024-08-15T13:15:15Z"
    );
    // The Kubernetes login and read: a use of the role and of the service account.
    for id in ["retail-app1", "retail-app1-sa"] {
        assert_eq!(
            identity(&inv, id)["last_used"],
            "2024-09-04T16:13:40Z",
            "{id}"
        );
    }
    // A retired identity's role still logging in is found.
    let (report, _) = scan_json(dir.path(), &["--allow-incomplete"]);
    let used: Vec<(String, String)> = findings_of(&report, "DPV007");
    assert!(
        used.iter()
            .any(|(identity, _)| identity == "terraform-cloud"),
        "{used:?}"
    );
}
