//! The values a rule's `message:` template may name: the contract between the catalog's wording
//! and what `findings` fills in for each finding. The catalog refuses a template that names
//! anything else, so that a typo cannot render as "unknown" in every report.

/// One `{name}` a message template may use. A finding fills in those its subject has (a grant
/// has no `{credential}`); one it has no value for renders as "unknown".
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Placeholder {
    Identity,
    Owner,
    OwnerProblem,
    RetiredAt,
    System,
    Credential,
    CredentialKind,
    CredentialState,
    Created,
    AgeDays,
    LastUsed,
    UsedAt,
    UnusedDays,
    LastRotated,
    RotatedDays,
    Lifetime,
    Expires,
    CertificateState,
    Privilege,
    Detector,
    Location,
    Secret,
    Preview,
    SecretHash,
    Address,
    Change,
    Provisioned,
}

impl Placeholder {
    pub const ALL: [Placeholder; 27] = [
        Placeholder::Identity,
        Placeholder::Owner,
        Placeholder::OwnerProblem,
        Placeholder::RetiredAt,
        Placeholder::System,
        Placeholder::Credential,
        Placeholder::CredentialKind,
        Placeholder::CredentialState,
        Placeholder::Created,
        Placeholder::AgeDays,
        Placeholder::LastUsed,
        Placeholder::UsedAt,
        Placeholder::UnusedDays,
        Placeholder::LastRotated,
        Placeholder::RotatedDays,
        Placeholder::Lifetime,
        Placeholder::Expires,
        Placeholder::CertificateState,
        Placeholder::Privilege,
        Placeholder::Detector,
        Placeholder::Location,
        Placeholder::Secret,
        Placeholder::Preview,
        Placeholder::SecretHash,
        Placeholder::Address,
        Placeholder::Change,
        Placeholder::Provisioned,
    ];

    /// The name between the braces.
    pub fn name(self) -> &'static str {
        match self {
            Placeholder::Identity => "identity",
            Placeholder::Owner => "owner",
            Placeholder::OwnerProblem => "owner_problem",
            Placeholder::RetiredAt => "retired_at",
            Placeholder::System => "system",
            Placeholder::Credential => "credential",
            Placeholder::CredentialKind => "credential_kind",
            Placeholder::CredentialState => "credential_state",
            Placeholder::Created => "created",
            Placeholder::AgeDays => "age_days",
            Placeholder::LastUsed => "last_used",
            Placeholder::UsedAt => "used_at",
            Placeholder::UnusedDays => "unused_days",
            Placeholder::LastRotated => "last_rotated",
            Placeholder::RotatedDays => "rotated_days",
            Placeholder::Lifetime => "lifetime",
            Placeholder::Expires => "expires",
            Placeholder::CertificateState => "certificate_state",
            Placeholder::Privilege => "privilege",
            Placeholder::Detector => "detector",
            Placeholder::Location => "location",
            Placeholder::Secret => "secret",
            Placeholder::Preview => "preview",
            Placeholder::SecretHash => "secret_hash",
            Placeholder::Address => "address",
            Placeholder::Change => "change",
            Placeholder::Provisioned => "provisioned",
        }
    }

    pub fn from_name(name: &str) -> Option<Placeholder> {
        Placeholder::ALL.into_iter().find(|p| p.name() == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_are_unique_and_round_trip() {
        let mut names: Vec<&str> = Placeholder::ALL.iter().map(|p| p.name()).collect();
        for p in Placeholder::ALL {
            assert_eq!(Placeholder::from_name(p.name()), Some(p));
        }
        names.sort_unstable();
        names.dedup();
        assert_eq!(names.len(), Placeholder::ALL.len());
        assert_eq!(Placeholder::from_name("nope"), None);
    }

    /// The header of `rules/catalog.yaml` tells authors which names they may use.
    #[test]
    fn the_catalog_header_lists_every_name() {
        let header: String = crate::embedded::RULE_CATALOG
            .text
            .lines()
            .take_while(|line| line.starts_with('#'))
            .collect::<Vec<_>>()
            .join("\n");
        for p in Placeholder::ALL {
            assert!(
                header.contains(p.name()),
                "{} is not in the header",
                p.name()
            );
        }
    }
}
