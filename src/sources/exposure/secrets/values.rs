//! Judging a candidate secret value: entropy, placeholders, references, names that hold
//! credentials. What a value becomes in reports is `redact`'s decision.

/// Shannon entropy of the bytes of `value`, in bits per byte.
pub(crate) fn shannon_entropy(value: &[u8]) -> f64 {
    if value.is_empty() {
        return 0.0;
    }
    let mut counts = [0u32; 256];
    for &b in value {
        counts[usize::from(b)] += 1;
    }
    let len = value.len() as f64;
    counts
        .iter()
        .filter(|&&c| c > 0)
        .map(|&c| {
            let p = f64::from(c) / len;
            -p * p.log2()
        })
        .sum()
}

/// Values that stand for a secret rather than being one: `${VAR}`, `$VAR`, `{{ .Values.x }}`,
/// `<token>`, `%VAR%`, `env:VAR`, secret-manager URIs.
pub(crate) fn is_reference(value: &[u8]) -> bool {
    let value = value.trim_ascii();
    let Some(&first) = value.first() else {
        return true;
    };
    if matches!(first, b'$' | b'<' | b'%' | b'{') {
        return true;
    }
    if contains(value, b"${") || contains(value, b"{{") || contains(value, b"#{") {
        return true;
    }
    const REFERENCE_PREFIXES: &[&[u8]] = &[
        b"env:",
        b"env.",
        b"input:",
        b"op://",
        b"vault:",
        b"vault://",
        b"ref+",
        b"secret://",
        b"secretsmanager:",
        b"arn:aws:secretsmanager:",
        b"projects/",
        b"azurekeyvault",
        b"process.env",
        b"os.environ",
        b"os.getenv",
    ];
    REFERENCE_PREFIXES
        .iter()
        .any(|prefix| starts_with_ignore_case(value, prefix))
}

/// Words that documentation, templates and tests put where a secret goes. Matched as whole
/// values.
const PLACEHOLDER_VALUES: &[&str] = &[
    "password",
    "passwd",
    "pass",
    "secret",
    "token",
    "apikey",
    "api_key",
    "none",
    "null",
    "nil",
    "undefined",
    "empty",
    "default",
    "value",
    "string",
    "true",
    "false",
    "admin",
    "root",
    "user",
    "username",
    "foo",
    "bar",
    "baz",
    "foobar",
    "test",
    "testing",
    "fake",
    "sample",
    "hunter2",
    "letmein",
    "qwerty",
    "abc123",
    "123456",
    "12345678",
    "tbd",
    "todo",
];

/// Fragments that mark a placeholder wherever they sit in a short value.
const PLACEHOLDER_FRAGMENTS: &[&str] = &[
    "example",
    "changeme",
    "change_me",
    "change-me",
    "changeit",
    "placeholder",
    "redacted",
    "dummy",
    "mock",
    "invalid",
    "your_",
    "your-",
    "yourtoken",
    "yoursecret",
    "yourpassword",
    "replace_me",
    "replace-me",
    "replaceme",
    "insert_",
    "insert-",
    "xxxx",
    "****",
    "....",
    "####",
    "----",
    "0000000000",
    "1234567890",
    "0123456789",
    "abcdefgh",
    "sample",
    "fake",
    "test",
    "notreal",
    "not_real",
    "not-a-real",
];

/// Long random values (keys, JWTs) contain any four letters by chance; only short values are
/// checked for fragments.
const FRAGMENT_CHECK_MAX_LEN: usize = 100;

/// A value that is obviously not a live secret: a reference, a documentation placeholder, a
/// run of one character.
pub(crate) fn is_placeholder(value: &[u8]) -> bool {
    let value = value.trim_ascii();
    if is_reference(value) {
        return true;
    }
    if PLACEHOLDER_VALUES
        .iter()
        .any(|word| value.eq_ignore_ascii_case(word.as_bytes()))
    {
        return true;
    }
    if value.len() <= FRAGMENT_CHECK_MAX_LEN
        && PLACEHOLDER_FRAGMENTS
            .iter()
            .any(|fragment| contains_ignore_case(value, fragment.as_bytes()))
    {
        return true;
    }
    value.windows(2).all(|pair| pair[0] == pair[1])
}

/// Whether a configuration key (an environment variable, a JSON or YAML key, an HTTP header)
/// names a credential: `GITHUB_TOKEN`, `api-key`, `Authorization`, `DB_PASSWORD`. Names of
/// identifiers, locations and digests (`AWS_ACCESS_KEY_ID`, `TOKEN_URL`, `secret_hash`) are
/// not (see `names.rs`).
pub(crate) fn name_holds_credential(name: &str) -> bool {
    super::names::credential_name(name).is_some()
}

/// An assigned value that is an expression of the program rather than a literal: a call
/// (`p256::SecretKey::from_slice(…)`, whose `(` follows the value), a path, a member access, a
/// constant or type name (`password: DOT11_WPS_DEVICE_PASSWORD_ID`).
pub(crate) fn looks_like_code(value: &[u8], following: Option<u8>) -> bool {
    let screaming_snake_case = value.contains(&b'_')
        && value.first().is_some_and(u8::is_ascii_uppercase)
        && value
            .iter()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit() || *b == b'_');
    following == Some(b'(')
        || screaming_snake_case
        || contains(value, b"::")
        || contains(value, b"->")
        || [
            &b"self."[..],
            b"this.",
            b"ctx.",
            b"config.",
            b"settings.",
            b"params.",
        ]
        .iter()
        .any(|prefix| value.starts_with(prefix))
}

