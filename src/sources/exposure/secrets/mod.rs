//! Secret detectors: turn the bytes of a file or blob into secret matches, each a detector ID,
//! a line, a SHA-256 of the secret (kept in memory), what reports may show of it (a
//! four-character preview, or nothing but a keyed digest for passwords and low-entropy values:
//! see `redact.rs`), and the native identifiers the secret carries (AWS key ID, GCP key ID and
//! email, public-key fingerprints, …) for correlation with the inventory. The secret value
//! itself never leaves the scan.
//!
//! Detectors are data (`rules/secrets.yaml`, plus users' files of the same shape); see
//! `scan.rs` for how a blob is searched and `keys.rs` for private keys.

mod agent;
mod agent_toml;
mod agent_yaml;
mod assignment;
mod carries;
mod confidence;
mod context;
mod detectors;
mod dummies;
mod headers;
mod keys;
mod keywords;
mod names;
mod redact;
mod scan;
mod urls;
mod values;
mod vendor_checks;

use std::path::PathBuf;

pub use crate::inventory::{Confidence, SecretConfidence};
/// Whether `bytes` are an agent's tool configuration deprov reads (an MCP client's JSON or
/// JSONC, Codex CLI's TOML, Continue's YAML), whatever else the file is.
pub fn is_agent_configuration(path: &str, bytes: &[u8]) -> bool {
    agent::McpConfig::read(path, bytes).is_some()
}
pub use detectors::{Carries, Check, DetectorError, ExampleEntry, Structure, DETECTOR_FILE};
pub use redact::{
    estimated_bits, short_digest, DigestKey, Disclosure, SecretClass, WeakKey, Withheld,
    WithheldReason, MIN_SHOWN_BITS,
};
pub(crate) use scan::allowed_rules;
#[cfg(test)]
pub(crate) use vendor_checks::with_base62_crc32;

use carries::NearbyIdentifiers;
use detectors::{Detector, DetectorSource};
use keywords::KeywordAutomaton;

/// The built-in detectors, compiled into the binary.
pub const BUILTIN_PATH: &str = "rules/secrets.yaml";
const BUILTIN_TEXT: &str = include_str!("../../../../rules/secrets.yaml");

/// Removed from detector examples before they are scanned: the catalog writes test tokens with
/// it inside, so that no scanner (deprov included) finds a token in the catalog itself.
pub const EXAMPLE_SPLICE: &str = "~~";

/// One secret (or identifier) found in a blob. Not serializable: its `secret_sha256` may be a
/// plain digest of a password, which no output may carry.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct SecretMatch {
    /// Detector ID.
    pub detector: String,
    pub description: String,
    /// 1-based line of the match start.
    pub line: u32,
    /// Byte offset of the match start in the scanned bytes (windowed scans decide by it which
    /// window reports a match).
    pub start: usize,
    /// Byte offset just past the match (the value and the name it is assigned to): what a
    /// labelling tool reads to tell which value a match stands for.
    pub end: usize,
    /// Lowercase hex SHA-256 of the secret value (of the DER encoding for a private key): tells
    /// equal values apart in memory. Reports show it only for a [`Disclosure::Preview`].
    pub secret_sha256: String,
    /// What reports may show of the value.
    pub disclosure: Disclosure,
    /// An identifier found without its secret (an AWS access key ID alone): a reference to a
    /// credential, not secret material.
    pub identifier_only: bool,
    /// Native identifiers the match yields, in the inventory's alias and ID forms.
    pub carries: Vec<String>,
    /// Found in an agent or tool configuration (an MCP server's env or headers, a `.env` file).
    pub agent_credential: bool,
    /// Rule codes named by a `deprov:allow RULE reason` comment on the match's line or the line
    /// before.
    pub allowed_rules: Vec<String>,
    /// How sure the match is to be a secret, and whether it sits in a test fixture
    /// (`confidence.rs`).
    pub confidence: SecretConfidence,
}

/// Compiled detectors and the keyword prefilter that decides which of them run where.
#[derive(Debug)]
pub struct DetectorSet {
    /// The organisation's key for keyed digests of withheld values, when configured.
    digest_key: Option<DigestKey>,
    /// In priority order: specific detectors, then generic ones.
    detectors: Vec<Detector>,
    /// Every keyword of every pattern detector, ASCII case-insensitive.
    keywords: KeywordAutomaton,
    /// For each keyword pattern, the detectors it triggers.
    keyword_detectors: Vec<Vec<usize>>,
    nearby: NearbyIdentifiers,
}

/// A detector example that did not behave as written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ExampleFailure {
    pub detector: String,
    /// 1-based position of the example in the detector's `tests`.
    pub example: usize,
    pub problem: String,
}

impl std::fmt::Display for ExampleFailure {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} test {}: {}",
            self.detector, self.example, self.problem
        )
    }
}

impl DetectorSet {
    /// The detectors of `rules/secrets.yaml`.
    pub fn builtin() -> Result<DetectorSet, DetectorError> {
        DetectorSet::load(vec![builtin_source()])
    }

    /// The built-in detectors plus users' files of the same shape. A user detector with a
    /// built-in ID replaces it.
    pub fn with_user_files(paths: &[PathBuf]) -> Result<DetectorSet, DetectorError> {
        let mut sources = vec![builtin_source()];
        for path in paths {
            let text = crate::discover::regular::read_named_to_string(path, &DETECTOR_FILE)?;
            sources.push(DetectorSource {
                path: path.display().to_string(),
                text,
            });
        }
        DetectorSet::load(sources)
    }

