//! Feed entries into rows (pure: no I/O), on the sink's blocking reader thread.

use balai_shared::ids::DocId;
use balai_shared::report::rows::{self, DocRows};
use balai_shared::store::FeedDoc;

/// One feed entry, projected.
#[derive(Clone, Debug, PartialEq)]
pub struct Projected {
    pub seq: u64,
    pub id: DocId,
    /// `None`: the store no longer holds the document; its rows are deleted.
    pub rows: Option<DocRows>,
}

/// Project feed entries (pure: no I/O). A document that cannot be read (the store could not
/// load it, or automerge panics reading it: some malformed documents make it, see
/// `fuzz/regressions`) is projected as damaged, so the sink never stops at it forever.
pub fn project_feed(docs: Vec<FeedDoc>) -> Vec<Projected> {
    let damaged = |id: &DocId, why: &str| {
        tracing::warn!("analytics sink: {id} cannot be read ({why}); projected as damaged");
        rows::unreadable(id)
    };
    docs.into_iter()
        .map(|d| {
            let rows = match (&d.doc, &d.damaged) {
                (Some(doc), _) => Some(
                    std::panic::catch_unwind(std::panic::AssertUnwindSafe(|| {
                        rows::project(&d.id, doc)
                    }))
                    .unwrap_or_else(|_| damaged(&d.id, "automerge panicked reading it")),
                ),
                (None, Some(why)) => Some(damaged(&d.id, why)),
                (None, None) => None,
            };
            Projected {
                rows,
                seq: d.seq,
                id: d.id,
            }
        })
        .collect()
}
