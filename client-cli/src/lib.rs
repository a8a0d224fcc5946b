//! The balai client as a library: the device home (config + store), admin calls and rendering.
//! The client side of a sync is `balai_net::client`, shared with upstream replication. The binary
//! in `main.rs` only parses flags and prints. The demo is its own binary (`balai-demo`), so the field binary
//! links no server code.

pub mod admin;
pub mod home;
pub mod render;
pub mod shed;
