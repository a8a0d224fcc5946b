//! sink: the analytics sink (issue 11) under the benchmark. A throwaway PostgreSQL
//! (`balai_sink::cluster::TempCluster`: initdb and pg_ctl in a temp dir, fsync off) and the real
//! `balai-server --sink-postgres` on a store of 100,000 trainings.
//!
//! 1. **Projection.** The store is written straight into the server's data directory before it
//!    starts (the regency scenario's builder, [`crate::regency`]: trainings of the benchmark's
//!    shape, 10 participants checked in to 2 sessions, plus one late check-in of each document's
//!    own, 32 changes). The server starts with the sink; measured from its start until the sink's
//!    checkpoint in PostgreSQL (`sink_checkpoint.feed_seq`, polled by the bench) reaches the
//!    store's last feed seq: documents and rows per second, the server's and PostgreSQL's CPU.
//! 2. **Live load**: devices (in-memory stores, one empty village each) each record one
//!    training and run `balai sync` (through the counting relay) every `period`, staggered, for
//!    a fixed time; measured: every session's time. Meanwhile the bench asks PostgreSQL every
//!    50 ms for the load's documents (when each one appeared there, against when its session
//!    returned, and how many were waiting); `admin status` (the seq lag an operator sees) only
//!    just after the load, since a call reads every document record of the store. The same
//!    watching runs in every condition, so its cost is the same in each:
//!    - the sink caught up, and no sink (the same data directory, the server restarted without
//!      `--sink-postgres`), alternately, `sink_rounds` times each;
//!    - the sink re-projecting everything from scratch (tables truncated and checkpoint deleted,
//!      the server restarted with the sink): sessions while it works through a 100,000-document
//!      backlog.
//! 3. **Check.** The server is stopped and its store opened: every document it holds is in
//!    PostgreSQL at the store's feed seq and heads, and nothing else is.

use std::collections::HashMap;
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use balai_net::client::{AuthedChannel, SyncReport};
use balai_server::access::{Access, Role};
use balai_shared::proto::v1::{self, balai_admin_client::BalaiAdminClient};
use balai_shared::region::VillageCode;
use balai_shared::store::Store;
use balai_sink::cluster::TempCluster;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use tokio::sync::watch;
use tokio_postgres::error::SqlState;

use crate::client::Device;
use crate::relay::Relay;
use crate::report::Row;
use crate::scenarios::{Ctx, cpu_now, cpu_since, label, note, run_all};
use crate::server::Server;
use crate::workload::{self, Record, TrainingShape};

const DATABASE: &str = "balai";
/// The server's log filter: warnings, and the sink's own info lines (connected, caught up).
const LOG_FILTER: &str = "warn,balai_sink=info";
/// The sink's flags: its defaults, spelled out so that the figures say what they measured.
const SINK_BATCH: &str = "500";
const SINK_POLL_MS: &str = "250";
/// The projection's tables, parents first.
const TABLES: &[&str] = &[
    "documents",
    "attendees",
    "participants",
    "sessions",
    "check_ins",
    "agenda_items",
    "proposals",
    "decisions",
    "follow_ups",
    "changes",
];
/// The live load's devices record in villages `workload::village(LOAD_VILLAGES + i)`
/// (18.01.01.2101 …), which hold none of the projected documents (18.01.DD.2001 … 2010).
const LOAD_VILLAGES: usize = 100;
/// How often the bench asks PostgreSQL for the load's documents, and reads the sink's checkpoint
/// while waiting for it. `admin status` is asked only outside the load: it reads every document
/// record of the store, and on 100,000 documents that took the server 0.2–0.5 s a call, during
/// which the load's sessions were slower.
const TABLES_EVERY: Duration = Duration::from_millis(50);
const CHECKPOINT_EVERY: Duration = Duration::from_millis(25);

/// The sink scenario's figures, for the JSON output (and `bench/tests/quick.rs`).
#[derive(Clone, Debug, Default, Serialize)]
pub struct SinkFigures {
    /// `projection`, `caught-up`, `no-sink` or `re-projecting`.
    pub phase: String,
    pub sink_running: bool,
    /// Documents that should be in PostgreSQL at the end of the phase (projection: the store's;
    /// a load: the documents its devices pushed), and those that were.
    pub documents_expected: u64,
    pub documents_projected: u64,
    /// Rows in the projection's tables (projection: all; a load: none counted), and the sink's
    /// own count of rows written (`admin status`).
    pub rows: u64,
    pub rows_written: u64,
    pub docs_per_s: f64,
    pub rows_per_s: f64,
    /// The sink's checkpoint reached the store's last seq, and when: from the server's start
    /// (projection) or from the load's end.
    pub lag_reached_zero: bool,
    pub zero_lag_ms: f64,
    /// Documents synced (their session returned) but not yet in PostgreSQL during the load,
    /// looked at every 50 ms: the most, and the mean.
    pub max_waiting: u64,
    pub mean_waiting: f64,
    /// The seq lag `admin status` gave just after the load, and how long that call took (it
    /// reads every document record of the store).
    pub end_lag: u64,
    pub status_ms: f64,
    /// Sync sessions of the load, failed ones, and their times (nearest rank).
    pub sessions: u64,
    pub session_failures: u64,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// From a session's return to its document's row in PostgreSQL (nearest rank; 0 when the row
    /// was there before the session returned).
    pub fresh_p50_ms: f64,
    pub fresh_p99_ms: f64,
    pub fresh_max_ms: f64,
    /// CPU seconds of PostgreSQL's processes (the bench's own connection aside).
    pub pg_cpu_s: f64,
    /// Warnings and errors in the server's log during the phase.
    pub server_log_warnings: u64,
}

