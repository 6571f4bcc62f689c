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
    /// The compliance formats' aggregates, when they were gathered while the findings streamed
    /// (a merge, whose result holds no findings); otherwise they are tallied from the result.
    pub compliance: Option<&'a compliance::ComplianceTally>,
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
    /// The compliance formats, written from a [`compliance::ComplianceTally`] of the findings.
    pub fn is_compliance(self) -> bool {
        matches!(self, Format::Markdown | Format::Html | Format::Oscal)
    }

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

/// Writes the pretty-printed JSON document `skeleton` (as serde_json renders it, the array `key`
/// at `depth` empty) with the elements of `batches` in that array, exactly as serde_json would
/// have written the whole document, followed by a newline. Each batch is rendered on every core
/// while the one before is written, and only one batch is held: a report of a million findings
/// is neither copied nor kept whole to be printed. JSON strings never hold a raw newline, so the
/// marker `\n<indent>"key": []` is found only where the array is, and indenting each rendered
/// element after each newline is exact; tests compare the bytes with serde_json's.
pub(crate) fn write_spliced<T: Sync, B: AsRef<[T]>>(
    out: &mut dyn Write,
    skeleton: &[u8],
    key: &str,
    depth: usize,
    batches: impl Iterator<Item = io::Result<B>>,
    render: impl Fn(&T) -> io::Result<Vec<u8>> + Sync,
) -> io::Result<()> {
    let indent = " ".repeat(depth * 2);
    let marker = format!("\n{indent}\"{key}\": []");
    let at = memchr::memmem::find(skeleton, marker.as_bytes())
        .map(|at| at + marker.len() - 1)
        .ok_or_else(|| io::Error::other(format!("the document has no empty `{key}` array")))?;
    let element_indent = format!("\n{indent}  ");
    let mut started = false;
    let mut pending: Vec<Vec<u8>> = Vec::new();
    for batch in batches {
        let batch = batch?;
        let items = batch.as_ref();
        if items.is_empty() {
            continue;
        }
        let first_batch = !started;
        if first_batch {
            out.write_all(&skeleton[..at])?;
            started = true;
        }
        let mut rendered = None;
        let mut written = Ok(());
        rayon::in_place_scope(|scope| {
            scope.spawn(|_| {
                rendered = Some(render_elements(
                    items,
                    first_batch,
                    &element_indent,
                    &render,
                ));
            });
            written = pending.iter().try_for_each(|chunk| out.write_all(chunk));
        });
        written?;
        pending = rendered.transpose()?.unwrap_or_default();
    }
    if !started {
        out.write_all(skeleton)?;
        return out.write_all(b"\n");
    }
    for chunk in pending {
        out.write_all(&chunk)?;
    }
    out.write_all(b"\n")?;
    out.write_all(indent.as_bytes())?;
    out.write_all(&skeleton[at..])?;
    out.write_all(b"\n")
}

/// A batch of array elements, each rendered and indented to its depth, in parallel pieces, in
/// order.
fn render_elements<T: Sync>(
    items: &[T],
    first_batch: bool,
    element_indent: &str,
    render: &(impl Fn(&T) -> io::Result<Vec<u8>> + Sync),
) -> io::Result<Vec<Vec<u8>>> {
    use rayon::prelude::*;
    const PIECE: usize = 256;
    items
        .par_chunks(PIECE)
        .enumerate()
        .map(|(piece, elements)| {
            let mut buffer = Vec::with_capacity(elements.len() * 1024);
            for (i, element) in elements.iter().enumerate() {
                if !(first_batch && piece == 0 && i == 0) {
                    buffer.push(b',');
                }
                buffer.extend_from_slice(element_indent.as_bytes());
                let rendered = render(element)?;
                let mut lines = rendered.split(|&b| b == b'\n');
                if let Some(line) = lines.next() {
                    buffer.extend_from_slice(line);
                }
                for line in lines {
                    buffer.extend_from_slice(element_indent.as_bytes());
                    buffer.extend_from_slice(line);
                }
            }
            Ok(buffer)
        })
        .collect()
}
