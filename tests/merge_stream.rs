//! `merge` streams the shard reports (issue 19): the merged report is the single run's whatever
//! the order of the shards and whichever formats are written together (the streamed JSON and
//! SARIF beside the collected formats), and a shard report that is cut short, malformed or out
//! of order is refused with a diagnostic that names it (exit 2), never a panic.

mod common;

use std::path::{Path, PathBuf};

fn shard_reports(dir: &Path, count: u32) -> Vec<PathBuf> {
    let example = common::testdata("example-org");
    (1..=count)
        .map(|k| {
            let file = dir.join(format!("shard-{k}-of-{count}.json"));
            let output = common::scan(
                &example,
                &[
                    "--shard",
                    &format!("{k}/{count}"),
                    "--format",
                    "json",
                    "--output",
                    file.to_str().unwrap(),
                ],
            )
            .output()
            .unwrap();
            assert!(output.status.code() != Some(2), "{output:?}");
            file
        })
        .collect()
}

fn merge(files: &[PathBuf], extra: &[&str]) -> std::process::Output {
    common::deprov()
        .arg("merge")
        .args(files)
        .args(extra)
        .output()
        .unwrap()
}

fn single(format: &str) -> std::process::Output {
    common::scan(&common::testdata("example-org"), &["--format", format])
        .output()
        .unwrap()
}

/// Every order of three shards gives the same bytes, in the streamed formats and with the exit
/// code of the single run (its findings are at or above the default `--fail-on high`).
#[test]
fn shards_in_every_order_merge_to_the_single_run() {
    let dir = tempfile::tempdir().unwrap();
    let files = shard_reports(dir.path(), 3);
    let (json, sarif) = (single("json"), single("sarif"));
    assert_eq!(json.status.code(), Some(1), "the example has high findings");
    for order in [
        [0, 1, 2],
        [0, 2, 1],
        [1, 0, 2],
        [1, 2, 0],
        [2, 0, 1],
        [2, 1, 0],
    ] {
        let given: Vec<PathBuf> = order.iter().map(|&i| files[i].clone()).collect();
        let merged = merge(&given, &["--format", "json"]);
        assert_eq!(merged.status.code(), json.status.code(), "{order:?}");
        assert!(merged.stdout == json.stdout, "JSON of {order:?}");
        let merged = merge(&given, &["--format", "sarif"]);
        assert!(merged.stdout == sarif.stdout, "SARIF of {order:?}");
    }
}

/// Streamed (JSON, SARIF) and collected (Markdown, text) reports written by one merge.
#[test]
fn streamed_and_collected_formats_in_one_merge() {
    let dir = tempfile::tempdir().unwrap();
    let files = shard_reports(dir.path(), 2);
    let out = |name: &str| dir.path().join(name);
    let merged = merge(
        &files,
        &[
            "-o",
            out("m.json").to_str().unwrap(),
            "-o",
            out("m.sarif").to_str().unwrap(),
            "-o",
            out("m.md").to_str().unwrap(),
            "-o",
            out("m.txt").to_str().unwrap(),
        ],
    );
    assert_eq!(merged.status.code(), Some(1), "{merged:?}");
    for (name, format) in [
        ("m.json", "json"),
        ("m.sarif", "sarif"),
        ("m.md", "markdown"),
        ("m.txt", "text"),
    ] {
        assert!(
            std::fs::read(out(name)).unwrap() == single(format).stdout,
            "{format}"
        );
    }
}

