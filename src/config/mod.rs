//! `.deprov.yaml`: thresholds, the failure threshold, per-rule switches and severity overrides,
//! suppressions, and what reports show of secrets. Read once, validated against the catalog, and
//! then fixed for the whole run.

mod suppression;

pub use suppression::{Suppression, SuppressionProblem, SuppressionReport};

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use miette::{Diagnostic, NamedSource, SourceSpan};
use serde::Deserialize;

use crate::catalog::Catalog;
use crate::diagnostic::{FileDiagnostic, FileKind, Snippet};
use crate::severity::{FailOn, Severity};

/// The file name looked up in the working directory when `--config` is not given.
pub const DEFAULT_CONFIG_FILE: &str = ".deprov.yaml";

/// Day thresholds the policies compare against (passed to Cedar as durations).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Thresholds {
    /// STL001: an active credential unused for longer than this. CIS AWS uses 45; 90 matches
    /// PCI DSS 8.2.6 and AWS Config's default.
    pub unused_days: u32,
    /// STL002: a never-used credential older than this.
    pub never_used_grace_days: u32,
    /// STL003: a rotatable credential not rotated for longer than this.
    pub rotation_days: u32,
    /// STL004: a credential lifetime longer than this (or none).
    pub max_lifetime_days: u32,
    /// STL004 for certificates: 398 days is the public CA limit.
    pub max_cert_lifetime_days: u32,
}

impl Default for Thresholds {
    fn default() -> Self {
        Thresholds {
            unused_days: 90,
            never_used_grace_days: 30,
            rotation_days: 90,
            max_lifetime_days: 365,
            max_cert_lifetime_days: 398,
        }
    }
}

/// A per-rule switch or severity override.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct RuleOverride {
    pub enabled: Option<bool>,
    pub severity: Option<Severity>,
}

/// Limits that keep a scan bounded on hostile input.
#[derive(Debug, Clone, Copy, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct Limits {
    /// Export files above this size are skipped (audit logs are streamed and exempt).
    pub max_file_size_mb: u64,
    /// Key-derivation iterations all PKCS#12 files of a scan may cost together; keystores past
    /// it are skipped (`sources::certs::pkcs12`).
    pub keystore_kdf_iterations: u64,
}

impl Default for Limits {
    fn default() -> Self {
        Limits {
            max_file_size_mb: 512,
            keystore_kdf_iterations: crate::sources::certs::KDF_BUDGET_PER_SCAN,
        }
    }
}

impl Limits {
    pub fn max_file_bytes(&self) -> u64 {
        self.max_file_size_mb.saturating_mul(1024 * 1024)
    }
}

/// A keystore's password, for PKCS#12 and Java keystores that need one. Prefer `password_env`:
/// the config file is often committed.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct KeystoreConfig {
    /// The keystore's path as reports show it (relative to the scanned root).
    pub path: String,
    pub password_env: Option<String>,
    pub password: Option<String>,
}

/// How repositories and plain files are scanned for secrets and references.
#[derive(Debug, Clone, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct RepositoryConfig {
    /// Walk git history (the `--no-history` flag turns it off).
    pub history: bool,
    /// Files and blobs above this size are skipped (and counted).
    pub max_blob_size_mb: u64,
    /// Paths (globs, relative to the scanned root) whose secrets and references are not reported.
    pub allow_paths: Vec<String>,
    /// Extra detector files (same shape as rules/secrets.yaml), relative to this config file.
    pub detectors: Vec<PathBuf>,
    /// Any text left unscanned (above the scan limits) fails the run with exit 2.
    pub fail_on_unscanned: bool,
}

impl Default for RepositoryConfig {
    fn default() -> Self {
        RepositoryConfig {
            history: true,
            max_blob_size_mb: 8,
            allow_paths: Vec::new(),
            detectors: Vec::new(),
            fail_on_unscanned: false,
        }
    }
}

