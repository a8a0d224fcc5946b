//! End-to-end test of `balai sync` over a faulty link: the real binaries, with a device reaching
//! the server through the fault-injecting proxy (`balai_e2e::proxy`), which cuts the connection in
//! the middle of the upload.

use balai_e2e::proxy::{FaultPlan, Proxy};
use balai_e2e::{Device, Server, counter};

const VILLAGE: &str = "18.01.05.2001";

/// The device's minutes carry this many notes of this many characters: about 300 KB that
/// compress poorly (roughly 180 KB on the wire).
const NOTES: u64 = 16;
const NOTE_CHARS: usize = 19_000;

/// Where the proxy cuts the upload: far past the HTTP/2 handshake and the session's hello, far
/// short of the end of the document's changes.
const CUT_AFTER: u64 = 64 * 1024;

/// A paragraph of pseudo-random words, reproducible from `seed`: compresses poorly, so the
/// document's changes stay large on the wire.
fn paragraph(seed: u64, len: usize) -> String {
    let mut state = seed.wrapping_mul(0x9e37_79b9_7f4a_7c15) | 1;
    let mut next = move || {
        state ^= state << 13;
        state ^= state >> 7;
        state ^= state << 17;
        state
    };
    let mut out = String::with_capacity(len);
    while out.len() < len {
        let word = 3 + next() % 7;
        for _ in 0..word {
            out.push(char::from(b'a' + (next() % 26) as u8));
        }
        out.push(' ');
    }
    out.trim_end().to_owned()
}

#[test]
fn a_sync_cut_mid_upload_fails_clearly_and_the_next_one_completes() {
    let data = tempfile::Builder::new()
        .prefix("balai-server-data-")
        .tempdir()
        .expect("server data dir");
    let server = Server::start(data.path());
    let proxy = Proxy::start(server.addr(), FaultPlan::cut_upstream_after(CUT_AFTER));
    let token = server.enroll("tablet-a", "facilitator", "18");
    let a = Device::init_with_token("tablet-a", &proxy.url(), &token);
    let b = server.device("hp-b");

    let id = a.create(&[
        "minutes",
        "new",
        "--village",
        VILLAGE,
        "--title",
        "Musyawarah perencanaan desa",
        "--date",
        "2026-11-29",
    ]);
    for i in 0..NOTES {
        a.ok(&["minutes", "note", &id, &paragraph(i, NOTE_CHARS)]);
    }

    // One attempt, so this shows what a single cut does (retries are another test's business).
    let out = a.run(&["sync", "--json", "--max-attempts", "1"]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(!out.status.success(), "a cut sync must fail: {stderr}");
    assert!(
        stderr.starts_with("balai: ") && stderr.contains("connection dropped mid-sync"),
        "stderr: {stderr}"
    );
    assert!(
        stderr.contains("run `balai sync` again"),
        "says what to do: {stderr}"
    );
    assert!(out.stdout.is_empty(), "no report on failure");
    assert_eq!(
        (proxy.cuts(), proxy.bytes_upstream()),
        (1, CUT_AFTER),
        "the cut fell inside the upload"
    );

    // Nothing half-uploaded was acknowledged or stored: A still waits to send the minutes, and B
    // finds nothing on the server.
    let status = a.status_json();
    assert_eq!(status["unsynced"], serde_json::json!([id]), "{status:#}");
    let report = b.sync();
    assert_eq!(counter(&report, "docs_received"), 0, "{report:#}");

    // The link is fine again: the next sync through the same proxy completes, and B converges.
    proxy.set_plan(FaultPlan::clean());
    let report = a.sync();
    assert_eq!(counter(&report, "docs_sent"), 1, "{report:#}");
    assert_eq!(proxy.cuts(), 1);
    let status = a.status_json();
    assert_eq!(status["unsynced"], serde_json::json!([]), "{status:#}");
    let report = b.sync();
    assert_eq!(counter(&report, "docs_received"), 1, "{report:#}");
    let on_a = a.show_json(&id);
    assert_eq!(b.show_json(&id), on_a, "both devices hold the same minutes");
    let notes = on_a["minutes"]["notes"]
        .as_str()
        .unwrap_or_else(|| panic!("the minutes have notes: {on_a:#}"));
    for i in 0..NOTES {
        assert!(
            notes.contains(&paragraph(i, NOTE_CHARS)),
            "paragraph {i} arrived"
        );
    }
}

/// Twenty rounds of offline work, each synced through a link that cuts every connection at a
/// random byte offset (a different one per connection, reproducibly seeded): `balai sync` retries
/// on its own until it completes, a clean device then converges with it, and each completed
/// attempt sends only what the server had not yet acknowledged.
#[test]
fn syncs_cut_at_random_offsets_complete_after_retries_and_converge() {
    use balai_e2e::proxy::{Faults, RandomCut};
    let data = tempfile::Builder::new()
        .prefix("balai-server-data-")
        .tempdir()
        .expect("server data dir");
    let server = Server::start(data.path());
    let proxy = Proxy::start(server.addr(), FaultPlan::clean());
    let token = server.enroll("tablet-a", "facilitator", "18");
    let a = Device::init_with_token("tablet-a", &proxy.url(), &token);
    let b = server.device("hp-b");
    let mut docs_total = 0;
    let mut retried_rounds = 0;
    for round in 0..20u64 {
        let mut made = Vec::new();
        for i in 0..3u64 {
            let id = a.create(&[
                "minutes",
                "new",
                "--village",
                VILLAGE,
                "--title",
                &format!("Forum {round}.{i}"),
                "--date",
                "2026-11-29",
            ]);
            a.ok(&["minutes", "note", &id, &paragraph(round * 10 + i, 6_000)]);
            made.push(id);
        }
        docs_total += made.len() as u64;
        // Cut each connection somewhere in its first 24 KiB upstream: the round's upload is
        // larger than that, so most first attempts are cut mid-session.
        proxy.set_plan(FaultPlan {
            upstream: Faults {
                cut_at_random: Some(RandomCut {
                    seed: 0xba1a1 + round,
                    below: 24 * 1024,
                }),
                ..Faults::default()
            },
            ..FaultPlan::default()
        });
        let report = a.json(&[
            "sync",
            "--json",
            "--max-attempts",
            "40",
            "--retry-base-ms",
            "5",
        ]);
        if counter(&report, "attempts") > 1 {
            retried_rounds += 1;
        }
        assert!(
            counter(&report, "docs_sent") <= made.len() as u64,
            "round {round}: the completing attempt sends only unacknowledged documents: {report}"
        );
        b.sync();
        for id in &made {
            assert_eq!(b.show_json(id), a.show_json(id), "round {round}: {id}");
        }
    }
    assert!(
        proxy.cuts() >= 10,
        "the link really was cut: {} cuts",
        proxy.cuts()
    );
    assert!(
        retried_rounds >= 5,
        "most rounds needed retries: {retried_rounds}"
    );
    assert_eq!(counter(&b.status_json(), "documents"), docs_total);
    assert_eq!(a.status_json()["unsynced"], serde_json::json!([]));
}
