//! Soft removal: a correction that takes an entry out of a record flags it instead of deleting it,
//! so what other devices write into the entry meanwhile stays in the document and is reported.
//!
//! Deleting a map key in automerge discards the nested object, and with it every concurrent edit
//! made inside it on a device that had not yet seen the delete. So an entry (a person, an agenda
//! item, a proposal, a follow-up) is removed by writing `removed = true` inside it; views hide it
//! from their lists and show it apart, as a [`Removed`].
//!
//! **What the removal saw.** The hash of the change that wrote the `true` (found from its op id
//! with [`Automerge::hash_for_opid`]), read as heads, is the document as the removing device knew
//! it, plus the removal. A value in the entry that is not visible at those heads
//! ([`ReadDoc::get_all_at`]) was written on a device that had not seen the removal: it is
//! reported as a concurrent edit instead of being hidden with the entry. Nothing written as data
//! is trusted for this (stored heads could lie; the causal history cannot). Edits of a removed
//! entry are refused, so after a removal the only writes into it are concurrent ones and a
//! restore; several concurrent removals account for everything any of them saw.
//!
//! **Restore wins over a concurrent removal.** A restore writes `removed = false`. When the
//! register holds both (a device restored the entry while another, which had not seen the earlier
//! removal, removed it again), the entry is live and the losing removal is reported in
//! `conflicts`: re-recording someone is never undone by a removal that did not see it.

use automerge::transaction::{Transactable, Transaction};
use automerge::{Automerge, ChangeHash, ObjId, ReadDoc, ScalarValue, Value};
use serde::Serialize;

use super::fields::{Conflicts, as_text};
use super::{ModelError, SCHEMA_CORRECTIONS, require_schema};

/// The key of the flag inside an entry.
const KEY: &str = "removed";

/// The id of an op (automerge names ops and objects with one type).
type OpId = ObjId;

/// An entry a correction removed: kept in the document, listed apart from the live ones.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Removed<T> {
    #[serde(flatten)]
    pub entry: T,
    /// What other devices wrote into the entry without having seen its removal (`gender=f`,
    /// `support +2`, `check-in session 2 by hp-budi`). Kept in the document, shown in the entry's
    /// fields above, and back in the live list if the entry is restored; also reported in the
    /// view's `conflicts` under `removed.<section>.<key or number>`. Only in the JSON when not
    /// empty.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub concurrent_edits: Vec<String>,
}

/// What an entry's `removed` register says, every concurrent value considered.
pub(crate) enum State {
    /// Never removed, restored, or restored concurrently with `lost` removals (which lost).
    Live { lost: usize },
    /// Removed; `seen` are the heads of the removals' changes (several when devices removed it
    /// concurrently: a value any of them saw is accounted for).
    Removed { seen: Vec<ChangeHash> },
}

/// The `true`s (removals) and whether there is a `false` (a restore) among the values of the
/// flag. Anything else there (written by another client) is ignored: showing an entry is the safe
/// side.
fn flags(doc: &impl ReadDoc, entry: &ObjId) -> Result<(Vec<OpId>, bool), ModelError> {
    let mut removals = Vec::new();
    let mut restored = false;
    for (v, id) in doc.get_all(entry, KEY)? {
        if let Value::Scalar(s) = &v {
            match s.as_ref() {
                ScalarValue::Boolean(true) => removals.push(id),
                ScalarValue::Boolean(false) => restored = true,
                _ => {}
            }
        }
    }
    Ok((removals, restored))
}

/// Is the entry removed? Works inside a transaction (for the edits' checks).
pub(crate) fn is_removed(doc: &impl ReadDoc, entry: &ObjId) -> Result<bool, ModelError> {
    let (removals, restored) = flags(doc, entry)?;
    Ok(!removals.is_empty() && !restored)
}

/// The entry's state, with what its removals saw.
pub(crate) fn state(doc: &Automerge, entry: &ObjId) -> Result<State, ModelError> {
    let (removals, restored) = flags(doc, entry)?;
    Ok(if removals.is_empty() || restored {
        State::Live {
            lost: removals.len(),
        }
    } else {
        // An op id from the document always has a change; if one did not, the removal would see
        // less, and more would be reported, never less.
        State::Removed {
            seen: removals
                .iter()
                .filter_map(|id| doc.hash_for_opid(id))
                .collect(),
        }
    })
}

/// Flag the entry removed, in the caller's change. Raises the document's schema: a build that
/// predates removal would show the entry as present.
pub(crate) fn remove(tx: &mut Transaction<'_>, entry: &ObjId) -> Result<(), ModelError> {
    tx.put(entry, KEY, true)?;
    require_schema(tx, SCHEMA_CORRECTIONS)
}

