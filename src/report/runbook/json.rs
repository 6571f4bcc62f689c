//! The runbook as JSON, for a ticket system or an automation that shows each step to a person:
//! each command as its argument vector (exact values; variables written `${NAME}`) and as the
//! bash line the other formats show.

use std::io::{self, Write};

use serde::Serialize;

use super::quote::command_line;
use crate::runbook::{Action, Runbook, Scope};

#[derive(Serialize)]
struct Document<'a> {
    schema_version: u32,
    evaluated_at: &'a str,
    scope: ScopeView<'a>,
    #[serde(skip_serializing_if = "<[String]>::is_empty")]
    incomplete: &'a [String],
    variables: Vec<VariableView>,
    steps: Vec<StepView<'a>>,
}

#[derive(Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
enum ScopeView<'a> {
    Identity {
        identity: &'a str,
        lifecycle: &'a str,
        retired_at: Option<&'a str>,
        owner: Option<&'a str>,
        remaining: usize,
    },
    Scan {
        findings: usize,
    },
}

#[derive(Serialize)]
struct VariableView {
    name: &'static str,
    meaning: &'static str,
}

#[derive(Serialize)]
struct StepView<'a> {
    number: usize,
    phase: &'static str,
    system: &'a str,
    summary: &'a str,
    #[serde(skip_serializing_if = "Option::is_none")]
    command: Option<CommandView>,
    #[serde(skip_serializing_if = "Option::is_none")]
    manual: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    caution: Option<&'a str>,
    documentation: &'static str,
    resolves: &'a [String],
}

#[derive(Serialize)]
struct CommandView {
    argv: Vec<String>,
    shell: String,
}

pub fn write(runbook: &Runbook, out: &mut dyn Write) -> io::Result<()> {
    let scope = match &runbook.scope {
        Scope::Identity {
            identity,
            lifecycle,
            retired_at,
            owner,
            remaining,
        } => ScopeView::Identity {
            identity,
            lifecycle,
            retired_at: retired_at.as_deref(),
            owner: owner.as_deref(),
            remaining: *remaining,
        },
        Scope::Scan { findings } => ScopeView::Scan {
            findings: *findings,
        },
    };
    let steps = runbook
        .steps
        .iter()
        .enumerate()
        .map(|(index, step)| {
            let (command, manual) = match &step.action {
                Action::Run(command) => (
                    Some(CommandView {
                        argv: command.argv(),
                        shell: command_line(command),
                    }),
                    None,
                ),
                Action::Manual(instruction) => (None, Some(instruction.as_str())),
            };
            StepView {
                number: index + 1,
                phase: step.phase.as_str(),
                system: &step.system,
                summary: &step.summary,
                command,
                manual,
                caution: step.caution.as_deref(),
                documentation: step.documentation,
                resolves: &step.resolves,
            }
        })
        .collect();
    let document = Document {
        schema_version: 1,
        evaluated_at: &runbook.evaluated_at,
        scope,
        incomplete: &runbook.incomplete,
        variables: runbook
            .variables()
            .into_iter()
            .map(|v| VariableView {
                name: v.name(),
                meaning: v.meaning(),
            })
            .collect(),
        steps,
    };
    crate::report::write_json_document(out, &document)
}
