//! The scan of one blob: one Aho-Corasick pass over every detector keyword, then each hit
//! detector's regex on the neighbourhood of its hits only (the hit's line, or a bounded window
//! of lines for secrets that span lines), merged so that no byte is searched twice by one
//! detector. Structure detectors read `.env` files and agents' MCP configurations. Where two matches
//! claim the same text the earlier detector of the catalog wins; then lines, inline allow
//! comments and the agent flag are added.
//!
//! Secret values are only ever borrowed from the input: each is hashed and previewed where it
//! is found (`redact::Redacted`), what reports may show of it is decided once the detector is
//! known (`redact::Disclosure`), and nothing else of it is kept.

use std::collections::BTreeMap;
use std::ops::Range;

use regex::bytes::{CaptureLocations, Regex};

use super::agent::{self, McpConfig};
use super::assignment::{holds_secret, Assignment};
use super::carries::{jwt_has_header, jwt_identifiers, jwt_is_published_example};
use super::context::FileContext;

use super::confidence;
use super::detectors::{Carries, Check, Detector, DetectorKind, Pattern, Structure};
use super::keys::{looks_like_pem_private_key, private_key_facts, KeyStructure};
use super::redact::Redacted;
use super::urls::{host_after, url_password_is_placeholder};
use super::values::{is_placeholder, shannon_entropy};
use super::vendor_checks;
use super::{DetectorSet, SecretMatch};

/// Content with a NUL byte this early is binary (images, archives, UTF-16); it is not scanned.
/// How much of a long line around a keyword a line detector sees. Minified files have lines of
/// megabytes; secrets sit next to their keyword.
const LINE_CONTEXT: usize = 4 * 1024;
/// How far a multi-line window or a companion search reaches at most, on each side.
pub(crate) const WINDOW_CAP: usize = 64 * 1024;

/// A match before overlaps are resolved.
pub(crate) struct Candidate {
    /// Index of the detector in the set, which is also its priority.
    pub detector: usize,
    /// Reported under the companion's `alone` ID: an identifier without its secret.
    pub alone: bool,
    /// The extent of the match, for its line and its allow comments.
    pub extent: Range<usize>,
    /// The text the match claims (the secret, and the identifier beside it): another match of
    /// the same text by a later detector is a duplicate.
    pub claims: Vec<Range<usize>>,
    pub redacted: Redacted,
    /// The name the value is assigned to (a setting, a variable, a header, a URL's user), when
    /// the detector reads one: what locates a withheld value (`redact::Withheld::slot`).
    pub slot: Option<String>,
    pub carries: Vec<String>,
    /// Added to the detector's description (what kind of private key, why nothing is carried).
    pub detail: Option<String>,
    pub agent_credential: bool,
    /// A private key whose body is base64 but not the key its label names: reported at the
    /// lowest confidence (a stand-in, or a key damaged past use).
    pub unreadable_key: bool,
}

pub(crate) fn scan(set: &DetectorSet, path: &str, bytes: &[u8]) -> Vec<SecretMatch> {
    if is_binary(bytes) {
        return Vec::new();
    }
    let mut candidates = Vec::new();
    let file = FileContext::of(path);
    pattern_candidates(set, bytes, &file, &mut candidates);

    let dotenv = agent::is_dotenv_path(path);
    let mcp = McpConfig::read(path, bytes);
    for (index, detector) in set.detectors.iter().enumerate() {
        match detector.kind {
            DetectorKind::Structure(Structure::Dotenv) if dotenv => {
                agent::dotenv_candidates(index, detector, bytes, &file, &mut candidates);
            }
            DetectorKind::Structure(Structure::McpConfig) => {
                if let Some(mcp) = &mcp {
                    mcp.candidates(index, detector, bytes, &file, &mut candidates);
                }
            }
            _ => {}
        }
    }

    let mut accepted = resolve_overlaps(candidates);
    // A secret in a server's entry, or in an agent's `.env`, belongs to the identity the entry
    // or the file names (a registered agent's name, an ARN or service-account email set beside
    // it): it carries those identifiers for the join.
    let dotenv_identities = if dotenv && !accepted.is_empty() {
        agent::dotenv_identities(bytes)
    } else {
        Vec::new()
    };
    for candidate in &mut accepted {
        let server = mcp
            .as_ref()
            .and_then(|mcp| Some((mcp, mcp.server_at(candidate.extent.clone())?)));
        candidate.agent_credential |= dotenv || server.is_some();
        let named = match server {
            Some((mcp, server)) => mcp.identities(server, bytes),
            None => dotenv_identities.clone(),
        };
        for identifier in named {
            if !candidate.carries.contains(&identifier) {
                candidate.carries.push(identifier);
            }
        }
    }
    finish(set, path, bytes, accepted)
}

