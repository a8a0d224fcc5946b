//! regency: a regency (*kabupaten*) server holding the records of all its districts, and a fresh
//! district server replicating with it, as `--upstream` does (`balai_net::client::sync_with_server`
//! with the district's `server`-role token, through the counting relay).
//!
//! The regency's store is written directly into the server's data directory before the real
//! `balai-server` starts on it (setup, timed but not a figure of merit): trainings of the
//! benchmark's shape (10 participants checked in to 2 sessions, 31 changes), a few templates per
//! village recorded through the model API and forked per document, each fork then given one
//! check-in of its own (32 changes), so every document is distinct. Documents of all districts are interleaved
//! in the regency's feed, as they would arrive from many districts over months.
//!
//! Measured per district: its initial pull from empty, then a no-op pull; and, from the regency's
//! own log (`sync session complete … feed_entries_read=N`, at info level on stderr), how many
//! feed entries the regency read for each session: the district's documents, not the regency's.

use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use automerge::{ActorId, Automerge};
use balai_net::client::SyncReport;
use balai_server::access::{Access, Role};
use balai_shared::ids::{DocId, DocKind};
use balai_shared::model::training;
use balai_shared::region::VillageCode;
use balai_shared::store::Store;
use rand::SeedableRng;
use rand::rngs::StdRng;

use crate::client::Device;
use crate::relay::Relay;
use crate::report::Row;
use crate::scenarios::Ctx;
use crate::server::{Binaries, Server};
use crate::workload::{self, TrainingShape};

/// The regency's region code; its districts are `18.01.01` … `18.01.NN`.
const REGENCY: &str = "18.01";
/// Villages per district (`18.01.DD.2001` …).
const VILLAGES_PER_DISTRICT: usize = 10;
/// Distinct trainings recorded per village through the model API; every document is a fork of
/// one of them plus a check-in of its own.
const TEMPLATES_PER_VILLAGE: usize = 4;
/// Documents per durable batch while building the regency's store: below the store's document
/// cache (512), which pins every document of an open batch and would otherwise scan the pinned
/// ones on every insert.
const BUILD_BATCH: usize = 500;
/// The server's log filter: quiet, except for the per-session lines this scenario reads.
const LOG_FILTER: &str = "warn,balai_server::service=info";
/// How long to wait for the server's log line of a session that the client saw complete.
const LOG_WAIT: Duration = Duration::from_secs(15);

/// What building the regency's store produced.
#[derive(Debug)]
pub(crate) struct Built {
    /// Documents per district (index 0 is district 01).
    pub(crate) per_district: Vec<u64>,
    /// Automerge changes per district.
    pub(crate) changes_per_district: Vec<u64>,
    pub(crate) total: u64,
    pub(crate) took: Duration,
    /// Time spent making documents (templates, forks, check-ins), and committing them (the
    /// store saves each new document and indexes it), on two threads.
    pub(crate) preparing: Duration,
    pub(crate) writing: Duration,
    pub(crate) file_bytes: u64,
}

