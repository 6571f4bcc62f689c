//! Repositories through the binary: the fixture repository (built here with git2, the same
//! commits as the committed bare copy in the example organisation) scanned with the example
//! organisation's exports: whose secrets they are, whether the identity is retired, history and
//! working tree, `--no-history`, `--since`, inline allows.

mod common;
#[path = "support/repo_fixture.rs"]
mod repo_fixture;

use std::path::{Path, PathBuf};

use common::{deprov, testdata, NOW};
use serde_json::Value;

fn build_fixture() -> (tempfile::TempDir, PathBuf, git2::Oid) {
    let dir = tempfile::tempdir().unwrap();
    let repo = dir.path().join("infra");
    let key = std::fs::read_to_string(testdata("repo-fixture/files/legacy-payments.key")).unwrap();
    let head = repo_fixture::build(&repo, &key).unwrap();
    (dir, repo, head)
}

/// Scans the fixture with the example organisation's register and exports (not its committed
/// copy of the repository).
fn scan(repo: &Path, extra: &[&str]) -> Value {
    let org = testdata("example-org");
    let mut cmd = deprov();
    cmd.arg("scan")
        .arg(repo)
        .args(
            ["register.yaml", "aws", "gcp", "certs"]
                .iter()
                .map(|p| org.join(p)),
        )
        .args(["--now", NOW, "--format", "json"])
        .args(extra);
    let output = cmd.output().unwrap();
    assert!(
        output.status.code().is_some_and(|c| c < 2),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    serde_json::from_slice(&output.stdout).unwrap()
}

fn findings<'a>(report: &'a Value, rule: &str) -> Vec<&'a Value> {
    report["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["rule"] == rule)
        .collect()
}

#[test]
fn the_committed_bare_copy_is_the_fixture() {
    let (_dir, _repo, head) = build_fixture();
    let committed = git2::Repository::open(testdata("example-org/repos/infra.git")).unwrap();
    assert_eq!(
        committed.head().unwrap().peel_to_commit().unwrap().id(),
        head
    );
}

#[test]
fn secrets_are_attributed_to_their_identities() {
    let (_dir, repo, _) = build_fixture();
    let report = scan(&repo, &[]);

    // ci-legacy's AWS key pair: committed, then removed; still in history; the key is active.
    let dpv004 = findings(&report, "DPV004");
    let aws = dpv004
        .iter()
        .find(|f| f["credential"] == "AKIA5CILEGACY2ACCESS")
        .expect("AWS key of ci-legacy");
    assert_eq!(aws["identity"], "ci-legacy");
    assert_eq!(aws["severity"], "critical");
    assert_eq!(aws["secret"]["in_working_tree"], false);
    assert!(aws["secret"]["first_commit"]
        .as_str()
        .is_some_and(|c| c.len() == 40));
    assert_eq!(aws["evidence"]["path"], "deploy/aws.env");
    // Its GCP key file, by private_key_id.
    assert!(dpv004.iter().any(|f| f["identity"] == "ci-legacy"
        && f["credential"] == "7c3e9a1f5b2d4e8c6a0b9f3d1e7c5a2b4d6f8e0a"));
    // The private key of the retired mesh workload, matched to its certificate by SPKI.
    let key = dpv004
        .iter()
        .find(|f| f["identity"] == "legacy-payments")
        .expect("mesh key");
    assert!(key["credential"].as_str().unwrap().starts_with("sha256:"));
    assert_eq!(key["secret"]["in_working_tree"], true);

    // deploy-bot is active: a leak with an owner, not a deprovisioning gap; so is the Datadog
    // key in the MCP server that metrics-agent (a registered agent) is configured under.
    let leak002 = findings(&report, "LEAK002");
    let holders: Vec<&Value> = leak002.iter().map(|f| &f["identity"]).collect();
    assert_eq!(holders, ["deploy-bot", "metrics-agent"]);
    let agent = leak002[1];
    assert_eq!(agent["evidence"]["path"], ".mcp.json");
    assert_eq!(agent["secret"]["agent_credential"], true);
    assert!(
        agent["secret"].get("preview").is_none(),
        "an MCP env value is withheld: {agent}"
    );

    // The Slack token of the MCP config is nobody's, and an embedded agent credential.
    let leak001: Vec<&Value> = findings(&report, "LEAK001")
        .into_iter()
        .filter(|f| f["status"] == "new")
        .collect();
    assert_eq!(leak001.len(), 1);
    assert_eq!(leak001[0]["identity"], "(unattributed)");
    assert_eq!(leak001[0]["secret"]["agent_credential"], true);
    assert!(leak001[0]["secret"]["preview"]
        .as_str()
        .unwrap()
        .starts_with("xoxb"));

    // The test fixture's token carries an inline allow: reported, suppressed, not counted.
    let allowed = findings(&report, "LEAK001")
        .into_iter()
        .find(|f| f["status"] == "suppressed")
        .expect("allowed");
    assert_eq!(allowed["evidence"]["path"], "tests/fixtures/github.env");

    // The workflow still assumes the retired role.
    let dpv008 = findings(&report, "DPV008");
    assert!(dpv008
        .iter()
        .any(|f| f["evidence"]["path"] == ".github/workflows/deploy.yml"
            && f["identity"] == "ci-legacy"
            && f["evidence"]["line"] == 13));
}

