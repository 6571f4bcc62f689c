//! One shape for what goes wrong with a file as a whole: it is not a regular file, it cannot be
//! read, or it does not parse (pointing at where). Every kind of file — the config, catalogs,
//! policies, baselines, reports, detector files, exports — keeps its own wording and its own
//! `deprov::…` codes in a [`FileKind`]; the variants and their rendering are written once.

use std::fmt::{self, Display};

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode, SourceSpan};

use super::Snippet;

/// Why a named file is refused before it is opened for good.
pub const NOT_A_REGULAR_FILE: &str = "not a regular file (a FIFO, socket or device)";

/// A file the user named is a FIFO, a socket or a device.
#[derive(Debug, thiserror::Error, Diagnostic)]
#[error("the {what} {path} is {NOT_A_REGULAR_FILE}; it is not opened")]
#[diagnostic(
    code(deprov::input::not_regular_file),
    help(
        "name a regular file: opening a FIFO waits for a writer, so deprov refuses special files rather than block"
    )
)]
pub struct NotRegularFile {
    /// What the file was given as: `config`, `baseline`, `detector file`, …
    pub what: &'static str,
    pub path: String,
}

/// How one kind of file is named in its diagnostics. The wordings are templates over `{path}`,
/// `{message}` and `{format}` (what the file was recognised as: an export's format, else
/// [`FileKind::what`]).
#[derive(Debug)]
pub struct FileKind {
    /// What the file is given as, in "the config FILE is not a regular file".
    pub what: &'static str,
    /// The code of a file that cannot be read (`deprov::config::io`).
    pub io_code: &'static str,
    /// "cannot read config {path}: {message}".
    pub unreadable: &'static str,
    /// The code of a file that does not parse (`deprov::config::syntax`).
    pub syntax_code: &'static str,
    /// "invalid config {path}: {message}".
    pub invalid: &'static str,
    /// What to do about a file that does not parse.
    pub invalid_help: Option<&'static str>,
}

/// What went wrong with a file as a whole.
#[derive(Debug)]
pub enum FileDiagnostic {
    /// A FIFO, socket or device where a file was named.
    NotRegular(NotRegularFile),
    /// The file could not be read.
    Io {
        kind: &'static FileKind,
        path: String,
        message: String,
    },
    /// The file does not parse.
    Syntax {
        kind: &'static FileKind,
        path: String,
        /// What the file was recognised as, when the kind's wording names it (exports).
        format: Option<String>,
        message: String,
        source_code: NamedSource<String>,
        span: SourceSpan,
    },
}

impl FileDiagnostic {
    /// A `kind` file at `path` that cannot be read.
    pub fn io(
        kind: &'static FileKind,
        path: impl Into<String>,
        message: impl Into<String>,
    ) -> Self {
        FileDiagnostic::Io {
            kind,
            path: path.into(),
            message: message.into(),
        }
    }

    /// A `kind` file at `path` that does not parse, at `at`.
    pub fn syntax(
        kind: &'static FileKind,
        path: impl Into<String>,
        message: impl Into<String>,
        at: Snippet,
    ) -> Self {
        FileDiagnostic::Syntax {
            kind,
            path: path.into(),
            format: None,
            message: message.into(),
            source_code: at.source,
            span: at.span,
        }
    }

    /// The same diagnostic about a file recognised as `format` (an export's
    /// `aws/credential-report`), for wordings that name it.
    pub fn with_format(mut self, format: impl Into<String>) -> Self {
        if let FileDiagnostic::Syntax { format: slot, .. } = &mut self {
            *slot = Some(format.into());
        }
        self
    }

    /// A `kind` file that is not the YAML it should be, pointing where the parser stopped.
    pub fn yaml(
        kind: &'static FileKind,
        path: &str,
        text: &str,
        error: &serde_yaml::Error,
    ) -> Self {
        let offset = error.location().map_or(0, |l| l.index());
        let at = Snippet::at_offset(path, text.as_bytes(), offset, 1);
        FileDiagnostic::syntax(kind, path, error.to_string(), at)
    }

    /// A `kind` file that is not the JSON it should be, pointing where the parser stopped.
    pub fn json(
        kind: &'static FileKind,
        path: &str,
        bytes: &[u8],
        error: &serde_json::Error,
    ) -> Self {
        let at = Snippet::at_line_column(path, bytes, error.line(), error.column());
        FileDiagnostic::syntax(kind, path, error.to_string(), at)
    }

    /// A template of the file's kind, filled in.
    fn render(&self, template: &str) -> String {
        let (kind, path, format, message) = match self {
            FileDiagnostic::NotRegular(e) => return e.to_string(),
            FileDiagnostic::Io {
                kind,
                path,
                message,
            } => (*kind, path, None, message),
            FileDiagnostic::Syntax {
                kind,
                path,
                format,
                message,
                ..
            } => (*kind, path, format.as_deref(), message),
        };
        crate::template::render(
            template,
            |name| match name {
                "path" => Some(path.as_str()),
                "message" => Some(message.as_str()),
                "format" => Some(format.unwrap_or(kind.what)),
                _ => None,
            },
            "",
        )
    }
}

