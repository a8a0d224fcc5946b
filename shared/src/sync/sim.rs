//! A simulated network of peers for the sync engine: in-memory stores, frames handed over in
//! process, no sockets and no sleeps. Deterministic given the operations. `faults` adds an
//! adversarial network: cuts, stalls, partitions, duplicated and replayed frames.

mod faults;

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use automerge::ActorId;
use proptest::prelude::*;

use super::*;
use crate::ids::DocKind;
use crate::model::{Person, minutes, training};
use crate::region::{RegionPrefix, VillageCode};

struct Peer {
    name: String,
    store: Arc<Store>,
    /// Store ids of peers this one has synced with, by peer index: the CLI keeps this in its config.
    known: HashMap<usize, StoreId>,
}

struct Net {
    peers: Vec<Peer>,
}

/// What one simulated session did.
#[derive(Debug)]
struct Outcome {
    initiator: SessionStats,
    responder: SessionStats,
    /// Flights from the initiator that the responder answered.
    round_trips: u32,
    /// The most automerge sync states either side held in memory after a step.
    most_states: usize,
}

/// Two sessions' counters, added up.
fn added(a: &SessionStats, b: &SessionStats) -> SessionStats {
    SessionStats {
        frames_sent: a.frames_sent + b.frames_sent,
        frames_received: a.frames_received + b.frames_received,
        doc_bytes_sent: a.doc_bytes_sent + b.doc_bytes_sent,
        doc_bytes_received: a.doc_bytes_received + b.doc_bytes_received,
        offers_sent: a.offers_sent + b.offers_sent,
        offers_received: a.offers_received + b.offers_received,
        docs_sent: a.docs_sent + b.docs_sent,
        docs_received: a.docs_received + b.docs_received,
        change_bytes_sent: a.change_bytes_sent + b.change_bytes_sent,
        change_bytes_received: a.change_bytes_received + b.change_bytes_received,
        feed_entries_read: a.feed_entries_read + b.feed_entries_read,
    }
}

/// The invariant every checkpoint keeps, at every moment: if store `a` checkpoints store `b`'s
/// feed at `c`, then every document `b` lists at a seq up to `c` is held by `a` with all of the
/// heads `b` has for it (a document `b` changed since sits at a later seq). Unscoped peers only.
/// This is what "no replica ever skips a document" means; a checkpoint that passes a document
/// `a` does not hold (an offer never made, or completed on a stale message) breaks it at once.
fn assert_checkpoints_sound(stores: &[&Store]) {
    for a in stores {
        for b in stores {
            if a.id() == b.id() {
                continue;
            }
            let checkpoint = a.peer(&b.id()).expect("peer").checkpoint;
            for (id, record) in b.docs().expect("docs") {
                if record.seq > checkpoint {
                    continue;
                }
                let held = a.load(&id).expect("load");
                let missing: Vec<&Vec<u8>> = record
                    .heads
                    .iter()
                    .filter(|h| {
                        let hash = automerge::ChangeHash::try_from(h.as_slice()).expect("hash");
                        held.as_ref()
                            .is_none_or(|d| d.get_change_meta_by_hash(&hash).is_none())
                    })
                    .collect();
                assert!(
                    missing.is_empty(),
                    "{:?} checkpoints {:?}'s feed at {checkpoint}, past {id} (seq {}), but lacks \
                     {} of its heads",
                    a.id(),
                    b.id(),
                    record.seq,
                    missing.len()
                );
            }
        }
    }
}

fn village(n: usize) -> VillageCode {
    format!("18.01.05.{:04}", 2001 + n)
        .parse()
        .expect("valid village")
}

impl Net {
    fn new(n: usize) -> Self {
        let peers = (0..n)
            .map(|i| Peer {
                name: format!("peer-{i}"),
                store: Arc::new(
                    Store::in_memory(Some(ActorId::from(format!("actor-{i}").as_bytes())))
                        .expect("store"),
                ),
                known: HashMap::new(),
            })
            .collect();
        Self { peers }
    }

