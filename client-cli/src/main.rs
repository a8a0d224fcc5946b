//! The `balai` binary: parse the command line, act on the device home, print. Works offline;
//! only `sync` talks to a server.

use std::path::PathBuf;
use std::process::ExitCode;

use balai_cli::home::{self, Home};
use balai_net::retry::RetryPolicy;
use clap::{Parser, Subcommand};

mod cmd;
use cmd::admin::{AdminCmd, admin};
use cmd::init::{InitArgs, init};
use cmd::list::list;
use cmd::minutes::{MinutesCmd, minutes_cmd};
use cmd::show::show;
use cmd::status::status;
use cmd::sync::sync;
use cmd::training::{TrainingCmd, training_cmd};

/// Balai: record village forums and training attendance offline; sync when a signal comes.
#[derive(Debug, Parser)]
#[command(name = "balai", version, about)]
struct Cli {
    /// The device's home directory (config and local store). Several homes = several devices.
    #[arg(long, env = "BALAI_HOME", global = true)]
    home: Option<PathBuf>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    /// Set up this device: which server it syncs with, its token and its name.
    Init(InitArgs),
    /// Forum minutes (notulen musyawarah).
    #[command(subcommand)]
    Minutes(MinutesCmd),
    /// Trainings (pelatihan) and their attendance.
    #[command(subcommand)]
    Training(TrainingCmd),
    /// List the documents on this device.
    List {
        /// Only documents under this region prefix, e.g. 18.01.05 or 18.01.05.2001.
        #[arg(long)]
        village: Option<String>,
        #[arg(long)]
        json: bool,
    },
    /// Show one document in full. ID may be the full id or its last few characters.
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    /// Sync with the server: send what this device recorded, receive what others did.
    Sync {
        /// Print the report as JSON (counters for scripts).
        #[arg(long)]
        json: bool,
        /// Attempts in all before giving up when the connection fails or drops (1 = no retry).
        #[arg(long, default_value_t = 8)]
        max_attempts: u32,
        /// Give up when no attempt has succeeded after this many seconds.
        #[arg(long, default_value_t = 600)]
        deadline: u64,
        /// The first retry waits up to this many milliseconds, doubling each time (max 60 s).
        #[arg(long, default_value_t = 1000, hide = true)]
        retry_base_ms: u64,
        /// Send and accept uncompressed messages (gzip is on by default).
        #[arg(long)]
        no_compression: bool,
    },
    /// What this device has not yet synced, and when the last sync succeeded.
    Status {
        #[arg(long)]
        json: bool,
    },
    /// Administer the server (needs a home initialised with an admin token).
    #[command(subcommand)]
    Admin(AdminCmd),
}

fn main() -> ExitCode {
    let cli = Cli::parse();
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BALAI_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(cli) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            if is_broken_pipe(&e) {
                return ExitCode::SUCCESS;
            }
            eprintln!("balai: {e:#}");
            ExitCode::FAILURE
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

fn run(cli: Cli) -> anyhow::Result<()> {
    let dir = cli.home.clone().unwrap_or_else(home::default_home);
    match cli.command {
        Command::Init(args) => init(&dir, args),
        Command::Admin(cmd) => admin(&Home::open(&dir)?, cmd),
        Command::Minutes(cmd) => minutes_cmd(&Home::open(&dir)?, cmd),
        Command::Training(cmd) => training_cmd(&Home::open(&dir)?, cmd),
        Command::List { village, json } => list(&Home::open(&dir)?, village.as_deref(), json),
        Command::Show { id, json } => show(&Home::open(&dir)?, &id, json),
        Command::Sync {
            json,
            max_attempts,
            deadline,
            retry_base_ms,
            no_compression,
        } => {
            let policy = RetryPolicy {
                max_attempts: max_attempts.max(1),
                deadline: std::time::Duration::from_secs(deadline),
                base_delay: std::time::Duration::from_millis(retry_base_ms),
                ..RetryPolicy::default()
            };
            sync(Home::open(&dir)?, json, policy, no_compression)
        }
        Command::Status { json } => status(&Home::open(&dir)?, json),
    }
}
