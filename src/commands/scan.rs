//! `deprov scan`.

use std::path::PathBuf;

use super::{plan, CommandError, Exit, Output};
use crate::cli::ScanCommand;
use crate::report::{Format, ReportContext};
use crate::severity::FailOn;

pub fn run(command: &ScanCommand) -> Result<Exit, CommandError> {
    let plan = plan::resolve(&command.scan, command.baseline.as_deref())?;
    let result = super::progress::scan(&plan, &command.scan)?;
    let fail_on = command
        .fail_on
        .or(plan.config.fail_on)
        .unwrap_or(FailOn::High);
    // Standard output gets --format unless reports go to files only.
    let mut targets: Vec<(Option<PathBuf>, Format)> = command
        .output
        .iter()
        .map(|path| {
            (
                Some(path.clone()),
                Format::from_path(path).unwrap_or(command.format),
            )
        })
        .collect();
    if targets.is_empty() {
        targets.push((None, command.format));
    }
    for (path, format) in targets {
        let reporter = format.reporter(command.framework.as_deref());
        Output::open(path.as_deref())?.write_with(|out, color| {
            let context = ReportContext {
                result: &result,
                catalog: &plan.catalog,
                fail_on,
                color,
            };
            reporter.write(&context, out)
        })?;
    }
    super::finish(&result, &command.scan, fail_on)
}
