//! Git repositories (bare or not): the working tree (uncommitted files included) and every blob
//! reachable from every ref, each unique blob scanned once with the secret detectors, located at
//! the oldest commit and path that hold it. Read with libgit2 (git2, vendored).
//!
//! Only secrets are found here; which identity a secret belongs to is decided by correlation,
//! and references to retired identities are found afterwards by `references`, once the
//! inventory knows who is retired.

mod guard;
mod history;
pub mod references;
mod windows;
mod worktree;

use std::collections::BTreeMap;
use std::path::Path;

use git2::Repository;
use rayon::prelude::*;

use crate::inventory::{
    Evidence, ExposureKind, ExposureRecord, SecretConfidence, SourceFamily, SystemRef,
};
use crate::sources::exposure::secrets::{DetectorSet, SecretMatch};

/// How much of a repository to read.
#[derive(Debug, Clone)]
pub struct GitOptions {
    /// Walk history; `--no-history` reads the working tree only.
    pub history: bool,
    /// Only commits after this revision (`--since REV`).
    pub since: Option<String>,
    /// History blobs above this size are not scanned (and counted as unscanned); files are
    /// scanned in windows of this size.
    pub max_blob_bytes: u64,
    /// Files (working trees, plain files) are scanned up to this many bytes; the rest is counted
    /// as unscanned (`limits.max_file_size_mb`).
    pub max_file_bytes: u64,
    /// Read exports, registers and CRLs found in a repository's working tree as data about the
    /// systems (`--trust-repository-exports`). Off by default: a repository is attacker-shaped
    /// input, and a committed export could mark a leaked key inactive or a retired identity
    /// active and so hide a finding. Certificates are read either way (they can only add
    /// findings).
    pub trust_exports: bool,
}

impl Default for GitOptions {
    fn default() -> Self {
        GitOptions {
            history: true,
            since: None,
            max_blob_bytes: 8 * 1024 * 1024,
            max_file_bytes: 512 * 1024 * 1024,
            trust_exports: false,
        }
    }
}

/// What scanning one repository produced.
#[derive(Debug, Default)]
pub struct RepoScan {
    pub exposures: Vec<ExposureRecord>,
    /// What was not scanned, or not wholly: binaries, oversized blobs, unreadable objects.
    pub skipped: Vec<(String, Skip)>,
    pub stats: RepoStats,
    /// The current files (the working tree; HEAD's tree for a bare repository), for the
    /// reference pass: (path shown in reports, where to read it).
    pub current_files: Vec<(String, references::Content)>,
    /// What the user should know that is no damage (a shallow clone's history ends early).
    pub notes: Vec<String>,
}

#[derive(Debug, Default, Clone, Copy)]
pub struct RepoStats {
    pub commits: usize,
    pub blobs: usize,
    pub worktree_files: usize,
    pub bytes_scanned: u64,
}

/// Why a repository could not be read at all.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot read git repository {path}: {message}")]
#[diagnostic(code(deprov::input::git))]
pub struct GitError {
    pub path: String,
    pub message: String,
}

/// A match and where it was found, before deduplication.
struct Located {
    matched: SecretMatch,
    path: String,
    /// Index into the history's commits; `None` in the working tree.
    commit: Option<usize>,
    /// In the current files (the working tree, or HEAD's tree of a bare repository).
    current: bool,
}

