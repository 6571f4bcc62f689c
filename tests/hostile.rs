//! Hostile input (issue 8): deeply nested JSON and YAML, a 1 GB single-line file, non-UTF-8 names
//! and content, symlink loops and links out of the root, FIFOs, repositories with a huge blob,
//! thousands of refs, a truncated pack or a broken `.git`, files that vanish or turn unreadable
//! while the scan runs, allow comments and configuration planted in the scanned tree.
//!
//! Every case runs the binary under a timeout (a hang fails the test) and checks the outcome: no
//! panic, a JSON report, and each input either read (`sources`) or listed under `skipped` with a
//! reason. Memory is bounded by the limits (`limits.max_file_size_mb`,
//! `repositories.max_blob_size_mb`, the JSON-lines record limit): the tests show that the limit
//! is what stops each oversized input, rather than measuring RSS. docs/SECURITY.md lists the
//! guarantees these tests pin.

mod common;
#[path = "support/pkcs12_fixture.rs"]
#[allow(dead_code)]
mod pkcs12_fixture;
#[path = "support/repo_fixture.rs"]
mod repo_fixture;
#[path = "support/tokens.rs"]
mod tokens;

use std::path::{Path, PathBuf};
use std::time::Duration;

use assert_cmd::Command;
use common::NOW;
use serde_json::Value;

/// No single case may take longer than this (debug build, two cores); a hang fails the test.
const TIMEOUT: Duration = Duration::from_secs(20);

const RETIRED_ARN: &str = "arn:aws:iam::111122223333:role/ci-legacy-deployer";

/// A register with one retired identity (so that the reference pass runs) and one active one.
fn register() -> String {
    format!(
        "identities:\n  - id: ci-legacy\n    kind: service\n    status: retired\n    retired_at: 2026-03-01\n    owner: team-a\n    aliases: [{RETIRED_ARN}]\n  - id: svc\n    status: active\n    owner: team-a\n    aliases: [arn:aws:iam::111122223333:user/svc]\nteams:\n  - id: team-a\n"
    )
}

/// `deprov` run from `cwd` (an empty directory unless a test says otherwise, so that no
/// `.deprov.yaml` is picked up by accident), with a timeout.
fn deprov_in(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("deprov").unwrap();
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(cwd)
        .timeout(TIMEOUT);
    cmd
}

struct Run {
    report: Value,
    code: i32,
    stderr: String,
}

/// `deprov scan ARGS --now NOW --format json --no-progress` from `cwd`; fails on a panic, a
/// signal, a timeout or output that is not JSON.
fn scan_in(cwd: &Path, args: &[&std::ffi::OsStr]) -> Run {
    let output = deprov_in(cwd)
        .arg("scan")
        .args(args)
        .args(["--now", NOW, "--format", "json", "--no-progress"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
    assert!(!stderr.contains("panicked"), "panic: {stderr}");
    let code = output
        .status
        .code()
        .unwrap_or_else(|| panic!("killed by a signal or the timeout: {stderr}"));
    let report: Value = serde_json::from_slice(&output.stdout).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {}\nstderr: {stderr}",
            String::from_utf8_lossy(&output.stdout)
        )
    });
    Run {
        report,
        code,
        stderr,
    }
}

/// Scans `dir` (and `extra` paths) from an empty working directory.
fn scan(dir: &Path, extra: &[&Path]) -> Run {
    let cwd = tempfile::tempdir().unwrap();
    let mut args: Vec<&std::ffi::OsStr> = vec![dir.as_os_str()];
    args.extend(extra.iter().map(|p| p.as_os_str()));
    let run = scan_in(cwd.path(), &args);
    assert!(run.code < 2, "exit {}: {}", run.code, run.stderr);
    run
}

/// Scans `dir` expecting an incomplete result: exit 2, and still a whole JSON report that says
/// so at the top.
fn scan_incomplete(dir: &Path, extra: &[&Path]) -> Run {
    let cwd = tempfile::tempdir().unwrap();
    let mut args: Vec<&std::ffi::OsStr> = vec![dir.as_os_str()];
    args.extend(extra.iter().map(|p| p.as_os_str()));
    let run = scan_in(cwd.path(), &args);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("deprov::input::incomplete"),
        "{}",
        run.stderr
    );
    assert_eq!(
        run.report["summary"]["incomplete"], true,
        "{:#}",
        run.report
    );
    run
}

fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().unwrap()).unwrap();
    std::fs::write(&path, content).unwrap();
    path
}

fn skipped_reason(report: &Value, path: &str) -> Option<String> {
    report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == path)
        .map(|s| s["reason"].as_str().unwrap().to_string())
}

fn skipped_paths(report: &Value) -> Vec<String> {
    report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["path"].as_str().unwrap().to_string())
        .collect()
}

fn source_formats(report: &Value, path: &str) -> Option<String> {
    report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == path)
        .map(|s| s["format"].as_str().unwrap().to_string())
}

/// The input was either read or skipped with a reason: never dropped silently.
fn accounted(report: &Value, path: &str) {
    assert!(
        source_formats(report, path).is_some() || skipped_reason(report, path).is_some(),
        "{path} is neither in sources nor in skipped: {report:#}"
    );
}

fn findings<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

fn evidence_paths(report: &Value) -> Vec<String> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["evidence"]["path"].as_str().unwrap_or("").to_string())
        .collect()
}

/// A plain file holding a fake GitHub token (LEAK001: a secret of nobody known).
fn token_file(token: &str) -> String {
    format!("GITHUB_TOKEN={token}\n")
}

#[cfg(unix)]
fn mkfifo(path: &Path) -> bool {
    std::process::Command::new("mkfifo")
        .arg(path)
        .status()
        .is_ok_and(|s| s.success())
}

/// Whether this process can read a file whose permissions forbid it (root can): then the
/// unreadable-file cases cannot be staged.
#[cfg(unix)]
fn permissions_bind() -> bool {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let probe = write(dir.path(), "probe", "x");
    std::fs::set_permissions(&probe, std::fs::Permissions::from_mode(0o000)).unwrap();
    std::fs::read(&probe).is_err()
}

// ---------------------------------------------------------------------------------------------
// Deep nesting
// ---------------------------------------------------------------------------------------------

#[test]
fn deeply_nested_json_and_yaml_are_skipped_with_a_reason() {
    let dir = tempfile::tempdir().unwrap();
    let depth = 100_000;
    // Arrays, objects, a JSON-lines file whose first line is deep, and YAML block, flow and
    // alias bombs: serde's recursion limits and serde_yaml's alias limit turn each into an
    // error, never a stack overflow.
    write(
        dir.path(),
        "arrays.json",
        "[".repeat(depth) + &"]".repeat(depth),
    );
    write(
        dir.path(),
        "objects.json",
        "{\"a\":".repeat(depth) + "1" + &"}".repeat(depth),
    );
    write(dir.path(), "unterminated.json", "{\"value\":".repeat(depth));
    write(
        dir.path(),
        "deep-lines.jsonl",
        format!(
            "{}\n{{\"a\":1}}\n",
            "{\"a\":".repeat(depth) + "1" + &"}".repeat(depth)
        ),
    );
    write(
        dir.path(),
        "flow.yaml",
        format!("data: {}{}\n", "[".repeat(depth), "]".repeat(depth)),
    );
    let mut block = String::from("data:\n");
    for level in 0..2_000 {
        block.push_str(&" ".repeat(level + 2));
        block.push_str("- \n");
    }
    write(dir.path(), "block.yaml", block);
    let mut laughs = String::from(
        "a: &a [\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\",\"lol\"]\n",
    );
    for (name, prev) in ["b", "c", "d", "e", "f", "g", "h", "i"]
        .iter()
        .zip(["a", "b", "c", "d", "e", "f", "g", "h"])
    {
        laughs.push_str(&format!(
            "{name}: &{name} [*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev},*{prev}]\n"
        ));
    }
    laughs.push_str("data: *i\n");
    write(dir.path(), "laughs.yaml", laughs);
    // A `.json` file cut short holds no JSON: in a data path it could be an export that failed,
    // so the run is incomplete (the others parse, or are not JSON by name).
    let run = scan_incomplete(dir.path(), &[]);
    assert_eq!(
        run.report["summary"]["incomplete_reasons"]
            .as_array()
            .unwrap()
            .len(),
        1,
        "{:#}",
        run.report["summary"]
    );
    assert!(skipped_reason(&run.report, "unterminated.json")
        .unwrap()
        .contains("holds no JSON"));
    for path in [
        "arrays.json",
        "objects.json",
        "unterminated.json",
        "deep-lines.jsonl",
        "flow.yaml",
        "block.yaml",
        "laughs.yaml",
    ] {
        accounted(&run.report, path);
    }
    // Nothing in them is an export: what is not read as text is skipped, and says why.
    for path in ["arrays.json", "objects.json", "unterminated.json"] {
        if let Some(reason) = skipped_reason(&run.report, path) {
            assert!(!reason.is_empty());
        }
    }
}

