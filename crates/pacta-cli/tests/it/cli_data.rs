//! Drives `pacta import` and `pacta store info|export` on the real files of testdata.

use crate::common::{example, pacta};

use std::path::{Path, PathBuf};

use predicates::prelude::*;

fn data(name: &str) -> String {
    format!("{}/../../testdata/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn s(p: &Path) -> &str {
    p.to_str().expect("utf8")
}

#[test]
fn import_anonbank_summary_reimport_info_and_export() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    let quarantine = dir.path().join("q.csv");
    let contract = example("bank-inbound-manila.toml");
    let file = data("anonbank-august.csv");
    let args = [
        "import",
        "--contract",
        &contract,
        "--format",
        "anonbank",
        "--time-zone",
        "Asia/Jerusalem",
        "--store",
        s(&store),
        "--quarantine",
        s(&quarantine),
        &file,
    ];
    pacta()
        .args(args)
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"rows read\s+42,078").expect("re"))
        .stdout(predicate::str::is_match(r"imported\s+38,711").expect("re"))
        .stdout(predicate::str::is_match(r"not offered\s+3,057").expect("re"))
        .stdout(predicate::str::is_match(r"dropped: phantom\s+310").expect("re"))
        .stdout(predicate::str::is_match(r"rows written to the store\s+38,711").expect("re"));
    let q = std::fs::read_to_string(&quarantine).expect("quarantine");
    assert_eq!(q.trim(), "file,row,field,value,reason");
    // Again: nothing new.
    pacta()
        .args(args)
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"duplicates skipped\s+38,711").expect("re"))
        .stdout(predicate::str::contains(
            "nothing new: the store is unchanged",
        ));
    pacta()
        .args(["store", "info", "--store", s(&store)])
        .assert()
        .success()
        .stdout(predicate::str::contains("AFB-MNL-2026"))
        .stdout(predicate::str::is_match(r"interactions\s+2010-08\s+38,406 rows").expect("re"));
    let out = dir.path().join("export");
    pacta()
        .args([
            "store",
            "export",
            "--store",
            s(&store),
            "--format",
            "csv",
            "-o",
            s(&out),
        ])
        .assert()
        .success();
    let csv =
        std::fs::read_to_string(out.join("interactions-AFB-MNL-2026-2010-08.csv")).expect("csv");
    assert!(csv.starts_with("source_id,channel,queue,"));
}

#[test]
fn import_asterisk_in_spanish() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    pacta()
        .args([
            "--lang",
            "es",
            "import",
            "--contract",
            &example("bank-inbound-manila.toml"),
            "--format",
            "asterisk",
            "--store",
            s(&store),
            &data("asterisk-queue-log-mirta.csv"),
        ])
        .assert()
        .success()
        .stdout(predicate::str::contains("Resumen de la importación"))
        .stdout(predicate::str::is_match(r"filas leídas\s+1\.000").expect("re"))
        .stdout(
            predicate::str::is_match(r"registros \(de una o más filas cada uno\)\s+108")
                .expect("re"),
        )
        .stdout(
            predicate::str::is_match(r"filas incorporadas a esos registros\s+557").expect("re"),
        );
}

#[test]
fn quarantine_above_threshold_fails_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    let src = dir.path().join("bad.csv");
    let mut text: String = std::fs::read_to_string(data("anonbank-august.csv"))
        .expect("read")
        .lines()
        .take(21)
        .map(|l| format!("{l}\n"))
        .collect();
    text.push_str("AA0213,1,0,1,AA,2010-08-01,10:00:45,10:00:51,6,10:00:51,10:01:33,42,AGENT,10:01:32,10:03:08,96,VICKY\n");
    std::fs::write(&src, text).expect("write");
    let quarantine = dir.path().join("q.csv");
    pacta()
        .args([
            "import",
            "--contract",
            &example("bank-inbound-manila.toml"),
            "--format",
            "anonbank",
            "--store",
            s(&store),
            "--quarantine",
            s(&quarantine),
            "--max-quarantine-percent",
            "1",
            s(&src),
        ])
        .assert()
        .code(1)
        .stdout(predicate::str::is_match(r"quarantined\s+1").expect("re"))
        .stderr(predicate::str::contains(
            "above --max-quarantine-percent 1; nothing was written",
        ));
    assert!(
        !store.exists(),
        "a refused import leaves no store folder and no pseudonym key"
    );
    let q = std::fs::read_to_string(&quarantine).expect("q");
    assert!(q.contains(",22,type,AA,\"unknown call type"), "{q}");
}

