//! Certificate containers as real tools write them (testdata/certs/formats, how each was made in
//! its README.md), through the built binary: BER-encoded PKCS#7, PKCS#12 with either form of "no
//! password", Java keystores without their password (issue 15, "real files read right").

mod common;

use common::{deprov, testdata};
use serde_json::Value;

/// `deprov inventory` of the named format samples, copied into a directory of their own, with
/// the extra arguments; the report and the exit code.
fn inventory_of(files: &[&str], extra: &[&str], env: &[(&str, &str)]) -> (Value, i32) {
    let dir = tempfile::tempdir().unwrap();
    for name in files {
        std::fs::copy(testdata("certs/formats").join(name), dir.path().join(name)).unwrap();
    }
    let mut command = deprov();
    command
        .args([
            "inventory",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
        ])
        .args(extra);
    for (name, value) in env {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    let report = serde_json::from_slice(&output.stdout)
        .unwrap_or_else(|e| panic!("not JSON ({e}); stderr: {stderr}"));
    (report, output.status.code().unwrap_or(-1))
}

fn source<'a>(report: &'a Value, path: &str) -> &'a Value {
    report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == path)
        .unwrap_or_else(|| {
            panic!(
                "{path} not read: sources {}, skipped {}",
                report["sources"], report["skipped"]
            )
        })
}

fn identity_ids(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> = report["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

#[test]
fn ber_pkcs7_bundles_are_read_like_their_der_form() {
    // Before issue 15 the BER files were skipped as "binary file".
    let (ber, code) = inventory_of(&["bundle-ber.p7b", "signed-stream-ber.p7m"], &[], &[]);
    assert_eq!(code, 0, "{}", ber["skipped"]);
    assert!(ber["skipped"].as_array().unwrap().is_empty());
    for path in ["bundle-ber.p7b", "signed-stream-ber.p7m"] {
        let read = source(&ber, path);
        assert_eq!(read["format"], "certs/pkcs7", "{path}");
        assert_eq!(read["records"], 2, "{path}");
    }
    // The bundle says what its DER form says.
    let (der, _) = inventory_of(&["bundle.p7b"], &[], &[]);
    let (only_ber, _) = inventory_of(&["bundle-ber.p7b"], &[], &[]);
    assert_eq!(identity_ids(&only_ber), identity_ids(&der));
    assert!(identity_ids(&ber).contains(&"dns:release-signer.example.com".to_string()));
}

#[test]
fn a_truncated_ber_bundle_is_an_unread_export_naming_its_reason() {
    let dir = tempfile::tempdir().unwrap();
    let ber = std::fs::read(testdata("certs/formats/bundle-ber.p7b")).unwrap();
    std::fs::write(dir.path().join("cut.p7b"), &ber[..ber.len() - 40]).unwrap();
    let output = deprov()
        .args([
            "inventory",
            dir.path().to_str().unwrap(),
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    let skipped = &report["skipped"][0];
    assert_eq!(skipped["path"], "cut.p7b");
    assert_eq!(skipped["incomplete"], true);
    let reason = skipped["reason"].as_str().unwrap();
    assert!(
        reason.starts_with("certs/pkcs7: not a valid PKCS#7 ContentInfo (BER)"),
        "{reason}"
    );
    // The diagnostic names the file and the reason.
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("cut.p7b"), "{stderr}");
}

#[test]
fn pkcs12_files_with_either_form_of_no_password_are_read() {
    let files = [
        "store-emptypass.p12",
        "store-nullpass.p12",
        "store-nullpass-3des.p12",
        "store-nopass.p12",
    ];
    let (report, code) = inventory_of(&files, &[], &[]);
    assert_eq!(code, 0, "{}", report["skipped"]);
    for path in files {
        let read = source(&report, path);
        assert_eq!(read["format"], "certs/pkcs12", "{path}");
        assert_eq!(read["records"], 1, "{path}");
    }
    // A file that has a password still says so, and how to give it.
    let (needs, code) = inventory_of(&["store-changeit.p12"], &[], &[]);
    assert_eq!(code, 2);
    let reason = needs["skipped"][0]["reason"].as_str().unwrap();
    assert!(
        reason.contains("verifies neither with an empty password nor with none")
            && reason.contains("keystores:"),
        "{reason}"
    );
}

#[test]
fn java_keystores_are_read_without_their_password_with_a_warning() {
    let (report, code) = inventory_of(&["truststore.jks", "store-keytool.jks"], &[], &[]);
    assert_eq!(code, 0, "{}", report["skipped"]);
    let trust = source(&report, "truststore.jks");
    assert_eq!(trust["records"], 2);
    let warning = trust["warnings"][0].as_str().unwrap();
    assert!(
        warning.contains("integrity (its SHA-1 digest) was not checked"),
        "{warning}"
    );
    let ids = identity_ids(&report);
    for id in [
        "dns:svc.example.com",
        "x500:O=Example Org, CN=Example Mesh Root CA",
    ] {
        assert!(ids.contains(&id.to_string()), "{id} not in {ids:?}");
    }
    // With the store password the digest is checked, and there is nothing to warn about.
    let dir = tempfile::tempdir().unwrap();
    let config = dir.path().join("deprov.yaml");
    std::fs::write(
        &config,
        "keystores:\n  - path: truststore.jks\n    password_env: DEPROV_TEST_STOREPASS\n",
    )
    .unwrap();
    let (checked, code) = inventory_of(
        &["truststore.jks"],
        &["--config", config.to_str().unwrap()],
        &[("DEPROV_TEST_STOREPASS", "changeit")],
    );
    assert_eq!(code, 0, "{}", checked["skipped"]);
    let trust = source(&checked, "truststore.jks");
    assert_eq!(trust["records"], 2);
    assert!(trust.get("warnings").is_none(), "{trust}");
    // A wrong password is refused: the digest does not match.
    let (wrong, code) = inventory_of(
        &["truststore.jks"],
        &["--config", config.to_str().unwrap()],
        &[("DEPROV_TEST_STOREPASS", "not-the-password")],
    );
    assert_eq!(code, 2, "{}", wrong["sources"]);
}
