//! A server restored from a backup of its data directory (issue 12, fix 1): the restored store
//! keeps its id but numbers new changes with seqs it had handed out before, so a device whose
//! checkpoint is past the restored feed must not skip what the server numbers anew, and what the
//! devices hold that the backup lacks must reach the server again. Real `balai-server` and
//! `balai` binaries on 127.0.0.1.

use std::fs;
use std::path::Path;

use balai_e2e::{Server, ids, new_minutes};
use tempfile::TempDir;

const VILLAGE: &str = "18.01.05.2001";
const OTHER_VILLAGE: &str = "18.01.05.2002";

/// Copy a directory tree (the server's data directory, stopped).
fn copy_dir(from: &Path, to: &Path) {
    fs::create_dir_all(to).expect("create the copy");
    for entry in fs::read_dir(from).expect("read the directory") {
        let entry = entry.expect("entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            fs::copy(entry.path(), &target).expect("copy a file");
        }
    }
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

#[test]
fn a_server_restored_from_a_backup_ends_with_every_device_holding_everything() {
    let data = TempDir::new().expect("tempdir");
    let backup = TempDir::new().expect("tempdir");
    let mut server = Server::start(data.path());
    let ani = server.device_scoped("hp-ani", "18.01.05");
    let budi = server.device_scoped("hp-budi", "18.01.05");
    let citra = server.device_scoped("hp-citra", "18.01.05");
    let a = new_minutes(&ani, VILLAGE, "Musyawarah dusun");
    for d in [&ani, &budi, &citra] {
        d.sync();
    }

    // The operator backs up the stopped server's data directory.
    server.terminate();
    copy_dir(data.path(), backup.path());
    server.restart();

    // Life goes on: Ani records two forums and corrects the first; Budi gets it all.
    let b = new_minutes(&ani, VILLAGE, "Pelatihan pupuk");
    let c = new_minutes(&ani, OTHER_VILLAGE, "Rapat posyandu");
    ani.ok(&["minutes", "note", &a, "koreksi sebelum pemulihan"]);
    ani.sync();
    budi.sync();
    assert_eq!(
        sorted(ids(&budi.list_json())),
        sorted(vec![a.clone(), b.clone(), c.clone()])
    );

    // The disk dies; the backup comes back (same store id, an older feed).
    server.terminate();
    fs::remove_dir_all(data.path()).expect("the dead disk");
    copy_dir(backup.path(), data.path());
    server.restart();

    // Citra, who saw only the first forum, records four: the restored server numbers them with
    // the seqs the lost changes had, which Budi's checkpoint already covers.
    let fresh: Vec<String> = (0..4)
        .map(|i| new_minutes(&citra, VILLAGE, &format!("Forum warga {i}")))
        .collect();
    let report = citra.sync();
    assert_eq!(report["docs_sent"], 4, "{report}");

    for _ in 0..2 {
        for d in [&ani, &budi, &citra] {
            d.sync();
        }
    }
    let want = sorted(fresh.iter().cloned().chain([a.clone(), b, c]).collect());
    let auditor = server.device_scoped("hp-auditor", "18.01.05");
    auditor.sync();
    for d in [&ani, &budi, &citra, &auditor] {
        assert_eq!(
            sorted(ids(&d.list_json())),
            want,
            "{} lacks documents",
            d.name()
        );
    }
    // The same content everywhere, Ani's correction made before the restore included.
    for id in &want {
        let shown = ani.show_json(id);
        for d in [&budi, &citra, &auditor] {
            assert_eq!(d.show_json(id), shown, "{id} differs on {}", d.name());
        }
    }
    assert!(
        auditor
            .show_json(&a)
            .to_string()
            .contains("koreksi sebelum pemulihan"),
        "the correction the backup lacked reached the server again"
    );
    for d in [&ani, &budi, &citra] {
        let status = d.status_json();
        assert_eq!(
            status["unsynced"].as_array().map(Vec::len),
            Some(0),
            "{}: {status}",
            d.name()
        );
    }
}
