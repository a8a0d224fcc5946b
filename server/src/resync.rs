//! What a server forgets about a device's stores: everything (`resync`, so its next session
//! re-diffs every document in scope: a recovery tool) or, after a rescope, the sync states of
//! documents outside its new regions (so if they come back into scope they are offered again).
//! No document is ever touched.

use balai_shared::store::{Store, StoreError};

use crate::access::{Access, AccessError, Actor, AuditRecord, Device};

/// Why a resync failed.
#[derive(Debug, thiserror::Error)]
pub enum ResyncError {
    #[error(transparent)]
    Access(#[from] AccessError),
    #[error(transparent)]
    Store(#[from] StoreError),
}

/// What a resync forgot.
#[derive(Clone, Debug)]
pub struct Resynced {
    pub device: Device,
    /// The device's stores (one per home it synced from).
    pub stores: usize,
    pub sync_states: u64,
}

/// Resync device `name` on behalf of `actor` (which must reach it); audited (`resync`).
pub fn resync(
    access: &Access,
    store: &Store,
    actor: Actor<'_>,
    name: &str,
) -> Result<Resynced, ResyncError> {
    let device = access.device_as(actor, name)?;
    let stores = access.stores_of(&device.name)?;
    let mut sync_states = 0;
    for peer in &stores {
        sync_states += store.forget_peer(peer)?.sync_states;
    }
    let by = match actor {
        Actor::Offline => String::new(),
        Actor::Admin(admin) => format!(", by {}", admin.name),
    };
    let detail = format!(
        "forgot the checkpoints and {sync_states} sync state(s) of {} store(s){by}",
        stores.len()
    );
    access.audit(
        &AuditRecord::new(&device.name, "resync", "ok", detail),
        true,
    )?;
    tracing::info!(device = %device.name, stores = stores.len(), sync_states, "device resynced");
    Ok(Resynced {
        stores: stores.len(),
        sync_states,
        device,
    })
}

/// After `device` was rescoped: forget the sync states with its stores of documents outside its
/// new regions. A device sheds the documents it lost; if an admin later gives the region back,
/// the server must offer them again rather than skip them as shared. Documents of the regions it
/// kept are not re-diffed.
pub fn forget_outside_scope(
    access: &Access,
    store: &Store,
    device: &Device,
) -> Result<u64, ResyncError> {
    let scope = device.scope();
    let mut forgotten = 0;
    for peer in access.stores_of(&device.name)? {
        forgotten += store.forget_peer_docs(&peer, |doc| scope.covers(doc.village()))?;
    }
    Ok(forgotten)
}
