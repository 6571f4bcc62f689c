//! `inventories:` in `.deprov.yaml`, as written (serde types) and as prepared once the config is
//! read: every problem of every mapping is collected with the line of its key before the scan
//! starts. What only the file can tell (its columns) is checked when the file is opened
//! (`read.rs`), and still points into the config.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use serde::Deserialize;

use super::path::JsonPath;
use crate::diagnostic::{Problem, Snippet, YamlPaths};
use crate::inventory::{CredentialKind, IdentityKind, SourceFamily, SystemRef};

/// One inventory file (or glob of files) and how its records map to deprov's model.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct InventorySpec {
    /// The file, or a glob (`exports/okta/*.json`), relative to the config file.
    pub path: String,
    /// The system name reports show (`salesforce:prod`).
    pub system: String,
    /// How to read the file; by default judged by its content, then its extension.
    #[serde(default)]
    pub format: Option<FileFormat>,
    /// JSON and YAML: where the records are (`$.items[*]`); by default the items of a top-level
    /// array, or the document itself.
    #[serde(default)]
    pub records: Option<String>,
    pub identity: IdentitySpec,
    #[serde(default)]
    pub credential: Option<CredentialSpec>,
    #[serde(default)]
    pub grants: Option<GrantsSpec>,
    /// Columns holding the identity's native IDs in other forms, for the join with the register.
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// How a mapped file is read.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum FileFormat {
    Csv,
    Json,
    #[serde(alias = "jsonl", alias = "ndjson")]
    JsonLines,
    #[serde(alias = "yml")]
    Yaml,
}

/// The identity each record describes.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IdentitySpec {
    /// The column of its ID in the system (an app name, a user name).
    pub id: String,
    /// What every identity of the file is.
    pub kind: MappedIdentityKind,
    /// The column of a display name.
    #[serde(default)]
    pub name: Option<String>,
    /// The column of the owner the system records (a person's email or a team).
    #[serde(default)]
    pub owner: Option<String>,
    /// The column of the account's status.
    #[serde(default)]
    pub status: Option<String>,
    /// Status values that mean the account is disabled.
    #[serde(default)]
    pub disabled_when: Vec<String>,
}

/// The identity kinds a mapping may declare.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum MappedIdentityKind {
    Service,
    Workload,
    Agent,
    Human,
}

impl From<MappedIdentityKind> for IdentityKind {
    fn from(kind: MappedIdentityKind) -> Self {
        match kind {
            MappedIdentityKind::Service => IdentityKind::Service,
            MappedIdentityKind::Workload => IdentityKind::Workload,
            MappedIdentityKind::Agent => IdentityKind::Agent,
            MappedIdentityKind::Human => IdentityKind::Human,
        }
    }
}

/// The credential each record holds, when it holds one.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CredentialSpec {
    /// The column of its native ID (never a secret: a key ID, a client ID, a token name).
    pub id: String,
    pub kind: MappedCredentialKind,
    /// The column of its status; by default the identity's `status` column.
    #[serde(default)]
    pub status: Option<String>,
    /// Status values that mean the credential can authenticate; without it, every credential
    /// listed is active.
    #[serde(default)]
    pub active_when: Vec<String>,
    #[serde(default)]
    pub created: Option<String>,
    /// An empty value means never used.
    #[serde(default)]
    pub last_used: Option<String>,
    /// An empty value means it never expires.
    #[serde(default)]
    pub expires: Option<String>,
    /// When its secret was last replaced; by default its creation.
    #[serde(default)]
    pub rotated: Option<String>,
}

/// The credential kinds a mapping may declare (`api-key`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum MappedCredentialKind {
    ApiKey,
    AccessKey,
    ClientSecret,
    ClientCertificate,
    Token,
    PersonalAccessToken,
    Password,
    Certificate,
    ServiceAccountKey,
    DeployKey,
    SecretId,
}

impl From<MappedCredentialKind> for CredentialKind {
    fn from(kind: MappedCredentialKind) -> Self {
        match kind {
            MappedCredentialKind::ApiKey => CredentialKind::ApiKey,
            MappedCredentialKind::AccessKey => CredentialKind::AccessKey,
            MappedCredentialKind::ClientSecret => CredentialKind::ClientSecret,
            MappedCredentialKind::ClientCertificate => CredentialKind::ClientCertificate,
            MappedCredentialKind::Token => CredentialKind::Token,
            MappedCredentialKind::PersonalAccessToken => CredentialKind::PersonalAccessToken,
            MappedCredentialKind::Password => CredentialKind::Password,
            MappedCredentialKind::Certificate => CredentialKind::Certificate,
            MappedCredentialKind::ServiceAccountKey => CredentialKind::ServiceAccountKey,
            MappedCredentialKind::DeployKey => CredentialKind::DeployKey,
            MappedCredentialKind::SecretId => CredentialKind::SecretId,
        }
    }
}

