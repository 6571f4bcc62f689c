//! Secret material planted in the inputs never appears in any output: every report format,
//! the inventory, the verify checklist and standard error. Findings carry native IDs, and for a
//! high-entropy token a four-character preview and a hash. A low-entropy password (issue 13,
//! item 13) leaves nothing a reader could test guesses against: no preview, no plain digest, no
//! fingerprint computed from it; with the organisation's key, only an HMAC under that key.

mod common;
#[path = "support/repo_fixture.rs"]
mod repo_fixture;

use common::{deprov, testdata, NOW};
use hmac::{Hmac, Mac};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// A fake AWS secret access key, shaped like a real one, in an export.
fn export_secret() -> String {
    ["wJalrXUtnFEMI", "K7MDENG", "bPxRfiCYPLANTEDKEY"].join("/")
}

/// Every 8-character window of a secret: none may appear (the 4-character preview may).
fn windows(secret: &str) -> Vec<String> {
    let chars: Vec<char> = secret.chars().collect();
    chars.windows(8).map(|w| w.iter().collect()).collect()
}

#[test]
fn planted_secrets_never_reach_an_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("register.yaml"),
        "identities:\n  - id: svc\n    status: retired\n    retired_at: 2026-01-01\n    owner: team-a\n    aliases: [arn:aws:iam::111122223333:user/svc, \"dns:legacy-payments.mesh.example.com\"]\nteams:\n  - id: team-a\n",
    )
    .unwrap();
    std::fs::write(
        root.join("create-access-key.json"),
        format!(
            "{{\"AccessKey\": {{\"UserName\": \"svc\", \"AccessKeyId\": \"AKIA5PLANTEDTESTKEYA\", \"Status\": \"Active\", \"SecretAccessKey\": \"{}\", \"CreateDate\": \"2025-01-01T00:00:00Z\"}}}}",
            export_secret()
        ),
    )
    .unwrap();
    std::fs::write(
        root.join("report.csv"),
        "user,arn,user_creation_time,password_enabled,access_key_1_active,access_key_1_last_rotated\nsvc,arn:aws:iam::111122223333:user/svc,2025-01-01T00:00:00+00:00,false,true,2025-01-01T00:00:00+00:00\n",
    )
    .unwrap();
    std::fs::copy(
        testdata("example-org/certs/mesh/trust-bundle.pem"),
        root.join("bundle.pem"),
    )
    .unwrap();
    let key = std::fs::read_to_string(testdata("repo-fixture/files/legacy-payments.key")).unwrap();
    repo_fixture::build(&root.join("repo"), &key).unwrap();

    let mut secrets = vec![
        export_secret(),
        repo_fixture::ci_legacy_secret(),
        repo_fixture::deploy_bot_secret(),
        repo_fixture::slack_token(),
        repo_fixture::fixture_token(),
        repo_fixture::metrics_agent_key(),
    ];
    // Every line of the private key's body.
    secrets.extend(
        key.lines()
            .filter(|l| !l.starts_with("-----") && l.len() >= 16)
            .map(str::to_string),
    );

    let root_arg = root.to_str().unwrap();
    let mut runs: Vec<(String, Vec<u8>, Vec<u8>)> = Vec::new();
    for format in [
        "text", "json", "sarif", "junit", "markdown", "html", "oscal", "runbook",
    ] {
        let output = deprov()
            .args(["scan", root_arg, "--now", NOW, "--format", format])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{format}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        runs.push((format!("scan {format}"), output.stdout, output.stderr));
    }
    for format in ["text", "json"] {
        let output = deprov()
            .args(["inventory", root_arg, "--format", format])
            .output()
            .unwrap();
        runs.push((format!("inventory {format}"), output.stdout, output.stderr));
        let output = deprov()
            .args(["verify", "svc", root_arg, "--now", NOW, "--format", format])
            .output()
            .unwrap();
        runs.push((format!("verify {format}"), output.stdout, output.stderr));
    }

    let json = String::from_utf8_lossy(&runs[1].1).into_owned();
    assert!(
        json.contains("AKIA5PLANTEDTESTKEYA"),
        "the key ID is the evidence"
    );
    assert!(
        json.contains("\"preview\""),
        "repository findings show a preview"
    );
    for (name, stdout, stderr) in &runs {
        for text in [
            String::from_utf8_lossy(stdout),
            String::from_utf8_lossy(stderr),
        ] {
            for secret in &secrets {
                for window in windows(secret) {
                    assert!(
                        !text.contains(&window),
                        "{name} leaks `{window}` of a planted secret"
                    );
                }
            }
        }
    }
}

