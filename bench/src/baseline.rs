//! The baseline: sync the way automerge-repo does — one automerge sync exchange per document the
//! device holds, no change feed — over the same transport (the same gRPC stream, the same real
//! server and engine on the other end). The table shows it next to Balai's own client.
//!
//! The device announces every document with `generate_sync_message` from its persisted sync state
//! (more generous to the baseline than automerge-repo, which starts each connection afresh) and
//! answers every reply until automerge has nothing more to say. Its `Hello` tells the server it
//! already has everything of the server's feed, so the server offers nothing of its own: only
//! the per-document exchange is measured.

use std::collections::{HashMap, HashSet};
use std::sync::Arc;

use anyhow::{Context, bail};
use automerge::sync::{Message, State, SyncDoc};
use balai_net::wire::{frames, single};
use balai_shared::ids::{DocId, StoreId};
use balai_shared::proto::v1::{self, balai_sync_client::BalaiSyncClient};
use balai_shared::store::Store;
use balai_shared::sync::{DocMessage, Frame, Hello, PROTOCOL_VERSION, Stamper};
use futures::StreamExt;
use tokio::sync::mpsc;
use tokio_stream::wrappers::UnboundedReceiverStream;

use crate::client::Connection;

/// What a baseline sync did.
#[derive(Clone, Debug, Default)]
pub struct BaselineReport {
    pub doc_bytes_sent: u64,
    pub doc_bytes_received: u64,
    pub change_bytes_sent: u64,
    pub round_trips: u64,
    pub docs: u64,
}

/// Sync every document of `store` with the server, one automerge exchange per document.
pub async fn sync(
    store: Arc<Store>,
    conn: &Connection,
    device: &str,
    server: StoreId,
) -> anyhow::Result<BaselineReport> {
    let channel = balai_net::client::connect(conn).await?;
    let mut client = BalaiSyncClient::new(channel)
        .max_decoding_message_size(balai_server::MAX_MESSAGE_BYTES)
        .max_encoding_message_size(balai_server::MAX_MESSAGE_BYTES)
        .send_compressed(tonic::codec::CompressionEncoding::Gzip)
        .accept_compressed(tonic::codec::CompressionEncoding::Gzip);
    let mut report = BaselineReport::default();
    // Unbounded: the whole first flight is queued before any reply is read, so writing it can
    // never wait on the server, which may itself be waiting for us to read its replies (HTTP/2
    // flow control). Frames leave in the order they are queued, as their numbers say.
    let (tx, rx) = mpsc::unbounded_channel::<v1::Frame>();
    let mut stamps = Stamper::new(rand::random::<u64>() | 1);
    let record = store.peer(&server)?;

    // First flight: hello, then one sync message per document.
    let ids: Vec<DocId> = store.docs()?.into_iter().map(|(id, _)| id).collect();
    report.docs = ids.len() as u64;
    let mut states: HashMap<DocId, State> = HashMap::new();
    let mut first: Vec<Frame> = vec![Frame::Hello(Hello {
        protocol: PROTOCOL_VERSION,
        store_id: store.id(),
        name: device.to_owned(),
        your_id: Some(server),
        // "I have all of your feed" (the device synced before, so its checkpoint is the server's
        // whole feed): the server offers nothing; every exchange is ours.
        since: record.checkpoint,
        since_epoch: record.checkpoint_epoch,
        epoch: store.feed_epoch()?,
        reset: false,
        offering_from: 0,
        scopes: Vec::new(),
    })];
    let mut awaiting: HashSet<DocId> = HashSet::new();
    for id in &ids {
        if let Some(frame) = generate(&store, &mut states, &server, id, &mut report)? {
            awaiting.insert(id.clone());
            first.push(frame);
        }
    }
    first.push(Frame::OffersEnd { upto: 0 });
    let mut frames_received = 0u64;
    let mut last_done: Option<u64> = None;
    let mut their_end = false;
    // One document per gRPC message, as automerge-repo sends them.
    let request = tonic::Request::new(UnboundedReceiverStream::new(rx).map(single));
    for f in first {
        tx.send(stamps.stamp(f).into())
            .context("server went away")?;
    }
    report.round_trips = 1;
    let mut inbound = frames(client.sync_frames(request).await?.into_inner());
    let mut parts = balai_shared::proto::Reassembler::default();
    loop {
        let Some(frame) = inbound.next().await else {
            bail!("server closed the baseline session early");
        };
        let mut batch = vec![frame?];
        while let Some(Some(f)) = futures::FutureExt::now_or_never(inbound.next()) {
            batch.push(f?);
            if batch.len() >= 256 {
                break;
            }
        }
        let mut incoming: Vec<(DocId, Message)> = Vec::new();
        let mut complete = false;
        for wire in batch {
            let Some(f) = parts.push(wire)? else {
                continue;
            };
            frames_received += 1;
            match f.frame {
                Frame::Doc(d) => {
                    report.doc_bytes_received += d.sync.len() as u64;
                    if d.sync.is_empty() {
                        // The server has nothing to say for it.
                        awaiting.remove(&d.doc_id);
                    } else {
                        incoming.push((d.doc_id, Message::decode(&d.sync)?));
                    }
                }
                Frame::OffersEnd { .. } => their_end = true,
                Frame::Complete { .. } => complete = true,
                Frame::Hello(_) | Frame::Done { .. } => {}
            }
        }
        // Apply durably, as a real client must before answering.
        let mut touched = Vec::new();
        if !incoming.is_empty() {
            store.batch(|b| -> anyhow::Result<()> {
                for (id, msg) in incoming {
                    let state = states.entry(id.clone()).or_default();
                    b.doc_mut(&id)?.receive_sync_message(state, msg)?;
                    awaiting.remove(&id);
                    touched.push(id);
                }
                Ok(())
            })?;
        }
        if complete {
            break;
        }
        let mut out = Vec::new();
        for id in &touched {
            if let Some(frame) = generate(&store, &mut states, &server, id, &mut report)? {
                out.push(frame);
            }
        }
        if !out.is_empty() {
            report.round_trips += 1;
        }
        if their_end && awaiting.is_empty() && last_done != Some(frames_received) {
            last_done = Some(frames_received);
            out.push(Frame::Done {
                received: frames_received,
            });
        }
        for f in out {
            tx.send(stamps.stamp(f).into())
                .context("server went away")?;
        }
    }
    drop(tx);
    Ok(report)
}

fn generate(
    store: &Store,
    states: &mut HashMap<DocId, State>,
    server: &StoreId,
    id: &DocId,
    report: &mut BaselineReport,
) -> anyhow::Result<Option<Frame>> {
    if !states.contains_key(id) {
        states.insert(id.clone(), store.sync_state(server, id)?);
    }
    let state = states.get_mut(id).context("state just inserted")?;
    let msg = store
        .with_doc(id, |doc| doc.generate_sync_message(state))?
        .flatten();
    Ok(msg.map(|m| {
        report.change_bytes_sent += m.changes.iter().map(<[u8]>::len).sum::<usize>() as u64;
        let sync = m.encode();
        report.doc_bytes_sent += sync.len() as u64;
        Frame::Doc(DocMessage {
            doc_id: id.clone(),
            offer_seq: 0,
            heads: Vec::new(),
            sync,
            whole: false,
        })
    }))
}
