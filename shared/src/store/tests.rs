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

/// The keys of every table entry that names `id`, read straight from the tables.
fn entries_naming(store: &Store, id: &DocId) -> Vec<String> {
    let key = id.to_string();
    let tx = store.db.begin_read().expect("read");
    let mut found = Vec::new();
    if tx
        .open_table(DOCS)
        .expect("docs")
        .get(key.as_str())
        .expect("get")
        .is_some()
    {
        found.push("docs".to_owned());
    }
    if tx
        .open_table(SNAPSHOTS)
        .expect("snapshots")
        .get(key.as_str())
        .expect("get")
        .is_some()
    {
        found.push("snapshots".to_owned());
    }
    for entry in tx
        .open_table(INCREMENTS)
        .expect("increments")
        .iter()
        .expect("iter")
    {
        let (k, _) = entry.expect("entry");
        if k.value().0 == key {
            found.push(format!("increment {}", k.value().1));
        }
    }
    for entry in tx.open_table(FEED).expect("feed").iter().expect("iter") {
        let (seq, v) = entry.expect("entry");
        if v.value() == key {
            found.push(format!("feed {}", seq.value()));
        }
    }
    for entry in tx
        .open_table(FEED_BY_REGION)
        .expect("index")
        .iter()
        .expect("iter")
    {
        let (k, v) = entry.expect("entry");
        if v.value() == key {
            found.push(format!("region {} {}", k.value().0, k.value().1));
        }
    }
    for entry in tx
        .open_table(SYNC_STATES)
        .expect("states")
        .iter()
        .expect("iter")
    {
        let (k, _) = entry.expect("entry");
        if k.value().1 == key {
            found.push("sync state".to_owned());
        }
    }
    found
}

/// Record that `peer` shares the document's current heads, as a sync session would.
fn share_with(store: &Store, peer: &StoreId, id: &DocId) {
    let heads = store.load(id).expect("load").expect("present").get_heads();
    store
        .batch(|b| {
            let mut state = automerge::sync::State::new();
            state.shared_heads = heads;
            b.put_sync_state(peer, id, &state)?;
            b.update_peer(peer, |p| p.checkpoint = 1)
        })
        .expect("sync state");
}

#[test]
fn removing_a_document_deletes_it_from_every_table_and_nothing_else() {
    let dir = tempfile::tempdir().expect("tempdir");
    let path = dir.path().join("store.redb");
    let (server, laptop) = (StoreId::random(), StoreId::random());
    let gone = in_village("18.01.05.2001");
    let near = in_village("18.01.05.2001");
    let far = in_village("18.02.01.2001");
    {
        let store = Store::open(&path, Some(automerge::ActorId::random())).expect("open");
        for id in [&gone, &near, &far] {
            create(&store, id, "Musyawarah");
            note(&store, id, "satu");
            note(&store, id, "dua");
            share_with(&store, &server, id);
        }
        share_with(&store, &laptop, &gone);
        // It is in the cache, as after any read.
        assert!(store.load(&gone).expect("load").is_some());
        let before = entries_naming(&store, &gone);
        assert!(
            before.len() >= 11,
            "record, snapshot, increments, feed, four regions, two sync states: {before:?}"
        );
        let last_seq = store.last_seq().expect("seq");

        assert!(store.remove(&gone).expect("remove"), "it was there");
        assert_eq!(entries_naming(&store, &gone), Vec::<String>::new());
        assert!(store.load(&gone).expect("load").is_none(), "not cached");
        assert!(store.doc_record(&gone).expect("record").is_none());
        assert!(store.shared_heads(&server, &gone).expect("heads").is_none());
        assert!(store.shared_heads(&laptop, &gone).expect("heads").is_none());
        let listed: Vec<DocId> = store
            .docs()
            .expect("docs")
            .into_iter()
            .map(|(id, _)| id)
            .collect();
        let mut others = vec![near.clone(), far.clone()];
        others.sort_by_key(ToString::to_string);
        assert_eq!(listed, others);
        assert_eq!(
            store.last_seq().expect("seq"),
            last_seq,
            "seqs are not reused"
        );
        assert!(
            !store.remove(&gone).expect("remove again"),
            "removing again finds nothing"
        );
        assert!(!store.remove(&new_id()).expect("remove"), "never there");
    }

    let store = Store::open(&path, None).expect("reopen");
    assert_eq!(entries_naming(&store, &gone), Vec::<String>::new());
    assert!(store.load(&gone).expect("load").is_none());
    let feed: Vec<DocId> = store
        .changes_since(0, 100)
        .expect("feed")
        .into_iter()
        .map(|(_, id)| id)
        .collect();
    assert_eq!(feed, vec![near.clone(), far.clone()]);
    let region = |r: &str| -> Vec<DocId> {
        store
            .changes_in(&r.parse().expect("prefix"), 0, 100)
            .expect("read")
            .into_iter()
            .map(|(_, id)| id)
            .collect()
    };
    for level in ["18.01.05.2001", "18.01.05", "18.01"] {
        assert_eq!(region(level), vec![near.clone()], "{level}");
    }
    assert_eq!(region("18"), feed, "the index still holds exactly the feed");
    for id in [&near, &far] {
        let doc = store.load(id).expect("load").expect("untouched");
        assert_eq!(minutes::read(&doc).expect("read").notes, "satu\ndua\n");
        let heads = store.shared_heads(&server, id).expect("heads");
        assert_eq!(heads, Some(doc.get_heads()), "its sync state stays");
    }
    assert_eq!(store.peers().expect("peers").len(), 2, "peers stay");
}

#[test]
fn a_change_made_in_the_batch_that_removes_the_document_goes_with_it() {
    let store = Store::in_memory(Some(automerge::ActorId::random())).expect("store");
    let (a, b) = (new_id(), new_id());
    create(&store, &a, "A");
    create(&store, &b, "B");
    let last_seq = store.last_seq().expect("seq");
    let removed = store
        .batch(|batch| {
            minutes::append_note(batch.doc_mut(&a)?, "never stored")
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            minutes::append_note(batch.doc_mut(&b)?, "kept")
                .map_err(|e| StoreError::Corrupt(e.to_string()))?;
            batch.remove(&a)
        })
        .expect("batch");
    assert!(removed);
    assert_eq!(entries_naming(&store, &a), Vec::<String>::new());
    assert!(store.load(&a).expect("load").is_none());
    assert_eq!(
        store.changes_since(0, 10).expect("feed"),
        vec![(last_seq + 1, b.clone())],
        "only the other document's change got a seq"
    );
    let doc = store.load(&b).expect("load").expect("present");
    assert_eq!(minutes::read(&doc).expect("read").notes, "kept\n");
}

#[test]
fn a_failed_batch_removes_nothing() {
    let store = Store::in_memory(Some(automerge::ActorId::random())).expect("store");
    let id = new_id();
    create(&store, &id, "A");
    assert!(store.load(&id).expect("load").is_some());
    let result: Result<bool, StoreError> = store.batch(|b| {
        b.remove(&id)?;
        Err(StoreError::Corrupt("simulated failure".into()))
    });
    assert!(result.is_err());
    let doc = store.load(&id).expect("load").expect("still there");
    assert_eq!(minutes::read(&doc).expect("read").title, "A");
    assert_eq!(store.changes_since(0, 10).expect("feed").len(), 1);
}
