//! `pacta engine sql` and `--engine` on `kpi`/`settle` at the CLI's edge: the lowered job
//! lists exactly the manifest's files, an occupied directory is refused, and a missing or
//! failing engine program gives a located error. Runs against DataFusion and Ballista are in
//! the engine workspace's conformance test (engine/tests/it/conformance.rs).
#![allow(clippy::unwrap_used)]

use crate::common::pacta;

use std::path::{Path, PathBuf};

use predicates::prelude::*;
use serde_json::Value;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../..")
}

fn s(p: &Path) -> &str {
    p.to_str().unwrap()
}

/// The Anonymous Bank August log in a fresh store; the contract's path.
fn anonbank_store(store: &Path) -> PathBuf {
    let contract = root().join("testdata/anonbank-contract.toml");
    pacta()
        .args(["import", "--contract", s(&contract), "--format", "anonbank"])
        .args(["--time-zone", "Asia/Jerusalem", "--store", s(store)])
        .arg(root().join("testdata/anonbank-august.csv"))
        .assert()
        .success();
    contract
}

#[test]
fn engine_sql_writes_the_manifest_files_and_refuses_an_occupied_directory() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let contract = anonbank_store(&store);
    // An orphan part file beside the committed ones, as a crash before the manifest commit
    // would leave: no job may list it.
    let files: Value = serde_json::from_slice(
        &pacta()
            .args(["store", "files", "--json", "--store", s(&store)])
            .output()
            .unwrap()
            .stdout,
    )
    .unwrap();
    let listed: Vec<String> = files
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["kind"] == "interactions")
        .map(|f| f["path"].as_str().unwrap().to_string())
        .collect();
    assert!(!listed.is_empty());
    let orphan = Path::new(&listed[0]).with_file_name("part-orphan.parquet");
    std::fs::copy(&listed[0], &orphan).unwrap();

    let out = dir.path().join("spark");
    let sql = |lang: &str, force: bool| {
        let mut c = pacta();
        c.args([
            "engine",
            "sql",
            "--contract",
            s(&contract),
            "--month",
            "2010-08",
        ])
        .args(["--store", s(&store), "--dialect", "spark", "--out", s(&out)])
        .args(["--lang", lang]);
        if force {
            c.arg("--force");
        }
        c.assert()
    };
    sql("en", false)
        .success()
        .stdout(predicate::str::contains("-- 00-summary"))
        .stdout(predicate::str::contains("unix_millis(t.arrived_at)"))
        .stderr(predicate::str::contains("dimension tables"));
    let job: Value =
        serde_json::from_str(&std::fs::read_to_string(out.join("job.json")).unwrap()).unwrap();
    assert_eq!(job["dialect"], "spark");
    let month = job["tables"]
        .as_array()
        .unwrap()
        .iter()
        .find(|t| t["name"] == "pacta_month")
        .unwrap();
    let mut in_job: Vec<String> = month["files"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f.as_str().unwrap().to_string())
        .collect();
    in_job.sort();
    let mut expected = listed.clone();
    expected.sort();
    assert_eq!(in_job, expected);
    assert!(!in_job.iter().any(|f| f.contains("orphan")));
    for d in [
        "pacta_channels",
        "pacta_outcomes",
        "pacta_bucket_hours",
        "pacta_open_hours",
    ] {
        assert!(
            out.join("dims").join(format!("{d}.parquet")).is_file(),
            "{d}"
        );
    }
    let queries = job["queries"].as_array().unwrap().len();
    assert_eq!(std::fs::read_dir(out.join("sql")).unwrap().count(), queries);

    // A month the store has no data for is refused before anything is written.
    let empty = dir.path().join("empty-month");
    pacta()
        .args([
            "engine",
            "sql",
            "--contract",
            s(&contract),
            "--month",
            "2010-09",
        ])
        .args(["--store", s(&store), "--out", s(&empty)])
        .assert()
        .failure()
        .stderr(predicate::str::contains("2010-09"));
    assert!(!empty.exists(), "nothing is written for a refused month");

    // The ballista dialect: DataFusion's SQL with the keys as text. An unknown dialect is
    // refused with the ones there are, before anything is written.
    let ballista = dir.path().join("ballista");
    pacta()
        .args([
            "engine",
            "sql",
            "--contract",
            s(&contract),
            "--month",
            "2010-08",
        ])
        .args([
            "--store",
            s(&store),
            "--dialect",
            "ballista",
            "--out",
            s(&ballista),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("CAST(t.queue AS VARCHAR) AS q"));
    let job: Value =
        serde_json::from_str(&std::fs::read_to_string(ballista.join("job.json")).unwrap()).unwrap();
    assert_eq!(job["dialect"], "ballista");
    let unknown = dir.path().join("unknown-dialect");
    pacta()
        .args([
            "engine",
            "sql",
            "--contract",
            s(&contract),
            "--month",
            "2010-08",
        ])
        .args([
            "--store",
            s(&store),
            "--dialect",
            "sqlite",
            "--out",
            s(&unknown),
        ])
        .assert()
        .code(2)
        .stderr(predicate::str::contains("'sqlite'"))
        .stderr(predicate::str::contains(
            "datafusion, ballista, spark, duckdb",
        ));
    assert!(
        !unknown.exists(),
        "nothing is written for a refused dialect"
    );

    // An occupied directory is refused, and nothing in it changes.
    let before = std::fs::read(out.join("job.json")).unwrap();
    sql("en", false)
        .failure()
        .stderr(predicate::str::contains("already exists"));
    sql("es", true)
        .success()
        .stderr(predicate::str::contains("se escribieron"));
    assert_eq!(std::fs::read(out.join("job.json")).unwrap(), before);
}

