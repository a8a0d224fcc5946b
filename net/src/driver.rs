//! The session driver: read what has arrived (by frames *and* bytes), join document parts, step
//! the engine off the async threads, send its replies; until the session completes, the peer
//! stalls, the stream ends or the caller cancels. Transport-agnostic: any `Stream` of wire
//! batches (`Frames`, one gRPC message each) in, any [`Outbound`] out.
//!
//! Timeouts: the peer's first frame must come within `hello_timeout` (for the initiator, the
//! peer's first reply), and after that the session is dropped once `idle_timeout` passes without
//! *progress*: a frame other than a bare `Done`, or anything the engine had to answer. So a peer
//! cannot keep a session (and its slot) alive by repeating `Done`.

use std::future::Future;
use std::time::{Duration, Instant};

use balai_shared::proto::{FrameError, Reassembler, doc_bytes, to_batches, v1};
use balai_shared::sync::{Envelope, Frame, Hello, Role, Session, SyncError};
use futures::{FutureExt, Stream, StreamExt};
use tokio::sync::mpsc;

/// How a session is driven.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct DriveLimits {
    /// Frames handed to the engine in one step (one durable batch each)…
    pub batch_frames: usize,
    /// …and at most about this many bytes of them (the frame that passes it ends the batch).
    pub batch_bytes: usize,
    /// The peer's first frame must arrive within this.
    pub hello_timeout: Duration,
    /// A session without progress for this long is dropped.
    pub idle_timeout: Duration,
}

impl DriveLimits {
    pub const DEFAULT: DriveLimits = DriveLimits {
        batch_frames: 256,
        batch_bytes: 8 * 1024 * 1024,
        hello_timeout: Duration::from_secs(10),
        idle_timeout: Duration::from_secs(120),
    };
}

impl Default for DriveLimits {
    fn default() -> Self {
        Self::DEFAULT
    }
}

