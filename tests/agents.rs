//! Agents' tool configurations through the binary, on the real shapes users have
//! (`testdata/samples/agents/`, origins in `testdata/samples/SOURCES.md`): Claude Desktop, Claude
//! Code (`.mcp.json`, `~/.claude.json` with `projects`), Cursor, VS Code (`mcp.json` with
//! `inputs`, user `settings.json`), Windsurf, Cline, Gemini CLI, Amazon Q, Zed, Codex CLI
//! (TOML), Continue (YAML) and an agent's `.env`. Each planted credential is one finding at its
//! line, marked `agent_credential`, mapped to ASI03, attributed to the identity its server entry
//! names, and never printed; references to secrets (`${VAR}`, `${input:…}`, `$VAR`,
//! `${{ secrets.… }}`, `<YOUR_…>`) are not findings.
//!
//! The fixtures hold `{{fake:KIND:N}}` where the credentials go (a reference to every
//! detector, so the committed files hold no token): they are replaced with tokens assembled
//! here at run time.

mod common;
#[path = "support/tokens.rs"]
mod tokens;

use std::path::{Path, PathBuf};

use common::{deprov, testdata, NOW};
use serde_json::Value;

/// A planted credential: the file (relative to the scanned root), its line, and its value.
struct Planted {
    path: String,
    line: u64,
    value: String,
}

/// A random-looking value of `len` letters and digits, the same for the same `seed`.
fn generic(seed: u64, len: usize) -> String {
    const ALPHABET: &[u8] = b"ABCDEFGHJKLMNPQRSTUVWXYZabcdefghijkmnopqrstuvwxyz23456789";
    let mut state = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            ALPHABET[(state % ALPHABET.len() as u64) as usize] as char
        })
        .collect()
}

fn fake(kind: &str, n: u64) -> String {
    match kind {
        "github_pat" => tokens::github_classic(&generic(n, 30)),
        _ => generic(n, 32),
    }
}

/// Copies the samples into `to`, replacing every `{{fake:KIND:N}}`.
fn plant(from: &Path, to: &Path) -> Vec<Planted> {
    let mut planted = Vec::new();
    for entry in walkdir::WalkDir::new(from).sort_by_file_name() {
        let entry = entry.unwrap();
        let relative = entry.path().strip_prefix(from).unwrap();
        let target = to.join(relative);
        if entry.file_type().is_dir() {
            std::fs::create_dir_all(&target).unwrap();
            continue;
        }
        let text = std::fs::read_to_string(entry.path()).unwrap();
        let mut out = String::new();
        let mut rest = text.as_str();
        while let Some(at) = rest.find("{{fake:") {
            let end = at + rest[at..].find("}}").unwrap() + 2;
            let (kind, n) = rest[at + 7..end - 2].split_once(':').unwrap();
            let value = fake(kind, n.parse().unwrap());
            out.push_str(&rest[..at]);
            let line = out.matches('\n').count() as u64 + 1;
            out.push_str(&value);
            planted.push(Planted {
                path: relative.to_string_lossy().replace('\\', "/"),
                line,
                value,
            });
            rest = &rest[end..];
        }
        out.push_str(rest);
        std::fs::write(&target, out).unwrap();
    }
    planted
}

fn samples() -> PathBuf {
    testdata("samples/agents")
}

