//! Discovery: walks the scanned paths and lists every regular file once, with its path relative
//! to the root it was found under. Symlinks are followed only to files inside the same root;
//! everything left out is reported, never dropped silently.

pub mod binary;
pub mod lines;
pub mod nesting;
pub mod probe;
pub mod regular;

use std::collections::HashSet;
use std::path::{Path, PathBuf};

use walkdir::WalkDir;

/// A file to read.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct FileInput {
    /// Path to open.
    pub path: PathBuf,
    /// Path relative to the scanned root, with `/` separators (what reports show).
    pub rel: String,
    pub size: u64,
}

/// A path that discovery left out, and why.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord)]
pub struct Excluded {
    pub path: String,
    pub reason: String,
    /// Where it is, to tell a data path from a repository's content.
    pub full: PathBuf,
    /// Where a link out of the root points.
    pub target: Option<PathBuf>,
    /// It could have been an input (a broken link, a link out of the root, a directory that
    /// cannot be read); a FIFO, socket or device never is.
    pub could_be_data: bool,
}

/// What discovery found.
#[derive(Debug, Default)]
pub struct Discovered {
    pub files: Vec<FileInput>,
    pub excluded: Vec<Excluded>,
    /// Git repositories found (directories holding `.git`, or bare repositories); read by the
    /// git source, not file by file.
    pub repositories: Vec<FileInput>,
}

/// Why a scanned path could not be walked at all.
#[derive(Debug, thiserror::Error, miette::Diagnostic)]
#[error("cannot scan {path}: {message}")]
#[diagnostic(
    code(deprov::input::path),
    help("check the path exists and is readable")
)]
pub struct DiscoverError {
    pub path: String,
    pub message: String,
}

/// Walks `roots` in order; files are listed sorted by path within each root.
pub fn discover(roots: &[PathBuf]) -> Result<Discovered, DiscoverError> {
    let mut found = Discovered::default();
    // Only ever asked "seen before?": hashing a path is one pass, ordering one compares components.
    let mut seen: HashSet<PathBuf> = HashSet::new();
    for root in roots {
        let meta = std::fs::metadata(root).map_err(|e| DiscoverError {
            path: root.display().to_string(),
            message: e.to_string(),
        })?;
        let canonical_root = root.canonicalize().map_err(|e| DiscoverError {
            path: root.display().to_string(),
            message: e.to_string(),
        })?;
        if !meta.is_file() && !meta.is_dir() {
            // A FIFO, socket or device named on the command line.
            found.excluded.push(Excluded {
                path: root.file_name().map_or_else(
                    || root.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                ),
                reason: NOT_A_REGULAR_FILE.into(),
                full: root.clone(),
                could_be_data: false,
                target: None,
            });
            continue;
        }
        if meta.is_file() {
            if seen.insert(canonical_root.clone()) {
                let rel = root.file_name().map_or_else(
                    || root.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                found.files.push(FileInput {
                    path: root.clone(),
                    rel,
                    size: meta.len(),
                });
            }
            continue;
        }
        walk_root(root, &canonical_root, &mut seen, &mut found);
    }
    // A link out of its root to a file that another scanned path holds (`/etc/ssl/certs` and
    // `/usr/share/ca-certificates` scanned together) leaves nothing unread.
    for excluded in &mut found.excluded {
        if excluded.could_be_data && excluded.target.as_ref().is_some_and(|t| seen.contains(t)) {
            excluded.could_be_data = false;
            excluded.reason =
                "symlink points outside its scanned root, to a file read under another scanned path"
                    .into();
        }
    }
    Ok(found)
}

fn walk_root(
    root: &Path,
    canonical_root: &Path,
    seen: &mut HashSet<PathBuf>,
    found: &mut Discovered,
) {
    let mut walker = WalkDir::new(root)
        .follow_links(false)
        .sort_by_file_name()
        .into_iter();
    // Links are resolved after the walk so that a file reached both by its own name and by a
    // hash-named link (`/etc/ssl/certs` style) is listed under its own name.
    let mut links: Vec<walkdir::DirEntry> = Vec::new();
    while let Some(entry) = walker.next() {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e
                    .path()
                    .map_or_else(|| root.display().to_string(), |p| relative(root, p));
                found.excluded.push(Excluded {
                    path,
                    reason: format!(
                        "cannot read: {}",
                        e.io_error()
                            .map_or_else(|| e.to_string(), |io| io.to_string())
                    ),
                    full: e
                        .path()
                        .map_or_else(|| root.to_path_buf(), Path::to_path_buf),
                    could_be_data: true,
                    target: None,
                });
                continue;
            }
        };
        let file_type = entry.file_type();
        if file_type.is_symlink() {
            links.push(entry);
            continue;
        }
        let path = entry.path();
        if file_type.is_dir() {
            if entry.file_name() == ".git" {
                found.repositories.push(FileInput {
                    path: path.parent().unwrap_or(root).to_path_buf(),
                    rel: relative(root, path.parent().unwrap_or(root)),
                    size: 0,
                });
                walker.skip_current_dir();
            } else if is_bare_repository(path) {
                // A bare repository (a mirror, a `.git` directory copied elsewhere): its objects
                // are read by the git source, not file by file.
                found.repositories.push(FileInput {
                    path: path.to_path_buf(),
                    rel: relative(root, path),
                    size: 0,
                });
                walker.skip_current_dir();
            }
            continue;
        }
        add_file(&entry, root, canonical_root, seen, found);
    }
    for entry in links {
        add_file(&entry, root, canonical_root, seen, found);
    }
}