#[test]
fn missing_column_is_an_error_naming_it() {
    let dir = tempfile::tempdir().expect("tmp");
    let src = dir.path().join("calls.csv");
    std::fs::write(&src, "id,queue,start\n1,Q,2024-01-01 10:00:00\n").expect("write");
    let mapping = dir.path().join("map.toml");
    std::fs::write(
        &mapping,
        "[mapping]\nsource_id = \"id\"\narrived_at = \"start\"\noutcome = \"result\"\n",
    )
    .expect("write");
    pacta()
        .args([
            "import",
            "--contract",
            &example("bank-inbound-manila.toml"),
            "--format",
            "csv",
            "--mapping",
            s(&mapping),
            "--store",
            s(&dir.path().join("store")),
            s(&src),
        ])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("missing required column `result`"));
}

#[test]
fn import_surveys_kind() {
    let dir = tempfile::tempdir().expect("tmp");
    let src = dir.path().join("surveys.csv");
    std::fs::write(
        &src,
        "interaction_id,answered_at,csat,nps,resolved\nc1,2026-03-02 10:00:00,5,9,yes\nc2,2026-03-02 11:00:00,7,,no\n",
    )
    .expect("write");
    pacta()
        .args([
            "import",
            "--contract",
            &example("bank-inbound-manila.toml"),
            "--kind",
            "surveys",
            "--store",
            s(&dir.path().join("store")),
            s(&src),
        ])
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"imported\s+1").expect("re"))
        .stdout(predicate::str::contains("CSAT must be 1–5: 1"));
}

/// Every file under `dir` with its bytes.
fn snapshot(dir: &Path) -> std::collections::BTreeMap<std::path::PathBuf, Vec<u8>> {
    let mut out = std::collections::BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p.is_dir() {
                stack.push(p);
            } else {
                out.insert(
                    p.strip_prefix(dir).expect("prefix").to_path_buf(),
                    std::fs::read(&p).expect("read"),
                );
            }
        }
    }
    out
}

