//! Reading a mapped file with its mapping: CSV with the `csv` crate, JSON, JSON lines and YAML
//! with serde into `serde_json::Value`s, each record reduced to the values its mapping names.
//! A column or field the file does not have is a problem of the mapping (pointing into the
//! config and naming what the file has); a file that does not parse is an export that could not
//! be read.

use serde_json::Value;

use super::model::{MappedFile, Row};
use super::path::{field_paths, JsonPath};
use super::spec::{Field, Inventories, Mapping, RECORDS_HELP};
use super::Format;
use crate::diagnostic::{FileDiagnostic, Problem};
use crate::discover::probe::Probe;
use crate::sources::{SourceError, EXPORT_FILE};

/// How many names a "the file has …" list shows.
const SHOWN_NAMES: usize = 40;
/// How many records are kept to tell the user which fields exist.
const SAMPLE_RECORDS: usize = 50;

/// Reads `probe` as `format` with `mapping`.
pub fn read(
    probe: &Probe,
    format: Format,
    mapping: &std::sync::Arc<Mapping>,
    inventories: &Inventories,
) -> Result<MappedFile, SourceError> {
    let context = Context {
        probe,
        mapping,
        inventories,
    };
    if matches!(
        probe.content,
        crate::discover::probe::Content::Binary | crate::discover::probe::Content::Der
    ) {
        return Err(SourceError::io(
            probe.input.rel.clone(),
            "binary content: not the CSV, JSON or YAML the mapping reads",
        ));
    }
    let (rows, warnings) = match format {
        Format::Csv => read_csv(&context)?,
        Format::Json | Format::JsonLines | Format::Yaml => read_documents(&context, format)?,
    };
    Ok(MappedFile {
        mapping: mapping.clone(),
        format,
        rows,
        warnings,
    })
}

struct Context<'a> {
    probe: &'a Probe<'a>,
    mapping: &'a Mapping,
    inventories: &'a Inventories,
}

impl Context<'_> {
    fn rel(&self) -> &str {
        &self.probe.input.rel
    }

    /// A problem of the mapping at `field`'s key in the config.
    fn problem(&self, field: &str, label: &str, message: String, help: Option<&str>) -> Problem {
        self.inventories.problem(
            &format!("inventories[{}].{field}", self.mapping.index),
            label,
            message,
            help,
        )
    }

    fn mismatch(&self, problems: Vec<Problem>) -> SourceError {
        SourceError::Mapping {
            path: self.rel().to_string(),
            problems,
        }
    }

    /// The separator of the grants, when one is set.
    fn separator(&self) -> Option<&str> {
        self.mapping
            .spec
            .grants
            .as_ref()
            .and_then(|g| g.separator.as_deref())
            .filter(|s| !s.is_empty())
    }

    /// A file with nothing in it is an export that failed, not a mapping problem.
    fn refuse_empty(&self, bytes: &[u8]) -> Result<(), SourceError> {
        if bytes.iter().all(u8::is_ascii_whitespace) {
            return Err(SourceError::io(
                self.rel().to_string(),
                format!(
                    "the file is empty: {} maps it (an export that failed?)",
                    self.mapping.label()
                ),
            ));
        }
        Ok(())
    }
}

/// The values of a text cell: split by the separator for grants, else the cell itself.
fn cell_values(field: Field, text: &str, separator: Option<&str>) -> Vec<String> {
    let text = text.trim();
    match separator {
        Some(separator) if field == Field::Grants => text
            .split(separator)
            .map(str::trim)
            .filter(|v| !v.is_empty())
            .map(str::to_string)
            .collect(),
        _ if text.is_empty() => Vec::new(),
        _ => vec![text.to_string()],
    }
}

/// `name` as a diagnostic may show it: control characters escaped (a column name comes from
/// the file).
pub(super) fn shown(name: &str) -> String {
    name.chars()
        .flat_map(|c| {
            let escaped: Vec<char> = if c.is_control() {
                c.escape_unicode().collect()
            } else {
                vec![c]
            };
            escaped
        })
        .collect()
}

/// "`a`, `b` and 3 more".
fn listed(names: &[String], total: usize) -> String {
    if names.is_empty() {
        return "none".into();
    }
    let mut text = names
        .iter()
        .take(SHOWN_NAMES)
        .map(|n| format!("`{}`", shown(n)))
        .collect::<Vec<_>>()
        .join(", ");
    let shown_count = names.len().min(SHOWN_NAMES);
    if total > shown_count {
        text.push_str(&format!(" and {} more", total - shown_count));
    }
    text
}

