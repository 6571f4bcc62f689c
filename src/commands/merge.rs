//! `deprov merge FILE…`: the shards of one run, combined.

use super::{CommandError, Exit};
use crate::cli::MergeCommand;
use crate::config::Config;
use crate::merge::ShardReport;
use crate::report::diff::load_report;

pub fn run(command: &MergeCommand) -> Result<Exit, CommandError> {
    let mut shards = Vec::with_capacity(command.files.len());
    for file in &command.files {
        shards.push(ShardReport {
            path: file.display().to_string(),
            report: load_report(file)?,
        });
    }
    let shard_fail_on = shards.first().map(|s| s.report.summary.fail_on);
    let mut result = crate::merge::merge(shards)?;
    // The shards' level applies already; a higher one given here filters further, and a lower
    // one cannot bring back what the shards left out.
    if let Some(min) = command.report.min_confidence {
        if let Some(shards) = result.confidence_filter.filter(|f| f.min > min) {
            eprintln!(
                "warning: the shards left out findings below {} confidence; --min-confidence {min} cannot bring them back",
                shards.min
            );
        }
        result.filter_confidence(min);
    }
    let (catalog, _) = super::plan::load_pack(command.policies.as_deref(), &mut Config::default())?;
    let fail_on = command
        .report
        .fail_on
        .or(shard_fail_on)
        .unwrap_or(crate::severity::FailOn::High);
    let runbook = crate::report::RunbookOptions {
        executable: command.report.runbook_executable,
        reverify: super::runbook::reverify_merge(&command.files),
    };
    super::scan::write_reports(&result, &catalog, fail_on, &command.report, &runbook)?;
    // The shards applied --strict themselves.
    super::finish(
        &result,
        super::InputPolicy {
            strict: false,
            allow_incomplete: command.allow_incomplete,
            fail_on_unscanned: command.fail_on_unscanned,
        },
        fail_on,
    )
}
