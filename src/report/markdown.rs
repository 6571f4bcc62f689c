//! The framework-mapped compliance report in Markdown: a summary, then for every framework and
//! control its status (fail, pass, not assessed), the findings that make it fail, and the
//! identities affected.

use std::io::{self, Write};

use super::compliance::{self, ComplianceView, ControlStatus, ControlView};
use super::escape::visible;
use super::{ReportContext, Reporter};
use crate::time::format_rfc3339;

pub struct MarkdownReporter {
    pub framework: Option<String>,
}

/// Escapes input-derived text for a Markdown table cell or paragraph, so that it renders as the
/// text it is and nothing else: control and bidi characters are shown as escapes first
/// ([`visible`], so a newline can neither end a table row nor start a block), then every ASCII
/// punctuation character Markdown or HTML gives a meaning to is backslash-escaped (emphasis,
/// code, links and images, raw HTML and entities, headings, cell separators, strikethrough;
/// parentheses only make a link after `]`, which is escaped).
/// GitHub's extended autolinks (`https://…`, `www.…`) turn bare text into links, so their `:`
/// and `.` are escaped too: the escape splits the text where the renderer looks for them.
pub(crate) fn md(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len() + 8);
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '|' | '*' | '_' | '`' | '<' | '>' | '[' | ']' | '\\' | '#' | '&' | '!' | '~' => {
                out.push('\\');
                out.push(c);
            }
            ':' if chars.peek() == Some(&'/') => out.push_str("\\:"),
            '.' if out
                .get(out.len().saturating_sub(3)..)
                .is_some_and(|tail| tail.eq_ignore_ascii_case("www")) =>
            {
                out.push_str("\\.");
            }
            _ => out.push(c),
        }
    }
    out
}

/// A stable anchor for a framework or control.
pub fn anchor(id: &str) -> String {
    id.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() {
                c.to_ascii_lowercase()
            } else {
                '-'
            }
        })
        .collect()
}

fn status_badge(status: ControlStatus) -> &'static str {
    match status {
        ControlStatus::Fail => "**FAIL**",
        ControlStatus::Pass => "pass",
        ControlStatus::NotAssessed => "not assessed",
    }
}

impl Reporter for MarkdownReporter {
    fn write(&self, context: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
        compliance::with_view(context, self.framework.as_deref(), |view| {
            write_report(view, context, out)
        })
    }
}

fn write_report(
    view: &ComplianceView,
    context: &ReportContext,
    out: &mut dyn Write,
) -> io::Result<()> {
    write_header(view, context, out)?;
    for framework in &view.frameworks {
        writeln!(out)?;
        writeln!(out, "<a id=\"{}\"></a>", anchor(&framework.framework.id))?;
        writeln!(
            out,
            "## {} {}",
            md(&framework.framework.name),
            md(&framework.framework.version)
        )?;
        writeln!(out)?;
        writeln!(
            out,
            "{} failing, {} passing, {} not assessed.",
            framework.count(ControlStatus::Fail),
            framework.count(ControlStatus::Pass),
            framework.count(ControlStatus::NotAssessed)
        )?;
        writeln!(out)?;
        writeln!(out, "| Control | Title | Status | Findings | Identities |")?;
        writeln!(out, "|---|---|---|---:|---:|")?;
        for control in &framework.controls {
            writeln!(
                out,
                "| [{}](#{}) | {} | {} | {} | {} |",
                md(&control.control.id),
                anchor(&control.control.id),
                md(&control.control.title),
                status_badge(control.status),
                control.counted,
                control.identity_count
            )?;
        }
        for control in &framework.controls {
            write_control(control, out)?;
        }
    }
    Ok(())
}

