//! The redb document store: documents (snapshot + increments), the change feed, per-peer
//! checkpoints and persisted automerge sync states. One store per device home or server data dir.
//!
//! All document access goes through one lock that also guards a small cache of loaded documents,
//! and every mutation runs in a [`Batch`]: one redb write transaction, durable on disk before the
//! batch returns. So nothing that a caller acknowledges can be lost, and two sync sessions can
//! never hold diverging copies of one document.
//!
//! Group commit: a batch commits under the lock without waiting for the disk, then waits (outside
//! the lock) until a durable commit covers it. One caller at a time makes that durable commit,
//! and it covers every batch committed before it, so concurrent sessions share fsyncs and none
//! holds the document lock while the disk syncs. redb commits are ordered, so a crash loses at
//! most a suffix of batches, none of which has returned yet.

mod cache;
mod maintenance;
pub mod records;
pub mod tables;

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Mutex, MutexGuard, PoisonError};

use automerge::{ActorId, Automerge, ChangeHash};
use prost::Message;
use redb::{Database, Durability, ReadableDatabase, ReadableTable, ReadableTableMetadata};

use crate::ids::{DocId, IdError, StoreId};
use cache::DocCache;
pub use maintenance::{Forgotten, VillageSummary};
pub use records::{DocRecord, PeerRecord};
use tables::{
    DOCS, EPOCHS, EPOCHS_BY_SEQ, FEED, FEED_BY_REGION, INCREMENTS, META, PEERS, SNAPSHOTS,
    SYNC_STATES, meta_keys,
};

/// What went wrong in the store.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error(
        "the store at {path} is in use by another process (is another balai or balai-server running on it?)"
    )]
    Locked { path: String },
    #[error("storage error: {0}")]
    Db(Box<redb::Error>),
    #[error("the store is damaged: {0}")]
    Corrupt(String),
    #[error(
        "the store was written by a newer version of Balai (layout {found}, this build knows {known}); upgrade"
    )]
    NewerLayout { found: u32, known: u32 },
    #[error("document {id} is damaged: {source}")]
    Document {
        id: String,
        source: Box<automerge::AutomergeError>,
    },
    #[error("bad id in store: {0}")]
    Id(#[from] IdError),
}

macro_rules! via_redb_error {
    ($($t:ty),*) => {$(
        impl From<$t> for StoreError {
            fn from(e: $t) -> Self { StoreError::Db(Box::new(e.into())) }
        }
    )*};
}
via_redb_error!(
    redb::Error,
    redb::DatabaseError,
    redb::TransactionError,
    redb::TableError,
    redb::StorageError,
    redb::CommitError
);

/// Fold increments into a fresh snapshot once there are more than this many…
const COMPACT_AFTER_INCREMENTS: u64 = 32;
/// …or once they are bigger than the snapshot itself (and at least this big).
const COMPACT_MIN_BYTES: u64 = 16 * 1024;
/// Loaded documents kept in memory, at most, and their estimated memory at most. Memory grows
/// with these, not with the documents stored.
const CACHE_DOCS: usize = 512;
const CACHE_BYTES: u64 = 256 * 1024 * 1024;
/// redb's own page cache. Its default (1 GiB) let the cache, and the server's RSS, grow with the
/// file: ~1.8 KiB per document stored. The OS page cache still keeps the file's pages.
const DB_CACHE_BYTES: usize = 32 * 1024 * 1024;

/// A Balai store. Cheap to share behind an `Arc`; all methods take `&self`.
pub struct Store {
    db: Database,
    id: StoreId,
    /// Guards every document read and write (see the module docs).
    docs: Mutex<DocCache>,
    /// The actor new local edits are attributed to; `None` on servers, which never edit.
    actor: Option<ActorId>,
    /// Batches committed so far (durably or not); counted under the document lock, so in
    /// commit order.
    committed: AtomicU64,
    /// How many of those are known durable. Its lock is held by the one caller making the
    /// durable commit; the others wait on it and usually find themselves covered.
    durable: Mutex<u64>,
    /// A feed seq every change up to which is on disk (a lower bound: commits are visible to
    /// readers before they are durable, see [`Store::batch`]).
    durable_seq: AtomicU64,
    /// The feed epoch this process writes in; 0 until its first change (see [`tables::EPOCHS`]).
    epoch: AtomicU64,
}

impl std::fmt::Debug for Store {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Store")
            .field("id", &self.id)
            .finish_non_exhaustive()
    }
}

impl Store {
    /// Open (or create) the store file at `path`.
    pub fn open(path: &Path, actor: Option<ActorId>) -> Result<Self, StoreError> {
        let db = match Database::builder()
            .set_cache_size(DB_CACHE_BYTES)
            .create(path)
        {
            Ok(db) => db,
            Err(redb::DatabaseError::DatabaseAlreadyOpen) => {
                return Err(StoreError::Locked {
                    path: path.display().to_string(),
                });
            }
            Err(e) => return Err(e.into()),
        };
        Self::init(db, actor)
    }

