//! Microsoft Entra ID exports: the real samples (testdata/samples/azure, provenance in
//! SOURCES.md) and the example organisation's Graph files read to the records and gaps they hold;
//! broken or unattributable files are skipped with their reason, never a panic.

mod common;

use std::path::Path;

use common::{deprov, rules_of, scan_json, testdata, NOW};
use serde_json::Value;

const PAYMENTS_API: &str = "3f6a2c1e-8b4d-4e7a-9c21-5d0e7f8a9b10";
const LEGACY_SYNC: &str = "8c1d4e2f-6a3b-4c5d-8e9f-0a1b2c3d4e5f";
const MARKETING_WEBHOOK: &str = "5d9e8f7a-1b2c-4d3e-9f4a-6b5c7d8e9f01";
const PAYMENTS_SECRET: &str = "5a1b3c7d-2e4f-4a6b-9c8d-0e1f2a3b4c5d";
const LEGACY_SECRET: &str = "7e2d9f41-3c5a-4b8e-a1d2-6f0e9c8b7a65";
const LEGACY_CERTIFICATE: &str = "c3b2a190-8f7e-4d6c-b5a4-39281706f5e4";

fn inventory(paths: &[&Path], extra: &[&str]) -> Value {
    let output = deprov()
        .arg("inventory")
        .args(paths)
        .args(["--format", "json", "--now", NOW])
        .args(extra)
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
        .unwrap_or_else(|| panic!("{id} not in inventory: {inv:#}"))
}

fn credential<'a>(identity: &'a Value, id: &str) -> &'a Value {
    identity["credentials"]
        .as_array()
        .unwrap()
        .iter()
        .find(|c| c["id"] == id)
        .unwrap_or_else(|| panic!("credential {id} not in {identity:#}"))
}

fn source<'a>(inv: &'a Value, path: &str) -> &'a Value {
    inv["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == path)
        .unwrap_or_else(|| panic!("{path} not among the sources: {:#}", inv["sources"]))
}

fn warnings_of(source: &Value) -> Vec<String> {
    source["warnings"]
        .as_array()
        .map(|w| w.iter().map(|w| w.as_str().unwrap().to_string()).collect())
        .unwrap_or_default()
}

/// (rule, credential or null) of the findings about one identity.
fn findings_of(report: &Value, identity: &str) -> Vec<(String, Value)> {
    let mut found: Vec<(String, Value)> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["identity"] == identity)
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["credential"].clone(),
            )
        })
        .collect();
    found.sort_by(|a, b| {
        a.0.cmp(&b.0)
            .then_with(|| a.1.to_string().cmp(&b.1.to_string()))
    });
    found
}

