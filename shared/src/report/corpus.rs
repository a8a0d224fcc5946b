//! The documents a report is computed from, each read once: its view with dates parsed, who walked
//! in to its trainings, its change history, and what could not be read and why.

use std::collections::{BTreeMap, BTreeSet, HashMap};

use automerge::{ActorId, Automerge, ChangeMetadata, ObjId, ObjType, ROOT, ReadDoc, Value};
use jiff::civil::Date;
use serde::Serialize;

use crate::ids::{DocId, DocKind};
use crate::model::minutes::{self, Attendee, MinutesView, Proposal};
use crate::model::training::{self, Participant, TrainingView};
use crate::model::{ModelError, parse_date};
use crate::region::VillageCode;

use super::Filter;
use super::figures::count;

/// Every document a report may look at, as merged, plus the dusun the caller knows of.
///
/// Feed it the store's documents with [`Corpus::add`] one at a time (the corpus keeps views and
/// change stamps, not the automerge documents). A corpus may hold only some villages: a village's
/// figures depend only on that village's documents (its known dusun too), so the caller may load
/// just the region it reports on.
#[derive(Debug, Default)]
pub struct Corpus {
    docs: BTreeMap<DocId, Doc>,
    extra_dusun: BTreeMap<VillageCode, BTreeSet<String>>,
    actors: Vec<String>,
    actor_index: HashMap<ActorId, u32>,
}

/// A part of a document a report could not use, and why; reports list these so that nothing is
/// left out silently.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
pub struct Excluded {
    pub id: String,
    /// What was left out. Absent: the whole document. `date` (minutes): the whole forum.
    /// `sessions.N.date`: training session N. `follow_ups.K.due`: that follow-up's due date (the
    /// follow-up is still counted, and is never overdue).
    pub field: Option<String>,
    pub reason: ExclusionReason,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ExclusionReason {
    /// The replica is empty: the document was announced but its content has not arrived.
    NotCreated,
    /// Written by a newer Balai than this one.
    NewerSchema,
    /// The content says it is another kind than its id.
    KindMismatch,
    /// automerge could not read it.
    Damaged,
    /// A date that is not `YYYY-MM-DD`.
    BadDate,
    /// Archived (`balai … archive`): kept and synced, but out of the reports. Listed here so a
    /// figure that changed because a document was archived can be traced to it.
    Archived,
}

impl From<&ModelError> for ExclusionReason {
    fn from(e: &ModelError) -> Self {
        match e {
            ModelError::NotCreated => ExclusionReason::NotCreated,
            ModelError::NewerSchema { .. } => ExclusionReason::NewerSchema,
            ModelError::KindMismatch { .. } => ExclusionReason::KindMismatch,
            ModelError::Automerge(_) => ExclusionReason::Damaged,
            // Only edits fail these ways (and `WrongKind`, a view asked of the wrong kind, which
            // `Corpus::add` never does); listed so that a new variant is decided on here.
            ModelError::Empty { .. }
            | ModelError::TooLong { .. }
            | ModelError::ControlCharacter { .. }
            | ModelError::BadDate { .. }
            | ModelError::BadGender { .. }
            | ModelError::BadChoice { .. }
            | ModelError::WrongKind { .. }
            | ModelError::NotFound { .. }
            | ModelError::NoSuchSession { .. }
            | ModelError::AmbiguousPerson { .. }
            | ModelError::NoSuchPerson { .. }
            | ModelError::Removed { .. }
            | ModelError::PersonExists { .. }
            | ModelError::NoSuchItem { .. }
            | ModelError::RemovedItem { .. }
            | ModelError::NothingToChange { .. }
            | ModelError::NotCheckedIn { .. }
            | ModelError::TooManySessions { .. }
            | ModelError::Archived => ExclusionReason::Damaged,
        }
    }
}

#[derive(Debug)]
pub(crate) struct Doc {
    /// `None` when the document cannot be shown (`excluded` says why).
    pub(crate) content: Option<Content>,
    pub(crate) excluded: Vec<Excluded>,
    pub(crate) history: Vec<Stamp>,
}

#[derive(Debug)]
pub(crate) enum Content {
    Forum(Forum),
    Training(Training),
}

/// The parts of [`MinutesView`] the reports use, dates parsed.
#[derive(Debug)]
pub(crate) struct Forum {
    pub(crate) date: Date,
    pub(crate) title: String,
    pub(crate) status: String,
    pub(crate) attendees: Vec<Attendee>,
    pub(crate) proposals: Vec<Proposal>,
    pub(crate) decisions: Vec<String>,
    pub(crate) follow_ups: Vec<FollowUp>,
}

#[derive(Debug)]
pub(crate) struct FollowUp {
    pub(crate) key: String,
    pub(crate) what: String,
    pub(crate) who: Option<String>,
    /// `None` when not set or unreadable (then listed as excluded).
    pub(crate) due: Option<Date>,
    pub(crate) status: Option<String>,
}

/// The parts of [`TrainingView`] the reports use, dates parsed.
#[derive(Debug)]
pub(crate) struct Training {
    pub(crate) topic: String,
    /// Everyone on the list, walk-ins included (as the view gives them).
    pub(crate) participants: Vec<Participant>,
    /// The keys of the participants who walked in (see [`walk_ins`]).
    pub(crate) walk_ins: BTreeSet<String>,
    /// Sessions with a readable date, in number order.
    pub(crate) sessions: Vec<Session>,
}

#[derive(Debug)]
pub(crate) struct Session {
    pub(crate) number: u32,
    pub(crate) date: Date,
    /// The person keys checked in, from every device.
    pub(crate) present: BTreeSet<String>,
}

/// One automerge change, as the activity report needs it.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Stamp {
    /// Index into the corpus's actors ([`Corpus::actor_hex`]).
    pub(crate) actor: u32,
    /// Seconds since 1970 as the device's clock said (0: not given).
    pub(crate) time: i64,
    /// The change has no dependencies: it created the document.
    pub(crate) root: bool,
}

