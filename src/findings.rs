//! Findings: what the engine's Deny decisions mean, in the words of the rule catalog, with a
//! stable fingerprint, the identity and owner to route it to, and the evidence.

use rayon::prelude::*;
use std::collections::{BTreeMap, HashMap};
use std::path::PathBuf;
use std::sync::Arc;

use aho_corasick::AhoCorasick;
use serde::Serialize;
use sha2::{Digest, Sha256};

use crate::catalog::Catalog;
use crate::config::Config;
use crate::engine::{Evaluation, PolicyPack, Subject};
use crate::inventory::{Evidence, Expiry, Identity, Inventory, LastUse, OwnerStatus, SystemRef};
use crate::secrets::{Disclosure, WithheldReason};
use crate::severity::Severity;
use crate::time::{days_between, format_rfc3339};
use jiff::Timestamp;

/// One gap, as every output format shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct Finding {
    /// Stable fingerprint: rule code, source family and subject; never a line number.
    pub id: String,
    /// Shared by every finding of the rule.
    pub rule: Arc<str>,
    pub severity: Severity,
    /// Shared by every finding of the rule (a million findings hold one copy).
    pub title: Arc<str>,
    pub message: String,
    /// The register ID when known, else the native ID.
    pub identity: String,
    /// Shared by every finding of the identity's subject.
    pub identity_aliases: Arc<[String]>,
    pub owner: Option<String>,
    /// Native credential ID (never secret material), when the finding is about a credential.
    pub credential: Option<String>,
    /// Shared by every finding in the system.
    pub system: Arc<str>,
    pub controls: Arc<[String]>,
    pub evidence: Evidence,
    pub remediation: Arc<str>,
    /// For secrets and references found in repositories and files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secret: Option<Box<SecretEvidence>>,
    /// New, baselined or suppressed: only new findings count for the exit code.
    #[serde(default)]
    pub status: crate::triage::FindingStatus,
    /// What suppressed it (the suppression's reason and expiry, or an inline allow).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub suppressed_by: Option<String>,
}

/// The identity of a finding about a secret nobody in the inventory accounts for.
pub const UNATTRIBUTED: &str = "(unattributed)";

/// What a finding about a repository or file exposure shows of the secret: never the value.
/// A token shows its preview and SHA-256; a withheld value (password class, low entropy) shows
/// neither, only why, and its keyed digest when the organisation configured a key.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, serde::Deserialize)]
pub struct SecretEvidence {
    pub detector: String,
    /// First four characters of the secret and an ellipsis (the identifier itself, for
    /// references); absent when withheld.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub preview: Option<String>,
    /// SHA-256 of the secret, lower-case hex; absent when withheld.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sha256: Option<String>,
    /// Why nothing derived from the value is shown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub withheld: Option<WithheldReason>,
    /// `HMAC-SHA-256(key, SHA-256(value))` of a withheld value under the configured key.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hmac_sha256: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub first_commit: Option<String>,
    pub in_working_tree: bool,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub agent_credential: bool,
    /// Rules an inline `deprov:allow` names; triage honours them unless the config refuses.
    #[serde(skip)]
    pub allowed_rules: Vec<String>,
}

impl SecretEvidence {
    fn of(exposure: &crate::inventory::ExposureRecord) -> Self {
        let (preview, sha256, withheld, hmac_sha256) = match &exposure.disclosure {
            Disclosure::Preview(preview) => (
                Some(preview.clone()),
                Some(exposure.secret_sha256.clone()),
                None,
                None,
            ),
            Disclosure::Withheld(withheld) => (
                None,
                None,
                Some(withheld.reason),
                withheld.hmac_sha256.clone(),
            ),
        };
        SecretEvidence {
            detector: exposure.detector.clone(),
            preview,
            sha256,
            withheld,
            hmac_sha256,
            first_commit: exposure.first_commit.clone(),
            in_working_tree: exposure.in_working_tree,
            agent_credential: exposure.agent_credential,
            allowed_rules: exposure.allowed_rules.clone(),
        }
    }
}

