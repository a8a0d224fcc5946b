//! `write_batch` against a real PostgreSQL: a batch and its checkpoint commit together, a
//! checkpoint that moved under a sink makes it write nothing, re-projection replaces rows, and
//! text PostgreSQL cannot hold (NUL) does not stop the sink.

use automerge::transaction::Transactable;
use automerge::{Automerge, ROOT};
use balai_shared::ids::{DocId, DocKind};
use balai_shared::model::{Gender, Person, minutes};
use balai_shared::region::VillageCode;
use balai_shared::store::Store;
use balai_sink::cluster::TempCluster;
use balai_sink::write::{checkpoint, restart_source};
use balai_sink::{Commit, Source, connect, migrate, project_feed, write_batch};

fn village() -> VillageCode {
    "18.01.05.2001".parse().expect("a village code")
}

fn forum(store: &Store, title: &str, names: &[&str]) -> DocId {
    let id = DocId::generate(DocKind::Minutes, village());
    store
        .edit(&id, |doc: &mut Automerge| {
            let new = minutes::NewMinutes {
                title: title.into(),
                date: "2026-11-20".into(),
                place: None,
                facilitator: None,
            };
            minutes::create(doc, &village(), &new)?;
            for name in names {
                let person = Person {
                    name: (*name).to_owned(),
                    gender: Some(Gender::F),
                    dusun: Some("Dusun I".into()),
                };
                minutes::attend(doc, &person, None)?;
            }
            Ok::<_, Box<dyn std::error::Error>>(())
        })
        .expect("write a forum");
    id
}

fn source() -> Source {
    Source {
        id: "00112233445566778899aabbccddeeff".into(),
        server_name: "test".into(),
    }
}

#[tokio::test]
async fn a_batch_and_its_checkpoint_commit_together_and_a_moved_checkpoint_writes_nothing() {
    let pg = TempCluster::start().expect("a PostgreSQL cluster");
    pg.create_database("balai").expect("a database");
    let mut client = connect(&pg.url("balai")).await.expect("connect");
    migrate(&mut client).await.expect("migrate");
    // Twice: a second run applies nothing and refuses nothing.
    migrate(&mut client).await.expect("migrate again");

    let store = Store::in_memory(None).expect("a store");
    let a = forum(&store, "Satu", &["Siti", "Dewi"]);
    let b = forum(&store, "Dua", &["Wati"]);
    let batch = project_feed(store.read_feed(0, 100, u64::MAX).expect("read the feed"));
    assert_eq!(batch.len(), 2);
    let src = source();
    let written = write_batch(&mut client, &src, 0, &batch)
        .await
        .expect("write");
    assert_eq!(
        written,
        Commit::Written {
            seq: 2,
            documents: 2,
            // 2 documents, 3 attendees, 2 + 1 + 2 changes.
            rows: 2 + 3 + 5,
        }
    );
    assert_eq!(checkpoint(&client, &src).await.expect("checkpoint"), 2);

    // A sink that believes the checkpoint is still 0 (a second server with this store id)
    // writes nothing, and learns where it is.
    let c = forum(&store, "Tiga", &["Ani"]);
    let late = project_feed(store.read_feed(2, 100, u64::MAX).expect("read"));
    assert_eq!(
        write_batch(&mut client, &src, 0, &late)
            .await
            .expect("refused"),
        Commit::Moved { actual: 2 }
    );
    assert_eq!(
        pg.psql("balai", "SELECT count(*) FROM documents").ok(),
        Some("2".into())
    );

    // Re-projection replaces: after an attendee is removed, re-writing `a` leaves one.
    store
        .edit(&a, |doc| {
            minutes::remove_attendee(doc, "Dewi", Some("Dusun I"))
                .map_err(Box::<dyn std::error::Error>::from)
        })
        .expect("remove Dewi");
    let again = project_feed(store.read_feed(2, 100, u64::MAX).expect("read"));
    assert_eq!(
        again.iter().map(|p| p.id.clone()).collect::<Vec<_>>(),
        vec![c.clone(), a.clone()],
        "each changed document once, in feed order"
    );
    let written = write_batch(&mut client, &src, 2, &again)
        .await
        .expect("write");
    assert!(
        matches!(written, Commit::Written { seq: 4, .. }),
        "{written:?}"
    );
    assert_eq!(
        pg.psql(
            "balai",
            &format!("SELECT string_agg(name, ',') FROM attendees WHERE doc_id = '{a}'")
        )
        .ok(),
        Some("Siti".into())
    );
    assert_eq!(
        pg.psql("balai", "SELECT count(*) FROM documents").ok(),
        Some("3".into())
    );
    assert_eq!(
        pg.psql(
            "balai",
            &format!("SELECT title FROM documents WHERE doc_id = '{b}'")
        )
        .ok(),
        Some("Dua".into())
    );

    // Starting a source again (a store restored from a backup) happens only from where it is,
    // and drops the source's rows with the checkpoint.
    assert_eq!(
        restart_source(&mut client, &src, 3).await.expect("refused"),
        Commit::Moved { actual: 4 }
    );
    assert!(matches!(
        restart_source(&mut client, &src, 4).await.expect("restart"),
        Commit::Written { seq: 0, .. }
    ));
    assert_eq!(checkpoint(&client, &src).await.expect("checkpoint"), 0);
    assert_eq!(
        pg.psql("balai", "SELECT count(*) FROM documents").ok(),
        Some("0".into())
    );
}

