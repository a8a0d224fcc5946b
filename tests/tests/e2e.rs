//! End-to-end tests: real `balai-server` and `balai` processes on 127.0.0.1, offline edits on
//! several devices, syncs in different orders, a server killed with SIGKILL, and bad input.

use std::collections::BTreeSet;

use balai_e2e::{Device, Server, TempDir, Value, counter, ids, json, unreachable_url};

const VILLAGE: &str = "18.01.05.2001";

/// A server on its own temporary data directory. The directory outlives the server value so
/// a test can restart the server on it.
fn server() -> (TempDir, Server) {
    let data = tempfile::Builder::new()
        .prefix("balai-server-data-")
        .tempdir()
        .expect("server data dir");
    let server = Server::start(data.path());
    (data, server)
}

fn new_minutes(device: &Device, title: &str, place: &str) -> String {
    let id = device.create(&[
        "minutes",
        "new",
        "--village",
        VILLAGE,
        "--title",
        title,
        "--date",
        "2026-11-29",
        "--place",
        place,
    ]);
    assert!(
        id.starts_with(&format!("minutes/{VILLAGE}/")),
        "unexpected minutes id {id}"
    );
    id
}

fn new_training(device: &Device, topic: &str) -> String {
    let id = device.create(&[
        "training",
        "new",
        "--village",
        VILLAGE,
        "--topic",
        topic,
        "--sessions",
        "2026-12-01,2026-12-08",
    ]);
    assert!(
        id.starts_with(&format!("training/{VILLAGE}/")),
        "unexpected training id {id}"
    );
    id
}

/// The ids `balai status --json` lists as not yet acknowledged by the server.
fn unsynced(device: &Device) -> Vec<String> {
    let status = device.status_json();
    status["unsynced"]
        .as_array()
        .unwrap_or_else(|| panic!("status has an `unsynced` array: {status:#}"))
        .iter()
        .map(|v| v.as_str().expect("unsynced ids are strings").to_owned())
        .collect()
}

/// Field `field` of every element of a JSON array, as strings.
fn strings(array: &Value, field: &str) -> BTreeSet<String> {
    array
        .as_array()
        .unwrap_or_else(|| panic!("expected an array, got {array:#}"))
        .iter()
        .map(|v| {
            v[field]
                .as_str()
                .unwrap_or_else(|| panic!("no string `{field}` in {v:#}"))
                .to_owned()
        })
        .collect()
}

fn set(items: &[&str]) -> BTreeSet<String> {
    items.iter().map(|s| (*s).to_owned()).collect()
}

/// The counters of a sync that had nothing to do: one round trip, no document data either way.
fn assert_noop_sync(device: &Device, report: &Value) {
    for key in [
        "docs_sent",
        "docs_received",
        "change_bytes_sent",
        "change_bytes_received",
        "doc_bytes_sent",
        "doc_bytes_received",
        "offers_sent",
        "offers_received",
    ] {
        assert_eq!(
            counter(report, key),
            0,
            "{key} of a sync with nothing new on {}: {report:#}",
            device.name()
        );
    }
    assert_eq!(
        counter(report, "round_trips"),
        1,
        "round trips of a no-op sync on {}: {report:#}",
        device.name()
    );
}

