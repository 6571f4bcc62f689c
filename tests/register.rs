//! The register is the source of truth (issue 13, "Fail closed"): a register that is not one
//! is an error, never an empty register; a named register is the only one read; registers that
//! overlap are a conflict; cost is linear in its size; dates to come are scheduled, not past;
//! errors point at the entry's line in every YAML style.

mod common;

use std::path::Path;
use std::time::Duration;

use common::{copy_tree, deprov_in, rules_of, testdata, write, NOW};
use serde_json::Value;

struct Run {
    code: i32,
    stdout: String,
    /// Standard error with miette's wrapping undone (box-drawing gutters and line breaks
    /// folded into single spaces), so that messages can be searched for whole.
    stderr: String,
}

fn unwrapped(text: &str) -> String {
    text.split_whitespace()
        .filter(|word| *word != "│")
        .collect::<Vec<_>>()
        .join(" ")
}

fn run(cwd: &Path, args: &[&std::ffi::OsStr]) -> Run {
    let output = deprov_in(cwd).args(args).output().unwrap();
    let run = Run {
        code: output.status.code().expect("exited"),
        stdout: String::from_utf8_lossy(&output.stdout).into_owned(),
        stderr: unwrapped(&String::from_utf8_lossy(&output.stderr)),
    };
    assert!(!run.stderr.contains("panicked"), "{}", run.stderr);
    run
}

fn scan_json(cwd: &Path, args: &[&std::ffi::OsStr]) -> (Value, Run) {
    let mut all: Vec<&std::ffi::OsStr> = vec!["scan".as_ref()];
    all.extend_from_slice(args);
    all.extend(["--now", NOW, "--format", "json", "--no-progress"].map(std::ffi::OsStr::new));
    let run = run(cwd, &all);
    let report = serde_json::from_str(&run.stdout).unwrap_or(Value::Null);
    (report, run)
}

const SHAPE_HELP: &str = "a register is YAML";

#[test]
fn a_named_file_that_is_not_a_register_is_exit_two_with_the_expected_shape() {
    let data = testdata("example-org/aws");
    let cases: [(&str, &str, &str); 7] = [
        (
            "capital.yaml",
            "Identities:\n  - id: a\n    status: retired\n",
            "unknown field `Identities`",
        ),
        ("empty.yaml", "", "the register is empty"),
        (
            "no-people.yaml",
            "identities: []\n",
            "declares no identity and no person",
        ),
        ("foo.yaml", "foo: bar\n", "unknown field `foo`"),
        (
            "comments.yaml",
            "# nothing here\n# still nothing\n",
            "the register is empty",
        ),
        (
            "stauts.csv",
            "id,kind,stauts\na,service,retired\n",
            "unknown column `stauts` (did you mean `status`?)",
        ),
        (
            "alias.csv",
            "id,kind,status,retired_at,owner,alias\na,service,retired,,,x\n",
            "unknown column `alias` (did you mean `aliases`?)",
        ),
    ];
    for (name, content, expected) in cases {
        let dir = tempfile::tempdir().unwrap();
        let register = write(dir.path(), name, content);
        for strict in [false, true] {
            let mut args: Vec<&std::ffi::OsStr> = vec![
                data.as_os_str(),
                "--register".as_ref(),
                register.as_os_str(),
            ];
            if strict {
                args.push("--strict".as_ref());
            }
            let (_, run) = scan_json(dir.path(), &args);
            assert_eq!(run.code, 2, "{name}: {}", run.stderr);
            assert!(run.stderr.contains(expected), "{name}: {}", run.stderr);
            assert!(
                run.stderr.contains("deprov::register::shape"),
                "{name}: {}",
                run.stderr
            );
            assert!(run.stderr.contains(SHAPE_HELP), "{name}: {}", run.stderr);
        }
        // The same file named in the config.
        let config = write(dir.path(), "config.yaml", format!("register: {name}\n"));
        let (_, run) = scan_json(
            dir.path(),
            &[data.as_os_str(), "--config".as_ref(), config.as_os_str()],
        );
        assert_eq!(run.code, 2, "{name} (config): {}", run.stderr);
        assert!(
            run.stderr.contains(expected),
            "{name} (config): {}",
            run.stderr
        );
    }
}

