//! Obligations and the calendar through the binary, on the embedded database: derived and
//! recorded, fulfilled with evidence, waived, refused when unknown or already settled (and
//! nothing written then), bad ranges refused, superseded by a new contract version, and written as RFC 5545
//! twice, each generation checked by an independent reader (the PyPI `icalendar` package,
//! through `.ci/check_ics.py`) when PACTA_ICAL_PYTHON names a Python that has it. CI sets
//! PACTA_REQUIRE_ICALENDAR=1 so that check never skips. The database half of obligations runs
//! on PostgreSQL too, in pacta-db's own tests; this binary is a thin front end over them.
//!
//! July 2026 is used because it is past on any machine running this, so every obligation of
//! the month is overdue whatever today is, and the statuses are stable.
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use crate::common::{audit_entries, bank, pacta};

use std::path::Path;

use predicates::prelude::*;
use serde_json::Value;

const INVOICE: &str = "AFB-MNL-2026/invoice-due/2026-06/2026-07-05";
const MONTHLY_REPORT: &str = "AFB-MNL-2026/report-due/monthly-sla-report-2026-06/2026-07-07";

fn list(store: &Path, contract: impl AsRef<Path>, extra: &[&str]) -> Vec<Value> {
    let out = pacta()
        .args(["obligations", "--from", "2026-07-01", "--to", "2026-07-31"])
        .arg("--contract")
        .arg(contract.as_ref())
        .arg("--store")
        .arg(store)
        .args(["--format", "json"])
        .args(extra)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    v.as_array().unwrap().clone()
}

fn find<'a>(rows: &'a [Value], id: &str) -> &'a Value {
    rows.iter()
        .find(|r| r["id"] == id)
        .unwrap_or_else(|| panic!("no obligation {id}"))
}

