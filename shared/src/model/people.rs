//! People in an attendee or participant map: finding the entry a name means (by the key it is
//! filed under, by the person's current name and dusun, which a correction may have changed since
//! the key was made, or by name alone), recording them, and correcting or removing them.
//!
//! **The key is the person's identity.** An entry stays under the [`PersonKey`] it was filed
//! under when first recorded; correcting the name or dusun rewrites the entry's fields, never its
//! key. Moving the entry to the new key would fork it: a device that had not seen the move would
//! keep writing into the old entry, and check-ins (which name people by key) would have to be
//! moved too, racing with new ones. So lookups find a person by their *current* identity
//! (`PersonKey::of` the entry's name and dusun) first, and by the key second: the name they had
//! when recorded still finds them, without undoing the correction.

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ObjId, ObjType, ROOT};

use super::fields::{differs, map_keys, obj_at, str_at};
use super::removal;
use super::{
    Gender, ModelError, NAME_MAX, PersonCorrection, PersonKey, SCHEMA_CORRECTIONS, edit,
    expect_editable, optional, require_schema, required,
};
use crate::ids::DocKind;

/// A person is named by a name or a key; a key is a name's and a dusun's slug joined by `@`.
const WHO_MAX: usize = 2 * NAME_MAX + 1;

/// Which map of people, in the words messages use.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Roll {
    /// The document's kind (edits check it).
    pub kind: DocKind,
    /// The map's key at the root: `attendees`, `participants`.
    pub map: &'static str,
    /// One person on it: `attendee`, `participant`.
    pub what: &'static str,
    /// The document: `these minutes`, `this training`.
    pub place: &'static str,
    /// How a removed person comes back: `record them again (attend)`.
    pub restore: &'static str,
}

impl Roll {
    pub(crate) fn obj(self, doc: &Automerge) -> Result<ObjId, ModelError> {
        obj_at(doc, &ROOT, self.map, ObjType::Map)?.ok_or(ModelError::NotCreated)
    }

    fn removed(self, key: &PersonKey) -> ModelError {
        ModelError::Removed {
            what: self.what,
            key: key.as_str().to_owned(),
            place: self.place,
            restore: self.restore,
        }
    }
}

/// A person's entry, as the lookups see it.
#[derive(Clone, Debug)]
pub(crate) struct Entry {
    /// The key the entry is filed under (fixed when the person was first recorded).
    pub key: PersonKey,
    pub obj: ObjId,
    /// `PersonKey::of` the entry's current (winning) name and dusun: its key, unless a correction
    /// changed them.
    pub identity: PersonKey,
    pub removed: bool,
}

/// Every entry of the map, in key order.
fn entries(doc: &Automerge, people: &ObjId) -> Result<Vec<Entry>, ModelError> {
    let mut out = Vec::new();
    for key in map_keys(doc, people) {
        let Some(obj) = obj_at(doc, people, &key, ObjType::Map)? else {
            continue;
        };
        let identity = match str_at(doc, &obj, "name")? {
            Some(name) => PersonKey::of(&name, str_at(doc, &obj, "dusun")?.as_deref()),
            None => PersonKey(key.clone()),
        };
        out.push(Entry {
            removed: removal::is_removed(doc, &obj)?,
            key: PersonKey(key),
            obj,
            identity,
        });
    }
    Ok(out)
}

/// The entry recording the person `key` (`PersonKey::of` a name and dusun) goes to:
/// 1. one whose current name and dusun are these: live before removed, then the one filed under
///    `key` itself, then the first by key (two entries can come to share a name through
///    concurrent corrections; both stay listed);
/// 2. else the one filed under `key` whose person was renamed since (`former_name`).
fn pick_for_record(all: &[Entry], key: &PersonKey) -> Option<(usize, bool)> {
    let current = all
        .iter()
        .enumerate()
        .filter(|(_, e)| e.identity == *key)
        .min_by_key(|(_, e)| (e.removed, e.key != *key))
        .map(|(i, _)| (i, false));
    current.or_else(|| all.iter().position(|e| e.key == *key).map(|i| (i, true)))
}

/// The name part of a key (before the `@` and dusun).
fn name_part(key: &PersonKey) -> &str {
    key.as_str().split('@').next().unwrap_or_default()
}

