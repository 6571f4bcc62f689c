//! Google Cloud IAM exports: service accounts (gcloud array and `{"accounts": …}`), service-account keys (gcloud array and `{"keys": …}`), IAM policies (`get-iam-policy`), and Cloud Asset Inventory exports (JSON lines, both line shapes).
//!
//! Scaffold: detection, parsing and assembly are implemented in this family's `model.rs` and
//! `normalize.rs`, following `sources/aws`.

use super::SourceError;
use crate::discover::probe::Probe;
use crate::discover::FileInput;
use crate::inventory::Records;

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Format {}

impl Format {
    pub fn name(self) -> &'static str {
        match self {}
    }
}

pub fn detect(_probe: &Probe) -> Option<Format> {
    None
}

/// One parsed file of this family.
#[derive(Debug, Clone)]
pub enum GcpFile {}

impl GcpFile {
    pub fn record_count(&self) -> usize {
        match *self {}
    }

    pub fn warnings(&self) -> Vec<String> {
        match *self {}
    }
}

pub fn parse(_probe: &Probe, format: Format) -> Result<GcpFile, SourceError> {
    match format {}
}

/// Joins the family's files into records, with (file, warning) pairs.
pub fn assemble(files: Vec<(FileInput, GcpFile)>) -> (Records, Vec<(String, String)>) {
    let _ = files;
    (Records::default(), Vec::new())
}
