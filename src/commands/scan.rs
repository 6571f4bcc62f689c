//! `deprov scan`.

use std::path::PathBuf;

use super::{plan, CommandError, Exit, Output};
use crate::cli::{ReportArgs, ScanCommand};
use crate::report::{Format, ReportContext};
use crate::severity::FailOn;

pub fn run(command: &ScanCommand) -> Result<Exit, CommandError> {
    let plan = plan::resolve(&command.scan, command.baseline.as_deref())?;
    let mut result = super::progress::scan(&plan, &command.scan)?;
    if let Some(min) = command
        .report
        .min_confidence
        .or(plan.config.secrets.min_confidence)
    {
        result.filter_confidence(min);
    }
    let fail_on = command
        .report
        .fail_on
        .or(plan.config.fail_on)
        .unwrap_or(FailOn::High);
    let runbook = crate::report::RunbookOptions {
        executable: command.report.runbook_executable,
        reverify: super::runbook::reverify_scan(&command.scan),
    };
    write_reports(&result, &plan.catalog, fail_on, &command.report, &runbook)?;
    let exit = super::finish(
        &result,
        super::InputPolicy::of(&command.scan, &plan.config),
        fail_on,
    );
    // The process ends here: freeing a million findings and the inventory one allocation at a
    // time would cost seconds that the operating system does in one step.
    std::mem::forget(result);
    exit
}

/// Where the reports go, in which format: `--format` to standard output unless reports go to
/// files only; each `--output` file in the format its extension names.
pub(super) fn report_targets(report: &ReportArgs) -> Vec<(Option<PathBuf>, Format)> {
    let mut targets: Vec<(Option<PathBuf>, Format)> = report
        .output
        .iter()
        .map(|path| (Some(path.clone()), Format::for_output(path, report.format)))
        .collect();
    if targets.is_empty() {
        targets.push((None, report.format));
    }
    targets
}

/// Writes the reports a scan (or a merge) asks for: `--format` to standard output unless reports
/// go to files only; each `--output` file in the format its extension names.
pub(super) fn write_reports(
    result: &crate::result::ScanResult,
    catalog: &crate::catalog::Catalog,
    fail_on: FailOn,
    report: &ReportArgs,
    runbook: &crate::report::RunbookOptions,
) -> Result<(), CommandError> {
    let framework = report.framework.as_deref();
    let targets = report_targets(report);
    // One tally of the findings for every compliance format asked for.
    let tally = targets
        .iter()
        .any(|(_, format)| format.is_compliance())
        .then(|| crate::report::compliance::ComplianceTally::of(result, catalog));
    for (path, format) in targets {
        let reporter = format.reporter(framework, runbook, path.as_deref());
        Output::open(path.as_deref())?.write_with(|out, color| {
            let context = ReportContext {
                result,
                catalog,
                fail_on,
                color,
                compliance: tally.as_ref(),
            };
            reporter.write(&context, out)
        })?;
    }
    Ok(())
}
