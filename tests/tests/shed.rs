//! A device rescoped out of a village sheds that village's records, end to end with the real
//! binaries: what the server holds completely is removed from the device and the user is told;
//! a record with changes the server never received is kept and reported; the server keeps
//! everything, and other devices of that village still receive it.

use std::process::Output;

use balai_e2e::{Device, Server, Value, ids, json, new_minutes};

/// Kalianda, which the facilitators keep.
const KEPT_VILLAGE: &str = "18.01.05.2001";
/// Sinar Laut, which they lose.
const LOST_VILLAGE: &str = "18.01.05.2002";
const BOTH: &str = "18.01.05.2001,18.01.05.2002";

/// An enrolled facilitator device and its token (to re-run `init` with it).
fn facilitator(server: &Server, name: &str, scope: &str) -> (Device, String) {
    let token = server.enroll(name, "facilitator", scope);
    (Device::init_with_token(name, &server.url(), &token), token)
}

fn rescope(server: &Server, name: &str, scope: &str) {
    server
        .admin()
        .ok(&["admin", "device", "rescope", name, "--scope", scope]);
}

/// Re-running `init` with the device's token makes its next sync ask the server for its regions
/// first, so the test does not depend on how else the device may notice a rescope.
fn relearn_regions(device: &Device, server: &Server, token: &str) {
    device.ok(&[
        "init",
        "--force",
        "--server",
        &server.url(),
        "--token",
        token,
    ]);
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8_lossy(bytes).into_owned()
}

/// `balai sync --json`, which must succeed: the report and what it said on stderr.
fn sync_json(device: &Device) -> (Value, String) {
    let out: Output = device.run(&["sync", "--json"]);
    assert!(
        out.status.success(),
        "`balai sync --json` on {} failed:\n{}",
        device.name(),
        text(&out.stderr)
    );
    let report = serde_json::from_str(&text(&out.stdout))
        .unwrap_or_else(|e| panic!("invalid JSON ({e}):\n{}", text(&out.stdout)));
    (report, text(&out.stderr))
}

/// The ids listed under `key` in a sync report (`out_of_scope` lists ids, the shed lists
/// records with an id and a title).
fn listed(report: &Value, key: &str) -> Vec<String> {
    report[key]
        .as_array()
        .unwrap_or_else(|| panic!("the sync report has no list `{key}`: {report:#}"))
        .iter()
        .map(|d| {
            d.as_str()
                .or_else(|| d["id"].as_str())
                .unwrap_or_else(|| panic!("an entry of `{key}` has an id: {d:#}"))
                .to_owned()
        })
        .collect()
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn notes(device: &Device, id: &str) -> String {
    device.show_json(id)["minutes"]["notes"]
        .as_str()
        .unwrap_or_else(|| panic!("minutes {id} have notes"))
        .to_owned()
}

#[test]
fn a_rescoped_device_removes_what_the_server_holds_and_the_server_keeps_it() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let (ani, token) = facilitator(&server, "hp-ani", BOTH);
    let kept = new_minutes(&ani, KEPT_VILLAGE, "Musyawarah Kalianda");
    let lost = new_minutes(&ani, LOST_VILLAGE, "Musyawarah Sinar Laut");
    let report = ani.sync();
    assert_eq!(report["docs_sent"], 2, "{report}");
    assert_eq!(report["removed_out_of_scope"], json!([]), "{report}");
    assert_eq!(report["kept_out_of_scope"], json!([]), "{report}");

    rescope(&server, "hp-ani", KEPT_VILLAGE);
    relearn_regions(&ani, &server, &token);
    let out = ani.run(&["sync"]);
    let (stdout, stderr) = (text(&out.stdout), text(&out.stderr));
    assert!(out.status.success(), "{stderr}");
    assert!(
        stdout.contains(&format!(
            "1 record is no longer in your regions ({KEPT_VILLAGE}) and was removed from this device"
        )) && stdout.contains(&format!("\"Musyawarah Sinar Laut\" ({lost})")),
        "the sync says what it removed:\n{stdout}"
    );
    assert!(!stderr.contains("warning"), "nothing was kept: {stderr}");
    assert_eq!(ids(&ani.list_json()), vec![kept.clone()]);
    let err = ani.fail(&["show", &lost]);
    assert!(err.contains("no document"), "{err}");

    // Nothing more to shed, and the removed record does not come back.
    let report = ani.sync();
    assert_eq!(report["out_of_scope"], json!([]), "{report}");
    assert_eq!(report["removed_out_of_scope"], json!([]), "{report}");
    assert_eq!(report["docs_received"], 0, "{report}");
    assert_eq!(ids(&ani.list_json()), vec![kept.clone()]);

    // The server kept it: a device of that village receives it whole.
    let (sinar_laut, _) = facilitator(&server, "hp-sinar-laut", LOST_VILLAGE);
    let report = sinar_laut.sync();
    assert_eq!(report["docs_received"], 1, "{report}");
    assert_eq!(ids(&sinar_laut.list_json()), vec![lost.clone()]);
    assert_eq!(
        sinar_laut.show_json(&lost)["minutes"]["title"],
        "Musyawarah Sinar Laut"
    );
}

