//! Who syncs and who does not: per device, the last completed session, the last failed one and
//! counts, kept in the access database beside the audit log and written in the same transaction
//! as the session's audit line, so `admin status` never scans the log.

use redb::{Durability, ReadableDatabase, ReadableTable, TableDefinition};

use prost::Message;

use crate::access::{Access, AccessError, AuditRecord, append_audit};

/// Key: device name. Value: prost-encoded [`Activity`].
const ACTIVITY: TableDefinition<&str, &[u8]> = TableDefinition::new("device-activity-1");

/// One device's sync activity on this server.
#[derive(Clone, PartialEq, prost::Message)]
pub struct Activity {
    /// Unix ms of the last completed session (0 = never).
    #[prost(int64, tag = "1")]
    pub last_success_unix_ms: i64,
    #[prost(uint64, tag = "2")]
    pub last_docs_sent: u64,
    #[prost(uint64, tag = "3")]
    pub last_docs_received: u64,
    /// Unix ms of the last failed session (0 = none ever); kept after later successes, so an
    /// admin sees what went wrong last.
    #[prost(int64, tag = "4")]
    pub last_failure_unix_ms: i64,
    /// Where it failed (see [`Phase`]).
    #[prost(string, tag = "5")]
    pub last_failure_phase: String,
    #[prost(string, tag = "6")]
    pub last_failure_reason: String,
    #[prost(uint64, tag = "7")]
    pub sessions_ok: u64,
    #[prost(uint64, tag = "8")]
    pub sessions_failed: u64,
}

/// Where in a session a failure happened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Before or at the peer's `Hello` (no Hello, a store id it may not use, a refused open).
    Hello,
    /// Exchanging offers and documents.
    Exchange,
    /// The connection itself: the peer went away or the stream broke.
    Connection,
}

impl Phase {
    pub fn as_str(self) -> &'static str {
        match self {
            Phase::Hello => "hello",
            Phase::Exchange => "exchange",
            Phase::Connection => "connection",
        }
    }
}

/// How a session ended, for [`Access::session_ended`].
#[derive(Clone, Debug)]
pub enum SessionEnd {
    Completed { docs_sent: u64, docs_received: u64 },
    Failed { phase: Phase, reason: String },
}

impl Access {
    /// Record the end of a device's session: its audit line and its activity, in one
    /// transaction. Not fsynced on its own (a session must not cost a second fsync for its
    /// bookkeeping); it reaches the disk with the next durable write, at the latest at shutdown.
    pub fn session_ended(&self, audit: &AuditRecord, end: &SessionEnd) -> Result<(), AccessError> {
        let mut tx = self.db.begin_write()?;
        tx.set_durability(Durability::None)?;
        append_audit(&tx, audit)?;
        {
            let mut table = tx.open_table(ACTIVITY)?;
            let mut activity = match table.get(audit.device.as_str())? {
                Some(v) => decode(v.value())?,
                None => Activity::default(),
            };
            match end {
                SessionEnd::Completed {
                    docs_sent,
                    docs_received,
                } => {
                    activity.last_success_unix_ms = audit.unix_ms;
                    activity.last_docs_sent = *docs_sent;
                    activity.last_docs_received = *docs_received;
                    activity.sessions_ok += 1;
                }
                SessionEnd::Failed { phase, reason } => {
                    activity.last_failure_unix_ms = audit.unix_ms;
                    activity.last_failure_phase = phase.as_str().to_owned();
                    activity.last_failure_reason = reason.clone();
                    activity.sessions_failed += 1;
                }
            }
            table.insert(audit.device.as_str(), activity.encode_to_vec().as_slice())?;
        }
        tx.commit()?;
        Ok(())
    }

    /// The sync activity of `device` (defaults when it never synced).
    pub fn activity(&self, device: &str) -> Result<Activity, AccessError> {
        let tx = self.db.begin_read()?;
        let table = match tx.open_table(ACTIVITY) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Activity::default()),
            Err(e) => return Err(e.into()),
        };
        match table.get(device)? {
            Some(v) => decode(v.value()),
            None => Ok(Activity::default()),
        }
    }
}

fn decode(bytes: &[u8]) -> Result<Activity, AccessError> {
    Activity::decode(bytes).map_err(|e| AccessError::Corrupt(format!("device activity: {e}")))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn successes_and_failures_are_counted_and_the_last_of_each_kept() {
        let access = Access::in_memory().expect("access");
        assert_eq!(
            access.activity("hp-ani").expect("read"),
            Activity::default()
        );
        let mut ok = AuditRecord::new("hp-ani", "session", "ok", "");
        ok.unix_ms = 1_000;
        access
            .session_ended(
                &ok,
                &SessionEnd::Completed {
                    docs_sent: 3,
                    docs_received: 2,
                },
            )
            .expect("ok");
        let mut failed = AuditRecord::new("hp-ani", "session", "Cancelled: gone", "");
        failed.unix_ms = 2_000;
        access
            .session_ended(
                &failed,
                &SessionEnd::Failed {
                    phase: Phase::Connection,
                    reason: "client went away".into(),
                },
            )
            .expect("failed");
        let a = access.activity("hp-ani").expect("read");
        assert_eq!(
            (
                a.last_success_unix_ms,
                a.last_docs_sent,
                a.last_docs_received
            ),
            (1_000, 3, 2)
        );
        assert_eq!(
            (a.last_failure_unix_ms, a.last_failure_phase.as_str()),
            (2_000, "connection")
        );
        assert_eq!((a.sessions_ok, a.sessions_failed), (1, 1));
        // Both audit lines are in the log, in order.
        let log = access.audit_log(Some("hp-ani"), 0, 10).expect("log");
        assert_eq!(log.len(), 2);
        assert_eq!(log[1].1.outcome, "Cancelled: gone");
        assert_eq!(
            access.activity("hp-budi").expect("read"),
            Activity::default()
        );
    }
}
