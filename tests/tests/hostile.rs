//! Hostile peers, end to end: an attacker holding one enrolled facilitator token speaks the raw
//! gRPC sync protocol (not the CLI) and sends what no honest client would. For every attack:
//!
//! (a) the refusal has the expected status code and its message says what happened;
//! (b) the server stays up: a legitimate device's `balai sync` works afterwards;
//! (c) nothing of any other device changed: the victim's `show --json`, and, read from the
//!     server's store while it is stopped, every peer record (checkpoints, acks) that existed
//!     before, every document record, and the victim's shared heads per document.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::thread;
use std::time::{Duration, Instant};

use automerge::sync::{Message, State, SyncDoc};
use automerge::transaction::Transactable;
use automerge::{Automerge, ChangeHash, ObjType, ROOT, ReadDoc};
use balai_e2e::{COMMAND_TIMEOUT, Device, Server, TempDir, Value, ids, new_minutes};
use balai_net::wire::{FrameStream, single};
use balai_server::store_path;
use balai_shared::ids::{DocId, DocKind, StoreId};
use balai_shared::model::minutes::{self, NewMinutes};
use balai_shared::proto::v1::{self, balai_sync_client::BalaiSyncClient, frame::Body};
use balai_shared::proto::{Reassembler, to_wire};
use balai_shared::store::{DocRecord, PeerRecord, Store};
use balai_shared::sync::{DocMessage, Envelope, Frame, Hello, PROTOCOL_VERSION, Stamper};
use tokio::sync::mpsc;
use tokio_stream::StreamExt;
use tokio_stream::wrappers::ReceiverStream;
use tonic::{Code, Request, Status};

const VILLAGE_A: &str = "18.01.05.2001";
const VILLAGE_B: &str = "18.01.05.2002";
/// How long the server may take to answer or end a raw stream.
const RAW_TIMEOUT: Duration = Duration::from_secs(30);
/// The attacker's device name (its token is enrolled by [`scene`]).
const ATTACKER: &str = "hp-mallory";
/// `--max-sessions-per-device` by default.
const DEFAULT_SESSIONS_PER_DEVICE: usize = 4;

// ---------------------------------------------------------------------------------------------
// Raw protocol helpers

/// How a raw client stamps the wire frames it sends (protocol 2: every frame carries the
/// sender's session nonce and its number in the sender's stream). With a nonce, a frame sent
/// unstamped (`session` and `number` both 0) gets the nonce and the next number, as the engine
/// would stamp it: the parts of one document message (`more`) keep one number. A frame a test
/// stamped itself goes as it is, but takes its place in the stream all the same (the next frame
/// gets the number after it), so an attack differs from an honest stream only in that frame.
/// Without a nonce ([`Stamps::off`]), every frame goes as it is: a client of protocol 1.
#[derive(Debug)]
struct Stamps {
    session: Option<u64>,
    next: u64,
}

impl Stamps {
    /// A new session with a random non-zero nonce.
    fn new() -> Stamps {
        Stamps::with(nonce())
    }

    fn with(session: u64) -> Stamps {
        assert_ne!(session, 0, "a session nonce is never 0");
        Stamps {
            session: Some(session),
            next: 1,
        }
    }

    /// Send every frame as it is.
    fn off() -> Stamps {
        Stamps {
            session: None,
            next: 1,
        }
    }

    fn apply(&mut self, mut frame: v1::Frame) -> v1::Frame {
        let more = matches!(&frame.body, Some(Body::Doc(d)) if d.more);
        if let Some(session) = self.session
            && frame.session == 0
            && frame.number == 0
        {
            frame.session = session;
            frame.number = self.next;
        }
        if !more {
            self.next += 1;
        }
        frame
    }
}

/// A random non-zero session nonce.
fn nonce() -> u64 {
    let id = StoreId::random();
    let bytes: [u8; 8] = id.as_bytes()[..8].try_into().expect("16-byte store id");
    u64::from_le_bytes(bytes).max(1)
}

/// One raw sync stream: what we send, and what the server answers.
struct Raw {
    tx: mpsc::Sender<v1::Frame>,
    inbound: FrameStream<Status>,
    stamps: Stamps,
}

impl Raw {
    /// Open a stream with `token`, with `frames` already queued (stamped for a new session), so
    /// they leave before anything is read (one engine batch on the server when they are small).
    async fn open(url: &str, token: &str, frames: Vec<v1::Frame>) -> Result<Raw, Status> {
        Raw::open_with(url, token, Stamps::new(), frames).await
    }

    /// [`Raw::open`], stamping with `stamps`.
    async fn open_with(
        url: &str,
        token: &str,
        mut stamps: Stamps,
        frames: Vec<v1::Frame>,
    ) -> Result<Raw, Status> {
        let channel = tonic::transport::Endpoint::from_shared(url.to_owned())
            .expect("url")
            .connect()
            .await
            .expect("connect to the server");
        let header: tonic::metadata::MetadataValue<_> =
            format!("Bearer {token}").parse().expect("ascii token");
        let mut client = BalaiSyncClient::with_interceptor(channel, move |mut req: Request<()>| {
            req.metadata_mut().insert("authorization", header.clone());
            Ok(req)
        })
        .max_encoding_message_size(usize::MAX)
        .max_decoding_message_size(usize::MAX);
        let (tx, rx) = mpsc::channel(frames.len() + 64);
        for f in frames {
            tx.send(stamps.apply(f)).await.expect("queue frame");
        }
        let batches = ReceiverStream::new(rx).map(single);
        let inbound = tokio::time::timeout(RAW_TIMEOUT, client.sync_frames(batches))
            .await
            .expect("the server answers a new stream in bounded time")?
            .into_inner();
        let inbound = balai_net::wire::frames(inbound);
        Ok(Raw {
            tx,
            inbound,
            stamps,
        })
    }

    /// Send one more frame, stamped (ignored if the server already ended the stream).
    async fn send(&mut self, frame: v1::Frame) {
        let frame = self.stamps.apply(frame);
        let _ = self.tx.send(frame).await;
    }

    /// The next frame, the end of the stream (`None`) or its failure, before `deadline`.
    async fn next(&mut self, deadline: Instant) -> Option<Result<v1::Frame, Status>> {
        next_before(&mut self.inbound, deadline).await
    }

    /// Everything the server sends until it ends or fails the stream (our side stays open).
    async fn outcome(self, within: Duration) -> Result<Vec<v1::Frame>, Status> {
        let (got, end) = self.frames_and_end(within).await;
        end.map(|()| got)
    }

    /// What the server sends until it ends (`Ok`) or fails the stream, and how it ended.
    async fn frames_and_end(mut self, within: Duration) -> (Vec<v1::Frame>, Result<(), Status>) {
        let deadline = Instant::now() + within;
        let mut got = Vec::new();
        loop {
            match self.next(deadline).await {
                None => return (got, Ok(())),
                Some(Err(status)) => return (got, Err(status)),
                Some(Ok(frame)) => got.push(frame),
            }
        }
    }
}

async fn next_before(
    inbound: &mut FrameStream<Status>,
    deadline: Instant,
) -> Option<Result<v1::Frame, Status>> {
    tokio::time::timeout_at(tokio::time::Instant::from_std(deadline), inbound.next())
        .await
        .unwrap_or_else(|_| panic!("the server neither answered nor ended the stream in time"))
}