    fn load(sources: Vec<DetectorSource>) -> Result<DetectorSet, DetectorError> {
        let mut files = Vec::with_capacity(sources.len());
        for source in &sources {
            files.push(detectors::parse_file(source)?);
        }
        let detectors = detectors::compile(&sources, files)?;
        let mut patterns: Vec<String> = Vec::new();
        let mut keyword_detectors: Vec<Vec<usize>> = Vec::new();
        for (index, detector) in detectors.iter().enumerate() {
            for keyword in &detector.keywords {
                match patterns.iter().position(|p| p == keyword) {
                    Some(at) if !keyword_detectors[at].contains(&index) => {
                        keyword_detectors[at].push(index);
                    }
                    Some(_) => {}
                    None => {
                        patterns.push(keyword.clone());
                        keyword_detectors.push(vec![index]);
                    }
                }
            }
        }
        let keywords = KeywordAutomaton::new(&patterns).map_err(|e| DetectorError::Keywords {
            message: e.to_string(),
        })?;
        let nearby = NearbyIdentifiers::new().map_err(|e| DetectorError::Internal {
            message: e.to_string(),
        })?;
        Ok(DetectorSet {
            digest_key: None,
            detectors,
            keywords,
            keyword_detectors,
            nearby,
        })
    }

    /// Withheld values (passwords, low-entropy values) get a keyed digest under `key`.
    pub fn with_digest_key(mut self, key: Option<DigestKey>) -> DetectorSet {
        self.digest_key = key;
        self
    }

    /// The organisation's key for keyed digests, when configured: secret material found in
    /// exports (`sources::leak`) is keyed with it too.
    pub fn digest_key(&self) -> Option<&DigestKey> {
        self.digest_key.as_ref()
    }

    /// The matches in one file or blob, sorted by position. `path` lets the detectors of
    /// `.env` files and MCP configurations act. Binary content (a NUL in the first 8 KiB) has
    /// none.
    pub fn scan(&self, path: &str, bytes: &[u8]) -> Vec<SecretMatch> {
        scan::scan(self, path, bytes)
    }

    /// Every detector ID a match can have, in priority order (`alone` IDs after their
    /// detector's).
    pub fn ids(&self) -> impl Iterator<Item = &str> {
        self.detectors.iter().flat_map(|detector| {
            let alone = detector.alone().map(|a| a.id.as_str());
            std::iter::once(detector.id.as_str()).chain(alone)
        })
    }

    /// The description of a detector ID.
    pub fn description(&self, id: &str) -> Option<&str> {
        self.detectors.iter().find_map(|detector| {
            if detector.id == id {
                return Some(detector.description.as_str());
            }
            detector
                .alone()
                .filter(|a| a.id == id)
                .map(|a| a.description.as_str())
        })
    }

    /// The examples of a detector (its `tests:` entries).
    pub fn examples(&self, id: &str) -> &[ExampleEntry] {
        self.detectors
            .iter()
            .find(|d| d.id == id)
            .map_or(&[], |d| &d.examples)
    }

    /// Runs every detector's examples through [`DetectorSet::scan`]: a `matches` text must give
    /// a match of the detector (with exactly the `carries` given), a `no_match` text none.
    pub fn failing_examples(&self) -> Vec<ExampleFailure> {
        let mut failures = Vec::new();
        for detector in &self.detectors {
            let alone = detector.alone().map(|a| a.id.clone());
            for (position, example) in detector.examples.iter().enumerate() {
                let fail = |problem: String| ExampleFailure {
                    detector: detector.id.clone(),
                    example: position + 1,
                    problem,
                };
                let path = example.path.as_deref().unwrap_or("example.txt");
                if let Some(text) = &example.matches {
                    let expected = example.detector.as_deref().unwrap_or(&detector.id);
                    let found = self.scan(path, text.replace(EXAMPLE_SPLICE, "").as_bytes());
                    let ours: Vec<&SecretMatch> =
                        found.iter().filter(|m| m.detector == expected).collect();
                    if ours.is_empty() {
                        let got: Vec<&str> = found.iter().map(|m| m.detector.as_str()).collect();
                        failures.push(fail(format!("expected a match of {expected}, got {got:?}")));
                    } else if let Some(carries) = &example.carries {
                        let carries: Vec<String> = carries
                            .iter()
                            .map(|c| c.replace(EXAMPLE_SPLICE, ""))
                            .collect();
                        if !ours.iter().any(|m| m.carries == carries) {
                            let got: Vec<&Vec<String>> = ours.iter().map(|m| &m.carries).collect();
                            failures
                                .push(fail(format!("expected carries {carries:?}, got {got:?}")));
                        }
                    }
                    let levels: Vec<Confidence> = ours.iter().map(|m| m.confidence.level).collect();
                    match example.confidence {
                        Some(wanted) if !ours.is_empty() && !levels.contains(&wanted) => failures
                            .push(fail(format!(
                                "expected confidence {wanted}, got {levels:?}"
                            ))),
                        _ => {}
                    }
                }
                if let Some(text) = &example.no_match {
                    let found = self.scan(path, text.replace(EXAMPLE_SPLICE, "").as_bytes());
                    let ours: Vec<&SecretMatch> = found
                        .iter()
                        .filter(|m| {
                            m.detector == detector.id || Some(&m.detector) == alone.as_ref()
                        })
                        .collect();
                    if !ours.is_empty() {
                        failures.push(fail(format!("expected no match, got {ours:?}")));
                    }
                }
            }
        }
        failures
    }
}

fn builtin_source() -> DetectorSource {
    DetectorSource {
        path: BUILTIN_PATH.to_string(),
        text: BUILTIN_TEXT.to_string(),
    }
}
