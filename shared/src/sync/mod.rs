//! The sans-io sync engine: frames in, frames out. One [`Session`] syncs every changed document in
//! scope between two stores over one ordered stream, interleaving documents so round trips do not
//! grow with their number. No sockets, no tasks: the server and CLI move the frames; tests move
//! them through a simulated network.
//!
//! Protocol (both sides run the same engine; the initiator is the side that connected):
//! 1. Each side sends `Hello` with its checkpoint of the other's change feed (`since`).
//! 2. Each side offers the documents in its feed after the peer's `since` that the peer may see
//!    and does not already have (per the persisted automerge sync state), at most `window` at a
//!    time, then `OffersEnd`.
//! 3. Every document message is answered with automerge's sync protocol until it has nothing more
//!    to say. Incoming messages are applied and made durable in one batch *before* any reply that
//!    could acknowledge them is produced.
//! 4. Checkpoints advance as offered documents complete (the receiver has all the heads the
//!    offerer announced), so a cut session resumes where it stopped.
//! 5. The initiator says `Done{received}` when it is idle; the responder answers `Complete` when
//!    it has sent nothing the initiator had not yet processed, i.e. both are quiescent.

pub mod frame;
pub mod fuzzing;
pub mod guard;
#[cfg(test)]
mod hostile;
#[cfg(test)]
mod sim;

use std::collections::{BTreeMap, HashMap, HashSet, VecDeque};
use std::sync::Arc;

use automerge::sync::{Message, State, SyncDoc};
use automerge::{Automerge, ChangeHash, ReadDoc};

use crate::ids::{DocId, StoreId};
use crate::region::{RegionPrefix, Scope};
use crate::store::{PeerRecord, Store, StoreError};
pub use frame::{DocMessage, Envelope, Frame, Hello, MAX_OFFER_HEADS, PROTOCOL_VERSION, Stamper};
pub use guard::{DocLimits, MessageError};

/// Why a session failed. Each variant says whose fault it is, so the server can map it to the
/// right status and the CLI to the right advice.
#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error(
        "peer speaks sync protocol {theirs}, this build speaks {PROTOCOL_VERSION}: upgrade the older side"
    )]
    ProtocolVersion { theirs: u32 },
    #[error("protocol violation: {0}")]
    Protocol(String),
    #[error("document {doc} is outside the regions this peer may access ({scope})")]
    OutOfScope { doc: DocId, scope: String },
    #[error("bad sync message for {doc}: {reason}")]
    BadMessage { doc: DocId, reason: String },
    #[error("document {doc} refused: {source}")]
    TooLarge { doc: DocId, source: MessageError },
    #[error("a store cannot sync with itself")]
    SelfSync,
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// Which end of the stream this session is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Role {
    /// Connected to the peer (a device syncing with its server; a server replicating upstream).
    Initiator,
    /// Accepted the connection.
    Responder,
}

/// How a session behaves.
#[derive(Clone, Debug)]
pub struct SessionConfig {
    /// Our name, sent in `Hello`.
    pub name: String,
    /// What the peer may see and write.
    pub scope: Scope,
    /// Documents offered and not yet answered, at most. Bounds memory and keeps a slow peer from
    /// being flooded; large enough that round trips stay flat for thousands of documents.
    pub window: usize,
    /// For the initiator: the peer store it expects (learned on an earlier sync), so its
    /// checkpoint of that peer's feed can be sent in `Hello`.
    pub expected_peer: Option<StoreId>,
    /// How large a document may grow through what the peer sends (checked before applying).
    pub limits: DocLimits,
}

impl SessionConfig {
    pub fn new(name: impl Into<String>) -> Self {
        Self {
            name: name.into(),
            scope: Scope::everything(),
            window: 1024,
            expected_peer: None,
            limits: DocLimits::DEFAULT,
        }
    }
}

/// Counters a session exposes. Tests assert on them; `balai sync` prints them.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SessionStats {
    pub frames_sent: u64,
    pub frames_received: u64,
    /// Bytes of automerge sync messages sent / received.
    pub doc_bytes_sent: u64,
    pub doc_bytes_received: u64,
    /// Documents offered by us / by the peer.
    pub offers_sent: u64,
    pub offers_received: u64,
    /// Documents that carried changes from us to the peer (messages with changes).
    pub docs_sent: u64,
    /// Documents that changed here because of what the peer sent.
    pub docs_received: u64,
    /// Size of the automerge changes sent / received (the documents' own bytes).
    pub change_bytes_sent: u64,
    pub change_bytes_received: u64,
    /// Change-feed entries read to find what to offer: a scoped peer's session reads only its
    /// regions' entries, so this follows the peer's share of the store, not the store.
    pub feed_entries_read: u64,
}

struct PeerInfo {
    id: StoreId,
    name: String,
    /// The regions the peer said it exchanges with us.
    scopes: Vec<RegionPrefix>,
}

/// One sync session with one peer.
pub struct Session {
    store: Arc<Store>,
    role: Role,
    config: SessionConfig,
    peer: Option<PeerInfo>,
    hello_sent: bool,
    /// Our checkpoint of the peer's feed, as persisted.
    checkpoint: u64,

    // Offering side.
    /// The store our offers are computed for (the expected peer, until the peer says hello).
    offer_target: Option<StoreId>,
    /// Where our offers started in our feed.
    offering_from: u64,
    /// Doc frames we have sent; while zero, the peer has nothing to answer.
    doc_frames_sent: u64,
    /// Set when this session cannot cover everything (the peer's checkpoint of us was older than
    /// we believed, or the peer is not the one we expected): run another session right after.
    another_round: bool,
    scan_from: u64,
    scan_upto: u64,
    scan_done: bool,
    /// Documents to offer: seq, id, heads, and whether the peer shares none of it (per our sync
    /// state): then the offer carries the stored document itself.
    queue: VecDeque<(u64, DocId, Vec<ChangeHash>, bool)>,
    /// Offers sent whole, by document, with their heads: an empty answer means the peer now holds
    /// them, which our sync state records without loading the document.
    whole_offers: HashMap<DocId, Vec<ChangeHash>>,
    awaiting_first_reply: HashSet<DocId>,
    offers_end_sent: bool,

    // Receiving side.
    /// Where the peer's offers start in its feed; the checkpoint only moves if this is not past it.
    their_offers_from: u64,
    /// Offers from the peer not yet complete here: their seq → document.
    /// …with the heads each offer announced: complete once we hold all of them.
    pending_offers: BTreeMap<u64, (DocId, Vec<ChangeHash>)>,
    last_offer_seq: u64,
    their_offers_end: Option<u64>,