/// Open a stream, send `frames` (stamped for a new session), and collect what comes back until
/// the server ends or fails it.
async fn attempt(url: &str, token: &str, frames: Vec<v1::Frame>) -> Result<Vec<v1::Frame>, Status> {
    attempt_with(url, token, Stamps::new(), frames).await
}

/// [`attempt`], stamping with `stamps`.
async fn attempt_with(
    url: &str,
    token: &str,
    stamps: Stamps,
    frames: Vec<v1::Frame>,
) -> Result<Vec<v1::Frame>, Status> {
    Raw::open_with(url, token, stamps, frames)
        .await?
        .outcome(RAW_TIMEOUT)
        .await
}

/// An engine frame as one wire frame, unstamped (the raw client stamps it when it sends it).
fn wire(frame: Frame) -> v1::Frame {
    let mut parts = unstamped_parts(frame);
    assert_eq!(parts.len(), 1, "one wire frame");
    parts.remove(0)
}

/// An engine frame as wire frames (parts for a large document message), unstamped.
fn unstamped_parts(frame: Frame) -> Vec<v1::Frame> {
    to_wire(Envelope {
        session: 0,
        number: 0,
        frame,
    })
}

fn hello_frame(store: StoreId) -> Frame {
    Frame::Hello(Hello {
        protocol: PROTOCOL_VERSION,
        store_id: store,
        name: ATTACKER.into(),
        your_id: None,
        since: 0,
        since_epoch: 0,
        epoch: 0,
        reset: false,
        offering_from: 0,
        scopes: Vec::new(),
    })
}

fn hello(store: StoreId) -> v1::Frame {
    wire(hello_frame(store))
}

/// A head for offers of documents whose heads do not matter to the attack (the server holds no
/// change with this hash): an offer must announce at least one head, or it is refused before
/// anything else in it is looked at.
fn a_head() -> Vec<Vec<u8>> {
    vec![vec![0xAB; 32]]
}

/// A document's heads, as an offer announces them.
fn heads_of(doc: &Automerge) -> Vec<Vec<u8>> {
    doc.get_heads().iter().map(|h| h.0.to_vec()).collect()
}

/// A document message with any id string and any heads (the core type would refuse a bad id),
/// unstamped.
fn doc_wire(
    doc_id: &str,
    offer_seq: u64,
    heads: Vec<Vec<u8>>,
    sync: Vec<u8>,
    more: bool,
) -> v1::Frame {
    v1::Frame {
        body: Some(Body::Doc(v1::DocMessage {
            doc_id: doc_id.into(),
            offer_seq,
            sync,
            more,
            heads,
            whole: false,
        })),
        ..Default::default()
    }
}

fn done(received: u64) -> v1::Frame {
    wire(Frame::Done { received })
}

fn offers_end(upto: u64) -> v1::Frame {
    wire(Frame::OffersEnd { upto })
}

fn is_hello(frame: &v1::Frame) -> bool {
    matches!(frame.body, Some(Body::Hello(_)))
}

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

fn uleb(mut v: u64, out: &mut Vec<u8>) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            out.push(byte);
            return;
        }
        out.push(byte | 0x80);
    }
}

/// A hand-encoded automerge sync message: no heads, no needs, one `have` without last-sync hashes
/// whose Bloom filter claims `probes` probes (1 entry, 8 bits per entry, 1 byte of bits), no
/// changes. automerge would probe that many times per change it considers.
fn bloom_bomb(probes: u64) -> Vec<u8> {
    let mut bloom = Vec::new();
    uleb(1, &mut bloom); // entries
    uleb(8, &mut bloom); // bits per entry
    uleb(probes, &mut bloom);
    bloom.push(0); // the bits
    let mut msg = vec![0x42, 0, 0, 1, 0];
    uleb(bloom.len() as u64, &mut msg);
    msg.extend(bloom);
    msg.push(0); // changes
    msg
}

/// A sync message that carries every change of `doc`, as the second message to a peer that has
/// none of it (found by syncing with an empty document locally), so it can be pushed in the first
/// flight, before the server has said anything.
fn push_message(doc: &Automerge) -> Vec<u8> {
    let mut doc = doc.clone();
    let mut empty = Automerge::new();
    let (mut ours, mut theirs) = (State::new(), State::new());
    let first = doc
        .generate_sync_message(&mut ours)
        .expect("a first message");
    empty
        .receive_sync_message(&mut theirs, first)
        .expect("empty peer receives");
    let reply = empty
        .generate_sync_message(&mut theirs)
        .expect("the empty peer replies");
    doc.receive_sync_message(&mut ours, reply)
        .expect("receive reply");
    let push = doc
        .generate_sync_message(&mut ours)
        .expect("a message with changes");
    assert!(!push.changes.is_empty(), "the push carries changes");
    push.encode()
}

/// Minutes as `balai minutes new` makes them (so devices can list and show them).
fn minutes_doc(village: &str, title: &str) -> Automerge {
    let mut doc = Automerge::new();
    minutes::create(
        &mut doc,
        &village.parse().expect("village"),
        &NewMinutes {
            title: title.into(),
            date: "2026-11-29".into(),
            place: None,
            facilitator: None,
        },
    )
    .expect("create minutes");
    doc
}

/// Changes a hostile peer makes to a document once it holds the server's copy.
type Mutation = Box<dyn FnOnce(&mut Automerge)>;

