//! Fuzzing entry points for the wire decoding and the sync engine, shared by the cargo-fuzz
//! targets in `fuzz/` and the corpus replay test (`shared/tests/fuzz_corpus.rs`), plus the seed
//! inputs they start from. Not an API: hidden from the docs, free to change.
//!
//! Each entry point panics on a violated invariant (that is how libFuzzer and the replay test see
//! a failure) and otherwise returns what happened, so tests can check the seeds are meaningful.
//! Everything is deterministic given the input: seed documents are written with fixed actors and
//! no timestamps, so captured inputs replay exactly.
#![doc(hidden)]

use std::collections::BTreeMap;
use std::io::Read as _;
use std::sync::{Arc, OnceLock};

use automerge::sync::{Message, State, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ChangeHash, ObjType, ROOT, ReadDoc};
use prost::Message as _;

use super::guard::{self, DocLimits, MessageError, Weight};
use super::{DocMessage, Envelope, Frame, MAX_OFFER_HEADS, Role, Session, SessionConfig};
use crate::ids::{DocId, DocKind, StoreId};
use crate::model::{SCHEMA_VERSION, minutes, training};
use crate::proto::{Reassembler, to_wire, v1};
use crate::store::{Store, StoreError};

/// A `Hello` whose `your_id` is this is rewritten to name the responder's store (whose id is
/// random), so inputs can reach the paths of a peer that knows whom it is talking to.
pub const RESPONDER_PLACEHOLDER: [u8; 16] = [0xA5; 16];

/// Record flag: hand the frames gathered so far (this one included) to the engine as one batch.
pub const END_OF_BATCH: u8 = 1;

/// Record flag: keep the stamps (`Frame.session`, `Frame.number`) the record's wire frame
/// carries. Without it the harness stamps the frame as an honest sender would (see
/// [`decode_records`]): random bytes almost never carry the nonce of the input's `Hello` and the
/// next number, so without re-stamping the fuzzer would stop at the engine's stamp check; with
/// this flag on some records, that check itself is fuzzed.
pub const RAW_STAMPS: u8 = 2;

/// The nonce re-stamped frames carry when the input's first `Hello` carries none (0, which no
/// sender picks) or the input has no `Hello`.
pub const FALLBACK_NONCE: u64 = 0x5EED_5EED_5EED_5EED;

/// Target `frame_decode`: bytes → wire `Frame` → engine `Frame`. Must never panic; a frame that
/// is accepted comes back unchanged from a round trip through the wire type.
pub fn frame_decode(data: &[u8]) -> Option<Envelope> {
    let wire = v1::Frame::decode(data).ok()?;
    let frame = Envelope::try_from(wire).ok()?;
    let again = Envelope::try_from(v1::Frame::from(frame.clone()));
    assert!(
        matches!(&again, Ok(f) if *f == frame),
        "round trip changed {frame:?} into {again:?}"
    );
    // Counters must not panic on any accepted frame either.
    let _ = frame.frame.payload_len();
    Some(frame)
}

/// What [`engine_frames`] did with an input.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EngineRun {
    /// Frames and batches handed to the engine.
    pub frames: usize,
    pub batches: usize,
    /// Frames the engine answered with.
    pub replies: usize,
    /// Of those, answers to document messages carrying an automerge sync message (not the empty
    /// answer that says "nothing to ask" or, to a whole document, "now held").
    pub sync_replies: usize,
    /// A record that did not decode into an engine frame (the server refuses the stream there).
    pub bad_frame: bool,
    /// The session's error, if it failed.
    pub error: Option<String>,
    /// Whether the session completed.
    pub finished: bool,
    /// Documents in the store afterwards (two are seeded).
    pub docs: u64,
    /// Documents the run stored anything of: new ones, and seeded ones whose heads moved.
    pub docs_changed: u64,
    /// The responder's checkpoint of the peer's feed afterwards (how far its offers are
    /// complete here).
    pub checkpoint: u64,
}

/// Target `engine_frames`: the input is a sequence of records (see [`decode_records`]: frames,
/// batch ends, and which frames keep their own stamps) fed as batches into a responder [`Session`] over an in-memory store seeded with two documents, as
/// the server would. Afterwards the store must be consistent: every listed document loads with
/// the heads its record says, is in the change feed once, and reads as its kind; the seeded
/// documents keep every change they had.
pub fn engine_frames(data: &[u8]) -> EngineRun {
    let store = Arc::new(seeded_store());
    let seeded = heads_by_doc(&store);
    let mut session = Session::new(
        store.clone(),
        Role::Responder,
        SessionConfig::new("fuzz-server"),
    );
    let mut run = EngineRun::default();
    match session.start() {
        Ok(first) => assert!(first.is_empty(), "a responder speaks only when spoken to"),
        Err(e) => panic!("a responder cannot fail to start: {e}"),
    }
    let mut parts = Reassembler::default();
    'batches: for batch in decode_records(data) {
        // As the server does: wire frames go through reassembly (large document messages travel
        // in parts); a frame that does not convert ends the session before any of its batch
        // reaches the engine, and a batch of parts only feeds the engine nothing.
        let mut frames = Vec::with_capacity(batch.len());
        for wire in batch {
            match parts.push(wire) {
                Ok(Some(frame)) => frames.push(with_responder_id(frame, store.id())),
                Ok(None) => {}
                Err(_) => {
                    run.bad_frame = true;
                    break 'batches;
                }
            }
        }
        if frames.is_empty() {
            continue;
        }
        run.frames += frames.len();
        run.batches += 1;
        match session.receive(frames) {
            Ok(out) => {
                run.replies += out.len();
                run.sync_replies += out
                    .iter()
                    .filter(|f| {
                        matches!(&f.frame, Frame::Doc(d) if d.offer_seq == 0 && !d.sync.is_empty())
                    })
                    .count();
            }
            Err(e) => {
                run.error = Some(e.to_string());
                break;
            }
        }
        // The server stops reading once the session is over.
        if session.is_finished() {
            break;
        }
    }
    run.finished = session.is_finished();
    run.checkpoint = session.checkpoint();
    run.docs = assert_store_consistent(&store, &seeded);
    run.docs_changed = heads_by_doc(&store)
        .iter()
        .filter(|(id, heads)| seeded.get(*id) != Some(*heads))
        .count() as u64;
    run
}

/// Split an `engine_frames` input into batches of wire frames, stamped as the responder gets
/// them. Records are `[flags: u8][length: protobuf varint][wire frame: length bytes]`; a record
/// with [`END_OF_BATCH`] closes a batch, and the end of the input closes the last one. A truncated
/// record ends the input. A record that is not a wire frame ends it too, standing in its batch as
/// an empty frame (which no engine frame converts from, so that batch is refused).
///
/// Stamps: a record without [`RAW_STAMPS`] is re-stamped with the nonce of the input's first
/// `Hello` (its wire `session`; [`FALLBACK_NONCE`] if that is 0 or there is no `Hello`) and its
/// position in the stream as its number: the first record's frame is 1, and each record after a
/// frame that completes an engine frame is one more (the parts of one document message, `more`
/// set on all but the last, share a number). Raw records count for the position too, so marking
/// one record raw shifts nobody else's number. A captured session is stamped like this already,
/// so re-stamping leaves it as it was.
pub fn decode_records(data: &[u8]) -> Vec<Vec<v1::Frame>> {
    let records = parse_records(data);
    let nonce = records
        .iter()
        .find(|(_, wire)| matches!(wire.body, Some(v1::frame::Body::Hello(_))))
        .map(|(_, wire)| wire.session)
        .filter(|&session| session != 0)
        .unwrap_or(FALLBACK_NONCE);
    let mut number = 1;
    let mut batches = Vec::new();
    let mut batch = Vec::new();
    for (flags, mut wire) in records {
        let part = matches!(&wire.body, Some(v1::frame::Body::Doc(d)) if d.more);
        if flags & RAW_STAMPS == 0 {
            wire.session = nonce;
            wire.number = number;
        }
        if !part {
            number += 1;
        }
        batch.push(wire);
        if flags & END_OF_BATCH != 0 {
            batches.push(std::mem::take(&mut batch));
        }
    }
    if !batch.is_empty() {
        batches.push(batch);
    }
    batches
}

/// The records of an `engine_frames` input as they are written: flags and wire frame.
fn parse_records(mut data: &[u8]) -> Vec<(u8, v1::Frame)> {
    let mut records = Vec::new();
    while let Some((&flags, rest)) = data.split_first() {
        let mut rest = rest;
        let Ok(len) = prost::decode_length_delimiter(&mut rest) else {
            break;
        };
        let Some(bytes) = rest.get(..len) else {
            break;
        };
        data = &rest[len..];
        match v1::Frame::decode(bytes) {
            Ok(frame) => records.push((flags, frame)),
            Err(_) => {
                // An empty frame converts to an error: the engine never sees it, the run notes it.
                records.push((flags, v1::Frame::default()));
                break;
            }
        }
    }
    records
}

/// Encode flights of frames (each flight one batch) as an `engine_frames` input, as the wire
/// carries them. A `Hello` naming `responder` names [`RESPONDER_PLACEHOLDER`] instead, so the
/// input replays against any seeded store. No record keeps its stamps ([`RAW_STAMPS`]): the
/// harness stamps them again, as consistently as a captured session already is.
pub fn encode_flights(flights: &[Vec<Envelope>], responder: StoreId) -> Vec<u8> {
    encode_flights_keeping_stamps(flights, responder, |_| false)
}

/// [`encode_flights`], with [`RAW_STAMPS`] on the records of the frames `raw` picks: those reach
/// the engine with the stamps they carry (the parts of a large one all keep them).
pub fn encode_flights_keeping_stamps(
    flights: &[Vec<Envelope>],
    responder: StoreId,
    raw: impl Fn(&Envelope) -> bool,
) -> Vec<u8> {
    let marked: Vec<Vec<(bool, Envelope)>> = flights
        .iter()
        .map(|flight| flight.iter().map(|f| (raw(f), f.clone())).collect())
        .collect();
    let wire: Vec<Vec<(bool, v1::Frame)>> = marked
        .iter()
        .map(|flight| {
            flight
                .iter()
                .cloned()
                .flat_map(|(raw, mut frame)| {
                    if let Frame::Hello(h) = &mut frame.frame
                        && h.your_id == Some(responder)
                    {
                        h.your_id = Some(placeholder());
                    }
                    to_wire(frame).into_iter().map(move |w| (raw, w))
                })
                .collect()
        })
        .collect();
    encode_marked_wire_flights(&wire)
}

