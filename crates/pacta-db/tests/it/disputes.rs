//! Disputes: opened with readable ids per contract-month, events appended in order with
//! optimistic concurrency (a writer who read a stale count is refused), unknown ids
//! refused with nothing written, evidence kept by content hash, nothing ever edited or
//! deleted, and the audit chain whole afterwards.

use pacta_core::{Lang, Localized, Month};
use pacta_db::{Db, DbError, LogFilter, NewDispute, NewDisputeEvent};

use crate::fixture::{Fixture, both_backends};
use crate::settlements::at;

both_backends!(
    open_append_and_read_back,
    stale_count_is_a_conflict,
    unknown_dispute_writes_nothing,
    dispute_tables_are_append_only,
);

fn month(text: &str) -> Month {
    Month::parse(text).expect("month")
}

fn new_dispute(contract: &str, m: &str) -> NewDispute {
    NewDispute {
        contract_id: contract.to_string(),
        month: month(m),
        subject: "credit/SL-VOICE".to_string(),
        opened_by: "provider".to_string(),
        opening_json: r#"{"claim":"outage excused","subject":"credit/SL-VOICE"}"#.to_string(),
    }
}

fn event(side: &str, action: &str) -> NewDisputeEvent {
    NewDisputeEvent {
        side: side.to_string(),
        action: action.to_string(),
        event_json: format!(r#"{{"by":"{side}","action":{{"action":"{action}"}}}}"#),
        evidence: Vec::new(),
    }
}

fn open_append_and_read_back(f: &Fixture) {
    let db = f.open();
    let d1 = db
        .open_dispute(
            &new_dispute("ACME", "2026-06"),
            "ana",
            at("2026-07-02T00:00:00Z"),
        )
        .expect("open");
    assert_eq!(d1.id, "ACME/2026-06/D1");
    assert_eq!(d1.audit_seq, 1);
    let d2 = db
        .open_dispute(
            &new_dispute("ACME", "2026-06"),
            "ana",
            at("2026-07-02T01:00:00Z"),
        )
        .expect("open");
    assert_eq!(d2.id, "ACME/2026-06/D2");
    // Another month and another contract count from 1.
    let other = db
        .open_dispute(
            &new_dispute("ACME", "2026-05"),
            "ana",
            at("2026-07-02T02:00:00Z"),
        )
        .expect("open");
    assert_eq!(other.id, "ACME/2026-05/D1");
    let elsewhere = db
        .open_dispute(
            &new_dispute("ZED", "2026-06"),
            "zoe",
            at("2026-07-02T03:00:00Z"),
        )
        .expect("open");
    assert_eq!(elsewhere.id, "ZED/2026-06/D1");

    let mut comment = event("client", "comment");
    comment.evidence = vec![("log.txt".to_string(), b"queue down 10:00-11:00\n".to_vec())];
    let e1 = db
        .append_dispute_event(&d1.id, 0, &comment, "bea", at("2026-07-03T00:00:00Z"))
        .expect("comment");
    assert_eq!((e1.n, e1.side.as_str()), (1, "client"));
    let e2 = db
        .append_dispute_event(
            &d1.id,
            1,
            &event("provider", "propose"),
            "ana",
            at("2026-07-04T00:00:00Z"),
        )
        .expect("propose");
    assert_eq!(e2.n, 2);

    let read = db.dispute(&d1.id).expect("read").expect("found");
    assert_eq!(read.month, month("2026-06"));
    assert_eq!(read.opened_by, "provider");
    assert_eq!(read.opened_at, at("2026-07-02T00:00:00Z"));
    let events: Vec<(u32, &str, &str)> = read
        .events
        .iter()
        .map(|e| (e.n, e.side.as_str(), e.action.as_str()))
        .collect();
    assert_eq!(
        events,
        vec![(1, "client", "comment"), (2, "provider", "propose")]
    );
    assert_eq!(read.events[1].actor, "ana");
    assert_eq!(read.events[0].event_json, comment.event_json);

    let hash = pacta_db::evidence_hash(b"queue down 10:00-11:00\n");
    let file = db.evidence(&hash).expect("evidence").expect("stored");
    assert_eq!(file.name, "log.txt");

    let ids: Vec<String> = db
        .disputes("ACME")
        .expect("list")
        .into_iter()
        .map(|d| d.id)
        .collect();
    assert_eq!(
        ids,
        vec!["ACME/2026-05/D1", "ACME/2026-06/D1", "ACME/2026-06/D2"]
    );
    assert!(db.dispute("ACME/2026-06/D9").expect("read").is_none());

    let log = db
        .log(&LogFilter {
            object_prefix: Some("contract/ACME/dispute/".into()),
            ..LogFilter::default()
        })
        .expect("log");
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "dispute.open",
            "dispute.open",
            "dispute.open",
            "dispute.comment",
            "dispute.propose"
        ]
    );
    assert_eq!(log[3].object, "contract/ACME/dispute/ACME/2026-06/D1");
    assert!(log[3].payload.contains(&hash));
    let report = db.verify().expect("chain holds");
    assert_eq!(report.entries, 6);
}

