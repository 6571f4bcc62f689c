//! `deprov verify IDENTITY PATH…`, with `--runbook` the commands that finish the job, with
//! `--evidence DIR` a bundle that proves it, and `--check DIR` whether a bundle still holds.

use std::path::Path;

use super::{plan, CommandError, Exit, Output};
use crate::cli::{Cli, Command, VerifyCommand};
use crate::evidence::{self, Invocation, PackDigest};
use crate::report::runbook::RunbookStyle;
use crate::report::{verify, TextOrJson};
use crate::verify::Checklist;

pub fn run(command: &VerifyCommand) -> Result<Exit, CommandError> {
    if let Some(dir) = &command.check {
        return check(dir, command.format);
    }
    let identity = command.identity.as_deref().unwrap_or_default();
    let (checklist, result, plan) = checklist_of(command, identity)?;
    if let Some(dir) = &command.evidence {
        let bundle = bundle_of(command, &checklist, &result, &plan)?;
        evidence::write(dir, &bundle)?;
    }
    if command.runbook {
        let runbook = crate::runbook::for_checklist(
            &checklist,
            &result.inventory,
            plan.now,
            super::runbook::reverify_identity(identity, &command.scan),
        );
        let executable = command.runbook_executable;
        if command.output.is_empty() {
            let style = match command.format {
                TextOrJson::Json => RunbookStyle::Json,
                TextOrJson::Text => RunbookStyle::Markdown,
            };
            Output::open(None)?
                .write_with(|out, _| crate::report::runbook::write(&runbook, style, out))?;
        }
        for path in &command.output {
            let style = RunbookStyle::for_path(Some(path), executable);
            Output::open(Some(path))?
                .write_with(|out, _| crate::report::runbook::write(&runbook, style, out))?;
        }
    } else {
        Output::open(None)?.write_with(|out, color| match command.format {
            TextOrJson::Json => verify::write_json(&checklist, out),
            TextOrJson::Text => verify::write_text(&checklist, out, color),
        })?;
    }
    super::InputPolicy::of(&command.scan, &plan.config).check(&result.sources, &result.skipped)?;
    Ok(if checklist.complete {
        Exit::Clean
    } else {
        Exit::Findings
    })
}

/// Scans and builds the checklist (marked incomplete when an input could not be read).
fn checklist_of(
    command: &VerifyCommand,
    identity: &str,
) -> Result<(Checklist, crate::result::ScanResult, crate::scan::ScanPlan), CommandError> {
    let plan = plan::resolve(&command.scan, None)?;
    let result = super::progress::scan(&plan, &command.scan)?;
    let mut checklist = crate::verify::checklist(&result.inventory, identity, plan.now)?;
    checklist.mark_incomplete(crate::result::incompleteness(
        &result.sources,
        &result.skipped,
    ));
    Ok((checklist, result, plan))
}

/// The evidence bundle of a verification.
fn bundle_of(
    command: &VerifyCommand,
    checklist: &Checklist,
    result: &crate::result::ScanResult,
    plan: &crate::scan::ScanPlan,
) -> Result<evidence::Bundle, CommandError> {
    let mut inputs = evidence::inputs(&result.sources)?;
    // The config decides which rules run and how files are read: it is an input too.
    if let Some(config) = &plan.config.path {
        let digest = evidence::hash_input(config).map_err(|e| evidence::EvidenceError::Input {
            path: config.display().to_string(),
            message: e.to_string(),
        })?;
        inputs.push(evidence::InputFile {
            path: evidence::display_path(config),
            format: "deprov/config".into(),
            kind: "file".into(),
            size: digest.size,
            sha256: digest.sha256,
            exported_at: None,
        });
        inputs.sort_by(|a, b| (&a.path, &a.format).cmp(&(&b.path, &b.format)));
    }
    let invocation = Invocation {
        command_line: command_line(),
        now_given: command.scan.now.is_some(),
        policy_pack: pack_digest(command.scan.policies.as_deref())?,
        catalog: catalog_digest(command.scan.policies.as_deref())?,
    };
    evidence::bundle(checklist, inputs, &invocation).map_err(|e| {
        CommandError::from(evidence::EvidenceError::Write {
            path: command
                .evidence
                .as_deref()
                .map_or_else(String::new, |p| p.display().to_string()),
            message: e.to_string(),
        })
    })
}

/// The command line as given, the program named `deprov` (its path says nothing about the run).
fn command_line() -> Vec<String> {
    std::iter::once("deprov".to_string())
        .chain(
            std::env::args_os()
                .skip(1)
                .map(|a| a.to_string_lossy().into_owned()),
        )
        .collect()
}

