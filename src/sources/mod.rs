//! Source families: each recognises its exports by content and turns them into inventory
//! records, and nothing else. Parsing is per file (in parallel); `assemble` then joins what a
//! family needs to join across files (AWS key IDs to credential-report slots, …).

mod assembly;
pub mod aws;
pub mod azure;
pub mod certs;
pub mod exposure;
pub mod family;
pub mod gcp;
pub mod github;
pub mod kubernetes;
pub mod leak;
pub mod manifest;
pub mod mapped;
pub mod near_miss;
pub mod nhiscan;
pub mod reconcile;
pub mod register;
pub mod terraform;
pub mod vault;

use miette::{Diagnostic, NamedSource, SourceSpan};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostic::{FileDiagnostic, FileKind, Snippet};
use crate::discover::probe::{Content, Probe};
use crate::discover::FileInput;
use crate::inventory::{Records, Register};
pub use assembly::Assembly;

pub(crate) use family::formats;
pub use family::{
    detect, AnyFamily, Contribution, Detected, ErasedFile, Family, FamilyFile, FamilyFormat,
    InRepository, ParseContext, Parsed, ScanBudget, FAMILIES,
};

/// How exports are named in diagnostics about a file as a whole.
pub static EXPORT_FILE: FileKind = FileKind {
    what: "export",
    io_code: "deprov::input::io",
    unreadable: "cannot read {path}: {message}",
    syntax_code: "deprov::input::syntax",
    invalid: "{path}: invalid {format}: {message}",
    invalid_help: Some(
        "the file looks like {format} but does not parse; re-export it or remove it from the scan",
    ),
};

/// The format a broken or truncated JSON file was meant to be, judged by the shape of the part
/// that could be read (or of the head of a file above the size limit). Such a file is an export
/// that could not be read, not an unrecognised one.
pub fn detect_broken(probe: &Probe) -> Option<Detected> {
    let Content::BrokenJson { partial, .. } = &probe.content else {
        return None;
    };
    let stand_in = Probe {
        input: probe.input,
        head: probe.head.clone(),
        bytes: None,
        content: Content::Json(partial.clone()),
        decoded_from: probe.decoded_from,
    };
    detect(&stand_in)
}

/// One file's parse result.
#[derive(Debug)]
pub struct ParsedFile {
    pub input: FileInput,
    pub format: Detected,
    /// What the family read; only that family looks inside.
    pub parsed: ErasedFile,
    /// Identities, credentials, grants and uses the file contributed.
    pub records: usize,
    pub warnings: Vec<String>,
    /// What was read, when a record count says too little (see [`FamilyFile::detail`]).
    pub detail: Option<String>,
    /// When the export was taken, where it says (see [`FamilyFile::exported_at`]).
    pub exported_at: Option<jiff::Timestamp>,
    /// Orders files by what they hold rather than by their names (see [`assemble`]): the size,
    /// then a SHA-256 of the first 64 KiB.
    pub content_order: (u64, [u8; 32]),
}

/// A file that was read, as the `sources` section of the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceSummary {
    pub path: String,
    pub format: String,
    pub records: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// What was read, when it says more than a record count (a repository's commits and bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Where the file was opened (the scanned root joined with `path`), for the evidence
    /// bundle's hashes; not in reports, which show `path`.
    #[serde(skip)]
    pub opened: Option<std::path::PathBuf>,
    /// When the export was taken, where it says (an export manifest's `exported_at`, a
    /// credential report's `GeneratedTime`); not in reports.
    #[serde(skip)]
    pub exported_at: Option<jiff::Timestamp>,
}

