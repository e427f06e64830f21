//! Obligations derived from contracts: the bank example as a snapshot, and hand-computed
//! deadlines.

use std::path::PathBuf;

use jiff::Timestamp;
use jiff::civil::{Date, date};
use pacta_contract::{Contract, Month};
use pacta_core::Lang;
use pacta_governance::GovernanceError;
use pacta_governance::obligation::{Due, History, ObligationKind, Party, obligations};

fn example_text(name: &str) -> String {
    let path = PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../examples")
        .join(name);
    std::fs::read_to_string(&path).expect("example contract")
}

fn parse(text: &str) -> Contract {
    match pacta_contract::parse_str(text) {
        Ok(c) => c,
        Err(e) => panic!("contract does not parse: {e:?}"),
    }
}

fn bank() -> Contract {
    parse(&example_text("bank-inbound-manila.toml"))
}

/// The bank contract with some lines replaced.
fn bank_with(replacements: &[(&str, &str)]) -> Contract {
    let mut text = example_text("bank-inbound-manila.toml");
    for (old, new) in replacements {
        assert_eq!(text.matches(old).count(), 1, "{old} is not unique");
        text = text.replace(old, new);
    }
    parse(&text)
}

fn ts(s: &str) -> Timestamp {
    s.parse().expect("timestamp")
}

fn dates_of(list: &[pacta_governance::obligation::Obligation], kind: ObligationKind) -> Vec<Date> {
    list.iter()
        .filter(|o| o.kind == kind)
        .map(|o| match o.due {
            Due::Date { date } => date,
            other => panic!("{kind:?} is not a date: {other:?}"),
        })
        .collect()
}

#[test]
fn bank_obligations_2026_to_2028() {
    let contract = bank();
    let history = History {
        settlements: vec![(
            Month::parse("2026-10").expect("month"),
            ts("2026-11-04T02:00:00Z"),
        )],
        breaches: vec![("BR-7".into(), ts("2027-03-10T01:30:00Z"))],
        exit_on: None,
        planned_audits: vec![date(2027, 5, 17), date(2027, 9, 6), date(2027, 11, 8)],
        dispute_steps: vec![],
    };
    let list = obligations(&contract, date(2026, 1, 1), date(2028, 12, 31), &history)
        .expect("obligations");
    let mut table = String::new();
    for o in &list {
        let at = o.location(&contract);
        table.push_str(&format!(
            "{:<24} {:<19} {:<8} {:>2}d {:<44} {}:{} {}\n",
            o.due.key(),
            o.kind.code(),
            o.party.label(Lang::En),
            o.lead_days,
            o.source,
            at.line,
            at.col,
            o.title(Lang::En),
        ));
    }
    insta::assert_snapshot!(table);

    // Ids are unique and the list is sorted by the last day due.
    let mut ids: Vec<&str> = list.iter().map(|o| o.id.as_str()).collect();
    ids.sort();
    ids.dedup();
    assert_eq!(ids.len(), list.len());
    let tz = &contract.time_zone;
    assert!(
        list.windows(2)
            .all(|w| w[0].due.last_day(tz) <= w[1].due.last_day(tz))
    );

    // Spot checks computed by hand.
    // 36 months from 2026-01-01 end on 2028-12-31; 120 days before is Saturday 2028-09-02,
    // so the notice moves to Friday 2028-09-01.
    assert_eq!(
        dates_of(&list, ObligationKind::TermEnd),
        vec![date(2028, 12, 31)]
    );
    assert_eq!(
        dates_of(&list, ObligationKind::NonRenewalNotice),
        vec![date(2028, 9, 1)]
    );
    // Credits are automatic in this contract: nothing to claim.
    assert!(dates_of(&list, ObligationKind::CreditClaim).is_empty());
    // Invoice for October due 5 November, paid 45 days later.
    let invoice = list
        .iter()
        .find(|o| o.kind == ObligationKind::InvoiceDue && o.period == "2026-10")
        .expect("October invoice");
    assert_eq!(
        invoice.due,
        Due::Date {
            date: date(2026, 11, 5)
        }
    );
    assert_eq!(invoice.party, Party::Provider);
    let payment = list
        .iter()
        .find(|o| o.kind == ObligationKind::PaymentDue && o.period == "2026-10")
        .expect("October payment");
    assert_eq!(
        payment.due,
        Due::Date {
            date: date(2026, 12, 20)
        }
    );
    // Two continuity tests a year: one per half.
    let continuity: Vec<_> = list
        .iter()
        .filter(|o| o.kind == ObligationKind::ContinuityTest && o.period.starts_with("2027"))
        .map(|o| o.due)
        .collect();
    assert_eq!(
        continuity,
        vec![
            Due::Window {
                first: date(2027, 1, 1),
                last: date(2027, 6, 30)
            },
            Due::Window {
                first: date(2027, 7, 1),
                last: date(2027, 12, 31)
            },
        ]
    );
    // Breach detected 2027-03-10 09:30 Manila, 24 hours to notify.
    let breach = list
        .iter()
        .find(|o| o.kind == ObligationKind::BreachNotice)
        .expect("breach");
    assert_eq!(
        breach.due,
        Due::Instant {
            at: ts("2027-03-11T01:30:00Z")
        }
    );
    // Pilot: 8 weeks after 2026-01-01.
    assert_eq!(
        dates_of(&list, ObligationKind::PilotReview),
        vec![date(2026, 2, 26)]
    );
    // The third audit of 2027 is over the quota of two, and says so.
    let audits: Vec<&str> = list
        .iter()
        .filter(|o| o.kind == ObligationKind::AuditNotice)
        .map(|o| o.period.as_str())
        .collect();
    assert_eq!(
        audits,
        vec!["2027-05-17 1/2", "2027-09-06 2/2", "2027-11-08 3/2"]
    );
}

