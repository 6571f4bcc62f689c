//! The runbook as a bash script. Every command is commented out unless the user asked for an
//! executable script: a person reads each step, uncomments it and runs it. Comments carry text
//! from the inputs escaped (`escape::visible`), so that no newline in a name ends a comment and
//! starts a command; values in commands are quoted on one line (`quote`). In an executable
//! script a step for a person pauses the script until they press Enter.

use std::io::{self, Write};

use super::quote::command_line;
use crate::report::escape::visible;
use crate::runbook::{Action, Phase, Runbook, Scope};

pub fn write(runbook: &Runbook, executable: bool, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out, "#!/usr/bin/env bash")?;
    match &runbook.scope {
        Scope::Identity { identity, .. } => writeln!(
            out,
            "# Offboarding runbook for {}, written by deprov from exports evaluated at {}.",
            visible(identity),
            runbook.evaluated_at
        )?,
        Scope::Scan { findings } => writeln!(
            out,
            "# Remediation runbook for {findings} finding(s), written by deprov from exports evaluated at {}.",
            runbook.evaluated_at
        )?,
    }
    if executable {
        writeln!(out, "# deprov never runs it. Its commands run in order when you run this script, and it stops at")?;
        writeln!(
            out,
            "# the first that fails and at every step that needs a person. Read it through first."
        )?;
    } else {
        writeln!(out, "# deprov never runs it, and every command is commented out: read each step, uncomment it,")?;
        writeln!(out, "# run it and check its result before the next.")?;
    }
    writeln!(out, "set -euo pipefail")?;
    for reason in &runbook.incomplete {
        writeln!(
            out,
            "# INCOMPLETE SCAN, not planned for: {}",
            visible(reason)
        )?;
    }
    let variables = runbook.variables();
    if !variables.is_empty() {
        writeln!(out, "#")?;
        writeln!(out, "# Set first (the commands stop if unset):")?;
        for variable in variables {
            writeln!(
                out,
                "#   export {}=...   # {}",
                variable.name(),
                variable.meaning()
            )?;
        }
    }
    let mut number = 0;
    for (index, phase) in Phase::ALL
        .iter()
        .filter(|p| runbook.steps.iter().any(|s| s.phase == **p))
        .enumerate()
    {
        writeln!(out)?;
        writeln!(out, "# == {}. {} ==", index + 1, phase.title())?;
        writeln!(out, "# {}", phase.why())?;
        for step in runbook.steps.iter().filter(|s| s.phase == *phase) {
            number += 1;
            writeln!(out, "#")?;
            writeln!(
                out,
                "# Step {number}: {} [{}]",
                visible(&step.summary),
                visible(&step.system)
            )?;
            if let Some(caution) = &step.caution {
                writeln!(out, "# Caution: {}", visible(caution))?;
            }
            writeln!(
                out,
                "# Resolves: {}",
                step.resolves
                    .iter()
                    .map(|r| visible(r).into_owned())
                    .collect::<Vec<_>>()
                    .join("; ")
            )?;
            writeln!(out, "# Reference: {}", step.documentation)?;
            match &step.action {
                Action::Run(command) => {
                    let line = command_line(command);
                    if executable {
                        writeln!(out, "{line}")?;
                    } else {
                        writeln!(out, "# {line}")?;
                    }
                }
                Action::Manual(instruction) => {
                    writeln!(out, "# By hand: {}", visible(instruction))?;
                    if executable {
                        writeln!(
                            out,
                            "read -r -p 'Step {number} is for a person: press Enter once it is done. ' _"
                        )?;
                    }
                }
            }
        }
    }
    Ok(())
}
