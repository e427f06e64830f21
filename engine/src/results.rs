//! The results file: each query's columns and rows, with every cell a JSON integer, string,
//! boolean or null.

use datafusion::arrow::array::{Array, ArrayRef, AsArray, RecordBatch};
use datafusion::arrow::datatypes::{
    ArrowPrimitiveType, DataType, Int8Type, Int16Type, Int32Type, Int64Type, Schema, UInt8Type,
    UInt16Type, UInt32Type, UInt64Type,
};
use serde::{Deserialize, Serialize};

use crate::error::EngineError;

/// The results format this engine writes.
pub const RESULTS_FORMAT: u32 = 1;

/// What a job returns: one result per query, in the job's order.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct JobResults {
    /// The results format version, [`RESULTS_FORMAT`].
    pub format: u32,
    /// Which engine ran the job: `datafusion`, `ballista-standalone` or `ballista`.
    pub engine: String,
    /// The queries' results, in the job's order.
    pub results: Vec<QueryResult>,
}

impl JobResults {
    /// The result of the query named `name`.
    pub fn get(&self, name: &str) -> Option<&QueryResult> {
        self.results.iter().find(|r| r.name == name)
    }
}

/// One query's result, collected fully.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct QueryResult {
    /// The query's name.
    pub name: String,
    /// The column names, in order.
    pub columns: Vec<String>,
    /// The rows in the order the engine returned them, each with one cell per column.
    pub rows: Vec<Vec<Cell>>,
}

/// One value of a result.
///
/// `i128` holds every Arrow integer exactly, `UInt64` above 2^63 included, and serde_json
/// writes it as a bare integer: no value passes through `f64`. Serialized untagged: `17`,
/// `"cards"`, `true`, `null`.
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize)]
#[serde(untagged)]
pub enum Cell {
    /// Any integer type.
    Int(i128),
    /// A string (`Utf8`, `LargeUtf8`, `Utf8View` or a dictionary of them).
    Str(String),
    /// A boolean.
    Bool(bool),
    /// SQL NULL.
    Null,
}

// By hand: serde's derived untagged enums buffer numbers in a form that has no 128-bit
// integers, so a derived `Int(i128)` would refuse every integer.
impl<'de> Deserialize<'de> for Cell {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Cell, D::Error> {
        struct CellVisitor;
        impl serde::de::Visitor<'_> for CellVisitor {
            type Value = Cell;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("an integer, a string, a boolean or null")
            }
            fn visit_i64<E>(self, v: i64) -> Result<Cell, E> {
                Ok(Cell::Int(v.into()))
            }
            fn visit_u64<E>(self, v: u64) -> Result<Cell, E> {
                Ok(Cell::Int(v.into()))
            }
            fn visit_i128<E>(self, v: i128) -> Result<Cell, E> {
                Ok(Cell::Int(v))
            }
            fn visit_str<E>(self, v: &str) -> Result<Cell, E> {
                Ok(Cell::Str(v.to_string()))
            }
            fn visit_string<E>(self, v: String) -> Result<Cell, E> {
                Ok(Cell::Str(v))
            }
            fn visit_bool<E>(self, v: bool) -> Result<Cell, E> {
                Ok(Cell::Bool(v))
            }
            fn visit_unit<E>(self) -> Result<Cell, E> {
                Ok(Cell::Null)
            }
            fn visit_none<E>(self) -> Result<Cell, E> {
                Ok(Cell::Null)
            }
        }
        deserializer.deserialize_any(CellVisitor)
    }
}

/// Whether a column of this type can be returned as cells.
pub(crate) fn is_supported(data_type: &DataType) -> bool {
    match data_type {
        DataType::Null
        | DataType::Boolean
        | DataType::Int8
        | DataType::Int16
        | DataType::Int32
        | DataType::Int64
        | DataType::UInt8
        | DataType::UInt16
        | DataType::UInt32
        | DataType::UInt64 => true,
        DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View => true,
        DataType::Dictionary(_, values) => {
            matches!(
                values.as_ref(),
                DataType::Utf8 | DataType::LargeUtf8 | DataType::Utf8View
            )
        }
        _ => false,
    }
}

/// Checks that every column of a result schema can be returned, before the query runs.
pub(crate) fn check_schema(query: &str, schema: &Schema) -> Result<(), EngineError> {
    match schema
        .fields()
        .iter()
        .find(|f| !is_supported(f.data_type()))
    {
        Some(field) => Err(unsupported(query, field.name(), field.data_type())),
        None => Ok(()),
    }
}

/// Turns a query's collected batches into its result.
pub(crate) fn query_result(
    query: &str,
    schema: &Schema,
    batches: &[RecordBatch],
) -> Result<QueryResult, EngineError> {
    check_schema(query, schema)?;
    let columns: Vec<String> = schema.fields().iter().map(|f| f.name().clone()).collect();
    let mut rows = Vec::with_capacity(batches.iter().map(RecordBatch::num_rows).sum());
    for batch in batches {
        let mut cells = Vec::with_capacity(batch.num_columns());
        for (index, array) in batch.columns().iter().enumerate() {
            let name = columns.get(index).map_or("?", String::as_str);
            cells.push(
                column_cells(array)
                    .ok_or_else(|| unsupported(query, name, array.data_type()))?
                    .into_iter(),
            );
        }
        for _ in 0..batch.num_rows() {
            rows.push(
                cells
                    .iter_mut()
                    .map(|column| column.next().unwrap_or(Cell::Null))
                    .collect(),
            );
        }
    }
    Ok(QueryResult {
        name: query.to_string(),
        columns,
        rows,
    })
}

