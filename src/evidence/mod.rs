//! Evidence bundles of `deprov verify … --evidence DIR`: what an auditor keeps to show that an
//! identity was deprovisioned (the checklist, every input read with its SHA-256, the pack and
//! catalog digests, the evaluation time, the command line), and `verify --check DIR`'s
//! comparison of a bundle with a fresh run. Pure data and hashing; the command runs the scan.

mod digest;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use serde::{Deserialize, Serialize};

pub use digest::{hash_input, sha256_hex, InputDigest};

use crate::sources::SourceSummary;
use crate::verify::{Checklist, ItemKind};

/// The bundle's files, in the order `SHA256SUMS` lists them.
pub const RESULT_FILE: &str = "result.json";
pub const MANIFEST_FILE: &str = "manifest.json";
pub const SUMS_FILE: &str = "SHA256SUMS";
/// The inputs' hashes with their paths as recorded: `sha256sum -c DIR/inputs.sha256` in the
/// directory the verification ran from checks them without deprov.
pub const INPUT_SUMS_FILE: &str = "inputs.sha256";

/// The version of the bundle's layout.
pub const SCHEMA_VERSION: u32 = 1;

/// `result.json`: the checklist, and the last recorded use per system.
#[derive(Debug, Serialize)]
pub struct EvidenceResult<'a> {
    pub schema_version: u32,
    pub identity: &'a str,
    pub evaluated_at: &'a str,
    /// Nothing of the identity remains and every input was read.
    pub complete: bool,
    /// Items still present.
    pub remaining: usize,
    /// The latest use each system recorded (RFC 3339), by system.
    pub last_use: BTreeMap<&'a str, &'a str>,
    pub checklist: &'a Checklist,
}

impl<'a> EvidenceResult<'a> {
    pub fn of(checklist: &'a Checklist) -> Self {
        let last_use = checklist
            .items
            .iter()
            .filter(|i| i.kind == ItemKind::LastUse)
            .filter_map(|i| Some((i.system.as_deref()?, i.id.as_str())))
            .collect();
        EvidenceResult {
            schema_version: SCHEMA_VERSION,
            identity: &checklist.identity,
            evaluated_at: &checklist.evaluated_at,
            complete: checklist.complete,
            remaining: checklist.remaining,
            last_use,
            checklist,
        }
    }
}

/// A digest of something deprov judged with (the policy pack, the catalogs).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PackDigest {
    /// `embedded` (compiled into deprov) or `embedded+user` (with a `--policies DIR`).
    pub source: String,
    pub sha256: String,
}

/// One input the verification read.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct InputFile {
    /// The path as opened (the scanned path as given, joined with the file's place under it).
    pub path: String,
    /// The format deprov read it as (`aws/credential-report-csv`, `git/repository`, …).
    pub format: String,
    /// `file`, or `directory` for a repository (then `sha256` is the digest of a `sha256sum`
    /// listing of its files, sorted by path, and `size` their total).
    pub kind: String,
    pub size: u64,
    pub sha256: String,
    /// When the export was taken, where it says (RFC 3339).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub exported_at: Option<String>,
}

/// `manifest.json`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Manifest {
    pub schema_version: u32,
    pub tool: String,
    pub deprov_version: String,
    pub identity: String,
    /// The evaluation time (`--now`, or the clock when it was not given).
    pub now: String,
    /// Whether `--now` was given (without it the bundle depends on the clock).
    pub now_given: bool,
    /// The command line, program name first as `deprov`.
    pub command_line: Vec<String>,
    pub policy_pack: PackDigest,
    pub catalog: PackDigest,
    /// Every input read, sorted by path.
    pub inputs: Vec<InputFile>,
}

/// What the command knows beyond the scan.
#[derive(Debug, Clone)]
pub struct Invocation {
    pub command_line: Vec<String>,
    pub now_given: bool,
    pub policy_pack: PackDigest,
    pub catalog: PackDigest,
}