/// Why a recognised file could not be read.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum SourceError {
    /// The file cannot be read, or does not parse as the format it was recognised as.
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] FileDiagnostic),
    #[error("{path}: {message}")]
    #[diagnostic(code(deprov::input::content))]
    Content {
        path: String,
        message: String,
        #[source_code]
        source_code: NamedSource<String>,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },
    #[error("{path}: the register has {total} problem(s){}", shown_of(problems.len(), *total))]
    #[diagnostic(
        code(deprov::register::invalid),
        help("the register is the source of truth: deprov does not judge against a register it cannot read")
    )]
    Register {
        path: String,
        /// The first problems (at most `register::MAX_PROBLEMS`).
        #[related]
        problems: Vec<crate::diagnostic::Problem>,
        /// Every problem found, including those not kept.
        total: usize,
    },
    /// Recognised, and well formed, but of a kind that holds nothing deprov can use (a
    /// response that does not name its subject): listed, and not a gap in the reading.
    #[error("{path}: {message}")]
    #[diagnostic(code(deprov::input::unusable))]
    Unusable { path: String, message: String },
    /// A file named by `inventories:` that the mapping does not fit (a column it does not
    /// have): the config is wrong, not the file. Every problem points into the config.
    #[error("{path}: the config's inventory mapping does not fit the file ({} problem(s))", problems.len())]
    #[diagnostic(
        code(deprov::config::inventory_mismatch),
        help("fix the mapping under `inventories:` in the config: each problem names what the file has")
    )]
    Mapping {
        path: String,
        #[related]
        problems: Vec<crate::diagnostic::Problem>,
    },
    #[error("{path}: {message}")]
    #[diagnostic(code(deprov::register::shape), help("{}", register::EXPECTED_SHAPE))]
    RegisterShape {
        path: String,
        message: String,
        #[source_code]
        source_code: NamedSource<String>,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
    },
}

/// ` (the first N shown)` when problems were left out.
fn shown_of(kept: usize, total: usize) -> String {
    if kept < total {
        format!(" (the first {kept} shown)")
    } else {
        String::new()
    }
}

impl SourceError {
    /// Whether the file simply holds nothing usable (it is not broken): not reading it leaves
    /// no gap.
    pub fn is_unusable(&self) -> bool {
        matches!(self, SourceError::Unusable { .. })
    }

    /// One line for the `skipped` list.
    pub fn reason(&self) -> String {
        match self {
            SourceError::File(FileDiagnostic::Syntax {
                kind,
                format,
                message,
                ..
            }) => format!(
                "invalid {}: {message}",
                format.as_deref().unwrap_or(kind.what)
            ),
            SourceError::File(FileDiagnostic::Io { message, .. }) => {
                format!("cannot read: {message}")
            }
            SourceError::File(e @ FileDiagnostic::NotRegular(_)) => e.to_string(),
            SourceError::Register {
                problems, total, ..
            } => {
                let mut reason = problems
                    .iter()
                    .map(|p| p.to_string())
                    .collect::<Vec<_>>()
                    .join("; ");
                if *total > problems.len() {
                    reason.push_str(&format!("; and {} more", total - problems.len()));
                }
                reason
            }
            SourceError::RegisterShape { message, .. } => message.clone(),
            SourceError::Mapping { problems, .. } => problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("; "),
            SourceError::Unusable { message, .. } => message.clone(),
            SourceError::Content { message, .. } => message.clone(),
        }
    }

    /// A file that cannot be read.
    pub fn io(path: impl Into<String>, message: impl Into<String>) -> Self {
        FileDiagnostic::io(&EXPORT_FILE, path, message).into()
    }

    /// A syntax error from serde_json, pointing at its line and column.
    pub fn json(input: &FileInput, bytes: &[u8], format: &str, err: &serde_json::Error) -> Self {
        FileDiagnostic::json(&EXPORT_FILE, &input.rel, bytes, err)
            .with_format(format)
            .into()
    }

    /// A content error at a byte offset (`None`: the whole file).
    pub fn content(
        input: &FileInput,
        bytes: &[u8],
        offset: Option<usize>,
        message: String,
        label: &str,
    ) -> Self {
        let snippet = match offset {
            Some(o) => Snippet::at_offset(&input.rel, bytes, o, 1),
            None => Snippet::none(&input.rel),
        };
        SourceError::Content {
            path: input.rel.clone(),
            message,
            source_code: snippet.source,
            span: snippet.span,
            label: label.to_string(),
            help: None,
        }
    }
}

/// The whole file, or an error saying why it was not read whole.
pub fn whole<'p>(probe: &'p Probe) -> Result<&'p [u8], SourceError> {
    probe.bytes().ok_or_else(|| {
        SourceError::io(
            probe.input.rel.clone(),
            format!(
                "file of {} bytes is above the size limit (limits.max_file_size_mb)",
                probe.input.size
            ),
        )
    })
}

