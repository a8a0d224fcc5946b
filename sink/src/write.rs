//! One batch of documents into PostgreSQL, with the checkpoint that covers it, in one
//! transaction: either every row of the batch and the new checkpoint are there, or none is. That
//! is what makes the sink exactly once: a sink killed at any moment resumes from the checkpoint,
//! and re-projecting a document replaces all of its rows.

use balai_shared::ids::DocId;
use balai_shared::report::rows::{self, DocRows};
use tokio_postgres::Client;
use tokio_postgres::types::ToSql;

use crate::SinkError;
use crate::project::Projected;

/// Who writes: one server's store. Several servers may sink into one database, each with its
/// own checkpoint (a row of `sink_checkpoint`).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Source {
    /// The store id, hex.
    pub id: String,
    pub server_name: String,
}

/// What [`write_batch`] did.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Commit {
    /// Committed; the checkpoint is now `seq`.
    Written { seq: u64, documents: u64, rows: u64 },
    /// Nothing written: the checkpoint was not the one expected (another sink writes for the
    /// same source, or it was reset); it is `actual`.
    Moved { actual: u64 },
}

/// The checkpoint of `source` (0 when it never wrote).
pub async fn checkpoint(client: &Client, source: &Source) -> Result<u64, SinkError> {
    let row = client
        .query_opt(
            "SELECT feed_seq FROM sink_checkpoint WHERE source = $1",
            &[&source.id],
        )
        .await?;
    Ok(row.map_or(0, |r| to_u64(r.get(0))))
}

/// Write `batch` and move the checkpoint from `expected` to the highest seq in it, in one
/// transaction. The checkpoint row is locked first, so two sinks of one source never interleave.
pub async fn write_batch(
    client: &mut Client,
    source: &Source,
    expected: u64,
    batch: &[Projected],
) -> Result<Commit, SinkError> {
    let upto = batch.iter().map(|p| p.seq).max().unwrap_or(expected);
    let tx = client.transaction().await?;
    tx.execute(
        "INSERT INTO sink_checkpoint (source, feed_seq, server_name) VALUES ($1, 0, $2) \
         ON CONFLICT (source) DO NOTHING",
        &[&source.id, &source.server_name],
    )
    .await?;
    let current = to_u64(
        tx.query_one(
            "SELECT feed_seq FROM sink_checkpoint WHERE source = $1 FOR UPDATE",
            &[&source.id],
        )
        .await?
        .get(0),
    );
    if current != expected {
        tx.rollback().await?;
        return Ok(Commit::Moved { actual: current });
    }
    // One row per document even if a caller's batch names one twice: the highest seq wins.
    let mut latest: std::collections::BTreeMap<&DocId, &Projected> = Default::default();
    for p in batch {
        let entry = latest.entry(&p.id).or_insert(p);
        if p.seq > entry.seq {
            *entry = p;
        }
    }
    let batch: Vec<&Projected> = latest.into_values().collect();
    let ids: Vec<String> = batch.iter().map(|p| p.id.to_string()).collect();
    tx.execute("DELETE FROM documents WHERE doc_id = ANY($1)", &[&ids])
        .await?;
    let docs: Vec<(u64, &DocRows)> = batch
        .iter()
        .filter_map(|p| p.rows.as_ref().map(|r| (p.seq, r)))
        .collect();
    let mut rows = 0;
    for insert in inserts(&docs, source) {
        rows += tx.execute(insert.sql, &insert.params()).await?;
    }
    tx.execute(
        "UPDATE sink_checkpoint SET feed_seq = $2, server_name = $3, updated_at = now() \
         WHERE source = $1",
        &[&source.id, &to_i64(upto), &source.server_name],
    )
    .await?;
    tx.commit().await?;
    Ok(Commit::Written {
        seq: upto,
        documents: docs.len() as u64,
        rows,
    })
}

/// The `n` documents `source` projected last: id and the feed seq it projected them at.
pub async fn newest_documents(
    client: &Client,
    source: &Source,
    n: i64,
) -> Result<Vec<(String, u64)>, SinkError> {
    let rows = client
        .query(
            "SELECT doc_id, feed_seq FROM documents WHERE source = $1 \
             ORDER BY feed_seq DESC LIMIT $2",
            &[&source.id, &n],
        )
        .await?;
    Ok(rows.iter().map(|r| (r.get(0), to_u64(r.get(1)))).collect())
}

