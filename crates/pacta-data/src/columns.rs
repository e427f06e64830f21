//! The one table of interaction columns: [`INTERACTION_COLUMNS`].
//!
//! Each entry says everything the crate knows about a column — its Parquet name (also the
//! header of the CSV export), its Arrow type and nullability, the generic import's mapping
//! field that feeds it, how the Parquet writer stores it, how it is written from an
//! [`InteractionBatch`], read back into an [`InteractionTable`] and printed in the CSV
//! export. The Parquet schema and writer ([`crate::parquet_io`]), the generic mapping's
//! fields ([`crate::import::generic::FIELDS`]) and the export ([`crate::export`]) are all
//! derived from it, so a new column is one more entry here (plus its storage in
//! [`InteractionBatch`] and [`InteractionTable`]).

use std::borrow::Cow;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Int8Type, Int32Type, Int64Type, TimestampMillisecondType, UInt64Type};
use arrow_array::{
    Array, ArrayRef, DictionaryArray, Int8Array, Int32Array, Int64Array, StringArray,
    TimestampMillisecondArray, UInt64Array,
};
use arrow_schema::{DataType, TimeUnit};
use jiff::Timestamp;

use crate::batch::{Dict, InteractionBatch};
use crate::model::{
    Interaction, InteractionTable, NO_DURATION, NO_INSTANT, NO_VALUE, Outcome, channel_code,
    channel_from_code,
};
use crate::{DataError, Result};

/// How a column's values are encoded in Arrow and Parquet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColumnKind {
    /// Plain UTF-8 text, one value per row.
    Text,
    /// A small fixed enumeration (channel, outcome): an `Int8`-keyed dictionary of its names.
    Enum,
    /// Repeated text: an `Int32`-keyed dictionary of the values used in each chunk.
    Dictionary,
    /// A 64-bit pseudonym (`UInt64`).
    Pseudonym,
    /// An instant: UTC milliseconds (`Timestamp(ms, "UTC")`).
    Instant,
    /// A duration in milliseconds (`Int64`).
    Duration,
}

impl ColumnKind {
    /// The Arrow type of the column.
    pub fn data_type(self) -> DataType {
        let dict = |k: DataType| DataType::Dictionary(Box::new(k), Box::new(DataType::Utf8));
        match self {
            ColumnKind::Text => DataType::Utf8,
            ColumnKind::Enum => dict(DataType::Int8),
            ColumnKind::Dictionary => dict(DataType::Int32),
            ColumnKind::Pseudonym => DataType::UInt64,
            ColumnKind::Instant => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
            ColumnKind::Duration => DataType::Int64,
        }
    }
}

/// Writes the rows `rows` of a batch as one column.
type WriteFn = fn(&InteractionBatch, &[u32]) -> Result<ArrayRef>;
/// Appends a column read from a file to the table being built.
type ReadFn = fn(&ArrayRef, &mut TableBuilder) -> Result<()>;
/// The CSV export's cell of a row.
type CsvFn = fn(&Interaction) -> Cow<'_, str>;
/// The length of the column in a table.
type LenFn = fn(&InteractionTable) -> usize;

/// One interaction column.
#[derive(Clone, Copy)]
pub struct ColumnDef {
    /// Parquet column name, also the column's header in the CSV export.
    pub name: &'static str,
    /// Field of the generic import's mapping that feeds the column (durations are mapped
    /// from seconds: `talk_s` feeds `talk_ms`).
    pub field: &'static str,
    /// Arrow encoding.
    pub kind: ColumnKind,
    /// Whether a row may lack a value.
    pub nullable: bool,
    /// Parquet writer: keep min/max statistics (off for text the reader never prunes on:
    /// arrow computes them with a comparison per row).
    pub(crate) statistics: bool,
    /// Parquet writer: dictionary-encode pages (off for values nearly all distinct).
    pub(crate) dictionary_pages: bool,
    /// Parquet writer: delta encoding (instants, nearly sorted).
    pub(crate) delta: bool,
    pub(crate) write: WriteFn,
    pub(crate) read: ReadFn,
    pub(crate) csv: CsvFn,
    /// Values the table holds in the column (0 when a projection left it unloaded).
    pub(crate) len: LenFn,
}

