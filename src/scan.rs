//! The scan pipeline: discover → parse (parallel) → assemble → correlate → evaluate → findings.
//! Each stage is one call into its module; this file only wires them and keeps the accounting of
//! what was read and what was skipped.

use std::collections::{BTreeMap, BTreeSet};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use miette::Diagnostic;
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::catalog::Catalog;
use crate::config::Config;
use crate::discover::probe::Probe;
use crate::discover::{self, DiscoverError, FileInput};
use crate::engine::{self, PolicyEvaluationError, PolicyPack};
use crate::findings::{self, Finding};
use crate::inventory::{correlate, Inventory};
use crate::inventory::{correlate_exposures, ExposureRecord, SystemRef};
use crate::secrets::DetectorSet;
use crate::sources::certs::Format as CertsFormat;
use crate::sources::git::{self, references, GitOptions};
use crate::sources::{self, ParsedFile, SourceError, SourceOptions, SourceSummary};

/// What a scan needs, resolved once from the command line and the config.
pub struct ScanPlan {
    pub paths: Vec<PathBuf>,
    /// Register files named outside the scanned paths (`--register`, config `register:`).
    pub register_files: Vec<PathBuf>,
    pub now: Timestamp,
    pub config: Config,
    pub catalog: Catalog,
    pub pack: PolicyPack,
    pub source_options: SourceOptions,
    /// Accepted findings of an earlier run (`--baseline`).
    pub baseline: Option<crate::triage::Baseline>,
    /// How repositories are read (`--no-history`, `--since`, size limit).
    pub git: GitOptions,
    /// Secret detectors: the built-in catalog plus the user's.
    pub detectors: DetectorSet,
    /// This machine's part of a sharded run (`--shard K/N`); `None` runs everything.
    pub shard: Option<crate::shard::Shard>,
}

/// An input that was not read, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct Skipped {
    pub path: String,
    pub reason: String,
}

/// Everything a scan produced.
pub struct ScanResult {
    pub evaluated_at: Timestamp,
    pub findings: Vec<Finding>,
    pub sources: Vec<SourceSummary>,
    pub skipped: Vec<Skipped>,
    pub inventory: Inventory,
    pub policy_errors: Vec<PolicyEvaluationError>,
    pub requests: usize,
    /// Rule codes that ran (for "pass" versus "not assessed" in compliance reports).
    pub rules_run: Vec<String>,
    /// Expired and stale suppressions, resolved baseline entries.
    pub triage: crate::triage::TriageReport,
    /// Counts of the inventory that reports show (kept apart from `inventory` so that a merged
    /// run, which has no inventory, reports the same).
    pub totals: Totals,
    /// What `merge` needs from a shard's run.
    pub shard: Option<crate::shard::ShardFacts>,
}

/// Inventory counts shown in reports.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Totals {
    pub identities: usize,
    pub registered_identities: usize,
    pub retired_identities: usize,
    /// Retired identities with at least one finding (sorted IDs): their access is residual.
    pub retired_with_findings: Vec<String>,
    pub credentials: usize,
    pub grants: usize,
}

