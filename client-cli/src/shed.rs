//! Shedding records a device may no longer sync. After a sync, each local document outside the
//! regions the server now grants this device is removed here if the server already holds all of
//! it, and kept (and reported) if it carries changes the server never acknowledged: nothing is
//! ever lost. The server keeps its copy either way.
//!
//! The proof that the server holds a document is the sync state persisted with that server: the
//! heads both sides are known to share. Only when it contains every current head of the document
//! is the document removed. The server's checkpoint of our feed is no proof here: it moves past
//! documents outside our scope without receiving them.

use automerge::ChangeHash;
use balai_shared::ids::{DocId, StoreId};
use balai_shared::model;
use balai_shared::store::{Batch, Store, StoreError};
use serde::Serialize;

/// What to do with a local document outside this device's regions.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Decision {
    /// The server holds every change of it: remove it from this device.
    Remove,
    /// It holds changes the server never acknowledged (or we cannot tell): keep it.
    Keep,
}

/// Remove a document only if every one of its current `heads` is among the heads this device
/// knows it shares with the server (`shared`, from the persisted sync state; empty if it never
/// synced the document). A document without heads proves nothing and is kept.
pub fn decide(heads: &[ChangeHash], shared: &[ChangeHash]) -> Decision {
    if !heads.is_empty() && heads.iter().all(|h| shared.contains(h)) {
        Decision::Remove
    } else {
        Decision::Keep
    }
}

/// A document outside this device's regions, as the sync report names it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OutOfScope {
    pub id: String,
    /// Its title (or training topic), if it has one to show.
    pub title: Option<String>,
}

/// What [`shed`] did.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Shed {
    /// Removed from this device; the server holds all of them.
    pub removed: Vec<OutOfScope>,
    /// Kept: they hold changes the server never acknowledged, which can no longer be synced.
    pub kept: Vec<OutOfScope>,
}

/// Remove from `store` each document of `out_of_scope` (ids outside the regions `server` grants
/// this device) that `server` holds completely; keep the others. Decisions and removals are one
/// durable batch, so no edit can slip in between the check and the removal.
pub fn shed(store: &Store, server: &StoreId, out_of_scope: &[String]) -> Result<Shed, StoreError> {
    if out_of_scope.is_empty() {
        return Ok(Shed::default());
    }
    store.batch(|b| {
        let mut shed = Shed::default();
        for typed in out_of_scope {
            let id: DocId = typed.parse()?;
            let Some(record) = b.doc_record(&id)? else {
                // Not here (any more): nothing to remove or keep.
                continue;
            };
            // A head that is not a hash proves nothing: keep the document.
            let heads: Option<Vec<ChangeHash>> = record
                .heads
                .iter()
                .map(|h| ChangeHash::try_from(h.as_slice()).ok())
                .collect();
            let shared = b.sync_state(server, &id)?.shared_heads;
            let decision = match heads {
                Some(heads) => decide(&heads, &shared),
                None => Decision::Keep,
            };
            let entry = OutOfScope {
                id: id.to_string(),
                title: title(b, &id),
            };
            match decision {
                Decision::Remove => {
                    b.remove(&id)?;
                    shed.removed.push(entry);
                }
                Decision::Keep => shed.kept.push(entry),
            }
        }
        Ok(shed)
    })
}

/// The document's title or topic, for the user; `None` if it cannot be read.
fn title(b: &mut Batch<'_>, id: &DocId) -> Option<String> {
    let doc = b.doc(id).ok().flatten()?;
    model::summarize(id, doc)
        .ok()
        .map(|s| s.title)
        .filter(|t| !t.is_empty())
}

#[cfg(test)]
mod tests {
    use super::*;
    use balai_shared::ids::DocKind;
    use balai_shared::model::minutes;

    fn hash(n: u8) -> ChangeHash {
        ChangeHash([n; 32])
    }

