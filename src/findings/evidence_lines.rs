//! Evidence lines: exports parsed as JSON carry no line numbers, so a finding's evidence names
//! a text to find instead (`Evidence::locate`); once the findings are known, each file that has
//! any is read again, once, and the line of each text filled in. Files are reopened through the
//! same regular-file guard as the first read.

use std::collections::HashMap;
use std::io::Read;
use std::path::{Path, PathBuf};

use aho_corasick::AhoCorasick;
use rayon::prelude::*;

use super::Finding;

/// Fills in the line of findings whose evidence was located by text (JSON exports): one pass
/// over each file that has findings, with all of its needles at once.
pub fn locate_lines(findings: &mut [Finding], path_of: impl Fn(&str) -> Option<PathBuf> + Sync) {
    // Findings to locate, grouped by file; the files are then searched in parallel.
    let mut pending: Vec<usize> = (0..findings.len())
        .filter(|&i| findings[i].evidence.line.is_none() && findings[i].evidence.locate.is_some())
        .collect();
    pending.par_sort_by(|&a, &b| findings[a].evidence.path.cmp(&findings[b].evidence.path));
    let by_file: Vec<&[usize]> = pending
        .chunk_by(|&a, &b| findings[a].evidence.path == findings[b].evidence.path)
        .collect();
    let found: Vec<Vec<(usize, u32)>> = {
        let findings = &*findings;
        by_file
            .par_iter()
            .with_max_len(1)
            .map(|indices| lines_in_file(findings, indices, &path_of).unwrap_or_default())
            .collect()
    };
    for (i, line) in found.into_iter().flatten() {
        findings[i].evidence.line = Some(line);
    }
    // The search texts are never shown; a million of them is worth freeing.
    findings
        .par_iter_mut()
        .for_each(|f| f.evidence.locate = None);
}

/// The line of each finding of one file (`indices`, all with the same evidence path) whose text
/// is found in it.
fn lines_in_file(
    findings: &[Finding],
    indices: &[usize],
    path_of: &impl Fn(&str) -> Option<PathBuf>,
) -> Option<Vec<(usize, u32)>> {
    let file = path_of(&findings[*indices.first()?].evidence.path)?;
    // Needles by first appearance; a hash map rather than a sort, as one file can hold a hundred
    // thousand findings.
    let mut pattern_of: HashMap<&str, usize> = HashMap::with_capacity(indices.len());
    let mut needles: Vec<&str> = Vec::new();
    for &i in indices {
        if let Some(needle) = findings[i].evidence.locate.as_deref() {
            pattern_of.entry(needle).or_insert_with(|| {
                needles.push(needle);
                needles.len() - 1
            });
        }
    }
    let line_of_pattern = first_lines(&file, &needles)?;
    Some(
        indices
            .iter()
            .filter_map(|&i| {
                let needle = findings[i].evidence.locate.as_deref()?;
                let line = line_of_pattern.get(pattern_of.get(needle)?)?;
                Some((i, *line))
            })
            .collect(),
    )
}

/// Files up to this size are read whole, once; larger ones are streamed twice.
const WHOLE_FILE_LIMIT: u64 = 16 << 20;

/// The 1-based line of the first occurrence of each needle (by its index) in a file. Matches
/// may overlap: one native ID can be the start of another (`…:user/ci` and `…:user/ci-legacy`),
/// and each is found where it first occurs.
fn first_lines(file: &Path, needles: &[&str]) -> Option<HashMap<usize, u32>> {
    let matcher = AhoCorasick::new(needles).ok()?;
    // Most evidence files are small and there are thousands of them: one read each, into a
    // buffer of the file's size (a file that grew since is read up to the limit, then streamed).
    // The same guard as the first read: the file may have been swapped for a FIFO since it was
    // parsed, and opening one would wait for a writer forever. Its line is then left unknown.
    let mut handle = crate::discover::open_regular(file).ok()?;
    let size = handle.metadata().ok()?.len();
    let mut bytes = Vec::new();
    if size <= WHOLE_FILE_LIMIT {
        bytes.reserve_exact(usize::try_from(size).ok()?.saturating_add(1));
        (&mut handle)
            .take(WHOLE_FILE_LIMIT + 1)
            .read_to_end(&mut bytes)
            .ok()?;
    }
    let (first, lines) = if size > WHOLE_FILE_LIMIT || bytes.len() as u64 > WHOLE_FILE_LIMIT {
        // The register of a large organisation is tens of MB, and its identities' findings all
        // point into it: it is streamed, never held whole.
        drop(bytes);
        let first = first_offsets(file, &matcher, needles)?;
        let lines = lines_of_offsets(file, first.values().copied())?;
        (first, lines)
    } else {
        let mut first = HashMap::with_capacity(needles.len());
        record_first(&matcher, &bytes, 0, &mut first);
        let lines = lines_in(&bytes, first.values().copied());
        (first, lines)
    };
    Some(
        first
            .into_iter()
            .filter_map(|(pattern, offset)| Some((pattern, *lines.get(&offset)?)))
            .collect(),
    )
}

/// Records the first offset (`base` + position in `haystack`) of each pattern found.
fn record_first(
    matcher: &AhoCorasick,
    haystack: &[u8],
    base: usize,
    first: &mut HashMap<usize, usize>,
) {
    let patterns = matcher.patterns_len();
    for found in matcher.find_overlapping_iter(haystack) {
        first
            .entry(found.pattern().as_usize())
            .or_insert(base + found.start());
        if first.len() == patterns {
            break;
        }
    }
}

