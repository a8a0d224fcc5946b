//! Human-readable views of documents, and of what a sync removed, for the terminal; JSON output
//! lives with the views' serde.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use balai_shared::ids::DocId;
use balai_shared::model::minutes::{Attendee, FollowUp, Line, MinutesView, Proposal};
use balai_shared::model::training::{Participant, TrainingView};
use balai_shared::model::{Conflicts, PersonKey, Removed};

use crate::shed::OutOfScope;
use crate::{i18n, tr};

/// The width of the label column: the longest label plus two spaces (at least 13, as before
/// translations, so English output keeps its layout).
fn label_width(labels: &[&str]) -> usize {
    labels
        .iter()
        .map(|l| l.chars().count() + 2)
        .max()
        .unwrap_or(0)
        .max(13)
}

fn field(
    out: &mut String,
    (label, width): (&str, usize),
    value: Option<&str>,
    path: &str,
    conflicts: &Conflicts,
) {
    let value = value.unwrap_or("—");
    let _ = write!(out, "{label:<width$}{value}");
    if let Some(lost) = conflicts.get(path) {
        let _ = write!(
            out,
            "   {}",
            tr!("show-conflict-mark", values = quote_all(lost))
        );
    }
    out.push('\n');
}

fn quote_all(values: &[String]) -> String {
    values
        .iter()
        .map(|v| format!("\"{v}\""))
        .collect::<Vec<_>>()
        .join(", ")
}

/// A stored value shown in the reader's language (`value-GROUP-VALUE` in cli.ftl); a value we
/// have no label for (written by a newer or a faulty device) is shown as stored.
fn value_label(group: &str, value: &str) -> String {
    i18n::try_text(&format!("value-{group}-{value}")).unwrap_or_else(|| value.to_owned())
}

/// A document kind as the reader calls it: `notulen` or `pelatihan` in Indonesian.
pub fn kind_label(kind: &str) -> String {
    value_label("kind", kind)
}

/// A recorded gender as the reader abbreviates it — P/L in Indonesian, F/M in English — and an
/// explicit "not recorded" when none was. The stored values stay `f`/`m`.
pub fn gender_label(gender: Option<&str>) -> String {
    match gender {
        Some("f") => tr!("gender-f"),
        Some("m") => tr!("gender-m"),
        Some(other) => other.to_owned(),
        None => tr!("gender-not-recorded"),
    }
}

/// "3: 1 woman, 2 men" — how many people, by recorded gender.
pub fn gender_summary<'a>(genders: impl Iterator<Item = Option<&'a str>>) -> String {
    let (mut total, mut women, mut men, mut unknown) = (0u64, 0u64, 0u64, 0u64);
    for g in genders {
        total += 1;
        match g {
            Some("f") => women += 1,
            Some("m") => men += 1,
            _ => unknown += 1,
        }
    }
    tr!(
        "show-gender-summary",
        total = total,
        women = women,
        men = men,
        unknown = unknown
    )
}

fn person_line(
    name: &str,
    gender: Option<&str>,
    dusun: Option<&str>,
    extra: Option<&str>,
) -> String {
    let mut details = vec![gender_label(gender)];
    if let Some(d) = dusun {
        details.push(tr!("show-dusun", dusun = d));
    }
    if let Some(e) = extra {
        details.push(e.to_owned());
    }
    format!("{name} ({})", details.join(", "))
}

/// The folded names that more than one of `names` has: those people are shown with their key,
/// which is how a correction names one of them.
fn shared_names<'a>(names: impl Iterator<Item = &'a str>) -> BTreeSet<String> {
    let mut seen = BTreeMap::<String, usize>::new();
    for name in names {
        *seen
            .entry(PersonKey::of(name, None).as_str().to_owned())
            .or_default() += 1;
    }
    seen.into_iter()
        .filter_map(|(name, n)| (n > 1).then_some(name))
        .collect()
}

