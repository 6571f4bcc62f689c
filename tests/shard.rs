//! `scan --shard K/N` and `merge`: the shards of a run, merged, give exactly the report of a
//! single-machine run, in every format; a merge that lacks a shard or mixes runs is refused.

mod common;

#[path = "../benches/support/synth.rs"]
mod synth;

use std::path::{Path, PathBuf};

/// The command exited 0; its standard error otherwise.
fn assert_succeeded(output: &std::process::Output) {
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
}

fn single(path: &Path, extra: &[&str], format: &str) -> Vec<u8> {
    let output = common::scan(
        path,
        &[&["--format", format, "--fail-on", "none"], extra].concat(),
    )
    .output()
    .unwrap();
    assert_succeeded(&output);
    output.stdout
}

fn shard_reports(path: &Path, extra: &[&str], count: u32, dir: &Path) -> Vec<PathBuf> {
    (1..=count)
        .map(|k| {
            let file = dir.join(format!("shard-{k}-of-{count}.json"));
            let output = common::scan(
                path,
                &[
                    &[
                        "--shard",
                        &format!("{k}/{count}"),
                        "--format",
                        "json",
                        "--fail-on",
                        "none",
                        "--output",
                        file.to_str().unwrap(),
                    ],
                    extra,
                ]
                .concat(),
            )
            .output()
            .unwrap();
            assert_succeeded(&output);
            file
        })
        .collect()
}

fn merged(files: &[PathBuf], format: &str) -> std::process::Output {
    common::deprov()
        .arg("merge")
        .args(files)
        .args(["--format", format, "--fail-on", "none"])
        .output()
        .unwrap()
}

fn assert_equivalent(path: &Path, counts: &[u32]) {
    assert_equivalent_with(path, &[], counts)
}

fn assert_equivalent_with(path: &Path, extra: &[&str], counts: &[u32]) {
    let dir = tempfile::tempdir().unwrap();
    let formats = [
        "json", "sarif", "markdown", "html", "oscal", "junit", "text",
    ];
    let expected: Vec<Vec<u8>> = formats.iter().map(|f| single(path, extra, f)).collect();
    for &count in counts {
        let files = shard_reports(path, extra, count, dir.path());
        // The work is split: no finding is in two shards, and every shard has a part.
        let ids: Vec<Vec<String>> = files
            .iter()
            .map(|f| {
                let report: serde_json::Value =
                    serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
                assert_eq!(report["shard"]["count"], count);
                report["findings"]
                    .as_array()
                    .unwrap()
                    .iter()
                    .map(|f| f["id"].as_str().unwrap().to_string())
                    .collect()
            })
            .collect();
        let total: usize = ids.iter().map(Vec::len).sum();
        let mut all: Vec<&String> = ids.iter().flatten().collect();
        all.sort();
        all.dedup();
        assert_eq!(all.len(), total, "a finding came out of two shards");
        assert!(ids.iter().all(|i| !i.is_empty()), "a shard judged nothing");
        // The inventory is split too (issue 19): each shard counts only the credentials of the
        // identities it owns, and the counts add up to the single run's.
        let single_report: serde_json::Value = serde_json::from_slice(&expected[0]).unwrap();
        for what in ["identities", "credentials", "grants"] {
            let counts: Vec<u64> = files
                .iter()
                .map(|f| {
                    let report: serde_json::Value =
                        serde_json::from_slice(&std::fs::read(f).unwrap()).unwrap();
                    report["summary"][what].as_u64().unwrap()
                })
                .collect();
            let whole = single_report["summary"][what].as_u64().unwrap();
            assert_eq!(counts.iter().sum::<u64>(), whole, "{what}: {counts:?}");
            if what == "credentials" && whole > 20 {
                assert!(
                    counts.iter().all(|&c| c < whole),
                    "a shard held every credential: {counts:?}"
                );
            }
        }
        // Shards in any order.
        let mut reversed = files.clone();
        reversed.reverse();
        for (format, expected) in formats.iter().zip(&expected) {
            let output = merged(&reversed, format);
            assert_succeeded(&output);
            if output.stdout != *expected {
                let got = String::from_utf8_lossy(&output.stdout);
                let want = String::from_utf8_lossy(expected);
                let line = got
                    .lines()
                    .zip(want.lines())
                    .position(|(a, b)| a != b)
                    .unwrap_or(0);
                panic!(
                    "{format} of {count} merged shards differs from the single run at line {}:\n  merged: {}\n  single: {}",
                    line + 1,
                    got.lines().nth(line).unwrap_or(""),
                    want.lines().nth(line).unwrap_or("")
                );
            }
        }
    }
}

