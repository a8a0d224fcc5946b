//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) and saved crashers
//! (`fuzz/regressions/<target>/`) through the entry points the cargo-fuzz targets call, so a
//! plain `cargo test` on stable catches what any saved input would. The seed inputs come from
//! `balai_shared::sync::fuzzing::seed_inputs` (those of `sync_message` from
//! `fuzzing::sync_message_seeds`); rewrite them with
//! `cargo test -p balai-shared --test fuzz_corpus -- --ignored regenerate_seed_corpus`.

use std::collections::BTreeMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use balai_shared::proto::v1;
use balai_shared::sync::fuzzing::{self, EngineRun, SyncMessageRun};
use balai_shared::sync::{DocLimits, MessageError, guard};

const TARGETS: [&str; 3] = ["frame_decode", "engine_frames", "sync_message"];

/// Seed files are named `seed-<name>`; files libFuzzer adds (hashes) are left alone.
const SEED_PREFIX: &str = "seed-";

fn fuzz_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .parent()
        .expect("shared/ sits in the workspace root")
        .join("fuzz")
}

/// The files in `dir` (none if it does not exist), sorted, skipping dotfiles.
fn files(dir: &Path) -> Vec<(PathBuf, Vec<u8>)> {
    let Ok(entries) = fs::read_dir(dir) else {
        return Vec::new();
    };
    let mut out: Vec<(PathBuf, Vec<u8>)> = entries
        .map(|e| e.expect("read a directory entry").path())
        .filter(|p| p.is_file())
        .filter(|p| {
            !p.file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with('.'))
        })
        .map(|p| {
            let data = fs::read(&p).unwrap_or_else(|e| panic!("read {}: {e}", p.display()));
            (p, data)
        })
        .collect();
    out.sort();
    out
}

/// What an entry point returned.
#[derive(Debug)]
enum Outcome {
    Decoded,
    Engine(EngineRun),
    Sync(Box<SyncMessageRun>),
}

/// Run one input through a target's entry point; `Err` carries the panic message.
fn replay(target: &str, data: &[u8]) -> Result<Outcome, String> {
    catch_unwind(AssertUnwindSafe(|| match target {
        "frame_decode" => {
            let _ = fuzzing::frame_decode(data);
            Outcome::Decoded
        }
        "engine_frames" => Outcome::Engine(fuzzing::engine_frames(data)),
        "sync_message" => Outcome::Sync(Box::new(fuzzing::sync_message(data))),
        other => panic!("unknown fuzz target {other}"),
    }))
    .map_err(|panic| {
        panic
            .downcast_ref::<String>()
            .cloned()
            .or_else(|| panic.downcast_ref::<&str>().map(|s| (*s).to_owned()))
            .unwrap_or_else(|| "a panic without a message".to_owned())
    })
}

#[test]
fn the_committed_corpus_and_saved_crashers_replay_without_failures() {
    let mut failures = Vec::new();
    for target in TARGETS {
        let corpus = files(&fuzz_dir().join("corpus").join(target));
        assert!(
            corpus.len() >= 5,
            "fuzz/corpus/{target}/ holds the seed inputs (found {}); regenerate them",
            corpus.len()
        );
        let saved = files(&fuzz_dir().join("regressions").join(target));
        for (path, data) in corpus.iter().chain(&saved) {
            if let Err(panic) = replay(target, data) {
                failures.push(format!("{}: {panic}", path.display()));
            }
        }
        // A saved `sync_message` crasher also goes through the engine, as the message of a
        // document the server does not hold yet: the session fails and nothing is stored.
        if target == "sync_message" {
            for (path, data) in &saved {
                let input = fuzzing::engine_input_with_message(data);
                match replay("engine_frames", &input) {
                    Err(panic) => failures.push(format!(
                        "{} (through engine_frames): {panic}",
                        path.display()
                    )),
                    Ok(Outcome::Engine(run))
                        if run.error.is_none() || run.docs != 2 || run.docs_changed != 0 =>
                    {
                        failures.push(format!(
                            "{} (through engine_frames) was not refused: {run:?}",
                            path.display()
                        ))
                    }
                    Ok(_) => {}
                }
            }
        }
    }
    assert!(
        failures.is_empty(),
        "inputs that fail:\n{}",
        failures.join("\n")
    );
}

