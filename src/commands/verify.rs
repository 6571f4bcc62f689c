//! `deprov verify IDENTITY PATH…`.

use super::{plan, CommandError, Exit, Output};
use crate::cli::VerifyCommand;
use crate::report::{verify, TextOrJson};

pub fn run(command: &VerifyCommand) -> Result<Exit, CommandError> {
    let plan = plan::resolve(&command.scan, None)?;
    let result = super::progress::scan(&plan, &command.scan)?;
    let checklist = crate::verify::checklist(&result.inventory, &command.identity, plan.now)?;
    Output::open(None)?.write_with(|out, color| match command.format {
        TextOrJson::Json => verify::write_json(&checklist, out),
        TextOrJson::Text => verify::write_text(&checklist, out, color),
    })?;
    if command.scan.strict && !result.skipped.is_empty() {
        return Err(CommandError::Strict {
            count: result.skipped.len(),
        });
    }
    Ok(if checklist.complete {
        Exit::Clean
    } else {
        Exit::Findings
    })
}