/// Encode flights of wire frames (each flight one batch) as an `engine_frames` input, every
/// record re-stamped by the harness.
pub fn encode_wire_flights(flights: &[Vec<v1::Frame>]) -> Vec<u8> {
    let marked: Vec<Vec<(bool, v1::Frame)>> = flights
        .iter()
        .map(|flight| flight.iter().map(|w| (false, w.clone())).collect())
        .collect();
    encode_marked_wire_flights(&marked)
}

/// Encode flights of wire frames as an `engine_frames` input; `true` beside a frame sets
/// [`RAW_STAMPS`] on its record.
pub fn encode_marked_wire_flights(flights: &[Vec<(bool, v1::Frame)>]) -> Vec<u8> {
    let mut out = Vec::new();
    for flight in flights {
        for (i, (raw, wire)) in flight.iter().enumerate() {
            let mut flags = if i + 1 == flight.len() {
                END_OF_BATCH
            } else {
                0
            };
            if *raw {
                flags |= RAW_STAMPS;
            }
            out.push(flags);
            wire.encode_length_delimited(&mut out)
                .expect("a Vec grows as needed");
        }
    }
    out
}

/// A wire frame's document message cut into parts of `size` bytes, as a sender with a small part
/// size would send it; other frames unchanged.
fn in_parts(wire: v1::Frame, size: usize) -> Vec<v1::Frame> {
    let Some(v1::frame::Body::Doc(d)) = &wire.body else {
        return vec![wire];
    };
    let mut chunks: Vec<&[u8]> = d.sync.chunks(size.max(1)).collect();
    if chunks.is_empty() {
        // An empty message (an answer with nothing to ask, or "now held") is one frame.
        chunks.push(&[]);
    }
    let last = chunks.len().saturating_sub(1);
    chunks
        .iter()
        .enumerate()
        .map(|(i, part)| v1::Frame {
            body: Some(v1::frame::Body::Doc(v1::DocMessage {
                sync: part.to_vec(),
                more: i < last,
                ..d.clone()
            })),
            ..wire.clone()
        })
        .collect()
}

fn placeholder() -> StoreId {
    StoreId::from_slice(&RESPONDER_PLACEHOLDER).expect("16 bytes")
}

fn with_responder_id(mut envelope: Envelope, responder: StoreId) -> Envelope {
    if let Frame::Hello(h) = &mut envelope.frame
        && h.your_id == Some(placeholder())
    {
        h.your_id = Some(responder);
    }
    envelope
}

/// The documents every `engine_frames` run starts with.
pub fn seed_minutes_id() -> DocId {
    "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B2C"
        .parse()
        .expect("a valid id")
}

pub fn seed_training_id() -> DocId {
    "training/18.01.05.2002/01JD8X3V6Q2M4T5W7Y9Z0A1B2D"
        .parse()
        .expect("a valid id")
}

/// The store `engine_frames` runs against: in memory, two documents, deterministic content.
pub fn seeded_store() -> Store {
    let store =
        Store::in_memory(Some(ActorId::from(b"fuzz-server".as_slice()))).expect("in-memory store");
    write_minutes(
        &store,
        &seed_minutes_id(),
        "Musyawarah Dusun II",
        "Siti Aminah",
    );
    write_training(&store, &seed_training_id(), "Budidaya cabai");
    store
}

/// A field device for capturing seed inputs: its own minutes, deterministic content.
pub fn device_store() -> (Store, DocId) {
    let store =
        Store::in_memory(Some(ActorId::from(b"fuzz-device".as_slice()))).expect("in-memory store");
    let id: DocId = "minutes/18.01.05.2003/01JD8X3V6Q2M4T5W7Y9Z0A1B2E"
        .parse()
        .expect("a valid id");
    write_minutes(&store, &id, "Rembuk stunting", "Made Wirawan");
    (store, id)
}

/// Minutes as `minutes::create` + `minutes::attend` + `minutes::append_note` write them, minus
/// the wall-clock timestamps (which would make every run's change hashes differ).
pub fn write_minutes(store: &Store, id: &DocId, title: &str, attendee: &str) {
    let village = id.village().as_str().to_owned();
    edit(store, id, |tx| {
        tx.put(ROOT, "kind", DocKind::Minutes.as_str())?;
        tx.put(ROOT, "schema", SCHEMA_VERSION)?;
        tx.put(ROOT, "village", village.as_str())?;
        tx.put(ROOT, "title", title)?;
        tx.put(ROOT, "date", "2026-11-29")?;
        tx.put(ROOT, "status", "draft")?;
        tx.put_object(ROOT, "attendees", ObjType::Map)?;
        tx.put_object(ROOT, "agenda", ObjType::List)?;
        tx.put_object(ROOT, "proposals", ObjType::Map)?;
        tx.put_object(ROOT, "decisions", ObjType::List)?;
        tx.put_object(ROOT, "follow_ups", ObjType::Map)?;
        tx.put_object(ROOT, "notes", ObjType::Text)?;
        Ok(())
    });
    add_attendee(store, id, attendee);
    edit(store, id, |tx| {
        let Some((_, notes)) = tx.get(ROOT, "notes")? else {
            return Ok(());
        };
        let len = tx.length(&notes);
        tx.splice_text(&notes, len, 0, "Warga minta perbaikan jalan.\n")?;
        Ok(())
    });
}

/// One more attendee in existing minutes, as its own change.
pub fn add_attendee(store: &Store, id: &DocId, name: &str) {
    edit(store, id, |tx| {
        let Some((_, attendees)) = tx.get(ROOT, "attendees")? else {
            return Ok(());
        };
        let key = name.to_lowercase().replace(' ', "-");
        let entry = tx.put_object(&attendees, key.as_str(), ObjType::Map)?;
        tx.put(&entry, "name", name)?;
        Ok(())
    });
}

/// A training with one session, as `training::create` writes it, minus timestamps.
pub fn write_training(store: &Store, id: &DocId, topic: &str) {
    let village = id.village().as_str().to_owned();
    edit(store, id, |tx| {
        tx.put(ROOT, "kind", DocKind::Training.as_str())?;
        tx.put(ROOT, "schema", SCHEMA_VERSION)?;
        tx.put(ROOT, "village", village.as_str())?;
        tx.put(ROOT, "topic", topic)?;
        tx.put_object(ROOT, "participants", ObjType::Map)?;
        let sessions = tx.put_object(ROOT, "sessions", ObjType::Map)?;
        let attendance = tx.put_object(ROOT, "attendance", ObjType::Map)?;
        let first = tx.put_object(&sessions, "001", ObjType::Map)?;
        tx.put(&first, "date", "2026-12-01")?;
        tx.put_object(&attendance, "001", ObjType::Map)?;
        Ok(())
    });
}

fn edit(
    store: &Store,
    id: &DocId,
    f: impl FnOnce(
        &mut automerge::transaction::Transaction<'_>,
    ) -> Result<(), automerge::AutomergeError>,
) {
    store
        .edit(id, |doc| {
            doc.transact(f)
                .map(drop)
                .map_err(|failed| StoreError::Corrupt(failed.error.to_string()))
        })
        .expect("seed edit");
}

fn heads_by_doc(store: &Store) -> BTreeMap<DocId, Vec<ChangeHash>> {
    store
        .docs()
        .expect("list documents")
        .into_iter()
        .map(|(id, _)| {
            let heads = store
                .load(&id)
                .expect("load")
                .map(|d| d.get_heads())
                .unwrap_or_default();
            (id, heads)
        })
        .collect()
}

/// Panics unless the store is consistent (see [`engine_frames`]); returns how many documents it
/// holds.
pub fn assert_store_consistent(store: &Store, seeded: &BTreeMap<DocId, Vec<ChangeHash>>) -> u64 {
    let docs = store.docs().expect("list documents");
    let feed = store.changes_since(0, usize::MAX).expect("read the feed");
    assert_eq!(feed.len(), docs.len(), "one feed entry per document");
    for (seq, id) in &feed {
        let record = docs
            .iter()
            .find(|(d, _)| d == id)
            .map(|(_, r)| r)
            .unwrap_or_else(|| panic!("feed entry {seq} names unknown document {id}"));
        assert_eq!(record.seq, *seq, "feed seq of {id}");
    }
    for (id, record) in &docs {
        let doc: Automerge = store
            .load(id)
            .expect("load")
            .unwrap_or_else(|| panic!("listed document {id} does not load"));
        let mut heads: Vec<Vec<u8>> = doc.get_heads().iter().map(|h| h.0.to_vec()).collect();
        heads.sort();
        let mut recorded = record.heads.clone();
        recorded.sort();
        assert_eq!(heads, recorded, "{id} in memory differs from its record");
        if let Some(before) = seeded.get(id) {
            for h in before {
                assert!(
                    doc.get_change_meta_by_hash(h).is_some(),
                    "{id} lost change {h}"
                );
            }
        }
        let read = match id.kind() {
            DocKind::Minutes => minutes::view(id, &doc).map(drop),
            DocKind::Training => training::view(id, &doc).map(drop),
        };
        if let Err(e) = read {
            panic!("{id} was stored but does not read as a {}: {e}", id.kind());
        }
    }
    for id in seeded.keys() {
        assert!(
            docs.iter().any(|(d, _)| d == id),
            "seeded document {id} vanished"
        );
    }
    docs.len() as u64
}

/// The `sync_message` seeds that `seed_inputs` also sends to `engine_frames`, each as the sync
/// message of the device's offer of its minutes in the captured first session (in place of the
/// whole document protocol 2 sends there; see [`hostile_whole_documents`] for the bombs as whole
/// documents).
pub const ENGINE_HOSTILE_MESSAGES: [&str; 6] = [
    "hostile-bloom-probes-4294967295-honest-heads",
    "hostile-bloom-bits-per-entry-0",
    "hostile-have-count-2pow32",
    "hostile-change-rle-2pow60-ops",
    "hostile-compressed-change-deflate-bomb",
    "hostile-document-column-deflate-bomb",
];