/// Fingerprint of a finding's content: `rule + source family + subject`.
pub fn fingerprint(rule: &str, family: &str, subject: &str) -> String {
    let mut hasher = Sha256::new();
    hasher.update(rule.as_bytes());
    hasher.update([0]);
    hasher.update(family.as_bytes());
    hasher.update([0]);
    hasher.update(subject.as_bytes());
    let digest = hasher.finalize();
    format!("{rule}-{}", hex::encode(&digest[..8]))
}

/// Values a message template can name.
struct Facts {
    values: BTreeMap<&'static str, String>,
}

impl Facts {
    fn render(&self, template: &str) -> String {
        let mut out = String::with_capacity(template.len() + 32);
        let mut rest = template;
        while let Some(start) = rest.find('{') {
            out.push_str(&rest[..start]);
            let after = &rest[start + 1..];
            match after.find('}') {
                Some(end) => {
                    let key = &after[..end];
                    match self.values.get(key) {
                        Some(value) => out.push_str(value),
                        None => out.push_str("unknown"),
                    }
                    rest = &after[end + 1..];
                }
                None => {
                    out.push_str(&rest[start..]);
                    rest = "";
                }
            }
        }
        out.push_str(rest);
        out
    }
}

/// Builds the findings of an evaluation.
pub fn build(
    evaluation: &Evaluation,
    pack: &PolicyPack,
    catalog: &Catalog,
    config: &Config,
    inventory: &Inventory,
    now: Timestamp,
) -> Vec<Finding> {
    let texts: HashMap<&str, RuleTexts> = catalog
        .rules
        .values()
        .map(|rule| (rule.id.as_str(), RuleTexts::of(rule)))
        .collect();
    // The rules a decision fired: several policies (variants) of one rule are one finding at
    // the highest severity.
    let fired = |decision: &crate::engine::Decision| -> Vec<(&str, Severity)> {
        let mut by_rule: BTreeMap<&str, Severity> = BTreeMap::new();
        for key in &decision.violated {
            let Some(policy) = pack.rules.get(key) else {
                continue;
            };
            let Some(rule) = catalog.rule(&policy.rule) else {
                continue;
            };
            if !texts.contains_key(rule.id.as_str()) {
                continue;
            }
            let severity = policy.severity.unwrap_or(rule.severity);
            let entry = by_rule.entry(rule.id.as_str()).or_insert(severity);
            *entry = (*entry).max(severity);
        }
        by_rule.into_iter().collect()
    };
    // One copy of each identity's aliases, shared by all its findings.
    let aliases: Vec<std::sync::OnceLock<Arc<[String]>>> = (0..inventory.identities.len())
        .map(|_| Default::default())
        .collect();
    // One copy of each system's name, shared by its findings.
    let system_names: Vec<Arc<str>> = evaluation
        .shared
        .systems()
        .iter()
        .map(|s| s.to_string().into())
        .collect();
    let register_system = crate::engine::register_system();
    let register_name: Arc<str> = register_system.to_string().into();
    let finding = |decision: &crate::engine::Decision, code: &str, severity: Severity| {
        let resource = evaluation.shared.resource_of(inventory, decision.subject);
        let (system, system_name) = match evaluation.shared.systems().get(resource) {
            Some(system) => (system, &system_names[resource]),
            None => (&register_system, &register_name),
        };
        let (identity_idx, facts, credential, evidence, subject_key) =
            describe(inventory, decision.subject, system, now);
        let identity = identity_idx.map(|i| &inventory.identities[i]);
        let secret = match decision.subject {
            Subject::Exposure(e) => Some(Box::new(SecretEvidence::of(&inventory.exposures[e]))),
            _ => None,
        };
        let texts = &texts[code];
        Finding {
            id: fingerprint(code, system.family.as_str(), &subject_key),
            rule: Arc::clone(&texts.code),
            severity: config.severity_override(code).unwrap_or(severity),
            title: texts.title.clone(),
            message: facts.render(&texts.message),
            identity: identity.map_or_else(|| UNATTRIBUTED.to_string(), |i| i.id.clone()),
            identity_aliases: identity_idx.map_or_else(Default::default, |i| {
                Arc::clone(aliases[i].get_or_init(|| aliases_of(&inventory.identities[i]).into()))
            }),
            owner: identity.and_then(|i| i.owner.clone()),
            credential,
            secret,
            system: Arc::clone(system_name),
            controls: texts.controls.clone(),
            evidence,
            remediation: texts.remediation.clone(),
            status: Default::default(),
            suppressed_by: None,
        }
    };
    // Findings are written in place into one exact allocation: the n-th finding is found from
    // the number each decision fired (a flat parallel collect would hold every finding twice).
    let decisions = &evaluation.decisions;
    let fired_counts: Vec<usize> = decisions
        .par_iter()
        .with_min_len(256)
        .map(|d| fired(d).len())
        .collect();
    let mut starts = Vec::with_capacity(decisions.len() + 1);
    let mut total = 0;
    for count in fired_counts {
        starts.push(total);
        total += count;
    }
    starts.push(total);
    let mut findings: Vec<Finding> = (0..total)
        .into_par_iter()
        .with_min_len(256)
        .map(|n| {
            let d = starts.partition_point(|&start| start <= n) - 1;
            let decision = &decisions[d];
            let (code, severity) = fired(decision)[n - starts[d]];
            finding(decision, code, severity)
        })
        .collect();
    sort(&mut findings);
    findings
}

