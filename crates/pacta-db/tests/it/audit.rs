//! The audit log: appends, filters, the append-only triggers, and verify naming the first
//! broken link after a DBA tampers with raw SQL.

use pacta_core::{Lang, Localized};
use pacta_db::{
    BreakKind, Db, DbError, GENESIS_HASH, LogFilter, NewEntry, entry_hash, timestamp_text,
};
use serde_json::json;

use crate::fixture::{Fixture, both_backends};
use crate::settlements::{at, new_settlement};

both_backends!(
    appends_chain_and_filter,
    an_empty_log_verifies,
    triggers_refuse_update_and_delete,
    an_edited_entry_is_a_hash_mismatch,
    a_deleted_entry_is_a_prev_hash_mismatch,
    a_renumbered_chain_is_a_sequence_gap,
    a_removed_last_entry_is_a_head_mismatch,
);

fn entry(actor: &str, action: &str, object: &str, n: u64) -> NewEntry {
    NewEntry {
        actor: actor.to_string(),
        action: action.to_string(),
        object: object.to_string(),
        payload: json!({"n": n, "b": [2, 1], "a": {"z": true, "y": null}}),
    }
}

/// `count` entries appended: actions alternate `data.import` / `store.replace`.
fn fill(db: &Db, count: u64) {
    for n in 1..=count {
        let action = if n % 2 == 1 {
            "data.import"
        } else {
            "store.replace"
        };
        db.append(
            &entry("ana", action, &format!("store/acme/{n}"), n),
            at("2026-04-01T08:00:00Z"),
        )
        .expect("append");
    }
}

fn appends_chain_and_filter(f: &Fixture) {
    let db = f.open();
    let first = db
        .append(
            &entry("ana", "data.import", "store/first", 1),
            at("2026-04-01T08:00:00.987654Z"),
        )
        .expect("append");
    assert_eq!(first.seq, 1);
    assert_eq!(first.prev_hash, GENESIS_HASH);
    assert_eq!(
        first.payload,
        r#"{"a":{"y":null,"z":true},"b":[2,1],"n":1}"#
    );
    assert_eq!(first.at, at("2026-04-01T08:00:00.987Z"));
    assert_eq!(
        first.hash,
        entry_hash(
            1,
            "2026-04-01T08:00:00.987Z",
            "ana",
            "data.import",
            "store/first",
            &first.payload,
            GENESIS_HASH
        )
    );
    assert_eq!(timestamp_text(first.at), "2026-04-01T08:00:00.987Z");
    fill(&db, 9);
    let all = db.log(&LogFilter::default()).expect("log");
    assert_eq!(all.len(), 10);
    assert_eq!(all[0], first);
    for pair in all.windows(2) {
        assert_eq!(pair[1].seq, pair[0].seq + 1);
        assert_eq!(pair[1].prev_hash, pair[0].hash);
    }
    let replaces = db
        .log(&LogFilter {
            action: Some("store.replace".into()),
            ..LogFilter::default()
        })
        .expect("by action");
    assert_eq!(
        replaces.iter().map(|e| e.seq).collect::<Vec<_>>(),
        [3, 5, 7, 9]
    );
    // The prefix is text, not a LIKE pattern: `_` and `%` match themselves only.
    let by_prefix = db
        .log(&LogFilter {
            object_prefix: Some("store/acme/1".into()),
            ..LogFilter::default()
        })
        .expect("by prefix");
    assert_eq!(by_prefix.iter().map(|e| e.seq).collect::<Vec<_>>(), [2]);
    let pattern = db
        .log(&LogFilter {
            object_prefix: Some("store/acme/%".into()),
            ..LogFilter::default()
        })
        .expect("pattern");
    assert!(pattern.is_empty());
    let page = db
        .log(&LogFilter {
            since_seq: Some(4),
            limit: Some(3),
            ..LogFilter::default()
        })
        .expect("page");
    assert_eq!(page.iter().map(|e| e.seq).collect::<Vec<_>>(), [5, 6, 7]);
    let both = db
        .log(&LogFilter {
            object_prefix: Some("store/acme/".into()),
            action: Some("data.import".into()),
            since_seq: Some(5),
            limit: None,
        })
        .expect("combined");
    assert_eq!(both.iter().map(|e| e.seq).collect::<Vec<_>>(), [6, 8, 10]);
    let report = db.verify().expect("verify");
    assert_eq!(report.entries, 10);
    assert_eq!(report.head_hash, all[9].hash);
    // A second handle sees the same chain.
    assert_eq!(f.open().verify().expect("verify again"), report);
}

fn an_empty_log_verifies(f: &Fixture) {
    let db = f.open();
    let report = db.verify().expect("verify");
    assert_eq!(report.entries, 0);
    assert_eq!(report.head_hash, GENESIS_HASH);
    assert!(db.log(&LogFilter::default()).expect("log").is_empty());
}

fn assert_append_only(result: Result<(), DbError>, table: &str) {
    let e = result.expect_err("the trigger refuses the change");
    assert_eq!(e.code(), "db-append-only", "{e}");
    assert!(
        matches!(&e, DbError::AppendOnly { table: t, .. } if *t == table),
        "{e:?}"
    );
    let phrase = if table == "audit log" {
        "audit log is append-only".to_string()
    } else {
        format!("{table} are append-only")
    };
    assert!(e.to_string().contains(&phrase), "{e}");
}