    states: HashMap<DocId, State>,
    /// Our session nonce (on every frame we send) and the peer's (from its `Hello`).
    nonce: u64,
    peer_nonce: Option<u64>,
    /// The peer's feed epoch, from its `Hello`: kept with our checkpoint of it.
    peer_epoch: u64,
    /// Responder: the peer's checkpoint of our feed it reported (`Hello.since`, as honoured),
    /// kept as the record's `acked` to notice when it falls (the peer lost what we sent it).
    their_since: Option<u64>,
    last_done_sent: Option<u64>,
    finished: bool,
    stats: SessionStats,
}

impl std::fmt::Debug for Session {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Session")
            .field("role", &self.role)
            .field("peer", &self.peer.as_ref().map(|p| p.id))
            .field("finished", &self.finished)
            .field("stats", &self.stats)
            .finish_non_exhaustive()
    }
}

impl Session {
    pub fn new(store: Arc<Store>, role: Role, config: SessionConfig) -> Self {
        Self {
            store,
            role,
            config,
            peer: None,
            hello_sent: false,
            checkpoint: 0,
            offer_target: None,
            offering_from: 0,
            doc_frames_sent: 0,
            another_round: false,
            their_offers_from: 0,
            scan_from: 0,
            scan_upto: 0,
            scan_done: false,
            queue: VecDeque::new(),
            whole_offers: HashMap::new(),
            awaiting_first_reply: HashSet::new(),
            offers_end_sent: false,
            pending_offers: BTreeMap::new(),
            last_offer_seq: 0,
            their_offers_end: None,
            states: HashMap::new(),
            nonce: loop {
                let n: u64 = rand::random();
                if n != 0 {
                    break n;
                }
            },
            peer_nonce: None,
            peer_epoch: 0,
            their_since: None,
            last_done_sent: None,
            finished: false,
            stats: SessionStats::default(),
        }
    }

    /// The frames to send first: the initiator's `Hello`. The responder sends nothing until it
    /// hears from the initiator.
    pub fn start(&mut self) -> Result<Vec<Envelope>, SyncError> {
        let mut out = Vec::new();
        if self.role == Role::Initiator && !self.hello_sent {
            self.hello_sent = true;
            let expected = self.config.expected_peer;
            let record = match expected {
                Some(peer) => self.store.peer(&peer)?,
                None => Default::default(),
            };
            self.checkpoint = record.checkpoint;
            self.offering_from = record.acked.min(self.store.last_seq()?);
            let hello = self.hello(
                expected,
                (record.checkpoint, record.checkpoint_epoch),
                self.offering_from,
                record.reset,
            )?;
            self.push(&mut out, hello);
            if expected.is_some() {
                // We know whom we are talking to and what it has of ours: offer right away, so a
                // reconnect with nothing new is a single round trip.
                self.offer_target = expected;
                self.scan_from = self.offering_from;
                self.scan_upto = self.store.last_seq()?;
                self.offer_more(&mut out)?;
            }
        }
        Ok(out)
    }

    /// Whether this session could not cover everything and another should follow at once.
    pub fn needs_another_round(&self) -> bool {
        self.another_round
    }

    /// The id of the store this session syncs.
    pub fn store_id(&self) -> StoreId {
        self.store.id()
    }

    /// Which end of the stream this session is.
    pub fn role(&self) -> Role {
        self.role
    }

    /// Whether both sides are in sync and the session is over.
    pub fn is_finished(&self) -> bool {
        self.finished
    }

    /// Automerge sync states held in memory: documents whose exchange is under way (a settled
    /// one's state is persisted and dropped), so it stays near the window, not the documents seen.
    pub fn states_in_memory(&self) -> usize {
        self.states.len()
    }

    pub fn stats(&self) -> &SessionStats {
        &self.stats
    }

    /// The peer, once it has said hello.
    pub fn peer_id(&self) -> Option<StoreId> {
        self.peer.as_ref().map(|p| p.id)
    }

    pub fn peer_name(&self) -> Option<&str> {
        self.peer.as_ref().map(|p| p.name.as_str())
    }

    /// The region prefixes the peer announced in its `Hello` (a responder: the regions we are
    /// granted). Empty when it announced no limit or has not said hello.
    pub fn peer_scopes(&self) -> &[RegionPrefix] {
        self.peer.as_ref().map_or(&[], |p| p.scopes.as_slice())
    }

    /// Our checkpoint of the peer's feed as persisted so far.
    pub fn checkpoint(&self) -> u64 {
        self.checkpoint
    }

    /// Documents offered by the peer that are complete here, and still to go (for progress).
    pub fn progress(&self) -> (u64, u64) {
        let pending = self.pending_offers.len() as u64;
        (
            self.stats.offers_received.saturating_sub(pending),
            self.stats.offers_received,
        )
    }

    fn hello(
        &self,
        your_id: Option<StoreId>,
        (since, since_epoch): (u64, u64),
        offering_from: u64,
        reset: bool,
    ) -> Result<Frame, SyncError> {
        Ok(Frame::Hello(Hello {
            protocol: PROTOCOL_VERSION,
            store_id: self.store.id(),
            name: self.config.name.clone(),
            your_id,
            since,
            since_epoch,
            epoch: self.store.feed_epoch()?,
            reset,
            offering_from,
            // A responder tells the initiator what it is granted; an initiator's own filter is
            // nobody's business.
            scopes: match self.role {
                Role::Responder => self
                    .config
                    .scope
                    .prefixes()
                    .map(<[_]>::to_vec)
                    .unwrap_or_default(),
                Role::Initiator => Vec::new(),
            },
        }))
    }

    fn push(&mut self, out: &mut Vec<Envelope>, frame: Frame) {
        self.stats.frames_sent += 1;
        if let Frame::Doc(d) = &frame {
            self.stats.doc_bytes_sent += d.sync.len() as u64;
            self.doc_frames_sent += 1;
        }
        out.push(Envelope {
            session: self.nonce,
            number: self.stats.frames_sent,
            frame,
        });
    }

    /// Check a frame's stamp: the first must be the peer's `Hello` (numbered 1); every later one
    /// must carry that `Hello`'s nonce and the next number. A frame of another session (replayed),
    /// a duplicate, a gap or a reordering ends the session before anything in it is used.
    fn check_stamp(&mut self, envelope: &Envelope) -> Result<(), SyncError> {
        let expected = self.stats.frames_received + 1;
        match (&envelope.frame, self.peer_nonce) {
            (Frame::Hello(hello), None) => {
                // A peer of another version is told so, whatever its stamps look like.
                if hello.protocol != PROTOCOL_VERSION {
                    return Err(SyncError::ProtocolVersion {
                        theirs: hello.protocol,
                    });
                }
                if envelope.session == 0 || envelope.number != 1 {
                    return Err(SyncError::Protocol(format!(
                        "hello stamped session {:#x}, number {}: a hello starts a session \
                         (non-zero nonce, number 1)",
                        envelope.session, envelope.number
                    )));
                }
                self.peer_nonce = Some(envelope.session);
            }
            (Frame::Hello(_), Some(_)) => return Err(SyncError::Protocol("second hello".into())),
            (_, None) => {
                let what = match envelope.frame {
                    Frame::Doc(_) => "document message",
                    Frame::OffersEnd { .. } => "end of offers",
                    Frame::Done { .. } => "`done`",
                    _ => "`complete`",
                };
                return Err(SyncError::Protocol(format!("{what} before hello")));
            }
            (_, Some(nonce)) => {
                if envelope.session != nonce {
                    return Err(SyncError::Protocol(format!(
                        "a frame from another session (nonce {:#x}, this session's is {nonce:#x})",
                        envelope.session
                    )));
                }
                if envelope.number != expected {
                    return Err(SyncError::Protocol(format!(
                        "frame {} out of order (expected {expected}): duplicated, dropped or \
                         reordered on the way",
                        envelope.number
                    )));
                }
            }
        }
        Ok(())
    }

