//! Drives `pacta gen` → `pacta import` → `pacta settle` / `pacta explain` on a small
//! generated month of the bank example, and checks the stored history and errors.
#![allow(clippy::unwrap_used)]

use crate::common::{bank, pacta};

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;

/// Generates and imports `month` into `store`.
fn load(dir: &Path, store: &Path, month: &str, rows: &str) {
    let out = dir.join(format!("gen-{month}"));
    pacta()
        .args([
            "gen",
            "--contract",
            &bank(),
            "--month",
            month,
            "--rows",
            rows,
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

fn settle_json(store: &Path, month: &str, extra: &[&str]) -> (Value, i32) {
    let out = pacta()
        .args([
            "settle",
            "--contract",
            &bank(),
            "--month",
            month,
            "--format",
            "json",
            "--store",
        ])
        .arg(store)
        .args(extra)
        .output()
        .unwrap();
    let code = out.status.code().unwrap();
    assert!(
        code == 0 || code == 3,
        "exit {code}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    (serde_json::from_slice(&out.stdout).unwrap(), code)
}

fn dec(v: &Value) -> f64 {
    v.as_str()
        .map_or_else(|| v.as_f64().unwrap(), |s| s.parse().unwrap())
}

#[test]
fn settle_explain_history_and_reconciliation() {
    let dir = tempfile::tempdir().unwrap();
    let store: PathBuf = dir.path().join("store");
    load(dir.path(), &store, "2026-09", "20000");
    load(dir.path(), &store, "2026-10", "20000");

    let (sep, _) = settle_json(&store, "2026-09", &[]);
    assert_eq!(sep["month"], "2026-09");
    let ids: Vec<&str> = sep["slas"]
        .as_array()
        .unwrap()
        .iter()
        .map(|s| s["sla_id"].as_str().unwrap())
        .collect();
    assert_eq!(
        ids,
        [
            "SL-VOICE",
            "ABN-VOICE",
            "SL-CHAT-INTERVAL",
            "FCR",
            "CSAT",
            "QA",
            "ATTRITION"
        ]
    );
    // Every line adds up to the total.
    let lines = sep["invoice"]["lines"].as_array().unwrap();
    let sum: f64 = lines.iter().map(|l| dec(&l["amount"])).sum();
    assert!((sum - dec(&sep["invoice"]["total"])).abs() < 1e-9);
    // The generator's accepted outage is applied to SL-VOICE.
    let slv = &sep["slas"][0];
    assert_eq!(slv["exclusions"][0]["kind"], "accepted_relief");
    assert!(slv["exclusions"][0]["contacts_removed"].as_u64().unwrap() > 0);
    // Saved as version 1 of September in the store's database.
    pacta()
        .args(["month", "status", "--contract", &bank(), "--store"])
        .arg(&store)
        .assert()
        .success()
        .stdout(predicate::str::contains("2026-09      1 / 1  provisional"));

    // October nets September's credits (next_invoice) — present whenever September had any.
    let (oct, _) = settle_json(&store, "2026-10", &[]);
    let sep_net = dec(&sep["record"]["net_to_client"]);
    let credit_line = oct["invoice"]["lines"]
        .as_array()
        .unwrap()
        .iter()
        .find(|l| l["kind"] == "credit")
        .map(|l| dec(&l["amount"]));
    if sep_net > 0.0 {
        assert_eq!(credit_line, Some(-sep_net));
    } else {
        assert_eq!(credit_line, None);
    }
    assert_eq!(oct["credits_netted"], "next_invoice");
    // The scorecard says whose credits the line carries, in either language.
    if credit_line.is_some() {
        for (lang, text) in [
            (
                "en",
                "net of 2026-09 (credits are netted on the next invoice",
            ),
            (
                "es",
                "neto de 2026-09 (los créditos se compensan en la factura siguiente",
            ),
        ] {
            pacta()
                .args(["--lang", lang, "settle", "--contract", &bank()])
                .args(["--month", "2026-10", "--no-save", "--store"])
                .arg(&store)
                .assert()
                .stdout(predicate::str::contains(text));
        }
    }

    // A vendor invoice with a padded quantity and a hidden charge.
    let first = &oct["invoice"]["lines"][0];
    let q = dec(&first["quantity"]) + 10.0;
    let rate = dec(&first["rate"]);
    let vendor = dir.path().join("vendor.csv");
    std::fs::write(
        &vendor,
        format!(
            "item,quantity,rate,amount\n{},{q},{rate},{:.2}\nplatform-fee,1,999,999\n",
            first["item"].as_str().unwrap(),
            q * rate
        ),
    )
    .unwrap();
    let (rec, _) = settle_json(
        &store,
        "2026-10",
        &["--vendor-invoice", vendor.to_str().unwrap(), "--no-save"],
    );
    let kinds: Vec<&str> = rec["reconciliation"]["discrepancies"]
        .as_array()
        .unwrap()
        .iter()
        .map(|d| d["kind"].as_str().unwrap())
        .collect();
    assert!(kinds.contains(&"quantity"), "{kinds:?}");
    assert!(kinds.contains(&"not_allowed"), "{kinds:?}");

    // explain shows the formula, the counted inputs and the exclusion.
    pacta()
        .args([
            "explain",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--store",
        ])
        .arg(&store)
        .arg("SL-VOICE")
        .assert()
        .success()
        .stdout(predicate::str::contains("A≤20 / (A + Ab − Ab≤5)"))
        .stdout(predicate::str::contains("Ab<=S"))
        .stdout(predicate::str::contains("accepted"))
        .stdout(predicate::str::contains(
            "target in force: ≥ 85 % (since 2026-07-01)",
        ));
    pacta()
        .args([
            "--lang",
            "es",
            "explain",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--store",
        ])
        .arg(&store)
        .arg("NOPE")
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "el contrato no tiene el SLA `NOPE`",
        ))
        .stderr(predicate::str::contains("SL-VOICE"));
    // The Spanish scorecard.
    pacta()
        .args([
            "--lang",
            "es",
            "settle",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--no-save",
            "--store",
        ])
        .arg(&store)
        .assert()
        .stdout(predicate::str::contains(
            "Liquidación AFB-MNL-2026 · 2026-10",
        ))
        .stdout(predicate::str::contains("Factura"));
    // The HTML report (Spanish) next to a Markdown report on standard output.
    let html = dir.path().join("informe.html");
    pacta()
        .args([
            "--lang",
            "es",
            "settle",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--no-save",
            "--format",
            "markdown",
            "--html",
        ])
        .arg(&html)
        .arg("--store")
        .arg(&store)
        .assert()
        .stdout(predicate::str::starts_with(
            "# Informe de liquidación mensual — octubre de 2026",
        ))
        .stderr(predicate::str::contains("informe escrito en"));
    let page = std::fs::read_to_string(&html).unwrap();
    assert!(page.contains(r#"<html lang="es">"#));
    assert!(page.contains("Cascada de créditos"));
    assert!(
        page.matches("<svg").count() >= 4,
        "daily, volume, waterfall and history charts"
    );
    // September is in the history next to October.
    assert!(page.contains(">sep 26<") && page.contains(">oct 26<"));
}

#[test]
fn bad_inputs_are_refused_with_a_location() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    pacta()
        .args([
            "settle",
            "--contract",
            &bank(),
            "--month",
            "2026-13",
            "--store",
        ])
        .arg(&store)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("--month `2026-13` is not a month"));
    let vendor = dir.path().join("vendor.csv");
    std::fs::write(&vendor, "item,qty,rate,amount\nx,1,2,2\n").unwrap();
    pacta()
        .args([
            "settle",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--store",
        ])
        .arg(&store)
        .arg("--vendor-invoice")
        .arg(&vendor)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "vendor.csv:1: missing column `quantity`",
        ));
    std::fs::write(&vendor, "item,quantity,rate,amount\nx,1,two,2\n").unwrap();
    pacta()
        .args([
            "settle",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--store",
        ])
        .arg(&store)
        .arg("--vendor-invoice")
        .arg(&vendor)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "vendor.csv:2:3: `two` in column `rate` is not a decimal number",
        ));
    // Nothing was settled, so nothing was stored.
    pacta()
        .args(["month", "status", "--contract", &bank(), "--store"])
        .arg(&store)
        .assert()
        .success()
        .stdout("no saved settlements\n");
}

