//! The lifecycle register: YAML (`identities`, `people`, `teams`) or CSV from a CMDB
//! (`id,kind,status,retired_at,owner,aliases`, and `id,status,departed_at` for people).

mod model;
mod normalize;

use model::{IdentityEntry, IdentityRow, PersonEntry, PersonRow, RegisterFile};
pub use normalize::RegisterProblem;
use normalize::{normalize_entries, Locator};

use super::SourceError;
use crate::diagnostic::Snippet;
use crate::discover::probe::{Content, Probe};
use crate::inventory::Register;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {
    Yaml,
    IdentitiesCsv,
    PeopleCsv,
}

impl Format {
    pub fn name(self) -> &'static str {
        match self {
            Format::Yaml => "register-yaml",
            Format::IdentitiesCsv => "register-identities-csv",
            Format::PeopleCsv => "register-people-csv",
        }
    }
}

const YAML_KEYS: [&str; 3] = ["identities", "people", "teams"];

pub fn detect(probe: &Probe) -> Option<Format> {
    match &probe.content {
        Content::Yaml { keys } => {
            let ours = keys
                .iter()
                .filter(|k| YAML_KEYS.contains(&k.as_str()))
                .count();
            (ours > 0 && (keys.contains("identities") || keys.contains("people")))
                .then_some(Format::Yaml)
        }
        Content::Csv { header } => {
            let header: Vec<&str> = header.iter().map(|h| h.as_str()).collect();
            if header.starts_with(&["id", "kind", "status"]) {
                Some(Format::IdentitiesCsv)
            } else if header == ["id", "status", "departed_at"] {
                Some(Format::PeopleCsv)
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

/// Parses a register file; every problem of the file is collected into one error.
pub fn parse(probe: &Probe, format: Format) -> Result<(Register, Vec<String>), SourceError> {
    let bytes = super::whole(probe)?;
    let path = probe.input.rel.as_str();
    let (identities, people, teams, locator) = match format {
        Format::Yaml => {
            let text = std::str::from_utf8(bytes).map_err(|e| {
                SourceError::content(
                    probe.input,
                    bytes,
                    Some(e.valid_up_to()),
                    "the register is not UTF-8 text".into(),
                    "invalid byte",
                )
            })?;
            use crate::discover::nesting::{yaml_flow_depth_exceeded, MAX_YAML_FLOW_DEPTH};
            if let Some(offset) = yaml_flow_depth_exceeded(bytes, MAX_YAML_FLOW_DEPTH) {
                let snippet = Snippet::at_offset(path, bytes, offset, 1);
                return Err(SourceError::Syntax {
                    path: path.to_string(),
                    format: "register YAML".into(),
                    message: format!(
                        "flow collections nested deeper than {MAX_YAML_FLOW_DEPTH} levels"
                    ),
                    source_code: snippet.source,
                    span: snippet.span,
                });
            }
            // Finding each entry's line needs only the text: it runs beside the parse.
            let (file, locator) = rayon::join(
                || serde_yaml::from_str::<RegisterFile>(text),
                || Locator::yaml(path, bytes),
            );
            let file = file.map_err(|e| {
                let snippet =
                    Snippet::at_offset(path, bytes, e.location().map_or(0, |l| l.index()), 1);
                SourceError::Syntax {
                    path: path.to_string(),
                    format: "register YAML".into(),
                    message: e.to_string(),
                    source_code: snippet.source,
                    span: snippet.span,
                }
            })?;
            (file.identities, file.people, file.teams, locator)
        }
        Format::IdentitiesCsv => {
            let mut locator = Locator::csv(path, bytes);
            let rows: Vec<IdentityRow> =
                read_csv(probe, bytes, &mut locator, |row: &IdentityRow| {
                    row.id.clone()
                })?;
            let identities = rows
                .into_iter()
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
            let rows: Vec<PersonRow> =
                read_csv(probe, bytes, &mut locator, |row: &PersonRow| row.id.clone())?;
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
    let (register, warnings, problems) = normalize_entries(&identities, &people, &teams, &locator);
    if problems.is_empty() {
        Ok((register, warnings))
    } else {
        Err(SourceError::Register {
            path: path.to_string(),
            problems,
        })
    }
}

fn read_csv<T: serde::de::DeserializeOwned>(
    probe: &Probe,
    bytes: &[u8],
    locator: &mut Locator,
    id_of: impl Fn(&T) -> String,
) -> Result<Vec<T>, SourceError> {
    let mut reader = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
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
    let headers = reader.headers().map_err(error)?.clone();
    let mut rows = Vec::new();
    let mut record = csv::StringRecord::new();
    while reader.read_record(&mut record).map_err(error)? {
        let row: T = record.deserialize(Some(&headers)).map_err(error)?;
        let offset = record.position().map_or(0, |p| p.byte() as usize);
        locator.record(&id_of(&row), offset);
        rows.push(row);
    }
    Ok(rows)
}
