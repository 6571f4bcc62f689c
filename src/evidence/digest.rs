//! SHA-256 of the inputs: a file's bytes, or for a directory (a repository) the digest of a
//! `sha256sum` listing of its regular files sorted by path, so that anyone can recompute it
//! with `find DIR -type f | sort | xargs sha256sum`-style tools.

use std::io::Read;
use std::path::Path;

use sha2::{Digest, Sha256};

/// What was hashed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InputDigest {
    pub sha256: String,
    pub size: u64,
    pub directory: bool,
}

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn hash_file(path: &Path) -> std::io::Result<(String, u64)> {
    let mut file = std::fs::File::open(path)?;
    let mut hasher = Sha256::new();
    let mut buffer = vec![0u8; 64 * 1024];
    let mut size = 0u64;
    loop {
        let read = file.read(&mut buffer)?;
        if read == 0 {
            break;
        }
        size += read as u64;
        hasher.update(&buffer[..read]);
    }
    Ok((hex::encode(hasher.finalize()), size))
}

/// Hashes a file, or a directory's regular files (symbolic links are not followed).
pub fn hash_input(path: &Path) -> std::io::Result<InputDigest> {
    let metadata = std::fs::metadata(path)?;
    if !metadata.is_dir() {
        let (sha256, size) = hash_file(path)?;
        return Ok(InputDigest {
            sha256,
            size,
            directory: false,
        });
    }
    let mut files = Vec::new();
    for entry in walkdir::WalkDir::new(path).follow_links(false) {
        let entry = entry.map_err(std::io::Error::other)?;
        if entry.file_type().is_file() {
            let rel = entry
                .path()
                .strip_prefix(path)
                .unwrap_or(entry.path())
                .to_string_lossy()
                .replace('\\', "/");
            files.push((rel, entry.into_path()));
        }
    }
    files.sort();
    let mut listing = String::new();
    let mut size = 0u64;
    for (rel, full) in files {
        let (sha256, bytes) = hash_file(&full)?;
        size += bytes;
        listing.push_str(&super::sums_line(&sha256, &rel));
    }
    Ok(InputDigest {
        sha256: sha256_hex(listing.as_bytes()),
        size,
        directory: true,
    })
}