/// A rule's texts, allocated once per scan and shared by its findings.
struct RuleTexts {
    code: Arc<str>,
    title: Arc<str>,
    message: String,
    controls: Arc<[String]>,
    remediation: Arc<str>,
}

impl RuleTexts {
    fn of(rule: &crate::catalog::Rule) -> Self {
        RuleTexts {
            code: rule.id.as_str().into(),
            title: rule.title.as_str().into(),
            message: rule.message.clone(),
            controls: rule.controls.clone().into(),
            remediation: rule.remediation.as_str().into(),
        }
    }
}

/// Most severe first, then by rule, identity, system and credential; the fingerprint, then the
/// evidence and the message break ties. The order is total over what reports show, so an
/// unstable sort (which needs no buffer the size of the findings) is still deterministic.
pub fn sort(findings: &mut [Finding]) {
    findings.par_sort_unstable_by(|a, b| {
        b.severity
            .cmp(&a.severity)
            .then_with(|| a.rule.cmp(&b.rule))
            .then_with(|| a.identity.cmp(&b.identity))
            .then_with(|| a.system.cmp(&b.system))
            .then_with(|| a.credential.cmp(&b.credential))
            .then_with(|| a.id.cmp(&b.id))
            .then_with(|| a.evidence.cmp(&b.evidence))
            .then_with(|| a.message.cmp(&b.message))
    });
}

fn aliases_of(identity: &Identity) -> Vec<String> {
    identity
        .aliases
        .iter()
        .filter(|a| **a != identity.id)
        .cloned()
        .collect()
}

type Description = (Option<usize>, Facts, Option<String>, Evidence, String);

/// What a finding is about, as a stable text: the fingerprint of its findings is made from it,
/// and it assigns the subject to a shard. Never a line and never an index; for secrets, see
/// [`exposure_key`].
pub fn subject_key(inventory: &Inventory, subject: Subject) -> String {
    let records = &inventory.records;
    match subject {
        Subject::Credential(c) => {
            let cred = &records.credentials[c];
            format!("credential:{}:{}", cred.system, cred.id)
        }
        Subject::Grant(g) => {
            let grant = &records.grants[g];
            format!(
                "grant:{}:{}:{}",
                grant.system, grant.holder, grant.privilege
            )
        }
        Subject::Usage(u) => {
            let usage = &records.usages[u];
            let identity = &inventory.identities[inventory.usage_identity[u]];
            format!("use:{}:{}", usage.system, identity.id)
        }
        Subject::Identity(i) => format!("identity:{}", inventory.identities[i].id),
        Subject::Exposure(e) => exposure_key(&inventory.exposures[e]),
    }
}

