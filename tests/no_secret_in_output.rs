//! Secret material planted in the inputs never appears in any output format: findings carry
//! native IDs only.

mod common;

use common::{deprov, NOW};

/// A fake AWS secret access key, shaped like a real one.
const PLANTED_SECRET: &str = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYzPLANTEDKEY";

#[test]
fn planted_secrets_never_reach_an_output() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("register.yaml"),
        "identities:\n  - id: svc\n    status: retired\n    retired_at: 2026-01-01\n    owner: team-a\n    aliases: [arn:aws:iam::111122223333:user/svc]\nteams:\n  - id: team-a\n",
    )
    .unwrap();
    std::fs::write(
        dir.path().join("create-access-key.json"),
        format!(
            "{{\"AccessKey\": {{\"UserName\": \"svc\", \"AccessKeyId\": \"AKIA5PLANTEDTESTKEYA\", \"Status\": \"Active\", \"SecretAccessKey\": \"{PLANTED_SECRET}\", \"CreateDate\": \"2025-01-01T00:00:00Z\"}}}}"
        ),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("report.csv"),
        "user,arn,user_creation_time,password_enabled,access_key_1_active,access_key_1_last_rotated\nsvc,arn:aws:iam::111122223333:user/svc,2025-01-01T00:00:00+00:00,false,true,2025-01-01T00:00:00+00:00\n",
    )
    .unwrap();
    let mut outputs = Vec::new();
    for format in ["text", "json"] {
        let output = deprov()
            .args([
                "scan",
                dir.path().to_str().unwrap(),
                "--now",
                NOW,
                "--format",
                format,
            ])
            .output()
            .unwrap();
        assert_eq!(
            output.status.code(),
            Some(1),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        outputs.push((format.to_string(), output.stdout, output.stderr));
    }
    for format in ["text", "json"] {
        let output = deprov()
            .args([
                "inventory",
                dir.path().to_str().unwrap(),
                "--format",
                format,
            ])
            .output()
            .unwrap();
        outputs.push((format!("inventory {format}"), output.stdout, output.stderr));
    }
    for (format, stdout, stderr) in &outputs {
        let stdout = String::from_utf8_lossy(stdout);
        assert!(
            stdout.contains("AKIA5PLANTEDTESTKEYA"),
            "{format}: the key ID is the evidence"
        );
        for text in [stdout.as_ref(), String::from_utf8_lossy(stderr).as_ref()] {
            assert!(!text.contains(PLANTED_SECRET), "{format} leaks the secret");
            assert!(
                !text.contains("PLANTEDKEY"),
                "{format} leaks part of the secret"
            );
        }
    }
}