/// Run automerge's sync protocol against the server the way the engine's initiator does: offer
/// `offers` (with their heads), answer every document message (every offer at least with an
/// empty message), say `Done` once the server's offers are over and each of ours has had an
/// answer. With `mutate`, change that document once the server's copy of it has arrived (so the
/// change builds on it). Ends with the server's refusal, or `Ok` if the server completed the
/// session.
async fn automerge_session(
    url: &str,
    token: &str,
    store: StoreId,
    offers: Vec<(DocId, Automerge)>,
    mut mutate: Option<(DocId, Mutation)>,
) -> Result<(), Status> {
    let mut docs: HashMap<DocId, (Automerge, State)> = HashMap::new();
    let mut unanswered: HashSet<DocId> = HashSet::new();
    let mut initial = vec![hello(store)];
    let count = offers.len() as u64;
    for (seq, (id, doc)) in (1..).zip(offers) {
        let mut state = State::new();
        let first = doc.generate_sync_message(&mut state).expect("an offer");
        initial.extend(unstamped_parts(Frame::Doc(DocMessage {
            doc_id: id.clone(),
            offer_seq: seq,
            heads: doc.get_heads(),
            sync: first.encode(),
            whole: false,
        })));
        unanswered.insert(id.clone());
        docs.insert(id, (doc, state));
    }
    initial.push(offers_end(count));
    let mut raw = Raw::open(url, token, initial).await?;
    let deadline = Instant::now() + RAW_TIMEOUT;
    let mut parts = Reassembler::default();
    let mut received = 0u64;
    let mut their_offers_end = false;
    let mut last_done = None;
    loop {
        let wire = match raw.next(deadline).await {
            None => return Ok(()),
            Some(Err(status)) => return Err(status),
            Some(Ok(wire)) => wire,
        };
        let Some(envelope) = parts
            .push(wire)
            .expect("the server's frames are well formed")
        else {
            continue;
        };
        received += 1;
        assert_eq!(
            envelope.number, received,
            "the server numbers its frames from 1"
        );
        match envelope.frame {
            Frame::Hello(_) | Frame::Done { .. } => {}
            Frame::OffersEnd { .. } => their_offers_end = true,
            Frame::Complete { .. } => return Ok(()),
            Frame::Doc(msg) => {
                unanswered.remove(&msg.doc_id);
                let (doc, state) = docs
                    .entry(msg.doc_id.clone())
                    .or_insert_with(|| (Automerge::new(), State::new()));
                // A whole document (an offer of one we share nothing of) is loaded: held now, its
                // heads are what both sides share, and the answer is empty unless we change it.
                let mut now_held = false;
                if msg.whole {
                    now_held = doc.get_heads().is_empty();
                    doc.load_incremental(&msg.sync)
                        .expect("the server's whole document loads");
                    if now_held {
                        state.shared_heads = doc.get_heads();
                    }
                } else if !msg.sync.is_empty() {
                    // An empty message says nothing (an answer with nothing to ask).
                    let sync =
                        Message::decode(&msg.sync).expect("the server's sync message decodes");
                    doc.receive_sync_message(state, sync)
                        .expect("the server's sync message applies");
                }
                if mutate
                    .as_ref()
                    .is_some_and(|(target, _)| *target == msg.doc_id)
                    && !doc.get_heads().is_empty()
                    && let Some((_, change)) = mutate.take()
                {
                    change(doc);
                }
                let changed = doc.get_heads() != state.shared_heads;
                let reply = match doc.generate_sync_message(state) {
                    Some(_) if now_held && !changed => Some(Vec::new()),
                    Some(reply) => Some(reply.encode()),
                    // Every offer is answered, with an empty message if there is nothing to say.
                    None if msg.offer_seq != 0 => Some(Vec::new()),
                    None => None,
                };
                if let Some(sync) = reply {
                    for wire in unstamped_parts(Frame::Doc(DocMessage {
                        doc_id: msg.doc_id,
                        offer_seq: 0,
                        heads: Vec::new(),
                        sync,
                        whole: false,
                    })) {
                        raw.send(wire).await;
                    }
                }
            }
        }
        // Like the engine: `Done` with what we processed, even after a reply (if the reply draws
        // an answer, the server's frame count moves past ours and we say `Done` again later).
        if their_offers_end && unanswered.is_empty() && last_done != Some(received) {
            last_done = Some(received);
            raw.send(done(received)).await;
        }
    }
}

/// Assert a refusal: its code, and that its message contains one of `needles`.
fn assert_refused<T: std::fmt::Debug>(
    what: &str,
    result: Result<T, Status>,
    code: Code,
    needles: &[&str],
) -> Status {
    let status = match result {
        Ok(v) => panic!("{what}: expected {code:?}, but the server went along: {v:?}"),
        Err(status) => status,
    };
    assert_eq!(status.code(), code, "{what}: {status:?}");
    assert!(
        needles.iter().any(|n| status.message().contains(n)),
        "{what}: the message should mention one of {needles:?}: {status:?}"
    );
    // Shown with --nocapture: what an attacker is told.
    eprintln!(
        "refused as expected ({what}): {:?}: {}",
        status.code(),
        status.message()
    );
    status
}

// ---------------------------------------------------------------------------------------------
// The scene: a server, a victim with a document, an attacker's token, and snapshots

/// What the server holds that an attack must not change, read from its store while it is stopped.
#[derive(Debug, PartialEq)]
struct ServerState {
    peers: BTreeMap<StoreId, PeerRecord>,
    docs: Vec<(DocId, DocRecord)>,
    /// The victim's persisted shared heads, per document the server holds.
    victim_shared: Vec<(DocId, Option<Vec<ChangeHash>>)>,
}

/// Stop the server (SIGKILL: every acknowledged batch is durable), read its store, start it again.
fn stopped_state(server: &mut Server, victim: StoreId) -> ServerState {
    server.kill9();
    let state = {
        let store =
            Store::open(&store_path(server.data()), None).expect("open the stopped server's store");
        let peers = store.peers().expect("read peers").into_iter().collect();
        let docs = store.docs().expect("read docs");
        let victim_shared = docs
            .iter()
            .map(|(id, _)| {
                let heads = store.shared_heads(&victim, id).expect("read shared heads");
                (id.clone(), heads)
            })
            .collect();
        ServerState {
            peers,
            docs,
            victim_shared,
        }
    };
    server.restart();
    state
}

/// A device's store id, from `balai status --json`.
fn store_id(device: &Device) -> StoreId {
    let status = device.status_json();
    let hex = status["store"]
        .as_str()
        .unwrap_or_else(|| panic!("status prints the store id: {status:#}"));
    let bytes: Vec<u8> = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).expect("hex store id"))
        .collect();
    StoreId::from_slice(&bytes).expect("a 16-byte store id")
}

/// Documents a device holds, whether or not they can be listed.
fn doc_count(device: &Device) -> u64 {
    let status = device.status_json();
    status["documents"]
        .as_u64()
        .unwrap_or_else(|| panic!("status counts documents: {status:#}"))
}

fn sorted_ids(device: &Device) -> Vec<String> {
    let mut got = ids(&device.list_json());
    got.sort();
    got
}

fn audit(server: &Server) -> Vec<Value> {
    match server.admin().json(&["admin", "audit", "--json"]) {
        Value::Array(rows) => rows,
        other => panic!("audit is not a list: {other}"),
    }
}

struct Scene {
    server: Server,
    /// A facilitator of village A with one synced document.
    victim: Device,
    victim_store: StoreId,
    victim_doc: String,
    victim_view: Value,
    /// The attacker's token and the store id it claims.
    token: String,
    attacker: StoreId,
    before: ServerState,
    /// Dropped after the server.
    _data: TempDir,
}

/// Start a server with `flags`, let a victim in village A sync a document, enroll the attacker
/// for `attacker_scope`, and snapshot the server's state (stopped, then started again).
fn scene(flags: &[&str], attacker_scope: &str) -> Scene {
    let data = tempfile::tempdir().expect("tempdir");
    let mut server = Server::start_args(data.path(), flags);
    let victim = server.device_scoped("hp-victim", VILLAGE_A);
    let victim_doc = new_minutes(&victim, VILLAGE_A, "Musyawarah");
    victim.ok(&["minutes", "note", &victim_doc, "sebelum serangan"]);
    let report = victim.sync();
    assert_eq!(report["docs_sent"], 1, "{report}");
    let victim_store = store_id(&victim);
    let victim_view = victim.show_json(&victim_doc);
    let token = server.enroll(ATTACKER, "facilitator", attacker_scope);
    let before = stopped_state(&mut server, victim_store);
    assert!(
        before.peers.contains_key(&victim_store),
        "the server knows the victim: {before:#?}"
    );
    Scene {
        server,
        victim,
        victim_store,
        victim_doc,
        victim_view,
        token,
        attacker: StoreId::random(),
        before,
        _data: data,
    }
}

impl Scene {
    fn url(&self) -> String {
        self.server.url()
    }

