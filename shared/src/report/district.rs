//! The district summary: per village, forums and trainings held, attendance and the women's
//! share, dusun coverage, follow-ups, the last activity, and the villages with no recent forum.

use std::collections::{BTreeMap, BTreeSet};

use jiff::Span;
use jiff::civil::Date;
use serde::Serialize;

use super::corpus::{Content, Training};
use super::figures::{GenderCounts, GenderGroup, Ratio, count};
use super::forums::follow_ups;
use super::names::{Folded, Names};
use super::table::{self, Table};
use super::{Corpus, Excluded, Filter};
use crate::model::training::Participant;
use crate::region::VillageCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Options {
    /// A village is stale with no forum in this many months before today.
    pub stale_months: u32,
}

impl Default for Options {
    fn default() -> Self {
        Self { stale_months: 3 }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DistrictReport {
    pub filter: Filter,
    pub today: Date,
    pub options: Options,
    /// `today` minus `stale_months` (the day of the month clamped, 31 May − 3 months = 28 Feb):
    /// a village whose last forum is before this day is stale.
    pub stale_before: Date,
    /// Every village in the region the corpus knows of, by code.
    pub villages: Vec<VillageSummary>,
    pub totals: Totals,
    /// Documents in the region that could not be read (or parts of them).
    pub excluded: Vec<Excluded>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VillageSummary {
    pub village: String,
    /// Minutes dated in the period, today or earlier.
    pub forums_held: u32,
    /// Trainings with a held session (in the period, dated today or earlier).
    pub trainings_held: u32,
    pub sessions_held: u32,
    /// Attendances at the forums held: someone at two forums counts twice.
    pub forum_attendance: GenderCounts,
    /// Check-ins at the sessions held, walk-ins included.
    pub training_check_ins: GenderCounts,
    /// Women among forum attendances and check-ins together whose gender was recorded.
    pub women_share: Ratio,
    /// Known dusun with someone at a forum or session held, of the known dusun.
    pub dusun_coverage: Ratio,
    /// Known dusun with nobody at any forum or session held.
    pub dusun_not_reached: Vec<String>,
    /// Follow-ups of the forums held that are neither done nor dropped.
    pub follow_ups_pending: u32,
    /// Pending with a due date before today.
    pub follow_ups_overdue: u32,
    /// The latest forum dated today or earlier, in any period.
    pub last_forum: Option<Date>,
    /// The latest forum or session with a check-in, dated today or earlier, in any period.
    pub last_activity: Option<Date>,
    /// No forum from `stale_before` to today.
    pub stale: bool,
}

/// The villages added up. Attendances add across villages; dusun coverage adds known and
/// reached dusun of every village.
#[derive(Clone, Debug, Default, PartialEq, Serialize)]
pub struct Totals {
    pub villages: u32,
    pub stale_villages: u32,
    pub forums_held: u32,
    pub trainings_held: u32,
    pub sessions_held: u32,
    pub forum_attendance: GenderCounts,
    pub training_check_ins: GenderCounts,
    pub women_share: Ratio,
    pub dusun_coverage: Ratio,
    pub follow_ups_pending: u32,
    pub follow_ups_overdue: u32,
}

/// The summary of every village in `filter`, as of `today`.
pub fn compute(corpus: &Corpus, filter: &Filter, today: Date, options: Options) -> DistrictReport {
    let stale_before = months_before(today, options.stale_months);
    let names = Names::of(corpus);
    let mut villages: BTreeMap<&VillageCode, Tally> = corpus
        .villages(filter)
        .into_iter()
        .map(|v| (v, Tally::default()))
        .collect();
    for (id, doc) in corpus.docs(filter) {
        let Some(content) = &doc.content else {
            continue;
        };
        let tally = villages.entry(id.village()).or_default();
        match content {
            Content::Forum(f) => {
                // A forum dated after today has not been held (a planned one, or a typo).
                if f.date > today {
                    continue;
                }
                tally.last_forum = tally.last_forum.max(Some(f.date));
                tally.last_activity = tally.last_activity.max(Some(f.date));
                if !filter.covers_date(f.date) {
                    continue;
                }
                tally.forums_held += 1;
                for a in &f.attendees {
                    tally
                        .forum_attendance
                        .add(GenderGroup::of(a.gender.as_deref()));
                    tally
                        .reached
                        .extend(a.dusun.as_deref().and_then(Folded::of));
                }
                let follow_ups = follow_ups(&f.follow_ups, today);
                tally.follow_ups_pending += follow_ups.pending_count();
                tally.follow_ups_overdue += follow_ups.overdue;
            }
            Content::Training(t) => tally.training(t, filter, today),
        }
    }

    let mut totals = Totals::default();
    let villages = villages
        .into_iter()
        .map(|(village, t)| {
            let dusun = &names.village(village).dusun;
            let not_reached: Vec<&Folded> =
                dusun.keys().filter(|k| !t.reached.contains(k)).collect();
            let known = count(dusun.keys().count());
            let summary = VillageSummary {
                village: village.to_string(),
                forums_held: t.forums_held,
                trainings_held: t.trainings_held,
                sessions_held: t.sessions_held,
                forum_attendance: t.forum_attendance,
                training_check_ins: t.training_check_ins,
                women_share: combined(t.forum_attendance, t.training_check_ins).women_share(),
                dusun_coverage: Ratio::new(known - count(not_reached.len()), known),
                dusun_not_reached: not_reached.into_iter().map(|k| dusun.name(k)).collect(),
                follow_ups_pending: t.follow_ups_pending,
                follow_ups_overdue: t.follow_ups_overdue,
                last_forum: t.last_forum,
                last_activity: t.last_activity,
                stale: t.last_forum.is_none_or(|d| d < stale_before),
            };
            totals.add(&summary);
            summary
        })
        .collect();
    totals.women_share = combined(totals.forum_attendance, totals.training_check_ins).women_share();
    DistrictReport {
        filter: filter.clone(),
        today,
        options,
        stale_before,
        villages,
        totals,
        excluded: corpus.excluded(filter, None),
    }
}

/// `today` minus `months`, the day clamped to the month's length; saturates at jiff's earliest
/// date for absurd counts.
fn months_before(today: Date, months: u32) -> Date {
    Span::new()
        .try_months(i64::from(months))
        .ok()
        .and_then(|span| today.checked_sub(span).ok())
        .unwrap_or(Date::MIN)
}

fn combined(mut a: GenderCounts, b: GenderCounts) -> GenderCounts {
    a += b;
    a
}

/// One village's figures while the documents are read.
#[derive(Debug, Default)]
struct Tally {
    forums_held: u32,
    trainings_held: u32,
    sessions_held: u32,
    forum_attendance: GenderCounts,
    training_check_ins: GenderCounts,
    /// Dusun of anyone at a forum or session held.
    reached: BTreeSet<Folded>,
    follow_ups_pending: u32,
    follow_ups_overdue: u32,
    last_forum: Option<Date>,
    last_activity: Option<Date>,
}

impl Tally {
    fn training(&mut self, t: &Training, filter: &Filter, today: Date) {
        let participants: BTreeMap<&str, &Participant> =
            t.participants.iter().map(|p| (p.key.as_str(), p)).collect();
        let mut held_any = false;
        for s in &t.sessions {
            if s.date <= today && !s.present.is_empty() {
                self.last_activity = self.last_activity.max(Some(s.date));
            }
            if s.date > today || !filter.covers_date(s.date) {
                continue;
            }
            held_any = true;
            self.sessions_held += 1;
            for key in &s.present {
                // A check-in under a key with no participant entry has no gender or dusun.
                let person = participants.get(key.as_str());
                let gender = person.and_then(|p| p.gender.as_deref());
                self.training_check_ins.add(GenderGroup::of(gender));
                let dusun = person.and_then(|p| p.dusun.as_deref());
                self.reached.extend(dusun.and_then(Folded::of));
            }
        }
        self.trainings_held += u32::from(held_any);
    }
}

impl Totals {
    fn add(&mut self, v: &VillageSummary) {
        self.villages += 1;
        self.stale_villages += u32::from(v.stale);
        self.forums_held += v.forums_held;
        self.trainings_held += v.trainings_held;
        self.sessions_held += v.sessions_held;
        self.forum_attendance += v.forum_attendance;
        self.training_check_ins += v.training_check_ins;
        self.dusun_coverage.numerator += v.dusun_coverage.numerator;
        self.dusun_coverage.denominator += v.dusun_coverage.denominator;
        self.follow_ups_pending += v.follow_ups_pending;
        self.follow_ups_overdue += v.follow_ups_overdue;
    }
}

impl DistrictReport {
    /// The CSV table `villages`: one row per village (the totals are the columns' sums, except
    /// the rates, which are the totals' own).
    pub fn tables(&self) -> Vec<Table> {
        let rows = self.villages.iter().map(|v| {
            [
                v.village.clone(),
                table::num(v.forums_held),
                table::num(v.trainings_held),
                table::num(v.sessions_held),
                table::num(v.forum_attendance.women),
                table::num(v.forum_attendance.men),
                table::num(v.forum_attendance.not_recorded),
                table::num(v.training_check_ins.women),
                table::num(v.training_check_ins.men),
                table::num(v.training_check_ins.not_recorded),
                table::num(v.forum_attendance.total() + v.training_check_ins.total()),
                table::rate(v.women_share),
                table::num(v.dusun_coverage.denominator),
                table::num(v.dusun_coverage.numerator),
                table::list(&v.dusun_not_reached),
                table::num(v.follow_ups_pending),
                table::num(v.follow_ups_overdue),
                table::date(v.last_forum),
                table::date(v.last_activity),
                table::flag(v.stale),
            ]
        });
        vec![Table::new(
            "villages",
            [
                "village",
                "forums_held",
                "trainings_held",
                "sessions_held",
                "forum_women",
                "forum_men",
                "forum_not_recorded",
                "check_in_women",
                "check_in_men",
                "check_in_not_recorded",
                "attendance_total",
                "women_share",
                "known_dusun",
                "dusun_reached",
                "dusun_not_reached",
                "follow_ups_pending",
                "follow_ups_overdue",
                "last_forum",
                "last_activity",
                "stale",
            ],
            rows,
        )]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{self, A, B, TODAY};
    use automerge::Automerge;
    use jiff::civil::date;

    fn counts(women: u32, men: u32, not_recorded: u32) -> GenderCounts {
        GenderCounts {
            women,
            men,
            not_recorded,
        }
    }

    fn report(corpus: &Corpus, filter: &Filter, today: Date) -> DistrictReport {
        compute(corpus, filter, today, Options::default())
    }

    #[test]
    fn every_village_summed_by_hand() {
        let r = report(&fixture::corpus(), &Filter::everything(), TODAY);
        // 2026-12-10 − 3 months.
        assert_eq!(r.stale_before, date(2026, 9, 10));
        let [a, b] = r.villages.as_slice() else {
            panic!("two villages: {:?}", r.villages);
        };
        assert_eq!(a.village, A);
        assert_eq!(
            (a.forums_held, a.trainings_held, a.sessions_held),
            (2, 1, 2)
        );
        // M1 (1, 4, 0) + M2 (2, 1, 1).
        assert_eq!(a.forum_attendance, counts(3, 5, 1));
        // T1 session 1: Siti, Rina (f), Made (m), Budi (walk-in, not recorded); session 2: Siti.
        assert_eq!(a.training_check_ins, counts(3, 1, 1));
        // (3 + 3) women of (3 + 5) + (3 + 1) recorded.
        assert_eq!(a.women_share, Ratio::new(6, 12));
        assert_eq!(a.dusun_coverage, Ratio::new(3, 3));
        assert!(a.dusun_not_reached.is_empty());
        // Pending: M1 Survei lokasi, Surat ke camat, Cari donatur; M2 Cek sumur. Overdue:
        // Survei lokasi (12-01), Cek sumur (10-01).
        assert_eq!((a.follow_ups_pending, a.follow_ups_overdue), (4, 2));
        assert_eq!(a.last_forum, Some(date(2026, 11, 29)));
        // Session 2 (12-08, Siti) is later than the last forum; session 3 is in the future.
        assert_eq!(a.last_activity, Some(date(2026, 12, 8)));
        assert!(!a.stale, "11-29 is after 09-10");

        assert_eq!(b.village, B);
        assert_eq!(
            (b.forums_held, b.trainings_held, b.sessions_held),
            (1, 1, 2)
        );
        assert_eq!(b.forum_attendance, counts(1, 2, 0));
        // Session 1: Lestari, Andi; session 2: Lestari.
        assert_eq!(b.training_check_ins, counts(2, 1, 0));
        assert_eq!(b.women_share, Ratio::new(3, 6));
        // Atas and Bawah of Atas, Bawah and Tengah (the caller's).
        assert_eq!(b.dusun_coverage, Ratio::new(2, 3));
        assert_eq!(b.dusun_not_reached, ["Dusun Tengah"]);
        assert_eq!(b.last_forum, Some(date(2026, 8, 15)));
        assert_eq!(b.last_activity, Some(date(2026, 10, 12)));
        assert!(b.stale, "08-15 is before 09-10");

        let t = &r.totals;
        assert_eq!((t.villages, t.stale_villages), (2, 1));
        assert_eq!(
            (t.forums_held, t.trainings_held, t.sessions_held),
            (3, 2, 4)
        );
        assert_eq!(t.forum_attendance, counts(4, 7, 1));
        assert_eq!(t.training_check_ins, counts(5, 2, 1));
        // (4 + 5) of (4 + 7) + (5 + 2).
        assert_eq!(t.women_share, Ratio::new(9, 18));
        assert_eq!(t.dusun_coverage, Ratio::new(5, 6));
        assert_eq!((t.follow_ups_pending, t.follow_ups_overdue), (4, 2));
    }

    #[test]
    fn stale_is_measured_back_from_today() {
        let corpus = fixture::corpus();
        let stale = |today: Date| -> Vec<bool> {
            report(&corpus, &Filter::everything(), today)
                .villages
                .iter()
                .map(|v| v.stale)
                .collect()
        };
        // 2027-02-28 − 3 months = 2026-11-28: A's forum of 11-29 is recent enough.
        assert_eq!(stale(date(2027, 2, 28)), [false, true]);
        // 2027-03-01 − 3 months = 2026-12-01: it is not.
        assert_eq!(stale(date(2027, 3, 1)), [true, true]);
        let one_month = compute(
            &corpus,
            &Filter::everything(),
            date(2026, 9, 14),
            Options { stale_months: 1 },
        );
        // 09-14 − 1 month = 08-14: B's forum of 08-15 counts; A's of 09-01 too.
        assert_eq!(one_month.stale_before, date(2026, 8, 14));
        assert!(one_month.villages.iter().all(|v| !v.stale));
        // M1 (11-29) has not been held on 09-14: neither counted nor the last forum.
        let a = &one_month.villages[0];
        assert_eq!((a.forums_held, a.last_forum), (1, Some(date(2026, 9, 1))));
        assert_eq!(a.forum_attendance, counts(2, 1, 1));
        // The day of the month is clamped, and absurd spans saturate instead of failing.
        assert_eq!(months_before(date(2026, 5, 31), 3), date(2026, 2, 28));
        assert_eq!(months_before(date(2026, 5, 31), u32::MAX), Date::MIN);
    }

    #[test]
    fn the_period_selects_what_was_held_but_not_the_last_dates() {
        let corpus = fixture::corpus();
        let from_nov = Filter::new(None, Some(date(2026, 11, 1)), None).expect("filter");
        let r = report(&corpus, &from_nov, TODAY);
        let [a, b] = r.villages.as_slice() else {
            panic!("two villages: {:?}", r.villages);
        };
        // M1 only; T1's sessions 1 and 2.
        assert_eq!(
            (a.forums_held, a.trainings_held, a.sessions_held),
            (1, 1, 2)
        );
        assert_eq!(a.forum_attendance, counts(1, 4, 0));
        // M1 reached Dusun I and II; T1's check-ins I, II (Budi) and III (Rina).
        assert_eq!(a.dusun_coverage, Ratio::new(3, 3));
        assert_eq!((a.follow_ups_pending, a.follow_ups_overdue), (3, 1));
        // Nothing in B since November.
        assert_eq!(
            (b.forums_held, b.trainings_held, b.sessions_held),
            (0, 0, 0)
        );
        assert_eq!(b.dusun_coverage, Ratio::new(0, 3));
        // The last dates look at every period.
        assert_eq!(b.last_forum, Some(date(2026, 8, 15)));
        assert!(b.stale);

        let only_b = Filter::new(Some(B.parse().expect("valid")), None, None).expect("filter");
        let r = report(&corpus, &only_b, TODAY);
        assert_eq!(r.villages.len(), 1);
        assert_eq!(r.villages[0].village, B);
    }

    #[test]
    fn unreadable_documents_are_listed_and_their_village_kept() {
        let mut corpus = fixture::corpus();
        // A replica that has only seen an offer: its village has no readable document at all.
        let empty = fixture::id("minutes/18.01.05.2009/01JD8X3V6Q2M4T5W7Y9Z0A1B09");
        corpus.add(&empty, &Automerge::new());
        let r = report(&corpus, &Filter::everything(), TODAY);
        assert_eq!(
            r.excluded,
            [Excluded {
                id: empty.to_string(),
                field: None,
                reason: crate::report::ExclusionReason::NotCreated,
            }]
        );
        let v = r
            .villages
            .iter()
            .find(|v| v.village == "18.01.05.2009")
            .expect("the village is listed");
        assert_eq!((v.forums_held, v.last_forum, v.stale), (0, None, true));
    }

    #[test]
    fn csv_row_and_json_keys() {
        let r = report(&fixture::corpus(), &Filter::everything(), TODAY);
        let tables = r.tables();
        assert_eq!(tables.len(), 1);
        assert_eq!(
            tables[0].rows[1],
            [
                B,
                "1",
                "1",
                "2",
                "1",
                "2",
                "0",
                "2",
                "1",
                "0",
                "6",
                "0.5000",
                "3",
                "2",
                "Dusun Tengah",
                "0",
                "0",
                "2026-08-15",
                "2026-10-12",
                "true"
            ]
        );
        let json = serde_json::to_value(&r).expect("json");
        assert_eq!(json["stale_before"], "2026-09-10");
        assert_eq!(json["villages"][1]["dusun_coverage"]["numerator"], 2);
        assert_eq!(json["totals"]["training_check_ins"]["total"], 8);
        assert_eq!(json["options"]["stale_months"], 3);
    }
}
