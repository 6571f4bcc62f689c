//! `deprov rules`: the rule catalog with severities and controls.

use std::io::{self, Write};

use serde::Serialize;

use super::style::Style;
use crate::catalog::{Catalog, Rule};

#[derive(Debug, Serialize)]
struct RuleView<'a> {
    #[serde(flatten)]
    rule: &'a Rule,
    /// A policy for it is loaded and enabled.
    active: bool,
}

pub fn write_json(catalog: &Catalog, active: &[&str], out: &mut dyn Write) -> io::Result<()> {
    let rules: Vec<RuleView> = catalog
        .rules
        .values()
        .map(|rule| RuleView {
            rule,
            active: active.contains(&rule.id.as_str()),
        })
        .collect();
    super::write_json_document(out, &rules)
}

pub fn write_text(
    catalog: &Catalog,
    active: &[&str],
    out: &mut dyn Write,
    color: bool,
) -> io::Result<()> {
    let style = Style { enabled: color };
    for rule in catalog.rules.values() {
        let state = if active.contains(&rule.id.as_str()) {
            ""
        } else {
            "  (disabled)"
        };
        writeln!(
            out,
            "{}  {}  {}{}",
            style.bold(&rule.id),
            style.severity(rule.severity, &format!("{:<8}", rule.severity.as_str())),
            rule.title,
            state
        )?;
        writeln!(out, "          controls: {}", rule.controls.join(", "))?;
    }
    Ok(())
}
