//! How a shard reads its exports (`scan --shard K/N` with N > 1, issue 19): one family at a
//! time, twice, so that it never holds the whole organisation's parsed exports nor every
//! credential and grant at once.
//!
//! Which shard a credential, grant or use belongs to is known only once the register and
//! *every* account are joined (an account of another family can claim a credential's ID or
//! holder), so:
//! 1. **The first reading** parses and joins each family's files in turn and keeps what
//!    correlation needs from everyone (the accounts), the uses, what code provisions, the
//!    secrets the exports hold, the platforms' verdicts and the `sources` list. The family's
//!    credentials and grants are dropped as soon as it is joined; a family that had any is
//!    read again.
//! 2. The register and the accounts are joined ([`AccountJoin`]), as a single run joins them.
//! 3. **The second reading** parses and joins each such family again and keeps only the
//!    credentials and grants that the shard owns (or that a secret or provision names), decided
//!    by the same lookup a single run's join makes. A use goes where the credential it names
//!    goes (the last of that family and ID, as the join takes it), else with its identity.
//!
//! The records come out in the order a single run assembles them (family by family, each
//! family's files in content order), so the shard's report is the single run's restricted to
//! the shard. The cost is a second parse of the families that hold credentials or grants. A
//! file whose length, modification time or head is not what the first sweep saw when a reading
//! opens it, or whose record count differs between the readings, stops the scan: its accounts
//! and its credentials could come from two different exports.

use rayon::prelude::*;

use super::{FileOutcome, ScanError, ScanPlan, Skipped};
use crate::discover::probe::Probe;
use crate::discover::FileInput;
use crate::inventory::{retain_flagged, AccountJoin, IdMap, IdSet, Records, Share, SourceFamily};
use crate::sources::{self, ParsedFile, FAMILIES};

/// An export recognised by the first sweep over the inputs and parsed later, by family.
#[derive(Debug, Clone)]
pub struct Deferred {
    pub input: FileInput,
    pub recognised: Recognised,
    pub how: Reread,
}

/// What the first sweep found of an export: its format, and what tells that the file a reading
/// opens is the one probed: its length and modification time when probed, and its head (see
/// [`sources::content_order`]). Not its sniffed content: a JSON document's shape, kept for
/// every export until it is read, cost a shard 225 MiB at a million credentials, so each
/// reading sniffs the file again.
#[derive(Debug, Clone)]
pub struct Recognised {
    format: sources::Detected,
    stamp: Option<Stamp>,
    content_order: (u64, [u8; 32]),
}

/// A file's length and modification time.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Stamp {
    len: u64,
    modified: Option<std::time::SystemTime>,
}

impl Stamp {
    fn of(path: &std::path::Path) -> Option<Stamp> {
        let metadata = std::fs::metadata(path).ok()?;
        Some(Stamp {
            len: metadata.len(),
            modified: metadata.modified().ok(),
        })
    }
}

impl Recognised {
    pub fn of(probe: &Probe, format: sources::Detected) -> Self {
        Recognised {
            format,
            stamp: Stamp::of(&probe.input.path),
            content_order: sources::content_order(probe),
        }
    }
}

/// How a deferred file is read: as the first sweep would have read it.
#[derive(Debug, Clone, Copy)]
pub enum Reread {
    File {
        in_repository: bool,
    },
    /// A file the config's `inventories:` mapping number `.0` names.
    Mapped(usize),
}

impl Deferred {
    fn family(&self) -> usize {
        self.recognised.format.family_index()
    }

    /// Reads and parses the file as the first sweep would have, in the format the sweep
    /// recognised; a file that is no longer the one probed is [`ScanError::ChangedDuringScan`].
    fn read(&self, plan: &ScanPlan) -> Result<FileOutcome, ScanError> {
        let input = &self.input;
        let max_bytes = plan.config.limits.max_file_bytes();
        let probe = match Probe::read(input, max_bytes) {
            Ok(probe) => probe,
            Err(_) => return Err(changed(input)),
        };
        // Taken once the file is read: a file rewritten since it was probed (or while it was
        // read) shows a new length or modification time, even where its head and record count
        // stay the same; one cut or replaced, a new head.
        if sources::content_order(&probe) != self.recognised.content_order
            || Stamp::of(&input.path) != self.recognised.stamp
        {
            return Err(changed(input));
        }
        let format = self.recognised.format;
        Ok(match self.how {
            Reread::File { in_repository } => {
                super::parse_export(input, &probe, format, plan, in_repository)
            }
            Reread::Mapped(mapping) => super::parse_mapped(input, &probe, format, plan, mapping),
        })
    }
}

