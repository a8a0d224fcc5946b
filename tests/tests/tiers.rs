//! End-to-end tests of a tiered deployment with the real binaries: a regency server, two district
//! servers replicating into it on their own (`--upstream`), two villages per district with two
//! devices each. Records made offline anywhere converge on every replica that has them in scope,
//! district 1 never sees district 2, a cut uplink heals without anyone acting, and
//! `admin status`, `sync-now` and `resync` tell and do what they say, and a rescope, of a device
//! or of a district's upstream token, moves only what it changes.

use std::collections::BTreeMap;
use std::time::{Duration, Instant};

use balai_e2e::proxy::{FaultPlan, Proxy};
use balai_e2e::{Device, Server, Value, counter, ids, new_minutes, wait_until};

/// Lampung Selatan; its districts Kalianda and Rajabasa.
const REGENCY: &str = "18.01";
const DISTRICTS: [&str; 2] = ["18.01.05", "18.01.06"];
/// Replication runs every second in these tests, so convergence takes seconds; the bound only
/// turns a hang into a failure on a loaded machine.
const CONVERGE: Duration = Duration::from_secs(120);

/// Flags of a district server replicating into `url` every second, 100 ms after changes.
fn upstream_args(name: &str, url: &str, token: &str) -> Vec<String> {
    upstream_args_every(name, url, token, "1", "100")
}

fn upstream_args_every(
    name: &str,
    url: &str,
    token: &str,
    interval_secs: &str,
    debounce_ms: &str,
) -> Vec<String> {
    [
        "--name",
        name,
        "--upstream",
        url,
        "--upstream-token",
        token,
        "--upstream-interval-secs",
        interval_secs,
        "--upstream-debounce-ms",
        debounce_ms,
        "--upstream-max-backoff-secs",
        "2",
    ]
    .map(str::to_owned)
    .to_vec()
}

fn start(data: &std::path::Path, args: &[String]) -> Server {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Server::start_args(data, &args)
}

fn status(server: &Server) -> Value {
    server.admin().json(&["admin", "status", "--json"])
}

/// The row of `device` in an `admin status --json`.
fn device_row<'a>(status: &'a Value, device: &str) -> &'a Value {
    status["devices"]
        .as_array()
        .and_then(|rows| rows.iter().find(|r| r["device"]["name"] == device))
        .unwrap_or_else(|| panic!("status lists no device `{device}`: {status:#}"))
}

fn number(v: &Value) -> u64 {
    v.as_u64()
        .or_else(|| v.as_i64().and_then(|n| u64::try_from(n).ok()))
        .unwrap_or_else(|| panic!("not a number: {v}"))
}

struct District {
    server: Server,
    /// (village, device), two per village.
    devices: Vec<(String, Device)>,
    _data: tempfile::TempDir,
}

/// The sessions each device completed, summed from its own `balai sync --json` reports, to hold
/// a server's `admin status` to: its `sessions_ok` must be exactly this. A sync that needed
/// more than one connection attempt (a retry after a failed one, which a loaded machine may
/// cause) makes that device's count a lower bound only.
#[derive(Default)]
struct Sessions(BTreeMap<String, (u64, bool)>);

impl Sessions {
    /// `balai sync --json` on `device`, counted.
    fn sync(&mut self, device: &Device) -> Value {
        let report = device.sync();
        let entry = self.0.entry(device.name().to_owned()).or_insert((0, true));
        entry.0 += counter(&report, "sessions");
        if counter(&report, "attempts") != 1 {
            entry.1 = false;
        }
        report
    }

    /// (sessions counted, whether the count is exact).
    fn of(&self, device: &str) -> (u64, bool) {
        self.0.get(device).copied().unwrap_or((0, true))
    }
}

/// The `admin status` of `server` once `done` holds for it, or the last one read at the deadline
/// (for the caller's assertions to fail on with the figures). For what a server records just
/// after the fact: a session's activity is written once the session has ended.
fn status_when(server: &Server, done: impl Fn(&Value) -> bool) -> Value {
    let deadline = Instant::now() + CONVERGE;
    loop {
        let s = status(server);
        if done(&s) || Instant::now() >= deadline {
            return s;
        }
        std::thread::sleep(Duration::from_millis(50));
    }
}

