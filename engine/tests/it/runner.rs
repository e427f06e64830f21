//! Jobs run end to end: exact file lists, types and values, errors, and the binary.

use std::fs::File;
use std::path::Path;
use std::process::Command;
use std::sync::Arc;

use datafusion::arrow::array::{
    ArrayRef, DictionaryArray, Int64Array, RecordBatch, StringArray, TimestampMillisecondArray,
    UInt64Array,
};
use datafusion::arrow::datatypes::Int32Type;
use datafusion::parquet::arrow::ArrowWriter;
use pacta_engine::{Cell, EngineError, Job, JobResults, Lang, QueryResult, Target, run_job};
use serde_json::json;
use tempfile::TempDir;

/// 2^63 + 5: only exact if no value passes through i64 or f64.
const BIG: u64 = (1 << 63) + 5;
const T0: i64 = 1_700_000_000_000;

fn write_parquet(path: &Path, columns: Vec<(&str, ArrayRef)>) {
    let batch = RecordBatch::try_from_iter(columns).expect("batch");
    let file = File::create(path).expect("create parquet file");
    let mut writer = ArrowWriter::try_new(file, batch.schema(), None).expect("writer");
    writer.write(&batch).expect("write");
    writer.close().expect("close");
}

/// One file of the `calls` table: ids, a dictionary queue, UTC millisecond timestamps, a
/// UInt64 and a nullable note.
fn write_calls(path: &Path, ids: &[i64], queues: &[&str], bigs: &[u64], notes: &[Option<&str>]) {
    let queue: DictionaryArray<Int32Type> = queues.iter().copied().collect();
    let ts =
        TimestampMillisecondArray::from(ids.iter().map(|id| T0 + id * 1000).collect::<Vec<_>>())
            .with_timezone("UTC");
    write_parquet(
        path,
        vec![
            ("id", Arc::new(Int64Array::from(ids.to_vec())) as ArrayRef),
            ("queue", Arc::new(queue)),
            ("ts", Arc::new(ts)),
            ("big", Arc::new(UInt64Array::from(bigs.to_vec()))),
            ("note", Arc::new(StringArray::from(notes.to_vec()))),
        ],
    );
}

/// A directory with `calls` in two listed files and a third, unlisted one next to them, and
/// `queues` in its own file.
fn fixture() -> TempDir {
    let dir = tempfile::tempdir().expect("tempdir");
    let data = dir.path().join("month");
    std::fs::create_dir(&data).expect("mkdir");
    write_calls(
        &data.join("a.parquet"),
        &[1, 2, 3],
        &["cards", "cards", "loans"],
        &[BIG, 1, 2],
        &[Some("x"), None, Some("y")],
    );
    write_calls(
        &data.join("b.parquet"),
        &[4, 5],
        &["loans", "cards"],
        &[3, 4],
        &[None, Some("z")],
    );
    let orphans: Vec<i64> = (100..200).collect();
    write_calls(
        &data.join("orphan.parquet"),
        &orphans,
        &vec!["cards"; orphans.len()],
        &vec![u64::MAX; orphans.len()],
        &vec![None; orphans.len()],
    );
    write_parquet(
        &dir.path().join("queues.parquet"),
        vec![
            (
                "queue",
                Arc::new(StringArray::from(vec!["cards", "loans"])) as ArrayRef,
            ),
            ("site", Arc::new(StringArray::from(vec![Some("mad"), None]))),
        ],
    );
    dir
}

/// The job over [`fixture`], with relative paths where the binary tests want them.
fn job_json(dir: &Path, queries: serde_json::Value) -> serde_json::Value {
    json!({
        "format": 1,
        "tables": [
            {"name": "calls", "files": [dir.join("month/a.parquet"), "month/b.parquet"]},
            {"name": "queues", "files": ["queues.parquet"]},
            {"name": "unused", "files": []}
        ],
        "queries": queries
    })
}

