//! dispute tests.

#![allow(clippy::unwrap_used)]

use jiff::{SignedDuration, Timestamp};
use pacta_contract::Contract;
use pacta_contract::model::DisputeKind;
use pacta_core::{Lang, Localized, Month};
use pacta_governance::dispute::{
    Action, Adjustment, Dispute, DisputeError, DisputeEvent, Ladder, Opening, ReliefKind, Side,
    Status, raise_deadline,
};
use proptest::prelude::*;
use rust_decimal::Decimal;

const EXAMPLE: &str = include_str!("../../../../examples/bank-inbound-manila.toml");

const LADDER: &str = r#"[disputes]
steps = [
  { kind = "negotiation", days = 10 },
  { kind = "executive_escalation", days = 10 },
  { kind = "arbitration", institution = "ICC", seat = "Singapore", language = "English" },
]
"#;

/// The example contract with its time zone and `[disputes]` table replaced.
fn contract(tz: &str, disputes: &str, claim_window: bool) -> Contract {
    let start = EXAMPLE.find("[disputes]").unwrap();
    let end = EXAMPLE.find("[liability]").unwrap();
    let mut text = format!("{}{}\n{}", &EXAMPLE[..start], disputes, &EXAMPLE[end..]);
    text = text.replace(
        "time_zone = \"Asia/Manila\"",
        &format!("time_zone = \"{tz}\""),
    );
    if !claim_window {
        text = text.replace("claim_window_days = 90\n", "");
    }
    pacta_contract::parse_str(&text).unwrap_or_else(|e| panic!("{e:?}"))
}

fn ladder() -> Ladder {
    Ladder::from_contract(&contract("America/New_York", LADDER, true)).unwrap()
}

fn ts(s: &str) -> Timestamp {
    s.parse().unwrap()
}

fn opening(at: &str, by: Side) -> Opening {
    Opening {
        subject: "credit/SL-VOICE".into(),
        month: Month::new(2026, 9).unwrap(),
        opened_by: by,
        at: ts(at),
        claim: "the outage of 14 September was the client's IVR".into(),
    }
}

fn ev(at: &str, by: Side, action: Action) -> DisputeEvent {
    DisputeEvent {
        at: ts(at),
        by,
        action,
    }
}

fn propose(adjustment: Option<Adjustment>) -> Action {
    Action::Propose {
        text: "we exclude the outage".into(),
        adjustment,
    }
}

fn outage() -> Adjustment {
    Adjustment::ExclusionWindow {
        start: ts("2026-09-14T13:00:00Z"),
        end: ts("2026-09-14T15:30:00Z"),
        queues: vec!["retail".into()],
        kind: ReliefKind::ClientCaused,
    }
}

/// Opened by the provider on 2026-10-05 10:00 New York time (EDT).
fn opened() -> Dispute {
    Dispute::open(
        &ladder(),
        opening("2026-10-05T14:00:00Z", Side::Provider),
        None,
    )
    .unwrap()
}

/// Applies and checks that a refused event leaves the dispute as it was.
fn apply(d: &mut Dispute, e: DisputeEvent) -> Result<(), DisputeError> {
    let before = d.clone();
    let r = d.apply(&ladder(), e);
    if r.is_err() {
        assert_eq!(*d, before);
    }
    r
}

fn code(r: Result<(), DisputeError>) -> &'static str {
    r.unwrap_err().code()
}

#[test]
fn ladder_from_contract() {
    let l = ladder();
    assert_eq!(l.steps.len(), 3);
    assert_eq!(l.steps[0].kind, DisputeKind::Negotiation);
    assert_eq!(l.steps[2].days, None);
    let none = contract("America/New_York", "[disputes]\nsteps = []\n", true);
    assert_eq!(
        Ladder::from_contract(&none).unwrap_err().code(),
        "dispute-no-ladder"
    );
    let absent = contract("America/New_York", "", true);
    assert_eq!(
        Ladder::from_contract(&absent).unwrap_err().code(),
        "dispute-no-ladder"
    );
}