/// Low-entropy passwords of the password-class detectors, each with the file that holds it.
/// Their first four characters appear nowhere else in any output.
const PASSWORDS: &[(&str, &str, &str)] = &[
    (
        "url-credentials",
        "Winter2024x",
        "deploy.txt:DATABASE_URL=postgres://billing:Winter2024x@db.internal:5432/billing\n",
    ),
    (
        "generic-secret-assignment",
        "Tr0ub4dor-3xq",
        "app.conf:[database]\ndb_password = \"Tr0ub4dor-3xq\"\n",
    ),
    (
        "dotenv-credential",
        "Zebra2024!!",
        "svc/.env:DB_PASSWORD=Zebra2024!!\n",
    ),
];

/// The organisation's digest key in the tests (64 hex characters, as `openssl rand -hex 32`).
const KEY: &str = "9b2f6c0e4a8d1f3b7e5c9a2d6f0b4e8c1a3d5f7b9e2c4a6d8f0b1e3c5a7d9f2e";
const KEY_VAR: &str = "DEPROV_TEST_DIGEST_KEY";

fn sha256_hex(value: &str) -> String {
    hex::encode(Sha256::digest(value.as_bytes()))
}

/// What a keyed run must show: HMAC-SHA-256 under the key of the value's SHA-256.
fn keyed(value: &str) -> String {
    let mut mac = Hmac::<Sha256>::new_from_slice(KEY.as_bytes()).unwrap();
    mac.update(&Sha256::digest(value.as_bytes()));
    hex::encode(mac.finalize().into_bytes())
}

fn plant_passwords(root: &std::path::Path) {
    for (_, _, file) in PASSWORDS {
        let (path, content) = file.split_once(':').unwrap();
        let path = root.join(path);
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(path, content).unwrap();
    }
}

/// Everything derived from `password` without a key that an output must not hold: the value,
/// its first four characters, any six in a row, any 12 hex digits in a row of its SHA-256 (a
/// message shows 16), the SHA-256 in base64, and the fingerprint deprov used to make from it.
fn forbidden(detector: &str, password: &str) -> Vec<String> {
    use base64::Engine as _;
    let chars: Vec<char> = password.chars().collect();
    let sha = sha256_hex(password);
    let mut out = vec![password.to_string(), chars[..4].iter().collect()];
    out.extend(chars.windows(6).map(|w| w.iter().collect::<String>()));
    out.extend(
        sha.as_bytes()
            .windows(12)
            .map(|w| String::from_utf8(w.to_vec()).unwrap()),
    );
    out.push(base64::engine::general_purpose::STANDARD.encode(Sha256::digest(password.as_bytes())));
    for rule in ["LEAK001", "LEAK002", "DPV004"] {
        let old = deprov::findings::fingerprint(
            rule,
            "files",
            &format!("exposure:files:.:{detector}:{sha}"),
        );
        out.push(old[rule.len() + 1..].to_string());
    }
    out
}

