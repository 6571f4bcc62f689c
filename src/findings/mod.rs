//! Findings: what the engine's Deny decisions mean, in the words of the rule catalog, with a
//! stable fingerprint, the identity and owner to route it to, and the evidence. One job per
//! file: the model, building findings from decisions, their messages, their fingerprints, and
//! the lines of their evidence.

mod build;
mod evidence_lines;
mod fingerprint;
mod message;
mod model;

pub use build::build;
pub use evidence_lines::locate_lines;
pub use fingerprint::{fingerprint, subject_key};
pub use model::{compare, sort, Finding, FindingStatus, SecretEvidence, UNATTRIBUTED};