/// A file the first reading parsed and what it held then, to read it again and check that it
/// is the same file.
#[derive(Debug)]
struct ReadOnce {
    deferred: Deferred,
    content_order: (u64, [u8; 32]),
    records: usize,
    /// Whether its sequential work (a keystore's key derivations) succeeded: replayed either
    /// way, so that the budget is spent as the first time, and kept only then.
    settled: bool,
}

/// The families to read again, each with its files.
#[derive(Debug, Default)]
pub struct Again {
    families: Vec<(usize, Vec<ReadOnce>)>,
    /// The credential IDs that uses name, by the use's family: their credentials' shard is
    /// remembered, since a use goes with its credential.
    used: IdMap<SourceFamily, IdSet<String>>,
}

/// What the first reading gathered.
pub struct FirstReading {
    /// The accounts, uses and provisions, the register, the exports' secrets and verdicts and
    /// every file read; no credentials or grants.
    pub assembled: sources::Assembled,
    /// Files that could not be read.
    pub skipped: Vec<Skipped>,
    /// Some file read was an export of a family that holds identities.
    pub identity_exports: bool,
    pub again: Again,
}

/// Parses a family's deferred files in parallel; what could not be read is added to `skipped`.
fn parse_family(
    plan: &ScanPlan,
    files: &[Deferred],
    skipped: &mut Vec<Skipped>,
    mismatches: &mut Vec<crate::diagnostic::Problem>,
) -> Result<Vec<Option<ParsedFile>>, ScanError> {
    let outcomes: Vec<FileOutcome> = files
        .par_iter()
        .with_max_len(1)
        .map(|file| file.read(plan))
        .collect::<Result<_, _>>()?;
    let mut parsed = Vec::with_capacity(outcomes.len());
    for (file, outcome) in files.iter().zip(outcomes) {
        parsed.push(match outcome {
            FileOutcome::Parsed(p) => Some(*p),
            FileOutcome::Skipped(s) => {
                skipped.push(s);
                None
            }
            FileOutcome::Mismatch(problems) => {
                mismatches.extend(problems);
                None
            }
            FileOutcome::Fatal(e) => return Err(ScanError::Register(e)),
            FileOutcome::Scanned { .. } | FileOutcome::InRepository | FileOutcome::Deferred(_) => {
                return Err(changed(&file.input));
            }
        });
    }
    Ok(parsed)
}

fn changed(input: &FileInput) -> ScanError {
    ScanError::ChangedDuringScan {
        path: input.rel.clone(),
    }
}

/// The first reading: every family in turn, keeping all but its credentials and grants.
/// `parsed` holds what the first sweep parsed already (the register).
pub fn read_first(
    plan: &ScanPlan,
    deferred: Vec<Deferred>,
    parsed: Vec<ParsedFile>,
    progress: &dyn super::Progress,
) -> Result<FirstReading, ScanError> {
    let mut by_family: Vec<(Vec<ParsedFile>, Vec<Deferred>)> =
        FAMILIES.iter().map(|_| (Vec::new(), Vec::new())).collect();
    for file in parsed {
        by_family[file.format.family_index()].0.push(file);
    }
    let mut skipped = Vec::new();
    for file in deferred {
        match by_family.get_mut(file.family()) {
            Some(slot) => slot.1.push(file),
            // A format is always of a listed family; were it not, the file is a gap, not lost.
            None => skipped.push(Skipped::unread(
                file.input.rel.clone(),
                "recognised as an export of no family deprov lists".to_string(),
            )),
        }
    }
    // Only register files are parsed before the readings (`parsed`), and they hold no
    // credentials or grants: the second reading re-reads deferred files alone.
    let mut mismatches = Vec::new();
    let mut assembled = sources::Assembled::default();
    let mut again = Again::default();
    let mut identity_exports = false;
    // Keystores derive their keys against one budget, in path order (only they spend it).
    let mut budget = sources::certs::KdfBudget::of(plan.config.limits.keystore_kdf_iterations);
    for (family, (mut files, deferred)) in by_family.into_iter().enumerate() {
        progress.stage(&format!("reading {} exports", family_name(family)), None);
        let parsed = parse_family(plan, &deferred, &mut skipped, &mut mismatches)?;
        let mut read_once = Vec::new();
        for (file, parsed) in deferred.into_iter().zip(parsed) {
            let Some(mut parsed) = parsed else { continue };
            let settled = match sources::settle(&mut parsed, &mut budget) {
                Ok(()) => true,
                Err(reason) => {
                    skipped.push(unsettled(&file, reason));
                    false
                }
            };
            read_once.push(ReadOnce {
                deferred: file,
                content_order: parsed.content_order,
                records: parsed.records,
                settled,
            });
            if settled {
                files.push(parsed);
            }
        }
        identity_exports |= files.iter().any(|p| p.format.family().holds_identities());
        let mut part = sources::assemble_family(family, files)?;
        let records = &mut part.records;
        if !records.credentials.is_empty() || !records.grants.is_empty() {
            again.families.push((family, read_once));
        }
        for usage in &records.usages {
            if let Some(id) = &usage.credential {
                again
                    .used
                    .entry(usage.system.family)
                    .or_default()
                    .insert(id.clone());
            }
        }
        records.credentials = Vec::new();
        records.grants = Vec::new();
        assembled.add_family(part);
    }
    if !mismatches.is_empty() {
        return Err(ScanError::Mapping {
            problems: mismatches,
        });
    }
    assembled.finish();
    Ok(FirstReading {
        assembled,
        skipped,
        identity_exports,
        again,
    })
}

