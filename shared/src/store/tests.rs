//! Store tests: durability across reopen, the change feed, compaction, and all-or-nothing batches.

use super::*;
use crate::ids::DocKind;
use crate::model::{self, minutes};

fn new_id() -> DocId {
    DocId::generate(DocKind::Minutes, "18.01.05.2001".parse().expect("valid"))
}

fn create(store: &Store, id: &DocId, title: &str) {
    store
        .edit(id, |doc| {
            minutes::create(
                doc,
                id.village(),
                &minutes::NewMinutes {
                    title: title.into(),
                    date: "2026-11-29".into(),
                    place: None,
                    facilitator: None,
                },
            )
            .map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .expect("create");
}

fn note(store: &Store, id: &DocId, text: &str) {
    store
        .edit(id, |doc| {
            minutes::append_note(doc, text).map_err(|e| StoreError::Corrupt(e.to_string()))
        })
        .expect("note");
}

#[test]
fn documents_survive_reopen_with_same_identity() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.redb");
    let id = new_id();
    let store_id = {
        let store = Store::open(&path, None).expect("open");
        create(&store, &id, "Musyawarah");
        note(&store, &id, "satu");
        store.id()
    };
    let store = Store::open(&path, None).expect("reopen");
    assert_eq!(store.id(), store_id);
    let doc = store.load(&id).expect("load").expect("present");
    let view = minutes::read(&doc).expect("read");
    assert_eq!(view.title, "Musyawarah");
    assert_eq!(view.notes, "satu\n");
}

#[test]
fn a_second_open_of_the_same_file_is_refused_clearly() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.redb");
    let _first = Store::open(&path, None).expect("open");
    let err = Store::open(&path, None).expect_err("locked");
    assert!(matches!(err, StoreError::Locked { .. }), "{err}");
}

#[test]
fn feed_holds_each_document_once_at_its_latest_seq() {
    let store = Store::in_memory(None).expect("store");
    let (a, b) = (new_id(), new_id());
    create(&store, &a, "A");
    create(&store, &b, "B");
    note(&store, &a, "later");
    let feed = store.changes_since(0, 100).expect("feed");
    assert_eq!(feed, vec![(2, b.clone()), (3, a.clone())]);
    assert_eq!(
        store.changes_since(2, 100).expect("feed"),
        vec![(3, a.clone())]
    );
    assert_eq!(store.last_seq().expect("seq"), 3);
    // Touching a document without changing it does not move it in the feed.
    store
        .edit(&a, |_| Ok::<_, StoreError>(()))
        .expect("no-op edit");
    assert_eq!(store.last_seq().expect("seq"), 3);
}

#[test]
fn increments_are_compacted_and_nothing_is_lost() {
    let store = Store::in_memory(None).expect("store");
    let id = new_id();
    create(&store, &id, "A");
    for i in 0..(COMPACT_AFTER_INCREMENTS + 5) {
        note(&store, &id, &format!("paragraph {i}"));
    }
    let record = store.doc_record(&id).expect("record").expect("present");
    assert!(
        record.increments < COMPACT_AFTER_INCREMENTS,
        "compacted: {record:?}"
    );
    // Load bypassing the cache, straight from the tables.
    let tx = store.db.begin_read().expect("read");
    let (doc, stored) = load_from(&tx, &id.to_string())
        .expect("load")
        .expect("present");
    assert_eq!(stored, record.snapshot_bytes + record.increment_bytes);
    let notes = minutes::read(&doc).expect("read").notes;
    assert!(
        notes.contains("paragraph 0")
            && notes.contains(&format!("paragraph {}", COMPACT_AFTER_INCREMENTS + 4))
    );
    assert_eq!(
        record.heads,
        doc.get_heads()
            .iter()
            .map(|h| h.0.to_vec())
            .collect::<Vec<_>>()
    );
}