#[test]
fn a_deeply_nested_register_is_a_diagnostic_not_a_crash() {
    // A register that cannot be read stops the scan (exit 2) with a diagnostic.
    let dir = tempfile::tempdir().unwrap();
    let depth = 50_000;
    write(
        dir.path(),
        "register.yaml",
        format!(
            "identities:\n  - id: svc\n    status: active\n    owner: {}{}\n",
            "[".repeat(depth),
            "]".repeat(depth)
        ),
    );
    let output = deprov_in(dir.path())
        .args(["scan", ".", "--now", NOW, "--no-progress"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(!stderr.contains("panicked"), "{stderr}");
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("register.yaml"), "{stderr}");
}

// ---------------------------------------------------------------------------------------------
// Size
// ---------------------------------------------------------------------------------------------

/// A file of `size` bytes, one line: `head` then a run of `filler` bytes written in 1 MiB chunks
/// (or, with `filler == 0`, a sparse hole: `set_len` allocates nothing). Never in memory whole.
fn long_line_file(path: &Path, head: &[u8], size: u64, filler: u8) {
    use std::io::Write;
    let mut file = std::fs::File::create(path).unwrap();
    file.write_all(head).unwrap();
    if filler == 0 {
        file.set_len(size).unwrap();
        return;
    }
    let chunk = vec![filler; 1 << 20];
    let mut written = head.len() as u64;
    while written < size {
        let n = chunk.len().min((size - written) as usize);
        file.write_all(&chunk[..n]).unwrap();
        written += n as u64;
    }
}

const GIB: u64 = 1 << 30;

#[test]
fn a_1gb_single_line_file_is_bounded_by_the_size_limits() {
    let dir = tempfile::tempdir().unwrap();
    // 1 GiB of one line, as sparse files: a text head then a hole (zeros), so creating them is
    // instant. deprov reads the first 64 KiB to sniff them, then the size decides: above
    // `limits.max_file_size_mb` (512) nothing more is read; a plain text file is scanned only up
    // to `repositories.max_blob_size_mb` (8).
    let mut json_head = b"{\"UserName\": \"".to_vec();
    json_head.extend(std::iter::repeat_n(b'a', 70_000));
    long_line_file(&dir.path().join("one-line.json"), &json_head, GIB, 0);
    long_line_file(
        &dir.path().join("one-line.txt"),
        &vec![b'x'; 70_000],
        GIB,
        0,
    );
    // Text is scanned for secrets in windows up to `limits.max_file_size_mb` (lowered here from
    // 512 so that the debug build stays fast); the rest is counted as unscanned.
    let config = write(
        dir.path(),
        "limits.yaml",
        "limits:\n  max_file_size_mb: 16\n",
    );
    let cwd = tempfile::tempdir().unwrap();
    let run = scan_in(
        cwd.path(),
        &[
            dir.path().join("one-line.json").as_os_str(),
            dir.path().join("one-line.txt").as_os_str(),
            "--config".as_ref(),
            config.as_os_str(),
        ],
    );
    // A `.json` file too large to read could be an export: the run is incomplete.
    assert_eq!(run.code, 2, "{}", run.stderr);
    let json = skipped_reason(&run.report, "one-line.json").expect("skipped");
    assert!(
        json.contains("1073741824") && json.contains("not read"),
        "{json}"
    );
    let text = skipped_reason(&run.report, "one-line.txt").expect("listed as unscanned");
    assert!(
        text.contains("1056964608 bytes after the first 16777216 not scanned")
            && text.contains("limits.max_file_size_mb"),
        "{text}"
    );
    assert_eq!(
        source_formats(&run.report, "one-line.txt").as_deref(),
        Some("files/text")
    );
    assert_eq!(run.report["summary"]["unscanned"], 1);
}

#[test]
fn a_1gb_json_lines_record_is_bounded_by_the_record_limit() {
    // JSON lines (audit logs, asset inventories) are streamed and exempt from the file size
    // limit, so their lines are what must be bounded: a first line that makes the file a Vault
    // audit log or a GCP asset inventory, then one 1 GiB line (a sparse hole of NUL bytes, so
    // there is no newline to stop at). Reading it whole would hold 1 GiB; deprov discards a
    // record above the record limit unread, warns, and reads on.
    let dir = tempfile::tempdir().unwrap();
    let audit = std::fs::read(common::testdata("example-org/vault/audit/vault-audit.log")).unwrap();
    let first_audit_line = &audit[..=memchr_newline(&audit)];
    long_line_file(&dir.path().join("audit.log"), first_audit_line, GIB, 0);
    let assets = std::fs::read(common::testdata(
        "samples/gcp/forseti_mock_cai_resources.dump.jsonl",
    ))
    .unwrap();
    let first_asset_line = &assets[..=memchr_newline(&assets)];
    long_line_file(&dir.path().join("assets.jsonl"), first_asset_line, GIB, 0);
    let run = scan(dir.path(), &["--without-register".as_ref()]);
    for path in ["audit.log", "assets.jsonl"] {
        accounted(&run.report, path);
    }
    let warnings = serde_json::to_string(&run.report["sources"]).unwrap();
    assert!(
        warnings.contains("record limit") || warnings.contains("above the"),
        "no warning about the oversized record: {warnings}"
    );
}

fn memchr_newline(bytes: &[u8]) -> usize {
    bytes.iter().position(|&b| b == b'\n').unwrap()
}

#[test]
fn json_of_many_documents_costs_linear_time() {
    // Issue 19: sniffing a file of back-to-back JSON documents (`gh --paginate` pages) asked
    // serde_json after each one whether anything was left, and its error counted the lines from
    // the start of the file: pages × size. Two million empty pages (6 MB) took hours; read as a
    // stream they take a moment, and the file is still accounted for.
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "pages.json", b"[]\n".repeat(2_000_000));
    write(dir.path(), "objects.json", b"{}".repeat(2_000_000));
    let run = scan(dir.path(), &[]);
    accounted(&run.report, "pages.json");
    accounted(&run.report, "objects.json");
}

#[test]
fn pem_files_of_begin_lines_cost_linear_time() {
    // Issue 13, item 15: every BEGIN line used to be decoded up to the end of the file, so a
    // few MB of BEGIN lines without an END did not finish. A real chain followed by 150,000
    // BEGIN lines (4 MB) is read in one pass: its certificates are recorded, the blocks past
    // the per-file cap are counted in one warning, and the broken ones are not listed one by
    // one. The same lines as private keys go through the secret detectors in bounded time.
    let dir = tempfile::tempdir().unwrap();
    let mut bundle = std::fs::read(common::testdata(
        "samples/certs/limbo_cryptography.io_chain.pem",
    ))
    .unwrap();
    bundle.extend(b"-----BEGIN CERTIFICATE-----\n".repeat(150_000));
    write(dir.path(), "bundle.pem", &bundle);
    write(
        dir.path(),
        "keys.txt",
        b"-----BEGIN RSA PRIVATE KEY-----\n".repeat(200_000),
    );
    let run = scan(dir.path(), &[]);
    let source = run.report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == "bundle.pem")
        .unwrap_or_else(|| panic!("bundle.pem not read: {:#}", run.report));
    assert_eq!(source["records"], 3, "{source:#}");
    let warnings: Vec<&str> = source["warnings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|w| w.as_str().unwrap())
        .collect();
    assert!(warnings.len() <= 102, "{} warnings", warnings.len());
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("50003 PEM block(s) after the first 100000 not read")),
        "{warnings:?}"
    );
    assert!(
        warnings
            .iter()
            .any(|w| w.starts_with("99897 more block(s)")),
        "{warnings:?}"
    );
    accounted(&run.report, "keys.txt");
}

