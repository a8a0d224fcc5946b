//! Balai's core, shared by server and CLI: documents, regions, the redb store, the sans-io
//! sync engine and the reports and tables computed from documents. Nothing in this crate opens a
//! socket.

pub mod ids;
pub mod model;
pub mod proto;
pub mod region;
pub mod report;
pub mod store;
pub mod sync;
pub mod tables;
