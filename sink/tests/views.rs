//! The report views (`migrations/V2__report_views.sql`) against `balai report` (balai-shared's
//! report module) on the same documents, in a real PostgreSQL (`TempCluster`).
//!
//! The fixture is written with the model's own edit functions, two devices editing offline and
//! merging (concurrent attendances, a walk-in on one device enrolled on the other, a removal
//! concurrent with a check-in, an undone check-in, a conflicting title), plus what only foreign
//! or faulty writers make (a forum date, a session date and a due date that are not dates, a
//! check-in under a key with no participant), an archived forum and training, an upcoming
//! forum, session and training (2099), and a document that was never created but has changes
//! (activity counts it). The documents go through a `Store` and its feed, are projected and
//! written with the sink's own functions, and the Rust reports read the very same feed.
//!
//! Every view is compared row by row with the report for several "today"s, periods and options,
//! and a few figures are also checked against numbers counted by hand (see `fixture`).

use std::collections::BTreeMap;

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, Automerge, AutomergeError, ObjType, ROOT, ReadDoc, Value};
use balai_shared::ids::DocId;
use balai_shared::model::minutes::{self, NewMinutes};
use balai_shared::model::training::{self, NewTraining};
use balai_shared::model::{self, Gender, Person};
use balai_shared::report::{Corpus, Filter, Ratio, activity, attendance, district, forums};
use balai_shared::store::Store;
use balai_sink::cluster::TempCluster;
use balai_sink::{Commit, Source};
use jiff::civil::{Date, date};
use jiff::tz::TimeZone;
use tokio_postgres::Client;

/// How a NULL (SQL) or a `None` (Rust) is written in the compared lines.
const NULL: &str = "∅";

const A: &str = "18.01.05.2001";
const B: &str = "18.01.06.2003";
const C: &str = "18.01.06.2004";

const M1: &str = "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B01";
const M2: &str = "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B02";
const M3: &str = "minutes/18.01.06.2003/01JD8X3V6Q2M4T5W7Y9Z0A1B03";
const M4: &str = "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B04";
const M5: &str = "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B05";
const M6: &str = "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B06";
const M7: &str = "minutes/18.01.06.2003/01JD8X3V6Q2M4T5W7Y9Z0A1B07";
const T1: &str = "training/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B11";
const T2: &str = "training/18.01.06.2003/01JD8X3V6Q2M4T5W7Y9Z0A1B12";
const T3: &str = "training/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B13";
const T4: &str = "training/18.01.06.2004/01JD8X3V6Q2M4T5W7Y9Z0A1B14";

/// The day the hand-counted figures are as of.
const TODAY: Date = date(2025, 12, 10);

fn device(name: &str) -> ActorId {
    ActorId::from(name.as_bytes())
}

fn id(s: &str) -> DocId {
    s.parse().expect("a valid document id")
}

fn person(name: &str, gender: Option<Gender>, dusun: Option<&str>) -> Person {
    Person {
        name: name.to_owned(),
        gender,
        dusun: dusun.map(str::to_owned),
    }
}

fn new_minutes(village: &str, date: &str) -> Automerge {
    let mut doc = Automerge::new().with_actor(device("device-a"));
    minutes::create(
        &mut doc,
        &village.parse().expect("a valid village"),
        &NewMinutes {
            title: format!("Musyawarah {date}"),
            date: date.to_owned(),
            place: None,
            facilitator: None,
        },
    )
    .expect("create minutes");
    doc
}

fn new_training(village: &str, topic: &str, sessions: &[&str]) -> Automerge {
    let mut doc = Automerge::new().with_actor(device("device-a"));
    training::create(
        &mut doc,
        &village.parse().expect("a valid village"),
        &NewTraining {
            topic: topic.to_owned(),
            category: None,
            trainer: None,
            sessions: sessions.iter().map(|s| (*s).to_owned()).collect(),
        },
    )
    .expect("create training");
    doc
}

fn attend(
    doc: &mut Automerge,
    name: &str,
    gender: Option<Gender>,
    dusun: Option<&str>,
    role: Option<&str>,
) {
    minutes::attend(doc, &person(name, gender, dusun), role).expect("attend");
}

fn enroll(doc: &mut Automerge, name: &str, gender: Option<Gender>, dusun: &str) {
    training::enroll(doc, &person(name, gender, Some(dusun))).expect("enroll");
}

fn check_in(doc: &mut Automerge, session: u32, name: &str, dusun: &str, by: &str) -> bool {
    training::check_in(doc, session, name, Some(dusun), by)
        .expect("check in")
        .walk_in
}

