//! Export tests: every format written from a store and read back.

use std::fs;
use std::io::Read;

use automerge::transaction::Transactable;
use balai_shared::model::{Gender, Person};
use balai_shared::region::VillageCode;

use super::*;

const V1: &str = "18.01.05.2001";
const V2: &str = "18.01.06.2003";

struct Fixture {
    store: Store,
    training: DocId,
    minutes: DocId,
    other_village: DocId,
}

fn person(name: &str, gender: Option<Gender>, dusun: &str) -> Person {
    Person {
        name: name.to_owned(),
        gender,
        dusun: Some(dusun.to_owned()),
    }
}

fn fixture() -> Fixture {
    let store = Store::in_memory(None).expect("in-memory store");
    let v1: VillageCode = V1.parse().expect("village");
    let v2: VillageCode = V2.parse().expect("village");
    let training = DocId::generate(DocKind::Training, v1.clone());
    store
        .edit(&training, |doc| {
            training::create(
                doc,
                &v1,
                &training::NewTraining {
                    topic: "Pupuk organik".into(),
                    category: Some("pertanian".into()),
                    trainer: Some("Pak Made".into()),
                    sessions: vec!["2026-11-02".into(), "2026-11-09".into()],
                },
            )?;
            training::enroll(doc, &person("Siti Aminah", Some(Gender::F), "Dusun I"))?;
            training::enroll(doc, &person("Budi", None, "Dusun II"))?;
            training::check_in(doc, 1, "Siti Aminah", None, "hp-rina")?;
            anyhow::Ok(())
        })
        .expect("training");
    let minutes = DocId::generate(DocKind::Minutes, v1.clone());
    store
        .edit(&minutes, |doc| {
            minutes::create(
                doc,
                &v1,
                &minutes::NewMinutes {
                    title: "Musyawarah \"dusun\", tahap 1".into(),
                    date: "2026-11-20".into(),
                    place: None,
                    facilitator: Some("Rina".into()),
                },
            )?;
            minutes::attend(
                doc,
                &person("Siti Aminah", Some(Gender::F), "Dusun I"),
                None,
            )?;
            minutes::add_agenda_item(doc, "Jalan desa")?;
            minutes::add_follow_up(doc, "Ajukan ke kecamatan", "Rina", Some("2026-12-01"))?;
            anyhow::Ok(())
        })
        .expect("minutes");
    let other_village = DocId::generate(DocKind::Minutes, v2.clone());
    store
        .edit(&other_village, |doc| {
            minutes::create(
                doc,
                &v2,
                &minutes::NewMinutes {
                    title: "Musyawarah desa".into(),
                    date: "2026-11-21".into(),
                    place: None,
                    facilitator: None,
                },
            )?;
            anyhow::Ok(())
        })
        .expect("other village");
    Fixture {
        store,
        training,
        minutes,
        other_village,
    }
}

fn request(format: Format, out: &Path) -> Request {
    Request {
        format,
        village: None,
        out: out.to_owned(),
        force: false,
        home: None,
    }
}

fn read_csv(bytes: &[u8]) -> Vec<Vec<String>> {
    csv::ReaderBuilder::new()
        .has_headers(false)
        .from_reader(bytes)
        .records()
        .map(|r| r.expect("a CSV record").iter().map(str::to_owned).collect())
        .collect()
}

