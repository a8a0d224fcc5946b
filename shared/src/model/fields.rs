//! Reading automerge values into plain Rust values, collecting concurrent (conflicting) values.

use std::collections::BTreeMap;

use automerge::{Automerge, ObjId, ObjType, ReadDoc, Value};
use serde::Serialize;

use super::ModelError;

/// Fields that two devices set concurrently to different values: path → the values that lost.
/// Automerge keeps every one of them; the winner is the value shown in the view.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(transparent)]
pub struct Conflicts(pub BTreeMap<String, Vec<String>>);

impl Conflicts {
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The losing values for `path`, if it is conflicted.
    pub fn get(&self, path: &str) -> Option<&[String]> {
        self.0.get(path).map(Vec::as_slice)
    }

    /// Read a scalar field as text, recording its losing values under `path`. A losing value
    /// equal to the winner (two devices archiving, or setting the same place, at once) is no
    /// conflict and is not recorded.
    pub(crate) fn scalar(
        &mut self,
        doc: &Automerge,
        obj: &ObjId,
        key: &str,
        path: impl FnOnce() -> String,
    ) -> Result<Option<String>, ModelError> {
        let all = doc.get_all(obj, key)?;
        let Some((winner, winner_id)) = doc.get(obj, key)? else {
            return Ok(None);
        };
        let shown = as_text(&winner);
        if all.len() > 1 {
            let losers: Vec<String> = all
                .iter()
                .filter(|(_, id)| *id != winner_id)
                .filter_map(|(v, _)| as_text(v))
                .filter(|v| shown.as_ref() != Some(v))
                .collect();
            if !losers.is_empty() {
                self.0.insert(path(), losers);
            }
        }
        Ok(shown)
    }
}

/// A scalar as text (strings as they are, numbers and booleans in their usual form); `null` and
/// objects are absent.
pub(crate) fn as_text(v: &Value<'_>) -> Option<String> {
    match v {
        Value::Scalar(s) => match s.as_ref() {
            automerge::ScalarValue::Str(s) => Some(s.to_string()),
            automerge::ScalarValue::Int(i) => Some(i.to_string()),
            automerge::ScalarValue::Uint(i) => Some(i.to_string()),
            automerge::ScalarValue::Boolean(b) => Some(b.to_string()),
            automerge::ScalarValue::Null => None,
            other => Some(other.to_string()),
        },
        Value::Object(_) => None,
    }
}

/// Every value at `key` (the winner and any concurrent ones) as text: scalars as in
/// [`Conflicts::scalar`], automerge Text as its content; other objects are skipped.
pub(crate) fn all_values(
    doc: &Automerge,
    obj: &ObjId,
    key: &str,
) -> Result<Vec<String>, ModelError> {
    let mut out = Vec::new();
    for (v, id) in doc.get_all(obj, key)? {
        match v {
            Value::Object(ObjType::Text) => out.push(doc.text(&id)?),
            other => out.extend(as_text(&other)),
        }
    }
    Ok(out)
}

/// The winning value at `key` as text ([`as_text`]). Works on a document or inside a transaction.
pub(crate) fn str_at(
    doc: &impl ReadDoc,
    obj: &ObjId,
    key: &str,
) -> Result<Option<String>, ModelError> {
    Ok(doc.get(obj, key)?.and_then(|(v, _)| as_text(&v)))
}

/// Whether writing `value` at `key` changes anything: the winner differs, or devices disagree
/// there (one write that has seen every value settles the conflict). An unchanged re-put would be
/// a new op conflicting with a concurrent edit for no reason, so the callers skip it otherwise.
pub(crate) fn differs(
    doc: &impl ReadDoc,
    obj: &ObjId,
    key: &str,
    value: &str,
) -> Result<bool, ModelError> {
    Ok(doc.get_all(obj, key)?.len() > 1 || str_at(doc, obj, key)?.as_deref() != Some(value))
}

/// The winning value at `key` as an integer: ints, uints that fit and counters.
pub(crate) fn int_at(
    doc: &impl ReadDoc,
    obj: &ObjId,
    key: &str,
) -> Result<Option<i64>, ModelError> {
    Ok(doc.get(obj, key)?.and_then(|(v, _)| match v {
        Value::Scalar(s) => match s.as_ref() {
            automerge::ScalarValue::Int(i) => Some(*i),
            automerge::ScalarValue::Uint(u) => i64::try_from(*u).ok(),
            automerge::ScalarValue::Counter(c) => Some(i64::from(c)),
            _ => None,
        },
        Value::Object(_) => None,
    }))
}

/// The child object at `key` if it is of type `ty`.
pub(crate) fn obj_at(
    doc: &impl ReadDoc,
    obj: &ObjId,
    key: &str,
    ty: ObjType,
) -> Result<Option<ObjId>, ModelError> {
    Ok(match doc.get(obj, key)? {
        Some((Value::Object(t), id)) if t == ty => Some(id),
        _ => None,
    })
}

/// The keys of the map at `obj`, in order.
pub(crate) fn map_keys(doc: &impl ReadDoc, obj: &ObjId) -> Vec<String> {
    doc.keys(obj).collect()
}

/// The maps in the list at `obj`, in list order.
pub(crate) fn list_maps(doc: &impl ReadDoc, obj: &ObjId) -> Result<Vec<ObjId>, ModelError> {
    let mut out = Vec::new();
    for i in 0..doc.length(obj) {
        if let Some((Value::Object(ObjType::Map), id)) = doc.get(obj, i)? {
            out.push(id);
        }
    }
    Ok(out)
}
