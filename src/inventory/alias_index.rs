//! The alias index: every normalized identifier (register alias, native ID, holder name) → the
//! identity that claimed it first. Every shard holds it for the whole organisation (issue 19),
//! so it keeps a 128-bit digest of each identifier rather than the text: an entry of 24 bytes
//! instead of 32 plus a heap copy of the identifier, which the identities hold already.
//!
//! The digest is the first 128 bits of SHA-256, not a fast non-cryptographic hash: identifiers
//! come from files an attacker may plant, and two identifiers that collided would join one
//! identity's credentials to another. Planting an identifier that collides with an existing
//! one (a second preimage) takes about 2^128 SHA-256 evaluations; even planting both of a
//! colliding pair takes about 2^64. By chance, among the ten to a hundred million identifiers
//! of the largest estates, a collision has a probability of 2^-82 to 2^-75.

use sha2::{Digest, Sha256};

use super::alias::normalize;
use super::correlate::IdentityIdx;
use super::IdMap;

/// The digest of a normalized identifier.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct AliasKey([u64; 2]);

impl AliasKey {
    /// The key of an identifier already normalized ([`normalize`]).
    pub fn of_normalized(normalized: &str) -> AliasKey {
        let digest = Sha256::digest(normalized.as_bytes());
        let half = |at: usize| {
            let mut bytes = [0u8; 8];
            bytes.copy_from_slice(&digest[at..at + 8]);
            u64::from_le_bytes(bytes)
        };
        AliasKey([half(0), half(8)])
    }

    /// The key of an identifier as read.
    pub fn of(identifier: &str) -> AliasKey {
        AliasKey::of_normalized(&normalize(identifier))
    }
}

/// Normalized identifier → the identity that claimed it first.
#[derive(Debug, Clone, Default)]
pub struct AliasIndex {
    map: IdMap<AliasKey, IdentityIdx>,
}

impl AliasIndex {
    pub fn with_capacity(capacity: usize) -> AliasIndex {
        AliasIndex {
            map: IdMap::with_capacity_and_hasher(capacity, Default::default()),
        }
    }

    /// The identity that claimed this normalized identifier.
    pub fn get(&self, normalized: &str) -> Option<&IdentityIdx> {
        self.map.get(&AliasKey::of_normalized(normalized))
    }

    /// The identity that claimed this key.
    pub fn get_key(&self, key: &AliasKey) -> Option<&IdentityIdx> {
        self.map.get(key)
    }

    /// Gives the key to `idx` unless an identity claimed it before.
    pub fn claim(&mut self, key: AliasKey, idx: IdentityIdx) {
        self.map.entry(key).or_insert(idx);
    }

    pub fn len(&self) -> usize {
        self.map.len()
    }

    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_identifier_is_found_by_its_normalized_form_and_the_first_claim_stays() {
        let mut index = AliasIndex::default();
        index.claim(AliasKey::of("SVC@Example.com"), 3);
        index.claim(AliasKey::of("svc@example.com"), 7);
        index.claim(AliasKey::of("arn:aws:iam::1:user/svc"), 7);
        assert_eq!(index.len(), 2);
        assert_eq!(index.get(&normalize(" svc@EXAMPLE.com ")), Some(&3));
        assert_eq!(index.get("arn:aws:iam::1:user/svc"), Some(&7));
        // Case is significant where the identifier's system says so.
        assert_eq!(index.get("arn:aws:iam::1:user/SVC"), None);
        assert_eq!(
            index.get_key(&AliasKey::of("arn:aws:iam::1:user/svc")),
            Some(&7)
        );
    }

    #[test]
    fn the_key_is_the_first_128_bits_of_sha256() {
        // SHA-256("abc") = ba7816bf 8f01cfea 414140de 5dae2223 …
        assert_eq!(
            AliasKey::of_normalized("abc"),
            AliasKey([
                u64::from_le_bytes([0xba, 0x78, 0x16, 0xbf, 0x8f, 0x01, 0xcf, 0xea]),
                u64::from_le_bytes([0x41, 0x41, 0x40, 0xde, 0x5d, 0xae, 0x22, 0x23]),
            ])
        );
    }
}
