//! Command implementations: each resolves its arguments into a plan once, runs it, writes its
//! output through a reporter and returns the exit code.

mod baseline;
mod diff;
mod inventory;
mod merge;
mod plan;
mod policy;
mod policy_dir;
mod progress;
mod rules;
mod runbook;
mod scan;
mod trend;
mod verify;

use std::io::{self, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use miette::Diagnostic;

use crate::catalog::CatalogError;
use crate::cli::{Cli, Command};
use crate::config::ConfigError;
use crate::engine::PolicyError;
use crate::scan::ScanError;

/// How a command ended.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Nothing at or above the failure threshold.
    Clean,
    /// Findings at or above the failure threshold.
    Findings,
}

impl From<Exit> for ExitCode {
    fn from(exit: Exit) -> Self {
        match exit {
            Exit::Clean => ExitCode::SUCCESS,
            Exit::Findings => ExitCode::from(1),
        }
    }
}

/// Every error a command reports (exit code 2).
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum CommandError {
    #[error(transparent)]
    #[diagnostic(transparent)]
    Catalog(#[from] CatalogError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Config(#[from] ConfigError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Policy(#[from] PolicyError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Scan(#[from] ScanError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Baseline(#[from] crate::triage::BaselineError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Detectors(#[from] crate::sources::exposure::secrets::DetectorError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Diff(#[from] crate::report::diff::DiffError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Merge(#[from] crate::merge::MergeError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Verify(#[from] crate::verify::UnknownIdentity),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Trend(#[from] crate::trend::TrendError),
    #[error(transparent)]
    #[diagnostic(transparent)]
    Evidence(#[from] crate::evidence::EvidenceError),
    #[error("invalid --now `{value}`: {message}")]
    #[diagnostic(
        code(deprov::usage::now),
        help("give an RFC 3339 instant such as 2026-11-25T00:00:00Z")
    )]
    Now { value: String, message: String },
    #[error("cannot write {path}: {message}")]
    #[diagnostic(code(deprov::output::io))]
    Output { path: String, message: String },
    #[error("the result is incomplete ({} input problem(s)): {}", reasons.len(), first_reasons(reasons))]
    #[diagnostic(
        code(deprov::input::incomplete),
        help("the report is written and says so; fix or re-export those inputs, or pass --allow-incomplete (config: allow_incomplete: true) to accept an incomplete result")
    )]
    Incomplete { reasons: Vec<String> },
    #[error("{count} file(s) or blob(s) were not wholly scanned for secrets and --fail-on-unscanned is set")]
    #[diagnostic(
        code(deprov::input::unscanned),
        help("the report lists them under `skipped` (unscanned: true); raise limits.max_file_size_mb or repositories.max_blob_size_mb to scan them")
    )]
    Unscanned { count: usize },
    #[error("{count} input(s) were skipped and --strict is set")]
    #[diagnostic(
        code(deprov::input::strict),
        help("the report lists them under `skipped`")
    )]
    Strict { count: usize },
    #[error("{count} policy evaluation error(s): the results are incomplete")]
    #[diagnostic(
        code(deprov::policy::evaluation),
        help("the report lists them under `policy_errors`; fix the policy")
    )]
    PolicyEvaluation { count: usize },
}

/// Runs a parsed command line.
pub fn run(cli: Cli) -> Result<Exit, CommandError> {
    match cli.command {
        Command::Scan(command) => scan::run(&command),
        Command::Verify(command) => verify::run(&command),
        Command::Baseline(command) => baseline::run(&command),
        Command::Diff(command) => diff::run(&command),
        Command::Merge(command) => merge::run(&command),
        Command::Trend(command) => trend::run(&command),
        Command::Inventory(command) => inventory::run(&command),
        Command::Rules(command) => rules::run(&command),
        Command::Policy(command) => policy::run(&command),
    }
}

/// The first few reasons of an incomplete result, for the error line (the report lists all).
fn first_reasons(reasons: &[String]) -> String {
    const SHOWN: usize = 5;
    let mut text = reasons
        .iter()
        .take(SHOWN)
        .cloned()
        .collect::<Vec<_>>()
        .join("; ");
    if reasons.len() > SHOWN {
        text.push_str(&format!(
            "; and {} more (see the report)",
            reasons.len() - SHOWN
        ));
    }
    text
}

