//! When two exports disagree about the same credential or account (a credential report says a
//! key is active, a `list-access-keys` page says inactive), the verdict must not depend on which
//! file was read first, and so on file names or the order of paths on the command line. The
//! rule, for every family:
//!
//! 1. when both observations carry the time their export was made, the later export wins;
//! 2. otherwise the more conservative reading wins: a credential that can still authenticate
//!    (active beats inactive, inactive beats expired or revoked), an account that is still
//!    enabled;
//! 3. a recorded use is a fact whichever export holds it: the later last use wins, always.
//!
//! A disagreement about the state is reported as a warning that names both files. Families call
//! these functions where they meet a credential or account they already hold; files also reach
//! the families in an order that follows their content, not their names (see
//! `sources::assemble`), so that even the evidence chosen for two equal observations does not
//! depend on names.

use jiff::Timestamp;

use crate::inventory::{
    AccountState, CredentialRecord, CredentialStatus, Evidence, IdentityRecord, LastUse,
};

/// How much access a credential status leaves: the higher, the more conservative to believe.
pub fn credential_rank(status: CredentialStatus) -> u8 {
    match status {
        CredentialStatus::Active => 3,
        CredentialStatus::Inactive => 2,
        CredentialStatus::Expired => 1,
        CredentialStatus::Revoked => 0,
    }
}

/// How much access an account state leaves.
pub fn account_rank(state: AccountState) -> u8 {
    match state {
        AccountState::Enabled => 3,
        AccountState::Unknown => 2,
        AccountState::Disabled => 1,
        AccountState::Deleted => 0,
    }
}

/// One export's word on a state, and where it said it.
#[derive(Debug, Clone)]
pub struct Observation<S> {
    pub state: S,
    /// When the export was made, if it says.
    pub exported_at: Option<Timestamp>,
    pub evidence: Evidence,
}

/// Which observation decides, over the whole set (so that the order they were met in does not
/// matter): among the dated ones the latest; among the undated ones the most conservative; and
/// between those two, the more conservative (a dated export does not outrank an undated one
/// that may be later). Ties go to the observation met first. Returns its index, and a warning
/// naming every file when they disagree.
pub fn decide<S: Copy + PartialEq>(
    observations: &[Observation<S>],
    rank: impl Fn(S) -> u8,
    name: impl Fn(S) -> &'static str,
    subject: &str,
) -> (usize, Option<String>) {
    // The best of the dated (or undated) observations: latest, then most conservative; the
    // first met on a tie.
    let best = |dated: bool| -> Option<(usize, &Observation<S>)> {
        let mut best: Option<(usize, &Observation<S>)> = None;
        for (i, o) in observations.iter().enumerate() {
            if o.exported_at.is_some() != dated {
                continue;
            }
            let better = best.is_none_or(|(_, b)| {
                (o.exported_at, rank(o.state)) > (b.exported_at, rank(b.state))
            });
            if better {
                best = Some((i, o));
            }
        }
        best
    };
    let dated = best(true);
    let undated = best(false);
    let (winner, why) = match (dated, undated) {
        (Some((d, _)), None) => (d, "the latest export wins"),
        (None, Some((u, _))) => (
            u,
            "the more conservative reading wins when the exports do not say when they were made",
        ),
        (None, None) => (0, "nothing to decide"),
        (Some((d, dated)), Some((u, undated))) => {
            if rank(undated.state) > rank(dated.state) {
                (u, "the more conservative reading wins when not every export says when it was made")
            } else {
                (d, "the more conservative reading wins when not every export says when it was made")
            }
        }
    };
    let disagree = observations
        .iter()
        .any(|o| o.state != observations[winner].state);
    let warning = disagree.then(|| {
        let said: Vec<String> = observations
            .iter()
            .map(|o| format!("{} in {}", name(o.state), o.evidence.path))
            .collect();
        format!(
            "{subject} is {}: read as {} ({why})",
            said.join(", "),
            name(observations[winner].state)
        )
    });
    (winner, warning)
}