/// A secret is its value's digest, so the same secret moved to another line or file is the same
/// finding: the plain SHA-256 for a token (which cannot be brute-forced), the keyed digest for a
/// withheld value when a key is configured. A withheld value without a key has no digest that
/// may be used (a fingerprint made from `sha256(password)`, however truncated, would let a
/// reader confirm guesses offline), so it is identified by where it was first found instead:
/// the system, the detector, the path, the name it is assigned to (numbered when a file repeats
/// it) and the first commit that holds it. The commit tells apart the passwords one setting
/// held over history; a value never committed (or in a plain file) has none. Two files holding
/// the same password are still one exposure: repositories and files deduplicate by the digest
/// in memory before this.
fn exposure_key(exposure: &crate::inventory::ExposureRecord) -> String {
    let (system, detector) = (&exposure.system, &exposure.detector);
    match &exposure.disclosure {
        Disclosure::Preview(_) => {
            format!("exposure:{system}:{detector}:{}", exposure.secret_sha256)
        }
        Disclosure::Withheld(crate::secrets::Withheld {
            hmac_sha256: Some(keyed),
            ..
        }) => format!("exposure:{system}:{detector}:hmac-sha256:{keyed}"),
        // NUL cannot occur in a path: the parts cannot run into one another.
        Disclosure::Withheld(withheld) => format!(
            "exposure-at:{system}:{detector}:{}\0{}\0{}",
            exposure.evidence.path,
            withheld.slot,
            exposure.first_commit.as_deref().unwrap_or("uncommitted")
        ),
    }
}

