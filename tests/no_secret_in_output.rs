//! Secret material planted in the inputs never appears in any output: every report format,
//! the inventory, the verify checklist and standard error. Findings carry native IDs, a
//! four-character preview and a hash.

mod common;
#[path = "support/repo_fixture.rs"]
mod repo_fixture;

use common::{deprov, testdata, NOW};

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
        "text", "json", "sarif", "junit", "markdown", "html", "oscal",
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
