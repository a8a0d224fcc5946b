//! The activity report: what each device recorded and edited, per ISO week, read from the
//! documents' automerge change history (an automerge actor is a device).
//!
//! Devices are named by their actor id in hex (`ActorId::to_hex_string`); the caller maps hex to
//! a name when it renders, from the names devices sign into the documents they edit
//! (`model::authors`; an actor it cannot name stays hex). Those signing changes are not counted.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt;

use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::Serialize;

use super::figures::count;
use super::table::{self, Table};
use super::{Corpus, Filter};
use crate::ids::DocId;

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ActivityReport {
    pub filter: Filter,
    pub today: Date,
    /// One row per device and week it made a change in, by actor then week.
    pub weeks: Vec<DeviceWeek>,
    /// One row per device with a change in the period (or an undated one), by actor.
    pub devices: Vec<DeviceTotal>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DeviceWeek {
    pub actor: String,
    pub week: IsoWeek,
    /// The Monday of `week`.
    pub week_start: Date,
    /// Documents this device created: their first change.
    pub records: u32,
    /// Every other change.
    pub edits: u32,
    /// Distinct documents changed.
    pub documents: u32,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DeviceTotal {
    pub actor: String,
    /// The sums of the device's weeks.
    pub records: u32,
    pub edits: u32,
    /// Distinct documents changed in those weeks.
    pub documents: u32,
    /// Changes without a usable time (none given, before 1970, or past jiff's range): in no
    /// week and in no other figure, whatever the period.
    pub undated: u32,
    /// Of `records + edits`, the changes dated after today: the device's clock was ahead.
    pub after_today: u32,
    pub first: Option<Date>,
    pub last: Option<Date>,
}

/// An ISO 8601 week, shown and serialised as `2026-W49`. Its year is the ISO week-numbering
/// year, which differs from the calendar year around New Year.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct IsoWeek {
    year: i16,
    week: i8,
}

impl IsoWeek {
    pub fn of(date: Date) -> Self {
        let iso = date.iso_week_date();
        Self {
            year: iso.year(),
            week: iso.week(),
        }
    }

    pub fn year(self) -> i16 {
        self.year
    }

    /// 1 to 53.
    pub fn week(self) -> i8 {
        self.week
    }
}

impl fmt::Display for IsoWeek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-W{:02}", self.year, self.week)
    }
}

impl Serialize for IsoWeek {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// The activity in the documents of `filter`'s region, readable or not (a change is work done
/// even when its document cannot be shown). A change is in the period when its day (its time on
/// the device's clock, in `tz`) is; `today` only marks changes from a clock ahead.
pub fn compute(corpus: &Corpus, filter: &Filter, today: Date, tz: &TimeZone) -> ActivityReport {
    let mut weeks: BTreeMap<(&str, IsoWeek), Week<'_>> = BTreeMap::new();
    let mut devices: BTreeMap<&str, DeviceTotal> = BTreeMap::new();
    let mut documents: BTreeMap<&str, BTreeSet<&DocId>> = BTreeMap::new();
    for (id, doc) in corpus.docs(filter) {
        for stamp in &doc.history {
            let actor = corpus.actor_hex(stamp.actor);
            let Some((day, week, monday)) = place(stamp.time, tz) else {
                device(&mut devices, actor).undated += 1;
                continue;
            };
            if !filter.covers_date(day) {
                continue;
            }
            let w = weeks.entry((actor, week)).or_insert_with(|| Week {
                monday,
                records: 0,
                edits: 0,
                documents: BTreeSet::new(),
            });
            let total = device(&mut devices, actor);
            if stamp.root {
                w.records += 1;
                total.records += 1;
            } else {
                w.edits += 1;
                total.edits += 1;
            }
            w.documents.insert(id);
            documents.entry(actor).or_default().insert(id);
            total.after_today += u32::from(day > today);
            total.first = Some(total.first.map_or(day, |first| first.min(day)));
            total.last = Some(total.last.map_or(day, |last| last.max(day)));
        }
    }
    for (actor, docs) in documents {
        device(&mut devices, actor).documents = count(docs.len());
    }
    ActivityReport {
        filter: filter.clone(),
        today,
        weeks: weeks
            .into_iter()
            .map(|((actor, week), w)| DeviceWeek {
                actor: actor.to_owned(),
                week,
                week_start: w.monday,
                records: w.records,
                edits: w.edits,
                documents: count(w.documents.len()),
            })
            .collect(),
        devices: devices.into_values().collect(),
    }
}

#[derive(Debug)]
struct Week<'a> {
    monday: Date,
    records: u32,
    edits: u32,
    documents: BTreeSet<&'a DocId>,
}

