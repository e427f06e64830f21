//! `--format parquet`: typed columns (zoned and naive timestamps, integers, floats, strings)
//! through the same mapping as CSV, bad rows quarantined by row number, unusable files and
//! columns refused before anything is imported.
#![allow(clippy::unwrap_used)]

use std::path::Path;
use std::sync::Arc;

use arrow_array::{
    ArrayRef, Decimal128Array, Float64Array, Int64Array, RecordBatch, StringArray,
    TimestampMillisecondArray,
};
use arrow_schema::{Field, Schema};
use jiff::tz::TimeZone;
use pacta_data::DataError;
use pacta_data::import::{Format, ImportOptions, Mapping, import_interactions};
use pacta_data::model::Outcome;
use pacta_data::pseudo::Pseudonymizer;
use parquet::arrow::ArrowWriter;

fn write_parquet(path: &Path, columns: Vec<(&str, ArrayRef)>) {
    let fields: Vec<Field> = columns
        .iter()
        .map(|(n, a)| Field::new(*n, a.data_type().clone(), true))
        .collect();
    let schema = Arc::new(Schema::new(fields));
    let batch = RecordBatch::try_new(
        schema.clone(),
        columns.into_iter().map(|(_, a)| a).collect(),
    )
    .unwrap();
    let file = std::fs::File::create(path).unwrap();
    let mut w = ArrowWriter::try_new(file, schema, None).unwrap();
    w.write(&batch).unwrap();
    w.close().unwrap();
}

const MAPPING: &str = r#"
time_zone = "America/Bogota"
[mapping]
source_id = "call_id"
queue = "skill"
arrived_at = "start_time"
outcome = "result"
wait_s = "wait"
talk_s = "talk"
customer_key = "phone"
"#;

// 2026-10-05T14:00:00Z
const T0: i64 = 1_791_208_800_000;

#[test]
fn typed_columns_map_like_csv_and_bad_rows_are_quarantined_by_row() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("calls.parquet");
    write_parquet(
        &path,
        vec![
            (
                "call_id",
                Arc::new(StringArray::from(vec!["a", "b", "c", "d"])) as ArrayRef,
            ),
            (
                "skill",
                Arc::new(StringArray::from(vec![
                    "cards", "cards", "retail", "retail",
                ])),
            ),
            (
                "start_time",
                Arc::new(
                    TimestampMillisecondArray::from(vec![T0, T0 + 60_000, T0 + 120_000, T0])
                        .with_timezone("UTC"),
                ),
            ),
            (
                "result",
                Arc::new(StringArray::from(vec![
                    Some("answered"),
                    Some("abandoned"),
                    Some("vanished"),
                    Some("answered"),
                ])),
            ),
            (
                "wait",
                Arc::new(Int64Array::from(vec![Some(12), Some(40), Some(1), None])),
            ),
            (
                "talk",
                Arc::new(Float64Array::from(vec![
                    Some(180.5),
                    None,
                    None,
                    Some(60.0),
                ])),
            ),
            (
                "phone",
                Arc::new(StringArray::from(vec![
                    Some("+57 300 1234567"),
                    None,
                    None,
                    None,
                ])),
            ),
        ],
    );
    let p = Pseudonymizer::from_key([9; 32]);
    let m = Mapping::from_toml(MAPPING).unwrap();
    let mut opts = ImportOptions::new(TimeZone::UTC, &p);
    opts.mapping = Some(&m);
    let out = import_interactions(Format::Parquet, &[path.as_path()], &opts).unwrap();
    assert_eq!(out.report.rows_read, 4);
    assert_eq!(out.report.imported, 2);
    assert_eq!(out.report.quarantined.len(), 2);
    // Row 3: an outcome pacta does not know; row 4: answered without a wait or answer time.
    let q3 = &out.report.quarantined[0];
    assert_eq!(
        (q3.row, q3.field.as_str(), q3.value.as_str()),
        (3, "result", "vanished")
    );
    let q4 = &out.report.quarantined[1];
    assert_eq!(q4.row, 4);
    assert!(
        q4.reason.contains("answered contact without answered_at"),
        "{}",
        q4.reason
    );

    let rows = out.batch.to_interactions();
    let a = &rows[0];
    assert_eq!(a.source_id, "a");
    assert_eq!(a.outcome, Outcome::Answered);
    assert_eq!(a.arrived_at_ms, T0, "a zoned timestamp is an instant");
    assert_eq!(a.answered_at_ms, Some(T0 + 12_000));
    assert_eq!(a.talk_ms, Some(180_500));
    // The phone number is pseudonymised: the stored key is the keyed hash, not the number.
    let key = a.customer_key.clone().unwrap();
    assert_eq!(key, format!("{:016x}", p.key64("+57 300 1234567")));
    let b = &rows[1];
    assert_eq!(b.outcome, Outcome::Abandoned);
    assert_eq!(b.ended_at_ms, Some(T0 + 60_000 + 40_000));
}

