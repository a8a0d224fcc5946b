//! The initiating side of a sync session (a device's `balai sync`, a server replicating upstream):
//! connect, move engine frames over the gRPC stream through the driver, report.

use std::sync::Arc;
use std::time::{Duration, Instant};

use crate::{DriveError, DriveLimits, Hooks};
use balai_shared::ids::StoreId;
use balai_shared::proto::to_batches;
use balai_shared::proto::v1::{self, balai_sync_client::BalaiSyncClient};
use balai_shared::region::{RegionPrefix, Scope};
use balai_shared::store::Store;
use balai_shared::sync::{Role, Session, SessionConfig, SessionStats, SyncError};
use futures::StreamExt;
use serde::Serialize;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;

/// How long to wait for a TCP connection before saying the server is unreachable.
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);
/// How long the server may stay silent mid-session.
const REPLY_TIMEOUT: Duration = Duration::from_secs(120);

/// Why a sync did not complete. Local records are never harmed by any of these.
#[derive(Debug, thiserror::Error)]
pub enum SyncFailure {
    #[error("`{url}` is not a valid server address: {reason}")]
    BadUrl { url: String, reason: String },
    #[error(
        "cannot reach the server at {url}: {reason}. Check the signal and that balai-server is running there; your records are safe on this device and will sync next time"
    )]
    Unreachable { url: String, reason: String },
    #[error("the server refused the sync: {}", .0.message())]
    Refused(tonic::Status),
    #[error("the server does not accept this device's token: {}", .0.message())]
    Unauthenticated(tonic::Status),
    #[error("the stored token is unusable: {0}; run `balai init --force --token …` with a new one")]
    BadToken(String),
    #[error(
        "cannot reach the server at {url} securely: {reason}. If it uses a private CA, give its certificate: `balai init --force --server {url} --ca ca.pem`"
    )]
    Certificate { url: String, reason: String },
    #[error("{0}")]
    WrongProtocol(String),
    #[error(
        "the connection dropped mid-sync ({0}); what was already acknowledged is kept — run `balai sync` again to finish"
    )]
    Interrupted(String),
    #[error("sync failed here: {0}")]
    Engine(#[from] SyncError),
}

/// What a sync did, for people (`balai sync`) and scripts (`balai sync --json`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct SyncReport {
    pub server: String,
    pub server_store: String,
    pub server_name: String,
    /// Documents whose changes went up / came down.
    pub docs_sent: u64,
    pub docs_received: u64,
    /// Automerge change bytes carried each way.
    pub change_bytes_sent: u64,
    pub change_bytes_received: u64,
    /// All sync-message bytes each way (changes plus heads and bloom filters).
    pub doc_bytes_sent: u64,
    pub doc_bytes_received: u64,
    pub offers_sent: u64,
    pub offers_received: u64,
    pub frames_sent: u64,
    pub frames_received: u64,
    /// Flights this device sent that the server answered.
    pub round_trips: u64,
    /// Sessions run (more than one when the engine asked for another round).
    pub sessions: u32,
    /// The regions this device may sync (to remember in the config).
    pub scopes: Vec<String>,
    /// Local documents outside those regions, which were not sent.
    pub out_of_scope: Vec<String>,
    /// Connection attempts it took (see `retry`).
    pub attempts: u32,
    pub millis: u64,
}

impl SyncReport {
    fn add(&mut self, s: &SessionStats, round_trips: u64) {
        self.docs_sent += s.docs_sent;
        self.docs_received += s.docs_received;
        self.change_bytes_sent += s.change_bytes_sent;
        self.change_bytes_received += s.change_bytes_received;
        self.doc_bytes_sent += s.doc_bytes_sent;
        self.doc_bytes_received += s.doc_bytes_received;
        self.offers_sent += s.offers_sent;
        self.offers_received += s.offers_received;
        self.frames_sent += s.frames_sent;
        self.frames_received += s.frames_received;
        self.round_trips += round_trips;
        self.sessions += 1;
    }
}

/// Progress as the session goes: documents the server offered that are complete here, of all it
/// offered so far, and bytes moved.
#[derive(Clone, Copy, Debug, Default)]
pub struct Progress {
    pub done: u64,
    pub offered: u64,
    pub bytes: u64,
}

/// How to reach and authenticate to a server.
#[derive(Clone, Default)]
pub struct Connection {
    /// `http://HOST:PORT` or `https://HOST:PORT`.
    pub url: String,
    /// The device's bearer token.
    pub token: Option<String>,
    /// PEM of a private CA to trust for `https://` (besides the public web roots).
    pub ca_pem: Option<Vec<u8>>,
    /// The regions this device's token may sync, as last learned from the server. `None` asks
    /// the server first (one extra call, on the first sync only).
    pub scopes: Option<Vec<String>>,
    /// How gRPC messages are compressed (off: to measure what it saves, or on a CPU-starved
    /// device).
    pub compression: Compression,
    /// List the local documents outside the granted regions in the report (a device sheds
    /// them; a server keeps them and need not read its whole document table every sync).
    pub list_out_of_scope: bool,
}