/// Seed inputs for all three targets (`sync_message`'s from [`sync_message_seeds`]), named: frames captured from real sessions between
/// [`device_store`] and [`seeded_store`], cut and reshuffled versions of them, and garbage.
/// `shared/tests/fuzz_corpus.rs` writes them to `fuzz/corpus/<target>/` and replays them.
pub fn seed_inputs() -> Vec<(&'static str, String, Vec<u8>)> {
    let mut out = Vec::new();
    let (device, device_doc) = device_store();
    let device = Arc::new(device);
    let server = Arc::new(seeded_store());

    // First sync: the device does not know the server yet. Protocol 2 offers a document the
    // peer shares none of whole (`DocMessage.whole`: the bytes as stored), so each side offers its
    // documents whole and answers the other's with an empty message ("now held").
    let first = capture(&device, &server, None);
    // The same session with the device's offer carrying its changes in a sync message instead
    // (as protocol 2 offers a document the sender believes the peer shares some of): the seeds
    // that put something where a sync message is checked start from it.
    let first_changes = offer_as_changes(&first, &device, &device_doc);
    // The device's minutes without their last change: a whole document short of its offer's heads.
    let device_copy = device
        .load(&device_doc)
        .expect("load")
        .expect("the device's minutes");
    let changes = device_copy.get_changes(&[]);
    let short_of_heads = device_copy
        .fork_at(&[changes[changes.len() - 2].hash()])
        .expect("an earlier version")
        .save();
    // Second sync: the device knows the server, edited a seeded document and its own.
    add_attendee(&device, &seed_minutes_id(), "Dewi Lestari");
    add_attendee(&device, &device_doc, "Budi Santoso");
    write_training(&device, &seed_training_id(), "Budidaya cabai");
    let second = capture(&device, &server, Some(server.id()));

    // The same second sync with a server the device expects but that does not know it (a
    // fresh seeded store, as every `engine_frames` run gets; as after an admin's `resync`): both
    // offer from the start and the session completes when replayed.
    let fresh = Arc::new(seeded_store());
    let second_fresh = capture(&device, &fresh, Some(fresh.id()));

    // A device holding a copy of the seeded minutes (no other document), with an attendee of its
    // own, syncing with a seeded server for the first time: each side offers the minutes whole,
    // each holds a copy already, so each merges the other's and answers with a sync message.
    let holder = Arc::new(
        Store::in_memory(Some(ActorId::from(b"fuzz-holder".as_slice()))).expect("in-memory store"),
    );
    let mut seeded_copy = seeded_store()
        .load(&seed_minutes_id())
        .expect("load")
        .expect("the seeded minutes");
    holder
        .edit(&seed_minutes_id(), |doc| {
            doc.merge(&mut seeded_copy)
                .map(drop)
                .map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .expect("copy the seeded minutes");
    add_attendee(&holder, &seed_minutes_id(), "Dewi Lestari");
    let held_server = Arc::new(seeded_store());
    let held = capture(&holder, &held_server, None);

    let engine = |name: &str, flights: &[Vec<Envelope>]| {
        (
            "engine_frames",
            name.to_owned(),
            encode_flights(flights, server.id()),
        )
    };
    // Only the frames `raw` picks keep their stamps (`RAW_STAMPS`); the harness stamps the rest.
    let engine_raw = |name: &str, flights: &[Vec<Envelope>], raw: &dyn Fn(&Envelope) -> bool| {
        (
            "engine_frames",
            name.to_owned(),
            encode_flights_keeping_stamps(flights, server.id(), raw),
        )
    };
    out.push(engine("first-sync", &first));
    out.push(engine("second-sync", &second));
    out.push((
        "engine_frames",
        "second-sync-fresh-server".into(),
        encode_flights(&second_fresh, fresh.id()),
    ));
    out.push((
        "engine_frames",
        "whole-offer-of-a-held-document".into(),
        encode_flights(&held, held_server.id()),
    ));
    out.push(engine("first-sync-offer-with-changes", &first_changes));
    // Every frame in a batch of its own.
    let singles: Vec<Vec<Envelope>> = first.iter().flatten().map(|f| vec![f.clone()]).collect();
    out.push(engine("first-sync-frame-by-frame", &singles));
    // Everything in one batch.
    out.push(engine("first-sync-one-batch", &[first.concat()]));
    // Cut after each flight but the last.
    for n in 1..first.len() {
        out.push(engine(&format!("first-sync-cut-after-{n}"), &first[..n]));
    }
    // A document frame delivered twice; the first flight twice (a second hello).
    let mut doubled = first.clone();
    if let Some(flight) = doubled.iter_mut().find(|f| f.iter().any(is_doc))
        && let Some(i) = flight.iter().position(is_doc)
    {
        let dup = flight[i].clone();
        flight.insert(i, dup);
    }
    // Re-stamped, the engine sees the copy as the next frame (and the rest renumbered); with its
    // own stamps kept, it is the same number twice, refused by the stamp check.
    out.push(engine("first-sync-duplicate-doc", &doubled));
    if let Some(dup) = doubled.iter().flatten().find(|f| is_doc(f)) {
        let number = dup.number;
        out.push(engine_raw(
            "first-sync-duplicate-doc-raw-stamps",
            &doubled,
            &|f| f.number >= number,
        ));
    }
    let mut replayed = first.clone();
    replayed.insert(1, first[0].clone());
    out.push(engine("first-sync-hello-twice", &replayed));
    // The second session's flights, each with the first session's flights replayed in front.
    let mut mixed = Vec::new();
    for (a, b) in second.iter().zip(first.iter()) {
        mixed.push(b.clone());
        mixed.push(a.clone());
    }
    out.push(engine("second-sync-after-old-frames", &mixed));
    // Frames of the first session replayed into the second after its hello, with their own
    // stamps: the nonce is the old session's. (The second session's first flight carries its
    // early offers too: only its hello goes first.)
    let old_nonce = first[0][0].session;
    let mut replayed_into = vec![vec![second[0][0].clone()]];
    replayed_into.extend(first[1..].iter().cloned());
    out.push(engine_raw(
        "second-sync-with-first-sync-replayed",
        &replayed_into,
        &|f| f.session == old_nonce,
    ));
    // The device's second flight opening with the frame of the same number from the second
    // session: the right number, another session's nonce.
    let new_nonce = second[0][0].session;
    let mut foreign = first.clone();
    if let Some(own) = foreign.get_mut(1).and_then(|flight| flight.first_mut())
        && let Some(other) = second.iter().flatten().find(|f| f.number == own.number)
    {
        *own = other.clone();
    }
    out.push(engine_raw(
        "first-sync-frame-from-another-session",
        &foreign,
        &|f| f.session == new_nonce,
    ));
    // Two frames of the device's second flight swapped, and one dropped, stamps kept.
    let mut swapped = first.clone();
    swapped[1].swap(0, 1);
    let (a, b) = (swapped[1][0].number, swapped[1][1].number);
    out.push(engine_raw("first-sync-reordered", &swapped, &|f| {
        f.number == a || f.number == b
    }));
    let mut dropped = first.clone();
    let gone = dropped[1].remove(0).number;
    out.push(engine_raw("first-sync-frame-dropped", &dropped, &|f| {
        f.number > gone
    }));
    // A hello whose nonce is 0 (no sender picks it) and one numbered 2.
    for (name, session, number) in [
        ("first-sync-hello-nonce-0", 0, 1),
        ("first-sync-hello-numbered-2", old_nonce, 2),
    ] {
        let mut bad = first.clone();
        bad[0][0].session = session;
        bad[0][0].number = number;
        out.push(engine_raw(name, &bad, &|f| {
            matches!(f.frame, Frame::Hello(_))
        }));
    }
    // Frames in reverse order (re-stamped: the engine first sees the `done`).
    let mut reversed = first.concat();
    reversed.reverse();
    out.push(engine("first-sync-reversed", &[reversed]));
    // The hello first, then every other frame in reverse order, stamps kept.
    let mut rest = first.concat();
    let hello = rest.remove(0);
    rest.reverse();
    out.push(engine_raw(
        "first-sync-reversed-after-hello",
        &[vec![hello], rest],
        &|_| true,
    ));
    // Offers and replies with the wrong heads: the wire conversion refuses an offer without
    // heads, a reply with heads and an offer with more than `MAX_OFFER_HEADS`; an offer of
    // `MAX_OFFER_HEADS` heads, all but one unknown, is taken and can never complete if it
    // carries changes, and is refused if it carries the whole document (which must reach them).
    let offer_heads = first[1]
        .iter()
        .find_map(|f| match &f.frame {
            Frame::Doc(d) if d.offer_seq != 0 => Some(d.heads.clone()),
            _ => None,
        })
        .unwrap_or_default();
    let unknown = |n: usize| -> Vec<ChangeHash> {
        (0..n)
            .map(|i| {
                let mut h = [0x48u8; 32];
                h[..8].copy_from_slice(&(i as u64).to_be_bytes());
                ChangeHash(h)
            })
            .collect()
    };
    let mut too_many = unknown(MAX_OFFER_HEADS);
    too_many.extend(offer_heads.iter().copied());
    let mut most = unknown(MAX_OFFER_HEADS - 1);
    most.extend(offer_heads.iter().copied());
    let with_heads_in = |base: &[Vec<Envelope>], offers: bool, heads: &[ChangeHash]| {
        let mut flights = base.to_vec();
        if let Some(d) = flights[1].iter_mut().find_map(|f| match &mut f.frame {
            Frame::Doc(d) if (d.offer_seq != 0) == offers => Some(d),
            _ => None,
        }) {
            d.heads = heads.to_vec();
        }
        flights
    };
    let with_heads = |offers: bool, heads: &[ChangeHash]| with_heads_in(&first, offers, heads);
    out.push(engine(
        "first-sync-offer-without-heads",
        &with_heads(true, &[]),
    ));
    out.push(engine(
        "first-sync-reply-with-heads",
        &with_heads(false, &offer_heads),
    ));
    out.push(engine(
        &format!("first-sync-offer-with-{}-heads", too_many.len()),
        &with_heads(true, &too_many),
    ));
    let lying = format!(
        "offer-with-{}-heads-{}-unknown",
        most.len(),
        most.len() - offer_heads.len()
    );
    out.push(engine(
        &format!("first-sync-{lying}"),
        &with_heads_in(&first_changes, true, &most),
    ));
    out.push(engine(
        &format!("first-sync-whole-{lying}"),
        &with_heads(true, &most),
    ));

    // The whole path. A whole document short of the heads its offer announces (refused after
    // loading it); `whole` on a reply (refused by the wire conversion), and on the first part of
    // a whole offer sent in parts but not on the others (refused by reassembly); a whole offer
    // whose bytes are a sync message, not a document (refused by `guard::check_document`).
    let whole_offer = |f: &dyn Fn(&mut DocMessage)| {
        let mut flights = first.clone();
        if let Some(d) = flights
            .iter_mut()
            .flatten()
            .find_map(|e| match &mut e.frame {
                Frame::Doc(d) if d.whole => Some(d),
                _ => None,
            })
        {
            f(d);
        }
        flights
    };
    out.push(engine(
        "first-sync-whole-offer-short-of-its-heads",
        &whole_offer(&|d| d.sync = short_of_heads.clone()),
    ));
    let mut whole_reply = first.clone();
    if let Some(d) = whole_reply[1].iter_mut().find_map(|e| match &mut e.frame {
        Frame::Doc(d) if d.offer_seq == 0 => Some(d),
        _ => None,
    }) {
        d.whole = true;
    }
    out.push(engine("first-sync-whole-reply", &whole_reply));
    let flag_on_first_part: Vec<Vec<v1::Frame>> = first
        .iter()
        .map(|flight| {
            flight
                .iter()
                .cloned()
                .flat_map(to_wire)
                .flat_map(|w| {
                    let mut parts = in_parts(w, 64);
                    for part in parts.iter_mut().skip(1) {
                        if let Some(v1::frame::Body::Doc(d)) = &mut part.body {
                            d.whole = false;
                        }
                    }
                    parts
                })
                .collect()
        })
        .collect();
    out.push((
        "engine_frames",
        "first-sync-in-parts-whole-on-first-part-only".into(),
        encode_wire_flights(&flag_on_first_part),
    ));
    let honest_message = first_changes
        .iter()
        .flatten()
        .find_map(|e| match &e.frame {
            Frame::Doc(d) if d.offer_seq != 0 => Some(d.sync.clone()),
            _ => None,
        })
        .unwrap_or_default();
    out.push(engine(
        "first-sync-whole-offer-of-a-sync-message",
        &whole_offer(&|d| d.sync = honest_message.clone()),
    ));
    // Hostile whole documents in place of the device's: deflate bombs and run-length columns
    // claiming 2^60 operations, as a document chunk and as change chunks after the honest
    // document (as a store keeps increments after its snapshot). `guard::check_document`
    // refuses each before automerge loads anything.
    let honest_whole = first
        .iter()
        .flatten()
        .find_map(|e| match &e.frame {
            Frame::Doc(d) if d.whole => Some(d.sync.clone()),
            _ => None,
        })
        .unwrap_or_default();
    for (name, bytes) in hostile_whole_documents(&honest_whole) {
        out.push(engine(
            &format!("first-sync-whole-{name}"),
            &whole_offer(&|d| d.sync = bytes.clone()),
        ));
    }

    let full = encode_flights(&first, server.id());
    for cut in [1, 2, full.len() / 3, full.len() / 2, full.len() - 1] {
        out.push((
            "engine_frames",
            format!("first-sync-truncated-at-{cut}"),
            full[..cut].to_vec(),
        ));
    }
    // The largest document message (the device's changes in a sync message; the whole document)
    // with one byte flipped: the last of its first chunk (a column's data, which the guard does
    // not read), which automerge's checksum refuses; or the last of its last chunk, which
    // automerge skips without an error, as it skips whatever follows the chunks it could load.
    for (name, base, first_chunk) in [
        ("first-sync-corrupt-changes", &first_changes, true),
        ("first-sync-corrupt-whole-document", &first, true),
        ("first-sync-corrupt-last-change", &first_changes, false),
        ("first-sync-corrupt-whole-document-tail", &first, false),
    ] {
        let mut corrupt = base.clone();
        if let Some(Envelope {
            frame: Frame::Doc(d),
            ..
        }) = corrupt
            .iter_mut()
            .flatten()
            .filter(|f| is_doc(f))
            .max_by_key(|f| f.frame.payload_len())
        {
            let at = if first_chunk {
                first_chunk_end(&d.sync).expect("a chunk") - 1
            } else {
                d.sync.len() - 1
            };
            d.sync[at] ^= 0x5a;
        }
        out.push(engine(name, &corrupt));
    }
    // Every document message in parts of 64 bytes (reassembled before the engine sees them);
    // then the same with one message's first part moved to the end of its flight (refused).
    let wire_flights: Vec<Vec<v1::Frame>> = first
        .iter()
        .map(|flight| flight.iter().cloned().flat_map(to_wire).collect())
        .collect();
    let split: Vec<Vec<v1::Frame>> = wire_flights
        .iter()
        .map(|flight| {
            flight
                .iter()
                .cloned()
                .flat_map(|w| in_parts(w, 64))
                .collect()
        })
        .collect();
    out.push((
        "engine_frames",
        "first-sync-in-parts".into(),
        encode_wire_flights(&split),
    ));
    let mut interleaved = split.clone();
    if let Some(flight) = interleaved.iter_mut().find(|f| {
        f.iter()
            .filter(|w| matches!(&w.body, Some(v1::frame::Body::Doc(d)) if d.more))
            .count()
            >= 2
    }) && let Some(i) = flight
        .iter()
        .position(|w| matches!(&w.body, Some(v1::frame::Body::Doc(d)) if d.more))
    {
        // Move the first part to the end: the message it starts is cut off by others.
        let part = flight.remove(i);
        flight.push(part);
    }
    out.push((
        "engine_frames",
        "first-sync-parts-out-of-place".into(),
        encode_wire_flights(&interleaved),
    ));
    out.push(("engine_frames", "empty".into(), Vec::new()));
    // A length prefix longer than the input: nothing reaches the engine.
    out.push((
        "engine_frames",
        "garbage-length".into(),
        b"\x01\xff\xff\xff\xff\x0fnot a frame at all".to_vec(),
    ));
    // A well-framed record that is not a wire frame.
    out.push((
        "engine_frames",
        "garbage-frame".into(),
        b"\x01\x07\xff\xff\xff\xff\xff\xff\xff".to_vec(),
    ));

    // Every distinct frame of both sessions, whole and cut in half, for the decoder.
    let mut seen = std::collections::BTreeSet::new();
    for (i, frame) in first.iter().chain(second.iter()).flatten().enumerate() {
        let bytes = v1::Frame::from(frame.clone()).encode_to_vec();
        if !seen.insert(bytes.clone()) {
            continue;
        }
        let kind = match &frame.frame {
            Frame::Hello(_) => "hello",
            Frame::Doc(d) if d.whole => "whole-offer",
            Frame::Doc(d) if d.offer_seq != 0 => "offer",
            Frame::Doc(_) => "doc",
            Frame::OffersEnd { .. } => "offers-end",
            Frame::Done { .. } => "done",
            Frame::Complete { .. } => "complete",
        };
        let half = bytes[..bytes.len() / 2].to_vec();
        out.push(("frame_decode", format!("{kind}-{i}"), bytes));
        out.push(("frame_decode", format!("{kind}-{i}-half"), half));
    }
    // Document messages whose heads the wire conversion refuses.
    if let Some(offer) = first.iter().flatten().find_map(|f| match &f.frame {
        Frame::Doc(d) if d.offer_seq != 0 => Some(v1::Frame::from(f.clone())),
        _ => None,
    }) && let Some(v1::frame::Body::Doc(d)) = &offer.body
    {
        // The first offer is the device's whole document; each frame breaks one rule.
        let doc = |offer_seq: u64, heads: Vec<Vec<u8>>, whole: bool| v1::Frame {
            body: Some(v1::frame::Body::Doc(v1::DocMessage {
                offer_seq,
                heads,
                whole,
                ..d.clone()
            })),
            ..offer.clone()
        };
        let head = d.heads[0].clone();
        for (name, frame) in [
            (
                "hostile-offer-without-heads",
                doc(d.offer_seq, Vec::new(), d.whole),
            ),
            (
                "hostile-reply-with-heads",
                doc(0, vec![head.clone()], false),
            ),
            (
                "hostile-offer-257-heads",
                doc(
                    d.offer_seq,
                    vec![head.clone(); MAX_OFFER_HEADS + 1],
                    d.whole,
                ),
            ),
            (
                "hostile-offer-head-31-bytes",
                doc(d.offer_seq, vec![head[..31].to_vec()], d.whole),
            ),
            ("hostile-reply-whole", doc(0, Vec::new(), true)),
        ] {
            out.push(("frame_decode", name.into(), frame.encode_to_vec()));
        }
    }
    // Hostile automerge messages in place of the device's changes (the sync message of its offer,
    // where `guard::check_message` checks them): the guard refuses each before automerge parses
    // it, the session fails, nothing is stored.
    let sync_seeds = sync_message_seeds();
    for (name, bytes) in &sync_seeds {
        if !ENGINE_HOSTILE_MESSAGES.contains(&name.as_str()) {
            continue;
        }
        out.push(engine(
            &format!("first-sync-{name}"),
            &with_message(&first_changes, bytes),
        ));
    }
    for (name, bytes) in sync_seeds {
        out.push(("sync_message", name, bytes));
    }

    out.push(("frame_decode", "empty".into(), Vec::new()));
    out.push((
        "frame_decode",
        "garbage".into(),
        b"\x0a\x05\xff\xfe\xfd\xfc\xfb".to_vec(),
    ));
    out
}

/// `flights` with the largest offer (in a captured first sync, the device's offer of its
/// minutes) carrying `sync` as its sync message instead (not a whole document).
fn with_message(flights: &[Vec<Envelope>], sync: &[u8]) -> Vec<Vec<Envelope>> {
    let mut flights = flights.to_vec();
    if let Some(Envelope {
        frame: Frame::Doc(d),
        ..
    }) = flights
        .iter_mut()
        .flatten()
        .filter(|f| matches!(&f.frame, Frame::Doc(d) if d.offer_seq != 0))
        .max_by_key(|f| f.frame.payload_len())
    {
        d.sync = sync.to_vec();
        d.whole = false;
    }
    flights
}

/// `flights` (a captured first sync of `device`) with the whole offer of `id` carrying the
/// document's changes in an automerge sync message instead: its heads, no need or have, every
/// change, as V1. What protocol 2 sends (changes in the offer's first message) when the sender's
/// sync state says the peer shares some of the document, here to a peer that holds none of it.
fn offer_as_changes(flights: &[Vec<Envelope>], device: &Store, id: &DocId) -> Vec<Vec<Envelope>> {
    let doc = device
        .load(id)
        .expect("load")
        .expect("the offered document");
    let message = Message {
        heads: doc.get_heads(),
        need: Vec::new(),
        have: Vec::new(),
        changes: automerge::sync::ChunkList::from(
            doc.get_changes(&[])
                .into_iter()
                .map(|c| c.raw_bytes().to_vec())
                .collect::<Vec<_>>(),
        ),
        flags: None,
        version: automerge::sync::MessageVersion::V1,
    }
    .encode();
    let mut flights = flights.to_vec();
    for envelope in flights.iter_mut().flatten() {
        if let Frame::Doc(d) = &mut envelope.frame
            && d.whole
            && d.doc_id == *id
        {
            d.whole = false;
            d.sync = message.clone();
        }
    }
    flights
}

/// Whole documents (what `DocMessage.sync` carries with `whole`) that `guard::check_document`
/// must refuse, named after the `sync_message` seeds they mirror: a document chunk whose deflated
/// column inflates past [`DocLimits::DEFAULT`], one whose run-length columns claim 2^60
/// operations, and `honest` (a document as stored) followed by a compressed change that inflates
/// past the limit or by a change claiming 2^60 operations, all with valid checksums.
pub fn hostile_whole_documents(honest: &[u8]) -> Vec<(String, Vec<u8>)> {
    let doc = document_body(&[(ACTION_COLUMN | DEFLATED, deflated_bomb().clone())]);
    let column_bomb = chunk(0, &doc, &doc);
    let doc = document_body(&put_rows_document_columns(1 << 60));
    let rle_document = chunk(0, &doc, &doc);
    let zeros = vec![0u8; BOMB_BYTES];
    let change_bomb = [honest, &chunk(2, deflated_bomb(), &zeros)].concat();
    let body = change_body(&put_rows_change_columns(1 << 60));
    let rle_change = [honest, &chunk(1, &body, &body)].concat();
    vec![
        ("hostile-document-column-deflate-bomb".into(), column_bomb),
        ("hostile-document-rle-2pow60-ops".into(), rle_document),
        ("hostile-compressed-change-deflate-bomb".into(), change_bomb),
        ("hostile-change-rle-2pow60-ops".into(), rle_change),
    ]
}

/// [`BOMB_BYTES`] of zeros, deflated (~17 KiB), computed once.
fn deflated_bomb() -> &'static Vec<u8> {
    static BOMB: OnceLock<Vec<u8>> = OnceLock::new();
    BOMB.get_or_init(|| deflate(&vec![0u8; BOMB_BYTES]))
}

/// An `engine_frames` input: a first sync of [`device_store`] with [`seeded_store`], captured
/// afresh, whose offer of the device's new minutes (a document the server does not hold yet)
/// carries `sync` as its sync message instead of the whole document. This is how a
/// `sync_message` input reaches the engine; the replay test runs every saved `sync_message`
/// crasher through it too. The checksums of `sync` are made valid first
/// ([`with_valid_checksums`]), as `sync_message` does.
pub fn engine_input_with_message(sync: &[u8]) -> Vec<u8> {
    let (device, _) = device_store();
    let (device, server) = (Arc::new(device), Arc::new(seeded_store()));
    let first = capture(&device, &server, None);
    encode_flights(
        &with_message(&first, &with_valid_checksums(sync)),
        server.id(),
    )
}

/// Where the first automerge chunk in `bytes` ends (found by its magic bytes).
fn first_chunk_end(bytes: &[u8]) -> Option<usize> {
    let start = bytes.windows(4).position(|w| w == CHUNK_MAGIC)?;
    let mut r = Cursor(&bytes[start + 9..]);
    let len = usize::try_from(r.uleb()?).ok()?;
    let end = bytes.len() - r.0.len() + len;
    (end <= bytes.len()).then_some(end)
}

fn is_doc(f: &Envelope) -> bool {
    matches!(f.frame, Frame::Doc(_))
}

/// Run a clean session, `device` initiating, and return the device's flights.
fn capture(device: &Arc<Store>, server: &Arc<Store>, known: Option<StoreId>) -> Vec<Vec<Envelope>> {
    let mut config = SessionConfig::new("fuzz-device");
    config.expected_peer = known;
    let mut dev = Session::new(device.clone(), Role::Initiator, config);
    let mut srv = Session::new(
        server.clone(),
        Role::Responder,
        SessionConfig::new("fuzz-server"),
    );
    let mut flights = Vec::new();
    let mut to_srv = dev.start().expect("start");
    for _ in 0..100 {
        if to_srv.is_empty() {
            break;
        }
        flights.push(to_srv.clone());
        let to_dev = srv.receive(std::mem::take(&mut to_srv)).expect("server");
        if to_dev.is_empty() {
            break;
        }
        to_srv = dev.receive(to_dev).expect("device");
    }
    assert!(
        dev.is_finished() && srv.is_finished(),
        "the captured session completes"
    );
    flights
}

// ---------------------------------------------------------------------------------------------
// Target `sync_message`: one automerge sync message, as a peer's `DocMessage.sync` carries it.
// ---------------------------------------------------------------------------------------------

/// The most Bloom filter probes automerge may see: it sizes a `Vec` of `num_probes` per change it
/// checks (2^32−1 probes are 16 GiB each). The guard's own limit today; automerge writes 7, and
/// 32 cost it 128 bytes per change, so the assertion trips only on a real hole in the guard.
pub const MAX_PROBES_REACHING_AUTOMERGE: u32 = 32;

/// What [`sync_message`] did with an input.
#[derive(Clone, Debug, PartialEq)]
pub struct SyncMessageRun {
    /// The guard's verdict: the weight of an accepted message, or why it was refused.
    pub checked: Result<Weight, MessageError>,
    /// Whether an accepted message's chunk checksums were rewritten (see [`with_valid_checksums`])
    /// before automerge saw it.
    pub checksums_fixed: bool,
    /// Why `Message::decode` failed on a message the guard accepted.
    pub decode_error: Option<String>,
    /// The accepted message applied to an empty document and to [`sync_seed_doc`].
    pub empty: Option<Applied>,
    pub seeded: Option<Applied>,
}

impl SyncMessageRun {
    /// Whether the message reached `receive_sync_message`.
    pub fn applied(&self) -> bool {
        self.empty.is_some()
    }
}

/// One `receive_sync_message` + `generate_sync_message` on a document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Applied {
    /// automerge's error, if it refused the message.
    pub error: Option<String>,
    /// automerge's panic, if it panicked on the message or on the reply (contained, as the
    /// engine contains it; the document is then dropped and nothing else is checked).
    pub panic: Option<String>,
    pub ops_before: u64,
    pub ops_after: u64,
    /// The document's heads moved: changes were applied (not just queued).
    pub heads_changed: bool,
    /// The first byte of the reply (`0x42` V1, `0x43` V2), if automerge had one.
    pub reply: Option<u8>,
}