/// `line`, followed by ` [key]` if the person's name is in `shared`.
fn with_key(line: String, name: &str, key: &str, shared: &BTreeSet<String>) -> String {
    if shared.contains(PersonKey::of(name, None).as_str()) {
        format!("{line} [{key}]")
    } else {
        line
    }
}

fn proposal_line(p: &Proposal) -> String {
    let mut details = vec![tr!("show-supporters", n = p.support)];
    if let Some(by) = p.raised_by.as_deref() {
        details.push(tr!("show-raised-by", name = by));
    }
    if let Some(prio) = p.priority.as_deref() {
        details.push(tr!(
            "show-priority",
            priority = value_label("priority", prio)
        ));
    }
    format!("[{}] {} — {}", p.key, p.text, details.join(", "))
}

fn follow_up_line(f: &FollowUp) -> String {
    let due = f
        .due
        .as_deref()
        .map(|d| format!(", {}", tr!("show-due", date = d)))
        .unwrap_or_default();
    let status = value_label("follow-up", f.status.as_deref().unwrap_or("open"));
    format!(
        "[{}] {} — {}{due} [{status}]",
        f.key,
        f.what,
        f.who.as_deref().unwrap_or("?"),
    )
}

/// What another device wrote into a removed entry without having seen the removal, in the
/// reader's language. The model words these for the JSON (`gender=m`, `support +2`, `check-in
/// session 1 by hp-budi`); a `field=value` stays as stored, and a form this build does not know
/// is shown as it is.
fn concurrent_edit(edit: &str) -> String {
    if let Some((session, device)) = edit
        .strip_prefix("check-in session ")
        .and_then(|rest| rest.split_once(" by "))
    {
        return tr!(
            "show-concurrent-check-in",
            session = session,
            device = device
        );
    }
    if let Some(n) = edit
        .strip_prefix("support +")
        .and_then(|n| n.parse::<i64>().ok())
    {
        return tr!("show-concurrent-support", n = n);
    }
    edit.to_owned()
}

/// One removed entry: its line, and under it what was written into it concurrently.
fn removed_entry<T>(out: &mut String, r: &Removed<T>, line: String) {
    let _ = writeln!(out, "    {line}");
    if !r.concurrent_edits.is_empty() {
        let edits: Vec<String> = r
            .concurrent_edits
            .iter()
            .map(|e| concurrent_edit(e))
            .collect();
        let _ = writeln!(
            out,
            "        {}",
            tr!("show-concurrent-edits", edits = edits.join("; "))
        );
    }
}

/// The conflicts paths under which a view reports what was written into removed entries: shown
/// with the entries themselves, so left out of the conflicts footer.
/// `name` is how the view names entry `i` of the section: its key, or its number from 1.
fn concurrent_paths<T>(
    section: &str,
    removed: &[Removed<T>],
    name: impl Fn(usize, &T) -> String,
) -> Vec<String> {
    removed
        .iter()
        .enumerate()
        .filter(|(_, r)| !r.concurrent_edits.is_empty())
        .map(|(i, r)| format!("removed.{section}.{}", name(i, &r.entry)))
        .collect()
}