/// Start `source` again from seq 0, if its checkpoint is still `expected`: its documents' rows
/// are deleted and the checkpoint reset in one transaction (a store restored from a backup
/// numbers its feed again from an older seq, so the old seqs name other changes now).
pub async fn restart_source(
    client: &mut Client,
    source: &Source,
    expected: u64,
) -> Result<Commit, SinkError> {
    let tx = client.transaction().await?;
    let current = tx
        .query_opt(
            "SELECT feed_seq FROM sink_checkpoint WHERE source = $1 FOR UPDATE",
            &[&source.id],
        )
        .await?
        .map_or(0, |r| to_u64(r.get(0)));
    if current != expected {
        tx.rollback().await?;
        return Ok(Commit::Moved { actual: current });
    }
    let rows = tx
        .execute("DELETE FROM documents WHERE source = $1", &[&source.id])
        .await?;
    tx.execute(
        "UPDATE sink_checkpoint SET feed_seq = 0, updated_at = now() WHERE source = $1",
        &[&source.id],
    )
    .await?;
    tx.commit().await?;
    Ok(Commit::Written {
        seq: 0,
        documents: 0,
        rows,
    })
}

fn to_u64(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn to_i64(v: u64) -> i64 {
    i64::try_from(v).unwrap_or(i64::MAX)
}

/// PostgreSQL text cannot hold NUL; a foreign writer could put one in a document.
fn text(s: &str) -> String {
    if s.contains('\0') {
        s.replace('\0', "\u{FFFD}")
    } else {
        s.to_owned()
    }
}

fn opt(s: Option<&str>) -> Option<String> {
    s.map(text)
}

/// A date PostgreSQL accepts (years 1 to 9999; the documents hold `YYYY-MM-DD`).
fn date(d: Option<jiff::civil::Date>) -> Option<String> {
    d.filter(|d| d.year() >= 1).map(|d| d.to_string())
}

/// Seconds since 1970 that PostgreSQL can hold as a timestamp (a device's clock may say
/// anything); others are NULL.
fn seconds(t: Option<i64>) -> Option<f64> {
    const YEAR_9999: i64 = 253_402_300_799;
    #[allow(clippy::cast_precision_loss)] // exact: |t| < 2^53
    t.filter(|t| (0..=YEAR_9999).contains(t)).map(|t| t as f64)
}

fn int(n: u32) -> i32 {
    i32::try_from(n).unwrap_or(i32::MAX)
}

/// A view as jsonb text; jsonb cannot hold `\u0000` either.
fn json(v: Option<&serde_json::Value>) -> Option<String> {
    v.map(|v| v.to_string().replace("\\u0000", "\\ufffd"))
}

/// One multi-row `INSERT … SELECT FROM unnest(…)`: a statement per table per batch, whatever
/// the batch's size.
struct Insert {
    sql: &'static str,
    columns: Vec<Box<dyn ToSql + Sync + Send>>,
}

impl Insert {
    fn params(&self) -> Vec<&(dyn ToSql + Sync)> {
        self.columns
            .iter()
            .map(|c| c.as_ref() as &(dyn ToSql + Sync))
            .collect()
    }
}

/// A column of one child table: one value per row of every document of the batch.
fn column<T, O>(
    docs: &[(u64, &DocRows)],
    part: impl Fn(&DocRows) -> &[T],
    value: impl Fn(&str, &T) -> O,
) -> Vec<O> {
    let mut out = Vec::new();
    for (_, d) in docs {
        for row in part(d) {
            out.push(value(&d.document.doc_id, row));
        }
    }
    out
}

fn boxed<T: ToSql + Sync + Send + 'static>(v: T) -> Box<dyn ToSql + Sync + Send> {
    Box::new(v)
}