/// What reports show of secrets (see `secrets::redact`).
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields, default)]
pub struct SecretsConfig {
    /// The environment variable holding the organisation's key for keyed digests
    /// (`hmac-sha256:…`) of withheld values: passwords and low-entropy secrets, whose plain
    /// digest would let a reader confirm guesses. The key itself never goes in this file, which
    /// is often committed.
    pub digest_key_env: Option<String>,
    /// Leave findings about secrets below this confidence out of `scan` reports and the exit
    /// code (`--min-confidence` overrides it).
    pub min_confidence: Option<crate::inventory::Confidence>,
}

/// The whole configuration file.
#[derive(Debug, Clone, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Config {
    pub fail_on: Option<FailOn>,
    /// A register file to read in addition to any found among the scanned paths.
    pub register: Option<PathBuf>,
    #[serde(default)]
    pub thresholds: Thresholds,
    #[serde(default)]
    pub rules: BTreeMap<String, RuleOverride>,
    #[serde(default)]
    pub limits: Limits,
    #[serde(default)]
    pub keystores: Vec<KeystoreConfig>,
    #[serde(default)]
    pub repositories: RepositoryConfig,
    #[serde(default)]
    pub secrets: SecretsConfig,
    /// Reviewed exceptions: rule, what they apply to, a mandatory reason and expiry.
    #[serde(default)]
    pub suppressions: Vec<Suppression>,
    /// Judge exports without a lifecycle register on purpose (`--without-register`).
    #[serde(default)]
    pub without_register: bool,
    /// Accept incomplete results (inputs that should have been read and were not): exit 0 or
    /// 1 by the findings instead of 2. The report still says the run is incomplete.
    #[serde(default)]
    pub allow_incomplete: bool,
    /// Whether `deprov:allow RULE reason` comments in scanned files are honoured (default yes).
    /// A central config can refuse them (`false`), so that only reviewed suppressions count.
    pub inline_allows: Option<bool>,
    /// Inventories read by mapping (CSV, JSON, YAML of systems deprov has no family for).
    #[serde(default)]
    pub inventories: Vec<crate::sources::mapped::InventorySpec>,
    /// Where the file was read from (for resolving relative paths and diagnostics).
    #[serde(skip)]
    pub path: Option<PathBuf>,
    /// The file's text, kept when it maps inventories (their diagnostics point into it).
    #[serde(skip)]
    text: Option<std::sync::Arc<str>>,
    /// `inventories`, checked by [`Config::validate`].
    #[serde(skip)]
    prepared_inventories: std::sync::Arc<crate::sources::mapped::Inventories>,
}

/// How the config is named in its diagnostics.
pub static CONFIG_FILE: FileKind = FileKind {
    what: "config",
    io_code: "deprov::config::io",
    unreadable: "cannot read config {path}: {message}",
    syntax_code: "deprov::config::syntax",
    invalid: "invalid config {path}: {message}",
    invalid_help: Some("see the README section on .deprov.yaml for the accepted keys"),
};

