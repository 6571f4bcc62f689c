//! Confidence (issue 14): every repository finding says how sure deprov is that it is a secret,
//! generic matches in test fixtures are lowered rather than dropped, and `--min-confidence`
//! leaves findings out of the report and the exit code while counting them — in every format,
//! with the config key, baselines, `diff` and sharded runs.
//!
//! Test tokens are assembled at run time from pieces (`piece!`), so that this file holds no
//! token in the shape a scanner looks for.

mod common;
#[path = "support/tokens.rs"]
mod tokens;

use std::path::{Path, PathBuf};

use common::{deprov, scan, scan_json, testdata, write};
use deprov::sources::exposure::secrets::{Confidence, DetectorSet, SecretMatch};
use serde_json::Value;

/// Joins its arguments: a token split so that its prefix never appears whole in the source.
macro_rules! piece {
    ($($part:expr),+ $(,)?) => { [$($part),+].concat() };
}

/// An AWS key pair (high), a generic token assigned to a credential's name with a strong value
/// (medium), a weak generic password (low), and a strong generic token only in a fixture
/// (lowered to low).
const STRONG_TOKEN: &str = "q7Lm2Vx9Rk4Tz8Wp3Nc6Hb1";
const FIXTURE_TOKEN: &str = "Xr4kT9mQ2vLp8Wz3Nc6H";
const WEAK_PASSWORD: &str = "Harbor7Lights92";

fn aws_pair() -> String {
    format!(
        "aws_access_key_id = {}\n{} = {}\n",
        piece!("AK", "IAAU4PCZL6HT4DTCBS"),
        piece!("aws_secret_", "access_key"),
        piece!("wkEJ3PEVVIPcP4Y7p4tD", "14z4gzM/jppZxO4z7Kdc"),
    )
}

/// Commits every file of `dir` as a new repository, at a fixed time (the commit ID, and so the
/// reports, are the same on every run).
fn commit_all(dir: &Path) {
    let repo = git2::Repository::init(dir).unwrap();
    let mut index = repo.index().unwrap();
    index
        .add_all(["*"], git2::IndexAddOption::DEFAULT, None)
        .unwrap();
    index.write().unwrap();
    let tree = repo.find_tree(index.write_tree().unwrap()).unwrap();
    let who =
        git2::Signature::new("fixture", "fixture@example.com", &git2::Time::new(0, 0)).unwrap();
    repo.commit(Some("HEAD"), &who, &who, "fixture", &tree, &[])
        .unwrap();
}

/// A repository with one finding of each level; `with_vendor_key` adds the AWS pair.
fn repository(with_vendor_key: bool) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("app");
    if with_vendor_key {
        write(&repo, "src/deploy.env", aws_pair());
    }
    write(
        &repo,
        "src/settings.py",
        format!("API_TOKEN = \"{STRONG_TOKEN}\"\n"),
    );
    // The same token in a test too: one secret, as sure as its surest occurrence.
    write(
        &repo,
        "tests/test_api.py",
        format!("API_TOKEN = \"{STRONG_TOKEN}\"\n"),
    );
    write(
        &repo,
        "src/db.py",
        format!("db_password = \"{WEAK_PASSWORD}\"\n"),
    );
    write(
        &repo,
        "tests/fixtures/settings.py",
        format!("API_TOKEN = \"{FIXTURE_TOKEN}\"\n"),
    );
    commit_all(&repo);
    (dir, repo)
}

fn findings(report: &Value) -> &Vec<Value> {
    report["findings"].as_array().expect("findings")
}

/// `(detector, path, confidence, test_fixture)` of each finding, sorted.
fn confidences(report: &Value) -> Vec<(String, String, String, bool)> {
    let mut rows: Vec<(String, String, String, bool)> = findings(report)
        .iter()
        .map(|f| {
            (
                f["secret"]["detector"].as_str().unwrap_or("").to_string(),
                f["evidence"]["path"].as_str().unwrap_or("").to_string(),
                f["confidence"].as_str().unwrap_or("(none)").to_string(),
                f["secret"]["test_fixture"].as_bool().unwrap_or(false),
            )
        })
        .collect();
    rows.sort();
    rows
}