/// Why a bundle could not be written or read.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum EvidenceError {
    #[error("cannot write the evidence bundle {path}: {message}")]
    #[diagnostic(code(deprov::evidence::write))]
    Write { path: String, message: String },
    #[error("cannot read input {path} for the evidence bundle: {message}")]
    #[diagnostic(
        code(deprov::evidence::input),
        help("the file was read by the scan and changed or vanished since; run again")
    )]
    Input { path: String, message: String },
    #[error("{path} is not a readable evidence bundle: {message}")]
    #[diagnostic(
        code(deprov::evidence::bundle),
        help("give the directory `deprov verify … --evidence DIR` wrote")
    )]
    Bundle { path: String, message: String },
}

/// The bundle's files, as bytes, before they are written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Bundle {
    pub manifest: Manifest,
    pub result_json: Vec<u8>,
    pub manifest_json: Vec<u8>,
    pub input_sums: Vec<u8>,
    pub sums: Vec<u8>,
}

/// The manifest's inputs: every source the scan read, hashed now, sorted by path.
pub fn inputs(sources: &[SourceSummary]) -> Result<Vec<InputFile>, EvidenceError> {
    let mut inputs = Vec::with_capacity(sources.len());
    for source in sources {
        let opened = source
            .opened
            .clone()
            .unwrap_or_else(|| PathBuf::from(&source.path));
        let digest = hash_input(&opened).map_err(|e| EvidenceError::Input {
            path: opened.display().to_string(),
            message: e.to_string(),
        })?;
        inputs.push(InputFile {
            path: display_path(&opened),
            format: source.format.clone(),
            kind: if digest.directory {
                "directory"
            } else {
                "file"
            }
            .into(),
            size: digest.size,
            sha256: digest.sha256,
            exported_at: source.exported_at.map(crate::time::format_rfc3339),
        });
    }
    inputs.sort_by(|a, b| (&a.path, &a.format).cmp(&(&b.path, &b.format)));
    inputs.dedup();
    Ok(inputs)
}

/// A path as text with `/` separators, as recorded in the manifest and `inputs.sha256`.
pub fn display_path(path: &Path) -> String {
    let text = path.to_string_lossy().replace('\\', "/");
    text.strip_prefix("./").map(str::to_string).unwrap_or(text)
}

/// Builds the bundle: deterministic for the same checklist, inputs and invocation.
pub fn bundle(
    checklist: &Checklist,
    inputs: Vec<InputFile>,
    invocation: &Invocation,
) -> Result<Bundle, serde_json::Error> {
    let manifest = Manifest {
        schema_version: SCHEMA_VERSION,
        tool: "deprov".into(),
        deprov_version: env!("CARGO_PKG_VERSION").into(),
        identity: checklist.identity.clone(),
        now: checklist.evaluated_at.clone(),
        now_given: invocation.now_given,
        command_line: invocation.command_line.clone(),
        policy_pack: invocation.policy_pack.clone(),
        catalog: invocation.catalog.clone(),
        inputs,
    };
    let result_json = json_bytes(&EvidenceResult::of(checklist))?;
    let manifest_json = json_bytes(&manifest)?;
    let mut input_sums = String::new();
    for input in manifest.inputs.iter().filter(|i| i.kind == "file") {
        input_sums.push_str(&sums_line(&input.sha256, &input.path));
    }
    let sums = [
        sums_line(&sha256_hex(&manifest_json), MANIFEST_FILE),
        sums_line(&sha256_hex(&result_json), RESULT_FILE),
        sums_line(&sha256_hex(input_sums.as_bytes()), INPUT_SUMS_FILE),
    ]
    .concat();
    Ok(Bundle {
        manifest,
        result_json,
        manifest_json,
        input_sums: input_sums.into_bytes(),
        sums: sums.into_bytes(),
    })
}

