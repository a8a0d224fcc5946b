//! Test fixture for the rendered reports: a few documents written with the model's own edit
//! functions, two devices editing offline and merging, with fixed ids and actors so that the
//! snapshots are the same on every run (keys of proposals and follow-ups are random, and no
//! table shows them).
//!
//! Village A (18.01.05.2001):
//! - M1, forum of 2026-11-29. device-a records Siti (f, Dusun I, ketua PKK) and Made (m, Dusun I,
//!   kepala dusun); device-b, offline, Budi (m, "dusun ii", warga), Wayan (m, Dusun II) and
//!   Komang (m, Dusun II). "Perbaikan jalan" (Pak RT, high) gets +3 on a and +2 on b; b adds
//!   "Pelatihan jahit" with 7. Then a decision and follow-ups: "Survei lokasi" due 12-01 (open),
//!   "Surat ke camat" due 12-20 (in progress), "Rapat lanjutan" due 11-30 (done).
//! - M2, forum of 2026-09-01: Siti (f, Dusun I), Rina (f, Dusun III), Putu (m, Dusun III), Ayu
//!   (gender not recorded, Dusun I); "Cek sumur" due 10-01, open.
//! - T1, "Budidaya cabai", sessions 12-01, 12-08, 12-15. Enrolled Siti (f, Dusun I), Made (m,
//!   Dusun I), Rina (f, Dusun III), Dewi (f, Dusun II), Joko (not recorded, Dusun II). Session 1:
//!   a checks in Siti and Made; b, offline, Siti, Rina and the walk-in Budi ("dusun ii").
//!   Session 2: Siti.
//! - An announced forum whose content has not arrived: excluded, "not created".
//!
//! Village B (18.01.06.2003), also known to have "Dusun Tengah":
//! - M3, forum of 2026-08-15 (stale by 12-10): Lestari (f, Dusun Atas), Andi and Hadi (m,
//!   Dusun Bawah).
//! - T2, "Pengolahan kopi", sessions 10-05 and 10-12: Lestari (f, Dusun Atas) at both, Andi (m,
//!   Dusun Bawah) at the first.
//!
//! Today is 2026-12-10.

use std::collections::{BTreeMap, BTreeSet};

use automerge::transaction::{CommitOptions, Transactable};
use automerge::{ActorId, Automerge, AutomergeError, ROOT};
use balai_shared::ids::DocId;
use balai_shared::model::minutes::{self, NewMinutes};
use balai_shared::model::training::{self, NewTraining};
use balai_shared::model::{Gender, Person};
use balai_shared::region::VillageCode;
use balai_shared::report::Corpus;
use jiff::civil::{Date, date};

pub(crate) const TODAY: Date = date(2026, 12, 10);

const A: &str = "18.01.05.2001";
const B: &str = "18.01.06.2003";
const M1: &str = "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B01";
const M2: &str = "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B02";
const M3: &str = "minutes/18.01.06.2003/01JD8X3V6Q2M4T5W7Y9Z0A1B03";
const T1: &str = "training/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B04";
const T2: &str = "training/18.01.06.2003/01JD8X3V6Q2M4T5W7Y9Z0A1B05";
const EMPTY: &str = "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B09";

fn id(s: &str) -> DocId {
    s.parse().expect("valid id")
}

fn village(s: &str) -> VillageCode {
    s.parse().expect("valid village")
}

fn device_a() -> ActorId {
    ActorId::from(b"device-a".as_slice())
}

fn device_b() -> ActorId {
    ActorId::from(b"device-b".as_slice())
}

/// The documents above, as merged.
pub(crate) fn corpus() -> Corpus {
    let mut corpus = Corpus::new();
    for (doc_id, doc) in [
        (M1, m1()),
        (M2, m2()),
        (M3, m3()),
        (T1, t1()),
        (T2, t2()),
        (EMPTY, Automerge::new()),
    ] {
        corpus.add(&id(doc_id), &doc);
    }
    corpus.add_known_dusun(BTreeMap::from([(
        village(B),
        BTreeSet::from(["Dusun Tengah".to_owned()]),
    )]));
    corpus
}