pub fn minutes(id: &DocId, v: &MinutesView) -> String {
    let c = &v.conflicts;
    let mut out = String::new();
    let _ = writeln!(out, "{}", tr!("show-minutes-heading", id = id.to_string()));
    let labels = [
        tr!("show-title"),
        tr!("show-village"),
        tr!("show-date"),
        tr!("show-place"),
        tr!("show-facilitator"),
        tr!("show-status"),
        tr!("show-archived"),
    ];
    let w = label_width(&labels.each_ref().map(String::as_str));
    let [title, village, date, place, facilitator, status, archived] = &labels;
    field(&mut out, (title, w), Some(&v.title), "title", c);
    field(&mut out, (village, w), Some(&v.village), "village", c);
    field(&mut out, (date, w), Some(&v.date), "date", c);
    field(&mut out, (place, w), v.place.as_deref(), "place", c);
    field(
        &mut out,
        (facilitator, w),
        v.facilitator.as_deref(),
        "facilitator",
        c,
    );
    let status_value = value_label("status", &v.status);
    field(&mut out, (status, w), Some(&status_value), "status", c);
    archived_field(&mut out, (archived, w), v.archived, c);
    let summary = gender_summary(v.attendees.iter().map(|a| a.gender.as_deref()));
    let _ = writeln!(out, "\n{}", tr!("show-attendees", summary = summary));
    let shared = shared_names(v.attendees.iter().map(|a| a.name.as_str()));
    let attendee = |a: &Attendee| {
        let line = person_line(
            &a.name,
            a.gender.as_deref(),
            a.dusun.as_deref(),
            a.role.as_deref(),
        );
        with_key(line, &a.name, &a.key, &shared)
    };
    for a in &v.attendees {
        let _ = writeln!(out, "  - {}", attendee(a));
    }
    if !v.agenda.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("show-agenda"));
        for (i, a) in v.agenda.iter().enumerate() {
            let _ = writeln!(out, "  {}. {a}", i + 1);
        }
    }
    if !v.proposals.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("show-proposals"));
        for p in &v.proposals {
            let _ = writeln!(out, "  {}", proposal_line(p));
        }
    }
    if !v.decisions.is_empty() {
        // Numbered, as the decision-… corrections name them.
        let _ = writeln!(out, "\n{}", tr!("show-decisions"));
        for (i, d) in v.decisions.iter().enumerate() {
            let _ = writeln!(out, "  {}. {d}", i + 1);
        }
    }
    if !v.follow_ups.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("show-follow-ups"));
        for f in &v.follow_ups {
            let _ = writeln!(out, "  {}", follow_up_line(f));
        }
    }
    if !v.notes.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("show-notes"));
        for line in v.notes.lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    let r = &v.removed;
    if !r.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("show-removed"));
        if !r.attendees.is_empty() {
            let _ = writeln!(out, "  {}", tr!("show-removed-attendees"));
            for a in &r.attendees {
                removed_entry(&mut out, a, format!("- {}", attendee(&a.entry)));
            }
        }
        if !r.agenda.is_empty() {
            let _ = writeln!(out, "  {}", tr!("show-removed-agenda"));
            for (i, a) in r.agenda.iter().enumerate() {
                removed_entry(&mut out, a, format!("{}. {}", i + 1, a.entry.text));
            }
        }
        if !r.proposals.is_empty() {
            let _ = writeln!(out, "  {}", tr!("show-removed-proposals"));
            for p in &r.proposals {
                removed_entry(&mut out, p, proposal_line(&p.entry));
            }
        }
        if !r.decisions.is_empty() {
            let _ = writeln!(out, "  {}", tr!("show-removed-decisions"));
            for (i, d) in r.decisions.iter().enumerate() {
                removed_entry(&mut out, d, format!("{}. {}", i + 1, d.entry.text));
            }
        }
        if !r.follow_ups.is_empty() {
            let _ = writeln!(out, "  {}", tr!("show-removed-follow-ups"));
            for f in &r.follow_ups {
                removed_entry(&mut out, f, follow_up_line(&f.entry));
            }
        }
    }
    let numbered = |i: usize, _: &Line| (i + 1).to_string();
    let shown: BTreeSet<String> = [
        concurrent_paths("attendees", &r.attendees, |_, a| a.key.clone()),
        concurrent_paths("agenda", &r.agenda, numbered),
        concurrent_paths("proposals", &r.proposals, |_, p| p.key.clone()),
        concurrent_paths("decisions", &r.decisions, numbered),
        concurrent_paths("follow_ups", &r.follow_ups, |_, f| f.key.clone()),
    ]
    .concat()
    .into_iter()
    .collect();
    conflicts_footer(&mut out, c, &shown);
    mismatch_footer(&mut out, &v.id_mismatch);
    out
}

