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