fn person(name: &str, gender: Option<Gender>, dusun: &str) -> Person {
    Person {
        name: name.into(),
        gender,
        dusun: Some(dusun.into()),
    }
}

fn new_minutes(village_code: &str, day: &str, title: &str) -> Automerge {
    let mut doc = Automerge::new().with_actor(device_a());
    minutes::create(
        &mut doc,
        &village(village_code),
        &NewMinutes {
            title: title.into(),
            date: day.into(),
            place: None,
            facilitator: None,
        },
    )
    .expect("create minutes");
    doc
}

fn attend(
    doc: &mut Automerge,
    name: &str,
    gender: Option<Gender>,
    dusun: &str,
    role: Option<&str>,
) {
    minutes::attend(doc, &person(name, gender, dusun), role).expect("attend");
}

fn m1() -> Automerge {
    let mut a = new_minutes(A, "2026-11-29", "Musyawarah Dusun");
    let jalan = minutes::add_proposal(&mut a, "Perbaikan jalan", Some("Pak RT"), Some("high"))
        .expect("proposal");
    let mut b = a.fork().with_actor(device_b());
    attend(
        &mut a,
        "Siti",
        Some(Gender::F),
        "Dusun I",
        Some("ketua PKK"),
    );
    attend(
        &mut a,
        "Made",
        Some(Gender::M),
        "Dusun I",
        Some("kepala dusun"),
    );
    minutes::support(&mut a, &jalan, 3).expect("support");
    attend(&mut b, "Budi", Some(Gender::M), "dusun ii", Some("warga"));
    attend(&mut b, "Wayan", Some(Gender::M), "Dusun II", None);
    attend(&mut b, "Komang", Some(Gender::M), "Dusun II", None);
    minutes::support(&mut b, &jalan, 2).expect("support");
    let jahit = minutes::add_proposal(&mut b, "Pelatihan jahit", None, None).expect("proposal");
    minutes::support(&mut b, &jahit, 7).expect("support");
    a.merge(&mut b).expect("merge");

    minutes::add_decision(&mut a, "Jalan diperbaiki gotong royong").expect("decision");
    minutes::add_follow_up(&mut a, "Survei lokasi", "Pak Kades", Some("2026-12-01"))
        .expect("follow-up");
    let surat = minutes::add_follow_up(&mut a, "Surat ke camat", "Sekdes", Some("2026-12-20"))
        .expect("follow-up");
    minutes::set_follow_up_status(&mut a, &surat, "in-progress").expect("status");
    let rapat = minutes::add_follow_up(&mut a, "Rapat lanjutan", "Ketua BPD", Some("2026-11-30"))
        .expect("follow-up");
    minutes::set_follow_up_status(&mut a, &rapat, "done").expect("status");
    a
}

fn m2() -> Automerge {
    let mut doc = new_minutes(A, "2026-09-01", "Musyawarah Desa");
    attend(&mut doc, "Siti", Some(Gender::F), "Dusun I", None);
    attend(
        &mut doc,
        "Rina",
        Some(Gender::F),
        "Dusun III",
        Some("warga"),
    );
    attend(&mut doc, "Putu", Some(Gender::M), "Dusun III", None);
    attend(&mut doc, "Ayu", None, "Dusun I", None);
    minutes::add_follow_up(&mut doc, "Cek sumur", "Pak Kadus", Some("2026-10-01"))
        .expect("follow-up");
    doc
}

fn m3() -> Automerge {
    let mut doc = new_minutes(B, "2026-08-15", "Rembuk Warga");
    attend(&mut doc, "Lestari", Some(Gender::F), "Dusun Atas", None);
    attend(&mut doc, "Andi", Some(Gender::M), "Dusun Bawah", None);
    attend(&mut doc, "Hadi", Some(Gender::M), "Dusun Bawah", None);
    doc
}

fn new_training(village_code: &str, topic: &str, sessions: &[&str]) -> Automerge {
    let mut doc = Automerge::new().with_actor(device_a());
    training::create(
        &mut doc,
        &village(village_code),
        &NewTraining {
            topic: topic.into(),
            category: None,
            trainer: None,
            sessions: sessions.iter().map(|s| (*s).to_owned()).collect(),
        },
    )
    .expect("create training");
    doc
}