#[test]
fn obligations_are_derived_recorded_fulfilled_and_waived() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");

    let rows = list(&store, bank(), &[]);
    assert!(rows.len() > 40, "{} obligations in July", rows.len());
    // Windows that overlap July (a yearly test quota, the quarter) end later and are listed
    // too; everything due by the end of July is overdue.
    let in_july = |r: &&Value| {
        let last = r["due"]["date"]
            .as_str()
            .or(r["due"]["last"].as_str())
            .unwrap();
        last <= "2026-07-31"
    };
    assert!(
        rows.iter()
            .filter(in_july)
            .all(|r| r["status"] == "overdue")
    );
    assert!(
        rows.iter().any(|r| r["kind"] == "penetration-test"),
        "{rows:#?}"
    );
    let overdue = rows.iter().filter(|r| r["status"] == "overdue").count();
    let invoice = find(&rows, INVOICE);
    assert_eq!(invoice["party"], "provider");
    assert_eq!(invoice["due"]["date"], "2026-07-05");
    assert_eq!(invoice["source"]["path"], "pricing.payment.invoice_due_day");
    assert_eq!(invoice["source"]["line"], 287);
    // Manila is UTC+8: the deadline is the start of the next local day.
    assert_eq!(invoice["deadline"], "2026-07-05T16:00:00Z");
    assert_eq!(invoice["contract_version"], "1.1");

    // The table fits 100 columns and ends with the counts and what was recorded.
    pacta()
        .args(["obligations", "--from", "2026-07-01", "--to", "2026-07-31"])
        .arg("--contract")
        .arg(bank())
        .arg("--store")
        .arg(&store)
        .assert()
        .success()
        .stdout(predicate::function(|s: &str| {
            s.lines().all(|l| l.chars().count() <= 100)
        }))
        .stdout(predicate::str::contains(format!("    {INVOICE}\n")))
        .stdout(predicate::str::contains(format!("{overdue} overdue")))
        // Already recorded by the first listing: nothing new to say.
        .stdout(predicate::str::contains("recorded:").not());

    let evidence = dir.path().join("invoice-2026-06.pdf");
    std::fs::write(&evidence, b"%PDF-1.4 invoice June").unwrap();
    let hash = blake3::hash(b"%PDF-1.4 invoice June").to_hex().to_string();
    pacta()
        .args(["obligation", "fulfil", INVOICE, "--note", "sent by e-mail"])
        .arg("--evidence")
        .arg(&evidence)
        .arg("--store")
        .arg(&store)
        .assert()
        .success()
        .stdout(predicate::str::contains(format!(
            "fulfilled {INVOICE} (evidence BLAKE3 {hash}); audit entry"
        )));
    pacta()
        .args(["obligation", "waive", MONTHLY_REPORT])
        .args(["--reason", "merged into the QBR pack"])
        .arg("--store")
        .arg(&store)
        .assert()
        .success()
        .stdout(predicate::str::starts_with(format!(
            "waived {MONTHLY_REPORT}"
        )));

    let rows = list(&store, bank(), &[]);
    let invoice = find(&rows, INVOICE);
    assert_eq!(invoice["status"], "fulfilled_late");
    assert_eq!(invoice["closed_by"]["evidence_hash"], hash.as_str());
    assert_eq!(invoice["closed_by"]["actor"], "tester");
    assert_eq!(find(&rows, MONTHLY_REPORT)["status"], "waived");
    let only = list(&store, bank(), &["--status", "waived,fulfilled_late"]);
    assert_eq!(only.len(), 2, "{only:#?}");
    let clients = list(&store, bank(), &["--party", "client"]);
    assert!(clients.iter().all(|r| r["party"] != "provider"));
    assert!(clients.iter().any(|r| r["party"] == "client"));

    // Refusals change nothing.
    let audit_before = audit_entries(&store);
    pacta()
        .args(["obligation", "waive", INVOICE, "--reason", "again"])
        .arg("--store")
        .arg(&store)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("already fulfilled"));
    pacta()
        .args(["obligation", "fulfil", "AFB-MNL-2026/nothing/x/2026-07-01"])
        .arg("--store")
        .arg(&store)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "no obligation has the id AFB-MNL-2026/nothing/x/2026-07-01",
        ));
    let missing = dir.path().join("missing.pdf");
    pacta()
        .args([
            "obligation",
            "fulfil",
            MONTHLY_REPORT.replace("06", "05").as_str(),
        ])
        .arg("--evidence")
        .arg(&missing)
        .arg("--store")
        .arg(&store)
        .assert()
        .failure()
        .stderr(predicate::str::contains("missing.pdf"));
    assert_eq!(audit_entries(&store), audit_before);

    // In Spanish, and the range errors carry their codes.
    pacta()
        .args(["--lang", "es", "obligations", "--from", "2026-07-01"])
        .args(["--to", "2026-07-31", "--contract"])
        .arg(bank())
        .arg("--store")
        .arg(&store)
        .assert()
        .success()
        .stdout(predicate::str::contains("vencida"))
        .stdout(predicate::str::contains("dispensada"));
    pacta()
        .args(["obligations", "--from", "2026-07-31", "--to", "2026-07-01"])
        .arg("--contract")
        .arg(bank())
        .arg("--store")
        .arg(&store)
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "the range 2026-07-31 – 2026-07-01 ends before it starts",
        ));
    pacta()
        .args(["obligations", "--from", "2026-01-01", "--to", "2040-01-01"])
        .arg("--contract")
        .arg(bank())
        .arg("--store")
        .arg(&store)
        .assert()
        .failure()
        .stderr(predicate::str::contains("is longer than 10 years"));
}

