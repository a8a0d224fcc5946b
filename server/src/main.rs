//! The `balai-server` binary: serve (the default), or administer a data directory offline:
//! enroll/list/revoke devices, read the audit log, make dev TLS certificates.

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use anyhow::Context;
use balai_server::access::{Access, Role};
use balai_server::{ServerConfig, TlsIdentity, access_path, store_path};
use balai_shared::store::Store;
use clap::{Parser, Subcommand};
use tracing::{info, warn};

/// Balai sync server: receives field devices' records and keeps every replica converging.
/// Without a subcommand it serves.
#[derive(Debug, Parser)]
#[command(
    name = "balai-server",
    version,
    about,
    args_conflicts_with_subcommands = true
)]
struct Args {
    #[command(flatten)]
    serve: ServeArgs,
    #[command(subcommand)]
    command: Option<Command>,
}

#[derive(Debug, clap::Args)]
struct ServeArgs {
    /// Directory holding the server's stores (created if missing).
    #[arg(long, env = "BALAI_DATA", default_value = "./balai-data")]
    data: PathBuf,
    /// Address to listen on. Use port 0 for any free port; the bound address is printed.
    #[arg(long, default_value = "127.0.0.1:7420")]
    listen: SocketAddr,
    /// Name this server gives itself in sync sessions (shown in device status).
    #[arg(long, default_value = "balai-server")]
    name: String,
    /// PEM certificate (chain) for TLS. With --tls-key, the server speaks only TLS.
    #[arg(long, requires = "tls_key")]
    tls_cert: Option<PathBuf>,
    /// PEM private key for TLS.
    #[arg(long, requires = "tls_cert")]
    tls_key: Option<PathBuf>,
    /// Sync sessions open at once, at most; more are told to retry shortly.
    #[arg(long, default_value_t = 4096)]
    max_sessions: usize,
    /// The largest gRPC message accepted or sent, in KiB. Document messages travel in 512 KiB
    /// parts, so this bounds memory per message, not document size.
    #[arg(long, default_value_t = 4096, value_parser = clap::value_parser!(u32).range(600..))]
    max_message_kib: u32,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Manage enrolled devices (offline, on the data directory; while the server runs use
    /// `balai admin device …` with an admin token instead).
    #[command(subcommand)]
    Device(DeviceCmd),
    /// Show the audit log (offline, on the data directory).
    Audit {
        #[arg(long, env = "BALAI_DATA", default_value = "./balai-data")]
        data: PathBuf,
        /// Only this device's entries.
        #[arg(long)]
        device: Option<String>,
        /// Only entries at or after this time (RFC 3339, e.g. 2026-11-29T08:00:00Z).
        #[arg(long)]
        since: Option<jiff::Timestamp>,
        /// At most this many of the newest entries.
        #[arg(long, default_value_t = 200)]
        limit: usize,
    },
    /// Development TLS certificates.
    #[command(subcommand)]
    Cert(CertCmd),
}

#[derive(Debug, Subcommand)]
enum DeviceCmd {
    /// Enroll a device and print its token (shown once; only its hash is stored).
    Add {
        #[arg(long, env = "BALAI_DATA", default_value = "./balai-data")]
        data: PathBuf,
        /// Lowercase letters, digits and dashes, e.g. hp-ani.
        #[arg(long)]
        name: String,
        /// facilitator (syncs its villages), server (a district server replicating upward) or
        /// admin (may enroll and revoke devices over gRPC).
        #[arg(long)]
        role: String,
        /// Region prefixes the device may read and write: 18.01.05 (all of Kalianda) or
        /// 18.01.05.2001 (one village); several separated by commas.
        #[arg(long, value_delimiter = ',')]
        scope: Vec<String>,
        /// The URL devices use to reach this server; when given, a QR code of URL and token is
        /// printed for scanning into a phone.
        #[arg(long)]
        server_url: Option<String>,
    },
    /// List enrolled devices.
    List {
        #[arg(long, env = "BALAI_DATA", default_value = "./balai-data")]
        data: PathBuf,
    },
    /// Revoke a device: its token stops working at once.
    Revoke {
        #[arg(long, env = "BALAI_DATA", default_value = "./balai-data")]
        data: PathBuf,
        name: String,
    },
}

#[derive(Debug, Subcommand)]
enum CertCmd {
    /// Create a private CA and a server certificate signed by it (ca.pem, server.pem,
    /// server.key) for a district office without a public certificate.
    SelfSigned {
        /// Host names or IP addresses devices will use to reach the server (repeatable).
        #[arg(long = "host", required = true)]
        hosts: Vec<String>,
        /// Directory to write the files to.
        #[arg(long, default_value = ".")]
        out: PathBuf,
    },
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
    let args = Args::parse();
    let result = match args.command {
        None => serve(args.serve).await,
        Some(command) => administer(command),
    };
    match result {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("balai-server: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}

fn open_access(data: &Path) -> anyhow::Result<Access> {
    std::fs::create_dir_all(data)
        .with_context(|| format!("cannot create data directory {}", data.display()))?;
    Ok(Access::open(&access_path(data))?)
}

fn administer(command: Command) -> anyhow::Result<()> {
    match command {
        Command::Device(DeviceCmd::Add {
            data,
            name,
            role,
            scope,
            server_url,
        }) => {
            let access = open_access(&data)?;
            let role: Role = role.parse()?;
            let (device, token) = access.add(&name, role, &scope)?;
            println!("{}", token.0);
            eprintln!(
                "enrolled `{}` ({}, scope {}). The token above is shown only now; on the device run:\n  balai init --server {} --token {}",
                device.name,
                device.role,
                if device.scopes.is_empty() {
                    "none".to_owned()
                } else {
                    device.scopes_text()
                },
                server_url.as_deref().unwrap_or("URL"),
                token.0
            );
            if let Some(url) = server_url {
                let qr = qrcode::QrCode::new(format!("{url}#token={}", token.0))?;
                eprintln!(
                    "{}",
                    qr.render::<qrcode::render::unicode::Dense1x2>()
                        .quiet_zone(true)
                        .build()
                );
            }
        }
        Command::Device(DeviceCmd::List { data }) => {
            for d in open_access(&data)?.list()? {
                let state = match d.revoked_unix {
                    Some(t) => format!("revoked {}", fmt_time(t)),
                    None => "active".to_owned(),
                };
                println!(
                    "{:<24} {:<12} {:<30} enrolled {}  {state}",
                    d.name,
                    d.role,
                    d.scopes_text(),
                    fmt_time(d.created_unix)
                );
            }
        }
        Command::Device(DeviceCmd::Revoke { data, name }) => {
            let d = open_access(&data)?.revoke(&name)?;
            println!("revoked `{}`", d.name);
        }
        Command::Audit {
            data,
            device,
            since,
            limit,
        } => {
            let access = open_access(&data)?;
            let since = since.map_or(0, |t| t.as_second());
            for (id, e) in access.audit_log(device.as_deref(), since, limit)? {
                let when = jiff::Timestamp::from_millisecond(e.unix_ms)
                    .map(|t| t.to_string())
                    .unwrap_or_default();
                println!(
                    "{id:>6} {when} {:<20} {:<9} {} sent={} received={} {}",
                    e.device, e.kind, e.outcome, e.docs_sent, e.docs_received, e.detail
                );
            }
        }
        Command::Cert(CertCmd::SelfSigned { hosts, out }) => {
            let certs = balai_server::certs::self_signed(&hosts)?;
            std::fs::create_dir_all(&out)?;
            for (file, pem) in [
                ("ca.pem", &certs.ca_pem),
                ("server.pem", &certs.cert_pem),
                ("server.key", &certs.key_pem),
            ] {
                let path = out.join(file);
                std::fs::write(&path, pem)
                    .with_context(|| format!("cannot write {}", path.display()))?;
            }
            println!(
                "wrote {0}/ca.pem, {0}/server.pem, {0}/server.key\n  server:  balai-server --tls-cert {0}/server.pem --tls-key {0}/server.key …\n  devices: balai init --server https://{1}:7420 --ca {0}/ca.pem --token …",
                out.display(),
                hosts.first().map_or("HOST", String::as_str)
            );
        }
    }
    Ok(())
}

fn fmt_time(unix: i64) -> String {
    jiff::Timestamp::from_second(unix)
        .map(|t| t.to_string())
        .unwrap_or_default()
}

async fn serve(args: ServeArgs) -> anyhow::Result<()> {
    std::fs::create_dir_all(&args.data)
        .with_context(|| format!("cannot create data directory {}", args.data.display()))?;
    let path = store_path(&args.data);
    let store = Arc::new(
        Store::open(&path, None)
            .with_context(|| format!("cannot open store {}", path.display()))?,
    );
    let access = Arc::new(Access::open(&access_path(&args.data))?);
    let tls = match (&args.tls_cert, &args.tls_key) {
        (Some(cert), Some(key)) => Some(TlsIdentity {
            cert_pem: std::fs::read(cert)
                .with_context(|| format!("cannot read {}", cert.display()))?,
            key_pem: std::fs::read(key)
                .with_context(|| format!("cannot read {}", key.display()))?,
        }),
        _ => None,
    };
    let listener = balai_server::bind(args.listen).await.with_context(|| {
        format!(
            "cannot listen on {} (is another server running there?)",
            args.listen
        )
    })?;
    let addr = listener.local_addr()?;
    let active = access
        .list()?
        .iter()
        .filter(|d| d.revoked_unix.is_none())
        .count();
    info!(store = %store.id(), docs = store.doc_count()?, devices = active, data = %args.data.display(), "stores opened");
    if active == 0 {
        warn!(
            "no devices are enrolled: every sync will be refused. Enroll one with `balai-server device add`"
        );
    }
    if tls.is_none() {
        warn!(
            "NO TLS: device tokens and personal records travel in clear text over {addr}. \
             Use --tls-cert/--tls-key (see `balai-server cert self-signed`) on any network you do not fully trust"
        );
    }
    // Tests and scripts read this line to learn the port when listening on :0.
    println!("balai-server listening on {addr}");
    let config = ServerConfig {
        name: args.name,
        tls,
        max_sessions: args.max_sessions,
        max_message_bytes: args.max_message_kib as usize * 1024,
    };
    balai_server::run(listener, store, access, config, shutdown_signal()).await?;
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