#[test]
fn import_killed_while_writing_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    let contract = example("bank-inbound-manila.toml");
    pacta()
        .args(["import", "--contract", &contract, "--format", "anonbank"])
        .args(["--store", s(&store), &data("anonbank-august.csv")])
        .assert()
        .success();
    let before = snapshot(&store);

    // A big generic CSV: long enough to write that the kill lands inside the commit.
    let big = dir.path().join("big.csv");
    let mut text = String::from("source_id,queue,arrived_at,outcome,wait_s,customer_key\n");
    for i in 0..400_000u32 {
        let day = 1 + i % 28;
        let secs = i % 86_000;
        text.push_str(&format!(
            "k{i},cards,2026-10-{day:02} {:02}:{:02}:{:02},answered,{},+63 917 {:07}\n",
            secs / 3600,
            secs / 60 % 60,
            secs % 60,
            i % 90,
            i % 50_000
        ));
    }
    std::fs::write(&big, text).expect("write");
    let bin = assert_cmd::cargo::cargo_bin("pacta");
    let mut child = std::process::Command::new(&bin)
        .args(["import", "--contract", &contract, "--format", "csv"])
        .args(["--store", s(&store), s(&big)])
        .stdout(std::process::Stdio::null())
        .stderr(std::process::Stdio::null())
        .spawn()
        .expect("spawn");
    let staging = store.join("staging");
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    let mut caught_writing = false;
    loop {
        if staging.exists() {
            caught_writing = true;
            break;
        }
        if child.try_wait().expect("wait").is_some() || std::time::Instant::now() > deadline {
            break;
        }
        std::thread::sleep(std::time::Duration::from_micros(200));
    }
    let _ = child.kill(); // SIGKILL on Unix: no cleanup runs.
    let _ = child.wait();
    assert!(
        caught_writing,
        "the import finished before the kill could land in the commit"
    );
    // Readers change nothing: the killed batch is not listed and `store info` deletes nothing.
    let killed = snapshot(&store);
    pacta()
        .args(["store", "info", "--store", s(&store)])
        .assert()
        .success();
    assert!(snapshot(&store) == killed, "a reader changed the store");
    assert_eq!(
        before.get(Path::new("manifest.json")),
        killed.get(Path::new("manifest.json")),
        "the killed batch must not be listed"
    );
    // The same import run to the end sweeps what the dead batch left (under the writer lock)
    // and adds every row once; every data file is then one the manifest lists.
    pacta()
        .args(["import", "--contract", &contract, "--format", "csv"])
        .args(["--store", s(&store), s(&big)])
        .assert()
        .success()
        .stdout(predicate::str::contains("400,000"));
    assert!(!store.join("staging").exists());
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(store.join("manifest.json")).expect("manifest"))
            .expect("json");
    let listed: std::collections::BTreeSet<String> = manifest["batches"]
        .as_array()
        .expect("batches")
        .iter()
        .flat_map(|b| b["files"].as_array().expect("files").iter())
        .map(|f| f["path"].as_str().expect("path").to_string())
        .collect();
    let on_disk: std::collections::BTreeSet<String> = snapshot(&store)
        .keys()
        .filter(|p| p.extension().is_some_and(|x| x == "parquet"))
        .map(|p| p.to_string_lossy().replace('\\', "/"))
        .collect();
    assert_eq!(on_disk, listed, "no file of the killed batch may remain");
    for (path, bytes) in snapshot(&store) {
        let needle = b"917 0049999";
        assert!(
            !bytes.windows(needle.len()).any(|w| w == needle),
            "raw phone number found in {}",
            path.display()
        );
    }
}

#[test]
fn two_importers_at_once_never_lose_or_double_a_row() {
    // Two real processes, 50 imports each, into one store: every import waits for the
    // writer lock, batch ids stay unique and the manifest lists exactly the files on disk.
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    let contract = example("bank-inbound-manila.toml");
    let bin = assert_cmd::cargo::cargo_bin("pacta");
    let files: Vec<Vec<std::path::PathBuf>> = (0..2)
        .map(|w| {
            (0..50)
                .map(|i| {
                    let p = dir.path().join(format!("w{w}-{i}.csv"));
                    let mut text = String::from("source_id,queue,arrived_at,outcome,wait_s\n");
                    for r in 0..20 {
                        text.push_str(&format!(
                            "w{w}-{i}-{r},cards,2026-10-{:02} 09:{:02}:00,answered,12\n",
                            1 + i % 28,
                            r
                        ));
                    }
                    std::fs::write(&p, text).expect("write");
                    p
                })
                .collect()
        })
        .collect();
    std::thread::scope(|scope| {
        for list in &files {
            let (bin, contract, store) = (&bin, &contract, &store);
            scope.spawn(move || {
                for f in list {
                    let out = std::process::Command::new(bin)
                        .args(["import", "--contract", contract, "--format", "csv"])
                        .args(["--wait", "120", "--store", s(store), s(f)])
                        .output()
                        .expect("run");
                    assert!(
                        out.status.success(),
                        "{}",
                        String::from_utf8_lossy(&out.stderr)
                    );
                }
            });
        }
    });
    let manifest: serde_json::Value =
        serde_json::from_slice(&std::fs::read(store.join("manifest.json")).expect("manifest"))
            .expect("json");
    let batches = manifest["batches"].as_array().expect("batches");
    assert_eq!(batches.len(), 100);
    let ids: std::collections::BTreeSet<&str> = batches
        .iter()
        .map(|b| b["id"].as_str().expect("id"))
        .collect();
    assert_eq!(ids.len(), 100, "batch ids are unique");
    let rows: u64 = batches
        .iter()
        .map(|b| b["counts"]["written"].as_u64().expect("written"))
        .sum();
    assert_eq!(rows, 2 * 50 * 20);
    for b in batches {
        for f in b["files"].as_array().expect("files") {
            assert!(store.join(f["path"].as_str().expect("path")).is_file());
        }
    }
    let out = pacta()
        .args([
            "kpi",
            "--contract",
            &contract,
            "--store",
            s(&store),
            "--month",
            "2026-10",
        ])
        .args(["--format", "json"])
        .output()
        .expect("kpi");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[test]
fn a_wrong_import_is_corrected_by_removing_its_batch() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    let contract = example("bank-inbound-manila.toml");
    let calls = dir.path().join("calls.csv");
    std::fs::write(
        &calls,
        "source_id,queue,arrived_at,outcome,wait_s\nk1,cards,2026-10-01 09:00:00,answered,12\n",
    )
    .expect("write");
    let import = || {
        pacta()
            .args(["import", "--contract", &contract, "--format", "csv"])
            .args(["--store", s(&store), s(&calls)])
            .assert()
            .success()
    };
    import();
    pacta()
        .args(["store", "rm-batch", "000001", "--store", s(&store)])
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "removed batch 000001 (interactions, AFB-MNL-2026): 1 row(s) no longer read; snapshot 2",
        ))
        .stdout(predicate::str::contains(
            "months whose KPIs and settlements change: 2026-10",
        ));
    // The corrected file imports again as new rows, in a batch of its own.
    import().stdout(predicate::str::contains("batch 000002"));
    pacta()
        .args(["store", "rm-batch", "000001", "--store", s(&store)])
        .assert()
        .code(1)
        .stderr(predicate::str::contains("no batch `000001`"));
}