#[test]
fn every_seed_input_is_in_the_committed_corpus() {
    for (target, name, _) in fuzzing::seed_inputs() {
        let path = fuzz_dir()
            .join("corpus")
            .join(target)
            .join(format!("{SEED_PREFIX}{name}"));
        assert!(
            path.is_file(),
            "{} is missing: run `cargo test -p balai-shared --test fuzz_corpus -- --ignored regenerate_seed_corpus`",
            path.display()
        );
    }
}

/// The seeds exercise what they claim to: a captured session replays to completion against a
/// fresh seeded store, cut and tampered versions fail cleanly or stop early, whole captured
/// frames decode and garbage does not.
#[test]
fn seed_inputs_replay_as_their_names_say() {
    let mut runs: BTreeMap<String, EngineRun> = BTreeMap::new();
    let mut syncs: BTreeMap<String, SyncMessageRun> = BTreeMap::new();
    let seeds = fuzzing::seed_inputs();
    for (target, name, data) in seeds.iter().cloned() {
        let outcome = replay(target, &data).unwrap_or_else(|panic| panic!("{name}: {panic}"));
        match (target, outcome) {
            ("engine_frames", Outcome::Engine(run)) => {
                runs.insert(name, run);
            }
            ("sync_message", Outcome::Sync(run)) => {
                syncs.insert(name, *run);
            }
            ("frame_decode", _) => {
                let decoded = fuzzing::frame_decode(&data);
                if name.ends_with("-half") {
                    continue;
                }
                // `hostile-*`: document messages whose heads break the wire's rules (too many,
                // a head that is no change hash) do not decode. Which frames must carry heads,
                // and which may be whole, is the engine's to check after the peer's Hello (so a
                // peer of another version is told so first): those decode.
                let engine_checks = matches!(
                    name.as_str(),
                    "hostile-offer-without-heads"
                        | "hostile-reply-with-heads"
                        | "hostile-reply-whole"
                );
                assert_eq!(
                    decoded.is_some(),
                    !matches!(name.as_str(), "empty" | "garbage")
                        && (engine_checks || !name.starts_with("hostile-")),
                    "{name}"
                );
            }
            other => panic!("unexpected {other:?}"),
        }
    }
    let run = |name: &str| {
        runs.get(name)
            .unwrap_or_else(|| panic!("no seed named {name}"))
            .clone()
    };

    // Protocol 2 offers a document the peer shares none of whole: the device's first flight
    // answers the server's two whole offers with empty messages ("now held") and offers its
    // minutes whole; the server stores them as they came and answers "now held" too. No sync
    // message is exchanged at all, and the session takes three flights.
    let first = run("first-sync");
    assert!(first.finished, "{first:?}");
    assert_eq!(first.error, None);
    assert_eq!(first.docs, 3, "the device's minutes arrived: {first:?}");
    assert_eq!(first.docs_changed, 1, "{first:?}");
    assert!(first.checkpoint > 0, "{first:?}");
    assert_eq!(first.sync_replies, 0, "{first:?}");
    // The device's offer carrying its changes in a sync message instead (as it would if its sync
    // state said the server shares some of the document): the server applies them and answers
    // with a sync message of its own; the same end otherwise.
    let changes = run("first-sync-offer-with-changes");
    assert_eq!(
        (
            changes.finished,
            changes.error.as_deref(),
            changes.docs,
            changes.docs_changed,
            changes.checkpoint,
            changes.sync_replies
        ),
        (true, None, 3, 1, first.checkpoint, 1),
        "{changes:?}"
    );
    // The same frames in other batches, or in parts (the whole document in 64-byte parts, each
    // repeating `whole`; empty answers stay one frame): the same end.
    for name in ["first-sync-frame-by-frame", "first-sync-in-parts"] {
        let same = run(name);
        assert_eq!(
            (same.finished, same.error.as_deref(), same.docs),
            (true, None, 3),
            "{name}: {same:?}"
        );
        assert_eq!(same.checkpoint, first.checkpoint, "{name}: {same:?}");
    }
    // A document message delivered twice (re-stamped by the harness, so the engine sees the copy
    // as the next frame): the first of the device's first flight, its empty answer to the
    // server's whole offer of the seeded minutes. The first copy says "now held"; the second is
    // an answer with nothing to ask, which the server answers with a sync message the captured
    // device never received, so its `done` counts one frame short and the session does not
    // complete. What arrives and the checkpoint are the same.
    let duplicate = run("first-sync-duplicate-doc");
    assert_eq!(
        (
            duplicate.finished,
            duplicate.error.as_deref(),
            duplicate.docs,
            duplicate.docs_changed,
            duplicate.checkpoint,
            duplicate.sync_replies
        ),
        (false, None, 3, 1, first.checkpoint, 1),
        "{duplicate:?}"
    );
    let one_batch = run("first-sync-one-batch");
    // All frames of the captured session at once: the device's answers to the server's whole
    // offers come before the server made them (its offers follow the batch), so they are answers
    // with nothing to ask, each answered with a sync message, and the offers made after them
    // await answers the captured device gave too early. Its `done` counts fewer frames than the
    // server sent: no error, no completion — but the device's minutes arrive and its offer
    // completes, whatever the batching.
    assert_eq!(
        (
            one_batch.finished,
            one_batch.error.as_deref(),
            one_batch.docs,
            one_batch.docs_changed,
            one_batch.checkpoint
        ),
        (false, None, 3, 1, first.checkpoint),
        "{one_batch:?}"
    );

    // Captured against a server that had the first session; this one did not. The device's
    // early offers come from its sync states with that server, primed with the heads they share,
    // so each carries its changes at once (protocol 2). Its edits of the seeded documents apply
    // (this server's copies are the same), and the sync states they leave say the device holds
    // what this server holds, so it offers nothing itself and answers each offer with a sync
    // message: the captured `done` matches and the session completes. The device's new change to
    // its own minutes lacks its dependencies and is not stored, so that offer never completes;
    // and the offers start past this server's checkpoint of the device (none), which stays 0.
    let second = run("second-sync");
    assert_eq!(
        (
            second.finished,
            second.error.as_deref(),
            second.docs,
            second.docs_changed,
            second.checkpoint,
            second.sync_replies
        ),
        (true, None, 2, 2, 0, 3),
        "{second:?}"
    );
    // Captured against a server like this one (expected by the device, not knowing it): the
    // device shares nothing with it, so it offers all three documents whole; the server merges
    // the two it holds and answers each with a sync message, stores the third as it came, and
    // the session completes with everything arrived.
    let fresh = run("second-sync-fresh-server");
    assert_eq!(
        (
            fresh.finished,
            fresh.error.as_deref(),
            fresh.docs,
            fresh.docs_changed,
            fresh.sync_replies
        ),
        (true, None, 3, 3, 2),
        "{fresh:?}"
    );
    // A device holding only a copy of the seeded minutes, with an attendee of its own, in its
    // first session with a seeded server: a whole offer of a document the server already holds
    // is merged into its copy (the attendee arrives) and answered with a sync message, not "now
    // held"; the session completes and the offer with it.
    let held = run("whole-offer-of-a-held-document");
    assert_eq!(
        (
            held.finished,
            held.error.as_deref(),
            held.docs,
            held.docs_changed
        ),
        (true, None, 2, 1),
        "{held:?}"
    );
    assert!(held.sync_replies >= 1 && held.checkpoint > 0, "{held:?}");

    // Hostile stamps (the tampered records keep their own, `RAW_STAMPS`) and frames out of place:
    // the engine refuses each before using the frame, so nothing of its batch is stored.
    for (name, refusal) in [
        ("first-sync-duplicate-doc-raw-stamps", "out of order"),
        ("first-sync-reordered", "out of order"),
        ("first-sync-frame-dropped", "out of order"),
        // The hello comes first; every other frame is refused at once as out of order.
        ("first-sync-reversed-after-hello", "out of order"),
        (
            "first-sync-frame-from-another-session",
            "a frame from another session",
        ),
        // The second session's hello, then the first session's later flights, stamps kept.
        (
            "second-sync-with-first-sync-replayed",
            "a frame from another session",
        ),
        ("first-sync-hello-nonce-0", "a hello starts a session"),
        ("first-sync-hello-numbered-2", "a hello starts a session"),
        ("first-sync-hello-twice", "second hello"),
        // The first session's first flight, then the second session's hello.
        ("second-sync-after-old-frames", "second hello"),
        // Re-stamped, so the stamps are in order: the `done` that now comes first is refused.
        ("first-sync-reversed", "`done` before hello"),
    ] {
        let refused = run(name);
        assert!(
            refused
                .error
                .as_deref()
                .is_some_and(|e| e.contains(refusal)),
            "{name}: expected {refusal:?}: {refused:?}"
        );
        assert!(!refused.finished, "{name}: {refused:?}");
        assert_eq!(
            (refused.docs, refused.docs_changed, refused.checkpoint),
            (2, 0, 0),
            "{name}: nothing stored: {refused:?}"
        );
    }
    // An offer without heads, a reply with heads, a whole reply: decoded, then refused by the
    // engine (a protocol error) before anything of their batch is applied.
    for (name, needle) in [
        ("first-sync-offer-without-heads", "heads"),
        ("first-sync-reply-with-heads", "announces heads"),
        ("first-sync-whole-reply", "whole document"),
    ] {
        let refused = run(name);
        assert!(
            !refused.bad_frame
                && !refused.finished
                && refused.error.as_deref().is_some_and(|e| e.contains(needle)),
            "{name}: {refused:?}"
        );
        assert_eq!(
            (refused.docs, refused.docs_changed),
            (2, 0),
            "{name}: nothing stored: {refused:?}"
        );
    }
    // More heads than the wire allows, and `whole` on the first part of an offer but not the
    // others: the wire conversion or reassembly refuses the frame, so its batch never reaches
    // the engine and the server ends the stream.
    for name in [
        "first-sync-offer-with-257-heads",
        "first-sync-in-parts-whole-on-first-part-only",
    ] {
        let refused = run(name);
        assert!(
            refused.bad_frame && !refused.finished,
            "{name}: {refused:?}"
        );
        assert_eq!(
            (refused.docs, refused.docs_changed),
            (2, 0),
            "{name}: nothing stored: {refused:?}"
        );
    }
    // An offer of as many heads as allowed, all but the real one unknown, carrying its changes
    // in a sync message: taken, the document arrives and the session completes, but the offer
    // never does, so the responder's checkpoint of the device's feed stays before it (the next
    // session offers it again).
    let lying = run("first-sync-offer-with-256-heads-255-unknown");
    assert_eq!(
        (lying.finished, lying.error.as_deref(), lying.docs),
        (true, None, 3),
        "{lying:?}"
    );
    assert!(lying.checkpoint < first.checkpoint, "{lying:?}");
    // A whole document must reach every head of its offer: with the same heads, or as the
    // device's minutes without their last change, or with its last chunk corrupt (automerge
    // loads the chunks before it and skips it without an error), it is refused after loading,
    // the batch is aborted and nothing is stored.
    for (name, why) in [
        (
            "first-sync-whole-offer-with-256-heads-255-unknown",
            "the document does not reach the heads its offer announced",
        ),
        (
            "first-sync-whole-offer-short-of-its-heads",
            "the document does not reach the heads its offer announced",
        ),
        // A whole document is loaded strictly, on its own: a damaged chunk refuses it all.
        ("first-sync-corrupt-whole-document-tail", "bad checksum"),
    ] {
        let refused = run(name);
        assert!(
            refused
                .error
                .as_deref()
                .is_some_and(|e| e.starts_with("bad sync message") && e.ends_with(why)),
            "{name}: {refused:?}"
        );
        assert_eq!(
            (
                refused.finished,
                refused.docs,
                refused.docs_changed,
                refused.checkpoint
            ),
            (false, 2, 0, 0),
            "{name}: nothing stored: {refused:?}"
        );
    }

    for (name, run) in &runs {
        if name.starts_with("first-sync-cut-after-") || name.starts_with("first-sync-truncated-") {
            assert!(!run.finished, "{name} cannot complete: {run:?}");
            assert_eq!(run.error, None, "{name}: a cut is not an error: {run:?}");
        }
    }
    // A byte flipped in the first chunk of the device's changes, or of its whole document:
    // automerge's checksum refuses it; nothing is stored.
    for name in [
        "first-sync-corrupt-changes",
        "first-sync-corrupt-whole-document",
    ] {
        let corrupt = run(name);
        assert!(
            corrupt
                .error
                .as_deref()
                .is_some_and(|e| e.starts_with("bad sync message") && e.ends_with("bad checksum")),
            "{name}: {corrupt:?}"
        );
        assert_eq!(
            (corrupt.docs, corrupt.docs_changed),
            (2, 0),
            "{name}: nothing of the corrupt message was stored"
        );
    }
    // In the last of the changes: automerge applies the ones before it (which need the last to
    // make a document of their own, so nothing is stored) and skips it without an error. The
    // session completes, but the offer does not: the checkpoint stays before it.
    let tail = run("first-sync-corrupt-last-change");
    assert_eq!(
        (
            tail.finished,
            tail.error.as_deref(),
            tail.docs,
            tail.docs_changed
        ),
        (true, None, 2, 0),
        "{tail:?}"
    );
    assert!(tail.checkpoint < first.checkpoint, "{tail:?}");
    let in_parts = run("first-sync-in-parts");
    assert_eq!(
        (in_parts.finished, in_parts.error.as_deref(), in_parts.docs),
        (true, None, 3),
        "parts are reassembled before the engine: {in_parts:?}"
    );
    // A message (the whole document) whose first part comes last: reassembly cannot tell (parts
    // carry no index), so the engine gets a document without its start and refuses it; nothing
    // is stored.
    let out_of_place = run("first-sync-parts-out-of-place");
    assert!(
        (out_of_place.bad_frame || out_of_place.error.is_some())
            && !out_of_place.finished
            && out_of_place.docs == 2,
        "{out_of_place:?}"
    );
    // A hostile automerge message as the sync message of the device's offer (where
    // `guard::check_message` checks it; protocol 2 would send the whole document there): refused
    // by the guard, for the reason it gives the message on its own, before automerge parses it;
    // the session fails and nothing is stored.
    let sync_seeds = fuzzing::sync_message_seeds();
    for name in fuzzing::ENGINE_HOSTILE_MESSAGES {
        let (_, bytes) = sync_seeds
            .iter()
            .find(|(n, _)| n == name)
            .unwrap_or_else(|| panic!("no sync_message seed named {name}"));
        let reason = guard::check_message(bytes, &DocLimits::DEFAULT)
            .expect_err("a hostile seed")
            .to_string();
        let name = format!("first-sync-{name}");
        let hostile = run(&name);
        assert!(
            hostile
                .error
                .as_deref()
                .is_some_and(|e| e.ends_with(&reason)
                    && (e.starts_with("bad sync message")
                        || (e.starts_with("document") && e.contains("refused")))),
            "{name}: expected {reason:?}: {hostile:?}"
        );
        assert!(
            !hostile.finished && hostile.docs == 2 && hostile.docs_changed == 0,
            "{name}: {hostile:?}"
        );
    }
    // Hostile whole documents in place of the device's (deflate bombs and operation counts past
    // the limits, as a document chunk and as changes after the honest document), and a sync
    // message sent as a whole document: refused by `guard::check_document` for the reason it
    // gives the bytes on their own, before automerge loads anything; nothing is stored.
    let offered = |seed: &str, whole: bool| {
        let (_, _, data) = seeds
            .iter()
            .find(|(target, name, _)| *target == "engine_frames" && name == seed)
            .unwrap_or_else(|| panic!("no seed named {seed}"));
        fuzzing::decode_records(data)
            .into_iter()
            .flatten()
            .find_map(|w| match w.body {
                Some(v1::frame::Body::Doc(d)) if d.offer_seq != 0 && d.whole == whole => {
                    Some(d.sync)
                }
                _ => None,
            })
            .unwrap_or_else(|| panic!("{seed}: the device's offer"))
    };
    let mut wholes = fuzzing::hostile_whole_documents(&offered("first-sync", true));
    assert_eq!(wholes.len(), 4);
    wholes.push((
        "offer-of-a-sync-message".into(),
        offered("first-sync-offer-with-changes", false),
    ));
    for (name, bytes) in wholes {
        let name = format!("first-sync-whole-{name}");
        let reason = guard::check_document(&bytes, &DocLimits::DEFAULT)
            .expect_err("a hostile document")
            .to_string();
        if name.ends_with("-bomb") {
            assert!(reason.contains("bytes"), "{name}: {reason}");
        } else if name.ends_with("-ops") {
            assert!(reason.contains("operations"), "{name}: {reason}");
        }
        let hostile = run(&name);
        assert!(
            hostile
                .error
                .as_deref()
                .is_some_and(|e| e.ends_with(&reason)),
            "{name}: expected {reason:?}: {hostile:?}"
        );
        assert_eq!(
            (hostile.finished, hostile.docs, hostile.docs_changed),
            (false, 2, 0),
            "{name}: {hostile:?}"
        );
    }
    let length = run("garbage-length");
    assert_eq!(length.frames + length.batches, 0, "{length:?}");
    let frame = run("garbage-frame");
    assert!(frame.bad_frame && frame.frames == 0, "{frame:?}");
    assert_eq!(
        run("empty"),
        EngineRun {
            docs: 2,
            ..EngineRun::default()
        }
    );
}