fn scan_json(root: &Path, extra: &[&str], code: i32) -> Value {
    let output = deprov()
        .arg("scan")
        .arg(root)
        .args(["--now", NOW, "--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(code),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn secret_findings(report: &Value) -> Vec<&Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["secret"].is_object())
        .collect()
}

#[test]
fn the_committed_samples_hold_no_credential() {
    let set = deprov::sources::exposure::secrets::DetectorSet::builtin().unwrap();
    for entry in walkdir::WalkDir::new(samples()) {
        let entry = entry.unwrap();
        if entry.file_type().is_file() {
            let bytes = std::fs::read(entry.path()).unwrap();
            let found = set.scan(&entry.path().display().to_string(), &bytes);
            assert!(found.is_empty(), "{}: {found:#?}", entry.path().display());
        }
    }
}

#[test]
fn every_agent_configuration_users_have_is_read() {
    let dir = tempfile::tempdir().unwrap();
    let planted = plant(&samples(), dir.path());
    assert_eq!(planted.len(), 20, "one per {{{{fake:…}}}} in the samples");
    let report = scan_json(
        dir.path(),
        &[
            "--register",
            testdata("example-org/register.yaml").to_str().unwrap(),
        ],
        1,
    );
    let findings = secret_findings(&report);
    for plant in &planted {
        let found: Vec<&&Value> = findings
            .iter()
            .filter(|f| {
                f["evidence"]["path"]
                    .as_str()
                    .is_some_and(|p| p.ends_with(&plant.path))
                    && f["evidence"]["line"] == plant.line
            })
            .collect();
        assert_eq!(
            found.len(),
            1,
            "{}:{}: {:#?}",
            plant.path,
            plant.line,
            findings
                .iter()
                .map(|f| (&f["evidence"], &f["rule"], &f["secret"]["detector"]))
                .collect::<Vec<_>>()
        );
        let finding = found[0];
        assert_eq!(
            finding["secret"]["agent_credential"], true,
            "{}",
            plant.path
        );
        assert!(
            finding["controls"]
                .as_array()
                .unwrap()
                .iter()
                .any(|c| c == "ASI03:2026"),
            "{}: {}",
            plant.path,
            finding["controls"]
        );
    }
    // The references to secrets are not findings: one finding per planted credential.
    assert_eq!(findings.len(), planted.len(), "{findings:#?}");

    // A server keyed by a registered agent's name, one that sets the agent's ARN beside its
    // key, and an agent's `.env` naming its ARN: secrets of those agents (active: LEAK002).
    let identity_at = |path: &str, line: u64| {
        findings
            .iter()
            .find(|f| {
                f["evidence"]["path"].as_str().unwrap().ends_with(path)
                    && f["evidence"]["line"] == line
            })
            .map(|f| (f["rule"].clone(), f["identity"].clone()))
            .unwrap()
    };
    assert_eq!(
        identity_at("claude-code/.claude.json", 22),
        ("LEAK002".into(), "deploy-bot".into())
    );
    assert_eq!(
        identity_at("amazonq/.aws/amazonq/mcp.json", 16),
        ("LEAK002".into(), "metrics-agent".into())
    );
    assert_eq!(
        identity_at("dotenv/agents/deploy-bot/.env", 4),
        ("LEAK002".into(), "deploy-bot".into())
    );
    assert_eq!(
        identity_at("cline/cline_mcp_settings.json", 7),
        ("LEAK001".into(), "(unattributed)".into())
    );
}

#[test]
fn no_output_prints_an_agent_credential() {
    let dir = tempfile::tempdir().unwrap();
    let planted = plant(&samples(), dir.path());
    let register = testdata("example-org/register.yaml");
    for format in [
        "text", "json", "sarif", "junit", "markdown", "html", "oscal", "runbook",
    ] {
        let output = deprov()
            .arg("scan")
            .arg(dir.path())
            .args(["--now", NOW, "--format", format, "--register"])
            .arg(&register)
            .output()
            .unwrap();
        let out = format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        );
        for plant in &planted {
            let chars: Vec<char> = plant.value.chars().collect();
            for window in chars.windows(8) {
                let window: String = window.iter().collect();
                assert!(
                    !out.contains(&window),
                    "{format} prints part of the credential of {}",
                    plant.path
                );
            }
        }
    }
}

/// DPV008: a configuration still wiring a retired agent by its register name.
#[test]
fn a_retired_agent_named_as_a_server_is_a_reference() {
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("register.yaml"),
        "identities:\n  - id: triage-agent\n    kind: agent\n    status: retired\n    retired_at: 2026-06-01\n    owner: platform-team\nteams:\n  - id: platform-team\n",
    )
    .unwrap();
    let config = dir.path().join("repo/.cursor");
    std::fs::create_dir_all(&config).unwrap();
    std::fs::write(
        config.join("mcp.json"),
        "{\n  \"mcpServers\": {\n    \"triage-agent\": {\n      \"url\": \"https://agents.internal/triage/mcp\"\n    }\n  }\n}\n",
    )
    .unwrap();
    // DPV008 is medium: below the default `--fail-on high`.
    let report = scan_json(dir.path(), &[], 0);
    let dpv008: Vec<&Value> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == "DPV008")
        .collect();
    assert_eq!(dpv008.len(), 1, "{report:#}");
    assert_eq!(dpv008[0]["identity"], "triage-agent");
    assert_eq!(dpv008[0]["evidence"]["line"], 3);
    assert!(dpv008[0]["controls"]
        .as_array()
        .unwrap()
        .iter()
        .any(|c| c == "ASI03:2026"));
}

/// Hostile agent configurations: malformed, deeply nested, aliased or huge TOML, YAML and JSON
/// never panic and never take long.
#[test]
fn hostile_agent_configurations_never_panic() {
    let set = deprov::sources::exposure::secrets::DetectorSet::builtin().unwrap();
    let started = std::time::Instant::now();
    let cases: Vec<(&str, String)> = vec![
        ("config.toml", "[mcp_servers.a]\nenv = { T = \"".to_string()),
        (
            "config.toml",
            format!("mcp_servers = {}", "{a = ".repeat(5_000)),
        ),
        (
            "config.toml",
            "[mcp_servers.a.env]\nTOKEN = \"\\u12\"\n".to_string(),
        ),
        (
            "config.toml",
            "[mcp_servers]\na = 1\nb = [1, 2]\n".to_string(),
        ),
        (
            "config.yaml",
            "mcpServers:\n  - name: a\n    env: [1, 2]\n".to_string(),
        ),
        (
            "config.yaml",
            format!("mcpServers: {}", "{a: ".repeat(5_000)),
        ),
        (
            "config.yaml",
            format!("x: &a [{}]\nmcpServers: [*a, *a, *a]\n", "1,".repeat(1_000)),
        ),
        (
            "config.yaml",
            "mcpServers:\n  - name: \"\"\n    env: {\"\": \"\"}\n".to_string(),
        ),
        (
            "settings.json",
            format!("{{\"mcp\": {{\"servers\": {}", "{\"a\":".repeat(10_000)),
        ),
        (
            "settings.json",
            "{\"context_servers\": {\"a\": {\"url\": \"?&&=&a=\"}}}".to_string(),
        ),
    ];
    for (name, text) in &cases {
        set.scan(name, text.as_bytes());
    }
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}
