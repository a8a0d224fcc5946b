//! `balai report attendance` as text: per training, who was enrolled and who came, by gender and
//! dusun, each session, and the enrolled people who missed every session held.

use std::fmt::Write as _;

use balai_shared::report::attendance::{
    AttendanceReport, SeriesTally, SessionAttendance, TrainingAttendance,
};
use balai_shared::report::{ByGender, GenderGroup};

use super::{excluded, flagged, gender_headers, heading, legend, numeric, ratio, table};
use crate::render::gender_label;
use crate::tr;

/// The whole report, in the current language.
pub fn render(report: &AttendanceReport) -> String {
    let mut out = String::new();
    heading(
        &mut out,
        tr!("report-attendance-title"),
        &report.filter,
        report.today,
    );
    if report.trainings.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("report-attendance-none"));
    } else {
        for t in &report.trainings {
            training(&mut out, t);
        }
        out.push('\n');
        legend(&mut out);
        let _ = writeln!(out, "{}", tr!("report-attendance-legend"));
    }
    excluded(&mut out, &report.excluded);
    out
}

fn training(out: &mut String, t: &TrainingAttendance) {
    let _ = writeln!(
        out,
        "\n{}",
        tr!(
            "report-training-heading",
            topic = &t.topic,
            village = &t.village,
            id = &t.id
        )
    );
    let _ = writeln!(
        out,
        "{}",
        tr!(
            "report-sessions-held",
            held = t.sessions_held,
            upcoming = t.sessions_upcoming
        )
    );
    let _ = writeln!(out, "{}", tr!("report-attendance-by-group"));
    let _ = writeln!(out, "{}", series(t));
    let _ = writeln!(out, "{}", tr!("report-attendance-by-session"));
    let _ = writeln!(out, "{}", sessions(&t.sessions));
    if t.sessions_held == 0 {
        return;
    }
    if t.missed_every_session.is_empty() {
        let _ = writeln!(out, "{}", tr!("report-missed-none"));
        return;
    }
    let _ = writeln!(
        out,
        "{}",
        flagged(&tr!("report-missed", n = t.missed_every_session.len()))
    );
    for a in &t.missed_every_session {
        let gender = match a.gender {
            GenderGroup::Women => gender_label(Some("f")),
            GenderGroup::Men => gender_label(Some("m")),
            GenderGroup::NotRecorded => tr!("gender-not-recorded"),
        };
        let dusun = a
            .dusun
            .clone()
            .unwrap_or_else(|| tr!("report-dusun-not-recorded"));
        let _ = writeln!(out, "  {} ({gender}, {dusun})", a.name);
    }
}

/// The group labels of a report's rows: everyone, each gender, then each dusun.
fn group_rows<'a, T>(
    all: &'a T,
    by_gender: &'a ByGender<T>,
    by_dusun: impl Iterator<Item = (Option<&'a str>, &'a T)>,
) -> Vec<(String, Option<&'a str>, &'a T)> {
    let mut rows = vec![(tr!("report-group-all"), None, all)];
    rows.push((gender_label(Some("f")), None, &by_gender.women));
    rows.push((gender_label(Some("m")), None, &by_gender.men));
    rows.push((
        tr!("report-col-not-recorded"),
        None,
        &by_gender.not_recorded,
    ));
    for (dusun, tally) in by_dusun {
        let label = dusun.map_or_else(|| tr!("report-dusun-not-recorded"), str::to_owned);
        // The dusun rides along so that a named dusun nobody came from can be flagged ("dusun not
        // recorded" is no place anyone was left out of).
        rows.push((label, dusun, tally));
    }
    rows
}

/// The training over its held sessions, per group.
fn series(t: &TrainingAttendance) -> comfy_table::Table {
    let mut tab = table(vec![
        tr!("report-col-group"),
        tr!("report-col-enrolled"),
        tr!("report-col-reached"),
        tr!("report-col-check-ins"),
        tr!("report-col-walk-ins"),
        tr!("report-col-attention"),
    ]);
    let by_dusun = t.by_dusun.iter().map(|d| (d.dusun.as_deref(), &d.tally));
    for (label, dusun, s) in group_rows(&t.all, &t.by_gender, by_dusun) {
        let attention = match dusun {
            Some(_) if t.sessions_held > 0 => left_out(s),
            _ => String::new(),
        };
        tab.add_row(vec![
            label,
            s.enrolled.to_string(),
            s.reached.to_string(),
            ratio(s.check_ins),
            s.walk_ins.to_string(),
            attention,
        ]);
    }
    numeric(&mut tab, 1..=4);
    tab
}

/// Why a dusun's row is flagged: nobody from it at all, or none of its enrolled people.
fn left_out(s: &SeriesTally) -> String {
    if s.enrolled == 0 && s.walk_ins == 0 {
        flagged(&tr!("report-flag-nobody-from-dusun"))
    } else if s.enrolled > 0 && s.reached == 0 {
        flagged(&tr!("report-flag-no-enrolled-came"))
    } else {
        String::new()
    }
}

/// Each session: enrolled people present, overall and per gender, and walk-ins.
fn sessions(sessions: &[SessionAttendance]) -> comfy_table::Table {
    let [women, men, not_recorded] = gender_headers();
    let mut tab = table(vec![
        tr!("report-col-session"),
        tr!("report-col-date"),
        tr!("report-col-present"),
        women,
        men,
        not_recorded,
        tr!("report-col-walk-ins"),
    ]);
    for s in sessions {
        let date = if s.upcoming {
            tr!("report-upcoming-date", date = s.date.to_string())
        } else {
            s.date.to_string()
        };
        tab.add_row(vec![
            s.number.to_string(),
            date,
            ratio(s.all.present),
            ratio(s.by_gender.women.present),
            ratio(s.by_gender.men.present),
            ratio(s.by_gender.not_recorded.present),
            s.all.walk_ins.to_string(),
        ]);
    }
    numeric(&mut tab, [0, 2, 3, 4, 5, 6]);
    tab
}
