//! The same facts give the same verdict (issue 13, "Fail closed"): the report never depends on
//! file names or on the order paths are given in, and exports that disagree about one
//! credential are decided by what they say (the later export, else the more conservative
//! reading) with a warning naming both files.

mod common;

use std::path::{Path, PathBuf};

use common::{copy_tree, deprov, rules_of, testdata, NOW};
use proptest::prelude::*;
use serde_json::Value;

/// The example organisation's top-level entries, each given as its own path.
fn roots(org: &Path) -> Vec<PathBuf> {
    let mut roots: Vec<PathBuf> = std::fs::read_dir(org)
        .unwrap()
        .map(|e| e.unwrap().path())
        .filter(|p| p.file_name().is_some_and(|n| n != "README.md"))
        .collect();
    roots.sort();
    roots
}

/// Files whose names carry no meaning (Vault exports mirror API paths and a repository's
/// directory names it, so those keep theirs): (root, path within the root).
fn renamable(org: &Path) -> Vec<(String, String)> {
    let mut files = Vec::new();
    for root in ["aws", "azure", "certs", "gcp", "github", "kubernetes"] {
        for entry in walkdir::WalkDir::new(org.join(root)) {
            let entry = entry.unwrap();
            if entry.file_type().is_file() {
                let rel = entry.path().strip_prefix(org.join(root)).unwrap();
                files.push((root.to_string(), rel.to_string_lossy().into_owned()));
            }
        }
    }
    files.push((String::new(), "register.yaml".into()));
    files.sort();
    files
}

fn scan_json(roots: &[PathBuf]) -> Value {
    let output = deprov()
        .arg("scan")
        .args(roots)
        .args(["--now", NOW, "--format", "json", "--no-progress"])
        .output()
        .unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    serde_json::from_slice(&output.stdout).unwrap()
}

/// The report with renamed paths mapped back and its path-sorted lists sorted again.
fn normalised(mut report: Value, renamed: &[(String, String)]) -> Value {
    let mut text = serde_json::to_string(&report).unwrap();
    for (new, old) in renamed {
        text = text.replace(new.as_str(), old.as_str());
    }
    report = serde_json::from_str(&text).unwrap();
    for (list, key) in [("sources", "path"), ("skipped", "path"), ("findings", "id")] {
        if let Some(items) = report[list].as_array_mut() {
            items.sort_by(|a, b| a[key].to_string().cmp(&b[key].to_string()));
        }
    }
    report
}

/// The example organisation, with exports that disagree with it added (a key listed inactive,
/// a GCP key disabled in an older snapshot, pages listed twice), so that which export decides
/// is part of what must not depend on names or order.
fn disagreeing_org(dir: &Path) {
    copy_tree(&testdata("example-org"), dir);
    let keys =
        std::fs::read_to_string(dir.join("aws/access-keys/billing-and-deploy.json")).unwrap();
    std::fs::write(
        dir.join("aws/access-keys/snapshot.json"),
        keys.replace("\"Active\"", "\"Inactive\""),
    )
    .unwrap();
    let gcp = std::fs::read_to_string(dir.join("gcp/keys-ci-legacy.json")).unwrap();
    std::fs::write(
        dir.join("gcp/keys-snapshot.json"),
        gcp.replacen("\"keyType\"", "\"disabled\": true, \"keyType\"", 1),
    )
    .unwrap();
    // Listed twice, as by two runs of a collector: the same objects, not the same bytes (two
    // byte-identical files can only be told apart by their names, and then which one is cited
    // as evidence is the one thing names decide).
    for (from, to) in [
        ("azure/applications.json", "azure/applications-again.json"),
        ("kubernetes/secrets.json", "kubernetes/secrets-again.json"),
        ("github/deploy-keys.json", "github/deploy-keys-again.json"),
    ] {
        let text = std::fs::read_to_string(dir.join(from)).unwrap();
        std::fs::write(dir.join(to), text + "\n").unwrap();
    }
}

fn canonical_report() -> &'static Value {
    static REPORT: std::sync::OnceLock<Value> = std::sync::OnceLock::new();
    REPORT.get_or_init(|| {
        let dir = tempfile::tempdir().unwrap();
        disagreeing_org(dir.path());
        normalised(scan_json(&roots(dir.path())), &[])
    })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 12, ..ProptestConfig::default() })]

    /// Permuting file names (prefixes that reorder them) and the order of the paths on the
    /// command line changes nothing in the JSON report but the names themselves, exports that
    /// disagree included.
    #[test]
    fn file_names_and_order_change_nothing(
        prefixes in proptest::collection::vec("[a-z0-9]{1,3}", 40),
        order in Just((0..11usize).collect::<Vec<_>>()).prop_shuffle(),
    ) {
        let dir = tempfile::tempdir().unwrap();
        disagreeing_org(dir.path());
        let mut renamed = Vec::new();
        for (i, (root, rel)) in renamable(dir.path()).into_iter().enumerate() {
            let from = dir.path().join(&root).join(&rel);
            let path = Path::new(&rel);
            let name = path.file_name().unwrap().to_string_lossy().into_owned();
            let new_name = format!("{}{i}-{name}", prefixes[i % prefixes.len()]);
            let to = from.with_file_name(&new_name);
            std::fs::rename(&from, &to).unwrap();
            let parent = path.parent().map(|p| p.to_string_lossy().into_owned()).unwrap_or_default();
            let join = |n: &str| if parent.is_empty() { n.to_string() } else { format!("{parent}/{n}") };
            renamed.push((join(&new_name), join(&name)));
        }
        let roots = roots(dir.path());
        let permuted: Vec<PathBuf> = order
            .iter()
            .filter_map(|&i| roots.get(i).cloned())
            .chain(roots.iter().skip(11).cloned())
            .collect();
        prop_assert_eq!(permuted.len(), roots.len());
        let report = normalised(scan_json(&permuted), &renamed);
        prop_assert_eq!(&report, canonical_report());
    }
}