fn add_file(
    entry: &walkdir::DirEntry,
    root: &Path,
    canonical_root: &Path,
    seen: &mut HashSet<PathBuf>,
    found: &mut Discovered,
) {
    let path = entry.path();
    let rel = relative(root, path);
    let file_type = entry.file_type();
    let (target, size) = if file_type.is_symlink() {
        match std::fs::canonicalize(path) {
            Ok(target) if !target.starts_with(canonical_root) => {
                found.excluded.push(Excluded {
                    path: rel,
                    reason: "symlink points outside the scanned root; not followed".into(),
                    full: path.to_path_buf(),
                    target: Some(target),
                    could_be_data: true,
                });
                return;
            }
            Ok(target) => match std::fs::metadata(&target) {
                Ok(meta) if meta.is_file() => (target, meta.len()),
                Ok(meta) if meta.is_dir() => {
                    // A link to a directory inside the root: that directory is walked anyway.
                    return;
                }
                Ok(_) => {
                    found.excluded.push(Excluded {
                        path: rel,
                        reason: format!("symlink to a file that is {NOT_A_REGULAR_FILE}"),
                        full: path.to_path_buf(),
                        could_be_data: false,
                        target: None,
                    });
                    return;
                }
                Err(e) => {
                    found.excluded.push(Excluded {
                        path: rel,
                        reason: format!("cannot read symlink target: {e}"),
                        full: path.to_path_buf(),
                        could_be_data: true,
                        target: None,
                    });
                    return;
                }
            },
            Err(e) => {
                found.excluded.push(Excluded {
                    path: rel,
                    reason: format!("broken symlink (or a link loop): {e}"),
                    full: path.to_path_buf(),
                    could_be_data: true,
                    target: None,
                });
                return;
            }
        }
    } else if file_type.is_file() {
        // The walk follows no links, so every directory under the root is a real one: a file's
        // canonical path is the canonical root followed by the rest of its path, without the
        // path resolution `canonicalize` does per file (a second of syscalls at 120,000 files).
        let canonical = match path.strip_prefix(root) {
            Ok(rest) => canonical_root.join(rest),
            Err(_) => path.canonicalize().unwrap_or_else(|_| path.to_path_buf()),
        };
        let size = entry.metadata().map(|m| m.len()).unwrap_or(0);
        (canonical, size)
    } else {
        found.excluded.push(Excluded {
            path: rel,
            reason: NOT_A_REGULAR_FILE.into(),
            full: path.to_path_buf(),
            could_be_data: false,
            target: None,
        });
        return;
    };
    // A file reached twice (through a hash-named symlink and its real name) counts once.
    if !seen.insert(target) {
        return;
    }
    found.files.push(FileInput {
        path: path.to_path_buf(),
        rel,
        size,
    });
}

/// Opens a file for reading only if it is a regular file (following symlinks). Opening a FIFO
/// blocks until a writer appears, so special files are refused before `open`, never opened; and
/// since a file can be swapped for a FIFO between that check and the open, the open itself does
/// not wait (`O_NONBLOCK`, which reads of a regular file ignore) and the opened file is checked
/// again. Every file deprov reads goes through here (see `regular` for files named by the user).
pub fn open_regular(path: &Path) -> std::io::Result<std::fs::File> {
    if !std::fs::metadata(path)?.is_file() {
        return Err(regular::not_regular());
    }
    let file = regular::open_without_waiting(path)?;
    if !file.metadata()?.is_file() {
        return Err(regular::not_regular());
    }
    Ok(file)
}

/// Why a FIFO, socket or device is not read (the diagnostics' wording, in `skipped` too).
pub use crate::diagnostic::NOT_A_REGULAR_FILE;

/// A directory that is itself a git directory: `HEAD`, `objects/` and `refs/`.
fn is_bare_repository(path: &Path) -> bool {
    path.join("HEAD").is_file() && path.join("objects").is_dir() && path.join("refs").is_dir()
}

/// `path` relative to `root`, `/`-separated; non-UTF-8 names are shown lossily.
pub fn relative(root: &Path, path: &Path) -> String {
    let rel = path.strip_prefix(root).unwrap_or(path);
    let text = rel
        .components()
        .map(|c| c.as_os_str().to_string_lossy())
        .collect::<Vec<_>>()
        .join("/");
    if text.is_empty() {
        ".".to_string()
    } else {
        text
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn symlinks_inside_count_once_and_outside_are_reported() {
        let outside = tempfile::tempdir().unwrap();
        std::fs::write(outside.path().join("secret.txt"), "x").unwrap();
        let root = tempfile::tempdir().unwrap();
        std::fs::write(root.path().join("a.pem"), "x").unwrap();
        #[cfg(unix)]
        {
            std::os::unix::fs::symlink(root.path().join("a.pem"), root.path().join("1234abcd.0"))
                .unwrap();
            std::os::unix::fs::symlink(outside.path().join("secret.txt"), root.path().join("out"))
                .unwrap();
            std::os::unix::fs::symlink(root.path(), root.path().join("loop")).unwrap();
        }
        let found = discover(&[root.path().to_path_buf()]).unwrap();
        let rels: Vec<&str> = found.files.iter().map(|f| f.rel.as_str()).collect();
        assert_eq!(rels, vec!["a.pem"]);
        #[cfg(unix)]
        assert!(found
            .excluded
            .iter()
            .any(|e| e.path == "out" && e.reason.contains("outside")));
    }
}
