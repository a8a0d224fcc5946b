//! A bounded cache of loaded documents, so a sync session does not re-parse a document for every
//! message while memory stays bounded by the cache size, not by the documents stored. Bounded
//! both by count and by an estimate of bytes held, so a few huge documents cannot take the
//! memory that hundreds of ordinary ones would.

use std::collections::{BTreeMap, HashMap, HashSet};

use automerge::{ActorId, Automerge, ReadDoc};

use super::StoreError;
use crate::ids::DocId;

/// Estimated memory per operation of a loaded document, and per stored byte (values such as
/// long texts or attachments live in memory as well as on disk).
const BYTES_PER_OP: u64 = 64;
const MEMORY_PER_STORED_BYTE: u64 = 2;

/// The estimated memory of a loaded document that takes `stored` bytes on disk.
fn weigh(doc: &Automerge, stored: u64) -> u64 {
    doc.stats()
        .num_ops
        .saturating_mul(BYTES_PER_OP)
        .saturating_add(stored.saturating_mul(MEMORY_PER_STORED_BYTE))
        .saturating_add(1024)
}

pub(super) struct DocCache {
    /// Document → (document, tick of its last use, estimated bytes).
    docs: HashMap<DocId, (Automerge, u64, u64)>,
    /// Tick of last use → document, oldest first: eviction takes the front instead of scanning
    /// (and hashing) every cached id on each miss.
    order: BTreeMap<u64, DocId>,
    capacity: usize,
    /// Estimated bytes held, at most `max_bytes` (except for pinned documents).
    bytes: u64,
    max_bytes: u64,
    tick: u64,
    /// Documents changed by the open batch: never evicted before it commits or aborts.
    pinned: HashSet<DocId>,
}

impl DocCache {
    pub(super) fn new(capacity: usize, max_bytes: u64) -> Self {
        Self {
            docs: HashMap::new(),
            order: BTreeMap::new(),
            capacity: capacity.max(1),
            bytes: 0,
            max_bytes,
            tick: 0,
            pinned: HashSet::new(),
        }
    }

    pub(super) fn clear(&mut self) {
        self.docs.clear();
        self.order.clear();
        self.bytes = 0;
        self.pinned.clear();
    }

    pub(super) fn pin(&mut self, id: &DocId) {
        self.pinned.insert(id.clone());
    }

    pub(super) fn unpin_all(&mut self) {
        self.pinned.clear();
    }

    pub(super) fn remove(&mut self, id: &DocId) {
        if let Some((_, used, weight)) = self.docs.remove(id) {
            self.order.remove(&used);
            self.bytes = self.bytes.saturating_sub(weight);
        }
    }

    /// The cached document, loading it with `load` on a miss. `None` if the store lacks it.
    pub(super) fn get_or_load(
        &mut self,
        id: &DocId,
        actor: &Option<ActorId>,
        load: impl FnOnce(&str) -> Result<Option<(Automerge, u64)>, StoreError>,
    ) -> Result<Option<&mut Automerge>, StoreError> {
        if !self.docs.contains_key(id) {
            let Some((mut doc, stored)) = load(&id.to_string())? else {
                return Ok(None);
            };
            if let Some(a) = actor {
                doc.set_actor(a.clone());
            }
            self.insert(id.clone(), doc, stored);
        }
        Ok(self.get_mut(id))
    }

    pub(super) fn get_mut(&mut self, id: &DocId) -> Option<&mut Automerge> {
        let (doc, used, _) = self.docs.get_mut(id)?;
        self.tick += 1;
        if let Some(key) = self.order.remove(used) {
            self.order.insert(self.tick, key);
        }
        *used = self.tick;
        Some(doc)
    }

    /// Cache a document that takes `stored` bytes on disk.
    pub(super) fn insert(&mut self, id: DocId, doc: Automerge, stored: u64) {
        self.remove(&id);
        let weight = weigh(&doc, stored);
        self.make_room(&id, weight);
        self.tick += 1;
        self.order.insert(self.tick, id.clone());
        self.bytes = self.bytes.saturating_add(weight);
        self.docs.insert(id, (doc, self.tick, weight));
    }

    /// A cached document changed and now takes `stored` bytes on disk: weigh it again.
    pub(super) fn reweigh(&mut self, id: &DocId, stored: u64) {
        if let Some((doc, _, weight)) = self.docs.get_mut(id) {
            let new = weigh(doc, stored);
            self.bytes = self.bytes.saturating_sub(*weight).saturating_add(new);
            *weight = new;
        }
        self.make_room(id, 0);
    }

    /// Evict least recently used documents (never pinned ones, never `keep`) until one more
    /// of `weight` bytes fits the count and the byte bound.
    fn make_room(&mut self, keep: &DocId, weight: u64) {
        loop {
            let count = self.docs.len() + usize::from(!self.docs.contains_key(keep));
            let over_count = count > self.capacity;
            let over_bytes = self.bytes.saturating_add(weight) > self.max_bytes;
            if !over_count && !over_bytes {
                return;
            }
            let oldest = self
                .order
                .values()
                .find(|k| *k != keep && !self.pinned.contains(*k))
                .cloned();
            match oldest {
                Some(oldest) => self.remove(&oldest),
                // Only pinned documents left: the open batch needs them; it ends soon.
                None => return,
            }
        }
    }

    /// Estimated bytes held (for tests).
    #[cfg(test)]
    pub(super) fn bytes(&self) -> u64 {
        self.bytes
    }

    #[cfg(test)]
    pub(super) fn len(&self) -> usize {
        self.docs.len()
    }
}

#[cfg(test)]
mod tests {
    use automerge::transaction::Transactable;

    use super::*;
    use crate::ids::DocKind;

    fn doc(ops: usize) -> Automerge {
        let mut doc = Automerge::new();
        let mut tx = doc.transaction();
        for i in 0..ops {
            tx.put(automerge::ROOT, format!("k{i}"), i as i64)
                .expect("put");
        }
        tx.commit();
        doc
    }

    #[test]
    fn the_cache_is_bounded_by_bytes_as_well_as_by_count() {
        let village: crate::region::VillageCode = "18.01.05.2001".parse().expect("village");
        let small = weigh(&doc(10), 100);
        // Room for about ten small documents.
        let mut cache = DocCache::new(100, small * 10);
        let ids: Vec<DocId> = (0..20)
            .map(|_| DocId::generate(DocKind::Minutes, village.clone()))
            .collect();
        for id in &ids {
            cache.insert(id.clone(), doc(10), 100);
            assert!(cache.bytes() <= small * 10);
        }
        assert_eq!(cache.len(), 10, "count follows the byte bound");
        // One big document pushes out many small ones, but stays itself.
        let big = DocId::generate(DocKind::Minutes, village);
        cache.insert(big.clone(), doc(40), 100);
        assert!(cache.get_mut(&big).is_some());
        assert!(cache.len() < 10);
        assert!(cache.bytes() <= small * 10);
    }
}
