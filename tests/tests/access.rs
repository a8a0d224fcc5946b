//! Access control end to end, with the real binaries: tokens, revocation (also of an open
//! session), region scopes, TLS, bad input from a hostile client, and the audit log.

use std::time::Duration;

use balai_e2e::{Device, Server, ids, new_minutes};
use balai_shared::ids::StoreId;
use balai_shared::proto::v1::{self, balai_sync_client::BalaiSyncClient, frame::Body};
use balai_shared::sync::PROTOCOL_VERSION;
use serde_json::Value;
use tokio_stream::StreamExt;
use tonic::{Code, Request, Status};

const VILLAGE_A: &str = "18.01.05.2001";
const VILLAGE_B: &str = "18.01.05.2002";
const RAW_TIMEOUT: Duration = Duration::from_secs(30);

fn audit(server: &Server) -> Vec<Value> {
    match server.admin().json(&["admin", "audit", "--json"]) {
        Value::Array(rows) => rows,
        other => panic!("audit is not a list: {other}"),
    }
}

#[test]
fn requests_without_a_valid_token_are_refused() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());

    let anonymous = Device::init("anonymous", &server.url());
    let err = anonymous.fail(&["sync"]);
    assert!(err.contains("no token"), "{err}");

    let forged = format!("bl1_hp-forged_{}", "0".repeat(64));
    let stranger = Device::init_with_token("hp-forged", &server.url(), &forged);
    let err = stranger.fail(&["sync"]);
    assert!(err.contains("unknown token"), "{err}");

    let ani = server.device("hp-ani");
    new_minutes(&ani, VILLAGE_A, "Musyawarah");
    ani.sync();
    server.revoke("hp-ani");
    let err = ani.fail(&["sync"]);
    assert!(err.contains("revoked"), "{err}");
    assert_eq!(
        ani.status_json()["documents"],
        1,
        "local records are untouched"
    );

    let log = audit(&server);
    let rejected = log.iter().filter(|e| e["kind"] == "rejected").count();
    assert!(rejected >= 3, "every refusal is audited: {log:#?}");
    assert!(
        log.iter()
            .any(|e| e["kind"] == "session" && e["device"] == "hp-ani" && e["outcome"] == "ok")
    );
    assert!(
        log.iter()
            .any(|e| e["kind"] == "revoke" && e["device"] == "hp-ani")
    );
}

#[test]
fn a_village_device_sees_only_its_village_and_a_district_device_sees_all() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let district = server.device_scoped("laptop-kecamatan", "18.01.05");
    let in_a = new_minutes(&district, VILLAGE_A, "Forum A");
    let in_b = new_minutes(&district, VILLAGE_B, "Forum B");
    district.sync();

    let village = server.device_scoped("hp-desa-a", VILLAGE_A);
    let report = village.sync();
    assert_eq!(report["docs_received"], 1, "{report}");
    assert_eq!(ids(&village.list_json()), vec![in_a.clone()]);
    // Not even by guessing its id can the village device learn of B's document.
    let err = village.fail(&["show", &in_b]);
    assert!(err.contains("no document"), "{err}");
    // Having learned its regions, the device refuses to create what it could never sync.
    let err = village.fail(&[
        "minutes",
        "new",
        "--village",
        VILLAGE_B,
        "--title",
        "x",
        "--date",
        "2026-11-29",
    ]);
    assert!(err.contains("outside this device's regions"), "{err}");

    let other_district = server.device_scoped("hp-kecamatan-2", "18.01.05");
    other_district.sync();
    let mut both = vec![in_a, in_b];
    both.sort();
    let mut got = ids(&other_district.list_json());
    got.sort();
    assert_eq!(got, both);
}

#[test]
fn tls_with_the_dev_ca_works_and_plain_text_or_untrusted_clients_fail() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start_tls(data.path());
    assert!(server.url().starts_with("https://"));
    let ani = server.device("hp-ani");
    let id = new_minutes(&ani, VILLAGE_A, "Over TLS");
    let report = ani.sync();
    assert_eq!(report["docs_sent"], 1, "{report}");
    let budi = server.device("hp-budi");
    budi.sync();
    assert_eq!(budi.show_json(&id), ani.show_json(&id));

    let token = server.enroll("hp-plain", "facilitator", "18");
    let plain = Device::init_with_token("hp-plain", &format!("http://{}", server.addr()), &token);
    let err = plain.fail(&["sync"]);
    assert!(
        err.contains("https://"),
        "plain text to a TLS server says what to do: {err}"
    );

    let token = server.enroll("hp-untrusting", "facilitator", "18");
    let untrusting = Device::init_with_token("hp-untrusting", &server.url(), &token);
    let err = untrusting.fail(&["sync"]);
    assert!(
        err.contains("securely") && err.contains("--ca"),
        "a certificate from an unknown CA is refused: {err}"
    );
    assert!(!server.log().contains(&token), "tokens never reach the log");
}

