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
        record.system.name.to_string(),
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::discover::probe::Probe;
    use crate::inventory::{ProvisionChange, ProvisionKind};

    fn read(rel: &str, text: &str) -> (tempfile::TempDir, FileInput, TerraformFile) {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("file.json");
        std::fs::write(&path, text).unwrap();
        let input = FileInput {
            path,
            rel: rel.into(),
            size: text.len() as u64,
        };
        let file = {
            let probe = Probe::read(&input, 1 << 20).unwrap();
            let format = super::super::detect(&probe).expect("recognised");
            super::super::parse(&probe, format).unwrap()
        };
        (dir, input, file)
    }

    /// Every provider's resources, as `terraform show -json` writes them: holders in the alias
    /// forms of the other families, IDs and object IDs resolved through the configuration.
    #[test]
    fn every_provider_names_its_holders() {
        let resource = |address: &str, t: &str, values: &str| {
            format!(
                r#"{{"address": "{address}", "mode": "managed", "type": "{t}", "values": {values}, "sensitive_values": {{}}}}"#
            )
        };
        let resources = [
            resource(
                "google_service_account.ci",
                "google_service_account",
                r#"{"email": "ci@p.iam.gserviceaccount.com", "unique_id": "1041", "account_id": "ci", "project": "p"}"#,
            ),
            resource(
                "google_service_account_key.ci",
                "google_service_account_key",
                r#"{"id": "projects/p/serviceAccounts/ci@p.iam.gserviceaccount.com/keys/ab12", "service_account_id": "projects/p/serviceAccounts/1041"}"#,
            ),
            resource(
                "google_project_iam_binding.b",
                "google_project_iam_binding",
                r#"{"role": "roles/editor", "members": ["serviceAccount:ci@p.iam.gserviceaccount.com", "domain:example.com", "serviceAccount:p.svc.id.goog[ci/runner]"]}"#,
            ),
            resource(
                "azuread_application.app",
                "azuread_application",
                r#"{"client_id": "11111111-2222-3333-4444-555555555555", "object_id": "aaaaaaaa-0000-0000-0000-000000000001", "display_name": "pipeline"}"#,
            ),
            resource(
                "azuread_application_password.pw",
                "azuread_application_password",
                r#"{"application_id": "/applications/aaaaaaaa-0000-0000-0000-000000000001", "key_id": "kkkkkkkk-0000-0000-0000-000000000009"}"#,
            ),
            resource(
                "kubernetes_cluster_role_binding_v1.crb",
                "kubernetes_cluster_role_binding_v1",
                r#"{"metadata": [{"name": "crb"}], "role_ref": [{"kind": "ClusterRole", "name": "edit"}], "subject": [{"kind": "ServiceAccount", "name": "deployer", "namespace": "ci"}, {"kind": "Group", "name": "devs"}]}"#,
            ),
            resource(
                "kubernetes_service_account_v1.sa",
                "kubernetes_service_account_v1",
                r#"{"metadata": [{"name": "deployer", "namespace": "ci"}]}"#,
            ),
            resource(
                "vault_approle_auth_backend_role_secret_id.sid",
                "vault_approle_auth_backend_role_secret_id",
                r#"{"backend": "approle", "role_name": "ci", "accessor": "acc-1"}"#,
            ),
            resource(
                "github_repository_deploy_key.k",
                "github_repository_deploy_key",
                r#"{"repository": "infra", "title": "ci", "key": "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl ci"}"#,
            ),
            resource("null_resource.x", "null_resource", r#"{"id": "1"}"#),
        ];
        let text = format!(
            r#"{{"format_version": "1.0", "values": {{"root_module": {{"resources": [{}]}}}}}}"#,
            resources.join(",\n")
        );
        let (_dir, input, file) = read("infra/show.json", &text);
        let (records, warnings) = Assembly::alone(assemble, vec![(input, file)]);
        assert!(warnings.is_empty(), "{warnings:?}");
        let got: Vec<(&str, ProvisionKind, &str, Option<&str>, u32)> = records
            .provisions
            .iter()
            .map(|p| {
                assert_eq!(p.change, ProvisionChange::Keep);
                assert_eq!(p.system.to_string(), "terraform:infra");
                (
                    p.address.as_str(),
                    p.kind,
                    p.holder.as_str(),
                    p.credential.as_deref(),
                    p.evidence.line.unwrap_or(0),
                )
            })
            .collect();
        let fingerprint = crate::sources::github::public_key_fingerprint(
            "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOMqqnkVzrm0SdG6UOoqKLsabgH5C9okWi0dh2l9GKJl",
        )
        .unwrap();
        assert_eq!(
            got,
            vec![
                (
                    "google_service_account.ci",
                    ProvisionKind::Identity,
                    "ci@p.iam.gserviceaccount.com",
                    None,
                    1
                ),
                (
                    "google_service_account_key.ci",
                    ProvisionKind::Credential,
                    "ci@p.iam.gserviceaccount.com",
                    Some("ab12"),
                    2
                ),
                (
                    "google_project_iam_binding.b",
                    ProvisionKind::Grant,
                    "ci@p.iam.gserviceaccount.com",
                    None,
                    3
                ),
                (
                    "google_project_iam_binding.b",
                    ProvisionKind::Grant,
                    "system:serviceaccount:ci:runner",
                    None,
                    3
                ),
                (
                    "azuread_application.app",
                    ProvisionKind::Identity,
                    "11111111-2222-3333-4444-555555555555",
                    None,
                    4
                ),
                (
                    "azuread_application_password.pw",
                    ProvisionKind::Credential,
                    "11111111-2222-3333-4444-555555555555",
                    Some("kkkkkkkk-0000-0000-0000-000000000009"),
                    5
                ),
                (
                    "kubernetes_cluster_role_binding_v1.crb",
                    ProvisionKind::Grant,
                    "system:serviceaccount:ci:deployer",
                    None,
                    6
                ),
                (
                    "kubernetes_service_account_v1.sa",
                    ProvisionKind::Identity,
                    "system:serviceaccount:ci:deployer",
                    None,
                    7
                ),
                (
                    "vault_approle_auth_backend_role_secret_id.sid",
                    ProvisionKind::Credential,
                    "auth/approle/role/ci",
                    Some("acc-1"),
                    8
                ),
                (
                    "github_repository_deploy_key.k",
                    ProvisionKind::Credential,
                    fingerprint.as_str(),
                    Some(fingerprint.as_str()),
                    9
                ),
            ]
        );
        assert_eq!(
            records.provisions[5].holder_aliases,
            vec!["aaaaaaaa-0000-0000-0000-000000000001"]
        );
    }

    /// A plan's secrets: each attribute once however often the plan repeats it, attributed to
    /// the key it belongs to; a sensitive output that repeats it is not a second secret.
    #[test]
    fn plan_secrets_are_reported_once_and_attributed() {
        let key = r#"{"id": "AKIA5PLANSECRETTEST1", "user": "ci", "secret": "Zq8Lr3Vx9Tn2Wk7Ym4Hp6Bs1Df5Gj0Qc"}"#;
        let text = format!(
            r#"{{"format_version": "1.2",
 "planned_values": {{"outputs": {{"s": {{"sensitive": true, "value": "Zq8Lr3Vx9Tn2Wk7Ym4Hp6Bs1Df5Gj0Qc"}}}},
   "root_module": {{"resources": [{{"address": "aws_iam_access_key.k", "mode": "managed", "type": "aws_iam_access_key", "values": {key}, "sensitive_values": {{"secret": true}}}}]}}}},
 "resource_changes": [{{"address": "aws_iam_access_key.k", "mode": "managed", "type": "aws_iam_access_key",
   "change": {{"actions": ["no-op"], "before": {key}, "after": {key}, "before_sensitive": {{"secret": true}}, "after_sensitive": {{"secret": true}}}}}}],
 "prior_state": {{"values": {{"root_module": {{"resources": [
   {{"address": "data.aws_caller_identity.c", "mode": "data", "type": "aws_caller_identity", "values": {{"account_id": "111122223333"}}}}]}}}}}}}}"#
        );
        let (_dir, input, file) = read("plan.json", &text);
        let ((records, exposures), warnings) =
            Assembly::alone_with_exposures(assemble, vec![(input, file)]);
        assert!(warnings.is_empty(), "{warnings:?}");
        assert_eq!(records.provisions.len(), 1);
        assert_eq!(
            records.provisions[0].holder,
            "arn:aws:iam::111122223333:user/ci"
        );
        let [exposure] = &exposures[..] else {
            panic!("one secret: {exposures:?}");
        };
        assert_eq!(
            exposure.carries,
            vec!["AKIA5PLANSECRETTEST1", "arn:aws:iam::111122223333:user/ci"]
        );
        assert_eq!(
            exposure.evidence.line,
            Some(5),
            "the resource change's line"
        );
        assert!(!format!("{exposure:?}{records:?}").contains("Zq8Lr3Vx"));
    }
}
