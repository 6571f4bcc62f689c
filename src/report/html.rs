//! The compliance report as one self-contained HTML page: inline CSS, no scripts, no fonts, no
//! network. A table of contents, a summary, then every framework and control with its status,
//! evidence and affected identities.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::compliance::{self, ComplianceView, ControlStatus, ControlView};
use super::escape::visible;
use super::markdown::anchor;
use super::{ReportContext, Reporter};
use crate::findings::Finding;
use crate::severity::Severity;
use crate::time::format_rfc3339;

pub struct HtmlReporter {
    pub framework: Option<String>,
}

/// Escapes text for HTML content and attribute values. Control and bidi characters are shown as
/// escapes first ([`visible`]): a browser ignores most of them, but the page also ends up in
/// terminals and editors, and a bidi override reorders what the reader sees.
pub fn esc(text: &str) -> String {
    let text = visible(text);
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            _ => out.push(c),
        }
    }
    out
}

const STYLE: &str = r#"
:root { --fg:#1d2330; --muted:#5b6475; --line:#d9dee7; --bg:#ffffff; --band:#f5f7fa;
  --critical:#8b0000; --high:#c62828; --medium:#b26a00; --low:#1565c0; --info:#546e7a;
  --fail:#c62828; --pass:#2e7d32; --na:#6b7280; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: var(--bg); }
header { padding: 24px 40px; background: #14213d; color: #fff; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; color: #cfd6e4; }
.layout { display: flex; align-items: flex-start; }
nav { position: sticky; top: 0; width: 280px; flex: none; padding: 20px 16px 20px 40px; max-height: 100vh; overflow: auto; border-right: 1px solid var(--line); }
nav h2 { font-size: 13px; text-transform: uppercase; letter-spacing: .05em; color: var(--muted); }
nav ul { list-style: none; padding: 0; margin: 0; }
nav li { margin: 4px 0; }
nav a { color: var(--fg); text-decoration: none; }
nav a:hover { text-decoration: underline; }
main { flex: 1; padding: 20px 40px 60px; min-width: 0; }
h2 { margin-top: 36px; border-bottom: 2px solid var(--line); padding-bottom: 6px; }
h3 { margin: 28px 0 8px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; overflow-wrap: anywhere; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin: 12px 0 20px; }
.card { border: 1px solid var(--line); border-radius: 8px; padding: 10px 16px; min-width: 110px; }
.card b { display: block; font-size: 22px; }
.sev { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; font-weight: 600; text-transform: uppercase; }
.sev-critical { background: var(--critical); } .sev-high { background: var(--high); }
.sev-medium { background: var(--medium); } .sev-low { background: var(--low); } .sev-info { background: var(--info); }
.status { display: inline-block; padding: 1px 8px; border-radius: 4px; font-size: 12px; font-weight: 700; text-transform: uppercase; border: 1px solid; }
.status-fail { color: var(--fail); border-color: var(--fail); }
.status-pass { color: var(--pass); border-color: var(--pass); }
.status-not-assessed { color: var(--na); border-color: var(--na); }
.muted { color: var(--muted); }
.incomplete { margin: 0; padding: 12px 40px; background: #fdecea; color: var(--critical); border-bottom: 2px solid var(--critical); }
.incomplete h2 { margin: 0 0 4px; border: 0; font-size: 18px; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--band); padding: 1px 4px; border-radius: 3px; word-break: break-all; }
.charts { display: grid; grid-template-columns: repeat(auto-fill, minmax(min(100%, 420px), 1fr)); gap: 8px 24px; }
.charts figure { margin: 0 0 12px; min-width: 0; }
.charts figcaption { font-weight: 600; margin-bottom: 4px; }
svg.chart { display: block; width: 100%; height: auto; }
@media print { nav { display: none; } main { padding: 0; } figure { break-inside: avoid; } }
"#;

/// The page's Content-Security-Policy. The report needs nothing but its own stylesheet: no
/// script, image, font, frame or connection, so everything else is refused (`default-src
/// 'none'`), and `base-uri` and `form-action`, which do not fall back to `default-src`, are
/// closed too. The stylesheet is allowed by its hash rather than by `'unsafe-inline'`, so that
/// even a `<style>` element or `style` attribute that slipped past escaping would not apply.
/// The policy must come before the `<style>` element: a `<meta>` policy governs what follows it.
pub fn content_security_policy() -> String {
    content_security_policy_for(STYLE)
}

/// The same policy for a page whose only stylesheet is `style` (the trend page).
pub fn content_security_policy_for(style: &str) -> String {
    use base64::Engine as _;
    use sha2::{Digest, Sha256};
    let style_hash = base64::engine::general_purpose::STANDARD.encode(Sha256::digest(style));
    format!(
        "default-src 'none'; style-src 'sha256-{style_hash}'; base-uri 'none'; form-action 'none'"
    )
}

fn status_class(status: ControlStatus) -> &'static str {
    match status {
        ControlStatus::Fail => "status-fail",
        ControlStatus::Pass => "status-pass",
        ControlStatus::NotAssessed => "status-not-assessed",
    }
}

fn sev(severity: Severity) -> String {
    format!("<span class=\"sev sev-{0}\">{0}</span>", severity.as_str())
}

impl Reporter for HtmlReporter {
    fn write(&self, context: &ReportContext, out: &mut dyn Write) -> io::Result<()> {
        compliance::with_view(context, self.framework.as_deref(), |view| {
            out.write_all(page(view, context).as_bytes())
        })
    }
}

/// The whole page, built in memory: a control lists at most
/// [`compliance::LISTED_PER_CONTROL`] findings, so its size is bounded by the catalog.
fn page(view: &ComplianceView, context: &ReportContext) -> String {
    let mut page = String::with_capacity(64 * 1024);
    let _ = writeln!(
            page,
            "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>deprov compliance report</title>\n<style>{STYLE}</style>\n</head>\n<body>",
            content_security_policy()
        );
    let result = context.result;
    let _ = writeln!(
            page,
            "<header><h1>deprov compliance report</h1><p>Evaluated at {} over {} file(s), {} skipped{}{}</p></header>",
            esc(&format_rfc3339(result.evaluated_at)),
            result.sources.len(),
            result.skipped.len(),
            view.filter
                .as_ref()
                .map(|f| format!(" · filtered to <code>{}</code>", esc(f)))
                .unwrap_or_default(),
            result
                .confidence_filter
                .map(|f| format!(
                    " · {} finding(s) about secrets below {} confidence left out (<code>--min-confidence {}</code>)",
                    f.filtered, f.min, f.min
                ))
                .unwrap_or_default()
        );
    if !view.incomplete.is_empty() {
        let _ = writeln!(
                page,
                "<section class=\"incomplete\" role=\"alert\"><h2>Incomplete</h2><p>The run is incomplete ({} problem(s): inputs that should have been read and were not), so findings may be missing and no control is reported as passing:</p><ul>",
                view.incomplete.len()
            );
        for reason in &view.incomplete {
            let _ = writeln!(page, "<li>{}</li>", esc(reason));
        }
        page.push_str("</ul></section>\n");
    }
    page.push_str("<div class=\"layout\">\n");
    write_nav(&mut page, view);
    page.push_str("<main>\n");
    write_charts(&mut page, view);
    write_summary(&mut page, view, result.evaluated_at);
    for framework in &view.frameworks {
        let _ = writeln!(
                page,
                "<h2 id=\"{}\">{} {}</h2>\n<p class=\"muted\">{} failing · {} passing · {} not assessed</p>",
                anchor(&framework.framework.id),
                esc(&framework.framework.name),
                esc(&framework.framework.version),
                framework.count(ControlStatus::Fail),
                framework.count(ControlStatus::Pass),
                framework.count(ControlStatus::NotAssessed)
            );
        page.push_str("<table><thead><tr><th>Control</th><th>Title</th><th>Status</th><th class=\"num\">Findings</th><th class=\"num\">Identities</th></tr></thead><tbody>\n");
        for control in &framework.controls {
            let _ = writeln!(
                    page,
                    "<tr><td><a href=\"#{}\"><code>{}</code></a></td><td>{}</td><td><span class=\"status {}\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                    anchor(&control.control.id),
                    esc(&control.control.id),
                    esc(&control.control.title),
                    status_class(control.status),
                    control.status.as_str(),
                    control.counted,
                    control.identity_count
                );
        }
        page.push_str("</tbody></table>\n");
        for control in &framework.controls {
            write_control(&mut page, control);
        }
    }
    page.push_str("</main>\n</div>\n</body>\n</html>\n");
    page
}

/// Per framework, a bar of its controls failed, passed and not assessed, and the findings per
/// control (those with any), as inline SVG at the top of the report.
fn write_charts(page: &mut String, view: &ComplianceView) {
    if view.frameworks.is_empty() {
        return;
    }
    page.push_str("<h2 id=\"overview\">Controls at a glance</h2>\n<div class=\"charts\">\n");
    for framework in &view.frameworks {
        let name = format!(
            "{} {}",
            framework.framework.name, framework.framework.version
        );
        let bar = super::svg::stacked_bar(
            &format!("{name}: controls failed, passed and not assessed"),
            &[
                ("failed", "#c62828", framework.count(ControlStatus::Fail)),
                ("passed", "#2e7d32", framework.count(ControlStatus::Pass)),
                (
                    "not assessed",
                    "#6b7280",
                    framework.count(ControlStatus::NotAssessed),
                ),
            ],
        );
        let rows: Vec<(String, f64)> = framework
            .controls
            .iter()
            .filter(|c| c.counted > 0)
            .map(|c| (c.control.id.clone(), c.counted as f64))
            .collect();
        let controls = if rows.is_empty() {
            "<p class=\"muted\">No control has a finding.</p>".to_string()
        } else {
            super::svg::horizontal_bars(&format!("{name}: findings per control"), &rows, "#c62828")
        };
        let _ = writeln!(
            page,
            "<figure><figcaption><a href=\"#{}\">{}</a></figcaption>{bar}{controls}</figure>",
            anchor(&framework.framework.id),
            esc(&name)
        );
    }
    page.push_str("</div>\n");
}

fn write_nav(page: &mut String, view: &ComplianceView) {
    page.push_str("<nav><h2>Contents</h2><ul>\n");
    if !view.frameworks.is_empty() {
        page.push_str("<li><a href=\"#overview\">Controls at a glance</a></li>\n");
    }
    page.push_str("<li><a href=\"#summary\">Summary</a></li>\n");
    for framework in &view.frameworks {
        let _ = writeln!(
            page,
            "<li><a href=\"#{}\">{}</a> <span class=\"muted\">({} fail)</span></li>",
            anchor(&framework.framework.id),
            esc(&framework.framework.name),
            framework.count(ControlStatus::Fail)
        );
    }
    page.push_str("</ul></nav>\n");
}

fn write_summary(page: &mut String, view: &ComplianceView, evaluated_at: jiff::Timestamp) {
    let overview = &view.overview;
    page.push_str("<h2 id=\"summary\">Summary</h2>\n<div class=\"cards\">\n");
    let _ = writeln!(
        page,
        "<div class=\"card\"><b>{}</b>findings</div>",
        overview.counted
    );
    for (severity, count) in &overview.by_severity {
        let _ = writeln!(
            page,
            "<div class=\"card\"><b>{count}</b>{}</div>",
            sev(*severity)
        );
    }
    let _ = writeln!(
        page,
        "<div class=\"card\"><b>{}</b>retired identities with residual access</div>",
        overview.residual.len()
    );
    let _ = writeln!(
        page,
        "<div class=\"card\"><b>{}</b>baselined or suppressed</div>",
        overview.accepted
    );
    page.push_str("</div>\n<h3>Findings by system</h3>\n<table><thead><tr><th>System</th><th class=\"num\">Findings</th></tr></thead><tbody>\n");
    for (system, count) in overview.by_system {
        let _ = writeln!(
            page,
            "<tr><td><code>{}</code></td><td class=\"num\">{count}</td></tr>",
            esc(system)
        );
    }
    page.push_str("</tbody></table>\n<h3>Residual access of retired identities</h3>\n");
    if overview.residual.is_empty() {
        page.push_str("<p>None: no retired identity has a counted finding.</p>\n");
        return;
    }
    page.push_str("<p class=\"muted\">Proof of deprovisioning: once the access is removed, the command beside each identity writes its evidence bundle (checklist, hashed inputs, <code>SHA256SUMS</code>); <code>deprov verify --check DIR</code> tells later whether it still holds.</p>\n");
    page.push_str("<table><thead><tr><th>Identity</th><th>Systems</th><th class=\"num\">Findings</th><th>Most severe</th><th>Evidence</th></tr></thead><tbody>\n");
    for (identity, residual) in overview.residual {
        let worst = residual.worst.map(sev).unwrap_or_default();
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td>{worst}</td><td><code>{}</code></td></tr>",
            esc(identity),
            residual
                .systems
                .iter()
                .map(|s| format!("<code>{}</code>", esc(s)))
                .collect::<Vec<_>>()
                .join(" "),
            residual.findings,
            esc(&compliance::evidence_command(identity, evaluated_at))
        );
    }
    page.push_str("</tbody></table>\n");
}

