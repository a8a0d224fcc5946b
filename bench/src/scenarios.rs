//! The scenarios: each starts a real `balai-server` on a temporary data dir and drives real
//! client sessions through the counting relay, producing one [`Row`] per measured sync.

use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use balai_net::client::SyncReport;
use balai_shared::store::Store;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};

use crate::client::Device;
use crate::relay::Relay;
use crate::report::Row;
use crate::server::{Binaries, Server};
use crate::workload::{self, Record, TrainingShape};
use crate::{access, baseline};

/// How big each scenario is.
#[derive(Clone, Copy, Debug)]
pub struct Sizes {
    /// Documents for noop-reconnect, one-change, baseline and initial-10k.
    pub corpus: usize,
    /// Documents for the large-corpus rows (upload, initial, no-op, store open).
    pub large_corpus: usize,
    /// Documents in the village of initial-village.
    pub village: usize,
    /// Devices syncing at once in many-devices, and how many rounds of that.
    pub devices: usize,
    pub waves: usize,
    /// Documents of the legitimate device in hostile, and its syncs per phase.
    pub hostile_docs: usize,
    pub hostile_syncs: usize,
    /// Documents on the regency server in regency, and the districts they are spread over.
    pub regency_docs: usize,
    pub regency_districts: usize,
    /// Documents the sink projects in sink (over as many districts of 10 villages), and its live
    /// load: devices, how often each one syncs, and for how long.
    pub sink_docs: usize,
    pub sink_districts: usize,
    pub sink_devices: usize,
    pub sink_period: Duration,
    pub sink_load: Duration,
    /// Live loads with the sink caught up and without it, alternately, this many times each.
    pub sink_rounds: usize,
}

impl Sizes {
    pub const FULL: Sizes = Sizes {
        corpus: 10_000,
        large_corpus: 100_000,
        village: 200,
        devices: 1_000,
        waves: 3,
        hostile_docs: 200,
        hostile_syncs: 60,
        regency_docs: 100_000,
        regency_districts: 20,
        sink_docs: 100_000,
        sink_districts: 20,
        sink_devices: 100,
        sink_period: Duration::from_secs(2),
        sink_load: Duration::from_secs(10),
        sink_rounds: 2,
    };
    /// Small enough for a debug build on 2 cores in well under a minute.
    pub const QUICK: Sizes = Sizes {
        corpus: 200,
        large_corpus: 300,
        village: 12,
        devices: 20,
        waves: 2,
        hostile_docs: 12,
        hostile_syncs: 10,
        regency_docs: 2_000,
        regency_districts: 4,
        sink_docs: 1_000,
        sink_districts: 2,
        sink_devices: 10,
        sink_period: Duration::from_millis(500),
        sink_load: Duration::from_millis(1500),
        sink_rounds: 1,
    };
}

/// Everything a scenario needs.
#[derive(Debug)]
pub struct Ctx {
    pub bins: Binaries,
    pub sizes: Sizes,
    pub dir: tempfile::TempDir,
}

impl Ctx {
    pub(crate) fn path(&self, name: &str) -> std::path::PathBuf {
        self.dir.path().join(name)
    }
}

/// Run one sync of `device` and turn its report, the relay's byte counts and the server's peak
/// memory into a row.
async fn measured(
    name: &str,
    device: &mut Device,
    server: &Server,
    relay: &Relay,
) -> anyhow::Result<(Row, SyncReport)> {
    server.reset_peak();
    let w0 = relay.wire();
    let cpu0 = cpu_now(server);
    let t = Instant::now();
    let report = device
        .sync()
        .await
        .with_context(|| format!("{name}: sync"))?;
    let wall = t.elapsed();
    let wire = relay.wire() - w0;
    let cpu = cpu_since(server, cpu0);
    let row = Row {
        scenario: name.to_owned(),
        docs: device.store.doc_count()?,
        moved: report.docs_sent + report.docs_received,
        app_up: report.doc_bytes_sent,
        app_down: report.doc_bytes_received,
        wire_up: wire.up,
        wire_down: wire.down,
        round_trips: report.round_trips,
        wall_ms: wall.as_secs_f64() * 1000.0,
        server_peak_rss_kib: server.peak_rss_kib(),
        server_cpu_s: cpu.0,
        client_cpu_s: cpu.1,
        ..Row::default()
    };
    Ok((row, report))
}

