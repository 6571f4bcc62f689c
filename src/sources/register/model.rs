//! The register's file shapes: YAML (`identities`, `people`, `teams`) and CSV rows as CMDB
//! exports write them.

use serde::Deserialize;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RegisterFile {
    #[serde(default)]
    pub identities: Vec<IdentityEntry>,
    #[serde(default)]
    pub people: Vec<PersonEntry>,
    /// Teams that own identities; an owner listed here is never "unknown".
    #[serde(default)]
    pub teams: Vec<TeamEntry>,
}

/// One identity. Enumerations are read as text and checked afterwards, so that every problem
/// of the file is reported in one round.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentityEntry {
    pub id: String,
    #[serde(default)]
    pub kind: Option<String>,
    pub status: String,
    #[serde(default)]
    pub retired_at: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
    #[allow(dead_code)] // accepted in the file, not needed for judging
    #[serde(default)]
    pub description: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PersonEntry {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub departed_at: Option<String>,
    #[allow(dead_code)] // accepted in the file, not needed for judging
    #[serde(default)]
    pub name: Option<String>,
}

#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TeamEntry {
    pub id: String,
    #[allow(dead_code)] // accepted in the file, not needed for judging
    #[serde(default)]
    pub name: Option<String>,
}

/// A row of the identities CSV: `id,kind,status,retired_at,owner,aliases` (aliases `;`-separated).
#[derive(Debug, Clone, Deserialize)]
pub struct IdentityRow {
    pub id: String,
    #[serde(default)]
    pub kind: Option<String>,
    pub status: String,
    #[serde(default)]
    pub retired_at: Option<String>,
    #[serde(default)]
    pub owner: Option<String>,
    #[serde(default)]
    pub aliases: Option<String>,
}

/// A row of the people CSV: `id,status,departed_at`.
#[derive(Debug, Clone, Deserialize)]
pub struct PersonRow {
    pub id: String,
    pub status: String,
    #[serde(default)]
    pub departed_at: Option<String>,
}