/// `engine_frames` re-stamps every record unless it has `RAW_STAMPS`: a captured session comes
/// out as it went in, frames with any stamps at all (here none, as protocol 1 sent them) reach
/// the engine as a consistent stream, and raw records meet the engine's stamp check as they are.
#[test]
fn engine_frames_restamps_records_unless_told_to_keep_their_stamps() {
    let (_, _, seed) = fuzzing::seed_inputs()
        .into_iter()
        .find(|(target, name, _)| *target == "engine_frames" && name == "first-sync")
        .expect("the first-sync seed");
    let captured = fuzzing::decode_records(&seed);
    let all_raw = |flights: &[Vec<v1::Frame>]| {
        let marked: Vec<Vec<_>> = flights
            .iter()
            .map(|flight| flight.iter().map(|w| (true, w.clone())).collect())
            .collect();
        fuzzing::encode_marked_wire_flights(&marked)
    };
    let raw = all_raw(&captured);
    assert_eq!(
        fuzzing::decode_records(&raw),
        captured,
        "re-stamping leaves a captured session as it was"
    );
    assert!(captured[0][0].session != 0 && captured[0][0].number == 1);
    let expected = fuzzing::engine_frames(&seed);
    assert!(expected.finished, "{expected:?}");
    assert_eq!(fuzzing::engine_frames(&raw), expected);

    let unstamped: Vec<Vec<_>> = captured
        .iter()
        .map(|flight| {
            flight
                .iter()
                .cloned()
                .map(|mut w| {
                    w.session = 0;
                    w.number = 0;
                    w
                })
                .collect()
        })
        .collect();
    let restamped = fuzzing::decode_records(&fuzzing::encode_wire_flights(&unstamped));
    assert_eq!(restamped[0][0].session, fuzzing::FALLBACK_NONCE);
    let numbers: Vec<u64> = restamped.iter().flatten().map(|w| w.number).collect();
    assert_eq!(numbers, (1..=numbers.len() as u64).collect::<Vec<_>>());
    assert_eq!(
        fuzzing::engine_frames(&fuzzing::encode_wire_flights(&unstamped)),
        expected,
        "unstamped frames reach the engine re-stamped"
    );
    let refused = fuzzing::engine_frames(&all_raw(&unstamped));
    assert!(
        refused
            .error
            .as_deref()
            .is_some_and(|e| e.contains("a hello starts a session")),
        "{refused:?}"
    );
    assert_eq!((refused.docs, refused.docs_changed), (2, 0));
}

