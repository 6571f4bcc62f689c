//! Writes the example organisation's infrastructure repository as a bare repository:
//! `cargo run --example repo_fixture -- testdata/example-org/repos/infra.git`.
//! Needs the `git` command (to pack the objects); the commits are built with git2.

#[path = "../tests/support/repo_fixture.rs"]
mod repo_fixture;

use std::path::Path;
use std::process::Command;

fn main() {
    let Some(dest) = std::env::args().nth(1) else {
        eprintln!("usage: repo_fixture DEST.git");
        std::process::exit(2);
    };
    if let Err(e) = run(Path::new(&dest)) {
        eprintln!("repo_fixture: {e}");
        std::process::exit(1);
    }
}

fn run(dest: &Path) -> Result<(), Box<dyn std::error::Error>> {
    let key = std::fs::read_to_string("testdata/repo-fixture/files/legacy-payments.key")?;
    let work = tempfile::tempdir()?;
    let head = repo_fixture::build(work.path(), &key)?;
    if dest.exists() {
        std::fs::remove_dir_all(dest)?;
    }
    let status = Command::new("git")
        .args(["clone", "--quiet", "--bare", "--no-local"])
        .arg(work.path())
        .arg(dest)
        .status()?;
    if !status.success() {
        return Err("git clone failed".into());
    }
    // Keep only what a reader needs: one pack, HEAD and a loose branch ref (git does not track
    // empty directories, and packed refs alone would leave `refs/` empty in a commit).
    for extra in ["hooks", "info", "description", "packed-refs", "config"] {
        let path = dest.join(extra);
        if path.is_dir() {
            std::fs::remove_dir_all(&path)?;
        } else if path.exists() {
            std::fs::remove_file(&path)?;
        }
    }
    std::fs::create_dir_all(dest.join("refs/heads"))?;
    std::fs::write(dest.join("refs/heads/main"), format!("{head}\n"))?;
    std::fs::write(dest.join("HEAD"), "ref: refs/heads/main\n")?;
    std::fs::write(
        dest.join("config"),
        "[core]\n\trepositoryformatversion = 0\n\tbare = true\n",
    )?;
    println!("{} at {head}", dest.display());
    Ok(())
}
