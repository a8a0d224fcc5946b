//! Tests of every correction: on one device, and on two devices that edit concurrently (each
//! correction against the edit it is most likely to meet), merged both ways; plus property tests
//! that nothing one device wrote is silently dropped by another's removal.

use automerge::{ActorId, Automerge, ROOT};
use proptest::prelude::*;

use super::minutes::{self, FollowUpEdit, MinutesView, NewMinutes, ProposalEdit, Recorded};
use super::training::{self, NewTraining, TrainingView};
use super::{
    Gender, ModelError, Person, PersonCorrection, SCHEMA_CORRECTIONS, SCHEMA_VERSION, archive,
    fields, summarize, unarchive,
};
use crate::ids::DocId;

fn minutes_id() -> DocId {
    "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B2C"
        .parse()
        .expect("valid id")
}

fn training_id() -> DocId {
    "training/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B2D"
        .parse()
        .expect("valid id")
}

fn device(name: &str) -> ActorId {
    ActorId::from(name.as_bytes())
}

/// A copy of `doc` on another device.
fn fork(doc: &Automerge, name: &str) -> Automerge {
    doc.fork().with_actor(device(name))
}

/// Two devices meet: each gets everything the other has.
fn sync(a: &mut Automerge, b: &mut Automerge) {
    a.merge(&mut b.clone()).expect("merge");
    b.merge(&mut a.clone()).expect("merge");
}

fn person(name: &str, gender: Gender, dusun: &str) -> Person {
    Person {
        name: name.into(),
        gender: Some(gender),
        dusun: Some(dusun.into()),
    }
}

fn new_minutes() -> Automerge {
    let mut doc = Automerge::new().with_actor(device("device-a"));
    minutes::create(
        &mut doc,
        &"18.01.05.2001".parse().expect("valid"),
        &NewMinutes {
            title: "Musyawarah Dusun II".into(),
            date: "2026-11-29".into(),
            place: None,
            facilitator: None,
        },
    )
    .expect("create");
    doc
}

/// Minutes with Siti Aminah (Dusun II) and Made Wirawan (Dusun I) attending.
fn minutes_with_two() -> Automerge {
    let mut doc = new_minutes();
    minutes::attend(
        &mut doc,
        &person("Siti Aminah", Gender::F, "Dusun II"),
        None,
    )
    .expect("attend");
    minutes::attend(
        &mut doc,
        &person("Made Wirawan", Gender::M, "Dusun I"),
        None,
    )
    .expect("attend");
    doc
}

const SITI: &str = "siti-aminah@dusun-ii";

fn mview(doc: &Automerge) -> MinutesView {
    minutes::view(&minutes_id(), doc).expect("view")
}

fn tview(doc: &Automerge) -> TrainingView {
    training::view(&training_id(), doc).expect("view")
}

/// Both replicas show the same minutes; returns the view.
fn agreed_minutes(a: &Automerge, b: &Automerge) -> MinutesView {
    let v = mview(a);
    assert_eq!(v, mview(b), "both devices show the same minutes");
    v
}

fn agreed_training(a: &Automerge, b: &Automerge) -> TrainingView {
    let v = tview(a);
    assert_eq!(v, tview(b), "both devices show the same training");
    v
}

fn schema(doc: &Automerge) -> i64 {
    fields::int_at(doc, &ROOT, "schema")
        .expect("read")
        .unwrap_or(0)
}

fn new_training(sessions: &[&str]) -> Automerge {
    let mut doc = Automerge::new().with_actor(device("device-a"));
    training::create(
        &mut doc,
        &"18.01.05.2001".parse().expect("valid"),
        &NewTraining {
            topic: "Budidaya cabai".into(),
            category: None,
            trainer: None,
            sessions: sessions.iter().map(|s| s.to_string()).collect(),
        },
    )
    .expect("create");
    doc
}

/// A two-session training with Siti (Dusun I) and Budi (Dusun II) enrolled.
fn training_with_two() -> Automerge {
    let mut doc = new_training(&["2026-12-01", "2026-12-08"]);
    training::enroll(&mut doc, &person("Siti", Gender::F, "I")).expect("enroll");
    training::enroll(&mut doc, &person("Budi", Gender::M, "II")).expect("enroll");
    doc
}

fn names<'a>(it: impl IntoIterator<Item = &'a str>) -> Vec<&'a str> {
    let mut v: Vec<&str> = it.into_iter().collect();
    v.sort_unstable();
    v
}

// ---------------------------------------------------------------------------------------------
// Attendees

#[test]
fn removing_an_attendee_hides_them_and_recording_them_again_restores_them() {
    let mut doc = minutes_with_two();
    assert_eq!(
        schema(&doc),
        SCHEMA_VERSION,
        "uncorrected minutes stay schema 1"
    );
    let key = minutes::remove_attendee(&mut doc, "Siti Aminah", Some("Dusun II")).expect("remove");
    assert_eq!(key.as_str(), SITI);
    assert_eq!(
        schema(&doc),
        SCHEMA_CORRECTIONS,
        "a removal raises the schema"
    );

    let v = mview(&doc);
    assert_eq!(
        names(v.attendees.iter().map(|a| a.name.as_str())),
        ["Made Wirawan"]
    );
    assert_eq!(v.removed.attendees.len(), 1);
    assert_eq!(v.removed.attendees[0].entry.key, SITI);
    assert!(v.removed.attendees[0].concurrent_edits.is_empty());
    assert!(v.conflicts.is_empty(), "{:?}", v.conflicts);
    assert_eq!(
        super::summarize(&minutes_id(), &doc)
            .expect("summary")
            .people,
        1,
        "the summary counts live attendees"
    );
    let json = serde_json::to_value(&v).expect("json");
    assert_eq!(json["removed"]["attendees"][0]["key"], SITI);
    assert!(
        json["removed"]["attendees"][0]
            .get("concurrent_edits")
            .is_none()
    );

    assert!(matches!(
        minutes::remove_attendee(&mut doc, SITI, None),
        Err(ModelError::Removed { .. })
    ));
    assert!(matches!(
        minutes::correct_attendee(
            &mut doc,
            SITI,
            None,
            &PersonCorrection {
                gender: Some(Gender::M),
                ..Default::default()
            }
        ),
        Err(ModelError::Removed { .. })
    ));

    let again = minutes::attend(
        &mut doc,
        &person("siti aminah", Gender::F, "dusun ii"),
        None,
    )
    .expect("attend");
    assert_eq!(again, Recorded::Added(super::PersonKey(SITI.into())));
    let v = mview(&doc);
    assert_eq!(v.attendees.len(), 2);
    assert!(v.removed.is_empty());
}

