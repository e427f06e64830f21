use pacta_core::{Lang, Localized};
use pacta_data::record_kinds::RecordKind;
use pacta_ops::OpError;
use pacta_ops::import::{ImportKind, ImportRequest, prepare};

use crate::{examples, imported_at};

fn contract() -> pacta_contract::Contract {
    pacta_ops::contract::load(&examples().join("bank-inbound-manila.toml")).expect("contract")
}

fn write(dir: &std::path::Path, name: &str, text: &str) -> std::path::PathBuf {
    let p = dir.join(name);
    std::fs::write(&p, text).expect("written");
    p
}

const INTERACTIONS: &str = "\
source_id,channel,queue,arrived_at,answered_at,ended_at,outcome,talk_s
c1,voice_in,retail,2026-10-01 09:00:00,2026-10-01 09:00:10,2026-10-01 09:05:00,answered,290
c2,voice_in,retail,2026-10-01 09:01:00,,2026-10-01 09:02:00,abandoned,
c3,voice_in,retail,not a time,,,answered,
";

#[test]
fn bad_arguments_are_refused_before_the_store_is_touched() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "calls.csv", INTERACTIONS);
    let store_dir = dir.path().join("store");
    let request = |format: &str| ImportRequest {
        format: Some(format.into()),
        paths: vec![file.clone()],
        ..ImportRequest::default()
    };
    let err = prepare(&contract(), ImportKind::Interactions, request("xls")).expect_err("refused");
    assert_eq!(err.code(), "import-format-unknown");
    assert_eq!(
        err.message(Lang::Es),
        "formato desconocido `xls` (use anonbank, asterisk, amazon-connect, csv, jsonl o parquet)"
    );
    let missing = ImportRequest {
        paths: vec![dir.path().join("nope.csv")],
        ..request("csv")
    };
    let err = prepare(&contract(), ImportKind::Interactions, missing).expect_err("refused");
    assert!(matches!(&err, OpError::Read { path, .. } if path.ends_with("nope.csv")));
    assert!(err.is_file_error());
    let unknown_source = ImportRequest {
        source: Some("crm".into()),
        ..request("csv")
    };
    let err = prepare(&contract(), ImportKind::Interactions, unknown_source).expect_err("refused");
    assert_eq!(err.to_string(), "the contract has no data source `crm`");
    assert!(!store_dir.exists(), "nothing was created");
}

#[test]
fn imports_counts_every_row_and_writes_the_quarantine() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "calls.csv", INTERACTIONS);
    let quarantine = dir.path().join("quarantine.csv");
    let request = ImportRequest {
        format: Some("csv".into()),
        quarantine: Some(quarantine.clone()),
        paths: vec![file],
        ..ImportRequest::default()
    };
    let plan = prepare(&contract(), ImportKind::Interactions, request).expect("prepared");
    let store = pacta_ops::store::open(&dir.path().join("store")).expect("store");
    let outcome = plan
        .run(&store, None, imported_at(), None)
        .expect("imported");
    assert_eq!(outcome.report.rows_read, 3);
    assert_eq!(outcome.report.imported, 2);
    assert_eq!(outcome.report.quarantined.len(), 1);
    let committed = outcome.committed.as_ref().expect("committed");
    assert_eq!(committed.written, 2);
    assert!(outcome.refusal(plan.request()).is_none());
    let q = std::fs::read_to_string(&quarantine).expect("quarantine file");
    assert!(q.starts_with("file,row,field,value,reason\n"), "{q}");
    assert!(q.contains(",4,arrived_at,not a time,"), "{q}");
}

#[test]
fn the_loser_of_the_race_for_a_new_stores_key_imports_again_with_the_winners_key() {
    // Both handles open the new store before either commits, so each holds its own
    // in-memory key; the second to commit must not keep rows under a key the store lacks.
    let dir = tempfile::tempdir().expect("temp dir");
    let store_dir = dir.path().join("store");
    let first = pacta_ops::store::open(&store_dir).expect("store");
    let second = pacta_ops::store::open(&store_dir).expect("store");
    let plan_for = |name: &str, id: &str| {
        let text = format!(
            "source_id,queue,arrived_at,outcome,wait_s,customer_key\n{id},retail,2026-10-01 09:00:00,answered,12,+63 917 555 0101\n"
        );
        let request = ImportRequest {
            format: Some("csv".into()),
            paths: vec![write(dir.path(), name, &text)],
            ..ImportRequest::default()
        };
        prepare(&contract(), ImportKind::Interactions, request).expect("prepared")
    };
    plan_for("a.csv", "a1")
        .run(&first, None, imported_at(), None)
        .expect("first import");
    let outcome = plan_for("b.csv", "b1")
        .run(&second, None, imported_at(), None)
        .expect("second import runs again with the store's key");
    assert_eq!(outcome.committed.expect("committed").written, 1);
    let reopened = pacta_ops::store::open(&store_dir).expect("store");
    let month: pacta_core::Month = "2026-10".parse().expect("month");
    let table = reopened
        .load_interactions("AFB-MNL-2026", month)
        .expect("month");
    assert_eq!(table.row_count(), 2);
    assert_eq!(
        table.customer(0),
        table.customer(1),
        "one customer, one pseudonym"
    );
    assert_eq!(
        table.customer(0),
        Some(first.pseudonymizer().key64("+63 917 555 0101"))
    );
}

