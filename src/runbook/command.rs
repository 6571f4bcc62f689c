//! A command of a runbook as data: the program and its arguments, each argument made of fixed
//! words of the CLI's syntax and values read from the inputs, kept apart so that a renderer
//! quotes every value and nothing else. Building one refuses values that no quoting makes safe.

use std::fmt;

/// The CLIs a runbook calls. deprov itself only re-verifies.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Program {
    Aws,
    Gcloud,
    Az,
    Kubectl,
    Vault,
    Gh,
    Deprov,
}

impl Program {
    pub fn as_str(self) -> &'static str {
        match self {
            Program::Aws => "aws",
            Program::Gcloud => "gcloud",
            Program::Az => "az",
            Program::Kubectl => "kubectl",
            Program::Vault => "vault",
            Program::Gh => "gh",
            Program::Deprov => "deprov",
        }
    }
}

impl fmt::Display for Program {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A variable the person running the runbook sets, for what no export says (the GitHub
/// organisation: GitHub's exports do not name it).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Variable {
    GithubOrg,
}

impl Variable {
    pub fn name(self) -> &'static str {
        match self {
            Variable::GithubOrg => "GITHUB_ORG",
        }
    }

    pub fn meaning(self) -> &'static str {
        match self {
            Variable::GithubOrg => "the GitHub organisation the exports were taken from",
        }
    }
}

/// A piece of one argument.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Part {
    /// A word of the CLI's own syntax: a subcommand, a flag, a path prefix. Static text, never
    /// from an input (a test checks that none needs quoting).
    Fixed(&'static str),
    /// A value read from an input: always quoted when rendered.
    Value(String),
    /// A variable the person running the runbook sets.
    Variable(Variable),
}

/// One argument: its parts are joined without separators (`--member=` and a value is one
/// argument).
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Arg(pub Vec<Part>);

impl Arg {
    /// The argument as the program receives it, variables written `${NAME}`.
    pub fn text(&self) -> String {
        self.0
            .iter()
            .map(|part| match part {
                Part::Fixed(text) => (*text).to_string(),
                Part::Value(value) => value.clone(),
                Part::Variable(variable) => format!("${{{}}}", variable.name()),
            })
            .collect()
    }

    fn is_end_of_options(&self) -> bool {
        self.0 == [Part::Fixed("--")]
    }
}

/// A fixed word.
pub fn word(text: &'static str) -> Arg {
    Arg(vec![Part::Fixed(text)])
}

/// A value from an input, alone.
pub fn value(text: impl Into<String>) -> Arg {
    Arg(vec![Part::Value(text.into())])
}

/// A fixed prefix followed by a value from an input, as one argument (`key=VALUE`,
/// `--flag=VALUE`, `/repos/VALUE`).
pub fn joined(prefix: &'static str, text: impl Into<String>) -> Arg {
    Arg(vec![Part::Fixed(prefix), Part::Value(text.into())])
}

/// Why a value cannot be put in a command: no quoting makes it safe, so the step is left to a
/// person instead.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error, miette::Diagnostic)]
pub enum UnsafeValue {
    /// A NUL character ends a C string: the program would receive a shorter value, possibly
    /// the name of something else.
    #[error("a value holds a NUL character, which no command argument can carry")]
    #[diagnostic(code(deprov::runbook::nul_in_value))]
    Nul,
    /// The CLI would read the value as an option, whatever the quoting.
    #[error("a value begins with `-`, which the CLI would read as an option")]
    #[diagnostic(code(deprov::runbook::option_like_value))]
    OptionLike,
    /// An empty value names nothing.
    #[error("a value is empty")]
    #[diagnostic(code(deprov::runbook::empty_value))]
    Empty,
}

/// A command: a program and its arguments.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Command {
    pub program: Program,
    pub args: Vec<Arg>,
}

impl Command {
    /// The command, once every value is one that an argument can carry: no NUL, not empty, and
    /// no argument that starts with a value starting with `-` before a `--` that ends the options.
    pub fn new(program: Program, args: Vec<Arg>) -> Result<Command, UnsafeValue> {
        let mut options_ended = false;
        for arg in &args {
            if arg.is_end_of_options() {
                options_ended = true;
                continue;
            }
            for part in &arg.0 {
                if let Part::Value(text) = part {
                    if text.contains('\0') {
                        return Err(UnsafeValue::Nul);
                    }
                    if text.is_empty() {
                        return Err(UnsafeValue::Empty);
                    }
                }
            }
            if let Some(Part::Value(text)) = arg.0.first() {
                if text.starts_with('-') && !options_ended {
                    return Err(UnsafeValue::OptionLike);
                }
            }
        }
        Ok(Command { program, args })
    }

    /// The argument vector as the program receives it (variables written `${NAME}`).
    pub fn argv(&self) -> Vec<String> {
        std::iter::once(self.program.as_str().to_string())
            .chain(self.args.iter().map(Arg::text))
            .collect()
    }

    /// The variables the command needs, in order, without repeats.
    pub fn variables(&self) -> Vec<Variable> {
        let mut variables = Vec::new();
        for part in self.args.iter().flat_map(|a| &a.0) {
            if let Part::Variable(variable) = part {
                if !variables.contains(variable) {
                    variables.push(*variable);
                }
            }
        }
        variables
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn values_no_argument_can_carry_are_refused() {
        let build = |v: &str| Command::new(Program::Kubectl, vec![word("delete"), value(v)]);
        assert_eq!(build("a\0b"), Err(UnsafeValue::Nul));
        assert_eq!(build(""), Err(UnsafeValue::Empty));
        assert_eq!(build("--all"), Err(UnsafeValue::OptionLike));
        assert!(build("$(touch x)").is_ok());
        // After `--`, and inside a joined argument, a leading dash is data.
        assert!(Command::new(Program::Deprov, vec![word("--"), value("-x")]).is_ok());
        assert!(Command::new(Program::Vault, vec![joined("a=", "-x")]).is_ok());
    }

    #[test]
    fn argv_writes_variables_by_name() {
        let command = Command::new(
            Program::Gh,
            vec![Arg(vec![
                Part::Fixed("/orgs/"),
                Part::Variable(Variable::GithubOrg),
                Part::Fixed("/members/"),
                Part::Value("bot".into()),
            ])],
        )
        .unwrap();
        assert_eq!(command.argv(), ["gh", "/orgs/${GITHUB_ORG}/members/bot"]);
        assert_eq!(command.variables(), [Variable::GithubOrg]);
    }
}
