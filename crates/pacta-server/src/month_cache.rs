//! Months read from the store, kept in memory for what-ifs: bounded in bytes, evicted least
//! recently used.
//!
//! A month is keyed by the store snapshot it was read from and by what reading it depends
//! on ([`LoadKey`]: the contract, its columns and FCR window, the month), so an import
//! (a new snapshot) makes the next what-if read the month again without anything having to
//! invalidate the cache; the old snapshot's months age out.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex, PoisonError};

use pacta_ops::settle::{LoadKey, LoadedMonth};

/// The default bound: one gigabyte, about eight million rows of the bank example.
pub const DEFAULT_MONTH_CACHE_BYTES: usize = 1 << 30;

/// What a cached month is found by.
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct CacheKey {
    /// The store snapshot the month was read from.
    pub store_snapshot: u64,
    /// What was read.
    pub load: LoadKey,
}

struct Entry {
    month: Arc<LoadedMonth>,
    bytes: usize,
    last_used: u64,
}

#[derive(Default)]
struct Entries {
    map: HashMap<CacheKey, Entry>,
    clock: u64,
    bytes: usize,
}

/// Loaded months, at most `limit` bytes of them (each month's size estimated from its
/// column buffers, [`LoadedMonth::estimated_bytes`]).
pub struct MonthCache {
    limit: AtomicUsize,
    entries: Mutex<Entries>,
    loads: AtomicU64,
}

impl MonthCache {
    /// An empty cache holding at most `limit` bytes.
    pub fn new(limit: usize) -> MonthCache {
        MonthCache {
            limit: AtomicUsize::new(limit),
            entries: Mutex::new(Entries::default()),
            loads: AtomicU64::new(0),
        }
    }

    /// Changes the bound (evicting down to it).
    pub fn set_limit(&self, limit: usize) {
        self.limit.store(limit, Ordering::Relaxed);
        let mut entries = self.lock();
        evict_to(&mut entries, limit);
    }

    /// The bound, in bytes.
    pub fn limit(&self) -> usize {
        self.limit.load(Ordering::Relaxed)
    }

    /// The bytes the cached months hold.
    pub fn bytes(&self) -> usize {
        self.lock().bytes
    }

    /// Months cached.
    pub fn len(&self) -> usize {
        self.lock().map.len()
    }

    /// Whether nothing is cached.
    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Months read from the store through [`MonthCache::get_or_load`] since the start
    /// (misses).
    pub fn loads(&self) -> u64 {
        self.loads.load(Ordering::Relaxed)
    }

    /// Whether the month is cached (without counting as a use).
    pub fn contains(&self, key: &CacheKey) -> bool {
        self.lock().map.contains_key(key)
    }

    /// The cached month, marked as just used.
    pub fn get(&self, key: &CacheKey) -> Option<Arc<LoadedMonth>> {
        let mut entries = self.lock();
        entries.clock += 1;
        let now = entries.clock;
        let entry = entries.map.get_mut(key)?;
        entry.last_used = now;
        Some(Arc::clone(&entry.month))
    }

    /// Caches `month`, evicting the least recently used months until it fits; a month
    /// larger than the whole bound is not kept.
    pub fn insert(&self, key: CacheKey, month: Arc<LoadedMonth>) {
        let bytes = month.estimated_bytes();
        let limit = self.limit();
        let mut entries = self.lock();
        if let Some(old) = entries.map.remove(&key) {
            entries.bytes -= old.bytes;
        }
        if bytes > limit {
            return;
        }
        evict_to(&mut entries, limit - bytes);
        entries.clock += 1;
        let last_used = entries.clock;
        entries.bytes += bytes;
        entries.map.insert(
            key,
            Entry {
                month,
                bytes,
                last_used,
            },
        );
    }

