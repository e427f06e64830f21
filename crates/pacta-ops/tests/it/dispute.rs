//! Disputes through the operations: the raising window counted from the month's first saved
//! settlement, the subject checked against its lines, evidence only on comments, another
//! contract's ids unknown, and every refusal leaving the database untouched.

use jiff::Timestamp;
use pacta_core::{Localized, Month};
use pacta_db::{Db, DbUrl, NewDispute, NewSettlement};
use pacta_governance::dispute::{Action, Side, Status};
use pacta_ops::dispute;
use pacta_ops::record::Recorder;

use crate::examples;

fn at(text: &str) -> Timestamp {
    text.parse().expect("timestamp")
}

fn june() -> Month {
    Month::parse("2026-06").expect("month")
}

/// The bank contract with a ten-day raising window, and a recorder whose June 2026 was
/// saved on 2 July (Manila).
fn setup(dir: &std::path::Path) -> (pacta_contract::Contract, Recorder) {
    let text = std::fs::read_to_string(examples().join("bank-inbound-manila.toml"))
        .expect("contract text")
        .replace("[disputes]\n", "[disputes]\nraise_within_days = 10\n");
    let path = dir.join("bank.toml");
    std::fs::write(&path, text).expect("write contract");
    let contract = pacta_ops::contract::load(&path).expect("contract");
    let db = Db::open(&DbUrl::Sqlite(dir.join("pacta.db"))).expect("db");
    db.save_settlement(
        &NewSettlement {
            contract_id: "AFB-MNL-2026".into(),
            month: june(),
            settlement_json:
                r#"{"slas":[{"sla_id":"SL-VOICE"}],"invoice":{"lines":[{"item":"voice"}]}}"#.into(),
            record_json: "{}".into(),
            inputs_json: "{}".into(),
            adjusts: None,
        },
        "ana",
        at("2026-07-02T03:00:00Z"),
    )
    .expect("save");
    (contract, Recorder::new(db, "tester"))
}

fn entries(recorder: &Recorder) -> u64 {
    recorder.db.verify().expect("chain holds").entries
}

#[test]
fn window_subject_evidence_and_tenancy() {
    let dir = tempfile::tempdir().expect("tempdir");
    let (contract, recorder) = setup(dir.path());
    assert_eq!(
        dispute::subjects(
            &recorder
                .db
                .settlement_versions("AFB-MNL-2026", june())
                .expect("versions")[0]
                .settlement_json
        )
        .expect("subjects")
        .into_iter()
        .collect::<Vec<_>>(),
        [
            "credit/SL-VOICE",
            "credits",
            "invoice/voice",
            "sla/SL-VOICE"
        ]
    );

    // Saved on 2 July 11:00 Manila: the window ends at the start of 13 July there.
    let late = dispute::open(
        &recorder,
        &contract,
        june(),
        "credit/SL-VOICE",
        Side::Provider,
        "late",
        at("2026-07-12T16:00:00Z"),
    )
    .expect_err("outside the window");
    assert_eq!(late.code(), "dispute-outside-window");
    let unknown = dispute::open(
        &recorder,
        &contract,
        june(),
        "credit/SL-CHAT",
        Side::Provider,
        "x",
        at("2026-07-05T00:00:00Z"),
    )
    .expect_err("unknown line");
    assert_eq!(unknown.code(), "dispute-subject-unknown");
    let unsettled = dispute::open(
        &recorder,
        &contract,
        Month::parse("2026-05").expect("month"),
        "credits",
        Side::Client,
        "x",
        at("2026-07-05T00:00:00Z"),
    )
    .expect_err("unsettled");
    assert_eq!(unsettled.code(), "month-nothing-saved");
    assert_eq!(entries(&recorder), 1);

    let view = dispute::open(
        &recorder,
        &contract,
        june(),
        "credit/SL-VOICE",
        Side::Provider,
        "outage excused",
        at("2026-07-12T15:59:59.123456Z"),
    )
    .expect("just in time");
    let id = view.record.id.clone();
    assert_eq!(id, "AFB-MNL-2026/2026-06/D1");
    // Kept to the millisecond, as the audit log keeps it.
    assert_eq!(view.dispute.opening.at, at("2026-07-12T15:59:59.123Z"));

    // Evidence goes with comments only; an event before the latest is refused.
    let evidence = dir.path().join("ticket.txt");
    std::fs::write(&evidence, "ticket").expect("write");
    let err = dispute::act(
        &recorder,
        &contract,
        &id,
        Side::Provider,
        Action::Propose {
            text: "x".into(),
            adjustment: None,
        },
        std::slice::from_ref(&evidence),
        at("2026-07-13T00:00:00Z"),
    )
    .expect_err("evidence on a proposal");
    assert_eq!(err.code(), "dispute-evidence-not-comment");
    let err = dispute::act(
        &recorder,
        &contract,
        &id,
        Side::Client,
        Action::Accept,
        &[],
        at("2026-07-13T00:00:00Z"),
    )
    .expect_err("nothing to accept");
    assert_eq!(err.code(), "dispute-nothing-to-accept");
    let err = dispute::act(
        &recorder,
        &contract,
        &id,
        Side::Client,
        Action::Comment {
            text: "x".into(),
            evidence: Vec::new(),
        },
        &[],
        at("2026-07-01T00:00:00Z"),
    )
    .expect_err("before the opening");
    assert_eq!(err.code(), "dispute-time-goes-back");
    assert_eq!(entries(&recorder), 2);

    let view = dispute::act(
        &recorder,
        &contract,
        &id,
        Side::Provider,
        Action::Comment {
            text: "ticket".into(),
            evidence: Vec::new(),
        },
        std::slice::from_ref(&evidence),
        at("2026-07-13T00:00:00Z"),
    )
    .expect("comment");
    let hash = pacta_db::evidence_hash(b"ticket");
    assert_eq!(
        view.dispute.events[0].action,
        Action::Comment {
            text: "ticket".into(),
            evidence: vec![hash.clone()],
        }
    );
    assert!(recorder.db.evidence(&hash).expect("read").is_some());
    assert_eq!(view.dispute.status, Status::Open);

    // Another contract's dispute is unknown to this one.
    recorder
        .db
        .open_dispute(
            &NewDispute {
                contract_id: "OTHER".into(),
                month: june(),
                subject: "credits".into(),
                opened_by: "client".into(),
                opening_json: "{}".into(),
            },
            "zoe",
            at("2026-07-13T00:00:00Z"),
        )
        .expect("other contract");
    let err = dispute::show(
        &recorder,
        &contract,
        "OTHER/2026-06/D1",
        at("2026-07-13T00:00:00Z"),
    )
    .expect_err("another contract's");
    assert_eq!(err.code(), "dispute-unknown");
    let listed = dispute::list(&recorder, &contract, at("2026-07-13T00:00:00Z")).expect("list");
    assert_eq!(listed.len(), 1);
    assert_eq!(listed[0].record.id, id);
}
