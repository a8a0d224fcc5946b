//! Balai's core, shared by server and CLI: documents, regions, the redb store and the sans-io
//! sync engine. Nothing in this crate opens a socket.

pub mod ids;
pub mod model;
pub mod proto;
pub mod region;
pub mod store;
pub mod sync;
