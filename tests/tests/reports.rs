//! `balai report` end to end: two devices record forums and a training in two villages, edit the
//! same forum and the same training session concurrently while offline, and sync through a real
//! server. Every report is then run on one device and its figures are checked against answers
//! counted by hand from the records below (the arithmetic is in the comments), so what is
//! checked is the merged documents as the server relayed them.
//!
//! The records, all in district 18.01.05, reported as of 2026-12-01:
//!
//! Village A, 18.01.05.2001:
//! - Forum F1, 2026-11-20. hp-rina records Siti Aminah (f, Dusun I, ketua PKK) and Made (m,
//!   Dusun I); hp-wayan, offline at the same time, Nyoman (m, Dusun II) and Ketut (m,
//!   Dusun III). The proposal "Sumur bor" gets 3 supporters on hp-rina and 2 on hp-wayan.
//!   Follow-ups: "Ajukan proposal" due 2026-11-25 (hp-rina) and "Rapat RT" due 2026-12-15
//!   (hp-wayan), both open.
//! - Training T1 "Budidaya cabai", sessions 2026-11-10 and 2026-11-17. Enrolled: Siti Aminah (f,
//!   Dusun I), Made (m, Dusun I), Dewi (f, Dusun II), Joko (no gender, Dusun II). Session 1:
//!   hp-rina checks in Siti Aminah and Made; hp-wayan, offline, Siti Aminah too, Dewi, and Rudi
//!   (Dusun III), who is not enrolled: a walk-in. Session 2, after the sync: Siti Aminah.
//!
//! Village B, 18.01.05.2002:
//! - Forum F2, 2026-08-10: Wati (f, Pesisir), Agus (m, Pesisir), Bayu (m, Talang).
//! - Training T2 "Pupuk organik", one session 2026-12-10 (after "today"): Sari (f, Dusun Baru)
//!   enrolled.

use std::collections::BTreeMap;

use balai_e2e::{Device, Server, Value};

const A: &str = "18.01.05.2001";
const B: &str = "18.01.05.2002";
const TODAY: &str = "2026-12-01";

struct Fixture {
    rina: Device,
    wayan: Device,
    f1: String,
    f2: String,
    t1: String,
    t2: String,
}

fn attend(device: &Device, forum: &str, name: &str, gender: &str, dusun: &str) {
    device.ok(&[
        "minutes", "attend", forum, "--name", name, "--gender", gender, "--dusun", dusun,
    ]);
}

fn check_in(device: &Device, training: &str, session: &str, name: &str) {
    device.ok(&[
        "training",
        "check-in",
        training,
        "--session",
        session,
        "--name",
        name,
    ]);
}

