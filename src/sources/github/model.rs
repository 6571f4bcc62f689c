//! Serde types close to the GitHub REST responses deprov reads: organisation fine-grained
//! personal access token grants, deploy keys and app installations. Dates stay text here;
//! `normalize` reads them. No token value is ever part of these responses; a deploy key's `key`
//! is its public half, kept only to fingerprint it.

use std::collections::BTreeMap;

use serde::{Deserialize, Deserializer};

/// A user or organisation as the API embeds it.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Account {
    pub login: String,
    /// `User`, `Bot` or `Organization`.
    #[serde(rename = "type")]
    pub account_type: Option<String>,
}

/// An item of `GET /orgs/{org}/personal-access-tokens`: an organisation's grant to one
/// fine-grained personal access token.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct PatGrant {
    /// The grant's ID (not the token's).
    pub id: Option<u64>,
    pub owner: Option<Account>,
    pub repository_selection: Option<String>,
    /// Unique per grant; marks the grant in the file.
    pub repositories_url: Option<String>,
    pub access_granted_at: Option<String>,
    pub token_id: Option<u64>,
    pub token_name: Option<String>,
    pub token_expired: Option<bool>,
    /// Absent: the export does not say; `null`: never expires.
    #[serde(deserialize_with = "present")]
    pub token_expires_at: Option<Option<String>>,
    /// Absent: the export does not say; `null`: never used (GitHub tracks use).
    #[serde(deserialize_with = "present")]
    pub token_last_used_at: Option<Option<String>>,
}

/// An item of `GET /repos/{owner}/{repo}/keys`.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct DeployKey {
    pub id: Option<u64>,
    /// The public key (`ssh-ed25519 AAAA…`), read only for its fingerprint.
    pub key: Option<String>,
    /// `https://api.github.com/repos/OWNER/REPO/keys/ID`: the only place naming the repository.
    pub url: Option<String>,
    pub title: Option<String>,
    pub created_at: Option<String>,
    pub read_only: Option<bool>,
    pub added_by: Option<String>,
    /// Absent (older exports): unknown; `null`: never used.
    #[serde(deserialize_with = "present")]
    pub last_used: Option<Option<String>>,
    pub enabled: Option<bool>,
}

/// An app installation (`GET /app/installations` or `GET /orgs/{org}/installations`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct Installation {
    pub id: Option<u64>,
    pub app_id: Option<u64>,
    pub app_slug: Option<String>,
    pub account: Option<Account>,
    pub target_type: Option<String>,
    pub repository_selection: Option<String>,
    /// Permission → `read`, `write` or `admin`.
    #[serde(deserialize_with = "null_as_default")]
    pub permissions: BTreeMap<String, String>,
    /// Unique per installation; marks it in the file.
    pub access_tokens_url: Option<String>,
    pub html_url: Option<String>,
    pub created_at: Option<String>,
    pub suspended_at: Option<String>,
    pub suspended_by: Option<Account>,
}

/// `GET /orgs/{org}/installations`: the installations wrapped with their total count.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(default)]
pub struct InstallationPage {
    pub total_count: Option<u64>,
    #[serde(deserialize_with = "null_as_default")]
    pub installations: Vec<Installation>,
}

fn null_as_default<'de, D, T>(deserializer: D) -> Result<T, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de> + Default,
{
    Ok(Option::<T>::deserialize(deserializer)?.unwrap_or_default())
}

/// Tells a field that is `null` (`Some(None)`) from one that is absent (`None`, the default).
fn present<'de, D, T>(deserializer: D) -> Result<Option<Option<T>>, D::Error>
where
    D: Deserializer<'de>,
    T: Deserialize<'de>,
{
    Option::<T>::deserialize(deserializer).map(Some)
}