#[test]
fn tokens_are_not_stored_in_clear_on_the_server() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let token = server.enroll("hp-ani", "facilitator", "18");
    let ani = Device::init_with_token("hp-ani", &server.url(), &token);
    new_minutes(&ani, VILLAGE_A, "Musyawarah");
    ani.sync();
    let secret = &token[token.len() - 64..];
    let mut files = 0;
    let mut stack = vec![server.data().to_path_buf()];
    while let Some(dir) = stack.pop() {
        for entry in std::fs::read_dir(&dir).expect("read data dir") {
            let path = entry.expect("dir entry").path();
            if path.is_dir() {
                stack.push(path);
                continue;
            }
            files += 1;
            let bytes = std::fs::read(&path).expect("read file");
            for needle in [token.as_bytes(), secret.as_bytes()] {
                assert!(
                    !bytes.windows(needle.len()).any(|w| w == needle),
                    "{} holds the token in clear",
                    path.display()
                );
            }
        }
    }
    assert!(files >= 2, "both stores were checked");
}

/// How a raw client stamps what it sends (sync protocol 2: the sender's session nonce and the
/// frame's number in its stream on every frame). `Auto`: a frame sent unstamped (`session` and
/// `number` 0) gets a random nonce (`With`: that one) and the next number, as the engine stamps
/// it (the parts of one document message keep one number); a frame a case stamped itself goes as
/// it is and takes its place in the stream. `AsIs`: every frame goes as it is.
#[derive(Clone, Copy, Debug)]
enum Stamping {
    Auto,
    With(u64),
    AsIs,
}

/// A random non-zero session nonce.
fn nonce() -> u64 {
    let id = StoreId::random();
    let bytes: [u8; 8] = id.as_bytes()[..8].try_into().expect("16-byte store id");
    u64::from_le_bytes(bytes).max(1)
}

fn stamp(stamping: Stamping, frames: Vec<v1::Frame>) -> Vec<v1::Frame> {
    let session = match stamping {
        Stamping::Auto => nonce(),
        Stamping::With(session) => session,
        Stamping::AsIs => return frames,
    };
    let mut next = 1;
    frames
        .into_iter()
        .map(|mut frame| {
            let more = matches!(&frame.body, Some(Body::Doc(d)) if d.more);
            if frame.session == 0 && frame.number == 0 {
                frame.session = session;
                frame.number = next;
            }
            if !more {
                next += 1;
            }
            frame
        })
        .collect()
}

/// Open a raw sync stream with `token`, send `frames` (stamped as `stamping` says), and collect
/// what comes back until the server ends the stream or fails it. With `then`, run it after the
/// first reply (keeping the stream open) and collect the rest.
async fn raw_session(
    url: &str,
    token: &str,
    stamping: Stamping,
    frames: Vec<v1::Frame>,
    then: Option<&(dyn Fn() + Sync)>,
) -> Result<Vec<v1::Frame>, Status> {
    let channel = tonic::transport::Endpoint::from_shared(url.to_owned())
        .expect("url")
        .connect()
        .await
        .expect("connect");
    let header: tonic::metadata::MetadataValue<_> =
        format!("Bearer {token}").parse().expect("ascii token");
    let mut client = BalaiSyncClient::with_interceptor(channel, move |mut req: Request<()>| {
        req.metadata_mut().insert("authorization", header.clone());
        Ok(req)
    })
    .max_encoding_message_size(usize::MAX);
    let (tx, rx) = tokio::sync::mpsc::channel(16);
    for f in stamp(stamping, frames) {
        tx.send(f).await.expect("queue frame");
    }
    let batches = tokio_stream::wrappers::ReceiverStream::new(rx).map(balai_net::wire::single);
    let mut inbound = balai_net::wire::frames(client.sync_frames(batches).await?.into_inner());
    let mut got = Vec::new();
    loop {
        let next = tokio::time::timeout(RAW_TIMEOUT, inbound.next())
            .await
            .expect("the server answers or fails the stream in bounded time");
        match next {
            None => break,
            Some(Err(status)) => return Err(status),
            Some(Ok(frame)) => {
                got.push(frame);
                if got.len() == 1
                    && let Some(f) = then
                {
                    f();
                }
            }
        }
    }
    drop(tx);
    Ok(got)
}