/// Target `sync_message`: bytes → `guard::check_message` (never panics) → if accepted, chunk
/// checksums made valid ([`with_valid_checksums`]), then `Message::decode` (succeeds or fails
/// cleanly) → `receive_sync_message` into an empty document and into [`sync_seed_doc`], each
/// followed by `generate_sync_message`. A panic inside automerge is contained as the engine
/// contains it (recorded in [`Applied::panic`]; the cargo-fuzz target aborts on it only with
/// `BALAI_FUZZ_STRICT`, see [`contain_automerge_panics`]). Must hold:
///
/// - what the guard accepts is within [`DocLimits::DEFAULT`] and carries no Bloom filter that
///   automerge cannot take (`num_probes` outside 1..=[`MAX_PROBES_REACHING_AUTOMERGE`], zero bits
///   per entry, a bit array of the wrong length);
/// - a document grows by no more operations than the guard weighed (so by at most `max_ops`);
/// - automerge's reply decodes, and the guard does not refuse it as malformed (an honest peer's
///   message must pass; only a size limit may stop it).
///
/// Allocation is bounded by libFuzzer's `-rss_limit_mb` / `-malloc_limit_mb`, time by `-timeout`.
pub fn sync_message(data: &[u8]) -> SyncMessageRun {
    let limits = DocLimits::DEFAULT;
    let checked = guard::check_message(data, &limits);
    let mut run = SyncMessageRun {
        checked: checked.clone(),
        checksums_fixed: false,
        decode_error: None,
        empty: None,
        seeded: None,
    };
    let Ok(weight) = checked else {
        return run;
    };
    assert!(
        weight.ops <= limits.max_ops && weight.bytes <= limits.max_bytes,
        "the guard accepted a message weighing {weight:?}, past {limits:?}"
    );
    assert_blooms_automerge_can_take(data);
    // A hostile peer computes checksums; so does the fuzzer, or nearly every mutation of a chunk
    // would stop at automerge's checksum. The guard does not read them: its verdict stands.
    let fixed = with_valid_checksums(data);
    run.checksums_fixed = fixed != data;
    let msg = match Message::decode(&fixed) {
        Ok(msg) => msg,
        Err(e) => {
            run.decode_error = Some(e.to_string());
            return run;
        }
    };
    let empty = Automerge::new().with_actor(ActorId::from(b"fuzz-empty".as_slice()));
    run.empty = Some(apply_sync_message(empty, msg.clone(), weight, &limits));
    run.seeded = Some(apply_sync_message(
        sync_seed_doc().clone(),
        msg,
        weight,
        &limits,
    ));
    run
}

