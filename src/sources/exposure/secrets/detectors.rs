//! The detector catalog: `rules/secrets.yaml` and users' files of the same shape, read,
//! validated (every problem at once, each pointing at its place in the file) and compiled into
//! regexes and typed behaviours.

use std::collections::BTreeMap;

use miette::Diagnostic;
use regex::bytes::{Regex, RegexBuilder};
use serde::Deserialize;

use super::redact::SecretClass;
use crate::diagnostic::{FileDiagnostic, FileKind, Problem, Snippet};
use crate::inventory::Confidence;

/// A broken detector file.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum DetectorError {
    /// The file is not a regular file, cannot be read, or is not YAML.
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] FileDiagnostic),
    #[error("the detector keywords do not fit in one automaton: {message}")]
    #[diagnostic(
        code(deprov::secrets::keywords),
        help("use fewer or shorter keywords in the user detector files")
    )]
    Keywords { message: String },
    #[error("a built-in identifier pattern does not compile: {message}")]
    #[diagnostic(code(deprov::secrets::internal))]
    Internal { message: String },
    #[error("the secret detectors have {} problem(s)", problems.len())]
    #[diagnostic(code(deprov::secrets::invalid))]
    Invalid {
        #[related]
        problems: Vec<Problem>,
    },
}

/// How detector files are named in diagnostics about a file as a whole.
pub static DETECTOR_FILE: FileKind = FileKind {
    what: "detector file",
    io_code: "deprov::secrets::io",
    unreadable: "cannot read {path}: {message}",
    syntax_code: "deprov::secrets::syntax",
    invalid: "{path}: {message}",
    invalid_help: Some(
        "a detector file is YAML with a `detectors:` list; see rules/secrets.yaml for the shape of an entry",
    ),
};

/// The text of one detector file, kept for pointing diagnostics at it.
#[derive(Debug, Clone)]
pub(crate) struct DetectorSource {
    pub path: String,
    pub text: String,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct DetectorFile {
    detectors: Vec<DetectorEntry>,
}

/// One entry of a detector file, as written.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct DetectorEntry {
    pub id: String,
    pub description: String,
    #[serde(default)]
    pub keywords: Vec<String>,
    pub regex: Option<String>,
    pub structure: Option<Structure>,
    pub entropy: Option<f64>,
    /// `token` (default) or `password`: how reports treat the values (see `redact`).
    #[serde(default)]
    pub class: SecretClass,
    pub carries: Option<Carries>,
    pub companion: Option<CompanionEntry>,
    #[serde(default)]
    pub window: Window,
    #[serde(default)]
    pub checks: Vec<Check>,
    #[serde(default)]
    pub generic: bool,
    /// How sure a match is to be a secret before the match itself is weighed (see
    /// `confidence.rs`); default [`default_confidence`].
    pub confidence: Option<Confidence>,
    #[serde(default)]
    pub tests: Vec<ExampleEntry>,
}

/// A detector's confidence when its entry does not say: `low` for a generic detector (a name
/// and a value, which any setting can look like), `medium` for a vendor format (a token's
/// shape), `high` for a vendor format whose checksum the detector verifies (a typed or altered
/// token fails it). A key pair has to claim `high` in its entry.
pub(crate) fn default_confidence(generic: bool, checks: &[Check]) -> Confidence {
    if generic {
        Confidence::Low
    } else if checks.iter().any(Check::verifies_checksum) {
        Confidence::High
    } else {
        Confidence::Medium
    }
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct CompanionEntry {
    pub regex: String,
    pub within_lines: u32,
    pub entropy: Option<f64>,
    pub alone: Option<AloneEntry>,
}

/// What a detector whose companion is missing reports instead (an identifier without its
/// secret), under its own detector ID.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct AloneEntry {
    pub id: String,
    pub description: String,
}

/// How far around a keyword hit the regex runs. Lines beyond a hit's own line are for secrets
/// that span lines (PEM blocks).
#[derive(Debug, Clone, Copy, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct Window {
    #[serde(default)]
    pub lines_before: u32,
    #[serde(default)]
    pub lines_after: u32,
}