#[test]
fn no_history_reads_the_working_tree_only() {
    let (_dir, repo, _) = build_fixture();
    let report = scan(&repo, &["--no-history"]);
    assert!(!findings(&report, "DPV004")
        .iter()
        .any(|f| f["credential"] == "AKIA5CILEGACY2ACCESS"));
    assert!(findings(&report, "DPV004")
        .iter()
        .any(|f| f["identity"] == "legacy-payments"));
}

#[test]
fn since_reads_only_what_the_change_adds() {
    let (_dir, repo, _) = build_fixture();
    let git = git2::Repository::open(&repo).unwrap();
    // The commit that added the mesh key: everything up to it is "before the change".
    let mut walk = git.revwalk().unwrap();
    walk.push_head().unwrap();
    let commits: Vec<git2::Oid> = walk.map(Result::unwrap).collect();
    let base = commits
        .iter()
        .find(|c| {
            git.find_commit(**c).unwrap().summary()
                == Ok(Some("Add the payments mesh workload key"))
        })
        .unwrap();
    // Without the working tree (a bare clone, as CI checkouts of history are) only history counts.
    let bare_dir = tempfile::tempdir().unwrap();
    let bare = bare_dir.path().join("infra.git");
    git2::build::RepoBuilder::new()
        .bare(true)
        .clone(repo.to_str().unwrap(), &bare)
        .unwrap();
    let report = scan(&bare, &["--since", &base.to_string()]);
    let dpv004 = findings(&report, "DPV004");
    assert!(
        !dpv004
            .iter()
            .any(|f| f["credential"] == "AKIA5CILEGACY2ACCESS"),
        "older than the change"
    );
    assert!(
        !dpv004.iter().any(|f| f["identity"] == "legacy-payments"),
        "part of the base"
    );
    assert_eq!(
        findings(&report, "LEAK002").len(),
        2,
        "added after the base (deploy-bot's key, metrics-agent's MCP server)"
    );
}

#[test]
fn refused_inline_allows_count() {
    let (_dir, repo, _) = build_fixture();
    let config = tempfile::NamedTempFile::new().unwrap();
    std::fs::write(config.path(), "inline_allows: false\n").unwrap();
    let report = scan(&repo, &["--config", config.path().to_str().unwrap()]);
    assert!(findings(&report, "LEAK001")
        .iter()
        .all(|f| f["status"] == "new"));
    assert_eq!(findings(&report, "LEAK001").len(), 2);
}

