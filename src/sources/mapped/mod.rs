//! Any inventory, by mapping: a CSV, JSON (a document or JSON lines) or YAML file that
//! `inventories:` in the config names, read into identities, credentials and grants by the
//! columns (or JSON paths) its mapping gives. The SaaS integrations, ticketing and CMDB exports
//! deprov has no family for come in this way, and are judged like every other export.
//!
//! Format decisions:
//! - A mapped file is named by the config, never recognised by content ([`Mapped`] recognises
//!   nothing): the scan resolves each mapping's path (a glob, relative to the config file) and
//!   reads the files it matches with it, and no other family reads them. Its format is the
//!   mapping's `format:`, else what its content is, else its extension.
//! - Each record is an account of the identity `SYSTEM:ID` (the mapping's system and the ID
//!   column), aliased by the alias columns; its credential (`credential.id`) and its grants.
//!   Records of the same identity or credential are one record, their states weighed like any
//!   family's (`sources::reconcile`).
//! - A column or field the file does not have is a problem of the mapping: the scan stops with
//!   every such problem, each pointing at its key in the config and naming what the file has.
//!   A file that cannot be read (broken, empty, too large) is an export that could not be read:
//!   the run is incomplete. A mapping whose path matches no file is too.
//! - Dates are read as every family reads them; an empty `last_used` means never used and an
//!   empty `expires` never expires (the system tracks both), an unmapped one says nothing.

mod model;
mod normalize;
pub mod path;
mod read;
pub mod spec;

pub use model::{MappedFile, Row};
pub use normalize::{assemble, identity_id};
pub use spec::{Inventories, InventorySpec, Mapping};

use std::path::Path;

use super::SourceError;
use crate::discover::probe::{Content, Probe};
use crate::discover::FileInput;
use spec::FileFormat;

crate::sources::formats! {
    pub enum Format {
        Csv => "csv",
        Json => "json",
        JsonLines => "json-lines",
        Yaml => "yaml",
    }
}

impl From<FileFormat> for Format {
    fn from(format: FileFormat) -> Self {
        match format {
            FileFormat::Csv => Format::Csv,
            FileFormat::Json => Format::Json,
            FileFormat::JsonLines => Format::JsonLines,
            FileFormat::Yaml => Format::Yaml,
        }
    }
}

/// How a file named by `mapping` is read: the mapping's `format:`, else its content, else its
/// extension; `None` when nothing tells.
pub fn format_of(probe: &Probe, mapping: &Mapping) -> Option<Format> {
    if let Some(format) = mapping.spec.format {
        return Some(format.into());
    }
    match &probe.content {
        Content::Json(_) | Content::BrokenJson { .. } => return Some(Format::Json),
        Content::JsonLines(_) => return Some(Format::JsonLines),
        _ => {}
    }
    let extension = probe
        .input
        .path
        .extension()
        .and_then(|e| e.to_str())
        .map(str::to_ascii_lowercase);
    match extension.as_deref() {
        Some("csv") => return Some(Format::Csv),
        Some("json") => return Some(Format::Json),
        Some("jsonl" | "ndjson") => return Some(Format::JsonLines),
        Some("yaml" | "yml") => return Some(Format::Yaml),
        _ => {}
    }
    match &probe.content {
        Content::Csv { .. } => Some(Format::Csv),
        Content::Yaml { .. } => Some(Format::Yaml),
        _ => None,
    }
}

/// A file a mapping names.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct NamedFile {
    /// The mapping's index in `inventories:`.
    pub mapping: usize,
    /// The file; `rel` is its path as the mapping's path writes it (relative to the config).
    pub input: FileInput,
}

/// What the mappings' paths name.
#[derive(Debug, Default)]
pub struct Resolved {
    pub files: Vec<NamedFile>,
    /// Paths that name nothing readable, and why: inputs that should have been read.
    pub gaps: Vec<(String, String)>,
}

/// Characters that make a path component a glob.
const GLOB_CHARS: [char; 4] = ['*', '?', '[', '{'];

