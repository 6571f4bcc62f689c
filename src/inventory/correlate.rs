//! Correlation: joins the records of every source to one identity per real-world NHI, using the
//! register's aliases; what the register does not know becomes an unregistered identity keyed by
//! its native ID.

use rayon::prelude::*;
use std::collections::{BTreeMap, BTreeSet};

use jiff::Timestamp;

use super::alias::normalize;
use super::alias_index::{AliasIndex, AliasKey};
use super::model::{
    AccountState, CredentialKind, CredentialRecord, CredentialStatus, Evidence, ExposureRecord,
    GrantRecord, IdentityKind, LastUse, Records, SourceFamily, SystemRef, UsageRecord,
};
use super::register::{OwnerKind, OwnerStatus, Register, RegisterStatus, RegisteredOwner};
use super::{IdMap, IdSet};

pub type IdentityIdx = usize;

/// The effective lifecycle the checks judge.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Lifecycle {
    Active,
    Retired,
    Unregistered,
}

impl Lifecycle {
    pub fn as_str(self) -> &'static str {
        match self {
            Lifecycle::Active => "active",
            Lifecycle::Retired => "retired",
            Lifecycle::Unregistered => "unregistered",
        }
    }
}

/// Who declared an identity retired.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum RetiredBy {
    Register,
    /// Not in the register, and disabled or deleted in every system that knows it: the issue's
    /// rule is that the home system's word counts when the register says nothing.
    HomeSystem,
}

/// One canonical identity: a register entry, or an unregistered native identity.
#[derive(Debug, Clone)]
pub struct Identity {
    /// The register ID, or the native ID for an unregistered identity.
    pub id: String,
    pub registered: bool,
    pub kind: IdentityKind,
    pub lifecycle: Lifecycle,
    pub retired_by: Option<RetiredBy>,
    pub retired_at: Option<Timestamp>,
    /// A retirement the register schedules after the evaluation time: active until then.
    pub retires_at: Option<Timestamp>,
    pub owner: Option<String>,
    /// Every identifier known for it (register aliases and native IDs seen), sorted and without
    /// repeats. A sorted vector rather than a set: most identities have a handful of aliases, and
    /// a B-tree node for them is three times their size (about 125 MB at a million credentials).
    pub aliases: Vec<String>,
    /// Indices into `Records::identities` of its accounts in the systems.
    pub accounts: Vec<usize>,
    /// Aggregate account state across systems.
    pub state: AccountState,
    /// The system an unregistered identity was first seen in; `None` for register entries.
    pub home_system: Option<SystemRef>,
    /// Some system holds an account, credential or grant of it (not only a recorded use).
    pub present: bool,
    pub evidence: Evidence,
}

/// An owner known to (or named in) the register.
#[derive(Debug, Clone)]
pub struct Owner {
    pub id: String,
    pub kind: OwnerKind,
    pub status: OwnerStatus,
    pub departed_at: Option<Timestamp>,
    /// A departure the register schedules after the evaluation time.
    pub departs_at: Option<Timestamp>,
}

/// The joined inventory: records plus the identity each record belongs to.
#[derive(Debug, Clone, Default)]
pub struct Inventory {
    pub records: Records,
    pub identities: Vec<Identity>,
    pub owners: BTreeMap<String, Owner>,
    pub credential_holder: Vec<IdentityIdx>,
    /// State of the holder's account in the credential's own system.
    pub credential_holder_state: Vec<AccountState>,
    /// Another active credential of the same kind, holder and system is newer than this one.
    pub newer_active_sibling: Vec<bool>,
    pub grant_holder: Vec<IdentityIdx>,
    pub usage_identity: Vec<IdentityIdx>,
    pub usage_credential: Vec<Option<usize>>,
    /// Normalized identifier → identity: every alias and native ID.
    pub alias_index: AliasIndex,
    /// Normalized credential ID or fingerprint (`spki-sha256:…`) → credential; for joining
    /// exposures, emptied once they are joined in a scan.
    pub credential_index: IdMap<String, usize>,
    /// Secrets and references found in repositories and files, and what they matched.
    pub exposures: Vec<ExposureRecord>,
    pub exposure_identity: Vec<Option<IdentityIdx>>,
    pub exposure_credential: Vec<Option<usize>>,
    /// Per provisioned resource: the identity it is or belongs to, when the inventory knows it
    /// (through the credential it names, else the holder's identifiers). What code provisions
    /// for nobody known is not judged: it creates no identity of its own.
    pub provision_identity: Vec<Option<IdentityIdx>>,
    /// Per provisioned resource: the system's credential it names, when the scan read it.
    pub provision_credential: Vec<Option<usize>>,
}

/// Kinds for which "more than one active at once" is a rotation left half-done.
fn is_rotatable_key(kind: CredentialKind) -> bool {
    matches!(
        kind,
        CredentialKind::AccessKey
            | CredentialKind::ApiKey
            | CredentialKind::ServiceAccountKey
            | CredentialKind::ClientSecret
            | CredentialKind::ClientCertificate
            | CredentialKind::DeployKey
    )
}