    /// A store that lives only in memory: for tests and simulations.
    pub fn in_memory(actor: Option<ActorId>) -> Result<Self, StoreError> {
        let db = Database::builder()
            .create_with_backend(redb::backends::InMemoryBackend::new())
            .map_err(StoreError::from)?;
        Self::init(db, actor)
    }

    fn init(db: Database, actor: Option<ActorId>) -> Result<Self, StoreError> {
        let tx = db.begin_write()?;
        let mut migrate_from = None;
        let id = {
            let mut meta = tx.open_table(META)?;
            let found = meta
                .get(meta_keys::LAYOUT)?
                .map(|layout| {
                    layout
                        .value()
                        .try_into()
                        .map(u32::from_be_bytes)
                        .map_err(|_| StoreError::Corrupt("layout version".into()))
                })
                .transpose()?;
            match found {
                Some(found) if found > tables::LAYOUT_VERSION => {
                    return Err(StoreError::NewerLayout {
                        found,
                        known: tables::LAYOUT_VERSION,
                    });
                }
                Some(found) if found == tables::LAYOUT_VERSION => {}
                older => {
                    migrate_from = older;
                    meta.insert(
                        meta_keys::LAYOUT,
                        tables::LAYOUT_VERSION.to_be_bytes().as_slice(),
                    )?;
                }
            }
            let existing = meta.get(meta_keys::STORE_ID)?.map(|v| v.value().to_vec());
            match existing {
                Some(bytes) => StoreId::from_slice(&bytes)?,
                None => {
                    let id = StoreId::random();
                    meta.insert(meta_keys::STORE_ID, id.as_bytes().as_slice())?;
                    id
                }
            }
        };
        // Create every table up front so read transactions never meet a missing one.
        tx.open_table(DOCS)?;
        tx.open_table(SNAPSHOTS)?;
        tx.open_table(INCREMENTS)?;
        tx.open_table(FEED)?;
        tx.open_table(FEED_BY_REGION)?;
        tx.open_table(PEERS)?;
        tx.open_table(SYNC_STATES)?;
        tx.open_table(EPOCHS)?;
        tx.open_table(EPOCHS_BY_SEQ)?;
        if migrate_from == Some(1) {
            index_feed_by_region(&tx)?;
        }
        tx.commit()?;
        // Everything a store holds when it opens is on disk.
        let last = {
            let tx = db.begin_read()?;
            read_last_seq(&tx.open_table(META)?)?
        };
        Ok(Self {
            db,
            id,
            docs: Mutex::new(DocCache::new(CACHE_DOCS, CACHE_BYTES)),
            actor,
            committed: AtomicU64::new(0),
            durable: Mutex::new(0),
            durable_seq: AtomicU64::new(last),
            epoch: AtomicU64::new(0),
        })
    }

    /// This store's identity.
    pub fn id(&self) -> StoreId {
        self.id
    }

