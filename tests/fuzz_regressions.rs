//! Inputs that the fuzz targets (`fuzz/`, run by `contrib/fuzz.sh`) found crashing, hanging or
//! blowing up memory, kept so that the bugs stay fixed. Each bug has two tests: the fuzzer's own
//! input (`testdata/fuzz-regressions/<target>/`, in the `path\0content` framing of
//! `fuzz/src/lib.rs`) replayed through the library code the target drives, and a small readable
//! reproduction scanned by the built binary.

mod common;

use std::path::{Path, PathBuf};

use deprov::discover::probe::Probe;
use deprov::discover::FileInput;
use deprov::inventory::{correlate, Register};
use deprov::sources::aws;

/// The fuzzer input `testdata/fuzz-regressions/<target>/<name>`.
fn artifact(target: &str, name: &str) -> Vec<u8> {
    let path = common::testdata("fuzz-regressions").join(target).join(name);
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// Splits a framed input into its relative path and content, as `fuzz/src/lib.rs` does.
fn split(data: &[u8]) -> (String, &[u8]) {
    let window = &data[..data.len().min(201)];
    match window.iter().position(|&b| b == 0) {
        Some(nul) => (
            String::from_utf8_lossy(&data[..nul]).into_owned(),
            &data[nul + 1..],
        ),
        None => ("input".to_string(), data),
    }
}

/// A `FileInput` for in-memory content, named `rel` in reports.
fn file_input(rel: &str, size: usize) -> FileInput {
    FileInput {
        path: PathBuf::from("/nonexistent/deprov-fuzz-regression"),
        rel: rel.to_string(),
        size: size as u64,
    }
}

/// Writes `files` (relative path, content) under a fresh directory.
fn tree(files: &[(&str, &[u8])]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temporary directory");
    for (rel, content) in files {
        let path = dir.path().join(rel);
        std::fs::create_dir_all(path.parent().expect("a parent")).expect("directories");
        std::fs::write(path, content).expect("written");
    }
    dir
}

/// Scans `root` with the binary; it must finish by itself with 0 (no finding at or above
/// `--fail-on`) or 1 (findings), never a panic or a signal. Returns the JSON report.
fn scan_ok(root: &Path) -> serde_json::Value {
    let output = common::scan(root, &["--format", "json", "--fail-on", "none"])
        .timeout(std::time::Duration::from_secs(60))
        .output()
        .expect("runs");
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    assert_eq!(output.status.code(), Some(0), "{stderr}");
    serde_json::from_slice(&output.stdout).expect("a JSON report")
}

const CREDENTIAL_REPORT_HEADER: &str = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n";

/// Bug: `inventory::alias::normalize` compared the first bytes of every identifier with the
/// `dns:` and `sha256:` prefixes by slicing the string at byte 4 and 7, which panicked when that
/// byte fell inside a multi-byte character: a user named `José` in a credential report, or any
/// such alias in the register, aborted the scan. Found by the `aws` target.
#[test]
fn aws_non_ascii_user_name_artifact() {
    let data = artifact("aws", "crash-e75df2acc994aba664df92e3a415ff1ebb0ba0a9");
    let (rel, content) = split(&data);
    let input = file_input(&rel, content.len());
    let probe = Probe::from_bytes(&input, content.to_vec());
    let file =
        aws::parse(&probe, aws::Format::CredentialReportCsv, None).expect("the report parses");
    let records = aws::assemble(
        vec![(input.clone(), file)],
        &mut deprov::sources::Assembly::new(),
    );
    let _ = correlate(Register::default(), records);
}

#[test]
fn aws_non_ascii_user_name_scan() {
    let row = "José,arn:aws:iam::111122223333:user/José,2025-01-01T00:00:00+00:00,false,N/A,N/A,N/A,false,true,2026-08-01T00:00:00+00:00,2026-08-02T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n";
    let report = format!("{CREDENTIAL_REPORT_HEADER}{row}");
    let dir = tree(&[
        ("aws/credential-report.csv", report.as_bytes()),
        (
            "register.yaml",
            "identities:\n  - id: josé\n    status: retired\n    retired_at: 2026-01-01\n    aliases: [\"arn:aws:iam::111122223333:user/José\", \"dnsé:x\", \"sha2é:y\"]\n"
                .as_bytes(),
        ),
    ]);
    let report = scan_ok(dir.path());
    let findings = report["findings"].as_array().expect("findings");
    assert!(
        findings
            .iter()
            .any(|f| f["rule"] == "DPV001" && f["identity"] == "josé"),
        "the retired identity's active key is found: {findings:#?}"
    );
}
