//! hostile: a legitimate field device keeps syncing while an attacker holding one enrolled
//! facilitator token (another village of the same district) attacks the server as fast as it
//! lets it. The issue's target: the legitimate device's p99 sync time stays within 2× of its
//! figure when nobody attacks.
//!
//! The attacker speaks raw gRPC (`balai_shared::proto::v1` over tonic, like the raw client of
//! `tests/tests/access.rs`), straight to the server, from a thread of its own running a
//! single-threaded tokio runtime: it can use at most one of the machine's cores, and its CPU time
//! is measured apart from the legitimate client's. It runs [`WORKERS`] loops at once, more than
//! the server's default of 4 sessions per device, so the per-device cap is exercised too.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

use anyhow::{Context, bail};
use automerge::sync::{ChunkList, Message, MessageVersion};
use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT, ReadDoc};
use balai_net::wire::{FrameStream, single};
use balai_shared::ids::{DocId, DocKind};
use balai_shared::model::minutes;
use balai_shared::proto::v1::{self, balai_sync_client::BalaiSyncClient, frame::Body};
use balai_shared::region::VillageCode;
use balai_shared::store::Store;
use balai_shared::sync::PROTOCOL_VERSION;
use futures::StreamExt;
use rand::rngs::StdRng;
use rand::{Rng, SeedableRng};
use serde::Serialize;
use tokio::sync::{mpsc, oneshot, watch};
use tokio_stream::wrappers::ReceiverStream;

use crate::access;
use crate::client::{Connection, Device};
use crate::relay::Relay;
use crate::report::Row;
use crate::scenarios::Ctx;
use crate::server::Server;
use crate::workload::{self, Record};

/// Attack loops running at once: the default per-device session cap (4) and two more.
const WORKERS: usize = 6;
/// The slots attack gives up opening streams after this many attempts (then holds what it got).
const SLOT_ATTEMPTS: u64 = 4096;
/// Any other attack stops after this many attempts…
const MAX_ATTEMPTS: u64 = 1_000_000;
/// …one attempt is abandoned (and counted as `Timeout`) after this long…
const ATTEMPT_TIMEOUT: Duration = Duration::from_secs(20);
/// …and a legitimate sync that takes longer than this counts as failed.
const LEGIT_TIMEOUT: Duration = Duration::from_secs(60);
/// Document message parts of the parts attack.
const PART: usize = 1024 * 1024;
/// Operations in the document bomb: over the server's default `--max-doc-ops` of 500,000.
const BOMB_OPS: u64 = 600_000;
/// Decompressed size of the repeated-text bomb: over the default `--max-doc-mib` of 16.
const TEXT_BOMB_BYTES: usize = 24 * 1024 * 1024;

/// The attacks, in the order they run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Attack {
    /// Hello, then a sync message whose Bloom filter claims 2^32 − 1 probes.
    Bloom,
    /// The same with 10^8 probes.
    Bloom1e8,
    /// Hello with the legitimate device's store id, then `OffersEnd { upto: 2^63 }`.
    Hijack,
    /// Streams opened with Hello only and held open, plus Done-before-Hello and silent streams.
    Slots,
    /// Streams feeding 1 MiB `more = true` parts of one document message that never ends.
    Parts,
    /// A valid minutes document of 600,000 text operations pushed in one message.
    DocBomb,
    /// A minutes document with 24 MiB of repeated text, deflated to under 2 MiB, pushed in one
    /// message.
    TextBomb,
}

impl Attack {
    const ALL: [Attack; 7] = [
        Attack::Bloom,
        Attack::Bloom1e8,
        Attack::Hijack,
        Attack::Slots,
        Attack::Parts,
        Attack::DocBomb,
        Attack::TextBomb,
    ];

    fn name(self) -> &'static str {
        match self {
            Attack::Bloom => "bloom",
            Attack::Bloom1e8 => "bloom 10^8",
            Attack::Hijack => "hijack",
            Attack::Slots => "slots",
            Attack::Parts => "parts",
            Attack::DocBomb => "doc-bomb",
            Attack::TextBomb => "text-bomb",
        }
    }
}

/// The figures of one hostile row, also in the JSON output (the quick test checks them).
#[derive(Clone, Debug, Default, Serialize)]
pub struct HostileFigures {
    pub attack: String,
    pub legit_syncs: usize,
    pub legit_failures: usize,
    pub p50_ms: f64,
    pub p99_ms: f64,
    pub max_ms: f64,
    /// Legitimate syncs slower than twice the unattacked p99.
    pub over_target: usize,
    pub unattacked_p50_ms: f64,
    pub unattacked_p99_ms: f64,
    pub attempts: u64,
    /// How the server answered the attacker's attempts: gRPC status code name → count
    /// (`OK` = the server completed the session, `Timeout` = no answer within 20 s).
    pub outcomes: BTreeMap<String, u64>,
    /// The server's first message with each status code.
    pub messages: BTreeMap<String, String>,
    /// Streams the attacker held open at most at once (slots attack).
    pub held_max: usize,
    /// Payload bytes the attacker sent (document messages and parts).
    pub attacker_sent_bytes: u64,
    pub attacker_cpu_s: f64,
    pub attack_secs: f64,
}

