//! `balai export` end to end: two devices check people in to the same training offline, sync
//! through a real server, and one device exports. The CSV tables hold both check-ins, and the
//! automerge export is loaded by another implementation (JavaScript `@automerge/automerge`, from
//! the npm registry) with the same heads and content.

use std::path::{Path, PathBuf};
use std::process::Command;
use std::time::Duration;

use balai_e2e::{Device, Server, Value, run_bounded};

const VILLAGE: &str = "18.01.05.2001";

/// `tests/js`, with its npm dependencies installed (`npm ci` on first use, from the lockfile).
fn js_dir() -> PathBuf {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("js");
    if !dir.join("node_modules/@automerge/automerge").is_dir() {
        let out = run_bounded(
            Command::new("npm")
                .args(["ci", "--no-audit", "--no-fund"])
                .current_dir(&dir),
            Duration::from_secs(300),
        );
        assert!(
            out.status.success(),
            "`npm ci` in {} failed (Node.js and npm are needed; .ci/run installs them):\n{}",
            dir.display(),
            String::from_utf8_lossy(&out.stderr)
        );
    }
    dir
}

/// Two synced devices with one training in which each checked a different person in offline.
fn two_devices_check_in_concurrently(server: &Server) -> (Device, String) {
    let a = server.device_scoped("hp-rina", "18.01.05");
    let b = server.device_scoped("hp-wayan", "18.01.05");
    let id = a.create(&[
        "training",
        "new",
        "--village",
        VILLAGE,
        "--topic",
        "Pupuk organik",
        "--sessions",
        "2026-11-02,2026-11-09",
    ]);
    for (name, gender, dusun) in [("Siti Aminah", "f", "Dusun I"), ("Budi", "m", "Dusun II")] {
        a.ok(&[
            "training", "enroll", &id, "--name", name, "--gender", gender, "--dusun", dusun,
        ]);
    }
    a.sync();
    b.sync();
    // Offline on both: each checks in a different participant to session 1.
    a.ok(&[
        "training",
        "check-in",
        &id,
        "--session",
        "1",
        "--name",
        "Siti Aminah",
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
    a.sync();
    b.sync();
    a.sync();
    (a, id)
}

fn read_csv(path: &Path) -> Vec<Vec<String>> {
    let text = std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()));
    // The fixture's values hold no commas or quotes, so a plain split reads them back.
    text.lines()
        .map(|l| l.split(',').map(str::to_owned).collect())
        .collect()
}

#[test]
fn csv_export_holds_both_devices_check_ins() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let (a, id) = two_devices_check_in_concurrently(&server);
    let out = tempfile::tempdir().expect("tempdir");
    let folder = out.path().join("csv");
    let summary = a.json(&[
        "export",
        "--format",
        "csv",
        "--out",
        folder.to_str().expect("utf-8 path"),
        "--json",
    ]);
    assert_eq!(summary["documents"], Value::from(1));
    assert_eq!(summary["rows"]["check_ins"], Value::from(2));
    let check_ins = read_csv(&folder.join("check_ins.csv"));
    assert_eq!(
        check_ins[0],
        ["doc_id", "session", "person_key", "name", "checked_in_by"]
    );
    let mut who: Vec<_> = check_ins[1..]
        .iter()
        .map(|r| (r[0].as_str(), r[3].as_str(), r[4].as_str()))
        .collect();
    who.sort();
    assert_eq!(
        who,
        [
            (id.as_str(), "Budi", "hp-wayan"),
            (id.as_str(), "Siti Aminah", "hp-rina"),
        ]
    );
}

#[test]
fn automerge_export_loads_in_javascript_automerge() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let (a, id) = two_devices_check_in_concurrently(&server);
    let out = tempfile::tempdir().expect("tempdir");
    let folder = out.path().join("raw");
    a.ok(&[
        "export",
        "--format",
        "automerge",
        "--out",
        folder.to_str().expect("utf-8 path"),
    ]);
    let file = folder.join(format!("{}.automerge", id.replace('/', "_")));
    let bytes = std::fs::read(&file).unwrap_or_else(|e| panic!("{}: {e}", file.display()));
    let rust_heads: Vec<String> = automerge::Automerge::load(&bytes)
        .expect("the Rust implementation loads the export")
        .get_heads()
        .iter()
        .map(ToString::to_string)
        .collect();

    let js = js_dir();
    let out = run_bounded(
        Command::new("node")
            .arg(js.join("load.mjs"))
            .arg(&file)
            .current_dir(&js),
        Duration::from_secs(60),
    );
    assert!(
        out.status.success(),
        "node failed to load {}:\n{}",
        file.display(),
        String::from_utf8_lossy(&out.stderr)
    );
    let line: Value = serde_json::from_slice(&out.stdout).expect("one JSON line from load.mjs");
    let mut js_heads: Vec<String> = line["heads"]
        .as_array()
        .expect("heads")
        .iter()
        .map(|h| h.as_str().expect("a hex head").to_owned())
        .collect();
    let mut rust_heads = rust_heads;
    js_heads.sort();
    rust_heads.sort();
    assert_eq!(
        js_heads, rust_heads,
        "both implementations see the same history"
    );
    // Both concurrent edits merged (two heads before the merge were one device's each), and the
    // content JavaScript reads is the document `balai show` reads.
    let content = &line["content"];
    assert_eq!(content["topic"], Value::from("Pupuk organik"));
    assert_eq!(content["village"], Value::from(VILLAGE));
    let checked_in: usize = content["attendance"]
        .as_object()
        .expect("attendance by session")
        .values()
        .map(|s| s.as_object().map_or(0, serde_json::Map::len))
        .sum();
    assert_eq!(checked_in, 2);
    let shown = a.show_json(&id);
    assert_eq!(
        shown["training"]["participants"]
            .as_array()
            .expect("participants")
            .len(),
        content["participants"]
            .as_object()
            .expect("participants")
            .len()
    );
}
