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
#[derive(Clone)]
pub struct SinkConfig {
    /// `postgres://user:password@host:port/database`.
    pub url: String,
    /// Documents per transaction, at most.
    pub batch_docs: usize,
    /// …and the stored bytes they may take together (one document may pass it alone), so a
    /// batch of large documents does not hold them all in memory at once.
    pub batch_bytes: u64,
    /// A batch not committed within this is abandoned (its transaction rolls back) and retried.
    pub batch_timeout: Duration,
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
            batch_bytes: 64 * 1024 * 1024,
            batch_timeout: Duration::from_secs(300),
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

impl std::fmt::Debug for SinkConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("SinkConfig")
            .field("url", &redact(&self.url))
            .field("batch_docs", &self.batch_docs)
            .field("batch_bytes", &self.batch_bytes)
            .finish_non_exhaustive()
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
        let setup = async {
            let mut client = connect(&config.url).await?;
            migrate(&mut client).await?;
            Ok::<_, SinkError>(client)
        };
        let mut client = tokio::select! {
            client = setup => client?,
            _ = stopped.wait_for(|s| *s) => return Ok(()),
        };
        *failures = 0;
        let mut checkpoint = write::checkpoint(&client, source).await?;
        let latest = durable_seq(store).await?;
        if let Some(why) = restored(&client, store, source, checkpoint, latest).await? {
            // The feed went back: a restore from a backup, or a data directory replaced under
            // the same store id. Its seqs now name other changes, so this source's rows are
            // dropped and everything is projected again (in the same transaction).
            tracing::warn!(
                "analytics sink: {why} (the store was restored from a backup?); projecting every \
                 document again"
            );
            write::restart_source(&mut client, source, checkpoint).await?;
            checkpoint = 0;
        }
        tracing::info!(
            "analytics sink: connected to {}; projected up to seq {checkpoint} of {latest}",
            redact(&config.url)
        );
        self.update(|s| {
            s.connected = true;
            s.projected_seq = checkpoint;
            s.latest_seq = latest;
            s.consecutive_failures = 0;
        });
        let mut behind = checkpoint < latest;
        loop {
            if *stopped.borrow() {
                return Ok(());
            }
            let batch = read(store, checkpoint, config).await?;
            if batch.is_empty() {
                let latest = durable_seq(store).await?;
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
            let write = write::write_batch(&mut client, source, checkpoint, &batch);
            let committed = tokio::time::timeout(config.batch_timeout, write)
                .await
                .map_err(|_| SinkError::Timeout(config.batch_timeout))??;
            match committed {
                Commit::Written {
                    seq,
                    documents,
                    rows,
                } => {
                    checkpoint = seq;
                    let latest = durable_seq(store).await?;
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
                    });
                }
                Commit::Moved { actual } => {
                    return Err(SinkError::Conflict {
                        expected: checkpoint,
                        actual,
                    });
                }
            }
        }
    }
}

/// Whether this store's feed went back since the sink last wrote (and why, in words): the
/// checkpoint is ahead of the feed, or a document projected at some seq now has an older one or
/// is gone (a store only ever moves a document's seq forward, and a server never removes one).
/// Looks at the documents projected last, so it also catches a restored store whose devices
/// have already pushed its feed past the old checkpoint.
async fn restored(
    client: &tokio_postgres::Client,
    store: &Arc<Store>,
    source: &Source,
    checkpoint: u64,
    latest: u64,
) -> Result<Option<String>, SinkError> {
    if checkpoint > latest {
        return Ok(Some(format!(
            "PostgreSQL has this store projected up to seq {checkpoint}, but its feed ends at \
             {latest}"
        )));
    }
    let newest = write::newest_documents(client, source, 64).await?;
    let store = store.clone();
    tokio::task::spawn_blocking(move || {
        for (id, projected_seq) in newest {
            let Ok(doc_id) = id.parse() else { continue };
            let now = store.doc_record(&doc_id)?.map(|r| r.seq);
            match now {
                Some(seq) if seq >= projected_seq => {}
                Some(seq) => {
                    return Ok(Some(format!(
                        "{id} was projected at seq {projected_seq}, but the store has it at {seq}"
                    )));
                }
                None => {
                    return Ok(Some(format!(
                        "{id} was projected at seq {projected_seq}, but the store no longer has it"
                    )));
                }
            }
        }
        Ok(None)
    })
    .await?
}

/// The next batch after `since`, read and projected on a blocking thread.
async fn read(
    store: &Arc<Store>,
    since: u64,
    config: &SinkConfig,
) -> Result<Vec<crate::project::Projected>, SinkError> {
    let store = store.clone();
    let (limit, bytes) = (config.batch_docs, config.batch_bytes);
    tokio::task::spawn_blocking(move || {
        let docs = store.read_feed(since, limit, bytes)?;
        Ok::<_, SinkError>(crate::project::project_feed(docs))
    })
    .await?
}

/// How far the feed is on disk (the sink never projects past it: a change that a crash could
/// still take back must not reach PostgreSQL).
async fn durable_seq(store: &Arc<Store>) -> Result<u64, SinkError> {
    Ok(store.durable_seq())
}
