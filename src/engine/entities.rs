//! Turning the correlated inventory into Cedar entities and requests. Identities, owners and
//! systems are built once and shared; each request gets a small slice (its principal, the
//! identity behind it, that identity's owner, the system). Every entity is built directly in
//! Cedar's core form (see `Attrs`).

use std::collections::{BTreeMap, HashMap, HashSet};
use std::str::FromStr;
use std::sync::Arc;

use cedar_policy::{
    Context, Entities, EntityId, EntityTypeName, EntityUid, Request, RestrictedExpression,
};
use cedar_policy_core::ast::{
    Eid, Entity as CoreEntity, EntityUID as CoreUid, PartialValue, Value as CoreValue,
};
use cedar_policy_core::evaluator::RestrictedEvaluator;
use cedar_policy_core::extensions::Extensions;
use jiff::Timestamp;
use rayon::prelude::*;
use smol_str::{format_smolstr, SmolStr};

use crate::config::Thresholds;
use crate::inventory::{
    alias::normalize, CredentialStatus, Expiry, IdentityIdx, Inventory, LastUse, RetiredBy,
    SourceFamily, SystemRef,
};

/// The system every registered identity is judged against for identity-level rules.
pub fn register_system() -> SystemRef {
    SystemRef::new(SourceFamily::Register, "register")
}

/// One thing the engine asks Cedar about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Subject {
    /// Can this credential authenticate to its system?
    Credential(usize),
    /// Does this identity hold this grant?
    Grant(usize),
    /// The latest use of an identity in a system (index into `records.usages`).
    Usage(usize),
    /// Does this identity exist (in the register, or its home system)?
    Identity(IdentityIdx),
    /// A secret or reference found in a repository or file.
    Exposure(usize),
    /// A resource infrastructure code provisions (index into `records.provisions`).
    Provision(usize),
}

impl Subject {
    /// The position in [`super::policies::ACTIONS`] of the action this subject's request asks
    /// about.
    pub fn action_index(self) -> usize {
        match self {
            Subject::Credential(_) => 0,
            Subject::Grant(_) => 1,
            Subject::Usage(_) => 2,
            Subject::Identity(_) => 3,
            Subject::Exposure(_) => 4,
            Subject::Provision(_) => 5,
        }
    }
}

#[derive(Debug, thiserror::Error, miette::Diagnostic)]
pub enum EntityError {
    #[error("internal error building Cedar entities: {0}")]
    #[diagnostic(code(deprov::engine::entity))]
    Build(String),
}

fn build_err(e: impl std::fmt::Display) -> EntityError {
    EntityError::Build(e.to_string())
}

/// Entity type names, parsed once.
#[derive(Clone)]
struct TypeNames {
    owner: EntityTypeName,
    system: EntityTypeName,
    identity: EntityTypeName,
    credential: EntityTypeName,
    grant: EntityTypeName,
    usage: EntityTypeName,
    exposure: EntityTypeName,
    provision: EntityTypeName,
    action: EntityTypeName,
}

impl TypeNames {
    fn new() -> Result<Self, EntityError> {
        let parse = |s: &str| EntityTypeName::from_str(s).map_err(build_err);
        Ok(TypeNames {
            owner: parse("Deprov::Owner")?,
            system: parse("Deprov::System")?,
            identity: parse("Deprov::Identity")?,
            credential: parse("Deprov::Credential")?,
            grant: parse("Deprov::Grant")?,
            usage: parse("Deprov::Usage")?,
            exposure: parse("Deprov::Exposure")?,
            provision: parse("Deprov::Provision")?,
            action: parse("Deprov::Action")?,
        })
    }
}

fn uid(type_name: &EntityTypeName, prefix: char, idx: usize) -> EntityUid {
    EntityUid::from_type_name_and_id(type_name.clone(), EntityId::new(format!("{prefix}{idx}")))
}

/// Cedar `datetime` values, one per distinct instant, evaluated once by Cedar's own evaluator.
#[derive(Default)]
pub struct DatetimeValues {
    values: HashMap<i64, CoreValue>,
}

