//! The sink's task: connect, migrate, read the checkpoint, then project the feed in batches until
//! the server stops. Any failure (PostgreSQL down or restarting, a network cut) drops the
//! connection and retries with backoff and jitter; the checkpoint in PostgreSQL says where to
//! resume. Sync sessions never wait for it: the store is read straight from disk on a blocking
//! thread (no document cache, no store lock), and nothing in a session waits on the sink.

use std::sync::{Arc, Mutex, PoisonError};
use std::time::Duration;

use balai_net::retry::RetryPolicy;
use balai_shared::store::Store;
use tokio::sync::watch;

use crate::status::{SinkStatus, now_unix_ms};
use crate::write::{self, Commit, Source};
use crate::{SinkError, connect, migrate, redact};

/// How the sink runs.
#[derive(Clone, Debug)]
pub struct SinkConfig {
    /// `postgres://user:password@host:port/database`.
    pub url: String,
    /// Documents per transaction, at most.
    pub batch_docs: usize,
    /// How often an idle sink looks for new changes in the feed.
    pub poll: Duration,
    /// Waits between failed attempts (full jitter, doubling to `max_delay`; attempts never stop).
    pub retry: RetryPolicy,
}

impl SinkConfig {
    pub fn new(url: impl Into<String>) -> Self {
        Self {
            url: url.into(),
            batch_docs: 500,
            poll: Duration::from_millis(250),
            retry: RetryPolicy {
                max_attempts: u32::MAX,
                deadline: Duration::MAX,
                base_delay: Duration::from_millis(500),
                max_delay: Duration::from_secs(30),
            },
        }
    }
}

/// The handle the admin service holds: the sink's status.
#[derive(Clone, Debug)]
pub struct Sink {
    status: Arc<Mutex<SinkStatus>>,
}

impl Sink {
    pub fn new(config: &SinkConfig) -> Self {
        let status = SinkStatus {
            url: redact(&config.url),
            ..SinkStatus::default()
        };
        Self {
            status: Arc::new(Mutex::new(status)),
        }
    }

    /// Where the sink stands now.
    pub fn status(&self) -> SinkStatus {
        self.lock().clone()
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, SinkStatus> {
        self.status.lock().unwrap_or_else(PoisonError::into_inner)
    }

    fn update(&self, f: impl FnOnce(&mut SinkStatus)) {
        f(&mut self.lock());
    }

    /// Project `store` into PostgreSQL until `stopped` turns true. Returns only then: failures
    /// are retried forever (an analytics database that is down must not stop a sync server).
    pub async fn run(
        self,
        store: Arc<Store>,
        config: SinkConfig,
        server_name: String,
        mut stopped: watch::Receiver<bool>,
    ) {
        let source = Source {
            id: store.id().to_string(),
            server_name,
        };
        let mut failures = 0u32;
        loop {
            if *stopped.borrow() {
                return;
            }
            let attempt = self.attempt(&store, &config, &source, &mut stopped, &mut failures);
            let Err(e) = attempt.await else {
                return;
            };
            failures = failures.saturating_add(1);
            let delay = config
                .retry
                .delay(failures.saturating_sub(1), &mut rand::rng());
            tracing::warn!(
                "analytics sink: {e}; retrying in {:.1} s (failure {failures} in a row; sync \
                 sessions are not affected)",
                delay.as_secs_f64()
            );
            self.update(|s| {
                s.connected = false;
                s.last_failure_unix_ms = now_unix_ms();
                s.last_failure = e.to_string();
                s.consecutive_failures = failures;
            });
            tokio::select! {
                () = tokio::time::sleep(delay) => {}
                _ = stopped.wait_for(|s| *s) => return,
            }
        }
    }

    /// One connection's worth of work: returns `Ok` only when the server stops.
    async fn attempt(
        &self,
        store: &Arc<Store>,
        config: &SinkConfig,
        source: &Source,
        stopped: &mut watch::Receiver<bool>,
        failures: &mut u32,
    ) -> Result<(), SinkError> {
        let mut client = connect(&config.url).await?;
        migrate(&mut client).await?;
        let mut checkpoint = write::checkpoint(&client, source).await?;
        let latest = last_seq(store).await?;
        if checkpoint > latest {
            // The feed restarted below what PostgreSQL holds: a restore from a backup, or a
            // data directory replaced under the same store id. Everything is projected again
            // (rows are replaced, never duplicated).
            tracing::warn!(
                "analytics sink: PostgreSQL has this store projected up to seq {checkpoint}, \
                 but the store's feed ends at {latest} (restored from a backup?); projecting \
                 every document again"
            );
            match write::reset_checkpoint(&mut client, source, checkpoint, 0).await? {
                Commit::Written { seq, .. } | Commit::Moved { actual: seq } => checkpoint = seq,
            }
        }
        tracing::info!(
            "analytics sink: connected to {}; projected up to seq {checkpoint} of {latest}",
            redact(&config.url)
        );
        self.update(|s| {
            s.connected = true;
            s.projected_seq = checkpoint;
            s.latest_seq = latest;
        });
        let mut behind = checkpoint < latest;
        loop {
            if *stopped.borrow() {
                return Ok(());
            }
            let batch = read(store, checkpoint, config.batch_docs).await?;
            if batch.is_empty() {
                let latest = last_seq(store).await?;
                if behind && latest <= checkpoint {
                    tracing::info!("analytics sink: caught up at seq {checkpoint}");
                    behind = false;
                }
                self.update(|s| {
                    s.latest_seq = latest.max(checkpoint);
                    s.last_success_unix_ms = now_unix_ms();
                });
                tokio::select! {
                    () = tokio::time::sleep(config.poll) => {}
                    _ = stopped.wait_for(|s| *s) => return Ok(()),
                }
                continue;
            }
            match write::write_batch(&mut client, source, checkpoint, &batch).await? {
                Commit::Written {
                    seq,
                    documents,
                    rows,
                } => {
                    checkpoint = seq;
                    *failures = 0;
                    let latest = last_seq(store).await?;
                    behind |= latest > seq;
                    tracing::debug!(
                        "analytics sink: projected {documents} documents ({rows} rows), up to \
                         seq {seq} of {latest}"
                    );
                    self.update(|s| {
                        s.projected_seq = seq;
                        s.latest_seq = latest.max(seq);
                        s.documents_written += documents;
                        s.rows_written += rows;
                        s.last_success_unix_ms = now_unix_ms();
                        s.consecutive_failures = 0;
                    });
                }
                Commit::Moved { actual } => {
                    tracing::warn!(
                        "analytics sink: the checkpoint in PostgreSQL moved from {checkpoint} to \
                         {actual} under us: is another server with this store id sinking into \
                         the same database? Resuming from {actual}"
                    );
                    checkpoint = actual;
                }
            }
        }
    }
}

/// The next batch after `since`, read and projected on a blocking thread.
async fn read(
    store: &Arc<Store>,
    since: u64,
    limit: usize,
) -> Result<Vec<write::Projected>, SinkError> {
    let store = store.clone();
    tokio::task::spawn_blocking(move || {
        let docs = store.read_feed(since, limit)?;
        Ok::<_, SinkError>(write::project_feed(docs))
    })
    .await?
}

async fn last_seq(store: &Arc<Store>) -> Result<u64, SinkError> {
    let store = store.clone();
    Ok(tokio::task::spawn_blocking(move || store.last_seq()).await??)
}
