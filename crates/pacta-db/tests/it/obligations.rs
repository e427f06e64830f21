//! Obligation instances: recorded once, superseded and restored by events, fulfilled with
//! evidence kept by content hash, and nothing ever edited or deleted.

use pacta_core::{Lang, Localized};
use pacta_db::{Db, DbError, Derivation, LogFilter, NewObligation, ObligationAction};

use crate::fixture::{Fixture, both_backends};
use crate::settlements::at;

both_backends!(
    derive_supersede_restore,
    fulfil_with_evidence_then_refuse_more,
    unknown_ids_and_append_only_tables,
);

fn obligation(id: &str, day: &str) -> NewObligation {
    NewObligation {
        id: id.to_string(),
        due_last_day: day.to_string(),
        obligation_json: format!(r#"{{"id":"{id}"}}"#),
    }
}

fn derivation<'a>(version: &'a str, first: &'a str, last: &'a str) -> Derivation<'a> {
    Derivation {
        contract_id: "ACME",
        contract_version: version,
        contract_hash: "h",
        first_day: first,
        last_day: last,
    }
}

fn derive_supersede_restore(f: &Fixture) {
    let db = f.open();
    let v1 = [obligation("a", "2026-01-10"), obligation("b", "2026-02-10")];
    let s = db
        .sync_obligations(
            &derivation("1.0", "2026-01-01", "2026-12-31"),
            &v1,
            "ana",
            at("2026-01-01T00:00:00Z"),
        )
        .expect("sync");
    assert_eq!(
        (s.new, s.superseded, s.restored, s.audit_seq),
        (2, 0, 0, Some(1))
    );
    // The same derivation again changes nothing and writes nothing.
    let again = db
        .sync_obligations(
            &derivation("1.0", "2026-01-01", "2026-12-31"),
            &v1,
            "ana",
            at("2026-01-02T00:00:00Z"),
        )
        .expect("sync");
    assert_eq!(
        (again.new, again.superseded, again.restored, again.audit_seq),
        (0, 0, 0, None)
    );
    // Version 2 moves b: b is superseded, c is new.
    let v2 = [obligation("a", "2026-01-10"), obligation("c", "2026-02-12")];
    let s = db
        .sync_obligations(
            &derivation("2.0", "2026-01-01", "2026-12-31"),
            &v2,
            "ana",
            at("2026-03-01T00:00:00Z"),
        )
        .expect("sync");
    assert_eq!((s.new, s.superseded, s.restored), (1, 1, 0));
    let all = db
        .obligations("ACME", "2026-01-01", "2026-12-31")
        .expect("list");
    let ids: Vec<(&str, bool)> = all
        .iter()
        .map(|r| (r.id.as_str(), r.superseded()))
        .collect();
    assert_eq!(ids, vec![("a", false), ("b", true), ("c", false)]);
    assert_eq!(all[2].contract_version, "2.0");
    // A derivation of another range never supersedes what it did not look at.
    let s = db
        .sync_obligations(
            &derivation("2.0", "2027-01-01", "2027-12-31"),
            &[],
            "ana",
            at("2026-03-02T00:00:00Z"),
        )
        .expect("sync");
    assert_eq!((s.new, s.superseded), (0, 0));
    // Going back to version 1 restores b and supersedes c.
    let s = db
        .sync_obligations(
            &derivation("1.0", "2026-01-01", "2026-12-31"),
            &v1,
            "ana",
            at("2026-03-03T00:00:00Z"),
        )
        .expect("sync");
    assert_eq!((s.new, s.superseded, s.restored), (0, 1, 1));
    let b = db.obligation("b").expect("get").expect("b");
    let actions: Vec<&str> = b.events.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(actions, vec!["supersede", "restore"]);
    assert!(!b.superseded());
    let log = db
        .log(&LogFilter {
            action: Some("obligations.derive".into()),
            ..LogFilter::default()
        })
        .expect("log");
    assert_eq!(log.len(), 3);
    db.verify().expect("chain holds");
}

