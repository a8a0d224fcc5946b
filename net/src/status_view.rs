//! Terminal views for a server's admin: its status (who syncs and who has gone silent, each
//! village's latest change, the upstream link, the analytics sink) and the outcomes of `SyncNow`
//! and `Resync`.
//!
//! Shared by `balai admin status` (over gRPC) and `balai-server status` (offline, on a stopped
//! server's data directory), so both print the same thing. These are pure functions of the
//! responses: every age is measured against the response's `now_unix_ms`, never the wall clock,
//! so one response always renders the same text. Document counts of a device's last sync are the
//! server's: "to" the device is what the server sent, "from" what it received.
//!
//! Every phrase goes through a [`Labels`]: `balai-server` prints [`English`], and `balai admin`
//! passes one that speaks the admin's language. Layout, numbers, times and names stay here.

use std::fmt::Write as _;

use balai_shared::proto::v1;
use comfy_table::Table;
use comfy_table::presets::UTF8_FULL_CONDENSED;

const SECOND_MS: u64 = 1_000;
const MINUTE_MS: u64 = 60 * SECOND_MS;
const HOUR_MS: u64 = 60 * MINUTE_MS;
const DAY_MS: u64 = 24 * HOUR_MS;
/// A failure reason longer than this is cut (with an ellipsis) in the devices table.
const REASON_CHARS: usize = 40;
/// The upstream and sink sections' values start at this column at least.
const ROW_LABEL_CHARS: usize = 32;

/// Things the views count.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Noun {
    Document,
    Change,
    Device,
    Village,
    Day,
    RoundTrip,
    Store,
    SyncState,
    /// A row the analytics sink wrote in PostgreSQL.
    Row,
}

/// The units a duration is coarsened to.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    Seconds,
    Minutes,
    Hours,
    Days,
}

/// Column headings of the devices and villages tables.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Column {
    Device,
    Role,
    Scope,
    LastSync,
    DocsToFrom,
    Sessions,
    LastFailure,
    Silent,
    Village,
    Documents,
    LatestChange,
    LatestSeq,
}

/// Row labels of the upstream and sink sections.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Row {
    Scopes,
    /// Upstream and sink.
    LastSuccess,
    /// Upstream and sink.
    LastFailure,
    Pending,
    NextAttempt,
    /// Sink: connected or not.
    Connection,
    /// Sink: how far the feed is projected.
    Projected,
    /// Sink: documents and rows written since the server started.
    Written,
}

/// Every phrase of these views, with its values. Text that is already formatted (a span, a
/// moment, a time) is passed as `&str`.
#[derive(Clone, Copy, Debug)]
pub enum Phrase<'a> {
    /// `1 document`, `2 documents`.
    Count {
        n: u64,
        noun: Noun,
    },
    /// `3 min`.
    Span {
        n: u64,
        unit: Unit,
    },
    /// `in 3 min`.
    In {
        span: &'a str,
    },
    /// `3 min ago`.
    Ago {
        span: &'a str,
    },
    JustNow,
    /// An active device that never completed a session.
    NeverSynced,
    /// An active device silent for longer than asked.
    Stale {
        days: u64,
    },
    Header(Column),
    RowLabel(Row),
    Never,
    /// No failure.
    Nothing,
    RevokedOn {
        day: &'a str,
    },
    /// The heading of the upstream section.
    Upstream {
        url: &'a str,
        server: Option<&'a str>,
    },
    /// `{moment}: 4 documents up, 2 down`.
    LastSuccess {
        moment: &'a str,
        sent: u64,
        received: u64,
    },
    /// After the last failure, a success.
    SucceededSince,
    /// `1 failure`, `3 failures in a row`.
    Failures {
        n: u32,
    },
    NothingPending,
    /// `5 documents (17 changes)`.
    Pending {
        documents: u64,
        changes: u64,
    },
    RunningOrUnknown,
    DueNow {
        at: &'a str,
    },
    /// The heading of the analytics sink section (the URL without its password).
    Sink {
        url: &'a str,
    },
    /// Connected (and its schema migrated) or not.
    SinkConnection {
        connected: bool,
    },
    /// `up to seq 120 of 125 (5 feed entries behind)`, or `(caught up)` when `lag` is 0.
    Projected {
        projected: u64,
        latest: u64,
        lag: u64,
    },
    /// `40 documents, 312 rows`.
    Written {
        documents: u64,
        rows: u64,
    },
    /// The first line: which server, as of when.
    Heading {
        server: Option<&'a str>,
        at: &'a str,
    },
    NoDevices,
    NoVillages,
    NoUpstream,
    /// The last line.
    Summary {
        devices: u64,
        revoked: u64,
        /// Devices silent for more than `days`, when asked.
        silent: Option<(u64, u32)>,
        villages: u64,
        documents: u64,
    },
    Replicated {
        url: Option<&'a str>,
        sent: u64,
        received: u64,
        kib: f64,
        round_trips: u64,
        millis: u64,
    },
    StillPending {
        documents: u64,
        changes: u64,
    },
    UpstreamFailed {
        error: Option<&'a str>,
    },
    CheckUpstream {
        url: Option<&'a str>,
    },
    ResyncNothing {
        name: &'a str,
        revoked: bool,
    },
    ResyncForgot {
        name: &'a str,
        stores: u32,
        sync_states: u64,
        revoked: bool,
    },
}

