//! What a server forgets about a device's stores: everything (`resync`, so its next session
//! re-diffs every document in scope: a recovery tool) or, after a rescope, the sync states of
//! documents outside its new regions (so if they come back into scope they are offered again).
//! No document is ever touched.

use std::sync::PoisonError;

use balai_shared::ids::StoreId;
use balai_shared::store::{Store, StoreError};

use crate::access::{Access, AccessError, Actor, AuditRecord, Device};

/// How often the server forgot one device's bookkeeping since it started. A session that began
/// before a reset ends at once (its in-memory checkpoint and sync states are stale), and when it
/// has ended, the forgetting is applied again, so nothing the stale session wrote survives.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Resets {
    /// Resets of any kind.
    pub epoch: u64,
    /// The epoch of the last full reset (`resync`); 0 = none.
    pub full_at: u64,
}

impl Access {
    /// The resets of `device` so far (see [`Resets`]).
    pub fn resets(&self, device: &str) -> Resets {
        self.resets
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .get(device)
            .copied()
            .unwrap_or_default()
    }

    /// Count a reset of `device` and wake its open sessions, which end.
    fn bump_resets(&self, device: &str, full: bool) {
        {
            let mut resets = self.resets.lock().unwrap_or_else(PoisonError::into_inner);
            let r = resets.entry(device.to_owned()).or_default();
            r.epoch += 1;
            if full {
                r.full_at = r.epoch;
            }
        }
        self.wake_sessions();
    }
}

/// After a session of `device` from store `peer` ended: if the device's bookkeeping was reset
/// while it ran (`began` = the resets when it started), forget again what the session may have
/// written since.
pub fn after_session(
    access: &Access,
    store: &Store,
    device: &str,
    peer: &StoreId,
    began: Resets,
) -> Result<(), ResyncError> {
    let now = access.resets(device);
    if now == began {
        return Ok(());
    }
    if now.full_at > began.epoch {
        store.forget_peer(peer)?;
    } else if let Some(current) = access.active_device(device) {
        forget_outside_scope_of(access, store, &current, false)?;
    }
    Ok(())
}

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
    // Open sessions end first; each forgets again when it has ended (see `after_session`).
    access.bump_resets(&device.name, true);
    let stores = access.stores_of(&device.name)?;
    let mut sync_states = 0;
    for peer in &stores {
        sync_states += store.forget_peer(peer)?.sync_states;
    }
    let by = match actor.by() {
        by if by.is_empty() => by,
        by => format!(", {by}"),
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
/// new regions, and our checkpoint of its feed. A device sheds the documents it lost; if an admin
/// later gives the region back, the server must offer them again rather than skip them as shared.
/// And what the device holds in a region it gained may lie below our checkpoint (which passed it
/// while it was out of scope): from checkpoint 0 the device offers its whole feed again, skipping
/// what we share by heads. Documents of the regions it kept are not re-diffed.
pub fn forget_outside_scope(
    access: &Access,
    store: &Store,
    device: &Device,
) -> Result<u64, ResyncError> {
    forget_outside_scope_of(access, store, device, true)
}

fn forget_outside_scope_of(
    access: &Access,
    store: &Store,
    device: &Device,
    wake: bool,
) -> Result<u64, ResyncError> {
    if wake {
        access.bump_resets(&device.name, false);
    }
    let scope = device.scope();
    let mut forgotten = 0;
    for peer in access.stores_of(&device.name)? {
        forgotten += store.forget_peer_docs(&peer, |doc| scope.covers(doc.village()))?;
        store.reset_checkpoint(&peer)?;
    }
    Ok(forgotten)
}