    fn lock(&self) -> MutexGuard<'_, DocCache> {
        // A panic while holding the lock cannot leave redb half-written (the transaction is
        // dropped, i.e. aborted), and the cache is cleared below, so the poison carries no risk.
        self.docs.lock().unwrap_or_else(|poisoned| {
            let mut guard = poisoned.into_inner();
            guard.clear();
            guard
        })
    }

    /// The last seq handed out by this store's change feed (0 = nothing yet).
    pub fn last_seq(&self) -> Result<u64, StoreError> {
        let tx = self.db.begin_read()?;
        let meta = tx.open_table(META)?;
        read_last_seq(&meta)
    }

    /// The feed epoch the feed is in now: the one this process writes in, once it has written;
    /// before that, the latest one (every seq handed out so far belongs to it or an earlier
    /// one). 0 for a store that has no epoch yet.
    pub fn feed_epoch(&self) -> Result<u64, StoreError> {
        let current = self.epoch.load(Ordering::SeqCst);
        if current != 0 {
            return Ok(current);
        }
        let tx = self.db.begin_read()?;
        let by_seq = tx.open_table(EPOCHS_BY_SEQ)?;
        Ok(by_seq.last()?.map_or(0, |(_, id)| id.value()))
    }

    /// Whether "every change up to `seq`, as the feed was in `epoch`" still describes this
    /// feed: `epoch` is one of this store's (or 0, the feed before epochs) and no later epoch
    /// began at or below `seq`, and `seq` was handed out. A peer's checkpoint that fails this
    /// counts in seqs this store has lost (restored from a backup, or a crash dropped its last
    /// commits) and may have handed to other changes since.
    pub fn feed_position_valid(&self, epoch: u64, seq: u64) -> Result<bool, StoreError> {
        if seq == 0 {
            return Ok(true);
        }
        let tx = self.db.begin_read()?;
        if seq > read_last_seq(&tx.open_table(META)?)? {
            return Ok(false);
        }
        let by_seq = tx.open_table(EPOCHS_BY_SEQ)?;
        let first = if epoch == 0 {
            0
        } else {
            match tx.open_table(EPOCHS)?.get(epoch)? {
                Some(first) => first.value(),
                None => return Ok(false),
            }
        };
        let next = by_seq
            .range(first.saturating_add(1)..)?
            .next()
            .transpose()?
            .map(|(start, _)| start.value());
        Ok(next.is_none_or(|next| seq < next))
    }

    /// How many documents the store holds.
    pub fn doc_count(&self) -> Result<u64, StoreError> {
        let tx = self.db.begin_read()?;
        Ok(tx.open_table(DOCS)?.len()?)
    }

    /// Every document id with its record, in id order.
    pub fn docs(&self) -> Result<Vec<(DocId, DocRecord)>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(DOCS)?;
        let mut out = Vec::new();
        for entry in table.iter()? {
            let (k, v) = entry?;
            out.push((
                k.value().parse()?,
                decode::<DocRecord>(v.value(), "doc record")?,
            ));
        }
        Ok(out)
    }

    /// The record of one document, if the store has it.
    pub fn doc_record(&self, id: &DocId) -> Result<Option<DocRecord>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(DOCS)?;
        let key = id.to_string();
        table
            .get(key.as_str())?
            .map(|v| decode(v.value(), "doc record"))
            .transpose()
    }

    /// Up to `limit` feed entries with seq greater than `since`, in seq order.
    pub fn changes_since(&self, since: u64, limit: usize) -> Result<Vec<(u64, DocId)>, StoreError> {
        let tx = self.db.begin_read()?;
        let feed = tx.open_table(FEED)?;
        let mut out = Vec::new();
        for entry in feed.range(since.saturating_add(1)..)? {
            if out.len() >= limit {
                break;
            }
            let (seq, id) = entry?;
            out.push((seq.value(), id.value().parse()?));
        }
        Ok(out)
    }

    /// Up to `limit` feed entries with seq greater than `since` of documents in `region`, in seq
    /// order. Reads only that region's entries.
    pub fn changes_in(
        &self,
        region: &crate::region::RegionPrefix,
        since: u64,
        limit: usize,
    ) -> Result<Vec<(u64, DocId)>, StoreError> {
        let tx = self.db.begin_read()?;
        let index = tx.open_table(FEED_BY_REGION)?;
        let prefix = region.as_str();
        let mut out = Vec::new();
        for entry in index.range((prefix, since.saturating_add(1))..=(prefix, u64::MAX))? {
            if out.len() >= limit {
                break;
            }
            let (key, id) = entry?;
            out.push((key.value().1, id.value().parse()?));
        }
        Ok(out)
    }

    /// What this store knows about `peer` (defaults for a peer never seen).
    pub fn peer(&self, peer: &StoreId) -> Result<PeerRecord, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(PEERS)?;
        Ok(match table.get(peer.as_bytes().as_slice())? {
            Some(v) => decode(v.value(), "peer record")?,
            None => PeerRecord::default(),
        })
    }

    /// Every peer this store has synced with.
    pub fn peers(&self) -> Result<Vec<(StoreId, PeerRecord)>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(PEERS)?;
        let mut out = Vec::new();
        for entry in table.iter()? {
            let (k, v) = entry?;
            out.push((
                StoreId::from_slice(k.value())?,
                decode(v.value(), "peer record")?,
            ));
        }
        Ok(out)
    }

    /// The persisted sync state with `peer` for one document: the heads both are known to share.
    pub fn shared_heads(
        &self,
        peer: &StoreId,
        doc: &DocId,
    ) -> Result<Option<Vec<ChangeHash>>, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(SYNC_STATES)?;
        let key = doc.to_string();
        let Some(v) = table.get((peer.as_bytes().as_slice(), key.as_str()))? else {
            return Ok(None);
        };
        let state = automerge::sync::State::decode(v.value())
            .map_err(|e| StoreError::Corrupt(format!("sync state of {doc}: {e}")))?;
        Ok(Some(state.shared_heads))
    }

    /// The persisted sync state with `peer` for a document (a fresh one if none).
    pub fn sync_state(
        &self,
        peer: &StoreId,
        doc: &DocId,
    ) -> Result<automerge::sync::State, StoreError> {
        let tx = self.db.begin_read()?;
        let table = tx.open_table(SYNC_STATES)?;
        read_sync_state(&table, peer, doc)
    }

    /// Read a document (a clone of it, so the caller holds no lock).
    pub fn load(&self, id: &DocId) -> Result<Option<Automerge>, StoreError> {
        let mut cache = self.lock();
        let tx = self.db.begin_read()?;
        Ok(cache
            .get_or_load(id, &self.actor, |key| load_from(&tx, key))?
            .map(|d| d.clone()))
    }

    /// Feed entries with seq greater than `since` and at most [`Store::durable_seq`], each with
    /// its document as of one read transaction, read straight from the disk: neither the
    /// document cache nor its lock is touched, so a bulk reader (the analytics sink) never evicts
    /// the sessions' working set or makes them wait. A document's seq is that of its latest
    /// change, so every document appears once, at the version its seq names. Stops after `limit`
    /// entries or once the documents read take `max_bytes` stored (always at least one entry). A
    /// document that cannot be loaded comes as [`FeedDoc::damaged`], not as an error, so one bad
    /// document never stops a reader at it.
    pub fn read_feed(
        &self,
        since: u64,
        limit: usize,
        max_bytes: u64,
    ) -> Result<Vec<FeedDoc>, StoreError> {
        let durable = self.durable_seq();
        let tx = self.db.begin_read()?;
        let feed = tx.open_table(FEED)?;
        let snapshots = tx.open_table(SNAPSHOTS)?;
        let increments = tx.open_table(INCREMENTS)?;
        let mut out = Vec::new();
        let mut bytes = 0u64;
        for entry in feed.range(since.saturating_add(1)..=durable)? {
            if out.len() >= limit || (bytes >= max_bytes && !out.is_empty()) {
                break;
            }
            let (seq, key) = entry?;
            let key = key.value();
            // automerge panics on some malformed documents (fuzz/regressions).
            let loaded = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                assemble(key, &snapshots, &increments)
            }));
            let (doc, damaged) = match loaded {
                Ok(Ok(Some((doc, stored)))) => {
                    bytes += stored;
                    (Some(doc), None)
                }
                Ok(Ok(None)) => (None, None),
                Ok(Err(e)) => (None, Some(e.to_string())),
                Err(_) => (None, Some("automerge panicked loading it".to_owned())),
            };
            out.push(FeedDoc {
                seq: seq.value(),
                id: key.parse()?,
                doc,
                damaged,
            });
        }
        Ok(out)
    }

    /// A document's bytes as stored: its snapshot followed by its increments, which
    /// `Automerge::load` reads as one document. Read without the store lock or the document
    /// cache: sending a document to a peer that has none of it needs no load. `None` if absent.
    pub fn stored_bytes(&self, id: &DocId) -> Result<Option<Vec<u8>>, StoreError> {
        let tx = self.db.begin_read()?;
        stored_bytes_in(&tx, &id.to_string())
    }

    /// [`Store::stored_bytes`], if our persisted sync state with `peer` shares no heads with it
    /// (none, or an empty one): what a whole-document offer sends, decided and read in one
    /// transaction, so a state written since the offer was queued is seen.
    pub fn stored_bytes_unshared(
        &self,
        peer: &StoreId,
        id: &DocId,
    ) -> Result<Option<Vec<u8>>, StoreError> {
        let tx = self.db.begin_read()?;
        let states = tx.open_table(SYNC_STATES)?;
        if !read_sync_state(&states, peer, id)?.shared_heads.is_empty() {
            return Ok(None);
        }
        stored_bytes_in(&tx, &id.to_string())
    }

    /// Run `f` over a document under the store lock, without copying it. `None` if absent.
    pub fn with_doc<T>(
        &self,
        id: &DocId,
        f: impl FnOnce(&Automerge) -> T,
    ) -> Result<Option<T>, StoreError> {
        let mut cache = self.lock();
        let tx = self.db.begin_read()?;
        Ok(cache
            .get_or_load(id, &self.actor, |key| load_from(&tx, key))?
            .map(|d| f(d)))
    }

    /// Run `f` over a write batch and commit it durably. If `f` fails, nothing is written.
    pub fn batch<T, E>(&self, f: impl FnOnce(&mut Batch<'_>) -> Result<T, E>) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        let (value, ticket) = {
            let mut cache = self.lock();
            let mut tx = self.db.begin_write().map_err(StoreError::from)?;
            // Durable below, in `make_durable`, outside the lock.
            tx.set_durability(Durability::None)
                .map_err(|e| StoreError::from(redb::Error::from(e)))?;
            let mut batch = Batch {
                tx,
                cache: &mut cache,
                actor: &self.actor,
                epoch: &self.epoch,
                touched: BTreeMap::new(),
                verbatim: BTreeMap::new(),
            };
            match f(&mut batch) {
                Ok(value) => {
                    batch.commit()?;
                    (value, self.committed.fetch_add(1, Ordering::SeqCst) + 1)
                }
                Err(e) => {
                    batch.abort();
                    return Err(e);
                }
            }
        };
        self.make_durable(ticket)?;
        Ok(value)
    }

    /// Return once the batch with this ticket is on disk: either a durable commit made since
    /// covered it, or this caller makes one that covers every batch committed so far.
    fn make_durable(&self, ticket: u64) -> Result<(), StoreError> {
        let mut durable = self.durable.lock().unwrap_or_else(PoisonError::into_inner);
        if *durable >= ticket {
            return Ok(());
        }
        let upto = self.committed.load(Ordering::SeqCst);
        // What readers can see now was committed before the write below begins, so that commit
        // makes it durable too.
        let visible = self.last_seq()?;
        // An empty transaction committed with immediate durability persists every non-durable
        // commit before it.
        self.db.begin_write()?.commit()?;
        *durable = upto;
        self.durable_seq.fetch_max(visible, Ordering::SeqCst);
        Ok(())
    }

    /// A feed seq every change up to which is on disk. Readers of the feed who pass changes on
    /// to a system that outlives this process (the analytics sink) stop there: a change past it
    /// may still be lost in a crash, and its seq handed to another change.
    pub fn durable_seq(&self) -> u64 {
        self.durable_seq.load(Ordering::SeqCst)
    }

    /// Create or edit one document locally, as one durable batch.
    pub fn edit<T, E>(
        &self,
        id: &DocId,
        f: impl FnOnce(&mut Automerge) -> Result<T, E>,
    ) -> Result<T, E>
    where
        E: From<StoreError>,
    {
        self.batch(|b| {
            let doc = b.doc_mut(id)?;
            f(doc)
        })
    }

    /// Delete one document from this store, durably, in one batch (see [`Batch::remove`]).
    /// Whether the store had it.
    pub fn remove(&self, id: &DocId) -> Result<bool, StoreError> {
        self.batch(|b| b.remove(id))
    }
}

