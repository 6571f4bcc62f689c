//! Vault and OpenBao: an identity entity is disabled first (reversible); secret IDs are
//! destroyed by accessor, tokens revoked by accessor, leases revoked, KV secrets the identity
//! owns deleted with their history, PKI certificates revoked; AppRole roles and entities are
//! deleted last, and their policies with them.

use super::{certs, manual_grant, where_read, Intent, Remedies};
use crate::inventory::{CredentialKind, CredentialRecord, GrantRecord, IdentityRecord, SystemRef};
use crate::runbook::command::{joined, value, word, Arg, Command, Part, Program};
use crate::runbook::{Phase, Plan};

pub struct Vault;

const SECRET_ID_DESTROY: &str =
    "https://developer.hashicorp.com/vault/api-docs/auth/approle#destroy-secret-id-by-accessor";
const TOKEN_REVOKE: &str = "https://developer.hashicorp.com/vault/docs/commands/token/revoke";
const LEASE_REVOKE: &str = "https://developer.hashicorp.com/vault/docs/commands/lease/revoke";
const KV_METADATA_DELETE: &str = "https://developer.hashicorp.com/vault/docs/commands/kv/metadata";
const ROLE_UPDATE: &str =
    "https://developer.hashicorp.com/vault/api-docs/auth/approle#create-update-approle";
const KV_PUT: &str = "https://developer.hashicorp.com/vault/docs/commands/kv/put";
const DELETE: &str = "https://developer.hashicorp.com/vault/docs/commands/delete";
const ENTITY_UPDATE: &str =
    "https://developer.hashicorp.com/vault/api-docs/secret/identity/entity#update-entity-by-id";
const ENTITY_DELETE: &str =
    "https://developer.hashicorp.com/vault/api-docs/secret/identity/entity#delete-entity-by-id";

/// An auth method's role (`auth/MOUNT/role/NAME`).
fn is_role(path: &str) -> bool {
    path.starts_with("auth/") && path.contains("/role/")
}

/// Deletes a role or an entity (with the policies it holds).
fn delete_holder(plan: &mut Plan, system: &SystemRef, holder: &str) -> bool {
    if is_role(holder) {
        plan.run(
            Phase::RemoveAccounts,
            system,
            format!("Delete role {holder}"),
            Command::new(Program::Vault, vec![word("delete"), value(holder)]),
            DELETE,
        )
        .caution = Some(
            "its policies go with it; tokens it issued stay valid until revoked (above)".into(),
        );
        true
    } else if let Some(entity) = holder.strip_prefix("vault:entity:") {
        plan.run(
            Phase::RemoveAccounts,
            system,
            format!("Delete entity {entity}"),
            Command::new(
                Program::Vault,
                vec![word("delete"), joined("identity/entity/id/", entity)],
            ),
            ENTITY_DELETE,
        );
        true
    } else {
        false
    }
}

impl Remedies for Vault {
    fn account(&self, plan: &mut Plan, account: &IdentityRecord) {
        if let Some(entity) = account.native_id.strip_prefix("vault:entity:") {
            if account.state == crate::inventory::AccountState::Enabled {
                plan.run(
                    Phase::Disable,
                    &account.system,
                    format!("Disable entity {entity}"),
                    Command::new(
                        Program::Vault,
                        vec![
                            word("write"),
                            joined("identity/entity/id/", entity),
                            word("disabled=true"),
                        ],
                    ),
                    ENTITY_UPDATE,
                )
                .caution =
                    Some("undo with disabled=false; no token of the entity works meanwhile".into());
            }
        }
        delete_holder(plan, &account.system, &account.native_id);
    }

    fn credential(&self, plan: &mut Plan, credential: &CredentialRecord, intent: Intent) {
        let (system, id) = (&credential.system, &credential.id);
        let phase = intent.phase(Phase::Delete);
        match credential.kind {
            CredentialKind::SecretId if is_role(&credential.holder) => {
                plan.run(
                    phase,
                    system,
                    format!("Destroy secret ID {id} of {}", credential.holder),
                    Command::new(
                        Program::Vault,
                        vec![
                            word("write"),
                            Arg(vec![
                                Part::Value(credential.holder.clone()),
                                Part::Fixed("/secret-id-accessor/destroy"),
                            ]),
                            joined("secret_id_accessor=", id),
                        ],
                    ),
                    SECRET_ID_DESTROY,
                );
            }
            CredentialKind::Token => {
                plan.run(
                    phase,
                    system,
                    format!("Revoke token with accessor {id}"),
                    Command::new(
                        Program::Vault,
                        vec![word("token"), word("revoke"), word("-accessor"), value(id)],
                    ),
                    TOKEN_REVOKE,
                )
                .caution = Some("its child tokens are revoked with it".into());
            }
            CredentialKind::Lease => {
                plan.run(
                    phase,
                    system,
                    format!("Revoke lease {id}"),
                    Command::new(
                        Program::Vault,
                        vec![word("lease"), word("revoke"), value(id)],
                    ),
                    LEASE_REVOKE,
                );
            }
            CredentialKind::StoredSecret if intent == Intent::Rotate => {
                plan.manual(
                    phase,
                    system,
                    format!("Rotate the value stored at {id}"),
                    format!(
                        "Change the secret stored at {id} where it is used (the database, the API), write the new value (vault kv put {id} …), and check every consumer reads the new one."
                    ),
                    KV_PUT,
                );
            }
            CredentialKind::StoredSecret => {
                plan.run(
                    phase,
                    system,
                    format!("Delete KV secret {id} and all its versions"),
                    Command::new(
                        Program::Vault,
                        vec![word("kv"), word("metadata"), word("delete"), value(id)],
                    ),
                    KV_METADATA_DELETE,
                )
                .caution = Some("this destroys every version; if anyone else knew the value, rotate it where it is used first".into());
            }
            // A role whose tokens never expire is given an expiry, not deleted, while in use.
            CredentialKind::TokenRole if intent == Intent::Rotate => {
                plan.manual(
                    phase,
                    system,
                    format!("Give the tokens of {} an expiry", credential.holder),
                    format!(
                        "Set token_ttl and token_max_ttl on {} (vault write {} token_max_ttl=…), so that what logs in through it expires ({}).",
                        credential.holder,
                        credential.holder,
                        where_read(&credential.evidence)
                    ),
                    ROLE_UPDATE,
                );
            }
            CredentialKind::TokenRole => {
                if !delete_holder(plan, system, &credential.holder) {
                    plan.manual(
                        phase,
                        system,
                        format!("Delete login role {id}"),
                        format!(
                            "Delete the role behind {id} ({}).",
                            where_read(&credential.evidence)
                        ),
                        DELETE,
                    );
                }
            }
            CredentialKind::Certificate => certs::certificate(plan, credential, intent),
            _ => {
                plan.manual(
                    phase,
                    system,
                    format!("Revoke {} {id}", super::kind_text(credential)),
                    format!(
                        "Revoke {} {id} of {} ({}).",
                        super::kind_text(credential),
                        credential.holder,
                        where_read(&credential.evidence)
                    ),
                    SECRET_ID_DESTROY,
                );
            }
        }
    }

    fn grant(&self, plan: &mut Plan, grant: &GrantRecord) {
        if !delete_holder(plan, &grant.system, &grant.holder) {
            manual_grant(plan, grant, DELETE);
        }
    }
}
