//! Test fixture: a small set of documents whose every figure is counted by hand in the tests,
//! written with the model's own edit functions, with two devices editing offline and merging.
//!
//! Village A (18.01.05.2001, district 18.01.05):
//! - M1, minutes of 2026-11-29. device-a records Siti (f, Dusun I, ketua PKK) and Made (m,
//!   Dusun I, kepala dusun); device-b, offline at the same time, records Budi (m, "dusun ii",
//!   warga), Wayan (m, Dusun II, Warga) and Komang (m, Dusun II, no role). Proposal "Perbaikan
//!   jalan" gets +3 on device-a and +2 on device-b (5); device-b adds "Pelatihan jahit" with 7.
//!   After the merge: one decision and four follow-ups: "Survei lokasi" due 2026-12-01 (open),
//!   "Surat ke camat" due 2026-12-20 (in-progress), "Rapat lanjutan" due 2026-11-30 (done),
//!   "Cari donatur" with no due date (open).
//! - M2, minutes of 2026-09-01: Siti (f, Dusun I), Rina (f, Dusun III, warga), Putu (m,
//!   Dusun III), Ayu (gender not recorded, Dusun I). Follow-up "Cek sumur" due 2026-10-01, open.
//! - T1, training with sessions 1: 2026-12-01, 2: 2026-12-08, 3: 2026-12-15. Enrolled: Siti (f,
//!   Dusun I), Made (m, Dusun I), Rina (f, Dusun III), Dewi (f, Dusun II), Joko (not recorded,
//!   Dusun II). Session 1: device-a checks in Siti and Made; device-b, offline, checks in Siti
//!   too, Rina, and Budi ("dusun ii"), who is not enrolled: a walk-in. Session 2, after the merge:
//!   Siti. Session 3: nobody yet.
//!
//! Village B (18.01.06.2003, district 18.01.06):
//! - M3, minutes of 2026-08-15: Lestari (f, Dusun Atas), Andi (m, Dusun Bawah), Hadi (m,
//!   Dusun Bawah).
//! - T2, training with sessions 1: 2026-10-05, 2: 2026-10-12. Enrolled: Lestari (f, Dusun Atas),
//!   Andi (m, Dusun Bawah). Session 1: both; session 2: Lestari.
//!
//! The caller also knows of "Dusun Tengah" in B (no record names it) and "dusun i" in A (the same
//! dusun as "Dusun I").
//!
//! Today is 2026-12-10.

use std::collections::{BTreeMap, BTreeSet};

use automerge::{ActorId, Automerge};
use jiff::civil::{Date, date};

use super::Corpus;
use crate::ids::DocId;
use crate::model::minutes::{self, NewMinutes};
use crate::model::training::{self, NewTraining};
use crate::model::{Gender, Person};
use crate::region::VillageCode;

pub(crate) const TODAY: Date = date(2026, 12, 10);

pub(crate) const A: &str = "18.01.05.2001";
pub(crate) const B: &str = "18.01.06.2003";

pub(crate) const M1: &str = "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B01";
pub(crate) const M2: &str = "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B02";
pub(crate) const M3: &str = "minutes/18.01.06.2003/01JD8X3V6Q2M4T5W7Y9Z0A1B03";
pub(crate) const T1: &str = "training/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B04";
pub(crate) const T2: &str = "training/18.01.06.2003/01JD8X3V6Q2M4T5W7Y9Z0A1B05";

pub(crate) fn device_a() -> ActorId {
    ActorId::from(b"device-a".as_slice())
}

pub(crate) fn device_b() -> ActorId {
    ActorId::from(b"device-b".as_slice())
}

pub(crate) fn id(s: &str) -> DocId {
    s.parse().expect("valid id")
}

pub(crate) fn village(s: &str) -> VillageCode {
    s.parse().expect("valid village")
}

/// The fixture's documents, as merged.
pub(crate) fn documents() -> Vec<(DocId, Automerge)> {
    vec![
        (id(M1), m1()),
        (id(M2), m2()),
        (id(M3), m3()),
        (id(T1), t1()),
        (id(T2), t2()),
    ]
}

/// The corpus of [`documents`] with the caller's extra dusun.
pub(crate) fn corpus() -> Corpus {
    let mut corpus = Corpus::new();
    for (id, doc) in documents() {
        corpus.add(&id, &doc);
    }
    corpus.add_known_dusun(BTreeMap::from([
        (village(A), BTreeSet::from(["dusun i".to_owned()])),
        (village(B), BTreeSet::from(["Dusun Tengah".to_owned()])),
    ]));
    corpus
}

fn person(name: &str, gender: Option<Gender>, dusun: &str) -> Person {
    Person {
        name: name.into(),
        gender,
        dusun: Some(dusun.into()),
    }
}

fn new_minutes(village_code: &str, date: &str) -> Automerge {
    let mut doc = Automerge::new().with_actor(device_a());
    minutes::create(
        &mut doc,
        &village(village_code),
        &NewMinutes {
            title: format!("Musyawarah {date}"),
            date: date.into(),
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
    let mut a = new_minutes(A, "2026-11-29");
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
    attend(&mut b, "Wayan", Some(Gender::M), "Dusun II", Some("Warga"));
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
    minutes::add_follow_up(&mut a, "Cari donatur", "Bu Siti", None).expect("follow-up");
    a
}

fn m2() -> Automerge {
    let mut doc = new_minutes(A, "2026-09-01");
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
    let mut doc = new_minutes(B, "2026-08-15");
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

fn check_in(doc: &mut Automerge, session: u32, name: &str, dusun: &str, by: &str) -> bool {
    training::check_in(doc, session, name, Some(dusun), by)
        .expect("check in")
        .walk_in
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
    assert!(
        check_in(&mut b, 1, "Budi", "dusun ii", "hp-b"),
        "Budi walks in"
    );
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
