//! Register entries → the inventory's `Register`, checking every entry and collecting every
//! problem with the line it sits on.

use std::collections::BTreeMap;

use miette::{Diagnostic, NamedSource, SourceSpan};

use super::model::{IdentityEntry, PersonEntry, TeamEntry};
use crate::diagnostic::{line_of_offset, LineIndex, Snippet};
use crate::inventory::alias::normalize;
use crate::inventory::{
    Evidence, IdMap, IdSet, IdentityKind, OwnerKind, OwnerStatus, Register, RegisterStatus,
    RegisteredIdentity, RegisteredOwner,
};
use crate::time::{parse_field, TimeField};

/// One problem in a register file.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("line {line}: {message}")]
#[diagnostic(code(deprov::register::entry))]
pub struct RegisterProblem {
    pub line: u32,
    pub message: String,
    #[source_code]
    pub source_code: NamedSource<String>,
    #[label("{label}")]
    pub span: SourceSpan,
    pub label: String,
    #[help]
    pub help: Option<String>,
}

/// Where each entry sits in the file, for evidence and diagnostics.
pub struct Locator<'a> {
    path: &'a str,
    text: &'a [u8],
    /// Byte offset of the line that declares each id (`id: X` in YAML, the row in CSV).
    entry_offsets: IdMap<String, usize>,
    lines: LineIndex,
}

impl<'a> Locator<'a> {
    /// For YAML: finds `id: VALUE` lines.
    pub fn yaml(path: &'a str, text: &'a [u8]) -> Self {
        let mut entry_offsets = IdMap::default();
        let mut offset = 0usize;
        for line in text.split(|&b| b == b'\n') {
            if let Ok(line_text) = std::str::from_utf8(line) {
                let trimmed = line_text.trim_start().trim_start_matches('-').trim_start();
                if let Some(value) = trimmed.strip_prefix("id:") {
                    let value = value
                        .split(" #")
                        .next()
                        .unwrap_or("")
                        .trim()
                        .trim_matches(['"', '\'']);
                    entry_offsets.entry(value.to_string()).or_insert(offset);
                }
            }
            offset += line.len() + 1;
        }
        Locator {
            path,
            text,
            entry_offsets,
            lines: LineIndex::new(text),
        }
    }

    /// For CSV: offsets of rows are registered as they are read.
    pub fn csv(path: &'a str, text: &'a [u8]) -> Self {
        Locator {
            path,
            text,
            entry_offsets: IdMap::default(),
            lines: LineIndex::new(text),
        }
    }

    pub fn record(&mut self, id: &str, offset: usize) {
        self.entry_offsets.entry(id.to_string()).or_insert(offset);
    }

    fn offset_of(&self, id: &str) -> usize {
        self.entry_offsets.get(id).copied().unwrap_or(0)
    }

    fn line_of(&self, id: &str) -> u32 {
        self.lines.line(self.offset_of(id))
    }

    fn evidence(&self, id: &str, detail: String) -> Evidence {
        Evidence::new(self.path, detail).at_line(self.line_of(id))
    }

    /// A problem about the entry `id`, underlining `needle` if it appears on or after its line.
    fn problem(
        &self,
        id: &str,
        needle: &str,
        message: String,
        help: Option<&str>,
    ) -> RegisterProblem {
        let start = self.offset_of(id);
        let found = std::str::from_utf8(&self.text[start..])
            .ok()
            .and_then(|t| t.find(needle))
            .map_or(start, |o| start + o);
        let snippet = Snippet::at_offset(self.path, self.text, found, needle.len().max(1));
        RegisterProblem {
            line: line_of_offset(self.text, found),
            message,
            source_code: snippet.source,
            span: snippet.span,
            label: "here".into(),
            help: help.map(str::to_string),
        }
    }
}