    #[test]
    fn a_document_goes_only_when_the_server_shares_every_head() {
        let (a, b, c) = (hash(1), hash(2), hash(3));
        assert_eq!(decide(&[a], &[a]), Decision::Remove);
        assert_eq!(decide(&[a, b], &[b, a]), Decision::Remove);
        assert_eq!(
            decide(&[a], &[a, c]),
            Decision::Remove,
            "the server may share more (a change of ours it merged)"
        );
        assert_eq!(
            decide(&[a, b], &[a]),
            Decision::Keep,
            "a concurrent local change the server never acknowledged"
        );
        assert_eq!(decide(&[b], &[a]), Decision::Keep, "a later local change");
        assert_eq!(decide(&[a], &[]), Decision::Keep, "never synced");
        assert_eq!(decide(&[], &[a]), Decision::Keep, "nothing proven");
    }

    fn minutes_in(store: &Store, village: &str, title: &str) -> DocId {
        let id = DocId::generate(DocKind::Minutes, village.parse().expect("village"));
        let new = minutes::NewMinutes {
            title: title.into(),
            date: "2026-12-01".into(),
            place: None,
            facilitator: None,
        };
        store
            .edit(&id, |doc| {
                minutes::create(doc, id.village(), &new)
                    .map_err(|e| StoreError::Corrupt(e.to_string()))
            })
            .expect("create");
        id
    }

    /// Record that `server` shares the document's current heads, as a completed sync does.
    fn synced(store: &Store, server: &StoreId, id: &DocId) {
        let heads = store.load(id).expect("load").expect("present").get_heads();
        store
            .batch(|b| {
                let mut state = automerge::sync::State::new();
                state.shared_heads = heads.clone();
                state.their_heads = Some(heads);
                b.put_sync_state(server, id, &state)?;
                b.update_peer(server, |p| p.acked = 100)
            })
            .expect("sync state");
    }

    #[test]
    fn synced_documents_are_removed_and_unsynced_ones_kept() {
        let store = Store::in_memory(Some(automerge::ActorId::random())).expect("store");
        let server = StoreId::random();
        let synced_doc = minutes_in(&store, "18.01.05.2002", "Musyawarah Sinar Laut");
        synced(&store, &server, &synced_doc);
        let edited = minutes_in(&store, "18.01.05.2002", "Musyawarah kedua");
        synced(&store, &server, &edited);
        store
            .edit(&edited, |doc| {
                minutes::append_note(doc, "after the last sync")
                    .map_err(|e| StoreError::Corrupt(e.to_string()))
            })
            .expect("edit");
        let never = minutes_in(&store, "18.01.05.2002", "Belum pernah sync");
        let inside = minutes_in(&store, "18.01.05.2001", "Still ours");
        synced(&store, &server, &inside);
        let other_server = StoreId::random();

        let out: Vec<String> = [&synced_doc, &edited, &never]
            .iter()
            .map(|id| id.to_string())
            .collect();
        // Shared heads with another server prove nothing about this one.
        let elsewhere = shed(&store, &other_server, &out).expect("shed");
        assert!(elsewhere.removed.is_empty(), "{elsewhere:?}");
        assert_eq!(elsewhere.kept.len(), 3);

        let done = shed(&store, &server, &out).expect("shed");
        assert_eq!(
            done.removed,
            vec![OutOfScope {
                id: synced_doc.to_string(),
                title: Some("Musyawarah Sinar Laut".into()),
            }]
        );
        let kept: Vec<&str> = done.kept.iter().map(|k| k.id.as_str()).collect();
        assert_eq!(kept, vec![edited.to_string(), never.to_string()]);
        assert_eq!(done.kept[0].title.as_deref(), Some("Musyawarah kedua"));
        assert!(store.load(&synced_doc).expect("load").is_none());
        let mut left: Vec<DocId> = store
            .docs()
            .expect("docs")
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        left.sort_by_key(ToString::to_string);
        let mut expected = vec![edited.clone(), never.clone(), inside.clone()];
        expected.sort_by_key(ToString::to_string);
        assert_eq!(left, expected, "documents not listed are untouched");
        let notes = minutes::view(&edited, &store.load(&edited).expect("load").expect("kept"))
            .expect("view")
            .notes;
        assert_eq!(
            notes, "after the last sync\n",
            "the unsynced edit is intact"
        );

        let again = shed(&store, &server, &out).expect("shed again");
        assert!(again.removed.is_empty(), "already gone: {again:?}");
        assert_eq!(again.kept.len(), 2, "still reported");
        assert_eq!(
            shed(&store, &server, &[]).expect("nothing"),
            Shed::default()
        );
    }
}
