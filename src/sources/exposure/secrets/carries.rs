//! What a match yields for the inventory: identifiers written next to a secret (a GCP key
//! file's `client_email`, an AppRole `role_id`, an Entra client ID) and the identifier claims of
//! a JWT. Values are returned in the forms the inventory's aliases use.

use base64::Engine;
use regex::bytes::Regex;
use serde::Deserialize;

use super::detectors::compile_regex;
use super::scan::{line_window, nearest_capture};

/// Regexes for identifiers looked up near a match. Each has a group `v`.
#[derive(Debug)]
pub(crate) struct NearbyIdentifiers {
    gcp_client_email: Regex,
    vault_role_id: Regex,
    azure_client_id: Regex,
}

/// A GCP key file is about 13 lines; minified ones are one.
const GCP_KEY_FILE_LINES: u32 = 30;
const ASSIGNMENT_LINES: u32 = 5;

impl NearbyIdentifiers {
    pub fn new() -> Result<NearbyIdentifiers, regex::Error> {
        const UUID: &str =
            "[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}";
        Ok(NearbyIdentifiers {
            gcp_client_email: compile_regex(r#""client_email"\s*:\s*"(?P<v>[^"@\s]+@[^"\s]+)""#)?,
            vault_role_id: compile_regex(&format!(
                r#"(?i)role[_\-]?id["']?\s*(?::=|=>|=|:)\s*["']?(?P<v>{UUID})"#
            ))?,
            azure_client_id: compile_regex(&format!(
                r#"(?i)(?:client[_\-]?id|app[_\-]?id|application[_\-]?id)["']?\s*(?::=|=>|=|:)\s*["']?(?P<v>{UUID})"#
            ))?,
        })
    }

    /// The `client_email` of the key file around `at`.
    pub fn gcp_client_email(&self, bytes: &[u8], at: usize) -> Option<String> {
        self.nearest(&self.gcp_client_email, bytes, at, GCP_KEY_FILE_LINES)
    }

    pub fn vault_role_id(&self, bytes: &[u8], at: usize) -> Option<String> {
        self.nearest(&self.vault_role_id, bytes, at, ASSIGNMENT_LINES)
    }

    /// Entra application IDs are GUIDs, which the inventory matches case-insensitively.
    pub fn azure_client_id(&self, bytes: &[u8], at: usize) -> Option<String> {
        self.nearest(&self.azure_client_id, bytes, at, ASSIGNMENT_LINES)
            .map(|id| id.to_ascii_lowercase())
    }

    fn nearest(&self, regex: &Regex, bytes: &[u8], at: usize, lines: u32) -> Option<String> {
        let window = line_window(bytes, at, at, lines, lines);
        let found = nearest_capture(regex, bytes, window, at, "v")?;
        Some(String::from_utf8_lossy(&bytes[found]).into_owned())
    }
}

/// The decoded JSON header of a JWT, when it has an `alg`: what tells a JWT from any three
/// dot-separated base64 strings.
pub(crate) fn jwt_has_header(token: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Header {
        alg: String,
    }
    let Some(header) = token.split(|&b| b == b'.').next() else {
        return false;
    };
    decode_base64url(header)
        .and_then(|json| serde_json::from_slice::<Header>(&json).ok())
        .is_some_and(|header| !header.alg.is_empty())
}

/// The example token of jwt.io and of the documentation that copies it (`sub` 1234567890,
/// `name` John Doe): published, never a credential, whatever its signature.
pub(crate) fn jwt_is_published_example(token: &[u8]) -> bool {
    #[derive(Deserialize)]
    struct Claims {
        sub: Option<serde_json::Value>,
        name: Option<String>,
    }
    let Some(payload) = token.split(|&b| b == b'.').nth(1) else {
        return false;
    };
    let Some(claims) =
        decode_base64url(payload).and_then(|json| serde_json::from_slice::<Claims>(&json).ok())
    else {
        return false;
    };
    let sub = match &claims.sub {
        Some(serde_json::Value::String(s)) => s.as_str() == "1234567890",
        Some(serde_json::Value::Number(n)) => n.to_string() == "1234567890",
        _ => false,
    };
    sub || claims.name.as_deref() == Some("John Doe")
}

/// Identifier claims of a JWT payload: `sub` when it is a Kubernetes service account or an
/// email, `appid`/`azp` when they are GUIDs (Entra application tokens). Other claims are not
/// read.
pub(crate) fn jwt_identifiers(token: &[u8]) -> Vec<String> {
    #[derive(Deserialize)]
    struct Claims {
        sub: Option<String>,
        appid: Option<String>,
        azp: Option<String>,
    }
    let Some(payload) = token.split(|&b| b == b'.').nth(1) else {
        return Vec::new();
    };
    let Some(claims) =
        decode_base64url(payload).and_then(|json| serde_json::from_slice::<Claims>(&json).ok())
    else {
        return Vec::new();
    };
    let mut identifiers = Vec::new();
    if let Some(sub) = claims.sub {
        if sub.starts_with("system:serviceaccount:") || crate::inventory::alias::is_email(&sub) {
            identifiers.push(sub);
        }
    }
    for app in [claims.appid, claims.azp].into_iter().flatten() {
        if crate::inventory::alias::is_guid(&app) {
            let app = app.to_ascii_lowercase();
            if !identifiers.contains(&app) {
                identifiers.push(app);
            }
        }
    }
    identifiers
}

fn decode_base64url(part: &[u8]) -> Option<Vec<u8>> {
    let trimmed = part
        .strip_suffix(b"==")
        .or_else(|| part.strip_suffix(b"="))
        .unwrap_or(part);
    base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(trimmed)
        .ok()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn jwt(header: &str, payload: &str) -> String {
        let encode = |s: &str| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(s);
        format!(
            "{}.{}.c2lnbmF0dXJlc2lnbmF0dXJl",
            encode(header),
            encode(payload)
        )
    }

    #[test]
    fn jwt_headers_and_identifier_claims() {
        let token = jwt(
            r#"{"alg":"RS256","kid":"k"}"#,
            r#"{"sub":"system:serviceaccount:ci:deployer","aud":["x"]}"#,
        );
        assert!(jwt_has_header(token.as_bytes()));
        assert_eq!(
            jwt_identifiers(token.as_bytes()),
            vec!["system:serviceaccount:ci:deployer"]
        );
        let entra = jwt(
            r#"{"typ":"JWT","alg":"RS256"}"#,
            r#"{"sub":"opaque","appid":"9F1C2E3D-0000-4000-8000-123456789ABC"}"#,
        );
        assert_eq!(
            jwt_identifiers(entra.as_bytes()),
            vec!["9f1c2e3d-0000-4000-8000-123456789abc"]
        );
        assert!(!jwt_has_header(jwt(r#"{"typ":"JWT"}"#, "{}").as_bytes()));
        assert!(!jwt_has_header(b"not.a.jwt"));
        assert!(jwt_identifiers(b"a").is_empty());
    }
}