fn describe(
    inventory: &Inventory,
    subject: Subject,
    system: &SystemRef,
    now: Timestamp,
) -> Description {
    let records = &inventory.records;
    let mut values: BTreeMap<&'static str, String> = BTreeMap::new();
    let date = |ts: Timestamp| format_rfc3339(ts)[..10].to_string();
    values.insert("system", system.to_string());
    let (identity_idx, credential, evidence, subject_key) = match subject {
        Subject::Credential(c) => {
            let cred = &records.credentials[c];
            values.insert("credential", cred.id.clone());
            values.insert("credential_kind", cred.kind.as_str().replace('_', " "));
            if let Some(created) = cred.created {
                values.insert("created", date(created));
                values.insert("age_days", days_between(created, now).to_string());
            }
            match cred.last_used {
                LastUse::At(at) => {
                    values.insert("last_used", date(at));
                    values.insert("used_at", date(at));
                    values.insert("unused_days", days_between(at, now).to_string());
                }
                LastUse::Never => {
                    values.insert("last_used", "never".into());
                }
                LastUse::Unknown => {}
            }
            if let Some(rotated) = cred.last_rotated {
                values.insert("last_rotated", date(rotated));
                values.insert("rotated_days", days_between(rotated, now).to_string());
            }
            let lifetime = match (cred.expires, cred.created) {
                (Expiry::Never, _) => "never expires".to_string(),
                (Expiry::At(at), Some(created)) => {
                    format!(
                        "is valid for {} days, until {}",
                        days_between(created, at),
                        date(at)
                    )
                }
                (Expiry::At(at), None) => format!("expires on {}", date(at)),
                (Expiry::NotApplicable, _) => "has no expiry in its system".to_string(),
            };
            values.insert("lifetime", lifetime);
            let mut state = Vec::new();
            let status = crate::engine::entities::effective_status(cred.status, cred.expires, now);
            if status == crate::inventory::CredentialStatus::Active {
                state.push(match cred.expires {
                    Expiry::At(at) => format!("is valid until {}", date(at)),
                    _ => "is valid".to_string(),
                });
            } else {
                state.push(format!("is {}", status.as_str()));
            }
            if cred.trusted {
                state.push("is pinned in a trust bundle".to_string());
            }
            values.insert("certificate_state", state.join(" and "));
            if let Expiry::At(at) = cred.expires {
                values.insert("expires", date(at));
            }
            let key = subject_key(inventory, subject);
            (
                Some(inventory.credential_holder[c]),
                Some(cred.id.clone()),
                cred.evidence.clone(),
                key,
            )
        }
        Subject::Grant(g) => {
            let grant = &records.grants[g];
            values.insert("privilege", grant.privilege.clone());
            let key = subject_key(inventory, subject);
            (
                Some(inventory.grant_holder[g]),
                None,
                grant.evidence.clone(),
                key,
            )
        }
        Subject::Usage(u) => {
            let usage = &records.usages[u];
            values.insert("used_at", date(usage.at));
            let key = subject_key(inventory, subject);
            (
                Some(inventory.usage_identity[u]),
                None,
                usage.evidence.clone(),
                key,
            )
        }
        Subject::Identity(i) => {
            let identity = &inventory.identities[i];
            let key = subject_key(inventory, subject);
            (Some(i), None, identity.evidence.clone(), key)
        }
        Subject::Exposure(e) => {
            let exposure = &inventory.exposures[e];
            values.insert("detector", exposure.description.clone());
            // `{secret}` says what the report may show of the value; `{preview}` and
            // `{secret_hash}` (the catalog's older names) never show a withheld value's.
            let (preview, secret_hash, secret) = match &exposure.disclosure {
                Disclosure::Preview(preview) => {
                    let hash = crate::secrets::short_digest(&exposure.secret_sha256).to_string();
                    let secret = format!("secret {preview}, sha256 {hash}");
                    (preview.clone(), hash, secret)
                }
                Disclosure::Withheld(withheld) => {
                    let mut secret = format!("secret withheld: {} value", withheld.reason.as_str());
                    if let Some(keyed) = &withheld.hmac_sha256 {
                        secret.push_str(", hmac-sha256 ");
                        secret.push_str(crate::secrets::short_digest(keyed));
                    }
                    ("(withheld)".to_string(), "(withheld)".to_string(), secret)
                }
            };
            values.insert("preview", preview);
            values.insert("secret_hash", secret_hash);
            values.insert("secret", secret);
            let location = match exposure.evidence.line {
                Some(line) => format!("{}:{line}", exposure.evidence.path),
                None => exposure.evidence.path.clone(),
            };
            values.insert(
                "location",
                match (&exposure.first_commit, exposure.in_working_tree) {
                    (Some(commit), false) => format!(
                        "{location} (history only, commit {})",
                        &commit[..commit.len().min(12)]
                    ),
                    (Some(commit), true) => format!(
                        "{location} (commit {} and the working tree)",
                        &commit[..commit.len().min(12)]
                    ),
                    (None, _) => location,
                },
            );
            let credential = inventory.exposure_credential[e].map(|c| &records.credentials[c]);
            values.insert(
                "credential_state",
                match credential {
                    Some(cred) => format!(
                        "{} {} is {}",
                        cred.kind.as_str().replace('_', " "),
                        cred.id,
                        crate::engine::entities::effective_status(cred.status, cred.expires, now)
                            .as_str()
                    ),
                    None => "credential state unknown".to_string(),
                },
            );
            let key = subject_key(inventory, subject);
            (
                inventory.exposure_identity[e],
                credential.map(|c| c.id.clone()),
                exposure.evidence.clone(),
                key,
            )
        }
    };
    let Some(identity_idx) = identity_idx else {
        values.insert("identity", UNATTRIBUTED.to_string());
        return (None, Facts { values }, credential, evidence, subject_key);
    };
    let identity = &inventory.identities[identity_idx];
    values.insert("identity", identity.id.clone());
    if let Some(retired_at) = identity.retired_at {
        values.insert("retired_at", date(retired_at));
    } else if identity.retired_by.is_some() {
        values.insert(
            "retired_at",
            match identity.retired_by {
                Some(crate::inventory::RetiredBy::HomeSystem) => {
                    "its account was disabled or deleted".into()
                }
                _ => "an unrecorded date".into(),
            },
        );
    }
    values.insert(
        "owner",
        identity.owner.clone().unwrap_or_else(|| "(none)".into()),
    );
    let owner_problem = match (&identity.owner, inventory.owner_of(identity)) {
        (Some(name), Some(owner)) => match owner.status {
            OwnerStatus::Departed => match owner.departed_at {
                Some(at) => format!("its owner {name} departed on {}", date(at)),
                None => format!("its owner {name} has departed"),
            },
            OwnerStatus::Unknown => {
                format!("its owner {name} is listed neither under people nor under teams in the register")
            }
            OwnerStatus::Active => format!("its owner {name} is active"),
        },
        _ => "no owner is named for it".into(),
    };
    values.insert("owner_problem", owner_problem);
    (
        Some(identity_idx),
        Facts { values },
        credential,
        evidence,
        subject_key,
    )
}

