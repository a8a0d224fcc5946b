//! `balai show ID`: one document in full.

use anyhow::Context;
use balai_cli::home::Home;
use balai_cli::{render, tr};
use balai_shared::ids::DocKind;
use balai_shared::model::{minutes, training};

pub(crate) fn show(home: &Home, typed: &str, json: bool) -> anyhow::Result<()> {
    let id = home.resolve(typed)?;
    let doc = home
        .store
        .load(&id)?
        .with_context(|| tr!("err-no-document-to-show", id = id.to_string()))?;
    match id.kind() {
        DocKind::Minutes => {
            let v = minutes::view(&id, &doc)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({"id": id.to_string(), "kind": "minutes", "minutes": v})
                    )?
                );
            } else {
                print!("{}", render::minutes(&id, &v));
            }
        }
        DocKind::Training => {
            let v = training::view(&id, &doc)?;
            if json {
                println!(
                    "{}",
                    serde_json::to_string_pretty(
                        &serde_json::json!({"id": id.to_string(), "kind": "training", "training": v})
                    )?
                );
            } else {
                print!("{}", render::training(&id, &v));
            }
        }
    }
    Ok(())
}