#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ConfigError {
    /// Not a regular file, unreadable, or not the YAML of a config.
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] FileDiagnostic),
    #[error("config {path} has {} invalid suppression(s): {}", problems.len(), problems.join("; "))]
    #[diagnostic(
        code(deprov::config::suppression),
        help("every suppression needs a rule, an identity, credential, path or fingerprint, a reason and an expiry date")
    )]
    Suppressions { path: String, problems: Vec<String> },
    #[error(
        "config {path}: repositories.allow_paths entry `{glob}` is not a valid glob: {message}"
    )]
    #[diagnostic(
        code(deprov::config::allow_path),
        help("globs use `*`, `**`, `?`, `[...]` and `{{a,b}}`, matched against paths as reports show them")
    )]
    AllowPath {
        path: String,
        glob: String,
        message: String,
    },
    #[error("config names the environment variable {var} for the password of keystore {keystore}, but it is not set")]
    #[diagnostic(code(deprov::config::keystore_password))]
    MissingPassword { var: String, keystore: String },
    #[error("config names the environment variable {var} for the secrets' digest key (secrets.digest_key_env), but it is not set")]
    #[diagnostic(
        code(deprov::config::digest_key_unset),
        help("export the key, for example `export {var}=$(openssl rand -hex 32)`, kept with the CI secrets; or remove secrets.digest_key_env to show withheld secrets without a digest")
    )]
    DigestKeyUnset { var: String },
    #[error("the secrets' digest key in {var} (secrets.digest_key_env) is too weak: {problem}")]
    #[diagnostic(
        code(deprov::config::digest_key_weak),
        help("use at least 32 random bytes, for example `openssl rand -hex 32`; a guessable key would let a reader of the reports confirm password guesses")
    )]
    DigestKeyWeak { var: String, problem: String },
    #[error("secrets.digest_key_env `{var}` is not an environment variable name")]
    #[diagnostic(
        code(deprov::config::digest_key_env),
        help("name the variable that holds the key (letters, digits and `_`), not the key itself")
    )]
    DigestKeyEnvName { var: String },
    #[error("config {path}: {} problem(s) in `inventories:`", problems.len())]
    #[diagnostic(
        code(deprov::config::inventories),
        help(
            "see the README section \"Any inventory, by mapping\" for the keys of `inventories:`"
        )
    )]
    Inventories {
        path: String,
        #[related]
        problems: Vec<crate::diagnostic::Problem>,
    },
    #[error("config {path} names rule {code}, which the catalog does not have")]
    #[diagnostic(
        code(deprov::config::unknown_rule),
        help("`deprov rules` lists the codes")
    )]
    UnknownRule {
        path: String,
        code: String,
        #[source_code]
        source_code: NamedSource<String>,
        #[label("unknown rule")]
        span: SourceSpan,
    },
}

impl Config {
    /// Reads `explicit` if given, else `.deprov.yaml` in the working directory if present.
    pub fn load(explicit: Option<&Path>) -> Result<Config, ConfigError> {
        let path = match explicit {
            Some(p) => p.to_path_buf(),
            None => {
                let default = PathBuf::from(DEFAULT_CONFIG_FILE);
                // Present but not a regular file (a FIFO) is refused when read, not ignored.
                if std::fs::metadata(&default).is_err() {
                    return Ok(Config::default());
                }
                default
            }
        };
        let text = crate::discover::regular::read_named_to_string(&path, &CONFIG_FILE)?;
        let mut config = Config::parse(&path.display().to_string(), &text)?;
        config.path = Some(path);
        Ok(config)
    }

    /// [`Config::load`] for a command that scans `scanned`: the working directory's
    /// `.deprov.yaml` is not read implicitly when it lies inside a scanned path (`cd repo &&
    /// deprov scan .`), since the scanned tree could then switch off rules, add suppressions or
    /// allow paths and hide its own findings. The second value is the warning to show; naming
    /// the file with `--config` reads it.
    pub fn load_for_scan(
        explicit: Option<&Path>,
        scanned: &[PathBuf],
    ) -> Result<(Config, Option<String>), ConfigError> {
        if explicit.is_none() {
            let default = Path::new(DEFAULT_CONFIG_FILE);
            if let Some(root) = scanned_root_holding(default, scanned) {
                return Ok((
                    Config::default(),
                    Some(format!(
                        "{DEFAULT_CONFIG_FILE} in the working directory lies inside the scanned path {}: not read, so that a scanned tree cannot configure its own scan (pass --config {DEFAULT_CONFIG_FILE} to use it)",
                        root.display()
                    )),
                ));
            }
        }
        Config::load(explicit).map(|config| (config, None))
    }

