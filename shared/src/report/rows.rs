//! One document as the rows of the analytics tables (what the PostgreSQL sink writes): its
//! content as merged, plus the per-row facts the reports' definitions rest on (walk-ins, gender
//! groups, folded dusun and role names, dates as the reports parse them, follow-up states, the
//! change history without signatures), so that SQL over the rows computes the same figures as
//! [`super::attendance`], [`super::forums`], [`super::district`] and [`super::activity`].
//!
//! Removed entries are not rows (the views leave them out, and so do the reports); archived and
//! unreadable documents keep a `documents` row whose `excluded` says why the reports skip them.

use automerge::Automerge;
use jiff::civil::Date;

use crate::ids::{DocId, DocKind};
use crate::model::minutes::{self, MinutesView};
use crate::model::parse_date;
use crate::model::training::{self, TrainingView};

use super::forums::FollowUpState;
use super::names::Folded;
use super::{ExclusionReason, GenderGroup};

/// Every row one document projects to.
#[derive(Clone, Debug, PartialEq)]
pub struct DocRows {
    pub document: DocumentRow,
    pub attendees: Vec<AttendeeRow>,
    pub participants: Vec<ParticipantRow>,
    pub sessions: Vec<SessionRow>,
    pub check_ins: Vec<CheckInRow>,
    pub agenda_items: Vec<ItemRow>,
    pub proposals: Vec<ProposalRow>,
    pub decisions: Vec<ItemRow>,
    pub follow_ups: Vec<FollowUpRow>,
    pub changes: Vec<ChangeRow>,
}

