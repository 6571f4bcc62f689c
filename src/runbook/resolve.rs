//! Which inventory record each finding of a scan is about. A finding carries its fingerprint
//! (`rule + family + subject key`), not an index: the candidates are the records of the
//! finding's identity (or the unattributed exposures), and the one whose fingerprint matches is
//! it. Each identity's candidates are hashed once per rule among its findings.

use std::collections::{BTreeSet, HashMap};

use super::Target;
use crate::engine::Subject;
use crate::findings::{fingerprint, subject_key, Finding, UNATTRIBUTED};
use crate::inventory::{IdentityIdx, Inventory, RecordRef};

/// The target of each finding, in order; `None` when the inventory does not hold it (a merged
/// run has none).
pub(super) fn targets(inventory: &Inventory, findings: &[Finding]) -> Vec<Option<Target>> {
    if inventory.identities.is_empty() && inventory.exposures.is_empty() {
        return vec![None; findings.len()];
    }
    // Findings name their identity by ID (`Finding::identity`): register IDs first, then the
    // native IDs of unregistered identities, as `verify::find` looks them up.
    let mut by_id: HashMap<&str, IdentityIdx> = HashMap::new();
    for registered in [true, false] {
        for (i, identity) in inventory.identities.iter().enumerate() {
            if identity.registered == registered {
                by_id.entry(identity.id.as_str()).or_insert(i);
            }
        }
    }
    // Group the findings by whose they are.
    let mut groups: HashMap<Option<IdentityIdx>, Vec<usize>> = HashMap::new();
    for (n, finding) in findings.iter().enumerate() {
        let owner = if finding.identity == UNATTRIBUTED {
            None
        } else {
            match by_id.get(finding.identity.as_str()) {
                Some(&i) => Some(i),
                None => continue,
            }
        };
        groups.entry(owner).or_default().push(n);
    }
    let candidates = candidates(inventory, &groups);
    let mut targets = vec![None; findings.len()];
    for (owner, members) in &groups {
        let subjects = candidates.get(owner).map(Vec::as_slice).unwrap_or_default();
        let rules: BTreeSet<&str> = members.iter().map(|&n| &*findings[n].rule).collect();
        let families: BTreeSet<&str> = members
            .iter()
            .map(|&n| family_of(&findings[n].system))
            .collect();
        let mut by_fingerprint: HashMap<String, Subject> = HashMap::new();
        for &subject in subjects {
            let key = subject_key(inventory, subject);
            for rule in &rules {
                for family in &families {
                    by_fingerprint.insert(fingerprint(rule, family, &key), subject);
                }
            }
        }
        for &n in members {
            targets[n] = by_fingerprint.get(&findings[n].id).map(|&s| target(s));
        }
    }
    targets
}

/// A finding's source family: the part of its system before the first `:`.
fn family_of(system: &str) -> &str {
    system.split_once(':').map_or(system, |(family, _)| family)
}

fn target(subject: Subject) -> Target {
    match subject {
        Subject::Credential(c) => Target::Record(RecordRef::Credential(c)),
        Subject::Grant(g) => Target::Record(RecordRef::Grant(g)),
        Subject::Usage(u) => Target::Record(RecordRef::Usage(u)),
        Subject::Exposure(e) => Target::Record(RecordRef::Exposure(e)),
        Subject::Identity(i) => Target::Identity(i),
        Subject::Provision(p) => Target::Record(RecordRef::Provision(p)),
    }
}

/// The subjects of each identity that has findings (and of nobody, for the unattributed).
fn candidates(
    inventory: &Inventory,
    groups: &HashMap<Option<IdentityIdx>, Vec<usize>>,
) -> HashMap<Option<IdentityIdx>, Vec<Subject>> {
    let mut candidates: HashMap<Option<IdentityIdx>, Vec<Subject>> = HashMap::new();
    let mut add = |owner: Option<IdentityIdx>, subject: Subject| {
        if groups.contains_key(&owner) {
            candidates.entry(owner).or_default().push(subject);
        }
    };
    for (c, &holder) in inventory.credential_holder.iter().enumerate() {
        add(Some(holder), Subject::Credential(c));
    }
    for (g, &holder) in inventory.grant_holder.iter().enumerate() {
        add(Some(holder), Subject::Grant(g));
    }
    for (u, &identity) in inventory.usage_identity.iter().enumerate() {
        add(Some(identity), Subject::Usage(u));
    }
    for i in 0..inventory.identities.len() {
        add(Some(i), Subject::Identity(i));
    }
    for (e, &identity) in inventory.exposure_identity.iter().enumerate() {
        add(identity, Subject::Exposure(e));
    }
    for (p, &identity) in inventory.provision_identity.iter().enumerate() {
        add(identity, Subject::Provision(p));
    }
    candidates
}