impl std::fmt::Debug for ColumnDef {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("ColumnDef")
            .field("name", &self.name)
            .field("field", &self.field)
            .field("kind", &self.kind)
            .field("nullable", &self.nullable)
            .finish_non_exhaustive()
    }
}

impl ColumnDef {
    /// The Arrow type of the column.
    pub fn data_type(&self) -> DataType {
        self.kind.data_type()
    }
}

/// Channel names in code order ([`channel_code`]), as stored.
pub const CHANNELS: [&str; 8] = [
    "voice_in",
    "voice_out",
    "chat",
    "email",
    "social",
    "sms",
    "back_office",
    "surveys",
];

/// Outcome names in code order ([`Outcome::code`]), as stored.
pub const OUTCOMES: [&str; 8] = [
    "answered",
    "abandoned",
    "timeout",
    "queue_empty",
    "overflow_out",
    "callback",
    "transferred_out",
    "in_progress",
];

/// The interaction columns, in file order.
pub const INTERACTION_COLUMNS: [ColumnDef; 16] = [
    ColumnDef {
        name: "source_id",
        field: "source_id",
        kind: ColumnKind::Text,
        nullable: false,
        statistics: false,
        dictionary_pages: false,
        delta: false,
        write: |b, rows| {
            Ok(Arc::new(StringArray::from_iter_values(
                rows.iter().map(|&r| b.source_id(r as usize)),
            )))
        },
        read: |col, t| {
            let s = col.as_string::<i32>();
            t.t.source_id
                .extend((0..s.len()).map(|i| s.value(i).to_string()));
            Ok(())
        },
        csv: |r| Cow::Borrowed(&r.source_id),
        len: |t| t.source_id.len(),
    },
    ColumnDef {
        name: "channel",
        field: "channel",
        kind: ColumnKind::Enum,
        nullable: false,
        statistics: true,
        dictionary_pages: true,
        delta: false,
        write: |b, rows| small_dict(&b.channel, &CHANNELS, rows),
        read: |col, t| {
            append_enum(
                col,
                &|n| {
                    CHANNELS
                        .iter()
                        .position(|c| *c == n)
                        .and_then(|p| u8::try_from(p).ok())
                        .and_then(channel_from_code)
                        .map(channel_code)
                },
                &mut t.t.channel,
            )
        },
        csv: |r| Cow::Borrowed(r.channel.as_str()),
        len: |t| t.channel.len(),
    },
    ColumnDef {
        name: "queue",
        field: "queue",
        kind: ColumnKind::Dictionary,
        nullable: false,
        statistics: false,
        dictionary_pages: true,
        delta: false,
        write: |b, rows| dict_col(&b.queue, &b.queue_dict, rows),
        read: |col, t| append_dict(col, &mut t.queue, &mut t.t.queue),
        csv: |r| Cow::Borrowed(&r.queue),
        len: |t| t.queue.len(),
    },
    ColumnDef {
        name: "site",
        field: "site",
        kind: ColumnKind::Dictionary,
        nullable: true,
        statistics: false,
        dictionary_pages: true,
        delta: false,
        write: |b, rows| dict_col(&b.site, &b.site_dict, rows),
        read: |col, t| append_dict(col, &mut t.site, &mut t.t.site),
        csv: |r| text(r.site.as_deref()),
        len: |t| t.site.len(),
    },
    ColumnDef {
        name: "language",
        field: "language",
        kind: ColumnKind::Dictionary,
        nullable: true,
        statistics: false,
        dictionary_pages: true,
        delta: false,
        write: |b, rows| dict_col(&b.language, &b.language_dict, rows),
        read: |col, t| append_dict(col, &mut t.language, &mut t.t.language),
        csv: |r| text(r.language.as_deref()),
        len: |t| t.language.len(),
    },
    ColumnDef {
        name: "customer_key",
        field: "customer_key",
        kind: ColumnKind::Pseudonym,
        nullable: true,
        statistics: true,
        dictionary_pages: false,
        delta: false,
        write: |b, rows| {
            let a: UInt64Array = rows
                .iter()
                .map(|&r| {
                    let c = b.customer[r as usize];
                    (c != 0).then_some(c)
                })
                .collect();
            Ok(Arc::new(a))
        },
        read: |col, t| {
            let c = col.as_primitive::<UInt64Type>();
            match c.nulls() {
                None => t.t.customer.extend_from_slice(c.values()),
                Some(n) => t.t.customer.extend(
                    c.values()
                        .iter()
                        .enumerate()
                        .map(|(i, &v)| if n.is_null(i) { 0 } else { v }),
                ),
            }
            Ok(())
        },
        csv: |r| text(r.customer_key.as_deref()),
        len: |t| t.customer.len(),
    },
    ColumnDef {
        name: "arrived_at",
        field: "arrived_at",
        kind: ColumnKind::Instant,
        nullable: false,
        statistics: true,
        dictionary_pages: false,
        delta: true,
        write: |b, rows| Ok(ts_col(&b.arrived, rows, false)),
        read: |col, t| append_i64(col, NO_INSTANT, &mut t.t.arrived_at_ms),
        csv: |r| instant(Some(r.arrived_at_ms)),
        len: |t| t.arrived_at_ms.len(),
    },
    ColumnDef {
        name: "answered_at",
        field: "answered_at",
        kind: ColumnKind::Instant,
        nullable: true,
        statistics: true,
        dictionary_pages: false,
        delta: true,
        write: |b, rows| Ok(ts_col(&b.answered, rows, true)),
        read: |col, t| append_i64(col, NO_INSTANT, &mut t.t.answered_at_ms),
        csv: |r| instant(r.answered_at_ms),
        len: |t| t.answered_at_ms.len(),
    },
    ColumnDef {
        name: "ended_at",
        field: "ended_at",
        kind: ColumnKind::Instant,
        nullable: true,
        statistics: true,
        dictionary_pages: false,
        delta: true,
        write: |b, rows| Ok(ts_col(&b.ended, rows, true)),
        read: |col, t| append_i64(col, NO_INSTANT, &mut t.t.ended_at_ms),
        csv: |r| instant(r.ended_at_ms),
        len: |t| t.ended_at_ms.len(),
    },
    ColumnDef {
        name: "outcome",
        field: "outcome",
        kind: ColumnKind::Enum,
        nullable: false,
        statistics: true,
        dictionary_pages: true,
        delta: false,
        write: |b, rows| small_dict(&b.outcome, &OUTCOMES, rows),
        read: |col, t| {
            append_enum(
                col,
                &|n| {
                    Outcome::ALL
                        .iter()
                        .find(|o| o.as_str() == n)
                        .map(|o| o.code())
                },
                &mut t.t.outcome,
            )
        },
        csv: |r| Cow::Borrowed(r.outcome.as_str()),
        len: |t| t.outcome.len(),
    },
    ColumnDef {
        name: "talk_ms",
        field: "talk_s",
        kind: ColumnKind::Duration,
        nullable: true,
        statistics: true,
        dictionary_pages: true,
        delta: false,
        write: |b, rows| Ok(dur_col(&b.talk, rows)),
        read: |col, t| append_i64(col, NO_DURATION, &mut t.t.talk_ms),
        csv: |r| number(r.talk_ms),
        len: |t| t.talk_ms.len(),
    },
    ColumnDef {
        name: "hold_ms",
        field: "hold_s",
        kind: ColumnKind::Duration,
        nullable: true,
        statistics: true,
        dictionary_pages: true,
        delta: false,
        write: |b, rows| Ok(dur_col(&b.hold, rows)),
        read: |col, t| append_i64(col, NO_DURATION, &mut t.t.hold_ms),
        csv: |r| number(r.hold_ms),
        len: |t| t.hold_ms.len(),
    },
    ColumnDef {
        name: "wrap_ms",
        field: "wrap_s",
        kind: ColumnKind::Duration,
        nullable: true,
        statistics: true,
        dictionary_pages: true,
        delta: false,
        write: |b, rows| Ok(dur_col(&b.wrap, rows)),
        read: |col, t| append_i64(col, NO_DURATION, &mut t.t.wrap_ms),
        csv: |r| number(r.wrap_ms),
        len: |t| t.wrap_ms.len(),
    },
    ColumnDef {
        name: "agent_key",
        field: "agent_key",
        kind: ColumnKind::Dictionary,
        nullable: true,
        statistics: false,
        dictionary_pages: true,
        delta: false,
        write: |b, rows| dict_col(&b.agent, &b.agent_dict, rows),
        read: |col, t| append_dict(col, &mut t.agent, &mut t.t.agent),
        csv: |r| text(r.agent_key.as_deref()),
        len: |t| t.agent.len(),
    },
    ColumnDef {
        name: "disposition",
        field: "disposition",
        kind: ColumnKind::Dictionary,
        nullable: true,
        statistics: false,
        dictionary_pages: true,
        delta: false,
        write: |b, rows| dict_col(&b.disposition, &b.disposition_dict, rows),
        read: |col, t| append_dict(col, &mut t.disposition, &mut t.t.disposition),
        csv: |r| text(r.disposition.as_deref()),
        len: |t| t.disposition.len(),
    },
    ColumnDef {
        name: "first_response_at",
        field: "first_response_at",
        kind: ColumnKind::Instant,
        nullable: true,
        statistics: true,
        dictionary_pages: false,
        delta: true,
        write: |b, rows| Ok(ts_col(&b.first_response, rows, true)),
        read: |col, t| append_i64(col, NO_INSTANT, &mut t.t.first_response_at_ms),
        csv: |r| instant(r.first_response_at_ms),
        len: |t| t.first_response_at_ms.len(),
    },
];

