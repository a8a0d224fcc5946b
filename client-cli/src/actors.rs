//! The home's map from automerge actor to device name, so `balai history` shows who changed a
//! document by name. Devices sign every document they edit (`model::authors::sign`); this map
//! collects those names from every document the store holds, reading the change feed from where
//! it last stopped, so it fills as documents sync and stays cheap. Kept in `actors.json` in the
//! home, written beside it and renamed into place.

use std::collections::BTreeMap;
use std::io::Write as _;
use std::path::{Path, PathBuf};

use balai_shared::model::authors;
use balai_shared::store::{Store, StoreError};
use serde::{Deserialize, Serialize};

const FILE: &str = "actors.json";
/// Feed entries read per store transaction while catching up.
const PAGE: usize = 512;

#[derive(Debug, thiserror::Error)]
pub enum ActorsError {
    #[error("cannot read {}: {source}", path.display())]
    Read {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("{} is damaged ({source}); delete it and it is rebuilt from the documents", path.display())]
    Damaged {
        path: PathBuf,
        #[source]
        source: serde_json::Error,
    },
    #[error("cannot write {}: {source}", path.display())]
    Write {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error(transparent)]
    Store(#[from] StoreError),
}

#[derive(Debug, Default, Serialize, Deserialize)]
struct Saved {
    /// The store's feed has been read up to this seq.
    scanned: u64,
    /// Actor (hex) → device name.
    actors: BTreeMap<String, String>,
}

/// Actor → device name, as far as the documents on this device tell.
#[derive(Debug)]
pub struct Actors {
    path: PathBuf,
    saved: Saved,
}

impl Actors {
    /// The map kept in `home`, empty when there is none yet.
    pub fn open(home: &Path) -> Result<Self, ActorsError> {
        let path = home.join(FILE);
        let saved = match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|source| ActorsError::Damaged {
                path: path.clone(),
                source,
            })?,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Saved::default(),
            Err(source) => return Err(ActorsError::Read { path, source }),
        };
        Ok(Self { path, saved })
    }

    /// Read the names in every document changed since the last refresh, and save the map if it
    /// moved. Returns how many actors are newly named.
    pub fn refresh(&mut self, store: &Store) -> Result<usize, ActorsError> {
        // A map kept from another store (the home restored from a backup, or its store
        // recreated) would skip this one's feed: read it again from the start.
        if self.saved.scanned > store.last_seq()? {
            self.saved.scanned = 0;
        }
        let start = self.saved.scanned;
        let mut added = 0;
        loop {
            let page = store.changes_since(self.saved.scanned, PAGE)?;
            let Some(&(last, _)) = page.last() else {
                break;
            };
            for (_, id) in &page {
                // A document that cannot be loaded names nobody; it must not stop the others.
                let doc = match store.load(id) {
                    Ok(Some(doc)) => doc,
                    Ok(None) => continue,
                    Err(e) => {
                        tracing::warn!(doc = %id, error = %e, "cannot read a document's device names");
                        continue;
                    }
                };
                for (actor, name) in authors::authors(&doc) {
                    if self.saved.actors.insert(actor, name).is_none() {
                        added += 1;
                    }
                }
            }
            self.saved.scanned = last;
        }
        if self.saved.scanned != start {
            self.save()?;
        }
        Ok(added)
    }

    /// The device that `actor` (hex) is, if any document named it.
    pub fn name(&self, actor: &str) -> Option<&str> {
        self.saved.actors.get(actor).map(String::as_str)
    }

    fn save(&self) -> Result<(), ActorsError> {
        let write = |source| ActorsError::Write {
            path: self.path.clone(),
            source,
        };
        let dir = self.path.parent().unwrap_or(Path::new("."));
        let mut tmp = tempfile::NamedTempFile::new_in(dir).map_err(write)?;
        let bytes = serde_json::to_vec_pretty(&self.saved).map_err(|e| write(e.into()))?;
        tmp.write_all(&bytes).map_err(write)?;
        tmp.as_file().sync_all().map_err(write)?;
        tmp.persist(&self.path).map_err(|e| write(e.error))?;
        Ok(())
    }
}

#[cfg(test)]
mod tests {
    use automerge::ActorId;
    use balai_shared::ids::{DocId, DocKind};
    use balai_shared::model::minutes;

    use super::*;

    #[test]
    fn names_are_collected_from_the_feed_incrementally_and_kept() {
        let home = tempfile::tempdir().expect("tempdir");
        let store = Store::in_memory(Some(ActorId::from([1u8; 16].as_slice()))).expect("store");
        let village = "18.01.05.2001".parse().expect("village");
        let id = DocId::generate(DocKind::Minutes, village);
        store
            .edit(&id, |doc| {
                minutes::create(
                    doc,
                    id.village(),
                    &minutes::NewMinutes {
                        title: "Musyawarah".into(),
                        date: "2026-11-20".into(),
                        place: None,
                        facilitator: None,
                    },
                )?;
                authors::sign(doc, "hp-rina")?;
                anyhow::Ok(())
            })
            .expect("record");
        let mut actors = Actors::open(home.path()).expect("open");
        assert_eq!(actors.refresh(&store).expect("refresh"), 1);
        assert_eq!(actors.name(&"01".repeat(16)), Some("hp-rina"));
        // Nothing new in the feed: nothing read, nothing added.
        assert_eq!(actors.refresh(&store).expect("refresh"), 0);
        // Kept in the home.
        let again = Actors::open(home.path()).expect("reopen");
        assert_eq!(again.name(&"01".repeat(16)), Some("hp-rina"));
        assert_eq!(again.saved.scanned, store.last_seq().expect("seq"));
    }

    #[test]
    fn a_damaged_map_says_how_to_recover() {
        let home = tempfile::tempdir().expect("tempdir");
        std::fs::write(home.path().join(FILE), "{ not json").expect("write");
        let err = Actors::open(home.path()).expect_err("damaged");
        assert!(err.to_string().contains("delete it"), "{err}");
    }
}
