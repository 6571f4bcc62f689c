//! Runbooks written out: Markdown (the ticket), a bash script (every command commented out
//! unless asked otherwise) and JSON, from the same `runbook::Runbook`. Every value from an input
//! is quoted for bash here (`quote`), and every text is escaped for where it lands.

mod json;
mod markdown;
pub(crate) mod quote;
mod shell;

use std::io::{self, Write};
use std::path::Path;

use super::{ReportContext, Reporter};
use crate::runbook::{Command, Runbook, UnsafeValue};
pub use quote::command_line;

/// How a runbook is written.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RunbookStyle {
    /// The ticket: steps with their commands in code blocks.
    Markdown,
    /// A bash script; commands are commented out unless `executable`.
    Shell {
        executable: bool,
    },
    Json,
}

impl RunbookStyle {
    /// The style an output file's name asks for: `.sh` or `.bash` a script, `.json` JSON,
    /// anything else (and standard output) Markdown.
    pub fn for_path(path: Option<&Path>, executable: bool) -> RunbookStyle {
        let name = path
            .and_then(Path::file_name)
            .and_then(|n| n.to_str())
            .map(str::to_ascii_lowercase)
            .unwrap_or_default();
        if name.ends_with(".sh") || name.ends_with(".bash") {
            RunbookStyle::Shell { executable }
        } else if name.ends_with(".json") {
            RunbookStyle::Json
        } else {
            RunbookStyle::Markdown
        }
    }
}

/// Writes a runbook in a style.
pub fn write(runbook: &Runbook, style: RunbookStyle, out: &mut dyn Write) -> io::Result<()> {
    match style {
        RunbookStyle::Markdown => markdown::write(runbook, out),
        RunbookStyle::Shell { executable } => shell::write(runbook, executable, out),
        RunbookStyle::Json => json::write(runbook, out),
    }
}

/// `scan --format runbook`: the runbook of the scan's findings.
pub struct RunbookReporter {
    pub style: RunbookStyle,
    /// The command that re-checks the result on fresh exports.
    pub reverify: Result<Command, UnsafeValue>,
}

impl Reporter for RunbookReporter {
    fn write(&self, context: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
        let runbook = crate::runbook::for_findings(context.result, self.reverify.clone());
        write(&runbook, self.style, out)
    }
}
