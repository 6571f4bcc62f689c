//! Source families: each recognises its exports by content and turns them into inventory
//! records, and nothing else. Parsing is per file (in parallel); `assemble` then joins what a
//! family needs to join across files (AWS key IDs to credential-report slots, …).

pub mod aws;
pub mod azure;
pub mod certs;
pub mod gcp;
pub mod git;
pub mod github;
pub mod kubernetes;
pub mod register;
pub mod vault;

use miette::{Diagnostic, NamedSource, SourceSpan};
use rayon::prelude::*;
use serde::{Deserialize, Serialize};

use crate::diagnostic::Snippet;
use crate::discover::probe::{Content, Probe};
use crate::discover::FileInput;
use crate::inventory::{Records, Register, SourceFamily};

/// The format a file was recognised as.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Detected {
    Register(register::Format),
    Aws(aws::Format),
    Gcp(gcp::Format),
    Azure(azure::Format),
    Kubernetes(kubernetes::Format),
    Github(github::Format),
    Vault(vault::Format),
    Certs(certs::Format),
}

impl Detected {
    pub fn family(self) -> SourceFamily {
        match self {
            Detected::Register(_) => SourceFamily::Register,
            Detected::Aws(_) => SourceFamily::Aws,
            Detected::Gcp(_) => SourceFamily::Gcp,
            Detected::Azure(_) => SourceFamily::Azure,
            Detected::Kubernetes(_) => SourceFamily::Kubernetes,
            Detected::Github(_) => SourceFamily::Github,
            Detected::Vault(_) => SourceFamily::Vault,
            Detected::Certs(_) => SourceFamily::Certs,
        }
    }

    /// `family/format`, as reports show it.
    pub fn name(self) -> String {
        let format = match self {
            Detected::Register(f) => f.name(),
            Detected::Aws(f) => f.name(),
            Detected::Gcp(f) => f.name(),
            Detected::Azure(f) => f.name(),
            Detected::Kubernetes(f) => f.name(),
            Detected::Github(f) => f.name(),
            Detected::Vault(f) => f.name(),
            Detected::Certs(f) => f.name(),
        };
        format!("{}/{}", self.family(), format)
    }
}

/// Recognises a file by content. The register is tried first: it is the source of truth.
pub fn detect(probe: &Probe) -> Option<Detected> {
    register::detect(probe)
        .map(Detected::Register)
        .or_else(|| aws::detect(probe).map(Detected::Aws))
        .or_else(|| gcp::detect(probe).map(Detected::Gcp))
        .or_else(|| azure::detect(probe).map(Detected::Azure))
        .or_else(|| kubernetes::detect(probe).map(Detected::Kubernetes))
        .or_else(|| github::detect(probe).map(Detected::Github))
        .or_else(|| vault::detect(probe).map(Detected::Vault))
        .or_else(|| certs::detect(probe).map(Detected::Certs))
}

/// A parsed file, before the family joins it with the others.
#[derive(Debug)]
pub enum Parsed {
    Register(Register),
    Aws(aws::AwsFile),
    Gcp(gcp::GcpFile),
    Azure(azure::AzureFile),
    Kubernetes(kubernetes::KubernetesFile),
    Github(github::GithubFile),
    Vault(vault::VaultFile),
    Certs(certs::CertsFile),
}

/// One file's parse result.
#[derive(Debug)]
pub struct ParsedFile {
    pub input: FileInput,
    pub format: Detected,
    pub parsed: Parsed,
    /// Identities, credentials, grants and uses the file contributed.
    pub records: usize,
    pub warnings: Vec<String>,
}

/// A file that was read, as the `sources` section of the report lists it.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SourceSummary {
    pub path: String,
    pub format: String,
    pub records: usize,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub warnings: Vec<String>,
    /// What was read, when it says more than a record count (a repository's commits and bytes).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
}

