//! The store: round trip, idempotence, atomicity, pseudonymisation, order independence.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::tz::TimeZone;
use pacta_contract::Channel;
use pacta_data::batch::InteractionBatch;
use pacta_data::export::ExportFormat;
use pacta_data::import::{Format, ImportOptions, Mapping, import_interactions};
use pacta_data::model::{Interaction, Outcome};
use pacta_data::report::ImportReport;
use pacta_data::store::{CommitOptions, Store};
use proptest::prelude::*;

fn data(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../testdata")
        .join(name)
}

fn now() -> Timestamp {
    "2026-01-15T09:00:00Z".parse().expect("ts")
}

/// Every file under `dir` with its bytes, except the column cache (`cache/`: copies a read
/// derives from the data files, checked against them, never the record).
fn snapshot(dir: &Path) -> BTreeMap<PathBuf, Vec<u8>> {
    let mut out = BTreeMap::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for e in std::fs::read_dir(&d).expect("read_dir") {
            let p = e.expect("entry").path();
            if p == dir.join("cache") {
                continue;
            }
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

fn import_anonbank(store: &Store) -> (InteractionBatch, ImportReport) {
    let tz = TimeZone::get("Asia/Jerusalem").expect("tz");
    let opts = ImportOptions::new(tz, store.pseudonymizer());
    let path = data("anonbank-august.csv");
    let out = import_interactions(Format::Anonbank, &[path.as_path()], &opts).expect("import");
    (out.batch, out.report)
}

#[test]
fn anonbank_round_trip_and_reimport_changes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let tz = TimeZone::get("Asia/Jerusalem").expect("tz");
    let (batch, report) = import_anonbank(&store);
    let s = store
        .commit_interactions(
            "ANB-TLV",
            &tz,
            &batch,
            &report,
            now(),
            &CommitOptions::default(),
        )
        .expect("commit");
    assert_eq!(s.written, 38_711);
    assert_eq!(s.duplicates_skipped, 0);
    assert_eq!(s.batch.as_deref(), Some("000001"));
    assert_eq!(
        store.months("ANB-TLV").expect("months"),
        vec![ymd("2010-08")]
    );
    let t = store
        .load_interactions("ANB-TLV", ymd("2010-08"))
        .expect("load");
    assert_eq!(t.row_count(), 38_711);
    let mut loaded = t.rows();
    let mut orig = batch.to_interactions();
    loaded.sort_by(|a, b| a.source_id.cmp(&b.source_id));
    orig.sort_by(|a, b| a.source_id.cmp(&b.source_id));
    assert_eq!(loaded, orig);
    // Projection: only what is asked for (arrived_at always).
    let p = store
        .load_interactions_columns("ANB-TLV", ymd("2010-08"), &["outcome", "queue"])
        .expect("projected");
    assert_eq!(p.row_count(), 38_711);
    assert!(p.column_loaded("outcome") && p.column_loaded("queue"));
    assert!(!p.source_ids_loaded() && !p.column_loaded("talk_ms"));
    assert_eq!(p.queue_dict().len(), 6);

    let before = snapshot(dir.path());
    let (batch2, report2) = import_anonbank(&store);
    let s2 = store
        .commit_interactions(
            "ANB-TLV",
            &tz,
            &batch2,
            &report2,
            now(),
            &CommitOptions::default(),
        )
        .expect("recommit");
    assert_eq!(
        (s2.written, s2.duplicates_skipped, s2.batch),
        (0, 38_711, None)
    );
    assert_eq!(
        snapshot(dir.path()),
        before,
        "a repeated import changes nothing"
    );

    let info = store.info().expect("info");
    assert_eq!(info.batches, 1);
    assert_eq!(
        info.contracts["ANB-TLV"]["interactions"]["2010-08"].rows,
        38_711
    );

    let out = tempfile::tempdir().expect("tmp");
    let files = store.export(ExportFormat::Csv, out.path()).expect("export");
    assert_eq!(files.len(), 1);
    let text = std::fs::read_to_string(&files[0]).expect("csv");
    assert_eq!(text.lines().count(), 38_712);
    let files = store
        .export(ExportFormat::Parquet, out.path())
        .expect("export");
    assert_eq!(files.len(), 1);
}

fn interaction(id: &str, arrived: i64, outcome: Outcome) -> Interaction {
    Interaction {
        source_id: id.to_string(),
        channel: Channel::VoiceIn,
        queue: "Q".into(),
        site: None,
        language: None,
        customer_key: None,
        arrived_at_ms: arrived,
        answered_at_ms: (outcome == Outcome::Answered).then_some(arrived + 5_000),
        ended_at_ms: Some(arrived + 60_000),
        outcome,
        talk_ms: Some(55_000),
        hold_ms: None,
        wrap_ms: None,
        agent_key: Some("A1".into()),
        disposition: None,
        first_response_at_ms: None,
    }
}

#[test]
fn failed_commit_leaves_the_store_as_it_was() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let tz = TimeZone::UTC;
    let mut first = InteractionBatch::new();
    first.push_interaction(&interaction("a", 1_700_000_000_000, Outcome::Answered));
    store
        .commit_interactions(
            "C1",
            &tz,
            &first,
            &ImportReport::default(),
            now(),
            &CommitOptions::default(),
        )
        .expect("first");
    let before = snapshot(dir.path());
    // Three months → three files; fail after 1 and 2 staged files, after 1 and 2 moved files.
    let mut b = InteractionBatch::new();
    for (i, m) in [1_700_000_000_000i64, 1_705_000_000_000, 1_710_000_000_000]
        .iter()
        .enumerate()
    {
        b.push_interaction(&interaction(&format!("x{i}"), *m, Outcome::Abandoned));
    }
    for k in 1..=5 {
        let err = store
            .commit_interactions(
                "C1",
                &tz,
                &b,
                &ImportReport::default(),
                now(),
                &CommitOptions {
                    fail_after_files: Some(k),
                    ..CommitOptions::default()
                },
            )
            .expect_err("injected");
        assert!(err.to_string().contains("injected failure"), "{err}");
        assert_eq!(snapshot(dir.path()), before, "after failing at step {k}");
        assert_eq!(
            store
                .load_interactions("C1", ymd("2023-11"))
                .expect("load")
                .row_count(),
            1
        );
    }
    // A crash (kill -9) after a file was moved into place, before the manifest named it:
    // readers ignore the file and opening the store changes nothing; the next writer, under
    // the lock, removes what the dead batch's intent names, and only that.
    let rel = "interactions/contract=C1/month=2024-01/part-000002.parquet";
    let stray = dir.path().join(rel);
    std::fs::create_dir_all(stray.parent().expect("parent")).expect("mkdir");
    std::fs::write(&stray, b"garbage").expect("write");
    let intent = dir.path().join("staging/000002/intent.json");
    std::fs::create_dir_all(intent.parent().expect("parent")).expect("mkdir");
    std::fs::write(&intent, format!("[\"{rel}\"]")).expect("write");
    let foreign = dir.path().join("notes.txt");
    std::fs::write(&foreign, b"mine").expect("write");
    let crashed = snapshot(dir.path());
    assert_eq!(store.months("C1").expect("months"), vec![ymd("2023-11")]);
    let store = Store::open(dir.path()).expect("reopen");
    assert_eq!(snapshot(dir.path()), crashed, "opening deletes nothing");
    let s = store
        .commit_interactions(
            "C1",
            &tz,
            &b,
            &ImportReport::default(),
            now(),
            &CommitOptions::default(),
        )
        .expect("commit");
    assert_eq!(s.written, 3);
    assert_eq!(s.batch.as_deref(), Some("000002"));
    assert!(!dir.path().join("staging").exists());
    assert_ne!(
        std::fs::read(&stray).expect("the batch's own file"),
        b"garbage"
    );
    assert_eq!(
        std::fs::read(&foreign).expect("kept"),
        b"mine",
        "never delete others' files"
    );
}