/// Why a session did not complete. `E` is the transport's (or a hook's) own error.
#[derive(Debug, thiserror::Error)]
pub enum DriveError<E> {
    #[error("no Hello within {0:?}: a sync session must start with Hello")]
    NoHello(Duration),
    #[error("the first frame of a sync session must be Hello")]
    NotHello,
    #[error("the session made no progress for {0:?}")]
    Idle(Duration),
    #[error("the peer read nothing of our replies for {0:?}")]
    Stalled(Duration),
    #[error("the peer closed the stream before the session completed")]
    Closed,
    #[error("the peer went away")]
    Gone,
    #[error("bad frame: {0}")]
    Frame(#[from] FrameError),
    #[error(transparent)]
    Engine(#[from] SyncError),
    #[error("sync step failed: {0}")]
    Panicked(String),
    /// The stream failed, a hook refused, or the caller cancelled.
    #[error("{0}")]
    Transport(E),
}

/// Where the driver sends wire batches.
pub trait Outbound {
    /// Send one batch of frames (one gRPC message); `false` once the peer is gone.
    fn send(&mut self, batch: v1::Frames) -> impl Future<Output = bool> + Send;
}

impl Outbound for mpsc::Sender<v1::Frames> {
    async fn send(&mut self, batch: v1::Frames) -> bool {
        mpsc::Sender::send(self, batch).await.is_ok()
    }
}

/// A server's response stream carries `Result`s (its last item may be an error status).
impl<E: Send> Outbound for mpsc::Sender<Result<v1::Frames, E>> {
    async fn send(&mut self, batch: v1::Frames) -> bool {
        mpsc::Sender::send(self, Ok(batch)).await.is_ok()
    }
}

/// What a caller does at points of the session: account for bytes, vet the peer's `Hello`,
/// report progress. Every method may refuse with the caller's error, which ends the session.
pub trait Hooks<E> {
    /// A wire frame arrived (before reassembly); `bytes` is what it makes us hold.
    fn on_wire(&mut self, bytes: usize) -> Result<(), E> {
        let _ = bytes;
        Ok(())
    }

    /// The peer's `Hello` arrived, before the engine sees it.
    fn on_hello(&mut self, hello: &Hello) -> Result<(), E> {
        let _ = hello;
        Ok(())
    }

    /// The engine took a step and produced `replies` frames (for the initiator the first step
    /// is `start`); `buffered` bytes of a half-received document message are still held.
    fn after_step(&mut self, session: &Session, replies: usize, buffered: usize) -> Result<(), E> {
        let _ = (session, replies, buffered);
        Ok(())
    }
}

/// Hooks that do nothing.
#[derive(Clone, Copy, Debug, Default)]
pub struct NoHooks;

impl<E> Hooks<E> for NoHooks {}

/// Bytes a wire frame makes us hold: its document payload (other frames are a few bytes).
pub fn wire_bytes(wire: &v1::Frame) -> usize {
    match &wire.body {
        Some(v1::frame::Body::Doc(_)) => doc_bytes(wire),
        _ => 64,
    }
}

/// Drive `session` to completion over `inbound`/`outbound`. The initiator's first frames are
/// sent at once (a caller that must queue them before opening the stream, as a gRPC client does
/// to send them with the request, calls `Session::start` itself: it yields its frames only once,
/// so `drive` then sends nothing twice); the responder waits for the peer. Returns the finished session (its stats, its
/// peer) or why it stopped; `cancel` resolving ends it with that error.
pub async fn drive<S, E, H, O, C>(
    mut session: Session,
    inbound: &mut S,
    outbound: &mut O,
    limits: &DriveLimits,
    hooks: &mut H,
    cancel: C,
) -> Result<Session, DriveError<E>>
where
    S: Stream<Item = Result<v1::Frames, E>> + Unpin,
    H: Hooks<E>,
    O: Outbound,
    C: Future<Output = E>,
{
    // The frames of each batch in turn: how the peer cut its stream into batches means nothing.
    let inbound = crate::wire::unbatch(inbound);
    futures::pin_mut!(inbound);
    let cancel = cancel.fuse();
    futures::pin_mut!(cancel);
    let first = session.start()?;
    hooks
        .after_step(&session, first.len(), 0)
        .map_err(DriveError::Transport)?;
    send_all(outbound, first, limits.idle_timeout, &mut cancel).await?;
    let mut parts = Reassembler::default();
    let mut heard = false;
    let mut last_progress = Instant::now();
    while !session.is_finished() {
        let timeout = if heard {
            limits.idle_timeout
        } else {
            limits.hello_timeout
        };
        let wait = timeout.saturating_sub(last_progress.elapsed());
        let wire = futures::select_biased! {
            e = cancel => return Err(DriveError::Transport(e)),
            next = tokio::time::timeout(wait, inbound.next()).fuse() => match next {
                Err(_) if heard => return Err(DriveError::Idle(timeout)),
                Err(_) => return Err(DriveError::NoHello(timeout)),
                Ok(None) => return Err(DriveError::Closed),
                Ok(Some(item)) => item.map_err(DriveError::Transport)?,
            },
        };
        let mut batch = Batch::default();
        batch.take(wire, &mut parts, hooks)?;
        if !heard {
            match batch.frames.first().map(|e| &e.frame) {
                Some(Frame::Hello(hello)) => {
                    hooks.on_hello(hello).map_err(DriveError::Transport)?;
                    heard = true;
                }
                // A reply the initiator got before the peer's Hello would be refused by the
                // engine too; the responder refuses anything but Hello first.
                _ if session.role() == Role::Initiator => heard = true,
                _ => return Err(DriveError::NotHello),
            }
        }
        // Take whatever else has already arrived, so one durable commit covers many frames.
        while batch.frames.len() < limits.batch_frames && batch.bytes < limits.batch_bytes {
            match inbound.next().now_or_never() {
                Some(Some(item)) => {
                    batch.take(item.map_err(DriveError::Transport)?, &mut parts, hooks)?;
                }
                _ => break,
            }
        }
        if batch.frames.is_empty() {
            // Only parts of a large document message so far. Real parts are hundreds of KiB; a
            // trickle of tiny ones must not keep the session (and its slot) alive.
            if batch.bytes >= PART_PROGRESS_BYTES {
                last_progress = Instant::now();
            }
            continue;
        }
        let moved = batch
            .frames
            .iter()
            .any(|f| !matches!(f.frame, Frame::Done { .. }));
        let frames = batch.frames;
        let (returned, out) = tokio::task::spawn_blocking(move || {
            let out = session.receive(frames);
            (session, out)
        })
        .await
        .map_err(|e| DriveError::Panicked(e.to_string()))?;
        session = returned;
        let out = out?;
        hooks
            .after_step(&session, out.len(), parts.buffered())
            .map_err(DriveError::Transport)?;
        if moved || !out.is_empty() {
            last_progress = Instant::now();
        }
        send_all(outbound, out, limits.idle_timeout, &mut cancel).await?;
    }
    Ok(session)
}

/// A batch of parts only counts as progress when it carries at least this many bytes.
const PART_PROGRESS_BYTES: usize = 64 * 1024;

/// Send the engine's replies. A peer that stops reading blocks the send once the transport's
/// buffers are full: after `idle` without room, or when the caller cancels, the session ends
/// (otherwise neither the idle timeout nor a revocation could end it).
async fn send_all<E, O, C>(
    outbound: &mut O,
    frames: Vec<Envelope>,
    idle: Duration,
    cancel: &mut std::pin::Pin<&mut futures::future::Fuse<C>>,
) -> Result<(), DriveError<E>>
where
    O: Outbound,
    C: Future<Output = E>,
{
    for batch in to_batches(frames) {
        let sent = futures::select_biased! {
            e = cancel.as_mut() => return Err(DriveError::Transport(e)),
            sent = tokio::time::timeout(idle, outbound.send(batch)).fuse() => sent,
        };
        match sent {
            Ok(true) => {}
            Ok(false) => return Err(DriveError::Gone),
            Err(_) => return Err(DriveError::Stalled(idle)),
        }
    }
    Ok(())
}

/// The frames of one engine step.
#[derive(Default)]
struct Batch {
    frames: Vec<Envelope>,
    bytes: usize,
}

impl Batch {
    fn take<E, H: Hooks<E>>(
        &mut self,
        wire: v1::Frame,
        parts: &mut Reassembler,
        hooks: &mut H,
    ) -> Result<(), DriveError<E>> {
        let bytes = wire_bytes(&wire);
        hooks.on_wire(bytes).map_err(DriveError::Transport)?;
        self.bytes += bytes;
        self.frames.extend(parts.push(wire)?);
        Ok(())
    }
}
