//! Counting a month's KPI cells on an existing engine (DataFusion in-process, Ballista as a
//! cluster) instead of pacta's own scan.
//!
//! pacta-kpi plans the cells and lowers them to SQL ([`pacta_kpi::lower`]); this module writes
//! the job the `pacta-engine` program runs — the store snapshot's file list (from the
//! manifest, never a directory listing), the dimension tables as Parquet and the queries —
//! runs it, and reads the counters back. pacta-kpi's own aggregation and formulas then turn
//! them into values, so the figures are the local engine's by construction wherever the
//! counters agree (the conformance test in `engine/` checks that they do).

use std::path::{Path, PathBuf};
use std::process::Command;

use pacta_contract::Contract;
use pacta_core::{Lang, Month};
use pacta_data::parquet_io::{PlainColumn, write_plain_table};
use pacta_data::store::Store;
use pacta_kpi::lower::{self, Dialect, DimValues, LowerOptions, QueryRows, SqlValue};
use pacta_kpi::{CellPlan, CellSource, ExternalCells, KpiError, KpiRequest};
use serde_json::{Value, json};

use crate::month_data;
use crate::{OpError, OpResult};

/// Where the cells are counted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EngineKind {
    /// DataFusion, in the `pacta-engine` process.
    DataFusion,
    /// Ballista: a scheduler at `df://host:port`, or (`None`) a scheduler and an executor
    /// started inside the `pacta-engine` process.
    Ballista {
        /// The scheduler's URL.
        scheduler: Option<String>,
    },
}

/// How to reach an engine.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EngineSetup {
    /// Which engine.
    pub kind: EngineKind,
    /// The `pacta-engine` program.
    pub program: PathBuf,
    /// A directory for the job's files (dimension tables, SQL, answers). With a Ballista
    /// cluster it must be on storage the executors share, at the same path.
    pub work_dir: PathBuf,
    /// Language of the engine's error messages.
    pub lang: Lang,
}

/// The store files one month is read from: exactly what the snapshot's manifest lists.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct MonthFiles {
    /// The month's interaction files.
    pub month: Vec<PathBuf>,
    /// The next month's files, read for repeat-contact FCR.
    pub next: Vec<PathBuf>,
    /// Only the next month's contacts arriving before this instant (UTC ms) are read.
    pub next_before_ms: Option<i64>,
    /// Rows the manifest records for the month's files.
    pub month_rows: u64,
}

/// The files of `contract`'s `month` in the store's current snapshot, and of the next month
/// when FCR reads past the month end (as the local engine loads it).
pub fn month_files(store: &Store, contract: &Contract, month: Month) -> OpResult<MonthFiles> {
    let id = &contract.doc.contract.id;
    let files = store.files(None)?;
    let of = |m: Month| {
        let m = m.to_string();
        files
            .iter()
            .filter(|f| f.kind == "interactions" && &f.contract == id)
            .filter(|f| f.month.as_deref() == Some(m.as_str()))
            .collect::<Vec<_>>()
    };
    let this = of(month);
    let (next, next_before_ms) = match month_data::next_month_reach(store, contract, month)? {
        Some((next, before)) => (
            of(next).into_iter().map(|f| f.path.clone()).collect(),
            Some(before),
        ),
        None => (Vec::new(), None),
    };
    Ok(MonthFiles {
        month_rows: this.iter().map(|f| f.rows).sum(),
        month: this.into_iter().map(|f| f.path.clone()).collect(),
        next_before_ms: next_before_ms.filter(|_| !next.is_empty()),
        next,
    })
}

/// A job written for an engine: its directory and the job file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct WrittenJob {
    /// The job file (`job.json`).
    pub job: PathBuf,
    /// The SQL files, one per query.
    pub sql: Vec<PathBuf>,
    /// The dimension tables' Parquet files.
    pub dims: Vec<PathBuf>,
}