/// The `admin status` of `server` once it has recorded every session `sessions` counted for
/// `devices` (a status read right after a sync may not show its session yet).
fn settled(server: &Server, sessions: &Sessions, devices: &[&str]) -> Value {
    status_when(server, |s| {
        devices
            .iter()
            .all(|d| number(&device_row(s, d)["sessions_ok"]) >= sessions.of(d).0)
    })
}

/// A device's row in `status` says it completed exactly the sessions it ran and never failed
/// one, and that in its last session the server sent it `sent` documents and received
/// `received` from it.
fn assert_device(status: &Value, sessions: &Sessions, device: &str, sent: u64, received: u64) {
    let row = device_row(status, device);
    let (count, exact) = sessions.of(device);
    if exact {
        assert_eq!(number(&row["sessions_ok"]), count, "{device}: {row:#}");
        assert_eq!(number(&row["sessions_failed"]), 0, "{device}: {row:#}");
        assert_eq!(number(&row["last_failure_unix_ms"]), 0, "{device}: {row:#}");
        assert_eq!(row["last_failure_reason"], "", "{device}: {row:#}");
    } else {
        assert!(number(&row["sessions_ok"]) >= count, "{device}: {row:#}");
    }
    assert!(
        number(&row["last_success_unix_ms"]) > 0,
        "{device}: {row:#}"
    );
    assert_eq!(
        (
            number(&row["last_docs_sent"]),
            number(&row["last_docs_received"])
        ),
        (sent, received),
        "{device}'s last session (documents sent to it, received from it): {row:#}"
    );
}

/// Why an upstream attempt through a cut link failed, as `admin status` words it: the parent
/// could not be reached, or the session with it was cut (which of the two depends on where the
/// connection broke).
fn assert_cut_reason(reason: &Value) {
    let reason = reason.as_str().unwrap_or_default();
    assert!(
        reason.starts_with("cannot reach the parent")
            || reason.starts_with("the session with the parent was cut"),
        "the upstream failure says the parent was out of reach: {reason:?}"
    );
}

/// Every document any district-1 replica (its server's store and each of its devices) holds, and
/// likewise for district 2, is of its own district, and each device holds only its village's.
fn assert_districts_isolated(districts: &[District], village_of: &BTreeMap<String, String>) {
    for (i, d) in districts.iter().enumerate() {
        let s = status(&d.server);
        for row in s["villages"].as_array().expect("villages") {
            let village = row["village"].as_str().expect("village code");
            assert!(
                village.starts_with(DISTRICTS[i]),
                "district {} holds a document of {village}: {s:#}",
                i + 1
            );
        }
        for (village, device) in &d.devices {
            for id in ids(&device.list_json()) {
                assert_eq!(
                    village_of.get(&id),
                    Some(village),
                    "{} holds {id}",
                    device.name()
                );
            }
        }
    }
}

/// The changes a device holds of a document (signing changes included).
fn changes_of(device: &Device, id: &str) -> u64 {
    let all = device.json(&["history", id, "--all", "--json"]);
    all.as_array().map_or(0, |a| a.len() as u64)
}

