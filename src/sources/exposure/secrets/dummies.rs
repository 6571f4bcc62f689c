//! Values that stand where a secret goes without being one, told by their shape: typed by
//! hand (runs, repeats, keyboard walks), naming their own kind (`token123`), elided
//! (`abc…xyz`, `abc.....xyz`), identifiers (ARNs, URNs, timestamps, module paths), paths, and
//! base64 of plain text. Each is a general class measured on real repositories
//! (`docs/DETECTION.md`); none is a list of values seen once.

use base64::Engine;

use super::values::{contains_ignore_case, starts_with_ignore_case};

/// Why a value is not a credential, for tests and the labelled-set report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum NotASecret {
    /// Runs (`abcdef`, `123456`), repeats (`abcabcabc`) and keyboard walks (`qwerty`, `asdf`).
    Typed,
    /// Holds the word for its own kind (`token123`, `my-secret-value`).
    NamesItsKind,
    /// Cut short in documentation: `…`, `...`.
    Elided,
    /// An identifier or a timestamp: `arn:`, `urn:`, an ISO 8601 date or duration, a dotted
    /// module path.
    Identifier,
    /// A file path (`/path/to/key.json`, `./secrets/key.pem`, `C:\keys\key.pfx`).
    Path,
    /// Base64 of plain text (a sentence), which documentation uses to look random.
    EncodedText,
    /// A published example (jwt.io's token, the RFCs' example tokens).
    PublishedExample,
    /// A template's variable (`%HOSTIP%`, `%PORT`, as test harnesses and Windows batch files
    /// write them), which the real value replaces.
    Template,
}

/// Example credentials of the standards that define them, copied into test suites and
/// documentation everywhere: RFC 6749 (OAuth 2.0) §4.1.3/§5.1/§10, RFC 6750 (bearer tokens)
/// §2.1, RFC 7617 (Basic) §2.
const PUBLISHED_EXAMPLES: &[&[u8]] = &[
    b"2YotnFZFEjr1zCsicMWpAA",
    b"tGzv3JOkF0XG5Qx2TlKWIA",
    b"SplxlOBeZQQYbYS6WxSbIA",
    b"7Fjfp0ZBr1KtDRbnfVdmIw",
    b"mF_9.B5f-4.1JqM",
    b"QWxhZGRpbjpvcGVuIHNlc2FtZQ==",
];

/// Why `value` is not a credential, judged by its shape alone; `None` when it may be one.
pub(crate) fn not_a_secret(value: &[u8]) -> Option<NotASecret> {
    if is_elided(value) {
        Some(NotASecret::Elided)
    } else if is_identifier(value) {
        Some(NotASecret::Identifier)
    } else if is_path(value) {
        Some(NotASecret::Path)
    } else if names_its_kind(value) {
        Some(NotASecret::NamesItsKind)
    } else if is_typed(value) {
        Some(NotASecret::Typed)
    } else if is_encoded_text(value) {
        Some(NotASecret::EncodedText)
    } else if (value.starts_with(b"eyJ") && super::carries::jwt_is_published_example(value))
        || PUBLISHED_EXAMPLES
            .iter()
            .any(|example| value.starts_with(example))
    {
        Some(NotASecret::PublishedExample)
    } else if has_template_variable(value) {
        Some(NotASecret::Template)
    } else {
        None
    }
}

/// `%NAME%` or `%NAME` with at least three capitals: a variable a harness substitutes.
fn has_template_variable(value: &[u8]) -> bool {
    value.iter().enumerate().any(|(i, &b)| {
        b == b'%'
            && value[i + 1..]
                .iter()
                .take_while(|c| c.is_ascii_uppercase() || **c == b'_')
                .count()
                >= 3
    })
}

/// `...` or `…` inside or at either end of the value.
fn is_elided(value: &[u8]) -> bool {
    super::values::contains(value, b"...") || super::values::contains(value, "…".as_bytes())
}

/// Credential words a value names itself by; only short values are judged, since a long
/// random value holds any four letters by chance.
const KIND_WORDS: &[&str] = &[
    "token",
    "secret",
    "passw",
    "apikey",
    "api_key",
    "api-key",
    "credential",
];