/// The regency scenario: one row for each measured district's initial pull and one for its
/// no-op pull.
pub async fn regency(ctx: &Ctx) -> anyhow::Result<Vec<Row>> {
    let started = Instant::now();
    let n = ctx.sizes.regency_docs;
    let districts = ctx.sizes.regency_districts;
    if districts == 0 || districts > 99 {
        bail!("regency: {districts} districts (1–99 expected)");
    }
    let data = ctx.path("regency-server");
    std::fs::create_dir_all(&data)?;

    let store_path = balai_server::store_path(&data);
    let built = tokio::task::spawn_blocking(move || build(&store_path, n, districts))
        .await
        .context("regency: build task")??;
    note(format!(
        "built the regency's store: {} documents in {districts} districts ({} villages each) in {:.1} s ({:.0} documents/s; preparing {:.1} s and writing {:.1} s on two threads; {:.1} MiB on disk) — setup, not measured",
        built.total,
        VILLAGES_PER_DISTRICT,
        built.took.as_secs_f64(),
        built.total as f64 / built.took.as_secs_f64().max(0.001),
        built.preparing.as_secs_f64(),
        built.writing.as_secs_f64(),
        built.file_bytes as f64 / (1024.0 * 1024.0),
    ));

    // Districts that replicate here: the fifth and the seventh (or two of the few in quick mode).
    let measured: Vec<usize> = if districts >= 7 {
        vec![5, 7]
    } else {
        let mut m = vec![districts.div_ceil(2), districts];
        m.dedup();
        m
    };
    let tokens = {
        let access = Access::open(&balai_server::access_path(&data))
            .context("regency: open access database")?;
        measured
            .iter()
            .map(|d| {
                let (_, token) = access
                    .add(&district_device(*d), Role::Server, &[district_code(*d)])
                    .with_context(|| format!("enroll district {}", district_code(*d)))?;
                Ok(token.0)
            })
            .collect::<anyhow::Result<Vec<String>>>()?
    };

    let server = LoggedServer::start(&ctx.bins, &data)?;
    let relay = Relay::start(server.server.addr).await?;
    let mut rows = Vec::new();
    for (d, token) in measured.iter().copied().zip(tokens) {
        let code = district_code(d);
        let want = built.per_district[d - 1];
        let changes = built.changes_per_district[d - 1];
        // A fresh district server: an empty on-disk store with no actor, as `balai-server` opens
        // its own, replicating with its `server`-role token.
        let dir = ctx.path(&format!("regency-district-{d:02}"));
        std::fs::create_dir_all(&dir)?;
        let store = Store::open(&balai_server::store_path(&dir), None)
            .with_context(|| format!("open district {code}'s store"))?;
        let mut district = Device {
            name: district_device(d),
            store: Arc::new(store),
            conn: relay.connection(Some(token)),
            server: None,
        };

        let (mut row, feed) = measured_pull(&server, &relay, &mut district).await?;
        row.scenario = format!("regency: district {code} initial pull");
        row.changes = changes;
        if row.docs != want {
            bail!(
                "district {code} holds {} documents after its initial pull, {want} expected",
                row.docs
            );
        }
        outside_district(&district.store, &code)?;
        row.target = format!("regency reads ≤ {want} feed entries (the district's documents)");
        row.met = Some(feed <= want);
        row.detail = format!(
            "a fresh district server pulls its {want} of the regency's {} documents ({districts} districts); the regency read {feed} feed entries for it (the district holds {want}, the regency {}); {:.0} wire bytes per document; none from another district",
            built.total,
            built.total,
            (row.wire_up + row.wire_down) as f64 / want.max(1) as f64,
        );
        rows.push(row);

        let (mut row, feed) = measured_pull(&server, &relay, &mut district).await?;
        row.scenario = format!("regency: district {code} no-op pull");
        row.target = format!("1 round trip, < 1 KiB each way; feed entries ≤ {want}");
        row.met = Some(
            row.round_trips == 1 && row.wire_up < 1024 && row.wire_down < 1024 && feed <= want,
        );
        row.detail = format!(
            "the same district again with nothing new: the regency read {feed} feed entries (district {want} documents, regency {})",
            built.total
        );
        rows.push(row);
    }
    drop(relay);
    drop(server);
    note(format!(
        "regency: {:.1} s in all, {:.1} s of it building the store",
        started.elapsed().as_secs_f64(),
        built.took.as_secs_f64()
    ));
    Ok(rows)
}

/// One sync of the district with the regency, as a row, and the feed entries the regency read
/// for it (summed over the sessions of that sync, from the server's log).
async fn measured_pull(
    server: &LoggedServer,
    relay: &Relay,
    district: &mut Device,
) -> anyhow::Result<(Row, u64)> {
    let seen = server.completed_sessions(&district.name)?.len();
    server.server.reset_peak();
    let w0 = relay.wire();
    let cpu0 = (
        server.server.cpu_secs(),
        crate::server::cpu_secs(std::process::id()),
    );
    let t = Instant::now();
    let report: SyncReport = district
        .sync()
        .await
        .with_context(|| format!("{}: sync with the regency", district.name))?;
    let wall = t.elapsed();
    let wire = relay.wire() - w0;
    let cpu = (
        server.server.cpu_secs() - cpu0.0,
        crate::server::cpu_secs(std::process::id()) - cpu0.1,
    );
    let rss = server.server.peak_rss_kib();
    let sessions = server
        .wait_for_sessions(&district.name, seen + report.sessions.max(1) as usize)
        .await?;
    let feed: u64 = sessions[seen..].iter().sum();
    let row = Row {
        docs: district.store.doc_count()?,
        moved: report.docs_sent + report.docs_received,
        app_up: report.doc_bytes_sent,
        app_down: report.doc_bytes_received,
        wire_up: wire.up,
        wire_down: wire.down,
        round_trips: report.round_trips,
        wall_ms: wall.as_secs_f64() * 1000.0,
        server_peak_rss_kib: rss,
        server_cpu_s: cpu.0,
        client_cpu_s: cpu.1,
        ..Row::default()
    };
    Ok((row, feed))
}

