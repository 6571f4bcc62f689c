//! Scanning a file for secrets in bounded-memory windows, so that padding a file past the blob
//! size limit no longer hides what it holds. Windows end at a line break and the next one starts
//! one line earlier (an allow comment on the line before a match stays in view); a match counts in
//! the window that holds its whole line, so none is reported twice or cut in half. What lies past
//! the scan limit is counted as unscanned, never silently dropped.

use std::io::Read;

use crate::discover::binary::{binary_kind, is_utf16_text};
use crate::sources::exposure::secrets::{DetectorSet, SecretMatch};

/// How far a window reaches past its nominal end, so that a secret that starts near the end is
/// read whole (PEM private keys, the longest secrets, are a few kilobytes).
pub const OVERLAP: usize = 64 * 1024;

/// What scanning a file produced.
#[derive(Debug, Default)]
pub struct Windowed {
    pub matches: Vec<SecretMatch>,
    /// Bytes read and scanned.
    pub scanned: u64,
    /// Bytes past the scan limit that were not read.
    pub unscanned: u64,
}

/// Why a file was not scanned at all.
#[derive(Debug)]
pub enum NotScanned {
    Binary(&'static str),
    Io(std::io::Error),
}

/// Scans `reader` (of `size` bytes, as measured before reading) in windows of `window` bytes,
/// reading at most `limit` bytes in all.
///
/// A window holds `window` bytes and an overlap after them. It reports the matches that start
/// before its cut (the last line break of its first `window` bytes, or their end for a line
/// longer than the window) and after what earlier windows reported; the next window starts at
/// the line before the cut, so that the detectors see the allow comment above a match and a
/// match that starts before the cut is read whole through the overlap.
pub fn scan<R: Read>(
    mut reader: R,
    size: u64,
    path: &str,
    window: usize,
    limit: u64,
    detectors: &DetectorSet,
) -> Result<Windowed, NotScanned> {
    let window = window.max(1);
    let mut out = Windowed::default();
    let mut buffer: Vec<u8> = Vec::with_capacity((window + OVERLAP).min(size as usize + 1));
    // The absolute offset and line of `buffer[0]`, and the absolute offset from which matches
    // are reported (earlier ones were reported by an earlier window).
    let mut base: u64 = 0;
    let mut first_line: u32 = 1;
    let mut report_from: u64 = 0;
    let mut read_total: u64 = 0;
    let mut first_window = true;
    loop {
        let wanted = (window + OVERLAP).saturating_sub(buffer.len()) as u64;
        let allowed = wanted.min(limit.saturating_sub(read_total));
        let before = buffer.len();
        (&mut reader)
            .take(allowed)
            .read_to_end(&mut buffer)
            .map_err(NotScanned::Io)?;
        let got = (buffer.len() - before) as u64;
        read_total += got;
        out.scanned += got;
        let at_limit = read_total >= limit;
        let at_end = got < allowed || (at_limit && reader_is_empty(&mut reader));
        if first_window {
            first_window = false;
            if let Some(kind) = binary_kind(&buffer) {
                return Err(NotScanned::Binary(kind));
            }
            if at_end {
                if let Some(matches) = scan_decoded(&buffer, path, detectors) {
                    out.matches = matches;
                    return Ok(out);
                }
            }
        }
        let last = at_end || at_limit;
        let cut = if last {
            buffer.len()
        } else {
            memchr::memrchr(b'\n', &buffer[..window.min(buffer.len())])
                .map_or(window.min(buffer.len()), |newline| newline + 1)
        };
        let cut_at = base + cut as u64;
        out.matches.extend(
            detectors
                .scan(path, &buffer)
                .into_iter()
                .filter(|m| {
                    let at = base + m.start as u64;
                    at >= report_from && at < cut_at
                })
                .map(|m| shifted(m, base, first_line)),
        );
        if last {
            if at_limit && !at_end {
                out.unscanned = size.saturating_sub(read_total);
            }
            return Ok(out);
        }
        // Keep the line before the cut as context for the next window's allow comments,
        // unless it is long (or starts the buffer: the scan must move on).
        let context = memchr::memrchr(b'\n', &buffer[..cut.saturating_sub(1)])
            .map_or(0, |newline| newline + 1);
        let keep_from = if context > 0 && cut - context <= OVERLAP {
            context
        } else {
            cut
        };
        first_line += lines_in(&buffer[..keep_from]);
        base += keep_from as u64;
        report_from = cut_at;
        buffer.drain(..keep_from);
    }
}

/// Text in UTF-16 (with a byte-order mark, or without one when every other byte is NUL):
/// decoded so that the detectors see it, and the bytes scanned as they are too, so that two
/// planted bytes cannot turn ASCII secrets into undecodable UTF-16. `None` for other text.
fn scan_decoded(buffer: &[u8], path: &str, detectors: &DetectorSet) -> Option<Vec<SecretMatch>> {
    let text = if is_utf16_text(buffer) {
        crate::discover::probe::decode(buffer)?.0
    } else {
        crate::discover::binary::decode_utf16_without_bom(buffer)?
    };
    let mut matches = detectors.scan(path, text.as_bytes());
    for m in detectors.scan(path, buffer) {
        if !matches
            .iter()
            .any(|k| k.detector == m.detector && k.secret_sha256 == m.secret_sha256)
        {
            matches.push(m);
        }
    }
    Some(matches)
}

/// Whether the reader has nothing left (one byte is read to know; the scan ends there and what
/// is left is counted from `size`).
fn reader_is_empty<R: Read>(reader: &mut R) -> bool {
    let mut probe = [0u8; 1];
    matches!(reader.read(&mut probe), Ok(0))
}

fn lines_in(bytes: &[u8]) -> u32 {
    u32::try_from(memchr::memchr_iter(b'\n', bytes).count()).unwrap_or(u32::MAX)
}

/// A match found in a window, with its line and offset made absolute.
fn shifted(mut m: SecretMatch, base: u64, first_line: u32) -> SecretMatch {
    m.line = m.line.saturating_add(first_line - 1);
    let base = usize::try_from(base).unwrap_or(usize::MAX);
    m.start = base.saturating_add(m.start);
    m.end = base.saturating_add(m.end);
    m
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A token that looks real: 30 characters from a deterministic generator and their
    /// checksum.
    fn token(n: u32) -> String {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut state = 0x9E37_79B9_7F4A_7C15u64 ^ u64::from(n).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        let body: String = (0..30)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                ALPHABET[(state % ALPHABET.len() as u64) as usize] as char
            })
            .collect();
        crate::sources::exposure::secrets::with_base62_crc32(&["gh", "p_"].concat(), &body)
    }

    fn scan_text(text: &[u8], window: usize, limit: u64) -> Windowed {
        let detectors = DetectorSet::builtin().unwrap();
        scan(text, text.len() as u64, "f.txt", window, limit, &detectors)
            .ok()
            .unwrap()
    }

    #[test]
    fn every_secret_is_found_once_on_its_line_whatever_the_window() {
        let mut text = Vec::new();
        let mut expected = Vec::new();
        for i in 0..300u32 {
            if i % 37 == 5 {
                text.extend_from_slice(format!("GITHUB_TOKEN={}\n", token(i)).as_bytes());
                expected.push(i + 1);
            } else {
                text.extend_from_slice(b"filler line of some length to pad the file out\n");
            }
        }
        let whole = scan_text(&text, 1 << 20, u64::MAX);
        let lines: Vec<u32> = whole.matches.iter().map(|m| m.line).collect();
        assert_eq!(lines, expected);
        for window in [100, 300, 1000, 4096] {
            let windowed = scan_text(&text, window, u64::MAX);
            let lines: Vec<u32> = windowed.matches.iter().map(|m| m.line).collect();
            assert_eq!(lines, expected, "window {window}");
            assert_eq!(windowed.scanned, text.len() as u64);
            assert_eq!(windowed.unscanned, 0);
        }
    }

    #[test]
    fn what_lies_past_the_limit_is_counted() {
        let mut text = format!("GITHUB_TOKEN={}\n", token(1)).into_bytes();
        text.extend(std::iter::repeat_n(b'x', 10_000));
        text.extend_from_slice(format!("\nGITHUB_TOKEN={}\n", token(2)).as_bytes());
        let scanned = scan_text(&text, 1000, 5000);
        assert_eq!(scanned.matches.len(), 1);
        assert_eq!(scanned.scanned, 5000);
        assert_eq!(scanned.unscanned, text.len() as u64 - 5000);
    }

    #[test]
    fn a_secret_on_a_line_longer_than_the_window_is_found_once() {
        for at in [
            0usize, 5_000, 9_990, 10_000, 10_010, 25_000, 150_000, 299_990,
        ] {
            let mut text = vec![b'x'; 300_000];
            let secret = format!(" GITHUB_TOKEN={} ", token(7));
            text.splice(at..at, secret.bytes());
            text.extend_from_slice(b"\nlast line\n");
            let scanned = scan_text(&text, 10_000, u64::MAX);
            assert_eq!(scanned.matches.len(), 1, "at {at}: {:?}", scanned.matches);
            assert_eq!(scanned.matches[0].line, 1);
        }
    }

    #[test]
    fn padding_does_not_hide_a_secret() {
        let mut text = vec![0u8; 9 << 20];
        text.extend_from_slice(format!("\nGITHUB_TOKEN={}\n", token(3)).as_bytes());
        let scanned = scan_text(&text, 8 << 20, u64::MAX);
        assert_eq!(scanned.matches.len(), 1, "{:?}", scanned.matches);
        assert_eq!(scanned.matches[0].line, 2);
    }
}