#[test]
fn propose_then_accept_resolves_with_the_adjustment() {
    let mut d = opened();
    apply(
        &mut d,
        ev("2026-10-06T14:00:00Z", Side::Client, propose(None)),
    )
    .unwrap();
    // A newer proposal replaces the older one.
    apply(
        &mut d,
        ev(
            "2026-10-07T14:00:00Z",
            Side::Client,
            propose(Some(outage())),
        ),
    )
    .unwrap();
    assert_eq!(d.accepted_adjustment(), None);
    apply(
        &mut d,
        ev("2026-10-07T15:00:00Z", Side::Provider, Action::Accept),
    )
    .unwrap();
    assert_eq!(d.status, Status::Resolved { proposal: 1 });
    assert_eq!(d.accepted_adjustment(), Some(&outage()));
    assert_eq!(d.deadline(&ladder()), None);
    // Nothing after the resolution.
    for action in [
        Action::Comment {
            text: "thanks".into(),
            evidence: vec![],
        },
        Action::Escalate,
        Action::Withdraw,
        Action::Accept,
    ] {
        let r = apply(&mut d, ev("2026-10-08T15:00:00Z", Side::Provider, action));
        assert_eq!(code(r), "dispute-closed");
    }
    assert!(
        d.allowed_actions(&ladder(), Side::Client, ts("2026-10-09T00:00:00Z"))
            .is_empty()
    );
}

#[test]
fn accepting_needs_the_other_sides_proposal() {
    let mut d = opened();
    let r = apply(
        &mut d,
        ev("2026-10-06T14:00:00Z", Side::Client, Action::Accept),
    );
    assert_eq!(code(r), "dispute-nothing-to-accept");
    apply(
        &mut d,
        ev(
            "2026-10-06T14:00:00Z",
            Side::Client,
            propose(Some(outage())),
        ),
    )
    .unwrap();
    let r = apply(
        &mut d,
        ev("2026-10-06T15:00:00Z", Side::Client, Action::Accept),
    );
    let err = r.unwrap_err();
    assert_eq!(err.code(), "dispute-own-proposal");
    assert_eq!(
        err.to_string(),
        "the client cannot accept its own proposal (event 1)"
    );
    assert_eq!(
        err.message(Lang::Es),
        "el cliente no puede aceptar su propia propuesta (evento 1)"
    );
    // The other side's newer proposal is now the one to accept, by the client.
    apply(
        &mut d,
        ev("2026-10-06T16:00:00Z", Side::Provider, propose(None)),
    )
    .unwrap();
    let r = apply(
        &mut d,
        ev("2026-10-06T17:00:00Z", Side::Provider, Action::Accept),
    );
    assert_eq!(code(r), "dispute-own-proposal");
    apply(
        &mut d,
        ev("2026-10-06T17:00:00Z", Side::Client, Action::Accept),
    )
    .unwrap();
    assert_eq!(d.status, Status::Resolved { proposal: 1 });
    assert_eq!(d.accepted_adjustment(), None);
}

#[test]
fn escalating_early_needs_both_sides() {
    let mut d = opened();
    apply(
        &mut d,
        ev("2026-10-06T14:00:00Z", Side::Client, propose(None)),
    )
    .unwrap();
    apply(
        &mut d,
        ev("2026-10-07T14:00:00Z", Side::Provider, Action::Escalate),
    )
    .unwrap();
    assert_eq!(d.step, 0);
    assert_eq!(d.escalation_requested_by, Some(Side::Provider));
    let r = apply(
        &mut d,
        ev("2026-10-07T15:00:00Z", Side::Provider, Action::Escalate),
    );
    let err = r.unwrap_err();
    assert_eq!(err.code(), "dispute-escalation-too-early");
    assert!(err.to_string().contains("2026-10-16T04:00:00Z"), "{err}");
    assert!(err.message(Lang::Es).contains("el proveedor ya lo pidió"));
    apply(
        &mut d,
        ev("2026-10-08T14:00:00Z", Side::Client, Action::Escalate),
    )
    .unwrap();
    assert_eq!(d.step, 1);
    assert_eq!(d.step_started, ts("2026-10-08T14:00:00Z"));
    assert_eq!(d.escalation_requested_by, None);
    // The proposal made at the previous step is gone.
    assert_eq!(d.pending_proposal, None);
    let r = apply(
        &mut d,
        ev("2026-10-08T15:00:00Z", Side::Provider, Action::Accept),
    );
    assert_eq!(code(r), "dispute-nothing-to-accept");
}

