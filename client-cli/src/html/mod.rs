//! `balai report district --html`: the district summary as one self-contained HTML page, with
//! inline SVG charts, to open offline on a district laptop. Nothing in it refers to anything
//! outside the file: no scripts, stylesheets, fonts or images to fetch.

mod chart;
pub mod file;

use std::fmt::Write as _;

use balai_shared::report::district::{DistrictReport, VillageSummary};
use balai_shared::report::forums::ForumsReport;
use balai_shared::report::{GenderCounts, Ratio};
use plotters::style::RGBColor;

use crate::tr;
pub use chart::ChartError;
use chart::Part;

const WOMEN: RGBColor = RGBColor(196, 62, 120);
const MEN: RGBColor = RGBColor(44, 104, 184);
const NOT_RECORDED: RGBColor = RGBColor(160, 160, 160);
const REACHED: RGBColor = RGBColor(46, 139, 87);
const NOT_REACHED: RGBColor = RGBColor(222, 120, 40);
const OVERDUE: RGBColor = RGBColor(200, 40, 40);
const PENDING: RGBColor = RGBColor(230, 180, 60);

/// Text for HTML: `&`, `<`, `>` and quotes escaped. Everything a person typed goes through it.
fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn percent(r: Ratio) -> String {
    r.value().map_or_else(
        || "–".to_owned(),
        |v| format!("{:.0}% ({}/{})", v * 100.0, r.numerator, r.denominator),
    )
}

fn gender_parts(counts: &[GenderCounts]) -> [Part; 3] {
    [
        Part {
            label: tr!("report-women"),
            color: WOMEN,
            values: counts.iter().map(|c| c.women).collect(),
        },
        Part {
            label: tr!("report-men"),
            color: MEN,
            values: counts.iter().map(|c| c.men).collect(),
        },
        Part {
            label: tr!("report-gender-not-recorded"),
            color: NOT_RECORDED,
            values: counts.iter().map(|c| c.not_recorded).collect(),
        },
    ]
}

fn attendance(v: &VillageSummary) -> GenderCounts {
    let (f, t) = (v.forum_attendance, v.training_check_ins);
    GenderCounts {
        women: f.women + t.women,
        men: f.men + t.men,
        not_recorded: f.not_recorded + t.not_recorded,
    }
}

