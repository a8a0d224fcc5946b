//! Fuzz target: arbitrary bytes as one wire frame, decoded with prost and converted into an engine
//! frame; accepted frames must survive a round trip. Logic: `balai_shared::sync::fuzzing`.
#![no_main]

use libfuzzer_sys::fuzz_target;

fuzz_target!(|data: &[u8]| {
    let _ = balai_shared::sync::fuzzing::frame_decode(data);
});