#[test]
fn a_second_writer_fails_naming_the_holder_or_waits() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let mut b = InteractionBatch::new();
    b.push_interaction(&interaction("a", 1_700_000_000_000, Outcome::Answered));
    let commit = |store: &Store, opts: &CommitOptions| {
        store.commit_interactions(
            "C1",
            &TimeZone::UTC,
            &b,
            &ImportReport::default(),
            now(),
            opts,
        )
    };
    // Another process holds the lock (an open file description of its own).
    let held = std::fs::OpenOptions::new()
        .read(true)
        .write(true)
        .create(true)
        .truncate(true)
        .open(dir.path().join(".lock"))
        .expect("lock file");
    held.lock().expect("locked");
    std::fs::write(
        dir.path().join(".lock"),
        "pid 4242 since 2026-01-15T09:00:00Z\n",
    )
    .expect("holder");
    let err = commit(&store, &CommitOptions::default()).expect_err("locked");
    assert_eq!(
        err.to_string(),
        format!(
            "store {} is locked by another writer (pid 4242 since 2026-01-15T09:00:00Z); try again later or pass --wait SECONDS",
            dir.path().display()
        )
    );
    assert!(
        !dir.path().join("manifest.json").exists(),
        "nothing written"
    );
    let waiting = std::thread::scope(|s| {
        let w = s.spawn(|| {
            commit(
                &store,
                &CommitOptions {
                    wait: Some(std::time::Duration::from_secs(30)),
                    ..CommitOptions::default()
                },
            )
        });
        std::thread::sleep(std::time::Duration::from_millis(200));
        held.unlock().expect("unlocked");
        w.join().expect("joined")
    });
    assert_eq!(waiting.expect("committed after the wait").written, 1);
}

#[test]
fn opening_changes_nothing_and_a_foreign_directory_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let missing = dir.path().join("not-yet");
    let store = Store::open(&missing).expect("open");
    assert!(store.manifest().expect("empty").batches.is_empty());
    assert!(!missing.exists(), "reading creates no store");
    let home = dir.path().join("home");
    std::fs::create_dir_all(&home).expect("mkdir");
    std::fs::write(home.join("thesis.docx"), b"precious").expect("write");
    let store = Store::open(&home).expect("open");
    let mut b = InteractionBatch::new();
    b.push_interaction(&interaction("a", 1_700_000_000_000, Outcome::Answered));
    let err = store
        .commit_interactions(
            "C1",
            &TimeZone::UTC,
            &b,
            &ImportReport::default(),
            now(),
            &CommitOptions::default(),
        )
        .expect_err("refused");
    assert!(
        err.to_string().contains("neither empty nor a pacta store"),
        "{err}"
    );
    assert_eq!(std::fs::read_dir(&home).expect("list").count(), 1);
}

#[test]
fn a_store_with_data_but_no_key_is_refused() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let mut b = InteractionBatch::new();
    b.push_interaction(&interaction("a", 1_700_000_000_000, Outcome::Answered));
    store
        .commit_interactions(
            "C1",
            &TimeZone::UTC,
            &b,
            &ImportReport::default(),
            now(),
            &CommitOptions::default(),
        )
        .expect("commit");
    std::fs::remove_file(dir.path().join("pseudonym.key")).expect("deleted");
    let err = Store::open(dir.path()).expect_err("refused");
    assert!(
        err.to_string().contains("pseudonym key is missing"),
        "{err}"
    );
    assert!(
        !dir.path().join("pseudonym.key").exists(),
        "not silently recreated"
    );
}