/// Parses a recognised file.
pub fn parse(
    probe: &Probe,
    format: Detected,
    context: &ParseContext,
) -> Result<ParsedFile, SourceError> {
    let Parsed {
        file: parsed,
        records,
        mut warnings,
        detail,
        exported_at,
    } = format
        .family_impl()
        .parse(probe, format.format(), context)?;
    if let Some(encoding) = probe.decoded_from {
        warnings.insert(
            0,
            format!("the file is not UTF-8: read as {encoding} (re-export it as UTF-8 to be sure every name is read as written)"),
        );
    }
    Ok(ParsedFile {
        input: probe.input.clone(),
        format,
        parsed,
        records,
        warnings,
        detail,
        exported_at,
        content_order: content_order(probe),
    })
}

/// What orders a file among the others for [`assemble`] (its size, then a SHA-256 of its
/// head), and tells that a file read twice is the same file.
pub fn content_order(probe: &Probe) -> (u64, [u8; 32]) {
    use sha2::Digest;
    (probe.input.size, sha2::Sha256::digest(&probe.head).into())
}

/// Runs a parsed file's sequential work against the scan's budget (see [`Family::settle`]),
/// keeping its record count and warnings in step. Scans call it in path order.
pub fn settle(parsed: &mut ParsedFile, budget: &mut ScanBudget) -> Result<(), String> {
    let format = parsed.format;
    match format.family_impl().settle(&mut parsed.parsed, budget) {
        Ok(Some((records, warnings))) => {
            parsed.records = records;
            let decoded: Vec<String> = parsed
                .warnings
                .iter()
                .filter(|w| w.starts_with("the file is not UTF-8"))
                .cloned()
                .collect();
            parsed.warnings = decoded.into_iter().chain(warnings).collect();
            Ok(())
        }
        Ok(None) => Ok(()),
        Err(reason) => Err(format!("{}: {reason}", format.name())),
    }
}

/// A file read inside a git repository, without what its family leaves out there (see
/// [`Family::for_repository`]).
pub fn for_repository(mut parsed: ParsedFile) -> ParsedFile {
    let warnings = parsed
        .format
        .family_impl()
        .for_repository(&mut parsed.parsed);
    parsed.warnings.extend(warnings);
    parsed
}

/// Everything the families produced once joined.
#[derive(Debug, Default)]
pub struct Assembled {
    pub records: Records,
    pub register: Register,
    pub sources: Vec<SourceSummary>,
    /// Secret material the exports hold (`leak`), one record per secret; correlated with the
    /// repositories' secrets.
    pub exposures: Vec<crate::inventory::ExposureRecord>,
    /// The platforms' own verdicts on use, joined once the inventory is correlated
    /// (`inventory::apply_verdicts`).
    pub verdicts: Vec<crate::inventory::VerdictRecord>,
}

/// Register files that declare the same identity, owner or alias.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error(
    "the register files conflict ({total} conflict(s){}):\n{}",
    shown_of(conflicts.len(), *total),
    conflicts.iter().map(|c| format!("  - {}", c.message)).collect::<Vec<_>>().join("\n")
)]
#[diagnostic(
    code(deprov::register::conflict),
    help("declare each identity, person, team and alias in one register file, or name the register to use with --register")
)]
pub struct RegisterConflicts {
    pub conflicts: Vec<crate::inventory::RegisterConflict>,
    pub total: usize,
}

/// Joins each family's files into records; the register files must not conflict.
///
/// Families meet their files in an order that follows the files' content, not their names or
/// the order of paths on the command line: where two exports say the same thing, which one is
/// cited as evidence then does not change when files are renamed or given in another order
/// (where they disagree, `reconcile` decides by what they say). Files whose heads and sizes are
/// equal fall back to their paths.
pub fn assemble(files: Vec<ParsedFile>) -> Result<Assembled, RegisterConflicts> {
    let mut by_family: Vec<Vec<ParsedFile>> = FAMILIES.iter().map(|_| Vec::new()).collect();
    for file in files {
        by_family[file.format.family_index()].push(file);
    }
    // The families share nothing until their records are joined, so they are assembled at once;
    // the order of the list (and so of the records) stays fixed.
    let parts: Vec<_> = by_family
        .into_par_iter()
        .enumerate()
        .with_max_len(1)
        .map(|(family, files)| assemble_family(family, files))
        .collect();
    let mut assembled = Assembled::default();
    for part in parts {
        assembled.add_family(part?);
    }
    assembled.finish();
    Ok(assembled)
}