/// What a match yields for correlation with the inventory.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Carries {
    /// The `id` group: an AWS access key ID.
    AwsAccessKeyId,
    /// The `id` group (40 hex), the `client_email` of the same key file, and the public-key
    /// fingerprints of the key's `private_key`.
    GcpPrivateKeyId,
    /// Public-key fingerprints of the PEM or OpenSSH private key (`spki-sha256:`, `sha256:`).
    PrivateKey,
    /// The AppRole `role_id` written near the secret ID.
    VaultRoleId,
    /// The Entra application (client) ID written near the client secret.
    AzureClientId,
    /// Identifier claims of a JWT: a Kubernetes service account or email `sub`, an Entra
    /// `appid`/`azp`.
    JwtClaims,
}

/// Detectors that read a file's structure instead of running a regex.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Structure {
    /// `NAME=VALUE` lines of `.env` files whose name holds a credential.
    Dotenv,
    /// `env` and `headers` values of the servers of an MCP client configuration.
    McpConfig,
}

/// Extra tests a match must pass, for shapes a regex cannot judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Check {
    /// The first part base64url-decodes to a JSON object with an `alg`.
    JwtHeader,
    /// The `name` group names a credential (not `token_type`, `password_file`) and the value
    /// has a letter and a digit (not a code identifier).
    Assignment,
    /// The `user`/`secret` pair of a URL is not a documentation placeholder.
    UrlCredentials,
    /// `ghp_`/`gho_`/`ghu_`/`ghr_`: the last six characters are the base62 CRC-32 of the random
    /// part (`vendor_checks`).
    GithubChecksum,
    /// `npm_`: GitHub's checksum scheme.
    NpmChecksum,
    /// GitLab routable tokens: the base36 CRC-32 suffix, or GitLab's payload structure.
    GitlabChecksum,
    /// Atlassian `ATATT3` tokens: the hex CRC-32 suffix.
    AtlassianChecksum,
    /// `pypi-`: the base64url of a v2 macaroon whose header locates it at `pypi.org` or
    /// `test.pypi.org`.
    PypiMacaroon,
    /// The base64 decodes to an AWS KMS ciphertext blob (header, length, PKCS #7 envelope).
    AwsKmsCiphertext,
    /// 64 bytes of base64, and not the Azurite emulator's published key.
    AzureStorageKey,
}

impl Check {
    /// Whether every match that passes the check had its vendor checksum verified. Not
    /// GitLab's: its older tokens carry no checksum and pass unchecked.
    pub fn verifies_checksum(&self) -> bool {
        matches!(
            self,
            Check::GithubChecksum | Check::NpmChecksum | Check::AtlassianChecksum
        )
    }
}

/// A positive or negative example of a detector. Every `~~` is removed before the example is
/// scanned, so that the catalog holds no token in the shape scanners look for.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ExampleEntry {
    pub matches: Option<String>,
    pub no_match: Option<String>,
    /// The file the text is scanned as (`.env`, `mcp.json`); `example.txt` when absent.
    pub path: Option<String>,
    /// The detector ID expected when it is not the entry's own (an `alone` ID).
    pub detector: Option<String>,
    /// Identifiers the match must carry, exactly.
    pub carries: Option<Vec<String>>,
    /// The confidence the match must have (at the example's `path`).
    pub confidence: Option<Confidence>,
}

/// A compiled detector.
#[derive(Debug)]
pub(crate) struct Detector {
    pub id: String,
    pub description: String,
    pub keywords: Vec<String>,
    pub kind: DetectorKind,
    pub entropy: Option<f64>,
    pub class: SecretClass,
    pub carries: Option<Carries>,
    pub checks: Vec<Check>,
    /// A broad detector (`generic: true`): its matches are judged by their name, value and path.
    pub generic: bool,
    /// The confidence of its matches before each match is weighed (`confidence.rs`).
    pub confidence: Confidence,
    pub examples: Vec<ExampleEntry>,
}

#[derive(Debug)]
pub(crate) enum DetectorKind {
    Pattern(Box<Pattern>),
    Structure(Structure),
}