    fn session(&self, i: usize, role: Role, expected: Option<StoreId>, scope: Scope) -> Session {
        let mut config = SessionConfig::new(self.peers[i].name.clone());
        config.expected_peer = expected;
        config.scope = scope;
        config.window = 8; // small, so windowing is exercised
        Session::new(self.peers[i].store.clone(), role, config)
    }

    /// Run a full session, `a` initiating to `b`.
    fn sync(&mut self, a: usize, b: usize) -> Outcome {
        self.sync_scoped(a, b, Scope::everything(), Scope::everything())
    }

    fn sync_scoped(&mut self, a: usize, b: usize, a_sees: Scope, b_sees: Scope) -> Outcome {
        let expected = self.peers[a].known.get(&b).copied();
        // Each side's scope is what *its peer* may access.
        let mut sa = self.session(a, Role::Initiator, expected, b_sees.clone());
        let mut sb = self.session(b, Role::Responder, None, a_sees.clone());
        let mut to_b = sa.start().expect("start");
        let mut round_trips = 0;
        let mut most_states = 0;
        for _ in 0..10_000 {
            if to_b.is_empty() {
                break;
            }
            round_trips += 1;
            let to_a = sb.receive(std::mem::take(&mut to_b)).expect("responder");
            most_states = most_states.max(sb.states_in_memory());
            if to_a.is_empty() {
                break;
            }
            to_b = sa.receive(to_a).expect("initiator");
            most_states = most_states.max(sa.states_in_memory());
        }
        assert!(
            sa.is_finished() && sb.is_finished(),
            "session between {a} and {b} stalled: {sa:?} {sb:?}"
        );
        if let Some(id) = sa.peer_id() {
            self.peers[a].known.insert(b, id);
        }
        let this = Outcome {
            initiator: sa.stats().clone(),
            responder: sb.stats().clone(),
            round_trips,
            most_states,
        };
        if sa.needs_another_round() {
            // As the CLI does: another session at once. The outcome counts both.
            let next = self.sync_scoped(a, b, a_sees, b_sees);
            return Outcome {
                initiator: added(&this.initiator, &next.initiator),
                responder: added(&this.responder, &next.responder),
                round_trips: this.round_trips + next.round_trips,
                most_states: this.most_states.max(next.most_states),
            };
        }
        this
    }

    /// Run a session but cut it after `cut` frames have been delivered in total.
    fn sync_cut(&mut self, a: usize, b: usize, cut: usize) {
        let expected = self.peers[a].known.get(&b).copied();
        let mut sa = self.session(a, Role::Initiator, expected, Scope::everything());
        let mut sb = self.session(b, Role::Responder, None, Scope::everything());
        let mut delivered = 0;
        let mut to_b = sa.start().expect("start");
        loop {
            let take = to_b.len().min(cut - delivered);
            delivered += take;
            to_b.truncate(take);
            if to_b.is_empty() {
                return;
            }
            let mut to_a = sb.receive(std::mem::take(&mut to_b)).expect("responder");
            let take = to_a.len().min(cut - delivered);
            delivered += take;
            to_a.truncate(take);
            if to_a.is_empty() {
                return;
            }
            to_b = sa.receive(to_a).expect("initiator");
            if let Some(id) = sa.peer_id() {
                self.peers[a].known.insert(b, id);
            }
        }
    }

    /// Every document on every peer, with its JSON view, keyed by peer.
    fn snapshot(&self, i: usize) -> BTreeMap<String, String> {
        let store = &self.peers[i].store;
        store
            .docs()
            .expect("docs")
            .into_iter()
            .map(|(id, _)| {
                let doc = store.load(&id).expect("load").expect("present");
                let json = match id.kind() {
                    DocKind::Minutes => serde_json::to_string(&minutes::read(&doc).expect("read")),
                    DocKind::Training => {
                        serde_json::to_string(&training::read(&doc).expect("read"))
                    }
                }
                .expect("json");
                (id.to_string(), format!("{json}|{:?}", doc.get_heads()))
            })
            .collect()
    }

