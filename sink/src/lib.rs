//! The analytics sink: a task inside `balai-server` that tails the store's change feed and keeps
//! a relational projection of every document in PostgreSQL, exactly once, for SQL and BI tools.
//!
//! - [`write`]: one batch of documents and the checkpoint that covers them, in one transaction.
//! - [`run`]: the tailing task (reconnects with backoff; never in a sync session's way).
//! - [`status`]: what the task has done, for `balai admin status` and the logs.
//! - [`schema`]: the versioned migrations (`migrations/`, refinery), run at every connect.

#[cfg(feature = "temp-cluster")]
pub mod cluster;
pub mod run;
pub mod schema;
pub mod status;
pub mod write;

pub use run::{Sink, SinkConfig};
pub use schema::migrate;
pub use status::SinkStatus;
pub use write::{Commit, Projected, Source, project_feed, write_batch};

/// What went wrong talking to PostgreSQL or reading the store.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("cannot connect to PostgreSQL at {url}: {source}")]
    Connect {
        /// The URL without its password.
        url: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error("PostgreSQL: {0}")]
    Postgres(#[from] tokio_postgres::Error),
    #[error("schema migration failed: {0}")]
    Migration(#[from] refinery::Error),
    #[error("reading the store: {0}")]
    Store(#[from] balai_shared::store::StoreError),
    #[error("the sink's reader thread failed: {0}")]
    Join(#[from] tokio::task::JoinError),
}

/// Connect to PostgreSQL (no TLS: the database is expected on the same host or a private
/// network) and drive the connection on its own task.
pub async fn connect(url: &str) -> Result<tokio_postgres::Client, SinkError> {
    let (client, connection) = tokio_postgres::connect(url, tokio_postgres::NoTls)
        .await
        .map_err(|source| SinkError::Connect {
            url: redact(url),
            source,
        })?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!("analytics sink: PostgreSQL connection ended: {e}");
        }
    });
    Ok(client)
}

/// `url` with any password replaced by `***`, for logs and status.
pub fn redact(url: &str) -> String {
    let Some((scheme, rest)) = url.split_once("://") else {
        return url.to_owned();
    };
    match rest.split_once('@') {
        Some((userinfo, host)) => match userinfo.split_once(':') {
            Some((user, _)) => format!("{scheme}://{user}:***@{host}"),
            None => url.to_owned(),
        },
        None => url.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(
            redact("postgres://balai:s3cret@db.local:5432/analytics"),
            "postgres://balai:***@db.local:5432/analytics"
        );
        assert_eq!(
            redact("postgres://balai@127.0.0.1/analytics"),
            "postgres://balai@127.0.0.1/analytics"
        );
        assert_eq!(redact("host=/tmp user=balai"), "host=/tmp user=balai");
    }
}
