//! One memory budget for the bytes that sessions buffer (document message parts not yet whole,
//! and frames waiting for the engine), shared by every session, with a share per device. A
//! session that would pass either is refused with RESOURCE_EXHAUSTED instead of growing the
//! server without bound; its reservation is returned when it ends.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};

/// The shared budget.
#[derive(Debug)]
pub struct Budget {
    total: usize,
    per_device: usize,
    used: Mutex<Used>,
}

#[derive(Debug, Default)]
struct Used {
    total: usize,
    by_device: HashMap<String, usize>,
}

/// Why bytes could not be reserved.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum BudgetError {
    #[error(
        "server busy: sessions are buffering {limit} bytes, its memory budget for incoming data; retry in a moment"
    )]
    Server { limit: usize },
    #[error(
        "device `{device}` is buffering {limit} bytes across its sessions, its share of the server's memory budget; finish or close other sessions first"
    )]
    Device { device: String, limit: usize },
}

impl Budget {
    pub fn new(total: usize, per_device: usize) -> Arc<Self> {
        Arc::new(Self {
            total,
            per_device: per_device.min(total),
            used: Mutex::new(Used::default()),
        })
    }

    /// An empty reservation for `device`, to grow and shrink as its session buffers.
    pub fn reservation(self: &Arc<Self>, device: &str) -> Reservation {
        Reservation {
            budget: self.clone(),
            device: device.to_owned(),
            bytes: 0,
        }
    }

    /// Bytes reserved now, in all and by one device.
    #[cfg(test)]
    pub fn used(&self, device: &str) -> (usize, usize) {
        let used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        (used.total, used.by_device.get(device).copied().unwrap_or(0))
    }

    fn change(&self, device: &str, from: usize, to: usize) -> Result<(), BudgetError> {
        let mut used = self.used.lock().unwrap_or_else(PoisonError::into_inner);
        let mine = used.by_device.get(device).copied().unwrap_or(0);
        if to > from {
            let more = to - from;
            if used.total.saturating_add(more) > self.total {
                return Err(BudgetError::Server { limit: self.total });
            }
            if mine.saturating_add(more) > self.per_device {
                return Err(BudgetError::Device {
                    device: device.to_owned(),
                    limit: self.per_device,
                });
            }
        }
        used.total = used.total + to - from;
        let mine = mine + to - from;
        if mine == 0 {
            used.by_device.remove(device);
        } else {
            used.by_device.insert(device.to_owned(), mine);
        }
        Ok(())
    }
}

/// Bytes one session holds against the budget; released when dropped.
#[derive(Debug)]
pub struct Reservation {
    budget: Arc<Budget>,
    device: String,
    bytes: usize,
}

impl Reservation {
    /// Hold `bytes` in all from now on (more or fewer than before). On refusal nothing changes.
    pub fn set(&mut self, bytes: usize) -> Result<(), BudgetError> {
        self.budget.change(&self.device, self.bytes, bytes)?;
        self.bytes = bytes;
        Ok(())
    }

    /// Hold `more` bytes in addition.
    pub fn grow(&mut self, more: usize) -> Result<(), BudgetError> {
        self.set(self.bytes.saturating_add(more))
    }

    #[cfg(test)]
    pub fn bytes(&self) -> usize {
        self.bytes
    }
}

impl Drop for Reservation {
    fn drop(&mut self) {
        // Shrinking never fails.
        let _ = self.budget.change(&self.device, self.bytes, 0);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_share_one_budget_and_each_device_its_share() {
        let budget = Budget::new(100, 60);
        let mut a1 = budget.reservation("a");
        let mut a2 = budget.reservation("a");
        let mut b = budget.reservation("b");
        a1.grow(40).expect("within both");
        assert_eq!(
            a2.grow(30),
            Err(BudgetError::Device {
                device: "a".into(),
                limit: 60
            }),
            "device a's sessions together pass its share"
        );
        assert_eq!(a2.bytes(), 0, "a refusal changes nothing");
        b.grow(60).expect("b has its own share");
        assert!(matches!(a2.grow(10), Err(BudgetError::Server { .. })));
        drop(b);
        a2.grow(10).expect("room again once b is gone");
        a1.set(0).expect("shrink");
        assert_eq!(budget.used("a"), (10, 10));
        drop(a2);
        assert_eq!(budget.used("a"), (0, 0));
    }
}