fn records(server: &Server) -> Fixture {
    let rina = server.device_scoped("hp-rina", "18.01.05");
    let wayan = server.device_scoped("hp-wayan", "18.01.05");

    let f1 = rina.create(&[
        "minutes",
        "new",
        "--village",
        A,
        "--title",
        "Musyawarah Dusun",
        "--date",
        "2026-11-20",
    ]);
    let sumur = rina.create(&["minutes", "propose", &f1, "Sumur bor", "--by", "Pak RT"]);
    let t1 = rina.create(&[
        "training",
        "new",
        "--village",
        A,
        "--topic",
        "Budidaya cabai",
        "--sessions",
        "2026-11-10,2026-11-17",
    ]);
    for (name, gender, dusun) in [
        ("Siti Aminah", Some("f"), "Dusun I"),
        ("Made", Some("m"), "Dusun I"),
        ("Dewi", Some("f"), "Dusun II"),
        ("Joko", None, "Dusun II"),
    ] {
        let mut args = vec!["training", "enroll", &t1, "--name", name, "--dusun", dusun];
        if let Some(g) = gender {
            args.extend(["--gender", g]);
        }
        rina.ok(&args);
    }
    let f2 = rina.create(&[
        "minutes",
        "new",
        "--village",
        B,
        "--title",
        "Musyawarah Desa",
        "--date",
        "2026-08-10",
    ]);
    attend(&rina, &f2, "Wati", "f", "Pesisir");
    attend(&rina, &f2, "Agus", "m", "Pesisir");
    attend(&rina, &f2, "Bayu", "m", "Talang");
    let t2 = rina.create(&[
        "training",
        "new",
        "--village",
        B,
        "--topic",
        "Pupuk organik",
        "--sessions",
        "2026-12-10",
    ]);
    rina.ok(&[
        "training",
        "enroll",
        &t2,
        "--name",
        "Sari",
        "--gender",
        "f",
        "--dusun",
        "Dusun Baru",
    ]);
    rina.sync();
    wayan.sync();

    // Offline on both devices: the same forum and the same session.
    attend(&rina, &f1, "Siti Aminah", "f", "Dusun I");
    attend(&rina, &f1, "Made", "m", "Dusun I");
    rina.ok(&["minutes", "support", &f1, &sumur, "--count", "3"]);
    check_in(&rina, &t1, "1", "Siti Aminah");
    check_in(&rina, &t1, "1", "Made");
    rina.create(&[
        "minutes",
        "follow-up",
        &f1,
        "--what",
        "Ajukan proposal",
        "--who",
        "Kades",
        "--due",
        "2026-11-25",
    ]);
    attend(&wayan, &f1, "Nyoman", "m", "Dusun II");
    attend(&wayan, &f1, "Ketut", "m", "Dusun III");
    wayan.ok(&["minutes", "support", &f1, &sumur, "--count", "2"]);
    check_in(&wayan, &t1, "1", "Siti Aminah");
    check_in(&wayan, &t1, "1", "Dewi");
    wayan.ok(&[
        "training",
        "check-in",
        &t1,
        "--session",
        "1",
        "--name",
        "Rudi",
        "--dusun",
        "Dusun III",
    ]);
    wayan.create(&[
        "minutes",
        "follow-up",
        &f1,
        "--what",
        "Rapat RT",
        "--who",
        "Ketua RT",
        "--due",
        "2026-12-15",
    ]);
    rina.sync();
    wayan.sync();
    rina.sync();
    check_in(&rina, &t1, "2", "Siti Aminah");
    rina.sync();
    wayan.sync();
    Fixture {
        rina,
        wayan,
        f1,
        f2,
        t1,
        t2,
    }
}

fn report(device: &Device, args: &[&str]) -> Value {
    let mut all = vec!["report"];
    all.extend_from_slice(args);
    all.extend(["--today", TODAY, "--json"]);
    device.json(&all)
}

/// `{"numerator": n, "denominator": d, …}` as `(n, d)`.
fn ratio(v: &Value) -> (u64, u64) {
    let n = v["numerator"]
        .as_u64()
        .unwrap_or_else(|| panic!("a ratio: {v}"));
    let d = v["denominator"]
        .as_u64()
        .unwrap_or_else(|| panic!("a ratio: {v}"));
    (n, d)
}

/// `{"women": w, "men": m, "not_recorded": n, …}` as `(w, m, n)`.
fn genders(v: &Value) -> (u64, u64, u64) {
    let get = |k: &str| v[k].as_u64().unwrap_or_else(|| panic!("{k} in {v}"));
    (get("women"), get("men"), get("not_recorded"))
}

fn strings(v: &Value) -> Vec<&str> {
    v.as_array()
        .unwrap_or_else(|| panic!("an array: {v}"))
        .iter()
        .map(|s| s.as_str().unwrap_or_else(|| panic!("a string: {s}")))
        .collect()
}

fn find<'a>(list: &'a Value, key: &str, value: &str) -> &'a Value {
    list.as_array()
        .unwrap_or_else(|| panic!("an array: {list}"))
        .iter()
        .find(|item| item[key] == value)
        .unwrap_or_else(|| panic!("no {key} = {value} in {list:#}"))
}

