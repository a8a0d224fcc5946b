//! Upstream replication: a district server syncs its regions with its parent (regency, then
//! province) over the same protocol and engine, as the initiating side of an ordinary session
//! (`balai_net::client`), with a `server`-role token enrolled on the parent.
//!
//! When: shortly after a downstream session brought changes (debounced, so a busy morning of
//! syncs costs one upstream session every few seconds, not one each), on an interval (so changes
//! made above reach the villages below), at once when an admin asks (`sync-now`), and after a
//! failure with exponential backoff and full jitter. The district keeps serving its devices
//! whatever the uplink does; nothing is acknowledged upstream before it is durable here, and
//! nothing here before it is durable there, so an attempt abandoned at shutdown loses nothing.

mod record;

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use balai_net::client::{Connection, SyncFailure, SyncReport, sync_with_server};
use balai_net::retry::RetryPolicy;
use balai_shared::ids::StoreId;
use balai_shared::store::Store;
use tokio::sync::{Notify, mpsc, oneshot, watch};
use tokio::time::Instant;
use tracing::{info, warn};

use crate::access::Access;
pub use record::UpstreamRecord;

/// How a server replicates with its parent.
#[derive(Clone, Debug)]
pub struct UpstreamConfig {
    /// The parent's URL, token (a `server`-role device enrolled there) and CA.
    pub connection: Connection,
    /// After a downstream change, wait this long for more before replicating.
    pub debounce: Duration,
    /// Replicate at least this often, changes or not (to pull what changed above).
    pub interval: Duration,
    /// After failures, wait up to twice as long each time (from a second), but never longer than
    /// this.
    pub max_backoff: Duration,
    /// At shutdown, an upstream session in flight gets this long to finish, then is abandoned.
    pub shutdown_grace: Duration,
}

impl UpstreamConfig {
    pub fn new(connection: Connection) -> Self {
        Self {
            connection,
            debounce: Duration::from_secs(3),
            interval: Duration::from_secs(300),
            max_backoff: Duration::from_secs(300),
            shutdown_grace: Duration::from_secs(10),
        }
    }
}

/// What one attempt did, or why it failed (in words for an admin).
pub type Outcome = Result<SyncReport, String>;

/// The handle the sync and admin services hold: tell it about changes, ask for a sync now, see
/// when the next attempt is due.
#[derive(Clone, Debug)]
pub struct Upstream {
    inner: Arc<Inner>,
}

#[derive(Debug)]
struct Inner {
    url: String,
    changed: Notify,
    asks: mpsc::Sender<oneshot::Sender<Outcome>>,
    /// Unix ms of the next scheduled attempt; 0 = none (idle until a change).
    next_attempt_unix_ms: Mutex<i64>,
}

/// The receiving end of `sync-now` requests, for [`replicate`].
#[derive(Debug)]
pub struct Asks(mpsc::Receiver<oneshot::Sender<Outcome>>);

impl Upstream {
    pub fn new(url: &str) -> (Self, Asks) {
        let (asks, rx) = mpsc::channel(16);
        let inner = Inner {
            url: url.to_owned(),
            changed: Notify::new(),
            asks,
            next_attempt_unix_ms: Mutex::new(0),
        };
        (
            Self {
                inner: Arc::new(inner),
            },
            Asks(rx),
        )
    }

    pub fn url(&self) -> &str {
        &self.inner.url
    }

    /// A downstream session stored changes: replicate them soon.
    pub fn local_change(&self) {
        self.inner.changed.notify_one();
    }

    /// Replicate now and wait for the outcome.
    pub async fn sync_now(&self) -> Outcome {
        let (tx, rx) = oneshot::channel();
        let stopping =
            || "the server is shutting down; upstream replication has stopped".to_owned();
        self.inner.asks.send(tx).await.map_err(|_| stopping())?;
        rx.await.map_err(|_| stopping())?
    }

    /// Unix ms of the next scheduled attempt (0 = none: idle until something changes).
    pub fn next_attempt_unix_ms(&self) -> i64 {
        *self
            .inner
            .next_attempt_unix_ms
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
    }

