//! Pseudonyms for customer identifiers: a keyed BLAKE3 hash, made before anything is
//! written, so raw caller numbers and customer ids never reach the store.
//!
//! The 32-byte key is created from the operating system's random source on first use and
//! kept in the store directory (`pseudonym.key`, mode 0600). The same identifier gives the
//! same pseudonym within a store (repeat callers can be counted) and different pseudonyms
//! across stores. Identifiers are normalised first: surrounding whitespace and the
//! characters ` -().` are removed, so `+1 (555) 010-2030` and `+15550102030` match.

use std::io::Write;
use std::path::Path;

use crate::{DataError, Result};

/// File name of the key inside the store directory.
pub const KEY_FILE: &str = "pseudonym.key";

/// Turns customer identifiers into 64-bit keyed-hash pseudonyms.
#[derive(Clone)]
pub struct Pseudonymizer {
    key: [u8; 32],
    /// Seed of [`Pseudonymizer::id_hash`], derived from the key.
    id_seed: u64,
}

impl std::fmt::Debug for Pseudonymizer {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Pseudonymizer(<key>)")
    }
}

/// Makes each staged key file's name unique within the process.
static STAGED: std::sync::atomic::AtomicU64 = std::sync::atomic::AtomicU64::new(0);

impl Pseudonymizer {
    /// A pseudonymizer with a given key (tests, or a key managed elsewhere).
    pub fn from_key(key: [u8; 32]) -> Self {
        Pseudonymizer::with_key(key)
    }

    /// The store's key, or `None` when the directory holds none.
    pub fn load(dir: &Path) -> Result<Option<Self>> {
        let path = dir.join(KEY_FILE);
        match std::fs::read(&path) {
            Ok(bytes) => {
                let key: [u8; 32] = bytes.as_slice().try_into().map_err(|_| DataError::Store {
                    path: path.clone(),
                    message: format!("the pseudonym key must be 32 bytes, found {}", bytes.len()),
                })?;
                Ok(Some(Pseudonymizer::with_key(key)))
            }
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(None),
            Err(e) => Err(DataError::io(&path, e)),
        }
    }

    /// A new random key from the operating system's random source (kept in memory until
    /// [`Pseudonymizer::save_new`]).
    pub fn generate(dir: &Path) -> Result<Self> {
        let mut key = [0u8; 32];
        getrandom::fill(&mut key).map_err(|e| DataError::Store {
            path: dir.join(KEY_FILE),
            message: format!("no random source for the pseudonym key: {e}"),
        })?;
        Ok(Pseudonymizer::with_key(key))
    }

    /// Writes this key as the store's key (mode 0600). Refused when the store got a key
    /// meanwhile: rows pseudonymised with this one would not match the store's.
    pub fn save_new(&self, dir: &Path) -> Result<()> {
        let path = dir.join(KEY_FILE);
        // Written whole to a file of its own first, then linked in under the key's name: a
        // concurrent reader sees no key or the whole key, never an empty file, and a link
        // refuses to replace a key another writer put there first.
        let staged = dir.join(format!(
            "{KEY_FILE}.{}.{}",
            std::process::id(),
            STAGED.fetch_add(1, std::sync::atomic::Ordering::Relaxed)
        ));
        let mut opts = std::fs::OpenOptions::new();
        opts.write(true).create_new(true);
        #[cfg(unix)]
        {
            use std::os::unix::fs::OpenOptionsExt;
            opts.mode(0o600);
        }
        let written = opts
            .open(&staged)
            .and_then(|mut f| f.write_all(&self.key).and_then(|()| f.sync_all()))
            .map_err(|e| DataError::io(&staged, e));
        let linked = written.and_then(|()| match std::fs::hard_link(&staged, &path) {
            Ok(()) => Ok(()),
            Err(e) if e.kind() == std::io::ErrorKind::AlreadyExists => {
                Err(DataError::KeyCreatedMeanwhile { path: path.clone() })
            }
            Err(e) => Err(DataError::io(&path, e)),
        });
        let _ = std::fs::remove_file(&staged);
        linked
    }

