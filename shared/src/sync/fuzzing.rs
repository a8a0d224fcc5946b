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
use std::sync::Arc;

use automerge::transaction::Transactable;
use automerge::{ActorId, Automerge, ChangeHash, ObjType, ROOT, ReadDoc};
use prost::Message as _;

use super::{Frame, Role, Session, SessionConfig};
use crate::ids::{DocId, DocKind, StoreId};
use crate::model::{SCHEMA_VERSION, minutes, training};
use crate::proto::{Reassembler, to_wire, v1};
use crate::store::{Store, StoreError};

/// A `Hello` whose `your_id` is this is rewritten to name the responder's store (whose id is
/// random), so inputs can reach the paths of a peer that knows whom it is talking to.
pub const RESPONDER_PLACEHOLDER: [u8; 16] = [0xA5; 16];

/// Record flag: hand the frames gathered so far (this one included) to the engine as one batch.
pub const END_OF_BATCH: u8 = 1;

/// Target `frame_decode`: bytes → wire `Frame` → engine `Frame`. Must never panic; a frame that
/// is accepted comes back unchanged from a round trip through the wire type.
pub fn frame_decode(data: &[u8]) -> Option<Frame> {
    let wire = v1::Frame::decode(data).ok()?;
    let frame = Frame::try_from(wire).ok()?;
    let again = Frame::try_from(v1::Frame::from(frame.clone()));
    assert!(
        matches!(&again, Ok(f) if *f == frame),
        "round trip changed {frame:?} into {again:?}"
    );
    // Counters must not panic on any accepted frame either.
    let _ = frame.payload_len();
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
    /// A record that did not decode into an engine frame (the server refuses the stream there).
    pub bad_frame: bool,
    /// The session's error, if it failed.
    pub error: Option<String>,
    /// Whether the session completed.
    pub finished: bool,
    /// Documents in the store afterwards (two are seeded).
    pub docs: u64,
}

/// Target `engine_frames`: the input is a sequence of records (see [`encode_flights`]) fed as
/// batches into a responder [`Session`] over an in-memory store seeded with two documents, as
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
            Ok(out) => run.replies += out.len(),
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
    run.docs = assert_store_consistent(&store, &seeded);
    run
}

/// Split an `engine_frames` input into batches of wire frames. Records are
/// `[flags: u8][length: protobuf varint][wire frame: length bytes]`; a record with
/// [`END_OF_BATCH`] closes a batch, and the end of the input closes the last one. A truncated
/// record ends the input. A record that is not a wire frame ends it too, standing in its batch as
/// an empty frame (which no engine frame converts from, so that batch is refused).
pub fn decode_records(mut data: &[u8]) -> Vec<Vec<v1::Frame>> {
    let mut batches = Vec::new();
    let mut batch = Vec::new();
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
            Ok(frame) => batch.push(frame),
            Err(_) => {
                // An empty frame converts to an error: the engine never sees it, the run notes it.
                batch.push(v1::Frame { body: None });
                break;
            }
        }
        if flags & END_OF_BATCH != 0 {
            batches.push(std::mem::take(&mut batch));
        }
    }
    if !batch.is_empty() {
        batches.push(batch);
    }
    batches
}

/// Encode flights of frames (each flight one batch) as an `engine_frames` input, as the wire
/// carries them. A `Hello` naming `responder` names [`RESPONDER_PLACEHOLDER`] instead, so the
/// input replays against any seeded store.
pub fn encode_flights(flights: &[Vec<Frame>], responder: StoreId) -> Vec<u8> {
    let wire: Vec<Vec<v1::Frame>> = flights
        .iter()
        .map(|flight| {
            flight
                .iter()
                .cloned()
                .map(|mut frame| {
                    if let Frame::Hello(h) = &mut frame
                        && h.your_id == Some(responder)
                    {
                        h.your_id = Some(placeholder());
                    }
                    frame
                })
                .flat_map(to_wire)
                .collect()
        })
        .collect();
    encode_wire_flights(&wire)
}

