//! `deprov diff OLD.json NEW.json`.

use super::{CommandError, Exit, Output};
use crate::cli::DiffCommand;
use crate::report::diff::{diff, load_report};
use crate::report::TextOrJson;

pub fn run(command: &DiffCommand) -> Result<Exit, CommandError> {
    let old = load_report(&command.old)?;
    let new = load_report(&command.new)?;
    let result = diff(old, new, command.fail_on);
    Output::open(None)?.write_with(|out, color| match command.format {
        TextOrJson::Json => result.write_json(out),
        TextOrJson::Text => result.write_text(out, color),
    })?;
    if result.summary.new_incomplete && !command.allow_incomplete {
        return Err(CommandError::Incomplete {
            reasons: if result.summary.new_incomplete_reasons.is_empty() {
                vec![format!(
                    "{} says the run is incomplete",
                    command.new.display()
                )]
            } else {
                result.summary.new_incomplete_reasons.clone()
            },
        });
    }
    Ok(if result.summary.failed {
        Exit::Findings
    } else {
        Exit::Clean
    })
}