#[test]
fn keystore_key_derivations_are_capped_and_budgeted_per_scan() {
    // Issue 13, item 17: PKCS#12 key derivations cost what the file says. In a repository: one
    // file asking for 5,000,000 MAC iterations (refused before deriving anything), one with
    // 5,000 private-key bags of 999,999 iterations each (hours for a library that decrypts
    // keys; deprov never decrypts keys), and 30 files of 100,000 iterations each against a
    // budget of 1,000,000 for the scan: the files are charged in path order, so exactly the
    // same ones are read on every run, and the rest are skipped with the reason. A Java
    // keystore whose certificate length claims 4 GiB is refused before the jks crate allocates.
    use pkcs12_fixture::{pkcs12, Crafted};
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("repo");
    git2::Repository::init(&repo).unwrap();
    let root = std::fs::read(common::testdata("certs/formats/root.der")).unwrap();
    let with = |crafted: Crafted| pkcs12(&[&root], crafted);
    write(
        &repo,
        "deep.p12",
        with(Crafted {
            mac_iterations: Some(5_000_000),
            ..Crafted::default()
        }),
    );
    write(
        &repo,
        "keys.p12",
        with(Crafted {
            mac_iterations: Some(1000),
            shrouded_keys: 5000,
            key_iterations: 999_999,
            ..Crafted::default()
        }),
    );
    for n in 0..30 {
        write(
            &repo,
            &format!("many/ks-{n:03}.p12"),
            with(Crafted {
                mac_iterations: Some(100_000),
                ..Crafted::default()
            }),
        );
    }
    let mut jks = 0xFEED_FEEDu32.to_be_bytes().to_vec();
    jks.extend(2u32.to_be_bytes());
    jks.extend(1u32.to_be_bytes());
    jks.extend(2u32.to_be_bytes()); // a trusted certificate
    jks.extend([0, 1, b'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 4]);
    jks.extend(b"X509");
    jks.extend(u32::MAX.to_be_bytes());
    jks.extend([0; 32]);
    write(&repo, "crafted.jks", jks);
    let config = write(
        dir.path(),
        "config.yaml",
        "limits:\n  keystore_kdf_iterations: 1000000\nkeystores:\n  - path: repo/crafted.jks\n    password_env: DEPROV_TEST_KEYSTORE\n",
    );
    let cwd = tempfile::tempdir().unwrap();
    let run = || {
        let output = deprov_in(cwd.path())
            .env("DEPROV_TEST_KEYSTORE", "changeit")
            .arg("scan")
            .arg(dir.path())
            .arg("--config")
            .arg(&config)
            .args([
                "--now",
                NOW,
                "--format",
                "json",
                "--no-progress",
                "--no-history",
            ])
            .output()
            .unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr).into_owned();
        assert!(output.status.code().is_some_and(|c| c < 2), "{stderr}");
        serde_json::from_slice::<Value>(&output.stdout).unwrap()
    };
    let report = run();
    // The repository scan lists the same files as binary content it does not search for
    // secrets; the reasons that matter here are the keystore reader's.
    let keystore_reason = |path: &str| {
        report["skipped"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|s| s["path"] == path)
            .map(|s| s["reason"].as_str().unwrap().to_string())
            .find(|r| r.starts_with("certs/"))
    };
    let deep = keystore_reason("repo/deep.p12").expect("deep.p12 skipped");
    assert!(deep.contains("above the limit of 1000000"), "{deep}");
    assert_eq!(
        source_formats(&report, "repo/keys.p12").as_deref(),
        Some("certs/pkcs12")
    );
    let read: Vec<String> = (0..30)
        .map(|n| format!("repo/many/ks-{n:03}.p12"))
        .filter(|p| source_formats(&report, p).is_some())
        .collect();
    // Each MAC is tried with both forms of "no password" (issue 15): 2,000 for keys.p12, then
    // 200,000 each: four fit.
    let expected: Vec<String> = (0..4).map(|n| format!("repo/many/ks-{n:03}.p12")).collect();
    assert_eq!(read, expected);
    for n in 4..30 {
        let reason = keystore_reason(&format!("repo/many/ks-{n:03}.p12"))
            .unwrap_or_else(|| panic!("ks-{n:03} neither read nor skipped"));
        assert!(reason.contains("budget of 1000000"), "{reason}");
    }
    let crafted = keystore_reason("repo/crafted.jks").expect("crafted.jks skipped");
    assert!(crafted.contains("truncated or crafted"), "{crafted}");
    // The same files, whatever order the parallel read took.
    assert_eq!(run()["skipped"], report["skipped"]);
}

#[test]
fn the_configured_limit_is_what_bounds_a_file() {
    // A token past 2 MiB of padding: found by the windowed scan (windows of 1 MiB), and left
    // unscanned, and counted, when the file limit stops the scan before it.
    let dir = tempfile::tempdir().unwrap();
    let token = repo_fixture::fixture_token();
    let mut content = vec![b'#'; 2 << 20];
    content.push(b'\n');
    content.extend(token_file(&token).into_bytes());
    write(dir.path(), "scan/big.env", &content);
    let windowed = write(
        dir.path(),
        "windows.yaml",
        "repositories:\n  max_blob_size_mb: 1\n",
    );
    let limited = write(
        dir.path(),
        "limits.yaml",
        "limits:\n  max_file_size_mb: 1\n",
    );
    let cwd = tempfile::tempdir().unwrap();
    let scan_with = |config: &Path, extra: &[&str]| {
        let mut args: Vec<&std::ffi::OsStr> = vec![
            dir.path().join("scan").into_os_string().leak(),
            "--config".as_ref(),
            config.as_os_str(),
        ];
        args.extend(extra.iter().map(std::ffi::OsStr::new));
        scan_in(cwd.path(), &args)
    };
    let run = scan_with(&windowed, &[]);
    assert_eq!(
        findings(&run.report, "LEAK001").len(),
        1,
        "{:#}",
        run.report
    );
    assert_eq!(findings(&run.report, "LEAK001")[0]["evidence"]["line"], 2);
    assert_eq!(run.report["summary"]["unscanned"], 0);

    let run = scan_with(&limited, &[]);
    assert!(findings(&run.report, "LEAK001").is_empty());
    let reason = skipped_reason(&run.report, "big.env").expect("listed as unscanned");
    assert!(
        reason.contains("not scanned (limits.max_file_size_mb)"),
        "{reason}"
    );
    assert_eq!(run.report["summary"]["unscanned"], 1);
    assert_eq!(run.code, 0, "{}", run.stderr);
    // The gate can refuse to pass what it could not read.
    let run = scan_with(&limited, &["--fail-on-unscanned"]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr.contains("deprov::input::unscanned"),
        "{}",
        run.stderr
    );
}

// ---------------------------------------------------------------------------------------------
// Names and content that are not UTF-8
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn non_utf8_names_and_content_are_read_and_reported_lossily() {
    use std::os::unix::ffi::OsStrExt;
    let dir = tempfile::tempdir().unwrap();
    let token = repo_fixture::fixture_token();
    let name = std::ffi::OsStr::from_bytes(b"caf\xe9-\xff.env");
    let subdir = dir.path().join(std::ffi::OsStr::from_bytes(b"d\xfeir"));
    std::fs::create_dir_all(&subdir).unwrap();
    // Latin-1 text around the secret, and invalid UTF-8 in a JSON export.
    let mut content = b"# propri\xe9taire: \xe9quipe \xff\xfe\n".to_vec();
    content.extend(token_file(&token).as_bytes());
    std::fs::write(subdir.join(name), &content).unwrap();
    std::fs::write(
        dir.path().join("users.json"),
        b"{\"Users\": [{\"UserName\": \"caf\xe9\", \"Arn\": \"arn:aws:iam::1:user/\xff\"}]}",
    )
    .unwrap();
    std::fs::write(dir.path().join("register.yaml"), register()).unwrap();
    let first = scan(dir.path(), &[]);
    let leaks = findings(&first.report, "LEAK001");
    assert_eq!(leaks.len(), 1, "{:#}", first.report);
    let path = leaks[0]["evidence"]["path"].as_str().unwrap();
    assert_eq!(path, "d\u{fffd}ir/caf\u{fffd}-\u{fffd}.env");
    assert_eq!(leaks[0]["evidence"]["line"], 2);
    accounted(&first.report, "users.json");
    // The secret itself never appears, and the output is the same on every run.
    let text = first.report.to_string();
    assert!(!text.contains(&token));
    let second = scan(dir.path(), &[]);
    assert_eq!(first.report, second.report);
}

#[cfg(unix)]
#[test]
fn non_utf8_paths_in_a_repository_are_read() {
    let dir = tempfile::tempdir().unwrap();
    let repo = git2::Repository::init(dir.path().join("repo")).unwrap();
    let token = repo_fixture::fixture_token();
    let blob = repo.blob(token_file(&token).as_bytes()).unwrap();
    let mut tree = repo.treebuilder(None).unwrap();
    tree.insert(b"s\xe9cret\xff.env".as_slice(), blob, 0o100644)
        .unwrap();
    let tree = repo.find_tree(tree.write().unwrap()).unwrap();
    let sig =
        git2::Signature::new("t", "t@example.com", &git2::Time::new(1_700_000_000, 0)).unwrap();
    repo.commit(Some("HEAD"), &sig, &sig, "add", &tree, &[])
        .unwrap();
    let run = scan(dir.path(), &[]);
    let leaks = findings(&run.report, "LEAK001");
    assert_eq!(leaks.len(), 1, "{:#}", run.report);
    assert_eq!(
        leaks[0]["evidence"]["path"],
        "repo/s\u{fffd}cret\u{fffd}.env"
    );
}

// ---------------------------------------------------------------------------------------------
// Symlinks and special files
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn symlink_loops_and_links_out_of_the_root_are_skipped() {
    use std::os::unix::fs::symlink;
    let outside = tempfile::tempdir().unwrap();
    let token = repo_fixture::fixture_token();
    write(outside.path(), "secret.env", token_file(&token));
    write(outside.path(), "dir/inner.env", token_file(&token));
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir(&root).unwrap();
    write(&root, "inside.txt", "nothing here\n");
    symlink(outside.path().join("secret.env"), root.join("out-file")).unwrap();
    symlink(outside.path().join("dir"), root.join("out-dir")).unwrap();
    symlink("../root/../../", root.join("out-relative")).unwrap();
    symlink(&root, root.join("self")).unwrap();
    symlink("loop-b", root.join("loop-a")).unwrap();
    symlink("loop-a", root.join("loop-b")).unwrap();
    symlink("missing", root.join("dangling")).unwrap();
    symlink(root.join("inside.txt"), root.join("alias.txt")).unwrap();
    // The same inside a repository's working tree.
    let repo = root.join("repo");
    git2::Repository::init(&repo).unwrap();
    symlink(outside.path().join("secret.env"), repo.join("out-file")).unwrap();
    symlink(".", repo.join("self")).unwrap();

    // Links that lead nowhere, or out of the root, in a data path could have been exports: the
    // run is incomplete. In a repository they are content that is not read, and no gap.
    let run = scan_incomplete(&root, &[]);
    let unread: Vec<&str> = run.report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["incomplete"] == true)
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        unread,
        [
            "dangling",
            "loop-a",
            "loop-b",
            "out-dir",
            "out-file",
            "out-relative"
        ]
    );
    assert!(
        findings(&run.report, "LEAK001").is_empty(),
        "a file outside the root was read: {:#}",
        run.report
    );
    for link in ["out-file", "out-dir", "out-relative", "repo/out-file"] {
        let reason = skipped_reason(&run.report, link)
            .unwrap_or_else(|| panic!("{link} not skipped: {:#}", run.report));
        assert!(reason.contains("outside"), "{link}: {reason}");
    }
    for link in ["loop-a", "loop-b", "dangling"] {
        let reason = skipped_reason(&run.report, link)
            .unwrap_or_else(|| panic!("{link} not skipped: {:#}", run.report));
        assert!(reason.contains("broken symlink"), "{link}: {reason}");
    }
    // A link to a file inside the root is that file, read once.
    accounted(&run.report, "inside.txt");
    assert!(source_formats(&run.report, "alias.txt").is_none());

    // A link out of its root to a file another scanned path holds (`/etc/ssl/certs` and
    // `/usr/share/ca-certificates` scanned together) leaves nothing unread.
    let data = dir.path().join("data");
    std::fs::create_dir(&data).unwrap();
    symlink(outside.path().join("secret.env"), data.join("link.env")).unwrap();
    let run = scan(&data, &[outside.path()]);
    let reason = skipped_reason(&run.report, "link.env").unwrap();
    assert!(
        reason.contains("read under another scanned path"),
        "{reason}"
    );
}