#[test]
fn store_verify_checks_the_record_and_the_column_cache() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = dir.path().join("store");
    let gen_dir = dir.path().join("gen");
    let contract = example("bank-inbound-manila.toml");
    pacta()
        .args([
            "gen",
            "--contract",
            &contract,
            "--month",
            "2026-10",
            "--rows",
            "3000",
            "--out",
        ])
        .arg(&gen_dir)
        .assert()
        .success();
    pacta()
        .args([
            "import",
            "--contract",
            &contract,
            "--format",
            "csv",
            "--store",
            s(&store),
        ])
        .arg(gen_dir.join("interactions.csv"))
        .assert()
        .success();
    // Nothing has read the month yet: no copies.
    pacta()
        .args(["store", "verify", "--store", s(&store)])
        .assert()
        .success()
        .stdout(predicate::str::contains("verified 1 file(s)"))
        .stdout(predicate::str::contains(
            "column cache: 0 copies check (0 MB)",
        ));
    let kpi = [
        "kpi",
        "--contract",
        &contract,
        "--month",
        "2026-10",
        "--store",
        s(&store),
        "--format",
        "json",
    ];
    let before = pacta().args(kpi).output().expect("kpi");
    assert!(before.status.success());
    let cache: Vec<PathBuf> = std::fs::read_dir(store.join("cache"))
        .expect("cache dir")
        .flatten()
        .map(|e| e.path())
        .collect();
    assert_eq!(cache.len(), 1, "{cache:?}");
    pacta()
        .args(["store", "verify", "--store", s(&store)])
        .assert()
        .success()
        .stdout(predicate::str::contains("column cache: 1 copies check"))
        .stdout(predicate::str::contains("removed").not());
    let mut bytes = std::fs::read(&cache[0]).expect("copy");
    bytes[20] ^= 0x40;
    std::fs::write(&cache[0], &bytes).expect("damage");
    std::fs::write(
        store.join("cache").join(format!("{}.cols", "0".repeat(64))),
        b"old",
    )
    .expect("stale");
    pacta()
        .args(["--lang", "es", "store", "verify", "--store", s(&store)])
        .assert()
        .success()
        .stdout(predicate::str::contains("verificados 1 archivo(s)"))
        .stdout(predicate::str::contains(
            "caché de columnas: eliminadas 1 copias dañadas y 1 obsoletas",
        ));
    assert!(!cache[0].exists());
    // The figures do not change, and the read rebuilds the copy.
    let after = pacta().args(kpi).output().expect("kpi");
    assert_eq!(after.stdout, before.stdout);
    assert!(cache[0].exists());
}
