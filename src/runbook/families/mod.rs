//! Per family, which commands remove an account, a credential or a grant from its system: one
//! contract (`Remedies`), implemented once per file and listed once, as the source families
//! are. A record of a family without commands (repositories, plain files) gets an instruction.

mod aws;
mod azure;
mod certs;
mod gcp;
mod github;
mod kubernetes;
mod vault;

use super::{Phase, Plan};
use crate::inventory::{
    CredentialKind, CredentialRecord, CredentialStatus, GrantRecord, IdentityRecord, SourceFamily,
};

/// The register's format, for steps about the register itself.
pub const REGISTER_DOC: &str =
    "https://owasp.org/www-project-non-human-identities-top-10/2025/1-improper-offboarding/";
/// Re-verifying with fresh exports.
pub const REVERIFY_DOC: &str = "docs/COLLECTORS.md";
/// Rotating a leaked or long-lived secret.
pub const ROTATE_DOC: &str =
    "https://owasp.org/www-project-non-human-identities-top-10/2025/7-long-lived-secrets/";

/// Why a credential's steps are planned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Intent {
    /// It should not exist: disable it, then delete it.
    Remove,
    /// It is in use but leaked or due: its replacement first, then disable and delete it, all
    /// in the rotation phase.
    Rotate,
}

impl Intent {
    /// The phase a step of this intent goes in: rotation keeps its own order.
    pub fn phase(self, phase: Phase) -> Phase {
        match self {
            Intent::Remove => phase,
            Intent::Rotate => Phase::Rotate,
        }
    }
}

/// What one family knows about removing things from its system.
trait Remedies: Sync {
    /// The steps that delete an account (and disable it first where the system can).
    fn account(&self, plan: &mut Plan, account: &IdentityRecord);
    /// The steps that disable and delete a credential (or revoke a certificate).
    fn credential(&self, plan: &mut Plan, credential: &CredentialRecord, intent: Intent);
    /// The steps that remove a grant from its holder.
    fn grant(&self, plan: &mut Plan, grant: &GrantRecord);
}

fn remedies(family: SourceFamily) -> Option<&'static dyn Remedies> {
    match family {
        SourceFamily::Aws => Some(&aws::Aws),
        SourceFamily::Gcp => Some(&gcp::Gcp),
        SourceFamily::Azure => Some(&azure::Azure),
        SourceFamily::Kubernetes => Some(&kubernetes::Kubernetes),
        SourceFamily::Github => Some(&github::Github),
        SourceFamily::Vault => Some(&vault::Vault),
        SourceFamily::Certs => Some(&certs::Certs),
        // Terraform's resources are planned as provisions (`Plan::provision`); mapped and
        // nhi-scan inventories name systems deprov has no commands for: written steps.
        SourceFamily::Register
        | SourceFamily::Manifest
        | SourceFamily::Terraform
        | SourceFamily::Inventory
        | SourceFamily::NhiScan
        | SourceFamily::Git
        | SourceFamily::Files => None,
    }
}

pub fn account(plan: &mut Plan, account: &IdentityRecord) {
    if account.state == crate::inventory::AccountState::Deleted {
        return;
    }
    match remedies(account.system.family) {
        Some(family) => family.account(plan, account),
        None => {
            plan.manual(
                Phase::RemoveAccounts,
                &account.system,
                format!("Delete account {} in {}", account.native_id, account.system),
                format!(
                    "Delete the account {} ({}).",
                    account.native_id,
                    where_read(&account.evidence)
                ),
                REGISTER_DOC,
            );
        }
    }
}

pub fn credential(plan: &mut Plan, credential: &CredentialRecord, intent: Intent) {
    // A login role and a stored secret are changed in place, not replaced (`vault`).
    let replaced = !matches!(
        credential.kind,
        CredentialKind::TokenRole | CredentialKind::StoredSecret
    );
    if intent == Intent::Rotate && replaced {
        plan.manual(
            Phase::Rotate,
            &credential.system,
            format!(
                "Replace {} {}",
                kind_text(credential),
                credential.id
            ),
            format!(
                "Create the replacement of {} {} in {} (prefer short-lived federation or a workload identity where the system offers it), store it in a secret manager and move every consumer to it; then disable and delete the old one with the steps below.",
                kind_text(credential),
                credential.id,
                credential.system
            ),
            ROTATE_DOC,
        );
    }
    match remedies(credential.system.family) {
        Some(family) => family.credential(plan, credential, intent),
        None => {
            plan.manual(
                intent.phase(Phase::Delete),
                &credential.system,
                format!("Delete {} {}", kind_text(credential), credential.id),
                format!(
                    "Revoke or delete {} {} in the system that issued it ({}).",
                    kind_text(credential),
                    credential.id,
                    where_read(&credential.evidence)
                ),
                REGISTER_DOC,
            );
        }
    }
}

pub fn grant(plan: &mut Plan, grant: &GrantRecord) {
    match remedies(grant.system.family) {
        Some(family) => family.grant(plan, grant),
        None => {
            manual_grant(plan, grant, REGISTER_DOC);
        }
    }
}

/// A grant no command removes safely: an instruction naming it and where it was read.
fn manual_grant(plan: &mut Plan, grant: &GrantRecord, documentation: &'static str) {
    plan.manual(
        Phase::RemoveGrants,
        &grant.system,
        format!("Remove {} from {}", grant.privilege, grant.holder),
        format!(
            "Remove {} from {} in {} ({}).",
            grant.privilege,
            grant.holder,
            grant.system,
            where_read(&grant.evidence)
        ),
        documentation,
    );
}

/// A credential's kind in words.
fn kind_text(credential: &CredentialRecord) -> String {
    credential.kind.as_str().replace('_', " ")
}

/// Whether a disable step applies: only an active credential needs one.
fn active(credential: &CredentialRecord) -> bool {
    credential.status == CredentialStatus::Active
}

/// `read from PATH:LINE`, for instructions.
pub(super) fn where_read(evidence: &crate::inventory::Evidence) -> String {
    match evidence.line {
        Some(line) => format!("read from {}:{line}", evidence.path),
        None => format!("read from {}", evidence.path),
    }
}