/// The README's CI layout (`deprov scan . exports/`) with a register named explicitly: a
/// register a pull request adds among the exports must not re-declare a retired identity.
#[test]
fn a_named_register_is_the_only_register_read() {
    let dir = tempfile::tempdir().unwrap();
    let exports = dir.path().join("exports");
    copy_tree(&testdata("example-org"), &exports);
    let register = dir.path().join("register.yaml");
    std::fs::rename(exports.join("register.yaml"), &register).unwrap();
    let (baseline, run) = scan_json(
        dir.path(),
        &[
            exports.as_os_str(),
            "--register".as_ref(),
            register.as_os_str(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    for rule in ["DPV001", "DPV004", "DPV007"] {
        assert!(
            rules_of(&baseline).contains(&rule.to_string()),
            "{rule}: {baseline:#}"
        );
    }
    write(
        &exports,
        "aws/owners.yaml",
        "identities:\n  - id: ci-legacy\n    status: active\n    owner: alice@example.com\n    aliases: [arn:aws:iam::111122223333:user/ci-legacy, ci-legacy@example-prod.iam.gserviceaccount.com, auth/approle/role/ci-legacy]\n",
    );
    let (planted, run) = scan_json(
        dir.path(),
        &[
            exports.as_os_str(),
            "--register".as_ref(),
            register.as_os_str(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    assert_eq!(rules_of(&planted), rules_of(&baseline));
    assert_eq!(planted["findings"], baseline["findings"]);
    let reason = planted["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["path"] == "aws/owners.yaml")
        .map(|s| s["reason"].as_str().unwrap().to_string())
        .expect("listed");
    assert!(
        reason.contains("the register is named explicitly"),
        "{reason}"
    );
    // A named register that also lies among the scanned paths is read once, as the register.
    let (inside, run) = scan_json(
        dir.path(),
        &[
            dir.path().as_os_str(),
            "--register".as_ref(),
            register.as_os_str(),
        ],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);
    let read: Vec<&str> = inside["sources"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|s| s["format"].as_str().unwrap().starts_with("register/"))
        .map(|s| s["path"].as_str().unwrap())
        .collect();
    assert_eq!(read, ["register.yaml"]);
}

#[test]
fn registers_found_together_must_not_overlap() {
    let dir = tempfile::tempdir().unwrap();
    write(
        dir.path(),
        "a.yaml",
        "identities:\n  - id: svc\n    status: active\n    aliases: [arn:aws:iam::1:user/svc]\n  - id: other\n    status: active\n    aliases: [arn:aws:iam::1:user/shared]\npeople:\n  - id: p@example.com\n    status: active\n",
    );
    write(
        dir.path(),
        "b.csv",
        "id,kind,status,retired_at,owner,aliases\nsvc,service,retired,2026-01-01,,\nthird,service,active,,,arn:aws:iam::1:user/shared\n",
    );
    write(
        dir.path(),
        "c.csv",
        "id,status,departed_at\np@example.com,departed,2026-01-01\n",
    );
    let (_, run) = scan_json(dir.path(), &[".".as_ref()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    for expected in [
        "deprov::register::conflict",
        "identity `svc` is declared in a.yaml:2 and in b.csv:2",
        "alias `arn:aws:iam::1:user/shared` is declared for `other` in a.yaml:5 and for `third` in b.csv:3",
        "person `p@example.com` is declared in a.yaml:9 and in c.csv:2",
    ] {
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    }
    // Registers that do not overlap are read together.
    std::fs::remove_file(dir.path().join("b.csv")).unwrap();
    std::fs::remove_file(dir.path().join("c.csv")).unwrap();
    write(dir.path(), "d.csv", "id,kind,status,retired_at,owner,aliases\nthird,service,retired,2026-01-01,,arn:aws:iam::1:user/third\n");
    let output = deprov_in(dir.path())
        .args(["inventory", ".", "--format", "json"])
        .output()
        .unwrap();
    assert_eq!(
        output.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    let inventory: Value = serde_json::from_slice(&output.stdout).unwrap();
    let ids: Vec<&str> = inventory["identities"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["id"].as_str().unwrap())
        .collect();
    assert_eq!(ids, ["other", "svc", "third"]);
}

/// One anchor of many aliases referenced by many identities once took 21.6 GB; a register
/// needs no anchors, so they are refused before serde expands them.
#[test]
fn anchors_are_refused_and_problems_are_capped() {
    let dir = tempfile::tempdir().unwrap();
    let mut text = String::from("x: &shared\n");
    for i in 0..2000 {
        text.push_str(&format!("  - arn:aws:iam::1:user/a{i}\n"));
    }
    text.push_str("identities:\n");
    for i in 0..3000 {
        text.push_str(&format!(
            "  - id: s{i}\n    status: active\n    aliases: *shared\n"
        ));
    }
    let register = write(dir.path(), "bomb.yaml", &text);
    let data = write(dir.path(), "data/notes.txt", "nothing\n");
    let started = std::time::Instant::now();
    let (_, run) = scan_json(
        dir.path(),
        &[
            data.as_os_str(),
            "--register".as_ref(),
            register.as_os_str(),
        ],
    );
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("YAML anchors and aliases are not accepted"),
        "{}",
        run.stderr
    );
    assert!(run.stderr.contains("bomb.yaml:1:4"), "{}", run.stderr);
    assert!(started.elapsed() < Duration::from_secs(20));

    // Thousands of bad entries: the first 50 problems, then a count.
    let mut text = String::from("identities:\n");
    for i in 0..5000 {
        text.push_str(&format!("  - id: s{i}\n    status: bogus\n"));
    }
    let register = write(dir.path(), "bad.yaml", &text);
    let (_, run) = scan_json(
        dir.path(),
        &[
            data.as_os_str(),
            "--register".as_ref(),
            register.as_os_str(),
        ],
    );
    assert_eq!(run.code, 2);
    assert!(
        run.stderr
            .contains("the register has 5000 problem(s) (the first 50 shown)"),
        "{}",
        &run.stderr[..run.stderr.len().min(2000)]
    );
    assert_eq!(run.stderr.matches("deprov::register::entry").count(), 50);
    assert!(
        run.stderr.len() < 100_000,
        "{} bytes of diagnostics",
        run.stderr.len()
    );
}

#[test]
fn dates_to_come_are_scheduled_not_past() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org");
    copy_tree(&testdata("example-org"), &org);
    let register = org.join("register.yaml");
    let text = std::fs::read_to_string(&register).unwrap();
    // ci-legacy retires next year; bob, billing-exporter's owner, leaves next year.
    assert!(text.contains("    departed_at: 2026-06-30\n"));
    let text = text
        .replacen(
            "    retired_at: 2026-03-01\n",
            "    retired_at: 2027-03-01\n",
            1,
        )
        .replacen(
            "    departed_at: 2026-06-30\n",
            "    departed_at: 2027-06-30\n",
            1,
        );
    std::fs::write(&register, text).unwrap();
    let (report, scanned) = scan_json(dir.path(), &[org.as_os_str()]);
    assert!(scanned.code < 2, "{}", scanned.stderr);
    let ci_legacy: Vec<&str> = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["identity"] == "ci-legacy")
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    for rule in ["DPV001", "DPV002", "DPV004", "DPV007", "DPV008"] {
        assert!(
            !ci_legacy.contains(&rule),
            "{rule} for an identity still active: {ci_legacy:?}"
        );
    }
    let departed_owner = report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .any(|f| f["rule"] == "DPV006" && f["identity"] == "billing-exporter");
    assert!(
        !departed_owner,
        "an owner who leaves next year has not departed"
    );
    assert_eq!(
        report["summary"]["scheduled_retirements"],
        serde_json::json!([{ "identity": "ci-legacy", "retires_at": "2027-03-01T00:00:00Z" }])
    );
    let text = run_text(
        dir.path(),
        &[
            "scan".as_ref(),
            org.as_os_str(),
            "--now".as_ref(),
            NOW.as_ref(),
        ],
    );
    assert!(
        text.contains("retirements scheduled (active until then):\n  - ci-legacy on 2027-03-01"),
        "{text}"
    );
    let verify = run_text(
        dir.path(),
        &[
            "verify".as_ref(),
            "ci-legacy".as_ref(),
            org.as_os_str(),
            "--now".as_ref(),
            NOW.as_ref(),
        ],
    );
    assert!(
        verify.contains(
            "schedules this identity's retirement for 2027-03-01; it is active until then"
        ),
        "{verify}"
    );
    // After the date, it is retired.
    let later = run(
        dir.path(),
        &["scan", "--now", "2027-04-01T00:00:00Z", "--format", "json"]
            .map(std::ffi::OsStr::new)
            .into_iter()
            .chain([org.as_os_str()])
            .collect::<Vec<_>>(),
    );
    let later: Value = serde_json::from_str(&later.stdout).unwrap();
    assert!(rules_of(&later).contains(&"DPV001".to_string()));
}

fn run_text(cwd: &Path, args: &[&std::ffi::OsStr]) -> String {
    run(cwd, args).stdout
}

#[test]
fn errors_point_at_the_entry_in_flow_style_too() {
    let dir = tempfile::tempdir().unwrap();
    let register = write(
        dir.path(),
        "flow.yaml",
        "identities: [\n  {id: a, status: active},\n  {id: b, status: bogus},\n  {\"id\": \"c\", kind: robot, status: active}, {id: d, status: retierd}\n]\npeople: [{id: p, status: gone}]\n",
    );
    let data = write(dir.path(), "data/notes.txt", "nothing\n");
    let (_, run) = scan_json(
        dir.path(),
        &[
            data.as_os_str(),
            "--register".as_ref(),
            register.as_os_str(),
        ],
    );
    assert_eq!(run.code, 2);
    for expected in [
        "line 3: identity `b` has status `bogus`",
        "line 4: identity `c` has kind `robot`",
        "line 4: identity `d` has status `retierd`",
        "line 6: person `p` has status `gone`",
    ] {
        assert!(run.stderr.contains(expected), "{expected}: {}", run.stderr);
    }
}

/// A register written in another spelling of the same shape is still the register: JSON
/// syntax, columns in another order or case, semicolons. Exports with no register at all are
/// an incomplete run (without the source of truth nothing is judged retired).
#[test]
fn registers_in_other_spellings_are_recognised_and_a_missing_one_is_a_gap() {
    let dir = tempfile::tempdir().unwrap();
    let org = dir.path().join("org");
    copy_tree(&testdata("example-org"), &org);
    std::fs::remove_file(org.join("register.yaml")).unwrap();
    let (missing, run) = scan_json(dir.path(), &[org.as_os_str()]);
    assert_eq!(run.code, 2, "{}", run.stderr);
    assert!(
        run.stderr
            .contains("exports were read but no lifecycle register"),
        "{}",
        run.stderr
    );
    assert!(!rules_of(&missing).contains(&"DPV007".to_string()));
    let (_, run) = scan_json(
        dir.path(),
        &[org.as_os_str(), "--without-register".as_ref()],
    );
    assert_eq!(run.code, 1, "{}", run.stderr);

    // The register, as JSON (ci-legacy and its aliases only, enough for DPV001).
    let json = r#"{"identities": [{"id": "ci-legacy", "kind": "service", "status": "retired", "retired_at": "2026-03-01", "owner": "alice@example.com", "aliases": ["arn:aws:iam::111122223333:user/ci-legacy"]}], "people": [{"id": "alice@example.com", "status": "active"}]}"#;
    let csv = "Status;Aliases;ID;Kind;Retired_At;Owner\nretired;arn:aws:iam::111122223333:user/ci-legacy;ci-legacy;service;2026-03-01;alice@example.com\n";
    for (name, content) in [("register.yaml", json), ("cmdb.csv", csv)] {
        write(&org, name, content);
        let (report, run) = scan_json(dir.path(), &[org.as_os_str()]);
        assert_eq!(run.code, 1, "{name}: {}", run.stderr);
        let read = report["sources"].to_string();
        assert!(
            read.contains("register/"),
            "{name} not read as a register: {read}"
        );
        assert!(rules_of(&report).contains(&"DPV001".to_string()), "{name}");
        std::fs::remove_file(org.join(name)).unwrap();
    }
}

#[test]
fn one_register_named_twice_and_teams_repeated_are_no_conflict() {
    let dir = tempfile::tempdir().unwrap();
    let register = write(
        dir.path(),
        "register.yaml",
        "identities:\n  - id: svc\n    status: active\n    owner: team-a\nteams:\n  - id: team-a\n",
    );
    #[cfg(unix)]
    std::os::unix::fs::symlink(&register, dir.path().join("link.yaml")).unwrap();
    write(dir.path(), "data/notes.txt", "nothing\n");
    let (_, run) = scan_json(
        dir.path(),
        &[
            "data".as_ref(),
            "--register".as_ref(),
            "register.yaml".as_ref(),
            "--register".as_ref(),
            "link.yaml".as_ref(),
        ],
    );
    assert_eq!(run.code, 0, "{}", run.stderr);
    // Two files that both list the same team (as per-team registers do).
    let split = dir.path().join("split");
    write(
        &split,
        "a.yaml",
        "identities:\n  - id: a\n    status: active\n    owner: team-a\nteams:\n  - id: team-a\n",
    );
    write(
        &split,
        "b.yaml",
        "identities:\n  - id: b\n    status: active\n    owner: team-a\nteams:\n  - id: team-a\n",
    );
    write(&split, "notes.txt", "nothing\n");
    let (_, run) = scan_json(dir.path(), &[split.as_os_str()]);
    assert_eq!(run.code, 0, "{}", run.stderr);
}

/// The lexical pass that locates entries stays linear however the text repeats `id:` (it once
/// took 37 s and 3.3 GB for 160 KB).
#[test]
fn locating_entries_is_linear_in_the_register() {
    let dir = tempfile::tempdir().unwrap();
    let register = write(
        dir.path(),
        "r.yaml",
        format!(
            "identities:\n  - id: a\n    status: active\n    description: \"{}\"\n",
            "-id:".repeat(400_000)
        ),
    );
    let started = std::time::Instant::now();
    let output = deprov_in(dir.path())
        .args(["inventory", "--format", "json", "--register"])
        .arg(&register)
        .arg(&register)
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // A hang guard only (the pass is linear; 1.6 MB took 37 s × 100 when it was not).
    assert!(started.elapsed() < std::time::Duration::from_secs(20));
}