/// A feed entry and its document, as [`Store::read_feed`] gives them.
#[derive(Debug)]
pub struct FeedDoc {
    pub seq: u64,
    pub id: DocId,
    /// `None`: removed since, or damaged.
    pub doc: Option<Automerge>,
    /// Why the stored document could not be loaded.
    pub damaged: Option<String>,
}

/// One write transaction over documents, sync states and checkpoints. Document changes are
/// written as increments (with a new feed seq per changed document) when the batch commits.
pub struct Batch<'s> {
    tx: redb::WriteTransaction,
    cache: &'s mut DocCache,
    actor: &'s Option<ActorId>,
    epoch: &'s AtomicU64,
    /// New documents to store as the bytes they came in, if they still have these heads at commit.
    verbatim: BTreeMap<DocId, (Vec<ChangeHash>, Vec<u8>)>,
    /// Documents handed out mutably in this batch → their heads before.
    touched: BTreeMap<DocId, Vec<ChangeHash>>,
}

impl std::fmt::Debug for Batch<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Batch")
            .field("touched", &self.touched.len())
            .finish_non_exhaustive()
    }
}

impl Batch<'_> {
    /// A document to read, if the store has it.
    pub fn doc(&mut self, id: &DocId) -> Result<Option<&Automerge>, StoreError> {
        let tx = &self.tx;
        Ok(self
            .cache
            .get_or_load(id, self.actor, |key| load_from_write(tx, key))?
            .map(|d| &*d))
    }

    /// A document to change; an empty one if the store does not have it yet.
    pub fn doc_mut(&mut self, id: &DocId) -> Result<&mut Automerge, StoreError> {
        let tx = &self.tx;
        let actor = self.actor;
        if self
            .cache
            .get_or_load(id, actor, |key| load_from_write(tx, key))?
            .is_none()
        {
            let mut doc = Automerge::new();
            if let Some(a) = actor {
                doc.set_actor(a.clone());
            }
            self.cache.insert(id.clone(), doc, 0);
        }
        self.cache.pin(id);
        let doc = self
            .cache
            .get_mut(id)
            .ok_or_else(|| StoreError::Corrupt(format!("document {id} vanished from the cache")))?;
        self.touched
            .entry(id.clone())
            .or_insert_with(|| doc.get_heads());
        Ok(doc)
    }

    /// Store a document new to this store as `bytes` (what it was loaded from) instead of saving
    /// it again, provided it still has `heads` when the batch commits.
    pub fn keep_verbatim(&mut self, id: &DocId, heads: Vec<ChangeHash>, bytes: Vec<u8>) {
        self.verbatim.insert(id.clone(), (heads, bytes));
    }

    /// Persist the sync state with `peer` for a document.
    pub fn put_sync_state(
        &mut self,
        peer: &StoreId,
        doc: &DocId,
        state: &automerge::sync::State,
    ) -> Result<(), StoreError> {
        let mut table = self.tx.open_table(SYNC_STATES)?;
        let key = doc.to_string();
        table.insert(
            (peer.as_bytes().as_slice(), key.as_str()),
            state.encode().as_slice(),
        )?;
        Ok(())
    }

    /// Drop the record of `peer` (checkpoint, acked, names); the record there was, if any.
    pub fn remove_peer(&mut self, peer: &StoreId) -> Result<Option<PeerRecord>, StoreError> {
        let mut peers = self.tx.open_table(PEERS)?;
        let removed = peers.remove(peer.as_bytes().as_slice())?;
        removed
            .map(|v| decode(v.value(), "peer record"))
            .transpose()
    }

    /// Drop every sync state with `peer`, so each document is re-diffed from scratch with it
    /// (the peer lost what they claimed it shares). How many there were.
    pub fn forget_sync_states(&mut self, peer: &StoreId) -> Result<u64, StoreError> {
        let mut states = self.tx.open_table(SYNC_STATES)?;
        let key = peer.as_bytes();
        let mut doomed = Vec::new();
        for entry in states.range((key.as_slice(), "")..)? {
            let (k, _) = entry?;
            let (p, doc) = k.value();
            if p != key.as_slice() {
                break;
            }
            doomed.push(doc.to_owned());
        }
        for doc in &doomed {
            states.remove((key.as_slice(), doc.as_str()))?;
        }
        Ok(doomed.len() as u64)
    }

    /// Load the persisted sync state with `peer` for a document (a fresh one if none).
    pub fn sync_state(
        &mut self,
        peer: &StoreId,
        doc: &DocId,
    ) -> Result<automerge::sync::State, StoreError> {
        let table = self.tx.open_table(SYNC_STATES)?;
        read_sync_state(&table, peer, doc)
    }

    /// The record of one document, as of this batch (changes made in the batch not yet counted).
    pub fn doc_record(&self, id: &DocId) -> Result<Option<DocRecord>, StoreError> {
        let table = self.tx.open_table(DOCS)?;
        let key = id.to_string();
        table
            .get(key.as_str())?
            .map(|v| decode(v.value(), "doc record"))
            .transpose()
    }

    /// Update what this store knows about a peer.
    pub fn update_peer(
        &mut self,
        peer: &StoreId,
        f: impl FnOnce(&mut PeerRecord),
    ) -> Result<(), StoreError> {
        let mut table = self.tx.open_table(PEERS)?;
        let mut record = match table.get(peer.as_bytes().as_slice())? {
            Some(v) => decode(v.value(), "peer record")?,
            None => PeerRecord::default(),
        };
        f(&mut record);
        table.insert(
            peer.as_bytes().as_slice(),
            record.encode_to_vec().as_slice(),
        )?;
        Ok(())
    }

    /// Delete a document from this store: its record, snapshot and increments, its feed entry
    /// and its four region-index entries, and the sync state of every peer for it; and drop it
    /// from the document cache. Whether the store had it. Changes made to it earlier in this
    /// batch are dropped with it.
    ///
    /// Only the local copy goes: peers that hold the document keep it, and since the sync
    /// states go too, a later session treats the document as one this store never had. Other
    /// documents and the feed's other entries are untouched (seqs are never reused).
    pub fn remove(&mut self, id: &DocId) -> Result<bool, StoreError> {
        // Whatever happens to the transaction, the cache must not keep the document: it is
        // either gone from disk or reloaded from it on the next read.
        self.cache.remove(id);
        self.touched.remove(id);
        let key = id.to_string();
        let record = {
            let mut docs = self.tx.open_table(DOCS)?;
            let Some(bytes) = docs.remove(key.as_str())? else {
                return Ok(false);
            };
            decode::<DocRecord>(bytes.value(), "doc record")?
        };
        self.tx.open_table(SNAPSHOTS)?.remove(key.as_str())?;
        {
            let mut increments = self.tx.open_table(INCREMENTS)?;
            let numbers: Vec<u64> = increments
                .range((key.as_str(), 0)..=(key.as_str(), u64::MAX))?
                .map(|e| e.map(|(k, _)| k.value().1))
                .collect::<Result<_, _>>()?;
            for n in numbers {
                increments.remove((key.as_str(), n))?;
            }
        }
        if record.seq != 0 {
            self.tx.open_table(FEED)?.remove(record.seq)?;
            let mut by_region = self.tx.open_table(FEED_BY_REGION)?;
            for region in region_keys(id.village()) {
                by_region.remove((region, record.seq))?;
            }
        }
        // Sync states are keyed by (peer, document), and every peer with one has a peer record:
        // the engine writes both in the batch that receives the peer's messages.
        let peers: Vec<Vec<u8>> = self
            .tx
            .open_table(PEERS)?
            .iter()?
            .map(|e| e.map(|(k, _)| k.value().to_vec()))
            .collect::<Result<_, _>>()?;
        let mut states = self.tx.open_table(SYNC_STATES)?;
        for peer in &peers {
            states.remove((peer.as_slice(), key.as_str()))?;
        }
        Ok(true)
    }

    fn commit(self) -> Result<(), StoreError> {
        let Batch {
            tx,
            cache,
            touched,
            epoch,
            verbatim,
            ..
        } = self;
        let mut began = None;
        let result = write_changes(
            &tx,
            cache,
            &touched,
            &verbatim,
            epoch.load(Ordering::SeqCst),
            &mut began,
        )
        .and_then(|()| Ok(tx.commit()?));
        if let (Ok(()), Some(id)) = (&result, began) {
            epoch.store(id, Ordering::SeqCst);
        }
        cache.unpin_all();
        // A document that received nothing (an offer we answered with "I have none") was never
        // written: do not let the cache pretend the store has it.
        for (id, before) in &touched {
            if before.is_empty() && cache.get_mut(id).is_some_and(|d| d.get_heads().is_empty()) {
                cache.remove(id);
            }
        }
        if result.is_err() {
            // The cache holds changes that did not reach the disk: drop them, reload next time.
            for id in touched.keys() {
                cache.remove(id);
            }
        }
        result
    }

    fn abort(self) {
        self.cache.unpin_all();
        for id in self.touched.keys() {
            self.cache.remove(id);
        }
        // Dropping the transaction aborts it.
    }
}

