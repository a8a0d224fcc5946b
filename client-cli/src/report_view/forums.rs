//! `balai report forums` as text: per village, its forums with attendance by gender and the
//! women's check, then each forum by dusun and role, its proposals, decisions and follow-ups.

use std::fmt::Write as _;

use balai_shared::report::ShareCheck;
use balai_shared::report::forums::{
    FollowUpState, ForumParticipation, ForumsReport, VillageForums,
};

use super::{
    day, excluded, flagged, flagged_count, gender_cells, gender_headers, heading, legend, names,
    numeric, ratio, table, value_label,
};
use crate::tr;

/// The whole report, in the current language.
pub fn render(report: &ForumsReport) -> String {
    let mut out = String::new();
    heading(
        &mut out,
        tr!("report-forums-title"),
        &report.filter,
        report.today,
    );
    let min = report.options.min_women_percent;
    let _ = writeln!(out, "{}", tr!("report-women-check-rule", min = min));
    if report.villages.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("report-villages-none"));
    } else {
        for v in &report.villages {
            village(&mut out, v, min);
        }
        out.push('\n');
        legend(&mut out);
    }
    excluded(&mut out, &report.excluded);
    out
}

fn village(out: &mut String, v: &VillageForums, min: u32) {
    let _ = writeln!(
        out,
        "\n{}",
        tr!(
            "report-village-heading",
            village = &v.village,
            dusun = names(&v.known_dusun)
        )
    );
    if v.forums.is_empty() {
        let _ = writeln!(out, "{}", tr!("report-forums-none"));
    } else {
        let _ = writeln!(out, "{}", forum_table(v, min));
    }
    // A village whose records name no dusun yet has none to leave out.
    if !v.known_dusun.is_empty() {
        let reached = if v.dusun_not_reached.is_empty() {
            tr!("report-every-dusun-reached")
        } else {
            flagged(&tr!(
                "report-dusun-not-reached",
                dusun = v.dusun_not_reached.join(", ")
            ))
        };
        let _ = writeln!(out, "{reached}");
    }
    for f in &v.forums {
        forum_detail(out, f);
    }
}

fn check(c: ShareCheck, min: u32) -> String {
    match c {
        ShareCheck::Met => tr!("report-check-met"),
        ShareCheck::Below => flagged(&tr!("report-check-below", min = min)),
        ShareCheck::Undetermined => tr!("report-check-undetermined"),
    }
}

/// One row per forum, then the held forums summed.
fn forum_table(v: &VillageForums, min: u32) -> comfy_table::Table {
    let [women, men, not_recorded] = gender_headers();
    let mut tab = table(vec![
        tr!("report-col-date"),
        tr!("report-col-forum"),
        women,
        men,
        not_recorded,
        tr!("report-col-total"),
        tr!("report-col-women-share"),
        tr!("report-col-women-check", min = min),
        tr!("report-col-dusun-absent"),
        tr!("report-col-pending"),
        tr!("report-col-overdue"),
    ]);
    for f in &v.forums {
        let date = if f.upcoming {
            tr!("report-upcoming-date", date = f.date.to_string())
        } else {
            f.date.to_string()
        };
        let absent = if f.dusun_absent.is_empty() {
            "—".to_owned()
        } else {
            flagged(&f.dusun_absent.join(", "))
        };
        let [w, m, n, total] = gender_cells(&f.attendees);
        tab.add_row(vec![
            date,
            f.title.clone(),
            w,
            m,
            n,
            total,
            ratio(f.women_share),
            check(f.women_check, min),
            absent,
            f.follow_ups.pending_count().to_string(),
            flagged_count(f.follow_ups.overdue),
        ]);
    }
    let [w, m, n, total] = gender_cells(&v.attendees);
    tab.add_row(vec![
        String::new(),
        tr!("report-row-held-forums"),
        w,
        m,
        n,
        total,
        ratio(v.attendees.women_share()),
        String::new(),
        String::new(),
        String::new(),
        String::new(),
    ]);
    numeric(&mut tab, (2..=6).chain(9..=10));
    tab
}