#[test]
fn raw_phone_numbers_never_reach_disk() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let src = tempfile::tempdir().expect("tmp");
    let csv = src.path().join("calls.csv");
    std::fs::write(
        &csv,
        "id,queue,start,result,caller,wait\n\
         c1,Q,2024-03-01 10:00:00,answered,+573001234567,12\n\
         c2,Q,2024-03-01 10:01:00,abandoned,+573001234567,30\n",
    )
    .expect("write");
    let mapping = Mapping::from_toml(
        "[mapping]\nsource_id = \"id\"\narrived_at = \"start\"\noutcome = \"result\"\ncustomer_key = \"caller\"\nwait_s = \"wait\"\n",
    )
    .expect("mapping");
    let mut opts = ImportOptions::new(
        TimeZone::get("America/Bogota").expect("tz"),
        store.pseudonymizer(),
    );
    opts.mapping = Some(&mapping);
    let out = import_interactions(Format::Csv, &[csv.as_path()], &opts).expect("import");
    assert_eq!(out.report.imported, 2);
    let rows = out.batch.to_interactions();
    assert!(rows[0].customer_key.is_some());
    assert_eq!(
        rows[0].customer_key, rows[1].customer_key,
        "same caller, same pseudonym"
    );
    store
        .commit_interactions(
            "CO-1",
            &TimeZone::get("America/Bogota").expect("tz"),
            &out.batch,
            &out.report,
            now(),
            &CommitOptions::default(),
        )
        .expect("commit");
    let exp = dir.path().join("export");
    store.export(ExportFormat::Csv, &exp).expect("export");
    for (path, bytes) in snapshot(dir.path()) {
        for needle in ["573001234567", "3001234567"] {
            assert!(
                !bytes.windows(needle.len()).any(|w| w == needle.as_bytes()),
                "raw number found in {}",
                path.display()
            );
        }
    }
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        let mode = std::fs::metadata(dir.path().join("pseudonym.key"))
            .expect("key")
            .permissions()
            .mode();
        assert_eq!(mode & 0o777, 0o600);
    }
    assert_eq!(
        std::fs::read(dir.path().join("pseudonym.key"))
            .expect("key")
            .len(),
        32
    );
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]
    /// The same rows, imported once, twice, or shuffled and split into two imports, give the
    /// same store content.
    #[test]
    fn same_rows_any_order_same_content(
        specs in proptest::collection::vec((0u32..40, 0i64..5_000_000_000, 0usize..3), 1..40),
        seed in any::<u64>(),
        split in 0usize..40,
    ) {
        let outcomes = [Outcome::Answered, Outcome::Abandoned, Outcome::Timeout];
        // Same id → same row (ids are source rows).
        let mut by_id = BTreeMap::new();
        for (id, t, o) in &specs {
            by_id.entry(*id).or_insert_with(|| interaction(&format!("id{id}"), 1_700_000_000_000 + t, outcomes[*o]));
        }
        let rows: Vec<Interaction> = specs.iter().map(|(id, _, _)| by_id[id].clone()).collect();
        let tz = TimeZone::get("Europe/Madrid").expect("tz");

        let content = |batches: Vec<Vec<Interaction>>| {
            let dir = tempfile::tempdir().expect("tmp");
            let store = Store::open(dir.path()).expect("open");
            for rows in batches {
                let mut b = InteractionBatch::new();
                for r in &rows { b.push_interaction(r); }
                store.commit_interactions("P", &tz, &b, &ImportReport::default(), now(), &CommitOptions::default()).expect("commit");
            }
            let mut all = Vec::new();
            for m in store.months("P").expect("months") {
                all.extend(store.load_interactions("P", m).expect("load").rows());
            }
            all.sort_by(|a, b| a.source_id.cmp(&b.source_id));
            all
        };
        let once = content(vec![rows.clone()]);
        prop_assert_eq!(once.len(), by_id.len());
        let twice = content(vec![rows.clone(), rows.clone()]);
        prop_assert_eq!(&twice, &once);
        let mut shuffled = rows.clone();
        let mut s = seed;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            shuffled.swap(i, (s >> 33) as usize % (i + 1));
        }
        let cut = split.min(shuffled.len());
        let (a, b) = shuffled.split_at(cut);
        let parts = content(vec![a.to_vec(), b.to_vec()]);
        prop_assert_eq!(&parts, &once);
        // One import in another order: byte-identical files.
        let d1 = tempfile::tempdir().expect("tmp");
        let d2 = tempfile::tempdir().expect("tmp");
        for (d, rows) in [(&d1, &rows), (&d2, &shuffled)] {
            let store = Store::open(d.path()).expect("open");
            let mut b = InteractionBatch::new();
            for r in rows.iter() { b.push_interaction(r); }
            store.commit_interactions("P", &tz, &b, &ImportReport::default(), now(), &CommitOptions::default()).expect("commit");
        }
        let strip = |d: &Path| snapshot(d).into_iter().filter(|(p, _)| !p.ends_with("pseudonym.key")).collect::<BTreeMap<_, _>>();
        prop_assert_eq!(strip(d1.path()), strip(d2.path()));
    }
}

/// A month written `YYYY-MM`, for tests.
fn ymd(text: &str) -> pacta_core::Month {
    pacta_core::Month::parse(text).expect("a valid month")
}

#[test]
fn stored_vendor_invoices_are_read_back_by_month_with_located_errors() {
    use pacta_data::record_kinds::{Cell, RecordKind, import};
    use rust_decimal::Decimal;
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path().join("store")).expect("store");
    let csv = dir.path().join("invoices.csv");
    std::fs::write(
        &csv,
        "invoice_id,period,item,quantity,unit,rate,amount,currency\n\
         INV-10,2026-10,voice-contacts,1000,contact,1.50,1500.00,USD\n\
         INV-10,2026-10,setup-fee,1,month,200,200,USD\n\
         INV-09,2026-09,voice-contacts,900,contact,1.50,1350.00,USD\n",
    )
    .expect("write");
    let table = import(RecordKind::Invoices, &[csv.as_path()], &TimeZone::UTC).expect("import");
    store
        .commit_records("C-1", &table, now(), &CommitOptions::default())
        .expect("commit");
    let oct = pacta_core::Month::parse("2026-10").expect("month");
    let invoices = store.load_vendor_invoices("C-1", oct).expect("load");
    assert_eq!(invoices.len(), 1);
    assert_eq!(invoices[0].invoice_id, "INV-10");
    assert_eq!(invoices[0].period, "2026-10");
    let items: Vec<(&str, Decimal)> = invoices[0]
        .lines
        .iter()
        .map(|l| (l.item.as_str(), l.amount))
        .collect();
    assert_eq!(
        items,
        [
            ("setup-fee", Decimal::from(200)),
            ("voice-contacts", Decimal::new(150_000, 2))
        ],
        "lines in stored order (the store keeps a batch sorted by key)"
    );
    assert_eq!(invoices[0].lines[1].rate, Decimal::new(150, 2));
    assert_eq!(invoices[0].lines[1].quantity, Decimal::from(1000));
    assert_eq!(invoices[0].lines[1].currency, "USD");
    let nov = pacta_core::Month::parse("2026-11").expect("month");
    assert!(
        store
            .load_vendor_invoices("C-1", nov)
            .expect("load")
            .is_empty()
    );
    assert!(
        store
            .load_vendor_invoices("C-2", oct)
            .expect("load")
            .is_empty()
    );

    // A stored amount that is not a decimal is an error naming the file and row.
    let mut bad = table.clone();
    bad.rows.truncate(1);
    bad.keys = vec!["INV-11/extra".into()];
    bad.rows[0][0] = Cell::Str("INV-11".into());
    bad.rows[0][6] = Cell::Str("12,5".into());
    store
        .commit_records("C-1", &bad, now(), &CommitOptions::default())
        .expect("commit");
    let err = store
        .load_vendor_invoices("C-1", oct)
        .expect_err("bad amount");
    match err {
        pacta_data::DataError::Malformed {
            file,
            line,
            message,
        } => {
            assert!(file.ends_with(".parquet"), "{file}");
            assert_eq!(line, 1);
            assert!(message.contains("`amount` = `12,5`"), "{message}");
        }
        other => panic!("unexpected error {other:?}"),
    }
}

