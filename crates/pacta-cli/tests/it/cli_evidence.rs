//! `pacta explain SLA --contacts FILE` on a generated month of the bank example: for every
//! SLA of the contract, the rows counting in each input add up to the figure's inputs that
//! `pacta settle --format json` reports, an unknown SLA writes nothing, and no raw customer
//! identifier reaches the file.
#![allow(clippy::unwrap_used)]

use crate::common::{bank, pacta};

use std::collections::BTreeMap;
use std::path::Path;

use serde_json::Value;

fn load(dir: &Path, store: &Path, month: &str) {
    let out = dir.join("gen");
    pacta()
        .args([
            "gen",
            "--contract",
            &bank(),
            "--month",
            month,
            "--rows",
            "8000",
            "--out",
        ])
        .arg(&out)
        .assert()
        .success();
    for kind in [
        "interactions",
        "surveys",
        "qa",
        "roster",
        "training",
        "agent-days",
        "incidents",
    ] {
        pacta()
            .args([
                "import",
                "--contract",
                &bank(),
                "--format",
                "csv",
                "--kind",
                kind,
                "--store",
            ])
            .arg(store)
            .arg(out.join(format!("{}.csv", kind.replace('-', "_"))))
            .assert()
            .success();
    }
}

fn explain(store: &Path, sla: &str, file: &Path) -> std::process::Output {
    pacta()
        .args([
            "explain",
            "--contract",
            &bank(),
            "--month",
            "2026-03",
            sla,
            "--contacts",
        ])
        .arg(file)
        .arg("--store")
        .arg(store)
        .output()
        .unwrap()
}

/// Rows per bucket, and the file's records.
fn buckets(file: &Path) -> (BTreeMap<String, u64>, Vec<csv::StringRecord>) {
    let mut r = csv::Reader::from_path(file).unwrap();
    let h = r.headers().unwrap().clone();
    let b = h.iter().position(|x| x == "bucket").unwrap();
    let mut counts = BTreeMap::new();
    let mut recs = Vec::new();
    for rec in r.records() {
        let rec = rec.unwrap();
        *counts.entry(rec[b].to_string()).or_default() += 1;
        recs.push(rec);
    }
    (counts, recs)
}

fn c(m: &BTreeMap<String, u64>, codes: &[&str]) -> f64 {
    codes
        .iter()
        .map(|k| m.get(*k).copied().unwrap_or(0))
        .sum::<u64>() as f64
}

