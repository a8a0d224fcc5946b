//! End-to-end tests of a tiered deployment with the real binaries: a regency server, two district
//! servers replicating into it on their own (`--upstream`), two villages per district with two
//! devices each. Records made offline anywhere converge on every replica that has them in scope,
//! district 1 never sees district 2, a cut uplink heals without anyone acting, and
//! `admin status`, `sync-now` and `resync` tell and do what they say.

use std::collections::BTreeMap;
use std::time::Duration;

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

    // Every device records while offline (none has synced yet).
    let mut village_of: BTreeMap<String, String> = BTreeMap::new();
    for d in &districts {
        for (village, device) in &d.devices {
            let id = new_minutes(device, village, &format!("Musyawarah {}", device.name()));
            village_of.insert(id, village.clone());
        }
    }
    // Signal returns: every device syncs with its district, which replicates up on its own.
    for d in &districts {
        for (_, device) in &d.devices {
            assert_eq!(counter(&device.sync(), "docs_sent"), 1);
        }
    }
    wait_until(
        "the regency holds all eight villages' records",
        CONVERGE,
        || {
            kab.sync();
            ids(&kab.list_json()).len() == village_of.len()
        },
    );

    // The regency admin and a village facilitator edit the same minutes, each offline.
    let (facilitator_village, facilitator) =
        (&districts[0].devices[0].0, &districts[0].devices[0].1);
    let shared = new_minutes(facilitator, facilitator_village, "Musyawarah dusun");
    village_of.insert(shared.clone(), facilitator_village.clone());
    facilitator.sync();
    wait_until("the new minutes reach the regency", CONVERGE, || {
        kab.sync();
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
            kab.sync();
            let mut all_equal = true;
            for d in &districts {
                for (village, device) in &d.devices {
                    device.sync();
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

    // Nothing of district 2 ever reached district 1, its server or its devices.
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

    // District 1's uplink goes down: its devices keep syncing with it.
    uplink.set_plan(FaultPlan::cut_upstream_after(0));
    let (village, device) = (&districts[0].devices[3].0, &districts[0].devices[3].1);
    let during = new_minutes(device, village, "Rapat saat jaringan ke kabupaten putus");
    village_of.insert(during.clone(), village.clone());
    assert_eq!(
        counter(&device.sync(), "docs_sent"),
        1,
        "the district still serves"
    );
    wait_until(
        "district 1 reports its uplink failing with the new record not yet acknowledged",
        CONVERGE,
        || {
            let up = status(&districts[0].server)["upstream"].clone();
            number(&up["consecutive_failures"]) >= 1 && number(&up["pending_documents"]) >= 1
        },
    );
    kab.sync();
    assert!(!ids(&kab.list_json()).contains(&during));
    // The link returns; the regency converges without anyone acting.
    uplink.set_plan(FaultPlan::clean());
    wait_until(
        "the regency receives what district 1 held while cut off",
        CONVERGE,
        || {
            kab.sync();
            ids(&kab.list_json()).contains(&during)
        },
    );

    // `admin status` on each tier tells the truth.
    let d1 = districts[0].server.admin();
    let moved = d1.json(&["admin", "sync-now", "--json"]);
    assert_eq!(moved["ok"], true, "{moved:#}");
    let s = status(&districts[0].server);
    let up = &s["upstream"];
    assert_eq!(up["url"], uplink.url(), "{s:#}");
    assert_eq!(up["server_name"], "kabupaten", "{s:#}");
    assert_eq!(up["scopes"], serde_json::json!([DISTRICTS[0]]), "{s:#}");
    assert_eq!(number(&up["consecutive_failures"]), 0, "{s:#}");
    assert_eq!(number(&up["pending_documents"]), 0, "{s:#}");
    assert!(number(&up["last_success_unix_ms"]) > 0 && number(&up["last_failure_unix_ms"]) > 0);
    for (_, device) in &districts[0].devices {
        let row = device_row(&s, device.name());
        assert!(number(&row["sessions_ok"]) >= 2, "{row:#}");
        assert!(number(&row["last_success_unix_ms"]) > 0, "{row:#}");
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
    assert_eq!(docs_of(&status(&districts[1].server)), expect(DISTRICTS[1]));
    let top = status(&regency);
    assert_eq!(docs_of(&top), expect(REGENCY));
    assert!(top["upstream"].is_null(), "the regency is the top: {top:#}");
    for district in ["kec-1", "kec-2"] {
        let row = device_row(&top, district);
        assert_eq!(row["device"]["role"], "server");
        assert!(number(&row["sessions_ok"]) >= 2, "{row:#}");
    }
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
    assert_eq!(counter(&report, "docs_received"), 1, "{report:#}");
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
    assert_eq!(counter(&report, "docs_received"), 1, "{report:#}");
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
    budi.sync();
    assert!(ids(&budi.list_json()).contains(&offline));
}
