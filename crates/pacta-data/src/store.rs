//! The embedded store: a directory of Parquet files plus a JSON manifest of import batches.
//!
//! ```text
//! <store>/
//!   manifest.json                 batches: id, time, kind, contract, source files + hashes, counts, files
//!   pseudonym.key                 32 random bytes, mode 0600 (see [`crate::pseudo`])
//!   interactions/contract=<id>/month=YYYY-MM/part-<batch>[-<k>].parquet   (k: one file per core for large months)
//!   <kind>/contract=<id>/part-<batch>.parquet        surveys, qa, roster, … (see [`crate::record_kinds`])
//!   staging/<batch>/…             only while a batch is being written (with intent.json)
//!   .lock                         the writer lock (pid and time of the holder)
//!   snapshots/<n>.json            every manifest ever committed (n = its `snapshot`)
//! ```
//!
//! **The manifest is the source of truth**: readers only read files it lists, and never
//! change or delete anything. **One writer at a time**: a commit holds an exclusive OS lock on
//! `.lock` from reading the manifest to writing it, so batch ids are unique and no two imports
//! can lose each other's batches; a second writer waits (`CommitOptions::wait`) or fails
//! naming the holder. A commit writes every file into `staging/<batch>/`, records the paths it
//! will move into place (`intent.json`), renames them into place, then replaces
//! `manifest.json` by write-temp-then-rename as its last step. A failure removes what the
//! batch wrote; after a crash (kill -9) the next writer, under the lock, removes the files a
//! dead batch's intent names and the manifest does not list, then its staging directory.
//! pacta never deletes a file it did not write. Months are cut in the contract's time zone.
//!
//! **Idempotent**: rows whose `source_id` is already stored for the contract (any month),
//! or repeated within the batch (the first is kept), are skipped and counted as duplicates;
//! a commit that adds nothing adds no batch. Each partition's rows are sorted by
//! (`arrived_at`, `source_id`), so the same rows in any order give the same files.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use serde::{Deserialize, Serialize};

use crate::batch::InteractionBatch;
use crate::model::InteractionTable;
use crate::parquet_io::{self, TableReader};
use crate::pseudo::Pseudonymizer;
use crate::report::{ImportReport, SourceFile};
use crate::{DataError, Result};
use pacta_core::Month;

use crate::dedupe::IdSet;

/// Default store directory.
pub const DEFAULT_DIR: &str = "pacta-data";
/// The embedded database of the store's records (settlements, month states, audit log),
/// kept beside the data by default.
pub const EMBEDDED_DB: &str = "pacta.db";
/// The name of the file that makes a directory a store.
pub const MANIFEST: &str = "manifest.json";
const STAGING: &str = "staging";
const LOCK: &str = ".lock";
const SNAPSHOTS: &str = "snapshots";
const INTENT: &str = "intent.json";
/// Months with at least twice this many rows are written as several files in parallel.
const PART_MIN_ROWS: usize = 1 << 20;

/// The manifest: every committed import batch.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Manifest {
    /// Manifest format version (1).
    pub format_version: u32,
    /// Snapshot number: 1 for the first commit, one more for each commit after it (0 for an
    /// empty store, or one written before snapshots were kept). Every snapshot is kept under
    /// `snapshots/`, so what any earlier settlement read can be read again.
    #[serde(default)]
    pub snapshot: u64,
    /// The largest batch number ever given, so that a removed batch's id (and its files,
    /// which earlier snapshots still read) is never given again.
    #[serde(default)]
    pub last_batch: u64,
    /// Batches in commit order.
    pub batches: Vec<BatchRecord>,
}

/// What removing a batch took out of the store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RemovedBatch {
    /// The batch.
    pub batch: String,
    /// What it held.
    pub kind: String,
    /// The contract.
    pub contract: String,
    /// Rows no longer read.
    pub rows: u64,
    /// Months whose figures change (interactions: their partitions; other kinds: every month
    /// their records fall in is not known without reading them, so `None`).
    pub months: Option<Vec<String>>,
    /// The snapshot without it.
    pub snapshot: u64,
}

/// What [`Store::verify_cache`] found in the column cache ([`crate::column_cache`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct CacheCheck {
    /// Copies of current files whose every section checks.
    pub copies_ok: usize,
    /// Copies that did not check, removed (the next read rebuilds them from the Parquet file).
    pub damaged_removed: usize,
    /// Copies of files no longer in the store (superseded or removed batches), removed.
    pub stale_removed: usize,
    /// Bytes the cache holds after the check.
    pub bytes: u64,
}

/// One data file of a snapshot, for engines that read the store themselves.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct SnapshotFile {
    /// The batch that wrote it.
    pub batch: String,
    /// What it holds (`interactions`, `surveys`, …).
    pub kind: String,
    /// The contract.
    pub contract: String,
    /// Month partition (`YYYY-MM`), for interactions.
    pub month: Option<String>,
    /// Its path.
    pub path: PathBuf,
    /// Rows.
    pub rows: u64,
    /// Size in bytes, when recorded.
    pub bytes: Option<u64>,
    /// BLAKE3, hex, when recorded.
    pub blake3: Option<String>,
    /// The manifest format the snapshot was written in.
    pub format_version: u32,
}

/// One committed import.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct BatchRecord {
    /// Batch id (`000001`, …).
    pub id: String,
    /// Data kind (`interactions`, `surveys`, …).
    pub kind: String,
    /// Contract id.
    pub contract: String,
    /// When, as given by the caller.
    pub imported_at: Timestamp,
    /// Source files and their hashes.
    pub sources: Vec<SourceFile>,
    /// Counts.
    pub counts: BatchCounts,
    /// Files written, relative to the store.
    pub files: Vec<PartFile>,
    /// Earlier batches whose rows this one superseded (their files were replaced by copies
    /// without those rows in this batch's snapshot).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub supersedes: Vec<String>,
}

/// Counts of a batch.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BatchCounts {
    /// Source rows read.
    pub rows_read: u64,
    /// Records written.
    pub written: u64,
    /// Records skipped as already stored or repeated.
    pub duplicates_skipped: u64,
    /// Rows not offered.
    pub not_offered: u64,
    /// Rows dropped by rule.
    pub dropped: u64,
    /// Rows merged into other records.
    pub merged: u64,
    /// Rows quarantined.
    pub quarantined: u64,
    /// Stored rows this batch replaced with new versions (a correction).
    #[serde(default, skip_serializing_if = "is_zero")]
    pub superseded: u64,
}

