//! The rule catalog (what each rule code means, its severity, remediation and controls) and the
//! framework catalogs (official control IDs and titles), loaded from YAML and cross-checked.

mod frameworks;
mod placeholder;
mod rules;

use std::collections::BTreeMap;
use std::path::Path;

use miette::Diagnostic;

pub use frameworks::{Control, Framework};
pub use placeholder::Placeholder;
pub use rules::Rule;

use crate::diagnostic::{FileDiagnostic, FileKind, Problem, Snippet};
use crate::embedded::{self, EmbeddedFile};

/// Rules and frameworks, validated against each other.
#[derive(Debug, Clone)]
pub struct Catalog {
    pub rules: BTreeMap<String, Rule>,
    /// Old code → new code, for renamed rules (codes are never reused).
    pub redirects: BTreeMap<String, String>,
    pub frameworks: Vec<Framework>,
    /// Control ID → (framework index, control index).
    controls: BTreeMap<String, (usize, usize)>,
    /// Alias (e.g. `NHI-06`) → canonical control ID.
    control_aliases: BTreeMap<String, String>,
}

/// How a catalog file is named in its diagnostics.
pub static CATALOG_FILE: FileKind = FileKind {
    what: "catalog",
    io_code: "deprov::catalog::io",
    unreadable: "cannot read {path}: {message}",
    syntax_code: "deprov::catalog::syntax",
    invalid: "{path}: {message}",
    invalid_help: Some("the catalog is YAML; see rules/catalog.yaml for the shape of an entry"),
};

/// A problem in the catalog files.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum CatalogError {
    /// Not a regular file, unreadable, or not YAML of the catalog's shape.
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] FileDiagnostic),
    #[error("the rule and framework catalogs have {} problem(s)", problems.len())]
    #[diagnostic(code(deprov::catalog::invalid))]
    Invalid {
        #[related]
        problems: Vec<Problem>,
    },
}

/// The code of one inconsistency found while cross-checking the catalogs.
const PROBLEM: &str = "deprov::catalog::problem";

/// A problem pointing at the first `needle` in a catalog file.
fn problem_at(file: &SourceText, needle: &str, message: String, help: Option<String>) -> Problem {
    problem_after(file, 0, needle, "here", message, help)
}

/// A problem pointing at the first `needle` from byte `from` on (or, failing that, from the
/// start) of a catalog file.
fn problem_after(
    file: &SourceText,
    from: usize,
    needle: &str,
    label: &str,
    message: String,
    help: Option<String>,
) -> Problem {
    let offset = file
        .text
        .get(from..)
        .and_then(|rest| rest.find(needle))
        .map(|at| from + at)
        .or_else(|| file.text.find(needle))
        .unwrap_or(0);
    let at = Snippet::at_offset(&file.path, file.text.as_bytes(), offset, needle.len());
    Problem::at(PROBLEM, at, label, message, help)
}

/// The text of one catalog file, kept for pointing diagnostics at it.
#[derive(Debug, Clone)]
pub(crate) struct SourceText {
    pub path: String,
    pub text: String,
}

impl From<&EmbeddedFile> for SourceText {
    fn from(file: &EmbeddedFile) -> Self {
        SourceText {
            path: file.path.to_string(),
            text: file.text.to_string(),
        }
    }
}

pub(crate) fn yaml_error(path: &str, text: &str, err: &serde_yaml::Error) -> CatalogError {
    CatalogError::File(FileDiagnostic::yaml(&CATALOG_FILE, path, text, err))
}

/// Every `{name}` of a rule's message that findings do not fill in: it would read "unknown" in
/// every report, so the catalog is refused instead.
fn message_problems(rule: &Rule, file: &SourceText, problems: &mut Vec<Problem>) {
    // The rule's own entry, so that a name its neighbours share points at this one.
    let entry = file.text.find(&format!("id: {}", rule.id)).unwrap_or(0);
    for (_, name) in crate::template::placeholders(&rule.message) {
        if Placeholder::from_name(name).is_some() {
            continue;
        }
        problems.push(problem_after(
            file,
            entry,
            &format!("{{{name}}}"),
            "unknown placeholder",
            format!(
                "rule {}'s message names {{{name}}}, which no finding fills in",
                rule.id
            ),
            Some(format!(
                "a message may name: {}",
                Placeholder::ALL.map(Placeholder::name).join(", ")
            )),
        ));
    }
}

