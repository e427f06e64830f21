//! The login rate limit.

use std::collections::HashMap;
use std::net::IpAddr;
use std::sync::Mutex;

use jiff::{SignedDuration, Timestamp};

/// Login attempts per client address in a fixed window. In memory: a restart forgets the
/// counts, which costs an attacker nothing they could not get by waiting a window.
pub struct LoginLimiter {
    attempts: u32,
    window: SignedDuration,
    seen: Mutex<HashMap<IpAddr, (Timestamp, u32)>>,
}

/// Addresses remembered before expired windows are swept.
const SWEEP_AT: usize = 10_000;

impl LoginLimiter {
    /// `attempts` per `window` and address.
    pub fn new(attempts: u32, window: SignedDuration) -> LoginLimiter {
        LoginLimiter {
            attempts,
            window,
            seen: Mutex::new(HashMap::new()),
        }
    }

    /// Counts an attempt from `ip` at `now`; `false` when it is over the limit.
    pub fn allow(&self, ip: IpAddr, now: Timestamp) -> bool {
        // A poisoned lock only means another request panicked mid-count; the map is still
        // a valid map.
        let mut seen = self.seen.lock().unwrap_or_else(|p| p.into_inner());
        if seen.len() >= SWEEP_AT {
            let window = self.window;
            seen.retain(|_, (start, _)| now.duration_since(*start) < window);
        }
        let entry = seen.entry(ip).or_insert((now, 0));
        if now.duration_since(entry.0) >= self.window {
            *entry = (now, 0);
        }
        entry.1 = entry.1.saturating_add(1);
        entry.1 <= self.attempts
    }
}
