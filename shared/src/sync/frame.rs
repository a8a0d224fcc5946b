//! The frames a sync session exchanges, as core types (the wire encoding lives in `crate::proto`).

use automerge::ChangeHash;

use crate::ids::{DocId, StoreId};

/// Protocol version spoken by this build. A peer with another version is refused with a clear
/// message rather than misread.
/// - 2: frames are stamped ([`Envelope`]), offers carry their heads, every offer is answered,
///   `Hello` carries feed epochs.
/// - 3: frames travel in batches (`SyncFrames`, one `Frames` per gRPC message, zstd), and whole
///   documents are stored and sent uncompressed so that the batch compresses across them.
pub const PROTOCOL_VERSION: u32 = 3;

/// The most heads an offer may announce (automerge documents have one head, or a few after
/// concurrent edits).
pub const MAX_OFFER_HEADS: usize = 256;

/// A frame as it travels: stamped with the sender's session nonce (chosen at random when the
/// session starts, the same on every frame it sends) and its number in the sender's stream (the
/// `Hello` is 1). The receiver refuses a frame whose nonce is not the one on the peer's `Hello`
/// (a frame of another session, replayed) or whose number is not the next one (duplicated,
/// dropped or reordered), before anything in it is used.
#[derive(Clone, Debug, PartialEq)]
pub struct Envelope {
    pub session: u64,
    pub number: u64,
    pub frame: Frame,
}

/// Stamps frames for one session as [`Envelope`]s, numbering from 1: what a session does for its
/// own frames, for callers that write frames by hand (tests, hostile clients, the fuzz harness).
#[derive(Clone, Debug)]
pub struct Stamper {
    pub session: u64,
    next: u64,
}

impl Stamper {
    pub fn new(session: u64) -> Self {
        Self { session, next: 1 }
    }

    pub fn stamp(&mut self, frame: Frame) -> Envelope {
        let number = self.next;
        self.next += 1;
        Envelope {
            session: self.session,
            number,
            frame,
        }
    }

    pub fn stamp_all(&mut self, frames: impl IntoIterator<Item = Frame>) -> Vec<Envelope> {
        frames.into_iter().map(|f| self.stamp(f)).collect()
    }
}

/// One unit of a sync session, in either direction.
#[derive(Clone, Debug, PartialEq)]
pub enum Frame {
    /// First frame from each side.
    Hello(Hello),
    /// An automerge sync message for one document.
    Doc(DocMessage),
    /// The sender has offered every document it is going to offer in this session. `upto` is the
    /// sender's feed position the offers covered: once every offered document is complete, the
    /// receiver may checkpoint the sender at `upto`.
    OffersEnd { upto: u64 },
    /// From the initiator: "I have processed the first `received` frames you sent and have nothing
    /// more to say". The responder ends the session if it has sent nothing since.
    Done { received: u64 },
    /// From the responder: the session is complete; both sides are in sync. `checkpoint` is the
    /// responder's checkpoint of the initiator's feed, where the initiator's next offers start.
    Complete { checkpoint: u64 },
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Hello {
    pub protocol: u32,
    /// The sender's store.
    pub store_id: StoreId,
    /// A human-readable name (device or server name), for logs and status.
    pub name: String,
    /// The store the sender believes it is talking to; `since` counts in that store's feed.
    pub your_id: Option<StoreId>,
    /// The sender's checkpoint of the receiver's feed: it has every change up to this seq.
    pub since: u64,
    /// The receiver's feed epoch `since` was learned in (0: before epochs, or never told). The
    /// receiver honours `since` only if that epoch's part of its feed still reaches `since`: a
    /// store restored from a backup, or one that lost a crash's last commits, has handed the same
    /// seqs to other changes since (see [`crate::store::Store::feed_epoch`]).
    pub since_epoch: u64,
    /// The sender's current feed epoch, for the receiver to keep beside its checkpoint.
    pub epoch: u64,
    /// The sender lowered its checkpoint of the receiver on purpose (an admin's resync or
    /// rescope, a widened scope): the receiver must not take it for a restore from a backup.
    pub reset: bool,
    /// Where the sender's offers start in its own feed (the receiver's checkpoint of it, as
    /// last reported). Lets the initiator offer in its first flight, without waiting for a reply.
    pub offering_from: u64,
    /// The region prefixes the sender exchanges in this session (a responder: the initiator's
    /// grant). Empty: no limit announced.
    pub scopes: Vec<crate::region::RegionPrefix>,
}

impl Hello {
    /// The `Hello` of a store that knows nothing of the receiver yet (no checkpoint, no
    /// epochs, no scopes): what a first sync, or a client written by hand, starts with.
    pub fn first(store_id: StoreId, name: impl Into<String>) -> Self {
        Hello {
            protocol: PROTOCOL_VERSION,
            store_id,
            name: name.into(),
            your_id: None,
            since: 0,
            since_epoch: 0,
            epoch: 0,
            reset: false,
            offering_from: 0,
            scopes: Vec::new(),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocMessage {
    pub doc_id: DocId,
    /// Non-zero when this message *offers* the document: the sender's feed seq for it.
    pub offer_seq: u64,
    /// An offer's heads: the document as the sender holds it at `offer_seq`. The offer is
    /// complete at the receiver once it holds every one of them. Empty on replies.
    pub heads: Vec<ChangeHash>,
    /// An encoded automerge sync message; empty when the sender has nothing to say for the
    /// document (an offer whose heads the sender believes the receiver may hold, or the answer to
    /// an offer when the receiver has nothing to ask). With `whole`, the document itself.
    pub sync: Vec<u8>,
    /// Offers only: `sync` is the whole document as the sender stores it (an automerge save,
    /// possibly followed by incremental chunks: what `Automerge::load` reads), sent when the
    /// sender's sync state says the receiver has none of it. The receiver loads it once, checks
    /// it reaches the offer's heads, and (if it had no copy) stores the bytes as they came.
    pub whole: bool,
}

impl Frame {
    /// Bytes of document data this frame carries (for counters; framing overhead excluded).
    pub fn payload_len(&self) -> usize {
        match self {
            Frame::Doc(d) => d.sync.len(),
            _ => 0,
        }
    }
}
