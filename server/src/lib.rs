//! balai-server as a library: the gRPC sync service over the engine, runnable in-process (tests,
//! `balai demo`) or from the `balai-server` binary. Only bytes move here; the engine decides.

mod service;
mod status;

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use balai_shared::proto::v1::balai_sync_server::BalaiSyncServer;
use balai_shared::store::Store;
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;

pub use service::SyncService;

/// The largest gRPC message accepted or sent. tonic's default is 4 MiB; a first sync of a big
/// document (automerge sends the whole document at once) can exceed that, so we raise it on
/// purpose, with a bound that still stops a peer from making us buffer without limit.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// The store file inside a server data directory.
pub fn store_path(data: &Path) -> std::path::PathBuf {
    data.join("balai-server.redb")
}

/// Settings of a running server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The name this server gives itself in sync sessions.
    pub name: String,
}

/// Serve sync sessions on `listener` until `shutdown` resolves, then finish open sessions' current
/// step and return. Every acknowledged change is already durable in `store`.
pub async fn run(
    listener: TcpListener,
    store: Arc<Store>,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), tonic::transport::Error> {
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_serving::<BalaiSyncServer<SyncService>>()
        .await;
    let sync = BalaiSyncServer::new(SyncService::new(store, config))
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES)
        .accept_compressed(tonic::codec::CompressionEncoding::Gzip)
        .send_compressed(tonic::codec::CompressionEncoding::Gzip);
    tonic::transport::Server::builder()
        .add_service(health_service)
        .add_service(sync)
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown)
        .await
}

/// Bind `addr` (use port 0 for any free port); the caller reads the bound address back.
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}
