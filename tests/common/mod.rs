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
        now: NOW.parse().unwrap(),
        config: deprov::config::Config::default(),
        catalog,
        pack,
        source_options: Default::default(),
        baseline: None,
        git: Default::default(),
        detectors: deprov::secrets::DetectorSet::builtin().unwrap(),
        shard: None,
    }
}
