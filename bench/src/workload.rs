//! Realistic records made through the model API (the same edits `balai minutes …` and
//! `balai training …` make): one automerge change per edit, as a facilitator would produce them.

use anyhow::Context;
use automerge::Automerge;
use balai_shared::ids::{DocId, DocKind};
use balai_shared::model::{Gender, Person, minutes, training};
use balai_shared::region::VillageCode;
use balai_shared::store::Store;
use rand::Rng;
use rand::rngs::StdRng;
use rand::seq::IndexedRandom;

const FIRST: &[&str] = &[
    "Siti",
    "Dewi",
    "Nur",
    "Sri",
    "Wayan",
    "Made",
    "Ketut",
    "Agus",
    "Budi",
    "Rahmat",
    "Yohana",
    "Fransiska",
    "Ani",
    "Citra",
    "Eko",
    "Joko",
    "Putu",
    "Nyoman",
    "Rina",
    "Lestari",
    "Hendra",
    "Fitri",
    "Ahmad",
    "Yusuf",
    "Indah",
    "Bayu",
    "Ratna",
    "Slamet",
    "Wahyu",
    "Tri",
];
const LAST: &[&str] = &[
    "Aminah",
    "Lestari",
    "Aini",
    "Wahyuni",
    "Putra",
    "Wirawan",
    "Arsana",
    "Salim",
    "Santoso",
    "Hidayat",
    "Manurung",
    "Lumban",
    "Rahmawati",
    "Dewi",
    "Saputra",
    "Kurniawan",
    "Setiawan",
    "Susanti",
    "Pratama",
    "Nugroho",
    "Handayani",
    "Sari",
    "Siregar",
    "Harahap",
    "Sembiring",
];
const ROLES: &[&str] = &[
    "ketua PKK",
    "kelompok tani",
    "kelompok wanita tani",
    "pemuda",
    "tokoh agama",
    "kader posyandu",
    "ketua RT",
    "BPD",
];
const WORDS: &[&str] = &[
    "warga",
    "dusun",
    "jalan",
    "irigasi",
    "sawah",
    "panen",
    "pasar",
    "musim",
    "hujan",
    "dana",
    "desa",
    "perbaikan",
    "usulan",
    "kelompok",
    "tani",
    "pelatihan",
    "air",
    "bersih",
    "sekolah",
    "posyandu",
    "anak",
    "ibu",
    "bantuan",
    "bibit",
    "pupuk",
    "harga",
    "cabai",
    "kopi",
    "lada",
    "jembatan",
    "rusak",
    "sejak",
    "bulan",
    "lalu",
    "meminta",
    "agar",
    "segera",
    "ditangani",
    "bersama",
    "pemerintah",
    "kecamatan",
    "gotong",
    "royong",
    "swadaya",
    "anggaran",
    "tahun",
];
const TOPICS: &[&str] = &[
    "Budidaya cabai organik",
    "Pengolahan hasil panen",
    "Anyaman bambu",
    "Pembukuan usaha mikro",
    "Pupuk kompos",
    "Pemasaran daring",
    "Budidaya lele",
];

/// A person with a plausible name, gender and dusun.
fn person(rng: &mut StdRng) -> Person {
    Person {
        name: format!(
            "{} {}",
            FIRST.choose(rng).copied().unwrap_or("Siti"),
            LAST.choose(rng).copied().unwrap_or("Aminah")
        ),
        gender: Some(if rng.random_bool(0.5) {
            Gender::F
        } else {
            Gender::M
        }),
        dusun: Some(["I", "II", "III", "IV", "V"][rng.random_range(0..5)].to_owned()),
    }
}

/// `n` distinct people (same name and dusun would be one person, so retry on a clash).
fn people(rng: &mut StdRng, n: usize) -> Vec<Person> {
    let mut seen = std::collections::HashSet::new();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let p = person(rng);
        let key = balai_shared::model::PersonKey::of(&p.name, p.dusun.as_deref());
        if seen.insert(key) {
            out.push(p);
        } else {
            // Make the clash unique instead of looping for long on a small name pool.
            let mut p = p;
            p.name = format!("{} {}", p.name, out.len());
            if seen.insert(balai_shared::model::PersonKey::of(
                &p.name,
                p.dusun.as_deref(),
            )) {
                out.push(p);
            }
        }
    }
    out
}

