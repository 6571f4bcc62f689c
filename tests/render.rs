//! The HTML pages rendered in headless Chromium (the distribution's `chromium` package; `.ci/run`
//! installs it when missing): every chart draws marks of non-zero size, and at 1280 px wide the
//! page does not scroll sideways. The pages carry no script; the test measures a copy with its
//! policy removed and a probe script added, and loads the page itself to check that its
//! Content-Security-Policy blocks nothing it uses.
//!
//! Skipped, loudly, only when no Chromium is installed.

mod common;

use std::path::{Path, PathBuf};
use std::process::Command;

use common::{deprov_in, root, NOW};

fn chromium() -> Option<PathBuf> {
    ["chromium", "chromium-browser"].iter().find_map(|name| {
        let output = Command::new("sh")
            .args(["-c", &format!("command -v {name}")])
            .output()
            .ok()?;
        let path = String::from_utf8(output.stdout).ok()?;
        let path = path.trim();
        (!path.is_empty()).then(|| PathBuf::from(path))
    })
}

const PROBE: &str = r#"<script>
const charts = [];
document.querySelectorAll('svg').forEach(svg => {
  let marks = 0;
  svg.querySelectorAll('.mark').forEach(m => { const b = m.getBoundingClientRect(); if (b.width > 0 && b.height > 0) marks++; });
  const r = svg.getBoundingClientRect();
  charts.push({label: svg.getAttribute('aria-label'), width: r.width, height: r.height, marks});
});
document.body.setAttribute('data-probe', JSON.stringify({scroll: document.documentElement.scrollWidth, inner: window.innerWidth, charts}));
</script>"#;

struct Probe {
    scroll: f64,
    inner: f64,
    charts: Vec<(String, f64, f64, u64)>,
}

/// Renders `page` at 1280 px wide and measures it; also checks that the page itself, with its
/// policy, logs nothing refused.
fn render(chromium: &Path, page: &str, work: &Path) -> Probe {
    let flags = |profile: &str| {
        vec![
            "--headless".to_string(),
            "--no-sandbox".into(),
            "--disable-gpu".into(),
            "--no-first-run".into(),
            "--disable-background-networking".into(),
            "--disable-component-update".into(),
            "--disable-sync".into(),
            "--hide-scrollbars".into(),
            "--window-size=1280,900".into(),
            format!("--user-data-dir={}", work.join(profile).display()),
        ]
    };
    let original = work.join("page.html");
    std::fs::write(&original, page).unwrap();
    let loaded = Command::new(chromium)
        .args(flags("profile-page"))
        .arg("--dump-dom")
        .arg(format!("file://{}", original.display()))
        .output()
        .expect("chromium runs");
    let console = String::from_utf8_lossy(&loaded.stderr);
    for refused in ["Content Security Policy", "Refused to", "Uncaught"] {
        assert!(!console.contains(refused), "the page logged: {console}");
    }

    let start = page
        .find("<meta http-equiv=\"Content-Security-Policy\"")
        .unwrap();
    let end = start + page[start..].find('>').unwrap() + 1;
    let probed = format!("{}{}", &page[..start], &page[end..])
        .replace("</body>", &format!("{PROBE}</body>"));
    let copy = work.join("probe.html");
    std::fs::write(&copy, probed).unwrap();
    let output = Command::new(chromium)
        .args(flags("profile-probe"))
        .arg("--dump-dom")
        .arg(format!("file://{}", copy.display()))
        .output()
        .expect("chromium runs");
    let dom = String::from_utf8_lossy(&output.stdout);
    let attribute = dom
        .split("data-probe=\"")
        .nth(1)
        .and_then(|rest| rest.split('"').next())
        .unwrap_or_else(|| panic!("no probe result in the DOM: {dom:.500}"))
        .replace("&quot;", "\"")
        .replace("&amp;", "&")
        .replace("&lt;", "<")
        .replace("&gt;", ">");
    let value: serde_json::Value = serde_json::from_str(&attribute).unwrap();
    Probe {
        scroll: value["scroll"].as_f64().unwrap(),
        inner: value["inner"].as_f64().unwrap(),
        charts: value["charts"]
            .as_array()
            .unwrap()
            .iter()
            .map(|c| {
                (
                    c["label"].as_str().unwrap_or_default().to_string(),
                    c["width"].as_f64().unwrap(),
                    c["height"].as_f64().unwrap(),
                    c["marks"].as_u64().unwrap(),
                )
            })
            .collect(),
    }
}

fn stdout_of(args: &[&str]) -> String {
    let output = deprov_in(&root()).args(args).output().expect("runs");
    String::from_utf8(output.stdout).expect("utf-8")
}

#[test]
fn trend_page_charts_draw_marks_in_chromium() {
    let Some(chromium) = chromium() else {
        eprintln!("\n\n*** SKIPPED: no chromium or chromium-browser installed; the trend page was NOT rendered (apt-get install chromium) ***\n");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let mut args = vec!["trend"];
    let runs: Vec<String> = ["08", "09", "10", "11"]
        .iter()
        .map(|m| format!("testdata/trend/runs/2026-{m}-25.json"))
        .collect();
    args.extend(runs.iter().map(String::as_str));
    let probe = render(&chromium, &stdout_of(&args), work.path());
    assert!(probe.charts.len() >= 5);
    for (label, width, height, marks) in &probe.charts {
        assert!(*width > 0.0 && *height > 0.0, "chart `{label}` has no size");
        assert!(*marks > 0, "chart `{label}` draws no visible mark");
    }
    assert!(
        probe.scroll <= probe.inner,
        "the trend page scrolls sideways at 1280 px: {} > {}",
        probe.scroll,
        probe.inner
    );
}

#[test]
fn compliance_report_charts_draw_and_the_page_fits_1280_px() {
    let Some(chromium) = chromium() else {
        eprintln!("\n\n*** SKIPPED: no chromium or chromium-browser installed; the compliance report was NOT rendered (apt-get install chromium) ***\n");
        return;
    };
    let work = tempfile::tempdir().unwrap();
    let page = stdout_of(&[
        "scan",
        "testdata/example-org",
        "--now",
        NOW,
        "--format",
        "html",
        "--fail-on",
        "none",
        "--no-progress",
    ]);
    let probe = render(&chromium, &page, work.path());
    for (label, width, height, marks) in &probe.charts {
        assert!(*width > 0.0 && *height > 0.0, "chart `{label}` has no size");
        assert!(*marks > 0, "chart `{label}` draws no visible mark");
    }
    assert!(
        probe.scroll <= probe.inner,
        "the compliance report scrolls sideways at 1280 px: {} > {}",
        probe.scroll,
        probe.inner
    );
}