/// Three letters turn up in one random token of 20 to 48 characters in about 1,300, whatever
/// their case (`…ePWd6WF…`): `pwd` names a value's kind in a value as short as the ones typed
/// by hand (`mypwd123`), or as a word between separators (`mongo_admin_pwd_local`), which a
/// random base-62 token has none of.
const SHORT_KIND_WORD: &[u8] = b"pwd";
const SHORT_KIND_WORD_MAX_LEN: usize = 16;

fn names_its_kind(value: &[u8]) -> bool {
    value.len() <= 40
        && (KIND_WORDS
            .iter()
            .any(|word| contains_ignore_case(value, word.as_bytes()))
            || (value.len() <= SHORT_KIND_WORD_MAX_LEN
                && contains_ignore_case(value, SHORT_KIND_WORD))
            || value
                .split(|b| matches!(b, b'_' | b'-' | b'.'))
                .any(|word| word.eq_ignore_ascii_case(SHORT_KIND_WORD)))
}

/// Identifiers and timestamps that sit under credential-looking names.
fn is_identifier(value: &[u8]) -> bool {
    const PREFIXES: &[&[u8]] = &[b"arn:", b"urn:", b"orn:", b"ocid1.", b"/subscriptions/"];
    if PREFIXES.iter().any(|p| starts_with_ignore_case(value, p)) {
        return true;
    }
    // A signature's credential scope (SigV4 and its kin: `KEYID/YYYYMMDD/REGION/SERVICE/
    // aws4_request`) names a key and a day; it is not the key.
    if value.ends_with(b"_request") && value.split(|&b| b == b'/').count() >= 5 {
        return true;
    }
    let digits_at = |range: std::ops::Range<usize>| {
        value
            .get(range)
            .is_some_and(|s| s.iter().all(u8::is_ascii_digit))
    };
    // 2019-03-28…: a date or a timestamp.
    let date = digits_at(0..4) && value.get(4) == Some(&b'-') && digits_at(5..7);
    // P1D, PT30M: an ISO 8601 duration, as its grammar has it (jiff parses it); P/07…: the
    // start of an interval. A `P` and a digit alone start one random token in about 400.
    // An interval may start with its duration (`PT1H/2020-01-01T00:00:00Z`).
    let duration = value.first() == Some(&b'P')
        && (value.get(1) == Some(&b'/')
            || std::str::from_utf8(value).is_ok_and(|text| {
                let head = text.split('/').next().unwrap_or(text);
                head.parse::<jiff::Span>().is_ok()
            }));
    date || duration || is_module_path(value)
}

/// `okta.models.o_auth2_client_secret`, `com.example.TokenType`: three or more dotted
/// identifiers, every one starting with a letter or `_` and at least one of them lower case.
fn is_module_path(value: &[u8]) -> bool {
    let parts: Vec<&[u8]> = value.split(|&b| b == b'.').collect();
    parts.len() >= 3
        && parts.iter().all(|part| {
            part.first()
                .is_some_and(|b| b.is_ascii_alphabetic() || *b == b'_')
                && part.iter().all(|b| b.is_ascii_alphanumeric() || *b == b'_')
        })
        && parts
            .iter()
            .any(|part| part.iter().all(|b| !b.is_ascii_uppercase()))
}

/// A path to a file rather than its content.
fn is_path(value: &[u8]) -> bool {
    const STARTS: &[&[u8]] = &[b"/", b"./", b"../", b"~/", b"file:"];
    if STARTS.iter().any(|s| value.starts_with(s)) {
        // Base64 can start with `/`, but then it has no second `/`-separated word ending in
        // a file extension; a path nearly always does, or has several separators.
        let separators = value.iter().filter(|&&b| b == b'/').count();
        return separators >= 2 || has_file_extension(value);
    }
    let windows_drive = value.len() > 3
        && value[0].is_ascii_alphabetic()
        && value[1] == b':'
        && matches!(value[2], b'\\' | b'/');
    windows_drive || (value.contains(&b'/') && has_file_extension(value) && !value.contains(&b'+'))
}