#[cfg(unix)]
#[test]
fn fifos_do_not_hang_the_scan() {
    use std::os::unix::fs::symlink;
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir(&root).unwrap();
    if !mkfifo(&root.join("pipe.json")) {
        eprintln!("mkfifo unavailable: skipped");
        return;
    }
    let token = repo_fixture::fixture_token();
    write(&root, "a.env", token_file(&token));
    symlink("pipe.json", root.join("link-to-pipe")).unwrap();
    let repo = root.join("repo");
    git2::Repository::init(&repo).unwrap();
    assert!(mkfifo(&repo.join("pipe.env")));
    // A repository whose git directory holds FIFOs where libgit2 reads files.
    let bare = root.join("mirror.git");
    git2::Repository::init_bare(&bare).unwrap();
    std::fs::remove_file(bare.join("config")).unwrap();
    assert!(mkfifo(&bare.join("config")));
    let worktree = root.join("wt");
    git2::Repository::init(&worktree).unwrap();
    write(&worktree, "b.env", token_file(&token));
    assert!(mkfifo(&worktree.join(".git/packed-refs")));

    // The refused git directories hold history that was not read: the run is incomplete.
    let run = scan_incomplete(&root, &[]);
    for path in ["pipe.json", "link-to-pipe", "repo/pipe.env"] {
        let reason = skipped_reason(&run.report, path)
            .unwrap_or_else(|| panic!("{path} not skipped: {:#}", run.report));
        assert!(reason.contains("not a regular file"), "{path}: {reason}");
    }
    assert!(skipped_reason(&run.report, "mirror.git").is_some());
    assert!(skipped_reason(&run.report, "wt").is_some());
    // The secret in the repository whose git directory was refused is still found.
    let paths = evidence_paths(&run.report);
    assert!(paths.iter().any(|p| p == "wt/b.env"), "{:#}", run.report);
    assert!(paths.iter().any(|p| p == "a.env"), "{:#}", run.report);

    // A FIFO named on the command line, as a path or as the register.
    let cwd = tempfile::tempdir().unwrap();
    let direct = scan_in(cwd.path(), &[root.join("pipe.json").as_os_str()]);
    assert!(skipped_reason(&direct.report, "pipe.json").is_some());
    // Nothing else was read: that is no pass.
    assert_eq!(direct.code, 2, "{}", direct.stderr);
    // The register is the source of truth: one that cannot be read stops the scan.
    let output = deprov_in(cwd.path())
        .arg("scan")
        .arg(root.join("a.env"))
        .arg("--register")
        .arg(root.join("pipe.json"))
        .args(["--now", NOW, "--no-progress"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("not a regular file"), "{stderr}");
}

/// Issue 13, item 16: every file deprov opens from a path the user gave goes through the same
/// regular-file guard as scanned files. Each of these blocked forever on a FIFO before; each is
/// now exit 2 with a diagnostic that names the file.
#[cfg(unix)]
#[test]
fn fifos_named_as_inputs_are_refused_with_a_diagnostic() {
    let dir = tempfile::tempdir().unwrap();
    let pipe = dir.path().join("pipe");
    if !mkfifo(&pipe) {
        eprintln!("mkfifo unavailable: skipped");
        return;
    }
    let data = dir.path().join("data");
    write(&data, "a.env", token_file(&repo_fixture::fixture_token()));
    // A real report, for the other side of `diff`.
    let report = dir.path().join("report.json");
    let cwd = tempfile::tempdir().unwrap();
    let output = deprov_in(cwd.path())
        .arg("scan")
        .arg(&data)
        .args([
            "--now",
            NOW,
            "--no-progress",
            "--format",
            "json",
            "--fail-on",
            "none",
        ])
        .arg("--output")
        .arg(&report)
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0));
    // `--policies DIR` holding a FIFO among its policies, or as its catalog.
    let cedar_dir = dir.path().join("policies-cedar");
    std::fs::create_dir(&cedar_dir).unwrap();
    assert!(mkfifo(&cedar_dir.join("mine.cedar")));
    let catalog_dir = dir.path().join("policies-catalog");
    std::fs::create_dir(&catalog_dir).unwrap();
    assert!(mkfifo(&catalog_dir.join("catalog.yaml")));
    // A config that names a FIFO as a detector file.
    let config = write(
        dir.path(),
        "detectors-config.yaml",
        format!("repositories:\n  detectors: [{}]\n", pipe.display()),
    );

    let scan_with = |flag: &str, value: &Path| -> Vec<std::ffi::OsString> {
        vec![
            "scan".into(),
            data.clone().into(),
            flag.into(),
            value.into(),
            "--now".into(),
            NOW.into(),
            "--no-progress".into(),
        ]
    };
    let cases: Vec<(&str, Vec<std::ffi::OsString>, PathBuf)> = vec![
        ("--config", scan_with("--config", &pipe), pipe.clone()),
        ("--baseline", scan_with("--baseline", &pipe), pipe.clone()),
        ("--detectors", scan_with("--detectors", &pipe), pipe.clone()),
        (
            "config repositories.detectors",
            scan_with("--config", &config),
            pipe.clone(),
        ),
        (
            "--policies with a FIFO policy",
            scan_with("--policies", &cedar_dir),
            cedar_dir.join("mine.cedar"),
        ),
        (
            "--policies with a FIFO catalog",
            scan_with("--policies", &catalog_dir),
            catalog_dir.join("catalog.yaml"),
        ),
        (
            "policy check",
            vec!["policy".into(), "check".into(), cedar_dir.clone().into()],
            cedar_dir.join("mine.cedar"),
        ),
        (
            "diff OLD",
            vec!["diff".into(), pipe.clone().into(), report.clone().into()],
            pipe.clone(),
        ),
        (
            "diff NEW",
            vec!["diff".into(), report.clone().into(), pipe.clone().into()],
            pipe.clone(),
        ),
        (
            "merge",
            vec!["merge".into(), report.clone().into(), pipe.clone().into()],
            pipe.clone(),
        ),
    ];
    for (case, args, named) in cases {
        let output = deprov_in(cwd.path()).args(&args).output().unwrap();
        let stderr = String::from_utf8_lossy(&output.stderr);
        assert_eq!(output.status.code(), Some(2), "{case}: {stderr}");
        assert!(
            stderr.contains("deprov::input::not_regular_file"),
            "{case}: {stderr}"
        );
        // miette wraps long lines: compare without the line breaks and the box drawing.
        let flat: String = stderr
            .split_whitespace()
            .filter(|w| *w != "│")
            .collect::<Vec<_>>()
            .join(" ");
        let name = named.file_name().unwrap().to_string_lossy().into_owned();
        assert!(flat.contains(&name), "{case}: {name} not named in {flat}");
    }

    // `.deprov.yaml` in the working directory that is a FIFO: refused, not silently skipped.
    let fifo_cwd = tempfile::tempdir().unwrap();
    assert!(mkfifo(&fifo_cwd.path().join(".deprov.yaml")));
    let output = deprov_in(fifo_cwd.path())
        .arg("scan")
        .arg(&data)
        .args(["--now", NOW, "--no-progress"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains(".deprov.yaml"), "{stderr}");
}