/// CPU seconds used so far by the server and by this process.
pub(crate) fn cpu_now(server: &Server) -> (f64, f64) {
    (
        server.cpu_secs(),
        crate::server::cpu_secs(std::process::id()),
    )
}

pub(crate) fn cpu_since(server: &Server, before: (f64, f64)) -> (f64, f64) {
    let now = cpu_now(server);
    (now.0 - before.0, now.1 - before.1)
}

pub(crate) fn note(msg: impl std::fmt::Display) {
    eprintln!("  · {msg}");
}

/// A server of one district, a seed device holding `n` trainings (not yet pushed), a fresh
/// device, and a fresh device that syncs without compression.
struct Corpus {
    server: Server,
    relay: Relay,
    seed: Device,
    fresh: Device,
    plain: Device,
    recorded: workload::Recorded,
}

impl Corpus {
    async fn build(ctx: &Ctx, n: usize, name: &str) -> anyhow::Result<Corpus> {
        let data = ctx.path(&format!("{name}-server"));
        // The district's facilitators: everything under 18.01.01 is in scope.
        let tokens = access::enroll(
            &ctx.bins,
            &data,
            &[
                ("hp-seed", "18.01.01"),
                ("hp-fresh", "18.01.01"),
                ("hp-plain", "18.01.01"),
            ],
        )?;
        let server = Server::start(&ctx.bins, &data)?;
        let relay = Relay::start(server.addr).await?;
        let conn_a = relay.connection(tokens[0].clone());
        let conn_b = relay.connection(tokens[1].clone());
        let seed = Device::on_disk(&ctx.path(&format!("{name}-a")), "hp-seed", conn_a)?;
        let fresh = Device::on_disk(&ctx.path(&format!("{name}-b")), "hp-fresh", conn_b)?;
        let mut conn_c = relay.connection(tokens[2].clone());
        conn_c.compression = balai_net::client::Compression::Off;
        let plain = Device::on_disk(&ctx.path(&format!("{name}-c")), "hp-plain", conn_c)?;
        let recorded = record_trainings(&seed, n).await?;
        Ok(Corpus {
            server,
            relay,
            seed,
            fresh,
            plain,
            recorded,
        })
    }
}

impl Corpus {
    /// The seed device pushes every training; then the fresh device downloads them from empty.
    async fn upload_then_download(&mut self) -> anyhow::Result<[Row; 2]> {
        let n = self.recorded.ids.len();
        let (mut up, _) = measured("upload", &mut self.seed, &self.server, &self.relay).await?;
        up.scenario = format!("upload-{}", label(n));
        up.changes = self.recorded.changes;
        up.detail = "the seed device pushes every training".into();
        let (mut down, _) = measured("initial", &mut self.fresh, &self.server, &self.relay).await?;
        down.scenario = format!("initial-{}", label(n));
        down.changes = self.recorded.changes;
        if down.docs != n as u64 {
            bail!("initial sync left {} of {n} documents", down.docs);
        }
        down.detail = format!(
            "from empty, {n} trainings with 20 check-ins each; {:.0} wire bytes per document",
            (down.wire_up + down.wire_down) as f64 / n as f64
        );
        Ok([up, down])
    }
}