/// Fills in the line of findings whose evidence was located by text (JSON exports): one pass
/// over each file that has findings, with all of its needles at once.
pub fn locate_lines(findings: &mut [Finding], path_of: impl Fn(&str) -> Option<PathBuf> + Sync) {
    // Findings to locate, grouped by file; the files are then searched in parallel.
    let mut pending: Vec<usize> = (0..findings.len())
        .filter(|&i| findings[i].evidence.line.is_none() && findings[i].evidence.locate.is_some())
        .collect();
    pending.par_sort_by(|&a, &b| findings[a].evidence.path.cmp(&findings[b].evidence.path));
    let by_file: Vec<&[usize]> = pending
        .chunk_by(|&a, &b| findings[a].evidence.path == findings[b].evidence.path)
        .collect();
    let found: Vec<Vec<(usize, u32)>> = {
        let findings = &*findings;
        by_file
            .par_iter()
            .with_max_len(1)
            .map(|indices| lines_in_file(findings, indices, &path_of).unwrap_or_default())
            .collect()
    };
    for (i, line) in found.into_iter().flatten() {
        findings[i].evidence.line = Some(line);
    }
    // The search texts are never shown; a million of them is worth freeing.
    findings
        .par_iter_mut()
        .for_each(|f| f.evidence.locate = None);
}

/// The line of each finding of one file (`indices`, all with the same evidence path) whose text
/// is found in it.
fn lines_in_file(
    findings: &[Finding],
    indices: &[usize],
    path_of: &impl Fn(&str) -> Option<PathBuf>,
) -> Option<Vec<(usize, u32)>> {
    let file = path_of(&findings[*indices.first()?].evidence.path)?;
    // Needles by first appearance; a hash map rather than a sort, as one file can hold a hundred
    // thousand findings.
    let mut pattern_of: HashMap<&str, usize> = HashMap::with_capacity(indices.len());
    let mut needles: Vec<&str> = Vec::new();
    for &i in indices {
        if let Some(needle) = findings[i].evidence.locate.as_deref() {
            pattern_of.entry(needle).or_insert_with(|| {
                needles.push(needle);
                needles.len() - 1
            });
        }
    }
    let line_of_pattern = first_lines(&file, &needles)?;
    Some(
        indices
            .iter()
            .filter_map(|&i| {
                let needle = findings[i].evidence.locate.as_deref()?;
                let line = line_of_pattern.get(pattern_of.get(needle)?)?;
                Some((i, *line))
            })
            .collect(),
    )
}

/// Files up to this size are read whole, once; larger ones are streamed twice.
const WHOLE_FILE_LIMIT: u64 = 16 << 20;

