//! GitHub REST JSON: organisation fine-grained personal access tokens, deploy keys and app
//! installations, as one page, several pages back to back (`gh api --paginate` prints `][`),
//! JSON lines (`--jq '.[]'`), or the `{"total_count", "installations"}` wrapper of the
//! organisation installations endpoint.
//!
//! Format decisions:
//! - Recognised by the keys of the first item: `owner` + `access_granted_at` (PAT grants),
//!   `key` + `read_only` or the older `id` + `key` + `title` (deploy keys, with `url` and
//!   `verified` but neither `read_only` nor `created_at`: their access is then read as write and
//!   their creation as unknown), `app_id` + `target_type`/`account`/`app_slug` (installations).
//! - The exports do not name the organisation (the PAT list, a bare installation array), so the
//!   whole family is one system, `github:github`.
//! - A GitHub account is `github:LOGIN`: the form to use as a register alias. A PAT's owner is an
//!   identity (a service when its type is `Bot`, else unknown: machine users are `User`s too).
//! - A fine-grained PAT is the credential `pat:TOKEN_ID` (`pat-grant:ID` without a token ID) held
//!   by its owner: created when the organisation granted it access; last use and expiry `null`
//!   mean never used and never expires (GitHub tracks both); an absent field is unknown.
//! - A deploy key is its own identity, `github:deploy-key:OWNER/REPO:ID` (the repository is read
//!   from `url`, `unknown-repo` without one), aliased by `sha256:HEX` of its public key blob, with
//!   the credential `deploy-key:OWNER/REPO:ID` and the grant `repo:OWNER/REPO (read|write)`. A
//!   disabled key (`enabled: false`) is an inactive credential of a disabled identity. Deploy keys
//!   do not expire.
//! - An app is the identity `github:app:SLUG` (`github:app:APP_ID` without a slug, which is then
//!   its alias otherwise); each installation is the credential `installation:ID` (no last-use
//!   data, no expiry, inactive while suspended) and the grant
//!   `installation ID on ACCOUNT (SELECTION): PERMISSION=LEVEL,…` listing write and admin
//!   permissions only (`read-only` when there are none).

mod model;
mod normalize;

pub use normalize::assemble;
pub(crate) use normalize::public_key_fingerprint;

use serde::de::DeserializeOwned;

use super::SourceError;
use crate::discover::probe::Probe;
use model::{DeployKey, Installation, InstallationPage, PatGrant};

crate::sources::formats! {
    pub enum Format {
        FineGrainedPats => "fine-grained-pats",
        DeployKeys => "deploy-keys",
        Installations => "app-installations",
    }
}

pub fn detect(probe: &Probe) -> Option<Format> {
    let shape = probe.content.json()?;
    if !shape.is_array && shape.has_all(&["total_count", "installations"]) {
        // An empty page has no item keys to check.
        let items = shape.nested.get("installations");
        return items
            .is_none_or(|keys| keys.contains("app_id"))
            .then_some(Format::Installations);
    }
    // The keys of an array's first item, of a lone item, or of the first JSON line.
    if shape.has_all(&["owner", "access_granted_at"]) {
        Some(Format::FineGrainedPats)
    } else if shape.has_all(&["key", "read_only"]) || shape.has_all(&["id", "key", "title"]) {
        // `id, key, url, title[, verified]` without `read_only` or `created_at`: the older list
        // shape (GitHub's v3 documentation until 2014, and the tools that copied it).
        Some(Format::DeployKeys)
    } else if shape.has("app_id")
        && ["target_type", "account", "app_slug"]
            .iter()
            .any(|k| shape.has(k))
    {
        Some(Format::Installations)
    } else {
        None
    }
}

/// One parsed GitHub file: every page's items.
#[derive(Debug, Clone)]
pub enum GithubFile {
    FineGrainedPats(Vec<PatGrant>),
    DeployKeys(Vec<DeployKey>),
    Installations {
        installations: Vec<Installation>,
        /// The wrapper's `total_count` (the largest, when several pages were saved together).
        total_count: Option<u64>,
    },
}