/// RFC 4180 records: quoted fields may hold commas, quotes (doubled) and line breaks.
fn parse_csv(text: &str) -> Vec<Vec<String>> {
    let mut rows = Vec::new();
    let mut row = Vec::new();
    let mut field = String::new();
    let mut quoted = false;
    let mut chars = text.chars().peekable();
    while let Some(c) = chars.next() {
        match (quoted, c) {
            (true, '"') if chars.peek() == Some(&'"') => {
                field.push('"');
                chars.next();
            }
            (true, '"') => quoted = false,
            (true, c) => field.push(c),
            (false, '"') if field.is_empty() => quoted = true,
            (false, ',') => row.push(std::mem::take(&mut field)),
            (false, '\n') => {
                row.push(std::mem::take(&mut field));
                rows.push(std::mem::take(&mut row));
            }
            (false, '\r') => {}
            (false, c) => field.push(c),
        }
    }
    assert!(!quoted, "an unterminated quoted field in:\n{text}");
    assert!(
        field.is_empty() && row.is_empty(),
        "no final line break:\n{text}"
    );
    rows
}

#[test]
fn every_report_counts_the_merged_records() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let fx = records(&server);
    let rina = &fx.rina;

    // --- Attendance.
    let r = report(rina, &["attendance"]);
    let ids: Vec<&str> = r["trainings"]
        .as_array()
        .expect("trainings")
        .iter()
        .map(|t| t["id"].as_str().expect("an id"))
        .collect();
    assert_eq!(ids, [fx.t1.as_str(), fx.t2.as_str()], "village A, then B");
    let t1 = &r["trainings"][0];
    // Both sessions (11-10, 11-17) are on or before 12-01.
    assert_eq!(
        (&t1["sessions_held"], &t1["sessions_upcoming"]),
        (&2.into(), &0.into())
    );
    // Session 1: Siti Aminah (checked in on both devices: once), Made, Dewi = 3 of the 4
    // enrolled; Rudi walked in. Session 2: Siti Aminah = 1 of 4.
    let s1 = &t1["sessions"][0];
    assert_eq!(ratio(&s1["all"]["present"]), (3, 4));
    assert_eq!(s1["all"]["walk_ins"], 1);
    assert_eq!(ratio(&t1["sessions"][1]["all"]["present"]), (1, 4));
    // Over both: 3 + 1 = 4 check-ins of 4 enrolled × 2 sessions = 8; Siti, Made and Dewi came
    // at least once.
    assert_eq!(ratio(&t1["all"]["check_ins"]), (4, 8));
    assert_eq!(
        (&t1["all"]["enrolled"], &t1["all"]["reached"]),
        (&4.into(), &3.into())
    );
    // Women Siti (2) + Dewi (1) = 3 of 2 × 2; men Made 1 of 1 × 2; not recorded Joko 0 of 2,
    // and Rudi, a walk-in with no gender, counted as a walk-in there.
    let g = &t1["by_gender"];
    assert_eq!(ratio(&g["women"]["check_ins"]), (3, 4));
    assert_eq!(ratio(&g["men"]["check_ins"]), (1, 2));
    assert_eq!(ratio(&g["not_recorded"]["check_ins"]), (0, 2));
    assert_eq!(g["not_recorded"]["walk_ins"], 1);
    // Dusun I: Siti 2 + Made 1 = 3 of 4. Dusun II: Dewi 1 + Joko 0 = 1 of 4. Dusun III: known
    // from Ketut (F1) and Rudi, nobody enrolled (0 of 0), Rudi walked in.
    let dusun: Vec<(&str, (u64, u64), u64)> = t1["by_dusun"]
        .as_array()
        .expect("by_dusun")
        .iter()
        .map(|d| {
            (
                d["dusun"].as_str().expect("a dusun"),
                ratio(&d["check_ins"]),
                d["walk_ins"].as_u64().expect("walk-ins"),
            )
        })
        .collect();
    assert_eq!(
        dusun,
        [
            ("Dusun I", (3, 4), 0),
            ("Dusun II", (1, 4), 0),
            ("Dusun III", (0, 0), 1)
        ]
    );
    let missed: Vec<&str> = t1["missed_every_session"]
        .as_array()
        .expect("missed")
        .iter()
        .map(|a| a["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(missed, ["Joko"]);
    // T2's only session is after today: shown, not held, and nobody has missed it.
    let t2 = &r["trainings"][1];
    assert_eq!(
        (&t2["sessions_held"], &t2["sessions_upcoming"]),
        (&0.into(), &1.into())
    );
    assert_eq!(t2["sessions"][0]["upcoming"], true);
    assert_eq!(t2["missed_every_session"], Value::Array(vec![]));
    assert_eq!(r["excluded"], Value::Array(vec![]));

    // --- Forums.
    let r = report(rina, &["forums"]);
    assert_eq!(r["options"]["min_women_percent"], 30);
    let a = find(&r["villages"], "village", A);
    assert_eq!(
        strings(&a["known_dusun"]),
        ["Dusun I", "Dusun II", "Dusun III"]
    );
    let f1 = find(&a["forums"], "id", &fx.f1);
    // Both devices' attendees: Siti Aminah (f); Made, Nyoman, Ketut (m).
    assert_eq!(genders(&f1["attendees"]), (1, 3, 0));
    assert_eq!(ratio(&f1["women_share"]), (1, 4));
    // 1 × 100 = 100 < 30 × 4 = 120, with nobody of unrecorded gender: below.
    assert_eq!(f1["women_check"], "below");
    // Dusun I (Siti, Made), II (Nyoman), III (Ketut): none absent.
    assert_eq!(f1["dusun_absent"], Value::Array(vec![]));
    // 3 supporters on hp-rina + 2 on hp-wayan.
    assert_eq!(f1["proposals"][0]["text"], "Sumur bor");
    assert_eq!(f1["proposals"][0]["support"], 5);
    // Both follow-ups open; "Ajukan proposal" was due 11-25, before 12-01.
    let fu = &f1["follow_ups"];
    assert_eq!((&fu["open"], &fu["overdue"]), (&2.into(), &1.into()));
    assert_eq!(fu["pending"][0]["what"], "Ajukan proposal");
    assert_eq!(fu["pending"][0]["overdue"], true);
    assert_eq!(fu["pending"][1]["overdue"], false);
    let b = find(&r["villages"], "village", B);
    // Pesisir and Talang from F2, Dusun Baru from T2's enrollment.
    assert_eq!(
        strings(&b["known_dusun"]),
        ["Dusun Baru", "Pesisir", "Talang"]
    );
    let f2 = find(&b["forums"], "id", &fx.f2);
    // Wati of 3: 100 ≥ 30 × 3 = 90, met.
    assert_eq!(genders(&f2["attendees"]), (1, 2, 0));
    assert_eq!(f2["women_check"], "met");
    assert_eq!(strings(&f2["dusun_absent"]), ["Dusun Baru"]);
    assert_eq!(strings(&b["dusun_not_reached"]), ["Dusun Baru"]);
    // At 40 %, Wati of 3 is below: 100 < 40 × 3 = 120.
    let strict = report(rina, &["forums", "--min-women-share", "40"]);
    let f2 = find(
        &find(&strict["villages"], "village", B)["forums"],
        "id",
        &fx.f2,
    );
    assert_eq!(f2["women_check"], "below");

    // --- District.
    let r = report(rina, &["district"]);
    // 2026-12-01 − 3 months.
    assert_eq!(r["stale_before"], "2026-09-01");
    let a = find(&r["villages"], "village", A);
    assert_eq!(
        (&a["forums_held"], &a["trainings_held"], &a["sessions_held"]),
        (&1.into(), &1.into(), &2.into())
    );
    assert_eq!(genders(&a["forum_attendance"]), (1, 3, 0));
    // Session 1: Siti, Dewi (f), Made (m), Rudi (none); session 2: Siti.
    assert_eq!(genders(&a["training_check_ins"]), (3, 1, 1));
    // (1 + 3) women of (1 + 3) + (3 + 1) recorded.
    assert_eq!(ratio(&a["women_share"]), (4, 8));
    assert_eq!(ratio(&a["dusun_coverage"]), (3, 3));
    assert_eq!(
        (&a["follow_ups_pending"], &a["follow_ups_overdue"]),
        (&2.into(), &1.into())
    );
    // The forum (11-20) is later than the last session with a check-in (11-17).
    assert_eq!(
        (&a["last_forum"], &a["last_activity"]),
        (&"2026-11-20".into(), &"2026-11-20".into())
    );
    assert_eq!(a["stale"], false);
    let b = find(&r["villages"], "village", B);
    // F2 only: T2's session has not happened.
    assert_eq!(
        (&b["forums_held"], &b["trainings_held"], &b["sessions_held"]),
        (&1.into(), &0.into(), &0.into())
    );
    assert_eq!(ratio(&b["women_share"]), (1, 3));
    // Pesisir and Talang of Dusun Baru, Pesisir, Talang.
    assert_eq!(ratio(&b["dusun_coverage"]), (2, 3));
    // 08-10 is before 09-01.
    assert_eq!(b["stale"], true);
    let t = &r["totals"];
    assert_eq!(
        (&t["villages"], &t["stale_villages"]),
        (&2.into(), &1.into())
    );
    assert_eq!(genders(&t["forum_attendance"]), (2, 5, 0));
    // (2 + 3) women of (2 + 5) + (3 + 1).
    assert_eq!(ratio(&t["women_share"]), (5, 11));
    assert_eq!(ratio(&t["dusun_coverage"]), (5, 6));
    // --stale-months 4: 2026-08-01, before F2.
    let lenient = report(rina, &["district", "--stale-months", "4"]);
    assert_eq!(lenient["totals"]["stale_villages"], 0);

    // --- Activity: one row per device; each command is one change (the change by which a
    // device names itself in a document is a signature, not work, and is not counted).
    let r = rina.json(&["report", "activity", "--json"]);
    assert!(r["time_zone"].is_string(), "the time zone is given: {r:#}");
    let devices: BTreeMap<&str, (u64, u64, u64)> = r["devices"]
        .as_array()
        .expect("devices")
        .iter()
        .map(|d| {
            let actor = d["actor"].as_str().expect("an actor");
            let name = r["device_names"][actor].as_str().expect("a named device");
            let n = |k: &str| d[k].as_u64().unwrap_or_else(|| panic!("{k} in {d}"));
            (name, (n("records"), n("edits"), n("documents")))
        })
        .collect();
    // hp-rina created F1, T1, F2 and T2 (4 records) and made 4 enrollments and 1 proposal, 3
    // attendances in F2, 1 enrollment in T2, 2 attendances in F1, 1 support, 2 + 1 check-ins and
    // 1 follow-up: 4 + 1 + 3 + 1 + 2 + 1 + 3 + 1 = 16 edits, in 4 documents. hp-wayan created
    // nothing and made 2 attendances, 1 support and 1 follow-up in F1 and 3 check-ins in T1:
    // 2 + 1 + 1 + 3 = 7 edits, in 2 documents.
    assert_eq!(
        devices,
        BTreeMap::from([("hp-rina", (4, 16, 4)), ("hp-wayan", (0, 7, 2))])
    );
    // Everything was recorded today, by the clock of this machine.
    for d in r["devices"].as_array().expect("devices") {
        assert_eq!((&d["after_today"], &d["undated"]), (&0.into(), &0.into()));
    }
    let same = fx.wayan.json(&["report", "activity", "--json"]);
    assert_eq!(
        same["devices"], r["devices"],
        "both devices hold the same history"
    );
}

#[test]
fn filters_select_villages_and_periods() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let fx = records(&server);

    // Only village B.
    let r = report(&fx.wayan, &["district", "--village", B]);
    let villages: Vec<&str> = r["villages"]
        .as_array()
        .expect("villages")
        .iter()
        .map(|v| v["village"].as_str().expect("a code"))
        .collect();
    assert_eq!(villages, [B]);
    assert_eq!(r["filter"]["village"], B);

    // From 09-01: F2 (08-10) is out of the period, so B held no forum in it; its last forum is
    // still 08-10, whatever the period.
    let r = report(&fx.rina, &["district", "--from", "2026-09-01"]);
    let b = find(&r["villages"], "village", B);
    assert_eq!(b["forums_held"], 0);
    assert_eq!(b["last_forum"], "2026-08-10");
    assert_eq!(find(&r["villages"], "village", A)["forums_held"], 1);

    // 11-15 to 11-30: T1's session 2 only (T2's 12-10 is after the period). Siti alone came: 1
    // of 4 × 1, and Made, Dewi and Joko missed it (by dusun: I, then II).
    let r = report(
        &fx.rina,
        &["attendance", "--from", "2026-11-15", "--to", "2026-11-30"],
    );
    assert_eq!(r["trainings"].as_array().expect("trainings").len(), 1);
    let t1 = &r["trainings"][0];
    assert_eq!(t1["id"], fx.t1.as_str());
    assert_eq!(ratio(&t1["all"]["check_ins"]), (1, 4));
    let missed: Vec<&str> = t1["missed_every_session"]
        .as_array()
        .expect("missed")
        .iter()
        .map(|a| a["name"].as_str().expect("a name"))
        .collect();
    assert_eq!(missed, ["Made", "Dewi", "Joko"]);

    // A reversed period is a usage error (exit code 2), said in the reader's language.
    let out = fx.rina.run(&[
        "report",
        "forums",
        "--from",
        "2026-12-01",
        "--to",
        "2026-11-01",
        "--lang",
        "en",
    ]);
    assert_eq!(out.status.code(), Some(2));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("2026-12-01") && err.contains("--from"),
        "{err}"
    );
}