fn is_zero(n: &u64) -> bool {
    *n == 0
}

/// A file of a batch.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartFile {
    /// Path relative to the store, `/`-separated.
    pub path: String,
    /// Month partition (`YYYY-MM`), for interactions.
    pub month: Option<String>,
    /// Rows.
    pub rows: u64,
    /// Size in bytes, checked before every read (absent in stores written before it was kept).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub bytes: Option<u64>,
    /// BLAKE3 of the file, hex, checked before every read and by [`Store::verify`].
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub blake3: Option<String>,
}

/// Tells, under the writer lock, whether a month of a contract may no longer change (a closed
/// month): a commit that would change it is refused.
pub type ClosedMonthCheck = std::sync::Arc<dyn Fn(&str, Month) -> Result<bool> + Send + Sync>;

/// Knobs of a commit.
#[derive(Clone, Default)]
pub struct CommitOptions {
    /// How long to wait for another writer to finish (none: fail at once, naming it).
    pub wait: Option<std::time::Duration>,
    /// A correction: a row whose source id is already stored with other values supersedes
    /// the stored row (the same values again are still a duplicate). Without it, any stored
    /// source id is a duplicate.
    pub replace: bool,
    /// Months the commit must not change (checked under the writer lock).
    pub closed_month: Option<ClosedMonthCheck>,
    /// Testing aid: fail after this many files were staged or moved into place (counting
    /// staged files first, then moved ones), to check that a failed commit leaves the store
    /// as it was.
    pub fail_after_files: Option<usize>,
}

impl std::fmt::Debug for CommitOptions {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("CommitOptions")
            .field("wait", &self.wait)
            .field("replace", &self.replace)
            .field("closed_month", &self.closed_month.is_some())
            .field("fail_after_files", &self.fail_after_files)
            .finish()
    }
}

/// What a commit did.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct CommitSummary {
    /// The new batch id, `None` when nothing new was written.
    pub batch: Option<String>,
    /// Records written.
    pub written: u64,
    /// Records skipped as duplicates.
    pub duplicates_skipped: u64,
    /// Rows written per month (interactions).
    pub by_month: BTreeMap<String, u64>,
    /// Stored rows replaced by new versions (`--replace` and stateful formats).
    #[serde(default)]
    pub superseded: u64,
    /// Months whose figures change: those of the rows written and of the rows superseded.
    #[serde(default)]
    pub months_changed: Vec<String>,
}

/// Summary of the store's content.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct StoreInfo {
    /// Store directory.
    pub dir: String,
    /// Number of batches.
    pub batches: usize,
    /// Last import time.
    pub last_import: Option<Timestamp>,
    /// Per contract, per kind, per partition: rows and files.
    pub contracts: BTreeMap<String, BTreeMap<String, BTreeMap<String, PartitionInfo>>>,
    /// Total bytes of data files.
    pub bytes: u64,
}

/// Rows and files of one partition.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PartitionInfo {
    /// Rows.
    pub rows: u64,
    /// Files.
    pub files: u64,
}

/// An open store.
#[derive(Debug)]
pub struct Store {
    dir: PathBuf,
    pseudo: Pseudonymizer,
    /// Whether the key is the store's saved key (else a new one, saved by the first commit).
    key_saved: std::sync::atomic::AtomicBool,
    /// Reads see this snapshot instead of the current one, and commits are refused
    /// ([`Store::at_snapshot`]).
    pinned: Option<u64>,
    /// Who may write ([`FileLocks`] unless [`Store::with_writer_locks`] says otherwise).
    locks: std::sync::Arc<dyn WriterLocks>,
}

/// The store's writer lock, held while it lives.
#[derive(Debug)]
pub struct WriterLock {
    _held: Box<dyn HeldLock>,
}

/// A lock held by one writer; released when dropped.
pub trait HeldLock: std::fmt::Debug + Send {}

/// Who may write to a store: one writer at a time. The default is an OS lock on
/// `<store>/.lock` ([`FileLocks`]), which serialises the processes of one machine; several
/// server processes on several machines would share a catalog instead (a PostgreSQL advisory
/// lock or row lock keyed by the store), set with [`Store::with_writer_locks`]. Everything a
/// commit does after taking the lock (key, recovery, staging, manifest) is the same for both.
pub trait WriterLocks: std::fmt::Debug + Send + Sync {
    /// Takes the store's writer lock, waiting up to `wait` for the holder; fails with
    /// [`DataError::Locked`] naming the holder when it is still held. `now` is recorded as
    /// when the lock was taken.
    fn acquire(
        &self,
        store_dir: &Path,
        now: Timestamp,
        wait: Option<std::time::Duration>,
    ) -> Result<Box<dyn HeldLock>>;
}

/// The default [`WriterLocks`]: an exclusive OS file lock on `<store>/.lock`, whose content
/// names the holder (`pid N since T`).
#[derive(Debug, Default, Clone, Copy)]
pub struct FileLocks;

/// The open lock file: the OS lock lasts as long as it stays open.
#[derive(Debug)]
struct HeldFile {
    _file: std::fs::File,
}

impl HeldLock for HeldFile {}

impl WriterLocks for FileLocks {
    fn acquire(
        &self,
        store_dir: &Path,
        now: Timestamp,
        wait: Option<std::time::Duration>,
    ) -> Result<Box<dyn HeldLock>> {
        use std::io::{Read, Seek, Write};
        let path = store_dir.join(LOCK);
        let mut file = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .create(true)
            .truncate(false)
            .open(&path)
            .map_err(|e| DataError::io(&path, e))?;
        // Waiting counts steps rather than reading the clock.
        const STEP: std::time::Duration = std::time::Duration::from_millis(20);
        let mut waited = std::time::Duration::ZERO;
        loop {
            match file.try_lock() {
                Ok(()) => break,
                Err(std::fs::TryLockError::WouldBlock) if waited < wait.unwrap_or_default() => {
                    std::thread::sleep(STEP);
                    waited += STEP;
                }
                Err(std::fs::TryLockError::WouldBlock) => {
                    let mut holder = String::new();
                    let _ = file.read_to_string(&mut holder);
                    return Err(DataError::Locked {
                        path: store_dir.to_path_buf(),
                        holder: holder.trim().to_string(),
                    });
                }
                Err(std::fs::TryLockError::Error(e)) => return Err(DataError::io(&path, e)),
            }
        }
        file.set_len(0)
            .and_then(|()| file.rewind())
            .and_then(|()| writeln!(file, "pid {} since {now}", std::process::id()))
            .map_err(|e| DataError::io(&path, e))?;
        Ok(Box::new(HeldFile { _file: file }))
    }
}