impl Corpus {
    pub fn new() -> Self {
        Self::default()
    }

    /// Read `doc` (the merged replica of `id`) into the corpus, replacing an earlier `add` of the
    /// same id. Never fails: what cannot be read is kept as [`Excluded`] and reported.
    pub fn add(&mut self, id: &DocId, doc: &Automerge) {
        let changes = doc.get_changes_meta(&[]);
        // A change that only signed the document with its device's name is neither a record
        // nor an edit by the facilitator.
        let history = changes
            .iter()
            .filter(|c| !crate::model::authors::is_signature(doc, c))
            .map(|c| Stamp {
                actor: self.intern(&c.actor),
                time: c.timestamp,
                root: c.deps.is_empty(),
            })
            .collect();
        let (content, excluded) = match read(id, doc, &changes) {
            Ok((content, excluded)) => (Some(content), excluded),
            Err((field, reason)) => (
                None,
                vec![Excluded {
                    id: id.to_string(),
                    field,
                    reason,
                }],
            ),
        };
        self.docs.insert(
            id.clone(),
            Doc {
                content,
                excluded,
                history,
            },
        );
    }

    /// Dusun the caller knows a village has, beyond those recorded in its documents (there is no
    /// village registry yet). Adds to what earlier calls gave.
    pub fn add_known_dusun(&mut self, known: BTreeMap<VillageCode, BTreeSet<String>>) {
        for (village, names) in known {
            self.extra_dusun.entry(village).or_default().extend(names);
        }
    }

    fn intern(&mut self, actor: &ActorId) -> u32 {
        if let Some(i) = self.actor_index.get(actor) {
            return *i;
        }
        let i = count(self.actors.len());
        self.actors.push(actor.to_hex_string());
        self.actor_index.insert(actor.clone(), i);
        i
    }

    /// The actor of a [`Stamp`], as hex.
    pub(crate) fn actor_hex(&self, actor: u32) -> &str {
        usize::try_from(actor)
            .ok()
            .and_then(|i| self.actors.get(i))
            .map_or("", String::as_str)
    }

