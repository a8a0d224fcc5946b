//! What the sink has done and where it stands: shown by `balai admin status` and logged.

use std::time::{SystemTime, UNIX_EPOCH};

/// A snapshot of the sink's state.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SinkStatus {
    /// The database, without its password.
    pub url: String,
    /// Connected and migrated.
    pub connected: bool,
    /// The feed seq projected: every change up to it is in PostgreSQL (the checkpoint there).
    pub projected_seq: u64,
    /// The store's latest feed seq when the sink last looked.
    pub latest_seq: u64,
    /// Documents written since the server started.
    pub documents_written: u64,
    /// Rows written (all tables) since the server started.
    pub rows_written: u64,
    /// Unix ms of the last committed batch, or of the last time the sink found nothing to do.
    pub last_success_unix_ms: i64,
    /// Unix ms and text of the last failure (0, empty: none since the server started).
    pub last_failure_unix_ms: i64,
    pub last_failure: String,
    /// Failures in a row (0 once a batch commits again).
    pub consecutive_failures: u32,
}

pub(crate) fn now_unix_ms() -> i64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| i64::try_from(d.as_millis()).unwrap_or(i64::MAX))
}
