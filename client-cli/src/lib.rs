//! The balai client as a library: the device home (config + store), the sync driver that moves
//! engine frames over gRPC, and the self-contained demo. The binary in `main.rs` only parses
//! flags and prints.

pub mod admin;
pub mod demo;
pub mod home;
pub mod render;
pub mod retry;
pub mod sync;