/// Everything an attack needs, built once.
#[derive(Clone, Debug)]
struct Arsenal {
    url: String,
    token: Option<String>,
    /// The attacker's own store id, bound to its device on first use and kept.
    own_store: Vec<u8>,
    /// The legitimate device's store id.
    victim_store: Vec<u8>,
    /// A document id in the attacker's own village.
    doc_id: String,
    bloom: Arc<Vec<u8>>,
    bloom_1e8: Arc<Vec<u8>>,
    doc_bomb: Arc<Vec<u8>>,
    text_bomb: Arc<Vec<u8>>,
    part: Arc<Vec<u8>>,
}

/// How an attack went, from the attacker's side.
#[derive(Debug, Default)]
struct Tally {
    attempts: u64,
    outcomes: BTreeMap<String, u64>,
    /// The first message the server gave with each status code.
    messages: BTreeMap<String, String>,
    held: usize,
    held_max: usize,
    sent_bytes: u64,
}

type Shared = Arc<Mutex<Tally>>;

fn with<T>(tally: &Shared, f: impl FnOnce(&mut Tally) -> T) -> T {
    f(&mut tally.lock().unwrap_or_else(PoisonError::into_inner))
}

/// How the server answered one attempt: a status code name (`OK`, `Timeout`) and its message.
#[derive(Debug)]
struct Answer {
    code: String,
    message: String,
    /// Whether the server accepted the stream (not refused before reading any frame).
    opened: bool,
}

impl Answer {
    fn of(status: &tonic::Status, opened: bool) -> Self {
        Self {
            code: format!("{:?}", status.code()),
            message: status.message().to_owned(),
            opened,
        }
    }
    fn plain(code: &str, opened: bool) -> Self {
        Self {
            code: code.to_owned(),
            message: String::new(),
            opened,
        }
    }
}

impl Answer {
    /// How the tally names it: the code, marked when the server refused the stream at once.
    fn key(&self) -> String {
        if self.opened {
            self.code.clone()
        } else {
            format!("{} at open", self.code)
        }
    }
}

fn record(tally: &Shared, answer: &Answer) {
    let key = answer.key();
    with(tally, |t| {
        t.attempts += 1;
        if !answer.message.is_empty() && !t.messages.contains_key(&key) {
            let message: String = answer.message.chars().take(160).collect();
            t.messages.insert(key.clone(), message);
        }
        *t.outcomes.entry(key).or_insert(0) += 1;
    });
}

/// One legitimate phase: N syncs one after another.
#[derive(Debug, Default)]
struct Phase {
    times: Vec<Duration>,
    failures: Vec<String>,
    moved: u64,
    app_up: u64,
    app_down: u64,
    wire: crate::relay::Wire,
    round_trips: u64,
    server_cpu_s: f64,
    client_cpu_s: f64,
    rss_peak_kib: u64,
}

impl Phase {
    fn sorted(&self) -> Vec<Duration> {
        let mut t = self.times.clone();
        t.sort();
        t
    }
    fn pct(&self, p: f64) -> Duration {
        percentile(&self.sorted(), p)
    }
}

/// Nearest rank: the smallest sample with at least `p` of the samples at or below it.
pub(crate) fn percentile(sorted: &[Duration], p: f64) -> Duration {
    sorted
        .get(((sorted.len() as f64 * p).ceil() as usize).saturating_sub(1))
        .copied()
        .unwrap_or_default()
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1000.0
}