    /// Process frames that arrived, in order, and return the frames to send. All document
    /// changes in `incoming` are durable when this returns.
    pub fn receive(&mut self, incoming: Vec<Envelope>) -> Result<Vec<Envelope>, SyncError> {
        let mut out = Vec::new();
        let mut docs: Vec<DocMessage> = Vec::new();
        let mut done: Option<u64> = None;
        for envelope in incoming {
            if self.finished {
                return Err(SyncError::Protocol(
                    "frame after the session completed".into(),
                ));
            }
            self.check_stamp(&envelope)?;
            self.stats.frames_received += 1;
            match envelope.frame {
                Frame::Hello(hello) => self.on_hello(hello, &mut out)?,
                Frame::Doc(msg) => {
                    if self.peer.is_none() {
                        return Err(SyncError::Protocol("document message before hello".into()));
                    }
                    if !self.config.scope.covers(msg.doc_id.village()) {
                        return Err(SyncError::OutOfScope {
                            doc: msg.doc_id,
                            scope: self.config.scope.to_string(),
                        });
                    }
                    self.stats.doc_bytes_received += msg.sync.len() as u64;
                    if msg.offer_seq != 0 {
                        if msg.offer_seq <= self.last_offer_seq || self.their_offers_end.is_some() {
                            return Err(SyncError::Protocol(format!(
                                "offer of {} out of order",
                                msg.doc_id
                            )));
                        }
                        if msg.heads.is_empty() || msg.heads.len() > MAX_OFFER_HEADS {
                            return Err(SyncError::Protocol(format!(
                                "offer of {} with {} heads (1 to {MAX_OFFER_HEADS})",
                                msg.doc_id,
                                msg.heads.len()
                            )));
                        }
                        self.last_offer_seq = msg.offer_seq;
                        self.stats.offers_received += 1;
                        self.pending_offers
                            .insert(msg.offer_seq, (msg.doc_id.clone(), msg.heads.clone()));
                    } else if !msg.heads.is_empty() {
                        return Err(SyncError::Protocol(format!(
                            "a reply for {} announces heads (only offers do)",
                            msg.doc_id
                        )));
                    } else if msg.whole {
                        return Err(SyncError::Protocol(format!(
                            "a reply for {} carries a whole document (only offers may)",
                            msg.doc_id
                        )));
                    }
                    docs.push(msg);
                }
                Frame::OffersEnd { upto } => {
                    if self.peer.is_none() || self.their_offers_end.is_some() {
                        return Err(SyncError::Protocol("unexpected end of offers".into()));
                    }
                    if upto < self.last_offer_seq {
                        return Err(SyncError::Protocol(format!(
                            "end of offers at {upto}, but an offer at {} was made",
                            self.last_offer_seq
                        )));
                    }
                    self.their_offers_end = Some(upto);
                }
                Frame::Done { received } => {
                    if self.peer.is_none() {
                        return Err(SyncError::Protocol("`done` before hello".into()));
                    }
                    if self.role != Role::Responder {
                        return Err(SyncError::Protocol("`done` sent to the initiator".into()));
                    }
                    done = Some(received);
                }
                Frame::Complete { checkpoint } => {
                    if self.peer.is_none() {
                        return Err(SyncError::Protocol("`complete` before hello".into()));
                    }
                    if self.role != Role::Initiator {
                        return Err(SyncError::Protocol(
                            "`complete` sent to the responder".into(),
                        ));
                    }
                    if docs.is_empty() {
                        // The responder's `OffersEnd` often comes with its `Complete`.
                        self.advance_checkpoint()?;
                    } else {
                        self.apply(std::mem::take(&mut docs), &mut out)?;
                    }
                    if !self.locally_idle() || !out.is_empty() {
                        return Err(SyncError::Protocol(
                            "peer completed the session while documents were unsynced".into(),
                        ));
                    }
                    self.finish(Some(checkpoint))?;
                    return Ok(out);
                }
            }
        }
        if docs.is_empty() {
            self.advance_checkpoint()?;
        } else {
            self.apply(docs, &mut out)?;
        }
        self.offer_more(&mut out)?;
        match self.role {
            Role::Responder => {
                // Quiescent when the peer has processed everything we sent and said nothing since
                // (its replies, if any, came before `done` and were handled above) — or when we
                // never sent it a document message at all, so it has nothing to answer.
                if let Some(received) = done
                    && received > self.stats.frames_sent
                {
                    // It counts frames we never sent: its transport duplicated something. The
                    // count can never match again, so say so now instead of idling to a timeout.
                    return Err(SyncError::Protocol(format!(
                        "peer reports {received} frames received, but only {} were sent",
                        self.stats.frames_sent
                    )));
                }
                let peer_caught_up = match done {
                    Some(received) => received == self.stats.frames_sent,
                    None => self.doc_frames_sent == 0,
                };
                if peer_caught_up && self.locally_idle() {
                    let checkpoint = self.checkpoint;
                    self.push(&mut out, Frame::Complete { checkpoint });
                    self.finish(None)?;
                }
            }
            Role::Initiator => {
                // Replies in `out` may still draw answers; the responder sees that its frame
                // count moved past `received` and keeps going, and we say `done` again later.
                if self.locally_idle() {
                    let received = self.stats.frames_received;
                    if self.last_done_sent != Some(received) {
                        self.last_done_sent = Some(received);
                        self.push(&mut out, Frame::Done { received });
                    }
                }
            }
        }
        Ok(out)
    }

    /// We have offered everything and heard the peer has too, and no offer awaits an answer.
    fn locally_idle(&self) -> bool {
        self.peer.is_some()
            && self.hello_sent
            && self.offers_end_sent
            && self.their_offers_end.is_some()
            && self.awaiting_first_reply.is_empty()
    }

