//! Forum minutes (*notulen musyawarah*): who attended, what was proposed and decided, and notes.

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ObjId, ObjType, ROOT, ReadDoc, ScalarValue};
use serde::Serialize;

use super::fields::{Conflicts, list_maps, map_keys, obj_at};
use super::{
    Gender, LINE_MAX, ModelError, NAME_MAX, NOTE_MAX, Person, PersonKey, SCHEMA_VERSION,
    check_identity, edit, expect_kind, new_item_key, optional, parse_date, required,
};
use crate::ids::{DocId, DocKind};
use crate::region::VillageCode;

/// What `balai minutes new` records.
#[derive(Clone, Debug)]
pub struct NewMinutes {
    pub title: String,
    pub date: String,
    pub place: Option<String>,
    pub facilitator: Option<String>,
}

/// Scalar fields that can be changed after creation.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Field {
    Title,
    Date,
    Place,
    Facilitator,
    Status,
}

impl Field {
    fn key(self) -> &'static str {
        match self {
            Field::Title => "title",
            Field::Date => "date",
            Field::Place => "place",
            Field::Facilitator => "facilitator",
            Field::Status => "status",
        }
    }
}

pub const STATUSES: &str = "draft, final";
pub const PRIORITIES: &str = "high, medium, low";
pub const FOLLOW_UP_STATUSES: &str = "open, in-progress, done, dropped";

fn choice(field: &'static str, value: &str, allowed: &'static str) -> Result<String, ModelError> {
    let v = value.trim().to_ascii_lowercase();
    if allowed.split(", ").any(|a| a == v) {
        Ok(v)
    } else {
        Err(ModelError::BadChoice {
            field,
            value: value.to_owned(),
            expected: allowed,
        })
    }
}

/// Create the minutes' skeleton. Every container is made here, once, by the creating device: if
/// two devices each created `attendees`, automerge would keep only one of the two maps.
pub fn create(
    doc: &mut Automerge,
    village: &VillageCode,
    new: &NewMinutes,
) -> Result<(), ModelError> {
    let title = required("title", &new.title, LINE_MAX)?;
    let date = parse_date("date", &new.date)?.to_string();
    let place = optional("place", new.place.as_deref(), LINE_MAX)?;
    let facilitator = optional("facilitator", new.facilitator.as_deref(), NAME_MAX)?;
    edit(doc, format!("create minutes: {title}"), |tx| {
        tx.put(ROOT, "kind", DocKind::Minutes.as_str())?;
        tx.put(ROOT, "schema", SCHEMA_VERSION)?;
        tx.put(ROOT, "village", village.as_str())?;
        tx.put(ROOT, "title", title.as_str())?;
        tx.put(ROOT, "date", date.as_str())?;
        if let Some(p) = &place {
            tx.put(ROOT, "place", p.as_str())?;
        }
        if let Some(f) = &facilitator {
            tx.put(ROOT, "facilitator", f.as_str())?;
        }
        tx.put(ROOT, "status", "draft")?;
        tx.put_object(ROOT, "attendees", ObjType::Map)?;
        tx.put_object(ROOT, "agenda", ObjType::List)?;
        tx.put_object(ROOT, "proposals", ObjType::Map)?;
        tx.put_object(ROOT, "decisions", ObjType::List)?;
        tx.put_object(ROOT, "follow_ups", ObjType::Map)?;
        tx.put_object(ROOT, "notes", ObjType::Text)?;
        Ok(())
    })
}

fn container(tx: &Transaction<'_>, key: &str, ty: ObjType) -> Result<ObjId, ModelError> {
    match tx.get(ROOT, key)? {
        Some((automerge::Value::Object(t), id)) if t == ty => Ok(id),
        _ => Err(ModelError::NotCreated),
    }
}

