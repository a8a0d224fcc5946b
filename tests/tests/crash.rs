//! Crash safety with the real binaries: SIGKILL the server while many devices push, and SIGKILL
//! a device mid-sync. Nothing acknowledged may be lost; whatever was cut is resent next time.

use std::collections::BTreeMap;
use std::process::Child;
use std::time::{Duration, Instant};

use balai_e2e::{Device, Server, TempDir, Value, counter, ids};

const DEVICES: usize = 8;
const DOCS_PER_DEVICE: usize = 4;

/// Wait for a child process to exit, bounded; true if it exited successfully.
fn wait_bounded(child: &mut Child, limit: Duration) -> bool {
    let deadline = Instant::now() + limit;
    loop {
        if let Some(status) = child.try_wait().expect("poll child") {
            return status.success();
        }
        assert!(
            Instant::now() < deadline,
            "a balai process did not exit within {limit:?}"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn record(device: &Device, n: usize) -> Vec<String> {
    (0..n)
        .map(|i| {
            let id = device.create(&[
                "minutes",
                "new",
                "--village",
                "18.01.05.2001",
                "--title",
                &format!("Forum {i}"),
                "--date",
                "2026-11-29",
            ]);
            for person in ["Siti", "Made", "Rahmat"] {
                device.ok(&[
                    "minutes",
                    "attend",
                    &id,
                    "--name",
                    &format!("{person} {}", device.name()),
                ]);
            }
            device.ok(&[
                "minutes",
                "note",
                &id,
                &format!("catatan dari {}", device.name()),
            ]);
            id
        })
        .collect()
}

#[test]
fn server_sigkill_while_devices_push_loses_nothing_acknowledged() {
    let data = TempDir::new().expect("tempdir");
    let mut server = Server::start(data.path());
    let devices: Vec<Device> = (0..DEVICES)
        .map(|i| server.device(&format!("hp-{i}")))
        .collect();
    let docs: Vec<Vec<String>> = devices.iter().map(|d| record(d, DOCS_PER_DEVICE)).collect();
    let expected: Vec<BTreeMap<String, Value>> = devices
        .iter()
        .zip(&docs)
        .map(|(d, ids)| ids.iter().map(|id| (id.clone(), d.show_json(id))).collect())
        .collect();

    // Everyone syncs at once; the server dies once a few sessions have completed.
    let mut syncs: Vec<Child> = devices
        .iter()
        .map(|d| d.spawn(&["sync", "--max-attempts", "1"]))
        .collect();
    server.wait_for_log("sync session complete", 2);
    server.kill9();
    let acknowledged: Vec<bool> = syncs
        .iter_mut()
        .map(|c| wait_bounded(c, Duration::from_secs(60)))
        .collect();
    assert!(
        acknowledged.iter().any(|ok| *ok),
        "some syncs completed before the kill"
    );

    server.restart();
    let auditor = server.device("hp-auditor");
    auditor.sync();
    let held: Vec<String> = ids(&auditor.list_json());
    for (i, ok) in acknowledged.iter().enumerate() {
        if *ok {
            for (id, doc) in &expected[i] {
                assert!(
                    held.contains(id),
                    "device {i}'s acknowledged document {id} is gone after the crash"
                );
                assert_eq!(
                    &auditor.show_json(id),
                    doc,
                    "device {i}'s acknowledged edits are intact"
                );
            }
        }
    }

    // Devices whose session was cut just sync again.
    for (device, ok) in devices.iter().zip(&acknowledged) {
        if !ok {
            device.sync();
        }
        let status = device.status_json();
        assert_eq!(
            status["unsynced"],
            Value::Array(vec![]),
            "{} has everything acknowledged",
            device.name()
        );
    }
    auditor.sync();
    let held = ids(&auditor.list_json());
    assert_eq!(held.len(), DEVICES * DOCS_PER_DEVICE);
    for (i, docs) in expected.iter().enumerate() {
        for (id, doc) in docs {
            assert_eq!(&auditor.show_json(id), doc, "device {i}'s document {id}");
        }
    }
}

#[test]
fn device_sigkill_mid_sync_leaves_a_store_that_opens_and_resumes() {
    let data = TempDir::new().expect("tempdir");
    let server = Server::start(data.path());
    let source = server.device("hp-source");
    let made = record(&source, 40);
    source.sync();

    let target = server.device("hp-target");
    let mut child = target.spawn(&["sync", "--max-attempts", "1"]);
    server.wait_for_log("sync session started", 2);
    let _ = child.kill();
    let _ = child.wait();

    // The store opens and reads; whatever arrived is whole.
    let status = target.status_json();
    let partial = counter(&status, "documents");
    for id in ids(&target.list_json()) {
        assert_eq!(target.show_json(&id), source.show_json(&id));
    }
    let report = target.sync();
    assert_eq!(
        counter(&report, "docs_received") + partial,
        made.len() as u64,
        "the next sync fetches exactly what the killed one had not stored: {report}"
    );
    let mut got = ids(&target.list_json());
    got.sort();
    let mut want = made;
    want.sort();
    assert_eq!(got, want);
}