/// How a client compresses the batches it sends and asks the server to compress its own.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Compression {
    /// zstd: as small as gzip on batches of documents (a stored training: 262 against 258 B at
    /// 64 per batch); chosen for zstd's usually faster compression (not measured here).
    #[default]
    Zstd,
    Gzip,
    Off,
}

impl Compression {
    pub fn encoding(self) -> Option<tonic::codec::CompressionEncoding> {
        match self {
            Compression::Zstd => Some(tonic::codec::CompressionEncoding::Zstd),
            Compression::Gzip => Some(tonic::codec::CompressionEncoding::Gzip),
            Compression::Off => None,
        }
    }
}

impl std::fmt::Debug for Connection {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Connection")
            .field("url", &self.url)
            .field("token", &self.token.as_ref().map(|_| "…"))
            .finish()
    }
}

/// Adds `authorization: Bearer <token>` to every request.
#[derive(Clone, Debug)]
pub struct Bearer(Option<tonic::metadata::MetadataValue<tonic::metadata::Ascii>>);

impl tonic::service::Interceptor for Bearer {
    fn call(&mut self, mut req: tonic::Request<()>) -> Result<tonic::Request<()>, tonic::Status> {
        if let Some(v) = &self.0 {
            req.metadata_mut().insert("authorization", v.clone());
        }
        Ok(req)
    }
}

/// An authenticated channel to the server.
pub type AuthedChannel =
    tonic::service::interceptor::InterceptedService<tonic::transport::Channel, Bearer>;

/// Open a channel to the server, with TLS for `https://` URLs and the token on every request.
pub async fn connect(conn: &Connection) -> Result<AuthedChannel, SyncFailure> {
    let url = conn.url.as_str();
    let bad = |reason: String| SyncFailure::BadUrl {
        url: url.to_owned(),
        reason,
    };
    let mut endpoint = tonic::transport::Endpoint::from_shared(url.to_owned())
        .map_err(|e| bad(e.to_string()))?
        .connect_timeout(CONNECT_TIMEOUT)
        .tcp_nodelay(true);
    if url.starts_with("https://") {
        let mut tls = tonic::transport::ClientTlsConfig::new().with_webpki_roots();
        if let Some(ca) = &conn.ca_pem {
            tls = tls.ca_certificate(tonic::transport::Certificate::from_pem(ca));
        }
        endpoint = endpoint.tls_config(tls).map_err(|e| bad(error_chain(&e)))?;
    }
    let channel = endpoint.connect().await.map_err(|e| {
        let reason = error_chain(&e);
        if reason.contains("certificate") {
            SyncFailure::Certificate {
                url: url.to_owned(),
                reason,
            }
        } else {
            SyncFailure::Unreachable {
                url: url.to_owned(),
                reason,
            }
        }
    })?;
    let token = match &conn.token {
        Some(t) => Some(format!("Bearer {t}").parse().map_err(|_| {
            SyncFailure::BadToken("it contains characters a token never has".into())
        })?),
        None => None,
    };
    Ok(tonic::service::interceptor::InterceptedService::new(
        channel,
        Bearer(token),
    ))
}

