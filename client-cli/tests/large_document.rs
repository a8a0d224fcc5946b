//! A document larger than the largest gRPC message crosses the real gRPC path (in-process server,
//! the same client driver as `balai sync`) in parts, both up and down.

use std::sync::Arc;

use automerge::transaction::Transactable;
use balai_net::client::{Connection, sync_with_server};
use balai_server::access::{Access, Role};
use balai_server::{MAX_MESSAGE_BYTES, ServerConfig};
use balai_shared::ids::{DocId, DocKind};
use balai_shared::store::{Store, StoreError};

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_document_larger_than_one_grpc_message_syncs_in_parts() {
    let server_store = Arc::new(Store::in_memory(None).expect("store"));
    let access = Arc::new(Access::in_memory().expect("access"));
    let listener = balai_server::bind(([127, 0, 0, 1], 0).into())
        .await
        .expect("bind");
    let url = format!("http://{}", listener.local_addr().expect("addr"));
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(balai_server::run(
        listener,
        server_store.clone(),
        access.clone(),
        ServerConfig::default(),
        async {
            let _ = stopped.await;
        },
    ));
    let connection = |name: &str| {
        let (_, token) = access
            .add(name, Role::Facilitator, &["18".to_owned()])
            .expect("enroll");
        Connection {
            url: url.clone(),
            token: Some(token.0),
            ..Connection::default()
        }
    };

    // One incompressible value bigger than a gRPC message: a single op, so building it is cheap.
    let size = MAX_MESSAGE_BYTES + MAX_MESSAGE_BYTES / 2;
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let blob: Vec<u8> = (0..size)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            state.to_le_bytes()[0]
        })
        .collect();
    let a = Arc::new(
        Store::in_memory(Some(automerge::ActorId::from(b"device-a".as_slice()))).expect("store"),
    );
    let id = DocId::generate(DocKind::Minutes, "18.01.05.2001".parse().expect("valid"));
    a.edit(&id, |doc| {
        let mut tx = doc.transaction();
        tx.put(
            automerge::ROOT,
            "attachment",
            automerge::ScalarValue::Bytes(blob.clone()),
        )
        .map_err(|e| StoreError::Corrupt(e.to_string()))?;
        tx.commit();
        Ok::<_, StoreError>(())
    })
    .expect("write");

    let (up, _) = sync_with_server(
        a.clone(),
        &connection("device-a"),
        "device-a",
        None,
        &|_| {},
    )
    .await
    .expect("upload in parts");
    assert!(up.doc_bytes_sent > MAX_MESSAGE_BYTES as u64, "{up:?}");

    let b = Arc::new(Store::in_memory(None).expect("store"));
    let (down, _) = sync_with_server(
        b.clone(),
        &connection("device-b"),
        "device-b",
        None,
        &|_| {},
    )
    .await
    .expect("download in parts");
    assert!(
        down.doc_bytes_received > MAX_MESSAGE_BYTES as u64,
        "{down:?}"
    );
    let got = b.load(&id).expect("load").expect("present");
    let want = a.load(&id).expect("load").expect("present");
    assert_eq!(got.get_heads(), want.get_heads());

    let _ = stop.send(());
    server.await.expect("join").expect("clean shutdown");
}