    /// (b) and (c): a new district device syncs and gets exactly the victim's document as it
    /// was; the server's state as far as it concerns anyone but the attacker and that new device
    /// is unchanged; the victim syncs, receives nothing and still sees its document as before.
    fn assert_unharmed(&mut self) {
        let bystander = self.server.device_scoped("hp-bystander", "18");
        bystander.sync();
        assert_eq!(
            sorted_ids(&bystander),
            vec![self.victim_doc.clone()],
            "nothing the attacker sent reached another device"
        );
        assert_eq!(doc_count(&bystander), 1, "not even unlistable documents");
        assert_eq!(bystander.show_json(&self.victim_doc), self.victim_view);

        let after = stopped_state(&mut self.server, self.victim_store);
        assert_eq!(after.docs, self.before.docs, "documents on the server");
        assert_eq!(
            after.victim_shared, self.before.victim_shared,
            "the victim's sync states"
        );
        for (peer, record) in &self.before.peers {
            assert_eq!(
                after.peers.get(peer),
                Some(record),
                "the record of peer {peer} (checkpoint, acked, last sync)"
            );
        }

        let report = self.victim.sync();
        assert_eq!(report["docs_received"], 0, "{report}");
        assert_eq!(report["docs_sent"], 0, "{report}");
        assert_eq!(self.victim.show_json(&self.victim_doc), self.victim_view);
    }
}

/// Open a session that said Hello and got the server's Hello back, retrying (bounded) while the
/// device's session slots are still taken by sessions that are ending.
async fn open_held(url: &str, token: &str, store: StoreId) -> Raw {
    let deadline = Instant::now() + RAW_TIMEOUT;
    loop {
        let status = match Raw::open(url, token, vec![hello(store)]).await {
            Ok(mut raw) => match raw.next(deadline).await {
                Some(Ok(frame)) if is_hello(&frame) => return raw,
                Some(Err(status)) => status,
                other => panic!("expected the server's Hello, got {other:?}"),
            },
            Err(status) => status,
        };
        assert_eq!(status.code(), Code::ResourceExhausted, "{status:?}");
        assert!(
            Instant::now() < deadline,
            "the device's session slots never came back: {status:?}"
        );
        tokio::time::sleep(Duration::from_millis(20)).await;
    }
}

// ---------------------------------------------------------------------------------------------
// The attacks

/// Attack 1: a Bloom filter claiming 2^32-1 (or 10^8) probes, which automerge would run per
/// change.
#[test]
fn a_bloom_filter_bomb_is_refused_before_automerge_sees_it() {
    let mut scene = scene(&[], VILLAGE_A);
    let rt = runtime();
    let url = scene.url();
    // As an offer (with a head, so it passes the heads check) and as a reply (without one).
    for (probes, offer_seq, heads) in [
        (u64::from(u32::MAX), 1, a_head()),
        (100_000_000, 0, Vec::new()),
    ] {
        let result = rt.block_on(attempt(
            &url,
            &scene.token,
            vec![
                hello(scene.attacker),
                doc_wire(
                    &scene.victim_doc,
                    offer_seq,
                    heads,
                    bloom_bomb(probes),
                    false,
                ),
            ],
        ));
        assert_refused(
            &format!("a Bloom filter with {probes} probes"),
            result,
            Code::InvalidArgument,
            &["Bloom"],
        );
    }
    scene.assert_unharmed();
}

/// Attack 2: claiming the victim's store id to read or move its sync state.
#[test]
fn another_devices_store_id_cannot_be_claimed() {
    let mut scene = scene(&[], VILLAGE_B);
    let rt = runtime();
    let result = rt.block_on(attempt(
        &scene.url(),
        &scene.token,
        vec![hello(scene.victim_store), offers_end(0), done(0)],
    ));
    assert_refused(
        "Hello with the victim's store id",
        result,
        Code::PermissionDenied,
        &["belongs to another device"],
    );
    scene.assert_unharmed();

    // The victim was not cut off: what it records next reaches another device of its village.
    let second = new_minutes(&scene.victim, VILLAGE_A, "Rapat kedua");
    let report = scene.victim.sync();
    assert_eq!(report["docs_sent"], 1, "{report}");
    let neighbour = scene.server.device_scoped("hp-desa-a-2", VILLAGE_A);
    neighbour.sync();
    let mut want = vec![scene.victim_doc.clone(), second.clone()];
    want.sort();
    assert_eq!(sorted_ids(&neighbour), want);
    assert_eq!(
        neighbour.show_json(&second),
        scene.victim.show_json(&second)
    );
}

/// Attack 3a: one token opening stream after stream, and a stream that does not start with
/// Hello.
#[test]
fn one_token_cannot_take_every_session_slot() {
    let mut scene = scene(&[], VILLAGE_A);
    let rt = runtime();
    let url = scene.url();

    let result = rt.block_on(attempt(&url, &scene.token, vec![done(0)]));
    assert_refused(
        "Done as the first frame",
        result,
        Code::InvalidArgument,
        &["must be Hello"],
    );

    let held: Vec<Raw> = rt.block_on(async {
        let mut held = Vec::new();
        for _ in 0..DEFAULT_SESSIONS_PER_DEVICE {
            held.push(open_held(&url, &scene.token, scene.attacker).await);
        }
        held
    });
    let result = rt.block_on(attempt(&url, &scene.token, vec![hello(scene.attacker)]));
    assert_refused(
        "one stream more than --max-sessions-per-device",
        result,
        Code::ResourceExhausted,
        &["already has 4 sync sessions open"],
    );
    // Another device is not affected by the attacker's full slots.
    let neighbour = scene.server.device_scoped("hp-desa-a-2", VILLAGE_A);
    neighbour.sync();
    assert_eq!(sorted_ids(&neighbour), vec![scene.victim_doc.clone()]);
    assert_eq!(neighbour.show_json(&scene.victim_doc), scene.victim_view);

    // Closing the streams gives the slots back.
    let (token, attacker) = (&scene.token, scene.attacker);
    rt.block_on(async move {
        drop(held);
        let raw = open_held(&url, token, attacker).await;
        drop(raw);
    });
    scene.assert_unharmed();
}

/// Attack 3b: a stream that never says Hello, and one that says nothing but a bare `Done` after
/// it.
#[test]
fn silent_and_idle_sessions_are_dropped() {
    let mut scene = scene(
        &["--hello-timeout-secs", "1", "--idle-timeout-secs", "2"],
        VILLAGE_A,
    );
    let rt = runtime();
    let url = scene.url();
    let wait = Duration::from_secs(20);
    let (silent, idle) = rt.block_on(async {
        let silent = async {
            let raw = Raw::open(&url, &scene.token, Vec::new()).await?;
            raw.outcome(wait).await
        };
        let idle = async {
            let Raw {
                tx,
                mut inbound,
                mut stamps,
            } = Raw::open(&url, &scene.token, vec![hello(scene.attacker)]).await?;
            let deadline = Instant::now() + wait;
            let mut pace = tokio::time::interval(Duration::from_millis(500));
            let mut dones = 0u32;
            loop {
                tokio::select! {
                    next = next_before(&mut inbound, deadline) => match next {
                        None => panic!("ended without a status ({dones} Done frames)"),
                        Some(Err(status)) => return Err::<u32, _>(status),
                        Some(Ok(_)) => {}
                    },
                    _ = pace.tick() => {
                        // Each `Done` correctly stamped, so it reaches the idle check.
                        let _ = tx.send(stamps.apply(done(0))).await;
                        dones += 1;
                    }
                }
            }
        };
        tokio::join!(silent, idle)
    });
    assert_refused(
        "a stream that sends nothing",
        silent,
        Code::DeadlineExceeded,
        &["Hello"],
    );
    assert_refused(
        "a session that only repeats Done",
        idle,
        Code::DeadlineExceeded,
        &["no progress"],
    );
    scene.assert_unharmed();
}