    /// The peer's `Hello`, once `check_stamp` has checked its version and that it is the first.
    fn on_hello(&mut self, hello: Hello, out: &mut Vec<Envelope>) -> Result<(), SyncError> {
        if hello.store_id == self.store.id() {
            return Err(SyncError::SelfSync);
        }
        let peer = hello.store_id;
        let record = self.store.peer(&peer)?;
        self.peer_epoch = hello.epoch;
        // `since` counts in the feed of the store the peer thinks it reached, in the epoch it
        // names. We honour it only if that is us, we keep a record of the peer (an admin's
        // `resync` made us forget it: our sync states with it are gone too), and our feed still
        // reaches `since` in that epoch. A store restored from a backup, or one whose last
        // commits a crash lost, fails the last test for positions it lost: it may have numbered
        // other changes with them since. Otherwise we offer from the start of our feed, skipping
        // by our own sync states what the peer shares (they are older than the peer's, never
        // ahead of what it holds: a per-document comparison of heads, not a resend of all).
        let knows_us = hello.your_id == Some(self.store.id()) && record.is_known();
        let their_since = if knows_us
            && self
                .store
                .feed_position_valid(hello.since_epoch, hello.since)?
        {
            hello.since
        } else {
            0
        };
        match self.role {
            Role::Responder => {
                self.checkpoint = record.checkpoint;
                self.their_offers_from = match hello.your_id {
                    // It offers from where it believes our checkpoint is.
                    Some(id) if id == self.store.id() => hello.offering_from,
                    // It will offer from the checkpoint we are about to tell it.
                    None => record.checkpoint,
                    // It computed its offers for another store: they cover nothing we can count on.
                    Some(_) => u64::MAX,
                };
                if hello.your_id == Some(self.store.id()) {
                    // The peer keeps our checkpoint of it (the last `Complete` it received), in
                    // its own durable timeline. Ours may be ahead of it: a `Complete` lost on the
                    // way (harmless to go back), or the peer restored from a backup and numbering
                    // other changes with seqs we counted (fatal to keep). Go back to its copy.
                    self.checkpoint = self.checkpoint.min(hello.offering_from);
                }
                if knows_us
                    && their_since == hello.since
                    && hello.since < record.acked
                    && !hello.reset
                {
                    // It holds less of our feed than it said last time, and not on purpose:
                    // restored from a backup. Our sync states claim it holds what it lost:
                    // re-diff everything we offer.
                    self.store.batch(|b| b.forget_sync_states(&peer))?;
                }
                self.their_since = Some(their_since);
                let frame = self.hello(
                    Some(peer),
                    (self.checkpoint, record.checkpoint_epoch),
                    their_since,
                    record.reset,
                )?;
                self.push(out, frame);
                self.offer_target = Some(peer);
                self.scan_from = their_since;
                self.scan_upto = self.store.last_seq()?;
                self.hello_sent = true;
            }
            Role::Initiator => {
                self.their_offers_from = hello.offering_from;
                let expected = self.config.expected_peer == Some(peer);
                if !expected {
                    // We announced a checkpoint for another store, so the peer offers from its
                    // beginning; what we already hold of this one is still ours.
                    self.checkpoint = record.checkpoint;
                    if self.config.expected_peer.is_some() {
                        // Our early offers were computed for another store.
                        self.another_round = true;
                    }
                }
                // The peer honoured less of our checkpoint than we sent (`offering_from` is what
                // it honours): its feed no longer reaches it. Our checkpoint goes back to where
                // its offers start, or we would skip what it numbers anew.
                let rejected = expected && hello.offering_from < self.checkpoint;
                if rejected {
                    self.checkpoint = hello.offering_from;
                }
                // It holds less of ours than its last `Complete` said: restored from a backup —
                // or, if it says `reset`, an admin made it forget us on purpose.
                let behind = expected && their_since < record.acked;
                // A peer that says `reset` forgot on purpose (an admin's resync): its feed and
                // what it holds of ours are whole, so our states stay true.
                let lost_ours = (behind || rejected) && !hello.reset;
                if lost_ours {
                    // Our sync states may claim it holds what it lost, and documents we skipped
                    // in our first flight by them would never reach it again: forget them, and
                    // offer again from its checkpoint of us in the next round.
                    self.store.batch(|b| -> Result<(), StoreError> {
                        b.forget_sync_states(&peer)?;
                        b.update_peer(&peer, |p| p.acked = p.acked.min(their_since))
                    })?;
                    if self.offer_target.is_some() {
                        self.another_round = true;
                    }
                } else if behind {
                    // Forgotten on purpose: our states are true. Offer from its checkpoint next
                    // round (below), and remember it, so a later session does not take the
                    // lower checkpoint for a restore.
                    self.store
                        .batch(|b| b.update_peer(&peer, |p| p.acked = p.acked.min(their_since)))?;
                }
                if self.offer_target.is_none() {
                    self.offer_target = Some(peer);
                    self.scan_from = their_since;
                    self.scan_upto = self.store.last_seq()?;
                } else if self.offer_target != Some(peer) {
                    // Offers already sent cannot be taken back; the next round starts clean.
                    self.offer_target = Some(peer);
                    self.another_round = true;
                } else if hello.since < self.offering_from {
                    // The peer has less of ours than we believed: the gap is offered in the next
                    // round.
                    self.another_round = true;
                }
            }
        }
        self.peer = Some(PeerInfo {
            id: peer,
            name: hello.name,
            scopes: hello.scopes,
        });
        Ok(())
    }

