//! What a git directory must not hold before libgit2 opens it: libgit2 opens the files it needs
//! (config, HEAD, refs, packs) with plain blocking reads and follows symlinks and alternates, so a
//! FIFO would hang the scan and a link would read objects from outside the scanned root.

use std::path::Path;

use walkdir::WalkDir;

/// Why a git directory is not opened.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Refusal {
    /// Names the first offending path.
    pub reason: String,
    /// The refusal is for alternates (objects borrowed from another repository), which CI
    /// reference clones use: not hostile, only out of reach.
    pub borrowed_objects: bool,
}

impl From<String> for Refusal {
    fn from(reason: String) -> Self {
        Refusal {
            reason,
            borrowed_objects: false,
        }
    }
}

/// Checks `git_dir` (inside the scanned `root`): no FIFO, socket or device, no symlink leading
/// out of `root` or to anything but a file or directory, no alternates (objects borrowed from
/// another repository).
pub fn check(git_dir: &Path, root: &Path) -> Result<(), Refusal> {
    check_contents(git_dir, root).map_err(Refusal::from)?;
    let alternates = git_dir.join("objects/info/alternates");
    if std::fs::metadata(&alternates).is_ok_and(|m| m.len() > 0) {
        return Err(Refusal {
            reason: "objects/info/alternates borrows objects from another repository, which may lie outside the scanned root".into(),
            borrowed_objects: true,
        });
    }
    Ok(())
}

fn check_contents(git_dir: &Path, root: &Path) -> Result<(), String> {
    let canonical_root = root
        .canonicalize()
        .map_err(|e| format!("cannot resolve {}: {e}", root.display()))?;
    for entry in WalkDir::new(git_dir).follow_links(false) {
        let entry = match entry {
            Ok(entry) => entry,
            Err(e) => {
                let path = e.path().unwrap_or(git_dir);
                return Err(format!(
                    "cannot read {}: {}",
                    shown(git_dir, path),
                    e.io_error()
                        .map_or_else(|| e.to_string(), |io| io.to_string())
                ));
            }
        };
        let file_type = entry.file_type();
        let path = entry.path();
        if file_type.is_symlink() {
            let target = path
                .canonicalize()
                .map_err(|e| format!("broken symlink {} ({e})", shown(git_dir, path)))?;
            if !target.starts_with(&canonical_root) {
                return Err(format!(
                    "symlink {} points outside the scanned root",
                    shown(git_dir, path)
                ));
            }
            let meta = std::fs::metadata(&target)
                .map_err(|e| format!("symlink {}: {e}", shown(git_dir, path)))?;
            if !meta.is_file() && !meta.is_dir() {
                return Err(format!(
                    "symlink {} leads to a FIFO, socket or device",
                    shown(git_dir, path)
                ));
            }
        } else if !file_type.is_file() && !file_type.is_dir() {
            return Err(format!(
                "{} is a FIFO, socket or device",
                shown(git_dir, path)
            ));
        }
    }
    Ok(())
}

fn shown(git_dir: &Path, path: &Path) -> String {
    let rel = crate::discover::relative(git_dir, path);
    let name = git_dir
        .file_name()
        .map_or_else(String::new, |n| n.to_string_lossy().into_owned());
    if rel == "." {
        name
    } else if name == ".git" {
        format!(".git/{rel}")
    } else {
        rel
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[cfg(unix)]
    #[test]
    fn links_out_of_the_root_and_alternates_are_refused() {
        let outside = tempfile::tempdir().unwrap();
        let root = tempfile::tempdir().unwrap();
        let git_dir = root.path().join(".git");
        std::fs::create_dir_all(git_dir.join("objects/info")).unwrap();
        std::fs::write(git_dir.join("HEAD"), "ref: refs/heads/main\n").unwrap();
        assert_eq!(check(&git_dir, root.path()), Ok(()));
        std::os::unix::fs::symlink(outside.path(), git_dir.join("refs")).unwrap();
        let reason = check(&git_dir, root.path()).unwrap_err().reason;
        assert!(
            reason.contains(".git/refs") && reason.contains("outside"),
            "{reason}"
        );
        std::fs::remove_file(git_dir.join("refs")).unwrap();
        std::fs::write(git_dir.join("objects/info/alternates"), "/elsewhere\n").unwrap();
        let refusal = check(&git_dir, root.path()).unwrap_err();
        assert!(refusal.reason.contains("alternates") && refusal.borrowed_objects);
    }
}