fn has_file_extension(value: &[u8]) -> bool {
    const EXTENSIONS: &[&str] = &[
        ".json",
        ".pem",
        ".key",
        ".crt",
        ".cer",
        ".p12",
        ".pfx",
        ".jks",
        ".txt",
        ".yaml",
        ".yml",
        ".env",
        ".conf",
        ".cfg",
        ".ini",
        ".pub",
        ".der",
        ".keystore",
        ".properties",
    ];
    EXTENSIONS.iter().any(|e| {
        value.len() > e.len() && value[value.len() - e.len()..].eq_ignore_ascii_case(e.as_bytes())
    })
}

/// Rows of a QWERTY keyboard, for walks along them.
const KEYBOARD_ROWS: &[&[u8]] = &[b"1234567890", b"qwertyuiop", b"asdfghjkl", b"zxcvbnm"];

/// Typed by hand rather than generated: mostly steps of one (`abcd`, `4321`), repeats
/// (`aaaa`), keyboard neighbours (`qwerty`, `asdf`), or a short pattern repeated
/// (`abcd1234abcd1234`); or holding a long keyboard walk.
fn is_typed(value: &[u8]) -> bool {
    if value.len() < 4 {
        return true;
    }
    let lower: Vec<u8> = value.to_ascii_lowercase();
    let pairs = lower.len() - 1;
    let patterned = lower
        .windows(2)
        .filter(|pair| {
            let (a, b) = (pair[0], pair[1]);
            a == b || a.wrapping_add(1) == b || b.wrapping_add(1) == a || keyboard_neighbours(a, b)
        })
        .count();
    if patterned * 10 >= pairs * 7 {
        return true;
    }
    if has_short_period(&lower) {
        return true;
    }
    // A walk of six or more keys in a short value (`vh98…ASDFGH`).
    lower.len() <= 40 && longest_walk(&lower) >= 6
}

fn keyboard_neighbours(a: u8, b: u8) -> bool {
    KEYBOARD_ROWS.iter().any(|row| {
        row.windows(2)
            .any(|pair| (pair[0] == a && pair[1] == b) || (pair[0] == b && pair[1] == a))
    })
}

/// The longest run of consecutive keys along one keyboard row, or of consecutive characters,
/// each in one direction (`qwerty`, `lkjh`, `abcdef`, `654321`). A walk is one gesture: a run
/// that turns from the keyboard to the alphabet (`tyuvwe` in `TYUvwEf3…`) is what a random
/// value holds by chance, about once in three thousand values of 40 characters.
fn longest_walk(value: &[u8]) -> usize {
    // The directions a pair steps in, as bits: up and down the alphabet (or digits), right
    // and left along a keyboard row; `op` is both up and right.
    const UP: u8 = 1;
    const DOWN: u8 = 2;
    const RIGHT: u8 = 4;
    const LEFT: u8 = 8;
    let directions = |a: u8, b: u8| {
        let mut bits = 0;
        if a.wrapping_add(1) == b {
            bits |= UP;
        }
        if b.wrapping_add(1) == a {
            bits |= DOWN;
        }
        for row in KEYBOARD_ROWS {
            for pair in row.windows(2) {
                if pair == [a, b] {
                    bits |= RIGHT;
                } else if pair == [b, a] {
                    bits |= LEFT;
                }
            }
        }
        bits
    };
    let mut longest = 1;
    let mut run = 1;
    let mut heading = 0u8;
    for pair in value.windows(2) {
        let step = directions(pair[0], pair[1]);
        if step & heading != 0 {
            heading &= step;
            run += 1;
        } else if step != 0 {
            heading = step;
            run = 2;
        } else {
            heading = 0;
            run = 1;
        }
        longest = longest.max(run);
    }
    longest
}

/// Whether the value repeats a pattern of at most a quarter of its length (nine tenths of its
/// characters equal the one a period earlier).
fn has_short_period(value: &[u8]) -> bool {
    let len = value.len();
    (1..=len / 4).any(|period| {
        let same = (period..len)
            .filter(|&i| value[i] == value[i - period])
            .count();
        same * 10 >= (len - period) * 9
    })
}