/// The later of two last uses: a date beats "never used", which beats "unknown".
pub fn later_use(a: LastUse, b: LastUse) -> LastUse {
    match (a, b) {
        (LastUse::At(x), LastUse::At(y)) => LastUse::At(x.max(y)),
        (LastUse::At(x), _) | (_, LastUse::At(x)) => LastUse::At(x),
        (LastUse::Never, _) | (_, LastUse::Never) => LastUse::Never,
        _ => LastUse::Unknown,
    }
}

/// Merges a second observation of the same credential, from an export that does not say when
/// it was made, into `kept` (read the same way): the more conservative status decides, the
/// later use and the earlier creation are kept. Returns the warning to show when they disagree.
/// Families whose exports carry their time collect [`Observation`]s and [`decide`] instead.
pub fn credential(kept: &mut CredentialRecord, incoming: CredentialRecord) -> Option<String> {
    let observations = [
        Observation {
            state: kept.status,
            exported_at: None,
            evidence: kept.evidence.clone(),
        },
        Observation {
            state: incoming.status,
            exported_at: None,
            evidence: incoming.evidence.clone(),
        },
    ];
    let subject = format!("{} {}", kept.kind.as_str(), kept.id);
    let (winner, warning) = decide(&observations, credential_rank, |s| s.as_str(), &subject);
    let last_used = later_use(kept.last_used, incoming.last_used);
    let created = match (kept.created, incoming.created) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    };
    let mut fingerprints = std::mem::take(&mut kept.fingerprints);
    for fingerprint in &incoming.fingerprints {
        if !fingerprints.contains(fingerprint) {
            fingerprints.push(fingerprint.clone());
        }
    }
    // Where one observation says how the home system addresses it, that is kept.
    let locator = kept.locator.take();
    if winner == 1 {
        *kept = incoming;
    }
    kept.locator = kept.locator.take().or(locator);
    kept.last_used = last_used;
    kept.created = created;
    kept.fingerprints = fingerprints;
    warning
}

/// [`credential`], with the warning added to `warnings` under both files' paths (the families'
/// `(path, message)` list).
pub fn credential_into(
    kept: &mut CredentialRecord,
    incoming: CredentialRecord,
    warnings: &mut Vec<(String, String)>,
) {
    let paths = [
        kept.evidence.path.to_string(),
        incoming.evidence.path.to_string(),
    ];
    if let Some(warning) = credential(kept, incoming) {
        warn_both(paths, warning, warnings);
    }
}

/// [`account`], with the warning added to `warnings` under both files' paths.
pub fn account_into(
    kept: &mut IdentityRecord,
    incoming: IdentityRecord,
    warnings: &mut Vec<(String, String)>,
) {
    let paths = [
        kept.evidence.path.to_string(),
        incoming.evidence.path.to_string(),
    ];
    if let Some(warning) = account(kept, incoming) {
        warn_both(paths, warning, warnings);
    }
}

fn warn_both(paths: [String; 2], warning: String, warnings: &mut Vec<(String, String)>) {
    let [first, second] = paths;
    if first != second {
        warnings.push((second, warning.clone()));
    }
    warnings.push((first, warning));
}

