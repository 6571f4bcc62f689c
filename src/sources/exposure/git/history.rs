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
    /// What could not be walked (a missing or corrupt commit or tree, a truncated pack): the
    /// blobs listed are those reachable without it.
    pub problems: Vec<String>,
    /// What the user should know that is no damage (a shallow clone's history ends early).
    pub notes: Vec<String>,
}

/// Lists the blobs of history, oldest commit first. With `since`, only commits after it are
/// walked and the blobs of its tree count as already seen (CI on a pull request: only what the
/// change adds). Never fails as a whole: what cannot be read is listed in `problems`.
pub fn enumerate(repo: &Repository, since: Option<&str>) -> History {
    let mut history = History::default();
    if let Err(e) = walk_history(repo, since, &mut history) {
        history
            .problems
            .push(format!("history not fully read: {}", e.message()));
    }
    history
}

/// Pushes the commit a ref points at; says whether it did. A ref whose commit cannot be read
/// is a problem to report, not an error that ends the walk.
fn push_tip(
    walk: &mut git2::Revwalk,
    tips: &mut Vec<Oid>,
    reference: &git2::Reference,
    name: &str,
    history: &mut History,
) -> Result<bool, git2::Error> {
    match reference.peel_to_commit() {
        Ok(commit) => {
            walk.push(commit.id())?;
            tips.push(commit.id());
            Ok(true)
        }
        // A tag of a tree or blob: no history behind it.
        Err(e) if e.code() == git2::ErrorCode::InvalidSpec => Ok(false),
        Err(e) => {
            history
                .problems
                .push(format!("{name} not read: {}", e.message()));
            Ok(false)
        }
    }
}

/// The commits a shallow clone was cut at (`<git dir>/shallow`): their parents are not in the
/// repository, by design.
fn shallow_boundary(repo: &Repository) -> HashSet<Oid> {
    std::fs::read_to_string(repo.path().join("shallow"))
        .map(|text| {
            text.lines()
                .filter_map(|line| Oid::from_str(line.trim()).ok())
                .collect()
        })
        .unwrap_or_default()
}

/// The commits reachable from `tips`, parents before children, not walking past `boundary`
/// (a shallow clone's cut) nor into `hidden`. libgit2's revwalk ignores a shallow clone's cut
/// and stops at the first missing parent, so shallow clones are walked here.
fn walk_to_boundary(
    repo: &Repository,
    tips: &[Oid],
    boundary: &HashSet<Oid>,
    hidden: &HashSet<Oid>,
    history: &mut History,
) -> Vec<Oid> {
    let mut order = Vec::new();
    let mut visited: HashSet<Oid> = HashSet::new();
    let mut stack: Vec<(Oid, bool)> = tips.iter().rev().map(|&oid| (oid, false)).collect();
    while let Some((oid, expanded)) = stack.pop() {
        if expanded {
            order.push(oid);
            continue;
        }
        if hidden.contains(&oid) || !visited.insert(oid) {
            continue;
        }
        stack.push((oid, true));
        if boundary.contains(&oid) {
            continue;
        }
        match repo.find_commit(oid) {
            Ok(commit) => {
                let parents: Vec<Oid> = commit.parent_ids().collect();
                stack.extend(parents.into_iter().rev().map(|parent| (parent, false)));
            }
            Err(e) => {
                history
                    .problems
                    .push(format!("commit {} not read: {}", short(oid), e.message()))
            }
        }
    }
    order
}

fn walk_history(
    repo: &Repository,
    since: Option<&str>,
    history: &mut History,
) -> Result<(), git2::Error> {
    let boundary = shallow_boundary(repo);
    let mut walk = repo.revwalk()?;
    walk.set_sorting(Sort::TOPOLOGICAL | Sort::REVERSE)?;
    // Every ref (branches, tags, remotes, notes…) and a detached HEAD. Each is pushed on its
    // own so that a ref whose commit is missing (a truncated pack) is reported, not ignored.
    let mut tips: Vec<Oid> = Vec::new();
    let mut pushed = false;
    for reference in repo.references()? {
        let reference = match reference {
            Ok(reference) => reference,
            Err(e) => {
                history
                    .problems
                    .push(format!("a ref not read: {}", e.message()));
                continue;
            }
        };
        let name = format!("ref {}", String::from_utf8_lossy(reference.name_bytes()));
        pushed |= push_tip(&mut walk, &mut tips, &reference, &name, history)?;
    }
    match repo.head() {
        Ok(head) => pushed |= push_tip(&mut walk, &mut tips, &head, "HEAD", history)?,
        // A new repository's HEAD names a branch with no commit yet.
        Err(e)
            if matches!(
                e.code(),
                git2::ErrorCode::NotFound | git2::ErrorCode::UnbornBranch
            ) => {}
        Err(e) => history
            .problems
            .push(format!("HEAD not read: {}", e.message())),
    }
    if !pushed {
        return Ok(());
    }
    let mut seen_trees: HashSet<Oid> = HashSet::new();
    let mut seen_blobs: HashSet<Oid> = HashSet::new();
    let mut hidden_base = None;
    if let Some(rev) = since {
        let base = repo.revparse_single(rev)?.peel_to_commit()?;
        walk.hide(base.id())?;
        hidden_base = Some(base.id());
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
    // The walk is collected first: a commit missing from a truncated pack ends it with an error,
    // and the commits before it are still worth reading.
    let mut oids = Vec::new();
    if boundary.is_empty() {
        for oid in walk {
            match oid {
                Ok(oid) => oids.push(oid),
                Err(e) => {
                    history.problems.push(format!(
                        "history walk stopped: {}; the commits reached before it were read",
                        e.message()
                    ));
                    break;
                }
            }
        }
    } else {
        let hidden: HashSet<Oid> = match hidden_base {
            Some(base) => walk_to_boundary(repo, &[base], &boundary, &HashSet::new(), history)
                .into_iter()
                .collect(),
            None => HashSet::new(),
        };
        oids = walk_to_boundary(repo, &tips, &boundary, &hidden, history);
        history.notes.push(format!(
            "shallow clone: history before its {} cut commit(s) is not in the repository and was not read",
            boundary.len()
        ));
    }
    for oid in oids {
        let commit = match repo.find_commit(oid) {
            Ok(commit) => commit,
            // The walk yields commits only: one that cannot be found is missing or corrupt.
            Err(e) => {
                history
                    .problems
                    .push(format!("commit {} not read: {}", short(oid), e.message()));
                continue;
            }
        };
        let index = history.commits.len();
        history.commits.push(CommitInfo {
            id: oid,
            time: commit.time().seconds(),
        });
        let tree = match commit.tree() {
            Ok(tree) => tree,
            Err(e) => {
                history.problems.push(format!(
                    "tree of commit {} not read: {}",
                    short(oid),
                    e.message()
                ));
                continue;
            }
        };
        if !seen_trees.insert(tree.id()) {
            continue;
        }
        let blobs = &mut history.blobs;
        let walked = tree.walk(TreeWalkMode::PreOrder, |dir, entry| match entry.kind() {
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
        });
        if let Err(e) = walked {
            history.problems.push(format!(
                "tree of commit {} partly read: {}",
                short(oid),
                e.message()
            ));
        }
    }
    Ok(())
}

fn short(oid: Oid) -> String {
    let text = oid.to_string();
    text[..text.len().min(12)].to_string()
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