/// Adds `alias` to a sorted list without repeats, unless it is there.
fn insert_sorted(aliases: &mut Vec<String>, alias: &str) {
    if let Err(position) = aliases.binary_search_by(|a| a.as_str().cmp(alias)) {
        aliases.insert(position, alias.to_string());
    }
}

fn sorted_unique(mut aliases: Vec<String>) -> Vec<String> {
    aliases.sort_unstable();
    aliases.dedup();
    aliases.shrink_to_fit();
    aliases
}

struct Builder {
    identities: Vec<Identity>,
    index: AliasIndex,
}

impl Builder {
    fn index_alias(&mut self, alias: &str, idx: IdentityIdx) {
        self.index_key(AliasKey::of(alias), alias, idx);
    }

    fn index_key(&mut self, key: AliasKey, alias: &str, idx: IdentityIdx) {
        self.index.claim(key, idx);
        insert_sorted(&mut self.identities[idx].aliases, alias);
    }

    /// Creates an unregistered identity for an identifier nothing else claims.
    fn unregistered(
        &mut self,
        native_id: &str,
        kind: IdentityKind,
        system: &SystemRef,
        evidence: &Evidence,
    ) -> IdentityIdx {
        let idx = self.identities.len();
        self.identities.push(Identity {
            id: native_id.to_string(),
            registered: false,
            kind,
            lifecycle: Lifecycle::Unregistered,
            retired_by: None,
            retired_at: None,
            retires_at: None,
            owner: None,
            aliases: Vec::new(),
            accounts: Vec::new(),
            state: AccountState::Unknown,
            home_system: Some(system.clone()),
            present: false,
            evidence: evidence.clone(),
        });
        self.index_alias(native_id, idx);
        idx
    }
}

/// Joins the records to the register. The register is consumed: its entries become the
/// registered identities without a copy (at a million identities the copy is hundreds of MB).
pub fn correlate(register: Register, records: Records) -> Inventory {
    correlate_share(register, records, None)
}

/// One shard's part of a sharded run (`scan --shard K/N`), for [`correlate_share`].
pub struct Share<'a> {
    /// Whether this shard owns the identity with this partition key ([`partition_key`]).
    pub owns: &'a (dyn Fn(&str) -> bool + Sync),
    /// Normalized identifiers that the run's secrets and provisions name (credential IDs,
    /// fingerprints, holders): their credentials and grants are kept so that they join as in a
    /// single run, though the shard that owns their identity judges them.
    pub carried: IdSet<String>,
}

impl Share<'_> {
    /// Whether a secret or provision of the run names this normalized identifier.
    pub fn carries(&self, normalized: &str) -> bool {
        !self.carried.is_empty() && self.carried.contains(normalized)
    }
}

/// The key that assigns an identity, and every credential, grant and use joined to it, to one
/// shard: its normalized ID. A record that joins no known identity creates one named by its
/// holder, whose key is the holder's normalized form: both sides derive it alike.
pub fn partition_key(identity_id: &str) -> String {
    partition_key_of_normalized(&normalize(identity_id))
}

fn partition_key_of_normalized(normalized: &str) -> String {
    format!("identity:{normalized}")
}

/// Keeps the items whose flag is set, in order.
pub(crate) fn retain_flagged<T>(items: &mut Vec<T>, keep: &[bool]) {
    let mut flags = keep.iter();
    items.retain(|_| flags.next().copied().unwrap_or(false));
}

/// Which credentials, grants and uses a shard keeps: those of identities it owns, plus those
/// its secrets and provisions name. The accounts and the register are joined first on every
/// shard alike (they are what correlation needs from everyone); this is then a parallel lookup
/// of each record's identity in that index, the same lookup the join makes.
struct Kept {
    credentials: Vec<bool>,
    grants: Vec<bool>,
    usages: Vec<bool>,
}

fn kept_by_share(share: &Share<'_>, join: &AccountJoin, records: &Records) -> Kept {
    let credentials: Vec<bool> = records
        .credentials
        .par_iter()
        .map(|credential| join.keeps_credential(share, credential))
        .collect();
    let grants = records
        .grants
        .par_iter()
        .map(|grant| join.keeps_grant(share, grant))
        .collect();
    // A use joins its credential by family and ID (the last of that ID, as the join's map
    // does) and goes where that credential goes; otherwise it joins its identity.
    let credential_by_id: IdMap<(SourceFamily, &str), usize> = records
        .credentials
        .iter()
        .enumerate()
        .map(|(i, c)| ((c.system.family, c.id.as_str()), i))
        .collect();
    let usages = records
        .usages
        .par_iter()
        .map(|usage| {
            let credential = usage
                .credential
                .as_deref()
                .and_then(|id| credential_by_id.get(&(usage.system.family, id)));
            match credential {
                Some(&ci) => credentials.get(ci).copied().unwrap_or(false),
                None => join.keeps_usage_of_identity(share, usage),
            }
        })
        .collect();
    Kept {
        credentials,
        grants,
        usages,
    }
}