/// stdout and stderr of every output the brief lists, for a scan of `root` with `extra` args.
fn every_output(root: &str, extra: &[&str], key: bool) -> Vec<(String, String)> {
    let run = |args: Vec<&str>| {
        let mut cmd = deprov();
        if key {
            cmd.env(KEY_VAR, KEY);
        } else {
            cmd.env_remove(KEY_VAR);
        }
        let output = cmd.args(&args).args(extra).output().unwrap();
        assert!(
            matches!(output.status.code(), Some(0 | 1)),
            "{args:?}: {}",
            String::from_utf8_lossy(&output.stderr)
        );
        format!(
            "{}\n{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    };
    let mut outputs = Vec::new();
    for format in [
        "text", "json", "sarif", "junit", "markdown", "html", "oscal", "runbook",
    ] {
        let text = run(vec!["scan", root, "--now", NOW, "--format", format]);
        outputs.push((format!("scan {format}"), text));
    }
    for format in ["text", "json"] {
        let text = run(vec!["inventory", root, "--format", format]);
        outputs.push((format!("inventory {format}"), text));
        let text = run(vec![
            "verify", "svc", root, "--now", NOW, "--format", format,
        ]);
        outputs.push((format!("verify {format}"), text));
    }
    outputs
}

fn scan_report(root: &str, extra: &[&str], key: bool) -> Value {
    let mut cmd = deprov();
    if key {
        cmd.env(KEY_VAR, KEY);
    } else {
        cmd.env_remove(KEY_VAR);
    }
    let output = cmd
        .args([
            "scan",
            root,
            "--now",
            NOW,
            "--format",
            "json",
            "--fail-on",
            "none",
        ])
        .args(extra)
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

/// The `secret` of every finding about a planted password, with its rule, path and fingerprint.
fn password_findings(report: &Value) -> Vec<Value> {
    let detectors: Vec<&str> = PASSWORDS.iter().map(|(d, _, _)| *d).collect();
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| {
            f["secret"]["detector"]
                .as_str()
                .is_some_and(|d| detectors.contains(&d))
        })
        .map(|f| {
            serde_json::json!({
                "id": f["id"],
                "rule": f["rule"],
                "path": f["evidence"]["path"],
                "message": f["message"],
                "secret": f["secret"],
            })
        })
        .collect()
}

#[test]
fn low_entropy_passwords_leave_nothing_to_guess_against() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir(&root).unwrap();
    std::fs::write(
        root.join("register.yaml"),
        "identities:\n  - id: svc\n    status: retired\n    retired_at: 2026-01-01\n    owner: team-a\n    aliases: [arn:aws:iam::111122223333:user/svc]\nteams:\n  - id: team-a\n",
    )
    .unwrap();
    plant_passwords(&root);
    let config = dir.path().join("deprov.yaml");
    std::fs::write(&config, format!("secrets:\n  digest_key_env: {KEY_VAR}\n")).unwrap();
    let root_arg = root.to_str().unwrap();
    let config_arg = ["--config", config.to_str().unwrap()];

    // Without a key, and with it: nothing derived from a password without the key, anywhere.
    for (key, extra) in [(false, &[][..]), (true, &config_arg[..])] {
        for (name, text) in every_output(root_arg, extra, key) {
            for (detector, password, _) in PASSWORDS {
                for needle in forbidden(detector, password) {
                    assert!(
                        !text.contains(&needle),
                        "{name} (key: {key}) holds `{needle}`, derived from {detector}'s password"
                    );
                }
            }
        }
    }

    // Without a key: no preview, no digest, the reason; the same fingerprints run after run.
    let plain = password_findings(&scan_report(root_arg, &[], false));
    assert_eq!(plain.len(), PASSWORDS.len(), "{plain:#?}");
    for finding in &plain {
        let secret = &finding["secret"];
        assert_eq!(secret["withheld"], "password-class", "{finding}");
        for absent in ["preview", "sha256", "hmac_sha256"] {
            assert!(secret.get(absent).is_none(), "{absent} in {finding}");
        }
    }
    assert_eq!(plain, password_findings(&scan_report(root_arg, &[], false)));

    // With the key: the keyed digest of each password, the same run after run.
    let keyed_run = password_findings(&scan_report(root_arg, &config_arg, true));
    let mut digests: Vec<String> = keyed_run
        .iter()
        .map(|f| f["secret"]["hmac_sha256"].as_str().unwrap().to_string())
        .collect();
    digests.sort();
    let mut expected: Vec<String> = PASSWORDS.iter().map(|(_, p, _)| keyed(p)).collect();
    expected.sort();
    assert_eq!(digests, expected);
    for finding in &keyed_run {
        assert!(
            finding["secret"].get("preview").is_none() && finding["secret"].get("sha256").is_none()
        );
        let digest = finding["secret"]["hmac_sha256"].as_str().unwrap();
        assert!(
            finding["message"]
                .as_str()
                .unwrap()
                .contains(&format!("hmac-sha256 {}", &digest[..16])),
            "{finding}"
        );
    }
    assert_eq!(
        keyed_run,
        password_findings(&scan_report(root_arg, &config_arg, true))
    );
    // The key changes what identifies a password (its digest instead of its place).
    let ids = |findings: &[Value]| -> Vec<String> {
        let mut ids: Vec<String> = findings
            .iter()
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect();
        ids.sort();
        ids
    };
    assert_ne!(ids(&plain), ids(&keyed_run));

    insta::assert_json_snapshot!("password_findings_without_key", plain);
    insta::assert_json_snapshot!("password_findings_with_key", keyed_run);
}

/// The same setting held two passwords over history: two findings with two fingerprints, stable
/// run after run, without a key (the first commit tells them apart) and with one (the digest).
/// Two files holding one password are one finding.
#[test]
fn passwords_a_setting_held_over_history_stay_apart() {
    use git2::{Repository, Signature, Time};
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("repo");
    let repo = Repository::init(&root).unwrap();
    let mut parent: Option<git2::Oid> = None;
    for (time, files) in [
        (
            1_700_000_000,
            vec![("config/db.env", "DB_PASSWORD=Zebra2024!!\n")],
        ),
        (
            1_700_100_000,
            vec![
                ("config/db.env", "DB_PASSWORD=Walrus2025??\n"),
                ("config/copy.env", "DB_PASSWORD=Walrus2025??\n"),
            ],
        ),
    ] {
        for (path, content) in files {
            let full = root.join(path);
            std::fs::create_dir_all(full.parent().unwrap()).unwrap();
            std::fs::write(full, content).unwrap();
        }
        let mut index = repo.index().unwrap();
        index
            .add_all(["*"].iter(), git2::IndexAddOption::DEFAULT, None)
            .unwrap();
        index.write().unwrap();
        let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
        let signature = Signature::new("Dev", "dev@example.com", &Time::new(time, 0)).unwrap();
        let parents: Vec<git2::Commit> = parent
            .map(|p| repo.find_commit(p).unwrap())
            .into_iter()
            .collect();
        let refs: Vec<&git2::Commit> = parents.iter().collect();
        parent = Some(
            repo.commit(Some("HEAD"), &signature, &signature, "db", &tree, &refs)
                .unwrap(),
        );
    }
    let config = dir.path().join("deprov.yaml");
    std::fs::write(&config, format!("secrets:\n  digest_key_env: {KEY_VAR}\n")).unwrap();
    let root_arg = root.to_str().unwrap();
    let config_arg = ["--config", config.to_str().unwrap()];
    for (key, extra) in [(false, &[][..]), (true, &config_arg[..])] {
        let findings = |report: &Value| -> Vec<(String, String)> {
            let mut found: Vec<(String, String)> = report["findings"]
                .as_array()
                .unwrap()
                .iter()
                .filter(|f| f["secret"]["detector"] == "dotenv-credential")
                .map(|f| {
                    (
                        f["id"].as_str().unwrap().to_string(),
                        f["evidence"]["path"].as_str().unwrap().to_string(),
                    )
                })
                .collect();
            found.sort();
            found
        };
        let first = findings(&scan_report(root_arg, extra, key));
        assert_eq!(first.len(), 2, "key: {key}: {first:?}");
        assert_ne!(first[0].0, first[1].0, "key: {key}");
        assert_eq!(
            first,
            findings(&scan_report(root_arg, extra, key)),
            "key: {key}"
        );
        let text = serde_json::to_string(&scan_report(root_arg, extra, key)).unwrap();
        for password in ["Zebra2024!!", "Walrus2025??"] {
            for needle in forbidden("dotenv-credential", password) {
                assert!(!text.contains(&needle), "key: {key}: `{needle}`");
            }
        }
    }
}

/// A key the config names must be there and strong: otherwise the run stops (exit 2) rather
/// than writing reports without the digests (and with other fingerprints) than asked for.
#[test]
fn a_named_digest_key_must_be_set_and_strong() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir(&root).unwrap();
    plant_passwords(&root);
    let config = dir.path().join("deprov.yaml");
    std::fs::write(&config, format!("secrets:\n  digest_key_env: {KEY_VAR}\n")).unwrap();
    for (value, code) in [
        (None, "deprov::config::digest_key_unset"),
        (Some(""), "deprov::config::digest_key_unset"),
        (Some("too-short-a-key"), "deprov::config::digest_key_weak"),
        (
            Some("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"),
            "deprov::config::digest_key_weak",
        ),
    ] {
        let mut cmd = deprov();
        match value {
            Some(value) => cmd.env(KEY_VAR, value),
            None => cmd.env_remove(KEY_VAR),
        };
        let output = cmd
            .args(["scan", root.to_str().unwrap(), "--now", NOW, "--config"])
            .arg(&config)
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{value:?}: {stderr}");
        assert!(stderr.contains(code), "{value:?}: {stderr}");
        assert!(output.stdout.is_empty(), "no report without the key");
        if let Some(value) = value.filter(|v| !v.is_empty()) {
            assert!(!stderr.contains(value), "the key is never shown");
        }
    }
    std::fs::write(&config, "secrets:\n  digest_key_env: \"export X=abc\"\n").unwrap();
    let output = deprov()
        .args(["scan", root.to_str().unwrap(), "--now", NOW, "--config"])
        .arg(&config)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("deprov::config::digest_key_env"));
}

