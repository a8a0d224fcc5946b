//! `admin status`: who syncs and who does not, each village's documents, and the upstream link,
//! built from the access database and the store. Served over gRPC and printed by the offline
//! `balai-server status` from the same function.

use std::collections::BTreeSet;

use automerge::ReadDoc;
use balai_shared::ids::{DocId, StoreId};
use balai_shared::proto::v1;
use balai_shared::region::{RegionPrefix, Scope, VillageCode};
use balai_shared::store::{Store, StoreError};

use crate::access::{Access, AccessError, Actor, Device};
use crate::admin::info;
use crate::upstream::UpstreamRecord;

/// Why a status could not be put together.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// The upstream link as the report shows it.
#[derive(Clone, Debug)]
pub struct UpstreamView {
    pub url: String,
    pub record: UpstreamRecord,
    /// Unix ms of the next scheduled attempt (0 = none, or the server is not running).
    pub next_attempt_unix_ms: i64,
}

/// The status `actor` may see: devices within its regions, villages within them, and (for any
/// admin) this server's upstream.
pub fn status(
    access: &Access,
    store: &Store,
    actor: Actor<'_>,
    server_name: &str,
    upstream: Option<UpstreamView>,
) -> Result<v1::StatusResponse, ReportError> {
    let mut devices = Vec::new();
    for device in access.list_as(actor)? {
        let a = access.activity(&device.name)?;
        devices.push(v1::DeviceStatus {
            device: Some(info(&device)),
            last_success_unix_ms: a.last_success_unix_ms,
            last_docs_sent: a.last_docs_sent,
            last_docs_received: a.last_docs_received,
            last_failure_unix_ms: a.last_failure_unix_ms,
            last_failure_phase: a.last_failure_phase,
            last_failure_reason: a.last_failure_reason,
            sessions_ok: a.sessions_ok,
            sessions_failed: a.sessions_failed,
        });
    }
    let visible = actor
        .limited_to()
        .map_or_else(Scope::everything, Device::scope);
    let mut villages = Vec::new();
    for (code, summary) in store.villages()? {
        let Ok(village) = code.parse::<VillageCode>() else {
            continue;
        };
        if !visible.covers(&village) {
            continue;
        }
        villages.push(v1::VillageStatus {
            village: code,
            documents: summary.documents,
            latest_seq: summary.latest_seq,
            latest_unix_ms: match &summary.latest_doc {
                Some(doc) => latest_change_unix_ms(store, doc)?,
                None => 0,
            },
        });
    }
    let upstream = match upstream {
        Some(view) => Some(upstream_status(store, view)?),
        None => None,
    };
    Ok(v1::StatusResponse {
        server_name: server_name.to_owned(),
        devices,
        villages,
        upstream,
        now_unix_ms: jiff::Timestamp::now().as_millisecond(),
        sink: None,
    })
}

/// The analytics sink's status, its lag measured against the store's feed now.
pub fn sink_status(s: &balai_sink::SinkStatus, latest_seq: u64) -> v1::SinkStatus {
    let latest_seq = latest_seq.max(s.projected_seq);
    v1::SinkStatus {
        url: s.url.clone(),
        connected: s.connected,
        projected_seq: s.projected_seq,
        latest_seq,
        lag: latest_seq - s.projected_seq,
        documents_written: s.documents_written,
        rows_written: s.rows_written,
        last_success_unix_ms: s.last_success_unix_ms,
        last_failure_unix_ms: s.last_failure_unix_ms,
        last_failure: s.last_failure.clone(),
        consecutive_failures: s.consecutive_failures,
    }
}

/// When the latest change to `doc` was made, by its author's clock (automerge change times are
/// whole seconds).
fn latest_change_unix_ms(store: &Store, doc: &DocId) -> Result<i64, StoreError> {
    let Some(doc) = store.load(doc)? else {
        return Ok(0);
    };
    Ok(doc
        .get_heads()
        .iter()
        .filter_map(|h| doc.get_change_by_hash(h).map(|c| c.timestamp()))
        .max()
        .unwrap_or(0_i64)
        .saturating_mul(1000))
}

pub(crate) fn upstream_status(
    store: &Store,
    view: UpstreamView,
) -> Result<v1::UpstreamStatus, StoreError> {
    let (pending_documents, pending_changes) = pending_upstream(store, &view.record)?;
    let r = view.record;
    Ok(v1::UpstreamStatus {
        url: view.url,
        server_name: r.server_name,
        scopes: r.scopes,
        last_success_unix_ms: r.last_success_unix_ms,
        last_docs_sent: r.last_docs_sent,
        last_docs_received: r.last_docs_received,
        last_failure_unix_ms: r.last_failure_unix_ms,
        last_failure_reason: r.last_failure_reason,
        consecutive_failures: r.consecutive_failures,
        pending_documents,
        pending_changes,
        next_attempt_unix_ms: view.next_attempt_unix_ms,
    })
}

/// Documents in the upstream's regions holding changes the parent is not known to have, and how
/// many changes: the feed entries past the parent's checkpoint of our feed, each compared with
/// the heads both are known to share. Before the first success (regions and parent unknown) every
/// document counts.
fn pending_upstream(store: &Store, record: &UpstreamRecord) -> Result<(u64, u64), StoreError> {
    const PAGE: usize = 1024;
    /// Changes are counted in at most this many pending documents (each is opened); documents
    /// are counted all.
    const COUNT_CHANGES_OF: u64 = 2_000;
    let parent = StoreId::from_slice(&record.server_store).ok();
    let since = match &parent {
        Some(p) => store.peer(p)?.acked,
        None => 0,
    };
    let prefixes: Vec<RegionPrefix> = record
        .scopes
        .iter()
        .filter_map(|s| s.parse().ok())
        .collect();
    let mut candidates = BTreeSet::new();
    let mut read_from = |page: &dyn Fn(u64) -> Result<Vec<(u64, DocId)>, StoreError>| {
        let mut after = since;
        loop {
            let entries = page(after)?;
            let Some((last, _)) = entries.last() else {
                return Ok::<_, StoreError>(());
            };
            after = *last;
            candidates.extend(entries.into_iter().map(|(_, id)| id));
        }
    };
    if prefixes.is_empty() {
        read_from(&|after| store.changes_since(after, PAGE))?;
    } else {
        for prefix in &prefixes {
            read_from(&|after| store.changes_in(prefix, after, PAGE))?;
        }
    }
    let (mut docs, mut changes) = (0, 0);
    for id in candidates {
        let shared = match &parent {
            Some(p) => store.shared_heads(p, &id)?.unwrap_or_default(),
            None => Vec::new(),
        };
        // Most candidates are documents we pulled from the parent: their heads are shared, and
        // the record says so without loading the document.
        let Some(record) = store.doc_record(&id)? else {
            continue;
        };
        if record
            .heads
            .iter()
            .all(|h| shared.iter().any(|s| s.0.as_slice() == h.as_slice()))
        {
            continue;
        }
        docs += 1;
        if docs > COUNT_CHANGES_OF {
            continue;
        }
        let missing = store.with_doc(&id, |doc| doc.get_changes(&shared).len())?;
        changes += missing.unwrap_or(0) as u64;
    }
    Ok((docs, changes))
}
