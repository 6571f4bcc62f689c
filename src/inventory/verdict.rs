//! The platforms' own verdicts on use (IAM Access Analyzer, GCP Recommender, GCP Policy
//! Analyzer), joined once the inventory is correlated. Their dated uses are `UsageRecord`s the
//! families emitted beside them, counted like any other use (the later use wins: rule 3 of
//! `sources::reconcile`). What a date cannot carry is done here:
//!
//! - a platform that watched a credential and recorded no use makes its unknown last use "never
//!   used", but only where it watched the credential's whole life (since its tracking began, or
//!   from a period start before the credential was created): a date is never invented;
//! - the evidence of each credential and use a verdict is about names the platform: what it
//!   dated ("IAM Access Analyzer: last accessed 2026-03-02"), and, where it calls something
//!   unused that another export shows used later, both ("GCP Recommender reports … unused …,
//!   but vault/audit.log shows use on …").
//!
//! Verdicts create no identity and no credential, and one the inventory cannot place changes
//! nothing. Linear in the verdicts, credentials and uses.

use std::collections::{BTreeMap, BTreeSet};

use jiff::{SignedDuration, Timestamp};

use super::alias::normalize;
use super::model::{LastUse, SourceFamily, VerdictRecord, VerdictSubject};
use super::{IdMap, IdentityIdx, Inventory};
use crate::time::format_day as date;

/// Uses this close to a platform's date are the same observation: GCP dates a use by its day
/// (at 07:00 UTC), AWS records last access within hours.
const SAME_OBSERVATION: SignedDuration = SignedDuration::from_hours(24);

/// Applies the verdicts to the correlated inventory: "never used" where a platform watched a
/// credential's whole life and saw no use, and a note in the evidence of every credential and
/// use a verdict is about.
pub fn apply_verdicts(inventory: &mut Inventory, mut verdicts: Vec<VerdictRecord>) {
    if verdicts.is_empty() {
        return;
    }
    // Notes follow the verdicts' files and lines, whatever order the families met them in.
    verdicts.sort_by(|a, b| {
        (&a.evidence.path, a.evidence.line, &a.evidence.detail).cmp(&(
            &b.evidence.path,
            b.evidence.line,
            &b.evidence.detail,
        ))
    });
    let joined = Joined::of(inventory, &verdicts);
    apply_never(inventory, &verdicts, &joined);
    annotate_credentials(inventory, &verdicts, &joined);
    annotate_usages(inventory, &verdicts, &joined);
}

/// What each verdict is about in the inventory.
struct Joined {
    /// Credential → the verdicts about it, in verdict order.
    by_credential: BTreeMap<usize, Vec<usize>>,
    /// Identity → the verdicts that call the identity itself unused.
    unused_identity: IdMap<IdentityIdx, Vec<usize>>,
}

impl Joined {
    fn of(inventory: &Inventory, verdicts: &[VerdictRecord]) -> Joined {
        // Credentials are joined like uses are: by family and native ID.
        let mut wanted: IdMap<(SourceFamily, &str), Vec<usize>> = IdMap::default();
        for (v, verdict) in verdicts.iter().enumerate() {
            if let VerdictSubject::Credential(id) = &verdict.subject {
                wanted
                    .entry((verdict.system.family, id.as_str()))
                    .or_default()
                    .push(v);
            }
        }
        // Should two records carry one ID, the last is it, as for uses (`correlate`).
        let mut credential_of: Vec<Option<usize>> = vec![None; verdicts.len()];
        if !wanted.is_empty() {
            for (c, credential) in inventory.records.credentials.iter().enumerate() {
                let key = (credential.system.family, credential.id.as_str());
                for &v in wanted.get(&key).into_iter().flatten() {
                    credential_of[v] = Some(c);
                }
            }
        }
        let mut by_credential: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
        for (v, c) in credential_of.into_iter().enumerate() {
            if let Some(c) = c {
                by_credential.entry(c).or_default().push(v);
            }
        }
        let mut unused_identity: IdMap<IdentityIdx, Vec<usize>> = IdMap::default();
        for (v, verdict) in verdicts.iter().enumerate() {
            if !verdict.unused || verdict.subject != VerdictSubject::Identity {
                continue;
            }
            if let Some(&i) = inventory.alias_index.get(&normalize(&verdict.identity)) {
                unused_identity.entry(i).or_default().push(v);
            }
        }
        Joined {
            by_credential,
            unused_identity,
        }
    }
}

