//! One shard's JSON report read as a stream: the sections around the findings in full (they are
//! small: the summary, the files read and skipped, the shard's facts) and the findings one at a
//! time, so that a merge holds one finding per shard. Reads the document's keys in any order:
//! the JSON reporter writes `findings` before `sources` and `shard`, so those are known only once
//! the findings have been read.

use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use struson::reader::{JsonReader, JsonStreamReader, ReaderSettings};

use super::MergeError;
use crate::findings::Finding;
use crate::report::escape::visible;
use crate::report::json::{JsonReport, PolicyErrorEntry, Summary, Tool, SCHEMA_VERSION};
use crate::result::Skipped;
use crate::shard::ShardFacts;
use crate::sources::SourceSummary;
use crate::triage::TriageReport;

/// Reads of 64 KiB: the JSON reader's own buffer is 1 KiB, and a shard report runs to hundreds
/// of megabytes.
const READ_BUFFER: usize = 64 * 1024;

/// Nesting deeper than any report has (a finding sits at depth 3 and is 3 deep), so that a
/// hostile file cannot make the reader recurse without bound.
const MAX_NESTING: u32 = 64;

/// A shard report being read: its findings as an iterator, then [`ShardStream::into_report`].
pub struct ShardStream {
    path: String,
    json: JsonStreamReader<BufReader<File>>,
    sections: Sections,
    phase: Phase,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Phase {
    /// Inside the `findings` array.
    Findings,
    /// The whole document was read.
    Done,
    /// An error was returned: nothing more is read.
    Failed,
}

/// Every section but the findings, as far as read.
#[derive(Default)]
struct Sections {
    schema_version: Option<u32>,
    tool: Option<Tool>,
    evaluated_at: Option<String>,
    summary: Option<Summary>,
    findings: bool,
    sources: Option<Vec<SourceSummary>>,
    skipped: Option<Vec<Skipped>>,
    policy_errors: Option<Vec<PolicyErrorEntry>>,
    suppressions: Option<TriageReport>,
    shard: Option<ShardFacts>,
}

impl ShardStream {
    /// Opens `path` and reads up to its first finding.
    pub fn open(path: &Path) -> Result<ShardStream, MergeError> {
        let name = path.display().to_string();
        let file = crate::discover::regular::open_named(path, &crate::report::diff::REPORT_FILE)
            .map_err(|e| MergeError::File(Box::new(e)))?;
        let settings = ReaderSettings {
            max_nesting_depth: Some(MAX_NESTING),
            ..ReaderSettings::default()
        };
        let json =
            JsonStreamReader::new_custom(BufReader::with_capacity(READ_BUFFER, file), settings);
        let mut stream = ShardStream {
            path: name,
            json,
            sections: Sections::default(),
            phase: Phase::Findings,
        };
        stream
            .json
            .begin_object()
            .map_err(|e| stream.malformed(e))?;
        stream.read_sections()?;
        Ok(stream)
    }

    /// The file, as given.
    pub fn path(&self) -> &str {
        &self.path
    }

    /// The report without its findings, once they have all been read.
    pub fn into_report(self) -> Result<JsonReport<'static>, MergeError> {
        if self.phase != Phase::Done {
            return Err(MergeError::Malformed {
                path: self.path,
                message: "the report was not read to its end".into(),
            });
        }
        let path = self.path;
        // Nothing but white space may follow the document.
        self.json
            .consume_trailing_whitespace()
            .map_err(|e| MergeError::Malformed {
                path: path.clone(),
                message: visible(&e.to_string()).into_owned(),
            })?;
        let missing = |what: &str| MergeError::Malformed {
            path: path.clone(),
            message: format!("missing field `{what}`"),
        };
        let s = self.sections;
        if !s.findings {
            return Err(missing("findings"));
        }
        Ok(JsonReport {
            schema_version: s.schema_version.ok_or_else(|| missing("schema_version"))?,
            tool: s.tool.ok_or_else(|| missing("tool"))?,
            evaluated_at: s.evaluated_at.ok_or_else(|| missing("evaluated_at"))?,
            summary: s.summary.ok_or_else(|| missing("summary"))?,
            findings: Vec::new().into(),
            sources: s.sources.ok_or_else(|| missing("sources"))?.into(),
            skipped: s.skipped.ok_or_else(|| missing("skipped"))?.into(),
            policy_errors: s.policy_errors.unwrap_or_default(),
            suppressions: s.suppressions.unwrap_or_default(),
            shard: s.shard,
        })
    }