    /// Apply incoming document messages in one durable batch, then produce the replies.
    fn apply(&mut self, msgs: Vec<DocMessage>, out: &mut Vec<Envelope>) -> Result<(), SyncError> {
        if msgs.is_empty() {
            return Ok(());
        }
        let peer = self
            .peer_id()
            .ok_or_else(|| SyncError::Protocol("no hello".into()))?;
        let mut touched: Vec<DocId> = Vec::new();
        let mut seen: HashSet<DocId> = HashSet::new();
        // Offers in this batch: each is answered, with an empty message if we have nothing to say.
        let mut offered: HashSet<DocId> = HashSet::new();
        let mut decoded = Vec::with_capacity(msgs.len());
        // Whole documents offered to us: id, the offer's heads, the bytes, their weight.
        let mut wholes = Vec::new();
        // Answers to our whole offers saying "now held": id and the heads we offered.
        let mut acked = Vec::new();
        for msg in msgs {
            if msg.offer_seq != 0 {
                offered.insert(msg.doc_id.clone());
            } else if let Some(heads) = self.whole_offers.remove(&msg.doc_id)
                && msg.sync.is_empty()
            {
                acked.push((msg.doc_id, heads));
                continue;
            }
            if msg.whole {
                let weight = guard::check_document(&msg.sync, &self.config.limits)
                    .map_err(|e| refused(&msg.doc_id, e))?;
                wholes.push((msg.doc_id, msg.heads, msg.sync, weight));
                continue;
            }
            if msg.sync.is_empty() {
                // Nothing to apply: an offer of heads we may hold, or "nothing to ask".
                if seen.insert(msg.doc_id.clone()) {
                    touched.push(msg.doc_id);
                }
                continue;
            }
            // Bloom parameters, counts, chunk framing and sizes are checked before automerge
            // parses anything (it trusts them), and outside the store lock.
            let weight = guard::check_message(&msg.sync, &self.config.limits)
                .map_err(|e| refused(&msg.doc_id, e))?;
            let sync = Message::decode(&msg.sync).map_err(|e| SyncError::BadMessage {
                doc: msg.doc_id.clone(),
                reason: e.to_string(),
            })?;
            decoded.push((msg.doc_id, sync, weight));
        }
        // Whole documents are validated by loading them: most of a fresh download's CPU
        // (~140 µs per training), so it runs on every core, outside the store lock.
        let loaded = load_wholes(&wholes);
        let record_update = self.record_update();
        let limits = self.config.limits;
        let states = &mut self.states;
        let stats = &mut self.stats;
        let pending = &mut self.pending_offers;
        let mut new_checkpoint = self.checkpoint;
        // Whole documents we had no copy of: they are answered "now held", not with a message.
        let mut installed: HashSet<DocId> = HashSet::new();
        let acked_ids: Vec<DocId> = acked.iter().map(|(id, _)| id.clone()).collect();
        self.store.batch(|batch| -> Result<(), SyncError> {
            for (id, heads) in acked {
                // The peer holds what we offered: the state automerge would have reached, without
                // loading the document to get there. Only persisted: nothing more is under way
                // for it, and a session's memory must not grow with the documents it settles.
                let state = State {
                    shared_heads: heads,
                    ..State::default()
                };
                batch.put_sync_state(&peer, &id, &state)?;
                states.remove(&id);
            }
            for ((id, heads, bytes, weight), loaded) in wholes.into_iter().zip(loaded) {
                let stored = batch
                    .doc_record(&id)?
                    .map_or(0, |r| r.snapshot_bytes.saturating_add(r.increment_bytes));
                let doc = batch.doc_mut(&id)?;
                let fresh = doc.get_heads().is_empty();
                weight
                    .check_against(
                        guard::Weight {
                            ops: doc.stats().num_ops,
                            bytes: stored,
                        },
                        &limits,
                    )
                    .map_err(|e| refused(&id, e))?;
                let before = doc.get_heads();
                let bad = |reason: String| SyncError::BadMessage {
                    doc: id.clone(),
                    reason,
                };
                let mut loaded = loaded.map_err(bad)?;
                if fresh {
                    // What was loaded is the document; it edits as this store's actor.
                    let actor = doc.get_actor().clone();
                    *doc = loaded;
                    doc.set_actor(actor);
                } else {
                    // Merged into our copy: its changes, already parsed, not the bytes again.
                    let merged = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        doc.merge(&mut loaded)
                    }));
                    match merged {
                        Ok(Ok(_)) => {}
                        Ok(Err(e)) => return Err(bad(e.to_string())),
                        Err(_) => return Err(bad("automerge could not load it".into())),
                    }
                }
                if !has_all(doc, &heads) {
                    return Err(bad(
                        "the document does not reach the heads its offer announced".into(),
                    ));
                }
                let now = doc.get_heads();
                if now != before {
                    stats.docs_received += 1;
                    stats.change_bytes_received += bytes.len() as u64;
                }
                if fresh {
                    // We hold exactly what the peer sent, and it holds at least that. As for
                    // `acked`: persisted only, since nothing more is under way for it.
                    let state = State {
                        shared_heads: now.clone(),
                        ..State::default()
                    };
                    batch.put_sync_state(&peer, &id, &state)?;
                    states.remove(&id);
                    batch.keep_verbatim(&id, now, bytes);
                    installed.insert(id.clone());
                } else if !states.contains_key(&id) {
                    let state = batch.sync_state(&peer, &id)?;
                    states.insert(id.clone(), state);
                }
                if seen.insert(id.clone()) {
                    touched.push(id);
                }
            }
            for (id, sync, weight) in decoded {
                if !states.contains_key(&id) {
                    let state = batch.sync_state(&peer, &id)?;
                    states.insert(id.clone(), state);
                }
                let Some(state) = states.get_mut(&id) else {
                    continue;
                };
                let change_bytes: usize = sync.changes.iter().map(<[u8]>::len).sum();
                let stored = batch
                    .doc_record(&id)?
                    .map_or(0, |r| r.snapshot_bytes.saturating_add(r.increment_bytes));
                let doc = batch.doc_mut(&id)?;
                // A document may not grow past the limits; refusing aborts the whole batch, so
                // the document stays as it was.
                let current = guard::Weight {
                    ops: doc.stats().num_ops,
                    bytes: stored,
                };
                weight
                    .check_against(current, &limits)
                    .map_err(|e| refused(&id, e))?;
                let before = doc.get_heads();
                // automerge 0.12 panics on some malformed document chunks that `guard` cannot
                // tell from honest ones without decoding every column (found by fuzzing). The
                // panic is contained here and the batch is aborted, which drops the half-applied
                // document from the cache: the store stays as it was.
                let applied = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                    doc.receive_sync_message(state, sync)
                }));
                match applied {
                    Ok(Ok(())) => {}
                    Ok(Err(e)) => {
                        return Err(SyncError::BadMessage {
                            doc: id.clone(),
                            reason: e.to_string(),
                        });
                    }
                    Err(_) => {
                        return Err(SyncError::BadMessage {
                            doc: id.clone(),
                            reason: "automerge could not apply it (malformed changes)".into(),
                        });
                    }
                }
                if doc.get_heads() != before {
                    stats.docs_received += 1;
                    stats.change_bytes_received += change_bytes as u64;
                }
                if seen.insert(id.clone()) {
                    touched.push(id);
                }
            }
            // Offers the peer made that we now hold completely: every head the offer announced
            // (not what the latest message said, which a stale message could move back).
            let mut completed = Vec::new();
            for (seq, (id, heads)) in pending.iter() {
                if !seen.contains(id) {
                    continue;
                }
                if let Some(doc) = batch.doc(id)?
                    && has_all(doc, heads)
                {
                    completed.push(*seq);
                }
            }
            for seq in completed {
                pending.remove(&seq);
            }
            for id in &touched {
                if let Some(state) = states.get(id) {
                    batch.put_sync_state(&peer, id, state)?;
                }
            }
            if self.their_offers_from <= self.checkpoint {
                new_checkpoint = new_checkpoint.max(checkpoint_after(
                    pending,
                    self.last_offer_seq,
                    self.their_offers_end,
                ));
            }
            batch.update_peer(&peer, |p| record_update.apply(p, new_checkpoint))?;
            Ok(())
        })?;
        self.checkpoint = new_checkpoint;
        for id in acked_ids {
            self.awaiting_first_reply.remove(&id);
        }
        // Durable: now reply.
        for id in touched {
            self.awaiting_first_reply.remove(&id);
            if installed.contains(&id) {
                // "Now held": the peer records that we share the offer's heads.
                self.push_doc(out, id, 0, Vec::new(), Vec::new());
                continue;
            }
            match self.generate(&id, false)? {
                Some(sync) => self.push_doc(out, id, 0, Vec::new(), sync),
                // Every offer gets an answer, so the offerer's window moves.
                None if offered.contains(&id) => self.push_doc(out, id, 0, Vec::new(), Vec::new()),
                None => {}
            }
        }
        Ok(())
    }

    /// What our record of the peer learns from this session besides the checkpoint.
    fn record_update(&self) -> RecordUpdate {
        RecordUpdate {
            epoch: self.peer_epoch,
            their_since: self.their_since,
        }
    }

    /// Persist our checkpoint of the peer when it moves without a document message: every offer
    /// is complete and its `OffersEnd` says the offers covered more (a peer with nothing to
    /// offer, e.g. whose feed only holds what it received from us).
    fn advance_checkpoint(&mut self) -> Result<(), SyncError> {
        let Some(peer) = self.peer_id() else {
            return Ok(());
        };
        if self.their_offers_end.is_none() || self.their_offers_from > self.checkpoint {
            return Ok(());
        }
        let moved = checkpoint_after(
            &self.pending_offers,
            self.last_offer_seq,
            self.their_offers_end,
        );
        if moved <= self.checkpoint {
            return Ok(());
        }
        let record_update = self.record_update();
        self.store
            .batch(|b| b.update_peer(&peer, |p| record_update.apply(p, moved)))?;
        self.checkpoint = moved;
        Ok(())
    }

    fn push_doc(
        &mut self,
        out: &mut Vec<Envelope>,
        doc_id: DocId,
        offer_seq: u64,
        heads: Vec<ChangeHash>,
        sync: Vec<u8>,
    ) {
        self.push(
            out,
            Frame::Doc(DocMessage {
                doc_id,
                offer_seq,
                heads,
                sync,
                whole: false,
            }),
        );
    }

    /// Our next automerge message for a document, encoded, if there is anything to say.
    ///
    /// `offer`: the first message of an offer. If the persisted sync state knows heads both sides
    /// share, it is primed as if the peer had just said "I have those, nothing more", so the
    /// message carries every change after them at once instead of first exchanging heads (one
    /// change pushed in one round trip, not two). A peer that holds more answers as usual; one
    /// that holds less (restored) queues the changes and asks for what they depend on.
    fn generate(&mut self, id: &DocId, offer: bool) -> Result<Option<Vec<u8>>, SyncError> {
        let peer = self
            .offer_target
            .ok_or_else(|| SyncError::Protocol("no hello".into()))?;
        if !self.states.contains_key(id) {
            let mut state = self.store.sync_state(&peer, id)?;
            if offer && !state.shared_heads.is_empty() {
                let shared = state.shared_heads.clone();
                state.their_heads = Some(shared.clone());
                state.their_need = Some(Vec::new());
                state.their_have = Some(vec![automerge::sync::Have {
                    last_sync: shared,
                    bloom: automerge::sync::BloomFilter::default(),
                }]);
            }
            self.states.insert(id.clone(), state);
        }
        let Some(state) = self.states.get_mut(id) else {
            return Ok(None);
        };
        // A document we do not hold yet is empty: our message says so and the peer sends it all.
        // As in `apply`: a panic in automerge (on state a hostile peer shaped) fails the
        // session instead of the thread.
        let generated = std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
            match self
                .store
                .with_doc(id, |doc| doc.generate_sync_message(state))?
            {
                Some(msg) => Ok::<_, SyncError>(msg),
                None => Ok(Automerge::new().generate_sync_message(state)),
            }
        }));
        let msg = match generated {
            Ok(result) => result?,
            Err(_) => {
                return Err(SyncError::BadMessage {
                    doc: id.clone(),
                    reason: "automerge could not answer it (malformed state)".into(),
                });
            }
        };
        if msg.is_none() {
            // Nothing to say: the exchange of this document has settled for now, and what it
            // established (the shared heads) is persisted with every batch that touched it. A
            // later message reloads it, so a session holds states only for documents under way,
            // not for every document it has seen (1.6 KiB each).
            self.states.remove(id);
        }
        Ok(msg.map(|m| {
            if !m.changes.is_empty() {
                self.stats.docs_sent += 1;
                self.stats.change_bytes_sent +=
                    m.changes.iter().map(<[u8]>::len).sum::<usize>() as u64;
            }
            m.encode()
        }))
    }

    /// Offer documents from our feed until the window is full or the feed is exhausted.
    fn offer_more(&mut self, out: &mut Vec<Envelope>) -> Result<(), SyncError> {
        let Some(peer) = self.offer_target else {
            return Ok(());
        };
        while self.awaiting_first_reply.len() < self.config.window {
            // A page may be skipped whole (out of scope, or the peer has it all — every page of
            // a no-op reconnect): keep reading until there is something to offer or the feed ends.
            while self.queue.is_empty() && !self.scan_done {
                self.scan(&peer)?;
            }
            let Some((seq, id, heads, fresh)) = self.queue.pop_front() else {
                break;
            };
            self.stats.offers_sent += 1;
            self.awaiting_first_reply.insert(id.clone());
            // The peer shares none of it: send it as stored, without loading it. Whether it
            // shares none is read again now: settled states leave memory, and the peer may have
            // sent us the document since the page was scanned.
            if fresh
                && !self.states.contains_key(&id)
                && let Some(bytes) = self.store.stored_bytes_unshared(&peer, &id)?
            {
                self.stats.docs_sent += 1;
                self.stats.change_bytes_sent += bytes.len() as u64;
                self.whole_offers.insert(id.clone(), heads.clone());
                self.push(
                    out,
                    Frame::Doc(DocMessage {
                        doc_id: id,
                        offer_seq: seq,
                        heads,
                        sync: bytes,
                        whole: true,
                    }),
                );
                continue;
            }
            // Always offered, with our first message if we have one: an offer the peer never
            // sees could not hold its checkpoint back.
            let sync = self.generate(&id, true)?.unwrap_or_default();
            self.push_doc(out, id, seq, heads, sync);
        }
        if self.queue.is_empty() && self.scan_done && !self.offers_end_sent {
            self.offers_end_sent = true;
            let upto = self.scan_upto;
            self.push(out, Frame::OffersEnd { upto });
        }
        Ok(())
    }

    /// Read the next page of our feed into the offer queue, skipping what the peer may not see
    /// and what it already has (its persisted shared heads equal the document's heads).
    fn scan(&mut self, peer: &StoreId) -> Result<(), SyncError> {
        let page = self.feed_page()?;
        for (seq, id) in page {
            if seq > self.scan_upto {
                // Changed after the session started: the next session offers it.
                self.scan_done = true;
                break;
            }
            self.scan_from = seq;
            if !self.config.scope.covers(id.village()) {
                continue;
            }
            let Some(record) = self.store.doc_record(&id)? else {
                // Removed since the page was read.
                continue;
            };
            let mut heads = record
                .heads
                .iter()
                .map(|h| ChangeHash::try_from(h.as_slice()))
                .collect::<Result<Vec<_>, _>>()
                .map_err(|_| StoreError::Corrupt(format!("heads of {id}")))?;
            heads.sort();
            let shared = self.store.shared_heads(peer, &id)?;
            if let Some(mut shared) = shared.clone() {
                shared.sort();
                if shared == heads {
                    continue;
                }
            }
            let fresh = shared.is_none_or(|s| s.is_empty());
            self.queue.push_back((seq, id, heads, fresh));
        }
        Ok(())
    }

    /// The next entries of our feed after `scan_from` that the peer's scope covers, in seq
    /// order; sets `scan_done` when the feed is exhausted. An unscoped peer reads the feed; a
    /// scoped one reads the region index of each of its prefixes and merges them, keeping only
    /// entries up to where every full page reached (beyond that a page may be missing some).
    fn feed_page(&mut self) -> Result<Vec<(u64, DocId)>, SyncError> {
        const PAGE: usize = 512;
        let Some(prefixes) = self.config.scope.prefixes() else {
            let page = self.store.changes_since(self.scan_from, PAGE)?;
            self.stats.feed_entries_read += page.len() as u64;
            if page.len() < PAGE {
                self.scan_done = true;
            }
            return Ok(page);
        };
        // A prefix inside another of the scope adds nothing.
        let regions: Vec<&crate::region::RegionPrefix> = prefixes
            .iter()
            .filter(|p| !prefixes.iter().any(|q| q != *p && q.includes(p)))
            .collect();
        let mut merged: BTreeMap<u64, DocId> = BTreeMap::new();
        let mut complete_upto = u64::MAX;
        for region in regions {
            let page = self.store.changes_in(region, self.scan_from, PAGE)?;
            self.stats.feed_entries_read += page.len() as u64;
            if page.len() == PAGE
                && let Some((last, _)) = page.last()
            {
                complete_upto = complete_upto.min(*last);
            }
            merged.extend(page);
        }
        if complete_upto == u64::MAX {
            self.scan_done = true;
        } else {
            merged.retain(|seq, _| *seq <= complete_upto);
        }
        Ok(merged.into_iter().collect())
    }

    fn finish(&mut self, acked: Option<u64>) -> Result<(), SyncError> {
        self.finished = true;
        let Some(peer) = self.peer_id() else {
            return Ok(());
        };
        let name = self.peer_name().unwrap_or_default().to_owned();
        let checkpoint = self.checkpoint;
        let now = jiff::Timestamp::now().as_second();
        let record_update = self.record_update();
        self.store.batch(|b| {
            b.update_peer(&peer, |p| {
                record_update.apply(p, checkpoint);
                p.last_sync_unix = now;
                p.last_failure_unix = 0;
                p.name = name;
                if let Some(acked) = acked {
                    p.acked = acked;
                }
            })
        })?;
        Ok(())
    }
}