/// A directory with an account whose one key two exports disagree about.
fn disagreeing_exports(dir: &Path, report_name: &str, keys_name: &str) {
    let key_id = ["AKIA", "5CILEGACY2ACCESS"].concat();
    std::fs::write(
        dir.join("register.yaml"),
        "identities:\n  - id: ci-legacy\n    kind: service\n    status: retired\n    retired_at: 2026-03-01\n    owner: team-a\n    aliases: [arn:aws:iam::111122223333:user/ci-legacy]\nteams:\n  - id: team-a\n",
    )
    .unwrap();
    std::fs::write(
        dir.join(report_name),
        "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\nci-legacy,arn:aws:iam::111122223333:user/ci-legacy,2024-01-10T09:00:00+00:00,false,N/A,N/A,N/A,false,true,2024-01-10T09:05:00+00:00,2026-02-01T00:00:00+00:00,us-east-1,s3,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n",
    )
    .unwrap();
    std::fs::write(
        dir.join(keys_name),
        format!("{{\"AccessKeyMetadata\": [{{\"UserName\": \"ci-legacy\", \"AccessKeyId\": \"{key_id}\", \"Status\": \"Inactive\", \"CreateDate\": \"2024-01-10T09:05:00Z\"}}]}}\n"),
    )
    .unwrap();
}

#[test]
fn disagreeing_exports_are_decided_by_what_they_say_not_by_their_names() {
    // Renaming `zz-inactive.json` to `00-inactive.json` once flipped DPV001.
    let mut verdicts = Vec::new();
    for (report, keys) in [
        ("report.csv", "zz-inactive.json"),
        ("report.csv", "00-inactive.json"),
    ] {
        let dir = tempfile::tempdir().unwrap();
        disagreeing_exports(dir.path(), report, keys);
        let output = deprov()
            .arg("scan")
            .arg(dir.path())
            .args(["--now", NOW, "--format", "json"])
            .output()
            .unwrap();
        let json: Value = serde_json::from_slice(&output.stdout).unwrap();
        // Neither export says when it was made: the conservative reading, active, decides.
        assert!(rules_of(&json).contains(&"DPV001".to_string()), "{json:#}");
        let warnings: Vec<String> = json["sources"]
            .as_array()
            .unwrap()
            .iter()
            .flat_map(|s| s["warnings"].as_array().cloned().unwrap_or_default())
            .map(|w| w.as_str().unwrap().to_string())
            .collect();
        let warning = warnings
            .iter()
            .find(|w| w.contains("read as active"))
            .unwrap_or_else(|| panic!("no warning: {warnings:?}"));
        assert!(
            warning.contains(report) && warning.contains(keys),
            "{warning}"
        );
        verdicts.push(rules_of(&json));
    }
    assert_eq!(verdicts[0], verdicts[1]);
}

#[test]
fn the_latest_credential_report_decides_between_dated_reports() {
    use base64::Engine;
    let dir = tempfile::tempdir().unwrap();
    std::fs::write(
        dir.path().join("register.yaml"),
        "identities:\n  - id: ci-legacy\n    kind: service\n    status: retired\n    retired_at: 2026-03-01\n    owner: team-a\n    aliases: [arn:aws:iam::111122223333:user/ci-legacy]\nteams:\n  - id: team-a\n",
    )
    .unwrap();
    let header = "user,arn,user_creation_time,password_enabled,password_last_used,password_last_changed,password_next_rotation,mfa_active,access_key_1_active,access_key_1_last_rotated,access_key_1_last_used_date,access_key_1_last_used_region,access_key_1_last_used_service,access_key_2_active,access_key_2_last_rotated,access_key_2_last_used_date,access_key_2_last_used_region,access_key_2_last_used_service,cert_1_active,cert_1_last_rotated,cert_2_active,cert_2_last_rotated\n";
    let row = |active: &str| {
        format!("ci-legacy,arn:aws:iam::111122223333:user/ci-legacy,2024-01-10T09:00:00+00:00,false,N/A,N/A,N/A,false,{active},2024-01-10T09:05:00+00:00,N/A,N/A,N/A,false,N/A,N/A,N/A,N/A,false,N/A,false,N/A\n")
    };
    let envelope = |active: &str, generated: &str| {
        let content =
            base64::engine::general_purpose::STANDARD.encode(format!("{header}{}", row(active)));
        format!("{{\"Content\": \"{content}\", \"ReportFormat\": \"text/csv\", \"GeneratedTime\": \"{generated}\"}}\n")
    };
    // The earlier report (named to be read last) says active; the later one says the key was
    // deactivated.
    std::fs::write(
        dir.path().join("b-earlier.json"),
        envelope("true", "2026-04-01T00:00:00Z"),
    )
    .unwrap();
    std::fs::write(
        dir.path().join("a-later.json"),
        envelope("false", "2026-05-01T00:00:00Z"),
    )
    .unwrap();
    let output = deprov()
        .arg("scan")
        .arg(dir.path())
        .args(["--now", NOW, "--format", "json"])
        .output()
        .unwrap();
    let json: Value = serde_json::from_slice(&output.stdout).unwrap();
    assert!(!rules_of(&json).contains(&"DPV001".to_string()), "{json:#}");
    let text = json["sources"].to_string();
    assert!(text.contains("the latest export wins"), "{text}");
}