/// Checks a contract id is safe as a path segment.
fn check_id(dir: &Path, id: &str) -> Result<()> {
    if id.is_empty()
        || id.starts_with('.')
        || !id
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '-' | '_' | '.'))
    {
        return Err(DataError::Store {
            path: dir.to_path_buf(),
            message: format!(
                "contract id `{id}` cannot name a partition (use letters, digits, - _ .)"
            ),
        });
    }
    Ok(())
}

/// Cuts instants into `YYYY-MM` months of a zone, caching per 15-minute bucket.
pub(crate) struct MonthCutter {
    tz: TimeZone,
    months: Vec<String>,
    cache: HashMap<i64, u32, ahash::RandomState>,
    last: Option<(i64, u32)>,
}

impl MonthCutter {
    pub(crate) fn new(tz: TimeZone) -> Self {
        MonthCutter {
            tz,
            months: Vec::new(),
            cache: HashMap::default(),
            last: None,
        }
    }
    fn intern(&mut self, m: String) -> u32 {
        match self.months.iter().position(|x| *x == m) {
            Some(p) => p as u32,
            None => {
                self.months.push(m);
                (self.months.len() - 1) as u32
            }
        }
    }
    pub(crate) fn month(&mut self, ms: i64) -> u32 {
        let bucket = ms.div_euclid(900_000);
        // Rows mostly come in time order: the last bucket answers most lookups.
        if let Some((b, m)) = self.last
            && b == bucket
        {
            return m;
        }
        if let Some(&m) = self.cache.get(&bucket) {
            self.last = Some((bucket, m));
            return m;
        }
        let a = crate::time::month_of(bucket * 900_000, &self.tz);
        let b = crate::time::month_of(bucket * 900_000 + 899_999, &self.tz);
        if a == b {
            let m = self.intern(a);
            self.cache.insert(bucket, m);
            self.last = Some((bucket, m));
            m
        } else {
            let m = crate::time::month_of(ms, &self.tz);
            self.intern(m)
        }
    }
    pub(crate) fn name(&self, m: u32) -> &str {
        &self.months[m as usize]
    }
}

impl Store {
    /// Opens the store in `dir` to read it or to commit to it. Opening changes nothing on
    /// disk: the directory and the pseudonym key of a new store are created by its first
    /// commit. A store that holds data but has lost its key is refused (a new key would give
    /// every customer a new pseudonym).
    pub fn open(dir: impl AsRef<Path>) -> Result<Store> {
        let dir = dir.as_ref().to_path_buf();
        if dir.exists() && !dir.is_dir() {
            return Err(DataError::Store {
                path: dir,
                message: "not a directory".into(),
            });
        }
        let (pseudo, saved) = match Pseudonymizer::load(&dir)? {
            Some(p) => (p, true),
            None => (Pseudonymizer::generate(&dir)?, false),
        };
        let store = Store {
            dir,
            pseudo,
            key_saved: std::sync::atomic::AtomicBool::new(saved),
            pinned: None,
            locks: std::sync::Arc::new(FileLocks),
        };
        if !saved && !store.manifest()?.batches.is_empty() {
            return Err(DataError::Store {
                path: store.dir.join(crate::pseudo::KEY_FILE),
                message: "the pseudonym key is missing but the store holds data; restore it (a new key would give every customer a new pseudonym)".into(),
            });
        }
        Ok(store)
    }

    /// The store with another way of serialising writers (a catalog shared by several
    /// server processes instead of the local file lock).
    pub fn with_writer_locks(self, locks: std::sync::Arc<dyn WriterLocks>) -> Store {
        Store { locks, ..self }
    }

    /// The store as snapshot `n` left it, read-only: every read sees exactly the files that
    /// snapshot lists (a closed month is recomputed from the snapshot it was settled on, so
    /// later imports and corrections cannot change it).
    pub fn at_snapshot(self, n: u64) -> Result<Store> {
        self.snapshot(Some(n))?;
        Ok(Store {
            pinned: Some(n),
            ..self
        })
    }

    /// The snapshot reads see: the pinned one, else the current one (0 for a new store).
    pub fn snapshot_number(&self) -> Result<u64> {
        match self.pinned {
            Some(n) => Ok(n),
            None => Ok(self.current_manifest()?.snapshot),
        }
    }

    /// Takes the writer lock (waiting up to `wait` for another writer), creating the store
    /// directory and saving a new store's key; then clears what an interrupted commit left.
    /// Held while the returned guard lives; callers outside this crate hold it to keep the
    /// store still while they record something that must agree with it (closing a month).
    pub fn lock_writer(
        &self,
        now: Timestamp,
        wait: Option<std::time::Duration>,
    ) -> Result<WriterLock> {
        if let Some(n) = self.pinned {
            return Err(DataError::Store {
                path: self.dir.clone(),
                message: format!("opened at snapshot {n} to read it; nothing can be written"),
            });
        }
        if self.dir.is_dir() && !self.is_store_dir()? {
            return Err(DataError::Store {
                path: self.dir.clone(),
                message: "the directory is neither empty nor a pacta store; choose another --store"
                    .into(),
            });
        }
        std::fs::create_dir_all(&self.dir).map_err(|e| DataError::io(&self.dir, e))?;
        let lock = WriterLock {
            _held: self.locks.acquire(&self.dir, now, wait)?,
        };
        if !self.key_saved.load(std::sync::atomic::Ordering::Acquire) {
            self.pseudo.save_new(&self.dir)?;
            self.key_saved
                .store(true, std::sync::atomic::Ordering::Release);
        }
        self.sweep_interrupted()?;
        Ok(lock)
    }

    /// Whether the existing directory is empty or holds a store (never write into a
    /// directory of other files).
    fn is_store_dir(&self) -> Result<bool> {
        let mut entries = std::fs::read_dir(&self.dir).map_err(|e| DataError::io(&self.dir, e))?;
        let empty = entries.next().is_none();
        Ok(empty
            || [
                MANIFEST,
                crate::pseudo::KEY_FILE,
                LOCK,
                STAGING,
                SNAPSHOTS,
                EMBEDDED_DB,
            ]
            .iter()
            .any(|f| self.dir.join(f).exists()))
    }

