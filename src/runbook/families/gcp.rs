//! Google Cloud IAM: service-account keys are disabled (reversible), then deleted; the account's
//! role bindings are removed from the project, folder or organisation policy; the service
//! account is disabled first and deleted last.

use super::{active, manual_grant, Intent, Remedies};
use crate::inventory::{CredentialRecord, GrantRecord, IdentityKind, IdentityRecord};
use crate::runbook::command::{joined, value, word, Arg, Command, Program};
use crate::runbook::{Phase, Plan};

pub struct Gcp;

const KEYS_DISABLE: &str =
    "https://cloud.google.com/sdk/gcloud/reference/iam/service-accounts/keys/disable";
const KEYS_DELETE: &str =
    "https://cloud.google.com/sdk/gcloud/reference/iam/service-accounts/keys/delete";
const ACCOUNT_DISABLE: &str =
    "https://cloud.google.com/sdk/gcloud/reference/iam/service-accounts/disable";
const ACCOUNT_DELETE: &str =
    "https://cloud.google.com/sdk/gcloud/reference/iam/service-accounts/delete";
const PROJECT_BINDING: &str =
    "https://cloud.google.com/sdk/gcloud/reference/projects/remove-iam-policy-binding";
const ORGANIZATION_BINDING: &str =
    "https://cloud.google.com/sdk/gcloud/reference/organizations/remove-iam-policy-binding";
const FOLDER_BINDING: &str =
    "https://cloud.google.com/sdk/gcloud/reference/resource-manager/folders/remove-iam-policy-binding";
const DELETED_PRINCIPALS: &str =
    "https://cloud.google.com/iam/docs/allow-policies#deleted-principals";

/// What `gcp/normalize.rs` calls the project of a policy read without one.
const UNKNOWN_PROJECT: &str = "unknown-project";
/// The resource of a `get-iam-policy` export: the project itself.
const POLICY_RESOURCE: &str = "project";
const RESOURCE_MANAGER: &str = "//cloudresourcemanager.googleapis.com/";

/// A policy a binding can be removed from with `gcloud … remove-iam-policy-binding`.
#[derive(Debug, PartialEq, Eq)]
enum Container<'a> {
    Project(&'a str),
    Folder(&'a str),
    Organization(&'a str),
}

/// `role:ROLE on RESOURCE`, with ` (conditional: …)` when the binding has a condition.
#[derive(Debug, PartialEq, Eq)]
struct Binding<'a> {
    role: &'a str,
    resource: &'a str,
    conditional: bool,
}

fn binding(privilege: &str) -> Option<Binding<'_>> {
    let rest = privilege.strip_prefix("role:")?;
    let (role, resource) = rest.split_once(" on ")?;
    let (resource, conditional) = match resource.split_once(" (conditional: ") {
        Some((resource, _)) => (resource, true),
        None => (resource, false),
    };
    Some(Binding {
        role,
        resource,
        conditional,
    })
}

fn container<'a>(resource: &'a str, project: &'a str) -> Option<Container<'a>> {
    if resource == POLICY_RESOURCE {
        return (project != UNKNOWN_PROJECT).then_some(Container::Project(project));
    }
    let path = resource.strip_prefix(RESOURCE_MANAGER)?;
    let (kind, id) = path.split_once('/')?;
    if id.is_empty() || id.contains('/') {
        return None;
    }
    match kind {
        "projects" => Some(Container::Project(id)),
        "folders" => Some(Container::Folder(id)),
        "organizations" => Some(Container::Organization(id)),
        _ => None,
    }
}