impl Display for FileDiagnostic {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            FileDiagnostic::NotRegular(e) => Display::fmt(e, f),
            FileDiagnostic::Io { kind, .. } => f.write_str(&self.render(kind.unreadable)),
            FileDiagnostic::Syntax { kind, .. } => f.write_str(&self.render(kind.invalid)),
        }
    }
}

impl std::error::Error for FileDiagnostic {}

impl From<NotRegularFile> for FileDiagnostic {
    fn from(e: NotRegularFile) -> Self {
        FileDiagnostic::NotRegular(e)
    }
}

impl Diagnostic for FileDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        match self {
            FileDiagnostic::NotRegular(e) => e.code(),
            FileDiagnostic::Io { kind, .. } => Some(Box::new(kind.io_code)),
            FileDiagnostic::Syntax { kind, .. } => Some(Box::new(kind.syntax_code)),
        }
    }

    fn help<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        match self {
            FileDiagnostic::NotRegular(e) => e.help(),
            FileDiagnostic::Io { .. } => None,
            FileDiagnostic::Syntax { kind, .. } => kind
                .invalid_help
                .map(|help| Box::new(self.render(help)) as Box<dyn Display>),
        }
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        match self {
            FileDiagnostic::Syntax { source_code, .. } => Some(source_code),
            _ => None,
        }
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        match self {
            FileDiagnostic::Syntax { span, .. } => Some(Box::new(std::iter::once(
                LabeledSpan::new_with_span(Some("here".to_string()), *span),
            ))),
            _ => None,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::rendered;
    use super::*;

    use crate::config::CONFIG_FILE as CONFIG;

    use crate::sources::EXPORT_FILE as EXPORT;

    /// The derived diagnostics the shared shape replaced, as they were written in each layer.
    #[derive(Debug, thiserror::Error, Diagnostic)]
    enum Derived {
        #[error("cannot read config {path}: {message}")]
        #[diagnostic(code(deprov::config::io))]
        Io { path: String, message: String },
        #[error("invalid config {path}: {message}")]
        #[diagnostic(
            code(deprov::config::syntax),
            help("see the README section on .deprov.yaml for the accepted keys")
        )]
        Syntax {
            path: String,
            message: String,
            #[source_code]
            source_code: NamedSource<String>,
            #[label("here")]
            span: SourceSpan,
        },
        #[error("{path}: invalid {format}: {message}")]
        #[diagnostic(
            code(deprov::input::syntax),
            help("the file looks like {format} but does not parse; re-export it or remove it from the scan")
        )]
        Export {
            path: String,
            format: String,
            message: String,
            #[source_code]
            source_code: NamedSource<String>,
            #[label("here")]
            span: SourceSpan,
        },
    }

    /// Regression: the shared shape renders byte for byte as the derived variants it replaced
    /// (codes, wording, help, label), including a path that holds a placeholder of its own.
    #[test]
    fn renders_as_the_derived_variants_did() {
        let text = b"thresholds:\n  unsued_days: 45\n";
        let at = || Snippet::at_offset("c{message}.yaml", text, 14, 1);
        assert_eq!(
            rendered(&FileDiagnostic::io(&CONFIG, "c{message}.yaml", "gone")),
            rendered(&Derived::Io {
                path: "c{message}.yaml".into(),
                message: "gone".into()
            })
        );
        assert_eq!(
            rendered(&FileDiagnostic::syntax(
                &CONFIG,
                "c{message}.yaml",
                "unknown field",
                at()
            )),
            rendered(&Derived::Syntax {
                path: "c{message}.yaml".into(),
                message: "unknown field".into(),
                source_code: at().source,
                span: at().span,
            })
        );
        assert_eq!(
            rendered(
                &FileDiagnostic::syntax(&EXPORT, "c{message}.yaml", "bad row", at())
                    .with_format("aws/credential-report")
            ),
            rendered(&Derived::Export {
                path: "c{message}.yaml".into(),
                format: "aws/credential-report".into(),
                message: "bad row".into(),
                source_code: at().source,
                span: at().span,
            })
        );
        let not_regular = FileDiagnostic::from(NotRegularFile {
            what: "config",
            path: "fifo".into(),
        });
        assert_eq!(
            rendered(&not_regular),
            rendered(&NotRegularFile {
                what: "config",
                path: "fifo".into()
            })
        );
    }

    /// Each layer's wording names only what a file diagnostic has, and its codes are its own.
    #[test]
    fn every_kind_names_only_what_it_has() {
        let kinds: [&FileKind; 7] = [
            &CONFIG,
            &crate::catalog::CATALOG_FILE,
            &crate::engine::policies::POLICY_FILE,
            &crate::triage::BASELINE_FILE,
            &crate::report::diff::REPORT_FILE,
            &EXPORT,
            &crate::sources::exposure::secrets::DETECTOR_FILE,
        ];
        for kind in kinds {
            let templates = [kind.unreadable, kind.invalid]
                .into_iter()
                .chain(kind.invalid_help);
            for template in templates {
                for (_, name) in crate::template::placeholders(template) {
                    assert!(
                        matches!(name, "path" | "message" | "format"),
                        "{}: {{{name}}} in `{template}`",
                        kind.what
                    );
                }
            }
            assert!(kind.io_code.starts_with("deprov::") && kind.io_code.ends_with("::io"));
            assert!(kind.syntax_code.starts_with("deprov::"));
        }
    }
}
