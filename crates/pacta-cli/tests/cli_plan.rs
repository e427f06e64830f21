//! `pacta plan`: staffing from a forecast file against the contract's service level, the
//! vendor's plan checked interval by interval, a forecast estimated from the store, the HTML
//! chart, and every bad input refused with its file, row and column.
#![allow(clippy::unwrap_used)]

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;
use serde_json::Value;

fn bank() -> String {
    format!(
        "{}/../../examples/bank-inbound-manila.toml",
        env!("CARGO_MANIFEST_DIR")
    )
}

fn pacta() -> Command {
    let mut c = Command::cargo_bin("pacta").unwrap();
    c.env_remove("PACTA_LANG");
    c
}

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.to_str().unwrap().to_string()
}

fn plan_json(args: &[&str]) -> (Value, i32) {
    let out = pacta()
        .args(["plan", "--contract", &bank(), "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code == 0 || code == 3,
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    (serde_json::from_slice(&out.stdout).unwrap(), code)
}

#[test]
fn r_erlangc_vector_through_a_forecast_file() {
    // The R ErlangC package's example: 100 calls per 30 min, AHT 180 s, 80 % in 20 s → 14
    // agents, SL 0.88835, ASA 7.836 s, occupancy 10 / 14.
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "f.csv",
        "interval_start,queue,volume,aht_s\n2026-11-02 09:00,cards,100,180\n",
    );
    let (p, code) = plan_json(&["--forecast", &f, "--target", "80", "--threshold-s", "20"]);
    assert_eq!(code, 0);
    let i = &p["intervals"][0];
    assert_eq!(i["erlang_c_agents"], 14);
    assert!((i["erlang_c_service_level"].as_f64().unwrap() - 0.88835).abs() < 5e-6);
    assert!((i["erlang_c_asa_s"].as_f64().unwrap() - 7.836).abs() < 5e-4);
    assert!((i["erlang_c_occupancy"].as_f64().unwrap() - 10.0 / 14.0).abs() < 1e-12);
    assert_eq!(i["offered_load"], 10.0);
    // 30 % shrinkage: 14 / 0.7 = 20 scheduled; 14 agents × 0.5 h = 7 agent hours.
    assert_eq!(i["scheduled_agents"], 20);
    assert_eq!(p["totals"]["erlang_c_agent_hours"], 7.0);
    assert_eq!(p["totals"]["scheduled_fte_hours"], 10.0);
    // The interval starts in the contract's zone (Manila, UTC+8).
    assert_eq!(i["interval_start"], "2026-11-02 09:00");
    // Without flags, T, target and variant come from the contract's voice SLA (85 % in 20 s).
    let (p, _) = plan_json(&["--forecast", &f]);
    assert_eq!(p["sla"], "SL-VOICE");
    assert_eq!(p["target_percent"], 85.0);
    assert_eq!(p["variant"], "exclude_short_abandons");
    assert!(p["intervals"][0]["erlang_c_agents"].as_u64().unwrap() >= 14);
}

#[test]
fn vendor_plan_is_checked_interval_by_interval() {
    let dir = tempfile::tempdir().unwrap();
    let f = write(
        dir.path(),
        "f.csv",
        "interval_start,queue,volume,aht_s,patience_s\n\
         2026-11-02 09:00,cards,100,180,120\n\
         2026-11-02 09:30,cards,100,180,120\n\
         2026-11-02T10:00:00+08:00,cards,100,180,120\n",
    );
    // Enough agents at 09:00, too few at 09:30 and 10:00; the 10:00 forecast row is written
    // in RFC 3339 and must match the local 10:00 of the staffing plan.
    let s = write(
        dir.path(),
        "s.csv",
        "interval_start,queue,agents\n2026-11-02 09:00,cards,15\n2026-11-02 09:30,cards,10\n2026-11-02 10:00,cards,10\n",
    );
    let (p, code) = plan_json(&[
        "--forecast",
        &f,
        "--staffing",
        &s,
        "--target",
        "80",
        "--threshold-s",
        "20",
    ]);
    assert_eq!(code, 3, "an interval at risk exits 3");
    let risk: Vec<bool> = p["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["at_risk"].as_bool().unwrap())
        .collect();
    assert_eq!(risk, [false, true, true]);
    assert_eq!(p["totals"]["intervals_at_risk"], 2);
    assert_eq!(p["totals"]["planned_agent_hours"], 17.5);
    // Erlang A with patience needs no more agents than Erlang C here.
    let i = &p["intervals"][0];
    assert!(i["erlang_a_agents"].as_u64().unwrap() <= i["erlang_c_agents"].as_u64().unwrap());
    // The month-level service level of the plan pools the intervals; 10 agents on a load of
    // 10 Erlang answer few in time, so the month is below 80 %.
    let m = &p["totals"]["planned_month"];
    let sl = m["erlang_a_service_level"].as_f64().unwrap();
    let per: Vec<f64> = p["intervals"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| i["planned_service_level_a"].as_f64().unwrap())
        .collect();
    assert!(sl < 0.8 && sl > per[1] && sl < per[0], "{sl} vs {per:?}");
    assert_eq!(per[1], per[2]);
    assert_eq!(m["meets_target"], false);
    // The table says the same in Spanish.
    pacta()
        .args([
            "--lang",
            "es",
            "plan",
            "--contract",
            &bank(),
            "--forecast",
            &f,
            "--staffing",
            &s,
        ])
        .args(["--target", "80", "--threshold-s", "20"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("EN RIESGO"))
        .stdout(predicate::str::contains("POR DEBAJO DEL OBJETIVO"));
}

#[test]
fn bad_inputs_name_the_file_row_and_column() {
    let dir = tempfile::tempdir().unwrap();
    let head = "interval_start,queue,volume,aht_s,interval_minutes\n";
    let ok = "2026-11-02 09:00,cards,100,180,30\n";
    let cases: [(&str, &str, &str); 7] = [
        (
            "neg.csv",
            "2026-11-02 09:30,cards,-5,180,30\n",
            ":3: volume: `volume` must not be negative",
        ),
        (
            "aht.csv",
            "2026-11-02 09:30,cards,5,0,30\n",
            ":3: aht_s: `aht_s` must be greater than 0",
        ),
        (
            "len.csv",
            "2026-11-02 09:30,cards,5,180,0\n",
            ":3: interval_s: `interval_s` must be greater than 0",
        ),
        (
            "ts.csv",
            "2 Nov 9am,cards,5,180,30\n",
            ":3: column `interval_start`: `2 Nov 9am` is not a time",
        ),
        (
            "num.csv",
            "2026-11-02 09:30,cards,lots,180,30\n",
            ":3: column `volume`: `lots` is not a number",
        ),
        (
            "huge.csv",
            "2026-11-02 09:30,cards,100000000,180,30\n",
            ":3: *: needs more than 100000 agents",
        ),
        ("short.csv", "2026-11-02 09:30,cards,5\n", ":3: "),
    ];
    for (name, row, expect) in cases {
        let f = write(dir.path(), name, &format!("{head}{ok}{row}"));
        pacta()
            .args([
                "plan",
                "--contract",
                &bank(),
                "--forecast",
                &f,
                "--target",
                "80",
                "--threshold-s",
                "20",
            ])
            .assert()
            .code(1)
            .stdout(predicate::str::is_empty())
            .stderr(predicate::str::contains(format!("{name}{expect}")));
    }
    let f = write(
        dir.path(),
        "nocol.csv",
        "interval_start,queue,calls,aht_s\n2026-11-02 09:00,cards,1,180\n",
    );
    pacta()
        .args(["plan", "--contract", &bank(), "--forecast", &f])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "missing required column `volume` (found: interval_start, queue, calls, aht_s)",
        ));
    let f = write(dir.path(), "ok.csv", &format!("{head}{ok}"));
    pacta()
        .args([
            "plan",
            "--contract",
            &bank(),
            "--forecast",
            &f,
            "--target",
            "120",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "--target 120: a percentage above 0 and at most 100",
        ));
    pacta()
        .args([
            "--lang",
            "es",
            "plan",
            "--contract",
            &bank(),
            "--forecast",
            &f,
            "--target",
            "0",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("un porcentaje mayor que 0"));
    pacta()
        .args(["plan", "--contract", &bank(), "--forecast", "no-such.csv"])
        .assert()
        .code(2);
}

#[test]
fn forecast_from_the_store_and_the_html_chart() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let out = dir.path().join("gen");
    pacta()
        .args([
            "gen",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--rows",
            "20000",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    pacta()
        .args([
            "import",
            "--contract",
            &bank(),
            "--format",
            "csv",
            "--store",
        ])
        .arg(&store)
        .arg(out.join("interactions.csv"))
        .assert()
        .success();
    let fc = dir.path().join("next.csv");
    let html = dir.path().join("plan.html");
    let output = pacta()
        .args([
            "plan",
            "--contract",
            &bank(),
            "--from-store",
            "--month",
            "2026-10",
            "--store",
        ])
        .arg(&store)
        .arg("--write-forecast")
        .arg(&fc)
        .arg("--html")
        .arg(&html)
        .args(["--format", "csv"])
        .output()
        .unwrap();
    assert!(
        output.status.success(),
        "{}",
        String::from_utf8_lossy(&output.stderr)
    );
    // The forecast covers November (the month after the history) and reads back as a forecast.
    let text = std::fs::read_to_string(&fc).unwrap();
    let mut lines = text.lines();
    assert_eq!(
        lines.next().unwrap(),
        "interval_start,queue,volume,aht_s,patience_s,interval_minutes"
    );
    let rows: Vec<&str> = lines.collect();
    assert!(rows.len() > 100);
    assert!(rows.iter().all(|r| r.starts_with("2026-11-")));
    // Per queue the November volume is about October's voice volume (30 vs 31 days).
    let volume: f64 = rows
        .iter()
        .map(|r| r.split(',').nth(2).unwrap().parse::<f64>().unwrap())
        .sum();
    assert!(volume > 10_000.0 && volume < 20_000.0, "{volume}");
    // Patience was estimated (the store has abandons), so Erlang A ran.
    assert!(
        rows.iter()
            .any(|r| !r.split(',').nth(4).unwrap().is_empty())
    );
    let plan_csv = String::from_utf8(output.stdout).unwrap();
    assert_eq!(plan_csv.lines().count(), rows.len() + 1);
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(
        page.starts_with("<!doctype html>") && page.contains("<svg") && !page.contains("<script")
    );
    // The forecast file feeds `plan --forecast` and gives the same required agents.
    let (p, _) = plan_json(&["--forecast", fc.to_str().unwrap()]);
    let first_c = plan_csv
        .lines()
        .nth(1)
        .unwrap()
        .split(',')
        .nth(7)
        .unwrap()
        .to_string();
    assert_eq!(p["intervals"][0]["erlang_c_agents"].to_string(), first_c);
}
