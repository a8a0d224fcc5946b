//! Criterion micro-benchmarks of the engine's hot paths: generating offers for many documents,
//! receiving them, a whole session between two in-memory stores, and store writes with and
//! without batching (on disk, so fsyncs count).

use std::hint::black_box;
use std::sync::Arc;

use automerge::ActorId;
use balai_shared::ids::{DocId, DocKind, StoreId};
use balai_shared::model::{Person, training};
use balai_shared::store::Store;
use balai_shared::sync::{Envelope, Role, Session, SessionConfig};
use criterion::{BatchSize, Criterion, criterion_group, criterion_main};

const VILLAGE: &str = "18.01.05.2001";

fn actor(n: u8) -> ActorId {
    ActorId::from([n; 16].as_slice())
}

/// A training with `people` participants checked in to session 1: 1 + 2×people changes.
fn record_training(doc: &mut automerge::Automerge, people: usize) {
    let village = VILLAGE.parse().expect("valid village");
    training::create(
        doc,
        &village,
        &training::NewTraining {
            topic: "Budidaya cabai".into(),
            category: None,
            trainer: None,
            sessions: vec!["2026-12-01".into(), "2026-12-08".into()],
        },
    )
    .expect("create");
    for i in 0..people {
        let p = Person {
            name: format!("Peserta {i}"),
            gender: None,
            dusun: Some("I".into()),
        };
        training::enroll(doc, &p).expect("enroll");
        training::check_in(doc, 1, &p.name, p.dusun.as_deref(), "bench").expect("check in");
    }
}

/// An in-memory store with `docs` trainings of 10 participants each.
fn store_with(docs: usize) -> Arc<Store> {
    let store = Store::in_memory(Some(actor(1))).expect("store");
    let village: balai_shared::region::VillageCode = VILLAGE.parse().expect("valid village");
    for chunk in (0..docs).collect::<Vec<_>>().chunks(200) {
        store
            .batch(|b| -> Result<(), balai_shared::store::StoreError> {
                for _ in chunk {
                    let id = DocId::generate(DocKind::Training, village.clone());
                    record_training(b.doc_mut(&id)?, 10);
                }
                Ok(())
            })
            .expect("batch");
    }
    Arc::new(store)
}

/// Run a session between two stores to completion, in memory; returns frames moved.
fn run_session(device: Arc<Store>, server: Arc<Store>) -> usize {
    let mut init = Session::new(device, Role::Initiator, SessionConfig::new("device"));
    let mut resp = Session::new(server, Role::Responder, SessionConfig::new("server"));
    let mut to_resp: Vec<Envelope> = init.start().expect("start");
    let mut moved = 0;
    while !init.is_finished() {
        moved += to_resp.len();
        let to_init = resp
            .receive(std::mem::take(&mut to_resp))
            .expect("responder");
        moved += to_init.len();
        to_resp = init.receive(to_init).expect("initiator");
    }
    moved
}

fn offers(c: &mut Criterion) {
    let mut group = c.benchmark_group("offers");
    group.sample_size(10);
    let store = store_with(1000);
    // The initiator offers in its first flight when it knows its peer: 1,000 documents' first
    // sync messages (heads and a bloom filter each).
    group.bench_function("generate 1000 offers", |b| {
        b.iter(|| {
            let mut config = SessionConfig::new("device");
            config.expected_peer = Some(StoreId::random());
            let mut s = Session::new(store.clone(), Role::Initiator, config);
            black_box(s.start().expect("start").len())
        });
    });
    let mut config = SessionConfig::new("device");
    config.expected_peer = Some(StoreId::random());
    let first = Session::new(store.clone(), Role::Initiator, config)
        .start()
        .expect("start");
    // A server that has none of them receives the 1,000 offers: one durable batch, 1,000 replies.
    let server = Arc::new(Store::in_memory(None).expect("store"));
    group.bench_function("receive 1000 offers", |b| {
        b.iter(|| {
            let mut s = Session::new(
                server.clone(),
                Role::Responder,
                SessionConfig::new("server"),
            );
            black_box(s.receive(first.clone()).expect("receive").len())
        });
    });
    group.finish();
}

fn sessions(c: &mut Criterion) {
    let mut group = c.benchmark_group("session");
    group.sample_size(10);
    let device = store_with(200);
    group.bench_function("initial sync of 200 trainings", |b| {
        b.iter_batched(
            || Arc::new(Store::in_memory(None).expect("store")),
            |server| black_box(run_session(device.clone(), server)),
            BatchSize::PerIteration,
        );
    });
    let server = Arc::new(Store::in_memory(None).expect("store"));
    run_session(device.clone(), server.clone());
    group.bench_function("no-op resync of 200 trainings", |b| {
        b.iter(|| black_box(run_session(device.clone(), server.clone())));
    });
    group.finish();
}

fn store_writes(c: &mut Criterion) {
    let mut group = c.benchmark_group("store");
    group.sample_size(10);
    let dir = tempfile::tempdir().expect("tempdir");
    let store = Store::open(&dir.path().join("bench.redb"), Some(actor(2))).expect("store");
    let village: balai_shared::region::VillageCode = VILLAGE.parse().expect("valid village");
    let ids: Vec<DocId> = (0..100)
        .map(|_| DocId::generate(DocKind::Training, village.clone()))
        .collect();
    for id in &ids {
        store
            .edit(id, |d| -> Result<(), balai_shared::store::StoreError> {
                record_training(d, 5);
                Ok(())
            })
            .expect("create");
    }
    let mut n = 0u64;
    let mut check_in = |d: &mut automerge::Automerge| {
        n += 1;
        training::check_in(d, 2, &format!("Tamu {n}"), Some("II"), "bench").expect("check in");
    };
    group.bench_function("100 check-ins, one batch each", |b| {
        b.iter(|| {
            for id in &ids {
                store
                    .edit(id, |d| -> Result<(), balai_shared::store::StoreError> {
                        check_in(d);
                        Ok(())
                    })
                    .expect("edit");
            }
        });
    });
    group.bench_function("100 check-ins, one batch", |b| {
        b.iter(|| {
            store
                .batch(|bt| -> Result<(), balai_shared::store::StoreError> {
                    for id in &ids {
                        check_in(bt.doc_mut(id)?);
                    }
                    Ok(())
                })
                .expect("batch");
        });
    });
    group.finish();
}

criterion_group!(benches, offers, sessions, store_writes);
criterion_main!(benches);