/// The archived state, when there is one to tell: the document is archived, or devices disagree.
fn archived_field(out: &mut String, label: (&str, usize), archived: bool, c: &Conflicts) {
    if !archived && c.get("archived").is_none() {
        return;
    }
    let value = if archived {
        tr!("show-archived-yes")
    } else {
        tr!("show-archived-no")
    };
    field(out, label, Some(&value), "archived", c);
}

pub fn training(id: &DocId, v: &TrainingView) -> String {
    let c = &v.conflicts;
    let mut out = String::new();
    let _ = writeln!(out, "{}", tr!("show-training-heading", id = id.to_string()));
    let labels = [
        tr!("show-topic"),
        tr!("show-village"),
        tr!("show-category"),
        tr!("show-trainer"),
        tr!("show-archived"),
    ];
    let w = label_width(&labels.each_ref().map(String::as_str));
    let [topic, village, category, trainer, archived] = &labels;
    field(&mut out, (topic, w), Some(&v.topic), "topic", c);
    field(&mut out, (village, w), Some(&v.village), "village", c);
    field(
        &mut out,
        (category, w),
        v.category.as_deref(),
        "category",
        c,
    );
    field(&mut out, (trainer, w), v.trainer.as_deref(), "trainer", c);
    archived_field(&mut out, (archived, w), v.archived, c);
    let summary = gender_summary(v.participants.iter().map(|p| p.gender.as_deref()));
    let _ = writeln!(out, "\n{}", tr!("show-participants", summary = summary));
    let shared = shared_names(v.participants.iter().map(|p| p.name.as_str()));
    let participant = |p: &Participant| {
        let line = person_line(&p.name, p.gender.as_deref(), p.dusun.as_deref(), None);
        with_key(line, &p.name, &p.key, &shared)
    };
    for p in &v.participants {
        let _ = writeln!(out, "  - {}", participant(p));
    }
    let _ = writeln!(out, "\n{}", tr!("show-sessions"));
    for s in &v.sessions {
        let _ = writeln!(
            out,
            "  {}. {} — {}",
            s.number,
            s.date,
            tr!("show-attended", n = s.attended.len())
        );
        for a in &s.attended {
            let by = tr!("show-checked-in-by", device = &a.checked_in_by);
            let line = with_key(format!("{} ({by})", a.name), &a.name, &a.key, &shared);
            let _ = writeln!(out, "       ✓ {line}");
        }
        for a in &s.removed_check_ins {
            let by = tr!("show-checked-in-by", device = &a.checked_in_by);
            let _ = writeln!(
                out,
                "       ✗ {} ({by}; {})",
                a.name,
                tr!("show-removed-check-in")
            );
        }
    }
    let removed = &v.removed.participants;
    if !removed.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("show-removed"));
        let _ = writeln!(out, "  {}", tr!("show-removed-participants"));
        for p in removed {
            removed_entry(&mut out, p, format!("- {}", participant(&p.entry)));
        }
    }
    let shown: BTreeSet<String> = concurrent_paths("participants", removed, |_, p| p.key.clone())
        .into_iter()
        .collect();
    conflicts_footer(&mut out, c, &shown);
    mismatch_footer(&mut out, &v.id_mismatch);
    out
}

/// A conflicted or mismatched field as the reader knows it: the label it has above, or its
/// path in the document (`follow_ups.KEY.status`) for the others.
fn path_label(path: &str) -> String {
    let key = match path {
        "title" => "show-title",
        "village" => "show-village",
        "date" => "show-date",
        "place" => "show-place",
        "facilitator" => "show-facilitator",
        "status" => "show-status",
        "topic" => "show-topic",
        "category" => "show-category",
        "trainer" => "show-trainer",
        "archived" => "show-archived",
        _ => return path.to_owned(),
    };
    i18n::text(key, &i18n::Args::new())
}

