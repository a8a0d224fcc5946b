//! `balai list`: the documents on this device.

use balai_cli::home::Home;
use balai_cli::render::kind_label;
use balai_cli::tr;
use balai_shared::ids::DocKind;
use balai_shared::model;
use balai_shared::region::RegionPrefix;

#[derive(serde::Serialize)]
pub(crate) struct ListRow {
    id: String,
    kind: DocKind,
    village: String,
    title: String,
    date: Option<String>,
    people: usize,
}

pub(crate) fn list(home: &Home, village: Option<&str>, json: bool) -> anyhow::Result<()> {
    let prefix = village.map(str::parse::<RegionPrefix>).transpose()?;
    let mut rows = Vec::new();
    for (id, _) in home.store.docs()? {
        if prefix.as_ref().is_some_and(|p| !p.covers(id.village())) {
            continue;
        }
        let Some(doc) = home.store.load(&id)? else {
            continue;
        };
        // A document whose creation has not arrived yet has nothing to list.
        let Ok(s) = model::summarize(&id, &doc) else {
            continue;
        };
        rows.push(ListRow {
            id: id.to_string(),
            kind: s.kind,
            village: id.village().to_string(),
            title: s.title,
            date: s.date,
            people: s.people,
        });
    }
    rows.sort_by(|a, b| (&a.village, &a.date, &a.id).cmp(&(&b.village, &b.date, &b.id)));
    if json {
        println!("{}", serde_json::to_string_pretty(&rows)?);
        return Ok(());
    }
    if rows.is_empty() {
        println!("{}", tr!("list-empty"));
        return Ok(());
    }
    let mut table = comfy_table::Table::new();
    table.load_preset(comfy_table::presets::UTF8_FULL_CONDENSED);
    table.set_header([
        tr!("list-id"),
        tr!("list-kind"),
        tr!("list-village"),
        tr!("list-date"),
        tr!("list-title"),
        tr!("list-people"),
    ]);
    for r in &rows {
        table.add_row([
            r.id.clone(),
            kind_label(r.kind.as_str()),
            r.village.clone(),
            r.date.clone().unwrap_or_default(),
            r.title.clone(),
            r.people.to_string(),
        ]);
    }
    println!("{table}");
    Ok(())
}
