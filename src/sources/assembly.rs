//! What every family's assembly shares: the file being read, the warnings about each file, and
//! reading timestamps the one way (a value that is neither a date nor a sentinel is a warning
//! and counts as unknown, never as a date), and the secret material the exports hold
//! (`sources::leak`). Each family joins its files with its own indices on top of this.

use super::leak::ExportSecret;
use crate::discover::FileInput;
use crate::inventory::{Evidence, ExposureRecord, VerdictRecord};
use crate::time::{parse_field, TimeField};

/// The shared part of one family's assembly.
#[derive(Debug, Default)]
pub struct Assembly {
    /// The file being read, as reports show it.
    current: String,
    /// (file, message) pairs for the `sources` list.
    warnings: Vec<(String, String)>,
    /// Secret material the family's exports hold, reported beside the records.
    exposures: Vec<ExposureRecord>,
    /// The platforms' own verdicts on use the family's exports hold, joined after correlation
    /// (`inventory::verdict`).
    verdicts: Vec<VerdictRecord>,
}

impl Assembly {
    /// One family's assembly run on its own, for the family's unit tests: its records and the
    /// warnings it gave.
    #[cfg(test)]
    pub fn alone<T>(
        assemble: impl FnOnce(Vec<(FileInput, T)>, &mut Assembly) -> crate::inventory::Records,
        files: Vec<(FileInput, T)>,
    ) -> (crate::inventory::Records, Vec<(String, String)>) {
        let mut common = Assembly::new();
        let records = assemble(files, &mut common);
        (records, common.into_warnings())
    }

    /// [`Assembly::alone`], with the secrets the family reported.
    #[cfg(test)]
    #[allow(clippy::type_complexity)]
    pub fn alone_with_exposures<T>(
        assemble: impl FnOnce(Vec<(FileInput, T)>, &mut Assembly) -> crate::inventory::Records,
        files: Vec<(FileInput, T)>,
    ) -> (
        (crate::inventory::Records, Vec<ExposureRecord>),
        Vec<(String, String)>,
    ) {
        let mut common = Assembly::new();
        let records = assemble(files, &mut common);
        let (warnings, exposures) = common.into_parts();
        ((records, exposures), warnings)
    }

    pub fn new() -> Self {
        Self::default()
    }

    /// The file the next warnings and evidence are about.
    pub fn reading(&mut self, input: &FileInput) {
        self.current.clone_from(&input.rel);
    }

    /// The file being read.
    pub fn current(&self) -> &str {
        &self.current
    }

    /// A warning about the file being read.
    pub fn warn(&mut self, message: impl Into<String>) {
        self.warnings.push((self.current.clone(), message.into()));
    }

    /// A warning about another file (one the family read earlier).
    pub fn warn_about(&mut self, path: impl Into<String>, message: impl Into<String>) {
        self.warnings.push((path.into(), message.into()));
    }

    /// The warnings, for helpers that add their own (`sources::reconcile`).
    pub fn warnings_mut(&mut self) -> &mut Vec<(String, String)> {
        &mut self.warnings
    }

    /// Reads a timestamp field; a value that is neither a date nor a sentinel becomes a warning
    /// about the current file and is treated as absent (unknown), never as a date.
    pub fn time(&mut self, text: Option<&str>, what: &str) -> TimeField {
        text.and_then(|text| self.parse_time(text, what))
            .unwrap_or(TimeField::Absent)
    }

    /// [`Assembly::time`] of a value that is present, telling a value that could not be read
    /// (`None`, with the warning) from an absent one.
    pub fn parse_time(&mut self, text: &str, what: &str) -> Option<TimeField> {
        match parse_field(text) {
            Ok(field) => Some(field),
            Err(e) => {
                self.warn(format!("{what}: {e}; treated as unknown"));
                None
            }
        }
    }

    /// Evidence in the file being read.
    pub fn evidence(&self, detail: impl Into<String>) -> Evidence {
        Evidence::new(&self.current, detail)
    }

    /// Reports secret material an export holds: a leak where the export is stored, judged
    /// like a repository's secrets (see `sources::leak`). The value itself never gets here.
    pub fn expose(&mut self, secret: ExportSecret) {
        self.exposures.push(secret.into_exposure());
    }

    /// Reports a platform's own verdict on use (an unused-access finding, an insight, an
    /// authentication activity); its dated use is reported as a `UsageRecord` beside it.
    pub fn judge(&mut self, verdict: VerdictRecord) {
        self.verdicts.push(verdict);
    }

    /// The verdicts reported, taken out (`sources::assemble` gathers every family's).
    pub fn take_verdicts(&mut self) -> Vec<VerdictRecord> {
        std::mem::take(&mut self.verdicts)
    }

    /// [`Assembly::alone`], with the verdicts the family reported.
    #[cfg(test)]
    #[allow(clippy::type_complexity)]
    pub fn alone_with_verdicts<T>(
        assemble: impl FnOnce(Vec<(FileInput, T)>, &mut Assembly) -> crate::inventory::Records,
        files: Vec<(FileInput, T)>,
    ) -> (
        (crate::inventory::Records, Vec<VerdictRecord>),
        Vec<(String, String)>,
    ) {
        let mut common = Assembly::new();
        let records = assemble(files, &mut common);
        let verdicts = common.take_verdicts();
        ((records, verdicts), common.into_warnings())
    }

    /// The secrets reported so far (for the families' unit tests).
    #[cfg(test)]
    pub fn exposures(&self) -> &[ExposureRecord] {
        &self.exposures
    }

    pub fn into_warnings(self) -> Vec<(String, String)> {
        self.warnings
    }

    /// The warnings and the secrets the family reported.
    pub fn into_parts(self) -> (Vec<(String, String)>, Vec<ExposureRecord>) {
        (self.warnings, self.exposures)
    }
}