impl Catalog {
    /// The catalog compiled into the binary.
    pub fn builtin() -> Result<Catalog, CatalogError> {
        let rule_files = vec![SourceText::from(&embedded::RULE_CATALOG)];
        let framework_files: Vec<SourceText> =
            embedded::FRAMEWORKS.iter().map(SourceText::from).collect();
        Catalog::load(&rule_files, &framework_files)
    }

    /// The built-in catalog plus the rule entries of a user's `catalog.yaml` (for their own
    /// policies). A user entry with a built-in code replaces the built-in entry.
    pub fn with_user_rules(user_catalog: Option<&Path>) -> Result<Catalog, CatalogError> {
        let mut rule_files = vec![SourceText::from(&embedded::RULE_CATALOG)];
        if let Some(path) = user_catalog {
            let text = crate::discover::regular::read_named_to_string(path, &CATALOG_FILE)?;
            rule_files.push(SourceText {
                path: path.display().to_string(),
                text,
            });
        }
        let framework_files: Vec<SourceText> =
            embedded::FRAMEWORKS.iter().map(SourceText::from).collect();
        Catalog::load(&rule_files, &framework_files)
    }

    fn load(
        rule_files: &[SourceText],
        framework_files: &[SourceText],
    ) -> Result<Catalog, CatalogError> {
        let mut frameworks = Vec::new();
        for file in framework_files {
            frameworks.push(frameworks::parse(file)?);
        }
        let mut rules = BTreeMap::new();
        let mut rule_origin: BTreeMap<String, usize> = BTreeMap::new();
        let mut redirects = BTreeMap::new();
        let mut problems = Vec::new();
        for (file_idx, file) in rule_files.iter().enumerate() {
            let parsed = rules::parse(file)?;
            for rule in parsed.rules {
                if let Some(&earlier) = rule_origin.get(&rule.id) {
                    if earlier == file_idx {
                        problems.push(problem_at(
                            file,
                            &format!("id: {}", rule.id),
                            format!("rule code {} appears twice in {}", rule.id, file.path),
                            Some("codes are unique; give the new rule a new code".into()),
                        ));
                        continue;
                    }
                }
                rule_origin.insert(rule.id.clone(), file_idx);
                rules.insert(rule.id.clone(), rule);
            }
            redirects.extend(parsed.redirects);
        }

        let mut catalog = Catalog {
            rules,
            redirects,
            frameworks,
            controls: BTreeMap::new(),
            control_aliases: BTreeMap::new(),
        };
        catalog.index_controls(framework_files, &mut problems);
        catalog.check_rules(rule_files, &rule_origin, &mut problems);
        if problems.is_empty() {
            Ok(catalog)
        } else {
            Err(CatalogError::Invalid { problems })
        }
    }

    fn index_controls(&mut self, files: &[SourceText], problems: &mut Vec<Problem>) {
        for (fi, framework) in self.frameworks.iter().enumerate() {
            for (ci, control) in framework.controls.iter().enumerate() {
                if self.controls.insert(control.id.clone(), (fi, ci)).is_some() {
                    problems.push(problem_at(
                        &files[fi],
                        &control.id,
                        format!("control {} is defined twice", control.id),
                        None,
                    ));
                }
            }
        }
        for (fi, framework) in self.frameworks.iter().enumerate() {
            for (alias, target) in &framework.aliases {
                if self.controls.contains_key(target) {
                    self.control_aliases.insert(alias.clone(), target.clone());
                } else {
                    problems.push(problem_at(
                        &files[fi],
                        alias,
                        format!("alias {alias} points at {target}, which no framework defines"),
                        None,
                    ));
                }
            }
        }
    }

    fn check_rules(
        &self,
        files: &[SourceText],
        origin: &BTreeMap<String, usize>,
        problems: &mut Vec<Problem>,
    ) {
        for rule in self.rules.values() {
            let file = &files[origin[&rule.id]];
            for control in rule.controls.iter().chain(&rule.agent_controls) {
                if !self.controls.contains_key(control) {
                    problems.push(problem_at(
                        file,
                        control,
                        format!(
                            "rule {} maps to control {control}, which no framework defines",
                            rule.id
                        ),
                        Some(format!(
                            "known controls include: {}",
                            self.controls
                                .keys()
                                .take(8)
                                .cloned()
                                .collect::<Vec<_>>()
                                .join(", ")
                        )),
                    ));
                }
            }
            message_problems(rule, file, problems);
            if rule.controls.is_empty() {
                problems.push(problem_at(
                    file,
                    &format!("id: {}", rule.id),
                    format!("rule {} maps to no control", rule.id),
                    Some("every rule names at least one framework control".into()),
                ));
            }
        }
        for (old, new) in &self.redirects {
            if !self.rules.contains_key(new) {
                problems.push(problem_at(
                    &files[0],
                    old,
                    format!("redirect {old} → {new} points at an unknown rule"),
                    None,
                ));
            }
        }
    }

