//! The month lifecycle and the audit log through the binary: settle → close → more data for
//! other months → `settle --verify` byte for byte; imports and saves into a closed month
//! refused; a stale settlement cannot be closed; tampering found by `audit verify`. The
//! lifecycle runs on the embedded SQLite database and, when PACTA_TEST_POSTGRES names a
//! server, on PostgreSQL too (CI sets PACTA_REQUIRE_POSTGRES=1 so it never skips).
#![allow(clippy::unwrap_used, clippy::print_stderr)]

use crate::common::bank;

use std::path::{Path, PathBuf};

use assert_cmd::Command;
use predicates::prelude::*;

/// The binary on the given database (`None`: the store's embedded one).
fn pacta(db: &Option<String>) -> Command {
    let mut c = crate::common::pacta();
    if let Some(url) = db {
        c.env("PACTA_DB", url);
    }
    c
}

fn generate(dir: &Path, month: &str, rows: &str) -> PathBuf {
    let out = dir.join(format!("gen-{month}"));
    pacta(&None)
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
    out.join("interactions.csv")
}

fn import(
    db: &Option<String>,
    store: &Path,
    file: &Path,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    pacta(db)
        .args([
            "import",
            "--contract",
            &bank(),
            "--format",
            "csv",
            "--store",
        ])
        .arg(store)
        .args(extra)
        .arg(file)
        .assert()
}

fn settle(
    db: &Option<String>,
    store: &Path,
    month: &str,
    extra: &[&str],
) -> assert_cmd::assert::Assert {
    pacta(db)
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
        .assert()
}

/// A PostgreSQL database of its own for one test, dropped at the end.
struct PgDatabase {
    admin: String,
    name: String,
    url: String,
}

impl PgDatabase {
    fn create() -> Option<PgDatabase> {
        let Ok(admin) = std::env::var("PACTA_TEST_POSTGRES") else {
            assert!(
                std::env::var("PACTA_REQUIRE_POSTGRES").as_deref() != Ok("1"),
                "PACTA_REQUIRE_POSTGRES=1 but PACTA_TEST_POSTGRES is not set"
            );
            eprintln!("skipped: PACTA_TEST_POSTGRES not set");
            return None;
        };
        let name = format!("pacta_cli_{}_{}", std::process::id(), rand_suffix());
        psql(&admin, &format!("CREATE DATABASE {name}"));
        let base = admin.rsplit_once('/').map_or(admin.as_str(), |(b, _)| b);
        Some(PgDatabase {
            url: format!("{base}/{name}"),
            admin,
            name,
        })
    }
}

impl Drop for PgDatabase {
    fn drop(&mut self) {
        psql(
            &self.admin,
            &format!("DROP DATABASE IF EXISTS {} WITH (FORCE)", self.name),
        );
    }
}

fn rand_suffix() -> String {
    let t = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .subsec_nanos();
    format!("{t:08x}")
}