/// Change one scalar field (validated like at creation).
pub fn set(doc: &mut Automerge, field: Field, value: &str) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Minutes)?;
    let value = match field {
        Field::Title => required("title", value, LINE_MAX)?,
        Field::Date => parse_date("date", value)?.to_string(),
        Field::Place => required("place", value, LINE_MAX)?,
        Field::Facilitator => required("facilitator", value, NAME_MAX)?,
        Field::Status => choice("status", value, STATUSES)?,
    };
    edit(doc, format!("set {}", field.key()), |tx| {
        tx.put(ROOT, field.key(), value.as_str())?;
        Ok(())
    })
}

/// What recording an attendee did.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Recorded {
    Added(PersonKey),
    /// The person was already on the list; given details were updated.
    Updated(PersonKey),
}

/// Record an attendee. The same person recorded again (same name and dusun) is updated, not
/// duplicated.
pub fn attend(
    doc: &mut Automerge,
    person: &Person,
    role: Option<&str>,
) -> Result<Recorded, ModelError> {
    expect_kind(doc, DocKind::Minutes)?;
    let name = required("name", &person.name, NAME_MAX)?;
    let dusun = optional("dusun", person.dusun.as_deref(), NAME_MAX)?;
    let role = optional("role", role, NAME_MAX)?;
    let key = PersonKey::of(&name, dusun.as_deref());
    if key.as_str().is_empty() {
        return Err(ModelError::Empty { field: "name" });
    }
    edit(doc, format!("attend: {name}"), |tx| {
        let attendees = container(tx, "attendees", ObjType::Map)?;
        let (entry, existed) = match tx.get(&attendees, key.as_str())? {
            Some((automerge::Value::Object(ObjType::Map), id)) => (id, true),
            _ => (
                tx.put_object(&attendees, key.as_str(), ObjType::Map)?,
                false,
            ),
        };
        put_person_fields(tx, &entry, &name, person.gender, dusun.as_deref())?;
        if let Some(r) = &role {
            tx.put(&entry, "role", r.as_str())?;
        }
        Ok(if existed {
            Recorded::Updated(key.clone())
        } else {
            Recorded::Added(key.clone())
        })
    })
}

pub(crate) fn put_person_fields(
    tx: &mut Transaction<'_>,
    entry: &ObjId,
    name: &str,
    gender: Option<Gender>,
    dusun: Option<&str>,
) -> Result<(), ModelError> {
    // Only write what changed: an unchanged re-put would still create a new op that conflicts with
    // a concurrent edit from another device for no reason.
    if super::fields::str_at_tx(tx, entry, "name")?.as_deref() != Some(name) {
        tx.put(entry, "name", name)?;
    }
    if let Some(g) = gender
        && super::fields::str_at_tx(tx, entry, "gender")?.as_deref() != Some(g.as_str())
    {
        tx.put(entry, "gender", g.as_str())?;
    }
    if let Some(d) = dusun
        && super::fields::str_at_tx(tx, entry, "dusun")?.as_deref() != Some(d)
    {
        tx.put(entry, "dusun", d)?;
    }
    Ok(())
}

/// Append a paragraph to the shared notes. Notes are automerge Text: paragraphs typed on two
/// devices at once both survive, interleaved by the CRDT rather than one overwriting the other.
pub fn append_note(doc: &mut Automerge, text: &str) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Minutes)?;
    let text = required("note", text, NOTE_MAX)?;
    edit(doc, "note".to_owned(), |tx| {
        let notes = container(tx, "notes", ObjType::Text)?;
        // Each paragraph carries its own line end, so two paragraphs appended at the same spot
        // on two devices stay two lines (automerge keeps each inserted run contiguous).
        let len = tx.length(&notes);
        tx.splice_text(&notes, len, 0, &format!("{text}\n"))?;
        Ok(())
    })
}

fn push_line(
    doc: &mut Automerge,
    list: &'static str,
    field: &'static str,
    text: &str,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Minutes)?;
    let text = required(field, text, LINE_MAX)?;
    edit(doc, format!("{field}: {text}"), |tx| {
        let items = container(tx, list, ObjType::List)?;
        let len = tx.length(&items);
        let item = tx.insert_object(&items, len, ObjType::Map)?;
        tx.put(&item, "text", text.as_str())?;
        Ok(())
    })
}