/// The `documents` row.
#[derive(Clone, Debug, PartialEq)]
pub struct DocumentRow {
    pub doc_id: String,
    pub kind: &'static str,
    pub village: String,
    pub district: String,
    pub regency: String,
    pub province: String,
    /// Minutes' title, a training's topic; `None` when the document cannot be read.
    pub title: Option<String>,
    /// A forum's date; a training's earliest readable session date.
    pub date: Option<Date>,
    /// Minutes' status (`draft`, `final`…).
    pub status: Option<String>,
    /// A training's category.
    pub category: Option<String>,
    pub archived: bool,
    /// Why the reports leave the whole document out ([`ExclusionReason`] as snake_case); `None`
    /// when they read it.
    pub excluded: Option<&'static str>,
    /// The latest change's time by its author's clock, seconds since 1970 (`None`: not given).
    pub updated_at: Option<i64>,
    /// The document's heads, as hex.
    pub heads: Vec<String>,
    /// The view (`balai show --json`'s document), `None` when the document cannot be read.
    pub view: Option<serde_json::Value>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AttendeeRow {
    pub person_key: String,
    pub name: String,
    pub gender: Option<String>,
    /// [`GenderGroup`] as snake_case: `women`, `men`, `not_recorded`.
    pub gender_group: &'static str,
    pub dusun: Option<String>,
    /// The dusun folded as the reports compare it; `None` when not recorded (or no letters).
    pub dusun_key: Option<String>,
    pub role: Option<String>,
    pub role_key: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ParticipantRow {
    pub person_key: String,
    pub name: String,
    pub gender: Option<String>,
    pub gender_group: &'static str,
    pub dusun: Option<String>,
    pub dusun_key: Option<String>,
    /// Walked in (enrolled by their own check-in): present, but outside the attendance rate.
    pub walk_in: bool,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionRow {
    pub number: u32,
    pub session_key: String,
    /// `None` when the recorded date is not `YYYY-MM-DD` (the reports then skip the session).
    pub date: Option<Date>,
    pub date_text: String,
    /// People checked in (walk-ins included).
    pub present: u32,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckInRow {
    pub session: u32,
    pub person_key: String,
    pub name: String,
    pub checked_in_by: String,
}

/// An agenda item or a decision, numbered from 1 in recorded order.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ItemRow {
    pub position: u32,
    pub text: String,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProposalRow {
    pub proposal_key: String,
    pub text: String,
    pub raised_by: Option<String>,
    pub priority: Option<String>,
    pub support: i64,
}

#[derive(Clone, Debug, PartialEq, Eq)]
pub struct FollowUpRow {
    pub follow_up_key: String,
    pub what: String,
    pub who: Option<String>,
    /// `None` when not set or not a date (such a follow-up is never overdue).
    pub due: Option<Date>,
    pub due_text: Option<String>,
    pub status: Option<String>,
    /// [`FollowUpState`] as snake_case: `open`, `in_progress`, `done`, `dropped`, `unrecognised`.
    pub state: &'static str,
}

/// One automerge change (signatures left out, as the activity report leaves them out).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ChangeRow {
    pub hash: String,
    /// The device's automerge actor, as hex.
    pub actor: String,
    /// Seconds since 1970 by the device's clock; `None` when not given.
    pub time: Option<i64>,
    /// The change has no dependencies: it created the document (a *record*, not an *edit*).
    pub record: bool,
}

/// The rows of a document that cannot be read at all (automerge failed on it): its `documents`
/// row only, `excluded` = `damaged`, so that it is listed rather than missing.
pub fn unreadable(id: &DocId) -> DocRows {
    let mut rows = project(id, &Automerge::new());
    rows.document.excluded = Some(reason_key(ExclusionReason::Damaged));
    rows
}

/// The rows of `doc` (the merged replica of `id`).
pub fn project(id: &DocId, doc: &Automerge) -> DocRows {
    let changes = doc.get_changes_meta(&[]);
    // Each document is read once, and left out of the reports for the same reasons, in the same
    // order, as `Corpus::add` leaves it out (the views test compares the two on one feed).
    let (minutes_view, training_view, walk_ins) = match id.kind() {
        DocKind::Minutes => (Some(minutes::view(id, doc)), None, Ok(Default::default())),
        // Walk-ins are read for an archived training too: its rows still say who walked in.
        DocKind::Training => (
            None,
            Some(training::view(id, doc)),
            super::corpus::walk_ins(doc, &changes),
        ),
    };
    let reason = match (&minutes_view, &training_view) {
        (Some(Err(e)), _) | (_, Some(Err(e))) => Some(ExclusionReason::from(e)),
        (Some(Ok(v)), _) if v.archived => Some(ExclusionReason::Archived),
        // A forum with no readable date is left out whole, its attendees' dusun included.
        (Some(Ok(v)), _) if parse_date("date", &v.date).is_err() => Some(ExclusionReason::BadDate),
        (_, Some(Ok(v))) if v.archived => Some(ExclusionReason::Archived),
        (_, Some(Ok(_))) if walk_ins.is_err() => Some(ExclusionReason::Damaged),
        _ => None,
    };
    let excluded = reason.map(reason_key);
    let walk_ins = walk_ins.unwrap_or_default();
    let village = id.village();
    let level = |levels: usize| village.level(levels).to_owned();
    let mut rows = DocRows {
        document: DocumentRow {
            doc_id: id.to_string(),
            kind: id.kind().as_str(),
            village: level(4),
            district: level(3),
            regency: level(2),
            province: level(1),
            title: None,
            date: None,
            status: None,
            category: None,
            archived: false,
            excluded,
            updated_at: changes
                .iter()
                .map(|c| c.timestamp)
                .filter(|t| *t != 0)
                .max(),
            heads: doc.get_heads().iter().map(ToString::to_string).collect(),
            view: None,
        },
        attendees: Vec::new(),
        participants: Vec::new(),
        sessions: Vec::new(),
        check_ins: Vec::new(),
        agenda_items: Vec::new(),
        proposals: Vec::new(),
        decisions: Vec::new(),
        follow_ups: Vec::new(),
        changes: changes
            .iter()
            .filter(|c| !crate::model::authors::is_signature(doc, c))
            .map(|c| ChangeRow {
                hash: c.hash.to_string(),
                actor: c.actor.to_hex_string(),
                time: (c.timestamp != 0).then_some(c.timestamp),
                record: c.deps.is_empty(),
            })
            .collect(),
    };
    if let Some(Ok(v)) = minutes_view {
        add_minutes(&mut rows, v);
    }
    if let Some(Ok(v)) = training_view {
        add_training(&mut rows, v, &walk_ins);
    }
    rows
}

fn reason_key(reason: ExclusionReason) -> &'static str {
    match reason {
        ExclusionReason::NotCreated => "not_created",
        ExclusionReason::NewerSchema => "newer_schema",
        ExclusionReason::KindMismatch => "kind_mismatch",
        ExclusionReason::Damaged => "damaged",
        ExclusionReason::BadDate => "bad_date",
        ExclusionReason::Archived => "archived",
    }
}

fn date(text: &str) -> Option<Date> {
    parse_date("date", text).ok()
}

fn key(name: Option<&str>) -> Option<String> {
    name.and_then(|n| Folded::of(n.trim()))
        .map(Folded::into_string)
}

fn add_minutes(rows: &mut DocRows, v: MinutesView) {
    let doc = &mut rows.document;
    doc.view = serde_json::to_value(&v).ok();
    doc.title = Some(v.title);
    doc.date = date(&v.date);
    doc.status = Some(v.status);
    doc.archived = v.archived;
    rows.attendees = v
        .attendees
        .into_iter()
        .map(|a| AttendeeRow {
            gender_group: GenderGroup::of(a.gender.as_deref()).as_str(),
            dusun_key: key(a.dusun.as_deref()),
            role_key: key(a.role.as_deref()),
            person_key: a.key,
            name: a.name,
            gender: a.gender,
            dusun: a.dusun,
            role: a.role,
        })
        .collect();
    rows.agenda_items = items(v.agenda);
    rows.decisions = items(v.decisions);
    rows.proposals = v
        .proposals
        .into_iter()
        .map(|p| ProposalRow {
            proposal_key: p.key,
            text: p.text,
            raised_by: p.raised_by,
            priority: p.priority,
            support: p.support,
        })
        .collect();
    rows.follow_ups = v
        .follow_ups
        .into_iter()
        .map(|f| FollowUpRow {
            state: FollowUpState::of(f.status.as_deref()).as_str(),
            due: f.due.as_deref().and_then(date),
            follow_up_key: f.key,
            what: f.what,
            who: f.who,
            due_text: f.due,
            status: f.status,
        })
        .collect();
}

fn items(texts: Vec<String>) -> Vec<ItemRow> {
    (1u32..)
        .zip(texts)
        .map(|(position, text)| ItemRow { position, text })
        .collect()
}

fn add_training(
    rows: &mut DocRows,
    v: TrainingView,
    walk_ins: &std::collections::BTreeSet<String>,
) {
    let doc = &mut rows.document;
    doc.view = serde_json::to_value(&v).ok();
    doc.title = Some(v.topic);
    doc.date = v.sessions.iter().filter_map(|s| date(&s.date)).min();
    doc.category = v.category;
    doc.archived = v.archived;
    rows.participants = v
        .participants
        .into_iter()
        .map(|p| ParticipantRow {
            gender_group: GenderGroup::of(p.gender.as_deref()).as_str(),
            dusun_key: key(p.dusun.as_deref()),
            walk_in: walk_ins.contains(&p.key),
            person_key: p.key,
            name: p.name,
            gender: p.gender,
            dusun: p.dusun,
        })
        .collect();
    for s in v.sessions {
        rows.sessions.push(SessionRow {
            number: s.number,
            session_key: s.key,
            date: date(&s.date),
            present: u32::try_from(s.attended.len()).unwrap_or(u32::MAX),
            date_text: s.date,
        });
        rows.check_ins
            .extend(s.attended.into_iter().map(|c| CheckInRow {
                session: s.number,
                person_key: c.key,
                name: c.name,
                checked_in_by: c.checked_in_by,
            }));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Gender, Person};
    use crate::region::VillageCode;

    fn village() -> VillageCode {
        "18.01.05.2001".parse().expect("a valid village code")
    }

    fn person(name: &str, gender: Option<Gender>, dusun: &str) -> Person {
        Person {
            name: name.to_owned(),
            gender,
            dusun: Some(dusun.to_owned()),
        }
    }

    #[test]
    fn a_training_projects_walk_ins_gender_groups_and_folded_dusun() {
        let id = DocId::generate(DocKind::Training, village());
        let mut doc = Automerge::new();
        let new = training::NewTraining {
            topic: "Pupuk organik".into(),
            category: Some("pertanian".into()),
            trainer: None,
            sessions: vec!["2026-11-09".into(), "2026-11-02".into()],
        };
        training::create(&mut doc, &village(), &new).expect("create");
        training::enroll(&mut doc, &person("Siti", Some(Gender::F), "Dusun  I"))
            .expect("enroll Siti");
        training::check_in(&mut doc, 1, "Siti", None, "hp-siti").expect("check in Siti");
        // Budi is not on the list: checking him in enrolls him as a walk-in.
        let budi =
            training::check_in(&mut doc, 2, "Budi", Some("dusun ii"), "hp-siti").expect("walk-in");
        assert!(budi.walk_in);

        let rows = project(&id, &doc);
        let d = &rows.document;
        assert_eq!(
            (
                d.kind,
                d.district.as_str(),
                d.regency.as_str(),
                d.province.as_str()
            ),
            ("training", "18.01.05", "18.01", "18")
        );
        assert_eq!(d.title.as_deref(), Some("Pupuk organik"));
        assert_eq!(d.category.as_deref(), Some("pertanian"));
        // The earliest session, whatever order they were entered in.
        assert_eq!(d.date, Some(jiff::civil::date(2026, 11, 2)));
        assert_eq!(d.excluded, None);
        assert_eq!(d.heads.len(), 1);
        assert!(d.view.is_some());
        let siti = rows.participants.iter().find(|p| p.name == "Siti");
        let budi = rows.participants.iter().find(|p| p.name == "Budi");
        let (siti, budi) = (siti.expect("Siti"), budi.expect("Budi"));
        assert_eq!((siti.gender_group, siti.walk_in), ("women", false));
        assert_eq!((budi.gender_group, budi.walk_in), ("not_recorded", true));
        assert_eq!(siti.dusun_key.as_deref(), Some("dusun-i"));
        assert_eq!(budi.dusun_key.as_deref(), Some("dusun-ii"));
        assert_eq!(rows.sessions.len(), 2);
        assert_eq!(rows.check_ins.len(), 2);
        // Create, enroll, two check-ins; the first has no dependencies.
        assert_eq!(rows.changes.iter().filter(|c| c.record).count(), 1);
        assert_eq!(rows.changes.len(), 4);
    }

    #[test]
    fn removed_entries_are_not_rows_and_archived_documents_say_so() {
        let id = DocId::generate(DocKind::Minutes, village());
        let mut doc = Automerge::new();
        let new = minutes::NewMinutes {
            title: "Musyawarah dusun".into(),
            date: "2026-11-20".into(),
            place: None,
            facilitator: None,
        };
        minutes::create(&mut doc, &village(), &new).expect("create");
        minutes::attend(&mut doc, &person("Siti", Some(Gender::F), "Dusun I"), None).expect("Siti");
        minutes::attend(&mut doc, &person("Budi", Some(Gender::M), "Dusun I"), None).expect("Budi");
        minutes::add_follow_up(&mut doc, "Ajukan", "Rina", Some("2026-13-01")).ok();
        minutes::add_follow_up(&mut doc, "Kerja bakti", "Rina", Some("2026-12-01"))
            .expect("follow-up");
        minutes::remove_attendee(&mut doc, "Budi", Some("Dusun I")).expect("remove");

        let rows = project(&id, &doc);
        assert_eq!(rows.attendees.len(), 1);
        assert_eq!(rows.attendees[0].name, "Siti");
        assert_eq!(rows.follow_ups.len(), 1);
        assert_eq!(rows.follow_ups[0].state, "open");
        assert_eq!(rows.follow_ups[0].due, Some(jiff::civil::date(2026, 12, 1)));

        // A forum whose date is not a date (only a foreign writer can make one) is left out of
        // the reports whole.
        let mut bad = doc.fork();
        {
            use automerge::transaction::Transactable;
            let mut tx = bad.transaction();
            tx.put(automerge::ROOT, "date", "2026-13-40")
                .expect("a raw put");
            tx.commit();
        }
        let bad_rows = project(&id, &bad);
        assert_eq!(bad_rows.document.excluded, Some("bad_date"));
        assert_eq!(bad_rows.document.date, None);

        crate::model::archive(&mut doc).expect("archive");
        let rows = project(&id, &doc);
        assert!(rows.document.archived);
        assert_eq!(rows.document.excluded, Some("archived"));
        // Still readable: the content is there for SQL, the reports skip it.
        assert_eq!(rows.attendees.len(), 1);
    }

    #[test]
    fn an_empty_replica_is_a_row_that_says_not_created() {
        let id = DocId::generate(DocKind::Minutes, village());
        let rows = project(&id, &Automerge::new());
        assert_eq!(rows.document.excluded, Some("not_created"));
        assert_eq!(rows.document.title, None);
        assert!(rows.attendees.is_empty() && rows.changes.is_empty());
        let rows = unreadable(&id);
        assert_eq!(rows.document.excluded, Some("damaged"));
        assert_eq!(rows.document.village, "18.01.05.2001");
    }
}