    fn set_next_attempt(&self, at: Option<Instant>) {
        let unix_ms = at.map_or(0, |at| {
            let ahead = at.saturating_duration_since(Instant::now());
            jiff::Timestamp::now()
                .as_millisecond()
                .saturating_add(i64::try_from(ahead.as_millis()).unwrap_or(i64::MAX))
        });
        *self
            .inner
            .next_attempt_unix_ms
            .lock()
            .unwrap_or_else(PoisonError::into_inner) = unix_ms;
    }
}

/// Why an attempt starts (for the log).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Reason {
    Startup,
    Change,
    Interval,
    Retry,
    Asked,
}

impl Reason {
    fn as_str(self) -> &'static str {
        match self {
            Reason::Startup => "startup",
            Reason::Change => "local changes",
            Reason::Interval => "interval",
            Reason::Retry => "retry",
            Reason::Asked => "sync-now",
        }
    }
}

/// Replicate with the parent until `stop` turns true: the scheduling loop described in the
/// module docs. `name` is this server's name in sessions.
pub async fn replicate(
    upstream: Upstream,
    Asks(mut asks): Asks,
    store: Arc<Store>,
    access: Arc<Access>,
    config: UpstreamConfig,
    name: String,
    mut stop: watch::Receiver<bool>,
) {
    let url = upstream.url().to_owned();
    let backoff = RetryPolicy {
        max_attempts: u32::MAX,
        deadline: Duration::MAX,
        base_delay: Duration::from_secs(1),
        max_delay: config.max_backoff,
    };
    info!(%url, interval_s = config.interval.as_secs(), debounce_s = config.debounce.as_secs(), "upstream replication on");
    if let Ok(known) = access
        .upstream(&url)
        .map(|r| StoreId::from_slice(&r.server_store))
        && let Ok(parent) = known
        && let Err(e) = access.bind_reserved(&parent, &reserved_owner(&url))
    {
        warn!(%url, "cannot reserve the upstream's store id: {e}");
    }
    // Start at once: what changed while the server was down goes up without waiting.
    let mut due: Option<(Instant, Reason)> = Some((Instant::now(), Reason::Startup));
    let mut interval_due = Instant::now() + config.interval;
    let mut waiting: Vec<oneshot::Sender<Outcome>> = Vec::new();
    let mut failures: u32 = 0;
    loop {
        let (when, reason) = match due {
            Some((at, reason)) if at <= interval_due => (at, reason),
            _ => (interval_due, Reason::Interval),
        };
        upstream.set_next_attempt(Some(when));
        tokio::select! {
            () = stopping(&mut stop) => break,
            () = upstream.inner.changed.notified() => {
                // Debounced from the first change: later ones do not push the attempt back (a
                // busy district still replicates every few seconds), and a backoff stands.
                if due.is_none() {
                    due = Some((Instant::now() + config.debounce, Reason::Change));
                }
                continue;
            }
            ask = asks.recv() => {
                // `upstream` holds a sender, so the channel never closes while we run.
                let Some(reply) = ask else { break };
                waiting.push(reply);
                due = Some((Instant::now(), Reason::Asked));
                continue;
            }
            () = tokio::time::sleep_until(when) => {}
        }
        upstream.set_next_attempt(None);
        let attempt = attempt(&store, &access, &config, &name, reason);
        tokio::pin!(attempt);
        let outcome = tokio::select! {
            outcome = &mut attempt => outcome,
            () = stopping(&mut stop) => {
                info!(%url, grace_s = config.shutdown_grace.as_secs(), "shutting down: letting the upstream session finish");
                if let Ok(outcome) = tokio::time::timeout(config.shutdown_grace, attempt).await {
                    answer(&mut waiting, &outcome);
                } else {
                    warn!(%url, "upstream session abandoned at shutdown; what it had not acknowledged is sent next time");
                }
                break;
            }
        };
        // Every attempt re-arms the interval (a failure must not leave it due at once, past the
        // backoff).
        interval_due = Instant::now() + config.interval;
        match &outcome {
            Ok(_) => {
                failures = 0;
                due = None;
            }
            Err(_) => {
                // Counted here, not read back from the access database: a database that cannot
                // be written must not turn the backoff into a tight loop.
                failures = failures.saturating_add(1);
                let wait = backoff.delay(failures - 1, &mut rand::rng());
                warn!(%url, failures, retry_in_ms = u64::try_from(wait.as_millis()).unwrap_or(u64::MAX), "upstream will be retried");
                due = Some((Instant::now() + wait, Reason::Retry));
            }
        }
        answer(&mut waiting, &outcome);
    }
    upstream.set_next_attempt(None);
    for reply in waiting {
        let _ = reply.send(Err("the server is shutting down".to_owned()));
    }
    info!(%url, "upstream replication stopped");
}