fn apply_sync_message(
    mut doc: Automerge,
    msg: Message,
    weight: Weight,
    limits: &DocLimits,
) -> Applied {
    let ops_before = doc.stats().num_ops;
    let heads_before = doc.get_heads();
    let mut applied = Applied {
        error: None,
        panic: None,
        ops_before,
        ops_after: ops_before,
        heads_changed: false,
        reply: None,
    };
    let mut state = State::new();
    // As the engine does (`Session::apply`): a panic inside automerge fails the message, and the
    // half-applied document is dropped.
    match contained(|| doc.receive_sync_message(&mut state, msg)) {
        Err(panic) => {
            applied.panic = Some(panic);
            return applied;
        }
        Ok(result) => applied.error = result.err().map(|e| e.to_string()),
    }
    applied.ops_after = doc.stats().num_ops;
    applied.heads_changed = doc.get_heads() != heads_before;
    let grew = applied.ops_after.saturating_sub(ops_before);
    assert!(
        grew <= limits.max_ops,
        "a message the guard accepted grew a document of {ops_before} ops by {grew}, past the \
         limit of {}",
        limits.max_ops
    );
    assert!(
        grew <= weight.ops,
        "the guard weighed {} ops, the document grew by {grew}",
        weight.ops
    );
    let reply = match contained(|| doc.generate_sync_message(&mut state).map(Message::encode)) {
        Ok(reply) => reply,
        Err(panic) => {
            applied.panic = Some(panic);
            return applied;
        }
    };
    if let Some(bytes) = &reply {
        if let Err(e) = Message::decode(bytes) {
            panic!(
                "automerge cannot decode its own reply ({} bytes): {e}",
                bytes.len()
            );
        }
        match guard::check_message(bytes, limits) {
            Ok(_) | Err(MessageError::Limit { .. }) => {}
            Err(e) => panic!(
                "the guard refuses automerge's own reply ({} bytes): {e}",
                bytes.len()
            ),
        }
    }
    applied.reply = reply.and_then(|r| r.first().copied());
    applied
}