#[test]
fn escalating_after_the_deadline_needs_one_side() {
    let mut d = opened();
    // Opened 2026-10-05 local; 10 days: ends at local midnight starting 2026-10-16 (EDT).
    let deadline = ts("2026-10-16T04:00:00Z");
    assert_eq!(d.deadline(&ladder()), Some(deadline));
    let just_before = deadline - SignedDuration::from_secs(1);
    let r = d.apply(
        &ladder(),
        DisputeEvent {
            at: just_before,
            by: Side::Client,
            action: Action::Escalate,
        },
    );
    assert!(r.is_ok());
    assert_eq!(d.step, 0, "before the deadline it is only a request");
    d.apply(
        &ladder(),
        DisputeEvent {
            at: deadline,
            by: Side::Client,
            action: Action::Escalate,
        },
    )
    .unwrap();
    assert_eq!(d.step, 1);
    assert_eq!(d.step_started, deadline);
    let allowed = d.allowed_actions(&ladder(), Side::Client, ts("2026-10-16T05:00:00Z"));
    assert_eq!(allowed, ["comment", "propose", "escalate"]);
    // Executive step: started 2026-10-16 local (00:00 EDT), ends at the start of 2026-10-27.
    assert_eq!(d.deadline(&ladder()), Some(ts("2026-10-27T04:00:00Z")));
    apply(
        &mut d,
        ev("2026-10-27T04:00:00Z", Side::Provider, Action::Escalate),
    )
    .unwrap();
    assert_eq!(d.step, 2);
    assert_eq!(d.deadline(&ladder()), None);
    // Arbitration: only comments and the outcome.
    for action in [propose(None), Action::Accept, Action::Escalate] {
        let name = action.name();
        let err = apply(&mut d, ev("2026-11-01T00:00:00Z", Side::Client, action)).unwrap_err();
        assert_eq!(err.code(), "dispute-action-not-at-step", "{name}");
        assert!(err.to_string().contains("step 3 (arbitration)"), "{err}");
    }
    let allowed = d.allowed_actions(&ladder(), Side::Client, ts("2026-11-01T00:00:00Z"));
    assert_eq!(allowed, ["comment", "record_outcome"]);
    let allowed = d.allowed_actions(&ladder(), Side::Provider, ts("2026-11-01T00:00:00Z"));
    assert_eq!(allowed, ["comment", "withdraw", "record_outcome"]);
    apply(
        &mut d,
        ev(
            "2026-12-01T00:00:00Z",
            Side::Client,
            Action::Comment {
                text: "award attached".into(),
                evidence: vec!["sha256:00ff".into()],
            },
        ),
    )
    .unwrap();
    let outcome = Action::RecordOutcome {
        text: "claim dismissed".into(),
        upheld_for: Some(Side::Client),
    };
    apply(&mut d, ev("2026-12-01T00:00:00Z", Side::Client, outcome)).unwrap();
    assert_eq!(d.status, Status::Decided { outcome: 4 });
    let r = apply(
        &mut d,
        ev("2026-12-02T00:00:00Z", Side::Client, Action::Escalate),
    );
    assert_eq!(code(r), "dispute-closed");
}

#[test]
fn outcome_only_at_steps_without_days() {
    let mut d = opened();
    let r = apply(
        &mut d,
        ev(
            "2026-10-06T00:00:00Z",
            Side::Client,
            Action::RecordOutcome {
                text: "x".into(),
                upheld_for: None,
            },
        ),
    );
    assert_eq!(code(r), "dispute-action-not-at-step");
}

#[test]
fn no_next_step_after_the_last() {
    let two = r#"[disputes]
steps = [{ kind = "negotiation", days = 5 }]
"#;
    let l = Ladder::from_contract(&contract("Europe/Madrid", two, true)).unwrap();
    let mut d = Dispute::open(&l, opening("2026-10-05T10:00:00Z", Side::Client), None).unwrap();
    let err = d
        .apply(
            &l,
            ev("2027-01-01T00:00:00Z", Side::Client, Action::Escalate),
        )
        .unwrap_err();
    assert_eq!(err.code(), "dispute-no-next-step");
    assert_eq!(
        err.message(Lang::Es),
        "el paso 1 (negociación) es el último de la escalera de disputas: no hay a dónde escalar"
    );
}

