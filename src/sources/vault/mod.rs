//! HashiCorp Vault / OpenBao exports and file audit logs.
//!
//! Scaffold: detection, parsing and assembly are implemented in this family's `model.rs`,
//! `normalize.rs` and `audit.rs`, following `sources/aws`.

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
pub enum VaultFile {}

impl VaultFile {
    pub fn record_count(&self) -> usize {
        match *self {}
    }

    pub fn warnings(&self) -> Vec<String> {
        match *self {}
    }
}

pub fn parse(_probe: &Probe, format: Format) -> Result<VaultFile, SourceError> {
    match format {}
}

/// Joins the family's files into records, with (file, warning) pairs.
pub fn assemble(files: Vec<(FileInput, VaultFile)>) -> (Records, Vec<(String, String)>) {
    let _ = files;
    (Records::default(), Vec::new())
}