/// Sync `store` with the server until both are in sync. `expected` is the server's store id
/// from an earlier sync, if any. Returns the report and the server's store id to remember.
pub async fn sync_with_server(
    store: Arc<Store>,
    conn: &Connection,
    device: &str,
    mut expected: Option<StoreId>,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(SyncReport, StoreId), SyncFailure> {
    let started = Instant::now();
    let url = conn.url.as_str();
    let channel = connect(conn).await?;
    let mut client = BalaiSyncClient::new(channel.clone())
        .max_decoding_message_size(crate::MAX_MESSAGE_BYTES)
        .max_encoding_message_size(crate::MAX_MESSAGE_BYTES);
    if let Some(encoding) = conn.compression.encoding() {
        // Field links are slow and metered: compress by default (the server answers in kind).
        client = client.send_compressed(encoding).accept_compressed(encoding);
    }
    let mut report = SyncReport {
        server: url.to_owned(),
        ..SyncReport::default()
    };
    let mut scopes = match &conn.scopes {
        Some(s) => s.clone(),
        None => who_am_i(channel.clone()).await?,
    };
    if conn.scopes.as_ref() != Some(&scopes) {
        // New or changed regions: documents below our checkpoint may now be ours to receive, so
        // ask the server to offer from the start of its feed (what we already hold is skipped by
        // its shared heads, so this costs a feed scan, not a re-download).
        expected = None;
    }
    let mut refreshed = conn.scopes.is_none();
    // Whether the last round learned our regions because the server refused an offer.
    let mut just_refreshed = false;
    // A session may ask for another round (the server had less of ours than we thought); a few
    // rounds always suffice, the bound only guards against a misbehaving server.
    for _ in 0..4 {
        let scope = parse_scope(&scopes)?;
        let mut config = SessionConfig::new(device);
        config.expected_peer = expected;
        // Offer only what the server will accept from us: a document outside our regions would
        // make it refuse the whole session.
        config.scope = scope.clone();
        let session = Session::new(store.clone(), Role::Initiator, config);
        let (session, round_trips) = match run_session(client.clone(), session, progress).await {
            Err(e) if !refreshed && regions_may_have_changed(&e) => {
                // An admin may have rescoped us since we last asked: learn our regions again,
                // then sync under them.
                scopes = who_am_i(channel.clone()).await?;
                refreshed = true;
                just_refreshed = true;
                expected = None;
                continue;
            }
            Err(SyncFailure::Interrupted(_)) if just_refreshed => {
                // The refused session started the server's back-off for this device, so this
                // one was refused at open, held until the back-off ran out. Once more, now,
                // under the regions just learned: giving up here would make the next attempt
                // start from the old regions, be refused again, and double the back-off.
                just_refreshed = false;
                continue;
            }
            other => other?,
        };
        just_refreshed = false;
        report.add(session.stats(), round_trips);
        let server = session
            .peer_id()
            .ok_or_else(|| SyncFailure::Interrupted("server never said hello".into()))?;
        report.server_store = server.to_string();
        report.server_name = session.peer_name().unwrap_or_default().to_owned();
        expected = Some(server);
        // The server announces the regions it grants us in its Hello: an admin may have
        // rescoped us since we last learned them.
        if let Some(granted) = regions_changed(&scopes, session.peer_scopes()) {
            let widened = granted.iter().any(|g| {
                !scope
                    .prefixes()
                    .is_some_and(|old| old.iter().any(|o| o.includes(g)))
            });
            scopes = granted.iter().map(|p| p.as_str().to_owned()).collect();
            if widened {
                // Documents of the new regions may lie below our checkpoint of its feed: one more
                // round, offered from the start of its feed (what we hold is skipped by shared
                // heads, so this costs a feed scan of our regions, not a re-download).
                expected = None;
                continue;
            }
        }
        if !session.needs_another_round() {
            report.millis = u64::try_from(started.elapsed().as_millis()).unwrap_or(u64::MAX);
            if conn.list_out_of_scope {
                let granted = parse_scope(&scopes)?;
                report.out_of_scope = store
                    .docs()
                    .map_err(SyncError::from)?
                    .into_iter()
                    .filter(|(id, _)| !granted.covers(id.village()))
                    .map(|(id, _)| id.to_string())
                    .collect();
            }
            report.scopes = scopes;
            return Ok((report, server));
        }
    }
    Err(SyncFailure::Interrupted(
        "the server kept asking for another round".into(),
    ))
}

/// The regions the server announced, when they differ from those we synced under (`None`: the
/// same, or nothing announced).
fn regions_changed(ours: &[String], announced: &[RegionPrefix]) -> Option<Vec<RegionPrefix>> {
    if announced.is_empty() {
        return None;
    }
    let mut theirs: Vec<&str> = announced.iter().map(RegionPrefix::as_str).collect();
    let mut ours: Vec<&str> = ours.iter().map(String::as_str).collect();
    theirs.sort_unstable();
    ours.sort_unstable();
    (theirs != ours).then(|| announced.to_vec())
}

/// Whether a failed session may be due to regions we remember that are no longer ours: the
/// server refused a document we offered, or offered one outside what we know (a widened scope).
fn regions_may_have_changed(e: &SyncFailure) -> bool {
    match e {
        SyncFailure::Refused(status) => status.code() == tonic::Code::PermissionDenied,
        SyncFailure::Engine(SyncError::OutOfScope { .. }) => true,
        _ => false,
    }
}

/// Ask the server which regions this device's token covers.
async fn who_am_i(channel: AuthedChannel) -> Result<Vec<String>, SyncFailure> {
    let mut admin = balai_shared::proto::v1::balai_admin_client::BalaiAdminClient::new(channel);
    let me = admin
        .who_am_i(v1::WhoAmIRequest {})
        .await
        .map_err(classify)?
        .into_inner();
    Ok(me.scopes)
}

fn parse_scope(scopes: &[String]) -> Result<Scope, SyncFailure> {
    let prefixes = scopes
        .iter()
        .map(|s| s.parse::<RegionPrefix>())
        .collect::<Result<Vec<_>, _>>()
        .map_err(|e| {
            SyncFailure::Interrupted(format!(
                "a region of this device's is not a region code: {e}"
            ))
        })?;
    Ok(Scope::regions(prefixes))
}

/// The client's part in a session, through the shared driver's hooks: count round trips and
/// report progress.
struct InitiatorHooks<'a> {
    round_trips: u64,
    progress: &'a (dyn Fn(Progress) + Sync),
}