fn unsupported(query: &str, column: &str, data_type: &DataType) -> EngineError {
    EngineError::UnsupportedType {
        query: query.to_string(),
        column: column.to_string(),
        data_type: data_type.to_string(),
    }
}

/// The cells of one column, or `None` for a type that is not returned.
fn column_cells(array: &ArrayRef) -> Option<Vec<Cell>> {
    let cells = match array.data_type() {
        DataType::Null => vec![Cell::Null; array.len()],
        DataType::Boolean => cells_of(array.as_boolean().iter(), Cell::Bool),
        DataType::Int8 => ints::<Int8Type>(array),
        DataType::Int16 => ints::<Int16Type>(array),
        DataType::Int32 => ints::<Int32Type>(array),
        DataType::Int64 => ints::<Int64Type>(array),
        DataType::UInt8 => ints::<UInt8Type>(array),
        DataType::UInt16 => ints::<UInt16Type>(array),
        DataType::UInt32 => ints::<UInt32Type>(array),
        DataType::UInt64 => ints::<UInt64Type>(array),
        DataType::Utf8 => strings(array.as_string::<i32>().iter()),
        DataType::LargeUtf8 => strings(array.as_string::<i64>().iter()),
        DataType::Utf8View => strings(array.as_string_view().iter()),
        // Unpacked to the dictionary's own string type, which the arms above read.
        DataType::Dictionary(_, values) if is_supported(values) => {
            let unpacked = datafusion::arrow::compute::cast(array, values).ok()?;
            return column_cells(&unpacked);
        }
        _ => return None,
    };
    Some(cells)
}

fn ints<T>(array: &ArrayRef) -> Vec<Cell>
where
    T: ArrowPrimitiveType,
    T::Native: Into<i128>,
{
    cells_of(array.as_primitive::<T>().iter(), |v| Cell::Int(v.into()))
}

fn strings<'a>(values: impl Iterator<Item = Option<&'a str>>) -> Vec<Cell> {
    cells_of(values, |s| Cell::Str(s.to_string()))
}

fn cells_of<V>(values: impl Iterator<Item = Option<V>>, cell: impl Fn(V) -> Cell) -> Vec<Cell> {
    values.map(|v| v.map_or(Cell::Null, &cell)).collect()
}

#[cfg(test)]
mod tests {
    use std::sync::Arc;

    use datafusion::arrow::array::{
        BooleanArray, DictionaryArray, Float64Array, Int64Array, LargeStringArray, StringViewArray,
        UInt64Array,
    };
    use datafusion::arrow::datatypes::Field;

    use super::*;

    fn one_column(array: ArrayRef) -> Result<QueryResult, EngineError> {
        let schema = Arc::new(Schema::new(vec![Field::new(
            "c",
            array.data_type().clone(),
            true,
        )]));
        let batch = RecordBatch::try_new(Arc::clone(&schema), vec![array]).expect("batch");
        query_result("q", &schema, &[batch])
    }

    fn cells(result: &QueryResult) -> Vec<Cell> {
        result.rows.iter().map(|row| row[0].clone()).collect()
    }

    #[test]
    fn integers_strings_booleans_and_nulls() -> Result<(), EngineError> {
        let big = (1u64 << 63) + 5;
        let r = one_column(Arc::new(UInt64Array::from(vec![Some(big), None])))?;
        assert_eq!(cells(&r), [Cell::Int(i128::from(big)), Cell::Null]);

        let r = one_column(Arc::new(Int64Array::from(vec![i64::MIN])))?;
        assert_eq!(cells(&r), [Cell::Int(i128::from(i64::MIN))]);

        let dict: DictionaryArray<Int32Type> = vec![Some("cards"), None, Some("cards")]
            .into_iter()
            .collect();
        let r = one_column(Arc::new(dict))?;
        let cards = Cell::Str("cards".into());
        assert_eq!(cells(&r), [cards.clone(), Cell::Null, cards]);

        let r = one_column(Arc::new(StringViewArray::from(vec!["a", "b"])))?;
        assert_eq!(cells(&r), [Cell::Str("a".into()), Cell::Str("b".into())]);

        let r = one_column(Arc::new(LargeStringArray::from(vec![Some("x"), None])))?;
        assert_eq!(cells(&r), [Cell::Str("x".into()), Cell::Null]);

        let r = one_column(Arc::new(BooleanArray::from(vec![true])))?;
        assert_eq!(cells(&r), [Cell::Bool(true)]);
        Ok(())
    }

    #[test]
    fn floats_are_refused_with_query_and_column() {
        let err = one_column(Arc::new(Float64Array::from(vec![1.5])));
        assert!(matches!(
            err,
            Err(EngineError::UnsupportedType { ref query, ref column, .. })
                if query == "q" && column == "c"
        ));
    }

    #[test]
    fn json_keeps_64_bit_integers_exact() -> Result<(), serde_json::Error> {
        let results = JobResults {
            format: RESULTS_FORMAT,
            engine: "datafusion".into(),
            results: vec![QueryResult {
                name: "q".into(),
                columns: vec!["a".into(), "b".into(), "c".into(), "d".into()],
                rows: vec![vec![
                    Cell::Int(i128::from(u64::MAX)),
                    Cell::Int(i128::from(i64::MIN)),
                    Cell::Str("s".into()),
                    Cell::Null,
                ]],
            }],
        };
        let text = serde_json::to_string(&results)?;
        assert!(
            text.contains(r#"[[18446744073709551615,-9223372036854775808,"s",null]]"#),
            "{text}"
        );
        assert_eq!(serde_json::from_str::<JobResults>(&text)?, results);
        assert!(serde_json::from_str::<Cell>("1.5").is_err());
        Ok(())
    }
}