impl Assembled {
    /// Adds one family's part, in family order; [`Assembled::finish`] once all are in.
    pub fn add_family(&mut self, part: FamilyAssembled) {
        self.records.extend(part.records);
        self.verdicts.extend(part.verdicts);
        if let Some(register) = part.register {
            self.register = register;
        }
        self.sources.extend(part.sources);
        self.exposures.extend(part.exposures);
    }

    /// Merges the secrets the families found (one record per secret) and sorts the files.
    pub fn finish(&mut self) {
        self.exposures = leak::merge(std::mem::take(&mut self.exposures));
        self.sources.sort();
    }
}

/// What one family's files come to once joined (see [`assemble_family`]).
#[derive(Debug, Default)]
pub struct FamilyAssembled {
    pub records: Records,
    /// The register family's register.
    pub register: Option<Register>,
    /// The family's files as the report lists them, with the join's warnings attached.
    pub sources: Vec<SourceSummary>,
    /// Secret material the files hold, not yet merged across families (`leak::merge`).
    pub exposures: Vec<crate::inventory::ExposureRecord>,
    pub verdicts: Vec<crate::inventory::VerdictRecord>,
}

/// Joins the files of family `family` (its index in [`FAMILIES`]), in content order (see
/// [`assemble`]). Families share nothing until correlation, so the families can be assembled
/// at once (`assemble`) or one after another (a shard's reading, `scan::by_family`) alike.
pub fn assemble_family(
    family: usize,
    mut files: Vec<ParsedFile>,
) -> Result<FamilyAssembled, RegisterConflicts> {
    files.sort_by(|a, b| (a.content_order, &a.input.rel).cmp(&(b.content_order, &b.input.rel)));
    let mut sources = Vec::with_capacity(files.len());
    let mut inputs = Vec::with_capacity(files.len());
    for file in files {
        sources.push(SourceSummary {
            path: file.input.rel.clone(),
            format: file.format.name(),
            records: file.records,
            warnings: file.warnings,
            detail: file.detail,
            opened: Some(file.input.path.clone()),
            exported_at: file.exported_at,
        });
        inputs.push((file.input, file.parsed));
    }
    let Some(implementation) = FAMILIES.get(family) else {
        return Ok(FamilyAssembled {
            sources,
            ..FamilyAssembled::default()
        });
    };
    let mut assembly = Assembly::new();
    let contribution = implementation.assemble(inputs, &mut assembly)?;
    let verdicts = assembly.take_verdicts();
    let (warnings, exposures) = assembly.into_parts();
    attach_warnings(&mut sources, warnings);
    Ok(FamilyAssembled {
        records: contribution.records,
        register: contribution.register,
        sources,
        exposures,
        verdicts,
    })
}

/// How many warnings one file keeps; the rest are counted in a last one.
pub const MAX_WARNINGS_PER_FILE: usize = 50;

/// Adds the families' join-time warnings to the files they are about (each once), keeping at
/// most [`MAX_WARNINGS_PER_FILE`] per file. Linear in the warnings: files are found by a map and
/// repeats by a set (a search of the file list and of the file's warnings per warning made a
/// credential report with a warning on each of its rows quadratic: 50,000 rows took 5.6 s), and
/// an export of a hundred thousand disagreeing duplicates costs a count, not a hundred thousand
/// lines.
fn attach_warnings(sources: &mut [SourceSummary], warnings: Vec<(String, String)>) {
    if warnings.is_empty() {
        return;
    }
    let index: std::collections::HashMap<&str, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.path.as_str(), i))
        .collect();
    // Per file: the messages it holds (seeded with its parse warnings), and how many were left
    // out over the cap.
    let mut added: Vec<Option<(std::collections::HashSet<String>, usize)>> =
        vec![None; sources.len()];
    let mut placed = Vec::new();
    for (path, message) in warnings {
        let Some(&i) = index.get(path.as_str()) else {
            continue;
        };
        let (seen, dropped) =
            added[i].get_or_insert_with(|| (sources[i].warnings.iter().cloned().collect(), 0));
        if !seen.insert(message.clone()) {
            continue;
        }
        if seen.len() > MAX_WARNINGS_PER_FILE {
            *dropped += 1;
        } else {
            placed.push((i, message));
        }
    }
    for (i, message) in placed {
        sources[i].warnings.push(message);
    }
    for (source, added) in sources.iter_mut().zip(added) {
        if let Some((_, dropped)) = added.filter(|(_, dropped)| *dropped > 0) {
            source
                .warnings
                .push(format!("and {dropped} more warning(s) of the same kinds"));
        }
    }
}