fn read_csv(context: &Context) -> Result<(Vec<Row>, Vec<String>), SourceError> {
    let probe = context.probe;
    let bytes = crate::sources::whole(probe)?;
    context.refuse_empty(bytes)?;
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
            format!("invalid CSV: {e}"),
            "this row",
        )
    };
    let headers: Vec<String> = reader
        .headers()
        .map_err(error)?
        .iter()
        .map(|h| h.trim_start_matches('\u{feff}').trim().to_string())
        .collect();
    let mut columns = Vec::new();
    let mut problems = Vec::new();
    for (field, name) in context.mapping.spec.fields() {
        match column_of(&headers, name) {
            Some(column) => columns.push((field, column)),
            None => problems.push(context.problem(
                &field.config_key(),
                "no such column",
                format!(
                    "column `{}` is not in {}; its columns are {}",
                    shown(name),
                    context.rel(),
                    listed(&headers, headers.len())
                ),
                Some("a column is matched by its exact name, else by its name in any case"),
            )),
        }
    }
    if !problems.is_empty() {
        return Err(context.mismatch(problems));
    }
    let separator = context.separator();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(error)? {
        let mut row = Row {
            line: record.position().and_then(|p| u32::try_from(p.line()).ok()),
            ..Row::default()
        };
        for &(field, column) in &columns {
            let cell = record.get(column).unwrap_or_default();
            row.set(field, cell_values(field, cell, separator));
        }
        rows.push(row);
    }
    Ok((rows, Vec::new()))
}

/// The column named `name`: by its exact name, else by its name in any case when only one
/// column has it.
fn column_of(headers: &[String], name: &str) -> Option<usize> {
    let name = name.trim();
    headers.iter().position(|h| h == name).or_else(|| {
        let mut matching = headers
            .iter()
            .enumerate()
            .filter(|(_, h)| h.eq_ignore_ascii_case(name));
        match (matching.next(), matching.next()) {
            (Some((i, _)), None) => Some(i),
            _ => None,
        }
    })
}

/// Reduces the records of JSON, JSON-lines and YAML documents to rows, one document at a time.
struct Extractor<'a> {
    context: &'a Context<'a>,
    /// Each mapped field, its path as written and parsed.
    fields: Vec<(Field, String, JsonPath)>,
    /// Whether any record had the field (even as `null`).
    seen: Vec<bool>,
    /// Records where a single-valued field selected several values, per field.
    several: Vec<usize>,
    /// Selected values that were not records (not objects).
    not_records: usize,
    /// Documents in which `records:` selected nothing.
    empty_documents: usize,
    /// Some document has what `records:` names (an empty array counts): the path is right.
    records_found: bool,
    documents: usize,
    /// The first records, for naming the fields that exist.
    sample: Vec<Value>,
    /// The top-level keys of the first document, for a `records:` that selects nothing.
    first_keys: Vec<String>,
    rows: Vec<Row>,
}

impl<'a> Extractor<'a> {
    fn new(context: &'a Context<'a>) -> Result<Self, SourceError> {
        let mut fields = Vec::new();
        let mut problems = Vec::new();
        for (field, column) in context.mapping.spec.fields() {
            match JsonPath::parse(column.trim()) {
                Ok(path) => fields.push((field, column.to_string(), path)),
                Err(e) => problems.push(context.problem(
                    &field.config_key(),
                    "not a field path",
                    format!(
                        "`{}` is not a field path of {}: {e}",
                        shown(column),
                        context.rel()
                    ),
                    Some("name a member (`name`), a nested one (`owner.email`), one in every item of an array (`roles[*].name`), or a name with dots quoted (`['a.b']`)"),
                )),
            }
        }
        if !problems.is_empty() {
            return Err(context.mismatch(problems));
        }
        let count = fields.len();
        Ok(Extractor {
            context,
            fields,
            seen: vec![false; count],
            several: vec![0; count],
            not_records: 0,
            empty_documents: 0,
            records_found: false,
            documents: 0,
            sample: Vec::new(),
            first_keys: Vec::new(),
            rows: Vec::new(),
        })
    }

