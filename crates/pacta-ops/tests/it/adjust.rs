//! Adjustments, never edits: an accepted exclusion window becomes settlement version n+1,
//! the note is exactly v(n+1) − v(n), a closed month changes only this way, and every
//! version still comes out of what it recorded.

use jiff::Timestamp;
use pacta_core::Month;
use pacta_governance::dispute::{Adjustment, ReliefKind};
use pacta_ops::adjust::{NoteKind, apply};
use pacta_ops::demo::{DemoOptions, run};
use pacta_ops::record::{RecordPlace, inputs_of};
use pacta_ops::settle::{Adjusted, SettleOptions, settle};
use rust_decimal::Decimal;

use crate::imported_at;

fn window(dispute: &str, start: &str, end: &str) -> Adjusted {
    Adjusted {
        dispute: dispute.to_string(),
        adjustment: Adjustment::ExclusionWindow {
            start: start.parse().expect("start"),
            end: end.parse().expect("end"),
            queues: Vec::new(),
            kind: ReliefKind::Outage,
        },
    }
}

/// The demo's October (3,000 contacts), settled and disputed, with its store and a recorder.
struct October {
    demo: pacta_ops::demo::DemoOutcome,
    store: pacta_data::store::Store,
    recorder: pacta_ops::record::Recorder,
}

fn october(dir: &std::path::Path, month: Month) -> October {
    let options = DemoOptions {
        out: dir.join("demo"),
        store: dir.join("store"),
        rows: 3_000,
        month,
        db: None,
    };
    let demo = run(&options, imported_at(), &mut |_| {}).expect("demo");
    let store = pacta_data::store::Store::open(&options.store).expect("store");
    let recorder = RecordPlace::new(&options.store, None, "tester")
        .expect("place")
        .recorder()
        .expect("recorder");
    October {
        demo,
        store,
        recorder,
    }
}

fn later(minutes: i64) -> Timestamp {
    imported_at()
        .checked_add(jiff::SignedDuration::from_mins(minutes))
        .expect("time")
}

