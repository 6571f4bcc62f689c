//! Command-line types (clap derive) and nothing else; `commands` resolves them into a plan.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::{Format, TextOrJson};
use crate::severity::FailOn;

/// Finds the access left behind when a non-human identity is retired or goes stale.
#[derive(Debug, Parser)]
#[command(name = "deprov", version, about, long_about = None, max_term_width = 100)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Scan exports and report deprovisioning gaps (exit 1 when a new finding reaches --fail-on).
    Scan(ScanCommand),
    /// The deprovisioning checklist of one identity: exit 0 only when nothing of it remains.
    Verify(VerifyCommand),
    /// Record the current findings as accepted, so that `scan --baseline` fails only on new ones.
    #[command(subcommand)]
    Baseline(BaselineCommand),
    /// Compare two JSON reports: new, resolved and unchanged findings (exit 1 on new ones).
    Diff(DiffCommand),
    /// Combine the JSON reports of every shard of a `scan --shard K/N` run into one report,
    /// identical to a single-machine run's.
    Merge(MergeCommand),
    /// Chart scheduled runs: findings by severity, residual access, per rule, new and resolved,
    /// time to resolve, from scan JSON reports given in any order (one HTML page, or JSON).
    Trend(TrendCommand),
    /// Show what was read from the exports: identities, credentials, grants, skipped files.
    Inventory(InventoryCommand),
    /// List the rule catalog with severities and framework controls.
    Rules(RulesCommand),
    /// Work with the Cedar policy pack.
    #[command(subcommand)]
    Policy(PolicyCommand),
}

/// Inputs and options shared by every command that scans.
#[derive(Debug, Args)]
pub struct ScanArgs {
    /// Export files, certificate stores, repositories or directories to read (searched
    /// recursively, recognised by content).
    #[arg(required = true, value_name = "PATH")]
    pub paths: Vec<PathBuf>,
    /// Evaluate as of this instant (RFC 3339) instead of the current time.
    #[arg(long, value_name = "RFC3339")]
    pub now: Option<String>,
    /// Configuration file [default: .deprov.yaml in the working directory, if present].
    #[arg(long, value_name = "FILE")]
    pub config: Option<PathBuf>,
    /// Directory of extra or replacement .cedar policies (and an optional catalog.yaml).
    #[arg(long, value_name = "DIR")]
    pub policies: Option<PathBuf>,
    /// Lifecycle register file(s); when one is named, no other register is read.
    #[arg(long, value_name = "FILE")]
    pub register: Vec<PathBuf>,
    /// Judge the exports without a lifecycle register on purpose: nothing is judged retired but
    /// what a home system disabled (without it, exports and no register make the run
    /// incomplete) [default: the config's without_register].
    #[arg(long, conflicts_with = "register")]
    pub without_register: bool,
    /// Extra secret detector file(s), same shape as rules/secrets.yaml.
    #[arg(long, value_name = "FILE")]
    pub detectors: Vec<PathBuf>,
    /// Read repositories' working trees only, not their history.
    #[arg(long)]
    pub no_history: bool,
    /// Read only the history after this revision (CI on a pull request: what the change adds).
    #[arg(long, value_name = "REV", conflicts_with = "no_history")]
    pub since: Option<String>,
    /// Read exports, registers and CRLs inside git repositories as data (by default a file in
    /// a repository is code: only its secrets and references are read, so that a commit cannot
    /// change the verdict).
    #[arg(long)]
    pub trust_repository_exports: bool,
    /// Treat skipped inputs as an error (exit 2).
    #[arg(long)]
    pub strict: bool,
    /// Accept an incomplete result: exit 0 or 1 by the findings even when an export or
    /// register could not be read or nothing was read (the report still says it is
    /// incomplete) [default: the config's allow_incomplete, else no: exit 2].
    #[arg(long)]
    pub allow_incomplete: bool,
    /// Exit 2 when any text was left unscanned for secrets (a file or blob above the scan
    /// limits; see `summary.unscanned`) [default: the config's repositories.fail_on_unscanned].
    #[arg(long)]
    pub fail_on_unscanned: bool,
    /// Run part K of N of a sharded scan (see `deprov merge`): repositories and the evaluation
    /// of subjects are split between shards; exports and the register are read by all.
    #[arg(long, value_name = "K/N")]
    pub shard: Option<crate::shard::Shard>,
    /// Never draw the progress bar (it is drawn on standard error only when that is a
    /// terminal and the CI variable is unset).
    #[arg(long)]
    pub no_progress: bool,
}

#[derive(Debug, Args)]
pub struct ScanCommand {
    #[command(flatten)]
    pub scan: ScanArgs,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Accepted findings (from `deprov baseline write`): reported, not counted.
    #[arg(long, value_name = "FILE")]
    pub baseline: Option<PathBuf>,
}

/// Where and how a scan's (or a merged run's) findings are reported.
#[derive(Debug, Args)]
pub struct ReportArgs {
    /// Output format (for standard output, and for --output files whose extension says
    /// nothing).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write a report to FILE; repeat for several. The format follows the extension: .sarif,
    /// .json, .oscal.json, .xml (JUnit), .md, .html, .txt, .sh (a runbook script). With
    /// --format runbook every file is a runbook: .sh a script, .json JSON, others Markdown.
    #[arg(long, short, value_name = "FILE")]
    pub output: Vec<PathBuf>,
    /// Write a runbook script's commands uncommented, so that running the script runs them
    /// (deprov never does); it stops at the first failure and at each step for a person.
    #[arg(long)]
    pub runbook_executable: bool,
    /// Lowest severity that makes the exit code 1 [default: the config's fail_on (for merge:
    /// the shards'), else high].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
    /// Leave out findings about secrets below this confidence (high: a key pair or verified
    /// checksum; medium: a vendor format, or a credential's name with a strong value; low: any
    /// other generic match, or one in a test fixture); they are counted in the summary, not
    /// reported, and do not affect the exit code [default: the config's
    /// secrets.min_confidence (for merge: the shards'), else low: report all].
    #[arg(long, value_enum, value_name = "LEVEL")]
    pub min_confidence: Option<crate::inventory::Confidence>,
    /// Restrict the compliance reports (markdown, html, oscal) to a framework, a control or its
    /// alias, or a control prefix: owasp-nhi-2025, NHI1:2025, NHI-06, PR.AA, SP800-207.
    #[arg(long, value_name = "FILTER")]
    pub framework: Option<String>,
}