#[test]
fn a_regency_two_districts_and_eight_devices_converge_within_their_regions() {
    let regency_data = tempfile::tempdir().expect("tempdir");
    let regency = Server::start_args(regency_data.path(), &["--name", "kabupaten"]);
    // A regency admin who also records: it edits village minutes from the regency office.
    let token = regency.enroll("kab-admin", "admin", REGENCY);
    let kab = Device::init_with_token("kab-admin", &regency.url(), &token);
    // District 1 reaches the regency through a proxy the test can cut.
    let uplink = Proxy::start(regency.addr(), FaultPlan::clean());
    let districts: Vec<District> = DISTRICTS
        .iter()
        .enumerate()
        .map(|(i, district)| {
            let name = format!("kec-{}", i + 1);
            let token = regency.enroll(&name, "server", district);
            let url = if i == 0 { uplink.url() } else { regency.url() };
            let data = tempfile::tempdir().expect("tempdir");
            let server = start(data.path(), &upstream_args(&name, &url, &token));
            let mut devices = Vec::new();
            for v in ["2001", "2002"] {
                let village = format!("{district}.{v}");
                for k in ["a", "b"] {
                    let device = server.device_scoped(&format!("hp-{}-{v}-{k}", i + 1), &village);
                    devices.push((village.clone(), device));
                }
            }
            District {
                server,
                devices,
                _data: data,
            }
        })
        .collect();
    let names = |d: &District| -> Vec<String> {
        d.devices.iter().map(|(_, x)| x.name().to_owned()).collect()
    };
    let mut sessions = Sessions::default();

    // Every device records while offline (none has synced yet).
    let mut village_of: BTreeMap<String, String> = BTreeMap::new();
    for d in &districts {
        for (village, device) in &d.devices {
            let id = new_minutes(device, village, &format!("Musyawarah {}", device.name()));
            village_of.insert(id, village.clone());
        }
    }
    // Signal returns: every device syncs with its district, which replicates up on its own. The
    // first device of a village sends its record; the second sends its own and receives the
    // first's (the regency holds nothing of theirs yet, so the district has nothing else).
    for d in &districts {
        for (k, (_, device)) in d.devices.iter().enumerate() {
            let report = sessions.sync(device);
            let first_of_village = k % 2 == 0;
            assert_eq!(counter(&report, "docs_sent"), 1, "{report:#}");
            assert_eq!(
                counter(&report, "docs_received"),
                u64::from(!first_of_village),
                "{report:#}"
            );
            assert_eq!(counter(&report, "sessions"), 1, "{report:#}");
        }
        let owned = names(d);
        let device_names: Vec<&str> = owned.iter().map(String::as_str).collect();
        let s = settled(&d.server, &sessions, &device_names);
        for (k, name) in device_names.iter().enumerate() {
            // In the server's terms: it sent the second device one record, received one from each.
            assert_device(&s, &sessions, name, u64::from(k % 2 == 1), 1);
        }
    }
    wait_until(
        "the regency holds all eight villages' records",
        CONVERGE,
        || {
            sessions.sync(&kab);
            ids(&kab.list_json()).len() == village_of.len()
        },
    );

    // The regency admin and a village facilitator edit the same minutes, each offline.
    let (facilitator_village, facilitator) =
        (&districts[0].devices[0].0, &districts[0].devices[0].1);
    let shared = new_minutes(facilitator, facilitator_village, "Musyawarah dusun");
    village_of.insert(shared.clone(), facilitator_village.clone());
    sessions.sync(facilitator);
    wait_until("the new minutes reach the regency", CONVERGE, || {
        sessions.sync(&kab);
        ids(&kab.list_json()).contains(&shared)
    });
    kab.ok(&[
        "minutes",
        "note",
        &shared,
        "Kabupaten: anggaran jalan dusun 2 disetujui",
    ]);
    facilitator.ok(&[
        "minutes",
        "note",
        &shared,
        "Desa: warga dusun 2 minta lampu jalan",
    ]);

    // Syncs and automatic replication bring every replica to the same content.
    wait_until(
        "every device holds exactly what the regency holds for its village",
        CONVERGE,
        || {
            sessions.sync(&kab);
            let mut all_equal = true;
            for d in &districts {
                for (village, device) in &d.devices {
                    sessions.sync(device);
                    for (id, v) in &village_of {
                        if v == village && device.show_json(id) != kab.show_json(id) {
                            all_equal = false;
                        }
                    }
                }
            }
            all_equal
        },
    );
    let merged = kab.show_json(&shared).to_string();
    assert!(
        merged.contains("anggaran jalan") && merged.contains("lampu jalan"),
        "both concurrent notes are kept: {merged}"
    );
    assert_eq!(
        districts[0].devices[1].1.show_json(&shared),
        kab.show_json(&shared),
        "the village's second device holds the merged minutes too"
    );
    // Both districts know the regency holds everything of theirs.
    for (i, d) in districts.iter().enumerate() {
        wait_until(
            &format!("district {} has nothing left to replicate up", i + 1),
            CONVERGE,
            || {
                let up = status(&d.server)["upstream"].clone();
                number(&up["pending_documents"]) == 0 && number(&up["pending_changes"]) == 0
            },
        );
    }

    // Nothing of district 2 ever reached district 1, its server or its devices (nor the other
    // way round).
    assert_districts_isolated(&districts, &village_of);

    // District 1's uplink goes down: its devices keep syncing with it.
    uplink.set_plan(FaultPlan::cut_upstream_after(0));
    let (village, device) = (&districts[0].devices[3].0, &districts[0].devices[3].1);
    let during = new_minutes(device, village, "Rapat saat jaringan ke kabupaten putus");
    village_of.insert(during.clone(), village.clone());
    let report = sessions.sync(device);
    assert_eq!(
        (
            counter(&report, "docs_sent"),
            counter(&report, "docs_received")
        ),
        (1, 0),
        "the district still serves: {report:#}"
    );
    let s = settled(&districts[0].server, &sessions, &[device.name()]);
    assert_device(&s, &sessions, device.name(), 0, 1);
    wait_until("district 1 reports its uplink failing", CONVERGE, || {
        number(&status(&districts[0].server)["upstream"]["consecutive_failures"]) >= 1
    });
    // Exactly the new record is not yet acknowledged upstream, with every change it holds.
    let s = status(&districts[0].server);
    let up = &s["upstream"];
    assert_eq!(number(&up["pending_documents"]), 1, "{s:#}");
    assert_eq!(
        number(&up["pending_changes"]),
        changes_of(device, &during),
        "{s:#}"
    );
    assert_cut_reason(&up["last_failure_reason"]);
    let (failed_at, succeeded_at) = (
        number(&up["last_failure_unix_ms"]),
        number(&up["last_success_unix_ms"]),
    );
    assert!(failed_at >= succeeded_at && succeeded_at > 0, "{s:#}");
    sessions.sync(&kab);
    assert!(!ids(&kab.list_json()).contains(&during));
    // The link returns; the regency converges without anyone acting.
    uplink.set_plan(FaultPlan::clean());
    wait_until(
        "the regency receives what district 1 held while cut off",
        CONVERGE,
        || {
            sessions.sync(&kab);
            ids(&kab.list_json()).contains(&during)
        },
    );

    // `admin status` on each tier tells the truth. District 1 replicated on its own: asked to
    // now, it has nothing to move either way.
    let d1 = districts[0].server.admin();
    let moved = d1.json(&["admin", "sync-now", "--json"]);
    assert_eq!(moved["ok"], true, "{moved:#}");
    assert_eq!(
        (number(&moved["docs_sent"]), number(&moved["docs_received"])),
        (0, 0),
        "{moved:#}"
    );
    // Every device syncs once more: only the village's other device has a record to receive
    // (the one made while the uplink was cut); the rest have nothing to move.
    let late = districts[0].devices[2].1.name().to_owned();
    for d in &districts {
        for (_, device) in &d.devices {
            let report = sessions.sync(device);
            let expect = u64::from(device.name() == late);
            assert_eq!(counter(&report, "docs_received"), expect, "{report:#}");
            assert_eq!(counter(&report, "docs_sent"), 0, "{report:#}");
        }
    }
    let report = sessions.sync(&kab);
    assert_eq!(
        (
            counter(&report, "docs_sent"),
            counter(&report, "docs_received")
        ),
        (0, 0),
        "{report:#}"
    );

    let d1_names = names(&districts[0]);
    let d1_names: Vec<&str> = d1_names.iter().map(String::as_str).collect();
    let s = settled(&districts[0].server, &sessions, &d1_names);
    let up = &s["upstream"];
    assert_eq!(up["url"], uplink.url(), "{s:#}");
    assert_eq!(up["server_name"], "kabupaten", "{s:#}");
    assert_eq!(up["scopes"], serde_json::json!([DISTRICTS[0]]), "{s:#}");
    assert_eq!(number(&up["consecutive_failures"]), 0, "{s:#}");
    assert_eq!(number(&up["pending_documents"]), 0, "{s:#}");
    assert_eq!(number(&up["pending_changes"]), 0, "{s:#}");
    // The last attempt (sync-now's, or a scheduled one since) moved nothing; the failure seen
    // while cut off is kept, and the success came after it.
    assert_eq!(
        (
            number(&up["last_docs_sent"]),
            number(&up["last_docs_received"])
        ),
        (0, 0),
        "{s:#}"
    );
    assert_cut_reason(&up["last_failure_reason"]);
    assert!(
        number(&up["last_success_unix_ms"]) > number(&up["last_failure_unix_ms"])
            && number(&up["last_failure_unix_ms"]) >= failed_at,
        "{s:#}"
    );
    for name in &d1_names {
        assert_device(&s, &sessions, name, u64::from(*name == late), 0);
    }
    // District 2's uplink never failed, and it too has nothing left to send.
    let d2_names = names(&districts[1]);
    let d2_names: Vec<&str> = d2_names.iter().map(String::as_str).collect();
    let s2 = settled(&districts[1].server, &sessions, &d2_names);
    let up2 = &s2["upstream"];
    assert_eq!(up2["url"], regency.url(), "{s2:#}");
    assert_eq!(up2["server_name"], "kabupaten", "{s2:#}");
    assert_eq!(up2["scopes"], serde_json::json!([DISTRICTS[1]]), "{s2:#}");
    assert_eq!(number(&up2["consecutive_failures"]), 0, "{s2:#}");
    assert_eq!(number(&up2["last_failure_unix_ms"]), 0, "{s2:#}");
    assert_eq!(up2["last_failure_reason"], "", "{s2:#}");
    assert!(number(&up2["last_success_unix_ms"]) > 0, "{s2:#}");
    assert_eq!(number(&up2["pending_documents"]), 0, "{s2:#}");
    assert_eq!(number(&up2["pending_changes"]), 0, "{s2:#}");
    for name in &d2_names {
        assert_device(&s2, &sessions, name, 0, 0);
    }

    let mut per_village: BTreeMap<&str, u64> = BTreeMap::new();
    for v in village_of.values() {
        *per_village.entry(v.as_str()).or_default() += 1;
    }
    let docs_of = |s: &Value| -> BTreeMap<String, u64> {
        s["villages"]
            .as_array()
            .expect("villages")
            .iter()
            .map(|r| {
                (
                    r["village"].as_str().unwrap_or_default().to_owned(),
                    number(&r["documents"]),
                )
            })
            .collect()
    };
    let expect = |prefix: &str| -> BTreeMap<String, u64> {
        per_village
            .iter()
            .filter(|(v, _)| v.starts_with(prefix))
            .map(|(v, n)| ((*v).to_owned(), *n))
            .collect()
    };
    assert_eq!(docs_of(&s), expect(DISTRICTS[0]));
    assert_eq!(docs_of(&s2), expect(DISTRICTS[1]));

    // The regency: the admin's sessions exactly, and each district's latest session moved
    // nothing (everything has converged; a scheduled session runs every second).
    let top = settled(&regency, &sessions, &["kab-admin"]);
    assert_eq!(docs_of(&top), expect(REGENCY));
    assert!(top["upstream"].is_null(), "the regency is the top: {top:#}");
    assert_device(&top, &sessions, "kab-admin", 0, 0);
    for (i, district) in ["kec-1", "kec-2"].into_iter().enumerate() {
        let top = status_when(&regency, |s| {
            let row = device_row(s, district);
            number(&row["last_docs_sent"]) == 0 && number(&row["last_docs_received"]) == 0
        });
        let row = device_row(&top, district);
        assert_eq!(row["device"]["role"], "server", "{row:#}");
        assert_eq!(
            row["device"]["scopes"],
            serde_json::json!([DISTRICTS[i]]),
            "{row:#}"
        );
        assert!(number(&row["sessions_ok"]) >= 2, "{row:#}");
        assert_eq!(
            (
                number(&row["last_docs_sent"]),
                number(&row["last_docs_received"])
            ),
            (0, 0),
            "{district}'s latest session on the regency: {row:#}"
        );
    }
    // District 2 reaches the regency directly, which never went away.
    let row = device_row(&top, "kec-2");
    assert_eq!(number(&row["sessions_failed"]), 0, "{row:#}");
    assert_eq!(number(&row["last_failure_unix_ms"]), 0, "{row:#}");

    // And still, at the end, no replica of one district holds anything of the other's.
    assert_districts_isolated(&districts, &village_of);
}

