//! Secrets inside exports (issue 14): an export that still holds secret material (a
//! `create-access-key` response, an Entra `addPassword` response, a GCP key with its
//! `privateKeyData`, Kubernetes Secrets with their `data`, a Vault audit log written with
//! `log_raw`) is a leak where it is stored. Each is a finding about the export, attributed to the
//! identity it names (DPV004 for a retired one, LEAK002 for an active one, LEAK001 when none),
//! and no output holds the value.

mod common;

use std::collections::BTreeSet;
use std::path::Path;

use common::{deprov, scan_json, testdata};
use serde_json::Value;

const NOW: &str = "2026-12-01T00:00:00Z";

/// (rule, identity, detector, path, line) of every finding about secret material.
fn leak_findings(report: &Value) -> BTreeSet<(String, String, String, String, u64)> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f.get("secret").is_some())
        .map(|f| {
            (
                f["rule"].as_str().unwrap().to_string(),
                f["identity"].as_str().unwrap().to_string(),
                f["secret"]["detector"].as_str().unwrap().to_string(),
                f["evidence"]["path"].as_str().unwrap().to_string(),
                f["evidence"]["line"].as_u64().unwrap_or(0),
            )
        })
        .collect()
}

#[test]
fn every_secret_an_export_holds_is_a_finding_about_the_export() {
    let (report, code) = scan_json(&testdata("export-secrets"), &[]);
    assert_eq!(code, 1, "critical findings fail the gate");
    let found = leak_findings(&report);
    let expected: BTreeSet<_> = [
        (
            "DPV004",
            "ci-legacy",
            "export/aws-secret-access-key",
            "aws/create-access-key-ci-legacy.json",
            6,
        ),
        (
            "DPV004",
            "ci-legacy",
            "export/azure-client-secret",
            "azure/add-password-pipeline.json",
            8,
        ),
        (
            "DPV004",
            "ci-legacy",
            "export/kubernetes-service-account-token",
            "kubernetes/secrets.json",
            6,
        ),
        (
            "DPV004",
            "ci-legacy",
            "export/vault-token",
            "vault/audit/raw-audit.log",
            3,
        ),
        (
            "DPV004",
            "ci-legacy",
            "export/vault-secret-id",
            "vault/audit/raw-audit.log",
            2,
        ),
        (
            "LEAK002",
            "etl-runner",
            "export/gcp-service-account-key",
            "gcp/key-create-etl-runner.json",
            6,
        ),
        (
            "LEAK002",
            "etl-runner",
            "export/kubernetes-service-account-token",
            "kubernetes/secrets.json",
            44,
        ),
        (
            "LEAK002",
            "etl-runner",
            "export/vault-password",
            "vault/audit/raw-audit.log",
            5,
        ),
        // A root token in plain text: attributed to Vault's root, a live credential.
        (
            "LEAK002",
            "vault:root",
            "export/vault-token",
            "vault/audit/raw-audit.log",
            6,
        ),
        (
            "LEAK001",
            "(unattributed)",
            "export/kubernetes-secret",
            "kubernetes/secrets.json",
            64,
        ),
        (
            "LEAK001",
            "(unattributed)",
            "export/vault-password",
            "vault/audit/raw-audit.log",
            6,
        ),
        (
            "LEAK001",
            "(unattributed)",
            "export/vault-password",
            "vault/audit/raw-audit.log",
            7,
        ),
        (
            "LEAK001",
            "(unattributed)",
            "export/vault-token",
            "vault/audit/raw-audit.log",
            7,
        ),
    ]
    .into_iter()
    .map(|(r, i, d, p, l)| {
        (
            r.to_string(),
            i.to_string(),
            d.to_string(),
            p.to_string(),
            l,
        )
    })
    .collect();
    assert_eq!(found, expected, "{found:#?}");
    for finding in report["findings"].as_array().unwrap() {
        if let Some(secret) = finding.get("secret") {
            assert_eq!(secret["withheld"], "in-export", "{finding}");
            assert_eq!(finding["confidence"], "high", "{finding}");
            for absent in ["preview", "sha256", "hmac_sha256"] {
                assert!(secret.get(absent).is_none(), "{absent} in {finding}");
            }
        }
    }
    // Nothing in the directory was left unread.
    assert_eq!(
        (
            &report["summary"]["files_skipped"],
            &report["summary"]["incomplete"]
        ),
        (&Value::from(0), &Value::from(false)),
        "{}",
        report["summary"]
    );
}

/// The secret values the planted exports hold, read from the files themselves.
fn planted_values(root: &Path) -> Vec<String> {
    const SECRET_KEYS: &[&str] = &[
        "SecretAccessKey",
        "secretText",
        "privateKeyData",
        "client_token",
        "secret_id",
        "password",
        "token",
        "DATABASE_URL",
    ];
    /// `secret_data`: the file is a Kubernetes export, whose Secrets' `data` values are secret.
    fn collect(value: &Value, under_data: bool, secret_data: bool, out: &mut Vec<String>) {
        match value {
            Value::Object(map) => {
                for (key, child) in map {
                    let data = secret_data && (key == "data" || key == "stringData");
                    if let Value::String(text) = child {
                        if (under_data || SECRET_KEYS.contains(&key.as_str()))
                            && !text.starts_with("hmac-sha256:")
                            && text.len() >= 8
                        {
                            out.push(text.clone());
                        }
                    }
                    collect(child, data, secret_data, out);
                }
            }
            Value::Array(items) => items
                .iter()
                .for_each(|item| collect(item, false, secret_data, out)),
            _ => {}
        }
    }
    let mut values = Vec::new();
    for entry in walkdir::WalkDir::new(root) {
        let entry = entry.unwrap();
        let path = entry.path();
        let text = match std::fs::read_to_string(path) {
            Ok(text) if entry.file_type().is_file() => text,
            _ => continue,
        };
        let documents: Vec<Value> = if path.extension().is_some_and(|e| e == "log") {
            text.lines()
                .filter_map(|l| serde_json::from_str(l).ok())
                .collect()
        } else {
            serde_json::from_str(&text).into_iter().collect()
        };
        let kubernetes = path.components().any(|c| c.as_os_str() == "kubernetes");
        for document in &documents {
            collect(document, false, kubernetes, &mut values);
        }
    }
    values.sort();
    values.dedup();
    values
}

#[test]
fn no_output_holds_a_secret_from_an_export() {
    let root = testdata("export-secrets");
    let planted = planted_values(&root);
    assert!(planted.len() >= 10, "{planted:?}");
    let root_arg = root.to_str().unwrap();
    for format in [
        "text", "json", "sarif", "junit", "markdown", "html", "oscal", "runbook",
    ] {
        let output = deprov()
            .args(["scan", root_arg, "--now", NOW, "--format", format])
            .output()
            .unwrap();
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        for value in &planted {
            assert!(
                !text.contains(value.as_str()),
                "{format} holds a planted secret ({}…)",
                &value[..4]
            );
        }
    }
    let output = deprov()
        .args(["inventory", root_arg, "--format", "json"])
        .output()
        .unwrap();
    let text = String::from_utf8_lossy(&output.stdout);
    for value in &planted {
        assert!(
            !text.contains(value.as_str()),
            "inventory holds a planted secret"
        );
    }
}
