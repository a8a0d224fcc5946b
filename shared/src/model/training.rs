//! Skills trainings (*pelatihan*): participants and per-session attendance from many devices.

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ChangeHash, ObjId, ObjType, ROOT, ReadDoc};
use serde::Serialize;

use super::fields::{Conflicts, differs, map_keys, obj_at, str_at};
use super::minutes::{Recorded, record_duplicate_entries};
use super::people::{self, Details, Roll, Target};
use super::removal::{self, Removed, State, Unseen};
use super::{
    LINE_MAX, ModelError, NAME_MAX, Person, PersonCorrection, PersonKey, SCHEMA_CORRECTIONS,
    SCHEMA_VERSION, check_identity, edit, expect_editable, new_item_key, optional, parse_date,
    require_schema, required,
};
use crate::ids::{DocId, DocKind};
use crate::region::VillageCode;

/// What `balai training new` records.
#[derive(Clone, Debug)]
pub struct NewTraining {
    pub topic: String,
    pub category: Option<String>,
    pub trainer: Option<String>,
    /// One date per session, in order (`YYYY-MM-DD`).
    pub sessions: Vec<String>,
}

/// At most this many sessions: a training series, not a school year.
pub const MAX_SESSIONS: usize = 60;

/// Create the training's skeleton, with one attendance map per session made up front (so two
/// devices checking people in never race to create the same map). Sessions are keyed `001`,
/// `002`, … ([`session_key`]).
pub fn create(
    doc: &mut Automerge,
    village: &VillageCode,
    new: &NewTraining,
) -> Result<(), ModelError> {
    let topic = required("topic", &new.topic, LINE_MAX)?;
    let category = optional("category", new.category.as_deref(), NAME_MAX)?;
    let trainer = optional("trainer", new.trainer.as_deref(), NAME_MAX)?;
    if new.sessions.is_empty() {
        return Err(ModelError::Empty { field: "sessions" });
    }
    if new.sessions.len() > MAX_SESSIONS {
        return Err(ModelError::TooLong {
            field: "sessions",
            len: new.sessions.len(),
            max: MAX_SESSIONS,
        });
    }
    let dates = new
        .sessions
        .iter()
        .map(|d| parse_date("session date", d).map(|d| d.to_string()))
        .collect::<Result<Vec<_>, _>>()?;
    edit(doc, "create training", |tx| {
        tx.put(ROOT, "kind", DocKind::Training.as_str())?;
        tx.put(ROOT, "schema", SCHEMA_VERSION)?;
        tx.put(ROOT, "village", village.as_str())?;
        tx.put(ROOT, "topic", topic.as_str())?;
        if let Some(c) = &category {
            tx.put(ROOT, "category", c.as_str())?;
        }
        if let Some(t) = &trainer {
            tx.put(ROOT, "trainer", t.as_str())?;
        }
        tx.put_object(ROOT, "participants", ObjType::Map)?;
        let sessions = tx.put_object(ROOT, "sessions", ObjType::Map)?;
        let attendance = tx.put_object(ROOT, "attendance", ObjType::Map)?;
        for (i, date) in dates.iter().enumerate() {
            let k = session_key(i + 1);
            let s = tx.put_object(&sessions, k.as_str(), ObjType::Map)?;
            tx.put(&s, "date", date.as_str())?;
            tx.put_object(&attendance, k.as_str(), ObjType::Map)?;
        }
        Ok(())
    })
}

/// Map keys sort as text; zero-padding keeps session 10 after session 9.
fn session_key(n: usize) -> String {
    format!("{n:03}")
}

fn container(tx: &Transaction<'_>, key: &str) -> Result<ObjId, ModelError> {
    match tx.get(ROOT, key)? {
        Some((automerge::Value::Object(ObjType::Map), id)) => Ok(id),
        _ => Err(ModelError::NotCreated),
    }
}

