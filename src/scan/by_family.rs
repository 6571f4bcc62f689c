//! How a shard reads its exports (`scan --shard K/N` with N > 1, issue 19): one family at a
//! time, once, so that it never holds the whole organisation's parsed exports nor every
//! credential and grant at once.
//!
//! Which shard a credential, grant or use belongs to is known only once the register and
//! *every* account are joined (an account of another family can claim a credential's ID or
//! holder), so:
//! 1. **The reading** parses and joins each family's files in turn and keeps what correlation
//!    needs from everyone (the accounts), the uses, what code provisions, the secrets the
//!    exports hold, the platforms' verdicts and the `sources` list. The family's credentials
//!    and grants are written to a temporary file ([`Spill`]) as soon as it is joined, and
//!    dropped.
//! 2. The register and the accounts are joined ([`AccountJoin`]), as a single run joins them.
//! 3. **The spill is read back** and the shard keeps only the credentials and grants that it
//!    owns (or that a secret or provision names), decided by the same lookup a single run's
//!    join makes. A use goes where the credential it names goes (the last of that family and
//!    ID, as the join takes it), else with its identity.
//!
//! The records come out in the order a single run assembles them (family by family, each
//! family's files in content order), so the shard's report is the single run's restricted to
//! the shard. Each export is parsed once; a file whose length, modification time or head is
//! not what the first sweep saw when the reading opens it stops the scan (the sweep recognised
//! its format from what it held then).

use rayon::prelude::*;

use super::{FileOutcome, ScanError, ScanPlan, Skipped};
use crate::discover::probe::Probe;
use crate::discover::FileInput;
use crate::inventory::spill::{Spill, Spilled};
use crate::inventory::{
    retain_flagged, AccountJoin, CredentialRecord, GrantRecord, IdMap, IdSet, Records, Share,
    SourceFamily,
};
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
/// every export until it is read, cost a shard 225 MiB at a million credentials, so the
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
        // read) shows a new length or modification time, even where its head and rows
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

/// The credentials and grants the reading set aside, to keep the shard's once the accounts
/// are joined.
pub struct SetAside {
    credentials: Spill<CredentialRecord>,
    grants: Spill<GrantRecord>,
    /// The credential IDs that uses name, by the use's family: their credentials' shard is
    /// remembered, since a use goes with its credential.
    used: IdMap<SourceFamily, IdSet<String>>,
}

/// What the reading gathered.
pub struct Reading {
    /// The accounts, uses and provisions, the register, the exports' secrets and verdicts and
    /// every file read; no credentials or grants.
    pub assembled: sources::Assembled,
    /// Files that could not be read.
    pub skipped: Vec<Skipped>,
    /// Some file read was an export of a family that holds identities.
    pub identity_exports: bool,
    pub set_aside: SetAside,
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

/// The reading: every family in turn, keeping all but its credentials and grants, which it
/// sets aside.
/// `parsed` holds what the first sweep parsed already (the register).
pub fn read_by_family(
    plan: &ScanPlan,
    deferred: Vec<Deferred>,
    parsed: Vec<ParsedFile>,
    progress: &dyn super::Progress,
) -> Result<Reading, ScanError> {
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
    let mut mismatches = Vec::new();
    let mut assembled = sources::Assembled::default();
    let mut set_aside = SetAside {
        credentials: Spill::new().map_err(ScanError::Spill)?,
        grants: Spill::new().map_err(ScanError::Spill)?,
        used: IdMap::default(),
    };
    let mut identity_exports = false;
    // Keystores derive their keys against one budget, in path order (only they spend it).
    let mut budget = sources::certs::KdfBudget::of(plan.config.limits.keystore_kdf_iterations);
    for (family, (mut files, deferred)) in by_family.into_iter().enumerate() {
        progress.stage(&format!("reading {} exports", family_name(family)), None);
        let parsed = parse_family(plan, &deferred, &mut skipped, &mut mismatches)?;
        for (file, parsed) in deferred.into_iter().zip(parsed) {
            let Some(mut parsed) = parsed else { continue };
            match sources::settle(&mut parsed, &mut budget) {
                Ok(()) => files.push(parsed),
                Err(reason) => skipped.push(unsettled(&file, reason)),
            }
        }
        identity_exports |= files.iter().any(|p| p.format.family().holds_identities());
        let mut part = sources::assemble_family(family, files)?;
        let records = &mut part.records;
        for usage in &records.usages {
            if let Some(id) = &usage.credential {
                set_aside
                    .used
                    .entry(usage.system.family)
                    .or_default()
                    .insert(id.clone());
            }
        }
        for credential in std::mem::take(&mut records.credentials) {
            set_aside
                .credentials
                .push(&credential)
                .map_err(ScanError::Spill)?;
        }
        for grant in std::mem::take(&mut records.grants) {
            set_aside.grants.push(&grant).map_err(ScanError::Spill)?;
        }
        assembled.add_family(part);
    }
    if !mismatches.is_empty() {
        return Err(ScanError::Mapping {
            problems: mismatches,
        });
    }
    assembled.finish();
    Ok(Reading {
        assembled,
        skipped,
        identity_exports,
        set_aside,
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

/// How many records are read back from the spill at once: their lookups run in parallel.
const CHUNK: usize = 1 << 16;

/// Reads a spill back in chunks, in order, and adds the records `keeps` accepts (decided in
/// parallel per chunk) to `into`; `seen` is told of every record and whether it was kept, in
/// order.
fn keep_spilled<T: Spilled + Sync>(
    spill: Spill<T>,
    keeps: impl Fn(&T) -> bool + Sync,
    mut seen: impl FnMut(&T, bool),
    into: &mut Vec<T>,
    progress: &dyn super::Progress,
) -> Result<(), ScanError> {
    let mut reader = spill.read_back().map_err(ScanError::Spill)?;
    loop {
        let mut chunk = reader.next_chunk(CHUNK).map_err(ScanError::Spill)?;
        if chunk.is_empty() {
            return Ok(());
        }
        progress.advance(chunk.len() as u64);
        let kept: Vec<bool> = chunk.par_iter().map(&keeps).collect();
        for (record, &kept) in chunk.iter().zip(&kept) {
            seen(record, kept);
        }
        retain_flagged(&mut chunk, &kept);
        into.extend(chunk);
    }
}

/// Reads the set-aside credentials and grants back and keeps the shard's. `records` are the
/// reading's (accounts already in `join`); returns them with the kept credentials, grants and
/// uses.
pub fn keep_share(
    set_aside: SetAside,
    join: &AccountJoin,
    share: &Share<'_>,
    mut records: Records,
    progress: &dyn super::Progress,
) -> Result<Records, ScanError> {
    let SetAside {
        credentials,
        grants,
        used,
    } = set_aside;
    // The shard of the last credential of each (family, ID) that a use names.
    let mut used_goes: IdMap<SourceFamily, IdMap<String, bool>> = IdMap::default();
    progress.stage(
        "keeping the shard's credentials",
        Some(credentials.len() as u64),
    );
    keep_spilled(
        credentials,
        |credential| join.keeps_credential(share, credential),
        |credential, kept| {
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
        },
        &mut records.credentials,
        progress,
    )?;
    progress.stage("keeping the shard's grants", Some(grants.len() as u64));
    keep_spilled(
        grants,
        |grant| join.keeps_grant(share, grant),
        |_, _| {},
        &mut records.grants,
        progress,
    )?;
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
