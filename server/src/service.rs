//! The `BalaiSync` gRPC service: one engine session per stream, fed in batches off the socket,
//! scoped to the authenticated device's regions and closed the moment the device is revoked.

use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use balai_shared::proto::v1::{self, balai_sync_server::BalaiSync};
use balai_shared::proto::{Reassembler, to_wire};
use balai_shared::store::Store;
use balai_shared::sync::{Role, Session, SessionConfig, SyncError};
use futures::{FutureExt, Stream, StreamExt};
use tokio::sync::mpsc;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Request, Response, Status, Streaming};
use tracing::{info, warn};

use crate::access::{Access, AuditRecord, Device};
use crate::auth::caller;
use crate::{ServerConfig, status};

/// Frames taken off the socket per engine step: one durable batch each.
const BATCH_FRAMES: usize = 256;
/// A session that says nothing for this long is dropped, so a stuck client holds nothing forever.
const IDLE_TIMEOUT: Duration = Duration::from_secs(120);

#[derive(Debug)]
pub struct SyncService {
    store: Arc<Store>,
    access: Arc<Access>,
    config: ServerConfig,
    sessions: Arc<tokio::sync::Semaphore>,
}

impl SyncService {
    pub fn new(store: Arc<Store>, access: Arc<Access>, config: ServerConfig) -> Self {
        let sessions = Arc::new(tokio::sync::Semaphore::new(config.max_sessions.max(1)));
        Self {
            store,
            access,
            config,
            sessions,
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
        let session = Session::new(self.store.clone(), Role::Responder, config);
        info!(?remote, device = %device.name, "sync session started");
        let access = self.access.clone();
        tokio::spawn(async move {
            let _permit = permit;
            let result = drive(session, inbound, &tx, &access, &device).await;
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

/// Run one session to completion: read a batch, step the engine off the async threads, send.
async fn drive(
    mut session: Session,
    mut inbound: Streaming<v1::Frame>,
    tx: &mpsc::Sender<Result<v1::Frame, Status>>,
    access: &Access,
    device: &Device,
) -> Result<Session, Status> {
    let mut revocations = access.revocations();
    let mut parts = Reassembler::default();
    while !session.is_finished() {
        let next = tokio::select! {
            next = tokio::time::timeout(IDLE_TIMEOUT, inbound.next()) => next,
            changed = revocations.changed() => {
                if changed.is_err() || !access.is_active(&device.name) {
                    return Err(revoked(device));
                }
                continue;
            }
        };
        let first = match next {
            Err(_) => {
                return Err(Status::deadline_exceeded(
                    "sync session idle for too long; reconnect to resume",
                ));
            }
            Ok(None) => {
                return Err(Status::cancelled(
                    "client closed the stream before the session completed",
                ));
            }
            Ok(Some(frame)) => frame?,
        };
        let mut frames = Vec::new();
        frames.extend(parts.push(first).map_err(|e| status::from_frame(&e))?);
        // Take whatever else has already arrived, so one durable commit covers many frames.
        while frames.len() < BATCH_FRAMES {
            match inbound.next().now_or_never() {
                Some(Some(frame)) => {
                    frames.extend(parts.push(frame?).map_err(|e| status::from_frame(&e))?);
                }
                _ => break,
            }
        }
        if !access.is_active(&device.name) {
            return Err(revoked(device));
        }
        if frames.is_empty() {
            // Only parts of a large document message so far.
            continue;
        }
        let (returned, out) = tokio::task::spawn_blocking(move || {
            let out = session.receive(frames);
            (session, out)
        })
        .await
        .map_err(|e| Status::internal(format!("sync step panicked: {e}")))?;
        session = returned;
        let out = out.map_err(|e: SyncError| status::from_sync(&e))?;
        for wire in out.into_iter().flat_map(to_wire) {
            if tx.send(Ok(wire)).await.is_err() {
                return Err(Status::cancelled("client went away"));
            }
        }
    }
    Ok(session)
}