/// The participant list, for lookups and messages.
const PARTICIPANTS: Roll = Roll {
    kind: DocKind::Training,
    map: "participants",
    what: "participant",
    place: "this training",
    restore: "enroll or check them in again",
};

/// Enroll a participant; enrolling the same person again (same name and dusun, or the name and
/// dusun they had before a correction) updates their details. A removed participant enrolled
/// again is restored (`Recorded::Added`), with their details and check-ins.
pub fn enroll(doc: &mut Automerge, person: &Person) -> Result<Recorded, ModelError> {
    expect_editable(doc, DocKind::Training)?;
    let name = required("name", &person.name, NAME_MAX)?;
    let dusun = optional("dusun", person.dusun.as_deref(), NAME_MAX)?;
    let participants = PARTICIPANTS.obj(doc)?;
    let target = people::target(doc, &participants, &name, dusun.as_deref())?;
    let details = Details {
        name: Some(&name),
        gender: person.gender,
        dusun: dusun.as_deref(),
    };
    edit(doc, "enroll", |tx| {
        let (key, _, added) = people::record(tx, &participants, &target, &details)?;
        Ok(if added {
            Recorded::Added(key)
        } else {
            Recorded::Updated(key)
        })
    })
}

/// What a check-in did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedIn {
    pub key: PersonKey,
    /// The person was not enrolled (or had been removed) and was enrolled on the spot.
    pub walk_in: bool,
    /// The person was already checked in to this session.
    pub already: bool,
}

/// Check a person in to session `session` (1-based, as the view numbers them). A person who is
/// not enrolled is enrolled as a walk-in, and a removed participant is restored: turning someone
/// away from the attendance list because of a paperwork gap would lose exactly the record the
/// forum needs. Without `dusun`, `name` must mean one participant (their current name, else the
/// name they were enrolled under before a correction).
pub fn check_in(
    doc: &mut Automerge,
    session: u32,
    name: &str,
    dusun: Option<&str>,
    by: &str,
) -> Result<CheckedIn, ModelError> {
    expect_editable(doc, DocKind::Training)?;
    let name = required("name", name, NAME_MAX)?;
    let dusun = optional("dusun", dusun, NAME_MAX)?;
    let slot = session_slot(doc, session)?;
    let participants = PARTICIPANTS.obj(doc)?;
    let target = match dusun.as_deref() {
        Some(d) => people::target(doc, &participants, &name, Some(d))?,
        None => people::target_by_name(doc, &participants, &name)?,
    };
    let (walk_in, details) = match &target {
        Target::Existing { entry, .. } => (entry.removed, Details::default()),
        Target::New(_) => (
            true,
            Details {
                name: Some(&name),
                gender: None,
                dusun: dusun.as_deref(),
            },
        ),
    };
    edit(doc, "check-in", |tx| {
        let (key, _, _) = people::record(tx, &participants, &target, &details)?;
        let list = attendance_of(tx, &slot.key)?;
        let already = tx.get(&list, key.as_str())?.is_some();
        if !already {
            tx.put(&list, key.as_str(), by)?;
        }
        Ok(CheckedIn {
            key,
            walk_in,
            already,
        })
    })
}

/// The attendance map of the session filed under `key`, if there is one.
fn attendance_list(doc: &impl ReadDoc, key: &str) -> Result<Option<ObjId>, ModelError> {
    Ok(obj_at(doc, &ROOT, "attendance", ObjType::Map)?
        .map(|a| obj_at(doc, &a, key, ObjType::Map))
        .transpose()?
        .flatten())
}

/// The attendance map of the session filed under `key`, for an edit.
fn attendance_of(doc: &impl ReadDoc, key: &str) -> Result<ObjId, ModelError> {
    attendance_list(doc, key)?.ok_or(ModelError::NotCreated)
}

/// A session as filed: its key (in `sessions` and `attendance`) and its map.
#[derive(Clone, Debug)]
struct Slot {
    key: String,
    obj: ObjId,
}