/// A detector that runs a regex near its keywords.
#[derive(Debug)]
pub(crate) struct Pattern {
    pub regex: Regex,
    pub groups: Groups,
    pub companion: Option<Companion>,
    pub window: Window,
}

impl Detector {
    pub fn pattern(&self) -> Option<&Pattern> {
        match &self.kind {
            DetectorKind::Pattern(pattern) => Some(pattern),
            DetectorKind::Structure(_) => None,
        }
    }

    /// What reports the identifier when the companion secret is missing.
    pub fn alone(&self) -> Option<&AloneEntry> {
        self.pattern()?.companion.as_ref()?.alone.as_ref()
    }
}

/// Indices of the named groups a detector regex may have.
#[derive(Debug, Clone, Copy, Default)]
pub(crate) struct Groups {
    pub secret: Option<usize>,
    pub id: Option<usize>,
    pub name: Option<usize>,
    pub user: Option<usize>,
}

impl Groups {
    fn of(regex: &Regex) -> Groups {
        let index = |wanted: &str| regex.capture_names().position(|n| n == Some(wanted));
        Groups {
            secret: index("secret"),
            id: index("id"),
            name: index("name"),
            user: index("user"),
        }
    }
}

#[derive(Debug)]
pub(crate) struct Companion {
    pub regex: Regex,
    /// Index of the companion's `secret` group.
    pub secret_group: usize,
    pub within_lines: u32,
    pub entropy: Option<f64>,
    pub alone: Option<AloneEntry>,
}

/// Detectors can look this far from their keyword; more would make a keyword hit cost a scan
/// of a large part of the file.
pub(crate) const MAX_WINDOW_LINES: u32 = 1000;
const MAX_COMPANION_LINES: u32 = 200;
const MIN_KEYWORD_LEN: usize = 2;
/// Compiled size of one detector regex; bounded so that a user's pattern cannot exhaust memory.
const REGEX_SIZE_LIMIT: usize = 4 * 1024 * 1024;

pub(crate) fn parse_file(source: &DetectorSource) -> Result<Vec<DetectorEntry>, DetectorError> {
    serde_yaml::from_str::<DetectorFile>(&source.text)
        .map(|file| file.detectors)
        .map_err(|e| FileDiagnostic::yaml(&DETECTOR_FILE, &source.path, &source.text, &e).into())
}

/// Merges the entries of several files (later files replace entries with the same ID, in
/// place) and compiles them. Specific detectors come before generic ones: where two matches
/// claim the same text, the earlier detector wins.
pub(crate) fn compile(
    sources: &[DetectorSource],
    files: Vec<Vec<DetectorEntry>>,
) -> Result<Vec<Detector>, DetectorError> {
    let mut problems = Vec::new();
    let mut merged: Vec<(usize, DetectorEntry)> = Vec::new();
    for (file_index, entries) in files.into_iter().enumerate() {
        let mut seen_here: BTreeMap<String, ()> = BTreeMap::new();
        for entry in entries {
            if seen_here.insert(entry.id.clone(), ()).is_some() {
                problems.push(problem(
                    &sources[file_index],
                    &entry.id,
                    None,
                    format!("detector `{}` appears twice in {}", entry.id, sources[file_index].path),
                    Some("detector IDs are unique within a file; a later file replaces a detector by using its ID".into()),
                ));
                continue;
            }
            match merged
                .iter_mut()
                .find(|(_, existing)| existing.id == entry.id)
            {
                Some(slot) => *slot = (file_index, entry),
                None => merged.push((file_index, entry)),
            }
        }
    }
    merged.sort_by_key(|(_, entry)| entry.generic);

    let mut ids: BTreeMap<String, ()> = BTreeMap::new();
    let mut detectors = Vec::new();
    for (file_index, entry) in merged {
        let source = &sources[file_index];
        let alone_id = entry
            .companion
            .as_ref()
            .and_then(|c| c.alone.as_ref())
            .map(|a| a.id.clone());
        for id in std::iter::once(entry.id.clone()).chain(alone_id) {
            if ids.insert(id.clone(), ()).is_some() {
                problems.push(problem(
                    source,
                    &entry.id,
                    None,
                    format!("detector ID `{id}` is used twice"),
                    Some("an `alone` ID must differ from every detector ID".into()),
                ));
            }
        }
        if let Some(detector) = compile_entry(source, entry, &mut problems) {
            detectors.push(detector);
        }
    }
    if problems.is_empty() {
        Ok(detectors)
    } else {
        Err(DetectorError::Invalid { problems })
    }
}