fn psql(admin: &str, sql: &str) {
    let out = std::process::Command::new("psql")
        .args([admin, "-v", "ON_ERROR_STOP=1", "-q", "-c", sql])
        .output()
        .expect("psql runs");
    assert!(
        out.status.success(),
        "{sql}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
}

/// The row as an abandoned contact (no answer, talk, hold, wrap-up or agent): a correction
/// that moves the month's figures.
fn corrected(line: &str) -> String {
    let mut fields: Vec<String> = line.split(',').map(str::to_string).collect();
    for i in [7, 10, 11, 12, 13, 14, 15] {
        fields[i].clear();
    }
    fields[9] = "abandoned".into();
    let out = fields.join(",");
    assert_ne!(out, line, "the first row was answered");
    out
}

fn lifecycle(db: Option<String>) {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let sep = generate(dir.path(), "2026-09", "3000");
    let oct = generate(dir.path(), "2026-10", "3000");
    import(&db, &store, &sep, &[]).success();
    import(&db, &store, &oct, &[]).success();
    settle(&db, &store, "2026-09", &[])
        .code(predicate::in_iter([0, 3]))
        .stderr(predicate::str::contains(
            "saved AFB-MNL-2026 2026-09 as version 1 (provisional until pacta month close)",
        ));
    settle(&db, &store, "2026-10", &[])
        .code(predicate::in_iter([0, 3]))
        .stderr(predicate::str::contains("as version 1"));
    // Nothing to verify before closing.
    pacta(&db)
        .args([
            "settle",
            "--verify",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--store",
        ])
        .arg(&store)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("2026-10 is not closed"));
    pacta(&db)
        .args([
            "month",
            "close",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--store",
        ])
        .arg(&store)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "closed AFB-MNL-2026 2026-10 at settlement version 1 (store snapshot 2,",
        ));
    pacta(&db)
        .args([
            "month",
            "close",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--store",
        ])
        .arg(&store)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "2026-10 is already closed (at settlement version 1)",
        ));
    // More data for another month, including the next month FCR's repeat window reads.
    let nov = generate(dir.path(), "2026-11", "3000");
    import(&db, &store, &nov, &[]).success();
    pacta(&db)
        .args([
            "settle",
            "--verify",
            "--contract",
            &bank(),
            "--month",
            "2026-10",
            "--store",
        ])
        .arg(&store)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "AFB-MNL-2026 2026-10: closed settlement version 1 reproduces byte for byte",
        ))
        .stdout(predicate::str::contains(
            "from store snapshot 2, contract version 1.1",
        ));
    // A correction of a row of the closed month is refused and writes nothing.
    let text = std::fs::read_to_string(&oct).unwrap();
    let mut lines = text.lines();
    let header = lines.next().unwrap();
    let first = lines.next().unwrap();
    let changed = corrected(first);
    let correction = dir.path().join("correction.csv");
    std::fs::write(&correction, format!("{header}\n{changed}\n")).unwrap();
    let manifest_before = std::fs::read(store.join("manifest.json")).unwrap();
    import(&db, &store, &correction, &["--replace"])
        .code(1)
        .stderr(predicate::str::contains(
            "month 2026-10 of contract AFB-MNL-2026 is closed: its figures can no longer change by import",
        ));
    assert_eq!(
        std::fs::read(store.join("manifest.json")).unwrap(),
        manifest_before
    );
    // Saving the closed month again is refused too; a dry run is not.
    settle(&db, &store, "2026-10", &[]).code(1);
    settle(&db, &store, "2026-10", &["--no-save"]).code(predicate::in_iter([0, 3]));
    // November is provisional: a correction there is taken, and a stale save cannot close.
    settle(&db, &store, "2026-11", &["--allow-empty"]).code(predicate::in_iter([0, 3]));
    let nov_text = std::fs::read_to_string(&nov).unwrap();
    let nov_first = nov_text.lines().nth(1).unwrap();
    let nov_changed = corrected(nov_first);
    let nov_fix = dir.path().join("nov-fix.csv");
    std::fs::write(&nov_fix, format!("{header}\n{nov_changed}\n")).unwrap();
    import(&db, &store, &nov_fix, &["--replace"])
        .success()
        .stdout(
            predicate::str::is_match(r"stored rows replaced by a new version\s+1\n").expect("re"),
        )
        .stdout(predicate::str::contains(
            "months whose figures change: 2026-11",
        ));
    pacta(&db)
        .args([
            "month",
            "close",
            "--contract",
            &bank(),
            "--month",
            "2026-11",
            "--store",
        ])
        .arg(&store)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "saved settlement version 1 no longer matches the store's data",
        ));
    // The audit log holds every write, in order, and verifies.
    let log = pacta(&db)
        .args(["audit", "log", "--json", "--store"])
        .arg(&store)
        .output()
        .unwrap();
    let actions: Vec<String> = String::from_utf8(log.stdout)
        .unwrap()
        .lines()
        .map(|l| {
            serde_json::from_str::<serde_json::Value>(l).unwrap()["action"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert_eq!(
        actions,
        [
            "import",
            "import",
            "settle.save",
            "settle.save",
            "month.close",
            "import",
            "settle.save",
            "import.replace"
        ]
    );
    pacta(&db)
        .args(["audit", "verify", "--store"])
        .arg(&store)
        .assert()
        .success()
        .stdout(predicate::str::contains(
            "audit log: 8 entries, every hash and link verified",
        ));
    // A different contract file cannot verify the closed month.
    let other = dir.path().join("other.toml");
    std::fs::write(
        &other,
        std::fs::read_to_string(bank()).unwrap() + "\n# edited\n",
    )
    .unwrap();
    pacta(&db)
        .args(["settle", "--verify", "--month", "2026-10", "--contract"])
        .arg(&other)
        .arg("--store")
        .arg(&store)
        .assert()
        .code(1)
        .stderr(predicate::str::contains(
            "the contract file is not the one 2026-10 was settled with",
        ));
}

#[test]
fn a_closed_month_reproduces_byte_for_byte_and_refuses_changes_on_sqlite() {
    lifecycle(None);
}

#[test]
fn a_closed_month_reproduces_byte_for_byte_and_refuses_changes_on_postgresql() {
    if let Some(pg) = PgDatabase::create() {
        lifecycle(Some(pg.url.clone()));
    }
}

#[test]
fn an_edited_audit_entry_is_named_by_audit_verify() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let sep = generate(dir.path(), "2026-09", "500");
    import(&None, &store, &sep, &[]).success();
    settle(&None, &store, "2026-09", &[]).code(predicate::in_iter([0, 3]));
    let db = pacta_db::Db::open(&pacta_db::DbUrl::Sqlite(store.join("pacta.db"))).unwrap();
    db.execute_raw_for_tests(
        "DROP TRIGGER IF EXISTS audit_log_no_update; UPDATE audit_log SET actor = 'someone else' WHERE seq = 2;",
    )
    .unwrap();
    pacta(&None)
        .args(["audit", "verify", "--store"])
        .arg(&store)
        .assert()
        .code(1)
        .stderr(predicate::str::contains("hash mismatch at seq 2"));
}

#[test]
fn settlements_saved_as_files_by_an_earlier_pacta_are_not_silently_left_out() {
    let dir = tempfile::tempdir().unwrap();
    let store = dir.path().join("store");
    let oct = generate(dir.path(), "2026-10", "500");
    import(&None, &store, &oct, &[]).success();
    let legacy = store.join("settlements/AFB-MNL-2026");
    std::fs::create_dir_all(&legacy).unwrap();
    std::fs::write(legacy.join("2026-09.record.json"), "{}").unwrap();
    settle(&None, &store, "2026-10", &["--no-save"])
        .code(1)
        .stderr(predicate::str::contains(
            "holds settlements saved by an earlier pacta as files, which later months no longer read",
        ));
}