/// Attack 4: parts of a document message that never finishes, spread over several sessions.
#[test]
fn unfinished_document_parts_are_bounded_per_device() {
    const PART: usize = 1024 * 1024;
    const SESSIONS: usize = 3;
    const PARTS: usize = 4; // 3 × 4 MiB > --buffer-per-device-mib 8
    let mut scene = scene(&["--buffer-per-device-mib", "8"], VILLAGE_A);
    let rt = runtime();
    let url = scene.url();
    let target = DocId::generate(DocKind::Minutes, VILLAGE_A.parse().expect("village")).to_string();
    let first = rt.block_on(async {
        let (report, mut reports) = mpsc::unbounded_channel();
        let mut tasks = Vec::new();
        for _ in 0..SESSIONS {
            let mut frames = vec![hello(scene.attacker)];
            // Parts of one offer: each with the offer's head and the same number.
            frames.extend((0..PARTS).map(|_| doc_wire(&target, 1, a_head(), vec![7; PART], true)));
            let (url, token, report) = (url.clone(), scene.token.clone(), report.clone());
            tasks.push(tokio::spawn(async move {
                let result = async {
                    let mut raw = Raw::open(&url, &token, frames).await?;
                    // Read until the server fails the stream; our side stays open meanwhile.
                    while let Some(next) = raw.inbound.next().await {
                        next?;
                    }
                    Ok::<(), Status>(())
                }
                .await;
                let _ = report.send(result);
            }));
        }
        let first = tokio::time::timeout(RAW_TIMEOUT, reports.recv())
            .await
            .expect("one of the sessions is refused in bounded time")
            .expect("a session reports");
        for task in tasks {
            task.abort();
        }
        first
    });
    assert_refused(
        "12 MiB of unfinished parts against an 8 MiB share",
        first,
        Code::ResourceExhausted,
        &["share of the server's memory budget"],
    );
    // The attacker's reservations are returned when its streams close: its token syncs again.
    let attacker = Device::init_with_token(ATTACKER, &url, &scene.token);
    attacker.sync();
    assert_eq!(sorted_ids(&attacker), vec![scene.victim_doc.clone()]);
    scene.assert_unharmed();
}

/// Attack 5: valid automerge documents too large for the server's limits: too many operations
/// (a new document) and too many bytes once inflated (a change to the victim's document).
#[test]
fn document_bombs_are_refused_and_nothing_of_them_is_stored() {
    let mut scene = scene(&["--max-doc-ops", "20000", "--max-doc-mib", "1"], VILLAGE_A);
    let rt = runtime();
    let url = scene.url();

    let bomb_id = DocId::generate(DocKind::Minutes, VILLAGE_A.parse().expect("village"));
    let mut bomb = minutes_doc(VILLAGE_A, "Bom");
    let notes = match bomb.get(ROOT, "notes").expect("read notes") {
        Some((automerge::Value::Object(ObjType::Text), notes)) => notes,
        other => panic!("minutes have notes: {other:?}"),
    };
    let mut tx = bomb.transaction();
    tx.splice_text(&notes, 0, 0, &"a".repeat(50_000))
        .expect("splice");
    tx.commit();
    let result = rt.block_on(automerge_session(
        &url,
        &scene.token,
        scene.attacker,
        vec![(bomb_id.clone(), bomb)],
        None,
    ));
    assert_refused(
        "a document of 50,000 operations against --max-doc-ops 20000",
        result,
        Code::FailedPrecondition,
        &["max-doc-ops"],
    );

    let victim_doc: DocId = scene.victim_doc.parse().expect("the victim's doc id");
    let attach: Mutation = Box::new(|doc: &mut Automerge| {
        let mut tx = doc.transaction();
        tx.put(ROOT, "attachment", vec![7u8; 4 * 1024 * 1024])
            .expect("put bytes");
        tx.commit();
    });
    let result = rt.block_on(automerge_session(
        &url,
        &scene.token,
        scene.attacker,
        Vec::new(),
        Some((victim_doc, attach)),
    ));
    assert_refused(
        "4 MiB of bytes in the victim's document against --max-doc-mib 1",
        result,
        Code::FailedPrecondition,
        &["max-doc-mib"],
    );
    scene.assert_unharmed();
}

/// Attack 6: document ids with a second spelling, and changes that are not automerge at all.
#[test]
fn non_canonical_ids_and_garbage_changes_are_refused_and_audited() {
    let mut scene = scene(&[], VILLAGE_A);
    let rt = runtime();
    let url = scene.url();
    let ulid = scene.victim_doc.rsplit('/').next().expect("ulid part");
    let lower = format!("minutes/{VILLAGE_A}/{}", ulid.to_lowercase());
    let overflowing = format!("minutes/{VILLAGE_A}/8ZZZZZZZZZZZZZZZZZZZZZZZZZ");
    for id in [&lower, &overflowing] {
        let result = rt.block_on(attempt(
            &url,
            &scene.token,
            vec![
                hello(scene.attacker),
                doc_wire(id, 1, a_head(), vec![0x42, 0, 0, 0, 0], false),
            ],
        ));
        assert_refused(
            &format!("document id {id}"),
            result,
            Code::InvalidArgument,
            &["canonical", "not a document id"],
        );
    }

    let random = StoreId::random();
    let mut garbage = vec![0x42, 0, 0, 0, 1, 4];
    garbage.extend_from_slice(&random.as_bytes()[..4]);
    let result = rt.block_on(attempt(
        &url,
        &scene.token,
        vec![
            hello(scene.attacker),
            doc_wire(&scene.victim_doc, 1, a_head(), garbage, false),
        ],
    ));
    assert_refused(
        "a change of 4 random bytes",
        result,
        Code::InvalidArgument,
        &["bad sync message"],
    );

    // The audit line is written after the status is sent: wait for it (bounded).
    let deadline = Instant::now() + COMMAND_TIMEOUT;
    loop {
        let log = audit(&scene.server);
        let found = log.iter().any(|e| {
            e["kind"] == "session"
                && e["device"] == ATTACKER
                && e["outcome"].as_str().is_some_and(|o| {
                    o.contains("InvalidArgument") && o.contains("bad sync message")
                })
        });
        if found {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "the garbage session is audited as failed: {log:#?}"
        );
        thread::sleep(Duration::from_millis(50));
    }
    scene.assert_unharmed();
}

