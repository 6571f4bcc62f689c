//! One problem among the many a validation pass collects before it reports (a catalog entry, a
//! detector, a register entry), pointing at its place in the file. Each layer lists its problems
//! under its own `…::invalid` diagnostic and gives them its own code.

use std::fmt::{self, Display};

use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode, SourceSpan};

use super::Snippet;

/// One problem, labelled at its place.
#[derive(Debug)]
pub struct Problem {
    /// `deprov::catalog::problem`, `deprov::secrets::detector`, …
    pub code: &'static str,
    /// The 1-based line, for problems whose message starts with it (`line 7: …`).
    pub line: Option<u32>,
    pub message: String,
    pub source_code: NamedSource<String>,
    pub span: SourceSpan,
    /// What the label under the span says.
    pub label: String,
    pub help: Option<String>,
}

impl Problem {
    /// A problem at `at`, labelled `label`.
    pub fn at(
        code: &'static str,
        at: Snippet,
        label: impl Into<String>,
        message: String,
        help: Option<String>,
    ) -> Self {
        Problem {
            code,
            line: None,
            message,
            source_code: at.source,
            span: at.span,
            label: label.into(),
            help,
        }
    }

    /// The same problem, its message led by its line.
    pub fn on_line(self, line: u32) -> Self {
        Problem {
            line: Some(line),
            ..self
        }
    }
}

impl Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self.line {
            Some(line) => write!(f, "line {line}: {}", self.message),
            None => f.write_str(&self.message),
        }
    }
}

impl std::error::Error for Problem {}

impl Diagnostic for Problem {
    fn code<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        Some(Box::new(self.code))
    }

    fn help<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        self.help
            .as_ref()
            .map(|help| Box::new(help) as Box<dyn Display>)
    }

    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source_code)
    }

    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(std::iter::once(LabeledSpan::new_with_span(
            Some(self.label.clone()),
            self.span,
        ))))
    }
}

#[cfg(test)]
mod tests {
    use super::super::tests::rendered;
    use super::*;

    /// The derived problem structs the shared one replaced (catalog, detector, register).
    #[derive(Debug, thiserror::Error, Diagnostic)]
    #[error("line {line}: {message}")]
    #[diagnostic(code(deprov::register::entry))]
    struct Derived {
        line: u32,
        message: String,
        #[source_code]
        source_code: NamedSource<String>,
        #[label("{label}")]
        span: SourceSpan,
        label: String,
        #[help]
        help: Option<String>,
    }

    /// Regression: renders byte for byte as the derived struct it replaced.
    #[test]
    fn renders_as_the_derived_struct_did() {
        let text = b"identities:\n  - id: x\n    status: gone\n";
        let at = || Snippet::at_offset("register.yaml", text, 33, 4);
        for help in [None, Some("active or retired".to_string())] {
            let shared = Problem::at(
                "deprov::register::entry",
                at(),
                "`status`",
                "unknown status".into(),
                help.clone(),
            )
            .on_line(3);
            let derived = Derived {
                line: 3,
                message: "unknown status".into(),
                source_code: at().source,
                span: at().span,
                label: "`status`".into(),
                help,
            };
            assert_eq!(rendered(&shared), rendered(&derived));
        }
        let unlined = Problem::at("deprov::catalog::problem", at(), "here", "m".into(), None);
        assert_eq!(unlined.to_string(), "m");
    }
}