/// Scans one repository. `rel` is its path relative to the scanned root (how reports name it).
pub fn scan_repository(
    root: &Path,
    rel: &str,
    options: &GitOptions,
    detectors: &DetectorSet,
) -> Result<RepoScan, GitError> {
    let error = |e: git2::Error| GitError {
        path: rel.to_string(),
        message: e.message().to_string(),
    };
    // libgit2 re-hashes every object it reads to verify it; a scanner reads each blob once and
    // only looks for text in it, so the verification (a quarter of the scan's time) buys nothing.
    git2::opts::strict_hash_verification(false);
    // The working tree is where discovery found `.git`, never what the repository's own config
    // says: `core.bare` would hide it, `core.worktree` would lead the scan out of the root.
    let workdir = root.join(".git").is_dir().then(|| root.to_path_buf());
    let git_dir = match &workdir {
        Some(workdir) => workdir.join(".git"),
        None => root.to_path_buf(),
    };
    let mut scan = RepoScan::default();
    if let (false, Some(workdir)) = (options.history, &workdir) {
        // `--no-history`: the working tree is all that is read, and the git directory is not
        // even opened (a repository cloned with `--reference` borrows objects from elsewhere).
        working_tree_only(workdir, rel, options, detectors, &mut scan);
        return Ok(scan);
    }
    // A git directory deprov cannot open safely, or at all, still leaves its working tree to
    // scan: a broken `.git` must not hide the files next to it.
    // A `.git` that is no repository at all (empty, never initialised) holds no history: no
    // gap. One deprov refused (FIFOs, alternates) or could not open holds history that was not
    // read: the run is incomplete.
    let mut gap = SkipKind::Unreadable;
    let opened = guard::check(&git_dir, root)
        .map_err(|refusal| {
            // Objects borrowed from a reference repository (CI clones with `--reference`) are
            // not damage: unscanned, not a gap in the reading.
            if refusal.borrowed_objects {
                gap = SkipKind::NotScanned;
            }
            GitError {
                path: rel.to_string(),
                message: refusal.reason,
            }
        })
        .and_then(|()| {
            Repository::open_bare(&git_dir).map_err(|e| {
                if e.code() == git2::ErrorCode::NotFound {
                    gap = SkipKind::NotARepository;
                }
                error(e)
            })
        });
    let repo = match (opened, &workdir) {
        (Ok(repo), _) => repo,
        (Err(e), None) => return Err(e),
        (Err(e), Some(workdir)) => {
            working_tree_only(workdir, rel, options, detectors, &mut scan);
            scan.skipped.push((
                rel_or_dot(rel),
                Skip::new(
                    gap,
                    format!(
                        "git directory not read ({}); the working tree was scanned",
                        e.message
                    ),
                ),
            ));
            return Ok(scan);
        }
    };
    let mut located: Vec<Located> = Vec::new();
    let mut commits = Vec::new();
    // Problems of the repository as a whole (unreadable commits, a broken history walk).
    let mut repository_problems: Vec<String> = Vec::new();

    // A bare repository has no working tree: its current files are HEAD's tree.
    let head_blobs: std::collections::HashMap<git2::Oid, String> = if workdir.is_none() {
        history::head_blobs(&repo)
    } else {
        Default::default()
    };
    if options.history {
        let history = history::enumerate(&repo, options.since.as_deref());
        repository_problems.extend(history.problems.iter().cloned());
        scan.notes.extend(history.notes.iter().cloned());
        scan.stats.commits = history.commits.len();
        scan.stats.blobs = history.blobs.len();
        let git_dir = repo.path().to_path_buf();
        let partial_clone = is_partial_clone(&repo);
        // Versions of one file are delta-chained in the pack, newest as the base: reading them
        // together, newest first, keeps the delta bases in libgit2's cache.
        let mut order: Vec<usize> = (0..history.blobs.len()).collect();
        order.sort_by(|&a, &b| {
            let (x, y) = (&history.blobs[a], &history.blobs[b]);
            x.path.cmp(&y.path).then(y.commit.cmp(&x.commit))
        });
        let outcomes: Vec<(usize, BlobOutcome)> = order
            .par_iter()
            .with_min_len(32)
            .map_init(
                || Repository::open_bare(&git_dir).ok(),
                |repo, &i| {
                    (
                        i,
                        scan_blob(
                            repo.as_ref(),
                            &history.blobs[i],
                            options,
                            partial_clone,
                            detectors,
                        ),
                    )
                },
            )
            .collect();
        let mut outcomes = outcomes;
        outcomes.sort_unstable_by_key(|(i, _)| *i);
        for (blob, (_, outcome)) in history.blobs.iter().zip(outcomes) {
            match outcome {
                BlobOutcome::Scanned {
                    bytes,
                    matches,
                    unscanned,
                } => {
                    scan.stats.bytes_scanned += bytes;
                    if unscanned > 0 {
                        scan.skipped.push((
                            format!("{}@{}", blob.path, short(blob.oid)),
                            Skip::past_limit(bytes, unscanned),
                        ));
                    }
                    let current = head_blobs.contains_key(&blob.oid);
                    located.extend(matches.into_iter().map(|matched| Located {
                        matched,
                        path: blob.path.clone(),
                        commit: Some(blob.commit),
                        current,
                    }));
                }
                BlobOutcome::Skipped(skip) => scan
                    .skipped
                    .push((format!("{}@{}", blob.path, short(blob.oid)), skip)),
            }
        }
        commits = history.commits;
    }

    if let Some(workdir) = &workdir {
        scan_working_tree(workdir, rel, options, detectors, &mut scan, &mut located);
    } else {
        let git_dir = repo.path().to_path_buf();
        let mut current: Vec<(String, references::Content)> = head_blobs
            .iter()
            .map(|(oid, path)| {
                (
                    join(rel, path),
                    references::Content::Blob(git_dir.clone(), *oid),
                )
            })
            .collect();
        current.sort_by(|a, b| a.0.cmp(&b.0));
        scan.current_files = current;
    }

    scan.exposures = deduplicate(located, &commits, rel);
    scan.skipped = scan
        .skipped
        .into_iter()
        .map(|(path, skip)| (join(rel, &path), skip))
        .collect();
    scan.skipped.extend(
        repository_problems
            .into_iter()
            .map(|problem| (rel_or_dot(rel), Skip::new(SkipKind::Unreadable, problem))),
    );
    Ok(scan)
}

