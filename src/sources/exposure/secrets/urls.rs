//! Passwords in URLs (`scheme://user:password@host`). A weak password there is still a
//! password: `admin:admin@db.internal` logs in, and default credentials are what attackers
//! try first. What is not a finding is a URL that documentation writes: placeholder words
//! (`user:password@`, `foo:bar@`), references (`${PASS}`), and hosts reserved for
//! documentation (`example.com`, `*.example`, `*.invalid`, RFC 2606).

use super::values::is_placeholder;

/// Passwords that documentation writes in URLs.
const PLACEHOLDER_PASSWORDS: &[&str] = &[
    "pass",
    "pwd",
    "pw",
    "p",
    "x",
    "bar",
    "baz",
    "secret",
    "s3cret",
    "secret123",
    "password123",
    "pa55word",
    "passw0rd",
    "p@ssw0rd",
    "mypassword",
    "mysecret",
    "yourpassword",
    "dbpass",
    "dbpassword",
];

/// Default account passwords: placeholders as a value alone, real credentials in a URL.
const DEFAULT_CREDENTIALS: &[&str] = &["admin", "root", "guest", "test", "user"];

/// The host after the `@` that ends a URL's password at `at`.
pub(crate) fn host_after(bytes: &[u8], at: usize) -> &[u8] {
    let rest = bytes.get(at + 1..).unwrap_or_default();
    let end = rest
        .iter()
        .position(|b| {
            matches!(
                b,
                b'/' | b':' | b'?' | b'#' | b'"' | b'\'' | b'`' | b'<' | b'>'
            ) || b.is_ascii_whitespace()
        })
        .unwrap_or(rest.len());
    &rest[..end]
}

/// Whether `user:password@host` is written by documentation rather than a credential.
pub(crate) fn url_password_is_placeholder(user: &[u8], password: &[u8], host: &[u8]) -> bool {
    let lower = password.to_ascii_lowercase();
    if PLACEHOLDER_PASSWORDS
        .iter()
        .any(|word| lower == word.as_bytes())
        || password
            .iter()
            .all(|&b| matches!(b, b'*' | b'x' | b'X' | b'.'))
        || is_documentation_host(host)
        || (is_placeholder(user) && is_placeholder(password) && !is_default(password))
    {
        return true;
    }
    is_placeholder(password) && !is_default(password)
}

fn is_default(password: &[u8]) -> bool {
    DEFAULT_CREDENTIALS
        .iter()
        .any(|word| password.eq_ignore_ascii_case(word.as_bytes()))
}

/// Hosts reserved for documentation and tests by RFC 2606 and RFC 6761.
fn is_documentation_host(host: &[u8]) -> bool {
    let host = host.to_ascii_lowercase();
    let host = host.strip_suffix(b".").unwrap_or(&host);
    const DOMAINS: &[&[u8]] = &[b"example.com", b"example.org", b"example.net", b"example"];
    const TOP_LEVEL: &[&[u8]] = &[b".example", b".invalid"];
    DOMAINS
        .iter()
        .any(|d| host == *d || host.ends_with(&[b".", *d].concat()))
        || TOP_LEVEL.iter().any(|t| host.ends_with(t))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn placeholder(user: &str, password: &str, host: &str) -> bool {
        url_password_is_placeholder(user.as_bytes(), password.as_bytes(), host.as_bytes())
    }

    #[test]
    fn default_credentials_are_real_and_documentation_is_not() {
        assert!(!placeholder("admin", "admin", "mongo.internal"));
        assert!(!placeholder("guest", "guest", "localhost"));
        assert!(!placeholder("billing", "1H5c95iomeivfD", "db.internal"));
        assert!(placeholder("user", "password", "localhost"));
        assert!(placeholder("foo", "bar", "db"));
        assert!(placeholder("app", "${DB_PASS}", "db"));
        assert!(placeholder("alice", "Zq8vN2mK", "db.example.com"));
        assert!(placeholder("alice", "Zq8vN2mK", "api.example"));
        assert!(placeholder("alice", "xxxxxxxx", "db"));
    }

    #[test]
    fn the_host_is_read_up_to_its_port_or_path() {
        assert_eq!(host_after(b"u:p@db.internal:5432/x", 3), b"db.internal");
        assert_eq!(host_after(b"u:p@h", 3), b"h");
    }
}