    pub fn parse(path: &str, text: &str) -> Result<Config, ConfigError> {
        if text.trim().is_empty() {
            return Ok(Config::default());
        }
        let mut config: Config = serde_yaml::from_str(text)
            .map_err(|e| ConfigError::File(FileDiagnostic::yaml(&CONFIG_FILE, path, text, &e)))?;
        if !config.inventories.is_empty() {
            config.text = Some(text.into());
        }
        Ok(config)
    }

    /// The config's inventory mappings, checked (by [`Config::validate`]).
    pub fn inventories(&self) -> std::sync::Arc<crate::sources::mapped::Inventories> {
        self.prepared_inventories.clone()
    }

    /// Checks `inventories:`; paths in it are relative to the config file's directory.
    fn prepare_inventories(&mut self) -> Result<(), ConfigError> {
        if self.inventories.is_empty() {
            return Ok(());
        }
        let path = self.display_path();
        let base = self
            .path
            .as_ref()
            .and_then(|p| p.parent())
            .map(Path::to_path_buf)
            .unwrap_or_default();
        let text = self.text.clone().unwrap_or_else(|| "".into());
        let prepared =
            crate::sources::mapped::Inventories::prepare(&self.inventories, &path, &text, &base)
                .map_err(|problems| ConfigError::Inventories {
                    path: path.clone(),
                    problems,
                })?;
        self.prepared_inventories = std::sync::Arc::new(prepared);
        Ok(())
    }

    /// The config's path as diagnostics show it.
    fn display_path(&self) -> String {
        self.path.as_ref().map_or_else(
            || DEFAULT_CONFIG_FILE.to_string(),
            |p| p.display().to_string(),
        )
    }

    /// Checks every rule code the config names against the catalog, and prepares the
    /// suppressions (every problem of every suppression is reported at once).
    pub fn validate(&mut self, catalog: &Catalog) -> Result<(), ConfigError> {
        let mut problems = Vec::new();
        for (index, suppression) in self.suppressions.iter_mut().enumerate() {
            problems.extend(suppression.prepare(index).into_iter().map(|p| p.message));
            if catalog.rule(&suppression.rule).is_none() {
                problems.push(format!(
                    "suppression {} names rule {}, which the catalog does not have",
                    index + 1,
                    suppression.rule
                ));
            }
        }
        self.prepare_inventories()?;
        if !problems.is_empty() {
            return Err(ConfigError::Suppressions {
                path: self.path.as_ref().map_or_else(
                    || DEFAULT_CONFIG_FILE.to_string(),
                    |p| p.display().to_string(),
                ),
                problems,
            });
        }
        for glob in &self.repositories.allow_paths {
            if let Err(e) = globset::Glob::new(glob) {
                return Err(ConfigError::AllowPath {
                    path: self.path.as_ref().map_or_else(
                        || DEFAULT_CONFIG_FILE.to_string(),
                        |p| p.display().to_string(),
                    ),
                    glob: glob.clone(),
                    message: e.kind().to_string(),
                });
            }
        }
        for code in self.rules.keys() {
            if catalog.rule(code).is_none() {
                let path = self.path.as_ref().map_or_else(
                    || DEFAULT_CONFIG_FILE.to_string(),
                    |p| p.display().to_string(),
                );
                let text = self
                    .path
                    .as_ref()
                    .and_then(|p| crate::discover::regular::read_to_string(p, "config").ok())
                    .unwrap_or_default();
                let offset = text.find(code.as_str()).unwrap_or(0);
                let snippet = Snippet::at_offset(&path, text.as_bytes(), offset, code.len());
                return Err(ConfigError::UnknownRule {
                    path,
                    code: code.clone(),
                    source_code: snippet.source,
                    span: snippet.span,
                });
            }
        }
        Ok(())
    }

