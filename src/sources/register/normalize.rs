//! Register entries → the inventory's `Register`, checking every entry and collecting every
//! problem with the line it sits on.

use std::collections::BTreeMap;

use jiff::Timestamp;

use super::model::{IdentityEntry, PersonEntry, TeamEntry};
use crate::diagnostic::{LineIndex, Problem, Snippet};
use crate::inventory::alias::normalize;
use crate::inventory::{
    AliasKey, Evidence, IdMap, IdentityKind, OwnerKind, OwnerStatus, Register, RegisterStatus,
    RegisteredIdentity, RegisteredOwner,
};
use crate::time::{parse_field, TimeField};

/// How many problems of one register are kept (and shown); the rest are only counted. A broken
/// register of 25 KB once wrote 154 MB of diagnostics.
pub const MAX_PROBLEMS: usize = 50;

/// The problems of one file: the first [`MAX_PROBLEMS`], and how many there were.
#[derive(Default)]
pub struct Problems {
    kept: Vec<Problem>,
    total: usize,
}

impl Problems {
    /// Records a problem; `make` runs only while fewer than [`MAX_PROBLEMS`] are kept, so that
    /// a file of a million bad entries costs a count, not a million snippets.
    fn push(&mut self, make: impl FnOnce() -> Problem) {
        self.total += 1;
        if self.kept.len() < MAX_PROBLEMS {
            self.kept.push(make());
        }
    }

    pub fn is_empty(&self) -> bool {
        self.total == 0
    }

    pub fn total(&self) -> usize {
        self.total
    }

    pub fn into_kept(self) -> Vec<Problem> {
        self.kept
    }
}

/// Where each entry sits in the file, for evidence and diagnostics.
pub struct Locator<'a> {
    path: &'a str,
    text: &'a [u8],
    /// Byte offset of the `id` that declares each entry (the `id` key in YAML, block or flow
    /// style; the row in CSV).
    entry_offsets: IdMap<String, usize>,
    /// Offsets of the second and later declarations of an id, so that "listed twice" points at
    /// the repeat rather than at the first entry.
    repeat_offsets: IdMap<String, Vec<usize>>,
    lines: LineIndex,
}

impl<'a> Locator<'a> {
    /// For YAML: finds every `id` key, in block (`- id: X`) and flow (`{id: X, …}`) style, plain
    /// or quoted. A lexical pass, not a parse: it runs beside the parse on the same text, and
    /// only locates entries that the parse reads.
    pub fn yaml(path: &'a str, text: &'a [u8]) -> Self {
        let mut locator = Locator::csv(path, text);
        for (offset, value) in id_keys(text) {
            locator.record(value, offset);
        }
        locator
    }

    /// For CSV: offsets of rows are registered as they are read.
    pub fn csv(path: &'a str, text: &'a [u8]) -> Self {
        Locator {
            path,
            text,
            entry_offsets: IdMap::default(),
            repeat_offsets: IdMap::default(),
            lines: LineIndex::new(text),
        }
    }

    pub fn record(&mut self, id: &str, offset: usize) {
        match self.entry_offsets.get(id) {
            Some(_) => self
                .repeat_offsets
                .entry(id.to_string())
                .or_default()
                .push(offset),
            None => {
                self.entry_offsets.insert(id.to_string(), offset);
            }
        }
    }

    fn offset_of(&self, id: &str) -> usize {
        self.entry_offsets.get(id).copied().unwrap_or(0)
    }

    /// The offset of the `nth` declaration of `id` (0: the first).
    fn nth_offset_of(&self, id: &str, nth: usize) -> usize {
        match nth {
            0 => self.offset_of(id),
            n => self
                .repeat_offsets
                .get(id)
                .and_then(|r| r.get(n - 1))
                .copied()
                .unwrap_or_else(|| self.offset_of(id)),
        }
    }

    fn line_of(&self, id: &str) -> u32 {
        self.lines.line(self.offset_of(id))
    }

    fn evidence(&self, id: &str, detail: String) -> Evidence {
        Evidence::new(self.path, detail).at_line(self.line_of(id))
    }

    /// A problem about the entry `id`, underlining `needle` if it appears on or after its line.
    fn problem(&self, id: &str, needle: &str, message: String, help: Option<&str>) -> Problem {
        self.problem_at(self.offset_of(id), needle, message, help)
    }

