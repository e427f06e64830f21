//! Interactions ⇄ Arrow record batches ⇄ Parquet files.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::{Array, RecordBatch, RecordBatchReader};
use arrow_schema::{Field, Schema, SchemaRef};
use parquet::arrow::ArrowWriter;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, Encoding};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;

use crate::batch::InteractionBatch;
use crate::columns::{INTERACTION_COLUMNS, TableBuilder, column, column_names};
use crate::model::InteractionTable;
use crate::{DataError, Result};

/// Column names of an interactions Parquet file, in order (those of
/// [`crate::columns::INTERACTION_COLUMNS`]).
pub const COLUMNS: [&str; INTERACTION_COLUMNS.len()] = column_names();

/// The Arrow schema of interactions files.
pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(
        INTERACTION_COLUMNS
            .iter()
            .map(|c| Field::new(c.name, c.data_type(), c.nullable))
            .collect::<Vec<_>>(),
    ))
}

/// Rows `rows` of a batch as an Arrow record batch.
pub fn to_record_batch(b: &InteractionBatch, rows: &[u32]) -> Result<RecordBatch> {
    let cols = INTERACTION_COLUMNS
        .iter()
        .map(|c| (c.write)(b, rows))
        .collect::<Result<Vec<_>>>()?;
    Ok(RecordBatch::try_new(schema(), cols)?)
}

/// Snappy, row groups of 1M rows. Writing is most of an import's commit, so two things the
/// store never reads are left out: min/max statistics on string columns (the reader does
/// not prune on them, and arrow computes them with a comparison per row) and dictionary
/// encoding of columns whose values are nearly all distinct (ids, customer keys, instants).
fn writer_properties() -> WriterProperties {
    let mut b = WriterProperties::builder()
        .set_compression(Compression::SNAPPY)
        .set_max_row_group_row_count(Some(1 << 20))
        .set_created_by("pacta".to_string());
    for c in &INTERACTION_COLUMNS {
        let path = || ColumnPath::from(c.name);
        if !c.statistics {
            b = b.set_column_statistics_enabled(path(), EnabledStatistics::None);
        }
        if !c.dictionary_pages {
            b = b.set_column_dictionary_enabled(path(), false);
        }
        if c.delta {
            b = b.set_column_encoding(path(), Encoding::DELTA_BINARY_PACKED);
        }
    }
    b.build()
}

/// Writes rows of a batch to a new Parquet file (fsynced), in row groups of 1M rows.
pub fn write_file(path: &Path, b: &InteractionBatch, rows: &[u32]) -> Result<()> {
    let file = File::create(path).map_err(|e| DataError::io(path, e))?;
    let props = writer_properties();
    let mut w =
        ArrowWriter::try_new(file, schema(), Some(props)).map_err(|e| DataError::pq(path, e))?;
    for chunk in rows.chunks(1 << 17) {
        let rb = to_record_batch(b, chunk)?;
        w.write(&rb).map_err(|e| DataError::pq(path, e))?;
    }
    let file = w.into_inner().map_err(|e| DataError::pq(path, e))?;
    file.sync_all().map_err(|e| DataError::io(path, e))?;
    Ok(())
}

