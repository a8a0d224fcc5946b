//! `balai-demo`: a real server and three offline devices in a temporary directory, recording
//! forum minutes and training attendance concurrently, syncing, and proving they converge. Its
//! own binary, so the field binary `balai` never links the server.
//!
//! It narrates in Bahasa Indonesia or English as `balai` does (`BALAI_LANG`, then the locale;
//! English by default); its messages are `client-cli/locales/*/demo.ftl`.

use std::io::Write;
use std::sync::Arc;

use anyhow::{Context, bail};
use automerge::Automerge;
use balai_server::ServerConfig;
use balai_server::access::{Access, Role};
use balai_shared::ids::{DocId, DocKind};
use balai_shared::model::{Gender, ModelError, Person, minutes, training};
use balai_shared::store::Store;

use balai_cli::home::{Home, InitOptions};
use balai_cli::i18n::{self, Sources, describe::describe};
use balai_cli::{render, tr};
use balai_net::client::{SyncReport, sync_with_server};

const VILLAGE: &str = "18.01.05.2001";
const NEIGHBOUR: &str = "18.01.05.2002";

/// Run the demo, narrating to `out`. Fails (non-zero exit) if the devices do not converge.
async fn run(out: &mut impl Write) -> anyhow::Result<()> {
    let dir = tempfile::tempdir().with_context(|| tr!("demo-err-tempdir"))?;
    let server_store = Arc::new(Store::open(&dir.path().join("server.redb"), None)?);
    let access = Arc::new(Access::open(&dir.path().join("access.redb"))?);
    let listener = balai_server::bind(([127, 0, 0, 1], 0).into())
        .await
        .with_context(|| tr!("demo-err-bind", addr = "127.0.0.1"))?;
    let addr = listener.local_addr()?;
    let (stop, stopped) = tokio::sync::oneshot::channel::<()>();
    let server = tokio::spawn(balai_server::run(
        listener,
        server_store.clone(),
        access.clone(),
        ServerConfig {
            name: "server-kecamatan-kalianda".into(),
            ..ServerConfig::default()
        },
        async {
            let _ = stopped.await;
        },
    ));
    let url = format!("http://{addr}");
    writeln!(
        out,
        "{}\n",
        tr!("demo-title", dir = dir.path().display().to_string())
    )?;
    writeln!(out, "{}", tr!("demo-server", url = &url))?;

    // The admin enrolls each facilitator for the district (18.01.05 = all of Kalianda); each
    // device is set up with its own token, as with `balai-server device add` + `balai init`.
    let enroll = |name: &str| -> anyhow::Result<Home> {
        let (_, token) = access.add(name, Role::Facilitator, &["18.01.05".to_owned()])?;
        let opts = InitOptions {
            server: &url,
            token: Some(&token.0),
            ..InitOptions::default()
        };
        Home::init(&dir.path().join(name), &opts)
    };
    let mut ani = enroll("hp-ani")?;
    let mut budi = enroll("laptop-budi")?;
    let mut citra = enroll("hp-citra")?;
    writeln!(
        out,
        "{}\n",
        tr!(
            "demo-enrolled",
            district = "18.01.05",
            devices = "hp-ani, laptop-budi, hp-citra"
        )
    )?;

    // Day 1, at the village hall, with signal.
    writeln!(out, "{}", tr!("demo-day-one", village = VILLAGE))?;
    let forum = DocId::generate(DocKind::Minutes, VILLAGE.parse()?);
    edit(&ani, &forum, |d| {
        minutes::create(
            d,
            forum.village(),
            &minutes::NewMinutes {
                title: "Musyawarah Perencanaan Pembangunan Desa".into(),
                date: "2026-11-29".into(),
                place: Some("Balai Desa".into()),
                facilitator: Some("Ani Rahmawati".into()),
            },
        )?;
        minutes::add_agenda_item(d, "Usulan perbaikan jalan Dusun II")?;
        minutes::add_agenda_item(d, "Lokasi pasar tradisional")?;
        for (name, g, dusun, role) in [
            ("Siti Aminah", Gender::F, "I", Some("ketua PKK")),
            ("Made Wirawan", Gender::M, "II", Some("kelompok tani")),
            ("Rahmat Hidayat", Gender::M, "I", None),
        ] {
            minutes::attend(d, &person(name, g, dusun), role)?;
        }
        minutes::add_proposal(
            d,
            "Perbaikan jalan Dusun II sebelum musim hujan",
            Some("Made Wirawan"),
            Some("high"),
        )?;
        Ok(())
    })?;
    let course = DocId::generate(DocKind::Training, VILLAGE.parse()?);
    edit(&ani, &course, |d| {
        training::create(
            d,
            course.village(),
            &training::NewTraining {
                topic: "Budidaya cabai organik".into(),
                category: Some("pertanian".into()),
                trainer: Some("Ibu Wayan Sari".into()),
                sessions: vec!["2026-12-01".into(), "2026-12-08".into()],
            },
        )?;
        for (name, g, dusun) in [
            ("Dewi Lestari", Gender::F, "I"),
            ("Agus Salim", Gender::M, "II"),
            ("Nur Aini", Gender::F, "III"),
        ] {
            training::enroll(d, &person(name, g, dusun))?;
        }
        Ok(())
    })?;
    sync(&mut ani, out).await?;
    sync(&mut budi, out).await?;
    sync(&mut citra, out).await?;

    writeln!(out, "\n{}", tr!("demo-offline"))?;
    edit(&ani, &forum, |d| {
        minutes::attend(d, &person("Wayan Putra", Gender::M, "III"), Some("pemuda"))?;
        minutes::append_note(
            d,
            "Warga Dusun II menyampaikan jalan rusak parah sejak Oktober.",
        )?;
        minutes::set(d, minutes::Field::Place, "Masjid Al-Ikhlas")?;
        Ok(())
    })?;
    narrate(
        out,
        "hp-ani",
        &tr!("demo-offline-ani", place = "Masjid Al-Ikhlas"),
    )?;
    let forum_key = edit(&budi, &forum, |d| {
        minutes::attend(
            d,
            &person("Sri Wahyuni", Gender::F, "II"),
            Some("kelompok wanita tani"),
        )?;
        minutes::attend(d, &person("Ketut Arsana", Gender::M, "III"), None)?;
        minutes::append_note(
            d,
            "Kelompok wanita tani meminta pelatihan pengolahan hasil panen.",
        )?;
        minutes::set(d, minutes::Field::Place, "Balai Dusun II")?;
        let read = minutes::view(&forum, d)?;
        Ok(read.proposals.first().map(|p| p.key.clone()))
    })?;
    if let Some(key) = forum_key {
        edit(&budi, &forum, |d| minutes::support(d, &key, 12))?;
    }
    narrate(
        out,
        "laptop-budi",
        &tr!(
            "demo-offline-budi",
            supporters = 12,
            place = "Balai Dusun II"
        ),
    )?;
    edit(&ani, &course, |d| {
        training::check_in(d, 1, "Dewi Lestari", None, "hp-ani")?;
        training::check_in(d, 1, "Agus Salim", None, "hp-ani")?;
        Ok(())
    })?;
    edit(&citra, &course, |d| {
        training::check_in(d, 1, "Nur Aini", None, "hp-citra")?;
        training::check_in(d, 1, "Yohana Manurung", Some("IV"), "hp-citra")?;
        Ok(())
    })?;
    narrate(out, "hp-ani, hp-citra", &tr!("demo-offline-check-ins"))?;
    let other = DocId::generate(DocKind::Minutes, NEIGHBOUR.parse()?);
    edit(&citra, &other, |d| {
        minutes::create(
            d,
            other.village(),
            &minutes::NewMinutes {
                title: "Musyawarah Dusun tentang air bersih".into(),
                date: "2026-12-02".into(),
                place: None,
                facilitator: Some("Citra Dewi".into()),
            },
        )?;
        minutes::attend(d, &person("Fransiska Lumban", Gender::F, "I"), None)?;
        Ok(())
    })?;
    narrate(
        out,
        "hp-citra",
        &tr!("demo-offline-citra", village = NEIGHBOUR),
    )?;

    writeln!(out, "\n{}", tr!("demo-day-five"))?;
    sync(&mut budi, out).await?;
    sync(&mut citra, out).await?;
    sync(&mut ani, out).await?;
    // Budi and Citra synced before Ani's edits arrived: one more pass brings them level.
    sync(&mut budi, out).await?;
    sync(&mut citra, out).await?;

    writeln!(out, "\n{}\n", tr!("demo-holds"))?;
    let merged = loaded(&citra.store, "hp-citra", &forum)?;
    write!(
        out,
        "{}",
        render::minutes(&forum, &minutes::view(&forum, &merged)?)
    )?;
    writeln!(out)?;
    let merged = loaded(&citra.store, "hp-citra", &course)?;
    write!(
        out,
        "{}",
        render::training(&course, &training::view(&course, &merged)?)
    )?;

    // The proof: every replica identical, nothing lost.
    let docs = [&forum, &course, &other];
    let stores: [(&str, &Store); 4] = [
        ("server", &server_store),
        ("hp-ani", &ani.store),
        ("laptop-budi", &budi.store),
        ("hp-citra", &citra.store),
    ];
    for id in docs {
        let reference = view_json(stores[0].0, stores[0].1, id)?;
        for (name, store) in &stores[1..] {
            if view_json(name, store, id)? != reference {
                bail!(tr!("demo-err-diverged", store = *name, id = id.to_string()));
            }
        }
    }
    let forum_view = minutes::view(&forum, &loaded(&server_store, "server", &forum)?)?;
    let course_view = training::view(&course, &loaded(&server_store, "server", &course)?)?;
    let checks = [
        (
            forum_view.attendees.len() == 6,
            tr!("demo-check-attendees", n = 6),
        ),
        (
            forum_view.notes.contains("jalan rusak")
                && forum_view.notes.contains("pengolahan hasil panen"),
            tr!("demo-check-notes"),
        ),
        (
            forum_view
                .proposals
                .first()
                .is_some_and(|p| p.support == 12),
            tr!("demo-check-supporters"),
        ),
        (
            forum_view.conflicts.get("place").is_some(),
            tr!("demo-check-conflict"),
        ),
        (
            course_view
                .sessions
                .first()
                .is_some_and(|s| s.attended.len() == 4),
            tr!("demo-check-check-ins", n = 4),
        ),
    ];
    writeln!(
        out,
        "\n{}",
        tr!(
            "demo-check-heading",
            devices = stores.len() - 1,
            documents = docs.len()
        )
    )?;
    for (ok, what) in checks {
        if !ok {
            bail!(tr!("demo-err-check", what = what));
        }
        writeln!(out, "  ✓ {what}")?;
    }
    writeln!(out, "  ✓ {}", tr!("demo-check-identical"))?;

    let report = sync(&mut ani, out).await?;
    writeln!(
        out,
        "\n{}",
        tr!(
            "demo-reconnect",
            round_trips = report.round_trips,
            bytes = report.doc_bytes_sent + report.doc_bytes_received
        )
    )?;
    let _ = stop.send(());
    server
        .await
        .with_context(|| tr!("demo-err-server-task"))?
        .with_context(|| tr!("demo-err-server"))?;
    writeln!(out, "{}", tr!("demo-done"))?;
    Ok(())
}