/// Converts and checks entries; returns the register, warnings, and every problem found.
pub fn normalize_entries(
    identities: &[IdentityEntry],
    people: &[PersonEntry],
    teams: &[TeamEntry],
    locator: &Locator,
) -> (Register, Vec<String>, Vec<RegisterProblem>) {
    let mut register = Register::default();
    let mut warnings = Vec::new();
    let mut problems = Vec::new();
    let mut seen_ids: IdSet<&str> = IdSet::default();
    let mut alias_owner: IdMap<String, &str> = IdMap::default();

    for entry in identities {
        let id = entry.id.trim();
        if id.is_empty() {
            problems.push(locator.problem(id, "id:", "an identity has an empty id".into(), None));
            continue;
        }
        if !seen_ids.insert(id) {
            problems.push(locator.problem(
                id,
                id,
                format!("identity `{id}` is listed twice"),
                Some("merge the two entries"),
            ));
            continue;
        }
        let problems_before = problems.len();
        // Aliases first: a clash is worth reporting even when the entry has other problems.
        let mut aliases = Vec::new();
        for alias in &entry.aliases {
            let alias = alias.trim();
            if alias.is_empty() {
                continue;
            }
            let key = normalize(alias);
            if let Some(&other) = alias_owner.get(&key) {
                if other != id {
                    problems.push(locator.problem(
                        id,
                        alias,
                        format!("alias `{alias}` belongs to both `{other}` and `{id}`"),
                        Some("an alias identifies one identity; remove it from one of them"),
                    ));
                }
                continue;
            }
            alias_owner.insert(key, id);
            aliases.push(alias.to_string());
        }
        let kind = match entry.kind.as_deref().map(|k| k.trim().to_ascii_lowercase()) {
            None => Some(IdentityKind::Service),
            Some(k) => match k.as_str() {
                "service" => Some(IdentityKind::Service),
                "workload" => Some(IdentityKind::Workload),
                "agent" => Some(IdentityKind::Agent),
                "human" => Some(IdentityKind::Human),
                other => {
                    problems.push(locator.problem(
                        id,
                        other,
                        format!("identity `{id}` has kind `{other}`"),
                        Some("kind is one of: service, workload, agent, human"),
                    ));
                    None
                }
            },
        };
        let status = match entry.status.trim().to_ascii_lowercase().as_str() {
            "active" => Some(RegisterStatus::Active),
            "retired" => Some(RegisterStatus::Retired),
            other => {
                problems.push(locator.problem(
                    id,
                    other,
                    format!("identity `{id}` has status `{other}`"),
                    Some("status is one of: active, retired"),
                ));
                None
            }
        };
        let retired_at = match entry.retired_at.as_deref().map(parse_field) {
            None | Some(Ok(TimeField::Absent)) => None,
            Some(Ok(TimeField::At(ts))) => Some(ts),
            Some(Ok(TimeField::Never)) | Some(Err(_)) => {
                let text = entry.retired_at.clone().unwrap_or_default();
                problems.push(locator.problem(
                    id,
                    &text,
                    format!("identity `{id}` has retired_at `{text}`, which is not a date"),
                    Some("write a date (2026-03-01) or an RFC 3339 timestamp"),
                ));
                None
            }
        };
        let (Some(kind), Some(status)) = (kind, status) else {
            continue;
        };
        if problems.len() > problems_before {
            continue;
        }
        if status == RegisterStatus::Retired && retired_at.is_none() {
            warnings.push(format!(
                "identity `{id}` is retired without retired_at: use after retirement (DPV007) cannot be judged for it"
            ));
        }
        if status == RegisterStatus::Active && retired_at.is_some() {
            warnings.push(format!(
                "identity `{id}` is active but has a retired_at date; the status wins"
            ));
        }
        register.identities.push(RegisteredIdentity {
            id: id.to_string(),
            kind,
            status,
            retired_at: if status == RegisterStatus::Retired {
                retired_at
            } else {
                None
            },
            owner: entry
                .owner
                .as_deref()
                .map(str::trim)
                .filter(|o| !o.is_empty())
                .map(str::to_string),
            aliases,
            evidence: locator.evidence(id, format!("register entry `{id}`")),
        });
    }

    let mut seen_owners: BTreeMap<String, ()> = BTreeMap::new();
    for person in people {
        let id = person.id.trim();
        if seen_owners.insert(normalize(id), ()).is_some() {
            problems.push(locator.problem(id, id, format!("person `{id}` is listed twice"), None));
            continue;
        }
        let status = match person.status.trim().to_ascii_lowercase().as_str() {
            "active" => OwnerStatus::Active,
            "departed" => OwnerStatus::Departed,
            other => {
                problems.push(locator.problem(
                    id,
                    other,
                    format!("person `{id}` has status `{other}`"),
                    Some("status is one of: active, departed"),
                ));
                continue;
            }
        };
        let departed_at = match person.departed_at.as_deref().map(parse_field) {
            None | Some(Ok(TimeField::Absent)) => None,
            Some(Ok(TimeField::At(ts))) => Some(ts),
            Some(_) => {
                let text = person.departed_at.clone().unwrap_or_default();
                problems.push(locator.problem(
                    id,
                    &text,
                    format!("person `{id}` has departed_at `{text}`, which is not a date"),
                    None,
                ));
                continue;
            }
        };
        register.owners.push(RegisteredOwner {
            id: id.to_string(),
            kind: OwnerKind::Person,
            status,
            departed_at,
            evidence: locator.evidence(id, format!("register person `{id}`")),
        });
    }
    for team in teams {
        let id = team.id.trim();
        if seen_owners.insert(normalize(id), ()).is_some() {
            problems.push(locator.problem(id, id, format!("owner `{id}` is listed twice"), None));
            continue;
        }
        register.owners.push(RegisteredOwner {
            id: id.to_string(),
            kind: OwnerKind::Team,
            status: OwnerStatus::Active,
            departed_at: None,
            evidence: locator.evidence(id, format!("register team `{id}`")),
        });
    }
    (register, warnings, problems)
}