    /// Reads members of the top-level object until the start of the findings (then the phase is
    /// `Findings`) or the end of the document (`Done`).
    fn read_sections(&mut self) -> Result<(), MergeError> {
        while self.json.has_next().map_err(|e| self.malformed(e))? {
            let name = self.json.next_name_owned().map_err(|e| self.malformed(e))?;
            let fresh = match name.as_str() {
                "schema_version" => {
                    let version: u32 = self.value()?;
                    if version != SCHEMA_VERSION {
                        return Err(MergeError::Version {
                            path: self.path.clone(),
                            found: version,
                            expected: SCHEMA_VERSION,
                        });
                    }
                    self.sections.schema_version.replace(version).is_none()
                }
                "tool" => self.section(|s| &mut s.tool)?,
                "evaluated_at" => self.section(|s| &mut s.evaluated_at)?,
                "summary" => self.section(|s| &mut s.summary)?,
                "sources" => self.section(|s| &mut s.sources)?,
                "skipped" => self.section(|s| &mut s.skipped)?,
                "policy_errors" => self.section(|s| &mut s.policy_errors)?,
                "suppressions" => self.section(|s| &mut s.suppressions)?,
                "shard" => {
                    let shard: Option<ShardFacts> = self.value()?;
                    match shard {
                        Some(shard) => self.sections.shard.replace(shard).is_none(),
                        None => true,
                    }
                }
                "findings" => {
                    if std::mem::replace(&mut self.sections.findings, true) {
                        return Err(self.duplicate("findings"));
                    }
                    self.json.begin_array().map_err(|e| self.malformed(e))?;
                    self.phase = Phase::Findings;
                    return Ok(());
                }
                // A field of a later deprov (fields are only ever added): not needed to merge.
                _ => {
                    self.json.skip_value().map_err(|e| self.malformed(e))?;
                    true
                }
            };
            if !fresh {
                return Err(self.duplicate(&name));
            }
        }
        self.json.end_object().map_err(|e| self.malformed(e))?;
        self.phase = Phase::Done;
        Ok(())
    }

    /// Reads a section into its slot; false when it was there already.
    fn section<T: serde::de::DeserializeOwned>(
        &mut self,
        slot: fn(&mut Sections) -> &mut Option<T>,
    ) -> Result<bool, MergeError> {
        let value = self.value()?;
        Ok(slot(&mut self.sections).replace(value).is_none())
    }

    fn value<T: serde::de::DeserializeOwned>(&mut self) -> Result<T, MergeError> {
        self.json.deserialize_next().map_err(|e| self.invalid(e))
    }

    fn next_finding(&mut self) -> Result<Option<Finding>, MergeError> {
        if self.phase != Phase::Findings {
            return Ok(None);
        }
        if self.json.has_next().map_err(|e| self.malformed(e))? {
            return self.value().map(Some);
        }
        self.json.end_array().map_err(|e| self.malformed(e))?;
        self.read_sections()?;
        if self.phase == Phase::Findings {
            // A second `findings` array was opened by `read_sections`.
            return Err(self.duplicate("findings"));
        }
        Ok(None)
    }

    /// A syntax error, a truncated file or an unexpected structure, with where it is. Its text
    /// can quote the file (a member name in the JSON path, an unknown variant): escaped, since
    /// nothing from an input reaches a terminal as it is.
    fn malformed(&self, error: struson::reader::ReaderError) -> MergeError {
        MergeError::Malformed {
            path: self.path.clone(),
            message: visible(&error.to_string()).into_owned(),
        }
    }

    /// A value that is well-formed JSON but not what a report holds there.
    fn invalid(&self, error: struson::serde::DeserializerError) -> MergeError {
        let at = self.json.current_position(true);
        MergeError::Malformed {
            path: self.path.clone(),
            message: visible(&match error {
                // The reader's own errors say where they are.
                struson::serde::DeserializerError::ReaderError(e) => e.to_string(),
                other => format!("{other} (before {at})"),
            })
            .into_owned(),
        }
    }

    fn duplicate(&self, name: &str) -> MergeError {
        MergeError::Malformed {
            path: self.path.clone(),
            message: format!("duplicate field `{}`", visible(name)),
        }
    }
}

impl Iterator for ShardStream {
    type Item = Result<Finding, MergeError>;

    fn next(&mut self) -> Option<Self::Item> {
        match self.next_finding() {
            Ok(finding) => finding.map(Ok),
            Err(error) => {
                self.phase = Phase::Failed;
                Some(Err(error))
            }
        }
    }
}