/// Binary content has no secrets a detector can read (see `discover::binary`: decided by what
/// the content is, not by one NUL byte).
fn is_binary(bytes: &[u8]) -> bool {
    crate::discover::binary::binary_kind(bytes).is_some()
}

/// Runs the keyword pass and each hit detector's regex over its merged windows.
fn pattern_candidates(
    set: &DetectorSet,
    bytes: &[u8],
    file: &FileContext,
    out: &mut Vec<Candidate>,
) {
    let hits = set.keywords.hits(bytes);
    let mut open: Vec<Option<Range<usize>>> = vec![None; set.detectors.len()];
    let mut windows: Vec<(usize, Range<usize>)> = Vec::new();
    let mut line_of_hit = LineCache::default();
    for hit in hits {
        let line = line_of_hit.line(bytes, hit.start);
        for &index in &set.keyword_detectors[hit.keyword] {
            let Some(Pattern { window, .. }) = set.detectors[index].pattern() else {
                continue;
            };
            let span = if window.lines_before == 0 && window.lines_after == 0 {
                line.start.max(hit.start.saturating_sub(LINE_CONTEXT))
                    ..line.end.min(hit.end.saturating_add(LINE_CONTEXT))
            } else {
                line_window(
                    bytes,
                    hit.start,
                    hit.end,
                    window.lines_before,
                    window.lines_after,
                )
            };
            match &mut open[index] {
                Some(current) if span.start <= current.end => {
                    current.start = current.start.min(span.start);
                    current.end = current.end.max(span.end);
                }
                slot => {
                    if let Some(done) = slot.replace(span) {
                        windows.push((index, done));
                    }
                }
            }
        }
    }
    windows.extend(
        open.into_iter()
            .enumerate()
            .filter_map(|(index, span)| span.map(|span| (index, span))),
    );
    for (index, span) in windows {
        run_pattern(set, index, bytes, file, span, out);
    }
}

/// The line holding the last hit, so that the many hits of one long line find its bounds once.
#[derive(Default)]
struct LineCache {
    line: Range<usize>,
}

impl LineCache {
    fn line(&mut self, bytes: &[u8], at: usize) -> Range<usize> {
        if !self.line.contains(&at) {
            self.line = line_bounds(bytes, at);
        }
        self.line.clone()
    }
}

/// The line holding byte `at`, without its newline.
pub(crate) fn line_bounds(bytes: &[u8], at: usize) -> Range<usize> {
    let at = at.min(bytes.len());
    let start = memchr::memrchr(b'\n', &bytes[..at]).map_or(0, |p| p + 1);
    let end = memchr::memchr(b'\n', &bytes[at..]).map_or(bytes.len(), |p| at + p);
    start..end
}

/// The lines from `before` lines above the one holding `start` to `after` lines below the one
/// holding `end`, cut at `WINDOW_CAP` bytes on each side.
pub(crate) fn line_window(
    bytes: &[u8],
    start: usize,
    end: usize,
    before: u32,
    after: u32,
) -> Range<usize> {
    let start = start.min(bytes.len());
    let end = end.clamp(start, bytes.len());
    let floor = start.saturating_sub(WINDOW_CAP);
    let line_start_before =
        |at: usize| memchr::memrchr(b'\n', &bytes[floor..at]).map_or(floor, |p| floor + p + 1);
    let mut from = line_start_before(start);
    for _ in 0..before {
        if from <= floor {
            break;
        }
        // `from - 1` is the newline that ends the line above.
        from = line_start_before(from - 1);
    }
    let ceiling = end.saturating_add(WINDOW_CAP).min(bytes.len());
    let line_end_after =
        |at: usize| memchr::memchr(b'\n', &bytes[at..ceiling]).map_or(ceiling, |p| at + p + 1);
    let mut to = line_end_after(end);
    for _ in 0..after {
        if to >= ceiling {
            break;
        }
        to = line_end_after(to);
    }
    from..to
}

