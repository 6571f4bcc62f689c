//! The normalized inventory: records read from every source, the register, and their
//! correlation into one identity per real-world non-human identity.

pub mod alias;
pub mod correlate;
pub mod model;
pub mod register;

pub use correlate::{
    correlate, correlate_exposures, Identity, IdentityIdx, Inventory, Lifecycle, Owner, RetiredBy,
};
pub use model::*;
pub use register::{
    OwnerKind, OwnerStatus, Register, RegisterStatus, RegisteredIdentity, RegisteredOwner,
};
