//! Settlement versions and the month lifecycle: versions 1, 2, 3, the latest of earlier
//! months, closing, and what a closed month refuses.

use jiff::Timestamp;
use pacta_core::{Localized, Month};
use pacta_db::{
    DbError, LogFilter, MonthClose, MonthState, NewSettlement, month_object, text_hash,
};

use crate::fixture::{Fixture, both_backends};

both_backends!(
    versions_count_up_and_the_latest_wins,
    latest_before_takes_each_earlier_months_latest,
    closing_freezes_the_month,
    close_refuses_what_it_cannot_close,
    invalid_json_is_refused,
);

pub fn at(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

fn month(text: &str) -> Month {
    Month::parse(text).expect("month")
}

pub fn new_settlement(contract: &str, m: &str, total: u32) -> NewSettlement {
    NewSettlement {
        contract_id: contract.to_string(),
        month: month(m),
        settlement_json: format!(r#"{{"month":"{m}","total":{total}}}"#),
        record_json: format!(r#"{{"rows":{total}}}"#),
        inputs_json: r#"{"contract_hash":"abc","snapshot":7}"#.to_string(),
        adjusts: None,
    }
}

fn close_request(contract: &str, m: &str, version: u32) -> MonthClose {
    MonthClose {
        contract_id: contract.to_string(),
        month: month(m),
        version,
        contract_hash: "c0ffee".to_string(),
        contract_version: "2026.1".to_string(),
        store_snapshot: 42,
        pacta_version: "0.1.0".to_string(),
        history: vec![],
    }
}

fn versions_count_up_and_the_latest_wins(f: &Fixture) {
    let db = f.open();
    let m = month("2026-03");
    assert_eq!(db.latest_settlement("ACME", m).expect("latest"), None);
    for (i, total) in [100, 200, 300].into_iter().enumerate() {
        let saved = db
            .save_settlement(
                &new_settlement("ACME", "2026-03", total),
                "ana",
                at("2026-04-02T10:00:00.123456Z"),
            )
            .expect("save");
        assert_eq!(saved.version, i as u32 + 1);
        assert_eq!(saved.audit_seq, i as u64 + 1);
        assert_eq!(saved.saved_at, at("2026-04-02T10:00:00.123Z"));
        assert_eq!(saved.settlement_hash, text_hash(&saved.settlement_json));
    }
    let latest = db
        .latest_settlement("ACME", m)
        .expect("latest")
        .expect("some");
    assert_eq!(latest.version, 3);
    assert_eq!(latest.settlement_json, r#"{"month":"2026-03","total":300}"#);
    assert_eq!(latest.actor, "ana");
    let second = db.settlement("ACME", m, 2).expect("v2").expect("some");
    assert_eq!(second.settlement_json, r#"{"month":"2026-03","total":200}"#);
    assert_eq!(second.record_json, r#"{"rows":200}"#);
    assert_eq!(
        second.inputs_json,
        r#"{"contract_hash":"abc","snapshot":7}"#
    );
    assert_eq!(db.settlement("ACME", m, 4).expect("v4"), None);
    let all = db.settlement_versions("ACME", m).expect("versions");
    assert_eq!(all.iter().map(|v| v.version).collect::<Vec<_>>(), [1, 2, 3]);
    assert_eq!(all[1], second);
    // Another contract's month is separate.
    assert!(
        db.settlement_versions("OTHER", m)
            .expect("other")
            .is_empty()
    );

    let log = db
        .log(&LogFilter {
            action: Some("settle.save".into()),
            ..LogFilter::default()
        })
        .expect("log");
    assert_eq!(log.len(), 3);
    assert_eq!(log[2].object, month_object("ACME", m));
    assert_eq!(log[2].object, "contract/ACME/month/2026-03");
    assert_eq!(
        log[2].payload,
        format!(
            r#"{{"contract_id":"ACME","inputs":{{"contract_hash":"abc","snapshot":7}},"month":"2026-03","record_hash":"{}","settlement_hash":"{}","version":3}}"#,
            text_hash(r#"{"rows":300}"#),
            latest.settlement_hash
        )
    );
    assert_eq!(
        db.month_state("ACME", m).expect("state"),
        MonthState::Provisional
    );
    assert_eq!(db.verify().expect("verify").entries, 3);
}

fn latest_before_takes_each_earlier_months_latest(f: &Fixture) {
    let db = f.open();
    let t = at("2026-05-01T00:00:00Z");
    for (m, total) in [
        ("2026-01", 1),
        ("2026-02", 2),
        ("2026-01", 11),
        ("2026-03", 3),
        ("2025-12", 0),
    ] {
        db.save_settlement(&new_settlement("ACME", m, total), "ana", t)
            .expect("save");
    }
    db.save_settlement(&new_settlement("OTHER", "2026-02", 9), "ana", t)
        .expect("save other");
    let before = db.latest_before("ACME", month("2026-03")).expect("before");
    let got: Vec<(String, u32, String)> = before
        .iter()
        .map(|v| (v.month.to_string(), v.version, v.settlement_json.clone()))
        .collect();
    assert_eq!(
        got,
        [
            (
                "2025-12".to_string(),
                1,
                r#"{"month":"2025-12","total":0}"#.to_string()
            ),
            (
                "2026-01".to_string(),
                2,
                r#"{"month":"2026-01","total":11}"#.to_string()
            ),
            (
                "2026-02".to_string(),
                1,
                r#"{"month":"2026-02","total":2}"#.to_string()
            ),
        ]
    );
    assert!(
        db.latest_before("ACME", month("2025-12"))
            .expect("none")
            .is_empty()
    );
}

fn closing_freezes_the_month(f: &Fixture) {
    let db = f.open();
    let t = at("2026-04-03T09:00:00Z");
    db.save_settlement(&new_settlement("ACME", "2026-02", 5), "ana", t)
        .expect("save feb");
    db.save_settlement(&new_settlement("ACME", "2026-03", 1), "ana", t)
        .expect("save v1");
    let v2 = db
        .save_settlement(&new_settlement("ACME", "2026-03", 2), "ana", t)
        .expect("save v2");
    let mut close = close_request("ACME", "2026-03", 2);
    close.history = vec![(month("2026-02"), 1)];
    let closed = db
        .close_month(&close, "boss", at("2026-04-05T12:00:00.5Z"))
        .expect("close");
    assert_eq!(closed.version, 2);
    assert_eq!(closed.settlement_hash, v2.settlement_hash);
    assert_eq!(closed.closed_by, "boss");
    assert_eq!(closed.closed_at, at("2026-04-05T12:00:00.500Z"));
    assert_eq!(closed.history, vec![(month("2026-02"), 1)]);
    assert_eq!(closed.store_snapshot, 42);
    assert_eq!(closed.audit_seq, 4);

    assert_eq!(
        db.month_state("ACME", month("2026-03")).expect("state"),
        MonthState::Closed(Box::new(closed.clone()))
    );
    assert_eq!(
        db.month_state("ACME", month("2026-02")).expect("state"),
        MonthState::Provisional
    );
    assert_eq!(db.closed_months("ACME").expect("closed"), vec![closed]);
    assert!(db.closed_months("OTHER").expect("closed").is_empty());

    // A closed month takes no new version…
    let refused = db
        .save_settlement(&new_settlement("ACME", "2026-03", 3), "ana", t)
        .expect_err("closed month refuses a save");
    assert_eq!(refused.code(), "db-month-closed");
    assert!(
        matches!(&refused, DbError::MonthClosed { contract_id, month: m }
        if contract_id == "ACME" && *m == month("2026-03"))
    );
    assert_eq!(
        refused.to_string(),
        "ACME 2026-03 is closed: its settlement can no longer change"
    );
    assert_eq!(
        refused.message(pacta_core::Lang::Es),
        "ACME 2026-03 está cerrado: su liquidación ya no puede cambiar"
    );
    // …and cannot be closed twice.
    let twice = db
        .close_month(&close_request("ACME", "2026-03", 2), "boss", t)
        .expect_err("closing twice");
    assert_eq!(twice.code(), "db-month-closed");
    // Nothing of the refused writes reached the record or the log.
    assert_eq!(
        db.settlement_versions("ACME", month("2026-03"))
            .expect("v")
            .len(),
        2
    );
    let log = db.log(&LogFilter::default()).expect("log");
    assert_eq!(
        log.iter().map(|e| e.action.as_str()).collect::<Vec<_>>(),
        ["settle.save", "settle.save", "settle.save", "month.close"]
    );
    let closing = &log[3];
    assert!(
        closing
            .payload
            .contains(r#""history":[{"month":"2026-02","version":1}]"#)
    );
    // Other months still take versions.
    let feb2 = db
        .save_settlement(&new_settlement("ACME", "2026-02", 6), "ana", t)
        .expect("feb v2");
    assert_eq!(feb2.version, 2);
    assert_eq!(db.verify().expect("verify").entries, 5);
}

fn close_refuses_what_it_cannot_close(f: &Fixture) {
    let db = f.open();
    let t = at("2026-04-03T09:00:00Z");
    let none = db
        .close_month(&close_request("ACME", "2026-03", 1), "boss", t)
        .expect_err("nothing saved");
    assert_eq!(none.code(), "db-version-missing");
    for total in [1, 2] {
        db.save_settlement(&new_settlement("ACME", "2026-03", total), "ana", t)
            .expect("save");
    }
    let old = db
        .close_month(&close_request("ACME", "2026-03", 1), "boss", t)
        .expect_err("not the latest");
    assert_eq!(old.code(), "db-version-not-latest");
    assert!(matches!(
        old,
        DbError::NotLatest {
            version: 1,
            latest: 2,
            ..
        }
    ));
    let future = db
        .close_month(&close_request("ACME", "2026-03", 3), "boss", t)
        .expect_err("no such version");
    assert!(matches!(future, DbError::NoSuchVersion { version: 3, .. }));
    let mut bad_history = close_request("ACME", "2026-03", 2);
    bad_history.history = vec![(month("2026-02"), 1)];
    let missing = db
        .close_month(&bad_history, "boss", t)
        .expect_err("history names a missing version");
    assert_eq!(missing.code(), "db-version-missing");
    let mut huge = close_request("ACME", "2026-03", 2);
    huge.store_snapshot = u64::MAX;
    assert_eq!(
        db.close_month(&huge, "boss", t)
            .expect_err("too large")
            .code(),
        "db-out-of-range"
    );
    assert_eq!(
        db.month_state("ACME", month("2026-03")).expect("state"),
        MonthState::Provisional
    );
    // Refusals appended nothing.
    assert_eq!(db.verify().expect("verify").entries, 2);
}

fn invalid_json_is_refused(f: &Fixture) {
    let db = f.open();
    let mut s = new_settlement("ACME", "2026-03", 1);
    s.inputs_json = "{not json".to_string();
    let e = db
        .save_settlement(&s, "ana", at("2026-04-03T09:00:00Z"))
        .expect_err("invalid inputs");
    assert_eq!(e.code(), "db-json-invalid");
    assert!(matches!(
        e,
        DbError::InvalidJson {
            field: "inputs_json",
            ..
        }
    ));
    assert_eq!(
        db.latest_settlement("ACME", month("2026-03")).expect("l"),
        None
    );
}