/// The span of the capture of `group` in `window` nearest to byte `at` in lines (a later one on
/// a tie), among those whose value `accept`s.
pub(crate) fn nearest_capture_where(
    regex: &Regex,
    bytes: &[u8],
    window: Range<usize>,
    at: usize,
    group: usize,
    accept: impl Fn(&[u8]) -> bool,
) -> Option<Range<usize>> {
    let mut best: Option<(usize, bool, Range<usize>)> = None;
    for_each_match(regex, bytes, window, |locations| {
        let Some((start, end)) = locations.get(group) else {
            return;
        };
        if start == end || !accept(&bytes[start..end]) {
            return;
        }
        let (low, high) = if start < at { (start, at) } else { (at, start) };
        let distance = memchr::memchr_iter(b'\n', &bytes[low..high]).count();
        let before = start < at;
        let better = match &best {
            None => true,
            Some((best_distance, best_before, _)) => {
                distance < *best_distance || (distance == *best_distance && *best_before && !before)
            }
        };
        if better {
            best = Some((distance, before, start..end));
        }
    });
    best.map(|(_, _, span)| span)
}

/// Calls `f` with the captures of every match of `regex` starting in `window`. The haystack ends
/// at the window but starts at the blob's start, so that `\b` and `^` at the window's start see
/// the byte before it; an empty match moves the search on by one byte.
fn for_each_match(
    regex: &Regex,
    bytes: &[u8],
    window: Range<usize>,
    mut f: impl FnMut(&CaptureLocations),
) {
    let mut locations = regex.capture_locations();
    let haystack = &bytes[..window.end];
    let mut position = window.start;
    while position <= window.end {
        let Some(whole) = regex.captures_read_at(&mut locations, haystack, position) else {
            break;
        };
        position = if whole.end() > whole.start() {
            whole.end()
        } else {
            whole.end() + 1
        };
        f(&locations);
    }
}

/// [`nearest_capture_where`] for a named group, accepting every value.
pub(crate) fn nearest_capture(
    regex: &Regex,
    bytes: &[u8],
    window: Range<usize>,
    at: usize,
    group: &str,
) -> Option<Range<usize>> {
    let index = regex.capture_names().position(|n| n == Some(group))?;
    nearest_capture_where(regex, bytes, window, at, index, |_| true)
}

fn run_pattern(
    set: &DetectorSet,
    index: usize,
    bytes: &[u8],
    file: &FileContext,
    window: Range<usize>,
    out: &mut Vec<Candidate>,
) {
    let Some(Pattern { regex, .. }) = set.detectors[index].pattern() else {
        return;
    };
    for_each_match(regex, bytes, window.clone(), |locations| {
        out.extend(pattern_candidate(
            set, index, bytes, file, &window, locations,
        ));
    });
}

