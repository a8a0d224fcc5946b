//! `balai history` end to end: two devices edit one document and sync through a real server;
//! each device's history of it names both devices, oldest change first.

use balai_e2e::{Server, Value};

#[test]
fn history_names_every_device_that_changed_a_document() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let a = server.device_scoped("hp-rina", "18.01.05");
    let b = server.device_scoped("hp-wayan", "18.01.05");
    let id = a.create(&[
        "minutes",
        "new",
        "--village",
        "18.01.05.2001",
        "--title",
        "Musyawarah dusun",
        "--date",
        "2026-11-20",
    ]);
    a.sync();
    b.sync();
    b.ok(&["minutes", "decide", &id, "Kerja bakti hari Sabtu"]);
    b.sync();
    a.sync();

    for device in [&a, &b] {
        let history = device.json(&["history", &id, "--json"]);
        let rows = history.as_array().expect("a list of changes");
        let devices: Vec<&str> = rows
            .iter()
            .map(|r| r["device"].as_str().unwrap_or("?"))
            .collect();
        // Created by hp-rina, then hp-wayan's decision; the changes that only signed the
        // document are left out without --all.
        assert_eq!(devices, ["hp-rina", "hp-wayan"], "{history:#}");
        assert_eq!(rows[0]["created"], Value::Bool(true));
        assert_eq!(rows[1]["message"], Value::from("decision"));
        assert!(rows.iter().all(|r| r["time"].is_string()));
        let all = device.json(&["history", &id, "--all", "--json"]);
        assert_eq!(
            all.as_array().map(Vec::len),
            Some(4),
            "two signatures as well"
        );
    }
    // The readable table names the devices too.
    let table = a.ok(&["history", &id]);
    assert!(
        table.contains("hp-rina") && table.contains("hp-wayan"),
        "{table}"
    );
}
