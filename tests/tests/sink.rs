//! The analytics sink end to end, against a real PostgreSQL (a throwaway cluster: initdb and
//! pg_ctl in a temp dir, on a free loopback port): devices sync into a real `balai-server
//! --sink-postgres`, and SQL returns what they recorded; a correction reaches the tables; a
//! server killed while the sink is part-way resumes with no duplicate and no gap; PostgreSQL
//! stopped while devices keep syncing is caught up by itself once it is back.

use std::collections::BTreeMap;
use std::io::Write;
use std::path::Path;
use std::time::{Duration, Instant};

use automerge::Automerge;
use balai_e2e::{Device, Server, Value, new_minutes, wait_until};
use balai_shared::ids::{DocId, DocKind};
use balai_shared::model::{Gender, Person, minutes};
use balai_shared::store::Store;
use balai_sink::cluster::TempCluster;

const VILLAGE: &str = "18.01.05.2001";
const WAIT: Duration = Duration::from_secs(60);

fn cluster() -> TempCluster {
    let pg = TempCluster::start().expect("a throwaway PostgreSQL cluster");
    pg.create_database("balai").expect("create the database");
    pg
}

fn sink_server(data: &Path, pg: &TempCluster, extra: &[&str]) -> Server {
    let url = pg.url("balai");
    let mut args = vec!["--sink-postgres", url.as_str()];
    args.extend_from_slice(extra);
    Server::start_args(data, &args)
}

fn sql(pg: &TempCluster, query: &str) -> String {
    pg.psql("balai", query)
        .unwrap_or_else(|e| panic!("{query}: {e}"))
}

fn count(pg: &TempCluster, query: &str) -> u64 {
    let out = sql(pg, query);
    out.parse()
        .unwrap_or_else(|e| panic!("{query} gave {out:?}: {e}"))
}

/// The sink section of `balai admin status --json`.
fn sink_status(server: &Server) -> Value {
    server.admin().json(&["admin", "status", "--json"])["sink"].clone()
}

fn caught_up(server: &Server) -> bool {
    let s = sink_status(server);
    s["connected"] == Value::Bool(true) && s["lag"].as_u64() == Some(0)
}

