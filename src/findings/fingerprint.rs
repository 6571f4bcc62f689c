//! Fingerprints: the stable text a finding is about (`subject_key`, which also assigns the
//! subject to a shard) and the finding ID made from it with the rule and the source family.
//! Never a line number or an index, so that baselines and suppressions survive edits.

use sha2::{Digest, Sha256};

use crate::engine::Subject;
use crate::inventory::{ExposureRecord, Inventory};
use crate::sources::exposure::secrets::{Disclosure, Withheld, WithheldReason};

/// Fingerprint of a finding's content: `rule + source family + subject`.
pub fn fingerprint(rule: &str, family: &str, subject: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(rule.as_bytes());
    hasher.update([0]);
    hasher.update(family.as_bytes());
    hasher.update([0]);
    hasher.update(subject.as_bytes());
    let digest = hasher.finalize();
    format!("{rule}-{}", hex::encode(&digest[..8]))
}

/// What a finding is about, as a stable text: the fingerprint of its findings is made from it,
/// and it assigns the subject to a shard. Never a line and never an index; for secrets, see
/// [`exposure_key`].
pub fn subject_key(inventory: &Inventory, subject: Subject) -> String {
    let records = &inventory.records;
    match subject {
        Subject::Credential(c) => {
            let cred = &records.credentials[c];
            format!("credential:{}:{}", cred.system, cred.id)
        }
        Subject::Grant(g) => {
            let grant = &records.grants[g];
            format!(
                "grant:{}:{}:{}",
                grant.system, grant.holder, grant.privilege
            )
        }
        Subject::Usage(u) => {
            let usage = &records.usages[u];
            let identity = &inventory.identities[inventory.usage_identity[u]];
            format!("use:{}:{}", usage.system, identity.id)
        }
        Subject::Identity(i) => format!("identity:{}", inventory.identities[i].id),
        Subject::Exposure(e) => exposure_key(&inventory.exposures[e]),
        // The address and the holder, not the credential's ID: a plan creates a key whose ID
        // is not known yet, and the state that follows names the same resource.
        Subject::Provision(p) => {
            let provision = &records.provisions[p];
            format!(
                "provision:{}:{}:{}",
                provision.system, provision.address, provision.holder
            )
        }
    }
}

/// A secret is its value's digest, so the same secret moved to another line or file is the same
/// finding: the plain SHA-256 for a token (which cannot be brute-forced), the keyed digest for a
/// withheld value when a key is configured. A withheld value without a key has no digest that
/// may be used (a fingerprint made from `sha256(password)`, however truncated, would let a
/// reader confirm guesses offline), so it is identified by where it was first found instead:
/// the system, the detector, the path, the name it is assigned to (numbered when a file repeats
/// it) and the first commit that holds it. The commit tells apart the passwords one setting
/// held over history; a value never committed (or in a plain file) has none. Two files holding
/// the same password are still one exposure: repositories and files deduplicate by the digest
/// in memory before this. Secret material in an export is identified by the native ID the
/// export names for it (its slot: an access key ID, a Secret's `NAMESPACE/NAME`), not by the
/// export's path, so that renaming or moving an export keeps its findings.
fn exposure_key(exposure: &ExposureRecord) -> String {
    let (system, detector) = (&exposure.system, &exposure.detector);
    match &exposure.disclosure {
        Disclosure::Preview(_) => {
            format!("exposure:{system}:{detector}:{}", exposure.secret_sha256)
        }
        Disclosure::Withheld(Withheld {
            hmac_sha256: Some(keyed),
            ..
        }) => format!("exposure:{system}:{detector}:hmac-sha256:{keyed}"),
        Disclosure::Withheld(Withheld {
            reason: WithheldReason::InExport,
            slot,
            ..
        }) => format!("exposure-in-export:{system}:{detector}:{slot}"),
        // NUL cannot occur in a path: the parts cannot run into one another.
        Disclosure::Withheld(withheld) => format!(
            "exposure-at:{system}:{detector}:{}\0{}\0{}",
            exposure.evidence.path,
            withheld.slot,
            exposure.first_commit.as_deref().unwrap_or("uncommitted")
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn fingerprints_are_stable_and_content_based() {
        let a = fingerprint("DPV001", "aws", "credential:aws:1:AKIA");
        assert_eq!(a, fingerprint("DPV001", "aws", "credential:aws:1:AKIA"));
        assert_ne!(a, fingerprint("DPV001", "aws", "credential:aws:1:AKIB"));
        assert!(a.starts_with("DPV001-"));
    }
}
