//! `pacta kpi` end to end, and the independent cross-check on real data: the Anonymous Bank
//! August log imported and measured per queue must agree with DuckDB SQL written from the
//! specs (`bench/kpi/anonbank_duckdb.py`, its output committed in
//! `testdata/expected/anonbank-kpi-duckdb.json`): counts exactly, rates to 1e-9.
#![allow(clippy::unwrap_used)]

use crate::common::pacta;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The Anonymous Bank August log imported into a fresh store.
fn anonbank_store(dir: &Path) -> (PathBuf, PathBuf) {
    let contract = root().join("testdata/anonbank-contract.toml");
    let store = dir.join("store");
    pacta()
        .args(["import", "--contract", s(&contract), "--format", "anonbank"])
        .args(["--time-zone", "Asia/Jerusalem", "--store", s(&store)])
        .arg(root().join("testdata/anonbank-august.csv"))
        .assert()
        .success();
    (contract, store)
}

#[test]
fn anonbank_kpis_per_queue_agree_with_duckdb() {
    let dir = tempfile::tempdir().unwrap();
    let (contract, store) = anonbank_store(dir.path());
    let out = pacta()
        .args(["kpi", "--contract", s(&contract), "--month", "2010-08"])
        .args(["--store", s(&store), "--by", "queue", "--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let report: Value = serde_json::from_slice(&out.stdout).unwrap();
    let expected: Value = serde_json::from_str(
        &std::fs::read_to_string(root().join("testdata/expected/anonbank-kpi-duckdb.json"))
            .unwrap(),
    )
    .unwrap();
    let queues = expected["queues"].as_object().unwrap();
    assert_eq!(queues.len(), 6, "PS, PE, IN, NE, NW, TT");
    let results = report["results"].as_array().unwrap();
    assert_eq!(results.len(), 18);
    let mut compared = 0;
    for r in results {
        let id = r["request"]["id"].as_str().unwrap();
        let groups = r["groups"].as_array().unwrap();
        assert_eq!(groups.len(), queues.len(), "{id}: one group per queue");
        for g in groups {
            let queue = g["group"]["queue"].as_str().unwrap();
            let periods = g["periods"].as_array().unwrap();
            assert_eq!(periods.len(), 1, "{id}: one monthly period");
            let got = &periods[0]["value"];
            let want = &queues[queue][id];
            assert!(!want.is_null(), "no DuckDB figure for {queue}/{id}");
            // Counts: numerator and denominator exactly, where DuckDB reports them.
            for part in ["numerator", "denominator"] {
                if let Some(w) = want[part].as_f64()
                    && !matches!(id, "MAXW" | "P80" | "P90" | "P95")
                {
                    assert_eq!(got[part].as_f64().unwrap(), w, "{queue}/{id} {part}");
                }
            }
            match (got["value"].as_f64(), want["value"].as_f64()) {
                (Some(g), Some(w)) => {
                    assert!(
                        (g - w).abs() <= 1e-9,
                        "{queue}/{id}: pacta {g} vs DuckDB {w}"
                    )
                }
                (None, None) => {}
                (g, w) => panic!("{queue}/{id}: pacta {g:?} vs DuckDB {w:?}"),
            }
            compared += 1;
        }
    }
    assert_eq!(compared, 18 * 6);
    // The counts behind the service levels, checked on their own.
    let ps = &queues["PS"]["counts"];
    assert_eq!(ps["O"], 25219);
    assert_eq!(
        ps["A"].as_u64().unwrap() + ps["Ab"].as_u64().unwrap(),
        25219
    );
}

#[test]
fn kpi_table_csv_intervals_metrics_and_errors() {
    let dir = tempfile::tempdir().unwrap();
    let (contract, store) = anonbank_store(dir.path());
    let base = |c: &mut Command| {
        c.args(["kpi", "--contract", s(&contract), "--month", "2010-08"])
            .args(["--store", s(&store)]);
    };
    // Table: the whole-month values with their counts.
    let mut c = pacta();
    base(&mut c);
    c.args(["--sla", "SL-ESA", "--sla", "FCR"])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "KPI 2010-08 · Asia/Jerusalem · 38,711 contacts",
        ))
        .stdout(predicate::str::contains(
            "SL-ESA  service_level / exclude_short_abandons",
        ))
        .stdout(predicate::str::contains("15,857 / 38,360"))
        .stdout(predicate::str::contains("ABN-OFF").not());
    // Per-day CSV by queue: one row per day and queue, values unrounded.
    let mut c = pacta();
    base(&mut c);
    let out = c
        .args([
            "--metric",
            "service_level:answered_only",
            "--param",
            "threshold_s=20",
        ])
        .args(["--by", "queue", "--interval", "60", "--format", "csv"])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "id,metric,variant,queue,period,period_start,period_end,value,numerator,denominator,approximate,unit"
    );
    let rows: Vec<&str> = lines.collect();
    assert_eq!(rows.len(), 6 * 31 * 24, "6 queues × 744 hours");
    // Per-hour answered-within-T counts add back to the monthly count of PS.
    let ps_hits: f64 = rows
        .iter()
        .filter(|r| r.contains(",PS,"))
        .map(|r| r.split(',').nth(8).unwrap().parse::<f64>().unwrap())
        .sum();
    assert_eq!(ps_hits, 10925.0);
    // Spanish and errors: bad interval, unknown SLA, unknown metric, bad parameter.
    let mut c = pacta();
    base(&mut c);
    c.args(["--lang", "es", "--interval", "20"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "los intervalos son de 15, 30 o 60 minutos",
        ));
    let mut c = pacta();
    base(&mut c);
    c.args(["--sla", "NOPE"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("the contract has no SLA `NOPE`"));
    let mut c = pacta();
    base(&mut c);
    c.args(["--metric", "speed"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--metric speed: unknown metric `speed`",
        ));
    // An unknown variant is refused before any data is read, naming the flag, in the
    // reader's language (it used to surface from the engine as "cannot compute").
    let mut c = pacta();
    base(&mut c);
    c.args(["--metric", "asa:nope"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--metric asa:nope: metric `asa` has no variant `nope`",
        ));
    let mut c = pacta();
    base(&mut c);
    c.args(["--lang", "es", "--metric", "asa:nope"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--metric asa:nope: la métrica `asa` no tiene la variante `nope`",
        ));
    // One --param set serves every --metric: each takes the parameters it knows.
    let mut c = pacta();
    base(&mut c);
    c.args(["--metric", "wait_p90", "--metric", "service_level:offered"])
        .args(["--param", "threshold_s=30", "--format", "json"])
        .assert()
        .success();
    let mut c = pacta();
    base(&mut c);
    c.args(["--metric", "asa", "--param", "threshold=3"])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("unknown field `threshold`"));
    // A month with no data: a warning, every value "no data".
    pacta()
        .args(["kpi", "--contract", s(&contract), "--month", "2010-09"])
        .args(["--store", s(&store), "--sla", "SL-AO"])
        .assert()
        .success()
        .stderr(predicate::str::contains(
            "warning: no interactions for ANONBANK in 2010-09",
        ))
        .stdout(predicate::str::contains("—"));
}