#[test]
fn an_allow_in_one_file_does_not_silence_another() {
    let dir = tempfile::tempdir().unwrap();
    let token = repo_fixture::fixture_token();
    std::fs::write(
        dir.path().join("a.env"),
        format!("# deprov:allow LEAK001 fixture\nTOKEN={token}\n"),
    )
    .unwrap();
    std::fs::write(dir.path().join("b.env"), format!("TOKEN={token}\n")).unwrap();
    let output = deprov()
        .arg("scan")
        .arg(dir.path())
        .args(["--now", NOW, "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    // One secret, one finding; b.env has no allow, so it is not suppressed.
    let leak: Vec<&Value> = findings(&report, "LEAK001");
    assert_eq!(leak.len(), 1, "{leak:?}");
    assert_eq!(leak[0]["status"], "new");
    // With the allow in both files, it is.
    std::fs::write(
        dir.path().join("b.env"),
        format!("TOKEN={token} # deprov:allow LEAK001 fixture\n"),
    )
    .unwrap();
    let output = deprov()
        .arg("scan")
        .arg(dir.path())
        .args(["--now", NOW, "--format", "json"])
        .output()
        .unwrap();
    let report: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert_eq!(findings(&report, "LEAK001")[0]["status"], "suppressed");
}

/// Runs the `git` command line in `dir`; `false` when git is not installed (the test is then
/// not exercised: CI machines have git).
fn git(dir: &Path, args: &[&str]) -> bool {
    std::process::Command::new("git")
        .current_dir(dir)
        .args(args)
        .env("GIT_CONFIG_NOSYSTEM", "1")
        .env("HOME", dir)
        .output()
        .is_ok_and(|o| o.status.success())
}

/// What CI checkouts look like: a shallow clone (`actions/checkout` fetches one commit), a
/// clone that borrows objects from a reference repository (`--reference`). Neither is damage:
/// the shallow clone is read to its cut with a note, the borrowed objects are unscanned (a gap
/// only with `--fail-on-unscanned`), and with `--no-history` the git directory is not opened.
#[test]
fn ci_checkouts_are_read_without_calling_them_broken() {
    let (dir, repo, _) = build_fixture();
    let clones = dir.path().join("clones");
    std::fs::create_dir(&clones).unwrap();
    let source = format!("file://{}", repo.display());
    if !git(
        &clones,
        &["clone", "-q", "--depth", "1", &source, "shallow"],
    ) {
        eprintln!("git is not installed: the clone shapes are not exercised");
        return;
    }
    assert!(git(
        &clones,
        &[
            "clone",
            "-q",
            "--reference",
            repo.to_str().unwrap(),
            &source,
            "borrowed"
        ]
    ));
    let org = testdata("example-org");
    let scan_clone = |name: &str, extra: &[&str]| {
        let output = deprov()
            .arg("scan")
            .arg(clones.join(name))
            .arg(org.join("register.yaml"))
            .args(["--now", NOW, "--format", "json"])
            .args(extra)
            .output()
            .unwrap();
        let report: Value = serde_json::from_slice(&output.stdout).unwrap();
        (output.status.code().unwrap(), report)
    };
    let (code, report) = scan_clone("shallow", &[]);
    assert!(code < 2, "{report:#}");
    assert_eq!(report["summary"]["incomplete"], false);
    let source = report["sources"]
        .as_array()
        .unwrap()
        .iter()
        .find(|s| s["format"] == "git/repository")
        .unwrap();
    assert!(
        source["warnings"][0]
            .as_str()
            .unwrap()
            .starts_with("shallow clone"),
        "{source}"
    );
    assert!(
        source["detail"].as_str().unwrap().starts_with("1 commits"),
        "{source}"
    );

    let (code, report) = scan_clone("borrowed", &[]);
    assert!(code < 2, "{report:#}");
    assert_eq!(report["summary"]["incomplete"], false);
    assert_eq!(report["summary"]["unscanned"], 1);
    let (code, _) = scan_clone("borrowed", &["--fail-on-unscanned"]);
    assert_eq!(code, 2);
    let (code, report) = scan_clone("borrowed", &["--no-history"]);
    assert!(code < 2);
    assert_eq!(report["summary"]["unscanned"], 0);
}

/// A repository inside another one's working tree (a fixture, a vendored clone) that cannot be
/// read is unscanned, not a gap: its files are the outer repository's content.
#[test]
fn a_broken_repository_nested_in_another_is_unscanned_not_a_gap() {
    let (_dir, repo, _) = build_fixture();
    let nested = repo.join("tests/fixtures/broken");
    std::fs::create_dir_all(nested.join(".git")).unwrap();
    std::fs::write(nested.join(".git/HEAD"), [0xffu8; 32]).unwrap();
    std::fs::create_dir_all(nested.join(".git/objects")).unwrap();
    std::fs::create_dir_all(nested.join(".git/refs")).unwrap();
    let report = scan(&repo, &[]);
    assert_eq!(
        report["summary"]["incomplete"], false,
        "{:#}",
        report["summary"]
    );
    assert!(report["skipped"]
        .as_array()
        .unwrap()
        .iter()
        .any(|s| s["path"]
            .as_str()
            .unwrap()
            .starts_with("tests/fixtures/broken")
            && s["unscanned"] == true));
}
