//! `balai report …` for people: each report of `balai_shared::report` as terminal tables in the
//! current language, and its tables as CSV for a spreadsheet.
//!
//! The figures are the report's, unchanged; this module only lays them out. Every percentage is
//! shown with the two counts it comes from (`40% (4/10)`), so a reader can check it by hand,
//! and everything a report flags (women below the threshold, a dusun nobody came from, a village
//! with no recent forum, an overdue follow-up, a clock ahead) starts with `⚠`, as conflicts do in
//! `balai show`. Gender is `P`/`L` in Indonesian and `F`/`M` in English, and "not recorded" is a
//! column of its own, never folded into either.

pub mod activity;
pub mod attendance;
pub mod csv;
pub mod district;
pub mod forums;

#[cfg(test)]
mod fixture;
#[cfg(test)]
mod tests;

use std::fmt::Write as _;

use balai_shared::report::{Excluded, ExclusionReason, Filter, GenderCounts, Ratio};
use comfy_table::{CellAlignment, ContentArrangement, Table};
use jiff::civil::Date;

use crate::{i18n, tr};

/// What marks a figure that needs attention.
const FLAG: &str = "⚠";

/// `text` marked as needing attention.
fn flagged(text: &str) -> String {
    format!("{FLAG} {text}")
}

/// Header lines are at most this wide (unless one word is wider), so that a column of small
/// counts stays narrow whatever the language.
const HEADER_WIDTH: usize = 13;

/// A table in the style of `balai list`, wrapped to the terminal's width when there is one.
fn table(header: Vec<String>) -> Table {
    let mut t = Table::new();
    t.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED)
        .set_content_arrangement(ContentArrangement::Dynamic)
        .set_header(header.iter().map(|h| wrap(h, HEADER_WIDTH)));
    t
}

/// `text` broken at spaces into as few lines of at most `width` characters as it takes (a
/// longer word keeps a line of its own), balanced: "Came at / least once", not "Came at least /
/// once".
fn wrap(text: &str, width: usize) -> String {
    let fewest = greedy(text, width).len();
    let longest = text.chars().count();
    // The narrowest width that needs no more lines than `width` does.
    (1..=longest.max(1))
        .map(|w| greedy(text, w))
        .find(|lines| lines.len() <= fewest)
        .unwrap_or_else(|| vec![text.to_owned()])
        .join("\n")
}

/// Words packed into lines of at most `width` characters, first fit.
fn greedy(text: &str, width: usize) -> Vec<String> {
    let mut lines: Vec<String> = Vec::new();
    for word in text.split(' ') {
        match lines.last_mut() {
            Some(line) if line.chars().count() + 1 + word.chars().count() <= width => {
                line.push(' ');
                line.push_str(word);
            }
            _ => lines.push(word.to_owned()),
        }
    }
    lines
}

/// Right-align the columns at `columns` (counts read better lined up on their last digit).
fn numeric(t: &mut Table, columns: impl IntoIterator<Item = usize>) {
    for i in columns {
        if let Some(c) = t.column_mut(i) {
            c.set_cell_alignment(CellAlignment::Right);
        }
    }
}

/// `40% (4/10)`: the rate rounded half up to a whole percent, then its counts; `—` for 0 of 0.
fn ratio(r: Ratio) -> String {
    if r.denominator == 0 {
        return "—".to_owned();
    }
    let (n, d) = (u64::from(r.numerator), u64::from(r.denominator));
    // ⌊100·n/d + ½⌋ in integers: no float rounding to explain.
    let percent = (200 * n + d) / (2 * d);
    format!("{percent}% ({}/{})", r.numerator, r.denominator)
}

/// The gender column headers: `P`, `L`, `tidak dicatat` (or `F`, `M`, `not recorded`).
fn gender_headers() -> [String; 3] {
    [
        tr!("gender-f"),
        tr!("gender-m"),
        tr!("report-col-not-recorded"),
    ]
}

/// Women, men, not recorded and the total, as cells.
fn gender_cells(c: &GenderCounts) -> [String; 4] {
    [
        c.women.to_string(),
        c.men.to_string(),
        c.not_recorded.to_string(),
        c.total().to_string(),
    ]
}

