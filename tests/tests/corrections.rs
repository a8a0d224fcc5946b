//! The correction commands end to end, with the real binaries. Each correction records one
//! change and says what it did; a correction to what a record already says records nothing and
//! says so. A correction on one device and an edit of the same entry on another, both offline and
//! then synced through a real server, both survive, and both devices show the same result
//! (ARCHITECTURE.md, "Corrections and their concurrent semantics"). A bad correction fails with a
//! clear message and the exit code `balai --help` documents, and changes nothing.

use balai_e2e::{Device, Server, Value, json, new_minutes, unreachable_url};

const VILLAGE: &str = "18.01.05.2001";

/// Run a command that must succeed; returns what it said on stderr (confirmations go there).
fn said(device: &Device, args: &[&str]) -> String {
    let out = device.run(args);
    let stderr = String::from_utf8_lossy(&out.stderr).into_owned();
    assert!(
        out.status.success(),
        "`balai {}` on {} failed:\n{stderr}",
        args.join(" "),
        device.name()
    );
    stderr
}

/// Bring both devices to the same state through the server: A's changes reach B, B's reach A.
fn settle(a: &Device, b: &Device) {
    a.sync();
    b.sync();
    a.sync();
}

/// The document as both devices show it, which must be the same.
fn agreed(a: &Device, b: &Device, id: &str) -> Value {
    let shown = a.show_json(id);
    assert_eq!(shown, b.show_json(id), "{id}: both devices show the same");
    shown
}

/// How many changes `id` has, signatures left out (`balai history --json`).
fn changes(device: &Device, id: &str) -> usize {
    device
        .json(&["history", id, "--json"])
        .as_array()
        .unwrap_or_else(|| panic!("`balai history {id} --json` prints an array"))
        .len()
}

fn new_training(device: &Device, topic: &str, sessions: &str) -> String {
    device.create(&[
        "training",
        "new",
        "--village",
        VILLAGE,
        "--topic",
        topic,
        "--sessions",
        sessions,
    ])
}

/// The names checked in to a session, with the device that checked each in.
fn check_ins(session: &Value, list: &str) -> Vec<(String, String)> {
    session[list]
        .as_array()
        .map(|l| {
            l.iter()
                .map(|c| {
                    (
                        c["name"].as_str().unwrap_or_default().to_owned(),
                        c["checked_in_by"].as_str().unwrap_or_default().to_owned(),
                    )
                })
                .collect()
        })
        .unwrap_or_default()
}

fn pair(name: &str, device: &str) -> (String, String) {
    (name.to_owned(), device.to_owned())
}

