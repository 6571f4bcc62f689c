//! The labelled set (issue 14): 7 public repositories, every finding of deprov, gitleaks and
//! Kingfisher over their full history labelled by hand (`testdata/secrets-labelled/`, values
//! redacted to their SHA-256). The built-in detectors are run over the committed blobs, each
//! under its path in its repository, and must:
//!
//! - report no labelled false alarm but those `expected.yaml` still lists;
//! - find every real value (TP or TP-like) but those `expected.yaml` lists as known misses, and
//!   every real value gitleaks found with no exception;
//! - report no value that is not labelled (a new alarm must be labelled first);
//! - keep precision at or above 50 % over distinct values;
//!
//! and each entry of `expected.yaml` must still hold, so the lists only shrink.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use deprov::sources::exposure::secrets::DetectorSet;
use serde::Deserialize;

#[derive(Deserialize)]
struct Blobs {
    fixtures: Vec<Fixture>,
}

#[derive(Deserialize)]
struct Fixture {
    fixture: String,
    repository: String,
    path: String,
}

#[derive(Deserialize)]
struct Labels {
    repositories: Vec<Repository>,
}

#[derive(Deserialize)]
struct Repository {
    name: String,
    values: Vec<Label>,
}

#[derive(Deserialize)]
struct Label {
    sha256: String,
    label: String,
    found_by: FoundBy,
}

#[derive(Deserialize)]
struct FoundBy {
    #[serde(default)]
    gitleaks: Vec<String>,
}

#[derive(Deserialize)]
struct Expected {
    remaining_false_alarms: Vec<Entry>,
    known_misses: Vec<Entry>,
}

#[derive(Deserialize)]
struct Entry {
    sha256: String,
    repository: String,
}

fn dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("testdata/secrets-labelled")
}

fn read<T: for<'de> Deserialize<'de>>(name: &str) -> T {
    let text = std::fs::read_to_string(dir().join(name)).unwrap();
    serde_yaml::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// (repository, SHA-256) of every value the detectors report as a secret (not a reference).
fn reported() -> BTreeSet<(String, String)> {
    let detectors = DetectorSet::builtin().unwrap();
    let blobs: Blobs = read("blobs.yaml");
    let mut found = BTreeSet::new();
    for fixture in &blobs.fixtures {
        let bytes = std::fs::read(dir().join("blobs").join(&fixture.fixture)).unwrap();
        for matched in detectors.scan(&fixture.path, &bytes) {
            if !matched.identifier_only {
                found.insert((fixture.repository.clone(), matched.secret_sha256));
            }
        }
    }
    found
}

#[test]
fn the_labelled_set_holds_its_line() {
    let labels: Labels = read("labels.yaml");
    let expected: Expected = read("expected.yaml");
    let found = reported();
    let key = |repository: &str, sha: &str| (repository.to_string(), sha.to_string());
    let labelled: BTreeMap<(String, String), &Label> = labels
        .repositories
        .iter()
        .flat_map(|r| r.values.iter().map(move |v| (key(&r.name, &v.sha256), v)))
        .collect();
    let listed = |entries: &[Entry]| -> BTreeSet<(String, String)> {
        entries
            .iter()
            .map(|e| key(&e.repository, &e.sha256))
            .collect()
    };
    let accepted_alarms = listed(&expected.remaining_false_alarms);
    let accepted_misses = listed(&expected.known_misses);
    let real = |label: &Label| label.label != "FP";

    let unlabelled: Vec<_> = found
        .iter()
        .filter(|v| !labelled.contains_key(*v))
        .collect();
    assert!(
        unlabelled.is_empty(),
        "values reported but not labelled (label them): {unlabelled:#?}"
    );

    let new_alarms: Vec<_> = found
        .iter()
        .filter(|v| labelled.get(*v).is_some_and(|l| !real(l)) && !accepted_alarms.contains(*v))
        .collect();
    assert!(
        new_alarms.is_empty(),
        "labelled false alarms reported again: {new_alarms:#?}"
    );

    let new_misses: Vec<_> = labelled
        .iter()
        .filter(|(v, l)| real(l) && !found.contains(*v) && !accepted_misses.contains(*v))
        .map(|(v, _)| v)
        .collect();
    assert!(
        new_misses.is_empty(),
        "real values no longer found: {new_misses:#?}"
    );

    let missed_from_gitleaks: Vec<_> = labelled
        .iter()
        .filter(|(v, l)| real(l) && !l.found_by.gitleaks.is_empty() && !found.contains(*v))
        .map(|(v, _)| v)
        .collect();
    assert!(
        missed_from_gitleaks.is_empty(),
        "real values gitleaks finds and deprov does not: {missed_from_gitleaks:#?}"
    );

    let stale_alarms: Vec<_> = accepted_alarms
        .iter()
        .filter(|v| !found.contains(*v))
        .collect();
    let stale_misses: Vec<_> = accepted_misses
        .iter()
        .filter(|v| found.contains(*v))
        .collect();
    assert!(
        stale_alarms.is_empty() && stale_misses.is_empty(),
        "expected.yaml lists what no longer happens (remove it): {stale_alarms:#?} {stale_misses:#?}"
    );

    let real_found = found
        .iter()
        .filter(|v| labelled.get(*v).is_some_and(|l| real(l)))
        .count();
    let precision = real_found as f64 / found.len() as f64;
    assert!(
        precision >= 0.5,
        "precision {precision:.2} over {} values",
        found.len()
    );
}