/// A count, flagged when it is not zero (overdue follow-ups).
fn flagged_count(n: u32) -> String {
    if n > 0 {
        flagged(&n.to_string())
    } else {
        n.to_string()
    }
}

/// A value stored as a key (`draft`, `high`, `in-progress`) in the reader's language: the
/// message `value-GROUP-VALUE` of cli.ftl, or the value as stored when there is none.
fn value_label(group: &str, value: &str) -> String {
    i18n::try_text(&format!("value-{group}-{value}")).unwrap_or_else(|| value.to_owned())
}

/// A date, or `—` when there is none.
fn day(d: Option<Date>) -> String {
    d.map_or_else(|| "—".to_owned(), |d| d.to_string())
}

/// Names joined for a cell, or `—` for none.
fn names(list: &[String]) -> String {
    if list.is_empty() {
        "—".to_owned()
    } else {
        list.join(", ")
    }
}

/// The report's first line: what it is, as of when, for which villages and which period.
fn heading(out: &mut String, title: String, filter: &Filter, today: Date) {
    let region = filter.village().map_or_else(
        || tr!("report-region-all"),
        |p| tr!("report-region", prefix = p.as_str()),
    );
    let period = match (filter.from(), filter.to()) {
        (None, None) => tr!("report-period-all"),
        (Some(from), None) => tr!("report-period-from", from = from.to_string()),
        (None, Some(to)) => tr!("report-period-to", to = to.to_string()),
        (Some(from), Some(to)) => tr!(
            "report-period-between",
            from = from.to_string(),
            to = to.to_string()
        ),
    };
    let _ = writeln!(
        out,
        "{}",
        tr!(
            "report-heading",
            title = title,
            today = today.to_string(),
            region = region,
            period = period
        )
    );
}

/// What the gender columns and the percentages mean.
fn legend(out: &mut String) {
    let _ = writeln!(out, "{}", tr!("report-legend-gender"));
    let _ = writeln!(out, "{}", tr!("report-legend-ratio"));
}

fn reason(r: ExclusionReason) -> String {
    match r {
        ExclusionReason::NotCreated => tr!("report-excluded-not-created"),
        ExclusionReason::NewerSchema => tr!("report-excluded-newer-schema"),
        ExclusionReason::KindMismatch => tr!("report-excluded-kind-mismatch"),
        ExclusionReason::Damaged => tr!("report-excluded-damaged"),
        ExclusionReason::BadDate => tr!("report-excluded-bad-date"),
        ExclusionReason::Archived => tr!("report-excluded-archived"),
    }
}

/// What the report could not read, one line each; nothing when it read everything.
fn excluded(out: &mut String, list: &[Excluded]) {
    if list.is_empty() {
        return;
    }
    let _ = writeln!(
        out,
        "\n{}",
        flagged(&tr!("report-excluded-heading", n = list.len()))
    );
    for e in list {
        let what = match &e.field {
            Some(field) => tr!("report-excluded-part", id = &e.id, field = field),
            None => e.id.clone(),
        };
        let _ = writeln!(out, "  {what}: {}", reason(e.reason));
    }
}

#[cfg(test)]
mod unit {
    use super::*;

    #[test]
    fn a_ratio_shows_its_counts_and_rounds_half_up() {
        assert_eq!(ratio(Ratio::new(4, 10)), "40% (4/10)");
        assert_eq!(ratio(Ratio::new(2, 3)), "67% (2/3)");
        // 12.5 % is 13 %, where float formatting would round to even (12 %).
        assert_eq!(ratio(Ratio::new(1, 8)), "13% (1/8)");
        assert_eq!(ratio(Ratio::new(0, 0)), "—");
        assert_eq!(
            ratio(Ratio::new(u32::MAX, u32::MAX)),
            "100% (4294967295/4294967295)"
        );
    }

    #[test]
    fn headers_wrap_at_spaces() {
        assert_eq!(
            wrap("Tindak lanjut belum selesai", 13),
            "Tindak lanjut\nbelum selesai"
        );
        assert_eq!(wrap("Came at least once", 13), "Came at\nleast once");
        assert_eq!(wrap("Musyawarah terakhir", 13), "Musyawarah\nterakhir");
        assert_eq!(wrap("Total", 13), "Total");
        assert_eq!(wrap("Perempuan≥30% x", 5), "Perempuan≥30%\nx");
    }
}
