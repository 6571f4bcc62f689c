//! `deprov trend`: four runs cut from the example organisation (testdata/trend/generate.py),
//! given out of order, give pinned HTML and JSON; the page keeps the strict CSP, and every
//! chart, parsed as XML, has drawn marks.

mod common;

use common::{assert_restrictive_csp, deprov_in, root};

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

/// Every `<svg>` of a page parsed as XML: its `aria-label` and how many marks it draws (a path
/// with a non-empty `d`, a rect with non-zero width and height, a circle with a radius), and
/// checks that each has a `<title>` and `role="img"`.
pub fn svg_charts(html: &str) -> Vec<(String, usize)> {
    use quick_xml::events::Event;
    let mut charts = Vec::new();
    let mut rest = html;
    while let Some(start) = rest.find("<svg") {
        let end = rest[start..].find("</svg>").expect("a closed svg") + start + "</svg>".len();
        let svg = &rest[start..end];
        rest = &rest[end..];
        let mut reader = quick_xml::Reader::from_str(svg);
        let (mut label, mut role, mut title, mut marks) = (String::new(), false, false, 0);
        loop {
            match reader.read_event().expect("the svg is well-formed XML") {
                Event::Eof => break,
                Event::Start(e) | Event::Empty(e) => {
                    let attr = |name: &str| {
                        e.try_get_attribute(name)
                            .ok()
                            .flatten()
                            .map(|a| String::from_utf8_lossy(&a.value).into_owned())
                    };
                    let number = |name: &str| {
                        attr(name)
                            .and_then(|v| v.parse::<f64>().ok())
                            .unwrap_or(0.0)
                    };
                    let is_mark = attr("class").as_deref() == Some("mark");
                    match e.name().as_ref() {
                        b"svg" => {
                            label = attr("aria-label").unwrap_or_default();
                            role = attr("role").as_deref() == Some("img");
                        }
                        b"title" => title = true,
                        b"path" if is_mark && attr("d").is_some_and(|d| d.len() > 4) => marks += 1,
                        b"rect" if is_mark && number("width") > 0.0 && number("height") > 0.0 => {
                            marks += 1
                        }
                        b"circle" if is_mark && number("r") > 0.0 => marks += 1,
                        _ => {}
                    }
                }
                _ => {}
            }
        }
        assert!(
            role && title && !label.is_empty(),
            "an inaccessible chart: {svg:.200}"
        );
        charts.push((label, marks));
    }
    charts
}
