//! Which device owns which store: a store id is bound to the first device that presents it in a
//! `Hello`, persisted in the access database. The engine keys checkpoints and sync states by
//! store id; with this binding a store id names exactly one authenticated device, so no device
//! can read or move another device's sync state by claiming its store id.

use balai_shared::ids::StoreId;
use redb::{ReadableDatabase, ReadableTable, TableDefinition};

use crate::access::{Access, AccessError};

/// Key: store id (16 bytes). Value: the device name it belongs to.
const STORES: TableDefinition<&[u8], &str> = TableDefinition::new("store-owners-1");

/// Stores one device may own: a device that re-creates its home gets a new store each time, but
/// an unbounded number would let one token grow this table (and cost an fsync) per session.
pub const MAX_STORES_PER_DEVICE: usize = 64;

/// Why a store id may not be used by this device.
#[derive(Debug, thiserror::Error)]
pub enum BindError {
    #[error(
        "this store id belongs to another device; a device's sync state can only be used by that device (re-create this device's home with `balai init --force`)"
    )]
    OwnedByOther,
    #[error(
        "device `{device}` has already synced from {MAX_STORES_PER_DEVICE} different stores; ask an admin to enroll it again under a new name"
    )]
    TooManyStores { device: String },
    #[error(transparent)]
    Access(#[from] AccessError),
}

impl Access {
    /// Bind `store` to `device` on first use (durably, before the session proceeds), or check
    /// that it is already bound to `device`.
    pub fn bind_store(&self, store: &StoreId, device: &str) -> Result<(), BindError> {
        {
            let tx = self.db.begin_read().map_err(AccessError::from)?;
            match tx.open_table(STORES) {
                Ok(table) => {
                    if let Some(owner) = table
                        .get(store.as_bytes().as_slice())
                        .map_err(AccessError::from)?
                    {
                        return if owner.value() == device {
                            Ok(())
                        } else {
                            Err(BindError::OwnedByOther)
                        };
                    }
                }
                Err(redb::TableError::TableDoesNotExist(_)) => {}
                Err(e) => return Err(AccessError::from(e).into()),
            }
        }
        let tx = self.db.begin_write().map_err(AccessError::from)?;
        {
            let mut table = tx.open_table(STORES).map_err(AccessError::from)?;
            // Checked again inside the write transaction: two sessions may race to bind.
            if let Some(owner) = table
                .get(store.as_bytes().as_slice())
                .map_err(AccessError::from)?
            {
                return if owner.value() == device {
                    Ok(())
                } else {
                    Err(BindError::OwnedByOther)
                };
            }
            let mut owned = 0;
            for entry in table.iter().map_err(AccessError::from)? {
                let (_, owner) = entry.map_err(AccessError::from)?;
                if owner.value() == device {
                    owned += 1;
                }
            }
            if owned >= MAX_STORES_PER_DEVICE {
                return Err(BindError::TooManyStores {
                    device: device.to_owned(),
                });
            }
            table
                .insert(store.as_bytes().as_slice(), device)
                .map_err(AccessError::from)?;
        }
        tx.commit().map_err(AccessError::from)?;
        Ok(())
    }

    /// Bind `store` to an owner no device can be (`owner` must not be a valid device name), over
    /// any earlier binding: used for the parent server's store id on a child, so no downstream
    /// device can present it and write the child's bookkeeping of its parent.
    pub fn bind_reserved(&self, store: &StoreId, owner: &str) -> Result<(), AccessError> {
        debug_assert!(!balai_net::token::valid_device_name(owner));
        if self.store_owner(store)?.as_deref() == Some(owner) {
            return Ok(());
        }
        let tx = self.db.begin_write()?;
        {
            let mut table = tx.open_table(STORES)?;
            let before = table
                .insert(store.as_bytes().as_slice(), owner)?
                .map(|v| v.value().to_owned());
            if let Some(before) = before.filter(|b| b != owner) {
                tracing::warn!(store = %store, device = %before, "a device had presented the upstream server's store id as its own; it is the upstream's now");
            }
        }
        tx.commit()?;
        Ok(())
    }

    /// The store ids bound to `device`.
    pub fn stores_of(&self, device: &str) -> Result<Vec<StoreId>, AccessError> {
        let tx = self.db.begin_read()?;
        let table = match tx.open_table(STORES) {
            Ok(table) => table,
            Err(redb::TableError::TableDoesNotExist(_)) => return Ok(Vec::new()),
            Err(e) => return Err(e.into()),
        };
        let mut out = Vec::new();
        for entry in table.iter()? {
            let (store, owner) = entry?;
            if owner.value() == device {
                out.push(
                    StoreId::from_slice(store.value())
                        .map_err(|e| AccessError::Corrupt(format!("store owner key: {e}")))?,
                );
            }
        }
        Ok(out)
    }

    /// The device a store id is bound to, if any.
    pub fn store_owner(&self, store: &StoreId) -> Result<Option<String>, AccessError> {
        let tx = self.db.begin_read()?;
        match tx.open_table(STORES) {
            Ok(table) => Ok(table
                .get(store.as_bytes().as_slice())?
                .map(|v| v.value().to_owned())),
            Err(redb::TableError::TableDoesNotExist(_)) => Ok(None),
            Err(e) => Err(e.into()),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_store_id_belongs_to_the_first_device_that_presents_it() {
        let access = Access::in_memory().expect("access");
        let store = StoreId::random();
        access
            .bind_store(&store, "hp-ani")
            .expect("first use binds");
        access
            .bind_store(&store, "hp-ani")
            .expect("the owner again");
        assert!(matches!(
            access.bind_store(&store, "hp-mallory"),
            Err(BindError::OwnedByOther)
        ));
        assert_eq!(
            access.store_owner(&store).expect("read").as_deref(),
            Some("hp-ani")
        );
        assert_eq!(access.stores_of("hp-ani").expect("read"), vec![store]);
        assert!(access.stores_of("hp-mallory").expect("read").is_empty());
    }

    #[test]
    fn one_device_cannot_bind_stores_without_end() {
        let access = Access::in_memory().expect("access");
        for _ in 0..MAX_STORES_PER_DEVICE {
            access
                .bind_store(&StoreId::random(), "hp-ani")
                .expect("within the cap");
        }
        assert!(matches!(
            access.bind_store(&StoreId::random(), "hp-ani"),
            Err(BindError::TooManyStores { .. })
        ));
        access
            .bind_store(&StoreId::random(), "hp-budi")
            .expect("other devices unaffected");
    }
}