/// A platform that tracked a credential's use and recorded none: "never used", where it watched
/// the credential's whole life.
fn apply_never(inventory: &mut Inventory, verdicts: &[VerdictRecord], joined: &Joined) {
    for (&c, about) in &joined.by_credential {
        let credential = &mut inventory.records.credentials[c];
        for &v in about {
            if verdicts[v].last_used == LastUse::Never
                && credential.last_used == LastUse::Unknown
                && watched_whole_life(&verdicts[v], credential.created)
            {
                credential.last_used = LastUse::Never;
            }
        }
    }
}

/// Whether the platform watched since before the credential existed: since its tracking began
/// (no period given), or from a period start no later than the credential's creation.
fn watched_whole_life(verdict: &VerdictRecord, created: Option<Timestamp>) -> bool {
    match verdict.watched_since {
        None => true,
        Some(since) => created.is_some_and(|created| created >= since),
    }
}

fn annotate_credentials(inventory: &mut Inventory, verdicts: &[VerdictRecord], joined: &Joined) {
    // The credentials with something to say: those verdicts are about, and those of identities
    // a platform calls unused.
    let mut targets: BTreeSet<usize> = joined.by_credential.keys().copied().collect();
    if !joined.unused_identity.is_empty() {
        for (c, holder) in inventory.credential_holder.iter().enumerate() {
            if joined.unused_identity.contains_key(holder) {
                targets.insert(c);
            }
        }
    }
    if targets.is_empty() {
        return;
    }
    // Where each target's latest use was read: the first use record that set it, else the
    // export that lists the credential.
    let mut use_source: IdMap<usize, usize> = IdMap::default();
    let records = &inventory.records;
    for (u, usage) in records.usages.iter().enumerate() {
        let Some(c) = inventory.usage_credential[u] else {
            continue;
        };
        if targets.contains(&c)
            && records.credentials[c].last_used == LastUse::At(usage.at)
            && !use_source.contains_key(&c)
        {
            use_source.insert(c, u);
        }
    }
    for &c in &targets {
        let credential = &inventory.records.credentials[c];
        let source = use_source
            .get(&c)
            .map_or(credential.evidence.path.as_ref(), |&u| {
                inventory.records.usages[u].evidence.path.as_ref()
            });
        let mut notes = Vec::new();
        for &v in joined.by_credential.get(&c).into_iter().flatten() {
            notes.push(credential_note(&verdicts[v], credential.last_used, source));
        }
        let holder = inventory.credential_holder[c];
        if let LastUse::At(used) = credential.last_used {
            for &v in joined.unused_identity.get(&holder).into_iter().flatten() {
                if disagrees(&verdicts[v], used) {
                    notes.push(identity_disagreement(&verdicts[v], source, used));
                }
            }
        }
        append_notes(&mut inventory.records.credentials[c].evidence.detail, notes);
    }
}

/// Uses not made through a known credential are judged on their own (DPV007): an identity the
/// platform calls unused but that another export shows used later says so there.
fn annotate_usages(inventory: &mut Inventory, verdicts: &[VerdictRecord], joined: &Joined) {
    if joined.unused_identity.is_empty() {
        return;
    }
    for u in 0..inventory.records.usages.len() {
        if inventory.usage_credential[u].is_some() {
            continue;
        }
        let Some(about) = joined.unused_identity.get(&inventory.usage_identity[u]) else {
            continue;
        };
        let usage = &inventory.records.usages[u];
        let notes: Vec<String> = about
            .iter()
            .filter(|&&v| disagrees(&verdicts[v], usage.at))
            .map(|&v| identity_disagreement(&verdicts[v], &usage.evidence.path, usage.at))
            .collect();
        append_notes(&mut inventory.records.usages[u].evidence.detail, notes);
    }
}

