//! Issue 13, item 12: control characters from inputs never reach the outputs people read. A
//! register identity ID, an owner, file and directory names carry ESC sequences (clear screen,
//! window title), BEL, CR and LF (a forged line), a C1 CSI and a right-to-left override; the
//! text, Markdown and HTML reports, `verify`, `diff` and `inventory` must show them as escapes
//! (`src/report/escape.rs`), JUnit must stay well-formed XML, and JSON and SARIF must keep the
//! exact values. A second identity tries to break out of Markdown table cells and to inject
//! HTML and links.

mod common;

use std::path::Path;

use assert_cmd::Command;
use common::NOW;
use serde_json::Value;

/// The hostile register identity ID, as the register's YAML escapes spell it below.
const IDENTITY: &str = "ci\x1b[2J\x1b]0;owned\x07\r\nFORGED LINE\u{9b}31m\u{202e}gnp.exe";
/// The same ID as every human-readable output must show it.
const IDENTITY_SHOWN: &str =
    "ci\\x1b[2J\\x1b]0;owned\\x07\\r\\nFORGED LINE\\u{9b}31m\\u{202e}gnp.exe";
const OWNER: &str = "team\x1b[31m-a";
/// A file name with a window-title sequence, a C1 CSI and a right-to-left override.
const FILE: &str = "notes\x1b]0;owned\x07\u{9b}2J\u{202e}txt.md";
const FILE_SHOWN: &str = "notes\\x1b]0;owned\\x07\\u{9b}2J\\u{202e}txt.md";
const DIRECTORY: &str = "svc\x1b[31m";
/// An identity ID that tries to end a Markdown table cell and to inject HTML and links.
const MARKUP_IDENTITY: &str =
    "mk | [click](https://evil.example/login) <img src=x onerror=alert(1)> www.evil.example **b**";

fn hostile_tree(root: &Path) {
    std::fs::write(
        root.join("register.yaml"),
        // YAML's double-quoted escapes: \e ESC, \a BEL, \x9b a C1 control, \u202e RLO.
        "identities:\n  - id: \"ci\\e[2J\\e]0;owned\\a\\r\\nFORGED LINE\\x9b31m\\u202egnp.exe\"\n    kind: service\n    status: retired\n    retired_at: 2026-03-01\n    owner: \"team\\e[31m-a\"\n    aliases: [arn:aws:iam::111122223333:user/svc]\n  - id: \"mk | [click](https://evil.example/login) <img src=x onerror=alert(1)> www.evil.example **b**\"\n    kind: service\n    status: retired\n    retired_at: 2026-03-01\n    owner: \"team\\e[31m-a\"\n    aliases: [arn:aws:iam::111122223333:user/svc2]\nteams:\n  - id: \"team\\e[31m-a\"\n",
    )
    .unwrap();
    std::fs::write(
        root.join("report.csv"),
        "user,arn,user_creation_time,password_enabled,access_key_1_active,access_key_1_last_rotated\nsvc,arn:aws:iam::111122223333:user/svc,2025-01-01T00:00:00+00:00,false,true,2025-01-01T00:00:00+00:00\nsvc2,arn:aws:iam::111122223333:user/svc2,2025-01-01T00:00:00+00:00,false,true,2025-01-01T00:00:00+00:00\n",
    )
    .unwrap();
    std::fs::write(
        root.join(FILE),
        "DATABASE_URL=postgres://billing:Winter2024x@db.internal:5432/billing\n",
    )
    .unwrap();
    std::fs::create_dir(root.join(DIRECTORY)).unwrap();
    std::fs::write(
        root.join(DIRECTORY).join(".env"),
        "DB_PASSWORD=Summer2025!x\nAPI_TOKEN=q8Zr2LmT5vXw9KpN3bYc\n",
    )
    .unwrap();
}

fn deprov_in(cwd: &Path) -> Command {
    let mut cmd = Command::cargo_bin("deprov").unwrap();
    cmd.env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .current_dir(cwd)
        .timeout(std::time::Duration::from_secs(30));
    cmd
}

/// Runs deprov and returns its standard output; `expected` is the exit code.
fn run(cwd: &Path, args: &[&str], expected: i32) -> String {
    let output = deprov_in(cwd).args(args).output().unwrap();
    assert_eq!(
        output.status.code(),
        Some(expected),
        "{args:?}: {}",
        String::from_utf8_lossy(&output.stderr)
    );
    String::from_utf8(output.stdout).expect("UTF-8 output")
}

/// Characters that must never reach a human-readable output raw: every control character but
/// the newline that ends a line, bidirectional formatting characters, line separators.
fn raw_controls(text: &str) -> Vec<String> {
    text.chars()
        .filter(|&c| {
            (c.is_control() && c != '\n')
                || matches!(c, '\u{061C}' | '\u{200E}' | '\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{2028}' | '\u{2029}')
        })
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect()
}

fn assert_no_raw_controls(name: &str, text: &str) {
    let found = raw_controls(text);
    assert!(found.is_empty(), "{name} carries raw {found:?}:\n{text}");
    assert!(
        !text.lines().any(|line| line.starts_with("FORGED LINE")),
        "{name}: an input forged a line"
    );
}

