//! A bounded cache of loaded documents, so a sync session does not re-parse a document for every
//! message while memory stays bounded by the cache size, not by the documents stored.

use std::collections::{BTreeMap, HashMap, HashSet};

use automerge::{ActorId, Automerge};

use super::StoreError;
use crate::ids::DocId;

pub(super) struct DocCache {
    /// Document → (document, tick of its last use).
    docs: HashMap<DocId, (Automerge, u64)>,
    /// Tick of last use → document, oldest first: eviction takes the front instead of scanning
    /// (and hashing) every cached id on each miss.
    order: BTreeMap<u64, DocId>,
    capacity: usize,
    tick: u64,
    /// Documents changed by the open batch: never evicted before it commits or aborts.
    pinned: HashSet<DocId>,
}

impl DocCache {
    pub(super) fn new(capacity: usize) -> Self {
        Self {
            docs: HashMap::new(),
            order: BTreeMap::new(),
            capacity: capacity.max(1),
            tick: 0,
            pinned: HashSet::new(),
        }
    }

    pub(super) fn clear(&mut self) {
        self.docs.clear();
        self.order.clear();
        self.pinned.clear();
    }

    pub(super) fn pin(&mut self, id: &DocId) {
        self.pinned.insert(id.clone());
    }

    pub(super) fn unpin_all(&mut self) {
        self.pinned.clear();
    }

    pub(super) fn remove(&mut self, id: &DocId) {
        if let Some((_, used)) = self.docs.remove(id) {
            self.order.remove(&used);
        }
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
        let (doc, used) = self.docs.get_mut(id)?;
        self.tick += 1;
        if let Some(key) = self.order.remove(used) {
            self.order.insert(self.tick, key);
        }
        *used = self.tick;
        Some(doc)
    }

    pub(super) fn insert(&mut self, id: DocId, doc: Automerge) {
        if self.docs.len() >= self.capacity && !self.docs.contains_key(&id) {
            // Least recently used out, skipping the few documents the open batch has pinned.
            let oldest = self
                .order
                .iter()
                .find(|(_, k)| !self.pinned.contains(*k))
                .map(|(_, k)| k.clone());
            if let Some(oldest) = oldest {
                self.remove(&oldest);
            }
        }
        self.remove(&id);
        self.tick += 1;
        self.order.insert(self.tick, id.clone());
        self.docs.insert(id, (doc, self.tick));
    }
}