#[test]
fn a_record_with_changes_the_server_never_received_is_kept_and_reported() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let (budi, token) = facilitator(&server, "hp-budi", BOTH);
    let synced = new_minutes(&budi, LOST_VILLAGE, "Rapat kelompok tani");
    let unsynced = new_minutes(&budi, LOST_VILLAGE, "Musyawarah dusun");
    let ours = new_minutes(&budi, KEPT_VILLAGE, "Musyawarah Kalianda");
    let report = budi.sync();
    assert_eq!(report["docs_sent"], 3, "{report}");
    // Recorded in the field before the rescope, never synced.
    budi.ok(&["minutes", "note", &unsynced, "Jalan desa rusak"]);

    rescope(&server, "hp-budi", KEPT_VILLAGE);
    // No re-init: the device learns its new regions within this sync (the server refuses the
    // edit it offers).
    let (report, stderr) = sync_json(&budi);
    assert_eq!(report["scopes"], json!([KEPT_VILLAGE]), "{report}");
    assert_eq!(
        sorted(listed(&report, "out_of_scope")),
        sorted(vec![synced.clone(), unsynced.clone()]),
        "{report}"
    );
    assert_eq!(
        report["removed_out_of_scope"],
        json!([{"id": synced, "title": "Rapat kelompok tani"}]),
        "{report}"
    );
    assert_eq!(
        report["kept_out_of_scope"],
        json!([{"id": unsynced, "title": "Musyawarah dusun"}]),
        "{report}"
    );
    assert!(
        stderr.contains("1 record outside your regions")
            && stderr.contains("never received")
            && stderr.contains("ask your admin")
            && stderr.contains(&unsynced),
        "the user is told plainly: {stderr}"
    );
    assert_eq!(
        sorted(ids(&budi.list_json())),
        sorted(vec![unsynced.clone(), ours.clone()])
    );
    assert_eq!(
        notes(&budi, &unsynced),
        "Jalan desa rusak\n",
        "the edit is intact"
    );

    // It stays kept, and reported, at every sync.
    let (report, stderr) = sync_json(&budi);
    assert_eq!(listed(&report, "kept_out_of_scope"), vec![unsynced.clone()]);
    assert!(stderr.contains("ask your admin"), "{stderr}");

    // The server has both records as they were synced; the edit never reached it.
    let (sinar_laut, _) = facilitator(&server, "hp-sinar-laut", LOST_VILLAGE);
    sinar_laut.sync();
    assert_eq!(
        sorted(ids(&sinar_laut.list_json())),
        sorted(vec![synced.clone(), unsynced.clone()])
    );
    assert_eq!(notes(&sinar_laut, &unsynced), "");

    // What the admin can do: give the village back for one sync, and the edit goes up.
    rescope(&server, "hp-budi", BOTH);
    relearn_regions(&budi, &server, &token);
    let (report, stderr) = sync_json(&budi);
    assert_eq!(report["docs_sent"], 1, "{report}");
    // The record it shed comes back with its village: the server forgot what it had shared with
    // the device there when the village was taken away.
    assert_eq!(report["docs_received"], 1, "{report}");
    assert!(ids(&budi.list_json()).contains(&synced));
    assert_eq!(report["kept_out_of_scope"], json!([]), "{report}");
    assert!(!stderr.contains("warning"), "{stderr}");
    sinar_laut.sync();
    assert_eq!(notes(&sinar_laut, &unsynced), "Jalan desa rusak\n");

    // Rescoped again, now that the server holds it, the record goes.
    rescope(&server, "hp-budi", KEPT_VILLAGE);
    relearn_regions(&budi, &server, &token);
    let (report, _) = sync_json(&budi);
    assert_eq!(
        sorted(listed(&report, "removed_out_of_scope")),
        sorted(vec![synced, unsynced]),
        "{report}"
    );
    assert_eq!(ids(&budi.list_json()), vec![ours]);
}

/// Under the server's default back-off after a refused session (250 ms, doubling): the session
/// that offers the now out-of-scope edit is refused and starts the back-off, so the next one is
/// refused at open. The device must sync under the regions it just learned rather than start
/// its next attempt from the old ones, be refused again, and back off for ever.
#[test]
fn a_narrowed_device_syncs_under_the_default_refusal_back_off() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start_args(data.path(), &["--refusal-backoff-ms", "250"]);
    let (budi, _) = facilitator(&server, "hp-budi", BOTH);
    let unsynced = new_minutes(&budi, LOST_VILLAGE, "Musyawarah dusun");
    budi.sync();
    budi.ok(&["minutes", "note", &unsynced, "Jalan desa rusak"]);
    let ours = new_minutes(&budi, KEPT_VILLAGE, "Musyawarah Kalianda");
    rescope(&server, "hp-budi", KEPT_VILLAGE);
    let (report, stderr) = sync_json(&budi);
    assert_eq!(
        report["scopes"],
        json!([KEPT_VILLAGE]),
        "{report}\n{stderr}"
    );
    assert_eq!(
        report["kept_out_of_scope"],
        json!([{"id": unsynced, "title": "Musyawarah dusun"}]),
        "{report}"
    );
    // The record of the village it keeps reached the server.
    let ani = server.device_scoped("hp-ani", KEPT_VILLAGE);
    ani.sync();
    assert!(ids(&ani.list_json()).contains(&ours));
}
