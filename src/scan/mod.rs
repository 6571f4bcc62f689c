//! The scan pipeline: discover → parse (parallel) → assemble → correlate → evaluate → findings.
//! Each stage is one call into its module; this file only wires them and keeps the accounting of
//! what was read and what was skipped.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use miette::Diagnostic;
use rayon::prelude::*;

use crate::catalog::Catalog;
use crate::config::Config;
use crate::discover::probe::Probe;
use crate::discover::{self, DiscoverError, FileInput};
use crate::engine::{self, PolicyPack};
use crate::findings;
use crate::inventory::{apply_verdicts, correlate_exposures, ExposureRecord, SystemRef};
use crate::inventory::{correlate, correlate_share, AccountJoin, Inventory, Share};

mod by_family;
use crate::result::{ScanResult, Skipped, Totals, NO_REGISTER};
use crate::shard::{Shard, ShardFacts};
use crate::sources::exposure::git::{self, references, GitOptions};
use crate::sources::exposure::secrets::DetectorSet;
use crate::sources::{self, ParseContext, ParsedFile, SourceError, SourceSummary};

/// What a scan needs, resolved once from the command line and the config.
pub struct ScanPlan {
    pub paths: Vec<PathBuf>,
    /// Register files named outside the scanned paths (`--register`, config `register:`).
    pub register_files: Vec<PathBuf>,
    /// Judge exports without a lifecycle register on purpose (`--without-register`): then no
    /// register is no gap.
    pub without_register: bool,
    pub now: Timestamp,
    pub config: Config,
    pub catalog: Catalog,
    pub pack: PolicyPack,
    pub source_options: ParseContext,
    /// Accepted findings of an earlier run (`--baseline`).
    pub baseline: Option<crate::triage::Baseline>,
    /// How repositories are read (`--no-history`, `--since`, size limit).
    pub git: GitOptions,
    /// Secret detectors: the built-in catalog plus the user's.
    pub detectors: DetectorSet,
    /// This machine's part of a sharded run (`--shard K/N`); `None` runs everything.
    pub shard: Option<Shard>,
}

/// What the repository stage leaves out, in the result's terms. It lives here, not beside
/// [`Skipped`], so that the result module does not depend on the repository stage.
impl Skipped {
    /// A file or blob the secret scan left out, by the gap it leaves.
    pub fn of_scan(path: impl Into<String>, skip: git::Skip) -> Skipped {
        match skip.kind {
            git::SkipKind::Binary | git::SkipKind::Vanished | git::SkipKind::NotARepository => {
                Skipped::ignored(path, skip.reason)
            }
            git::SkipKind::NotScanned => Skipped::unscanned(path, skip.reason),
            git::SkipKind::Unreadable => Skipped::unread(path, skip.reason),
        }
    }
}

/// Why a scan could not complete.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ScanError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Discover(#[from] DiscoverError),
    /// The register is the source of truth: a broken one stops the scan.
    #[error(transparent)]
    #[diagnostic(transparent)]
    Register(SourceError),
    /// Register files that declare the same identity, owner or alias.
    #[error(transparent)]
    #[diagnostic(transparent)]
    RegisterConflicts(#[from] sources::RegisterConflicts),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Engine(#[from] engine::entities::EntityError),
    /// Mapped inventories whose mapping does not fit them (a column the file does not have), or
    /// a file two mappings match: the config is wrong. Every problem of every file at once.
    #[error("the config's inventory mappings do not fit their files ({} problem(s))", problems.len())]
    #[diagnostic(
        code(deprov::config::inventory_mismatch),
        help("fix the mappings under `inventories:` in the config: each problem names the columns or fields its file has")
    )]
    Mapping {
        #[related]
        problems: Vec<crate::diagnostic::Problem>,
    },
    /// A shard recognises an export in its first sweep and parses it later (`by_family`); it
    /// changed in between.
    #[error("{path} changed while the scan read it (its length, modification time or head differs from what the scan first saw): the format it was recognised in may not be the one it holds")]
    #[diagnostic(
        code(deprov::input::changed),
        help("run the scan again on exports that no job is writing")
    )]
    ChangedDuringScan { path: String },
    /// A shard sets its credentials and grants aside in a temporary file until it knows which
    /// are its own (`inventory::spill`).
    #[error("a shard could not set its credentials and grants aside: {0}")]
    #[diagnostic(
        code(deprov::scan::spill),
        help("a shard writes every credential and grant of the organisation to a temporary file while it joins the accounts (340 MB at a million credentials, grants included): give the directory in TMPDIR room, or point TMPDIR at one that has it")
    )]
    Spill(crate::inventory::spill::SpillError),
}

enum FileOutcome {
    Parsed(Box<ParsedFile>),
    /// Not an export: read by the secret detectors instead (and what of it was past the scan
    /// limit).
    Scanned {
        summary: SourceSummary,
        exposures: Vec<ExposureRecord>,
        unscanned: Option<Skipped>,
        /// Why a file that looks like an export was not read as one (`sources::near_miss`).
        not_read: Option<Skipped>,
    },
    /// Not an export, inside a repository's working tree: the repository scan reads it.
    InRepository,
    Skipped(Skipped),
    /// A register that cannot be read.
    Fatal(SourceError),
    /// A mapped inventory its mapping does not fit: problems of the config.
    Mismatch(Vec<crate::diagnostic::Problem>),
    /// An export whose parsing is left to a shard's reading one family at a time
    /// (`by_family`), with what its probe found.
    Deferred(Box<by_family::Recognised>),
}

