//! The normalized inventory: records read from every source, the register, and their
//! correlation into one identity per real-world non-human identity.

pub mod alias;
pub mod alias_index;
mod build;
pub mod confidence;
pub mod correlate;
pub mod disclosure;
pub mod model;
pub mod register;
pub mod spill;
pub mod verdict;

pub use alias_index::{AliasIndex, AliasKey};
pub use confidence::{Confidence, SecretConfidence};
pub(crate) use correlate::retain_flagged;
pub use correlate::{
    correlate, correlate_exposures, correlate_share, partition_key, AccountJoin, Identity,
    IdentityIdx, Inventory, Lifecycle, Owner, RetiredBy, Share,
};
pub use model::*;
pub use register::{
    OwnerKind, OwnerStatus, Register, RegisterConflict, RegisterStatus, RegisteredIdentity,
    RegisteredOwner,
};
pub use verdict::apply_verdicts;

/// A hash map keyed by identifiers read from exports. aHash is keyed at random per process, so
/// inputs cannot be shaped to collide, and it hashes short strings several times faster than the
/// standard SipHash; the join does millions of such lookups. Nothing iterates these maps to
/// produce output, so their order never reaches a report.
pub type IdMap<K, V> = std::collections::HashMap<K, V, ahash::RandomState>;

/// The set form of [`IdMap`].
pub type IdSet<T> = std::collections::HashSet<T, ahash::RandomState>;
