//! The runbook as a ticket: phases in order, each step a checkbox with its command in a code
//! block (or its instruction), what to check first, and what it resolves. Text from the inputs
//! is escaped as every Markdown report escapes it; commands are bash lines whose values are
//! quoted on one line, so no input can close a code block.

use std::io::{self, Write};

use super::quote::command_line;
use crate::report::markdown::md;
use crate::runbook::{Action, Phase, Runbook, Scope};

pub fn write(runbook: &Runbook, out: &mut dyn Write) -> io::Result<()> {
    match &runbook.scope {
        Scope::Identity {
            identity,
            lifecycle,
            retired_at,
            owner,
            remaining,
        } => {
            writeln!(out, "# Offboarding runbook: {}", md(identity))?;
            writeln!(out)?;
            let mut facts = vec![match retired_at {
                Some(at) => format!("{lifecycle} since {}", at.get(..10).unwrap_or(at)),
                None => (*lifecycle).to_string(),
            }];
            if let Some(owner) = owner {
                facts.push(format!("owner {}", md(owner)));
            }
            facts.push(format!("{remaining} item(s) still present"));
            facts.push(format!("evaluated at {}", runbook.evaluated_at));
            writeln!(out, "{}", facts.join(" · "))?;
        }
        Scope::Scan { findings } => {
            writeln!(out, "# Remediation runbook: {findings} finding(s)")?;
            writeln!(out)?;
            writeln!(out, "evaluated at {}", runbook.evaluated_at)?;
        }
    }
    writeln!(out)?;
    if !runbook.incomplete.is_empty() {
        writeln!(
            out,
            "**Incomplete scan:** these inputs were not read, so nothing in them is planned for:"
        )?;
        writeln!(out)?;
        for reason in &runbook.incomplete {
            writeln!(out, "- {}", md(reason))?;
        }
        writeln!(out)?;
    }
    writeln!(
        out,
        "> deprov runs none of these commands. Take the steps in order, check each result before the next, and keep this ticket as the record."
    )?;
    writeln!(out)?;
    let variables = runbook.variables();
    if !variables.is_empty() {
        writeln!(out, "Set first:")?;
        writeln!(out)?;
        for variable in variables {
            writeln!(out, "- `{}`: {}", variable.name(), variable.meaning())?;
        }
        writeln!(out)?;
    }
    let mut number = 0;
    for (index, phase) in Phase::ALL
        .iter()
        .filter(|p| runbook.steps.iter().any(|s| s.phase == **p))
        .enumerate()
    {
        writeln!(out, "## {}. {}", index + 1, phase.title())?;
        writeln!(out)?;
        writeln!(out, "{}", phase.why())?;
        writeln!(out)?;
        for step in runbook.steps.iter().filter(|s| s.phase == *phase) {
            number += 1;
            writeln!(
                out,
                "- [ ] **Step {number}.** {} ({})",
                md(&step.summary),
                md(&step.system)
            )?;
            writeln!(out)?;
            match &step.action {
                Action::Run(command) => {
                    writeln!(out, "  ```sh")?;
                    writeln!(out, "  {}", command_line(command))?;
                    writeln!(out, "  ```")?;
                }
                Action::Manual(instruction) => {
                    writeln!(out, "  By hand: {}", md(instruction))?;
                }
            }
            writeln!(out)?;
            if let Some(caution) = &step.caution {
                writeln!(out, "  Caution: {}", md(caution))?;
                writeln!(out)?;
            }
            writeln!(
                out,
                "  Resolves: {}. Reference: {}",
                step.resolves
                    .iter()
                    .map(|r| md(r))
                    .collect::<Vec<_>>()
                    .join("; "),
                // deprov's own constant, never from an input.
                step.documentation
            )?;
            writeln!(out)?;
        }
    }
    Ok(())
}