#[test]
fn only_the_opener_withdraws() {
    let mut d = opened();
    let err = apply(
        &mut d,
        ev("2026-10-06T00:00:00Z", Side::Client, Action::Withdraw),
    )
    .unwrap_err();
    assert_eq!(err.code(), "dispute-not-opener");
    assert_eq!(
        err.to_string(),
        "only the provider opened this dispute and can withdraw it, not the client"
    );
    apply(
        &mut d,
        ev("2026-10-06T00:00:00Z", Side::Provider, Action::Withdraw),
    )
    .unwrap();
    assert_eq!(d.status, Status::Withdrawn);
    let err = apply(
        &mut d,
        ev("2026-10-07T00:00:00Z", Side::Provider, Action::Withdraw),
    )
    .unwrap_err();
    assert_eq!(err.code(), "dispute-closed");
    assert_eq!(
        err.message(Lang::Es),
        "no se puede retirar: la disputa ya está retirada"
    );
}

#[test]
fn time_does_not_go_back() {
    let mut d = opened();
    let r = apply(
        &mut d,
        ev("2026-10-05T13:59:59Z", Side::Client, propose(None)),
    );
    assert_eq!(code(r), "dispute-time-goes-back");
    apply(
        &mut d,
        ev("2026-10-06T00:00:00Z", Side::Client, propose(None)),
    )
    .unwrap();
    let r = apply(
        &mut d,
        ev("2026-10-05T23:00:00Z", Side::Provider, Action::Accept),
    );
    assert_eq!(code(r), "dispute-time-goes-back");
    // The same instant is fine.
    apply(
        &mut d,
        ev("2026-10-06T00:00:00Z", Side::Provider, Action::Accept),
    )
    .unwrap();
}

#[test]
fn deadline_across_the_end_of_dst_in_new_york() {
    // Opened 2026-10-25 10:00 EDT; 10 days end with local 2026-11-04; New York left DST on
    // 1 November, so the next local midnight is 05:00 UTC, not 04:00.
    let d = Dispute::open(
        &ladder(),
        opening("2026-10-25T14:00:00Z", Side::Client),
        None,
    )
    .unwrap();
    assert_eq!(d.deadline(&ladder()), Some(ts("2026-11-05T05:00:00Z")));
}

#[test]
fn deadline_across_the_start_of_dst_in_madrid() {
    let l = Ladder::from_contract(&contract("Europe/Madrid", LADDER, true)).unwrap();
    // 2026-03-20 23:30 UTC is already 21 March in Madrid (CET, +01:00).
    let d = Dispute::open(&l, opening("2026-03-20T23:30:00Z", Side::Client), None).unwrap();
    // Local 31 March ends at 1 April 00:00 CEST (+02:00).
    assert_eq!(d.deadline(&l), Some(ts("2026-03-31T22:00:00Z")));
}

#[test]
fn raise_deadline_from_the_contract() {
    let settled = ts("2026-11-05T03:00:00Z"); // 11:00 in Manila
    let with_days = format!("{LADDER}raise_within_days = 30\n");
    let c = contract("Asia/Manila", &with_days, true);
    assert_eq!(
        raise_deadline(&c, settled),
        Some(ts("2026-12-05T16:00:00Z"))
    );
    // Without raise_within_days the 90-day credit claim window applies.
    let c = contract("Asia/Manila", LADDER, true);
    assert_eq!(
        raise_deadline(&c, settled),
        Some(ts("2027-02-03T16:00:00Z"))
    );
    let c = contract("Asia/Manila", LADDER, false);
    assert_eq!(raise_deadline(&c, settled), None);
}

#[test]
fn opening_outside_the_window_fails() {
    let c = contract(
        "Asia/Manila",
        &format!("{LADDER}raise_within_days = 30\n"),
        true,
    );
    let l = Ladder::from_contract(&c).unwrap();
    let by = raise_deadline(&c, ts("2026-11-05T03:00:00Z"));
    let late = Dispute::open(&l, opening("2026-12-05T16:00:00Z", Side::Client), by).unwrap_err();
    assert_eq!(late.code(), "dispute-outside-window");
    assert_eq!(
        late.message(Lang::Es),
        "una disputa planteada en 2026-12-05T16:00:00Z llega tarde: el plazo terminó en 2026-12-05T16:00:00Z"
    );
    let d = Dispute::open(&l, opening("2026-12-05T15:59:59Z", Side::Client), by).unwrap();
    // Replay does not check the window again.
    let again = Dispute::replay(&l, d.opening.clone(), vec![]).unwrap();
    assert_eq!(again, d);
}