    fn assert_converged(&self, peers: &[usize]) {
        let first = self.snapshot(peers[0]);
        for &p in &peers[1..] {
            assert_eq!(
                self.snapshot(p),
                first,
                "peer {p} differs from peer {}",
                peers[0]
            );
        }
    }
}

fn new_minutes(store: &Store, v: VillageCode) -> DocId {
    let id = DocId::generate(DocKind::Minutes, v);
    store
        .edit(&id, |doc| {
            minutes::create(
                doc,
                id.village(),
                &minutes::NewMinutes {
                    title: "Musyawarah".into(),
                    date: "2026-11-29".into(),
                    place: None,
                    facilitator: None,
                },
            )
            .map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .expect("create");
    id
}

fn note(store: &Store, id: &DocId, text: &str) {
    store
        .edit(id, |doc| {
            minutes::append_note(doc, text).map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .expect("note");
}

fn attend(store: &Store, id: &DocId, name: &str) {
    store
        .edit(id, |doc| {
            minutes::attend(
                doc,
                &Person {
                    name: name.into(),
                    gender: None,
                    dusun: None,
                },
                None,
            )
            .map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .expect("attend");
}

#[test]
fn two_devices_edit_the_same_minutes_offline_and_converge_through_a_server() {
    let mut net = Net::new(3); // 0 = server, 1 and 2 = devices
    let id = new_minutes(&net.peers[1].store, village(0));
    net.sync(1, 0);
    net.sync(2, 0);
    attend(&net.peers[1].store, &id, "Siti Aminah");
    note(&net.peers[1].store, &id, "dari perangkat satu");
    attend(&net.peers[2].store, &id, "Made Wirawan");
    note(&net.peers[2].store, &id, "dari perangkat dua");
    net.sync(2, 0);
    net.sync(1, 0);
    net.sync(2, 0);
    net.assert_converged(&[0, 1, 2]);
    let doc = net.peers[0]
        .store
        .load(&id)
        .expect("load")
        .expect("present");
    let v = minutes::read(&doc).expect("read");
    assert_eq!(v.attendees.len(), 2);
    assert!(v.notes.contains("dari perangkat satu") && v.notes.contains("dari perangkat dua"));
}

#[test]
fn reconnect_with_nothing_new_is_one_round_trip_without_document_data() {
    let mut net = Net::new(2);
    for i in 0..300 {
        let id = new_minutes(&net.peers[1].store, village(i % 7));
        attend(&net.peers[1].store, &id, "Siti");
    }
    let first = net.sync(1, 0);
    assert_eq!(first.initiator.offers_sent, 300);
    assert_eq!(first.responder.docs_received, 300);
    // The server's feed now holds the 300 documents it received; it must not echo them back.
    let again = net.sync(1, 0);
    assert_eq!(again.round_trips, 1, "{again:?}");
    assert_eq!(
        again.initiator.doc_bytes_sent + again.responder.doc_bytes_sent,
        0,
        "{again:?}"
    );
    assert_eq!(again.initiator.offers_sent + again.responder.offers_sent, 0);
    net.assert_converged(&[0, 1]);
}

#[test]
fn a_server_that_forgot_a_peer_re_offers_every_document_once() {
    let mut net = Net::new(2);
    for i in 0..40 {
        let id = new_minutes(&net.peers[0].store, village(i % 4));
        attend(&net.peers[0].store, &id, "Siti");
    }
    net.sync(1, 0);
    assert_eq!(net.sync(1, 0).responder.offers_sent, 0);
    // `balai admin resync`: the server forgets the device's checkpoint and sync states.
    let device = net.peers[1].store.id();
    let forgotten = net.peers[0].store.forget_peer(&device).expect("forget");
    assert_eq!(forgotten.sync_states, 40);
    let resync = net.sync(1, 0);
    assert_eq!(resync.responder.offers_sent, 40, "{resync:?}");
    // The server said `reset` (it forgot on purpose): the device's sync states stay true, so it
    // sends nothing of its own again.
    assert_eq!(resync.initiator.docs_sent, 0, "{resync:?}");
    assert_eq!(
        resync.initiator.docs_received, 0,
        "nothing was missing: {resync:?}"
    );
    net.assert_converged(&[0, 1]);
    // Re-diffed once; then back to a no-op.
    let after = net.sync(1, 0);
    assert_eq!(
        after.responder.offers_sent + after.initiator.offers_sent,
        0,
        "{after:?}"
    );
    assert_eq!(after.round_trips, 1, "{after:?}");
}

#[test]
fn one_new_change_offers_only_that_document() {
    let mut net = Net::new(3);
    let ids: Vec<DocId> = (0..50)
        .map(|i| new_minutes(&net.peers[1].store, village(i % 3)))
        .collect();
    net.sync(1, 0);
    net.sync(2, 0);
    attend(&net.peers[2].store, &ids[17], "Budi");
    let push = net.sync(2, 0);
    assert_eq!(push.initiator.offers_sent, 1);
    assert_eq!(push.responder.docs_received, 1);
    let pull = net.sync(1, 0);
    assert_eq!(pull.responder.offers_sent, 1, "{pull:?}");
    assert_eq!(pull.initiator.docs_received, 1);
    net.assert_converged(&[0, 1, 2]);
}

/// Issue 12: a peer that shares none of a document gets it whole in the offer, as the sender
/// stores it (no load, no save, no exchange of heads first), and keeps the bytes as they came;
/// its "now held" answer makes the sender's sync state current without loading the document.
#[test]
fn a_fresh_device_gets_each_document_whole_in_its_offer_and_keeps_the_bytes() {
    let mut net = Net::new(3);
    let ids: Vec<DocId> = (0..30)
        .map(|i| {
            let id = new_minutes(&net.peers[1].store, village(i % 3));
            attend(&net.peers[1].store, &id, "Siti");
            id
        })
        .collect();
    net.sync(1, 0);
    let pull = net.sync(2, 0);
    assert_eq!(pull.responder.offers_sent, 30, "{pull:?}");
    assert_eq!(pull.initiator.docs_received, 30, "{pull:?}");
    // Per document: one offer carrying it, one empty answer. Nothing else but the session's
    // own frames (hellos, ends of offers, done, complete).
    assert_eq!(pull.responder.frames_sent, 1 + 30 + 1 + 1, "{pull:?}");
    assert!(pull.initiator.frames_sent <= 1 + 1 + 30 + 4, "{pull:?}");
    // Settled documents leave the sessions' memory: neither side holds a sync state for each
    // document it moved (issue 12: 1.6 KiB each, 421 MiB of server RSS at 100,000 documents).
    assert_eq!(pull.most_states, 0, "{pull:?}");
    let server = &net.peers[0].store;
    let device = &net.peers[2].store;
    for id in &ids {
        assert_eq!(
            device.stored_bytes(id).expect("bytes"),
            server.stored_bytes(id).expect("bytes"),
            "{id} is stored as it was sent"
        );
        let shared = server
            .shared_heads(&device.id(), id)
            .expect("state")
            .expect("recorded");
        let mut shared: Vec<Vec<u8>> = shared.iter().map(|h| h.0.to_vec()).collect();
        shared.sort();
        let mut heads = server.doc_record(id).expect("record").expect("held").heads;
        heads.sort();
        assert_eq!(shared, heads, "the server knows the device holds {id}");
    }
    let again = net.sync(2, 0);
    assert_eq!(again.round_trips, 1, "{again:?}");
    assert_eq!(again.responder.offers_sent + again.initiator.offers_sent, 0);
    net.assert_converged(&[0, 1, 2]);
}

/// Issue 12: when both sides share a document's earlier heads, the offer itself carries the
/// new changes, so one change is pushed in one exchange (plus `Done`/`Complete`).
#[test]
fn one_change_travels_in_the_offer_itself() {
    let mut net = Net::new(2);
    let id = new_minutes(&net.peers[1].store, village(0));
    net.sync(1, 0);
    attend(&net.peers[1].store, &id, "Budi");
    let push = net.sync(1, 0);
    assert_eq!(push.initiator.offers_sent, 1, "{push:?}");
    assert_eq!(push.responder.docs_received, 1, "{push:?}");
    assert!(push.round_trips <= 2, "{push:?}");
    assert_eq!(
        push.initiator.docs_sent, 1,
        "the changes went once, in the offer: {push:?}"
    );
    net.assert_converged(&[0, 1]);
}

/// A whole document offered to a peer that already holds a copy of it (here with edits of its
/// own) is merged, and the peer answers with a sync message so its own edits travel back.
#[test]
fn a_whole_offer_of_a_document_the_receiver_holds_is_merged() {
    let mut net = Net::new(3);
    let id = new_minutes(&net.peers[1].store, village(0));
    net.sync(1, 0);
    // Device 2 gets it from device 1 directly: it shares nothing with the server yet.
    net.sync(2, 1);
    attend(&net.peers[2].store, &id, "Made Wirawan");
    attend(&net.peers[1].store, &id, "Ketut");
    net.sync(1, 0);
    // The server shares nothing of it with device 2 either: it offers it whole, device 2 merges
    // and answers with a sync message carrying its own attendee.
    let push = net.sync(2, 0);
    assert_eq!(push.responder.offers_sent, 1, "{push:?}");
    assert_eq!(push.responder.docs_received, 1, "{push:?}");
    net.sync(1, 0);
    net.assert_converged(&[0, 1, 2]);
    let doc = net.peers[0].store.load(&id).expect("load").expect("held");
    assert_eq!(minutes::read(&doc).expect("read").attendees.len(), 2);
}

/// A whole document that does not reach the heads its offer announced is refused, and nothing
/// of it is stored.
#[test]
fn a_whole_offer_short_of_its_heads_is_refused() {
    let net = Net::new(2);
    let id = new_minutes(&net.peers[1].store, village(0));
    let bytes = net.peers[1]
        .store
        .stored_bytes(&id)
        .expect("bytes")
        .expect("held");
    let mut server = net.session(0, Role::Responder, None, Scope::everything());
    let mut stamps = Stamper::new(0x000F_FE12);
    let hello = Frame::Hello(Hello::first(net.peers[1].store.id(), "short"));
    let offer = Frame::Doc(DocMessage {
        doc_id: id.clone(),
        offer_seq: 1,
        heads: vec![automerge::ChangeHash([7; 32])],
        sync: bytes,
        whole: true,
    });
    let err = server
        .receive(stamps.stamp_all([hello, offer]))
        .expect_err("refused");
    assert!(
        matches!(&err, SyncError::BadMessage { reason, .. } if reason.contains("heads")),
        "{err}"
    );
    assert_eq!(net.peers[0].store.doc_count().expect("count"), 0);
}

#[test]
fn a_responder_announces_the_regions_it_grants_in_its_hello() {
    let net = Net::new(2);
    let grant = Scope::regions(["18.01.05.2001".parse().expect("valid")]);
    let mut device = net.session(1, Role::Initiator, None, Scope::everything());
    let mut server = net.session(0, Role::Responder, None, grant);
    let to_server = device.start().expect("start");
    let to_device = server.receive(to_server).expect("responder");
    device.receive(to_device).expect("initiator");
    let announced: Vec<&str> = device.peer_scopes().iter().map(|p| p.as_str()).collect();
    assert_eq!(announced, ["18.01.05.2001"]);
    // An unscoped side announces no limit.
    assert!(server.peer_scopes().is_empty());
}

#[test]
fn a_peer_never_receives_documents_outside_its_scope_and_cannot_push_them() {
    let mut net = Net::new(2);
    let inside = new_minutes(&net.peers[0].store, village(0));
    let outside = new_minutes(&net.peers[0].store, village(1));
    let only_a: Scope =
        Scope::regions([village(0).as_str().parse::<RegionPrefix>().expect("valid")]);
    // Device 1 may see village 0 only; the server (0) sees everything.
    net.sync_scoped(1, 0, only_a.clone(), Scope::everything());
    assert!(net.peers[1].store.load(&inside).expect("load").is_some());
    assert!(net.peers[1].store.load(&outside).expect("load").is_none());

    let sneaky = new_minutes(&net.peers[1].store, village(1));
    let mut device = net.session(
        1,
        Role::Initiator,
        net.peers[1].known.get(&0).copied(),
        Scope::everything(),
    );
    let mut server = net.session(0, Role::Responder, None, only_a);
    let mut to_server = device.start().expect("start");
    let mut error = None;
    for _ in 0..10 {
        match server.receive(std::mem::take(&mut to_server)) {
            Ok(to_device) => to_server = device.receive(to_device).expect("device"),
            Err(e) => {
                error = Some(e);
                break;
            }
        }
    }
    assert!(
        matches!(error, Some(SyncError::OutOfScope { .. })),
        "{error:?}"
    );
    assert!(
        net.peers[0].store.load(&sneaky).expect("load").is_none(),
        "nothing of the push was stored"
    );
}

#[test]
fn a_cut_session_resumes_and_does_not_resend_completed_documents() {
    let mut net = Net::new(2);
    for i in 0..40 {
        let id = new_minutes(&net.peers[1].store, village(i % 4));
        note(&net.peers[1].store, &id, &"catatan panjang ".repeat(50));
    }
    net.sync_cut(1, 0, 30);
    let received_before = net.peers[0].store.doc_count().expect("count");
    assert!(
        received_before > 0 && received_before < 40,
        "the cut fell mid-session: {received_before}"
    );
    let resumed = net.sync(1, 0);
    assert!(
        resumed.initiator.docs_sent <= 40 - received_before + 8,
        "completed documents are not sent again: {resumed:?}, {received_before} already there"
    );
    net.assert_converged(&[0, 1]);
}

#[test]
fn garbage_sync_bytes_are_refused_and_nothing_is_written() {
    let net = Net::new(2);
    let id = new_minutes(&net.peers[1].store, village(0));
    let mut server = net.session(0, Role::Responder, None, Scope::everything());
    let mut stamps = Stamper::new(0xE71);
    let hello = Frame::Hello(Hello::first(net.peers[1].store.id(), "evil"));
    server.receive(vec![stamps.stamp(hello)]).expect("hello");
    let head = net.peers[1]
        .store
        .doc_record(&id)
        .expect("record")
        .expect("held")
        .heads[0]
        .clone();
    let bad = Frame::Doc(DocMessage {
        doc_id: id.clone(),
        offer_seq: 1,
        heads: vec![automerge::ChangeHash::try_from(head.as_slice()).expect("hash")],
        sync: vec![0x42, 0xff, 0xff, 0x00],
        whole: false,
    });
    assert!(matches!(
        server.receive(vec![stamps.stamp(bad)]),
        Err(SyncError::BadMessage { .. })
    ));
    assert_eq!(net.peers[0].store.doc_count().expect("count"), 0);
}

/// Issue 12, fix 1. A server restored from a backup keeps its store id, and numbers new changes
/// with seqs it had handed out before the restore. A device whose checkpoint of the server is
/// past the restored feed must not skip what the server numbers anew, and what devices hold that
/// the backup lacks must reach the server again. (Before feed epochs the server answered
/// `since.min(last_seq)`: device 2 never received device 3's document.)
#[test]
fn a_server_restored_from_a_backup_loses_nothing_and_skips_nothing() {
    let dir = tempfile::tempdir().expect("tempdir");
    let live = dir.path().join("server.redb");
    let backup = dir.path().join("backup.redb");
    let mut net = Net::new(4);
    let open = |path: &std::path::Path| Arc::new(Store::open(path, None).expect("open server"));
    net.peers[0].store = open(&live);
    let a = new_minutes(&net.peers[1].store, village(0));
    net.sync(1, 0);
    net.sync(2, 0);
    net.sync(3, 0);
    // The backup: a copy of the closed store's file.
    net.peers[0].store = Arc::new(Store::in_memory(None).expect("placeholder"));
    std::fs::copy(&live, &backup).expect("back up");
    net.peers[0].store = open(&live);
    // Life goes on: device 1 records B and C; devices 2 and 3 get them.
    let b = new_minutes(&net.peers[1].store, village(1));
    let c = new_minutes(&net.peers[1].store, village(2));
    attend(&net.peers[1].store, &a, "Sebelum pemulihan");
    net.sync(1, 0);
    net.sync(2, 0);
    net.sync(3, 0);
    let before_restore = net.peers[2]
        .store
        .peer(&net.peers[0].store.id())
        .expect("peer")
        .checkpoint;
    // The disk dies; the operator restores the backup (same store id, older feed).
    net.peers[0].store = Arc::new(Store::in_memory(None).expect("placeholder"));
    std::fs::copy(&backup, &live).expect("restore");
    net.peers[0].store = open(&live);
    assert!(net.peers[0].store.load(&b).expect("load").is_none());
    // Device 3 records new documents: the restored server numbers them with the seqs B, C and
    // A's edit had before the restore, so device 2's checkpoint already "covers" them.
    let mut new = Vec::new();
    for v in 0..4 {
        new.push(new_minutes(&net.peers[3].store, village(v)));
    }
    net.sync(3, 0);
    assert!(
        net.peers[0].store.last_seq().expect("seq") >= before_restore,
        "the restored server's feed has grown back past device 2's checkpoint"
    );
    for _ in 0..2 {
        for d in 1..4 {
            net.sync(d, 0);
        }
    }
    for id in new.iter().chain([&a, &b, &c]) {
        for peer in 0..4 {
            assert!(
                net.peers[peer].store.load(id).expect("load").is_some(),
                "peer {peer} lacks {id}"
            );
        }
    }
    net.assert_converged(&[0, 1, 2, 3]);
    assert_checkpoints_sound(&net.peers.iter().map(|p| &*p.store).collect::<Vec<_>>());
}

/// A store's feed epochs: each process that writes numbers its changes in a new epoch, and a
/// position is valid only in the epoch (or an earlier one) whose part of the feed reaches it.
#[test]
fn feed_positions_are_valid_only_in_the_epochs_that_reached_them() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("s.redb");
    let store = Store::open(&path, None).expect("open");
    assert_eq!(store.feed_epoch().expect("epoch"), 0);
    assert!(store.feed_position_valid(0, 0).expect("valid"));
    assert!(
        !store.feed_position_valid(0, 1).expect("valid"),
        "nothing handed out yet"
    );
    let writer = Store::in_memory(Some(ActorId::random())).expect("store");
    let one = new_minutes(&writer, village(0));
    let copy = |store: &Store, id: &DocId| {
        let doc = writer.load(id).expect("load").expect("held");
        store
            .batch(|b| -> Result<(), StoreError> {
                b.doc_mut(id)?
                    .merge(&mut doc.clone())
                    .map_err(|e| StoreError::Corrupt(e.to_string()))?;
                Ok(())
            })
            .expect("copy");
    };
    copy(&store, &one);
    let first = store.feed_epoch().expect("epoch");
    assert_ne!(first, 0);
    assert!(store.feed_position_valid(first, 1).expect("valid"));
    assert!(store.feed_position_valid(0, 0).expect("valid"));
    assert!(
        !store.feed_position_valid(0, 1).expect("valid"),
        "seq 1 was handed out in `first`"
    );
    assert!(
        !store.feed_position_valid(first, 2).expect("valid"),
        "not handed out"
    );
    assert!(
        !store.feed_position_valid(12345, 1).expect("valid"),
        "an epoch never seen"
    );
    drop(store);
    // Reopened: the same epoch until this process writes, then a new one.
    let store = Store::open(&path, None).expect("reopen");
    assert_eq!(store.feed_epoch().expect("epoch"), first);
    copy(&store, &new_minutes(&writer, village(1)));
    let second = store.feed_epoch().expect("epoch");
    assert_ne!(second, first);
    assert!(store.feed_position_valid(first, 1).expect("valid"));
    assert!(
        !store.feed_position_valid(first, 2).expect("valid"),
        "seq 2 is `second`'s"
    );
    assert!(store.feed_position_valid(second, 2).expect("valid"));
    assert!(
        store.feed_position_valid(second, 1).expect("valid"),
        "earlier seqs stay valid"
    );
}

/// One step of a random field day.
#[derive(Clone, Debug)]
enum Op {
    /// Device creates a document in one of a few villages.
    Create { device: usize, village: usize },
    /// Device edits the n-th document it knows (modulo), adding a unique note or attendee.
    Edit {
        device: usize,
        doc: usize,
        attendee: bool,
    },
    /// `a` syncs with `b` (either may be the server 0).
    Sync { a: usize, b: usize },
}

const PEERS: usize = 4;

fn op() -> impl Strategy<Value = Op> {
    prop_oneof![
        1 => (1..PEERS, 0..3usize).prop_map(|(device, village)| Op::Create { device, village }),
        4 => (1..PEERS, 0..8usize, any::<bool>()).prop_map(|(device, doc, attendee)| Op::Edit { device, doc, attendee }),
        3 => (0..PEERS, 0..PEERS).prop_filter("distinct", |(a, b)| a != b).prop_map(|(a, b)| Op::Sync { a, b }),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 256, ..ProptestConfig::default() })]

    /// Random offline edits on three devices, random syncs between any two peers (device to
    /// server and device to device); after every device syncs with the server twice, all four
    /// replicas are identical and every edit made anywhere is present.
    #[test]
    fn replicas_converge_and_lose_nothing(ops in proptest::collection::vec(op(), 1..40)) {
        let mut net = Net::new(PEERS);
        let mut made: Vec<(DocId, String)> = Vec::new();
        let mut counter = 0;
        for op in ops {
            match op {
                Op::Create { device, village: v } => {
                    let id = new_minutes(&net.peers[device].store, village(v));
                    made.push((id, String::new()));
                }
                Op::Edit { device, doc, attendee } => {
                    let docs = net.peers[device].store.docs().expect("docs");
                    if docs.is_empty() { continue; }
                    let (id, _) = &docs[doc % docs.len()];
                    counter += 1;
                    let mark = format!("edit-{counter}");
                    if attendee { attend(&net.peers[device].store, id, &mark) } else { note(&net.peers[device].store, id, &mark) }
                    made.push((id.clone(), mark));
                }
                Op::Sync { a, b } => { net.sync(a, b); }
            }
            assert_checkpoints_sound(&net.peers.iter().map(|p| &*p.store).collect::<Vec<_>>());
        }
        for _ in 0..2 {
            for d in 1..PEERS { net.sync(d, 0); }
        }
        net.assert_converged(&(0..PEERS).collect::<Vec<_>>());
        let all = net.snapshot(0);
        for (id, mark) in made {
            let entry = all.get(&id.to_string());
            prop_assert!(entry.is_some(), "document {} lost", id);
            let mark_key = mark.to_lowercase();
            prop_assert!(entry.is_some_and(|e| e.contains(&mark) || e.contains(&mark_key)), "edit {} lost in {}", mark, id);
        }
    }
}