/// Encode flights of wire frames (each flight one batch) as an `engine_frames` input.
pub fn encode_wire_flights(flights: &[Vec<v1::Frame>]) -> Vec<u8> {
    let mut out = Vec::new();
    for flight in flights {
        for (i, wire) in flight.iter().enumerate() {
            out.push(if i + 1 == flight.len() {
                END_OF_BATCH
            } else {
                0
            });
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
    let chunks: Vec<&[u8]> = d.sync.chunks(size.max(1)).collect();
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
        })
        .collect()
}

fn placeholder() -> StoreId {
    StoreId::from_slice(&RESPONDER_PLACEHOLDER).expect("16 bytes")
}

fn with_responder_id(frame: Frame, responder: StoreId) -> Frame {
    match frame {
        Frame::Hello(mut h) if h.your_id == Some(placeholder()) => {
            h.your_id = Some(responder);
            Frame::Hello(h)
        }
        other => other,
    }
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
            DocKind::Minutes => minutes::read(&doc).map(drop),
            DocKind::Training => training::read(&doc).map(drop),
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

/// Seed inputs for both targets, named: frames captured from real sessions between
/// [`device_store`] and [`seeded_store`], cut and reshuffled versions of them, and garbage.
/// `shared/tests/fuzz_corpus.rs` writes them to `fuzz/corpus/<target>/` and replays them.
pub fn seed_inputs() -> Vec<(&'static str, String, Vec<u8>)> {
    let mut out = Vec::new();
    let (device, device_doc) = device_store();
    let device = Arc::new(device);
    let server = Arc::new(seeded_store());

    // First sync: the device does not know the server yet.
    let first = capture(&device, &server, None);
    // Second sync: the device knows the server, edited a seeded document and its own.
    add_attendee(&device, &seed_minutes_id(), "Dewi Lestari");
    add_attendee(&device, &device_doc, "Budi Santoso");
    write_training(&device, &seed_training_id(), "Budidaya cabai");
    let second = capture(&device, &server, Some(server.id()));

    let engine = |name: &str, flights: &[Vec<Frame>]| {
        (
            "engine_frames",
            name.to_owned(),
            encode_flights(flights, server.id()),
        )
    };
    out.push(engine("first-sync", &first));
    out.push(engine("second-sync", &second));
    // Every frame in a batch of its own.
    let singles: Vec<Vec<Frame>> = first.iter().flatten().map(|f| vec![f.clone()]).collect();
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
    out.push(engine("first-sync-duplicate-doc", &doubled));
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
    // Frames in reverse order.
    let mut reversed = first.concat();
    reversed.reverse();
    out.push(engine("first-sync-reversed", &[reversed]));

    let full = encode_flights(&first, server.id());
    for cut in [1, 2, full.len() / 3, full.len() / 2, full.len() - 1] {
        out.push((
            "engine_frames",
            format!("first-sync-truncated-at-{cut}"),
            full[..cut].to_vec(),
        ));
    }
    // The largest document message (the one carrying changes) with a byte flipped in the middle:
    // automerge's checksum refuses it.
    let mut corrupt = first.clone();
    if let Some(Frame::Doc(d)) = corrupt
        .iter_mut()
        .flatten()
        .filter(|f| is_doc(f))
        .max_by_key(|f| f.payload_len())
    {
        let mid = d.sync.len() / 2;
        d.sync[mid] ^= 0x5a;
    }
    out.push(engine("first-sync-corrupt-changes", &corrupt));
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
        let kind = match frame {
            Frame::Hello(_) => "hello",
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
    out.push(("frame_decode", "empty".into(), Vec::new()));
    out.push((
        "frame_decode",
        "garbage".into(),
        b"\x0a\x05\xff\xfe\xfd\xfc\xfb".to_vec(),
    ));
    out
}

fn is_doc(f: &Frame) -> bool {
    matches!(f, Frame::Doc(_))
}

/// Run a clean session, `device` initiating, and return the device's flights.
fn capture(device: &Arc<Store>, server: &Arc<Store>, known: Option<StoreId>) -> Vec<Vec<Frame>> {
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
