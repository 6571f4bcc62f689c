//! `deprov baseline write FILE PATH…`.

use super::{plan, CommandError, Exit};
use crate::cli::BaselineCommand;
use crate::triage::Baseline;

pub fn run(command: &BaselineCommand) -> Result<Exit, CommandError> {
    match command {
        BaselineCommand::Write { file, scan } => {
            let plan = plan::resolve(scan, None)?;
            let result = super::progress::scan(&plan, scan)?;
            // A baseline is a decision about what exists: not taken from a partial reading.
            super::InputPolicy::of(scan, &plan.config).check(&result.sources, &result.skipped)?;
            // Suppressed findings need no baseline; everything else found now is accepted.
            let accepted: Vec<_> = result
                .findings
                .iter()
                .filter(|f| f.status != crate::findings::FindingStatus::Suppressed)
                .cloned()
                .collect();
            let baseline =
                Baseline::from_findings(&accepted, crate::time::format_rfc3339(plan.now));
            let text =
                serde_json::to_string_pretty(&baseline).map_err(|e| CommandError::Output {
                    path: file.display().to_string(),
                    message: e.to_string(),
                })?;
            std::fs::write(file, text + "\n").map_err(|e| CommandError::Output {
                path: file.display().to_string(),
                message: e.to_string(),
            })?;
            eprintln!(
                "wrote {} finding(s) to {}",
                baseline.entries.len(),
                file.display()
            );
            Ok(Exit::Clean)
        }
    }
}