fn gcloud(words: &[&'static str], rest: Vec<Arg>) -> Vec<Arg> {
    words.iter().copied().map(word).chain(rest).collect()
}

impl Remedies for Gcp {
    fn account(&self, plan: &mut Plan, account: &IdentityRecord) {
        let email = &account.native_id;
        if account.state == crate::inventory::AccountState::Enabled {
            plan.run(
                Phase::Disable,
                &account.system,
                format!("Disable service account {email}"),
                Command::new(
                    Program::Gcloud,
                    gcloud(&["iam", "service-accounts", "disable"], vec![value(email)]),
                ),
                ACCOUNT_DISABLE,
            )
            .caution = Some("undo with `gcloud iam service-accounts enable`; a disabled account's keys stay valid once it is enabled again, hence the steps below".into());
        }
        plan.run(
            Phase::RemoveAccounts,
            &account.system,
            format!("Delete service account {email}"),
            Command::new(
                Program::Gcloud,
                gcloud(&["iam", "service-accounts", "delete"], vec![value(email)]),
            ),
            ACCOUNT_DELETE,
        )
        .caution = Some("a deleted service account can be undeleted for 30 days, and its bindings come back with it: remove them first (above)".into());
    }

    fn credential(&self, plan: &mut Plan, credential: &CredentialRecord, intent: Intent) {
        let (key, account) = (&credential.id, &credential.holder);
        if active(credential) {
            plan.run(
                intent.phase(Phase::Disable),
                &credential.system,
                format!("Disable key {key} of service account {account}"),
                Command::new(
                    Program::Gcloud,
                    gcloud(
                        &["iam", "service-accounts", "keys", "disable"],
                        vec![value(key), joined("--iam-account=", account)],
                    ),
                ),
                KEYS_DISABLE,
            )
            .caution = Some("undo with `gcloud iam service-accounts keys enable`".into());
        }
        plan.run(
            intent.phase(Phase::Delete),
            &credential.system,
            format!("Delete key {key} of service account {account}"),
            Command::new(
                Program::Gcloud,
                gcloud(
                    &["iam", "service-accounts", "keys", "delete"],
                    vec![value(key), joined("--iam-account=", account)],
                ),
            ),
            KEYS_DELETE,
        );
    }

    fn grant(&self, plan: &mut Plan, grant: &GrantRecord) {
        let member_prefix = match grant.holder_kind {
            IdentityKind::Service => Some("--member=serviceAccount:"),
            IdentityKind::Human => Some("--member=user:"),
            IdentityKind::Group => Some("--member=group:"),
            _ => None,
        };
        let parsed = binding(&grant.privilege)
            .and_then(|b| Some((container(b.resource, &grant.system.name)?, b)));
        let (Some(member_prefix), Some((container, binding)), false) =
            (member_prefix, parsed, grant.dangling)
        else {
            let documentation = if grant.dangling {
                DELETED_PRINCIPALS
            } else {
                PROJECT_BINDING
            };
            manual_grant(plan, grant, documentation);
            return;
        };
        let (words, id, documentation): (&[&'static str], &str, &'static str) = match container {
            Container::Project(id) => (&["projects"], id, PROJECT_BINDING),
            Container::Folder(id) => (&["resource-manager", "folders"], id, FOLDER_BINDING),
            Container::Organization(id) => (&["organizations"], id, ORGANIZATION_BINDING),
        };
        let mut args: Vec<Arg> = words.iter().copied().map(word).collect();
        args.push(word("remove-iam-policy-binding"));
        args.push(value(id));
        args.push(joined(member_prefix, &grant.holder));
        args.push(joined("--role=", binding.role));
        if binding.conditional {
            // Every binding of this role and member, whatever its condition: all of them go.
            args.push(word("--all"));
        }
        plan.run(
            Phase::RemoveGrants,
            &grant.system,
            format!(
                "Remove {} from {} on {}",
                binding.role, grant.holder, binding.resource
            ),
            Command::new(Program::Gcloud, args),
            documentation,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_and_their_policies() {
        assert_eq!(
            binding("role:roles/storage.admin on project"),
            Some(Binding {
                role: "roles/storage.admin",
                resource: "project",
                conditional: false
            })
        );
        assert_eq!(
            binding("role:roles/viewer on //cloudresourcemanager.googleapis.com/folders/12 (conditional: expires)")
                .map(|b| b.conditional),
            Some(true)
        );
        assert_eq!(container("project", "p"), Some(Container::Project("p")));
        assert_eq!(container("project", UNKNOWN_PROJECT), None);
        assert_eq!(
            container("//cloudresourcemanager.googleapis.com/organizations/7", "x"),
            Some(Container::Organization("7"))
        );
        assert_eq!(container("//storage.googleapis.com/b", "p"), None);
    }
}