#[test]
fn sync_now_replicates_at_once_and_says_why_when_it_cannot() {
    let regency_data = tempfile::tempdir().expect("tempdir");
    let mut regency = Server::start_args(regency_data.path(), &["--name", "kabupaten"]);
    let token = regency.enroll("kec-kalianda", "server", DISTRICTS[0]);
    let data = tempfile::tempdir().expect("tempdir");
    // Nothing automatic after the first attempt at startup: no interval, no debounce to speak of.
    let args = upstream_args_every("kec-kalianda", &regency.url(), &token, "3600", "3600000");
    let district = start(data.path(), &args);
    district.wait_for_log("upstream sync complete", 1);
    let device = district.device_scoped("hp-ani", "18.01.05.2001");
    let id = new_minutes(&device, "18.01.05.2001", "Musyawarah");
    device.sync();

    let moved = district.admin().json(&["admin", "sync-now", "--json"]);
    assert_eq!(moved["ok"], true, "{moved:#}");
    assert_eq!(number(&moved["docs_sent"]), 1, "{moved:#}");
    assert_eq!(
        number(&moved["upstream"]["pending_documents"]),
        0,
        "{moved:#}"
    );
    let text = district.admin().ok(&["admin", "sync-now"]);
    assert!(text.contains("replicated upstream with"), "{text}");
    let reader = regency.device_scoped("hp-kab", REGENCY);
    reader.sync();
    assert_eq!(ids(&reader.list_json()), vec![id]);

    // The regency goes away: sync-now says so, and fails.
    regency.kill9();
    let err = district.admin().fail(&["admin", "sync-now"]);
    assert!(err.contains("upstream sync failed"), "{err}");
    // A server without an upstream says what to do.
    regency.restart();
    let err = regency.admin().fail(&["admin", "sync-now"]);
    assert!(
        err.contains("no upstream") && err.contains("--upstream"),
        "{err}"
    );

    // SIGTERM stops the district cleanly, its replication task included.
    let mut district = district;
    let exit = district.terminate();
    assert!(exit.success(), "{exit:?}\n{}", district.log());
    let log = district.log();
    assert!(
        log.contains("upstream replication stopped") && log.contains("shut down cleanly"),
        "{log}"
    );
    // Offline, its status still shows the link and the failure seen while the regency was down.
    let offline = balai_e2e::server_command(&[
        "status",
        "--data",
        &data.path().display().to_string(),
        "--json",
    ]);
    assert!(offline.status.success(), "{offline:?}");
    let offline: Value = serde_json::from_slice(&offline.stdout).expect("status prints JSON");
    assert_eq!(offline["upstream"]["url"], regency.url(), "{offline:#}");
    assert!(
        number(&offline["upstream"]["last_failure_unix_ms"]) > 0,
        "{offline:#}"
    );
    assert!(
        number(&device_row(&offline, "hp-ani")["sessions_ok"]) >= 1,
        "{offline:#}"
    );
}