fn forum_detail(out: &mut String, f: &ForumParticipation) {
    let mut about = vec![f.date.to_string(), value_label("status", &f.status)];
    if f.upcoming {
        about.push(tr!("report-upcoming"));
    }
    let _ = writeln!(
        out,
        "\n{}",
        tr!(
            "report-forum-heading",
            title = &f.title,
            about = about.join(", "),
            id = &f.id
        )
    );
    let _ = writeln!(out, "{}", groups(f));

    if f.proposals.is_empty() {
        let _ = writeln!(out, "{}", tr!("report-proposals-none"));
    } else {
        let _ = writeln!(out, "{}", tr!("report-proposals"));
        let mut tab = table(vec![
            tr!("report-col-support"),
            tr!("report-col-proposal"),
            tr!("report-col-raised-by"),
            tr!("report-col-priority"),
        ]);
        for p in &f.proposals {
            tab.add_row(vec![
                p.support.to_string(),
                p.text.clone(),
                p.raised_by.clone().unwrap_or_else(|| "—".to_owned()),
                p.priority
                    .as_deref()
                    .map_or_else(|| "—".to_owned(), |v| value_label("priority", v)),
            ]);
        }
        numeric(&mut tab, [0]);
        let _ = writeln!(out, "{tab}");
    }

    if f.decisions.is_empty() {
        let _ = writeln!(out, "{}", tr!("report-decisions-none"));
    } else {
        let _ = writeln!(out, "{}", tr!("report-decisions"));
        for (i, d) in f.decisions.iter().enumerate() {
            let _ = writeln!(out, "  {}. {d}", i + 1);
        }
    }

    let fu = &f.follow_ups;
    let _ = writeln!(
        out,
        "{}",
        tr!(
            "report-follow-up-counts",
            open = fu.open,
            in_progress = fu.in_progress,
            done = fu.done,
            dropped = fu.dropped,
            unrecognised = fu.unrecognised
        )
    );
    if !fu.pending.is_empty() {
        let mut tab = table(vec![
            tr!("report-col-due"),
            tr!("report-col-what"),
            tr!("report-col-who"),
            tr!("report-col-state"),
        ]);
        for p in &fu.pending {
            let due = if p.overdue {
                flagged(&tr!("report-overdue-date", date = day(p.due)))
            } else {
                day(p.due)
            };
            tab.add_row(vec![
                due,
                p.what.clone(),
                p.who.clone().unwrap_or_else(|| "—".to_owned()),
                state(p.state),
            ]);
        }
        let _ = writeln!(out, "{tab}");
    }
}

fn state(s: FollowUpState) -> String {
    match s {
        FollowUpState::Open => value_label("follow-up", "open"),
        FollowUpState::InProgress => value_label("follow-up", "in-progress"),
        FollowUpState::Done => value_label("follow-up", "done"),
        FollowUpState::Dropped => value_label("follow-up", "dropped"),
        FollowUpState::Unrecognised => tr!("report-follow-up-unrecognised"),
    }
}

/// Attendees by dusun (a known dusun nobody came from flagged), then by role.
fn groups(f: &ForumParticipation) -> comfy_table::Table {
    let [women, men, not_recorded] = gender_headers();
    let mut tab = table(vec![
        tr!("report-col-dusun-or-role"),
        women,
        men,
        not_recorded,
        tr!("report-col-total"),
    ]);
    for d in &f.by_dusun {
        let label = match &d.dusun {
            Some(name) if d.attendees.total() == 0 => {
                flagged(&tr!("report-dusun-absent", dusun = name))
            }
            Some(name) => tr!("report-dusun", dusun = name),
            None => tr!("report-dusun-not-recorded"),
        };
        let [w, m, n, total] = gender_cells(&d.attendees);
        tab.add_row(vec![label, w, m, n, total]);
    }
    for r in &f.by_role {
        let label = r.role.as_deref().map_or_else(
            || tr!("report-role-not-recorded"),
            |role| tr!("report-role", role = role),
        );
        let [w, m, n, total] = gender_cells(&r.attendees);
        tab.add_row(vec![label, w, m, n, total]);
    }
    numeric(&mut tab, 1..=4);
    tab
}
