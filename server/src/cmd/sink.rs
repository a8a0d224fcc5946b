//! The `--sink-*` flags of `balai-server` (serve): project every document into PostgreSQL.

use std::time::Duration;

use balai_sink::SinkConfig;

#[derive(Debug, clap::Args)]
pub struct SinkArgs {
    /// PostgreSQL database to keep a relational copy of every document in, for SQL and BI tools,
    /// e.g. postgres://balai:PASSWORD@127.0.0.1:5432/balai. Tables and report views are created
    /// (and migrated) at start. Prefer the environment variable: a flag shows in `ps`.
    #[arg(long, env = "BALAI_SINK_POSTGRES", hide_env_values = true)]
    sink_postgres: Option<String>,
    /// Documents written per PostgreSQL transaction, at most.
    #[arg(long, env = "BALAI_SINK_BATCH", default_value_t = 500, value_parser = clap::value_parser!(u32).range(1..=10_000))]
    sink_batch: u32,
    /// Milliseconds between looks at the change feed when the sink has caught up.
    #[arg(long, env = "BALAI_SINK_POLL_MS", default_value_t = 250, value_parser = clap::value_parser!(u64).range(10..))]
    sink_poll_ms: u64,
}

impl SinkArgs {
    /// The sink configuration, if `--sink-postgres` was given.
    pub fn config(&self) -> anyhow::Result<Option<SinkConfig>> {
        let Some(url) = &self.sink_postgres else {
            return Ok(None);
        };
        if let Err(e) = url.parse::<tokio_postgres::Config>() {
            anyhow::bail!(
                "--sink-postgres is not a PostgreSQL connection string ({e}); write it as \
                 postgres://USER:PASSWORD@HOST:PORT/DATABASE"
            );
        }
        let mut config = SinkConfig::new(url.clone());
        config.batch_docs = self.sink_batch as usize;
        config.poll = Duration::from_millis(self.sink_poll_ms);
        Ok(Some(config))
    }
}