/// Attack 7: an in-scope push and an out-of-scope one in one batch: the whole batch is refused.
#[test]
fn an_out_of_scope_document_drops_the_whole_batch() {
    let mut scene = scene(&[], VILLAGE_A);
    let rt = runtime();
    let url = scene.url();
    let inside = DocId::generate(DocKind::Minutes, VILLAGE_A.parse().expect("village"));
    let outside = DocId::generate(DocKind::Minutes, VILLAGE_B.parse().expect("village"));
    let (doc_in, doc_out) = (
        minutes_doc(VILLAGE_A, "Di dalam"),
        minutes_doc(VILLAGE_B, "Di luar"),
    );
    let (push_in, push_out) = (push_message(&doc_in), push_message(&doc_out));
    let (heads_in, heads_out) = (heads_of(&doc_in), heads_of(&doc_out));
    let result = rt.block_on(attempt(
        &url,
        &scene.token,
        vec![
            hello(scene.attacker),
            doc_wire(
                &inside.to_string(),
                1,
                heads_in.clone(),
                push_in.clone(),
                false,
            ),
            doc_wire(&outside.to_string(), 2, heads_out, push_out, false),
        ],
    ));
    assert_refused(
        "a batch with a document outside the device's regions",
        result,
        Code::PermissionDenied,
        &["outside the regions"],
    );
    scene.assert_unharmed();

    // Control: the same push on its own is stored, so the refusal above is what kept it out.
    rt.block_on(async {
        let mut raw = Raw::open(
            &url,
            &scene.token,
            vec![
                hello(scene.attacker),
                doc_wire(&inside.to_string(), 1, heads_in, push_in, false),
            ],
        )
        .await
        .expect("the push alone is accepted");
        // The server answers the document only once it is durable.
        let deadline = Instant::now() + RAW_TIMEOUT;
        loop {
            match raw.next(deadline).await {
                Some(Ok(v1::Frame {
                    body: Some(Body::Doc(d)),
                    ..
                })) if d.doc_id == inside.to_string() => return,
                Some(Ok(_)) => {}
                other => panic!("expected the server's answer to the push, got {other:?}"),
            }
        }
    });
    let district = scene.server.device_scoped("laptop-kecamatan", "18");
    district.sync();
    let mut want = vec![scene.victim_doc.clone(), inside.to_string()];
    want.sort();
    assert_eq!(sorted_ids(&district), want);
    assert_eq!(doc_count(&district), 2);
}

// ---------------------------------------------------------------------------------------------
// Protocol 2: versions, stamps and heads

/// The server's copy of a document, read from its store while it is stopped (then started again).
fn server_doc(server: &mut Server, id: &DocId) -> Automerge {
    server.kill9();
    let doc = Store::open(&store_path(server.data()), None)
        .expect("open the stopped server's store")
        .load(id)
        .expect("load the document")
        .expect("the server holds the document");
    server.restart();
    doc
}

/// The victim's document as the server holds it, with the attacker's change on top (a new
/// title), and a sync message that pushes it to the server: what a frame must carry to change the
/// victim's document.
fn tampered_victim_doc(scene: &mut Scene) -> (DocId, Automerge, Vec<u8>) {
    let id: DocId = scene.victim_doc.parse().expect("the victim's doc id");
    let mut doc = server_doc(&mut scene.server, &id);
    let mut tx = doc.transaction();
    tx.put(ROOT, "title", "Diganti penyerang")
        .expect("put title");
    tx.commit();
    let push = push_message(&doc);
    (id, doc, push)
}

/// Wait (bounded) for the server's answer to a document message for `id` on `raw`.
async fn await_answer(raw: &mut Raw, id: &str) {
    let deadline = Instant::now() + RAW_TIMEOUT;
    loop {
        match raw.next(deadline).await {
            Some(Ok(v1::Frame {
                body: Some(Body::Doc(d)),
                ..
            })) if d.doc_id == id => return,
            Some(Ok(_)) => {}
            other => panic!("expected the server's answer for {id}, got {other:?}"),
        }
    }
}

/// A client of sync protocol 1 (a device not yet upgraded): its first flight as that build sent
/// it, a Hello of protocol 1 and no stamps. It is told which side to upgrade, before the server
/// says anything else, and the server goes on serving everyone (the same token included, once
/// it speaks protocol 2). A build newer than the server is told the same.
///
/// Without the version check the unstamped Hello would meet the stamp check instead
/// (INVALID_ARGUMENT, "hello stamped session 0x0"), and without either the server would answer
/// with its Hello and wait: both fail the assertions below.
#[test]
fn a_client_of_protocol_1_is_told_to_upgrade_and_others_are_served() {
    let mut scene = scene(&[], VILLAGE_A);
    let rt = runtime();
    let url = scene.url();
    let v1_hello = v1::Frame {
        body: Some(Body::Hello(v1::Hello {
            protocol: 1,
            store_id: scene.attacker.as_bytes().to_vec(),
            name: ATTACKER.into(),
            // A build of protocol 1 knows nothing of epochs or stamps.
            ..Default::default()
        })),
        ..Default::default()
    };
    let v1_offers_end = v1::Frame {
        body: Some(Body::OffersEnd(v1::OffersEnd { upto: 0 })),
        ..Default::default()
    };
    let mut newer = hello(scene.attacker);
    if let Some(Body::Hello(h)) = &mut newer.body {
        h.protocol = PROTOCOL_VERSION + 1;
    }
    let cases = [
        (
            "a Hello of protocol 1, unstamped",
            Stamps::off(),
            vec![v1_hello, v1_offers_end],
            1,
        ),
        (
            "a Hello of a newer protocol, stamped",
            Stamps::new(),
            vec![newer, offers_end(0)],
            PROTOCOL_VERSION + 1,
        ),
    ];
    for (what, stamps, frames, theirs) in cases {
        let (got, end) = rt.block_on(async {
            match Raw::open_with(&url, &scene.token, stamps, frames).await {
                Ok(raw) => raw.frames_and_end(RAW_TIMEOUT).await,
                Err(status) => (Vec::new(), Err(status)),
            }
        });
        let status = assert_refused(
            what,
            end,
            Code::FailedPrecondition,
            &[&format!(
                "peer speaks sync protocol {theirs}, this build speaks {PROTOCOL_VERSION}: \
                 upgrade the older side"
            )],
        );
        assert!(
            got.is_empty(),
            "{what}: the server refuses at the Hello, before sending its own: {got:?} {status:?}"
        );
    }
    // Protocols 1 and 2 sent one Frame per message on the `Sync` method: a client of those is
    // told which side to upgrade before anything it sent is read.
    let old_method = rt.block_on(async {
        let channel = tonic::transport::Endpoint::from_shared(url.clone())
            .expect("url")
            .connect()
            .await
            .expect("connect to the server");
        let header: tonic::metadata::MetadataValue<_> = format!("Bearer {}", scene.token)
            .parse()
            .expect("ascii token");
        let mut client = BalaiSyncClient::with_interceptor(channel, move |mut req: Request<()>| {
            req.metadata_mut().insert("authorization", header.clone());
            Ok(req)
        });
        let mut stamps = Stamps::new();
        let first = vec![
            stamps.apply(hello(scene.attacker)),
            stamps.apply(offers_end(0)),
        ];
        match client.sync(tokio_stream::iter(first)).await {
            Ok(response) => {
                let mut inbound = response.into_inner();
                match inbound.next().await {
                    Some(Err(status)) => Err::<(), Status>(status),
                    other => panic!("the old method must fail the call, not answer: {other:?}"),
                }
            }
            Err(status) => Err(status),
        }
    });
    assert_refused(
        "a session on the old Sync method",
        old_method,
        Code::FailedPrecondition,
        &[&format!(
            "this server speaks sync protocol {PROTOCOL_VERSION}; the device's balai speaks an \
             older one: upgrade balai on the device"
        )],
    );
    scene.assert_unharmed();
    // The same device, upgraded, syncs (the refusal is no lock-out), and receives what it may see.
    rt.block_on(automerge_session(
        &url,
        &scene.token,
        scene.attacker,
        Vec::new(),
        None,
    ))
    .expect("the upgraded client's session completes");
}