#[test]
fn resync_makes_the_server_re_diff_every_document_of_a_device_once() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let device = server.device_scoped("hp-ani", "18.01.05.2001");
    for i in 0..3 {
        new_minutes(&device, "18.01.05.2001", &format!("Musyawarah {i}"));
    }
    device.sync();
    assert_eq!(counter(&device.sync(), "offers_received"), 0);

    let done = server
        .admin()
        .json(&["admin", "resync", "hp-ani", "--json"]);
    assert_eq!(number(&done["stores"]), 1, "{done:#}");
    assert!(number(&done["sync_states_removed"]) >= 3, "{done:#}");
    let again = device.sync();
    assert_eq!(
        counter(&again, "offers_received"),
        3,
        "re-diffed: {again:#}"
    );
    assert_eq!(
        counter(&again, "docs_received"),
        0,
        "nothing was missing: {again:#}"
    );
    assert_eq!(
        counter(&device.sync(), "offers_received"),
        0,
        "and only once"
    );

    let audit = server
        .admin()
        .json(&["admin", "audit", "--device", "hp-ani", "--json"]);
    assert!(
        audit
            .as_array()
            .is_some_and(|rows| rows.iter().any(|r| r["kind"] == "resync")),
        "{audit:#}"
    );
    let err = server.admin().fail(&["admin", "resync", "nobody"]);
    assert!(err.contains("nobody"), "{err}");
}