impl Hooks<tonic::Status> for InitiatorHooks<'_> {
    fn after_step(
        &mut self,
        session: &Session,
        replies: usize,
        _buffered: usize,
    ) -> Result<(), tonic::Status> {
        if replies > 0 {
            self.round_trips += 1;
        }
        let (done, offered) = session.progress();
        let s = session.stats();
        (self.progress)(Progress {
            done,
            offered,
            bytes: s.doc_bytes_sent + s.doc_bytes_received,
        });
        Ok(())
    }
}

async fn run_session(
    mut client: BalaiSyncClient<AuthedChannel>,
    session: Session,
    progress: &(dyn Fn(Progress) + Sync),
) -> Result<(Session, u64), SyncFailure> {
    let mut hooks = InitiatorHooks {
        round_trips: 0,
        progress,
    };
    let limits = DriveLimits {
        hello_timeout: REPLY_TIMEOUT,
        idle_timeout: REPLY_TIMEOUT,
        ..DriveLimits::DEFAULT
    };
    // The server answers only once it has our Hello, so the call is made with the first flight
    // already queued: start the session against the channel first, then open the stream.
    let (session, first) = {
        let mut session = session;
        let first = session.start()?;
        (session, first)
    };
    hooks
        .after_step(&session, first.len(), 0)
        .map_err(classify)?;
    // Nobody reads the channel until the call below opens the stream, so it must hold the whole
    // first flight (a Hello and up to `window` offers): a send that waited for room here would
    // wait forever, before any stream existed for a timeout to end.
    let first = to_batches(first);
    let (mut tx, rx) = mpsc::channel::<v1::Frames>(first.len().max(64));
    for wire in first {
        // Never waits (there is room for every frame); the receiver is alive until the call
        // below consumes the stream.
        let _ = tx.try_send(wire);
    }
    let response = client
        .sync_frames(ReceiverStream::new(rx))
        .await
        .map_err(classify)?;
    let mut inbound = response.into_inner();
    let result = crate::drive(
        session,
        &mut inbound,
        &mut tx,
        &limits,
        &mut hooks,
        std::future::pending(),
    )
    .await;
    let session = result.map_err(from_drive)?;
    drop(tx);
    // Let the server end its side; anything it says now is not needed.
    let _ = tokio::time::timeout(Duration::from_secs(5), inbound.next()).await;
    Ok((session, hooks.round_trips))
}

/// Why the driver stopped, as the user's kind of failure.
fn from_drive(e: DriveError<tonic::Status>) -> SyncFailure {
    match e {
        DriveError::Transport(status) => classify(status),
        DriveError::Engine(sync) => SyncFailure::Engine(sync),
        DriveError::NoHello(_) | DriveError::Idle(_) | DriveError::Stalled(_) => {
            SyncFailure::Interrupted("the server stopped answering".into())
        }
        DriveError::Closed | DriveError::Gone => {
            SyncFailure::Interrupted("the server closed the session early".into())
        }
        DriveError::NotHello | DriveError::Frame(_) | DriveError::Panicked(_) => {
            SyncFailure::Interrupted(format!("the server sent a bad frame: {e}"))
        }
    }
}

/// Connection-level trouble reads as "interrupted" (retry later); a status from the server as
/// "refused" (something to fix).
pub fn classify(status: tonic::Status) -> SyncFailure {
    match status.code() {
        tonic::Code::Unavailable
        | tonic::Code::Cancelled
        | tonic::Code::Unknown
        | tonic::Code::ResourceExhausted
        | tonic::Code::DeadlineExceeded => SyncFailure::Interrupted(status.message().to_owned()),
        tonic::Code::Unauthenticated => SyncFailure::Unauthenticated(status),
        // A server of protocol 2 or older has no `SyncFrames`.
        tonic::Code::Unimplemented => SyncFailure::WrongProtocol(format!(
            "the server speaks an older sync protocol than this device (protocol {}): upgrade \
             balai-server ({})",
            balai_shared::sync::PROTOCOL_VERSION,
            status.message()
        )),
        _ if status.message().contains("h2 protocol error") => SyncFailure::WrongProtocol(format!(
            "the server did not speak plain gRPC ({}) — if it uses TLS, use an https:// URL \
             (balai init --force --server https://…)",
            status.message()
        )),
        _ => SyncFailure::Refused(status),
    }
}

fn error_chain(e: &dyn std::error::Error) -> String {
    let mut parts = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        let text = s.to_string();
        if !parts.contains(&text) {
            parts.push(text);
        }
        source = s.source();
    }
    parts.join(": ")
}
