//! `deprov rules`.

use super::{plan, CommandError, Exit, Output};
use crate::cli::RulesCommand;
use crate::config::Config;
use crate::report::{rules, Format};

pub fn run(command: &RulesCommand) -> Result<Exit, CommandError> {
    let config = Config::load(None)?;
    let (catalog, pack) = plan::load_pack(command.policies.as_deref(), &config)?;
    let active: Vec<&str> = pack.active_rules().into_iter().collect();
    Output::open(None)?.write_with(|out, color| match command.format {
        Format::Json => rules::write_json(&catalog, &active, out),
        Format::Text => rules::write_text(&catalog, &active, out, color),
    })?;
    Ok(Exit::Clean)
}