#[test]
fn the_quarantine_limit_refuses_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "calls.csv", INTERACTIONS);
    let request = ImportRequest {
        format: Some("csv".into()),
        max_quarantine_percent: Some(10.0),
        paths: vec![file],
        ..ImportRequest::default()
    };
    let plan = prepare(&contract(), ImportKind::Interactions, request).expect("prepared");
    let store = pacta_ops::store::open(&dir.path().join("store")).expect("store");
    let outcome = plan.run(&store, None, imported_at(), None).expect("ran");
    assert!(outcome.committed.is_none());
    let refusal = outcome.refusal(plan.request()).expect("refused");
    assert_eq!(
        refusal.to_string(),
        "33.33% of rows quarantined, above --max-quarantine-percent 10; nothing was written"
    );
    assert_eq!(store.info().expect("info").batches, 0);
}

#[test]
fn records_take_their_own_zone() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "surveys.csv", "survey_id\n");
    let request = ImportRequest {
        time_zone: Some("Mars/Olympus".into()),
        paths: vec![file],
        ..ImportRequest::default()
    };
    let err = prepare(
        &contract(),
        ImportKind::Records(RecordKind::Surveys),
        request,
    )
    .expect_err("refused");
    assert_eq!(err.to_string(), "unknown time zone `Mars/Olympus`");
}

#[test]
fn a_forecast_estimate_takes_handle_time_by_the_one_rule() {
    // Two answered calls in one queue: 100 s of talk, and one with no talk time that lasted
    // 300 s from answer to end. The one rule gives the second no handle time, so the queue's
    // AHT is 100 s (the estimate used to fall back to end − answer and say 200 s).
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(
        dir.path(),
        "calls.csv",
        "source_id,channel,queue,arrived_at,answered_at,ended_at,outcome,talk_s\n\
         a,voice_in,cards,2026-10-05 09:00:00,2026-10-05 09:00:10,2026-10-05 09:01:50,answered,100\n\
         b,voice_in,cards,2026-10-05 09:10:00,2026-10-05 09:10:10,2026-10-05 09:15:10,answered,\n",
    );
    let store_dir = dir.path().join("store");
    let request = ImportRequest {
        format: Some("csv".into()),
        paths: vec![file],
        ..ImportRequest::default()
    };
    let store = pacta_ops::store::open(&store_dir).expect("store");
    prepare(&contract(), ImportKind::Interactions, request)
        .expect("prepared")
        .run(&store, None, imported_at(), None)
        .expect("imported");
    let input = pacta_ops::plan::PlanInput {
        forecast: pacta_ops::plan::ForecastInput::Store {
            dir: store_dir,
            month: pacta_core::Month::parse("2026-10").expect("month"),
            write_forecast: None,
        },
        staffing: None,
    };
    let plan = pacta_ops::plan::plan(&contract(), &input, &Default::default()).expect("planned");
    let estimate = plan.estimate.as_ref().expect("estimated from the store");
    let cards = estimate
        .queues
        .iter()
        .find(|q| q.queue == "cards")
        .expect("the queue");
    assert_eq!(cards.answered, 1, "{cards:?}");
    assert_eq!(cards.aht_s, Some(100.0));
}

#[test]
fn a_quarantine_limit_must_be_a_percentage() {
    let dir = tempfile::tempdir().expect("temp dir");
    let file = write(dir.path(), "calls.csv", INTERACTIONS);
    for given in [f64::NAN, -1.0, 100.5] {
        let request = ImportRequest {
            format: Some("csv".into()),
            max_quarantine_percent: Some(given),
            paths: vec![file.clone()],
            ..ImportRequest::default()
        };
        let err = prepare(&contract(), ImportKind::Interactions, request).expect_err("refused");
        assert_eq!(err.code(), "import-quarantine-limit-invalid", "{given}");
    }
    let request = ImportRequest {
        format: Some("csv".into()),
        max_quarantine_percent: Some(f64::NAN),
        paths: vec![file],
        ..ImportRequest::default()
    };
    let err = prepare(&contract(), ImportKind::Interactions, request).expect_err("refused");
    assert_eq!(
        err.message(Lang::En),
        "--max-quarantine-percent NaN: give a percentage from 0 to 100"
    );
}
