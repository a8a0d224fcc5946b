//! `balai status`: what this device has not yet synced, and its last sync.

use balai_cli::home::Home;
use balai_cli::tr;

#[derive(serde::Serialize)]
pub(crate) struct StatusReport {
    device: String,
    server: String,
    store: String,
    documents: u64,
    last_sync: Option<String>,
    unsynced: Vec<String>,
}

pub(crate) fn status(home: &Home, json: bool) -> anyhow::Result<()> {
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
    let labels = [
        tr!("device-status-device"),
        tr!("device-status-server"),
        tr!("device-status-documents"),
        tr!("device-status-last-sync"),
    ];
    // The values line up after the longest label (11 columns in English, as before).
    let w = labels
        .iter()
        .map(|l| l.chars().count() + 2)
        .max()
        .unwrap_or(0)
        .max(11);
    let [device, server, documents, last_sync] = &labels;
    let store = tr!("device-status-store", store = home.store.id().short());
    println!("{device:<w$}{} ({store})", report.device);
    println!("{server:<w$}{}", report.server);
    println!("{documents:<w$}{}", report.documents);
    let never = tr!("device-status-never");
    println!(
        "{last_sync:<w$}{}",
        report.last_sync.as_deref().unwrap_or(&never)
    );
    if report.unsynced.is_empty() {
        println!("{}", tr!("device-status-all-synced"));
    } else {
        println!(
            "{}",
            tr!("device-status-unsynced", n = report.unsynced.len())
        );
        for id in &report.unsynced {
            println!("  {id}");
        }
        println!("{}", tr!("device-status-sync-hint"));
    }
    Ok(())
}