impl DatetimeValues {
    fn get(&mut self, ts: Timestamp) -> Result<CoreValue, EntityError> {
        if let Some(value) = self.values.get(&ts.as_second()) {
            return Ok(value.clone());
        }
        let call = RestrictedExpression::new_datetime(crate::time::format_rfc3339(ts));
        let value = RestrictedEvaluator::new(Extensions::all_available())
            .interpret(call.as_ref().as_borrowed())
            .map_err(build_err)?;
        self.values.insert(ts.as_second(), value.clone());
        Ok(value)
    }
}

/// An entity's attributes as Cedar values. The public `Entity::new` takes expressions and runs
/// every attribute of every request's entities through Cedar's evaluator again; at two million
/// requests that was a tenth of the evaluation stage. The values are the ones that evaluator
/// produces (strings, booleans, entity references, and datetimes that it evaluated once in
/// [`DatetimeValues`]); `engine_conformance` validates the entities against the schema.
struct Attrs(Vec<(SmolStr, PartialValue)>);

impl Attrs {
    fn new() -> Self {
        Attrs(Vec::with_capacity(14))
    }

    fn set(&mut self, name: &'static str, value: impl Into<CoreValue>) {
        self.0
            .push((SmolStr::new_static(name), PartialValue::from(value.into())));
    }

    fn into_entity(self, uid: CoreUid) -> Arc<CoreEntity> {
        Arc::new(CoreEntity::new_with_attr_partial_value(
            uid,
            self.0,
            HashSet::new(),
            HashSet::new(),
            std::iter::empty(),
        ))
    }
}

/// The core form of [`uid`].
fn core_uid(type_name: &EntityTypeName, prefix: char, idx: usize) -> CoreUid {
    CoreUid::from_components(
        type_name.as_ref().clone(),
        Eid::new(format_smolstr!("{prefix}{idx}")),
        None,
    )
}

/// Entities shared by every request: identities, owners, systems.
pub struct SharedEntities {
    names: TypeNames,
    // Shared by reference with every request's entity slice (no deep copy per request). An
    // identity's entity exists only while its part of the evaluation runs
    // (`build_identities`): at a million identities they would take more than a gigabyte.
    identities: Vec<Option<Arc<CoreEntity>>>,
    identity_owner: Vec<Option<usize>>,
    owners: Vec<Arc<CoreEntity>>,
    systems: Vec<Arc<CoreEntity>>,
    system_index: BTreeMap<SystemRef, usize>,
    /// System by entity index (the inverse of `system_index`).
    system_refs: Vec<SystemRef>,
    register_system: usize,
    /// Per usage record: is it the latest for its (identity, system)?
    pub latest_usages: Vec<usize>,
    /// Per identity: the system its existence is judged in.
    pub identity_home: Vec<usize>,
}

impl SharedEntities {
    /// Every shared entity, identities included.
    pub fn build(inventory: &Inventory) -> Result<SharedEntities, EntityError> {
        let mut shared = SharedEntities::build_base(inventory)?;
        shared.build_identities(inventory, 0..inventory.identities.len())?;
        Ok(shared)
    }