    /// A problem about the entry starting at `start`, underlining `needle` after it.
    fn problem_at(
        &self,
        start: usize,
        needle: &str,
        message: String,
        help: Option<&str>,
    ) -> Problem {
        let start = start.min(self.text.len());
        // Look no further than the next few entries: the needle belongs to this one.
        let window = &self.text[start..(start + 4096).min(self.text.len())];
        let found = memchr::memmem::find(window, needle.as_bytes()).map_or(start, |o| start + o);
        let snippet = Snippet::at_offset(self.path, self.text, found, needle.len().max(1));
        Problem::at(
            "deprov::register::entry",
            snippet,
            "here",
            message,
            help.map(str::to_string),
        )
        .on_line(self.lines.line(found))
    }
}

/// Every `id` key of a YAML text with its value: `(offset of the key, value)`. A key starts a
/// line (after indentation and `- `) or follows `{` or `,` in a flow mapping; comments and
/// block scalars are not told apart from keys, which at worst points a diagnostic at a comment.
fn id_keys(text: &[u8]) -> impl Iterator<Item = (usize, &str)> {
    memchr::memmem::find_iter(text, b"id").filter_map(move |at| {
        let (start, after) = if at > 0 && matches!(text[at - 1], b'"' | b'\'') {
            let quote = text[at - 1];
            (
                at - 1,
                text.get(at + 2).filter(|&&b| b == quote).map(|_| at + 3)?,
            )
        } else {
            (at, at + 2)
        };
        if text.get(after) != Some(&b':') {
            return None;
        }
        let before = text[..start]
            .iter()
            .rposition(|b| !matches!(b, b' ' | b'\t'))
            .map(|p| text[p]);
        // `- id:` must have its space: `-id:` is a scalar, not a key.
        let dash_then_space =
            before == Some(b'-') && matches!(text.get(start.wrapping_sub(1)), Some(b' ' | b'\t'));
        let at_key_position =
            matches!(before, None | Some(b'\n' | b'{' | b',' | b'\r')) || dash_then_space;
        if !at_key_position {
            return None;
        }
        // An ID is short: looking no further than this keeps the pass linear however the text
        // repeats `id:` on one long line.
        const LONGEST_ID: usize = 256;
        let rest = &text[after + 1..(after + 1 + LONGEST_ID).min(text.len())];
        let end = rest
            .iter()
            .position(|b| matches!(b, b'\n' | b'\r' | b',' | b'}' | b'#'))
            .unwrap_or(rest.len());
        let value = std::str::from_utf8(&rest[..end]).ok()?.trim();
        let value = value.trim_matches(['"', '\'']);
        Some((start, value))
    })
}

