//! `deprov merge FILE…`: the shards of one run, combined.
//!
//! The shard reports are read one finding at a time (see [`crate::merge`]): once to count the
//! findings and read what surrounds them, then again for each report that lists findings in
//! the report's order (JSON, SARIF), written as they come, so that their memory is bounded by
//! the number of shards. The compliance formats (Markdown, HTML, OSCAL) are written from the
//! aggregates ([`ComplianceTally`]) gathered by a later reading (it needs the rules run and the
//! retired identities, which the first reading finds after the findings): the JSON or SARIF
//! report's reading when one is written, else one more; their memory grows
//! with the catalog and with the identities and systems that have findings, not with the
//! findings. Text, JUnit and the runbook group findings in other orders (by
//! identity, by rule) and are written from the findings collected in the first reading.

use std::io;

use super::{CommandError, Exit, Output};
use crate::catalog::Catalog;
use crate::cli::MergeCommand;
use crate::config::Config;
use crate::findings::Finding;
use crate::merge::MergeError;
use crate::report::compliance::ComplianceTally;
use crate::report::json::{JsonReport, FINDINGS_PER_BATCH};
use crate::report::{Format, ReportContext};

pub fn run(command: &MergeCommand) -> Result<Exit, CommandError> {
    let targets = super::scan::report_targets(&command.report);
    refuse_output_over_input(
        &command.files,
        targets.iter().filter_map(|(p, _)| p.as_deref()),
    )?;
    let collect = targets
        .iter()
        .any(|(_, format)| !streams(*format) && !format.is_compliance());
    let min_confidence = command.report.min_confidence;
    let merged = crate::merge::read(&command.files, min_confidence, collect)?;
    // The shards' level applies already; a higher one given here filters further, and a lower
    // one cannot bring back what the shards left out.
    if let (Some(min), Some(shards)) = (min_confidence, merged.shard_min_confidence) {
        if shards > min {
            eprintln!(
                "warning: the shards left out findings below {shards} confidence; --min-confidence {min} cannot bring them back"
            );
        }
    }
    let (catalog, _) = super::plan::load_pack(command.policies.as_deref(), &mut Config::default())?;
    let fail_on = command
        .report
        .fail_on
        .or(merged.shard_fail_on)
        .unwrap_or(crate::severity::FailOn::High);
    let result = &merged.result;
    let runbook = crate::report::RunbookOptions {
        executable: command.report.runbook_executable,
        reverify: super::runbook::reverify_merge(&command.files),
    };
    if collect {
        super::scan::write_reports(result, &catalog, fail_on, &command.report, &runbook)?;
    } else {
        // The compliance reports last: a shard report that fails while JSON or SARIF are
        // written then leaves none of them behind.
        let (compliance, streamed): (Vec<_>, Vec<_>) = targets
            .into_iter()
            .partition(|(_, format)| format.is_compliance());
        let mut tally = (!compliance.is_empty()).then(|| ComplianceTally::new(result));
        let context = |color| ReportContext {
            result,
            catalog: &catalog,
            fail_on,
            color,
            compliance: None,
        };
        let mut tallied_yet = false;
        for (path, format) in &streamed {
            // Another reading: the first one counted the findings, which the reports' headers
            // need before the findings. The first of these readings also gathers the tally.
            let feed = tally.as_mut().filter(|_| !tallied_yet);
            tallied_yet = true;
            write_streamed(
                command,
                &merged,
                (path.as_deref(), *format),
                feed.map(|tally| (tally, &catalog)),
                &context,
            )?;
        }
        if let Some(tally) = tally.as_mut().filter(|_| !tallied_yet) {
            // The tally needs the rules run and the retired identities, which the first
            // reading gathered from the sections after the findings: one more reading.
            for finding in
                crate::merge::findings(&command.files, min_confidence, merged.counts.findings)?
            {
                tally.add(&catalog, &finding?);
            }
        }
        for (path, format) in compliance {
            let reporter = format.reporter(
                command.report.framework.as_deref(),
                &runbook,
                path.as_deref(),
            );
            Output::open(path.as_deref())?.write_with(|out, color| {
                let context = ReportContext {
                    compliance: tally.as_ref(),
                    ..context(color)
                };
                reporter.write(&context, out)
            })?;
        }
    }
    // The shards applied --strict themselves.
    super::finish_with(
        result,
        super::InputPolicy {
            strict: false,
            allow_incomplete: command.allow_incomplete,
            fail_on_unscanned: command.fail_on_unscanned,
        },
        merged.counts.fails(fail_on),
    )
}

