//! Terraform files → provision records, and the secrets they hold → exposures of the files.
//! The files of one directory are one configuration: what one of them says (an account, a
//! user's ARN) names the holders of the others'. The same resource in a state and a plan of one
//! configuration is one record; where they disagree on whether it survives the apply, the
//! reading that keeps it wins, with a warning naming both files (`sources::reconcile`'s rule).

use std::collections::{BTreeMap, HashMap, HashSet};

use super::read::{Instance, SecretAttribute};
use super::resources::{self, Context, Spec};
use super::{Format, TerraformFile};
use crate::discover::FileInput;
use crate::inventory::{Evidence, ProvisionRecord, Records, SourceFamily, SystemRef};
use crate::sources::leak::ExportSecret;
use crate::sources::Assembly;

/// How many holders a warning names before it only counts them.
const UNNAMED_SHOWN: usize = 3;

fn system(directory: &str) -> SystemRef {
    SystemRef::new(SourceFamily::Terraform, directory)
}

fn kind_of(format: Format) -> &'static str {
    match format {
        Format::State | Format::ShownState => "state",
        Format::Plan => "plan",
    }
}

/// Joins every Terraform file of the scan into provision records; reports their secrets.
pub fn assemble(files: Vec<(FileInput, TerraformFile)>, common: &mut Assembly) -> Records {
    let mut contexts: BTreeMap<&str, Context> = BTreeMap::new();
    for (_, file) in &files {
        let context = contexts.entry(file.directory.as_str()).or_default();
        for instance in &file.read.instances {
            context.learn(instance);
        }
    }
    let empty = Context::default();
    let mut provisions: Vec<ProvisionRecord> = Vec::new();
    // (system, address, holder) → index in `provisions`, with the file it was read from.
    let mut seen: HashMap<(String, String, String), (usize, String)> = HashMap::new();
    for (input, file) in &files {
        common.reading(input);
        let context = contexts.get(file.directory.as_str()).unwrap_or(&empty);
        let system = system(&file.directory);
        let kind = kind_of(file.format);
        let mut unnamed: Vec<String> = Vec::new();
        let mut resource_secrets: HashSet<[u8; 32]> = HashSet::new();
        for instance in &file.read.instances {
            let specs: Vec<Spec> = if instance.managed {
                resources::specs(instance, context)
                    .into_iter()
                    .filter_map(|spec| match spec {
                        Ok(spec) => Some(spec),
                        Err(reason) => {
                            unnamed.push(format!("{}: {reason}", instance.address));
                            None
                        }
                    })
                    .collect()
            } else {
                Vec::new()
            };
            if let Some(change) = instance.change {
                for spec in &specs {
                    let record = ProvisionRecord {
                        system: system.clone(),
                        address: instance.address.clone(),
                        resource_type: instance.resource_type.clone(),
                        kind: spec.kind,
                        change,
                        holder: spec.holder.clone(),
                        holder_aliases: spec.holder_aliases.clone(),
                        credential: spec.credential.clone(),
                        what: spec.what.clone(),
                        evidence: Evidence::new(
                            &input.rel,
                            format!(
                                "{}: {}; the next apply {} it",
                                instance.address,
                                spec.what,
                                change.verb()
                            ),
                        )
                        .at_line(instance.line),
                    };
                    add(&mut provisions, &mut seen, record, &input.rel, common);
                }
            }
            for secret in &instance.secrets {
                resource_secrets.insert(secret.digest.0);
                expose(
                    common,
                    &system,
                    input,
                    kind,
                    instance,
                    specs.first(),
                    secret,
                );
            }
        }
        for output in &file.read.outputs {
            // An output that repeats a resource's secret is that secret, reported with it.
            if resource_secrets.contains(&output.digest.0) {
                continue;
            }
            common.expose(ExportSecret {
                system: system.clone(),
                detector: "export/terraform-sensitive-output",
                description: format!("sensitive output `{}` of a Terraform {kind}", output.name),
                carries: Vec::new(),
                slot: format!("output.{}", output.name),
                sha256: output.digest.0,
                evidence: Evidence::new(
                    &input.rel,
                    format!(
                        "sensitive output `{}` held in plain (value withheld)",
                        output.name
                    ),
                )
                .at_line(output.line),
            });
        }
        if !unnamed.is_empty() {
            let shown: Vec<&str> = unnamed
                .iter()
                .take(UNNAMED_SHOWN)
                .map(String::as_str)
                .collect();
            let more = unnamed.len().saturating_sub(UNNAMED_SHOWN);
            common.warn(format!(
                "{} resource(s) whose identity could not be named, so not joined to the inventory: {}{}",
                unnamed.len(),
                shown.join("; "),
                if more > 0 {
                    format!("; and {more} more")
                } else {
                    String::new()
                }
            ));
        }
    }
    Records {
        provisions,
        ..Records::default()
    }
}

/// Adds a record, or weighs it against the same resource of another file of the configuration.
fn add(
    provisions: &mut Vec<ProvisionRecord>,
    seen: &mut HashMap<(String, String, String), (usize, String)>,
    record: ProvisionRecord,
    path: &str,
    common: &mut Assembly,
) {
    let key = (
        record.system.name.clone(),
        record.address.clone(),
        record.holder.clone(),
    );
    let Some((index, first_path)) = seen.get(&key) else {
        seen.insert(key, (provisions.len(), path.to_string()));
        provisions.push(record);
        return;
    };
    let kept = &mut provisions[*index];
    if kept.change.survives_apply() != record.change.survives_apply() && first_path != path {
        let (survives, goes) = if kept.change.survives_apply() {
            (first_path.as_str(), path)
        } else {
            (path, first_path.as_str())
        };
        let warning = format!(
            "{}: kept by {survives}, removed by {goes}; neither says when it was written, so read as kept",
            record.address
        );
        common.warn_about(first_path.clone(), warning.clone());
        common.warn(warning);
        if !kept.change.survives_apply() {
            *kept = record;
        }
    } else if kept.credential.is_none() {
        // The state knows the ID a plan's new key has not got yet.
        kept.credential = record.credential;
    }
}

/// Reports a secret attribute of an instance as a secret of the file, attributed to what the
/// instance provisions (its credential first, then its holder).
fn expose(
    common: &mut Assembly,
    system: &SystemRef,
    input: &FileInput,
    kind: &str,
    instance: &Instance,
    spec: Option<&Spec>,
    secret: &SecretAttribute,
) {
    let carries: Vec<String> = spec
        .map(|spec| {
            spec.credential
                .iter()
                .chain(std::iter::once(&spec.holder))
                .chain(&spec.holder_aliases)
                .cloned()
                .collect()
        })
        .unwrap_or_default();
    common.expose(ExportSecret {
        system: system.clone(),
        detector: "export/terraform-secret-attribute",
        description: format!(
            "`{}` of {} in a Terraform {kind}",
            secret.name, instance.address
        ),
        carries,
        slot: format!("{}.{}", instance.address, secret.name),
        sha256: secret.digest.0,
        evidence: Evidence::new(
            &input.rel,
            format!(
                "{}: `{}` held in plain (value withheld)",
                instance.address, secret.name
            ),
        )
        .at_line(secret.line),
    });
}