/// Finds the files every mapping's path names, in path order per mapping.
pub fn resolve(inventories: &Inventories) -> Resolved {
    let mut resolved = Resolved::default();
    for mapping in inventories.mappings() {
        let written = mapping.spec.path.trim();
        let components: Vec<&str> = written.split('/').collect();
        let literal = components
            .iter()
            .position(|c| c.contains(GLOB_CHARS))
            .unwrap_or(components.len());
        let prefix = components[..literal].join("/");
        let is_glob = literal < components.len();
        let root = if Path::new(written).is_absolute() {
            Path::new(if prefix.is_empty() { "/" } else { &prefix }).to_path_buf()
        } else if prefix.is_empty() {
            inventories.base().to_path_buf()
        } else {
            inventories.base().join(&prefix)
        };
        let label = mapping.label();
        if !is_glob && root.is_dir() {
            resolved.gaps.push((
                written.to_string(),
                format!("{label}: is a directory; name its files or a glob (`{written}/*.csv`)"),
            ));
            continue;
        }
        let found = match crate::discover::discover(std::slice::from_ref(&root)) {
            Ok(found) => found,
            Err(e) => {
                resolved.gaps.push((
                    written.to_string(),
                    format!("{label}: no file matches: {}", e.message),
                ));
                continue;
            }
        };
        let written_rel = |rel: &str| {
            if !is_glob {
                written.to_string()
            } else if prefix.is_empty() {
                rel.to_string()
            } else {
                format!("{prefix}/{rel}")
            }
        };
        let before = resolved.files.len();
        for file in found.files {
            let rel = written_rel(&file.rel);
            if !is_glob || Inventories::matches(mapping, &rel) {
                resolved.files.push(NamedFile {
                    mapping: mapping.index,
                    input: FileInput { rel, ..file },
                });
            }
        }
        for excluded in found.excluded {
            let rel = written_rel(&excluded.path);
            if excluded.could_be_data && (!is_glob || Inventories::matches(mapping, &rel)) {
                resolved
                    .gaps
                    .push((rel, format!("{label}: {}", excluded.reason)));
            }
        }
        if resolved.files.len() == before && !resolved.gaps.iter().any(|(p, _)| p == written) {
            resolved
                .gaps
                .push((written.to_string(), format!("{label}: no file matches")));
        }
    }
    resolved
}

/// The family of mapped inventories.
pub struct Mapped;

impl super::Family for Mapped {
    type Format = Format;
    type File = MappedFile;

    fn source(&self) -> crate::inventory::SourceFamily {
        crate::inventory::SourceFamily::Inventory
    }

    /// Mapped files are named by the config, never recognised by their content.
    fn recognise(&self, _probe: &Probe) -> Option<Format> {
        None
    }

    fn parse(
        &self,
        probe: &Probe,
        format: Format,
        context: &super::ParseContext,
    ) -> Result<MappedFile, SourceError> {
        let mapping = context
            .mapping
            .and_then(|index| context.inventories.get(index))
            .ok_or_else(|| {
                SourceError::io(
                    probe.input.rel.clone(),
                    "no mapping of the config's `inventories:` names this file",
                )
            })?;
        read::read(probe, format, mapping, &context.inventories)
    }