#[test]
fn removing_someone_not_there_says_who_is() {
    let mut doc = minutes_with_two();
    let err = minutes::remove_attendee(&mut doc, "Wayan", None).expect_err("nobody");
    assert!(matches!(err, ModelError::NoSuchPerson { .. }), "{err:?}");
    let text = err.to_string();
    assert!(
        text.contains("no attendee `Wayan` in these minutes") && text.contains(SITI),
        "{text}"
    );
    assert!(matches!(
        minutes::remove_attendee(&mut doc, " ", None),
        Err(ModelError::Empty { .. })
    ));
    // Two Sitis: the name alone is ambiguous, the dusun or the key says which.
    minutes::attend(&mut doc, &person("Siti Aminah", Gender::F, "Dusun I"), None).expect("attend");
    assert!(matches!(
        minutes::remove_attendee(&mut doc, "Siti Aminah", None),
        Err(ModelError::AmbiguousPerson { count: 2, .. })
    ));
    minutes::remove_attendee(&mut doc, SITI, None).expect("by key");
    // With one of them removed, the name means the live one.
    minutes::remove_attendee(&mut doc, "Siti Aminah", None).expect("by name");
    assert_eq!(mview(&doc).attendees.len(), 1);
}

#[test]
fn an_attendee_removed_while_another_device_corrects_their_gender_keeps_the_correction_visible() {
    let mut a = minutes_with_two();
    let mut b = fork(&a, "device-b");
    minutes::remove_attendee(&mut a, SITI, None).expect("remove");
    minutes::correct_attendee(
        &mut b,
        "Siti Aminah",
        Some("Dusun II"),
        &PersonCorrection {
            gender: Some(Gender::M),
            ..Default::default()
        },
    )
    .expect("correct");
    sync(&mut a, &mut b);

    let v = agreed_minutes(&a, &b);
    assert_eq!(
        names(v.attendees.iter().map(|x| x.name.as_str())),
        ["Made Wirawan"]
    );
    let removed = &v.removed.attendees[0];
    assert_eq!(removed.entry.key, SITI);
    assert_eq!(
        removed.entry.gender.as_deref(),
        Some("m"),
        "the correction is kept"
    );
    assert_eq!(removed.concurrent_edits, ["gender=m"]);
    assert_eq!(
        v.conflicts.get(&format!("removed.attendees.{SITI}")),
        Some(["gender=m".to_owned()].as_slice()),
        "and reported where every conflict is"
    );

    // Restoring her brings the correction back with her.
    minutes::attend(&mut a, &person("Siti Aminah", Gender::M, "Dusun II"), None).expect("attend");
    let v = mview(&a);
    let siti = v
        .attendees
        .iter()
        .find(|x| x.key == SITI)
        .expect("restored");
    assert_eq!(siti.gender.as_deref(), Some("m"));
    assert!(v.conflicts.is_empty(), "{:?}", v.conflicts);
}

#[test]
fn a_removal_sees_what_its_own_device_wrote_before_it() {
    // Both devices remove Siti; B had corrected her role first. Every value was seen by one of
    // the removals, so nothing is reported.
    let mut a = minutes_with_two();
    let mut b = fork(&a, "device-b");
    minutes::remove_attendee(&mut a, SITI, None).expect("remove");
    minutes::attend(
        &mut b,
        &person("Siti Aminah", Gender::F, "Dusun II"),
        Some("ketua PKK"),
    )
    .expect("attend");
    minutes::remove_attendee(&mut b, SITI, None).expect("remove");
    sync(&mut a, &mut b);
    let v = agreed_minutes(&a, &b);
    assert_eq!(v.removed.attendees.len(), 1);
    assert_eq!(
        v.removed.attendees[0].entry.role.as_deref(),
        Some("ketua PKK")
    );
    assert!(v.removed.attendees[0].concurrent_edits.is_empty());
    assert!(v.conflicts.is_empty(), "{:?}", v.conflicts);
}

#[test]
fn a_restore_concurrent_with_a_removal_wins_and_the_removal_is_reported() {
    // A removes Siti and B sees it; C, which has not, removes her too while B records her again.
    let mut a = minutes_with_two();
    let mut c = fork(&a, "device-c");
    let mut b = fork(&a, "device-b");
    minutes::remove_attendee(&mut a, SITI, None).expect("remove");
    sync(&mut a, &mut b);
    minutes::attend(&mut b, &person("Siti Aminah", Gender::F, "Dusun II"), None).expect("attend");
    minutes::remove_attendee(&mut c, SITI, None).expect("remove");
    sync(&mut b, &mut c);

    let v = agreed_minutes(&b, &c);
    assert!(
        v.attendees.iter().any(|x| x.key == SITI),
        "re-recording her is not undone by a removal that did not see it"
    );
    assert_eq!(
        v.conflicts.get(&format!("attendees.{SITI}.removed")),
        Some(["true".to_owned()].as_slice()),
        "the losing removal is reported"
    );
}

#[test]
fn correcting_a_name_keeps_the_key_and_later_records_find_the_same_person() {
    let mut doc = minutes_with_two();
    let key = minutes::correct_attendee(
        &mut doc,
        SITI,
        None,
        &PersonCorrection {
            name: Some("Siti Aminah Rahayu".into()),
            ..Default::default()
        },
    )
    .expect("correct");
    assert_eq!(key.as_str(), SITI, "the key does not move");
    assert_eq!(
        schema(&doc),
        SCHEMA_CORRECTIONS,
        "a renamed person needs a new reader"
    );

    // By the corrected name, and by the old one: the same entry, and the correction stays.
    let by_new = minutes::attend(
        &mut doc,
        &person("Siti Aminah Rahayu", Gender::F, "Dusun II"),
        Some("bendahara"),
    )
    .expect("attend");
    assert_eq!(by_new, Recorded::Updated(key.clone()));
    let by_old = minutes::attend(
        &mut doc,
        &person("Siti Aminah", Gender::F, "Dusun II"),
        None,
    )
    .expect("attend");
    assert_eq!(by_old, Recorded::Updated(key.clone()));
    let v = mview(&doc);
    assert_eq!(v.attendees.len(), 2);
    let siti = v.attendees.iter().find(|x| x.key == SITI).expect("Siti");
    assert_eq!(siti.name, "Siti Aminah Rahayu");
    assert_eq!(siti.role.as_deref(), Some("bendahara"));
    assert!(v.conflicts.is_empty(), "{:?}", v.conflicts);

    // The corrected name finds her for later corrections too, dusun included.
    minutes::correct_attendee(
        &mut doc,
        "Siti Aminah Rahayu",
        None,
        &PersonCorrection {
            dusun: Some("Dusun III".into()),
            ..Default::default()
        },
    )
    .expect("correct");
    let by_dusun = minutes::attend(
        &mut doc,
        &person("Siti Aminah Rahayu", Gender::F, "Dusun III"),
        None,
    )
    .expect("attend");
    assert_eq!(by_dusun, Recorded::Updated(key));
    assert_eq!(mview(&doc).attendees.len(), 2);
}

