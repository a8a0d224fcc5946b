//! Replays the committed fuzz corpus (`fuzz/corpus/<target>/`) and saved crashers
//! (`fuzz/regressions/<target>/`) through the entry points the cargo-fuzz targets call, so a
//! plain `cargo test` on stable catches what any saved input would. The seed inputs come from
//! `balai_shared::sync::fuzzing::seed_inputs`; rewrite them with
//! `cargo test -p balai-shared --test fuzz_corpus -- --ignored regenerate_seed_corpus`.

use std::collections::BTreeMap;
use std::fs;
use std::panic::{AssertUnwindSafe, catch_unwind};
use std::path::{Path, PathBuf};

use balai_shared::sync::fuzzing::{self, EngineRun};

const TARGETS: [&str; 2] = ["frame_decode", "engine_frames"];

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

/// Run one input through a target's entry point; `Err` carries the panic message.
fn replay(target: &str, data: &[u8]) -> Result<Option<EngineRun>, String> {
    catch_unwind(AssertUnwindSafe(|| match target {
        "frame_decode" => {
            let _ = fuzzing::frame_decode(data);
            None
        }
        "engine_frames" => Some(fuzzing::engine_frames(data)),
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
    for (target, name, data) in fuzzing::seed_inputs() {
        let outcome = replay(target, &data).unwrap_or_else(|panic| panic!("{name}: {panic}"));
        match (target, outcome) {
            ("engine_frames", Some(run)) => {
                runs.insert(name, run);
            }
            ("frame_decode", _) => {
                let decoded = fuzzing::frame_decode(&data);
                if name.ends_with("-half") {
                    continue;
                }
                assert_eq!(
                    decoded.is_some(),
                    !matches!(name.as_str(), "empty" | "garbage"),
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

    let first = run("first-sync");
    assert!(first.finished, "{first:?}");
    assert_eq!(first.error, None);
    assert_eq!(first.docs, 3, "the device's minutes arrived: {first:?}");
    let one_batch = run("first-sync-one-batch");
    // All frames of the captured session at once: its `Done` counts replies this fresh responder
    // has not sent yet, which it now refuses as a protocol violation — after storing the changes.
    assert!(
        one_batch
            .error
            .as_deref()
            .is_none_or(|e| e.contains("frames received")),
        "{one_batch:?}"
    );
    assert_eq!(
        one_batch.docs, 3,
        "the changes arrive whatever the batching: {one_batch:?}"
    );

    // Captured against a server that had the first session; this one did not, so the device's
    // new change lacks its dependencies and is not stored, but the session runs its course.
    let second = run("second-sync");
    assert_eq!(second.error, None, "{second:?}");
    assert!(second.finished && second.frames > 0, "{second:?}");

    let hello_twice = run("first-sync-hello-twice");
    assert!(
        hello_twice
            .error
            .as_deref()
            .is_some_and(|e| e.contains("second hello")),
        "{hello_twice:?}"
    );
    let reversed = run("first-sync-reversed");
    assert!(reversed.error.is_some(), "{reversed:?}");
    assert!(!reversed.finished);

    for (name, run) in &runs {
        if name.starts_with("first-sync-cut-after-") || name.starts_with("first-sync-truncated-") {
            assert!(!run.finished, "{name} cannot complete: {run:?}");
            assert_eq!(run.error, None, "{name}: a cut is not an error: {run:?}");
        }
    }
    let corrupt = run("first-sync-corrupt-changes");
    assert!(
        corrupt
            .error
            .as_deref()
            .is_some_and(|e| e.starts_with("bad sync message")),
        "{corrupt:?}"
    );
    assert_eq!(corrupt.docs, 2, "nothing of the corrupt message was stored");
    let in_parts = run("first-sync-in-parts");
    assert_eq!(
        (in_parts.finished, in_parts.error.as_deref(), in_parts.docs),
        (true, None, 3),
        "parts are reassembled before the engine: {in_parts:?}"
    );
    // A message whose first part comes last: reassembly cannot tell (parts carry no index), so the
    // engine gets a message without its start and refuses it; nothing is stored.
    let out_of_place = run("first-sync-parts-out-of-place");
    assert!(
        (out_of_place.bad_frame || out_of_place.error.is_some())
            && !out_of_place.finished
            && out_of_place.docs == 2,
        "{out_of_place:?}"
    );
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
