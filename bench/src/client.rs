//! Devices as the benchmark drives them: a store and the very code `balai sync` runs
//! ([`balai_net::client::sync_with_server`]), pointed at the server through the counting relay.

use std::sync::Arc;

use automerge::ActorId;
pub use balai_net::client::Connection;
use balai_net::client::{SyncReport, sync_with_server};
use balai_shared::ids::StoreId;
use balai_shared::store::Store;

/// A field device: its store, name and what it learned about the server.
#[derive(Debug)]
pub struct Device {
    pub name: String,
    pub store: Arc<Store>,
    pub conn: Connection,
    pub server: Option<StoreId>,
}

impl Device {
    /// A device with an on-disk store (fsync on every batch, like a real one).
    pub fn on_disk(dir: &std::path::Path, name: &str, conn: Connection) -> anyhow::Result<Self> {
        std::fs::create_dir_all(dir)?;
        let store = Store::open(&dir.join("balai.redb"), Some(actor()))?;
        Ok(Self {
            name: name.to_owned(),
            store: Arc::new(store),
            conn,
            server: None,
        })
    }

    /// A device whose store lives in memory: for many simulated devices on one machine, where
    /// 1,000 clients' own fsyncs would otherwise compete with the server's for one disk.
    pub fn in_memory(name: &str, conn: Connection) -> anyhow::Result<Self> {
        Ok(Self {
            name: name.to_owned(),
            store: Arc::new(Store::in_memory(Some(actor()))?),
            conn,
            server: None,
        })
    }

    /// `balai sync`: the real client driver, to completion.
    pub async fn sync(&mut self) -> anyhow::Result<SyncReport> {
        let (report, server) = sync_with_server(
            self.store.clone(),
            &self.conn,
            &self.name,
            self.server,
            &|_| {},
        )
        .await?;
        self.remember(server, &report);
        Ok(report)
    }

    /// What `balai sync` keeps in `balai.toml` after a sync: the server and the regions.
    pub fn remember(&mut self, server: StoreId, report: &SyncReport) {
        self.server = Some(server);
        self.conn.scopes = Some(report.scopes.clone());
    }
}

fn actor() -> ActorId {
    let bytes: [u8; 16] = rand::random();
    ActorId::from(bytes.as_slice())
}