#[test]
fn every_source_points_at_an_existing_key() {
    let contract = bank_with(&[CLAIMED_CREDITS]);
    let history = History {
        settlements: vec![(
            Month::parse("2026-10").expect("month"),
            ts("2026-11-04T02:00:00Z"),
        )],
        breaches: vec![("BR-7".into(), ts("2027-03-10T01:30:00Z"))],
        exit_on: Some(date(2028, 6, 30)),
        planned_audits: vec![date(2027, 5, 17)],
        dispute_steps: vec![(
            "D-1".into(),
            "negotiation".into(),
            ts("2026-11-20T16:00:00Z"),
        )],
    };
    let list = obligations(&contract, date(2026, 1, 1), date(2028, 12, 31), &history)
        .expect("obligations");
    let kinds: std::collections::BTreeSet<ObligationKind> = list.iter().map(|o| o.kind).collect();
    // Every kind but the three of a term that runs to its end.
    assert_eq!(kinds.len(), 22, "{kinds:?}");
    for o in &list {
        assert!(
            o.location(&contract).exact,
            "{} points at a missing key {}",
            o.id,
            o.source
        );
    }
    let report = list
        .iter()
        .find(|o| o.kind == ObligationKind::ReportDue && o.subject == "Monthly SLA report")
        .expect("monthly report");
    let at = report.location(&contract);
    assert!(
        contract
            .source
            .line_text(at.line)
            .contains("Monthly SLA report"),
        "line {} is {:?}",
        at.line,
        contract.source.line_text(at.line)
    );
}

/// Credits that must be claimed within 90 days of the report.
const CLAIMED_CREDITS: (&str, &str) = (
    "claim_window_days = 90\nautomatic = true",
    "claim_window_days = 90\nautomatic = false",
);

#[test]
fn credits_are_claimed_within_the_window_after_each_settlement() {
    let history = History {
        settlements: vec![
            (
                Month::parse("2026-09").expect("month"),
                ts("2026-10-05T15:59:00Z"),
            ),
            (
                Month::parse("2026-10").expect("month"),
                ts("2026-11-04T16:00:00Z"),
            ),
        ],
        ..History::default()
    };
    let list = obligations(
        &bank_with(&[CLAIMED_CREDITS]),
        date(2026, 1, 1),
        date(2027, 12, 31),
        &history,
    )
    .expect("obligations");
    // 23:59 Manila on 5 October, and 00:00 Manila on 5 November: the settlement's local day
    // counts, not its UTC day.
    assert_eq!(
        dates_of(&list, ObligationKind::CreditClaim),
        vec![date(2027, 1, 3), date(2027, 2, 3)]
    );
}

#[test]
fn a_notice_date_on_a_sunday_moves_to_the_friday() {
    // The initial term ends Thursday 2026-12-31; 11 days before is Sunday 2026-12-20.
    let contract = bank_with(&[
        ("initial_term_months = 36", "initial_term_months = 12"),
        ("notice_days = 120", "notice_days = 11"),
    ]);
    let list = obligations(
        &contract,
        date(2026, 1, 1),
        date(2026, 12, 31),
        &History::default(),
    )
    .expect("obligations");
    assert_eq!(
        dates_of(&list, ObligationKind::NonRenewalNotice),
        vec![date(2026, 12, 18)]
    );
}