/// Add an agenda item.
pub fn add_agenda_item(doc: &mut Automerge, text: &str) -> Result<(), ModelError> {
    push_line(doc, "agenda", "agenda item", text)
}

/// Record a decision.
pub fn add_decision(doc: &mut Automerge, text: &str) -> Result<(), ModelError> {
    push_line(doc, "decisions", "decision", text)
}

/// Record an aspiration/proposal raised in the forum; returns its key.
pub fn add_proposal(
    doc: &mut Automerge,
    text: &str,
    raised_by: Option<&str>,
    priority: Option<&str>,
) -> Result<String, ModelError> {
    expect_kind(doc, DocKind::Minutes)?;
    let text = required("proposal", text, LINE_MAX)?;
    let raised_by = optional("raised by", raised_by, NAME_MAX)?;
    let priority = priority
        .map(|p| choice("priority", p, PRIORITIES))
        .transpose()?;
    let key = new_item_key();
    edit(doc, format!("proposal: {text}"), |tx| {
        let proposals = container(tx, "proposals", ObjType::Map)?;
        let p = tx.put_object(&proposals, key.as_str(), ObjType::Map)?;
        tx.put(&p, "text", text.as_str())?;
        if let Some(by) = &raised_by {
            tx.put(&p, "raised_by", by.as_str())?;
        }
        if let Some(pr) = &priority {
            tx.put(&p, "priority", pr.as_str())?;
        }
        // A counter, so supporters counted on two devices add up instead of overwriting.
        tx.put(&p, "support", ScalarValue::counter(0))?;
        Ok(())
    })?;
    Ok(key)
}

/// Count `n` more supporters for a proposal.
pub fn support(doc: &mut Automerge, proposal: &str, n: i64) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Minutes)?;
    edit(doc, format!("support {proposal} +{n}"), |tx| {
        let proposals = container(tx, "proposals", ObjType::Map)?;
        let Some((automerge::Value::Object(ObjType::Map), p)) = tx.get(&proposals, proposal)?
        else {
            return Err(ModelError::NotFound {
                what: "proposal",
                key: proposal.to_owned(),
            });
        };
        tx.increment(&p, "support", n)?;
        Ok(())
    })
}

/// Record a follow-up action; returns its key.
pub fn add_follow_up(
    doc: &mut Automerge,
    what: &str,
    who: &str,
    due: Option<&str>,
) -> Result<String, ModelError> {
    expect_kind(doc, DocKind::Minutes)?;
    let what = required("what", what, LINE_MAX)?;
    let who = required("who", who, NAME_MAX)?;
    let due = due
        .map(|d| parse_date("due", d).map(|d| d.to_string()))
        .transpose()?;
    let key = new_item_key();
    edit(doc, format!("follow-up: {what}"), |tx| {
        let follow_ups = container(tx, "follow_ups", ObjType::Map)?;
        let f = tx.put_object(&follow_ups, key.as_str(), ObjType::Map)?;
        tx.put(&f, "what", what.as_str())?;
        tx.put(&f, "who", who.as_str())?;
        if let Some(d) = &due {
            tx.put(&f, "due", d.as_str())?;
        }
        tx.put(&f, "status", "open")?;
        Ok(())
    })?;
    Ok(key)
}

/// Move a follow-up to a new status.
pub fn set_follow_up_status(
    doc: &mut Automerge,
    follow_up: &str,
    status: &str,
) -> Result<(), ModelError> {
    expect_kind(doc, DocKind::Minutes)?;
    let status = choice("status", status, FOLLOW_UP_STATUSES)?;
    edit(doc, format!("follow-up {follow_up}: {status}"), |tx| {
        let follow_ups = container(tx, "follow_ups", ObjType::Map)?;
        let Some((automerge::Value::Object(ObjType::Map), f)) = tx.get(&follow_ups, follow_up)?
        else {
            return Err(ModelError::NotFound {
                what: "follow-up",
                key: follow_up.to_owned(),
            });
        };
        tx.put(&f, "status", status.as_str())?;
        Ok(())
    })
}