/// The register and every account joined: the first half of correlation, and all a shard
/// needs to tell which credentials, grants and uses are its own ([`AccountJoin::keeps_credential`])
/// before it keeps them. [`AccountJoin::finish`] joins the rest.
pub struct AccountJoin {
    builder: Builder,
    registered_owners: Vec<RegisteredOwner>,
    accounts: Vec<super::model::IdentityRecord>,
}

impl AccountJoin {
    /// Joins the register's entries, then each account in order: the first of its identifiers
    /// that resolves wins; otherwise it becomes a new unregistered identity.
    pub fn new(register: Register, accounts: Vec<super::model::IdentityRecord>) -> Self {
        let Register {
            identities: registered,
            owners: registered_owners,
        } = register;
        let registered_keys: Vec<Vec<AliasKey>> = registered
            .par_iter()
            .map(|entry| entry.aliases.iter().map(|a| AliasKey::of(a)).collect())
            .collect();
        let alias_count = registered_keys.iter().map(Vec::len).sum::<usize>();
        let mut builder = Builder {
            identities: Vec::with_capacity(registered.len() + accounts.len()),
            index: AliasIndex::with_capacity(alias_count + accounts.len()),
        };
        for (entry, keys) in registered.into_iter().zip(registered_keys) {
            let idx = builder.identities.len();
            builder.identities.push(Identity {
                id: entry.id,
                registered: true,
                kind: entry.kind,
                lifecycle: match entry.status {
                    RegisterStatus::Active => Lifecycle::Active,
                    RegisterStatus::Retired => Lifecycle::Retired,
                },
                retired_by: (entry.status == RegisterStatus::Retired)
                    .then_some(RetiredBy::Register),
                retired_at: entry.retired_at,
                retires_at: entry.retires_at,
                owner: entry.owner,
                aliases: sorted_unique(entry.aliases),
                accounts: Vec::new(),
                state: AccountState::Unknown,
                home_system: None,
                present: true,
                evidence: entry.evidence,
            });
            for key in keys {
                builder.index.claim(key, idx);
            }
        }

        // Normalizing identifiers is most of the join's cost and needs no shared state: it is
        // done in parallel up front, and the sequential join below only looks keys up.
        let account_keys: Vec<Vec<AliasKey>> = accounts
            .par_iter()
            .map(|r| {
                std::iter::once(&r.native_id)
                    .chain(r.aliases.iter())
                    .map(|id| AliasKey::of(id))
                    .collect()
            })
            .collect();
        for (record_idx, (record, keys)) in accounts.iter().zip(account_keys).enumerate() {
            let found = keys.iter().find_map(|k| builder.index.get_key(k).copied());
            let idx = match found {
                Some(idx) => idx,
                None => builder.unregistered(
                    &record.native_id,
                    record.kind,
                    &record.system,
                    &record.evidence,
                ),
            };
            let identifiers = std::iter::once(&record.native_id).chain(record.aliases.iter());
            for (key, alias) in keys.into_iter().zip(identifiers) {
                builder.index_key(key, alias, idx);
            }
            let identity = &mut builder.identities[idx];
            identity.accounts.push(record_idx);
            if !identity.registered {
                if identity.kind == IdentityKind::Unknown {
                    identity.kind = record.kind;
                }
                if identity.owner.is_none() {
                    identity.owner = record.owner.clone();
                }
            }
        }
        AccountJoin {
            builder,
            registered_owners,
            accounts,
        }
    }

    /// The partition key of the identity found (else of the identifier a miss creates one for).
    fn key_of(&self, found: Option<&IdentityIdx>, normalized: &str) -> String {
        match found.and_then(|&idx| self.builder.identities.get(idx)) {
            Some(identity) => partition_key(&identity.id),
            None => partition_key_of_normalized(normalized),
        }
    }

    /// Whether a shard keeps this credential: its identity (by the credential's ID, then its
    /// holder, as the join looks it up) is the shard's, or a secret or provision names it.
    pub fn keeps_credential(&self, share: &Share<'_>, credential: &CredentialRecord) -> bool {
        let id_key = normalize(&credential.id);
        let holder_key = normalize(&credential.holder);
        let index = &self.builder.index;
        let found = index.get(&id_key).or_else(|| index.get(&holder_key));
        (share.owns)(&self.key_of(found, &holder_key))
            || share.carries(&id_key)
            || share.carries(&holder_key)
            || (!share.carried.is_empty()
                && credential
                    .fingerprints
                    .iter()
                    .any(|f| share.carries(&normalize(f))))
    }

    /// Whether a shard keeps this grant: its holder's identity is the shard's, or a secret or
    /// provision names the holder.
    pub fn keeps_grant(&self, share: &Share<'_>, grant: &GrantRecord) -> bool {
        let holder = normalize(&grant.holder);
        (share.owns)(&self.key_of(self.builder.index.get(&holder), &holder))
            || share.carries(&holder)
    }

