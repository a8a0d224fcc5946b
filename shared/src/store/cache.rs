//! A bounded cache of loaded documents, so a sync session does not re-parse a document for every
//! message while memory stays bounded by the cache size, not by the documents stored.

use std::collections::{HashMap, HashSet};

use automerge::{ActorId, Automerge};

use super::StoreError;
use crate::ids::DocId;

pub(super) struct DocCache {
    docs: HashMap<DocId, (Automerge, u64)>,
    capacity: usize,
    tick: u64,
    /// Documents changed by the open batch: never evicted before it commits or aborts.
    pinned: HashSet<DocId>,
}

impl DocCache {
    pub(super) fn new(capacity: usize) -> Self {
        Self {
            docs: HashMap::new(),
            capacity: capacity.max(1),
            tick: 0,
            pinned: HashSet::new(),
        }
    }

    pub(super) fn clear(&mut self) {
        self.docs.clear();
        self.pinned.clear();
    }

    pub(super) fn pin(&mut self, id: &DocId) {
        self.pinned.insert(id.clone());
    }

    pub(super) fn unpin_all(&mut self) {
        self.pinned.clear();
    }

    pub(super) fn remove(&mut self, id: &DocId) {
        self.docs.remove(id);
    }

    /// The cached document, loading it with `load` on a miss. `None` if the store lacks it.
    pub(super) fn get_or_load(
        &mut self,
        id: &DocId,
        actor: &Option<ActorId>,
        load: impl FnOnce(&str) -> Result<Option<Automerge>, StoreError>,
    ) -> Result<Option<&mut Automerge>, StoreError> {
        if !self.docs.contains_key(id) {
            let Some(mut doc) = load(&id.to_string())? else {
                return Ok(None);
            };
            if let Some(a) = actor {
                doc.set_actor(a.clone());
            }
            self.insert(id.clone(), doc);
        }
        Ok(self.get_mut(id))
    }

    pub(super) fn get_mut(&mut self, id: &DocId) -> Option<&mut Automerge> {
        self.tick += 1;
        let tick = self.tick;
        self.docs.get_mut(id).map(|(doc, used)| {
            *used = tick;
            doc
        })
    }

    pub(super) fn insert(&mut self, id: DocId, doc: Automerge) {
        if self.docs.len() >= self.capacity && !self.docs.contains_key(&id) {
            // Least recently used out. A linear scan over a few hundred entries, only on a miss
            // with a full cache; cheap next to parsing the document that caused it.
            if let Some(oldest) = self
                .docs
                .iter()
                .filter(|(k, _)| !self.pinned.contains(*k))
                .min_by_key(|(_, (_, used))| *used)
                .map(|(k, _)| k.clone())
            {
                self.docs.remove(&oldest);
            }
        }
        self.tick += 1;
        self.docs.insert(id, (doc, self.tick));
    }
}