fn ids(report: &Value) -> Vec<String> {
    let mut ids: Vec<String> = findings(report)
        .iter()
        .map(|f| f["id"].as_str().unwrap().to_string())
        .collect();
    ids.sort();
    ids
}

fn row(detector: &str, path: &str, level: &str, fixture: bool) -> (String, String, String, bool) {
    (detector.into(), path.into(), level.into(), fixture)
}

#[test]
fn each_finding_carries_its_confidence_and_fixtures_lower_generic_matches() {
    let (_dir, repo) = repository(true);
    let (report, code) = scan_json(&repo, &[]);
    assert_eq!(code, 1, "LEAK001 is high: {report}");
    let generic = "generic-secret-assignment";
    let mut expected = vec![
        row("aws-access-key", "src/deploy.env", "high", false),
        row(generic, "src/db.py", "low", false),
        row(generic, "tests/fixtures/settings.py", "low", true),
    ];
    // Found in `src/` and `tests/`: the secret's location is its first occurrence, its
    // confidence the surest occurrence's, and it is no fixture.
    let strong = confidences(&report)
        .into_iter()
        .find(|(_, path, _, _)| path.ends_with("settings.py") && !path.contains("fixtures"))
        .expect("the strong token");
    assert_eq!(
        (strong.2.as_str(), strong.3),
        ("medium", false),
        "{strong:?}"
    );
    expected.push(strong);
    expected.sort();
    assert_eq!(confidences(&report), expected);
    assert_eq!(report["summary"]["filtered"], 0);
    assert!(report["summary"].get("min_confidence").is_none());
}

#[test]
fn min_confidence_leaves_findings_out_and_counts_them() {
    let (_dir, repo) = repository(true);
    let (all, _) = scan_json(&repo, &[]);
    let (medium, code) = scan_json(&repo, &["--min-confidence", "medium"]);
    assert_eq!(code, 1, "the key pair still fails the run");
    let levels: Vec<String> = confidences(&medium).into_iter().map(|r| r.2).collect();
    assert_eq!(levels, ["high", "medium"]);
    assert_eq!(medium["summary"]["filtered"], 2);
    assert_eq!(medium["summary"]["min_confidence"], "medium");
    assert_eq!(medium["summary"]["findings"], 2);
    // Fingerprints do not depend on confidence: what is shown is what the full run found.
    let kept = ids(&medium);
    assert!(kept.iter().all(|id| ids(&all).contains(id)), "{kept:?}");

    let text = scan(&repo, &["--min-confidence", "medium"])
        .output()
        .unwrap();
    let text = String::from_utf8(text.stdout).unwrap();
    assert!(
        text.contains(
            "2 finding(s) about secrets below medium confidence not shown (--min-confidence medium)"
        ),
        "{text}"
    );
    insta::assert_snapshot!("min_confidence_medium_text", text);
}

#[test]
fn the_exit_code_follows_only_reported_findings() {
    let (_dir, repo) = repository(false);
    let (all, code) = scan_json(&repo, &[]);
    assert_eq!(code, 1, "{all}");
    let (high, code) = scan_json(&repo, &["--min-confidence", "high"]);
    assert_eq!(code, 0, "nothing reported, nothing fails: {high}");
    assert!(findings(&high).is_empty());
    assert_eq!(high["summary"]["filtered"], 3);
    assert_eq!(high["summary"]["failed"], false);
}