#[test]
fn a_correction_and_a_concurrent_edit_of_the_same_entry_on_another_device_both_survive() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let a = server.device_scoped("hp-rina", "18.01.05");
    let b = server.device_scoped("hp-wayan", "18.01.05");

    // Recorded on A; both devices then have it.
    let removed_attendee = new_minutes(&a, VILLAGE, "Remove while correcting");
    a.ok(&[
        "minutes",
        "attend",
        &removed_attendee,
        "--name",
        "Siti Aminah",
        "--gender",
        "f",
        "--dusun",
        "II",
    ]);
    let renamed = new_minutes(&a, VILLAGE, "Rename while recording the old name");
    a.ok(&[
        "minutes",
        "attend",
        &renamed,
        "--name",
        "Siti Aminah",
        "--gender",
        "f",
        "--dusun",
        "II",
    ]);
    let proposals = new_minutes(&a, VILLAGE, "Remove while supporting");
    let proposal = a
        .ok(&["minutes", "propose", &proposals, "Sumur bor Dusun III"])
        .trim()
        .to_owned();
    a.ok(&["minutes", "support", &proposals, &proposal]);
    let archived = new_minutes(&a, VILLAGE, "Archive while editing");
    let removed_participant = new_training(&a, "Remove while checking in", "2026-11-02");
    a.ok(&["training", "enroll", &removed_participant, "--name", "Budi"]);
    let undone = new_training(&a, "Undo while checking in", "2026-11-02,2026-11-09");
    for name in ["Siti", "Budi", "Dewi"] {
        a.ok(&["training", "enroll", &undone, "--name", name]);
    }
    a.ok(&[
        "training",
        "check-in",
        &undone,
        "--session",
        "1",
        "--name",
        "Siti",
    ]);
    let sessions = new_training(&a, "Sessions added on both", "2026-11-02");
    settle(&a, &b);

    // Offline on both devices, each without seeing the other's change.
    said(
        &a,
        &[
            "minutes",
            "attendee-remove",
            &removed_attendee,
            "Siti Aminah",
        ],
    );
    said(
        &b,
        &[
            "minutes",
            "attendee-correct",
            &removed_attendee,
            "Siti Aminah",
            "--gender",
            "m",
        ],
    );
    said(
        &a,
        &[
            "minutes",
            "attendee-correct",
            &renamed,
            "Siti Aminah",
            "--new-name",
            "Siti Aminah Lubis",
        ],
    );
    said(
        &b,
        &[
            "minutes",
            "attend",
            &renamed,
            "--name",
            "Siti Aminah",
            "--dusun",
            "II",
            "--role",
            "ketua PKK",
        ],
    );
    said(&a, &["minutes", "proposal-remove", &proposals, &proposal]);
    said(
        &b,
        &["minutes", "support", &proposals, &proposal, "--count", "2"],
    );
    said(&a, &["archive", &archived]);
    said(
        &b,
        &["minutes", "note", &archived, "Dicatat sebelum diarsipkan."],
    );
    said(
        &a,
        &[
            "training",
            "participant-remove",
            &removed_participant,
            "Budi",
        ],
    );
    said(
        &b,
        &[
            "training",
            "check-in",
            &removed_participant,
            "--session",
            "1",
            "--name",
            "Budi",
        ],
    );
    // Session 1: A undoes Siti's check-in; B, which had it too, checks her in again, which finds
    // her there and writes nothing; B checks Budi in. Session 2: A checks Dewi in by mistake and
    // undoes it; B, which never saw A's check-in, checks her in for real.
    said(
        &a,
        &[
            "training",
            "check-in-undo",
            &undone,
            "--session",
            "1",
            "--name",
            "Siti",
        ],
    );
    let again = said(
        &b,
        &[
            "training",
            "check-in",
            &undone,
            "--session",
            "1",
            "--name",
            "Siti",
        ],
    );
    assert!(again.contains("already checked in"), "{again}");
    said(
        &b,
        &[
            "training",
            "check-in",
            &undone,
            "--session",
            "1",
            "--name",
            "Budi",
        ],
    );
    said(
        &a,
        &[
            "training",
            "check-in",
            &undone,
            "--session",
            "2",
            "--name",
            "Dewi",
        ],
    );
    said(
        &a,
        &[
            "training",
            "check-in-undo",
            &undone,
            "--session",
            "2",
            "--name",
            "Dewi",
        ],
    );
    said(
        &b,
        &[
            "training",
            "check-in",
            &undone,
            "--session",
            "2",
            "--name",
            "Dewi",
        ],
    );
    said(
        &a,
        &["training", "session-add", &sessions, "--date", "2026-11-09"],
    );
    said(
        &b,
        &["training", "session-add", &sessions, "--date", "2026-11-16"],
    );
    settle(&a, &b);

    // The removed attendee keeps B's correction, and says it was made without seeing the removal.
    let m = &agreed(&a, &b, &removed_attendee)["minutes"];
    assert_eq!(m["attendees"], json!([]), "{m:#}");
    let gone = &m["removed"]["attendees"];
    assert_eq!(gone.as_array().map(Vec::len), Some(1), "{m:#}");
    assert_eq!(gone[0]["name"], "Siti Aminah");
    assert_eq!(gone[0]["gender"], "m", "B's correction is kept");
    assert_eq!(gone[0]["concurrent_edits"], json!(["gender=m"]));
    assert_eq!(
        m["conflicts"]["removed.attendees.siti-aminah@ii"],
        json!(["gender=m"]),
        "{m:#}"
    );
    let shown = a.ok(&["show", &removed_attendee]);
    assert!(
        shown.contains("Removed")
            && shown.contains("recorded on a device that had not seen the removal: gender=m"),
        "{shown}"
    );

    // One person: the corrected name, with what B recorded under the old one.
    let m = &agreed(&a, &b, &renamed)["minutes"];
    assert_eq!(
        m["attendees"],
        json!([{
            "key": "siti-aminah@ii",
            "name": "Siti Aminah Lubis",
            "gender": "f",
            "dusun": "II",
            "role": "ketua PKK",
        }]),
        "{m:#}"
    );
    assert_eq!(m["conflicts"], json!({}), "{m:#}");
    // The old name still finds her, and is not written back.
    let out = said(
        &a,
        &[
            "minutes",
            "attend",
            &renamed,
            "--name",
            "Siti Aminah",
            "--dusun",
            "II",
        ],
    );
    assert!(out.contains("was already recorded"), "{out}");
    assert_eq!(
        a.show_json(&renamed)["minutes"]["attendees"][0]["name"],
        "Siti Aminah Lubis"
    );

    // The removed proposal keeps B's supporters, reported; restoring it counts them.
    let m = &agreed(&a, &b, &proposals)["minutes"];
    assert_eq!(m["proposals"], json!([]), "{m:#}");
    let gone = &m["removed"]["proposals"][0];
    assert_eq!(gone["key"], proposal.as_str(), "{m:#}");
    assert_eq!(gone["support"], 3, "1 seen by the removal, 2 counted on B");
    assert_eq!(gone["concurrent_edits"], json!(["support +2"]));
    assert_eq!(
        m["conflicts"][format!("removed.proposals.{proposal}")],
        json!(["support +2"])
    );
    said(&a, &["minutes", "proposal-restore", &proposals, &proposal]);
    let restored = &a.show_json(&proposals)["minutes"];
    assert_eq!(restored["proposals"][0]["support"], 3, "{restored:#}");
    assert!(restored.get("removed").is_none(), "{restored:#}");

    // Archived, with B's note; editing it now is refused on both devices.
    let m = &agreed(&a, &b, &archived)["minutes"];
    assert_eq!(m["archived"], true, "{m:#}");
    assert_eq!(m["notes"], "Dicatat sebelum diarsipkan.\n");
    let refused = b.run(&["minutes", "note", &archived, "Sesudahnya"]);
    assert_eq!(refused.status.code(), Some(1));
    let refused = String::from_utf8_lossy(&refused.stderr);
    assert!(
        refused.contains("archived: unarchive it to change it"),
        "{refused}"
    );

    // The removed participant's check-in on B is kept, apart, and reported.
    let t = &agreed(&a, &b, &removed_participant)["training"];
    assert_eq!(t["participants"], json!([]), "{t:#}");
    let gone = &t["removed"]["participants"][0];
    assert_eq!(gone["name"], "Budi", "{t:#}");
    assert_eq!(
        gone["concurrent_edits"],
        json!(["check-in session 1 by hp-wayan"])
    );
    assert_eq!(check_ins(&t["sessions"][0], "attended"), []);
    assert_eq!(
        check_ins(&t["sessions"][0], "removed_check_ins"),
        [pair("Budi", "hp-wayan")]
    );

    // Session 1: the undo wins over a check-in that wrote nothing; B's check-in of Budi stays.
    // Session 2: B's check-in, which A's undo never saw, stays.
    let t = &agreed(&a, &b, &undone)["training"];
    assert_eq!(
        check_ins(&t["sessions"][0], "attended"),
        [pair("Budi", "hp-wayan")],
        "{t:#}"
    );
    assert_eq!(
        check_ins(&t["sessions"][1], "attended"),
        [pair("Dewi", "hp-wayan")],
        "{t:#}"
    );
    assert_eq!(t["conflicts"], json!({}), "{t:#}");

    // Both added sessions are kept, each with its own key.
    let t = &agreed(&a, &b, &sessions)["training"];
    let dates: Vec<&str> = t["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .map(|s| s["date"].as_str().unwrap_or_default())
        .collect();
    let mut sorted = dates.clone();
    sorted.sort_unstable();
    assert_eq!(sorted, ["2026-11-02", "2026-11-09", "2026-11-16"], "{t:#}");
    assert_eq!(dates[0], "2026-11-02", "the first session keeps its number");
    let keys: Vec<&str> = t["sessions"]
        .as_array()
        .expect("sessions")
        .iter()
        .map(|s| s["key"].as_str().unwrap_or_default())
        .collect();
    assert!(keys[1] != keys[2] && keys[1].starts_with("002-") && keys[2].starts_with("002-"));
}