/// The privileges each record's identity holds.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct GrantsSpec {
    pub column: String,
    /// What separates several privileges in one value (`;`); JSON arrays need none.
    #[serde(default)]
    pub separator: Option<String>,
}

/// A field the mapping reads, in a fixed order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Field {
    IdentityId,
    Name,
    Owner,
    Status,
    CredentialId,
    CredentialStatus,
    Created,
    LastUsed,
    Expires,
    Rotated,
    Grants,
    Alias(usize),
}

impl Field {
    /// Where the field is in the config, below `inventories[N].`.
    pub fn config_key(self) -> String {
        match self {
            Field::IdentityId => "identity.id".into(),
            Field::Name => "identity.name".into(),
            Field::Owner => "identity.owner".into(),
            Field::Status => "identity.status".into(),
            Field::CredentialId => "credential.id".into(),
            Field::CredentialStatus => "credential.status".into(),
            Field::Created => "credential.created".into(),
            Field::LastUsed => "credential.last_used".into(),
            Field::Expires => "credential.expires".into(),
            Field::Rotated => "credential.rotated".into(),
            Field::Grants => "grants.column".into(),
            Field::Alias(i) => format!("aliases[{i}]"),
        }
    }

    /// Whether the field may hold several values (a JSON array, a separated list).
    pub fn is_list(self) -> bool {
        matches!(self, Field::Grants | Field::Alias(_))
    }
}

impl InventorySpec {
    /// Every field the mapping reads, with the column (or JSON path) it names.
    pub fn fields(&self) -> Vec<(Field, &str)> {
        let mut fields = vec![(Field::IdentityId, self.identity.id.as_str())];
        let optional = [
            (Field::Name, &self.identity.name),
            (Field::Owner, &self.identity.owner),
            (Field::Status, &self.identity.status),
        ];
        fields.extend(
            optional
                .into_iter()
                .filter_map(|(f, c)| c.as_deref().map(|c| (f, c))),
        );
        if let Some(credential) = &self.credential {
            fields.push((Field::CredentialId, credential.id.as_str()));
            let optional = [
                (Field::CredentialStatus, &credential.status),
                (Field::Created, &credential.created),
                (Field::LastUsed, &credential.last_used),
                (Field::Expires, &credential.expires),
                (Field::Rotated, &credential.rotated),
            ];
            fields.extend(
                optional
                    .into_iter()
                    .filter_map(|(f, c)| c.as_deref().map(|c| (f, c))),
            );
        }
        if let Some(grants) = &self.grants {
            fields.push((Field::Grants, grants.column.as_str()));
        }
        fields.extend(
            self.aliases
                .iter()
                .enumerate()
                .map(|(i, a)| (Field::Alias(i), a.as_str())),
        );
        fields
    }
}

/// One prepared mapping.
#[derive(Debug)]
pub struct Mapping {
    /// Its place in `inventories:` (0-based).
    pub index: usize,
    pub spec: InventorySpec,
    pub system: SystemRef,
    /// `records:`, parsed.
    pub records: Option<JsonPath>,
    /// The path as matched: relative to the config file's directory, or absolute.
    glob: globset::GlobMatcher,
}

impl Mapping {
    /// How the mapping is named in messages: `inventories[0] (salesforce:prod)`.
    pub fn label(&self) -> String {
        format!("inventories[{}] ({})", self.index, self.spec.system)
    }
}

/// Every mapping of the config, with what their diagnostics point into.
#[derive(Debug, Default)]
pub struct Inventories {
    mappings: Vec<Arc<Mapping>>,
    /// The config as diagnostics name it.
    config_path: String,
    config_text: String,
    spans: YamlPaths,
    /// The directory paths are relative to.
    base: PathBuf,
}

/// The code of every problem of a mapping.
pub const PROBLEM_CODE: &str = "deprov::config::inventory";

