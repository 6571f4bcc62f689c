//! References without secrets: the identifiers of retired identities (ARNs, service-account
//! emails, `system:serviceaccount:…`, Vault role paths, agent names) still written in the
//! configuration of a working tree — workflows, Terraform, Helm values — mean the dependency on
//! the retired identity was not removed.

use std::path::PathBuf;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use sha2::{Digest, Sha256};

use crate::diagnostic::LineIndex;
use crate::inventory::{Evidence, ExposureKind, ExposureRecord, SourceFamily, SystemRef};

/// File names and extensions that hold configuration (what deploys and wires identities),
/// rather than documentation.
const CONFIG_EXTENSIONS: &[&str] = &[
    "yml",
    "yaml",
    "json",
    "tf",
    "tfvars",
    "hcl",
    "toml",
    "ini",
    "cfg",
    "conf",
    "env",
    "properties",
    "sh",
    "bash",
    "ps1",
    "groovy",
    "jsonnet",
    "libsonnet",
    "cue",
    "nix",
];
const CONFIG_NAMES: &[&str] = &[
    "Dockerfile",
    "Jenkinsfile",
    "Makefile",
    ".env",
    "docker-compose.yml",
];

pub fn is_configuration(path: &str) -> bool {
    let name = path.rsplit('/').next().unwrap_or(path);
    CONFIG_NAMES.contains(&name)
        || name.starts_with(".env")
        || name.rsplit_once('.').is_some_and(|(_, ext)| {
            CONFIG_EXTENSIONS
                .iter()
                .any(|e| e.eq_ignore_ascii_case(ext))
        })
}

/// Needles: the identifiers to look for, each with the identity it names.
pub struct ReferenceSet {
    matcher: Option<AhoCorasick>,
    needles: Vec<String>,
}

impl ReferenceSet {
    /// Identifiers shorter than this are not searched: short names match everywhere.
    const MIN_LEN: usize = 6;

    pub fn new(identifiers: impl IntoIterator<Item = String>) -> Self {
        let mut needles: Vec<String> = identifiers
            .into_iter()
            .filter(|n| n.len() >= Self::MIN_LEN)
            .collect();
        needles.sort();
        needles.dedup();
        let matcher = if needles.is_empty() {
            None
        } else {
            AhoCorasickBuilder::new()
                .match_kind(MatchKind::LeftmostLongest)
                .build(&needles)
                .ok()
        };
        ReferenceSet { matcher, needles }
    }

    /// The references in one working-tree file. A needle counts only as a whole token: the
    /// characters around it must not continue an identifier (`ci-legacy` is not in
    /// `ci-legacy-2`).
    pub fn scan(&self, system: &SystemRef, path: &str, bytes: &[u8]) -> Vec<ExposureRecord> {
        let Some(matcher) = &self.matcher else {
            return Vec::new();
        };
        let mut found: Vec<ExposureRecord> = Vec::new();
        let mut lines: Option<LineIndex> = None;
        for m in matcher.find_iter(bytes) {
            let continues = |b: u8| {
                b.is_ascii_alphanumeric() || b == b'-' || b == b'_' || b == b'.' || b == b'/'
            };
            let before = m.start().checked_sub(1).map(|i| bytes[i]);
            let after = bytes.get(m.end()).copied();
            if before.is_some_and(continues) || after.is_some_and(|b| continues(b) && b != b'.') {
                continue;
            }
            let needle = &self.needles[m.pattern().as_usize()];
            if found.iter().any(|e| e.carries.first() == Some(needle)) {
                continue;
            }
            let line = lines
                .get_or_insert_with(|| LineIndex::new(bytes))
                .line(m.start());
            found.push(ExposureRecord {
                system: system.clone(),
                kind: ExposureKind::Reference,
                detector: "identity-reference".into(),
                description: format!("configuration references `{needle}`"),
                carries: vec![needle.clone()],
                secret_sha256: hex::encode(Sha256::digest(needle.as_bytes())),
                disclosure: crate::sources::exposure::secrets::Disclosure::Preview(needle.clone()),
                in_working_tree: true,
                first_commit: None,
                agent_credential: false,
                confidence: None,
                allowed_rules: crate::sources::exposure::secrets::allowed_rules(
                    bytes,
                    m.start()..m.end(),
                ),
                evidence: Evidence::new(path, format!("configuration references `{needle}`"))
                    .at_line(line),
            });
        }
        found
    }
}

/// Where a current file's content is: on disk, or a blob of a bare repository.
#[derive(Debug, Clone)]
pub enum Content {
    File(PathBuf),
    Blob(PathBuf, git2::Oid),
}

