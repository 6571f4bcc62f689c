//! Framework catalogs of `rules/frameworks/*.yaml`: official control IDs and titles.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use super::{yaml_error, CatalogError, SourceText};

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Framework {
    pub id: String,
    pub name: String,
    pub version: String,
    #[serde(default)]
    pub url: Option<String>,
    /// Where the framework's own OSCAL catalog lives, for OSCAL output.
    #[serde(default)]
    pub oscal_catalog: Option<String>,
    /// Other names people use for a control (alias → control ID).
    #[serde(default)]
    pub aliases: BTreeMap<String, String>,
    pub controls: Vec<Control>,
}

#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Control {
    pub id: String,
    pub title: String,
    /// The control's ID in the framework's OSCAL catalog (`ac-2.3`), where one exists.
    #[serde(default)]
    pub oscal_id: Option<String>,
    #[serde(default)]
    pub description: Option<String>,
}

pub(super) fn parse(file: &SourceText) -> Result<Framework, CatalogError> {
    serde_yaml::from_str(&file.text).map_err(|e| yaml_error(&file.path, &file.text, &e))
}