#[test]
fn a_damaged_data_file_is_an_error_naming_it_never_a_figure() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let mut b = InteractionBatch::new();
    for i in 0..50 {
        b.push_interaction(&interaction(
            &format!("c{i}"),
            1_700_000_000_000 + i * 60_000,
            Outcome::Answered,
        ));
    }
    store
        .commit_interactions(
            "C1",
            &TimeZone::UTC,
            &b,
            &ImportReport::default(),
            now(),
            &CommitOptions::default(),
        )
        .expect("commit");
    assert_eq!(store.verify().expect("clean"), 1);
    let file = &store.manifest().expect("manifest").batches[0].files[0];
    assert!(file.bytes.is_some() && file.blake3.as_ref().is_some_and(|h| h.len() == 64));
    let path = dir.path().join(&file.path);
    let clean = std::fs::read(&path).expect("read");
    // One flipped bit, same size: verify names the file and the batch.
    let mut flipped = clean.clone();
    flipped[clean.len() / 2] ^= 0x10;
    std::fs::write(&path, &flipped).expect("write");
    let err = store.verify().expect_err("damaged");
    assert!(err.to_string().contains("part-000001.parquet"), "{err}");
    assert!(
        err.to_string()
            .contains("of batch 000001 does not match the BLAKE3"),
        "{err}"
    );
    // Truncated: every read refuses it, naming file and batch.
    std::fs::write(&path, &clean[..clean.len() - 10]).expect("write");
    let err = store
        .load_interactions("C1", ymd("2023-11"))
        .expect_err("truncated");
    assert!(
        err.to_string().contains("of batch 000001 has") && err.to_string().contains("were written"),
        "{err}"
    );
    std::fs::remove_file(&path).expect("rm");
    let err = store
        .load_interactions("C1", ymd("2023-11"))
        .expect_err("missing");
    assert!(
        err.to_string().contains("of batch 000001 is missing"),
        "{err}"
    );
}

#[test]
fn every_commit_is_a_numbered_snapshot_that_stays_readable() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let commit = |id: &str, at: i64| {
        let mut b = InteractionBatch::new();
        b.push_interaction(&interaction(id, at, Outcome::Answered));
        store
            .commit_interactions(
                "C1",
                &TimeZone::UTC,
                &b,
                &ImportReport::default(),
                now(),
                &CommitOptions::default(),
            )
            .expect("commit")
    };
    assert_eq!(store.manifest().expect("empty").snapshot, 0);
    commit("a", 1_700_000_000_000);
    commit("b", 1_705_000_000_000);
    assert_eq!(store.manifest().expect("manifest").snapshot, 2);
    let first = store.files(Some(1)).expect("snapshot 1");
    assert_eq!(first.len(), 1);
    assert_eq!(first[0].batch, "000001");
    assert_eq!(first[0].month.as_deref(), Some("2023-11"));
    assert!(first[0].path.is_file() && first[0].blake3.is_some());
    let now_files = store.files(None).expect("current");
    assert_eq!(
        now_files
            .iter()
            .map(|f| f.batch.as_str())
            .collect::<Vec<_>>(),
        ["000001", "000002"]
    );
    let err = store.files(Some(9)).expect_err("no such snapshot");
    assert!(
        err.to_string()
            .ends_with("no snapshot 9 (the store is at snapshot 2)"),
        "{err}"
    );
}

#[test]
fn a_removed_batch_is_no_longer_read_and_its_rows_can_be_imported_again() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let commit = |ids: &[&str]| {
        let mut b = InteractionBatch::new();
        for (i, id) in ids.iter().enumerate() {
            b.push_interaction(&interaction(
                id,
                1_700_000_000_000 + i as i64,
                Outcome::Answered,
            ));
        }
        store
            .commit_interactions(
                "C1",
                &TimeZone::UTC,
                &b,
                &ImportReport::default(),
                now(),
                &CommitOptions::default(),
            )
            .expect("commit")
    };
    commit(&["a", "b"]);
    commit(&["c"]);
    let removed = store
        .remove_batch("000001", now(), &CommitOptions::default())
        .expect("removed");
    assert_eq!(removed.rows, 2);
    assert_eq!(removed.months, Some(vec!["2023-11".to_string()]));
    assert_eq!(removed.snapshot, 3);
    let month = store.load_interactions("C1", ymd("2023-11")).expect("load");
    assert_eq!(month.row_count(), 1, "only batch 000002 is read");
    assert_eq!(
        store.files(Some(2)).expect("kept").len(),
        2,
        "snapshot 2 still reads both"
    );
    // The corrected import is not a duplicate of the removed one.
    let corrected = commit(&["a", "b"]);
    assert_eq!(corrected.written, 2);
    assert_eq!(corrected.batch.as_deref(), Some("000003"));
    // Removing the newest batch never lets its id (and files) be given again.
    store
        .remove_batch("000003", now(), &CommitOptions::default())
        .expect("removed");
    assert_eq!(commit(&["a", "b"]).batch.as_deref(), Some("000004"));
    let err = store
        .remove_batch("000009", now(), &CommitOptions::default())
        .expect_err("unknown");
    assert!(err.to_string().contains("no batch `000009`"), "{err}");
}

#[test]
fn a_commit_killed_while_writing_its_intent_is_swept() {
    // The kill -9 test once landed while intent.json was being written: the next import must
    // treat it as a commit that moved nothing, not refuse.
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let mut b = InteractionBatch::new();
    b.push_interaction(&interaction("a", 1_700_000_000_000, Outcome::Answered));
    let commit = || {
        store.commit_interactions(
            "C1",
            &TimeZone::UTC,
            &b,
            &ImportReport::default(),
            now(),
            &CommitOptions::default(),
        )
    };
    commit().expect("first");
    let stage = dir.path().join("staging/000002");
    std::fs::create_dir_all(&stage).expect("mkdir");
    std::fs::write(stage.join("intent.json"), b"").expect("cut short");
    let mut c = InteractionBatch::new();
    c.push_interaction(&interaction("b", 1_700_000_000_000, Outcome::Answered));
    let s = store
        .commit_interactions(
            "C1",
            &TimeZone::UTC,
            &c,
            &ImportReport::default(),
            now(),
            &CommitOptions::default(),
        )
        .expect("swept, then committed");
    assert_eq!(s.written, 1);
    assert!(!dir.path().join("staging").exists());
}

