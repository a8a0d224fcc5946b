//! balai-server as a library: the gRPC sync and admin services over the engine, runnable
//! in-process (tests, `balai demo`) or from the `balai-server` binary. Only bytes move here; the
//! engine decides what to send, and `auth` decides who may ask.

pub mod access;
mod admin;
mod auth;
pub mod certs;
mod service;
mod status;

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;

use balai_shared::proto::v1::balai_admin_server::BalaiAdminServer;
use balai_shared::proto::v1::balai_sync_server::BalaiSyncServer;
use balai_shared::store::Store;
use tokio::net::TcpListener;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::service::interceptor::InterceptedService;

pub use access::Access;
pub use service::SyncService;

/// The largest gRPC message accepted or sent. tonic's default is 4 MiB; a first sync of a big
/// document (automerge sends the whole document at once) can exceed that, so we raise it on
/// purpose, with a bound that still stops a peer from making us buffer without limit.
pub const MAX_MESSAGE_BYTES: usize = 64 * 1024 * 1024;

/// The document store file inside a server data directory.
pub fn store_path(data: &Path) -> std::path::PathBuf {
    data.join("balai-server.redb")
}

/// The access database (devices, token hashes, audit log) inside a server data directory.
pub fn access_path(data: &Path) -> std::path::PathBuf {
    data.join("access.redb")
}

/// Settings of a running server.
#[derive(Clone, Debug)]
pub struct ServerConfig {
    /// The name this server gives itself in sync sessions.
    pub name: String,
    /// PEM certificate chain and private key; `None` serves plain text.
    pub tls: Option<TlsIdentity>,
}

/// A server's TLS identity, as PEM.
#[derive(Clone)]
pub struct TlsIdentity {
    pub cert_pem: Vec<u8>,
    pub key_pem: Vec<u8>,
}

impl std::fmt::Debug for TlsIdentity {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("TlsIdentity(…)")
    }
}

/// Serve sync and admin requests on `listener` until `shutdown` resolves. Every acknowledged
/// change is already durable in `store`; the audit log is flushed before returning.
pub async fn run(
    listener: TcpListener,
    store: Arc<Store>,
    access: Arc<Access>,
    config: ServerConfig,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> Result<(), tonic::transport::Error> {
    let (health_reporter, health_service) = tonic_health::server::health_reporter();
    health_reporter
        .set_serving::<BalaiSyncServer<SyncService>>()
        .await;
    let authenticate = auth::Authenticate::new(access.clone());
    let sync = BalaiSyncServer::new(SyncService::new(store, access.clone(), config.clone()))
        .max_decoding_message_size(MAX_MESSAGE_BYTES)
        .max_encoding_message_size(MAX_MESSAGE_BYTES)
        .accept_compressed(tonic::codec::CompressionEncoding::Gzip)
        .send_compressed(tonic::codec::CompressionEncoding::Gzip);
    let admin = BalaiAdminServer::new(admin::AdminService::new(access.clone()));
    let mut builder = tonic::transport::Server::builder();
    if let Some(tls) = &config.tls {
        let identity = tonic::transport::Identity::from_pem(&tls.cert_pem, &tls.key_pem);
        builder =
            builder.tls_config(tonic::transport::ServerTlsConfig::new().identity(identity))?;
    }
    let result = builder
        .add_service(health_service)
        .add_service(InterceptedService::new(sync, authenticate.clone()))
        .add_service(InterceptedService::new(admin, authenticate))
        .serve_with_incoming_shutdown(TcpListenerStream::new(listener), shutdown)
        .await;
    // Session log lines are written without their own fsync; make them durable now.
    if let Err(e) = access.flush() {
        tracing::warn!("cannot flush the audit log: {e}");
    }
    result
}

/// Bind `addr` (use port 0 for any free port); the caller reads the bound address back.
pub async fn bind(addr: SocketAddr) -> std::io::Result<TcpListener> {
    TcpListener::bind(addr).await
}