    fn with_key(key: [u8; 32]) -> Self {
        let derived = blake3::keyed_hash(&key, b"pacta source-id duplicate check");
        let mut seed = [0u8; 8];
        seed.copy_from_slice(&derived.as_bytes()[..8]);
        Pseudonymizer {
            key,
            id_seed: u64::from_le_bytes(seed),
        }
    }

    /// 128-bit hash of a source id for duplicate checks (XXH3-128 seeded from the store's key,
    /// so ids cannot be crafted to collide without it). Only compared in memory, never stored.
    pub(crate) fn id_hash(&self, id: &str) -> u128 {
        twox_hash::xxhash3_128::Hasher::oneshot_with_seed(self.id_seed, id.as_bytes())
    }

    /// The 64-bit pseudonym of a raw identifier; `0` (unknown) for an empty one.
    pub fn key64(&self, raw: &str) -> u64 {
        let mut norm = [0u8; 128];
        let mut n = 0;
        // Identifiers up to 128 normalised bytes (all real ones) hash in one call; longer
        // ones stream through a hasher with the same result.
        let mut hasher: Option<blake3::Hasher> = None;
        for b in raw.trim().bytes() {
            if matches!(b, b' ' | b'-' | b'(' | b')' | b'.' | b'\t') {
                continue;
            }
            if n == norm.len() {
                hasher
                    .get_or_insert_with(|| blake3::Hasher::new_keyed(&self.key))
                    .update(&norm);
                n = 0;
            }
            norm[n] = b;
            n += 1;
        }
        let out = match hasher {
            Some(mut h) => {
                h.update(&norm[..n]);
                h.finalize()
            }
            None if n == 0 => return 0,
            None => blake3::keyed_hash(&self.key, &norm[..n]),
        };
        let mut first = [0u8; 8];
        first.copy_from_slice(&out.as_bytes()[..8]);
        match u64::from_le_bytes(first) {
            0 => 1,
            k => k,
        }
    }

    /// The pseudonym as the hex string of [`crate::model::Interaction::customer_key`].
    pub fn hex(&self, raw: &str) -> Option<String> {
        key_hex(self.key64(raw))
    }
}

/// The hex form of a 64-bit pseudonym (`None` for 0 = unknown).
pub fn key_hex(key: u64) -> Option<String> {
    (key != 0).then(|| format!("{key:016x}"))
}

/// Inverse of [`key_hex`].
pub fn key_from_hex(hex: Option<&str>) -> u64 {
    hex.and_then(|h| u64::from_str_radix(h, 16).ok())
        .unwrap_or(0)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    /// The definition: the first 8 bytes (little-endian) of keyed BLAKE3 over the
    /// identifier without spaces, dashes, dots, parentheses and tabs.
    fn reference(key: &[u8; 32], raw: &str) -> u64 {
        let norm: Vec<u8> = raw
            .trim()
            .bytes()
            .filter(|b| !matches!(b, b' ' | b'-' | b'(' | b')' | b'.' | b'\t'))
            .collect();
        if norm.is_empty() {
            return 0;
        }
        let out = blake3::keyed_hash(key, &norm);
        u64::from_le_bytes(out.as_bytes()[..8].try_into().unwrap()).max(1)
    }

    #[test]
    fn pseudonyms_follow_the_definition_for_short_and_long_identifiers() {
        let key = [7u8; 32];
        let p = Pseudonymizer::from_key(key);
        let long = "4".repeat(127) + &"-5".repeat(150) + "(6)";
        for raw in [
            "+57 300 1234567",
            "573001234567",
            " (300) 123-4567 ",
            "",
            " - ",
            &long,
        ] {
            assert_eq!(p.key64(raw), reference(&key, raw), "{raw:?}");
        }
        assert_eq!(p.key64("+57 300 1234567"), p.key64("+57-300-1234567"));
        assert_ne!(p.key64("573001234567"), p.key64("573001234568"));
        assert_ne!(
            p.key64("573001234567"),
            Pseudonymizer::from_key([8u8; 32]).key64("573001234567")
        );
    }
}