    /// Whether a shard keeps a use that names no credential the inventory holds: by its identity.
    pub fn keeps_usage_of_identity(&self, share: &Share<'_>, usage: &UsageRecord) -> bool {
        let identity = normalize(&usage.identity);
        (share.owns)(&self.key_of(self.builder.index.get(&identity), &identity))
    }
}

/// [`correlate`] of one shard's part: with a [`Share`], only the credentials, grants and uses
/// of the identities the shard owns (and those its secrets name) are joined; the register and
/// every account are joined on every shard, so each identity comes out as in a single run.
pub fn correlate_share(
    register: Register,
    mut records: Records,
    share: Option<&Share<'_>>,
) -> Inventory {
    let accounts = std::mem::take(&mut records.identities);
    let join = AccountJoin::new(register, accounts);
    if let Some(share) = share {
        let kept = kept_by_share(share, &join, &records);
        retain_flagged(&mut records.credentials, &kept.credentials);
        retain_flagged(&mut records.grants, &kept.grants);
        retain_flagged(&mut records.usages, &kept.usages);
    }
    join.finish(records)
}

impl AccountJoin {
    /// Joins the credentials, grants and uses (`records`, whose accounts are the join's) to
    /// the identities: the second half of correlation.
    pub fn finish(self, mut records: Records) -> Inventory {
        let AccountJoin {
            mut builder,
            registered_owners,
            accounts,
        } = self;
        records.identities = accounts;
        let (credential_id_keys, holder_keys): (Vec<String>, Vec<String>) = records
            .credentials
            .par_iter()
            .map(|c| (normalize(&c.id), normalize(&c.holder)))
            .unzip();

        // Usage from audit logs and last-used exports raises a credential's last use.
        let usage_credential: Vec<Option<usize>> = {
            let credential_by_id: IdMap<(SourceFamily, &str), usize> = records
                .credentials
                .iter()
                .enumerate()
                .map(|(i, c)| ((c.system.family, c.id.as_str()), i))
                .collect();
            records
                .usages
                .iter()
                .map(|usage| {
                    let id = usage.credential.as_deref()?;
                    credential_by_id.get(&(usage.system.family, id)).copied()
                })
                .collect()
        };
        for (usage, cred) in records.usages.iter().zip(&usage_credential) {
            if let Some(&ci) = cred.as_ref() {
                let credential = &mut records.credentials[ci];
                credential.last_used = match credential.last_used {
                    LastUse::At(prev) if prev >= usage.at => LastUse::At(prev),
                    _ => LastUse::At(usage.at),
                };
            }
        }

        // The join's lookups read the index only: they run in parallel, and the sequential pass
        // below visits the misses alone, in record order, so that an unregistered identity created
        // for one miss is found by the next record naming the same holder, exactly as one ordered
        // pass would. The index only gains keys, and only the holders of full misses: a hit on
        // the credential's ID stays that hit, and a hit on its holder stays it unless its ID is
        // one of those holders (the ID then wins from the moment it is created), which the
        // sequential pass decides in order.
        let credential_found: Vec<(Option<IdentityIdx>, Option<IdentityIdx>)> = credential_id_keys
            .par_iter()
            .zip(holder_keys.par_iter())
            .map(|(id_key, holder_key)| {
                (
                    builder.index.get(id_key).copied(),
                    builder.index.get(holder_key).copied(),
                )
            })
            .collect();
        let created: IdSet<&str> = credential_found
            .iter()
            .zip(&holder_keys)
            .filter(|((by_id, by_holder), _)| by_id.is_none() && by_holder.is_none())
            .map(|(_, key)| key.as_str())
            .collect();
        let mut credential_holder: Vec<Option<IdentityIdx>> = credential_found
            .iter()
            .zip(&credential_id_keys)
            .map(|(&(by_id, by_holder), id_key)| {
                by_id.or(by_holder.filter(|_| !created.contains(id_key.as_str())))
            })
            .collect();
        drop(created);
        drop(credential_found);
        for (i, credential) in records.credentials.iter().enumerate() {
            if credential_holder[i].is_some() {
                continue;
            }
            let idx = builder
                .index
                .get(&credential_id_keys[i])
                .or_else(|| builder.index.get(&holder_keys[i]))
                .copied()
                .unwrap_or_else(|| {
                    builder.unregistered(
                        &credential.holder,
                        IdentityKind::Unknown,
                        &credential.system,
                        &credential.evidence,
                    )
                });
            credential_holder[i] = Some(idx);
        }
        let credential_holder: Vec<IdentityIdx> = credential_holder.into_iter().flatten().collect();
        // Each holder's name joins its identity's aliases; most are there already (the account's
        // native ID), so only the others take the sequential insert.
        let missing_alias: Vec<bool> = records
            .credentials
            .par_iter()
            .zip(credential_holder.par_iter())
            .map(|(credential, &idx)| {
                builder.identities[idx]
                    .aliases
                    .binary_search_by(|a| a.as_str().cmp(credential.holder.as_str()))
                    .is_err()
            })
            .collect();
        for ((credential, &idx), missing) in records
            .credentials
            .iter()
            .zip(&credential_holder)
            .zip(missing_alias)
        {
            if missing {
                insert_sorted(&mut builder.identities[idx].aliases, &credential.holder);
            }
        }
        drop(holder_keys);

        let grant_keys: Vec<String> = records
            .grants
            .par_iter()
            .map(|g| normalize(&g.holder))
            .collect();
        let mut grant_found: Vec<Option<IdentityIdx>> = grant_keys
            .par_iter()
            .map(|key| builder.index.get(key).copied())
            .collect();
        for (i, grant) in records.grants.iter().enumerate() {
            if grant_found[i].is_some() {
                continue;
            }
            let idx = builder
                .index
                .get(&grant_keys[i])
                .copied()
                .unwrap_or_else(|| {
                    let idx = builder.unregistered(
                        &grant.holder,
                        grant.holder_kind,
                        &grant.system,
                        &grant.evidence,
                    );
                    if grant.dangling {
                        builder.identities[idx].state = AccountState::Deleted;
                    }
                    idx
                });
            grant_found[i] = Some(idx);
        }
        let grant_holder: Vec<IdentityIdx> = grant_found.into_iter().flatten().collect();
        drop(grant_keys);

        // A use of a known credential goes to its holder; the others join by identity, as above.
        let usage_keys: Vec<Option<String>> = records
            .usages
            .par_iter()
            .zip(usage_credential.par_iter())
            .map(|(usage, cred)| cred.is_none().then(|| normalize(&usage.identity)))
            .collect();
        let mut usage_found: Vec<Option<IdentityIdx>> = usage_keys
            .par_iter()
            .zip(usage_credential.par_iter())
            .map(|(key, cred)| match (cred, key) {
                (Some(ci), _) => Some(credential_holder[*ci]),
                (None, Some(key)) => builder.index.get(key).copied(),
                (None, None) => None,
            })
            .collect();
        for (i, usage) in records.usages.iter().enumerate() {
            if usage_found[i].is_some() {
                continue;
            }
            let key = usage_keys[i].as_deref().unwrap_or_default();
            let idx = builder.index.get(key).copied().unwrap_or_else(|| {
                builder.unregistered(
                    &usage.identity,
                    IdentityKind::Unknown,
                    &usage.system,
                    &usage.evidence,
                )
            });
            usage_found[i] = Some(idx);
        }
        let usage_identity: Vec<IdentityIdx> = usage_found.into_iter().flatten().collect();
        drop(usage_keys);

        let mut identities = builder.identities;
        for identity in &mut identities {
            if !identity.accounts.is_empty() {
                identity.state = aggregate_state(
                    identity
                        .accounts
                        .iter()
                        .map(|&a| records.identities[a].state),
                );
            }
            if !identity.registered
                && matches!(
                    identity.state,
                    AccountState::Disabled | AccountState::Deleted
                )
            {
                identity.lifecycle = Lifecycle::Retired;
                identity.retired_by = Some(RetiredBy::HomeSystem);
            }
        }

        for identity in &mut identities {
            identity.present |= !identity.accounts.is_empty();
        }
        for &holder in credential_holder.iter().chain(&grant_holder) {
            identities[holder].present = true;
        }
        // The holder's state in the credential's own system; when several accounts there disagree
        // (an Entra application and its service principal), the most restrictive one counts. Taken
        // from one map of (identity, system) built over the accounts once: searching the holder's
        // accounts for each credential cost credentials × accounts for an identity with accounts in
        // many systems.
        let restrictiveness = |state: AccountState| match state {
            AccountState::Deleted => 0,
            AccountState::Disabled => 1,
            AccountState::Enabled => 2,
            AccountState::Unknown => 3,
        };
        let mut state_in_system: IdMap<(IdentityIdx, &SystemRef), AccountState> = IdMap::default();
        for (idx, identity) in identities.iter().enumerate() {
            for &a in &identity.accounts {
                let account = &records.identities[a];
                state_in_system
                    .entry((idx, &account.system))
                    .and_modify(|state| {
                        if restrictiveness(account.state) < restrictiveness(*state) {
                            *state = account.state;
                        }
                    })
                    .or_insert(account.state);
            }
        }
        let credential_holder_state = records
            .credentials
            .iter()
            .zip(&credential_holder)
            .map(|(credential, &holder)| {
                state_in_system
                    .get(&(holder, &credential.system))
                    .copied()
                    .unwrap_or(AccountState::Unknown)
            })
            .collect();
        drop(state_in_system);

        let newer_active_sibling = newer_active_siblings(&records, &credential_holder);
        let owners = owners_of(&registered_owners, &identities);
        let fingerprint_keys: Vec<Vec<String>> = records
            .credentials
            .par_iter()
            .map(|c| c.fingerprints.iter().map(|f| normalize(f)).collect())
            .collect();
        let mut credential_index =
            IdMap::with_capacity_and_hasher(records.credentials.len(), Default::default());
        for (i, (id_key, fingerprints)) in credential_id_keys
            .into_iter()
            .zip(fingerprint_keys)
            .enumerate()
        {
            credential_index.entry(id_key).or_insert(i);
            for key in fingerprints {
                credential_index.entry(key).or_insert(i);
            }
        }

        let (provision_identity, provision_credential) = join_provisions(
            &records,
            &credential_holder,
            &builder.index,
            &credential_index,
        );

        Inventory {
            alias_index: builder.index,
            credential_index,
            provision_identity,
            provision_credential,
            records,
            identities,
            owners,
            credential_holder,
            credential_holder_state,
            newer_active_sibling,
            grant_holder,
            usage_identity,
            usage_credential,
            ..Inventory::default()
        }
    }
}