#[test]
fn a_gender_correction_alone_keeps_the_document_readable_by_older_builds() {
    let mut doc = minutes_with_two();
    minutes::correct_attendee(
        &mut doc,
        "Made Wirawan",
        None,
        &PersonCorrection {
            gender: Some(Gender::F),
            ..Default::default()
        },
    )
    .expect("correct");
    assert_eq!(schema(&doc), SCHEMA_VERSION);
    assert!(matches!(
        minutes::correct_attendee(&mut doc, "Made Wirawan", None, &PersonCorrection::default()),
        Err(ModelError::NothingToChange { .. })
    ));
}

#[test]
fn a_correction_to_a_name_someone_else_has_is_refused() {
    let mut doc = minutes_with_two();
    let err = minutes::correct_attendee(
        &mut doc,
        "Made Wirawan",
        None,
        &PersonCorrection {
            name: Some("Siti Aminah".into()),
            dusun: Some("Dusun II".into()),
            ..Default::default()
        },
    )
    .expect_err("two entries for one person");
    assert!(
        matches!(&err, ModelError::PersonExists { key, .. } if key == SITI),
        "{err:?}"
    );
}

#[test]
fn a_name_corrected_on_one_device_while_another_records_the_old_name_stays_one_person() {
    let mut a = minutes_with_two();
    let mut b = fork(&a, "device-b");
    minutes::correct_attendee(
        &mut a,
        SITI,
        None,
        &PersonCorrection {
            name: Some("Siti Aminah Rahayu".into()),
            ..Default::default()
        },
    )
    .expect("correct");
    minutes::attend(
        &mut b,
        &person("Siti Aminah", Gender::F, "Dusun II"),
        Some("bendahara"),
    )
    .expect("attend");
    sync(&mut a, &mut b);

    let v = agreed_minutes(&a, &b);
    assert_eq!(v.attendees.len(), 2, "no duplicate: {:?}", v.attendees);
    let siti = v.attendees.iter().find(|x| x.key == SITI).expect("Siti");
    assert_eq!(siti.name, "Siti Aminah Rahayu", "the correction holds");
    assert_eq!(siti.role.as_deref(), Some("bendahara"), "B's record holds");
    assert!(v.conflicts.is_empty(), "{:?}", v.conflicts);

    // After the sync, B recording her by the old name still finds her.
    let again = minutes::attend(&mut b, &person("Siti Aminah", Gender::F, "Dusun II"), None)
        .expect("attend");
    assert!(matches!(again, Recorded::Updated(_)));
    assert_eq!(mview(&b).attendees.len(), 2);
}

#[test]
fn one_name_corrected_differently_on_two_devices_is_a_reported_conflict() {
    let mut a = minutes_with_two();
    let mut b = fork(&a, "device-b");
    for (doc, name) in [(&mut a, "Siti Aminah R."), (&mut b, "Sitti Aminah")] {
        minutes::correct_attendee(
            doc,
            SITI,
            None,
            &PersonCorrection {
                name: Some(name.into()),
                ..Default::default()
            },
        )
        .expect("correct");
    }
    sync(&mut a, &mut b);
    let v = agreed_minutes(&a, &b);
    let siti = v.attendees.iter().find(|x| x.key == SITI).expect("Siti");
    let lost = v
        .conflicts
        .get(&format!("attendees.{SITI}.name"))
        .expect("conflict");
    let mut both = vec![siti.name.clone(), lost[0].clone()];
    both.sort();
    assert_eq!(both, ["Siti Aminah R.", "Sitti Aminah"]);

    // Typing the winning name again settles it: one value, seen over both, on every device.
    let winner = siti.name.clone();
    minutes::correct_attendee(
        &mut a,
        &winner,
        None,
        &PersonCorrection {
            name: Some(winner.clone()),
            ..Default::default()
        },
    )
    .expect("settle");
    sync(&mut a, &mut b);
    let v = agreed_minutes(&a, &b);
    assert!(v.conflicts.get(&format!("attendees.{SITI}.name")).is_none());
    let siti = v.attendees.iter().find(|x| x.key == SITI).expect("Siti");
    assert_eq!(siti.name, winner);
}

// ---------------------------------------------------------------------------------------------
// Agenda, decisions, proposals, follow-ups

#[test]
fn agenda_items_and_decisions_are_edited_removed_and_restored_by_number() {
    let mut doc = new_minutes();
    for item in ["Pembukaan", "Jalan dusun", "Pasar"] {
        minutes::add_agenda_item(&mut doc, item).expect("agenda");
    }
    minutes::add_decision(&mut doc, "Jalan diperbaiki").expect("decision");

    minutes::edit_agenda_item(&mut doc, 2, "Perbaikan jalan dusun").expect("edit");
    minutes::remove_agenda_item(&mut doc, 1).expect("remove");
    let v = mview(&doc);
    assert_eq!(v.agenda, ["Perbaikan jalan dusun", "Pasar"]);
    assert_eq!(v.removed.agenda[0].entry.text, "Pembukaan");
    // Numbers are those of the live list now: 1 is "Perbaikan jalan dusun".
    minutes::edit_agenda_item(&mut doc, 1, "Jalan dusun II").expect("edit");
    assert!(matches!(
        minutes::edit_agenda_item(&mut doc, 3, "x"),
        Err(ModelError::NoSuchItem { count: 2, .. })
    ));
    assert!(matches!(
        minutes::edit_agenda_item(&mut doc, 0, "x"),
        Err(ModelError::NoSuchItem { .. })
    ));
    assert!(matches!(
        minutes::edit_agenda_item(&mut doc, 1, "  "),
        Err(ModelError::Empty { .. })
    ));
    minutes::restore_agenda_item(&mut doc, 1).expect("restore");
    assert_eq!(mview(&doc).agenda, ["Pembukaan", "Jalan dusun II", "Pasar"]);

    minutes::edit_decision(&mut doc, 1, "Jalan diperbaiki bulan Desember").expect("edit");
    minutes::remove_decision(&mut doc, 1).expect("remove");
    let v = mview(&doc);
    assert!(v.decisions.is_empty());
    assert_eq!(
        v.removed.decisions[0].entry.text,
        "Jalan diperbaiki bulan Desember"
    );
    minutes::restore_decision(&mut doc, 1).expect("restore");
    assert_eq!(mview(&doc).decisions, ["Jalan diperbaiki bulan Desember"]);
    assert!(mview(&doc).conflicts.is_empty());
}

#[test]
fn an_agenda_item_removed_while_another_device_edits_it_keeps_the_edit() {
    let mut a = new_minutes();
    minutes::add_agenda_item(&mut a, "Pembukaan").expect("agenda");
    minutes::add_agenda_item(&mut a, "Jalan dusun").expect("agenda");
    let mut b = fork(&a, "device-b");
    minutes::remove_agenda_item(&mut a, 2).expect("remove");
    minutes::edit_agenda_item(&mut b, 2, "Perbaikan jalan dusun").expect("edit");
    // And a concurrent insertion before it does not redirect either.
    minutes::add_agenda_item(&mut b, "Lain-lain").expect("agenda");
    sync(&mut a, &mut b);

    let v = agreed_minutes(&a, &b);
    assert_eq!(v.agenda, ["Pembukaan", "Lain-lain"]);
    assert_eq!(v.removed.agenda[0].entry.text, "Perbaikan jalan dusun");
    assert_eq!(
        v.removed.agenda[0].concurrent_edits,
        ["text=Perbaikan jalan dusun"]
    );
    assert!(v.conflicts.get("removed.agenda.1").is_some());
}

