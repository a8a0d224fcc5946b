//! Typed views over Balai's automerge documents: forum minutes and trainings, with validation.
//!
//! Every document is an automerge map with a `kind` and a `schema` version. People are keyed by
//! [`PersonKey`] so two devices recording the same person merge into one entry, and two devices
//! recording different people both keep theirs. Scalar fields that two devices set differently
//! stay conflicted in automerge; the views surface every losing value in `conflicts`.
//!
//! **Identity comes from the id.** A document's kind and village are those of its [`DocId`]
//! (`KIND/VILLAGE/ULID`), which is what access control decides on. The content also carries
//! `kind` and `village`, but anyone who can write the document can write those: the views
//! ([`minutes::view`], [`training::view`], [`summarize`]) take the id and never read the village
//! from the content; content values of `kind`/`village` that disagree with the id are ignored and
//! listed in the view's `id_mismatch`, and content whose `kind` is not the id's kind is refused
//! with [`ModelError::KindMismatch`].
//!
//! **Corrections** (removing a person or an entry, correcting a person's details, undoing a
//! check-in, editing entries, adding sessions, archiving) are each one change. Removal flags an
//! entry instead of deleting it ([`Removed`], `removal.rs`), so what another device writes into it
//! concurrently is kept and reported; people keep the key they were first filed under when their
//! name or dusun is corrected (`people.rs`). ARCHITECTURE.md ("Corrections and their concurrent
//! semantics") says what each correction does when it meets concurrent edits.

pub mod authors;
mod fields;
pub mod minutes;
mod people;
mod removal;
pub mod training;

use std::fmt;
use std::str::FromStr;

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ROOT, ReadDoc, ScalarValue, Value};
use serde::Serialize;

use crate::ids::{DocId, DocKind};

pub use fields::Conflicts;
pub use removal::Removed;

/// The schema version `create` writes. A document keeps it until its first correction that an
/// older build would misread, so documents nobody corrected stay readable by builds that predate
/// corrections.
pub const SCHEMA_VERSION: i64 = 1;

/// The schema of a document carrying corrections that a build reading only
/// [`SCHEMA_VERSION`] would misread: removed entries (it would show them), a person whose name or
/// dusun was corrected (it would file them again under a new key), sessions added later (it
/// would skip them), the archive flag (it would let the document be edited). The change making
/// such a correction raises `schema` to this, so older builds refuse the document ("upgrade
/// balai") instead. The newest schema this build reads.
pub const SCHEMA_CORRECTIONS: i64 = 2;