/// Write an increment, a new feed seq and a new record for every touched document whose heads
/// moved; compact the ones whose increments grew too big.
fn write_changes(
    tx: &redb::WriteTransaction,
    cache: &mut DocCache,
    touched: &BTreeMap<DocId, Vec<ChangeHash>>,
    verbatim: &BTreeMap<DocId, (Vec<ChangeHash>, Vec<u8>)>,
    epoch: u64,
    began: &mut Option<u64>,
) -> Result<(), StoreError> {
    let mut meta = tx.open_table(META)?;
    let mut docs = tx.open_table(DOCS)?;
    let mut snapshots = tx.open_table(SNAPSHOTS)?;
    let mut increments = tx.open_table(INCREMENTS)?;
    let mut feed = tx.open_table(FEED)?;
    let mut by_region = tx.open_table(FEED_BY_REGION)?;
    let mut last_seq = read_last_seq(&meta)?;
    for (id, before) in touched {
        let Some(doc) = cache.get_mut(id) else {
            return Err(StoreError::Corrupt(format!(
                "document {id} vanished from the cache"
            )));
        };
        let heads = doc.get_heads();
        if &heads == before {
            continue;
        }
        let key = id.to_string();
        let mut record = match docs.get(key.as_str())? {
            Some(v) => decode::<DocRecord>(v.value(), "doc record")?,
            None => DocRecord::default(),
        };
        let regions = region_keys(id.village());
        if record.seq != 0 {
            feed.remove(record.seq)?;
            for region in &regions {
                by_region.remove((*region, record.seq))?;
            }
        }
        last_seq += 1;
        if epoch == 0 && began.is_none() {
            // This process's first change: it opens a new epoch (see `tables::EPOCHS`).
            let mut epochs = tx.open_table(EPOCHS)?;
            let id = loop {
                let id: u64 = rand::random();
                if id != 0 && epochs.get(id)?.is_none() {
                    break id;
                }
            };
            epochs.insert(id, last_seq)?;
            tx.open_table(EPOCHS_BY_SEQ)?.insert(last_seq, id)?;
            *began = Some(id);
        }
        record.seq = last_seq;
        record.heads = heads.iter().map(|h| h.0.to_vec()).collect();
        feed.insert(last_seq, key.as_str())?;
        for region in &regions {
            by_region.insert((*region, last_seq), key.as_str())?;
        }

        let fresh = record.snapshot_bytes == 0 && record.increments == 0;
        let grown = record.increments >= COMPACT_AFTER_INCREMENTS
            || (record.increment_bytes >= COMPACT_MIN_BYTES
                && record.increment_bytes > record.snapshot_bytes);
        if fresh || grown {
            let snapshot = match verbatim.get(id) {
                Some((at, bytes)) if fresh && *at == heads => bytes.clone(),
                // Uncompressed: automerge deflates each column on its own, which saves about
                // half of a small document but leaves nothing for the wire to compress across
                // documents (a training: 778 B saved, 1,556 B uncompressed; 64 of either
                // zstd-compressed together: 511 vs 262 B each). Whole documents travel as stored.
                _ => doc.save_nocompress(),
            };
            snapshots.insert(key.as_str(), snapshot.as_slice())?;
            let stale: Vec<u64> = increments
                .range((key.as_str(), 0)..=(key.as_str(), u64::MAX))?
                .map(|e| e.map(|(k, _)| k.value().1))
                .collect::<Result<_, _>>()?;
            for n in stale {
                increments.remove((key.as_str(), n))?;
            }
            record.snapshot_bytes = snapshot.len() as u64;
            record.increments = 0;
            record.increment_bytes = 0;
        } else {
            let delta = doc.save_after(before);
            increments.insert((key.as_str(), record.next_increment), delta.as_slice())?;
            record.next_increment += 1;
            record.increments += 1;
            record.increment_bytes += delta.len() as u64;
        }
        docs.insert(key.as_str(), record.encode_to_vec().as_slice())?;
        cache.reweigh(id, record.snapshot_bytes + record.increment_bytes);
    }
    meta.insert(meta_keys::LAST_SEQ, last_seq.to_be_bytes().as_slice())?;
    Ok(())
}