/// Run the sink over `store` until PostgreSQL has it projected up to the store's feed.
async fn sink_until_caught_up(pg: &TempCluster, store: &std::sync::Arc<Store>) {
    let (stop, stopped) = tokio::sync::watch::channel(false);
    let config = balai_sink::SinkConfig::new(pg.url("balai"));
    let sink = balai_sink::Sink::new(&config);
    let task = tokio::spawn(
        sink.clone()
            .run(store.clone(), config, "test".into(), stopped),
    );
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    let last = store.last_seq().expect("last seq");
    while !(sink.status().connected && sink.status().projected_seq == last) {
        assert!(
            std::time::Instant::now() < deadline,
            "the sink never caught up: {:?}",
            sink.status()
        );
        tokio::time::sleep(std::time::Duration::from_millis(20)).await;
    }
    stop.send_replace(true);
    task.await.expect("the sink stops");
}

fn titles(pg: &TempCluster) -> Option<String> {
    pg.psql(
        "balai",
        "SELECT string_agg(title, ',' ORDER BY title) FROM documents",
    )
    .ok()
}

#[tokio::test]
async fn a_store_restored_from_a_backup_is_projected_again_even_once_its_feed_is_past_the_checkpoint()
 {
    let pg = TempCluster::start().expect("a PostgreSQL cluster");
    pg.create_database("balai").expect("a database");
    let dir = tempfile::tempdir().expect("a temp dir");
    let (live, backup) = (dir.path().join("live.redb"), dir.path().join("backup.redb"));
    {
        let store = Store::open(&live, None).expect("a store");
        forum(&store, "A", &["Siti"]);
    }
    std::fs::copy(&live, &backup).expect("a backup");
    {
        let store = std::sync::Arc::new(Store::open(&live, None).expect("reopen"));
        forum(&store, "B", &["Dewi"]);
        forum(&store, "C", &["Wati"]);
        sink_until_caught_up(&pg, &store).await;
    }
    assert_eq!(titles(&pg), Some("A,B,C".into()));
    // The server is restored from the backup (same store id, feed at seq 1), and devices push
    // three documents before the sink looks: seqs 2-4, past the old checkpoint of 3.
    let restored = std::sync::Arc::new(Store::open(&backup, None).expect("the restored store"));
    for title in ["D", "E", "F"] {
        forum(&restored, title, &["Ani"]);
    }
    sink_until_caught_up(&pg, &restored).await;
    // B and C are not on the restored server (until devices push them again); D and E, which
    // took seqs the old checkpoint had passed, are in.
    assert_eq!(titles(&pg), Some("A,D,E,F".into()));
}

#[tokio::test]
async fn text_postgres_cannot_hold_is_replaced_not_fatal() {
    let pg = TempCluster::start().expect("a PostgreSQL cluster");
    pg.create_database("balai").expect("a database");
    let mut client = connect(&pg.url("balai")).await.expect("connect");
    migrate(&mut client).await.expect("migrate");
    let store = Store::in_memory(None).expect("a store");
    let id = forum(&store, "Rapat", &["Siti"]);
    // A foreign writer puts a NUL into the title (the model refuses control characters; a peer's
    // raw changes are not bound by it).
    store
        .edit(&id, |doc: &mut Automerge| {
            let mut tx = doc.transaction();
            tx.put(ROOT, "title", "Ra\0pat")?;
            tx.commit();
            Ok::<_, Box<dyn std::error::Error>>(())
        })
        .expect("a raw edit");
    let batch = project_feed(store.read_feed(0, 10, u64::MAX).expect("read"));
    let written = write_batch(&mut client, &source(), 0, &batch)
        .await
        .expect("NUL does not fail the batch");
    assert!(matches!(written, Commit::Written { documents: 1, .. }));
    assert_eq!(
        pg.psql(
            "balai",
            "SELECT title || '|' || (view->>'title') FROM documents"
        )
        .ok(),
        Some("Ra\u{FFFD}pat|Ra\u{FFFD}pat".into())
    );
}