/// The `sync_message` seeds exercise what they claim to: every honest message captured from
/// automerge passes the guard, decodes and applies cleanly to both documents; the whole-document
/// and compressed-change messages add the peer's operations; every hostile one is refused by the
/// guard, for the reason its name gives, before automerge sees it.
#[test]
fn sync_message_seeds_replay_as_their_names_say() {
    let seeds = fuzzing::sync_message_seeds();
    let (mut honest, mut hostile) = (0, 0);
    for (name, data) in &seeds {
        let run = match replay("sync_message", data) {
            Ok(Outcome::Sync(run)) => *run,
            other => panic!("{name}: {other:?}"),
        };
        if name.starts_with("honest-") {
            honest += 1;
            assert!(run.checked.is_ok(), "{name}: {run:?}");
            assert!(
                !run.checksums_fixed,
                "{name}: automerge's checksums are valid"
            );
            assert_eq!(run.decode_error, None, "{name}");
            for applied in [&run.empty, &run.seeded] {
                let applied = applied
                    .as_ref()
                    .unwrap_or_else(|| panic!("{name}: {run:?}"));
                assert_eq!(applied.error, None, "{name}: {run:?}");
                assert_eq!(applied.panic, None, "{name}: {run:?}");
            }
        } else if let Some(what) = name.strip_prefix("hostile-") {
            hostile += 1;
            let err = run
                .checked
                .as_ref()
                .err()
                .unwrap_or_else(|| panic!("{name} passed the guard: {run:?}"));
            let expected = if what.starts_with("bloom-") {
                matches!(err, MessageError::Bloom(_))
            } else if what.contains("-count-") {
                matches!(err, MessageError::Malformed(_))
            } else if what.ends_with("-ops") {
                matches!(
                    err,
                    MessageError::Limit {
                        what: "operations",
                        ..
                    }
                )
            } else if what.ends_with("-bomb") {
                matches!(err, MessageError::Limit { what: "bytes", .. })
            } else {
                matches!(err, MessageError::Chunk(_))
            };
            assert!(expected, "{name} refused for another reason: {err}");
            assert!(!run.applied(), "{name}");
        } else {
            assert!(
                name.starts_with("garbage-"),
                "{name}: honest, hostile or garbage"
            );
            // Either may refuse it; automerge must not take it.
            if let Some(applied) = &run.seeded {
                assert!(
                    applied.error.is_some() || !applied.heads_changed,
                    "{name} changed the document: {run:?}"
                );
            }
        }
    }
    assert!(
        honest >= 10 && hostile >= 15,
        "{honest} honest, {hostile} hostile seeds"
    );
    let sync = |name: &str| {
        seeds
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, d)| fuzzing::sync_message(d))
            .unwrap_or_else(|| panic!("no seed named {name}"))
    };
    // A V2 message carrying the whole document fills an empty document.
    let documents: Vec<&String> = seeds
        .iter()
        .map(|(n, _)| n)
        .filter(|n| n.starts_with("honest-to-empty-v2-") && n.ends_with("-document"))
        .collect();
    assert!(
        !documents.is_empty(),
        "a whole-document message was captured"
    );
    for name in documents {
        let run = sync(name);
        let empty = run.empty.expect("applied");
        assert!(
            empty.heads_changed && empty.ops_after > 0,
            "{name}: {empty:?}"
        );
    }
    // V1 between old peers sends changes, not a document.
    assert!(
        seeds
            .iter()
            .any(|(n, _)| n.starts_with("honest-to-empty-v1-") && n.ends_with("-changes")),
        "V1 change messages were captured"
    );
    // Compressed changes apply to the seeded document (their dependencies are there); the guard
    // weighed every operation they added.
    for name in [
        "honest-compressed-changes-v1",
        "honest-compressed-changes-v2",
    ] {
        let run = sync(name);
        let weight = run.checked.expect("accepted");
        let seeded = run.seeded.expect("applied");
        assert!(seeded.heads_changed, "{name}: {seeded:?}");
        let added = seeded.ops_after - seeded.ops_before;
        assert!(
            added > 0 && added <= weight.ops,
            "{name}: {added} ops, weighed {weight:?}"
        );
    }
}