    fn assemble(
        &self,
        files: Vec<(FileInput, MappedFile)>,
        assembly: &mut super::Assembly,
    ) -> Result<super::Contribution, super::family::AssembleError> {
        Ok(assemble(files, assembly).into())
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{AccountState, CredentialStatus, Expiry, LastUse};
    use crate::sources::{Assembly, FamilyFile as _};

    /// The mappings of a config text, checked.
    fn inventories(config: &str) -> Inventories {
        #[derive(serde::Deserialize)]
        struct Wrapper {
            inventories: Vec<InventorySpec>,
        }
        let specs = serde_yaml::from_str::<Wrapper>(config).unwrap().inventories;
        Inventories::prepare(&specs, "deprov.yaml", config, Path::new(".")).unwrap()
    }

    /// Reads `content` (a file named `name`) with the first mapping of `config`.
    fn read_with(config: &str, name: &str, content: &str) -> Result<MappedFile, SourceError> {
        let inventories = inventories(config);
        let dir = tempfile::tempdir().unwrap();
        let input = FileInput {
            path: dir.path().join(name),
            rel: name.to_string(),
            size: content.len() as u64,
        };
        std::fs::write(&input.path, content).unwrap();
        let probe = Probe::read(&input, 1 << 26).unwrap();
        let mapping = &inventories.mappings()[0];
        let format = format_of(&probe, mapping).expect("a format");
        read::read(&probe, format, mapping, &inventories)
    }

    fn assembled(file: MappedFile) -> (crate::inventory::Records, Vec<(String, String)>) {
        let input = FileInput {
            path: "f".into(),
            rel: "f".into(),
            size: 0,
        };
        Assembly::alone(assemble, vec![(input, file)])
    }

    #[test]
    fn csv_columns_match_in_any_case_and_grants_split() {
        let config = "inventories:\n  - path: a.csv\n    system: s\n    identity: { id: name, kind: agent, status: state, disabled_when: [off] }\n    grants: { column: Roles, separator: \"|\" }\n";
        let file = read_with(
            config,
            "a.csv",
            "Name;STATE;roles\nbot;on;a| b |\nold;OFF;c\n",
        )
        .unwrap();
        assert_eq!(file.format, Format::Csv);
        assert_eq!(file.record_count(), 2);
        assert_eq!(file.rows[0].grants, vec!["a", "b"]);
        assert_eq!(file.rows[1].line, Some(3));
        let (records, _) = assembled(file);
        let states: Vec<(&str, AccountState)> = records
            .identities
            .iter()
            .map(|i| (i.native_id.as_str(), i.state))
            .collect();
        assert_eq!(
            states,
            vec![
                ("s:bot", AccountState::Enabled),
                ("s:old", AccountState::Disabled)
            ]
        );
        assert_eq!(records.grants.len(), 3);
    }

    #[test]
    fn empty_use_and_expiry_columns_mean_never_and_unmapped_ones_unknown() {
        let config = "inventories:\n  - path: a.csv\n    system: s\n    identity: { id: app, kind: service }\n    credential: { id: key, kind: api-key, created: made, last_used: used, expires: until, status: st, active_when: [yes] }\n  - path: b.csv\n    system: s\n    identity: { id: app, kind: service }\n    credential: { id: key, kind: token }\n";
        let text = "app,key,made,used,until,st\na,k1,2026-01-01,,,yes\na,k2,2026-01-01,never,2027-01-01,no\na,k3,2026-01-01,not a date,,\n";
        let (records, warnings) = assembled(read_with(config, "a.csv", text).unwrap());
        let by_id = |id: &str| records.credentials.iter().find(|c| c.id == id).unwrap();
        assert_eq!(by_id("k1").last_used, LastUse::Never);
        assert_eq!(by_id("k1").expires, Expiry::Never);
        assert_eq!(by_id("k1").status, CredentialStatus::Active);
        assert_eq!(by_id("k1").last_rotated, by_id("k1").created);
        assert_eq!(by_id("k2").last_used, LastUse::Never);
        assert!(matches!(by_id("k2").expires, Expiry::At(_)));
        assert_eq!(by_id("k2").status, CredentialStatus::Inactive);
        assert_eq!(by_id("k3").last_used, LastUse::Unknown);
        assert_eq!(by_id("k3").status, CredentialStatus::Active);
        assert!(warnings
            .iter()
            .any(|(_, w)| w.contains("line 4: credential k3 last used")));
        assert!(warnings
            .iter()
            .any(|(_, w)| w.contains("status: empty; taken as active")));
        // One identity for three rows.
        assert_eq!(records.identities.len(), 1);

        let unmapped = "inventories:\n  - path: b.csv\n    system: s\n    identity: { id: app, kind: service }\n    credential: { id: key, kind: token }\n";
        let (records, _) = assembled(read_with(unmapped, "b.csv", "app,key\na,k\n").unwrap());
        assert_eq!(records.credentials[0].last_used, LastUse::Unknown);
        assert_eq!(records.credentials[0].expires, Expiry::NotApplicable);
    }

    #[test]
    fn json_roots_records_paths_and_nested_fields() {
        let config = "inventories:\n  - path: a.json\n    system: s\n    identity: { id: \"$.user.name\", kind: service }\n    grants: { column: \"roles[*].name\" }\n    aliases: [ids]\n";
        let text = r#"[{"user":{"name":"a"},"roles":[{"name":"r1"},{"name":"r2"}],"ids":["x",7]},{"user":{"name":"b"}},3]"#;
        let file = read_with(config, "a.json", text).unwrap();
        assert_eq!(file.record_count(), 2);
        assert_eq!(file.rows[0].grants, vec!["r1", "r2"]);
        assert_eq!(file.rows[0].aliases, vec!["x", "7"]);
        assert!(file
            .warnings
            .iter()
            .any(|w| w.contains("1 selected value(s) are not records")));

        let wrapped = "inventories:\n  - path: a.json\n    system: s\n    records: \"$.data.items[*]\"\n    identity: { id: id, kind: service }\n";
        let empty = read_with(wrapped, "a.json", r#"{"data":{"items":[]}}"#).unwrap();
        assert_eq!(empty.record_count(), 0);
        assert_eq!(empty.warnings, vec!["no records"]);
        let Err(SourceError::Mapping { problems, .. }) =
            read_with(wrapped, "a.json", r#"{"data":{"users":[{"id":1}]}}"#)
        else {
            panic!("a records path that selects nothing is a problem");
        };
        assert!(problems[0]
            .message
            .contains("its top-level keys are `data`"));
    }

    #[test]
    fn json_lines_keep_their_line_and_broken_lines_fail_the_file() {
        let config = "inventories:\n  - path: a.jsonl\n    system: s\n    identity: { id: id, kind: service }\n";
        let file = read_with(config, "a.jsonl", "{\"id\":\"a\"}\n\n{\"id\":\"b\"}\n").unwrap();
        assert_eq!(file.format, Format::JsonLines);
        assert_eq!(file.rows[1].line, Some(3));
        let err = read_with(
            config,
            "a.jsonl",
            "{\"id\":\"a\"}\n{\"id\":\"b\"}\n{\"id\":\n",
        )
        .unwrap_err();
        assert!(
            err.reason().contains("line 3: invalid JSON"),
            "{}",
            err.reason()
        );
    }

    #[test]
    fn yaml_anchors_empty_files_and_bad_paths_are_refused() {
        let config = "inventories:\n  - path: a.yaml\n    system: s\n    identity: { id: name, kind: service }\n";
        let err = read_with(config, "a.yaml", "- &x {name: a}\n- *x\n").unwrap_err();
        assert!(
            err.reason().contains("anchors and aliases"),
            "{}",
            err.reason()
        );
        let err = read_with(config, "a.yaml", "\n").unwrap_err();
        assert!(
            err.reason().contains("the file is empty"),
            "{}",
            err.reason()
        );
        let csv = "inventories:\n  - path: a.csv\n    system: s\n    identity: { id: name, kind: service }\n";
        let binary = "\u{0}\u{1}\u{2}\u{3}\u{4}\u{5}\u{6}\u{7}\u{0}\u{0}\u{0}\u{0}\u{0}\u{0}";
        let err = read_with(csv, "a.csv", binary).unwrap_err();
        assert!(err.reason().contains("binary content"), "{}", err.reason());
        let bad = "inventories:\n  - path: a.json\n    system: s\n    identity: { id: \"$..name\", kind: service }\n";
        let Err(SourceError::Mapping { problems, .. }) = read_with(bad, "a.json", "[{\"name\":1}]")
        else {
            panic!("a path deprov does not read is a problem");
        };
        assert!(problems[0].message.contains("recursive descent"));
        assert_eq!(problems[0].line, Some(4));
    }

    #[test]
    fn resolve_lists_matches_and_gaps() {
        let dir = tempfile::tempdir().unwrap();
        std::fs::create_dir_all(dir.path().join("ex/sub")).unwrap();
        std::fs::write(dir.path().join("ex/a.csv"), "x\n").unwrap();
        std::fs::write(dir.path().join("ex/b.txt"), "x\n").unwrap();
        std::fs::write(dir.path().join("ex/sub/c.csv"), "x\n").unwrap();
        let config = "inventories:\n  - path: ex/*.csv\n    system: s\n    identity: { id: n, kind: service }\n  - path: ex/**/*.csv\n    system: t\n    identity: { id: n, kind: service }\n  - path: gone.csv\n    system: u\n    identity: { id: n, kind: service }\n  - path: ex\n    system: v\n    identity: { id: n, kind: service }\n";
        #[derive(serde::Deserialize)]
        struct Wrapper {
            inventories: Vec<InventorySpec>,
        }
        let specs = serde_yaml::from_str::<Wrapper>(config).unwrap().inventories;
        let inventories = Inventories::prepare(&specs, "c", config, dir.path()).unwrap();
        let resolved = resolve(&inventories);
        let files: Vec<(usize, &str)> = resolved
            .files
            .iter()
            .map(|f| (f.mapping, f.input.rel.as_str()))
            .collect();
        assert_eq!(
            files,
            vec![(0, "ex/a.csv"), (1, "ex/a.csv"), (1, "ex/sub/c.csv")]
        );
        let gaps: Vec<&str> = resolved.gaps.iter().map(|(p, _)| p.as_str()).collect();
        assert_eq!(gaps, vec!["gone.csv", "ex"]);
        assert!(resolved.gaps[1].1.contains("is a directory"));
    }

    /// Rows of one identity with an alias each are joined in linear time (a search of the
    /// identity's alias list per row made 100,000 rows quadratic). The timeout is a hang guard.
    #[test]
    fn many_rows_of_one_identity_are_joined_in_linear_time() {
        let config = "inventories:\n  - path: a.csv\n    system: s\n    identity: { id: app, kind: service }\n    credential: { id: key, kind: token }\n    aliases: [alias]\n";
        let mut text = String::from("app,key,alias\n");
        for i in 0..100_000 {
            text.push_str(&format!("one,k{i},a{i}\n"));
        }
        let file = read_with(config, "a.csv", &text).unwrap();
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let (records, _) = assembled(file);
            let _ = sender.send((
                records.identities[0].aliases.len(),
                records.credentials.len(),
            ));
        });
        let (aliases, credentials) = receiver
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("joining 100,000 rows did not finish");
        assert_eq!((aliases, credentials), (100_000, 100_000));
    }
}