/// Two devices record different attendees and notes in the same minutes while offline, then sync
/// in `order` (indices into [A, B]); both must end up with identical minutes holding everything.
fn same_minutes_edited_offline_on_two_devices(order: [usize; 3]) {
    let (_data, server) = server();
    let a = server.device("tablet-a");
    let b = server.device("hp-b");

    let id = new_minutes(&a, "Musyawarah Dusun II", "Balai desa");
    assert_eq!(counter(&a.sync(), "docs_sent"), 1);
    assert_eq!(counter(&b.sync(), "docs_received"), 1);
    assert_eq!(
        b.show_json(&id),
        a.show_json(&id),
        "B has A's minutes after syncing"
    );

    // Offline on both devices.
    a.ok(&[
        "minutes",
        "attend",
        &id,
        "--name",
        "Siti Aminah",
        "--gender",
        "f",
        "--dusun",
        "Dusun II",
        "--role",
        "ketua PKK",
    ]);
    a.ok(&["minutes", "note", &id, "Jalan ke dusun II rusak."]);
    b.ok(&[
        "minutes",
        "attend",
        &id,
        "--name",
        "Made Wirawan",
        "--gender",
        "m",
        "--dusun",
        "Dusun I",
    ]);
    b.ok(&["minutes", "note", &id, "Warga minta pelatihan jahit."]);
    assert_eq!(unsynced(&a), vec![id.clone()]);
    assert_eq!(unsynced(&b), vec![id.clone()]);

    let devices = [&a, &b];
    for i in order {
        devices[i].sync();
    }

    let shown = a.show_json(&id);
    assert_eq!(
        b.show_json(&id),
        shown,
        "both devices show the same minutes"
    );
    let m = &shown["minutes"];
    assert_eq!(
        strings(&m["attendees"], "name"),
        set(&["Siti Aminah", "Made Wirawan"]),
        "{shown:#}"
    );
    let siti = m["attendees"]
        .as_array()
        .expect("attendees")
        .iter()
        .find(|p| p["name"] == "Siti Aminah")
        .expect("Siti Aminah attended");
    assert_eq!(siti["key"], "siti-aminah@dusun-ii");
    assert_eq!(siti["gender"], "f");
    assert_eq!(siti["dusun"], "Dusun II");
    assert_eq!(siti["role"], "ketua PKK");
    let notes = m["notes"].as_str().expect("notes are text");
    assert!(
        notes.contains("Jalan ke dusun II rusak."),
        "A's note survived: {notes:?}"
    );
    assert!(
        notes.contains("Warga minta pelatihan jahit."),
        "B's note survived: {notes:?}"
    );
    assert_eq!(
        m["conflicts"],
        json!({}),
        "different attendees and notes do not conflict"
    );
    assert_eq!(m["place"], "Balai desa");
    assert!(
        unsynced(&a).is_empty() && unsynced(&b).is_empty(),
        "both devices are fully synced"
    );
}

#[test]
fn same_minutes_edited_offline_converge_when_a_syncs_first() {
    same_minutes_edited_offline_on_two_devices([0, 1, 0]);
}

#[test]
fn same_minutes_edited_offline_converge_when_b_syncs_first() {
    same_minutes_edited_offline_on_two_devices([1, 0, 1]);
}

#[test]
fn offline_check_ins_on_two_devices_all_survive() {
    let (_data, server) = server();
    let a = server.device("tablet-a");
    let b = server.device("hp-b");

    let id = new_training(&a, "Budidaya kopi");
    a.ok(&[
        "training", "enroll", &id, "--name", "Ani", "--gender", "f", "--dusun", "Dusun I",
    ]);
    a.ok(&[
        "training", "enroll", &id, "--name", "Budi", "--gender", "m", "--dusun", "Dusun II",
    ]);
    a.sync();
    b.sync();

    // Offline: each device checks a different person in to session 1; B also takes a walk-in.
    a.ok(&[
        "training",
        "check-in",
        &id,
        "--session",
        "1",
        "--name",
        "Ani",
    ]);
    b.ok(&[
        "training",
        "check-in",
        &id,
        "--session",
        "1",
        "--name",
        "Budi",
    ]);
    b.ok(&[
        "training",
        "check-in",
        &id,
        "--session",
        "1",
        "--name",
        "Wayan",
        "--dusun",
        "Dusun III",
    ]);
    a.sync();
    b.sync();
    a.sync();

    let shown = a.show_json(&id);
    assert_eq!(
        b.show_json(&id),
        shown,
        "both devices show the same training"
    );
    let t = &shown["training"];
    assert_eq!(
        strings(&t["participants"], "name"),
        set(&["Ani", "Budi", "Wayan"]),
        "the walk-in is enrolled: {shown:#}"
    );
    let sessions = t["sessions"].as_array().expect("sessions");
    assert_eq!(sessions.len(), 2);
    assert_eq!(sessions[0]["number"], 1);
    assert_eq!(sessions[0]["date"], "2026-12-01");
    let by: BTreeSet<(String, String)> = sessions[0]["attended"]
        .as_array()
        .expect("attended")
        .iter()
        .map(|c| {
            (
                c["name"].as_str().expect("name").to_owned(),
                c["checked_in_by"]
                    .as_str()
                    .expect("checked_in_by")
                    .to_owned(),
            )
        })
        .collect();
    let expected: BTreeSet<(String, String)> =
        [("Ani", a.name()), ("Budi", b.name()), ("Wayan", b.name())]
            .into_iter()
            .map(|(n, d)| (n.to_owned(), d.to_owned()))
            .collect();
    assert_eq!(
        by, expected,
        "every check-in is present with the device that made it: {shown:#}"
    );
    assert_eq!(
        sessions[1]["attended"],
        json!([]),
        "nobody checked in to session 2"
    );
    assert_eq!(t["conflicts"], json!({}));
}

