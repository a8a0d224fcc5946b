//! The forums report: per village and forum, who attended by gender, dusun and role, which known
//! dusun had nobody there, whether women reached a threshold share, and what the forum proposed,
//! decided and left to follow up.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::corpus::{FollowUp, Forum};
use super::figures::{GenderCounts, GenderGroup, Ratio, ShareCheck};
use super::names::{Folded, Names, VillageNames, named_rows};
use super::table::{self, Table};
use super::{Corpus, Excluded, Filter};
use crate::ids::{DocId, DocKind};
use crate::region::VillageCode;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Options {
    /// A forum's women's check compares against this share, in percent of its attendees.
    pub min_women_percent: u32,
}

impl Default for Options {
    fn default() -> Self {
        Self {
            min_women_percent: 30,
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForumsReport {
    pub filter: Filter,
    pub today: Date,
    pub options: Options,
    /// Every village in the region the corpus knows of, by code, with or without forums.
    pub villages: Vec<VillageForums>,
    /// Minutes in the region that could not be read (or parts of them).
    pub excluded: Vec<Excluded>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct VillageForums {
    pub village: String,
    /// The dusun a forum here is expected to hear from (see ARCHITECTURE.md, "Reports").
    pub known_dusun: Vec<String>,
    /// Attendances summed over the held forums below (not `upcoming`): someone at two forums
    /// counts twice.
    pub attendees: GenderCounts,
    /// Known dusun with nobody at any held forum below (all of them when there is none).
    pub dusun_not_reached: Vec<String>,
    /// The village's forums dated in the period, by date then id.
    pub forums: Vec<ForumParticipation>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct ForumParticipation {
    pub id: String,
    pub date: Date,
    /// Dated after today: not held yet (planned, or a mistyped date). Listed with its figures,
    /// left out of the village's sums.
    pub upcoming: bool,
    pub title: String,
    /// `draft` or `final`, as recorded.
    pub status: String,
    pub attendees: GenderCounts,
    /// Women among attendees whose gender was recorded.
    pub women_share: Ratio,
    /// [`ShareCheck::women`] against [`Options::min_women_percent`] of all attendees.
    pub women_check: ShareCheck,
    /// Every known dusun of the village (a zero is a dusun nobody came from), then attendees with
    /// no dusun recorded (`dusun: null`) if there are any.
    pub by_dusun: Vec<DusunAttendees>,
    /// Known dusun with nobody at this forum.
    pub dusun_absent: Vec<String>,
    /// Attendees by role as recorded (`role: null`: none recorded), by folded role.
    pub by_role: Vec<RoleAttendees>,
    /// By support, most first (then text, then key).
    pub proposals: Vec<ProposalSupport>,
    /// In the order recorded.
    pub decisions: Vec<String>,
    pub follow_ups: FollowUps,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DusunAttendees {
    pub dusun: Option<String>,
    pub attendees: GenderCounts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RoleAttendees {
    pub role: Option<String>,
    pub attendees: GenderCounts,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ProposalSupport {
    pub key: String,
    pub text: String,
    pub raised_by: Option<String>,
    pub priority: Option<String>,
    /// The supporter counter, every device's increments added.
    pub support: i64,
}

/// A forum's follow-ups by state as of today; the states add up to all of them.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct FollowUps {
    pub open: u32,
    pub in_progress: u32,
    pub done: u32,
    pub dropped: u32,
    /// A status that is none of the four (or missing): counted as pending.
    pub unrecognised: u32,
    /// Pending with a due date before today.
    pub overdue: u32,
    /// Every follow-up not done or dropped, by due date (none last), then key.
    pub pending: Vec<PendingFollowUp>,
}

impl FollowUps {
    /// Neither done nor dropped.
    pub fn pending_count(&self) -> u32 {
        self.open + self.in_progress + self.unrecognised
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PendingFollowUp {
    pub key: String,
    pub what: String,
    pub who: Option<String>,
    pub due: Option<Date>,
    pub state: FollowUpState,
    pub overdue: bool,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum FollowUpState {
    Open,
    InProgress,
    Done,
    Dropped,
    Unrecognised,
}

impl FollowUpState {
    pub(crate) fn of(status: Option<&str>) -> Self {
        match status {
            Some("open") => FollowUpState::Open,
            Some("in-progress") => FollowUpState::InProgress,
            Some("done") => FollowUpState::Done,
            Some("dropped") => FollowUpState::Dropped,
            _ => FollowUpState::Unrecognised,
        }
    }

    /// The key used in JSON and CSV.
    pub fn as_str(self) -> &'static str {
        match self {
            FollowUpState::Open => "open",
            FollowUpState::InProgress => "in_progress",
            FollowUpState::Done => "done",
            FollowUpState::Dropped => "dropped",
            FollowUpState::Unrecognised => "unrecognised",
        }
    }
}

/// A forum's follow-ups as of `today`.
pub(crate) fn follow_ups(items: &[FollowUp], today: Date) -> FollowUps {
    let mut out = FollowUps::default();
    for f in items {
        let state = FollowUpState::of(f.status.as_deref());
        let counter = match state {
            FollowUpState::Open => &mut out.open,
            FollowUpState::InProgress => &mut out.in_progress,
            FollowUpState::Done => &mut out.done,
            FollowUpState::Dropped => &mut out.dropped,
            FollowUpState::Unrecognised => &mut out.unrecognised,
        };
        *counter += 1;
        if matches!(state, FollowUpState::Done | FollowUpState::Dropped) {
            continue;
        }
        let overdue = f.due.is_some_and(|due| due < today);
        out.overdue += u32::from(overdue);
        out.pending.push(PendingFollowUp {
            key: f.key.clone(),
            what: f.what.clone(),
            who: f.who.clone(),
            due: f.due,
            state,
            overdue,
        });
    }
    out.pending
        .sort_by(|a, b| (a.due.is_none(), a.due, &a.key).cmp(&(b.due.is_none(), b.due, &b.key)));
    out
}

/// The forums of every village in `filter`, as of `today`.
pub fn compute(corpus: &Corpus, filter: &Filter, today: Date, options: Options) -> ForumsReport {
    let names = Names::of(corpus);
    let mut by_village: BTreeMap<&VillageCode, Vec<(&DocId, &Forum)>> = corpus
        .villages(filter)
        .into_iter()
        .map(|v| (v, Vec::new()))
        .collect();
    for (id, forum) in corpus.forums(filter) {
        if filter.covers_date(forum.date) {
            by_village
                .entry(id.village())
                .or_default()
                .push((id, forum));
        }
    }
    let villages = by_village
        .into_iter()
        .map(|(village, mut forums)| {
            forums.sort_by_key(|(id, f)| (f.date, *id));
            let names = names.village(village);
            let forums: Vec<ForumParticipation> = forums
                .into_iter()
                .map(|(id, f)| participation(id, f, names, today, options))
                .collect();
            village_forums(village, names, forums)
        })
        .collect();
    ForumsReport {
        filter: filter.clone(),
        today,
        options,
        villages,
        excluded: corpus.excluded(filter, Some(DocKind::Minutes)),
    }
}

fn village_forums(
    village: &VillageCode,
    names: &VillageNames,
    forums: Vec<ForumParticipation>,
) -> VillageForums {
    let held = || forums.iter().filter(|f| !f.upcoming);
    let mut attendees = GenderCounts::default();
    for f in held() {
        attendees += f.attendees;
    }
    let known_dusun: Vec<String> = names.dusun.keys().map(|k| names.dusun.name(k)).collect();
    let dusun_not_reached = known_dusun
        .iter()
        .filter(|d| held().all(|f| f.dusun_absent.contains(d)))
        .cloned()
        .collect();
    VillageForums {
        village: village.to_string(),
        known_dusun,
        attendees,
        dusun_not_reached,
        forums,
    }
}

fn participation(
    id: &DocId,
    f: &Forum,
    names: &VillageNames,
    today: Date,
    options: Options,
) -> ForumParticipation {
    let mut attendees = GenderCounts::default();
    let mut by_dusun: BTreeMap<Option<Folded>, GenderCounts> = names
        .dusun
        .keys()
        .map(|k| (Some(k.clone()), GenderCounts::default()))
        .collect();
    let mut by_role: BTreeMap<Option<Folded>, GenderCounts> = BTreeMap::new();
    for a in &f.attendees {
        let gender = GenderGroup::of(a.gender.as_deref());
        attendees.add(gender);
        let dusun = a.dusun.as_deref().and_then(Folded::of);
        by_dusun.entry(dusun).or_default().add(gender);
        let role = a.role.as_deref().and_then(Folded::of);
        by_role.entry(role).or_default().add(gender);
    }
    let by_dusun = named_rows(by_dusun, &names.dusun, |dusun, attendees| DusunAttendees {
        dusun,
        attendees,
    });
    let dusun_absent = by_dusun
        .iter()
        .filter(|d| d.attendees.total() == 0)
        .filter_map(|d| d.dusun.clone())
        .collect();
    let mut proposals: Vec<ProposalSupport> = f
        .proposals
        .iter()
        .map(|p| ProposalSupport {
            key: p.key.clone(),
            text: p.text.clone(),
            raised_by: p.raised_by.clone(),
            priority: p.priority.clone(),
            support: p.support,
        })
        .collect();
    proposals.sort_by(|a, b| {
        (Reverse(a.support), &a.text, &a.key).cmp(&(Reverse(b.support), &b.text, &b.key))
    });
    ForumParticipation {
        id: id.to_string(),
        date: f.date,
        upcoming: f.date > today,
        title: f.title.clone(),
        status: f.status.clone(),
        attendees,
        women_share: attendees.women_share(),
        women_check: ShareCheck::women(&attendees, options.min_women_percent),
        by_dusun,
        dusun_absent,
        by_role: named_rows(by_role, &names.roles, |role, attendees| RoleAttendees {
            role,
            attendees,
        }),
        proposals,
        decisions: f.decisions.clone(),
        follow_ups: follow_ups(&f.follow_ups, today),
    }
}

/// `women, men, not_recorded, total` cells.
fn gender_cells(c: &GenderCounts) -> [String; 4] {
    [
        table::num(c.women),
        table::num(c.men),
        table::num(c.not_recorded),
        table::num(c.total()),
    ]
}

impl ForumsReport {
    /// The CSV tables: `villages`, `forums` (one row per forum), `participation` (per forum and
    /// dusun or role), `proposals` and `pending_follow_ups`.
    pub fn tables(&self) -> Vec<Table> {
        let villages = self.villages.iter().map(|v| {
            let [women, men, not_recorded, total] = gender_cells(&v.attendees);
            [
                v.village.clone(),
                table::num(v.forums.len()),
                women,
                men,
                not_recorded,
                total,
                table::list(&v.known_dusun),
                table::list(&v.dusun_not_reached),
            ]
        });
        let forums = self.forums().map(|(v, f)| {
            let [women, men, not_recorded, total] = gender_cells(&f.attendees);
            [
                v.village.clone(),
                f.id.clone(),
                table::date(Some(f.date)),
                table::flag(f.upcoming),
                f.title.clone(),
                f.status.clone(),
                women,
                men,
                not_recorded,
                total,
                table::rate(f.women_share),
                f.women_check.as_str().to_owned(),
                table::list(&f.dusun_absent),
                table::num(f.proposals.len()),
                table::num(f.decisions.len()),
                table::num(f.follow_ups.pending_count()),
                table::num(f.follow_ups.overdue),
            ]
        });
        let participation = self.forums().flat_map(|(v, f)| {
            let dusun = f.by_dusun.iter().map(|d| ("dusun", &d.dusun, &d.attendees));
            let role = f.by_role.iter().map(|r| ("role", &r.role, &r.attendees));
            dusun.chain(role).map(move |(dimension, group, counts)| {
                let [women, men, not_recorded, total] = gender_cells(counts);
                [
                    v.village.clone(),
                    f.id.clone(),
                    table::date(Some(f.date)),
                    dimension.to_owned(),
                    table::text(group.as_deref()),
                    women,
                    men,
                    not_recorded,
                    total,
                ]
            })
        });
        let proposals = self.forums().flat_map(|(v, f)| {
            f.proposals.iter().map(move |p| {
                [
                    v.village.clone(),
                    f.id.clone(),
                    table::date(Some(f.date)),
                    p.key.clone(),
                    p.text.clone(),
                    table::text(p.raised_by.as_deref()),
                    table::text(p.priority.as_deref()),
                    table::num(p.support),
                ]
            })
        });
        let follow_ups = self.forums().flat_map(|(v, f)| {
            f.follow_ups.pending.iter().map(move |p| {
                [
                    v.village.clone(),
                    f.id.clone(),
                    table::date(Some(f.date)),
                    p.key.clone(),
                    p.what.clone(),
                    table::text(p.who.as_deref()),
                    table::date(p.due),
                    p.state.as_str().to_owned(),
                    table::flag(p.overdue),
                ]
            })
        });
        vec![
            Table::new(
                "villages",
                [
                    "village",
                    "forums",
                    "women",
                    "men",
                    "not_recorded",
                    "total",
                    "known_dusun",
                    "dusun_not_reached",
                ],
                villages,
            ),
            Table::new(
                "forums",
                [
                    "village",
                    "forum",
                    "date",
                    "upcoming",
                    "title",
                    "status",
                    "women",
                    "men",
                    "not_recorded",
                    "total",
                    "women_share",
                    "women_check",
                    "dusun_absent",
                    "proposals",
                    "decisions",
                    "follow_ups_pending",
                    "follow_ups_overdue",
                ],
                forums,
            ),
            Table::new(
                "participation",
                [
                    "village",
                    "forum",
                    "date",
                    "dimension",
                    "group",
                    "women",
                    "men",
                    "not_recorded",
                    "total",
                ],
                participation,
            ),
            Table::new(
                "proposals",
                [
                    "village",
                    "forum",
                    "date",
                    "key",
                    "text",
                    "raised_by",
                    "priority",
                    "support",
                ],
                proposals,
            ),
            Table::new(
                "pending_follow_ups",
                [
                    "village", "forum", "date", "key", "what", "who", "due", "state", "overdue",
                ],
                follow_ups,
            ),
        ]
    }

    fn forums(&self) -> impl Iterator<Item = (&VillageForums, &ForumParticipation)> {
        self.villages
            .iter()
            .flat_map(|v| v.forums.iter().map(move |f| (v, f)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{self, A, B, M1, M2, M3, TODAY};
    use jiff::civil::date;

    fn counts(women: u32, men: u32, not_recorded: u32) -> GenderCounts {
        GenderCounts {
            women,
            men,
            not_recorded,
        }
    }

    fn report(filter: &Filter, today: Date, min_women_percent: u32) -> ForumsReport {
        compute(
            &fixture::corpus(),
            filter,
            today,
            Options { min_women_percent },
        )
    }

    fn forum<'a>(r: &'a ForumsReport, id: &str) -> &'a ForumParticipation {
        r.villages
            .iter()
            .flat_map(|v| &v.forums)
            .find(|f| f.id == id)
            .expect("forum in report")
    }

    fn dusun_rows(f: &ForumParticipation) -> Vec<(Option<&str>, GenderCounts)> {
        f.by_dusun
            .iter()
            .map(|d| (d.dusun.as_deref(), d.attendees))
            .collect()
    }

    #[test]
    fn participation_by_gender_dusun_and_role_counted_by_hand() {
        let r = report(&Filter::everything(), TODAY, 30);
        let villages: Vec<&str> = r.villages.iter().map(|v| v.village.as_str()).collect();
        assert_eq!(villages, [A, B]);
        let a = &r.villages[0];
        // Dusun I and Dusun II from every record of village A ("dusun i" from the caller is
        // Dusun I), Dusun III from M2 and T1. "Dusun II" is written 4 times (M1 Wayan, Komang;
        // T1 Dewi, Joko), "dusun ii" twice (Budi in M1 and T1).
        assert_eq!(a.known_dusun, ["Dusun I", "Dusun II", "Dusun III"]);
        let order: Vec<&str> = a.forums.iter().map(|f| f.id.as_str()).collect();
        assert_eq!(order, [M2, M1], "by date");

        let m1 = forum(&r, M1);
        // Both devices' attendees: Siti (f); Made, Budi, Wayan, Komang (m).
        assert_eq!(m1.attendees, counts(1, 4, 0));
        assert_eq!(m1.women_share, Ratio::new(1, 5));
        // 1 × 100 < 30 × 5 even counting the (no) unrecorded as women.
        assert_eq!(m1.women_check, ShareCheck::Below);
        assert_eq!(
            dusun_rows(m1),
            [
                (Some("Dusun I"), counts(1, 1, 0)),
                (Some("Dusun II"), counts(0, 3, 0)),
                (Some("Dusun III"), counts(0, 0, 0)),
            ]
        );
        assert_eq!(m1.dusun_absent, ["Dusun III"]);
        // Roles by folded name; "warga" (Budi in M1, Rina in M2) outnumbers "Warga" (Wayan).
        let roles: Vec<(Option<&str>, GenderCounts)> = m1
            .by_role
            .iter()
            .map(|r| (r.role.as_deref(), r.attendees))
            .collect();
        assert_eq!(
            roles,
            [
                (Some("kepala dusun"), counts(0, 1, 0)),
                (Some("ketua PKK"), counts(1, 0, 0)),
                (Some("warga"), counts(0, 2, 0)),
                (None, counts(0, 1, 0)),
            ]
        );
        // 3 (device-a) + 2 (device-b) = 5 for the road, below the 7 for sewing.
        let support: Vec<(&str, i64)> = m1
            .proposals
            .iter()
            .map(|p| (p.text.as_str(), p.support))
            .collect();
        assert_eq!(support, [("Pelatihan jahit", 7), ("Perbaikan jalan", 5)]);
        assert_eq!(m1.decisions, ["Jalan diperbaiki gotong royong"]);

        let m2 = forum(&r, M2);
        // Siti, Rina (f); Putu (m); Ayu not recorded. Share of recorded: 2 of 3. Check:
        // 2 × 100 ≥ 30 × 4, met even if Ayu is a man.
        assert_eq!(m2.attendees, counts(2, 1, 1));
        assert_eq!(m2.women_share, Ratio::new(2, 3));
        assert_eq!(m2.women_check, ShareCheck::Met);
        assert_eq!(m2.dusun_absent, ["Dusun II"]);

        // M1 + M2 = 1 + 2 women, 4 + 1 men, 0 + 1 not recorded; every dusun came to one.
        assert_eq!(a.attendees, counts(3, 5, 1));
        assert!(a.dusun_not_reached.is_empty());

        let b = &r.villages[1];
        assert_eq!(b.known_dusun, ["Dusun Atas", "Dusun Bawah", "Dusun Tengah"]);
        let m3 = forum(&r, M3);
        // Lestari of 3: 100 ≥ 30 × 3 = 90.
        assert_eq!(m3.women_check, ShareCheck::Met);
        assert_eq!(m3.dusun_absent, ["Dusun Tengah"]);
        assert_eq!(b.dusun_not_reached, ["Dusun Tengah"]);
        assert!(r.excluded.is_empty());
    }

    #[test]
    fn the_women_threshold_is_an_option() {
        // M1 (1 of 5): 100 ≥ 20 × 5, met at 20 %.
        assert_eq!(
            forum(&report(&Filter::everything(), TODAY, 20), M1).women_check,
            ShareCheck::Met
        );
        // M2 (2 women, 1 man, 1 unknown of 4) at 60 %: at least 200, at most 300, against 240.
        assert_eq!(
            forum(&report(&Filter::everything(), TODAY, 60), M2).women_check,
            ShareCheck::Undetermined
        );
        // At 50 %: 200 ≥ 200.
        assert_eq!(
            forum(&report(&Filter::everything(), TODAY, 50), M2).women_check,
            ShareCheck::Met
        );
    }

    #[test]
    fn follow_ups_are_pending_or_overdue_as_of_today() {
        let r = report(&Filter::everything(), TODAY, 30);
        let f = &forum(&r, M1).follow_ups;
        // Open: Survei lokasi, Cari donatur; in progress: Surat ke camat; done: Rapat lanjutan.
        assert_eq!(
            (f.open, f.in_progress, f.done, f.dropped, f.unrecognised),
            (2, 1, 1, 0, 0)
        );
        // Due 12-01 < 12-10: Survei lokasi. Rapat lanjutan (11-30) is done, not overdue.
        assert_eq!(f.overdue, 1);
        let pending: Vec<(&str, Option<Date>, FollowUpState, bool)> = f
            .pending
            .iter()
            .map(|p| (p.what.as_str(), p.due, p.state, p.overdue))
            .collect();
        assert_eq!(
            pending,
            [
                (
                    "Survei lokasi",
                    Some(date(2026, 12, 1)),
                    FollowUpState::Open,
                    true
                ),
                (
                    "Surat ke camat",
                    Some(date(2026, 12, 20)),
                    FollowUpState::InProgress,
                    false
                ),
                ("Cari donatur", None, FollowUpState::Open, false),
            ]
        );
        assert_eq!(forum(&r, M2).follow_ups.overdue, 1, "Cek sumur, due 10-01");

        // Due today is not overdue yet; the day after it is.
        let on_due_day = report(&Filter::everything(), date(2026, 12, 1), 30);
        assert_eq!(forum(&on_due_day, M1).follow_ups.overdue, 0);
        let late = report(&Filter::everything(), date(2026, 12, 21), 30);
        assert_eq!(forum(&late, M1).follow_ups.overdue, 2, "and Surat ke camat");
    }

    #[test]
    fn the_period_and_region_select_forums_not_the_known_dusun() {
        let nov = Filter::new(None, Some(date(2026, 11, 1)), None).expect("filter");
        let r = report(&nov, TODAY, 30);
        let a = &r.villages[0];
        assert_eq!(a.forums.len(), 1, "M1 only");
        assert!(!a.forums[0].upcoming);
        // Dusun III is still known (from M2 and T1, outside the period) and nobody from it came.
        assert_eq!(a.known_dusun, ["Dusun I", "Dusun II", "Dusun III"]);
        assert_eq!(a.dusun_not_reached, ["Dusun III"]);
        // Village B had no forum in the period: it is listed, and none of its dusun was reached.
        let b = &r.villages[1];
        assert!(b.forums.is_empty());
        assert_eq!(
            b.dusun_not_reached,
            ["Dusun Atas", "Dusun Bawah", "Dusun Tengah"]
        );

        let district_a =
            Filter::new(Some("18.01.05".parse().expect("valid")), None, None).expect("filter");
        let r = report(&district_a, TODAY, 30);
        let villages: Vec<&str> = r.villages.iter().map(|v| v.village.as_str()).collect();
        assert_eq!(villages, [A]);
    }

    #[test]
    fn a_forum_dated_after_today_is_listed_but_not_summed() {
        // On 11-01, M1 (11-29) has not happened.
        let r = report(&Filter::everything(), date(2026, 11, 1), 30);
        let a = &r.villages[0];
        assert_eq!(a.forums.len(), 2);
        assert!(forum(&r, M1).upcoming && !forum(&r, M2).upcoming);
        // M2 alone: Dusun II was reached only by M1.
        assert_eq!(a.attendees, counts(2, 1, 1));
        assert_eq!(a.dusun_not_reached, ["Dusun II"]);
    }

    #[test]
    fn csv_rows_and_json_keys() {
        let r = report(&Filter::everything(), TODAY, 30);
        let tables = r.tables();
        let names: Vec<&str> = tables.iter().map(|t| t.name).collect();
        assert_eq!(
            names,
            [
                "villages",
                "forums",
                "participation",
                "proposals",
                "pending_follow_ups"
            ]
        );
        assert_eq!(
            tables[1].rows[1],
            [
                A,
                M1,
                "2026-11-29",
                "false",
                "Musyawarah 2026-11-29",
                "draft",
                "1",
                "4",
                "0",
                "5",
                "0.2000",
                "below",
                "Dusun III",
                "2",
                "1",
                "3",
                "1"
            ]
        );
        // Rows of dusun + roles: M2 3 + 2 (warga, none), M1 3 + 4, M3 3 + 1 (none).
        assert_eq!(tables[2].rows.len(), (3 + 2) + (3 + 4) + (3 + 1));
        assert_eq!(tables[4].rows.len(), 1 + 3, "Cek sumur, then M1's three");

        let json = serde_json::to_value(&r).expect("json");
        let m1 = &json["villages"][0]["forums"][1];
        assert_eq!(m1["women_check"], "below");
        assert_eq!(m1["attendees"]["total"], 5);
        assert_eq!(m1["women_share"]["denominator"], 5);
        assert_eq!(m1["follow_ups"]["pending"][1]["state"], "in_progress");
        assert_eq!(m1["by_role"][3]["role"], serde_json::Value::Null);
        assert_eq!(json["options"]["min_women_percent"], 30);
    }
}
