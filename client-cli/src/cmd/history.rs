//! `balai history ID`: who changed a document, what and when, from its own change history, with
//! device names instead of actor ids.

use anyhow::Context;
use balai_cli::actors::Actors;
use balai_cli::home::Home;
use balai_cli::tr;
use balai_shared::model::authors;
use serde::Serialize;

/// One change as `balai history` shows it.
#[derive(Debug, Serialize)]
pub(crate) struct Row {
    hash: String,
    actor: String,
    /// The device's name, when a document named it; `null` otherwise.
    device: Option<String>,
    /// RFC 3339 in UTC, as the device's clock said.
    time: Option<String>,
    message: Option<String>,
    created: bool,
}

pub(crate) fn history(home: &Home, typed: &str, all: bool, json: bool) -> anyhow::Result<()> {
    let id = home.resolve(typed)?;
    let doc = home
        .store
        .load(&id)?
        .with_context(|| tr!("err-no-document-to-show", id = id.to_string()))?;
    // Names from this document first (a device signs what it edits), then from every other
    // document on this device, for changes made before that device signed this one.
    let own = authors::authors(&doc);
    let mut known = Actors::open(&home.dir)?;
    known.refresh(&home.store)?;
    let rows: Vec<Row> = authors::history(&doc)
        .into_iter()
        .filter(|c| all || !c.signature)
        .map(|c| Row {
            device: own
                .get(&c.actor)
                .cloned()
                .or_else(|| known.name(&c.actor).map(str::to_owned)),
            time: c
                .time
                .and_then(|t| jiff::Timestamp::from_second(t).ok())
                .map(|t| t.to_string()),
            hash: c.hash,
            actor: c.actor,
            message: c.message,
            created: c.created,
        })
        .collect();
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    let tz = jiff::tz::TimeZone::system();
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header([
        tr!("history-col-when"),
        tr!("history-col-device"),
        tr!("history-col-change"),
    ]);
    for r in &rows {
        let when = r
            .time
            .as_deref()
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .map_or_else(
                || tr!("history-no-time"),
                |t| {
                    t.to_zoned(tz.clone())
                        .strftime("%Y-%m-%d %H:%M")
                        .to_string()
                },
            );
        // Names are what devices say of themselves: the actor prefix beside each keeps two
        // devices that claim one name apart.
        let actor: String = r.actor.chars().take(8).collect();
        let device = match &r.device {
            Some(name) => tr!("history-device", name = name.clone(), actor = actor),
            None => tr!("history-unknown-device", actor = actor),
        };
        let mut what = r.message.clone().unwrap_or_default();
        if r.created {
            what = tr!("history-created", message = what);
        }
        table.add_row([when, device, what]);
    }
    println!("{table}");
    println!(
        "{}",
        tr!(
            "history-summary",
            changes = rows.len(),
            zone = tz.iana_name().unwrap_or("UTC").to_owned()
        )
    );
    Ok(())
}
