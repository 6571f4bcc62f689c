//! Rule entries of `rules/catalog.yaml`.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{yaml_error, CatalogError, SourceText};
use crate::severity::Severity;

/// What a person reads about one rule code.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    pub id: String,
    pub title: String,
    pub severity: Severity,
    #[serde(default = "enabled_by_default")]
    pub enabled: bool,
    pub rationale: String,
    pub remediation: String,
    /// Template for a finding's message; see the header of `rules/catalog.yaml`.
    pub message: String,
    pub controls: Vec<String>,
    /// Controls a finding of the rule also maps to when it is about an AI agent (an identity of
    /// kind `agent`, or a credential found in an agent's or tool's configuration).
    #[serde(default)]
    pub agent_controls: Vec<String>,
    #[serde(default)]
    pub references: Vec<String>,
}

fn enabled_by_default() -> bool {
    true
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub(super) struct RuleFile {
    #[serde(default)]
    pub redirects: BTreeMap<String, String>,
    pub rules: Vec<Rule>,
}

pub(super) fn parse(file: &SourceText) -> Result<RuleFile, CatalogError> {
    serde_yaml::from_str(&file.text).map_err(|e| yaml_error(&file.path, &file.text, &e))
}