#[test]
fn events_are_json() {
    let e = ev(
        "2026-10-06T14:00:00Z",
        Side::Client,
        Action::Propose {
            text: "half".into(),
            adjustment: Some(Adjustment::LineOverride {
                line: "credit/SL-VOICE".into(),
                amount: Decimal::new(1250050, 2),
                reason: "split".into(),
            }),
        },
    );
    let json = serde_json::to_value(&e).unwrap();
    insta::assert_json_snapshot!(json);
    let back: DisputeEvent = serde_json::from_value(json).unwrap();
    assert_eq!(back, e);
    let o = opening("2026-10-05T14:00:00Z", Side::Provider);
    let back: Opening = serde_json::from_str(&serde_json::to_string(&o).unwrap()).unwrap();
    assert_eq!(back, o);
}

#[test]
fn every_error_speaks_both_languages() {
    let t = ts("2026-10-05T14:00:00Z");
    let k = DisputeKind::Negotiation;
    let errors = [
        DisputeError::Closed {
            action: "accept",
            status: Status::Resolved { proposal: 0 },
        },
        DisputeError::TimeGoesBack {
            action: "comment",
            at: t,
            last: t,
        },
        DisputeError::NothingToAccept { step: 0, kind: k },
        DisputeError::OwnProposal {
            side: Side::Client,
            proposal: 0,
        },
        DisputeError::NotOpener {
            side: Side::Client,
            opener: Side::Provider,
        },
        DisputeError::EscalationTooEarly {
            step: 0,
            kind: k,
            deadline: Some(t),
            requested_by: Side::Client,
        },
        DisputeError::NoNextStep { step: 0, kind: k },
        DisputeError::ActionNotAtStep {
            action: "propose",
            step: 2,
            kind: DisputeKind::Courts,
        },
        DisputeError::OutsideWindow { at: t, raise_by: t },
        DisputeError::NoLadder,
        DisputeError::LadderMismatch { step: 3, steps: 2 },
    ];
    let mut codes = std::collections::BTreeSet::new();
    for e in &errors {
        assert!(codes.insert(e.code()));
        assert!(e.code().starts_with("dispute-"));
        assert_ne!(e.message(Lang::En), e.message(Lang::Es), "{}", e.code());
    }
}

#[test]
fn side_names() {
    assert_eq!(Side::Client.to_string(), "client");
    assert_eq!(Side::Provider.label(Lang::Es), "el proveedor");
    assert_eq!(
        serde_json::to_string(&Side::Provider).unwrap(),
        "\"provider\""
    );
    assert_eq!(Side::Client.other(), Side::Provider);
}

// ---- random sequences ----

#[derive(Debug, Clone)]
struct Step {
    by: Side,
    kind: u8,
    /// Seconds after the previous attempt; a few negative ones try going back in time.
    delta: i64,
}

fn step() -> impl Strategy<Value = Step> {
    (
        any::<bool>(),
        0u8..6,
        prop_oneof![
            8 => 0i64..30 * 86_400,
            1 => Just(0i64),
            1 => -86_400i64..0,
        ],
    )
        .prop_map(|(client, kind, delta)| Step {
            by: if client { Side::Client } else { Side::Provider },
            kind,
            delta,
        })
}

