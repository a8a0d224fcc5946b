//! The `balai` binary: parse the command line, act on the device home, print. Works offline;
//! only `sync` talks to a server.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::{Context, bail};
use balai_cli::home::{self, Home};
use balai_cli::{render, shed};
use balai_net::client::{Progress, SyncReport};
use balai_net::retry::{RetryNotice, RetryPolicy, sync_with_retry};
use balai_shared::ids::{DocId, DocKind};
use balai_shared::model::{self, Gender, Person, minutes, training};
use balai_shared::region::{RegionPrefix, VillageCode};
use clap::{Parser, Subcommand};

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
    Init {
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
    },
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

#[derive(Debug, Subcommand)]
enum AdminCmd {
    /// Enroll, list, rescope and revoke devices (only those inside this admin's regions).
    #[command(subcommand)]
    Device(AdminDeviceCmd),
    /// Show the server's audit log: enrollments, revocations, sync sessions, refused requests.
    Audit {
        #[arg(long)]
        device: Option<String>,
        /// Only entries at or after this time (RFC 3339, e.g. 2026-11-29T08:00:00Z).
        #[arg(long)]
        since: Option<jiff::Timestamp>,
        #[arg(long, default_value_t = 200)]
        limit: u32,
        #[arg(long)]
        json: bool,
    },
    /// Who syncs and who does not: each device's last sync and last failure, each village's
    /// documents, and the server's upstream link (what it has not yet acknowledged).
    Status {
        /// Flag devices whose last successful sync is older than this many days.
        #[arg(long)]
        stale_days: Option<u32>,
        #[arg(long)]
        json: bool,
    },
    /// Make the server replicate with its upstream now; waits and says what moved or why not.
    SyncNow {
        #[arg(long)]
        json: bool,
    },
    /// Make the server forget a device's checkpoints and sync states, so its next sync re-diffs
    /// every document (a recovery tool; no record is deleted).
    Resync {
        name: String,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum AdminDeviceCmd {
    /// Enroll a device; prints its token (shown once).
    Add {
        #[arg(long)]
        name: String,
        /// facilitator, server or admin
        #[arg(long)]
        role: String,
        /// Region prefixes, comma-separated, e.g. 18.01.05 or 18.01.05.2001,18.01.05.2002
        #[arg(long, value_delimiter = ',')]
        scope: Vec<String>,
    },
    /// List enrolled devices.
    List {
        #[arg(long)]
        json: bool,
    },
    /// Revoke a device; its token stops working at once, open sessions included.
    Revoke { name: String },
    /// Replace a device's region prefixes; its token stays valid, the server applies them from
    /// the device's next sync.
    Rescope {
        name: String,
        /// The new region prefixes, comma-separated, e.g. 18.01.05 or 18.01.05.2001,18.01.05.2002
        #[arg(long, value_delimiter = ',', required = true)]
        scope: Vec<String>,
        #[arg(long)]
        json: bool,
    },
}

#[derive(Debug, Subcommand)]
enum MinutesCmd {
    /// Start new minutes; prints the new document id.
    New {
        /// Village code (Kemendagri), e.g. 18.01.05.2001
        #[arg(long)]
        village: String,
        #[arg(long)]
        title: String,
        /// YYYY-MM-DD
        #[arg(long)]
        date: String,
        #[arg(long)]
        place: Option<String>,
        #[arg(long)]
        facilitator: Option<String>,
    },
    /// Record an attendee.
    Attend {
        id: String,
        #[arg(long)]
        name: String,
        /// f (perempuan) or m (laki-laki)
        #[arg(long)]
        gender: Option<String>,
        #[arg(long)]
        dusun: Option<String>,
        /// Group or role, e.g. "ketua RT", "kelompok tani", "pemuda".
        #[arg(long)]
        role: Option<String>,
    },
    /// Append a paragraph to the notes.
    Note { id: String, text: String },
    /// Add an agenda item.
    Agenda { id: String, text: String },
    /// Record an aspiration or proposal; prints its key.
    Propose {
        id: String,
        text: String,
        /// Who raised it.
        #[arg(long)]
        by: Option<String>,
        /// high, medium or low
        #[arg(long)]
        priority: Option<String>,
    },
    /// Count supporters of a proposal (adds up across devices).
    Support {
        id: String,
        proposal: String,
        #[arg(long, default_value_t = 1)]
        count: i64,
    },
    /// Record a decision.
    Decide { id: String, text: String },
    /// Record a follow-up action; prints its key.
    FollowUp {
        id: String,
        #[arg(long)]
        what: String,
        #[arg(long)]
        who: String,
        /// YYYY-MM-DD
        #[arg(long)]
        due: Option<String>,
    },
    /// Set a follow-up's status: open, in-progress, done or dropped.
    FollowUpStatus {
        id: String,
        follow_up: String,
        status: String,
    },
    /// Change fields of the minutes.
    Set {
        id: String,
        #[arg(long)]
        title: Option<String>,
        #[arg(long)]
        date: Option<String>,
        #[arg(long)]
        place: Option<String>,
        #[arg(long)]
        facilitator: Option<String>,
        /// draft or final
        #[arg(long)]
        status: Option<String>,
    },
}

#[derive(Debug, Subcommand)]
enum TrainingCmd {
    /// Start a new training; prints the new document id.
    New {
        #[arg(long)]
        village: String,
        #[arg(long)]
        topic: String,
        /// e.g. pertanian, kerajinan, usaha mikro
        #[arg(long)]
        category: Option<String>,
        #[arg(long)]
        trainer: Option<String>,
        /// Session dates, comma-separated: 2026-12-01,2026-12-08
        #[arg(long, value_delimiter = ',', required = true)]
        sessions: Vec<String>,
    },
    /// Enroll a participant.
    Enroll {
        id: String,
        #[arg(long)]
        name: String,
        #[arg(long)]
        gender: Option<String>,
        #[arg(long)]
        dusun: Option<String>,
    },
    /// Check a person in to a session (enrolls walk-ins).
    CheckIn {
        id: String,
        /// Session number, from 1.
        #[arg(long)]
        session: u32,
        #[arg(long)]
        name: String,
        /// Needed when two participants share a name.
        #[arg(long)]
        dusun: Option<String>,
    },
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
        Command::Init {
            server,
            token,
            device,
            ca,
            force,
        } => {
            let opts = home::InitOptions {
                server: &server,
                device: device.as_deref(),
                token: token.as_deref(),
                ca: ca.as_deref(),
                force,
            };
            let home = Home::init(&dir, &opts)?;
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

fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
}

fn person(name: String, gender: Option<String>, dusun: Option<String>) -> anyhow::Result<Person> {
    let gender = gender.map(|g| g.parse::<Gender>()).transpose()?;
    Ok(Person {
        name,
        gender,
        dusun,
    })
}

/// Apply a model edit to an existing document, durably.
fn edit<T>(
    home: &Home,
    typed: &str,
    f: impl FnOnce(&mut automerge::Automerge) -> Result<T, model::ModelError>,
) -> anyhow::Result<(DocId, T)> {
    let id = home.resolve(typed)?;
    if home.store.doc_record(&id)?.is_none() {
        bail!("no document {id} on this device (see `balai list`; sync to fetch others' records)");
    }
    let value = home
        .store
        .edit(&id, |doc| f(doc).map_err(anyhow::Error::from))?;
    Ok((id, value))
}

fn create(
    home: &Home,
    kind: DocKind,
    village: &str,
    f: impl FnOnce(&mut automerge::Automerge, &VillageCode) -> Result<(), model::ModelError>,
) -> anyhow::Result<DocId> {
    let village: VillageCode = village.parse()?;
    home.check_in_scope(&village)?;
    let id = DocId::generate(kind, village.clone());
    home.store
        .edit(&id, |doc| f(doc, &village).map_err(anyhow::Error::from))?;
    Ok(id)
}

fn minutes_cmd(home: &Home, cmd: MinutesCmd) -> anyhow::Result<()> {
    match cmd {
        MinutesCmd::New {
            village,
            title,
            date,
            place,
            facilitator,
        } => {
            let id = create(home, DocKind::Minutes, &village, |doc, v| {
                minutes::create(
                    doc,
                    v,
                    &minutes::NewMinutes {
                        title,
                        date,
                        place,
                        facilitator,
                    },
                )
            })?;
            println!("{id}");
        }
        MinutesCmd::Attend {
            id,
            name,
            gender,
            dusun,
            role,
        } => {
            let p = person(name, gender, dusun)?;
            let (_, outcome) = edit(home, &id, |doc| minutes::attend(doc, &p, role.as_deref()))?;
            match outcome {
                minutes::Recorded::Added(k) => eprintln!("recorded attendee {}", k.as_str()),
                minutes::Recorded::Updated(k) => {
                    eprintln!("{} was already recorded; details updated", k.as_str())
                }
            }
        }
        MinutesCmd::Note { id, text } => {
            edit(home, &id, |doc| minutes::append_note(doc, &text))?;
            eprintln!("note added");
        }
        MinutesCmd::Agenda { id, text } => {
            edit(home, &id, |doc| minutes::add_agenda_item(doc, &text))?;
            eprintln!("agenda item added");
        }
        MinutesCmd::Propose {
            id,
            text,
            by,
            priority,
        } => {
            let (_, key) = edit(home, &id, |doc| {
                minutes::add_proposal(doc, &text, by.as_deref(), priority.as_deref())
            })?;
            println!("{key}");
        }
        MinutesCmd::Support {
            id,
            proposal,
            count,
        } => {
            if !(1..=10_000).contains(&count) {
                bail!("--count must be between 1 and 10000");
            }
            edit(home, &id, |doc| minutes::support(doc, &proposal, count))?;
            eprintln!("support counted");
        }
        MinutesCmd::Decide { id, text } => {
            edit(home, &id, |doc| minutes::add_decision(doc, &text))?;
            eprintln!("decision recorded");
        }
        MinutesCmd::FollowUp { id, what, who, due } => {
            let (_, key) = edit(home, &id, |doc| {
                minutes::add_follow_up(doc, &what, &who, due.as_deref())
            })?;
            println!("{key}");
        }
        MinutesCmd::FollowUpStatus {
            id,
            follow_up,
            status,
        } => {
            edit(home, &id, |doc| {
                minutes::set_follow_up_status(doc, &follow_up, &status)
            })?;
            eprintln!("follow-up updated");
        }
        MinutesCmd::Set {
            id,
            title,
            date,
            place,
            facilitator,
            status,
        } => {
            let changes: Vec<(minutes::Field, String)> = [
                (minutes::Field::Title, title),
                (minutes::Field::Date, date),
                (minutes::Field::Place, place),
                (minutes::Field::Facilitator, facilitator),
                (minutes::Field::Status, status),
            ]
            .into_iter()
            .filter_map(|(f, v)| v.map(|v| (f, v)))
            .collect();
            if changes.is_empty() {
                bail!(
                    "nothing to set: give at least one of --title, --date, --place, --facilitator, --status"
                );
            }
            edit(home, &id, |doc| {
                changes
                    .iter()
                    .try_for_each(|(f, v)| minutes::set(doc, *f, v))
            })?;
            eprintln!("updated");
        }
    }
    Ok(())
}

fn training_cmd(home: &Home, cmd: TrainingCmd) -> anyhow::Result<()> {
    match cmd {
        TrainingCmd::New {
            village,
            topic,
            category,
            trainer,
            sessions,
        } => {
            let id = create(home, DocKind::Training, &village, |doc, v| {
                training::create(
                    doc,
                    v,
                    &training::NewTraining {
                        topic,
                        category,
                        trainer,
                        sessions,
                    },
                )
            })?;
            println!("{id}");
        }
        TrainingCmd::Enroll {
            id,
            name,
            gender,
            dusun,
        } => {
            let p = person(name, gender, dusun)?;
            let (_, outcome) = edit(home, &id, |doc| training::enroll(doc, &p))?;
            match outcome {
                minutes::Recorded::Added(k) => eprintln!("enrolled {}", k.as_str()),
                minutes::Recorded::Updated(k) => {
                    eprintln!("{} was already enrolled; details updated", k.as_str())
                }
            }
        }
        TrainingCmd::CheckIn {
            id,
            session,
            name,
            dusun,
        } => {
            let device = home.config.device.clone();
            let (_, c) = edit(home, &id, |doc| {
                training::check_in(doc, session, &name, dusun.as_deref(), &device)
            })?;
            let mut msg = format!("checked in {} to session {session}", c.key.as_str());
            if c.already {
                msg = format!(
                    "{} was already checked in to session {session}",
                    c.key.as_str()
                );
            } else if c.walk_in {
                msg.push_str(" (not enrolled before: enrolled as a walk-in)");
            }
            eprintln!("{msg}");
        }
    }
    Ok(())
}

#[derive(serde::Serialize)]
struct ListRow {
    id: String,
    kind: DocKind,
    village: String,
    title: String,
    date: Option<String>,
    people: usize,
}

fn list(home: &Home, village: Option<&str>, json: bool) -> anyhow::Result<()> {
    let prefix = village.map(str::parse::<RegionPrefix>).transpose()?;
    let mut rows = Vec::new();
    for (id, _) in home.store.docs()? {
        if prefix.as_ref().is_some_and(|p| !p.covers(id.village())) {
            continue;
        }
        let Some(doc) = home.store.load(&id)? else {
            continue;
        };
        // A document whose creation has not arrived yet has nothing to list.
        let Ok(s) = model::summarize(&id, &doc) else {
            continue;
        };
        rows.push(ListRow {
            id: id.to_string(),
            kind: s.kind,
            village: id.village().to_string(),
            title: s.title,
            date: s.date,
            people: s.people,
        });
    }
    rows.sort_by(|a, b| (&a.village, &a.date, &a.id).cmp(&(&b.village, &b.date, &b.id)));
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    if rows.is_empty() {
        println!(
            "no documents yet — create one with `balai minutes new` or `balai training new`, or run `balai sync`"
        );
        return Ok(());
    }
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(["id", "kind", "village", "date", "title", "people"]);
    for r in &rows {
        table.add_row([
            r.id.clone(),
            r.kind.to_string(),
            r.village.clone(),
            r.date.clone().unwrap_or_default(),
            r.title.clone(),
            r.people.to_string(),
        ]);
    }
    println!("{table}");
    Ok(())
}

fn show(home: &Home, typed: &str, json: bool) -> anyhow::Result<()> {
    let id = home.resolve(typed)?;
    let doc = home.store.load(&id)?.with_context(|| {
        format!("no document {id} on this device (run `balai sync` to fetch it)")
    })?;
    match id.kind() {
        DocKind::Minutes => {
            let v = minutes::view(&id, &doc)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({"id": id.to_string(), "kind": "minutes", "minutes": v})
                    )?
                );
            } else {
                print!("{}", render::minutes(&id, &v));
            }
        }
        DocKind::Training => {
            let v = training::view(&id, &doc)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({"id": id.to_string(), "kind": "training", "training": v})
                    )?
                );
            } else {
                print!("{}", render::training(&id, &v));
            }
        }
    }
    Ok(())
}