#[test]
fn every_azure_sample_is_read_or_skipped_with_its_reason() {
    let inv = inventory(&[&testdata("samples/azure")], &[]);
    let formats: Vec<(&str, &str)> = inv["sources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| (s["path"].as_str().unwrap(), s["format"].as_str().unwrap()))
        .collect();
    assert_eq!(
        formats,
        vec![
            (
                "azcli_recording_graph_addPassword_response.json",
                "azure/add-password-response"
            ),
            (
                "azcli_recording_graph_applications_filter.json",
                "azure/applications"
            ),
            (
                "azcli_recording_graph_serviceprincipals_filter.json",
                "azure/service-principals"
            ),
            (
                "msgraph_docs_appCredentialSignInActivities_list.json",
                "azure/app-credential-sign-in-activities"
            ),
            (
                "msgraph_docs_application_addPassword_response.json",
                "azure/add-password-response"
            ),
            (
                "msgraph_docs_servicePrincipalSignInActivities_list.json",
                "azure/service-principal-sign-in-activities"
            ),
        ]
    );
    // The addPassword responses are read: each holds a secretText, a leak of the export
    // (joined to its credential by keyId where another export lists it).
    let skipped = inv["skipped"].as_array().unwrap();
    assert!(skipped.is_empty(), "{skipped:?}");
    // Every file of the directory is accounted for.
    let files = std::fs::read_dir(testdata("samples/azure"))
        .unwrap()
        .count();
    assert_eq!(formats.len() + skipped.len(), files);
}

#[test]
fn the_recorded_application_and_its_principal_are_one_identity() {
    let inv = inventory(
        &[
            &testdata("samples/azure/azcli_recording_graph_applications_filter.json"),
            &testdata("samples/azure/azcli_recording_graph_serviceprincipals_filter.json"),
        ],
        &[],
    );
    let app = identity(&inv, "f2e11c36-a278-47db-bdc1-d7c524bff96f");
    assert_eq!(app["registered"], false);
    assert_eq!(app["kind"], "service");
    assert_eq!(app["state"], "enabled");
    let accounts = app["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    assert!(accounts
        .iter()
        .all(|a| a["system"]["family"] == "azure" && a["system"]["name"] == "entra"));
    assert_eq!(
        accounts[0]["aliases"][0],
        "c9285c2c-9f67-49cd-b775-87fa218505c9"
    );
    assert_eq!(accounts[0]["created"], "2022-05-07T06:53:33Z");
    assert_eq!(
        accounts[1]["aliases"][0],
        "66e30abb-1162-47a4-97e7-007bf57bb3ac"
    );
    assert_eq!(accounts[1]["created"], "2022-05-07T06:53:37Z");
    // The secret sits on the service principal.
    let secret = credential(app, "6449cb68-995e-4a16-8e14-13009429ef35");
    assert_eq!(secret["kind"], "client_secret");
    assert_eq!(secret["holder"], "f2e11c36-a278-47db-bdc1-d7c524bff96f");
    assert_eq!(secret["status"], "active");
    assert_eq!(secret["created"], "2022-05-07T06:53:38Z");
    assert_eq!(secret["last_rotated"], "2022-05-07T06:53:38Z");
    assert_eq!(secret["expires"]["at"], "2024-05-07T06:53:38Z");
    assert_eq!(secret["last_used"]["kind"], "unknown");
    assert_eq!(
        secret["evidence"]["path"],
        "azcli_recording_graph_serviceprincipals_filter.json"
    );
}

#[test]
fn the_documentation_offsets_are_repaired_with_a_warning() {
    let inv = inventory(
        &[&testdata(
            "samples/azure/msgraph_docs_appCredentialSignInActivities_list.json",
        )],
        &[],
    );
    // No listing was scanned: the credential uses are uses of the application.
    assert_eq!(
        identity(&inv, "f4d9654f-0305-4072-878c-8bf266dfe146")["last_used"],
        "2021-03-18T08:00:00Z"
    );
    assert_eq!(
        identity(&inv, "09e9da93-c1e8-4000-8b96-1ea6a12acf72")["last_used"],
        "2021-02-01T09:23:46Z"
    );
    let warnings = warnings_of(source(
        &inv,
        "msgraph_docs_appCredentialSignInActivities_list.json",
    ));
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("signInActivity.lastSignInDateTime")
                && w.contains("`2021-03-18T00:00:00-8:00` is not valid RFC 3339")),
        "{warnings:?}"
    );

    let inv = inventory(
        &[&testdata(
            "samples/azure/msgraph_docs_servicePrincipalSignInActivities_list.json",
        )],
        &[],
    );
    // The latest of the five activities is a repaired one: 2021-04-01T00:00:00-08:00.
    assert_eq!(
        identity(&inv, "83f45296-fb8f-4aaa-a399-ac51084e02b7")["last_used"],
        "2021-04-01T08:00:00Z"
    );
    let warnings = warnings_of(source(
        &inv,
        "msgraph_docs_servicePrincipalSignInActivities_list.json",
    ));
    assert_eq!(warnings.len(), 8, "{warnings:?}");
    assert!(warnings
        .iter()
        .all(|w| w.contains("-8:00` is not valid RFC 3339")));
}