    /// Reads one document (a whole JSON or YAML file, or one JSON line).
    fn document(&mut self, document: &Value, line: Option<u32>) {
        self.documents += 1;
        if self.documents == 1 {
            if let Value::Object(map) = document {
                self.first_keys = map.keys().cloned().collect();
            }
        }
        let mut records = Vec::new();
        match &self.context.mapping.records {
            Some(path) => path.select(document, &mut records),
            None => match document {
                Value::Array(items) => records.extend(items.iter()),
                other => records.push(other),
            },
        }
        if records.is_empty() {
            self.empty_documents += 1;
            // `$.items[*]` over `{"items": []}` selects nothing, and is right.
            if let Some(path) = &self.context.mapping.records {
                let mut container = path.clone();
                while container.steps.last() == Some(&super::path::Step::Each) {
                    container.steps.pop();
                }
                let mut found = Vec::new();
                container.select(document, &mut found);
                self.records_found |= !found.is_empty();
            }
        } else {
            self.records_found = true;
        }
        for record in records {
            if !record.is_object() {
                self.not_records += 1;
                continue;
            }
            if self.sample.len() < SAMPLE_RECORDS {
                self.sample.push(record.clone());
            }
            let row = self.row(record, line);
            self.rows.push(row);
        }
    }

    fn row(&mut self, record: &Value, line: Option<u32>) -> Row {
        let mut row = Row {
            line,
            ..Row::default()
        };
        let separator = self.context.separator();
        let mut selected = Vec::new();
        for (i, (field, _, path)) in self.fields.iter().enumerate() {
            selected.clear();
            path.select(record, &mut selected);
            if selected.is_empty() {
                continue;
            }
            self.seen[i] = true;
            let mut values = Vec::new();
            for value in &selected {
                scalars(value, 1, &mut |text| {
                    values.extend(cell_values(*field, text, separator))
                });
            }
            if row.set(*field, values) {
                self.several[i] += 1;
            }
        }
        row
    }

    /// The rows, or the problems of the mapping with this file.
    fn finish(self) -> Result<(Vec<Row>, Vec<String>), SourceError> {
        let context = self.context;
        let mut problems = Vec::new();
        let mut warnings = Vec::new();
        if let (Some(path), true) = (
            &context.mapping.spec.records,
            self.rows.is_empty()
                && self.documents > 0
                && (!self.records_found || self.not_records > 0),
        ) {
            let message = if self.not_records > 0 {
                format!(
                    "`{}` selects values that are not records (objects) in {}",
                    shown(path),
                    context.rel()
                )
            } else {
                format!(
                    "`{}` selects nothing in {}; its top-level keys are {}",
                    shown(path),
                    context.rel(),
                    listed(&self.first_keys, self.first_keys.len())
                )
            };
            problems.push(context.problem(
                "records",
                "no records here",
                message,
                Some(RECORDS_HELP),
            ));
        } else if !self.rows.is_empty() {
            let sample: Vec<&Value> = self.sample.iter().collect();
            let existing = field_paths(&sample, SHOWN_NAMES + 1);
            for (i, (field, column, _)) in self.fields.iter().enumerate() {
                if !self.seen[i] {
                    problems.push(context.problem(
                        &field.config_key(),
                        "no such field",
                        format!(
                            "field `{}` is in no record of {}; its records have {}",
                            shown(column),
                            context.rel(),
                            listed(&existing, existing.len())
                        ),
                        Some("a field is a member of the record (`name`), a nested one (`owner.email`) or one in every item of an array (`roles[*].name`)"),
                    ));
                } else if self.several[i] > 0 {
                    warnings.push(format!(
                        "{} `{}` holds several values in {} record(s); the first is read",
                        field.config_key(),
                        shown(column),
                        self.several[i]
                    ));
                }
            }
        }
        if !problems.is_empty() {
            return Err(context.mismatch(problems));
        }
        if self.not_records > 0 {
            warnings.push(format!(
                "{} selected value(s) are not records (objects); not read",
                self.not_records
            ));
        }
        if self.rows.is_empty() {
            warnings.push("no records".into());
        } else if self.empty_documents > 0 && self.documents > 1 {
            warnings.push(format!(
                "{} of {} documents hold no records",
                self.empty_documents, self.documents
            ));
        }
        Ok((self.rows, warnings))
    }
}

/// Calls `each` with the text of every scalar in `value`: a string, a number or a boolean, and
/// the scalars of an array down to `depth` levels. `null` and objects hold none.
fn scalars(value: &Value, depth: usize, each: &mut impl FnMut(&str)) {
    match value {
        Value::String(text) => each(text),
        Value::Number(number) => each(&number.to_string()),
        Value::Bool(flag) => each(if *flag { "true" } else { "false" }),
        Value::Array(items) if depth > 0 => {
            for item in items {
                scalars(item, depth - 1, each);
            }
        }
        _ => {}
    }
}