/// The scenario: set up, measure unattacked, then each attack, then unattacked again.
pub async fn hostile(ctx: &Ctx) -> anyhow::Result<Vec<Row>> {
    let n_docs = ctx.sizes.hostile_docs;
    let n_syncs = ctx.sizes.hostile_syncs;
    let data = ctx.path("hostile-server");
    let home = workload::village(0);
    let theirs = workload::village(1);
    // One attacker token per attack: the server backs a device off after refused sessions, so
    // a token used for one attack would still be backing off during the next.
    let attackers: Vec<String> = (0..Attack::ALL.len())
        .map(|i| format!("hp-mallory-{i}"))
        .collect();
    let mut enrolled = vec![("hp-warga", home.as_str())];
    enrolled.extend(attackers.iter().map(|a| (a.as_str(), theirs.as_str())));
    let tokens = access::enroll(&ctx.bins, &data, &enrolled)?;
    let server = Server::start(&ctx.bins, &data)?;
    let relay = Relay::start(server.addr).await?;
    let mut legit = Device::on_disk(
        &ctx.path("hostile-legit"),
        "hp-warga",
        relay.connection(tokens[0].clone()),
    )?;

    // The legitimate device's village: 2 in 5 forum minutes, the rest trainings; synced up.
    let t = Instant::now();
    let store = legit.store.clone();
    let v = home.clone();
    let recorded = tokio::task::spawn_blocking(move || {
        let mut rng = StdRng::seed_from_u64(60);
        let records: Vec<Record> = (0..n_docs)
            .map(|i| {
                if i % 5 < 2 {
                    Record::Minutes
                } else {
                    Record::RealisticTraining
                }
            })
            .collect();
        workload::record_many(&store, &v, &records, "hp-warga", &mut rng, 50)
    })
    .await??;
    let trainings: Vec<DocId> = recorded
        .ids
        .iter()
        .filter(|id| id.kind() == DocKind::Training)
        .cloned()
        .collect();
    if trainings.is_empty() {
        bail!("hostile: the legitimate device has no training to check people in to");
    }
    legit.sync().await.context("hostile: upload")?;
    note(format!(
        "{n_docs} documents recorded and synced in {:.1} s",
        t.elapsed().as_secs_f64()
    ));

    // The attacker's payloads, built once.
    let t = Instant::now();
    let v = theirs.clone();
    let (doc_bomb, bomb_ops, text_bomb) = tokio::task::spawn_blocking(move || {
        let t = Instant::now();
        let (doc, ops) = doc_bomb(&v)?;
        let took = t.elapsed();
        let text = text_bomb(&v)?;
        note(format!(
            "doc bomb built in {:.1} s, text bomb in {:.1} s",
            took.as_secs_f64(),
            (t.elapsed() - took).as_secs_f64()
        ));
        anyhow::Ok((doc, ops, text))
    })
    .await??;
    note(format!(
        "payloads built in {:.1} s: doc bomb {bomb_ops} ops in {:.0} KiB, text bomb {:.2} MiB deflated ({} MiB inflated)",
        t.elapsed().as_secs_f64(),
        doc_bomb.len() as f64 / 1024.0,
        text_bomb.len() as f64 / (1024.0 * 1024.0),
        TEXT_BOMB_BYTES / (1024 * 1024)
    ));
    let arsenal = Arsenal {
        url: format!("http://{}", server.addr),
        token: tokens[1].clone(),
        own_store: balai_shared::ids::StoreId::random().as_bytes().to_vec(),
        victim_store: legit.store.id().as_bytes().to_vec(),
        doc_id: DocId::generate(DocKind::Minutes, theirs.clone()).to_string(),
        bloom: Arc::new(bloom_bomb(u32::MAX)),
        bloom_1e8: Arc::new(bloom_bomb(100_000_000)),
        doc_bomb: Arc::new(doc_bomb),
        text_bomb: Arc::new(text_bomb),
        part: Arc::new(vec![0x42; PART]),
    };

    let mut rng = StdRng::seed_from_u64(61);
    let mut next = 0usize;
    let mut check_in_and_sync = LegitLoop {
        device: &mut legit,
        trainings: &trainings,
        next: &mut next,
        rng: &mut rng,
        server: &server,
        relay: &relay,
    };
    // Warm-up (not measured): the first syncs after the upload settle caches and sync states.
    settle(&server).await;
    check_in_and_sync.run(3).await?;
    let base = check_in_and_sync.run(n_syncs).await?;
    if !base.failures.is_empty() {
        bail!(
            "hostile: unattacked syncs failed: {}",
            base.failures.join(" | ")
        );
    }
    let base_p50 = base.pct(0.50);
    let base_p99 = base.pct(0.99);
    note(format!(
        "unattacked: p50 {:.1} ms, p99 {:.1} ms",
        ms(base_p50),
        ms(base_p99)
    ));
    let docs = check_in_and_sync.device.store.doc_count()?;
    let mut rows = vec![phase_row(
        "hostile: none (before)",
        docs,
        &base,
        "the legitimate device alone: one late check-in, then `balai sync`, one after another"
            .into(),
    )];

    // Stop each attack at the latest after what the legitimate syncs should take, many times
    // over: the legitimate syncs end the attack, this only bounds a runaway.
    let max_time = Duration::from_secs(20).max(base_p99 * n_syncs as u32 * 20);
    for (i, attack) in Attack::ALL.into_iter().enumerate() {
        let access_before = file_len(&balai_server::access_path(&data));
        let log_before = file_len(&data.join("server.log"));
        let tally: Shared = Arc::default();
        let (stop_tx, stop_rx) = watch::channel(false);
        let (done_tx, done_rx) = oneshot::channel();
        let thread = {
            let mut arsenal = arsenal.clone();
            arsenal.token = tokens[1 + i].clone();
            // Its own store too: the server binds a store id to the first device presenting it.
            arsenal.own_store = balai_shared::ids::StoreId::random().as_bytes().to_vec();
            let tally = tally.clone();
            std::thread::Builder::new()
                .name(format!("attacker-{}", attack.name()))
                .spawn(move || {
                    let result = attacker_thread(attack, &arsenal, &tally, stop_rx, max_time);
                    let _ = done_tx.send(result);
                })?
        };
        // Let the attack get going before the first legitimate sync.
        let warm = Instant::now();
        while with(&tally, |t| t.attempts + t.held as u64) == 0 && warm.elapsed() < ATTEMPT_TIMEOUT
        {
            tokio::time::sleep(Duration::from_millis(5)).await;
        }
        tokio::time::sleep(Duration::from_millis(200)).await;
        let phase = check_in_and_sync.run(n_syncs).await?;
        let _ = stop_tx.send(true);
        let (attack_secs, attacker_cpu) = done_rx
            .await
            .context("the attacker thread ended without a result")??;
        thread
            .join()
            .map_err(|_| anyhow::anyhow!("the attacker thread panicked"))?;
        // The server notices the attacker's closed connections, frees its sessions and
        // finishes any engine step still running for it.
        settle(&server).await;
        let tally = with(&tally, std::mem::take);
        let access_growth =
            file_len(&balai_server::access_path(&data)).saturating_sub(access_before);
        let log_growth = file_len(&data.join("server.log")).saturating_sub(log_before);

        let p50 = phase.pct(0.50);
        let p99 = phase.pct(0.99);
        let refused: u64 = tally
            .outcomes
            .iter()
            .filter(|(k, _)| k.as_str() != "OK" && !k.starts_with("held"))
            .map(|(_, v)| v)
            .sum();
        let outcomes = tally
            .outcomes
            .iter()
            .map(|(k, v)| format!("{k} {v}"))
            .collect::<Vec<_>>()
            .join(", ");
        let payload = match attack {
            Attack::Bloom => "15-byte sync message, num_probes 2^32−1".to_owned(),
            Attack::Bloom1e8 => format!(
                "{}-byte sync message, num_probes 10^8",
                arsenal.bloom_1e8.len()
            ),
            Attack::Hijack => {
                "Hello with the legitimate device's store id, OffersEnd{upto: 2^63}".to_owned()
            }
            Attack::Slots => format!(
                "Hello-only streams held open (at most {} at once), Done-before-Hello and silent streams; {SLOT_ATTEMPTS} attempts at most",
                tally.held_max
            ),
            Attack::Parts => "1 MiB more=true parts of one never-finished document message".into(),
            Attack::DocBomb => format!(
                "minutes of {bomb_ops} text ops, {:.0} KiB message",
                arsenal.doc_bomb.len() as f64 / 1024.0
            ),
            Attack::TextBomb => format!(
                "{} MiB of repeated text in one change, {:.2} MiB deflated message",
                TEXT_BOMB_BYTES / (1024 * 1024),
                arsenal.text_bomb.len() as f64 / (1024.0 * 1024.0)
            ),
        };
        let ratio = ms(p99) / ms(base_p99).max(0.001);
        let slow = phase.times.iter().filter(|t| **t > base_p99 * 2).count();
        let met = phase.failures.is_empty() && p99 <= base_p99 * 2;
        note(format!(
            "{}: p50 {:.1} ms, p99 {:.1} ms ({ratio:.2}× unattacked); {} attempts: {outcomes}",
            attack.name(),
            ms(p50),
            ms(p99),
            tally.attempts
        ));
        for (code, message) in &tally.messages {
            note(format!("  {code}: {message}"));
        }
        let mut detail = format!(
            "{payload}; legit sync p50 {:.1} ms / p99 {:.1} ms attacked vs {:.1} / {:.1} ms unattacked ({ratio:.2}× at p99; wall = p99, {} syncs, {slow} over 2× the unattacked p99){}; attacker: {} attempts in {:.1} s ({:.0}/s), {refused} refused: {outcomes}; {:.1} MiB of payload sent; attacker CPU {:.1} s; access.redb +{:.0} KiB, server log +{:.0} KiB",
            ms(p50),
            ms(p99),
            ms(base_p50),
            ms(base_p99),
            phase.times.len(),
            if phase.failures.is_empty() {
                String::new()
            } else {
                format!(
                    ", {} legit syncs FAILED: {}",
                    phase.failures.len(),
                    phase.failures.join(" | ")
                )
            },
            tally.attempts,
            attack_secs,
            tally.attempts as f64 / attack_secs.max(0.001),
            tally.sent_bytes as f64 / (1024.0 * 1024.0),
            attacker_cpu,
            access_growth as f64 / 1024.0,
            log_growth as f64 / 1024.0,
        );
        if attack_secs >= max_time.as_secs_f64() - 0.5 {
            detail.push_str("; the attacker hit its time cap before the legitimate syncs ended");
        }
        let mut row = phase_row(&format!("hostile: {}", attack.name()), docs, &phase, detail);
        row.target = "legit p99 ≤ 2× unattacked".into();
        row.met = Some(met);
        row.hostile = Some(HostileFigures {
            attack: attack.name().into(),
            legit_syncs: phase.times.len(),
            legit_failures: phase.failures.len(),
            p50_ms: ms(p50),
            p99_ms: ms(p99),
            max_ms: ms(phase.pct(1.0)),
            over_target: slow,
            unattacked_p50_ms: ms(base_p50),
            unattacked_p99_ms: ms(base_p99),
            attempts: tally.attempts,
            outcomes: tally.outcomes.clone(),
            messages: tally.messages.clone(),
            held_max: tally.held_max,
            attacker_sent_bytes: tally.sent_bytes,
            attacker_cpu_s: attacker_cpu,
            attack_secs,
        });
        rows.push(row);
    }

    // The same unattacked syncs again: how far the machine itself drifted meanwhile.
    let after = check_in_and_sync.run(n_syncs).await?;
    let mut row = phase_row(
        "hostile: none (after)",
        docs,
        &after,
        format!(
            "the unattacked syncs again after every attack (p50 {:.1} / p99 {:.1} ms vs {:.1} / {:.1} ms before): the machine's own drift",
            ms(after.pct(0.5)),
            ms(after.pct(0.99)),
            ms(base_p50),
            ms(base_p99)
        ),
    );
    if !after.failures.is_empty() {
        row.detail.push_str(&format!(
            "; {} syncs FAILED: {}",
            after.failures.len(),
            after.failures.join(" | ")
        ));
    }
    rows.push(row);

    // Nothing of the attacker's reached the store: it holds the legitimate village only.
    server.kill9()?;
    let store = Store::open(&balai_server::store_path(&data), None)?;
    let stored = store.doc_count()?;
    let foreign = store
        .docs()?
        .into_iter()
        .filter(|(id, _)| id.village() != &home)
        .count();
    drop(store);
    if stored != docs || foreign > 0 {
        bail!(
            "hostile: the server stores {stored} documents ({foreign} outside the legitimate village), expected the legitimate device's {docs}"
        );
    }
    for row in &mut rows[1..] {
        row.detail.push_str(&format!(
            "; server stores exactly the legitimate {docs} documents afterwards"
        ));
    }
    Ok(rows)
}