/// Run `args`, which must succeed and record exactly `recorded` changes in `id`; returns what it
/// said.
fn recorded(device: &Device, id: &str, recorded: usize, args: &[&str]) -> String {
    let before = changes(device, id);
    let out = said(device, args);
    assert_eq!(
        changes(device, id),
        before + recorded,
        "`balai {}` records {recorded} change(s); it said: {out}",
        args.join(" ")
    );
    out
}

#[test]
fn every_correction_is_one_change_and_says_what_it_did() {
    let ani = Device::init("hp-ani", &unreachable_url());
    let m = new_minutes(&ani, VILLAGE, "Musyawarah Dusun II");
    let key = |args: &[&str]| ani.ok(args).trim().to_owned();
    key(&[
        "minutes",
        "attend",
        &m,
        "--name",
        "Siti Aminah",
        "--dusun",
        "II",
    ]);
    key(&["minutes", "agenda", &m, "Perbaikan jalan"]);
    key(&["minutes", "decide", &m, "Gotong royong hari Minggu"]);
    let p = key(&["minutes", "propose", &m, "Sumur bor"]);
    let f = key(&[
        "minutes",
        "follow-up",
        &m,
        "--what",
        "Survei",
        "--who",
        "Pak Kades",
    ]);

    for (args, says) in [
        (
            &[
                "minutes",
                "attendee-correct",
                &m,
                "Siti Aminah",
                "--gender",
                "p",
            ][..],
            "corrected attendee siti-aminah@ii",
        ),
        (
            &[
                "minutes",
                "agenda-edit",
                &m,
                "1",
                "Perbaikan jalan Dusun II",
            ],
            "changed agenda item 1",
        ),
        (
            &[
                "minutes",
                "decision-edit",
                &m,
                "1",
                "Gotong royong hari Sabtu",
            ],
            "changed decision 1",
        ),
        (
            &["minutes", "proposal-edit", &m, &p, "--priority", "high"],
            "changed proposal",
        ),
        (
            &["minutes", "follow-up-edit", &m, &f, "--due", "2026-12-15"],
            "changed follow-up",
        ),
        (
            &["minutes", "attendee-remove", &m, "siti-aminah@ii"],
            "removed attendee siti-aminah@ii",
        ),
        (
            &["minutes", "agenda-remove", &m, "1"],
            "removed agenda item 1",
        ),
        (
            &["minutes", "decision-remove", &m, "1"],
            "removed decision 1",
        ),
        (&["minutes", "proposal-remove", &m, &p], "removed proposal"),
        (
            &["minutes", "follow-up-remove", &m, &f],
            "removed follow-up",
        ),
        (
            &["minutes", "agenda-restore", &m, "1"],
            "restored removed agenda item 1",
        ),
        (
            &["minutes", "decision-restore", &m, "1"],
            "restored removed decision 1",
        ),
        (
            &["minutes", "proposal-restore", &m, &p],
            "restored proposal",
        ),
        (
            &["minutes", "follow-up-restore", &m, &f],
            "restored follow-up",
        ),
        (&["archive", &m], "archived"),
        (&["unarchive", &m], "can be changed again"),
    ] {
        let out = recorded(&ani, &m, 1, args);
        assert!(out.contains(says), "`{}` said: {out}", args.join(" "));
    }
    let view = &ani.show_json(&m)["minutes"];
    assert_eq!(view["agenda"], json!(["Perbaikan jalan Dusun II"]));
    assert_eq!(view["decisions"], json!(["Gotong royong hari Sabtu"]));
    assert_eq!(view["proposals"][0]["priority"], "high");
    assert_eq!(view["follow_ups"][0]["due"], "2026-12-15");
    assert_eq!(view["removed"]["attendees"][0]["gender"], "f");
    assert_eq!(view["archived"], false);

    // Saying again what the record already says records nothing, and says so.
    for (args, says) in [
        (
            &[
                "minutes",
                "agenda-edit",
                &m,
                "1",
                "Perbaikan jalan Dusun II",
            ][..],
            "nothing changed",
        ),
        (
            &["minutes", "proposal-edit", &m, &p, "--priority", "high"],
            "nothing changed",
        ),
        (
            &["minutes", "proposal-restore", &m, &p],
            "is not removed; nothing changed",
        ),
        (&["unarchive", &m], "is not archived; nothing changed"),
    ] {
        let out = recorded(&ani, &m, 0, args);
        assert!(out.contains(says), "`{}` said: {out}", args.join(" "));
    }
    recorded(&ani, &m, 1, &["archive", &m]);
    let out = recorded(&ani, &m, 0, &["archive", &m]);
    assert!(out.contains("was already archived"), "{out}");

    let t = new_training(&ani, "Budidaya cabai", "2026-12-01");
    ani.ok(&["training", "enroll", &t, "--name", "Dewi", "--gender", "f"]);
    ani.ok(&["training", "enroll", &t, "--name", "Agus"]);
    ani.ok(&[
        "training",
        "check-in",
        &t,
        "--session",
        "1",
        "--name",
        "Dewi",
    ]);
    for (args, says) in [
        (
            &[
                "training",
                "participant-correct",
                &t,
                "Agus",
                "--new-name",
                "Agus Salim",
                "--gender",
                "m",
                "--new-dusun",
                "I",
            ][..],
            "corrected participant agus",
        ),
        (
            &[
                "training",
                "check-in-undo",
                &t,
                "--session",
                "1",
                "--name",
                "Dewi",
            ],
            "undid the check-in of dewi to session 1",
        ),
        (
            &["training", "session-add", &t, "--date", "2026-12-08"],
            "added session 2",
        ),
        (
            &[
                "training",
                "session-date",
                &t,
                "--session",
                "2",
                "--date",
                "2026-12-09",
            ],
            "session 2 is now on 2026-12-09",
        ),
        (
            &["training", "participant-remove", &t, "Agus Salim"],
            "removed participant agus",
        ),
        (&["archive", &t], "archived"),
        (&["unarchive", &t], "can be changed again"),
    ] {
        let out = recorded(&ani, &t, 1, args);
        assert!(out.contains(says), "`{}` said: {out}", args.join(" "));
    }
    let view = &ani.show_json(&t)["training"];
    assert_eq!(view["sessions"][1]["date"], "2026-12-09");
    assert_eq!(view["sessions"][0]["attended"], json!([]));
    assert_eq!(
        view["removed"]["participants"],
        json!([{"key": "agus", "name": "Agus Salim", "gender": "m", "dusun": "I"}])
    );
}