/// `merge` and `diff` read JSON reports back: withheld secrets (no preview, no digest, a keyed
/// one) go through both unchanged, and merged shards equal a single run in every format.
#[test]
fn merge_and_diff_read_reports_with_withheld_secrets() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir(&root).unwrap();
    plant_passwords(&root);
    let config = dir.path().join("deprov.yaml");
    std::fs::write(&config, format!("secrets:\n  digest_key_env: {KEY_VAR}\n")).unwrap();
    let root_arg = root.to_str().unwrap();
    let config_arg = ["--config", config.to_str().unwrap()];
    for (key, extra) in [(false, &[][..]), (true, &config_arg[..])] {
        let command = || {
            let mut cmd = deprov();
            if key {
                cmd.env(KEY_VAR, KEY);
            } else {
                cmd.env_remove(KEY_VAR);
            }
            cmd
        };
        let mut shards = Vec::new();
        for k in 1..=2 {
            let file = dir.path().join(format!("shard-{k}-{key}.json"));
            let output = command()
                .args(["scan", root_arg, "--now", NOW, "--fail-on", "none"])
                .args(["--shard", &format!("{k}/2"), "--format", "json", "--output"])
                .arg(&file)
                .args(extra)
                .output()
                .unwrap();
            assert_eq!(
                output.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&output.stderr)
            );
            shards.push(file);
        }
        for format in [
            "json", "sarif", "text", "markdown", "html", "junit", "oscal",
        ] {
            let single = command()
                .args([
                    "scan",
                    root_arg,
                    "--now",
                    NOW,
                    "--fail-on",
                    "none",
                    "--format",
                    format,
                ])
                .args(extra)
                .output()
                .unwrap();
            let merged = command()
                .arg("merge")
                .args(&shards)
                .args(["--format", format, "--fail-on", "none"])
                .output()
                .unwrap();
            assert_eq!(
                merged.status.code(),
                Some(0),
                "{}",
                String::from_utf8_lossy(&merged.stderr)
            );
            assert!(
                single.stdout == merged.stdout,
                "key {key}: merged {format} differs from a single run"
            );
        }

        let new = dir.path().join(format!("new-{key}.json"));
        let report = scan_report(root_arg, extra, key);
        std::fs::write(&new, serde_json::to_vec(&report).unwrap()).unwrap();
        let mut old_report = report.clone();
        old_report["findings"] = Value::Array(Vec::new());
        let old = dir.path().join(format!("old-{key}.json"));
        std::fs::write(&old, serde_json::to_vec(&old_report).unwrap()).unwrap();
        let unchanged = deprov()
            .args(["diff"])
            .arg(&new)
            .arg(&new)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(unchanged.status.code(), Some(0));
        let unchanged: Value = serde_json::from_slice(&unchanged.stdout).unwrap();
        assert_eq!(
            unchanged["summary"]["unchanged"],
            report["findings"].as_array().unwrap().len()
        );
        let added = deprov()
            .args(["diff"])
            .arg(&old)
            .arg(&new)
            .args(["--format", "json"])
            .output()
            .unwrap();
        assert_eq!(added.status.code(), Some(1));
        let added: Value = serde_json::from_slice(&added.stdout).unwrap();
        assert_eq!(
            password_findings(&serde_json::json!({ "findings": added["new"] })),
            password_findings(&report)
        );
    }
}