/// Record `n` benchmark trainings (20 check-ins each) on `device`, over 100 villages.
async fn record_trainings(device: &Device, n: usize) -> anyhow::Result<workload::Recorded> {
    let t = Instant::now();
    let store = device.store.clone();
    let recorded = tokio::task::spawn_blocking(move || {
        let mut rng = StdRng::seed_from_u64(10);
        let records: Vec<Record> = (0..n)
            .map(|_| Record::Training(TrainingShape::TWENTY_CHECK_INS))
            .collect();
        // Spread over 100 villages of one district; each training is its own document.
        let mut all = workload::Recorded::default();
        for (v, chunk) in records.chunks(n.div_ceil(100)).enumerate() {
            let r = workload::record_many(
                &store,
                &workload::village(v),
                chunk,
                "hp-seed",
                &mut rng,
                250,
            )?;
            all.ids.extend(r.ids);
            all.changes += r.changes;
        }
        anyhow::Ok(all)
    })
    .await??;
    note(format!(
        "recorded {n} trainings ({} changes) on the seed device in {:.1} s",
        recorded.changes,
        t.elapsed().as_secs_f64()
    ));
    Ok(recorded)
}

/// noop-reconnect, one-change, initial-10k, their automerge-repo-style baselines, and the upload
/// that builds the server's 10,000 documents.
pub async fn corpus(ctx: &Ctx) -> anyhow::Result<Vec<Row>> {
    let n = ctx.sizes.corpus;
    let mut corpus = Corpus::build(ctx, n, "corpus").await?;
    let [mut up, mut initial] = corpus.upload_then_download().await?;
    up.detail = format!("setup for the rows below: {}", up.detail);
    initial.target = "< 2 s and < 4.5 MB on the wire".into();
    initial.met = Some(initial.wall_ms < 2000.0 && initial.wire_up + initial.wire_down < 4_500_000);
    let mut rows = vec![up, initial];
    let Corpus {
        server,
        relay,
        seed: mut a,
        fresh: mut b,
        plain: mut c,
        recorded,
    } = corpus;

    // The same download with gRPC compression off (`balai sync --no-compression`): automerge
    // documents are compressed already, so this shows what gzip costs and saves.
    let (mut row, _) = measured("initial-10k", &mut c, &server, &relay).await?;
    row.scenario = format!("initial-{} no gzip", label(n));
    row.changes = recorded.changes;
    let wire_total = row.wire_up + row.wire_down;
    row.detail = format!(
        "like the row above with `--no-compression`; {:.0} wire bytes per document",
        wire_total as f64 / n as f64
    );
    rows.push(row);

    let (mut row, _) = measured("noop-reconnect", &mut b, &server, &relay).await?;
    row.target = "1 round trip, < 1 KiB each way".into();
    row.met = Some(row.round_trips == 1 && row.wire_up < 1024 && row.wire_down < 1024);
    let noop = row.clone();
    rows.push(row);

    // The same no-op, the automerge-repo way.
    let noop_base = baseline_row("baseline-noop", &mut b, &server, &relay).await?;
    rows.push(with_ratio(noop_base, &noop));

    // One late check-in on the seed device, pushed.
    let mut rng = StdRng::seed_from_u64(11);
    let target_doc = recorded.ids[n / 2].clone();
    workload::late_check_in(&a.store, &target_doc, "hp-seed", &mut rng)?;
    let (mut row, report) = measured("one-change", &mut a, &server, &relay).await?;
    row.changes = 1;
    let change = report.change_bytes_sent;
    let limit = 2 * change + 512;
    let app = row.app_up + row.app_down;
    let wire = row.wire_up + row.wire_down;
    row.target = format!("< 2×change + 512 B = {limit} B");
    row.met = Some(app < limit && wire < limit);
    row.detail = format!(
        "the change is {change} B; application bytes {app} B ({}), wire bytes {wire} B ({})",
        if app < limit { "met" } else { "missed" },
        if wire < limit { "met" } else { "missed" }
    );
    let one = row.clone();
    rows.push(row);

    // Another late check-in, pushed the automerge-repo way.
    let target_doc = recorded.ids[n / 3].clone();
    workload::late_check_in(&a.store, &target_doc, "hp-seed", &mut rng)?;
    let mut base = baseline_row("baseline-one-change", &mut a, &server, &relay).await?;
    base.changes = 1;
    rows.push(with_ratio(base, &one));
    Ok(rows)
}