#[test]
fn devices_sync_into_postgres_and_corrections_reach_the_tables() {
    let pg = cluster();
    let data = tempfile::tempdir().expect("server data dir");
    let server = sink_server(data.path(), &pg, &[]);
    let rina = server.device("hp-rina");
    let forum = new_minutes(&rina, VILLAGE, "Musyawarah dusun");
    for (name, gender, dusun) in [
        ("Siti Aminah", "f", "Dusun I"),
        ("Budi", "m", "Dusun II"),
        ("Wati", "f", "Dusun II"),
    ] {
        rina.ok(&[
            "minutes", "attend", &forum, "--name", name, "--gender", gender, "--dusun", dusun,
        ]);
    }
    rina.ok(&["minutes", "agenda", &forum, "Air bersih"]);
    let training = rina.create(&[
        "training",
        "new",
        "--village",
        VILLAGE,
        "--topic",
        "Budidaya cabai",
        "--sessions",
        "2026-11-10,2026-11-17",
    ]);
    rina.ok(&[
        "training", "enroll", &training, "--name", "Dewi", "--gender", "f", "--dusun", "Dusun I",
    ]);
    for name in ["Dewi", "Rudi"] {
        rina.ok(&[
            "training",
            "check-in",
            &training,
            "--session",
            "1",
            "--name",
            name,
        ]);
    }
    rina.sync();
    wait_until("the sink projects both documents", WAIT, || {
        caught_up(&server)
    });

    // SQL returns what the device recorded.
    assert_eq!(
        sql(
            &pg,
            &format!(
                "SELECT kind || '|' || title || '|' || district || '|' || (view->>'title') \
                 FROM documents WHERE doc_id = '{forum}'"
            )
        ),
        "minutes|Musyawarah dusun|18.01.05|Musyawarah dusun"
    );
    assert_eq!(
        sql(
            &pg,
            &format!(
                "SELECT string_agg(name || ':' || gender_group || ':' || dusun_key, ',' \
                 ORDER BY name) FROM attendees WHERE doc_id = '{forum}'"
            )
        ),
        "Budi:men:dusun-ii,Siti Aminah:women:dusun-i,Wati:women:dusun-ii"
    );
    assert_eq!(
        sql(
            &pg,
            &format!("SELECT text FROM agenda_items WHERE doc_id = '{forum}'")
        ),
        "Air bersih"
    );
    // Rudi walked in: checked in without being enrolled.
    assert_eq!(
        sql(
            &pg,
            &format!(
                "SELECT string_agg(p.name || ':' || p.walk_in, ',' ORDER BY p.name) \
                 FROM participants p WHERE doc_id = '{training}'"
            )
        ),
        "Dewi:false,Rudi:true"
    );
    assert_eq!(
        count(
            &pg,
            &format!("SELECT count(*) FROM check_ins WHERE doc_id = '{training}' AND session = 1")
        ),
        2
    );
    assert_eq!(
        count(&pg, "SELECT count(*) FROM documents"),
        2,
        "one row per document"
    );

    // The report views give what `balai report` gives on the device: counted by hand, women 2
    // (Siti Aminah, Wati), men 1 (Budi), so 2 of 3 and the 30 % check is met; the village's
    // known dusun are Dusun I and II, and both came.
    assert_eq!(forum_figures(&rina, &forum), "2,1,0,met,");
    assert_eq!(forum_view(&pg, &forum), "2,1,0,met,");
    // The training: Dewi enrolled and present at session 1, Rudi a walk-in.
    assert_eq!(
        sql(
            &pg,
            &format!(
                "SELECT enrolled || ',' || present || ',' || walk_ins \
                 FROM report_training_sessions_at('{TODAY}') \
                 WHERE doc_id = '{training}' AND session_number = 1 AND dimension = 'all'"
            )
        ),
        "1,1,1"
    );

    // Corrections: an attendee removed and a check-in undone disappear from the tables.
    rina.ok(&["minutes", "attendee-remove", &forum, "Budi"]);
    rina.ok(&[
        "training",
        "check-in-undo",
        &training,
        "--session",
        "1",
        "--name",
        "Dewi",
    ]);
    rina.sync();
    wait_until("the corrections reach PostgreSQL", WAIT, || {
        count(
            &pg,
            &format!("SELECT count(*) FROM attendees WHERE doc_id = '{forum}'"),
        ) == 2
            && count(
                &pg,
                &format!("SELECT count(*) FROM check_ins WHERE doc_id = '{training}'"),
            ) == 1
    });
    assert_eq!(
        sql(
            &pg,
            &format!(
                "SELECT string_agg(name, ',' ORDER BY name) FROM attendees \
                 WHERE doc_id = '{forum}'"
            )
        ),
        "Siti Aminah,Wati"
    );
    assert_eq!(
        sql(
            &pg,
            &format!("SELECT name FROM check_ins WHERE doc_id = '{training}'")
        ),
        "Rudi"
    );
    // Budi is no longer counted, in the view as in `balai report`.
    assert_eq!(forum_figures(&rina, &forum), "2,0,0,met,");
    assert_eq!(forum_view(&pg, &forum), "2,0,0,met,");
    // The row's heads are the device's heads: the tables hold this exact version.
    let heads = rina.show_json(&forum)["heads"].clone();
    if let Some(heads) = heads.as_array() {
        let want: Vec<&str> = heads.iter().filter_map(Value::as_str).collect();
        assert_eq!(
            sql(
                &pg,
                &format!(
                    "SELECT array_to_string(heads, ',') FROM documents WHERE doc_id = '{forum}'"
                )
            ),
            want.join(",")
        );
    }

    // The status shows the sink, caught up, in the table and in the JSON.
    let status = sink_status(&server);
    assert_eq!(status["connected"], Value::Bool(true));
    assert!(
        status["url"]
            .as_str()
            .is_some_and(|u| u.ends_with("/balai")),
        "{status}"
    );
    assert!(status["documents_written"].as_u64() >= Some(4), "{status}");
}

const TODAY: &str = "2026-12-01";

