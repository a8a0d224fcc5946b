//! Documents flattened into relational tables (one row per training, session, person, item…),
//! joined by document id: what `balai export` writes as CSV or spreadsheet sheets.
//!
//! The rows come from the views ([`minutes::view`], [`training::view`]), so they show the
//! documents as merged, with the same winners for conflicted fields as `balai show`.

use serde::Serialize;

use crate::ids::DocId;
use crate::model::minutes::MinutesView;
use crate::model::training::TrainingView;

/// One value in a row. Typed, so a spreadsheet gets numbers and dates rather than text.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum Cell {
    Text(String),
    Int(i64),
    /// A calendar date as the documents hold it (`YYYY-MM-DD`, checked when it was entered).
    Date(String),
    Bool(bool),
    Empty,
}

impl Cell {
    fn opt(v: Option<&str>) -> Self {
        v.map_or(Cell::Empty, |s| Cell::Text(s.to_owned()))
    }

    fn count(n: usize) -> Self {
        Cell::Int(i64::try_from(n).unwrap_or(i64::MAX))
    }

    /// The value as CSV writes it: empty for [`Cell::Empty`].
    pub fn to_text(&self) -> String {
        match self {
            Cell::Text(s) | Cell::Date(s) => s.clone(),
            Cell::Int(n) => n.to_string(),
            Cell::Bool(b) => b.to_string(),
            Cell::Empty => String::new(),
        }
    }
}

/// One table: a name (the CSV file or sheet), its columns, and rows of as many cells.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    pub name: &'static str,
    pub columns: &'static [&'static str],
    pub rows: Vec<Vec<Cell>>,
}

impl Table {
    fn new(name: &'static str, columns: &'static [&'static str]) -> Self {
        Self {
            name,
            columns,
            rows: Vec::new(),
        }
    }

    fn push(&mut self, row: Vec<Cell>) {
        debug_assert_eq!(row.len(), self.columns.len(), "table {}", self.name);
        self.rows.push(row);
    }
}

/// Every table of an export, filled document by document.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Tables {
    pub trainings: Table,
    pub sessions: Table,
    pub participants: Table,
    pub check_ins: Table,
    pub minutes: Table,
    pub attendees: Table,
    pub agenda_items: Table,
    pub proposals: Table,
    pub decisions: Table,
    pub follow_ups: Table,
}

impl Default for Tables {
    fn default() -> Self {
        Self::new()
    }
}

/// The region columns every document row starts with after its id: the village code and the
/// district, regency and province it lies in, so a spreadsheet can group without parsing codes.
const REGION: [&str; 4] = ["village", "district", "regency", "province"];

fn region_cells(id: &DocId) -> [Cell; 4] {
    let village = id.village();
    [4, 3, 2, 1].map(|levels| Cell::Text(village.level(levels).to_owned()))
}

impl Tables {
    pub fn new() -> Self {
        Self {
            trainings: Table::new(
                "trainings",
                &[
                    "doc_id",
                    REGION[0],
                    REGION[1],
                    REGION[2],
                    REGION[3],
                    "topic",
                    "category",
                    "trainer",
                    "participants",
                    "sessions",
                    "archived",
                ],
            ),
            sessions: Table::new("sessions", &["doc_id", "session", "date", "present"]),
            participants: Table::new(
                "participants",
                &["doc_id", "person_key", "name", "gender", "dusun"],
            ),
            check_ins: Table::new(
                "check_ins",
                &["doc_id", "session", "person_key", "name", "checked_in_by"],
            ),
            minutes: Table::new(
                "minutes",
                &[
                    "doc_id",
                    REGION[0],
                    REGION[1],
                    REGION[2],
                    REGION[3],
                    "title",
                    "date",
                    "place",
                    "facilitator",
                    "status",
                    "attendees",
                    "notes",
                    "archived",
                ],
            ),
            attendees: Table::new(
                "attendees",
                &["doc_id", "person_key", "name", "gender", "dusun", "role"],
            ),
            agenda_items: Table::new("agenda_items", &["doc_id", "position", "text"]),
            proposals: Table::new(
                "proposals",
                &[
                    "doc_id",
                    "proposal_key",
                    "text",
                    "raised_by",
                    "priority",
                    "support",
                ],
            ),
            decisions: Table::new("decisions", &["doc_id", "position", "text"]),
            follow_ups: Table::new(
                "follow_ups",
                &["doc_id", "follow_up_key", "what", "who", "due", "status"],
            ),
        }
    }