impl Inventories {
    /// Checks the mappings of a config read from `config_path` (`text`, for the lines), with
    /// paths relative to `base`. Every problem is returned at once.
    pub fn prepare(
        specs: &[InventorySpec],
        config_path: &str,
        text: &str,
        base: &Path,
    ) -> Result<Inventories, Vec<Problem>> {
        let mut inventories = Inventories {
            mappings: Vec::new(),
            config_path: config_path.to_string(),
            config_text: text.to_string(),
            spans: YamlPaths::index(text),
            base: base.to_path_buf(),
        };
        let mut problems = Vec::new();
        for (index, spec) in specs.iter().enumerate() {
            let at = |key: &str| format!("inventories[{index}].{key}");
            let mut problem = |key: &str, label: &str, message: String, help: Option<&str>| {
                problems.push(inventories.problem(&at(key), label, message, help));
            };
            let glob = match globset::GlobBuilder::new(&spec.path)
                .literal_separator(true)
                .build()
            {
                _ if spec.path.trim().is_empty() => {
                    problem("path", "empty", "the path is empty".into(), None);
                    None
                }
                Ok(glob) => Some(glob.compile_matcher()),
                Err(e) => {
                    problem(
                        "path",
                        "not a glob",
                        format!("`{}` is not a valid path glob: {}", spec.path, e.kind()),
                        Some("globs use `*`, `**`, `?`, `[...]` and `{a,b}`"),
                    );
                    None
                }
            };
            let system = spec.system.trim();
            if system.is_empty() || system.chars().any(|c| c.is_whitespace() || c.is_control()) {
                problem(
                    "system",
                    "system name",
                    "the system name must be one word (`salesforce:prod`)".into(),
                    None,
                );
            }
            let records = spec.records.as_deref().and_then(|records| {
                if spec.format == Some(FileFormat::Csv) {
                    problem(
                        "records",
                        "CSV",
                        "`records` locates records in JSON and YAML; a CSV file has one per row"
                            .into(),
                        Some("remove `records`, or set `format` to json, json-lines or yaml"),
                    );
                    return None;
                }
                match JsonPath::parse(records) {
                    Ok(path) => Some(path),
                    Err(e) => {
                        problem(
                            "records",
                            "not a path",
                            format!("`{records}` is not a JSON path deprov reads: {e}"),
                            Some(RECORDS_HELP),
                        );
                        None
                    }
                }
            });
            for (field, column) in spec.fields() {
                if column.trim().is_empty() {
                    problem(
                        &field.config_key(),
                        "empty",
                        "the column is empty".into(),
                        None,
                    );
                }
            }
            if !spec.identity.disabled_when.is_empty() && spec.identity.status.is_none() {
                problem(
                    "identity.disabled_when",
                    "no status column",
                    "`disabled_when` compares the status column, but `identity.status` names none"
                        .into(),
                    Some("add `status: \"COLUMN\"` to `identity`"),
                );
            }
            if let Some(credential) = &spec.credential {
                if !credential.active_when.is_empty()
                    && credential.status.is_none()
                    && spec.identity.status.is_none()
                {
                    problem(
                        "credential.active_when",
                        "no status column",
                        "`active_when` compares a status column, but neither `credential.status` nor `identity.status` names one".into(),
                        Some("add `status: \"COLUMN\"` to `credential` (or to `identity`)"),
                    );
                }
            }
            if spec
                .grants
                .as_ref()
                .and_then(|g| g.separator.as_deref())
                .is_some_and(str::is_empty)
            {
                problem(
                    "grants.separator",
                    "empty",
                    "the separator is empty".into(),
                    Some("write the text between privileges (`;`), or remove `separator`"),
                );
            }
            if let Some(glob) = glob {
                inventories.mappings.push(Arc::new(Mapping {
                    index,
                    spec: spec.clone(),
                    system: SystemRef::new(SourceFamily::Inventory, system),
                    records,
                    glob,
                }));
            }
        }
        if problems.is_empty() {
            Ok(inventories)
        } else {
            Err(problems)
        }
    }

    pub fn is_empty(&self) -> bool {
        self.mappings.is_empty()
    }

    pub fn mappings(&self) -> &[Arc<Mapping>] {
        &self.mappings
    }

    pub fn get(&self, index: usize) -> Option<&Arc<Mapping>> {
        self.mappings.iter().find(|m| m.index == index)
    }

    /// The directory the mappings' paths are relative to.
    pub fn base(&self) -> &Path {
        &self.base
    }

