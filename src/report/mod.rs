//! Output formats, one file each behind one trait. Reporters read the scan result and the
//! catalogs; they know nothing about Cedar or about file formats.

pub mod inventory;
pub mod json;
pub mod rules;
pub mod style;
pub mod text;

use std::io::{self, Write};

use crate::catalog::Catalog;
use crate::scan::ScanResult;
use crate::severity::FailOn;

/// What every reporter gets.
pub struct ReportContext<'a> {
    pub result: &'a ScanResult,
    pub catalog: &'a Catalog,
    pub fail_on: FailOn,
    /// Colour (ANSI) is allowed: the output is a terminal and `NO_COLOR` is unset.
    pub color: bool,
}

/// One output format.
pub trait Reporter {
    fn write(&self, context: &ReportContext, out: &mut dyn Write) -> io::Result<()>;
}

/// The formats `scan --format` accepts.
#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Text,
    Json,
}

impl Format {
    pub fn reporter(self) -> Box<dyn Reporter> {
        match self {
            Format::Text => Box::new(text::TextReporter),
            Format::Json => Box::new(json::JsonReporter),
        }
    }
}