#[test]
fn naive_timestamps_are_read_in_the_mapping_zone() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("naive.parquet");
    // 2026-10-05 09:00:00 wall clock, no zone in the column.
    let wall = 1_791_190_800_000;
    write_parquet(
        &path,
        vec![
            (
                "call_id",
                Arc::new(StringArray::from(vec!["x"])) as ArrayRef,
            ),
            ("skill", Arc::new(StringArray::from(vec!["cards"]))),
            (
                "start_time",
                Arc::new(TimestampMillisecondArray::from(vec![wall])),
            ),
            ("result", Arc::new(StringArray::from(vec!["abandoned"]))),
        ],
    );
    let p = Pseudonymizer::from_key([9; 32]);
    let m = Mapping::from_toml(MAPPING).unwrap();
    let mut opts = ImportOptions::new(TimeZone::UTC, &p);
    opts.mapping = Some(&m);
    let out = import_interactions(Format::Parquet, &[path.as_path()], &opts).unwrap();
    // Bogotá is UTC−5 all year: 09:00 there is 14:00 UTC.
    assert_eq!(
        out.batch.to_interactions()[0].arrived_at_ms,
        wall + 5 * 3_600_000
    );
}

#[test]
fn missing_column_unsupported_type_and_non_parquet_are_refused() {
    let dir = tempfile::tempdir().unwrap();
    let p = Pseudonymizer::from_key([9; 32]);
    let m = Mapping::from_toml(MAPPING).unwrap();
    let mut opts = ImportOptions::new(TimeZone::UTC, &p);
    opts.mapping = Some(&m);

    let path = dir.path().join("nocol.parquet");
    write_parquet(
        &path,
        vec![
            (
                "call_id",
                Arc::new(StringArray::from(vec!["x"])) as ArrayRef,
            ),
            ("skill", Arc::new(StringArray::from(vec!["cards"]))),
            (
                "start_time",
                Arc::new(StringArray::from(vec!["2026-10-05 09:00:00"])),
            ),
        ],
    );
    let err = import_interactions(Format::Parquet, &[path.as_path()], &opts).unwrap_err();
    assert!(
        matches!(&err, DataError::MissingColumn { column, found, .. }
            if column == "result" && found == "call_id, skill, start_time"),
        "{err}"
    );

    let path = dir.path().join("decimal.parquet");
    let money = Decimal128Array::from(vec![1234])
        .with_precision_and_scale(10, 2)
        .unwrap();
    write_parquet(
        &path,
        vec![
            (
                "call_id",
                Arc::new(StringArray::from(vec!["x"])) as ArrayRef,
            ),
            ("skill", Arc::new(StringArray::from(vec!["cards"]))),
            (
                "start_time",
                Arc::new(StringArray::from(vec!["2026-10-05 09:00:00"])),
            ),
            ("result", Arc::new(StringArray::from(vec!["answered"]))),
            ("wait", Arc::new(money)),
        ],
    );
    let err = import_interactions(Format::Parquet, &[path.as_path()], &opts).unwrap_err();
    let msg = err.to_string();
    assert!(
        msg.contains("column `wait` (field `wait_s`)") && msg.contains("Decimal128"),
        "{msg}"
    );

    let path = dir.path().join("not.parquet");
    std::fs::write(&path, "call_id,skill\n1,2\n").unwrap();
    let err = import_interactions(Format::Parquet, &[path.as_path()], &opts).unwrap_err();
    assert!(
        err.to_string().contains("not a readable Parquet file"),
        "{err}"
    );
}