fn compile_entry(
    source: &DetectorSource,
    entry: DetectorEntry,
    problems: &mut Vec<Problem>,
) -> Option<Detector> {
    let before = problems.len();
    let mut report = |field: Option<&str>, message: String, help: Option<String>| {
        problems.push(problem(source, &entry.id, field, message, help));
    };
    let id = &entry.id;
    if id.is_empty()
        || !id
            .bytes()
            .all(|b| b.is_ascii_lowercase() || b.is_ascii_digit() || b == b'-')
    {
        report(
            None,
            format!("detector ID `{id}` is not kebab-case"),
            Some("use lower-case letters, digits and `-`".into()),
        );
    }
    for (field, value) in [
        ("entropy", entry.entropy),
        ("entropy", entry.companion.as_ref().and_then(|c| c.entropy)),
    ] {
        if let Some(bits) = value {
            if !(0.0..=8.0).contains(&bits) {
                report(
                    Some(field),
                    format!("`{id}`: entropy {bits} is outside 0..=8 bits per character"),
                    None,
                );
            }
        }
    }
    for (index, example) in entry.tests.iter().enumerate() {
        if example.matches.is_some() == example.no_match.is_some() {
            report(
                Some("tests"),
                format!(
                    "`{id}`: test {} needs exactly one of `matches` and `no_match`",
                    index + 1
                ),
                None,
            );
        }
    }
    let keywords: Vec<String> = entry
        .keywords
        .iter()
        .map(|k| k.to_ascii_lowercase())
        .collect();
    let kind = match (&entry.regex, entry.structure) {
        (Some(_), Some(_)) => {
            report(
                Some("structure"),
                format!("`{id}` has both `regex` and `structure`"),
                Some(
                    "a detector either runs a regex near its keywords or reads a file's structure"
                        .into(),
                ),
            );
            None
        }
        (None, None) => {
            report(
                None,
                format!("`{id}` has neither `regex` nor `structure`"),
                None,
            );
            None
        }
        (None, Some(structure)) => {
            if !keywords.is_empty() || entry.companion.is_some() {
                report(
                    Some("structure"),
                    format!("`{id}`: a structure detector takes no `keywords` or `companion`"),
                    None,
                );
            }
            Some(DetectorKind::Structure(structure))
        }
        (Some(pattern), None) => {
            if keywords.is_empty() {
                report(Some("regex"), format!("`{id}` has no keywords"), Some("the regex only runs near a keyword hit; give the literal text every match contains".into()));
            }
            for keyword in &keywords {
                if keyword.len() < MIN_KEYWORD_LEN || keyword.contains('\n') {
                    report(Some("keywords"), format!("`{id}`: keyword `{keyword}` is too short or spans lines"), Some(format!("keywords are single-line literals of at least {MIN_KEYWORD_LEN} characters")));
                }
            }
            if entry.window.lines_before > MAX_WINDOW_LINES
                || entry.window.lines_after > MAX_WINDOW_LINES
            {
                report(
                    Some("window"),
                    format!("`{id}`: a window reaches at most {MAX_WINDOW_LINES} lines"),
                    None,
                );
            }
            let regex = compile_regex(pattern)
                .map_err(|e| report(Some("regex"), format!("`{id}`: {e}"), None))
                .ok();
            let companion = entry.companion.as_ref().and_then(|c| {
                if c.within_lines > MAX_COMPANION_LINES {
                    report(Some("within_lines"), format!("`{id}`: a companion is looked for at most {MAX_COMPANION_LINES} lines away"), None);
                }
                let regex = compile_regex(&c.regex)
                    .map_err(|e| report(Some("companion"), format!("`{id}` companion: {e}"), None))
                    .ok()?;
                let Some(secret_group) = Groups::of(&regex).secret else {
                    report(Some("companion"), format!("`{id}`: the companion regex has no `secret` group"), None);
                    return None;
                };
                Some(Companion {
                    regex,
                    secret_group,
                    within_lines: c.within_lines,
                    entropy: c.entropy,
                    alone: c.alone.clone(),
                })
            });
            if let Some(regex) = &regex {
                match (
                    &companion,
                    has_group(regex, "secret"),
                    has_group(regex, "id"),
                ) {
                    (None, false, _) => report(
                        Some("regex"),
                        format!("`{id}`: the regex has no `secret` group"),
                        Some("name the secret value `(?P<secret>…)`".into()),
                    ),
                    (Some(_), _, false) => report(
                        Some("regex"),
                        format!(
                            "`{id}`: a detector with a companion needs an `id` group in its regex"
                        ),
                        None,
                    ),
                    _ => {}
                }
                let needs_id = matches!(
                    entry.carries,
                    Some(Carries::AwsAccessKeyId | Carries::GcpPrivateKeyId)
                );
                if needs_id && !has_group(regex, "id") {
                    report(
                        Some("carries"),
                        format!(
                            "`{id}`: carries {:?} reads the `id` group, which the regex lacks",
                            entry.carries
                        ),
                        None,
                    );
                }
                if entry.checks.contains(&Check::Assignment) && !has_group(regex, "name") {
                    report(Some("checks"), format!("`{id}`: the `assignment` check reads a `name` group, which the regex lacks"), None);
                }
                if entry.checks.contains(&Check::UrlCredentials) && !has_group(regex, "user") {
                    report(Some("checks"), format!("`{id}`: the `url_credentials` check reads a `user` group, which the regex lacks"), None);
                }
            }
            match (regex, companion.is_some() == entry.companion.is_some()) {
                (Some(regex), true) => Some(DetectorKind::Pattern(Box::new(Pattern {
                    groups: Groups::of(&regex),
                    regex,
                    companion,
                    window: entry.window,
                }))),
                _ => None,
            }
        }
    };
    if problems.len() > before {
        return None;
    }
    let confidence = entry
        .confidence
        .unwrap_or_else(|| default_confidence(entry.generic, &entry.checks));
    Some(Detector {
        id: entry.id,
        description: entry.description,
        keywords,
        kind: kind?,
        entropy: entry.entropy,
        class: entry.class,
        carries: entry.carries,
        checks: entry.checks,
        generic: entry.generic,
        confidence,
        examples: entry.tests,
    })
}

