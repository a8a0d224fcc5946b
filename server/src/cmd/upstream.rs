//! The `--upstream*` flags of `balai-server` (serve): where and how often to replicate upward.

use std::path::PathBuf;
use std::time::Duration;

use anyhow::Context;
use balai_net::client::Connection;
use balai_server::upstream::UpstreamConfig;

#[derive(Debug, clap::Args)]
pub struct UpstreamArgs {
    /// URL of the parent server to replicate this server's regions with (a district's regency
    /// server), e.g. https://kabupaten.example:7420. Push and pull, on its own.
    #[arg(long, env = "BALAI_UPSTREAM", requires = "upstream_token")]
    upstream: Option<String>,
    /// Token of this server's `server`-role device enrolled on the parent, scoped to this
    /// server's region. Prefer the environment variable: a flag shows in `ps`.
    #[arg(long, env = "BALAI_UPSTREAM_TOKEN", hide_env_values = true)]
    upstream_token: Option<String>,
    /// PEM of a private CA to trust for an https:// upstream (besides the public web roots).
    #[arg(long, env = "BALAI_UPSTREAM_CA")]
    upstream_ca: Option<PathBuf>,
    /// Milliseconds to wait after a device's changes arrive before replicating them upward
    /// (more changes in that time go in the same session).
    #[arg(long, env = "BALAI_UPSTREAM_DEBOUNCE_MS", default_value_t = 3000)]
    upstream_debounce_ms: u64,
    /// Seconds between replications when nothing changes here (to pull what changed above).
    #[arg(long, env = "BALAI_UPSTREAM_INTERVAL_SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    upstream_interval_secs: u64,
    /// After failures, retries wait up to twice as long each time (with jitter), at most this.
    #[arg(long, env = "BALAI_UPSTREAM_MAX_BACKOFF_SECS", default_value_t = 300, value_parser = clap::value_parser!(u64).range(1..))]
    upstream_max_backoff_secs: u64,
}

impl UpstreamArgs {
    /// The upstream configuration, if `--upstream` was given.
    pub fn config(&self) -> anyhow::Result<Option<UpstreamConfig>> {
        let Some(url) = &self.upstream else {
            return Ok(None);
        };
        let token = self
            .upstream_token
            .clone()
            .context("--upstream needs --upstream-token (or BALAI_UPSTREAM_TOKEN)")?;
        if balai_net::token::name_in_token(&token).is_none() {
            anyhow::bail!(
                "--upstream-token is not a Balai device token (they read bl1_<name>_<secret>); \
                 enroll this server on the parent with `balai-server device add --role server`"
            );
        }
        let ca_pem = match &self.upstream_ca {
            Some(path) => Some(
                std::fs::read(path).with_context(|| format!("cannot read {}", path.display()))?,
            ),
            None => None,
        };
        let mut config = UpstreamConfig::new(Connection {
            url: url.clone(),
            token: Some(token),
            ca_pem,
            scopes: None,
            compression: balai_net::client::Compression::default(),
            list_out_of_scope: false,
        });
        config.debounce = Duration::from_millis(self.upstream_debounce_ms);
        config.interval = Duration::from_secs(self.upstream_interval_secs);
        config.max_backoff = Duration::from_secs(self.upstream_max_backoff_secs);
        Ok(Some(config))
    }
}