fn append_notes(detail: &mut String, mut notes: Vec<String>) {
    // Two exports of one finding say the same thing once.
    let mut seen = std::collections::HashSet::new();
    notes.retain(|note| seen.insert(note.clone()));
    for note in notes {
        detail.push_str("; ");
        detail.push_str(&note);
    }
}

/// Whether a use at `used` contradicts the platform's "unused": it is later than the last use
/// the platform recorded (beyond the platform's precision), or than the start of the period in
/// which it recorded none, or than its judgement when the export does not carry the detail.
fn disagrees(verdict: &VerdictRecord, used: Timestamp) -> bool {
    if !verdict.unused {
        return false;
    }
    let since = match verdict.last_used {
        LastUse::At(at) => at,
        LastUse::Never => match verdict.watched_since {
            Some(since) => since,
            // No use since the platform's tracking began: any use disagrees.
            None => return true,
        },
        LastUse::Unknown => match verdict.judged_at {
            Some(judged) => judged,
            None => return false,
        },
    };
    used.duration_since(since) > SAME_OBSERVATION
}

/// What the platform said about use, as evidence quotes it: `last accessed 2026-01-10, as of
/// 2026-04-01`, `no use recorded since 2025-09-01, as of 2026-04-01`, `as of 2026-04-01`.
fn said(verdict: &VerdictRecord) -> String {
    let mut parts = Vec::with_capacity(2);
    match verdict.last_used {
        LastUse::At(at) => parts.push(format!("{} {}", verdict.source.last_use_words(), date(at))),
        LastUse::Never => parts.push(match verdict.watched_since {
            Some(since) => format!("no use recorded since {}", date(since)),
            None => "no use recorded".to_string(),
        }),
        LastUse::Unknown => {}
    }
    if let Some(judged) = verdict.judged_at {
        parts.push(format!("as of {}", date(judged)));
    }
    parts.join(", ")
}

/// The note a verdict about one credential adds to the credential's evidence, given the
/// credential's last use once every export is counted and where that use was read.
fn credential_note(verdict: &VerdictRecord, last_used: LastUse, source: &str) -> String {
    let platform = verdict.source.name();
    let file = &verdict.evidence.path;
    if let LastUse::At(used) = last_used {
        let later = match verdict.last_used {
            LastUse::At(at) => used.duration_since(at) > SAME_OBSERVATION,
            _ => false,
        };
        if disagrees(verdict, used) {
            return format!(
                "{platform} reports it unused ({}; {file}), but {source} shows use on {}",
                said(verdict),
                date(used)
            );
        }
        if later {
            return format!(
                "{platform}: {} ({file}); {source} shows a later use on {}",
                said(verdict),
                date(used)
            );
        }
    }
    match verdict.last_used {
        LastUse::At(at) => format!(
            "{platform}: {} {} ({file})",
            verdict.source.last_use_words(),
            date(at)
        ),
        LastUse::Never if last_used == LastUse::Unknown => format!(
            "{platform}: {}; its use before that is unknown ({file})",
            said(verdict)
        ),
        LastUse::Never => format!("{platform}: {} ({file})", said(verdict)),
        LastUse::Unknown if verdict.unused => {
            let said = said(verdict);
            if said.is_empty() {
                format!("{platform} reports it unused ({file})")
            } else {
                format!("{platform} reports it unused, {said} ({file})")
            }
        }
        LastUse::Unknown => format!("{platform}: no last use given ({file})"),
    }
}