#[test]
fn a_bad_correction_fails_clearly_with_its_exit_code_and_changes_nothing() {
    let ani = Device::init("hp-ani", &unreachable_url());
    let m = new_minutes(&ani, VILLAGE, "Musyawarah Dusun II");
    ani.ok(&["minutes", "attend", &m, "--name", "Siti Aminah"]);
    ani.ok(&["minutes", "agenda", &m, "Perbaikan jalan"]);
    let p = ani
        .ok(&["minutes", "propose", &m, "Sumur bor"])
        .trim()
        .to_owned();
    ani.ok(&["minutes", "proposal-remove", &m, &p]);
    let t = new_training(&ani, "Budidaya cabai", "2026-12-01");
    let before = (ani.show_json(&m), ani.show_json(&t));
    let history = (changes(&ani, &m), changes(&ani, &t));

    // Exit 1: the command is well formed, but the record holds nothing it names.
    // Exit 2: the command itself is wrong, whatever the record holds.
    for (code, args, says) in [
        (
            1,
            &["minutes", "agenda-remove", &m, "99"][..],
            "there is no agenda item 99 in these minutes (there are 1,",
        ),
        (
            1,
            &["minutes", "agenda-restore", &m, "1"],
            "there is no removed agenda item 1 in these minutes (there are 0,",
        ),
        (
            1,
            &["minutes", "attendee-remove", &m, "Budi"],
            "no attendee `Budi` in these minutes",
        ),
        (
            1,
            &["minutes", "proposal-edit", &m, &p, "--text", "Sumur gali"],
            "was removed: restore it first",
        ),
        (
            1,
            &[
                "training",
                "check-in-undo",
                &t,
                "--session",
                "1",
                "--name",
                "Dewi",
            ],
            "no participant `Dewi` in this training",
        ),
        (
            1,
            &[
                "training",
                "session-date",
                &t,
                "--session",
                "2",
                "--date",
                "2026-12-08",
            ],
            "session 2 does not exist: this training has only session 1",
        ),
        (
            2,
            &["minutes", "agenda-remove", &m, "first"],
            "invalid value",
        ),
        (
            2,
            &["minutes", "attendee-correct", &m, "Siti Aminah"],
            "nothing to change: give a new name, gender or dusun",
        ),
        (
            2,
            &[
                "minutes",
                "attendee-correct",
                &m,
                "Siti Aminah",
                "--gender",
                "x",
            ],
            "`x` is not a gender",
        ),
        (
            2,
            &["training", "session-add", &t, "--date", "8/12/2026"],
            "`8/12/2026` is not a valid date",
        ),
    ] {
        let out = ani.run(args);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(
            out.status.code(),
            Some(code),
            "`balai {}` exits {code}: {stderr}",
            args.join(" ")
        );
        assert!(stderr.contains(says), "`{}` said: {stderr}", args.join(" "));
        assert!(out.stdout.is_empty(), "{}", args.join(" "));
    }
    assert_eq!((ani.show_json(&m), ani.show_json(&t)), before);
    assert_eq!((changes(&ani, &m), changes(&ani, &t)), history);
}