/// The index keys of a village: the village and every region above it.
fn region_keys(village: &crate::region::VillageCode) -> Vec<&str> {
    let code = village.as_str();
    code.match_indices('.')
        .map(|(at, _)| &code[..at])
        .chain([code])
        .collect()
}

/// Layout 1 → 2: index every feed entry by region.
fn index_feed_by_region(tx: &redb::WriteTransaction) -> Result<(), StoreError> {
    let feed = tx.open_table(FEED)?;
    let mut by_region = tx.open_table(FEED_BY_REGION)?;
    for entry in feed.iter()? {
        let (seq, key) = entry?;
        let id: DocId = key.value().parse()?;
        for region in region_keys(id.village()) {
            by_region.insert((region, seq.value()), key.value())?;
        }
    }
    Ok(())
}

fn read_last_seq(
    meta: &impl ReadableTable<&'static str, &'static [u8]>,
) -> Result<u64, StoreError> {
    match meta.get(meta_keys::LAST_SEQ)? {
        Some(v) => Ok(u64::from_be_bytes(
            v.value()
                .try_into()
                .map_err(|_| StoreError::Corrupt("last seq".into()))?,
        )),
        None => Ok(0),
    }
}

/// A document's snapshot followed by its increments, `None` if absent.
fn stored_bytes_in(tx: &redb::ReadTransaction, key: &str) -> Result<Option<Vec<u8>>, StoreError> {
    let Some(snapshot) = tx.open_table(SNAPSHOTS)?.get(key)? else {
        return Ok(None);
    };
    let mut bytes = snapshot.value().to_vec();
    let increments = tx.open_table(INCREMENTS)?;
    for entry in increments.range((key, 0)..=(key, u64::MAX))? {
        let (_, increment) = entry?;
        bytes.extend_from_slice(increment.value());
    }
    Ok(Some(bytes))
}