#[test]
fn a_credential_sign_in_report_sets_the_last_use_of_listed_credentials() {
    let inv = inventory(
        &[&testdata("example-org/azure")],
        &[
            "--register",
            testdata("example-org/register.yaml").to_str().unwrap(),
        ],
    );
    let payments = identity(&inv, "payments-api");
    assert_eq!(payments["owner"], "carol@example.com");
    let secret = credential(payments, PAYMENTS_SECRET);
    assert_eq!(secret["last_used"]["at"], "2026-11-20T07:45:12Z");
    assert_eq!(secret["created"], "2025-01-10T09:00:00Z");
    assert_eq!(secret["expires"]["at"], "2027-01-10T09:00:00Z");

    let legacy = identity(&inv, "legacy-sync");
    assert_eq!(legacy["lifecycle"], "retired");
    assert_eq!(legacy["state"], "enabled");
    // The application and its service principal, both by appId.
    let accounts = legacy["accounts"].as_array().unwrap();
    assert_eq!(accounts.len(), 2);
    assert!(accounts.iter().all(|a| a["native_id"] == LEGACY_SYNC));
    assert_eq!(
        accounts[0]["aliases"][0],
        "d4e5f6a7-b8c9-4d0e-8f1a-2b3c4d5e6f70"
    );
    assert_eq!(
        accounts[1]["aliases"][0],
        "6f5e4d3c-2b1a-4098-8765-43210fedcba9"
    );
    assert_eq!(
        credential(legacy, LEGACY_SECRET)["last_used"]["at"],
        "2026-08-14T10:20:00Z"
    );
    let certificate = credential(legacy, LEGACY_CERTIFICATE);
    assert_eq!(certificate["kind"], "client_certificate");
    assert_eq!(certificate["expires"]["at"], "2026-02-01T00:00:00Z");
    assert_eq!(legacy["last_used"], "2026-08-14T10:20:00Z");

    let webhook = identity(&inv, MARKETING_WEBHOOK);
    assert_eq!(webhook["registered"], false);
    assert_eq!(webhook["owner"], Value::Null);
    assert_eq!(
        credential(webhook, "9b8a7c6d-5e4f-4a3b-8c2d-1e0f9a8b7c6d")["last_used"]["kind"],
        "unknown"
    );

    // Microsoft Graph's own principal is Microsoft's, and said so.
    assert!(inv["identities"]
        .as_array()
        .unwrap()
        .iter()
        .all(|i| i["id"] != "00000003-0000-0000-c000-000000000000"));
    let warnings = warnings_of(source(&inv, "service-principals.json"));
    assert!(
        warnings[0].starts_with("1 Microsoft first-party service principal"),
        "{warnings:?}"
    );
}

#[test]
fn the_example_org_gaps_are_found() {
    let (report, code) = scan_json(
        &testdata("example-org/azure"),
        &[
            "--register",
            testdata("example-org/register.yaml").to_str().unwrap(),
        ],
    );
    assert_eq!(code, 1);
    assert!(report["skipped"].as_array().unwrap().is_empty());
    let secret = |id: &str| Value::String(id.to_string());

    let legacy = findings_of(&report, "legacy-sync");
    for expected in [
        ("DPV001", secret(LEGACY_SECRET)),
        ("DPV007", secret(LEGACY_SECRET)),
        ("DPV007", Value::Null),
    ] {
        assert!(
            legacy.contains(&(expected.0.to_string(), expected.1.clone())),
            "{expected:?} not in {legacy:?}"
        );
    }
    // The expired certificate no longer authenticates: not a live credential of a retired app.
    assert!(!legacy.contains(&("DPV001".into(), secret(LEGACY_CERTIFICATE))));
    // Registered and retired: no DPV009 or INV001 for the still-enabled principal.
    assert!(legacy
        .iter()
        .all(|(rule, _)| rule != "DPV009" && rule != "INV001"));

    let payments = findings_of(&report, "payments-api");
    assert!(payments.contains(&("STL004".into(), secret(PAYMENTS_SECRET))));
    // Used five days before `now`: not unused.
    assert!(!payments.iter().any(|(rule, _)| rule == "STL001"));

    let webhook = findings_of(&report, MARKETING_WEBHOOK);
    assert!(
        webhook.contains(&("INV001".into(), Value::Null)),
        "{webhook:?}"
    );

    let finding = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["rule"] == "DPV001" && f["credential"] == LEGACY_SECRET)
        .unwrap();
    assert_eq!(finding["system"], "azure:entra");
    assert_eq!(finding["owner"], "alice@example.com");
    assert_eq!(finding["evidence"]["path"], "applications.json");
    // The line of the credential's keyId in the export.
    let line = finding["evidence"]["line"].as_u64().unwrap() as usize;
    let text = std::fs::read_to_string(testdata("example-org/azure/applications.json")).unwrap();
    assert!(text.lines().nth(line - 1).unwrap().contains(LEGACY_SECRET));
    assert!(report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["identity_aliases"]
            .as_array()
            .unwrap()
            .iter()
            .any(|a| a == PAYMENTS_API)));
    assert!(rules_of(&report).contains(&"STL004".to_string()));
}