fn commit_rows(
    store: &Store,
    rows: &[Interaction],
    opts: &CommitOptions,
) -> pacta_data::Result<pacta_data::store::CommitSummary> {
    let mut b = InteractionBatch::new();
    for r in rows {
        b.push_interaction(r);
    }
    store.commit_interactions(
        "C1",
        &TimeZone::UTC,
        &b,
        &ImportReport::default(),
        now(),
        opts,
    )
}

fn outcome_of(store: &Store, id: &str) -> Vec<Outcome> {
    store
        .load_interactions("C1", ymd("2023-11"))
        .expect("load")
        .rows()
        .into_iter()
        .filter(|r| r.source_id == id)
        .map(|r| r.outcome)
        .collect()
}

#[test]
fn a_correction_supersedes_changed_rows_and_earlier_snapshots_still_read_the_old_ones() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let t = 1_700_000_000_000;
    let first = [
        interaction("c1", t, Outcome::InProgress),
        interaction("c2", t + 1_000, Outcome::Answered),
        interaction("c3", t + 2_000, Outcome::Abandoned),
    ];
    commit_rows(&store, &first, &CommitOptions::default()).expect("first");
    let corrected = [
        interaction("c1", t, Outcome::Answered),
        interaction("c2", t + 1_000, Outcome::Answered),
        interaction("c4", t + 3_000, Outcome::Answered),
    ];
    // Without --replace a stored source id is a duplicate, whatever its values.
    let plain = commit_rows(&store, &corrected, &CommitOptions::default()).expect("plain");
    assert_eq!(
        (plain.written, plain.duplicates_skipped, plain.superseded),
        (1, 2, 0)
    );
    assert_eq!(outcome_of(&store, "c1"), [Outcome::InProgress]);
    let replace = CommitOptions {
        replace: true,
        ..CommitOptions::default()
    };
    let s = commit_rows(&store, &corrected, &replace).expect("replace");
    assert_eq!(s.written, 1, "c1's new version");
    assert_eq!(s.superseded, 1, "c1's stored version");
    assert_eq!(s.duplicates_skipped, 2, "c2 and c4 are stored as they are");
    assert_eq!(s.months_changed, ["2023-11"]);
    assert_eq!(outcome_of(&store, "c1"), [Outcome::Answered]);
    let month = store.load_interactions("C1", ymd("2023-11")).expect("load");
    assert_eq!(month.row_count(), 4, "no row lost or doubled");
    let manifest = store.manifest().expect("manifest");
    assert_eq!(manifest.snapshot, 3);
    let last = manifest.batches.last().expect("batch");
    assert_eq!(last.supersedes, ["000001"]);
    assert_eq!(last.counts.superseded, 1);
    assert!(
        manifest.batches[0].files[0]
            .path
            .ends_with("part-000001-s000003.parquet"),
        "{:?}",
        manifest.batches[0].files
    );
    assert_eq!(store.verify().expect("verify"), 3);
    // The snapshot before the correction still reads what it read.
    let before = Store::open(dir.path())
        .expect("open")
        .at_snapshot(2)
        .expect("pinned");
    assert_eq!(outcome_of(&before, "c1"), [Outcome::InProgress]);
    assert_eq!(before.snapshot_number().expect("n"), 2);
    let err = commit_rows(&before, &corrected, &replace).expect_err("read-only");
    assert!(err.to_string().contains("opened at snapshot 2"), "{err}");
    // The same correction again changes nothing.
    let again = commit_rows(&store, &corrected, &replace).expect("again");
    assert_eq!((again.written, again.superseded, again.batch), (0, 0, None));
}

#[test]
fn a_correction_that_empties_a_file_drops_it_from_the_snapshot() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let t = 1_700_000_000_000;
    commit_rows(
        &store,
        &[interaction("c1", t, Outcome::InProgress)],
        &CommitOptions::default(),
    )
    .expect("first");
    let replace = CommitOptions {
        replace: true,
        ..CommitOptions::default()
    };
    commit_rows(&store, &[interaction("c1", t, Outcome::Answered)], &replace).expect("replace");
    let manifest = store.manifest().expect("manifest");
    assert!(manifest.batches[0].files.is_empty());
    assert_eq!(outcome_of(&store, "c1"), [Outcome::Answered]);
    assert!(
        dir.path()
            .join("interactions/contract=C1/month=2023-11/part-000001.parquet")
            .is_file(),
        "kept for snapshot 1"
    );
}

#[test]
fn an_import_into_a_closed_month_is_refused_and_writes_nothing() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let t = 1_700_000_000_000;
    commit_rows(
        &store,
        &[interaction("c1", t, Outcome::InProgress)],
        &CommitOptions::default(),
    )
    .expect("first");
    let before = snapshot(dir.path());
    let closed = CommitOptions {
        replace: true,
        closed_month: Some(std::sync::Arc::new(|_, m| Ok(m == ymd("2023-11")))),
        ..CommitOptions::default()
    };
    let err = commit_rows(&store, &[interaction("c1", t, Outcome::Answered)], &closed)
        .expect_err("closed");
    assert_eq!(pacta_core::Localized::code(&err), "store-month-closed");
    assert_eq!(
        err.to_string(),
        "month 2023-11 of contract C1 is closed: its figures can no longer change by import; a correction goes through a dispute adjustment"
    );
    let after = snapshot(dir.path());
    assert_eq!(
        before
            .keys()
            .filter(|p| !p.ends_with(".lock"))
            .collect::<Vec<_>>(),
        after
            .keys()
            .filter(|p| !p.ends_with(".lock"))
            .collect::<Vec<_>>()
    );
    // Another month is still open.
    let dec = 1_702_000_000_000;
    let s = commit_rows(
        &store,
        &[interaction("d1", dec, Outcome::Answered)],
        &closed,
    )
    .expect("open month");
    assert_eq!(s.months_changed, ["2023-12"]);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    /// Any bytes flipped in a stored data file give an error naming the file and its batch,
    /// or (a flip that changes nothing, e.g. the same value written back) exactly the clean
    /// rows: never other figures.
    #[test]
    fn flipped_bytes_in_a_data_file_are_an_error_naming_it_or_change_nothing(
        flips in proptest::collection::vec((any::<prop::sample::Index>(), 1u8..=255), 1..4),
    ) {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(dir.path()).expect("open");
        let rows: Vec<Interaction> = (0..400)
            .map(|i| {
                let outcome = if i % 7 == 0 { Outcome::Abandoned } else { Outcome::Answered };
                interaction(&format!("c{i}"), 1_700_000_000_000 + i * 61_000, outcome)
            })
            .collect();
        commit_rows(&store, &rows, &CommitOptions::default()).expect("commit");
        let clean = store.load_interactions("C1", ymd("2023-11")).expect("clean").rows();
        let rel = store.manifest().expect("manifest").batches[0].files[0].path.clone();
        let path = dir.path().join(&rel);
        let mut bytes = std::fs::read(&path).expect("read");
        let original = bytes.clone();
        for (at, mask) in &flips {
            let i = at.index(bytes.len());
            bytes[i] ^= mask;
        }
        std::fs::write(&path, &bytes).expect("write");
        match store.load_interactions("C1", ymd("2023-11")) {
            Ok(t) => prop_assert!(bytes == original && t.rows() == clean),
            Err(e) => {
                let text = e.to_string();
                prop_assert!(text.contains(&rel) && text.contains("batch 000001"), "{}", text);
            }
        }
        prop_assert!(store.verify().is_err() || bytes == original);
    }
}