fn read_sync_state(
    table: &impl ReadableTable<(&'static [u8], &'static str), &'static [u8]>,
    peer: &StoreId,
    doc: &DocId,
) -> Result<automerge::sync::State, StoreError> {
    let key = doc.to_string();
    match table.get((peer.as_bytes().as_slice(), key.as_str()))? {
        Some(v) => automerge::sync::State::decode(v.value())
            .map_err(|e| StoreError::Corrupt(format!("sync state of {doc}: {e}"))),
        None => Ok(automerge::sync::State::new()),
    }
}

fn decode<M: Message + Default>(bytes: &[u8], what: &str) -> Result<M, StoreError> {
    M::decode(bytes).map_err(|e| StoreError::Corrupt(format!("{what}: {e}")))
}

fn load_from(
    tx: &redb::ReadTransaction,
    key: &str,
) -> Result<Option<(Automerge, u64)>, StoreError> {
    assemble(key, &tx.open_table(SNAPSHOTS)?, &tx.open_table(INCREMENTS)?)
}

fn load_from_write(
    tx: &redb::WriteTransaction,
    key: &str,
) -> Result<Option<(Automerge, u64)>, StoreError> {
    assemble(key, &tx.open_table(SNAPSHOTS)?, &tx.open_table(INCREMENTS)?)
}

/// Snapshot plus increments, in order.
fn assemble(
    key: &str,
    snapshots: &impl ReadableTable<&'static str, &'static [u8]>,
    increments: &impl ReadableTable<(&'static str, u64), &'static [u8]>,
) -> Result<Option<(Automerge, u64)>, StoreError> {
    let Some(snapshot) = snapshots.get(key)? else {
        return Ok(None);
    };
    let damaged = |source: automerge::AutomergeError| StoreError::Document {
        id: key.to_owned(),
        source: Box::new(source),
    };
    let mut doc = Automerge::load(snapshot.value()).map_err(damaged)?;
    let mut stored = snapshot.value().len() as u64;
    for entry in increments.range((key, 0)..=(key, u64::MAX))? {
        let (_, bytes) = entry?;
        stored += bytes.value().len() as u64;
        doc.load_incremental(bytes.value()).map_err(damaged)?;
    }
    Ok(Some((doc, stored)))
}

#[cfg(test)]
mod tests;