/// Fail if the district's store holds a document of another district.
fn outside_district(store: &Store, code: &str) -> anyhow::Result<()> {
    let prefix = format!("{code}.");
    let stray = store
        .docs()?
        .into_iter()
        .filter(|(id, _)| !id.village().as_str().starts_with(&prefix))
        .count();
    if stray > 0 {
        bail!("district {code} received {stray} documents of other districts");
    }
    Ok(())
}

fn district_code(d: usize) -> String {
    format!("{REGENCY}.{d:02}")
}

fn district_device(d: usize) -> String {
    format!("kecamatan-{}", district_code(d).replace('.', "-"))
}

fn village_code(district: usize, v: usize) -> anyhow::Result<VillageCode> {
    let code = format!("{}.{}", district_code(district), 2001 + v);
    code.parse()
        .map_err(|e| anyhow::anyhow!("village code {code}: {e}"))
}

fn note(msg: impl std::fmt::Display) {
    eprintln!("  · {msg}");
}

/// Write `n` trainings spread over `districts` districts into a new store at `path`.
///
/// One thread prepares documents (a fork of a village template plus one check-in of its own),
/// this one commits them, [`BUILD_BATCH`] per durable batch, so preparing and saving overlap.
pub(crate) fn build(path: &Path, n: usize, districts: usize) -> anyhow::Result<Built> {
    let t = Instant::now();
    let actor: [u8; 16] = rand::random();
    let store = Store::open(path, Some(ActorId::from(actor.as_slice())))
        .with_context(|| format!("create the regency's store at {}", path.display()))?;
    let (tx, rx) = std::sync::mpsc::sync_channel::<Vec<(DocId, Automerge)>>(2);
    let producer = std::thread::spawn(move || prepare(n, districts, &tx));
    let mut committed = 0u64;
    let mut writing = Duration::ZERO;
    for chunk in rx {
        let w = Instant::now();
        committed += chunk.len() as u64;
        store.batch(|b| -> anyhow::Result<()> {
            for (id, doc) in chunk {
                *b.doc_mut(&id)? = doc;
            }
            Ok(())
        })?;
        writing += w.elapsed();
    }
    let (per_district, changes_per_district, preparing) = producer
        .join()
        .map_err(|_| anyhow::anyhow!("the document builder panicked"))??;
    let stored = store.doc_count()?;
    if stored != committed || committed != n as u64 {
        bail!("the regency's store holds {stored} documents, {n} expected");
    }
    drop(store);
    let file_bytes = std::fs::metadata(path).map_or(0, |m| m.len());
    Ok(Built {
        per_district,
        changes_per_district,
        total: stored,
        took: t.elapsed(),
        preparing,
        writing,
        file_bytes,
    })
}

/// Documents and changes per district, and the time spent preparing them.
type Counts = (Vec<u64>, Vec<u64>, Duration);

/// A village's template trainings (each with its change count), and who records there.
#[derive(Debug)]
struct VillageTemplates {
    village: VillageCode,
    by: String,
    docs: Vec<(Automerge, u64)>,
}