#[test]
fn server_killed_right_after_a_sync_keeps_every_acknowledged_edit() {
    let (_data, mut server) = server();
    let a = server.device("tablet-a");

    let minutes = new_minutes(&a, "Musyawarah perencanaan", "Balai desa");
    let training = new_training(&a, "Menjahit");
    a.ok(&[
        "minutes",
        "attend",
        &minutes,
        "--name",
        "Siti Aminah",
        "--gender",
        "f",
        "--dusun",
        "Dusun II",
    ]);
    a.sync();
    // More edits on top of what the server already has, acknowledged by a second sync.
    a.ok(&[
        "minutes",
        "attend",
        &minutes,
        "--name",
        "Made Wirawan",
        "--gender",
        "m",
        "--dusun",
        "Dusun I",
    ]);
    a.ok(&[
        "minutes",
        "note",
        &minutes,
        "Pasar dibangun di dekat jalan utama.",
    ]);
    a.ok(&["minutes", "set", &minutes, "--place", "Masjid"]);
    a.ok(&[
        "training", "enroll", &training, "--name", "Ani", "--gender", "f",
    ]);
    a.ok(&[
        "training",
        "check-in",
        &training,
        "--session",
        "2",
        "--name",
        "Ani",
    ]);
    let report = a.sync();
    assert_eq!(counter(&report, "docs_sent"), 2, "{report:#}");
    assert!(
        unsynced(&a).is_empty(),
        "the server acknowledged everything"
    );

    let status = server.kill9();
    assert!(
        !status.success(),
        "the server died from SIGKILL, it did not exit: {status}"
    );
    server.restart();

    let c = server.device("fresh-c");
    let report = c.sync();
    assert_eq!(
        counter(&report, "docs_received"),
        2,
        "{report:#}\nserver log:\n{}",
        server.log()
    );
    assert_eq!(c.list_json(), a.list_json());
    assert_eq!(ids(&c.list_json()).len(), 2);
    for id in [&minutes, &training] {
        assert_eq!(
            c.show_json(id),
            a.show_json(id),
            "the fresh device has every edit of {id}"
        );
    }
    let m = c.show_json(&minutes);
    assert_eq!(
        m["minutes"]["attendees"].as_array().map(Vec::len),
        Some(2),
        "{m:#}"
    );
    assert_eq!(m["minutes"]["place"], "Masjid");

    // The original device has nothing the restarted server lacks.
    let report = a.sync();
    assert_eq!(
        counter(&report, "docs_sent"),
        0,
        "the server kept what it acknowledged: {report:#}"
    );
    assert_eq!(counter(&report, "docs_received"), 0, "{report:#}");
}

