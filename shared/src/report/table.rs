//! Reports as tables for CSV: a header of stable snake_case keys and rows of text cells. Nothing
//! here writes a file or quotes a cell; the CLI's CSV writer does.
//!
//! Cell conventions, the same in every table: an empty cell is a value that was not recorded (or
//! a rate of 0 of 0); dates are `YYYY-MM-DD`; rates are decimals with a `.` and 4 places, next
//! to the two counts they come from; enums are their JSON keys.

use jiff::civil::Date;

use super::figures::Ratio;

/// One CSV table: `header` names the columns, every row has one cell per column.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Table {
    /// What the rows are, e.g. `sessions`; a CLI writing several tables can name files by it.
    pub name: &'static str,
    pub header: Vec<&'static str>,
    pub rows: Vec<Vec<String>>,
}

impl Table {
    /// Build a table whose rows all have the header's width, checked by the compiler.
    pub(crate) fn new<const N: usize>(
        name: &'static str,
        header: [&'static str; N],
        rows: impl IntoIterator<Item = [String; N]>,
    ) -> Self {
        Self {
            name,
            header: header.to_vec(),
            rows: rows.into_iter().map(Vec::from).collect(),
        }
    }

    /// The header followed by the rows, as a CSV writer takes records.
    pub fn records(&self) -> Vec<Vec<String>> {
        let header = self.header.iter().map(|h| (*h).to_owned()).collect();
        std::iter::once(header)
            .chain(self.rows.iter().cloned())
            .collect()
    }
}

pub(crate) fn text(value: Option<&str>) -> String {
    value.unwrap_or_default().to_owned()
}

pub(crate) fn date(value: Option<Date>) -> String {
    value.map(|d| d.to_string()).unwrap_or_default()
}

pub(crate) fn num(value: impl ToString) -> String {
    value.to_string()
}

pub(crate) fn flag(value: bool) -> String {
    value.to_string()
}

/// A ratio's rate, `numerator / denominator` to 4 places; empty for 0 of 0.
pub(crate) fn rate(ratio: Ratio) -> String {
    ratio.value().map(|v| format!("{v:.4}")).unwrap_or_default()
}

/// Several names in one cell, `; ` between them (CSV quoting is the writer's).
pub(crate) fn list(names: &[String]) -> String {
    names.join("; ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn records_start_with_the_header() {
        let t = Table::new(
            "example",
            ["a", "b"],
            [
                [num(1), rate(Ratio::new(1, 3))],
                [text(None), rate(Ratio::new(0, 0))],
            ],
        );
        assert_eq!(
            t.records(),
            vec![
                vec!["a".to_owned(), "b".to_owned()],
                vec!["1".to_owned(), "0.3333".to_owned()],
                vec![String::new(), String::new()],
            ]
        );
    }
}
