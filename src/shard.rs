//! Splitting one scan over several machines (`scan --shard K/N`): which shard owns which
//! subject and repository, and what a shard's report carries so that `merge` (see
//! [`crate::merge`]) can put the pieces back together.
//!
//! What is split, and why:
//! - **Evaluation and findings** (the dominant cost at scale): every subject (credential, grant,
//!   use, identity, exposure) belongs to exactly one shard, by a stable hash of the same key its
//!   finding fingerprint is made of.
//! - **Repositories** (the dominant cost of secret scanning): each repository belongs to one
//!   shard, by a stable hash of its path; its secrets and references are judged there.
//! - **Credentials, grants and uses** (the bulk of the inventory): a shard keeps only those of
//!   the identities it owns, by a stable hash of the identity's normalized ID
//!   ([`crate::inventory::partition_key`]), and judges exactly those. Every shard joins the
//!   register and every account first (what correlation needs from everyone: the alias index),
//!   then looks each credential, grant and use up in it (a parallel lookup, the join's own) and
//!   drops what another shard owns before the sequential join; a record that joins nothing
//!   creates an identity named by its holder, whose key both sides derive alike. Credentials a
//!   secret or a provision names are kept too (not judged), so that those join as in a single
//!   run; a use goes with its credential.
//! - **Exports and audit logs** are read one family at a time, once (`scan::by_family`): the
//!   reading keeps the accounts (what correlation needs from everyone), the uses and what code
//!   provisions, and sets each family's credentials and grants aside in a temporary file
//!   (`inventory::spill`), read back once the accounts are joined to keep only the shard's. So a
//!   shard never holds every parsed export, nor every credential, at once; it still parses
//!   every export and the whole register, and one family's own join (a key to its user) still
//!   runs on that family's whole export.

use miette::Diagnostic;
use serde::{Deserialize, Serialize};

use crate::engine::Subject;
use crate::inventory::{Inventory, SourceFamily};

/// This machine's part: shard `index` (1-based) of `count`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shard {
    pub index: u32,
    pub count: u32,
}

/// A `--shard` value that is not K/N.
#[derive(Debug, thiserror::Error, Diagnostic)]
pub enum ShardError {
    #[error("invalid shard `{text}`: expected K/N with 1 ≤ K ≤ N (e.g. 2/8)")]
    #[diagnostic(code(deprov::shard::syntax))]
    Syntax { text: String },
}

impl std::str::FromStr for Shard {
    type Err = ShardError;

    fn from_str(text: &str) -> Result<Self, Self::Err> {
        let syntax = || ShardError::Syntax {
            text: text.to_string(),
        };
        let (k, n) = text.split_once('/').ok_or_else(syntax)?;
        let index: u32 = k.trim().parse().map_err(|_| syntax())?;
        let count: u32 = n.trim().parse().map_err(|_| syntax())?;
        if index == 0 || count == 0 || index > count {
            return Err(syntax());
        }
        Ok(Shard { index, count })
    }
}

impl std::fmt::Display for Shard {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}/{}", self.index, self.count)
    }
}

impl Shard {
    /// Whether this shard owns the work named by `key`. FNV-1a (64-bit) is fixed by its
    /// specification, so every machine, platform and deprov version splits the same way.
    pub fn owns(&self, key: &str) -> bool {
        let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
        for byte in key.as_bytes() {
            hash ^= u64::from(*byte);
            hash = hash.wrapping_mul(0x0000_0100_0000_01b3);
        }
        hash % u64::from(self.count) == u64::from(self.index - 1)
    }

    /// The key that assigns a repository to a shard.
    pub fn repository_key(rel: &str) -> String {
        format!("repository:{rel}")
    }

    /// The key that assigns a subject to a shard: a credential, grant, use or identity goes
    /// with its identity ([`crate::inventory::partition_key`]), since the shard read only the
    /// records of the identities it owns; what was found in a repository goes with its
    /// repository (only the shard that read it has it); anything else by the text its findings'
    /// fingerprints are made of.
    pub fn subject_key(inventory: &Inventory, subject: Subject) -> String {
        let of_identity = |idx: usize| {
            inventory
                .identities
                .get(idx)
                .map(|i| crate::inventory::partition_key(&i.id))
        };
        let identity = match subject {
            Subject::Credential(c) => inventory.credential_holder.get(c).copied(),
            Subject::Grant(g) => inventory.grant_holder.get(g).copied(),
            Subject::Usage(u) => inventory.usage_identity.get(u).copied(),
            Subject::Identity(i) => Some(i),
            Subject::Exposure(_) | Subject::Provision(_) => None,
        };
        if let Some(key) = identity.and_then(of_identity) {
            return key;
        }
        if let Subject::Exposure(e) = subject {
            let system = &inventory.exposures[e].system;
            if system.family == SourceFamily::Git {
                return Self::repository_key(&system.name);
            }
        }
        crate::findings::subject_key(inventory, subject)
    }
}

/// What a shard's report carries for `merge` beyond a normal report.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ShardFacts {
    pub index: u32,
    pub count: u32,
    /// Subjects this shard evaluated.
    pub requests: usize,
    /// Rule codes that ran.
    pub rules_run: Vec<String>,
    /// Retired identities with at least one finding in this shard.
    pub retired_with_findings: Vec<String>,
    /// Baseline entries this shard did not produce (resolved only if no shard produced them).
    pub baseline_unmatched: Vec<String>,
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_and_rejects_shard_specs() {
        assert_eq!(
            "2/8".parse::<Shard>().ok(),
            Some(Shard { index: 2, count: 8 })
        );
        for bad in ["0/3", "4/3", "1/0", "x/2", "3", "", "1/2/3"] {
            assert!(bad.parse::<Shard>().is_err(), "{bad}");
        }
    }

    #[test]
    fn every_key_belongs_to_exactly_one_shard() {
        for count in 1..=7 {
            for n in 0..500 {
                let key = format!("credential:aws:1111:AKIA{n}");
                let owners = (1..=count)
                    .filter(|&index| Shard { index, count }.owns(&key))
                    .count();
                assert_eq!(owners, 1, "{key} with {count} shards");
            }
        }
    }

    #[test]
    fn the_split_is_fixed_and_roughly_even() {
        // FNV-1a of "a" is 0xaf63dc4c8601ec8c: pinned so that a change of hash is noticed.
        let shard = |index| Shard { index, count: 2 };
        assert!(shard(1).owns("a"));
        let owned = (0..10_000)
            .filter(|n| shard(1).owns(&format!("key-{n}")))
            .count();
        assert!((4_500..5_500).contains(&owned), "{owned}");
    }
}