/// Scans the working tree's files into `located` and lists them as the current files.
/// A repository read without its history: the working tree's files, deduplicated, with what
/// was skipped named from the scan root.
fn working_tree_only(
    workdir: &Path,
    rel: &str,
    options: &GitOptions,
    detectors: &DetectorSet,
    scan: &mut RepoScan,
) {
    let mut located = Vec::new();
    scan_working_tree(workdir, rel, options, detectors, scan, &mut located);
    scan.exposures = deduplicate(located, &[], rel);
    scan.skipped = std::mem::take(&mut scan.skipped)
        .into_iter()
        .map(|(path, skip)| (join(rel, &path), skip))
        .collect();
}

fn scan_working_tree(
    workdir: &Path,
    rel: &str,
    options: &GitOptions,
    detectors: &DetectorSet,
    scan: &mut RepoScan,
    located: &mut Vec<Located>,
) {
    let files = worktree::list(workdir);
    scan.stats.worktree_files = files.len();
    let results: Vec<(String, FileOutcome)> = files
        .par_iter()
        .map(|(path, full)| {
            (
                path.clone(),
                worktree::scan_file(full, path, options, detectors),
            )
        })
        .collect();
    for (path, outcome) in results {
        match outcome {
            FileOutcome::Scanned {
                bytes,
                matches,
                unscanned,
            } => {
                scan.stats.bytes_scanned += bytes;
                if unscanned > 0 {
                    scan.skipped
                        .push((path.clone(), Skip::past_limit(bytes, unscanned)));
                }
                located.extend(matches.into_iter().map(|matched| Located {
                    matched,
                    path: path.clone(),
                    commit: None,
                    current: true,
                }));
            }
            FileOutcome::Skipped(skip) => scan.skipped.push((path.clone(), skip)),
        }
    }
    scan.current_files = files
        .into_iter()
        .map(|(path, full)| (join(rel, &path), references::Content::File(full)))
        .collect();
}

/// How reports name the repository itself (`.` when it is the scanned root).
fn rel_or_dot(rel: &str) -> String {
    if rel.is_empty() {
        ".".to_string()
    } else {
        rel.to_string()
    }
}

