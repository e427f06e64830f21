//! Conformance: pacta's own engine, DataFusion and Ballista give the same figures, exactly.
//!
//! The seeded generator writes the bank and omnichannel example contracts' months 2026-10 and
//! 2026-11 (about 200,000 contacts each) and a month of the outbound sales contract; `pacta
//! import` stores them and one orphan Parquet file (a copy of a committed one, as a crash
//! between the rename and the manifest commit would leave) is added by hand. Then for every
//! SLA of the three example contracts `pacta kpi --format json` must come out byte for byte
//! the same with `--engine local`, `--engine datafusion` and `--engine ballista` (standalone):
//! the counters are equal, and the rates, computed by the same formulas from them, too. The
//! lowered job is also run here, in this test's process, on DataFusion and on a Ballista
//! scheduler and executor started on loopback, and their raw answers compared.
//!
//! Needs the `pacta` binary of the main workspace: `PACTA_BIN`, or `../target/debug/pacta`
//! (`.ci/run` builds it first).
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

use pacta_engine::{Cell, Job, JobResults, Target, run_job};

/// Contacts per generated month.
const ROWS: &str = "200000";

fn repo() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn pacta_bin() -> PathBuf {
    let bin = std::env::var_os("PACTA_BIN")
        .map(PathBuf::from)
        .unwrap_or_else(|| repo().join("target/debug/pacta"));
    assert!(
        bin.is_file(),
        "{} not found: build the main workspace first (cargo build -p pacta-cli) or set PACTA_BIN",
        bin.display()
    );
    bin
}

fn pacta(args: &[&str]) -> Output {
    Command::new(pacta_bin())
        .args(args)
        .env("PACTA_ENGINE", env!("CARGO_BIN_EXE_pacta-engine"))
        .env_remove("PACTA_LANG")
        .env_remove("PACTA_DB")
        .env("PACTA_ACTOR", "conformance")
        .output()
        .unwrap()
}

