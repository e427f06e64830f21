//! Corrections: rows of a new import that supersede stored rows with the same source id.
//!
//! A stored row whose source id comes again with different values is dropped from its file;
//! the same values again are a duplicate and change nothing, and so is an `in_progress` row
//! for a contact stored as finished (a stale copy delivered late). A file that loses rows is
//! copied without them under a new name, in the new batch's commit, and the new snapshot
//! lists the copy in place of the original. The original stays on disk for the earlier
//! snapshots that list it, so a month settled before the correction can still be read as
//! it was.

use std::collections::HashMap;
use std::path::PathBuf;

use crate::Result;
use crate::batch::InteractionBatch;
use crate::parquet_io::{self, COLUMNS, TableReader};
use crate::pseudo::Pseudonymizer;

/// A stored interactions file of the contract, already checked against the manifest.
pub(crate) struct StoredFile {
    /// Index of its batch in the manifest.
    pub(crate) batch: usize,
    /// Index of the file in the batch.
    pub(crate) file: usize,
    /// Where it is.
    pub(crate) path: PathBuf,
    /// Its path relative to the store, as the manifest lists it.
    pub(crate) rel: String,
    /// Its rows.
    pub(crate) rows: u64,
}

/// A stored file that loses rows to the new batch.
pub(crate) struct Rewrite {
    /// Index of the batch in the manifest.
    pub(crate) batch: usize,
    /// Index of the file in the batch.
    pub(crate) file: usize,
    /// The file as stored.
    pub(crate) from: PathBuf,
    /// Its rows before the correction.
    pub(crate) rows: u64,
    /// Positions of the superseded rows, in order.
    pub(crate) dropped: Vec<u32>,
    /// Path of the copy without them, relative to the store.
    pub(crate) rel: String,
}

/// What a correcting import does to the stored rows.
#[derive(Default)]
pub(crate) struct Supersede {
    pub(crate) rewrites: Vec<Rewrite>,
    /// Stored rows replaced by a new version.
    pub(crate) superseded: u64,
    /// New rows identical to the stored ones (counted as duplicates).
    pub(crate) unchanged: u64,
}

/// Finds the rows of the `stored` files that the kept rows of `batch` supersede, and marks
/// kept rows that repeat a stored row exactly as not kept.
pub(crate) fn plan(
    pseudo: &Pseudonymizer,
    stored: &[StoredFile],
    batch: &InteractionBatch,
    keep: &mut [bool],
    new_batch_id: &str,
) -> Result<Supersede> {
    let by_id: HashMap<u128, usize> = keep
        .iter()
        .enumerate()
        .filter(|(_, k)| **k)
        .map(|(i, _)| (pseudo.id_hash(batch.source_id(i)), i))
        .collect();
    let mut out = Supersede::default();
    if by_id.is_empty() {
        return Ok(out);
    }
    for f in stored {
        let path = &f.path;
        let mut matches: Vec<(u32, usize)> = Vec::new();
        let mut position = 0u32;
        parquet_io::read_source_ids(path, |id| {
            if let Some(&row) = by_id.get(&pseudo.id_hash(id)) {
                matches.push((position, row));
            }
            position += 1;
        })?;
        if matches.is_empty() {
            continue;
        }
        let mut reader = TableReader::default();
        reader.read_file(path, &COLUMNS)?;
        let stored = reader.finish();
        let mut dropped = Vec::new();
        for (pos, row) in matches {
            let (old, new) = (stored.row(pos as usize), batch.get(row));
            // A contact never goes back from finished to in progress: such a row is a
            // stale copy delivered late (an Amazon Connect record re-sent out of order).
            let stale = new.outcome == crate::model::Outcome::InProgress
                && old.outcome != crate::model::Outcome::InProgress;
            if old == new || stale {
                keep[row] = false;
                out.unchanged += 1;
            } else {
                dropped.push(pos);
                out.superseded += 1;
            }
        }
        if !dropped.is_empty() {
            out.rewrites.push(Rewrite {
                batch: f.batch,
                file: f.file,
                from: path.clone(),
                rows: f.rows,
                dropped,
                rel: rewritten_name(&f.rel, new_batch_id),
            });
        }
    }
    Ok(out)
}

/// `…/part-000001.parquet` corrected by batch 000007 becomes `…/part-000001-s000007.parquet`
/// (a copy already corrected once loses its earlier `-sNNNNNN`).
fn rewritten_name(rel: &str, new_batch_id: &str) -> String {
    let stem = rel.strip_suffix(".parquet").unwrap_or(rel);
    let stem = match stem.rsplit_once("-s") {
        Some((head, tail)) if tail.len() == 6 && tail.bytes().all(|b| b.is_ascii_digit()) => head,
        _ => stem,
    };
    format!("{stem}-s{new_batch_id}.parquet")
}

#[cfg(test)]
mod tests {
    use super::rewritten_name;

    #[test]
    fn a_copy_is_named_after_the_original_and_the_correcting_batch() {
        assert_eq!(
            rewritten_name(
                "interactions/contract=C/month=2026-10/part-000001.parquet",
                "000007"
            ),
            "interactions/contract=C/month=2026-10/part-000001-s000007.parquet"
        );
        assert_eq!(
            rewritten_name("x/part-000001-2-s000007.parquet", "000009"),
            "x/part-000001-2-s000009.parquet"
        );
        assert_eq!(
            rewritten_name("x/part-000001-2.parquet", "000009"),
            "x/part-000001-2-s000009.parquet"
        );
    }
}
