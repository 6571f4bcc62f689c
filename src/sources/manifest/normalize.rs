//! Export manifests → records: none. A manifest says where and when an export was taken; it is
//! listed under `sources` with that detail (see `mod.rs`) and joins nothing.
//!
//! Its `exported_at` is not given to the family of the export beside it: families are assembled
//! apart, each from its own files, and only the AWS credential report carries an export time that
//! reconciliation uses (`GeneratedTime`, which the AWS collector keeps).

use crate::discover::FileInput;
use crate::inventory::Records;
use crate::sources::Assembly;

use super::Manifest;

/// Reads nothing into the inventory; the manifests' warnings were given when they were parsed.
pub fn assemble(files: Vec<(FileInput, Manifest)>, assembly: &mut Assembly) -> Records {
    for (input, _) in &files {
        assembly.reading(input);
    }
    Records::default()
}