fn sync(
    mut home: Home,
    json: bool,
    policy: RetryPolicy,
    no_compression: bool,
) -> anyhow::Result<()> {
    let rt = runtime()?;
    let bar = if std::io::stderr().is_terminal() && !json {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(format!("syncing with {}…", home.config.server));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    let progress = |p: Progress| {
        bar.set_message(format!(
            "syncing: {}/{} documents received, {} bytes",
            p.done, p.offered, p.bytes
        ));
    };
    let on_retry = |n: RetryNotice<'_>| {
        let msg = format!(
            "attempt {} failed ({}); retrying in {:.1}s",
            n.attempt,
            n.error,
            n.wait.as_secs_f64()
        );
        if bar.is_hidden() {
            eprintln!("balai: {msg}");
        } else {
            bar.println(msg);
        }
    };
    let mut conn = home.connection()?;
    conn.no_compression = no_compression;
    let result = rt.block_on(sync_with_retry(
        home.store.clone(),
        &conn,
        &home.config.device,
        home.config.server_store_id(),
        policy,
        &progress,
        &on_retry,
    ));
    bar.finish_and_clear();
    let (report, server) = result?;
    home.remember_server(server, &report.scopes)?;
    // Records this device may no longer sync: gone if the server holds all of them, else kept.
    let shed = shed::shed(&home.store, &server, &report.out_of_scope).context(
        "the sync completed, but checking the records outside this device's regions failed; \
         they are all still here",
    )?;
    if json {
        let output = SyncOutput {
            report: &report,
            removed_out_of_scope: &shed.removed,
            kept_out_of_scope: &shed.kept,
        };
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else {
        println!(
            "synced with {} ({}) in {} ms: sent {} document(s) ({} bytes of changes), received {} document(s) ({} bytes), {} round trip(s)",
            report.server_name,
            report.server,
            report.millis,
            report.docs_sent,
            report.change_bytes_sent,
            report.docs_received,
            report.change_bytes_received,
            report.round_trips
        );
    }
    if !json {
        print!(
            "{}",
            render::removed_out_of_scope(&shed.removed, &report.scopes)
        );
    }
    // Unsynced records that can no longer reach the server: a warning even for scripts.
    eprint!("{}", render::kept_out_of_scope(&shed.kept, &report.scopes));
    Ok(())
}

/// `balai sync --json`: the sync's report, plus what happened to the records outside this
/// device's regions (`out_of_scope` lists them all).
#[derive(serde::Serialize)]
struct SyncOutput<'a> {
    #[serde(flatten)]
    report: &'a SyncReport,
    /// Removed from this device: the server holds all of them.
    removed_out_of_scope: &'a [shed::OutOfScope],
    /// Kept: they hold changes the server never acknowledged.
    kept_out_of_scope: &'a [shed::OutOfScope],
}

