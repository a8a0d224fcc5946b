//! balai-server as a library: the gRPC sync and admin services over the engine, replication
//! with a parent server (`upstream`) and the analytics sink (balai-sink), runnable in-process (tests, `balai-demo`) or from the
//! `balai-server` binary. Only bytes move here; the engine decides what to send, and `auth`
//! decides who may ask.

pub mod access;
pub mod activity;
mod admin;
mod auth;
pub mod binding;
mod budget;
pub mod certs;
pub mod report;
pub mod resync;
mod service;
pub mod slots;
mod status;
pub mod upstream;

use std::future::Future;
use std::net::SocketAddr;
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;

use balai_shared::proto::v1::balai_admin_server::BalaiAdminServer;
use balai_shared::proto::v1::balai_sync_server::BalaiSyncServer;
use balai_shared::store::Store;
use balai_shared::sync::DocLimits;
use tokio::net::TcpListener;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::TcpListenerStream;
use tonic::service::interceptor::InterceptedService;

pub use access::Access;
pub use service::SyncService;

pub use balai_net::MAX_MESSAGE_BYTES;

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
    /// Sync sessions open at once, at most; more are refused with RESOURCE_EXHAUSTED (clients
    /// retry with backoff). Bounds the memory a crowd of devices can make us hold.
    pub max_sessions: usize,
    /// The largest gRPC message accepted or sent (default [`MAX_MESSAGE_BYTES`]).
    pub max_message_bytes: usize,
    /// What one session, and one device, may cost us.
    pub limits: SessionLimits,
    /// The parent server to replicate with (a district's regency), if any.
    pub upstream: Option<upstream::UpstreamConfig>,
    /// The PostgreSQL database to project every document into (`--sink-postgres`), if any.
    pub sink: Option<balai_sink::SinkConfig>,
}

/// Limits that keep one enrolled device (honest or not) from starving the others.
#[derive(Clone, Debug)]
pub struct SessionLimits {
    /// Sync sessions one device may have open at once.
    pub max_sessions_per_device: usize,
    /// The first frame (`Hello`) must arrive within this.
    pub hello_timeout: Duration,
    /// A session that makes no progress for this long is dropped (a repeated bare `Done` is not
    /// progress).
    pub idle_timeout: Duration,
    /// Bytes all sessions together may buffer (message parts, frames awaiting the engine).
    pub buffer_bytes: usize,
    /// …and one device's sessions together.
    pub buffer_per_device_bytes: usize,
    /// How large a document may grow through a peer's changes.
    pub doc: DocLimits,
    /// After a session refused for what the device sent, its new sessions are refused at open
    /// for this long, doubling with each further refusal up to a minute (zero: never).
    pub refusal_backoff: Duration,
}

impl Default for SessionLimits {
    fn default() -> Self {
        Self {
            max_sessions_per_device: 4,
            hello_timeout: Duration::from_secs(10),
            idle_timeout: Duration::from_secs(120),
            buffer_bytes: 512 * 1024 * 1024,
            buffer_per_device_bytes: 96 * 1024 * 1024,
            doc: DocLimits::DEFAULT,
            refusal_backoff: slots::FIRST_PENALTY,
        }
    }
}

impl Default for ServerConfig {
    fn default() -> Self {
        Self {
            name: "balai-server".to_owned(),
            tls: None,
            max_sessions: 4096,
            max_message_bytes: MAX_MESSAGE_BYTES,
            limits: SessionLimits::default(),
            upstream: None,
            sink: None,
        }
    }
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

/// Serve sync and admin requests on `listener` until `shutdown` resolves, replicating with the
/// upstream server if one is configured. Every acknowledged change is already durable in `store`;
/// at shutdown an upstream session in flight gets its grace period, and the audit log is flushed
/// before returning.
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
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let (upstream, replication) = match &config.upstream {
        Some(up) => {
            let (handle, asks) = upstream::Upstream::new(&up.connection.url);
            let task = tokio::spawn(upstream::replicate(
                handle.clone(),
                asks,
                store.clone(),
                access.clone(),
                up.clone(),
                config.name.clone(),
                stopped.clone(),
            ));
            (Some(handle), Some(task))
        }
        None => (None, None),
    };
    let (sink, projection) = match &config.sink {
        Some(sink_config) => {
            let sink = balai_sink::Sink::new(sink_config);
            let task = tokio::spawn(sink.clone().run(
                store.clone(),
                sink_config.clone(),
                config.name.clone(),
                stopped.clone(),
            ));
            (Some(sink), Some(task))
        }
        None => (None, None),
    };
    let service = SyncService::new(
        store.clone(),
        access.clone(),
        config.clone(),
        upstream.clone(),
    );
    let sync = BalaiSyncServer::new(service)
        .max_decoding_message_size(config.max_message_bytes)
        .max_encoding_message_size(config.max_message_bytes)
        // Answers in the client's encoding: zstd from Balai's own clients, gzip from others.
        .accept_compressed(tonic::codec::CompressionEncoding::Zstd)
        .accept_compressed(tonic::codec::CompressionEncoding::Gzip)
        .send_compressed(tonic::codec::CompressionEncoding::Zstd)
        .send_compressed(tonic::codec::CompressionEncoding::Gzip);
    let admin = BalaiAdminServer::new(admin::AdminService::new(
        access.clone(),
        store,
        config.name.clone(),
        upstream,
        sink,
    ));
    let mut builder = tonic::transport::Server::builder();
    if let Some(tls) = &config.tls {
        let identity = tonic::transport::Identity::from_pem(&tls.cert_pem, &tls.key_pem);
        builder =
            builder.tls_config(tonic::transport::ServerTlsConfig::new().identity(identity))?;
    }
    // Small frames must not wait for delayed ACKs (Nagle): a sync is a few short round trips.
    let incoming = TcpListenerStream::new(listener).map(|stream| {
        let stream = stream?;
        if let Err(e) = stream.set_nodelay(true) {
            tracing::debug!("cannot set TCP_NODELAY: {e}");
        }
        Ok::<_, std::io::Error>(stream)
    });
    let serve_until_stopped = {
        let mut stopped = stopped;
        async move {
            let _ = stopped.wait_for(|s| *s).await;
        }
    };
    let serve = builder
        .add_service(health_service)
        .add_service(InterceptedService::new(sync, authenticate.clone()))
        .add_service(InterceptedService::new(admin, authenticate))
        .serve_with_incoming_shutdown(incoming, serve_until_stopped);
    tokio::pin!(serve);
    let result = tokio::select! {
        result = &mut serve => result,
        () = shutdown => {
            stop.send_replace(true);
            serve.await
        }
    };
    // Also when serving failed: upstream replication stops with the server.
    stop.send_replace(true);
    if let Some(task) = replication
        && let Err(e) = task.await
    {
        tracing::warn!("upstream replication ended abnormally: {e}");
    }
    // A batch in flight is either committed or rolled back with its connection: both are safe,
    // so a database that does not answer is not waited for long.
    if let Some(mut task) = projection {
        match tokio::time::timeout(Duration::from_secs(10), &mut task).await {
            Ok(Ok(())) => {}
            Ok(Err(e)) => tracing::warn!("the analytics sink ended abnormally: {e}"),
            Err(_) => {
                tracing::warn!("the analytics sink did not stop within 10 s; abandoning its batch");
                task.abort();
            }
        }
    }
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
