//! `balai export`: the device's documents written out for other tools — CSV tables (a folder or a
//! ZIP), an Excel workbook, the `show --json` documents, or each raw automerge document.
//!
//! An export never overwrites anything unless asked to (`force`), and never leaves a half-written
//! file at the output path: everything is written beside it under a temporary name, then renamed
//! into place.

mod files;
mod write;

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use automerge::Automerge;
use balai_shared::ids::{DocId, DocKind};
use balai_shared::model::{minutes, training};
use balai_shared::region::RegionPrefix;
use balai_shared::store::Store;
use balai_shared::tables::Tables;
use serde::Serialize;

/// What `--format` names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, clap::ValueEnum, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// One CSV per table, joined by document id: a folder, or a ZIP when the path ends in `.zip`.
    Csv,
    /// The same tables as sheets of one Excel workbook.
    Xlsx,
    /// The documents as `balai show --json` prints them, in one JSON array.
    Json,
    /// Each document's own automerge bytes, one `.automerge` file per document in a folder.
    Automerge,
}

/// Which documents, and where to.
#[derive(Clone, Debug)]
pub struct Request {
    pub format: Format,
    pub village: Option<RegionPrefix>,
    pub out: PathBuf,
    /// Replace what is at `out`.
    pub force: bool,
    /// The device's home: nothing is ever written inside it.
    pub home: Option<PathBuf>,
}

/// What an export wrote.
#[derive(Clone, Debug, Serialize)]
pub struct Summary {
    pub format: Format,
    pub path: PathBuf,
    /// Documents written.
    pub documents: usize,
    /// Rows per table (CSV and XLSX only).
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub rows: BTreeMap<&'static str, usize>,
    /// Documents on the device that could not be read as records (their first change has not
    /// arrived yet, or their content is not what their id says), with the reason. They are left
    /// out of the tables and JSON, and still written by the automerge export.
    pub unreadable: Vec<Unreadable>,
}

#[derive(Clone, Debug, Serialize)]
pub struct Unreadable {
    pub id: String,
    pub reason: String,
}