fn stale_count_is_a_conflict(f: &Fixture) {
    let db = f.open();
    let d = db
        .open_dispute(
            &new_dispute("ACME", "2026-06"),
            "ana",
            at("2026-07-02T00:00:00Z"),
        )
        .expect("open");
    // Two writers both read 0 events; the first appends event 1, the second is refused.
    let second: Db = f.open();
    db.append_dispute_event(
        &d.id,
        0,
        &event("client", "comment"),
        "bea",
        at("2026-07-03T00:00:00Z"),
    )
    .expect("first writer");
    let err = second
        .append_dispute_event(
            &d.id,
            0,
            &event("provider", "comment"),
            "ana",
            at("2026-07-03T00:00:01Z"),
        )
        .expect_err("stale");
    assert!(
        matches!(
            &err,
            DbError::DisputeConflict {
                expected: 0,
                found: 1,
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), "dispute-conflict");
    assert!(err.message(Lang::Es).contains("cambió entretanto"));
    // A count from the future is refused too.
    let err = db
        .append_dispute_event(
            &d.id,
            5,
            &event("client", "comment"),
            "bea",
            at("2026-07-03T00:00:02Z"),
        )
        .expect_err("ahead");
    assert!(matches!(err, DbError::DisputeConflict { found: 1, .. }));
    assert_eq!(
        db.dispute(&d.id)
            .expect("read")
            .expect("found")
            .events
            .len(),
        1
    );
    assert_eq!(db.verify().expect("chain holds").entries, 2);
}

fn unknown_dispute_writes_nothing(f: &Fixture) {
    let db = f.open();
    let err = db
        .append_dispute_event(
            "ACME/2026-06/D1",
            0,
            &event("client", "comment"),
            "bea",
            at("2026-07-03T00:00:00Z"),
        )
        .expect_err("unknown");
    assert!(matches!(err, DbError::UnknownDispute { .. }), "{err:?}");
    assert_eq!(err.code(), "dispute-unknown");
    assert!(err.message(Lang::Es).contains("ninguna disputa"));
    let mut bad = new_dispute("ACME", "2026-06");
    bad.opening_json = "{not json".to_string();
    let err = db
        .open_dispute(&bad, "ana", at("2026-07-02T00:00:00Z"))
        .expect_err("bad json");
    assert!(matches!(err, DbError::InvalidJson { .. }), "{err:?}");
    assert!(db.log(&LogFilter::default()).expect("log").is_empty());
    assert!(db.disputes("ACME").expect("list").is_empty());
}

fn dispute_tables_are_append_only(f: &Fixture) {
    let db = f.open();
    let d = db
        .open_dispute(
            &new_dispute("ACME", "2026-06"),
            "ana",
            at("2026-07-02T00:00:00Z"),
        )
        .expect("open");
    db.append_dispute_event(
        &d.id,
        0,
        &event("client", "comment"),
        "bea",
        at("2026-07-03T00:00:00Z"),
    )
    .expect("comment");
    for sql in [
        "UPDATE disputes SET subject = 'credit/OTHER'",
        "DELETE FROM disputes",
        "UPDATE dispute_events SET side = 'provider'",
        "DELETE FROM dispute_events",
    ] {
        let err = db.execute_raw_for_tests(sql).expect_err(sql);
        assert!(matches!(err, DbError::AppendOnly { .. }), "{sql}: {err:?}");
        assert!(err.message(Lang::Es).contains("disputa"), "{sql}: {err:?}");
    }
    if matches!(f, Fixture::Postgres { .. }) {
        for sql in ["TRUNCATE dispute_events", "TRUNCATE disputes CASCADE"] {
            let err = db.execute_raw_for_tests(sql).expect_err(sql);
            assert!(matches!(err, DbError::AppendOnly { .. }), "{sql}: {err:?}");
        }
    }
    assert_eq!(
        db.dispute(&d.id)
            .expect("read")
            .expect("found")
            .events
            .len(),
        1
    );
    assert_eq!(db.verify().expect("chain holds").entries, 2);
}