/// A Hello of this build's protocol, unstamped (stamped when sent).
fn hello() -> v1::Frame {
    v1::Frame {
        body: Some(Body::Hello(v1::Hello {
            protocol: PROTOCOL_VERSION,
            store_id: (1..=16).collect(),
            name: "raw-client".into(),
            your_id: vec![],
            since: 0,
            offering_from: 0,
            scopes: Vec::new(),
            since_epoch: 0,
            epoch: 0,
            reset: false,
        })),
        ..Default::default()
    }
}

/// A head for offers whose heads do not matter to the case: offers must announce 1 to 256.
fn a_head() -> Vec<Vec<u8>> {
    vec![vec![0xAB; 32]]
}

/// An offer (number 1 in the feed) of `doc_id`, with a head, unstamped.
fn doc(doc_id: &str, sync: Vec<u8>) -> v1::Frame {
    doc_with(doc_id, 1, a_head(), sync)
}

fn doc_with(doc_id: &str, offer_seq: u64, heads: Vec<Vec<u8>>, sync: Vec<u8>) -> v1::Frame {
    v1::Frame {
        body: Some(Body::Doc(v1::DocMessage {
            doc_id: doc_id.into(),
            offer_seq,
            sync,
            more: false,
            heads,
            whole: false,
        })),
        ..Default::default()
    }
}

/// `frame` with the stamp `(session, number)`.
fn stamped(mut frame: v1::Frame, session: u64, number: u64) -> v1::Frame {
    frame.session = session;
    frame.number = number;
    frame
}

/// A bad-input case: what it is, how its frames are stamped, the frames, the status codes it
/// may get, and a needle its message must contain.
type BadCase<'a> = (&'a str, Stamping, Vec<v1::Frame>, &'a [Code], &'a str);

fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .enable_all()
        .build()
        .expect("runtime")
}

#[test]
fn revoking_a_device_ends_its_open_session() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let token = server.enroll("hp-open", "facilitator", "18");
    let revoke = || server.revoke("hp-open");
    // Hello without an end of offers keeps the session open, waiting for us.
    let result = runtime().block_on(raw_session(
        &server.url(),
        &token,
        Stamping::Auto,
        vec![hello()],
        Some(&revoke),
    ));
    let status = result.expect_err("the open session is ended");
    assert_eq!(status.code(), Code::Unauthenticated, "{status:?}");
    assert!(status.message().contains("revoked"), "{status:?}");
}