pub(crate) enum BlobOutcome {
    Scanned {
        bytes: u64,
        matches: Vec<SecretMatch>,
        /// Bytes past the scan limit, not read.
        unscanned: u64,
    },
    Skipped(Skip),
}

/// Why a file or blob was not scanned, or not wholly.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Skip {
    pub kind: SkipKind,
    pub reason: String,
}

/// What kind of gap a skip leaves.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SkipKind {
    /// Binary content: not text a detector reads. No gap.
    Binary,
    /// Gone between listing and reading. No gap.
    Vanished,
    /// A `.git` directory that is no repository (empty, never initialised). No gap.
    NotARepository,
    /// Text not scanned, wholly or in part: above the scan limits, not fetched (a partial
    /// clone), or objects borrowed from another repository (alternates). Unscanned: a gap only
    /// with `--fail-on-unscanned`.
    NotScanned,
    /// Could not be read (an I/O error, a corrupt object, a broken history): the run is
    /// incomplete.
    Unreadable,
}

impl Skip {
    pub fn new(kind: SkipKind, reason: impl Into<String>) -> Skip {
        Skip {
            kind,
            reason: reason.into(),
        }
    }

    /// A file scanned up to the limit, with `unscanned` bytes after it.
    pub fn past_limit(scanned: u64, unscanned: u64) -> Skip {
        Skip::new(
            SkipKind::NotScanned,
            format!(
                "{unscanned} bytes after the first {scanned} not scanned (limits.max_file_size_mb)"
            ),
        )
    }
}

pub(crate) use BlobOutcome as FileOutcome;

/// Scans one blob of history. Blobs up to the blob limit are scanned whole; larger ones, up to
/// the file limit, in windows like files (libgit2 cannot stream a packed object, so such a blob
/// is in memory while it is read: the file limit bounds it). What is still larger is unscanned.
fn scan_blob(
    repo: Option<&Repository>,
    blob: &history::BlobRef,
    options: &GitOptions,
    partial_clone: bool,
    detectors: &DetectorSet,
) -> BlobOutcome {
    let Some(repo) = repo else {
        return BlobOutcome::Skipped(Skip::new(
            SkipKind::Unreadable,
            "repository could not be reopened for reading",
        ));
    };
    if let Ok(odb) = repo.odb() {
        if let Ok((size, _)) = odb.read_header(blob.oid) {
            if size as u64 > options.max_file_bytes {
                return BlobOutcome::Skipped(Skip::new(
                    SkipKind::NotScanned,
                    format!("blob of {size} bytes above the size limit (limits.max_file_size_mb)"),
                ));
            }
        }
    }
    match repo.find_blob(blob.oid) {
        Ok(object) => {
            let bytes = object.content();
            if bytes.len() as u64 <= options.max_blob_bytes {
                if let Some(kind) = crate::discover::binary::binary_kind(bytes) {
                    return BlobOutcome::Skipped(Skip::new(
                        SkipKind::Binary,
                        format!("binary content ({kind})"),
                    ));
                }
                return BlobOutcome::Scanned {
                    bytes: bytes.len() as u64,
                    matches: detectors.scan(&blob.path, bytes),
                    unscanned: 0,
                };
            }
            let window = usize::try_from(options.max_blob_bytes).unwrap_or(usize::MAX);
            match windows::scan(
                bytes,
                bytes.len() as u64,
                &blob.path,
                window,
                options.max_file_bytes,
                detectors,
            ) {
                Ok(scanned) => BlobOutcome::Scanned {
                    bytes: scanned.scanned,
                    matches: scanned.matches,
                    unscanned: scanned.unscanned,
                },
                Err(windows::NotScanned::Binary(kind)) => BlobOutcome::Skipped(Skip::new(
                    SkipKind::Binary,
                    format!("binary content ({kind})"),
                )),
                Err(windows::NotScanned::Io(e)) => BlobOutcome::Skipped(Skip::new(
                    SkipKind::Unreadable,
                    format!("unreadable object: {e}"),
                )),
            }
        }
        // A partial clone (`--filter=blob:none`) leaves blobs on its promisor remote: not in
        // the repository to scan, and no sign of damage.
        Err(e) if partial_clone && e.code() == git2::ErrorCode::NotFound => {
            BlobOutcome::Skipped(Skip::new(
                SkipKind::NotScanned,
                "blob not fetched in this partial clone",
            ))
        }
        Err(e) => BlobOutcome::Skipped(Skip::new(
            SkipKind::Unreadable,
            format!("unreadable object: {}", e.message()),
        )),
    }
}