    /// Under the writer lock: removes the files a dead commit moved into place that the
    /// manifest does not list (named by its `intent.json`), then the staging area.
    fn sweep_interrupted(&self) -> Result<()> {
        let staging = self.dir.join(STAGING);
        if !staging.exists() {
            return Ok(());
        }
        let listed: HashSet<String> = self
            .manifest()?
            .batches
            .iter()
            .flat_map(|b| b.files.iter().map(|f| f.path.clone()))
            .collect();
        for entry in std::fs::read_dir(&staging).map_err(|e| DataError::io(&staging, e))? {
            let batch_dir = entry.map_err(|e| DataError::io(&staging, e))?.path();
            let intent = batch_dir.join(INTENT);
            let Ok(bytes) = std::fs::read(&intent) else {
                continue;
            };
            let Ok(rels) = serde_json::from_slice::<Vec<String>>(&bytes) else {
                // Cut short while being written: the commit died before moving anything.
                continue;
            };
            let unlisted: Vec<String> = rels.into_iter().filter(|r| !listed.contains(r)).collect();
            self.remove_moved(&unlisted);
        }
        std::fs::remove_dir_all(&staging).map_err(|e| DataError::io(&staging, e))?;
        let _ = std::fs::remove_file(self.dir.join(".manifest.json.tmp"));
        Ok(())
    }

    /// The id of the next batch: one more than the largest ever given, recorded in the
    /// manifest at once.
    fn next_batch_id(manifest: &mut Manifest) -> String {
        let last = manifest
            .batches
            .iter()
            .filter_map(|b| b.id.parse::<u64>().ok())
            .max()
            .unwrap_or(0)
            .max(manifest.last_batch);
        manifest.last_batch = last + 1;
        format!("{:06}", last + 1)
    }

    /// The store directory.
    pub fn dir(&self) -> &Path {
        &self.dir
    }

    /// The store's pseudonymizer (importers must use it so pseudonyms match across imports).
    pub fn pseudonymizer(&self) -> &Pseudonymizer {
        &self.pseudo
    }

    /// The manifest reads see: the pinned snapshot's ([`Store::at_snapshot`]), else the
    /// current one (empty when the store is new).
    pub fn manifest(&self) -> Result<Manifest> {
        match self.pinned {
            Some(n) => self.snapshot(Some(n)),
            None => self.current_manifest(),
        }
    }

    fn current_manifest(&self) -> Result<Manifest> {
        let path = self.dir.join(MANIFEST);
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| DataError::Store {
                path,
                message: format!("unreadable manifest: {e}"),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(Manifest {
                format_version: 1,
                snapshot: 0,
                last_batch: 0,
                batches: Vec::new(),
            }),
            Err(e) => Err(DataError::io(path, e)),
        }
    }

    pub(crate) fn next_batch_id_pub(manifest: &mut Manifest) -> String {
        Store::next_batch_id(manifest)
    }

    pub(crate) fn write_manifest_pub(&self, m: &Manifest) -> Result<()> {
        self.write_manifest(m)
    }

    /// Writes `m` as the next snapshot: `snapshots/<n>.json` first, then `manifest.json`
    /// (each by write-temp-then-rename), so the current manifest always has its snapshot.
    fn write_manifest(&self, m: &Manifest) -> Result<()> {
        let mut next = m.clone();
        next.snapshot = self.current_manifest()?.snapshot + 1;
        let path = self.dir.join(MANIFEST);
        let bytes = serde_json::to_vec_pretty(&next).map_err(|e| DataError::Store {
            path: path.clone(),
            message: e.to_string(),
        })?;
        let snapshots = self.dir.join(SNAPSHOTS);
        std::fs::create_dir_all(&snapshots).map_err(|e| DataError::io(&snapshots, e))?;
        let kept = snapshots.join(format!("{:06}.json", next.snapshot));
        write_synced(&kept, &snapshots.join(".snapshot.json.tmp"), &bytes)?;
        write_synced(&path, &self.dir.join(".manifest.json.tmp"), &bytes)?;
        sync_dir(&self.dir);
        Ok(())
    }

    /// The store as snapshot `n` left it (`None`: the current one).
    pub fn snapshot(&self, n: Option<u64>) -> Result<Manifest> {
        let current = self.current_manifest()?;
        let Some(n) = n.filter(|&n| n != current.snapshot) else {
            return Ok(current);
        };
        let path = self.dir.join(SNAPSHOTS).join(format!("{n:06}.json"));
        match std::fs::read(&path) {
            Ok(bytes) => serde_json::from_slice(&bytes).map_err(|e| DataError::Store {
                path,
                message: format!("unreadable snapshot: {e}"),
            }),
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => Err(DataError::Store {
                path: self.dir.clone(),
                message: format!(
                    "no snapshot {n} (the store is at snapshot {})",
                    current.snapshot
                ),
            }),
            Err(e) => Err(DataError::io(path, e)),
        }
    }