/// How a file relates to the register files named with `--register` or the config's
/// `register:`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum RegisterRole {
    /// This file is a named register: it is read as one, whatever detection says.
    Named,
    /// Another file; `named_exist` says whether a register was named at all (then no other
    /// register is read).
    Other { named_exist: bool },
}

/// What a file that is not an export holds: secrets for the detectors.
fn scan_plain_file(input: &FileInput, plan: &ScanPlan) -> FileOutcome {
    match git::scan_plain_file(&input.path, &input.rel, &plan.git, &plan.detectors) {
        Ok(scan) => FileOutcome::Scanned {
            summary: SourceSummary {
                path: input.rel.clone(),
                format: "files/text".into(),
                records: scan.exposures.len(),
                warnings: Vec::new(),
                detail: None,
                opened: Some(input.path.clone()),
                exported_at: None,
            },
            exposures: scan.exposures,
            unscanned: (scan.unscanned > 0).then(|| {
                Skipped::of_scan(
                    input.rel.clone(),
                    git::Skip::past_limit(scan.scanned, scan.unscanned),
                )
            }),
            not_read: None,
        },
        Err(skip) => FileOutcome::Skipped(Skipped::of_scan(input.rel.clone(), skip)),
    }
}

/// Reads a file that `inventories:` maps with mapping `mapping`. It was named on purpose, like
/// a named register: read as data wherever it is, and anything that keeps it from being read is
/// a gap in the reading.
fn read_mapped(input: &FileInput, plan: &ScanPlan, mapping: usize, defer: bool) -> FileOutcome {
    use sources::mapped;
    let inventories = &plan.source_options.inventories;
    let Some(spec) = inventories.get(mapping) else {
        return FileOutcome::Skipped(Skipped::unread(
            input.rel.clone(),
            format!("inventories[{mapping}] is not a mapping of the config"),
        ));
    };
    let label = spec.label();
    let probe = match Probe::read(input, plan.config.limits.max_file_bytes()) {
        Ok(probe) => probe,
        Err(e) => {
            return FileOutcome::Skipped(Skipped::unread(
                input.rel.clone(),
                format!("{label}: cannot read: {e}"),
            ))
        }
    };
    let Some(format) = mapped::format_of(&probe, spec)
        .and_then(|format| sources::Detected::of(&mapped::Mapped, format))
    else {
        return FileOutcome::Skipped(Skipped::unread(
            input.rel.clone(),
            format!("{label}: neither its content nor its name says whether it is CSV, JSON, JSON lines or YAML; set `format:` in the mapping"),
        ));
    };
    if defer {
        return FileOutcome::Deferred(Box::new(by_family::Recognised::of(&probe, format)));
    }
    parse_mapped(input, &probe, format, plan, mapping)
}

/// The parse of a mapped file (see [`read_mapped`]).
fn parse_mapped(
    input: &FileInput,
    probe: &Probe,
    format: sources::Detected,
    plan: &ScanPlan,
    mapping: usize,
) -> FileOutcome {
    let label = plan
        .source_options
        .inventories
        .get(mapping)
        .map_or_else(|| format!("inventories[{mapping}]"), |spec| spec.label());
    let context = ParseContext {
        mapping: Some(mapping),
        ..plan.source_options.clone()
    };
    match sources::parse(probe, format, &context) {
        Ok(parsed) => FileOutcome::Parsed(Box::new(parsed)),
        Err(SourceError::Mapping { problems, .. }) => FileOutcome::Mismatch(problems),
        Err(e) => FileOutcome::Skipped(Skipped::unread(
            input.rel.clone(),
            format!("{} ({label}): {}", format.name(), e.reason()),
        )),
    }
}

/// Why a file was not recognised: its size when only its head was read, else its content.
fn unrecognised_reason(input: &FileInput, probe: &Probe, max_bytes: u64) -> String {
    if input.size > max_bytes {
        format!(
            "{} bytes, above the size limit (limits.max_file_size_mb)",
            input.size
        )
    } else {
        sources::unrecognised_reason(probe)
    }
}