/// The scenario: projection, then three live loads, then the check.
pub async fn sink(ctx: &Ctx) -> anyhow::Result<Vec<Row>> {
    let started = Instant::now();
    let n = ctx.sizes.sink_docs;
    let districts = ctx.sizes.sink_districts;
    let devices = ctx.sizes.sink_devices;
    if devices == 0 || devices > 800 {
        bail!("sink: {devices} devices (1–800 expected)");
    }
    let data = ctx.path("sink-server");
    std::fs::create_dir_all(&data)?;

    // PostgreSQL starts while the store is written.
    let cluster = tokio::task::spawn_blocking(|| -> anyhow::Result<TempCluster> {
        let t = Instant::now();
        let pg = TempCluster::start().context("start a throwaway PostgreSQL cluster")?;
        pg.create_database(DATABASE)?;
        note(format!(
            "PostgreSQL cluster on 127.0.0.1:{} in {:.1} s (initdb, pg_ctl start, createdb)",
            pg.port(),
            t.elapsed().as_secs_f64()
        ));
        Ok(pg)
    });
    let store_path = balai_server::store_path(&data);
    let path = store_path.clone();
    let built = tokio::task::spawn_blocking(move || crate::regency::build(&path, n, districts))
        .await
        .context("sink: build task")??;
    let changes: u64 = built.changes_per_district.iter().sum();
    note(format!(
        "built the store: {} trainings (32 changes each) in {districts} districts in {:.1} s; {:.1} MiB on disk — setup, not measured",
        built.total,
        built.took.as_secs_f64(),
        built.file_bytes as f64 / (1024.0 * 1024.0),
    ));
    let pg = cluster.await.context("sink: PostgreSQL task")??;
    let url = pg.url(DATABASE);
    let (source, latest) = {
        let store = Store::open(&store_path, None).context("open the built store")?;
        (store.id().to_string(), store.last_seq()?)
    };

    // The load's devices and an admin for `admin status`, enrolled before the server starts.
    let villages: Vec<VillageCode> = (0..devices)
        .map(|i| workload::village(LOAD_VILLAGES + i))
        .collect();
    let names: Vec<String> = (0..devices).map(|i| format!("hp-sink-{i:03}")).collect();
    let pairs: Vec<(&str, &str)> = names
        .iter()
        .zip(&villages)
        .map(|(name, v)| (name.as_str(), v.as_str()))
        .collect();
    let tokens = crate::access::enroll(&ctx.bins, &data, &pairs)?;
    let admin_token = {
        let access = Access::open(&balai_server::access_path(&data))?;
        access.add("bench-admin", Role::Admin, &[])?.1.0
    };
    let sink_args = [
        "--sink-postgres",
        url.as_str(),
        "--sink-batch",
        SINK_BATCH,
        "--sink-poll-ms",
        SINK_POLL_MS,
    ];

    // 1. Projection: from the server's start until the checkpoint reaches the last seq.
    let cpu0 = crate::server::cpu_secs(std::process::id());
    let t0 = Instant::now();
    let mut server = Server::start_args(&ctx.bins, &data, LOG_FILTER, &sink_args)?;
    let listening = t0.elapsed();
    let pgc = Arc::new(Pg::connect(&url).await?);
    let caught = pgc
        .wait_projected(&source, 0, latest, t0, deadline(n), &data)
        .await?;
    let server_cpu = server.cpu_secs();
    let client_cpu = crate::server::cpu_secs(std::process::id()) - cpu0;
    let rss = server.peak_rss_kib();
    let pg_cpu = pgc.cpu().await?;
    let mut admin = Admin::connect(&server, &admin_token).await?;
    let status = admin.sink().await?.context("the server runs no sink")?;
    let counts = pgc.counts().await?;
    let rows: u64 = counts.iter().map(|(_, c)| c).sum();
    let projected = counts.first().map_or(0, |(_, c)| *c);
    let db_mib = pgc.database_bytes().await? as f64 / (1024.0 * 1024.0);
    let early = server_log(&data, None)?;
    let secs = caught.done.as_secs_f64();
    let steady = caught
        .first
        .map(|(at, seq)| (latest - seq) as f64 / (caught.done - at).as_secs_f64().max(0.001));
    let per_doc = rows as f64 / projected.max(1) as f64;
    let all = projected == n as u64 && status.lag == 0 && status.connected;
    let figures = SinkFigures {
        phase: "projection".into(),
        sink_running: true,
        documents_expected: n as u64,
        documents_projected: projected,
        rows,
        rows_written: status.rows_written,
        docs_per_s: projected as f64 / secs,
        rows_per_s: rows as f64 / secs,
        lag_reached_zero: status.lag == 0,
        zero_lag_ms: secs * 1000.0,
        pg_cpu_s: pg_cpu,
        server_log_warnings: early.len() as u64,
        ..SinkFigures::default()
    };
    let mut out = vec![Row {
        scenario: format!("sink: project {}", label(n)),
        docs: n as u64,
        moved: status.documents_written,
        changes,
        wall_ms: secs * 1000.0,
        server_peak_rss_kib: rss,
        server_cpu_s: server_cpu,
        client_cpu_s: client_cpu,
        target: "every document projected, lag 0".into(),
        met: Some(all),
        detail: format!(
            "the server started on the store of {n} trainings with --sink-postgres (--sink-batch {SINK_BATCH}, --sink-poll-ms {SINK_POLL_MS}; listening after {} ms); lag 0 after {secs:.1} s: {:.0} documents/s, {:.0} rows/s ({} rows in {} tables, {per_doc:.1} per document: {}; the sink counted {}){}; database {db_mib:.0} MiB; PostgreSQL CPU {pg_cpu:.1} s; {} warnings in the server's log",
            listening.as_millis(),
            figures.docs_per_s,
            figures.rows_per_s,
            rows,
            TABLES.len(),
            counts
                .iter()
                .map(|(t, c)| format!("{t} {c}"))
                .collect::<Vec<_>>()
                .join(", "),
            status.rows_written,
            match (caught.first, steady) {
                (Some((at, _)), Some(rate)) => format!(
                    "; first batch committed {:.1} s after the start, {rate:.0} documents/s from there",
                    at.as_secs_f64()
                ),
                _ => String::new(),
            },
            early.len(),
        ),
        sink: Some(figures),
        ..Row::default()
    }];
    note(&out[0].detail);

    // 2. Live load: the sink caught up and no sink, alternately (`rounds` times each, so that
    // the machine's other work falls on both alike), then the sink re-projecting everything.
    let mut relay = Relay::start(server.addr).await?;
    let mut fleet = Vec::with_capacity(devices);
    for (name, token) in names.iter().zip(tokens) {
        fleet.push(Device::in_memory(name, relay.connection(token))?);
    }
    // First contact (not measured): each device learns the server.
    fleet = run_all(fleet, 64).await?.0;
    let mut load = Load {
        villages,
        period: ctx.sizes.sink_period,
        duration: ctx.sizes.sink_load,
        admin_token,
        source,
        stored: n as u64,
        seed: 110,
    };
    let mut warnings = Vec::new();
    let (mut on, mut off) = (Vec::new(), Vec::new());
    let mut t3 = Instant::now();
    for round in 1..=ctx.sizes.sink_rounds {
        let (back, run) = load.run(fleet, &server, &relay, &pgc, &data).await?;
        fleet = back;
        on.push(run);
        let log = if round == 1 {
            "1-projection-and-caught-up".to_owned()
        } else {
            format!("{round}-caught-up")
        };
        warnings.extend(server_log(&data, Some(&log))?);
        server.kill9()?;

        (server, relay) = restart(ctx, &data, &[], &mut fleet).await?;
        let (back, run) = load.run(fleet, &server, &relay, &pgc, &data).await?;
        fleet = back;
        off.push(run);
        warnings.extend(server_log(&data, Some(&format!("{round}-no-sink")))?);
        server.kill9()?;
        if round == ctx.sizes.sink_rounds {
            // The last server of the scenario re-projects everything.
            pgc.forget_everything().await?;
            t3 = Instant::now();
        }
        (server, relay) = restart(ctx, &data, &sink_args, &mut fleet).await?;
    }
    let (_, again) = load.run(fleet, &server, &relay, &pgc, &data).await?;
    let reprojected = again.caught_at.map_or_else(|| t3.elapsed(), |at| at - t3);
    warnings.extend(server_log(&data, Some("re-projecting"))?);
    server.kill9()?;
    drop(relay);

    // 3. Every document of the store in PostgreSQL, at its seq and heads; nothing else.
    let checked = verify(&store_path, &pgc).await?;
    note(format!(
        "all {checked} documents of the store are in PostgreSQL at their feed seq and heads, and no other"
    ));
    let what = format!(
        "{devices} devices, each recording one training (31 changes) and syncing every {:.1} s, staggered, for {:.1} s",
        load.period.as_secs_f64(),
        load.duration.as_secs_f64(),
    );
    let off_p99 = merge(&off).1.p99_ms.max(0.001);
    let again = vec![again];
    for (name, phase, runs) in [
        (
            "sink: live load, sink caught up".to_owned(),
            "caught-up",
            &on,
        ),
        ("sink: live load, no sink".to_owned(), "no-sink", &off),
        (
            format!("sink: live load, sink re-projecting {}", label(n)),
            "re-projecting",
            &again,
        ),
    ] {
        let (mut row, mut f) = merge(runs);
        row.scenario = name;
        f.phase = phase.into();
        let rounds = if runs.len() > 1 {
            let each: Vec<String> = runs
                .iter()
                .map(|r| {
                    let t = r.sorted_times();
                    format!(
                        "p50 {:.0} / p99 {:.0} ms",
                        ms(crate::hostile::percentile(&t, 0.5)),
                        ms(crate::hostile::percentile(&t, 0.99))
                    )
                })
                .collect();
            format!(" (by round: {})", each.join(", "))
        } else {
            String::new()
        };
        let sessions = format!(
            "{what}, {}: {} sessions, p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms{rounds}",
            if runs.len() == 1 {
                "once".to_owned()
            } else {
                format!("{} times", runs.len())
            },
            f.sessions,
            f.p50_ms,
            f.p99_ms,
            f.max_ms,
        );
        let lag = format!(
            "documents synced but not yet in PostgreSQL (looked at every {} ms): max {}, mean {:.1}; in PostgreSQL p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms after their session returned; admin status just after the load: lag {} (the call took {:.0} ms); lag 0 {:.0} ms after the load's last session",
            TABLES_EVERY.as_millis(),
            f.max_waiting,
            f.mean_waiting,
            f.fresh_p50_ms,
            f.fresh_p99_ms,
            f.fresh_max_ms,
            f.end_lag,
            f.status_ms,
            f.zero_lag_ms
        );
        row.detail = if f.sink_running {
            row.target = "lag back to 0, every document projected".into();
            row.met = Some(f.lag_reached_zero && f.documents_projected == f.documents_expected);
            let ratio = f.p99_ms / off_p99;
            if phase == "re-projecting" {
                f.docs_per_s = checked as f64 / reprojected.as_secs_f64().max(0.001);
                format!(
                    "{sessions}, {ratio:.2}× the p99 without the sink, while the sink projects all {checked} documents again from scratch (tables truncated, checkpoint deleted); {lag}; all projected {:.1} s after the server's start ({:.0} documents/s under the load); PostgreSQL CPU {:.1} s",
                    reprojected.as_secs_f64(),
                    f.docs_per_s,
                    f.pg_cpu_s
                )
            } else {
                format!(
                    "{sessions}, {ratio:.2}× the p99 without the sink; {lag}; PostgreSQL CPU {:.1} s",
                    f.pg_cpu_s
                )
            }
        } else {
            format!("{sessions}; the same server restarted without --sink-postgres")
        };
        note(format!("{}: {}", row.scenario, row.detail));
        row.sink = Some(f);
        out.push(row);
    }
    for w in warnings.iter().take(5) {
        note(format!("server log: {w}"));
    }
    if let Some(Row {
        sink: Some(f),
        detail,
        ..
    }) = out.last_mut()
    {
        f.server_log_warnings = warnings.len() as u64;
        detail.push_str(&format!(
            "; then checked: all {checked} documents of the store in PostgreSQL at their seq and heads; {} warnings in the server's logs in all",
            warnings.len()
        ));
    }
    drop(pg);
    note(format!(
        "sink: {:.1} s in all, {:.1} s of it building the store",
        started.elapsed().as_secs_f64(),
        built.took.as_secs_f64()
    ));
    Ok(out)
}