fn write_header(
    view: &ComplianceView,
    context: &ReportContext,
    out: &mut dyn Write,
) -> io::Result<()> {
    let result = context.result;
    writeln!(out, "# deprov compliance report")?;
    writeln!(out)?;
    writeln!(
        out,
        "Evaluated at {} over {} file(s) ({} skipped). {} finding(s) count; {} are baselined or suppressed.",
        format_rfc3339(result.evaluated_at),
        result.sources.len(),
        result.skipped.len(),
        view.overview.counted,
        view.overview.accepted
    )?;
    if let Some(filter) = &view.filter {
        writeln!(out)?;
        writeln!(out, "Filtered to `{}`.", md(filter))?;
    }
    if let Some(filter) = result.confidence_filter {
        writeln!(out)?;
        writeln!(
            out,
            "{} finding(s) about secrets below {} confidence are left out (`--min-confidence {}`).",
            filter.filtered, filter.min, filter.min
        )?;
    }
    if !view.incomplete.is_empty() {
        writeln!(out)?;
        writeln!(
            out,
            "> **INCOMPLETE** ({} problem(s): inputs that should have been read and were not), so findings may be missing and no control is reported as passing:",
            view.incomplete.len()
        )?;
        writeln!(out, ">")?;
        for reason in &view.incomplete {
            writeln!(out, "> - {}", md(reason))?;
        }
    }
    writeln!(out)?;
    writeln!(out, "## Contents")?;
    writeln!(out)?;
    writeln!(out, "- [Summary](#summary)")?;
    for framework in &view.frameworks {
        writeln!(
            out,
            "- [{} {}](#{}): {} failing, {} passing, {} not assessed",
            md(&framework.framework.name),
            md(&framework.framework.version),
            anchor(&framework.framework.id),
            framework.count(ControlStatus::Fail),
            framework.count(ControlStatus::Pass),
            framework.count(ControlStatus::NotAssessed)
        )?;
    }
    writeln!(out)?;
    writeln!(out, "<a id=\"summary\"></a>")?;
    writeln!(out, "## Summary")?;
    writeln!(out)?;
    writeln!(out, "| Severity | Findings |")?;
    writeln!(out, "|---|---:|")?;
    for (severity, count) in &view.overview.by_severity {
        writeln!(out, "| {severity} | {count} |")?;
    }
    writeln!(out)?;
    writeln!(out, "| System | Findings |")?;
    writeln!(out, "|---|---:|")?;
    for (system, count) in view.overview.by_system {
        writeln!(out, "| {} | {count} |", md(system))?;
    }
    writeln!(out)?;
    writeln!(out, "### Residual access of retired identities")?;
    writeln!(out)?;
    if view.overview.residual.is_empty() {
        writeln!(out, "None: no retired identity has a counted finding.")?;
    } else {
        writeln!(
            out,
            "Proof of deprovisioning: once the access is removed, the command beside each identity writes its evidence bundle (checklist, hashed inputs, `SHA256SUMS`); `deprov verify --check DIR` tells later whether it still holds."
        )?;
        writeln!(out)?;
        writeln!(
            out,
            "| Identity | Systems | Findings | Most severe | Evidence |"
        )?;
        writeln!(out, "|---|---|---:|---|---|")?;
        for (identity, residual) in view.overview.residual {
            let worst = residual.worst.map_or("", |s| s.as_str());
            writeln!(
                out,
                "| {} | {} | {} | {worst} | {} |",
                md(identity),
                md(&residual
                    .systems
                    .iter()
                    .map(String::as_str)
                    .collect::<Vec<_>>()
                    .join(", ")),
                residual.findings,
                md(&super::compliance::evidence_command(
                    identity,
                    context.result.evaluated_at
                ))
            )?;
        }
    }
    Ok(())
}

fn write_control(control: &ControlView, out: &mut dyn Write) -> io::Result<()> {
    writeln!(out)?;
    writeln!(out, "<a id=\"{}\"></a>", anchor(&control.control.id))?;
    writeln!(
        out,
        "### {} {}: {}",
        md(&control.control.id),
        md(&control.control.title),
        status_badge(control.status)
    )?;
    writeln!(out)?;
    if control.rules.is_empty() {
        writeln!(out, "No deprov rule assesses this control.")?;
        return Ok(());
    }
    writeln!(
        out,
        "Rules: {}{}.",
        control.rules.join(", "),
        if control.rules_run.len() < control.rules.len() {
            format!(
                " (ran: {})",
                if control.rules_run.is_empty() {
                    "none".to_string()
                } else {
                    control.rules_run.join(", ")
                }
            )
        } else {
            String::new()
        }
    )?;
    if !control.identities.is_empty() {
        writeln!(
            out,
            "Identities affected: {}{}.",
            control
                .identities
                .iter()
                .map(|i| md(i))
                .collect::<Vec<_>>()
                .join(", "),
            match control.unlisted_identities() {
                0 => String::new(),
                more => format!(" and {more} more ({} in all)", control.identity_count),
            }
        )?;
    }
    if control.findings.is_empty() {
        return Ok(());
    }
    writeln!(out)?;
    writeln!(
        out,
        "| Severity | Rule | Identity | System | Evidence | Finding |"
    )?;
    writeln!(out, "|---|---|---|---|---|---|")?;
    for f in &control.findings {
        let location = match f.evidence.line {
            Some(line) => format!("{}:{line}", f.evidence.path),
            None => f.evidence.path.to_string(),
        };
        let severity = match f.confidence {
            Some(level) => format!("{} (confidence {level})", f.severity),
            None => f.severity.to_string(),
        };
        writeln!(
            out,
            "| {} | {} | {} | {} | {} | {} |",
            severity,
            f.rule,
            md(&f.identity),
            md(&f.system),
            md(&location),
            md(&f.message)
        )?;
    }
    if control.unlisted_findings() > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "{}",
            super::compliance::unlisted_note(control.findings.len(), control.counted)
        )?;
    }
    if control.accepted > 0 {
        writeln!(out)?;
        writeln!(
            out,
            "Also {} baselined or suppressed finding(s).",
            control.accepted
        )?;
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::md;

    #[test]
    fn input_renders_as_text_only() {
        assert_eq!(md("a|b\nc"), "a\\|b\\\\nc");
        assert_eq!(md("x\x1b[2J"), "x\\\\x1b\\[2J");
        assert_eq!(
            md("[t](https://e.example) ![i](x) <b>&amp; ~~s~~ WWW.e.example"),
            "\\[t\\](https\\://e.example) \\!\\[i\\](x) \\<b\\>\\&amp; \\~\\~s\\~\\~ WWW\\.e.example"
        );
        // Nothing to escape in ordinary identifiers; multi-byte text before `.` is no `www`.
        assert_eq!(md("arn:aws:iam::1:user/ci"), "arn:aws:iam::1:user/ci");
        assert_eq!(md("東.x"), "東.x");
    }
}
