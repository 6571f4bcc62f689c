//! Record constructors: what a source must say about an identity, a credential, a grant or a
//! use is an argument; everything else starts at the one default (unknown, none, not
//! privileged) and is set by name. The defaults live here and nowhere else.

use jiff::Timestamp;

use super::model::{
    AccountState, CredentialKind, CredentialRecord, CredentialStatus, Evidence, Expiry,
    GrantRecord, IdentityKind, IdentityRecord, LastUse, Locator, SystemRef, UsageRecord,
    VerdictRecord, VerdictSource, VerdictSubject,
};

impl IdentityRecord {
    /// An account: no aliases, display name, creation time or owner until set.
    pub fn new(
        system: SystemRef,
        native_id: impl Into<String>,
        kind: IdentityKind,
        state: AccountState,
        evidence: Evidence,
    ) -> Self {
        IdentityRecord {
            system,
            native_id: native_id.into(),
            aliases: Vec::new(),
            kind,
            display_name: None,
            state,
            created: None,
            owner: None,
            locator: None,
            evidence,
        }
    }

    pub fn aliases(mut self, aliases: Vec<String>) -> Self {
        self.aliases = aliases;
        self
    }

    pub fn display_name(mut self, display_name: Option<String>) -> Self {
        self.display_name = display_name;
        self
    }

    pub fn created(mut self, created: Option<Timestamp>) -> Self {
        self.created = created;
        self
    }

    pub fn owner(mut self, owner: Option<String>) -> Self {
        self.owner = owner;
        self
    }

    pub fn locator(mut self, locator: Locator) -> Self {
        self.locator = Some(Box::new(locator));
        self
    }
}

impl CredentialRecord {
    /// A credential: created, used, rotated and expiring at unknown times, neither privileged
    /// nor trusted, with no other identifiers, until set.
    pub fn new(
        system: SystemRef,
        id: impl Into<String>,
        kind: CredentialKind,
        holder: impl Into<String>,
        status: CredentialStatus,
        evidence: Evidence,
    ) -> Self {
        CredentialRecord {
            system,
            id: id.into(),
            kind,
            holder: holder.into(),
            status,
            created: None,
            last_used: LastUse::Unknown,
            last_rotated: None,
            expires: Expiry::NotApplicable,
            privileged: false,
            trusted: false,
            fingerprints: Vec::new(),
            locator: None,
            evidence,
        }
    }

    pub fn created(mut self, created: Option<Timestamp>) -> Self {
        self.created = created;
        self
    }

    pub fn last_used(mut self, last_used: LastUse) -> Self {
        self.last_used = last_used;
        self
    }

    pub fn last_rotated(mut self, last_rotated: Option<Timestamp>) -> Self {
        self.last_rotated = last_rotated;
        self
    }

    pub fn expires(mut self, expires: Expiry) -> Self {
        self.expires = expires;
        self
    }

    pub fn privileged(mut self, privileged: bool) -> Self {
        self.privileged = privileged;
        self
    }

    pub fn trusted(mut self, trusted: bool) -> Self {
        self.trusted = trusted;
        self
    }

    pub fn fingerprints(mut self, fingerprints: Vec<String>) -> Self {
        self.fingerprints = fingerprints;
        self
    }

    pub fn locator(mut self, locator: Locator) -> Self {
        self.locator = Some(Box::new(locator));
        self
    }
}

impl GrantRecord {
    /// A privilege held by `holder`, an identity of unknown kind that exists, until set.
    pub fn new(
        system: SystemRef,
        holder: impl Into<String>,
        privilege: impl Into<String>,
        evidence: Evidence,
    ) -> Self {
        GrantRecord {
            system,
            holder: holder.into(),
            holder_kind: IdentityKind::Unknown,
            privilege: privilege.into(),
            dangling: false,
            evidence,
        }
    }

    pub fn holder_kind(mut self, holder_kind: IdentityKind) -> Self {
        self.holder_kind = holder_kind;
        self
    }

    pub fn dangling(mut self, dangling: bool) -> Self {
        self.dangling = dangling;
        self
    }
}

impl UsageRecord {
    /// A use by `identity` at `at`, through no credential the export names, until set.
    pub fn new(
        system: SystemRef,
        identity: impl Into<String>,
        at: Timestamp,
        evidence: Evidence,
    ) -> Self {
        UsageRecord {
            system,
            identity: identity.into(),
            credential: None,
            at,
            evidence,
        }
    }

    pub fn credential(mut self, credential: Option<String>) -> Self {
        self.credential = credential;
        self
    }
}

impl VerdictRecord {
    /// `source`'s word on `subject` of `identity`: not called unused, with no last use, watch
    /// period or judgement time, until set.
    pub fn new(
        system: SystemRef,
        source: VerdictSource,
        identity: impl Into<String>,
        subject: VerdictSubject,
        evidence: Evidence,
    ) -> Self {
        VerdictRecord {
            system,
            source,
            identity: identity.into(),
            subject,
            unused: false,
            last_used: LastUse::Unknown,
            watched_since: None,
            judged_at: None,
            evidence,
        }
    }

    pub fn unused(mut self, unused: bool) -> Self {
        self.unused = unused;
        self
    }

    pub fn last_used(mut self, last_used: LastUse) -> Self {
        self.last_used = last_used;
        self
    }

    pub fn watched_since(mut self, watched_since: Option<Timestamp>) -> Self {
        self.watched_since = watched_since;
        self
    }

    pub fn judged_at(mut self, judged_at: Option<Timestamp>) -> Self {
        self.judged_at = judged_at;
        self
    }
}