#[test]
fn control_characters_never_reach_human_readable_output() {
    let dir = tempfile::tempdir().unwrap();
    let root = dir.path().join("root");
    std::fs::create_dir(&root).unwrap();
    hostile_tree(&root);
    let root_arg = root.to_str().unwrap();
    let scan = |format: &str| {
        run(
            dir.path(),
            &[
                "scan",
                root_arg,
                "--now",
                NOW,
                "--no-progress",
                "--format",
                format,
            ],
            1,
        )
    };

    let text = scan("text");
    assert_no_raw_controls("scan text", &text);
    assert!(text.contains(IDENTITY_SHOWN), "{text}");
    assert!(text.contains("owner team\\x1b[31m-a"), "{text}");
    assert!(text.contains(FILE_SHOWN), "{text}");
    assert!(text.contains("svc\\x1b[31m/.env"), "{text}");

    let markdown = scan("markdown");
    assert_no_raw_controls("scan markdown", &markdown);
    // Markdown escapes the escape's backslash; rendered, it reads `ci\x1b[2J…`.
    assert!(markdown.contains("ci\\\\x1b\\[2J\\\\x1b\\]0;owned\\\\x07\\\\r\\\\nFORGED LINE\\\\u{9b}31m\\\\u{202e}gnp.exe"), "{markdown}");
    assert_markdown_cells_hold(&markdown);

    let html = scan("html");
    assert_no_raw_controls("scan html", &html);
    assert!(html.contains(IDENTITY_SHOWN), "{html}");
    assert!(!html.contains("<img") && html.contains("&lt;img src=x onerror=alert(1)&gt;"));

    let junit = scan("junit");
    let forbidden: Vec<String> = junit
        .chars()
        .filter(|&c| c < ' ' && !matches!(c, '\t' | '\n' | '\r'))
        .map(|c| format!("U+{:04X}", u32::from(c)))
        .collect();
    assert!(forbidden.is_empty(), "JUnit XML carries {forbidden:?}");
    // quick-junit alone would drop ESC and whole ANSI sequences; the escape keeps them legible.
    assert!(junit.contains("ci\\x1b[2J\\x1b]0;owned\\x07"), "{junit}");
    assert!(
        quick_junit::Report::deserialize_from_str(&junit).is_ok(),
        "not a JUnit report"
    );

    // The structured formats keep the exact values.
    let json: Value = serde_json::from_str(&scan("json")).unwrap();
    let findings = json["findings"].as_array().unwrap();
    assert!(findings
        .iter()
        .any(|f| f["identity"] == IDENTITY && f["owner"] == OWNER));
    assert!(findings.iter().any(|f| f["identity"] == MARKUP_IDENTITY));
    assert!(findings.iter().any(|f| f["evidence"]["path"] == FILE));
    assert!(findings
        .iter()
        .any(|f| f["evidence"]["path"] == format!("{DIRECTORY}/.env")));
    let sarif: Value = serde_json::from_str(&scan("sarif")).unwrap();
    let results = sarif["runs"][0]["results"].as_array().unwrap();
    assert!(results
        .iter()
        .any(|r| r["properties"]["identity"] == IDENTITY));

    let verify = run(
        dir.path(),
        &[
            "verify",
            "arn:aws:iam::111122223333:user/svc",
            root_arg,
            "--now",
            NOW,
            "--no-progress",
        ],
        1,
    );
    assert_no_raw_controls("verify", &verify);
    assert!(verify.contains(IDENTITY_SHOWN), "{verify}");

    let inventory = run(dir.path(), &["inventory", root_arg, "--no-progress"], 0);
    assert_no_raw_controls("inventory", &inventory);
    assert!(inventory.contains(IDENTITY_SHOWN), "{inventory}");

    // `diff` reads reports, which are files too: an older report with no findings and a
    // hostile evaluation time.
    let mut old = json.clone();
    old["findings"] = Value::Array(Vec::new());
    old["evaluated_at"] = Value::String("2026-11-24\x1b]0;owned\x07".into());
    let old_path = dir.path().join("old.json");
    let new_path = dir.path().join("new.json");
    std::fs::write(&old_path, serde_json::to_vec(&old).unwrap()).unwrap();
    std::fs::write(&new_path, serde_json::to_vec(&json).unwrap()).unwrap();
    let diff = run(
        dir.path(),
        &[
            "diff",
            old_path.to_str().unwrap(),
            new_path.to_str().unwrap(),
        ],
        1,
    );
    assert_no_raw_controls("diff", &diff);
    assert!(diff.contains(IDENTITY_SHOWN) && diff.contains("2026-11-24\\x1b]0;owned\\x07"));

    insta::assert_snapshot!("hostile_text", text);
    insta::assert_snapshot!("hostile_markdown", markdown);
}

/// Every row of every Markdown table has as many cell separators as its header (an escaped
/// `\|` is text), and nothing from an input became a link, an image or raw HTML.
fn assert_markdown_cells_hold(markdown: &str) {
    let separators = |line: &str| {
        let mut count = 0;
        let mut escaped = false;
        for c in line.chars() {
            match c {
                '\\' if !escaped => escaped = true,
                '|' if !escaped => count += 1,
                _ => escaped = false,
            }
            if c != '\\' {
                escaped = false;
            }
        }
        count
    };
    let mut header: Option<usize> = None;
    for line in markdown.lines() {
        if !line.starts_with('|') {
            header = None;
            continue;
        }
        match header {
            None => header = Some(separators(line)),
            Some(columns) => assert_eq!(separators(line), columns, "a cell broke out: {line}"),
        }
    }
    assert!(markdown.contains("mk \\| \\[click\\](https\\://evil.example/login) \\<img src=x onerror=alert(1)\\> www\\.evil.example \\*\\*b\\*\\*"), "{markdown}");
    for raw in ["<img", "[click]", "https://evil", "www.evil", "**b**"] {
        let unescaped = markdown
            .match_indices(raw)
            .any(|(at, _)| !markdown[..at].ends_with('\\'));
        assert!(!unescaped, "Markdown carries `{raw}` unescaped");
    }
}