/// Why an edit or a read was refused.
#[derive(Debug, thiserror::Error)]
pub enum ModelError {
    #[error("{field} must not be empty")]
    Empty { field: &'static str },
    #[error("{field} is too long ({len} characters, at most {max})")]
    TooLong {
        field: &'static str,
        len: usize,
        max: usize,
    },
    #[error(
        "{field} holds a control character (U+{code:04X}); type plain text (a note may hold line breaks)"
    )]
    ControlCharacter { field: &'static str, code: u32 },
    #[error("`{value}` is not a valid date for {field}: use YYYY-MM-DD, e.g. 2026-11-29")]
    BadDate { field: &'static str, value: String },
    #[error("`{value}` is not a gender: use `f` (perempuan) or `m` (laki-laki)")]
    BadGender { value: String },
    #[error("`{value}` is not a valid {field}; expected one of: {expected}")]
    BadChoice {
        field: &'static str,
        value: String,
        expected: &'static str,
    },
    #[error("this document is a {found}, not a {expected}")]
    WrongKind { expected: DocKind, found: String },
    /// The content's `kind` is not the kind in the document's id. The id decides what a document
    /// is; content written for another kind is not shown as this one.
    #[error(
        "document {id} is a {id_kind} according to its id, but its content says kind `{content_kind}`: it was not written as a {id_kind} (by a faulty or hostile device) and is not shown"
    )]
    KindMismatch {
        id: String,
        id_kind: DocKind,
        content_kind: String,
    },
    #[error(
        "this document has schema version {found}; this build understands up to {SCHEMA_CORRECTIONS}: upgrade balai"
    )]
    NewerSchema { found: i64 },
    #[error(
        "the document is empty or was never created (it may still be on its way from another device)"
    )]
    NotCreated,
    #[error("{what} `{key}` does not exist in this document")]
    NotFound { what: &'static str, key: String },
    #[error("session {session} does not exist: this training has sessions 1 to {count}")]
    NoSuchSession { session: u32, count: u32 },
    #[error("{count} people named `{name}` are recorded ({keys}); add --dusun to say which one")]
    AmbiguousPerson {
        name: String,
        count: usize,
        keys: String,
    },
    #[error(
        "no {what} `{who}` in {place}: name them as recorded (name, and dusun if there are two), or by key; {known}"
    )]
    NoSuchPerson {
        what: &'static str,
        who: String,
        place: &'static str,
        known: String,
    },
    #[error("{what} `{key}` was removed from {place}: {restore} to bring them back")]
    Removed {
        what: &'static str,
        key: String,
        place: &'static str,
        restore: &'static str,
    },
    #[error(
        "`{name}` is already recorded as `{key}`: if they are the same person, remove one of the two entries instead"
    )]
    PersonExists { name: String, key: String },
    #[error(
        "there is no {what} {number} in {place} (there are {count}, numbered from 1 in the order the document lists them)"
    )]
    NoSuchItem {
        what: &'static str,
        number: u32,
        place: &'static str,
        count: usize,
    },
    #[error("{what} `{key}` was removed: restore it first")]
    RemovedItem { what: &'static str, key: String },
    #[error("nothing to change: give {options}")]
    NothingToChange { options: &'static str },
    #[error("`{key}` is not checked in to session {session}")]
    NotCheckedIn { key: String, session: u32 },
    #[error("a training has at most {max} sessions")]
    TooManySessions { max: usize },
    #[error("this document is archived: unarchive it to change it")]
    Archived,
    #[error("document data is damaged: {0}")]
    Automerge(#[from] automerge::AutomergeError),
}

/// Gender as recorded in attendance lists (the forms used in the field have two boxes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Gender {
    F,
    M,
}

impl Gender {
    pub fn as_str(self) -> &'static str {
        match self {
            Gender::F => "f",
            Gender::M => "m",
        }
    }
}

impl FromStr for Gender {
    type Err = ModelError;

    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "f" | "p" | "female" | "perempuan" | "w" | "wanita" => Ok(Gender::F),
            "m" | "l" | "male" | "laki-laki" | "pria" => Ok(Gender::M),
            _ => Err(ModelError::BadGender {
                value: s.to_owned(),
            }),
        }
    }
}