    /// Owners and systems; identities are built part by part with [`Self::build_identities`].
    pub fn build_base(inventory: &Inventory) -> Result<SharedEntities, EntityError> {
        let names = TypeNames::new()?;
        let mut dates = DatetimeValues::default();

        let mut system_index: BTreeMap<SystemRef, usize> = BTreeMap::new();
        let mut add_system = |s: &SystemRef| {
            let next = system_index.len();
            *system_index.entry(s.clone()).or_insert(next)
        };
        let register_system = add_system(&register_system());
        let records = &inventory.records;
        for s in records.identities.iter().map(|r| &r.system) {
            add_system(s);
        }
        for s in records.credentials.iter().map(|r| &r.system) {
            add_system(s);
        }
        for s in records.grants.iter().map(|r| &r.system) {
            add_system(s);
        }
        for s in records.usages.iter().map(|r| &r.system) {
            add_system(s);
        }
        for s in inventory
            .identities
            .iter()
            .filter_map(|i| i.home_system.as_ref())
        {
            add_system(s);
        }
        for s in inventory.exposures.iter().map(|e| &e.system) {
            add_system(s);
        }
        for s in records.provisions.iter().map(|p| &p.system) {
            add_system(s);
        }
        let mut systems = vec![None; system_index.len()];
        for (system, &idx) in &system_index {
            let mut attrs = Attrs::new();
            attrs.set("family", system.family.as_str());
            attrs.set("name", system.name.as_ref());
            systems[idx] = Some(attrs.into_entity(core_uid(&names.system, 's', idx)));
        }
        let systems: Vec<Arc<CoreEntity>> = systems.into_iter().flatten().collect();
        let mut system_refs = vec![self::register_system(); system_index.len()];
        for (system, &idx) in &system_index {
            system_refs[idx] = system.clone();
        }

        let owner_keys: Vec<&String> = inventory.owners.keys().collect();
        let owner_index: HashMap<&str, usize> = owner_keys
            .iter()
            .enumerate()
            .map(|(i, k)| (k.as_str(), i))
            .collect();
        let mut owners = Vec::with_capacity(owner_keys.len());
        for (idx, owner) in inventory.owners.values().enumerate() {
            let mut attrs = Attrs::new();
            attrs.set("kind", owner.kind.as_str());
            attrs.set("status", owner.status.as_str());
            if let Some(at) = owner.departed_at {
                attrs.set("departed_at", dates.get(at)?);
            }
            owners.push(attrs.into_entity(core_uid(&names.owner, 'o', idx)));
        }

        let identity_owner: Vec<Option<usize>> = inventory
            .identities
            .iter()
            .map(|identity| {
                identity
                    .owner
                    .as_deref()
                    .and_then(|o| owner_index.get(normalize(o).as_str()).copied())
            })
            .collect();
        let identity_home: Vec<usize> = inventory
            .identities
            .iter()
            .map(
                |identity| match (&identity.home_system, identity.registered) {
                    (Some(system), false) => {
                        system_index.get(system).copied().unwrap_or(register_system)
                    }
                    _ => register_system,
                },
            )
            .collect();

        // Only the latest use per (identity, system) is judged. A use through a known credential
        // has already raised that credential's last use, and is judged with the credential.
        let mut latest: HashMap<(IdentityIdx, &SystemRef), usize> = HashMap::new();
        for (u, usage) in records.usages.iter().enumerate() {
            if inventory.usage_credential[u].is_some() {
                continue;
            }
            let key = (inventory.usage_identity[u], &usage.system);
            match latest.get(&key) {
                Some(&prev) if records.usages[prev].at >= usage.at => {}
                _ => {
                    latest.insert(key, u);
                }
            }
        }
        let mut latest_usages: Vec<usize> = latest.into_values().collect();
        latest_usages.sort_unstable();

        Ok(SharedEntities {
            names,
            identities: vec![None; inventory.identities.len()],
            identity_owner,
            owners,
            systems,
            system_index,
            system_refs,
            register_system,
            latest_usages,
            identity_home,
        })
    }

    /// Builds the entities of the identities in `range`.
    pub fn build_identities(
        &mut self,
        inventory: &Inventory,
        range: std::ops::Range<usize>,
    ) -> Result<(), EntityError> {
        let names = &self.names;
        let identity_owner = &self.identity_owner;
        let built: Vec<Arc<CoreEntity>> = inventory.identities[range.clone()]
            .par_iter()
            .zip(range.clone())
            .map_init(DatetimeValues::default, |dates, (identity, idx)| {
                identity_entity(names, dates, identity, idx, identity_owner[idx])
            })
            .collect::<Result<_, EntityError>>()?;
        for (slot, entity) in self.identities[range].iter_mut().zip(built) {
            *slot = Some(entity);
        }
        Ok(())
    }

    /// Frees the entities of the identities in `range`.
    pub fn release_identities(&mut self, range: std::ops::Range<usize>) {
        for slot in &mut self.identities[range] {
            *slot = None;
        }
    }

    /// The identity whose entity a subject's request needs, if any.
    pub fn identity_of(inventory: &Inventory, subject: Subject) -> Option<IdentityIdx> {
        match subject {
            Subject::Credential(c) => Some(inventory.credential_holder[c]),
            Subject::Grant(g) => Some(inventory.grant_holder[g]),
            Subject::Usage(u) => Some(inventory.usage_identity[u]),
            Subject::Identity(i) => Some(i),
            Subject::Exposure(e) => inventory.exposure_identity[e],
            Subject::Provision(p) => inventory.provision_identity[p],
        }
    }

