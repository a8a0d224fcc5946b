//! The `balai` subcommands, one module each, and the helpers they share.

use anyhow::{Context, bail};
use balai_cli::home::Home;
use balai_shared::ids::{DocId, DocKind};
use balai_shared::model::{self, Gender, Person};
use balai_shared::region::VillageCode;

pub(crate) mod admin;
pub(crate) mod init;
pub(crate) mod list;
pub(crate) mod minutes;
pub(crate) mod show;
pub(crate) mod status;
pub(crate) mod sync;
pub(crate) mod training;

pub(crate) fn runtime() -> anyhow::Result<tokio::runtime::Runtime> {
    tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()
        .context("cannot start the async runtime")
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
    let id = home.resolve(typed)?;
    if home.store.doc_record(&id)?.is_none() {
        bail!("no document {id} on this device (see `balai list`; sync to fetch others' records)");
    }
    let value = home
        .store
        .edit(&id, |doc| f(doc).map_err(anyhow::Error::from))?;
    Ok((id, value))
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
    home.store
        .edit(&id, |doc| f(doc, &village).map_err(anyhow::Error::from))?;
    Ok(id)
}