/// The same upload, download and no-op reconnect at `Sizes::large_corpus` (100,000) documents:
/// the server's peak memory must not grow with the documents stored, the no-op must stay one
/// round trip, and the stores must open quickly.
pub async fn corpus_large(ctx: &Ctx) -> anyhow::Result<Vec<Row>> {
    let n = ctx.sizes.large_corpus;
    let mut corpus = Corpus::build(ctx, n, "large").await?;
    let mut rows = corpus.upload_then_download().await?.to_vec();
    let Corpus {
        server,
        relay,
        fresh: mut b,
        ..
    } = corpus;

    let (mut row, _) = measured("noop", &mut b, &server, &relay).await?;
    row.scenario = format!("noop-reconnect-{}", label(n));
    row.target = "1 round trip, < 1 KiB each way".into();
    row.met = Some(row.round_trips == 1 && row.wire_up < 1024 && row.wire_down < 1024);
    rows.push(row);

    // Opening what was synced: the fresh device's store in this process, then the server's, by
    // restarting it (to the line saying it listens).
    let path = ctx.path("large-b").join("balai.redb");
    drop(b);
    let t = Instant::now();
    let reopened = Store::open(&path, None)?;
    let device_open = t.elapsed();
    let docs = reopened.doc_count()?;
    drop(reopened);
    drop(relay);
    drop(server);
    let t = Instant::now();
    let server = Server::start(&ctx.bins, &ctx.path("large-server"))?;
    let server_open = t.elapsed();
    rows.push(Row {
        scenario: format!("store-open-{}", label(n)),
        docs,
        wall_ms: device_open.as_secs_f64() * 1000.0,
        server_peak_rss_kib: server.peak_rss_kib(),
        detail: format!(
            "the device's store opens in {:.0} ms; the server restarts to listening in {:.0} ms \
             (peak RSS by then in the RSS column)",
            device_open.as_secs_f64() * 1000.0,
            server_open.as_secs_f64() * 1000.0
        ),
        ..Row::default()
    });
    Ok(rows)
}

pub(crate) fn label(n: usize) -> String {
    if n >= 1000 && n.is_multiple_of(1000) {
        format!("{}k", n / 1000)
    } else {
        n.to_string()
    }
}

async fn baseline_row(
    name: &str,
    device: &mut Device,
    server: &Server,
    relay: &Relay,
) -> anyhow::Result<Row> {
    let peer = device.server.context("the device has synced before")?;
    server.reset_peak();
    let w0 = relay.wire();
    let cpu0 = cpu_now(server);
    let t = Instant::now();
    let r = baseline::sync(device.store.clone(), &device.conn, &device.name, peer).await?;
    let wall = t.elapsed();
    let wire = relay.wire() - w0;
    let cpu = cpu_since(server, cpu0);
    Ok(Row {
        scenario: name.to_owned(),
        docs: r.docs,
        moved: u64::from(r.change_bytes_sent > 0),
        app_up: r.doc_bytes_sent,
        app_down: r.doc_bytes_received,
        wire_up: wire.up,
        wire_down: wire.down,
        round_trips: r.round_trips,
        wall_ms: wall.as_secs_f64() * 1000.0,
        server_peak_rss_kib: server.peak_rss_kib(),
        server_cpu_s: cpu.0,
        client_cpu_s: cpu.1,
        ..Row::default()
    })
}

fn with_ratio(mut base: Row, ours: &Row) -> Row {
    let ratio = |a: u64, b: u64| a as f64 / b.max(1) as f64;
    base.detail = format!(
        "vs {}: {:.0}× the wire bytes, {:.1}× the wall time, {} vs {} round trips",
        ours.scenario,
        ratio(base.wire_up + base.wire_down, ours.wire_up + ours.wire_down),
        base.wall_ms / ours.wall_ms.max(0.001),
        base.round_trips,
        ours.round_trips
    );
    base
}