impl super::FamilyFile for GithubFile {
    fn record_count(&self) -> usize {
        match self {
            GithubFile::FineGrainedPats(grants) => grants.len(),
            GithubFile::DeployKeys(keys) => keys.len(),
            GithubFile::Installations { installations, .. } => installations.len(),
        }
    }

    /// Defects worth telling the user about; the file is still read.
    fn warnings(&self) -> Vec<String> {
        match self {
            GithubFile::Installations {
                installations,
                total_count: Some(total),
            } if (installations.len() as u64) < *total => vec![format!(
                "holds {} of {total} installations (total_count); include the other pages in the scan",
                installations.len()
            )],
            _ => Vec::new(),
        }
    }
}

pub fn parse(probe: &Probe, format: Format) -> Result<GithubFile, SourceError> {
    let bytes = super::whole(probe)?;
    let json = |e: serde_json::Error| SourceError::json(probe.input, bytes, format.name(), &e);
    Ok(match format {
        Format::FineGrainedPats => GithubFile::FineGrainedPats(items(bytes).map_err(json)?),
        Format::DeployKeys => GithubFile::DeployKeys(items(bytes).map_err(json)?),
        Format::Installations if probe.content.json().is_some_and(|s| s.has("installations")) => {
            let mut installations = Vec::new();
            let mut total_count = None;
            for page in serde_json::Deserializer::from_slice(without_bom(bytes))
                .into_iter::<InstallationPage>()
            {
                let page = page.map_err(json)?;
                total_count = total_count.max(page.total_count);
                installations.extend(page.installations);
            }
            GithubFile::Installations {
                installations,
                total_count,
            }
        }
        Format::Installations => GithubFile::Installations {
            installations: items(bytes).map_err(json)?,
            total_count: None,
        },
    })
}

/// The items of every JSON value in the file: arrays (one per page, back to back) or single
/// objects (one per line).
fn items<T: DeserializeOwned>(bytes: &[u8]) -> Result<Vec<T>, serde_json::Error> {
    let bytes = without_bom(bytes);
    let first = bytes.iter().copied().find(|b| !b.is_ascii_whitespace());
    let stream = serde_json::Deserializer::from_slice(bytes);
    if first == Some(b'[') {
        let mut all = Vec::new();
        for page in stream.into_iter::<Vec<T>>() {
            all.extend(page?);
        }
        Ok(all)
    } else {
        stream.into_iter::<T>().collect()
    }
}

/// serde_json rejects a UTF-8 byte order mark, which Windows tools write.
fn without_bom(bytes: &[u8]) -> &[u8] {
    bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes)
}

/// The GitHub family.
pub struct Github;

impl super::Family for Github {
    type Format = Format;
    type File = GithubFile;

    fn source(&self) -> crate::inventory::SourceFamily {
        crate::inventory::SourceFamily::Github
    }

    fn recognise(&self, probe: &Probe) -> Option<Format> {
        detect(probe)
    }

    fn parse(
        &self,
        probe: &Probe,
        format: Format,
        _context: &super::ParseContext,
    ) -> Result<GithubFile, SourceError> {
        parse(probe, format)
    }

    fn characteristic_keys(&self) -> &'static [(Format, &'static [&'static str])] {
        &[
            (
                Format::FineGrainedPats,
                &[
                    "owner",
                    "access_granted_at",
                    "token_id",
                    "token_expires_at",
                    "repository_selection",
                ],
            ),
            (
                Format::DeployKeys,
                &["key", "title", "read_only", "verified", "added_by"],
            ),
            (
                Format::Installations,
                &[
                    "app_id",
                    "app_slug",
                    "target_type",
                    "installations",
                    "permissions",
                ],
            ),
        ]
    }