/// The note on a credential or use of an identity a platform calls unused, used later.
fn identity_disagreement(verdict: &VerdictRecord, source: &str, used: Timestamp) -> String {
    let said = said(verdict);
    let said = if said.is_empty() {
        verdict.evidence.path.to_string()
    } else {
        format!("{said}; {}", verdict.evidence.path)
    };
    format!(
        "{} reports {} unused ({said}), but {source} shows use on {}",
        verdict.source.name(),
        verdict.identity,
        date(used)
    )
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{
        correlate, AccountState, CredentialKind, CredentialRecord, CredentialStatus, Evidence,
        IdentityKind, IdentityRecord, Records, Register, SystemRef, UsageRecord, VerdictSource,
    };

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn aws() -> SystemRef {
        SystemRef::new(SourceFamily::Aws, "111122223333")
    }

    const USER: &str = "arn:aws:iam::111122223333:user/ci";
    const ROLE: &str = "arn:aws:iam::111122223333:role/deployer";
    const KEY: &str = "AKIAIOSFODNN7EXAMPLE";

    fn key(last_used: LastUse, created: &str) -> CredentialRecord {
        CredentialRecord::new(
            aws(),
            KEY,
            CredentialKind::AccessKey,
            USER,
            CredentialStatus::Active,
            Evidence::new("aws/keys.json", "access key of ci"),
        )
        .created(Some(at(created)))
        .last_used(last_used)
    }

    fn verdict(subject: VerdictSubject, identity: &str, last_used: LastUse) -> VerdictRecord {
        VerdictRecord::new(
            aws(),
            VerdictSource::AccessAnalyzer,
            identity,
            subject,
            Evidence::new("aws/analyzer.json", "finding"),
        )
        .unused(true)
        .last_used(last_used)
        .judged_at(Some(at("2026-04-01T00:00:00Z")))
    }

    fn inventory(records: Records, verdicts: Vec<VerdictRecord>) -> Inventory {
        let mut inventory = correlate(Register::default(), records);
        apply_verdicts(&mut inventory, verdicts);
        inventory
    }

    #[test]
    fn a_dated_verdict_is_named_as_the_origin_of_the_last_use() {
        let records = Records {
            credentials: vec![key(LastUse::Unknown, "2025-01-01T00:00:00Z")],
            usages: vec![UsageRecord::new(
                aws(),
                USER,
                at("2026-03-02T10:00:00Z"),
                Evidence::new(
                    "aws/analyzer.json",
                    "IAM Access Analyzer: last accessed 2026-03-02",
                ),
            )
            .credential(Some(KEY.into()))],
            ..Records::default()
        };
        let inventory = inventory(
            records,
            vec![verdict(
                VerdictSubject::Credential(KEY.into()),
                USER,
                LastUse::At(at("2026-03-02T10:00:00Z")),
            )],
        );
        let credential = &inventory.records.credentials[0];
        assert_eq!(
            credential.last_used,
            LastUse::At(at("2026-03-02T10:00:00Z"))
        );
        assert_eq!(
            credential.evidence.detail,
            "access key of ci; IAM Access Analyzer: last accessed 2026-03-02 (aws/analyzer.json)"
        );
    }

    #[test]
    fn unused_but_used_later_elsewhere_says_both_and_the_later_use_counts() {
        let records = Records {
            credentials: vec![key(
                LastUse::At(at("2026-05-20T00:00:00Z")),
                "2025-01-01T00:00:00Z",
            )],
            ..Records::default()
        };
        let inventory = inventory(
            records,
            vec![verdict(
                VerdictSubject::Credential(KEY.into()),
                USER,
                LastUse::At(at("2026-01-10T00:00:00Z")),
            )],
        );
        let credential = &inventory.records.credentials[0];
        assert_eq!(
            credential.last_used,
            LastUse::At(at("2026-05-20T00:00:00Z"))
        );
        assert!(credential.evidence.detail.ends_with(
            "; IAM Access Analyzer reports it unused (last accessed 2026-01-10, as of 2026-04-01; aws/analyzer.json), but aws/keys.json shows use on 2026-05-20"
        ), "{}", credential.evidence.detail);
    }

    #[test]
    fn no_recorded_use_is_never_used_only_where_the_whole_life_was_watched() {
        let since = at("2026-01-01T00:00:00Z");
        let watched = |created: &str| {
            let records = Records {
                credentials: vec![key(LastUse::Unknown, created)],
                ..Records::default()
            };
            let mut v = verdict(VerdictSubject::Credential(KEY.into()), USER, LastUse::Never);
            v.watched_since = Some(since);
            inventory(records, vec![v]).records.credentials[0].clone()
        };
        // Created inside the watched period: never used.
        let young = watched("2026-02-01T00:00:00Z");
        assert_eq!(young.last_used, LastUse::Never);
        assert!(young.evidence.detail.ends_with(
            "; IAM Access Analyzer: no use recorded since 2026-01-01, as of 2026-04-01 (aws/analyzer.json)"
        ), "{}", young.evidence.detail);
        // Created before it: its earlier use is unknown, and no date is invented.
        let old = watched("2025-06-01T00:00:00Z");
        assert_eq!(old.last_used, LastUse::Unknown);
        assert!(
            old.evidence
                .detail
                .contains("its use before that is unknown"),
            "{}",
            old.evidence.detail
        );
        // No period: since the platform's tracking began.
        let records = Records {
            credentials: vec![key(LastUse::Unknown, "2020-01-01T00:00:00Z")],
            ..Records::default()
        };
        let inventory = inventory(
            records,
            vec![verdict(
                VerdictSubject::Credential(KEY.into()),
                USER,
                LastUse::Never,
            )],
        );
        assert_eq!(inventory.records.credentials[0].last_used, LastUse::Never);
    }

    #[test]
    fn an_identity_called_unused_but_used_later_in_another_system_says_so() {
        let vault = SystemRef::new(SourceFamily::Vault, "vault");
        let records = Records {
            identities: vec![IdentityRecord::new(
                aws(),
                ROLE,
                IdentityKind::Service,
                AccountState::Enabled,
                Evidence::new("aws/roles.json", "IAM role deployer"),
            )
            .aliases(vec!["auth/approle/role/deployer".into()])],
            usages: vec![
                UsageRecord::new(
                    vault.clone(),
                    "auth/approle/role/deployer",
                    at("2026-06-01T12:00:00Z"),
                    Evidence::new("vault/audit.log", "last audit entry"),
                ),
                // Within a day of the platform's date: the same observation.
                UsageRecord::new(
                    aws(),
                    ROLE,
                    at("2026-01-10T20:00:00Z"),
                    Evidence::new("aws/role.json", "RoleLastUsed"),
                ),
            ],
            ..Records::default()
        };
        let inventory = inventory(
            records,
            vec![verdict(
                VerdictSubject::Identity,
                ROLE,
                LastUse::At(at("2026-01-10T00:00:00Z")),
            )],
        );
        assert_eq!(
            inventory.records.usages[0].evidence.detail,
            "last audit entry; IAM Access Analyzer reports arn:aws:iam::111122223333:role/deployer unused (last accessed 2026-01-10, as of 2026-04-01; aws/analyzer.json), but vault/audit.log shows use on 2026-06-01"
        );
        assert_eq!(inventory.records.usages[1].evidence.detail, "RoleLastUsed");
    }

    #[test]
    fn a_verdict_nothing_in_the_inventory_matches_changes_nothing() {
        let records = Records {
            credentials: vec![key(LastUse::Unknown, "2025-01-01T00:00:00Z")],
            ..Records::default()
        };
        let inventory = inventory(
            records,
            vec![
                verdict(
                    VerdictSubject::Credential("AKIAOTHEROTHEROTHER1".into()),
                    USER,
                    LastUse::Never,
                ),
                verdict(VerdictSubject::UnnamedCredential, USER, LastUse::Unknown),
            ],
        );
        let credential = &inventory.records.credentials[0];
        assert_eq!(credential.last_used, LastUse::Unknown);
        assert_eq!(credential.evidence.detail, "access key of ci");
        assert_eq!(inventory.identities.len(), 1);
    }
}