#[test]
fn one_decision_edited_on_two_devices_is_a_reported_conflict() {
    let mut a = new_minutes();
    minutes::add_decision(&mut a, "Pasar dibangun").expect("decision");
    let mut b = fork(&a, "device-b");
    minutes::edit_decision(&mut a, 1, "Pasar dibangun tahun depan").expect("edit");
    minutes::edit_decision(&mut b, 1, "Pasar dibangun dekat jalan").expect("edit");
    sync(&mut a, &mut b);
    let v = agreed_minutes(&a, &b);
    assert_eq!(v.decisions.len(), 1);
    let lost = v.conflicts.get("decisions.1.text").expect("conflict");
    assert_eq!(lost.len(), 1);
    assert_ne!(lost[0], v.decisions[0]);
}

#[test]
fn proposals_and_follow_ups_are_edited_removed_and_restored() {
    let mut doc = new_minutes();
    let p = minutes::add_proposal(&mut doc, "Perbaikan jalan", None, None).expect("propose");
    minutes::edit_proposal(
        &mut doc,
        &p,
        &ProposalEdit {
            text: Some("Perbaikan jalan dusun II".into()),
            priority: Some("High".into()),
            ..Default::default()
        },
    )
    .expect("edit");
    assert!(matches!(
        minutes::edit_proposal(
            &mut doc,
            &p,
            &ProposalEdit {
                priority: Some("urgent".into()),
                ..Default::default()
            }
        ),
        Err(ModelError::BadChoice { .. })
    ));
    assert!(matches!(
        minutes::edit_proposal(&mut doc, &p, &ProposalEdit::default()),
        Err(ModelError::NothingToChange { .. })
    ));
    assert!(matches!(
        minutes::remove_proposal(&mut doc, "nope"),
        Err(ModelError::NotFound { .. })
    ));
    minutes::support(&mut doc, &p, 4).expect("support");
    minutes::remove_proposal(&mut doc, &p).expect("remove");
    assert!(matches!(
        minutes::support(&mut doc, &p, 1),
        Err(ModelError::RemovedItem { .. })
    ));
    let v = mview(&doc);
    assert!(v.proposals.is_empty());
    assert_eq!(v.removed.proposals[0].entry.support, 4);
    minutes::restore_proposal(&mut doc, &p).expect("restore");
    let v = mview(&doc);
    assert_eq!(v.proposals[0].text, "Perbaikan jalan dusun II");
    assert_eq!(v.proposals[0].priority.as_deref(), Some("high"));

    let f = minutes::add_follow_up(&mut doc, "Survei", "Pak Kades", None).expect("follow-up");
    minutes::edit_follow_up(
        &mut doc,
        &f,
        &FollowUpEdit {
            due: Some("2026-12-15".into()),
            who: Some("Bu Sekdes".into()),
            ..Default::default()
        },
    )
    .expect("edit");
    assert!(matches!(
        minutes::edit_follow_up(
            &mut doc,
            &f,
            &FollowUpEdit {
                due: Some("15/12/2026".into()),
                ..Default::default()
            }
        ),
        Err(ModelError::BadDate { .. })
    ));
    minutes::remove_follow_up(&mut doc, &f).expect("remove");
    assert!(matches!(
        minutes::set_follow_up_status(&mut doc, &f, "done"),
        Err(ModelError::RemovedItem { .. })
    ));
    assert!(mview(&doc).follow_ups.is_empty());
    minutes::restore_follow_up(&mut doc, &f).expect("restore");
    let v = mview(&doc);
    assert_eq!(v.follow_ups[0].who.as_deref(), Some("Bu Sekdes"));
    assert_eq!(v.follow_ups[0].due.as_deref(), Some("2026-12-15"));
    assert!(v.removed.is_empty() && v.conflicts.is_empty());
}

#[test]
fn a_proposal_removed_while_another_device_counts_supporters_keeps_the_count() {
    let mut a = new_minutes();
    let p = minutes::add_proposal(&mut a, "Perbaikan jalan", None, None).expect("propose");
    minutes::support(&mut a, &p, 3).expect("support");
    let mut b = fork(&a, "device-b");
    minutes::remove_proposal(&mut a, &p).expect("remove");
    minutes::support(&mut b, &p, 2).expect("support");
    sync(&mut a, &mut b);

    let v = agreed_minutes(&a, &b);
    assert!(v.proposals.is_empty());
    let removed = &v.removed.proposals[0];
    assert_eq!(removed.entry.support, 5, "B's supporters are counted");
    assert_eq!(removed.concurrent_edits, ["support +2"]);
    assert_eq!(
        v.conflicts.get(&format!("removed.proposals.{p}")),
        Some(["support +2".to_owned()].as_slice())
    );
    minutes::restore_proposal(&mut b, &p).expect("restore");
    assert_eq!(mview(&b).proposals[0].support, 5);
}

#[test]
fn a_follow_up_removed_while_another_device_changes_its_status_keeps_the_status() {
    let mut a = new_minutes();
    let f = minutes::add_follow_up(&mut a, "Survei lokasi", "Pak Kades", None).expect("add");
    let mut b = fork(&a, "device-b");
    minutes::remove_follow_up(&mut a, &f).expect("remove");
    minutes::set_follow_up_status(&mut b, &f, "done").expect("status");
    sync(&mut a, &mut b);

    let v = agreed_minutes(&a, &b);
    assert!(v.follow_ups.is_empty());
    let removed = &v.removed.follow_ups[0];
    assert_eq!(removed.entry.status.as_deref(), Some("done"));
    assert_eq!(removed.concurrent_edits, ["status=done"]);
    assert!(
        v.conflicts
            .get(&format!("removed.follow_ups.{f}"))
            .is_some()
    );
}

// ---------------------------------------------------------------------------------------------
// Participants and check-ins

