//! Fuzz target: arbitrary bytes as a sequence of frames fed in batches into a responder session
//! over a seeded in-memory store, which must stay consistent. Logic and input format:
//! `balai_shared::sync::fuzzing::engine_frames`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = balai_shared::sync::fuzzing::engine_frames(data);
});