/// Why a recognised file could not be read.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum SourceError {
    #[error("cannot read {path}: {message}")]
    #[diagnostic(code(deprov::input::io))]
    Io { path: String, message: String },
    #[error("{path}: invalid {format}: {message}")]
    #[diagnostic(
        code(deprov::input::syntax),
        help("the file looks like {format} but does not parse; re-export it or remove it from the scan")
    )]
    Syntax {
        path: String,
        format: String,
        message: String,
        #[source_code]
        source_code: NamedSource<String>,
        #[label("here")]
        span: SourceSpan,
    },
    #[error("{path}: {message}")]
    #[diagnostic(code(deprov::input::content))]
    Content {
        path: String,
        message: String,
        #[source_code]
        source_code: NamedSource<String>,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    },
    #[error("{path}: the register has {} problem(s)", problems.len())]
    #[diagnostic(
        code(deprov::register::invalid),
        help("the register is the source of truth: deprov does not judge against a register it cannot read")
    )]
    Register {
        path: String,
        #[related]
        problems: Vec<register::RegisterProblem>,
    },
}

impl SourceError {
    /// One line for the `skipped` list.
    pub fn reason(&self) -> String {
        match self {
            SourceError::Syntax {
                format, message, ..
            } => format!("invalid {format}: {message}"),
            SourceError::Register { problems, .. } => problems
                .iter()
                .map(|p| p.to_string())
                .collect::<Vec<_>>()
                .join("; "),
            SourceError::Io { message, .. } => format!("cannot read: {message}"),
            SourceError::Content { message, .. } => message.clone(),
        }
    }

    /// A syntax error from serde_json, pointing at its line and column.
    pub fn json(input: &FileInput, bytes: &[u8], format: &str, err: &serde_json::Error) -> Self {
        let snippet = Snippet::at_line_column(&input.rel, bytes, err.line(), err.column());
        SourceError::Syntax {
            path: input.rel.clone(),
            format: format.to_string(),
            message: err.to_string(),
            source_code: snippet.source,
            span: snippet.span,
        }
    }

    /// A content error at a byte offset (`None`: the whole file).
    pub fn content(
        input: &FileInput,
        bytes: &[u8],
        offset: Option<usize>,
        message: String,
        label: &str,
    ) -> Self {
        let snippet = match offset {
            Some(o) => Snippet::at_offset(&input.rel, bytes, o, 1),
            None => Snippet::none(&input.rel),
        };
        SourceError::Content {
            path: input.rel.clone(),
            message,
            source_code: snippet.source,
            span: snippet.span,
            label: label.to_string(),
            help: None,
        }
    }
}

/// The whole file, or an error saying why it was not read whole.
pub fn whole<'p>(probe: &'p Probe) -> Result<&'p [u8], SourceError> {
    probe.bytes().ok_or_else(|| SourceError::Io {
        path: probe.input.rel.clone(),
        message: format!(
            "file of {} bytes is above the size limit (limits.max_file_size_mb)",
            probe.input.size
        ),
    })
}

/// A parsed file, its record count and its warnings.
struct FileParse(Parsed, usize, Vec<String>);

impl From<(usize, Vec<String>, Parsed)> for FileParse {
    fn from((count, warnings, parsed): (usize, Vec<String>, Parsed)) -> Self {
        FileParse(parsed, count, warnings)
    }
}

/// Settings some families need while parsing, resolved once from the config.
#[derive(Debug, Clone, Default)]
pub struct SourceOptions {
    pub keystore_passwords: certs::KeystorePasswords,
}