fn write_control(page: &mut String, control: &ControlView) {
    let _ = writeln!(
        page,
        "<h3 id=\"{}\"><code>{}</code> {} <span class=\"status {}\">{}</span></h3>",
        anchor(&control.control.id),
        esc(&control.control.id),
        esc(&control.control.title),
        status_class(control.status),
        control.status.as_str()
    );
    if control.rules.is_empty() {
        page.push_str("<p class=\"muted\">No deprov rule assesses this control.</p>\n");
        return;
    }
    let _ = writeln!(
        page,
        "<p class=\"muted\">Rules: {} · ran: {}{}</p>",
        esc(&control.rules.join(", ")),
        if control.rules_run.is_empty() {
            "none".to_string()
        } else {
            esc(&control.rules_run.join(", "))
        },
        if control.identities.is_empty() {
            String::new()
        } else {
            format!(
                " · identities: {}{}",
                control
                    .identities
                    .iter()
                    .map(|i| esc(i))
                    .collect::<Vec<_>>()
                    .join(", "),
                match control.unlisted_identities() {
                    0 => String::new(),
                    more => format!(" and {more} more ({} in all)", control.identity_count),
                }
            )
        }
    );
    if control.findings.is_empty() {
        return;
    }
    page.push_str("<table><thead><tr><th>Severity</th><th>Rule</th><th>Identity</th><th>System</th><th>Evidence</th><th>Finding</th></tr></thead><tbody>\n");
    for f in &control.findings {
        write_finding(page, f);
    }
    page.push_str("</tbody></table>\n");
    if control.unlisted_findings() > 0 {
        let _ = writeln!(
            page,
            "<p class=\"muted\">{}</p>",
            esc(&compliance::unlisted_note(
                control.findings.len(),
                control.counted
            ))
        );
    }
    if control.accepted > 0 {
        let _ = writeln!(
            page,
            "<p class=\"muted\">Also {} baselined or suppressed finding(s).</p>",
            control.accepted
        );
    }
}

fn write_finding(page: &mut String, f: &Finding) {
    let location = match f.evidence.line {
        Some(line) => format!("{}:{line}", f.evidence.path),
        None => f.evidence.path.to_string(),
    };
    let _ = writeln!(
        page,
        "<tr><td>{}{}</td><td><code>{}</code></td><td>{}</td><td><code>{}</code></td><td><code>{}</code><br><span class=\"muted\">{}</span></td><td>{}</td></tr>",
        sev(f.severity),
        f.confidence
            .map(|level| format!("<br><span class=\"muted\">confidence {level}</span>"))
            .unwrap_or_default(),
        esc(&f.rule),
        esc(&f.identity),
        esc(&f.system),
        esc(&location),
        esc(&f.evidence.detail),
        esc(&f.message)
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escapes_markup_and_shows_controls() {
        assert_eq!(
            esc("<img src=x>&\"'\x1b]0;t\x07\u{202e}"),
            "&lt;img src=x&gt;&amp;&quot;&#39;\\x1b]0;t\\x07\\u{202e}"
        );
    }
}
