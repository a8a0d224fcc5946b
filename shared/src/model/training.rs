//! Skills trainings (*pelatihan*): participants and per-session attendance from many devices.

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ObjId, ObjType, ROOT, ReadDoc};
use serde::Serialize;

use super::fields::{Conflicts, map_keys, obj_at, str_at};
use super::minutes::{put_person_fields, record_duplicate_entries};
use super::{
    LINE_MAX, ModelError, NAME_MAX, Person, PersonKey, SCHEMA_VERSION, check_identity, edit,
    expect_kind, optional, parse_date, required,
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
/// devices checking people in never race to create the same map).
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
    edit(doc, format!("create training: {topic}"), |tx| {
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

/// Enroll a participant; enrolling the same person again updates their details.
pub fn enroll(
    doc: &mut Automerge,
    person: &Person,
) -> Result<super::minutes::Recorded, ModelError> {
    expect_kind(doc, DocKind::Training)?;
    let name = required("name", &person.name, NAME_MAX)?;
    let dusun = optional("dusun", person.dusun.as_deref(), NAME_MAX)?;
    let key = PersonKey::of(&name, dusun.as_deref());
    if key.as_str().is_empty() {
        return Err(ModelError::Empty { field: "name" });
    }
    edit(doc, format!("enroll: {name}"), |tx| {
        let participants = container(tx, "participants")?;
        let (entry, existed) = upsert_participant(tx, &participants, &key)?;
        put_person_fields(tx, &entry, &name, person.gender, dusun.as_deref())?;
        Ok(if existed {
            super::minutes::Recorded::Updated(key.clone())
        } else {
            super::minutes::Recorded::Added(key.clone())
        })
    })
}

fn upsert_participant(
    tx: &mut Transaction<'_>,
    participants: &ObjId,
    key: &PersonKey,
) -> Result<(ObjId, bool), ModelError> {
    Ok(match tx.get(participants, key.as_str())? {
        Some((automerge::Value::Object(ObjType::Map), id)) => (id, true),
        _ => (
            tx.put_object(participants, key.as_str(), ObjType::Map)?,
            false,
        ),
    })
}

/// What a check-in did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CheckedIn {
    pub key: PersonKey,
    /// The person was not enrolled and was enrolled on the spot.
    pub walk_in: bool,
    /// The person was already checked in to this session.
    pub already: bool,
}

/// Check a person in to session `session` (1-based). A person who is not enrolled is enrolled as a
/// walk-in: turning someone away from the attendance list because of a paperwork gap would lose
/// exactly the record the forum needs.
pub fn check_in(
    doc: &mut Automerge,
    session: u32,
    name: &str,
    dusun: Option<&str>,
    by: &str,
) -> Result<CheckedIn, ModelError> {
    expect_kind(doc, DocKind::Training)?;
    let name = required("name", name, NAME_MAX)?;
    let dusun = optional("dusun", dusun, NAME_MAX)?;
    let count = session_count(doc)?;
    if session == 0 || session > count {
        return Err(ModelError::NoSuchSession { session, count });
    }
    let key = resolve_participant(doc, &name, dusun.as_deref())?;
    let k = session_key(session as usize);
    edit(doc, format!("check-in: {name} session {session}"), |tx| {
        let participants = container(tx, "participants")?;
        let (entry, existed) = upsert_participant(tx, &participants, &key)?;
        if !existed {
            put_person_fields(tx, &entry, &name, None, dusun.as_deref())?;
        }
        let attendance = container(tx, "attendance")?;
        let Some((automerge::Value::Object(ObjType::Map), list)) =
            tx.get(&attendance, k.as_str())?
        else {
            return Err(ModelError::NotCreated);
        };
        let already = tx.get(&list, key.as_str())?.is_some();
        if !already {
            tx.put(&list, key.as_str(), by)?;
        }
        Ok(CheckedIn {
            key: key.clone(),
            walk_in: !existed,
            already,
        })
    })
}

/// Find who `name` (and maybe `dusun`) means among the enrolled participants.
fn resolve_participant(
    doc: &Automerge,
    name: &str,
    dusun: Option<&str>,
) -> Result<PersonKey, ModelError> {
    let exact = PersonKey::of(name, dusun);
    if dusun.is_some() {
        return Ok(exact);
    }
    let Some(participants) = obj_at(doc, &ROOT, "participants", ObjType::Map)? else {
        return Ok(exact);
    };
    let name_part = exact.as_str().to_owned();
    let matches: Vec<String> = map_keys(doc, &participants)
        .into_iter()
        .filter(|k| {
            k == &name_part
                || k.strip_prefix(name_part.as_str())
                    .is_some_and(|rest| rest.starts_with('@'))
        })
        .collect();
    match matches.len() {
        0 => Ok(exact),
        1 => Ok(PersonKey(matches.into_iter().next().unwrap_or_default())),
        count => Err(ModelError::AmbiguousPerson {
            name: name.to_owned(),
            count,
            keys: matches.join(", "),
        }),
    }
}

fn session_count(doc: &Automerge) -> Result<u32, ModelError> {
    Ok(match obj_at(doc, &ROOT, "sessions", ObjType::Map)? {
        Some(s) => u32::try_from(doc.length(&s)).unwrap_or(u32::MAX),
        None => 0,
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
    pub number: u32,
    pub date: String,
    pub attended: Vec<CheckIn>,
}

/// The whole training, as plain values.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct TrainingView {
    /// The village of the document's id (never the content's `village` field).
    pub village: String,
    pub topic: String,
    pub category: Option<String>,
    pub trainer: Option<String>,
    pub participants: Vec<Participant>,
    pub sessions: Vec<Session>,
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
    expect_kind(doc, DocKind::Training)?;
    let village = str_at(doc, &ROOT, "village")?.unwrap_or_default();
    read_content(doc, village, Conflicts::default())
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

    let mut participants = Vec::new();
    if let Some(obj) = obj_at(doc, &ROOT, "participants", ObjType::Map)? {
        for key in map_keys(doc, &obj) {
            record_duplicate_entries(doc, &obj, &key, "participants", &mut c)?;
            let Some(p) = obj_at(doc, &obj, &key, ObjType::Map)? else {
                continue;
            };
            let path = |f: &str| format!("participants.{key}.{f}");
            participants.push(Participant {
                name: c
                    .scalar(doc, &p, "name", || path("name"))?
                    .unwrap_or_default(),
                gender: c.scalar(doc, &p, "gender", || path("gender"))?,
                dusun: c.scalar(doc, &p, "dusun", || path("dusun"))?,
                key,
            });
        }
    }
    let name_of = |key: &str| {
        participants
            .iter()
            .find(|p| p.key == key)
            .map_or_else(|| key.to_owned(), |p| p.name.clone())
    };

    let mut sessions = Vec::new();
    let attendance = obj_at(doc, &ROOT, "attendance", ObjType::Map)?;
    if let Some(obj) = obj_at(doc, &ROOT, "sessions", ObjType::Map)? {
        for key in map_keys(doc, &obj) {
            let Ok(number) = key.parse::<u32>() else {
                continue;
            };
            let Some(s) = obj_at(doc, &obj, &key, ObjType::Map)? else {
                continue;
            };
            let date = c
                .scalar(doc, &s, "date", || format!("sessions.{number}.date"))?
                .unwrap_or_default();
            let mut attended = Vec::new();
            if let Some(list) = attendance
                .as_ref()
                .map(|a| obj_at(doc, a, &key, ObjType::Map))
                .transpose()?
                .flatten()
            {
                for person in map_keys(doc, &list) {
                    attended.push(CheckIn {
                        name: name_of(&person),
                        checked_in_by: str_at(doc, &list, &person)?.unwrap_or_default(),
                        key: person,
                    });
                }
            }
            sessions.push(Session {
                number,
                date,
                attended,
            });
        }
    }
    Ok(TrainingView {
        village,
        topic,
        category,
        trainer,
        participants,
        sessions,
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