fn pattern_candidate(
    set: &DetectorSet,
    index: usize,
    bytes: &[u8],
    file: &FileContext,
    window: &Range<usize>,
    locations: &CaptureLocations,
) -> Option<Candidate> {
    let detector = &set.detectors[index];
    let Pattern {
        groups, companion, ..
    } = detector.pattern()?;
    let span = |group: Option<usize>| {
        group
            .and_then(|g| locations.get(g))
            .filter(|(start, end)| start < end)
            .map(|(start, end)| start..end)
    };
    let whole = span(Some(0))?;
    let id = span(groups.id);
    let (secret, alone) = match companion {
        Some(companion) => {
            let id = id.clone()?;
            if is_placeholder(&bytes[id.clone()]) {
                return None;
            }
            let around = line_window(
                bytes,
                id.start,
                id.end,
                companion.within_lines,
                companion.within_lines,
            );
            let found = nearest_capture_where(
                &companion.regex,
                bytes,
                around,
                id.start,
                companion.secret_group,
                |value| {
                    !is_placeholder(value)
                        && companion
                            .entropy
                            .is_none_or(|floor| shannon_entropy(value) >= floor)
                },
            );
            match (found, &companion.alone) {
                (Some(found), _) => (found, false),
                (None, Some(_)) => (id.clone(), true),
                (None, None) => return None,
            }
        }
        None => (whole_value(bytes, span(groups.secret)?, window.end)?, false),
    };
    let value = &bytes[secret.clone()];
    if !alone
        && !passes(
            detector,
            bytes,
            &secret,
            span(groups.name),
            span(groups.user),
            file,
        )
    {
        return None;
    }

    let mut fingerprints = Vec::new();
    let mut detail = None;
    let mut unreadable_key = false;
    let redacted = if !alone && looks_like_pem_private_key(value) {
        let facts = private_key_facts(value);
        // Armour around words or an elided body is not a key. (A GCP key file is judged by its
        // key ID, which joins the inventory whatever its body holds.)
        if detector.carries == Some(Carries::PrivateKey) {
            match facts.structure {
                KeyStructure::NotBase64 => return None,
                KeyStructure::Unreadable => unreadable_key = true,
                KeyStructure::Read | KeyStructure::Unchecked => {}
            }
        }
        if matches!(
            detector.carries,
            Some(Carries::PrivateKey | Carries::GcpPrivateKeyId)
        ) {
            fingerprints = facts.fingerprints;
        }
        detail = Some(facts.summary);
        facts.redacted
    } else {
        Redacted::of(value)
    };
    let id_text = || {
        id.clone()
            .map(|r| String::from_utf8_lossy(&bytes[r]).into_owned())
    };
    let mut carries: Vec<String> = match detector.carries {
        Some(Carries::AwsAccessKeyId) => id_text().into_iter().collect(),
        Some(Carries::GcpPrivateKeyId) => id_text()
            .map(|id| id.to_ascii_lowercase())
            .into_iter()
            .chain(set.nearby.gcp_client_email(bytes, whole.start))
            .collect(),
        Some(Carries::VaultRoleId) => set
            .nearby
            .vault_role_id(bytes, secret.start)
            .into_iter()
            .collect(),
        Some(Carries::AzureClientId) => set
            .nearby
            .azure_client_id(bytes, secret.start)
            .into_iter()
            .collect(),
        Some(Carries::JwtClaims) if !alone => jwt_identifiers(value),
        Some(Carries::JwtClaims | Carries::PrivateKey) | None => Vec::new(),
    };
    carries.extend(fingerprints);
    let start = whole.start.min(secret.start);
    let end = whole.end.max(secret.end);
    let slot = span(groups.name)
        .or_else(|| span(groups.user))
        .map(|r| String::from_utf8_lossy(&bytes[r]).into_owned());
    let mut claims = vec![secret];
    claims.extend(id.filter(|id| !claims.contains(id)));
    Some(Candidate {
        detector: index,
        alone,
        extent: start..end,
        claims,
        redacted,
        slot,
        carries,
        detail,
        agent_credential: false,
        unreadable_key,
    })
}

/// The entropy floor, the placeholder list and the detector's checks.
fn passes(
    detector: &Detector,
    bytes: &[u8],
    secret: &Range<usize>,
    name: Option<Range<usize>>,
    user: Option<Range<usize>>,
    file: &FileContext,
) -> bool {
    let value = &bytes[secret.clone()];
    let assignment = detector.checks.contains(&Check::Assignment);
    // A URL's password is judged by `urls.rs` (`admin:admin@` is a real credential, where
    // `admin` alone is a placeholder); a generic assignment scales its floor with the value's
    // length (`assignment.rs`).
    let url = detector.checks.contains(&Check::UrlCredentials);
    if (!url && is_placeholder(value))
        || (!assignment
            && detector
                .entropy
                .is_some_and(|floor| shannon_entropy(value) < floor))
    {
        return false;
    }
    detector.checks.iter().all(|check| match check {
        Check::JwtHeader => jwt_has_header(value) && !jwt_is_published_example(value),
        Check::Assignment => name.clone().is_some_and(|name| {
            holds_secret(
                &Assignment {
                    bytes,
                    value: secret.clone(),
                    name_start: name.start,
                    name: &String::from_utf8_lossy(&bytes[name]),
                    file,
                    parsed: false,
                },
                detector.entropy,
            )
        }),
        Check::UrlCredentials => user.clone().is_some_and(|user| {
            !url_password_is_placeholder(&bytes[user], value, host_after(bytes, secret.end))
        }),
        Check::GithubChecksum => vendor_checks::github_checksum(value),
        Check::NpmChecksum => vendor_checks::npm_checksum(value),
        Check::GitlabChecksum => vendor_checks::gitlab_checksum(value),
        Check::AtlassianChecksum => vendor_checks::atlassian_checksum(value),
        Check::PypiMacaroon => vendor_checks::pypi_macaroon(value),
        Check::AwsKmsCiphertext => vendor_checks::aws_kms_ciphertext(value),
        Check::AzureStorageKey => vendor_checks::azure_storage_key(value),
    })
}

