//! Engine-level tests of what a hostile peer may send (simulated peers, no network): each one
//! reproduces an attack an independent client made against the server, and shows that the
//! responder refuses it and that its store is exactly as it was.

use std::sync::Arc;

use automerge::sync::{ChunkList, Message, MessageVersion};
use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ObjType, ROOT, ReadDoc};

use super::*;
use crate::ids::DocKind;

fn village(code: &str) -> crate::region::VillageCode {
    code.parse().expect("valid village")
}

/// A server store holding one document of village A, and its id.
fn server_with_one_doc() -> (Arc<Store>, DocId) {
    let store = Arc::new(Store::in_memory(None).expect("store"));
    let id = DocId::generate(DocKind::Minutes, village("18.01.05.2001"));
    store
        .edit(&id, |doc| {
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, "title", "Musyawarah")?;
                Ok(())
            })
            .map_err(|e| StoreError::Corrupt(format!("{e:?}")))?;
            Ok::<_, StoreError>(())
        })
        .expect("edit");
    (store, id)
}

fn responder(store: &Arc<Store>, scope: &str, limits: DocLimits) -> Session {
    let mut config = SessionConfig::new("server");
    config.scope = Scope::regions([scope.parse().expect("prefix")]);
    config.limits = limits;
    Session::new(store.clone(), Role::Responder, config)
}

fn hello() -> Frame {
    Frame::Hello(Hello::first(StoreId::random(), "attacker"))
}

fn doc_frame(id: &DocId, sync: Vec<u8>) -> Frame {
    Frame::Doc(DocMessage {
        doc_id: id.clone(),
        offer_seq: 0,
        heads: Vec::new(),
        sync,
        whole: false,
    })
}

/// Frames as the attacker's session sends them, numbered from 1 (the attacks here are in the
/// content, not the stamps; `sim::faults` covers those).
fn stamped(frames: Vec<Frame>) -> Vec<Envelope> {
    Stamper::new(0xA77A_C4E5).stamp_all(frames)
}

/// A sync message that pushes every change of `doc` unasked.
fn push_all(doc: &Automerge) -> Vec<u8> {
    Message {
        heads: doc.get_heads(),
        need: Vec::new(),
        have: Vec::new(),
        changes: ChunkList::from(
            doc.get_changes(&[])
                .into_iter()
                .map(|c| c.raw_bytes().to_vec())
                .collect::<Vec<_>>(),
        ),
        flags: None,
        version: MessageVersion::V1,
    }
    .encode()
}

/// Everything the store holds, for before/after comparisons.
fn state(store: &Store) -> Vec<(DocId, Vec<Vec<u8>>)> {
    store
        .docs()
        .expect("docs")
        .into_iter()
        .map(|(id, r)| (id, r.heads))
        .collect()
}

#[test]
fn a_bloom_filter_with_billions_of_probes_is_refused_before_automerge_uses_it() {
    let (store, id) = server_with_one_doc();
    let before = state(&store);
    let mut session = responder(&store, "18", DocLimits::DEFAULT);
    // 0x42, no heads, no needs, one `have` (no last_sync) whose filter is
    // entries=1, bits_per_entry=8, num_probes=2^32-1, one byte of bits; no changes. 15 bytes.
    let bomb = vec![
        0x42, 0, 0, 1, 0, 8, 1, 8, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0,
    ];
    assert_eq!(bomb.len(), 15);
    let err = session
        .receive(stamped(vec![hello(), doc_frame(&id, bomb)]))
        .expect_err("refused");
    assert!(
        matches!(&err, SyncError::BadMessage { reason, .. } if reason.contains("Bloom")),
        "{err}"
    );
    assert_eq!(state(&store), before);
}

