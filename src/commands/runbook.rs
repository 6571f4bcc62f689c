//! The re-verification command a runbook ends with: the same deprov command on fresh exports,
//! with the options that change the verdict (config, policies, register). Paths and the
//! identity come after `--`, so that a name starting with `-` stays an operand.

use std::path::PathBuf;

use crate::cli::ScanArgs;
use crate::runbook::command::{value, word, Arg, Command, Program};
use crate::runbook::UnsafeValue;

fn path(path: &std::path::Path) -> Arg {
    value(path.to_string_lossy().into_owned())
}

fn options(args: &ScanArgs) -> Vec<Arg> {
    let mut out = Vec::new();
    if let Some(config) = &args.config {
        out.extend([word("--config"), path(config)]);
    }
    if let Some(policies) = &args.policies {
        out.extend([word("--policies"), path(policies)]);
    }
    for register in &args.register {
        out.extend([word("--register"), path(register)]);
    }
    if args.without_register {
        out.push(word("--without-register"));
    }
    out
}

/// `deprov verify [OPTIONS] -- IDENTITY PATH…`.
pub fn reverify_identity(identity: &str, args: &ScanArgs) -> Result<Command, UnsafeValue> {
    let mut argv = vec![word("verify")];
    argv.extend(options(args));
    argv.push(word("--"));
    argv.push(value(identity));
    argv.extend(args.paths.iter().map(|p| path(p)));
    Command::new(Program::Deprov, argv)
}

/// `deprov scan [OPTIONS] -- PATH…`.
pub fn reverify_scan(args: &ScanArgs) -> Result<Command, UnsafeValue> {
    let mut argv = vec![word("scan")];
    argv.extend(options(args));
    argv.push(word("--"));
    argv.extend(args.paths.iter().map(|p| path(p)));
    Command::new(Program::Deprov, argv)
}

/// `deprov merge -- FILE…` (after the shards are scanned again).
pub fn reverify_merge(files: &[PathBuf]) -> Result<Command, UnsafeValue> {
    let mut argv = vec![word("merge"), word("--")];
    argv.extend(files.iter().map(|p| path(p)));
    Command::new(Program::Deprov, argv)
}