#[test]
fn a_stale_in_progress_copy_never_reopens_a_finished_contact() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let t = 1_700_000_000_000;
    let replace = CommitOptions {
        replace: true,
        ..CommitOptions::default()
    };
    commit_rows(&store, &[interaction("c1", t, Outcome::Answered)], &replace).expect("first");
    let late = commit_rows(
        &store,
        &[interaction("c1", t, Outcome::InProgress)],
        &replace,
    )
    .expect("late copy");
    assert_eq!(
        (late.written, late.superseded, late.duplicates_skipped),
        (0, 0, 1)
    );
    assert_eq!(outcome_of(&store, "c1"), [Outcome::Answered]);
}

/// Another way of serialising writers (what a catalog shared by several server processes
/// would be) is what commits and removals take.
#[derive(Debug, Default)]
struct CountingLocks(std::sync::atomic::AtomicUsize);

#[derive(Debug)]
struct Held;

impl pacta_data::store::HeldLock for Held {}

impl pacta_data::store::WriterLocks for CountingLocks {
    fn acquire(
        &self,
        _store_dir: &Path,
        _now: Timestamp,
        _wait: Option<std::time::Duration>,
    ) -> pacta_data::Result<Box<dyn pacta_data::store::HeldLock>> {
        self.0.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
        Ok(Box::new(Held))
    }
}

#[test]
fn commits_take_the_writer_lock_they_are_given() {
    let dir = tempfile::tempdir().expect("tmp");
    let locks = std::sync::Arc::new(CountingLocks::default());
    let store = Store::open(dir.path())
        .expect("open")
        .with_writer_locks(locks.clone());
    commit_rows(
        &store,
        &[interaction("c1", 1_700_000_000_000, Outcome::Answered)],
        &CommitOptions::default(),
    )
    .expect("commit");
    store
        .remove_batch("000001", now(), &CommitOptions::default())
        .expect("removed");
    assert_eq!(locks.0.load(std::sync::atomic::Ordering::SeqCst), 2);
    assert!(
        !dir.path().join(".lock").exists(),
        "the file lock was not used"
    );
}

/// Rows with every column varied (absent values included), for the column cache's tests.
fn varied_rows(seeds: &[(u8, u8, u8, bool)], prefix: &str) -> Vec<Interaction> {
    seeds
        .iter()
        .enumerate()
        .map(|(i, &(queue, site, outcome, known))| {
            let outcome = [
                Outcome::Answered,
                Outcome::Abandoned,
                Outcome::TransferredOut,
            ][usize::from(outcome) % 3];
            let mut r = interaction(
                &format!("{prefix}{i}"),
                1_698_796_800_000 + i as i64 * 7_919,
                outcome,
            );
            r.queue = format!("{prefix}q{}", queue % 5);
            r.site = (site % 3 != 0).then(|| format!("site{}", site % 3));
            r.language = known.then(|| "es".to_string());
            r.customer_key = known.then(|| format!("k{}", queue % 7));
            r.hold_ms = known.then_some(i as i64 * 3);
            r.wrap_ms = (!known).then_some(1_000);
            r.disposition = (site % 2 == 0).then(|| format!("d{}", site % 4));
            r.first_response_at_ms = known.then_some(r.arrived_at_ms + 2_000);
            r
        })
        .collect()
}

fn by_id(mut rows: Vec<Interaction>) -> Vec<Interaction> {
    rows.sort_by(|a, b| a.source_id.cmp(&b.source_id));
    rows
}

/// `rows` as the store gives them back (customer keys in their stored form).
fn as_stored(rows: &[Interaction]) -> Vec<Interaction> {
    let mut b = InteractionBatch::new();
    for r in rows {
        b.push_interaction(r);
    }
    by_id(b.to_interactions())
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The column cache is derived data: a month read through it (when it is built, and
    /// again from it) equals the rows committed, whole and projected, over files whose
    /// dictionaries differ.
    #[test]
    fn the_column_cache_reads_back_exactly_what_was_committed(
        first in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<bool>()), 1..200),
        second in proptest::collection::vec((any::<u8>(), any::<u8>(), any::<u8>(), any::<bool>()), 0..200),
    ) {
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(dir.path()).expect("open");
        let (a, b) = (varied_rows(&first, "a"), varied_rows(&second, "b"));
        commit_rows(&store, &a, &CommitOptions::default()).expect("commit a");
        if !b.is_empty() {
            commit_rows(&store, &b, &CommitOptions::default()).expect("commit b");
        }
        let mut expected = a.clone();
        expected.extend(b.iter().cloned());
        let expected = as_stored(&expected);
        let month = ymd("2023-11");
        let building = store.load_interactions("C1", month).expect("first read");
        let cached = store.load_interactions("C1", month).expect("second read");
        let files = store.files(None).expect("files");
        for f in &files {
            let hash = f.blake3.as_deref().expect("hash");
            let cache = dir.path().join("cache").join(format!("{hash}.cols"));
            prop_assert!(cache.exists(), "no cache file for {}", f.path.display());
        }
        prop_assert!(by_id(building.rows()) == expected, "building read differs");
        prop_assert!(by_id(cached.rows()) == expected, "cached read differs");
        prop_assert_eq!(cached.queue_dict(), building.queue_dict());
        let p = store
            .load_interactions_columns("C1", month, &["outcome", "queue", "customer_key"])
            .expect("projected");
        prop_assert!(p.column_loaded("outcome") && p.column_loaded("queue"));
        prop_assert!(!p.source_ids_loaded() && !p.column_loaded("talk_ms"));
        let mut want: Vec<(i64, Outcome, String)> = expected
            .iter()
            .map(|r| (r.arrived_at_ms, r.outcome, r.queue.clone()))
            .collect();
        let mut got: Vec<(i64, Outcome, String)> = (0..p.row_count())
            .map(|i| {
                let r = p.row(i);
                (r.arrived_at_ms, r.outcome, r.queue)
            })
            .collect();
        want.sort();
        got.sort();
        prop_assert_eq!(got, want);
    }
}