#[test]
fn a_month_without_data_is_refused_unless_allowed() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let settle = |month: &str, extra: &[&str]| {
        pacta()
            .args(["settle", "--contract", &bank(), "--month", month])
            .args(["--format", "json", "--no-save", "--store"])
            .arg(&store)
            .args(extra)
            .output()
            .unwrap()
    };
    // A mistyped --store, or a month not imported yet: refused, and no store is created.
    let out = settle("2026-10", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        format!(
            "error: no interactions for AFB-MNL-2026 in 2026-10 in store {}; import the month first",
            store.display()
        )
    );
    assert!(out.stdout.is_empty());
    assert!(!store.exists(), "settling never creates a store");
    // A month before the contract's term.
    let out = settle("2010-08", &[]);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        String::from_utf8_lossy(&out.stderr)
            .contains("2010-08 is before the contract's term, which starts in 2026-"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    // A month after a term that does not renew by itself (36 months from 2026-01-01).
    let fixed_term = dir.path().join("fixed-term.toml");
    std::fs::write(
        &fixed_term,
        std::fs::read_to_string(bank()).unwrap().replacen(
            "automatic = true",
            "automatic = false",
            1,
        ),
    )
    .unwrap();
    let out = pacta()
        .args([
            "--lang",
            "es",
            "settle",
            "--month",
            "2029-01",
            "--no-save",
            "--contract",
        ])
        .arg(&fixed_term)
        .arg("--store")
        .arg(&store)
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim_end(),
        "error: 2029-01 es posterior a la vigencia del contrato, cuyo último mes es 2028-12 (sin renovación automática); use --allow-empty para liquidarlo de todos modos"
    );
    // Asked for explicitly: every SLA without data counts as missed, with a warning.
    let out = settle("2026-10", &["--allow-empty"]);
    assert_eq!(out.status.code(), Some(3));
    assert!(String::from_utf8_lossy(&out.stderr).contains("warning: no interactions"));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    for s in v["slas"].as_array().unwrap() {
        if s["expected"].is_null() {
            continue;
        }
        assert_eq!(s["status"], "missed", "{}", s["sla_id"]);
    }
}