/// Joins what code provisions to the inventory: the credential it names (by ID or fingerprint)
/// and its holder first, else the holder's identifiers. A provision never creates an identity:
/// the state says what the code wants, not what exists.
fn join_provisions(
    records: &Records,
    credential_holder: &[IdentityIdx],
    alias_index: &AliasIndex,
    credential_index: &IdMap<String, usize>,
) -> (Vec<Option<IdentityIdx>>, Vec<Option<usize>>) {
    records
        .provisions
        .iter()
        .map(|provision| {
            let credential = provision
                .credential
                .as_deref()
                .and_then(|id| credential_index.get(&normalize(id)).copied());
            let identity = match credential {
                Some(c) => Some(credential_holder[c]),
                None => std::iter::once(&provision.holder)
                    .chain(&provision.holder_aliases)
                    .find_map(|id| alias_index.get(&normalize(id)).copied()),
            };
            (identity, credential)
        })
        .unzip()
}

/// Joins secrets and references to what they carry: a credential (by ID or fingerprint) and its
/// holder first, else an identity (by alias).
/// A secret found in an agent's tool configuration may carry the name its server is
/// configured under (`agent:NAME`), and a reference the register name of a retired agent: both
/// are joined to the registered agent of that name, after credentials and aliases (register
/// names are not aliases).
pub fn correlate_exposures(inventory: &mut Inventory, exposures: Vec<ExposureRecord>) {
    use super::alias::AGENT_NAME_PREFIX;
    // A reference found by a retired agent's register name carries that name as it is.
    let by_name = |e: &ExposureRecord| e.kind == crate::inventory::ExposureKind::Reference;
    let names_agents = exposures
        .iter()
        .any(|e| by_name(e) || e.carries.iter().any(|c| c.starts_with(AGENT_NAME_PREFIX)));
    let agents: IdMap<String, IdentityIdx> = if names_agents {
        inventory
            .identities
            .iter()
            .enumerate()
            .filter(|(_, i)| i.registered && i.kind == crate::inventory::IdentityKind::Agent)
            .map(|(idx, i)| (normalize(&i.id), idx))
            .collect()
    } else {
        IdMap::default()
    };
    for exposure in exposures {
        let keys: Vec<String> = exposure.carries.iter().map(|c| normalize(c)).collect();
        let credential = keys
            .iter()
            .find_map(|k| inventory.credential_index.get(k).copied());
        let identity = match credential {
            Some(c) => Some(inventory.credential_holder[c]),
            None => keys
                .iter()
                .find_map(|k| inventory.alias_index.get(k).copied())
                .or_else(|| {
                    keys.iter().find_map(|k| {
                        let name = k
                            .strip_prefix(AGENT_NAME_PREFIX)
                            .or_else(|| by_name(&exposure).then_some(k.as_str()))?;
                        agents.get(&normalize(name)).copied()
                    })
                }),
        };
        inventory.exposure_credential.push(credential);
        inventory.exposure_identity.push(identity);
        inventory.exposures.push(exposure);
    }
}