/// The longest value a generic match is extended to: past it the run is a blob (minified
/// code, base64 of a file), not one credential, and extending every keyword inside such a run
/// to its end would cost the run's length per keyword.
const LONGEST_VALUE: usize = 8 * 1024;

/// The whole value when a match stopped at the end of its window (a value longer than the
/// window around its keyword): a value is never cut, or its hash would not be the secret's.
/// `None` when the value runs past [`LONGEST_VALUE`].
fn whole_value(bytes: &[u8], secret: Range<usize>, window_end: usize) -> Option<Range<usize>> {
    if secret.end != window_end {
        return Some(secret);
    }
    let limit = bytes.len().min(secret.end + LONGEST_VALUE + 1);
    let rest = bytes[secret.end..limit]
        .iter()
        .take_while(|&&b| {
            !b.is_ascii_whitespace()
                && !matches!(
                    b,
                    b'"' | b'\''
                        | b'`'
                        | b','
                        | b';'
                        | b'\\'
                        | b'('
                        | b')'
                        | b'<'
                        | b'>'
                        | b'['
                        | b']'
                        | b'{'
                        | b'}'
                        | b'&'
                )
        })
        .count();
    (secret.len() + rest <= LONGEST_VALUE).then_some(secret.start..secret.end + rest)
}

/// Keeps, for every piece of text, the match of the earliest detector in the catalog.
fn resolve_overlaps(mut candidates: Vec<Candidate>) -> Vec<Candidate> {
    candidates.sort_by_key(|c| (c.detector, c.extent.start));
    let mut claimed: BTreeMap<usize, usize> = BTreeMap::new();
    let mut accepted = Vec::with_capacity(candidates.len());
    for candidate in candidates {
        let overlaps = candidate.claims.iter().any(|claim| {
            claimed
                .range(..claim.end)
                .next_back()
                .is_some_and(|(_, &end)| end > claim.start)
        });
        if overlaps {
            continue;
        }
        for claim in &candidate.claims {
            claimed.insert(claim.start, claim.end);
        }
        accepted.push(candidate);
    }
    accepted.sort_by_key(|c| (c.extent.start, c.detector));
    accepted
}

/// Lines, allow comments, descriptions and confidence; candidates are sorted by position.
fn finish(
    set: &DetectorSet,
    path: &str,
    bytes: &[u8],
    accepted: Vec<Candidate>,
) -> Vec<SecretMatch> {
    let mut line = 1u32;
    let mut counted_to = 0usize;
    let mut matches = Vec::with_capacity(accepted.len());
    let test_fixture = confidence::is_test_fixture_path(path);
    // How often each detector has found each name so far in this blob, to number repeats.
    let mut slots_seen: std::collections::HashMap<(usize, String), u32> = Default::default();
    for candidate in accepted {
        let start = candidate.extent.start.min(bytes.len());
        if start >= counted_to {
            let newlines = memchr::memchr_iter(b'\n', &bytes[counted_to..start]).count();
            line = line.saturating_add(u32::try_from(newlines).unwrap_or(u32::MAX));
            counted_to = start;
        }
        let detector = &set.detectors[candidate.detector];
        let confidence = confidence::rate(detector, &candidate, test_fixture);
        let (id, description) = match detector.alone().filter(|_| candidate.alone) {
            Some(alone) => (alone.id.clone(), alone.description.clone()),
            None => (detector.id.clone(), detector.description.clone()),
        };
        let description = match candidate.detail {
            Some(detail) => format!("{description}: {detail}"),
            None => description,
        };
        let name = candidate.slot.unwrap_or_default();
        let seen = slots_seen
            .entry((candidate.detector, name.clone()))
            .or_insert(0);
        *seen += 1;
        let slot = match *seen {
            1 => name,
            n => format!("{name}#{n}"),
        };
        matches.push(SecretMatch {
            detector: id,
            description,
            line,
            start: candidate.extent.start,
            end: candidate.extent.end,
            secret_sha256: candidate.redacted.sha256_hex(),
            // An identifier reported without its secret (an AWS key ID) is not secret material.
            disclosure: if candidate.alone {
                candidate.redacted.disclose_identifier()
            } else {
                candidate
                    .redacted
                    .disclose(detector.class, set.digest_key.as_ref(), slot)
            },
            identifier_only: candidate.alone,
            carries: candidate.carries,
            agent_credential: candidate.agent_credential,
            allowed_rules: allowed_rules(bytes, candidate.extent),
            confidence,
        });
    }
    matches
}