#[test]
fn removing_a_participant_hides_their_check_ins_until_they_are_enrolled_again() {
    let mut doc = training_with_two();
    training::check_in(&mut doc, 1, "Budi", None, "hp-a").expect("check in");
    let key = training::remove_participant(&mut doc, "Budi", None).expect("remove");
    assert_eq!(key.as_str(), "budi@ii");

    let v = tview(&doc);
    assert_eq!(
        names(v.participants.iter().map(|p| p.name.as_str())),
        ["Siti"]
    );
    assert!(
        v.sessions[0].attended.is_empty(),
        "a removed participant is not counted"
    );
    assert_eq!(v.sessions[0].removed_check_ins[0].key, "budi@ii");
    assert_eq!(v.removed.participants[0].entry.key, "budi@ii");
    assert!(v.removed.participants[0].concurrent_edits.is_empty());
    assert!(v.conflicts.is_empty());
    assert!(matches!(
        training::undo_check_in(&mut doc, 1, "budi@ii", None),
        Err(ModelError::Removed { .. })
    ));

    let again = training::enroll(&mut doc, &person("Budi", Gender::M, "II")).expect("enroll");
    assert!(matches!(again, Recorded::Added(_)));
    let v = tview(&doc);
    assert_eq!(
        v.sessions[0].attended[0].key, "budi@ii",
        "the check-in is back"
    );
    assert!(v.removed.is_empty());
}

#[test]
fn a_participant_removed_while_another_device_checks_them_in_keeps_the_check_in_visible() {
    let mut a = training_with_two();
    let mut b = fork(&a, "device-b");
    training::remove_participant(&mut a, "Budi", Some("II")).expect("remove");
    training::check_in(&mut b, 1, "Budi", None, "hp-b").expect("check in");
    sync(&mut a, &mut b);

    let v = agreed_training(&a, &b);
    assert!(v.participants.iter().all(|p| p.key != "budi@ii"));
    assert!(v.sessions[0].attended.is_empty());
    assert_eq!(v.sessions[0].removed_check_ins[0].checked_in_by, "hp-b");
    let removed = &v.removed.participants[0];
    assert_eq!(removed.concurrent_edits, ["check-in session 1 by hp-b"]);
    assert_eq!(
        v.conflicts.get("removed.participants.budi@ii"),
        Some(["check-in session 1 by hp-b".to_owned()].as_slice())
    );

    // Checking him in again (he is there) restores him, with B's check-in.
    let c = training::check_in(&mut a, 2, "Budi", None, "hp-a").expect("check in");
    assert!(c.walk_in && !c.already);
    let v = tview(&a);
    assert_eq!(v.sessions[0].attended[0].checked_in_by, "hp-b");
    assert_eq!(v.sessions[1].attended[0].key, "budi@ii");
}

#[test]
fn a_check_in_to_a_session_added_while_the_participant_was_removed_is_reported() {
    let mut a = training_with_two();
    let mut b = fork(&a, "device-b");
    training::remove_participant(&mut a, "Siti", None).expect("remove");
    let added = training::add_session(&mut b, "2026-12-15").expect("add");
    training::check_in(&mut b, added.number, "Siti", None, "hp-b").expect("check in");
    sync(&mut a, &mut b);
    let v = agreed_training(&a, &b);
    assert_eq!(
        v.removed.participants[0].concurrent_edits,
        ["check-in session 3 by hp-b"]
    );
}

#[test]
fn undoing_a_check_in_keeps_a_concurrent_check_in_by_another_device() {
    let mut a = training_with_two();
    let mut b = fork(&a, "device-b");
    training::check_in(&mut a, 1, "Siti", None, "hp-a").expect("check in");
    training::undo_check_in(&mut a, 1, "Siti", None).expect("undo");
    assert!(tview(&a).sessions[0].attended.is_empty());
    training::check_in(&mut b, 1, "Siti", None, "hp-b").expect("check in");
    sync(&mut a, &mut b);

    let v = agreed_training(&a, &b);
    let attended = &v.sessions[0].attended;
    assert_eq!(attended.len(), 1, "B saw her there: its check-in stays");
    assert_eq!(attended[0].checked_in_by, "hp-b");
    assert!(v.conflicts.is_empty());
}

#[test]
fn an_undo_concurrent_with_a_check_in_that_found_the_person_already_there_wins() {
    // B's second check-in wrote nothing (she was already checked in), so the undo meets nothing.
    let mut a = training_with_two();
    training::check_in(&mut a, 1, "Siti", None, "hp-a").expect("check in");
    let mut b = fork(&a, "device-b");
    training::undo_check_in(&mut a, 1, "siti@i", None).expect("undo");
    let again = training::check_in(&mut b, 1, "Siti", None, "hp-b").expect("check in");
    assert!(again.already);
    sync(&mut a, &mut b);
    assert!(agreed_training(&a, &b).sessions[0].attended.is_empty());
}

#[test]
fn undo_check_in_needs_a_check_in_and_a_session() {
    let mut doc = training_with_two();
    assert!(matches!(
        training::undo_check_in(&mut doc, 1, "Siti", None),
        Err(ModelError::NotCheckedIn { session: 1, .. })
    ));
    assert!(matches!(
        training::undo_check_in(&mut doc, 3, "Siti", None),
        Err(ModelError::NoSuchSession {
            session: 3,
            count: 2
        })
    ));
    assert!(matches!(
        training::undo_check_in(&mut doc, 1, "Wayan", None),
        Err(ModelError::NoSuchPerson { .. })
    ));
}

#[test]
fn a_corrected_participant_keeps_their_check_ins_and_is_found_by_either_name() {
    let mut doc = training_with_two();
    training::check_in(&mut doc, 1, "Budi", None, "hp-a").expect("check in");
    let key = training::correct_participant(
        &mut doc,
        "Budi",
        None,
        &PersonCorrection {
            name: Some("Budi Santoso".into()),
            dusun: Some("III".into()),
            gender: None,
        },
    )
    .expect("correct");
    let v = tview(&doc);
    assert_eq!(v.sessions[0].attended[0].name, "Budi Santoso");
    let by_new = training::check_in(&mut doc, 1, "Budi Santoso", None, "hp-a").expect("check in");
    assert_eq!((by_new.key.clone(), by_new.already), (key.clone(), true));
    let by_new_dusun =
        training::check_in(&mut doc, 2, "Budi Santoso", Some("III"), "hp-a").expect("check in");
    assert_eq!((&by_new_dusun.key, by_new_dusun.walk_in), (&key, false));
    let by_old = training::check_in(&mut doc, 2, "Budi", Some("II"), "hp-a").expect("check in");
    assert_eq!((&by_old.key, by_old.already), (&key, true));
    let enrolled =
        training::enroll(&mut doc, &person("Budi Santoso", Gender::M, "III")).expect("enroll");
    assert_eq!(enrolled, Recorded::Updated(key));
    assert_eq!(tview(&doc).participants.len(), 2);
}

#[test]
fn a_check_in_of_a_name_without_a_usable_key_is_refused() {
    let mut doc = training_with_two();
    assert!(matches!(
        training::check_in(&mut doc, 1, "!!!", None, "hp-a"),
        Err(ModelError::Empty { field: "name" })
    ));
}

// ---------------------------------------------------------------------------------------------
// Sessions

