//! `balai-bench`: starts the real `balai-server` on 127.0.0.1 with a temporary data dir, drives
//! real client sessions (the code `balai sync` runs) through a byte-counting relay, and prints one
//! table row per scenario. `--quick` runs a small version (CI's smoke test).

mod access;
mod baseline;
mod client;
mod hostile;
mod regency;
mod relay;
mod report;
mod scenarios;
mod server;
mod sink;
mod workload;

use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

use clap::Parser;

use report::Row;
use scenarios::{Ctx, Sizes};
use server::Binaries;

const SCENARIOS: &[&str] = &[
    "initial-10k",
    "large",
    "noop-reconnect",
    "one-change",
    "baseline",
    "initial-village",
    "many-devices",
    "field-day-2g",
    "hostile",
    "regency",
    "sink",
];

/// Balai's benchmark: real server binary, real client sessions, one row per scenario.
#[derive(Debug, Parser)]
#[command(name = "balai-bench")]
struct Args {
    /// Scenarios to run (default: all but sink, which takes 11 minutes; `all` includes it):
    /// initial-10k, large (100,000 documents), noop-reconnect, one-change, baseline, initial-village, many-devices,
    /// field-day-2g, hostile, regency, sink. The first four share one setup and run together.
    scenarios: Vec<String>,
    /// A small version of every scenario, for CI (seconds, not minutes).
    #[arg(long)]
    quick: bool,
    /// Print the rows as JSON on stdout instead of the table.
    #[arg(long)]
    json: bool,
    /// Directory holding a prebuilt `balai-server` (default: build it like the e2e tests do).
    #[arg(long, env = "BALAI_E2E_BIN_DIR")]
    bin_dir: Option<PathBuf>,
}

#[tokio::main]
async fn main() -> ExitCode {
    let args = Args::parse();
    match run(args).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("balai-bench: {e:#}");
            ExitCode::FAILURE
        }
    }
}

async fn run(args: Args) -> anyhow::Result<()> {
    for s in &args.scenarios {
        if s != "all" && !SCENARIOS.contains(&s.as_str()) {
            anyhow::bail!("unknown scenario `{s}`; known: {}", SCENARIOS.join(", "));
        }
    }
    let wants = |names: &[&str]| {
        args.scenarios.is_empty()
            || args
                .scenarios
                .iter()
                .any(|s| s == "all" || names.contains(&s.as_str()))
    };
    let started = Instant::now();
    eprintln!("{}", machine());
    let bins = Binaries::locate(args.bin_dir.as_deref())?;
    let mut ctx = Ctx {
        bins,
        sizes: if args.quick {
            Sizes::QUICK
        } else {
            Sizes::FULL
        },
        dir: tempfile::Builder::new().prefix("balai-bench-").tempdir()?,
    };
    if std::env::var_os("BALAI_BENCH_KEEP").is_some() {
        eprintln!("keeping {} (BALAI_BENCH_KEEP)", ctx.dir.path().display());
        ctx.dir.disable_cleanup(true);
    }
    let mut rows: Vec<Row> = Vec::new();
    if wants(&["initial-10k", "noop-reconnect", "one-change", "baseline"]) {
        eprintln!("corpus: {} trainings…", ctx.sizes.corpus);
        rows.extend(scenarios::corpus(&ctx).await?);
    }
    if wants(&["large"]) {
        eprintln!("large corpus: {} trainings…", ctx.sizes.large_corpus);
        rows.extend(scenarios::corpus_large(&ctx).await?);
    }
    if wants(&["initial-village"]) {
        eprintln!("initial-village: {} documents…", ctx.sizes.village);
        rows.extend(scenarios::initial_village(&ctx).await?);
    }
    if wants(&["many-devices"]) {
        eprintln!(
            "many-devices: {} devices × {} waves…",
            ctx.sizes.devices, ctx.sizes.waves
        );
        rows.extend(scenarios::many_devices(&ctx).await?);
    }
    if wants(&["field-day-2g"]) {
        eprintln!("field-day-2g…");
        rows.extend(scenarios::field_day(&ctx).await?);
    }
    if wants(&["hostile"]) {
        eprintln!(
            "hostile: {} syncs per phase, {} documents…",
            ctx.sizes.hostile_syncs, ctx.sizes.hostile_docs
        );
        rows.extend(hostile::hostile(&ctx).await?);
    }
    if wants(&["regency"]) {
        eprintln!(
            "regency: {} documents in {} districts…",
            ctx.sizes.regency_docs, ctx.sizes.regency_districts
        );
        rows.extend(regency::regency(&ctx).await?);
    }
    // Eleven minutes at full size: in quick mode and when named (`sink`, `all`), not in the
    // default full run, which stays under ten minutes.
    if wants(&["sink"]) && (args.quick || !args.scenarios.is_empty()) {
        eprintln!(
            "sink: {} documents into PostgreSQL, then {} devices' live load…",
            ctx.sizes.sink_docs, ctx.sizes.sink_devices
        );
        rows.extend(sink::sink(&ctx).await?);
    }
    if args.json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
    } else {
        println!("{}\n", machine());
        println!("{}", report::table(&rows));
    }
    eprintln!("all scenarios in {:.1} s", started.elapsed().as_secs_f64());
    Ok(())
}

/// One line about the machine and build, for the record.
fn machine() -> String {
    let cpu = std::fs::read_to_string("/proc/cpuinfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("model name"))
                .and_then(|l| l.split(':').nth(1))
                .map(|m| m.trim().to_owned())
        })
        .unwrap_or_else(|| "unknown CPU".into());
    let mem_gib = std::fs::read_to_string("/proc/meminfo")
        .ok()
        .and_then(|s| {
            s.lines()
                .find(|l| l.starts_with("MemTotal:"))
                .and_then(|l| l.split_whitespace().nth(1))
                .and_then(|k| k.parse::<f64>().ok())
        })
        .map_or(0.0, |k| k / 1024.0 / 1024.0);
    let kernel = std::fs::read_to_string("/proc/sys/kernel/osrelease").unwrap_or_default();
    let load = std::fs::read_to_string("/proc/loadavg")
        .ok()
        .and_then(|l| l.split_whitespace().next().map(str::to_owned))
        .unwrap_or_default();
    format!(
        "machine: {} × {cpu}, {mem_gib:.0} GiB, Linux {}; {} build; load average {load}",
        std::thread::available_parallelism().map_or(0, std::num::NonZero::get),
        kernel.trim(),
        if cfg!(debug_assertions) {
            "debug"
        } else {
            "release"
        }
    )
}