fn read_file(
    input: &FileInput,
    plan: &ScanPlan,
    in_repository: bool,
    role: RegisterRole,
    defer: bool,
) -> FileOutcome {
    use crate::discover::probe::Content;
    let max_bytes = plan.config.limits.max_file_bytes();
    let options = &plan.source_options;
    let probe = match Probe::read(input, max_bytes) {
        Ok(probe) => probe,
        Err(e) if role == RegisterRole::Named => {
            return FileOutcome::Fatal(SourceError::io(input.rel.clone(), e.to_string()))
        }
        // Gone between discovery and reading: no longer an input.
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return FileOutcome::Skipped(Skipped::ignored(
                input.rel.clone(),
                format!("cannot read: {e} (removed during the scan)"),
            ))
        }
        // Whatever it holds was not read: it could be an export.
        Err(e) => {
            return FileOutcome::Skipped(Skipped::unread(
                input.rel.clone(),
                format!("cannot read: {e}"),
            ))
        }
    };
    if role == RegisterRole::Named {
        let Some(format) = sources::Detected::of(
            &sources::register::LifecycleRegister,
            sources::register::format_of_named(&probe),
        ) else {
            return FileOutcome::Fatal(SourceError::io(
                input.rel.clone(),
                "the register family does not know this format",
            ));
        };
        return match sources::parse(&probe, format, options) {
            Ok(parsed) => FileOutcome::Parsed(Box::new(parsed)),
            Err(e) => FileOutcome::Fatal(e),
        };
    }
    let Some(format) = sources::detect(&probe) else {
        if in_repository {
            return FileOutcome::InRepository;
        }
        // A broken or truncated document whose readable part has an export's shape is an
        // export that could not be read.
        if let Some(format) = sources::detect_broken(&probe) {
            let why = unrecognised_reason(input, &probe, max_bytes);
            return FileOutcome::Skipped(Skipped::unread(
                input.rel.clone(),
                format!("{}: {why}", format.name()),
            ));
        }
        // An agent's configuration with comments (VS Code's `mcp.json`, Zed's settings) is
        // JSONC: text for the detectors, not a failed export.
        if probe.bytes.as_deref().is_some_and(|bytes| {
            sources::exposure::secrets::is_agent_configuration(&input.rel, bytes)
        }) {
            return scan_plain_file(input, plan);
        }
        if let Some(why) = failed_export(input, &probe, max_bytes) {
            return FileOutcome::Skipped(Skipped::unread(input.rel.clone(), why));
        }
        if matches!(
            probe.content,
            Content::Text
                | Content::Yaml { .. }
                | Content::Csv { .. }
                | Content::Pem
                | Content::Json(_)
                | Content::JsonLines(_)
        ) {
            // A file shaped like an export that no family reads is listed with the closest
            // known shape (an older API version, another tool's wrapper), and still scanned.
            let not_read = sources::near_miss::near_miss(&probe.content)
                .map(|reason| Skipped::ignored(input.rel.clone(), reason));
            return match scan_plain_file(input, plan) {
                FileOutcome::Scanned {
                    summary,
                    exposures,
                    unscanned,
                    ..
                } => FileOutcome::Scanned {
                    summary,
                    exposures,
                    unscanned,
                    not_read,
                },
                other => other,
            };
        }
        // Text that is not UTF-8 (Latin-1, a stray invalid byte) is still text to the secret
        // detectors, as it is in a repository: only NUL bytes make content binary, otherwise one
        // invalid byte would hide every secret of a file.
        if probe.content == Content::Binary && !git::is_binary(&probe.head) {
            return scan_plain_file(input, plan);
        }
        let reason = unrecognised_reason(input, &probe, max_bytes);
        return FileOutcome::Skipped(Skipped::ignored(input.rel.clone(), reason));
    };
    let trusted = !in_repository || plan.git.trust_exports;
    if !trusted && format.in_repository() == sources::InRepository::Refused {
        // The repository scan still reads it for secrets and references.
        return FileOutcome::Skipped(Skipped::ignored(
            input.rel.clone(),
            format!(
                "{} inside a git repository: read as code, not as data \
                 (--trust-repository-exports reads it)",
                format.name()
            ),
        ));
    }
    let is_register = format.is_register();
    if is_register && role == (RegisterRole::Other { named_exist: true }) {
        // The register named by whoever runs the scan is the source of truth; one found among
        // the scanned data (a pull request can add files there) must not re-declare it.
        return FileOutcome::Skipped(Skipped::ignored(
            input.rel.clone(),
            format!(
                "{}: not read, since the register is named explicitly (--register or the config's register:)",
                format.name()
            ),
        ));
    }
    if defer && !is_register {
        return FileOutcome::Deferred(Box::new(by_family::Recognised::of(&probe, format)));
    }
    parse_export(input, &probe, format, plan, in_repository)
}

/// The parse of a recognised export (see [`read_file`]).
fn parse_export(
    input: &FileInput,
    probe: &Probe,
    format: sources::Detected,
    plan: &ScanPlan,
    in_repository: bool,
) -> FileOutcome {
    let trusted = !in_repository || plan.git.trust_exports;
    let is_register = format.is_register();
    match sources::parse(probe, format, &plan.source_options) {
        Ok(parsed) if trusted => FileOutcome::Parsed(Box::new(parsed)),
        Ok(parsed) => FileOutcome::Parsed(Box::new(sources::for_repository(parsed))),
        Err(e) if is_register => FileOutcome::Fatal(e),
        // Certificates inside a repository are read on a best-effort basis (test fixtures are
        // often broken on purpose); a data path's are not.
        Err(e) if in_repository || e.is_unusable() => FileOutcome::Skipped(Skipped::ignored(
            input.rel.clone(),
            format!("{}: {}", format.name(), e.reason()),
        )),
        Err(e) => FileOutcome::Skipped(Skipped::unread(
            input.rel.clone(),
            format!("{}: {}", format.name(), e.reason()),
        )),
    }
}

/// A data file whose name says it holds JSON or CSV and whose content is none (empty, an error
/// message a CLI printed, JSON cut short before anything recognisable): most likely an export
/// that failed, so a gap rather than "not an export". The name is only a hint here; what a file
/// is, is decided by its content.
fn failed_export(input: &FileInput, probe: &Probe, max_bytes: u64) -> Option<String> {
    use crate::discover::probe::Content;
    let extension = input
        .path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase)?;
    match extension.as_str() {
        "json" | "jsonl" | "ndjson" => match probe.content {
            Content::Json(_) | Content::JsonLines(_) => None,

            _ if input.size > max_bytes => Some(format!(
                "a .{extension} file of {} bytes, above the size limit (limits.max_file_size_mb): not read",
                input.size
            )),
            _ if input.size == 0 => Some(format!("an empty .{extension} file: an export that failed?")),
            _ => Some(format!(
                "a .{extension} file that holds no JSON ({}): an export that failed or was cut short?",
                sources::unrecognised_reason(probe)
            )),
        },
        "csv" if input.size == 0 => Some("an empty .csv file: an export that failed?".into()),
        _ => None,
    }
}