#[test]
fn a_session_added_later_is_numbered_after_the_others_and_takes_check_ins() {
    let mut doc = training_with_two();
    let added = training::add_session(&mut doc, "2026-11-24").expect("add");
    assert_eq!(
        added.number, 3,
        "numbered by key, not by date: numbers already used stay"
    );
    assert!(added.key.starts_with("003-"), "{}", added.key);
    assert_eq!(schema(&doc), SCHEMA_CORRECTIONS);
    training::check_in(&mut doc, 3, "Siti", None, "hp-a").expect("check in");
    let next = training::add_session(&mut doc, "2026-12-22").expect("add");
    assert!(next.key.starts_with("004-"), "{}", next.key);
    let v = tview(&doc);
    let numbers: Vec<u32> = v.sessions.iter().map(|s| s.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    assert_eq!(v.sessions[2].date, "2026-11-24");
    assert_eq!(v.sessions[2].attended[0].key, "siti@i");
    assert_eq!(v.sessions[0].key, "001");
    assert!(matches!(
        training::add_session(&mut doc, "2026-02-30"),
        Err(ModelError::BadDate { .. })
    ));

    // Postponing a session changes its date, not its number.
    training::set_session_date(&mut doc, 1, "2026-12-29").expect("date");
    assert!(matches!(
        training::set_session_date(&mut doc, 1, "29-12-2026"),
        Err(ModelError::BadDate { .. })
    ));
    let v = tview(&doc);
    assert_eq!(
        (v.sessions[0].number, v.sessions[0].date.as_str()),
        (1, "2026-12-29")
    );
    assert!(v.conflicts.is_empty());
}

#[test]
fn sessions_added_on_two_devices_at_once_are_both_kept() {
    let mut a = training_with_two();
    let mut b = fork(&a, "device-b");
    let on_a = training::add_session(&mut a, "2026-12-15").expect("add");
    let on_b = training::add_session(&mut b, "2026-12-22").expect("add");
    assert_eq!(
        (on_a.number, on_b.number),
        (3, 3),
        "each device numbers its own 3"
    );
    assert_ne!(
        on_a.key, on_b.key,
        "but they are filed under different keys"
    );
    training::check_in(&mut a, 3, "Siti", None, "hp-a").expect("check in");
    training::check_in(&mut b, 3, "Budi", None, "hp-b").expect("check in");
    sync(&mut a, &mut b);

    let v = agreed_training(&a, &b);
    assert_eq!(v.sessions.len(), 4);
    let numbers: Vec<u32> = v.sessions.iter().map(|s| s.number).collect();
    assert_eq!(numbers, [1, 2, 3, 4]);
    for (added, who) in [(&on_a, "siti@i"), (&on_b, "budi@ii")] {
        let s = v
            .sessions
            .iter()
            .find(|s| s.key == added.key)
            .expect("both sessions are there");
        assert_eq!(s.attended.len(), 1);
        assert_eq!(s.attended[0].key, who, "each keeps its check-in");
    }
    assert!(v.conflicts.is_empty(), "{:?}", v.conflicts);
}

#[test]
fn a_session_date_changed_on_two_devices_is_a_reported_conflict() {
    let mut a = training_with_two();
    let mut b = fork(&a, "device-b");
    training::set_session_date(&mut a, 2, "2026-12-09").expect("date");
    training::set_session_date(&mut b, 2, "2026-12-10").expect("date");
    assert!(matches!(
        training::set_session_date(&mut b, 5, "2026-12-10"),
        Err(ModelError::NoSuchSession { .. })
    ));
    sync(&mut a, &mut b);
    let v = agreed_training(&a, &b);
    let lost = v.conflicts.get("sessions.2.date").expect("conflict");
    let mut both = vec![v.sessions[1].date.clone(), lost[0].clone()];
    both.sort();
    assert_eq!(both, ["2026-12-09", "2026-12-10"]);
    assert_eq!(
        schema(&a),
        SCHEMA_VERSION,
        "a date change needs no newer reader"
    );
}

#[test]
fn sessions_keyed_by_plain_numbers_read_and_check_in_in_number_order() {
    // As another client might write them: "1", "2", "10" (text order would put 10 second).
    let mut doc = Automerge::new().with_actor(device("js-client"));
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        use automerge::ObjType;
        use automerge::transaction::Transactable;
        tx.put(ROOT, "kind", "training")?;
        tx.put(ROOT, "schema", 1)?;
        tx.put(ROOT, "topic", "Menjahit")?;
        tx.put_object(ROOT, "participants", ObjType::Map)?;
        let sessions = tx.put_object(ROOT, "sessions", ObjType::Map)?;
        let attendance = tx.put_object(ROOT, "attendance", ObjType::Map)?;
        for (key, date) in [
            ("1", "2026-12-01"),
            ("2", "2026-12-08"),
            ("10", "2026-12-15"),
        ] {
            let s = tx.put_object(&sessions, key, ObjType::Map)?;
            tx.put(&s, "date", date)?;
            tx.put_object(&attendance, key, ObjType::Map)?;
        }
        Ok(())
    })
    .expect("write");
    training::check_in(&mut doc, 3, "Ani", None, "hp-a").expect("check in");
    let v = tview(&doc);
    let dates: Vec<&str> = v.sessions.iter().map(|s| s.date.as_str()).collect();
    assert_eq!(dates, ["2026-12-01", "2026-12-08", "2026-12-15"]);
    assert_eq!(v.sessions[2].key, "10");
    assert_eq!(v.sessions[2].attended[0].name, "Ani");
    let added = training::add_session(&mut doc, "2026-12-22").expect("add");
    assert!(added.key.starts_with("011-"), "{}", added.key);
    assert_eq!(added.number, 4);
}

#[test]
fn a_training_takes_at_most_max_sessions() {
    let dates: Vec<String> = (0..training::MAX_SESSIONS)
        .map(|i| {
            let day = jiff::civil::date(2026, 1, 1)
                .checked_add(jiff::Span::new().days(i64::try_from(i).expect("small")))
                .expect("date");
            day.to_string()
        })
        .collect();
    let refs: Vec<&str> = dates.iter().map(String::as_str).collect();
    let mut doc = new_training(&refs);
    assert!(matches!(
        training::add_session(&mut doc, "2027-01-01"),
        Err(ModelError::TooManySessions { .. })
    ));
}

// ---------------------------------------------------------------------------------------------
// Archiving

#[test]
fn an_archived_document_refuses_edits_until_unarchived() {
    let mut doc = minutes_with_two();
    assert!(!mview(&doc).archived);
    assert!(archive(&mut doc).expect("archive"));
    assert!(!archive(&mut doc).expect("archive again"), "nothing to do");
    assert_eq!(schema(&doc), SCHEMA_CORRECTIONS);
    let v = mview(&doc);
    assert!(v.archived);
    assert!(summarize(&minutes_id(), &doc).expect("summary").archived);
    let err =
        minutes::attend(&mut doc, &person("Wayan", Gender::M, "III"), None).expect_err("archived");
    assert!(matches!(err, ModelError::Archived), "{err:?}");
    assert!(matches!(
        minutes::remove_attendee(&mut doc, SITI, None),
        Err(ModelError::Archived)
    ));
    assert!(unarchive(&mut doc).expect("unarchive"));
    minutes::attend(&mut doc, &person("Wayan", Gender::M, "III"), None).expect("attend");
    assert!(!mview(&doc).archived);
    assert!(mview(&doc).conflicts.is_empty());
}

