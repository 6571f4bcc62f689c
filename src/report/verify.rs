//! Rendering of `deprov verify`'s checklist: text for the person closing the ticket, JSON for
//! the ticket system.

use std::io::{self, Write};

use super::escape::visible;
use super::style::Style;
use crate::verify::{Checklist, ItemState};

pub fn write_json(checklist: &Checklist, out: &mut dyn Write) -> io::Result<()> {
    super::write_json_document(out, checklist)
}

pub fn write_text(checklist: &Checklist, out: &mut dyn Write, color: bool) -> io::Result<()> {
    let style = Style { enabled: color };
    writeln!(
        out,
        "{} {} ({}{}{})",
        style.bold("deprovisioning checklist for"),
        style.bold(&visible(&checklist.identity)),
        checklist.lifecycle,
        checklist
            .retired_at
            .as_deref()
            .map(|r| format!(" since {}", r.get(..10).unwrap_or(r)))
            .unwrap_or_default(),
        checklist
            .owner
            .as_deref()
            .map(|o| format!(", owner {}", visible(o)))
            .unwrap_or_default()
    )?;
    if !checklist.incomplete.is_empty() {
        writeln!(
            out,
            "{}",
            style.severity(
                crate::severity::Severity::Critical,
                "INCOMPLETE SCAN: inputs that should have been read were not; nothing can be certified removed from them:"
            )
        )?;
        for reason in &checklist.incomplete {
            writeln!(out, "  - {}", visible(reason))?;
        }
    }
    if let Some(retires_at) = &checklist.retires_at {
        writeln!(
            out,
            "note: the register schedules this identity's retirement for {}; it is active until then",
            &retires_at[..retires_at.len().min(10)]
        )?;
    } else if !checklist.retired() {
        writeln!(
            out,
            "note: the register does not mark this identity retired"
        )?;
    }
    for item in &checklist.items {
        let mark = match item.state {
            ItemState::StillPresent => {
                style.severity(crate::severity::Severity::High, "[ ] still present")
            }
            ItemState::Removed => "[x] removed        ".to_string(),
            ItemState::Info => style.dim("[i] information    "),
        };
        let kind = format!("{:?}", item.kind).to_lowercase();
        let system = item
            .system
            .as_deref()
            .map(|s| format!(" {}", visible(s)))
            .unwrap_or_default();
        writeln!(
            out,
            "  {mark}  {kind:<11}{system} {}: {}",
            visible(&item.id),
            visible(&item.detail)
        )?;
        if let Some(evidence) = &item.evidence {
            let location = match evidence.line {
                Some(line) => format!("{}:{line}", evidence.path),
                None => evidence.path.to_string(),
            };
            writeln!(
                out,
                "       {}",
                style.dim(&format!(
                    "evidence: {} ({})",
                    visible(&location),
                    visible(&evidence.detail)
                ))
            )?;
        }
    }
    writeln!(out)?;
    if !checklist.incomplete.is_empty() {
        writeln!(
            out,
            "INCOMPLETE: {} item(s) still present, and {} input(s) not read",
            checklist.remaining,
            checklist.incomplete.len()
        )
    } else if checklist.complete {
        writeln!(
            out,
            "complete: nothing of {} remains in the scanned exports",
            visible(&checklist.identity)
        )
    } else {
        writeln!(
            out,
            "INCOMPLETE: {} item(s) still present",
            checklist.remaining
        )
    }
}