/// A village's records (minutes and trainings of realistic size) synced to a fresh device.
pub async fn initial_village(ctx: &Ctx) -> anyhow::Result<Vec<Row>> {
    let n = ctx.sizes.village;
    let data = ctx.path("village-server");
    let village = workload::village(0);
    let tokens = access::enroll(
        &ctx.bins,
        &data,
        &[("hp-kades", village.as_str()), ("hp-new", village.as_str())],
    )?;
    let server = Server::start(&ctx.bins, &data)?;
    let relay = Relay::start(server.addr).await?;
    let conn_c = relay.connection(tokens[0].clone());
    let conn_d = relay.connection(tokens[1].clone());
    let mut c = Device::on_disk(&ctx.path("village-c"), "hp-kades", conn_c)?;
    let mut d = Device::on_disk(&ctx.path("village-d"), "hp-new", conn_d)?;
    let store = c.store.clone();
    let v = village.clone();
    let recorded = tokio::task::spawn_blocking(move || {
        let mut rng = StdRng::seed_from_u64(20);
        // Two in five are forum minutes, the rest trainings.
        let records: Vec<Record> = (0..n)
            .map(|i| {
                if i % 5 < 2 {
                    Record::Minutes
                } else {
                    Record::RealisticTraining
                }
            })
            .collect();
        workload::record_many(&store, &v, &records, "hp-kades", &mut rng, 50)
    })
    .await??;
    let stored = stored_bytes(&c.store)?;
    c.sync().await.context("village upload")?;
    let (mut row, _) = measured("initial-village", &mut d, &server, &relay).await?;
    row.changes = recorded.changes;
    row.detail = format!(
        "{} minutes (30–80 attendees, 2–5 KB notes) and {} trainings (20–40 participants, 1–4 sessions), {} changes; {:.1} KiB of compressed automerge documents",
        n * 2 / 5,
        n - n * 2 / 5,
        recorded.changes,
        stored as f64 / 1024.0
    );
    Ok(vec![row])
}

/// Total size of the documents' compact saves: what "the data" weighs.
fn stored_bytes(store: &Store) -> anyhow::Result<u64> {
    let mut total = 0;
    for (id, _) in store.docs()? {
        total += store.with_doc(&id, |d| d.save().len() as u64)?.unwrap_or(0);
    }
    Ok(total)
}

