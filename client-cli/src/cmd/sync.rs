//! `balai sync`: one sync with the server, with retries, progress and shedding of out-of-scope records.

use std::io::IsTerminal;

use anyhow::Context;
use balai_cli::home::Home;
use balai_cli::i18n::describe;
use balai_cli::{render, shed, tr};
use balai_net::client::{Progress, SyncReport};
use balai_net::retry::{RetryNotice, RetryPolicy, sync_with_retry};

use super::runtime;

pub(crate) fn sync(
    mut home: Home,
    json: bool,
    policy: RetryPolicy,
    no_compression: bool,
) -> anyhow::Result<()> {
    let rt = runtime()?;
    let bar = if std::io::stderr().is_terminal() && !json {
        let bar = indicatif::ProgressBar::new_spinner();
        bar.set_message(tr!("sync-connecting", server = &home.config.server));
        bar.enable_steady_tick(std::time::Duration::from_millis(120));
        bar
    } else {
        indicatif::ProgressBar::hidden()
    };
    // Not on a terminal (a log, a script): a plain line at each tenth of the documents offered,
    // so a long sync still shows it is moving, without a line per document.
    let plain = !json && bar.is_hidden();
    let printed_tenth = std::sync::atomic::AtomicU64::new(0);
    let progress = |p: Progress| {
        let msg = tr!(
            "sync-progress",
            done = p.done,
            offered = p.offered,
            bytes = p.bytes
        );
        if plain {
            let tenth = (p.done * 10).checked_div(p.offered).unwrap_or(0).min(10);
            let before = printed_tenth.fetch_max(tenth, std::sync::atomic::Ordering::Relaxed);
            if p.offered >= 100 && tenth > before {
                eprintln!("balai: {msg}");
            }
        } else {
            bar.set_message(msg);
        }
    };
    let on_retry = |n: RetryNotice<'_>| {
        let msg = tr!(
            "sync-retry",
            attempt = n.attempt,
            reason = describe::sync_failure(n.error),
            wait = format!("{:.1}", n.wait.as_secs_f64())
        );
        if bar.is_hidden() {
            eprintln!("balai: {msg}");
        } else {
            bar.println(msg);
        }
    };
    let mut conn = home.connection()?;
    if no_compression {
        conn.compression = balai_net::client::Compression::Off;
    }
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
    let shed = shed::shed(&home.store, &server, &report.out_of_scope)
        .with_context(|| tr!("err-shed-failed"))?;
    if json {
        let output = SyncOutput {
            report: &report,
            removed_out_of_scope: &shed.removed,
            kept_out_of_scope: &shed.kept,
        };
        println!("{}", serde_json::to_string_pretty(&output)?);
    } else {
        println!(
            "{}",
            tr!(
                "sync-done",
                name = &report.server_name,
                url = &report.server,
                ms = report.millis,
                sent = report.docs_sent,
                sent_bytes = report.change_bytes_sent,
                received = report.docs_received,
                received_bytes = report.change_bytes_received,
                round_trips = report.round_trips
            )
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
pub(crate) struct SyncOutput<'a> {
    #[serde(flatten)]
    report: &'a SyncReport,
    /// Removed from this device: the server holds all of them.
    removed_out_of_scope: &'a [shed::OutOfScope],
    /// Kept: they hold changes the server never acknowledged.
    kept_out_of_scope: &'a [shed::OutOfScope],
}