    fn identity_entity(&self, idx: IdentityIdx) -> Result<Arc<CoreEntity>, EntityError> {
        self.identities
            .get(idx)
            .and_then(Option::clone)
            .ok_or_else(|| EntityError::Build(format!("identity entity {idx} was not built")))
    }

    /// Every subject to evaluate, in a deterministic order.
    pub fn subjects(&self, inventory: &Inventory) -> Vec<Subject> {
        let records = &inventory.records;
        let mut subjects = Vec::with_capacity(
            records.credentials.len()
                + records.grants.len()
                + self.latest_usages.len()
                + self.identities.len(),
        );
        subjects.extend((0..records.credentials.len()).map(Subject::Credential));
        subjects.extend((0..records.grants.len()).map(Subject::Grant));
        subjects.extend(self.latest_usages.iter().map(|&u| Subject::Usage(u)));
        subjects.extend((0..inventory.identities.len()).map(Subject::Identity));
        subjects.extend((0..inventory.exposures.len()).map(Subject::Exposure));
        subjects.extend((0..records.provisions.len()).map(Subject::Provision));
        subjects
    }

    /// The system entity index of a subject's resource.
    pub fn resource_of(&self, inventory: &Inventory, subject: Subject) -> usize {
        let records = &inventory.records;
        let system = |s: &SystemRef| {
            self.system_index
                .get(s)
                .copied()
                .unwrap_or(self.register_system)
        };
        match subject {
            Subject::Credential(c) => system(&records.credentials[c].system),
            Subject::Grant(g) => system(&records.grants[g].system),
            Subject::Usage(u) => system(&records.usages[u].system),
            Subject::Identity(i) => self.identity_home[i],
            Subject::Exposure(e) => system(&inventory.exposures[e].system),
            Subject::Provision(p) => system(&records.provisions[p].system),
        }
    }

    /// The system a subject is judged in.
    /// Frees the Cedar entities once every request is evaluated; the system index stays.
    pub fn release_entities(&mut self) {
        self.identities = Vec::new();
        self.owners = Vec::new();
        self.systems = Vec::new();
    }

    /// Every system a subject can be judged in, by [`SharedEntities::resource_of`] index.
    pub fn systems(&self) -> &[SystemRef] {
        &self.system_refs
    }

    pub fn system_of<'a>(
        &'a self,
        inventory: &'a Inventory,
        subject: Subject,
    ) -> Option<&'a SystemRef> {
        self.system_refs.get(self.resource_of(inventory, subject))
    }
}

/// An identity's entity.
fn identity_entity(
    names: &TypeNames,
    dates: &mut DatetimeValues,
    identity: &crate::inventory::Identity,
    idx: IdentityIdx,
    owner: Option<usize>,
) -> Result<Arc<CoreEntity>, EntityError> {
    let mut attrs = Attrs::new();
    attrs.set("kind", identity.kind.as_str());
    attrs.set("lifecycle", identity.lifecycle.as_str());
    attrs.set(
        "retired_by",
        match identity.retired_by {
            Some(RetiredBy::Register) => "register",
            Some(RetiredBy::HomeSystem) => "home_system",
            None => "",
        },
    );
    attrs.set("registered", identity.registered);
    attrs.set("present", identity.present);
    attrs.set("state", identity.state.as_str());
    if let Some(at) = identity.retired_at {
        attrs.set("retired_at", dates.get(at)?);
    }
    if let Some(o) = owner {
        attrs.set("owner", core_uid(&names.owner, 'o', o));
    }
    Ok(attrs.into_entity(core_uid(&names.identity, 'i', idx)))
}

/// Per-thread request builder.
pub struct RequestBuilder<'a> {
    shared: &'a SharedEntities,
    inventory: &'a Inventory,
    context: Context,
    actions: [EntityUid; 6],
    dates: DatetimeValues,
    now: Timestamp,
}