#[test]
fn a_rescoped_device_gets_its_new_regions_documents_at_its_next_sync() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let token = server.enroll("hp-ani", "facilitator", "18.01.05.2001");
    let ani = Device::init_with_token("hp-ani", &server.url(), &token);
    let budi = server.device_scoped("hp-budi", "18.01.05.2002");
    // Budi's village has records from before Ani was given it: below her checkpoint of the
    // server's feed once she has synced.
    let older = new_minutes(&budi, "18.01.05.2002", "Musyawarah lama");
    budi.sync();
    let own = new_minutes(&ani, "18.01.05.2001", "Musyawarah");
    ani.sync();
    assert_eq!(ids(&ani.list_json()), vec![own.clone()]);

    server.admin().ok(&[
        "admin",
        "device",
        "rescope",
        "hp-ani",
        "--scope",
        "18.01.05.2001,18.01.05.2002",
    ]);
    // No re-init, nothing to offer: the server's Hello tells her, and she asks for the rest.
    let report = ani.sync();
    assert_eq!(
        report["scopes"],
        serde_json::json!(["18.01.05.2001", "18.01.05.2002"]),
        "{report:#}"
    );
    // Only the newly-in-scope record moves: her own village is not re-diffed (the server offers
    // her own record no more than she offers it back), and nothing goes up.
    assert_eq!(traffic(&report), only_received(1), "{report:#}");
    let mut held = ids(&ani.list_json());
    held.sort();
    let mut expected = vec![own.clone(), older.clone()];
    expected.sort();
    assert_eq!(held, expected);
    assert_eq!(counter(&ani.sync(), "docs_received"), 0, "and then a no-op");

    // Narrowed again, she sheds Budi's village (the server holds it all)…
    let rescope = |scope: &str| {
        server
            .admin()
            .ok(&["admin", "device", "rescope", "hp-ani", "--scope", scope]);
    };
    rescope("18.01.05.2001");
    let report = ani.sync();
    assert_eq!(
        report["removed_out_of_scope"][0]["id"],
        older.as_str(),
        "{report:#}"
    );
    assert_eq!(ids(&ani.list_json()), vec![own.clone()]);
    // …and given it back, she receives it again: the server forgot what it had shared with her
    // there, so it offers it instead of skipping it.
    rescope("18.01.05.2001,18.01.05.2002");
    let report = ani.sync();
    assert_eq!(traffic(&report), only_received(1), "{report:#}");
    assert!(ids(&ani.list_json()).contains(&older));

    // A record she made there and never synced is kept when the village is taken away (the
    // server's checkpoint of her feed passes it, out of scope)…
    let offline = new_minutes(&ani, "18.01.05.2002", "Dicatat sebelum desa dicabut");
    rescope("18.01.05.2001");
    let report = ani.sync();
    assert_eq!(
        report["kept_out_of_scope"][0]["id"],
        offline.as_str(),
        "{report:#}"
    );
    // …and goes up once the village is given back: the rescope reset that checkpoint.
    rescope("18.01.05.2001,18.01.05.2002");
    let report = ani.sync();
    assert_eq!(counter(&report, "docs_sent"), 1, "{report:#}");
    // Her own village stays out of it: the kept record goes up (offered by her), Budi's village's
    // record she had shed comes back (offered by the server), and nothing else is offered.
    assert_eq!(
        traffic(&report),
        Traffic {
            offers_sent: 1,
            docs_sent: 1,
            ..only_received(1)
        },
        "{report:#}"
    );
    budi.sync();
    assert!(ids(&budi.list_json()).contains(&offline));
}

