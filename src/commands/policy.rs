//! `deprov policy check [DIR]`: the start-up validation of the pack, alone.

use super::{plan, CommandError, Exit, Output};
use crate::cli::PolicyCommand;
use crate::config::Config;

pub fn run(command: &PolicyCommand) -> Result<Exit, CommandError> {
    match command {
        PolicyCommand::Check { dir } => {
            let (catalog, pack) = plan::load_pack(dir.as_deref(), &mut Config::default())?;
            let rules = pack.all_rules();
            Output::open(None)?.write_with(|out, _| {
                writeln!(
                    out,
                    "ok: {} policy file(s), {} rule(s), all valid against the schema and the catalog ({} rules, {} frameworks)",
                    pack.files().len(),
                    rules.len(),
                    catalog.rules.len(),
                    catalog.frameworks.len()
                )
            })?;
            Ok(Exit::Clean)
        }
    }
}
