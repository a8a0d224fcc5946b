//! `balai-server resync`: make a device's next session re-diff everything, on a stopped server's
//! data directory.

use std::path::PathBuf;

use anyhow::Context;
use balai_server::access::{Access, Actor};
use balai_server::{access_path, store_path};
use balai_shared::store::Store;

#[derive(Debug, clap::Args)]
pub struct ResyncArgs {
    #[arg(long, env = "BALAI_DATA", default_value = "./balai-data")]
    data: PathBuf,
    /// The device whose checkpoints and sync states to forget.
    name: String,
}

pub fn run(args: &ResyncArgs) -> anyhow::Result<()> {
    let store_file = store_path(&args.data);
    let store = Store::open(&store_file, None).with_context(|| {
        format!(
            "cannot open {} (stop the server first, or use `balai admin resync` against it)",
            store_file.display()
        )
    })?;
    let access = Access::open(&access_path(&args.data))?;
    let done = balai_server::resync::resync(&access, &store, Actor::Offline, &args.name)?;
    println!(
        "resynced `{}`: forgot the checkpoints and {} sync state(s) of {} store(s); its next sync re-diffs every document in its regions",
        done.device.name, done.sync_states, done.stores
    );
    Ok(())
}
