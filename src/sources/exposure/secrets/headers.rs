//! `Authorization` values: what follows the name is a scheme and its credentials (RFC 9110
//! §11.4). `Bearer` and `token` carry a reusable secret; `Basic` carries `user:password` in
//! base64 (RFC 7617), judged like a URL's password once decoded; other schemes (AWS SigV4's
//! `AWS4-HMAC-SHA256 Credential=…, Signature=…`, `Digest`, `Negotiate`, `NTLM`) carry a
//! signature or a handshake computed for one request, not a secret to rotate.

use base64::Engine;

use super::urls::url_password_is_placeholder;

/// Whether the value of an authorization setting is a credential. `before` is the text between
/// the setting's name and the value (the separator and any scheme); `after`, the text after it.
pub(crate) fn authorization_holds_secret(before: &[u8], value: &[u8], after: &[u8]) -> bool {
    let scheme = last_word(before).map(|w| w.to_ascii_lowercase());
    match scheme.as_deref() {
        Some(b"basic") => basic_holds_secret(value),
        Some(b"bearer" | b"token" | b"bot") => true,
        // No scheme before the value: the value is the scheme when parameters follow it
        // (`AWS4-HMAC-SHA256 Credential=…`); otherwise it is a bare token.
        _ => !is_scheme_with_parameters(value, after),
    }
}

/// The last whitespace-separated word of `text`, if it ends in whitespace after a word.
fn last_word(text: &[u8]) -> Option<&[u8]> {
    let trimmed = text.trim_ascii_end();
    if trimmed.len() == text.len() {
        return None;
    }
    let start = trimmed
        .iter()
        .rposition(|b| !b.is_ascii_alphanumeric())
        .map_or(0, |p| p + 1);
    (start < trimmed.len()).then(|| &trimmed[start..])
}

/// `SCHEME param=…`: a token of scheme characters followed by a space and more text.
fn is_scheme_with_parameters(value: &[u8], after: &[u8]) -> bool {
    let scheme_like = value
        .iter()
        .all(|b| b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.'));
    let parameters = after
        .strip_prefix(b" ")
        .is_some_and(|rest| rest.first().is_some_and(|b| b.is_ascii_alphanumeric()));
    scheme_like && parameters
}

/// A Basic credential: base64 of `user:password`, whose password is judged as a URL's is.
fn basic_holds_secret(value: &[u8]) -> bool {
    let Ok(decoded) = base64::engine::general_purpose::STANDARD.decode(value) else {
        return true; // not base64: judged as an opaque value by the caller's other rules
    };
    let Some(colon) = memchr::memchr(b':', &decoded) else {
        return false;
    };
    let (user, password) = (&decoded[..colon], &decoded[colon + 1..]);
    !password.is_empty()
        && !url_password_is_placeholder(user, password, b"")
        && super::dummies::not_a_secret(password).is_none()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn b64(text: &str) -> Vec<u8> {
        base64::engine::general_purpose::STANDARD
            .encode(text)
            .into_bytes()
    }

    #[test]
    fn schemes_decide() {
        // SigV4: the value is the scheme, its parameters follow.
        assert!(!authorization_holds_secret(
            b": ",
            b"AWS4-HMAC-SHA256",
            b" Cred=x/19700101/us-east-1/s3/aws4_request"
        ));
        assert!(authorization_holds_secret(
            b": Bearer ",
            b"k4TzQ9x2Lm8",
            b"\n"
        ));
        assert!(authorization_holds_secret(b": ", b"k4TzQ9x2Lm8", b"\n"));
        // Basic: `user:password` placeholders are stand-ins, other passwords are not.
        assert!(!authorization_holds_secret(
            b": Basic ",
            &b64("user:password"),
            b""
        ));
        assert!(!authorization_holds_secret(b": Basic ", &b64("user:"), b""));
        assert!(!authorization_holds_secret(
            b": Basic ",
            &b64("user1:passwd1"),
            b""
        ));
        assert!(authorization_holds_secret(
            b": Basic ",
            &b64("deploy:Xk9mPq2wZ7"),
            b""
        ));
    }
}