/// The 1-based line of each offset in `bytes`.
fn lines_in(bytes: &[u8], offsets: impl Iterator<Item = usize>) -> HashMap<usize, u32> {
    let mut wanted: Vec<usize> = offsets.collect();
    wanted.sort_unstable();
    let (mut newlines, mut counted) = (0usize, 0usize);
    let mut lines = HashMap::with_capacity(wanted.len());
    for offset in wanted {
        let upto = offset.min(bytes.len());
        newlines += memchr::memchr_iter(b'\n', &bytes[counted..upto]).count();
        counted = upto;
        lines.insert(offset, u32::try_from(newlines + 1).unwrap_or(u32::MAX));
    }
    lines
}

/// The offset of the first occurrence of each needle (by its index) in a file, read in blocks
/// that overlap by the longest needle so that no occurrence is cut.
fn first_offsets(
    file: &Path,
    matcher: &AhoCorasick,
    needles: &[&str],
) -> Option<HashMap<usize, usize>> {
    let keep = needles
        .iter()
        .map(|n| n.len())
        .max()
        .unwrap_or(0)
        .saturating_sub(1);
    let mut reader = crate::discover::open_regular(file).ok()?;
    let mut first: HashMap<usize, usize> = HashMap::new();
    let mut window: Vec<u8> = Vec::with_capacity(keep + (1 << 20));
    // Offset in the file of `window[0]`.
    let mut base = 0usize;
    let mut block = vec![0u8; 1 << 20];
    loop {
        let read = reader.read(&mut block).ok()?;
        if read == 0 {
            break;
        }
        window.extend_from_slice(&block[..read]);
        record_first(matcher, &window, base, &mut first);
        if first.len() == needles.len() {
            break;
        }
        let cut = window.len().saturating_sub(keep);
        window.drain(..cut);
        base += cut;
    }
    Some(first)
}

/// The 1-based line of each offset in a file, counting newlines in one streamed pass.
fn lines_of_offsets(
    file: &Path,
    offsets: impl Iterator<Item = usize>,
) -> Option<HashMap<usize, u32>> {
    let mut wanted: Vec<usize> = offsets.collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut lines = HashMap::with_capacity(wanted.len());
    let mut reader = crate::discover::open_regular(file).ok()?;
    let mut buffer = vec![0u8; 1 << 16];
    let (mut base, mut newlines, mut next) = (0usize, 0usize, 0usize);
    while next < wanted.len() {
        let read = reader.read(&mut buffer).ok()?;
        if read == 0 {
            break;
        }
        let chunk = &buffer[..read];
        let mut counted = 0;
        while next < wanted.len() && wanted[next] < base + read {
            let upto = wanted[next] - base;
            newlines += memchr::memchr_iter(b'\n', &chunk[counted..upto]).count();
            counted = upto;
            lines.insert(
                wanted[next],
                u32::try_from(newlines + 1).unwrap_or(u32::MAX),
            );
            next += 1;
        }
        newlines += memchr::memchr_iter(b'\n', &chunk[counted..]).count();
        base += read;
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_offsets_across_buffer_boundaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let mut text = String::new();
        for i in 0..20_000 {
            text.push_str(&format!("line {i}\n"));
        }
        std::fs::write(&path, &text).unwrap();
        let offsets: Vec<usize> = [0, 5, 6, 70_000, 131_071, 131_072, text.len() - 1]
            .into_iter()
            .collect();
        let lines = lines_of_offsets(&path, offsets.iter().copied()).unwrap();
        for offset in offsets {
            let expected = text.as_bytes()[..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            assert_eq!(lines[&offset], expected as u32, "offset {offset}");
        }
        let matcher = AhoCorasick::new(["line 7\n", "line 19999"]).unwrap();
        let first = first_offsets(&path, &matcher, &["line 7\n", "line 19999"]).unwrap();
        assert_eq!(first[&0], text.find("line 7\n").unwrap());
        assert_eq!(first[&1], text.find("line 19999").unwrap());
    }

    #[test]
    fn first_lines_read_whole_and_streamed_agree() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small");
        let mut text = String::new();
        for i in 0..20_000 {
            text.push_str(&format!("key-{i} line {i}\n"));
        }
        std::fs::write(&small, &text).unwrap();
        // Above the whole-file limit, so the streamed path runs; same lines at the start.
        let large = dir.path().join("large");
        let padding = "x".repeat(WHOLE_FILE_LIMIT as usize);
        std::fs::write(&large, format!("{text}{padding}\nkey-late\n")).unwrap();
        let needles = [
            "key-0 ",
            "key-7 ",
            "key-19999 ",
            "line 5\n",
            "absent",
            "key-1",
        ];
        let whole = first_lines(&small, &needles).unwrap();
        let streamed = first_lines(&large, &needles).unwrap();
        assert_eq!(whole, streamed);
        assert_eq!(whole[&0], 1);
        assert_eq!(whole[&1], 8);
        assert_eq!(whole[&2], 20_000);
        assert_eq!(whole[&3], 6);
        assert!(!whole.contains_key(&4));
        // "key-1" first occurs in "key-1 " on line 2; it is also the start of "key-19999 ",
        // which is still found.
        assert_eq!(whole[&5], 2);
        assert_eq!(first_lines(&large, &["key-late"]).unwrap()[&0], 20_002);
    }
}