impl Totals {
    fn of(inventory: &Inventory, findings: &[Finding]) -> Totals {
        Totals {
            identities: inventory.identities.len(),
            registered_identities: inventory.identities.iter().filter(|i| i.registered).count(),
            retired_identities: inventory
                .identities
                .iter()
                .filter(|i| i.lifecycle == crate::inventory::Lifecycle::Retired)
                .count(),
            retired_with_findings: retired_with_findings(inventory, findings),
            credentials: inventory.records.credentials.len(),
            grants: inventory.records.grants.len(),
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
    #[error(transparent)]
    #[diagnostic(transparent)]
    Engine(#[from] engine::entities::EntityError),
}

enum FileOutcome {
    Parsed(ParsedFile),
    /// Not an export: read by the secret detectors instead.
    Scanned {
        summary: SourceSummary,
        exposures: Vec<ExposureRecord>,
    },
    /// Not an export, inside a repository's working tree: the repository scan reads it.
    InRepository,
    Skipped(Skipped),
    /// A register that cannot be read.
    Fatal(SourceError),
}

/// What a file that is not an export holds: secrets for the detectors.
fn scan_plain_file(input: &FileInput, plan: &ScanPlan) -> FileOutcome {
    match git::scan_plain_file(
        &input.path,
        &input.rel,
        plan.git.max_blob_bytes,
        &plan.detectors,
    ) {
        Ok(exposures) => FileOutcome::Scanned {
            summary: SourceSummary {
                path: input.rel.clone(),
                format: "files/text".into(),
                records: exposures.len(),
                warnings: Vec::new(),
                detail: None,
            },
            exposures,
        },
        Err(reason) => FileOutcome::Skipped(Skipped {
            path: input.rel.clone(),
            reason,
        }),
    }
}

fn read_file(input: &FileInput, plan: &ScanPlan, in_repository: bool) -> FileOutcome {
    let max_bytes = plan.config.limits.max_file_bytes();
    let options = &plan.source_options;
    let probe = match Probe::read(input, max_bytes) {
        Ok(probe) => probe,
        Err(e) => {
            return FileOutcome::Skipped(Skipped {
                path: input.rel.clone(),
                reason: format!("cannot read: {e}"),
            })
        }
    };
    let Some(format) = sources::detect(&probe) else {
        if in_repository {
            return FileOutcome::InRepository;
        }
        if matches!(
            probe.content,
            crate::discover::probe::Content::Text
                | crate::discover::probe::Content::Yaml { .. }
                | crate::discover::probe::Content::Csv { .. }
                | crate::discover::probe::Content::Pem
                | crate::discover::probe::Content::Json(_)
                | crate::discover::probe::Content::JsonLines(_)
        ) {
            return scan_plain_file(input, plan);
        }
        // Text that is not UTF-8 (Latin-1, a stray invalid byte) is still text to the secret
        // detectors, as it is in a repository: only NUL bytes make content binary, otherwise one
        // invalid byte would hide every secret of a file.
        if probe.content == crate::discover::probe::Content::Binary && !git::is_binary(&probe.head)
        {
            return scan_plain_file(input, plan);
        }
        let reason = if input.size > max_bytes {
            format!(
                "{} bytes, above the size limit (limits.max_file_size_mb)",
                input.size
            )
        } else {
            sources::unrecognised_reason(&probe)
        };
        return FileOutcome::Skipped(Skipped {
            path: input.rel.clone(),
            reason,
        });
    };
    let trusted = !in_repository || plan.git.trust_exports;
    if !trusted && !matches!(format, sources::Detected::Certs(f) if f != CertsFormat::DerCrl) {
        // The repository scan still reads it for secrets and references.
        return FileOutcome::Skipped(Skipped {
            path: input.rel.clone(),
            reason: format!(
                "{} inside a git repository: read as code, not as data \
                 (--trust-repository-exports reads it)",
                format.name()
            ),
        });
    }
    match sources::parse(&probe, format, options) {
        Ok(parsed) if trusted => FileOutcome::Parsed(parsed),
        Ok(parsed) => FileOutcome::Parsed(without_crls(parsed)),
        Err(e) if matches!(format, sources::Detected::Register(_)) => FileOutcome::Fatal(e),
        Err(e) => FileOutcome::Skipped(Skipped {
            path: input.rel.clone(),
            reason: format!("{}: {}", format.name(), e.reason()),
        }),
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
        let file = file.canonicalize().unwrap_or_else(|_| file.to_path_buf());
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

/// A certificate store in a repository without its revocation lists: deprov does not check CRL
/// signatures, so a committed CRL could mark a retired workload's certificate as revoked.
fn without_crls(mut parsed: ParsedFile) -> ParsedFile {
    if let sources::Parsed::Certs(file) = &mut parsed.parsed {
        if !file.crls.is_empty() {
            parsed.warnings.push(format!(
                "{} revocation list(s) not read: inside a repository (--trust-repository-exports reads them)",
                file.crls.len()
            ));
            file.crls.clear();
        }
    }
    parsed
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

/// Reads and parses every input; the result is ordered as the inputs were.
pub fn read_inputs(plan: &ScanPlan) -> Result<Inputs, ScanError> {
    read_inputs_observed(plan, &Silent)
}

/// [`read_inputs`], reporting progress.
pub fn read_inputs_observed(plan: &ScanPlan, progress: &dyn Progress) -> Result<Inputs, ScanError> {
    progress.stage("discovering inputs", None);
    let mut discovered = discover::discover(&plan.paths)?;
    for register in &plan.register_files {
        let more = discover::discover(std::slice::from_ref(register))?;
        for file in more.files {
            if !discovered.files.iter().any(|f| f.path == file.path) {
                discovered.files.push(file);
            }
        }
        // A register named explicitly that cannot be read (a FIFO, a link out of its
        // directory) stops the scan like a missing one: it is the source of truth.
        if let Some(excluded) = more.excluded.into_iter().next() {
            return Err(ScanError::Discover(DiscoverError {
                path: register.display().to_string(),
                message: excluded.reason,
            }));
        }
    }
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
            let in_repository = trust.is_code(&input.path);
            let outcome = read_file(input, plan, in_repository);
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
    let mut skipped: Vec<Skipped> = discovered
        .excluded
        .into_iter()
        .map(|e| Skipped {
            path: e.path,
            reason: e.reason,
        })
        .collect();
    let mut exposures = Vec::new();
    let mut scanned = Vec::new();
    let mut reference_files = Vec::new();
    // Keystores derive their keys here, in path order, against one budget for the scan.
    let mut kdf_budget = sources::certs::KdfBudget::of(plan.config.limits.keystore_kdf_iterations);
    for (input, outcome) in discovered.files.iter().zip(outcomes) {
        match outcome {
            FileOutcome::Parsed(mut p) => {
                match sources::certs::open_parsed(&mut p, &mut kdf_budget) {
                    Ok(()) => parsed.push(p),
                    Err(reason) => skipped.push(Skipped {
                        path: input.rel.clone(),
                        reason,
                    }),
                }
            }
            FileOutcome::Scanned {
                summary,
                exposures: found,
            } => {
                scanned.push(summary);
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
        }
    }
    let mut exposures = git::merge_plain_exposures(exposures);
    let owned = |rel: &str| {
        plan.shard
            .is_none_or(|shard| shard.owns(&crate::shard::Shard::repository_key(rel)))
    };
    for repo in discovered
        .repositories
        .into_iter()
        .filter(|r| owned(&r.rel))
    {
        progress.stage(&format!("scanning repository {}", repo.rel), None);
        match git::scan_repository(&repo.path, &repo.rel, &plan.git, &plan.detectors) {
            Ok(scan) => {
                scanned.push(SourceSummary {
                    path: repo.rel.clone(),
                    format: if plan.git.history {
                        "git/repository".into()
                    } else {
                        "git/working-tree".into()
                    },
                    records: scan.exposures.len(),
                    warnings: Vec::new(),
                    detail: Some(format!(
                        "{} commits, {} unique blobs and {} working-tree files, {} scanned",
                        scan.stats.commits,
                        scan.stats.blobs,
                        scan.stats.worktree_files,
                        human_bytes(scan.stats.bytes_scanned)
                    )),
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
                        .map(|(path, reason)| Skipped { path, reason }),
                );
            }
            Err(e) => skipped.push(Skipped {
                path: repo.rel.clone(),
                reason: e.to_string(),
            }),
        }
    }
    skipped.sort();
    Ok(Inputs {
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
    let Inputs {
        parsed,
        skipped,
        paths,
        exposures,
        scanned,
        reference_files,
    } = read_inputs_observed(plan, progress)?;
    lap(&mut timings.read);
    progress.stage("correlating", None);
    let mut assembled = sources::assemble(parsed);
    assembled.sources.extend(scanned);
    assembled.sources.sort();
    let mut inventory = correlate(assembled.register, assembled.records);
    let allowed = allowed_paths(&plan.config.repositories.allow_paths);
    let keep = |e: &ExposureRecord| {
        !allowed
            .as_ref()
            .is_some_and(|set| set.is_match(&e.evidence.path))
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
        found_references.into_iter().filter(|e| keep(e)).collect(),
    );
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
                .is_none_or(|shard| shard.owns(&shard_key(&inventory, subject)))
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
    let totals = Totals::of(&inventory, &findings);
    let shard = plan.shard.map(|shard| crate::shard::ShardFacts {
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
    };
    Ok((result, timings))
}

/// The key that assigns a subject to a shard (see [`crate::shard`]).
fn shard_key(inventory: &Inventory, subject: crate::engine::Subject) -> String {
    if let crate::engine::Subject::Exposure(e) = subject {
        let system = &inventory.exposures[e].system;
        if system.family == crate::inventory::SourceFamily::Git {
            return crate::shard::Shard::repository_key(&system.name);
        }
    }
    findings::subject_key(inventory, subject)
}

fn retired_with_findings(inventory: &Inventory, findings: &[Finding]) -> Vec<String> {
    let with_findings: BTreeSet<&str> = findings.iter().map(|f| f.identity.as_str()).collect();
    inventory
        .identities
        .iter()
        .filter(|i| i.lifecycle == crate::inventory::Lifecycle::Retired)
        .filter(|i| with_findings.contains(i.id.as_str()))
        .map(|i| i.id.clone())
        .collect::<BTreeSet<String>>()
        .into_iter()
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
    let mut assembled = sources::assemble(inputs.parsed);
    assembled.sources.extend(inputs.scanned);
    assembled.sources.sort();
    let mut inventory = correlate(assembled.register, assembled.records);
    correlate_exposures(&mut inventory, inputs.exposures);
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
