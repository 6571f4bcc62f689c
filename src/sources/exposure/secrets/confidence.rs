//! The confidence of a secret match: its detector's (`confidence:` in the detector YAML, by
//! default `low` for a generic detector and `medium` for a vendor format), weighed by what the
//! match shows and where it was found. [`decide`] holds every rule; [`rate`] gathers its inputs
//! from a match.
//!
//! The rules:
//!
//! 1. An identifier reported without its secret (a companion detector's `alone` ID, such as an
//!    AWS access key ID with no secret key near it) is `low`: it is not secret material, and
//!    its finding says only that a key is named.
//! 2. A vendor (non-generic) detector's match has its detector's confidence wherever it is: its
//!    evidence is the format, which does not change with the path, and a real key committed
//!    under `tests/` opens as much as one under `src/`.
//! 3. A generic detector's match has its detector's confidence, raised to `medium` when its
//!    [`Strength`] says so (the simple version: the value is assigned to a credential's name
//!    and has the entropy of a generated token). Never to `high`: a name and an entropy
//!    estimate prove no secret.
//! 4. A generic detector's match in a test-fixture path ([`is_test_fixture_path`]) is lowered
//!    one step (`medium` → `low`, `low` stays `low`), not dropped: fixtures are full of
//!    made-up passwords, but also of real ones copied from a developer's shell. It stays in
//!    the report, and `--min-confidence medium` hides it.
//!
//! Every match in a test-fixture path is marked (`test_fixture`), whatever its level, so that
//! a reader sees why a generic match is low and that a vendor key sits in a fixture.

use super::detectors::Detector;
use super::scan::Candidate;
use super::values::name_holds_credential;
use crate::inventory::{Confidence, SecretConfidence};

/// What a generic match shows beyond its detector: the evidence that can raise it to `medium`.
///
/// This is the hook for precision work: a new signal (a provider's name in the key, a value
/// that decodes to key-sized bytes, a file type) is a field set in [`Strength::of`] and weighed
/// in [`Strength::is_strong`]; [`decide`] does not change.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub(crate) struct Strength {
    /// The value is assigned to a name that says it is a credential (a password, secret, token,
    /// API key, credential or `Authorization` header: [`names_a_credential`]), or sits in the
    /// password position of a URL (`scheme://user:PASSWORD@host`), which says so by syntax.
    pub credential_name: bool,
    /// The value has the entropy of a generated token: at least 64 estimated bits beyond its
    /// preview, the floor under which reports withhold even a token as low-entropy
    /// (`redact::MIN_SHOWN_BITS`). `Winter2024x!` does not; 20 random letters and digits do.
    pub strong_value: bool,
}

impl Strength {
    /// Both signals at once: a credential's name alone is every `password: changeme2`, and a
    /// random value alone is every hash and ID in a lock file.
    pub fn is_strong(self) -> bool {
        self.credential_name && self.strong_value
    }

    fn of(detector: &Detector, candidate: &Candidate) -> Strength {
        // A detector that reads a URL's user (and no setting's name) finds the URL's password.
        let url_password = detector
            .pattern()
            .is_some_and(|p| p.groups.user.is_some() && p.groups.name.is_none());
        Strength {
            credential_name: url_password
                || candidate.slot.as_deref().is_some_and(names_a_credential),
            strong_value: candidate.redacted.clears_token_floor(),
        }
    }
}

/// Words that make a setting's name a credential's name for [`Strength`]: narrower than what
/// the generic detectors accept (`name_holds_credential` also takes `key`, `auth`, `session`,
/// `cookie`, whose values are as often identifiers or flags).
const CREDENTIAL_NAME_WORDS: &[&str] = &[
    "password",
    "passwd",
    "secret",
    "token",
    "apikey",
    "credential",
    "authorization",
];

/// Words of a name that say its value is derived from a secret rather than the secret: a
/// digest under `hashed_secret` is as random as a key and opens nothing. Without this list, 27
/// such digests (detect-secrets baselines) were medium on the labelled set, a third of the
/// level (`docs/DETECTION.md`, "Confidence").
const DERIVED_VALUE_WORDS: &[&str] = &[
    "hash", "hashed", "digest", "checksum", "sha", "sha1", "sha256", "sha512", "md5",
];