#[test]
fn five_business_days_after_october_skip_the_contracts_holidays() {
    // October 2026 ends on a Saturday. Without holidays the 5th business day is Friday
    // 6 November; with All Souls' Day (Monday 2 November) closed it is Monday 9 November.
    let range = (date(2026, 11, 1), date(2026, 11, 30));
    let due = |contract: &Contract| {
        obligations(contract, range.0, range.1, &History::default())
            .expect("obligations")
            .into_iter()
            .find(|o| o.kind == ObligationKind::ReportDue && o.period == "2026-10")
            .map(|o| o.due)
    };
    assert_eq!(
        due(&bank()),
        Some(Due::Date {
            date: date(2026, 11, 6)
        })
    );
    let closed = bank_with(&[(
        "{ date = 2026-12-25, name = \"Christmas Day\", closed = false },",
        "{ date = 2026-12-25, name = \"Christmas Day\", closed = false },\n  { date = 2026-11-02, name = \"All Souls' Day\", closed = true },",
    )]);
    assert_eq!(
        due(&closed),
        Some(Due::Date {
            date: date(2026, 11, 9)
        })
    );
    // A holiday the center works through is still a business day.
    let open = bank_with(&[(
        "{ date = 2026-12-25, name = \"Christmas Day\", closed = false },",
        "{ date = 2026-12-25, name = \"Christmas Day\", closed = false },\n  { date = 2026-11-02, name = \"All Souls' Day\", closed = false },",
    )]);
    assert_eq!(
        due(&open),
        Some(Due::Date {
            date: date(2026, 11, 6)
        })
    );
    // A seven-day business week counts Sunday 1 November too: Thursday 5 November.
    let seven = bank_with(&[(
        "include_outside_hours = false",
        "include_outside_hours = false\nbusiness_days = [\"mon\", \"tue\", \"wed\", \"thu\", \"fri\", \"sat\", \"sun\"]",
    )]);
    assert_eq!(
        due(&seven),
        Some(Due::Date {
            date: date(2026, 11, 5)
        })
    );
}

#[test]
fn five_tacit_renewals_of_a_36_month_term_with_three_months_notice() {
    // GLPI #15893's case: 36 months, then 12-month tacit renewals, notice 90 days before
    // each term's last day. Computed by hand (weekday of each date checked on a calendar).
    let contract = bank_with(&[("notice_days = 120", "notice_days = 90")]);
    let list = obligations(
        &contract,
        date(2026, 1, 1),
        date(2033, 12, 31),
        &History::default(),
    )
    .expect("obligations");
    assert_eq!(
        dates_of(&list, ObligationKind::TermEnd),
        vec![
            date(2028, 12, 31),
            date(2029, 12, 31),
            date(2030, 12, 31),
            date(2031, 12, 31),
            date(2032, 12, 31),
            date(2033, 12, 31),
        ]
    );
    assert_eq!(
        dates_of(&list, ObligationKind::NonRenewalNotice),
        vec![
            date(2028, 10, 2), // Monday
            date(2029, 10, 2), // Tuesday
            date(2030, 10, 2), // Wednesday
            date(2031, 10, 2), // Thursday
            date(2032, 10, 1), // Saturday 2 October moves to Friday 1
            date(2033, 9, 30), // Sunday 2 October moves to Friday 30 September
        ]
    );
    let periods: Vec<String> = list
        .iter()
        .filter(|o| o.kind == ObligationKind::TermEnd)
        .map(|o| o.period_label(Lang::Es))
        .collect();
    assert_eq!(
        periods,
        vec![
            "plazo inicial",
            "renovación 1",
            "renovación 2",
            "renovación 3",
            "renovación 4",
            "renovación 5"
        ]
    );
}

#[test]
fn a_breach_notice_in_hours_crosses_a_dst_change() {
    // New York springs forward on Sunday 2026-03-08 at 02:00. A breach detected Saturday
    // 12:00 EST (17:00Z) with 24 hours to notify is due Sunday 13:00 EDT, which is 17:00Z:
    // 24 elapsed hours, not "the same clock time tomorrow".
    let contract = bank_with(&[(
        "time_zone = \"Asia/Manila\"",
        "time_zone = \"America/New_York\"",
    )]);
    let history = History {
        breaches: vec![("BR-1".into(), ts("2026-03-07T17:00:00Z"))],
        ..History::default()
    };
    let list =
        obligations(&contract, date(2026, 3, 1), date(2026, 3, 31), &history).expect("obligations");
    let breach = list
        .iter()
        .find(|o| o.kind == ObligationKind::BreachNotice)
        .expect("breach");
    let Due::Instant { at } = breach.due else {
        panic!("not an instant: {:?}", breach.due)
    };
    assert_eq!(at, ts("2026-03-08T17:00:00Z"));
    let local = at.to_zoned(contract.time_zone.clone());
    assert_eq!((local.day(), local.hour()), (8, 13));
    assert_eq!(
        breach.id,
        "AFB-MNL-2026/breach-notice/br-1/2026-03-08T17:00Z"
    );
}