#[test]
fn csv_folder_holds_one_file_per_table_that_reads_back() {
    let f = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("export");
    let s = export(&f.store, &request(Format::Csv, &out)).expect("export");
    assert_eq!(s.documents, 3);
    assert!(s.unreadable.is_empty());

    let mut names: Vec<_> = fs::read_dir(&out)
        .expect("the folder")
        .map(|e| e.expect("entry").file_name().into_string().expect("utf-8"))
        .collect();
    names.sort();
    assert_eq!(
        names,
        [
            ".balai-export",
            "agenda_items.csv",
            "attendees.csv",
            "check_ins.csv",
            "decisions.csv",
            "follow_ups.csv",
            "minutes.csv",
            "participants.csv",
            "proposals.csv",
            "sessions.csv",
            "trainings.csv",
        ]
    );
    let minutes = read_csv(&fs::read(out.join("minutes.csv")).expect("minutes.csv"));
    assert_eq!(
        minutes[0][..6],
        [
            "doc_id", "village", "district", "regency", "province", "title"
        ]
    );
    // Two minutes, header first; the quote and comma in a title survive CSV quoting.
    assert_eq!(minutes.len(), 3);
    let ours = minutes
        .iter()
        .find(|r| r[0] == f.minutes.to_string())
        .expect("the fixture minutes");
    assert_eq!(ours[5], "Musyawarah \"dusun\", tahap 1");
    assert_eq!(ours[2], "18.01.05");
    let participants = read_csv(&fs::read(out.join("participants.csv")).expect("participants"));
    assert_eq!(participants.len(), 3);
    let budi = participants
        .iter()
        .find(|r| r[2] == "Budi")
        .expect("Budi's row");
    assert_eq!(budi[0], f.training.to_string());
    assert_eq!(budi[3], "", "gender not recorded is an empty cell");
    let check_ins = read_csv(&fs::read(out.join("check_ins.csv")).expect("check_ins"));
    assert_eq!(
        check_ins[1][1..],
        ["1", "siti-aminah@dusun-i", "Siti Aminah", "hp-rina"]
    );
    assert_eq!(s.rows["sessions"], 2);
    assert_eq!(s.rows["minutes"], 2);
}

#[test]
fn csv_zip_holds_the_same_files() {
    let f = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    let folder = dir.path().join("folder");
    export(&f.store, &request(Format::Csv, &folder)).expect("folder export");
    let zip_path = dir.path().join("export.zip");
    export(&f.store, &request(Format::Csv, &zip_path)).expect("zip export");

    let mut zip = zip::ZipArchive::new(fs::File::open(&zip_path).expect("zip")).expect("a ZIP");
    assert_eq!(zip.len(), 10);
    for i in 0..zip.len() {
        let mut entry = zip.by_index(i).expect("entry");
        let mut bytes = Vec::new();
        entry.read_to_end(&mut bytes).expect("read entry");
        let name = entry.name().expect("a UTF-8 entry name").into_owned();
        let on_disk = fs::read(folder.join(&name)).expect("same file in the folder");
        assert_eq!(bytes, on_disk, "{name}");
    }
}

#[test]
fn village_filter_leaves_other_villages_out() {
    let f = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("v1.json");
    let mut req = request(Format::Json, &out);
    req.village = Some("18.01.05".parse().expect("prefix"));
    let s = export(&f.store, &req).expect("export");
    assert_eq!(s.documents, 2);
    let docs: Vec<serde_json::Value> =
        serde_json::from_slice(&fs::read(&out).expect("json")).expect("a JSON array");
    let mut ids: Vec<_> = docs.iter().map(|d| d["id"].as_str().expect("id")).collect();
    ids.sort();
    let mut want = vec![f.training.to_string(), f.minutes.to_string()];
    want.sort();
    assert_eq!(ids, want);
    assert!(!ids.contains(&f.other_village.to_string().as_str()));
    // Each entry is exactly what `balai show --json` prints.
    for d in &docs {
        let id: DocId = d["id"].as_str().expect("id").parse().expect("a doc id");
        let doc = f.store.load(&id).expect("load").expect("present");
        assert_eq!(d, &json_doc(&id, &doc).expect("view"));
    }
}

