//! Interactions ⇄ Arrow record batches ⇄ Parquet files.

use std::fs::File;
use std::path::Path;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int8Type, Int32Type, Int64Type, TimestampMillisecondType, UInt64Type};
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Int8Array, Int32Array, Int64Array, RecordBatch, StringArray,
    TimestampMillisecondArray, UInt64Array,
};
use arrow_schema::{DataType, Field, Schema, SchemaRef, TimeUnit};
use parquet::arrow::ArrowWriter;
use parquet::arrow::ProjectionMask;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use parquet::basic::{Compression, Encoding};
use parquet::file::properties::{EnabledStatistics, WriterProperties};
use parquet::schema::types::ColumnPath;

use crate::batch::{Dict, InteractionBatch};
use crate::model::{
    InteractionTable, NO_DURATION, NO_INSTANT, NO_VALUE, Outcome, channel_code, channel_from_code,
};
use crate::{DataError, Result};

/// Column names of an interactions Parquet file, in order.
pub const COLUMNS: [&str; 16] = [
    "source_id",
    "channel",
    "queue",
    "site",
    "language",
    "customer_key",
    "arrived_at",
    "answered_at",
    "ended_at",
    "outcome",
    "talk_ms",
    "hold_ms",
    "wrap_ms",
    "agent_key",
    "disposition",
    "first_response_at",
];

const CHANNELS: [&str; 8] = [
    "voice_in",
    "voice_out",
    "chat",
    "email",
    "social",
    "sms",
    "back_office",
    "surveys",
];

fn dict8() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int8), Box::new(DataType::Utf8))
}
fn dict32() -> DataType {
    DataType::Dictionary(Box::new(DataType::Int32), Box::new(DataType::Utf8))
}
fn ts() -> DataType {
    DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into()))
}

/// The Arrow schema of interactions files.
pub fn schema() -> SchemaRef {
    Arc::new(Schema::new(vec![
        Field::new("source_id", DataType::Utf8, false),
        Field::new("channel", dict8(), false),
        Field::new("queue", dict32(), false),
        Field::new("site", dict32(), true),
        Field::new("language", dict32(), true),
        Field::new("customer_key", DataType::UInt64, true),
        Field::new("arrived_at", ts(), false),
        Field::new("answered_at", ts(), true),
        Field::new("ended_at", ts(), true),
        Field::new("outcome", dict8(), false),
        Field::new("talk_ms", DataType::Int64, true),
        Field::new("hold_ms", DataType::Int64, true),
        Field::new("wrap_ms", DataType::Int64, true),
        Field::new("agent_key", dict32(), true),
        Field::new("disposition", dict32(), true),
        Field::new("first_response_at", ts(), true),
    ]))
}

fn dict_col(codes: &[u32], dict: &Dict, rows: &[u32]) -> Result<ArrayRef> {
    // A per-chunk dictionary of the values used, sorted: the bytes written do not depend
    // on the order rows were imported in.
    let mut used: Vec<u32> = rows
        .iter()
        .map(|&r| codes[r as usize])
        .filter(|&c| c != NO_VALUE)
        .collect();
    used.sort_unstable();
    used.dedup();
    used.sort_by(|&a, &b| dict.get(a).cmp(&dict.get(b)));
    let mut remap = vec![-1i32; dict.values.len()];
    for (i, &c) in used.iter().enumerate() {
        remap[c as usize] = i32::try_from(i).unwrap_or(i32::MAX);
    }
    let keys: Int32Array = rows
        .iter()
        .map(|&r| {
            let c = codes[r as usize];
            (c != NO_VALUE).then(|| remap[c as usize])
        })
        .collect();
    let values = StringArray::from_iter_values(used.iter().map(|&c| dict.get(c).unwrap_or("")));
    Ok(Arc::new(DictionaryArray::<Int32Type>::try_new(
        keys,
        Arc::new(values),
    )?))
}

fn small_dict(codes: &[u8], names: &[&str], rows: &[u32]) -> Result<ArrayRef> {
    let keys: Int8Array = rows
        .iter()
        .map(|&r| Some(i8::try_from(codes[r as usize]).unwrap_or(0)))
        .collect();
    let values = StringArray::from_iter_values(names.iter());
    Ok(Arc::new(DictionaryArray::<Int8Type>::try_new(
        keys,
        Arc::new(values),
    )?))
}