/// The 1-based line of the first occurrence of each needle (by its index) in a file. Matches
/// may overlap: one native ID can be the start of another (`…:user/ci` and `…:user/ci-legacy`),
/// and each is found where it first occurs.
fn first_lines(file: &std::path::Path, needles: &[&str]) -> Option<HashMap<usize, u32>> {
    use std::io::Read;
    let matcher = AhoCorasick::new(needles).ok()?;
    // Most evidence files are small and there are thousands of them: one read each, into a
    // buffer of the file's size (a file that grew since is read up to the limit, then streamed).
    // The same guard as the first read: the file may have been swapped for a FIFO since it was
    // parsed, and opening one would wait for a writer forever. Its line is then left unknown.
    let mut handle = crate::discover::open_regular(file).ok()?;
    let size = handle.metadata().ok()?.len();
    let mut bytes = Vec::new();
    if size <= WHOLE_FILE_LIMIT {
        bytes.reserve_exact(usize::try_from(size).ok()?.saturating_add(1));
        (&mut handle)
            .take(WHOLE_FILE_LIMIT + 1)
            .read_to_end(&mut bytes)
            .ok()?;
    }
    let (first, lines) = if size > WHOLE_FILE_LIMIT || bytes.len() as u64 > WHOLE_FILE_LIMIT {
        // The register of a large organisation is tens of MB, and its identities' findings all
        // point into it: it is streamed, never held whole.
        drop(bytes);
        let first = first_offsets(file, &matcher, needles)?;
        let lines = lines_of_offsets(file, first.values().copied())?;
        (first, lines)
    } else {
        let mut first = HashMap::with_capacity(needles.len());
        record_first(&matcher, &bytes, 0, &mut first);
        let lines = lines_in(&bytes, first.values().copied());
        (first, lines)
    };
    Some(
        first
            .into_iter()
            .filter_map(|(pattern, offset)| Some((pattern, *lines.get(&offset)?)))
            .collect(),
    )
}

/// Records the first offset (`base` + position in `haystack`) of each pattern found.
fn record_first(
    matcher: &AhoCorasick,
    haystack: &[u8],
    base: usize,
    first: &mut HashMap<usize, usize>,
) {
    let patterns = matcher.patterns_len();
    for found in matcher.find_overlapping_iter(haystack) {
        first
            .entry(found.pattern().as_usize())
            .or_insert(base + found.start());
        if first.len() == patterns {
            break;
        }
    }
}

/// The 1-based line of each offset in `bytes`.
fn lines_in(bytes: &[u8], offsets: impl Iterator<Item = usize>) -> HashMap<usize, u32> {
    let mut wanted: Vec<usize> = offsets.collect();
    wanted.sort_unstable();
    let (mut newlines, mut counted) = (0usize, 0usize);
    let mut lines = HashMap::with_capacity(wanted.len());
    for offset in wanted {
        let upto = offset.min(bytes.len());
        newlines += memchr::memchr_iter(b'\n', &bytes[counted..upto]).count();
        counted = upto;
        lines.insert(offset, u32::try_from(newlines + 1).unwrap_or(u32::MAX));
    }
    lines
}

/// The offset of the first occurrence of each needle (by its index) in a file, read in blocks
/// that overlap by the longest needle so that no occurrence is cut.
fn first_offsets(
    file: &std::path::Path,
    matcher: &AhoCorasick,
    needles: &[&str],
) -> Option<HashMap<usize, usize>> {
    use std::io::Read;
    let keep = needles
        .iter()
        .map(|n| n.len())
        .max()
        .unwrap_or(0)
        .saturating_sub(1);
    let mut reader = crate::discover::open_regular(file).ok()?;
    let mut first: HashMap<usize, usize> = HashMap::new();
    let mut window: Vec<u8> = Vec::with_capacity(keep + (1 << 20));
    // Offset in the file of `window[0]`.
    let mut base = 0usize;
    let mut block = vec![0u8; 1 << 20];
    loop {
        let read = reader.read(&mut block).ok()?;
        if read == 0 {
            break;
        }
        window.extend_from_slice(&block[..read]);
        record_first(matcher, &window, base, &mut first);
        if first.len() == needles.len() {
            break;
        }
        let cut = window.len().saturating_sub(keep);
        window.drain(..cut);
        base += cut;
    }
    Some(first)
}