/// An attendee as shown by `balai show`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attendee {
    pub key: String,
    pub name: String,
    pub gender: Option<String>,
    pub dusun: Option<String>,
    pub role: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Proposal {
    pub key: String,
    pub text: String,
    pub raised_by: Option<String>,
    pub priority: Option<String>,
    pub support: i64,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct FollowUp {
    pub key: String,
    pub what: String,
    pub who: Option<String>,
    pub due: Option<String>,
    pub status: Option<String>,
}

/// The whole minutes, as plain values. Field order here is the JSON order `show --json` prints.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MinutesView {
    /// The village of the document's id (never the content's `village` field).
    pub village: String,
    pub title: String,
    pub date: String,
    pub place: Option<String>,
    pub facilitator: Option<String>,
    pub status: String,
    pub attendees: Vec<Attendee>,
    pub agenda: Vec<String>,
    pub proposals: Vec<Proposal>,
    pub decisions: Vec<String>,
    pub follow_ups: Vec<FollowUp>,
    pub notes: String,
    /// Fields two devices set to different values: path → the values that lost.
    pub conflicts: Conflicts,
    /// Content values of `kind` and `village` that disagree with the document id: field → the
    /// content's values. They are ignored (the id decides); only in the JSON when not empty.
    #[serde(skip_serializing_if = "Conflicts::is_empty")]
    pub id_mismatch: Conflicts,
}

/// Read the minutes `id` names into a [`MinutesView`]. Kind and village come from `id`: the
/// village shown is `id.village()` whatever the content says (content that disagrees is listed
/// in `id_mismatch`), and content whose `kind` is not `minutes` is refused with
/// [`ModelError::KindMismatch`]. An id of another kind is [`ModelError::WrongKind`].
pub fn view(id: &DocId, doc: &Automerge) -> Result<MinutesView, ModelError> {
    let id_mismatch = check_identity(id, doc, DocKind::Minutes)?;
    read_content(doc, id.village().to_string(), id_mismatch)
}

/// Test-only: read minutes trusting the content's own `kind` and `village`, as the views did
/// before they took the id. Left for the engine's simulation and store tests, which compare
/// replicas; everything else uses [`view`].
#[cfg(test)]
pub(crate) fn read(doc: &Automerge) -> Result<MinutesView, ModelError> {
    expect_kind(doc, DocKind::Minutes)?;
    let village = super::fields::str_at(doc, &ROOT, "village")?.unwrap_or_default();
    read_content(doc, village, Conflicts::default())
}

