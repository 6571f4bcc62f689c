//! Loading the policy pack: the built-in `.cedar` files and those of a user's `--policies DIR`
//! (read by `commands`), keyed by their `@id`, validated strictly against the schema and
//! checked against the rule catalog.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Display;
use std::str::FromStr;

use cedar_policy::{PolicyId, PolicySet, Schema, ValidationMode, Validator};
use miette::{Diagnostic, LabeledSpan, NamedSource, SourceCode};

use crate::catalog::Catalog;
use crate::diagnostic::{FileDiagnostic, FileKind, Snippet};
use crate::embedded;
use crate::severity::Severity;

/// The annotation that names the rule a policy implements.
const ID_ANNOTATION: &str = "id";
/// Optional: distinguishes several policies of one rule (`DPV003#ca`).
const VARIANT_ANNOTATION: &str = "variant";
/// Optional: the severity a variant raises the finding to.
const SEVERITY_ANNOTATION: &str = "severity";
/// The `@id` of the catch-all permit; it implements no rule.
pub const BASELINE_ID: &str = "baseline";

/// One `.cedar` file of the pack.
#[derive(Debug, Clone)]
pub struct PolicyFile {
    pub path: String,
    pub text: String,
    pub builtin: bool,
}

/// What a policy of the pack means for findings.
#[derive(Debug, Clone)]
pub struct RulePolicy {
    pub rule: String,
    pub variant: Option<String>,
    pub severity: Option<Severity>,
    pub path: String,
}

/// The loaded, validated pack.
#[derive(Debug, Clone)]
pub struct PolicyPack {
    files: Vec<PolicyFile>,
    /// Policy IDs (after re-keying) that take part in evaluation.
    active: BTreeSet<String>,
    pub rules: BTreeMap<String, RulePolicy>,
    pub schema: Schema,
    set: PolicySet,
}

/// A Cedar diagnostic (or one of ours) attached to the file it is about.
#[derive(Debug, thiserror::Error)]
#[error("{path}: {message}")]
pub struct PolicyDiagnostic {
    pub path: String,
    pub message: String,
    code: String,
    help: Option<String>,
    labels: Vec<LabeledSpan>,
    source_code: NamedSource<String>,
}

impl Diagnostic for PolicyDiagnostic {
    fn code<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        Some(Box::new(&self.code))
    }
    fn help<'a>(&'a self) -> Option<Box<dyn Display + 'a>> {
        self.help.as_ref().map(|h| Box::new(h) as Box<dyn Display>)
    }
    fn labels(&self) -> Option<Box<dyn Iterator<Item = LabeledSpan> + '_>> {
        Some(Box::new(self.labels.iter().cloned()))
    }
    fn source_code(&self) -> Option<&dyn SourceCode> {
        Some(&self.source_code)
    }
}

impl PolicyDiagnostic {
    /// Flattens a Cedar diagnostic and its related ones, naming the file they are about (Cedar's
    /// own source carries no file name).
    fn from_cedar(path: &str, text: &str, diagnostic: &dyn Diagnostic, out: &mut Vec<Self>) {
        out.push(PolicyDiagnostic {
            path: path.to_string(),
            message: diagnostic.to_string(),
            code: diagnostic
                .code()
                .map_or_else(|| "deprov::policy::cedar".to_string(), |c| c.to_string()),
            help: diagnostic.help().map(|h| h.to_string()),
            labels: diagnostic.labels().map(|l| l.collect()).unwrap_or_default(),
            source_code: NamedSource::new(path, text.to_string()),
        });
        if let Some(related) = diagnostic.related() {
            for inner in related {
                PolicyDiagnostic::from_cedar(path, text, inner, out);
            }
        }
    }

    /// One of deprov's own checks, pointing at `needle` in the file.
    fn ours(
        file: &PolicyFile,
        needle: &str,
        code: &str,
        message: String,
        help: Option<String>,
    ) -> Self {
        let offset = file.text.find(needle).unwrap_or(0);
        let snippet = Snippet::at_offset(
            &file.path,
            file.text.as_bytes(),
            offset,
            needle.len().max(1),
        );
        PolicyDiagnostic {
            path: file.path.clone(),
            message,
            code: code.to_string(),
            help,
            labels: vec![LabeledSpan::new_with_span(
                Some("here".into()),
                snippet.span,
            )],
            source_code: snippet.source,
        }
    }
}

/// How a user's policy file (or their policy directory) is named in its diagnostics. Its syntax
/// wording is never used: what does not parse is Cedar's to say, under [`PolicyError::Invalid`].
pub static POLICY_FILE: FileKind = FileKind {
    what: "policy file",
    io_code: "deprov::policy::io",
    unreadable: "cannot read policies from {path}: {message}",
    syntax_code: "deprov::policy::invalid",
    invalid: "{path}: {message}",
    invalid_help: None,
};