    /// Every document in the filter's region (dates are the reports' business), in id order.
    pub(crate) fn docs<'a>(
        &'a self,
        filter: &'a Filter,
    ) -> impl Iterator<Item = (&'a DocId, &'a Doc)> + 'a {
        self.docs
            .iter()
            .filter(|(id, _)| filter.covers_village(id.village()))
    }

    /// The readable forums in the filter's region, whatever their date.
    pub(crate) fn forums<'a>(
        &'a self,
        filter: &'a Filter,
    ) -> impl Iterator<Item = (&'a DocId, &'a Forum)> + 'a {
        self.docs(filter)
            .filter_map(|(id, doc)| match &doc.content {
                Some(Content::Forum(f)) => Some((id, f)),
                _ => None,
            })
    }

    /// The readable trainings in the filter's region, whatever their dates.
    pub(crate) fn trainings<'a>(
        &'a self,
        filter: &'a Filter,
    ) -> impl Iterator<Item = (&'a DocId, &'a Training)> + 'a {
        self.docs(filter)
            .filter_map(|(id, doc)| match &doc.content {
                Some(Content::Training(t)) => Some((id, t)),
                _ => None,
            })
    }

    /// What was left out of documents of `kind` (both kinds: `None`) in the filter's region.
    pub(crate) fn excluded(&self, filter: &Filter, kind: Option<DocKind>) -> Vec<Excluded> {
        self.docs(filter)
            .filter(|(id, _)| kind.is_none_or(|k| id.kind() == k))
            .flat_map(|(_, doc)| doc.excluded.iter().cloned())
            .collect()
    }

    /// Every village in the filter's region that the corpus knows of: it has a document (even an
    /// unreadable one) or the caller named its dusun.
    pub(crate) fn villages<'a>(&'a self, filter: &'a Filter) -> BTreeSet<&'a VillageCode> {
        self.docs(filter)
            .map(|(id, _)| id.village())
            .chain(self.extra_dusun.keys().filter(|v| filter.covers_village(v)))
            .collect()
    }

    /// The dusun the caller named for each village.
    pub(crate) fn extra_dusun(&self) -> &BTreeMap<VillageCode, BTreeSet<String>> {
        &self.extra_dusun
    }

    /// Every readable document of every village (no filter): known dusun and spellings are
    /// taken from all of a village's records, whatever period is reported.
    pub(crate) fn all_content(&self) -> impl Iterator<Item = (&DocId, &Content)> {
        self.docs
            .iter()
            .filter_map(|(id, doc)| doc.content.as_ref().map(|c| (id, c)))
    }
}

type Unreadable = (Option<String>, ExclusionReason);

