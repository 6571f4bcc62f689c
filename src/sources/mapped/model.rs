//! A mapped file as read: for each record, the values of the fields its mapping names, as text.
//! Only those values are kept (never the other columns, which may hold secrets), and dates stay
//! text until `normalize` reads them, so that a bad date is a warning about its line.

use std::sync::Arc;

use super::spec::{Field, Mapping};
use super::Format;

/// One record's mapped values.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Row {
    /// The 1-based line of the record, when the format has one per record (CSV, JSON lines).
    pub line: Option<u32>,
    pub identity_id: Option<String>,
    pub name: Option<String>,
    pub owner: Option<String>,
    pub status: Option<String>,
    pub credential_id: Option<String>,
    pub credential_status: Option<String>,
    pub created: Option<String>,
    pub last_used: Option<String>,
    pub expires: Option<String>,
    pub rotated: Option<String>,
    pub grants: Vec<String>,
    pub aliases: Vec<String>,
}

impl Row {
    /// Sets a field from the values the record holds for it (already trimmed, none empty). A
    /// single-valued field keeps the first; says whether there were more.
    pub fn set(&mut self, field: Field, mut values: Vec<String>) -> bool {
        let several = values.len() > 1 && !field.is_list();
        let slot = match field {
            Field::IdentityId => &mut self.identity_id,
            Field::Name => &mut self.name,
            Field::Owner => &mut self.owner,
            Field::Status => &mut self.status,
            Field::CredentialId => &mut self.credential_id,
            Field::CredentialStatus => &mut self.credential_status,
            Field::Created => &mut self.created,
            Field::LastUsed => &mut self.last_used,
            Field::Expires => &mut self.expires,
            Field::Rotated => &mut self.rotated,
            Field::Grants => {
                self.grants.append(&mut values);
                return false;
            }
            Field::Alias(_) => {
                self.aliases.append(&mut values);
                return false;
            }
        };
        if slot.is_none() {
            *slot = values.into_iter().next();
        }
        several
    }
}

/// One mapped file, read.
#[derive(Debug)]
pub struct MappedFile {
    pub mapping: Arc<Mapping>,
    pub format: Format,
    pub rows: Vec<Row>,
    pub warnings: Vec<String>,
}

impl crate::sources::FamilyFile for MappedFile {
    fn record_count(&self) -> usize {
        self.rows.len()
    }

    fn warnings(&self) -> Vec<String> {
        self.warnings.clone()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn single_fields_keep_the_first_value_and_lists_keep_all() {
        let mut row = Row::default();
        assert!(row.set(Field::Owner, vec!["a@e".into(), "b@e".into()]));
        assert!(!row.set(Field::Grants, vec!["r1".into(), "r2".into()]));
        assert!(!row.set(Field::Alias(0), vec!["x".into()]));
        assert!(!row.set(Field::Alias(1), vec!["y".into()]));
        assert_eq!(row.owner.as_deref(), Some("a@e"));
        assert_eq!(row.grants, vec!["r1", "r2"]);
        assert_eq!(row.aliases, vec!["x", "y"]);
    }
}
