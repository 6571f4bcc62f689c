//! Microsoft Entra ID: a service principal is disabled first (reversible); client secrets and
//! certificates are deleted from the object they sit on (the application or its service
//! principal); the service principal and the application are deleted last.

use super::{manual_grant, where_read, Intent, Remedies};
use crate::inventory::{
    AccountState, CredentialKind, CredentialRecord, EntraObject, GrantRecord, IdentityRecord,
    Locator,
};
use crate::runbook::command::{value, word, Arg, Command, Program};
use crate::runbook::{Phase, Plan};

pub struct Azure;

const APP_CREDENTIAL_DELETE: &str =
    "https://learn.microsoft.com/en-us/cli/azure/ad/app/credential#az-ad-app-credential-delete";
const SP_CREDENTIAL_DELETE: &str =
    "https://learn.microsoft.com/en-us/cli/azure/ad/sp/credential#az-ad-sp-credential-delete";
const SP_UPDATE: &str = "https://learn.microsoft.com/en-us/cli/azure/ad/sp#az-ad-sp-update";
const SP_DELETE: &str = "https://learn.microsoft.com/en-us/cli/azure/ad/sp#az-ad-sp-delete";
const APP_DELETE: &str = "https://learn.microsoft.com/en-us/cli/azure/ad/app#az-ad-app-delete";
const IDENTITY_DELETE: &str =
    "https://learn.microsoft.com/en-us/cli/azure/identity#az-identity-delete";

fn object(locator: Option<&Locator>) -> Option<EntraObject> {
    match locator {
        Some(Locator::Entra(object)) => Some(*object),
        _ => None,
    }
}

fn az(words: &[&'static str], rest: Vec<Arg>) -> Vec<Arg> {
    words.iter().copied().map(word).chain(rest).collect()
}

impl Remedies for Azure {
    fn account(&self, plan: &mut Plan, account: &IdentityRecord) {
        let app_id = &account.native_id;
        match object(account.locator.as_deref()) {
            Some(EntraObject::ServicePrincipal) => {
                if account.state == AccountState::Enabled {
                    plan.run(
                        Phase::Disable,
                        &account.system,
                        format!("Disable sign-in of the service principal of appId {app_id}"),
                        Command::new(
                            Program::Az,
                            az(
                                &["ad", "sp", "update", "--id"],
                                vec![value(app_id), word("--set"), word("accountEnabled=false")],
                            ),
                        ),
                        SP_UPDATE,
                    )
                    .caution = Some("undo with `--set accountEnabled=true`; a disabled service principal's secrets stay valid once it is enabled again, hence the steps below".into());
                }
                plan.run(
                    Phase::RemoveAccounts,
                    &account.system,
                    format!("Delete the service principal of appId {app_id}"),
                    Command::new(
                        Program::Az,
                        az(&["ad", "sp", "delete", "--id"], vec![value(app_id)]),
                    ),
                    SP_DELETE,
                );
            }
            Some(EntraObject::Application) => {
                plan.run(
                    Phase::RemoveAccounts,
                    &account.system,
                    format!("Delete the application of appId {app_id}"),
                    Command::new(
                        Program::Az,
                        az(&["ad", "app", "delete", "--id"], vec![value(app_id)]),
                    ),
                    APP_DELETE,
                )
                .caution = Some("a deleted application can be restored for 30 days (Entra's deleted items), with its credentials".into());
            }
            Some(EntraObject::ManagedIdentity) | None => {
                plan.manual(
                    Phase::RemoveAccounts,
                    &account.system,
                    format!("Delete the managed identity of appId {app_id}"),
                    format!(
                        "Delete the Azure resource the managed identity belongs to, or the user-assigned identity itself (az identity delete); Entra deletes its service principal with it ({}).",
                        where_read(&account.evidence)
                    ),
                    IDENTITY_DELETE,
                );
            }
        }
    }

    fn credential(&self, plan: &mut Plan, credential: &CredentialRecord, intent: Intent) {
        let (app_id, key_id) = (&credential.holder, &credential.id);
        let what = match credential.kind {
            CredentialKind::ClientCertificate => "certificate",
            _ => "client secret",
        };
        // A credential without a keyId is numbered by deprov (`APPID#passwordCredentials[0]`):
        // Entra knows it by no such ID.
        let object = object(credential.locator.as_deref()).filter(|_| !key_id.contains('#'));
        let (words, documentation): (&[&'static str], &'static str) = match object {
            Some(EntraObject::Application) => (
                &["ad", "app", "credential", "delete"],
                APP_CREDENTIAL_DELETE,
            ),
            Some(EntraObject::ServicePrincipal | EntraObject::ManagedIdentity) => {
                (&["ad", "sp", "credential", "delete"], SP_CREDENTIAL_DELETE)
            }
            None => {
                plan.manual(
                    intent.phase(Phase::Delete),
                    &credential.system,
                    format!("Delete {what} {key_id} of appId {app_id}"),
                    format!(
                        "Delete {what} {key_id} of appId {app_id} in the Entra admin center ({}).",
                        where_read(&credential.evidence)
                    ),
                    APP_CREDENTIAL_DELETE,
                );
                return;
            }
        };
        let mut args = az(
            words,
            vec![word("--id"), value(app_id), word("--key-id"), value(key_id)],
        );
        if credential.kind == CredentialKind::ClientCertificate {
            args.push(word("--cert"));
        }
        plan.run(
            intent.phase(Phase::Delete),
            &credential.system,
            format!(
                "Delete {what} {key_id} of the {} of appId {app_id}",
                match object {
                    Some(EntraObject::Application) => "application",
                    _ => "service principal",
                }
            ),
            Command::new(Program::Az, args),
            documentation,
        );
    }

    fn grant(&self, plan: &mut Plan, grant: &GrantRecord) {
        manual_grant(plan, grant, SP_UPDATE);
    }
}