/// Why the pack could not be loaded. Every problem of every file is collected first.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum PolicyError {
    /// A user's policy file or directory that is not a regular file or cannot be read.
    #[error(transparent)]
    #[diagnostic(transparent)]
    File(#[from] FileDiagnostic),
    #[error("the policy pack has {} problem(s)", problems.len())]
    #[diagnostic(
        code(deprov::policy::invalid),
        help("`deprov policy check [DIR]` runs these checks alone")
    )]
    Invalid {
        #[related]
        problems: Vec<PolicyDiagnostic>,
    },
}

impl PolicyPack {
    /// Loads the built-in pack plus a user's `.cedar` files (read by the caller: the engine
    /// reads no files). A user file whose policies carry a built-in rule's `@id` replaces every
    /// built-in policy of that rule.
    pub fn load(
        user_files: impl IntoIterator<Item = PolicyFile>,
        catalog: &Catalog,
        enabled: impl Fn(&str) -> bool,
    ) -> Result<PolicyPack, PolicyError> {
        let mut files: Vec<PolicyFile> = embedded::POLICIES
            .iter()
            .map(|f| PolicyFile {
                path: f.path.to_string(),
                text: f.text.to_string(),
                builtin: true,
            })
            .collect();
        files.extend(user_files);
        PolicyPack::from_files(files, catalog, enabled)
    }

    pub fn from_files(
        files: Vec<PolicyFile>,
        catalog: &Catalog,
        enabled: impl Fn(&str) -> bool,
    ) -> Result<PolicyPack, PolicyError> {
        let schema_problem = |diag: &dyn Diagnostic, out: &mut Vec<PolicyDiagnostic>| {
            PolicyDiagnostic::from_cedar(embedded::SCHEMA.path, embedded::SCHEMA.text, diag, out)
        };
        let mut problems = Vec::new();
        let schema = match Schema::from_cedarschema_str(embedded::SCHEMA.text) {
            Ok((schema, _warnings)) => Some(schema),
            Err(e) => {
                schema_problem(&e, &mut problems);
                None
            }
        };

        let user_rules: BTreeSet<String> = files
            .iter()
            .filter(|f| !f.builtin)
            .filter_map(|f| PolicySet::from_str(&f.text).ok())
            .flat_map(|set| {
                set.policies()
                    .filter_map(|p| p.annotation(ID_ANNOTATION).map(str::to_string))
                    .collect::<Vec<_>>()
            })
            .collect();

        let mut rules: BTreeMap<String, RulePolicy> = BTreeMap::new();
        let mut active = BTreeSet::new();
        let mut kept_files = Vec::new();
        for file in files {
            let parsed = match PolicySet::from_str(&file.text) {
                Ok(set) => set,
                Err(e) => {
                    PolicyDiagnostic::from_cedar(&file.path, &file.text, &e, &mut problems);
                    continue;
                }
            };
            let mut keep_file = false;
            for policy in parsed.policies() {
                let Some(rule) = policy.annotation(ID_ANNOTATION) else {
                    problems.push(PolicyDiagnostic::ours(
                        &file,
                        "forbid",
                        "deprov::policy::missing_id",
                        "a policy has no @id annotation".to_string(),
                        Some("start every policy with @id(\"CODE\") naming its rule in rules/catalog.yaml".into()),
                    ));
                    continue;
                };
                if file.builtin && user_rules.contains(rule) {
                    continue;
                }
                let variant = policy.annotation(VARIANT_ANNOTATION).map(str::to_string);
                let key = policy_key(rule, variant.as_deref());
                let severity = match policy.annotation(SEVERITY_ANNOTATION) {
                    None => None,
                    Some(text) => match text.parse::<Severity>() {
                        Ok(s) => Some(s),
                        Err(e) => {
                            problems.push(PolicyDiagnostic::ours(
                                &file,
                                text,
                                "deprov::policy::severity",
                                e.to_string(),
                                None,
                            ));
                            None
                        }
                    },
                };
                if rule != BASELINE_ID && catalog.rule(rule).is_none() {
                    problems.push(PolicyDiagnostic::ours(
                        &file,
                        rule,
                        "deprov::policy::unknown_rule",
                        format!("policy @id(\"{rule}\") has no entry in the rule catalog"),
                        Some("add the rule to a catalog.yaml next to your policies (same shape as rules/catalog.yaml)".into()),
                    ));
                }
                if rules.contains_key(&key) {
                    problems.push(PolicyDiagnostic::ours(
                        &file,
                        rule,
                        "deprov::policy::duplicate_id",
                        format!(
                            "two policies carry @id(\"{rule}\"){}",
                            variant
                                .as_deref()
                                .map(|v| format!(" @variant(\"{v}\")"))
                                .unwrap_or_default()
                        ),
                        Some("give each policy of one rule a distinct @variant".into()),
                    ));
                    continue;
                }
                if rule == BASELINE_ID || enabled(rule) {
                    active.insert(key.clone());
                }
                rules.insert(
                    key,
                    RulePolicy {
                        rule: rule.to_string(),
                        variant,
                        severity,
                        path: file.path.clone(),
                    },
                );
                keep_file = true;
            }
            if keep_file {
                kept_files.push(file);
            }
        }
        if !rules.contains_key(BASELINE_ID) {
            problems.push(PolicyDiagnostic {
                path: "policies/".into(),
                message: "the pack has no @id(\"baseline\") permit".into(),
                code: "deprov::policy::no_baseline".into(),
                help: Some(
                    "without it every request is denied and every forbid looks satisfied".into(),
                ),
                labels: vec![],
                source_code: NamedSource::new("policies/", String::new()),
            });
        }

        let set = build_set(&kept_files, &active);
        let set = match set {
            Ok(set) => set,
            Err(message) => {
                problems.push(PolicyDiagnostic {
                    path: "policies/".into(),
                    message,
                    code: "deprov::policy::set".into(),
                    help: None,
                    labels: vec![],
                    source_code: NamedSource::new("policies/", String::new()),
                });
                PolicySet::new()
            }
        };
        if let Some(schema) = &schema {
            validate_each_file(schema, &kept_files, &mut problems);
        }
        match (problems.is_empty(), schema) {
            (true, Some(schema)) => Ok(PolicyPack {
                files: kept_files,
                active,
                rules,
                schema,
                set,
            }),
            _ => Err(PolicyError::Invalid { problems }),
        }
    }