impl<'a> RequestBuilder<'a> {
    pub fn new(
        shared: &'a SharedEntities,
        inventory: &'a Inventory,
        thresholds: &Thresholds,
        now: Timestamp,
    ) -> Result<Self, EntityError> {
        let days = |d: u32| RestrictedExpression::new_duration(format!("{d}d"));
        let context = Context::from_pairs([
            (
                "now".to_string(),
                RestrictedExpression::new_datetime(crate::time::format_rfc3339(now)),
            ),
            ("unused".to_string(), days(thresholds.unused_days)),
            (
                "never_used_grace".to_string(),
                days(thresholds.never_used_grace_days),
            ),
            ("rotation".to_string(), days(thresholds.rotation_days)),
            (
                "max_lifetime".to_string(),
                days(thresholds.max_lifetime_days),
            ),
            (
                "max_cert_lifetime".to_string(),
                days(thresholds.max_cert_lifetime_days),
            ),
        ])
        .map_err(build_err)?;
        let action = |name: &str| {
            EntityUid::from_type_name_and_id(shared.names.action.clone(), EntityId::new(name))
        };
        Ok(RequestBuilder {
            shared,
            inventory,
            context,
            actions: super::policies::ACTIONS.map(action),
            dates: DatetimeValues::default(),
            now,
        })
    }

    /// The request and the entity slice it is evaluated against.
    pub fn build(&mut self, subject: Subject) -> Result<(Request, Entities), EntityError> {
        let shared = self.shared;
        let names = &shared.names;
        let records = &self.inventory.records;
        let resource = shared.resource_of(self.inventory, subject);
        let (principal, identity, action): (Arc<CoreEntity>, _, _) = match subject {
            Subject::Credential(c) => (
                self.credential_entity(c)?,
                Some(self.inventory.credential_holder[c]),
                &self.actions[subject.action_index()],
            ),
            Subject::Grant(g) => {
                let grant = &records.grants[g];
                let holder = self.inventory.grant_holder[g];
                let mut attrs = Attrs::new();
                attrs.set("holder", core_uid(&names.identity, 'i', holder));
                attrs.set("privilege", grant.privilege.as_str());
                attrs.set("dangling", grant.dangling);
                (
                    attrs.into_entity(core_uid(&names.grant, 'g', g)),
                    Some(holder),
                    &self.actions[subject.action_index()],
                )
            }
            Subject::Usage(u) => {
                let usage = &records.usages[u];
                let holder = self.inventory.usage_identity[u];
                let mut attrs = Attrs::new();
                attrs.set("identity", core_uid(&names.identity, 'i', holder));
                attrs.set("at", self.dates.get(usage.at)?);
                (
                    attrs.into_entity(core_uid(&names.usage, 'u', u)),
                    Some(holder),
                    &self.actions[subject.action_index()],
                )
            }
            Subject::Identity(i) => (
                shared.identity_entity(i)?,
                Some(i),
                &self.actions[subject.action_index()],
            ),
            Subject::Exposure(e) => (
                self.exposure_entity(e),
                self.inventory.exposure_identity[e],
                &self.actions[subject.action_index()],
            ),
            Subject::Provision(p) => (
                self.provision_entity(p),
                self.inventory.provision_identity[p],
                &self.actions[subject.action_index()],
            ),
        };
        let principal_uid = EntityUid::from(principal.uid().clone());
        let mut slice: Vec<Arc<CoreEntity>> = Vec::with_capacity(4);
        slice.push(principal);
        if let Some(identity) = identity {
            if !matches!(subject, Subject::Identity(_)) {
                slice.push(shared.identity_entity(identity)?);
            }
            if let Some(o) = shared.identity_owner[identity] {
                slice.push(Arc::clone(&shared.owners[o]));
            }
        }
        slice.push(Arc::clone(&shared.systems[resource]));
        let entities = parentless_entities(slice)?;
        let request = Request::new(
            principal_uid,
            action.clone(),
            uid(&names.system, 's', resource),
            self.context.clone(),
            None,
        )
        .map_err(build_err)?;
        Ok((request, entities))
    }

    fn exposure_entity(&mut self, e: usize) -> Arc<CoreEntity> {
        let inventory = self.inventory;
        let names = &self.shared.names;
        let exposure = &inventory.exposures[e];
        let identity = inventory.exposure_identity[e];
        let credential_status = match (inventory.exposure_credential[e], identity) {
            (Some(c), _) => {
                let credential = &inventory.records.credentials[c];
                effective_status(credential.status, credential.expires, self.now).as_str()
            }
            (None, Some(_)) => "unknown",
            (None, None) => "none",
        };
        let mut attrs = Attrs::new();
        attrs.set(
            "kind",
            match exposure.kind {
                crate::inventory::ExposureKind::Secret => "secret",
                crate::inventory::ExposureKind::Reference => "reference",
            },
        );
        attrs.set("detector", exposure.detector.as_str());
        attrs.set("matched", identity.is_some());
        attrs.set("credential_status", credential_status);
        attrs.set("in_working_tree", exposure.in_working_tree);
        attrs.set("agent_credential", exposure.agent_credential);
        if let Some(i) = identity {
            attrs.set("identity", core_uid(&names.identity, 'i', i));
        }
        attrs.into_entity(core_uid(&names.exposure, 'x', e))
    }