fn fulfil_with_evidence_then_refuse_more(f: &Fixture) {
    let db = f.open();
    db.sync_obligations(
        &derivation("1.0", "2026-01-01", "2026-12-31"),
        &[obligation("a", "2026-01-10"), obligation("b", "2026-02-10")],
        "ana",
        at("2026-01-01T00:00:00Z"),
    )
    .expect("sync");
    let bytes = b"pen test report\n".to_vec();
    let e = db
        .act_on_obligation(
            "a",
            &ObligationAction::Fulfil {
                evidence: Some(("report.pdf".into(), bytes.clone())),
                note: None,
            },
            "bea",
            at("2026-01-09T12:00:00Z"),
        )
        .expect("fulfil");
    let hash = blake3::hash(&bytes).to_hex().to_string();
    assert_eq!(e.evidence_hash.as_deref(), Some(hash.as_str()));
    let file = db.evidence(&hash).expect("read").expect("stored");
    assert_eq!(
        (file.name.as_str(), file.bytes.as_slice()),
        ("report.pdf", bytes.as_slice())
    );
    // The same file again for another obligation is stored once.
    db.act_on_obligation(
        "b",
        &ObligationAction::Fulfil {
            evidence: Some(("copy.pdf".into(), bytes.clone())),
            note: Some("same".into()),
        },
        "bea",
        at("2026-02-01T12:00:00Z"),
    )
    .expect("fulfil b");
    let err = db
        .act_on_obligation(
            "a",
            &ObligationAction::Waive {
                reason: "late".into(),
            },
            "ana",
            at("2026-02-02T00:00:00Z"),
        )
        .expect_err("already fulfilled");
    assert!(
        matches!(
            err,
            DbError::ObligationSettled {
                state: "fulfilled",
                ..
            }
        ),
        "{err:?}"
    );
    assert_eq!(err.code(), "obligation-settled");
    assert!(err.message(Lang::Es).contains("cumplida"));
    let log = db.log(&LogFilter::default()).expect("log");
    let actions: Vec<&str> = log.iter().map(|e| e.action.as_str()).collect();
    assert_eq!(
        actions,
        vec![
            "obligations.derive",
            "obligation.fulfil",
            "obligation.fulfil"
        ]
    );
    assert_eq!(log[1].object, "contract/ACME/obligation/a");
    assert!(log[1].payload.contains(&hash));
}

fn unknown_ids_and_append_only_tables(f: &Fixture) {
    let db: Db = f.open();
    let err = db
        .act_on_obligation(
            "nope",
            &ObligationAction::Waive { reason: "x".into() },
            "ana",
            at("2026-01-01T00:00:00Z"),
        )
        .expect_err("unknown");
    assert!(matches!(err, DbError::UnknownObligation { .. }));
    assert!(
        db.log(&LogFilter::default()).expect("log").is_empty(),
        "nothing written"
    );
    db.sync_obligations(
        &derivation("1.0", "2026-01-01", "2026-12-31"),
        &[obligation("a", "2026-01-10")],
        "ana",
        at("2026-01-01T00:00:00Z"),
    )
    .expect("sync");
    db.act_on_obligation(
        "a",
        &ObligationAction::Fulfil {
            evidence: Some(("e".into(), vec![1, 2])),
            note: None,
        },
        "ana",
        at("2026-01-02T00:00:00Z"),
    )
    .expect("fulfil");
    for sql in [
        "UPDATE obligation_instances SET due_last_day = '2030-01-01'",
        "DELETE FROM obligation_instances",
        "UPDATE obligation_events SET actor = 'mallory'",
        "DELETE FROM obligation_events",
        "UPDATE evidence_files SET name = 'x'",
        "DELETE FROM evidence_files",
    ] {
        let err = db.execute_raw_for_tests(sql).expect_err(sql);
        assert!(matches!(err, DbError::AppendOnly { .. }), "{sql}: {err:?}");
    }
}