fn digest_of<'a>(source: &str, parts: impl Iterator<Item = (&'a str, &'a str)>) -> PackDigest {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for (name, text) in parts {
        // Name and text with their lengths, so that no two packs hash alike by moving a byte.
        hasher.update((name.len() as u64).to_le_bytes());
        hasher.update(name.as_bytes());
        hasher.update((text.len() as u64).to_le_bytes());
        hasher.update(text.as_bytes());
    }
    PackDigest {
        source: source.into(),
        sha256: hex::encode(hasher.finalize()),
    }
}

/// The SHA-256 of the policy pack: the embedded schema and policies, then a `--policies DIR`'s
/// `.cedar` files (by file name, sorted).
fn pack_digest(policies: Option<&Path>) -> Result<PackDigest, CommandError> {
    use crate::embedded::{POLICIES, SCHEMA};
    let user = policies
        .map(super::policy_dir::read_policy_dir)
        .transpose()?
        .unwrap_or_default();
    let user: Vec<(String, String)> = user
        .into_iter()
        .map(|f| {
            let name = Path::new(&f.path)
                .file_name()
                .map_or_else(|| f.path.clone(), |n| n.to_string_lossy().into_owned());
            (name, f.text)
        })
        .collect();
    let parts = std::iter::once((SCHEMA.path, SCHEMA.text))
        .chain(POLICIES.iter().map(|f| (f.path, f.text)))
        .chain(user.iter().map(|(n, t)| (n.as_str(), t.as_str())));
    Ok(digest_of(
        if policies.is_some() {
            "embedded+user"
        } else {
            "embedded"
        },
        parts,
    ))
}

/// The SHA-256 of the catalogs: the embedded rule catalog and frameworks, then a policy
/// directory's `catalog.yaml`.
fn catalog_digest(policies: Option<&Path>) -> Result<PackDigest, CommandError> {
    use crate::embedded::{FRAMEWORKS, RULE_CATALOG};
    let user = match policies.and_then(super::policy_dir::user_catalog_path) {
        Some(path) => Some(
            crate::discover::regular::read_named_to_string(&path, &crate::catalog::CATALOG_FILE)
                .map_err(crate::catalog::CatalogError::from)?,
        ),
        None => None,
    };
    let parts = std::iter::once((RULE_CATALOG.path, RULE_CATALOG.text))
        .chain(FRAMEWORKS.iter().map(|f| (f.path, f.text)))
        .chain(user.as_deref().map(|t| ("catalog.yaml", t)));
    Ok(digest_of(
        if user.is_some() {
            "embedded+user"
        } else {
            "embedded"
        },
        parts,
    ))
}

/// `verify --check DIR`: exit 0 when the evidence holds, 1 when it does not.
fn check(dir: &Path, format: TextOrJson) -> Result<Exit, CommandError> {
    let stored = evidence::read(dir)?;
    let (fresh, rerun_error) = match rerun(&stored.manifest) {
        Ok(bundle) => (Some(bundle), None),
        Err(e) => (None, Some(e)),
    };
    let report = evidence::compare(&stored, fresh.as_ref(), rerun_error);
    Output::open(None)?.write_with(|out, _| match format {
        TextOrJson::Json => crate::report::write_json_document(out, &report),
        TextOrJson::Text => crate::report::evidence::write_check_text(&report, out),
    })?;
    Ok(if report.holds {
        Exit::Clean
    } else {
        Exit::Findings
    })
}

/// Runs the recorded verification again at the recorded time, without writing anything.
fn rerun(manifest: &evidence::Manifest) -> Result<evidence::Bundle, String> {
    use clap::Parser as _;
    let cli = Cli::try_parse_from(&manifest.command_line)
        .map_err(|e| format!("the recorded command line does not parse: {e}"))?;
    let Command::Verify(mut command) = cli.command else {
        return Err("the recorded command line is not `deprov verify`".into());
    };
    command.scan.now = Some(manifest.now.clone());
    command.scan.no_progress = true;
    let identity = command.identity.clone().unwrap_or_default();
    let (checklist, result, plan) = checklist_of(&command, &identity).map_err(|e| e.to_string())?;
    let mut bundle = bundle_of(&command, &checklist, &result, &plan).map_err(|e| e.to_string())?;
    // The recorded invocation, so that only what was judged is compared.
    bundle.manifest.command_line = manifest.command_line.clone();
    bundle.manifest.now_given = manifest.now_given;
    Ok(bundle)
}