    /// Keystore passwords by path, reading the environment variables the config names.
    pub fn keystore_passwords(
        &self,
    ) -> Result<std::collections::BTreeMap<String, String>, ConfigError> {
        let mut passwords = std::collections::BTreeMap::new();
        for keystore in &self.keystores {
            let password = match (&keystore.password_env, &keystore.password) {
                (Some(var), _) => std::env::var(var).map_err(|_| ConfigError::MissingPassword {
                    var: var.clone(),
                    keystore: keystore.path.clone(),
                })?,
                (None, Some(password)) => password.clone(),
                (None, None) => String::new(),
            };
            passwords.insert(keystore.path.clone(), password);
        }
        Ok(passwords)
    }

    /// The key for keyed digests of withheld secrets, from the environment variable
    /// `secrets.digest_key_env` names; none when the config names none. A named variable that
    /// is unset, empty or weak is an error: the run must not silently fall back to reports
    /// without the digests the organisation asked for (fingerprints would change too).
    pub fn digest_key(
        &self,
    ) -> Result<Option<crate::sources::exposure::secrets::DigestKey>, ConfigError> {
        let Some(var) = &self.secrets.digest_key_env else {
            return Ok(None);
        };
        // A name, not a value: a key pasted here by mistake must not be looked up (or shown).
        let is_name = !var.is_empty()
            && var.len() <= 128
            && var.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'_')
            && !var.as_bytes()[0].is_ascii_digit();
        if !is_name {
            return Err(ConfigError::DigestKeyEnvName {
                var: if var.len() > 24 || !var.is_ascii() {
                    "(not shown)".into()
                } else {
                    var.clone()
                },
            });
        }
        let value = std::env::var_os(var)
            .filter(|v| !v.is_empty())
            .ok_or_else(|| ConfigError::DigestKeyUnset { var: var.clone() })?;
        crate::sources::exposure::secrets::DigestKey::new(value.into_encoded_bytes())
            .map(Some)
            .map_err(|weak| ConfigError::DigestKeyWeak {
                var: var.clone(),
                problem: weak.to_string(),
            })
    }

    pub fn honours_inline_allows(&self) -> bool {
        self.inline_allows.unwrap_or(true)
    }

    /// Whether a rule runs: the config's switch, else the catalog's default.
    pub fn rule_enabled(&self, code: &str, catalog_default: bool) -> bool {
        self.rules
            .get(code)
            .and_then(|o| o.enabled)
            .unwrap_or(catalog_default)
    }

    pub fn severity_override(&self, code: &str) -> Option<Severity> {
        self.rules.get(code).and_then(|o| o.severity)
    }
}

/// The scanned path that holds `file`, if `file` exists and one does.
fn scanned_root_holding<'a>(file: &Path, scanned: &'a [PathBuf]) -> Option<&'a PathBuf> {
    // Whatever it is: a FIFO there is not read either.
    let file = file.canonicalize().ok()?;
    scanned.iter().find(|root| {
        root.canonicalize()
            .is_ok_and(|root| file == root || file.starts_with(&root))
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn reads_thresholds_and_overrides() {
        let config = Config::parse(
            "c.yaml",
            "fail_on: medium\nthresholds:\n  unused_days: 45\nrules:\n  INV001: {enabled: false}\n  STL003: {severity: high}\n",
        )
        .unwrap();
        assert_eq!(config.fail_on, Some(FailOn::Medium));
        assert_eq!(config.thresholds.unused_days, 45);
        assert_eq!(config.thresholds.rotation_days, 90);
        assert!(!config.rule_enabled("INV001", true));
        assert_eq!(config.severity_override("STL003"), Some(Severity::High));
    }

    #[test]
    fn unknown_keys_are_errors_with_a_location() {
        let err = Config::parse("c.yaml", "thresholds:\n  unsued_days: 45\n").unwrap_err();
        match err {
            ConfigError::File(FileDiagnostic::Syntax { message, span, .. }) => {
                assert!(message.contains("unsued_days"), "{message}");
                assert!(span.offset() > 0);
            }
            other => panic!("{other:?}"),
        }
    }
}
