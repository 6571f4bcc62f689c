//! `deprov verify --check DIR` in words: whether an evidence bundle still holds, and why not.

use std::io::{self, Write};

use super::escape::visible;
use crate::evidence::CheckReport;

pub fn write_check_text(report: &CheckReport, out: &mut dyn Write) -> io::Result<()> {
    writeln!(
        out,
        "evidence for {} as of {}: {}",
        visible(&report.identity),
        visible(&report.now),
        if report.holds {
            "HOLDS"
        } else {
            "DOES NOT HOLD"
        }
    )?;
    for name in &report.altered {
        writeln!(
            out,
            "  bundle file {} does not match SHA256SUMS (altered or missing)",
            visible(name)
        )?;
    }
    writeln!(
        out,
        "  {} recorded input(s) checked, {} difference(s)",
        report.inputs_checked,
        report.inputs.len()
    )?;
    for change in &report.inputs {
        writeln!(out, "  {:<10} {}", change.change, visible(&change.path))?;
    }
    if let Some(error) = &report.rerun_error {
        writeln!(
            out,
            "  the verification could not be run again: {}",
            visible(error)
        )?;
    } else if report.same_result {
        writeln!(
            out,
            "  the verification run again gives the recorded result"
        )?;
    } else {
        writeln!(
            out,
            "  the verification run again gives another result than result.json"
        )?;
    }
    for note in &report.notes {
        writeln!(out, "  note: {}", visible(note))?;
    }
    Ok(())
}