/// Many devices syncing into one server at once, each with 5–20 new changes, in waves; every
/// change is then checked on the server's store after a SIGKILL.
pub async fn many_devices(ctx: &Ctx) -> anyhow::Result<Vec<Row>> {
    let n = ctx.sizes.devices;
    let data = ctx.path("many-server");
    // One village per device: every wave is the same work (a push each), so the server's memory
    // can be compared across waves while the documents it stores grow.
    let villages = n;
    let t = Instant::now();
    let names: Vec<(String, String)> = (0..n)
        .map(|i| {
            (
                format!("hp-{i:04}"),
                workload::village(i % villages).to_string(),
            )
        })
        .collect();
    let pairs: Vec<(&str, &str)> = names
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    let tokens = access::enroll(&ctx.bins, &data, &pairs)?;
    let mut server = Server::start(&ctx.bins, &data)?;
    let mut relay = Relay::start(server.addr).await?;
    let mut devices = Vec::with_capacity(n);
    for ((name, _), token) in names.iter().zip(tokens) {
        devices.push(Device::in_memory(name, relay.connection(token))?);
    }
    // First contact (not measured): each device learns the server.
    devices = run_all(devices, 64).await?.0;
    note(format!(
        "{n} devices enrolled and introduced in {:.1} s",
        t.elapsed().as_secs_f64()
    ));

    let mut rows = Vec::new();
    let mut rng = StdRng::seed_from_u64(30);
    let mut expected: Vec<(usize, balai_shared::ids::DocId)> = Vec::new();
    let mut rss_per_wave = Vec::new();
    for wave in 0..ctx.sizes.waves {
        // Each device records one new training with 5–19 changes (creation, enrollments,
        // check-ins).
        let mut changes = 0;
        for (i, d) in devices.iter().enumerate() {
            let p = rng.random_range(2..=9);
            let village = workload::village(i % villages);
            let shape = TrainingShape {
                participants: p,
                sessions: 1,
                attendance: 1.0,
            };
            let r = workload::record_many(
                &d.store,
                &village,
                &[Record::Training(shape)],
                &d.name,
                &mut rng,
                1,
            )?;
            changes += r.changes;
            expected.extend(r.ids.into_iter().map(|id| (i, id)));
        }
        let idle_rss = server.peak_rss_kib();
        server.reset_peak();
        let w0 = relay.wire();
        let cpu0 = cpu_now(&server);
        let t = Instant::now();
        let (back, results) = run_all(devices, usize::MAX).await?;
        devices = back;
        let wall = t.elapsed();
        let cpu = cpu_since(&server, cpu0);
        let wire = relay.wire() - w0;
        let rss = server.peak_rss_kib();
        let mut times: Vec<Duration> = results.iter().map(|r| r.1).collect();
        times.sort();
        let pct = |p: f64| {
            times
                .get(((times.len() as f64 * p).ceil() as usize).saturating_sub(1))
                .copied()
                .unwrap_or_default()
        };
        let (p50, p99, max) = (pct(0.50), pct(0.99), pct(1.0));
        let stored = {
            // Durability: kill the server without warning and read its store directly.
            server.kill9()?;
            let store = Store::open(&balai_server::store_path(&data), None)?;
            let mut missing = 0;
            for (i, id) in &expected {
                let want = devices[*i].store.doc_record(id)?.map(|r| r.heads);
                let have = store.doc_record(id)?.map(|r| r.heads);
                if want.is_none() || want != have {
                    missing += 1;
                }
            }
            let count = store.doc_count()?;
            drop(store);
            if missing > 0 {
                bail!("{missing} documents were not durable on the server after SIGKILL");
            }
            server = Server::start(&ctx.bins, &data)?;
            relay = Relay::start(server.addr).await?;
            for d in &mut devices {
                d.conn.url = relay.url();
            }
            count
        };
        rss_per_wave.push(rss);
        let report_sum = results.iter().fold(SyncReport::default(), |mut acc, r| {
            acc.doc_bytes_sent += r.0.doc_bytes_sent;
            acc.doc_bytes_received += r.0.doc_bytes_received;
            acc.docs_sent += r.0.docs_sent;
            acc.docs_received += r.0.docs_received;
            acc.round_trips = acc.round_trips.max(r.0.round_trips);
            acc
        });
        let bounded = rss_per_wave
            .first()
            .is_none_or(|first| rss as f64 <= *first as f64 * 1.25);
        rows.push(Row {
            scenario: format!("many-devices wave {}", wave + 1),
            docs: stored,
            moved: report_sum.docs_sent + report_sum.docs_received,
            changes,
            app_up: report_sum.doc_bytes_sent,
            app_down: report_sum.doc_bytes_received,
            wire_up: wire.up,
            wire_down: wire.down,
            round_trips: report_sum.round_trips,
            wall_ms: wall.as_secs_f64() * 1000.0,
            server_peak_rss_kib: rss,
            server_cpu_s: cpu.0,
            client_cpu_s: cpu.1,
            target: "all durable, p99 < 1 s, RSS bounded".into(),
            met: Some(p99 < Duration::from_secs(1) && bounded),
            detail: format!(
                "{n} devices at once; session p50 {:.0} ms, p99 {:.0} ms, max {:.0} ms; server RSS {:.0} MiB before the wave; all {} documents durable after SIGKILL; {} documents stored; round trips = the most any device needed",
                p50.as_secs_f64() * 1000.0,
                p99.as_secs_f64() * 1000.0,
                max.as_secs_f64() * 1000.0,
                idle_rss as f64 / 1024.0,
                expected.len(),
                stored
            ),
            ..Row::default()
        });
    }
    drop(relay);
    Ok(rows)
}