#[test]
fn a_damaged_cache_file_is_never_trusted_and_is_rebuilt() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let seeds: Vec<(u8, u8, u8, bool)> = (0..300u32)
        .map(|i| (i as u8, (i * 7) as u8, (i % 3) as u8, i % 4 != 0))
        .collect();
    let rows = varied_rows(&seeds, "r");
    commit_rows(&store, &rows, &CommitOptions::default()).expect("commit");
    let month = ymd("2023-11");
    let clean = by_id(store.load_interactions("C1", month).expect("clean").rows());
    assert!(clean == as_stored(&rows));
    let hash = store.files(None).expect("files")[0]
        .blake3
        .clone()
        .expect("hash");
    let cache = dir.path().join("cache").join(format!("{hash}.cols"));
    let good = std::fs::read(&cache).expect("cache");
    // A flipped byte in a section, in the header, and a cut-short file.
    for damage in [10usize, good.len() - 40, good.len() - 3] {
        let mut bytes = good.clone();
        bytes[damage] ^= 0x5a;
        std::fs::write(&cache, &bytes).expect("damage");
        let t = store.load_interactions("C1", month).expect("read");
        assert!(by_id(t.rows()) == clean, "damage at byte {damage}");
        assert_eq!(
            std::fs::read(&cache).expect("rebuilt"),
            good,
            "rebuilt after byte {damage}"
        );
    }
    std::fs::write(&cache, &good[..good.len() / 2]).expect("cut");
    assert!(by_id(store.load_interactions("C1", month).expect("read").rows()) == clean);
    assert_eq!(std::fs::read(&cache).expect("rebuilt"), good);
    // A damaged Parquet file is still an error, cache or not: the record is checked first.
    let rel = store.manifest().expect("manifest").batches[0].files[0]
        .path
        .clone();
    let path = dir.path().join(&rel);
    let mut parquet = std::fs::read(&path).expect("parquet");
    parquet[100] ^= 1;
    std::fs::write(&path, &parquet).expect("damage parquet");
    let err = store
        .load_interactions("C1", month)
        .expect_err("damaged record");
    assert!(err.to_string().contains(&rel), "{err}");
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    /// The typed readers a settlement uses give exactly what the generic record rows give:
    /// every survey and every QA evaluation, absent values and all, across two batches.
    #[test]
    fn typed_survey_and_qa_reads_equal_the_generic_records(
        surveys in proptest::collection::vec((0u32..500, 0u8..8, 0u8..12, 0u8..3), 1..60),
        qa in proptest::collection::vec((0u32..20, 0u8..4, 0u8..7, 0u8..3, any::<bool>()), 1..60),
    ) {
        use pacta_data::record_kinds::{RecordKind, import};
        let dir = tempfile::tempdir().expect("tmp");
        let store = Store::open(dir.path().join("store")).expect("store");
        for (half, part) in [(0usize, 0..surveys.len() / 2), (1, surveys.len() / 2..surveys.len())] {
            let mut csv = String::from("interaction_id,answered_at,csat,nps,resolved\n");
            for (i, &(id, csat, nps, resolved)) in surveys[part].iter().enumerate() {
                let cell = |v: u8, top: u8| if v > top { String::new() } else { v.to_string() };
                let resolved = ["yes", "no", ""][usize::from(resolved)];
                csv.push_str(&format!(
                    "c{id},2026-10-{:02}T10:00:00Z,{},{},{resolved}\n",
                    1 + (i + half) % 28,
                    cell(csat, 5),
                    cell(nps, 10),
                ));
            }
            let path = dir.path().join(format!("surveys{half}.csv"));
            std::fs::write(&path, csv).expect("write");
            let table = import(RecordKind::Surveys, &[path.as_path()], &TimeZone::UTC).expect("import");
            store.commit_records("C-1", &table, now(), &CommitOptions::default()).expect("commit");
        }
        for (half, part) in [(0usize, 0..qa.len() / 2), (1, qa.len() / 2..qa.len())] {
            let mut csv = String::from(
                "evaluation_id,interaction_id,agent_key,evaluated_at,item,score,max,weight,critical\n",
            );
            for (i, &(eval, item, score, weight, critical)) in qa[part].iter().enumerate() {
                let weight = ["", "1", "2.5"][usize::from(weight)];
                let critical = if critical { "yes" } else { "" };
                let interaction = if eval % 3 == 0 { String::new() } else { format!("c{eval}") };
                csv.push_str(&format!(
                    "E{eval},{interaction},A{},2026-10-{:02}T11:00:00Z,item{item}-{i}-{half},{score}.{},10,{weight},{critical}\n",
                    eval % 4,
                    1 + eval % 28,
                    score % 2 * 5,
                ));
            }
            let path = dir.path().join(format!("qa{half}.csv"));
            std::fs::write(&path, csv).expect("write");
            let table = import(RecordKind::Qa, &[path.as_path()], &TimeZone::UTC).expect("import");
            store.commit_records("C-1", &table, now(), &CommitOptions::default()).expect("commit");
        }
        let generic = store.load_records("C-1", RecordKind::Surveys).expect("generic").surveys();
        prop_assert!(!generic.is_empty());
        prop_assert_eq!(store.load_surveys("C-1").expect("typed"), generic);
        let generic = store.load_records("C-1", RecordKind::Qa).expect("generic").qa_evaluations();
        prop_assert!(!generic.is_empty());
        prop_assert_eq!(store.load_qa("C-1").expect("typed"), generic);
        let rows = store.load_record_rows("C-1", RecordKind::Qa).expect("rows");
        prop_assert!(rows.keys.is_empty());
        prop_assert_eq!(rows.qa_evaluations(), store.load_qa("C-1").expect("typed"));
    }
}

