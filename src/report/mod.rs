//! Output formats, one file each behind one trait. Reporters read the scan result and the
//! catalogs; they know nothing about Cedar or about file formats.

pub mod compliance;
pub mod diff;
pub mod escape;
pub mod evidence;
pub mod html;
pub mod inventory;
pub mod json;
pub mod junit;
pub mod markdown;
pub mod oscal;
pub mod rules;
pub mod runbook;
pub mod sarif;
pub mod style;
pub mod svg;
pub mod text;
pub mod trend;
pub mod verify;

use std::io::{self, Write};
use std::path::Path;

use crate::catalog::Catalog;
use crate::result::ScanResult;
use crate::severity::FailOn;

/// What every reporter gets.
pub struct ReportContext<'a> {
    pub result: &'a ScanResult,
    pub catalog: &'a Catalog,
    pub fail_on: FailOn,
    /// Colour (ANSI) is allowed: the output is a terminal and `NO_COLOR` is unset.
    pub color: bool,
}

/// One output format.
pub trait Reporter {
    fn write(&self, context: &ReportContext, out: &mut dyn Write) -> io::Result<()>;
}

/// The formats of the commands that print a listing rather than a report.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum TextOrJson {
    Text,
    Json,
}

/// The formats `scan --format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
    Sarif,
    Junit,
    Markdown,
    Html,
    Oscal,
    // The commands that remove each finding in its home system (Markdown; a bash script for
    // `-o FILE.sh`, JSON for `-o FILE.json`). A plain comment: a doc comment would turn clap's
    // help into its long form.
    Runbook,
}

/// What a runbook reporter needs beyond the result.
#[derive(Debug, Clone)]
pub struct RunbookOptions {
    /// Write a script's commands uncommented (`--runbook-executable`).
    pub executable: bool,
    /// The command that re-checks the result on fresh exports.
    pub reverify: Result<crate::runbook::Command, crate::runbook::UnsafeValue>,
}

impl Format {
    /// The reporter; `framework` filters the compliance formats (Markdown, HTML, OSCAL); a
    /// runbook's style follows the output file's name (`path`, none for standard output).
    pub fn reporter(
        self,
        framework: Option<&str>,
        runbook: &RunbookOptions,
        path: Option<&Path>,
    ) -> Box<dyn Reporter> {
        let framework = framework.map(str::to_string);
        match self {
            Format::Text => Box::new(text::TextReporter),
            Format::Json => Box::new(json::JsonReporter),
            Format::Sarif => Box::new(sarif::SarifReporter),
            Format::Junit => Box::new(junit::JunitReporter),
            Format::Markdown => Box::new(markdown::MarkdownReporter { framework }),
            Format::Html => Box::new(html::HtmlReporter { framework }),
            Format::Oscal => Box::new(oscal::OscalReporter { framework }),
            Format::Runbook => Box::new(runbook::RunbookReporter {
                style: runbook::RunbookStyle::for_path(path, runbook.executable),
                reverify: runbook.reverify.clone(),
            }),
        }
    }

    /// The format of an output file: a runbook in the style its name asks for when runbooks
    /// were asked for; otherwise what its extension names (`.sh` is a runbook script), else
    /// `requested`.
    pub fn for_output(path: &Path, requested: Format) -> Format {
        if requested == Format::Runbook {
            Format::Runbook
        } else {
            Format::from_path(path).unwrap_or(requested)
        }
    }

    /// The format an output file's name asks for: `.sarif`, `.xml` (JUnit), `.md`, `.html`,
    /// `.oscal.json`, `.json`, `.txt`, `.sh` (a runbook script).
    pub fn from_path(path: &Path) -> Option<Format> {
        let name = path.file_name()?.to_str()?.to_ascii_lowercase();
        let format = if name.ends_with(".sarif") || name.ends_with(".sarif.json") {
            Format::Sarif
        } else if name.ends_with(".oscal.json") || name.ends_with(".oscal") {
            Format::Oscal
        } else if name.ends_with(".json") {
            Format::Json
        } else if name.ends_with(".xml") || name.ends_with(".junit") {
            Format::Junit
        } else if name.ends_with(".md") || name.ends_with(".markdown") {
            Format::Markdown
        } else if name.ends_with(".html") || name.ends_with(".htm") {
            Format::Html
        } else if name.ends_with(".txt") || name.ends_with(".log") {
            Format::Text
        } else if name.ends_with(".sh") || name.ends_with(".bash") {
            Format::Runbook
        } else {
            return None;
        };
        Some(format)
    }
}

/// A JSON document as every JSON output writes it: pretty-printed, ending with a newline.
pub(crate) fn write_json_document(
    out: &mut dyn Write,
    value: &impl serde::Serialize,
) -> io::Result<()> {
    serde_json::to_writer_pretty(&mut *out, value)?;
    out.write_all(b"\n")
}
