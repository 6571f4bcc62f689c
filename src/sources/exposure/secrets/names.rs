//! Whether the name a value is assigned to (a setting, a variable, a JSON or YAML key, an
//! environment variable, a header) says that the value is a credential.
//!
//! A name is split into words first (`sharedKeyHash` → shared, key, hash; `DB_PASSWORD` → db,
//! password; `APIKey` → api, key), and then judged by its words, never by substrings:
//!
//! - the **last** word (after trailing numbers and words that only say how the value is
//!   written, such as `value`, `string`, `b64`) must be a credential word: `token_url`,
//!   `secretVersionId`, `passwordChanged` and `o_auth2_client_secret_request_body` name
//!   something *about* a credential, not a credential;
//! - a word that says the value is a digest (`hash`, `hashed`, `digest`, `checksum`, `sha256`,
//!   `md5`, …) anywhere makes it not a credential (`hashed_secret`, `secret_hash`);
//! - a word that says the value is not real (`fake`, `dummy`, `mock`, `example`, `invalid`,
//!   `non`, …) makes it not a credential (`non_secret_string`, `invalid_token`);
//! - a word that makes a token an identifier of a position (`next`, `page`, `cursor`,
//!   `continuation`, …) does too (`NextToken`, `nextPageToken`).
//!
//! Built from the false alarms measured on real repositories (`docs/DETECTION.md`); each rule
//! is a general class, not a list of names seen once.

/// How strongly a name says its value is a credential.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub(crate) enum CredentialName {
    /// A token, secret, API key or authorization setting.
    Secret,
    /// A password setting: people choose these values, so they are short and low in entropy,
    /// and the name is strong evidence on its own in a configuration file.
    Password,
}

/// Words that end a credential's name.
const CREDENTIAL_WORDS: &[&str] = &[
    "token",
    "tokens",
    "secret",
    "apikey",
    "auth",
    "authorization",
    "credential",
    "credentials",
    "creds",
    "bearer",
    "pat",
    "sas",
];

/// Password words: the same, with the weaker value rules of a password.
const PASSWORD_WORDS: &[&str] = &[
    "password",
    "passwd",
    "pwd",
    "pass",
    "passphrase",
    "passcode",
];

/// `key` is a credential word only after one of these (`api_key`, `secretKey`,
/// `signing-key`); alone it names anything (a YAML `key:`, a map key, a sort key).
const KEY_QUALIFIERS: &[&str] = &[
    "api",
    "access",
    "secret",
    "private",
    "signing",
    "sign",
    "encryption",
    "encrypt",
    "master",
    "client",
    "app",
    "application",
    "account",
    "shared",
    "service",
    "license",
    "licence",
    "webhook",
    "auth",
    "admin",
    "session",
    "hmac",
    "aes",
    "storage",
    "subscription",
    "consumer",
    "developer",
    "write",
    "read",
    "deploy",
    "ingest",
    "token",
];

/// Words after the credential word that only say how the value is written, or which copy of
/// the credential it is.
const VALUE_SUFFIXES: &[&str] = &[
    "value",
    "string",
    "str",
    "text",
    "plain",
    "plaintext",
    "raw",
    "b64",
    "base64",
    "hex",
    "literal",
    "values",
    // Which of several copies: the environment it is for, or its generation
    // (`DB_PASSWORD_PROD`, `API_KEY_OLD`, `SECRET_KEY_BACKUP`, `VERY_SECRET_TOO`).
    "prod",
    "production",
    "staging",
    "stage",
    "dev",
    "development",
    "qa",
    "uat",
    "live",
    "sandbox",
    "local",
    "old",
    "new",
    "legacy",
    "backup",
    "bak",
    "primary",
    "secondary",
    "alt",
    "current",
    "previous",
    "prev",
    "too",
    "also",
];

/// Words that make a credential's name the name of its digest.
const DIGEST_WORDS: &[&str] = &[
    "hash",
    "hashed",
    "hashes",
    "digest",
    "checksum",
    "sha",
    "sha1",
    "sha224",
    "sha256",
    "sha384",
    "sha512",
    "md5",
    "crc",
    "crc32",
    "bcrypt",
    "scrypt",
    "argon2",
    "pbkdf2",
    "fingerprint",
    "thumbprint",
];

/// Words that say the value is not a real credential.
const NOT_REAL_WORDS: &[&str] = &[
    "non",
    "not",
    "no",
    "fake",
    "dummy",
    "mock",
    "mocked",
    "example",
    "sample",
    "placeholder",
    "invalid",
    "wrong",
    "bad",
    "incorrect",
    "masked",
    "redacted",
    "public",
];

/// Words before `token` that make it a position in a listing or a one-time protocol value,
/// not a credential.
const POSITION_WORDS: &[&str] = &[
    "next",
    "page",
    "paging",
    "pagination",
    "continuation",
    "continue",
    "cursor",
    "marker",
    "sync",
    "resume",
    "idempotency",
    "csrf",
    "xsrf",
    "nonce",
];

/// Whether `key` after these words names a secret key: `api_key`, `signing_key`,
/// `secret_access_key`, but not `access_key` alone, which AWS uses for the key's ID.
fn key_is_secret(before: &[&str]) -> bool {
    match before.last() {
        Some(&"access") => before.contains(&"secret"),
        Some(qualifier) => KEY_QUALIFIERS.contains(qualifier),
        None => false,
    }
}