fn aggregate_state(states: impl Iterator<Item = AccountState>) -> AccountState {
    let states: BTreeSet<AccountState> = states.collect();
    if states.contains(&AccountState::Enabled) {
        AccountState::Enabled
    } else if states.contains(&AccountState::Unknown) || states.is_empty() {
        AccountState::Unknown
    } else if states.iter().all(|s| *s == AccountState::Deleted) {
        AccountState::Deleted
    } else {
        AccountState::Disabled
    }
}

fn newer_active_siblings(records: &Records, holders: &[IdentityIdx]) -> Vec<bool> {
    let mut groups: IdMap<(IdentityIdx, &SystemRef, CredentialKind), Vec<usize>> = IdMap::default();
    for (i, c) in records.credentials.iter().enumerate() {
        if c.status == CredentialStatus::Active && is_rotatable_key(c.kind) {
            groups
                .entry((holders[i], &c.system, c.kind))
                .or_default()
                .push(i);
        }
    }
    let mut result = vec![false; records.credentials.len()];
    for members in groups.values().filter(|m| m.len() > 1) {
        // The newest key is the one rotation meant to keep; every older one is left over. Ties
        // and unknown dates fall back to the ID so the choice is deterministic.
        let newest = members
            .iter()
            .copied()
            .max_by(|&a, &b| {
                let (ca, cb) = (&records.credentials[a], &records.credentials[b]);
                ca.created.cmp(&cb.created).then_with(|| ca.id.cmp(&cb.id))
            })
            .unwrap_or(members[0]);
        for &m in members {
            result[m] = m != newest;
        }
    }
    result
}