    /// The policy set used for evaluation.
    pub fn policy_set(&self) -> &PolicySet {
        &self.set
    }

    /// A freshly parsed copy of the policy set for one worker thread (sharing one set across
    /// threads scales poorly on reference-count traffic).
    pub fn fresh_set(&self) -> PolicySet {
        build_set(&self.files, &self.active).unwrap_or_else(|_| self.set.clone())
    }

    /// Freshly parsed per-action sets for one worker thread: a request is checked only against
    /// the policies whose action scope can match it (a credential's request skips the grant and
    /// identity rules), which Cedar would otherwise test one by one.
    pub fn fresh_action_sets(&self) -> ActionSets {
        let set = self.fresh_set();
        let mut by_action: BTreeMap<&'static str, Vec<cedar_policy::Policy>> =
            ACTIONS.iter().map(|a| (*a, Vec::new())).collect();
        for policy in set.policies() {
            let actions: Vec<&'static str> = match policy.action_constraint() {
                cedar_policy::ActionConstraint::Any => ACTIONS.to_vec(),
                cedar_policy::ActionConstraint::Eq(uid) => ACTIONS
                    .iter()
                    .copied()
                    .filter(|a| uid.id().unescaped() == *a)
                    .collect(),
                cedar_policy::ActionConstraint::In(uids) => ACTIONS
                    .iter()
                    .copied()
                    .filter(|a| uids.iter().any(|u| u.id().unescaped() == *a))
                    .collect(),
            };
            for action in actions {
                if let Some(list) = by_action.get_mut(action) {
                    list.push(policy.clone());
                }
            }
        }
        ActionSets {
            sets: by_action
                .into_iter()
                .map(|(action, policies)| {
                    (
                        action,
                        PolicySet::from_policies(policies).unwrap_or_else(|_| set.clone()),
                    )
                })
                .collect(),
            all: set,
        }
    }

    /// Rule codes with at least one active policy.
    pub fn active_rules(&self) -> BTreeSet<&str> {
        self.active
            .iter()
            .filter_map(|k| self.rules.get(k))
            .map(|r| r.rule.as_str())
            .filter(|r| *r != BASELINE_ID)
            .collect()
    }

    /// Every rule code in the pack, active or not.
    pub fn all_rules(&self) -> BTreeSet<&str> {
        self.rules
            .values()
            .map(|r| r.rule.as_str())
            .filter(|r| *r != BASELINE_ID)
            .collect()
    }

    pub fn files(&self) -> &[PolicyFile] {
        &self.files
    }
}

/// The actions of the schema, which requests use.
pub const ACTIONS: [&str; 6] = [
    "authenticate",
    "hold",
    "use",
    "exist",
    "expose",
    "provision",
];

/// One policy set per action.
pub struct ActionSets {
    sets: BTreeMap<&'static str, PolicySet>,
    all: PolicySet,
}

