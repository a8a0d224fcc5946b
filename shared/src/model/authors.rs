//! Who made a document's changes, by device name: each device writes its own name into every
//! document it edits, under a root key that names its actor (`device:<actor hex>`). A name counts
//! only if the operation that wrote it was made by that actor, so a device cannot relabel another.
//! And a document's history ([`history`]): its changes in causal order, each with its device.

use std::collections::BTreeMap;

use automerge::{Automerge, ObjId, ROOT, ReadDoc, ScalarValue, Value};
use serde::Serialize;

use super::{ModelError, NAME_MAX, edit, required};

/// Root keys that carry a device's name.
pub const DEVICE_KEY_PREFIX: &str = "device:";

/// The commit message of the change that signs a document.
pub const SIGN_MESSAGE: &str = "device name";

fn device_key(actor: &automerge::ActorId) -> String {
    format!("{DEVICE_KEY_PREFIX}{actor}")
}

/// Make sure `doc` names this replica's actor as `device`. Writes one change when the name is
/// missing or different, nothing otherwise; returns whether it wrote.
pub fn sign(doc: &mut Automerge, device: &str) -> Result<bool, ModelError> {
    let device = required("device", device, NAME_MAX)?;
    let key = device_key(doc.get_actor());
    if authors(doc).get(&doc.get_actor().to_string()) == Some(&device) {
        return Ok(false);
    }
    edit(doc, SIGN_MESSAGE, |tx| {
        automerge::transaction::Transactable::put(tx, ROOT, key.as_str(), device.as_str())?;
        Ok(())
    })?;
    Ok(true)
}

/// Actor (hex) → device name, for every actor that named itself in `doc`. A value under
/// `device:X` written by any actor but X is ignored, and one that overwrote X's own is looked
/// past: X's name is then read as of X's latest signing change. (Automerge actors are not
/// authenticated, so this keeps honest devices from mislabelling each other; a device forging
/// another's actor id is outside what it can tell.)
pub fn authors(doc: &Automerge) -> BTreeMap<String, String> {
    let mut out = BTreeMap::new();
    // Each actor's latest signing change, computed only if some name was overwritten.
    let mut signed: Option<BTreeMap<String, automerge::ChangeHash>> = None;
    for key in doc.keys(ROOT) {
        let Some(actor) = key.strip_prefix(DEVICE_KEY_PREFIX) else {
            continue;
        };
        let now = own_name(doc.get_all(ROOT, key.as_str()), actor);
        let name = now.or_else(|| {
            let signed = signed.get_or_insert_with(|| {
                doc.get_changes_meta(&[])
                    .into_iter()
                    .filter(|c| c.message.as_deref() == Some(SIGN_MESSAGE))
                    .map(|c| (c.actor.to_string(), c.hash))
                    .collect()
            });
            let at = signed.get(actor)?;
            own_name(doc.get_all_at(ROOT, key.as_str(), &[*at]), actor)
        });
        if let Some(name) = name {
            out.insert(actor.to_owned(), name);
        }
    }
    out
}

/// The last of `values` (automerge lists the winner last) that `actor` itself wrote, as text.
fn own_name(
    values: Result<Vec<(Value<'_>, ObjId)>, automerge::AutomergeError>,
    actor: &str,
) -> Option<String> {
    values
        .ok()?
        .into_iter()
        .rev()
        .find_map(|(value, id)| match (&value, &id) {
            (Value::Scalar(s), ObjId::Id(_, writer, _)) if writer.to_string() == actor => {
                match s.as_ref() {
                    ScalarValue::Str(name) => Some(name.to_string()),
                    _ => None,
                }
            }
            _ => None,
        })
}

/// One change of a document's history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Change {
    /// The change hash (hex).
    pub hash: String,
    /// The actor that made it (hex).
    pub actor: String,
    /// Unix seconds as the device's clock said, `None` when the change carries no time.
    pub time: Option<i64>,
    /// The kind of edit, as the model named it (`check-in`, `set title`, `decision`): the
    /// values it wrote are in its operations, not repeated here.
    pub message: Option<String>,
    /// Whether this is the document's first change (it created the record).
    pub created: bool,
    /// Whether the change only signed the document with its device's name ([`sign`]).
    pub signature: bool,
}

/// Every change of `doc`, in causal order (a change after every change it depends on; among
/// concurrent ones, automerge's order).
pub fn history(doc: &Automerge) -> Vec<Change> {
    doc.get_changes_meta(&[])
        .into_iter()
        .map(|c| Change {
            hash: c.hash.to_string(),
            actor: c.actor.to_string(),
            time: (c.timestamp != 0).then_some(c.timestamp),
            signature: is_signature(doc, &c),
            message: c.message.map(|m| m.into_owned()),
            created: c.deps.is_empty(),
        })
        .collect()
}

