//! The working tree of a repository: every file except `.git`, uncommitted and ignored files
//! included (a secret in an ignored `.env` on a build host is still exposed). Symlinks are not
//! followed.

use std::io::Read;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::{is_binary, FileOutcome};
use crate::secrets::DetectorSet;

/// (path relative to the working tree with `/` separators, path to open), sorted.
pub fn list(workdir: &Path) -> Vec<(String, PathBuf)> {
    let mut files: Vec<(String, PathBuf)> = WalkDir::new(workdir)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter()
        .filter_entry(|e| e.file_name() != ".git")
        .filter_map(Result::ok)
        .filter(|e| e.file_type().is_file())
        .map(|e| {
            (
                crate::discover::relative(workdir, e.path()),
                e.path().to_path_buf(),
            )
        })
        .collect();
    files.sort();
    files
}

/// Reads and scans one working-tree file, bounded by `max` bytes.
pub fn scan_file(full: &Path, path: &str, max: u64, detectors: &DetectorSet) -> FileOutcome {
    let file = match crate::discover::open_regular(full) {
        Ok(file) => file,
        Err(e) => return FileOutcome::Skipped(format!("cannot read: {e}")),
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    if size > max {
        return FileOutcome::Skipped(format!("file of {size} bytes above the size limit"));
    }
    let mut bytes = Vec::with_capacity(size as usize);
    // The file may grow between the size check and the read: never read past the limit.
    if let Err(e) = file.take(max + 1).read_to_end(&mut bytes) {
        return FileOutcome::Skipped(format!("cannot read: {e}"));
    }
    if bytes.len() as u64 > max {
        return FileOutcome::Skipped("file grew above the size limit while being read".into());
    }
    if is_binary(&bytes) {
        return FileOutcome::Skipped("binary content".into());
    }
    FileOutcome::Scanned {
        bytes: bytes.len() as u64,
        matches: detectors.scan(path, &bytes),
    }
}
