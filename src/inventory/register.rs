//! The organisation's lifecycle register, as read by `sources::register`: which identities exist,
//! which are retired, who owns them, and which people have left.

use jiff::Timestamp;

use super::alias::normalize;
use super::model::{Evidence, IdentityKind};
use super::IdMap;

/// Lifecycle status the register gives an identity.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RegisterStatus {
    Active,
    Retired,
}

/// One identity entry of the register.
#[derive(Debug, Clone)]
pub struct RegisteredIdentity {
    pub id: String,
    pub kind: IdentityKind,
    pub status: RegisterStatus,
    pub retired_at: Option<Timestamp>,
    pub owner: Option<String>,
    pub aliases: Vec<String>,
    pub evidence: Evidence,
    /// A retirement the register dates after the evaluation time: the identity
    /// is active until then.
    pub retires_at: Option<Timestamp>,
}

impl RegisteredOwner {
    /// The same owner, saying the same thing (where it is declared aside).
    fn same_as(&self, other: &RegisteredOwner) -> bool {
        (self.kind, self.status, self.departed_at, self.departs_at)
            == (
                other.kind,
                other.status,
                other.departed_at,
                other.departs_at,
            )
    }
}

/// Whether an owner is still with the organisation.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OwnerStatus {
    Active,
    Departed,
    /// Named as an owner but listed neither under `people` nor under `teams`.
    Unknown,
}

impl OwnerStatus {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerStatus::Active => "active",
            OwnerStatus::Departed => "departed",
            OwnerStatus::Unknown => "unknown",
        }
    }
}

/// Whether an owner is a person or a team.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum OwnerKind {
    Person,
    Team,
}

impl OwnerKind {
    pub fn as_str(self) -> &'static str {
        match self {
            OwnerKind::Person => "person",
            OwnerKind::Team => "team",
        }
    }
}

/// A person (from `people`) or a team (from `teams`) that can own identities.
#[derive(Debug, Clone)]
pub struct RegisteredOwner {
    pub id: String,
    pub kind: OwnerKind,
    pub status: OwnerStatus,
    pub departed_at: Option<Timestamp>,
    pub evidence: Evidence,
    /// A departure dated in the future: the person is still here until then.
    pub departs_at: Option<Timestamp>,
}

/// The whole register, possibly merged from several files.
#[derive(Debug, Clone, Default)]
pub struct Register {
    pub identities: Vec<RegisteredIdentity>,
    pub owners: Vec<RegisteredOwner>,
}

/// The same identity, owner or alias declared by two register files.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RegisterConflict {
    pub message: String,
}

/// How many conflicts between register files are named; the rest are counted.
const MAX_CONFLICTS: usize = 50;

impl Register {
    /// Joins the registers of several files, which must not overlap: an identity ID, an owner
    /// ID or an alias declared by two files is a conflict (whichever file was read first would
    /// otherwise win, and which one that is depends on file names). Files are taken in path
    /// order, so the conflicts are named alike whatever order the files were given in. Returns
    /// the conflicts (the first [`MAX_CONFLICTS`]) and their total.
    pub fn merge(mut parts: Vec<Register>) -> Result<Register, (Vec<RegisterConflict>, usize)> {
        if parts.len() == 1 {
            return Ok(parts.pop().unwrap_or_default());
        }
        let path_of = |r: &Register| {
            r.identities
                .first()
                .map(|i| i.evidence.path.clone())
                .or_else(|| r.owners.first().map(|o| o.evidence.path.clone()))
                .unwrap_or_default()
        };
        parts.sort_by_cached_key(path_of);
        let mut conflicts = Vec::new();
        let mut total = 0usize;
        let mut conflict = |message: String| {
            total += 1;
            if conflicts.len() < MAX_CONFLICTS {
                conflicts.push(RegisterConflict { message });
            }
        };
        let at = |e: &Evidence| match e.line {
            Some(line) => format!("{}:{line}", e.path),
            None => e.path.to_string(),
        };
        let mut identity_ids: IdMap<&str, &Evidence> = IdMap::default();
        let mut aliases: IdMap<String, (&str, &Evidence)> = IdMap::default();
        let mut owner_ids: IdMap<String, &RegisteredOwner> = IdMap::default();
        let mut repeated: std::collections::HashSet<(usize, usize)> = Default::default();
        for (p, part) in parts.iter().enumerate() {
            for identity in &part.identities {
                if let Some(first) = identity_ids.insert(&identity.id, &identity.evidence) {
                    conflict(format!(
                        "identity `{}` is declared in {} and in {}",
                        identity.id,
                        at(first),
                        at(&identity.evidence)
                    ));
                }
                for alias in &identity.aliases {
                    let key = normalize(alias);
                    match aliases.get(&key) {
                        Some((owner, first)) if first.path != identity.evidence.path => {
                            conflict(format!(
                                "alias `{alias}` is declared for `{owner}` in {} and for `{}` in {}",
                                at(first),
                                identity.id,
                                at(&identity.evidence)
                            ))
                        }
                        Some(_) => {}
                        None => {
                            aliases.insert(key, (&identity.id, &identity.evidence));
                        }
                    }
                }
            }
            for (o, owner) in part.owners.iter().enumerate() {
                match owner_ids.get(&normalize(&owner.id)) {
                    // The same team, or the same person with the same dates, in two files (per
                    // team registers repeat them) says nothing new.
                    Some(first) if first.same_as(owner) => {
                        repeated.insert((p, o));
                    }
                    Some(first) => conflict(format!(
                        "{} `{}` is declared in {} and in {}",
                        owner.kind.as_str(),
                        owner.id,
                        at(&first.evidence),
                        at(&owner.evidence)
                    )),
                    None => {
                        owner_ids.insert(normalize(&owner.id), owner);
                    }
                }
            }
        }
        if total > 0 {
            return Err((conflicts, total));
        }
        drop((identity_ids, aliases, owner_ids));
        let mut merged = Register::default();
        for (p, part) in parts.into_iter().enumerate() {
            merged.identities.extend(part.identities);
            merged.owners.extend(
                part.owners
                    .into_iter()
                    .enumerate()
                    .filter(|(o, _)| !repeated.contains(&(p, *o)))
                    .map(|(_, owner)| owner),
            );
        }
        Ok(merged)
    }

    pub fn is_empty(&self) -> bool {
        self.identities.is_empty() && self.owners.is_empty()
    }
}
