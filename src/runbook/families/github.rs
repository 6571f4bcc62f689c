//! GitHub, through its REST API (`gh api`): an organisation's access by a fine-grained personal
//! access token is revoked, deploy keys are deleted, app installations are suspended
//! (reversible) and then uninstalled; a machine account leaves the organisation last.

use super::{manual_grant, where_read, Intent, Remedies};
use crate::inventory::{CredentialKind, CredentialRecord, GrantRecord, IdentityRecord, Locator};
use crate::runbook::command::{word, Arg, Command, Part, Program, Variable};
use crate::runbook::{Phase, Plan, UnsafeValue};

pub struct Github;

const GH_API: &str = "https://cli.github.com/manual/gh_api";
const PAT_REVOKE: &str = "https://docs.github.com/en/rest/orgs/personal-access-tokens#update-the-access-a-fine-grained-personal-access-token-has-to-organization-resources";
const DEPLOY_KEY_DELETE: &str =
    "https://docs.github.com/en/rest/deploy-keys/deploy-keys#delete-a-deploy-key";
const INSTALLATION_SUSPEND: &str =
    "https://docs.github.com/en/rest/apps/apps#suspend-an-app-installation";
const INSTALLATION_DELETE: &str =
    "https://docs.github.com/en/rest/apps/apps#delete-an-installation-for-the-authenticated-app";
const MEMBER_REMOVE: &str =
    "https://docs.github.com/en/rest/orgs/members#remove-an-organization-member";

/// What deprov records when a deploy key's URL names no repository.
const UNKNOWN_REPO: &str = "unknown-repo";
const APP_AUTH: &str = "GitHub accepts this only from the app itself (a JWT of the app in GH_TOKEN); an organisation owner can uninstall it from the organisation's settings instead";

