//! The Cedar engine: loads the policy pack, turns the correlated inventory into entities and
//! requests, and reports which rules each request violates. It knows nothing about file formats.

pub mod decide;
pub mod entities;
pub mod evaluate;
pub mod policies;

pub use entities::{register_system, Subject};
pub use evaluate::{evaluate, evaluate_observed, Decision, Evaluation, PolicyEvaluationError};
pub use policies::{PolicyError, PolicyPack, BASELINE_ID};