/// Whether change `c` of `doc` did nothing but sign: it holds exactly one operation, and that
/// operation is the put of its own actor's `device:` key (and it carries [`SIGN_MESSAGE`], as
/// [`sign`] writes it). The content decides, since any writer chooses its message: an edit
/// labelled "device name" is still an edit.
pub fn is_signature(doc: &Automerge, c: &automerge::ChangeMetadata<'_>) -> bool {
    // The message and the op count are cheap to read and every signature has both, so only
    // those candidates pay for reading the document as of the change.
    if c.max_op != c.start_op || c.message.as_deref() != Some(SIGN_MESSAGE) {
        return false;
    }
    let key = device_key(&c.actor);
    doc.get_all_at(ROOT, key.as_str(), &[c.hash])
        .is_ok_and(|values| {
            values.iter().any(|(_, id)| {
                matches!(id, ObjId::Id(counter, actor, _) if *counter == c.start_op && *actor == *c.actor)
            })
        })
}

#[cfg(test)]
mod tests {
    use automerge::ActorId;
    use automerge::transaction::Transactable;

    use super::*;

    fn doc_of(actor: u8) -> Automerge {
        Automerge::new().with_actor(ActorId::from([actor; 16].as_slice()))
    }

    #[test]
    fn a_device_signs_once_and_its_name_is_read_back() {
        let mut a = doc_of(1);
        assert!(sign(&mut a, "hp-rina").expect("sign"));
        assert!(!sign(&mut a, "hp-rina").expect("no second change"));
        assert_eq!(a.get_changes(&[]).len(), 1);
        let mut b = a.fork().with_actor(ActorId::from([2u8; 16].as_slice()));
        sign(&mut b, "hp-wayan").expect("sign");
        a.merge(&mut b).expect("merge");
        let names = authors(&a);
        assert_eq!(names.len(), 2);
        assert_eq!(names[&"01".repeat(16)], "hp-rina");
        assert_eq!(names[&"02".repeat(16)], "hp-wayan");
        // A renamed device is read under its new name.
        assert!(sign(&mut a, "hp-rina-baru").expect("rename"));
        assert_eq!(authors(&a)[&"01".repeat(16)], "hp-rina-baru");
    }

    #[test]
    fn no_device_can_name_another() {
        let mut a = doc_of(1);
        sign(&mut a, "hp-rina").expect("sign");
        let mut mallory = a.fork().with_actor(ActorId::from([9u8; 16].as_slice()));
        mallory
            .transact::<_, _, automerge::AutomergeError>(|tx| {
                tx.put(
                    ROOT,
                    device_key(&ActorId::from([1u8; 16].as_slice())),
                    "admin",
                )?;
                tx.put(
                    ROOT,
                    device_key(&ActorId::from([3u8; 16].as_slice())),
                    "ghost",
                )?;
                Ok(())
            })
            .expect("forge");
        a.merge(&mut mallory).expect("merge");
        let names = authors(&a);
        assert_eq!(
            names.get(&"01".repeat(16)).map(String::as_str),
            Some("hp-rina")
        );
        assert!(!names.contains_key(&"03".repeat(16)));
        assert!(!names.contains_key(&"09".repeat(16)));
    }

    #[test]
    fn history_lists_every_change_in_causal_order() {
        let mut a = doc_of(1);
        crate::model::minutes::create(
            &mut a,
            &"18.01.05.2001".parse().expect("village"),
            &crate::model::minutes::NewMinutes {
                title: "Musyawarah".into(),
                date: "2026-11-20".into(),
                place: None,
                facilitator: None,
            },
        )
        .expect("create");
        sign(&mut a, "hp-rina").expect("sign");
        crate::model::minutes::add_decision(&mut a, "Kerja bakti").expect("decide");
        let h = history(&a);
        assert_eq!(h.len(), 3);
        assert!(h[0].created && !h[1].created && !h[2].created);
        assert!(h[1].signature && !h[2].signature);
        // A real edit labelled as a signature is still shown as an edit.
        a.transact_with::<_, _, automerge::AutomergeError, _>(
            |_| automerge::transaction::CommitOptions::default().with_message(SIGN_MESSAGE),
            |tx| {
                tx.put(ROOT, "title", "Diganti diam-diam")?;
                Ok(())
            },
        )
        .expect("disguised edit");
        assert!(!history(&a)[3].signature);
        assert!(
            h.iter()
                .all(|c| c.actor == "01".repeat(16) && c.time.is_some())
        );
        assert_eq!(h[2].message.as_deref(), Some("decision"));
    }
}