impl fmt::Display for Gender {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// A person as entered on a device.
#[derive(Clone, Debug, Default)]
pub struct Person {
    pub name: String,
    pub gender: Option<Gender>,
    pub dusun: Option<String>,
}

/// A correction to a recorded person's details; `None` leaves a field as it is. The person keeps
/// the key they were filed under (see [`minutes::correct_attendee`]).
#[derive(Clone, Debug, Default)]
pub struct PersonCorrection {
    pub name: Option<String>,
    pub gender: Option<Gender>,
    pub dusun: Option<String>,
}

/// The key a person is filed under: their name and hamlet (*dusun*), normalised, so "Siti  Aminah"
/// and "siti aminah" from the same dusun are one person, and two people called Siti Aminah from
/// different dusun are two.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct PersonKey(String);

impl PersonKey {
    pub fn of(name: &str, dusun: Option<&str>) -> Self {
        let mut key = slug(name);
        if let Some(d) = dusun.map(slug).filter(|d| !d.is_empty()) {
            key.push('@');
            key.push_str(&d);
        }
        Self(key)
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

fn slug(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for word in s
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
    {
        if !out.is_empty() {
            out.push('-');
        }
        out.extend(word.chars().flat_map(char::to_lowercase));
    }
    out
}

/// Trim and check a required text field.
pub(crate) fn required(field: &'static str, value: &str, max: usize) -> Result<String, ModelError> {
    let v = value.trim();
    if v.is_empty() {
        return Err(ModelError::Empty { field });
    }
    let len = v.chars().count();
    if len > max {
        return Err(ModelError::TooLong { field, len, max });
    }
    // Terminal escapes (and other C0/C1 controls) typed on one device would reach every other
    // device's terminal through `balai show`; only a note's line breaks and tabs are text.
    let allowed = |c: char| field == "note" && matches!(c, '\n' | '\t');
    if let Some(c) = v.chars().find(|c| c.is_control() && !allowed(*c)) {
        return Err(ModelError::ControlCharacter {
            field,
            code: u32::from(c),
        });
    }
    Ok(v.to_owned())
}

/// Trim an optional text field; blank means absent.
pub(crate) fn optional(
    field: &'static str,
    value: Option<&str>,
    max: usize,
) -> Result<Option<String>, ModelError> {
    match value.map(str::trim).filter(|v| !v.is_empty()) {
        None => Ok(None),
        Some(v) => required(field, v, max).map(Some),
    }
}

/// Check a `YYYY-MM-DD` date.
pub fn parse_date(field: &'static str, value: &str) -> Result<jiff::civil::Date, ModelError> {
    let v = value.trim();
    // jiff accepts only the strict ISO form for `Date`, which is what the field forms use.
    v.parse::<jiff::civil::Date>()
        .ok()
        .filter(|_| v.len() == 10)
        .ok_or_else(|| ModelError::BadDate {
            field,
            value: value.to_owned(),
        })
}

/// Limits on free-text fields: generous, but a bound keeps a typo (a pasted file) from bloating
/// every replica forever.
pub(crate) const NAME_MAX: usize = 120;
pub(crate) const LINE_MAX: usize = 500;
pub(crate) const NOTE_MAX: usize = 20_000;

/// The `kind` the content claims (the winning value), checking the schema version: no `kind`
/// means the document was never created here; a `schema` above [`SCHEMA_CORRECTIONS`] is refused
/// (a missing or non-integer `schema` reads as 0).
fn content_kind(doc: &Automerge) -> Result<String, ModelError> {
    let kind = fields::str_at(doc, &ROOT, "kind")?.ok_or(ModelError::NotCreated)?;
    let schema = fields::int_at(doc, &ROOT, "schema")?.unwrap_or(0);
    if schema > SCHEMA_CORRECTIONS {
        return Err(ModelError::NewerSchema { found: schema });
    }
    Ok(kind)
}

/// Which kind a document's *content* says it is, checking the schema version. This is a claim,
/// not the document's identity: the id's kind ([`DocId::kind`]) is what counts, and the views
/// refuse content whose claim differs from it.
pub fn kind_of(doc: &Automerge) -> Result<DocKind, ModelError> {
    let kind = content_kind(doc)?;
    kind.parse().map_err(|_| ModelError::WrongKind {
        expected: DocKind::Minutes,
        found: kind,
    })
}

/// For edits (which have no id): the content must say it is `expected`.
fn expect_kind(doc: &Automerge, expected: DocKind) -> Result<(), ModelError> {
    let found = content_kind(doc)?;
    if found != expected.as_str() {
        return Err(ModelError::WrongKind { expected, found });
    }
    Ok(())
}

/// For edits: the content must say it is `expected`, and the document must not be archived.
fn expect_editable(doc: &Automerge, expected: DocKind) -> Result<(), ModelError> {
    expect_kind(doc, expected)?;
    if is_archived(doc)? {
        return Err(ModelError::Archived);
    }
    Ok(())
}

/// Raise the document's `schema` to at least `version`, in the caller's change (see
/// [`SCHEMA_CORRECTIONS`]). Devices raising it concurrently write the same value.
fn require_schema(tx: &mut Transaction<'_>, version: i64) -> Result<(), ModelError> {
    if fields::int_at(tx, &ROOT, "schema")?.unwrap_or(0) < version {
        tx.put(ROOT, "schema", version)?;
    }
    Ok(())
}

/// Is the document archived? The winning value of the root `archived` flag (absent: no).
pub fn is_archived(doc: &impl ReadDoc) -> Result<bool, ModelError> {
    Ok(matches!(
        doc.get(ROOT, "archived")?,
        Some((Value::Scalar(s), _)) if matches!(s.as_ref(), ScalarValue::Boolean(true))
    ))
}

/// Archive a document (either kind), as one change: it stays, syncs and reads as before (views
/// say `archived`), but edits are refused ([`ModelError::Archived`]) until [`unarchive`]. An edit
/// made concurrently on a device that had not seen the archiving is kept like any other.
/// Returns whether anything changed (archiving an archived document does nothing).
pub fn archive(doc: &mut Automerge) -> Result<bool, ModelError> {
    set_archived(doc, true)
}

/// Undo [`archive`], as one change. Returns whether anything changed.
pub fn unarchive(doc: &mut Automerge) -> Result<bool, ModelError> {
    set_archived(doc, false)
}

fn set_archived(doc: &mut Automerge, archived: bool) -> Result<bool, ModelError> {
    content_kind(doc)?;
    if is_archived(doc)? == archived {
        return Ok(false);
    }
    let message = if archived { "archive" } else { "unarchive" };
    edit(doc, message.to_owned(), |tx| {
        tx.put(ROOT, "archived", archived)?;
        require_schema(tx, SCHEMA_CORRECTIONS)?;
        Ok(true)
    })
}

/// Check a document against its id before a view of kind `expected` is built from it.
///
/// - The id must be of kind `expected` (else [`ModelError::WrongKind`]: the caller picked the
///   wrong view).
/// - The content must exist ([`ModelError::NotCreated`]), have a supported `schema`
///   ([`ModelError::NewerSchema`]), and its winning `kind` must be the id's kind (else
///   [`ModelError::KindMismatch`]).
///
/// Returns the content's values of `kind` and `village` (winning and concurrent ones) that
/// disagree with the id: field → values. The view ignores them and reports them as
/// `id_mismatch`.
pub(crate) fn check_identity(
    id: &DocId,
    doc: &Automerge,
    expected: DocKind,
) -> Result<Conflicts, ModelError> {
    if id.kind() != expected {
        return Err(ModelError::WrongKind {
            expected,
            found: id.kind().to_string(),
        });
    }
    let claimed = content_kind(doc)?;
    if claimed != id.kind().as_str() {
        return Err(ModelError::KindMismatch {
            id: id.to_string(),
            id_kind: id.kind(),
            content_kind: claimed,
        });
    }
    let mut mismatch = Conflicts::default();
    for (field, truth) in [
        ("kind", id.kind().as_str()),
        ("village", id.village().as_str()),
    ] {
        let wrong: Vec<String> = fields::all_values(doc, &ROOT, field)?
            .into_iter()
            .filter(|v| v != truth)
            .collect();
        if !wrong.is_empty() {
            mismatch.0.insert(field.to_owned(), wrong);
        }
    }
    Ok(mismatch)
}

/// A short summary for listings, without building the whole view.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub kind: DocKind,
    pub title: String,
    pub date: Option<String>,
    pub people: usize,
    /// Archived ([`archive`]): listings may leave it out.
    pub archived: bool,
}

impl Serialize for DocKind {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.serialize_str(self.as_str())
    }
}

/// Summarise any Balai document for `balai list`. The kind is the id's (see [`minutes::view`]
/// and [`training::view`] for what happens when the content disagrees).
pub fn summarize(id: &DocId, doc: &Automerge) -> Result<Summary, ModelError> {
    match id.kind() {
        DocKind::Minutes => {
            let v = minutes::view(id, doc)?;
            Ok(Summary {
                kind: DocKind::Minutes,
                title: v.title,
                date: Some(v.date),
                people: v.attendees.len(),
                archived: v.archived,
            })
        }
        DocKind::Training => {
            let v = training::view(id, doc)?;
            let first = v.sessions.first().map(|s| s.date.clone());
            Ok(Summary {
                kind: DocKind::Training,
                title: v.topic,
                date: first,
                people: v.participants.len(),
                archived: v.archived,
            })
        }
    }
}

/// Does the document hold anything yet? (A replica that has only seen an offer is empty.)
pub fn is_created(doc: &Automerge) -> bool {
    doc.get(ROOT, "kind").ok().flatten().is_some()
}

/// Run one edit as one automerge change, stamped with the wall-clock time and a message naming
/// the kind of edit (`check-in`, `edit agenda item`). Who made it is the change's actor, when is
/// its time, and what it did are its operations: the message repeats none of them (it used to
/// carry names and whole paragraphs of notes, over a third of a training's bytes), and a short
/// message repeated across a document's changes costs a run in automerge's message column.
pub(crate) fn edit<O>(
    doc: &mut Automerge,
    message: impl Into<String>,
    f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<O, ModelError>,
) -> Result<O, ModelError> {
    let time = jiff::Timestamp::now().as_second();
    doc.transact_with(
        |_| {
            automerge::transaction::CommitOptions::default()
                .with_message(message.into())
                .with_time(time)
        },
        f,
    )
    .map(|ok| ok.result)
    .map_err(|failed| failed.error)
}

/// Short random keys for list-like records (proposals, follow-ups) that devices add concurrently.
pub(crate) fn new_item_key() -> String {
    let id = ulid::Ulid::new().to_string();
    // The last 8 characters are random; 40 bits is plenty within one document and easy to type.
    id[id.len() - 8..].to_ascii_lowercase()
}

#[cfg(test)]
mod corrections_tests;

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn person_keys_normalise_but_keep_dusun_apart() {
        assert_eq!(
            PersonKey::of("  Siti   Aminah ", None),
            PersonKey::of("siti aminah", None)
        );
        assert_eq!(
            PersonKey::of("Siti Aminah", Some("Dusun II")).as_str(),
            "siti-aminah@dusun-ii"
        );
        assert_ne!(
            PersonKey::of("Siti Aminah", Some("Dusun I")),
            PersonKey::of("Siti Aminah", Some("Dusun II"))
        );
    }