/// Why an unrecognised file was left out: said as precisely as the content allows.
pub fn unrecognised_reason(probe: &Probe) -> String {
    match &probe.content {
        Content::BrokenJson {
            message,
            line,
            column,
            ..
        } => format!("not valid JSON (line {line}, column {column}): {message}"),
        Content::Json(shape) => {
            let keys: Vec<&str> = shape.keys.iter().take(6).map(String::as_str).collect();
            format!(
                "JSON {} not recognised as an export deprov reads (keys: {})",
                if shape.is_array { "array" } else { "object" },
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.join(", ")
                }
            )
        }
        Content::JsonLines(_) => "JSON lines not recognised as an export deprov reads".into(),
        Content::Csv { header } => format!(
            "CSV not recognised (header starts: {})",
            header.iter().take(4).cloned().collect::<Vec<_>>().join(",")
        ),
        Content::Yaml { .. } => "YAML not recognised as a register or export".into(),
        Content::Pem => "PEM content without a certificate, CRL or PKCS#7 block (private keys and requests are not read as stores)".into(),
        Content::Der => "ASN.1 (DER or BER) content that is neither a certificate, a CRL, PKCS#7 nor PKCS#12".into(),
        Content::Text => "text not recognised as an export deprov reads".into(),
        Content::Binary => match crate::discover::binary::binary_kind(&probe.head) {
            Some(kind) if kind != "binary data" => format!("binary file ({kind})"),
            _ => "binary file".into(),
        },
    }
}

#[cfg(test)]
mod attach_tests {
    use super::*;

    fn source(path: &str, warnings: &[&str]) -> SourceSummary {
        SourceSummary {
            path: path.into(),
            format: "aws/credential-report-csv".into(),
            records: 0,
            warnings: warnings.iter().map(|w| w.to_string()).collect(),
            detail: None,
            opened: None,
            exported_at: None,
        }
    }

    #[test]
    fn warnings_go_to_their_file_once_each_in_order() {
        let mut sources = vec![source("a.csv", &["parse warning"]), source("b.json", &[])];
        attach_warnings(
            &mut sources,
            vec![
                ("b.json".into(), "two".into()),
                ("a.csv".into(), "parse warning".into()),
                ("b.json".into(), "one".into()),
                ("b.json".into(), "two".into()),
                ("gone.json".into(), "nobody".into()),
            ],
        );
        assert_eq!(sources[0].warnings, vec!["parse warning"]);
        assert_eq!(sources[1].warnings, vec!["two", "one"]);
    }

    /// Issue 13, item 18: one file with a warning on each of 200,000 rows (a credential report
    /// of one account with a bad date everywhere). Quadratic, this took minutes; the timeout is
    /// only a hang guard.
    #[test]
    fn a_warning_per_row_of_one_large_file_is_attached_in_linear_time() {
        let rows = 200_000;
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sources = vec![source("credential-report.csv", &[])];
            let warnings = (0..rows)
                .map(|line| {
                    (
                        "credential-report.csv".to_string(),
                        format!("line {line}: user_creation_time: not a date; treated as unknown"),
                    )
                })
                .collect();
            attach_warnings(&mut sources, warnings);
            let _ = sender.send(sources.remove(0).warnings);
        });
        let attached = receiver
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("attaching 200,000 warnings did not finish");
        // The first 50, then a count of the rest.
        assert_eq!(attached.len(), MAX_WARNINGS_PER_FILE + 1);
        assert_eq!(
            attached.last().unwrap(),
            &format!(
                "and {} more warning(s) of the same kinds",
                rows - MAX_WARNINGS_PER_FILE
            )
        );
    }
}
