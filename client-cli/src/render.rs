//! Human-readable views of documents, and of what a sync removed, for the terminal; JSON output
//! lives with the views' serde.

use std::fmt::Write as _;

use balai_shared::ids::DocId;
use balai_shared::model::Conflicts;
use balai_shared::model::minutes::MinutesView;
use balai_shared::model::training::TrainingView;

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
    ];
    let w = label_width(&labels.each_ref().map(String::as_str));
    let [title, village, date, place, facilitator, status] = &labels;
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
    let summary = gender_summary(v.attendees.iter().map(|a| a.gender.as_deref()));
    let _ = writeln!(out, "\n{}", tr!("show-attendees", summary = summary));
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
        let _ = writeln!(out, "\n{}", tr!("show-agenda"));
        for (i, a) in v.agenda.iter().enumerate() {
            let _ = writeln!(out, "  {}. {a}", i + 1);
        }
    }
    if !v.proposals.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("show-proposals"));
        for p in &v.proposals {
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
            let _ = writeln!(out, "  [{}] {} — {}", p.key, p.text, details.join(", "));
        }
    }
    if !v.decisions.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("show-decisions"));
        for d in &v.decisions {
            let _ = writeln!(out, "  - {d}");
        }
    }
    if !v.follow_ups.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("show-follow-ups"));
        for f in &v.follow_ups {
            let due = f
                .due
                .as_deref()
                .map(|d| format!(", {}", tr!("show-due", date = d)))
                .unwrap_or_default();
            let status = value_label("follow-up", f.status.as_deref().unwrap_or("open"));
            let _ = writeln!(
                out,
                "  [{}] {} — {}{due} [{status}]",
                f.key,
                f.what,
                f.who.as_deref().unwrap_or("?"),
            );
        }
    }
    if !v.notes.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("show-notes"));
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
    let _ = writeln!(out, "{}", tr!("show-training-heading", id = id.to_string()));
    let labels = [
        tr!("show-topic"),
        tr!("show-village"),
        tr!("show-category"),
        tr!("show-trainer"),
    ];
    let w = label_width(&labels.each_ref().map(String::as_str));
    let [topic, village, category, trainer] = &labels;
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
    let summary = gender_summary(v.participants.iter().map(|p| p.gender.as_deref()));
    let _ = writeln!(out, "\n{}", tr!("show-participants", summary = summary));
    for p in &v.participants {
        let _ = writeln!(
            out,
            "  - {}",
            person_line(&p.name, p.gender.as_deref(), p.dusun.as_deref(), None)
        );
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
            let _ = writeln!(
                out,
                "       ✓ {} ({})",
                a.name,
                tr!("show-checked-in-by", device = &a.checked_in_by)
            );
        }
    }
    conflicts_footer(&mut out, c);
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

fn conflicts_footer(out: &mut String, c: &Conflicts) {
    if c.is_empty() {
        return;
    }
    let _ = writeln!(out, "\n{}", tr!("show-conflicts", n = c.0.len()));
    let _ = writeln!(out, "  {}", tr!("show-conflicts-explain"));
    for (path, lost) in &c.0 {
        let _ = writeln!(out, "  {}: {}", path_label(path), quote_all(lost));
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