/// The hostile seeds carry checksums automerge accepts (so without the guard automerge would get
/// to their bodies): the seeds' SHA-256 is automerge's.
#[test]
fn seed_checksums_are_automerges() {
    assert_eq!(
        fuzzing::sha256(&[b"ab", b"c"]),
        *b"\xba\x78\x16\xbf\x8f\x01\xcf\xea\x41\x41\x40\xde\x5d\xae\x22\x23\xb0\x03\x61\xa3\x96\x17\x7a\x9c\xb4\x10\xff\x61\xf2\x00\x15\xad"
    );
    let doc = fuzzing::sync_peer_doc();
    let changes = doc.get_changes(&[]);
    assert!(changes.len() >= 3);
    for change in changes {
        let raw = change.raw_bytes();
        assert_eq!(fuzzing::sha256(&[&raw[8..]]), change.hash().0);
        assert_eq!(
            fuzzing::chunk(
                1,
                &raw[raw.len() - change_body_len(raw)..],
                &raw[raw.len() - change_body_len(raw)..]
            ),
            raw
        );
    }
    // The fuzz target makes every chunk checksum valid; it leaves honest ones as they are.
    let seeds = fuzzing::sync_message_seeds();
    let (_, honest) = seeds
        .iter()
        .find(|(n, _)| n == "honest-compressed-changes-v1")
        .expect("a seed of compressed changes");
    assert_eq!(fuzzing::with_valid_checksums(honest), *honest);
    let mut broken = honest.clone();
    let first_checksum = broken
        .windows(4)
        .position(|w| w == [0x85, 0x6f, 0x4a, 0x83])
        .expect("a chunk")
        + 4;
    broken[first_checksum] ^= 0xff;
    let last_checksum = broken
        .windows(4)
        .rposition(|w| w == [0x85, 0x6f, 0x4a, 0x83])
        .expect("a chunk")
        + 4;
    broken[last_checksum + 1] ^= 0xff;
    assert_eq!(fuzzing::with_valid_checksums(&broken), *honest);
}