/// Run `f`, turning a panic into its message: how the engine contains automerge's panics.
fn contained<T>(f: impl FnOnce() -> T) -> Result<T, String> {
    std::panic::catch_unwind(std::panic::AssertUnwindSafe(f)).map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "a panic without a message".to_owned())
    })
}

/// Whether a panic at `file` comes from automerge or its column library: the engine contains
/// those (`Session::apply` and `Session::generate` catch them and fail the session).
pub fn is_automerge_panic(file: &str) -> bool {
    ["automerge-", "hexane-"].iter().any(|krate| {
        file.split(['/', '\\']).any(|part| {
            part.starts_with(krate) && part[krate.len()..].starts_with(char::is_numeric)
        })
    })
}

/// For the cargo-fuzz targets: libfuzzer-sys's panic hook aborts on every panic, even one the
/// engine catches. Call this in the target's `init`: a panic inside automerge ([`is_automerge_panic`])
/// then unwinds quietly to whoever contains it, as in production; one that nobody contains still
/// reaches libfuzzer-sys's `catch_unwind`, which aborts (its input is saved; replay it on stable
/// for the message). Every other panic aborts at once, as before. With `BALAI_FUZZ_STRICT` set in
/// the environment, automerge's panics abort too (to hunt them for a report upstream).
pub fn contain_automerge_panics() {
    if std::env::var_os("BALAI_FUZZ_STRICT").is_some() {
        return;
    }
    let abort = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if !info
            .location()
            .is_some_and(|l| is_automerge_panic(l.file()))
        {
            abort(info);
        }
    }));
}

/// Panics if a message the guard accepted carries a Bloom filter automerge cannot take. Walks the
/// raw bytes (the decoded filter hides its parameters and drops extra bits), only as far as the
/// `have` list, and stops quietly at anything it does not follow (the guard accepted it, and
/// automerge's decoder is the judge of the rest).
fn assert_blooms_automerge_can_take(data: &[u8]) {
    let mut r = Cursor(data);
    let mut walk = || -> Option<()> {
        r.take(1)?;
        for _ in 0..2 {
            let n = usize::try_from(r.uleb()?).ok()?;
            r.take(n.checked_mul(32)?)?;
        }
        for i in 0..r.uleb()? {
            let n = usize::try_from(r.uleb()?).ok()?;
            r.take(n.checked_mul(32)?)?;
            let len = usize::try_from(r.uleb()?).ok()?;
            let mut bloom = Cursor(r.take(len)?);
            if bloom.0.is_empty() {
                continue;
            }
            let (entries, bits, probes) = (bloom.uleb()?, bloom.uleb()?, bloom.uleb()?);
            assert!(
                (1..=u64::from(MAX_PROBES_REACHING_AUTOMERGE)).contains(&probes),
                "the guard let through a Bloom filter (have {i}) with {probes} probes"
            );
            if entries > 0 {
                assert!(
                    bits > 0,
                    "the guard let through a Bloom filter (have {i}) with 0 bits per entry"
                );
                let needed = u128::from(entries) * u128::from(bits);
                assert_eq!(
                    needed.div_ceil(8),
                    bloom.0.len() as u128,
                    "the guard let through a Bloom filter (have {i}) of {entries} entries × {bits} \
                     bits with the wrong number of bytes"
                );
            }
        }
        Some(())
    };
    let _ = walk();
}

/// `data` with the checksum of every automerge chunk in its change list recomputed, as a hostile
/// peer would send it (a compressed change's checksum is its inflated change's; one inflating past
/// [`DocLimits::DEFAULT`] is left alone). Only the four checksum bytes of a chunk change, so the
/// guard's verdict is the same; anything the walk does not follow is left as it is.
pub fn with_valid_checksums(data: &[u8]) -> Vec<u8> {
    let mut out = data.to_vec();
    let mut r = Cursor(data);
    let offset = |r: &Cursor<'_>| data.len() - r.0.len();
    let mut walk = || -> Option<()> {
        r.take(1)?;
        for _ in 0..2 {
            let n = usize::try_from(r.uleb()?).ok()?;
            r.take(n.checked_mul(32)?)?;
        }
        for _ in 0..r.uleb()? {
            let n = usize::try_from(r.uleb()?).ok()?;
            r.take(n.checked_mul(32)?)?;
            let len = usize::try_from(r.uleb()?).ok()?;
            r.take(len)?;
        }
        for _ in 0..r.uleb()? {
            let len = usize::try_from(r.uleb()?).ok()?;
            let start = offset(&r);
            let mut entry = Cursor(r.take(len)?);
            while entry.0.len() >= 9 && entry.0[..4] == CHUNK_MAGIC {
                let at = start + (len - entry.0.len()) + 4;
                entry.take(8)?;
                let kind = *entry.take(1)?.first()?;
                let body_len = usize::try_from(entry.uleb()?).ok()?;
                let body = entry.take(body_len)?;
                let sum = if kind == 2 {
                    let limit = DocLimits::DEFAULT.max_bytes;
                    let mut inflated = Vec::new();
                    flate2::bufread::DeflateDecoder::new(body)
                        .take(limit + 1)
                        .read_to_end(&mut inflated)
                        .ok()?;
                    if inflated.len() as u64 > limit {
                        continue;
                    }
                    checksum(1, &inflated)
                } else {
                    checksum(kind, body)
                };
                out[at..at + 4].copy_from_slice(&sum);
            }
        }
        Some(())
    };
    let _ = walk();
    out
}

/// An automerge chunk's checksum: the first four bytes of SHA-256 over type, length and body.
fn checksum(kind: u8, body: &[u8]) -> [u8; 4] {
    let mut header = vec![kind];
    uleb(&mut header, body.len() as u64);
    let hash = sha256(&[&header, body]);
    [hash[0], hash[1], hash[2], hash[3]]
}

/// A minimal reader for [`assert_blooms_automerge_can_take`] and [`with_valid_checksums`].
struct Cursor<'a>(&'a [u8]);

impl<'a> Cursor<'a> {
    fn take(&mut self, n: usize) -> Option<&'a [u8]> {
        if n > self.0.len() {
            return None;
        }
        let (head, tail) = self.0.split_at(n);
        self.0 = tail;
        Some(head)
    }

    fn uleb(&mut self) -> Option<u64> {
        let mut value = 0u64;
        for shift in (0..64).step_by(7) {
            let b = *self.take(1)?.first()?;
            value |= u64::from(b & 0x7f).checked_shl(shift)?;
            if b & 0x80 == 0 {
                return Some(value);
            }
        }
        None
    }
}

/// The document `sync_message` inputs are applied to besides an empty one: minutes written by
/// `fuzz-server` in three changes, as `write_minutes` writes them, built once.
pub fn sync_seed_doc() -> &'static Automerge {
    static DOC: OnceLock<Automerge> = OnceLock::new();
    DOC.get_or_init(|| {
        let mut doc = Automerge::new().with_actor(ActorId::from(b"fuzz-server".as_slice()));
        transact(&mut doc, |tx| {
            tx.put(ROOT, "kind", DocKind::Minutes.as_str())?;
            tx.put(ROOT, "schema", SCHEMA_VERSION)?;
            tx.put(ROOT, "village", "18.01.05.2001")?;
            tx.put(ROOT, "title", "Musyawarah Dusun II")?;
            tx.put(ROOT, "date", "2026-11-29")?;
            tx.put(ROOT, "status", "draft")?;
            tx.put_object(ROOT, "attendees", ObjType::Map)?;
            tx.put_object(ROOT, "notes", ObjType::Text)?;
            Ok(())
        });
        attend(&mut doc, "Siti Aminah");
        note(&mut doc, "Warga minta perbaikan jalan.\n");
        doc
    })
}

fn transact(
    doc: &mut Automerge,
    f: impl FnOnce(
        &mut automerge::transaction::Transaction<'_>,
    ) -> Result<(), automerge::AutomergeError>,
) {
    doc.transact(f).map(drop).expect("seed edit");
}