/// Which files are a repository's content (code: secrets and references only) rather than data.
/// The nearest enclosing directory decides: a file whose closest enclosing root is a repository
/// is code; one inside a path named on the command line that is not itself a repository (an
/// `exports/` directory of artifacts in a CI checkout) is data, since naming it is the decision
/// to trust it. Paths are compared canonically, so `.` and `./exports` meet.
struct RepositoryTrust {
    repositories: Vec<PathBuf>,
    named: Vec<PathBuf>,
}

impl RepositoryTrust {
    fn new(repositories: &[crate::discover::FileInput], named: &[PathBuf]) -> Self {
        let canonical = |p: &Path| p.canonicalize().unwrap_or_else(|_| p.to_path_buf());
        let repositories: Vec<PathBuf> = repositories.iter().map(|r| canonical(&r.path)).collect();
        let named = named
            .iter()
            .map(|p| canonical(p))
            .filter(|p| !repositories.contains(p))
            .collect();
        RepositoryTrust {
            repositories,
            named,
        }
    }

    fn is_code(&self, file: &Path) -> bool {
        if self.repositories.is_empty() {
            return false;
        }
        // The directory holding the file decides: a link out of a repository is that
        // repository's content wherever it points.
        let file = match (file.parent(), file.file_name()) {
            (Some(parent), Some(name)) => parent
                .canonicalize()
                .map(|p| p.join(name))
                .unwrap_or_else(|_| file.to_path_buf()),
            _ => file.to_path_buf(),
        };
        let depth = |roots: &[PathBuf]| {
            roots
                .iter()
                .filter(|root| file.starts_with(root))
                .map(|root| root.components().count())
                .max()
        };
        match (depth(&self.repositories), depth(&self.named)) {
            (Some(repository), Some(named)) => repository >= named,
            (Some(_), None) => true,
            (None, _) => false,
        }
    }
}

/// What a long scan tells its caller while it runs; the CLI draws a progress bar from it.
/// Every method has a silent default, and calls come from worker threads.
pub trait Progress: Sync {
    /// A stage begins; `total` is its number of steps when known (files, requests).
    fn stage(&self, _name: &str, _total: Option<u64>) {}
    /// Steps of the current stage are done.
    fn advance(&self, _steps: u64) {}
    /// The scan is over (successfully or not).
    fn finish(&self) {}
}

/// No progress reporting (library callers, tests, benchmarks, CI).
pub struct Silent;

impl Progress for Silent {}

/// What reading the inputs produced.
pub struct Inputs {
    /// Parsed files, in discovery order.
    pub parsed: Vec<ParsedFile>,
    /// Exports recognised but not parsed yet (a shard's reading, [`by_family`]), in discovery
    /// order.
    pub deferred: Vec<by_family::Deferred>,
    pub skipped: Vec<Skipped>,
    /// Path shown in reports → path to open.
    pub paths: BTreeMap<String, PathBuf>,
    /// Secrets found in repositories and plain files.
    pub exposures: Vec<ExposureRecord>,
    /// Files read by the secret detectors and repositories read, for the `sources` list.
    pub scanned: Vec<SourceSummary>,
    /// Current files of repositories and plain files, for the reference pass once the
    /// inventory is known.
    pub reference_files: Vec<(SystemRef, String, references::Content)>,
}

/// Adds the register files named with `--register` or the config to the discovered files and
/// returns their indices. A named file that is also among the scanned paths is that file, read
/// once under the path the scan shows it by. One that cannot be walked (missing, a FIFO, a link
/// out of its directory) stops the scan: the register is the source of truth.
fn name_registers(
    discovered: &mut discover::Discovered,
    register_files: &[PathBuf],
) -> Result<std::collections::HashSet<usize>, ScanError> {
    let mut named = std::collections::HashSet::new();
    // The same file named twice (by two names, a link) is one register.
    let mut canonical_named = std::collections::HashSet::new();
    for register in register_files {
        if let Ok(canonical) = register.canonicalize() {
            if !canonical_named.insert(canonical) {
                continue;
            }
        }
        let more = discover::discover(std::slice::from_ref(register))?;
        if let Some(excluded) = more.excluded.into_iter().next() {
            return Err(ScanError::Discover(DiscoverError {
                path: register.display().to_string(),
                message: excluded.reason,
            }));
        }
        for file in more.files {
            // Only files of the same name can be the same file: canonicalize just those.
            let canonical = file.path.canonicalize().ok();
            let existing = discovered.files.iter().position(|f| {
                f.path.file_name() == file.path.file_name()
                    && (f.path == file.path
                        || canonical.is_some() && f.path.canonicalize().ok() == canonical)
            });
            let index = existing.unwrap_or_else(|| {
                discovered.files.push(file);
                discovered.files.len() - 1
            });
            named.insert(index);
        }
    }
    Ok(named)
}