    /// Every table, trainings first, in the order an export writes them.
    pub fn all(&self) -> [&Table; 10] {
        [
            &self.trainings,
            &self.sessions,
            &self.participants,
            &self.check_ins,
            &self.minutes,
            &self.attendees,
            &self.agenda_items,
            &self.proposals,
            &self.decisions,
            &self.follow_ups,
        ]
    }

    /// Add a training's rows.
    pub fn add_training(&mut self, id: &DocId, v: &TrainingView) {
        let doc = || Cell::Text(id.to_string());
        let mut row = vec![doc()];
        row.extend(region_cells(id));
        row.extend([
            Cell::Text(v.topic.clone()),
            Cell::opt(v.category.as_deref()),
            Cell::opt(v.trainer.as_deref()),
            Cell::count(v.participants.len()),
            Cell::count(v.sessions.len()),
            Cell::Bool(v.archived),
        ]);
        self.trainings.push(row);
        for p in &v.participants {
            self.participants.push(vec![
                doc(),
                Cell::Text(p.key.clone()),
                Cell::Text(p.name.clone()),
                Cell::opt(p.gender.as_deref()),
                Cell::opt(p.dusun.as_deref()),
            ]);
        }
        for s in &v.sessions {
            self.sessions.push(vec![
                doc(),
                Cell::Int(i64::from(s.number)),
                Cell::Date(s.date.clone()),
                Cell::count(s.attended.len()),
            ]);
            for c in &s.attended {
                self.check_ins.push(vec![
                    doc(),
                    Cell::Int(i64::from(s.number)),
                    Cell::Text(c.key.clone()),
                    Cell::Text(c.name.clone()),
                    Cell::Text(c.checked_in_by.clone()),
                ]);
            }
        }
    }

    /// Add forum minutes' rows.
    pub fn add_minutes(&mut self, id: &DocId, v: &MinutesView) {
        let doc = || Cell::Text(id.to_string());
        let mut row = vec![doc()];
        row.extend(region_cells(id));
        row.extend([
            Cell::Text(v.title.clone()),
            Cell::Date(v.date.clone()),
            Cell::opt(v.place.as_deref()),
            Cell::opt(v.facilitator.as_deref()),
            Cell::Text(v.status.clone()),
            Cell::count(v.attendees.len()),
            Cell::Text(v.notes.clone()),
            Cell::Bool(v.archived),
        ]);
        self.minutes.push(row);
        for a in &v.attendees {
            self.attendees.push(vec![
                doc(),
                Cell::Text(a.key.clone()),
                Cell::Text(a.name.clone()),
                Cell::opt(a.gender.as_deref()),
                Cell::opt(a.dusun.as_deref()),
                Cell::opt(a.role.as_deref()),
            ]);
        }
        for (i, text) in v.agenda.iter().enumerate() {
            self.agenda_items
                .push(vec![doc(), Cell::count(i + 1), Cell::Text(text.clone())]);
        }
        for p in &v.proposals {
            self.proposals.push(vec![
                doc(),
                Cell::Text(p.key.clone()),
                Cell::Text(p.text.clone()),
                Cell::opt(p.raised_by.as_deref()),
                Cell::opt(p.priority.as_deref()),
                Cell::Int(p.support),
            ]);
        }
        for (i, text) in v.decisions.iter().enumerate() {
            self.decisions
                .push(vec![doc(), Cell::count(i + 1), Cell::Text(text.clone())]);
        }
        for f in &v.follow_ups {
            self.follow_ups.push(vec![
                doc(),
                Cell::Text(f.key.clone()),
                Cell::Text(f.what.clone()),
                Cell::opt(f.who.as_deref()),
                f.due.clone().map_or(Cell::Empty, Cell::Date),
                Cell::opt(f.status.as_deref()),
            ]);
        }
    }
}

#[cfg(test)]
mod tests {
    use automerge::Automerge;

