//! `deprov trend`'s outputs: one self-contained HTML page of inline SVG charts (no script, no
//! external resource, the compliance report's Content-Security-Policy with this page's own
//! stylesheet hash) and the same series as JSON.

use std::fmt::Write as _;
use std::io::{self, Write};

use super::html::{content_security_policy_for, esc};
use super::svg::{self, Series};
use crate::severity::Severity;
use crate::trend::Trend;

const STYLE: &str = r#"
:root { --fg:#1d2330; --muted:#5b6475; --line:#d9dee7; --band:#f5f7fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.5 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--fg); background: #fff; }
header { padding: 24px 40px; background: #14213d; color: #fff; }
header h1 { margin: 0 0 4px; font-size: 24px; }
header p { margin: 0; color: #cfd6e4; }
main { padding: 20px 40px 60px; max-width: 1200px; }
h2 { margin-top: 36px; border-bottom: 2px solid var(--line); padding-bottom: 6px; }
figure { margin: 12px 0 24px; }
figcaption { color: var(--muted); font-size: 13px; }
svg.chart { display: block; width: 100%; max-width: 720px; height: auto; }
.multiples { display: grid; grid-template-columns: repeat(auto-fill, minmax(240px, 1fr)); gap: 12px; }
.multiples figure { margin: 0; }
.multiples svg.chart { max-width: 320px; }
table { border-collapse: collapse; width: 100%; margin: 8px 0 16px; }
th, td { text-align: left; padding: 6px 10px; border-bottom: 1px solid var(--line); vertical-align: top; }
th { background: var(--band); font-weight: 600; }
td.num, th.num { text-align: right; }
code { font: 12px ui-monospace, SFMono-Regular, Menlo, monospace; background: var(--band); padding: 1px 4px; border-radius: 3px; word-break: break-all; }
.muted { color: var(--muted); }
@media print { header { background: none; color: var(--fg); } header p { color: var(--muted); } main { padding: 0; } figure, tr { break-inside: avoid; } }
"#;

/// Severity colours, as the compliance report's badges.
pub fn severity_color(severity: Severity) -> &'static str {
    match severity {
        Severity::Critical => "#8b0000",
        Severity::High => "#c62828",
        Severity::Medium => "#b26a00",
        Severity::Low => "#1565c0",
        Severity::Info => "#546e7a",
    }
}

fn day(at: &str) -> String {
    at.get(..10).unwrap_or(at).to_string()
}

fn days(value: Option<f64>) -> String {
    value.map_or_else(|| "–".to_string(), svg::num)
}

pub fn write_json(trend: &Trend, out: &mut dyn Write) -> io::Result<()> {
    super::write_json_document(out, trend)
}

fn figure(page: &mut String, chart: &str, caption: &str) {
    let _ = writeln!(
        page,
        "<figure>{chart}<figcaption>{}</figcaption></figure>",
        esc(caption)
    );
}

pub fn write_html(trend: &Trend, out: &mut dyn Write) -> io::Result<()> {
    let labels: Vec<String> = trend.runs.iter().map(|r| day(&r.evaluated_at)).collect();
    let mut page = String::with_capacity(64 * 1024);
    let _ = writeln!(
        page,
        "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n<meta http-equiv=\"Content-Security-Policy\" content=\"{}\">\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n<title>deprov trend</title>\n<style>{STYLE}</style>\n</head>\n<body>",
        content_security_policy_for(STYLE)
    );
    let span = match (trend.runs.first(), trend.runs.last()) {
        (Some(first), Some(last)) => format!(
            "{} run(s) from {} to {}",
            trend.runs.len(),
            esc(&first.evaluated_at),
            esc(&last.evaluated_at)
        ),
        _ => "no runs".into(),
    };
    let _ = writeln!(
        page,
        "<header><h1>deprov trend</h1><p>{span}</p></header>\n<main>"
    );

    page.push_str("<h2 id=\"severity\">Findings by severity</h2>\n");
    let severity_series: Vec<Series> = [
        Severity::Critical,
        Severity::High,
        Severity::Medium,
        Severity::Low,
        Severity::Info,
    ]
    .iter()
    .map(|s| Series {
        name: s.as_str(),
        color: severity_color(*s),
        values: trend
            .runs
            .iter()
            .map(|r| r.by_severity.get(s).copied().unwrap_or(0) as f64)
            .collect(),
    })
    .collect();
    figure(
        &mut page,
        &svg::stacked_area(
            "Findings by severity over time (stacked)",
            &labels,
            &severity_series,
        ),
        "Findings per run, stacked by severity, critical at the bottom.",
    );

    page.push_str("<h2 id=\"residual\">Residual access of retired identities</h2>\n");
    figure(
        &mut page,
        &svg::line_chart(
            "Retired identities with residual access over time",
            &labels,
            &[Series {
                name: "retired identities with residual access",
                color: "#8b0000",
                values: trend
                    .runs
                    .iter()
                    .map(|r| r.retired_with_residual_access as f64)
                    .collect(),
            }],
        ),
        "Retired identities that still had a counted finding in each run.",
    );

    page.push_str("<h2 id=\"new-resolved\">New and resolved findings per run</h2>\n");
    figure(
        &mut page,
        &svg::grouped_bars(
            "New and resolved findings per run",
            &labels,
            &[
                Series {
                    name: "new",
                    color: "#c62828",
                    values: trend.runs.iter().map(|r| r.new as f64).collect(),
                },
                Series {
                    name: "resolved",
                    color: "#2e7d32",
                    values: trend.runs.iter().map(|r| r.resolved as f64).collect(),
                },
            ],
        ),
        "New: fingerprints the previous run did not have (the first run's findings are all new). Resolved: fingerprints of the previous run that are gone.",
    );

    page.push_str("<h2 id=\"rules\">Findings per rule</h2>\n<div class=\"multiples\">\n");
    for rule in &trend.rules {
        let chart = svg::small_line_chart(
            &format!("Findings of {} over time", rule.rule),
            &labels,
            &Series {
                name: &rule.rule,
                color: "#14213d",
                values: rule.counts.iter().map(|c| *c as f64).collect(),
            },
        );
        let _ = writeln!(
            page,
            "<figure>{chart}<figcaption><code>{}</code> now {}</figcaption></figure>",
            esc(&rule.rule),
            rule.counts.last().copied().unwrap_or(0)
        );
    }
    page.push_str("</div>\n");

    page.push_str("<h2 id=\"resolve\">Time to resolve</h2>\n<p class=\"muted\">A finding is resolved in the first run where its fingerprint is gone; the time is from the first run it was in. Days; 90th percentile by nearest rank.</p>\n");
    let resolved: Vec<_> = trend.rules.iter().filter(|r| r.resolved > 0).collect();
    if resolved.is_empty() {
        page.push_str("<p>No finding was resolved over these runs.</p>\n");
    } else {
        let rule_labels: Vec<String> = resolved.iter().map(|r| r.rule.clone()).collect();
        figure(
            &mut page,
            &svg::grouped_bars(
                "Mean and 90th-percentile days to resolve per rule",
                &rule_labels,
                &[
                    Series {
                        name: "mean days",
                        color: "#1565c0",
                        values: resolved
                            .iter()
                            .map(|r| r.mean_days_to_resolve.unwrap_or(0.0))
                            .collect(),
                    },
                    Series {
                        name: "90th percentile days",
                        color: "#b26a00",
                        values: resolved
                            .iter()
                            .map(|r| r.p90_days_to_resolve.unwrap_or(0.0))
                            .collect(),
                    },
                ],
            ),
            "Days from the first run a finding was in to the first run without it.",
        );
    }
    page.push_str("<table><thead><tr><th>Rule</th><th class=\"num\">Resolved</th><th class=\"num\">Mean days</th><th class=\"num\">90th percentile days</th><th class=\"num\">Open now</th></tr></thead><tbody>\n");
    for rule in &trend.rules {
        let _ = writeln!(
            page,
            "<tr><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&rule.rule),
            rule.resolved,
            days(rule.mean_days_to_resolve),
            days(rule.p90_days_to_resolve),
            rule.counts.last().copied().unwrap_or(0)
        );
    }
    page.push_str("</tbody></table>\n");

    page.push_str("<h2 id=\"oldest\">Oldest open findings</h2>\n");
    if trend.oldest_open.is_empty() {
        page.push_str("<p>None: the last run has no finding.</p>\n");
    } else {
        page.push_str("<table><thead><tr><th>Finding</th><th>Severity</th><th>Identity</th><th>Open since</th><th class=\"num\">Days</th></tr></thead><tbody>\n");
        for finding in &trend.oldest_open {
            let _ = writeln!(
                page,
                "<tr><td><code>{}</code></td><td>{}</td><td>{}</td><td>{}</td><td class=\"num\">{}</td></tr>",
                esc(&finding.id),
                finding.severity.as_str(),
                esc(&finding.identity),
                esc(&finding.first_seen),
                svg::num(finding.age_days)
            );
        }
        page.push_str("</tbody></table>\n");
    }

    page.push_str("<h2 id=\"runs\">Runs</h2>\n<table><thead><tr><th>Evaluated at</th><th>Report</th><th class=\"num\">Findings</th><th class=\"num\">New</th><th class=\"num\">Resolved</th></tr></thead><tbody>\n");
    for run in &trend.runs {
        let _ = writeln!(
            page,
            "<tr><td>{}</td><td><code>{}</code></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            esc(&run.evaluated_at),
            esc(&run.path),
            run.findings,
            run.new,
            run.resolved
        );
    }
    page.push_str("</tbody></table>\n</main>\n</body>\n</html>\n");
    out.write_all(page.as_bytes())
}
