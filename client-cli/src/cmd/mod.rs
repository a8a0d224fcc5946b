//! The `balai` subcommands, one module each, and the helpers they share.

use anyhow::{Context, bail};
use balai_cli::home::Home;
use balai_cli::tr;
use balai_shared::ids::{DocId, DocKind};
use balai_shared::model::{self, Gender, Person};
use balai_shared::region::VillageCode;

pub(crate) mod admin;
pub(crate) mod archive;
pub(crate) mod export;
pub(crate) mod history;
pub(crate) mod init;
pub(crate) mod lang;
pub(crate) mod list;
pub(crate) mod minutes;
pub(crate) mod report;
pub(crate) mod shell;
pub(crate) mod show;
pub(crate) mod status;
pub(crate) mod sync;
pub(crate) mod training;

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .with_context(|| tr!("err-runtime"))
}

pub(crate) fn person(
    name: String,
    gender: Option<String>,
    dusun: Option<String>,
) -> anyhow::Result<Person> {
    let gender = gender.map(|g| g.parse::<Gender>()).transpose()?;
    Ok(Person {
        name,
        gender,
        dusun,
    })
}

/// Apply a model edit to an existing document, durably.
pub(crate) fn edit<T>(
    home: &Home,
    typed: &str,
    f: impl FnOnce(&mut automerge::Automerge) -> Result<T, model::ModelError>,
) -> anyhow::Result<(DocId, T)> {
    correct(home, typed, f).map(|(id, value, _)| (id, value))
}

/// Apply a correction to an existing document, durably, and say whether it changed anything: a
/// correction to what the document already says writes no change (the model compares first), and
/// the user is told so rather than that it was done.
pub(crate) fn correct<T>(
    home: &Home,
    typed: &str,
    f: impl FnOnce(&mut automerge::Automerge) -> Result<T, model::ModelError>,
) -> anyhow::Result<(DocId, T, bool)> {
    let id = home.resolve(typed)?;
    if home.store.doc_record(&id)?.is_none() {
        bail!(tr!("err-no-document-to-edit", id = id.to_string()));
    }
    let (value, changed) = home.store.edit(&id, |doc| {
        let before = doc.get_heads();
        let value = f(doc)?;
        // Only an edit that changed something is signed: "nothing to change" writes nothing.
        let changed = doc.get_heads() != before;
        if changed {
            sign(home, doc)?;
        }
        anyhow::Ok((value, changed))
    })?;
    Ok((id, value, changed))
}

/// Say what a correction did: `done`, or that nothing changed.
pub(crate) fn confirm(changed: bool, done: String) {
    if changed {
        eprintln!("{done}");
    } else {
        eprintln!("{}", tr!("correction-unchanged"));
    }
}

/// A correction to a person's details, from `--new-name`, `--gender` and `--new-dusun`.
pub(crate) fn person_correction(
    name: Option<String>,
    gender: Option<String>,
    dusun: Option<String>,
) -> anyhow::Result<model::PersonCorrection> {
    let gender = gender.map(|g| g.parse::<Gender>()).transpose()?;
    Ok(model::PersonCorrection {
        name,
        gender,
        dusun,
    })
}

pub(crate) fn create(
    home: &Home,
    kind: DocKind,
    village: &str,
    f: impl FnOnce(&mut automerge::Automerge, &VillageCode) -> Result<(), model::ModelError>,
) -> anyhow::Result<DocId> {
    let village: VillageCode = village.parse()?;
    home.check_in_scope(&village)?;
    let id = DocId::generate(kind, village.clone());
    home.store.edit(&id, |doc| {
        f(doc, &village)?;
        sign(home, doc)?;
        anyhow::Ok(())
    })?;
    Ok(id)
}

/// Name this device in `doc` (once per document), so `balai history` on every device can say
/// who made its changes. A second change, the first time this device edits the document: every
/// correction is one change, plus this one the first time a device touches a document.
fn sign(home: &Home, doc: &mut automerge::Automerge) -> Result<(), model::ModelError> {
    model::authors::sign(doc, &home.config.device).map(drop)
}
