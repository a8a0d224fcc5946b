//! `balai report activity` as text and CSV: records and edits per device and ISO week, and per
//! device, with devices named as they signed their documents.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use balai_shared::report::Table;
use balai_shared::report::activity::ActivityReport;

use super::{day, flagged, heading, numeric, table};
use crate::tr;

/// Hex digits of an actor id shown when no document names its device.
const SHORT_HEX: usize = 8;

/// What the report calls each device: actor id (hex) → device name, for the actors whose device
/// is known.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct DeviceNames(BTreeMap<String, String>);

impl DeviceNames {
    /// The names of the report's actors that `name` knows.
    pub fn of(report: &ActivityReport, name: impl Fn(&str) -> Option<String>) -> Self {
        let actors = report.devices.iter().map(|d| d.actor.as_str());
        Self(
            actors
                .filter_map(|a| name(a).map(|n| (a.to_owned(), n)))
                .collect(),
        )
    }

    /// Actor (hex) → device name, as the JSON output carries it.
    pub fn as_map(&self) -> &BTreeMap<String, String> {
        &self.0
    }

    /// The device's name, or the start of its actor id when none is known.
    fn label(&self, actor: &str) -> String {
        let short = || format!("{}…", actor.get(..SHORT_HEX).unwrap_or(actor));
        match self.0.get(actor) {
            // Two devices with one name (a phone set up twice) stay apart.
            Some(name) if self.0.values().filter(|n| *n == name).count() > 1 => {
                format!("{name} ({})", short())
            }
            Some(name) => name.clone(),
            None => short(),
        }
    }
}

/// The whole report, in the current language; `time_zone` names the zone its days are in.
pub fn render(report: &ActivityReport, names: &DeviceNames, time_zone: &str) -> String {
    let mut out = String::new();
    heading(
        &mut out,
        tr!("report-activity-title"),
        &report.filter,
        report.today,
    );
    let _ = writeln!(out, "{}", tr!("report-time-zone", zone = time_zone));
    if report.devices.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("report-activity-none"));
        return out;
    }

    let _ = writeln!(out, "\n{}", tr!("report-activity-weeks"));
    let mut weeks = table(vec![
        tr!("report-col-device"),
        tr!("report-col-week"),
        tr!("report-col-week-start"),
        tr!("report-col-records"),
        tr!("report-col-edits"),
        tr!("report-col-documents"),
    ]);
    for w in &report.weeks {
        weeks.add_row(vec![
            names.label(&w.actor),
            w.week.to_string(),
            w.week_start.to_string(),
            w.records.to_string(),
            w.edits.to_string(),
            w.documents.to_string(),
        ]);
    }
    numeric(&mut weeks, 3..=5);
    let _ = writeln!(out, "{weeks}");

    let _ = writeln!(out, "\n{}", tr!("report-activity-devices"));
    let mut devices = table(vec![
        tr!("report-col-device"),
        tr!("report-col-records"),
        tr!("report-col-edits"),
        tr!("report-col-documents"),
        tr!("report-col-first-day"),
        tr!("report-col-last-day"),
        tr!("report-col-attention"),
    ]);
    for d in &report.devices {
        let mut attention = Vec::new();
        if d.after_today > 0 {
            attention.push(flagged(&tr!("report-flag-after-today", n = d.after_today)));
        }
        if d.undated > 0 {
            attention.push(flagged(&tr!("report-flag-undated", n = d.undated)));
        }
        devices.add_row(vec![
            names.label(&d.actor),
            d.records.to_string(),
            d.edits.to_string(),
            d.documents.to_string(),
            day(d.first),
            day(d.last),
            attention.join("\n"),
        ]);
    }
    numeric(&mut devices, 1..=3);
    let _ = writeln!(out, "{devices}");
    let _ = writeln!(out, "\n{}", tr!("report-activity-legend"));
    out
}

/// The report's CSV tables with a `device` column after `actor`: the name, or empty when none
/// is known (the actor id is always there).
pub fn tables(report: &ActivityReport, names: &DeviceNames) -> Vec<Table> {
    let mut tables = report.tables();
    for t in &mut tables {
        let Some(actor) = t.header.iter().position(|h| *h == "actor") else {
            continue;
        };
        t.header.insert(actor + 1, "device");
        for row in &mut t.rows {
            let name = row
                .get(actor)
                .and_then(|a| names.0.get(a))
                .cloned()
                .unwrap_or_default();
            row.insert((actor + 1).min(row.len()), name);
        }
    }
    tables
}