/// A column of a small table written for another engine ([`write_plain_table`]).
#[derive(Debug, Clone, Copy)]
pub enum PlainColumn<'a> {
    /// 64-bit integers, never null.
    Int(&'a [i64]),
    /// Nullable text.
    Text(&'a [Option<String>]),
}

/// Writes a small table of integer and text columns (the dimension tables pacta hands to
/// SQL engines) as one Parquet file with plain `Int64` and `Utf8` columns.
pub fn write_plain_table(path: &Path, columns: &[(&str, PlainColumn<'_>)]) -> Result<()> {
    use arrow_array::{ArrayRef, Int64Array, StringArray};
    let fields: Vec<Field> = columns
        .iter()
        .map(|(name, c)| match c {
            PlainColumn::Int(_) => Field::new(*name, arrow_schema::DataType::Int64, false),
            PlainColumn::Text(_) => Field::new(*name, arrow_schema::DataType::Utf8, true),
        })
        .collect();
    let arrays: Vec<ArrayRef> = columns
        .iter()
        .map(|(_, c)| -> ArrayRef {
            match c {
                PlainColumn::Int(v) => Arc::new(Int64Array::from(v.to_vec())),
                PlainColumn::Text(v) => Arc::new(StringArray::from(v.to_vec())),
            }
        })
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(schema.clone(), arrays)?;
    let file = File::create(path).map_err(|e| DataError::io(path, e))?;
    let mut w = ArrowWriter::try_new(file, schema, None).map_err(|e| DataError::pq(path, e))?;
    w.write(&batch).map_err(|e| DataError::pq(path, e))?;
    w.close().map_err(|e| DataError::pq(path, e))?;
    Ok(())
}

/// A table being filled from files, with its global dictionaries.
#[derive(Default)]
pub(crate) struct TableReader(TableBuilder);

impl TableReader {
    /// Reads `columns` (names of [`COLUMNS`]; `arrived_at` is always read) of one file.
    pub(crate) fn read_file(&mut self, path: &Path, columns: &[&str]) -> Result<()> {
        let file = File::open(path).map_err(|e| DataError::io(path, e))?;
        let builder =
            ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| DataError::pq(path, e))?;
        let file_schema = builder.schema().clone();
        let mut idx = Vec::new();
        for (i, f) in file_schema.fields().iter().enumerate() {
            if f.name() == "arrived_at" || columns.contains(&f.name().as_str()) {
                idx.push(i);
            }
        }
        let mask = ProjectionMask::roots(builder.parquet_schema(), idx);
        let reader = builder
            .with_projection(mask)
            .with_batch_size(1 << 16)
            .build()
            .map_err(|e| DataError::pq(path, e))?;
        for rb in reader {
            let rb = rb?;
            for (f, col) in rb.schema().fields().iter().zip(rb.columns()) {
                // Columns pacta does not know (written by a later version) are skipped.
                if let Some(c) = column(f.name()) {
                    (c.read)(col, &mut self.0)?;
                }
            }
        }
        Ok(())
    }

    pub(crate) fn finish(self) -> InteractionTable {
        self.0.finish()
    }
}

/// Copies the interactions file `from` to a new file `to` (fsynced) without the rows at the
/// positions in `dropped` (sorted, 0-based), column for column with the store's writer
/// settings. Returns the rows kept. Used when a correction supersedes stored rows: the
/// earlier file stays for the snapshots that list it.
pub(crate) fn copy_without(from: &Path, to: &Path, dropped: &[u32]) -> Result<u64> {
    let file = File::open(from).map_err(|e| DataError::io(from, e))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .map_err(|e| DataError::pq(from, e))?
        .with_batch_size(1 << 16)
        .build()
        .map_err(|e| DataError::pq(from, e))?;
    let out = File::create(to).map_err(|e| DataError::io(to, e))?;
    // The file's own schema: a file written by an earlier version keeps its columns.
    let mut w = ArrowWriter::try_new(out, reader.schema(), Some(writer_properties()))
        .map_err(|e| DataError::pq(to, e))?;
    let (mut offset, mut next, mut kept) = (0usize, 0usize, 0u64);
    for rb in reader {
        let rb = rb?;
        let n = rb.num_rows();
        let mut mask = Vec::with_capacity(n);
        for i in 0..n {
            let drop = dropped.get(next).is_some_and(|&d| d as usize == offset + i);
            if drop {
                next += 1;
            }
            mask.push(!drop);
        }
        offset += n;
        let filtered =
            arrow_select::filter::filter_record_batch(&rb, &arrow_array::BooleanArray::from(mask))?;
        kept += filtered.num_rows() as u64;
        if filtered.num_rows() > 0 {
            w.write(&filtered).map_err(|e| DataError::pq(to, e))?;
        }
    }
    let out = w.into_inner().map_err(|e| DataError::pq(to, e))?;
    out.sync_all().map_err(|e| DataError::io(to, e))?;
    Ok(kept)
}

/// Reads only the source ids of a file, in row order.
pub(crate) fn read_source_ids(path: &Path, mut f: impl FnMut(&str)) -> Result<()> {
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let builder =
        ParquetRecordBatchReaderBuilder::try_new(file).map_err(|e| DataError::pq(path, e))?;
    let pos = builder
        .schema()
        .fields()
        .iter()
        .position(|f| f.name() == "source_id")
        .ok_or_else(|| DataError::Store {
            path: path.to_path_buf(),
            message: "no source_id column".into(),
        })?;
    let mask = ProjectionMask::roots(builder.parquet_schema(), [pos]);
    let reader = builder
        .with_projection(mask)
        .build()
        .map_err(|e| DataError::pq(path, e))?;
    for rb in reader {
        let rb = rb?;
        let s = rb.column(0).as_string::<i32>();
        for i in 0..s.len() {
            f(s.value(i));
        }
    }
    Ok(())
}