fn attend(doc: &mut Automerge, name: &str) {
    transact(doc, |tx| {
        let Some((_, attendees)) = tx.get(ROOT, "attendees")? else {
            return Ok(());
        };
        let key = name.to_lowercase().replace(' ', "-");
        let entry = tx.put_object(&attendees, key.as_str(), ObjType::Map)?;
        tx.put(&entry, "name", name)?;
        Ok(())
    });
}

fn note(doc: &mut Automerge, text: &str) {
    transact(doc, |tx| {
        let Some((_, notes)) = tx.get(ROOT, "notes")? else {
            return Ok(());
        };
        let len = tx.length(&notes);
        tx.splice_text(&notes, len, 0, text)?;
        Ok(())
    });
}

/// Run automerge's sync between `a` and `b` until both are quiet, and return every message in
/// the order sent, `a`'s marked `true`. With `old_peers`, each message loses its flags on the way
/// (as from an automerge that predates them), so both sides speak V1 to each other.
fn sync_exchange(a: &mut Automerge, b: &mut Automerge, old_peers: bool) -> Vec<(bool, Vec<u8>)> {
    let (mut sa, mut sb) = (State::new(), State::new());
    let mut out = Vec::new();
    let send = |from: &Automerge, state: &mut State| {
        from.generate_sync_message(state).map(|mut m| {
            if old_peers {
                m.flags = None;
            }
            m.encode()
        })
    };
    for _ in 0..20 {
        let mut quiet = true;
        if let Some(bytes) = send(a, &mut sa) {
            quiet = false;
            let m = Message::decode(&bytes).expect("automerge decodes its own message");
            b.receive_sync_message(&mut sb, m)
                .expect("an honest message");
            out.push((true, bytes));
        }
        if let Some(bytes) = send(b, &mut sb) {
            quiet = false;
            let m = Message::decode(&bytes).expect("automerge decodes its own message");
            a.receive_sync_message(&mut sa, m)
                .expect("an honest message");
            out.push((false, bytes));
        }
        if quiet {
            break;
        }
    }
    assert_eq!(
        a.get_heads(),
        b.get_heads(),
        "the captured exchange converges"
    );
    out
}

/// A field device's copy of [`sync_seed_doc`] with edits of its own: another attendee and notes
/// long enough that their change compresses (automerge deflates chunks over 256 bytes).
pub fn sync_peer_doc() -> Automerge {
    let mut doc = sync_seed_doc()
        .fork()
        .with_actor(ActorId::from(b"fuzz-device".as_slice()));
    attend(&mut doc, "Made Wirawan");
    note(
        &mut doc,
        &"Perbaikan saluran irigasi di RT 03 dijadwalkan setelah panen; iuran warga dicatat \
          bendahara. "
            .repeat(4),
    );
    transact(&mut doc, |tx| tx.put(ROOT, "status", "final"));
    doc
}

/// Raw sync message encoding, for hostile inputs automerge's encoder would never write.
#[derive(Clone, Debug, Default)]
pub struct RawSyncMessage {
    pub v2: bool,
    pub heads: Vec<[u8; 32]>,
    pub need: Vec<[u8; 32]>,
    /// `(last_sync, Bloom filter bytes)` per `have`.
    pub have: Vec<(Vec<[u8; 32]>, Vec<u8>)>,
    /// Entries of the change list (each one or more chunks).
    pub changes: Vec<Vec<u8>>,
    /// The flags section, if any (written length-prefixed).
    pub flags: Option<Vec<u8>>,
}

impl RawSyncMessage {
    pub fn encode(&self) -> Vec<u8> {
        let mut out = vec![if self.v2 { 0x43 } else { 0x42 }];
        let hashes = |out: &mut Vec<u8>, hs: &[[u8; 32]]| {
            uleb(out, hs.len() as u64);
            for h in hs {
                out.extend_from_slice(h);
            }
        };
        hashes(&mut out, &self.heads);
        hashes(&mut out, &self.need);
        uleb(&mut out, self.have.len() as u64);
        for (last_sync, bloom) in &self.have {
            hashes(&mut out, last_sync);
            prefixed(&mut out, bloom);
        }
        uleb(&mut out, self.changes.len() as u64);
        for c in &self.changes {
            prefixed(&mut out, c);
        }
        if let Some(flags) = &self.flags {
            prefixed(&mut out, flags);
        }
        out
    }
}

