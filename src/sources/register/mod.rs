//! The lifecycle register: YAML (`identities`, `people`, `teams`) or CSV from a CMDB
//! (`id,kind,status,retired_at,owner,aliases`, and `id,status,departed_at` for people).

pub(crate) mod anchors;
mod model;
mod normalize;
#[doc(hidden)]
pub mod parts;
mod shape;

use model::{IdentityEntry, IdentityRow, PersonEntry, PersonRow, RegisterFile};
pub use normalize::MAX_PROBLEMS;
use normalize::{normalize_entries, Locator};
use rayon::prelude::*;
use shape::CsvForm;
pub use shape::EXPECTED_SHAPE;

use jiff::Timestamp;

use super::SourceError;
use crate::diagnostic::Snippet;
use crate::discover::probe::{Content, Probe};
use crate::inventory::Register;

crate::sources::formats! {
    pub enum Format {
        Yaml => "register-yaml",
        IdentitiesCsv => "register-identities-csv",
        PeopleCsv => "register-people-csv",
    }
}

const YAML_KEYS: [&str; 3] = ["identities", "people", "teams"];

pub fn detect(probe: &Probe) -> Option<Format> {
    let ours = |keys: &std::collections::BTreeSet<String>| {
        keys.iter().any(|k| k == "identities" || k == "people")
            && keys.iter().all(|k| YAML_KEYS.contains(&k.as_str()))
    };
    match &probe.content {
        Content::Yaml { keys } => {
            let known = keys
                .iter()
                .filter(|k| YAML_KEYS.contains(&k.as_str()))
                .count();
            (known > 0 && (keys.contains("identities") || keys.contains("people")))
                .then_some(Format::Yaml)
        }
        // A register written in JSON syntax (YAML's parser reads it as it is).
        Content::Json(shape)
            if !shape.is_array
                && ours(&shape.keys)
                && !shape.nested.get("identities").is_some_and(|items| {
                    !items.contains("status") && super::nhiscan::is_record(items)
                }) =>
        {
            Some(Format::Yaml)
        }
        // Columns in any order and case, as CMDB exports write them.
        Content::Csv { header } => {
            let header: Vec<String> = header.iter().map(|h| h.to_ascii_lowercase()).collect();
            let has = |column: &str| header.iter().any(|h| h == column);
            if !(has("id") && has("status")) {
                return None;
            }
            if has("departed_at") {
                Some(Format::PeopleCsv)
            } else if ["kind", "retired_at", "owner", "aliases"]
                .iter()
                .any(|c| has(c))
            {
                Some(Format::IdentitiesCsv)
            } else {
                None
            }
        }
        // A YAML register that does not even parse still deserves its diagnostic.
        Content::Text if looks_like_broken_yaml_register(probe) => Some(Format::Yaml),
        _ => None,
    }
}

fn looks_like_broken_yaml_register(probe: &Probe) -> bool {
    let is_yaml = probe
        .input
        .path
        .extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("yaml") || e.eq_ignore_ascii_case("yml"));
    is_yaml
        && (probe.head.starts_with(b"identities:")
            || memchr::memmem::find(&probe.head, b"\nidentities:").is_some())
}

/// Parses a register file; every problem of the file is collected into one error (the first
/// [`MAX_PROBLEMS`] are kept, the rest counted).
pub fn parse(
    probe: &Probe,
    format: Format,
    now: Option<Timestamp>,
) -> Result<(Register, Vec<String>), SourceError> {
    let bytes = super::whole(probe)?;
    let path = probe.input.rel.as_str();
    if is_blank_yaml(bytes) {
        return Err(shape_error(
            probe,
            bytes,
            0,
            "the register is empty (no identities, people or teams)".into(),
            "empty",
        ));
    }
    let (identities, people, teams, locator) = match format {
        Format::Yaml => {
            let (file, locator) = read_yaml(probe, bytes)?;
            (file.identities, file.people, file.teams, locator)
        }
        Format::IdentitiesCsv => {
            let mut locator = Locator::csv(path, bytes);
            let rows: Vec<IdentityRow> = read_csv(
                probe,
                bytes,
                CsvForm::Identities,
                &mut locator,
                |row: &IdentityRow| row.id.clone(),
            )?;
            let identities = rows
                .into_par_iter()
                .map(|row| IdentityEntry {
                    id: row.id,
                    kind: row.kind.filter(|k| !k.is_empty()),
                    status: row.status,
                    retired_at: row.retired_at.filter(|r| !r.is_empty()),
                    owner: row.owner.filter(|o| !o.is_empty()),
                    aliases: row
                        .aliases
                        .unwrap_or_default()
                        .split(';')
                        .map(str::trim)
                        .filter(|a| !a.is_empty())
                        .map(str::to_string)
                        .collect(),
                    description: None,
                })
                .collect();
            (identities, Vec::new(), Vec::new(), locator)
        }
        Format::PeopleCsv => {
            let mut locator = Locator::csv(path, bytes);
            let rows: Vec<PersonRow> = read_csv(
                probe,
                bytes,
                CsvForm::People,
                &mut locator,
                |row: &PersonRow| row.id.clone(),
            )?;
            let people = rows
                .into_iter()
                .map(|row| PersonEntry {
                    id: row.id,
                    status: row.status,
                    departed_at: row.departed_at.filter(|d| !d.is_empty()),
                    name: None,
                })
                .collect();
            (Vec::new(), people, Vec::new(), locator)
        }
    };
    if identities.is_empty() && people.is_empty() {
        return Err(shape_error(
            probe,
            bytes,
            0,
            "the register declares no identity and no person".into(),
            "no entries",
        ));
    }
    let (register, warnings, problems) =
        normalize_entries(&identities, &people, &teams, &locator, now);
    if problems.is_empty() {
        Ok((register, warnings))
    } else {
        Err(SourceError::Register {
            path: path.to_string(),
            total: problems.total(),
            problems: problems.into_kept(),
        })
    }
}