    /// Removes batch `id` from the store in a new snapshot (a correction: remove a wrong import,
    /// then import the corrected file). Its files stay on disk, because earlier snapshots
    /// still list them.
    pub fn remove_batch(
        &self,
        id: &str,
        now: Timestamp,
        opts: &CommitOptions,
    ) -> Result<RemovedBatch> {
        let _lock = self.lock_writer(now, opts.wait)?;
        let mut manifest = self.manifest()?;
        let Some(at) = manifest.batches.iter().position(|b| b.id == id) else {
            return Err(DataError::Store {
                path: self.dir.clone(),
                message: format!(
                    "no batch `{id}` (see `pacta store info`; batches: {})",
                    manifest
                        .batches
                        .iter()
                        .map(|b| b.id.as_str())
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
            });
        };
        let b = manifest.batches.remove(at);
        let mut months: Vec<String> = b.files.iter().filter_map(|f| f.month.clone()).collect();
        months.sort();
        months.dedup();
        if let Some(closed) = &opts.closed_month {
            for text in &months {
                if let Ok(month) = Month::parse(text)
                    && closed(&b.contract, month)?
                {
                    return Err(DataError::MonthClosed {
                        contract: b.contract.clone(),
                        month,
                    });
                }
            }
        }
        self.write_manifest(&manifest)?;
        Ok(RemovedBatch {
            rows: b.files.iter().map(|f| f.rows).sum(),
            months: (b.kind == "interactions").then_some(months),
            batch: b.id,
            kind: b.kind,
            contract: b.contract,
            snapshot: self.manifest()?.snapshot,
        })
    }

    /// The data files of snapshot `n` (`None`: the current one), each with its batch, rows,
    /// size and hash: exactly what pacta reads.
    pub fn files(&self, n: Option<u64>) -> Result<Vec<SnapshotFile>> {
        let m = self.snapshot(n)?;
        Ok(m.batches
            .iter()
            .flat_map(|b| {
                b.files.iter().map(|f| SnapshotFile {
                    batch: b.id.clone(),
                    kind: b.kind.clone(),
                    contract: b.contract.clone(),
                    month: f.month.clone(),
                    path: self.dir.join(&f.path),
                    rows: f.rows,
                    bytes: f.bytes,
                    blake3: f.blake3.clone(),
                    format_version: m.format_version,
                })
            })
            .collect())
    }

    fn existing_ids(&self, m: &Manifest, kind: &str, contract: &str) -> Result<IdSet> {
        let mut set = IdSet::default();
        for b in m
            .batches
            .iter()
            .filter(|b| b.kind == kind && b.contract == contract)
        {
            for f in &b.files {
                parquet_io::read_source_ids(&self.checked_path(b, f)?, |id| {
                    set.insert(self.pseudo.id_hash(id));
                })?;
            }
        }
        Ok(set)
    }

    /// Writes an import's interactions for a contract as one batch, months cut in `tz`.
    pub fn commit_interactions(
        &self,
        contract_id: &str,
        tz: &TimeZone,
        batch: &InteractionBatch,
        report: &ImportReport,
        now: Timestamp,
        opts: &CommitOptions,
    ) -> Result<CommitSummary> {
        check_id(&self.dir, contract_id)?;
        let _lock = self.lock_writer(now, opts.wait)?;
        let mut manifest = self.manifest()?;
        // A correction compares stored rows one by one below; otherwise any stored id is a
        // duplicate.
        let existing = if opts.replace {
            IdSet::default()
        } else {
            self.existing_ids(&manifest, "interactions", contract_id)?
        };
        let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
        let dedupe_span = tracing::info_span!("commit.dedupe").entered();
        let (mut keep, mut dups) = crate::dedupe::new_rows(
            batch.len(),
            &|i| self.pseudo.id_hash(batch.source_id(i)),
            &existing,
            threads,
        );
        drop(existing);
        let batch_id = Store::next_batch_id(&mut manifest);
        let supersede = if opts.replace {
            let mut stored = Vec::new();
            for (bi, b) in manifest.batches.iter().enumerate() {
                if b.kind != "interactions" || b.contract != contract_id {
                    continue;
                }
                for (fi, f) in b.files.iter().enumerate() {
                    stored.push(crate::supersede::StoredFile {
                        batch: bi,
                        file: fi,
                        path: self.checked_path(b, f)?,
                        rel: f.path.clone(),
                        rows: f.rows,
                    });
                }
            }
            crate::supersede::plan(&self.pseudo, &stored, batch, &mut keep, &batch_id)?
        } else {
            crate::supersede::Supersede::default()
        };
        dups += supersede.unchanged;
        drop(dedupe_span);
        let group_span = tracing::info_span!("commit.group").entered();
        let mut cutter = MonthCutter::new(tz.clone());
        let mut groups: BTreeMap<u32, Vec<u32>> = BTreeMap::new();
        for (i, _) in keep.iter().enumerate().filter(|(_, k)| **k) {
            let m = cutter.month(batch.arrived[i]);
            groups.entry(m).or_default().push(i as u32);
        }
        drop(keep);
        let mut summary = CommitSummary {
            duplicates_skipped: dups,
            superseded: supersede.superseded,
            ..CommitSummary::default()
        };
        if groups.is_empty() {
            return Ok(summary);
        }
        let groups: BTreeMap<String, Vec<u32>> = groups
            .into_iter()
            .map(|(m, rows)| (cutter.name(m).to_string(), rows))
            .collect();
        let mut months_changed: Vec<String> = groups.keys().cloned().collect();
        for r in &supersede.rewrites {
            months_changed.extend(manifest.batches[r.batch].files[r.file].month.clone());
        }
        months_changed.sort();
        months_changed.dedup();
        if let Some(closed) = &opts.closed_month {
            for text in &months_changed {
                if let Ok(month) = Month::parse(text)
                    && closed(contract_id, month)?
                {
                    return Err(DataError::MonthClosed {
                        contract: contract_id.to_string(),
                        month,
                    });
                }
            }
        }
        summary.months_changed = months_changed;
        let mut files = Vec::new();
        let mut staged = Vec::new();
        for (month, mut rows) in groups {
            // Files are sorted by arrival then source id (ids are unique after the duplicate
            // check, so the order is total): the same rows give the same bytes whatever their
            // order in the source. Sources are usually in time order already.
            let before = |a: u32, b: u32| {
                batch.arrived[a as usize]
                    .cmp(&batch.arrived[b as usize])
                    .then_with(|| batch.source_id(a as usize).cmp(batch.source_id(b as usize)))
            };
            if !rows.is_sorted_by(|&a, &b| before(a, b).is_le()) {
                rows.sort_unstable_by(|&a, &b| before(a, b));
            }
            summary.written += rows.len() as u64;
            summary.by_month.insert(month.clone(), rows.len() as u64);
            // A large month is written as one file per core, side by side: consecutive
            // stretches of the sorted rows.
            let parts = if rows.len() >= 2 * PART_MIN_ROWS {
                threads.min(rows.len() / PART_MIN_ROWS).max(1)
            } else {
                1
            };
            let len = rows.len();
            for k in 0..parts {
                let slice = rows[len * k / parts..len * (k + 1) / parts].to_vec();
                let name = if parts == 1 {
                    format!("part-{batch_id}.parquet")
                } else {
                    format!("part-{batch_id}-{k}.parquet")
                };
                let rel = format!("interactions/contract={contract_id}/month={month}/{name}");
                files.push(PartFile {
                    path: rel.clone(),
                    month: Some(month.clone()),
                    rows: slice.len() as u64,
                    bytes: None,
                    blake3: None,
                });
                staged.push((rel, slice));
            }
        }
        drop(group_span);
        let _span = tracing::info_span!("commit.write").entered();
        let written = summary.written;
        // Copies of corrected files are staged and moved with the new batch's own files; a
        // copy that would keep no row is not written.
        let copies: Vec<&crate::supersede::Rewrite> = supersede
            .rewrites
            .iter()
            .filter(|r| r.rows > r.dropped.len() as u64)
            .collect();
        let rels: Vec<String> = staged
            .iter()
            .map(|s| s.0.clone())
            .chain(copies.iter().map(|r| r.rel.clone()))
            .collect();
        self.commit_files(
            &batch_id,
            rels.len(),
            |i, path| match staged.get(i) {
                Some(s) => parquet_io::write_file(path, batch, &s.1),
                None => parquet_io::copy_without(
                    &copies[i - staged.len()].from,
                    path,
                    &copies[i - staged.len()].dropped,
                )
                .map(|_| ()),
            },
            &rels,
            opts,
        )?;
        let mut copied: Vec<PartFile> = copies
            .iter()
            .map(|r| {
                let was = &manifest.batches[r.batch].files[r.file];
                PartFile {
                    path: r.rel.clone(),
                    month: was.month.clone(),
                    rows: r.rows - r.dropped.len() as u64,
                    bytes: None,
                    blake3: None,
                }
            })
            .collect();
        if let Err(e) = self.seal(&mut files).and_then(|()| self.seal(&mut copied)) {
            self.rollback(&batch_id, &rels);
            return Err(e);
        }
        let mut supersedes = Vec::new();
        let mut replaced: BTreeMap<(usize, usize), Option<PartFile>> = supersede
            .rewrites
            .iter()
            .map(|r| ((r.batch, r.file), None))
            .collect();
        for (r, copy) in copies.iter().zip(copied) {
            replaced.insert((r.batch, r.file), Some(copy));
        }
        for (bi, b) in manifest.batches.iter_mut().enumerate() {
            let before = b.files.len();
            let old = std::mem::take(&mut b.files);
            for (fi, f) in old.into_iter().enumerate() {
                match replaced.remove(&(bi, fi)) {
                    None => b.files.push(f),
                    Some(copy) => b.files.extend(copy),
                }
            }
            if b.files.len() != before || supersede.rewrites.iter().any(|r| r.batch == bi) {
                supersedes.push(b.id.clone());
            }
        }
        let mut batch_counts = counts(report, written, dups);
        batch_counts.superseded = supersede.superseded;
        manifest.batches.push(BatchRecord {
            id: batch_id.clone(),
            kind: "interactions".into(),
            contract: contract_id.to_string(),
            imported_at: now,
            sources: report.files.clone(),
            counts: batch_counts,
            files,
            supersedes,
        });
        if let Err(e) = self.write_manifest(&manifest) {
            self.rollback(&batch_id, &rels);
            return Err(e);
        }
        if !supersede.rewrites.is_empty() {
            self.remove_stale_cache(&manifest);
        }
        summary.batch = Some(batch_id);
        Ok(summary)
    }

    /// Records each written file's size and BLAKE3 in its manifest entry.
    pub(crate) fn seal(&self, files: &mut [PartFile]) -> Result<()> {
        for f in files {
            let path = self.dir.join(&f.path);
            let (bytes, hash) = crate::import::filehash::size_and_hash(&path)
                .map_err(|e| DataError::io(&path, e))?;
            f.bytes = Some(bytes);
            f.blake3 = Some(hash.to_hex().to_string());
        }
        Ok(())
    }

    /// The path of a batch's file, once its size and BLAKE3 are what the manifest recorded:
    /// a missing, truncated, damaged or replaced file is an error naming the file and the
    /// batch, never a figure. Hashing costs one pass over the file's (compressed) bytes, a
    /// fraction of decoding them, and it is what turns a flipped bit into an error instead
    /// of a different service level.
    pub(crate) fn checked_path(&self, batch: &BatchRecord, f: &PartFile) -> Result<PathBuf> {
        let path = self.sized_path(batch, f)?;
        if let Some(expected) = &f.blake3 {
            // A large file is hashed on every core: the check comes before every read.
            let (_, hash) = crate::import::filehash::size_and_hash(&path)
                .map_err(|e| DataError::io(&path, e))?;
            if hash.to_hex().as_str() != expected {
                return Err(DataError::Store {
                    path,
                    message: format!(
                        "this file of batch {} does not match the BLAKE3 recorded when it was written: damaged or replaced; restore it from a backup",
                        batch.id
                    ),
                });
            }
        }
        Ok(path)
    }

    /// The path of a batch's file, once its size is what the manifest recorded.
    fn sized_path(&self, batch: &BatchRecord, f: &PartFile) -> Result<PathBuf> {
        let path = self.dir.join(&f.path);
        let meta = match std::fs::metadata(&path) {
            Ok(m) => m,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
                return Err(DataError::Store {
                    path,
                    message: format!(
                        "this file of batch {} is missing; restore it from a backup",
                        batch.id
                    ),
                });
            }
            Err(e) => return Err(DataError::io(&path, e)),
        };
        if let Some(bytes) = f.bytes
            && meta.len() != bytes
        {
            return Err(DataError::Store {
                path,
                message: format!(
                    "this file of batch {} has {} bytes where {bytes} were written: damaged or replaced; restore it from a backup",
                    batch.id,
                    meta.len()
                ),
            });
        }
        Ok(path)
    }