/// Everything but the identity, which the caller has settled.
fn read_content(
    doc: &Automerge,
    village: String,
    id_mismatch: Conflicts,
) -> Result<MinutesView, ModelError> {
    let mut c = Conflicts::default();
    let root = ROOT;
    let text = |c: &mut Conflicts, key: &str| c.scalar(doc, &root, key, || key.to_owned());
    let title = text(&mut c, "title")?.unwrap_or_default();
    let date = text(&mut c, "date")?.unwrap_or_default();
    let place = text(&mut c, "place")?;
    let facilitator = text(&mut c, "facilitator")?;
    let status = text(&mut c, "status")?.unwrap_or_else(|| "draft".to_owned());

    let mut attendees = Vec::new();
    if let Some(obj) = obj_at(doc, &ROOT, "attendees", ObjType::Map)? {
        for key in map_keys(doc, &obj) {
            record_duplicate_entries(doc, &obj, &key, "attendees", &mut c)?;
            let Some(a) = obj_at(doc, &obj, &key, ObjType::Map)? else {
                continue;
            };
            let path = |f: &str| format!("attendees.{key}.{f}");
            attendees.push(Attendee {
                name: c
                    .scalar(doc, &a, "name", || path("name"))?
                    .unwrap_or_default(),
                gender: c.scalar(doc, &a, "gender", || path("gender"))?,
                dusun: c.scalar(doc, &a, "dusun", || path("dusun"))?,
                role: c.scalar(doc, &a, "role", || path("role"))?,
                key,
            });
        }
    }
    let lines = |list: &str| -> Result<Vec<String>, ModelError> {
        let Some(obj) = obj_at(doc, &ROOT, list, ObjType::List)? else {
            return Ok(Vec::new());
        };
        let mut out = Vec::new();
        for item in list_maps(doc, &obj)? {
            if let Some(t) = super::fields::str_at(doc, &item, "text")? {
                out.push(t);
            }
        }
        Ok(out)
    };
    let agenda = lines("agenda")?;
    let decisions = lines("decisions")?;

    let mut proposals = Vec::new();
    if let Some(obj) = obj_at(doc, &ROOT, "proposals", ObjType::Map)? {
        for key in map_keys(doc, &obj) {
            let Some(p) = obj_at(doc, &obj, &key, ObjType::Map)? else {
                continue;
            };
            let path = |f: &str| format!("proposals.{key}.{f}");
            proposals.push(Proposal {
                text: c
                    .scalar(doc, &p, "text", || path("text"))?
                    .unwrap_or_default(),
                raised_by: c.scalar(doc, &p, "raised_by", || path("raised_by"))?,
                priority: c.scalar(doc, &p, "priority", || path("priority"))?,
                support: super::fields::int_at(doc, &p, "support")?.unwrap_or(0),
                key,
            });
        }
    }
    let mut follow_ups = Vec::new();
    if let Some(obj) = obj_at(doc, &ROOT, "follow_ups", ObjType::Map)? {
        for key in map_keys(doc, &obj) {
            let Some(f) = obj_at(doc, &obj, &key, ObjType::Map)? else {
                continue;
            };
            let path = |field: &str| format!("follow_ups.{key}.{field}");
            follow_ups.push(FollowUp {
                what: c
                    .scalar(doc, &f, "what", || path("what"))?
                    .unwrap_or_default(),
                who: c.scalar(doc, &f, "who", || path("who"))?,
                due: c.scalar(doc, &f, "due", || path("due"))?,
                status: c.scalar(doc, &f, "status", || path("status"))?,
                key,
            });
        }
    }
    let notes = match obj_at(doc, &ROOT, "notes", ObjType::Text)? {
        Some(n) => doc.text(&n)?,
        None => String::new(),
    };
    Ok(MinutesView {
        village,
        title,
        date,
        place,
        facilitator,
        status,
        attendees,
        agenda,
        proposals,
        decisions,
        follow_ups,
        notes,
        conflicts: c,
        id_mismatch,
    })
}

