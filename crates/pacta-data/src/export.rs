//! Exporting a store's contents as CSV or as a copy of its Parquet files.

use std::borrow::Cow;
use std::path::{Path, PathBuf};

use crate::columns::INTERACTION_COLUMNS;
use crate::model::InteractionTable;
use crate::store::Store;
use crate::{DataError, Result, record_kinds};

/// Export format.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ExportFormat {
    /// One CSV per contract and month (canonical columns, pseudonyms in hex).
    Csv,
    /// The Parquet files, copied with the same layout.
    Parquet,
}

impl Store {
    /// Exports every contract's interactions (and other kinds, for Parquet) to `out`;
    /// returns the files written.
    pub fn export(&self, format: ExportFormat, out: &Path) -> Result<Vec<PathBuf>> {
        std::fs::create_dir_all(out).map_err(|e| DataError::io(out, e))?;
        let m = self.manifest()?;
        let mut written = Vec::new();
        match format {
            ExportFormat::Parquet => {
                for b in &m.batches {
                    for f in &b.files {
                        let to = out.join(&f.path);
                        if let Some(parent) = to.parent() {
                            std::fs::create_dir_all(parent)
                                .map_err(|e| DataError::io(parent, e))?;
                        }
                        std::fs::copy(self.dir().join(&f.path), &to)
                            .map_err(|e| DataError::io(&to, e))?;
                        written.push(to);
                    }
                }
            }
            ExportFormat::Csv => {
                let mut contracts: Vec<&str> = m
                    .batches
                    .iter()
                    .filter(|b| b.kind == "interactions")
                    .map(|b| b.contract.as_str())
                    .collect();
                contracts.sort_unstable();
                contracts.dedup();
                for c in contracts {
                    for month in self.months(c)? {
                        let t = self.load_interactions(c, month)?;
                        let path = out.join(format!("interactions-{c}-{month}.csv"));
                        write_csv(&path, &t)?;
                        written.push(path);
                    }
                }
                written.extend(record_kinds::export_csv(self, &m, out)?);
            }
        }
        Ok(written)
    }
}

/// One CSV of a month's interactions: the columns of [`INTERACTION_COLUMNS`] under their
/// names, each cell as that column writes it.
fn write_csv(path: &Path, t: &InteractionTable) -> Result<()> {
    let f = std::fs::File::create(path).map_err(|e| DataError::io(path, e))?;
    let mut w = csv::Writer::from_writer(std::io::BufWriter::new(f));
    let err = |e: csv::Error| DataError::Store {
        path: path.to_path_buf(),
        message: e.to_string(),
    };
    w.write_record(INTERACTION_COLUMNS.iter().map(|c| c.name))
        .map_err(err)?;
    for i in 0..t.row_count() {
        let r = t.row(i);
        let cells: Vec<Cow<'_, str>> = INTERACTION_COLUMNS.iter().map(|c| (c.csv)(&r)).collect();
        w.write_record(cells.iter().map(|c| c.as_bytes()))
            .map_err(err)?;
    }
    w.flush().map_err(|e| DataError::io(path, e))
}