    /// The rule for a code, following redirects of renamed codes.
    pub fn rule(&self, code: &str) -> Option<&Rule> {
        self.rules
            .get(code)
            .or_else(|| self.redirects.get(code).and_then(|new| self.rules.get(new)))
    }

    /// A control by ID or alias (`NHI-06` → `NHI1:2025`).
    pub fn control(&self, id: &str) -> Option<(&Framework, &Control)> {
        let id = self.control_aliases.get(id).map_or(id, String::as_str);
        self.controls
            .get(id)
            .map(|&(fi, ci)| (&self.frameworks[fi], &self.frameworks[fi].controls[ci]))
    }

    /// The canonical ID of a control ID or alias.
    pub fn canonical_control<'a>(&'a self, id: &'a str) -> Option<&'a str> {
        self.control(id).map(|(_, c)| c.id.as_str())
    }

    /// Controls selected by a `--framework` filter: a framework ID (`owasp-nhi-2025`), a control
    /// ID or alias (`NHI1:2025`, `NHI-06`), or a control ID prefix (`PR.AA`, `SP800-207`).
    pub fn select_controls(&self, filter: &str) -> Vec<&Control> {
        if let Some((_, control)) = self.control(filter) {
            return vec![control];
        }
        if let Some(framework) = self
            .frameworks
            .iter()
            .find(|f| f.id.eq_ignore_ascii_case(filter))
        {
            return framework.controls.iter().collect();
        }
        self.frameworks
            .iter()
            .flat_map(|f| f.controls.iter())
            .filter(|c| c.id.starts_with(filter))
            .collect()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn builtin_catalog_is_consistent() {
        let catalog = Catalog::builtin().unwrap();
        assert!(catalog.rule("DPV001").is_some());
        assert_eq!(catalog.canonical_control("NHI-06"), Some("NHI1:2025"));
        assert_eq!(catalog.select_controls("PR.AA").len(), 6);
        assert_eq!(catalog.select_controls("NHI-06")[0].id, "NHI1:2025");
        assert_eq!(catalog.select_controls("SP800-207").len(), 7);
    }

    #[test]
    fn an_unknown_placeholder_is_refused_at_its_place() {
        let rules = SourceText {
            path: "catalog.yaml".into(),
            text: "rules:\n  - id: X001\n    title: t\n    severity: low\n    rationale: r\n    remediation: m\n    message: \"{identity} in {sytem}\"\n    controls: [NHI1:2025]\n".into(),
        };
        let frameworks: Vec<SourceText> =
            embedded::FRAMEWORKS.iter().map(SourceText::from).collect();
        let err = Catalog::load(std::slice::from_ref(&rules), &frameworks).unwrap_err();
        let CatalogError::Invalid { problems } = err else {
            panic!("{err:?}");
        };
        assert_eq!(problems.len(), 1, "{problems:?}");
        assert!(
            problems[0].message.contains("{sytem}"),
            "{}",
            problems[0].message
        );
        let offset = problems[0].span.offset();
        assert_eq!(&rules.text[offset..offset + "{sytem}".len()], "{sytem}");
        assert_eq!(problems[0].code, "deprov::catalog::problem");
    }

    #[test]
    fn unknown_control_is_reported_with_its_location() {
        let rules = SourceText {
            path: "catalog.yaml".into(),
            text: "rules:\n  - id: X001\n    title: t\n    severity: low\n    rationale: r\n    remediation: m\n    message: m\n    controls: [NOPE-1]\n".into(),
        };
        let frameworks: Vec<SourceText> =
            embedded::FRAMEWORKS.iter().map(SourceText::from).collect();
        let err = Catalog::load(&[rules], &frameworks).unwrap_err();
        match err {
            CatalogError::Invalid { problems } => {
                assert_eq!(problems.len(), 1);
                assert!(problems[0].message.contains("NOPE-1"));
            }
            other => panic!("{other:?}"),
        }
    }
}
