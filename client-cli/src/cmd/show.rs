//! `balai show ID`: one document in full.

use anyhow::Context;
use balai_cli::home::Home;
use balai_cli::{export, render, tr};
use balai_shared::ids::DocKind;
use balai_shared::model::{minutes, training};

pub(crate) fn show(home: &Home, typed: &str, json: bool) -> anyhow::Result<()> {
    let id = home.resolve(typed)?;
    let doc = home
        .store
        .load(&id)?
        .with_context(|| tr!("err-no-document-to-show", id = id.to_string()))?;
    if json {
        // The same shape `balai export --format json` writes for every document.
        println!(
            "{}",
            serde_json::to_string_pretty(&export::json_doc(&id, &doc)?)?
        );
        return Ok(());
    }
    match id.kind() {
        DocKind::Minutes => print!("{}", render::minutes(&id, &minutes::view(&id, &doc)?)),
        DocKind::Training => print!("{}", render::training(&id, &training::view(&id, &doc)?)),
    }
    Ok(())
}
