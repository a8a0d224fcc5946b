//! Per-device admission: how many sync sessions one device may have open at once, and a back-off
//! for a device whose sessions keep being refused (bad frames, hostile messages, a store id that
//! is not its own…), so one token cannot make the server spend a core on refusals or fill the
//! audit log. A device's back-off starts at [`FIRST_PENALTY`], doubles with every refused session
//! up to [`MAX_PENALTY`], and is forgotten at its first session that completes. Honest failures —
//! the network dropping, the client going away — are not held against it.

use std::collections::HashMap;
use std::sync::{Arc, Mutex, PoisonError};
use std::time::{Duration, Instant};

/// The default first back-off (`--refusal-backoff-ms`).
pub const FIRST_PENALTY: Duration = Duration::from_millis(250);
const MAX_PENALTY: Duration = Duration::from_secs(60);

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
        if a.open == 0 && a.strikes == 0 {
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