/// Content that disagrees with the document's id (written by a broken or hostile client): the
/// id wins, and the reader is told.
fn mismatch_footer(out: &mut String, m: &Conflicts) {
    if m.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", tr!("show-id-mismatch"));
    for (path, values) in &m.0 {
        let _ = writeln!(out, "  {}: {}", path_label(path), quote_all(values));
    }
}

/// The fields devices disagree on, except those in `shown` (what was written into removed
/// entries, shown with them). A removal that lost to a concurrent restore (`<entry>.removed`) is
/// said in words.
fn conflicts_footer(out: &mut String, c: &Conflicts, shown: &BTreeSet<String>) {
    let rest: Vec<(&String, &Vec<String>)> =
        c.0.iter()
            .filter(|(path, _)| !shown.contains(*path))
            .collect();
    if rest.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", tr!("show-conflicts", n = rest.len()));
    let _ = writeln!(out, "  {}", tr!("show-conflicts-explain"));
    for (path, lost) in rest {
        match path.strip_suffix(".removed") {
            Some(entry) if lost.iter().all(|v| v == "true") => {
                let _ = writeln!(out, "  {entry}: {}", tr!("show-lost-removal"));
            }
            _ => {
                let _ = writeln!(out, "  {}: {}", path_label(path), quote_all(lost));
            }
        }
    }
}

/// A device's regions as the user reads them.
fn regions(scopes: &[String]) -> String {
    if scopes.is_empty() {
        tr!("regions-none")
    } else {
        scopes.join(", ")
    }
}

/// One line per record: its title and its id.
fn record_lines(out: &mut String, docs: &[OutOfScope]) {
    for d in docs {
        let _ = match &d.title {
            Some(title) => writeln!(out, "  - \"{title}\" ({})", d.id),
            None => writeln!(out, "  - {}", d.id),
        };
    }
}

/// What `balai sync` says about records outside the device's regions that it removed (the
/// server held all of them). Empty if there were none.
pub fn removed_out_of_scope(removed: &[OutOfScope], scopes: &[String]) -> String {
    let mut out = String::new();
    if removed.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "{}",
        tr!(
            "sync-removed-out-of-scope",
            n = removed.len(),
            regions = regions(scopes)
        )
    );
    record_lines(&mut out, removed);
    out
}

