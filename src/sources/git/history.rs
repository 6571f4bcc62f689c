//! Every unique blob reachable from every ref, each listed once with the oldest commit and the
//! path where it first appears. Trees are memoised: a tree seen once holds only blobs already
//! listed, so history is walked in time proportional to the number of distinct trees, not to
//! commits × files.

use std::collections::HashSet;

use git2::{ObjectType, Oid, Repository, Sort, TreeWalkMode, TreeWalkResult};

/// A blob to scan and where it first appears.
#[derive(Debug, Clone)]
pub struct BlobRef {
    pub oid: Oid,
    pub path: String,
    /// Index into `History::commits`.
    pub commit: usize,
}

/// A commit, for locating findings.
#[derive(Debug, Clone)]
pub struct CommitInfo {
    pub id: Oid,
    /// Seconds since the epoch (committer time).
    pub time: i64,
}

#[derive(Debug, Default)]
pub struct History {
    pub commits: Vec<CommitInfo>,
    pub blobs: Vec<BlobRef>,
}

/// Lists the blobs of history, oldest commit first. With `since`, only commits after it are
/// walked and the blobs of its tree count as already seen (CI on a pull request: only what the
/// change adds).
pub fn enumerate(repo: &Repository, since: Option<&str>) -> Result<History, git2::Error> {
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    let mut pushed = false;
    // Every ref (branches, tags, remotes, notes…) and a detached HEAD.
    if walk.push_glob("*").is_ok() {
        pushed = true;
    }
    if walk.push_head().is_ok() {
        pushed = true;
    }
    let mut history = History::default();
    if !pushed {
        return Ok(history);
    }
    let mut seen_trees: HashSet<Oid> = HashSet::new();
    let mut seen_blobs: HashSet<Oid> = HashSet::new();
    if let Some(rev) = since {
        let base = repo.revparse_single(rev)?.peel_to_commit()?;
        walk.hide(base.id())?;
        let tree = base.tree()?;
        seen_trees.insert(tree.id());
        tree.walk(TreeWalkMode::PreOrder, |_, entry| {
            match entry.kind() {
                Some(ObjectType::Tree) => {
                    seen_trees.insert(entry.id());
                }
                Some(ObjectType::Blob) => {
                    seen_blobs.insert(entry.id());
                }
                _ => {}
            }
            TreeWalkResult::Ok
        })?;
    }
    for oid in walk {
        let oid = oid?;
        let commit = match repo.find_commit(oid) {
            Ok(commit) => commit,
            // A ref to a tag of a blob or tree, or a shallow boundary: nothing to walk.
            Err(_) => continue,
        };
        let index = history.commits.len();
        history.commits.push(CommitInfo {
            id: oid,
            time: commit.time().seconds(),
        });
        let tree = match commit.tree() {
            Ok(tree) => tree,
            Err(_) => continue,
        };
        if !seen_trees.insert(tree.id()) {
            continue;
        }
        let blobs = &mut history.blobs;
        tree.walk(TreeWalkMode::PreOrder, |dir, entry| match entry.kind() {
            Some(ObjectType::Tree) => {
                if seen_trees.insert(entry.id()) {
                    TreeWalkResult::Ok
                } else {
                    TreeWalkResult::Skip
                }
            }
            Some(ObjectType::Blob) => {
                if seen_blobs.insert(entry.id()) {
                    let name = String::from_utf8_lossy(entry.name_bytes());
                    blobs.push(BlobRef {
                        oid: entry.id(),
                        path: format!("{dir}{name}"),
                        commit: index,
                    });
                }
                TreeWalkResult::Ok
            }
            // Submodule commits and anything else: not content of this repository.
            _ => TreeWalkResult::Ok,
        })?;
    }
    Ok(history)
}

/// The blobs of HEAD's tree, by ID, with their paths (the current files of a bare repository).
pub fn head_blobs(repo: &Repository) -> std::collections::HashMap<Oid, String> {
    let mut blobs = std::collections::HashMap::new();
    let Ok(tree) = repo.head().and_then(|h| h.peel_to_tree()) else {
        return blobs;
    };
    let _ = tree.walk(TreeWalkMode::PreOrder, |dir, entry| {
        if entry.kind() == Some(ObjectType::Blob) {
            let name = String::from_utf8_lossy(entry.name_bytes());
            blobs
                .entry(entry.id())
                .or_insert_with(|| format!("{dir}{name}"));
        }
        TreeWalkResult::Ok
    });
    blobs
}