#[test]
fn the_whole_example_org_reads_every_azure_file() {
    let (report, _) = scan_json(&testdata("example-org"), &[]);
    let azure: Vec<&str> = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["path"].as_str().unwrap().starts_with("azure/"))
        .map(|s| s["format"].as_str().unwrap())
        .collect();
    assert_eq!(
        azure,
        vec![
            "azure/app-credential-sign-in-activities",
            "azure/applications",
            "azure/service-principals",
            "azure/service-principal-sign-in-activities",
        ]
    );
    assert!(report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .all(|s| !s["path"].as_str().unwrap().starts_with("azure/")));
}

const ACTIVE_APP_REGISTER: &str = "identities:\n  - id: invoice-bot\n    kind: service\n    status: active\n    owner: team-a\n    aliases: [0A1B2C3D-0000-4000-8000-00000000000A]\nteams:\n  - id: team-a\n";

fn write(dir: &Path, rel: &str, content: &str) {
    std::fs::write(dir.join(rel), content).unwrap();
}

#[test]
fn a_disabled_service_principal_leaves_the_application_secret_live() {
    // Both file orders: the application record carries its principal's state either way.
    for (apps_name, sps_name) in [("a-apps.json", "b-sps.json"), ("b-apps.json", "a-sps.json")] {
        let dir = tempfile::tempdir().unwrap();
        write(dir.path(), "register.yaml", ACTIVE_APP_REGISTER);
        write(
            dir.path(),
            apps_name,
            r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#applications","value":[
                {"id":"11111111-0000-4000-8000-000000000001","appId":"0a1b2c3d-0000-4000-8000-00000000000a","displayName":"invoice-bot",
                 "passwordCredentials":[{"keyId":"22222222-0000-4000-8000-000000000002","displayName":"ci","startDateTime":"2026-10-01T00:00:00Z","endDateTime":"2027-03-01T00:00:00Z"}],
                 "keyCredentials":[]}]}"#,
        );
        write(
            dir.path(),
            sps_name,
            r#"[{"id":"33333333-0000-4000-8000-000000000003","appId":"0a1b2c3d-0000-4000-8000-00000000000a","displayName":"invoice-bot",
                "accountEnabled":false,"servicePrincipalType":"Application","appOwnerOrganizationId":"0b1c2d3e-4f5a-4b6c-8d7e-9f0a1b2c3d4e",
                "passwordCredentials":[],"keyCredentials":[]}]"#,
        );
        let (report, _) = scan_json(dir.path(), &[]);
        let found = findings_of(&report, "invoice-bot");
        assert!(
            found.contains(&(
                "DPV009".into(),
                Value::String("22222222-0000-4000-8000-000000000002".into())
            )),
            "{apps_name}: {found:?}"
        );
    }
}