    #[test]
    fn person_keys_match_docs_protocol_md() {
        // The examples in docs/PROTOCOL.md ("Person keys"): keep them true.
        for (name, dusun, key) in [
            ("  Siti   Aminah ", None, "siti-aminah"),
            ("Siti Aminah", Some("Dusun II"), "siti-aminah@dusun-ii"),
            ("Made Wirawan", Some("I"), "made-wirawan@i"),
            ("Made Wirawan", Some("II"), "made-wirawan@ii"),
            ("Ni'mah", None, "ni-mah"),
            ("Siti", Some("  "), "siti"),
        ] {
            assert_eq!(
                PersonKey::of(name, dusun).as_str(),
                key,
                "{name:?} {dusun:?}"
            );
        }
    }

    #[test]
    fn dates_and_genders_are_validated() {
        assert!(parse_date("date", "2026-11-29").is_ok());
        for bad in ["2026-02-30", "29-11-2026", "2026-1-2", "", "tomorrow"] {
            assert!(parse_date("date", bad).is_err(), "{bad:?}");
        }
        assert_eq!("P".parse::<Gender>().ok(), Some(Gender::F));
        assert_eq!("l".parse::<Gender>().ok(), Some(Gender::M));
        assert!("x".parse::<Gender>().is_err());
    }

    #[test]
    fn required_fields_reject_blank_and_huge() {
        assert!(matches!(
            required("name", "   ", 10),
            Err(ModelError::Empty { .. })
        ));
        assert!(matches!(
            required("name", "abcdefghijk", 10),
            Err(ModelError::TooLong { .. })
        ));
        assert_eq!(required("name", " Ani ", 10).ok().as_deref(), Some("Ani"));
        assert!(matches!(
            required("name", "Ani\u{1b}]52;c;aGk=\u{7}", 40),
            Err(ModelError::ControlCharacter { code: 0x1b, .. })
        ));
        assert!(matches!(
            required("title", "two\nlines", 40),
            Err(ModelError::ControlCharacter { code: 0x0a, .. })
        ));
        assert_eq!(
            required("note", "Line one\nline two\tend", 40)
                .ok()
                .as_deref(),
            Some("Line one\nline two\tend")
        );
    }
}