/// The column names of [`INTERACTION_COLUMNS`], in order.
pub const fn column_names() -> [&'static str; INTERACTION_COLUMNS.len()] {
    let mut out = [""; INTERACTION_COLUMNS.len()];
    let mut i = 0;
    while i < out.len() {
        out[i] = INTERACTION_COLUMNS[i].name;
        i += 1;
    }
    out
}

impl InteractionTable {
    /// Whether the column named `name` (of [`INTERACTION_COLUMNS`]) holds every row: false
    /// for a column a projection did not load and for names of no column.
    pub fn column_loaded(&self, name: &str) -> bool {
        column(name).is_some_and(|c| (c.len)(self) == self.row_count())
    }
}

/// The column named `name`.
pub fn column(name: &str) -> Option<&'static ColumnDef> {
    INTERACTION_COLUMNS.iter().find(|c| c.name == name)
}

fn text(v: Option<&str>) -> Cow<'_, str> {
    Cow::Borrowed(v.unwrap_or(""))
}

fn instant(v: Option<i64>) -> Cow<'static, str> {
    Cow::Owned(
        v.and_then(|v| Timestamp::from_millisecond(v).ok())
            .map(|t| t.to_string())
            .unwrap_or_default(),
    )
}

fn number(v: Option<i64>) -> Cow<'static, str> {
    Cow::Owned(v.map(|v| v.to_string()).unwrap_or_default())
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

/// A table being filled from files, with its global dictionaries.
#[derive(Default)]
pub(crate) struct TableBuilder {
    pub(crate) t: InteractionTable,
    queue: Dict,
    site: Dict,
    language: Dict,
    agent: Dict,
    disposition: Dict,
}

impl TableBuilder {
    /// The table, with its dictionaries.
    pub(crate) fn finish(mut self) -> InteractionTable {
        self.t.queue_dict = self.queue.values;
        self.t.site_dict = self.site.values;
        self.t.language_dict = self.language.values;
        self.t.agent_dict = self.agent.values;
        self.t.disposition_dict = self.disposition.values;
        self.t
    }
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

fn append_i64(col: &ArrayRef, none: i64, out: &mut Vec<i64>) -> Result<()> {
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
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn stored_enum_names_are_the_models_names_in_code_order() {
        for o in Outcome::ALL {
            assert_eq!(OUTCOMES[usize::from(o.code())], o.as_str());
        }
        for (code, name) in CHANNELS.iter().enumerate() {
            let c = channel_from_code(code as u8).map(|c| c.as_str());
            assert_eq!(c, Some(*name));
        }
    }
}