/// Unsigned LEB128, as automerge writes every count and length.
pub fn uleb(out: &mut Vec<u8>, mut v: u64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

/// Signed LEB128 (run lengths in automerge's columns).
pub fn sleb(out: &mut Vec<u8>, mut v: i64) {
    loop {
        let b = (v & 0x7f) as u8;
        v >>= 7;
        let done = (v == 0 && b & 0x40 == 0) || (v == -1 && b & 0x40 != 0);
        if done {
            out.push(b);
            return;
        }
        out.push(b | 0x80);
    }
}

fn prefixed(out: &mut Vec<u8>, bytes: &[u8]) {
    uleb(out, bytes.len() as u64);
    out.extend_from_slice(bytes);
}

/// A Bloom filter's bytes as automerge lays them out: entries, bits per entry, probes, bits.
pub fn bloom_bytes(entries: u64, bits_per_entry: u64, probes: u64, bits: &[u8]) -> Vec<u8> {
    let mut out = Vec::new();
    uleb(&mut out, entries);
    uleb(&mut out, bits_per_entry);
    uleb(&mut out, probes);
    out.extend_from_slice(bits);
    out
}

const CHUNK_MAGIC: [u8; 4] = [0x85, 0x6f, 0x4a, 0x83];

/// An automerge chunk: magic, checksum, type, length-prefixed body. The checksum is the one
/// automerge computes (the first four bytes of SHA-256 over type, length and `checked_body`), so
/// automerge would get past it to the body: a hostile peer can compute it too. For a compressed
/// change (type 2) `checked_body` is the inflated change and the checksum is that change's.
pub fn chunk(kind: u8, body: &[u8], checked_body: &[u8]) -> Vec<u8> {
    let checked_kind = if kind == 2 { 1 } else { kind };
    let mut out = CHUNK_MAGIC.to_vec();
    out.extend_from_slice(&checksum(checked_kind, checked_body));
    out.push(kind);
    prefixed(&mut out, body);
    out
}

/// Raw deflate, as automerge compresses chunks and columns.
fn deflate(data: &[u8]) -> Vec<u8> {
    use std::io::Write as _;
    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
    enc.write_all(data).expect("a Vec grows as needed");
    enc.finish().expect("a Vec grows as needed")
}

/// A change chunk's body: no deps, one actor, seq 1, start op 1, no time or message, then the
/// given op columns (`(spec, data)`; spec = column id << 4 | deflate << 3 | type).
fn change_body(columns: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    uleb(&mut body, 0); // deps
    prefixed(&mut body, b"fuzz-hostile-pee"); // actor
    uleb(&mut body, 1); // seq
    uleb(&mut body, 1); // start op
    sleb(&mut body, 0); // time
    prefixed(&mut body, b""); // message
    uleb(&mut body, 0); // other actors
    uleb(&mut body, columns.len() as u64);
    for (spec, data) in columns {
        uleb(&mut body, u64::from(*spec));
        uleb(&mut body, data.len() as u64);
    }
    for (_, data) in columns {
        body.extend_from_slice(data);
    }
    body
}

/// A document chunk's body: one actor, no heads, no change columns, the given op columns (already
/// encoded, deflated ones flagged in their spec), no head indices.
fn document_body(op_columns: &[(u32, Vec<u8>)]) -> Vec<u8> {
    let mut body = Vec::new();
    uleb(&mut body, 1);
    prefixed(&mut body, b"fuzz-hostile-pee");
    uleb(&mut body, 0); // heads
    uleb(&mut body, 0); // change columns
    uleb(&mut body, op_columns.len() as u64);
    for (spec, data) in op_columns {
        uleb(&mut body, u64::from(*spec));
        uleb(&mut body, data.len() as u64);
    }
    for (_, data) in op_columns {
        body.extend_from_slice(data);
    }
    body
}

const DEFLATED: u32 = 0b1000;
/// The action column (id 4, run-length integers), the same in change and document op columns.
const ACTION_COLUMN: u32 = (4 << 4) | 2;

/// A run-length column holding `n` copies of `value`.
fn rle_run(n: i64, value: u64) -> Vec<u8> {
    let mut out = Vec::new();
    sleb(&mut out, n);
    uleb(&mut out, value);
    out
}

/// A run-length column of `n` nulls.
fn null_run(n: i64) -> Vec<u8> {
    let mut out = Vec::new();
    sleb(&mut out, 0);
    uleb(&mut out, n.unsigned_abs());
    out
}

/// `n` rows of `put ROOT."a" = null` (no preds) in a change's op columns, a few bytes each
/// column however large `n`: automerge applies every row (10^6 rows in ~60 bytes take it about
/// two seconds and 400 MB).
fn put_rows_change_columns(n: i64) -> Vec<(u32, Vec<u8>)> {
    let mut key = Vec::new();
    sleb(&mut key, n);
    prefixed(&mut key, b"a");
    let mut insert = Vec::new();
    uleb(&mut insert, n.unsigned_abs());
    vec![
        (0x01, null_run(n)), // obj actor: root
        (0x02, null_run(n)), // obj counter
        (0x11, null_run(n)), // key actor
        (0x13, null_run(n)), // key counter
        (0x15, key),         // key string: "a"
        (0x34, insert),      // insert: false
        (ACTION_COLUMN, rle_run(n, 1)),
        (0x56, rle_run(n, 0)), // value metadata: null
        (0x70, rle_run(n, 0)), // pred count: 0
    ]
}

/// The same rows as a document's op columns (with op ids and successor counts, no changes).
fn put_rows_document_columns(n: i64) -> Vec<(u32, Vec<u8>)> {
    let mut key = Vec::new();
    sleb(&mut key, n);
    prefixed(&mut key, b"a");
    let mut insert = Vec::new();
    uleb(&mut insert, n.unsigned_abs());
    vec![
        (0x01, null_run(n)),
        (0x02, null_run(n)),
        (0x11, null_run(n)),
        (0x13, null_run(n)),
        (0x15, key),
        (0x21, rle_run(n, 0)), // op id actor: the first
        (0x23, rle_run(n, 1)), // op id counter: 1, 2, 3, ... (deltas of 1)
        (0x34, insert),
        (ACTION_COLUMN, rle_run(n, 1)),
        (0x56, rle_run(n, 0)),
        (0x80, rle_run(n, 0)), // successor count: 0
    ]
}

/// A sync message whose only change entry is a document chunk holding `rows` put operations by
/// one actor and no change metadata (so no change accounts for the operations).
pub fn document_without_changes(rows: i64) -> Vec<u8> {
    let doc = document_body(&put_rows_document_columns(rows));
    RawSyncMessage {
        changes: vec![chunk(0, &doc, &doc)],
        ..Default::default()
    }
    .encode()
}

/// Just over what [`DocLimits::DEFAULT`] lets a document take once inflated.
const BOMB_BYTES: usize = 17 * 1024 * 1024;

/// The flags section automerge 0.12 writes: the legacy V2 byte, then a bitfield (sync reset
/// supported).
const HONEST_FLAGS: [u8; 2] = [0x02, 0x80 | 0x04];

/// Seed inputs for `sync_message`, named `honest-*` (captured from automerge exchanges between
/// [`sync_peer_doc`] and an empty document or [`sync_seed_doc`], as V2 and as V1 between old
/// peers, plus the peer's changes as compressed chunks) and `hostile-*` (messages the guard must
/// refuse), and `garbage-*` (well framed nonsense: either may happen, nothing may panic).
pub fn sync_message_seeds() -> Vec<(String, Vec<u8>)> {
    static SEEDS: OnceLock<Vec<(String, Vec<u8>)>> = OnceLock::new();
    SEEDS.get_or_init(build_sync_message_seeds).clone()
}

fn build_sync_message_seeds() -> Vec<(String, Vec<u8>)> {
    let mut out: Vec<(String, Vec<u8>)> = Vec::new();
    let mut seen = std::collections::BTreeSet::new();
    let mut honest = |out: &mut Vec<(String, Vec<u8>)>, name: &str, bytes: Vec<u8>| {
        if seen.insert(bytes.clone()) {
            out.push((format!("honest-{name}"), bytes));
        }
    };
    for (exchange, to_empty, old_peers) in [
        ("to-empty-v2", true, false),
        ("to-empty-v1", true, true),
        ("to-seeded-v2", false, false),
        ("to-seeded-v1", false, true),
    ] {
        let mut peer = sync_peer_doc();
        let mut other = if to_empty {
            Automerge::new().with_actor(ActorId::from(b"fuzz-empty".as_slice()))
        } else {
            sync_seed_doc().clone()
        };
        for (i, (from_peer, bytes)) in sync_exchange(&mut peer, &mut other, old_peers)
            .into_iter()
            .enumerate()
        {
            let who = if from_peer { "peer" } else { "other" };
            let what = match Message::decode(&bytes) {
                Ok(m) if m.changes.is_empty() => "",
                Ok(m) if m.changes.iter().any(|c| c.get(8) == Some(&0)) => "-document",
                Ok(_) => "-changes",
                Err(_) => "-undecodable",
            };
            honest(&mut out, &format!("{exchange}-{i}-{who}{what}"), bytes);
        }
    }
    // The peer's own changes as automerge stores them compressed: a V1 message of change chunks
    // (the large ones deflated), and the same chunks back to back in one V2 entry.
    let peer = sync_peer_doc();
    let mut changes: Vec<Vec<u8>> = peer
        .get_changes(&sync_seed_doc().get_heads())
        .into_iter()
        .map(|c| c.clone().bytes().into_owned())
        .collect();
    assert!(
        changes.iter().any(|c| c.get(8) == Some(&2)),
        "one of the peer's changes is large enough to be deflated"
    );
    let heads: Vec<[u8; 32]> = peer.get_heads().iter().map(|h| h.0).collect();
    let compressed_v1 = RawSyncMessage {
        heads: heads.clone(),
        changes: changes.clone(),
        ..Default::default()
    };
    honest(&mut out, "compressed-changes-v1", compressed_v1.encode());
    let compressed_v2 = RawSyncMessage {
        v2: true,
        heads: heads.clone(),
        changes: vec![changes.concat()],
        flags: Some(HONEST_FLAGS.to_vec()),
        ..Default::default()
    };
    honest(&mut out, "compressed-changes-v2", compressed_v2.encode());

    // A `have` as automerge writes it (the seed document's heads, a filter of the peer's two
    // changes since), to be made hostile one parameter at a time.
    let last_sync: Vec<[u8; 32]> = sync_seed_doc().get_heads().iter().map(|h| h.0).collect();
    let with_bloom = |bloom: Vec<u8>| {
        RawSyncMessage {
            heads: heads.clone(),
            have: vec![(last_sync.clone(), bloom)],
            flags: Some(HONEST_FLAGS.to_vec()),
            ..Default::default()
        }
        .encode()
    };
    let honest_bits = [0xa5u8, 0x5a, 0xff];
    honest(
        &mut out,
        "bloom-2-entries",
        with_bloom(bloom_bytes(2, 10, 7, &honest_bits)),
    );
    let mut hostile = |name: &str, bytes: Vec<u8>| out.push((format!("hostile-{name}"), bytes));
    // The 15-byte attack: one entry, 2^32-1 probes (a Vec of 16 GiB per change checked).
    hostile(
        "bloom-probes-4294967295",
        RawSyncMessage {
            have: vec![(Vec::new(), bloom_bytes(1, 8, u64::from(u32::MAX), &[0xff]))],
            ..Default::default()
        }
        .encode(),
    );
    hostile(
        "bloom-probes-4294967295-honest-heads",
        with_bloom(bloom_bytes(2, 10, u64::from(u32::MAX), &honest_bits)),
    );
    hostile(
        "bloom-probes-100000000",
        with_bloom(bloom_bytes(2, 10, 100_000_000, &honest_bits)),
    );
    hostile(
        "bloom-probes-0",
        with_bloom(bloom_bytes(2, 10, 0, &honest_bits)),
    );
    // Zero bits per entry: no bits at all, and automerge takes every hash modulo 0.
    hostile(
        "bloom-bits-per-entry-0",
        with_bloom(bloom_bytes(2, 0, 7, &[])),
    );
    hostile(
        "bloom-bits-per-entry-2pow31",
        with_bloom(bloom_bytes(2, 1 << 31, 7, &honest_bits)),
    );
    hostile(
        "bloom-bits-too-short",
        with_bloom(bloom_bytes(2, 10, 7, &honest_bits[..2])),
    );
    hostile(
        "bloom-bits-too-long",
        with_bloom(bloom_bytes(2, 10, 7, &[0xff; 64])),
    );
    hostile(
        "bloom-entries-2pow32-1",
        with_bloom(bloom_bytes(u64::from(u32::MAX), 10, 7, &honest_bits)),
    );
    // Counts far beyond the bytes that follow.
    let count = |field: usize, n: u64| {
        let mut m = vec![0x42];
        for i in 0..4 {
            uleb(&mut m, if i == field { n } else { 0 });
            if i == field {
                m.extend_from_slice(&[0xab; 64]);
            }
        }
        m
    };
    hostile("heads-count-2pow60", count(0, 1 << 60));
    hostile("need-count-2pow62", count(1, 1 << 62));
    hostile("have-count-2pow32", count(2, 1 << 32));
    hostile("changes-count-2pow50", count(3, 1 << 50));
    hostile(
        "have-count-100",
        RawSyncMessage {
            have: vec![(last_sync.clone(), bloom_bytes(2, 10, 7, &honest_bits)); 100],
            ..Default::default()
        }
        .encode(),
    );
    // Changes that are not automerge chunks.
    let change = |entry: Vec<u8>| {
        RawSyncMessage {
            heads: heads.clone(),
            changes: vec![entry],
            ..Default::default()
        }
        .encode()
    };
    hostile(
        "garbage-change",
        change(b"\xde\xad\xbe\xef not a change".to_vec()),
    );
    hostile("empty-change", change(Vec::new()));
    hostile("bundle-chunk", change(chunk(3, &[0; 8], &[0; 8])));
    // Run-length columns claiming 10^6 and 2^60 operations in a few bytes each (automerge would
    // apply every one), in a change and in a document, with valid checksums.
    for (rows, name) in [(1_000_000, "1000000"), (1 << 60, "2pow60")] {
        let body = change_body(&put_rows_change_columns(rows));
        hostile(
            &format!("change-rle-{name}-ops"),
            change(chunk(1, &body, &body)),
        );
    }
    let doc = document_body(&put_rows_document_columns(1 << 60));
    hostile("document-rle-2pow60-ops", change(chunk(0, &doc, &doc)));
    // Deflate bombs: 17 MiB of zeros (a change of no ops and 17 MiB of extra bytes) deflated to
    // ~17 KiB, as a compressed change and as a document's deflated column.
    let zeros = vec![0u8; BOMB_BYTES];
    let deflated = deflated_bomb().clone();
    hostile(
        "compressed-change-deflate-bomb",
        change(chunk(2, &deflated, &zeros)),
    );
    let doc = document_body(&[(ACTION_COLUMN | DEFLATED, deflated)]);
    hostile("document-column-deflate-bomb", change(chunk(0, &doc, &doc)));

    // Well-framed nonsense the guard may pass: automerge must refuse it cleanly.
    let mut garbage = |name: &str, bytes: Vec<u8>| out.push((format!("garbage-{name}"), bytes));
    let body = b"\x00\x10fuzz-hostile-pee\x01\x01\x00\x00\x00\x01\x42\x03\x7f\x7f\x7f";
    garbage("change-short-column", change(chunk(1, body, body)));
    if let Some(big) = changes.iter_mut().find(|c| c.get(8) == Some(&2)) {
        let mid = big.len() / 2;
        big[mid] ^= 0x5a;
        garbage("compressed-change-corrupt", change(big.clone()));
    }
    out
}

/// SHA-256 of the concatenated parts (automerge's chunk checksums and change hashes), so seeds
/// can carry checksums automerge accepts.
pub fn sha256(parts: &[&[u8]]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut hasher = Sha256::new();
    for part in parts {
        hasher.update(part);
    }
    hasher.finalize().into()
}