/// Swaps evidence files for FIFOs when the scan starts locating evidence lines, that is after
/// every file was parsed and before the second read.
#[cfg(unix)]
struct SwapForFifos(Vec<PathBuf>);

#[cfg(unix)]
impl deprov::scan::Progress for SwapForFifos {
    fn stage(&self, name: &str, _total: Option<u64>) {
        if name == "locating evidence lines" {
            for path in &self.0 {
                std::fs::remove_file(path).unwrap();
                assert!(mkfifo(path));
            }
        }
    }
}

/// Issue 13, item 16: the second read of evidence files (the lines of findings, after
/// evaluation) goes through the regular-file guard too. A file swapped for a FIFO after it was
/// parsed blocked the scan forever; its findings now keep no line and the scan ends.
#[cfg(unix)]
#[test]
fn an_evidence_file_swapped_for_a_fifo_after_parsing_does_not_block() {
    let dir = tempfile::tempdir().unwrap();
    if !mkfifo(&dir.path().join("probe")) {
        eprintln!("mkfifo unavailable: skipped");
        return;
    }
    let example = common::testdata("example-org");
    for rel in [
        "register.yaml",
        "aws/access-keys/ci-legacy.json",
        "aws/authorization-details.json",
        "github/fine-grained-pats.json",
    ] {
        write(dir.path(), rel, std::fs::read(example.join(rel)).unwrap());
    }
    let swapped: Vec<PathBuf> = [
        "aws/access-keys/ci-legacy.json",
        "github/fine-grained-pats.json",
    ]
    .iter()
    .map(|rel| dir.path().join(rel))
    .collect();
    let run = |progress: Option<SwapForFifos>| {
        let mut plan = common::example_plan();
        plan.paths = vec![dir.path().to_path_buf()];
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let result = match &progress {
                Some(progress) => deprov::scan::scan_observed(&plan, progress),
                None => deprov::scan::scan_timed(&plan),
            };
            let lines: Vec<(String, String, Option<u32>)> = result
                .unwrap()
                .0
                .findings
                .iter()
                .map(|f| (f.id.clone(), f.evidence.path.to_string(), f.evidence.line))
                .collect();
            let _ = sender.send(lines);
        });
        // The hang guard: a scan blocked on a FIFO never answers.
        receiver
            .recv_timeout(TIMEOUT)
            .expect("the scan blocked (or failed) on a file swapped for a FIFO")
    };
    let normal = run(None);
    let with_fifos = run(Some(SwapForFifos(swapped)));
    assert_eq!(normal.len(), with_fifos.len());
    let in_swapped = |path: &str| {
        path == "aws/access-keys/ci-legacy.json" || path == "github/fine-grained-pats.json"
    };
    let mut located_before = 0;
    for ((id, path, line), (id_after, _, line_after)) in normal.iter().zip(&with_fifos) {
        assert_eq!(id, id_after);
        if in_swapped(path) {
            located_before += usize::from(line.is_some());
            assert_eq!(*line_after, None, "{id} located in a FIFO");
        } else {
            assert_eq!(line, line_after, "{id}");
        }
    }
    assert!(
        located_before > 0,
        "no finding was located in the swapped files"
    );
}

// ---------------------------------------------------------------------------------------------
// Repositories
// ---------------------------------------------------------------------------------------------

fn signature(seconds: i64) -> git2::Signature<'static> {
    git2::Signature::new("t", "t@example.com", &git2::Time::new(seconds, 0)).unwrap()
}

/// Commits `files` (path, content) on top of HEAD (or as the first commit).
fn commit(repo: &git2::Repository, files: &[(&str, &[u8])], seconds: i64) -> git2::Oid {
    let mut index = repo.index().unwrap();
    for (path, content) in files {
        let entry = git2::IndexEntry {
            ctime: git2::IndexTime::new(0, 0),
            mtime: git2::IndexTime::new(0, 0),
            dev: 0,
            ino: 0,
            mode: 0o100644,
            uid: 0,
            gid: 0,
            file_size: 0,
            id: git2::Oid::ZERO_SHA1,
            flags: 0,
            flags_extended: 0,
            path: path.as_bytes().to_vec(),
        };
        index.add_frombuffer(&entry, content).unwrap();
    }
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let parent = repo.head().ok().and_then(|h| h.peel_to_commit().ok());
    let parents: Vec<&git2::Commit> = parent.iter().collect();
    let sig = signature(seconds);
    repo.commit(Some("HEAD"), &sig, &sig, "commit", &tree, &parents)
        .unwrap()
}

#[test]
fn a_huge_blob_is_skipped_by_the_blob_limit() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repo");
    let repo = git2::Repository::init_bare(&path).unwrap();
    // 64 MiB of one line that names a retired identity. Above `limits.max_file_size_mb`
    // (lowered to 32 here) a blob is not read at all (libgit2 reads the object's header for its
    // size first) and is counted as unscanned; above `max_blob_size_mb` (8) the reference pass
    // does not read it either, and says so.
    let mut huge = format!("role: {RETIRED_ARN}\n").into_bytes();
    huge.extend(std::iter::repeat_n(b'a', 64 << 20));
    commit(
        &repo,
        &[("deploy/huge.yaml", &huge), ("small.txt", b"x\n")],
        1_700_000_000,
    );
    let register = write(dir.path(), "register.yaml", register());
    let config = write(
        dir.path(),
        "limits.yaml",
        "limits:\n  max_file_size_mb: 32\n",
    );
    let run = scan(&path, &[&register, "--config".as_ref(), &config]);
    let skipped = skipped_paths(&run.report);
    let entry = skipped
        .iter()
        .find(|p| p.starts_with("deploy/huge.yaml@"))
        .unwrap_or_else(|| panic!("huge blob not skipped: {skipped:?}"));
    let reason = skipped_reason(&run.report, entry).unwrap();
    assert!(
        reason.contains("above the size limit (limits.max_file_size_mb)"),
        "{reason}"
    );
    let reference = skipped_reason(&run.report, "deploy/huge.yaml").unwrap();
    assert!(
        reference.contains("not searched for references"),
        "{reference}"
    );
    assert_eq!(run.report["summary"]["unscanned"], 2);
    assert!(
        findings(&run.report, "DPV008").is_empty(),
        "the oversized blob was read by the reference pass: {:#}",
        run.report
    );
}

#[test]
fn a_huge_working_tree_file_is_not_read_by_the_reference_pass() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repo");
    git2::Repository::init(&path).unwrap();
    let mut huge = format!("role: {RETIRED_ARN}\n").into_bytes();
    huge.extend(std::iter::repeat_n(b'a', 9 << 20));
    write(&path, "deploy/huge.yaml", &huge);
    write(&path, "deploy/small.yaml", format!("role: {RETIRED_ARN}\n"));
    let register = write(dir.path(), "register.yaml", register());
    let run = scan(&path, &[&register]);
    let reason = skipped_reason(&run.report, "deploy/huge.yaml").expect("listed as unscanned");
    assert!(reason.contains("not searched for references"), "{reason}");
    assert_eq!(run.report["summary"]["unscanned"], 1);
    let dpv008: Vec<String> = findings(&run.report, "DPV008")
        .iter()
        .map(|f| f["evidence"]["path"].as_str().unwrap().to_string())
        .collect();
    assert_eq!(dpv008, vec!["deploy/small.yaml"], "{:#}", run.report);
}

#[test]
fn thousands_of_refs_are_walked_in_bounded_time() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("repo");
    let repo = git2::Repository::init_bare(&path).unwrap();
    let token = repo_fixture::fixture_token();
    let mut last = commit(
        &repo,
        &[("a.env", token_file(&token).as_bytes())],
        1_700_000_000,
    );
    for i in 0..5_000_u32 {
        if i.is_multiple_of(500) {
            last = commit(
                &repo,
                &[("n.txt", format!("{i}\n").as_bytes())],
                1_700_000_000 + i64::from(i),
            );
        }
        repo.reference(&format!("refs/heads/b{i:05}"), last, false, "")
            .unwrap();
        if i.is_multiple_of(2) {
            repo.reference(&format!("refs/tags/t{i:05}"), last, false, "")
                .unwrap();
        }
    }
    let started = std::time::Instant::now();
    let run = scan(&path, &[]);
    assert!(started.elapsed() < TIMEOUT);
    assert_eq!(findings(&run.report, "LEAK001").len(), 1);
    let detail = run.report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["format"] == "git/repository")
        .expect("repository source");
    assert!(
        detail["detail"].as_str().unwrap().starts_with("11 commits"),
        "{detail}"
    );
}