/// Wait (up to 5 s) until the server has used under 10 ms of CPU in 100 ms.
async fn settle(server: &Server) {
    let t = Instant::now();
    loop {
        let before = server.cpu_secs();
        tokio::time::sleep(Duration::from_millis(100)).await;
        if server.cpu_secs() - before < 0.011 || t.elapsed() > Duration::from_secs(5) {
            return;
        }
    }
}

fn note(msg: impl std::fmt::Display) {
    eprintln!("  · {msg}");
}

fn file_len(path: &std::path::Path) -> u64 {
    std::fs::metadata(path).map_or(0, |m| m.len())
}

fn phase_row(name: &str, docs: u64, phase: &Phase, detail: String) -> Row {
    Row {
        scenario: name.to_owned(),
        docs,
        moved: phase.moved,
        changes: phase.times.len() as u64,
        app_up: phase.app_up,
        app_down: phase.app_down,
        wire_up: phase.wire.up,
        wire_down: phase.wire.down,
        round_trips: phase.round_trips,
        wall_ms: ms(phase.pct(0.99)),
        server_peak_rss_kib: phase.rss_peak_kib,
        server_cpu_s: phase.server_cpu_s,
        client_cpu_s: phase.client_cpu_s,
        detail,
        ..Row::default()
    }
}