    fn provision_entity(&self, p: usize) -> Arc<CoreEntity> {
        let inventory = self.inventory;
        let names = &self.shared.names;
        let provision = &inventory.records.provisions[p];
        let identity = inventory.provision_identity[p];
        let mut attrs = Attrs::new();
        attrs.set("kind", provision.kind.as_str());
        attrs.set("change", provision.change.as_str());
        attrs.set("resource_type", provision.resource_type.as_str());
        attrs.set("matched", identity.is_some());
        if let Some(i) = identity {
            attrs.set("identity", core_uid(&names.identity, 'i', i));
        }
        attrs.into_entity(core_uid(&names.provision, 'p', p))
    }

    fn credential_entity(&mut self, c: usize) -> Result<Arc<CoreEntity>, EntityError> {
        let inventory = self.inventory;
        let names = &self.shared.names;
        let credential = &inventory.records.credentials[c];
        let holder = inventory.credential_holder[c];
        let mut attrs = Attrs::new();
        attrs.set("kind", credential.kind.as_str());
        attrs.set(
            "status",
            effective_status(credential.status, credential.expires, self.now).as_str(),
        );
        attrs.set("holder", core_uid(&names.identity, 'i', holder));
        attrs.set(
            "holder_state",
            inventory.credential_holder_state[c].as_str(),
        );
        attrs.set("privileged", credential.privileged);
        attrs.set("trusted", credential.trusted);
        attrs.set("newer_active_sibling", inventory.newer_active_sibling[c]);
        if let Some(at) = credential.created {
            attrs.set("created", self.dates.get(at)?);
        }
        let usage_tracked = match credential.last_used {
            LastUse::At(at) => {
                attrs.set("last_used", self.dates.get(at)?);
                true
            }
            LastUse::Never => true,
            LastUse::Unknown => false,
        };
        attrs.set("usage_tracked", usage_tracked);
        if let Some(at) = credential.last_rotated {
            attrs.set("last_rotated", self.dates.get(at)?);
        }
        let never_expires = match credential.expires {
            Expiry::At(at) => {
                attrs.set("expires", self.dates.get(at)?);
                false
            }
            Expiry::Never => true,
            Expiry::NotApplicable => false,
        };
        attrs.set("never_expires", never_expires);
        Ok(attrs.into_entity(core_uid(&names.credential, 'c', c)))
    }
}

/// An entity store of entities that have no parents. Cedar's public constructors recompute the
/// transitive closure of the parent relation on every call, which costs more than building the
/// entities; with no parents at all the closure is the relation itself, so it is skipped.
/// `engine_conformance` checks every slice through the public, schema-validating path.
fn parentless_entities(slice: Vec<Arc<CoreEntity>>) -> Result<Entities, EntityError> {
    use cedar_policy_core::entities::{Entities as CoreEntities, NoEntitiesSchema, TCComputation};
    use cedar_policy_core::extensions::Extensions;
    let tc = if slice.iter().all(|e| e.ancestors().next().is_none()) {
        TCComputation::AssumeAlreadyComputed
    } else {
        TCComputation::ComputeNow
    };
    CoreEntities::new()
        .add_entities(
            slice,
            None::<&NoEntitiesSchema>,
            tc,
            Extensions::all_available(),
        )
        .map(Entities::from)
        .map_err(build_err)
}

/// The status the policies see: what the export says, except that a credential whose expiry has
/// passed by `now` is expired whatever its flag says (exports are snapshots; `now` may be later).
pub fn effective_status(
    status: CredentialStatus,
    expires: Expiry,
    now: Timestamp,
) -> CredentialStatus {
    match (status, expires) {
        (CredentialStatus::Active, Expiry::At(at)) if at <= now => CredentialStatus::Expired,
        _ => status,
    }
}
