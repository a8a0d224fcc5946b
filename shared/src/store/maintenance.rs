//! What a server operator asks of a store beyond syncing: per-village figures for `admin status`,
//! and forgetting a peer's bookkeeping for `admin resync`.

use std::collections::BTreeMap;

use redb::{ReadableDatabase, ReadableTable};

use super::records::DocRecord;
use super::tables::{DOCS, SYNC_STATES};
use super::{Store, StoreError, decode};
use crate::ids::{DocId, StoreId};

/// One village's documents in a store.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct VillageSummary {
    pub documents: u64,
    /// The store's feed seq of the village's latest change.
    pub latest_seq: u64,
    /// The document that changed last.
    pub latest_doc: Option<DocId>,
}

/// What [`Store::forget_peer`] removed.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Forgotten {
    /// Whether the peer had a checkpoint record.
    pub checkpoint: bool,
    pub sync_states: u64,
}

impl Store {
    /// Documents per village (keyed by village code), with each village's latest change. Reads
    /// the document records only, never a document.
    pub fn villages(&self) -> Result<BTreeMap<String, VillageSummary>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(DOCS)?;
        let mut out: BTreeMap<String, VillageSummary> = BTreeMap::new();
        for entry in table.iter()? {
            let (key, value) = entry?;
            let id: DocId = key.value().parse()?;
            let record: DocRecord = decode(value.value(), "doc record")?;
            let village = out.entry(id.village().to_string()).or_default();
            village.documents += 1;
            if record.seq >= village.latest_seq {
                village.latest_seq = record.seq;
                village.latest_doc = Some(id);
            }
        }
        Ok(out)
    }

    /// Forget everything this store knows about syncing with `peer`: its checkpoint (what of its
    /// feed we hold, where our offers to it start) and every per-document sync state. Its next
    /// session then re-diffs every document in scope. Documents are untouched.
    pub fn forget_peer(&self, peer: &StoreId) -> Result<Forgotten, StoreError> {
        // One batch, so no other interleaves; a session of this peer still open may write again
        // afterwards (the server ends those, and forgets again when they end).
        self.batch(|b| -> Result<Forgotten, StoreError> {
            let forgotten = Forgotten {
                checkpoint: b.remove_peer(peer)?.is_some_and(|r| r.is_known()),
                sync_states: b.forget_sync_states(peer)?,
            };
            // Only the mark stays: the peer's next session is told we forgot on purpose.
            b.update_peer(peer, |p| p.reset = true)?;
            Ok(forgotten)
        })
    }

    /// Forget our checkpoint of `peer`'s feed (it then offers its whole feed again, skipping what
    /// we share by heads); the rest of its record stays.
    pub fn reset_checkpoint(&self, peer: &StoreId) -> Result<(), StoreError> {
        self.batch(|b| {
            b.update_peer(peer, |p| {
                p.checkpoint = 0;
                p.reset = true;
            })
        })
    }

    /// Forget the sync states with `peer` of the documents `keep` rejects (those of regions it
    /// lost in a rescope), so if they come back into its scope they are offered and re-diffed
    /// instead of skipped as shared. Its checkpoint and the other documents' states stay.
    pub fn forget_peer_docs(
        &self,
        peer: &StoreId,
        keep: impl Fn(&DocId) -> bool,
    ) -> Result<u64, StoreError> {
        let _docs = self.lock();
        let tx = self.db.begin_write()?;
        let mut doomed = Vec::new();
        {
            let mut states = tx.open_table(SYNC_STATES)?;
            let key = peer.as_bytes();
            for entry in states.range((key.as_slice(), "")..)? {
                let (k, _) = entry?;
                let (p, doc) = k.value();
                if p != key.as_slice() {
                    break;
                }
                if !keep(&doc.parse()?) {
                    doomed.push(doc.to_owned());
                }
            }
            for doc in &doomed {
                states.remove((key.as_slice(), doc.as_str()))?;
            }
        }
        tx.commit()?;
        Ok(doomed.len() as u64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ids::DocKind;
    use crate::model::minutes;

    fn minutes_in(store: &Store, village: &str, title: &str) -> DocId {
        let id = DocId::generate(DocKind::Minutes, village.parse().expect("village"));
        let new = minutes::NewMinutes {
            title: title.into(),
            date: "2026-12-01".into(),
            place: None,
            facilitator: None,
        };
        store
            .edit(&id, |doc| {
                minutes::create(doc, id.village(), &new)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))
            })
            .expect("create");
        id
    }

    #[test]
    fn villages_count_documents_and_find_the_latest_change() {
        let store = Store::in_memory(Some(automerge::ActorId::random())).expect("store");
        let a = minutes_in(&store, "18.01.05.2001", "first");
        minutes_in(&store, "18.01.05.2002", "other village");
        let c = minutes_in(&store, "18.01.05.2001", "second");
        let villages = store.villages().expect("villages");
        assert_eq!(villages.len(), 2);
        assert_eq!(villages["18.01.05.2001"].documents, 2);
        assert_eq!(villages["18.01.05.2001"].latest_doc, Some(c));
        assert_eq!(villages["18.01.05.2002"].documents, 1);
        // An edit to the older document makes it the latest.
        store
            .edit(&a, |doc| {
                minutes::append_note(doc, "later").map_err(|e| StoreError::Corrupt(e.to_string()))
            })
            .expect("edit");
        assert_eq!(
            store.villages().expect("villages")["18.01.05.2001"].latest_doc,
            Some(a)
        );
    }

    #[test]
    fn forgetting_a_peer_removes_its_checkpoint_and_sync_states_only() {
        let store = Store::in_memory(Some(automerge::ActorId::random())).expect("store");
        let docs = [
            minutes_in(&store, "18.01.05.2001", "one"),
            minutes_in(&store, "18.01.05.2001", "two"),
        ];
        let (gone, kept) = (StoreId::random(), StoreId::random());
        store
            .batch(|b| {
                for peer in [&gone, &kept] {
                    b.update_peer(peer, |r| r.checkpoint = 7)?;
                    for doc in &docs {
                        b.put_sync_state(peer, doc, &automerge::sync::State::new())?;
                    }
                }
                Ok::<_, StoreError>(())
            })
            .expect("bookkeeping");
        let forgotten = store.forget_peer(&gone).expect("forget");
        assert_eq!(
            forgotten,
            Forgotten {
                checkpoint: true,
                sync_states: 2
            }
        );
        assert_eq!(store.peer(&gone).expect("peer").checkpoint, 0);
        assert_eq!(store.peer(&kept).expect("peer").checkpoint, 7);
        for doc in &docs {
            assert!(store.shared_heads(&gone, doc).expect("state").is_none());
            assert!(store.shared_heads(&kept, doc).expect("state").is_some());
        }
        assert_eq!(store.doc_count().expect("count"), 2);
        assert_eq!(
            store.forget_peer(&gone).expect("again"),
            Forgotten::default()
        );
        // Forgetting some documents only: the rest and the checkpoint stay.
        let removed = store
            .forget_peer_docs(&kept, |doc| doc == &docs[0])
            .expect("forget some");
        assert_eq!(removed, 1);
        assert!(
            store
                .shared_heads(&kept, &docs[0])
                .expect("state")
                .is_some()
        );
        assert!(
            store
                .shared_heads(&kept, &docs[1])
                .expect("state")
                .is_none()
        );
        assert_eq!(store.peer(&kept).expect("peer").checkpoint, 7);
    }
}