/// The length of a change chunk's body (after magic, checksum, type and the length itself).
fn change_body_len(raw: &[u8]) -> usize {
    let (mut len, mut shift) = (0usize, 0);
    for &b in &raw[9..] {
        len |= usize::from(b & 0x7f) << shift;
        shift += 7;
        if b & 0x80 == 0 {
            break;
        }
    }
    len
}

/// Rewrite the seed inputs in `fuzz/corpus/<target>/seed-*` (removing stale seeds; inputs the
/// fuzzer found stay).
#[test]
#[ignore = "rewrites fuzz/corpus/*/seed-*: run by hand when the wire format or the engine changes"]
fn regenerate_seed_corpus() {
    for target in TARGETS {
        let dir = fuzz_dir().join("corpus").join(target);
        fs::create_dir_all(&dir).expect("create the corpus directory");
        for (path, _) in files(&dir) {
            if path
                .file_name()
                .and_then(|n| n.to_str())
                .is_some_and(|n| n.starts_with(SEED_PREFIX))
            {
                fs::remove_file(&path).expect("remove a stale seed");
            }
        }
    }
    for (target, name, data) in fuzzing::seed_inputs() {
        let path = fuzz_dir()
            .join("corpus")
            .join(target)
            .join(format!("{SEED_PREFIX}{name}"));
        fs::write(&path, data).unwrap_or_else(|e| panic!("write {}: {e}", path.display()));
    }
}
