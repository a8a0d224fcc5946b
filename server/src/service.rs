//! The `BalaiSync` gRPC service: one engine session per stream, fed in batches off the socket,
//! scoped to the authenticated device's regions and closed the moment the device is revoked.

use std::pin::Pin;
use std::sync::Arc;

use balai_net::{DriveLimits, Hooks};
use balai_shared::ids::StoreId;
use balai_shared::proto::v1::{self, balai_sync_server::BalaiSync};
use balai_shared::store::Store;
use balai_shared::sync::{Hello, PROTOCOL_VERSION, Role, Session, SessionConfig};
use futures::Stream;
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};
use tracing::{info, warn};

use crate::access::{Access, AuditRecord, Device};
use crate::activity::{Phase, SessionEnd};
use crate::auth::caller;
use crate::budget::{Budget, Reservation};
use crate::resync::Resets;
use crate::slots::{DeviceSlots, Outcome};
use crate::upstream::Upstream;
use crate::{ServerConfig, status};

#[derive(Debug)]
pub struct SyncService {
    store: Arc<Store>,
    access: Arc<Access>,
    config: ServerConfig,
    sessions: Arc<tokio::sync::Semaphore>,
    per_device: Arc<DeviceSlots>,
    budget: Arc<Budget>,
    /// Told when a session stored changes, so they go upstream soon.
    upstream: Option<Upstream>,
}

impl SyncService {
    pub fn new(
        store: Arc<Store>,
        access: Arc<Access>,
        config: ServerConfig,
        upstream: Option<Upstream>,
    ) -> Self {
        let sessions = Arc::new(tokio::sync::Semaphore::new(config.max_sessions.max(1)));
        let budget = Budget::new(
            config.limits.buffer_bytes,
            config.limits.buffer_per_device_bytes,
        );
        let per_device = Arc::new(DeviceSlots::new(config.limits.refusal_backoff));
        Self {
            store,
            access,
            config,
            sessions,
            per_device,
            budget,
            upstream,
        }
    }
}

type FrameStream = Pin<Box<dyn Stream<Item = Result<v1::Frames, Status>> + Send>>;
type OldFrameStream = Pin<Box<dyn Stream<Item = Result<v1::Frame, Status>> + Send>>;

#[tonic::async_trait]
impl BalaiSync for SyncService {
    type SyncFramesStream = FrameStream;
    type SyncStream = OldFrameStream;

    /// Protocols 1 and 2: refused at once, saying who must upgrade.
    async fn sync(
        &self,
        _request: Request<Streaming<v1::Frame>>,
    ) -> Result<Response<Self::SyncStream>, Status> {
        Err(Status::failed_precondition(format!(
            "this server speaks sync protocol {}; the device's balai speaks an older one: \
             upgrade balai on the device",
            balai_shared::sync::PROTOCOL_VERSION
        )))
    }