#[test]
fn the_config_sets_a_level_and_the_command_line_overrides_it() {
    let (dir, repo) = repository(false);
    let config = write(
        dir.path(),
        "deprov.yaml",
        "secrets:\n  min_confidence: medium\n",
    );
    let config = config.to_str().unwrap();
    let (from_config, _) = scan_json(&repo, &["--config", config]);
    assert_eq!(from_config["summary"]["min_confidence"], "medium");
    assert_eq!(from_config["summary"]["filtered"], 2);
    let (overridden, _) = scan_json(&repo, &["--config", config, "--min-confidence", "low"]);
    assert_eq!(overridden["summary"]["min_confidence"], "low");
    assert_eq!(overridden["summary"]["filtered"], 0);
    assert_eq!(findings(&overridden).len(), 3);

    let bad = write(
        dir.path(),
        "bad.yaml",
        "secrets:\n  min_confidence: certain\n",
    );
    let output = scan(&repo, &["--config", bad.to_str().unwrap()])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert!(stderr.contains("certain"), "{stderr}");
}

#[test]
fn baselines_and_diff_do_not_take_a_filtered_finding_for_a_resolved_one() {
    let (dir, repo) = repository(true);
    let baseline = dir.path().join("baseline.json");
    let wrote = deprov()
        .args(["baseline", "write"])
        .arg(&baseline)
        .arg(&repo)
        .args(["--now", common::NOW])
        .output()
        .unwrap();
    assert!(wrote.status.success(), "{wrote:?}");
    let baseline = baseline.to_str().unwrap();
    // Baselined findings stay baselined whatever the level, and the run passes.
    let (report, code) = scan_json(
        &repo,
        &["--baseline", baseline, "--min-confidence", "medium"],
    );
    assert_eq!(code, 0, "{report}");
    assert_eq!(report["summary"]["baselined"], 2);
    assert_eq!(report["summary"]["filtered"], 2);

    let old = dir.path().join("old.json");
    let new = dir.path().join("new.json");
    for (file, level) in [(&old, "low"), (&new, "medium")] {
        let file = file.to_str().unwrap();
        let args = ["--format", "json", "--fail-on", "none", "-o", file];
        let out = scan(&repo, &[&args[..], &["--min-confidence", level]].concat())
            .output()
            .unwrap();
        assert!(out.status.success(), "{out:?}");
    }
    let output = deprov()
        .arg("diff")
        .arg(&old)
        .arg(&new)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert_eq!(output.status.code(), Some(0), "{output:?}");
    let diff: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(diff["summary"]["resolved"], 0, "{diff}");
    assert_eq!(diff["summary"]["unchanged"], 2);
    assert_eq!(diff["summary"]["min_confidence"], "medium");
    assert_eq!(diff["summary"]["below_min_confidence"], 2);
}