/// Adds the files the config's `inventories:` map to the discovered files: a mapped file that
/// is also among the scanned paths is that file (read once, with its mapping, never as an
/// unknown file), under the path the scan shows it by. Returns the mapping of each mapped file
/// by its index, and the mappings' paths that name nothing readable (gaps in the reading). A
/// file named as the register stays the register.
fn name_mapped(
    discovered: &mut discover::Discovered,
    inventories: &sources::mapped::Inventories,
    registers: &std::collections::HashSet<usize>,
) -> Result<(std::collections::HashMap<usize, usize>, Vec<Skipped>), ScanError> {
    use std::collections::HashMap;
    let mut mapped: HashMap<usize, usize> = HashMap::new();
    if inventories.is_empty() {
        return Ok((mapped, Vec::new()));
    }
    let resolved = sources::mapped::resolve(inventories);
    let gaps = resolved
        .gaps
        .into_iter()
        .map(|(path, reason)| Skipped::unread(path, reason))
        .collect();
    // Only files of the same name can be the same file: canonicalize just those.
    let mut by_name: HashMap<std::ffi::OsString, Vec<usize>> = HashMap::new();
    for (i, file) in discovered.files.iter().enumerate() {
        if let Some(name) = file.path.file_name() {
            by_name.entry(name.to_os_string()).or_default().push(i);
        }
    }
    let mut problems = Vec::new();
    for file in resolved.files {
        let name = file.input.path.file_name().map(|n| n.to_os_string());
        let canonical = file.input.path.canonicalize().ok();
        let existing = name
            .as_ref()
            .and_then(|name| by_name.get(name))
            .and_then(|candidates| {
                candidates.iter().copied().find(|&i| {
                    let path = &discovered.files[i].path;
                    *path == file.input.path
                        || canonical.is_some() && path.canonicalize().ok() == canonical
                })
            });
        let index = existing.unwrap_or_else(|| {
            discovered.files.push(file.input.clone());
            let index = discovered.files.len() - 1;
            if let Some(name) = name {
                by_name.entry(name).or_default().push(index);
            }
            index
        });
        if registers.contains(&index) {
            continue;
        }
        if let Some(other) = mapped.insert(index, file.mapping) {
            if other != file.mapping {
                problems.push(inventories.problem(
                    &format!("inventories[{}].path", file.mapping),
                    "matched twice",
                    format!(
                        "{} is also matched by inventories[{other}]: a file is read with one mapping",
                        discovered.files[index].rel
                    ),
                    Some("narrow one of the two paths"),
                ));
            }
        }
    }
    if !problems.is_empty() {
        return Err(ScanError::Mapping { problems });
    }
    Ok((mapped, gaps))
}

/// Reads and parses every input; the result is ordered as the inputs were.
pub fn read_inputs(plan: &ScanPlan) -> Result<Inputs, ScanError> {
    read_inputs_observed(plan, &Silent)
}

/// [`read_inputs`], reporting progress.
pub fn read_inputs_observed(plan: &ScanPlan, progress: &dyn Progress) -> Result<Inputs, ScanError> {
    read_inputs_deferring(plan, progress, false)
}

