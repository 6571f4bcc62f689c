//! Every rule's fixtures: `testdata/rules/<CODE>/fail` must produce the rule, `pass` must not.

mod common;

use common::{rules_of, scan_json, testdata};

fn codes() -> Vec<String> {
    let mut codes: Vec<String> = std::fs::read_dir(testdata("rules"))
        .unwrap()
        .filter_map(Result::ok)
        .filter(|e| e.path().is_dir())
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .collect();
    codes.sort();
    codes
}

#[test]
fn fail_fixtures_fire_and_pass_fixtures_do_not() {
    let mut problems = Vec::new();
    for code in codes() {
        for (kind, expected) in [("fail", true), ("pass", false)] {
            let dir = testdata(&format!("rules/{code}/{kind}"));
            let (report, _) = scan_json(&dir, &[]);
            assert!(
                report["skipped"].as_array().unwrap().is_empty(),
                "{code}/{kind} skipped files: {}",
                report["skipped"]
            );
            let fired = rules_of(&report).contains(&code);
            if fired != expected {
                problems.push(format!(
                    "{code}/{kind}: fired={fired}, findings: {}",
                    report["findings"]
                ));
            }
        }
    }
    assert!(problems.is_empty(), "{}", problems.join("\n"));
}
