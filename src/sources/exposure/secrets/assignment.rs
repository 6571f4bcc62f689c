//! The judgement of a value assigned to a name (`password = …`, `"api_key": …`, `TOKEN=…`):
//! the generic detectors' one decision, shared by the regex detector and the structured ones
//! (`.env` files, MCP configurations). A generic match has no vendor format to vouch for it,
//! so each piece of evidence is checked: the name must name a credential
//! ([`super::names`]), the file must hold values (not a template, not an expression in source
//! code), and the value must be neither a stand-in ([`super::dummies`], the placeholder list)
//! nor too regular for its length.

use std::ops::Range;

use super::context::{in_documentation_example, is_literal, FileContext};
use super::dummies::{not_a_secret, NotASecret};
use super::headers::authorization_holds_secret;
use super::names::{credential_name, is_authorization, CredentialName};
use super::values::{
    contains, has_letter_and_digit, is_placeholder, is_random_case_letters, looks_like_code,
    shannon_entropy,
};

/// The entropy a random value of `len` characters reaches at most is `log2(len)` bits per
/// character: a fixed floor of 3.5 bits cannot be reached by any 8-character value. The floor
/// is scaled to this share of that maximum, and capped by the detector's own floor.
const SHARE_OF_MAXIMUM_ENTROPY: f64 = 0.85;

/// A password name in a configuration file is strong evidence on its own: its value needs
/// only to be more than a word typed by hand.
const PASSWORD_IN_CONFIG_SHARE: f64 = 0.65;

/// The entropy floor for a value of `len` bytes under a detector whose floor is `base`.
pub(crate) fn entropy_floor(len: usize, base: f64, share: f64) -> f64 {
    let maximum = (len.max(2) as f64).log2();
    (maximum * share).min(base)
}

/// Where a value sits: the bytes around it, its span, the name it is assigned to.
pub(crate) struct Assignment<'a> {
    pub bytes: &'a [u8],
    pub value: Range<usize>,
    /// Where the name starts in `bytes`.
    pub name_start: usize,
    pub name: &'a str,
    pub file: &'a FileContext,
    /// Whether `value` was read out of its quotes by a parser (`.env`, JSON), rather than found
    /// by a pattern that tells a literal by the quotes around it.
    pub parsed: bool,
}

/// A name that continues a value is not a name: an `orn:okta:…:template_basic_auth:0oaf…`
/// chain (a name between colons), a `k=v` pair's value, a URL's user. `.npmrc`'s
/// `//registry/:_authToken=…` is a name after a colon, before `=`.
fn inside_another_value(bytes: &[u8], name: Range<usize>) -> bool {
    let before = name.start.checked_sub(1).and_then(|i| bytes.get(i));
    let after = bytes.get(name.end);
    // `::` joins the parts of a qualified name (`agent::api_key:`), not a value and a name.
    let qualified = name.start >= 2 && bytes.get(name.start - 2) == Some(&b':');
    match before {
        Some(b'=' | b'@') => true,
        Some(b':') => after == Some(&b':') && !qualified,
        Some(b'/') => after == Some(&b':'),
        _ => false,
    }
}

/// A value cut short in documentation: ` ...` or `…` right after it.
fn elided_after(rest: &[u8]) -> bool {
    let rest = rest.strip_prefix(b" ").unwrap_or(rest);
    rest.starts_with(b"...") || rest.starts_with("…".as_bytes())
}