/// The form of a register file named explicitly (`--register`, `register:`), which is read as a
/// register whatever detection would say: CSV when its first line is a CSV header, else YAML
/// (whose parser then says what is wrong with it).
pub fn format_of_named(probe: &Probe) -> Format {
    match &probe.content {
        Content::Csv { header } => match CsvForm::of_header(header) {
            CsvForm::Identities => Format::IdentitiesCsv,
            CsvForm::People => Format::PeopleCsv,
        },
        _ => Format::Yaml,
    }
}

/// Nothing but whitespace, comments and document markers.
fn is_blank_yaml(bytes: &[u8]) -> bool {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    bytes.split(|&b| b == b'\n').all(|line| {
        let line = line.trim_ascii();
        line.is_empty() || line.starts_with(b"#") || line == b"---" || line == b"..."
    })
}

/// A whole-file problem of a register: not its shape, not readable as one.
fn shape_error(
    probe: &Probe,
    bytes: &[u8],
    offset: usize,
    message: String,
    label: &str,
) -> SourceError {
    let snippet = Snippet::at_offset(&probe.input.rel, bytes, offset, 1);
    SourceError::RegisterShape {
        path: probe.input.rel.clone(),
        message,
        source_code: snippet.source,
        span: snippet.span,
        label: label.to_string(),
    }
}

fn read_yaml<'a>(
    probe: &'a Probe,
    bytes: &'a [u8],
) -> Result<(RegisterFile, Locator<'a>), SourceError> {
    let path = probe.input.rel.as_str();
    let text = std::str::from_utf8(bytes).map_err(|e| {
        shape_error(
            probe,
            bytes,
            e.valid_up_to(),
            "the register is not UTF-8 text".into(),
            "invalid byte",
        )
    })?;
    use crate::discover::nesting::{yaml_flow_depth_exceeded, MAX_YAML_FLOW_DEPTH};
    if let Some(offset) = yaml_flow_depth_exceeded(bytes, MAX_YAML_FLOW_DEPTH) {
        return Err(shape_error(
            probe,
            bytes,
            offset,
            format!("flow collections nested deeper than {MAX_YAML_FLOW_DEPTH} levels"),
            "too deep",
        ));
    }
    match anchors::first_anchor_or_alias(text) {
        Ok(None) => {}
        Ok(Some(found)) => {
            return Err(shape_error(
                probe,
                bytes,
                found.offset,
                format!(
                    "the register uses {} (YAML anchors and aliases are not accepted: each entry lists its own values)",
                    found.what
                ),
                found.what,
            ))
        }
        Err(failed) => {
            return Err(shape_error(
                probe,
                bytes,
                failed.offset,
                format!("the register is not valid YAML: {}", failed.message),
                "here",
            ))
        }
    }
    // Finding each entry's line needs only the text: it runs beside the parse.
    let (file, locator) = rayon::join(|| parts::read(text), || Locator::yaml(path, bytes));
    let file = file.map_err(|e| {
        shape_error(
            probe,
            bytes,
            e.location().map_or(0, |l| l.index()),
            format!("cannot be read as a register: {e}"),
            "here",
        )
    })?;
    Ok((file, locator))
}