fn read_documents(
    context: &Context,
    format: Format,
) -> Result<(Vec<Row>, Vec<String>), SourceError> {
    let probe = context.probe;
    let mut extractor = Extractor::new(context)?;
    match (format, probe.bytes()) {
        (Format::JsonLines, None) => stream_json_lines(context, &mut extractor)?,
        (Format::JsonLines, Some(bytes)) => {
            context.refuse_empty(bytes)?;
            for (index, line) in bytes.split(|&b| b == b'\n').enumerate() {
                let number = u32::try_from(index + 1).ok();
                json_line(context, line, number, (bytes, index + 1), &mut extractor)?;
            }
        }
        (Format::Json, _) => {
            let bytes = crate::sources::whole(probe)?;
            context.refuse_empty(bytes)?;
            let json = |e: serde_json::Error| SourceError::json(probe.input, bytes, "JSON", &e);
            for document in serde_json::Deserializer::from_slice(bytes).into_iter::<Value>() {
                extractor.document(&document.map_err(json)?, None);
            }
        }
        (Format::Yaml, _) => {
            let bytes = crate::sources::whole(probe)?;
            context.refuse_empty(bytes)?;
            let text = std::str::from_utf8(bytes).map_err(|e| {
                SourceError::content(
                    probe.input,
                    bytes,
                    Some(e.valid_up_to()),
                    "YAML that is not UTF-8".into(),
                    "here",
                )
            })?;
            refuse_anchors(context, text)?;
            let document: Value = serde_yaml::from_str(text).map_err(|e| {
                SourceError::File(
                    FileDiagnostic::yaml(&EXPORT_FILE, context.rel(), text, &e).with_format("YAML"),
                )
            })?;
            extractor.document(&document, None);
        }
        (Format::Csv, _) => return read_csv(context),
    }
    extractor.finish()
}

/// Anchors and aliases are refused in YAML inventories, as in the register: serde expands an
/// alias by replaying its anchor, which a hostile file turns into quadratic work.
fn refuse_anchors(context: &Context, text: &str) -> Result<(), SourceError> {
    use crate::sources::register::anchors::first_anchor_or_alias;
    let bytes = text.as_bytes();
    match first_anchor_or_alias(text) {
        Ok(None) => Ok(()),
        Ok(Some(found)) => Err(SourceError::content(
            context.probe.input,
            bytes,
            Some(found.offset),
            format!(
                "the inventory holds {}: YAML anchors and aliases are not read",
                found.what
            ),
            found.what,
        )),
        Err(failed) => Err(SourceError::content(
            context.probe.input,
            bytes,
            Some(failed.offset),
            format!("invalid YAML: {}", failed.message),
            "here",
        )),
    }
}

/// One JSON line, line `number` of the file; `whole` is the text errors are shown in, where the
/// line is line `line_in_whole`.
fn json_line(
    context: &Context,
    line: &[u8],
    number: Option<u32>,
    (whole, line_in_whole): (&[u8], usize),
    extractor: &mut Extractor,
) -> Result<(), SourceError> {
    let line = line.trim_ascii();
    if line.is_empty() {
        return Ok(());
    }
    let document: Value = serde_json::from_slice(line).map_err(|e| {
        let at = number.unwrap_or(1);
        SourceError::content(
            context.probe.input,
            whole,
            Some(crate::diagnostic::offset_of_line_column(
                whole,
                line_in_whole,
                e.column(),
            )),
            format!("line {at}: invalid JSON: {e}"),
            "here",
        )
    })?;
    extractor.document(&document, number);
    Ok(())
}

/// A JSON-lines file too large to be read whole, read one line at a time.
fn stream_json_lines(context: &Context, extractor: &mut Extractor) -> Result<(), SourceError> {
    use crate::discover::lines::{read_record, too_long_message, Record, MAX_RECORD_BYTES};
    let input = context.probe.input;
    let io = |e: std::io::Error| SourceError::io(input.rel.clone(), e.to_string());
    let file = crate::discover::open_regular(&input.path).map_err(io)?;
    let mut reader = std::io::BufReader::with_capacity(256 * 1024, file);
    let mut buffer = Vec::new();
    let mut number: u32 = 0;
    while let Some(record) = read_record(&mut reader, &mut buffer, MAX_RECORD_BYTES).map_err(io)? {
        number = number.saturating_add(1);
        match record {
            Record::Line { .. } => {
                let line = std::mem::take(&mut buffer);
                json_line(context, &line, Some(number), (&line, 1), extractor)?;
                buffer = line;
            }
            Record::TooLong { bytes } => {
                return Err(SourceError::io(
                    input.rel.clone(),
                    format!("line {number}: {}", too_long_message(bytes)),
                ))
            }
        }
    }
    Ok(())
}