#[test]
fn a_failed_batch_writes_nothing() {
    let store = Store::in_memory(None).expect("store");
    let id = new_id();
    create(&store, &id, "A");
    let before = store.last_seq().expect("seq");
    let result: Result<(), StoreError> = store.batch(|b| {
        let doc = b.doc_mut(&id)?;
        minutes::append_note(doc, "never stored")
            .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        Err(StoreError::Corrupt("simulated failure".into()))
    });
    assert!(result.is_err());
    assert_eq!(store.last_seq().expect("seq"), before);
    let doc = store.load(&id).expect("load").expect("present");
    assert_eq!(
        minutes::read(&doc).expect("read").notes,
        "",
        "the cache was not left ahead of the disk"
    );
    assert!(model::is_created(&doc));
}

#[test]
fn batches_larger_than_the_cache_keep_every_change() {
    let store = Store::in_memory(None).expect("store");
    let ids: Vec<DocId> = (0..CACHE_DOCS + 20).map(|_| new_id()).collect();
    store
        .batch(|b| {
            for id in &ids {
                let doc = b.doc_mut(id)?;
                minutes::create(
                    doc,
                    id.village(),
                    &minutes::NewMinutes {
                        title: "x".into(),
                        date: "2026-11-29".into(),
                        place: None,
                        facilitator: None,
                    },
                )
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            }
            Ok::<_, StoreError>(())
        })
        .expect("batch");
    assert_eq!(store.doc_count().expect("count"), ids.len() as u64);
}

fn in_village(code: &str) -> DocId {
    DocId::generate(DocKind::Minutes, code.parse().expect("village"))
}

#[test]
fn the_feed_is_indexed_by_every_region_level_and_follows_each_document() {
    let store = Store::in_memory(Some(automerge::ActorId::random())).expect("store");
    let a = in_village("18.01.05.2001");
    let b = in_village("18.01.05.2002");
    let c = in_village("18.01.06.2001");
    for id in [&a, &b, &c] {
        create(&store, id, "Musyawarah");
    }
    note(&store, &a, "again");
    let ids = |region: &str| -> Vec<DocId> {
        store
            .changes_in(&region.parse().expect("prefix"), 0, 100)
            .expect("read")
            .into_iter()
            .map(|(_, id)| id)
            .collect()
    };
    assert_eq!(ids("18.01.05.2001"), vec![a.clone()]);
    assert_eq!(ids("18.01.05"), vec![b.clone(), a.clone()], "in seq order");
    assert_eq!(ids("18.01"), vec![b.clone(), c.clone(), a.clone()]);
    assert_eq!(ids("18"), ids("18.01"));
    assert!(ids("18.02").is_empty());
    let feed: Vec<DocId> = store
        .changes_since(0, 100)
        .expect("feed")
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    assert_eq!(feed, ids("18"), "the index holds exactly the feed");
}

#[test]
fn a_layout_1_store_gets_its_region_index_when_opened() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("old.redb");
    let a = in_village("18.01.05.2001");
    let c = in_village("18.01.06.2001");
    {
        let store = Store::open(&path, Some(automerge::ActorId::random())).expect("open");
        create(&store, &a, "A");
        create(&store, &c, "C");
        // Make it look like a store written before the index existed.
        let tx = store.db.begin_write().expect("write");
        tx.delete_table(FEED_BY_REGION).expect("drop index");
        tx.open_table(META)
            .expect("meta")
            .insert(meta_keys::LAYOUT, 1u32.to_be_bytes().as_slice())
            .expect("layout 1");
        tx.commit().expect("commit");
    }
    let store = Store::open(&path, None).expect("reopen migrates");
    let got = store
        .changes_in(&"18.01.05".parse().expect("prefix"), 0, 10)
        .expect("read");
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].1, a);
    assert_eq!(
        store
            .changes_in(&"18".parse().expect("prefix"), 0, 10)
            .expect("read")
            .len(),
        2
    );
}