#[derive(Debug, Args)]
#[command(mut_arg("paths", |a| a.required(false).required_unless_present("check")))]
pub struct VerifyCommand {
    /// The identity: its register ID or any alias (ARN, email, appId, system:serviceaccount:…).
    #[arg(value_name = "IDENTITY", required_unless_present = "check")]
    pub identity: Option<String>,
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Also write an evidence bundle into DIR: result.json (the checklist), manifest.json
    /// (every input with its SHA-256, the pack and catalog digests, --now, the command line)
    /// and SHA256SUMS. The same inputs and --now give the same bytes.
    #[arg(long, value_name = "DIR")]
    pub evidence: Option<PathBuf>,
    /// Check an evidence bundle instead: hash its inputs again, run the verification again from
    /// them as recorded, and say whether the evidence still holds (exit 0 it holds, 1 it does
    /// not: an input missing or changed, or another result; 2 the bundle cannot be read).
    /// Relative input paths are taken from the working directory.
    #[arg(long, value_name = "DIR", conflicts_with_all = ["identity", "evidence", "runbook"])]
    pub check: Option<PathBuf>,
    /// Output format (of the checklist, or with --runbook of the runbook on standard output:
    /// text is Markdown).
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// Instead of the checklist, the runbook: for each item still present, the commands that
    /// remove it in its home system, in a safe order (disable, delete, remove grants, delete
    /// the accounts, rotate, clean up, re-verify). deprov never runs them.
    #[arg(long)]
    pub runbook: bool,
    /// Write the runbook to FILE; repeat for several. The format follows the extension: .sh a
    /// bash script (commands commented out), .json JSON, others Markdown.
    #[arg(long, short, value_name = "FILE", requires = "runbook")]
    pub output: Vec<PathBuf>,
    /// Write a runbook script's commands uncommented, so that running the script runs them
    /// (deprov never does); it stops at the first failure and at each step for a person.
    #[arg(long, requires = "runbook")]
    pub runbook_executable: bool,
}

#[derive(Debug, Subcommand)]
pub enum BaselineCommand {
    /// Scan and write the findings' fingerprints to FILE.
    Write {
        /// The baseline file to write.
        #[arg(value_name = "FILE")]
        file: PathBuf,
        #[command(flatten)]
        scan: ScanArgs,
    },
}

#[derive(Debug, Args)]
pub struct DiffCommand {
    /// The earlier JSON report.
    #[arg(value_name = "OLD")]
    pub old: PathBuf,
    /// The later JSON report.
    #[arg(value_name = "NEW")]
    pub new: PathBuf,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// Lowest severity of a new finding that makes the exit code 1.
    #[arg(long, value_enum, value_name = "SEVERITY", default_value = "high")]
    pub fail_on: FailOn,
    /// Accept an incomplete NEW report: exit 0 or 1 by the new findings instead of 2.
    #[arg(long)]
    pub allow_incomplete: bool,
}

#[derive(Debug, Args)]
pub struct MergeCommand {
    /// The shard reports (`scan --shard K/N --format json`), one per shard, in any order.
    #[arg(required = true, value_name = "FILE")]
    pub files: Vec<PathBuf>,
    #[command(flatten)]
    pub report: ReportArgs,
    /// Directory of extra or replacement policies the shards ran with (for its catalog.yaml).
    #[arg(long, value_name = "DIR")]
    pub policies: Option<PathBuf>,
    /// Accept an incomplete merged result (a shard that could not read an input): exit 0 or 1
    /// by the findings instead of 2.
    #[arg(long)]
    pub allow_incomplete: bool,
    /// Exit 2 when any shard left text unscanned for secrets (see `scan --fail-on-unscanned`).
    #[arg(long)]
    pub fail_on_unscanned: bool,
}

#[derive(Debug, Args)]
pub struct TrendCommand {
    /// Scan JSON reports (`scan --format json`), in any order: they are ordered by
    /// `evaluated_at`.
    #[arg(required = true, value_name = "RUN.json")]
    pub runs: Vec<PathBuf>,
    /// Write to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Output format [default: json for an --output ending in .json, else html].
    #[arg(long, value_enum)]
    pub format: Option<TrendFormat>,
}

/// The formats of `deprov trend`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TrendFormat {
    /// One self-contained page of inline SVG charts.
    Html,
    /// The same series as JSON.
    Json,
}

#[derive(Debug, Args)]
pub struct InventoryCommand {
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
}

#[derive(Debug, Args)]
pub struct RulesCommand {
    /// Output format.
    #[arg(long, value_enum, default_value_t = TextOrJson::Text)]
    pub format: TextOrJson,
    /// Include the rules of a policy directory's catalog.yaml.
    #[arg(long, value_name = "DIR")]
    pub policies: Option<PathBuf>,
}

#[derive(Debug, Subcommand)]
pub enum PolicyCommand {
    /// Validate the policy pack strictly against the schema and the rule catalog.
    Check {
        /// A directory of extra or replacement policies to check with the built-in pack.
        #[arg(value_name = "DIR")]
        dir: Option<PathBuf>,
    },
}
