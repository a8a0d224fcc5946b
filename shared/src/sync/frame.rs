//! The frames a sync session exchanges, as core types (the wire encoding lives in `crate::proto`).

use crate::ids::{DocId, StoreId};

/// Protocol version spoken by this build. A peer with another version is refused with a clear
/// message rather than misread.
pub const PROTOCOL_VERSION: u32 = 1;

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
    /// Where the sender's offers start in its own feed (the receiver's checkpoint of it, as
    /// last reported). Lets the initiator offer in its first flight, without waiting for a reply.
    pub offering_from: u64,
    /// The region prefixes the sender exchanges in this session (a responder: the initiator's
    /// grant). Empty: no limit announced.
    pub scopes: Vec<crate::region::RegionPrefix>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct DocMessage {
    pub doc_id: DocId,
    /// Non-zero when this message *offers* the document: the sender's feed seq for it.
    pub offer_seq: u64,
    /// An encoded automerge sync message.
    pub sync: Vec<u8>,
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