#[test]
fn an_accepted_window_makes_the_next_version_and_its_note() {
    let dir = tempfile::tempdir().expect("temp dir");
    let month = Month::parse("2026-10").expect("month");
    let October {
        demo,
        store,
        recorder,
    } = october(dir.path(), month);
    let contract = demo.contract;
    let id = contract.doc.contract.id.clone();
    let v1 = recorder
        .db
        .latest_settlement(&id, month)
        .expect("db")
        .expect("the demo saved October");

    // Ten days of October (Manila) left out of the measurement.
    let adjusted = window("D-1", "2026-10-05T16:00:00Z", "2026-10-15T16:00:00Z");
    let out = apply(
        &store,
        &recorder,
        &contract,
        month,
        adjusted.clone(),
        later(5),
    )
    .expect("adjusted");
    assert_eq!(out.version.version, v1.version + 1);
    assert_eq!(out.note.supersedes, v1.version);
    let inputs = inputs_of(&out.version).expect("inputs");
    assert_eq!(inputs.supersedes, Some(v1.version));
    // The demo's own dispute is already part of October; this one is added after it.
    let mut expected = inputs_of(&v1).expect("v1 inputs").adjustments;
    assert_eq!(expected.len(), 1, "the demo's dispute");
    expected.push(adjusted.clone());
    assert_eq!(inputs.adjustments, expected);

    // The exclusion removed contacts from SL-VOICE, named after the dispute.
    let s2 = &out.settled.settlement;
    let sl = s2
        .slas
        .iter()
        .find(|o| o.sla_id == "SL-VOICE")
        .expect("SL-VOICE");
    let applied = sl
        .exclusions
        .iter()
        .find(|e| e.reference == "D-1")
        .expect("the window is applied");
    assert!(applied.contacts_removed > 0, "{applied:?}");
    let v1_settlement: serde_json::Value =
        serde_json::from_str(&v1.settlement_json).expect("v1 json");
    let v1_sl = v1_settlement["slas"]
        .as_array()
        .expect("slas")
        .iter()
        .find(|o| o["sla_id"] == "SL-VOICE")
        .expect("SL-VOICE in v1");
    assert_ne!(
        v1_sl["value"]["denominator"].as_f64(),
        Some(sl.value.denominator),
        "the window changes what SL-VOICE measured"
    );

    // Settling the month afresh with the same adjustment gives the same credits: the note
    // is v2 − v1, line by line.
    let fresh = settle(
        &store,
        Some(&recorder.db),
        &contract,
        month,
        &SettleOptions {
            vendor_invoice: inputs.vendor_invoice.as_deref(),
            allow_empty: false,
            adjustments: Some(&expected),
            engine: None,
        },
    )
    .expect("fresh");
    assert_eq!(fresh.settlement.credits.credit, s2.credits.credit);
    let v1_record: pacta_terms::credits::MonthRecord =
        serde_json::from_str(&v1.record_json).expect("record");
    let n = &out.note;
    assert_eq!(n.credit.before, v1_record.credit);
    assert_eq!(n.credit.after, s2.credits.credit);
    assert_eq!(n.credit.difference, s2.credits.credit - v1_record.credit);
    assert_eq!(
        n.net_to_client.difference,
        s2.record.net_to_client - v1_record.net_to_client
    );
    for (sla, change) in &n.sla_credit {
        let before = v1_record
            .sla_credit
            .get(sla)
            .copied()
            .unwrap_or(Decimal::ZERO);
        assert_eq!(change.before, before, "{sla}");
        assert_eq!(change.difference, change.after - before, "{sla}");
    }
    let expected_kind = if n.net_to_client.difference > Decimal::ZERO {
        NoteKind::CreditNote
    } else if n.net_to_client.difference < Decimal::ZERO {
        NoteKind::DebitNote
    } else {
        NoteKind::NoChange
    };
    assert_eq!(n.kind, expected_kind);

    // A plain settle afterwards keeps the agreed adjustment.
    let again = settle(
        &store,
        Some(&recorder.db),
        &contract,
        month,
        &SettleOptions {
            vendor_invoice: inputs.vendor_invoice.as_deref(),
            ..SettleOptions::default()
        },
    )
    .expect("again");
    assert_eq!(again.adjustments, expected);

    // The same dispute twice: refused, nothing written.
    let twice = apply(&store, &recorder, &contract, month, adjusted, later(6));
    assert!(
        matches!(twice, Err(pacta_ops::OpError::AlreadyAdjusted { .. })),
        "{twice:?}"
    );
    assert_eq!(
        recorder
            .db
            .latest_settlement(&id, month)
            .expect("db")
            .expect("saved")
            .version,
        out.version.version
    );

    // Closed: a plain save is refused, an adjustment is the only way, and verify recomputes
    // the closed version and the adjustment after it.
    pacta_ops::record::close_month(&store, &recorder, &contract, month, later(10), None)
        .expect("closed");
    let plain = pacta_ops::record::save(
        &recorder,
        &contract,
        &again,
        &SettleOptions::default(),
        later(11),
    );
    assert!(plain.is_err(), "a closed month takes no plain save");
    let third = apply(
        &store,
        &recorder,
        &contract,
        month,
        window("D-2", "2026-10-20T16:00:00Z", "2026-10-21T16:00:00Z"),
        later(12),
    )
    .expect("adjusting a closed month");
    assert_eq!(third.version.version, out.version.version + 1);
    let verified =
        pacta_ops::record::verify_month(&store, &recorder.db, &contract, month).expect("verify");
    assert_eq!(verified.closed.version, out.version.version);
    assert_eq!(verified.adjustments, vec![third.version.version]);

    let actions: Vec<String> = recorder
        .db
        .log(&pacta_db::LogFilter::default())
        .expect("log")
        .into_iter()
        .map(|e| e.action)
        .collect();
    let adjust_at: Vec<usize> = actions
        .iter()
        .enumerate()
        .filter(|(_, a)| *a == "settle.adjust")
        .map(|(i, _)| i)
        .collect();
    let close_at = actions
        .iter()
        .position(|a| a == "month.close")
        .expect("close entry");
    // The demo's, this test's before the close, and the one after it.
    assert_eq!(adjust_at.len(), 3, "{actions:?}");
    assert!(
        adjust_at[1] < close_at && close_at < adjust_at[2],
        "{actions:?}"
    );
    recorder.db.verify().expect("the chain verifies");
}