#[test]
fn an_edit_concurrent_with_archiving_is_kept() {
    let mut a = minutes_with_two();
    let mut b = fork(&a, "device-b");
    archive(&mut a).expect("archive");
    minutes::attend(&mut b, &person("Wayan", Gender::M, "III"), None).expect("attend");
    minutes::append_note(&mut b, "Rapat ditutup pukul 12.00.").expect("note");
    sync(&mut a, &mut b);
    let v = agreed_minutes(&a, &b);
    assert!(v.archived);
    assert!(v.attendees.iter().any(|x| x.name == "Wayan"));
    assert!(v.notes.contains("Rapat ditutup"));
    assert!(matches!(
        minutes::append_note(&mut b, "lagi"),
        Err(ModelError::Archived)
    ));

    // Training too; and both devices archiving at once is no conflict.
    let mut a = training_with_two();
    let mut b = fork(&a, "device-b");
    let mut c = fork(&a, "device-c");
    archive(&mut a).expect("archive");
    archive(&mut b).expect("archive");
    training::check_in(&mut c, 1, "Siti", None, "hp-c").expect("check in before it hears");
    sync(&mut a, &mut b);
    sync(&mut a, &mut c);
    let v = agreed_training(&a, &c);
    assert!(v.archived);
    assert_eq!(v.sessions[0].attended[0].checked_in_by, "hp-c");
    assert!(v.conflicts.is_empty(), "{:?}", v.conflicts);
    assert!(summarize(&training_id(), &a).expect("summary").archived);
}

#[test]
fn archived_on_one_device_and_unarchived_on_another_is_a_reported_conflict() {
    let mut a = minutes_with_two();
    archive(&mut a).expect("archive");
    let mut b = fork(&a, "device-b");
    unarchive(&mut a).expect("unarchive");
    // B unarchives and archives again: its `true` is concurrent with A's `false`.
    unarchive(&mut b).expect("unarchive");
    archive(&mut b).expect("archive");
    sync(&mut a, &mut b);
    let v = agreed_minutes(&a, &b);
    let lost = v.conflicts.get("archived").expect("conflict");
    assert_eq!(lost, [(!v.archived).to_string()]);
}

#[test]
fn a_document_newer_than_corrections_is_still_refused() {
    let mut doc = minutes_with_two();
    minutes::remove_attendee(&mut doc, SITI, None).expect("remove");
    doc.transact::<_, _, automerge::AutomergeError>(|tx| {
        use automerge::transaction::Transactable;
        tx.put(ROOT, "schema", SCHEMA_CORRECTIONS + 1)?;
        Ok(())
    })
    .expect("bump");
    assert!(matches!(
        minutes::view(&minutes_id(), &doc),
        Err(ModelError::NewerSchema { .. })
    ));
    assert!(matches!(
        archive(&mut doc),
        Err(ModelError::NewerSchema { .. })
    ));
}

/// Run `e`, which must succeed as exactly one change.
fn one_change(
    doc: &mut Automerge,
    what: &str,
    e: impl FnOnce(&mut Automerge) -> Result<(), ModelError>,
) {
    let before = doc.get_changes(&[]).len();
    e(doc).expect(what);
    assert_eq!(doc.get_changes(&[]).len(), before + 1, "{what}");
}

#[test]
fn each_correction_is_one_change() {
    let mut doc = minutes_with_two();
    minutes::add_agenda_item(&mut doc, "Pembukaan").expect("agenda");
    let p = minutes::add_proposal(&mut doc, "Jalan", None, None).expect("propose");
    let f = minutes::add_follow_up(&mut doc, "Survei", "Pak RT", None).expect("follow-up");
    let fix = PersonCorrection {
        name: Some("Made W.".into()),
        ..Default::default()
    };
    let d = &mut doc;
    one_change(d, "correct", |d| {
        minutes::correct_attendee(d, "Made Wirawan", None, &fix).map(drop)
    });
    one_change(d, "remove", |d| {
        minutes::remove_attendee(d, SITI, None).map(drop)
    });
    one_change(d, "edit agenda", |d| {
        minutes::edit_agenda_item(d, 1, "Buka")
    });
    one_change(d, "remove agenda", |d| minutes::remove_agenda_item(d, 1));
    one_change(d, "restore agenda", |d| minutes::restore_agenda_item(d, 1));
    one_change(d, "edit proposal", |d| {
        let text = Some("Jalan dusun".into());
        minutes::edit_proposal(
            d,
            &p,
            &ProposalEdit {
                text,
                ..Default::default()
            },
        )
    });
    one_change(d, "remove proposal", |d| minutes::remove_proposal(d, &p));
    one_change(d, "restore proposal", |d| minutes::restore_proposal(d, &p));
    one_change(d, "remove follow-up", |d| minutes::remove_follow_up(d, &f));
    one_change(d, "archive", |d| archive(d).map(drop));
    one_change(d, "unarchive", |d| unarchive(d).map(drop));

    let mut doc = training_with_two();
    let d = &mut doc;
    training::check_in(d, 1, "Siti", None, "hp-a").expect("check in");
    one_change(d, "undo check-in", |d| {
        training::undo_check_in(d, 1, "Siti", None).map(drop)
    });
    one_change(d, "add session", |d| {
        training::add_session(d, "2026-12-15").map(drop)
    });
    one_change(d, "session date", |d| {
        training::set_session_date(d, 3, "2026-12-16")
    });
    one_change(d, "remove participant", |d| {
        training::remove_participant(d, "Budi", None).map(drop)
    });
}

// ---------------------------------------------------------------------------------------------
// Properties: a removal on one device never silently drops what another device wrote.

const POOL: [(&str, &str); 4] = [
    ("Ani", "I"),
    ("Budi", "II"),
    ("Citra", "I"),
    ("Dewi", "III"),
];

/// What device B does to one person of [`POOL`] while device A may remove them.
#[derive(Clone, Debug)]
struct Edit {
    a_removes: bool,
    flip_gender: bool,
    role: Option<u8>,
    b_removes: bool,
}