#[test]
fn second_sync_with_nothing_new_moves_no_document_data() {
    let (_data, server) = server();
    let a = server.device("tablet-a");
    let b = server.device("hp-b");

    let mut created = Vec::new();
    for (title, place) in [
        ("Musyawarah dusun I", "Pos ronda"),
        ("Musyawarah dusun II", "Masjid"),
        ("Rembuk stunting", "Posyandu"),
    ] {
        let id = new_minutes(&a, title, place);
        a.ok(&[
            "minutes",
            "attend",
            &id,
            "--name",
            "Siti Aminah",
            "--gender",
            "f",
        ]);
        created.push(id);
    }
    for topic in ["Budidaya kopi", "Pembukuan usaha mikro"] {
        let id = new_training(&a, topic);
        a.ok(&["training", "enroll", &id, "--name", "Ani"]);
        created.push(id);
    }

    let first = a.sync();
    assert_eq!(counter(&first, "docs_sent"), 5, "{first:#}");
    assert!(counter(&first, "change_bytes_sent") > 0, "{first:#}");
    assert_noop_sync(&a, &a.sync());

    let first = b.sync();
    assert_eq!(counter(&first, "docs_received"), 5, "{first:#}");
    assert!(counter(&first, "change_bytes_received") > 0, "{first:#}");
    assert_noop_sync(&b, &b.sync());
    // What B fetched is not news to A, the device that sent it.
    assert_noop_sync(&a, &a.sync());

    let mut listed = ids(&b.list_json());
    listed.sort();
    created.sort();
    assert_eq!(listed, created);
}

#[test]
fn sync_with_an_unreachable_server_fails_clearly_and_keeps_local_records() {
    let a = Device::init("tablet-a", &unreachable_url());
    let id = new_minutes(&a, "Musyawarah Dusun II", "Balai desa");
    a.ok(&[
        "minutes",
        "attend",
        &id,
        "--name",
        "Siti Aminah",
        "--gender",
        "f",
    ]);
    let before = a.show_json(&id);
    let listed = a.list_json();

    let out = a.run(&[
        "sync",
        "--json",
        "--max-attempts",
        "3",
        "--retry-base-ms",
        "20",
    ]);
    assert!(!out.status.success(), "sync against a dead port must fail");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.starts_with("balai: "), "stderr: {stderr}");
    assert!(
        stderr.contains("cannot reach the server"),
        "stderr: {stderr}"
    );
    assert_eq!(
        stderr.matches("retrying in").count(),
        2,
        "two retries with backoff, then it gives up: {stderr}"
    );
    assert!(
        stderr.contains("gave up after 3 attempt"),
        "stderr: {stderr}"
    );
    assert!(
        out.stdout.is_empty(),
        "no report on failure, stdout: {}",
        String::from_utf8_lossy(&out.stdout)
    );

    assert_eq!(a.show_json(&id), before, "the local record is unchanged");
    assert_eq!(a.list_json(), listed);
    assert_eq!(
        unsynced(&a),
        vec![id.clone()],
        "the record is still waiting to sync"
    );
    assert!(
        a.status_json()["last_sync"].is_null(),
        "a failed sync is not a sync"
    );
    // The device keeps working offline after the failure.
    a.ok(&["minutes", "note", &id, "Dicatat tanpa sinyal."]);
}

#[test]
fn concurrent_place_changes_pick_one_winner_and_keep_the_other_as_a_conflict() {
    let (_data, server) = server();
    let a = server.device("tablet-a");
    let b = server.device("hp-b");
    let id = new_minutes(&a, "Musyawarah Dusun II", "Balai desa");
    a.sync();
    b.sync();

    a.ok(&["minutes", "set", &id, "--place", "Masjid"]);
    b.ok(&["minutes", "set", &id, "--place", "Balai dusun"]);
    a.sync();
    b.sync();
    a.sync();

    let shown = a.show_json(&id);
    assert_eq!(b.show_json(&id), shown, "both devices agree on the winner");
    let m = &shown["minutes"];
    let winner = m["place"].as_str().expect("a place");
    let loser = match winner {
        "Masjid" => "Balai dusun",
        "Balai dusun" => "Masjid",
        other => panic!("the place is one of the two concurrent values, not {other:?}"),
    };
    assert_eq!(m["conflicts"], json!({ "place": [loser] }), "{shown:#}");

    // A later edit made after seeing both values settles it everywhere.
    b.ok(&["minutes", "set", &id, "--place", "Balai desa"]);
    b.sync();
    a.sync();
    let settled = a.show_json(&id);
    assert_eq!(b.show_json(&id), settled);
    assert_eq!(settled["minutes"]["place"], "Balai desa");
    assert_eq!(settled["minutes"]["conflicts"], json!({}), "{settled:#}");
}