/// A foreign export: channels named `voice_inbound` / `voice_outbound`, and no outcome
/// column, the outcome following from the answer and end times.
fn foreign_export(path: &Path, channels: Vec<&str>) {
    let n = channels.len();
    let t = |offset: i64| T0 + offset;
    write_parquet(
        path,
        vec![
            (
                "call_id",
                Arc::new(StringArray::from(
                    (0..n).map(|i| format!("c{i}")).collect::<Vec<_>>(),
                )) as ArrayRef,
            ),
            ("skill", Arc::new(StringArray::from(vec!["cards"; n]))),
            ("kind", Arc::new(StringArray::from(channels))),
            (
                "start_time",
                Arc::new(TimestampMillisecondArray::from(vec![t(0); n]).with_timezone("UTC")),
            ),
            (
                "answer_time",
                Arc::new(
                    TimestampMillisecondArray::from(
                        (0..n)
                            .map(|i| (i % 3 == 0).then(|| t(20_000)))
                            .collect::<Vec<_>>(),
                    )
                    .with_timezone("UTC"),
                ),
            ),
            (
                "end_time",
                Arc::new(
                    TimestampMillisecondArray::from(
                        (0..n)
                            .map(|i| (i % 3 != 2).then(|| t(90_000)))
                            .collect::<Vec<_>>(),
                    )
                    .with_timezone("UTC"),
                ),
            ),
        ],
    );
}

const FOREIGN: &str = r#"
derive_outcome = true
[mapping]
source_id = "call_id"
queue = "skill"
channel = "kind"
arrived_at = "start_time"
answered_at = "answer_time"
ended_at = "end_time"
[values.channel]
voice_inbound = "voice_in"
voice_outbound = "voice_out"
"#;

#[test]
fn value_maps_translate_foreign_names_and_the_outcome_can_be_derived() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("foreign.parquet");
    foreign_export(
        &path,
        vec!["voice_inbound", "voice_outbound", "voice_inbound", "chat"],
    );
    let p = Pseudonymizer::from_key([9; 32]);
    let m = Mapping::from_toml(FOREIGN).unwrap();
    let mut opts = ImportOptions::new(TimeZone::UTC, &p);
    opts.mapping = Some(&m);
    let out = import_interactions(Format::Parquet, &[path.as_path()], &opts).unwrap();
    assert_eq!(out.report.quarantined, Vec::new());
    let rows = out.batch.to_interactions();
    let seen: Vec<(pacta_contract::Channel, Outcome)> =
        rows.iter().map(|r| (r.channel, r.outcome)).collect();
    use pacta_contract::Channel::{Chat, VoiceIn, VoiceOut};
    assert_eq!(
        seen,
        [
            // Answered (an answer time), abandoned (ended unanswered), in progress (neither),
            // answered; a canonical name still reads as itself.
            (VoiceIn, Outcome::Answered),
            (VoiceOut, Outcome::Abandoned),
            (VoiceIn, Outcome::InProgress),
            (Chat, Outcome::Answered),
        ]
    );

    // Without the value map every such row is quarantined, and the reason lists the names
    // pacta accepts and how to translate others.
    let plain = Mapping::from_toml(&FOREIGN.replace("voice_inbound = \"voice_in\"\n", "")).unwrap();
    opts.mapping = Some(&plain);
    let out = import_interactions(Format::Parquet, &[path.as_path()], &opts).unwrap();
    assert_eq!(out.report.quarantined.len(), 2);
    let reason = &out.report.quarantined[0].reason;
    assert!(
        reason.contains("accepted: voice_in, voice, inbound")
            && reason.contains("[values.channel]"),
        "{reason}"
    );
}

#[test]
fn bad_value_maps_are_refused_before_any_row_is_read() {
    for (toml, expected) in [
        (
            "[values.channel]\nvoice_inbound = \"telephone\"\n",
            "values.channel.voice_inbound: unknown channel `telephone` (accepted: voice_in",
        ),
        (
            "[values.queue]\na = \"b\"\n",
            "values.queue: only channel and outcome take a value map",
        ),
        (
            "derive_outcome = true\n[mapping]\noutcome = \"result\"\n",
            "derive_outcome reads the outcome from answered_at and ended_at",
        ),
    ] {
        let err = Mapping::from_toml(toml).unwrap_err();
        assert!(err.to_string().contains(expected), "{toml}: {err}");
    }
}
