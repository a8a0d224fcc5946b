//! Fuzz target: arbitrary bytes as a sequence of frames fed in batches into a responder session
//! over a seeded in-memory store, which must stay consistent. The harness stamps each frame with
//! a consistent session nonce and the next number unless its record sets `RAW_STAMPS`, so inputs
//! reach the engine and, with the flag, fuzz its stamp check. Logic and input format:
//! `balai_shared::sync::fuzzing::engine_frames` and `decode_records`. A panic inside automerge that the engine contains
//! (it fails the session) is not a crash, unless `BALAI_FUZZ_STRICT` is set.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: balai_shared::sync::fuzzing::contain_automerge_panics(),
    |data: &[u8]| {
        let _ = balai_shared::sync::fuzzing::engine_frames(data);
    }
);