/// A partial clone: its config names a promisor remote or the partial-clone extension.
fn is_partial_clone(repo: &Repository) -> bool {
    let Ok(config) = repo.config() else {
        return false;
    };
    config.get_string("extensions.partialclone").is_ok()
        || config
            .entries(Some("remote\\..*\\.promisor"))
            .ok()
            .is_some_and(|mut entries| entries.next().is_some())
}

/// What scanning a plain file found: its exposures, and the bytes past the scan limit that were
/// not read.
pub struct PlainScan {
    pub exposures: Vec<ExposureRecord>,
    pub scanned: u64,
    pub unscanned: u64,
}

/// Scans a file outside any repository (`files:.` system): its secrets, or why it was not read.
pub fn scan_plain_file(
    full: &Path,
    rel: &str,
    options: &GitOptions,
    detectors: &DetectorSet,
) -> Result<PlainScan, Skip> {
    match worktree::scan_file(full, rel, options, detectors) {
        FileOutcome::Skipped(skip) => Err(skip),
        FileOutcome::Scanned {
            matches,
            bytes,
            unscanned,
        } => {
            let system = references::files_system();
            let mut seen = std::collections::BTreeSet::new();
            let exposures = matches
                .into_iter()
                .filter(|m| seen.insert((m.detector.clone(), m.secret_sha256.clone())))
                .map(|matched| ExposureRecord {
                    system: system.clone(),
                    kind: kind_of(&matched),
                    detector: matched.detector.clone(),
                    description: matched.description.clone(),
                    carries: matched.carries.clone(),
                    secret_sha256: matched.secret_sha256.clone(),
                    disclosure: matched.disclosure.clone(),
                    in_working_tree: true,
                    first_commit: None,
                    agent_credential: matched.agent_credential,
                    allowed_rules: matched.allowed_rules.clone(),
                    confidence: Some(matched.confidence),
                    evidence: Evidence::new(rel, matched.description.clone()).at_line(matched.line),
                })
                .collect();
            Ok(PlainScan {
                exposures,
                scanned: bytes,
                unscanned,
            })
        }
    }
}

/// Plain files holding the same secret are one exposure (the fingerprint is the secret's): the
/// first file by path locates it, an inline allow counts only if every file carries it, and its
/// confidence is the highest of the files' (a test fixture only if every file is one).
pub fn merge_plain_exposures(exposures: Vec<ExposureRecord>) -> Vec<ExposureRecord> {
    let mut merged: BTreeMap<(SystemRef, String, String), ExposureRecord> = BTreeMap::new();
    for exposure in exposures {
        let key = (
            exposure.system.clone(),
            exposure.detector.clone(),
            exposure.secret_sha256.clone(),
        );
        match merged.get_mut(&key) {
            None => {
                merged.insert(key, exposure);
            }
            Some(existing) => {
                existing
                    .allowed_rules
                    .retain(|r| exposure.allowed_rules.contains(r));
                let confidence = combine(existing.confidence, exposure.confidence);
                if exposure.evidence.path < existing.evidence.path {
                    let allowed = std::mem::take(&mut existing.allowed_rules);
                    *existing = ExposureRecord {
                        allowed_rules: allowed,
                        ..exposure
                    };
                }
                existing.confidence = confidence;
            }
        }
    }
    merged.into_values().collect()
}

/// The confidence of one secret from two of its occurrences (see [`SecretConfidence::combine`]).
fn combine(a: Option<SecretConfidence>, b: Option<SecretConfidence>) -> Option<SecretConfidence> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.combine(b)),
        (a, b) => a.or(b),
    }
}