/// The legitimate device's routine: a participant checks in late, then `balai sync`.
#[derive(Debug)]
struct LegitLoop<'a> {
    device: &'a mut Device,
    trainings: &'a [DocId],
    next: &'a mut usize,
    rng: &'a mut StdRng,
    server: &'a Server,
    relay: &'a Relay,
}

impl LegitLoop<'_> {
    async fn run(&mut self, n: usize) -> anyhow::Result<Phase> {
        let mut phase = Phase::default();
        self.server.reset_peak();
        let wire0 = self.relay.wire();
        let cpu0 = (
            self.server.cpu_secs(),
            crate::server::cpu_secs(std::process::id()),
        );
        for _ in 0..n {
            let id = &self.trainings[*self.next % self.trainings.len()];
            *self.next += 1;
            workload::late_check_in(&self.device.store, id, &self.device.name, self.rng)?;
            let t = Instant::now();
            match tokio::time::timeout(LEGIT_TIMEOUT, self.device.sync()).await {
                Ok(Ok(report)) => {
                    phase.times.push(t.elapsed());
                    phase.moved += report.docs_sent + report.docs_received;
                    phase.app_up += report.doc_bytes_sent;
                    phase.app_down += report.doc_bytes_received;
                    phase.round_trips = phase.round_trips.max(report.round_trips);
                }
                Ok(Err(e)) => phase.failures.push(format!("{e:#}")),
                Err(_) => phase
                    .failures
                    .push(format!("no answer in {} s", LEGIT_TIMEOUT.as_secs())),
            }
        }
        phase.wire = self.relay.wire() - wire0;
        phase.server_cpu_s = self.server.cpu_secs() - cpu0.0;
        phase.client_cpu_s = crate::server::cpu_secs(std::process::id()) - cpu0.1;
        phase.rss_peak_kib = self.server.peak_rss_kib();
        // Every sync time, sorted: for looking at the distribution behind the percentiles.
        if std::env::var_os("BALAI_BENCH_TIMES").is_some() {
            let t: Vec<String> = phase
                .sorted()
                .iter()
                .map(|d| format!("{:.0}", ms(*d)))
                .collect();
            eprintln!("    times (ms): {}", t.join(" "));
        }
        Ok(phase)
    }
}

// ---------------------------------------------------------------------------------------------
// Payloads.