/// `  hp-ani:      what it did`, the devices' names lined up.
fn narrate(out: &mut impl Write, who: &str, what: &str) -> std::io::Result<()> {
    writeln!(out, "  {:<13}{what}", format!("{who}: "))
}

/// A document `store` must hold by now.
fn loaded(store: &Store, name: &str, id: &DocId) -> anyhow::Result<Automerge> {
    store
        .load(id)?
        .with_context(|| tr!("demo-err-missing", id = id.to_string(), store = name))
}

fn person(name: &str, gender: Gender, dusun: &str) -> Person {
    Person {
        name: name.into(),
        gender: Some(gender),
        dusun: Some(dusun.into()),
    }
}

fn edit<T>(
    home: &Home,
    id: &DocId,
    f: impl FnOnce(&mut Automerge) -> Result<T, ModelError>,
) -> anyhow::Result<T> {
    home.store.edit(id, |d| f(d).map_err(anyhow::Error::from))
}

async fn sync(home: &mut Home, out: &mut impl Write) -> anyhow::Result<SyncReport> {
    let (report, server) = sync_with_server(
        home.store.clone(),
        &home.connection()?,
        &home.config.device,
        home.config.server_store_id(),
        &|_| {},
    )
    .await?;
    home.remember_server(server, &report.scopes)?;
    writeln!(
        out,
        "  {:<12} {}",
        home.config.device,
        tr!(
            "demo-synced",
            sent = report.docs_sent,
            sent_bytes = report.change_bytes_sent,
            received = report.docs_received,
            received_bytes = report.change_bytes_received,
            round_trips = report.round_trips
        )
    )?;
    Ok(report)
}

fn view_json(name: &str, store: &Store, id: &DocId) -> anyhow::Result<String> {
    let doc = loaded(store, name, id)?;
    Ok(match id.kind() {
        DocKind::Minutes => serde_json::to_string(&minutes::view(id, &doc)?)?,
        DocKind::Training => serde_json::to_string(&training::view(id, &doc)?)?,
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    // The demo has no flags and no home of its own: BALAI_LANG or the locale decide.
    i18n::set(i18n::resolve(&Sources::from_env(None, None)).lang);
    match run(&mut std::io::stdout()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("balai-demo: {}", describe(&e));
            std::process::ExitCode::FAILURE
        }
    }
}