impl Content {
    /// The content, if it is at most `max` bytes; `Err(size)` when it is larger (the reference
    /// pass reads files whole, so it is bounded by the blob limit), `Ok(None)` when it cannot
    /// be read (the secret scan lists why).
    fn read(
        &self,
        repo: &mut Option<(PathBuf, git2::Repository)>,
        max: u64,
    ) -> Result<Option<Vec<u8>>, u64> {
        match self {
            Content::File(path) => {
                use std::io::Read;
                let Ok(file) = crate::discover::open_regular(path) else {
                    return Ok(None);
                };
                let mut bytes = Vec::new();
                if file
                    .take(max.saturating_add(1))
                    .read_to_end(&mut bytes)
                    .is_err()
                {
                    return Ok(None);
                }
                if bytes.len() as u64 > max {
                    let size = std::fs::metadata(path).map_or(bytes.len() as u64, |m| m.len());
                    return Err(size);
                }
                Ok(Some(bytes))
            }
            Content::Blob(git_dir, oid) => {
                if repo.as_ref().is_none_or(|(dir, _)| dir != git_dir) {
                    *repo = git2::Repository::open_bare(git_dir)
                        .ok()
                        .map(|r| (git_dir.clone(), r));
                }
                let Some((_, repo)) = repo.as_ref() else {
                    return Ok(None);
                };
                let Some((size, _)) = repo.odb().ok().and_then(|odb| odb.read_header(*oid).ok())
                else {
                    return Ok(None);
                };
                if size as u64 > max {
                    return Err(size as u64);
                }
                Ok(repo.find_blob(*oid).ok().map(|b| b.content().to_vec()))
            }
        }
    }
}

/// What the reference pass found, and the configuration files it could not read whole.
#[derive(Debug, Default)]
pub struct ReferenceScan {
    pub found: Vec<ExposureRecord>,
    /// (path, reason) of configuration files above the blob limit: not searched for references.
    pub unscanned: Vec<(String, String)>,
}

/// Scans current configuration files for references; files above `max_bytes` are not read and
/// are listed as unscanned. With no reference to look for (nobody is retired), nothing is read.
pub fn scan_files(
    set: &ReferenceSet,
    files: &[(SystemRef, String, Content)],
    max_bytes: u64,
) -> ReferenceScan {
    use rayon::prelude::*;
    if set.matcher.is_none() {
        return ReferenceScan::default();
    }
    let outcomes: Vec<Result<Vec<ExposureRecord>, (String, String)>> = files
        .par_iter()
        .filter(|(_, path, _)| is_configuration(path))
        .map_init(
            || None,
            |repo, (system, path, content)| match content.read(repo, max_bytes) {
                Ok(Some(bytes)) if !super::is_binary(&bytes) => Ok(set.scan(system, path, &bytes)),
                Ok(_) => Ok(Vec::new()),
                Err(size) => Err((
                    path.clone(),
                    format!(
                        "configuration file of {size} bytes not searched for references to retired identities (above repositories.max_blob_size_mb)"
                    ),
                )),
            },
        )
        .collect();
    let mut scan = ReferenceScan::default();
    for outcome in outcomes {
        match outcome {
            Ok(found) => scan.found.extend(found),
            Err(unscanned) => scan.unscanned.push(unscanned),
        }
    }
    scan
}

/// The system of a plain (non-repository) directory's files.
pub fn files_system() -> SystemRef {
    SystemRef::new(SourceFamily::Files, ".")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn whole_tokens_only() {
        let set = ReferenceSet::new(["arn:aws:iam::1:role/ci-legacy".to_string()]);
        let system = SystemRef::new(SourceFamily::Git, "repo");
        let text = b"role: arn:aws:iam::1:role/ci-legacy\nother: arn:aws:iam::1:role/ci-legacy-2\n";
        let found = set.scan(&system, "deploy.yml", text);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.line, Some(1));
        assert!(is_configuration(".github/workflows/deploy.yml"));
        assert!(!is_configuration("README.md"));
    }

    /// Terraform that names a retired identity is DPV008's: HCL, variable files (also
    /// `*.auto.tfvars`) and their JSON forms are configuration.
    #[test]
    fn terraform_files_are_configuration() {
        for path in [
            "infra/main.tf",
            "infra/prod.tfvars",
            "infra/ci.auto.tfvars",
            "infra/terraform.tfvars.json",
            "infra/main.tf.json",
            "infra/MAIN.TF",
        ] {
            assert!(is_configuration(path), "{path}");
        }
        let set = ReferenceSet::new([
            "arn:aws:iam::1:role/ci-legacy".to_string(),
            "ci-legacy@p.iam.gserviceaccount.com".to_string(),
        ]);
        let system = SystemRef::new(SourceFamily::Git, "repo");
        let hcl = b"resource \"aws_iam_role_policy_attachment\" \"x\" {\n  role = \"arn:aws:iam::1:role/ci-legacy\"\n}\n";
        let found = set.scan(&system, "infra/main.tf", hcl);
        assert_eq!(found.len(), 1);
        assert_eq!(found[0].evidence.line, Some(2));
        let tfvars =
            b"# the deployer\nci_service_account = \"ci-legacy@p.iam.gserviceaccount.com\"\n";
        let found = set.scan(&system, "infra/prod.tfvars", tfvars);
        assert_eq!(
            found[0].carries,
            vec!["ci-legacy@p.iam.gserviceaccount.com"]
        );
        assert_eq!(found[0].evidence.line, Some(2));
    }
}