/// Whether `name` (a variable, key or header) names a credential strongly enough to raise a
/// generic match: it holds a credential (not `token_url`, `secret_name`), one of
/// [`CREDENTIAL_NAME_WORDS`] separators ignored (`API_KEY`, `apiKey`, `api-key`) or a `pwd`
/// word (`DB_PWD`), and no word of [`DERIVED_VALUE_WORDS`] (`hashed_secret`, `tokenDigest`).
pub(crate) fn names_a_credential(name: &str) -> bool {
    if !name_holds_credential(name) {
        return false;
    }
    let words = words_of(name);
    if words
        .iter()
        .any(|word| DERIVED_VALUE_WORDS.contains(&word.as_str()))
    {
        return false;
    }
    let squashed: String = words.concat();
    CREDENTIAL_NAME_WORDS
        .iter()
        .any(|word| squashed.contains(word))
        || words.iter().any(|word| word == "pwd")
}

/// The lower-case words of a name, split at separators and at camelCase humps (`hashedSecret`
/// → `hashed`, `secret`; `HASHED_SECRET` likewise; `hashicorp_token` keeps `hashicorp`).
fn words_of(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    let mut current = String::new();
    let mut previous_lower = false;
    for c in name.chars() {
        if !c.is_ascii_alphanumeric() {
            words.extend((!current.is_empty()).then(|| std::mem::take(&mut current)));
            previous_lower = false;
            continue;
        }
        if c.is_ascii_uppercase() && previous_lower {
            words.push(std::mem::take(&mut current));
        }
        previous_lower = c.is_ascii_lowercase() || c.is_ascii_digit();
        current.push(c.to_ascii_lowercase());
    }
    words.extend((!current.is_empty()).then_some(current));
    words
}

/// Directories that hold tests, fixtures, recorded responses or examples: a path with one of
/// them as a directory (ASCII case-insensitive) is a test-fixture path.
pub(crate) const FIXTURE_DIRECTORIES: &[&str] = &[
    "test",
    "tests",
    "testing",
    "__tests__",
    "spec",
    "specs",
    "fixture",
    "fixtures",
    "__fixtures__",
    "testdata",
    "test-data",
    "test_data",
    "mock",
    "mocks",
    "__mocks__",
    "__snapshots__",
    // Recorded HTTP interactions (Ruby's VCR, Python's vcrpy, go-vcr).
    "cassettes",
    "vcr",
    // Documentation code, written to be copied with its values replaced.
    "example",
    "examples",
];