fn device<'a, 'm>(
    devices: &'m mut BTreeMap<&'a str, DeviceTotal>,
    actor: &'a str,
) -> &'m mut DeviceTotal {
    devices.entry(actor).or_insert_with(|| DeviceTotal {
        actor: actor.to_owned(),
        ..DeviceTotal::default()
    })
}

/// A change time's day in `tz`, its ISO week and that week's Monday; `None` when undated.
fn place(time: i64, tz: &TimeZone) -> Option<(Date, IsoWeek, Date)> {
    // automerge writes 0 when a change was given no time; no Balai device made one before 1970.
    if time <= 0 {
        return None;
    }
    let day = tz.to_datetime(Timestamp::from_second(time).ok()?).date();
    let monday = day.iso_week_date().first_of_week().ok()?.date();
    Some((day, IsoWeek::of(day), monday))
}

impl ActivityReport {
    /// The CSV tables `weeks` (per device and week) and `devices` (per device).
    pub fn tables(&self) -> Vec<Table> {
        let weeks = self.weeks.iter().map(|w| {
            [
                w.actor.clone(),
                w.week.to_string(),
                table::date(Some(w.week_start)),
                table::num(w.records),
                table::num(w.edits),
                table::num(w.documents),
            ]
        });
        let devices = self.devices.iter().map(|d| {
            [
                d.actor.clone(),
                table::num(d.records),
                table::num(d.edits),
                table::num(d.documents),
                table::num(d.undated),
                table::num(d.after_today),
                table::date(d.first),
                table::date(d.last),
            ]
        });
        vec![
            Table::new(
                "weeks",
                [
                    "actor",
                    "week",
                    "week_start",
                    "records",
                    "edits",
                    "documents",
                ],
                weeks,
            ),
            Table::new(
                "devices",
                [
                    "actor",
                    "records",
                    "edits",
                    "documents",
                    "undated",
                    "after_today",
                    "first",
                    "last",
                ],
                devices,
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{self, TODAY};
    use automerge::transaction::{CommitOptions, Transactable};
    use automerge::{ActorId, Automerge, AutomergeError, ROOT};
    use jiff::civil::date;
    use jiff::tz::Offset;

    const AA: [u8; 4] = [0xaa; 4];
    const BB: [u8; 4] = [0xbb; 4];

    /// One change by `doc`'s actor at `time` (seconds; 0: no time given).
    fn change(doc: &mut Automerge, time: i64, key: &str) {
        doc.transact_with::<_, _, AutomergeError, _>(
            |_| CommitOptions::default().with_time(time),
            |tx| {
                tx.put(ROOT, key, time)?;
                Ok(())
            },
        )
        .expect("commit");
    }

    /// Two documents with known change times (UTC):
    /// - P (village A): aa creates it 2026-11-30 10:00 and edits 2026-12-01 09:00; bb, on a
    ///   fork, edits 2026-12-06 20:00 (Sunday in UTC, Monday 03:00 in WIB, UTC+7).
    /// - Q (village B): bb creates it 2026-12-07 01:00, edits without a time, and edits
    ///   2027-01-01 05:00 (ISO week 2026-W53; after today, 2026-12-10).
    fn corpus() -> Corpus {
        let mut p = Automerge::new().with_actor(ActorId::from(AA.as_slice()));
        change(&mut p, 1_796_032_800, "kind");
        change(&mut p, 1_796_115_600, "a");
        let mut p_b = p.fork().with_actor(ActorId::from(BB.as_slice()));
        change(&mut p_b, 1_796_587_200, "b");
        p.merge(&mut p_b).expect("merge");

        let mut q = Automerge::new().with_actor(ActorId::from(BB.as_slice()));
        change(&mut q, 1_796_605_200, "kind");
        change(&mut q, 0, "a");
        change(&mut q, 1_798_779_600, "b");

        let mut corpus = Corpus::new();
        corpus.add(&fixture::id(fixture::M1), &p);
        corpus.add(&fixture::id(fixture::T2), &q);
        corpus
    }

    fn wib() -> TimeZone {
        TimeZone::fixed(Offset::constant(7))
    }

    /// (actor prefix, week, records, edits, documents) per row.
    fn rows(r: &ActivityReport) -> Vec<(String, String, u32, u32, u32)> {
        r.weeks
            .iter()
            .map(|w| {
                (
                    w.actor[..2].to_owned(),
                    w.week.to_string(),
                    w.records,
                    w.edits,
                    w.documents,
                )
            })
            .collect()
    }

    fn row(
        actor: &str,
        week: &str,
        records: u32,
        edits: u32,
        documents: u32,
    ) -> (String, String, u32, u32, u32) {
        (actor.to_owned(), week.to_owned(), records, edits, documents)
    }

    #[test]
    fn records_and_edits_per_device_and_iso_week() {
        let r = compute(&corpus(), &Filter::everything(), TODAY, &wib());
        assert_eq!(
            rows(&r),
            [
                // aa: P's creation (Mon 11-30) and an edit (Tue 12-01).
                row("aa", "2026-W49", 1, 1, 1),
                // bb: Q's creation (Mon 12-07) and the edit of P (Mon 12-07 in WIB).
                row("bb", "2026-W50", 1, 1, 2),
                // bb: Q's edit of Fri 2027-01-01, in the ISO year 2026's 53rd week.
                row("bb", "2026-W53", 0, 1, 1),
            ]
        );
        assert_eq!(r.weeks[2].week_start, date(2026, 12, 28));
        assert_eq!(r.weeks[0].actor, "aaaaaaaa");
        let bb = &r.devices[1];
        assert_eq!(
            (
                bb.records,
                bb.edits,
                bb.documents,
                bb.undated,
                bb.after_today
            ),
            (1, 2, 2, 1, 1)
        );
        assert_eq!(
            (bb.first, bb.last),
            (Some(date(2026, 12, 7)), Some(date(2027, 1, 1)))
        );
        let aa = &r.devices[0];
        assert_eq!((aa.records, aa.edits, aa.undated), (1, 1, 0));
    }

    #[test]
    fn the_day_of_a_change_is_the_callers_time_zone() {
        let r = compute(&corpus(), &Filter::everything(), TODAY, &TimeZone::UTC);
        assert_eq!(
            rows(&r),
            [
                row("aa", "2026-W49", 1, 1, 1),
                // In UTC bb's edit of P is on Sunday 12-06, still week 49.
                row("bb", "2026-W49", 0, 1, 1),
                row("bb", "2026-W50", 1, 0, 1),
                row("bb", "2026-W53", 0, 1, 1),
            ]
        );
    }

    #[test]
    fn region_and_period_filter_changes() {
        let b = Filter::new(Some(fixture::B.parse().expect("valid")), None, None).expect("filter");
        let r = compute(&corpus(), &b, TODAY, &wib());
        // Only Q: bb's creation and its dated edit; the undated one is counted apart.
        assert_eq!(
            rows(&r),
            [
                row("bb", "2026-W50", 1, 0, 1),
                row("bb", "2026-W53", 0, 1, 1)
            ]
        );
        assert_eq!(r.devices.len(), 1);
        assert_eq!(r.devices[0].undated, 1);

        let december =
            Filter::new(None, Some(date(2026, 12, 1)), Some(date(2026, 12, 31))).expect("filter");
        let r = compute(&corpus(), &december, TODAY, &wib());
        assert_eq!(
            rows(&r),
            [
                row("aa", "2026-W49", 0, 1, 1),
                row("bb", "2026-W50", 1, 1, 2)
            ]
        );
        assert_eq!(r.devices[1].after_today, 0);
    }

    #[test]
    fn the_fixture_documents_were_created_by_device_a() {
        let r = compute(&fixture::corpus(), &Filter::everything(), TODAY, &wib());
        let a = fixture::device_a().to_hex_string();
        let b = fixture::device_b().to_hex_string();
        let totals: Vec<(&str, u32, u32)> = r
            .devices
            .iter()
            .map(|d| (d.actor.as_str(), d.records, d.edits))
            .collect();
        // device-b (offline) made M1's 3 attendances, 2 supports and 1 proposal, and T1's 3
        // check-ins; device-a created all 5 documents.
        let device_b = totals.iter().find(|t| t.0 == b).expect("device-b");
        assert_eq!((device_b.1, device_b.2), (0, 3 + 2 + 1 + 3));
        let device_a = totals.iter().find(|t| t.0 == a).expect("device-a");
        assert_eq!(device_a.1, 5);
    }

    #[test]
    fn csv_rows_and_json_keys() {
        let r = compute(&corpus(), &Filter::everything(), TODAY, &wib());
        let tables = r.tables();
        assert_eq!(
            tables[0].rows[0],
            ["aaaaaaaa", "2026-W49", "2026-11-30", "1", "1", "1"]
        );
        assert_eq!(
            tables[1].rows[1],
            [
                "bbbbbbbb",
                "1",
                "2",
                "2",
                "1",
                "1",
                "2026-12-07",
                "2027-01-01"
            ]
        );
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["weeks"][0]["week"], "2026-W49");
        assert_eq!(json["weeks"][0]["week_start"], "2026-11-30");
        assert_eq!(json["devices"][1]["undated"], 1);
    }
}
