//! Drives `pacta plan`: staffing a forecast CSV against the bank example's service-level SLAs,
//! checking a vendor's staffing plan, rejecting bad input with its location, estimating a
//! forecast from a generated and imported month, and writing the HTML chart.
#![allow(clippy::unwrap_used)]

use crate::common::{bank, pacta};

use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

fn write(dir: &Path, name: &str, text: &str) -> String {
    let p = dir.join(name);
    std::fs::write(&p, text).unwrap();
    p.display().to_string()
}

fn plan_json(args: &[&str]) -> Value {
    let out = pacta()
        .args(["plan", "--contract", &bank(), "--format", "json"])
        .args(args)
        .output()
        .unwrap();
    // 0, or 3 when a staffing plan leaves intervals at risk (checked where it matters).
    assert!(
        matches!(out.status.code(), Some(0 | 3)),
        "exit {:?}: {}",
        out.status.code(),
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let at_risk = v["staffing"]["intervals_at_risk"].as_u64().unwrap_or(0);
    assert_eq!(
        out.status.code(),
        Some(if at_risk > 0 { 3 } else { 0 }),
        "exit code follows the intervals at risk"
    );
    v
}

fn f(v: &Value) -> f64 {
    v.as_f64().unwrap()
}

fn close(a: f64, b: f64, tol: f64) -> bool {
    (a - b).abs() <= tol
}

/// The R ErlangC package's example: 100 calls per 30 minutes, AHT 180 s, 80 % in 20 s →
/// 14 agents, P(wait) 0.1741319, service level 0.88835, ASA 7.836 s.
#[test]
fn r_erlangc_vector_through_a_forecast_csv() {
    let dir = tempfile::tempdir().unwrap();
    let fc = write(
        dir.path(),
        "forecast.csv",
        "interval_start,queue,volume,aht_s\n2026-11-02 08:00,cards,100,180\n",
    );
    let r = plan_json(&[
        "--forecast",
        &fc,
        "--threshold-s",
        "20",
        "--target",
        "80",
        "--shrinkage",
        "30",
    ]);
    let row = &r["intervals"][0];
    assert_eq!(row["interval_start"], "2026-11-02T08:00:00+08:00");
    assert_eq!(row["queue"], "cards");
    assert!(close(f(&row["offered_load"]), 10.0, 1e-12));
    let c = &row["erlang_c"];
    assert_eq!(c["agents"], 14);
    assert!(close(f(&c["p_wait"]), 0.1741319, 5e-7), "{c}");
    assert!(close(f(&c["service_level"]), 0.88835, 5e-6), "{c}");
    assert!(close(f(&c["asa_s"]), 7.836, 5e-4), "{c}");
    assert!(close(f(&c["occupancy"]), 10.0 / 14.0, 1e-12));
    // 14 / (1 − 0.3) = 20 scheduled; 14 agents × 0.5 h = 7 FTE hours, 20 × 0.5 = 10.
    assert_eq!(c["scheduled_agents"], 20);
    assert!(close(f(&c["fte_hours"]), 7.0, 1e-12));
    assert!(close(f(&c["scheduled_fte_hours"]), 10.0, 1e-12));
    assert!(row["erlang_a"].is_null(), "no patience, no Erlang A");
    assert!(close(f(&r["totals"]["erlang_c_fte_hours"]), 7.0, 1e-12));
    assert!(close(f(&r["totals"]["volume"]), 100.0, 1e-12));
    assert!(r["staffing"].is_null());
}

/// Without flags, each queue's service-level SLA supplies T, the target in force on the
/// interval's date, and the variant.
#[test]
fn the_contract_supplies_threshold_target_and_variant() {
    let dir = tempfile::tempdir().unwrap();
    let fc = write(
        dir.path(),
        "forecast.csv",
        "interval_start,queue,volume,aht_s,patience_s\n\
         2026-03-02 08:00,cards,100,180,\n\
         2026-11-02 08:00,retail,100,180,\n\
         2026-11-02 08:00,web-chat,100,180,120\n",
    );
    let r = plan_json(&["--forecast", &fc]);
    let rows = r["intervals"].as_array().unwrap();
    // SL-VOICE: 80/20 until June 2026, 85/20 from July (change form CF-003).
    assert_eq!(rows[0]["sla_id"], "SL-VOICE");
    assert_eq!(rows[0]["threshold_s"], 20.0);
    assert!(close(f(&rows[0]["target_share"]), 0.80, 1e-12));
    assert_eq!(rows[0]["variant"], "exclude_short_abandons");
    assert_eq!(rows[0]["erlang_c"]["agents"], 14);
    assert!(close(f(&rows[1]["target_share"]), 0.85, 1e-12));
    // 14 agents give 88.8 % ≥ 85 %, 13 give less than 85 %.
    assert_eq!(rows[1]["erlang_c"]["agents"], 14);
    // The chat queue is covered by SL-CHAT-INTERVAL: 80 % in 60 s, abandons against.
    assert_eq!(rows[2]["sla_id"], "SL-CHAT-INTERVAL");
    assert_eq!(rows[2]["threshold_s"], 60.0);
    assert_eq!(rows[2]["variant"], "abandons_against");
    let a = &rows[2]["erlang_a"];
    assert!(a["agents"].as_u64().unwrap() <= rows[2]["erlang_c"]["agents"].as_u64().unwrap());
    assert!(f(&a["service_level"]) >= 0.8);
    assert!(f(&a["abandon_share"]) > 0.0);

    // Flags override the contract, and --sla picks the SLA for every queue.
    let r = plan_json(&[
        "--forecast",
        &fc,
        "--sla",
        "SL-CHAT-INTERVAL",
        "--target",
        "90",
        "--variant",
        "answered_only",
    ]);
    for row in r["intervals"].as_array().unwrap() {
        assert_eq!(row["sla_id"], "SL-CHAT-INTERVAL");
        assert_eq!(row["threshold_s"], 60.0);
        assert!(close(f(&row["target_share"]), 0.9, 1e-12));
        assert_eq!(row["variant"], "answered_only");
    }
    pacta()
        .args([
            "plan",
            "--contract",
            &bank(),
            "--forecast",
            &fc,
            "--sla",
            "FCR",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("not `service_level`"));
}

#[test]
fn staffing_plan_flags_intervals_at_risk_and_the_month_level() {
    let dir = tempfile::tempdir().unwrap();
    let fc = write(
        dir.path(),
        "forecast.csv",
        "interval_start,queue,volume,aht_s\n\
         2026-11-02 08:00,cards,100,180\n\
         2026-11-02 08:30,cards,300,180\n\
         2026-11-02 09:00,cards,100,180\n",
    );
    let st = write(
        dir.path(),
        "staffing.csv",
        "interval_start,queue,agents\n\
         2026-11-02T08:00:00+08:00,cards,14\n\
         2026-11-02 08:30,cards,31\n\
         2026-11-02 09:00,cards,16\n\
         2026-11-02 09:30,cards,16\n",
    );
    let r = plan_json(&[
        "--forecast",
        &fc,
        "--staffing",
        &st,
        "--threshold-s",
        "20",
        "--target",
        "80",
    ]);
    let rows = r["intervals"].as_array().unwrap();
    let p: Vec<&Value> = rows.iter().map(|r| &r["planned"]).collect();
    assert_eq!(p[0]["agents"], 14);
    assert_eq!(p[0]["at_risk"], false);
    assert!(close(f(&p[0]["erlang_c_service_level"]), 0.88835, 5e-6));
    // 300 calls × 180 s / 1800 s = 30 Erlang: 31 agents are stable but far below 80/20.
    assert_eq!(p[1]["agents"], 31);
    assert_eq!(p[1]["at_risk"], true);
    assert_eq!(p[1]["model"], "erlang_c");
    assert!(f(&p[1]["erlang_c_service_level"]) < 0.8);
    let need = rows[1]["erlang_c"]["agents"].as_i64().unwrap();
    assert_eq!(p[1]["shortfall_agents"].as_i64().unwrap(), need - 31);
    assert_eq!(p[2]["at_risk"], false);

    let s = &r["staffing"];
    assert_eq!(s["intervals_at_risk"], 1);
    assert_eq!(s["intervals_missing"], 0);
    assert_eq!(s["unmatched_rows"], 1, "09:30 has no forecast");
    let g = &s["by_target"][0];
    let weighted: f64 = rows
        .iter()
        .map(|r| f(&r["volume"]) * f(&r["planned"]["erlang_c_service_level"]))
        .sum::<f64>()
        / 500.0;
    assert!(close(f(&g["erlang_c_service_level"]), weighted, 1e-12));
    assert_eq!(g["intervals_at_risk"], 1);
    assert_eq!(g["meets_target"], weighted >= 0.8);
    assert!(close(
        f(&r["totals"]["planned_fte_hours"]),
        (14.0 + 31.0 + 16.0) * 0.5,
        1e-9
    ));

    // The terminal table says the same: the summary names the interval at risk, with the
    // plan's agents and what Erlang C needs, within 100 columns; --wide marks its line.
    let table = pacta()
        .args([
            "plan",
            "--contract",
            &bank(),
            "--forecast",
            &fc,
            "--staffing",
            &st,
        ])
        .args(["--threshold-s", "20", "--target", "80"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("1 interval(s) at risk"))
        .stdout(predicate::str::contains(
            "Intervals the vendor's plan leaves at risk: 1",
        ))
        .get_output()
        .stdout
        .clone();
    let table = String::from_utf8(table).unwrap();
    let line = table
        .lines()
        .find(|l| l.contains(" plan 31 "))
        .unwrap_or_else(|| panic!("the interval at risk: {table}"));
    assert!(line.contains(&format!("needs C {need}")), "{line}");
    assert!(table.lines().all(|l| l.chars().count() <= 100), "{table}");
    pacta()
        .args([
            "plan",
            "--contract",
            &bank(),
            "--forecast",
            &fc,
            "--staffing",
            &st,
            "--wide",
        ])
        .args(["--threshold-s", "20", "--target", "80"])
        .assert()
        .code(3)
        .stdout(predicate::str::contains("AT RISK"));

    // A forecast interval missing from the plan counts as 0 agents, at risk.
    let st2 = write(
        dir.path(),
        "staffing2.csv",
        "interval_start,queue,agents\n2026-11-02 08:00,cards,14\n",
    );
    let r = plan_json(&["--forecast", &fc, "--staffing", &st2]);
    assert_eq!(r["staffing"]["intervals_missing"], 2);
    assert_eq!(r["intervals"][1]["planned"]["missing"], true);
    assert_eq!(r["intervals"][1]["planned"]["at_risk"], true);
}

/// Erlang A decides the verdict when a patience is known, under the contract's variant.
#[test]
fn staffing_with_patience_uses_erlang_a() {
    let dir = tempfile::tempdir().unwrap();
    let fc = write(
        dir.path(),
        "forecast.csv",
        "interval_start,queue,volume,aht_s,patience_s\n2026-11-02 08:00,web-chat,100,180,120\n",
    );
    let st = write(
        dir.path(),
        "staffing.csv",
        "interval_start,queue,agents\n2026-11-02 08:00,web-chat,10\n",
    );
    let r = plan_json(&["--forecast", &fc, "--staffing", &st]);
    let row = &r["intervals"][0];
    let p = &row["planned"];
    assert_eq!(p["model"], "erlang_a");
    // 10 agents at 10 Erlang: Erlang C is unstable (SL 0) but callers abandon under Erlang A.
    assert_eq!(p["erlang_c_service_level"], 0.0);
    assert!(f(&p["erlang_a_service_level"]) > 0.0);
    assert!(f(&p["erlang_a_abandon_share"]) > 0.0);
    assert_eq!(p["at_risk"], true);
    let g = &r["staffing"]["by_target"][0];
    assert!(close(
        f(&g["erlang_a_service_level"]),
        f(&p["erlang_a_service_level"]),
        1e-12
    ));
}

#[test]
fn bad_forecast_rows_are_located() {
    let dir = tempfile::tempdir().unwrap();
    let header = "interval_start,queue,volume,aht_s,interval_minutes\n";
    let cases: &[(&str, &str, &str)] = &[
        ("2026-11-02 08:00,cards,0,180,30", ":2:3:", "`volume`"),
        (
            "2026-11-02 08:00,cards,-5,180,30",
            ":2:3:",
            "must be greater than 0",
        ),
        ("2026-11-02 08:00,cards,100,0,30", ":2:4:", "`aht_s`"),
        (
            "2026-11-02 08:00,cards,100,180,0",
            ":2:5:",
            "`interval_minutes`",
        ),
        (
            "2026-13-02 08:00,cards,100,180,30",
            ":2:1:",
            "is not a timestamp",
        ),
        ("yesterday,cards,100,180,30", ":2:1:", "is not a timestamp"),
        (
            "2026-11-02 08:00,cards,lots,180,30",
            ":2:3:",
            "is not a number",
        ),
        ("2026-11-02 08:00,,100,180,30", ":2:2:", "missing value"),
        (
            "2026-11-02 08:00,cards,100000000,600,30",
            ":2:3:",
            "needs more than 100000 agents",
        ),
    ];
    for (i, (row, loc, msg)) in cases.iter().enumerate() {
        let name = format!("bad{i}.csv");
        // The bad row is the second data row (line 3) after a good one.
        let text = format!("{header}2026-11-02 07:30,cards,100,180,30\n{row}\n");
        let p = write(dir.path(), &name, &text);
        let loc = loc.replace(":2:", ":3:");
        pacta()
            .args(["plan", "--contract", &bank(), "--forecast", &p])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(format!("{name}{loc}")))
            .stderr(predicate::str::contains(*msg));
    }
    // The same interval twice for a queue (08:00 local is 00:00 UTC).
    let p = write(
        dir.path(),
        "dup.csv",
        &format!(
            "{header}2026-11-02 08:00,cards,100,180,30\n2026-11-02T00:00:00Z,cards,50,180,30\n"
        ),
    );
    pacta()
        .args(["plan", "--contract", &bank(), "--forecast", &p])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "dup.csv:3: queue `cards` has this interval already (line 2)",
        ));
    // A missing column names the header line.
    let p = write(dir.path(), "nocol.csv", "interval_start,queue,aht_s\n");
    pacta()
        .args(["plan", "--contract", &bank(), "--forecast", &p])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "nocol.csv:1: missing column `volume`",
        ));
    // Target above 100 % and interval 0 as flags.
    let good = write(
        dir.path(),
        "good.csv",
        "interval_start,queue,volume,aht_s\n2026-11-02 08:00,cards,100,180\n",
    );
    pacta()
        .args([
            "plan",
            "--contract",
            &bank(),
            "--forecast",
            &good,
            "--target",
            "120",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "error: --target 120: give a percentage from 1 to 100",
        ));
    pacta()
        .args([
            "plan",
            "--contract",
            &bank(),
            "--forecast",
            &good,
            "--interval",
            "0",
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--interval"));
    // Spanish.
    let p = write(
        dir.path(),
        "malo.csv",
        &format!("{header}2026-11-02 08:00,cards,0,180,30\n"),
    );
    pacta()
        .args([
            "--lang",
            "es",
            "plan",
            "--contract",
            &bank(),
            "--forecast",
            &p,
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("malo.csv:2:3: columna `volume`"))
        .stderr(predicate::str::contains("debe ser mayor que 0"));
    // Unreadable file: exit 2.
    pacta()
        .args(["plan", "--contract", &bank(), "--forecast"])
        .arg(dir.path().join("missing.csv"))
        .assert()
        .code(2)
        .stderr(predicate::str::contains("could not read"));
    // Bad staffing rows are located too.
    let st = write(
        dir.path(),
        "staffing.csv",
        "interval_start,queue,agents\n2026-11-02 08:00,cards,100001\n2026-11-02 08:30,cards,2.5\n2026-11-02 09:00,cards,3\n2026-11-02 09:00,cards,4\n",
    );
    pacta()
        .args([
            "plan",
            "--contract",
            &bank(),
            "--forecast",
            &good,
            "--staffing",
            &st,
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("staffing.csv:2:3:"))
        .stderr(predicate::str::contains("at most 100000"))
        .stderr(predicate::str::contains("staffing.csv:3:3:"))
        .stderr(predicate::str::contains("staffing.csv:5: duplicate"));
}

#[test]
fn csv_and_spanish_table_outputs() {
    let dir = tempfile::tempdir().unwrap();
    let fc = write(
        dir.path(),
        "forecast.csv",
        "interval_start,queue,volume,aht_s,patience_s\n\
         2026-11-02 08:00,cards,100,180,120\n\
         2026-11-02 08:30,cards,120,180,120\n",
    );
    let out = pacta()
        .args([
            "plan",
            "--contract",
            &bank(),
            "--forecast",
            &fc,
            "--format",
            "csv",
        ])
        .output()
        .unwrap();
    assert!(out.status.success());
    let text = String::from_utf8(out.stdout).unwrap();
    let lines: Vec<&str> = text.lines().collect();
    assert_eq!(lines.len(), 3);
    assert!(lines[0].starts_with("interval_start,queue,sla_id,"));
    assert!(lines[1].starts_with("2026-11-02T08:00:00+08:00,cards,SL-VOICE,"));
    pacta()
        .args([
            "--lang",
            "es",
            "plan",
            "--contract",
            &bank(),
            "--forecast",
            &fc,
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Plan de dotación"))
        .stdout(predicate::str::contains("horas FTE"));
}

#[test]
fn html_chart_is_self_contained() {
    let dir = tempfile::tempdir().unwrap();
    let fc = write(
        dir.path(),
        "forecast.csv",
        "interval_start,queue,volume,aht_s,patience_s\n\
         2026-11-02 08:00,cards,100,180,120\n\
         2026-11-02 08:30,cards,300,180,120\n\
         2026-11-02 08:00,<retail>,50,200,\n",
    );
    let st = write(
        dir.path(),
        "staffing.csv",
        "interval_start,queue,agents\n2026-11-02 08:00,cards,14\n2026-11-02 08:30,cards,20\n",
    );
    for (lang, words) in [
        (
            "en",
            [
                "Intraday profile: agents in seat required",
                "Intraday grid: scheduled agents by weekday and interval",
                "<th class=\"num\">Mon</th>",
                "Monday–Friday (1 date)",
                "time of day (Asia/Manila)",
            ],
        ),
        (
            "es",
            [
                "Perfil intradía: agentes en puesto requeridos",
                "Tabla intradía: agentes programados por día de la semana e intervalo",
                "<th class=\"num\">lun</th>",
                "lunes a viernes (1 fecha)",
                "hora del día (Asia/Manila)",
            ],
        ),
    ] {
        let html = dir.path().join(format!("plan-{lang}.html"));
        pacta()
            .args([
                "--lang",
                lang,
                "plan",
                "--contract",
                &bank(),
                "--forecast",
                &fc,
            ])
            .args(["--staffing", &st, "--html"])
            .arg(&html)
            .assert()
            .code(predicate::in_iter([0, 3]));
        let text = std::fs::read_to_string(&html).unwrap();
        // One intraday chart per queue and the weekday × interval heatmap (one date: no
        // chart per day).
        assert_eq!(text.matches("<svg").count(), 3, "{text}");
        assert!(text.contains("<polyline"));
        assert_eq!(
            text.matches("<p class=\"legend\">").count(),
            2,
            "a legend per chart"
        );
        assert!(
            text.contains("<table class=\"heat\">"),
            "the grid as a table too"
        );
        for word in words {
            assert!(text.contains(word), "{lang}: missing {word:?}");
        }
        assert!(text.contains("&lt;retail&gt;"), "queue names escaped");
        assert!(!text.contains("<retail>"));
        assert!(!text.contains("https://") && !text.contains("<script") && !text.contains("<link"));
        assert!(text.contains(&format!("<html lang=\"{lang}\"")));
    }
}

/// `pacta gen` + `pacta import` a small month, then `plan --from-store` estimates the
/// profile and plans the next month; the written forecast plans the same.
#[test]
fn from_store_estimates_next_month_and_writes_the_forecast() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let gen_dir = dir.path().join("gen");
    pacta()
        .args([
            "gen",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--rows",
            "6000",
            "--out",
        ])
        .arg(&gen_dir)
        .assert()
        .success();
    pacta()
        .args([
            "import",
            "--contract",
            &bank(),
            "--format",
            "csv",
            "--kind",
            "interactions",
            "--store",
        ])
        .arg(&store)
        .arg(gen_dir.join("interactions.csv"))
        .assert()
        .success();
    let fc = dir.path().join("next.csv");
    let store_s = store.display().to_string();
    let fc_s = fc.display().to_string();
    let r = plan_json(&[
        "--from-store",
        "--month",
        "2026-10",
        "--store",
        &store_s,
        "--write-forecast",
        &fc_s,
    ]);
    let e = &r["estimate"];
    assert_eq!(e["data_month"], "2026-10");
    assert_eq!(e["plan_month"], "2026-11");
    assert_eq!(e["weekdays_in_data_month"], 22);
    assert_eq!(e["weekend_days_in_data_month"], 9);
    let queues: Vec<&str> = e["queues"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["queue"].as_str().unwrap())
        .collect();
    assert_eq!(queues, ["cards", "cards-platinum", "retail", "web-chat"]);
    for q in e["queues"].as_array().unwrap() {
        let aht = f(&q["aht_s"]);
        assert!((60.0..1500.0).contains(&aht), "{q}");
        // Patience = mean wait / abandonment ratio.
        let p = f(&q["patience_s"]);
        let expect = f(&q["mean_wait_s"]) / f(&q["abandon_share"]);
        assert!(p > 0.0 && close(p, expect, 0.2 * expect), "{q}");
    }
    let rows = r["intervals"].as_array().unwrap();
    assert!(!rows.is_empty());
    assert!(rows.iter().all(|r| {
        r["interval_start"]
            .as_str()
            .unwrap()
            .starts_with("2026-11-")
    }));
    // Every day of November has intervals.
    let days: std::collections::BTreeSet<&str> = rows
        .iter()
        .map(|r| &r["interval_start"].as_str().unwrap()[..10])
        .collect();
    assert_eq!(days.len(), 30);
    // Monthly volume ≈ the data month's, scaled by the day mix (30 vs 31 days).
    let total = f(&r["totals"]["volume"]);
    assert!((4500.0..6500.0).contains(&total), "{total}");
    assert!(rows.iter().all(|r| !r["erlang_a"].is_null()));

    // The written forecast is in the forecast format and plans the same.
    let text = std::fs::read_to_string(&fc).unwrap();
    assert!(text.starts_with("interval_start,queue,volume,aht_s,patience_s,interval_minutes\n"));
    assert_eq!(text.lines().count(), rows.len() + 1);
    let again = plan_json(&["--forecast", &fc_s]);
    let t1 = &r["totals"];
    let t2 = &again["totals"];
    assert_eq!(t1["intervals"], t2["intervals"]);
    assert!(close(f(&t1["volume"]), f(&t2["volume"]), 1.0));
    let (c1, c2) = (f(&t1["erlang_c_fte_hours"]), f(&t2["erlang_c_fte_hours"]));
    assert!(close(c1, c2, 0.01 * c1), "{c1} vs {c2}");

    // A month not in the store is a clear error.
    pacta()
        .args([
            "plan",
            "--contract",
            &bank(),
            "--from-store",
            "--month",
            "2026-05",
            "--store",
        ])
        .arg(&store)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no interactions"));
}

/// Every percentage flag of `plan` takes 80 for 80 %, like the rest of pacta; a value up to 1
/// is refused with the percentage it probably meant, in English and Spanish.
#[test]
fn percentage_flags_take_percentages_and_refuse_fractions() {
    let dir = tempfile::tempdir().unwrap();
    let fc = write(
        dir.path(),
        "forecast.csv",
        "interval_start,queue,volume,aht_s,patience_s\n2026-11-02 08:00,cards,100,180,120\n",
    );
    let v = plan_json(&[
        "--forecast",
        &fc,
        "--target",
        "90",
        "--shrinkage",
        "25",
        "--max-occupancy",
        "85",
        "--max-abandon",
        "5",
    ]);
    let row = &v["intervals"][0];
    assert!(close(f(&row["target_share"]), 0.9, 1e-12), "{row}");
    assert!(close(f(&v["shrinkage"]), 0.25, 1e-12), "{v}");
    assert!(f(&row["erlang_c"]["occupancy"]) <= 0.85);
    assert!(f(&row["erlang_a"]["abandon_share"]) <= 0.05);
    // 0 shrinkage is unambiguous: scheduled agents are the agents in seat.
    let none = plan_json(&["--forecast", &fc, "--shrinkage", "0"]);
    let c = &none["intervals"][0]["erlang_c"];
    assert_eq!(c["scheduled_agents"], c["agents"]);
    for (lang, flag, value, message) in [
        (
            "en",
            "--target",
            "0.8",
            "error: --target 0.8: percentages are written as 80, not 0.8 — did you mean \
             --target 80? (values up to 1 are refused rather than guessed)",
        ),
        (
            "es",
            "--target",
            "0.8",
            "error: --target 0.8: los porcentajes se escriben como 80, no 0.8 — ¿quiso decir \
             --target 80? (los valores hasta 1 se rechazan en lugar de adivinarlos)",
        ),
        (
            "en",
            "--shrinkage",
            "0.3",
            "error: --shrinkage 0.3: percentages are written as 80, not 0.8 — did you mean \
             --shrinkage 30?",
        ),
        ("es", "--shrinkage", "0.3", "¿quiso decir --shrinkage 30?"),
        (
            "en",
            "--max-occupancy",
            "0.85",
            "did you mean --max-occupancy 85?",
        ),
        (
            "en",
            "--max-abandon",
            "1",
            "did you mean --max-abandon 100?",
        ),
        (
            "en",
            "--shrinkage",
            "100",
            "error: --shrinkage 100: give a percentage from 0 to less than 100",
        ),
        (
            "es",
            "--target",
            "150",
            "error: --target 150: indique un porcentaje de 1 a 100",
        ),
    ] {
        pacta()
            .args([
                "--lang",
                lang,
                "plan",
                "--contract",
                &bank(),
                "--forecast",
                &fc,
            ])
            .args([flag, value])
            .assert()
            .code(1)
            .stderr(predicate::str::contains(message));
    }
}

/// A chat service's `concurrency` turns Erlang's conversation slots into fewer agents.
#[test]
fn chat_concurrency_in_the_contract_divides_the_agents() {
    let dir = tempfile::tempdir().unwrap();
    let text = std::fs::read_to_string(bank()).unwrap().replacen(
        "queues = [\"web-chat\"]",
        "queues = [\"web-chat\"]\nconcurrency = 2.5",
        1,
    );
    let contract = write(dir.path(), "chat.toml", &text);
    let fc = write(
        dir.path(),
        "forecast.csv",
        "interval_start,queue,volume,aht_s\n2026-11-02 08:00,web-chat,120,540\n",
    );
    let out = pacta()
        .args([
            "plan",
            "--contract",
            &contract,
            "--forecast",
            &fc,
            "--format",
            "json",
        ])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    let row = &v["intervals"][0];
    assert_eq!(row["concurrency"], 2.5);
    // 41 slots at 2.5 chats per agent: 16.4, so 17 agents; 17 / (1 − 0.3) → 25 scheduled.
    assert_eq!(row["erlang_c"]["slots"], 41);
    assert_eq!(row["erlang_c"]["agents"], 17);
    assert_eq!(row["erlang_c"]["scheduled_agents"], 25);
    let bad = text.replacen("concurrency = 2.5", "concurrency = 0.5", 1);
    let bad = write(dir.path(), "bad.toml", &bad);
    pacta()
        .args([
            "--lang",
            "es",
            "plan",
            "--contract",
            &bad,
            "--forecast",
            &fc,
        ])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "la concurrencia 0.5 no está permitida",
        ));
}
