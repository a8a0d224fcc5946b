//! The analytics sink: a task inside `balai-server` that tails the store's change feed and keeps
//! a relational projection of every document in PostgreSQL, exactly once, for SQL and BI tools.
//!
//! - [`project`]: feed entries into rows (pure).
//! - [`write`]: one batch of documents and the checkpoint that covers them, in one transaction.
//! - [`run`]: the tailing task (reconnects with backoff; never in a sync session's way).
//! - [`status`]: what the task has done, for `balai admin status` and the logs.
//! - [`schema`]: the versioned migrations (`migrations/`, refinery), run at every connect.

#[cfg(feature = "temp-cluster")]
pub mod cluster;
pub mod project;
pub mod run;
pub mod schema;
pub mod status;
pub mod write;

pub use project::{Projected, project_feed};
pub use run::{Sink, SinkConfig};
pub use schema::migrate;
pub use status::SinkStatus;
pub use write::{Commit, Source, write_batch};

/// What went wrong talking to PostgreSQL or reading the store.
#[derive(Debug, thiserror::Error)]
pub enum SinkError {
    #[error("cannot connect to PostgreSQL at {url}: {}", pg_text(source))]
    Connect {
        /// Where, without the password.
        url: String,
        #[source]
        source: tokio_postgres::Error,
    },
    #[error("PostgreSQL: {}", pg_text(.0))]
    Postgres(#[from] tokio_postgres::Error),
    #[error("PostgreSQL did not answer within {0:?}")]
    Timeout(std::time::Duration),
    #[error("schema migration failed: {0}")]
    Migration(#[from] refinery::Error),
    #[error("reading the store: {0}")]
    Store(#[from] balai_shared::store::StoreError),
    #[error("the sink's reader thread failed: {0}")]
    Join(#[from] tokio::task::JoinError),
    #[error(
        "the checkpoint in PostgreSQL moved from {expected} to {actual} under this sink: another \
         server with this store id (a copied data directory?) sinks into the same database; \
         give each server its own data directory, or its own database"
    )]
    Conflict { expected: u64, actual: u64 },
    #[error(
        "TLS to PostgreSQL is not supported yet (sslmode=require); run the database on this host \
         or reach it through a private network or an SSH tunnel, with sslmode=disable"
    )]
    TlsRequired,
}

/// A tokio-postgres error as an operator needs it: its `Display` is only the error's kind
/// ("db error"), so the server's message and SQLSTATE, or the I/O cause, are added. Never the
/// server's `DETAIL`, which can quote row data (people's names).
fn pg_text(e: &tokio_postgres::Error) -> String {
    if let Some(db) = e.as_db_error() {
        return format!("{} ({}: {})", db.message(), db.severity(), db.code().code());
    }
    match std::error::Error::source(e) {
        Some(cause) => format!("{e}: {cause}"),
        None => e.to_string(),
    }
}

/// Connect to PostgreSQL and drive the connection on its own task. Unless the URL says
/// otherwise, a connection attempt gives up after 10 s and a silent peer is noticed within about
/// a minute (TCP keepalives), and the session refuses a statement that runs longer than 2
/// minutes, a lock held 30 s, or a transaction left idle.
pub async fn connect(url: &str) -> Result<tokio_postgres::Client, SinkError> {
    use std::time::Duration;
    let mut config: tokio_postgres::Config = url.parse()?;
    if config.get_ssl_mode() == tokio_postgres::config::SslMode::Require {
        return Err(SinkError::TlsRequired);
    }
    if config.get_connect_timeout().is_none() {
        config.connect_timeout(Duration::from_secs(10));
    }
    if !url.contains("keepalives_idle") {
        config.keepalives_idle(Duration::from_secs(30));
    }
    if config.get_tcp_user_timeout().is_none() {
        config.tcp_user_timeout(Duration::from_secs(60));
    }
    let (client, connection) = config
        .connect(tokio_postgres::NoTls)
        .await
        .map_err(|source| SinkError::Connect {
            url: redact(url),
            source,
        })?;
    tokio::spawn(async move {
        if let Err(e) = connection.await {
            tracing::debug!(
                "analytics sink: PostgreSQL connection ended: {}",
                pg_text(&e)
            );
        }
    });
    client
        .batch_execute(
            "SET statement_timeout = '120s'; SET lock_timeout = '30s'; \
             SET idle_in_transaction_session_timeout = '300s'",
        )
        .await?;
    Ok(client)
}

/// Where `url` points, for logs and status, without any password: `postgres://USER@HOST:PORT/DB`.
/// Works for URLs and `key=value` strings alike; text that is neither is not echoed.
pub fn redact(url: &str) -> String {
    let Ok(config) = url.parse::<tokio_postgres::Config>() else {
        return "(an unreadable PostgreSQL connection string)".to_owned();
    };
    let hosts: Vec<String> = config
        .get_hosts()
        .iter()
        .enumerate()
        .map(|(i, host)| {
            let name = match host {
                tokio_postgres::config::Host::Tcp(name) => name.clone(),
                tokio_postgres::config::Host::Unix(path) => path.display().to_string(),
            };
            match config.get_ports().get(i).or(config.get_ports().first()) {
                Some(port) => format!("{name}:{port}"),
                None => name,
            }
        })
        .collect();
    format!(
        "postgres://{}@{}/{}",
        config.get_user().unwrap_or(""),
        hosts.join(","),
        config.get_dbname().unwrap_or("")
    )
}

#[cfg(test)]
mod tests {
    use super::redact;

    #[test]
    fn passwords_never_reach_the_logs() {
        assert_eq!(
            redact("postgres://balai:s3cret@db.local:5432/analytics"),
            "postgres://balai@db.local:5432/analytics"
        );
        assert_eq!(
            redact("postgres://balai@127.0.0.1/analytics?password=s3cret"),
            "postgres://balai@127.0.0.1:5432/analytics"
        );
        assert_eq!(
            redact("host=db.local port=6543 user=balai password=s3cret dbname=x"),
            "postgres://balai@db.local:6543/x"
        );
        assert!(!redact("postgres://balai:s3cret@[::1").contains("s3cret"));
    }
}