/// Offers carry their heads (1 to 256), replies none, and only offers may be whole: checked by
/// the engine after the peer's `Hello` (so a peer of another version hears that first).
#[test]
fn offers_without_heads_replies_with_heads_and_whole_replies_are_refused() {
    let (store, id) = server_with_one_doc();
    let before = state(&store);
    let head = automerge::ChangeHash([9; 32]);
    let frames = [
        (1, Vec::new(), false, "heads"),
        (0, vec![head], false, "announces heads"),
        (0, Vec::new(), true, "whole"),
    ];
    for (offer_seq, heads, whole, needle) in frames {
        let mut session = responder(&store, "18", DocLimits::DEFAULT);
        let frame = Frame::Doc(DocMessage {
            doc_id: id.clone(),
            offer_seq,
            heads,
            sync: Vec::new(),
            whole,
        });
        let err = session
            .receive(stamped(vec![hello(), frame]))
            .expect_err("refused");
        assert!(
            matches!(&err, SyncError::Protocol(m) if m.contains(needle)),
            "{needle}: {err}"
        );
    }
    // A peer of another version is told so, whatever follows its Hello.
    let mut session = responder(&store, "18", DocLimits::DEFAULT);
    let Frame::Hello(mut old) = hello() else {
        unreachable!("hello() is a Hello")
    };
    old.protocol = 1;
    let offer = Frame::Doc(DocMessage {
        doc_id: id.clone(),
        offer_seq: 1,
        heads: Vec::new(),
        sync: vec![0x42],
        whole: false,
    });
    let err = session
        .receive(vec![
            Envelope {
                session: 0,
                number: 0,
                frame: Frame::Hello(old),
            },
            Envelope {
                session: 0,
                number: 0,
                frame: offer,
            },
        ])
        .expect_err("refused");
    assert!(
        matches!(err, SyncError::ProtocolVersion { theirs: 1 }),
        "{err}"
    );
    assert_eq!(state(&store), before);
}

#[test]
fn nothing_but_hello_may_come_first() {
    let (store, _) = server_with_one_doc();
    for frame in [
        Frame::Done { received: 0 },
        Frame::OffersEnd { upto: 1 << 63 },
    ] {
        let mut session = responder(&store, "18", DocLimits::DEFAULT);
        let err = session.receive(stamped(vec![frame])).expect_err("refused");
        assert!(matches!(err, SyncError::Protocol(_)), "{err}");
    }
}

#[test]
fn a_document_bomb_is_refused_and_the_document_stays_as_it_was() {
    let limits = DocLimits {
        max_ops: 5_000,
        max_bytes: 1024 * 1024,
    };
    let (store, id) = server_with_one_doc();
    let before = state(&store);

    // A new document of 20,000 text operations.
    let mut bomb = Automerge::new().with_actor(ActorId::from(b"attacker".as_slice()));
    let mut tx = bomb.transaction();
    let text = tx.put_object(ROOT, "notes", ObjType::Text).expect("text");
    tx.splice_text(&text, 0, 0, &"x".repeat(20_000))
        .expect("splice");
    tx.commit();
    let new_id = DocId::generate(DocKind::Minutes, village("18.01.05.2001"));
    let mut session = responder(&store, "18", limits);
    let err = session
        .receive(stamped(vec![hello(), doc_frame(&new_id, push_all(&bomb))]))
        .expect_err("refused");
    assert!(
        matches!(&err, SyncError::TooLarge { .. }) && err.to_string().contains("max-doc-ops"),
        "{err}"
    );

    // The existing document grown past the limit by small changes, each fine on its own.
    let mut grown = store.load(&id).expect("load").expect("present");
    grown.set_actor(ActorId::from(b"attacker".as_slice()));
    for i in 0..3 {
        let mut tx = grown.transaction();
        for k in 0..2_000 {
            tx.put(ROOT, format!("k{i}-{k}"), k as i64).expect("put");
        }
        tx.commit();
    }
    let mut session = responder(&store, "18", limits);
    let err = session
        .receive(stamped(vec![hello(), doc_frame(&id, push_all(&grown))]))
        .expect_err("refused");
    assert!(matches!(&err, SyncError::TooLarge { .. }), "{err}");

    // Four MiB of one repeated byte: a few KiB on the wire, far past the byte limit inflated.
    let mut blob = Automerge::new();
    let mut tx = blob.transaction();
    tx.put(ROOT, "attachment", vec![7u8; 4 * 1024 * 1024])
        .expect("put");
    tx.commit();
    let compressed = blob.clone();
    let wire = Message {
        heads: blob.get_heads(),
        need: Vec::new(),
        have: Vec::new(),
        changes: ChunkList::from(
            compressed
                .get_changes(&[])
                .into_iter()
                .map(|mut c| c.bytes().to_vec())
                .collect::<Vec<_>>(),
        ),
        flags: None,
        version: MessageVersion::V1,
    }
    .encode();
    assert!(wire.len() < 64 * 1024, "compressed: {}", wire.len());
    let blob_id = DocId::generate(DocKind::Minutes, village("18.01.05.2001"));
    let mut session = responder(&store, "18", limits);
    let err = session
        .receive(stamped(vec![hello(), doc_frame(&blob_id, wire)]))
        .expect_err("refused");
    assert!(err.to_string().contains("max-doc-mib"), "{err}");

    assert_eq!(state(&store), before, "nothing was written");
    let doc = store.load(&id).expect("load").expect("present");
    assert!(
        doc.stats().num_ops < 10,
        "the cache holds the old document too"
    );
}