/// Make the templates, then send the documents in chunks of [`BUILD_BATCH`].
fn prepare(
    n: usize,
    districts: usize,
    tx: &std::sync::mpsc::SyncSender<Vec<(DocId, Automerge)>>,
) -> anyhow::Result<Counts> {
    let mut busy = Duration::ZERO;
    let t = Instant::now();
    let mut rng = StdRng::seed_from_u64(90);
    let villages = districts * VILLAGES_PER_DISTRICT;
    // One entry per village, district by district: `villages[d * VILLAGES_PER_DISTRICT + v]`.
    let mut templates: Vec<VillageTemplates> = Vec::with_capacity(villages);
    for d in 1..=districts {
        for v in 0..VILLAGES_PER_DISTRICT {
            let village = village_code(d, v)?;
            let by = format!("hp-{}", village.as_str().replace('.', "-"));
            let mut docs = Vec::with_capacity(TEMPLATES_PER_VILLAGE);
            for _ in 0..TEMPLATES_PER_VILLAGE {
                let mut doc = Automerge::new();
                let changes = workload::training(
                    &mut doc,
                    &village,
                    TrainingShape::TWENTY_CHECK_INS,
                    &by,
                    &mut rng,
                )?;
                docs.push((doc, changes));
            }
            templates.push(VillageTemplates { village, by, docs });
        }
    }
    busy += t.elapsed();
    let mut t = Instant::now();
    let mut per_district = vec![0u64; districts];
    let mut changes = vec![0u64; districts];
    let mut chunk = Vec::with_capacity(BUILD_BATCH);
    for i in 0..n {
        // Interleaved: consecutive documents belong to different districts and villages.
        let d = i % districts;
        let v = (i / districts) % VILLAGES_PER_DISTRICT;
        let k = (i / villages) % TEMPLATES_PER_VILLAGE;
        let VillageTemplates { village, by, docs } = &templates[d * VILLAGES_PER_DISTRICT + v];
        let (template, template_changes) = &docs[k];
        // A participant arriving late: the one change that is this document's alone.
        let mut doc = template.fork();
        training::check_in(&mut doc, 1, &format!("Peserta {i}"), Some("I"), by)
            .context("the document's own check-in")?;
        per_district[d] += 1;
        changes[d] += template_changes + 1;
        chunk.push((DocId::generate(DocKind::Training, village.clone()), doc));
        if chunk.len() == BUILD_BATCH {
            busy += t.elapsed();
            let full = std::mem::replace(&mut chunk, Vec::with_capacity(BUILD_BATCH));
            if tx.send(full).is_err() {
                bail!("the store writer stopped");
            }
            t = Instant::now();
        }
    }
    busy += t.elapsed();
    if !chunk.is_empty() && tx.send(chunk).is_err() {
        bail!("the store writer stopped");
    }
    Ok((per_district, changes, busy))
}

/// The real `balai-server` ([`crate::server::Server`]) with its per-session log lines (info)
/// in `server.log`, which this scenario reads. SIGKILLed when dropped.
#[derive(Debug)]
struct LoggedServer {
    server: Server,
    log: PathBuf,
}

impl LoggedServer {
    fn start(bins: &Binaries, data: &Path) -> anyhow::Result<Self> {
        Ok(Self {
            server: Server::start_logging(bins, data, LOG_FILTER)?,
            log: data.join("server.log"),
        })
    }

    /// `feed_entries_read` of every completed session of `device` so far, in log order; an error
    /// if one of its sessions failed.
    fn completed_sessions(&self, device: &str) -> anyhow::Result<Vec<u64>> {
        let text = std::fs::read_to_string(&self.log)
            .with_context(|| format!("read {}", self.log.display()))?;
        let mut out = Vec::new();
        for line in text.lines() {
            if field(line, "device") != Some(device) {
                continue;
            }
            if line.contains("sync session failed") {
                bail!("the regency refused a session of {device}: {line}");
            }
            if line.contains("sync session complete") {
                let n = field(line, "feed_entries_read")
                    .and_then(|v| v.parse().ok())
                    .with_context(|| format!("no feed_entries_read in {line:?}"))?;
                out.push(n);
            }
        }
        Ok(out)
    }

    /// Wait until the log shows `count` completed sessions of `device` (the server logs a
    /// session just after its last frame, so possibly after the client returned).
    async fn wait_for_sessions(&self, device: &str, count: usize) -> anyhow::Result<Vec<u64>> {
        let t = Instant::now();
        loop {
            let sessions = self.completed_sessions(device)?;
            if sessions.len() >= count {
                return Ok(sessions);
            }
            if t.elapsed() > LOG_WAIT {
                bail!(
                    "the regency's log shows {} completed sessions of {device} after {LOG_WAIT:?}, {count} expected",
                    sessions.len()
                );
            }
            tokio::time::sleep(Duration::from_millis(20)).await;
        }
    }
}

/// The value of `key=value` in a tracing fmt line (`device=kecamatan-18-01-05`).
fn field<'l>(line: &'l str, key: &str) -> Option<&'l str> {
    line.split_whitespace().find_map(|w| {
        w.strip_prefix(key)
            .and_then(|rest| rest.strip_prefix('='))
            .map(|v| v.trim_matches('"'))
    })
}
