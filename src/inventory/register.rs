//! The organisation's lifecycle register, as read by `sources::register`: which identities exist,
//! which are retired, who owns them, and which people have left.

use jiff::Timestamp;

use super::model::{Evidence, IdentityKind};

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
}

/// The whole register, possibly merged from several files.
#[derive(Debug, Clone, Default)]
pub struct Register {
    pub identities: Vec<RegisteredIdentity>,
    pub owners: Vec<RegisteredOwner>,
}

impl Register {
    pub fn extend(&mut self, other: Register) {
        self.identities.extend(other.identities);
        self.owners.extend(other.owners);
    }

    pub fn is_empty(&self) -> bool {
        self.identities.is_empty() && self.owners.is_empty()
    }
}