#[test]
fn bad_input_gets_a_clear_status_and_changes_nothing() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let token = server.enroll("hp-desa-a", "facilitator", VILLAGE_A);
    let ani = Device::init_with_token("hp-desa-a", &server.url(), &token);
    let id = new_minutes(&ani, VILLAGE_A, "Musyawarah");
    ani.ok(&["minutes", "note", &id, "sebelum serangan"]);
    ani.sync();
    let before = ani.show_json(&id);
    let key = id.rsplit('/').next().expect("ulid part");
    let outside = format!("minutes/{VILLAGE_B}/{key}");

    use Stamping::{AsIs, Auto, With};
    let upgrade = format!(
        "peer speaks sync protocol 1, this build speaks {PROTOCOL_VERSION}: upgrade the older side"
    );
    let old_hello = v1::Frame {
        body: Some(Body::Hello(v1::Hello {
            protocol: 1,
            store_id: (1..=16).collect(),
            name: "raw-client".into(),
            ..Default::default()
        })),
        ..Default::default()
    };
    let session = nonce();
    let cases: Vec<BadCase> = vec![
        (
            "empty frame",
            Auto,
            vec![v1::Frame::default()],
            &[Code::InvalidArgument],
            "empty frame",
        ),
        (
            "document before hello",
            Auto,
            vec![doc(&id, vec![0x42])],
            &[Code::InvalidArgument],
            "must be Hello",
        ),
        (
            "garbage automerge bytes",
            Auto,
            vec![hello(), doc(&id, vec![0x42, 0xff, 0x00, 0x13])],
            &[Code::InvalidArgument],
            "bad sync message",
        ),
        (
            "unparsable document id",
            Auto,
            vec![hello(), doc("not-an-id", vec![])],
            &[Code::InvalidArgument],
            "not a document id",
        ),
        (
            "bad village code",
            Auto,
            vec![hello(), doc(&format!("minutes/18.01.5.2001/{key}"), vec![])],
            &[Code::InvalidArgument],
            "village",
        ),
        (
            "push outside scope",
            Auto,
            vec![hello(), doc(&outside, vec![0x42])],
            &[Code::PermissionDenied],
            "outside the regions",
        ),
        (
            "replayed hello",
            Auto,
            vec![hello(), hello()],
            &[Code::InvalidArgument],
            "second hello",
        ),
        (
            "oversize message",
            Auto,
            vec![hello(), doc(&id, vec![0u8; 65 * 1024 * 1024])],
            &[Code::OutOfRange, Code::ResourceExhausted],
            "",
        ),
        // Protocol 2.
        (
            "hello of protocol 1 (an older build), unstamped",
            AsIs,
            vec![old_hello],
            &[Code::FailedPrecondition],
            &upgrade,
        ),
        (
            "unstamped hello",
            AsIs,
            vec![hello(), doc(&id, vec![])],
            &[Code::InvalidArgument],
            "hello stamped session 0x0, number 0",
        ),
        (
            "hello numbered 2",
            Auto,
            vec![stamped(hello(), session, 2)],
            &[Code::InvalidArgument],
            "a hello starts a session (non-zero nonce, number 1)",
        ),
        (
            "a frame missing (number 3 after the hello)",
            With(session),
            vec![hello(), stamped(doc(&id, vec![]), session, 3)],
            &[Code::InvalidArgument],
            "frame 3 out of order (expected 2)",
        ),
        (
            "an offer without heads",
            Auto,
            vec![hello(), doc_with(&id, 1, Vec::new(), vec![])],
            &[Code::InvalidArgument],
            "heads (1 to 256)",
        ),
        (
            "a reply with heads",
            Auto,
            vec![hello(), doc_with(&id, 0, a_head(), vec![])],
            &[Code::InvalidArgument],
            "announces heads (only offers do)",
        ),
    ];
    let bad_sessions = cases.len();
    let rt = runtime();
    for (what, stamping, frames, codes, needle) in cases {
        let status = rt
            .block_on(raw_session(&server.url(), &token, stamping, frames, None))
            .expect_err(what);
        assert!(codes.contains(&status.code()), "{what}: {status:?}");
        assert!(status.message().contains(needle), "{what}: {status:?}");
    }

    // The server is unharmed: a normal sync works, nothing changed, nothing leaked in.
    let report = ani.sync();
    assert_eq!(report["docs_received"], 0, "{report}");
    assert_eq!(ani.show_json(&id), before);
    let district = server.device_scoped("laptop-kecamatan", "18");
    district.sync();
    assert_eq!(ids(&district.list_json()), vec![id.clone()]);
    assert_eq!(district.show_json(&id), before);

    let log = audit(&server);
    let failed: Vec<&Value> = log
        .iter()
        .filter(|e| e["kind"] == "session" && e["outcome"] != "ok")
        .collect();
    assert!(
        failed.len() >= bad_sessions,
        "every bad session is audited: {log:#?}"
    );
    assert!(failed.iter().any(|e| {
        e["outcome"]
            .as_str()
            .is_some_and(|o| o.contains("PermissionDenied"))
    }));
    assert!(server.log().contains("sync session failed"), "and logged");
}

#[test]
fn a_widened_scope_brings_the_documents_the_device_could_not_see_before() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let district = server.device_scoped("laptop-kecamatan", "18.01.05");
    let in_a = new_minutes(&district, VILLAGE_A, "Forum A");
    let in_b = new_minutes(&district, VILLAGE_B, "Forum B");
    district.sync();

    let token = server.enroll("hp-desa", "facilitator", VILLAGE_A);
    let device = Device::init_with_token("hp-desa", &server.url(), &token);
    device.sync();
    assert_eq!(ids(&device.list_json()), vec![in_a.clone()]);

    // The admin moves the facilitator to the whole district: a new token for the same device.
    server.revoke("hp-desa");
    let wider = server.enroll("hp-desa", "facilitator", "18.01.05");
    device.ok(&[
        "init",
        "--force",
        "--server",
        &server.url(),
        "--token",
        &wider,
    ]);
    let report = device.sync();
    assert_eq!(
        report["docs_received"], 1,
        "only the newly visible document travels: {report}"
    );
    let mut got = ids(&device.list_json());
    got.sort();
    let mut want = vec![in_a, in_b];
    want.sort();
    assert_eq!(got, want);
}