/// A repository whose objects are all in one pack, with no loose objects.
fn packed_repository(path: &Path, token: &str) -> PathBuf {
    let repo = git2::Repository::init(path).unwrap();
    commit(
        &repo,
        &[("old.env", token_file(token).as_bytes())],
        1_700_000_000,
    );
    for i in 0..20 {
        let content = format!("line {i}\n").repeat(2_000);
        commit(
            &repo,
            &[(&format!("f{i}.txt"), content.as_bytes())],
            1_700_000_100 + i,
        );
    }
    let mut builder = repo.packbuilder().unwrap();
    let mut walk = repo.revwalk().unwrap();
    walk.push_head().unwrap();
    builder.insert_walk(&mut walk).unwrap();
    let pack_dir = path.join(".git/objects/pack");
    builder.write(&pack_dir, 0o644).unwrap();
    for entry in std::fs::read_dir(path.join(".git/objects")).unwrap() {
        let entry = entry.unwrap();
        let name = entry.file_name();
        if name.len() == 2 {
            std::fs::remove_dir_all(entry.path()).unwrap();
        }
    }
    std::fs::read_dir(&pack_dir)
        .unwrap()
        .map(|e| e.unwrap().path())
        .find(|p| p.extension().is_some_and(|e| e == "pack"))
        .unwrap()
}

#[test]
fn a_truncated_pack_is_skipped_and_the_working_tree_still_scanned() {
    let token = repo_fixture::fixture_token();
    for keep in [0.9, 0.5, 0.1, 0.0] {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("repo");
        let pack = packed_repository(&path, &token);
        let len = std::fs::metadata(&pack).unwrap().len();
        let file = std::fs::OpenOptions::new().write(true).open(&pack).unwrap();
        file.set_len((len as f64 * keep) as u64).unwrap();
        drop(file);
        // A secret only in the working tree, never committed.
        let live = tokens::github_classic("Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH0g");
        write(&path, "new.env", token_file(&live));
        // History that cannot be read leaves the run incomplete.
        let run = scan_incomplete(dir.path(), &[]);
        let skipped = skipped_paths(&run.report);
        assert!(
            skipped.iter().any(|p| p.starts_with("repo")),
            "keep {keep}: nothing skipped: {:#}",
            run.report
        );
        let paths = evidence_paths(&run.report);
        assert!(
            paths.iter().any(|p| p == "repo/new.env"),
            "keep {keep}: the working tree was not scanned: {:#}",
            run.report
        );
    }
}

#[test]
fn a_broken_git_directory_does_not_hide_the_working_tree() {
    let token = repo_fixture::fixture_token();
    let dir = tempfile::tempdir().unwrap();
    // An empty `.git`, and one with garbage in HEAD: libgit2 cannot open either, and the files
    // next to them are still scanned.
    let empty = dir.path().join("empty");
    std::fs::create_dir_all(empty.join(".git")).unwrap();
    write(&empty, "a.env", token_file(&token));
    let garbage = dir.path().join("garbage");
    git2::Repository::init(&garbage).unwrap();
    std::fs::write(garbage.join(".git/HEAD"), [0xff_u8; 64]).unwrap();
    let other = tokens::github_classic("Q1wE2rT3yU4iO5pA6sD7fG8hJ9kL0z");
    write(&garbage, "b.env", token_file(&other));
    // The corrupt repository's history was not read: incomplete. The empty `.git` holds no
    // history, and leaves no gap.
    let run = scan_incomplete(dir.path(), &[]);
    let reasons = run.report["summary"]["incomplete_reasons"].to_string();
    assert!(reasons.contains("garbage"), "{reasons}");
    assert!(!reasons.contains("empty"), "{reasons}");
    let paths = evidence_paths(&run.report);
    for expected in ["empty/a.env", "garbage/b.env"] {
        assert!(
            paths.iter().any(|p| p == expected),
            "{expected} not scanned: {:#}",
            run.report
        );
    }
    assert!(skipped_reason(&run.report, "empty").is_some());
    assert!(skipped_reason(&run.report, "garbage").is_some());
}

#[test]
fn git_config_cannot_hide_or_move_the_working_tree() {
    let token = repo_fixture::fixture_token();
    let outside = tempfile::tempdir().unwrap();
    let other = tokens::github_classic("Q1wE2rT3yU4iO5pA6sD7fG8hJ9kL0z");
    write(outside.path(), "outside.env", token_file(&other));
    let dir = tempfile::tempdir().unwrap();
    // `core.bare = true` would make libgit2 see no working tree; `core.worktree` would point it
    // at a directory outside the scanned root.
    let bare = dir.path().join("claims-bare");
    let repo = git2::Repository::init(&bare).unwrap();
    repo.config().unwrap().set_bool("core.bare", true).unwrap();
    write(&bare, "a.env", token_file(&token));
    let moved = dir.path().join("moved");
    let repo = git2::Repository::init(&moved).unwrap();
    repo.config()
        .unwrap()
        .set_str("core.worktree", outside.path().to_str().unwrap())
        .unwrap();
    write(&moved, "b.env", token_file(&token));
    let run = scan(dir.path(), &[]);
    let paths = evidence_paths(&run.report);
    assert!(
        paths.iter().any(|p| p == "claims-bare/a.env"),
        "the working tree of a repository claiming to be bare was not scanned: {:#}",
        run.report
    );
    assert!(paths.iter().any(|p| p == "moved/b.env"), "{:#}", run.report);
    assert!(
        !run.report.to_string().contains("outside.env"),
        "core.worktree led the scan out of the root: {:#}",
        run.report
    );
}

// ---------------------------------------------------------------------------------------------
// Files that vanish or turn unreadable
// ---------------------------------------------------------------------------------------------

#[cfg(unix)]
#[test]
fn unreadable_files_and_directories_are_skipped() {
    use std::os::unix::fs::PermissionsExt;
    if !permissions_bind() {
        eprintln!("running as root: permissions cannot make a file unreadable; skipped");
        return;
    }
    let dir = tempfile::tempdir().unwrap();
    let file = write(dir.path(), "locked.json", "{\"Users\": []}");
    write(dir.path(), "locked-dir/inner.json", "{}");
    std::fs::set_permissions(&file, std::fs::Permissions::from_mode(0o000)).unwrap();
    let locked_dir = dir.path().join("locked-dir");
    std::fs::set_permissions(&locked_dir, std::fs::Permissions::from_mode(0o000)).unwrap();
    let run = scan(dir.path(), &[]);
    std::fs::set_permissions(&locked_dir, std::fs::Permissions::from_mode(0o755)).unwrap();
    let reason = skipped_reason(&run.report, "locked.json").expect("skipped");
    assert!(reason.contains("cannot read"), "{reason}");
    assert!(skipped_reason(&run.report, "locked-dir").is_some());
}

#[test]
fn files_vanishing_during_the_scan_are_skipped_or_absent_never_a_crash() {
    // A second thread deletes and rewrites files while deprov reads them: whatever the
    // interleaving, the scan ends with a report, and every file still there at the end is
    // accounted for (read, or skipped with a reason).
    let dir = tempfile::tempdir().unwrap();
    let token = repo_fixture::fixture_token();
    let files: Vec<String> = (0..400).map(|i| format!("f{i:03}.env")).collect();
    for name in &files {
        write(dir.path(), name, token_file(&token).repeat(200));
    }
    let repo_path = dir.path().join("repo");
    let repo = git2::Repository::init(&repo_path).unwrap();
    commit(
        &repo,
        &[("a.env", token_file(&token).as_bytes())],
        1_700_000_000,
    );
    for i in 0..200 {
        write(&repo_path, &format!("w{i:03}.env"), token_file(&token));
    }
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let churn = {
        let stop = stop.clone();
        let root = dir.path().to_path_buf();
        let files = files.clone();
        std::thread::spawn(move || {
            let mut round = 0usize;
            while !stop.load(std::sync::atomic::Ordering::Relaxed) {
                for (i, name) in files.iter().enumerate() {
                    let path = root.join(name);
                    // Every fifth file is only ever rewritten, never deleted: it exists for the
                    // whole scan, so it must be accounted for.
                    if !i.is_multiple_of(5) && (i + round).is_multiple_of(3) {
                        let _ = std::fs::remove_file(&path);
                    } else {
                        let _ = std::fs::write(&path, "x\n");
                    }
                    let wt = root.join(format!("repo/w{:03}.env", i % 200));
                    let _ = std::fs::remove_file(&wt);
                }
                round += 1;
            }
        })
    };
    let run = scan(dir.path(), &[]);
    stop.store(true, std::sync::atomic::Ordering::Relaxed);
    churn.join().unwrap();
    assert!(run.code < 2);
    for (i, name) in files.iter().enumerate() {
        if i.is_multiple_of(5) {
            // Present throughout: read, or listed with its reason.
            accounted(&run.report, name);
        }
    }
    for skipped in run.report["skipped"].as_array().unwrap() {
        assert!(!skipped["reason"].as_str().unwrap().is_empty());
    }
}

// ---------------------------------------------------------------------------------------------
// A pull request cannot hide a secret
// ---------------------------------------------------------------------------------------------