#[derive(serde::Serialize)]
struct StatusReport {
    device: String,
    server: String,
    store: String,
    documents: u64,
    last_sync: Option<String>,
    unsynced: Vec<String>,
}

fn status(home: &Home, json: bool) -> anyhow::Result<()> {
    let server = home.config.server_store_id();
    let mut unsynced = Vec::new();
    let mut last_sync = None;
    // The server's checkpoint of our feed, as it last reported: every change up to it is held
    // there, even if the session that delivered it was cut before we heard the acknowledgement.
    let mut acked = 0;
    if let Some(server) = server {
        let record = home.store.peer(&server)?;
        acked = record.acked;
        if record.last_sync_unix > 0 {
            last_sync = jiff::Timestamp::from_second(record.last_sync_unix)
                .ok()
                .map(|t| t.to_string());
        }
    }
    for (id, record) in home.store.docs()? {
        if record.seq <= acked {
            continue;
        }
        let shared = match server {
            Some(s) => home.store.shared_heads(&s, &id)?,
            None => None,
        };
        let mut shared: Vec<Vec<u8>> = shared
            .unwrap_or_default()
            .iter()
            .map(|h| h.0.to_vec())
            .collect();
        shared.sort();
        let mut heads = record.heads.clone();
        heads.sort();
        if shared != heads {
            unsynced.push(id.to_string());
        }
    }
    let report = StatusReport {
        device: home.config.device.clone(),
        server: home.config.server.clone(),
        store: home.store.id().to_string(),
        documents: home.store.doc_count()?,
        last_sync,
        unsynced,
    };
    if json {
        println!("{}", serde_json::to_string_pretty(&report)?);
        return Ok(());
    }
    println!(
        "device     {} (store {})",
        report.device,
        home.store.id().short()
    );
    println!("server     {}", report.server);
    println!("documents  {}", report.documents);
    println!(
        "last sync  {}",
        report.last_sync.as_deref().unwrap_or("never")
    );
    if report.unsynced.is_empty() {
        println!("everything recorded here has reached the server");
    } else {
        println!(
            "{} document(s) with changes the server has not acknowledged yet:",
            report.unsynced.len()
        );
        for id in &report.unsynced {
            println!("  {id}");
        }
        println!("run `balai sync` when there is a signal");
    }
    Ok(())
}

