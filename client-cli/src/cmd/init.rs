//! `balai init`: set up a device home (server, token, name, CA).

use std::path::{Path, PathBuf};

use balai_cli::home::{self, Home};
use clap::Args;

#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    /// The server URL, e.g. http://192.168.1.10:7420 or https://balai.example:7420
    #[arg(long)]
    server: String,
    /// The token an admin issued for this device (`balai-server device add`).
    #[arg(long)]
    token: Option<String>,
    /// A name for this device; defaults to the name the token was issued to.
    #[arg(long)]
    device: Option<String>,
    /// A private CA certificate to trust for https:// (from `balai-server cert self-signed`).
    #[arg(long)]
    ca: Option<PathBuf>,
    /// Re-point an existing home at another server, name or token (records are kept).
    #[arg(long)]
    force: bool,
}

pub(crate) fn init(dir: &Path, args: InitArgs) -> anyhow::Result<()> {
    let InitArgs {
        server,
        token,
        device,
        ca,
        force,
    } = args;

    let opts = home::InitOptions {
        server: &server,
        device: device.as_deref(),
        token: token.as_deref(),
        ca: ca.as_deref(),
        force,
    };
    let home = Home::init(dir, &opts)?;
    println!(
        "device `{}` set up in {} (store {}), syncing with {}",
        home.config.device,
        dir.display(),
        home.store.id().short(),
        home.config.server
    );
    if home.config.token.is_none() {
        eprintln!(
            "note: no --token given; recording works offline, but the server refuses to sync \
                     until you run `balai init --force --server … --token …`"
        );
    }
    Ok(())
}
