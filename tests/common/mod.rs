//! Helpers shared by the integration tests: running the built binary on test data.
#![allow(dead_code)]

use std::path::{Path, PathBuf};

use assert_cmd::Command;

/// The instant every test evaluates at, so that outputs are reproducible.
pub const NOW: &str = "2026-11-25T00:00:00Z";

pub fn root() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

pub fn testdata(rel: &str) -> PathBuf {
    root().join("testdata").join(rel)
}

/// `deprov` with a clean environment: no colour, run from the test data directory so that no
/// stray `.deprov.yaml` is picked up.
pub fn deprov() -> Command {
    let mut cmd = Command::cargo_bin("deprov").expect("binary built");
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(root().join("testdata"));
    cmd
}

/// `deprov scan PATH --now NOW` plus extra arguments.
pub fn scan(path: &Path, extra: &[&str]) -> Command {
    let mut cmd = deprov();
    cmd.arg("scan").arg(path).args(["--now", NOW]).args(extra);
    cmd
}

/// Runs a JSON scan and parses the report.
pub fn scan_json(path: &Path, extra: &[&str]) -> (serde_json::Value, i32) {
    let output = scan(path, &[&["--format", "json"], extra].concat())
        .output()
        .expect("runs");
    let code = output.status.code().unwrap_or(-1);
    let text = String::from_utf8(output.stdout).expect("utf-8 output");
    let value = serde_json::from_str(&text).unwrap_or_else(|e| {
        panic!(
            "not JSON ({e}): {text}\nstderr: {}",
            String::from_utf8_lossy(&output.stderr)
        )
    });
    (value, code)
}

/// Rule codes of a JSON report's findings, sorted and deduplicated.
pub fn rules_of(report: &serde_json::Value) -> Vec<String> {
    let mut rules: Vec<String> = report["findings"]
        .as_array()
        .expect("findings array")
        .iter()
        .map(|f| f["rule"].as_str().expect("rule").to_string())
        .collect();
    rules.sort();
    rules.dedup();
    rules
}

/// The plan `deprov scan testdata/example-org --now NOW` resolves to, for tests that drive the
/// library's pipeline directly.
pub fn example_plan() -> deprov::scan::ScanPlan {
    let catalog = deprov::catalog::Catalog::builtin().unwrap();
    let pack = deprov::engine::PolicyPack::load(None, &catalog, |_| true).unwrap();
    deprov::scan::ScanPlan {
        paths: vec![testdata("example-org")],
        register_files: vec![],
        without_register: false,
        now: NOW.parse().unwrap(),
        config: deprov::config::Config::default(),
        catalog,
        pack,
        source_options: Default::default(),
        baseline: None,
        git: Default::default(),
        detectors: deprov::sources::exposure::secrets::DetectorSet::builtin().unwrap(),
        shard: None,
    }
}

/// `deprov` run from `cwd` (a directory of the test's own, so that no `.deprov.yaml` is picked
/// up by accident), with a timeout that fails a hang.
pub fn deprov_in(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("deprov").expect("binary built");
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(cwd)
        .timeout(std::time::Duration::from_secs(30));
    cmd
}

/// Writes `content` at `dir/rel`, creating the directories; returns the path.
pub fn write(dir: &Path, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
    let path = dir.join(rel);
    std::fs::create_dir_all(path.parent().expect("a file in a directory")).unwrap();
    std::fs::write(&path, content).unwrap();
    path
}

/// Copies a directory tree (test data into a temporary directory, to change it).
pub fn copy_tree(from: &Path, to: &Path) {
    for entry in walkdir::WalkDir::new(from) {
        let entry = entry.unwrap();
        let target = to.join(entry.path().strip_prefix(from).unwrap());
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
        } else {
            std::fs::copy(entry.path(), &target).unwrap();
        }
    }
}

/// The page carries a Content-Security-Policy that allows its one stylesheet (by the hash of
/// that very element's text) and nothing else, in the `<head>` before the stylesheet it governs,
/// and uses nothing the policy would block (no script, image, external resource, inline style
/// attribute or second stylesheet).
pub fn assert_restrictive_csp(html: &str) {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let head = &html[..html.find("</head>").expect("a head")];
    let meta = head
        .find("<meta http-equiv=\"Content-Security-Policy\" content=\"")
        .expect("a CSP meta element in the head");
    let policy_start = meta + head[meta..].find("content=\"").unwrap() + "content=\"".len();
    let policy = &head[policy_start..policy_start + head[policy_start..].find('"').unwrap()];
    let style_open = head.find("<style>").expect("the stylesheet");
    assert!(meta < style_open, "the policy must precede the stylesheet");
    assert_eq!(html.matches("<style").count(), 1, "one stylesheet");
    let style = &head[style_open + "<style>".len()..head.find("</style>").unwrap()];
    let hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(style));
    assert_eq!(
        policy,
        format!(
            "default-src 'none'; style-src 'sha256-{hash}'; base-uri 'none'; form-action 'none'"
        )
    );
    for blocked in [
        "<script", "<img", "<link", "<iframe", "<object", "<form", " style=", "url(",
    ] {
        assert!(!html.contains(blocked), "the page uses `{blocked}`");
    }
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