/// What a session writes into its record of the peer with every checkpoint.
#[derive(Clone, Copy, Debug)]
struct RecordUpdate {
    /// The peer's feed epoch the checkpoint counts in.
    epoch: u64,
    /// Responder: the peer's checkpoint of our feed, as honoured.
    their_since: Option<u64>,
}

impl RecordUpdate {
    /// Set the checkpoint (this session's, which may be below the stored one: see `on_hello`).
    fn apply(self, record: &mut PeerRecord, checkpoint: u64) {
        record.checkpoint = checkpoint;
        record.checkpoint_epoch = self.epoch;
        record.reset = false;
        if let Some(since) = self.their_since {
            record.acked = since;
        }
    }
}

/// A peer's message failed [`guard::check_message`]: too large, or malformed.
fn refused(doc: &DocId, e: MessageError) -> SyncError {
    match e {
        MessageError::Limit { .. } => SyncError::TooLarge {
            doc: doc.clone(),
            source: e,
        },
        other => SyncError::BadMessage {
            doc: doc.clone(),
            reason: other.to_string(),
        },
    }
}

/// Load each whole document offered to us (`Session::apply`), on up to as many threads as there
/// are cores. Each entry: the document, or why automerge refused it (a panic in automerge, on
/// bytes a hostile peer shaped, is contained and refuses it too). The bytes passed
/// `guard::check_document`, so each load is bounded.
fn load_wholes(
    wholes: &[(DocId, Vec<ChangeHash>, Vec<u8>, guard::Weight)],
) -> Vec<Result<Automerge, String>> {
    let load = |bytes: &[u8]| match std::panic::catch_unwind(|| Automerge::load(bytes)) {
        Ok(Ok(doc)) => Ok(doc),
        Ok(Err(e)) => Err(e.to_string()),
        Err(_) => Err("automerge could not load it".to_owned()),
    };
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    // Below a few documents a thread costs more than it saves.
    if threads < 2 || wholes.len() < 8 {
        return wholes.iter().map(|(_, _, bytes, _)| load(bytes)).collect();
    }
    let per_thread = wholes.len().div_ceil(threads);
    std::thread::scope(|scope| {
        let handles: Vec<_> = wholes
            .chunks(per_thread)
            .map(|chunk| {
                let handle = scope.spawn(move || {
                    chunk
                        .iter()
                        .map(|(_, _, bytes, _)| load(bytes))
                        .collect::<Vec<_>>()
                });
                (chunk.len(), handle)
            })
            .collect();
        handles
            .into_iter()
            .flat_map(|(n, h)| {
                // `load` contains panics, so a thread cannot fail; if one did, its documents
                // are refused, each in its place.
                h.join().unwrap_or_else(|_| {
                    (0..n)
                        .map(|_| Err("automerge could not load it".to_owned()))
                        .collect()
                })
            })
            .collect()
    })
}