/// Writes a JSON or SARIF report from one more reading of the shard reports, one batch of
/// findings at a time, feeding `tally` with each finding when given.
fn write_streamed<'a>(
    command: &MergeCommand,
    merged: &crate::merge::MergedRun,
    (path, format): (Option<&std::path::Path>, Format),
    tally: Option<(&mut ComplianceTally, &Catalog)>,
    context: &dyn Fn(bool) -> ReportContext<'a>,
) -> Result<(), CommandError> {
    let findings = crate::merge::findings(
        &command.files,
        command.report.min_confidence,
        merged.counts.findings,
    )?;
    let mut failure: Option<MergeError> = None;
    let mut batches = Batches {
        findings,
        failure: &mut failure,
        tally,
    };
    // Written beside its place and moved there once whole: a shard report that fails on this
    // reading leaves no report cut short where the merged one belongs.
    let staged = path.map(staging_path);
    let written = Output::open(staged.as_deref())?.write_with(|out, color| {
        let context = context(color);
        match format {
            Format::Sarif => crate::report::sarif::write_streamed(
                &context,
                merged.counts.baselined > 0,
                &mut batches,
                out,
            ),
            _ => crate::report::json::write_streamed(
                out,
                &JsonReport::with_counts(context.result, &merged.counts, context.fail_on),
                &mut batches,
            ),
        }
    });
    let finished = match (failure, written) {
        // A shard report that failed on this reading is the cause, not the output.
        (Some(error), _) => Err(error.into()),
        (None, Err(error)) => Err(error),
        (None, Ok(())) => Ok(()),
    };
    let (Some(staged), Some(path)) = (&staged, path) else {
        return finished;
    };
    let moved = finished.and_then(|()| {
        std::fs::rename(staged, path).map_err(|e| CommandError::Output {
            path: path.display().to_string(),
            message: e.to_string(),
        })
    });
    if moved.is_err() {
        let _ = std::fs::remove_file(staged);
    }
    moved
}

/// The file a streamed report is written to before it is moved to `path`: in the same
/// directory, so that the move is a rename.
fn staging_path(path: &std::path::Path) -> std::path::PathBuf {
    let name = path
        .file_name()
        .map_or_else(|| "report".into(), |n| n.to_string_lossy().into_owned());
    path.with_file_name(format!(".{name}.deprov-partial"))
}

/// An output that is one of the shard reports would be cut while it is read.
fn refuse_output_over_input<'a>(
    inputs: &[std::path::PathBuf],
    outputs: impl Iterator<Item = &'a std::path::Path>,
) -> Result<(), MergeError> {
    let inputs: Vec<std::path::PathBuf> = inputs
        .iter()
        .filter_map(|p| std::fs::canonicalize(p).ok())
        .collect();
    for output in outputs {
        if let Ok(output) = std::fs::canonicalize(output) {
            if inputs.contains(&output) {
                return Err(MergeError::OutputIsInput {
                    path: output.display().to_string(),
                });
            }
        }
    }
    Ok(())
}

/// Formats written one finding at a time in the report's order, from the second reading.
fn streams(format: Format) -> bool {
    matches!(format, Format::Json | Format::Sarif)
}

/// The merged findings in batches for the streaming writers, which render a batch on every core
/// while the one before is written. A merge error is kept aside for the command to report, and
/// stops the writer.
struct Batches<'a> {
    findings: crate::merge::MergedFindings,
    failure: &'a mut Option<MergeError>,
    /// The compliance tally that sees each finding as it passes, when this reading feeds it.
    tally: Option<(&'a mut ComplianceTally, &'a Catalog)>,
}

impl Iterator for Batches<'_> {
    type Item = io::Result<Vec<Finding>>;

    fn next(&mut self) -> Option<Self::Item> {
        let mut batch = Vec::with_capacity(FINDINGS_PER_BATCH);
        for finding in self.findings.by_ref() {
            match finding {
                Ok(finding) => {
                    if let Some((tally, catalog)) = self.tally.as_mut() {
                        tally.add(catalog, &finding);
                    }
                    batch.push(finding);
                }
                Err(error) => {
                    *self.failure = Some(error);
                    return Some(Err(io::Error::other("a shard report could not be read")));
                }
            }
            if batch.len() == FINDINGS_PER_BATCH {
                break;
            }
        }
        (!batch.is_empty()).then_some(Ok(batch))
    }
}
