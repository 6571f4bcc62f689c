//! `deprov rules`.

use super::{plan, CommandError, Exit, Output};
use crate::cli::RulesCommand;
use crate::config::Config;
use crate::report::{rules, TextOrJson};

pub fn run(command: &RulesCommand) -> Result<Exit, CommandError> {
    let mut config = Config::load(None)?;
    let (catalog, pack) = plan::load_pack(command.policies.as_deref(), &mut config)?;
    let active: Vec<&str> = pack.active_rules().into_iter().collect();
    Output::open(None)?.write_with(|out, color| match command.format {
        TextOrJson::Json => rules::write_json(&catalog, &active, out),
        TextOrJson::Text => rules::write_text(&catalog, &active, out, color),
    })?;
    Ok(Exit::Clean)
}