pub(crate) fn has_letter_and_digit(value: &[u8]) -> bool {
    value.iter().any(u8::is_ascii_alphabetic) && value.iter().any(u8::is_ascii_digit)
}

/// A long run of letters in random case (`hKgQxDbyQAsUAiHXCYGe…`): about one random base-62
/// token of 40 characters in a thousand has no digit, and is a secret all the same. What tells
/// it from an identifier (`getApiKeyFromEnvironment`, `RecordsApiKey`, `APIKEY`) is that its
/// upper-case letters come in pairs as often as its lower-case ones do: camelCase words put one
/// capital before lower-case letters, acronyms a few capitals in a row, random case both.
pub(crate) fn is_random_case_letters(value: &[u8]) -> bool {
    const MIN_LEN: usize = 24;
    if value.len() < MIN_LEN || !value.iter().all(u8::is_ascii_alphabetic) {
        return false;
    }
    let (mut upper_pairs, mut lower_pairs) = (0usize, 0usize);
    for pair in value.windows(2) {
        match (pair[0].is_ascii_uppercase(), pair[1].is_ascii_uppercase()) {
            (true, true) => upper_pairs += 1,
            (false, false) => lower_pairs += 1,
            _ => {}
        }
    }
    // A random value of n letters has about n/4 pairs of each kind; an identifier's acronyms
    // give a few capital pairs against many small ones (`XMLHttpRequestFactory…`: 5 to 22).
    // Random values pass about four times in five at 24 letters, seven in eight at 40.
    let floor = value.len() / 8;
    upper_pairs >= floor
        && lower_pairs >= floor
        && 3 * upper_pairs >= lower_pairs
        && 3 * lower_pairs >= upper_pairs
}

pub(crate) fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    memchr::memmem::find(haystack, needle).is_some()
}

pub(crate) fn contains_ignore_case(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty()
        || haystack
            .windows(needle.len())
            .any(|window| window.eq_ignore_ascii_case(needle))
}

pub(crate) fn starts_with_ignore_case(haystack: &[u8], prefix: &[u8]) -> bool {
    haystack.len() >= prefix.len() && haystack[..prefix.len()].eq_ignore_ascii_case(prefix)
}

#[cfg(test)]
mod tests {
    #[test]
    fn random_case_letters_are_told_from_identifiers() {
        use super::is_random_case_letters as random;
        assert!(random(b"hKgQxDbyQAsUAiHXCYGeGdGGKPcpRByexQRxpZaV"));
        assert!(random(b"pRBmWzTqkLdNvXhsYcGAeJufwiOKtn"));
        for identifier in [
            "getApiKeyFromEnvironmentVariable",
            "XMLHttpRequestFactoryBuilderForAPIs",
            "RECORDSAPIKEYFROMTHEENVIRONMENT",
            "recordsapikeyfromtheenvironment",
            "hKgQxDbyQAsUAiHXCYGe9dGGKPcpRByexQRxpZaV",
            "hKgQxDbyQAsUAiHXCYGe",
        ] {
            assert!(!random(identifier.as_bytes()), "{identifier}");
        }
    }

    use super::*;

    #[test]
    fn entropy_separates_random_from_repetitive() {
        assert_eq!(shannon_entropy(b""), 0.0);
        assert_eq!(shannon_entropy(b"aaaa"), 0.0);
        assert!((shannon_entropy(b"abcd") - 2.0).abs() < 1e-9);
        assert!(shannon_entropy(b"q8Zr2LmT5vXw9KpN3bYc") > 4.0);
    }

    #[test]
    fn references_and_placeholders_are_not_secrets() {
        for value in [
            "${GITHUB_TOKEN}",
            "$TOKEN",
            "{{ .Values.password }}",
            "<your-token>",
            "%API_KEY%",
            "env:SLACK_TOKEN",
            "${input:github_token}",
            "op://vault/item/field",
            "changeme",
            "CHANGEME",
            "xxxxxxxxxxxx",
            "********",
            "your_api_key_here",
            "AKIAIOSFODNN7EXAMPLE",
            "aaaaaaaaaaaa",
            "",
        ] {
            assert!(is_placeholder(value.as_bytes()), "{value}");
        }
        for value in ["q8Zr2LmT5vXw9KpN3bYc", "s3cr3t-Pr0d-2026"] {
            assert!(!is_placeholder(value.as_bytes()), "{value}");
        }
    }

    #[test]
    fn credential_names_are_told_from_metadata_names() {
        for name in [
            "GITHUB_TOKEN",
            "GITHUB_PERSONAL_ACCESS_TOKEN",
            "BRAVE_API_KEY",
            "DB_PASSWORD",
            "Authorization",
            "X-API-Key",
            "client_secret",
            "apiKey",
            "SLACK_BOT_TOKEN",
        ] {
            assert!(name_holds_credential(name), "{name}");
        }
        for name in [
            "AWS_ACCESS_KEY_ID",
            "TOKEN_URL",
            "SECRET_NAME",
            "password_file",
            "LOG_LEVEL",
            "SSH_PUBLIC_KEY",
            "token_type",
        ] {
            assert!(!name_holds_credential(name), "{name}");
        }
    }
}
