//! `deprov verify … --evidence DIR` and `deprov verify --check DIR`: the bundle of ci-legacy is
//! pinned, byte-identical across runs, checkable with `sha256sum -c`, and `--check` tells a
//! bundle that holds from one whose inputs changed, vanished or whose files were altered.

mod common;

use std::path::Path;

use common::{copy_tree, deprov_in, root, testdata, NOW};

/// `deprov verify ci-legacy example-org --now NOW --evidence BUNDLE`, run from the repository
/// root with relative paths (so the manifest's paths are the same on every machine).
fn write_bundle(bundle: &Path) -> i32 {
    deprov_in(&root())
        .args(["verify", "ci-legacy", "testdata/example-org", "--now", NOW])
        .arg("--evidence")
        .arg(bundle)
        .arg("--no-progress")
        .output()
        .expect("runs")
        .status
        .code()
        .unwrap_or(-1)
}

fn read(path: &Path) -> String {
    std::fs::read_to_string(path).expect("bundle file")
}

#[test]
fn ci_legacy_bundle_is_pinned_and_byte_identical() {
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle");
    assert_eq!(
        write_bundle(&bundle),
        1,
        "ci-legacy still has residual access"
    );
    let first: Vec<Vec<u8>> = [
        "result.json",
        "manifest.json",
        "inputs.sha256",
        "SHA256SUMS",
    ]
    .iter()
    .map(|name| std::fs::read(bundle.join(name)).unwrap())
    .collect();
    std::fs::remove_dir_all(&bundle).unwrap();
    write_bundle(&bundle);
    let second: Vec<Vec<u8>> = [
        "result.json",
        "manifest.json",
        "inputs.sha256",
        "SHA256SUMS",
    ]
    .iter()
    .map(|name| std::fs::read(bundle.join(name)).unwrap())
    .collect();
    assert_eq!(
        first, second,
        "the same inputs and --now give the same bytes"
    );

    let bundle_text = bundle.display().to_string();
    let manifest = read(&bundle.join("manifest.json")).replace(&bundle_text, "[BUNDLE]");
    insta::assert_snapshot!("ci_legacy_evidence_manifest", manifest);
    insta::assert_snapshot!(
        "ci_legacy_evidence_result",
        read(&bundle.join("result.json"))
    );
    // Every input read is listed, hashed, and the credential report's export time is carried.
    let manifest: serde_json::Value = serde_json::from_str(&manifest).unwrap();
    let inputs = manifest["inputs"].as_array().unwrap();
    assert!(inputs.iter().any(|i| i["format"] == "git/repository"
        && i["kind"] == "directory"
        && i["sha256"].as_str().is_some_and(|h| h.len() == 64)));
    assert!(inputs
        .iter()
        .all(|i| i["sha256"].as_str().is_some_and(|h| h.len() == 64)));
    let result: serde_json::Value =
        serde_json::from_str(&read(&bundle.join("result.json"))).unwrap();
    assert_eq!(result["complete"], false);
    assert!(result["last_use"]
        .as_object()
        .is_some_and(|m| !m.is_empty()));
}

#[test]
fn sha256sum_checks_the_bundle_and_the_inputs() {
    if std::process::Command::new("sha256sum")
        .arg("--version")
        .output()
        .is_err()
    {
        eprintln!("SKIPPED: no sha256sum on this machine");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let bundle = dir.path().join("bundle");
    write_bundle(&bundle);
    let bundle_files = std::process::Command::new("sha256sum")
        .args(["-c", "--strict", "SHA256SUMS"])
        .current_dir(&bundle)
        .output()
        .unwrap();
    assert!(bundle_files.status.success(), "{bundle_files:?}");
    let inputs = std::process::Command::new("sha256sum")
        .args(["-c", "--strict"])
        .arg(bundle.join("inputs.sha256"))
        .current_dir(root())
        .output()
        .unwrap();
    assert!(inputs.status.success(), "{inputs:?}");
}

#[test]
fn check_says_whether_the_evidence_holds() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org");
    copy_tree(&testdata("example-org"), &org);
    // A collector's export manifest: its export time is recorded in the bundle.
    std::fs::write(
        org.join("aws/export.json"),
        r#"{"tool": "contrib/export/aws.sh", "family": "aws", "exported_at": "2026-11-24T06:00:00Z", "source": {"account": "111122223333"}}"#,
    )
    .unwrap();
    let bundle = dir.path().join("bundle");
    let code = deprov_in(dir.path())
        .args(["verify", "ci-legacy", "org", "--now", NOW, "--no-progress"])
        .arg("--evidence")
        .arg(&bundle)
        .output()
        .unwrap()
        .status
        .code();
    assert_eq!(code, Some(1));
    let check = |bundle: &Path| {
        let output = deprov_in(dir.path())
            .args(["verify", "--check"])
            .arg(bundle)
            .output()
            .unwrap();
        (
            output.status.code(),
            String::from_utf8_lossy(&output.stdout).into_owned(),
        )
    };
    let manifest: serde_json::Value =
        serde_json::from_str(&read(&bundle.join("manifest.json"))).unwrap();
    let export = manifest["inputs"]
        .as_array()
        .unwrap()
        .iter()
        .find(|i| i["path"] == "org/aws/export.json")
        .expect("the export manifest is an input");
    assert_eq!(export["exported_at"], "2026-11-24T06:00:00Z");
    let (code, text) = check(&bundle);
    assert_eq!(code, Some(0), "{text}");
    assert!(text.contains("HOLDS"), "{text}");

    // A changed export and a removed one are named, and the evidence no longer holds.
    std::fs::write(
        org.join("aws/access-keys/ci-legacy.json"),
        "{\"AccessKeyMetadata\": []}",
    )
    .unwrap();
    std::fs::remove_file(org.join("gcp/keys-ci-legacy.json")).unwrap();
    let (code, text) = check(&bundle);
    assert_eq!(code, Some(1), "{text}");
    assert!(text.contains("DOES NOT HOLD"), "{text}");
    assert!(
        text.contains("changed    org/aws/access-keys/ci-legacy.json"),
        "{text}"
    );
    assert!(
        text.contains("missing    org/gcp/keys-ci-legacy.json"),
        "{text}"
    );
    let json = deprov_in(dir.path())
        .args(["verify", "--format", "json", "--check"])
        .arg(&bundle)
        .output()
        .unwrap();
    let report: serde_json::Value = serde_json::from_slice(&json.stdout).unwrap();
    assert_eq!(report["holds"], false);
    assert_eq!(report["same_result"], false);

    // An altered bundle file is reported.
    std::fs::write(bundle.join("result.json"), "{}").unwrap();
    let (code, text) = check(&bundle);
    assert_eq!(code, Some(1));
    assert!(
        text.contains("bundle file result.json does not match SHA256SUMS"),
        "{text}"
    );

    // Not a bundle: a usage error.
    let (code, _) = check(&org);
    assert_eq!(code, Some(2));
}