/// Turns phrases into text in some language.
pub trait Labels {
    fn phrase(&self, phrase: Phrase<'_>) -> String;
}

/// The phrases in English, as `balai-server` prints them.
#[derive(Clone, Copy, Debug, Default)]
pub struct English;

/// `1 document`, `2 documents`.
fn count(n: u64, one: &str, many: &str) -> String {
    if n == 1 {
        format!("1 {one}")
    } else {
        format!("{n} {many}")
    }
}

impl English {
    fn count(n: u64, noun: Noun) -> String {
        let (one, many) = match noun {
            Noun::Document => ("document", "documents"),
            Noun::Change => ("change", "changes"),
            Noun::Device => ("device", "devices"),
            Noun::Village => ("village", "villages"),
            Noun::Day => ("day", "days"),
            Noun::RoundTrip => ("round trip", "round trips"),
            Noun::Store => ("store", "stores"),
            Noun::SyncState => ("sync state", "sync states"),
            Noun::Row => ("row", "rows"),
        };
        count(n, one, many)
    }

    fn pending(documents: u64, changes: u64) -> String {
        format!(
            "{} ({})",
            Self::count(documents, Noun::Document),
            Self::count(changes, Noun::Change)
        )
    }
}

const REVOKED_NOTE: &str = " (note: the device is revoked, so it will not sync again)";

impl Labels for English {
    fn phrase(&self, phrase: Phrase<'_>) -> String {
        match phrase {
            Phrase::Count { n, noun } => Self::count(n, noun),
            Phrase::Span { n, unit } => match unit {
                Unit::Seconds => format!("{n} s"),
                Unit::Minutes => format!("{n} min"),
                Unit::Hours => format!("{n} h"),
                Unit::Days => format!("{n} days"),
            },
            Phrase::In { span } => format!("in {span}"),
            Phrase::Ago { span } => format!("{span} ago"),
            Phrase::JustNow => "just now".to_owned(),
            Phrase::NeverSynced => "never synced".to_owned(),
            Phrase::Stale { days } => format!("STALE {days} d"),
            Phrase::Header(column) => match column {
                Column::Device => "device",
                Column::Role => "role",
                Column::Scope => "scope",
                Column::LastSync => "last sync",
                Column::DocsToFrom => "docs to/from",
                Column::Sessions => "sessions ok/failed",
                Column::LastFailure => "last failure",
                Column::Silent => "silent",
                Column::Village => "village",
                Column::Documents => "documents",
                Column::LatestChange => "latest change",
                Column::LatestSeq => "latest seq",
            }
            .to_owned(),
            Phrase::RowLabel(row) => match row {
                Row::Scopes => "scopes",
                Row::LastSuccess => "last success",
                Row::LastFailure => "last failure",
                Row::Pending => "not yet acknowledged upstream",
                Row::NextAttempt => "next attempt",
                Row::Connection => "connection",
                Row::Projected => "projected",
                Row::Written => "written since start",
            }
            .to_owned(),
            Phrase::Never => "never".to_owned(),
            Phrase::Nothing => "none".to_owned(),
            Phrase::RevokedOn { day } => format!("revoked {day}"),
            Phrase::Upstream { url, server } => match server {
                Some(name) => format!("upstream {url} (server `{name}`)"),
                None => format!("upstream {url}"),
            },
            Phrase::LastSuccess {
                moment,
                sent,
                received,
            } => format!(
                "{moment}: {} up, {received} down",
                Self::count(sent, Noun::Document)
            ),
            Phrase::SucceededSince => "(succeeded since)".to_owned(),
            Phrase::Failures { n: 1 } => "(1 failure)".to_owned(),
            Phrase::Failures { n } => format!("({n} failures in a row)"),
            Phrase::NothingPending => "nothing (the upstream has every change)".to_owned(),
            Phrase::Pending { documents, changes } => Self::pending(documents, changes),
            Phrase::RunningOrUnknown => "running now, or unknown (server stopped)".to_owned(),
            Phrase::DueNow { at } => format!("due now ({at})"),
            Phrase::Sink { url } => format!("analytics sink (PostgreSQL) {url}"),
            Phrase::SinkConnection { connected: true } => "connected".to_owned(),
            Phrase::SinkConnection { connected: false } => "not connected".to_owned(),
            Phrase::Projected {
                projected,
                latest,
                lag,
            } => {
                let behind = match lag {
                    0 => "caught up".to_owned(),
                    1 => "1 feed entry behind".to_owned(),
                    n => format!("{n} feed entries behind"),
                };
                format!("up to seq {projected} of {latest} ({behind})")
            }
            Phrase::Written { documents, rows } => format!(
                "{}, {}",
                Self::count(documents, Noun::Document),
                Self::count(rows, Noun::Row)
            ),
            Phrase::Heading { server, at } => match server {
                Some(name) => format!("server `{name}`, as of {at}"),
                None => format!("server, as of {at}"),
            },
            Phrase::NoDevices => "devices: none".to_owned(),
            Phrase::NoVillages => "villages: none yet".to_owned(),
            Phrase::NoUpstream => "upstream: none (this server is the top of its tree)".to_owned(),
            Phrase::Summary {
                devices,
                revoked,
                silent,
                villages,
                documents,
            } => {
                let mut text = Self::count(devices, Noun::Device);
                if revoked > 0 {
                    let _ = write!(text, " ({revoked} revoked)");
                }
                if let Some((silent, days)) = silent {
                    let _ = write!(
                        text,
                        ", {silent} silent for more than {}",
                        Self::count(u64::from(days), Noun::Day)
                    );
                }
                format!(
                    "{text}; {}, {}",
                    Self::count(villages, Noun::Village),
                    Self::count(documents, Noun::Document)
                )
            }
            Phrase::Replicated {
                url,
                sent,
                received,
                kib,
                round_trips,
                millis,
            } => {
                let with = url.map(|u| format!(" with {u}")).unwrap_or_default();
                format!(
                    "replicated upstream{with}: {} up, {received} down, {kib:.1} KiB, {}, {millis} ms",
                    Self::count(sent, Noun::Document),
                    Self::count(round_trips, Noun::RoundTrip),
                )
            }
            Phrase::StillPending { documents, changes } => format!(
                "still not acknowledged upstream: {} (changed during the sync, or not accepted \
                 there); they go with the next sync",
                Self::pending(documents, changes)
            ),
            Phrase::UpstreamFailed { error } => format!(
                "upstream sync failed: {}",
                error.unwrap_or("no reason given")
            ),
            Phrase::CheckUpstream { url } => format!(
                "check that {} is reachable from this server, that this server's upstream \
                 token is still valid there (not revoked or rescoped) and that the upstream's \
                 certificate is trusted",
                url.unwrap_or("the upstream URL")
            ),
            Phrase::ResyncNothing { name, revoked } => format!(
                "`{name}` has no stores on this server (it never completed a sync); nothing to forget{}",
                if revoked { REVOKED_NOTE } else { "" }
            ),
            Phrase::ResyncForgot {
                name,
                stores,
                sync_states,
                revoked,
            } => format!(
                "forgot the checkpoints of `{name}`'s {} and {}; its next session re-diffs every \
                 document{}",
                Self::count(u64::from(stores), Noun::Store),
                Self::count(sync_states, Noun::SyncState),
                if revoked { REVOKED_NOTE } else { "" }
            ),
        }
    }
}

/// A duration, coarsened to the unit an admin reads at a glance.
fn span(l: &dyn Labels, ms: u64) -> String {
    let (n, unit) = if ms < MINUTE_MS {
        (ms / SECOND_MS, Unit::Seconds)
    } else if ms < HOUR_MS {
        (ms / MINUTE_MS, Unit::Minutes)
    } else if ms < 2 * DAY_MS {
        (ms / HOUR_MS, Unit::Hours)
    } else {
        (ms / DAY_MS, Unit::Days)
    };
    l.phrase(Phrase::Span { n, unit })
}

/// How long before `now` something happened ("3 min ago"), or how long after it ("in 2 h").
fn relative(l: &dyn Labels, now_ms: i64, then_ms: i64) -> String {
    let delta = now_ms.saturating_sub(then_ms);
    if delta < 0 {
        l.phrase(Phrase::In {
            span: &span(l, delta.unsigned_abs()),
        })
    } else if delta.unsigned_abs() < SECOND_MS {
        l.phrase(Phrase::JustNow)
    } else {
        l.phrase(Phrase::Ago {
            span: &span(l, delta.unsigned_abs()),
        })
    }
}

/// A moment in UTC, to the minute.
fn utc(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d %H:%M UTC").to_string())
        .unwrap_or_else(|_| format!("{ms} ms"))
}

/// A day in UTC.
fn day(ms: i64) -> String {
    jiff::Timestamp::from_millisecond(ms)
        .map(|t| t.strftime("%Y-%m-%d").to_string())
        .unwrap_or_else(|_| format!("{ms} ms"))
}

/// "3 min ago (2024-06-01 12:00 UTC)", or `never` for 0.
fn moment(l: &dyn Labels, now_ms: i64, ms: i64, never: Phrase<'_>) -> String {
    if ms == 0 {
        l.phrase(never)
    } else {
        format!("{} ({})", relative(l, now_ms, ms), utc(ms))
    }
}

/// Whitespace collapsed (a reason may span lines) and cut to `max` characters.
fn shorten(text: &str, max: usize) -> String {
    let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
    if flat.chars().count() <= max {
        flat
    } else {
        let mut cut: String = flat.chars().take(max.saturating_sub(1)).collect();
        cut.push('…');
        cut
    }
}

fn is_revoked(d: &v1::DeviceStatus) -> bool {
    d.device.as_ref().is_some_and(|i| i.revoked_unix != 0)
}

/// The flag of an active device that has not completed a session for more than `stale_days`
/// (or never has); `None` for a device that synced recently enough, a revoked device, or when
/// no threshold was asked for.
fn silence(
    l: &dyn Labels,
    d: &v1::DeviceStatus,
    now_ms: i64,
    stale_days: Option<u32>,
) -> Option<String> {
    let days = stale_days?;
    if is_revoked(d) {
        return None;
    }
    if d.last_success_unix_ms == 0 {
        return Some(l.phrase(Phrase::NeverSynced));
    }
    let age = now_ms.saturating_sub(d.last_success_unix_ms);
    let limit = i64::from(days).saturating_mul(DAY_MS as i64);
    (age > limit).then(|| {
        l.phrase(Phrase::Stale {
            days: age.unsigned_abs() / DAY_MS,
        })
    })
}

fn devices_table(l: &dyn Labels, resp: &v1::StatusResponse, stale_days: Option<u32>) -> Table {
    let now = resp.now_unix_ms;
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(
        [
            Column::Device,
            Column::Role,
            Column::Scope,
            Column::LastSync,
            Column::DocsToFrom,
            Column::Sessions,
            Column::LastFailure,
            Column::Silent,
        ]
        .map(|c| l.phrase(Phrase::Header(c))),
    );
    for d in &resp.devices {
        let (name, role, scope) = match &d.device {
            Some(i) => (
                i.name.clone(),
                i.role.clone(),
                if i.scopes.is_empty() {
                    "—".to_owned()
                } else {
                    i.scopes.join(",")
                },
            ),
            None => ("?".to_owned(), "?".to_owned(), "—".to_owned()),
        };
        let last_sync = if d.last_success_unix_ms == 0 {
            l.phrase(Phrase::Never)
        } else {
            format!(
                "{}\n{}",
                relative(l, now, d.last_success_unix_ms),
                utc(d.last_success_unix_ms)
            )
        };
        let docs = if d.last_success_unix_ms == 0 {
            "—".to_owned()
        } else {
            format!("{} / {}", d.last_docs_sent, d.last_docs_received)
        };
        let failure = if d.last_failure_unix_ms == 0 {
            "—".to_owned()
        } else {
            let phase = if d.last_failure_phase.is_empty() {
                String::new()
            } else {
                format!(", {}", d.last_failure_phase)
            };
            let reason = shorten(&d.last_failure_reason, REASON_CHARS);
            let mut cell = format!("{}{phase}", relative(l, now, d.last_failure_unix_ms));
            if !reason.is_empty() {
                cell.push('\n');
                cell.push_str(&reason);
            }
            cell
        };
        let flag = match d.device.as_ref().filter(|i| i.revoked_unix != 0) {
            Some(i) => l.phrase(Phrase::RevokedOn {
                day: &day(i.revoked_unix.saturating_mul(1000)),
            }),
            None => silence(l, d, now, stale_days).unwrap_or_default(),
        };
        table.add_row([
            name,
            role,
            scope,
            last_sync,
            docs,
            format!("{} / {}", d.sessions_ok, d.sessions_failed),
            failure,
            flag,
        ]);
    }
    table
}

fn villages_table(l: &dyn Labels, resp: &v1::StatusResponse) -> Table {
    let mut table = Table::new();
    table.load_preset(UTF8_FULL_CONDENSED);
    table.set_header(
        [
            Column::Village,
            Column::Documents,
            Column::LatestChange,
            Column::LatestSeq,
        ]
        .map(|c| l.phrase(Phrase::Header(c))),
    );
    for v in &resp.villages {
        let latest = if v.latest_unix_ms == 0 {
            "—".to_owned()
        } else {
            format!(
                "{} ({})",
                relative(l, resp.now_unix_ms, v.latest_unix_ms),
                utc(v.latest_unix_ms)
            )
        };
        table.add_row([
            v.village.clone(),
            v.documents.to_string(),
            latest,
            v.latest_seq.to_string(),
        ]);
    }
    table
}

/// The column the values of the upstream and sink sections start at: past every row label of
/// both, so the two sections line up in any language.
fn label_width(l: &dyn Labels) -> usize {
    [
        Row::Scopes,
        Row::LastSuccess,
        Row::LastFailure,
        Row::Pending,
        Row::NextAttempt,
        Row::Connection,
        Row::Projected,
        Row::Written,
    ]
    .iter()
    .map(|r| l.phrase(Phrase::RowLabel(*r)).chars().count() + 3)
    .fold(ROW_LABEL_CHARS, usize::max)
}

/// "5 documents (17 changes)", or that nothing is waiting.
fn pending(l: &dyn Labels, u: &v1::UpstreamStatus) -> String {
    if u.pending_documents == 0 && u.pending_changes == 0 {
        l.phrase(Phrase::NothingPending)
    } else {
        l.phrase(Phrase::Pending {
            documents: u.pending_documents,
            changes: u.pending_changes,
        })
    }
}

fn upstream_section(l: &dyn Labels, out: &mut String, u: &v1::UpstreamStatus, now_ms: i64) {
    let server = Some(u.server_name.as_str()).filter(|n| !n.is_empty());
    let _ = writeln!(
        out,
        "{}",
        l.phrase(Phrase::Upstream {
            url: &u.url,
            server
        })
    );
    let rows = [
        Row::Scopes,
        Row::LastSuccess,
        Row::LastFailure,
        Row::Pending,
        Row::NextAttempt,
    ]
    .map(|r| l.phrase(Phrase::RowLabel(r)));
    let width = label_width(l);
    let [
        scopes_label,
        success_label,
        failure_label,
        pending_label,
        next_label,
    ] = &rows;

    let scopes = if u.scopes.is_empty() {
        "—".to_owned()
    } else {
        u.scopes.join(",")
    };
    let _ = writeln!(out, "  {scopes_label:<width$}{scopes}");
    let success = if u.last_success_unix_ms == 0 {
        l.phrase(Phrase::Never)
    } else {
        l.phrase(Phrase::LastSuccess {
            moment: &moment(l, now_ms, u.last_success_unix_ms, Phrase::Never),
            sent: u.last_docs_sent,
            received: u.last_docs_received,
        })
    };
    let _ = writeln!(out, "  {success_label:<width$}{success}");
    let failure = if u.last_failure_unix_ms == 0 {
        l.phrase(Phrase::Nothing)
    } else {
        last_failure(
            l,
            now_ms,
            u.last_failure_unix_ms,
            &u.last_failure_reason,
            u.consecutive_failures,
        )
    };
    let _ = writeln!(out, "  {failure_label:<width$}{failure}");
    let _ = writeln!(out, "  {pending_label:<width$}{}", pending(l, u));
    let next = if u.next_attempt_unix_ms == 0 {
        l.phrase(Phrase::RunningOrUnknown)
    } else if u.next_attempt_unix_ms <= now_ms {
        l.phrase(Phrase::DueNow {
            at: &utc(u.next_attempt_unix_ms),
        })
    } else {
        format!(
            "{} ({})",
            relative(l, now_ms, u.next_attempt_unix_ms),
            utc(u.next_attempt_unix_ms)
        )
    };
    let _ = writeln!(out, "  {next_label:<width$}{next}");
}

/// "10 min ago (2024-06-01 11:50 UTC): connection refused (3 failures in a row)": a last
/// failure, its reason and the streak since, as the upstream and sink sections show it.
fn last_failure(l: &dyn Labels, now_ms: i64, at_ms: i64, reason: &str, streak: u32) -> String {
    let reason = shorten(reason, 120);
    let reason = if reason.is_empty() {
        String::new()
    } else {
        format!(": {reason}")
    };
    let streak = if streak == 0 {
        l.phrase(Phrase::SucceededSince)
    } else {
        l.phrase(Phrase::Failures { n: streak })
    };
    format!(
        "{}{reason} {streak}",
        moment(l, now_ms, at_ms, Phrase::Nothing)
    )
}

/// The analytics sink: where it writes, whether it is connected, how far behind the feed it is,
/// what it wrote, and its last success and (only when there was one) last failure.
fn sink_section(l: &dyn Labels, out: &mut String, s: &v1::SinkStatus, now_ms: i64) {
    let _ = writeln!(out, "\n{}", l.phrase(Phrase::Sink { url: &s.url }));
    let rows = [
        Row::Connection,
        Row::Projected,
        Row::Written,
        Row::LastSuccess,
        Row::LastFailure,
    ]
    .map(|r| l.phrase(Phrase::RowLabel(r)));
    let width = label_width(l);
    let [
        connection_label,
        projected_label,
        written_label,
        success_label,
        failure_label,
    ] = &rows;

    let connection = l.phrase(Phrase::SinkConnection {
        connected: s.connected,
    });
    let _ = writeln!(out, "  {connection_label:<width$}{connection}");
    let projected = l.phrase(Phrase::Projected {
        projected: s.projected_seq,
        latest: s.latest_seq,
        lag: s.lag,
    });
    let _ = writeln!(out, "  {projected_label:<width$}{projected}");
    let written = l.phrase(Phrase::Written {
        documents: s.documents_written,
        rows: s.rows_written,
    });
    let _ = writeln!(out, "  {written_label:<width$}{written}");
    let success = moment(l, now_ms, s.last_success_unix_ms, Phrase::Never);
    let _ = writeln!(out, "  {success_label:<width$}{success}");
    if s.last_failure_unix_ms != 0 {
        let failure = last_failure(
            l,
            now_ms,
            s.last_failure_unix_ms,
            &s.last_failure,
            s.consecutive_failures,
        );
        let _ = writeln!(out, "  {failure_label:<width$}{failure}");
    }
}

/// A server's status as its admin reads it, in English: see [`status_tables_in`].
pub fn status_tables(resp: &v1::StatusResponse, stale_days: Option<u32>) -> String {
    status_tables_in(&English, resp, stale_days)
}

/// A server's status as its admin reads it: a devices table (last sync and its documents, last
/// failure, and, with `stale_days`, a flag on every active device that has not completed a
/// session for more than that many days), a villages table, the upstream link, the analytics
/// sink (when the server runs one), and a one-line summary. Ages are measured against
/// `resp.now_unix_ms`.
pub fn status_tables_in(
    l: &dyn Labels,
    resp: &v1::StatusResponse,
    stale_days: Option<u32>,
) -> String {
    let now = resp.now_unix_ms;
    let mut out = String::new();
    let server = Some(resp.server_name.as_str()).filter(|n| !n.is_empty());
    let _ = writeln!(
        out,
        "{}\n",
        l.phrase(Phrase::Heading {
            server,
            at: &utc(now)
        })
    );

    if resp.devices.is_empty() {
        let _ = writeln!(out, "{}\n", l.phrase(Phrase::NoDevices));
    } else {
        let _ = writeln!(out, "{}\n", devices_table(l, resp, stale_days));
    }
    if resp.villages.is_empty() {
        let _ = writeln!(out, "{}\n", l.phrase(Phrase::NoVillages));
    } else {
        let _ = writeln!(out, "{}\n", villages_table(l, resp));
    }
    match &resp.upstream {
        Some(u) => upstream_section(l, &mut out, u, now),
        None => {
            let _ = writeln!(out, "{}", l.phrase(Phrase::NoUpstream));
        }
    }
    if let Some(s) = &resp.sink {
        sink_section(l, &mut out, s, now);
    }

    let revoked = resp.devices.iter().filter(|d| is_revoked(d)).count() as u64;
    let silent = resp
        .devices
        .iter()
        .filter(|d| silence(l, d, now, stale_days).is_some())
        .count() as u64;
    let documents: u64 = resp
        .villages
        .iter()
        .fold(0, |sum, v| sum.saturating_add(v.documents));
    let summary = l.phrase(Phrase::Summary {
        devices: resp.devices.len() as u64,
        revoked,
        silent: stale_days.map(|days| (silent, days)),
        villages: resp.villages.len() as u64,
        documents,
    });
    let _ = writeln!(out, "\n{summary}");
    out
}

/// What `SyncNow` did, in English: see [`sync_now_summary_in`].
pub fn sync_now_summary(resp: &v1::SyncNowResponse) -> String {
    sync_now_summary_in(&English, resp)
}

/// What `SyncNow` did, in a line or two: the figures of a replication, or why it failed and what
/// to check.
pub fn sync_now_summary_in(l: &dyn Labels, resp: &v1::SyncNowResponse) -> String {
    let url = resp
        .upstream
        .as_ref()
        .map(|u| u.url.as_str())
        .filter(|u| !u.is_empty());
    let mut out = String::new();
    if resp.ok {
        let kib = resp.bytes_sent.saturating_add(resp.bytes_received) as f64 / 1024.0;
        out.push_str(&l.phrase(Phrase::Replicated {
            url,
            sent: resp.docs_sent,
            received: resp.docs_received,
            kib,
            round_trips: resp.round_trips,
            millis: resp.millis,
        }));
        if let Some(u) = resp
            .upstream
            .as_ref()
            .filter(|u| u.pending_documents > 0 || u.pending_changes > 0)
        {
            let _ = write!(
                out,
                "\n{}",
                l.phrase(Phrase::StillPending {
                    documents: u.pending_documents,
                    changes: u.pending_changes,
                })
            );
        }
    } else {
        let error = Some(resp.error.as_str()).filter(|e| !e.is_empty());
        out.push_str(&l.phrase(Phrase::UpstreamFailed { error }));
        let _ = write!(out, "\n{}", l.phrase(Phrase::CheckUpstream { url }));
        if let Some(u) = resp
            .upstream
            .as_ref()
            .filter(|u| u.consecutive_failures > 1)
        {
            let _ = write!(
                out,
                " {}",
                l.phrase(Phrase::Failures {
                    n: u.consecutive_failures
                })
            );
        }
    }
    out
}

/// What `Resync` forgot, in English: see [`resync_summary_in`].
pub fn resync_summary(resp: &v1::ResyncResponse) -> String {
    resync_summary_in(&English, resp)
}

/// What `Resync` forgot, in a line.
pub fn resync_summary_in(l: &dyn Labels, resp: &v1::ResyncResponse) -> String {
    let name = resp.device.as_ref().map_or("?", |d| d.name.as_str());
    let revoked = resp.device.as_ref().is_some_and(|d| d.revoked_unix != 0);
    if resp.stores == 0 {
        l.phrase(Phrase::ResyncNothing { name, revoked })
    } else {
        l.phrase(Phrase::ResyncForgot {
            name,
            stores: resp.stores,
            sync_states: resp.sync_states_removed,
            revoked,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const NOW: i64 = 1_717_243_200_000; // 2024-06-01 12:00 UTC
    const DAY: i64 = 86_400_000;

    fn info(name: &str, role: &str, scopes: &[&str], revoked_unix: i64) -> v1::DeviceInfo {
        v1::DeviceInfo {
            name: name.to_owned(),
            role: role.to_owned(),
            scopes: scopes.iter().map(|s| (*s).to_owned()).collect(),
            created_unix: NOW / 1000 - 90 * 86_400,
            revoked_unix,
        }
    }

    fn device(name: &str, last_success_unix_ms: i64) -> v1::DeviceStatus {
        v1::DeviceStatus {
            device: Some(info(name, "facilitator", &["18.01.05.2001"], 0)),
            last_success_unix_ms,
            last_docs_sent: 3,
            last_docs_received: 5,
            sessions_ok: 12,
            ..Default::default()
        }
    }

    fn response(devices: Vec<v1::DeviceStatus>) -> v1::StatusResponse {
        v1::StatusResponse {
            server_name: "kab-lampung".to_owned(),
            devices,
            villages: vec![
                v1::VillageStatus {
                    village: "18.01.05.2001".to_owned(),
                    documents: 7,
                    latest_seq: 120,
                    latest_unix_ms: NOW - 3 * 60_000,
                },
                v1::VillageStatus {
                    village: "18.01.05.2002".to_owned(),
                    documents: 5,
                    latest_seq: 0,
                    latest_unix_ms: 0,
                },
            ],
            upstream: None,
            now_unix_ms: NOW,
            sink: None,
        }
    }

    /// The table row (line) that holds `name`.
    fn row<'a>(text: &'a str, name: &str) -> &'a str {
        text.lines()
            .find(|l| l.contains(name))
            .expect("a row for the device")
    }

    #[test]
    fn ages_are_measured_against_the_response_clock() {
        assert_eq!(relative(&English, NOW, NOW - 3 * 60_000), "3 min ago");
        assert_eq!(relative(&English, NOW, NOW - 2 * 3_600_000 - 5), "2 h ago");
        assert_eq!(relative(&English, NOW, NOW - 47 * 3_600_000), "47 h ago");
        assert_eq!(relative(&English, NOW, NOW - 5 * DAY), "5 days ago");
        assert_eq!(relative(&English, NOW, NOW - 42_000), "42 s ago");
        assert_eq!(relative(&English, NOW, NOW), "just now");
        assert_eq!(relative(&English, NOW, NOW + 30_000), "in 30 s");

        let text = status_tables(&response(vec![device("ani", NOW - 3 * 60_000)]), None);
        assert!(text.contains("server `kab-lampung`, as of 2024-06-01 12:00 UTC"));
        assert!(row(&text, "ani").contains("3 min ago"), "{text}");
        assert!(text.contains("2024-06-01 11:57 UTC"), "{text}");
        // The same response an hour "later" by the wall clock renders the same.
        assert_eq!(
            text,
            status_tables(&response(vec![device("ani", NOW - 3 * 60_000)]), None)
        );
    }

    #[test]
    fn stale_flag_is_strictly_older_than_the_threshold() {
        let exactly = device("exactly", NOW - 7 * DAY);
        let older = device("older", NOW - 7 * DAY - 1);
        let long_ago = device("longago", NOW - 12 * DAY - 3_600_000);
        let never = device("nobody", 0);
        let resp = response(vec![exactly, older, long_ago, never]);

        let text = status_tables(&resp, Some(7));
        assert!(!row(&text, "exactly").contains("STALE"), "{text}");
        assert!(row(&text, "older").contains("STALE 7 d"), "{text}");
        assert!(row(&text, "longago").contains("STALE 12 d"), "{text}");
        assert!(row(&text, "longago").contains("12 days ago"), "{text}");
        let nobody = row(&text, "nobody");
        assert!(nobody.contains("never synced"), "{text}");
        assert!(nobody.contains("never"), "{text}");
        assert!(
            text.contains("4 devices, 3 silent for more than 7 days; 2 villages, 12 documents"),
            "{text}"
        );

        // No threshold: nothing is flagged, "never" still shows.
        let text = status_tables(&resp, None);
        assert!(
            !text.contains("STALE") && !text.contains("never synced"),
            "{text}"
        );
        assert!(row(&text, "nobody").contains("never"), "{text}");
        assert!(
            text.contains("4 devices; 2 villages, 12 documents"),
            "{text}"
        );
    }

    #[test]
    fn revoked_devices_are_shown_revoked_and_not_flagged() {
        let mut gone = device("gone", 0);
        gone.device = Some(info(
            "gone",
            "facilitator",
            &["18.01.05"],
            NOW / 1000 - 86_400,
        ));
        let mut gone_old = device("oldgone", NOW - 30 * DAY);
        gone_old.device = Some(info("oldgone", "server", &["18.01"], NOW / 1000 - 86_400));
        let text = status_tables(&response(vec![gone, gone_old, device("ani", 0)]), Some(7));
        for name in ["gone", "oldgone"] {
            let r = row(&text, name);
            assert!(r.contains("revoked 2024-05-31"), "{text}");
            assert!(
                !r.contains("STALE") && !r.contains("never synced"),
                "{text}"
            );
        }
        assert!(
            text.contains("3 devices (2 revoked), 1 silent for more than 7 days"),
            "{text}"
        );
    }

    #[test]
    fn device_rows_show_scope_docs_and_the_last_failure() {
        let mut d = device("ani", NOW - 2 * 3_600_000);
        d.device = Some(info(
            "ani",
            "facilitator",
            &["18.01.05.2001", "18.01.05.2002"],
            0,
        ));
        d.last_failure_unix_ms = NOW - 30 * 60_000;
        d.last_failure_phase = "exchange".to_owned();
        d.last_failure_reason = format!("connection reset {}", "x".repeat(200));
        d.sessions_failed = 2;
        let text = status_tables(&response(vec![d]), Some(7));
        let r = row(&text, "ani");
        assert!(r.contains("18.01.05.2001,18.01.05.2002"), "{text}");
        assert!(r.contains("2 h ago"), "{text}");
        assert!(r.contains("3 / 5"), "{text}");
        assert!(r.contains("12 / 2"), "{text}");
        assert!(r.contains("30 min ago, exchange"), "{text}");
        assert!(!r.contains("STALE"), "{text}");
        assert!(text.contains("connection reset xxx"), "{text}");
        assert!(text.contains('…'), "{text}");
        assert!(
            !text.contains(&"x".repeat(REASON_CHARS)),
            "reason not cut: {text}"
        );
    }

    #[test]
    fn villages_show_latest_change_or_a_dash() {
        let text = status_tables(&response(vec![]), None);
        assert!(text.contains("devices: none"), "{text}");
        let first = row(&text, "18.01.05.2001");
        assert!(first.contains(" 7 ") && first.contains("120"), "{text}");
        assert!(first.contains("3 min ago (2024-06-01 11:57 UTC)"), "{text}");
        let second = row(&text, "18.01.05.2002");
        assert!(second.contains('—') && !second.contains("ago"), "{text}");
        assert!(
            text.contains("0 devices; 2 villages, 12 documents"),
            "{text}"
        );
    }

    fn upstream() -> v1::UpstreamStatus {
        v1::UpstreamStatus {
            url: "https://prov.example:7443".to_owned(),
            server_name: "prov-lampung".to_owned(),
            scopes: vec!["18.01".to_owned()],
            last_success_unix_ms: NOW - 2 * 3_600_000,
            last_docs_sent: 4,
            last_docs_received: 2,
            last_failure_unix_ms: NOW - 10 * 60_000,
            last_failure_reason: "transport error: connection refused".to_owned(),
            consecutive_failures: 3,
            pending_documents: 5,
            pending_changes: 17,
            next_attempt_unix_ms: NOW + 90_000,
        }
    }

    #[test]
    fn upstream_none_says_top_of_tree() {
        let text = status_tables(&response(vec![]), None);
        assert!(text.contains("upstream: none (this server is the top of its tree)"));
    }

    #[test]
    fn upstream_section_shows_link_failures_pending_and_next_attempt() {
        let mut resp = response(vec![]);
        resp.upstream = Some(upstream());
        let text = status_tables(&resp, None);
        assert!(!text.contains("upstream: none"), "{text}");
        assert!(
            text.contains("upstream https://prov.example:7443 (server `prov-lampung`)"),
            "{text}"
        );
        assert!(row(&text, "scopes").contains("18.01"), "{text}");
        assert!(
            row(&text, "last success")
                .contains("2 h ago (2024-06-01 10:00 UTC): 4 documents up, 2 down"),
            "{text}"
        );
        let failure = row(&text, "last failure");
        assert!(failure.contains("10 min ago"), "{text}");
        assert!(failure.contains("connection refused"), "{text}");
        assert!(failure.contains("(3 failures in a row)"), "{text}");
        assert!(
            row(&text, "not yet acknowledged upstream").contains("5 documents (17 changes)"),
            "{text}"
        );
        assert!(row(&text, "next attempt").contains("in 1 min"), "{text}");

        let mut u = upstream();
        u.next_attempt_unix_ms = 0;
        u.pending_documents = 0;
        u.pending_changes = 0;
        u.last_failure_unix_ms = 0;
        u.last_success_unix_ms = 0;
        resp.upstream = Some(u);
        let text = status_tables(&resp, None);
        assert!(row(&text, "next attempt").contains("running now"));
        assert!(row(&text, "not yet acknowledged").contains("nothing"));
        assert!(row(&text, "last failure").contains("none"));
        assert!(row(&text, "last success").contains("never"));
    }

    fn sink() -> v1::SinkStatus {
        v1::SinkStatus {
            url: "postgres://balai:***@db.example:5432/balai".to_owned(),
            connected: true,
            projected_seq: 125,
            latest_seq: 125,
            lag: 0,
            documents_written: 40,
            rows_written: 312,
            last_success_unix_ms: NOW - 42_000,
            last_failure_unix_ms: 0,
            last_failure: String::new(),
            consecutive_failures: 0,
        }
    }

    #[test]
    fn no_sink_no_sink_section() {
        let text = status_tables(&response(vec![]), None);
        assert!(!text.contains("analytics sink"), "{text}");
        assert!(!text.contains("projected"), "{text}");
    }

    #[test]
    fn sink_section_caught_up() {
        let mut resp = response(vec![]);
        resp.upstream = Some(upstream());
        resp.sink = Some(sink());
        let text = status_tables(&resp, None);
        assert!(
            text.contains("analytics sink (PostgreSQL) postgres://balai:***@db.example:5432/balai"),
            "{text}"
        );
        // After the upstream section, before the summary, set apart by a blank line.
        let upstream_at = text.find("next attempt").expect("the upstream section");
        let sink_at = text.find("analytics sink").expect("the sink section");
        let summary_at = text.find("0 devices; 2 villages").expect("the summary");
        assert!(upstream_at < sink_at && sink_at < summary_at, "{text}");
        assert!(text.contains(")\n\nanalytics sink"), "{text}");
        assert!(row(&text, "  connection ").ends_with("connected"), "{text}");
        assert!(!row(&text, "  connection ").contains("not"), "{text}");
        assert!(
            row(&text, "projected").contains("up to seq 125 of 125 (caught up)"),
            "{text}"
        );
        assert!(
            row(&text, "written since start").contains("40 documents, 312 rows"),
            "{text}"
        );
        let sink_part = &text[sink_at..summary_at];
        assert!(
            row(sink_part, "last success").contains("42 s ago (2024-06-01 11:59 UTC)"),
            "{text}"
        );
        assert!(!sink_part.contains("last failure"), "{text}");
        // Values line up with the upstream section's.
        assert_eq!(
            row(&text, "  projected ").find("up to"),
            row(&text, "  scopes ").find("18.01"),
            "{text}"
        );
    }

    #[test]
    fn sink_section_lagging_with_failures() {
        let mut resp = response(vec![]);
        resp.sink = Some(v1::SinkStatus {
            connected: false,
            projected_seq: 120,
            latest_seq: 125,
            lag: 5,
            documents_written: 1,
            rows_written: 1,
            last_success_unix_ms: NOW - 2 * 3_600_000,
            last_failure_unix_ms: NOW - 10 * 60_000,
            last_failure: "error connecting to server:\n  Connection refused".to_owned(),
            consecutive_failures: 4,
            ..sink()
        });
        let text = status_tables(&resp, None);
        assert!(text.contains("upstream: none"), "{text}");
        assert!(
            row(&text, "  connection ").contains("not connected"),
            "{text}"
        );
        assert!(
            row(&text, "projected").contains("up to seq 120 of 125 (5 feed entries behind)"),
            "{text}"
        );
        assert!(
            row(&text, "written since start").contains("1 document, 1 row"),
            "{text}"
        );
        assert!(
            row(&text, "last success").contains("2 h ago (2024-06-01 10:00 UTC)"),
            "{text}"
        );
        let failure = row(&text, "last failure");
        assert!(
            failure.contains(
                "10 min ago (2024-06-01 11:50 UTC): error connecting to server: Connection \
                 refused (4 failures in a row)"
            ),
            "{text}"
        );

        // One entry behind, never succeeded, failed once and succeeded since.
        resp.sink = Some(v1::SinkStatus {
            projected_seq: 124,
            lag: 1,
            last_success_unix_ms: 0,
            last_failure_unix_ms: NOW - 10 * 60_000,
            last_failure: "timeout".to_owned(),
            consecutive_failures: 0,
            ..sink()
        });
        let text = status_tables(&resp, None);
        assert!(
            row(&text, "projected").contains("(1 feed entry behind)"),
            "{text}"
        );
        assert!(row(&text, "last success").ends_with("never"), "{text}");
        assert!(
            row(&text, "last failure").contains(": timeout (succeeded since)"),
            "{text}"
        );
    }

    #[test]
    fn sync_now_ok_and_failed() {
        let mut resp = v1::SyncNowResponse {
            ok: true,
            docs_sent: 1,
            docs_received: 4,
            bytes_sent: 2048,
            bytes_received: 1024,
            round_trips: 2,
            millis: 350,
            upstream: Some(v1::UpstreamStatus {
                pending_documents: 0,
                pending_changes: 0,
                ..upstream()
            }),
            ..Default::default()
        };
        let text = sync_now_summary(&resp);
        assert_eq!(
            text,
            "replicated upstream with https://prov.example:7443: 1 document up, 4 down, \
             3.0 KiB, 2 round trips, 350 ms"
        );

        resp.upstream = Some(upstream());
        let text = sync_now_summary(&resp);
        assert!(
            text.contains("still not acknowledged upstream: 5 documents (17 changes)"),
            "{text}"
        );

        let failed = v1::SyncNowResponse {
            ok: false,
            error: "deadline exceeded".to_owned(),
            upstream: Some(upstream()),
            ..Default::default()
        };
        let text = sync_now_summary(&failed);
        assert!(
            text.starts_with("upstream sync failed: deadline exceeded\n"),
            "{text}"
        );
        assert!(
            text.contains("https://prov.example:7443 is reachable"),
            "{text}"
        );
        assert!(text.contains("3 failures in a row"), "{text}");
        assert!(!text.contains("replicated"), "{text}");
    }

    #[test]
    fn resync_summary_names_the_device_and_counts() {
        let resp = v1::ResyncResponse {
            device: Some(info("ani", "facilitator", &["18.01.05.2001"], 0)),
            stores: 2,
            sync_states_removed: 1,
        };
        assert_eq!(
            resync_summary(&resp),
            "forgot the checkpoints of `ani`'s 2 stores and 1 sync state; its next session \
             re-diffs every document"
        );
        let none = v1::ResyncResponse {
            device: Some(info("budi", "facilitator", &[], NOW / 1000)),
            stores: 0,
            sync_states_removed: 0,
        };
        let text = resync_summary(&none);
        assert!(text.contains("`budi` has no stores"), "{text}");
        assert!(text.contains("revoked"), "{text}");
    }
}