/// An agreed line amount moves money: the invoice's line takes the agreed amount, the total
/// moves by exactly agreed − priced, the note says so, and a later settle carries it. A line
/// the invoice does not have is refused with nothing written.
#[test]
fn an_agreed_line_amount_changes_the_invoice_by_exactly_its_difference() {
    let dir = tempfile::tempdir().expect("temp dir");
    let month = Month::parse("2026-10").expect("month");
    let October {
        demo,
        store,
        recorder,
    } = october(dir.path(), month);
    let contract = demo.contract;
    let before = demo.settled.settlement.invoice.clone();
    let line = before
        .lines
        .iter()
        .find(|l| l.item == "initial-training")
        .expect("the training fee line")
        .clone();
    let agreed = line.amount - Decimal::new(850, 0);
    let override_line = |item: &str| Adjusted {
        dispute: "AFB-MNL-2026/2026-10/D9".into(),
        adjustment: Adjustment::LineOverride {
            line: item.into(),
            amount: agreed,
            reason: "one hire was a transfer, not a new hire".into(),
        },
    };

    let refused = apply(
        &store,
        &recorder,
        &contract,
        month,
        override_line("no-such-line"),
        later(5),
    )
    .expect_err("an unknown line");
    assert_eq!(pacta_core::Localized::code(&refused), "adjust-unknown-line");
    let latest = |r: &pacta_ops::record::Recorder| {
        r.db.latest_settlement(&contract.doc.contract.id, month)
            .expect("db")
            .expect("saved")
            .version
    };
    let version_before = latest(&recorder);

    let out = apply(
        &store,
        &recorder,
        &contract,
        month,
        override_line("initial-training"),
        later(6),
    )
    .expect("adjusted");
    assert_eq!(out.version.version, version_before + 1);
    let after = &out.settled.settlement.invoice;
    let new_line = after
        .lines
        .iter()
        .find(|l| l.item == "initial-training")
        .expect("the training fee line");
    assert_eq!(new_line.amount, agreed);
    assert!(new_line.note.contains("agreed"), "{}", new_line.note);
    assert!(new_line.note.contains("D9"), "{}", new_line.note);
    let moved = agreed - line.amount;
    assert_eq!(moved, Decimal::new(-850, 0));
    // A one-time fee is not a service charge: the credits' base stays, the total moves.
    assert_eq!(after.service_charges, before.service_charges);
    assert_eq!(after.total, before.total + moved);
    let n = &out.note;
    assert_eq!(n.invoice_total.before, before.total);
    assert_eq!(n.invoice_total.after, after.total);
    assert_eq!(
        n.invoice_total.difference,
        after.total - before.total,
        "the note is v(n+1) − v(n)"
    );
    assert_ne!(n.invoice_total.difference, Decimal::ZERO);
    // A later settle carries the agreement.
    let again = settle(
        &store,
        Some(&recorder.db),
        &contract,
        month,
        &SettleOptions::default(),
    )
    .expect("settle");
    assert_eq!(again.settlement.invoice.total, after.total);
}

/// `dispute::accept` is the acceptance and its application in one call: an offer with a
/// window settles the month again as the next version with its note; an offer without one
/// leaves the month alone; an offer with one and no store is refused with nothing recorded.
#[test]
fn accepting_an_offer_applies_its_adjustment_in_the_same_call() {
    use pacta_governance::dispute::{Action, Side, Status};
    use pacta_ops::dispute;
    let dir = tempfile::tempdir().expect("temp dir");
    let month = Month::parse("2026-10").expect("month");
    let October { demo, recorder, .. } = october(dir.path(), month);
    let contract = demo.contract;
    let store_dir = dir.path().join("store");
    let id = contract.doc.contract.id.clone();
    let latest = || {
        recorder
            .db
            .latest_settlement(&id, month)
            .expect("db")
            .expect("saved")
            .version
    };
    let v = latest();
    let offer = |subject: &str, adjustment: Option<Adjustment>, at: i64| {
        let opened = dispute::open(
            &recorder,
            &contract,
            month,
            subject,
            Side::Provider,
            "an outage",
            later(at),
        )
        .expect("opened");
        let d = opened.record.id.clone();
        dispute::act(
            &recorder,
            &contract,
            &d,
            Side::Provider,
            Action::Propose {
                text: "leave it out".into(),
                adjustment,
            },
            &[],
            later(at + 1),
        )
        .expect("proposed");
        d
    };
    let ten_days = window("x", "2026-10-05T16:00:00Z", "2026-10-15T16:00:00Z").adjustment;

    // No store where one is needed: refused before the acceptance is recorded.
    let d1 = offer("credit/SL-VOICE", Some(ten_days.clone()), 5);
    let refused = dispute::accept(
        &dir.path().join("no-store"),
        &recorder,
        &contract,
        &d1,
        Side::Client,
        later(7),
    )
    .expect_err("no store");
    assert_eq!(pacta_core::Localized::code(&refused), "store-missing");
    let shown = dispute::show(&recorder, &contract, &d1, later(7)).expect("show");
    assert_eq!(shown.record.events.len(), 1, "only the offer is recorded");
    assert_eq!(latest(), v);

    let accepted = dispute::accept(
        &store_dir,
        &recorder,
        &contract,
        &d1,
        Side::Client,
        later(8),
    )
    .expect("accepted");
    assert!(matches!(
        accepted.view.dispute.status,
        Status::Resolved { .. }
    ));
    let applied = accepted.applied.expect("the window is applied");
    assert_eq!(applied.version.version, v + 1);
    assert_eq!(applied.note.supersedes, v);
    assert_eq!(applied.note.dispute, d1);
    assert_eq!(latest(), v + 1);

    // An offer in words only: resolved, the month untouched (no store needed).
    let d2 = offer("credits", None, 10);
    let accepted = dispute::accept(
        &dir.path().join("no-store"),
        &recorder,
        &contract,
        &d2,
        Side::Client,
        later(12),
    )
    .expect("accepted");
    assert!(accepted.applied.is_none());
    assert_eq!(latest(), v + 1);
    recorder.db.verify().expect("the chain verifies");
}
