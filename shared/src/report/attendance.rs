//! The attendance report: per training and per session, who was enrolled and who came, by gender
//! and by dusun, and the enrolled people who missed every session.

use std::collections::BTreeMap;

use jiff::civil::Date;
use serde::Serialize;

use super::corpus::{Session, Training};
use super::figures::{ByGender, GenderGroup, Ratio, count};
use super::names::{Folded, Names, Spellings, named_rows};
use super::table::{self, Table};
use super::{Corpus, Excluded, Filter};
use crate::ids::{DocId, DocKind};

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct AttendanceReport {
    pub filter: Filter,
    pub today: Date,
    /// Trainings with at least one session in the period: by village, first session, id.
    pub trainings: Vec<TrainingAttendance>,
    /// Trainings or sessions in the region that could not be read.
    pub excluded: Vec<Excluded>,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct TrainingAttendance {
    pub id: String,
    pub village: String,
    pub topic: String,
    /// Sessions in the period dated today or earlier: the ones that count.
    pub sessions_held: u32,
    /// Sessions in the period dated after today: shown, but nobody has missed them yet.
    pub sessions_upcoming: u32,
    /// Over the held sessions.
    pub all: SeriesTally,
    pub by_gender: ByGender<SeriesTally>,
    /// Every known dusun of the village (a zero row is a dusun nobody came from), then people
    /// with no dusun recorded (`dusun: null`) if there are any.
    pub by_dusun: Vec<DusunSeries>,
    /// Every session in the period, in number order.
    pub sessions: Vec<SessionAttendance>,
    /// Enrolled people present at none of the held sessions (empty while none is held), by dusun
    /// then name.
    pub missed_every_session: Vec<Absentee>,
}

/// One group's attendance over a training's held sessions.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct SeriesTally {
    /// Participants on the list, walk-ins not included.
    pub enrolled: u32,
    /// Enrolled people present at one held session at least.
    pub reached: u32,
    /// Check-ins of enrolled people at held sessions, of `enrolled × sessions_held` possible.
    pub check_ins: Ratio,
    /// Walk-ins present at one held session at least (outside every rate).
    pub walk_ins: u32,
}

