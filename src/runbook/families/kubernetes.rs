//! Kubernetes: legacy service-account token Secrets are deleted; RoleBindings and
//! ClusterRoleBindings that bind only the identity are deleted (one that binds other subjects
//! too is edited instead); the ServiceAccount is deleted last.

use super::{manual_grant, where_read, Intent, Remedies};
use crate::inventory::{CredentialRecord, GrantRecord, IdentityKind, IdentityRecord};
use crate::runbook::command::{value, word, Command, Program};
use crate::runbook::{Phase, Plan};

pub struct Kubernetes;

const DELETE: &str = "https://kubernetes.io/docs/reference/kubectl/generated/kubectl_delete/";
const EDIT: &str = "https://kubernetes.io/docs/reference/kubectl/generated/kubectl_edit/";
const RBAC: &str = "https://kubernetes.io/docs/reference/access-authn-authz/rbac/";

/// The binding a grant comes from: `ROLEKIND/ROLE via RoleBinding/NS/NAME` or
/// `… via ClusterRoleBinding/NAME`.
#[derive(Debug, PartialEq, Eq)]
enum Binding<'a> {
    Namespaced { namespace: &'a str, name: &'a str },
    Cluster { name: &'a str },
}

fn binding(privilege: &str) -> Option<(&str, Binding<'_>)> {
    let (_, via) = privilege.rsplit_once(" via ")?;
    let parsed = if let Some(rest) = via.strip_prefix("RoleBinding/") {
        let (namespace, name) = rest.split_once('/')?;
        Binding::Namespaced { namespace, name }
    } else {
        Binding::Cluster {
            name: via.strip_prefix("ClusterRoleBinding/")?,
        }
    };
    Some((via, parsed))
}

/// `system:serviceaccount:NS:NAME`.
fn service_account(id: &str) -> Option<(&str, &str)> {
    id.strip_prefix("system:serviceaccount:")?.split_once(':')
}

impl Remedies for Kubernetes {
    fn account(&self, plan: &mut Plan, account: &IdentityRecord) {
        let Some((namespace, name)) = service_account(&account.native_id) else {
            return;
        };
        if account.kind == IdentityKind::Managed {
            // Kubernetes re-creates a namespace's `default` account: its tokens and bindings
            // (above) are what can go.
            return;
        }
        plan.run(
            Phase::RemoveAccounts,
            &account.system,
            format!("Delete ServiceAccount {namespace}/{name}"),
            Command::new(
                Program::Kubectl,
                vec![
                    word("-n"),
                    value(namespace),
                    word("delete"),
                    word("serviceaccount"),
                    value(name),
                ],
            ),
            DELETE,
        );
    }

    fn credential(&self, plan: &mut Plan, credential: &CredentialRecord, intent: Intent) {
        let Some((namespace, name)) = credential.id.split_once('/') else {
            plan.manual(
                intent.phase(Phase::Delete),
                &credential.system,
                format!("Delete {}", credential.id),
                format!(
                    "Delete the Secret that holds {} ({}).",
                    credential.id,
                    where_read(&credential.evidence)
                ),
                DELETE,
            );
            return;
        };
        plan.run(
            intent.phase(Phase::Delete),
            &credential.system,
            format!("Delete token Secret {namespace}/{name}"),
            Command::new(
                Program::Kubectl,
                vec![
                    word("-n"),
                    value(namespace),
                    word("delete"),
                    word("secret"),
                    value(name),
                ],
            ),
            DELETE,
        )
        .caution =
            Some("deleting the Secret invalidates its token at once; there is no disable".into());
    }

    fn grant(&self, plan: &mut Plan, grant: &GrantRecord) {
        let Some((via, binding)) = binding(&grant.privilege) else {
            manual_grant(plan, grant, RBAC);
            return;
        };
        // A binding with other subjects grants them too: only this subject may go.
        let others = plan
            .inventory
            .records
            .grants
            .iter()
            .filter(|g| {
                g.system == grant.system
                    && g.holder != grant.holder
                    && g.privilege.rsplit_once(" via ").map(|(_, v)| v) == Some(via)
            })
            .count();
        if others > 0 {
            let (kind, namespace_flag) = match &binding {
                Binding::Namespaced { namespace, .. } => {
                    ("rolebinding", format!(" -n {namespace}"))
                }
                Binding::Cluster { .. } => ("clusterrolebinding", String::new()),
            };
            let name = match &binding {
                Binding::Namespaced { name, .. } | Binding::Cluster { name } => name,
            };
            plan.manual(
                Phase::RemoveGrants,
                &grant.system,
                format!("Remove {} from {via}", grant.holder),
                format!(
                    "{via} also binds {others} other subject(s): remove only {} from its subjects (kubectl{namespace_flag} edit {kind} {name}).",
                    grant.holder
                ),
                EDIT,
            );
            return;
        }
        let args = match binding {
            Binding::Namespaced { namespace, name } => vec![
                word("-n"),
                value(namespace),
                word("delete"),
                word("rolebinding"),
                value(name),
            ],
            Binding::Cluster { name } => {
                vec![word("delete"), word("clusterrolebinding"), value(name)]
            }
        };
        plan.run(
            Phase::RemoveGrants,
            &grant.system,
            format!("Delete {via} ({})", grant.privilege),
            Command::new(Program::Kubectl, args),
            DELETE,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn bindings_are_read_from_the_privilege() {
        assert_eq!(
            binding("ClusterRole/edit via RoleBinding/ci/deployer"),
            Some((
                "RoleBinding/ci/deployer",
                Binding::Namespaced {
                    namespace: "ci",
                    name: "deployer"
                }
            ))
        );
        assert_eq!(
            binding("ClusterRole/cluster-admin via ClusterRoleBinding/ci-admin").map(|b| b.1),
            Some(Binding::Cluster { name: "ci-admin" })
        );
        assert_eq!(binding("something else"), None);
        assert_eq!(
            service_account("system:serviceaccount:ci:ci-legacy"),
            Some(("ci", "ci-legacy"))
        );
    }
}