    use super::*;
    use crate::ids::DocKind;
    use crate::model::{Gender, Person, minutes, training};
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
    fn a_training_flattens_into_one_row_per_session_participant_and_check_in() {
        let id = DocId::generate(DocKind::Training, village());
        let mut doc = Automerge::new();
        let new = training::NewTraining {
            topic: "Pupuk organik".into(),
            category: Some("pertanian".into()),
            trainer: None,
            sessions: vec!["2026-11-02".into(), "2026-11-09".into()],
        };
        training::create(&mut doc, &village(), &new).expect("create");
        training::enroll(&mut doc, &person("Siti", Some(Gender::F), "Dusun I"))
            .expect("enroll Siti");
        training::enroll(&mut doc, &person("Budi", None, "Dusun II")).expect("enroll Budi");
        training::check_in(&mut doc, 1, "Siti", None, "hp-siti").expect("check in");
        let v = training::view(&id, &doc).expect("view");

        let mut t = Tables::new();
        t.add_training(&id, &v);
        assert_eq!(t.trainings.rows.len(), 1);
        assert_eq!(
            t.trainings.rows[0][1..5],
            [
                Cell::Text("18.01.05.2001".into()),
                Cell::Text("18.01.05".into()),
                Cell::Text("18.01".into()),
                Cell::Text("18".into()),
            ]
        );
        // 2 participants, 2 sessions.
        assert_eq!(
            t.trainings.rows[0][8..],
            [Cell::Int(2), Cell::Int(2), Cell::Bool(false)]
        );
        assert_eq!(t.sessions.rows.len(), 2);
        assert_eq!(
            t.sessions.rows[0][1..],
            [Cell::Int(1), Cell::Date("2026-11-02".into()), Cell::Int(1)]
        );
        assert_eq!(t.sessions.rows[1][3], Cell::Int(0));
        assert_eq!(t.participants.rows.len(), 2);
        assert_eq!(t.check_ins.rows.len(), 1);
        assert_eq!(t.check_ins.rows[0][3], Cell::Text("Siti".into()));
        // Budi's gender was not recorded: an empty cell, not a made-up value.
        let budi = t
            .participants
            .rows
            .iter()
            .find(|r| r[2] == Cell::Text("Budi".into()))
            .expect("Budi's row");
        assert_eq!(budi[3], Cell::Empty);
        for table in t.all() {
            for row in &table.rows {
                assert_eq!(row.len(), table.columns.len(), "{}", table.name);
                assert_eq!(row[0], Cell::Text(id.to_string()), "{}", table.name);
            }
        }
    }

    #[test]
    fn minutes_flatten_with_items_in_order() {
        let id = DocId::generate(DocKind::Minutes, village());
        let mut doc = Automerge::new();
        let new = minutes::NewMinutes {
            title: "Musyawarah dusun".into(),
            date: "2026-11-20".into(),
            place: None,
            facilitator: Some("Rina".into()),
        };
        minutes::create(&mut doc, &village(), &new).expect("create");
        minutes::attend(
            &mut doc,
            &person("Siti", Some(Gender::F), "Dusun I"),
            Some("PKK"),
        )
        .expect("attend");
        minutes::add_agenda_item(&mut doc, "Jalan desa").expect("agenda 1");
        minutes::add_agenda_item(&mut doc, "Air bersih").expect("agenda 2");
        minutes::add_decision(&mut doc, "Kerja bakti Sabtu").expect("decision");
        let p = minutes::add_proposal(&mut doc, "Sumur bor", Some("Siti"), Some("high"))
            .expect("proposal");
        minutes::support(&mut doc, &p, 3).expect("support");
        minutes::add_follow_up(&mut doc, "Ajukan ke kecamatan", "Rina", Some("2026-12-01"))
            .expect("follow-up");
        let v = minutes::view(&id, &doc).expect("view");

        let mut t = Tables::new();
        t.add_minutes(&id, &v);
        assert_eq!(t.minutes.rows.len(), 1);
        assert_eq!(t.minutes.rows[0][10], Cell::Int(1));
        assert_eq!(t.attendees.rows[0][5], Cell::Text("PKK".into()));
        let agenda: Vec<_> = t
            .agenda_items
            .rows
            .iter()
            .map(|r| r[1..].to_vec())
            .collect();
        assert_eq!(
            agenda,
            [
                vec![Cell::Int(1), Cell::Text("Jalan desa".into())],
                vec![Cell::Int(2), Cell::Text("Air bersih".into())],
            ]
        );
        assert_eq!(t.proposals.rows[0][5], Cell::Int(3));
        assert_eq!(t.decisions.rows.len(), 1);
        assert_eq!(t.follow_ups.rows[0][4], Cell::Date("2026-12-01".into()));
        assert!(t.trainings.rows.is_empty());
    }
}