fn job(dir: &Path, queries: serde_json::Value) -> Job {
    Job::from_json(&job_json(dir, queries).to_string(), dir).expect("valid job")
}

fn the_queries() -> serde_json::Value {
    json!([
        {"name": "summary", "sql": "SELECT COUNT(*) AS rows FROM calls"},
        {"name": "counts", "sql": "
            SELECT c.queue AS queue, q.site AS site, COUNT(*) AS n,
                   CAST(MIN(c.ts) AS BIGINT) AS first_ms, MAX(c.big) AS big, 7 / 2 AS half
            FROM calls c JOIN queues q ON c.queue = q.queue
            GROUP BY c.queue, q.site"},
        {"name": "first", "sql": "SELECT queue, note FROM calls WHERE id = 1"},
        {"name": "null_note", "sql": "SELECT note, id > 1 AS later FROM calls WHERE id = 2"}
    ])
}

fn int(v: impl Into<i128>) -> Cell {
    Cell::Int(v.into())
}

fn s(v: &str) -> Cell {
    Cell::Str(v.to_string())
}

/// The rows in a fixed order: the engines may return them in any.
fn sorted(result: &QueryResult) -> Vec<Vec<Cell>> {
    let mut rows = result.rows.clone();
    rows.sort_by_key(|row| format!("{row:?}"));
    rows
}

fn result<'a>(results: &'a JobResults, name: &str) -> &'a QueryResult {
    results
        .get(name)
        .unwrap_or_else(|| panic!("no result {name}"))
}

fn check_the_results(results: &JobResults) {
    let summary = result(results, "summary");
    assert_eq!(summary.columns, ["rows"]);
    // The orphan file's 100 rows are not counted.
    assert_eq!(summary.rows, [[int(5)]]);

    let counts = result(results, "counts");
    assert_eq!(
        counts.columns,
        ["queue", "site", "n", "first_ms", "big", "half"]
    );
    assert_eq!(
        sorted(counts),
        [
            vec![
                s("cards"),
                s("mad"),
                int(3),
                int(T0 + 1000),
                int(BIG),
                int(3)
            ],
            vec![
                s("loans"),
                Cell::Null,
                int(2),
                int(T0 + 3000),
                int(3),
                int(3)
            ],
        ]
    );

    let first = result(results, "first");
    assert_eq!(first.rows, [[s("cards"), s("x")]]);
    let null_note = result(results, "null_note");
    assert_eq!(null_note.rows, [[Cell::Null, Cell::Bool(true)]]);
}

#[tokio::test(flavor = "multi_thread")]
async fn datafusion_reads_exactly_the_listed_files() {
    let dir = fixture();
    let job = job(dir.path(), the_queries());
    let results = run_job(&job, &Target::DataFusion).await.expect("runs");
    assert_eq!(results.engine, "datafusion");
    assert_eq!(results.format, 1);
    let names: Vec<_> = results.results.iter().map(|r| r.name.as_str()).collect();
    assert_eq!(names, ["summary", "counts", "first", "null_note"]);
    check_the_results(&results);
}

