//! Fuzz target: arbitrary bytes as one automerge sync message from a peer. The guard
//! (`sync::guard::check_message`) must never panic; what it accepts must decode or fail cleanly,
//! and apply to an empty and to a seeded document (then a reply is generated from each) without
//! a panic of Balai's, an absurd allocation (`-rss_limit_mb`) or growing past the operation
//! limit. automerge's own panics are contained as the engine contains them, unless
//! `BALAI_FUZZ_STRICT` is set. Logic: `balai_shared::sync::fuzzing::sync_message`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(
    init: balai_shared::sync::fuzzing::contain_automerge_panics(),
    |data: &[u8]| {
        let _ = balai_shared::sync::fuzzing::sync_message(data);
    }
);