/// Parses a recognised file.
pub fn parse(
    probe: &Probe,
    format: Detected,
    options: &SourceOptions,
) -> Result<ParsedFile, SourceError> {
    let FileParse(parsed, records, warnings) = match format {
        Detected::Register(f) => {
            let (register, warnings) = register::parse(probe, f)?;
            let count = register.identities.len() + register.owners.len();
            FileParse(Parsed::Register(register), count, warnings)
        }
        Detected::Aws(f) => {
            let file = aws::parse(probe, f)?;
            (file.record_count(), file.warnings(), Parsed::Aws(file)).into()
        }
        Detected::Gcp(f) => {
            let file = gcp::parse(probe, f)?;
            (file.record_count(), file.warnings(), Parsed::Gcp(file)).into()
        }
        Detected::Azure(f) => {
            let file = azure::parse(probe, f)?;
            (file.record_count(), file.warnings(), Parsed::Azure(file)).into()
        }
        Detected::Kubernetes(f) => {
            let file = kubernetes::parse(probe, f)?;
            (
                file.record_count(),
                file.warnings(),
                Parsed::Kubernetes(file),
            )
                .into()
        }
        Detected::Github(f) => {
            let file = github::parse(probe, f)?;
            (file.record_count(), file.warnings(), Parsed::Github(file)).into()
        }
        Detected::Vault(f) => {
            let file = vault::parse(probe, f)?;
            (file.record_count(), file.warnings(), Parsed::Vault(file)).into()
        }
        Detected::Certs(f) => {
            let file = certs::parse(probe, f, &options.keystore_passwords)?;
            let count = file.certificates.len() + file.crls.len();
            (count, file.warnings.clone(), Parsed::Certs(file)).into()
        }
    };
    Ok(ParsedFile {
        input: probe.input.clone(),
        format,
        parsed,
        records,
        warnings,
    })
}

/// Everything the families produced once joined.
#[derive(Debug, Default)]
pub struct Assembled {
    pub records: Records,
    pub register: Register,
    pub sources: Vec<SourceSummary>,
}

/// Joins each family's files into records.
pub fn assemble(files: Vec<ParsedFile>) -> Assembled {
    let mut assembled = Assembled::default();
    let mut aws_files = Vec::new();
    let mut gcp_files = Vec::new();
    let mut azure_files = Vec::new();
    let mut kubernetes_files = Vec::new();
    let mut github_files = Vec::new();
    let mut vault_files = Vec::new();
    let mut certs_files = Vec::new();
    for file in files {
        assembled.sources.push(SourceSummary {
            path: file.input.rel.clone(),
            format: file.format.name(),
            records: file.records,
            warnings: file.warnings,
            detail: None,
        });
        match file.parsed {
            Parsed::Register(register) => assembled.register.extend(register),
            Parsed::Aws(f) => aws_files.push((file.input, f)),
            Parsed::Gcp(f) => gcp_files.push((file.input, f)),
            Parsed::Azure(f) => azure_files.push((file.input, f)),
            Parsed::Kubernetes(f) => kubernetes_files.push((file.input, f)),
            Parsed::Github(f) => github_files.push((file.input, f)),
            Parsed::Vault(f) => vault_files.push((file.input, f)),
            Parsed::Certs(f) => certs_files.push((file.input, f)),
        }
    }
    // The families share nothing until their records are joined, so they are assembled at once;
    // the order of the list (and so of the records) stays fixed.
    type Assembly = Box<dyn FnOnce() -> (Records, Vec<(String, String)>) + Send>;
    let families: Vec<Assembly> = vec![
        Box::new(move || aws::assemble(aws_files)),
        Box::new(move || gcp::assemble(gcp_files)),
        Box::new(move || azure::assemble(azure_files)),
        Box::new(move || kubernetes::assemble(kubernetes_files)),
        Box::new(move || github::assemble(github_files)),
        Box::new(move || vault::assemble(vault_files)),
        Box::new(move || certs::assemble(certs_files)),
    ];
    let assembled_families: Vec<_> = families
        .into_par_iter()
        .with_max_len(1)
        .map(|assemble| assemble())
        .collect();
    for (records, warnings) in assembled_families {
        assembled.records.extend(records);
        attach_warnings(&mut assembled.sources, warnings);
    }
    assembled.sources.sort();
    assembled
}