/// [`read_inputs_observed`]; with `defer`, exports other than the register are only recognised
/// here, and listed in [`Inputs::deferred`] for a shard's reading one family at a time.
fn read_inputs_deferring(
    plan: &ScanPlan,
    progress: &dyn Progress,
    defer: bool,
) -> Result<Inputs, ScanError> {
    progress.stage("discovering inputs", None);
    let mut discovered = discover::discover(&plan.paths)?;
    let named = name_registers(&mut discovered, &plan.register_files)?;
    let (mapped, mapped_gaps) =
        name_mapped(&mut discovered, &plan.source_options.inventories, &named)?;
    let trust = RepositoryTrust::new(&discovered.repositories, &plan.paths);
    progress.stage("reading files", Some(discovered.files.len() as u64));
    // Largest first: one big file (a 70 MB register) started last would leave the other cores
    // idle while it is parsed alone.
    let mut largest_first: Vec<usize> = (0..discovered.files.len()).collect();
    largest_first.sort_by_key(|&i| std::cmp::Reverse(discovered.files[i].size));
    let mut outcomes: Vec<(usize, FileOutcome)> = largest_first
        .into_par_iter()
        // Splitting to single files keeps the others stealing while one thread parses the big one.
        .with_max_len(1)
        .map(|i| {
            let input = &discovered.files[i];
            if let Some(&mapping) = mapped.get(&i) {
                let outcome = read_mapped(input, plan, mapping, defer);
                progress.advance(1);
                return (i, outcome);
            }
            let role = if named.contains(&i) {
                RegisterRole::Named
            } else {
                RegisterRole::Other {
                    named_exist: !named.is_empty(),
                }
            };
            let in_repository = role != RegisterRole::Named && trust.is_code(&input.path);
            let outcome = read_file(input, plan, in_repository, role, defer);
            progress.advance(1);
            (i, outcome)
        })
        .collect();
    outcomes.sort_unstable_by_key(|&(i, _)| i);
    let outcomes = outcomes.into_iter().map(|(_, outcome)| outcome);

    let paths: BTreeMap<String, PathBuf> = discovered
        .files
        .iter()
        .map(|f| (f.rel.clone(), f.path.clone()))
        .collect();
    let mut parsed = Vec::new();
    // What discovery could not reach in a data path could have been an export: a gap. In a
    // repository it is content the repository scan lists in its own way.
    let mut skipped: Vec<Skipped> = discovered
        .excluded
        .into_iter()
        .map(|e| {
            if e.could_be_data && !trust.is_code(&e.full) {
                Skipped::unread(e.path, e.reason)
            } else {
                Skipped::ignored(e.path, e.reason)
            }
        })
        .collect();
    skipped.extend(mapped_gaps);
    let mut mismatches = Vec::new();
    let mut exposures = Vec::new();
    let mut scanned = Vec::new();
    let mut reference_files = Vec::new();
    let mut deferred = Vec::new();
    // Keystores derive their keys here, in path order, against one budget for the scan.
    let mut kdf_budget = sources::certs::KdfBudget::of(plan.config.limits.keystore_kdf_iterations);
    for (i, (input, outcome)) in discovered.files.iter().zip(outcomes).enumerate() {
        match outcome {
            FileOutcome::Deferred(recognised) => {
                let how = match mapped.get(&i) {
                    Some(&mapping) => by_family::Reread::Mapped(mapping),
                    None => by_family::Reread::File {
                        in_repository: trust.is_code(&input.path),
                    },
                };
                deferred.push(by_family::Deferred {
                    input: input.clone(),
                    recognised: *recognised,
                    how,
                });
            }
            FileOutcome::Parsed(mut p) => {
                match sources::settle(&mut p, &mut kdf_budget) {
                    Ok(()) => parsed.push(*p),
                    // A keystore past the key-derivation budget: in a repository a file read
                    // on a best-effort basis, in a data path a store left unread.
                    Err(reason) if trust.is_code(&input.path) => {
                        skipped.push(Skipped::ignored(input.rel.clone(), reason))
                    }
                    Err(reason) => skipped.push(Skipped::unread(input.rel.clone(), reason)),
                }
            }
            FileOutcome::Scanned {
                summary,
                exposures: found,
                unscanned,
                not_read,
            } => {
                scanned.push(summary);
                skipped.extend(unscanned);
                skipped.extend(not_read);
                exposures.extend(found);
                reference_files.push((
                    references::files_system(),
                    input.rel.clone(),
                    references::Content::File(input.path.clone()),
                ));
            }
            FileOutcome::InRepository => {}
            FileOutcome::Skipped(s) => skipped.push(s),
            FileOutcome::Fatal(e) => return Err(ScanError::Register(e)),
            FileOutcome::Mismatch(problems) => mismatches.extend(problems),
        }
    }
    if !mismatches.is_empty() {
        return Err(ScanError::Mapping {
            problems: mismatches,
        });
    }
    let mut exposures = git::merge_plain_exposures(exposures);
    let owned = |rel: &str| {
        plan.shard
            .is_none_or(|shard| shard.owns(&crate::shard::Shard::repository_key(rel)))
    };
    let repository_paths: Vec<PathBuf> = discovered
        .repositories
        .iter()
        .map(|r| r.path.clone())
        .collect();
    for repo in discovered
        .repositories
        .into_iter()
        .filter(|r| owned(&r.rel))
    {
        progress.stage(&format!("scanning repository {}", repo.rel), None);
        // A repository inside another one's working tree (a test fixture, a vendored clone)
        // that cannot be read is unscanned rather than a gap: its files are the outer
        // repository's content, which is read.
        let nested = repository_paths
            .iter()
            .any(|outer| *outer != repo.path && repo.path.starts_with(outer));
        let gap = |skipped: Skipped| {
            if nested && skipped.incomplete {
                Skipped::unscanned(skipped.path, skipped.reason)
            } else {
                skipped
            }
        };
        match git::scan_repository(&repo.path, &repo.rel, &plan.git, &plan.detectors) {
            Ok(mut scan) => {
                scanned.push(SourceSummary {
                    path: repo.rel.clone(),
                    format: if plan.git.history {
                        "git/repository".into()
                    } else {
                        "git/working-tree".into()
                    },
                    records: scan.exposures.len(),
                    warnings: std::mem::take(&mut scan.notes),
                    detail: Some(format!(
                        "{} commits, {} unique blobs and {} working-tree files, {} scanned",
                        scan.stats.commits,
                        scan.stats.blobs,
                        scan.stats.worktree_files,
                        human_bytes(scan.stats.bytes_scanned)
                    )),
                    opened: Some(repo.path.clone()),
                    exported_at: None,
                });
                let system = SystemRef::new(crate::inventory::SourceFamily::Git, repo.rel.clone());
                reference_files.extend(
                    scan.current_files
                        .into_iter()
                        .map(|(rel, content)| (system.clone(), rel, content)),
                );
                exposures.extend(scan.exposures);
                skipped.extend(
                    scan.skipped
                        .into_iter()
                        .map(|(path, skip)| gap(Skipped::of_scan(path, skip))),
                );
            }
            Err(e) => skipped.push(gap(Skipped::unread(repo.rel.clone(), e.to_string()))),
        }
    }
    skipped.sort();
    Ok(Inputs {
        deferred,
        parsed,
        skipped,
        paths,
        exposures,
        scanned,
        reference_files,
    })
}

/// Wall time of each stage of a scan (for the benchmarks and `--verbose` reporting).
#[derive(Debug, Clone, Copy, Default)]
pub struct StageTimings {
    pub read: std::time::Duration,
    pub correlate: std::time::Duration,
    pub evaluate: std::time::Duration,
    pub findings: std::time::Duration,
}

