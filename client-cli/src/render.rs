//! Human-readable views of documents, and of what a sync removed, for the terminal; JSON output
//! lives with the views' serde.

use std::fmt::Write as _;

use balai_shared::ids::DocId;
use balai_shared::model::Conflicts;
use balai_shared::model::minutes::MinutesView;
use balai_shared::model::training::TrainingView;

use crate::shed::OutOfScope;

fn field(out: &mut String, label: &str, value: Option<&str>, path: &str, conflicts: &Conflicts) {
    let value = value.unwrap_or("—");
    let _ = write!(out, "{label:<13}{value}");
    if let Some(lost) = conflicts.get(path) {
        let _ = write!(out, "   ⚠ CONFLICT: also set to {}", quote_all(lost));
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

fn person_line(
    name: &str,
    gender: Option<&str>,
    dusun: Option<&str>,
    extra: Option<&str>,
) -> String {
    let mut details = Vec::new();
    if let Some(g) = gender {
        details.push(match g {
            "f" => "P".to_owned(),
            "m" => "L".to_owned(),
            other => other.to_owned(),
        });
    }
    if let Some(d) = dusun {
        details.push(format!("dusun {d}"));
    }
    if let Some(e) = extra {
        details.push(e.to_owned());
    }
    if details.is_empty() {
        name.to_owned()
    } else {
        format!("{name} ({})", details.join(", "))
    }
}

pub fn minutes(id: &DocId, v: &MinutesView) -> String {
    let c = &v.conflicts;
    let mut out = String::new();
    let _ = writeln!(out, "Forum minutes  {id}");
    field(&mut out, "Title", Some(&v.title), "title", c);
    field(&mut out, "Village", Some(&v.village), "village", c);
    field(&mut out, "Date", Some(&v.date), "date", c);
    field(&mut out, "Place", v.place.as_deref(), "place", c);
    field(
        &mut out,
        "Facilitator",
        v.facilitator.as_deref(),
        "facilitator",
        c,
    );
    field(&mut out, "Status", Some(&v.status), "status", c);
    let women = v
        .attendees
        .iter()
        .filter(|a| a.gender.as_deref() == Some("f"))
        .count();
    let men = v
        .attendees
        .iter()
        .filter(|a| a.gender.as_deref() == Some("m"))
        .count();
    let _ = writeln!(
        out,
        "\nAttendees ({}: {women} women, {men} men)",
        v.attendees.len()
    );
    for a in &v.attendees {
        let _ = writeln!(
            out,
            "  - {}",
            person_line(
                &a.name,
                a.gender.as_deref(),
                a.dusun.as_deref(),
                a.role.as_deref()
            )
        );
    }
    if !v.agenda.is_empty() {
        let _ = writeln!(out, "\nAgenda");
        for (i, a) in v.agenda.iter().enumerate() {
            let _ = writeln!(out, "  {}. {a}", i + 1);
        }
    }
    if !v.proposals.is_empty() {
        let _ = writeln!(out, "\nProposals (aspirasi)");
        for p in &v.proposals {
            let by = p
                .raised_by
                .as_deref()
                .map(|b| format!(", raised by {b}"))
                .unwrap_or_default();
            let prio = p
                .priority
                .as_deref()
                .map(|b| format!(", priority {b}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  [{}] {} — {} supporters{by}{prio}",
                p.key, p.text, p.support
            );
        }
    }
    if !v.decisions.is_empty() {
        let _ = writeln!(out, "\nDecisions");
        for d in &v.decisions {
            let _ = writeln!(out, "  - {d}");
        }
    }
    if !v.follow_ups.is_empty() {
        let _ = writeln!(out, "\nFollow-ups");
        for f in &v.follow_ups {
            let due = f
                .due
                .as_deref()
                .map(|d| format!(", due {d}"))
                .unwrap_or_default();
            let _ = writeln!(
                out,
                "  [{}] {} — {}{due} [{}]",
                f.key,
                f.what,
                f.who.as_deref().unwrap_or("?"),
                f.status.as_deref().unwrap_or("open")
            );
        }
    }
    if !v.notes.is_empty() {
        let _ = writeln!(out, "\nNotes");
        for line in v.notes.lines() {
            let _ = writeln!(out, "  {line}");
        }
    }
    conflicts_footer(&mut out, c);
    mismatch_footer(&mut out, &v.id_mismatch);
    out
}

pub fn training(id: &DocId, v: &TrainingView) -> String {
    let c = &v.conflicts;
    let mut out = String::new();
    let _ = writeln!(out, "Training  {id}");
    field(&mut out, "Topic", Some(&v.topic), "topic", c);
    field(&mut out, "Village", Some(&v.village), "village", c);
    field(&mut out, "Category", v.category.as_deref(), "category", c);
    field(&mut out, "Trainer", v.trainer.as_deref(), "trainer", c);
    let women = v
        .participants
        .iter()
        .filter(|a| a.gender.as_deref() == Some("f"))
        .count();
    let men = v
        .participants
        .iter()
        .filter(|a| a.gender.as_deref() == Some("m"))
        .count();
    let _ = writeln!(
        out,
        "\nParticipants ({}: {women} women, {men} men)",
        v.participants.len()
    );
    for p in &v.participants {
        let _ = writeln!(
            out,
            "  - {}",
            person_line(&p.name, p.gender.as_deref(), p.dusun.as_deref(), None)
        );
    }
    let _ = writeln!(out, "\nSessions");
    for s in &v.sessions {
        let _ = writeln!(
            out,
            "  {}. {} — {} attended",
            s.number,
            s.date,
            s.attended.len()
        );
        for a in &s.attended {
            let _ = writeln!(
                out,
                "       ✓ {} (checked in by {})",
                a.name, a.checked_in_by
            );
        }
    }
    conflicts_footer(&mut out, c);
    mismatch_footer(&mut out, &v.id_mismatch);
    out
}

/// Content that disagrees with the document's id (written by a broken or hostile client): the
/// id wins, and the reader is told.
fn mismatch_footer(out: &mut String, m: &Conflicts) {
    if m.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n⚠ the document's content disagrees with its id; the id's values are shown, these were ignored:"
    );
    for (path, values) in &m.0 {
        let _ = writeln!(out, "  {path}: {}", quote_all(values));
    }
}

fn conflicts_footer(out: &mut String, c: &Conflicts) {
    if c.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n⚠ {} field(s) were set differently on two devices. Shown above is the value",
        c.0.len()
    );
    let _ = writeln!(
        out,
        "  every device agrees to display; the other values are kept:"
    );
    for (path, lost) in &c.0 {
        let _ = writeln!(out, "  {path}: {}", quote_all(lost));
    }
}

/// A device's regions as the user reads them.
fn regions(scopes: &[String]) -> String {
    if scopes.is_empty() {
        "none".to_owned()
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
        "{} record(s) are no longer in your regions ({}) and were removed from this device \
         (the server keeps them):",
        removed.len(),
        regions(scopes)
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
        "warning: {} record(s) outside your regions ({}) hold changes the server never received, \
         so they were kept on this device. They cannot be synced any more: ask your admin to give \
         this device back their village for one sync, or the changes stay only here:",
        kept.len(),
        regions(scopes)
    );
    record_lines(&mut out, kept);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

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
        let removed = removed_out_of_scope(
            &[
                doc("minutes/18.01.05.2002/A", Some("Musyawarah")),
                doc("training/18.01.05.2002/B", None),
            ],
            &scopes,
        );
        assert_eq!(
            removed,
            "2 record(s) are no longer in your regions (18.01.05.2001) and were removed from this \
             device (the server keeps them):\n  - \"Musyawarah\" (minutes/18.01.05.2002/A)\n  - \
             training/18.01.05.2002/B\n"
        );
        let kept = kept_out_of_scope(&[doc("minutes/18.01.05.2002/C", Some("Rapat"))], &[]);
        assert!(
            kept.starts_with("warning: 1 record(s) outside your regions (none) hold changes"),
            "{kept}"
        );
        assert!(kept.contains("ask your admin"), "{kept}");
        assert!(
            kept.ends_with("  - \"Rapat\" (minutes/18.01.05.2002/C)\n"),
            "{kept}"
        );
    }
}
