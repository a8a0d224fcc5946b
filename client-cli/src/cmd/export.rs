//! `balai export`: write the device's documents as CSV, Excel, JSON or raw automerge files.

use std::path::PathBuf;

use balai_cli::export::{self, Format, Request};
use balai_cli::home::Home;
use balai_cli::tr;
use balai_shared::region::RegionPrefix;
use clap::Args;

#[derive(Debug, Args)]
pub(crate) struct ExportArgs {
    /// csv (a folder of tables, or a ZIP when --out ends in .zip), xlsx, json or automerge
    #[arg(long, value_enum)]
    format: Format,
    /// Only documents under this region prefix, e.g. 18.01.05 or 18.01.05.2001.
    #[arg(long)]
    village: Option<String>,
    /// Where to write: a file (xlsx, json, csv ending in .zip) or a folder (csv, automerge).
    #[arg(long)]
    out: PathBuf,
    /// Replace what is at --out (only a file, or a folder an export wrote).
    #[arg(long)]
    force: bool,
    /// Print what was written as JSON.
    #[arg(long)]
    json: bool,
}

pub(crate) fn export(home: &Home, args: ExportArgs) -> anyhow::Result<()> {
    let req = Request {
        format: args.format,
        village: args
            .village
            .as_deref()
            .map(str::parse::<RegionPrefix>)
            .transpose()?,
        out: args.out,
        force: args.force,
        home: Some(home.dir.clone()),
    };
    let summary = export::export(&home.store, &req)?;
    if args.json {
        println!("{}", serde_json::to_string_pretty(&summary)?);
        return Ok(());
    }
    println!(
        "{}",
        tr!(
            "export-done",
            documents = summary.documents,
            path = summary.path.display().to_string()
        )
    );
    for (table, rows) in &summary.rows {
        println!("{}", tr!("export-table-rows", table = *table, rows = *rows));
    }
    for u in &summary.unreadable {
        eprintln!(
            "{}",
            tr!(
                "export-unreadable",
                id = u.id.clone(),
                reason = u.reason.clone()
            )
        );
    }
    Ok(())
}