/// Start the server again on `data` with `args`, and point every device at its new relay.
async fn restart(
    ctx: &Ctx,
    data: &Path,
    args: &[&str],
    fleet: &mut [Device],
) -> anyhow::Result<(Server, Relay)> {
    let server = Server::start_args(&ctx.bins, data, LOG_FILTER, args)?;
    let relay = Relay::start(server.addr).await?;
    for d in fleet {
        d.conn.url = relay.url();
    }
    Ok((server, relay))
}

/// How long the sink may take to project `n` documents: 10 ms each (it projects about 300 a
/// second in a release build on 2 busy cores), plus a minute.
fn deadline(n: usize) -> Duration {
    Duration::from_secs(60) + Duration::from_millis(10 * n as u64)
}

/// The live load: what every run shares.
#[derive(Debug)]
struct Load {
    villages: Vec<VillageCode>,
    period: Duration,
    duration: Duration,
    admin_token: String,
    source: String,
    /// Documents the server stores before the next run.
    stored: u64,
    seed: u64,
}

/// What one run of the live load measured.
#[derive(Debug, Default)]
struct Run {
    sink_running: bool,
    sessions: Vec<Session>,
    /// From each pushed document's session return to its first sighting in PostgreSQL.
    fresh: Vec<Duration>,
    /// Documents synced (their session returned) but not yet in PostgreSQL, every
    /// [`TABLES_EVERY`] of the load.
    waiting: Vec<u64>,
    /// The lag `admin status` gave just after the load, and how long the call took.
    end_lag: u64,
    status: Duration,
    /// From the load's last session to the sink's checkpoint at the store's last seq.
    zero_lag: Option<Duration>,
    caught_at: Option<Instant>,
    wall: Duration,
    wire: crate::relay::Wire,
    cpu: (f64, f64),
    pg_cpu: f64,
    rss: u64,
    stored: u64,
}