impl ActionSets {
    pub fn for_action(&self, action: &str) -> &PolicySet {
        self.sets.get(action).unwrap_or(&self.all)
    }
}

fn policy_key(rule: &str, variant: Option<&str>) -> String {
    match variant {
        Some(v) => format!("{rule}#{v}"),
        None => rule.to_string(),
    }
}

/// Parses the files and keeps the active policies, re-keyed by `@id` (and `@variant`).
fn build_set(files: &[PolicyFile], active: &BTreeSet<String>) -> Result<PolicySet, String> {
    let mut policies = Vec::new();
    for file in files {
        let parsed = PolicySet::from_str(&file.text).map_err(|e| e.to_string())?;
        for policy in parsed.policies() {
            let Some(rule) = policy.annotation(ID_ANNOTATION) else {
                continue;
            };
            let key = policy_key(rule, policy.annotation(VARIANT_ANNOTATION));
            if active.contains(&key) {
                policies.push(policy.new_id(PolicyId::new(key)));
            }
        }
    }
    PolicySet::from_policies(policies).map_err(|e| e.to_string())
}

/// Validates file by file so that spans point into the right file.
fn validate_each_file(schema: &Schema, files: &[PolicyFile], problems: &mut Vec<PolicyDiagnostic>) {
    let validator = Validator::new(schema.clone());
    for file in files {
        let Ok(set) = PolicySet::from_str(&file.text) else {
            continue;
        };
        let result = validator.validate(&set, ValidationMode::Strict);
        for error in result.validation_errors() {
            PolicyDiagnostic::from_cedar(&file.path, &file.text, error, problems);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn catalog() -> Catalog {
        Catalog::builtin().unwrap()
    }

    #[test]
    fn builtin_pack_loads_and_validates() {
        let pack = PolicyPack::load(None, &catalog(), |_| true).unwrap();
        assert!(pack.active_rules().contains("DPV001"));
        assert!(pack.policy_set().policy(&PolicyId::new("DPV001")).is_some());
    }

    #[test]
    fn disabled_rules_leave_the_set() {
        let pack = PolicyPack::load(None, &catalog(), |r| r != "INV001").unwrap();
        assert!(!pack.active_rules().contains("INV001"));
        assert!(pack.all_rules().contains("INV001"));
        assert!(pack.policy_set().policy(&PolicyId::new("INV001")).is_none());
    }

    fn with_user_file(text: &str) -> Result<PolicyPack, PolicyError> {
        let mut files: Vec<PolicyFile> = embedded::POLICIES
            .iter()
            .map(|f| PolicyFile {
                path: f.path.into(),
                text: f.text.into(),
                builtin: true,
            })
            .collect();
        files.push(PolicyFile {
            path: "mine/X.cedar".into(),
            text: text.into(),
            builtin: false,
        });
        PolicyPack::from_files(files, &catalog(), |_| true)
    }

    fn problems(err: PolicyError) -> Vec<PolicyDiagnostic> {
        match err {
            PolicyError::Invalid { problems } => problems,
            other => panic!("{other:?}"),
        }
    }

    #[test]
    fn a_typo_in_an_attribute_fails_strict_validation_with_the_file_name() {
        let problems = problems(
            with_user_file(
                "@id(\"DPV001\")\nforbid (principal is Deprov::Credential, action == Deprov::Action::\"authenticate\", resource)\nwhen { principal.stauts == \"active\" };\n",
            )
            .unwrap_err(),
        );
        assert!(!problems.is_empty());
        assert!(problems.iter().all(|p| p.path == "mine/X.cedar"));
        assert!(problems.iter().any(|p| !p.labels.is_empty()));
    }

    #[test]
    fn syntax_errors_and_unknown_ids_are_collected() {
        let problems = problems(
            with_user_file("@id(\"NOPE1\")\nforbid (principal, action, resource) when { true };\n")
                .unwrap_err(),
        );
        assert!(problems.iter().any(|p| p.message.contains("NOPE1")));
        let problems = problems_of_syntax();
        assert!(problems.iter().any(|p| p.path == "mine/X.cedar"));
    }

    fn problems_of_syntax() -> Vec<PolicyDiagnostic> {
        problems(
            with_user_file("@id(\"DPV001\") forbid (principal, action resource);").unwrap_err(),
        )
    }

    #[test]
    fn a_user_policy_replaces_the_builtin_rule() {
        let pack = with_user_file(
            "@id(\"DPV001\")\nforbid (principal is Deprov::Credential, action == Deprov::Action::\"authenticate\", resource)\nwhen { principal.status == \"inactive\" };\n",
        )
        .unwrap();
        assert_eq!(pack.rules["DPV001"].path, "mine/X.cedar");
    }
}