fn triggers_refuse_update_and_delete(f: &Fixture) {
    let db = f.open();
    let t = at("2026-04-03T09:00:00Z");
    db.save_settlement(&new_settlement("ACME", "2026-03", 1), "ana", t)
        .expect("save");
    db.close_month(
        &pacta_db::MonthClose {
            contract_id: "ACME".into(),
            month: pacta_core::Month::parse("2026-03").expect("month"),
            version: 1,
            contract_hash: "h".into(),
            contract_version: "1".into(),
            store_snapshot: 1,
            pacta_version: "0.1.0".into(),
            history: vec![],
        },
        "boss",
        t,
    )
    .expect("close");
    fill(&db, 3);
    assert_append_only(
        db.execute_raw_for_tests("UPDATE audit_log SET actor = 'mallory' WHERE seq = 3"),
        "audit log",
    );
    assert_append_only(
        db.execute_raw_for_tests("DELETE FROM audit_log WHERE seq = 5"),
        "audit log",
    );
    assert_append_only(
        db.execute_raw_for_tests("UPDATE settlement_versions SET settlement_json = '{}'"),
        "settlement versions",
    );
    assert_append_only(
        db.execute_raw_for_tests("DELETE FROM settlement_versions"),
        "settlement versions",
    );
    assert_append_only(
        db.execute_raw_for_tests("UPDATE closed_months SET closed_by = 'mallory'"),
        "closed months",
    );
    assert_append_only(
        db.execute_raw_for_tests("DELETE FROM closed_months"),
        "closed months",
    );
    if f.backend() == pacta_db::Backend::Postgres {
        // TRUNCATE skips row triggers; statement triggers refuse it (whichever of the
        // cascaded tables' triggers fires first).
        let e = db
            .execute_raw_for_tests("TRUNCATE audit_log CASCADE")
            .expect_err("truncate refused");
        assert_eq!(e.code(), "db-append-only", "{e}");
    }
    let report = db.verify().expect("untouched");
    assert_eq!(report.entries, 5);
    let log = db.log(&LogFilter::default()).expect("log");
    assert_eq!(log[2].actor, "ana");
}

fn assert_broken(db: &Db, seq: u64, kind: BreakKind, en: &str, es: &str) {
    let e = db.verify().expect_err("the chain is broken");
    assert_eq!(e.code(), "db-chain-broken");
    assert!(
        matches!(e, DbError::ChainBroken { seq: s, kind: k } if s == seq && k == kind),
        "{e:?}"
    );
    assert_eq!(e.to_string(), en);
    assert_eq!(e.message(Lang::Es), es);
    assert!(e.hint(Lang::En).is_some());
}

fn an_edited_entry_is_a_hash_mismatch(f: &Fixture) {
    let db = f.open();
    fill(&db, 6);
    db.execute_raw_for_tests(f.lift_audit_triggers_sql())
        .expect("lift triggers");
    db.execute_raw_for_tests(r#"UPDATE audit_log SET payload = '{"n":999}' WHERE seq = 4"#)
        .expect("edit");
    assert_broken(
        &db,
        4,
        BreakKind::HashMismatch,
        "hash mismatch at seq 4",
        "hash no coincide en seq 4",
    );
}

fn a_deleted_entry_is_a_prev_hash_mismatch(f: &Fixture) {
    let db = f.open();
    fill(&db, 6);
    db.execute_raw_for_tests(f.lift_audit_triggers_sql())
        .expect("lift triggers");
    db.execute_raw_for_tests("DELETE FROM audit_log WHERE seq = 3")
        .expect("delete");
    assert_broken(
        &db,
        4,
        BreakKind::PrevHashMismatch,
        "prev_hash mismatch at seq 4",
        "prev_hash no coincide en seq 4",
    );
}

fn a_renumbered_chain_is_a_sequence_gap(f: &Fixture) {
    // A DBA who knows the hash rule renumbers an entry and rehashes it: the links hold but
    // the sequence skips.
    let db = f.open();
    fill(&db, 2);
    let log = db.log(&LogFilter::default()).expect("log");
    let second = &log[1];
    let at = timestamp_text(second.at);
    let rehashed = entry_hash(
        5,
        &at,
        &second.actor,
        &second.action,
        &second.object,
        &second.payload,
        &second.prev_hash,
    );
    db.execute_raw_for_tests(f.lift_audit_triggers_sql())
        .expect("lift triggers");
    db.execute_raw_for_tests(&format!(
        "UPDATE audit_log SET seq = 5, hash = '{rehashed}' WHERE seq = 2"
    ))
    .expect("renumber");
    assert_broken(
        &db,
        5,
        BreakKind::SequenceGap,
        "sequence gap at seq 5",
        "salto de secuencia en seq 5",
    );
}

fn a_removed_last_entry_is_a_head_mismatch(f: &Fixture) {
    let db = f.open();
    fill(&db, 3);
    db.execute_raw_for_tests(f.lift_audit_triggers_sql())
        .expect("lift triggers");
    db.execute_raw_for_tests("DELETE FROM audit_log WHERE seq = 3")
        .expect("delete");
    assert_broken(
        &db,
        3,
        BreakKind::HeadMismatch,
        "head mismatch at seq 3",
        "la cabeza no coincide en seq 3",
    );
}
