//! Identities: documents (`minutes/18.01.05.2001/01J…`), stores (one per device or server).

use std::fmt;
use std::str::FromStr;

use crate::region::{RegionError, VillageCode};

/// Why a document or store id did not parse.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum IdError {
    #[error(
        "`{id}` is not a document id: expected KIND/VILLAGE/ULID, e.g. minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B2C"
    )]
    Malformed { id: String },
    #[error("`{kind}` is not a document kind (expected `minutes` or `training`)")]
    UnknownKind { kind: String },
    #[error("document id `{id}` has a bad village code: {source}")]
    Village { id: String, source: RegionError },
    #[error(
        "`{id}` is not a canonical document id: the ULID must be 26 uppercase Crockford base32 characters, at most 7ZZZZZZZZZZZZZZZZZZZZZZZZZ"
    )]
    NotCanonical { id: String },
    #[error("a store id must be 16 bytes, got {len}")]
    StoreIdLength { len: usize },
}

/// The two kinds of record Balai keeps.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum DocKind {
    /// Forum minutes (*notulen musyawarah*).
    Minutes,
    /// A skills training (*pelatihan*) with its attendance.
    Training,
}

impl DocKind {
    pub fn as_str(self) -> &'static str {
        match self {
            DocKind::Minutes => "minutes",
            DocKind::Training => "training",
        }
    }
}

impl FromStr for DocKind {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s {
            "minutes" => Ok(DocKind::Minutes),
            "training" => Ok(DocKind::Training),
            other => Err(IdError::UnknownKind {
                kind: other.to_owned(),
            }),
        }
    }
}

impl fmt::Display for DocKind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A document's identity. The village is part of it, so a document can never move region:
/// access control can decide on the id alone, without opening the document.
#[derive(Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct DocId {
    kind: DocKind,
    village: VillageCode,
    key: ulid::Ulid,
}

impl DocId {
    /// A fresh id: 128 bits, time-ordered, random enough that devices never collide.
    pub fn generate(kind: DocKind, village: VillageCode) -> Self {
        Self {
            kind,
            village,
            key: ulid::Ulid::new(),
        }
    }

    pub fn kind(&self) -> DocKind {
        self.kind
    }

    pub fn village(&self) -> &VillageCode {
        &self.village
    }

    /// The unique part (26 characters of Crockford base32).
    pub fn key(&self) -> String {
        self.key.to_string()
    }
}

impl FromStr for DocId {
    type Err = IdError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let malformed = || IdError::Malformed { id: s.to_owned() };
        let mut parts = s.split('/');
        let (Some(kind), Some(village), Some(key), None) =
            (parts.next(), parts.next(), parts.next(), parts.next())
        else {
            return Err(malformed());
        };
        let kind = kind.parse()?;
        let village = village.parse().map_err(|source| IdError::Village {
            id: s.to_owned(),
            source,
        })?;
        let parsed = ulid::Ulid::from_string(key).map_err(|_| malformed())?;
        // One spelling per id: a lowercase or overflowing ULID would name the same document
        // under another string (and be answered under the canonical one).
        if parsed.to_string() != key {
            return Err(IdError::NotCanonical { id: s.to_owned() });
        }
        let key = parsed;
        Ok(Self { kind, village, key })
    }
}

impl fmt::Display for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}/{}/{}", self.kind, self.village, self.key)
    }
}

impl fmt::Debug for DocId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "DocId({self})")
    }
}

/// The identity of one store (one device's home or one server's data directory). Change-feed
/// sequence numbers and checkpoints are only meaningful together with the store they count in.
#[derive(Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct StoreId([u8; 16]);

impl StoreId {
    pub fn random() -> Self {
        Self(rand::random())
    }

    pub fn as_bytes(&self) -> &[u8; 16] {
        &self.0
    }

    pub fn from_slice(bytes: &[u8]) -> Result<Self, IdError> {
        let arr: [u8; 16] = bytes
            .try_into()
            .map_err(|_| IdError::StoreIdLength { len: bytes.len() })?;
        Ok(Self(arr))
    }

    /// Short form for logs and status output.
    pub fn short(&self) -> String {
        self.0[..4].iter().map(|b| format!("{b:02x}")).collect()
    }
}

impl fmt::Display for StoreId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

impl fmt::Debug for StoreId {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "StoreId({})", self.short())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn doc_id_round_trips_and_keeps_its_village() {
        let village: VillageCode = "18.01.05.2001".parse().expect("valid");
        let id = DocId::generate(DocKind::Training, village.clone());
        let parsed: DocId = id.to_string().parse().expect("round trip");
        assert_eq!(parsed, id);
        assert_eq!(parsed.village(), &village);
        assert_eq!(parsed.kind(), DocKind::Training);
    }

    #[test]
    fn doc_ids_have_one_spelling() {
        let id = "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B2C";
        assert_eq!(id.parse::<DocId>().expect("canonical").to_string(), id);
        for alias in [
            // Lowercase, and a first character past 7 (overflows 128 bits and wraps).
            "minutes/18.01.05.2001/01jd8x3v6q2m4t5w7y9z0a1b2c",
            "minutes/18.01.05.2001/8ZZZZZZZZZZZZZZZZZZZZZZZZZ",
        ] {
            assert!(
                matches!(
                    alias.parse::<DocId>(),
                    Err(IdError::NotCanonical { .. } | IdError::Malformed { .. })
                ),
                "{alias}"
            );
        }
    }

    #[test]
    fn doc_id_rejects_garbage() {
        for bad in [
            "",
            "minutes",
            "minutes/18.01.05.2001",
            "minutes/18.01.05/01JD8X3V6Q2M4T5W7Y9Z0A1B2C",
            "notes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B2C",
            "minutes/18.01.05.2001/not-a-ulid",
            "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B2C/extra",
        ] {
            assert!(bad.parse::<DocId>().is_err(), "{bad:?} should not parse");
        }
    }
}
