//! A large YAML register read in parts, in parallel (issue 19). serde's YAML parser loads a
//! document's every event before it builds a value: at 675,000 identities that is over a
//! gigabyte of events, read on one thread. A register is three block sequences (`identities`,
//! `people`, `teams`) of independent entries (anchors and aliases are refused before this runs,
//! see `anchors`), so the text is cut between entries and each part is read on its own, by the
//! same parser, holding only that part's events.
//!
//! The cut is lexical (a line whose first non-space is `- ` at the column of the section's
//! first entry) and it is checked rather than trusted: every part must read, and hold exactly
//! the number of entries cut into it. A line that only looks like an entry's start (inside a
//! quoted scalar or a flow collection that spans lines) leaves a part that does not read or
//! counts differently; block scalars and plain scalars cannot hold such a line, since their
//! lines are indented past the entry's. Anything else unusual (flow style, tabs, document
//! markers, a key other than the three, a section twice) is not cut at all. In every such case
//! the whole text is read at once, as before, so that what is accepted and every diagnostic are
//! the whole-document parser's.

use rayon::prelude::*;

use super::model::RegisterFile;

/// Entries per part: small enough that a part's events are a few MB, large enough that the
/// parts' own overhead does not show.
pub const ENTRIES_PER_PART: usize = 2_048;

/// Below this many entries the text is read at once: cutting would not pay.
pub const CUT_FROM_ENTRIES: usize = 8_192;

/// The three sections a YAML register has.
const SECTIONS: [&str; 3] = ["identities", "people", "teams"];

/// A run of entries of one section, as text: each parses as `{section}:\n{text}`.
#[derive(Debug, PartialEq, Eq)]
struct Part<'a> {
    section: &'a str,
    text: &'a str,
    entries: usize,
}

/// Reads a YAML register: in parts, in parallel, when it is large and cuts cleanly; otherwise
/// (and whenever a part does not read as it should) the whole text at once.
pub fn read(text: &str) -> Result<RegisterFile, serde_yaml::Error> {
    read_with(text, ENTRIES_PER_PART, CUT_FROM_ENTRIES)
}

/// [`read`] with every cut made however small the register (`per_part` entries a part),
/// against the whole-document parse, for the fuzz target `register_parts`: the two must agree
/// on every text (the same entries, or both an error).
#[doc(hidden)]
pub fn agrees_with_whole(text: &str, per_part: usize) -> bool {
    let whole = serde_yaml::from_str::<RegisterFile>(text).map(|file| format!("{file:?}"));
    let in_parts = read_with(text, per_part, 0).map(|file| format!("{file:?}"));
    match (whole, in_parts) {
        (Ok(a), Ok(b)) => a == b,
        (Err(_), Err(_)) => true,
        _ => false,
    }
}

fn read_with(
    text: &str,
    per_part: usize,
    cut_from: usize,
) -> Result<RegisterFile, serde_yaml::Error> {
    if let Some(parts) = cut(text, per_part).filter(|parts| {
        parts.iter().map(|p| p.entries).sum::<usize>() >= cut_from && parts.len() > 1
    }) {
        if let Some(file) = read_parts(&parts) {
            return Ok(file);
        }
    }
    serde_yaml::from_str(text)
}

/// Reads every part; `None` when one does not read or holds another number of entries than was
/// cut into it.
fn read_parts(parts: &[Part<'_>]) -> Option<RegisterFile> {
    let read: Vec<RegisterFile> = parts
        .par_iter()
        .map(|part| {
            let mut text = String::with_capacity(part.section.len() + 2 + part.text.len());
            text.push_str(part.section);
            text.push_str(":\n");
            text.push_str(part.text);
            let file: RegisterFile = serde_yaml::from_str(&text).ok()?;
            let counts = [file.identities.len(), file.people.len(), file.teams.len()];
            let expected = SECTIONS.map(|s| if s == part.section { part.entries } else { 0 });
            (counts == expected).then_some(file)
        })
        .collect::<Option<_>>()?;
    let mut whole = RegisterFile {
        identities: Vec::new(),
        people: Vec::new(),
        teams: Vec::new(),
    };
    for file in read {
        whole.identities.extend(file.identities);
        whole.people.extend(file.people);
        whole.teams.extend(file.teams);
    }
    Some(whole)
}

/// A section being cut: where its entries start.
struct Section<'a> {
    name: &'a str,
    /// The column of its entries' `-`, once the first is seen.
    dash_column: Option<usize>,
    starts: Vec<usize>,
}

/// Cuts the text between entries, `per_part` entries a part; `None` where it does not cut
/// cleanly (see the module documentation).
fn cut(text: &str, per_part: usize) -> Option<Vec<Part<'_>>> {
    // The parser also ends a line at a lone CR, NEL, LS and PS: a line the cut does not see
    // could hide a section in a comment, or end a part's document early.
    let bytes = text.as_bytes();
    let lone_cr = memchr::memchr_iter(b'\r', bytes).any(|at| bytes.get(at + 1) != Some(&b'\n'));
    if lone_cr || text.contains(['\u{85}', '\u{2028}', '\u{2029}']) {
        return None;
    }
    let mut sections: Vec<Section<'_>> = Vec::new();
    // Where each section's text ends: the start of the next section's key line, or the end.
    let mut ends: Vec<usize> = Vec::new();
    let mut offset = 0;
    for line in text.split_inclusive('\n') {
        let at = offset;
        offset += line.len();
        let content = line.trim_end_matches(['\n', '\r']);
        let rest = content.trim_start_matches(' ');
        let column = content.len() - rest.len();
        if rest.is_empty() || rest.starts_with('#') {
            continue;
        }
        if rest.starts_with('\t') {
            return None;
        }
        let is_entry = rest.starts_with("- ");
        if column == 0 && !is_entry {
            let name = section_key(rest)?;
            if sections.iter().any(|s| s.name == name) {
                return None;
            }
            if !sections.is_empty() {
                ends.push(at);
            }
            sections.push(Section {
                name,
                dash_column: None,
                starts: Vec::new(),
            });
            continue;
        }
        let section = sections.last_mut()?;
        match (section.dash_column, is_entry) {
            (None, true) => {
                section.dash_column = Some(column);
                section.starts.push(at);
            }
            (Some(dash), true) if column == dash => section.starts.push(at),
            (Some(dash), _) if column > dash => {}
            // Content before the first entry, or left of the entries' column.
            _ => return None,
        }
    }
    ends.push(text.len());
    let per_part = per_part.max(1);
    let mut parts = Vec::new();
    for (section, end) in sections.iter().zip(ends) {
        if section.starts.is_empty() {
            return None;
        }
        for (n, group) in section.starts.chunks(per_part).enumerate() {
            let start = group[0];
            // The next part's first entry, or the section's end.
            let next = section
                .starts
                .get((n + 1) * per_part)
                .copied()
                .unwrap_or(end);
            parts.push(Part {
                section: section.name,
                text: text.get(start..next)?,
                entries: group.len(),
            });
        }
    }
    Some(parts)
}

/// The section a top-level line opens: `identities:` alone (a comment may follow, after a
/// blank: `identities:#` is a scalar to the parser, not a key).
fn section_key(line: &str) -> Option<&'static str> {
    let (key, after) = line.split_once(':')?;
    let comment = after.trim_start_matches([' ', '\t']);
    let blank_first = after.starts_with([' ', '\t']);
    if !(comment.is_empty() || (blank_first && comment.starts_with('#'))) {
        return None;
    }
    SECTIONS.into_iter().find(|s| *s == key)
}

#[cfg(test)]
mod tests;