/// Runs the whole pipeline.
pub fn scan(plan: &ScanPlan) -> Result<ScanResult, ScanError> {
    scan_timed(plan).map(|(result, _)| result)
}

/// Runs the whole pipeline and says how long each stage took.
pub fn scan_timed(plan: &ScanPlan) -> Result<(ScanResult, StageTimings), ScanError> {
    scan_observed(plan, &Silent)
}

/// Runs the whole pipeline, reporting progress, and says how long each stage took.
pub fn scan_observed(
    plan: &ScanPlan,
    progress: &dyn Progress,
) -> Result<(ScanResult, StageTimings), ScanError> {
    let outcome = run_stages(plan, progress);
    progress.finish();
    outcome
}

fn run_stages(
    plan: &ScanPlan,
    progress: &dyn Progress,
) -> Result<(ScanResult, StageTimings), ScanError> {
    let mut timings = StageTimings::default();
    let mut clock = std::time::Instant::now();
    let mut lap = |slot: &mut std::time::Duration| {
        *slot = clock.elapsed();
        clock = std::time::Instant::now();
    };
    // A shard reads the exports one family at a time and sets credentials and grants aside
    // until it knows which are its own (`by_family`), so that it holds
    // only its share of the credentials and grants.
    let sharded = plan.shard.is_some_and(|shard| shard.count > 1);
    let Inputs {
        parsed,
        deferred,
        mut skipped,
        paths,
        exposures,
        scanned,
        reference_files,
    } = read_inputs_deferring(plan, progress, sharded)?;
    let (identity_exports, mut assembled, set_aside) = if sharded {
        let reading = by_family::read_by_family(plan, deferred, parsed, progress)?;
        skipped.extend(reading.skipped);
        skipped.sort();
        (
            reading.identity_exports,
            reading.assembled,
            Some(reading.set_aside),
        )
    } else {
        let identity_exports = parsed.iter().any(|p| p.format.family().holds_identities());
        (identity_exports, sources::assemble(parsed)?, None)
    };
    lap(&mut timings.read);
    progress.stage("correlating", None);
    assembled.sources.extend(scanned);
    assembled.sources.sort();
    let exposures = with_export_secrets(exposures, &mut assembled, plan);
    if identity_exports && assembled.register.is_empty() && !plan.without_register {
        // Without the source of truth nothing is judged retired but what a home system
        // disabled: a register that was not recognised, or not given, is no pass.
        skipped.push(Skipped::unread(
            NO_REGISTER,
            "exports were read but no lifecycle register: no identity can be judged retired by it (name the register with --register, or pass --without-register to judge without one)",
        ));
        skipped.sort();
    }
    progress.stage("joining", None);
    let owns_identity = |key: &str| plan.shard.is_none_or(|shard| shard.owns(key));
    let share = plan.shard.map(|_| Share {
        owns: &owns_identity,
        carried: carried_identifiers(&exposures, &assembled.records),
    });
    let register = std::mem::take(&mut assembled.register);
    let mut records = std::mem::take(&mut assembled.records);
    let mut inventory = match (set_aside, share.as_ref()) {
        (Some(set_aside), Some(share)) => {
            let join = AccountJoin::new(register, std::mem::take(&mut records.identities));
            let records = by_family::keep_share(set_aside, &join, share, records, progress)?;
            join.finish(records)
        }
        // Nothing set aside (a run of one shard, or none): the reading's records are all the
        // records.
        (None, share) => correlate_share(register, records, share),
        // Only a shard sets records aside, and a shard always has a share; were it not, fail
        // rather than judge an inventory without the credentials set aside.
        (Some(_), None) => {
            return Err(ScanError::Spill(
                crate::inventory::spill::SpillError::Damaged(
                    "credentials and grants were set aside, but the run names no shard to keep them for".into(),
                ),
            ))
        }
    };
    drop(share);
    apply_verdicts(&mut inventory, assembled.verdicts);
    let allowed = allowed_paths(&plan.config.repositories.allow_paths);
    let keep = |e: &ExposureRecord| {
        !allowed
            .as_ref()
            .is_some_and(|set| set.is_match(&*e.evidence.path))
    };
    correlate_exposures(
        &mut inventory,
        exposures.into_iter().filter(|e| keep(e)).collect(),
    );
    let found_references = references::scan_files(
        &retired_references(&inventory),
        &reference_files,
        plan.git.max_blob_bytes,
    );
    correlate_exposures(
        &mut inventory,
        found_references
            .found
            .into_iter()
            .filter(|e| keep(e))
            .collect(),
    );
    skipped.extend(
        found_references
            .unscanned
            .into_iter()
            .map(|(path, reason)| Skipped::unscanned(path, reason)),
    );
    skipped.sort();
    // Secrets and references are joined; nothing looks credentials up by ID any more, and at a
    // million credentials the index is a hundred MB.
    inventory.credential_index = Default::default();
    lap(&mut timings.correlate);
    progress.stage("building policy entities", None);
    let evaluation = engine::evaluate_observed(
        &plan.pack,
        &inventory,
        &plan.config.thresholds,
        plan.now,
        &|subject| {
            plan.shard
                .is_none_or(|shard| shard.owns(&Shard::subject_key(&inventory, subject)))
        },
        &|requests| progress.stage("evaluating policies", Some(requests as u64)),
        &|done| progress.advance(done as u64),
    )?;
    progress.stage("building findings", None);
    lap(&mut timings.evaluate);
    let mut findings = findings::build(
        &evaluation,
        &plan.pack,
        &plan.catalog,
        &plan.config,
        &inventory,
        plan.now,
    );
    progress.stage("locating evidence lines", None);
    findings::locate_lines(&mut findings, |rel| paths.get(rel).cloned());
    let triage = crate::triage::apply(
        &mut findings,
        &plan.config.suppressions,
        plan.config.honours_inline_allows(),
        plan.baseline.as_ref(),
        plan.now,
    );
    lap(&mut timings.findings);
    let rules_run: Vec<String> = plan
        .pack
        .active_rules()
        .into_iter()
        .map(str::to_string)
        .collect();
    // A shard counts the identities it owns and their credentials and grants; `merge` adds the
    // shards' counts up.
    let totals = match plan.shard {
        None => Totals::of(&inventory, &findings),
        Some(shard) => Totals::of_share(&inventory, &findings, |identity| {
            shard.owns(&crate::inventory::partition_key(identity))
        }),
    };
    let shard = plan.shard.map(|shard| ShardFacts {
        index: shard.index,
        count: shard.count,
        requests: evaluation.requests,
        rules_run: rules_run.clone(),
        retired_with_findings: totals.retired_with_findings.clone(),
        baseline_unmatched: plan
            .baseline
            .as_ref()
            .map(|b| b.unmatched(&findings))
            .unwrap_or_default(),
    });
    let result = ScanResult {
        totals,
        shard,
        triage,
        evaluated_at: plan.now,
        findings,
        sources: assembled.sources,
        skipped,
        inventory,
        policy_errors: evaluation.errors,
        requests: evaluation.requests,
        rules_run,
        confidence_filter: None,
    };
    Ok((result, timings))
}

