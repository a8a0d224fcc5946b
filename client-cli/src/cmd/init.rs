//! `balai init`: set up a device home (server, token, name, CA).

use std::path::{Path, PathBuf};

use balai_cli::home::{self, Home};
use balai_cli::tr;
use clap::Args;

// Help texts: locales/*/help.ftl, `cmd-balai-init` and `arg-balai-init-*`.
#[derive(Debug, Args)]
pub(crate) struct InitArgs {
    #[arg(long)]
    server: String,
    #[arg(long)]
    token: Option<String>,
    #[arg(long)]
    device: Option<String>,
    #[arg(long)]
    ca: Option<PathBuf>,
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
        "{}",
        tr!(
            "init-done",
            device = &home.config.device,
            dir = dir.display().to_string(),
            store = home.store.id().short(),
            server = &home.config.server
        )
    );
    if home.config.token.is_none() {
        eprintln!("{}", tr!("init-no-token"));
    }
    Ok(())
}