/// Frames whose stamps do not fit the session: one captured from an earlier session of the
/// attacker (its nonce), sent into a new session exactly where an honest frame would go
/// (number 2); a frame sent twice; and a second frame numbered 2 carrying what would change the
/// victim's document. Each is refused before anything in it is used.
///
/// The offer in them is a real change to the victim's document (a new title): the control at
/// the end sends it stamped for its session, and it lands. So without the nonce check the replay
/// would change the victim's document, and without the number check the second frame numbered 2
/// would (nothing else refuses it: it is the session's first offer, with its heads); the
/// duplicated empty reply would be taken as well. Each would then not be refused, and
/// `assert_unharmed` would see the new title.
#[test]
fn frames_from_another_session_and_duplicated_frames_are_refused() {
    let mut scene = scene(&[], VILLAGE_A);
    let rt = runtime();
    let url = scene.url();
    let (victim_id, tampered, push) = tampered_victim_doc(&mut scene);
    let offer = Frame::Doc(DocMessage {
        doc_id: victim_id.clone(),
        offer_seq: 1,
        heads: tampered.get_heads(),
        sync: push,
        whole: false,
    });

    // An earlier session of the attacker, with nonce `old`: it says Hello, is answered, and the
    // client goes away. Its next frame would have been the offer, numbered 2: captured.
    let old = nonce();
    let mut earlier = Stamper::new(old);
    let old_hello = to_wire(earlier.stamp(hello_frame(scene.attacker)));
    let replayed = to_wire(earlier.stamp(offer.clone()));
    assert!(replayed.iter().all(|w| w.session == old && w.number == 2));
    rt.block_on(async {
        let mut raw = Raw::open_with(&url, &scene.token, Stamps::with(old), old_hello)
            .await
            .expect("the earlier session opens");
        match raw.next(Instant::now() + RAW_TIMEOUT).await {
            Some(Ok(frame)) if is_hello(&frame) => {}
            other => panic!("expected the server's Hello, got {other:?}"),
        }
    });

    // A new session (another nonce): Hello (1), the captured offer (2), OffersEnd (3).
    let stamps = Stamps::new();
    let new = stamps.session.expect("a nonce");
    assert_ne!(new, old);
    let mut frames = vec![hello(scene.attacker)];
    frames.extend(replayed);
    frames.push(offers_end(1));
    let result = rt.block_on(attempt_with(&url, &scene.token, stamps, frames));
    assert_refused(
        "an offer replayed from another session",
        result,
        Code::InvalidArgument,
        &[&format!("a frame from another session (nonce {old:#x}")],
    );

    // Same number twice: Hello (1), an empty reply for the victim's document (2, nothing to
    // ask), and again the same reply, or the tampered offer, also numbered 2.
    let reply = wire(Frame::Doc(DocMessage {
        doc_id: victim_id.clone(),
        offer_seq: 0,
        heads: Vec::new(),
        sync: Vec::new(),
        whole: false,
    }));
    let duplicates = [
        ("the same reply twice", vec![reply.clone()]),
        (
            "a second frame numbered 2, the tampered offer",
            unstamped_parts(offer.clone()),
        ),
    ];
    for (what, second) in duplicates {
        let stamps = Stamps::new();
        let session = stamps.session.expect("a nonce");
        let mut frames = vec![hello(scene.attacker), reply.clone()];
        frames.extend(second.into_iter().map(|mut w| {
            (w.session, w.number) = (session, 2);
            w
        }));
        frames.push(offers_end(1));
        let result = rt.block_on(attempt_with(&url, &scene.token, stamps, frames));
        assert_refused(
            what,
            result,
            Code::InvalidArgument,
            &["frame 2 out of order (expected 3)"],
        );
    }
    scene.assert_unharmed();

    // Control: the same offer, stamped for its session, changes the victim's document. So the
    // stamps are what kept the frames above out.
    let (token, attacker) = (scene.token.clone(), scene.attacker);
    rt.block_on(async {
        let mut frames = vec![hello(attacker)];
        frames.extend(unstamped_parts(offer));
        let mut raw = Raw::open(&url, &token, frames)
            .await
            .expect("the offer stamped for its session is accepted");
        // The server answers the document only once it is durable.
        await_answer(&mut raw, &victim_id.to_string()).await;
    });
    let report = scene.victim.sync();
    assert_eq!(report["docs_received"], 1, "{report}");
    assert_eq!(
        scene.victim.show_json(&scene.victim_doc)["minutes"]["title"],
        "Diganti penyerang"
    );
}

/// Offers must announce the heads they offer (1 to 256 of 32 bytes), and replies none: an offer
/// without heads, a reply with heads, an offer with 257 heads and one with a 31-byte head are
/// refused. Each carries a push of a new document in the attacker's village (and the reply also
/// the tampered victim's document): had any been taken, `assert_unharmed` would find it.
///
/// Without the heads checks (both at decoding and in the engine) the offer without heads would be
/// taken (and never count as complete, holding the attacker's checkpoint back), and the reply's
/// heads ignored: the sessions would not be refused.
#[test]
fn offers_without_heads_and_replies_with_heads_are_refused() {
    let mut scene = scene(&[], VILLAGE_A);
    let rt = runtime();
    let url = scene.url();
    let (victim_id, tampered, tampered_push) = tampered_victim_doc(&mut scene);
    let new_id = DocId::generate(DocKind::Minutes, VILLAGE_A.parse().expect("village"));
    let new_doc = minutes_doc(VILLAGE_A, "Tanpa kepala");
    let push = push_message(&new_doc);
    let new_id = new_id.to_string();
    let mut many = heads_of(&new_doc);
    many.extend((0..256u32).map(|i| {
        let mut h = vec![0xCD; 32];
        h[..4].copy_from_slice(&i.to_be_bytes());
        h
    }));
    assert_eq!(many.len(), 257);
    let cases = [
        (
            "an offer without heads",
            doc_wire(&new_id, 1, Vec::new(), push.clone(), false),
            &["with 0 heads"][..],
        ),
        (
            "a reply with heads",
            doc_wire(&new_id, 0, heads_of(&new_doc), push.clone(), false),
            &["announces heads"][..],
        ),
        (
            "a reply with heads, to the victim's document",
            doc_wire(
                &victim_id.to_string(),
                0,
                heads_of(&tampered),
                tampered_push,
                false,
            ),
            &["announces heads"][..],
        ),
        (
            "an offer with 257 heads",
            doc_wire(&new_id, 1, many, push.clone(), false),
            &["257 heads"][..],
        ),
        (
            "an offer with a 31-byte head",
            doc_wire(&new_id, 1, vec![vec![0xEF; 31]], push, false),
            &["32-byte change hash"][..],
        ),
    ];
    for (what, frame, needles) in cases {
        let result = rt.block_on(attempt(
            &url,
            &scene.token,
            vec![hello(scene.attacker), frame, offers_end(1)],
        ));
        assert_refused(what, result, Code::InvalidArgument, needles);
    }
    scene.assert_unharmed();
}