/// Where the checkpoint of the peer's feed can move: just below the oldest incomplete offer, or
/// to the end of the offers once all are complete.
fn checkpoint_after(
    pending: &BTreeMap<u64, (DocId, Vec<ChangeHash>)>,
    last_offer: u64,
    offers_end: Option<u64>,
) -> u64 {
    match pending.keys().next() {
        Some(oldest) => oldest.saturating_sub(1),
        None => offers_end.unwrap_or(last_offer).max(last_offer),
    }
}

fn has_all(doc: &Automerge, heads: &[ChangeHash]) -> bool {
    heads
        .iter()
        .all(|h| doc.get_change_meta_by_hash(h).is_some())
}

#[cfg(test)]
mod feed_scan_tests {
    //! A no-op reconnect whose feed holds more than one page of documents the peer already has
    //! (found by the benchmark: the session used to stall after the first all-skipped page).

    use std::sync::Arc;

    use automerge::transaction::Transactable;

    use super::*;
    use crate::ids::DocKind;

    fn run(device: &Arc<Store>, server: &Arc<Store>, expected: Option<StoreId>) -> (bool, u64) {
        let mut config = SessionConfig::new("device");
        config.expected_peer = expected;
        let mut init = Session::new(device.clone(), Role::Initiator, config);
        let mut resp = Session::new(
            server.clone(),
            Role::Responder,
            SessionConfig::new("server"),
        );
        let mut to_resp = init.start().expect("start");
        let mut flights = 0;
        // Bounded: a stalled session shows as unfinished instead of hanging the test.
        for _ in 0..100 {
            if init.is_finished() {
                break;
            }
            if !to_resp.is_empty() {
                flights += 1;
            }
            let to_init = resp
                .receive(std::mem::take(&mut to_resp))
                .expect("responder");
            to_resp = init.receive(to_init).expect("initiator");
        }
        (init.is_finished() && resp.is_finished(), flights)
    }