/// Detector patterns are byte patterns: ASCII classes and case folding, any bytes matched
/// (input need not be UTF-8), which also keeps them fast.
pub(crate) fn compile_regex(pattern: &str) -> Result<Regex, regex::Error> {
    RegexBuilder::new(pattern)
        .unicode(false)
        .size_limit(REGEX_SIZE_LIMIT)
        .build()
}

fn has_group(regex: &Regex, name: &str) -> bool {
    regex.capture_names().any(|n| n == Some(name))
}

/// A problem pointing at a detector's entry, or at one of its fields when given.
fn problem(
    source: &DetectorSource,
    id: &str,
    field: Option<&str>,
    message: String,
    help: Option<String>,
) -> Problem {
    let (offset, len) = locate(&source.text, id, field);
    let snippet = Snippet::at_offset(&source.path, source.text.as_bytes(), offset, len);
    let label = field.map_or("this detector".to_string(), |f| format!("`{f}`"));
    Problem::at("deprov::secrets::detector", snippet, label, message, help)
}

/// The byte range of `id: ID` in a detector file, or of the first `FIELD:` line after it.
fn locate(text: &str, id: &str, field: Option<&str>) -> (usize, usize) {
    let entry = text
        .match_indices("id:")
        .find(|(offset, _)| {
            let rest = &text[offset + 3..];
            let value = rest
                .lines()
                .next()
                .unwrap_or_default()
                .trim()
                .trim_matches(['"', '\'']);
            value == id
        })
        .map(|(offset, _)| offset);
    let Some(entry) = entry else {
        return (0, 0);
    };
    let line_len = |at: usize| text[at..].find('\n').unwrap_or(text.len() - at);
    match field.and_then(|f| text[entry..].find(&format!("{f}:")).map(|p| entry + p)) {
        Some(at) => (at, line_len(at)),
        None => (entry, line_len(entry)),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn source(text: &str) -> DetectorSource {
        DetectorSource {
            path: "user.yaml".into(),
            text: text.into(),
        }
    }

    fn compile_text(text: &str) -> Result<Vec<Detector>, DetectorError> {
        let source = source(text);
        let entries = parse_file(&source)?;
        compile(std::slice::from_ref(&source), vec![entries])
    }

    #[test]
    fn every_problem_is_reported_at_its_place() {
        let text = "detectors:\n  - id: broken\n    description: x\n    keywords: [abc]\n    regex: '(?P<secret>[a-'\n  - id: nogroup\n    description: y\n    keywords: [xyz]\n    regex: 'xyz[0-9]+'\n  - id: Bad_Id\n    description: z\n    structure: dotenv\n    entropy: 9.5\n";
        let Err(DetectorError::Invalid { problems }) = compile_text(text) else {
            panic!("expected problems");
        };
        let messages: Vec<&str> = problems.iter().map(|p| p.message.as_str()).collect();
        assert_eq!(problems.len(), 4, "{messages:?}");
        assert!(messages[0].contains("broken"));
        assert!(messages[1].contains("no `secret` group"));
        assert!(messages.iter().any(|m| m.contains("kebab-case")));
        assert!(messages.iter().any(|m| m.contains("entropy 9.5")));
        let regex_line = text.find("regex: '(?P").unwrap();
        assert_eq!(problems[0].span.offset(), regex_line);
    }

    #[test]
    fn syntax_errors_and_unknown_fields_point_at_the_file() {
        let err =
            compile_text("detectors:\n  - id: a\n    description: b\n    regexp: x\n").unwrap_err();
        assert!(
            matches!(err, DetectorError::File(FileDiagnostic::Syntax { .. })),
            "{err:?}"
        );
        assert!(err.to_string().contains("regexp"), "{err}");
    }

    #[test]
    fn confidence_defaults_by_breadth_and_a_detector_may_claim_its_own() {
        let text = "detectors:\n  - id: vendor\n    description: v\n    keywords: [ab]\n    regex: '(?P<secret>ab)'\n  - id: broad\n    description: b\n    keywords: [cd]\n    regex: '(?P<secret>cd)'\n    generic: true\n  - id: pair\n    description: p\n    keywords: [ef]\n    regex: '(?P<secret>ef)'\n    confidence: high\n";
        let detectors = compile_text(text).unwrap();
        let level = |id: &str| detectors.iter().find(|d| d.id == id).unwrap().confidence;
        assert_eq!(level("vendor"), Confidence::Medium);
        assert_eq!(level("broad"), Confidence::Low);
        assert_eq!(level("pair"), Confidence::High);
        let err = compile_text(
            "detectors:\n  - id: a\n    description: b\n    keywords: [ab]\n    regex: '(?P<secret>ab)'\n    confidence: certain\n",
        )
        .unwrap_err();
        assert!(
            matches!(err, DetectorError::File(FileDiagnostic::Syntax { .. })),
            "{err:?}"
        );
        assert!(err.to_string().contains("certain"), "{err}");
    }

    #[test]
    fn duplicate_ids_and_missing_keywords_are_problems() {
        let text = "detectors:\n  - id: a\n    description: b\n    keywords: [ab]\n    regex: '(?P<secret>ab)'\n  - id: a\n    description: b\n    regex: '(?P<secret>ab)'\n  - id: c\n    description: b\n    regex: '(?P<secret>ab)'\n";
        let Err(DetectorError::Invalid { problems }) = compile_text(text) else {
            panic!("expected problems");
        };
        assert!(problems.iter().any(|p| p.message.contains("appears twice")));
        assert!(problems.iter().any(|p| p.message.contains("no keywords")));
    }
}