fn ts_col(v: &[i64], rows: &[u32], nullable: bool) -> ArrayRef {
    let a: TimestampMillisecondArray = rows
        .iter()
        .map(|&r| {
            let x = v[r as usize];
            (!(nullable && x == NO_INSTANT)).then_some(x)
        })
        .collect();
    Arc::new(a.with_timezone("UTC"))
}

fn dur_col(v: &[i64], rows: &[u32]) -> ArrayRef {
    let a: Int64Array = rows
        .iter()
        .map(|&r| {
            let x = v[r as usize];
            (x != NO_DURATION).then_some(x)
        })
        .collect();
    Arc::new(a)
}

/// Rows `rows` of a batch as an Arrow record batch.
pub fn to_record_batch(b: &InteractionBatch, rows: &[u32]) -> Result<RecordBatch> {
    let outcomes: Vec<&str> = Outcome::ALL.iter().map(|o| o.as_str()).collect();
    let ids = StringArray::from_iter_values(rows.iter().map(|&r| b.source_id(r as usize)));
    let cust: UInt64Array = rows
        .iter()
        .map(|&r| {
            let c = b.customer[r as usize];
            (c != 0).then_some(c)
        })
        .collect();
    let cols: Vec<ArrayRef> = vec![
        Arc::new(ids),
        small_dict(&b.channel, &CHANNELS, rows)?,
        dict_col(&b.queue, &b.queue_dict, rows)?,
        dict_col(&b.site, &b.site_dict, rows)?,
        dict_col(&b.language, &b.language_dict, rows)?,
        Arc::new(cust),
        ts_col(&b.arrived, rows, false),
        ts_col(&b.answered, rows, true),
        ts_col(&b.ended, rows, true),
        small_dict(&b.outcome, &outcomes, rows)?,
        dur_col(&b.talk, rows),
        dur_col(&b.hold, rows),
        dur_col(&b.wrap, rows),
        dict_col(&b.agent, &b.agent_dict, rows)?,
        dict_col(&b.disposition, &b.disposition_dict, rows)?,
        ts_col(&b.first_response, rows, true),
    ];
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
    for c in [
        "source_id",
        "queue",
        "site",
        "language",
        "agent_key",
        "disposition",
    ] {
        b = b.set_column_statistics_enabled(ColumnPath::from(c), EnabledStatistics::None);
    }
    for c in [
        "source_id",
        "customer_key",
        "arrived_at",
        "answered_at",
        "ended_at",
        "first_response_at",
    ] {
        b = b.set_column_dictionary_enabled(ColumnPath::from(c), false);
    }
    for c in ["arrived_at", "answered_at", "ended_at", "first_response_at"] {
        b = b.set_column_encoding(ColumnPath::from(c), Encoding::DELTA_BINARY_PACKED);
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

/// Appends a dictionary (or plain string) column to codes in a global dictionary.
fn append_dict(col: &ArrayRef, dict: &mut Dict, out: &mut Vec<u32>) -> Result<()> {
    let mut map_values = |values: &StringArray| -> Vec<u32> {
        (0..values.len())
            .map(|i| {
                if values.is_null(i) {
                    NO_VALUE
                } else {
                    dict.code(values.value(i))
                }
            })
            .collect()
    };
    match col.data_type() {
        DataType::Dictionary(k, _) if **k == DataType::Int32 => {
            let d = col.as_dictionary::<Int32Type>();
            let map = map_values(d.values().as_string::<i32>());
            push_keys(d.keys().iter().map(|k| k.map(|k| k as usize)), &map, out);
        }
        DataType::Dictionary(k, _) if **k == DataType::Int8 => {
            let d = col.as_dictionary::<Int8Type>();
            let map = map_values(d.values().as_string::<i32>());
            push_keys(d.keys().iter().map(|k| k.map(|k| k as usize)), &map, out);
        }
        DataType::Utf8 => {
            let s = col.as_string::<i32>();
            for i in 0..s.len() {
                out.push(if s.is_null(i) {
                    NO_VALUE
                } else {
                    dict.code(s.value(i))
                });
            }
        }
        other => {
            return Err(DataError::Mapping(format!(
                "unexpected column type {other} for a text column"
            )));
        }
    }
    Ok(())
}

fn push_keys(keys: impl Iterator<Item = Option<usize>>, map: &[u32], out: &mut Vec<u32>) {
    out.extend(keys.map(|k| k.and_then(|k| map.get(k).copied()).unwrap_or(NO_VALUE)));
}

/// Appends a small enum column (channel, outcome) mapped by name.
fn append_enum(
    col: &ArrayRef,
    code_of: &dyn Fn(&str) -> Option<u8>,
    out: &mut Vec<u8>,
) -> Result<()> {
    let mut tmp_dict = Dict::default();
    let mut codes = Vec::new();
    append_dict(col, &mut tmp_dict, &mut codes)?;
    let map: Vec<u8> = tmp_dict
        .values
        .iter()
        .map(|v| code_of(v).unwrap_or(u8::MAX))
        .collect();
    out.extend(
        codes
            .iter()
            .map(|&c| map.get(c as usize).copied().unwrap_or(u8::MAX)),
    );
    Ok(())
}

fn append_i64(col: &ArrayRef, none: i64, out: &mut Vec<i64>) {
    let nulls = col.logical_nulls();
    let vals: &[i64] = match col.data_type() {
        DataType::Timestamp(_, _) => col.as_primitive::<TimestampMillisecondType>().values(),
        _ => col.as_primitive::<Int64Type>().values(),
    };
    match nulls {
        None => out.extend_from_slice(vals),
        Some(n) => out.extend(
            vals.iter()
                .enumerate()
                .map(|(i, &v)| if n.is_null(i) { none } else { v }),
        ),
    }
}

/// A table being filled from files, with its global dictionaries.
#[derive(Default)]
pub(crate) struct TableReader {
    pub(crate) t: InteractionTable,
    queue: Dict,
    site: Dict,
    language: Dict,
    agent: Dict,
    disposition: Dict,
}

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
        let t = &mut self.t;
        for rb in reader {
            let rb = rb?;
            for (f, col) in rb.schema().fields().iter().zip(rb.columns()) {
                match f.name().as_str() {
                    "source_id" => {
                        let s = col.as_string::<i32>();
                        t.source_id
                            .extend((0..s.len()).map(|i| s.value(i).to_string()));
                    }
                    "channel" => append_enum(
                        col,
                        &|n| {
                            CHANNELS
                                .iter()
                                .position(|c| *c == n)
                                .and_then(|p| u8::try_from(p).ok())
                                .and_then(channel_from_code)
                                .map(channel_code)
                        },
                        &mut t.channel,
                    )?,
                    "outcome" => append_enum(
                        col,
                        &|n| {
                            Outcome::ALL
                                .iter()
                                .find(|o| o.as_str() == n)
                                .map(|o| o.code())
                        },
                        &mut t.outcome,
                    )?,
                    "queue" => append_dict(col, &mut self.queue, &mut t.queue)?,
                    "site" => append_dict(col, &mut self.site, &mut t.site)?,
                    "language" => append_dict(col, &mut self.language, &mut t.language)?,
                    "agent_key" => append_dict(col, &mut self.agent, &mut t.agent)?,
                    "disposition" => {
                        append_dict(col, &mut self.disposition, &mut t.disposition)?;
                    }
                    "customer_key" => {
                        let c = col.as_primitive::<UInt64Type>();
                        match c.nulls() {
                            None => t.customer.extend_from_slice(c.values()),
                            Some(n) => t.customer.extend(
                                c.values()
                                    .iter()
                                    .enumerate()
                                    .map(|(i, &v)| if n.is_null(i) { 0 } else { v }),
                            ),
                        }
                    }
                    "arrived_at" => append_i64(col, NO_INSTANT, &mut t.arrived_at_ms),
                    "answered_at" => append_i64(col, NO_INSTANT, &mut t.answered_at_ms),
                    "ended_at" => append_i64(col, NO_INSTANT, &mut t.ended_at_ms),
                    "first_response_at" => {
                        append_i64(col, NO_INSTANT, &mut t.first_response_at_ms);
                    }
                    "talk_ms" => append_i64(col, NO_DURATION, &mut t.talk_ms),
                    "hold_ms" => append_i64(col, NO_DURATION, &mut t.hold_ms),
                    "wrap_ms" => append_i64(col, NO_DURATION, &mut t.wrap_ms),
                    _ => {}
                }
            }
        }
        Ok(())
    }

    pub(crate) fn finish(mut self) -> InteractionTable {
        self.t.queue_dict = self.queue.values;
        self.t.site_dict = self.site.values;
        self.t.language_dict = self.language.values;
        self.t.agent_dict = self.agent.values;
        self.t.disposition_dict = self.disposition.values;
        self.t
    }
}

/// Reads only the source ids of a file.
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