/// A sentence of `words` words.
fn sentence(rng: &mut StdRng, words: usize) -> String {
    let mut s: Vec<&str> = (0..words)
        .map(|_| WORDS.choose(rng).copied().unwrap_or("warga"))
        .collect();
    let first = s.first().map(|w| {
        let mut c = w.chars();
        c.next()
            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
            .unwrap_or_default()
    });
    let mut out = String::new();
    if let Some(f) = first {
        out.push_str(&f);
        s.remove(0);
    }
    for w in s {
        out.push(' ');
        out.push_str(w);
    }
    out.push('.');
    out
}

fn date(rng: &mut StdRng) -> String {
    format!(
        "2026-{:02}-{:02}",
        rng.random_range(1..=12),
        rng.random_range(1..=28)
    )
}

/// The shape of a training to record.
#[derive(Clone, Copy, Debug)]
pub struct TrainingShape {
    pub participants: usize,
    pub sessions: usize,
    /// Share of participants checked in to each session.
    pub attendance: f64,
}

impl TrainingShape {
    /// DESIGN.md's benchmark training: 10 participants, all checked in to 2 sessions (20
    /// check-ins).
    pub const TWENTY_CHECK_INS: TrainingShape = TrainingShape {
        participants: 10,
        sessions: 2,
        attendance: 1.0,
    };

    /// A village training as the issue describes it: 20–40 participants over 1–4 sessions.
    pub fn realistic(rng: &mut StdRng) -> Self {
        Self {
            participants: rng.random_range(20..=40),
            sessions: rng.random_range(1..=4),
            attendance: 0.8,
        }
    }
}

/// Record a training in `doc`: creation, one enrollment per participant, one check-in per
/// attendance. Returns the number of automerge changes made.
pub fn training(
    doc: &mut Automerge,
    village: &VillageCode,
    shape: TrainingShape,
    by: &str,
    rng: &mut StdRng,
) -> anyhow::Result<u64> {
    let sessions: Vec<String> = (0..shape.sessions)
        .map(|i| format!("2026-{:02}-{:02}", 1 + i / 4, 1 + 7 * (i % 4)))
        .collect();
    training::create(
        doc,
        village,
        &training::NewTraining {
            topic: TOPICS.choose(rng).copied().unwrap_or("Pupuk").to_owned(),
            category: Some("pertanian".into()),
            trainer: Some(person(rng).name),
            sessions,
        },
    )?;
    let mut changes = 1;
    let people = people(rng, shape.participants);
    for p in &people {
        training::enroll(doc, p)?;
        changes += 1;
    }
    for s in 1..=shape.sessions {
        for p in &people {
            if shape.attendance >= 1.0 || rng.random_bool(shape.attendance) {
                training::check_in(doc, s as u32, &p.name, p.dusun.as_deref(), by)?;
                changes += 1;
            }
        }
    }
    Ok(changes)
}