    async fn sync_frames(
        &self,
        request: Request<Streaming<v1::Frames>>,
    ) -> Result<Response<Self::SyncFramesStream>, Status> {
        let device = caller(&request)?;
        if device.scopes.is_empty() {
            return Err(Status::permission_denied(format!(
                "device `{}` has no region scope to sync; enroll it with --scope",
                device.name
            )));
        }
        let limits = self.config.limits.clone();
        let mut slot = match self
            .per_device
            .take(&device.name, limits.max_sessions_per_device)
        {
            Ok(slot) => slot,
            Err(e) => {
                // Not audited: refusing at the door must stay cheaper than what it refuses. And
                // answered slowly, so a token retrying as fast as it is answered cannot make us
                // refuse thousands of requests a second (an honest client backs off anyway).
                tracing::debug!(device = %device.name, reason = %e, "sync refused at open");
                if let Some(_held) = self.per_device.hold(&device.name) {
                    tokio::time::sleep(e.tarpit()).await;
                }
                return Err(Status::resource_exhausted(e.to_string()));
            }
        };
        let Ok(permit) = self.sessions.clone().try_acquire_owned() else {
            warn!(device = %device.name, limit = self.config.max_sessions, "sync refused: too many sessions");
            return Err(Status::resource_exhausted(format!(
                "server busy: {} sync sessions are open; retry in a moment",
                self.config.max_sessions
            )));
        };
        let remote = request.remote_addr();
        let inbound = request.into_inner();
        // Batches of up to ~256 KiB of documents (more only for one large part): a few MiB at
        // most wait for a slow peer.
        let (tx, rx) = mpsc::channel(8);
        let mut config = SessionConfig::new(self.config.name.clone());
        // Authorization: the session offers and accepts only documents in the device's regions.
        config.scope = device.scope();
        config.limits = limits.doc;
        let session = Session::new(self.store.clone(), Role::Responder, config);
        info!(?remote, device = %device.name, "sync session started");
        let access = self.access.clone();
        let store = self.store.clone();
        let upstream = self.upstream.clone();
        let held = self.budget.reservation(&device.name);
        tokio::spawn(async move {
            let _permit = permit;
            let began = access.resets(&device.name);
            let peer = Peer {
                access: &access,
                device: &device,
                limits: &limits,
                began,
                upstream: upstream.as_ref(),
            };
            let (result, peer_store) = drive(session, inbound, &tx, peer, held).await;
            if let Some(peer_store) = peer_store {
                // What this session wrote after an admin reset the device's bookkeeping is stale.
                let (access, store, name) = (access.clone(), store.clone(), device.name.clone());
                let reapplied = tokio::task::spawn_blocking(move || {
                    crate::resync::after_session(&access, &store, &name, &peer_store, began)
                })
                .await;
                if let Ok(Err(e)) = reapplied {
                    warn!(device = %device.name, "cannot re-apply a reset after the session: {e}");
                }
            }
            slot.ended(match &result {
                Ok(_) => Outcome::Completed,
                Err((status, _)) if refused_for_what_it_sent(status) => Outcome::Refused,
                Err(_) => Outcome::Interrupted,
            });
            drop(slot);
            let mut record =
                AuditRecord::new(&device.name, "session", "ok", format!("from {remote:?}"));
            let end = match &result {
                Ok(session) => {
                    let s = session.stats();
                    record.docs_sent = s.docs_sent;
                    record.docs_received = s.docs_received;
                    info!(
                        ?remote,
                        device = %device.name,
                        docs_received = s.docs_received,
                        docs_sent = s.docs_sent,
                        bytes_in = s.doc_bytes_received,
                        bytes_out = s.doc_bytes_sent,
                        feed_entries_read = s.feed_entries_read,
                        "sync session complete"
                    );
                    SessionEnd::Completed {
                        docs_sent: s.docs_sent,
                        docs_received: s.docs_received,
                    }
                }
                Err((status, phase)) => {
                    record.outcome = format!("{:?}: {}", status.code(), status.message());
                    warn!(?remote, device = %device.name, code = ?status.code(), phase = phase.as_str(), message = status.message(), "sync session failed");
                    // The client may be gone, or not reading: do not wait long for it.
                    let _ = tokio::time::timeout(
                        std::time::Duration::from_secs(5),
                        tx.send(Err(status.clone())),
                    )
                    .await;
                    SessionEnd::Failed {
                        phase: *phase,
                        reason: status.message().to_owned(),
                    }
                }
            };
            // Not fsynced on its own: a session must not cost a second fsync just for its log
            // line. It reaches the disk with the next durable write, at the latest at shutdown.
            if let Err(e) = access.session_ended(&record, &end) {
                warn!("cannot write audit log: {e}");
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
}

/// Whether a session ended because of what the peer sent (it then backs off), rather than the
/// network, our store or a revocation.
fn refused_for_what_it_sent(status: &Status) -> bool {
    use tonic::Code;
    matches!(
        status.code(),
        Code::InvalidArgument
            | Code::PermissionDenied
            | Code::FailedPrecondition
            | Code::OutOfRange
            | Code::ResourceExhausted
            | Code::DeadlineExceeded
    )
}

fn revoked(device: &Device) -> Status {
    Status::unauthenticated(format!(
        "device `{}` was revoked; the session is closed",
        device.name
    ))
}

/// Who is on the other end of a session, and what it may cost us.
#[derive(Clone, Copy)]
struct Peer<'a> {
    access: &'a Access,
    device: &'a Device,
    limits: &'a crate::SessionLimits,
    /// The device's bookkeeping resets when the session began.
    began: Resets,
    upstream: Option<&'a Upstream>,
}

/// The server's part in a session, through the shared driver's hooks: every byte a peer makes us
/// buffer is reserved from the shared budget, and the peer's `Hello` must name a store of its own.
struct ResponderHooks<'a> {
    access: &'a Access,
    /// This server's own store id.
    own: StoreId,
    device: &'a Device,
    held: Reservation,
    /// Whether the peer's Hello was accepted (failures after it are in the exchange).
    hello_seen: bool,
    /// The store it presented in that Hello.
    peer_store: Option<StoreId>,
    /// Told as soon as a step stored changes (a session cut later has still stored them).
    upstream: Option<&'a Upstream>,
    docs_stored: u64,
}

impl Hooks<Status> for ResponderHooks<'_> {
    fn on_wire(&mut self, bytes: usize) -> Result<(), Status> {
        self.held
            .grow(bytes)
            .map_err(|e| Status::resource_exhausted(e.to_string()))
    }

    fn on_hello(&mut self, hello: &Hello) -> Result<(), Status> {
        // A Hello the engine will refuse anyway (another protocol, our own store id) binds
        // nothing.
        if hello.protocol != PROTOCOL_VERSION || hello.store_id == self.own {
            return Ok(());
        }
        self.access
            .bind_store(&hello.store_id, &self.device.name)
            .map_err(|e| status::from_bind(&e))?;
        self.hello_seen = true;
        self.peer_store = Some(hello.store_id);
        Ok(())
    }

    fn after_step(&mut self, session: &Session, _: usize, buffered: usize) -> Result<(), Status> {
        let stored = session.stats().docs_received;
        if stored > self.docs_stored {
            self.docs_stored = stored;
            if let Some(up) = self.upstream {
                up.local_change();
            }
        }
        // The engine is done with the batch; only a half-received document message stays held.
        self.held
            .set(buffered)
            .map_err(|e| Status::resource_exhausted(e.to_string()))
    }
}

/// Run one session through the shared driver. The first frame must be the peer's `Hello`, within
/// `hello_timeout`, naming a store bound to this device; the session is dropped after
/// `idle_timeout` without progress, and the moment the device is revoked or rescoped. A failure
/// comes with the phase it happened in.
async fn drive(
    session: Session,
    mut inbound: Streaming<v1::Frames>,
    tx: &mpsc::Sender<Result<v1::Frames, Status>>,
    peer: Peer<'_>,
    held: Reservation,
) -> (Result<Session, (Status, Phase)>, Option<StoreId>) {
    let Peer {
        access,
        device,
        limits,
        began,
        upstream,
    } = peer;
    let drive_limits = DriveLimits {
        hello_timeout: limits.hello_timeout,
        idle_timeout: limits.idle_timeout,
        ..DriveLimits::DEFAULT
    };
    let mut hooks = ResponderHooks {
        own: session.store_id(),
        access,
        device,
        held,
        hello_seen: false,
        peer_store: None,
        upstream,
        docs_stored: 0,
    };
    let mut outbound = tx.clone();
    let ended = access_changed(access, device, began);
    let result = balai_net::drive(
        session,
        &mut inbound,
        &mut outbound,
        &drive_limits,
        &mut hooks,
        ended,
    )
    .await
    .map_err(|e| {
        let phase = match &e {
            _ if !hooks.hello_seen => Phase::Hello,
            balai_net::DriveError::Closed | balai_net::DriveError::Gone => Phase::Connection,
            balai_net::DriveError::Transport(s)
                if matches!(s.code(), tonic::Code::Cancelled | tonic::Code::Unknown) =>
            {
                Phase::Connection
            }
            _ => Phase::Exchange,
        };
        (status::from_drive(e), phase)
    });
    (result, hooks.peer_store)
}

/// Resolves when `device` is revoked, its regions change (the session was scoped to the old
/// ones; the device reconnects under the new), or its bookkeeping is reset.
async fn access_changed(access: &Access, device: &Device, began: Resets) -> Status {
    let mut changes = access.revocations();
    loop {
        if changes.changed().await.is_err() {
            return revoked(device);
        }
        if access.resets(&device.name) != began {
            return Status::unavailable(format!(
                "an admin reset this server's sync bookkeeping for device `{}`; reconnect",
                device.name
            ));
        }
        match access.active_device(&device.name) {
            None => return revoked(device),
            Some(now) if now.scopes != device.scopes => {
                return Status::unavailable(format!(
                    "the regions of device `{}` changed; reconnect to sync under the new ones",
                    device.name
                ));
            }
            Some(_) => {}
        }
    }
}