/// Merges a second observation of the same account, from an undated export, into `kept`:
/// aliases are joined, the more conservative state decides. Returns the warning to show when
/// they disagree.
pub fn account(kept: &mut IdentityRecord, incoming: IdentityRecord) -> Option<String> {
    for alias in &incoming.aliases {
        if !kept.aliases.contains(alias) {
            kept.aliases.push(alias.clone());
        }
    }
    let observations = [
        Observation {
            state: kept.state,
            exported_at: None,
            evidence: kept.evidence.clone(),
        },
        Observation {
            state: incoming.state,
            exported_at: None,
            evidence: incoming.evidence.clone(),
        },
    ];
    let subject = format!("account {}", kept.native_id);
    let (winner, warning) = decide(&observations, account_rank, |s| s.as_str(), &subject);
    if kept.locator.is_none() {
        kept.locator = incoming.locator;
    }
    if winner == 1 {
        kept.state = incoming.state;
        kept.evidence = incoming.evidence;
    }
    warning
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::inventory::{CredentialKind, Evidence, SystemRef};

    fn key(status: CredentialStatus, path: &str, last_used: LastUse) -> CredentialRecord {
        CredentialRecord::new(
            SystemRef::new(crate::inventory::SourceFamily::Aws, "1"),
            "AKIAEXAMPLE",
            CredentialKind::AccessKey,
            "arn:aws:iam::1:user/u",
            status,
            Evidence::new(path, "key"),
        )
        .last_used(last_used)
    }

    fn at(text: &str) -> Timestamp {
        text.parse().unwrap()
    }

    fn observation(
        status: CredentialStatus,
        exported_at: Option<&str>,
        path: &str,
    ) -> Observation<CredentialStatus> {
        Observation {
            state: status,
            exported_at: exported_at.map(at),
            evidence: Evidence::new(path, "key"),
        }
    }

    /// Every permutation of `items`.
    fn permutations<T: Clone>(items: &[T]) -> Vec<Vec<T>> {
        if items.len() <= 1 {
            return vec![items.to_vec()];
        }
        let mut all = Vec::new();
        for i in 0..items.len() {
            let mut rest = items.to_vec();
            let first = rest.remove(i);
            for mut tail in permutations(&rest) {
                tail.insert(0, first.clone());
                all.push(tail);
            }
        }
        all
    }

    #[test]
    fn the_order_of_the_observations_never_matters() {
        use CredentialStatus::{Active, Inactive, Revoked};
        let sets = [
            vec![
                observation(Inactive, None, "a"),
                observation(Active, Some("2026-04-01T00:00:00Z"), "b"),
                observation(Inactive, Some("2026-05-01T00:00:00Z"), "c"),
            ],
            vec![
                observation(Active, None, "a"),
                observation(Inactive, Some("2026-05-01T00:00:00Z"), "b"),
                observation(Active, Some("2026-04-01T00:00:00Z"), "c"),
            ],
            vec![
                observation(Revoked, Some("2026-05-01T00:00:00Z"), "a"),
                observation(Inactive, Some("2026-05-01T00:00:00Z"), "b"),
                observation(Revoked, None, "c"),
            ],
        ];
        for set in sets {
            let decided: std::collections::BTreeSet<&str> = permutations(&set)
                .iter()
                .map(|order| {
                    let (winner, _) = decide(order, credential_rank, |s| s.as_str(), "key");
                    order[winner].state.as_str()
                })
                .collect();
            assert_eq!(decided.len(), 1, "{set:?}: {decided:?}");
        }
    }

    #[test]
    fn the_latest_export_wins_else_active_beats_inactive() {
        use CredentialStatus::{Active, Inactive};
        let dated = [
            observation(Active, Some("2026-04-01T00:00:00Z"), "report.json"),
            observation(Inactive, Some("2026-05-01T00:00:00Z"), "keys.json"),
        ];
        let (winner, warning) = decide(&dated, credential_rank, |s| s.as_str(), "access key K");
        assert_eq!(dated[winner].state, Inactive);
        let warning = warning.unwrap();
        assert!(
            warning.contains("report.json") && warning.contains("keys.json"),
            "{warning}"
        );
        assert!(warning.contains("the latest export wins"), "{warning}");

        let mut kept = key(
            Inactive,
            "zz-inactive.json",
            LastUse::At(at("2026-01-01T00:00:00Z")),
        );
        let warning = credential(&mut kept, key(Active, "00-active.json", LastUse::Never));
        assert_eq!(kept.status, Active);
        assert_eq!(&*kept.evidence.path, "00-active.json");
        assert_eq!(kept.last_used, LastUse::At(at("2026-01-01T00:00:00Z")));
        assert!(warning.unwrap().contains("read as active"));
    }
}
