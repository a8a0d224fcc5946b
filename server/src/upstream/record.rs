//! What a server remembers about its upstream link, durably in the access database: the parent's
//! store id and regions (so a restart resumes from the checkpoints, without asking again) and the
//! outcome of the last attempts (for `admin status`).

use prost::Message;
use redb::{ReadableDatabase, TableDefinition};

use crate::access::{Access, AccessError};

/// Key: the upstream URL. Value: prost-encoded [`UpstreamRecord`]. A new URL starts afresh.
const UPSTREAM: TableDefinition<&str, &[u8]> = TableDefinition::new("upstream-1");

/// The state of one upstream link.
#[derive(Clone, PartialEq, prost::Message)]
pub struct UpstreamRecord {
    /// The parent's store id, as its Hello gave it (empty until the first success).
    #[prost(bytes = "vec", tag = "1")]
    pub server_store: Vec<u8>,
    #[prost(string, tag = "2")]
    pub server_name: String,
    /// The regions the parent lets this server sync, as it last said.
    #[prost(string, repeated, tag = "3")]
    pub scopes: Vec<String>,
    #[prost(int64, tag = "4")]
    pub last_success_unix_ms: i64,
    #[prost(uint64, tag = "5")]
    pub last_docs_sent: u64,
    #[prost(uint64, tag = "6")]
    pub last_docs_received: u64,
    #[prost(int64, tag = "7")]
    pub last_failure_unix_ms: i64,
    #[prost(string, tag = "8")]
    pub last_failure_reason: String,
    /// Failed attempts since the last success.
    #[prost(uint32, tag = "9")]
    pub consecutive_failures: u32,
}

impl Access {
    /// What is remembered about the upstream at `url` (defaults for a new one).
    pub fn upstream(&self, url: &str) -> Result<UpstreamRecord, AccessError> {
        let tx = self.db.begin_read()?;
        let table = match tx.open_table(UPSTREAM) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(UpstreamRecord::default()),
            Err(e) => return Err(e.into()),
        };
        match table.get(url)? {
            Some(v) => UpstreamRecord::decode(v.value())
                .map_err(|e| AccessError::Corrupt(format!("upstream record: {e}"))),
            None => Ok(UpstreamRecord::default()),
        }
    }

    /// Every upstream this server has replicated with, by URL (for the offline `status`).
    pub fn upstreams(&self) -> Result<Vec<(String, UpstreamRecord)>, AccessError> {
        use redb::ReadableTable;
        let tx = self.db.begin_read()?;
        let table = match tx.open_table(UPSTREAM) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut out = Vec::new();
        for entry in table.iter()? {
            let (url, v) = entry?;
            let record = UpstreamRecord::decode(v.value())
                .map_err(|e| AccessError::Corrupt(format!("upstream record: {e}")))?;
            out.push((url.value().to_owned(), record));
        }
        Ok(out)
    }

    /// Replace the record of the upstream at `url` (durably: it is written once per attempt).
    pub fn put_upstream(&self, url: &str, record: &UpstreamRecord) -> Result<(), AccessError> {
        let tx = self.db.begin_write()?;
        tx.open_table(UPSTREAM)?
            .insert(url, record.encode_to_vec().as_slice())?;
        tx.commit()?;
        Ok(())
    }
}