#[test]
fn a_new_contract_version_supersedes_and_the_calendar_keeps_every_uid() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let first = dir.path().join("first.ics");
    let second = dir.path().join("second.ics");
    pacta()
        .args(["calendar", "--from", "2026-07-01", "--to", "2026-07-31"])
        .arg("--contract")
        .arg(bank())
        .arg("--store")
        .arg(&store)
        .arg("-o")
        .arg(&first)
        .assert()
        .success()
        .stdout(predicate::str::contains("0 cancelled"));

    // Version 1.2 drops the daily operations report.
    let text = std::fs::read_to_string(bank()).unwrap();
    let daily = text
        .lines()
        .find(|l| l.contains("id = \"daily-ops\""))
        .unwrap();
    let changed = text
        .replacen("version = \"1.1\"", "version = \"1.2\"", 1)
        .replace(&format!("{daily}\n"), "");
    assert_ne!(changed, text);
    let v2 = dir.path().join("bank-1.2.toml");
    std::fs::write(&v2, changed).unwrap();
    pacta()
        .args(["calendar", "--from", "2026-07-01", "--to", "2026-07-31"])
        .arg("--contract")
        .arg(&v2)
        .arg("--store")
        .arg(&store)
        .arg("-o")
        .arg(&second)
        .assert()
        .success()
        .stdout(predicate::str::contains("31 cancelled"));

    let rows = list(&store, &v2, &["--status", "superseded"]);
    assert_eq!(rows.len(), 31, "one daily report per day of July");
    assert!(rows.iter().all(|r| r["kind"] == "report-due"));

    let ics = std::fs::read_to_string(&second).unwrap();
    assert!(ics.starts_with("BEGIN:VCALENDAR\r\n"));
    assert_eq!(ics.matches("STATUS:CANCELLED\r\n").count(), 31);
    assert!(
        ics.contains("SEQUENCE:10200\r\n"),
        "version 1.2 as sequence"
    );
    assert!(!ics.contains("RRULE"));
    assert!(ics.contains(&format!("UID:{INVOICE}@pacta\r\n")));
    check_with_icalendar(&first, &second);
}

/// The independent reader: `.ci/check_ics.py` with the PyPI `icalendar` package.
fn check_with_icalendar(first: &Path, second: &Path) {
    let Ok(python) = std::env::var("PACTA_ICAL_PYTHON") else {
        assert!(
            std::env::var("PACTA_REQUIRE_ICALENDAR").as_deref() != Ok("1"),
            "PACTA_REQUIRE_ICALENDAR=1 but PACTA_ICAL_PYTHON is not set"
        );
        eprintln!("skipped the icalendar check: PACTA_ICAL_PYTHON not set");
        return;
    };
    let script = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.ci/check_ics.py");
    let out = std::process::Command::new(python)
        .arg(script)
        .arg(first)
        .arg(second)
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(stdout.contains("UIDs stable"), "{stdout}");
    assert!(stdout.contains("31 cancelled"), "{stdout}");
}

