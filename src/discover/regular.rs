//! Files named by the user (`--config`, `--baseline`, `--detectors`, `--policies`, the reports
//! given to `diff` and `merge`) read through the same regular-file guard as scanned files
//! ([`super::open_regular`]): a FIFO would block the run forever, so one is refused with a
//! diagnostic that names it. [`read_named`] gives each failure as the file kind's
//! [`FileDiagnostic`].

use std::io::Read;
use std::path::Path;

pub use crate::diagnostic::NotRegularFile;
use crate::diagnostic::{FileDiagnostic, FileKind, NOT_A_REGULAR_FILE};

/// Why a named file could not be read.
#[derive(Debug)]
pub enum ReadError {
    NotRegular(NotRegularFile),
    Io(std::io::Error),
}

impl ReadError {
    /// The diagnostic of a `kind` file at `path` that could not be read.
    pub fn into_diagnostic(self, kind: &'static FileKind, path: &Path) -> FileDiagnostic {
        match self {
            ReadError::NotRegular(e) => FileDiagnostic::NotRegular(e),
            ReadError::Io(e) => FileDiagnostic::io(kind, path.display().to_string(), e.to_string()),
        }
    }
}

/// The marker [`super::open_regular`] returns for special files, so that callers can tell it
/// from other I/O errors while its text stays [`NOT_A_REGULAR_FILE`].
#[derive(Debug, thiserror::Error)]
#[error("{NOT_A_REGULAR_FILE}")]
struct NotRegularMarker;

pub(super) fn not_regular() -> std::io::Error {
    std::io::Error::other(NotRegularMarker)
}

/// Whether an error of [`super::open_regular`] means "not a regular file".
pub fn is_not_regular(error: &std::io::Error) -> bool {
    error
        .get_ref()
        .is_some_and(|inner| inner.is::<NotRegularMarker>())
}

/// Opens for reading without waiting for a writer if the path turned into a FIFO.
#[cfg(unix)]
pub(super) fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    use std::os::unix::fs::OpenOptionsExt;
    std::fs::OpenOptions::new()
        .read(true)
        .custom_flags(libc::O_NONBLOCK)
        .open(path)
}

/// Opens for reading (Windows has no FIFOs in the file system).
#[cfg(not(unix))]
pub(super) fn open_without_waiting(path: &Path) -> std::io::Result<std::fs::File> {
    std::fs::File::open(path)
}

/// The bytes of a regular file named as `what`.
pub fn read(path: &Path, what: &'static str) -> Result<Vec<u8>, ReadError> {
    let mut file = super::open_regular(path).map_err(|e| classify(e, path, what))?;
    let mut bytes = Vec::new();
    file.read_to_end(&mut bytes)
        .map_err(|e| classify(e, path, what))?;
    Ok(bytes)
}

/// The text of a regular file named as `what` (UTF-8, as `std::fs::read_to_string` reads it).
pub fn read_to_string(path: &Path, what: &'static str) -> Result<String, ReadError> {
    String::from_utf8(read(path, what)?).map_err(|_| {
        ReadError::Io(std::io::Error::new(
            std::io::ErrorKind::InvalidData,
            "stream did not contain valid UTF-8",
        ))
    })
}

/// The bytes of a regular file the user named as a `kind` file.
pub fn read_named(path: &Path, kind: &'static FileKind) -> Result<Vec<u8>, FileDiagnostic> {
    read(path, kind.what).map_err(|e| e.into_diagnostic(kind, path))
}

/// A regular file the user named as a `kind` file, opened to be read as a stream.
pub fn open_named(path: &Path, kind: &'static FileKind) -> Result<std::fs::File, FileDiagnostic> {
    super::open_regular(path).map_err(|e| classify(e, path, kind.what).into_diagnostic(kind, path))
}

/// The text of a regular file the user named as a `kind` file (UTF-8).
pub fn read_named_to_string(
    path: &Path,
    kind: &'static FileKind,
) -> Result<String, FileDiagnostic> {
    read_to_string(path, kind.what).map_err(|e| e.into_diagnostic(kind, path))
}

fn classify(error: std::io::Error, path: &Path, what: &'static str) -> ReadError {
    if is_not_regular(&error) {
        ReadError::NotRegular(NotRegularFile {
            what,
            path: path.display().to_string(),
        })
    } else {
        ReadError::Io(error)
    }
}

#[cfg(all(test, unix))]
mod tests {
    use super::*;

    #[test]
    fn a_fifo_is_refused_without_blocking() {
        let dir = tempfile::tempdir().unwrap();
        let fifo = dir.path().join("pipe");
        let made = std::process::Command::new("mkfifo")
            .arg(&fifo)
            .status()
            .is_ok_and(|s| s.success());
        if !made {
            eprintln!("mkfifo unavailable: skipped");
            return;
        }
        // The check after opening is what holds when the FIFO appears after the first check:
        // opening without waiting returns at once, and the handle is not a regular file.
        let handle = open_without_waiting(&fifo).unwrap();
        assert!(!handle.metadata().unwrap().is_file());
        match read(&fifo, "config") {
            Err(ReadError::NotRegular(e)) => {
                assert!(e.to_string().contains("config"), "{e}");
                assert!(e.to_string().contains("pipe"), "{e}");
            }
            other => panic!("{other:?}"),
        }
        let file = dir.path().join("file");
        std::fs::write(&file, "x").unwrap();
        assert_eq!(read_to_string(&file, "config").unwrap(), "x");
        assert!(matches!(
            read(&dir.path().join("missing"), "config"),
            Err(ReadError::Io(_))
        ));
    }
}
