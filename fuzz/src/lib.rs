//! Helpers shared by the fuzz targets: the `path\0content` input framing, an in-memory probe of
//! the content, and the rest of the scanner's per-file pipeline (parse, assemble, correlate,
//! render the error) so that each target drives what `deprov scan` does with a file.
//!
//! Input framing for the targets that read files (sources, the per-family targets, register,
//! secrets): everything before the first NUL byte (at most `MAX_PATH` bytes) is the file's
//! path relative to the scanned root, as reports show it and as the Vault family reads API
//! paths from it; the rest is the file's content. Without a NUL in the first `MAX_PATH` bytes,
//! the whole input is the content of `input`. `fuzz/seed.sh` writes seeds in this form.

use std::path::PathBuf;

use deprov::discover::probe::Probe;
use deprov::discover::FileInput;

/// Longest path taken from an input.
pub const MAX_PATH: usize = 200;

/// The keystore password every fuzzed keystore is tried with (that of `testdata/certs/formats`).
pub const KEYSTORE_PASSWORD: &str = "changeit";

/// Splits an input into the relative path and the content.
pub fn split(data: &[u8]) -> (String, &[u8]) {
    let window = &data[..data.len().min(MAX_PATH + 1)];
    match window.iter().position(|&b| b == 0) {
        Some(nul) => (
            String::from_utf8_lossy(&data[..nul]).into_owned(),
            &data[nul + 1..],
        ),
        None => ("input".to_string(), data),
    }
}

/// A `FileInput` for `rel` whose path on disk does not exist: only the extension of `rel` is
/// kept (YAML sniffing reads it), so that no fuzzed path can name a real file. Parsers that
/// stream from disk (large JSON lines) then fail with an I/O error, as for a vanished file.
pub fn file_input(rel: &str, size: usize) -> FileInput {
    let extension: String = rel
        .rsplit_once('.')
        .map(|(_, ext)| ext)
        .unwrap_or("")
        .chars()
        .filter(char::is_ascii_alphanumeric)
        .take(8)
        .collect();
    let name = if extension.is_empty() {
        "input".to_string()
    } else {
        format!("input.{extension}")
    };
    FileInput {
        path: PathBuf::from("/nonexistent/deprov-fuzz").join(name),
        rel: rel.to_string(),
        size: size as u64,
    }
}

/// Sniffs `content` as discovery would.
pub fn probe<'a>(input: &'a FileInput, content: &[u8]) -> Probe<'a> {
    Probe::from_bytes(input, content.to_vec())
}

/// Renders an error as the CLI does (miette's graphical handler), to exercise the snippets and
/// spans every error carries.
pub fn render(error: &dyn miette::Diagnostic) -> String {
    let mut out = String::new();
    let handler = miette::GraphicalReportHandler::new_themed(miette::GraphicalTheme::none());
    let _ = handler.render_report(&mut out, error);
    out
}

/// Keystore passwords for `rel`, so that password-protected keystores are opened too.
pub fn keystore_passwords(rel: &str) -> deprov::sources::certs::KeystorePasswords {
    let mut passwords = deprov::sources::certs::KeystorePasswords::default();
    passwords
        .0
        .insert(rel.to_string(), KEYSTORE_PASSWORD.to_string());
    passwords
}

/// One family's per-file parser driven with every format of the family, whatever `detect` says
/// (so that a parser's own checks are reached, not only those inputs detection lets through),
/// and each parsed file assembled alone into records, as `deprov scan` joins a family's files.
pub fn each_format<F: Copy, T>(
    data: &[u8],
    detect: impl Fn(&Probe) -> Option<F>,
    formats: &[F],
    parse: impl Fn(&Probe, F) -> Result<T, deprov::sources::SourceError>,
    assemble: impl Fn(
        Vec<(FileInput, T)>,
        &mut deprov::sources::Assembly,
    ) -> deprov::inventory::Records,
) {
    let (rel, content) = split(data);
    let input = file_input(&rel, content.len());
    let probe = probe(&input, content);
    let _ = detect(&probe);
    for &format in formats {
        match parse(&probe, format) {
            Ok(file) => {
                let mut common = deprov::sources::Assembly::new();
                let records = assemble(vec![(input.clone(), file)], &mut common);
                let _ = common.into_warnings();
                let _ = deprov::inventory::correlate(Default::default(), records);
            }
            Err(e) => {
                let _ = e.reason();
                let _ = render(&e);
            }
        }
    }
}