fn edit() -> impl Strategy<Value = Edit> {
    (
        any::<bool>(),
        any::<bool>(),
        proptest::option::of(0..3u8),
        proptest::bool::weighted(0.2),
    )
        .prop_map(|(a_removes, flip_gender, role, b_removes)| Edit {
            a_removes,
            flip_gender,
            role,
            b_removes,
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    /// A removes some attendees while B corrects some (gender, role) and removes a few itself.
    /// After merging: both replicas agree; a person is removed iff a device removed them; every
    /// value B wrote is in the person's entry, live or removed; and a value B wrote into a person
    /// only A removed is reported as a concurrent edit, in the entry and in `conflicts`.
    #[test]
    fn a_removal_never_silently_drops_a_concurrent_correction(
        edits in proptest::collection::vec(edit(), POOL.len()),
    ) {
        let mut a = new_minutes();
        for (name, dusun) in POOL {
            minutes::attend(&mut a, &person(name, Gender::F, dusun), None).expect("attend");
        }
        let mut b = fork(&a, "device-b");
        for ((name, dusun), e) in POOL.iter().zip(&edits) {
            if e.a_removes {
                minutes::remove_attendee(&mut a, name, Some(dusun)).expect("remove");
            }
            if e.flip_gender {
                let fix = PersonCorrection { gender: Some(Gender::M), ..Default::default() };
                minutes::correct_attendee(&mut b, name, Some(dusun), &fix).expect("correct");
            }
            if let Some(r) = e.role {
                let p = Person { name: (*name).into(), gender: None, dusun: Some((*dusun).into()) };
                minutes::attend(&mut b, &p, Some(&format!("role {r}"))).expect("attend");
            }
            if e.b_removes {
                minutes::remove_attendee(&mut b, name, Some(dusun)).expect("remove");
            }
        }
        sync(&mut a, &mut b);
        let v = agreed_minutes(&a, &b);

        for ((name, dusun), e) in POOL.iter().zip(&edits) {
            let key = super::PersonKey::of(name, Some(dusun));
            let live = v.attendees.iter().find(|x| x.key == key.as_str());
            let removed = v.removed.attendees.iter().find(|x| x.entry.key == key.as_str());
            let entry = match (live, removed) {
                (Some(l), None) => l,
                (None, Some(r)) => &r.entry,
                other => panic!("{name}: listed {other:?}"),
            };
            prop_assert_eq!(removed.is_some(), e.a_removes || e.b_removes, "{}", name);
            let gender = if e.flip_gender { "m" } else { "f" };
            prop_assert_eq!(entry.gender.as_deref(), Some(gender));
            let role = e.role.map(|r| format!("role {r}"));
            prop_assert_eq!(&entry.role, &role);

            let mut expected = Vec::new();
            if e.a_removes && !e.b_removes {
                if e.flip_gender {
                    expected.push("gender=m".to_owned());
                }
                if let Some(r) = &role {
                    expected.push(format!("role={r}"));
                }
            }
            let reported = removed.map(|r| r.concurrent_edits.clone()).unwrap_or_default();
            prop_assert_eq!(&reported, &expected, "{}", name);
            let path = format!("removed.attendees.{}", key.as_str());
            prop_assert_eq!(
                v.conflicts.get(&path).map(<[String]>::to_vec).unwrap_or_default(),
                expected
            );
        }
    }

    /// A removes some participants while B checks people in: every check-in B made is either
    /// counted (the participant is live) or kept apart and reported (A removed them); enrolling
    /// the removed ones again brings every check-in back.
    #[test]
    fn a_check_in_concurrent_with_a_removal_is_counted_or_reported(
        removes in proptest::collection::vec(any::<bool>(), POOL.len()),
        check_ins in proptest::collection::btree_set((0..POOL.len(), 1..=2u32), 0..6),
    ) {
        let mut a = new_training(&["2026-12-01", "2026-12-08"]);
        for (name, dusun) in POOL {
            training::enroll(&mut a, &person(name, Gender::F, dusun)).expect("enroll");
        }
        let mut b = fork(&a, "device-b");
        for ((name, dusun), remove) in POOL.iter().zip(&removes) {
            if *remove {
                training::remove_participant(&mut a, name, Some(dusun)).expect("remove");
            }
        }
        for (who, session) in &check_ins {
            let (name, dusun) = POOL[*who];
            training::check_in(&mut b, *session, name, Some(dusun), "hp-b").expect("check in");
        }
        sync(&mut a, &mut b);
        let v = agreed_training(&a, &b);

        for (who, session) in &check_ins {
            let (name, dusun) = POOL[*who];
            let key = super::PersonKey::of(name, Some(dusun));
            let s = &v.sessions[*session as usize - 1];
            let counted = s.attended.iter().any(|c| c.key == key.as_str());
            let apart = s.removed_check_ins.iter().any(|c| c.key == key.as_str());
            prop_assert_eq!((counted, apart), (!removes[*who], removes[*who]), "{}", name);
            if removes[*who] {
                let r = v.removed.participants.iter().find(|r| r.entry.key == key.as_str());
                let note = format!("check-in session {session} by hp-b");
                prop_assert!(r.is_some_and(|r| r.concurrent_edits.contains(&note)));
            }
        }
        for ((name, dusun), remove) in POOL.iter().zip(&removes) {
            if *remove {
                training::enroll(&mut a, &person(name, Gender::F, dusun)).expect("enroll");
            }
        }
        let v = tview(&a);
        let counted: usize = v.sessions.iter().map(|s| s.attended.len()).sum();
        prop_assert_eq!(counted, check_ins.len());
        prop_assert!(v.removed.is_empty());
    }

    /// Sessions added on two devices at once all survive, numbered 1..n on both, the first ones
    /// keeping their numbers, each with the check-in made into it.
    #[test]
    fn sessions_added_concurrently_all_survive(
        on_a in proptest::collection::vec(0..28u8, 0..3),
        on_b in proptest::collection::vec(0..28u8, 0..3),
    ) {
        let mut a = new_training(&["2026-12-01", "2026-12-08"]);
        training::enroll(&mut a, &person("Ani", Gender::F, "I")).expect("enroll");
        let mut b = fork(&a, "device-b");
        let mut added = Vec::new();
        for (doc, days, by) in [(&mut a, &on_a, "hp-a"), (&mut b, &on_b, "hp-b")] {
            for day in days {
                let s = training::add_session(doc, &format!("2027-02-{:02}", day + 1)).expect("add");
                training::check_in(doc, s.number, "Ani", None, by).expect("check in");
                added.push((s.key, by));
            }
        }
        sync(&mut a, &mut b);
        let v = agreed_training(&a, &b);
        prop_assert_eq!(v.sessions.len(), 2 + on_a.len() + on_b.len());
        let numbers: Vec<u32> = v.sessions.iter().map(|s| s.number).collect();
        let expected: Vec<u32> = (1..=u32::try_from(numbers.len()).expect("small")).collect();
        prop_assert_eq!(numbers, expected);
        prop_assert_eq!(
            (v.sessions[0].key.as_str(), v.sessions[1].key.as_str()),
            ("001", "002")
        );
        for (key, by) in added {
            let s = v.sessions.iter().find(|s| s.key == key);
            prop_assert!(s.is_some_and(|s| s.attended.len() == 1 && s.attended[0].checked_in_by == by));
        }
    }
}
