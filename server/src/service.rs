//! The `BalaiSync` gRPC service: one engine session per stream, fed in batches off the socket,
//! scoped to the authenticated device's regions and closed the moment the device is revoked.

use std::collections::HashMap;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::Instant;

use balai_shared::proto::v1::{self, balai_sync_server::BalaiSync};
use balai_shared::proto::{Reassembler, to_wire};
use balai_shared::store::Store;
use balai_shared::sync::{Frame, Role, Session, SessionConfig, SyncError};
use futures::{FutureExt, Stream, StreamExt};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};
use tracing::{info, warn};

use crate::access::{Access, AuditRecord, Device};
use crate::auth::caller;
use crate::budget::{Budget, Reservation};
use crate::{ServerConfig, status};

/// Frames taken off the socket per engine step: one durable batch each.
const BATCH_FRAMES: usize = 256;
/// …and at most this many bytes of document messages (more waits for the next step).
const BATCH_BYTES: usize = 8 * 1024 * 1024;

#[derive(Debug)]
pub struct SyncService {
    store: Arc<Store>,
    access: Arc<Access>,
    config: ServerConfig,
    sessions: Arc<tokio::sync::Semaphore>,
    per_device: Arc<DeviceSlots>,
    budget: Arc<Budget>,
}

impl SyncService {
    pub fn new(store: Arc<Store>, access: Arc<Access>, config: ServerConfig) -> Self {
        let sessions = Arc::new(tokio::sync::Semaphore::new(config.max_sessions.max(1)));
        let budget = Budget::new(
            config.limits.buffer_bytes,
            config.limits.buffer_per_device_bytes,
        );
        Self {
            store,
            access,
            config,
            sessions,
            per_device: Arc::new(DeviceSlots::default()),
            budget,
        }
    }
}

/// Sessions open per device, so one token cannot take every slot.
#[derive(Debug, Default)]
struct DeviceSlots {
    open: Mutex<HashMap<String, usize>>,
}

/// One device's session slot; given back when dropped.
#[derive(Debug)]
struct DeviceSlot {
    slots: Arc<DeviceSlots>,
    device: String,
}

impl DeviceSlots {
    fn take(self: &Arc<Self>, device: &str, limit: usize) -> Option<DeviceSlot> {
        let mut open = self.open.lock().unwrap_or_else(PoisonError::into_inner);
        let n = open.entry(device.to_owned()).or_insert(0);
        if *n >= limit.max(1) {
            return None;
        }
        *n += 1;
        Some(DeviceSlot {
            slots: self.clone(),
            device: device.to_owned(),
        })
    }
}

impl Drop for DeviceSlot {
    fn drop(&mut self) {
        let mut open = self
            .slots
            .open
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(n) = open.get_mut(&self.device) {
            *n = n.saturating_sub(1);
            if *n == 0 {
                open.remove(&self.device);
            }
        }
    }
}

type FrameStream = Pin<Box<dyn Stream<Item = Result<v1::Frame, Status>> + Send>>;

#[tonic::async_trait]
impl BalaiSync for SyncService {
    type SyncStream = FrameStream;

    async fn sync(
        &self,
        request: Request<Streaming<v1::Frame>>,
    ) -> Result<Response<Self::SyncStream>, Status> {
        let device = caller(&request)?;
        if device.scopes.is_empty() {
            return Err(Status::permission_denied(format!(
                "device `{}` has no region scope to sync; enroll it with --scope",
                device.name
            )));
        }
        let limits = self.config.limits.clone();
        let Some(slot) = self
            .per_device
            .take(&device.name, limits.max_sessions_per_device)
        else {
            warn!(device = %device.name, limit = limits.max_sessions_per_device, "sync refused: too many sessions for this device");
            return Err(Status::resource_exhausted(format!(
                "device `{}` already has {} sync sessions open; finish those first",
                device.name, limits.max_sessions_per_device
            )));
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
        let (tx, rx) = mpsc::channel(64);
        let mut config = SessionConfig::new(self.config.name.clone());
        // Authorization: the session offers and accepts only documents in the device's regions.
        config.scope = device.scope();
        config.limits = limits.doc;
        let session = Session::new(self.store.clone(), Role::Responder, config);
        info!(?remote, device = %device.name, "sync session started");
        let access = self.access.clone();
        let held = self.budget.reservation(&device.name);
        tokio::spawn(async move {
            let _permits = (permit, slot);
            let peer = Peer {
                access: &access,
                device: &device,
                limits: &limits,
            };
            let result = drive(session, inbound, &tx, peer, held).await;
            let mut record =
                AuditRecord::new(&device.name, "session", "ok", format!("from {remote:?}"));
            match &result {
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
                }
                Err(status) => {
                    record.outcome = format!("{:?}: {}", status.code(), status.message());
                    warn!(?remote, device = %device.name, code = ?status.code(), message = status.message(), "sync session failed");
                    // The client may be gone already; nothing more to do then.
                    let _ = tx.send(Err(status.clone())).await;
                }
            }
            // Not fsynced on its own: a session must not cost a second fsync just for its log
            // line. It reaches the disk with the next durable write, at the latest at shutdown.
            if let Err(e) = access.audit(&record, false) {
                warn!("cannot write audit log: {e}");
            }
        });
        Ok(Response::new(Box::pin(ReceiverStream::new(rx))))
    }
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
}