fn ok(args: &[&str]) -> Vec<u8> {
    let out = pacta(args);
    assert!(
        out.status.success(),
        "pacta {}: {}",
        args.join(" "),
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

fn example(name: &str) -> String {
    repo()
        .join("examples")
        .join(format!("{name}.toml"))
        .to_string_lossy()
        .into_owned()
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// Rows as sorted JSON texts: engines return the same rows in different orders.
fn sorted_rows(r: &JobResults) -> Vec<(String, Vec<String>)> {
    let text = |c: &Cell| serde_json::to_string(c).unwrap();
    r.results
        .iter()
        .map(|q| {
            let mut rows: Vec<String> = q
                .rows
                .iter()
                .map(|row| row.iter().map(text).collect::<Vec<_>>().join(","))
                .collect();
            rows.sort();
            (q.name.clone(), rows)
        })
        .collect()
}

fn summary_rows(r: &JobResults) -> i128 {
    match r.get("summary").unwrap().rows[0][0] {
        Cell::Int(n) => n,
        ref other => panic!("summary row_count is {other:?}"),
    }
}

/// `pacta settle --no-save --format json` of `contract`'s `month` on `engine`: the settlement
/// JSON (exit 3, an SLA missed, prints it too).
fn settle_json(contract: &str, month: &str, store: &Path, engine: &str, work: &Path) -> Vec<u8> {
    let out = pacta(&[
        "settle",
        "--contract",
        contract,
        "--month",
        month,
        "--store",
        s(store),
        "--no-save",
        "--format",
        "json",
        "--engine",
        engine,
        "--engine-work",
        s(work),
    ]);
    assert!(
        matches!(out.status.code(), Some(0) | Some(3)),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    out.stdout
}

/// A runtime like the `pacta-engine` program's: Ballista's plan encoding needs deep stacks.
fn runtime() -> tokio::runtime::Runtime {
    tokio::runtime::Builder::new_multi_thread()
        .worker_threads(2)
        .thread_stack_size(pacta_engine::WORKER_STACK_BYTES)
        .enable_all()
        .build()
        .unwrap()
}

#[test]
fn local_datafusion_and_ballista_agree_exactly() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let work = dir.path().join("engine-work");
    std::fs::create_dir_all(&work).unwrap();
    let months = ["2026-10", "2026-11"];
    let generated: [(&str, &[&str], &str, &[&str]); 3] = [
        ("bank-inbound-manila", &months, ROWS, &[]),
        ("omnicanal-bogota", &months, ROWS, &[]),
        // Its dialer source has other columns: pacta's own, as the generator writes them.
        (
            "telecom-outbound-sales",
            &months[..1],
            "50000",
            &["--source", "pacta"],
        ),
    ];
    for (name, ms, rows, import_args) in generated {
        let contract = example(name);
        for m in ms {
            let out = dir.path().join(format!("gen-{name}-{m}"));
            ok(&[
                "gen",
                "--contract",
                &contract,
                "--month",
                m,
                "--rows",
                rows,
                "--out",
                s(&out),
            ]);
            let mut args = vec!["import", "--contract", &contract, "--store", s(&store)];
            args.extend_from_slice(import_args);
            args.push(s(&out));
            ok(&args);
        }
    }
    // The orphan: a committed part file copied under a name no manifest lists.
    let files: serde_json::Value =
        serde_json::from_slice(&ok(&["store", "files", "--json", "--store", s(&store)])).unwrap();
    let first = files
        .as_array()
        .unwrap()
        .iter()
        .find(|f| f["kind"] == "interactions")
        .unwrap();
    let first = PathBuf::from(first["path"].as_str().unwrap());
    let orphan = first.with_file_name("part-orphan-0.parquet");
    std::fs::copy(&first, &orphan).unwrap();

    let mut compared = 0;
    for (name, ms, _, _) in generated {
        let contract = example(name);
        for m in ms {
            for by in [None, Some("queue,channel,site,language")] {
                let kpi = |engine: &str| {
                    let mut args = vec!["kpi", "--contract", &contract, "--month", m];
                    args.extend(["--store", s(&store), "--format", "json", "--engine", engine]);
                    args.extend(["--engine-work", s(&work)]);
                    if let Some(by) = by {
                        args.extend(["--by", by]);
                    }
                    ok(&args)
                };
                let local = kpi("local");
                let report: serde_json::Value = serde_json::from_slice(&local).unwrap();
                assert!(report["scan"]["rows_in_periods"].as_u64().unwrap() > 0);
                for engine in ["datafusion", "ballista"] {
                    let theirs = kpi(engine);
                    assert!(
                        local == theirs,
                        "{name} {m} by {by:?}: --engine {engine} differs from local"
                    );
                    compared += 1;
                }
            }
        }
    }
    assert_eq!(compared, 2 * 2 * (2 + 2 + 1));

    // The same job in this process: DataFusion, and Ballista's scheduler and executor on
    // loopback. Their raw counters agree, and neither reads the orphan.
    let job_dir = dir.path().join("job");
    let bank = example("bank-inbound-manila");
    ok(&[
        "engine",
        "sql",
        "--contract",
        &bank,
        "--month",
        "2026-10",
        "--store",
        s(&store),
        "--dialect",
        "datafusion",
        "--out",
        s(&job_dir),
    ]);
    let job = Job::from_path(&job_dir.join("job.json")).unwrap();
    let listed: Vec<String> = job
        .tables
        .iter()
        .flat_map(|t| t.files.iter().map(|f| f.to_string_lossy().into_owned()))
        .collect();
    assert!(!listed.iter().any(|f| f.contains("orphan")), "{listed:?}");
    let rt = runtime();
    let datafusion = rt.block_on(run_job(&job, &Target::DataFusion)).unwrap();
    let ballista = rt
        .block_on(run_job(&job, &Target::BallistaStandalone))
        .unwrap();
    // The standalone scheduler and executor are tasks that never end by themselves.
    rt.shutdown_background();
    assert_eq!(ballista.engine, "ballista-standalone");
    assert_eq!(sorted_rows(&datafusion), sorted_rows(&ballista));
    let local: serde_json::Value = serde_json::from_slice(&ok(&[
        "kpi",
        "--contract",
        &bank,
        "--month",
        "2026-10",
        "--store",
        s(&store),
        "--format",
        "json",
    ]))
    .unwrap();
    let rows = local["scan"]["rows"].as_u64().unwrap();
    assert_eq!(summary_rows(&datafusion), i128::from(rows));
    // The month's manifest rows, plus the next month's first days for the FCR window: the
    // orphan (a copy of a whole file) would add a file's rows.
    let manifest_rows: u64 = files
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "interactions" && f["month"] == "2026-10")
        .filter(|f| f["contract"] == "AFB-MNL-2026")
        .map(|f| f["rows"].as_u64().unwrap())
        .sum();
    assert!(
        rows > manifest_rows && rows < manifest_rows + manifest_rows / 2,
        "{rows} vs {manifest_rows}"
    );
}

#[test]
fn settle_on_datafusion_is_byte_identical_on_the_demo_month() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let out = dir.path().join("demo");
    ok(&[
        "demo",
        "--rows",
        "60000",
        "--out",
        s(&out),
        "--store",
        s(&store),
    ]);
    let contract = out.join("contract.toml");
    let settle = |engine: &str| settle_json(s(&contract), "2026-10", &store, engine, dir.path());
    let local = settle("local");
    let text = String::from_utf8_lossy(&local);
    // The demo's accepted outage leaves rows out of SLAs: the engine marks them itself.
    assert!(
        text.contains("\"contacts_removed\""),
        "the demo month has exclusions"
    );
    assert_eq!(local, settle("datafusion"));
    assert_eq!(local, settle("ballista"));
}

/// A disposition padded with a tab, a no-break space or an ideographic space is the same
/// outcome to pacta (`disposition_key`), so the engines must trim exactly those characters
/// too: SQL's plain `TRIM` removes spaces only, and these sales went uncounted before.
#[test]
fn dispositions_padded_with_any_whitespace_count_the_same() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let out = dir.path().join("gen");
    let contract = example("telecom-outbound-sales");
    let month = ["--contract", &contract, "--month", "2026-10"];
    ok(&[&["gen"], &month[..], &["--rows", "3000", "--out", s(&out)]].concat());
    let csv = out.join("interactions.csv");
    let text = std::fs::read_to_string(&csv).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let column = header.split(',').position(|c| c == "disposition").unwrap();
    let pads = [
        "\tsale",
        "SALE\u{a0}",
        "\u{3000}Sale\u{2003}",
        " sale ",
        "sale\u{85}",
    ];
    let mut sales = 0;
    let mut rewritten = vec![header.to_string()];
    for line in lines {
        let mut fields: Vec<String> = line.split(',').map(str::to_string).collect();
        if fields[column] == "sale" {
            fields[column] = pads[sales % pads.len()].to_string();
            sales += 1;
        }
        rewritten.push(fields.join(","));
    }
    assert!(sales > 50, "only {sales} sales generated");
    std::fs::write(&csv, rewritten.join("\n") + "\n").unwrap();
    ok(&[
        "import",
        "--contract",
        &contract,
        "--store",
        s(&store),
        "--source",
        "pacta",
        s(&out),
    ]);

    let kpi = |engine: &str| {
        let mut args = month.to_vec();
        args.insert(0, "kpi");
        args.extend(["--store", s(&store), "--format", "json", "--engine", engine]);
        args.extend(["--engine-work", s(dir.path())]);
        ok(&args)
    };
    let local = kpi("local");
    let report: serde_json::Value = serde_json::from_slice(&local).unwrap();
    let counted = report["results"]
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["request"]["id"] == "SALES")
        .map(|r| {
            r["groups"][0]["periods"][0]["value"]["value"]
                .as_f64()
                .unwrap()
        })
        .unwrap();
    assert_eq!(counted, sales as f64, "every padded sale is a sale");
    assert!(local == kpi("datafusion"), "DataFusion differs from local");
    assert!(local == kpi("ballista"), "Ballista differs from local");

    // The sales are billed, too (the outcome price matches dispositions the same way), and
    // the settlement is the same on the engine.
    let settle = |engine: &str| settle_json(&contract, "2026-10", &store, engine, dir.path());
    let settled = settle("local");
    let json: serde_json::Value = serde_json::from_slice(&settled).unwrap();
    let units = |id: &str| {
        json["usage"]["components"][id]["units"]
            .as_str()
            .map(|u| u.parse::<f64>().unwrap())
            .or_else(|| json["usage"]["components"][id]["units"].as_f64())
            .unwrap()
    };
    assert_eq!(
        units("sale-acquisition") + units("sale-upsell"),
        sales as f64
    );
    assert!(
        settled == settle("datafusion"),
        "settle on DataFusion differs"
    );
}