/// The page for `district` (the summary per village) and `forums` (the same filter: who came
/// from which dusun, and the follow-ups), in the current language.
pub fn district_page(
    district: &DistrictReport,
    forums: &ForumsReport,
) -> Result<String, ChartError> {
    let villages: Vec<String> = district
        .villages
        .iter()
        .map(|v| v.village.clone())
        .collect();

    let by_gender: Vec<GenderCounts> = district.villages.iter().map(attendance).collect();
    let gender_chart = chart::stacked_bars(
        &tr!("html-chart-attendance-gender"),
        &tr!("html-unit-people"),
        &villages,
        &gender_parts(&by_gender),
    )?;

    // Every known dusun of every village, with those nobody came from as empty rows: the gaps
    // are the point of the chart.
    let mut dusun_rows = Vec::new();
    let mut dusun_counts = Vec::new();
    for v in &forums.villages {
        let mut seen = std::collections::BTreeMap::new();
        for f in v.forums.iter().filter(|f| !f.upcoming) {
            for d in &f.by_dusun {
                let name = d
                    .dusun
                    .clone()
                    .unwrap_or_else(|| tr!("report-dusun-not-recorded"));
                let c: &mut GenderCounts = seen.entry(name).or_default();
                c.women += d.attendees.women;
                c.men += d.attendees.men;
                c.not_recorded += d.attendees.not_recorded;
            }
        }
        for d in &v.known_dusun {
            seen.entry(d.clone()).or_default();
        }
        for (dusun, counts) in seen {
            dusun_rows.push(format!("{} · {dusun}", v.village));
            dusun_counts.push(counts);
        }
    }
    let dusun_chart = chart::stacked_bars(
        &tr!("html-chart-attendance-dusun"),
        &tr!("html-unit-people"),
        &dusun_rows,
        &gender_parts(&dusun_counts),
    )?;

    let coverage_chart = chart::stacked_bars(
        &tr!("html-chart-coverage"),
        &tr!("html-unit-dusun"),
        &villages,
        &[
            Part {
                label: tr!("html-dusun-reached"),
                color: REACHED,
                values: district
                    .villages
                    .iter()
                    .map(|v| v.dusun_coverage.numerator)
                    .collect(),
            },
            Part {
                label: tr!("html-dusun-not-reached"),
                color: NOT_REACHED,
                values: district
                    .villages
                    .iter()
                    .map(|v| {
                        v.dusun_coverage.denominator
                            - v.dusun_coverage.numerator.min(v.dusun_coverage.denominator)
                    })
                    .collect(),
            },
        ],
    )?;

    let follow_up_chart = chart::stacked_bars(
        &tr!("html-chart-follow-ups"),
        &tr!("html-unit-follow-ups"),
        &villages,
        &[
            Part {
                label: tr!("html-follow-ups-overdue"),
                color: OVERDUE,
                values: district
                    .villages
                    .iter()
                    .map(|v| v.follow_ups_overdue)
                    .collect(),
            },
            Part {
                label: tr!("html-follow-ups-pending-not-overdue"),
                color: PENDING,
                values: district
                    .villages
                    .iter()
                    .map(|v| v.follow_ups_pending - v.follow_ups_overdue.min(v.follow_ups_pending))
                    .collect(),
            },
        ],
    )?;

    let mut page = String::new();
    let title = tr!("html-title", today = district.today.to_string());
    let _ = write!(
        page,
        "<!DOCTYPE html>\n<html lang=\"{lang}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{title}</title>\n<style>{STYLE}</style>\n</head>\n<body>\n<h1>{title}</h1>\n",
        lang = crate::i18n::current().code(),
        title = esc(&title),
    );
    let scope = district
        .filter
        .village()
        .map_or_else(|| tr!("html-scope-all"), |p| p.to_string());
    let _ = writeln!(
        page,
        "<p class=\"scope\">{}</p>",
        esc(&tr!(
            "html-scope",
            region = scope,
            stale = district.stale_before.to_string()
        ))
    );

    // The summary table.
    let _ = writeln!(
        page,
        "<h2>{}</h2>\n<table>\n<tr>",
        esc(&tr!("html-summary"))
    );
    for h in [
        "html-col-village",
        "html-col-forums",
        "html-col-trainings",
        "html-col-attendance",
        "html-col-women-share",
        "html-col-dusun-coverage",
        "html-col-follow-ups",
        "html-col-last-activity",
    ] {
        let _ = write!(
            page,
            "<th>{}</th>",
            esc(&crate::i18n::text(h, &Default::default()))
        );
    }
    page.push_str("</tr>\n");
    for v in &district.villages {
        let stale = if v.stale {
            format!(" <span class=\"flag\">{}</span>", esc(&tr!("html-stale")))
        } else {
            String::new()
        };
        let _ = writeln!(
            page,
            "<tr><td>{}{stale}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td>\
             <td>{}</td><td>{}</td></tr>",
            esc(&v.village),
            v.forums_held,
            v.trainings_held,
            attendance(v).total(),
            esc(&percent(v.women_share)),
            esc(&percent(v.dusun_coverage)),
            esc(&tr!(
                "html-follow-ups-cell",
                pending = v.follow_ups_pending,
                overdue = v.follow_ups_overdue
            )),
            v.last_activity
                .map_or_else(|| "–".to_owned(), |d| d.to_string()),
        );
    }
    page.push_str("</table>\n");

    for (heading, svg) in [
        ("html-h-attendance", &gender_chart),
        ("html-h-dusun", &dusun_chart),
        ("html-h-coverage", &coverage_chart),
        ("html-h-follow-ups", &follow_up_chart),
    ] {
        let _ = writeln!(
            page,
            "<h2>{}</h2>\n<figure>{svg}</figure>",
            esc(&crate::i18n::text(heading, &Default::default()))
        );
    }

    // Who was not reached, in words as well as bars.
    let missing: Vec<&VillageSummary> = district
        .villages
        .iter()
        .filter(|v| !v.dusun_not_reached.is_empty())
        .collect();
    if !missing.is_empty() {
        let _ = writeln!(page, "<h2>{}</h2>\n<ul>", esc(&tr!("html-h-not-reached")));
        for v in missing {
            let _ = writeln!(
                page,
                "<li><b>{}</b>: {}</li>",
                esc(&v.village),
                esc(&v.dusun_not_reached.join(", "))
            );
        }
        page.push_str("</ul>\n");
    }

    // The overdue follow-ups, one by one.
    let overdue: Vec<_> = forums
        .villages
        .iter()
        .flat_map(|v| v.forums.iter().map(move |f| (v, f)))
        .flat_map(|(v, f)| {
            f.follow_ups
                .pending
                .iter()
                .filter(|p| p.overdue)
                .map(move |p| (v, f, p))
        })
        .collect();
    if !overdue.is_empty() {
        let _ = writeln!(
            page,
            "<h2>{}</h2>\n<table>\n<tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr>",
            esc(&tr!("html-h-overdue")),
            esc(&tr!("html-col-village")),
            esc(&tr!("html-col-forum")),
            esc(&tr!("html-col-what")),
            esc(&tr!("html-col-who")),
            esc(&tr!("html-col-due")),
        );
        for (v, f, p) in overdue {
            let _ = writeln!(
                page,
                "<tr><td>{}</td><td>{} ({})</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&v.village),
                esc(&f.title),
                f.date,
                esc(&p.what),
                esc(p.who.as_deref().unwrap_or("–")),
                p.due.map_or_else(|| "–".to_owned(), |d| d.to_string()),
            );
        }
        page.push_str("</table>\n");
    }
    page.push_str("</body>\n</html>\n");
    Ok(page)
}

/// Plain, printable, and readable on a small laptop screen.
const STYLE: &str = "body{font-family:sans-serif;margin:24px;color:#222;max-width:1000px}\
h1{font-size:22px}h2{font-size:18px;margin-top:28px}\
table{border-collapse:collapse;font-size:14px}th,td{border:1px solid #ccc;padding:4px 8px;\
text-align:left}th{background:#f2f2f2}.flag{color:#b00;font-weight:bold}.scope{color:#555}\
figure{margin:0}svg{max-width:100%;height:auto}";

#[cfg(test)]
mod tests {
    use super::esc;

    #[test]
    fn what_people_typed_cannot_become_markup() {
        assert_eq!(
            esc("<script>alert('x')</script> & \"Dusun\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;Dusun&quot;"
        );
    }
}
