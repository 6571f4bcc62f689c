//! Lists what deprov's built-in secret detectors find in every distinct blob of a repository's
//! history, one JSON line per match, for labelling (`contrib/bench/label-secrets.py`):
//! `cargo run --release --example label_secrets -- CLONE > deprov.jsonl`.
//! With `--fixtures DIR` it scans the labelled set's fixtures instead (`DIR/blobs.yaml`: each
//! fixture under its logical path), one line per match with the fixture's name.
//!
//! Each blob reachable from any ref is scanned once, under the path and commit where it first
//! appears (oldest commit first). A line carries the value's SHA-256 as deprov hashes it and its
//! first four characters, never more of it.

use std::collections::HashSet;

use base64::Engine;
use deprov::sources::exposure::secrets::{DetectorSet, SecretMatch};
use git2::{ObjectType, Oid, Repository, Sort, TreeWalkMode, TreeWalkResult};
use sha2::{Digest, Sha256};

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let result = match args.as_slice() {
        [flag, dir] if flag == "--fixtures" => run_fixtures(dir),
        [clone] => run(clone),
        _ => {
            eprintln!("usage: label_secrets CLONE | label_secrets --fixtures DIR");
            std::process::exit(2);
        }
    };
    if let Err(e) = result {
        eprintln!("label_secrets: {e}");
        std::process::exit(1);
    }
}

fn run(clone: &str) -> Result<(), Box<dyn std::error::Error>> {
    let detectors = DetectorSet::builtin()?;
    let repo = Repository::open(clone)?;
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::TIME | Sort::REVERSE)?;
    for reference in repo.references()? {
        // Tags of trees or blobs and broken refs have no history to walk.
        if let Ok(commit) = reference?.peel_to_commit() {
            walk.push(commit.id())?;
        }
    }
    let mut seen_trees: HashSet<Oid> = HashSet::new();
    let mut seen_blobs: HashSet<Oid> = HashSet::new();
    for commit_id in walk {
        let commit = repo.find_commit(commit_id?)?;
        let tree = commit.tree()?;
        if !seen_trees.insert(tree.id()) {
            continue;
        }
        let mut blobs: Vec<(Oid, String)> = Vec::new();
        tree.walk(TreeWalkMode::PreOrder, |dir, entry| match entry.kind() {
            // A tree seen before holds only blobs already listed.
            Some(ObjectType::Tree) if !seen_trees.insert(entry.id()) => TreeWalkResult::Skip,
            Some(ObjectType::Blob) => {
                if seen_blobs.insert(entry.id()) {
                    let name = String::from_utf8_lossy(entry.name_bytes());
                    blobs.push((entry.id(), format!("{dir}{name}")));
                }
                TreeWalkResult::Ok
            }
            _ => TreeWalkResult::Ok,
        })?;
        for (oid, path) in blobs {
            let blob = repo.find_blob(oid)?;
            for found in detectors.scan(&path, blob.content()) {
                let line = serde_json::json!({
                    "blob": oid.to_string(),
                    "commit": commit.id().to_string(),
                    "path": path,
                    "line": found.line,
                    "detector": found.detector,
                    "sha256": found.secret_sha256,
                    "prefix": prefix(blob.content(), &found),
                    "confidence": found.confidence.level,
                });
                println!("{line}");
            }
        }
    }
    Ok(())
}

/// The fixtures of the labelled set (`testdata/secrets-labelled/blobs.yaml`).
#[derive(serde::Deserialize)]
struct Manifest {
    fixtures: Vec<Fixture>,
}

#[derive(serde::Deserialize)]
struct Fixture {
    /// File name under `blobs/`.
    fixture: String,
    /// The path in its repository: what a scan is given.
    path: String,
}

fn run_fixtures(dir: &str) -> Result<(), Box<dyn std::error::Error>> {
    let detectors = DetectorSet::builtin()?;
    let dir = std::path::Path::new(dir);
    let manifest: Manifest =
        serde_yaml::from_str(&std::fs::read_to_string(dir.join("blobs.yaml"))?)?;
    for fixture in manifest.fixtures {
        let bytes = std::fs::read(dir.join("blobs").join(&fixture.fixture))?;
        for found in detectors.scan(&fixture.path, &bytes) {
            let line = serde_json::json!({
                "fixture": fixture.fixture,
                "path": fixture.path,
                "line": found.line,
                "detector": found.detector,
                "sha256": found.secret_sha256,
                "prefix": prefix(&bytes, &found),
                "confidence": found.confidence.level,
                // An identifier without its secret is a reference: it raises no leak finding.
                "reference": found.identifier_only,
            });
            println!("{line}");
        }
    }
    Ok(())
}

/// The first four characters of the value a match stands for: the substring of its extent whose
/// SHA-256 is the match's, or for a private key (hashed by its DER) the first four characters of
/// its base64 body. `?` when neither is found.
fn prefix(bytes: &[u8], found: &SecretMatch) -> String {
    let extent = &bytes[found.start.min(bytes.len())..found.end.min(bytes.len())];
    let hashes_to = |value: &[u8]| hex::encode(Sha256::digest(value)) == found.secret_sha256;
    if let Some(body) = pem_body(extent) {
        let der = base64::engine::general_purpose::STANDARD.decode(&body);
        if der.is_ok_and(|der| hashes_to(&der)) || found.detector == "private-key" {
            return body.chars().take(4).collect();
        }
    }
    // Values end where the match ends more often than not: those substrings first, then any
    // of a bounded length (extents of other detectors are a line or two).
    let n = extent.len();
    let ending_last = (0..n).map(|from| (from, n));
    let any =
        (0..n.min(2048)).flat_map(|from| (from + 1..=n.min(from + 512)).map(move |to| (from, to)));
    ending_last
        .chain(any)
        .find(|&(from, to)| hashes_to(&extent[from..to]))
        .map_or_else(
            || "?".to_string(),
            |(from, to)| {
                String::from_utf8_lossy(&extent[from..to])
                    .chars()
                    .take(4)
                    .collect()
            },
        )
}

/// The base64 body of the first `-----BEGIN … PRIVATE KEY-----` block in `extent`, past
/// encryption headers (`Proc-Type: …`) and the escapes of a key inside JSON or a string literal.
fn pem_body(extent: &[u8]) -> Option<String> {
    let text = String::from_utf8_lossy(extent);
    let begin = text.find("-----BEGIN ")?;
    let after_begin = &text[begin + "-----BEGIN ".len()..];
    let header_end = after_begin.find("-----")?;
    if !after_begin[..header_end].ends_with("PRIVATE KEY") {
        return None;
    }
    let body = &after_begin[header_end + "-----".len()..];
    let body = &body[..body.find("-----END")?];
    let body = body.replace("\\r", "\n").replace("\\n", "\n");
    let base64: String = body
        .split(['\n', '\r'])
        .filter(|line| !line.contains(':'))
        .flat_map(str::chars)
        .filter(|c| c.is_ascii_alphanumeric() || matches!(c, '+' | '/' | '='))
        .collect();
    (base64.len() >= 4).then_some(base64)
}