/// Record forum minutes: 30–80 attendees, agenda, proposals with supporters, decisions,
/// follow-ups and a few KB of notes. Returns the number of changes made.
pub fn minutes(
    doc: &mut Automerge,
    village: &VillageCode,
    rng: &mut StdRng,
) -> anyhow::Result<u64> {
    minutes::create(
        doc,
        village,
        &minutes::NewMinutes {
            title: format!("Musyawarah {}", sentence(rng, 4)),
            date: date(rng),
            place: Some("Balai Desa".into()),
            facilitator: Some(person(rng).name),
        },
    )?;
    let mut changes = 1;
    for _ in 0..rng.random_range(3..=6) {
        minutes::add_agenda_item(doc, &sentence(rng, 6))?;
        changes += 1;
    }
    let count = rng.random_range(30..=80);
    let attendees = people(rng, count);
    for p in &attendees {
        let role = if rng.random_bool(0.3) {
            ROLES.choose(rng).copied()
        } else {
            None
        };
        minutes::attend(doc, p, role)?;
        changes += 1;
    }
    // A few KB of notes, a paragraph at a time, as typed during the forum.
    let target = rng.random_range(2_000..=5_000);
    let mut written = 0;
    while written < target {
        let paragraph: Vec<String> = (0..rng.random_range(3..=6))
            .map(|_| {
                let words = rng.random_range(8..=16);
                sentence(rng, words)
            })
            .collect();
        let paragraph = paragraph.join(" ");
        written += paragraph.len() + 1;
        minutes::append_note(doc, &paragraph)?;
        changes += 1;
    }
    for _ in 0..rng.random_range(2..=5) {
        let by = attendees.choose(rng).map(|p| p.name.clone());
        let key = minutes::add_proposal(doc, &sentence(rng, 8), by.as_deref(), Some("medium"))?;
        minutes::support(doc, &key, rng.random_range(1..=30))?;
        changes += 2;
    }
    for _ in 0..rng.random_range(1..=3) {
        minutes::add_decision(doc, &sentence(rng, 10))?;
        changes += 1;
    }
    for _ in 0..rng.random_range(1..=3) {
        let who = attendees
            .choose(rng)
            .map_or_else(|| "Pak Kades".to_owned(), |p| p.name.clone());
        minutes::add_follow_up(doc, &sentence(rng, 5), &who, Some(&date(rng)))?;
        changes += 1;
    }
    minutes::set(doc, minutes::Field::Status, "final")?;
    Ok(changes + 1)
}

/// What one device recorded.
#[derive(Clone, Debug, Default)]
pub struct Recorded {
    pub ids: Vec<DocId>,
    /// Automerge changes made, in total.
    pub changes: u64,
}

/// What to record for one document.
#[derive(Clone, Copy, Debug)]
pub enum Record {
    Training(TrainingShape),
    RealisticTraining,
    Minutes,
}

/// Record `records` into `store`, in `village`, committing `per_batch` documents per durable
/// batch (one fsync each) so that building a large store stays quick.
pub fn record_many(
    store: &Store,
    village: &VillageCode,
    records: &[Record],
    by: &str,
    rng: &mut StdRng,
    per_batch: usize,
) -> anyhow::Result<Recorded> {
    let mut out = Recorded::default();
    for chunk in records.chunks(per_batch.max(1)) {
        let changes = store.batch(|b| -> anyhow::Result<u64> {
            let mut changes = 0;
            for record in chunk {
                let kind = match record {
                    Record::Minutes => DocKind::Minutes,
                    _ => DocKind::Training,
                };
                let id = DocId::generate(kind, village.clone());
                let doc = b.doc_mut(&id)?;
                changes += match *record {
                    Record::Training(shape) => training(doc, village, shape, by, rng)?,
                    Record::RealisticTraining => {
                        let shape = TrainingShape::realistic(rng);
                        training(doc, village, shape, by, rng)?
                    }
                    Record::Minutes => minutes(doc, village, rng)?,
                };
                out.ids.push(id);
            }
            Ok(changes)
        })?;
        out.changes += changes;
    }
    Ok(out)
}

/// One more check-in on an existing training (a participant arriving late): one change.
pub fn late_check_in(store: &Store, id: &DocId, by: &str, rng: &mut StdRng) -> anyhow::Result<()> {
    let p = person(rng);
    store.edit(id, |doc| -> anyhow::Result<()> {
        training::check_in(
            doc,
            1,
            &format!("{} terlambat", p.name),
            p.dusun.as_deref(),
            by,
        )
        .context("check-in")?;
        Ok(())
    })
}

/// A village code for index `i` (`18.01.05.2001`, `18.01.05.2002`, …).
pub fn village(i: usize) -> VillageCode {
    let district = 1 + i / 900;
    let v = 2001 + i % 900;
    format!("18.01.{district:02}.{v}")
        .parse()
        .expect("generated village codes are valid")
}