/// What one read off the stream brought.
enum Next {
    Frame(v1::Frame),
    Revoked,
}

/// Run one session to completion: read a batch, step the engine off the async threads, send.
///
/// The first frame must be the peer's `Hello`, within `hello_timeout`; its store id must be
/// this device's (bound on first use). The session is dropped when no *progress* has happened
/// for `idle_timeout`: a frame other than a bare `Done`, or anything we had to answer. Bytes
/// buffered for the engine count against the shared memory budget until the step is done.
async fn drive(
    mut session: Session,
    mut inbound: Streaming<v1::Frame>,
    tx: &mpsc::Sender<Result<v1::Frame, Status>>,
    peer: Peer<'_>,
    mut held: Reservation,
) -> Result<Session, Status> {
    let Peer {
        access,
        device,
        limits,
    } = peer;
    let mut revocations = access.revocations();
    let mut parts = Reassembler::default();
    let mut said_hello = false;
    let mut last_progress = Instant::now();
    while !session.is_finished() {
        let wait = if said_hello {
            limits.idle_timeout
        } else {
            limits.hello_timeout
        }
        .saturating_sub(last_progress.elapsed());
        let next = tokio::select! {
            next = tokio::time::timeout(wait, inbound.next()) => match next {
                Err(_) if said_hello => {
                    return Err(Status::deadline_exceeded(
                        "sync session made no progress for too long; reconnect to resume",
                    ));
                }
                Err(_) => {
                    return Err(Status::deadline_exceeded(
                        "no Hello: a sync session must start with Hello within a few seconds",
                    ));
                }
                Ok(None) => {
                    return Err(Status::cancelled(
                        "client closed the stream before the session completed",
                    ));
                }
                Ok(Some(frame)) => Next::Frame(frame?),
            },
            changed = revocations.changed() => {
                if changed.is_err() || !access.is_active(&device.name) {
                    return Err(revoked(device));
                }
                Next::Revoked
            }
        };
        let first = match next {
            Next::Frame(frame) => frame,
            // A revocation of some other device: keep going.
            Next::Revoked => continue,
        };
        let mut frames = Vec::new();
        let mut batch_bytes = 0usize;
        take(first, &mut parts, &mut frames, &mut batch_bytes, &mut held)?;
        if !said_hello {
            match frames.first() {
                Some(Frame::Hello(hello)) => {
                    access
                        .bind_store(&hello.store_id, &device.name)
                        .map_err(|e| status::from_bind(&e))?;
                    said_hello = true;
                }
                _ => {
                    return Err(Status::invalid_argument(
                        "the first frame of a sync session must be Hello",
                    ));
                }
            }
        }
        // Take whatever else has already arrived, so one durable commit covers many frames.
        while frames.len() < BATCH_FRAMES && batch_bytes < BATCH_BYTES {
            match inbound.next().now_or_never() {
                Some(Some(frame)) => {
                    take(frame?, &mut parts, &mut frames, &mut batch_bytes, &mut held)?;
                }
                _ => break,
            }
        }
        if !access.is_active(&device.name) {
            return Err(revoked(device));
        }
        if frames.is_empty() {
            // Only parts of a large document message so far.
            last_progress = Instant::now();
            continue;
        }
        // A bare `Done` repeated does not keep a session alive; anything else is progress.
        let moved = frames.iter().any(|f| !matches!(f, Frame::Done { .. }));
        let (returned, out) = tokio::task::spawn_blocking(move || {
            let out = session.receive(frames);
            (session, out)
        })
        .await
        .map_err(|e| Status::internal(format!("sync step panicked: {e}")))?;
        session = returned;
        let out = out.map_err(|e: SyncError| status::from_sync(&e))?;
        // The engine is done with the batch; only a half-received document message stays held.
        held.set(parts.buffered())
            .map_err(|e| Status::resource_exhausted(e.to_string()))?;
        if moved || !out.is_empty() {
            last_progress = Instant::now();
        }
        for wire in out.into_iter().flat_map(to_wire) {
            if tx.send(Ok(wire)).await.is_err() {
                return Err(Status::cancelled("client went away"));
            }
        }
    }
    Ok(session)
}

/// Account a wire frame against the budget and reassemble it into the batch.
fn take(
    wire: v1::Frame,
    parts: &mut Reassembler,
    frames: &mut Vec<Frame>,
    batch_bytes: &mut usize,
    held: &mut Reservation,
) -> Result<(), Status> {
    let size = wire_payload(&wire);
    held.grow(size)
        .map_err(|e| Status::resource_exhausted(e.to_string()))?;
    *batch_bytes += size;
    frames.extend(parts.push(wire).map_err(|e| status::from_frame(&e))?);
    Ok(())
}

/// Bytes a wire frame makes us hold (its document payload; other frames are a few bytes).
fn wire_payload(wire: &v1::Frame) -> usize {
    match &wire.body {
        Some(v1::frame::Body::Doc(d)) => d.sync.len() + d.doc_id.len(),
        _ => 64,
    }
}