/// Unsigned LEB128, as automerge encodes its numbers.
fn uleb(mut n: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (n & 0x7f) as u8;
        n >>= 7;
        if n == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A sync message with no heads or needs and one `have` whose Bloom filter holds one entry of
/// 8 bits (one byte, 0xff) probed `probes` times; no changes. With `u32::MAX` it is the issue's
/// 15 bytes `[0x42, 0, 0, 1, 0, 8, 1, 8, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0]`.
fn bloom_bomb(probes: u32) -> Vec<u8> {
    let mut filter = vec![1, 8];
    uleb(u64::from(probes), &mut filter);
    filter.push(0xff);
    let mut msg = vec![0x42, 0, 0, 1, 0];
    uleb(filter.len() as u64, &mut msg);
    msg.extend_from_slice(&filter);
    msg.push(0);
    msg
}

/// A sync message pushing every change of `doc` unasked; `compressed` sends them deflated.
fn push_all(doc: &Automerge, compressed: bool) -> Vec<u8> {
    let changes: Vec<Vec<u8>> = doc
        .get_changes(&[])
        .into_iter()
        .map(|mut c| {
            if compressed {
                c.bytes().to_vec()
            } else {
                c.raw_bytes().to_vec()
            }
        })
        .collect();
    Message {
        heads: doc.get_heads(),
        need: Vec::new(),
        have: Vec::new(),
        changes: ChunkList::from(changes),
        flags: None,
        version: MessageVersion::V1,
    }
    .encode()
}

fn new_minutes(village: &VillageCode) -> anyhow::Result<Automerge> {
    let mut doc = Automerge::new();
    minutes::create(
        &mut doc,
        village,
        &minutes::NewMinutes {
            title: "Musyawarah dusun".into(),
            date: "2026-11-30".into(),
            place: Some("Balai Desa".into()),
            facilitator: None,
        },
    )?;
    Ok(doc)
}

/// Forum minutes whose notes hold [`BOMB_OPS`] characters, most pasted in one edit: a valid
/// document of the attacker's village (made through the model API, then one large splice into
/// its notes) over the server's operation limit. Returns the message and the document's
/// operation count.
fn doc_bomb(village: &VillageCode) -> anyhow::Result<(Vec<u8>, u64)> {
    let mut doc = new_minutes(village)?;
    let sentence = "warga dusun meminta perbaikan irigasi sawah sebelum musim tanam. ";
    minutes::append_note(&mut doc, sentence.trim())?;
    let pasted: String = sentence.chars().cycle().take(BOMB_OPS as usize).collect();
    let mut tx = doc.transaction();
    let notes = tx
        .get(ROOT, "notes")?
        .map(|(_, id)| id)
        .context("the minutes have notes")?;
    tx.splice_text(&notes, 0, 0, &pasted)?;
    tx.commit();
    let ops = doc.get_changes(&[]).iter().map(|c| c.len() as u64).sum();
    Ok((push_all(&doc, false), ops))
}

/// Forum minutes with [`TEXT_BOMB_BYTES`] of repeated text in one string: one operation, a
/// change that deflates to under 2 MiB and inflates past the server's byte limit.
fn text_bomb(village: &VillageCode) -> anyhow::Result<Vec<u8>> {
    let mut doc = new_minutes(village)?;
    // A repeated sentence with a little noise in every line, so that it deflates about 14:1, to
    // 1.7 MiB (a purely repeated text shrinks 1,000:1 and would take a gigabyte to get there).
    let mut rng = StdRng::seed_from_u64(62);
    let line = "warga dusun meminta perbaikan irigasi sawah sebelum musim tanam tahun ini ";
    let mut text = String::with_capacity(TEXT_BOMB_BYTES + 256);
    while text.len() < TEXT_BOMB_BYTES {
        for _ in 0..16 {
            text.push(char::from(rng.random_range(b'a'..=b'z')));
        }
        text.push(' ');
        text.push_str(line);
        text.push_str(line);
        text.push('\n');
    }
    let mut tx = doc.transaction();
    tx.put(ROOT, "lampiran", text)?;
    tx.commit();
    Ok(push_all(&doc, true))
}

// ---------------------------------------------------------------------------------------------
// The attacker.

/// Run `attack` on a single-threaded runtime of this thread until `stop` or `max_time`;
/// returns how long it ran and the thread's CPU seconds.
fn attacker_thread(
    attack: Attack,
    arsenal: &Arsenal,
    tally: &Shared,
    stop: watch::Receiver<bool>,
    max_time: Duration,
) -> anyhow::Result<(f64, f64)> {
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let started = Instant::now();
    let deadline = tokio::time::Instant::now() + max_time;
    rt.block_on(async {
        let mut workers = Vec::new();
        for w in 0..WORKERS {
            let arsenal = arsenal.clone();
            let tally = tally.clone();
            let stop = stop.clone();
            workers.push(tokio::spawn(async move {
                worker(attack, w, &arsenal, &tally, stop, deadline).await
            }));
        }
        for w in workers {
            w.await??;
        }
        anyhow::Ok(())
    })?;
    let secs = started.elapsed().as_secs_f64();
    // Dropping the runtime closes every connection (and the streams held open).
    drop(rt);
    Ok((secs, thread_cpu_secs()))
}

/// CPU seconds of the calling thread (`/proc/thread-self/stat`).
fn thread_cpu_secs() -> f64 {
    std::fs::read_to_string("/proc/thread-self/stat")
        .ok()
        .and_then(|s| {
            let rest = s.rsplit_once(')')?.1;
            let f: Vec<&str> = rest.split_whitespace().collect();
            let utime: f64 = f.get(11)?.parse().ok()?;
            let stime: f64 = f.get(12)?.parse().ok()?;
            Some((utime + stime) / 100.0)
        })
        .unwrap_or(0.0)
}

type Client = BalaiSyncClient<balai_net::client::AuthedChannel>;

async fn client(arsenal: &Arsenal) -> anyhow::Result<Client> {
    let conn = Connection {
        url: arsenal.url.clone(),
        token: arsenal.token.clone(),
        ..Default::default()
    };
    let channel = balai_net::client::connect(&conn)
        .await
        .map_err(|e| anyhow::anyhow!("attacker cannot connect: {e}"))?;
    Ok(BalaiSyncClient::new(channel)
        .max_encoding_message_size(usize::MAX)
        .max_decoding_message_size(usize::MAX))
}

/// The attacker's session nonce. Its frames are stamped as an honest peer's would be (Hello 1,
/// the next frame 2), so each attack gets past the stamp check to the defence it aims at.
const NONCE: u64 = 0x4D41_4C4C_4F52_5921;

fn hello(store_id: &[u8]) -> v1::Frame {
    v1::Frame {
        body: Some(Body::Hello(v1::Hello {
            protocol: PROTOCOL_VERSION,
            store_id: store_id.to_vec(),
            name: "hp-mallory".into(),
            ..Default::default()
        })),
        session: NONCE,
        number: 1,
    }
}

/// The frame after the `Hello`: an offer (with a made-up head) of `doc_id`, or one part of it.
fn doc(doc_id: &str, sync: Vec<u8>, more: bool) -> v1::Frame {
    v1::Frame {
        body: Some(Body::Doc(v1::DocMessage {
            doc_id: doc_id.to_owned(),
            offer_seq: 1,
            sync,
            more,
            heads: vec![vec![0xAB; 32]],
            whole: false,
        })),
        session: NONCE,
        number: 2,
    }
}

/// Whether to stop: told to (or the scenario is gone), or out of time.
fn halted(stop: &watch::Receiver<bool>, deadline: tokio::time::Instant) -> bool {
    *stop.borrow() || stop.has_changed().is_err() || tokio::time::Instant::now() >= deadline
}

/// Resolves when the attack must stop.
async fn halt(stop: &mut watch::Receiver<bool>, deadline: tokio::time::Instant) {
    tokio::select! {
        _ = stop.wait_for(|s| *s) => {}
        () = tokio::time::sleep_until(deadline) => {}
    }
}

/// One attack loop.
async fn worker(
    attack: Attack,
    index: usize,
    arsenal: &Arsenal,
    tally: &Shared,
    mut stop: watch::Receiver<bool>,
    deadline: tokio::time::Instant,
) -> anyhow::Result<()> {
    let mut client = client(arsenal).await?;
    let first = |sync: &Arc<Vec<u8>>| {
        vec![
            hello(&arsenal.own_store),
            doc(&arsenal.doc_id, sync.to_vec(), false),
        ]
    };
    let frames = match attack {
        Attack::Slots => {
            slots(index, &mut client, arsenal, tally, &mut stop, deadline).await;
            return Ok(());
        }
        Attack::Parts => {
            while !halted(&stop, deadline) && with(tally, |t| t.attempts) < MAX_ATTEMPTS {
                if let Some(answer) = parts(&mut client, arsenal, tally, &mut stop, deadline).await
                {
                    record(tally, &answer);
                }
            }
            return Ok(());
        }
        Attack::Bloom => first(&arsenal.bloom),
        Attack::Bloom1e8 => first(&arsenal.bloom_1e8),
        Attack::DocBomb => first(&arsenal.doc_bomb),
        Attack::TextBomb => first(&arsenal.text_bomb),
        Attack::Hijack => vec![
            hello(&arsenal.victim_store),
            v1::Frame {
                body: Some(Body::OffersEnd(v1::OffersEnd { upto: 1 << 63 })),
                session: NONCE,
                number: 2,
            },
        ],
    };
    let payload: u64 = frames
        .iter()
        .map(|f| match &f.body {
            Some(Body::Doc(d)) => d.sync.len() as u64,
            _ => 0,
        })
        .sum();
    while !halted(&stop, deadline) && with(tally, |t| t.attempts) < MAX_ATTEMPTS {
        let answer = tokio::select! {
            a = one_shot(&mut client, frames.clone()) => a,
            () = halt(&mut stop, deadline) => break,
        };
        if answer.opened {
            with(tally, |t| t.sent_bytes += payload);
        }
        record(tally, &answer);
    }
    Ok(())
}

/// Send `frames`, keep the stream open, and read until the server ends or fails it.
async fn one_shot(client: &mut Client, frames: Vec<v1::Frame>) -> Answer {
    let (tx, rx) = mpsc::channel(frames.len().max(1));
    for f in frames {
        let _ = tx.try_send(f);
    }
    let mut opened = false;
    let answer = tokio::time::timeout(ATTEMPT_TIMEOUT, async {
        let mut inbound = match client
            .sync_frames(ReceiverStream::new(rx).map(single))
            .await
        {
            Ok(r) => balai_net::wire::frames(r.into_inner()),
            Err(status) => return Answer::of(&status, false),
        };
        opened = true;
        read_to_end(&mut inbound).await
    })
    .await
    .unwrap_or_else(|_| Answer::plain("Timeout", opened));
    drop(tx);
    answer
}

/// Read a response stream to its end: how the server ended it.
async fn read_to_end(inbound: &mut FrameStream<tonic::Status>) -> Answer {
    loop {
        match inbound.next().await {
            None => return Answer::plain("OK", true),
            Some(Err(status)) => return Answer::of(&status, true),
            Some(Ok(_)) => {}
        }
    }
}

/// The parts attack, one stream: Hello, then 1 MiB parts of one message for ever. Returns the
/// server's answer, or `None` when told to stop.
async fn parts(
    client: &mut Client,
    arsenal: &Arsenal,
    tally: &Shared,
    stop: &mut watch::Receiver<bool>,
    deadline: tokio::time::Instant,
) -> Option<Answer> {
    let (tx, rx) = mpsc::channel(2);
    let _ = tx.try_send(hello(&arsenal.own_store));
    let mut inbound = tokio::select! {
        r = client.sync_frames(ReceiverStream::new(rx).map(single)) => match r {
            Ok(r) => balai_net::wire::frames(r.into_inner()),
            Err(status) => return Some(Answer::of(&status, false)),
        },
        () = halt(stop, deadline) => return None,
    };
    loop {
        tokio::select! {
            next = inbound.next() => match next {
                None => return Some(Answer::plain("OK", true)),
                Some(Err(status)) => return Some(Answer::of(&status, true)),
                Some(Ok(_)) => {}
            },
            sent = tx.send(doc(&arsenal.doc_id, arsenal.part.to_vec(), true)) => {
                if sent.is_err() {
                    return Some(Answer::plain("Closed", true));
                }
                with(tally, |t| t.sent_bytes += PART as u64);
            }
            () = halt(stop, deadline) => return None,
        }
    }
}

/// Count a stream the server accepted and the attacker now holds open.
fn hold(tally: &Shared, key: &str) {
    with(tally, |t| {
        t.attempts += 1;
        *t.outcomes.entry(key.to_owned()).or_insert(0) += 1;
        t.held += 1;
        t.held_max = t.held_max.max(t.held);
    });
}

/// The slots attack. Workers 0–3 open streams with a Hello and hold every one the server
/// accepts; workers 4 and 5 take turns opening streams that send Done before Hello and streams
/// that send nothing at all (which hold a slot until the server's Hello deadline). At most
/// [`SLOT_ATTEMPTS`] attempts in all; then the held streams stay open until the attack ends.
async fn slots(
    index: usize,
    client: &mut Client,
    arsenal: &Arsenal,
    tally: &Shared,
    stop: &mut watch::Receiver<bool>,
    deadline: tokio::time::Instant,
) {
    let mut held = Vec::new();
    let mut round = 0u64;
    while !halted(stop, deadline) && with(tally, |t| t.attempts) < SLOT_ATTEMPTS {
        round += 1;
        if index >= 4 && round.is_multiple_of(2) {
            let done = v1::Frame {
                body: Some(Body::Done(v1::Done { received: 0 })),
                ..Default::default()
            };
            let answer = tokio::select! {
                a = one_shot(client, vec![done]) => a,
                () = halt(stop, deadline) => break,
            };
            record(tally, &answer);
            continue;
        }
        let silent = index >= 4;
        let (tx, rx) = mpsc::channel(1);
        if !silent {
            let _ = tx.try_send(hello(&arsenal.own_store));
        }
        let opened = tokio::select! {
            r = client.sync_frames(ReceiverStream::new(rx).map(single)) => r,
            () = halt(stop, deadline) => break,
        };
        match opened {
            Err(status) => record(tally, &Answer::of(&status, false)),
            Ok(response) if silent => {
                // The server either ends it after its Hello deadline or the attack ends first.
                hold(tally, "held silent");
                let tally = tally.clone();
                tokio::spawn(async move {
                    let answer =
                        read_to_end(&mut balai_net::wire::frames(response.into_inner())).await;
                    drop(tx);
                    with(&tally, |t| t.held = t.held.saturating_sub(1));
                    record(&tally, &answer);
                    // Counted once, as held: the answer is only what became of it.
                    with(&tally, |t| t.attempts -= 1);
                });
            }
            Ok(response) => {
                held.push((tx, response.into_inner()));
                hold(tally, "held");
            }
        }
    }
    // Hold what the server accepted until told to stop; the streams close with the runtime.
    halt(stop, deadline).await;
    with(tally, |t| t.held = t.held.saturating_sub(held.len()));
    drop(held);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_bloom_bombs_are_the_issues_bytes() {
        assert_eq!(
            bloom_bomb(u32::MAX),
            [
                0x42, 0, 0, 1, 0, 8, 1, 8, 0xff, 0xff, 0xff, 0xff, 0x0f, 0xff, 0
            ]
        );
        assert_eq!(
            bloom_bomb(100_000_000),
            [0x42, 0, 0, 1, 0, 7, 1, 8, 0x80, 0xc2, 0xd7, 0x2f, 0xff, 0]
        );
    }

    #[test]
    fn nearest_rank_percentiles() {
        let d: Vec<Duration> = (1..=60).map(Duration::from_millis).collect();
        assert_eq!(percentile(&d, 0.5), Duration::from_millis(30));
        assert_eq!(percentile(&d, 0.99), Duration::from_millis(60));
        assert_eq!(percentile(&d[..10], 0.99), Duration::from_millis(10));
        assert_eq!(percentile(&[], 0.99), Duration::ZERO);
    }
}