/// One change outside the model's edit functions (a foreign or faulty writer), stamped `time`.
fn raw(
    doc: &mut Automerge,
    time: i64,
    f: impl FnOnce(&mut automerge::transaction::Transaction<'_>) -> Result<(), AutomergeError>,
) {
    doc.transact_with::<_, _, AutomergeError, _>(|_| CommitOptions::default().with_time(time), f)
        .expect("raw change");
}

/// The map under `key` of `obj`.
fn map_at(doc: &impl ReadDoc, obj: &automerge::ObjId, key: &str) -> automerge::ObjId {
    match doc.get(obj, key).expect("readable") {
        Some((Value::Object(ObjType::Map), id)) => id,
        other => panic!("no map at {key}: {other:?}"),
    }
}

/// Seconds since 1970 of `y-m-d h:mi` UTC.
fn utc(y: i16, m: i8, d: i8, h: i8, mi: i8) -> i64 {
    date(y, m, d)
        .at(h, mi, 0, 0)
        .to_zoned(TimeZone::UTC)
        .expect("a valid time")
        .timestamp()
        .as_second()
}

/// The fixture. Today is 2025-12-10 for the hand-counted figures.
///
/// Village A (18.01.05.2001); its known dusun are Dusun Baru, Dusun I, Dusun II, Dusun III and
/// Dusun Tamu (not Dusun Hantu, only in M5, nor Dusun Arsip, only in M6: the reports cannot read
/// those).
/// - M1, 2025-11-29. device-a: Siti (f, Dusun I, ketua PKK), Made (m, Dusun I, kepala dusun),
///   Salah (m, Dusun I; removed after the merge), Pak Camat (m, no dusun, tamu); device-b,
///   offline: Budi (m, "dusun ii", warga), Wayan (m, Dusun II, Warga), Komang (m, Dusun II).
///   Both set the title (a conflict). Women 1, men 5: 1 of 6, below 30 %. Follow-ups: Survei
///   lokasi (due 12-01, open: overdue), Surat ke camat (12-20, in-progress), Rapat lanjutan
///   (11-30, done), Cari donatur (no due, open), Sewa tenda (11-01, dropped), Cetak undangan
///   (due "besok", open: pending, never overdue).
/// - M2, 2025-09-01: Siti (f, Dusun I), Rina (f, Dusun III, warga), Putu (m, Dusun III), Ayu (no
///   gender, "dusun i"). Follow-up Cek sumur (10-01, open: overdue).
/// - M4, 2099-01-15 (upcoming): Tono (m, Dusun Baru). Follow-up Persiapan (2025-01-01, open).
/// - M5, date rewritten to "kemarin": Hantu (f, Dusun Hantu). Left out.
/// - M6, 2025-10-20, archived: Arsip (f, Dusun Arsip). Left out.
/// - T1, sessions 1: 2025-12-01, 2: 2025-12-08, 3: 2099-12-15, 4: rewritten to "minggu depan".
///   device-a enrolls Siti (f, Dusun I), Made (m, Dusun I), Rina (f, Dusun III), Dewi (f,
///   Dusun II), Joko (no gender, Dusun II), Eko (m, Dusun I). Then, offline from each other:
///   device-a checks in Siti and Made at session 1, removes Eko and enrolls Ani (f, Dusun II);
///   device-b checks in Siti, Rina, Budi ("dusun ii", a walk-in), Eko (removed meanwhile: not
///   counted) and Ani (a walk-in on device-b, enrolled on device-a: enrolled; her two entries
///   conflict and device-b's, with no gender, shows). After the merge:
///   Siti at session 2; Dewi checked in at 2 and undone; Tamu (Dusun Tamu) walks in at session 4,
///   where "asing-lain" is also checked in under a key with no participant (left out with the
///   session).
///   Enrolled 6; session 1: 4 of 6 (Dusun II: Ani, 1 of 3, and Budi walked in); session 2: 1 of
///   6; 5 of 6 × 2 check-ins; reached 4; Dewi and Joko missed every session.
/// - T3, one session, 2099-03-01: Wati (f, Dusun III). Nothing held.
///
/// Village B (18.01.06.2003); its known dusun are Dusun Atas, Dusun Bawah and Dusun Tengah
/// (written "dusun tengah" once and "Dusun Tengah" once: a tie, so the first in byte order).
/// - M3, 2025-08-15: Yuni (f, "dusun tengah"), Lestari (f, Dusun Atas, rewritten with white
///   space around it), Andi (m, Dusun Bawah), Hadi (m, Dusun Bawah).
/// - T2, sessions 2025-10-05 and 2025-10-12: Lestari (f, Dusun Atas, padded as in M3), Andi (m,
///   Dusun Bawah),
///   Yanto (m, Dusun Tengah). Session 1: Lestari, Andi, and "tamu-asing", a check-in under a key
///   with no participant (a walk-in of unknown gender and dusun); session 2: Lestari. Yanto
///   missed both.
/// - M7, never created: only changes (UTC) by device cc: 2025-03-03 10:00 (its first, a record),
///   2025-03-31 23:30, 2099-06-01 12:00, one with no time and one at -5 s (both undated); by
///   device dd: 2025-04-01 01:00 and 2025-12-10 08:00 (today: not after it).
///
/// Village C (18.01.06.2004): only T4, archived. Listed, with nothing to count.
fn fixture() -> Vec<(DocId, Automerge)> {
    vec![
        (id(M1), m1()),
        (id(M2), m2()),
        (id(M3), m3()),
        (id(M4), m4()),
        (id(M5), m5()),
        (id(M6), m6()),
        (id(M7), m7()),
        (id(T1), t1()),
        (id(T2), t2()),
        (id(T3), t3()),
        (id(T4), t4()),
    ]
}

fn m1() -> Automerge {
    let mut a = new_minutes(A, "2025-11-29");
    let jalan = minutes::add_proposal(&mut a, "Perbaikan jalan", Some("Pak RT"), Some("high"))
        .expect("proposal");
    let mut b = a.fork().with_actor(device("device-b"));
    attend(
        &mut a,
        "Siti",
        Some(Gender::F),
        Some("Dusun I"),
        Some("ketua PKK"),
    );
    attend(
        &mut a,
        "Made",
        Some(Gender::M),
        Some("Dusun I"),
        Some("kepala dusun"),
    );
    attend(&mut a, "Salah", Some(Gender::M), Some("Dusun I"), None);
    attend(&mut a, "Pak Camat", Some(Gender::M), None, Some("tamu"));
    minutes::support(&mut a, &jalan, 3).expect("support");
    minutes::set(&mut a, minutes::Field::Title, "Musyawarah desa").expect("title");
    attend(
        &mut b,
        "Budi",
        Some(Gender::M),
        Some("dusun ii"),
        Some("warga"),
    );
    attend(
        &mut b,
        "Wayan",
        Some(Gender::M),
        Some("Dusun II"),
        Some("Warga"),
    );
    attend(&mut b, "Komang", Some(Gender::M), Some("Dusun II"), None);
    minutes::support(&mut b, &jalan, 2).expect("support");
    let jahit = minutes::add_proposal(&mut b, "Pelatihan jahit", None, None).expect("proposal");
    minutes::support(&mut b, &jahit, 7).expect("support");
    minutes::set(&mut b, minutes::Field::Title, "Musyawarah dusun").expect("title");
    a.merge(&mut b).expect("merge");

    minutes::remove_attendee(&mut a, "Salah", Some("Dusun I")).expect("remove");
    minutes::add_decision(&mut a, "Jalan diperbaiki gotong royong").expect("decision");
    minutes::add_follow_up(&mut a, "Survei lokasi", "Pak Kades", Some("2025-12-01"))
        .expect("follow-up");
    let surat = minutes::add_follow_up(&mut a, "Surat ke camat", "Sekdes", Some("2025-12-20"))
        .expect("follow-up");
    minutes::set_follow_up_status(&mut a, &surat, "in-progress").expect("status");
    let rapat = minutes::add_follow_up(&mut a, "Rapat lanjutan", "Ketua BPD", Some("2025-11-30"))
        .expect("follow-up");
    minutes::set_follow_up_status(&mut a, &rapat, "done").expect("status");
    minutes::add_follow_up(&mut a, "Cari donatur", "Bu Siti", None).expect("follow-up");
    let tenda = minutes::add_follow_up(&mut a, "Sewa tenda", "Pak RT", Some("2025-11-01"))
        .expect("follow-up");
    minutes::set_follow_up_status(&mut a, &tenda, "dropped").expect("status");
    let undangan = minutes::add_follow_up(&mut a, "Cetak undangan", "Sekdes", Some("2025-11-15"))
        .expect("follow-up");
    raw(&mut a, utc(2025, 11, 30, 8, 0), |tx| {
        let follow_ups = map_at(tx, &ROOT, "follow_ups");
        let f = map_at(tx, &follow_ups, &undangan);
        tx.put(&f, "due", "besok")
    });
    a
}

fn m2() -> Automerge {
    let mut doc = new_minutes(A, "2025-09-01");
    attend(&mut doc, "Siti", Some(Gender::F), Some("Dusun I"), None);
    attend(
        &mut doc,
        "Rina",
        Some(Gender::F),
        Some("Dusun III"),
        Some("warga"),
    );
    attend(&mut doc, "Putu", Some(Gender::M), Some("Dusun III"), None);
    attend(&mut doc, "Ayu", None, Some("dusun i"), None);
    minutes::add_follow_up(&mut doc, "Cek sumur", "Pak Kadus", Some("2025-10-01"))
        .expect("follow-up");
    doc
}

fn m3() -> Automerge {
    let mut doc = new_minutes(B, "2025-08-15");
    attend(
        &mut doc,
        "Yuni",
        Some(Gender::F),
        Some("dusun tengah"),
        None,
    );
    attend(
        &mut doc,
        "Lestari",
        Some(Gender::F),
        Some("Dusun Atas"),
        None,
    );
    attend(&mut doc, "Andi", Some(Gender::M), Some("Dusun Bawah"), None);
    attend(&mut doc, "Hadi", Some(Gender::M), Some("Dusun Bawah"), None);
    // A foreign writer pads Lestari's dusun with white space (a no-break space in front): still
    // Dusun Atas, and shown trimmed.
    raw(&mut doc, utc(2025, 8, 16, 9, 0), |tx| {
        let attendees = map_at(tx, &ROOT, "attendees");
        let lestari = map_at(tx, &attendees, "lestari@dusun-atas");
        tx.put(&lestari, "dusun", "\u{a0}Dusun Atas ")
    });
    doc
}

fn m4() -> Automerge {
    let mut doc = new_minutes(A, "2099-01-15");
    attend(&mut doc, "Tono", Some(Gender::M), Some("Dusun Baru"), None);
    minutes::add_follow_up(&mut doc, "Persiapan", "Pak Kades", Some("2025-01-01"))
        .expect("follow-up");
    doc
}

fn m5() -> Automerge {
    let mut doc = new_minutes(A, "2025-10-10");
    attend(
        &mut doc,
        "Hantu",
        Some(Gender::F),
        Some("Dusun Hantu"),
        None,
    );
    raw(&mut doc, utc(2025, 10, 11, 9, 0), |tx| {
        tx.put(ROOT, "date", "kemarin")
    });
    doc
}

fn m6() -> Automerge {
    let mut doc = new_minutes(A, "2025-10-20");
    attend(
        &mut doc,
        "Arsip",
        Some(Gender::F),
        Some("Dusun Arsip"),
        None,
    );
    model::archive(&mut doc).expect("archive");
    doc
}

fn m7() -> Automerge {
    let mut cc = Automerge::new().with_actor(ActorId::from([0xcc; 4].as_slice()));
    raw(&mut cc, utc(2025, 3, 3, 10, 0), |tx| tx.put(ROOT, "x", 1));
    raw(&mut cc, utc(2025, 3, 31, 23, 30), |tx| tx.put(ROOT, "x", 2));
    let mut dd = cc.fork().with_actor(ActorId::from([0xdd; 4].as_slice()));
    raw(&mut dd, utc(2025, 4, 1, 1, 0), |tx| tx.put(ROOT, "y", 1));
    raw(&mut dd, utc(2025, 12, 10, 8, 0), |tx| tx.put(ROOT, "y", 2));
    raw(&mut cc, 0, |tx| tx.put(ROOT, "x", 3));
    raw(&mut cc, -5, |tx| tx.put(ROOT, "x", 4));
    raw(&mut cc, utc(2099, 6, 1, 12, 0), |tx| tx.put(ROOT, "x", 5));
    cc.merge(&mut dd).expect("merge");
    cc
}

fn t1() -> Automerge {
    let mut a = new_training(
        A,
        "Budidaya cabai",
        &["2025-12-01", "2025-12-08", "2099-12-15", "2025-12-03"],
    );
    raw(&mut a, utc(2025, 11, 20, 8, 0), |tx| {
        let sessions = map_at(tx, &ROOT, "sessions");
        let s4 = map_at(tx, &sessions, "004");
        tx.put(&s4, "date", "minggu depan")
    });
    enroll(&mut a, "Siti", Some(Gender::F), "Dusun I");
    enroll(&mut a, "Made", Some(Gender::M), "Dusun I");
    enroll(&mut a, "Rina", Some(Gender::F), "Dusun III");
    enroll(&mut a, "Dewi", Some(Gender::F), "Dusun II");
    enroll(&mut a, "Joko", None, "Dusun II");
    enroll(&mut a, "Eko", Some(Gender::M), "Dusun I");
    let mut b = a.fork().with_actor(device("device-b"));
    check_in(&mut a, 1, "Siti", "Dusun I", "hp-a");
    check_in(&mut a, 1, "Made", "Dusun I", "hp-a");
    training::remove_participant(&mut a, "Eko", Some("Dusun I")).expect("remove Eko");
    enroll(&mut a, "Ani", Some(Gender::F), "Dusun II");
    check_in(&mut b, 1, "Siti", "Dusun I", "hp-b");
    check_in(&mut b, 1, "Rina", "Dusun III", "hp-b");
    assert!(
        check_in(&mut b, 1, "Budi", "dusun ii", "hp-b"),
        "Budi walks in"
    );
    assert!(
        !check_in(&mut b, 1, "Eko", "Dusun I", "hp-b"),
        "Eko is enrolled on device-b"
    );
    assert!(
        check_in(&mut b, 1, "Ani", "Dusun II", "hp-b"),
        "a walk-in on device-b"
    );
    a.merge(&mut b).expect("merge");
    check_in(&mut a, 2, "Siti", "Dusun I", "hp-a");
    check_in(&mut a, 2, "Dewi", "Dusun II", "hp-a");
    training::undo_check_in(&mut a, 2, "Dewi", Some("Dusun II")).expect("undo");
    assert!(
        check_in(&mut a, 4, "Tamu", "Dusun Tamu", "hp-a"),
        "Tamu walks in"
    );
    raw(&mut a, utc(2025, 12, 3, 9, 0), |tx| {
        let attendance = map_at(tx, &ROOT, "attendance");
        let s4 = map_at(tx, &attendance, "004");
        tx.put(&s4, "asing-lain", "hp-x")
    });
    a
}

fn t2() -> Automerge {
    let mut doc = new_training(B, "Pengolahan kopi", &["2025-10-05", "2025-10-12"]);
    enroll(&mut doc, "Lestari", Some(Gender::F), "Dusun Atas");
    enroll(&mut doc, "Andi", Some(Gender::M), "Dusun Bawah");
    enroll(&mut doc, "Yanto", Some(Gender::M), "Dusun Tengah");
    check_in(&mut doc, 1, "Lestari", "Dusun Atas", "hp-a");
    check_in(&mut doc, 1, "Andi", "Dusun Bawah", "hp-a");
    check_in(&mut doc, 2, "Lestari", "Dusun Atas", "hp-a");
    raw(&mut doc, utc(2025, 10, 5, 9, 0), |tx| {
        let attendance = map_at(tx, &ROOT, "attendance");
        let s1 = map_at(tx, &attendance, "001");
        tx.put(&s1, "tamu-asing", "hp-x")
    });
    // As in M3, Lestari's dusun padded: every record of Dusun Atas is, so only trimming shows it
    // as Dusun Atas.
    raw(&mut doc, utc(2025, 10, 5, 9, 5), |tx| {
        let participants = map_at(tx, &ROOT, "participants");
        let lestari = map_at(tx, &participants, "lestari@dusun-atas");
        tx.put(&lestari, "dusun", "\u{a0}Dusun Atas ")
    });
    doc
}

fn t3() -> Automerge {
    let mut doc = new_training(A, "Pembukuan koperasi", &["2099-03-01"]);
    enroll(&mut doc, "Wati", Some(Gender::F), "Dusun III");
    doc
}

fn t4() -> Automerge {
    let mut doc = new_training(C, "Arsip", &["2025-11-01"]);
    enroll(&mut doc, "Arsip", Some(Gender::F), "Dusun Arsip");
    check_in(&mut doc, 1, "Arsip", "Dusun Arsip", "hp-a");
    model::archive(&mut doc).expect("archive");
    doc
}

// ---------------------------------------------------------------------------------------------
// Comparing
// ---------------------------------------------------------------------------------------------

/// One set of report parameters: today, the region, the period, the women's threshold, the
/// staleness. A region is a WHERE on the views' `village` (each village's figures depend on its
/// own documents only).
#[derive(Clone, Copy, Debug)]
struct Case {
    today: Date,
    region: Option<&'static str>,
    from: Option<Date>,
    to: Option<Date>,
    min_women_percent: u32,
    stale_months: u32,
}

impl Case {
    fn filter(&self) -> Filter {
        let region = self.region.map(|r| r.parse().expect("a valid region"));
        Filter::new(region, self.from, self.to).expect("a valid period")
    }

    /// The region as a condition on `village`.
    fn region(&self) -> String {
        self.region.map_or_else(
            || "TRUE".to_owned(),
            |r| format!("(village = '{r}' OR village LIKE '{r}.%')"),
        )
    }

    fn covers(&self, village: &str) -> bool {
        self.region
            .is_none_or(|r| village == r || village.starts_with(&format!("{r}.")))
    }

    /// `today, period_from, period_to` as SQL arguments.
    fn args(&self) -> String {
        format!(
            "{}, {}, {}",
            sql_date(Some(self.today)),
            sql_date(self.from),
            sql_date(self.to)
        )
    }

    /// `period_from, period_to` as SQL arguments.
    fn period(&self) -> String {
        format!("{}, {}", sql_date(self.from), sql_date(self.to))
    }
}

fn sql_date(d: Option<Date>) -> String {
    d.map_or_else(|| "NULL::date".to_owned(), |d| format!("DATE '{d}'"))
}

/// The rows of `sql` (every column text), each as its columns joined by `|`, sorted.
async fn lines(client: &Client, sql: &str) -> Vec<String> {
    let rows = client
        .query(sql, &[])
        .await
        .unwrap_or_else(|e| panic!("{sql}: {e}"));
    let mut out: Vec<String> = rows
        .iter()
        .map(|r| {
            (0..r.len())
                .map(|i| {
                    r.get::<_, Option<String>>(i)
                        .unwrap_or_else(|| NULL.to_owned())
                })
                .collect::<Vec<_>>()
                .join("|")
        })
        .collect();
    out.sort();
    out
}

fn sorted(mut v: Vec<String>) -> Vec<String> {
    v.sort();
    v
}

fn opt<T: ToString>(v: Option<T>) -> String {
    v.map_or_else(|| NULL.to_owned(), |v| v.to_string())
}

/// A rate as the SQL side writes it: `round(rate, 6)` (no fixture denominator makes a tie at
/// the seventh decimal, where f64 and numeric could round apart).
fn rate(r: Ratio) -> String {
    opt(r.value().map(|v| format!("{v:.6}")))
}

/// The SQL for a rate column, as [`rate`] writes it.
fn sql_rate(column: &str) -> String {
    format!("round({column}, 6)::text")
}

fn row(fields: &[&dyn std::fmt::Display]) -> String {
    fields
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join("|")
}

fn assert_same(what: &str, case: &Case, sql: Vec<String>, rust: Vec<String>) {
    assert_eq!(
        sql,
        sorted(rust),
        "{what} differs from the report for {case:?}"
    );
}

async fn compare_attendance(client: &Client, corpus: &Corpus, case: &Case) {
    let r = attendance::compute(corpus, &case.filter(), case.today);
    let mut sessions = Vec::new();
    let mut trainings = Vec::new();
    let mut missed = Vec::new();
    for t in &r.trainings {
        for s in &t.sessions {
            let mut groups = vec![("all", NULL.to_owned(), s.all)];
            for g in balai_shared::report::GenderGroup::ALL {
                groups.push(("gender", g.as_str().to_owned(), *s.by_gender.get(g)));
            }
            for d in &s.by_dusun {
                groups.push(("dusun", opt(d.dusun.as_deref()), d.tally));
            }
            for (dimension, group, tally) in groups {
                sessions.push(row(&[
                    &t.village,
                    &t.id,
                    &t.topic,
                    &s.number,
                    &s.date,
                    &s.upcoming,
                    &dimension,
                    &group,
                    &tally.present.denominator,
                    &tally.present.numerator,
                    &rate(tally.present),
                    &tally.walk_ins,
                ]));
            }
        }
        let mut groups = vec![("all", NULL.to_owned(), t.all, t.missed_every_session.len())];
        for g in balai_shared::report::GenderGroup::ALL {
            let missed = t
                .missed_every_session
                .iter()
                .filter(|a| a.gender == g)
                .count();
            groups.push(("gender", g.as_str().to_owned(), *t.by_gender.get(g), missed));
        }
        for d in &t.by_dusun {
            let missed = t
                .missed_every_session
                .iter()
                .filter(|a| a.dusun == d.dusun)
                .count();
            groups.push(("dusun", opt(d.dusun.as_deref()), d.tally, missed));
        }
        for (dimension, group, tally, missed) in groups {
            trainings.push(row(&[
                &t.village,
                &t.id,
                &t.topic,
                &t.sessions_held,
                &t.sessions_upcoming,
                &dimension,
                &group,
                &tally.enrolled,
                &tally.reached,
                &tally.check_ins.numerator,
                &tally.check_ins.denominator,
                &rate(tally.check_ins),
                &tally.walk_ins,
                &missed,
            ]));
        }
        for a in &t.missed_every_session {
            missed.push(row(&[
                &t.village,
                &t.id,
                &t.topic,
                &a.key,
                &a.name,
                &a.gender.as_str(),
                &opt(a.dusun.as_deref()),
            ]));
        }
    }
    let sql = lines(
        client,
        &format!(
            "SELECT village, doc_id, topic, session_number::text, session_date::text, \
             upcoming::text, dimension, group_name, enrolled::text, present::text, {}, \
             walk_ins::text FROM report_training_sessions_at({}) WHERE {}",
            sql_rate("attendance_rate"),
            case.args(),
            case.region()
        ),
    )
    .await;
    assert_same("report_training_sessions", case, sql, sessions);
    let sql = lines(
        client,
        &format!(
            "SELECT village, doc_id, topic, sessions_held::text, sessions_upcoming::text, \
             dimension, group_name, enrolled::text, reached::text, check_ins::text, \
             possible_check_ins::text, {}, walk_ins::text, missed_every_session::text \
             FROM report_training_attendance_at({}) WHERE {}",
            sql_rate("check_in_rate"),
            case.args(),
            case.region()
        ),
    )
    .await;
    assert_same("report_training_attendance", case, sql, trainings);
    let sql = lines(
        client,
        &format!(
            "SELECT village, doc_id, topic, person_key, name, gender_group, dusun \
             FROM report_training_missed_at({}) WHERE {}",
            case.args(),
            case.region()
        ),
    )
    .await;
    assert_same("report_training_missed", case, sql, missed);
}

async fn compare_forums(client: &Client, corpus: &Corpus, case: &Case) {
    let options = forums::Options {
        min_women_percent: case.min_women_percent,
    };
    let r = forums::compute(corpus, &case.filter(), case.today, options);
    let (mut villages, mut rows, mut dusun, mut roles, mut proposals, mut pending) = (
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
        Vec::new(),
    );
    for v in &r.villages {
        let held = v.forums.iter().filter(|f| !f.upcoming).count();
        let known = v.known_dusun.len();
        let not_reached = v.dusun_not_reached.len();
        villages.push(row(&[
            &v.village,
            &v.forums.len(),
            &held,
            &(v.forums.len() - held),
            &v.attendees.women,
            &v.attendees.men,
            &v.attendees.not_recorded,
            &v.attendees.total(),
            &rate(v.attendees.women_share()),
            &known,
            &(known - not_reached),
            &rate(Ratio::new(
                u32::try_from(known - not_reached).expect("small"),
                u32::try_from(known).expect("small"),
            )),
            &v.known_dusun.join(";"),
            &v.dusun_not_reached.join(";"),
        ]));
        for f in &v.forums {
            let u = &f.follow_ups;
            rows.push(row(&[
                &v.village,
                &f.id,
                &f.date,
                &f.upcoming,
                &f.title,
                &f.status,
                &f.attendees.women,
                &f.attendees.men,
                &f.attendees.not_recorded,
                &f.attendees.total(),
                &f.women_share.numerator,
                &f.women_share.denominator,
                &rate(f.women_share),
                &f.women_check.as_str(),
                &known,
                &(known - f.dusun_absent.len()),
                &f.dusun_absent.join(";"),
                &f.proposals.len(),
                &f.decisions.len(),
                &(u.open + u.in_progress + u.done + u.dropped + u.unrecognised),
                &u.open,
                &u.in_progress,
                &u.done,
                &u.dropped,
                &u.unrecognised,
                &u.pending_count(),
                &u.overdue,
            ]));
            for d in &f.by_dusun {
                let absent = d.dusun.is_some() && d.attendees.total() == 0;
                dusun.push(row(&[
                    &f.id,
                    &f.upcoming,
                    &opt(d.dusun.as_deref()),
                    &d.attendees.women,
                    &d.attendees.men,
                    &d.attendees.not_recorded,
                    &d.attendees.total(),
                    &absent,
                ]));
            }
            for role in &f.by_role {
                roles.push(row(&[
                    &f.id,
                    &opt(role.role.as_deref()),
                    &role.attendees.women,
                    &role.attendees.men,
                    &role.attendees.not_recorded,
                    &role.attendees.total(),
                ]));
            }
            for (rank, p) in (1..).zip(&f.proposals) {
                proposals.push(row(&[
                    &f.id,
                    &p.key,
                    &p.text,
                    &opt(p.raised_by.as_deref()),
                    &opt(p.priority.as_deref()),
                    &p.support,
                    &rank,
                ]));
            }
            for p in &u.pending {
                pending.push(row(&[
                    &v.village,
                    &f.id,
                    &f.date,
                    &f.upcoming,
                    &p.key,
                    &p.what,
                    &opt(p.who.as_deref()),
                    &opt(p.due),
                    &p.state.as_str(),
                    &p.overdue,
                ]));
            }
        }
    }
    let sql = lines(
        client,
        &format!(
            "SELECT village, forums::text, forums_held::text, forums_upcoming::text, \
             women::text, men::text, not_recorded::text, attendees::text, {}, \
             dusun_known::text, dusun_reached::text, {}, array_to_string(known_dusun, ';'), \
             array_to_string(dusun_not_reached, ';') FROM report_village_forums_at({}) WHERE {}",
            sql_rate("women_share"),
            sql_rate("dusun_coverage"),
            case.args(),
            case.region()
        ),
    )
    .await;
    assert_same("report_village_forums", case, sql, villages);
    let sql = lines(
        client,
        &format!(
            "SELECT village, doc_id, forum_date::text, upcoming::text, title, status, \
             women::text, men::text, not_recorded::text, attendees::text, \
             women_share_numerator::text, women_share_denominator::text, {}, women_check, \
             dusun_known::text, dusun_present::text, array_to_string(dusun_absent, ';'), \
             proposals::text, decisions::text, follow_ups::text, follow_ups_open::text, \
             follow_ups_in_progress::text, follow_ups_done::text, follow_ups_dropped::text, \
             follow_ups_unrecognised::text, follow_ups_pending::text, follow_ups_overdue::text \
             FROM report_forums_at({}, {}) WHERE {}",
            sql_rate("women_share"),
            case.args(),
            case.min_women_percent,
            case.region()
        ),
    )
    .await;
    assert_same("report_forums", case, sql, rows);
    let sql = lines(
        client,
        &format!(
            "SELECT doc_id, upcoming::text, dusun, women::text, men::text, not_recorded::text, \
             attendees::text, absent::text FROM report_forum_dusun_at({}) WHERE {}",
            case.args(),
            case.region()
        ),
    )
    .await;
    assert_same("report_forum_dusun", case, sql, dusun);
    let sql = lines(
        client,
        &format!(
            "SELECT doc_id, role, women::text, men::text, not_recorded::text, attendees::text \
             FROM report_forum_roles_at({}) WHERE {}",
            case.args(),
            case.region()
        ),
    )
    .await;
    assert_same("report_forum_roles", case, sql, roles);
    let sql = lines(
        client,
        &format!(
            "SELECT doc_id, proposal_key, text, raised_by, priority, support::text, rank::text \
             FROM report_forum_proposals_at({}) WHERE {}",
            case.args(),
            case.region()
        ),
    )
    .await;
    assert_same("report_forum_proposals", case, sql, proposals);
    let sql = lines(
        client,
        &format!(
            "SELECT village, doc_id, forum_date::text, forum_upcoming::text, follow_up_key, \
             what, who, due::text, state, overdue::text FROM report_follow_ups_at({}) \
             WHERE pending AND {}",
            case.args(),
            case.region()
        ),
    )
    .await;
    assert_same("report_follow_ups (pending)", case, sql, pending);
}

async fn compare_district(client: &Client, corpus: &Corpus, case: &Case) {
    let options = district::Options {
        stale_months: case.stale_months,
    };
    let r = district::compute(corpus, &case.filter(), case.today, options);
    let villages: Vec<String> = r
        .villages
        .iter()
        .map(|v| {
            row(&[
                &v.village,
                &v.forums_held,
                &v.trainings_held,
                &v.sessions_held,
                &v.forum_attendance.women,
                &v.forum_attendance.men,
                &v.forum_attendance.not_recorded,
                &v.training_check_ins.women,
                &v.training_check_ins.men,
                &v.training_check_ins.not_recorded,
                &(v.forum_attendance.total() + v.training_check_ins.total()),
                &v.women_share.numerator,
                &v.women_share.denominator,
                &rate(v.women_share),
                &v.dusun_coverage.denominator,
                &v.dusun_coverage.numerator,
                &rate(v.dusun_coverage),
                &v.dusun_not_reached.join(";"),
                &v.follow_ups_pending,
                &v.follow_ups_overdue,
                &opt(v.last_forum),
                &opt(v.last_activity),
                &r.stale_before,
                &v.stale,
            ])
        })
        .collect();
    let sql = lines(
        client,
        &format!(
            "SELECT village, forums_held::text, trainings_held::text, sessions_held::text, \
             forum_women::text, forum_men::text, forum_not_recorded::text, \
             check_in_women::text, check_in_men::text, check_in_not_recorded::text, \
             attendance_total::text, women_share_numerator::text, \
             women_share_denominator::text, {}, dusun_known::text, dusun_reached::text, {}, \
             array_to_string(dusun_not_reached, ';'), follow_ups_pending::text, \
             follow_ups_overdue::text, last_forum::text, last_activity::text, \
             stale_before::text, stale::text FROM report_district_at({}, {}) WHERE {}",
            sql_rate("women_share"),
            sql_rate("dusun_coverage"),
            case.args(),
            case.stale_months,
            case.region()
        ),
    )
    .await;
    assert_same("report_district", case, sql, villages);
    let t = &r.totals;
    let totals = vec![row(&[
        &t.villages,
        &t.stale_villages,
        &t.forums_held,
        &t.trainings_held,
        &t.sessions_held,
        &t.forum_attendance.women,
        &t.forum_attendance.men,
        &t.forum_attendance.not_recorded,
        &t.training_check_ins.women,
        &t.training_check_ins.men,
        &t.training_check_ins.not_recorded,
        &t.women_share.numerator,
        &t.women_share.denominator,
        &rate(t.women_share),
        &t.dusun_coverage.denominator,
        &t.dusun_coverage.numerator,
        &rate(t.dusun_coverage),
        &t.follow_ups_pending,
        &t.follow_ups_overdue,
    ])];
    // The whole corpus: report_district_totals; a region: report_district's rows summed, as a
    // BI user would (rates from the sums).
    let totals_sql = match case.region {
        None => format!(
            "SELECT * FROM report_district_totals_at({}, {})",
            case.args(),
            case.stale_months
        ),
        Some(_) => format!(
            "WITH t AS (SELECT count(*) AS villages, count(*) FILTER (WHERE stale) AS stale_villages, \
             sum(forums_held) AS forums_held, sum(trainings_held) AS trainings_held, \
             sum(sessions_held) AS sessions_held, sum(forum_women) AS forum_women, \
             sum(forum_men) AS forum_men, sum(forum_not_recorded) AS forum_not_recorded, \
             sum(check_in_women) AS check_in_women, sum(check_in_men) AS check_in_men, \
             sum(check_in_not_recorded) AS check_in_not_recorded, \
             sum(women_share_numerator)::bigint AS women_share_numerator, \
             sum(women_share_denominator)::bigint AS women_share_denominator, \
             sum(dusun_known)::bigint AS dusun_known, sum(dusun_reached)::bigint AS dusun_reached, \
             sum(follow_ups_pending) AS follow_ups_pending, \
             sum(follow_ups_overdue) AS follow_ups_overdue \
             FROM report_district_at({}, {}) WHERE {}) \
             SELECT *, report_rate(women_share_numerator, women_share_denominator) AS women_share, \
             report_rate(dusun_reached, dusun_known) AS dusun_coverage FROM t",
            case.args(),
            case.stale_months,
            case.region()
        ),
    };
    let sql = lines(
        client,
        &format!(
            "SELECT villages::text, stale_villages::text, forums_held::text, \
             trainings_held::text, sessions_held::text, forum_women::text, forum_men::text, \
             forum_not_recorded::text, check_in_women::text, check_in_men::text, \
             check_in_not_recorded::text, women_share_numerator::text, \
             women_share_denominator::text, {}, dusun_known::text, dusun_reached::text, {}, \
             follow_ups_pending::text, follow_ups_overdue::text FROM ({totals_sql}) totals",
            sql_rate("women_share"),
            sql_rate("dusun_coverage"),
        ),
    )
    .await;
    assert_same("report_district_totals", case, sql, totals);
}

/// Activity. The Rust report counts per device and ISO week over a region; the views count per
/// village (and device and week, or month). A document lies in one village, so per-village rows
/// add up to the region's exactly, distinct documents included: the weekly and device views,
/// summed over villages, must equal the report. Months are not a unit of the report: each
/// (village, month) row is compared with the report run for that village and that month, whose
/// records and edits are the same changes; distinct documents over every device is not a figure
/// the report gives (it counts them per device), so it is only bounded by the report's (at least
/// the largest device's, at most their sum) and checked by hand in `hand_counted_figures`.
async fn compare_activity(client: &Client, corpus: &Corpus, case: &Case) {
    let r = activity::compute(corpus, &case.filter(), case.today, &TimeZone::UTC);
    let weeks: Vec<String> = r
        .weeks
        .iter()
        .map(|w| {
            row(&[
                &w.actor,
                &w.week,
                &w.week_start,
                &w.records,
                &w.edits,
                &w.documents,
            ])
        })
        .collect();
    let sql = lines(
        client,
        &format!(
            "SELECT actor, iso_week, week_start::text, sum(records)::text, sum(edits)::text, \
             sum(documents)::text FROM report_activity_weekly_at({}) WHERE {} \
             GROUP BY actor, iso_week, week_start",
            case.period(),
            case.region()
        ),
    )
    .await;
    assert_same("report_activity_weekly", case, sql, weeks);
    let devices: Vec<String> = r
        .devices
        .iter()
        .map(|d| {
            row(&[
                &d.actor,
                &d.records,
                &d.edits,
                &d.documents,
                &d.undated,
                &d.after_today,
                &opt(d.first),
                &opt(d.last),
            ])
        })
        .collect();
    let sql = lines(
        client,
        &format!(
            "SELECT actor, sum(records)::text, sum(edits)::text, sum(documents)::text, \
             sum(undated)::text, sum(after_today)::text, min(first_day)::text, \
             max(last_day)::text FROM report_activity_devices_at({}) WHERE {} \
             GROUP BY actor",
            case.args(),
            case.region()
        ),
    )
    .await;
    assert_same("report_activity_devices", case, sql, devices);

    let months = client
        .query(
            &format!(
                "SELECT village, month::text, records, edits, documents, devices \
                 FROM report_activity_monthly_at({}) WHERE {}",
                case.period(),
                case.region()
            ),
            &[],
        )
        .await
        .expect("report_activity_monthly_at");
    let mut records_by_village: BTreeMap<String, (i64, i64)> = BTreeMap::new();
    for m in &months {
        let (village, month): (String, String) = (m.get(0), m.get(1));
        let (records, edits, documents, devices): (i64, i64, i64, i64) =
            (m.get(2), m.get(3), m.get(4), m.get(5));
        let first: Date = month.parse().expect("a date");
        let last = first.last_of_month();
        // The month within the case's period.
        let from = case.from.map_or(first, |f| f.max(first));
        let to = case.to.map_or(last, |t| t.min(last));
        let filter = Filter::new(
            Some(village.parse().expect("a village")),
            Some(from),
            Some(to),
        )
        .expect("a valid period");
        let rust = activity::compute(corpus, &filter, case.today, &TimeZone::UTC);
        let dated: Vec<&activity::DeviceTotal> = rust
            .devices
            .iter()
            .filter(|d| d.records + d.edits > 0)
            .collect();
        let what = format!("report_activity_monthly {village} {month} for {case:?}");
        assert_eq!(
            (records, edits, devices),
            (
                dated.iter().map(|d| i64::from(d.records)).sum(),
                dated.iter().map(|d| i64::from(d.edits)).sum(),
                i64::try_from(dated.len()).expect("small"),
            ),
            "{what}"
        );
        let most = dated
            .iter()
            .map(|d| i64::from(d.documents))
            .max()
            .unwrap_or(0);
        let sum: i64 = dated.iter().map(|d| i64::from(d.documents)).sum();
        assert!(
            most <= documents && documents <= sum,
            "{what}: documents {documents}"
        );
        let totals = records_by_village.entry(village).or_default();
        totals.0 += records;
        totals.1 += edits;
    }
    // Every dated change of the report is in some month row.
    for village in [A, B, C].into_iter().filter(|v| case.covers(v)) {
        let filter = Filter::new(
            Some(village.parse().expect("a village")),
            case.from,
            case.to,
        )
        .expect("a valid period");
        let rust = activity::compute(corpus, &filter, case.today, &TimeZone::UTC);
        let expected = (
            rust.devices.iter().map(|d| i64::from(d.records)).sum(),
            rust.devices.iter().map(|d| i64::from(d.edits)).sum(),
        );
        let got = records_by_village.get(village).copied().unwrap_or_default();
        assert_eq!(got, expected, "monthly totals of {village} for {case:?}");
    }
}

/// Figures counted by hand from the fixture (see [`fixture`]), as of [`TODAY`], every period.
async fn hand_counted_figures(client: &Client) {
    let args = format!("{}, NULL, NULL", sql_date(Some(TODAY)));
    let one = |sql: String| async move {
        let got = lines(client, &sql).await;
        assert_eq!(got.len(), 1, "{sql}: {got:?}");
        got.into_iter().next().unwrap_or_default()
    };

    // T1: 6 enrolled (Eko removed, Ani enrolled on device-a while walking in on device-b).
    // Session 1: Siti, Made, Rina and Ani of 6 (Eko's check-in on device-b does not count: he was
    // removed), Budi walked in.
    let s = |session: u32, dimension: &str, group: &str| {
        format!(
            "SELECT concat_ws(' ', enrolled, present, walk_ins, upcoming) \
             FROM report_training_sessions_at({args}) WHERE doc_id = '{T1}' \
             AND session_number = {session} AND dimension = '{dimension}' \
             AND group_name IS NOT DISTINCT FROM {group}"
        )
    };
    assert_eq!(one(s(1, "all", "NULL")).await, "6 4 1 f");
    // Dusun II: 1 of 3 enrolled present at session 1 (Ani; Dewi and Joko were not), and Budi
    // ("dusun ii") walked in.
    assert_eq!(one(s(1, "dusun", "'Dusun II'")).await, "3 1 1 f");
    // Ani's two entries conflict and device-b's, made by her walk-in with no gender, shows: she
    // is enrolled, of gender not recorded. Women: Siti, Rina (present), Dewi.
    assert_eq!(
        one(format!(
            "SELECT concat_ws(' ', gender_group, walk_in) FROM participants \
             WHERE doc_id = '{T1}' AND name = 'Ani'"
        ))
        .await,
        "not_recorded f"
    );
    assert_eq!(one(s(1, "gender", "'women'")).await, "3 2 0 f");
    assert_eq!(one(s(1, "gender", "'not_recorded'")).await, "2 1 1 f");
    // Session 2: Siti only (Dewi's check-in was undone).
    assert_eq!(one(s(2, "all", "NULL")).await, "6 1 0 f");
    assert_eq!(one(s(3, "all", "NULL")).await, "6 0 0 t");
    // Session 4's date is not a date: no row. Tamu walked in there only: a known dusun, nobody.
    assert_eq!(
        one(format!(
            "SELECT count(*)::text FROM report_training_sessions_at({args}) \
             WHERE doc_id = '{T1}' AND session_number = 4"
        ))
        .await,
        "0"
    );
    assert_eq!(one(s(1, "dusun", "'Dusun Tamu'")).await, "0 0 0 f");

    let t = |doc: &str, dimension: &str, group: &str| {
        format!(
            "SELECT concat_ws(' ', sessions_held, sessions_upcoming, enrolled, reached, \
             check_ins, possible_check_ins, round(check_in_rate, 4), walk_ins, \
             missed_every_session) FROM report_training_attendance_at({args}) \
             WHERE doc_id = '{doc}' AND dimension = '{dimension}' \
             AND group_name IS NOT DISTINCT FROM {group}"
        )
    };
    // 4 + 1 = 5 check-ins of 6 × 2; Siti, Made, Rina, Ani reached; Dewi and Joko missed both.
    assert_eq!(one(t(T1, "all", "NULL")).await, "2 1 6 4 5 12 0.4167 1 2");
    assert_eq!(
        one(t(T1, "dusun", "'Dusun II'")).await,
        "2 1 3 1 1 6 0.1667 1 2"
    );
    // T3's only session is in 2099: nobody has missed it, no rate yet.
    assert_eq!(one(t(T3, "all", "NULL")).await, "0 1 1 0 0 0 0 0");
    assert_eq!(
        lines(
            client,
            &format!("SELECT name FROM report_training_missed_at({args})")
        )
        .await,
        ["Dewi", "Joko", "Yanto"]
    );
    // T2, session 1: Lestari and Andi, and the check-in under a key with no participant, a
    // walk-in with no dusun.
    assert_eq!(
        one(format!(
            "SELECT concat_ws(' ', enrolled, present, walk_ins) \
             FROM report_training_sessions_at({args}) WHERE doc_id = '{T2}' \
             AND session_number = 1 AND dimension = 'dusun' AND dusun_key IS NULL"
        ))
        .await,
        "0 0 1"
    );

    // Village A's known dusun: from readable documents only, whatever their date (Dusun Baru
    // from the 2099 forum, Dusun Tamu from a walk-in at a session with no valid date), in their
    // common spelling ("Dusun II" 5 times, "dusun ii" twice).
    assert_eq!(
        one(format!(
            "SELECT array_to_string(known_dusun, ';') FROM report_village_forums_at({args}) \
             WHERE village = '{A}'"
        ))
        .await,
        "Dusun Baru;Dusun I;Dusun II;Dusun III;Dusun Tamu"
    );

    // M1: Siti of Siti, Made, Pak Camat, Budi, Wayan, Komang (Salah was removed): 1 of 6,
    // 100 < 30 × 6.
    let f = |doc: &str| {
        format!(
            "SELECT concat_ws(' ', women, men, not_recorded, women_share_numerator, \
             women_share_denominator, women_check, array_to_string(dusun_absent, ','), \
             follow_ups_pending, follow_ups_overdue) FROM report_forums_at({args}) \
             WHERE doc_id = '{doc}'"
        )
    };
    assert_eq!(
        one(f(M1)).await,
        "1 5 0 1 6 below Dusun Baru,Dusun III,Dusun Tamu 4 1"
    );
    // M2: 2 women, 1 man, Ayu not recorded: 200 ≥ 30 × 4.
    assert_eq!(
        one(f(M2)).await,
        "2 1 1 2 3 met Dusun Baru,Dusun II,Dusun Tamu 1 1"
    );
    // M4 (2099) is upcoming; its follow-up due 2025-01-01 is overdue on the forum's own row.
    assert_eq!(
        one(format!(
            "SELECT concat_ws(' ', upcoming, follow_ups_overdue) FROM report_forums_at({args}) \
             WHERE doc_id = '{M4}'"
        ))
        .await,
        "t 1"
    );
    // M5 (bad date) and M6 (archived) are in no view.
    assert_eq!(
        one(format!(
            "SELECT count(*)::text FROM report_forums_at({args}) \
             WHERE doc_id IN ('{M5}', '{M6}')"
        ))
        .await,
        "0"
    );
    // "Cetak undangan" has a due date that is not a date: pending, never overdue.
    assert_eq!(
        one(format!(
            "SELECT concat_ws(' ', due_text, state, pending, overdue) \
             FROM report_follow_ups_at({args}) WHERE what = 'Cetak undangan'"
        ))
        .await,
        "besok open t f"
    );

    let d = |village: &str| {
        format!(
            "SELECT concat_ws(' ', forums_held, trainings_held, sessions_held, forum_women, \
             forum_men, forum_not_recorded, check_in_women, check_in_men, \
             check_in_not_recorded, women_share_numerator, women_share_denominator, \
             dusun_reached, dusun_known, array_to_string(dusun_not_reached, ','), \
             follow_ups_pending, follow_ups_overdue, last_forum, last_activity, stale) \
             FROM report_district_at({args}) WHERE village = '{village}'"
        )
    };
    // A: M1 + M2 = (1 + 2, 5 + 1, 0 + 1); check-ins: session 1 Siti, Rina (f), Made (m), Ani
    // and Budi (no gender); session 2 Siti. Women (3 + 3) of (3 + 6) + (3 + 1). Dusun I,
    // II, III reached; Dusun Baru only at the 2099 forum, Dusun Tamu only at the session with
    // no date. Pending: M1's 4 and M2's Cek sumur (M4 is not held); overdue Survei lokasi and
    // Cek sumur.
    assert_eq!(
        one(d(A)).await,
        "2 1 2 3 6 1 3 1 2 6 13 3 5 Dusun Baru,Dusun Tamu 5 2 2025-11-29 2025-12-08 f"
    );
    // B: M3 (Yuni, Lestari; Andi, Hadi); T2's check-ins Lestari twice, Andi, and the keyless
    // one. Women (2 + 2) of (2 + 2) + (2 + 1). Dusun Tengah reached by Yuni at M3. Last forum
    // 08-15 is before 12-10 − 3 months = 09-10: stale.
    assert_eq!(
        one(d(B)).await,
        "1 1 2 2 2 0 2 1 1 4 7 3 3  0 0 2025-08-15 2025-10-12 t"
    );
    assert_eq!(
        one(format!(
            "SELECT array_to_string(known_dusun, ';') FROM report_village_forums_at({args}) \
             WHERE village = '{B}'"
        ))
        .await,
        "Dusun Atas;Dusun Bawah;Dusun Tengah"
    );
    // C: only an archived training: listed, nothing counted, stale.
    assert_eq!(one(d(C)).await, "0 0 0 0 0 0 0 0 0 0 0 0 0  0 0 t");

    // Activity of M7 (never created, so in no other view), in UTC: March has its record and an
    // edit (23:30 on the 31st is still March in UTC), April dd's edit, June 2099 a clock ahead.
    let m = lines(
        client,
        &format!(
            "SELECT concat_ws(' ', month_label, records, edits, documents, devices) \
             FROM report_activity_monthly_at() WHERE village = '{B}' \
             AND month_label IN ('2025-03', '2025-04', '2099-06')"
        ),
    )
    .await;
    assert_eq!(m, ["2025-03 1 1 1 1", "2025-04 0 1 1 1", "2099-06 0 1 1 1"]);
    let cc = one(format!(
        "SELECT concat_ws(' ', records, edits, documents, undated, after_today, first_day, \
         last_day) FROM report_activity_devices_at({args}) WHERE actor = 'cccccccc'"
    ))
    .await;
    // The change with no time and the one at −5 s are undated.
    assert_eq!(cc, "1 2 1 2 1 2025-03-03 2099-06-01");
    let w = lines(
        client,
        "SELECT concat_ws(' ', actor, iso_week, week_start, records, edits) \
         FROM report_activity_weekly_at(DATE '2025-03-01', DATE '2025-04-30')",
    )
    .await;
    assert_eq!(
        w,
        [
            "cccccccc 2025-W10 2025-03-03 1 0",
            "cccccccc 2025-W14 2025-03-31 0 1",
            "dddddddd 2025-W14 2025-03-31 0 1"
        ]
    );
}

/// Every view a BI user reads runs, and documents every column.
async fn views_run_and_are_documented(client: &Client) {
    let views = lines(
        client,
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind = 'v' AND n.nspname = 'public' AND c.relname LIKE 'report\\_%'",
    )
    .await;
    assert!(views.len() >= 15, "{views:?}");
    for view in &views {
        client
            .query(&format!("SELECT * FROM {view}"), &[])
            .await
            .unwrap_or_else(|e| panic!("{view}: {e}"));
    }
    // report_documents is documents' own columns, documented in V1.
    let undocumented = lines(
        client,
        "SELECT c.relname || '.' || a.attname FROM pg_class c \
         JOIN pg_namespace n ON n.oid = c.relnamespace \
         JOIN pg_attribute a ON a.attrelid = c.oid AND a.attnum > 0 AND NOT a.attisdropped \
         WHERE c.relkind = 'v' AND n.nspname = 'public' AND c.relname LIKE 'report\\_%' \
         AND c.relname <> 'report_documents' \
         AND col_description(c.oid, a.attnum) IS NULL",
    )
    .await;
    assert!(
        undocumented.is_empty(),
        "columns without a comment: {undocumented:?}"
    );
    let views_without = lines(
        client,
        "SELECT c.relname::text FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace \
         WHERE c.relkind = 'v' AND n.nspname = 'public' AND c.relname LIKE 'report\\_%' \
         AND obj_description(c.oid, 'pg_class') IS NULL",
    )
    .await;
    assert!(
        views_without.is_empty(),
        "views without a comment: {views_without:?}"
    );
}

#[tokio::test]
async fn report_views_equal_balai_report() {
    let store = Store::in_memory(None).expect("an in-memory store");
    let documents = fixture();
    let count = documents.len();
    for (id, mut doc) in documents {
        store
            .edit::<_, Box<dyn std::error::Error>>(&id, |stored| {
                stored.merge(&mut doc)?;
                Ok(())
            })
            .expect("store the document");
    }
    let feed = store.read_feed(0, 10_000, u64::MAX).expect("the feed");
    assert_eq!(feed.len(), count);
    // The reports read exactly what the sink projects: the feed's documents.
    let mut corpus = Corpus::new();
    for entry in &feed {
        corpus.add(&entry.id, entry.doc.as_ref().expect("a stored document"));
    }
    let projected = balai_sink::project_feed(feed);

    let cluster = TempCluster::start().expect("a PostgreSQL cluster");
    cluster.create_database("views").expect("a database");
    let mut client = balai_sink::connect(&cluster.url("views"))
        .await
        .expect("connect");
    balai_sink::migrate(&mut client).await.expect("migrations");
    let source = Source {
        id: store.id().to_string(),
        server_name: "test".to_owned(),
    };
    let commit = balai_sink::write_batch(&mut client, &source, 0, &projected)
        .await
        .expect("write the batch");
    assert!(matches!(commit, Commit::Written { .. }), "{commit:?}");
    client
        .batch_execute("SET TIME ZONE 'UTC'; SET DateStyle = 'ISO'")
        .await
        .expect("session settings");

    hand_counted_figures(&client).await;

    let all = Case {
        today: TODAY,
        region: None,
        from: None,
        to: None,
        min_women_percent: 30,
        stale_months: 3,
    };
    let cases = [
        // The hand-counted day.
        all,
        // A period: T1's sessions and M1 only, March's activity not.
        Case {
            from: Some(date(2025, 11, 1)),
            to: Some(date(2025, 12, 31)),
            ..all
        },
        // Before T1's second session: it is upcoming, not missed.
        Case {
            today: date(2025, 12, 5),
            from: Some(date(2025, 9, 1)),
            min_women_percent: 50,
            stale_months: 1,
            ..all
        },
        // Edges on today: T1's session 1 is today (held), Survei lokasi is due today (not
        // overdue yet), and A's last forum (11-29) is exactly today − 1 month (not stale).
        Case {
            today: date(2025, 12, 1),
            ..all
        },
        Case {
            today: date(2025, 12, 29),
            stale_months: 1,
            ..all
        },
        // 2026-05-31 − 3 months is 02-28 (the day clamped).
        Case {
            today: date(2026, 5, 31),
            ..all
        },
        // Before anything was held.
        Case {
            today: date(2025, 1, 1),
            ..all
        },
        // Everything held, the 2099 forum and sessions included.
        Case {
            today: date(2100, 1, 1),
            to: Some(date(2099, 12, 31)),
            min_women_percent: 20,
            stale_months: 12,
            ..all
        },
        // A region: district 18.01.06 (villages B and C), and one village.
        Case {
            region: Some("18.01.06"),
            ..all
        },
        Case {
            region: Some(A),
            from: Some(date(2025, 12, 1)),
            ..all
        },
    ];
    for case in &cases {
        compare_attendance(&client, &corpus, case).await;
        compare_forums(&client, &corpus, case).await;
        compare_district(&client, &corpus, case).await;
        compare_activity(&client, &corpus, case).await;
    }

    views_run_and_are_documented(&client).await;
}