/// A secret-shaped value of `n` characters, assembled at run time (this file holds none).
fn planted(tag: &str, n: usize) -> String {
    let alphabet = b"AbCdEfGhJkMnPqRsTuVwXyZ23456789xQ";
    let seed = Sha256::digest(tag.as_bytes());
    (0..n)
        .map(|i| char::from(alphabet[usize::from(seed[i % 32] ^ (i as u8)) % alphabet.len()]))
        .collect()
}

/// Issue 16: Terraform states and plans hold secrets in plain (an access key's `secret`, a
/// service-account key's `private_key`, a client secret's `value`, a Secret's `data`, a
/// generated password, a database password nested in a block, a sensitive output). None of
/// them reaches any output, whether the state is given as an export, shown with `terraform
/// show -json`, in a plan, or committed to a repository; with or without a digest key.
#[test]
fn planted_terraform_secrets_never_reach_an_output() {
    let secrets: Vec<(&str, String)> = vec![
        ("secret", planted("aws", 40)),
        ("ses_smtp_password_v4", planted("ses", 44)),
        ("private_key", planted("gcp", 64)),
        ("value", planted("entra", 40)),
        ("data.token", planted("k8s", 48)),
        ("result", planted("random", 24)),
        ("password", planted("rds", 20)),
        ("output", planted("output", 32)),
    ];
    let value = |name: &str| {
        secrets
            .iter()
            .find(|(n, _)| *n == name)
            .map(|(_, v)| v.clone())
            .unwrap()
    };
    let instance = |attributes: Value, sensitive: Value| serde_json::json!([{"schema_version": 0, "attributes": attributes, "sensitive_attributes": sensitive}]);
    let get_attr = |name: &str| serde_json::json!([{"type": "get_attr", "value": name}]);
    let resources = serde_json::json!([
        {"mode": "managed", "type": "aws_iam_access_key", "name": "k", "instances": instance(
            serde_json::json!({"id": "AKIA5PLANTEDTFSTATE1", "user": "svc", "secret": value("secret"),
                               "ses_smtp_password_v4": value("ses_smtp_password_v4"), "status": "Active"}),
            serde_json::json!([get_attr("secret"), get_attr("ses_smtp_password_v4")]))},
        {"mode": "managed", "type": "aws_iam_user", "name": "u", "instances": instance(
            serde_json::json!({"arn": "arn:aws:iam::111122223333:user/svc", "name": "svc"}), serde_json::json!([]))},
        {"mode": "managed", "type": "google_service_account_key", "name": "g", "instances": instance(
            serde_json::json!({"id": "projects/p/serviceAccounts/svc@p.iam.gserviceaccount.com/keys/0a1b2c",
                               "service_account_id": "projects/p/serviceAccounts/svc@p.iam.gserviceaccount.com",
                               "private_key": value("private_key")}),
            serde_json::json!([]))},
        {"mode": "managed", "type": "azuread_application_password", "name": "a", "instances": instance(
            serde_json::json!({"application_id": "/applications/9f0c6a51-2b7e-4c3d-8e1f-5a6b7c8d9e0f",
                               "key_id": "1d2e3f40-5a6b-4c7d-8e9f-0a1b2c3d4e5f", "value": value("value")}),
            serde_json::json!([get_attr("value")]))},
        {"mode": "managed", "type": "kubernetes_secret_v1", "name": "s", "instances": instance(
            serde_json::json!({"metadata": [{"name": "svc-token", "namespace": "ci",
                                             "annotations": {"kubernetes.io/service-account.name": "svc"}}],
                               "type": "kubernetes.io/service-account-token",
                               "data": {"token": value("data.token"), "namespace": "ci"}}),
            serde_json::json!([get_attr("data")]))},
        {"mode": "managed", "type": "random_password", "name": "r", "instances": instance(
            serde_json::json!({"id": "none", "length": 24, "result": value("result")}), serde_json::json!([]))},
        {"mode": "managed", "type": "aws_db_instance", "name": "db", "instances": instance(
            serde_json::json!({"id": "db-1", "identifier": "billing",
                               "connection": [{"host": "db.internal", "password": value("password")}]}),
            serde_json::json!([[{"type": "get_attr", "value": "connection"}, {"type": "index", "value": {"value": 0, "type": "number"}}, {"type": "get_attr", "value": "password"}]]))}
    ]);
    let state = serde_json::json!({
        "version": 4, "terraform_version": "1.6.0", "serial": 3, "lineage": "planted",
        "outputs": {"db": {"value": value("output"), "type": "string", "sensitive": true}},
        "resources": resources
    });
    // The same objects as `terraform show -json` and a plan show them.
    let shown: Vec<Value> = resources
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            serde_json::json!({
                "address": format!("{}.{}", r["type"].as_str().unwrap(), r["name"].as_str().unwrap()),
                "mode": "managed", "type": r["type"], "name": r["name"],
                "values": r["instances"][0]["attributes"],
                "sensitive_values": {"secret": true, "value": true, "data": true}
            })
        })
        .collect();
    let show = serde_json::json!({"format_version": "1.0", "terraform_version": "1.6.0",
        "values": {"outputs": {"db": {"sensitive": true, "value": value("output")}}, "root_module": {"resources": shown}}});
    let changes: Vec<Value> = shown
        .iter()
        .map(|r| {
            serde_json::json!({"address": r["address"], "mode": "managed", "type": r["type"], "name": r["name"],
                "change": {"actions": ["no-op"], "before": r["values"], "after": r["values"],
                           "before_sensitive": r["sensitive_values"], "after_sensitive": r["sensitive_values"]}})
        })
        .collect();
    let plan = serde_json::json!({"format_version": "1.2", "terraform_version": "1.6.0",
        "planned_values": show["values"], "resource_changes": changes,
        "prior_state": {"format_version": "1.0", "values": show["values"]}});

    let dir = tempfile::tempdir().unwrap();
    let root = dir.path();
    std::fs::write(
        root.join("register.yaml"),
        "identities:\n  - id: svc\n    status: retired\n    retired_at: 2026-01-01\n    owner: team-a\n    aliases: [arn:aws:iam::111122223333:user/svc, svc@p.iam.gserviceaccount.com, \"system:serviceaccount:ci:svc\"]\nteams:\n  - id: team-a\n",
    )
    .unwrap();
    let pretty = |v: &Value| serde_json::to_string_pretty(v).unwrap();
    for (dir, name, text) in [
        ("state", "terraform.tfstate", pretty(&state)),
        ("shown", "show.json", serde_json::to_string(&show).unwrap()),
        ("plan", "plan.json", pretty(&plan)),
    ] {
        std::fs::create_dir_all(root.join(dir)).unwrap();
        std::fs::write(root.join(dir).join(name), text).unwrap();
    }
    // The state committed to a repository, where the secret detectors read it as well.
    let repo_dir = root.join("repo");
    let repo = git2::Repository::init(&repo_dir).unwrap();
    std::fs::write(repo_dir.join("terraform.tfstate"), pretty(&state)).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_path(std::path::Path::new("terraform.tfstate"))
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let who =
        git2::Signature::new("ci", "ci@example.com", &git2::Time::new(1_700_000_000, 0)).unwrap();
    repo.commit(Some("HEAD"), &who, &who, "state", &tree, &[])
        .unwrap();

    let root_arg = root.to_str().unwrap();
    let report = scan_report(root_arg, &[], false);
    let in_files: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["secret"]["withheld"] == "in-export")
        .collect();
    // Seven attributes and an output, in each of the four files (the copies of one value in the
    // three files of the data paths are one finding each: they are other configurations).
    assert!(in_files.len() >= 8, "{in_files:#?}");
    assert!(
        in_files
            .iter()
            .any(|f| f["rule"] == "DPV004" && f["evidence"]["path"] == "repo/terraform.tfstate"),
        "a committed state is a leak of the repository's file"
    );
    for key in [false, true] {
        for (name, text) in every_output(root_arg, &[], key) {
            for (what, secret) in &secrets {
                for window in windows(secret) {
                    assert!(
                        !text.contains(&window),
                        "{name} (key: {key}) leaks `{window}` of the planted {what}"
                    );
                }
            }
        }
    }
}
