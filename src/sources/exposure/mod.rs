//! The repository-exposure stage, beside the export families: what repositories (working tree
//! and every blob of history) and plain files expose. `git` reads repositories and files in
//! bounded windows; `secrets` finds the secrets in what was read and what each carries (key IDs,
//! public-key fingerprints); `git::references` finds configuration that still names a retired
//! identity. Its records are exposures, joined to the inventory by what they carry.

pub mod git;
pub mod secrets;