#[test]
fn settle_as_csv_for_spreadsheets() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    load(dir.path(), &store, "2026-10", "3000");
    let (json, _) = settle_json(&store, "2026-10", &["--no-save"]);
    let out = pacta()
        .args([
            "settle",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--no-save",
        ])
        .args(["--format", "csv", "--store"])
        .arg(&store)
        .output()
        .unwrap();
    assert!(matches!(out.status.code(), Some(0 | 3)));
    let text = String::from_utf8(out.stdout).unwrap();
    let mut rdr = csv::Reader::from_reader(text.as_bytes());
    let header: Vec<String> = rdr.headers().unwrap().iter().map(String::from).collect();
    assert_eq!(header[0], "section");
    assert_eq!(header.len(), 13);
    let rows: Vec<csv::StringRecord> = rdr.records().map(Result::unwrap).collect();
    let count = |section: &str| rows.iter().filter(|r| &r[0] == section).count();
    // One row per SLA, per credit line and per invoice line, then three totals.
    assert_eq!(count("sla"), json["slas"].as_array().unwrap().len());
    assert_eq!(
        count("credit"),
        json["credits"]["lines"].as_array().unwrap().len()
    );
    assert_eq!(
        count("invoice"),
        json["invoice"]["lines"].as_array().unwrap().len()
    );
    assert_eq!(count("total"), 3);
    let total = rows
        .iter()
        .find(|r| &r[0] == "total" && &r[1] == "invoice_total")
        .unwrap();
    assert_eq!(
        total[11].parse::<f64>().unwrap(),
        dec(&json["invoice"]["total"])
    );
    assert_eq!(&total[12], json["currency"].as_str().unwrap());
    // Statuses are the settlement's codes.
    for r in rows.iter().filter(|r| &r[0] == "sla") {
        assert!(
            ["met", "missed", "below_minimum", "excused"].contains(&&r[7]),
            "{r:?}"
        );
    }
}