/// How a test file's name looks, in the conventions of test runners.
#[derive(Debug, Clone, Copy)]
pub(crate) enum FileNamePattern {
    /// The name starts with it, ASCII case-insensitive.
    Prefix(&'static str),
    /// The name without its last extension ends with it, ASCII case-insensitive.
    StemSuffix(&'static str),
    /// The name holds it, ASCII case-insensitive.
    Infix(&'static str),
    /// The name without its last extension ends with it, case and all (`FooTest`, not
    /// `Contest`).
    CamelStemSuffix(&'static str),
    /// The whole name.
    Exact(&'static str),
}

/// Test files outside test directories.
pub(crate) const FIXTURE_FILE_NAMES: &[FileNamePattern] = &[
    // pytest
    FileNamePattern::Prefix("test_"),
    FileNamePattern::Exact("conftest.py"),
    // Go, pytest, Rust integration files, Elixir (`_test.exs`)
    FileNamePattern::StemSuffix("_test"),
    // RSpec
    FileNamePattern::StemSuffix("_spec"),
    // Jest, Vitest, Mocha, Jasmine, Angular
    FileNamePattern::Infix(".test."),
    FileNamePattern::Infix(".spec."),
    // JUnit, Kotlin, NUnit and xUnit, XCTest
    FileNamePattern::CamelStemSuffix("Test"),
    FileNamePattern::CamelStemSuffix("Tests"),
];

impl FileNamePattern {
    fn matches(self, name: &str) -> bool {
        let stem = name.rsplit_once('.').map_or(name, |(stem, _)| stem);
        let lower = |text: &str| text.to_ascii_lowercase();
        match self {
            FileNamePattern::Prefix(prefix) => lower(name).starts_with(prefix),
            FileNamePattern::StemSuffix(suffix) => lower(stem).ends_with(suffix),
            FileNamePattern::Infix(infix) => lower(name).contains(infix),
            FileNamePattern::CamelStemSuffix(suffix) => stem.ends_with(suffix),
            FileNamePattern::Exact(exact) => name == exact,
        }
    }
}

/// Whether a path (relative to its repository or the scanned root, as reports show it) is a
/// test fixture: a directory of [`FIXTURE_DIRECTORIES`] on the way, or a file name of
/// [`FIXTURE_FILE_NAMES`]. Only the path below the root counts, so scanning a checkout that
/// happens to sit in `~/tests/` changes nothing.
pub(crate) fn is_test_fixture_path(path: &str) -> bool {
    let mut segments: Vec<&str> = path.split(['/', '\\']).filter(|s| !s.is_empty()).collect();
    let Some(name) = segments.pop() else {
        return false;
    };
    segments.iter().any(|dir| {
        FIXTURE_DIRECTORIES
            .iter()
            .any(|fixture| dir.eq_ignore_ascii_case(fixture))
    }) || FIXTURE_FILE_NAMES
        .iter()
        .any(|pattern| pattern.matches(name))
}

/// The confidence of a match: see the module's rules. `base` is the detector's confidence,
/// `alone` says the match is an identifier without its secret, `test_fixture` that it was
/// found in a test-fixture path ([`is_test_fixture_path`], decided once per file).
pub(crate) fn decide(
    base: Confidence,
    generic: bool,
    alone: bool,
    strength: Strength,
    test_fixture: bool,
) -> SecretConfidence {
    let level = if alone {
        Confidence::Low
    } else if !generic {
        base
    } else {
        let weighed = if base < Confidence::Medium && strength.is_strong() {
            Confidence::Medium
        } else {
            base
        };
        if test_fixture {
            weighed.lowered()
        } else {
            weighed
        }
    };
    SecretConfidence {
        level,
        test_fixture,
    }
}

/// The confidence of a candidate of `detector`, found in a test fixture or not.
pub(crate) fn rate(
    detector: &Detector,
    candidate: &Candidate,
    test_fixture: bool,
) -> SecretConfidence {
    let rated = decide(
        detector.confidence,
        detector.generic,
        candidate.alone,
        Strength::of(detector, candidate),
        test_fixture,
    );
    if candidate.unreadable_key {
        SecretConfidence {
            level: Confidence::Low,
            ..rated
        }
    } else {
        rated
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use Confidence::{High, Low, Medium};

    const STRONG: Strength = Strength {
        credential_name: true,
        strong_value: true,
    };

    /// [`decide`] for a match at `path`.
    fn at(
        base: Confidence,
        generic: bool,
        alone: bool,
        strength: Strength,
        path: &str,
    ) -> SecretConfidence {
        decide(base, generic, alone, strength, is_test_fixture_path(path))
    }

    fn level(base: Confidence, generic: bool, strength: Strength, path: &str) -> Confidence {
        at(base, generic, false, strength, path).level
    }

    #[test]
    fn test_fixture_paths_are_recognised_by_directory_and_file_name() {
        for path in [
            "tests/integration/config.yaml",
            "src/__tests__/api.js",
            "spec/fixtures/users.yml",
            "pkg/client/testdata/response.json",
            "internal/test-data/x",
            "services/api/test_data/seed.sql",
            "app/__mocks__/aws.js",
            "Tests/Fixtures/key.txt",
            "spec/cassettes/login.yml",
            "fixtures/vcr/github.yaml",
            "examples/quickstart/main.py",
            "pkg/store/store_test.go",
            "tests.d/../x/test_settings.py",
            "app/test_settings.py",
            "conftest.py",
            "lib/user_spec.rb",
            "src/login.test.ts",
            "web/app.spec.js",
            "src/main/java/LoginServiceTest.java",
            "Sources/ClientTests.swift",
            "C:\\repo\\tests\\secrets.env",
        ] {
            assert!(is_test_fixture_path(path), "{path}");
        }
        for path in [
            "",
            "src/main.rs",
            "config/production.yaml",
            "latest/settings.py",
            "contest/Contest.java",
            "attestation/key.pem",
            "src/testament.go",
            "docs/testing-guide.md",
            // A file named like a directory is not a directory.
            "deploy/tests",
            ".env",
        ] {
            assert!(!is_test_fixture_path(path), "{path}");
        }
    }

    #[test]
    fn the_lists_are_lower_case_data_without_duplicates() {
        let mut seen = std::collections::BTreeSet::new();
        for dir in FIXTURE_DIRECTORIES {
            assert_eq!(*dir, dir.to_ascii_lowercase(), "{dir}");
            assert!(seen.insert(*dir), "{dir} twice");
        }
        for pattern in FIXTURE_FILE_NAMES {
            if let FileNamePattern::Prefix(text)
            | FileNamePattern::StemSuffix(text)
            | FileNamePattern::Infix(text) = pattern
            {
                assert_eq!(*text, text.to_ascii_lowercase(), "{pattern:?}");
            }
        }
    }

    #[test]
    fn vendor_matches_keep_their_detector_confidence_wherever_they_are() {
        for path in ["src/deploy.sh", "tests/deploy.sh"] {
            assert_eq!(level(High, false, Strength::default(), path), High);
            assert_eq!(level(Medium, false, STRONG, path), Medium);
        }
        let in_fixture = at(High, false, false, Strength::default(), "tests/keys.pem");
        assert_eq!(in_fixture.level, High);
        assert!(in_fixture.test_fixture, "marked, not lowered");
    }

    #[test]
    fn generic_matches_are_medium_only_with_a_credential_name_and_a_strong_value() {
        assert_eq!(level(Low, true, STRONG, "src/settings.py"), Medium);
        for weak in [
            Strength::default(),
            Strength {
                credential_name: true,
                strong_value: false,
            },
            Strength {
                credential_name: false,
                strong_value: true,
            },
        ] {
            assert_eq!(level(Low, true, weak, "src/settings.py"), Low, "{weak:?}");
        }
        // Never above medium by evidence; a detector that claims more keeps it.
        assert_eq!(level(Medium, true, STRONG, "src/settings.py"), Medium);
        assert_eq!(level(High, true, Strength::default(), "src/x"), High);
    }

    #[test]
    fn generic_matches_in_test_fixtures_are_lowered_one_step_not_dropped() {
        let lowered = at(Low, true, false, STRONG, "tests/settings.py");
        assert_eq!(
            lowered,
            SecretConfidence {
                level: Low,
                test_fixture: true
            }
        );
        let low = at(Low, true, false, Strength::default(), "testdata/app.env");
        assert_eq!(low.level, Low);
        assert!(low.test_fixture, "a low match stays low and is marked");
        assert_eq!(level(High, true, Strength::default(), "spec/x.rb"), Medium);
        assert!(!at(Low, true, false, STRONG, "src/settings.py").test_fixture);
    }

    #[test]
    fn identifiers_without_their_secret_are_low() {
        for generic in [false, true] {
            let alone = at(High, generic, true, STRONG, "src/deploy.sh");
            assert_eq!(alone.level, Low);
        }
    }

    /// The built-in catalog claims `high` for its key pairs, and its generic detectors are low.
    #[test]
    fn built_in_detectors_have_the_documented_levels() {
        let set = super::super::DetectorSet::builtin().unwrap();
        let level = |id: &str| {
            set.detectors
                .iter()
                .find(|d| d.id == id)
                .map(|d| d.confidence)
        };
        for id in [
            "aws-access-key",
            "gcp-service-account-key",
            "private-key",
            "github-classic-token",
            "npm-token",
        ] {
            assert_eq!(level(id), Some(High), "{id}");
        }
        for id in ["slack-token", "jwt", "aws-secret-access-key"] {
            assert_eq!(level(id), Some(Medium), "{id}");
        }
        assert!(set.detectors.iter().any(|d| d.generic));
        for detector in set.detectors.iter().filter(|d| d.generic) {
            assert_eq!(detector.confidence, Low, "{}", detector.id);
        }
    }

    #[test]
    fn credential_names_for_strength_are_narrower_than_for_detection() {
        for name in [
            "DB_PASSWORD",
            "db_passwd",
            "client_secret",
            "SERVICE_API_TOKEN",
            "apiKey",
            "x-api-key",
            "API_KEY",
            "Authorization",
            "gcp_credentials",
            "MYSQL_PWD",
        ] {
            assert!(names_a_credential(name), "{name}");
        }
        assert_eq!(words_of("hashedSecret"), ["hashed", "secret"]);
        assert_eq!(words_of("HASHED_SECRET"), ["hashed", "secret"]);
        assert_eq!(words_of("x-api-key"), ["x", "api", "key"]);
        assert_eq!(words_of("oauth2Token"), ["oauth2", "token"]);
        assert!(names_a_credential("hashicorp_token"));
        for name in [
            "hashed_secret",
            "hashedSecret",
            "secret_hash",
            "token_digest",
            "password_sha256",
            "token_url",
            "secret_name",
            "password_file",
            "SESSION_KEY",
            "auth",
            "cookie",
            "signing_key",
            "",
        ] {
            assert!(!names_a_credential(name), "{name}");
        }
    }
}