/// A keystore past the key-derivation budget: in a repository a file read on a best-effort
/// basis, in a data path a store left unread (as the first sweep lists it).
fn unsettled(file: &Deferred, reason: String) -> Skipped {
    match file.how {
        Reread::File {
            in_repository: true,
        } => Skipped::ignored(file.input.rel.clone(), reason),
        _ => Skipped::unread(file.input.rel.clone(), reason),
    }
}

fn family_name(family: usize) -> String {
    FAMILIES
        .get(family)
        .map_or_else(|| "other".to_string(), |f| f.source().to_string())
}

/// The second reading: the families that held credentials or grants, again, keeping the
/// shard's. `records` are the first reading's (accounts already in `join`); returns them with
/// the kept credentials, grants and uses.
pub fn read_again(
    plan: &ScanPlan,
    again: Again,
    join: &AccountJoin,
    share: &Share<'_>,
    mut records: Records,
    progress: &dyn super::Progress,
) -> Result<Records, ScanError> {
    let Again { families, used } = again;
    // The shard of the last credential of each (family, ID) that a use names.
    let mut used_goes: IdMap<SourceFamily, IdMap<String, bool>> = IdMap::default();
    let mut budget = sources::certs::KdfBudget::of(plan.config.limits.keystore_kdf_iterations);
    for (family, read_once) in families {
        progress.stage(
            &format!("reading {} credentials again", family_name(family)),
            None,
        );
        let deferred: Vec<Deferred> = read_once.iter().map(|r| r.deferred.clone()).collect();
        let mut unexpected = Vec::new();
        let parsed = parse_family(plan, &deferred, &mut unexpected, &mut Vec::new())?;
        let mut files = Vec::with_capacity(parsed.len());
        for (once, parsed) in read_once.iter().zip(parsed) {
            let Some(mut parsed) = parsed else {
                return Err(changed(&once.deferred.input));
            };
            let settled = sources::settle(&mut parsed, &mut budget).is_ok();
            if settled != once.settled
                || parsed.content_order != once.content_order
                || parsed.records != once.records
            {
                return Err(changed(&once.deferred.input));
            }
            if settled {
                files.push(parsed);
            }
        }
        let part = sources::assemble_family(family, files)?;
        let Records {
            mut credentials,
            mut grants,
            ..
        } = part.records;
        let kept: Vec<bool> = credentials
            .par_iter()
            .map(|credential| join.keeps_credential(share, credential))
            .collect();
        for (credential, &kept) in credentials.iter().zip(&kept) {
            let family = credential.system.family;
            if used
                .get(&family)
                .is_some_and(|ids| ids.contains(credential.id.as_str()))
            {
                used_goes
                    .entry(family)
                    .or_default()
                    .insert(credential.id.clone(), kept);
            }
        }
        retain_flagged(&mut credentials, &kept);
        records.credentials.extend(credentials);
        let kept: Vec<bool> = grants
            .par_iter()
            .map(|grant| join.keeps_grant(share, grant))
            .collect();
        retain_flagged(&mut grants, &kept);
        records.grants.extend(grants);
    }
    let kept: Vec<bool> = records
        .usages
        .par_iter()
        .map(|usage| {
            let credential = usage
                .credential
                .as_ref()
                .and_then(|id| used_goes.get(&usage.system.family)?.get(id.as_str()));
            match credential {
                Some(&kept) => kept,
                None => join.keeps_usage_of_identity(share, usage),
            }
        })
        .collect();
    retain_flagged(&mut records.usages, &kept);
    Ok(records)
}