/// The roster, training records and QA evaluations of June prove (or break) the people and
/// quality commitments with no one ticking a box, with the KPI engine's own figures.
#[test]
fn the_data_proves_people_and_quality_obligations() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let generated = dir.path().join("gen");
    pacta()
        .args(["gen", "--month", "2026-06", "--rows", "2000", "--contract"])
        .arg(bank())
        .arg("--out")
        .arg(&generated)
        .assert()
        .success();

    // Before any record is imported the month is simply overdue: missing data proves nothing.
    let rows = list_june(&store);
    assert_eq!(
        find(&rows, &proven_id("ongoing-training"))["status"],
        "overdue"
    );
    assert!(find(&rows, &proven_id("ongoing-training"))["measured"].is_null());

    for kind in ["roster", "training", "qa"] {
        pacta()
            .args(["import", "--format", "csv", "--kind", kind, "--contract"])
            .arg(bank())
            .arg("--store")
            .arg(&store)
            .arg(generated.join(format!("{kind}.csv")))
            .assert()
            .success();
    }
    let rows = list_june(&store);
    let kpi = |metric: &str, extra: &[&str]| -> f64 {
        let out = pacta()
            .args([
                "kpi", "--month", "2026-06", "--format", "json", "--metric", metric,
            ])
            .args(extra)
            .arg("--contract")
            .arg(bank())
            .arg("--store")
            .arg(&store)
            .output()
            .unwrap();
        let v: Value = serde_json::from_slice(&out.stdout).unwrap();
        v["results"][0]["groups"][0]["periods"][0]["value"]["value"]
            .as_f64()
            .unwrap()
    };
    let checks = [
        ("attrition-monthly", "attrition:monthly", vec![], "4"),
        ("attrition-annual", "attrition:annualised", vec![], "40"),
        (
            "ongoing-training",
            "training_hours:ongoing_per_agent",
            vec![],
            "6",
        ),
        (
            "qa-evaluations",
            "qa_score:evaluated_share",
            vec!["--param", "evaluations_per_agent=4"],
            "4",
        ),
    ];
    for (kind, metric, extra, limit) in checks {
        let row = find(&rows, &proven_id(kind));
        let m = &row["measured"];
        let value: f64 = m["value"].as_str().unwrap().parse().unwrap();
        let expected = kpi(metric, &extra);
        assert!(
            (value - expected).abs() < 1e-6,
            "{kind}: {value} against pacta kpi {expected}"
        );
        assert_eq!(m["limit"], limit, "{kind}");
        let met = m["met"].as_bool().unwrap();
        assert_eq!(
            row["status"],
            if met { "fulfilled_on_time" } else { "breached" },
            "{kind}"
        );
        let limit: f64 = limit.parse().unwrap();
        let expected_met = match kind {
            "attrition-monthly" | "attrition-annual" => value <= limit,
            "ongoing-training" => value >= limit,
            _ => value >= 100.0,
        };
        assert_eq!(met, expected_met, "{kind}: {value} against {limit}");
    }
    let initial = find(&rows, &proven_id("initial-training"));
    let inputs = &initial["measured"]["inputs"];
    let below = inputs["hires_below_required"].as_f64().unwrap();
    assert_eq!(
        initial["status"],
        if below == 0.0 {
            "fulfilled_on_time"
        } else {
            "breached"
        }
    );
    // A waiver agreed between the parties stands over the data's verdict; a ticked box does
    // not turn a breached month into a met one.
    let breached: Vec<&Value> = rows.iter().filter(|r| r["status"] == "breached").collect();
    assert!(
        !breached.is_empty(),
        "the generated month breaches something"
    );
    let id = breached[0]["id"].as_str().unwrap();
    pacta()
        .args(["obligation", "fulfil", id, "--note", "we did train them"])
        .arg("--store")
        .arg(&store)
        .assert()
        .success();
    assert_eq!(find(&list_june(&store), id)["status"], "breached");
    let dir2 = tempfile::tempdir().unwrap();
    let store2 = dir2.path().join("store");
    std::fs::create_dir_all(&store2).unwrap();
    for kind in ["roster", "training", "qa"] {
        pacta()
            .args(["import", "--format", "csv", "--kind", kind, "--contract"])
            .arg(bank())
            .arg("--store")
            .arg(&store2)
            .arg(generated.join(format!("{kind}.csv")))
            .assert()
            .success();
    }
    list_june(&store2);
    pacta()
        .args(["obligation", "waive", id, "--reason", "agreed at the QBR"])
        .arg("--store")
        .arg(&store2)
        .assert()
        .success();
    assert_eq!(find(&list_june(&store2), id)["status"], "waived");
}

fn proven_id(kind: &str) -> String {
    format!("AFB-MNL-2026/{kind}/2026-06/2026-06-01..2026-06-30")
}

fn list_june(store: &Path) -> Vec<Value> {
    let out = pacta()
        .args(["obligations", "--from", "2026-06-01", "--to", "2026-06-30"])
        .arg("--contract")
        .arg(bank())
        .arg("--store")
        .arg(store)
        .args(["--format", "json"])
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    serde_json::from_slice::<Value>(&out.stdout)
        .unwrap()
        .as_array()
        .unwrap()
        .clone()
}