    pub fn config_path(&self) -> &str {
        &self.config_path
    }

    /// A problem at `key` of the config (`inventories[0].identity.owner`), underlining its
    /// value, or the nearest enclosing entry that is indexed.
    pub fn problem(&self, key: &str, label: &str, message: String, help: Option<&str>) -> Problem {
        let mut path = key;
        let (start, end) = loop {
            if let Some(range) = self.spans.value(path) {
                break range;
            }
            match path.rfind(['.', '[']) {
                Some(cut) => path = &path[..cut],
                None => break (0, 0),
            }
        };
        // A whole mapping or block is underlined at its first line only.
        let end = self.config_text[start..end]
            .find('\n')
            .map_or(end, |newline| start + newline);
        let snippet = Snippet::at_offset(
            &self.config_path,
            self.config_text.as_bytes(),
            start,
            end - start,
        );
        let line = crate::diagnostic::line_of_offset(self.config_text.as_bytes(), start);
        Problem::at(
            PROBLEM_CODE,
            snippet,
            label,
            format!("{key}: {message}"),
            help.map(str::to_string),
        )
        .on_line(line)
    }

    /// Whether `written` (a path relative to [`Inventories::base`], `/`-separated, or absolute)
    /// matches the mapping's path.
    pub(crate) fn matches(mapping: &Mapping, written: &str) -> bool {
        mapping.glob.is_match(written)
    }
}

/// What `records:` accepts.
pub const RECORDS_HELP: &str =
    "write `$` (the document), `$[*]` (the items of an array) or a member path such as `$.items[*]` or `$.data.users[*]`";

#[cfg(test)]
mod tests {
    use super::*;

    fn specs(yaml: &str) -> Vec<InventorySpec> {
        #[derive(Deserialize)]
        struct Wrapper {
            inventories: Vec<InventorySpec>,
        }
        serde_yaml::from_str::<Wrapper>(yaml).unwrap().inventories
    }

    #[test]
    fn every_problem_is_found_at_its_line() {
        let yaml = "inventories:\n  - path: \"a/[b.csv\"\n    system: sales force\n    format: csv\n    records: \"$.items[*]\"\n    identity: { id: \"\", kind: service, disabled_when: [Blocked] }\n    credential: { id: Key, kind: api-key, active_when: [Active] }\n    grants: { column: Perms, separator: \"\" }\n";
        let problems =
            Inventories::prepare(&specs(yaml), "deprov.yaml", yaml, Path::new(".")).unwrap_err();
        let lines: Vec<(Option<u32>, String)> = problems
            .iter()
            .map(|p| (p.line, p.message.clone()))
            .collect();
        let expect = [
            (
                2,
                "inventories[0].path: `a/[b.csv` is not a valid path glob",
            ),
            (3, "inventories[0].system:"),
            (5, "inventories[0].records: `records` locates records"),
            (6, "inventories[0].identity.id: the column is empty"),
            (6, "inventories[0].identity.disabled_when:"),
            (7, "inventories[0].credential.active_when:"),
            (8, "inventories[0].grants.separator: the separator is empty"),
        ];
        assert_eq!(lines.len(), expect.len(), "{lines:#?}");
        for ((line, message), (want_line, want)) in lines.iter().zip(expect) {
            assert_eq!(*line, Some(want_line), "{message}");
            assert!(message.starts_with(want), "{message} / {want}");
        }
    }

    #[test]
    fn a_good_mapping_is_prepared() {
        let yaml = "inventories:\n  - path: exports/*.csv\n    system: salesforce:prod\n    identity: { id: App Name, kind: service, status: Status, disabled_when: [Blocked] }\n    credential: { id: Consumer Key, kind: api-key, active_when: [Active] }\n";
        let inventories =
            Inventories::prepare(&specs(yaml), "deprov.yaml", yaml, Path::new(".")).unwrap();
        let mapping = &inventories.mappings()[0];
        assert_eq!(mapping.system.to_string(), "salesforce:prod");
        assert!(Inventories::matches(mapping, "exports/apps.csv"));
        assert!(!Inventories::matches(mapping, "exports/old/apps.csv"));
        let fields: Vec<Field> = mapping.spec.fields().into_iter().map(|(f, _)| f).collect();
        assert_eq!(
            fields,
            vec![Field::IdentityId, Field::Status, Field::CredentialId]
        );
    }
}
