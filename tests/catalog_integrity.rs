//! The policy pack, the rule catalog, the framework catalogs, the embedded copies and the
//! fixtures agree with each other.

mod common;

use std::collections::BTreeSet;
use std::str::FromStr;

use cedar_policy::PolicySet;
use deprov::catalog::Catalog;
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