#[test]
fn bad_input_is_refused_with_a_clear_message_and_creates_nothing() {
    let a = Device::init("tablet-a", &unreachable_url());
    let cases: [(&[&str], &str); 6] = [
        (
            &[
                "minutes",
                "new",
                "--village",
                "18.01.05",
                "--title",
                "T",
                "--date",
                "2026-11-29",
            ],
            "village code",
        ),
        (
            &[
                "minutes",
                "new",
                "--village",
                "18.1.5.2001",
                "--title",
                "T",
                "--date",
                "2026-11-29",
            ],
            "18.1.5.2001",
        ),
        (
            &[
                "minutes",
                "new",
                "--village",
                VILLAGE,
                "--title",
                "T",
                "--date",
                "2026-02-30",
            ],
            "2026-02-30",
        ),
        (
            &[
                "minutes",
                "new",
                "--village",
                VILLAGE,
                "--title",
                "T",
                "--date",
                "29/11/2026",
            ],
            "YYYY-MM-DD",
        ),
        (
            &[
                "minutes",
                "new",
                "--village",
                VILLAGE,
                "--title",
                "  ",
                "--date",
                "2026-11-29",
            ],
            "title",
        ),
        (
            &[
                "training",
                "new",
                "--village",
                VILLAGE,
                "--topic",
                "T",
                "--sessions",
                "2026-12-01,2026-13-01",
            ],
            "2026-13-01",
        ),
    ];
    for (args, needle) in cases {
        let out = a.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(
            !out.status.success(),
            "`balai {}` must fail",
            args.join(" ")
        );
        assert!(
            stderr.starts_with("balai: "),
            "`balai {}` stderr: {stderr}",
            args.join(" ")
        );
        assert!(
            stderr.contains(needle),
            "`balai {}` should mention {needle:?}: {stderr}",
            args.join(" ")
        );
        assert!(
            out.stdout.is_empty(),
            "`balai {}` printed an id",
            args.join(" ")
        );
    }
    assert_eq!(a.list_json(), json!([]), "nothing was created");
    let status = a.status_json();
    assert_eq!(status["documents"], 0, "{status:#}");
    assert_eq!(status["unsynced"], json!([]), "{status:#}");
}

/// A device that already knows its server offers in its first flight, before the stream opens.
/// With 70 new records that flight outgrew the client's 64-frame channel, and `balai sync` hung
/// before any stream existed for a timeout to end (found by the issue-12 benchmark at 40,000
/// documents; the harness's command timeout fails this test if it comes back).
#[test]
fn a_first_flight_of_many_offers_does_not_hang_the_client() {
    let (_data, server) = server();
    let a = server.device("hp-a");
    new_minutes(&a, "Musyawarah pertama", "Balai desa");
    a.sync();
    let made: Vec<String> = (0..70)
        .map(|i| new_minutes(&a, &format!("Musyawarah {i}"), "Balai desa"))
        .collect();
    let report = a.sync();
    assert_eq!(counter(&report, "offers_sent"), 70, "{report}");
    let b = server.device("hp-b");
    b.sync();
    let held: BTreeSet<String> = ids(&b.list_json()).into_iter().collect();
    assert!(made.iter().all(|id| held.contains(id)), "hp-b got all 70");
}