#[test]
fn merged_shards_of_the_example_organisation_equal_a_single_run() {
    assert_equivalent(&common::testdata("example-org"), &[2, 3]);
}

#[test]
fn merged_shards_of_a_synthetic_organisation_equal_a_single_run() {
    // Every family, a repository, thousands of subjects.
    let dir = tempfile::tempdir().unwrap();
    let expected = synth::full_org(dir.path(), 3_000, 7).unwrap();
    assert!(expected.dpv001 > 0 && expected.dpv003 > 0 && expected.dpv004 > 0);
    assert_equivalent(dir.path(), &[4]);
}

#[test]
fn merged_shards_of_mapped_inventories_equal_a_single_run() {
    // Files that the config's `inventories:` maps are read by mapping when a shard reads them
    // by family.
    let mapped = common::testdata("mapped");
    let config = mapped.join("deprov.yaml");
    assert_equivalent_with(
        &mapped.join("exports"),
        &["--config", config.to_str().unwrap()],
        &[2, 3],
    );
}

/// Changes every AWS export when the shard begins reading the AWS family, after its first sweep
/// recognised them: appends a line, or (`touch`) only sets its modification time, as a rewrite
/// with the same head and rows would.
struct RewritesAws {
    dir: PathBuf,
    touch: bool,
    rewritten: std::sync::atomic::AtomicBool,
}

impl deprov::scan::Progress for RewritesAws {
    fn stage(&self, name: &str, _total: Option<u64>) {
        if name == "reading aws exports" {
            for entry in walkdir::WalkDir::new(self.dir.join("aws")) {
                let entry = entry.unwrap();
                if !entry.file_type().is_file() {
                    continue;
                }
                if self.touch {
                    let file = std::fs::File::options()
                        .write(true)
                        .open(entry.path())
                        .unwrap();
                    let then = std::time::SystemTime::UNIX_EPOCH
                        + std::time::Duration::from_secs(1_700_000_000);
                    file.set_modified(then).unwrap();
                } else {
                    let mut text = std::fs::read(entry.path()).unwrap();
                    text.extend_from_slice(b"\n");
                    std::fs::write(entry.path(), text).unwrap();
                }
            }
            self.rewritten
                .store(true, std::sync::atomic::Ordering::SeqCst);
        }
    }
}

#[test]
fn an_export_that_changes_after_a_shards_first_sweep_stops_the_scan() {
    changed_after_first_sweep(false);
}

#[test]
fn an_export_rewritten_with_the_same_head_and_rows_stops_the_scan() {
    changed_after_first_sweep(true);
}

fn changed_after_first_sweep(touch: bool) {
    let dir = tempfile::tempdir().unwrap();
    common::copy_tree(&common::testdata("example-org"), dir.path());
    let mut plan = common::example_plan();
    plan.paths = vec![dir.path().to_path_buf()];
    plan.shard = Some("2/3".parse().unwrap());
    let progress = RewritesAws {
        dir: dir.path().to_path_buf(),
        touch,
        rewritten: Default::default(),
    };
    let outcome = deprov::scan::scan_observed(&plan, &progress);
    assert!(progress.rewritten.load(std::sync::atomic::Ordering::SeqCst));
    match outcome {
        Err(deprov::scan::ScanError::ChangedDuringScan { path }) => {
            assert!(path.starts_with("aws/"), "{path}")
        }
        Err(e) => panic!("another error: {e}"),
        Ok(_) => panic!("a shard whose exports changed while it read them passed"),
    }
    // Unchanged, the same shard reads.
    plan.paths = vec![common::testdata("example-org")];
    assert!(deprov::scan::scan(&plan).is_ok());
}