#[test]
fn broken_entra_exports_are_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "register.yaml", ACTIVE_APP_REGISTER);
    // Cut short in the middle of a page.
    write(
        dir.path(),
        "truncated.json",
        "{\"@odata.context\": \"https://graph.microsoft.com/v1.0/$metadata#applications\",\n \"value\": [\n  {\"id\": \"o\", \"appId\": \"0a1b2c3d-0000-4000-8000-00000000000a\", \"passwordCredentials\": [\n",
    );
    // A collection where an array belongs.
    write(
        dir.path(),
        "wrong-collection.json",
        "{\"@odata.context\": \"https://graph.microsoft.com/v1.0/$metadata#applications\",\n \"value\": [\n  {\"id\": \"o\", \"appId\": \"a\",\n   \"passwordCredentials\": \"none\"}\n ]\n}\n",
    );
    // A flag written as text.
    write(
        dir.path(),
        "wrong-flag.json",
        "[\n {\"id\": \"o\", \"appId\": \"a\", \"servicePrincipalType\": \"Application\",\n  \"accountEnabled\": \"false\"}\n]\n",
    );
    // A report row whose activity is a string.
    write(
        dir.path(),
        "wrong-activity.json",
        "{\"value\": [{\"appId\": \"a\", \"keyId\": \"k\", \"credentialOrigin\": \"application\",\n  \"signInActivity\": \"2026-01-01\"}]}\n",
    );
    // Readable, with an unreadable date: a warning, not a skip.
    write(
        dir.path(),
        "odd-date.json",
        r#"[{"id":"o2","appId":"0a1b2c3d-0000-4000-8000-00000000000a","displayName":"invoice-bot","createdDateTime":"last spring","passwordCredentials":[]}]"#,
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
    let reason_of = |path: &str| {
        skipped
            .iter()
            .find(|(p, _)| p == path)
            .map(|(_, r)| r.as_str())
            .unwrap_or_else(|| panic!("{path} not skipped: {skipped:?}"))
    };
    assert!(reason_of("truncated.json").contains("not valid JSON"));
    let reason = reason_of("wrong-collection.json");
    assert!(reason.contains("invalid applications"), "{reason}");
    assert!(reason.contains("line 4"), "{reason}");
    let reason = reason_of("wrong-flag.json");
    assert!(reason.contains("invalid service-principals"), "{reason}");
    assert!(reason.contains("expected a boolean"), "{reason}");
    let reason = reason_of("wrong-activity.json");
    assert!(
        reason.contains("invalid app-credential-sign-in-activities"),
        "{reason}"
    );
    assert_eq!(skipped.len(), 4, "{skipped:?}");
    let odd = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == "odd-date.json")
        .unwrap();
    let warnings = warnings_of(odd);
    assert!(
        warnings
            .iter()
            .any(|w| w.contains("last spring") && w.contains("treated as absent")),
        "{warnings:?}"
    );
}

#[test]
fn planted_entra_secrets_never_reach_an_output() {
    const PLANTED: &str = "Qx7~PLANTED.entra.secret-text-value";
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "register.yaml", ACTIVE_APP_REGISTER);
    write(
        dir.path(),
        "apps.json",
        &format!(
            r#"[{{"id":"o","appId":"0a1b2c3d-0000-4000-8000-00000000000a","displayName":"invoice-bot",
                 "passwordCredentials":[{{"keyId":"22222222-0000-4000-8000-000000000002","hint":"Qx7","secretText":"{PLANTED}",
                   "startDateTime":"2025-01-01T00:00:00Z","endDateTime":"9999-12-31T23:59:59Z"}}]}}]"#
        ),
    );
    write(
        dir.path(),
        "add-password.json",
        &format!(
            r#"{{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.passwordCredential","keyId":"44444444-0000-4000-8000-000000000004","hint":"Qx7","secretText":"{PLANTED}","startDateTime":"2025-01-01T00:00:00Z","endDateTime":"2026-01-01T00:00:00Z"}}"#
        ),
    );
    for command in ["scan", "inventory"] {
        for format in ["text", "json"] {
            let output = deprov()
                .args([
                    command,
                    dir.path().to_str().unwrap(),
                    "--now",
                    NOW,
                    "--format",
                    format,
                ])
                .output()
                .unwrap();
            for stream in [&output.stdout, &output.stderr] {
                let text = String::from_utf8_lossy(stream);
                assert!(!text.contains("PLANTED"), "{command} {format}: {text}");
                assert!(!text.contains("Qx7"), "{command} {format}: {text}");
            }
        }
    }
    // The never-expiring secret is there, by its keyId.
    let (report, _) = scan_json(dir.path(), &[]);
    let found = findings_of(&report, "invoice-bot");
    assert!(found.contains(&(
        "STL004".into(),
        Value::String("22222222-0000-4000-8000-000000000002".into())
    )));
}
