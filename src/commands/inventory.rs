//! `deprov inventory`.

use super::{plan, CommandError, Exit, Output};
use crate::cli::InventoryCommand;
use crate::report::inventory::InventoryReport;
use crate::report::TextOrJson;

pub fn run(command: &InventoryCommand) -> Result<Exit, CommandError> {
    let plan = plan::resolve(&command.scan, None)?;
    let (inventory, sources, skipped) = crate::scan::inventory_only(&plan)?;
    let report = InventoryReport::new(&inventory, &sources, &skipped);
    Output::open(None)?.write_with(|out, color| match command.format {
        TextOrJson::Json => report.write_json(out),
        TextOrJson::Text => report.write_text(out, color),
    })?;
    super::InputPolicy::of(&command.scan, &plan.config).check(&sources, &skipped)?;
    Ok(Exit::Clean)
}
