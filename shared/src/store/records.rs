//! Records stored as values in the redb tables, encoded with prost so fields can be added later
//! without breaking stores written by older builds.

/// What the store knows about one document without loading it.
#[derive(Clone, PartialEq, prost::Message)]
pub struct DocRecord {
    /// The store's change-feed seq of the document's latest change.
    #[prost(uint64, tag = "1")]
    pub seq: u64,
    /// The automerge heads as of `seq` (32-byte change hashes).
    #[prost(bytes = "vec", repeated, tag = "2")]
    pub heads: Vec<Vec<u8>>,
    /// How many increments sit on top of the snapshot, and their total size.
    #[prost(uint64, tag = "3")]
    pub increments: u64,
    #[prost(uint64, tag = "4")]
    pub increment_bytes: u64,
    /// Size of the snapshot, for the compaction policy.
    #[prost(uint64, tag = "5")]
    pub snapshot_bytes: u64,
    /// Next increment number to write.
    #[prost(uint64, tag = "6")]
    pub next_increment: u64,
}

/// What this store knows about one peer it syncs with.
#[derive(Clone, PartialEq, prost::Message)]
pub struct PeerRecord {
    /// Checkpoint: every change the peer made up to this seq of *its* feed is durable here.
    #[prost(uint64, tag = "1")]
    pub checkpoint: u64,
    /// Unix seconds of the last session with this peer that completed.
    #[prost(int64, tag = "2")]
    pub last_sync_unix: i64,
    /// A human-readable name for the peer, as it introduced itself.
    #[prost(string, tag = "3")]
    pub name: String,
    /// Unix seconds of the last session that failed (0 = none since the last success).
    #[prost(int64, tag = "4")]
    pub last_failure_unix: i64,
    /// The peer's checkpoint of *our* feed, as it last reported: where our next offers start.
    #[prost(uint64, tag = "5")]
    pub acked: u64,
    /// The peer's feed epoch `checkpoint` counts in (its latest `Hello.epoch`), sent back as
    /// `Hello.since_epoch` so the peer can tell whether its feed still reaches `checkpoint`.
    #[prost(uint64, tag = "6")]
    pub checkpoint_epoch: u64,
    /// Our checkpoint of the peer (and perhaps our sync states with it) were lowered on purpose:
    /// an admin's resync or rescope, or a widened scope. Our next `Hello` says so, so the peer
    /// does not take the lower checkpoint for a restore from a backup and forget its own sync
    /// states. Cleared once a session with the peer records a checkpoint again.
    #[prost(bool, tag = "7")]
    pub reset: bool,
}

impl PeerRecord {
    /// Whether we keep anything of the peer beyond a `reset` mark.
    pub fn is_known(&self) -> bool {
        let mut record = self.clone();
        record.reset = false;
        record != PeerRecord::default()
    }
}