/// Sync every device, at most `parallel` at a time; returns the devices with each one's report
/// and session time.
pub(crate) async fn run_all(
    devices: Vec<Device>,
    parallel: usize,
) -> anyhow::Result<(Vec<Device>, Vec<(SyncReport, Duration)>)> {
    let gate = Arc::new(tokio::sync::Semaphore::new(
        parallel.min(tokio::sync::Semaphore::MAX_PERMITS),
    ));
    let start = Arc::new(tokio::sync::Barrier::new(devices.len() + 1));
    let mut tasks = Vec::with_capacity(devices.len());
    for mut d in devices {
        let gate = gate.clone();
        let start = start.clone();
        tasks.push(tokio::spawn(async move {
            start.wait().await;
            let _permit = gate.acquire_owned().await;
            let t = Instant::now();
            let r = d.sync().await;
            (d, r, t.elapsed())
        }));
    }
    start.wait().await;
    let mut back = Vec::with_capacity(tasks.len());
    let mut results = Vec::with_capacity(tasks.len());
    let mut failures = Vec::new();
    for task in tasks {
        let (d, r, took) = task.await?;
        match r {
            Ok(r) => results.push((r, took)),
            Err(e) => failures.push(format!("{}: {e:#}", d.name)),
        }
        back.push(d);
    }
    if !failures.is_empty() {
        let mut kinds: Vec<String> = failures
            .iter()
            .map(|f| f.split_once(": ").map_or(f.clone(), |(_, e)| e.to_owned()))
            .collect();
        kinds.sort();
        kinds.dedup();
        bail!(
            "{} of {} sessions failed: {}",
            failures.len(),
            back.len(),
            kinds.join(" | ")
        );
    }
    Ok((back, results))
}

/// How the field device reaches the server in [`field_day`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Link {
    /// Loopback through the counting relay: the reference for what an uncut sync costs.
    Clean,
    /// The fault proxy at 64 kbit/s each way and 600 ms round trip, with every open connection
    /// cut 2 s in and then every 20 s.
    TwoG,
}

/// What one field-day world measured.
#[derive(Debug)]
struct FieldDay {
    wall: Duration,
    wire: crate::relay::Wire,
    report: SyncReport,
    cuts: u64,
    docs: u64,
    changes: u64,
    rss: u64,
}