#[test]
fn a_missing_or_failing_engine_is_reported_and_local_stays_the_default() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let contract = anonbank_store(&store);
    let kpi = || {
        let mut c = pacta();
        c.args(["kpi", "--contract", s(&contract), "--month", "2010-08"])
            .args(["--store", s(&store), "--sla", "SL-ESA", "--format", "json"])
            .env("PACTA_ENGINE_WORK", dir.path());
        c
    };
    kpi().assert().success();
    kpi()
        .args(["--engine", "datafusion"])
        .env("PACTA_ENGINE", dir.path().join("no-such-engine"))
        .assert()
        .failure()
        .stderr(predicate::str::contains("could not start"))
        .stderr(predicate::str::contains("no-such-engine"));
    kpi()
        .args(["--scheduler", "df://localhost:50050"])
        .assert()
        .failure()
        .stderr(predicate::str::contains(
            "--scheduler needs --engine ballista",
        ));
    let mut verify = pacta();
    verify
        .args(["settle", "--contract", s(&contract), "--month", "2010-08"])
        .args(["--store", s(&store), "--verify", "--engine", "datafusion"])
        .assert()
        .failure()
        .stderr(predicate::str::contains("leave out --engine"));
    // An engine that fails says why; one that answers nonsense is located.
    let failing = dir.path().join("failing-engine");
    std::fs::write(
        &failing,
        "#!/bin/sh\necho 'error[engine-query]: boom' >&2\nexit 2\n",
    )
    .unwrap();
    let nonsense = dir.path().join("nonsense-engine");
    std::fs::write(
        &nonsense,
        "#!/bin/sh\nwhile [ \"$1\" != --out ]; do shift; done\necho '{\"results\": 3}' > \"$2\"\n",
    )
    .unwrap();
    for p in [&failing, &nonsense] {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(p, std::fs::Permissions::from_mode(0o755)).unwrap();
    }
    kpi()
        .args(["--engine", "datafusion"])
        .env("PACTA_ENGINE", &failing)
        .assert()
        .failure()
        .stderr(predicate::str::contains("error[engine-query]: boom"));
    kpi()
        .args(["--engine", "ballista", "--lang", "es"])
        .env("PACTA_ENGINE", &nonsense)
        .assert()
        .failure()
        .stderr(predicate::str::contains("motor externo"))
        .stderr(predicate::str::contains("no `results` list"));
    // The job's scratch files are removed either way.
    let left: Vec<_> = std::fs::read_dir(dir.path())
        .unwrap()
        .filter_map(|e| e.ok())
        .filter(|e| {
            e.file_name()
                .to_string_lossy()
                .starts_with("pacta-engine-job")
        })
        .collect();
    assert!(left.is_empty(), "{left:?}");
}
