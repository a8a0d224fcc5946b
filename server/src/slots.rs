//! Per-device admission: how many sync sessions one device may have open at once, and a back-off
//! for a device whose sessions keep being refused (bad frames, hostile messages, a store id that
//! is not its own…), so one token cannot make the server spend a core on refusals or fill the
//! audit log. A device's back-off starts at [`FIRST_PENALTY`], doubles with every refused session
//! up to [`MAX_PENALTY`], and is forgotten at its first session that completes. Honest failures —
//! the network dropping, the client going away — are not held against it.
//!
//! A refusal at open is answered slowly ([`DeviceSlots::tarpit`]): held until the device's
//! back-off ends (at most [`MAX_TARPIT`]), or [`BUSY_TARPIT`] when its slots are all taken, so a
//! token that retries as fast as it is answered gets a few answers a second instead of thousands.
//! At most [`MAX_HELD`] refusals per device are held at once; beyond that they are answered at
//! once (the held ones already bound what the device can make us do).

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The default first back-off (`--refusal-backoff-ms`).
pub const FIRST_PENALTY: Duration = Duration::from_millis(250);
const MAX_PENALTY: Duration = Duration::from_secs(60);
/// The longest a refusal at open is held.
pub const MAX_TARPIT: Duration = Duration::from_secs(5);
/// How long a refusal for a device whose session slots are all taken is held.
pub const BUSY_TARPIT: Duration = Duration::from_millis(500);
/// Refusals held at once per device.
pub const MAX_HELD: usize = 32;

/// Sessions open per device, and each device's back-off.
#[derive(Debug, Default)]
pub(crate) struct DeviceSlots {
    devices: Mutex<HashMap<String, Admission>>,
    /// The first back-off after a refused session; zero turns backing off off.
    first_penalty: Duration,
}

#[derive(Debug, Default)]
struct Admission {
    open: usize,
    /// Refusals being held (see [`DeviceSlots::tarpit`]).
    held: usize,
    /// Refused sessions since the last one that completed.
    strikes: u32,
    refused_until: Option<Instant>,
}

/// Why a device may not open a session now.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub(crate) enum AdmissionError {
    #[error("device `{device}` already has {limit} sync sessions open; finish those first")]
    TooMany { device: String, limit: usize },
    #[error(
        "device `{device}`'s recent sessions were refused; retry in {wait_ms} ms (see `balai admin audit` for why)"
    )]
    BackingOff { device: String, wait_ms: u128 },
}

impl AdmissionError {
    /// How long to hold this refusal before answering (see the module docs).
    pub(crate) fn tarpit(&self) -> Duration {
        match self {
            AdmissionError::TooMany { .. } => BUSY_TARPIT,
            AdmissionError::BackingOff { wait_ms, .. } => {
                Duration::from_millis(u64::try_from(*wait_ms).unwrap_or(u64::MAX)).min(MAX_TARPIT)
            }
        }
    }
}

/// A refusal being held for one device; released when dropped.
#[derive(Debug)]
pub(crate) struct Held {
    slots: Arc<DeviceSlots>,
    device: String,
}

impl Drop for Held {
    fn drop(&mut self) {
        let mut devices = self
            .slots
            .devices
            .lock()
            .unwrap_or_else(PoisonError::into_inner);
        if let Some(a) = devices.get_mut(&self.device) {
            a.held = a.held.saturating_sub(1);
            if a.open == 0 && a.strikes == 0 && a.held == 0 {
                devices.remove(&self.device);
            }
        }
    }
}

/// How a session ended, for the back-off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Outcome {
    Completed,
    /// Refused for what the peer sent.
    Refused,
    /// Ended for a reason that is not the peer's doing (network, our store, shutdown).
    Interrupted,
}

/// One device's session slot; given back when dropped (report its outcome first).
#[derive(Debug)]
pub(crate) struct DeviceSlot {
    slots: Arc<DeviceSlots>,
    device: String,
    outcome: Outcome,
}

impl DeviceSlots {
    pub(crate) fn new(first_penalty: Duration) -> Self {
        Self {
            devices: Mutex::default(),
            first_penalty,
        }
    }

    pub(crate) fn take(
        self: &Arc<Self>,
        device: &str,
        limit: usize,
    ) -> Result<DeviceSlot, AdmissionError> {
        self.take_at(device, limit, Instant::now())
    }

    fn take_at(
        self: &Arc<Self>,
        device: &str,
        limit: usize,
        now: Instant,
    ) -> Result<DeviceSlot, AdmissionError> {
        let mut devices = self.devices.lock().unwrap_or_else(PoisonError::into_inner);
        let a = devices.entry(device.to_owned()).or_default();
        if let Some(until) = a.refused_until
            && until > now
        {
            return Err(AdmissionError::BackingOff {
                device: device.to_owned(),
                wait_ms: (until - now).as_millis(),
            });
        }
        if a.open >= limit.max(1) {
            return Err(AdmissionError::TooMany {
                device: device.to_owned(),
                limit,
            });
        }
        a.open += 1;
        Ok(DeviceSlot {
            slots: self.clone(),
            device: device.to_owned(),
            outcome: Outcome::Interrupted,
        })
    }