/// `balai report forums` on the device, for one forum: women, men, not recorded, the check, the
/// dusun absent (`;`-separated).
fn forum_figures(device: &Device, forum: &str) -> String {
    let r = device.json(&["report", "forums", "--today", TODAY, "--json"]);
    let f = r["villages"]
        .as_array()
        .into_iter()
        .flatten()
        .flat_map(|v| v["forums"].as_array().into_iter().flatten())
        .find(|f| f["id"] == forum)
        .unwrap_or_else(|| panic!("{forum} in the forums report: {r:#}"));
    let absent: Vec<&str> = f["dusun_absent"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .collect();
    format!(
        "{},{},{},{},{}",
        f["attendees"]["women"],
        f["attendees"]["men"],
        f["attendees"]["not_recorded"],
        f["women_check"].as_str().unwrap_or_default(),
        absent.join(";")
    )
}

/// The same figures from the `report_forums_at` view function.
fn forum_view(pg: &TempCluster, forum: &str) -> String {
    sql(
        pg,
        &format!(
            "SELECT women || ',' || men || ',' || not_recorded || ',' || women_check || ',' || \
             array_to_string(dusun_absent, ';') FROM report_forums_at('{TODAY}') \
             WHERE doc_id = '{forum}'"
        ),
    )
}

/// Documents written straight into a stopped server's store: many, so that the sink needs many
/// small batches to project them. Returns each document's id, heads and attendee count.
fn fill_store(data: &Path, docs: usize) -> BTreeMap<String, (Vec<String>, usize)> {
    let store = Store::open(&balai_server::store_path(data), None).expect("open the store");
    let mut out = BTreeMap::new();
    for i in 0..docs {
        let id = DocId::generate(DocKind::Minutes, village_code());
        let attendees = 1 + i % 4;
        let heads = store
            .edit(&id, |doc: &mut Automerge| {
                let new = minutes::NewMinutes {
                    title: format!("Musyawarah {i}"),
                    date: "2026-11-20".into(),
                    place: None,
                    facilitator: None,
                };
                minutes::create(doc, &village_code(), &new)?;
                for a in 0..attendees {
                    let person = Person {
                        name: format!("Warga {a}"),
                        gender: Some(if a % 2 == 0 { Gender::F } else { Gender::M }),
                        dusun: Some(format!("Dusun {}", a % 3)),
                    };
                    minutes::attend(doc, &person, None)?;
                }
                Ok::<_, Box<dyn std::error::Error>>(
                    doc.get_heads().iter().map(ToString::to_string).collect(),
                )
            })
            .expect("write a document");
        out.insert(id.to_string(), (heads, attendees));
    }
    out
}

fn village_code() -> balai_shared::region::VillageCode {
    VILLAGE.parse().expect("a village code")
}

/// The sink's checkpoint (0 before it has created its tables).
fn checkpoint(pg: &TempCluster) -> u64 {
    pg.psql(
        "balai",
        "SELECT coalesce(max(feed_seq), 0) FROM sink_checkpoint",
    )
    .ok()
    .and_then(|out| out.parse().ok())
    .unwrap_or(0)
}

/// What PostgreSQL holds: doc id → (heads, attendees).
fn projected(pg: &TempCluster) -> BTreeMap<String, (Vec<String>, usize)> {
    let out = sql(
        pg,
        "SELECT d.doc_id || ' ' || array_to_string(d.heads, ',') || ' ' || \
         (SELECT count(*) FROM attendees a WHERE a.doc_id = d.doc_id) FROM documents d",
    );
    out.lines()
        .filter(|l| !l.is_empty())
        .map(|line| {
            let mut parts = line.split(' ');
            let id = parts.next().unwrap_or_default().to_owned();
            let heads = parts
                .next()
                .unwrap_or_default()
                .split(',')
                .map(str::to_owned)
                .collect();
            let attendees = parts.next().and_then(|n| n.parse().ok()).unwrap_or(0);
            (id, (heads, attendees))
        })
        .collect()
}

#[test]
fn a_server_killed_while_its_sink_is_part_way_resumes_without_duplicates_or_gaps() {
    const DOCS: usize = 400;
    let pg = cluster();
    let data = tempfile::tempdir().expect("server data dir");
    let expected = fill_store(data.path(), DOCS);
    let last = DOCS as u64;
    let mut server = sink_server(data.path(), &pg, &["--sink-batch", "2"]);
    wait_until("the sink projects its first batches", WAIT, || {
        checkpoint(&pg) >= 20
    });
    // Stop the sink inside a transaction: another session takes the `changes` table, so the
    // sink's next batch, which has already deleted and inserted its documents' rows, waits on
    // the lock. Kill the server there (SIGKILL, no shutdown code runs), then let go.
    let mut lock = pg
        .psql_session("balai")
        .stdout(std::process::Stdio::null())
        .spawn()
        .expect("a psql session");
    lock.stdin
        .as_mut()
        .expect("its stdin")
        .write_all(b"BEGIN; LOCK TABLE changes IN ACCESS EXCLUSIVE MODE;\n")
        .expect("take the lock");
    wait_until(
        "the sink waits on the lock inside its transaction",
        WAIT,
        || {
            count(
                &pg,
                "SELECT count(*) FROM pg_stat_activity \
             WHERE wait_event_type = 'Lock' AND state = 'active' \
             AND query LIKE 'INSERT INTO changes%'",
            ) == 1
        },
    );
    server.kill9();
    drop(lock.stdin.take());
    lock.wait().expect("psql ends");
    let at = checkpoint(&pg);
    assert!(
        at < last,
        "the kill came after the sink finished (checkpoint {at} of {last})"
    );
    // At the kill, PostgreSQL holds exactly the documents the checkpoint covers: the rows of a
    // batch and the checkpoint that covers them commit together or not at all. (The feed seqs of
    // a freshly filled store are 1..=DOCS in the order written.)
    let held = projected(&pg);
    assert_eq!(
        held.len() as u64,
        at,
        "rows for exactly the {at} documents the checkpoint covers"
    );
    for (id, got) in &held {
        assert_eq!(
            Some(got),
            expected.get(id),
            "{id} as projected before the kill"
        );
    }

    server.restart();
    wait_until("the restarted sink catches up", WAIT, || {
        checkpoint(&pg) == last
    });
    assert_eq!(projected(&pg), expected, "every document once, as stored");
    let rows: usize = expected.values().map(|(_, n)| n).sum();
    assert_eq!(
        count(&pg, "SELECT count(*) FROM attendees") as usize,
        rows,
        "no duplicate and no missing attendee row"
    );
    assert_eq!(
        count(&pg, "SELECT count(*) FROM sink_checkpoint"),
        1,
        "one checkpoint for the one source"
    );
}

#[test]
fn postgres_stopped_while_devices_sync_is_caught_up_by_itself() {
    let pg = cluster();
    let data = tempfile::tempdir().expect("server data dir");
    let server = sink_server(data.path(), &pg, &[]);
    let rina = server.device("hp-rina");
    new_minutes(&rina, VILLAGE, "Sebelum");
    rina.sync();
    wait_until("the first document is projected", WAIT, || {
        caught_up(&server)
    });

    pg.stop().expect("stop PostgreSQL");
    // Devices keep syncing, and their sessions do not wait for the database.
    let wayan = server.device("hp-wayan");
    for title in ["Selama 1", "Selama 2", "Selama 3"] {
        new_minutes(&wayan, VILLAGE, title);
    }
    let began = Instant::now();
    let report = wayan.sync();
    assert_eq!(report["docs_sent"].as_u64(), Some(3), "{report}");
    assert!(
        began.elapsed() < Duration::from_secs(20),
        "a sync waited for the analytics database"
    );
    // The lag is visible, and so is why.
    wait_until("the status shows the sink failing and behind", WAIT, || {
        let s = sink_status(&server);
        s["connected"] == Value::Bool(false)
            && s["lag"].as_u64() >= Some(1)
            && s["last_failure"].as_str().is_some_and(|f| !f.is_empty())
    });

    pg.restart().expect("start PostgreSQL again");
    wait_until("the sink catches up by itself", WAIT, || caught_up(&server));
    assert_eq!(count(&pg, "SELECT count(*) FROM documents"), 4);
    assert_eq!(
        sql(
            &pg,
            "SELECT string_agg(title, ',' ORDER BY title) FROM documents"
        ),
        "Sebelum,Selama 1,Selama 2,Selama 3"
    );
    assert!(
        server.log().contains("analytics sink"),
        "the outage is in the log:\n{}",
        server.log()
    );
}