/// The number a session key starts with: `001` → 1, `004-q2m4t5w7` → 4, `abc` → none.
fn key_number(key: &str) -> Option<u64> {
    let digits = key.bytes().take_while(u8::is_ascii_digit).count();
    key[..digits].parse().ok()
}

/// The sessions in the order they are numbered (from 1): by the number their key starts with
/// (keys without one last), then by key. Sessions made with the training are keyed `001`, `002`,
/// …; sessions added later `NNN-xxxxxxxx` ([`add_session`]), so two devices adding one at once
/// write different keys and both sessions stay; a numeric key from another client (`"1"`) counts
/// as its number.
fn session_slots(doc: &impl ReadDoc) -> Result<Vec<Slot>, ModelError> {
    let Some(sessions) = obj_at(doc, &ROOT, "sessions", ObjType::Map)? else {
        return Ok(Vec::new());
    };
    let mut out = Vec::new();
    for key in map_keys(doc, &sessions) {
        if let Some(obj) = obj_at(doc, &sessions, &key, ObjType::Map)? {
            out.push(Slot { key, obj });
        }
    }
    out.sort_by(|a, b| {
        let order = |s: &Slot| key_number(&s.key).unwrap_or(u64::MAX);
        order(a).cmp(&order(b)).then_with(|| a.key.cmp(&b.key))
    });
    Ok(out)
}

/// Session `session` (from 1, as the view numbers them).
fn session_slot(doc: &impl ReadDoc, session: u32) -> Result<Slot, ModelError> {
    let slots = session_slots(doc)?;
    let count = u32::try_from(slots.len()).unwrap_or(u32::MAX);
    usize::try_from(session)
        .ok()
        .and_then(|n| n.checked_sub(1))
        .and_then(|i| slots.into_iter().nth(i))
        .ok_or(ModelError::NoSuchSession { session, count })
}

// Corrections. Each is one change; see ARCHITECTURE.md ("Corrections and their concurrent
// semantics") for what each does when it meets a concurrent edit.

/// Remove a participant enrolled by mistake, as one change. `who` is their key, or their name
/// (with `dusun` when two participants share it). The entry is flagged, not deleted, and their
/// check-ins stay in the attendance maps: the view leaves both out of its lists and shows them
/// apart (`TrainingView::removed`, `Session::removed_check_ins`), with anything another device
/// recorded for them meanwhile. Enrolling or checking them in again restores them. Returns their
/// key.
pub fn remove_participant(
    doc: &mut Automerge,
    who: &str,
    dusun: Option<&str>,
) -> Result<PersonKey, ModelError> {
    people::remove(doc, PARTICIPANTS, who, dusun)
}

/// Correct a participant's name, gender or dusun, as one change; returns their key, which does
/// not change (check-ins name participants by key, so they follow the correction).
pub fn correct_participant(
    doc: &mut Automerge,
    who: &str,
    dusun: Option<&str>,
    fix: &PersonCorrection,
) -> Result<PersonKey, ModelError> {
    people::correct(doc, PARTICIPANTS, who, dusun, fix)
}

/// Undo a check-in made by mistake, as one change: deletes the person's entry in the session's
/// attendance. A delete removes only the values this device has seen, so a check-in of the same
/// person made concurrently on another device stays. Returns their key.
pub fn undo_check_in(
    doc: &mut Automerge,
    session: u32,
    who: &str,
    dusun: Option<&str>,
) -> Result<PersonKey, ModelError> {
    expect_editable(doc, DocKind::Training)?;
    let slot = session_slot(doc, session)?;
    let entry = people::find_live(doc, PARTICIPANTS, who, dusun)?;
    let list = attendance_of(doc, &slot.key)?;
    if doc.get(&list, entry.key.as_str())?.is_none() {
        return Err(ModelError::NotCheckedIn {
            key: entry.key.as_str().to_owned(),
            session,
        });
    }
    edit(doc, "undo check-in", |tx| {
        tx.delete(&list, entry.key.as_str())?;
        Ok(())
    })?;
    Ok(entry.key)
}