/// Binary content (see `discover::binary`): not text a detector reads.
pub(crate) fn is_binary(bytes: &[u8]) -> bool {
    crate::discover::binary::binary_kind(bytes).is_some()
}

fn short(oid: git2::Oid) -> String {
    let text = oid.to_string();
    text[..text.len().min(12)].to_string()
}

fn join(repo: &str, path: &str) -> String {
    if repo.is_empty() || repo == "." {
        path.to_string()
    } else {
        format!("{repo}/{path}")
    }
}

/// One exposure per (detector, secret): the oldest occurrence in history locates it, it is "in
/// the working tree" when the current files still hold it, an inline allow counts only when
/// every occurrence carries it (an allow comment in one file never silences another file), and
/// its confidence is the highest of its occurrences' (a test fixture only if all are).
fn deduplicate(
    located: Vec<Located>,
    commits: &[history::CommitInfo],
    rel: &str,
) -> Vec<ExposureRecord> {
    let system = SystemRef::new(SourceFamily::Git, if rel.is_empty() { "." } else { rel });
    let mut by_secret: BTreeMap<(String, String), (Located, bool)> = BTreeMap::new();
    for item in located {
        let key = (
            item.matched.detector.clone(),
            item.matched.secret_sha256.clone(),
        );
        let in_worktree = item.current;
        match by_secret.get_mut(&key) {
            None => {
                by_secret.insert(key, (item, in_worktree));
            }
            Some((existing, worktree)) => {
                *worktree |= in_worktree;
                let allowed: Vec<String> = existing
                    .matched
                    .allowed_rules
                    .iter()
                    .filter(|rule| item.matched.allowed_rules.contains(rule))
                    .cloned()
                    .collect();
                let confidence = existing.matched.confidence.combine(item.matched.confidence);
                let older = match (item.commit, existing.commit) {
                    (Some(new), Some(old)) => new < old,
                    (Some(_), None) => true,
                    _ => false,
                };
                if older {
                    existing.matched = item.matched;
                    existing.path = item.path;
                    existing.commit = item.commit;
                }
                existing.matched.allowed_rules = allowed;
                existing.matched.confidence = confidence;
            }
        }
    }
    by_secret
        .into_values()
        .map(|(item, in_working_tree)| {
            let commit = item.commit.and_then(|c| commits.get(c));
            let first_commit = commit.map(|c| c.id.to_string());
            let detail = match commit {
                Some(c) => format!(
                    "{} (first committed in {} on {}{})",
                    item.matched.description,
                    short(c.id),
                    jiff::Timestamp::from_second(c.time)
                        .map(|t| crate::time::format_rfc3339(t)[..10].to_string())
                        .unwrap_or_default(),
                    if in_working_tree {
                        "; still in the working tree"
                    } else {
                        "; removed from the working tree, still in history"
                    }
                ),
                None => format!(
                    "{} (in the working tree, not committed)",
                    item.matched.description
                ),
            };
            ExposureRecord {
                system: system.clone(),
                kind: kind_of(&item.matched),
                detector: item.matched.detector.clone(),
                description: item.matched.description.clone(),
                carries: item.matched.carries.clone(),
                secret_sha256: item.matched.secret_sha256.clone(),
                disclosure: item.matched.disclosure.clone(),
                in_working_tree,
                first_commit,
                agent_credential: item.matched.agent_credential,
                allowed_rules: item.matched.allowed_rules.clone(),
                confidence: Some(item.matched.confidence),
                evidence: Evidence::new(join(rel, &item.path), detail).at_line(item.matched.line),
            }
        })
        .collect()
}

/// An identifier found without its secret is a reference to a credential, not a leak of one:
/// it can correlate with the inventory (DPV008) but never be LEAK001 on its own.
fn kind_of(matched: &SecretMatch) -> ExposureKind {
    if matched.identifier_only {
        ExposureKind::Reference
    } else {
        ExposureKind::Secret
    }
}
