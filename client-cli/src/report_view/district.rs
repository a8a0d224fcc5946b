//! `balai report district` as text: one row per village (forums and sessions held, attendance
//! by gender, the women's share, dusun reached, follow-ups, last activity), the totals, and what
//! needs attention: villages with no recent forum and the dusun nobody came from.

use std::fmt::Write as _;

use balai_shared::report::GenderCounts;
use balai_shared::report::district::{DistrictReport, Totals, VillageSummary};

use super::{
    day, excluded, flagged, flagged_count, gender_headers, heading, legend, numeric, ratio, table,
};
use crate::tr;

/// The whole report, in the current language.
pub fn render(report: &DistrictReport) -> String {
    let mut out = String::new();
    heading(
        &mut out,
        tr!("report-district-title"),
        &report.filter,
        report.today,
    );
    let _ = writeln!(
        out,
        "{}",
        tr!(
            "report-stale-rule",
            months = report.options.stale_months,
            since = report.stale_before.to_string()
        )
    );
    if report.villages.is_empty() {
        let _ = writeln!(out, "\n{}", tr!("report-villages-none"));
        excluded(&mut out, &report.excluded);
        return out;
    }
    let _ = writeln!(out, "\n{}", villages(report));
    let stale: Vec<&str> = report
        .villages
        .iter()
        .filter(|v| v.stale)
        .map(|v| v.village.as_str())
        .collect();
    if !stale.is_empty() {
        let _ = writeln!(
            out,
            "{}",
            flagged(&tr!(
                "report-stale-villages",
                since = report.stale_before.to_string(),
                villages = stale.join(", ")
            ))
        );
    }
    let missing: Vec<&VillageSummary> = report
        .villages
        .iter()
        .filter(|v| !v.dusun_not_reached.is_empty())
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(out, "{}", flagged(&tr!("report-dusun-not-reached-heading")));
        for v in missing {
            let _ = writeln!(out, "  {}: {}", v.village, v.dusun_not_reached.join(", "));
        }
    }
    out.push('\n');
    legend(&mut out);
    let _ = writeln!(out, "{}", tr!("report-district-legend"));
    excluded(&mut out, &report.excluded);
    out
}

fn both(a: GenderCounts, b: GenderCounts) -> GenderCounts {
    let mut sum = a;
    sum += b;
    sum
}

fn villages(report: &DistrictReport) -> comfy_table::Table {
    let [women, men, not_recorded] = gender_headers();
    let mut tab = table(vec![
        tr!("report-col-village"),
        tr!("report-col-forums"),
        tr!("report-col-trainings"),
        tr!("report-col-sessions"),
        women,
        men,
        not_recorded,
        tr!("report-col-total"),
        tr!("report-col-women-share"),
        tr!("report-col-dusun-reached"),
        tr!("report-col-pending"),
        tr!("report-col-overdue"),
        tr!("report-col-last-forum"),
        tr!("report-col-last-activity"),
    ]);
    for v in &report.villages {
        let people = both(v.forum_attendance, v.training_check_ins);
        let last_forum = if v.stale {
            flagged(&day(v.last_forum))
        } else {
            day(v.last_forum)
        };
        tab.add_row(vec![
            v.village.clone(),
            v.forums_held.to_string(),
            v.trainings_held.to_string(),
            v.sessions_held.to_string(),
            people.women.to_string(),
            people.men.to_string(),
            people.not_recorded.to_string(),
            people.total().to_string(),
            ratio(v.women_share),
            reached(v.dusun_coverage.numerator, v.dusun_coverage.denominator),
            v.follow_ups_pending.to_string(),
            flagged_count(v.follow_ups_overdue),
            last_forum,
            day(v.last_activity),
        ]);
    }
    let t: &Totals = &report.totals;
    let people = both(t.forum_attendance, t.training_check_ins);
    tab.add_row(vec![
        tr!("report-row-total", n = t.villages),
        t.forums_held.to_string(),
        t.trainings_held.to_string(),
        t.sessions_held.to_string(),
        people.women.to_string(),
        people.men.to_string(),
        people.not_recorded.to_string(),
        people.total().to_string(),
        ratio(t.women_share),
        reached(t.dusun_coverage.numerator, t.dusun_coverage.denominator),
        t.follow_ups_pending.to_string(),
        flagged_count(t.follow_ups_overdue),
        String::new(),
        String::new(),
    ]);
    numeric(&mut tab, 1..=11);
    tab
}

/// Dusun reached of known, flagged when some were not.
fn reached(numerator: u32, denominator: u32) -> String {
    let cell = ratio(balai_shared::report::Ratio::new(numerator, denominator));
    if numerator < denominator {
        flagged(&cell)
    } else {
        cell
    }
}