/// What adding a session did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SessionAdded {
    /// Its number on this replica now. Sessions are numbered by key, so a session added
    /// concurrently on another device may take this number when the two meet (the key decides
    /// which comes first, the same on every device).
    pub number: u32,
    /// The key it is filed under, which does not change.
    pub key: String,
}

/// Add a session to a training, as one change: its entry in `sessions` and its attendance map,
/// under a key no other device can pick at the same time (`NNN-xxxxxxxx`: one more than the
/// highest session number, then a random tail), so sessions added concurrently on two devices are
/// both kept.
pub fn add_session(doc: &mut Automerge, date: &str) -> Result<SessionAdded, ModelError> {
    expect_editable(doc, DocKind::Training)?;
    let date = parse_date("session date", date)?.to_string();
    let slots = session_slots(doc)?;
    if slots.len() >= MAX_SESSIONS {
        return Err(ModelError::TooManySessions { max: MAX_SESSIONS });
    }
    let next = slots
        .iter()
        .filter_map(|s| key_number(&s.key))
        .max()
        .unwrap_or(0)
        .saturating_add(1);
    let key = format!("{next:03}-{}", new_item_key());
    edit(doc, "add session", |tx| {
        let sessions = container(tx, "sessions")?;
        let attendance = container(tx, "attendance")?;
        let s = tx.put_object(&sessions, key.as_str(), ObjType::Map)?;
        tx.put(&s, "date", date.as_str())?;
        tx.put_object(&attendance, key.as_str(), ObjType::Map)?;
        // A build that predates added sessions skips keys that are not plain numbers.
        require_schema(tx, SCHEMA_CORRECTIONS)
    })?;
    let number = session_slots(doc)?
        .iter()
        .position(|s| s.key == key)
        .map_or(0, |i| i + 1);
    Ok(SessionAdded {
        number: u32::try_from(number).unwrap_or(u32::MAX),
        key,
    })
}