    #[test]
    fn a_scoped_session_reads_only_its_regions_feed_entries() {
        // 1,200 documents in three districts; a peer scoped to one district and one village of
        // another downloads its share and reads no entry of the rest.
        let writer = Arc::new(Store::in_memory(Some(automerge::ActorId::random())).expect("store"));
        let villages = [
            "18.01.05.2001",
            "18.01.06.2001",
            "18.01.07.2001",
            "18.01.06.2002",
        ];
        let counts = [600_usize, 300, 200, 100];
        writer
            .batch(|b| -> Result<(), StoreError> {
                for (village, n) in villages.iter().zip(counts) {
                    for i in 0..n {
                        let village = village.parse().expect("valid village");
                        let id = DocId::generate(DocKind::Training, village);
                        b.doc_mut(&id)?
                            .transact::<_, _, automerge::AutomergeError>(|tx| {
                                tx.put(automerge::ROOT, "n", i as i64)?;
                                Ok(())
                            })
                            .expect("edit");
                    }
                }
                Ok(())
            })
            .expect("batch");
        let reader = Arc::new(Store::in_memory(None).expect("store"));
        let mut config = SessionConfig::new("district");
        config.scope = Scope::regions([
            "18.01.06".parse().expect("p"),
            "18.01.07.2001".parse().expect("p"),
            "18.01.06.2002".parse().expect("p"),
        ]);
        let mut resp = Session::new(writer.clone(), Role::Responder, config);
        let mut init = Session::new(
            reader.clone(),
            Role::Initiator,
            SessionConfig::new("reader"),
        );
        let mut to_resp = init.start().expect("start");
        for _ in 0..100 {
            if init.is_finished() {
                break;
            }
            let to_init = resp
                .receive(std::mem::take(&mut to_resp))
                .expect("responder");
            to_resp = init.receive(to_init).expect("initiator");
        }
        assert!(init.is_finished());
        assert_eq!(reader.doc_count().expect("count"), 600);
        assert_eq!(
            resp.stats().feed_entries_read,
            600,
            "only the entries of 18.01.06 and 18.01.07.2001, each once"
        );
    }

    /// Issue 12, fix 3: a device that only downloads has nothing to offer, but its feed grows
    /// with what it received. Its checkpoint at the server (and so its `acked`) must still move
    /// to the end of its offers, or every reconnect reads its whole feed again.
    #[test]
    fn a_download_only_device_advances_its_checkpoint_at_the_server() {
        let village: crate::region::VillageCode = "18.01.05.2001".parse().expect("village");
        let writer = Arc::new(Store::in_memory(Some(automerge::ActorId::random())).expect("store"));
        writer
            .batch(|b| -> Result<(), StoreError> {
                for i in 0..50_i64 {
                    let id = DocId::generate(DocKind::Training, village.clone());
                    b.doc_mut(&id)?
                        .transact::<_, _, automerge::AutomergeError>(|tx| {
                            tx.put(automerge::ROOT, "n", i)?;
                            Ok(())
                        })
                        .expect("edit");
                }
                Ok(())
            })
            .expect("batch");
        let server = Arc::new(Store::in_memory(None).expect("store"));
        assert!(run(&writer, &server, None).0, "upload completes");
        let device = Arc::new(Store::in_memory(None).expect("store"));
        assert!(run(&device, &server, None).0, "download completes");
        assert_eq!(
            device.last_seq().expect("seq"),
            50,
            "its feed holds what it received"
        );
        // The first reconnect offers nothing (the server has it all) and ends its offers at 50.
        assert!(run(&device, &server, Some(server.id())).0);
        assert_eq!(
            server.peer(&device.id()).expect("peer").checkpoint,
            50,
            "the server checkpoints the device's whole feed"
        );
        assert_eq!(device.peer(&server.id()).expect("peer").acked, 50);
        // So the next reconnect reads none of it.
        let mut config = SessionConfig::new("device");
        config.expected_peer = Some(server.id());
        let mut init = Session::new(device.clone(), Role::Initiator, config);
        let mut resp = Session::new(server.clone(), Role::Responder, SessionConfig::new("s"));
        let to_resp = init.start().expect("start");
        let to_init = resp.receive(to_resp).expect("responder");
        init.receive(to_init).expect("initiator");
        assert!(init.is_finished());
        assert_eq!(init.stats().feed_entries_read, 0, "{:?}", init.stats());
    }

    #[test]
    fn a_noop_reconnect_scans_past_pages_the_peer_already_has() {
        let village: crate::region::VillageCode = "18.01.05.2001".parse().expect("village");
        let writer = Arc::new(Store::in_memory(Some(automerge::ActorId::random())).expect("store"));
        writer
            .batch(|b| -> Result<(), StoreError> {
                for i in 0..700_i64 {
                    let id = DocId::generate(DocKind::Training, village.clone());
                    b.doc_mut(&id)?
                        .transact::<_, _, automerge::AutomergeError>(|tx| {
                            tx.put(automerge::ROOT, "n", i)?;
                            Ok(())
                        })
                        .expect("edit");
                }
                Ok(())
            })
            .expect("batch");
        let server = Arc::new(Store::in_memory(None).expect("store"));
        assert!(run(&writer, &server, None).0, "upload completes");
        // A fresh device downloads all 700: its own feed now holds 700 documents the server has.
        let device = Arc::new(Store::in_memory(None).expect("store"));
        assert!(run(&device, &server, None).0, "download completes");
        assert_eq!(device.doc_count().expect("count"), 700);
        let (finished, flights) = run(&device, &server, Some(server.id()));
        assert!(finished, "the no-op reconnect completes");
        assert_eq!(flights, 1, "in one round trip");
    }
}