#[derive(Debug, thiserror::Error)]
pub enum ExportError {
    #[error("{} already exists; choose another --out, or add --force to replace it", .0.display())]
    Exists(PathBuf),
    #[error("cannot write {}: {source}", path.display())]
    Io {
        path: PathBuf,
        #[source]
        source: std::io::Error,
    },
    #[error("cannot write the spreadsheet {}: {source}", path.display())]
    Xlsx {
        path: PathBuf,
        #[source]
        source: rust_xlsxwriter::XlsxError,
    },
    #[error("cannot write the ZIP file {}: {source}", path.display())]
    Zip {
        path: PathBuf,
        #[source]
        source: zip::result::ZipError,
    },
    #[error("cannot write CSV to {}: {source}", path.display())]
    Csv {
        path: PathBuf,
        #[source]
        source: csv::Error,
    },
    #[error(transparent)]
    Store(#[from] balai_shared::store::StoreError),
    #[error("cannot encode the JSON export: {0}")]
    Json(#[from] serde_json::Error),
}

/// One document as read from the store.
struct Loaded {
    id: DocId,
    doc: Automerge,
}

/// Write the export described by `req` from `store`.
pub fn export(store: &Store, req: &Request) -> Result<Summary, ExportError> {
    files::check_out(&req.out, req.home.as_deref())?;
    let docs = load(store, req.village.as_ref())?;
    let mut summary = Summary {
        format: req.format,
        path: req.out.clone(),
        documents: 0,
        rows: BTreeMap::new(),
        unreadable: Vec::new(),
    };
    match req.format {
        Format::Csv | Format::Xlsx => {
            let mut tables = Tables::new();
            for d in &docs {
                let added = match d.id.kind() {
                    DocKind::Minutes => {
                        minutes::view(&d.id, &d.doc).map(|v| tables.add_minutes(&d.id, &v))
                    }
                    DocKind::Training => {
                        training::view(&d.id, &d.doc).map(|v| tables.add_training(&d.id, &v))
                    }
                };
                match added {
                    Ok(()) => summary.documents += 1,
                    Err(e) => summary.unreadable.push(unreadable(&d.id, &e)),
                }
            }
            summary.rows = tables
                .all()
                .iter()
                .map(|t| (t.name, t.rows.len()))
                .collect();
            let zip = req.format == Format::Csv && is_zip(&req.out);
            match (req.format, zip) {
                (Format::Xlsx, _) => {
                    files::write_file(&req.out, req.force, |f| write::xlsx(&tables, f))?
                }
                (_, true) => {
                    files::write_file(&req.out, req.force, |f| write::csv_zip(&tables, f))?
                }
                (_, false) => {
                    files::write_dir(&req.out, req.force, |dir| write::csv_dir(&tables, dir))?
                }
            }
        }
        Format::Json => {
            let mut out = Vec::new();
            for d in &docs {
                match json_doc(&d.id, &d.doc) {
                    Ok(v) => out.push(v),
                    Err(e) => summary.unreadable.push(unreadable(&d.id, &e)),
                }
            }
            summary.documents = out.len();
            let bytes = serde_json::to_vec_pretty(&out)?;
            files::write_file(&req.out, req.force, |path| files::write_all(path, &bytes))?;
        }
        Format::Automerge => {
            for d in &docs {
                // Written even if unreadable as a record: the raw bytes are what another tool
                // (or a developer) would need to look at such a document.
                if let Err(e) = check_readable(&d.id, &d.doc) {
                    summary.unreadable.push(unreadable(&d.id, &e));
                }
            }
            summary.documents = docs.len();
            files::write_dir(&req.out, req.force, |dir| {
                let mut names = Vec::with_capacity(docs.len());
                for d in &docs {
                    let name = automerge_file_name(&d.id);
                    files::write_all(&dir.join(&name), &d.doc.save())?;
                    names.push(name);
                }
                Ok(names)
            })?;
        }
    }
    Ok(summary)
}

/// The documents under `village` (all when `None`), in id order.
fn load(store: &Store, village: Option<&RegionPrefix>) -> Result<Vec<Loaded>, ExportError> {
    let mut out = Vec::new();
    for (id, _) in store.docs()? {
        if village.is_some_and(|p| !p.covers(id.village())) {
            continue;
        }
        if let Some(doc) = store.load(&id)? {
            out.push(Loaded { id, doc });
        }
    }
    out.sort_by_key(|d| d.id.to_string());
    Ok(out)
}

fn unreadable(id: &DocId, e: &balai_shared::model::ModelError) -> Unreadable {
    Unreadable {
        id: id.to_string(),
        reason: e.to_string(),
    }
}

fn check_readable(id: &DocId, doc: &Automerge) -> Result<(), balai_shared::model::ModelError> {
    match id.kind() {
        DocKind::Minutes => minutes::view(id, doc).map(drop),
        DocKind::Training => training::view(id, doc).map(drop),
    }
}

/// A document as `balai show --json` prints it.
pub fn json_doc(
    id: &DocId,
    doc: &Automerge,
) -> Result<serde_json::Value, balai_shared::model::ModelError> {
    Ok(match id.kind() {
        DocKind::Minutes => serde_json::json!({
            "id": id.to_string(),
            "kind": "minutes",
            "minutes": minutes::view(id, doc)?,
        }),
        DocKind::Training => serde_json::json!({
            "id": id.to_string(),
            "kind": "training",
            "training": training::view(id, doc)?,
        }),
    })
}

/// `minutes/18.01.05.2001/01J…` → `minutes_18.01.05.2001_01J….automerge`: one flat folder, and
/// a name that says what the file is.
pub fn automerge_file_name(id: &DocId) -> String {
    format!("{}.automerge", id.to_string().replace('/', "_"))
}

fn is_zip(path: &Path) -> bool {
    path.extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"))
}

#[cfg(test)]
mod tests;