// ---------------------------------------------------------------------------------------------
// Known gaps: each test states the behaviour a fix should give; run with `--ignored`.

/// Wait (bounded) until the server logs a failed session of the attacker; its line, or `None`.
fn attacker_failure_logged(server: &Server, within: Duration) -> Option<String> {
    let deadline = Instant::now() + within;
    loop {
        let line = server
            .log()
            .lines()
            .find(|l| l.contains("sync session failed") && l.contains(ATTACKER))
            .map(str::to_owned);
        if line.is_some() || Instant::now() >= deadline {
            return line;
        }
        thread::sleep(Duration::from_millis(50));
    }
}

/// A trickle of 1-byte parts of a document message that never finishes counts as progress, so
/// the session outlives the idle timeout (until 64 MiB of parts: practically forever), holding
/// one of the device's session slots.
#[test]
fn a_trickle_of_tiny_parts_does_not_keep_a_session_alive() {
    let scene = scene(&["--idle-timeout-secs", "2"], VILLAGE_A);
    let rt = runtime();
    let url = scene.url();
    let target = DocId::generate(DocKind::Minutes, VILLAGE_A.parse().expect("village")).to_string();
    let result = rt.block_on(async {
        let Raw {
            tx,
            mut inbound,
            mut stamps,
        } = Raw::open(&url, &scene.token, vec![hello(scene.attacker)]).await?;
        let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
        let mut pace = tokio::time::interval(Duration::from_millis(500));
        let mut parts = 0u32;
        loop {
            tokio::select! {
                next = tokio::time::timeout_at(deadline, inbound.next()) => match next {
                    // Still open after 20 s: the count of parts sent is what the server accepted.
                    Err(_) => return Ok(parts),
                    Ok(None) => panic!("the session ended without a status after {parts} parts"),
                    Ok(Some(Err(status))) => return Err(status),
                    Ok(Some(Ok(_))) => {}
                },
                _ = pace.tick() => {
                    // Parts of one offer: the same number on each, so they pass the stamp check.
                    let part = doc_wire(&target, 1, a_head(), vec![1], true);
                    let _ = tx.send(stamps.apply(part)).await;
                    parts += 1;
                }
            }
        }
    });
    assert_refused(
        "a session that sends one byte of a document message every 0.5 s",
        result,
        Code::DeadlineExceeded,
        &["no progress"],
    );
}

/// Bytes that deflate does not shrink (xorshift), so automerge sends them at full size.
fn incompressible(len: usize) -> Vec<u8> {
    let mut x: u64 = 0x9E37_79B9_7F4A_7C15;
    (0..len)
        .map(|_| {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x.to_le_bytes()[0]
        })
        .collect()
}

/// A peer that asks for a large document again and again (empty heads and an empty Bloom filter
/// make automerge resend all of it) and never reads the answers: once the stream's flow-control
/// window and the 64-frame response channel are full, the server waits in `send` without a
/// deadline, so neither the idle timeout nor revocation ends the session, and the queued
/// replies (here ~30 MiB) are outside the memory budget.
#[test]
fn a_peer_that_stops_reading_is_dropped_after_the_idle_timeout() {
    let scene = scene(&["--idle-timeout-secs", "2"], VILLAGE_A);
    let rt = runtime();
    let url = scene.url();
    // First an honest push of a large document in the attacker's scope (1.5 MiB of bytes).
    let big_id = DocId::generate(DocKind::Minutes, VILLAGE_A.parse().expect("village"));
    let mut big = minutes_doc(VILLAGE_A, "Lampiran");
    let mut tx = big.transaction();
    tx.put(ROOT, "attachment", incompressible(1536 * 1024))
        .expect("put bytes");
    tx.commit();
    rt.block_on(automerge_session(
        &url,
        &scene.token,
        scene.attacker,
        vec![(big_id.clone(), big)],
        None,
    ))
    .expect("an honest push of a 1.5 MiB document completes");

    // heads: none, needs: none, one `have` with no last-sync hashes and an empty Bloom filter.
    let resend_everything = vec![0x42, 0, 0, 1, 0, 0, 0];
    let raw = rt.block_on(async {
        let mut raw = Raw::open(&url, &scene.token, vec![hello(StoreId::random())])
            .await
            .expect("open");
        for _ in 0..200 {
            let frame = raw.stamps.apply(doc_wire(
                &big_id.to_string(),
                0,
                Vec::new(),
                resend_everything.clone(),
                false,
            ));
            // Once the server stops reading (it is stuck sending), our sends may stall too.
            if tokio::time::timeout(Duration::from_secs(2), raw.tx.send(frame))
                .await
                .is_err()
            {
                break;
            }
            tokio::time::sleep(Duration::from_millis(10)).await;
        }
        raw
    });
    // Not reading at all now. A session without progress for 2 s should be gone well within 20.
    let failed = attacker_failure_logged(&scene.server, Duration::from_secs(20));
    rt.block_on(async move { drop(raw) });
    let line = failed.expect("the stalled session is dropped (and logged) after the idle timeout");
    assert!(line.contains("DeadlineExceeded"), "{line}");
}

/// Attack 3, continued: refusing at the door. After a session refused for what it sent, the
/// device's next sessions are refused at open (cheaply, without running the engine) for a
/// back-off that doubles; other devices are not affected, and the device is admitted again once
/// the back-off has passed.
#[test]
fn a_device_whose_sessions_are_refused_backs_off() {
    let scene = scene(&["--refusal-backoff-ms", "1500"], VILLAGE_A);
    let rt = runtime();
    let url = scene.url();
    let result = rt.block_on(attempt(&url, &scene.token, vec![done(0)]));
    assert_refused(
        "Done as the first frame",
        result,
        Code::InvalidArgument,
        &["must be Hello"],
    );
    let result = rt.block_on(attempt(&url, &scene.token, vec![done(0)]));
    assert_refused(
        "a second attempt at once",
        result,
        Code::ResourceExhausted,
        &["were refused", "retry in"],
    );
    let neighbour = scene.server.device_scoped("hp-desa-a-2", VILLAGE_A);
    neighbour.sync();
    assert_eq!(sorted_ids(&neighbour), vec![scene.victim_doc.clone()]);
    // Admitted again once the back-off has passed (waited on with a deadline, polling).
    let deadline = std::time::Instant::now() + Duration::from_secs(20);
    loop {
        let result = rt.block_on(attempt(&url, &scene.token, vec![done(0)]));
        match result {
            Err(status) if status.code() == Code::InvalidArgument => break,
            Err(status) if status.code() == Code::ResourceExhausted => {
                assert!(
                    std::time::Instant::now() < deadline,
                    "still backing off after 20 s: {status:?}"
                );
                std::thread::sleep(Duration::from_millis(200));
            }
            other => panic!("unexpected: {other:?}"),
        }
    }
}