#[test]
fn xlsx_workbook_has_a_sheet_per_table() {
    let f = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("balai.xlsx");
    let s = export(&f.store, &request(Format::Xlsx, &out)).expect("export");
    assert_eq!(s.documents, 3);
    // An .xlsx is a ZIP of XML parts: the workbook names the sheets, the strings are shared.
    let mut zip = zip::ZipArchive::new(fs::File::open(&out).expect("xlsx")).expect("a ZIP");
    let mut part = |name: &str| {
        let mut s = String::new();
        zip.by_name(name)
            .expect(name)
            .read_to_string(&mut s)
            .expect("utf-8 XML");
        s
    };
    let workbook = part("xl/workbook.xml");
    for t in Tables::new().all() {
        assert!(
            workbook.contains(&format!("name=\"{}\"", t.name)),
            "sheet {}",
            t.name
        );
    }
    assert!(part("xl/sharedStrings.xml").contains("Siti Aminah"));
    // Sessions (sheet 2) hold a real date cell (a number with the date style), not text.
    let sessions = part("xl/worksheets/sheet2.xml");
    assert!(
        sessions.contains("<v>46328</v>"),
        "2026-11-02 as an Excel serial date"
    );
}

#[test]
fn automerge_files_load_back_with_the_same_heads() {
    let f = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("raw");
    let s = export(&f.store, &request(Format::Automerge, &out)).expect("export");
    assert_eq!(s.documents, 3);
    for id in [&f.training, &f.minutes, &f.other_village] {
        let bytes = fs::read(out.join(automerge_file_name(id))).expect("the document's file");
        let loaded = Automerge::load(&bytes).expect("loads");
        let stored = f.store.load(id).expect("load").expect("present");
        assert_eq!(loaded.get_heads(), stored.get_heads());
    }
}

#[test]
fn an_existing_output_is_kept_unless_forced() {
    let f = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("out.json");
    fs::write(&out, "precious").expect("write");
    let err = export(&f.store, &request(Format::Json, &out)).expect_err("must refuse");
    assert!(matches!(err, ExportError::Exists(_)), "{err}");
    assert_eq!(fs::read_to_string(&out).expect("read"), "precious");

    let mut forced = request(Format::Json, &out);
    forced.force = true;
    export(&f.store, &forced).expect("forced export");
    assert!(fs::read_to_string(&out).expect("read").starts_with('['));
    // Nothing temporary is left beside it.
    assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 1);
}

#[test]
fn force_replaces_an_earlier_export_folder_but_never_another_folder() {
    let f = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("csv");
    export(&f.store, &request(Format::Csv, &out)).expect("first export");
    let mut forced = request(Format::Csv, &out);
    forced.force = true;
    export(&f.store, &forced).expect("an earlier export is replaced");
    assert_eq!(
        fs::read_dir(&out).expect("dir").count(),
        11,
        "10 tables and the marker"
    );

    let home = dir.path().join("home");
    fs::create_dir(&home).expect("mkdir");
    fs::write(home.join("balai.toml"), "device = 'x'").expect("write");
    let mut over_home = request(Format::Csv, &home);
    over_home.force = true;
    let err = export(&f.store, &over_home).expect_err("must refuse");
    assert!(err.to_string().contains(".balai-export"), "{err}");
    assert!(home.join("balai.toml").exists());

    // A folder of someone's own CSV files is not an export either, whatever it holds.
    let own = dir.path().join("own");
    fs::create_dir(&own).expect("mkdir");
    fs::write(own.join("trainings.csv"), "mine").expect("write");
    let mut over_own = request(Format::Csv, &own);
    over_own.force = true;
    export(&f.store, &over_own).expect_err("must refuse");
    assert_eq!(
        fs::read_to_string(own.join("trainings.csv")).expect("kept"),
        "mine"
    );

    // A file put into an earlier export afterwards makes it someone's again.
    fs::write(out.join("notes.txt"), "added by hand").expect("write");
    export(&f.store, &forced).expect_err("must refuse");
    assert!(out.join("notes.txt").exists());
    // Only the three folders: the refused exports left no temporary folder behind.
    assert_eq!(fs::read_dir(dir.path()).expect("dir").count(), 3);
}