impl SeriesTally {
    fn add(&mut self, person: &Person<'_>, attended: u32, held: u32) {
        if person.enrolled {
            self.enrolled += 1;
            self.check_ins.numerator += attended;
            self.check_ins.denominator += held;
            self.reached += u32::from(attended > 0);
        } else if attended > 0 {
            self.walk_ins += 1;
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DusunSeries {
    pub dusun: Option<String>,
    #[serde(flatten)]
    pub tally: SeriesTally,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct SessionAttendance {
    pub number: u32,
    pub date: Date,
    /// Dated after today: not counted in the training's figures.
    pub upcoming: bool,
    pub all: SessionTally,
    pub by_gender: ByGender<SessionTally>,
    /// As [`TrainingAttendance::by_dusun`].
    pub by_dusun: Vec<DusunSession>,
}

/// One group's attendance at one session.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize)]
pub struct SessionTally {
    /// Enrolled people checked in, of those enrolled: the attendance rate.
    pub present: Ratio,
    /// People checked in who are not enrolled: present, but outside the rate.
    pub walk_ins: u32,
}

impl SessionTally {
    fn add(&mut self, person: &Person<'_>, present: bool) {
        if person.enrolled {
            self.present.denominator += 1;
            self.present.numerator += u32::from(present);
        } else if present {
            self.walk_ins += 1;
        }
    }
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct DusunSession {
    pub dusun: Option<String>,
    #[serde(flatten)]
    pub tally: SessionTally,
}

/// An enrolled person who came to none of the held sessions.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Absentee {
    /// The person key in the training.
    pub key: String,
    pub name: String,
    pub gender: GenderGroup,
    pub dusun: Option<String>,
}

/// The attendance of every training in `filter` with a session in its period, as of `today`.
pub fn compute(corpus: &Corpus, filter: &Filter, today: Date) -> AttendanceReport {
    let names = Names::of(corpus);
    let mut trainings: Vec<(Date, TrainingAttendance)> = corpus
        .trainings(filter)
        .filter_map(|(id, t)| training(id, t, &names.village(id.village()).dusun, filter, today))
        .collect();
    // The id is unique: ties on (village, date) cannot reorder between runs.
    trainings.sort_by(|(a_date, a), (b_date, b)| {
        (&a.village, a_date, &a.id).cmp(&(&b.village, b_date, &b.id))
    });
    AttendanceReport {
        filter: filter.clone(),
        today,
        trainings: trainings.into_iter().map(|(_, t)| t).collect(),
        excluded: corpus.excluded(filter, Some(DocKind::Training)),
    }
}

/// A person of one training, as the report groups them.
struct Person<'a> {
    key: &'a str,
    name: &'a str,
    gender: GenderGroup,
    dusun: Option<Folded>,
    /// On the list; walk-ins (and check-ins of a key with no participant entry) are not.
    enrolled: bool,
}

/// A figure for everyone, per gender and per dusun (`None`: not recorded).
struct Split<T> {
    all: T,
    by_gender: ByGender<T>,
    by_dusun: BTreeMap<Option<Folded>, T>,
}

impl<T: Default> Split<T> {
    /// With a zero for every known dusun, so a dusun nobody came from still has its row.
    fn new(known: &Spellings) -> Self {
        Self {
            all: T::default(),
            by_gender: ByGender::default(),
            by_dusun: known
                .keys()
                .map(|k| (Some(k.clone()), T::default()))
                .collect(),
        }
    }

    /// Apply `f` to each group `person` is in: all, their gender, their dusun.
    fn each_group(&mut self, person: &Person<'_>, mut f: impl FnMut(&mut T)) {
        f(&mut self.all);
        f(self.by_gender.get_mut(person.gender));
        f(self.by_dusun.entry(person.dusun.clone()).or_default());
    }
}

fn training(
    id: &DocId,
    t: &Training,
    dusun_names: &Spellings,
    filter: &Filter,
    today: Date,
) -> Option<(Date, TrainingAttendance)> {
    let sessions: Vec<&Session> = t
        .sessions
        .iter()
        .filter(|s| filter.covers_date(s.date))
        .collect();
    let first = sessions.iter().map(|s| s.date).min()?;
    let held: Vec<&Session> = sessions
        .iter()
        .copied()
        .filter(|s| s.date <= today)
        .collect();
    let held_count = count(held.len());
    let upcoming_count = count(sessions.len() - held.len());
    let people = people(t);

    let mut series = Split::<SeriesTally>::new(dusun_names);
    let mut missed = Vec::new();
    for p in &people {
        let attended = count(held.iter().filter(|s| s.present.contains(p.key)).count());
        series.each_group(p, |tally| tally.add(p, attended, held_count));
        if p.enrolled && attended == 0 && held_count > 0 {
            missed.push(p);
        }
    }
    // By dusun (not recorded last), then by person key (the folded name).
    missed.sort_by(|a, b| {
        (a.dusun.is_none(), &a.dusun, a.key).cmp(&(b.dusun.is_none(), &b.dusun, b.key))
    });
    let missed_every_session = missed
        .into_iter()
        .map(|p| Absentee {
            key: p.key.to_owned(),
            name: p.name.to_owned(),
            gender: p.gender,
            dusun: p.dusun.as_ref().map(|d| dusun_names.name(d)),
        })
        .collect();

    let sessions = sessions
        .iter()
        .map(|s| {
            let mut split = Split::<SessionTally>::new(dusun_names);
            for p in &people {
                let present = s.present.contains(p.key);
                split.each_group(p, |tally| tally.add(p, present));
            }
            SessionAttendance {
                number: s.number,
                date: s.date,
                upcoming: s.date > today,
                all: split.all,
                by_gender: split.by_gender,
                by_dusun: named_rows(split.by_dusun, dusun_names, |dusun, tally| DusunSession {
                    dusun,
                    tally,
                }),
            }
        })
        .collect();

    let attendance = TrainingAttendance {
        id: id.to_string(),
        village: id.village().to_string(),
        topic: t.topic.clone(),
        sessions_held: held_count,
        sessions_upcoming: upcoming_count,
        all: series.all,
        by_gender: series.by_gender,
        by_dusun: named_rows(series.by_dusun, dusun_names, |dusun, tally| DusunSeries {
            dusun,
            tally,
        }),
        sessions,
        missed_every_session,
    };
    Some((first, attendance))
}

/// Everyone the training lists, plus anyone checked in under a key with no participant entry
/// (a foreign or faulty writer's): those count as walk-ins of unknown gender and dusun.
fn people(t: &Training) -> Vec<Person<'_>> {
    let mut people: BTreeMap<&str, Person<'_>> = t
        .participants
        .iter()
        .map(|p| {
            let person = Person {
                key: p.key.as_str(),
                name: p.name.as_str(),
                gender: GenderGroup::of(p.gender.as_deref()),
                dusun: p.dusun.as_deref().and_then(Folded::of),
                enrolled: !t.walk_ins.contains(&p.key),
            };
            (p.key.as_str(), person)
        })
        .collect();
    for key in t.sessions.iter().flat_map(|s| &s.present) {
        people.entry(key.as_str()).or_insert_with(|| Person {
            key: key.as_str(),
            name: key.as_str(),
            gender: GenderGroup::NotRecorded,
            dusun: None,
            enrolled: false,
        });
    }
    people.into_values().collect()
}

/// The group columns of a CSV row: `all` (group empty), `gender` (`women`, `men`,
/// `not_recorded`) or `dusun` (its name; empty: not recorded).
fn groups<'a, T>(
    all: &'a T,
    by_gender: &'a ByGender<T>,
    by_dusun: impl Iterator<Item = (Option<&'a str>, &'a T)>,
) -> Vec<([String; 2], &'a T)> {
    let mut out = vec![(["all".to_owned(), String::new()], all)];
    for g in GenderGroup::ALL {
        out.push((
            ["gender".to_owned(), g.as_str().to_owned()],
            by_gender.get(g),
        ));
    }
    for (dusun, t) in by_dusun {
        out.push((["dusun".to_owned(), table::text(dusun)], t));
    }
    out
}

impl AttendanceReport {
    /// The CSV tables: `trainings` (one row per training and group), `sessions` (per session
    /// and group) and `missed` (per person who missed every held session).
    pub fn tables(&self) -> Vec<Table> {
        let trainings = self.trainings.iter().flat_map(|t| {
            let by_dusun = t.by_dusun.iter().map(|d| (d.dusun.as_deref(), &d.tally));
            groups(&t.all, &t.by_gender, by_dusun).into_iter().map(
                move |([dimension, group], s)| {
                    [
                        t.village.clone(),
                        t.id.clone(),
                        t.topic.clone(),
                        table::num(t.sessions_held),
                        table::num(t.sessions_upcoming),
                        dimension,
                        group,
                        table::num(s.enrolled),
                        table::num(s.reached),
                        table::num(s.check_ins.numerator),
                        table::num(s.check_ins.denominator),
                        table::rate(s.check_ins),
                        table::num(s.walk_ins),
                    ]
                },
            )
        });
        let sessions = self.trainings.iter().flat_map(|t| {
            t.sessions.iter().flat_map(move |s| {
                let by_dusun = s.by_dusun.iter().map(|d| (d.dusun.as_deref(), &d.tally));
                groups(&s.all, &s.by_gender, by_dusun).into_iter().map(
                    move |([dimension, group], tally)| {
                        [
                            t.village.clone(),
                            t.id.clone(),
                            t.topic.clone(),
                            table::num(s.number),
                            table::date(Some(s.date)),
                            table::flag(s.upcoming),
                            dimension,
                            group,
                            table::num(tally.present.denominator),
                            table::num(tally.present.numerator),
                            table::rate(tally.present),
                            table::num(tally.walk_ins),
                        ]
                    },
                )
            })
        });
        let missed = self.trainings.iter().flat_map(|t| {
            t.missed_every_session.iter().map(move |a| {
                [
                    t.village.clone(),
                    t.id.clone(),
                    t.topic.clone(),
                    a.key.clone(),
                    a.name.clone(),
                    a.gender.as_str().to_owned(),
                    table::text(a.dusun.as_deref()),
                ]
            })
        });
        vec![
            Table::new(
                "trainings",
                [
                    "village",
                    "training",
                    "topic",
                    "sessions_held",
                    "sessions_upcoming",
                    "dimension",
                    "group",
                    "enrolled",
                    "reached",
                    "check_ins",
                    "possible_check_ins",
                    "check_in_rate",
                    "walk_ins",
                ],
                trainings,
            ),
            Table::new(
                "sessions",
                [
                    "village",
                    "training",
                    "topic",
                    "session",
                    "date",
                    "upcoming",
                    "dimension",
                    "group",
                    "enrolled",
                    "present",
                    "attendance_rate",
                    "walk_ins",
                ],
                sessions,
            ),
            Table::new(
                "missed",
                [
                    "village", "training", "topic", "key", "name", "gender", "dusun",
                ],
                missed,
            ),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::report::fixture::{self, T1, T2, TODAY};
    use jiff::civil::date;

    fn series(enrolled: u32, reached: u32, check_ins: (u32, u32), walk_ins: u32) -> SeriesTally {
        SeriesTally {
            enrolled,
            reached,
            check_ins: Ratio::new(check_ins.0, check_ins.1),
            walk_ins,
        }
    }

    fn session(present: u32, enrolled: u32, walk_ins: u32) -> SessionTally {
        SessionTally {
            present: Ratio::new(present, enrolled),
            walk_ins,
        }
    }

    fn dusun_series(rows: &[(&str, SeriesTally)]) -> Vec<DusunSeries> {
        rows.iter()
            .map(|(d, tally)| DusunSeries {
                dusun: Some((*d).to_owned()),
                tally: *tally,
            })
            .collect()
    }

    fn report(filter: &Filter, today: Date) -> AttendanceReport {
        compute(&fixture::corpus(), filter, today)
    }

    fn keys(absentees: &[Absentee]) -> Vec<&str> {
        absentees.iter().map(|a| a.key.as_str()).collect()
    }

    #[test]
    fn a_training_with_concurrent_check_ins_counted_by_hand() {
        let r = report(&Filter::everything(), TODAY);
        let ids: Vec<&str> = r.trainings.iter().map(|t| t.id.as_str()).collect();
        assert_eq!(ids, [T1, T2], "village A before village B");
        let t1 = &r.trainings[0];
        // Sessions 1 (12-01) and 2 (12-08) are held by 12-10; session 3 (12-15) is not.
        assert_eq!((t1.sessions_held, t1.sessions_upcoming), (2, 1));
        // Check-ins of the 5 enrolled: session 1 Siti, Made, Rina (Siti checked in on both
        // devices counts once) = 3, session 2 Siti = 1: 4 of 5 × 2 = 10. Budi walked in.
        assert_eq!(t1.all, series(5, 3, (4, 10), 1));
        // Women Siti, Rina, Dewi: 2 + 1 = 3 of 3 × 2; men Made: 1 of 2; not recorded: Joko
        // enrolled (0 of 2), Budi a walk-in.
        assert_eq!(t1.by_gender.women, series(3, 2, (3, 6), 0));
        assert_eq!(t1.by_gender.men, series(1, 1, (1, 2), 0));
        assert_eq!(t1.by_gender.not_recorded, series(1, 0, (0, 2), 1));
        // Dusun I: Siti, Made (2 + 1 of 4); Dusun II: Dewi, Joko (0 of 4) and Budi, whose
        // "dusun ii" is Dusun II; Dusun III: Rina (1 of 2).
        assert_eq!(
            t1.by_dusun,
            dusun_series(&[
                ("Dusun I", series(2, 2, (3, 4), 0)),
                ("Dusun II", series(2, 0, (0, 4), 1)),
                ("Dusun III", series(1, 1, (1, 2), 0)),
            ])
        );

        let s1 = &t1.sessions[0];
        assert_eq!(
            (s1.number, s1.date, s1.upcoming),
            (1, date(2026, 12, 1), false)
        );
        assert_eq!(s1.all, session(3, 5, 1));
        assert_eq!(s1.all.present.value(), Some(0.6));
        assert_eq!(s1.by_gender.women, session(2, 3, 0));
        assert_eq!(s1.by_gender.men, session(1, 1, 0));
        assert_eq!(s1.by_gender.not_recorded, session(0, 1, 1));
        let s1_dusun: Vec<(Option<&str>, SessionTally)> = s1
            .by_dusun
            .iter()
            .map(|d| (d.dusun.as_deref(), d.tally))
            .collect();
        assert_eq!(
            s1_dusun,
            [
                (Some("Dusun I"), session(2, 2, 0)),
                (Some("Dusun II"), session(0, 2, 1)),
                (Some("Dusun III"), session(1, 1, 0)),
            ]
        );
        assert_eq!(t1.sessions[1].all, session(1, 5, 0));
        let s3 = &t1.sessions[2];
        assert!(s3.upcoming);
        assert_eq!(s3.all, session(0, 5, 0));

        // Dewi and Joko, both of Dusun II, came to neither held session.
        assert_eq!(
            keys(&t1.missed_every_session),
            ["dewi@dusun-ii", "joko@dusun-ii"]
        );
        assert_eq!(
            t1.missed_every_session[1],
            Absentee {
                key: "joko@dusun-ii".into(),
                name: "Joko".into(),
                gender: GenderGroup::NotRecorded,
                dusun: Some("Dusun II".into()),
            }
        );

        let t2 = &r.trainings[1];
        // Lestari 2 + Andi 1 = 3 of 2 × 2. Dusun Tengah (known from the caller only) has a row
        // with nobody enrolled: 0 of 0.
        assert_eq!(t2.all, series(2, 2, (3, 4), 0));
        assert_eq!(
            t2.by_dusun,
            dusun_series(&[
                ("Dusun Atas", series(1, 1, (2, 2), 0)),
                ("Dusun Bawah", series(1, 1, (1, 2), 0)),
                ("Dusun Tengah", series(0, 0, (0, 0), 0)),
            ])
        );
        assert!(t2.missed_every_session.is_empty());
        assert!(r.excluded.is_empty());
    }

    #[test]
    fn the_period_selects_sessions_and_missed_means_every_session_in_it() {
        // Only session 2 of T1 is in the period; T2's October sessions are not.
        let only_8th =
            Filter::new(None, Some(date(2026, 12, 8)), Some(date(2026, 12, 8))).expect("filter");
        let r = report(&only_8th, TODAY);
        assert_eq!(r.trainings.len(), 1);
        let t1 = &r.trainings[0];
        assert_eq!(t1.sessions.len(), 1);
        assert_eq!(t1.sessions[0].number, 2);
        // Siti alone: 1 of 5 × 1; Budi was not there.
        assert_eq!(t1.all, series(5, 1, (1, 5), 0));
        // Everyone enrolled but Siti, by dusun: I (Made), II (Dewi, Joko), III (Rina).
        assert_eq!(
            keys(&t1.missed_every_session),
            [
                "made@dusun-i",
                "dewi@dusun-ii",
                "joko@dusun-ii",
                "rina@dusun-iii"
            ]
        );

        // Up to 12-01: T2 (October) and T1's session 1 only.
        let to_1st = Filter::new(None, None, Some(date(2026, 12, 1))).expect("filter");
        let r = report(&to_1st, TODAY);
        assert_eq!(r.trainings.len(), 2);
        let t1 = &r.trainings[0];
        assert_eq!((t1.sessions_held, t1.sessions_upcoming), (1, 0));
        assert_eq!(t1.all, series(5, 3, (3, 5), 1));
    }

    #[test]
    fn sessions_after_today_are_not_missed() {
        // On 11-30 no session of T1 has happened: nobody missed anything yet.
        let r = report(&Filter::everything(), date(2026, 11, 30));
        let t1 = &r.trainings[0];
        assert_eq!((t1.sessions_held, t1.sessions_upcoming), (0, 3));
        assert_eq!(t1.all, series(5, 0, (0, 0), 0));
        assert!(t1.missed_every_session.is_empty());
        assert!(t1.sessions.iter().all(|s| s.upcoming));
        // The check-ins already recorded for session 1 are still shown on the session.
        assert_eq!(t1.sessions[0].all, session(3, 5, 1));

        // On 12-05 session 1 is held and 2 and 3 are not.
        let t1 = &report(&Filter::everything(), date(2026, 12, 5)).trainings[0];
        assert_eq!((t1.sessions_held, t1.sessions_upcoming), (1, 2));
        assert_eq!(
            keys(&t1.missed_every_session),
            ["dewi@dusun-ii", "joko@dusun-ii"]
        );
    }

    #[test]
    fn the_village_prefix_selects_trainings() {
        let b = Filter::new(Some("18.01.06".parse().expect("valid")), None, None).expect("filter");
        let ids: Vec<String> = report(&b, TODAY)
            .trainings
            .into_iter()
            .map(|t| t.id)
            .collect();
        assert_eq!(ids, [T2]);
    }

    #[test]
    fn csv_rows_and_json_keys() {
        let r = report(&Filter::everything(), TODAY);
        let tables = r.tables();
        let names: Vec<&str> = tables.iter().map(|t| t.name).collect();
        assert_eq!(names, ["trainings", "sessions", "missed"]);
        // T1: all, 3 genders, 3 dusun = 7 rows; T2: all, 3 genders, 3 dusun = 7.
        assert_eq!(tables[0].rows.len(), 14);
        assert_eq!(
            tables[0].rows[0],
            [
                fixture::A,
                T1,
                "Budidaya cabai",
                "2",
                "1",
                "all",
                "",
                "5",
                "3",
                "4",
                "10",
                "0.4000",
                "1"
            ]
        );
        // T1: 3 sessions × 7 rows; T2: 2 × 7.
        assert_eq!(tables[1].rows.len(), 35);
        assert_eq!(
            tables[1].rows[3],
            [
                fixture::A,
                T1,
                "Budidaya cabai",
                "1",
                "2026-12-01",
                "false",
                "gender",
                "not_recorded",
                "1",
                "0",
                "0.0000",
                "1"
            ]
        );
        assert_eq!(tables[2].rows.len(), 2);
        assert_eq!(
            tables[2].rows[0][3..],
            ["dewi@dusun-ii", "Dewi", "women", "Dusun II"]
        );

        let json = serde_json::to_value(&r).expect("json");
        let s1 = &json["trainings"][0]["sessions"][0];
        assert_eq!(s1["by_gender"]["not_recorded"]["walk_ins"], 1);
        assert_eq!(s1["all"]["present"]["numerator"], 3);
        assert_eq!(s1["by_dusun"][1]["dusun"], "Dusun II");
        assert_eq!(s1["by_dusun"][1]["walk_ins"], 1);
        assert_eq!(
            json["trainings"][0]["missed_every_session"][0]["gender"],
            "women"
        );
        assert_eq!(json["today"], "2026-12-10");
        assert_eq!(json["filter"]["village"], serde_json::Value::Null);
    }
}