    fn assemble(
        &self,
        files: Vec<(crate::discover::FileInput, GithubFile)>,
        assembly: &mut super::Assembly,
    ) -> Result<super::Contribution, super::family::AssembleError> {
        Ok(assemble(files, assembly).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::FileInput;
    use crate::sources::FamilyFile as _;

    /// Writes `text` to a file and hands its probe to `check`.
    fn with_probe<R>(text: &str, check: impl FnOnce(&Probe) -> R) -> R {
        let dir = tempfile::tempdir().unwrap();
        let input = FileInput {
            path: dir.path().join("export.json"),
            rel: "export.json".to_string(),
            size: text.len() as u64,
        };
        std::fs::write(&input.path, text).unwrap();
        check(&Probe::read(&input, 1 << 20).unwrap())
    }

    #[test]
    fn recognises_each_endpoint_and_wrapper() {
        let cases = [
            (
                r#"[{"id":1,"owner":{"login":"a"},"access_granted_at":"2026-01-01T00:00:00Z"}]"#,
                Some(Format::FineGrainedPats),
            ),
            (
                r#"[{"id":1,"key":"ssh-ed25519 AAAA","read_only":true}]"#,
                Some(Format::DeployKeys),
            ),
            (
                r#"[{"id":1,"app_id":2,"target_type":"Organization"}]"#,
                Some(Format::Installations),
            ),
            (
                r#"{"total_count":0,"installations":[]}"#,
                Some(Format::Installations),
            ),
            (
                "{\"id\":1,\"key\":\"k\",\"read_only\":false}\n{\"id\":2,\"key\":\"k\",\"read_only\":true}\n",
                Some(Format::DeployKeys),
            ),
            // The older list shape: no `read_only`, no `created_at` (issue 15).
            (
                r#"[{"id":1,"key":"ssh-rsa AAA...","url":"https://api.github.com/repos/octocat/Hello-World/keys/1","title":"octocat@octomac","verified":true}]"#,
                Some(Format::DeployKeys),
            ),
            (
                r#"[{"id":1,"key":"ssh-rsa AAA...","url":"https://api.github.com/user/keys/1","title":"octocat@octomac"}]"#,
                Some(Format::DeployKeys),
            ),
            (r#"[{"key":"ssh-rsa AAA...","title":"octocat@octomac"}]"#, None),
            (r#"{"total_count":1,"installations":[{"id":1}]}"#, None),
            (r#"[{"id":1,"key":"k"}]"#, None),
            ("[]", None),
        ];
        for (text, expected) in cases {
            assert_eq!(with_probe(text, detect), expected, "{text}");
        }
    }

    #[test]
    fn paginated_arrays_and_json_lines_are_read_whole() {
        let pages = "[{\"id\":1,\"key\":\"k\",\"read_only\":true}]\n[{\"id\":2,\"key\":\"k\",\"read_only\":false},{\"id\":3,\"key\":\"k\",\"read_only\":true}]\n[]";
        let file = with_probe(pages, |p| parse(p, Format::DeployKeys)).unwrap();
        assert_eq!(file.record_count(), 3);
        let lines = "\u{feff}{\"id\":1,\"key\":\"k\",\"read_only\":true}\n{\"id\":2,\"key\":\"k\",\"read_only\":true}\n";
        let file = with_probe(lines, |p| parse(p, Format::DeployKeys)).unwrap();
        assert_eq!(file.record_count(), 2);
    }

    #[test]
    fn wrapper_pages_report_missing_installations() {
        let text = r#"{"total_count":3,"installations":[{"id":1,"app_id":5}]}{"total_count":3,"installations":[{"id":2,"app_id":5}]}"#;
        let file = with_probe(text, |p| parse(p, Format::Installations)).unwrap();
        assert_eq!(file.record_count(), 2);
        assert_eq!(
            file.warnings(),
            vec!["holds 2 of 3 installations (total_count); include the other pages in the scan"]
        );
    }

    #[test]
    fn wrong_types_are_errors_with_a_line() {
        let text = "[\n{\"id\":1,\"key\":\"k\",\"read_only\":true},\n{\"id\":\"two\",\"key\":\"k\",\"read_only\":true}\n]";
        let err = with_probe(text, |p| parse(p, Format::DeployKeys)).unwrap_err();
        assert!(err.reason().contains("line 3"), "{}", err.reason());
    }
}