/// What a sync moved each way: documents offered, and documents that carried changes.
#[derive(Debug, PartialEq, Eq)]
struct Traffic {
    offers_received: u64,
    docs_received: u64,
    offers_sent: u64,
    docs_sent: u64,
}

fn traffic(report: &Value) -> Traffic {
    Traffic {
        offers_received: counter(report, "offers_received"),
        docs_received: counter(report, "docs_received"),
        offers_sent: counter(report, "offers_sent"),
        docs_sent: counter(report, "docs_sent"),
    }
}

/// `n` documents offered by the server and received, nothing offered or sent up.
fn only_received(n: u64) -> Traffic {
    Traffic {
        offers_received: n,
        docs_received: n,
        offers_sent: 0,
        docs_sent: 0,
    }
}

#[test]
fn a_district_narrowed_on_the_regency_keeps_what_it_holds_and_gets_its_village_back_whole() {
    let (kept, lost) = ("18.01.05.2001", "18.01.05.2002");
    let regency_data = tempfile::tempdir().expect("tempdir");
    let regency = Server::start_args(regency_data.path(), &["--name", "kabupaten"]);
    let token = regency.enroll("kec-kalianda", "server", DISTRICTS[0]);
    let data = tempfile::tempdir().expect("tempdir");
    // Nothing automatic after the first attempt at startup, so each sync-now's figures are the
    // test's own.
    let args = upstream_args_every("kec-kalianda", &regency.url(), &token, "3600", "3600000");
    let district = start(data.path(), &args);
    district.wait_for_log("upstream sync complete", 1);
    let sync_now = || {
        let moved = district.admin().json(&["admin", "sync-now", "--json"]);
        assert_eq!(moved["ok"], true, "{moved:#}");
        moved
    };
    let figures = |moved: &Value| (number(&moved["docs_sent"]), number(&moved["docs_received"]));
    let ani = district.device_scoped("hp-ani", kept);
    let budi = district.device_scoped("hp-budi", lost);
    let a1 = new_minutes(&ani, kept, "Musyawarah Kalianda");
    let b1 = new_minutes(&budi, lost, "Musyawarah Sinar Laut");
    ani.sync();
    budi.sync();
    assert_eq!(figures(&sync_now()), (2, 0));
    let kab = regency.device_scoped("hp-kab", DISTRICTS[0]);
    kab.sync();
    let mut both = vec![a1.clone(), b1.clone()];
    both.sort();
    let mut held = ids(&kab.list_json());
    held.sort();
    assert_eq!(held, both);

    // The regency narrows the district's token to one village, while both sides keep working: a
    // record in each village below, an edit at the regency to the other village's minutes.
    regency.admin().ok(&[
        "admin",
        "device",
        "rescope",
        "kec-kalianda",
        "--scope",
        kept,
    ]);
    let a2 = new_minutes(&ani, kept, "Rapat kelompok tani");
    let b2 = new_minutes(&budi, lost, "Rapat posyandu");
    ani.sync();
    budi.sync();
    kab.ok(&["minutes", "note", &b1, "Kabupaten: posyandu dapat dana"]);
    kab.sync();
    // The district learns its new regions in this attempt: only the kept village's new record
    // goes up, nothing comes down (the edit is no longer the district's to receive), and the
    // other village's record is not pending, for it is outside the upstream's regions now.
    // (Its first session still offers that record under the old regions and is refused, then
    // retried under the new ones at once; the harness turns the server's refusal back-off off,
    // under which, as of this writing, that retry is refused at open and the attempt fails.)
    let moved = sync_now();
    assert_eq!(figures(&moved), (1, 0), "{moved:#}");
    let up = &moved["upstream"];
    assert_eq!(up["scopes"], serde_json::json!([kept]), "{moved:#}");
    assert_eq!(number(&up["pending_documents"]), 0, "{moved:#}");
    assert_eq!(number(&up["pending_changes"]), 0, "{moved:#}");
    let row = device_row(&status(&regency), "kec-kalianda").clone();
    assert_eq!(
        row["device"]["scopes"],
        serde_json::json!([kept]),
        "{row:#}"
    );

    // A server does not shed: the district keeps every record of the village it lost, and that
    // village's device still syncs them with it (without the regency's edit).
    let villages: BTreeMap<String, u64> = status(&district)["villages"]
        .as_array()
        .expect("villages")
        .iter()
        .map(|r| {
            (
                r["village"].as_str().unwrap_or_default().to_owned(),
                number(&r["documents"]),
            )
        })
        .collect();
    assert_eq!(
        villages,
        BTreeMap::from([(kept.to_owned(), 2), (lost.to_owned(), 2)])
    );
    let report = budi.sync();
    assert_eq!(counter(&report, "docs_received"), 0, "{report:#}");
    assert_eq!(report["removed_out_of_scope"], serde_json::json!([]));
    let mut budi_holds = ids(&budi.list_json());
    budi_holds.sort();
    let mut expected = vec![b1.clone(), b2.clone()];
    expected.sort();
    assert_eq!(budi_holds, expected);
    assert!(
        !budi
            .show_json(&b1)
            .to_string()
            .contains("posyandu dapat dana")
    );
    kab.sync();
    let kab_holds = ids(&kab.list_json());
    assert!(!kab_holds.contains(&b2), "{kab_holds:?}");
    assert!(kab_holds.contains(&a2), "{kab_holds:?}");

    // Given the village back, the district sends what was recorded there meanwhile and receives
    // the regency's edit, and nothing of the village it kept moves again.
    regency.admin().ok(&[
        "admin",
        "device",
        "rescope",
        "kec-kalianda",
        "--scope",
        DISTRICTS[0],
    ]);
    let moved = sync_now();
    assert_eq!(figures(&moved), (1, 1), "{moved:#}");
    let up = &moved["upstream"];
    assert_eq!(up["scopes"], serde_json::json!([DISTRICTS[0]]), "{moved:#}");
    assert_eq!(number(&up["pending_documents"]), 0, "{moved:#}");
    assert_eq!(figures(&sync_now()), (0, 0), "and then a no-op");
    let report = budi.sync();
    assert_eq!(counter(&report, "docs_received"), 1, "{report:#}");
    assert!(
        budi.show_json(&b1)
            .to_string()
            .contains("posyandu dapat dana")
    );
    kab.sync();
    assert!(ids(&kab.list_json()).contains(&b2));
    assert_eq!(budi.show_json(&b1), kab.show_json(&b1));
}