fn json_bytes<T: Serialize>(value: &T) -> Result<Vec<u8>, serde_json::Error> {
    let mut bytes = serde_json::to_vec_pretty(value)?;
    bytes.push(b'\n');
    Ok(bytes)
}

/// One line of `sha256sum` output. A name with a newline or backslash is written the way GNU
/// `sha256sum` writes it: the line starts with `\` and those characters are escaped.
pub fn sums_line(hex: &str, name: &str) -> String {
    if name.contains(['\n', '\\', '\r']) {
        let escaped = name
            .replace('\\', "\\\\")
            .replace('\n', "\\n")
            .replace('\r', "\\r");
        format!("\\{hex}  {escaped}\n")
    } else {
        format!("{hex}  {name}\n")
    }
}

/// Writes the bundle's files into `dir` (created if needed; files of the same names replaced).
pub fn write(dir: &Path, bundle: &Bundle) -> Result<(), EvidenceError> {
    let fail = |path: &Path, e: std::io::Error| EvidenceError::Write {
        path: path.display().to_string(),
        message: e.to_string(),
    };
    std::fs::create_dir_all(dir).map_err(|e| fail(dir, e))?;
    for (name, bytes) in [
        (RESULT_FILE, &bundle.result_json),
        (MANIFEST_FILE, &bundle.manifest_json),
        (INPUT_SUMS_FILE, &bundle.input_sums),
        (SUMS_FILE, &bundle.sums),
    ] {
        let path = dir.join(name);
        std::fs::write(&path, bytes).map_err(|e| fail(&path, e))?;
    }
    Ok(())
}

/// A bundle as read back for `--check`.
#[derive(Debug)]
pub struct StoredBundle {
    pub manifest: Manifest,
    pub result_json: Vec<u8>,
    /// Bundle files whose hash is not the one `SHA256SUMS` records (or that are missing).
    pub altered: Vec<String>,
}

/// Reads a bundle and checks its files against its `SHA256SUMS`.
pub fn read(dir: &Path) -> Result<StoredBundle, EvidenceError> {
    let bundle_error = |message: String| EvidenceError::Bundle {
        path: dir.display().to_string(),
        message,
    };
    let read = |name: &str| std::fs::read(dir.join(name));
    let sums = read(SUMS_FILE).map_err(|e| bundle_error(format!("{SUMS_FILE}: {e}")))?;
    let manifest_json =
        read(MANIFEST_FILE).map_err(|e| bundle_error(format!("{MANIFEST_FILE}: {e}")))?;
    let manifest: Manifest = serde_json::from_slice(&manifest_json)
        .map_err(|e| bundle_error(format!("{MANIFEST_FILE}: {e}")))?;
    let result_json = read(RESULT_FILE).unwrap_or_default();
    let recorded: BTreeMap<String, String> = String::from_utf8_lossy(&sums)
        .lines()
        .filter_map(|line| {
            let (hex, name) = line.split_once("  ")?;
            Some((name.to_string(), hex.to_string()))
        })
        .collect();
    let mut altered = Vec::new();
    for name in [MANIFEST_FILE, RESULT_FILE, INPUT_SUMS_FILE] {
        let actual = read(name).ok().map(|bytes| sha256_hex(&bytes));
        if actual.is_none() || recorded.get(name) != actual.as_ref() {
            altered.push(name.to_string());
        }
    }
    Ok(StoredBundle {
        manifest,
        result_json,
        altered,
    })
}

/// How a recorded input compares with today's.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct InputChange {
    pub path: String,
    /// `missing` (gone from disk), `changed` (another hash, or no longer read as the same
    /// format), `unreadable`, `not read` (unchanged, but the run again did not read it) or
    /// `added` (read now, not recorded).
    pub change: &'static str,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub recorded_sha256: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_sha256: Option<String>,
}

