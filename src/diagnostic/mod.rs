//! What every layer's error type shares: the diagnostics about a file as a whole
//! ([`FileDiagnostic`], worded per [`FileKind`]), the problems a validation pass collects
//! ([`Problem`]), and turning a parser's line/column or byte offset into a labelled snippet of
//! the file for miette.

mod file;
mod problem;
mod yaml_paths;

pub use file::{FileDiagnostic, FileKind, NotRegularFile, NOT_A_REGULAR_FILE};
pub use problem::Problem;
pub use yaml_paths::YamlPaths;

use miette::{NamedSource, SourceSpan};

/// Files larger than this keep only a window around the error in the diagnostic, so that an
/// error in a gigabyte export does not copy the gigabyte.
const MAX_SNIPPET_SOURCE: usize = 256 * 1024;
const WINDOW: usize = 4 * 1024;

/// A file name, the text to show and the span to underline.
#[derive(Debug, Clone)]
pub struct Snippet {
    pub source: NamedSource<String>,
    pub span: SourceSpan,
}

impl Snippet {
    /// A snippet underlining `len` bytes at `offset` of `text`.
    pub fn at_offset(path: &str, text: &[u8], offset: usize, len: usize) -> Self {
        let offset = offset.min(text.len());
        let len = len.min(text.len() - offset);
        if text.len() <= MAX_SNIPPET_SOURCE {
            return Snippet {
                source: NamedSource::new(path, String::from_utf8_lossy(text).into_owned()),
                span: SourceSpan::new(offset.into(), len),
            };
        }
        let start = window_start(text, offset.saturating_sub(WINDOW));
        let end = (offset + len + WINDOW).min(text.len());
        let line = line_of_offset(text, start);
        Snippet {
            source: NamedSource::new(
                format!("{path} (from line {line})"),
                String::from_utf8_lossy(&text[start..end]).into_owned(),
            ),
            span: SourceSpan::new((offset - start).into(), len),
        }
    }

    /// A snippet pointing at a 1-based line and column, as serde_json and the CSV reader report.
    pub fn at_line_column(path: &str, text: &[u8], line: usize, column: usize) -> Self {
        let offset = offset_of_line_column(text, line, column);
        Snippet::at_offset(path, text, offset, 1)
    }

    /// A snippet for a file whose content is not shown (binary, unreadable).
    pub fn none(path: &str) -> Self {
        Snippet {
            source: NamedSource::new(path, String::new()),
            span: SourceSpan::new(0.into(), 0),
        }
    }
}

/// The start of the line holding `offset`, looking back at most one window.
fn window_start(text: &[u8], offset: usize) -> usize {
    let floor = offset.saturating_sub(WINDOW);
    text[floor..offset]
        .iter()
        .rposition(|&b| b == b'\n')
        .map_or(offset, |p| floor + p + 1)
}

/// The 1-based line of a byte offset.
pub fn line_of_offset(text: &[u8], offset: usize) -> u32 {
    let offset = offset.min(text.len());
    let newlines = memchr::memchr_iter(b'\n', &text[..offset]).count();
    u32::try_from(newlines + 1).unwrap_or(u32::MAX)
}

/// Line starts of a text, for turning many offsets into lines without rescanning the text.
pub struct LineIndex {
    newlines: Vec<usize>,
}

impl LineIndex {
    pub fn new(text: &[u8]) -> Self {
        LineIndex {
            newlines: memchr::memchr_iter(b'\n', text).collect(),
        }
    }

    /// The 1-based line of a byte offset.
    pub fn line(&self, offset: usize) -> u32 {
        let before = self.newlines.partition_point(|&n| n < offset);
        u32::try_from(before + 1).unwrap_or(u32::MAX)
    }
}

/// The byte offset of a 1-based line and column (clamped to the text).
pub fn offset_of_line_column(text: &[u8], line: usize, column: usize) -> usize {
    let mut start = 0usize;
    if line > 1 {
        match memchr::memchr_iter(b'\n', text).nth(line - 2) {
            Some(p) => start = p + 1,
            None => return text.len(),
        }
    }
    (start + column.saturating_sub(1)).min(text.len())
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// A diagnostic as the terminal shows it, without colour: for comparing renderings.
    pub(crate) fn rendered(diagnostic: &dyn miette::Diagnostic) -> String {
        let mut out = String::new();
        miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::unicode_nocolor())
            .with_width(80)
            .render_report(&mut out, diagnostic)
            .unwrap();
        out
    }

    #[test]
    fn lines_and_offsets_agree() {
        let text = b"a\nbc\ndef\n";
        assert_eq!(offset_of_line_column(text, 1, 1), 0);
        assert_eq!(offset_of_line_column(text, 2, 2), 3);
        assert_eq!(offset_of_line_column(text, 3, 1), 5);
        assert_eq!(offset_of_line_column(text, 9, 1), text.len());
        assert_eq!(line_of_offset(text, 5), 3);
        assert_eq!(line_of_offset(text, 0), 1);
        let index = LineIndex::new(text);
        for offset in 0..text.len() {
            assert_eq!(index.line(offset), line_of_offset(text, offset));
        }
    }

    #[test]
    fn big_files_keep_a_window() {
        let mut text = vec![b'x'; MAX_SNIPPET_SOURCE * 2];
        text[MAX_SNIPPET_SOURCE] = b'\n';
        let snippet = Snippet::at_offset("big.json", &text, MAX_SNIPPET_SOURCE + 10, 1);
        assert!(snippet.source.inner().len() <= 2 * WINDOW + 1);
    }
}