/// One NUL byte in the first 8 KB, or padding past the 8 MB blob limit, once hid every secret of
/// a file (listed as skipped, exit 0). Binary is now decided by content, files are scanned in
/// windows up to `limits.max_file_size_mb`, and what is still not scanned is counted.
#[test]
fn a_nul_byte_or_padding_does_not_hide_a_secret() {
    let token = repo_fixture::fixture_token();
    let others: Vec<String> = ["A1", "B2", "C3", "D4"]
        .iter()
        .map(|suffix| tokens::github_classic(&["Z9yX8wV7uT6sR5qP4oN3mL2kJ1iH", suffix].concat()))
        .collect();
    let nul = {
        let mut bytes = b"# build settings\0\n".to_vec();
        bytes.extend(token_file(&token).into_bytes());
        bytes
    };
    let padded_after = {
        let mut bytes = token_file(&others[0]).into_bytes();
        bytes.extend(std::iter::repeat_n(b'#', 9 << 20));
        bytes
    };
    let padded_before = {
        let mut bytes = vec![b'\0'; 9 << 20];
        bytes.push(b'\n');
        bytes.extend(token_file(&others[1]).into_bytes());
        bytes
    };
    let dir = tempfile::tempdir().unwrap();
    // A plain directory, and a repository's working tree and history.
    for (name, content) in [
        ("nul.env", &nul),
        ("padded-after.env", &padded_after),
        ("padded-before.env", &padded_before),
    ] {
        write(dir.path(), &format!("plain/{name}"), content);
    }
    let path = dir.path().join("repo");
    let repo = git2::Repository::init(&path).unwrap();
    let committed_nul = {
        let mut bytes = vec![0u8, 1, 2];
        bytes.extend(token_file(&others[2]).into_bytes());
        bytes
    };
    let committed_padded = {
        let mut bytes = vec![b' '; 9 << 20];
        bytes.extend(token_file(&others[3]).into_bytes());
        bytes
    };
    commit(
        &repo,
        &[
            ("ci/nul.env", &committed_nul[..]),
            ("ci/padded.env", &committed_padded[..]),
        ],
        1_700_000_000,
    );
    write(&path, "ci/nul.env", &committed_nul);
    write(&path, "ci/padded.env", &committed_padded);
    // A real binary format with a token inside is binary: not text a detector reads.
    let mut png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    png.extend(token_file(&token).into_bytes());
    write(dir.path(), "plain/logo.png", &png);

    let run = scan(dir.path(), &[]);
    let found: Vec<(String, String)> = findings(&run.report, "LEAK001")
        .iter()
        .map(|f| {
            (
                f["evidence"]["path"].as_str().unwrap().to_string(),
                f["evidence"]["line"].to_string(),
            )
        })
        .collect();
    for expected in [
        ("plain/nul.env", "2"),
        ("plain/padded-after.env", "1"),
        ("plain/padded-before.env", "2"),
        ("repo/ci/nul.env", "1"),
        ("repo/ci/padded.env", "1"),
    ] {
        assert!(
            found.contains(&(expected.0.to_string(), expected.1.to_string())),
            "{expected:?} not found: {found:?}"
        );
    }
    let png = skipped_reason(&run.report, "plain/logo.png").expect("skipped");
    assert_eq!(png, "binary file (PNG image)");
    // The padded blob in history is above the blob limit and was scanned in windows too:
    // nothing is left unscanned.
    assert_eq!(run.report["summary"]["unscanned"], 0);
    // Below the padding, the file limit leaves text unscanned: counted, and a gate can refuse
    // to pass it.
    let config = write(
        dir.path(),
        "../limits.yaml",
        "limits:\n  max_file_size_mb: 4\n",
    );
    let cwd = tempfile::tempdir().unwrap();
    let limited = scan_in(
        cwd.path(),
        &[
            dir.path().as_os_str(),
            "--config".as_ref(),
            config.as_os_str(),
        ],
    );
    let unscanned: Vec<&str> = limited.report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["unscanned"] == true)
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(unscanned.len(), 4, "{unscanned:?}");
    let gated = scan_in(
        cwd.path(),
        &[
            dir.path().as_os_str(),
            "--config".as_ref(),
            config.as_os_str(),
            "--fail-on-unscanned".as_ref(),
        ],
    );
    assert_eq!(gated.code, 2, "{}", gated.stderr);
    assert!(
        gated.stderr.contains("deprov::input::unscanned"),
        "{}",
        gated.stderr
    );
}

/// The shapes a padded or disguised text file can take: a secret at the start of a line longer
/// than the scan window, a binary format's signature in front of text, padding of two
/// alternating bytes, UTF-16 without a byte-order mark. Each secret is found.
#[test]
fn disguised_text_does_not_hide_a_secret() {
    let tokens: Vec<String> = ["E5", "F6", "G7", "H8", "J9"]
        .iter()
        .map(|suffix| tokens::github_classic(&["Q1wE2rT3yU4iO5pA6sD7fG8hJ9kL", suffix].concat()))
        .collect();
    let dir = tempfile::tempdir().unwrap();
    let mut long_line = format!("GITHUB_TOKEN={} ", tokens[0]).into_bytes();
    long_line.extend(std::iter::repeat_n(b'x', 9 << 20));
    write(dir.path(), "long-line.txt", &long_line);
    write(
        dir.path(),
        "gif.txt",
        format!("GIF89a\nGITHUB_TOKEN={}\n", tokens[1]),
    );
    write(
        dir.path(),
        "id3.txt",
        format!("ID3\x03\nGITHUB_TOKEN={}\n", tokens[2]),
    );
    let mut padded = [1u8, 2].repeat(600);
    padded.extend(format!("\nGITHUB_TOKEN={}\n", tokens[3]).into_bytes());
    write(dir.path(), "padded.txt", &padded);
    let utf16: Vec<u8> = format!("GITHUB_TOKEN={}\n", tokens[4])
        .encode_utf16()
        .flat_map(u16::to_le_bytes)
        .collect();
    write(dir.path(), "utf16.txt", &utf16);
    let run = scan(dir.path(), &[]);
    let found: Vec<&str> = findings(&run.report, "LEAK001")
        .iter()
        .map(|f| f["evidence"]["path"].as_str().unwrap())
        .collect();
    for path in [
        "gif.txt",
        "id3.txt",
        "long-line.txt",
        "padded.txt",
        "utf16.txt",
    ] {
        assert!(found.contains(&path), "{path} hid its secret: {found:?}");
    }
}

// ---------------------------------------------------------------------------------------------
// Content that tries to suppress findings
// ---------------------------------------------------------------------------------------------

#[test]
fn an_allow_comment_never_silences_another_file() {
    let token = repo_fixture::fixture_token();
    let dir = tempfile::tempdir().unwrap();
    // A repository: the allow in tests/ must not silence the same secret in deploy/, in the
    // working tree or in history.
    let path = dir.path().join("repo");
    let repo = git2::Repository::init(&path).unwrap();
    let allowed = format!("# deprov:allow LEAK001 fixture\n{}", token_file(&token));
    commit(
        &repo,
        &[("tests/fixture.env", allowed.as_bytes())],
        1_700_000_000,
    );
    commit(
        &repo,
        &[("deploy/prod.env", token_file(&token).as_bytes())],
        1_700_000_100,
    );
    write(&path, "tests/fixture.env", &allowed);
    write(&path, "deploy/prod.env", token_file(&token));
    // A plain directory next to it: the allowed copy in the repository must not silence it.
    write(dir.path(), "plain/prod.env", token_file(&token));
    // An allow naming another rule, and one two lines above, silence nothing.
    let other = tokens::github_classic("M3nB4vC5xZ6lK7jH8gF9dS0aP1oI2u");
    write(
        dir.path(),
        "plain/other.env",
        format!(
            "# deprov:allow DPV004 wrong rule\n{}# deprov:allow LEAK001 too far\n\n{}",
            token_file(&other),
            token_file(&format!("{other}X"))
        ),
    );
    // References: an allow in one configuration file does not silence another.
    write(
        dir.path(),
        "plain/a.yaml",
        format!("# deprov:allow DPV008 migrating\nrole: {RETIRED_ARN}\n"),
    );
    write(dir.path(), "plain/b.yaml", format!("role: {RETIRED_ARN}\n"));
    let register = write(dir.path(), "register/register.yaml", register());
    let run = scan(dir.path(), &[&register]);
    let report = &run.report;
    let leaks = findings(report, "LEAK001");
    assert!(!leaks.is_empty(), "{report:#}");
    for finding in leaks.iter().chain(findings(report, "DPV008").iter()) {
        let path = finding["evidence"]["path"].as_str().unwrap();
        let expected = if path == "plain/a.yaml" {
            "suppressed"
        } else {
            "new"
        };
        assert_eq!(
            finding["status"], expected,
            "an allow comment silenced another file (or its own was ignored): {finding:#}"
        );
    }
    let dpv008: Vec<String> = findings(report, "DPV008")
        .iter()
        .map(|f| f["evidence"]["path"].as_str().unwrap().to_string())
        .collect();
    assert!(dpv008.contains(&"plain/b.yaml".to_string()), "{report:#}");
}

