//! Secrets and references found in repositories, files and exports, and uses after a
//! retirement: a leaked credential is removed (its identity is retired) or rotated (it is in
//! use) in its home system, the copy is removed, and history is purged last and only if wanted;
//! a reference is edited out; a late use is investigated. Nothing here names a secret's value.

use super::families::{Intent, REVERIFY_DOC, ROTATE_DOC};
use super::{Phase, Plan};
use crate::findings::Finding;
use crate::inventory::disclosure::{Disclosure, WithheldReason};
use crate::inventory::{ExposureKind, Identity, Inventory, Lifecycle, SourceFamily, UsageRecord};

const FILTER_REPO: &str = "https://github.com/newren/git-filter-repo";
const AUDIT: &str =
    "https://owasp.org/www-project-non-human-identities-top-10/2025/1-improper-offboarding/";

/// `PATH:LINE`.
fn location(evidence: &crate::inventory::Evidence) -> String {
    match evidence.line {
        Some(line) => format!("{}:{line}", evidence.path),
        None => evidence.path.to_string(),
    }
}

/// A leaked secret of a retired identity is removed; anyone else's is rotated. A finding's
/// rule, when planned for one, says which.
pub(super) fn intent(inventory: &Inventory, e: usize, finding: Option<&Finding>) -> Intent {
    let retired = match finding.map(|f| &*f.rule) {
        Some("DPV004") => true,
        Some(_) => false,
        None => inventory.exposure_identity[e]
            .is_some_and(|i| inventory.identities[i].lifecycle == Lifecycle::Retired),
    };
    if retired {
        Intent::Remove
    } else {
        Intent::Rotate
    }
}

/// The steps for exposure `e` (a finding's rule, when planned for one, decides between removal
/// and rotation; otherwise the identity's lifecycle does).
pub(super) fn plan(plan: &mut Plan, e: usize, finding: Option<&Finding>) {
    let inventory = plan.inventory;
    let exposure = &inventory.exposures[e];
    let identity = inventory.exposure_identity[e].map(|i| &inventory.identities[i]);
    let system = &exposure.system;
    let at = location(&exposure.evidence);
    if exposure.kind == ExposureKind::Reference {
        let identity = identity.map_or("a retired identity", |i| i.id.as_str());
        plan.manual(
            Phase::CleanUp,
            system,
            format!("Remove the reference to {identity} at {at}"),
            format!(
                "Replace the reference to {identity} at {at} with its successor, or remove the step that needs it; otherwise the next deploy fails, or whoever re-creates the name inherits what trusted it."
            ),
            AUDIT,
        );
        return;
    }
    let intent = intent(inventory, e, finding);
    let retired = intent == Intent::Remove;
    match inventory.exposure_credential[e] {
        Some(c) => plan.credential_at(c, intent),
        None => {
            let whose = identity.map_or_else(
                || "find its owner, and add its identity to the register".to_string(),
                |i| {
                    format!(
                        "deprov matched it to {} but to none of its credentials",
                        i.id
                    )
                },
            );
            plan.manual(
                Phase::Rotate,
                system,
                format!(
                    "{} the {} found at {at}",
                    if retired { "Revoke" } else { "Rotate" },
                    exposure.detector
                ),
                format!(
                    "{} the {} ({}) found at {at} in the system that issued it; {whose}.",
                    if retired { "Revoke" } else { "Rotate" },
                    exposure.detector,
                    exposure.description
                ),
                ROTATE_DOC,
            );
        }
    }
    let in_export = matches!(
        &exposure.disclosure,
        Disclosure::Withheld(withheld) if withheld.reason == WithheldReason::InExport
    );
    if in_export {
        plan.manual(
            Phase::CleanUp,
            system,
            format!("Delete the export {} that holds secret material", exposure.evidence.path),
            format!(
                "Delete {} and every copy of it, or export again without secret material (the collectors in contrib/export/ never write it).",
                exposure.evidence.path
            ),
            REVERIFY_DOC,
        );
        return;
    }
    if exposure.in_working_tree {
        plan.manual(
            Phase::CleanUp,
            system,
            format!("Remove the {} from {at}", exposure.detector),
            format!(
                "Remove the {} from {at} and commit; load it from a secret manager or use a workload identity instead.",
                exposure.detector
            ),
            ROTATE_DOC,
        );
    }
    if exposure.first_commit.is_some() && system.family == SourceFamily::Git {
        let path = exposure
            .evidence
            .path
            .strip_prefix(&format!("{}/", system.name))
            .unwrap_or(&exposure.evidence.path);
        plan.manual(
            Phase::PurgeHistory,
            system,
            format!("Purge {path} from the history of {}", system.name),
            format!(
                "Optional: rewrite the history of {} without the secret in {path} (git filter-repo), force-push every branch and tag, and have every clone and fork replaced. Only the revocation above ends the exposure.",
                system.name
            ),
            FILTER_REPO,
        );
    }
}

/// A use after the retirement date: an investigation.
pub(super) fn used_after_retirement(plan: &mut Plan, usage: &UsageRecord, identity: &Identity) {
    let Some(retired_at) = identity.retired_at.filter(|r| usage.at > *r) else {
        return;
    };
    plan.manual(
        Phase::CleanUp,
        &usage.system,
        format!(
            "Investigate the use of {} in {} after its retirement",
            identity.id, usage.system
        ),
        format!(
            "{} retired on {} but was used in {} on {} ({}): find the caller in the system's audit trail, treat it as a possible incident, and remove every remaining credential (deprov verify {} … --runbook).",
            identity.id,
            crate::time::format_rfc3339(retired_at),
            usage.system,
            crate::time::format_rfc3339(usage.at),
            location(&usage.evidence),
            identity.id
        ),
        AUDIT,
    );
}