#[test]
fn an_output_that_is_no_name_or_inside_the_home_is_refused() {
    let f = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    for out in [dir.path().join("."), dir.path().join("sub/..")] {
        let mut req = request(Format::Csv, &out);
        req.force = true;
        let err = export(&f.store, &req).expect_err("no name");
        assert!(
            err.to_string().contains("not a file or folder name"),
            "{err}"
        );
    }
    let home = dir.path().join("home");
    fs::create_dir(&home).expect("mkdir");
    let mut req = request(Format::Json, &home.join("balai.redb"));
    req.home = Some(home.clone());
    req.force = true;
    let err = export(&f.store, &req).expect_err("inside the home");
    assert!(err.to_string().contains("home"), "{err}");
    assert_eq!(fs::read_dir(&home).expect("dir").count(), 0);
}

#[test]
fn csv_cells_that_look_like_formulas_are_shown_not_run() {
    let store = Store::in_memory(None).expect("store");
    let v1: VillageCode = V1.parse().expect("village");
    let id = DocId::generate(DocKind::Minutes, v1.clone());
    store
        .edit(&id, |doc| {
            minutes::create(
                doc,
                &v1,
                &minutes::NewMinutes {
                    title: "=HYPERLINK(\"http://x/\",\"klik\")".into(),
                    date: "2026-11-20".into(),
                    place: Some("-balai desa".into()),
                    facilitator: Some("Rina".into()),
                },
            )?;
            anyhow::Ok(())
        })
        .expect("minutes");
    let dir = tempfile::tempdir().expect("tempdir");
    let out = dir.path().join("csv");
    export(&store, &request(Format::Csv, &out)).expect("export");
    let rows = read_csv(&fs::read(out.join("minutes.csv")).expect("minutes.csv"));
    assert_eq!(rows[1][5], "'=HYPERLINK(\"http://x/\",\"klik\")");
    assert_eq!(rows[1][7], "'-balai desa");
    assert_eq!(rows[1][8], "Rina");
    assert_eq!(
        rows[1][6], "2026-11-20",
        "dates are ours and stay as they are"
    );
}

#[test]
fn a_note_longer_than_an_excel_cell_is_cut_with_a_mark_not_a_failed_workbook() {
    let long = "kata ".repeat(8_000); // 40,000 characters
    let cut = super::write::cell_text(&long);
    assert!(cut.encode_utf16().count() <= 32_767);
    assert!(cut.ends_with(" […]"));
    assert_eq!(super::write::cell_text("pendek"), "pendek");
}

#[test]
fn a_document_whose_creation_has_not_arrived_is_reported_not_dropped_silently() {
    let f = fixture();
    let v1: VillageCode = V1.parse().expect("village");
    let partial = DocId::generate(DocKind::Training, v1);
    f.store
        .edit(&partial, |doc| {
            let mut tx = doc.transaction();
            tx.put(automerge::ROOT, "topic", "arrived before its creation")?;
            tx.commit();
            anyhow::Ok(())
        })
        .expect("partial document");
    let dir = tempfile::tempdir().expect("tempdir");
    let s = export(&f.store, &request(Format::Csv, &dir.path().join("csv"))).expect("export");
    assert_eq!(s.documents, 3);
    assert_eq!(s.unreadable.len(), 1);
    assert_eq!(s.unreadable[0].id, partial.to_string());
    // The raw export still carries it.
    let s = export(
        &f.store,
        &request(Format::Automerge, &dir.path().join("raw")),
    )
    .expect("raw");
    assert_eq!(s.documents, 4);
}

#[cfg(unix)]
#[test]
fn an_export_is_not_left_private_like_a_temporary_file() {
    use std::os::unix::fs::PermissionsExt;
    let f = fixture();
    let dir = tempfile::tempdir().expect("tempdir");
    let file = dir.path().join("balai.json");
    export(&f.store, &request(Format::Json, &file)).expect("export");
    let folder = dir.path().join("csv");
    export(&f.store, &request(Format::Csv, &folder)).expect("export");
    let mode = |p: &Path| fs::metadata(p).expect("metadata").permissions().mode() & 0o777;
    assert_eq!(mode(&file), 0o644);
    assert_eq!(mode(&folder), 0o755);
}