#[test]
fn csv_is_one_table_a_spreadsheet_opens() {
    let data = tempfile::tempdir().expect("tempdir");
    let server = Server::start(data.path());
    let fx = records(&server);

    let text = fx
        .rina
        .ok(&["report", "attendance", "--today", TODAY, "--csv"]);
    let rows = parse_csv(&text);
    assert_eq!(
        rows[0],
        [
            "village",
            "training",
            "topic",
            "sessions_held",
            "sessions_upcoming",
            "dimension",
            "group",
            "enrolled",
            "reached",
            "check_ins",
            "possible_check_ins",
            "check_in_rate",
            "walk_ins"
        ]
    );
    // Per training: everyone, 3 genders and the village's 3 known dusun.
    assert_eq!(rows.len(), 1 + 7 + 7);
    assert!(rows.iter().all(|r| r.len() == rows[0].len()));
    // T1 for everyone: 4 enrolled, 3 came, 4 of 8 check-ins, 1 walk-in.
    assert_eq!(
        rows[1],
        [
            A,
            &fx.t1,
            "Budidaya cabai",
            "2",
            "0",
            "all",
            "",
            "4",
            "3",
            "4",
            "8",
            "0.5000",
            "1"
        ]
    );

    let missed = parse_csv(&fx.rina.ok(&[
        "report",
        "attendance",
        "--today",
        TODAY,
        "--csv",
        "--table",
        "missed",
    ]));
    assert_eq!(
        missed,
        [
            vec![
                "village", "training", "topic", "key", "name", "gender", "dusun"
            ],
            vec![
                A,
                &fx.t1,
                "Budidaya cabai",
                "joko@dusun-ii",
                "Joko",
                "not_recorded",
                "Dusun II"
            ],
        ]
    );

    let district = parse_csv(
        &fx.rina
            .ok(&["report", "district", "--today", TODAY, "--csv"]),
    );
    assert_eq!(district.len(), 1 + 2, "a header and one row per village");
    assert_eq!(district[2][0], B);
    assert_eq!(
        district[2].last().map(String::as_str),
        Some("true"),
        "B is stale"
    );

    // --table without --csv is a usage error.
    let out = fx.rina.run(&["report", "attendance", "--table", "missed"]);
    assert_eq!(out.status.code(), Some(2));
}