/// Whether the assigned value is a credential, for a generic detector whose floor is
/// `entropy` (the default 3.5 bits per character when it has none).
pub(crate) fn holds_secret(assignment: &Assignment<'_>, entropy: Option<f64>) -> bool {
    let Some(name) = credential_name(assignment.name) else {
        return false;
    };
    if assignment.file.template {
        return false;
    }
    let bytes = assignment.bytes;
    let value = &bytes[assignment.value.clone()];
    let following = bytes.get(assignment.value.end).copied();
    let literal = assignment.parsed || is_literal(bytes, assignment.name_start, &assignment.value);
    // A password set in configuration is the password, however weak or self-describing
    // (`AdminPassword123!` in Terraform); elsewhere such a value is a stand-in.
    let set_as_written = name == CredentialName::Password && assignment.file.configuration;
    let stand_in = not_a_secret(value).is_some_and(|why| {
        !(set_as_written && matches!(why, NotASecret::Typed | NotASecret::NamesItsKind))
    });
    if (assignment.file.source_code && !literal)
        || (!assignment.parsed
            && inside_another_value(
                bytes,
                assignment.name_start..assignment.name_start + assignment.name.len(),
            ))
        || is_placeholder(value)
        || contains(value, b"://")
        || looks_like_code(value, following)
        || stand_in
        || elided_after(&bytes[assignment.value.end..])
        || in_documentation_example(bytes, assignment.value.start)
    {
        return false;
    }
    if is_authorization(assignment.name) {
        let name_end = (assignment.name_start + assignment.name.len()).min(assignment.value.start);
        let before = &bytes[name_end..assignment.value.start];
        let after_end = bytes.len().min(assignment.value.end + 64);
        if !authorization_holds_secret(before, value, &bytes[assignment.value.end..after_end]) {
            return false;
        }
    }
    let base = entropy.unwrap_or(3.5);
    let entropy = shannon_entropy(value);
    match name {
        CredentialName::Password if assignment.file.configuration => {
            entropy >= entropy_floor(value.len(), base, PASSWORD_IN_CONFIG_SHARE)
        }
        CredentialName::Password => {
            entropy >= entropy_floor(value.len(), base, SHARE_OF_MAXIMUM_ENTROPY)
        }
        CredentialName::Secret => {
            (has_letter_and_digit(value) || is_random_case_letters(value))
                && entropy >= entropy_floor(value.len(), base, SHARE_OF_MAXIMUM_ENTROPY)
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    // Keywords are split in this file's strings, so that the file holds no match itself.

    fn judged(path: &str, text: &str, name: &str, value: &str) -> bool {
        let start = text.find(value).unwrap();
        let file = FileContext::of(path);
        holds_secret(
            &Assignment {
                bytes: text.as_bytes(),
                value: start..start + value.len(),
                name_start: text.find(&name[..4]).unwrap_or(0),
                name,
                file: &file,
                parsed: false,
            },
            Some(3.5),
        )
    }

    #[test]
    fn short_passwords_in_configuration_are_found() {
        // An IDE launch configuration's env block: eight characters cannot reach 3.5 bits.
        let launch = [r#"{"env": {"DB_PASS"#, r#"WORD": "Xk9mPq2w"}}"#].concat();
        assert!(judged(
            ".vscode/launch.json",
            &launch,
            "DB_PASSWORD",
            "Xk9mPq2w"
        ));
        let typed = launch.replace("Xk9mPq2w", "aaaabbbb");
        assert!(!judged(
            ".vscode/launch.json",
            &typed,
            "DB_PASSWORD",
            "aaaabbbb"
        ));
    }

    #[test]
    fn source_code_needs_a_literal() {
        let code = ["connect(pass", "word=args.db_value)"].concat();
        assert!(!judged("app/db.py", &code, "password", "args.db_value"));
        let literal = ["connect(pass", r#"word="Xk9mPq2wZ7")"#].concat();
        assert!(judged("app/db.py", &literal, "password", "Xk9mPq2wZ7"));
        let unquoted_config = ["pass", "word: Xk9mPq2wZ7\n"].concat();
        let inside = [
            r#"('//registry.npmjs.org/:_authToken=743b"#,
            r#"294a-cd03-11ec', True)"#,
        ]
        .concat();
        assert!(judged(
            "npm_test.py",
            &inside,
            "_authToken",
            "743b294a-cd03-11ec"
        ));
        assert!(judged(
            "db.yaml",
            &unquoted_config,
            "password",
            "Xk9mPq2wZ7"
        ));
    }

    #[test]
    fn templates_and_digests_are_not_secrets() {
        let env = ["API_TO", "KEN=w1zcSEIGKxEPDIfSON\n"].concat();
        assert!(judged(".env", &env, "API_TOKEN", "w1zcSEIGKxEPDIfSON"));
        assert!(!judged(
            ".env.example",
            &env,
            "API_TOKEN",
            "w1zcSEIGKxEPDIfSON"
        ));
        let digest = "5baa61e4c9b93f3f0682250b6cf8331b7ee68fd8";
        let baseline = [r#""hashed_sec"#, r#"ret": ""#, digest, "\""].concat();
        assert!(!judged(
            ".secrets.baseline",
            &baseline,
            "hashed_secret",
            digest
        ));
    }

    #[test]
    fn weak_passwords_in_deployed_configuration_are_found() {
        let tf = ["administrator_login_pass", r#"word = "AdminPassword123!""#].concat();
        assert!(judged(
            "main.tf",
            &tf,
            "administrator_login_password",
            "AdminPassword123!"
        ));
        // The same value in a test is a stand-in.
        let test = ["pass", r#"word = "AdminPassword123!""#].concat();
        assert!(!judged(
            "tests/test_login.py",
            &test,
            "password",
            "AdminPassword123!"
        ));
    }

    #[test]
    fn a_name_inside_a_chain_of_colons_is_part_of_a_value() {
        let chain = b"orn:okta:idp:template_basic_auth:0oaf";
        let at = 13;
        assert!(inside_another_value(chain, at..at + 19));
        // A qualified key (`agent::api_key: value`) is a name.
        let qualified = b"agent::api_key: 'v'";
        assert!(!inside_another_value(qualified, 7..14));
    }

    #[test]
    fn the_floor_scales_with_length() {
        assert!((entropy_floor(8, 3.5, 0.85) - 2.55).abs() < 1e-9);
        assert_eq!(entropy_floor(64, 3.5, 0.85), 3.5);
    }
}
