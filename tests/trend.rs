//! `deprov trend`: four runs cut from the example organisation (testdata/trend/generate.py),
//! given out of order, give pinned HTML and JSON; the page keeps the strict CSP, and every
//! chart, parsed as XML, has drawn marks.

mod common;

use common::{assert_restrictive_csp, deprov_in, root, svg_charts};

const RUNS: [&str; 4] = [
    "testdata/trend/runs/2026-10-25.json",
    "testdata/trend/runs/2026-08-25.json",
    "testdata/trend/runs/2026-11-25.json",
    "testdata/trend/runs/2026-09-25.json",
];

fn trend(runs: &[&str], extra: &[&str]) -> String {
    let output = deprov_in(&root())
        .arg("trend")
        .args(runs)
        .args(extra)
        .output()
        .expect("runs");
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn trend_json_is_pinned_and_independent_of_the_order_of_runs() {
    let json = trend(&RUNS, &["--format", "json"]);
    let mut sorted = RUNS;
    sorted.sort();
    assert_eq!(json, trend(&sorted, &["--format", "json"]));
    insta::assert_snapshot!("trend_json", json);
}

#[test]
fn trend_html_is_pinned_self_contained_and_charts_have_marks() {
    let html = trend(&RUNS, &[]);
    assert_restrictive_csp(&html);
    let charts = svg_charts(&html);
    // Severity, residual access, new vs resolved, time to resolve, one per rule.
    assert!(charts.len() >= 5, "{} charts", charts.len());
    for (label, marks) in &charts {
        assert!(*marks > 0, "chart `{label}` draws nothing");
    }
    for title in [
        "Findings by severity over time (stacked)",
        "Retired identities with residual access over time",
        "New and resolved findings per run",
        "Mean and 90th-percentile days to resolve per rule",
        "Findings of DPV001 over time",
    ] {
        assert!(charts.iter().any(|(l, _)| l == title), "no chart `{title}`");
    }
    insta::assert_snapshot!("trend_html", html);
}

#[test]
fn trend_writes_json_for_a_json_output_file() {
    let dir = tempfile::tempdir().unwrap();
    let out = dir.path().join("trend.json");
    trend(&RUNS, &["-o", out.to_str().unwrap()]);
    let value: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out).unwrap()).unwrap();
    assert_eq!(value["runs"].as_array().unwrap().len(), 4);
}

#[test]
fn a_file_that_is_not_a_run_is_a_usage_error() {
    deprov_in(&root())
        .args(["trend", "Cargo.toml"])
        .assert()
        .code(2);
}
