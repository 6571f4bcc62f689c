//! The working tree of a repository: every file except `.git`, uncommitted and ignored files
//! included (a secret in an ignored `.env` on a build host is still exposed). Symlinks are not
//! followed.

use std::path::{Path, PathBuf};

use walkdir::WalkDir;

use super::windows::{self, NotScanned};
use super::{FileOutcome, Skip, SkipKind};
use crate::sources::exposure::secrets::DetectorSet;

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

/// Reads and scans one working-tree file in windows of `options.max_blob_bytes`, up to
/// `options.max_file_bytes` in all.
pub fn scan_file(
    full: &Path,
    path: &str,
    options: &super::GitOptions,
    detectors: &DetectorSet,
) -> FileOutcome {
    let file = match crate::discover::open_regular(full) {
        Ok(file) => file,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return FileOutcome::Skipped(Skip::new(
                SkipKind::Vanished,
                format!("cannot read: {e} (removed during the scan)"),
            ))
        }
        Err(e) => {
            return FileOutcome::Skipped(Skip::new(
                SkipKind::Unreadable,
                format!("cannot read: {e}"),
            ))
        }
    };
    let size = file.metadata().map(|m| m.len()).unwrap_or(0);
    let window = usize::try_from(options.max_blob_bytes).unwrap_or(usize::MAX);
    match windows::scan(file, size, path, window, options.max_file_bytes, detectors) {
        Ok(scanned) => FileOutcome::Scanned {
            bytes: scanned.scanned,
            matches: scanned.matches,
            unscanned: scanned.unscanned,
        },
        Err(NotScanned::Binary(kind)) => FileOutcome::Skipped(Skip::new(
            SkipKind::Binary,
            format!("binary content ({kind})"),
        )),
        Err(NotScanned::Io(e)) => {
            FileOutcome::Skipped(Skip::new(SkipKind::Unreadable, format!("cannot read: {e}")))
        }
    }
}