/// How a command that scanned treats what it could not read.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct InputPolicy {
    /// `--strict`: any skipped input is an error.
    pub strict: bool,
    /// `--allow-incomplete` (or the config's `allow_incomplete`).
    pub allow_incomplete: bool,
    /// `--fail-on-unscanned` (or the config's `repositories.fail_on_unscanned`).
    pub fail_on_unscanned: bool,
}

impl InputPolicy {
    pub fn of(args: &crate::cli::ScanArgs, config: &crate::config::Config) -> Self {
        InputPolicy {
            strict: args.strict,
            allow_incomplete: args.allow_incomplete || config.allow_incomplete,
            fail_on_unscanned: args.fail_on_unscanned || config.repositories.fail_on_unscanned,
        }
    }

    /// Exit 2 for an incomplete result (unless accepted) or, with `--strict`, any skipped input.
    pub fn check(
        self,
        sources: &[crate::sources::SourceSummary],
        skipped: &[crate::result::Skipped],
    ) -> Result<(), CommandError> {
        let reasons = crate::result::incompleteness(sources, skipped);
        if !reasons.is_empty() && !self.allow_incomplete {
            return Err(CommandError::Incomplete { reasons });
        }
        let unscanned = skipped.iter().filter(|s| s.unscanned).count();
        if self.fail_on_unscanned && unscanned > 0 {
            return Err(CommandError::Unscanned { count: unscanned });
        }
        if self.strict && !skipped.is_empty() {
            return Err(CommandError::Strict {
                count: skipped.len(),
            });
        }
        Ok(())
    }
}

/// The exit of a command that scanned (or merged): policy errors, an incomplete result and
/// `--strict` first, then findings.
pub(crate) fn finish(
    result: &crate::result::ScanResult,
    inputs: InputPolicy,
    fail_on: crate::severity::FailOn,
) -> Result<Exit, CommandError> {
    let failed = crate::report::json::fails(&result.findings, fail_on);
    finish_with(result, inputs, failed)
}

/// [`finish`] of a result whose findings are not held (a streaming merge): `failed` says
/// whether they make the exit code 1.
pub(crate) fn finish_with(
    result: &crate::result::ScanResult,
    inputs: InputPolicy,
    failed: bool,
) -> Result<Exit, CommandError> {
    if !result.policy_errors.is_empty() {
        return Err(CommandError::PolicyEvaluation {
            count: result.policy_errors.len(),
        });
    }
    inputs.check(&result.sources, &result.skipped)?;
    Ok(if failed { Exit::Findings } else { Exit::Clean })
}

/// Where a command writes: a file (never coloured) or standard output (coloured on a terminal).
pub(crate) struct Output {
    writer: Box<dyn Write>,
    pub color: bool,
    path: Option<PathBuf>,
}

/// Reports run to a gigabyte at a million credentials; with the default 8 KiB buffer the write
/// calls cost twice what they do with 64 KiB (measured with `dd` on the development machine).
pub const OUTPUT_BUFFER: usize = 64 * 1024;

impl Output {
    pub fn open(path: Option<&Path>) -> Result<Output, CommandError> {
        match path {
            Some(path) => {
                let file = std::fs::File::create(path).map_err(|e| CommandError::Output {
                    path: path.display().to_string(),
                    message: e.to_string(),
                })?;
                Ok(Output {
                    writer: Box::new(io::BufWriter::with_capacity(OUTPUT_BUFFER, file)),
                    color: false,
                    path: Some(path.to_path_buf()),
                })
            }
            None => {
                let stdout = io::stdout();
                let color = crate::report::style::color_for(stdout.is_terminal());
                Ok(Output {
                    writer: Box::new(io::BufWriter::with_capacity(OUTPUT_BUFFER, stdout)),
                    color,
                    path: None,
                })
            }
        }
    }

    /// Writes with `f`; a closed pipe (`deprov scan … | head`) is not an error.
    pub fn write_with(
        mut self,
        f: impl FnOnce(&mut dyn Write, bool) -> io::Result<()>,
    ) -> Result<(), CommandError> {
        let color = self.color;
        let result = f(&mut self.writer, color).and_then(|()| self.writer.flush());
        match result {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == io::ErrorKind::BrokenPipe => Ok(()),
            Err(e) => Err(CommandError::Output {
                path: self
                    .path
                    .map_or_else(|| "standard output".into(), |p| p.display().to_string()),
                message: e.to_string(),
            }),
        }
    }
}