/// Bring a removed entry back, in the caller's change. Its fields are as they are now, concurrent
/// edits included.
pub(crate) fn restore(tx: &mut Transaction<'_>, entry: &ObjId) -> Result<(), ModelError> {
    tx.put(entry, KEY, false)?;
    Ok(())
}

/// A value of `obj[key]` that the removal did not see.
pub(crate) enum Unseen {
    /// Written by a device that had not seen the removal.
    Value(String),
    /// A counter incremented by `n` more than the removal saw.
    Increment(i64),
}

/// The values of `obj[key]` that are not visible at `seen`: compared by op id, and counters also
/// by value (an increment changes a counter's value, not its op).
pub(crate) fn unseen_at(
    doc: &Automerge,
    obj: &ObjId,
    key: &str,
    seen: &[ChangeHash],
) -> Result<Vec<Unseen>, ModelError> {
    let now = doc.get_all(obj, key)?;
    if now.is_empty() {
        return Ok(Vec::new());
    }
    // An object created after `seen` (a session added concurrently) reads as empty there.
    let then = doc.get_all_at(obj, key, seen)?;
    let mut out = Vec::new();
    for (v, id) in &now {
        match then.iter().find(|(_, old)| old == id) {
            None => out.extend(as_text(v).map(Unseen::Value)),
            Some((old, _)) => {
                if let (Some(n), Some(o)) = (counter(v), counter(old))
                    && n != o
                {
                    out.push(Unseen::Increment(n.saturating_sub(o)));
                }
            }
        }
    }
    Ok(out)
}

fn counter(v: &Value<'_>) -> Option<i64> {
    match v {
        Value::Scalar(s) => match s.as_ref() {
            ScalarValue::Counter(c) => Some(i64::from(c)),
            _ => None,
        },
        Value::Object(_) => None,
    }
}

/// Every field of a removed entry that its removal did not see, as `field=value` (`field +n` for
/// counters), in field order.
pub(crate) fn concurrent_edits(
    doc: &Automerge,
    entry: &ObjId,
    seen: &[ChangeHash],
) -> Result<Vec<String>, ModelError> {
    let mut out = Vec::new();
    for field in doc.keys(entry).filter(|k| k != KEY) {
        for u in unseen_at(doc, entry, &field, seen)? {
            out.push(match u {
                Unseen::Value(v) => format!("{field}={v}"),
                Unseen::Increment(n) => format!("{field} {n:+}"),
            });
        }
    }
    Ok(out)
}

/// Report a live entry's removals that lost to a concurrent restore: `<path>.removed` → one `true`
/// per removal, like any losing value.
pub(crate) fn report_lost(c: &mut Conflicts, path: &str, lost: usize) {
    if lost > 0 {
        c.0.insert(format!("{path}.{KEY}"), vec!["true".to_owned(); lost]);
    }
}

/// Report what was written into a removed entry without seeing its removal:
/// `removed.<path>` → the edits.
pub(crate) fn report_concurrent(c: &mut Conflicts, path: &str, edits: &[String]) {
    if !edits.is_empty() {
        c.0.insert(format!("{KEY}.{path}"), edits.to_vec());
    }
}

/// A section's entries, live and removed, as a view lists them.
#[derive(Debug)]
pub(crate) struct Sorted<T> {
    pub live: Vec<T>,
    pub removed: Vec<Removed<T>>,
}

impl<T> Default for Sorted<T> {
    fn default() -> Self {
        Self {
            live: Vec::new(),
            removed: Vec::new(),
        }
    }
}

impl<T> Sorted<T> {
    /// The number (from 1) the next entry in `state` gets in the list it goes to (list items are
    /// numbered as shown; keyed entries are named by key instead).
    pub(crate) fn next_number(&self, state: &State) -> usize {
        1 + match state {
            State::Live { .. } => self.live.len(),
            State::Removed { .. } => self.removed.len(),
        }
    }

    /// Put `entry` into its list, reporting its lost removals or its concurrent edits under
    /// `path` (see [`report_lost`], [`report_concurrent`]).
    pub(crate) fn push(
        &mut self,
        doc: &Automerge,
        obj: &ObjId,
        state: State,
        entry: T,
        path: &str,
        c: &mut Conflicts,
    ) -> Result<(), ModelError> {
        match state {
            State::Live { lost } => {
                report_lost(c, path, lost);
                self.live.push(entry);
            }
            State::Removed { seen } => {
                let edits = concurrent_edits(doc, obj, &seen)?;
                report_concurrent(c, path, &edits);
                self.removed.push(Removed {
                    entry,
                    concurrent_edits: edits,
                });
            }
        }
        Ok(())
    }
}