fn read_csv<T: serde::de::DeserializeOwned + Send>(
    probe: &Probe,
    bytes: &[u8],
    form: CsvForm,
    locator: &mut Locator,
    id_of: impl Fn(&T) -> String,
) -> Result<Vec<T>, SourceError> {
    let first_line = bytes.split(|&b| b == b'\n').next().unwrap_or_default();
    let delimiter =
        crate::discover::probe::csv_delimiter(&String::from_utf8_lossy(first_line)).unwrap_or(',');
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .delimiter(delimiter as u8)
        .from_reader(bytes);
    let error = |e: csv::Error| {
        let offset = e.position().map(|p| p.byte() as usize);
        SourceError::content(
            probe.input,
            bytes,
            offset,
            format!("invalid register CSV: {e}"),
            "this row",
        )
    };
    // Column names are matched whatever their case (`ID`, `Status`).
    let headers: csv::StringRecord = reader
        .headers()
        .map_err(error)?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').to_ascii_lowercase())
        .collect();
    let names: Vec<String> = headers.iter().map(str::to_string).collect();
    let header_problems = shape::check_header(form, &names);
    if !header_problems.is_empty() {
        let first_line = bytes
            .iter()
            .position(|&b| b == b'\n')
            .unwrap_or(bytes.len());
        let messages: Vec<String> = header_problems.into_iter().map(|p| p.message).collect();
        let offset = names
            .iter()
            .find(|n| !form.columns().contains(&n.as_str()))
            .and_then(|n| {
                let line = bytes[..first_line].to_ascii_lowercase();
                memchr::memmem::find(&line, n.as_bytes())
            })
            .unwrap_or(0);
        return Err(shape_error(
            probe,
            bytes,
            offset,
            format!(
                "the register's CSV header is wrong: {}",
                messages.join("; ")
            ),
            "header",
        ));
    }
    // Splitting rows is cheap and must follow the quotes, so it stays on one thread; turning
    // rows into entries is most of the cost and runs in parallel, a batch at a time so that the
    // raw rows of a register of millions are never all held at once. The first error in file
    // order is the one reported, whichever thread met it.
    const BATCH: usize = 16_384;
    let mut rows = Vec::new();
    let mut batch: Vec<csv::StringRecord> = Vec::with_capacity(BATCH);
    let mut record = csv::StringRecord::new();
    loop {
        // A row the reader rejects (a column too many) is reported only after the rows
        // before it in the batch, one of which may hold an earlier error.
        let read = reader.read_record(&mut record);
        let more = matches!(read, Ok(true));
        if more {
            batch.push(std::mem::take(&mut record));
        }
        if batch.len() == BATCH || (!more && !batch.is_empty()) {
            let parsed: Vec<Result<(T, usize), csv::Error>> = batch
                .par_iter()
                .map(|record| {
                    let row: T = record.deserialize(Some(&headers))?;
                    Ok((row, record.position().map_or(0, |p| p.byte() as usize)))
                })
                .collect();
            for parsed in parsed {
                let (row, offset) = parsed.map_err(error)?;
                locator.record(&id_of(&row), offset);
                rows.push(row);
            }
            batch.clear();
        }
        if !more {
            read.map_err(error)?;
            return Ok(rows);
        }
    }
}

/// One parsed register file.
#[derive(Debug)]
pub struct ParsedRegister {
    pub register: Register,
    pub warnings: Vec<String>,
}

impl super::FamilyFile for ParsedRegister {
    fn record_count(&self) -> usize {
        self.register.identities.len() + self.register.owners.len()
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }
}

/// The lifecycle register: the source of truth the exports are judged against.
pub struct LifecycleRegister;

impl super::Family for LifecycleRegister {
    type Format = Format;
    type File = ParsedRegister;

    fn source(&self) -> crate::inventory::SourceFamily {
        crate::inventory::SourceFamily::Register
    }

    fn recognise(&self, probe: &Probe) -> Option<Format> {
        detect(probe)
    }

    fn parse(
        &self,
        probe: &Probe,
        format: Format,
        context: &super::ParseContext,
    ) -> Result<ParsedRegister, SourceError> {
        let (register, warnings) = parse(probe, format, context.now)?;
        Ok(ParsedRegister { register, warnings })
    }

    /// The register files must not overlap (see `Register::merge`).
    fn characteristic_keys(&self) -> &'static [(Format, &'static [&'static str])] {
        &[(Format::Yaml, &["identities", "people", "teams"])]
    }

    fn assemble(
        &self,
        files: Vec<(crate::discover::FileInput, ParsedRegister)>,
        _assembly: &mut super::Assembly,
    ) -> Result<super::Contribution, super::family::AssembleError> {
        let register = Register::merge(files.into_iter().map(|(_, file)| file.register).collect())
            .map_err(|(conflicts, total)| super::RegisterConflicts { conflicts, total })?;
        Ok(super::Contribution {
            records: Default::default(),
            register: Some(register),
        })
    }
}