fn read(
    id: &DocId,
    doc: &Automerge,
    changes: &[ChangeMetadata<'_>],
) -> Result<(Content, Vec<Excluded>), Unreadable> {
    let whole = |e: ModelError| (None, ExclusionReason::from(&e));
    let mut excluded = Vec::new();
    let mut exclude = |field: String, reason| {
        excluded.push(Excluded {
            id: id.to_string(),
            field: Some(field),
            reason,
        });
    };
    let content = match id.kind() {
        DocKind::Minutes => {
            let view = minutes::view(id, doc).map_err(whole)?;
            if view.archived {
                return Err((None, ExclusionReason::Archived));
            }
            Content::Forum(forum(view, &mut exclude)?)
        }
        DocKind::Training => {
            let view = training::view(id, doc).map_err(whole)?;
            if view.archived {
                return Err((None, ExclusionReason::Archived));
            }
            let walk_ins = walk_ins(doc, changes).map_err(|_| (None, ExclusionReason::Damaged))?;
            Content::Training(training(view, walk_ins, &mut exclude))
        }
    };
    Ok((content, excluded))
}

fn forum(
    view: MinutesView,
    exclude: &mut impl FnMut(String, ExclusionReason),
) -> Result<Forum, Unreadable> {
    let MinutesView {
        title,
        date,
        status,
        attendees,
        proposals,
        decisions,
        follow_ups,
        ..
    } = view;
    let date = parse_date("date", &date)
        .map_err(|_| (Some("date".to_owned()), ExclusionReason::BadDate))?;
    let follow_ups = follow_ups
        .into_iter()
        .map(|f| {
            let due = f.due.as_deref().and_then(|d| match parse_date("due", d) {
                Ok(d) => Some(d),
                Err(_) => {
                    exclude(
                        format!("follow_ups.{}.due", f.key),
                        ExclusionReason::BadDate,
                    );
                    None
                }
            });
            FollowUp {
                key: f.key,
                what: f.what,
                who: f.who,
                due,
                status: f.status,
            }
        })
        .collect();
    Ok(Forum {
        date,
        title,
        status,
        attendees,
        proposals,
        decisions,
        follow_ups,
    })
}

fn training(
    view: TrainingView,
    walk_ins: BTreeSet<String>,
    exclude: &mut impl FnMut(String, ExclusionReason),
) -> Training {
    let TrainingView {
        topic,
        participants,
        sessions,
        ..
    } = view;
    let sessions = sessions
        .into_iter()
        .filter_map(|s| match parse_date("session date", &s.date) {
            Ok(date) => Some(Session {
                number: s.number,
                date,
                present: s.attended.into_iter().map(|c| c.key).collect(),
            }),
            Err(_) => {
                exclude(
                    format!("sessions.{}.date", s.number),
                    ExclusionReason::BadDate,
                );
                None
            }
        })
        .collect();
    Training {
        topic,
        participants,
        walk_ins,
        sessions,
    }
}

/// The participants who walked in: `training::check_in` enrolls a person who is not on the list in
/// the same change that checks them in, while `training::enroll` is a change of its own. So a
/// person is a walk-in when every entry recorded for them (two devices may each have created
/// one) was created in the same change as one of their check-ins. A walk-in stays a walk-in when
/// later enrolled by name: the entry is the one the check-in made.
///
/// Reads the training schema directly (`participants`, `attendance`; docs/PROTOCOL.md) because
/// the view does not say how an entry came to be.
pub(crate) fn walk_ins(
    doc: &Automerge,
    changes: &[ChangeMetadata<'_>],
) -> Result<BTreeSet<String>, automerge::AutomergeError> {
    let map_at = |obj: &ObjId, key: &str| -> Result<Option<ObjId>, automerge::AutomergeError> {
        Ok(match doc.get(obj, key)? {
            Some((Value::Object(ObjType::Map), id)) => Some(id),
            _ => None,
        })
    };
    let mut out = BTreeSet::new();
    let (Some(participants), Some(attendance)) =
        (map_at(&ROOT, "participants")?, map_at(&ROOT, "attendance")?)
    else {
        return Ok(out);
    };
    let mut session_lists = Vec::new();
    for session in doc.keys(&attendance) {
        session_lists.extend(map_at(&attendance, &session)?);
    }
    let spans = ChangeSpans::of(changes);
    for person in doc.keys(&participants) {
        let entries = doc.get_all(&participants, person.as_str())?;
        // Whether the change that made `entry` also checked the person in. Read as of that
        // change, not now: a check-in undone later (a delete) still made its entry a walk-in.
        let made_by_check_in = |entry: &ObjId| {
            let Some(hash) = doc.hash_for_opid(entry) else {
                return false;
            };
            session_lists.iter().any(|list| {
                // A session added after the entry has no values at that change.
                doc.get_all_at(list, person.as_str(), &[hash])
                    .is_ok_and(|values| values.iter().any(|(_, c)| spans.same_change(entry, c)))
            })
        };
        let walked_in = !entries.is_empty() && entries.iter().all(|(_, e)| made_by_check_in(e));
        if walked_in {
            out.insert(person);
        }
    }
    Ok(out)
}

/// Which operations each change holds: per actor, the `(start_op, max_op)` of its changes, in
/// order. (An operation's id is its actor and counter; a change holds a run of one actor's
/// counters.)
struct ChangeSpans(HashMap<ActorId, Vec<(u64, u64)>>);

impl ChangeSpans {
    fn of(changes: &[ChangeMetadata<'_>]) -> Self {
        let mut spans: HashMap<ActorId, Vec<(u64, u64)>> = HashMap::new();
        for c in changes {
            spans
                .entry(c.actor.clone().into_owned())
                .or_default()
                .push((c.start_op, c.max_op));
        }
        for list in spans.values_mut() {
            list.sort_unstable();
        }
        Self(spans)
    }

    /// Whether operations `a` and `b` were made in one change.
    fn same_change(&self, a: &ObjId, b: &ObjId) -> bool {
        let (ObjId::Id(a_counter, a_actor, _), ObjId::Id(b_counter, b_actor, _)) = (a, b) else {
            return false;
        };
        if a_actor != b_actor {
            return false;
        }
        let Some(spans) = self.0.get(a_actor) else {
            return false;
        };
        let after = spans.partition_point(|(start, _)| start <= a_counter);
        after
            .checked_sub(1)
            .and_then(|i| spans.get(i))
            .is_some_and(|(start, max)| a_counter <= max && (start..=max).contains(&b_counter))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Gender, Person};
    use crate::report::fixture::{self, device_a, device_b};
    use automerge::transaction::Transactable;

    fn new_training() -> Automerge {
        let mut doc = Automerge::new().with_actor(device_a());
        training::create(
            &mut doc,
            &fixture::village(fixture::A),
            &training::NewTraining {
                topic: "Budidaya cabai".into(),
                category: None,
                trainer: None,
                sessions: vec!["2026-12-01".into(), "2026-12-08".into()],
            },
        )
        .expect("create");
        doc
    }

    fn siti() -> Person {
        Person {
            name: "Siti".into(),
            gender: Some(Gender::F),
            dusun: Some("Dusun I".into()),
        }
    }

    fn walk_ins_of(doc: &Automerge) -> BTreeSet<String> {
        walk_ins(doc, &doc.get_changes_meta(&[])).expect("readable")
    }

    #[test]
    fn a_walk_in_is_a_participant_created_by_their_check_in() {
        let mut doc = new_training();
        training::enroll(&mut doc, &siti()).expect("enroll");
        training::check_in(&mut doc, 1, "Siti", Some("Dusun I"), "hp").expect("check in");
        training::check_in(&mut doc, 1, "Budi", Some("Dusun II"), "hp").expect("walk in");
        // Coming back to session 2 and being enrolled by name later do not undo the walk-in.
        training::check_in(&mut doc, 2, "Budi", Some("Dusun II"), "hp").expect("check in");
        training::enroll(
            &mut doc,
            &Person {
                name: "Budi".into(),
                gender: Some(Gender::M),
                dusun: Some("Dusun II".into()),
            },
        )
        .expect("enroll");
        assert_eq!(
            walk_ins_of(&doc),
            BTreeSet::from(["budi@dusun-ii".to_owned()])
        );
    }

    #[test]
    fn a_walk_in_whose_check_in_was_undone_is_still_a_walk_in() {
        let mut doc = new_training();
        training::enroll(&mut doc, &siti()).expect("enroll");
        training::check_in(&mut doc, 1, "Budi", Some("Dusun II"), "hp").expect("walk in");
        training::undo_check_in(&mut doc, 1, "Budi", Some("Dusun II")).expect("undo");
        // Budi came in off the street and was then unchecked: never enrolled, so not counted
        // among those enrolled (nor as having missed every session).
        assert_eq!(
            walk_ins_of(&doc),
            BTreeSet::from(["budi@dusun-ii".to_owned()])
        );
    }

    #[test]
    fn enrolled_on_one_device_while_walking_in_on_another_is_enrolled() {
        let mut a = new_training();
        let mut b = a.fork().with_actor(device_b());
        training::enroll(&mut a, &siti()).expect("enroll");
        let c = training::check_in(&mut b, 1, "Siti", Some("Dusun I"), "hp-b").expect("check in");
        assert!(c.walk_in, "device-b has not seen the enrollment");
        a.merge(&mut b).expect("merge");
        // Two entries for Siti now; one was made by an enrollment, so she was on the list.
        assert!(walk_ins_of(&a).is_empty());
    }

    #[test]
    fn an_archived_document_is_left_out_and_listed_as_archived() {
        let t = fixture::id(fixture::T1);
        let mut doc = new_training();
        training::enroll(&mut doc, &siti()).expect("enroll");
        crate::model::archive(&mut doc).expect("archive");
        let mut corpus = Corpus::new();
        corpus.add(&t, &doc);
        let filter = Filter::everything();
        assert!(corpus.trainings(&filter).next().is_none());
        assert_eq!(
            corpus.excluded(&filter, None),
            [Excluded {
                id: t.to_string(),
                field: None,
                reason: ExclusionReason::Archived,
            }]
        );
        // Unarchived, it counts again.
        crate::model::unarchive(&mut doc).expect("unarchive");
        corpus.add(&t, &doc);
        assert_eq!(corpus.trainings(&filter).count(), 1);
        assert!(corpus.excluded(&filter, None).is_empty());
    }

    #[test]
    fn unreadable_parts_are_excluded_and_the_rest_kept() {
        let mut corpus = Corpus::new();
        // A training whose session 2 date a foreign writer replaced with garbage.
        let t = fixture::id(fixture::T1);
        let mut training_doc = new_training();
        training_doc
            .transact::<_, _, automerge::AutomergeError>(|tx| {
                let Some((_, sessions)) = tx.get(ROOT, "sessions")? else {
                    return Ok(());
                };
                if let Some((_, s2)) = tx.get(&sessions, "002")? {
                    tx.put(&s2, "date", "next week")?;
                }
                Ok(())
            })
            .expect("rewrite date");
        corpus.add(&t, &training_doc);
        // Minutes with a garbage due date on one follow-up.
        let m = fixture::id(fixture::M1);
        let mut minutes_doc = Automerge::new().with_actor(device_a());
        minutes::create(
            &mut minutes_doc,
            &fixture::village(fixture::A),
            &minutes::NewMinutes {
                title: "Musyawarah".into(),
                date: "2026-11-29".into(),
                place: None,
                facilitator: None,
            },
        )
        .expect("create");
        let key =
            minutes::add_follow_up(&mut minutes_doc, "Survei", "Pak Kades", Some("2026-12-01"))
                .expect("follow-up");
        minutes_doc
            .transact::<_, _, automerge::AutomergeError>(|tx| {
                let Some((_, follow_ups)) = tx.get(ROOT, "follow_ups")? else {
                    return Ok(());
                };
                if let Some((_, f)) = tx.get(&follow_ups, key.as_str())? {
                    tx.put(&f, "due", "besok")?;
                }
                Ok(())
            })
            .expect("rewrite due");
        corpus.add(&m, &minutes_doc);
        // Training content filed under a minutes id.
        let wrong = fixture::id(fixture::M2);
        corpus.add(&wrong, &new_training());

        let all = Filter::everything();
        assert_eq!(
            corpus.excluded(&all, None),
            [
                Excluded {
                    id: m.to_string(),
                    field: Some(format!("follow_ups.{key}.due")),
                    reason: ExclusionReason::BadDate,
                },
                Excluded {
                    id: wrong.to_string(),
                    field: None,
                    reason: ExclusionReason::KindMismatch,
                },
                Excluded {
                    id: t.to_string(),
                    field: Some("sessions.2.date".into()),
                    reason: ExclusionReason::BadDate,
                },
            ]
        );
        let (_, training) = corpus.trainings(&all).next().expect("training kept");
        let numbers: Vec<u32> = training.sessions.iter().map(|s| s.number).collect();
        assert_eq!(numbers, [1], "session 1 is still reported");
        let (_, forum) = corpus.forums(&all).next().expect("forum kept");
        assert_eq!(forum.follow_ups.len(), 1);
        assert_eq!(forum.follow_ups[0].due, None);
        assert_eq!(corpus.excluded(&all, Some(DocKind::Training)).len(), 1);
    }

    #[test]
    fn adding_a_document_again_replaces_it() {
        let mut corpus = Corpus::new();
        let id = fixture::id(fixture::T1);
        corpus.add(&id, &Automerge::new());
        corpus.add(&id, &new_training());
        assert!(corpus.excluded(&Filter::everything(), None).is_empty());
        assert_eq!(corpus.trainings(&Filter::everything()).count(), 1);
    }
}