/// Two devices that add the same person at the same moment each create an entry map; automerge
/// keeps one and the other stays as a conflicting value. Surface the hidden one so nothing
/// recorded is invisible.
pub(crate) fn record_duplicate_entries(
    doc: &Automerge,
    obj: &ObjId,
    key: &str,
    section: &str,
    c: &mut Conflicts,
) -> Result<(), ModelError> {
    let all = doc.get_all(obj, key)?;
    if all.len() < 2 {
        return Ok(());
    }
    let winner = doc.get(obj, key)?.map(|(_, id)| id);
    let mut losers = Vec::new();
    for (_, id) in all.iter().filter(|(_, id)| Some(id) != winner.as_ref()) {
        let fields: Vec<String> = ["name", "gender", "dusun", "role"]
            .iter()
            .filter_map(|f| {
                super::fields::str_at(doc, id, f)
                    .ok()
                    .flatten()
                    .map(|v| format!("{f}={v}"))
            })
            .collect();
        losers.push(fields.join(" "));
    }
    c.0.insert(format!("{section}.{key}"), losers);
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use automerge::ActorId;

    fn village() -> VillageCode {
        "18.01.05.2001".parse().expect("valid")
    }

    /// The id the test minutes are filed under: village 18.01.05.2001.
    fn id() -> DocId {
        "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B2C"
            .parse()
            .expect("valid id")
    }

    fn new_minutes() -> Automerge {
        let mut doc = Automerge::new().with_actor(ActorId::from(b"device-a".as_slice()));
        create(
            &mut doc,
            &village(),
            &NewMinutes {
                title: "Musyawarah Dusun II".into(),
                date: "2026-11-29".into(),
                place: Some("Balai desa".into()),
                facilitator: None,
            },
        )
        .expect("create");
        doc
    }

    fn person(name: &str, gender: Gender, dusun: &str) -> Person {
        Person {
            name: name.into(),
            gender: Some(gender),
            dusun: Some(dusun.into()),
        }
    }

    #[test]
    fn create_validates_input() {
        let mut doc = Automerge::new();
        let bad = NewMinutes {
            title: " ".into(),
            date: "2026-11-29".into(),
            place: None,
            facilitator: None,
        };
        assert!(matches!(
            create(&mut doc, &village(), &bad),
            Err(ModelError::Empty { .. })
        ));
        let bad = NewMinutes {
            title: "x".into(),
            date: "29/11/2026".into(),
            place: None,
            facilitator: None,
        };
        assert!(matches!(
            create(&mut doc, &village(), &bad),
            Err(ModelError::BadDate { .. })
        ));
        assert!(
            !super::super::is_created(&doc),
            "nothing is written on bad input"
        );
    }

    #[test]
    fn concurrent_edits_on_two_devices_all_survive() {
        let mut a = new_minutes();
        let mut b = a.fork().with_actor(ActorId::from(b"device-b".as_slice()));
        attend(
            &mut a,
            &person("Siti Aminah", Gender::F, "Dusun II"),
            Some("ketua PKK"),
        )
        .expect("attend");
        attend(&mut b, &person("Made Wirawan", Gender::M, "Dusun I"), None).expect("attend");
        append_note(&mut a, "Jalan ke dusun II rusak.").expect("note");
        append_note(&mut b, "Warga minta pelatihan jahit.").expect("note");
        let k =
            add_proposal(&mut a, "Perbaikan jalan", Some("Pak RT"), Some("high")).expect("propose");
        set(&mut a, Field::Place, "Masjid").expect("set");
        set(&mut b, Field::Place, "Balai dusun").expect("set");
        a.merge(&mut b.clone()).expect("merge");
        b.merge(&mut a.clone()).expect("merge");
        support(&mut a, &k, 3).expect("support");
        support(&mut b, &k, 2).expect("support");
        a.merge(&mut b.clone()).expect("merge");
        b.merge(&mut a.clone()).expect("merge");

        let va = view(&id(), &a).expect("view");
        assert_eq!(va, view(&id(), &b).expect("view"));
        assert_eq!(va.attendees.len(), 2);
        assert!(
            va.notes.contains("Jalan ke dusun II rusak.")
                && va.notes.contains("Warga minta pelatihan jahit.")
        );
        assert_eq!(va.proposals[0].support, 5, "counters add up across devices");
        let lost = va.conflicts.get("place").expect("place is conflicted");
        assert_eq!(lost.len(), 1);
        assert!(["Masjid", "Balai dusun"].contains(&lost[0].as_str()));
        assert_ne!(lost[0], va.place.clone().unwrap_or_default());
    }

    #[test]
    fn same_person_twice_is_one_attendee() {
        let mut doc = new_minutes();
        let first = attend(
            &mut doc,
            &person("Siti Aminah", Gender::F, "Dusun II"),
            None,
        )
        .expect("attend");
        let again = attend(
            &mut doc,
            &person("siti  aminah", Gender::F, "dusun ii"),
            Some("warga"),
        )
        .expect("attend");
        assert!(matches!(first, Recorded::Added(_)));
        assert!(matches!(again, Recorded::Updated(_)));
        let v = view(&id(), &doc).expect("view");
        assert_eq!(v.attendees.len(), 1);
        assert_eq!(v.attendees[0].role.as_deref(), Some("warga"));
    }

    #[test]
    fn follow_ups_and_decisions() {
        let mut doc = new_minutes();
        add_agenda_item(&mut doc, "Rencana pembangunan pasar").expect("agenda");
        add_decision(&mut doc, "Pasar dibangun di dekat jalan utama").expect("decision");
        let f = add_follow_up(&mut doc, "Survei lokasi", "Pak Kades", Some("2026-12-15"))
            .expect("follow-up");
        set_follow_up_status(&mut doc, &f, "done").expect("status");
        assert!(set_follow_up_status(&mut doc, &f, "finished").is_err());
        assert!(matches!(
            support(&mut doc, "nope", 1),
            Err(ModelError::NotFound { .. })
        ));
        let v = view(&id(), &doc).expect("view");
        assert_eq!(v.agenda, vec!["Rencana pembangunan pasar"]);
        assert_eq!(v.decisions.len(), 1);
        assert_eq!(v.follow_ups[0].status.as_deref(), Some("done"));
    }

    /// Minutes whose content was written for village `content_village`, as `create` writes them
    /// (a device that put the wrong village in, or lies about it).
    fn minutes_claiming(content_village: &str) -> Automerge {
        let mut doc = Automerge::new().with_actor(ActorId::from(b"device-a".as_slice()));
        create(
            &mut doc,
            &content_village.parse().expect("valid"),
            &NewMinutes {
                title: "Musyawarah".into(),
                date: "2026-11-29".into(),
                place: None,
                facilitator: None,
            },
        )
        .expect("create");
        doc
    }

    #[test]
    fn the_village_comes_from_the_id_not_the_content() {
        let doc = minutes_claiming("18.01.05.2002");
        let v = view(&id(), &doc).expect("view");
        assert_eq!(
            v.village, "18.01.05.2001",
            "the id's village, never the content's"
        );
        assert_eq!(
            v.id_mismatch.get("village"),
            Some(["18.01.05.2002".to_owned()].as_slice()),
            "the content's claim is reported"
        );
        assert!(v.id_mismatch.get("kind").is_none());
        assert!(v.conflicts.is_empty(), "not a device conflict");
        let json = serde_json::to_value(&v).expect("json");
        assert_eq!(json["village"], "18.01.05.2001");
        assert_eq!(json["id_mismatch"]["village"][0], "18.01.05.2002");

        let s = super::super::summarize(&id(), &doc).expect("summary");
        assert_eq!(s.kind, DocKind::Minutes);
        assert_eq!(s.title, "Musyawarah");
    }

    #[test]
    fn a_document_that_agrees_with_its_id_keeps_its_json_shape() {
        let v = view(&id(), &new_minutes()).expect("view");
        assert!(v.id_mismatch.is_empty());
        let json = serde_json::to_value(&v).expect("json");
        let keys: Vec<&str> = json
            .as_object()
            .expect("object")
            .keys()
            .map(String::as_str)
            .collect();
        let mut expected = vec![
            "village",
            "title",
            "date",
            "place",
            "facilitator",
            "status",
            "attendees",
            "agenda",
            "proposals",
            "decisions",
            "follow_ups",
            "notes",
            "conflicts",
        ];
        let mut keys = keys;
        keys.sort_unstable();
        expected.sort_unstable();
        assert_eq!(keys, expected, "no id_mismatch key when there is none");
    }

    #[test]
    fn a_village_rewritten_by_devices_is_ignored_and_reported() {
        let mut a = new_minutes();
        let mut b = a.fork().with_actor(ActorId::from(b"device-b".as_slice()));
        for (doc, claim) in [(&mut a, "18.01.05.2002"), (&mut b, "18.01.05.2003")] {
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, "village", claim)?;
                Ok(())
            })
            .expect("rewrite village");
        }
        a.merge(&mut b).expect("merge");
        let v = view(&id(), &a).expect("view");
        assert_eq!(v.village, "18.01.05.2001");
        let mut claimed = v.id_mismatch.get("village").expect("reported").to_vec();
        claimed.sort();
        assert_eq!(claimed, ["18.01.05.2002", "18.01.05.2003"]);
        assert!(
            v.conflicts.get("village").is_none(),
            "the village is not a field devices can conflict on"
        );
    }

    #[test]
    fn content_of_another_kind_is_refused_by_name_not_shown() {
        // Training content filed under a minutes id.
        let mut doc = Automerge::new();
        crate::model::training::create(
            &mut doc,
            &"18.01.05.2002".parse().expect("valid"),
            &crate::model::training::NewTraining {
                topic: "Budidaya cabai".into(),
                category: None,
                trainer: None,
                sessions: vec!["2026-12-01".into()],
            },
        )
        .expect("create");
        let err = view(&id(), &doc).expect_err("refused");
        match &err {
            ModelError::KindMismatch {
                id: named,
                id_kind,
                content_kind,
            } => {
                assert_eq!(named, &id().to_string());
                assert_eq!(*id_kind, DocKind::Minutes);
                assert_eq!(content_kind, "training");
            }
            other => panic!("expected KindMismatch, got {other:?}"),
        }
        let text = err.to_string();
        assert!(
            text.contains("minutes") && text.contains("`training`"),
            "{text}"
        );
        assert!(matches!(
            super::super::summarize(&id(), &doc),
            Err(ModelError::KindMismatch { .. })
        ));
        // Asking for the other view with this id is the caller's mistake, said as such.
        assert!(matches!(
            crate::model::training::view(&id(), &doc),
            Err(ModelError::WrongKind {
                expected: DocKind::Training,
                ..
            })
        ));
    }

    #[test]
    fn a_kind_rewritten_or_unknown_is_refused_without_panicking() {
        for claim in ["training", "notes", ""] {
            let mut doc = new_minutes();
            doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(ROOT, "kind", claim)?;
                Ok(())
            })
            .expect("rewrite kind");
            assert!(
                matches!(
                    view(&id(), &doc),
                    Err(ModelError::KindMismatch { ref content_kind, .. }) if content_kind == claim
                ),
                "{claim:?}"
            );
        }
    }

    #[test]
    fn a_losing_concurrent_kind_is_reported_not_obeyed() {
        // device-a writes `training` while device-b, concurrently, writes `minutes` back (after
        // another value: putting an unchanged value is a no-op in automerge). device-b's op has
        // the higher counter, so it wins; device-a's losing claim must not change what the
        // document is.
        let mut a = new_minutes();
        let mut b = a.fork().with_actor(ActorId::from(b"device-b".as_slice()));
        for (doc, claims) in [(&mut a, &["training"][..]), (&mut b, &["x", "minutes"][..])] {
            for claim in claims {
                doc.transact::<_, _, automerge::AutomergeError>(|tx| {
                    tx.put(ROOT, "kind", *claim)?;
                    Ok(())
                })
                .expect("rewrite kind");
            }
        }
        a.merge(&mut b).expect("merge");
        let v = view(&id(), &a).expect("view");
        assert_eq!(
            v.id_mismatch.get("kind"),
            Some(["training".to_owned()].as_slice())
        );
    }

    #[test]
    fn empty_and_newer_documents_are_refused_through_the_id_too() {
        assert!(matches!(
            view(&id(), &Automerge::new()),
            Err(ModelError::NotCreated)
        ));
        let mut doc = new_minutes();
        doc.transact::<_, _, automerge::AutomergeError>(|tx| {
            tx.put(ROOT, "schema", SCHEMA_VERSION + 1)?;
            Ok(())
        })
        .expect("bump schema");
        assert!(matches!(
            view(&id(), &doc),
            Err(ModelError::NewerSchema { .. })
        ));
    }
}
