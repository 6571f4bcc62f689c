//! `deprov verify IDENTITY PATH…`.

use super::{plan, CommandError, Exit, Output};
use crate::cli::VerifyCommand;
use crate::report::{verify, TextOrJson};

pub fn run(command: &VerifyCommand) -> Result<Exit, CommandError> {
    let plan = plan::resolve(&command.scan, None)?;
    let result = super::progress::scan(&plan, &command.scan)?;
    let mut checklist = crate::verify::checklist(&result.inventory, &command.identity, plan.now)?;
    checklist.mark_incomplete(crate::result::incompleteness(
        &result.sources,
        &result.skipped,
    ));
    Output::open(None)?.write_with(|out, color| match command.format {
        TextOrJson::Json => verify::write_json(&checklist, out),
        TextOrJson::Text => verify::write_text(&checklist, out, color),
    })?;
    super::InputPolicy::of(&command.scan, &plan.config).check(&result.sources, &result.skipped)?;
    Ok(if checklist.complete {
        Exit::Clean
    } else {
        Exit::Findings
    })
}
