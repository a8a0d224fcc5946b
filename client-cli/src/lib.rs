//! The balai client as a library: the device home (config + store), admin calls, rendering, the
//! language it speaks and its exit codes. The client side of a sync is `balai_net::client`,
//! shared with upstream replication. The binary in `main.rs` only parses flags and prints. The
//! demo is its own binary (`balai-demo`), so the field binary links no server code.

pub mod actors;
pub mod admin;
pub mod exit;
pub mod export;
pub mod home;
pub mod html;
pub mod i18n;
pub mod render;
pub mod report_view;
pub mod shed;