/// The secrets of repositories and plain files, then the secret material the exports hold
/// (keyed with the organisation's digest key when one is configured): both are joined to the
/// inventory and judged alike.
fn with_export_secrets(
    mut exposures: Vec<ExposureRecord>,
    assembled: &mut sources::Assembled,
    plan: &ScanPlan,
) -> Vec<ExposureRecord> {
    let mut in_exports = std::mem::take(&mut assembled.exposures);
    sources::leak::key_digests(&mut in_exports, plan.detectors.digest_key());
    exposures.extend(in_exports);
    exposures
}

/// What the run's secrets and provisions name (normalized): a shard keeps the credentials
/// and grants they name so that they join as in a single run.
fn carried_identifiers(
    exposures: &[ExposureRecord],
    records: &crate::inventory::Records,
) -> crate::inventory::IdSet<String> {
    use crate::inventory::alias::normalize;
    let from_exposures = exposures.iter().flat_map(|e| e.carries.iter());
    let from_provisions = records.provisions.iter().flat_map(|p| {
        p.credential
            .iter()
            .chain(std::iter::once(&p.holder))
            .chain(p.holder_aliases.iter())
    });
    from_exposures
        .chain(from_provisions)
        .map(|id| normalize(id))
        .collect()
}

/// The identifiers of retired identities that configuration must no longer name: their aliases
/// and native IDs, and the register names of agents (agent names appear in tool configuration).
fn retired_references(inventory: &Inventory) -> references::ReferenceSet {
    references::ReferenceSet::new(
        inventory
            .identities
            .iter()
            .filter(|i| i.lifecycle == crate::inventory::Lifecycle::Retired)
            .flat_map(|i| {
                let agent_name = (i.registered && i.kind == crate::inventory::IdentityKind::Agent)
                    .then(|| i.id.clone());
                i.aliases.iter().cloned().chain(agent_name)
            }),
    )
}

fn allowed_paths(globs: &[String]) -> Option<globset::GlobSet> {
    if globs.is_empty() {
        return None;
    }
    let mut builder = globset::GlobSetBuilder::new();
    for glob in globs {
        if let Ok(glob) = globset::Glob::new(glob) {
            builder.add(glob);
        }
    }
    builder.build().ok()
}

/// Reads and correlates without evaluating (for `deprov inventory`).
pub fn inventory_only(
    plan: &ScanPlan,
) -> Result<(Inventory, Vec<SourceSummary>, Vec<Skipped>), ScanError> {
    let inputs = read_inputs(plan)?;
    let mut assembled = sources::assemble(inputs.parsed)?;
    assembled.sources.extend(inputs.scanned);
    assembled.sources.sort();
    let exposures = with_export_secrets(inputs.exposures, &mut assembled, plan);
    let mut inventory = correlate(assembled.register, assembled.records);
    apply_verdicts(&mut inventory, assembled.verdicts);
    correlate_exposures(&mut inventory, exposures);
    Ok((inventory, assembled.sources, inputs.skipped))
}

/// Byte counts as people read them in a summary line (decimal units, like `du --si`).
fn human_bytes(bytes: u64) -> String {
    match bytes {
        0..=999 => format!("{bytes} B"),
        1_000..=999_999 => format!("{:.1} kB", bytes as f64 / 1e3),
        1_000_000..=999_999_999 => format!("{:.1} MB", bytes as f64 / 1e6),
        _ => format!("{:.2} GB", bytes as f64 / 1e9),
    }
}
