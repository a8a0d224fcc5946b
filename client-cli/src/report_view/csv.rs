//! A report table as CSV for a spreadsheet: the header row of the table's snake_case keys, then
//! its rows, with cells that a spreadsheet would run as a formula made inert.
//!
//! Names, titles and follow-ups are typed by people, and a document can come from any device in
//! the region, so a cell may start with `=`, `+`, `-` or `@` (or a tab or carriage return, which
//! some spreadsheets skip before looking). Excel, LibreOffice and Google Sheets run such a cell as
//! a formula when the file is opened, which can fetch URLs or run commands (CSV injection, CWE-1236).
//! Such a cell is written with a leading `'`, which spreadsheets show as text. Plain numbers
//! (`-3`, `0.4000`) are left alone: they are no formula, and stay numbers.

use std::borrow::Cow;

use balai_shared::report::Table;

/// `cell`, or `'cell` when a spreadsheet would read it as a formula.
pub fn spreadsheet_safe(cell: &str) -> Cow<'_, str> {
    let risky = cell.starts_with(['=', '+', '-', '@', '\t', '\r']);
    if risky && !is_plain_number(cell) {
        Cow::Owned(format!("'{cell}"))
    } else {
        Cow::Borrowed(cell)
    }
}

/// An optional `-`, digits, and at most one `.` followed by digits: `-3`, `0.4000`.
fn is_plain_number(s: &str) -> bool {
    let digits = s.strip_prefix('-').unwrap_or(s);
    let (whole, fraction) = digits.split_once('.').unwrap_or((digits, "0"));
    !whole.is_empty()
        && !fraction.is_empty()
        && whole.bytes().all(|b| b.is_ascii_digit())
        && fraction.bytes().all(|b| b.is_ascii_digit())
}

/// `table` as CSV bytes (RFC 4180 quoting, `\n` line ends, UTF-8 without a byte-order mark).
pub fn to_csv(table: &Table) -> Result<Vec<u8>, ::csv::Error> {
    let mut w = ::csv::Writer::from_writer(Vec::new());
    w.write_record(&table.header)?;
    for row in &table.rows {
        w.write_record(row.iter().map(|c| spreadsheet_safe(c).into_owned()))?;
    }
    w.into_inner()
        .map_err(|e| ::csv::Error::from(std::io::Error::other(e.to_string())))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn formulas_are_made_text_and_numbers_are_not_touched() {
        for formula in [
            "=HYPERLINK(\"http://x\")",
            "+62 812",
            "-1+2",
            "@SUM(A1)",
            "\t=1",
            "\r=1",
            "-",
        ] {
            assert_eq!(
                spreadsheet_safe(formula),
                format!("'{formula}"),
                "{formula:?}"
            );
        }
        for plain in ["Siti", "2026-12-01", "-3", "0.4000", "12", "", "a=b"] {
            assert_eq!(spreadsheet_safe(plain), plain, "{plain:?}");
        }
    }

    #[test]
    fn a_table_becomes_quoted_csv_with_its_header() {
        let table = Table {
            name: "example",
            header: vec!["name", "count"],
            rows: vec![
                vec!["=cmd|' /C calc'!A0".to_owned(), "-2".to_owned()],
                vec!["Budi, \"Pak\"".to_owned(), "3".to_owned()],
            ],
        };
        let text = String::from_utf8(to_csv(&table).expect("csv")).expect("utf-8");
        assert_eq!(
            text,
            "name,count\n'=cmd|' /C calc'!A0,-2\n\"Budi, \"\"Pak\"\"\",3\n"
        );
    }
}