/// A shard writes the organisation's credentials and grants to a temporary file until it knows
/// which are its own: without one to write, the scan stops with an error, never a report that
/// lacks them. A run of one shard sets nothing aside.
#[test]
fn a_shard_that_cannot_set_its_records_aside_stops() {
    let example = common::testdata("example-org");
    let nowhere = tempfile::tempdir().unwrap().path().join("gone");
    let output = common::scan(&example, &["--shard", "2/3", "--fail-on", "none"])
        .env("TMPDIR", &nowhere)
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(2), "{stderr}");
    assert!(stderr.contains("deprov::scan::spill"), "{stderr}");
    assert!(output.stdout.is_empty());

    let output = common::scan(&example, &["--shard", "1/1", "--fail-on", "none"])
        .env("TMPDIR", &nowhere)
        .output()
        .unwrap();
    assert_succeeded(&output);
}

#[test]
fn a_merge_refuses_missing_duplicate_and_foreign_reports() {
    let dir = tempfile::tempdir().unwrap();
    let example = common::testdata("example-org");
    let files = shard_reports(&example, &[], 3, dir.path());

    let output = merged(&files[..2], "json");
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(
        stderr.contains("shards missing from the merge: 3/3"),
        "{stderr}"
    );

    let output = merged(
        &[files[0].clone(), files[0].clone(), files[1].clone()],
        "json",
    );
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("given twice"));

    let plain = dir.path().join("plain.json");
    std::fs::write(&plain, single(&example, &[], "json")).unwrap();
    let output = merged(&[plain], "json");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("not a shard report"));

    // A shard evaluated at another instant belongs to another run.
    let other = dir.path().join("other.json");
    let output = common::deprov()
        .args([
            "scan",
            example.to_str().unwrap(),
            "--now",
            "2026-12-01T00:00:00Z",
        ])
        .args(["--shard", "3/3", "--format", "json", "--fail-on", "none"])
        .output()
        .unwrap();
    std::fs::write(&other, output.stdout).unwrap();
    let output = merged(&[files[0].clone(), files[1].clone(), other], "json");
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("evaluated_at"));
}

#[test]
fn an_invalid_shard_is_a_usage_error() {
    let output = common::scan(&common::testdata("example-org"), &["--shard", "4/3"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&output.stderr).contains("K/N"));
}

#[test]
fn a_merge_past_the_compliance_listing_limit_writes_every_format_as_a_single_run() {
    // Enough findings that a control lists only the first 1,000 of them (the compliance formats
    // are written from a tally while the merge streams), and several outputs of one merge.
    let dir = tempfile::tempdir().unwrap();
    synth::full_org(dir.path(), 5_000, 11).unwrap();
    let reports = tempfile::tempdir().unwrap();
    let files = shard_reports(dir.path(), &[], 2, reports.path());
    let outputs = [
        ("markdown", "merged.md"),
        ("html", "merged.html"),
        ("oscal", "merged.oscal.json"),
        ("json", "merged.json"),
    ];
    let mut merge = common::deprov();
    merge.arg("merge").args(&files).args(["--fail-on", "none"]);
    for (_, name) in outputs {
        merge.arg("--output").arg(reports.path().join(name));
    }
    let output = merge.output().unwrap();
    assert_succeeded(&output);
    for (format, name) in outputs {
        let merged = std::fs::read(reports.path().join(name)).unwrap();
        assert!(
            merged == single(dir.path(), &[], format),
            "{format}: the merged report differs from the single run's"
        );
    }
    let markdown = std::fs::read_to_string(reports.path().join("merged.md")).unwrap();
    assert!(
        markdown.contains("The first 1000 of "),
        "no control reached the listing limit"
    );
}