/// Change the date of session `session` (as the view numbers them), as one change. Dates set
/// concurrently on two devices stay conflicted (`conflicts["sessions.<n>.date"]`).
pub fn set_session_date(doc: &mut Automerge, session: u32, date: &str) -> Result<(), ModelError> {
    expect_editable(doc, DocKind::Training)?;
    let date = parse_date("session date", date)?.to_string();
    let slot = session_slot(doc, session)?;
    edit(doc, "session date", |tx| {
        if differs(tx, &slot.obj, "date", &date)? {
            tx.put(&slot.obj, "date", date.as_str())?;
        }
        Ok(())
    })
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Participant {
    pub key: String,
    pub name: String,
    pub gender: Option<String>,
    pub dusun: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CheckIn {
    pub key: String,
    pub name: String,
    /// The device that checked this person in.
    pub checked_in_by: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Session {
    /// From 1, in key order ([`add_session`] says why a number can shift).
    pub number: u32,
    pub date: String,
    /// Check-ins of live participants (and of keys with no participant entry).
    pub attended: Vec<CheckIn>,
    /// The key the session is filed under (`001`; `004-q2m4t5w7` for one added later).
    pub key: String,
    /// Check-ins of removed participants: not counted in `attended`, back there if the
    /// participant is enrolled again. Only in the JSON when not empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub removed_check_ins: Vec<CheckIn>,
}

/// What corrections removed from the training: kept in the document, listed apart.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RemovedFromTraining {
    /// Removed participants; what another device recorded for them without having seen the
    /// removal (a detail, a check-in) is in their `concurrent_edits`.
    pub participants: Vec<Removed<Participant>>,
}

impl RemovedFromTraining {
    pub fn is_empty(&self) -> bool {
        self.participants.is_empty()
    }
}

/// The whole training, as plain values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrainingView {
    /// The village of the document's id (never the content's `village` field).
    pub village: String,
    pub topic: String,
    pub category: Option<String>,
    pub trainer: Option<String>,
    /// Archived ([`super::archive`]): read as before, edits refused until unarchived.
    pub archived: bool,
    /// Live participants only (removed ones are in `removed`).
    pub participants: Vec<Participant>,
    pub sessions: Vec<Session>,
    /// What corrections removed; only in the JSON when not empty.
    #[serde(skip_serializing_if = "RemovedFromTraining::is_empty")]
    pub removed: RemovedFromTraining,
    /// Fields two devices set to different values: path → the values that lost; also what was
    /// recorded for a removed participant without seeing the removal
    /// (`removed.participants.<key>`), and removals that lost to a concurrent restore
    /// (`participants.<key>.removed`).
    pub conflicts: Conflicts,
    /// Content values of `kind` and `village` that disagree with the document id: field → the
    /// content's values. They are ignored (the id decides); only in the JSON when not empty.
    #[serde(skip_serializing_if = "Conflicts::is_empty")]
    pub id_mismatch: Conflicts,
}

/// Read the training `id` names into a [`TrainingView`]. Kind and village come from `id`: the
/// village shown is `id.village()` whatever the content says (content that disagrees is listed
/// in `id_mismatch`), and content whose `kind` is not `training` is refused with
/// [`ModelError::KindMismatch`]. An id of another kind is [`ModelError::WrongKind`].
pub fn view(id: &DocId, doc: &Automerge) -> Result<TrainingView, ModelError> {
    let id_mismatch = check_identity(id, doc, DocKind::Training)?;
    read_content(doc, id.village().to_string(), id_mismatch)
}

/// Test-only: read a training trusting the content's own `kind` and `village`, as the views did
/// before they took the id. Left for the engine's simulation tests, which compare replicas;
/// everything else uses [`view`].
#[cfg(test)]
pub(crate) fn read(doc: &Automerge) -> Result<TrainingView, ModelError> {
    super::expect_kind(doc, DocKind::Training)?;
    let village = str_at(doc, &ROOT, "village")?.unwrap_or_default();
    read_content(doc, village, Conflicts::default())
}

/// A removed participant while the view is built: what their removals saw, to find the check-ins
/// recorded without seeing it.
struct RemovedParticipant {
    removed: Removed<Participant>,
    seen: Vec<ChangeHash>,
}

/// Everything but the identity, which the caller has settled.
fn read_content(
    doc: &Automerge,
    village: String,
    id_mismatch: Conflicts,
) -> Result<TrainingView, ModelError> {
    let mut c = Conflicts::default();
    let topic = c
        .scalar(doc, &ROOT, "topic", || "topic".into())?
        .unwrap_or_default();
    let category = c.scalar(doc, &ROOT, "category", || "category".into())?;
    let trainer = c.scalar(doc, &ROOT, "trainer", || "trainer".into())?;
    // Read through `scalar` for its conflict (archived on one device, unarchived on another).
    c.scalar(doc, &ROOT, "archived", || "archived".into())?;
    let archived = super::is_archived(doc)?;

    let mut participants = Vec::new();
    let mut removed = Vec::new();
    if let Some(obj) = obj_at(doc, &ROOT, "participants", ObjType::Map)? {
        for key in map_keys(doc, &obj) {
            record_duplicate_entries(doc, &obj, &key, "participants", &mut c)?;
            let Some(p) = obj_at(doc, &obj, &key, ObjType::Map)? else {
                continue;
            };
            let path = |f: &str| format!("participants.{key}.{f}");
            let participant = Participant {
                name: c
                    .scalar(doc, &p, "name", || path("name"))?
                    .unwrap_or_default(),
                gender: c.scalar(doc, &p, "gender", || path("gender"))?,
                dusun: c.scalar(doc, &p, "dusun", || path("dusun"))?,
                key: key.clone(),
            };
            match removal::state(doc, &p)? {
                State::Live { lost } => {
                    removal::report_lost(&mut c, &format!("participants.{key}"), lost);
                    participants.push(participant);
                }
                State::Removed { seen } => removed.push(RemovedParticipant {
                    removed: Removed {
                        concurrent_edits: removal::concurrent_edits(doc, &p, &seen)?,
                        entry: participant,
                    },
                    seen,
                }),
            }
        }
    }
    let name_of = |key: &str| {
        participants
            .iter()
            .chain(removed.iter().map(|r| &r.removed.entry))
            .find(|p| p.key == key)
            .map_or_else(|| key.to_owned(), |p| p.name.clone())
    };
    let is_removed = |key: &str| removed.iter().any(|r| r.removed.entry.key == key);

    let mut sessions = Vec::new();
    let mut lists = Vec::new();
    for (i, slot) in session_slots(doc)?.into_iter().enumerate() {
        let number = u32::try_from(i + 1).unwrap_or(u32::MAX);
        let date = c
            .scalar(doc, &slot.obj, "date", || format!("sessions.{number}.date"))?
            .unwrap_or_default();
        let mut attended = Vec::new();
        let mut removed_check_ins = Vec::new();
        let list = attendance_list(doc, &slot.key)?;
        if let Some(list) = &list {
            for person in map_keys(doc, list) {
                let check_in = CheckIn {
                    name: name_of(&person),
                    checked_in_by: str_at(doc, list, &person)?.unwrap_or_default(),
                    key: person,
                };
                if is_removed(&check_in.key) {
                    removed_check_ins.push(check_in);
                } else {
                    attended.push(check_in);
                }
            }
        }
        lists.extend(list.map(|l| (number, l)));
        sessions.push(Session {
            number,
            date,
            attended,
            key: slot.key,
            removed_check_ins,
        });
    }

    // Check-ins recorded for a removed participant on a device that had not seen the removal.
    for r in &mut removed {
        let key = r.removed.entry.key.as_str();
        for (number, list) in &lists {
            for unseen in removal::unseen_at(doc, list, key, &r.seen)? {
                if let Unseen::Value(by) = unseen {
                    r.removed
                        .concurrent_edits
                        .push(format!("check-in session {number} by {by}"));
                }
            }
        }
        removal::report_concurrent(
            &mut c,
            &format!("participants.{key}"),
            &r.removed.concurrent_edits,
        );
    }
    Ok(TrainingView {
        village,
        topic,
        category,
        trainer,
        archived,
        participants,
        sessions,
        removed: RemovedFromTraining {
            participants: removed.into_iter().map(|r| r.removed).collect(),
        },
        conflicts: c,
        id_mismatch,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::Gender;
    use automerge::ActorId;

    /// The id the test trainings are filed under: village 18.01.05.2001.
    fn id() -> DocId {
        "training/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B2D"
            .parse()
            .expect("valid id")
    }

    fn new_training(sessions: &[&str]) -> Result<Automerge, ModelError> {
        let mut doc = Automerge::new().with_actor(ActorId::from(b"device-a".as_slice()));
        create(
            &mut doc,
            &"18.01.05.2001".parse().expect("valid"),
            &NewTraining {
                topic: "Budidaya cabai".into(),
                category: Some("pertanian".into()),
                trainer: Some("Ibu Wayan".into()),
                sessions: sessions.iter().map(|s| s.to_string()).collect(),
            },
        )?;
        Ok(doc)
    }

    #[test]
    fn concurrent_check_ins_to_one_session_both_survive() {
        let mut a = new_training(&["2026-12-01", "2026-12-08"]).expect("create");
        enroll(
            &mut a,
            &Person {
                name: "Siti".into(),
                gender: Some(Gender::F),
                dusun: Some("I".into()),
            },
        )
        .expect("enroll");
        let mut b = a.fork().with_actor(ActorId::from(b"device-b".as_slice()));
        let ca = check_in(&mut a, 1, "Siti", None, "hp-ani").expect("check in");
        assert!(!ca.walk_in);
        let cb = check_in(&mut b, 1, "Budi", Some("II"), "hp-budi").expect("check in");
        assert!(cb.walk_in);
        a.merge(&mut b.clone()).expect("merge");
        b.merge(&mut a.clone()).expect("merge");
        let v = view(&id(), &a).expect("view");
        assert_eq!(v, view(&id(), &b).expect("view"));
        assert_eq!(v.sessions[0].attended.len(), 2);
        assert!(v.sessions[1].attended.is_empty());
        assert_eq!(v.participants.len(), 2);
    }

    #[test]
    fn check_in_needs_a_real_session_and_an_unambiguous_name() {
        let mut doc = new_training(&["2026-12-01"]).expect("create");
        assert!(matches!(
            check_in(&mut doc, 2, "Siti", None, "d"),
            Err(ModelError::NoSuchSession { .. })
        ));
        enroll(
            &mut doc,
            &Person {
                name: "Siti".into(),
                gender: None,
                dusun: Some("I".into()),
            },
        )
        .expect("enroll");
        enroll(
            &mut doc,
            &Person {
                name: "Siti".into(),
                gender: None,
                dusun: Some("II".into()),
            },
        )
        .expect("enroll");
        assert!(matches!(
            check_in(&mut doc, 1, "Siti", None, "d"),
            Err(ModelError::AmbiguousPerson { .. })
        ));
        let ok = check_in(&mut doc, 1, "Siti", Some("II"), "d").expect("check in");
        assert!(!ok.already);
        let again = check_in(&mut doc, 1, "siti", Some("ii"), "d").expect("check in");
        assert!(again.already);
    }

    #[test]
    fn create_rejects_bad_sessions() {
        assert!(matches!(new_training(&[]), Err(ModelError::Empty { .. })));
        assert!(matches!(
            new_training(&["2026-13-01"]),
            Err(ModelError::BadDate { .. })
        ));
    }

    #[test]
    fn the_village_comes_from_the_id_not_the_content() {
        let mut doc = Automerge::new();
        create(
            &mut doc,
            &"18.01.05.2002".parse().expect("valid"),
            &NewTraining {
                topic: "Budidaya cabai".into(),
                category: None,
                trainer: None,
                sessions: vec!["2026-12-01".into()],
            },
        )
        .expect("create");
        let v = view(&id(), &doc).expect("view");
        assert_eq!(v.village, "18.01.05.2001");
        assert_eq!(
            v.id_mismatch.get("village"),
            Some(["18.01.05.2002".to_owned()].as_slice())
        );
        let s = crate::model::summarize(&id(), &doc).expect("summary");
        assert_eq!(s.kind, DocKind::Training);

        let agreeing = new_training(&["2026-12-01"]).expect("create");
        let json = serde_json::to_value(view(&id(), &agreeing).expect("view")).expect("json");
        assert_eq!(json["village"], "18.01.05.2001");
        assert!(json.get("id_mismatch").is_none(), "{json}");
    }

    #[test]
    fn minutes_content_under_a_training_id_is_refused_by_name() {
        let mut doc = Automerge::new();
        crate::model::minutes::create(
            &mut doc,
            &"18.01.05.2001".parse().expect("valid"),
            &crate::model::minutes::NewMinutes {
                title: "Musyawarah".into(),
                date: "2026-11-29".into(),
                place: None,
                facilitator: None,
            },
        )
        .expect("create");
        assert!(matches!(
            view(&id(), &doc),
            Err(ModelError::KindMismatch {
                id_kind: DocKind::Training,
                ref content_kind,
                ..
            }) if content_kind == "minutes"
        ));
        assert!(matches!(
            crate::model::summarize(&id(), &doc),
            Err(ModelError::KindMismatch { .. })
        ));
        assert!(matches!(
            crate::model::minutes::view(&id(), &doc),
            Err(ModelError::WrongKind {
                expected: DocKind::Minutes,
                ..
            })
        ));
    }
}