/// Converts and checks entries as of `now` (dates after it are scheduled, not past; `None`
/// reads every date as past); returns the register, warnings, and every problem found.
pub fn normalize_entries(
    identities: &[IdentityEntry],
    people: &[PersonEntry],
    teams: &[TeamEntry],
    locator: &Locator,
    now: Option<Timestamp>,
) -> (Register, Vec<String>, Problems) {
    let mut register = Register::default();
    let mut warnings = Vec::new();
    let mut problems = Problems::default();
    // How many times each id was declared so far.
    let mut seen_ids: IdMap<&str, usize> = IdMap::default();
    // By digest, not text: at millions of identities a copy of every alias was most of the
    // register's peak while it was read (`inventory::alias_index` has the digest's bounds).
    let mut alias_owner: IdMap<AliasKey, &str> = IdMap::default();

    for entry in identities {
        let id = entry.id.trim();
        if id.is_empty() {
            problems
                .push(|| locator.problem(id, "id:", "an identity has an empty id".into(), None));
            continue;
        }
        let occurrence = seen_ids.entry(id).or_insert(0);
        *occurrence += 1;
        if *occurrence > 1 {
            let nth = *occurrence - 1;
            problems.push(|| {
                locator.problem_at(
                    locator.nth_offset_of(id, nth),
                    id,
                    format!("identity `{id}` is listed twice"),
                    Some("merge the two entries"),
                )
            });
            continue;
        }
        let problems_before = problems.total();
        // Aliases first: a clash is worth reporting even when the entry has other problems.
        let mut aliases = Vec::new();
        for alias in &entry.aliases {
            let alias = alias.trim();
            if alias.is_empty() {
                continue;
            }
            let key = AliasKey::of(alias);
            if let Some(&other) = alias_owner.get(&key) {
                if other != id {
                    problems.push(|| {
                        locator.problem(
                            id,
                            alias,
                            format!("alias `{alias}` belongs to both `{other}` and `{id}`"),
                            Some("an alias identifies one identity; remove it from one of them"),
                        )
                    });
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
                    problems.push(|| {
                        locator.problem(
                            id,
                            other,
                            format!("identity `{id}` has kind `{other}`"),
                            Some("kind is one of: service, workload, agent, human"),
                        )
                    });
                    None
                }
            },
        };
        let status = match entry.status.trim().to_ascii_lowercase().as_str() {
            "active" => Some(RegisterStatus::Active),
            "retired" => Some(RegisterStatus::Retired),
            other => {
                problems.push(|| {
                    locator.problem(
                        id,
                        other,
                        format!("identity `{id}` has status `{other}`"),
                        Some("status is one of: active, retired"),
                    )
                });
                None
            }
        };
        let retired_at = match entry.retired_at.as_deref().map(parse_field) {
            None | Some(Ok(TimeField::Absent)) => None,
            Some(Ok(TimeField::At(ts))) => Some(ts),
            Some(Ok(TimeField::Never)) | Some(Err(_)) => {
                let text = entry.retired_at.clone().unwrap_or_default();
                problems.push(|| {
                    locator.problem(
                        id,
                        &text,
                        format!("identity `{id}` has retired_at `{text}`, which is not a date"),
                        Some("write a date (2026-03-01) or an RFC 3339 timestamp"),
                    )
                });
                None
            }
        };
        let (Some(kind), Some(status)) = (kind, status) else {
            continue;
        };
        if problems.total() > problems_before {
            continue;
        }
        if status == RegisterStatus::Retired && retired_at.is_none() {
            warnings.push(format!(
                "identity `{id}` is retired without retired_at: use after retirement (DPV007) cannot be judged for it"
            ));
        }
        // A date still to come is a retirement scheduled for that date, whatever the status
        // says: the identity is active until then.
        let retires_at = retired_at.filter(|&at| now.is_some_and(|now| at > now));
        let status = if retires_at.is_some() {
            RegisterStatus::Active
        } else {
            status
        };
        if status == RegisterStatus::Active && retired_at.is_some() && retires_at.is_none() {
            warnings.push(format!(
                "identity `{id}` is active but has a retired_at date that has passed; the status wins"
            ));
        }
        register.identities.push(RegisteredIdentity {
            id: id.to_string(),
            kind,
            status,
            retires_at,
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
            problems
                .push(|| locator.problem(id, id, format!("person `{id}` is listed twice"), None));
            continue;
        }
        let status = match person.status.trim().to_ascii_lowercase().as_str() {
            "active" => OwnerStatus::Active,
            "departed" => OwnerStatus::Departed,
            other => {
                problems.push(|| {
                    locator.problem(
                        id,
                        other,
                        format!("person `{id}` has status `{other}`"),
                        Some("status is one of: active, departed"),
                    )
                });
                continue;
            }
        };
        let departed_at = match person.departed_at.as_deref().map(parse_field) {
            None | Some(Ok(TimeField::Absent)) => None,
            Some(Ok(TimeField::At(ts))) => Some(ts),
            Some(_) => {
                let text = person.departed_at.clone().unwrap_or_default();
                problems.push(|| {
                    locator.problem(
                        id,
                        &text,
                        format!("person `{id}` has departed_at `{text}`, which is not a date"),
                        None,
                    )
                });
                continue;
            }
        };
        // A departure still to come: the person is here until then.
        let departs_at = departed_at.filter(|&at| now.is_some_and(|now| at > now));
        let (status, departed_at) = if departs_at.is_some() {
            (OwnerStatus::Active, None)
        } else {
            (status, departed_at)
        };
        register.owners.push(RegisteredOwner {
            id: id.to_string(),
            kind: OwnerKind::Person,
            status,
            departed_at,
            departs_at,
            evidence: locator.evidence(id, format!("register person `{id}`")),
        });
    }
    for team in teams {
        let id = team.id.trim();
        if seen_owners.insert(normalize(id), ()).is_some() {
            problems
                .push(|| locator.problem(id, id, format!("owner `{id}` is listed twice"), None));
            continue;
        }
        register.owners.push(RegisteredOwner {
            id: id.to_string(),
            kind: OwnerKind::Team,
            status: OwnerStatus::Active,
            departed_at: None,
            departs_at: None,
            evidence: locator.evidence(id, format!("register team `{id}`")),
        });
    }
    (register, warnings, problems)
}
