//! The redb tables of a Balai store: names are versioned, so a layout change is a new table plus
//! a named migration, never a silent reinterpretation of old bytes.

use redb::TableDefinition;

/// Key: a name from [`meta_keys`]. Value: bytes whose meaning the key defines.
pub const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta-1");

/// Key: document id. Value: prost-encoded [`super::records::DocRecord`].
pub const DOCS: TableDefinition<&str, &[u8]> = TableDefinition::new("docs-1");

/// Key: document id. Value: a full automerge save (the compacted snapshot).
pub const SNAPSHOTS: TableDefinition<&str, &[u8]> = TableDefinition::new("snapshots-1");

/// Key: (document id, increment number). Value: automerge changes saved since the snapshot, in
/// order. Folded into the snapshot when they grow (see `Store::COMPACT_*`).
pub const INCREMENTS: TableDefinition<(&str, u64), &[u8]> = TableDefinition::new("increments-1");

/// The change feed. Key: sequence number. Value: the document id that changed at that seq. Each
/// document appears once, at its latest seq (its `DocRecord::seq`).
pub const FEED: TableDefinition<u64, &str> = TableDefinition::new("feed-1");

/// The change feed indexed by region, so a peer scoped to a few regions reads only their entries.
/// Key: (region prefix at every level of the document's village — `18`, `18.01`, `18.01.05`,
/// `18.01.05.2001` —, seq). Value: the document id. Holds exactly the entries of [`FEED`], four
/// times each.
pub const FEED_BY_REGION: TableDefinition<(&str, u64), &str> =
    TableDefinition::new("feed-by-region-1");

/// Key: peer store id (16 bytes). Value: prost-encoded [`super::records::PeerRecord`].
pub const PEERS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("peers-1");

/// Key: (peer store id, document id). Value: automerge `sync::State::encode()` — the heads both
/// sides are known to share, so the next session sends only what is missing.
pub const SYNC_STATES: TableDefinition<(&[u8], &str), &[u8]> =
    TableDefinition::new("sync-states-1");

/// Feed epochs by id. Key: epoch id (random, non-zero). Value: the first seq handed out in it.
/// An epoch begins with the first change a process writes after opening the store, so each run
/// that writes numbers its changes in its own epoch. A store copied back from a backup, or one
/// whose last commits a crash lost, hands out again seqs that peers may have seen: in a new
/// epoch, so a peer's checkpoint "up to seq N of epoch E" can be checked (see
/// `Store::feed_position_valid`). A store without epochs (made before layout 3) is in epoch 0.
pub const EPOCHS: TableDefinition<u64, u64> = TableDefinition::new("feed-epochs-1");

/// The same epochs by first seq. Key: the epoch's first seq. Value: epoch id.
pub const EPOCHS_BY_SEQ: TableDefinition<u64, u64> = TableDefinition::new("feed-epochs-by-seq-1");

/// Keys of [`META`].
pub mod meta_keys {
    /// This store's [`crate::ids::StoreId`], 16 bytes, made once at creation.
    pub const STORE_ID: &str = "store-id";
    /// The last sequence number handed out, u64 big-endian.
    pub const LAST_SEQ: &str = "last-seq";
    /// Layout version, u32 big-endian; see [`super::LAYOUT_VERSION`].
    pub const LAYOUT: &str = "layout";
}

/// The layout version this build writes. Opening a store with a newer one is refused; an older
/// one is migrated when opened (`Store::init`):
/// - 1 → 2: build [`FEED_BY_REGION`] from [`FEED`].
/// - 2 → 3: [`EPOCHS`] and [`EPOCHS_BY_SEQ`], empty (everything before is epoch 0).
pub const LAYOUT_VERSION: u32 = 3;