/// The entry `name` alone means: a person whose current name it is (live before removed), else
/// one filed under it whose person was renamed since. Several equally good matches are
/// [`ModelError::AmbiguousPerson`].
fn pick_by_name(all: &[Entry], name: &str) -> Result<Option<usize>, ModelError> {
    let wanted = PersonKey::of(name, None);
    if wanted.as_str().is_empty() {
        return Ok(None);
    }
    let wanted = wanted.as_str();
    let current = |e: &Entry| name_part(&e.identity) == wanted;
    // By current name first, live before removed; then by the name the entry was filed under.
    for (by_current, removed) in [(true, false), (true, true), (false, false), (false, true)] {
        let tier: Vec<usize> = (0..all.len())
            .filter(|&i| {
                let e = &all[i];
                e.removed == removed
                    && if by_current {
                        current(e)
                    } else {
                        !current(e) && name_part(&e.key) == wanted
                    }
            })
            .collect();
        match tier.as_slice() {
            [] => continue,
            [one] => return Ok(Some(*one)),
            many => {
                return Err(ModelError::AmbiguousPerson {
                    name: name.to_owned(),
                    count: many.len(),
                    keys: many
                        .iter()
                        .map(|&i| all[i].key.as_str())
                        .collect::<Vec<_>>()
                        .join(", "),
                });
            }
        }
    }
    Ok(None)
}

/// Where recording a person goes.
#[derive(Clone, Debug)]
pub(crate) enum Target {
    /// An entry for this person exists (it may be removed). `former_name`: it was found by the
    /// key it was filed under, not by its current name and dusun, which a correction changed, so
    /// recording must not write the old ones back.
    Existing { entry: Entry, former_name: bool },
    /// Nobody by this name (and dusun) yet: a new entry under this key.
    New(PersonKey),
}

/// Where recording `name` from `dusun` goes ([`pick_for_record`]).
pub(crate) fn target(
    doc: &Automerge,
    people: &ObjId,
    name: &str,
    dusun: Option<&str>,
) -> Result<Target, ModelError> {
    let key = PersonKey::of(name, dusun);
    if key.as_str().is_empty() {
        return Err(ModelError::Empty { field: "name" });
    }
    let mut all = entries(doc, people)?;
    Ok(match pick_for_record(&all, &key) {
        Some((i, former_name)) => Target::Existing {
            entry: all.swap_remove(i),
            former_name,
        },
        None => Target::New(key),
    })
}

/// Where a check-in by `name` alone goes: the one person that name means ([`pick_by_name`]),
/// else a new entry under the name's key.
pub(crate) fn target_by_name(
    doc: &Automerge,
    people: &ObjId,
    name: &str,
) -> Result<Target, ModelError> {
    let mut all = entries(doc, people)?;
    Ok(match pick_by_name(&all, name)? {
        Some(i) => Target::Existing {
            entry: all.swap_remove(i),
            former_name: false,
        },
        None => {
            let key = PersonKey::of(name, None);
            if key.as_str().is_empty() {
                return Err(ModelError::Empty { field: "name" });
            }
            Target::New(key)
        }
    })
}

/// The recorded person `who` means, live or removed: a key exactly as filed (when no dusun is
/// given), a name and dusun ([`pick_for_record`]), or a name alone ([`pick_by_name`]).
fn find_recorded(
    doc: &Automerge,
    people: &ObjId,
    roll: Roll,
    who: &str,
    dusun: Option<&str>,
) -> Result<Entry, ModelError> {
    let mut all = entries(doc, people)?;
    let found = match dusun {
        None => match all.iter().position(|e| e.key.as_str() == who) {
            Some(i) => Some(i),
            None => pick_by_name(&all, who)?,
        },
        Some(d) => pick_for_record(&all, &PersonKey::of(who, Some(d))).map(|(i, _)| i),
    };
    match found {
        Some(i) => Ok(all.swap_remove(i)),
        None => Err(ModelError::NoSuchPerson {
            what: roll.what,
            who: match dusun {
                Some(d) => format!("{who} (dusun {d})"),
                None => who.to_owned(),
            },
            place: roll.place,
            known: known_keys(&all),
        }),
    }
}

/// The live keys, for an error message: a few of them, and how many there are.
fn known_keys(all: &[Entry]) -> String {
    const SHOWN: usize = 8;
    let live: Vec<&str> = all
        .iter()
        .filter(|e| !e.removed)
        .map(|e| e.key.as_str())
        .collect();
    match live.len() {
        0 => "nobody is recorded yet".to_owned(),
        n if n <= SHOWN => format!("recorded: {}", live.join(", ")),
        n => format!("recorded: {}, … ({n} in all)", live[..SHOWN].join(", ")),
    }
}

/// Details to write into an entry; `None` leaves a field as it is.
#[derive(Clone, Copy, Debug, Default)]
pub(crate) struct Details<'a> {
    pub name: Option<&'a str>,
    pub gender: Option<Gender>,
    pub dusun: Option<&'a str>,
}

/// Write the details that differ from the entry's (winning) values; returns the fields written.
/// An unchanged re-put would still be a new op, conflicting with a concurrent edit from another
/// device for no reason.
pub(crate) fn write_details(
    tx: &mut Transaction<'_>,
    entry: &ObjId,
    d: &Details<'_>,
) -> Result<Vec<&'static str>, ModelError> {
    let mut written = Vec::new();
    for (field, value) in [
        ("name", d.name),
        ("gender", d.gender.map(Gender::as_str)),
        ("dusun", d.dusun),
    ] {
        if let Some(v) = value
            && differs(tx, entry, field, v)?
        {
            tx.put(entry, field, v)?;
            written.push(field);
        }
    }
    Ok(written)
}

