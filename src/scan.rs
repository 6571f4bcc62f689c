//! The scan pipeline: discover → parse (parallel) → assemble → correlate → evaluate → findings.
//! Each stage is one call into its module; this file only wires them and keeps the accounting of
//! what was read and what was skipped.

use std::collections::BTreeMap;
use std::path::PathBuf;

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
    Skipped(Skipped),
    /// A register that cannot be read.
    Fatal(SourceError),
}

fn read_file(input: &FileInput, max_bytes: u64, options: &SourceOptions) -> FileOutcome {
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
    match sources::parse(&probe, format, options) {
        Ok(parsed) => FileOutcome::Parsed(parsed),
        Err(e) if matches!(format, sources::Detected::Register(_)) => FileOutcome::Fatal(e),
        Err(e) => FileOutcome::Skipped(Skipped {
            path: input.rel.clone(),
            reason: format!("{}: {}", format.name(), e.reason()),
        }),
    }
}

/// What reading the inputs produced.
pub struct Inputs {
    /// Parsed files, in discovery order.
    pub parsed: Vec<ParsedFile>,
    pub skipped: Vec<Skipped>,
    /// Path shown in reports → path to open.
    pub paths: BTreeMap<String, PathBuf>,
}

/// Reads and parses every input; the result is ordered as the inputs were.
pub fn read_inputs(plan: &ScanPlan) -> Result<Inputs, ScanError> {
    let mut discovered = discover::discover(&plan.paths)?;
    for register in &plan.register_files {
        let more = discover::discover(std::slice::from_ref(register))?;
        for file in more.files {
            if !discovered.files.iter().any(|f| f.path == file.path) {
                discovered.files.push(file);
            }
        }
    }
    let max_bytes = plan.config.limits.max_file_bytes();
    let outcomes: Vec<FileOutcome> = discovered
        .files
        .par_iter()
        .map(|input| read_file(input, max_bytes, &plan.source_options))
        .collect();

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
    for repo in discovered.repositories {
        skipped.push(Skipped {
            path: format!("{}/.git", repo.rel),
            reason: "git repository metadata: not read by this version".into(),
        });
    }
    for outcome in outcomes {
        match outcome {
            FileOutcome::Parsed(p) => parsed.push(p),
            FileOutcome::Skipped(s) => skipped.push(s),
            FileOutcome::Fatal(e) => return Err(ScanError::Register(e)),
        }
    }
    skipped.sort();
    Ok(Inputs {
        parsed,
        skipped,
        paths,
    })
}

/// Runs the whole pipeline.
pub fn scan(plan: &ScanPlan) -> Result<ScanResult, ScanError> {
    let Inputs {
        parsed,
        skipped,
        paths,
    } = read_inputs(plan)?;
    let assembled = sources::assemble(parsed);
    let inventory = correlate(&assembled.register, assembled.records);
    let evaluation = engine::evaluate(&plan.pack, &inventory, &plan.config.thresholds, plan.now)?;
    let mut findings = findings::build(
        &evaluation,
        &plan.pack,
        &plan.catalog,
        &plan.config,
        &inventory,
        plan.now,
    );
    findings::locate_lines(&mut findings, |rel| paths.get(rel).cloned());
    let triage = crate::triage::apply(
        &mut findings,
        &plan.config.suppressions,
        plan.config.honours_inline_allows(),
        plan.baseline.as_ref(),
        plan.now,
    );
    Ok(ScanResult {
        triage,
        evaluated_at: plan.now,
        findings,
        sources: assembled.sources,
        skipped,
        inventory,
        policy_errors: evaluation.errors,
        requests: evaluation.requests,
        rules_run: plan
            .pack
            .active_rules()
            .into_iter()
            .map(str::to_string)
            .collect(),
    })
}

/// Reads and correlates without evaluating (for `deprov inventory`).
pub fn inventory_only(
    plan: &ScanPlan,
) -> Result<(Inventory, Vec<SourceSummary>, Vec<Skipped>), ScanError> {
    let inputs = read_inputs(plan)?;
    let assembled = sources::assemble(inputs.parsed);
    Ok((
        correlate(&assembled.register, assembled.records),
        assembled.sources,
        inputs.skipped,
    ))
}