fn enroll(doc: &mut Automerge, name: &str, gender: Option<Gender>, dusun: &str) {
    training::enroll(doc, &person(name, gender, dusun)).expect("enroll");
}

fn check_in(doc: &mut Automerge, session: u32, name: &str, dusun: &str, by: &str) {
    training::check_in(doc, session, name, Some(dusun), by).expect("check in");
}

fn t1() -> Automerge {
    let mut a = new_training(
        A,
        "Budidaya cabai",
        &["2026-12-01", "2026-12-08", "2026-12-15"],
    );
    enroll(&mut a, "Siti", Some(Gender::F), "Dusun I");
    enroll(&mut a, "Made", Some(Gender::M), "Dusun I");
    enroll(&mut a, "Rina", Some(Gender::F), "Dusun III");
    enroll(&mut a, "Dewi", Some(Gender::F), "Dusun II");
    enroll(&mut a, "Joko", None, "Dusun II");
    let mut b = a.fork().with_actor(device_b());
    check_in(&mut a, 1, "Siti", "Dusun I", "hp-a");
    check_in(&mut a, 1, "Made", "Dusun I", "hp-a");
    check_in(&mut b, 1, "Siti", "Dusun I", "hp-b");
    check_in(&mut b, 1, "Rina", "Dusun III", "hp-b");
    check_in(&mut b, 1, "Budi", "dusun ii", "hp-b");
    a.merge(&mut b).expect("merge");
    check_in(&mut a, 2, "Siti", "Dusun I", "hp-a");
    a
}

fn t2() -> Automerge {
    let mut doc = new_training(B, "Pengolahan kopi", &["2026-10-05", "2026-10-12"]);
    enroll(&mut doc, "Lestari", Some(Gender::F), "Dusun Atas");
    enroll(&mut doc, "Andi", Some(Gender::M), "Dusun Bawah");
    check_in(&mut doc, 1, "Lestari", "Dusun Atas", "hp-a");
    check_in(&mut doc, 1, "Andi", "Dusun Bawah", "hp-a");
    check_in(&mut doc, 2, "Lestari", "Dusun Atas", "hp-a");
    doc
}

/// Actor `aa…` (named "hp-rina" in the tests) and `bb…` (named by no document).
pub(crate) const AA: [u8; 4] = [0xaa; 4];
pub(crate) const BB: [u8; 4] = [0xbb; 4];

/// One change by `doc`'s actor at `time` (seconds; 0: no time given).
fn change(doc: &mut Automerge, time: i64, key: &str) {
    doc.transact_with::<_, _, AutomergeError, _>(
        |_| CommitOptions::default().with_time(time),
        |tx| {
            tx.put(ROOT, key, time)?;
            Ok(())
        },
    )
    .expect("commit");
}

/// Two documents with known change times (UTC), for the activity report:
/// - M1's id: `aa` creates it 2026-11-30 10:00 and edits 2026-12-01 09:00; `bb`, on a fork,
///   edits 2026-12-06 20:00 (Sunday in UTC, Monday 03:00 in WIB, UTC+7).
/// - T2's id: `bb` creates it 2026-12-07 01:00, edits without a time, and edits 2027-01-01 05:00
///   (week 2026-W53, after today).
pub(crate) fn activity_corpus() -> Corpus {
    let mut p = Automerge::new().with_actor(ActorId::from(AA.as_slice()));
    change(&mut p, 1_796_032_800, "kind");
    change(&mut p, 1_796_115_600, "a");
    let mut p_b = p.fork().with_actor(ActorId::from(BB.as_slice()));
    change(&mut p_b, 1_796_587_200, "b");
    p.merge(&mut p_b).expect("merge");

    let mut q = Automerge::new().with_actor(ActorId::from(BB.as_slice()));
    change(&mut q, 1_796_605_200, "kind");
    change(&mut q, 0, "a");
    change(&mut q, 1_798_779_600, "b");

    let mut corpus = Corpus::new();
    corpus.add(&id(M1), &p);
    corpus.add(&id(T2), &q);
    corpus
}
