//! The balai client as a library: the device home (config + store), the client side of a sync
//! over gRPC (through `balai_net`'s driver), admin calls and rendering. The binary in `main.rs`
//! only parses flags and prints. The demo is its own binary (`balai-demo`), so the field binary
//! links no server code.

pub mod admin;
pub mod home;
pub mod render;
pub mod retry;
pub mod sync;
