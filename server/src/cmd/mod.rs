//! `balai-server` commands that have their own module (newer ones; the older ones still live in
//! `main.rs`).

pub mod resync;
pub mod sink;
pub mod status;
pub mod upstream;
