//! Drives `pacta import` and `pacta store info|export` on the real files of testdata.

use std::path::Path;

use assert_cmd::Command;
use predicates::prelude::*;

fn pacta() -> Command {
    let mut c = Command::cargo_bin("pacta").expect("binary");
    c.env_remove("PACTA_LANG");
    c
}

fn example(name: &str) -> String {
    format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"))
}

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
        .stdout(predicate::str::is_match(r"rows read\s+42078").expect("re"))
        .stdout(predicate::str::is_match(r"imported\s+38711").expect("re"))
        .stdout(predicate::str::is_match(r"not offered\s+3057").expect("re"))
        .stdout(predicate::str::is_match(r"dropped: phantom\s+310").expect("re"))
        .stdout(predicate::str::is_match(r"written to the store\s+38711").expect("re"));
    let q = std::fs::read_to_string(&quarantine).expect("quarantine");
    assert_eq!(q.trim(), "file,row,field,value,reason");
    // Again: nothing new.
    pacta()
        .args(args)
        .assert()
        .success()
        .stdout(predicate::str::is_match(r"duplicates skipped\s+38711").expect("re"))
        .stdout(predicate::str::contains(
            "nothing new: the store is unchanged",
        ));
    pacta()
        .args(["store", "info", "--store", s(&store)])
        .assert()
        .success()
        .stdout(predicate::str::contains("AFB-MNL-2026"))
        .stdout(predicate::str::is_match(r"interactions\s+2010-08\s+38406 rows").expect("re"));
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
        .stdout(predicate::str::is_match(r"filas leídas\s+1000").expect("re"))
        .stdout(predicate::str::is_match(r"importadas\s+108").expect("re"))
        .stdout(predicate::str::is_match(r"fusionadas en otros registros\s+557").expect("re"));
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
    assert!(!store.join("manifest.json").exists());
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