#[test]
fn garbage_changes_are_refused_not_ignored() {
    let (store, id) = server_with_one_doc();
    let before = state(&store);
    let mut session = responder(&store, "18", DocLimits::DEFAULT);
    let garbage = vec![0x42, 0, 0, 0, 1, 4, 0x13, 0x37, 0xbe, 0xef];
    let err = session
        .receive(stamped(vec![hello(), doc_frame(&id, garbage)]))
        .expect_err("refused");
    assert!(matches!(err, SyncError::BadMessage { .. }), "{err}");
    assert_eq!(state(&store), before);
}

#[test]
fn a_batch_with_an_out_of_scope_document_commits_nothing_of_it() {
    let (store, _) = server_with_one_doc();
    let before = state(&store);
    let mut doc = Automerge::new();
    let mut tx = doc.transaction();
    tx.put(ROOT, "title", "Forum").expect("put");
    tx.commit();
    let inside = DocId::generate(DocKind::Minutes, village("18.01.05.2001"));
    let outside = DocId::generate(DocKind::Minutes, village("18.01.05.2002"));
    let mut session = responder(&store, "18.01.05.2001", DocLimits::DEFAULT);
    let err = session
        .receive(stamped(vec![
            hello(),
            doc_frame(&inside, push_all(&doc)),
            doc_frame(&outside, push_all(&doc)),
        ]))
        .expect_err("refused");
    assert!(matches!(err, SyncError::OutOfScope { .. }), "{err}");
    assert_eq!(state(&store), before, "the in-scope document was not kept");
}

#[test]
fn changes_that_make_automerge_panic_leave_the_engine_and_the_store_whole() {
    // Inputs the `sync_message` fuzz target found: well-framed document chunks on which
    // automerge 0.12 panics while applying them or answering. The engine must contain that.
    let dir =
        std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../fuzz/regressions/sync_message");
    let mut tried = 0;
    for entry in std::fs::read_dir(&dir).expect("regressions") {
        let path = entry.expect("entry").path();
        let name = path
            .file_name()
            .and_then(|n| n.to_str())
            .unwrap_or_default();
        if !name.starts_with("automerge-panic") {
            continue;
        }
        let bytes = std::fs::read(&path).expect("read");
        // Into the document the store holds, and into one it does not have yet.
        for fresh in [false, true] {
            let (store, held) = server_with_one_doc();
            let target = if fresh {
                DocId::generate(DocKind::Minutes, village("18.01.05.2001"))
            } else {
                held.clone()
            };
            let before = state(&store);
            let mut session = responder(&store, "18", DocLimits::DEFAULT);
            let result = session.receive(stamped(vec![hello(), doc_frame(&target, bytes.clone())]));
            if result.is_err() {
                assert_eq!(state(&store), before, "{name}: a refusal writes nothing");
            }
            // Whatever happened, the store is consistent: every document loads with the heads
            // its record says.
            for (id, record) in store.docs().expect("docs") {
                let doc = store.load(&id).expect("load").expect("present");
                let mut heads: Vec<Vec<u8>> =
                    doc.get_heads().iter().map(|h| h.0.to_vec()).collect();
                let mut want = record.heads.clone();
                heads.sort();
                want.sort();
                assert_eq!(heads, want, "{name}: {id}");
            }
        }
        tried += 1;
    }
    assert!(tried >= 1, "the regression inputs are there");
}