/// The 1-based line of each offset in a file, counting newlines in one streamed pass.
fn lines_of_offsets(
    file: &std::path::Path,
    offsets: impl Iterator<Item = usize>,
) -> Option<HashMap<usize, u32>> {
    use std::io::Read;
    let mut wanted: Vec<usize> = offsets.collect();
    wanted.sort_unstable();
    wanted.dedup();
    let mut lines = HashMap::with_capacity(wanted.len());
    let mut reader = crate::discover::open_regular(file).ok()?;
    let mut buffer = vec![0u8; 1 << 16];
    let (mut base, mut newlines, mut next) = (0usize, 0usize, 0usize);
    while next < wanted.len() {
        let read = reader.read(&mut buffer).ok()?;
        if read == 0 {
            break;
        }
        let chunk = &buffer[..read];
        let mut counted = 0;
        while next < wanted.len() && wanted[next] < base + read {
            let upto = wanted[next] - base;
            newlines += memchr::memchr_iter(b'\n', &chunk[counted..upto]).count();
            counted = upto;
            lines.insert(
                wanted[next],
                u32::try_from(newlines + 1).unwrap_or(u32::MAX),
            );
            next += 1;
        }
        newlines += memchr::memchr_iter(b'\n', &chunk[counted..]).count();
        base += read;
    }
    Some(lines)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lines_of_offsets_across_buffer_boundaries() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("f");
        let mut text = String::new();
        for i in 0..20_000 {
            text.push_str(&format!("line {i}\n"));
        }
        std::fs::write(&path, &text).unwrap();
        let offsets: Vec<usize> = [0, 5, 6, 70_000, 131_071, 131_072, text.len() - 1]
            .into_iter()
            .collect();
        let lines = lines_of_offsets(&path, offsets.iter().copied()).unwrap();
        for offset in offsets {
            let expected = text.as_bytes()[..offset]
                .iter()
                .filter(|&&b| b == b'\n')
                .count()
                + 1;
            assert_eq!(lines[&offset], expected as u32, "offset {offset}");
        }
        let matcher = AhoCorasick::new(["line 7\n", "line 19999"]).unwrap();
        let first = first_offsets(&path, &matcher, &["line 7\n", "line 19999"]).unwrap();
        assert_eq!(first[&0], text.find("line 7\n").unwrap());
        assert_eq!(first[&1], text.find("line 19999").unwrap());
    }

    #[test]
    fn first_lines_read_whole_and_streamed_agree() {
        let dir = tempfile::tempdir().unwrap();
        let small = dir.path().join("small");
        let mut text = String::new();
        for i in 0..20_000 {
            text.push_str(&format!("key-{i} line {i}\n"));
        }
        std::fs::write(&small, &text).unwrap();
        // Above the whole-file limit, so the streamed path runs; same lines at the start.
        let large = dir.path().join("large");
        let padding = "x".repeat(WHOLE_FILE_LIMIT as usize);
        std::fs::write(&large, format!("{text}{padding}\nkey-late\n")).unwrap();
        let needles = [
            "key-0 ",
            "key-7 ",
            "key-19999 ",
            "line 5\n",
            "absent",
            "key-1",
        ];
        let whole = first_lines(&small, &needles).unwrap();
        let streamed = first_lines(&large, &needles).unwrap();
        assert_eq!(whole, streamed);
        assert_eq!(whole[&0], 1);
        assert_eq!(whole[&1], 8);
        assert_eq!(whole[&2], 20_000);
        assert_eq!(whole[&3], 6);
        assert!(!whole.contains_key(&4));
        // "key-1" first occurs in "key-1 " on line 2; it is also the start of "key-19999 ",
        // which is still found.
        assert_eq!(whole[&5], 2);
        assert_eq!(first_lines(&large, &["key-late"]).unwrap()[&0], 20_002);
    }

    #[test]
    fn fingerprints_are_stable_and_content_based() {
        let a = fingerprint("DPV001", "aws", "credential:aws:1:AKIA");
        assert_eq!(a, fingerprint("DPV001", "aws", "credential:aws:1:AKIA"));
        assert_ne!(a, fingerprint("DPV001", "aws", "credential:aws:1:AKIB"));
        assert!(a.starts_with("DPV001-"));
    }

    #[test]
    fn templates_fill_known_values_and_mark_unknown_ones() {
        let facts = Facts {
            values: BTreeMap::from([("identity", "ci".to_string())]),
        };
        assert_eq!(
            facts.render("{identity} used {credential}"),
            "ci used unknown"
        );
        assert_eq!(
            facts.render("unterminated {identity"),
            "unterminated {identity"
        );
    }
}
