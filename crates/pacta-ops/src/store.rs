//! What the store holds, and exporting it.

use std::path::{Path, PathBuf};

use pacta_data::export::ExportFormat;
use pacta_data::store::{Store, StoreInfo};

use crate::record::RecordPlace;
use crate::{OpError, OpResult};

/// The store's error, with an unreadable or unwritable file reported as such.
pub(crate) fn data_error(e: pacta_data::DataError) -> OpError {
    match e {
        pacta_data::DataError::Io { path, source } => OpError::Read { path, source },
        other => OpError::Data(other),
    }
}

/// Opens the store in `dir`, creating it if it does not exist.
pub fn open(dir: &Path) -> OpResult<Store> {
    Store::open(dir).map_err(data_error)
}

/// Opens the store in `dir` for a look that must not create one: a directory that does not
/// exist is refused.
pub(crate) fn open_existing(dir: &Path) -> OpResult<Store> {
    if !dir.join("manifest.json").exists() && !dir.exists() {
        return Err(OpError::NotAStore {
            path: dir.to_path_buf(),
        });
    }
    open(dir)
}

/// What the existing store in `dir` holds: batches, contracts, months, rows. A directory
/// that does not exist is refused rather than created.
pub fn info(dir: &Path) -> OpResult<StoreInfo> {
    open_existing(dir)?.info().map_err(data_error)
}

/// Exports the store's data to `out` (CSV per contract and month, or a copy of the Parquet
/// files); returns the files written.
pub fn export(dir: &Path, format: ExportFormat, out: &Path) -> OpResult<Vec<PathBuf>> {
    open(dir)?.export(format, out).map_err(data_error)
}

/// Checks every data file of the existing store in `dir` against the size and BLAKE3 recorded
/// when it was written, then the column cache section by section (a copy that does not check,
/// or of a file no longer in the store, is removed: the next read rebuilds it); returns what
/// was checked, or the first problem with a data file (naming the file and its batch).
pub fn verify(dir: &Path) -> OpResult<Verified> {
    let store = open_existing(dir)?;
    let files = store.verify().map_err(data_error)?;
    let cache = store.verify_cache().map_err(data_error)?;
    Ok(Verified { files, cache })
}

/// What [`verify`] found: the record's files all check; the column cache as it was left.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct Verified {
    /// Data files checked against the size and BLAKE3 the manifest recorded.
    pub files: usize,
    /// The column cache: copies that check, and those removed.
    pub cache: pacta_data::store::CacheCheck,
}

/// The data files of snapshot `snapshot` (`None`: the current one) of the existing store in
/// `dir`: exactly the files pacta reads, for engines that read the store themselves.
pub fn files(dir: &Path, snapshot: Option<u64>) -> OpResult<Vec<pacta_data::store::SnapshotFile>> {
    open_existing(dir)?.files(snapshot).map_err(data_error)
}

/// Removes batch `id` from the existing store in `dir`, in a new snapshot stamped `now` (a
/// correction: remove a wrong import, then import the corrected file).
///
/// A batch with rows in a closed month is refused; the removal is appended to the audit log.
pub fn remove_batch(
    dir: &Path,
    records: &RecordPlace,
    id: &str,
    now: jiff::Timestamp,
    wait: Option<std::time::Duration>,
) -> OpResult<pacta_data::store::RemovedBatch> {
    if !dir.join("manifest.json").exists() {
        return Err(OpError::NotAStore {
            path: dir.to_path_buf(),
        });
    }
    let recorder = records.recorder()?;
    let options = pacta_data::store::CommitOptions {
        wait,
        closed_month: Some(recorder.closed_month_check()),
        ..Default::default()
    };
    let removed = open(dir)?
        .remove_batch(id, now, &options)
        .map_err(data_error)?;
    recorder.append(
        "store.rm-batch",
        crate::record::batch_object(&removed.contract, &removed.batch),
        serde_json::json!({
            "batch": removed.batch,
            "kind": removed.kind,
            "contract": removed.contract,
            "rows": removed.rows,
            "months_changed": removed.months,
            "store_snapshot": removed.snapshot,
        }),
        now,
    )?;
    Ok(removed)
}