#[test]
fn a_config_inside_the_scanned_tree_is_not_honoured() {
    let token = repo_fixture::fixture_token();
    let dir = tempfile::tempdir().unwrap();
    write(dir.path(), "app/prod.env", token_file(&token));
    // Everything a config could do to hide the finding.
    let planted = "rules:\n  LEAK001: {enabled: false}\nrepositories:\n  allow_paths: [\"**\"]\n  max_blob_size_mb: 0\nfail_on: none\nsuppressions:\n  - rule: LEAK001\n    path: \"**\"\n    reason: planted\n    expires: 2099-01-01\n";
    write(dir.path(), "app/.deprov.yaml", planted);
    write(dir.path(), ".deprov.yaml", planted);
    // Scanned from elsewhere: the tree's config is just a file.
    let elsewhere = tempfile::tempdir().unwrap();
    let run = scan_in(elsewhere.path(), &[dir.path().as_os_str()]);
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(findings(&run.report, "LEAK001")[0]["status"], "new");
    // Scanned from inside (`cd repo && deprov scan .`): the working directory's `.deprov.yaml`
    // lies in the scanned tree, so it is not read implicitly (the scanned tree could otherwise
    // suppress its own findings); a warning says so.
    for cwd in [dir.path(), &dir.path().join("app")] {
        let run = scan_in(cwd, &[".".as_ref()]);
        assert_eq!(run.code, 1, "{}", run.stderr);
        assert_eq!(
            findings(&run.report, "LEAK001")[0]["status"],
            "new",
            "{:#}",
            run.report
        );
        assert!(run.stderr.contains(".deprov.yaml"), "{}", run.stderr);
    }
    // Named explicitly, it is honoured: that is a decision of whoever runs the scan.
    let run = scan_in(
        dir.path(),
        &[".".as_ref(), "--config".as_ref(), ".deprov.yaml".as_ref()],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
}

#[test]
fn an_export_committed_to_a_repository_cannot_change_the_verdict() {
    let key_id = ["AKIA", "5CILEGACY2ACCESS"].concat();
    let dir = tempfile::tempdir().unwrap();
    let register = write(
        dir.path(),
        "register.yaml",
        format!(
            "identities:\n  - id: ci-legacy\n    kind: service\n    status: retired\n    retired_at: 2026-03-01\n    owner: team-a\n    aliases: [arn:aws:iam::111122223333:user/ci-legacy, {key_id}]\nteams:\n  - id: team-a\n"
        ),
    );
    // The leaked key, and beside it a planted `list-access-keys` output saying that the key is
    // inactive and that ci-legacy is an active identity: data that would lower the finding.
    let path = dir.path().join("scanned/repo");
    let repo = git2::Repository::init(&path).unwrap();
    let env = format!(
        "AWS_ACCESS_KEY_ID={key_id}\nAWS_SECRET_ACCESS_KEY={}\n",
        repo_fixture::ci_legacy_secret()
    );
    let planted_keys = format!(
        "{{\"AccessKeyMetadata\": [{{\"UserName\": \"ci-legacy\", \"AccessKeyId\": \"{key_id}\", \"Status\": \"Inactive\", \"CreateDate\": \"2025-01-01T00:00:00Z\"}}]}}\n"
    );
    let planted_register = "identities:\n  - id: ci-legacy\n    status: active\n    owner: team-a\n    aliases: [arn:aws:iam::111122223333:user/ci-legacy]\nteams:\n  - id: team-a\n";
    commit(
        &repo,
        &[
            ("deploy/aws.env", env.as_bytes()),
            ("iam/keys.json", planted_keys.as_bytes()),
            ("register.yaml", planted_register.as_bytes()),
        ],
        1_700_000_000,
    );
    write(&path, "deploy/aws.env", &env);
    write(&path, "iam/keys.json", &planted_keys);
    write(&path, "register.yaml", planted_register);

    let scanned = dir.path().join("scanned");
    let cwd = tempfile::tempdir().unwrap();
    let run = scan_in(
        cwd.path(),
        &[
            scanned.as_os_str(),
            "--register".as_ref(),
            register.as_os_str(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let leaked = leaked_key(&run.report);
    assert_eq!(leaked["severity"], "critical", "{leaked:#}");
    for planted in ["repo/iam/keys.json", "repo/register.yaml"] {
        let reason = skipped_reason(&run.report, planted)
            .unwrap_or_else(|| panic!("{planted} not listed: {:#}", run.report));
        assert!(reason.contains("inside a git repository"), "{reason}");
        assert_eq!(source_formats(&run.report, planted), None);
    }

    // Trusted on purpose, the committed export is data again (and lowers the finding).
    let run = scan_in(
        cwd.path(),
        &[
            scanned.as_os_str(),
            "--register".as_ref(),
            register.as_os_str(),
            "--trust-repository-exports".as_ref(),
        ],
    );
    assert!(source_formats(&run.report, "repo/iam/keys.json").is_some());
    let leaked = leaked_key(&run.report);
    assert_ne!(leaked["severity"], "critical", "{leaked:#}");

    // A directory inside the repository named on the command line (CI artifacts downloaded into
    // the checkout) is data: naming it is the decision to trust it. The rest stays code.
    let run = scan_in(
        &path,
        &[
            ".".as_ref(),
            "iam".as_ref(),
            "--register".as_ref(),
            register.as_os_str(),
        ],
    );
    let read: Vec<&str> = run.report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|s| s["path"].as_str())
        .collect();
    assert!(read.contains(&"iam/keys.json"), "{:#}", run.report);
    assert!(skipped_reason(&run.report, "register.yaml").is_some());
}

/// The DPV004 finding of the key with its secret in `deploy/aws.env`.
fn leaked_key(report: &Value) -> &Value {
    let found: Vec<&Value> = findings(report, "DPV004")
        .into_iter()
        .filter(|f| f["evidence"]["path"] == "repo/deploy/aws.env")
        .collect();
    assert_eq!(found.len(), 1, "{report:#}");
    found[0]
}

#[test]
fn hostile_ber_bundles_and_keystores_are_refused_in_bounded_time() {
    // Issue 15: BER PKCS#7 and password-less JKS are read now; their hostile forms are skipped
    // with a reason, within the timeout, without a panic: PKCS#7 nested far past der's limit of
    // 64, one of indefinite lengths that never end, a signedData whose content is two million
    // empty elements 60 levels down, and a JKS whose certificate claims 4 GiB (read without a
    // password, so by deprov's own walk).
    // Each holds a NUL byte early, as real ASN.1 does: content without one in its first 8 KiB
    // is decoded as Windows-1252 text and read as text.
    let dir = tempfile::tempdir().unwrap();
    let signed_data = [
        0x06, 0x09, 0x2A, 0x86, 0x48, 0x86, 0xF7, 0x0D, 0x01, 0x07, 0x02,
    ];
    let mut deep = vec![0x30, 0x80];
    deep.extend(signed_data);
    deep.extend([0xA0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x00]);
    for _ in 0..200_000 {
        deep.extend([0x30, 0x80]);
    }
    deep.extend(vec![0; 400_000]);
    write(dir.path(), "data/deep.p7b", &deep);
    let mut endless = vec![0x30, 0x80];
    endless.extend(signed_data);
    endless.extend([0xA0, 0x80, 0x30, 0x80, 0x02, 0x01, 0x00]);
    write(dir.path(), "data/endless.p7b", &endless);
    let mut wide = vec![0x30, 0x80];
    wide.extend(signed_data);
    wide.extend([0xA0, 0x80]);
    for _ in 0..60 {
        wide.extend([0x30, 0x80]);
    }
    for _ in 0..2_000_000 {
        wide.extend([0x05, 0x00]);
    }
    wide.extend(vec![0; 124]);
    write(dir.path(), "data/wide.p7b", &wide);
    let mut jks = 0xFEED_FEEDu32.to_be_bytes().to_vec();
    jks.extend(2u32.to_be_bytes());
    jks.extend(1u32.to_be_bytes());
    jks.extend(2u32.to_be_bytes()); // a trusted certificate
    jks.extend([0, 1, b'a', 0, 0, 0, 0, 0, 0, 0, 0, 0, 5]);
    jks.extend(b"X.509");
    jks.extend(u32::MAX.to_be_bytes());
    jks.extend([0; 32]);
    write(dir.path(), "data/crafted.jks", jks);
    let cwd = tempfile::tempdir().unwrap();
    let run = scan_in(
        cwd.path(),
        &[
            dir.path().as_os_str(),
            "--without-register".as_ref(),
            "--allow-incomplete".as_ref(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    for (path, expected) in [
        (
            "data/deep.p7b",
            "certs/pkcs7: not a valid PKCS#7 ContentInfo (BER)",
        ),
        (
            "data/endless.p7b",
            "certs/pkcs7: not a valid PKCS#7 ContentInfo (BER)",
        ),
        (
            "data/wide.p7b",
            "certs/pkcs7: PKCS#7 content is not SignedData",
        ),
        ("data/crafted.jks", "truncated or crafted"),
    ] {
        let reason = skipped_reason(&run.report, path)
            .unwrap_or_else(|| panic!("{path} not skipped: {}", run.report["skipped"]));
        assert!(reason.contains(expected), "{path}: {reason}");
    }
}
