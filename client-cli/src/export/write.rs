//! The table formats: CSV files (a folder or a ZIP) and an Excel workbook.

use std::fs;
use std::io::Write;
use std::path::Path;

use balai_shared::tables::{Cell, Table, Tables};
use rust_xlsxwriter::{ExcelDateTime, Format, Workbook, XlsxError};

use super::ExportError;

/// A cell as CSV text. Text anyone typed (on any device, arriving by sync) that starts like a
/// formula gets a leading `'`, so a spreadsheet opening the file shows it instead of running it
/// (`=HYPERLINK(…)`, DDE payloads): the OWASP advice for CSV injection. Numbers and dates are
/// ours and stay as they are.
fn csv_text(cell: &Cell) -> String {
    match cell {
        Cell::Text(s) => crate::report_view::csv::spreadsheet_safe(s).into_owned(),
        other => other.to_text(),
    }
}

fn csv_bytes(table: &Table) -> Result<Vec<u8>, csv::Error> {
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record(table.columns)?;
    for row in &table.rows {
        w.write_record(row.iter().map(csv_text))?;
    }
    w.into_inner()
        .map_err(|e| csv::Error::from(std::io::Error::other(e.to_string())))
}

fn csv_error(path: &Path) -> impl FnOnce(csv::Error) -> ExportError + '_ {
    move |source| ExportError::Csv {
        path: path.to_owned(),
        source,
    }
}

/// One `<table>.csv` per table in `dir`; returns the file names.
pub(super) fn csv_dir(tables: &Tables, dir: &Path) -> Result<Vec<String>, ExportError> {
    let mut names = Vec::new();
    for t in tables.all() {
        let name = format!("{}.csv", t.name);
        let path = dir.join(&name);
        let bytes = csv_bytes(t).map_err(csv_error(&path))?;
        super::files::write_all(&path, &bytes)?;
        names.push(name);
    }
    Ok(names)
}

/// The same CSV files, in one ZIP at `path`.
pub(super) fn csv_zip(tables: &Tables, path: &Path) -> Result<(), ExportError> {
    let zip_error = |source| ExportError::Zip {
        path: path.to_owned(),
        source,
    };
    let file = fs::File::create(path).map_err(|source| ExportError::Io {
        path: path.to_owned(),
        source,
    })?;
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated);
    for t in tables.all() {
        let bytes = csv_bytes(t).map_err(csv_error(path))?;
        zip.start_file(format!("{}.csv", t.name), options)
            .map_err(zip_error)?;
        zip.write_all(&bytes).map_err(|source| ExportError::Io {
            path: path.to_owned(),
            source,
        })?;
    }
    zip.finish().map_err(zip_error)?;
    Ok(())
}

/// One sheet per table, typed cells (numbers as numbers, dates as dates), the header row bold
/// and frozen.
pub(super) fn xlsx(tables: &Tables, path: &Path) -> Result<(), ExportError> {
    let xlsx_error = |source| ExportError::Xlsx {
        path: path.to_owned(),
        source,
    };
    let mut book = Workbook::new();
    let bold = Format::new().set_bold();
    let date = Format::new().set_num_format("yyyy-mm-dd");
    for t in tables.all() {
        let sheet = book.add_worksheet();
        sheet.set_name(t.name).map_err(xlsx_error)?;
        for (c, name) in t.columns.iter().enumerate() {
            sheet
                .write_string_with_format(0, col(c)?, *name, &bold)
                .map_err(xlsx_error)?;
        }
        for (r, row) in t.rows.iter().enumerate() {
            let r = u32::try_from(r + 1).map_err(|_| xlsx_error(XlsxError::RowColumnLimitError))?;
            for (c, cell) in row.iter().enumerate() {
                let c = col(c)?;
                match cell {
                    Cell::Text(s) => {
                        sheet
                            .write_string(r, c, cell_text(s).as_ref())
                            .map_err(xlsx_error)?;
                    }
                    Cell::Int(n) => {
                        // Counts and positions: far below 2^53, exact as a spreadsheet number.
                        #[allow(clippy::cast_precision_loss)]
                        sheet.write_number(r, c, *n as f64).map_err(xlsx_error)?;
                    }
                    Cell::Date(s) => match ExcelDateTime::parse_from_str(s) {
                        Ok(d) => {
                            sheet
                                .write_datetime_with_format(r, c, &d, &date)
                                .map_err(xlsx_error)?;
                        }
                        // Not a date Excel can hold (dates are checked on entry, so only a
                        // document written by another tool): keep the text.
                        Err(_) => {
                            sheet.write_string(r, c, s).map_err(xlsx_error)?;
                        }
                    },
                    Cell::Bool(b) => {
                        sheet.write_boolean(r, c, *b).map_err(xlsx_error)?;
                    }
                    Cell::Empty => {}
                }
            }
        }
        sheet.set_freeze_panes(1, 0).map_err(xlsx_error)?;
        sheet.autofit();
    }
    book.save(path).map_err(xlsx_error)
}

/// Excel holds at most 32,767 characters (UTF-16 units) in a cell; longer text (long notes) is
/// cut there with a mark, rather than failing the whole workbook. The CSV and JSON exports
/// carry it whole.
pub(super) fn cell_text(s: &str) -> std::borrow::Cow<'_, str> {
    const MAX: usize = 32_767;
    const MARK: &str = " […]";
    if s.encode_utf16().count() <= MAX {
        return s.into();
    }
    let mut units = 0;
    let mut out = String::new();
    for c in s.chars() {
        units += c.len_utf16();
        if units > MAX - MARK.len() {
            break;
        }
        out.push(c);
    }
    out.push_str(MARK);
    out.into()
}

fn col(c: usize) -> Result<u16, ExportError> {
    // Tables have a dozen columns at most.
    u16::try_from(c).map_err(|_| ExportError::Io {
        path: Default::default(),
        source: std::io::Error::other("too many columns for a spreadsheet"),
    })
}