/// The diagnostic of a merge refused for one bad shard report: exit 2, the file and the code
/// named, no panic, nothing written.
fn assert_refused(files: &[PathBuf], bad: &Path, code: &str) {
    let dir = tempfile::tempdir().unwrap();
    let target = dir.path().join("merged.json");
    let output = merge(files, &["-o", target.to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(!stderr.contains("panicked"), "{stderr}");
    let name = bad.file_name().unwrap().to_str().unwrap();
    assert!(stderr.contains(name), "names the file: {stderr}");
    assert!(stderr.contains(code), "{code}: {stderr}");
    assert!(!target.exists(), "a report was written");
}

#[test]
fn a_truncated_or_malformed_shard_report_is_refused_by_name() {
    let dir = tempfile::tempdir().unwrap();
    let files = shard_reports(dir.path(), 2);
    let whole = std::fs::read(&files[1]).unwrap();
    let bad = dir.path().join("bad.json");
    let with_bad = [files[0].clone(), bad.clone()];
    // Cut short in the findings, at the start, in a string and just before the last brace.
    let findings_at = whole
        .windows(12)
        .position(|w| w == b"\"findings\": ")
        .unwrap();
    for cut in [findings_at + 200, 1, findings_at + 13, whole.len() - 2] {
        std::fs::write(&bad, &whole[..cut]).unwrap();
        assert_refused(&with_bad, &bad, "deprov::merge::malformed");
    }
    // Not JSON; an empty file; another document; trailing data; a finding of the wrong shape.
    let text = String::from_utf8(whole.clone()).unwrap();
    for content in [
        "not json".to_string(),
        String::new(),
        "[1, 2]".to_string(),
        format!("{text}{{}}"),
        text.replacen("\"severity\": \"", "\"severity\": 7, \"x\": \"", 1),
        text.replacen("\"findings\": [", "\"findings\": [[[[", 1),
    ] {
        std::fs::write(&bad, content).unwrap();
        assert_refused(&with_bad, &bad, "deprov::merge::");
    }
    // Text of the file quoted in the diagnostic (an unknown variant) is escaped.
    std::fs::write(
        &bad,
        text.replacen("\"severity\": \"", "\"severity\": \"\\u001b[2J", 1),
    )
    .unwrap();
    assert_refused(&with_bad, &bad, "deprov::merge::malformed");
    let output = merge(&with_bad, &["--format", "json"]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        !stderr.contains('\x1b') && stderr.contains("\\x1b[2J"),
        "{stderr}"
    );
    // A newer schema.
    std::fs::write(
        &bad,
        text.replacen("\"schema_version\": 1", "\"schema_version\": 99", 1),
    )
    .unwrap();
    assert_refused(&with_bad, &bad, "deprov::merge::version");
    // Nesting past any report's, which a recursive reader would follow until its stack ran out.
    let deep = format!(
        "{{\"schema_version\": 1, \"extra\": {}{}}}",
        "[".repeat(100_000),
        "]".repeat(100_000)
    );
    std::fs::write(&bad, deep).unwrap();
    assert_refused(&with_bad, &bad, "deprov::merge::malformed");
    // A missing file.
    let missing = dir.path().join("missing.json");
    assert_refused(
        &[files[0].clone(), missing.clone()],
        &missing,
        "deprov::diff::io",
    );
}

/// The merge relies on each shard's findings being in the report's order: a report whose
/// findings were reordered is refused rather than merged into a wrong order.
#[test]
fn a_shard_report_out_of_order_is_refused() {
    let dir = tempfile::tempdir().unwrap();
    let files = shard_reports(dir.path(), 2);
    let mut report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    let findings = report["findings"].as_array_mut().unwrap();
    assert!(findings.len() > 2);
    findings.reverse();
    let bad = dir.path().join("reordered.json");
    std::fs::write(&bad, serde_json::to_vec_pretty(&report).unwrap()).unwrap();
    assert_refused(
        &[bad.clone(), files[1].clone()],
        &bad,
        "deprov::merge::unsorted",
    );
}

/// A huge string (a 16 MiB message) is read as any other: the merge neither panics nor refuses.
#[test]
fn a_huge_string_in_a_finding_is_merged() {
    let dir = tempfile::tempdir().unwrap();
    let files = shard_reports(dir.path(), 2);
    let mut report: serde_json::Value =
        serde_json::from_slice(&std::fs::read(&files[0]).unwrap()).unwrap();
    let long = "x".repeat(16 << 20);
    report["findings"][0]["evidence"]["detail"] = serde_json::Value::String(long.clone());
    let big = dir.path().join("big.json");
    std::fs::write(&big, serde_json::to_vec_pretty(&report).unwrap()).unwrap();
    let output = merge(&[big, files[1].clone()], &["--format", "json"]);
    assert_eq!(output.status.code(), Some(1), "{output:?}");
    let merged: serde_json::Value = serde_json::from_slice(&output.stdout).unwrap();
    let details: Vec<&str> = merged["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter_map(|f| f["evidence"]["detail"].as_str())
        .collect();
    assert!(details.contains(&long.as_str()));
}

/// An output that is one of the shard reports is refused before anything is written (it would
/// be cut while it is read), and the report is moved into place only once whole: the shard
/// and the directory hold nothing but what they held.
#[test]
fn an_output_over_a_shard_report_is_refused_and_nothing_is_left_half_written() {
    let dir = tempfile::tempdir().unwrap();
    let files = shard_reports(dir.path(), 2);
    let before = std::fs::read(&files[0]).unwrap();
    let output = merge(&files, &["-o", files[0].to_str().unwrap()]);
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(
        stderr.contains("deprov::merge::output_is_input"),
        "{stderr}"
    );
    assert_eq!(
        std::fs::read(&files[0]).unwrap(),
        before,
        "the shard was touched"
    );

    let target = dir.path().join("merged.json");
    let output = merge(&files, &["-o", target.to_str().unwrap()]);
    assert_ne!(output.status.code(), Some(2), "{output:?}");
    let mut names: Vec<String> = std::fs::read_dir(dir.path())
        .unwrap()
        .map(|e| e.unwrap().file_name().to_string_lossy().into_owned())
        .collect();
    names.sort();
    assert_eq!(
        names,
        ["merged.json", "shard-1-of-2.json", "shard-2-of-2.json"],
        "no staging file is left"
    );
    assert_eq!(std::fs::read(&target).unwrap(), single("json").stdout);
}
