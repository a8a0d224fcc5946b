//! The `balai-server` binary: serve (the default, replicating with an upstream server and sinking
//! into PostgreSQL when told to), or administer a data directory offline: enroll/list/rescope/revoke devices, read the
//! audit log and the sync status, resync a device, make dev TLS certificates.

mod cmd;

use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context;
use balai_server::access::{Access, Role};
use balai_server::{ServerConfig, SessionLimits, TlsIdentity, access_path, store_path};
use balai_shared::store::Store;
use balai_shared::sync::DocLimits;
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
    /// Sync sessions one device may have open at once (so one token cannot take every slot).
    #[arg(long, env = "BALAI_MAX_SESSIONS_PER_DEVICE", default_value_t = 4, value_parser = clap::value_parser!(u32).range(1..))]
    max_sessions_per_device: u32,
    /// Seconds a new session has to send its Hello.
    #[arg(long, env = "BALAI_HELLO_TIMEOUT_SECS", default_value_t = 10, value_parser = clap::value_parser!(u64).range(1..))]
    hello_timeout_secs: u64,
    /// Seconds a session may go without progress before it is dropped (a repeated bare Done is
    /// not progress).
    #[arg(long, env = "BALAI_IDLE_TIMEOUT_SECS", default_value_t = 120, value_parser = clap::value_parser!(u64).range(1..))]
    idle_timeout_secs: u64,
    /// MiB that all sessions together may buffer (document parts, frames awaiting the engine).
    #[arg(long, env = "BALAI_BUFFER_MIB", default_value_t = 512, value_parser = clap::value_parser!(u32).range(1..))]
    buffer_mib: u32,
    /// MiB one device's sessions together may buffer: its share of --buffer-mib.
    #[arg(long, env = "BALAI_BUFFER_PER_DEVICE_MIB", default_value_t = 96, value_parser = clap::value_parser!(u32).range(1..))]
    buffer_per_device_mib: u32,
    /// Operations one document may hold; changes that would pass it are refused.
    #[arg(long, env = "BALAI_MAX_DOC_OPS", default_value_t = 500_000, value_parser = clap::value_parser!(u64).range(1..))]
    max_doc_ops: u64,
    /// MiB one document may take decompressed; changes that would pass it are refused.
    #[arg(long, env = "BALAI_MAX_DOC_MIB", default_value_t = 16, value_parser = clap::value_parser!(u64).range(1..))]
    max_doc_mib: u64,
    /// Milliseconds a device whose session was refused (bad or hostile frames) must wait before
    /// its next session is admitted; doubles with each further refusal up to a minute, and is
    /// forgotten at its next completed session. 0 turns it off.
    #[arg(long, env = "BALAI_REFUSAL_BACKOFF_MS", default_value_t = 250)]
    refusal_backoff_ms: u64,
    #[command(flatten)]
    upstream: cmd::upstream::UpstreamArgs,
    #[command(flatten)]
    sink: cmd::sink::SinkArgs,
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
    /// Who syncs and who does not, per village, and the upstream link (offline, on a stopped
    /// server's data directory; while it runs use `balai admin status`).
    Status(cmd::status::StatusArgs),
    /// Forget the checkpoints and sync states of a device's stores, so its next session re-diffs
    /// everything (offline; while the server runs use `balai admin resync`).
    Resync(cmd::resync::ResyncArgs),
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
    /// Replace a device's region prefixes; its token stays valid. Without --scope an admin
    /// becomes a root admin (only possible here, offline).
    Rescope {
        #[arg(long, env = "BALAI_DATA", default_value = "./balai-data")]
        data: PathBuf,
        #[arg(long)]
        name: String,
        /// The new region prefixes, comma-separated, e.g. 18.01.05 or 18.01.05.2001,18.01.05.2002
        #[arg(long, value_delimiter = ',')]
        scope: Vec<String>,
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
        Command::Device(DeviceCmd::Rescope { data, name, scope }) => {
            let access = open_access(&data)?;
            let d = access.rescope(&name, &scope)?;
            let store_file = store_path(&data);
            if store_file.exists() {
                let store = Store::open(&store_file, None)
                    .with_context(|| format!("cannot open {}", store_file.display()))?;
                balai_server::resync::forget_outside_scope(&access, &store, &d)?;
            }
            println!(
                "rescoped `{}` ({}) to {}",
                d.name,
                d.role,
                if d.scopes.is_empty() {
                    "no regions (a root admin)".to_owned()
                } else {
                    d.scopes_text()
                }
            );
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
        Command::Status(args) => cmd::status::run(&args)?,
        Command::Resync(args) => cmd::resync::run(&args)?,
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
    let upstream = args.upstream.config()?;
    let sink = args.sink.config()?;
    let config = ServerConfig {
        upstream,
        sink,
        name: args.name,
        tls,
        max_sessions: args.max_sessions,
        max_message_bytes: args.max_message_kib as usize * 1024,
        limits: SessionLimits {
            max_sessions_per_device: args.max_sessions_per_device as usize,
            hello_timeout: Duration::from_secs(args.hello_timeout_secs),
            idle_timeout: Duration::from_secs(args.idle_timeout_secs),
            buffer_bytes: args.buffer_mib as usize * 1024 * 1024,
            buffer_per_device_bytes: args.buffer_per_device_mib as usize * 1024 * 1024,
            refusal_backoff: Duration::from_millis(args.refusal_backoff_ms),
            doc: DocLimits {
                max_ops: args.max_doc_ops,
                max_bytes: args.max_doc_mib.saturating_mul(1024 * 1024),
            },
        },
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