#[test]
fn sarif_carries_precision_and_rank_and_says_what_was_left_out() {
    let (_dir, repo) = repository(true);
    let output = scan(&repo, &["--format", "sarif", "--min-confidence", "medium"])
        .output()
        .unwrap();
    let sarif: Value = serde_json::from_slice(&output.stdout).unwrap();
    let schema: Value = serde_json::from_slice(
        &std::fs::read(testdata("schemas/sarif-schema-2.1.0.json")).unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    let errors: Vec<String> = validator
        .iter_errors(&sarif)
        .map(|e| e.to_string())
        .collect();
    assert!(errors.is_empty(), "{errors:?}");
    let run = &sarif["runs"][0];
    let mut graded: Vec<(String, f64)> = run["results"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| {
            (
                r["properties"]["precision"].as_str().unwrap().to_string(),
                r["rank"].as_f64().unwrap(),
            )
        })
        .collect();
    graded.sort_by(|a, b| a.0.cmp(&b.0));
    assert_eq!(
        graded,
        [("high".to_string(), 90.0), ("medium".to_string(), 60.0)]
    );
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .unwrap();
    assert!(notes
        .iter()
        .any(|n| n["descriptor"]["id"] == "min-confidence"
            && n["level"] == "note"
            && n["message"]["text"]
                .as_str()
                .unwrap()
                .starts_with("2 finding(s) about secrets below medium confidence")));
    assert_eq!(run["invocations"][0]["executionSuccessful"], true);
}

#[test]
fn findings_that_are_not_about_secrets_have_no_confidence_and_are_never_left_out() {
    let (all, _) = scan_json(&testdata("example-org"), &["--fail-on", "none"]);
    let (high, _) = scan_json(
        &testdata("example-org"),
        &["--fail-on", "none", "--min-confidence", "high"],
    );
    let without = |report: &Value| -> Vec<String> {
        findings(report)
            .iter()
            .filter(|f| f.get("confidence").is_none())
            .map(|f| f["id"].as_str().unwrap().to_string())
            .collect()
    };
    assert_eq!(without(&all), without(&high));
    // IAM facts and references to retired identities (DPV008) have none.
    assert!(findings(&all)
        .iter()
        .filter(|f| f["rule"] == "DPV008" || f.get("secret").is_none())
        .all(|f| f.get("confidence").is_none()));
    assert!(findings(&high)
        .iter()
        .filter_map(|f| f["confidence"].as_str())
        .all(|c| c == "high"));
    assert!(high["summary"]["filtered"].as_u64().unwrap() > 0);
}

#[test]
fn merged_shards_of_a_filtered_run_equal_the_single_run_and_levels_must_agree() {
    let path = testdata("example-org");
    let dir = tempfile::tempdir().unwrap();
    let single = scan(
        &path,
        &[
            "--format",
            "json",
            "--fail-on",
            "none",
            "--min-confidence",
            "high",
        ],
    )
    .output()
    .unwrap();
    let shard = |k: u32, level: &str| {
        let file = dir.path().join(format!("shard-{k}-{level}.json"));
        let out = scan(
            &path,
            &[
                "--shard",
                &format!("{k}/2"),
                "--min-confidence",
                level,
                "--fail-on",
                "none",
                "-o",
                file.to_str().unwrap(),
            ],
        )
        .output()
        .unwrap();
        assert!(out.status.success(), "{out:?}");
        file
    };
    let files = [shard(1, "high"), shard(2, "high")];
    let merged = deprov()
        .arg("merge")
        .args(&files)
        .args(["--format", "json", "--fail-on", "none"])
        .output()
        .unwrap();
    assert!(merged.status.success(), "{merged:?}");
    assert_eq!(
        String::from_utf8(merged.stdout).unwrap(),
        String::from_utf8(single.stdout).unwrap()
    );

    // A lower level cannot bring back what the shards left out: said, and the shards' applies.
    let lower = deprov()
        .arg("merge")
        .args(&files)
        .args([
            "--format",
            "json",
            "--fail-on",
            "none",
            "--min-confidence",
            "low",
        ])
        .output()
        .unwrap();
    assert!(String::from_utf8_lossy(&lower.stderr).contains("cannot bring them back"));
    let lower: Value = serde_json::from_slice(&lower.stdout).unwrap();
    assert_eq!(lower["summary"]["min_confidence"], "high");

    let mixed = deprov()
        .arg("merge")
        .args([&files[0], &shard(2, "medium")])
        .output()
        .unwrap();
    assert_eq!(mixed.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&mixed.stderr);
    assert!(stderr.contains("--min-confidence"), "{stderr}");
}

/// Through the detectors: each kind of match gets the level the rules give it.
#[test]
fn detectors_rate_their_matches() {
    let set = DetectorSet::builtin().unwrap();
    let rated = |path: &str, text: &str| -> Vec<(String, Confidence, bool)> {
        set.scan(path, text.as_bytes())
            .into_iter()
            .map(|m: SecretMatch| (m.detector, m.confidence.level, m.confidence.test_fixture))
            .collect()
    };
    let pair = aws_pair();
    assert_eq!(
        rated("src/deploy.env", &pair)[0],
        ("aws-access-key".into(), Confidence::High, false)
    );
    // A real key in a fixture is still a real key: marked, not lowered.
    assert_eq!(
        rated("tests/deploy.env", &pair)[0],
        ("aws-access-key".into(), Confidence::High, true)
    );
    // An identifier without its secret is not secret material.
    let key_id = format!("role_session: {}", piece!("AS", "IAAU4PCZL6HT4DTCBS"));
    assert_eq!(
        rated("src/x.yaml", &key_id)[0],
        ("aws-access-key-id-reference".into(), Confidence::Low, false)
    );
    let classic = format!(
        "GITHUB_TOKEN={}",
        tokens::github_classic("4gfnvE0rGRV3XM4Z4U2htVAZDVxGm5")
    );
    assert_eq!(
        rated("ci/env.sh", &classic)[0],
        ("github-classic-token".into(), Confidence::High, false)
    );
    // Generic structures: strong values under a credential's name are medium; a URL's password
    // is one by syntax.
    let dotenv = format!("DEPLOY_TOKEN={STRONG_TOKEN}\nDEPLOY_AUTH={WEAK_PASSWORD}\n");
    assert_eq!(
        rated("services/api/.env", &dotenv),
        [
            ("dotenv-credential".into(), Confidence::Medium, false),
            ("dotenv-credential".into(), Confidence::Low, false),
        ]
    );
    assert_eq!(
        rated("tests/.env", &dotenv)[0],
        ("dotenv-credential".into(), Confidence::Low, true)
    );
    let url = format!(
        "DATABASE_URL={}billing:{STRONG_TOKEN}@db.internal/billing",
        piece!("postgres:", "//")
    );
    assert_eq!(
        rated("config/app.ini", &url)[0],
        ("url-credentials".into(), Confidence::Medium, false)
    );
}

#[test]
fn every_compliance_format_says_what_it_left_out() {
    let (_dir, repo) = repository(true);
    let output_of = |format: &str| {
        let output = scan(&repo, &["--format", format, "--min-confidence", "medium"])
            .output()
            .unwrap();
        String::from_utf8(output.stdout).unwrap()
    };
    let said = "2 finding(s) about secrets below medium confidence";
    for format in ["markdown", "html", "oscal"] {
        assert!(output_of(format).contains(said), "{format}");
    }
    let markdown = output_of("markdown");
    assert!(
        markdown.contains("| high (confidence high) | LEAK001 |"),
        "{markdown}"
    );
    let oscal: Value = serde_json::from_str(&output_of("oscal")).unwrap();
    let schema: Value = serde_json::from_slice(
        &std::fs::read(testdata(
            "schemas/oscal_assessment-results_schema-1.0.6.json",
        ))
        .unwrap(),
    )
    .unwrap();
    let validator = jsonschema::validator_for(&schema).unwrap();
    assert!(validator.is_valid(&oscal));
}

/// A detector file sets its detector's level, and an example that pins the wrong level fails.
#[test]
fn detector_files_set_levels_and_examples_pin_them() {
    let dir = tempfile::tempdir().unwrap();
    let file = write(
        dir.path(),
        "detectors.yaml",
        "detectors:\n  - id: acme-key\n    description: ACME key pair\n    keywords: [acme_]\n    regex: '\\b(?P<secret>acme_[a-z0-9]{24})\\b'\n    confidence: high\n    tests:\n      - matches: 'k = acme_q7lm2vx9rk4tz8wp3nc6hb1d'\n        confidence: high\n      - matches: 'k = acme_q7lm2vx9rk4tz8wp3nc6hb1d'\n        path: tests/k.txt\n        confidence: medium\n",
    );
    let set = DetectorSet::with_user_files(&[file]).unwrap();
    let failures: Vec<String> = set
        .failing_examples()
        .into_iter()
        .filter(|f| f.detector == "acme-key")
        .map(|f| f.to_string())
        .collect();
    // A vendor format keeps its level in a test path: the second example is wrong.
    assert_eq!(
        failures,
        ["acme-key test 2: expected confidence medium, got [High]"]
    );
}
