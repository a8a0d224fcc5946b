//! Forum minutes (*notulen musyawarah*): who attended, what was proposed and decided, and notes.

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ObjId, ObjType, ROOT, ReadDoc, ScalarValue};
use serde::Serialize;

use super::fields::{Conflicts, differs, list_maps, map_keys, obj_at, str_at};
use super::people::{self, Details, Roll};
use super::removal::{self, Removed, Sorted, State};
use super::{
    LINE_MAX, ModelError, NAME_MAX, NOTE_MAX, Person, PersonCorrection, PersonKey, SCHEMA_VERSION,
    check_identity, edit, expect_editable, new_item_key, optional, parse_date, required,
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
    edit(doc, "create minutes", |tx| {
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
    expect_editable(doc, DocKind::Minutes)?;
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

/// The attendee list, for lookups and messages.
const ATTENDEES: Roll = Roll {
    kind: DocKind::Minutes,
    map: "attendees",
    what: "attendee",
    place: "these minutes",
    restore: "record them again (attend)",
};

/// Record an attendee. The same person recorded again (same name and dusun, or the name and dusun
/// they had before a correction) is updated, not duplicated. A removed attendee recorded again is
/// restored (`Recorded::Added`), with the details their entry has.
pub fn attend(
    doc: &mut Automerge,
    person: &Person,
    role: Option<&str>,
) -> Result<Recorded, ModelError> {
    expect_editable(doc, DocKind::Minutes)?;
    let name = required("name", &person.name, NAME_MAX)?;
    let dusun = optional("dusun", person.dusun.as_deref(), NAME_MAX)?;
    let role = optional("role", role, NAME_MAX)?;
    let attendees = ATTENDEES.obj(doc)?;
    let target = people::target(doc, &attendees, &name, dusun.as_deref())?;
    let details = Details {
        name: Some(&name),
        gender: person.gender,
        dusun: dusun.as_deref(),
    };
    edit(doc, "attend", |tx| {
        let (key, entry, added) = people::record(tx, &attendees, &target, &details)?;
        if let Some(r) = &role
            && differs(tx, &entry, "role", r)?
        {
            tx.put(&entry, "role", r.as_str())?;
        }
        Ok(if added {
            Recorded::Added(key)
        } else {
            Recorded::Updated(key)
        })
    })
}

/// Append a paragraph to the shared notes. Notes are automerge Text: paragraphs typed on two
/// devices at once both survive, interleaved by the CRDT rather than one overwriting the other.
pub fn append_note(doc: &mut Automerge, text: &str) -> Result<(), ModelError> {
    expect_editable(doc, DocKind::Minutes)?;
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
    expect_editable(doc, DocKind::Minutes)?;
    let text = required(field, text, LINE_MAX)?;
    edit(doc, field.to_string(), |tx| {
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
    expect_editable(doc, DocKind::Minutes)?;
    let text = required("proposal", text, LINE_MAX)?;
    let raised_by = optional("raised by", raised_by, NAME_MAX)?;
    let priority = priority
        .map(|p| choice("priority", p, PRIORITIES))
        .transpose()?;
    let key = new_item_key();
    edit(doc, "proposal", |tx| {
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
    expect_editable(doc, DocKind::Minutes)?;
    edit(doc, "support", |tx| {
        let p = PROPOSALS.live(tx, proposal)?;
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
    expect_editable(doc, DocKind::Minutes)?;
    let what = required("what", what, LINE_MAX)?;
    let who = required("who", who, NAME_MAX)?;
    let due = due
        .map(|d| parse_date("due", d).map(|d| d.to_string()))
        .transpose()?;
    let key = new_item_key();
    edit(doc, "follow-up", |tx| {
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
    expect_editable(doc, DocKind::Minutes)?;
    let status = choice("status", status, FOLLOW_UP_STATUSES)?;
    edit(doc, "follow-up status", |tx| {
        let f = FOLLOW_UPS.live(tx, follow_up)?;
        tx.put(&f, "status", status.as_str())?;
        Ok(())
    })
}

// Corrections. Each is one change; see ARCHITECTURE.md ("Corrections and their concurrent
// semantics") for what each does when it meets a concurrent edit.

/// Remove an attendee recorded by mistake, as one change. `who` is their key, or their name
/// (with `dusun` when two attendees share the name). The entry is flagged, not deleted, so what
/// another device writes into it meanwhile is kept and reported (`MinutesView::removed`);
/// recording them again ([`attend`]) restores them. Returns their key.
pub fn remove_attendee(
    doc: &mut Automerge,
    who: &str,
    dusun: Option<&str>,
) -> Result<PersonKey, ModelError> {
    people::remove(doc, ATTENDEES, who, dusun)
}

/// Correct an attendee's name, gender or dusun, as one change; returns their key, which does not
/// change: recording them later by the corrected name, or by the old one, finds the same entry.
pub fn correct_attendee(
    doc: &mut Automerge,
    who: &str,
    dusun: Option<&str>,
    fix: &PersonCorrection,
) -> Result<PersonKey, ModelError> {
    people::correct(doc, ATTENDEES, who, dusun, fix)
}

/// A list of lines: the agenda or the decisions.
#[derive(Clone, Copy)]
struct Lines {
    list: &'static str,
    what: &'static str,
    removed_what: &'static str,
}

const AGENDA: Lines = Lines {
    list: "agenda",
    what: "agenda item",
    removed_what: "removed agenda item",
};

const DECISIONS: Lines = Lines {
    list: "decisions",
    what: "decision",
    removed_what: "removed decision",
};

impl Lines {
    /// Item `number` (from 1) as the view numbers them: among the live items, or among the
    /// removed ones (`removed`). Items without a text are not listed, so they are not counted.
    fn item(self, doc: &Automerge, number: u32, removed: bool) -> Result<ObjId, ModelError> {
        let mut matching = Vec::new();
        if let Some(list) = obj_at(doc, &ROOT, self.list, ObjType::List)? {
            for item in list_maps(doc, &list)? {
                if str_at(doc, &item, "text")?.is_some()
                    && removal::is_removed(doc, &item)? == removed
                {
                    matching.push(item);
                }
            }
        }
        let count = matching.len();
        usize::try_from(number)
            .ok()
            .and_then(|n| n.checked_sub(1))
            .and_then(|i| matching.into_iter().nth(i))
            .ok_or(ModelError::NoSuchItem {
                what: if removed {
                    self.removed_what
                } else {
                    self.what
                },
                number,
                place: "these minutes",
                count,
            })
    }

    fn edit(self, doc: &mut Automerge, number: u32, text: &str) -> Result<(), ModelError> {
        expect_editable(doc, DocKind::Minutes)?;
        let text = required(self.what, text, LINE_MAX)?;
        let item = self.item(doc, number, false)?;
        edit(doc, format!("edit {}", self.what), |tx| {
            if differs(tx, &item, "text", &text)? {
                tx.put(&item, "text", text.as_str())?;
            }
            Ok(())
        })
    }

    fn remove(self, doc: &mut Automerge, number: u32) -> Result<(), ModelError> {
        expect_editable(doc, DocKind::Minutes)?;
        let item = self.item(doc, number, false)?;
        edit(doc, format!("remove {}", self.what), |tx| {
            removal::remove(tx, &item)
        })
    }

    fn restore(self, doc: &mut Automerge, number: u32) -> Result<(), ModelError> {
        expect_editable(doc, DocKind::Minutes)?;
        let item = self.item(doc, number, true)?;
        edit(doc, format!("restore {}", self.what), |tx| {
            removal::restore(tx, &item)
        })
    }
}

/// Change the text of agenda item `number` (from 1, as `MinutesView::agenda` lists them), as one
/// change. The number is resolved on this replica, now; the edit then names the item itself, so
/// items added or removed on other devices meanwhile do not redirect it.
pub fn edit_agenda_item(doc: &mut Automerge, number: u32, text: &str) -> Result<(), ModelError> {
    AGENDA.edit(doc, number, text)
}

/// Remove agenda item `number` (as listed in `MinutesView::agenda`), as one change.
pub fn remove_agenda_item(doc: &mut Automerge, number: u32) -> Result<(), ModelError> {
    AGENDA.remove(doc, number)
}

/// Restore removed agenda item `number` (from 1, as listed in `MinutesView::removed.agenda`) to
/// its place, as one change.
pub fn restore_agenda_item(doc: &mut Automerge, number: u32) -> Result<(), ModelError> {
    AGENDA.restore(doc, number)
}

/// Change the text of decision `number` (as listed in `MinutesView::decisions`), as one change.
pub fn edit_decision(doc: &mut Automerge, number: u32, text: &str) -> Result<(), ModelError> {
    DECISIONS.edit(doc, number, text)
}

/// Remove decision `number` (as listed in `MinutesView::decisions`), as one change.
pub fn remove_decision(doc: &mut Automerge, number: u32) -> Result<(), ModelError> {
    DECISIONS.remove(doc, number)
}

/// Restore removed decision `number` (as listed in `MinutesView::removed.decisions`).
pub fn restore_decision(doc: &mut Automerge, number: u32) -> Result<(), ModelError> {
    DECISIONS.restore(doc, number)
}

/// A map of keyed items: the proposals or the follow-ups.
#[derive(Clone, Copy)]
struct Keyed {
    map: &'static str,
    what: &'static str,
}

const PROPOSALS: Keyed = Keyed {
    map: "proposals",
    what: "proposal",
};

const FOLLOW_UPS: Keyed = Keyed {
    map: "follow_ups",
    what: "follow-up",
};

impl Keyed {
    /// The item `key`, live or removed.
    fn item(self, doc: &impl ReadDoc, key: &str) -> Result<ObjId, ModelError> {
        obj_at(doc, &ROOT, self.map, ObjType::Map)?
            .map(|items| obj_at(doc, &items, key, ObjType::Map))
            .transpose()?
            .flatten()
            .ok_or_else(|| ModelError::NotFound {
                what: self.what,
                key: key.to_owned(),
            })
    }

    /// The item `key`, which must not be removed (edits of removed items are refused; see
    /// `removal.rs`).
    fn live(self, doc: &impl ReadDoc, key: &str) -> Result<ObjId, ModelError> {
        let item = self.item(doc, key)?;
        if removal::is_removed(doc, &item)? {
            return Err(ModelError::RemovedItem {
                what: self.what,
                key: key.to_owned(),
            });
        }
        Ok(item)
    }

    /// Write the fields that differ, as one change.
    fn edit(
        self,
        doc: &mut Automerge,
        key: &str,
        fields: &[(&'static str, Option<String>)],
    ) -> Result<(), ModelError> {
        let item = self.live(doc, key)?;
        edit(doc, format!("edit {}", self.what), |tx| {
            for (field, value) in fields {
                if let Some(v) = value
                    && differs(tx, &item, field, v)?
                {
                    tx.put(&item, *field, v.as_str())?;
                }
            }
            Ok(())
        })
    }

    fn remove(self, doc: &mut Automerge, key: &str) -> Result<(), ModelError> {
        expect_editable(doc, DocKind::Minutes)?;
        let item = self.live(doc, key)?;
        edit(doc, format!("remove {}", self.what), |tx| {
            removal::remove(tx, &item)
        })
    }

    fn restore(self, doc: &mut Automerge, key: &str) -> Result<(), ModelError> {
        expect_editable(doc, DocKind::Minutes)?;
        let item = self.item(doc, key)?;
        if !removal::is_removed(doc, &item)? {
            return Ok(());
        }
        edit(doc, format!("restore {}", self.what), |tx| {
            removal::restore(tx, &item)
        })
    }
}

/// Changes to a proposal; `None` leaves a field as it is. Validated as in [`add_proposal`].
#[derive(Clone, Debug, Default)]
pub struct ProposalEdit {
    pub text: Option<String>,
    pub raised_by: Option<String>,
    pub priority: Option<String>,
}

/// Edit a proposal's text, who raised it or its priority, as one change (its supporter count
/// changes only through [`support`]).
pub fn edit_proposal(
    doc: &mut Automerge,
    proposal: &str,
    change: &ProposalEdit,
) -> Result<(), ModelError> {
    expect_editable(doc, DocKind::Minutes)?;
    let fields = [
        (
            "text",
            change
                .text
                .as_deref()
                .map(|t| required("proposal", t, LINE_MAX))
                .transpose()?,
        ),
        (
            "raised_by",
            change
                .raised_by
                .as_deref()
                .map(|b| required("raised by", b, NAME_MAX))
                .transpose()?,
        ),
        (
            "priority",
            change
                .priority
                .as_deref()
                .map(|p| choice("priority", p, PRIORITIES))
                .transpose()?,
        ),
    ];
    if fields.iter().all(|(_, v)| v.is_none()) {
        return Err(ModelError::NothingToChange {
            options: "a new text, raised-by or priority",
        });
    }
    PROPOSALS.edit(doc, proposal, &fields)
}

/// Remove a proposal, as one change. It is flagged, not deleted: supporters counted on another
/// device meanwhile are kept and reported (`MinutesView::removed.proposals`).
pub fn remove_proposal(doc: &mut Automerge, proposal: &str) -> Result<(), ModelError> {
    PROPOSALS.remove(doc, proposal)
}

/// Restore a removed proposal, with its supporters (those counted concurrently included).
pub fn restore_proposal(doc: &mut Automerge, proposal: &str) -> Result<(), ModelError> {
    PROPOSALS.restore(doc, proposal)
}

/// Changes to a follow-up; `None` leaves a field as it is. Validated as in [`add_follow_up`]; the
/// status changes through [`set_follow_up_status`].
#[derive(Clone, Debug, Default)]
pub struct FollowUpEdit {
    pub what: Option<String>,
    pub who: Option<String>,
    pub due: Option<String>,
}

/// Edit a follow-up's action, who does it or its due date, as one change.
pub fn edit_follow_up(
    doc: &mut Automerge,
    follow_up: &str,
    change: &FollowUpEdit,
) -> Result<(), ModelError> {
    expect_editable(doc, DocKind::Minutes)?;
    let fields = [
        (
            "what",
            change
                .what
                .as_deref()
                .map(|w| required("what", w, LINE_MAX))
                .transpose()?,
        ),
        (
            "who",
            change
                .who
                .as_deref()
                .map(|w| required("who", w, NAME_MAX))
                .transpose()?,
        ),
        (
            "due",
            change
                .due
                .as_deref()
                .map(|d| parse_date("due", d).map(|d| d.to_string()))
                .transpose()?,
        ),
    ];
    if fields.iter().all(|(_, v)| v.is_none()) {
        return Err(ModelError::NothingToChange {
            options: "a new what, who or due date",
        });
    }
    FOLLOW_UPS.edit(doc, follow_up, &fields)
}

/// Remove a follow-up, as one change (flagged, not deleted, like a proposal).
pub fn remove_follow_up(doc: &mut Automerge, follow_up: &str) -> Result<(), ModelError> {
    FOLLOW_UPS.remove(doc, follow_up)
}

/// Restore a removed follow-up.
pub fn restore_follow_up(doc: &mut Automerge, follow_up: &str) -> Result<(), ModelError> {
    FOLLOW_UPS.restore(doc, follow_up)
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

/// An agenda item or a decision, as a removed entry shows it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Line {
    pub text: String,
}

/// What corrections removed from the minutes: kept in the document, listed apart. The lists of
/// [`MinutesView`] hold only live entries. Agenda items and decisions are numbered from 1 in the
/// order listed here (for [`restore_agenda_item`], [`restore_decision`]).
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct RemovedFromMinutes {
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub attendees: Vec<Removed<Attendee>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub agenda: Vec<Removed<Line>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub proposals: Vec<Removed<Proposal>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub decisions: Vec<Removed<Line>>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub follow_ups: Vec<Removed<FollowUp>>,
}

impl RemovedFromMinutes {
    pub fn is_empty(&self) -> bool {
        self.attendees.is_empty()
            && self.agenda.is_empty()
            && self.proposals.is_empty()
            && self.decisions.is_empty()
            && self.follow_ups.is_empty()
    }
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
    /// Archived ([`super::archive`]): read as before, edits refused until unarchived.
    pub archived: bool,
    /// Live attendees only (removed ones are in `removed`); likewise the lists below.
    pub attendees: Vec<Attendee>,
    pub agenda: Vec<String>,
    pub proposals: Vec<Proposal>,
    pub decisions: Vec<String>,
    pub follow_ups: Vec<FollowUp>,
    pub notes: String,
    /// What corrections removed; only in the JSON when not empty.
    #[serde(skip_serializing_if = "RemovedFromMinutes::is_empty")]
    pub removed: RemovedFromMinutes,
    /// Fields two devices set to different values: path → the values that lost. Also, under
    /// `removed.<section>.<key or number>`, what was written into a removed entry on a device that
    /// had not seen the removal, and under `<section>.<key or number>.removed`, removals that
    /// lost to a concurrent restore.
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
    super::expect_kind(doc, DocKind::Minutes)?;
    let village = str_at(doc, &ROOT, "village")?.unwrap_or_default();
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
    // Read through `scalar` for its conflict (archived on one device, unarchived on another).
    text(&mut c, "archived")?;
    let archived = super::is_archived(doc)?;

    let mut attendees = Sorted::default();
    if let Some(obj) = obj_at(doc, &ROOT, "attendees", ObjType::Map)? {
        for key in map_keys(doc, &obj) {
            record_duplicate_entries(doc, &obj, &key, "attendees", &mut c)?;
            let Some(a) = obj_at(doc, &obj, &key, ObjType::Map)? else {
                continue;
            };
            let path = |f: &str| format!("attendees.{key}.{f}");
            let attendee = Attendee {
                name: c
                    .scalar(doc, &a, "name", || path("name"))?
                    .unwrap_or_default(),
                gender: c.scalar(doc, &a, "gender", || path("gender"))?,
                dusun: c.scalar(doc, &a, "dusun", || path("dusun"))?,
                role: c.scalar(doc, &a, "role", || path("role"))?,
                key: key.clone(),
            };
            let state = removal::state(doc, &a)?;
            attendees.push(
                doc,
                &a,
                state,
                attendee,
                &format!("attendees.{key}"),
                &mut c,
            )?;
        }
    }
    let agenda = lines(doc, AGENDA, &mut c)?;
    let decisions = lines(doc, DECISIONS, &mut c)?;

    let mut proposals = Sorted::default();
    if let Some(obj) = obj_at(doc, &ROOT, "proposals", ObjType::Map)? {
        for key in map_keys(doc, &obj) {
            let Some(p) = obj_at(doc, &obj, &key, ObjType::Map)? else {
                continue;
            };
            let path = |f: &str| format!("proposals.{key}.{f}");
            let proposal = Proposal {
                text: c
                    .scalar(doc, &p, "text", || path("text"))?
                    .unwrap_or_default(),
                raised_by: c.scalar(doc, &p, "raised_by", || path("raised_by"))?,
                priority: c.scalar(doc, &p, "priority", || path("priority"))?,
                support: super::fields::int_at(doc, &p, "support")?.unwrap_or(0),
                key: key.clone(),
            };
            let state = removal::state(doc, &p)?;
            proposals.push(
                doc,
                &p,
                state,
                proposal,
                &format!("proposals.{key}"),
                &mut c,
            )?;
        }
    }
    let mut follow_ups = Sorted::default();
    if let Some(obj) = obj_at(doc, &ROOT, "follow_ups", ObjType::Map)? {
        for key in map_keys(doc, &obj) {
            let Some(f) = obj_at(doc, &obj, &key, ObjType::Map)? else {
                continue;
            };
            let path = |field: &str| format!("follow_ups.{key}.{field}");
            let follow_up = FollowUp {
                what: c
                    .scalar(doc, &f, "what", || path("what"))?
                    .unwrap_or_default(),
                who: c.scalar(doc, &f, "who", || path("who"))?,
                due: c.scalar(doc, &f, "due", || path("due"))?,
                status: c.scalar(doc, &f, "status", || path("status"))?,
                key: key.clone(),
            };
            let state = removal::state(doc, &f)?;
            follow_ups.push(
                doc,
                &f,
                state,
                follow_up,
                &format!("follow_ups.{key}"),
                &mut c,
            )?;
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
        archived,
        attendees: attendees.live,
        agenda: agenda.live.into_iter().map(|l| l.text).collect(),
        proposals: proposals.live,
        decisions: decisions.live.into_iter().map(|l| l.text).collect(),
        follow_ups: follow_ups.live,
        notes,
        removed: RemovedFromMinutes {
            attendees: attendees.removed,
            agenda: agenda.removed,
            proposals: proposals.removed,
            decisions: decisions.removed,
            follow_ups: follow_ups.removed,
        },
        conflicts: c,
        id_mismatch,
    })
}

/// The items of a list of lines with a text (others are not shown), live and removed, each
/// numbered from 1 in its own list: conflicting texts are reported as `agenda.<n>.text` or
/// `removed.agenda.<n>.text`.
fn lines(doc: &Automerge, lines: Lines, c: &mut Conflicts) -> Result<Sorted<Line>, ModelError> {
    let mut out = Sorted::default();
    let Some(list) = obj_at(doc, &ROOT, lines.list, ObjType::List)? else {
        return Ok(out);
    };
    for item in list_maps(doc, &list)? {
        let state = removal::state(doc, &item)?;
        let path = format!("{}.{}", lines.list, out.next_number(&state));
        let text_path = match state {
            State::Live { .. } => format!("{path}.text"),
            State::Removed { .. } => format!("removed.{path}.text"),
        };
        // Read the text without reporting first: an item without one is not listed at all.
        if str_at(doc, &item, "text")?.is_none() {
            continue;
        }
        let text = c
            .scalar(doc, &item, "text", || text_path)?
            .unwrap_or_default();
        out.push(doc, &item, state, Line { text }, &path, c)?;
    }
    Ok(out)
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
    use crate::model::Gender;
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
            "archived",
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
        assert_eq!(
            keys, expected,
            "no id_mismatch or removed key when there is none"
        );
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
            tx.put(ROOT, "schema", super::super::SCHEMA_CORRECTIONS + 1)?;
            Ok(())
        })
        .expect("bump schema");
        assert!(matches!(
            view(&id(), &doc),
            Err(ModelError::NewerSchema { .. })
        ));
    }
}