fn owners_of(
    registered: &[crate::inventory::RegisteredOwner],
    identities: &[Identity],
) -> BTreeMap<String, Owner> {
    let mut owners: BTreeMap<String, Owner> = BTreeMap::new();
    for entry in registered {
        owners.insert(
            normalize(&entry.id),
            Owner {
                id: entry.id.clone(),
                kind: entry.kind,
                status: entry.status,
                departed_at: entry.departed_at,
                departs_at: entry.departs_at,
            },
        );
    }
    for identity in identities {
        if let Some(owner) = &identity.owner {
            owners.entry(normalize(owner)).or_insert_with(|| Owner {
                id: owner.clone(),
                kind: OwnerKind::Person,
                status: OwnerStatus::Unknown,
                departed_at: None,
                departs_at: None,
            });
        }
    }
    owners
}

impl Inventory {
    /// The owner record of an identity, if it names one.
    pub fn owner_of(&self, identity: &Identity) -> Option<&Owner> {
        identity
            .owner
            .as_ref()
            .and_then(|o| self.owners.get(&normalize(o)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::model::{CredentialRecord, GrantRecord, IdentityRecord, UsageRecord};

    fn account(system: &SystemRef, native_id: &str, state: AccountState) -> IdentityRecord {
        IdentityRecord::new(
            system.clone(),
            native_id,
            IdentityKind::Service,
            state,
            Evidence::new("accounts.json", "account"),
        )
    }

    fn key(system: &SystemRef, id: &str, holder: &str) -> CredentialRecord {
        CredentialRecord::new(
            system.clone(),
            id,
            CredentialKind::ClientSecret,
            holder,
            CredentialStatus::Active,
            Evidence::new("keys.json", "key"),
        )
    }

    /// The lookups run in parallel and only the misses in order: the first record naming an
    /// unknown holder creates its identity, and every later credential, grant and use naming
    /// it (whatever the spelling the alias rules equate) joins that one, as one ordered pass
    /// would; a known holder is never given a second identity.
    #[test]
    fn misses_create_one_identity_each_and_later_records_join_it() {
        let aws = SystemRef::new(SourceFamily::Aws, "111122223333");
        let gcp = SystemRef::new(SourceFamily::Gcp, "p");
        let evidence = Evidence::new("x.json", "x");
        let grant = |holder: &str| GrantRecord {
            system: gcp.clone(),
            holder: holder.into(),
            holder_kind: IdentityKind::Service,
            privilege: "role:roles/owner".into(),
            dangling: false,
            evidence: evidence.clone(),
        };
        let usage = |identity: &str, credential: Option<&str>| UsageRecord {
            system: aws.clone(),
            identity: identity.into(),
            credential: credential.map(str::to_string),
            at: "2026-01-01T00:00:00Z".parse().unwrap(),
            evidence: evidence.clone(),
        };
        let records = Records {
            identities: vec![account(&aws, "known", AccountState::Enabled)],
            credentials: vec![
                key(&aws, "k1", "Ghost@Example.com"),
                key(&aws, "k2", "known"),
                key(&aws, "k3", "ghost@example.com"),
                // Its ID names the holder the first miss creates: the ID wins, as it would
                // in one ordered pass, though the holder is known from the start.
                key(&aws, "ghost@example.com", "known"),
            ],
            grants: vec![grant("GHOST@example.com"), grant("phantom"), grant("known")],
            usages: vec![
                usage("phantom", None),
                usage("nobody-else", Some("k3")),
                usage("spectre", None),
            ],
            provisions: Vec::new(),
        };
        let inventory = correlate(Register::default(), records);
        let ids: Vec<&str> = inventory.identities.iter().map(|i| i.id.as_str()).collect();
        // In record order: the account, then each first miss.
        assert_eq!(ids, ["known", "Ghost@Example.com", "phantom", "spectre"]);
        assert_eq!(inventory.credential_holder, [1, 0, 1, 1]);
        assert_eq!(inventory.grant_holder, [1, 2, 0]);
        assert_eq!(inventory.usage_identity, [2, 1, 3]);
        // Both spellings of the holder are kept as aliases of the one identity, and so is the
        // holder the fourth credential names.
        assert_eq!(
            inventory.identities[1].aliases,
            ["Ghost@Example.com", "ghost@example.com", "known"]
        );
    }

    /// The holder's state in a credential's system: the most restrictive of its accounts there
    /// (an Entra application enabled, its service principal disabled), unknown where it has
    /// none; taken from one map, however many systems the holder has accounts in.
    #[test]
    fn holder_state_is_the_most_restrictive_account_in_the_credentials_system() {
        let tenant = SystemRef::new(SourceFamily::Azure, "entra");
        let other = SystemRef::new(SourceFamily::Aws, "111122223333");
        let elsewhere = SystemRef::new(SourceFamily::Gcp, "p");
        let mut role = account(&other, "app-role", AccountState::Unknown);
        role.aliases.push("app".into());
        let mut identities = vec![account(&tenant, "app", AccountState::Enabled), role];
        // The same identity (joined by alias) through its service principal, disabled.
        let mut principal = account(&tenant, "sp", AccountState::Disabled);
        principal.aliases.push("app".into());
        identities.push(principal);
        let records = Records {
            identities,
            credentials: vec![
                key(&tenant, "k1", "app"),
                key(&other, "k2", "app"),
                key(&elsewhere, "k3", "app"),
            ],
            ..Records::default()
        };
        let inventory = correlate(Register::default(), records);
        assert_eq!(inventory.identities.len(), 1, "{:?}", inventory.identities);
        assert_eq!(inventory.identities[0].accounts.len(), 3);
        assert_eq!(
            inventory.credential_holder_state,
            vec![
                AccountState::Disabled,
                AccountState::Unknown,
                AccountState::Unknown
            ]
        );
    }

    /// Issue 19: a shard keeps the credentials of the identities it owns, joined as in a single
    /// run, whichever identifier they name their holder by (an alias of an account, a holder
    /// no account has), and every shard's identities come out the same; each credential is kept
    /// by exactly one shard, and a credential a secret names by every shard.
    #[test]
    fn shards_keep_the_credentials_of_their_identities_joined_as_in_one_run() {
        let tenant = SystemRef::new(SourceFamily::Azure, "entra");
        let records = || {
            let mut principal = account(&tenant, "sp-1", AccountState::Enabled);
            principal.aliases.push("app-1".into());
            Records {
                identities: vec![principal, account(&tenant, "sp-2", AccountState::Disabled)],
                credentials: vec![
                    key(&tenant, "k1", "app-1"),
                    key(&tenant, "k2", "sp-2"),
                    key(&tenant, "k3", "nobody-knows"),
                    key(&tenant, "k4", " nobody-knows "),
                    key(&tenant, "k5", "sp-1"),
                ],
                ..Records::default()
            }
        };
        let whole = correlate(Register::default(), records());
        let holder_of = |inventory: &Inventory, id: &str| {
            let c = inventory
                .records
                .credentials
                .iter()
                .position(|c| c.id == id)?;
            Some(
                inventory.identities[inventory.credential_holder[c]]
                    .id
                    .clone(),
            )
        };
        let mut kept_by = std::collections::BTreeMap::<String, usize>::new();
        for index in 1..=3u32 {
            let shard = crate::shard::Shard { index, count: 3 };
            let owns = |key: &str| shard.owns(key);
            let share = Share {
                owns: &owns,
                carried: IdSet::default(),
            };
            let part = correlate_share(Register::default(), records(), Some(&share));
            let ids = |i: &Inventory| {
                i.identities
                    .iter()
                    .take(2)
                    .map(|i| i.id.clone())
                    .collect::<Vec<_>>()
            };
            assert_eq!(ids(&part), ids(&whole));
            for credential in &part.records.credentials {
                *kept_by.entry(credential.id.clone()).or_default() += 1;
                assert_eq!(
                    holder_of(&part, &credential.id),
                    holder_of(&whole, &credential.id),
                    "{}",
                    credential.id
                );
                let holder = holder_of(&part, &credential.id).unwrap_or_default();
                assert!(shard.owns(&partition_key(&holder)), "{}", credential.id);
            }
            // k1 and k5 are one identity's: on one shard together.
            let has = |id: &str| part.records.credentials.iter().any(|c| c.id == id);
            assert_eq!(has("k1"), has("k5"));
            assert_eq!(
                has("k3"),
                has("k4"),
                "one holder, spelt with and without spaces"
            );
        }
        assert_eq!(kept_by.len(), 5, "{kept_by:?}");
        assert!(kept_by.values().all(|&n| n == 1), "{kept_by:?}");

        // A credential a secret names is kept by every shard.
        for index in 1..=3u32 {
            let shard = crate::shard::Shard { index, count: 3 };
            let owns = |key: &str| shard.owns(key);
            let share = Share {
                owns: &owns,
                carried: [normalize("k2")].into_iter().collect(),
            };
            let part = correlate_share(Register::default(), records(), Some(&share));
            assert_eq!(holder_of(&part, "k2").as_deref(), Some("sp-2"));
        }
    }
}