/// Writes the job for `plan` into `dir`: `job.json` (tables and queries), `dims/*.parquet`
/// and `sql/NN-name.sql`.
pub fn write_job(
    dir: &Path,
    plan: &CellPlan,
    files: &MonthFiles,
    dialect: Dialect,
) -> OpResult<WrittenJob> {
    let lowered = lower::lower(
        plan,
        LowerOptions {
            dialect,
            next_month_before_ms: files.next_before_ms,
        },
    )?;
    let write_err = |path: &Path, source| OpError::Write {
        path: path.to_path_buf(),
        source,
    };
    let dims_dir = dir.join("dims");
    let sql_dir = dir.join("sql");
    for d in [&dims_dir, &sql_dir] {
        std::fs::create_dir_all(d).map_err(|e| write_err(d, e))?;
    }
    let path_text = |p: &Path| p.to_string_lossy().into_owned();
    let mut tables = vec![
        json!({"name": "pacta_month", "files": files.month.iter().map(|p| path_text(p)).collect::<Vec<_>>()}),
    ];
    if files.next_before_ms.is_some() {
        tables.push(json!({"name": "pacta_next", "files": files.next.iter().map(|p| path_text(p)).collect::<Vec<_>>()}));
    }
    let mut dims = Vec::new();
    for t in &lowered.dims {
        let path = dims_dir.join(format!("{}.parquet", t.name));
        let columns: Vec<(&str, PlainColumn<'_>)> = t
            .columns
            .iter()
            .map(|(name, v)| {
                (
                    *name,
                    match v {
                        DimValues::Int(v) => PlainColumn::Int(v),
                        DimValues::Text(v) => PlainColumn::Text(v),
                    },
                )
            })
            .collect();
        write_plain_table(&path, &columns)?;
        tables.push(json!({"name": t.name, "files": [path_text(&path)]}));
        dims.push(path);
    }
    let mut sql = Vec::new();
    for (n, q) in lowered.queries.iter().enumerate() {
        let path = sql_dir.join(format!("{n:02}-{}.sql", q.name));
        std::fs::write(&path, format!("{}\n", q.sql)).map_err(|e| write_err(&path, e))?;
        sql.push(path);
    }
    let job = json!({
        "format": 1,
        "dialect": dialect.as_str(),
        "tables": tables,
        "queries": lowered.queries.iter().map(|q| json!({"name": q.name, "sql": q.sql})).collect::<Vec<_>>(),
    });
    let job_path = dir.join("job.json");
    let text = serde_json::to_string_pretty(&job).map_err(|e| OpError::Encode {
        what: "engine job",
        detail: e.to_string(),
    })?;
    std::fs::write(&job_path, text).map_err(|e| write_err(&job_path, e))?;
    Ok(WrittenJob {
        job: job_path,
        sql,
        dims,
    })
}

/// The job `pacta engine sql` writes: the contract's SLAs for `month`, lowered to `dialect`.
/// `None` when no SLA reads interactions.
pub fn export_sql(
    store: &Store,
    contract: &Contract,
    month: Month,
    requests: &[KpiRequest],
    dialect: Dialect,
    dir: &Path,
) -> OpResult<Option<WrittenJob>> {
    let files = month_files(store, contract, month)?;
    if files.month.is_empty() {
        return Err(OpError::NoInteractions {
            contract_id: contract.doc.contract.id.clone(),
            month,
            store: store.dir().to_path_buf(),
        });
    }
    match pacta_kpi::cell_plan(contract, month, requests, &[])? {
        Some(plan) => Ok(Some(write_job(dir, &plan, &files, dialect)?)),
        None => Ok(None),
    }
}

/// Counts cells by running `pacta-engine` on a month's files.
#[derive(Debug)]
pub struct ExternalEngine {
    setup: EngineSetup,
    files: MonthFiles,
    job_dir: PathBuf,
}

impl ExternalEngine {
    /// An engine for `contract`'s `month` in the store's current snapshot.
    pub fn new(
        setup: &EngineSetup,
        store: &Store,
        contract: &Contract,
        month: Month,
    ) -> OpResult<ExternalEngine> {
        let files = month_files(store, contract, month)?;
        let job_dir = setup.work_dir.join(format!(
            "pacta-engine-job-{}-{month}-{}",
            contract.doc.contract.id,
            std::process::id()
        ));
        Ok(ExternalEngine {
            setup: setup.clone(),
            files,
            job_dir,
        })
    }

    fn run(&self, plan: &CellPlan) -> OpResult<ExternalCells> {
        let dialect = match self.setup.kind {
            EngineKind::DataFusion => Dialect::DataFusion,
            EngineKind::Ballista { .. } => Dialect::Ballista,
        };
        let written = write_job(&self.job_dir, plan, &self.files, dialect)?;
        let answers_path = self.job_dir.join("answers.json");
        let mut cmd = Command::new(&self.setup.program);
        cmd.arg("run")
            .arg("--job")
            .arg(&written.job)
            .arg("--out")
            .arg(&answers_path)
            .arg("--lang")
            .arg(self.setup.lang.code());
        match &self.setup.kind {
            EngineKind::DataFusion => {
                cmd.args(["--engine", "datafusion"]);
            }
            EngineKind::Ballista { scheduler } => {
                cmd.args(["--engine", "ballista"]);
                if let Some(s) = scheduler {
                    cmd.arg("--scheduler").arg(s);
                }
            }
        }
        let output = cmd.output().map_err(|e| {
            KpiError::Engine(format!(
                "could not start {} ({e}); build it with `cargo build --release --manifest-path engine/Cargo.toml` or set PACTA_ENGINE",
                self.setup.program.display()
            ))
        })?;
        if !output.status.success() {
            let stderr = String::from_utf8_lossy(&output.stderr);
            return Err(KpiError::Engine(stderr.trim().to_string()).into());
        }
        let text = std::fs::read_to_string(&answers_path).map_err(|source| OpError::Read {
            path: answers_path.clone(),
            source,
        })?;
        let answers = parse_answers(&text)?;
        Ok(lower::decode(plan, &answers)?)
    }
}

impl CellSource for ExternalEngine {
    fn cells(&self, plan: &CellPlan) -> Result<ExternalCells, KpiError> {
        if self.files.month.is_empty() {
            // As the local engine over an empty table: no rows, every value "no data". The
            // next month alone cannot hold a contact of this month's periods.
            return Ok(ExternalCells::default());
        }
        let result = self.run(plan);
        // The job is scratch: its inputs are the store's files and this plan.
        let _ = std::fs::remove_dir_all(&self.job_dir);
        result.map_err(|e| match e {
            OpError::Kpi(k) => k,
            other => KpiError::Engine(other.to_string()),
        })
    }
}

/// Reads `pacta-engine`'s answers (`{"results": [{"name", "columns", "rows"}]}`).
fn parse_answers(text: &str) -> Result<Vec<QueryRows>, KpiError> {
    let bad = |what: String| KpiError::Engine(format!("unreadable engine answer: {what}"));
    let v: Value = serde_json::from_str(text)
        .map_err(|e| bad(format!("line {} column {}: {e}", e.line(), e.column())))?;
    let results = v
        .get("results")
        .and_then(Value::as_array)
        .ok_or_else(|| bad("no `results` list".into()))?;
    results
        .iter()
        .enumerate()
        .map(|(i, r)| {
            let at = |k: &str| format!("results[{i}].{k}");
            let name = r
                .get("name")
                .and_then(Value::as_str)
                .ok_or_else(|| bad(at("name")))?;
            let columns = r
                .get("columns")
                .and_then(Value::as_array)
                .ok_or_else(|| bad(at("columns")))?
                .iter()
                .map(|c| {
                    c.as_str()
                        .map(str::to_string)
                        .ok_or_else(|| bad(at("columns")))
                })
                .collect::<Result<Vec<_>, _>>()?;
            let rows = r
                .get("rows")
                .and_then(Value::as_array)
                .ok_or_else(|| bad(at("rows")))?
                .iter()
                .enumerate()
                .map(|(n, row)| {
                    row.as_array()
                        .ok_or_else(|| bad(format!("results[{i}].rows[{n}]")))?
                        .iter()
                        .enumerate()
                        .map(|(c, cell)| match cell {
                            Value::Null => Ok(SqlValue::Null),
                            Value::String(s) => Ok(SqlValue::Text(s.clone())),
                            Value::Number(x) => x
                                .as_i64()
                                .map(SqlValue::Int)
                                .ok_or_else(|| bad(format!("results[{i}].rows[{n}][{c}] = {x}"))),
                            other => Err(bad(format!("results[{i}].rows[{n}][{c}] = {other}"))),
                        })
                        .collect::<Result<Vec<_>, _>>()
                })
                .collect::<Result<Vec<_>, _>>()?;
            Ok(QueryRows {
                name: name.to_string(),
                columns,
                rows,
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn answers_are_read_exactly_and_bad_ones_are_located() {
        let ok = r#"{"format":1,"engine":"datafusion","results":[
            {"name":"summary","columns":["row_count","invalid"],"rows":[[9007199254740993,0]]},
            {"name":"counts","columns":["ch","q","s"],"rows":[[1,"cards",null]]}]}"#;
        let a = parse_answers(ok).expect("parses");
        assert_eq!(a[0].rows[0][0], SqlValue::Int(9_007_199_254_740_993));
        assert_eq!(
            a[1].rows[0],
            vec![
                SqlValue::Int(1),
                SqlValue::Text("cards".into()),
                SqlValue::Null
            ]
        );
        let float = r#"{"results":[{"name":"counts","columns":["c0"],"rows":[[1.5]]}]}"#;
        let e = parse_answers(float).expect_err("a float is refused");
        assert!(e.to_string().contains("results[0].rows[0][0] = 1.5"), "{e}");
        let broken = "{\n  \"results\": [";
        let e = parse_answers(broken).expect_err("syntax");
        assert!(e.to_string().contains("line 2"), "{e}");
    }
}
