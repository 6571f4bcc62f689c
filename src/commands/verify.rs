//! `deprov verify IDENTITY PATH…`, and with `--runbook` the commands that finish the job.

use super::{plan, CommandError, Exit, Output};
use crate::cli::VerifyCommand;
use crate::report::runbook::RunbookStyle;
use crate::report::{verify, TextOrJson};

pub fn run(command: &VerifyCommand) -> Result<Exit, CommandError> {
    let plan = plan::resolve(&command.scan, None)?;
    let result = super::progress::scan(&plan, &command.scan)?;
    let mut checklist = crate::verify::checklist(&result.inventory, &command.identity, plan.now)?;
    checklist.mark_incomplete(crate::result::incompleteness(
        &result.sources,
        &result.skipped,
    ));
    if command.runbook {
        let runbook = crate::runbook::for_checklist(
            &checklist,
            &result.inventory,
            plan.now,
            super::runbook::reverify_identity(&command.identity, &command.scan),
        );
        let executable = command.runbook_executable;
        if command.output.is_empty() {
            let style = match command.format {
                TextOrJson::Json => RunbookStyle::Json,
                TextOrJson::Text => RunbookStyle::Markdown,
            };
            Output::open(None)?
                .write_with(|out, _| crate::report::runbook::write(&runbook, style, out))?;
        }
        for path in &command.output {
            let style = RunbookStyle::for_path(Some(path), executable);
            Output::open(Some(path))?
                .write_with(|out, _| crate::report::runbook::write(&runbook, style, out))?;
        }
    } else {
        Output::open(None)?.write_with(|out, color| match command.format {
            TextOrJson::Json => verify::write_json(&checklist, out),
            TextOrJson::Text => verify::write_text(&checklist, out, color),
        })?;
    }
    super::InputPolicy::of(&command.scan, &plan.config).check(&result.sources, &result.skipped)?;
    Ok(if checklist.complete {
        Exit::Clean
    } else {
        Exit::Findings
    })
}
