//! The policy pack, the rule catalog, the framework catalogs, the embedded copies and the
//! fixtures agree with each other.

mod common;

use std::collections::BTreeSet;
use std::str::FromStr;

use cedar_policy::PolicySet;
use deprov::catalog::{Catalog, Placeholder};
use deprov::embedded;

fn files_in(dir: &str, ext: &str) -> BTreeSet<String> {
    std::fs::read_dir(common::root().join(dir))
        .unwrap()
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.ends_with(ext))
        .map(|n| format!("{dir}/{n}"))
        .collect()
}

#[test]
fn embedded_lists_match_the_directories() {
    let embedded_policies: BTreeSet<String> = embedded::POLICIES
        .iter()
        .map(|f| f.path.to_string())
        .collect();
    assert_eq!(embedded_policies, files_in("policies", ".cedar"));
    let embedded_frameworks: BTreeSet<String> = embedded::FRAMEWORKS
        .iter()
        .map(|f| f.path.to_string())
        .collect();
    assert_eq!(embedded_frameworks, files_in("rules/frameworks", ".yaml"));
}

/// (rule code, file name) of every policy in the pack.
fn policy_codes() -> Vec<(String, String)> {
    let mut codes = Vec::new();
    for file in embedded::POLICIES {
        let set = PolicySet::from_str(file.text).unwrap();
        for policy in set.policies() {
            let id = policy
                .annotation("id")
                .unwrap_or_else(|| panic!("{} has a policy without @id", file.path));
            codes.push((id.to_string(), file.path.to_string()));
        }
    }
    codes
}

#[test]
fn policies_and_catalog_agree() {
    let catalog = Catalog::builtin().unwrap();
    let mut policy_rules = BTreeSet::new();
    for (code, path) in policy_codes() {
        let name = path.rsplit('/').next().unwrap();
        if code == "baseline" {
            assert_eq!(name, "baseline.cedar");
            continue;
        }
        assert!(
            name.starts_with(&format!("{code}-")),
            "{path} holds @id(\"{code}\")"
        );
        assert!(
            catalog.rules.contains_key(&code),
            "{code} ({path}) has no catalog entry"
        );
        policy_rules.insert(code);
    }
    let catalog_rules: BTreeSet<String> = catalog.rules.keys().cloned().collect();
    assert_eq!(
        policy_rules, catalog_rules,
        "every catalog rule has a policy and the reverse"
    );
}

#[test]
fn no_code_is_defined_twice_in_the_catalog_file() {
    let text = embedded::RULE_CATALOG.text;
    let ids: Vec<&str> = text
        .lines()
        .filter_map(|l| l.trim().strip_prefix("- id: "))
        .collect();
    let unique: BTreeSet<&str> = ids.iter().copied().collect();
    assert_eq!(ids.len(), unique.len());
}

#[test]
fn every_rule_has_fixtures() {
    let catalog = Catalog::builtin().unwrap();
    for code in catalog.rules.keys() {
        for kind in ["fail", "pass"] {
            let dir = common::testdata(&format!("rules/{code}/{kind}"));
            assert!(dir.is_dir(), "{code} lacks {}", dir.display());
        }
    }
}

#[test]
fn every_rule_maps_to_nhi_or_csf_and_controls_resolve() {
    let catalog = Catalog::builtin().unwrap();
    for rule in catalog.rules.values() {
        assert!(
            rule.controls
                .iter()
                .any(|c| c.starts_with("NHI") || c.starts_with("PR.AA")),
            "{} maps to neither OWASP NHI nor CSF PR.AA",
            rule.id
        );
        for control in &rule.controls {
            assert!(catalog.control(control).is_some(), "{}: {control}", rule.id);
        }
    }
    // The NHIMG glossary name resolves to Improper Offboarding.
    assert_eq!(catalog.canonical_control("NHI-06"), Some("NHI1:2025"));
}

#[test]
fn code_list_snapshot() {
    let catalog = Catalog::builtin().unwrap();
    let codes: Vec<String> = catalog
        .rules
        .values()
        .map(|r| format!("{} {} {}", r.id, r.severity, r.title))
        .collect();
    insta::assert_snapshot!("rule_codes", codes.join("\n"));
}

/// Every `{name}` in a built-in message is one findings fill in; an unknown one would read
/// "unknown" in every report. (The catalog also refuses one when it loads, user catalogs too.)
#[test]
fn every_message_placeholder_is_filled_by_findings() {
    let catalog = Catalog::builtin().unwrap();
    for rule in catalog.rules.values() {
        for (_, name) in deprov::template::placeholders(&rule.message) {
            assert!(
                Placeholder::from_name(name).is_some(),
                "{}: unknown placeholder {{{name}}}",
                rule.id
            );
        }
    }
}

/// The README's `## Rules` table lists every code of the catalog, and no other, with its
/// default severity and its title (lower-cased at the start, optionally followed by a detail in
/// parentheses).
#[test]
fn the_readme_rule_table_matches_the_catalog() {
    let readme = std::fs::read_to_string(common::root().join("README.md")).unwrap();
    let section = readme
        .split("\n## Rules\n")
        .nth(1)
        .expect("README has a ## Rules section");
    let rows: Vec<Vec<&str>> = section
        .lines()
        .skip_while(|line| !line.starts_with('|'))
        .take_while(|line| line.starts_with('|'))
        .skip(2) // header and separator
        .map(|line| line.trim_matches('|').split('|').map(str::trim).collect())
        .collect();
    let catalog = Catalog::builtin().unwrap();
    let listed: BTreeSet<&str> = rows.iter().map(|row| row[0]).collect();
    let codes: BTreeSet<&str> = catalog.rules.keys().map(String::as_str).collect();
    assert_eq!(
        listed, codes,
        "codes in the README table and in the catalog"
    );
    assert_eq!(rows.len(), codes.len(), "a code listed twice in the README");
    for row in &rows {
        let [code, gap, severity] = row[..] else {
            panic!("README rule row {row:?} does not have three columns");
        };
        let rule = catalog.rule(code).unwrap();
        let mut title = rule.title.clone();
        title[..1].make_ascii_lowercase();
        assert!(
            gap == title || gap.starts_with(&format!("{title} (")) && gap.ends_with(')'),
            "{code}: the README says `{gap}`, the catalog's title is `{}`",
            rule.title
        );
        assert_eq!(
            severity.split_whitespace().next(),
            Some(rule.severity.as_str()),
            "{code}: default severity"
        );
    }
}