/// Base64 (standard or URL-safe) that decodes to printable text of several words: a phrase
/// dressed up as a key. A real credential's encoding decodes to random bytes, or to one
/// word-free string.
fn is_encoded_text(value: &[u8]) -> bool {
    if value.len() < 16 {
        return false;
    }
    let trimmed = value.trim_ascii_end();
    let decoded = base64::engine::general_purpose::STANDARD
        .decode(trimmed)
        .or_else(|_| base64::engine::general_purpose::STANDARD_NO_PAD.decode(trimmed))
        .or_else(|_| base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(trimmed))
        .or_else(|_| {
            // Documentation often cuts the encoding mid-group.
            let whole = trimmed.len() / 4 * 4;
            base64::engine::general_purpose::STANDARD.decode(&trimmed[..whole])
        });
    let Ok(decoded) = decoded else {
        return false;
    };
    let printable = decoded
        .iter()
        .all(|&b| b.is_ascii_graphic() || b == b' ' || b == b'\n');
    let spaces = decoded.iter().filter(|&&b| b == b' ').count();
    printable && spaces >= 2
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A walk is one gesture in one direction; a random value that turns from the keyboard to
    /// the alphabet (`TYU` then `Uvw`) holds none.
    #[test]
    fn walks_keep_one_direction() {
        assert_eq!(longest_walk(b"qwertyuiop"), 10);
        assert_eq!(longest_walk(b"tyuiop"), 6);
        assert_eq!(longest_walk(b"654321"), 6);
        assert_eq!(longest_walk(b"lkjhgf"), 6);
        assert_eq!(longest_walk(b"tyuvwe"), 3);
        assert!(not_a_secret(b"TYUvwEf3SWS74j8FdpSUD2KsdMWHxKSWi8TUq8xL").is_none());
    }

    /// `pwd` names a value's kind in a short value or as a word of its own; inside a long
    /// random token it is chance.
    #[test]
    fn pwd_names_a_kind_only_where_typed() {
        for typed in ["mypwd123", "mongo_admin_pwd_local", "PWD-dev-2024-x"] {
            assert_eq!(
                not_a_secret(typed.as_bytes()),
                Some(NotASecret::NamesItsKind),
                "{typed}"
            );
        }
        assert!(not_a_secret(b"UkxeePwd17gLYlyDyAxVcUT4jwEM5Wiebw").is_none());
    }

    /// Random tokens are what secrets look like: the shape rules must leave nearly all of them
    /// alone. 100,000 seeded base-62 tokens of 20 to 48 characters; each rule that took a
    /// token for a stand-in so far (a walk that turned, `P` and a digit) cost about one in a
    /// few hundred or thousand.
    #[test]
    fn random_tokens_are_not_stand_ins() {
        const ALPHABET: &[u8] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
        let mut state: u64 = 0x9E37_79B9_7F4A_7C15;
        let mut next = || {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state
        };
        let mut rejected = Vec::new();
        for _ in 0..100_000 {
            let len = 20 + (next() % 29) as usize;
            let token: Vec<u8> = (0..len)
                .map(|_| ALPHABET[(next() % ALPHABET.len() as u64) as usize])
                .collect();
            if let Some(why) = not_a_secret(&token) {
                rejected.push((String::from_utf8_lossy(&token).to_string(), why));
            }
        }
        assert!(
            rejected.len() <= 10,
            "{} rejected: {:?}",
            rejected.len(),
            &rejected[..rejected.len().min(10)]
        );
    }

    /// An ISO 8601 duration is one by its grammar, not by its first two characters.
    #[test]
    fn durations_follow_their_grammar() {
        for duration in [
            "P1D",
            "PT30M",
            "P1Y2M10DT2H30M",
            "P2W",
            "P/07",
            "PT1H/2020-01-01T00:00:00Z",
        ] {
            assert_eq!(
                not_a_secret(duration.as_bytes()),
                Some(NotASecret::Identifier),
                "{duration}"
            );
        }
        assert!(not_a_secret(b"P7xfDbdfd4u9aDdU5t7vE9Qf6XD7jSbdxtqbpKvm").is_none());
        assert!(not_a_secret(b"PT9kLmWq2ZrX7vB4nHs8dJfY").is_none());
        assert_eq!(not_a_secret(b"vh98Jq2xASDFGH"), Some(NotASecret::Typed));
    }

    #[test]
    fn a_signature_scope_is_an_identifier() {
        assert_eq!(
            not_a_secret(b"user/19700101/us-east-2/es/aws4_request"),
            Some(NotASecret::Identifier)
        );
    }

    #[test]
    fn published_examples_and_template_variables_are_stand_ins() {
        assert_eq!(
            not_a_secret(b"mF_9.B5f-4.1JqM"),
            Some(NotASecret::PublishedExample)
        );
        assert_eq!(
            not_a_secret(b"2YotnFZFEjr1zCsicMWpAA"),
            Some(NotASecret::PublishedExample)
        );
        assert_eq!(
            not_a_secret(b"EXTERNAL@%HOSTIP:%IMAPPORT/943/"),
            Some(NotASecret::Template)
        );
        assert_eq!(not_a_secret(b"k4TzQ9x2Lm8%2F"), None);
    }

    fn verdict(value: &str) -> Option<NotASecret> {
        not_a_secret(value.as_bytes())
    }

    #[test]
    fn typed_values_are_told_from_random_ones() {
        for value in [
            "abcdefgh",
            "12345678",
            "abcd1234abcd1234",
            "qwertyuiop",
            "asdfghjk",
            "aaaaaaaa",
            "9876543210",
            "xyzxyzxyzxyz",
        ] {
            assert_eq!(verdict(value), Some(NotASecret::Typed), "{value}");
        }
        for value in [
            "q8Zr2LmT5vXw9KpN3bYc",
            "w1zcSEIGKxEPDIfSON",
            "Xk9mPq2w",
            "1H5c95iomeivfD",
            "69b0a7f6-c806-4cb5-a64e-d0b7ebabf8ec",
        ] {
            assert_eq!(verdict(value), None, "{value}");
        }
    }

    #[test]
    fn shapes_that_are_not_secrets() {
        assert_eq!(verdict("token123"), Some(NotASecret::NamesItsKind));
        assert_eq!(verdict("my-Secret-9x"), Some(NotASecret::NamesItsKind));
        assert_eq!(
            verdict("b-iATvTu7sI.....vfZhM6q6"),
            Some(NotASecret::Elided)
        );
        assert_eq!(verdict("eyJraWQiOi…Q"), Some(NotASecret::Elided));
        assert_eq!(
            verdict("arn:aws:iam::123456789012:role/deploy"),
            Some(NotASecret::Identifier)
        );
        assert_eq!(
            verdict("urn:ietf:params:oauth:token-type:saml2"),
            Some(NotASecret::Identifier)
        );
        assert_eq!(
            verdict("2019-03-28T16:45:55.000Z"),
            Some(NotASecret::Identifier)
        );
        assert_eq!(verdict("P/07D"), Some(NotASecret::Identifier));
        assert_eq!(
            verdict("okta.models.o_auth2_client"),
            Some(NotASecret::Identifier)
        );
        assert_eq!(verdict("/path/to/key.json"), Some(NotASecret::Path));
        assert_eq!(verdict("./secrets/sa.json"), Some(NotASecret::Path));
        assert_eq!(verdict("C:\\keys\\deploy.pfx"), Some(NotASecret::Path));
        // "some plain English words here" in base64.
        assert_eq!(
            verdict("c29tZSBwbGFpbiBFbmdsaXNoIHdvcmRzIGhlcmU="),
            Some(NotASecret::EncodedText)
        );
        // Random bytes in base64, and base64 that starts with a slash.
        assert_eq!(verdict("7Fq1xZ0vK3mB9sW2pL8nR4tY6uJ5hC1d"), None);
        assert_eq!(verdict("/K7MDENGbPxRfiCY1q9Zr2Lm"), None);
    }
}