/// One device's day of records (two forums, three trainings) and a colleague's (one forum, one
/// training) in the same village: the device syncs both ways over `link`.
async fn field_world(ctx: &Ctx, link: Link) -> anyhow::Result<FieldDay> {
    let tag = if link == Link::Clean { "clean" } else { "2g" };
    let data = ctx.path(&format!("field-{tag}-server"));
    let village = workload::village(1);
    let tokens = access::enroll(
        &ctx.bins,
        &data,
        &[
            ("hp-lapangan", village.as_str()),
            ("hp-rekan", village.as_str()),
        ],
    )?;
    let server = Server::start(&ctx.bins, &data)?;
    let loopback = Relay::start(server.addr).await?;
    let mut field = Device::on_disk(
        &ctx.path(&format!("field-{tag}-device")),
        "hp-lapangan",
        loopback.connection(tokens[0].clone()),
    )?;
    let mut colleague = Device::on_disk(
        &ctx.path(&format!("field-{tag}-colleague")),
        "hp-rekan",
        loopback.connection(tokens[1].clone()),
    )?;
    // Morning, at the district office: both devices are set up and in sync.
    field.sync().await?;
    colleague.sync().await?;
    let mut rng = StdRng::seed_from_u64(50);
    let mine = workload::record_many(
        &field.store,
        &village,
        &[
            Record::Minutes,
            Record::Minutes,
            Record::RealisticTraining,
            Record::RealisticTraining,
            Record::RealisticTraining,
        ],
        "hp-lapangan",
        &mut rng,
        1,
    )?;
    let theirs = workload::record_many(
        &colleague.store,
        &village,
        &[Record::Minutes, Record::RealisticTraining],
        "hp-rekan",
        &mut rng,
        1,
    )?;
    colleague.sync().await?;

    // Evening, one bar of 2G.
    let proxy;
    let relay = match link {
        Link::Clean => Relay::start(server.addr).await?,
        Link::TwoG => {
            let slow = balai_e2e::proxy::Faults {
                latency: Duration::from_millis(300),
                bytes_per_sec: Some(64_000 / 8),
                ..Default::default()
            };
            proxy = balai_e2e::proxy::Proxy::start(
                server.addr,
                balai_e2e::proxy::FaultPlan {
                    upstream: slow.clone(),
                    downstream: slow,
                    ..Default::default()
                },
            );
            Relay::start(proxy.addr()).await?
        }
    };
    field.conn.url = relay.url();
    let relay = Arc::new(relay);
    let cutter = (link == Link::TwoG).then(|| {
        let relay = relay.clone();
        tokio::spawn(async move {
            // The first cut lands mid-transfer (a day's records take a few seconds at 64 kbit/s,
            // so a cut every 20 s alone would usually miss them), then every 20 s.
            tokio::time::sleep(Duration::from_secs(2)).await;
            loop {
                relay.cut_all();
                tokio::time::sleep(Duration::from_secs(20)).await;
            }
        })
    });
    let cuts_seen = Arc::new(std::sync::atomic::AtomicU64::new(0));
    server.reset_peak();
    let t = Instant::now();
    let policy = balai_net::retry::RetryPolicy {
        max_attempts: 40,
        deadline: Duration::from_secs(300),
        base_delay: Duration::from_millis(500),
        max_delay: Duration::from_secs(4),
    };
    let seen = cuts_seen.clone();
    let (report, server_id) = balai_net::retry::sync_with_retry(
        field.store.clone(),
        &field.conn,
        &field.name,
        field.server,
        policy,
        &|_| {},
        &|_| {
            seen.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        },
    )
    .await?;
    let wall = t.elapsed();
    if let Some(c) = cutter {
        c.abort();
    }
    field.remember(server_id, &report);
    let wire = relay.wire();
    // Everything arrived: the colleague's records here, ours on the server.
    for id in &theirs.ids {
        if field.store.doc_record(id)?.is_none() {
            bail!("field-day: {id} did not reach the field device");
        }
    }
    Ok(FieldDay {
        wall,
        wire,
        report,
        cuts: cuts_seen.load(std::sync::atomic::Ordering::Relaxed),
        docs: field.store.doc_count()?,
        changes: mine.changes + theirs.changes,
        rss: server.peak_rss_kib(),
    })
}

/// A field day's records over 2G with cuts, next to the same day over a clean link.
pub async fn field_day(ctx: &Ctx) -> anyhow::Result<Vec<Row>> {
    let clean = field_world(ctx, Link::Clean).await?;
    let slow = field_world(ctx, Link::TwoG).await?;
    let total = |w: crate::relay::Wire| w.up + w.down;
    let resent = total(slow.wire).saturating_sub(total(clean.wire));
    let r = &slow.report;
    Ok(vec![Row {
        scenario: "field-day-2g".into(),
        docs: slow.docs,
        moved: r.docs_sent + r.docs_received,
        changes: slow.changes,
        app_up: r.doc_bytes_sent,
        app_down: r.doc_bytes_received,
        wire_up: slow.wire.up,
        wire_down: slow.wire.down,
        round_trips: r.round_trips,
        wall_ms: slow.wall.as_secs_f64() * 1000.0,
        server_peak_rss_kib: slow.rss,
        server_cpu_s: 0.0,
        client_cpu_s: 0.0,
        target: "fully synced; nothing resent twice in full".into(),
        met: Some(resent < total(clean.wire)),
        detail: format!(
            "64 kbit/s each way, 600 ms RTT, open connections cut 2 s in and every 20 s after: fully synced in {:.1} s over {} attempt(s) ({} cut); {} wire bytes resent because of cuts ({:.0}% of the {} an uncut sync of the same day moves, {:.1} s on loopback); app bytes = the successful attempt only",
            slow.wall.as_secs_f64(),
            r.attempts.max(1),
            slow.cuts,
            resent,
            100.0 * resent as f64 / total(clean.wire).max(1) as f64,
            total(clean.wire),
            clean.wall.as_secs_f64(),
        ),
        ..Row::default()
    }])
}
