//! The `balai` binary: parse the command line, act on the device home, print. Works offline;
//! only `sync` and `admin` talk to a server.
//!
//! The language is decided before parsing (see `balai_cli::i18n`), so that the help clap prints
//! is localized too; the help texts are in `locales/*/help.ftl`, keyed by command path, not in
//! doc comments here. Exit codes: `balai_cli::exit`.

use std::ffi::OsString;
use std::path::PathBuf;
use std::process::ExitCode;

use balai_cli::exit::{self, Exit};
use balai_cli::home::{self, Home};
use balai_cli::i18n::{self, EarlyArgs, Lang, Sources, describe::describe};
use balai_net::retry::RetryPolicy;
use clap::{CommandFactory, FromArgMatches, Parser, Subcommand};

mod cmd;
use cmd::admin::{AdminCmd, admin};
use cmd::archive::{archive, unarchive};
use cmd::export::{ExportArgs, export};
use cmd::history::history;
use cmd::init::{InitArgs, init};
use cmd::lang::{LangSetting, lang};
use cmd::list::list;
use cmd::minutes::{MinutesCmd, minutes_cmd};
use cmd::report::{ReportCmd, report};
use cmd::show::show;
use cmd::status::status;
use cmd::sync::sync;
use cmd::training::{TrainingCmd, training_cmd};

#[derive(Debug, Parser)]
#[command(name = "balai", version)]
struct Cli {
    // Global options come after each command's own in its help.
    #[arg(
        long,
        env = "BALAI_HOME",
        global = true,
        value_name = "DIR",
        display_order = 100
    )]
    home: Option<PathBuf>,
    #[arg(long, global = true, value_name = "LANG", display_order = 101)]
    lang: Option<Lang>,
    #[command(subcommand)]
    command: Command,
}

#[derive(Debug, Subcommand)]
enum Command {
    Init(InitArgs),
    #[command(subcommand)]
    Minutes(MinutesCmd),
    #[command(subcommand)]
    Training(TrainingCmd),
    List {
        #[arg(long)]
        village: Option<String>,
        #[arg(long)]
        json: bool,
    },
    Show {
        id: String,
        #[arg(long)]
        json: bool,
    },
    Sync {
        #[arg(long)]
        json: bool,
        #[arg(long, default_value_t = 8)]
        max_attempts: u32,
        #[arg(long, default_value_t = 600)]
        deadline: u64,
        #[arg(long, default_value_t = 1000, hide = true)]
        retry_base_ms: u64,
        #[arg(long)]
        no_compression: bool,
    },
    Status {
        #[arg(long)]
        json: bool,
    },
    Export(ExportArgs),
    #[command(subcommand)]
    Report(ReportCmd),
    Archive {
        id: String,
    },
    Unarchive {
        id: String,
    },
    History {
        id: String,
        #[arg(long)]
        all: bool,
        #[arg(long)]
        json: bool,
    },
    Completions {
        shell: clap_complete::Shell,
    },
    Man {
        #[arg(long, value_name = "DIR")]
        out: Option<PathBuf>,
    },
    Lang {
        setting: Option<LangSetting>,
    },
    #[command(subcommand)]
    Admin(AdminCmd),
}

fn main() -> ExitCode {
    let args: Vec<OsString> = std::env::args_os().collect();
    let early = EarlyArgs::scan(&args);
    let early_home = early
        .home
        .clone()
        .or_else(|| std::env::var_os("BALAI_HOME").map(PathBuf::from))
        .unwrap_or_else(home::default_home);
    let language = i18n::resolve(&Sources::from_env(
        early.lang,
        home::configured_lang(&early_home),
    ));
    i18n::set(language.lang);

    let parsed = i18n::help::localize(Cli::command())
        .try_get_matches_from(&args)
        .and_then(|m| Cli::from_arg_matches(&m));
    let cli = match parsed {
        Ok(cli) => cli,
        Err(e) => {
            // Usage errors and --help/--version, as clap prints them (with its exit code, 2 for
            // an error: the same as ours).
            let _ = e.print();
            return ExitCode::from(u8::try_from(e.exit_code()).unwrap_or(Exit::Usage.code()));
        }
    };
    tracing_subscriber::fmt()
        .with_env_filter(
            tracing_subscriber::EnvFilter::try_from_env("BALAI_LOG")
                .unwrap_or_else(|_| "warn".into()),
        )
        .with_writer(std::io::stderr)
        .with_ansi(std::io::IsTerminal::is_terminal(&std::io::stderr()))
        .init();
    match run(cli, &language) {
        Ok(()) => Exit::Success.into(),
        Err(e) if is_broken_pipe(&e) => Exit::Success.into(),
        Err(e) => {
            eprintln!("balai: {}", describe(&e));
            exit::classify(&e).into()
        }
    }
}

fn is_broken_pipe(e: &anyhow::Error) -> bool {
    e.chain()
        .filter_map(|c| c.downcast_ref::<std::io::Error>())
        .any(|io| io.kind() == std::io::ErrorKind::BrokenPipe)
}

fn run(cli: Cli, language: &i18n::Resolved) -> anyhow::Result<()> {
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
        Command::Export(args) => export(&Home::open(&dir)?, args),
        Command::Report(cmd) => report(&Home::open(&dir)?, cmd),
        Command::Archive { id } => archive(&Home::open(&dir)?, &id),
        Command::Unarchive { id } => unarchive(&Home::open(&dir)?, &id),
        Command::History { id, all, json } => history(&Home::open(&dir)?, &id, all, json),
        Command::Completions { shell } => {
            cmd::shell::completions(i18n::help::localize(Cli::command()), shell)
        }
        Command::Man { out } => {
            cmd::shell::man(i18n::help::localize(Cli::command()), out.as_deref())
        }
        Command::Lang { setting } => lang(&dir, setting, cli.lang, language),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use balai_cli::i18n::help::{arg_key, command_key};

    /// The help keys of `cmd` and everything under it that `lang` lacks.
    fn missing(lang: Lang, cmd: &clap::Command, path: &str, out: &mut Vec<String>) {
        let mut keys = vec![command_key(path)];
        keys.extend(
            cmd.get_arguments()
                .map(|a| arg_key(path, a.get_id().as_str())),
        );
        out.extend(keys.into_iter().filter(|k| !i18n::has(lang, k)));
        for sub in cmd.get_subcommands() {
            missing(lang, sub, &format!("{path}-{}", sub.get_name()), out);
        }
    }

    #[test]
    fn every_command_and_argument_has_help_in_both_languages() {
        for lang in Lang::ALL {
            let mut out = Vec::new();
            missing(lang, &Cli::command(), "balai", &mut out);
            assert!(out.is_empty(), "{lang:?} has no help for {out:?}");
        }
    }

    #[test]
    fn the_localized_command_line_is_well_formed_in_both_languages() {
        for lang in Lang::ALL {
            i18n::with(lang, || i18n::help::localize(Cli::command()).debug_assert());
        }
    }
}