#[tokio::test(flavor = "multi_thread")]
async fn ballista_standalone_gives_the_same_results() {
    let dir = fixture();
    let job = job(dir.path(), the_queries());
    let on_datafusion = run_job(&job, &Target::DataFusion).await.expect("runs");
    let on_ballista = run_job(&job, &Target::BallistaStandalone)
        .await
        .expect("runs");
    assert_eq!(on_ballista.engine, "ballista-standalone");
    check_the_results(&on_ballista);
    for (a, b) in on_datafusion.results.iter().zip(&on_ballista.results) {
        assert_eq!((&a.name, &a.columns), (&b.name, &b.columns));
        assert_eq!(sorted(a), sorted(b), "{}", a.name);
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn file_names_are_taken_literally() {
    let dir = fixture();
    // Neither a glob nor a `.parquet` name: read as the file it names, on both engines.
    let odd = dir.path().join("month/odd [1]*?.bin");
    std::fs::copy(dir.path().join("month/b.parquet"), &odd).expect("copy");
    let job = Job::from_json(
        &json!({
            "format": 1,
            "tables": [{"name": "calls", "files": [odd]}],
            "queries": [{"name": "rows", "sql": "SELECT COUNT(*) AS n, SUM(id) AS ids FROM calls"}]
        })
        .to_string(),
        dir.path(),
    )
    .expect("valid job");
    for target in [Target::DataFusion, Target::BallistaStandalone] {
        let results = run_job(&job, &target).await.expect("runs");
        assert_eq!(
            result(&results, "rows").rows,
            [[int(2), int(9)]],
            "{target:?}"
        );
    }
}

#[tokio::test(flavor = "multi_thread")]
async fn files_with_conflicting_schemas_are_refused() {
    let dir = fixture();
    let other = dir.path().join("month/text_ids.parquet");
    write_parquet(
        &other,
        vec![("id", Arc::new(StringArray::from(vec!["1"])) as ArrayRef)],
    );
    let mut job = job(
        dir.path(),
        json!([{"name": "n", "sql": "SELECT COUNT(*) AS n FROM calls"}]),
    );
    job.tables[0].files.push(other);
    let error = run_job(&job, &Target::DataFusion)
        .await
        .expect_err("conflict");
    assert_eq!(code(&error), "engine-table");
    assert!(error.message(Lang::En).contains("`calls`"), "{error}");
}

/// The error's code, after checking that its two languages say different, non-empty things.
fn code(error: &EngineError) -> &'static str {
    let (en, es) = (error.message(Lang::En), error.message(Lang::Es));
    assert!(!en.is_empty() && !es.is_empty());
    assert_ne!(en, es);
    error.code()
}

#[tokio::test(flavor = "multi_thread")]
async fn a_missing_file_stops_the_job_before_anything_runs() {
    let dir = fixture();
    let mut job = job(
        dir.path(),
        // Were queries run first, this one's error would come out instead.
        json!([{"name": "broken", "sql": "SELECT nope FROM calls"}]),
    );
    job.tables[1].files.push(dir.path().join("month/c.parquet"));
    let error = run_job(&job, &Target::DataFusion)
        .await
        .expect_err("missing file");
    assert_eq!(code(&error), "engine-missing-file");
    let message = error.message(Lang::En);
    assert!(
        message.contains("queues") && message.contains("c.parquet"),
        "{message}"
    );
}

#[test]
fn job_files_are_checked_on_reading() {
    let dir = Path::new("/");
    let format =
        Job::from_json(r#"{"format": 2, "tables": [], "queries": []}"#, dir).expect_err("format 2");
    assert_eq!(code(&format), "engine-job-format");

    // pacta engine sql names the dialect; SQL written for Spark is refused, not run.
    let spark = Job::from_json(
        r#"{"format": 1, "dialect": "spark", "tables": [], "queries": []}"#,
        dir,
    )
    .expect_err("spark");
    assert_eq!(code(&spark), "engine-job-dialect");
    assert!(spark.message(Lang::Es).contains("dialecto spark"));
    // Rendered as `error[engine-job-dialect]: …`, it fits a 100-column terminal.
    for lang in [Lang::En, Lang::Es] {
        let line = format!("error[{}]: {}", code(&spark), spark.message(lang));
        assert!(line.chars().count() <= 100, "{line}");
    }
    for runs_here in ["datafusion", "ballista"] {
        let job = Job::from_json(
            &format!(r#"{{"format": 1, "dialect": "{runs_here}", "tables": [], "queries": []}}"#),
            dir,
        );
        assert!(job.is_ok(), "{runs_here}");
    }

    let syntax = Job::from_json("{\"format\": 1,\n\"tables\": [}", dir).expect_err("syntax");
    assert_eq!(code(&syntax), "engine-job-json");
    assert!(
        syntax.message(Lang::En).contains("line 2, column"),
        "{syntax}"
    );
    assert!(syntax.message(Lang::Es).contains("línea 2, columna"));

    let name = Job::from_json(
        r#"{"format": 1, "tables": [{"name": "Calls", "files": []}], "queries": []}"#,
        dir,
    )
    .expect_err("bad name");
    assert_eq!(code(&name), "engine-bad-table-name");
}

#[tokio::test(flavor = "multi_thread")]
async fn float_columns_and_sql_errors_name_their_query() {
    let dir = fixture();
    let float = job(
        dir.path(),
        json!([{"name": "average", "sql": "SELECT AVG(id) AS mean_id FROM calls"}]),
    );
    let error = run_job(&float, &Target::DataFusion)
        .await
        .expect_err("float");
    assert_eq!(code(&error), "engine-unsupported-type");
    let message = error.message(Lang::En);
    assert!(
        message.contains("average") && message.contains("mean_id"),
        "{message}"
    );

    let sql = job(
        dir.path(),
        json!([{"name": "ok", "sql": "SELECT 1 AS one"}, {"name": "typo", "sql": "SELEC 1"}]),
    );
    let error = run_job(&sql, &Target::DataFusion).await.expect_err("sql");
    assert_eq!(code(&error), "engine-query");
    assert!(error.message(Lang::Es).contains("`typo`"), "{error}");

    // A job reads; it never writes.
    let ddl = job(
        dir.path(),
        json!([{"name": "ddl", "sql": "CREATE TABLE t AS SELECT 1 AS one"}]),
    );
    let error = run_job(&ddl, &Target::DataFusion).await.expect_err("ddl");
    assert_eq!(code(&error), "engine-query");
}

fn binary() -> Command {
    let mut command = Command::new(env!("CARGO_BIN_EXE_pacta-engine"));
    command.env_remove("PACTA_LANG");
    command
}

#[test]
fn the_binary_runs_a_job_file_on_both_engines() {
    let dir = fixture();
    let job_path = dir.path().join("job.json");
    std::fs::write(&job_path, job_json(dir.path(), the_queries()).to_string()).expect("job");
    for (engine, label) in [
        ("datafusion", "datafusion"),
        ("ballista", "ballista-standalone"),
    ] {
        let out = dir.path().join(format!("results-{engine}.json"));
        let run = binary()
            .current_dir(dir.path())
            .args(["run", "--job", "job.json", "--engine", engine, "--out"])
            .arg(&out)
            .output()
            .expect("run the binary");
        assert!(
            run.status.success(),
            "{}",
            String::from_utf8_lossy(&run.stderr)
        );
        let results: JobResults =
            serde_json::from_slice(&std::fs::read(&out).expect("results")).expect("json");
        assert_eq!(results.engine, label);
        check_the_results(&results);
    }
}

#[test]
fn the_binary_reports_a_bad_job_with_its_code() {
    let dir = tempfile::tempdir().expect("tempdir");
    let job_path = dir.path().join("job.json");
    std::fs::write(&job_path, "{\"format\": 1,\n").expect("job");
    let run = binary()
        .args(["run", "--engine", "datafusion", "--job"])
        .arg(&job_path)
        .output()
        .expect("run the binary");
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(stderr.starts_with("error[engine-job-json]: "), "{stderr}");
    assert!(run.stdout.is_empty());

    let run = binary()
        .env("PACTA_LANG", "es")
        .args(["run", "--engine", "datafusion", "--job"])
        .arg(dir.path().join("absent.json"))
        .output()
        .expect("run the binary");
    assert_eq!(run.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&run.stderr);
    assert!(
        stderr.starts_with("error[engine-job-read]: no se pudo leer"),
        "{stderr}"
    );
}