fn action(kind: u8, i: usize) -> Action {
    match kind {
        0 => Action::Comment {
            text: format!("c{i}"),
            evidence: vec![],
        },
        1 => Action::Propose {
            text: format!("p{i}"),
            adjustment: i.is_multiple_of(2).then(|| Adjustment::AcceptIncident {
                incident_id: format!("I{i}"),
            }),
        },
        2 => Action::Accept,
        3 => Action::Escalate,
        4 => Action::Withdraw,
        _ => Action::RecordOutcome {
            text: format!("o{i}"),
            upheld_for: None,
        },
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]
    #[test]
    fn random_sequences_keep_the_rules(
        opener in any::<bool>(),
        steps in prop::collection::vec(step(), 0..60),
    ) {
        let l = ladder();
        let opener = if opener { Side::Client } else { Side::Provider };
        let open = opening("2026-10-05T14:00:00Z", opener);
        let mut d = Dispute::open(&l, open.clone(), None).unwrap();
        let mut now = open.at;
        let mut last_deadline = d.deadline(&l);
        for (i, s) in steps.iter().enumerate() {
            now = now.checked_add(SignedDuration::from_secs(s.delta)).unwrap();
            let event = DisputeEvent { at: now, by: s.by, action: action(s.kind, i) };
            let before = d.clone();
            let allowed = d.allowed_actions(&l, s.by, now);
            let result = d.apply(&l, event.clone());
            prop_assert_eq!(allowed.contains(&event.action.name()), result.is_ok());
            match result {
                Err(e) => {
                    prop_assert_eq!(&d, &before);
                    if before.status != Status::Open {
                        prop_assert_eq!(e.code(), "dispute-closed");
                    }
                }
                Ok(()) => {
                    prop_assert_eq!(before.status, Status::Open);
                    if d.step != before.step {
                        prop_assert_eq!(d.step, before.step + 1);
                        let deadline_passed = before.deadline(&l).is_some_and(|dl| now >= dl);
                        let other_asked = before.escalation_requested_by == Some(s.by.other());
                        prop_assert!(deadline_passed || other_asked);
                        prop_assert_eq!(d.step_started, now);
                    }
                    let deadline = d.deadline(&l);
                    if let (Some(prev), Some(new)) = (last_deadline, deadline) {
                        prop_assert!(new >= prev);
                    }
                    if deadline.is_some() {
                        last_deadline = deadline;
                    }
                    if let Status::Resolved { proposal } = d.status {
                        let accepted = &d.events[proposal];
                        let is_proposal = matches!(accepted.action, Action::Propose { .. });
                        prop_assert!(is_proposal);
                        prop_assert_ne!(accepted.by, s.by);
                    }
                }
            }
            if d.status != Status::Open {
                prop_assert!(d.allowed_actions(&l, Side::Client, now).is_empty());
                prop_assert!(d.allowed_actions(&l, Side::Provider, now).is_empty());
            }
        }
        let replayed = Dispute::replay(&l, open, d.events.clone()).unwrap();
        prop_assert_eq!(&replayed, &d);
        // The stored form is JSON, and reads back to the same dispute.
        let json = serde_json::to_string(&d.events).unwrap();
        let events: Vec<DisputeEvent> = serde_json::from_str(&json).unwrap();
        prop_assert_eq!(events, d.events);
    }
}

#[test]
fn deadline_on_a_day_that_starts_at_one_in_havana() {
    // Havana moves its clocks from 00:00 to 01:00 on 8 March 2026: that day has no
    // midnight, and the step ends when it starts, at 01:00 CDT (-04:00).
    let l = Ladder::from_contract(&contract("America/Havana", LADDER, true)).unwrap();
    let d = Dispute::open(&l, opening("2026-02-25T17:00:00Z", Side::Client), None).unwrap();
    assert_eq!(d.deadline(&l), Some(ts("2026-03-08T05:00:00Z")));
}

#[test]
fn adjustments_read_the_same_in_every_front_end_and_language() {
    let manila = jiff::tz::TimeZone::get("Asia/Manila").expect("zone");
    let window = Adjustment::ExclusionWindow {
        start: "2026-10-05T16:00:00Z".parse().expect("time"),
        end: "2026-10-15T16:00:00Z".parse().expect("time"),
        queues: Vec::new(),
        kind: ReliefKind::Outage,
    };
    assert_eq!(
        window.describe(&manila, Lang::En),
        "leave out 2026-10-06 00:00 – 2026-10-16 00:00 (every queue; outage)"
    );
    assert_eq!(
        window.describe(&manila, Lang::Es),
        "excluir 2026-10-06 00:00 – 2026-10-16 00:00 (todas las colas; caída)"
    );
    let line = Adjustment::LineOverride {
        line: "credit/SL-VOICE".into(),
        amount: "12500.5".parse().expect("decimal"),
        reason: "half".into(),
    };
    assert_eq!(
        line.describe(&manila, Lang::En),
        "credit/SL-VOICE = 12,500.5 (half)"
    );
    assert_eq!(
        line.describe(&manila, Lang::Es),
        "credit/SL-VOICE = 12.500,5 (half)"
    );
    assert_eq!(
        ReliefKind::ClientCaused.label(Lang::Es),
        "causado por el cliente"
    );
}