/// Record a person at `target` in the caller's change: restore a removed entry (with the details
/// it has, concurrent edits included), or make a new one; then write `details`, except the name
/// and dusun of a person found by a former name. Returns the key and whether the person was
/// added to the live list (new or restored) rather than already on it.
pub(crate) fn record(
    tx: &mut Transaction<'_>,
    people: &ObjId,
    target: &Target,
    details: &Details<'_>,
) -> Result<(PersonKey, ObjId, bool), ModelError> {
    match target {
        Target::Existing { entry, former_name } => {
            let revived = removal::is_removed(tx, &entry.obj)?;
            if revived {
                removal::restore(tx, &entry.obj)?;
            }
            let details = if *former_name {
                Details {
                    name: None,
                    dusun: None,
                    ..*details
                }
            } else {
                *details
            };
            write_details(tx, &entry.obj, &details)?;
            Ok((entry.key.clone(), entry.obj.clone(), revived))
        }
        Target::New(key) => {
            let obj = tx.put_object(people, key.as_str(), ObjType::Map)?;
            write_details(tx, &obj, details)?;
            Ok((key.clone(), obj, true))
        }
    }
}

/// The live person `who` (a key, or a name with an optional dusun) means, for an edit: a removed
/// one is [`ModelError::Removed`] (edits of removed entries are refused: after a removal, only
/// writes that did not see it may land in the entry, which is how they are told apart).
pub(crate) fn find_live(
    doc: &Automerge,
    roll: Roll,
    who: &str,
    dusun: Option<&str>,
) -> Result<Entry, ModelError> {
    let who = required(roll.what, who, WHO_MAX)?;
    let dusun = optional("dusun", dusun, NAME_MAX)?;
    let people = roll.obj(doc)?;
    let entry = find_recorded(doc, &people, roll, &who, dusun.as_deref())?;
    if entry.removed {
        return Err(roll.removed(&entry.key));
    }
    Ok(entry)
}

/// Remove a person from `roll` as one change (see [`removal`]). Returns their key.
pub(crate) fn remove(
    doc: &mut Automerge,
    roll: Roll,
    who: &str,
    dusun: Option<&str>,
) -> Result<PersonKey, ModelError> {
    expect_editable(doc, roll.kind)?;
    let entry = find_live(doc, roll, who, dusun)?;
    edit(doc, format!("remove {}", roll.what), |tx| {
        removal::remove(tx, &entry.obj)
    })?;
    Ok(entry.key)
}

/// Correct a person's name, gender or dusun as one change. The key stays (see the module
/// comment); only the fields that differ are written. A name and dusun that another live entry
/// has are refused ([`ModelError::PersonExists`]): the two would be one person twice.
pub(crate) fn correct(
    doc: &mut Automerge,
    roll: Roll,
    who: &str,
    dusun: Option<&str>,
    fix: &PersonCorrection,
) -> Result<PersonKey, ModelError> {
    expect_editable(doc, roll.kind)?;
    let name = fix
        .name
        .as_deref()
        .map(|n| required("name", n, NAME_MAX))
        .transpose()?;
    let new_dusun = fix
        .dusun
        .as_deref()
        .map(|d| required("dusun", d, NAME_MAX))
        .transpose()?;
    if name.is_none() && fix.gender.is_none() && new_dusun.is_none() {
        return Err(ModelError::NothingToChange {
            options: "a new name, gender or dusun",
        });
    }
    let entry = find_live(doc, roll, who, dusun)?;
    let current_name = str_at(doc, &entry.obj, "name")?.unwrap_or_default();
    let current_dusun = str_at(doc, &entry.obj, "dusun")?;
    let identity = PersonKey::of(
        name.as_deref().unwrap_or(&current_name),
        new_dusun.as_deref().or(current_dusun.as_deref()),
    );
    if identity.as_str().is_empty() {
        return Err(ModelError::Empty { field: "name" });
    }
    if identity != entry.identity {
        let people = roll.obj(doc)?;
        if let Some(other) = entries(doc, &people)?
            .into_iter()
            .find(|e| !e.removed && e.key != entry.key && e.identity == identity)
        {
            return Err(ModelError::PersonExists {
                name: name.unwrap_or(current_name),
                key: other.key.as_str().to_owned(),
            });
        }
    }
    let details = Details {
        name: name.as_deref(),
        gender: fix.gender,
        dusun: new_dusun.as_deref(),
    };
    edit(doc, format!("correct {}", roll.what), |tx| {
        write_details(tx, &entry.obj, &details)?;
        // A build that predates corrections would file the corrected name under a new key,
        // a second entry for the same person.
        if identity != entry.key {
            require_schema(tx, SCHEMA_CORRECTIONS)?;
        }
        Ok(())
    })?;
    Ok(entry.key)
}