/// `verify --check`'s verdict.
#[derive(Debug, Clone, Serialize)]
pub struct CheckReport {
    pub identity: String,
    pub now: String,
    /// The evidence still holds: the bundle is intact, every input is unchanged and the
    /// verification run again gives the same result.
    pub holds: bool,
    /// Bundle files that do not match its `SHA256SUMS`.
    pub altered: Vec<String>,
    pub inputs_checked: usize,
    pub inputs: Vec<InputChange>,
    /// The result of the run again is byte-identical to `result.json`.
    pub same_result: bool,
    /// Why the verification could not be run again, if it could not.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub rerun_error: Option<String>,
    /// Differences that do not decide (another deprov version, pack or catalog).
    pub notes: Vec<String>,
}

/// Compares a stored bundle with a fresh one (`None` when the verification could not be run
/// again; `rerun_error` says why).
pub fn compare(
    stored: &StoredBundle,
    fresh: Option<&Bundle>,
    rerun_error: Option<String>,
) -> CheckReport {
    let recorded = &stored.manifest.inputs;
    let current: BTreeMap<&str, &InputFile> = fresh
        .map(|b| {
            b.manifest
                .inputs
                .iter()
                .map(|i| (i.path.as_str(), i))
                .collect()
        })
        .unwrap_or_default();
    let mut changes = Vec::new();
    for input in recorded {
        let (change, current_sha256) = match current.get(input.path.as_str()) {
            Some(now) if now.sha256 == input.sha256 && now.format == input.format => continue,
            Some(now) => ("changed", Some(now.sha256.clone())),
            None => match hash_input(Path::new(&input.path)) {
                Err(_) if !Path::new(&input.path).exists() => ("missing", None),
                Err(_) => ("unreadable", None),
                Ok(digest) if digest.sha256 != input.sha256 => ("changed", Some(digest.sha256)),
                // Unchanged, but the run again did not read it (or could not run).
                Ok(_) if fresh.is_none() => continue,
                Ok(digest) => ("not read", Some(digest.sha256)),
            },
        };
        changes.push(InputChange {
            path: input.path.clone(),
            change,
            recorded_sha256: Some(input.sha256.clone()),
            current_sha256,
        });
    }
    let known: std::collections::BTreeSet<&str> =
        recorded.iter().map(|i| i.path.as_str()).collect();
    for (path, input) in &current {
        if !known.contains(path) {
            changes.push(InputChange {
                path: path.to_string(),
                change: "added",
                recorded_sha256: None,
                current_sha256: Some(input.sha256.clone()),
            });
        }
    }
    changes.sort_by(|a, b| (&a.path, a.change).cmp(&(&b.path, b.change)));
    let same_result = fresh.is_some_and(|b| b.result_json == stored.result_json);
    let mut notes = Vec::new();
    if let Some(fresh) = fresh {
        let (then, now) = (&stored.manifest, &fresh.manifest);
        if then.deprov_version != now.deprov_version {
            notes.push(format!(
                "recorded with deprov {}, checked with {}",
                then.deprov_version, now.deprov_version
            ));
        }
        if then.policy_pack != now.policy_pack {
            notes.push("the policy pack differs from the recorded one".into());
        }
        if then.catalog != now.catalog {
            notes.push("the catalog differs from the recorded one".into());
        }
    }
    CheckReport {
        identity: stored.manifest.identity.clone(),
        now: stored.manifest.now.clone(),
        holds: stored.altered.is_empty() && changes.is_empty() && same_result,
        altered: stored.altered.clone(),
        inputs_checked: recorded.len(),
        inputs: changes,
        same_result,
        rerun_error,
        notes,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sums_lines_escape_like_gnu_sha256sum() {
        assert_eq!(sums_line("ab", "a b"), "ab  a b\n");
        assert_eq!(sums_line("ab", "a\nb\\c"), "\\ab  a\\nb\\\\c\n");
    }

    #[test]
    fn paths_lose_a_leading_dot_slash() {
        assert_eq!(display_path(Path::new("./a/b.json")), "a/b.json");
        assert_eq!(display_path(Path::new("/x/y")), "/x/y");
    }
}