impl Run {
    fn sorted_times(&self) -> Vec<Duration> {
        let mut t: Vec<Duration> = self.sessions.iter().map(|s| s.took).collect();
        t.sort();
        t
    }

    fn pushed(&self) -> impl Iterator<Item = &Session> {
        self.sessions.iter().filter(|s| s.report.is_ok())
    }
}

/// One sync of one device during the load.
#[derive(Debug)]
struct Session {
    took: Duration,
    /// When the session returned.
    done: Instant,
    /// The training recorded before it, and its changes.
    doc: String,
    changes: u64,
    report: Result<SyncReport, String>,
}

impl Load {
    /// Run the load against `server`: every device syncs every `period` (staggered) until
    /// `duration` has passed, while the bench looks for the load's documents in PostgreSQL.
    /// With the sink running, wait first until it has caught up, and after the load until it
    /// has projected everything.
    async fn run(
        &mut self,
        fleet: Vec<Device>,
        server: &Server,
        relay: &Relay,
        pg: &Arc<Pg>,
        data: &Path,
    ) -> anyhow::Result<(Vec<Device>, Run)> {
        let mut admin = Admin::connect(server, &self.admin_token).await?;
        let sink_running = admin.sink().await?.is_some();
        let limit = deadline(usize::try_from(self.stored).unwrap_or(usize::MAX));
        if sink_running && pg.checkpoint(&self.source).await?.is_some() {
            // A sink that resumes first catches up on what ran without it.
            let latest = admin.latest().await?;
            pg.wait_projected(&self.source, 0, latest, Instant::now(), limit, data)
                .await?;
        }
        let (stop, stopped) = watch::channel(false);
        let villages: Vec<String> = self.villages.iter().map(ToString::to_string).collect();
        let watcher = tokio::spawn(watch_tables(pg.clone(), villages.clone(), stopped));

        server.reset_peak();
        let w0 = relay.wire();
        let cpu0 = cpu_now(server);
        let pg0 = pg.cpu().await?;
        let start = Instant::now();
        let end = start + self.duration;
        let mut tasks = Vec::with_capacity(fleet.len());
        for (i, (mut d, village)) in fleet.into_iter().zip(self.villages.clone()).enumerate() {
            let period = self.period;
            let mut rng = StdRng::seed_from_u64(self.seed + i as u64);
            tasks.push(tokio::spawn(async move {
                let mut next = start + period.mul_f64(rng.random::<f64>());
                let mut sessions = Vec::new();
                // No session starts at or after `end`, and none is waited for then: the task
                // ends with its last session.
                while next < end {
                    tokio::time::sleep_until(next.into()).await;
                    let recorded = workload::record_many(
                        &d.store,
                        &village,
                        &[Record::Training(TrainingShape::TWENTY_CHECK_INS)],
                        &d.name,
                        &mut rng,
                        1,
                    );
                    let recorded = match recorded {
                        Ok(r) => r,
                        Err(e) => return (d, Err(e)),
                    };
                    let t = Instant::now();
                    let report = d.sync().await.map_err(|e| format!("{e:#}"));
                    let done = Instant::now();
                    sessions.push(Session {
                        took: done - t,
                        done,
                        doc: recorded
                            .ids
                            .first()
                            .map(ToString::to_string)
                            .unwrap_or_default(),
                        changes: recorded.changes,
                        report,
                    });
                    next = (next + period).max(done);
                }
                (d, Ok(sessions))
            }));
        }
        let mut back = Vec::with_capacity(tasks.len());
        let mut sessions = Vec::new();
        for task in tasks {
            let (d, s) = task.await?;
            sessions.extend(s.with_context(|| format!("{}: record a training", d.name))?);
            back.push(d);
        }
        let last = sessions.iter().map(|s| s.done).max().unwrap_or(start);
        let mut run = Run {
            sink_running,
            wall: last - start,
            cpu: cpu_since(server, cpu0),
            wire: relay.wire() - w0,
            rss: server.peak_rss_kib(),
            pg_cpu: pg.cpu().await? - pg0,
            ..Run::default()
        };

        // With the sink: what an operator sees now, then until it holds everything.
        if sink_running {
            let t = Instant::now();
            let status = admin.sink().await?.context("the sink went away")?;
            run.status = t.elapsed();
            run.end_lag = status.lag;
            let after = pg
                .wait_projected(&self.source, 0, status.latest_seq, last, limit, data)
                .await?;
            run.zero_lag = Some(after.done);
            run.caught_at = Some(last + after.done);
        }
        stop.send_replace(true);
        let mut seen = watcher.await??;
        pg.look(&villages, &mut seen).await?;

        let failures: Vec<&str> = sessions
            .iter()
            .filter_map(|s| s.report.as_ref().err().map(String::as_str))
            .collect();
        if let Some(first) = failures.first() {
            note(format!(
                "{} of {} sessions failed, e.g. {first}",
                failures.len(),
                sessions.len()
            ));
        }
        run.sessions = sessions;
        let events: Vec<(Instant, Option<Instant>)> = run
            .pushed()
            .map(|s| (s.done, seen.get(&s.doc).copied()))
            .collect();
        run.fresh = events
            .iter()
            .filter_map(|(done, at)| at.map(|at| at.saturating_duration_since(*done)))
            .collect();
        run.fresh.sort();
        // Documents waiting at each look of the watcher during the load (with a sink to wait for).
        let mut t = start;
        while sink_running && t <= last {
            let waiting = events
                .iter()
                .filter(|(done, at)| *done <= t && at.is_none_or(|at| at > t))
                .count();
            run.waiting.push(waiting as u64);
            t += TABLES_EVERY;
        }
        self.stored += run.pushed().count() as u64;
        run.stored = self.stored;
        self.seed += 1000;
        Ok((back, run))
    }
}