/// The words of a name, lower-cased: split at every non-alphanumeric character, at
/// lower-to-upper case changes (`sharedKey`), before the last capital of a capital run
/// followed by a lower-case letter (`APIKey` → api, key), and between letters and digits.
pub(crate) fn words(name: &str) -> Vec<String> {
    let mut words: Vec<String> = Vec::new();
    for segment in name.split(|c: char| !c.is_ascii_alphanumeric()) {
        let chars: Vec<char> = segment.chars().collect();
        let mut current = String::new();
        for (i, &c) in chars.iter().enumerate() {
            let previous = i.checked_sub(1).map(|p| chars[p]);
            let next = chars.get(i + 1).copied();
            let boundary = match previous {
                None => false,
                Some(p) => {
                    (p.is_ascii_lowercase() && c.is_ascii_uppercase())
                        || (p.is_ascii_uppercase()
                            && c.is_ascii_uppercase()
                            && next.is_some_and(|n| n.is_ascii_lowercase()))
                        || (p.is_ascii_digit() != c.is_ascii_digit())
                }
            };
            if boundary && !current.is_empty() {
                words.push(std::mem::take(&mut current));
            }
            current.push(c.to_ascii_lowercase());
        }
        if !current.is_empty() {
            words.push(current);
        }
    }
    // `OAuth` splits as `o`, `auth`; it is one word.
    let mut joined: Vec<String> = Vec::with_capacity(words.len());
    for word in words {
        if word == "auth" && joined.last().is_some_and(|w| w == "o") {
            joined.pop();
            joined.push("oauth".into());
        } else {
            joined.push(word);
        }
    }
    joined
}

/// What `name` says of its value; `None` when it does not name a credential.
pub(crate) fn credential_name(name: &str) -> Option<CredentialName> {
    let words = words(name);
    if words
        .iter()
        .any(|w| DIGEST_WORDS.contains(&w.as_str()) || NOT_REAL_WORDS.contains(&w.as_str()))
    {
        return None;
    }
    // The credential word is the last one, once numbers and value-format words are set aside.
    let significant: Vec<&str> = words
        .iter()
        .map(String::as_str)
        .filter(|w| !w.bytes().all(|b| b.is_ascii_digit()))
        .collect();
    let end = significant
        .iter()
        .rposition(|w| !VALUE_SUFFIXES.contains(w))?;
    let last = significant[end];
    let before = &significant[..end];
    if PASSWORD_WORDS.contains(&last) {
        return Some(CredentialName::Password);
    }
    let credential = CREDENTIAL_WORDS.contains(&last) || (last == "key" && key_is_secret(before));
    if !credential {
        return None;
    }
    if matches!(last, "token" | "tokens") && before.iter().any(|w| POSITION_WORDS.contains(w)) {
        return None;
    }
    Some(CredentialName::Secret)
}

/// Whether the name is an authorization setting (`Authorization`, `Proxy-Authorization`,
/// `auth`): its value starts with a scheme (`headers.rs`).
pub(crate) fn is_authorization(name: &str) -> bool {
    words(name)
        .last()
        .is_some_and(|w| w == "auth" || w == "authorization")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn authorization_names_are_told() {
        assert!(!is_authorization("auth_token"));
    }

    #[test]
    fn names_split_into_words() {
        assert_eq!(words("sharedKeyHash"), ["shared", "key", "hash"]);
        assert_eq!(words("DB_PASSWORD"), ["db", "password"]);
        assert_eq!(words("APIKey"), ["api", "key"]);
        assert_eq!(words("X-API-Key"), ["x", "api", "key"]);
        assert_eq!(
            words("OAuth2ClientSecret"),
            ["oauth", "2", "client", "secret"]
        );
        assert_eq!(words("password2"), ["password", "2"]);
        assert_eq!(words("_authToken"), ["auth", "token"]);
    }

    #[test]
    fn credential_names_end_in_a_credential_word() {
        for name in [
            "GITHUB_TOKEN",
            "api_key",
            "apiKey",
            "X-API-Key",
            "client_secret",
            "clientSecret",
            "Authorization",
            "auth",
            "SLACK_BOT_TOKEN",
            "secret_key",
            "aws_secret_access_key",
            "sessionToken",
            "GITHUB_TOKEN_PROD",
            "SECRET_KEY_BACKUP",
            "_authToken",
            "secret_string",
            "token_value",
            "signing-key",
            "OAuth2ClientSecret",
        ] {
            assert_eq!(
                credential_name(name),
                Some(CredentialName::Secret),
                "{name}"
            );
        }
        for name in [
            "DB_PASSWORD",
            "pwd",
            "db.pass",
            "passphrase",
            "adminPassword",
        ] {
            assert_eq!(
                credential_name(name),
                Some(CredentialName::Password),
                "{name}"
            );
        }
    }

    #[test]
    fn names_about_credentials_are_not_credentials() {
        for name in [
            // Metadata: the credential word is not the last word.
            "token_url",
            "tokenUrl",
            "secretVersionId",
            "requestApiTokenId",
            "passwordChanged",
            "lastPasswordVerification",
            "token_window",
            "o_auth2_client_secret_request_body",
            "AWS_ACCESS_KEY_ID",
            "access_key",
            "SECRET_NAME",
            "password_file",
            "token_type",
            // Digests.
            "hashed_secret",
            "secret_hash",
            "sharedKeyHash",
            "password_sha256",
            // Not real.
            "non_secret_string",
            "invalid_token",
            "fake_password",
            "SSH_PUBLIC_KEY",
            // Positions in a listing.
            "NextToken",
            "nextPageToken",
            "continuation_token",
            "csrf_token",
            // `key` alone.
            "key",
            "sort_key",
            "LOG_LEVEL",
        ] {
            assert_eq!(credential_name(name), None, "{name}");
        }
    }
}