fn inserts(docs: &[(u64, &DocRows)], source: &Source) -> Vec<Insert> {
    let d = |f: &dyn Fn(&DocRows) -> Option<String>| -> Vec<Option<String>> {
        docs.iter().map(|(_, r)| f(r)).collect()
    };
    let documents = Insert {
        sql: "INSERT INTO documents (doc_id, kind, village, district, regency, province, title, \
              date, status, category, archived, excluded, updated_at, heads, feed_seq, view, \
              source) \
              SELECT doc_id, kind, village, district, regency, province, title, date::date, \
              status, category, archived, excluded, to_timestamp(updated_at), \
              string_to_array(heads, ' '), feed_seq, view::jsonb, $17 \
              FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
              $6::text[], $7::text[], $8::text[], $9::text[], $10::text[], $11::bool[], \
              $12::text[], $13::float8[], $14::text[], $15::int8[], $16::text[]) \
              AS t(doc_id, kind, village, district, regency, province, title, date, status, \
              category, archived, excluded, updated_at, heads, feed_seq, view)",
        columns: vec![
            boxed(d(&|r| Some(r.document.doc_id.clone()))),
            boxed(d(&|r| Some(r.document.kind.to_owned()))),
            boxed(d(&|r| Some(r.document.village.clone()))),
            boxed(d(&|r| Some(r.document.district.clone()))),
            boxed(d(&|r| Some(r.document.regency.clone()))),
            boxed(d(&|r| Some(r.document.province.clone()))),
            boxed(d(&|r| opt(r.document.title.as_deref()))),
            boxed(d(&|r| date(r.document.date))),
            boxed(d(&|r| opt(r.document.status.as_deref()))),
            boxed(d(&|r| opt(r.document.category.as_deref()))),
            boxed(
                docs.iter()
                    .map(|(_, r)| r.document.archived)
                    .collect::<Vec<bool>>(),
            ),
            boxed(d(&|r| r.document.excluded.map(str::to_owned))),
            boxed(
                docs.iter()
                    .map(|(_, r)| seconds(r.document.updated_at))
                    .collect::<Vec<Option<f64>>>(),
            ),
            boxed(d(&|r| Some(r.document.heads.join(" ")))),
            boxed(
                docs.iter()
                    .map(|(seq, _)| to_i64(*seq))
                    .collect::<Vec<i64>>(),
            ),
            boxed(d(&|r| json(r.document.view.as_ref()))),
            boxed(text(&source.id)),
        ],
    };
    let attendees = Insert {
        sql: "INSERT INTO attendees (doc_id, person_key, name, gender, gender_group, dusun, \
              dusun_key, role, role_key) \
              SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
              $6::text[], $7::text[], $8::text[], $9::text[]) ON CONFLICT DO NOTHING",
        columns: vec![
            boxed(column(docs, |r| &r.attendees, |id, _| id.to_owned())),
            boxed(column(docs, |r| &r.attendees, |_, a| text(&a.person_key))),
            boxed(column(docs, |r| &r.attendees, |_, a| text(&a.name))),
            boxed(column(
                docs,
                |r| &r.attendees,
                |_, a| opt(a.gender.as_deref()),
            )),
            boxed(column(
                docs,
                |r| &r.attendees,
                |_, a| a.gender_group.to_owned(),
            )),
            boxed(column(
                docs,
                |r| &r.attendees,
                |_, a| opt(a.dusun.as_deref()),
            )),
            boxed(column(
                docs,
                |r| &r.attendees,
                |_, a| opt(a.dusun_key.as_deref()),
            )),
            boxed(column(
                docs,
                |r| &r.attendees,
                |_, a| opt(a.role.as_deref()),
            )),
            boxed(column(
                docs,
                |r| &r.attendees,
                |_, a| opt(a.role_key.as_deref()),
            )),
        ],
    };
    let participants = Insert {
        sql: "INSERT INTO participants (doc_id, person_key, name, gender, gender_group, dusun, \
              dusun_key, walk_in) \
              SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
              $6::text[], $7::text[], $8::bool[]) ON CONFLICT DO NOTHING",
        columns: vec![
            boxed(column(docs, |r| &r.participants, |id, _| id.to_owned())),
            boxed(column(
                docs,
                |r| &r.participants,
                |_, p| text(&p.person_key),
            )),
            boxed(column(docs, |r| &r.participants, |_, p| text(&p.name))),
            boxed(column(
                docs,
                |r| &r.participants,
                |_, p| opt(p.gender.as_deref()),
            )),
            boxed(column(
                docs,
                |r| &r.participants,
                |_, p| p.gender_group.to_owned(),
            )),
            boxed(column(
                docs,
                |r| &r.participants,
                |_, p| opt(p.dusun.as_deref()),
            )),
            boxed(column(
                docs,
                |r| &r.participants,
                |_, p| opt(p.dusun_key.as_deref()),
            )),
            boxed(column(docs, |r| &r.participants, |_, p| p.walk_in)),
        ],
    };
    let sessions = Insert {
        sql: "INSERT INTO sessions (doc_id, number, session_key, date, date_text, present) \
              SELECT doc_id, number, session_key, date::date, date_text, present \
              FROM unnest($1::text[], $2::int4[], $3::text[], $4::text[], $5::text[], \
              $6::int4[]) AS t(doc_id, number, session_key, date, date_text, present) \
              ON CONFLICT DO NOTHING",
        columns: vec![
            boxed(column(docs, |r| &r.sessions, |id, _| id.to_owned())),
            boxed(column(docs, |r| &r.sessions, |_, s| int(s.number))),
            boxed(column(docs, |r| &r.sessions, |_, s| text(&s.session_key))),
            boxed(column(docs, |r| &r.sessions, |_, s| date(s.date))),
            boxed(column(docs, |r| &r.sessions, |_, s| text(&s.date_text))),
            boxed(column(docs, |r| &r.sessions, |_, s| int(s.present))),
        ],
    };
    let check_ins = Insert {
        sql: "INSERT INTO check_ins (doc_id, session, person_key, name, checked_in_by) \
              SELECT * FROM unnest($1::text[], $2::int4[], $3::text[], $4::text[], $5::text[]) \
              ON CONFLICT DO NOTHING",
        columns: vec![
            boxed(column(docs, |r| &r.check_ins, |id, _| id.to_owned())),
            boxed(column(docs, |r| &r.check_ins, |_, c| int(c.session))),
            boxed(column(docs, |r| &r.check_ins, |_, c| text(&c.person_key))),
            boxed(column(docs, |r| &r.check_ins, |_, c| text(&c.name))),
            boxed(column(
                docs,
                |r| &r.check_ins,
                |_, c| text(&c.checked_in_by),
            )),
        ],
    };
    let items = |sql: &'static str, part: fn(&DocRows) -> &[rows::ItemRow]| Insert {
        sql,
        columns: vec![
            boxed(column(docs, part, |id, _| id.to_owned())),
            boxed(column(docs, part, |_, i| int(i.position))),
            boxed(column(docs, part, |_, i| text(&i.text))),
        ],
    };
    let agenda_items = items(
        "INSERT INTO agenda_items (doc_id, position, text) \
         SELECT * FROM unnest($1::text[], $2::int4[], $3::text[]) ON CONFLICT DO NOTHING",
        |r| &r.agenda_items,
    );
    let decisions = items(
        "INSERT INTO decisions (doc_id, position, text) \
         SELECT * FROM unnest($1::text[], $2::int4[], $3::text[]) ON CONFLICT DO NOTHING",
        |r| &r.decisions,
    );
    let proposals = Insert {
        sql: "INSERT INTO proposals (doc_id, proposal_key, text, raised_by, priority, support) \
              SELECT * FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
              $6::int8[]) ON CONFLICT DO NOTHING",
        columns: vec![
            boxed(column(docs, |r| &r.proposals, |id, _| id.to_owned())),
            boxed(column(docs, |r| &r.proposals, |_, p| text(&p.proposal_key))),
            boxed(column(docs, |r| &r.proposals, |_, p| text(&p.text))),
            boxed(column(
                docs,
                |r| &r.proposals,
                |_, p| opt(p.raised_by.as_deref()),
            )),
            boxed(column(
                docs,
                |r| &r.proposals,
                |_, p| opt(p.priority.as_deref()),
            )),
            boxed(column(docs, |r| &r.proposals, |_, p| p.support)),
        ],
    };
    let follow_ups = Insert {
        sql: "INSERT INTO follow_ups (doc_id, follow_up_key, what, who, due, due_text, status, \
              state) \
              SELECT doc_id, follow_up_key, what, who, due::date, due_text, status, state \
              FROM unnest($1::text[], $2::text[], $3::text[], $4::text[], $5::text[], \
              $6::text[], $7::text[], $8::text[]) \
              AS t(doc_id, follow_up_key, what, who, due, due_text, status, state) \
              ON CONFLICT DO NOTHING",
        columns: vec![
            boxed(column(docs, |r| &r.follow_ups, |id, _| id.to_owned())),
            boxed(column(
                docs,
                |r| &r.follow_ups,
                |_, f| text(&f.follow_up_key),
            )),
            boxed(column(docs, |r| &r.follow_ups, |_, f| text(&f.what))),
            boxed(column(
                docs,
                |r| &r.follow_ups,
                |_, f| opt(f.who.as_deref()),
            )),
            boxed(column(docs, |r| &r.follow_ups, |_, f| date(f.due))),
            boxed(column(
                docs,
                |r| &r.follow_ups,
                |_, f| opt(f.due_text.as_deref()),
            )),
            boxed(column(
                docs,
                |r| &r.follow_ups,
                |_, f| opt(f.status.as_deref()),
            )),
            boxed(column(docs, |r| &r.follow_ups, |_, f| f.state.to_owned())),
        ],
    };
    let changes = Insert {
        sql: "INSERT INTO changes (doc_id, hash, actor, at, record) \
              SELECT doc_id, hash, actor, to_timestamp(at), record \
              FROM unnest($1::text[], $2::text[], $3::text[], $4::float8[], $5::bool[]) \
              AS t(doc_id, hash, actor, at, record) ON CONFLICT DO NOTHING",
        columns: vec![
            boxed(column(docs, |r| &r.changes, |id, _| id.to_owned())),
            boxed(column(docs, |r| &r.changes, |_, c| c.hash.clone())),
            boxed(column(docs, |r| &r.changes, |_, c| c.actor.clone())),
            boxed(column(docs, |r| &r.changes, |_, c| seconds(c.time))),
            boxed(column(docs, |r| &r.changes, |_, c| c.record)),
        ],
    };
    vec![
        documents,
        attendees,
        participants,
        sessions,
        check_ins,
        agenda_items,
        proposals,
        decisions,
        follow_ups,
        changes,
    ]
}
