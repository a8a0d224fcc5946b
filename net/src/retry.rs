//! Syncing over a link that drops (`balai sync`, upstream replication): retry failed attempts
//! with exponential backoff and full jitter, within an attempt count and a deadline. Every attempt
//! resumes where the last one was cut (checkpoints and sync states are durable), so retrying never
//! resends completed documents.

use std::sync::Arc;
use std::time::{Duration, Instant};

use balai_shared::ids::StoreId;
use balai_shared::store::Store;
use rand::Rng;

use crate::client::{Connection, Progress, SyncFailure, SyncReport, sync_with_server};

/// How hard to try.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct RetryPolicy {
    /// Attempts in all, the first included (1 = no retry).
    pub max_attempts: u32,
    /// No new attempt starts after this much time since the first.
    pub deadline: Duration,
    /// The first retry waits up to this long; each later one up to twice as long…
    pub base_delay: Duration,
    /// …but never more than this.
    pub max_delay: Duration,
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_attempts: 8,
            deadline: Duration::from_secs(600),
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `retry` (0-based): uniform in [0, min(max, base·2^retry)]
    /// ("full jitter"), so many devices regaining signal at once do not retry in lockstep.
    pub fn delay(&self, retry: u32, rng: &mut impl Rng) -> Duration {
        let cap = self
            .base_delay
            .saturating_mul(2u32.saturating_pow(retry.min(30)))
            .min(self.max_delay);
        let millis = u64::try_from(cap.as_millis()).unwrap_or(u64::MAX);
        Duration::from_millis(rng.random_range(0..=millis))
    }
}

/// Failures worth another attempt: the network, not a refusal or a local problem.
pub fn is_retryable(e: &SyncFailure) -> bool {
    matches!(
        e,
        SyncFailure::Unreachable { .. } | SyncFailure::Interrupted(_)
    )
}

/// Why `sync_with_retry` stopped without success.
#[derive(Debug, thiserror::Error)]
pub enum RetryFailure {
    #[error("gave up after {attempts} attempt(s) in {}s: {last}", .elapsed.as_secs())]
    GaveUp {
        attempts: u32,
        elapsed: Duration,
        last: SyncFailure,
    },
    #[error(transparent)]
    Fatal(SyncFailure),
}

/// What happened before a retry, for the progress display.
#[derive(Debug)]
pub struct RetryNotice<'a> {
    /// The attempt that failed (1-based).
    pub attempt: u32,
    pub error: &'a SyncFailure,
    pub wait: Duration,
}

/// [`sync_with_server`], retried per `policy`. Returns the report of the successful attempt
/// (with `attempts` set) and the server's store id.
pub async fn sync_with_retry(
    store: Arc<Store>,
    conn: &Connection,
    device: &str,
    expected: Option<StoreId>,
    policy: RetryPolicy,
    progress: &(dyn Fn(Progress) + Sync),
    on_retry: &(dyn Fn(RetryNotice<'_>) + Sync),
) -> Result<(SyncReport, StoreId), RetryFailure> {
    let started = Instant::now();
    let mut attempt = 0;
    loop {
        attempt += 1;
        match sync_with_server(store.clone(), conn, device, expected, progress).await {
            Ok((mut report, server)) => {
                report.attempts = attempt;
                return Ok((report, server));
            }
            Err(e) if !is_retryable(&e) => return Err(RetryFailure::Fatal(e)),
            Err(e) => {
                let wait = policy.delay(attempt - 1, &mut rand::rng());
                let elapsed = started.elapsed();
                if attempt >= policy.max_attempts || elapsed + wait > policy.deadline {
                    return Err(RetryFailure::GaveUp {
                        attempts: attempt,
                        elapsed,
                        last: e,
                    });
                }
                on_retry(RetryNotice {
                    attempt,
                    error: &e,
                    wait,
                });
                tokio::time::sleep(wait).await;
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rand::SeedableRng;

    #[test]
    fn delays_grow_exponentially_within_the_cap_and_are_jittered() {
        let policy = RetryPolicy {
            max_attempts: 10,
            deadline: Duration::from_secs(600),
            base_delay: Duration::from_millis(100),
            max_delay: Duration::from_secs(2),
        };
        let mut rng = rand::rngs::StdRng::seed_from_u64(7);
        for retry in 0..12 {
            let cap = Duration::from_millis(100 * 2u64.pow(retry)).min(Duration::from_secs(2));
            let samples: Vec<Duration> = (0..200).map(|_| policy.delay(retry, &mut rng)).collect();
            assert!(
                samples.iter().all(|d| *d <= cap),
                "retry {retry} exceeded {cap:?}"
            );
            let distinct: std::collections::HashSet<_> = samples.iter().collect();
            assert!(distinct.len() > 50, "retry {retry} is jittered");
        }
    }

    #[test]
    fn only_network_failures_are_retried() {
        assert!(is_retryable(&SyncFailure::Interrupted("cut".into())));
        assert!(is_retryable(&SyncFailure::Unreachable {
            url: "u".into(),
            reason: "r".into()
        }));
        assert!(!is_retryable(&SyncFailure::Refused(
            tonic::Status::permission_denied("no")
        )));
        assert!(!is_retryable(&SyncFailure::Unauthenticated(
            tonic::Status::unauthenticated("no")
        )));
        assert!(!is_retryable(&SyncFailure::BadToken("x".into())));
    }
}