    /// Checks every file the manifest lists against its recorded size and BLAKE3. Returns the
    /// files checked, or the first problem found.
    pub fn verify(&self) -> Result<usize> {
        let m = self.manifest()?;
        let mut checked = 0;
        for b in &m.batches {
            for f in &b.files {
                self.checked_path(b, f)?;
                checked += 1;
            }
        }
        Ok(checked)
    }

    /// Checks every copy in the column cache section by section, removing those that do not
    /// check and those of files no longer in the manifest. The cache is derived from the
    /// Parquet files, so a removed copy loses nothing: the next read rebuilds it.
    pub fn verify_cache(&self) -> Result<CacheCheck> {
        use crate::column_cache;
        let current: HashSet<String> = self
            .manifest()?
            .batches
            .iter()
            .flat_map(|b| b.files.iter().filter_map(|f| f.blake3.clone()))
            .collect();
        let mut check = CacheCheck::default();
        let dir = self.dir.join(column_cache::CACHE_DIR);
        let entries = match std::fs::read_dir(&dir) {
            Ok(e) => e,
            Err(e) if e.kind() == std::io::ErrorKind::NotFound => return Ok(check),
            Err(e) => return Err(DataError::io(&dir, e)),
        };
        for entry in entries {
            let entry = entry.map_err(|e| DataError::io(&dir, e))?;
            let path = entry.path();
            let Some(blake3) = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".cols"))
            else {
                // A temporary file of a copy being written, or not pacta's: left alone.
                continue;
            };
            // Another verify or a correction may remove the same copy at the same time.
            let remove = |path: &Path| match std::fs::remove_file(path) {
                Ok(()) => Ok(true),
                Err(e) if e.kind() == std::io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(DataError::io(path, e)),
            };
            if !current.contains(blake3) {
                check.stale_removed += usize::from(remove(&path)?);
                continue;
            }
            match column_cache::read(&[(path.clone(), blake3)], &parquet_io::COLUMNS) {
                Ok(_) => {
                    check.copies_ok += 1;
                    check.bytes += entry.metadata().map_or(0, |m| m.len());
                }
                Err(column_cache::CacheMiss::Damaged(_)) => {
                    check.damaged_removed += usize::from(remove(&path)?);
                }
                // Gone since it was listed, or unreadable: not this check's to remove.
                Err(_) => {}
            }
        }
        Ok(check)
    }

    /// Removes the column cache's copies of files the manifest no longer lists (after a
    /// correction superseded them). Best effort: a copy left behind is never read, since
    /// copies are named by the BLAKE3 of the file they copy.
    fn remove_stale_cache(&self, manifest: &Manifest) {
        let current: HashSet<&str> = manifest
            .batches
            .iter()
            .flat_map(|b| b.files.iter().filter_map(|f| f.blake3.as_deref()))
            .collect();
        let dir = self.dir.join(crate::column_cache::CACHE_DIR);
        let Ok(entries) = std::fs::read_dir(&dir) else {
            return;
        };
        for entry in entries.flatten() {
            let path = entry.path();
            let stale = path
                .file_name()
                .and_then(|n| n.to_str())
                .and_then(|n| n.strip_suffix(".cols"))
                .is_some_and(|b| !current.contains(b));
            if stale {
                std::fs::remove_file(&path).ok();
            }
        }
    }

    /// Stages `n` files with `write`, moves them to `rels`; rolls back on failure.
    pub(crate) fn commit_files(
        &self,
        batch_id: &str,
        n: usize,
        write: impl Fn(usize, &Path) -> Result<()> + Sync,
        rels: &[String],
        opts: &CommitOptions,
    ) -> Result<()> {
        // Files are written side by side, one per core; one at a time when a failure is
        // injected, so that the test knows which files exist when it fires.
        let threads = if opts.fail_after_files.is_some() {
            1
        } else {
            std::thread::available_parallelism().map_or(1, |n| n.get())
        };
        let stage = self.dir.join(STAGING).join(batch_id);
        let mut steps = 0usize;
        let tick = |steps: &mut usize| -> Result<()> {
            *steps += 1;
            if opts.fail_after_files == Some(*steps) {
                return Err(DataError::Injected(*steps));
            }
            Ok(())
        };
        let result = (|| -> Result<()> {
            // What this batch will move into place, so that a crash mid-way can be undone by
            // the next writer without touching any file pacta did not write.
            std::fs::create_dir_all(&stage).map_err(|e| DataError::io(&stage, e))?;
            let intent = serde_json::to_vec(rels).map_err(|e| DataError::Store {
                path: stage.join(INTENT),
                message: e.to_string(),
            })?;
            // Written whole (temp file, sync, rename) before any file moves: an intent that
            // cannot be read means nothing was moved yet.
            write_synced(
                &stage.join(INTENT),
                &stage.join(".intent.json.tmp"),
                &intent,
            )?;
            let staged: Vec<PathBuf> = rels.iter().take(n).map(|r| stage.join(r)).collect();
            for p in &staged {
                if let Some(parent) = p.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| DataError::io(parent, e))?;
                }
            }
            let indices: Vec<usize> = (0..staged.len()).collect();
            for wave in indices.chunks(threads.max(1)) {
                let results: Vec<Result<()>> = if wave.len() == 1 {
                    vec![write(wave[0], &staged[wave[0]])]
                } else {
                    std::thread::scope(|s| {
                        let write = &write;
                        let staged = &staged;
                        let handles: Vec<_> = wave
                            .iter()
                            .map(|&i| s.spawn(move || write(i, &staged[i])))
                            .collect();
                        crate::threads::join_all(handles)
                    })
                };
                for r in results {
                    r?;
                    tick(&mut steps)?;
                }
            }
            for rel in rels {
                let from = stage.join(rel);
                let to = self.dir.join(rel);
                if let Some(parent) = to.parent() {
                    std::fs::create_dir_all(parent).map_err(|e| DataError::io(parent, e))?;
                }
                if to.exists() {
                    return Err(DataError::Store {
                        path: to,
                        message: "a file of this batch id already exists".into(),
                    });
                }
                std::fs::rename(&from, &to).map_err(|e| DataError::io(&to, e))?;
                tick(&mut steps)?;
            }
            Ok(())
        })();
        if let Err(e) = result {
            self.rollback(batch_id, rels);
            return Err(e);
        }
        for rel in rels {
            if let Some(parent) = self.dir.join(rel).parent() {
                sync_dir(parent);
            }
        }
        let _ = std::fs::remove_dir_all(&stage);
        let _ = std::fs::remove_dir(self.dir.join(STAGING));
        Ok(())
    }

    fn rollback(&self, batch_id: &str, rels: &[String]) {
        self.remove_moved(rels);
        let _ = std::fs::remove_dir_all(self.dir.join(STAGING).join(batch_id));
        let _ = std::fs::remove_dir(self.dir.join(STAGING));
    }

    /// Removes files a batch moved into place, and the partition directories it left empty.
    fn remove_moved(&self, rels: &[String]) {
        for rel in rels {
            let to = self.dir.join(rel);
            if to.exists() {
                let _ = std::fs::remove_file(&to);
                let mut d = to.parent().map(Path::to_path_buf);
                while let Some(dir) = d {
                    if dir == self.dir || std::fs::remove_dir(&dir).is_err() {
                        break;
                    }
                    d = dir.parent().map(Path::to_path_buf);
                }
            }
        }
    }

    /// Months with interactions for a contract, in order.
    pub fn months(&self, contract_id: &str) -> Result<Vec<Month>> {
        let m = self.manifest()?;
        let mut months: Vec<Month> = m
            .batches
            .iter()
            .filter(|b| b.kind == "interactions" && b.contract == contract_id)
            .flat_map(|b| b.files.iter().filter_map(|f| f.month.as_deref()))
            .filter_map(|text| Month::parse(text).ok())
            .collect();
        months.sort();
        months.dedup();
        Ok(months)
    }

    /// All interactions of a contract in a month (cut in the contract's time zone).
    pub fn load_interactions(&self, contract_id: &str, month: Month) -> Result<InteractionTable> {
        self.load_interactions_columns(contract_id, month, &parquet_io::COLUMNS)
    }

    /// Like [`Store::load_interactions`] but reads only `columns` (names of
    /// [`crate::parquet_io::COLUMNS`]; `arrived_at` is always read); the other columns of
    /// the table come back empty.
    pub fn load_interactions_columns(
        &self,
        contract_id: &str,
        month: Month,
        columns: &[&str],
    ) -> Result<InteractionTable> {
        let m = self.manifest()?;
        let month = month.to_string();
        let month = month.as_str();
        let mut files = Vec::new();
        for b in m
            .batches
            .iter()
            .filter(|b| b.kind == "interactions" && b.contract == contract_id)
        {
            for f in b.files.iter().filter(|f| f.month.as_deref() == Some(month)) {
                files.push((b, f));
            }
        }
        let checked =
            tracing::info_span!("store.verify").in_scope(|| self.checked_paths(&files))?;
        if let Some(t) = self.read_cached(&checked, columns) {
            return Ok(t);
        }
        let _span = tracing::info_span!("store.parquet_decode").entered();
        let mut r = TableReader::default();
        for (path, _) in &checked {
            r.read_file(path, columns)?;
        }
        Ok(r.finish())
    }

    /// [`Store::checked_path`] of each file, the files hashed on as many threads as there
    /// are cores (hashing is most of the time a cached month takes to read).
    fn checked_paths<'m>(
        &self,
        files: &[(&BatchRecord, &'m PartFile)],
    ) -> Result<Vec<(PathBuf, Option<&'m str>)>> {
        let threads = std::thread::available_parallelism().map_or(1, usize::from);
        let per_thread = files.len().div_ceil(threads.max(1)).max(1);
        let checked = std::thread::scope(|s| {
            crate::threads::join_all(
                files
                    .chunks(per_thread)
                    .map(|chunk| {
                        s.spawn(move || {
                            chunk
                                .iter()
                                .map(|(b, f)| Ok((self.checked_path(b, f)?, f.blake3.as_deref())))
                                .collect::<Result<Vec<_>>>()
                        })
                    })
                    .collect(),
            )
        });
        let mut out = Vec::with_capacity(files.len());
        for chunk in checked {
            out.extend(chunk?);
        }
        Ok(out)
    }

    /// The month's `columns` from the column cache ([`crate::column_cache`]), building the
    /// copies of files that have none; `None` when the cache cannot serve (a file without
    /// a recorded BLAKE3, a directory that cannot be written): the caller reads the
    /// Parquet files, which are the record.
    fn read_cached(
        &self,
        files: &[(PathBuf, Option<&str>)],
        columns: &[&str],
    ) -> Option<InteractionTable> {
        use crate::column_cache::{self, CacheMiss};
        if files.is_empty() {
            return None;
        }
        let mut cached = Vec::with_capacity(files.len());
        for (_, blake3) in files {
            let blake3 = (*blake3)?;
            cached.push((column_cache::path(&self.dir, blake3), blake3));
        }
        for attempt in 0..2 {
            let read = tracing::info_span!("store.cache_read")
                .in_scope(|| column_cache::read(&cached, columns));
            match read {
                Ok(t) => return Some(t),
                Err(CacheMiss::Io) => return None,
                Err(miss) if attempt == 0 => {
                    if let CacheMiss::Damaged(path) = miss {
                        std::fs::remove_file(path).ok()?;
                    }
                    // The missing copies are built on every core, one file per thread.
                    let missing: Vec<(&PathBuf, &str, &PathBuf)> = cached
                        .iter()
                        .zip(files)
                        .filter(|((cache, _), _)| !cache.exists())
                        .map(|((cache, blake3), (parquet, _))| (cache, *blake3, parquet))
                        .collect();
                    let threads = std::thread::available_parallelism().map_or(1, usize::from);
                    let per_thread = missing.len().div_ceil(threads.max(1)).max(1);
                    let _span = tracing::info_span!("store.cache_build").entered();
                    let built = std::thread::scope(|s| {
                        crate::threads::join_all(
                            missing
                                .chunks(per_thread)
                                .map(|chunk| {
                                    s.spawn(move || {
                                        chunk.iter().all(|(cache, blake3, parquet)| {
                                            let mut r = TableReader::default();
                                            r.read_file(parquet, &parquet_io::COLUMNS).is_ok()
                                                && column_cache::write(cache, blake3, &r.finish())
                                                    .is_ok()
                                        })
                                    })
                                })
                                .collect(),
                        )
                    });
                    if !built.into_iter().all(|ok| ok) {
                        return None;
                    }
                }
                Err(_) => return None,
            }
        }
        None
    }

    /// What the store holds.
    pub fn info(&self) -> Result<StoreInfo> {
        let m = self.manifest()?;
        let mut info = StoreInfo {
            dir: self.dir.display().to_string(),
            batches: m.batches.len(),
            last_import: m.batches.iter().map(|b| b.imported_at).max(),
            ..StoreInfo::default()
        };
        for b in &m.batches {
            for f in &b.files {
                let part = f.month.clone().unwrap_or_else(|| "all".into());
                let p = info
                    .contracts
                    .entry(b.contract.clone())
                    .or_default()
                    .entry(b.kind.clone())
                    .or_default()
                    .entry(part)
                    .or_default();
                p.rows += f.rows;
                p.files += 1;
                info.bytes += std::fs::metadata(self.dir.join(&f.path)).map_or(0, |m| m.len());
            }
        }
        Ok(info)
    }
}

pub(crate) fn counts(report: &ImportReport, written: u64, dups: u64) -> BatchCounts {
    BatchCounts {
        rows_read: report.rows_read,
        written,
        duplicates_skipped: dups,
        not_offered: report.not_offered,
        dropped: report.dropped.values().sum(),
        merged: report.merged,
        quarantined: report.quarantined.len() as u64,
        superseded: 0,
    }
}

/// Writes `bytes` to `tmp`, syncs it and renames it to `path`.
fn write_synced(path: &Path, tmp: &Path, bytes: &[u8]) -> Result<()> {
    use std::io::Write;
    let mut f = std::fs::File::create(tmp).map_err(|e| DataError::io(tmp, e))?;
    f.write_all(bytes)
        .and_then(|()| f.sync_all())
        .map_err(|e| DataError::io(tmp, e))?;
    std::fs::rename(tmp, path).map_err(|e| DataError::io(path, e))
}

fn sync_dir(dir: &Path) {
    if let Ok(f) = std::fs::File::open(dir) {
        let _ = f.sync_all();
    }
}
