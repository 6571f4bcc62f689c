//! Command-line types (clap derive) and nothing else; `commands` resolves them into a plan.

use std::path::PathBuf;

use clap::{Args, Parser, Subcommand};

use crate::report::Format;
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
    /// Scan exports and report deprovisioning gaps (exit 1 when a finding reaches --fail-on).
    Scan(ScanCommand),
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
    /// Export files or directories to read (searched recursively, recognised by content).
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
    /// Lifecycle register file(s) outside the scanned paths.
    #[arg(long, value_name = "FILE")]
    pub register: Vec<PathBuf>,
    /// Treat skipped inputs as an error (exit 2).
    #[arg(long)]
    pub strict: bool,
}

#[derive(Debug, Args)]
pub struct ScanCommand {
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Write the report to FILE instead of standard output.
    #[arg(long, short, value_name = "FILE")]
    pub output: Option<PathBuf>,
    /// Lowest severity that makes the exit code 1 [default: high, or the config's fail_on].
    #[arg(long, value_enum, value_name = "SEVERITY")]
    pub fail_on: Option<FailOn>,
}

#[derive(Debug, Args)]
pub struct InventoryCommand {
    #[command(flatten)]
    pub scan: ScanArgs,
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(Debug, Args)]
pub struct RulesCommand {
    /// Output format.
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
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
