//! `balai-server status`: the admin status (devices, villages, upstream) read from a stopped
//! server's data directory, printed as `balai admin status` prints it.

use std::path::PathBuf;

use anyhow::Context;
use balai_server::access::{Access, Actor};
use balai_server::report::{self, UpstreamView};
use balai_server::{access_path, store_path};
use balai_shared::store::Store;

#[derive(Debug, clap::Args)]
pub struct StatusArgs {
    #[arg(long, env = "BALAI_DATA", default_value = "./balai-data")]
    data: PathBuf,
    /// The name the server gives itself (shown in the heading).
    #[arg(long, default_value = "balai-server")]
    name: String,
    /// Flag devices whose last successful sync is older than this many days.
    #[arg(long)]
    stale_days: Option<u32>,
    /// Print JSON instead of tables.
    #[arg(long)]
    json: bool,
}

pub fn run(args: &StatusArgs) -> anyhow::Result<()> {
    let store_file = store_path(&args.data);
    if !store_file.exists() {
        anyhow::bail!(
            "{} holds no server store; give the server's --data directory",
            args.data.display()
        );
    }
    let store = Store::open(&store_file, None).with_context(|| {
        format!(
            "cannot open {} (stop the server first, or use `balai admin status` against it)",
            store_file.display()
        )
    })?;
    let access = Access::open(&access_path(&args.data))?;
    // The upstream this server last replicated with (a server has one at a time; an old URL's
    // record stays behind after a change).
    let upstream = access
        .upstreams()?
        .into_iter()
        .max_by_key(|(_, r)| r.last_success_unix_ms.max(r.last_failure_unix_ms))
        .map(|(url, record)| UpstreamView {
            url,
            record,
            next_attempt_unix_ms: 0,
        });
    let status = report::status(&access, &store, Actor::Offline, &args.name, upstream)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&status)?);
    } else {
        print!(
            "{}",
            balai_net::status_view::status_tables(&status, args.stale_days)
        );
    }
    Ok(())
}
