//! deprov: finds the access left behind when a non-human identity is retired or goes stale.
//!
//! Data flow: `discover` → `sources` (records) → `inventory` (correlation with the register) →
//! `engine` (Cedar decides) → `findings` → `report`. See `docs/ARCHITECTURE.md`.

// Errors carry their source snippets for miette; they are rare and never on a hot path, so their
// size does not matter.
#![allow(clippy::result_large_err)]

pub mod allocator;
pub mod catalog;
pub mod cli;
pub mod commands;
pub mod config;
pub mod diagnostic;
pub mod discover;
pub mod embedded;
pub mod engine;
pub mod evidence;
pub mod findings;
pub mod inventory;
pub mod merge;
pub mod report;
pub mod result;
pub mod runbook;
pub mod scan;
pub mod severity;
pub mod shard;
pub mod sources;
pub mod template;
pub mod time;
pub mod trend;
pub mod triage;
pub mod verify;
pub mod x509;