/// Rule codes named by `deprov:allow CODE[,CODE…] reason` on the lines of a match or on the
/// line before it.
pub(crate) fn allowed_rules(bytes: &[u8], extent: Range<usize>) -> Vec<String> {
    const MARKER: &[u8] = b"deprov:allow";
    let first_line = line_bounds(bytes, extent.start);
    let from = if first_line.start > 0 {
        line_bounds(bytes, first_line.start - 1).start
    } else {
        0
    };
    let last_line = line_bounds(bytes, extent.end.saturating_sub(1).max(extent.start));
    let region = &bytes[from..last_line.end.max(from)];
    let mut rules: Vec<String> = Vec::new();
    for at in memchr::memmem::find_iter(region, MARKER) {
        let rest = &region[at + MARKER.len()..];
        let rest = &rest[..memchr::memchr(b'\n', rest).unwrap_or(rest.len())];
        let codes = rest
            .split(|&b| b == b' ' || b == b',' || b == b'\t')
            .filter(|token| !token.is_empty())
            .map_while(|token| {
                is_rule_code(token).then(|| String::from_utf8_lossy(token).into_owned())
            });
        for code in codes {
            if !rules.contains(&code) {
                rules.push(code);
            }
        }
    }
    rules
}

/// `LEAK001`, `DPV004`: upper-case letters then digits.
fn is_rule_code(token: &[u8]) -> bool {
    let letters = token.iter().take_while(|b| b.is_ascii_uppercase()).count();
    letters > 0 && token.len() > letters && token[letters..].iter().all(u8::is_ascii_digit)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn windows_cover_whole_lines() {
        let text = b"one\ntwo\nthree\nfour\nfive";
        let at = 9; // inside "three"
        assert_eq!(&text[line_bounds(text, at)], b"three");
        assert_eq!(&text[line_window(text, at, at + 1, 0, 0)], b"three\n");
        assert_eq!(
            &text[line_window(text, at, at + 1, 1, 1)],
            b"two\nthree\nfour\n"
        );
        assert_eq!(&text[line_window(text, at, at + 1, 9, 9)], &text[..]);
        assert_eq!(&text[line_window(text, 0, 1, 2, 0)], b"one\n");
        let blank_lines = b"\n\nx";
        assert_eq!(&blank_lines[line_window(blank_lines, 2, 3, 1, 0)], b"\nx");
        assert_eq!(line_window(b"", 0, 0, 3, 3), 0..0);
    }

    #[test]
    fn allow_comments_name_rule_codes() {
        let text = b"# deprov:allow LEAK001,DPV004 fixture\nkey = 1\nother\n";
        let key = memchr::memmem::find(text, b"key").unwrap();
        assert_eq!(allowed_rules(text, key..key + 3), vec!["LEAK001", "DPV004"]);
        let other = memchr::memmem::find(text, b"other").unwrap();
        assert!(allowed_rules(text, other..other + 5).is_empty());
        assert!(allowed_rules(b"x # deprov:allow because", 0..1).is_empty());
        assert_eq!(
            allowed_rules(b"x # deprov:allow LEAK001", 0..1),
            vec!["LEAK001"]
        );
    }

    #[test]
    fn binary_content_is_recognised_by_what_it_is() {
        assert!(is_binary(b"PK\x03\x04\x00"));
        assert!(!is_binary(b"text"));
        // One NUL does not make text binary (it once hid every secret of a file).
        assert!(!is_binary(b"\0GITHUB_TOKEN=x\n"));
    }
}
