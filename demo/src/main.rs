//! `balai-demo`: a real server and three offline devices in a temporary directory, recording
//! forum minutes and training attendance concurrently, syncing, and proving they converge. Its
//! own binary, so the field binary `balai` never links the server.

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
use balai_cli::render;
use balai_net::client::{SyncReport, sync_with_server};

const VILLAGE: &str = "18.01.05.2001";
const NEIGHBOUR: &str = "18.01.05.2002";

/// Run the demo, narrating to `out`. Fails (non-zero exit) if the devices do not converge.
async fn run(out: &mut impl Write) -> anyhow::Result<()> {
    let dir = tempfile::tempdir().context("cannot create a temporary directory")?;
    let server_store = Arc::new(Store::open(&dir.path().join("server.redb"), None)?);
    let access = Arc::new(Access::open(&dir.path().join("access.redb"))?);
    let listener = balai_server::bind(([127, 0, 0, 1], 0).into())
        .await
        .context("cannot bind 127.0.0.1")?;
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
    writeln!(out, "Balai demo — data in {}\n", dir.path().display())?;
    writeln!(
        out,
        "District server (kecamatan Kalianda) listening on {url}"
    )?;

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
        "Three facilitators' devices enrolled for district 18.01.05: hp-ani, laptop-budi, hp-citra\n"
    )?;

    // Day 1, at the village hall, with signal.
    writeln!(
        out,
        "Day 1 — Ani opens the forum minutes and a training in village {VILLAGE}, then syncs."
    )?;
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

    writeln!(
        out,
        "\nDays 2–4 — no signal. Everyone keeps recording offline:"
    )?;
    edit(&ani, &forum, |d| {
        minutes::attend(d, &person("Wayan Putra", Gender::M, "III"), Some("pemuda"))?;
        minutes::append_note(
            d,
            "Warga Dusun II menyampaikan jalan rusak parah sejak Oktober.",
        )?;
        minutes::set(d, minutes::Field::Place, "Masjid Al-Ikhlas")?;
        Ok(())
    })?;
    writeln!(
        out,
        "  hp-ani:      adds an attendee and a note to the minutes; moves the place to Masjid Al-Ikhlas"
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
    writeln!(
        out,
        "  laptop-budi: edits the SAME minutes — two attendees, a note, 12 supporters; sets the place to Balai Dusun II"
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
    writeln!(
        out,
        "  hp-ani and hp-citra: check different people into session 1 of the SAME training (one a walk-in)"
    )?;
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
    writeln!(
        out,
        "  hp-citra:    also records a forum in the neighbouring village {NEIGHBOUR}"
    )?;

    writeln!(
        out,
        "\nDay 5 — the signal comes back; devices sync in whatever order they reach it:"
    )?;
    sync(&mut budi, out).await?;
    sync(&mut citra, out).await?;
    sync(&mut ani, out).await?;
    // Budi and Citra synced before Ani's edits arrived: one more pass brings them level.
    sync(&mut budi, out).await?;
    sync(&mut citra, out).await?;

    writeln!(out, "\nWhat every device now holds:\n")?;
    let merged = citra.store.load(&forum)?.context("forum minutes missing")?;
    write!(
        out,
        "{}",
        render::minutes(&forum, &minutes::view(&forum, &merged)?)
    )?;
    writeln!(out)?;
    let merged = citra.store.load(&course)?.context("training missing")?;
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
        let reference = view_json(stores[0].1, id)?;
        for (name, store) in &stores[1..] {
            if view_json(store, id)? != reference {
                bail!("{name} differs from the server on {id}: the demo found a convergence bug");
            }
        }
    }
    let forum_view = minutes::view(
        &forum,
        &server_store
            .load(&forum)?
            .context("forum minutes missing on the server")?,
    )?;
    let course_view = training::view(
        &course,
        &server_store
            .load(&course)?
            .context("training missing on the server")?,
    )?;
    let checks = [
        (
            forum_view.attendees.len() == 6,
            "all 6 attendees from both devices",
        ),
        (
            forum_view.notes.contains("jalan rusak")
                && forum_view.notes.contains("pengolahan hasil panen"),
            "both devices' notes",
        ),
        (
            forum_view
                .proposals
                .first()
                .is_some_and(|p| p.support == 12),
            "the supporters counted offline",
        ),
        (
            forum_view.conflicts.get("place").is_some(),
            "the place conflict, with the losing value kept",
        ),
        (
            course_view
                .sessions
                .first()
                .is_some_and(|s| s.attended.len() == 4),
            "all 4 check-ins to session 1",
        ),
    ];
    writeln!(
        out,
        "\nConvergence check across the server and 3 devices, {} documents:",
        docs.len()
    )?;
    for (ok, what) in checks {
        if !ok {
            bail!("missing after sync: {what}");
        }
        writeln!(out, "  ✓ {what}")?;
    }
    writeln!(out, "  ✓ every replica holds identical documents")?;

    let report = sync(&mut ani, out).await?;
    writeln!(
        out,
        "\nA reconnect with nothing new: {} round trip, {} bytes of document data each way.",
        report.round_trips,
        report.doc_bytes_sent + report.doc_bytes_received
    )?;
    let _ = stop.send(());
    server
        .await
        .context("server task failed")?
        .context("server error")?;
    writeln!(out, "Server shut down cleanly. Demo complete.")?;
    Ok(())
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
        "  {:<12} synced: sent {} doc(s) / {} B of changes, received {} doc(s) / {} B, {} round trip(s)",
        home.config.device,
        report.docs_sent,
        report.change_bytes_sent,
        report.docs_received,
        report.change_bytes_received,
        report.round_trips
    )?;
    Ok(report)
}

fn view_json(store: &Store, id: &DocId) -> anyhow::Result<String> {
    let doc = store
        .load(id)?
        .with_context(|| format!("{id} is missing"))?;
    Ok(match id.kind() {
        DocKind::Minutes => serde_json::to_string(&minutes::view(id, &doc)?)?,
        DocKind::Training => serde_json::to_string(&training::view(id, &doc)?)?,
    })
}

#[tokio::main]
async fn main() -> std::process::ExitCode {
    match run(&mut std::io::stdout()).await {
        Ok(()) => std::process::ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("balai-demo: {e:#}");
            std::process::ExitCode::FAILURE
        }
    }
}