/// Adds a family's join-time warnings to the files they are about, each message once per file.
/// Linear in the warnings: files are found by a map and repeats by a set. (A search of the file
/// list and of the file's warnings per warning made a credential report with a warning on each
/// of its rows quadratic: 50,000 rows took 5.6 s, 25,000 1.7 s.)
fn attach_warnings(sources: &mut [SourceSummary], warnings: Vec<(String, String)>) {
    if warnings.is_empty() {
        return;
    }
    let index: std::collections::HashMap<String, usize> = sources
        .iter()
        .enumerate()
        .map(|(i, s)| (s.path.clone(), i))
        .collect();
    let mut seen: std::collections::HashMap<usize, std::collections::HashSet<String>> =
        std::collections::HashMap::new();
    for (path, message) in warnings {
        let Some(&i) = index.get(&path) else {
            continue;
        };
        let seen = seen
            .entry(i)
            .or_insert_with(|| sources[i].warnings.iter().cloned().collect());
        if seen.insert(message.clone()) {
            sources[i].warnings.push(message);
        }
    }
}

/// Why an unrecognised file was left out: said as precisely as the content allows.
pub fn unrecognised_reason(probe: &Probe) -> String {
    match &probe.content {
        Content::BrokenJson {
            message,
            line,
            column,
        } => format!("not valid JSON (line {line}, column {column}): {message}"),
        Content::Json(shape) => {
            let keys: Vec<&str> = shape.keys.iter().take(6).map(String::as_str).collect();
            format!(
                "JSON {} not recognised as an export deprov reads (keys: {})",
                if shape.is_array { "array" } else { "object" },
                if keys.is_empty() {
                    "none".to_string()
                } else {
                    keys.join(", ")
                }
            )
        }
        Content::JsonLines(_) => "JSON lines not recognised as an export deprov reads".into(),
        Content::Csv { header } => format!(
            "CSV not recognised (header starts: {})",
            header.iter().take(4).cloned().collect::<Vec<_>>().join(",")
        ),
        Content::Yaml { .. } => "YAML not recognised as a register or export".into(),
        Content::Pem => "PEM content without a certificate, CRL or PKCS#7 block (private keys and requests are not read as stores)".into(),
        Content::Der => "DER content that is neither a certificate, a CRL, PKCS#7 nor PKCS#12".into(),
        Content::Text => "text not recognised as an export deprov reads".into(),
        Content::Binary => "binary file".into(),
    }
}

#[cfg(test)]
mod attach_tests {
    use super::*;

    fn source(path: &str, warnings: &[&str]) -> SourceSummary {
        SourceSummary {
            path: path.into(),
            format: "aws/credential-report-csv".into(),
            records: 0,
            warnings: warnings.iter().map(|w| w.to_string()).collect(),
            detail: None,
        }
    }

    #[test]
    fn warnings_go_to_their_file_once_each_in_order() {
        let mut sources = vec![source("a.csv", &["parse warning"]), source("b.json", &[])];
        attach_warnings(
            &mut sources,
            vec![
                ("b.json".into(), "two".into()),
                ("a.csv".into(), "parse warning".into()),
                ("b.json".into(), "one".into()),
                ("b.json".into(), "two".into()),
                ("gone.json".into(), "nobody".into()),
            ],
        );
        assert_eq!(sources[0].warnings, vec!["parse warning"]);
        assert_eq!(sources[1].warnings, vec!["two", "one"]);
    }

    /// Issue 13, item 18: one file with a warning on each of 200,000 rows (a credential report
    /// of one account with a bad date everywhere). Quadratic, this took minutes; the timeout is
    /// only a hang guard.
    #[test]
    fn a_warning_per_row_of_one_large_file_is_attached_in_linear_time() {
        let rows = 200_000;
        let (sender, receiver) = std::sync::mpsc::channel();
        std::thread::spawn(move || {
            let mut sources = vec![source("credential-report.csv", &[])];
            let warnings = (0..rows)
                .map(|line| {
                    (
                        "credential-report.csv".to_string(),
                        format!("line {line}: user_creation_time: not a date; treated as unknown"),
                    )
                })
                .collect();
            attach_warnings(&mut sources, warnings);
            let _ = sender.send(sources.remove(0).warnings.len());
        });
        let attached = receiver
            .recv_timeout(std::time::Duration::from_secs(20))
            .expect("attaching 200,000 warnings did not finish");
        assert_eq!(attached, rows);
    }
}