/// What `balai sync` says about records outside the device's regions that it kept because they
/// hold changes the server never received. Empty if there were none.
pub fn kept_out_of_scope(kept: &[OutOfScope], scopes: &[String]) -> String {
    let mut out = String::new();
    if kept.is_empty() {
        return out;
    }
    let _ = writeln!(
        out,
        "{}",
        tr!(
            "sync-kept-out-of-scope",
            n = kept.len(),
            regions = regions(scopes)
        )
    );
    record_lines(&mut out, kept);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::i18n::Lang;

    fn doc(id: &str, title: Option<&str>) -> OutOfScope {
        OutOfScope {
            id: id.to_owned(),
            title: title.map(str::to_owned),
        }
    }

    #[test]
    fn removed_and_kept_records_are_named_with_their_titles() {
        let scopes = vec!["18.01.05.2001".to_owned()];
        assert_eq!(removed_out_of_scope(&[], &scopes), "");
        assert_eq!(kept_out_of_scope(&[], &scopes), "");
        let two = [
            doc("minutes/18.01.05.2002/A", Some("Musyawarah")),
            doc("training/18.01.05.2002/B", None),
        ];
        let removed = i18n::with(Lang::En, || removed_out_of_scope(&two, &scopes));
        assert_eq!(
            removed,
            "2 records are no longer in your regions (18.01.05.2001) and were removed from this \
             device (the server keeps them):\n  - \"Musyawarah\" (minutes/18.01.05.2002/A)\n  - \
             training/18.01.05.2002/B\n"
        );
        let removed = i18n::with(Lang::Id, || removed_out_of_scope(&two[..1], &scopes));
        assert_eq!(
            removed,
            "1 dokumen tidak lagi berada di wilayah Anda (18.01.05.2001) dan sudah dihapus dari \
             perangkat ini (server tetap menyimpannya):\n  - \"Musyawarah\" (minutes/18.01.05.2002/A)\n"
        );
        let one = [doc("minutes/18.01.05.2002/C", Some("Rapat"))];
        let kept = i18n::with(Lang::En, || kept_out_of_scope(&one, &[]));
        assert!(
            kept.starts_with("warning: 1 record outside your regions (none) holds changes"),
            "{kept}"
        );
        assert!(kept.contains("ask your admin"), "{kept}");
        assert!(
            kept.ends_with("  - \"Rapat\" (minutes/18.01.05.2002/C)\n"),
            "{kept}"
        );
        let kept = i18n::with(Lang::Id, || kept_out_of_scope(&one, &[]));
        assert!(
            kept.starts_with("peringatan: 1 dokumen di luar wilayah Anda (tidak ada)"),
            "{kept}"
        );
    }

    #[test]
    fn genders_are_p_l_in_indonesian_f_m_in_english_and_missing_ones_are_said() {
        let genders = [Some("f"), Some("m"), Some("m"), None];
        let en = i18n::with(Lang::En, || {
            (
                gender_summary(genders.into_iter()),
                gender_summary([Some("f"), Some("m")].into_iter()),
                person_line("Siti", Some("f"), Some("II"), Some("ketua PKK")),
                person_line("Rahmat", None, None, None),
            )
        });
        assert_eq!(en.0, "4: 1 woman, 2 men, 1 gender not recorded");
        assert_eq!(en.1, "2: 1 woman, 1 man");
        assert_eq!(en.2, "Siti (F, dusun II, ketua PKK)");
        assert_eq!(en.3, "Rahmat (gender not recorded)");
        let id = i18n::with(Lang::Id, || {
            (
                gender_summary(genders.into_iter()),
                person_line("Made", Some("m"), Some("II"), None),
                person_line("Rahmat", None, None, None),
            )
        });
        assert_eq!(id.0, "4: 1 perempuan, 2 laki-laki, 1 tidak dicatat");
        assert_eq!(id.1, "Made (L, dusun II)");
        assert_eq!(id.2, "Rahmat (jenis kelamin tidak dicatat)");
    }

    #[test]
    fn plurals_follow_each_language() {
        let en: Vec<String> = i18n::with(Lang::En, || {
            [0, 1, 2]
                .into_iter()
                .map(|n: u64| tr!("show-attended", n = n))
                .collect()
        });
        assert_eq!(en, ["0 attended", "1 attended", "2 attended"]);
        let en: Vec<String> = i18n::with(Lang::En, || {
            [1, 2]
                .into_iter()
                .map(|n: i64| tr!("show-supporters", n = n))
                .collect()
        });
        assert_eq!(en, ["1 supporter", "2 supporters"]);
        let id: Vec<String> = i18n::with(Lang::Id, || {
            [1, 2]
                .into_iter()
                .map(|n: i64| tr!("show-supporters", n = n))
                .collect()
        });
        assert_eq!(id, ["1 pendukung", "2 pendukung"]);
    }

    /// Minutes as two devices leave them: an attendee removed on one while the other corrected
    /// her, a proposal removed while supporters were counted, a restore that beat a concurrent
    /// removal, and archiving against unarchiving.
    fn corrected_concurrently() -> MinutesView {
        let conflicts = [
            ("archived", vec!["false"]),
            ("attendees.made@ii.removed", vec!["true"]),
            ("attendees.made@ii.role", vec!["pemuda"]),
            ("removed.attendees.siti@ii", vec!["gender=m"]),
            ("removed.proposals.q2m4t5w7", vec!["support +2"]),
        ]
        .into_iter()
        .map(|(path, lost)| {
            (
                path.to_owned(),
                lost.into_iter().map(str::to_owned).collect(),
            )
        })
        .collect();
        let attendee = |key: &str, name: &str, gender: &str| Attendee {
            key: key.to_owned(),
            name: name.to_owned(),
            gender: Some(gender.to_owned()),
            dusun: Some("II".to_owned()),
            role: None,
        };
        MinutesView {
            village: "18.01.05.2001".to_owned(),
            title: "Musyawarah".to_owned(),
            date: "2026-11-29".to_owned(),
            place: None,
            facilitator: None,
            status: "draft".to_owned(),
            archived: true,
            attendees: vec![
                attendee("made@ii", "Made", "m"),
                attendee("made-2@ii", "made", "m"),
            ],
            agenda: Vec::new(),
            proposals: Vec::new(),
            decisions: Vec::new(),
            follow_ups: Vec::new(),
            notes: String::new(),
            removed: balai_shared::model::minutes::RemovedFromMinutes {
                attendees: vec![Removed {
                    entry: attendee("siti@ii", "Siti", "m"),
                    concurrent_edits: vec!["gender=m".to_owned()],
                }],
                proposals: vec![Removed {
                    entry: Proposal {
                        key: "q2m4t5w7".to_owned(),
                        text: "Sumur bor".to_owned(),
                        raised_by: None,
                        priority: None,
                        support: 3,
                    },
                    concurrent_edits: vec!["support +2".to_owned()],
                }],
                ..Default::default()
            },
            conflicts: Conflicts(conflicts),
            id_mismatch: Conflicts::default(),
        }
    }

    #[test]
    fn removed_entries_show_what_other_devices_wrote_into_them_once_and_in_words() {
        let id: DocId = "minutes/18.01.05.2001/01JD8X3V6Q2M4T5W7Y9Z0A1B2C"
            .parse()
            .expect("an id");
        let v = corrected_concurrently();
        let en = i18n::with(Lang::En, || minutes(&id, &v));
        for line in [
            "Archived     yes: read-only until `balai unarchive`   ⚠ CONFLICT: also set to \"false\"",
            "  - Made (M, dusun II) [made@ii]",
            "  - made (M, dusun II) [made-2@ii]",
            "Removed (kept in the record, not counted above)",
            "    - Siti (M, dusun II)",
            "        ⚠ recorded on a device that had not seen the removal: gender=m",
            "    [q2m4t5w7] Sumur bor — 3 supporters",
            "        ⚠ recorded on a device that had not seen the removal: 2 more supporters",
            "⚠ 3 fields were set differently on two devices.",
            "  Archived: \"false\"",
            "  attendees.made@ii: removed on a device that had not seen it restored; it stays restored",
            "  attendees.made@ii.role: \"pemuda\"",
        ] {
            assert!(en.lines().any(|l| l == line), "no line {line:?} in:\n{en}");
        }
        assert!(
            !en.contains("removed.attendees") && !en.contains("removed.proposals"),
            "what is shown with the removed entries is not repeated in the footer:\n{en}"
        );
        let id_text = i18n::with(Lang::Id, || minutes(&id, &v));
        assert!(
            id_text.contains(
                "⚠ dicatat di perangkat yang belum tahu soal penghapusan ini: 2 pendukung lagi"
            ),
            "{id_text}"
        );
        assert_eq!(
            i18n::with(Lang::Id, || concurrent_edit(
                "check-in session 2 by hp-budi"
            )),
            "dicatat hadir di sesi 2 oleh hp-budi"
        );
        assert_eq!(
            concurrent_edit("a form from a newer build"),
            "a form from a newer build"
        );
    }

    #[test]
    fn stored_values_are_shown_in_the_readers_language_and_unknown_ones_as_stored() {
        i18n::with(Lang::Id, || {
            assert_eq!(value_label("priority", "high"), "tinggi");
            assert_eq!(value_label("follow-up", "in-progress"), "sedang dikerjakan");
            assert_eq!(kind_label("training"), "pelatihan");
            assert_eq!(value_label("priority", "urgent!"), "urgent!");
        });
        i18n::with(Lang::En, || {
            assert_eq!(value_label("status", "final"), "final")
        });
    }
}