/// The runs of one condition as one row: sessions pooled, bytes and CPU summed.
fn merge(runs: &[Run]) -> (Row, SinkFigures) {
    let mut times: Vec<Duration> = runs.iter().flat_map(Run::sorted_times).collect();
    times.sort();
    let mut fresh: Vec<Duration> = runs.iter().flat_map(|r| r.fresh.clone()).collect();
    fresh.sort();
    let waiting: Vec<u64> = runs.iter().flat_map(|r| r.waiting.clone()).collect();
    let ok: Vec<&SyncReport> = runs
        .iter()
        .flat_map(|r| r.sessions.iter().filter_map(|s| s.report.as_ref().ok()))
        .collect();
    let pct = |sorted: &[Duration], p: f64| ms(crate::hostile::percentile(sorted, p));
    let sink_running = runs.iter().all(|r| r.sink_running);
    let pushed = runs.iter().map(|r| r.pushed().count() as u64).sum::<u64>();
    let figures = SinkFigures {
        sink_running,
        documents_expected: if sink_running { pushed } else { 0 },
        documents_projected: fresh.len() as u64,
        lag_reached_zero: sink_running && runs.iter().all(|r| r.zero_lag.is_some()),
        zero_lag_ms: runs.iter().filter_map(|r| r.zero_lag).max().map_or(0.0, ms),
        max_waiting: waiting.iter().copied().max().unwrap_or(0),
        mean_waiting: waiting.iter().sum::<u64>() as f64 / waiting.len().max(1) as f64,
        end_lag: runs.iter().map(|r| r.end_lag).max().unwrap_or(0),
        status_ms: runs.iter().map(|r| r.status).max().map_or(0.0, ms),
        sessions: times.len() as u64,
        session_failures: (times.len() - ok.len()) as u64,
        p50_ms: pct(&times, 0.5),
        p99_ms: pct(&times, 0.99),
        max_ms: pct(&times, 1.0),
        fresh_p50_ms: pct(&fresh, 0.5),
        fresh_p99_ms: pct(&fresh, 0.99),
        fresh_max_ms: pct(&fresh, 1.0),
        pg_cpu_s: runs.iter().map(|r| r.pg_cpu).sum(),
        ..SinkFigures::default()
    };
    let row = Row {
        docs: runs.iter().map(|r| r.stored).max().unwrap_or(0),
        moved: ok.iter().map(|r| r.docs_sent + r.docs_received).sum(),
        changes: runs
            .iter()
            .flat_map(|r| r.pushed().map(|s| s.changes))
            .sum(),
        app_up: ok.iter().map(|r| r.doc_bytes_sent).sum(),
        app_down: ok.iter().map(|r| r.doc_bytes_received).sum(),
        wire_up: runs.iter().map(|r| r.wire.up).sum(),
        wire_down: runs.iter().map(|r| r.wire.down).sum(),
        round_trips: ok.iter().map(|r| r.round_trips).max().unwrap_or(0),
        wall_ms: runs.iter().map(|r| ms(r.wall)).sum(),
        server_peak_rss_kib: runs.iter().map(|r| r.rss).max().unwrap_or(0),
        server_cpu_s: runs.iter().map(|r| r.cpu.0).sum(),
        client_cpu_s: runs.iter().map(|r| r.cpu.1).sum(),
        ..Row::default()
    };
    (row, figures)
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// Look for the load's documents in PostgreSQL every [`TABLES_EVERY`] until `stopped`: when each
/// one was first seen.
async fn watch_tables(
    pg: Arc<Pg>,
    villages: Vec<String>,
    mut stopped: watch::Receiver<bool>,
) -> anyhow::Result<HashMap<String, Instant>> {
    let mut seen = HashMap::new();
    let mut tick = tokio::time::interval(TABLES_EVERY);
    tick.set_missed_tick_behavior(tokio::time::MissedTickBehavior::Delay);
    loop {
        tokio::select! {
            _ = tick.tick() => {}
            _ = stopped.wait_for(|s| *s) => break,
        }
        pg.look(&villages, &mut seen).await?;
    }
    Ok(seen)
}

/// The warning and error lines of the running server's log (but the one about running without
/// TLS, which a loopback benchmark does on purpose). With a phase, the log is kept as
/// `server-PHASE.log`: the next start truncates `server.log`.
fn server_log(data: &Path, phase: Option<&str>) -> anyhow::Result<Vec<String>> {
    let log = std::fs::read_to_string(data.join("server.log")).unwrap_or_default();
    if let Some(phase) = phase {
        std::fs::write(data.join(format!("server-{phase}.log")), &log)?;
    }
    Ok(log
        .lines()
        .filter(|l| {
            l.split_whitespace()
                .take(3)
                .any(|w| w == "WARN" || w == "ERROR")
                && !l.contains("NO TLS")
        })
        .map(|l| format!("{}: {l}", phase.unwrap_or("projection")))
        .collect())
}

/// Open the store of the stopped server and compare every document with its row in
/// PostgreSQL: same feed seq, same heads, and no row for a document the store lacks.
async fn verify(store_path: &Path, pg: &Pg) -> anyhow::Result<u64> {
    let path = store_path.to_owned();
    let want = tokio::task::spawn_blocking(move || -> anyhow::Result<HashMap<String, Version>> {
        let store = Store::open(&path, None)?;
        Ok(store
            .docs()?
            .into_iter()
            .map(|(id, r)| {
                let mut heads: Vec<String> = r.heads.iter().map(|h| hex(h)).collect();
                heads.sort();
                (id.to_string(), (r.seq, heads))
            })
            .collect())
    })
    .await??;
    let have = pg.versions().await?;
    let mut wrong: Vec<String> = Vec::new();
    for (id, version) in &want {
        match have.get(id) {
            None => wrong.push(format!("{id}: not in PostgreSQL")),
            Some(v) if v != version => wrong.push(format!(
                "{id}: PostgreSQL has seq {} heads {:?}, the store seq {} heads {:?}",
                v.0, v.1, version.0, version.1
            )),
            Some(_) => {}
        }
    }
    wrong.extend(
        have.keys()
            .filter(|id| !want.contains_key(*id))
            .map(|id| format!("{id}: in PostgreSQL, not in the store")),
    );
    if !wrong.is_empty() {
        bail!(
            "the projection differs from the store for {} of {} documents: {}",
            wrong.len(),
            want.len(),
            wrong.iter().take(5).cloned().collect::<Vec<_>>().join("; ")
        );
    }
    Ok(want.len() as u64)
}

/// A document's version: feed seq and sorted heads (hex).
type Version = (u64, Vec<String>);

fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

/// The bench's own `admin status` client, straight to the server (not through the relay).
struct Admin {
    client: BalaiAdminClient<AuthedChannel>,
}

impl Admin {
    async fn connect(server: &Server, token: &str) -> anyhow::Result<Self> {
        let conn = balai_net::client::Connection {
            url: format!("http://{}", server.addr),
            token: Some(token.to_owned()),
            ..Default::default()
        };
        let channel = balai_net::client::connect(&conn)
            .await
            .map_err(|e| anyhow::anyhow!("admin connection: {e}"))?;
        Ok(Self {
            client: BalaiAdminClient::new(channel),
        })
    }

    /// The sink's part of `admin status` (`None`: the server runs no sink).
    async fn sink(&mut self) -> anyhow::Result<Option<v1::SinkStatus>> {
        Ok(self
            .client
            .status(v1::StatusRequest {})
            .await
            .context("admin status")?
            .into_inner()
            .sink)
    }

    /// The store's last feed seq, as the sink's status gives it.
    async fn latest(&mut self) -> anyhow::Result<u64> {
        Ok(self
            .sink()
            .await?
            .context("the server runs no sink")?
            .latest_seq)
    }
}

/// The bench's own connection to PostgreSQL, to watch the sink's checkpoint and tables.
struct Pg {
    client: tokio_postgres::Client,
}

/// When a checkpoint was reached: since the given instant, the first committed batch (when,
/// and the checkpoint it left) and the target.
#[derive(Debug)]
struct Caught {
    first: Option<(Duration, u64)>,
    done: Duration,
}

impl Pg {
    async fn connect(url: &str) -> anyhow::Result<Self> {
        Ok(Self {
            client: balai_sink::connect(url).await?,
        })
    }

    /// The checkpoint of `source`; `None` before the sink has migrated the schema or written.
    async fn checkpoint(&self, source: &str) -> anyhow::Result<Option<u64>> {
        let row = self
            .client
            .query_opt(
                "SELECT feed_seq FROM sink_checkpoint WHERE source = $1",
                &[&source],
            )
            .await;
        match row {
            Ok(row) => Ok(row.map(|r| u64::try_from(r.get::<_, i64>(0)).unwrap_or(0))),
            Err(e) if e.code() == Some(&SqlState::UNDEFINED_TABLE) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }

    /// Poll the checkpoint of `source` until it reaches `seq`, measured from `since`; an error
    /// with the server's log after `limit`.
    async fn wait_projected(
        &self,
        source: &str,
        from: u64,
        seq: u64,
        since: Instant,
        limit: Duration,
        data: &Path,
    ) -> anyhow::Result<Caught> {
        let mut first = None;
        loop {
            let now = self.checkpoint(source).await?.unwrap_or(0);
            let at = since.elapsed();
            if first.is_none() && now > from {
                first = Some((at, now));
            }
            if now >= seq {
                return Ok(Caught { first, done: at });
            }
            if at > limit {
                let log = std::fs::read_to_string(data.join("server.log")).unwrap_or_default();
                let tail: Vec<&str> = log.lines().rev().take(10).collect();
                bail!(
                    "the sink's checkpoint is {now} of {seq} after {:.0} s; the server's log ends:\n{}",
                    at.as_secs_f64(),
                    tail.into_iter().rev().collect::<Vec<_>>().join("\n")
                );
            }
            tokio::time::sleep(CHECKPOINT_EVERY).await;
        }
    }

    /// Rows per table of the projection.
    async fn counts(&self) -> anyhow::Result<Vec<(&'static str, u64)>> {
        let mut out = Vec::with_capacity(TABLES.len());
        for table in TABLES {
            let row = self
                .client
                .query_one(&format!("SELECT count(*) FROM {table}"), &[])
                .await?;
            out.push((*table, u64::try_from(row.get::<_, i64>(0)).unwrap_or(0)));
        }
        Ok(out)
    }

    async fn database_bytes(&self) -> anyhow::Result<u64> {
        let row = self
            .client
            .query_one("SELECT pg_database_size(current_database())", &[])
            .await?;
        Ok(u64::try_from(row.get::<_, i64>(0)).unwrap_or(0))
    }

    /// CPU seconds so far of PostgreSQL's processes (`pg_stat_activity`: backends and background
    /// processes; this connection's backend aside).
    async fn cpu(&self) -> anyhow::Result<f64> {
        let rows = self
            .client
            .query(
                "SELECT pid FROM pg_stat_activity WHERE pid <> pg_backend_pid()",
                &[],
            )
            .await?;
        Ok(rows
            .iter()
            .filter_map(|r| u32::try_from(r.get::<_, i32>(0)).ok())
            .map(crate::server::cpu_secs)
            .sum())
    }

    /// Record when each document of `villages` is first seen in `documents`.
    async fn look(
        &self,
        villages: &[String],
        seen: &mut HashMap<String, Instant>,
    ) -> anyhow::Result<()> {
        let rows = self
            .client
            .query(
                "SELECT doc_id FROM documents WHERE village = ANY($1)",
                &[&villages],
            )
            .await;
        let rows = match rows {
            Ok(rows) => rows,
            Err(e) if e.code() == Some(&SqlState::UNDEFINED_TABLE) => return Ok(()),
            Err(e) => return Err(e.into()),
        };
        let now = Instant::now();
        for r in rows {
            seen.entry(r.get::<_, String>(0)).or_insert(now);
        }
        Ok(())
    }

    /// Empty the projection and delete every checkpoint: the next sink projects everything.
    async fn forget_everything(&self) -> anyhow::Result<()> {
        self.client
            .batch_execute("TRUNCATE documents CASCADE; DELETE FROM sink_checkpoint;")
            .await?;
        Ok(())
    }

    /// Every projected document's feed seq and sorted heads.
    async fn versions(&self) -> anyhow::Result<HashMap<String, Version>> {
        let rows = self
            .client
            .query("SELECT doc_id, feed_seq, heads FROM documents", &[])
            .await?;
        Ok(rows
            .iter()
            .map(|r| {
                let mut heads: Vec<String> = r.get(2);
                heads.sort();
                (
                    r.get::<_, String>(0),
                    (u64::try_from(r.get::<_, i64>(1)).unwrap_or(0), heads),
                )
            })
            .collect())
    }
}