#[test]
fn a_chosen_exit_gives_the_notice_and_the_data_deletion() {
    let history = History {
        exit_on: Some(date(2027, 6, 30)),
        ..History::default()
    };
    let list =
        obligations(&bank(), date(2026, 1, 1), date(2028, 12, 31), &history).expect("obligations");
    // 90 days before Wednesday 2027-06-30 is Thursday 2027-04-01, a business day.
    assert_eq!(
        dates_of(&list, ObligationKind::ConvenienceNotice),
        vec![date(2027, 4, 1)]
    );
    assert_eq!(
        dates_of(&list, ObligationKind::ExitDataDeletion),
        vec![date(2027, 7, 30)]
    );
    // Nothing is owed after the exit: no term end, no invoice for July 2027.
    assert!(dates_of(&list, ObligationKind::TermEnd).is_empty());
    assert!(
        !list
            .iter()
            .any(|o| o.kind == ObligationKind::InvoiceDue && o.period == "2027-07")
    );
    assert!(
        list.iter()
            .any(|o| o.kind == ObligationKind::InvoiceDue && o.period == "2027-06")
    );
}

#[test]
fn ids_are_stable_and_titles_speak_both_languages() {
    let a = obligations(
        &bank(),
        date(2026, 10, 1),
        date(2026, 11, 30),
        &History::default(),
    )
    .expect("obligations");
    let b = obligations(
        &bank(),
        date(2026, 10, 1),
        date(2026, 11, 30),
        &History::default(),
    )
    .expect("obligations");
    assert_eq!(a, b);
    let report = a
        .iter()
        .find(|o| o.kind == ObligationKind::ReportDue && o.period == "2026-10")
        .expect("report");
    assert_eq!(
        report.id,
        "AFB-MNL-2026/report-due/monthly-sla-report-2026-10/2026-11-06"
    );
    assert_eq!(
        report.title(Lang::En),
        "Report due: Monthly SLA report (2026-10)"
    );
    assert_eq!(
        report.title(Lang::Es),
        "Entrega de informe: Monthly SLA report (2026-10)"
    );
}

#[test]
fn bad_ranges_are_refused() {
    let c = bank();
    let h = History::default();
    assert_eq!(
        obligations(&c, date(2027, 1, 1), date(2026, 1, 1), &h),
        Err(GovernanceError::RangeInverted {
            from: date(2027, 1, 1),
            to: date(2026, 1, 1)
        })
    );
    assert!(matches!(
        obligations(&c, date(2026, 1, 1), date(2036, 1, 1), &h),
        Err(GovernanceError::RangeTooLong { max_years: 10, .. })
    ));
    assert!(obligations(&c, date(2026, 1, 1), date(2035, 12, 31), &h).is_ok());
}

#[test]
fn status_follows_the_deadline_in_the_contract_zone() {
    use pacta_governance::obligation::{Closing, Status};
    let contract = bank();
    let tz = &contract.time_zone;
    let list = obligations(
        &contract,
        date(2026, 11, 1),
        date(2026, 11, 30),
        &History::default(),
    )
    .expect("obligations");
    // The October invoice is due 5 November, lead 3 days; Manila is UTC+8, so the deadline
    // is 2026-11-05T16:00:00Z.
    let invoice = list
        .iter()
        .find(|o| o.kind == ObligationKind::InvoiceDue && o.period == "2026-10")
        .expect("invoice");
    assert_eq!(invoice.deadline(tz), Some(ts("2026-11-05T16:00:00Z")));
    let at = |s: &str| invoice.status(tz, ts(s), None, false);
    assert_eq!(at("2026-11-01T15:59:59Z"), Status::Pending); // 1 Nov 23:59 Manila
    assert_eq!(at("2026-11-01T16:00:00Z"), Status::DueSoon); // 2 Nov 00:00 Manila
    assert_eq!(at("2026-11-05T15:59:59Z"), Status::DueSoon);
    assert_eq!(at("2026-11-05T16:00:00Z"), Status::Overdue);
    let done = |s: &str| {
        invoice.status(
            tz,
            ts("2026-12-01T00:00:00Z"),
            Some(Closing::Fulfilled(ts(s))),
            false,
        )
    };
    assert_eq!(done("2026-11-05T15:59:59Z"), Status::FulfilledOnTime);
    assert_eq!(done("2026-11-05T16:00:00Z"), Status::FulfilledLate);
    assert_eq!(
        invoice.status(tz, ts("2026-12-01T00:00:00Z"), Some(Closing::Waived), false),
        Status::Waived
    );
    assert_eq!(
        invoice.status(tz, ts("2026-12-01T00:00:00Z"), None, true),
        Status::Superseded
    );
    assert_eq!("overdue".parse::<Status>(), Ok(Status::Overdue));
    assert!("late".parse::<Status>().is_err());
    assert_eq!(Status::DueSoon.label(Lang::Es), "vence pronto");
}