    /// Hold a refusal for `device` (`None` when [`MAX_HELD`] are held already: answer at once).
    pub(crate) fn hold(self: &Arc<Self>, device: &str) -> Option<Held> {
        let mut devices = self.devices.lock().unwrap_or_else(PoisonError::into_inner);
        let a = devices.entry(device.to_owned()).or_default();
        if a.held >= MAX_HELD {
            return None;
        }
        a.held += 1;
        Some(Held {
            slots: self.clone(),
            device: device.to_owned(),
        })
    }

    fn release(&self, device: &str, outcome: Outcome, now: Instant) {
        let mut devices = self.devices.lock().unwrap_or_else(PoisonError::into_inner);
        let Some(a) = devices.get_mut(device) else {
            return;
        };
        a.open = a.open.saturating_sub(1);
        match outcome {
            Outcome::Completed => {
                a.strikes = 0;
                a.refused_until = None;
            }
            Outcome::Refused if self.first_penalty.is_zero() => {}
            Outcome::Refused => {
                a.strikes = a.strikes.saturating_add(1);
                let penalty = self
                    .first_penalty
                    .saturating_mul(1 << a.strikes.saturating_sub(1).min(16))
                    .min(MAX_PENALTY);
                a.refused_until = Some(now + penalty);
            }
            Outcome::Interrupted => {}
        }
        if a.open == 0 && a.strikes == 0 && a.held == 0 {
            devices.remove(device);
        }
    }
}

impl DeviceSlot {
    /// How the session ended; applied when the slot is dropped.
    pub(crate) fn ended(&mut self, outcome: Outcome) {
        self.outcome = outcome;
    }
}

impl Drop for DeviceSlot {
    fn drop(&mut self) {
        self.slots
            .release(&self.device, self.outcome, Instant::now());
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sessions_per_device_are_capped() {
        let slots = Arc::new(DeviceSlots::new(FIRST_PENALTY));
        let held: Vec<DeviceSlot> = (0..4)
            .map(|_| slots.take("hp-ani", 4).expect("within the cap"))
            .collect();
        assert!(matches!(
            slots.take("hp-ani", 4),
            Err(AdmissionError::TooMany { .. })
        ));
        slots.take("hp-budi", 4).expect("another device");
        drop(held);
        slots.take("hp-ani", 4).expect("slots come back");
    }

    #[test]
    fn refusals_are_held_for_the_back_off_within_bounds_and_per_device() {
        let busy = AdmissionError::TooMany {
            device: "hp-x".into(),
            limit: 4,
        };
        assert_eq!(busy.tarpit(), BUSY_TARPIT);
        let soon = AdmissionError::BackingOff {
            device: "hp-x".into(),
            wait_ms: 300,
        };
        assert_eq!(soon.tarpit(), Duration::from_millis(300));
        let long = AdmissionError::BackingOff {
            device: "hp-x".into(),
            wait_ms: 60_000,
        };
        assert_eq!(long.tarpit(), MAX_TARPIT);

        let slots = Arc::new(DeviceSlots::new(FIRST_PENALTY));
        let held: Vec<Held> = (0..MAX_HELD)
            .map(|_| slots.hold("hp-x").expect("within the cap"))
            .collect();
        assert!(
            slots.hold("hp-x").is_none(),
            "beyond the cap: answered at once"
        );
        assert!(slots.hold("hp-y").is_some(), "other devices unaffected");
        drop(held);
        assert!(slots.hold("hp-x").is_some(), "held refusals come back");
        assert!(
            slots
                .devices
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .is_empty(),
            "nothing is kept for devices with nothing open, held or owed"
        );
    }

    #[test]
    fn refused_sessions_back_off_and_a_completed_one_forgives() {
        let slots = Arc::new(DeviceSlots::new(FIRST_PENALTY));
        let t0 = Instant::now();
        let mut s = slots.take_at("hp-x", 4, t0).expect("first");
        s.ended(Outcome::Refused);
        drop(s);
        let now = Instant::now();
        assert!(matches!(
            slots.take_at("hp-x", 4, now),
            Err(AdmissionError::BackingOff { .. })
        ));
        // After the first penalty it may try again; a second refusal doubles the wait.
        let later = now + FIRST_PENALTY;
        let mut s = slots.take_at("hp-x", 4, later).expect("after the penalty");
        s.ended(Outcome::Refused);
        let released = Instant::now();
        slots.release("hp-x", Outcome::Refused, released);
        std::mem::forget(s);
        assert!(slots.take_at("hp-x", 4, released + FIRST_PENALTY).is_err());
        let mut s = slots
            .take_at("hp-x", 4, released + FIRST_PENALTY * 4)
            .expect("after the doubled penalty");
        s.ended(Outcome::Completed);
        drop(s);
        slots.take("hp-x", 4).expect("forgiven");
        // Honest interruptions are not held against a device.
        let mut s = slots.take("hp-y", 4).expect("first");
        s.ended(Outcome::Interrupted);
        drop(s);
        slots.take("hp-y", 4).expect("no back-off");
    }
}