    /// The cached month, or `load` it and cache it. Two requests missing the same month at
    /// once both read it (the second insert replaces the first); the store is not locked
    /// while reading.
    pub fn get_or_load<E>(
        &self,
        key: CacheKey,
        load: impl FnOnce() -> Result<LoadedMonth, E>,
    ) -> Result<Arc<LoadedMonth>, E> {
        if let Some(month) = self.get(&key) {
            return Ok(month);
        }
        self.loads.fetch_add(1, Ordering::Relaxed);
        let month = Arc::new(load()?);
        self.insert(key, Arc::clone(&month));
        Ok(month)
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Entries> {
        // The entries stay consistent whatever panicked while holding the lock: every
        // change is a single insert or remove with its byte count.
        self.entries.lock().unwrap_or_else(PoisonError::into_inner)
    }
}

/// Evicts least recently used months until at most `room` bytes are held.
fn evict_to(entries: &mut Entries, room: usize) {
    while entries.bytes > room {
        let Some(oldest) = entries
            .map
            .iter()
            .min_by_key(|(_, e)| e.last_used)
            .map(|(k, _)| k.clone())
        else {
            break;
        };
        if let Some(gone) = entries.map.remove(&oldest) {
            entries.bytes -= gone.bytes;
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacta_core::Month;
    use pacta_ops::month_data::{ColumnNeeds, MonthData};

    fn key(snapshot: u64, month: &str) -> CacheKey {
        CacheKey {
            store_snapshot: snapshot,
            load: LoadKey {
                contract_id: "C".to_string(),
                month: Month::parse(month).expect("month"),
                needs: ColumnNeeds {
                    interactions: true,
                    source_ids: false,
                    first_response: false,
                },
                fcr_window_days: 0,
                time_zone: "UTC".to_string(),
            },
        }
    }

    /// A month whose estimate is `extra` bytes above an empty one's.
    fn month(k: &CacheKey, extra: usize) -> LoadedMonth {
        let data = MonthData::default();
        let mut m = LoadedMonth {
            key: k.load.clone(),
            store_snapshot: k.store_snapshot,
            data,
            fcr_window_open: None,
        };
        // Incidents count at their element size: pad with default-sized ones.
        let one = std::mem::size_of::<pacta_data::model::Incident>();
        let n = extra / one;
        m.data.incidents = (0..n)
            .map(|i| pacta_data::model::Incident {
                incident_id: format!("I{i}"),
                kind: pacta_data::model::IncidentKind::Outage,
                start_ms: 0,
                end_ms: 1,
                queues: Vec::new(),
                declared_by: String::new(),
                accepted: true,
            })
            .collect();
        m
    }

    fn empty_size() -> usize {
        month(&key(0, "2026-01"), 0).estimated_bytes()
    }

    fn incident_size() -> usize {
        std::mem::size_of::<pacta_data::model::Incident>()
    }

    #[test]
    fn the_least_recently_used_month_goes_first() {
        let size = empty_size() + 10 * incident_size();
        let cache = MonthCache::new(3 * size);
        let (a, b, c, d) = (
            key(1, "2026-01"),
            key(1, "2026-02"),
            key(1, "2026-03"),
            key(1, "2026-04"),
        );
        for k in [&a, &b, &c] {
            cache.insert(k.clone(), Arc::new(month(k, 10 * incident_size())));
        }
        assert_eq!(cache.len(), 3);
        // A used again: B is now the least recently used, and D's arrival evicts it.
        assert!(cache.get(&a).is_some());
        cache.insert(d.clone(), Arc::new(month(&d, 10 * incident_size())));
        assert!(cache.contains(&a));
        assert!(!cache.contains(&b));
        assert!(cache.contains(&c));
        assert!(cache.contains(&d));
        assert_eq!(cache.bytes(), 3 * size);
    }

    #[test]
    fn the_bytes_held_never_pass_the_bound() {
        let small = empty_size() + 4 * incident_size();
        let large = empty_size() + 20 * incident_size();
        let cache = MonthCache::new(large + small);
        let keys: Vec<CacheKey> = (1..=6).map(|m| key(1, &format!("2026-{m:02}"))).collect();
        for (i, k) in keys.iter().enumerate() {
            let extra = if i % 2 == 0 { 4 } else { 20 };
            cache.insert(k.clone(), Arc::new(month(k, extra * incident_size())));
            assert!(
                cache.bytes() <= cache.limit(),
                "{} > {}",
                cache.bytes(),
                cache.limit()
            );
        }
        // The last two (small then large) fill it exactly.
        assert_eq!(cache.bytes(), small + large);
        assert!(cache.contains(&keys[4]) && cache.contains(&keys[5]));
        // A month larger than the bound is not kept, and evicts nothing.
        let huge = key(1, "2026-07");
        cache.insert(huge.clone(), Arc::new(month(&huge, 100 * incident_size())));
        assert!(!cache.contains(&huge));
        assert_eq!(cache.len(), 2);
        // Lowering the bound evicts down to it.
        cache.set_limit(large);
        assert_eq!(cache.bytes(), large);
        assert!(cache.contains(&keys[5]));
    }

    #[test]
    fn a_new_snapshot_misses_and_loads_again() {
        let cache = MonthCache::new(DEFAULT_MONTH_CACHE_BYTES);
        let first = key(1, "2026-10");
        let loaded = cache
            .get_or_load(first.clone(), || Ok::<_, ()>(month(&first, 0)))
            .expect("loaded");
        assert_eq!(loaded.store_snapshot, 1);
        let again = cache
            .get_or_load(first.clone(), || Err::<LoadedMonth, _>("must not load"))
            .expect("cached");
        assert!(Arc::ptr_eq(&loaded, &again));
        assert_eq!(cache.loads(), 1);
        // An import made snapshot 2: same month, same contract, another key.
        let after_import = key(2, "2026-10");
        let reloaded = cache
            .get_or_load(after_import.clone(), || {
                Ok::<_, ()>(month(&after_import, 0))
            })
            .expect("loaded");
        assert_eq!(reloaded.store_snapshot, 2);
        assert_eq!(cache.loads(), 2);
        // Other columns are another key too.
        let mut wider = key(2, "2026-10");
        wider.load.needs.source_ids = true;
        assert!(cache.get(&wider).is_none());
        // A failed load caches nothing.
        let failing = key(3, "2026-10");
        assert!(
            cache
                .get_or_load(failing.clone(), || Err("broken"))
                .is_err()
        );
        assert!(!cache.contains(&failing));
    }
}
