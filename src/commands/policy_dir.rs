//! A user's policy directory (`--policies DIR`, `policy check DIR`): its `.cedar` files and the
//! `catalog.yaml` beside them. Read here, through the regular-file guard, so that the engine
//! gets texts and reads no files.

use std::path::{Path, PathBuf};

use crate::diagnostic::FileDiagnostic;
use crate::discover::regular::read_named_to_string;
use crate::engine::policies::{PolicyFile, POLICY_FILE};
use crate::engine::PolicyError;

/// The `.cedar` files of a user directory, sorted by name for determinism.
pub fn read_policy_dir(dir: &Path) -> Result<Vec<PolicyFile>, PolicyError> {
    let unreadable = |e: std::io::Error| {
        FileDiagnostic::io(&POLICY_FILE, dir.display().to_string(), e.to_string())
    };
    let mut paths: Vec<_> = std::fs::read_dir(dir)
        .map_err(unreadable)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "cedar"))
        .collect();
    paths.sort();
    paths
        .into_iter()
        .map(|path| {
            Ok(PolicyFile {
                text: read_named_to_string(&path, &POLICY_FILE)?,
                path: path.display().to_string(),
                builtin: false,
            })
        })
        .collect()
}

/// The `catalog.yaml` that may sit next to a user's policies.
pub fn user_catalog_path(dir: &Path) -> Option<PathBuf> {
    let path = dir.join("catalog.yaml");
    // Whatever it is: a FIFO or a directory under that name is refused when read, not ignored.
    std::fs::metadata(&path).is_ok().then_some(path)
}