/// `gh api -X METHOD PATH [-f FIELD]…`.
fn api(
    method: &'static str,
    path: Vec<Part>,
    fields: &[&'static str],
) -> Result<Command, UnsafeValue> {
    let mut args = vec![word("api"), word("-X"), word(method), Arg(path)];
    for field in fields {
        args.push(word("-f"));
        args.push(word(field));
    }
    Command::new(Program::Gh, args)
}

/// `deploy-key:OWNER/REPO:ID` (also the end of the key's identity `github:deploy-key:…`).
fn deploy_key(id: &str) -> Option<(&str, &str)> {
    let (repository, key) = id.strip_prefix("deploy-key:")?.rsplit_once(':')?;
    (repository != UNKNOWN_REPO && !key.is_empty()).then_some((repository, key))
}

fn delete_deploy_key(
    plan: &mut Plan,
    system: &crate::inventory::SystemRef,
    repository: &str,
    key: &str,
    phase: Phase,
) {
    plan.run(
        phase,
        system,
        format!("Delete deploy key {key} of {repository}"),
        api(
            "DELETE",
            vec![
                Part::Fixed("/repos/"),
                Part::Value(repository.to_string()),
                Part::Fixed("/keys/"),
                Part::Value(key.to_string()),
            ],
            &[],
        ),
        DEPLOY_KEY_DELETE,
    );
}

fn uninstall(
    plan: &mut Plan,
    system: &crate::inventory::SystemRef,
    installation: &str,
    phase: Phase,
) {
    plan.run(
        phase,
        system,
        format!("Uninstall app installation {installation}"),
        api(
            "DELETE",
            vec![
                Part::Fixed("/app/installations/"),
                Part::Value(installation.to_string()),
            ],
            &[],
        ),
        INSTALLATION_DELETE,
    )
    .caution = Some(APP_AUTH.into());
}

impl Remedies for Github {
    fn account(&self, plan: &mut Plan, account: &IdentityRecord) {
        let Some(login) = account.native_id.strip_prefix("github:") else {
            return;
        };
        // Apps and deploy keys go with their installation and key (credentials).
        if login.contains(':') {
            return;
        }
        plan.run(
            Phase::RemoveAccounts,
            &account.system,
            format!("Remove {login} from the organisation"),
            Command::new(
                Program::Gh,
                vec![
                    word("api"),
                    word("-X"),
                    word("DELETE"),
                    Arg(vec![
                        Part::Fixed("/orgs/"),
                        Part::Variable(Variable::GithubOrg),
                        Part::Fixed("/members/"),
                        Part::Value(login.to_string()),
                    ]),
                ],
            ),
            MEMBER_REMOVE,
        )
        .caution = Some("this ends the account's membership and its organisation grants; a machine user's own account is deleted from its settings".into());
    }

    fn credential(&self, plan: &mut Plan, credential: &CredentialRecord, intent: Intent) {
        let system = &credential.system;
        match credential.kind {
            CredentialKind::PersonalAccessToken => {
                let grant = match credential.locator.as_deref() {
                    Some(Locator::GithubPatGrant(grant)) => Some(grant.to_string()),
                    _ => credential.id.strip_prefix("pat-grant:").map(str::to_string),
                };
                let Some(grant) = grant else {
                    plan.manual(
                        intent.phase(Phase::Delete),
                        system,
                        format!("Revoke fine-grained token {}", credential.id),
                        format!(
                            "Revoke the organisation's access by fine-grained token {} in the organisation's settings, Personal access tokens ({}).",
                            credential.id,
                            where_read(&credential.evidence)
                        ),
                        PAT_REVOKE,
                    );
                    return;
                };
                plan.run(
                    intent.phase(Phase::Delete),
                    system,
                    format!(
                        "Revoke the organisation's access by fine-grained token {} (grant {grant})",
                        credential.id
                    ),
                    api(
                        "POST",
                        vec![
                            Part::Fixed("/orgs/"),
                            Part::Variable(Variable::GithubOrg),
                            Part::Fixed("/personal-access-tokens/"),
                            Part::Value(grant),
                        ],
                        &["action=revoke"],
                    ),
                    PAT_REVOKE,
                )
                .caution = Some("GitHub accepts this only from a GitHub App's token (in GH_TOKEN); an organisation owner can revoke it from the organisation's settings instead. The token keeps reading public resources".into());
            }
            CredentialKind::DeployKey => match deploy_key(&credential.id) {
                Some((repository, key)) => {
                    delete_deploy_key(plan, system, repository, key, intent.phase(Phase::Delete))
                }
                None => {
                    plan.manual(
                        intent.phase(Phase::Delete),
                        system,
                        format!("Delete {}", credential.id),
                        format!(
                            "Delete {} from its repository's settings, Deploy keys ({}).",
                            credential.id,
                            where_read(&credential.evidence)
                        ),
                        DEPLOY_KEY_DELETE,
                    );
                }
            },
            CredentialKind::AppInstallation => {
                let installation = credential
                    .id
                    .strip_prefix("installation:")
                    .unwrap_or(&credential.id);
                if super::active(credential) {
                    plan.run(
                        intent.phase(Phase::Disable),
                        system,
                        format!("Suspend app installation {installation}"),
                        api(
                            "PUT",
                            vec![
                                Part::Fixed("/app/installations/"),
                                Part::Value(installation.to_string()),
                                Part::Fixed("/suspended"),
                            ],
                            &[],
                        ),
                        INSTALLATION_SUSPEND,
                    )
                    .caution = Some(format!("{APP_AUTH}. Undo with the same path and -X DELETE"));
                }
                uninstall(plan, system, installation, intent.phase(Phase::Delete));
            }
            _ => {
                plan.manual(
                    intent.phase(Phase::Delete),
                    system,
                    format!("Revoke {}", credential.id),
                    format!(
                        "Revoke {} ({}).",
                        credential.id,
                        where_read(&credential.evidence)
                    ),
                    GH_API,
                );
            }
        }
    }

    fn grant(&self, plan: &mut Plan, grant: &GrantRecord) {
        let system = &grant.system;
        // A deploy key's access and an installation's permissions go with the key and the
        // installation.
        if let Some((repository, key)) = grant.holder.strip_prefix("github:").and_then(deploy_key) {
            delete_deploy_key(plan, system, repository, key, Phase::Delete);
        } else if let Some(installation) = grant
            .privilege
            .strip_prefix("installation ")
            .and_then(|rest| rest.split_once(' '))
            .map(|(id, _)| id)
            .filter(|id| !id.is_empty() && id.bytes().all(|b| b.is_ascii_digit()))
        {
            uninstall(plan, system, installation, Phase::Delete);
        } else {
            manual_grant(plan, grant, GH_API);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn deploy_keys_name_their_repository() {
        assert_eq!(
            deploy_key("deploy-key:example-org/infra:7001"),
            Some(("example-org/infra", "7001"))
        );
        assert_eq!(deploy_key("deploy-key:unknown-repo:7"), None);
    }
}
