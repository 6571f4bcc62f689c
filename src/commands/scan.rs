//! `deprov scan`.

use super::{plan, CommandError, Exit, Output};
use crate::cli::ScanCommand;
use crate::report::json::fails;
use crate::report::ReportContext;
use crate::severity::FailOn;

pub fn run(command: &ScanCommand) -> Result<Exit, CommandError> {
    let plan = plan::resolve(&command.scan)?;
    let result = crate::scan::scan(&plan)?;
    let fail_on = command
        .fail_on
        .or(plan.config.fail_on)
        .unwrap_or(FailOn::High);
    let output = Output::open(command.output.as_deref())?;
    let reporter = command.format.reporter();
    output.write_with(|out, color| {
        let context = ReportContext {
            result: &result,
            catalog: &plan.catalog,
            fail_on,
            color,
        };
        reporter.write(&context, out)
    })?;
    if !result.policy_errors.is_empty() {
        return Err(CommandError::PolicyEvaluation {
            count: result.policy_errors.len(),
        });
    }
    if command.scan.strict && !result.skipped.is_empty() {
        return Err(CommandError::Strict {
            count: result.skipped.len(),
        });
    }
    Ok(if fails(&result.findings, fail_on) {
        Exit::Findings
    } else {
        Exit::Clean
    })
}