#[test]
fn contacts_add_up_to_the_figures() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    load(dir.path(), &store, "2026-03");
    let out = pacta()
        .args([
            "settle",
            "--contract",
            &bank(),
            "--month",
            "2026-03",
            "--format",
            "json",
            "--no-save",
            "--store",
        ])
        .arg(&store)
        .output()
        .unwrap();
    let s: Value = serde_json::from_slice(&out.stdout).unwrap();
    let sla = |id: &str| -> Value {
        s["slas"]
            .as_array()
            .unwrap()
            .iter()
            .find(|o| o["sla_id"] == id)
            .unwrap()
            .clone()
    };

    // SL-VOICE: A≤T / (A + Ab − Ab≤S), accepted incidents removed.
    let file = dir.path().join("sl.csv");
    let o = explain(&store, "SL-VOICE", &file);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let (m, recs) = buckets(&file);
    let v = sla("SL-VOICE");
    let inp = &v["value"]["inputs"];
    assert_eq!(
        c(&m, &["answered_within_threshold"]),
        inp["A<=T"].as_f64().unwrap()
    );
    assert_eq!(
        c(
            &m,
            &[
                "answered_within_threshold",
                "answered_late",
                "answered_wait_unknown"
            ]
        ),
        inp["A"].as_f64().unwrap()
    );
    assert_eq!(
        c(
            &m,
            &[
                "abandoned_short",
                "abandoned_within_threshold",
                "abandoned",
                "abandoned_wait_unknown"
            ]
        ),
        inp["Ab"].as_f64().unwrap()
    );
    assert_eq!(c(&m, &["abandoned_short"]), inp["Ab<=S"].as_f64().unwrap());
    assert_eq!(
        c(&m, &["abandoned_short", "abandoned_within_threshold"]),
        inp["Ab<=T"].as_f64().unwrap()
    );
    assert_eq!(c(&m, &["exit"]), inp["X"].as_f64().unwrap());
    let removed: f64 = v["exclusions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| e["contacts_removed"].as_f64().unwrap())
        .sum();
    // The settlement's `contacts_removed` counts every row in the window (any scope, and
    // rows outside hours), the evidence only the SLA's in-scope rows of the month.
    let excl = c(&m, &["excluded_by_incident"]);
    assert!(excl > 0.0 && excl <= removed, "{excl} vs {removed}");
    assert!(recs.len() > 1000);

    // No raw customer identifier of the generated file reaches the evidence.
    let mut raw = csv::Reader::from_path(dir.path().join("gen/interactions.csv")).unwrap();
    let h = raw.headers().unwrap().clone();
    let col = h.iter().position(|x| x.contains("customer")).unwrap();
    let text = std::fs::read_to_string(&file).unwrap();
    let mut seen = std::collections::BTreeSet::new();
    for r in raw.records() {
        let r = r.unwrap();
        if !r[col].is_empty() && r[col].len() >= 6 {
            seen.insert(r[col].to_string());
        }
    }
    assert!(!seen.is_empty());
    for id in &seen {
        assert!(
            !text.contains(id.as_str()),
            "raw customer {id} in the evidence"
        );
    }

    // ABN-VOICE: (Ab − Ab≤S) / (O − Ab≤S).
    let file = dir.path().join("abn.csv");
    assert!(explain(&store, "ABN-VOICE", &file).status.success());
    let (m, _) = buckets(&file);
    let inp = &sla("ABN-VOICE")["value"]["inputs"];
    assert_eq!(c(&m, &["answered"]), inp["A"].as_f64().unwrap());
    assert_eq!(c(&m, &["abandoned_short"]), inp["Ab<=S"].as_f64().unwrap());
    assert_eq!(
        c(
            &m,
            &["abandoned_short", "abandoned", "abandoned_wait_unknown"]
        ),
        inp["Ab"].as_f64().unwrap()
    );
    assert_eq!(c(&m, &["exit"]), inp["X"].as_f64().unwrap());

    // SL-CHAT-INTERVAL: one row per chat contact, with its interval and whether it met.
    let file = dir.path().join("chat.csv");
    assert!(explain(&store, "SL-CHAT-INTERVAL", &file).status.success());
    let mut r = csv::Reader::from_path(&file).unwrap();
    let h = r.headers().unwrap().clone();
    assert!(h.iter().any(|x| x == "interval_start"));
    assert!(h.iter().any(|x| x == "interval_met_target"));
    assert!(r.records().count() > 0);

    // Every SLA of the month: each count input equals the rows whose `counts_in` names it.
    let not_counts = [
        "T_s",
        "S_s",
        "N_s",
        "window_days",
        "scale",
        "average_headcount",
    ];
    let slas = s["slas"].as_array().unwrap();
    assert_eq!(slas.len(), 7);
    for o in slas {
        let id = o["sla_id"].as_str().unwrap();
        let file = dir.path().join(format!("{id}.csv"));
        let out = explain(&store, id, &file);
        assert!(
            out.status.success(),
            "{id}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        let mut r = csv::Reader::from_path(&file).unwrap();
        let h = r.headers().unwrap().clone();
        let counts_in = h.iter().position(|x| x == "counts_in").unwrap();
        let recs: Vec<csv::StringRecord> = r.records().map(Result::unwrap).collect();
        assert!(!recs.is_empty(), "{id}: no rows");
        let inputs = o["value"]["inputs"].as_object().unwrap();
        if o["period"] == "interval" {
            // Per interval: the share counts intervals, each contact says whether its met.
            let met = h.iter().position(|x| x == "interval_met_target").unwrap();
            let start = h.iter().position(|x| x == "interval_start").unwrap();
            let distinct = |want: &[&str]| {
                recs.iter()
                    .filter(|r| want.contains(&&r[met]))
                    .map(|r| r[start].to_string())
                    .collect::<std::collections::BTreeSet<_>>()
                    .len() as f64
            };
            assert_eq!(
                distinct(&["true"]),
                o["periods"][1].as_f64().unwrap(),
                "{id}"
            );
            assert_eq!(
                distinct(&["true", "false"]),
                o["periods"][0].as_f64().unwrap(),
                "{id}"
            );
            continue;
        }
        let mut checked = 0;
        for (key, v) in inputs {
            if not_counts.contains(&key.as_str()) {
                continue;
            }
            let n = recs
                .iter()
                .filter(|r| r[counts_in].split(' ').any(|k| k == key))
                .count();
            assert_eq!(n as f64, v.as_f64().unwrap(), "{id} input {key}");
            checked += 1;
        }
        assert!(checked >= 2, "{id}: only {checked} inputs checked");
    }

    // In Spanish: the headers and the meaning of each bucket.
    let file = dir.path().join("fcr-es.csv");
    let out = pacta()
        .args([
            "--lang",
            "es",
            "explain",
            "--contract",
            &bank(),
            "--month",
            "2026-03",
            "FCR",
            "--contacts",
        ])
        .arg(&file)
        .arg("--store")
        .arg(&store)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let text = std::fs::read_to_string(&file).unwrap();
    assert!(
        text.starts_with("id_interaccion,llegada,"),
        "{}",
        &text[..80]
    );
    assert!(text.contains("id_interaccion_repetida"));
    assert!(text.contains("atendido, el cliente volvió dentro de la ventana"));

    // An unknown SLA: exit 1, no file.
    let file = dir.path().join("none.csv");
    let o = explain(&store, "NOPE", &file);
    assert_eq!(o.status.code(), Some(1));
    assert!(!file.exists());
}
