//! The `balai-server` binary: parse flags, open the store, serve until Ctrl-C or SIGTERM.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::sync::Arc;

use anyhow::Context;
use balai_server::{ServerConfig, store_path};
use balai_shared::store::Store;
use clap::Parser;
use tracing::{info, warn};

/// Balai sync server: receives field devices' records and keeps every replica converging.
#[derive(Debug, Parser)]
#[command(name = "balai-server", version, about)]
struct Args {
    /// Directory holding the server's store (created if missing).
    #[arg(long, env = "BALAI_DATA", default_value = "./balai-data")]
    data: PathBuf,
    /// Address to listen on. Use port 0 for any free port; the bound address is printed.
    #[arg(long, default_value = "127.0.0.1:7420")]
    listen: SocketAddr,
    /// Name this server gives itself in sync sessions (shown in device status).
    #[arg(long, default_value = "balai-server")]
    name: String,
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_default_env().unwrap_or_else(|_| "info".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match serve(Args::parse()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("balai-server: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

async fn serve(args: Args) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.data)
        .with_context(|| format!("cannot create data directory {}", args.data.display()))?;
    let path = store_path(&args.data);
    let store = Arc::new(
        Store::open(&path, None)
            .with_context(|| format!("cannot open store {}", path.display()))?,
    );
    let listener = balai_server::bind(args.listen).await.with_context(|| {
        format!(
            "cannot listen on {} (is another server running there?)",
            args.listen
        )
    })?;
    let addr = listener.local_addr()?;
    info!(store = %store.id(), docs = store.doc_count()?, data = %args.data.display(), "store opened");
    // Tests and scripts read this line to learn the port when listening on :0.
    println!("balai-server listening on {addr}");
    warn!("serving plain-text gRPC: anyone who can reach {addr} can read and write all records");
    balai_server::run(
        listener,
        store,
        ServerConfig { name: args.name },
        shutdown_signal(),
    )
    .await?;
    info!("shut down cleanly");
    Ok(())
}

/// Resolves on Ctrl-C or SIGTERM.
async fn shutdown_signal() {
    let ctrl_c = async {
        if let Err(e) = tokio::signal::ctrl_c().await {
            warn!("cannot listen for Ctrl-C: {e}");
            std::future::pending::<()>().await;
        }
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(e) => {
                warn!("cannot listen for SIGTERM: {e}");
                std::future::pending::<()>().await;
            }
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => info!("Ctrl-C received, shutting down"),
        () = term => info!("SIGTERM received, shutting down"),
    }
}
