//! Balai's networking that both ends share: the one session driver that moves sync-engine frames
//! over an ordered stream of wire frames. The server's responder and the CLI's `balai sync` (and
//! the server's upstream replication, the benchmark) all drive sessions through [`drive`]; none
//! writes its own read-batch / reassemble / step / send loop. No server code lives here, so the
//! field binary links only what a device needs.

pub mod client;
pub mod driver;
pub mod retry;
pub mod status_view;
pub mod token;
pub mod wire;

pub use driver::{DriveError, DriveLimits, Hooks, NoHooks, Outbound, drive};

/// The largest gRPC message accepted or sent: tonic's default of 4 MiB, kept on purpose. Large
/// document messages travel in parts of `balai_shared::proto::PART_BYTES` (reassembled up to
/// `MAX_DOC_MESSAGE_BYTES`), so no single message grows with a document and a peer cannot make us
/// buffer a huge one.
pub const MAX_MESSAGE_BYTES: usize = 4 * 1024 * 1024;