/// Two readers of a month with no column cache yet build it at once: both read exactly the
/// committed rows, and the copy left behind is whole (a third read is served from it).
#[test]
fn two_readers_building_the_column_cache_at_once_both_read_the_rows() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let seeds: Vec<(u8, u8, u8, bool)> = (0..2_000u32)
        .map(|i| (i as u8, (i * 3) as u8, (i % 3) as u8, i % 5 != 0))
        .collect();
    let rows = varied_rows(&seeds, "t");
    commit_rows(&store, &rows, &CommitOptions::default()).expect("commit");
    let expected = as_stored(&rows);
    let month = ymd("2023-11");
    let reads: Vec<Vec<Interaction>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..2)
            .map(|_| {
                let dir = dir.path();
                s.spawn(move || {
                    let store = Store::open(dir).expect("open");
                    by_id(store.load_interactions("C1", month).expect("read").rows())
                })
            })
            .collect();
        handles
            .into_iter()
            .map(|h| h.join().expect("reader"))
            .collect()
    });
    for read in &reads {
        assert!(*read == expected, "a concurrent read differs");
    }
    let cache = dir.path().join("cache");
    let names: Vec<String> = std::fs::read_dir(&cache)
        .expect("cache dir")
        .map(|e| e.expect("entry").file_name().to_string_lossy().into_owned())
        .collect();
    assert_eq!(names.len(), 1, "one copy, no temporary left: {names:?}");
    assert!(names[0].ends_with(".cols"));
    assert!(by_id(store.load_interactions("C1", month).expect("third").rows()) == expected);
}

/// `verify_cache` checks every copy section by section: a damaged copy and a copy of a file
/// no longer in the store are removed (derived data, rebuilt on the next read), good copies
/// stay; a correction removes the copies of the files it superseded by itself.
#[test]
fn verify_checks_the_column_cache_and_removes_damaged_and_stale_copies() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let t = 1_700_000_000_000;
    let first = [
        interaction("c1", t, Outcome::InProgress),
        interaction("c2", t + 1_000, Outcome::Answered),
    ];
    commit_rows(&store, &first, &CommitOptions::default()).expect("first");
    let month = ymd("2023-11");
    let clean = by_id(store.load_interactions("C1", month).expect("read").rows());
    let cache_files = |dir: &std::path::Path| -> Vec<String> {
        let mut names: Vec<String> = std::fs::read_dir(dir.join("cache"))
            .map(|d| {
                d.flatten()
                    .map(|e| e.file_name().to_string_lossy().into_owned())
                    .collect()
            })
            .unwrap_or_default();
        names.sort();
        names
    };
    let first_copy = cache_files(dir.path());
    assert_eq!(first_copy.len(), 1, "{first_copy:?}");
    let check = store.verify_cache().expect("verify");
    assert_eq!(
        (check.copies_ok, check.damaged_removed, check.stale_removed),
        (1, 0, 0)
    );
    assert!(check.bytes > 0);

    // A correction supersedes the only file: its copy goes with it.
    let replace = CommitOptions {
        replace: true,
        ..CommitOptions::default()
    };
    let corrected = [
        interaction("c1", t, Outcome::Answered),
        interaction("c2", t + 1_000, Outcome::Answered),
    ];
    commit_rows(&store, &corrected, &replace).expect("replace");
    assert!(
        cache_files(dir.path()).is_empty(),
        "{:?}",
        cache_files(dir.path())
    );
    let now = by_id(store.load_interactions("C1", month).expect("read").rows());
    assert!(now != clean);
    let copies = cache_files(dir.path());
    assert_eq!(
        copies.len(),
        2,
        "the copy and the new batch's file: {copies:?}"
    );

    // A stale copy (left by a crash, or another version) and a damaged one.
    let cache_dir = dir.path().join("cache");
    std::fs::write(cache_dir.join(&first_copy[0]), b"stale").expect("stale");
    let damaged = cache_dir.join(&copies[0]);
    let mut bytes = std::fs::read(&damaged).expect("copy");
    bytes[5] ^= 0x5a;
    std::fs::write(&damaged, &bytes).expect("damage");
    let check = store.verify_cache().expect("verify");
    assert_eq!(
        (check.copies_ok, check.damaged_removed, check.stale_removed),
        (1, 1, 1)
    );
    assert_eq!(cache_files(dir.path()), copies[1..]);
    // Nothing of the record changed, and the next read rebuilds the copy.
    assert_eq!(store.verify().expect("record"), 2);
    assert!(by_id(store.load_interactions("C1", month).expect("read").rows()) == now);
    assert_eq!(cache_files(dir.path()), copies);
}

/// Two verifies at once (two users, or a cron job and a user) each succeed, and between them
/// remove a damaged copy and a stale copy exactly once, while a reader gets the same rows.
#[test]
fn two_cache_verifies_at_once_remove_each_bad_copy_once() {
    let dir = tempfile::tempdir().expect("tmp");
    let store = Store::open(dir.path()).expect("open");
    let seeds: Vec<(u8, u8, u8, bool)> = (0..200u32)
        .map(|i| (i as u8, (i * 3) as u8, (i % 3) as u8, i % 5 != 0))
        .collect();
    commit_rows(&store, &varied_rows(&seeds, "v"), &CommitOptions::default()).expect("commit");
    let month = ymd("2023-11");
    let clean = by_id(store.load_interactions("C1", month).expect("read").rows());
    let hash = store.files(None).expect("files")[0]
        .blake3
        .clone()
        .expect("hash");
    let cache = dir.path().join("cache");
    let copy = cache.join(format!("{hash}.cols"));
    let mut bytes = std::fs::read(&copy).expect("copy");
    bytes[3] ^= 0x11;
    std::fs::write(&copy, &bytes).expect("damage");
    std::fs::write(cache.join(format!("{}.cols", "f".repeat(64))), b"stale").expect("stale");
    let checks = std::thread::scope(|s| {
        let a = s.spawn(|| Store::open(dir.path()).expect("open").verify_cache());
        let b = s.spawn(|| Store::open(dir.path()).expect("open").verify_cache());
        let rows = s.spawn(|| {
            by_id(
                Store::open(dir.path())
                    .expect("open")
                    .load_interactions("C1", month)
                    .expect("read")
                    .rows(),
            )
        });
        assert!(rows.join().expect("reader") == clean);
        [a.join().expect("a"), b.join().expect("b")]
    });
    let (damaged, stale) = checks.iter().fold((0, 0), |(d, s), c| {
        let c = c.as_ref().expect("verify");
        (d + c.damaged_removed, s + c.stale_removed)
    });
    // The reader may have rebuilt the damaged copy before either verify looked at it.
    assert!(damaged <= 1, "{checks:?}");
    assert_eq!(stale, 1, "{checks:?}");
    assert!(!cache.join(format!("{}.cols", "f".repeat(64))).exists());
    assert!(by_id(store.load_interactions("C1", month).expect("read").rows()) == clean);
    assert!(copy.exists(), "the read rebuilt the copy");
    assert_eq!(store.verify_cache().expect("verify").copies_ok, 1);
}