/// Why an upstream attempt failed, in an operator's terms (the client's own messages address a
/// field user: "run `balai init`…").
fn for_operator(e: &SyncFailure) -> String {
    match e {
        SyncFailure::Unauthenticated(status) => format!(
            "the parent refuses this server's --upstream-token ({}): enroll this server there again \
             (`balai-server device add --role server --scope …`) and restart with the new token",
            status.message()
        ),
        SyncFailure::BadToken(reason) => format!("--upstream-token is unusable: {reason}"),
        SyncFailure::Certificate { reason, .. } => format!(
            "cannot verify the parent's certificate ({reason}); give its CA with --upstream-ca"
        ),
        SyncFailure::Unreachable { reason, .. } => format!(
            "cannot reach the parent ({reason}); this server keeps serving its devices and retries"
        ),
        SyncFailure::Interrupted(reason) => format!(
            "the session with the parent was cut ({reason}); what was acknowledged is kept, the rest is retried"
        ),
        other => other.to_string(),
    }
}

/// The owner of the parent's store id in the store-binding table: not a device name (it has a
/// space), so no device's Hello may use it.
fn reserved_owner(url: &str) -> String {
    format!("upstream {url}")
}

/// Resolves once `stop` turns true (or its sender is gone).
async fn stopping(stop: &mut watch::Receiver<bool>) {
    let _ = stop.wait_for(|s| *s).await;
}

fn answer(waiting: &mut Vec<oneshot::Sender<Outcome>>, outcome: &Outcome) {
    for reply in waiting.drain(..) {
        let _ = reply.send(outcome.clone());
    }
}

/// One upstream session (or a few rounds of one), with its outcome remembered durably.
async fn attempt(
    store: &Arc<Store>,
    access: &Access,
    config: &UpstreamConfig,
    name: &str,
    reason: Reason,
) -> Outcome {
    let url = config.connection.url.as_str();
    let mut record = access.upstream(url).map_err(|e| e.to_string())?;
    let mut conn = config.connection.clone();
    conn.scopes = (!record.scopes.is_empty()).then(|| record.scopes.clone());
    let expected = StoreId::from_slice(&record.server_store).ok();
    info!(%url, reason = reason.as_str(), "upstream sync starting");
    let result = sync_with_server(store.clone(), &conn, name, expected, &|_| {}).await;
    let now = jiff::Timestamp::now().as_millisecond();
    let outcome = match result {
        Ok((report, server)) => {
            // No downstream device may present the parent's store id (see `bind_reserved`).
            if let Err(e) = access.bind_reserved(&server, &reserved_owner(url)) {
                warn!(%url, "cannot reserve the upstream's store id: {e}");
            }
            info!(
                %url,
                upstream = %report.server_name,
                docs_sent = report.docs_sent,
                docs_received = report.docs_received,
                bytes_sent = report.doc_bytes_sent,
                bytes_received = report.doc_bytes_received,
                round_trips = report.round_trips,
                ms = report.millis,
                "upstream sync complete"
            );
            record.server_store = server.as_bytes().to_vec();
            record.server_name.clone_from(&report.server_name);
            record.scopes.clone_from(&report.scopes);
            record.last_success_unix_ms = now;
            record.last_docs_sent = report.docs_sent;
            record.last_docs_received = report.docs_received;
            record.consecutive_failures = 0;
            Ok(report)
        }
        Err(e) => {
            let reason = for_operator(&e);
            warn!(%url, error = %reason, "upstream sync failed");
            record.last_failure_unix_ms = now;
            record.last_failure_reason.clone_from(&reason);
            record.consecutive_failures = record.consecutive_failures.saturating_add(1);
            Err(reason)
        }
    };
    if let Err(e) = access.put_upstream(url, &record) {
        warn!(%url, "cannot record the upstream outcome: {e}");
    }
    outcome
}