/// A device as `balai admin device … --json` prints it.
fn device_json(d: &balai_shared::proto::v1::DeviceInfo) -> serde_json::Value {
    serde_json::json!({"name": d.name, "role": d.role, "scopes": d.scopes,
        "created_unix": d.created_unix, "revoked": d.revoked_unix != 0})
}

/// Devices as `balai admin device …` prints them.
fn device_table(devices: &[balai_shared::proto::v1::DeviceInfo]) -> comfy_table::Table {
    let when = |unix: i64| {
        jiff::Timestamp::from_second(unix)
            .map(|t| t.to_string())
            .unwrap_or_default()
    };
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header(["name", "role", "scope", "enrolled", "state"]);
    for d in devices {
        let state = if d.revoked_unix == 0 {
            "active".to_owned()
        } else {
            format!("revoked {}", when(d.revoked_unix))
        };
        table.add_row([
            d.name.clone(),
            d.role.clone(),
            d.scopes.join(","),
            when(d.created_unix),
            state,
        ]);
    }
    table
}

fn admin(home: &Home, cmd: AdminCmd) -> anyhow::Result<()> {
    use balai_cli::admin as rpc;
    let rt = runtime()?;
    let conn = home.connection()?;
    match cmd {
        AdminCmd::Device(AdminDeviceCmd::Add { name, role, scope }) => {
            let r = rt.block_on(rpc::add_device(&conn, &name, &role, &scope))?;
            println!("{}", r.token);
            eprintln!(
                "enrolled `{name}`; on the device run:\n  balai init --server {} --token {}",
                home.config.server, r.token
            );
        }
        AdminCmd::Device(AdminDeviceCmd::List { json }) => {
            let devices = rt.block_on(rpc::list_devices(&conn))?;
            if json {
                let rows: Vec<serde_json::Value> = devices.iter().map(device_json).collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                println!("{}", device_table(&devices));
            }
        }
        AdminCmd::Device(AdminDeviceCmd::Revoke { name }) => {
            let d = rt.block_on(rpc::revoke_device(&conn, &name))?;
            println!("revoked `{}`", d.name);
        }
        AdminCmd::Device(AdminDeviceCmd::Rescope { name, scope, json }) => {
            let d = rt.block_on(rpc::rescope_device(&conn, &name, &scope))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&device_json(&d))?);
            } else {
                println!("{}", device_table(std::slice::from_ref(&d)));
                eprintln!(
                    "rescoped `{}`; its token stays valid, its open sessions end, and at its next sync the server tells it \
                     its new regions (it then fetches what they add and sheds what it may no longer hold)",
                    d.name
                );
            }
        }
        AdminCmd::Audit {
            device,
            since,
            limit,
            json,
        } => {
            let entries = rt.block_on(rpc::audit(
                &conn,
                device.as_deref(),
                since.map_or(0, |t| t.as_second()),
                limit,
            ))?;
            if json {
                let rows: Vec<serde_json::Value> = entries
                    .iter()
                    .map(|e| {
                        serde_json::json!({"id": e.id, "unix_ms": e.unix_ms, "device": e.device, "kind": e.kind,
                            "outcome": e.outcome, "detail": e.detail, "docs_sent": e.docs_sent, "docs_received": e.docs_received})
                    })
                    .collect();
                println!("{}", serde_json::to_string_pretty(&rows)?);
            } else {
                for e in entries {
                    let t = jiff::Timestamp::from_millisecond(e.unix_ms)
                        .map(|t| t.to_string())
                        .unwrap_or_default();
                    println!(
                        "{:>6} {t} {:<20} {:<9} {} (sent {}, received {}) {}",
                        e.id, e.device, e.kind, e.outcome, e.docs_sent, e.docs_received, e.detail
                    );
                }
            }
        }
        AdminCmd::Status { stale_days, json } => {
            let status = rt.block_on(rpc::status(&conn))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&status)?);
            } else {
                print!(
                    "{}",
                    balai_net::status_view::status_tables(&status, stale_days)
                );
            }
        }
        AdminCmd::SyncNow { json } => {
            let r = rt.block_on(rpc::sync_now(&conn))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!("{}", balai_net::status_view::sync_now_summary(&r));
            }
            if !r.ok {
                anyhow::bail!("upstream sync failed: {}", r.error);
            }
        }
        AdminCmd::Resync { name, json } => {
            let r = rt.block_on(rpc::resync(&conn, &name))?;
            if json {
                println!("{}", serde_json::to_string_pretty(&r)?);
            } else {
                println!("{}", balai_net::status_view::resync_summary(&r));
            }
        }
    }
    Ok(())
}
