//! `settle_month` end to end on tables built to realise known counts: exclusions, versioned
//! targets per period, the flex band, missing data, usage and the invoice, credit netting,
//! and independence from row order.
#![allow(clippy::unwrap_used)]

#[path = "../../../pacta-kpi/tests/it/common.rs"]
mod common;

use std::collections::BTreeMap;

use common::{Row, at, table};
use pacta_contract::{Channel, Contract};
use pacta_data::model::{AgentDay, Incident, IncidentKind, InteractionTable, Outcome};
use pacta_kpi::KpiInputs;
use pacta_settle::month::SlaOutcome;
use pacta_settle::{MonthInputs, Settlement, settle_month};
use pacta_terms::Status;
use pacta_terms::credits::MonthRecord;
use pacta_terms::pricing::LineKind;
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

const TZ: &str = "America/New_York";

fn contract(extra_sla: &str, netting: &str) -> Contract {
    let text = format!(
        r#"
[contract]
id = "M-1"
version = "1"
title = "Month test"
currency = "USD"
time_zone = "{TZ}"
effective_date = 2026-01-01
initial_term_months = 24

[parties.client]
legal_name = "Client"

[parties.provider]
legal_name = "Provider"

[scope]
flex_band_percent = 10

[[scope.services]]
id = "voice"
channel = "voice_in"
queues = ["q1", "q2"]
forecast_monthly_volume = 100

[[scope.services]]
id = "chat"
channel = "chat"
queues = ["web"]
forecast_monthly_volume = 1000

[[sla]]
id = "SL"
name = "Voice service level"
metric = "service_level"
variant = "abandons_against"
params = {{ threshold_s = 20 }}
scope = {{ services = ["voice"] }}
period = "month"
class = "critical"
data_source = "acd"
exclusions = ["accepted_relief"]
allocation_percent = 100
targets = [{{ effective_from = 2026-01-01, expected = 80, minimum = 70 }}]

[[sla]]
id = "SL-RAW"
name = "Voice service level, no exclusions"
metric = "service_level"
variant = "abandons_against"
params = {{ threshold_s = 20 }}
scope = {{ services = ["voice"] }}
period = "month"
class = "key"
data_source = "acd"
targets = [{{ effective_from = 2026-01-01, expected = 80 }}]

{extra_sla}

[credits]
at_risk_percent = 10
pool_percent = 100
monthly_cap_percent = 10
claim_window_days = 90

[pricing]
rounding = "half_up"

[[pricing.components]]
id = "voice-contacts"
unit = "handled_contact"
rate = 2.50
services = ["voice"]

[[pricing.components]]
id = "voice-talk"
unit = "talk_minute"
rate = 0.10
services = ["voice"]

[[pricing.components]]
id = "hours"
unit = "productive_hour"
rate = 10
services = ["voice"]

[pricing.payment]
net_days = 30
credits_netted = "{netting}"
"#
    );
    match pacta_contract::parse_str(&text) {
        Ok(c) => c,
        Err(e) => panic!("test contract invalid: {e:?}"),
    }
}

fn t(s: &str) -> i64 {
    at(TZ, s)
}

/// 10 voice contacts on 2026-10-05 10:00 local: 8 answered within 20 s, 2 answered late.
/// Then 5 contacts at 2026-10-12 14:00, all answered late (these fall in the outage window).
fn voice_rows() -> Vec<Row> {
    let mut rows = Vec::new();
    for i in 0..8 {
        rows.push(Row::answered(t("2026-10-05T10:00") + i * 60_000, 10));
    }
    for i in 0..2 {
        rows.push(Row::answered(t("2026-10-05T11:00") + i * 60_000, 45));
    }
    for i in 0..5 {
        rows.push(
            Row::answered(t("2026-10-12T14:00") + i * 60_000, 90).queue(Channel::VoiceIn, "q2"),
        );
    }
    rows
}

fn outage(accepted: bool, queues: Vec<String>) -> Incident {
    Incident {
        incident_id: "INC-1".into(),
        kind: IncidentKind::Outage,
        start_ms: t("2026-10-12T13:30"),
        end_ms: t("2026-10-12T15:00"),
        queues,
        declared_by: "provider".into(),
        accepted,
    }
}

fn settle(
    c: &Contract,
    table: &InteractionTable,
    incidents: &[Incident],
    agent_days: &[AgentDay],
    history: &[MonthRecord],
) -> Settlement {
    let mut data = KpiInputs::new(table);
    data.agent_days = agent_days;
    let inputs = MonthInputs {
        data,
        incidents,
        history,
        vendor_invoice: None,
        agreed: &[],
    };
    settle_month(c, ym(2026, 10), &inputs).unwrap()
}

fn sla<'a>(s: &'a Settlement, id: &str) -> &'a SlaOutcome {
    s.slas.iter().find(|o| o.sla_id == id).unwrap()
}

#[test]
fn accepted_relief_removes_the_outage_contacts_only_where_the_contract_allows() {
    let c = contract("", "same_invoice");
    let tb = table(&voice_rows());
    let s = settle(&c, &tb, &[outage(true, vec![])], &[], &[]);
    // SL excludes the 5 contacts in the outage: 8 / 10 = 80 % → met.
    let sl = sla(&s, "SL");
    assert_eq!(sl.value.numerator, 8.0);
    assert_eq!(sl.value.denominator, 10.0);
    assert_eq!(sl.status, Status::Met);
    assert_eq!(sl.exclusions.len(), 1);
    assert_eq!(sl.exclusions[0].contacts_removed, 5);
    // SL-RAW has no exclusion: 8 / 15 = 53.33 % → missed.
    let raw = sla(&s, "SL-RAW");
    assert_eq!(raw.value.denominator, 15.0);
    assert_eq!(raw.status, Status::Missed);
    assert!(raw.exclusions.is_empty());
}

#[test]
fn unaccepted_or_other_queue_incidents_change_nothing() {
    let c = contract("", "same_invoice");
    let tb = table(&voice_rows());
    let s = settle(&c, &tb, &[outage(false, vec![])], &[], &[]);
    assert_eq!(sla(&s, "SL").value.denominator, 15.0);
    assert_eq!(sla(&s, "SL").status, Status::BelowMinimum);
    // An accepted outage in q1 does not touch the q2 contacts.
    let s = settle(&c, &tb, &[outage(true, vec!["q1".into()])], &[], &[]);
    assert_eq!(sla(&s, "SL").value.denominator, 15.0);
    assert_eq!(sla(&s, "SL").exclusions[0].contacts_removed, 0);
}

#[test]
fn credit_follows_the_verdict_and_is_netted_on_the_same_invoice() {
    let c = contract("", "same_invoice");
    let tb = table(&voice_rows());
    let s = settle(&c, &tb, &[outage(false, vec![])], &[], &[]);
    // 15 handled × 2.50 = 37.50; talk 15 × 200 s = 50 min × 0.10 = 5.00; no hours.
    assert_eq!(s.invoice.service_charges, dec!(42.50));
    // SL below minimum: at risk 10 % × 42.50 = 4.25, allocation 100 % → 4.25 (cap 4.25).
    assert_eq!(s.credits.credit, dec!(4.25));
    let credit_line = s
        .invoice
        .lines
        .iter()
        .find(|l| l.kind == LineKind::Credit)
        .unwrap();
    assert_eq!(credit_line.amount, dec!(-4.25));
    assert_eq!(s.invoice.total, dec!(38.25));
    let sum: Decimal = s.invoice.lines.iter().map(|l| l.amount).sum();
    assert_eq!(sum, s.invoice.total);
    assert_eq!(s.record.net_to_client, dec!(4.25));
}

#[test]
fn next_invoice_netting_uses_last_months_record() {
    let c = contract("", "next_invoice");
    let tb = table(&voice_rows());
    let s = settle(&c, &tb, &[outage(false, vec![])], &[], &[]);
    assert!(s.invoice.lines.iter().all(|l| l.kind != LineKind::Credit));
    assert_eq!(s.record.net_to_client, dec!(4.25));
    let september = MonthRecord {
        month: ym(2026, 9),
        charges: dec!(1000),
        credit: dec!(12.34),
        status: BTreeMap::new(),
        sla_credit: BTreeMap::new(),
        earned_back: BTreeMap::new(),
        bonus_pool_balance: Decimal::ZERO,
        net_to_client: dec!(12.34),
    };
    let s = settle(&c, &tb, &[outage(false, vec![])], &[], &[september]);
    let credit_line = s
        .invoice
        .lines
        .iter()
        .find(|l| l.kind == LineKind::Credit)
        .unwrap();
    assert_eq!(credit_line.amount, dec!(-12.34));
}

#[test]
fn volume_above_the_flex_band_excuses_the_month() {
    let extra = r#"
[[sla]]
id = "SL-FLEX"
name = "Voice service level with flex relief"
metric = "service_level"
variant = "abandons_against"
params = { threshold_s = 20 }
scope = { services = ["voice"] }
period = "month"
class = "key"
data_source = "acd"
exclusions = ["volume_above_flex"]
targets = [{ effective_from = 2026-01-01, expected = 80 }]
"#;
    let c = contract(extra, "same_invoice");
    // 111 voice contacts > 100 × 1.10 = 110, all answered late.
    let rows: Vec<Row> = (0..111)
        .map(|i| Row::answered(t("2026-10-06T09:00") + i * 10_000, 60))
        .collect();
    let s = settle(&c, &table(&rows), &[], &[], &[]);
    let flex = sla(&s, "SL-FLEX");
    assert_eq!(flex.status, Status::Excused);
    assert_eq!(
        flex.exclusions[0].kind,
        pacta_contract::Exclusion::VolumeAboveFlex
    );
    assert_eq!(sla(&s, "SL-RAW").status, Status::Missed);
    let voice = s.volumes.iter().find(|v| v.service == "voice").unwrap();
    assert_eq!((voice.offered, voice.band_high), (111, Some(110)));
    // 110 contacts are inside the band: no relief.
    let s = settle(&c, &table(&rows[..110]), &[], &[], &[]);
    assert_eq!(sla(&s, "SL-FLEX").status, Status::Missed);
}

#[test]
fn daily_sla_uses_the_target_in_force_each_day() {
    let extra = r#"
[[sla]]
id = "SL-DAY"
name = "Daily voice service level"
metric = "service_level"
variant = "abandons_against"
params = { threshold_s = 20 }
scope = { services = ["voice"] }
period = "day"
required_share_percent = 100
class = "key"
data_source = "acd"
targets = [
  { effective_from = 2026-01-01, expected = 50 },
  { effective_from = 2026-10-10, expected = 90 },
]
"#;
    let c = contract(extra, "same_invoice");
    // Oct 5 and Oct 20: each day 6 of 10 answered within T (60 %).
    let mut rows = Vec::new();
    for day in ["2026-10-05T10:00", "2026-10-20T10:00"] {
        for i in 0..10 {
            rows.push(Row::answered(
                t(day) + i * 60_000,
                if i < 6 { 5 } else { 40 },
            ));
        }
    }
    let s = settle(&c, &table(&rows), &[], &[], &[]);
    let day = sla(&s, "SL-DAY");
    // Oct 5 meets 50 %, Oct 20 misses 90 %: 1 of 2 days.
    assert_eq!(day.periods, Some((2, 1)));
    assert_eq!(day.status, Status::Missed);
    assert_eq!(day.value.value, Some(50.0));
    // Each judged day is kept as the verdict counted it, for charts.
    let marks: Vec<(&str, &str, bool)> = day
        .period_marks
        .iter()
        .map(|m| (m.day.as_str(), m.time.as_str(), m.met_expected))
        .collect();
    assert_eq!(
        marks,
        vec![("2026-10-05", "", true), ("2026-10-20", "", false)]
    );
    // A month SLA has none.
    assert!(sla(&s, "SL").period_marks.is_empty());
}

#[test]
fn missing_data_is_a_miss_unless_excused() {
    let extra = r#"
[[sla]]
id = "CHAT-SL"
name = "Chat service level"
metric = "service_level"
variant = "abandons_against"
params = { threshold_s = 60 }
scope = { services = ["chat"] }
period = "month"
class = "key"
data_source = "acd"
targets = [{ effective_from = 2026-01-01, expected = 80 }]

[[sla]]
id = "CHAT-SL-EXCUSED"
name = "Chat service level, missing data excused"
metric = "service_level"
variant = "abandons_against"
params = { threshold_s = 60 }
scope = { services = ["chat"] }
period = "month"
class = "key"
data_source = "acd"
missing_data = "excused"
targets = [{ effective_from = 2026-01-01, expected = 80 }]
"#;
    let c = contract(extra, "same_invoice");
    let s = settle(&c, &table(&voice_rows()), &[], &[], &[]);
    assert_eq!(sla(&s, "CHAT-SL").status, Status::Missed);
    assert_eq!(sla(&s, "CHAT-SL").value.value, None);
    assert_eq!(sla(&s, "CHAT-SL-EXCUSED").status, Status::Excused);
}

#[test]
fn productive_hours_come_from_agent_days_apportioned_by_handle_time() {
    let c = contract("", "same_invoice");
    // 10 voice + 10 chat contacts with equal handle time: voice gets half the hours.
    let mut rows = voice_rows()[..10].to_vec();
    for i in 0..10 {
        rows.push(Row::answered(t("2026-10-07T10:00") + i * 60_000, 5).queue(Channel::Chat, "web"));
    }
    let day = |d: &str, handling: u32, available: u32, night: u32| AgentDay {
        agent_key: "a1".into(),
        date: d.parse().unwrap(),
        scheduled_min: 480,
        logged_min: 480,
        adherent_min: 450,
        handling_min: handling,
        available_min: available,
        night_min: night,
    };
    // Oct 3 is a Saturday; Sep 30 is outside the month.
    let days = [
        day("2026-10-02", 300, 60, 0),
        day("2026-10-03", 200, 40, 120),
        day("2026-09-30", 400, 0, 0),
    ];
    let s = settle(&c, &table(&rows), &[], &days, &[]);
    let hours = &s.usage.components["hours"];
    // (360 + 240) min = 10 h, half to voice = 5 h; weekend 240 min / 2 = 2 h;
    // night 120 × 240/480 = 60 min / 2 = 0.5 h.
    assert_eq!(hours.units, dec!(5));
    assert_eq!(hours.weekend_units, dec!(2));
    assert_eq!(hours.night_units, dec!(0.5));
    assert_eq!(s.usage.components["voice-contacts"].units, dec!(10));
    // Talk: 10 × 200 s = 33.333… min → 33.33.
    assert_eq!(s.usage.components["voice-talk"].units, dec!(33.33));
}

#[test]
fn answered_contacts_without_talk_time_have_no_handle_time_to_apportion() {
    // The one handle-time rule (pacta_data's `handle_time`): no talk time, no handle time,
    // whatever the hold and wrap. Before it, settlement counted their hold and wrap, and these
    // 10 extra voice contacts would have moved the voice share of hours from 5 h to 5.45 h.
    let c = contract("", "same_invoice");
    let mut rows = voice_rows()[..10].to_vec();
    for i in 0..10 {
        rows.push(Row::answered(t("2026-10-07T10:00") + i * 60_000, 5).queue(Channel::Chat, "web"));
        rows.push(Row {
            talk_ms: common::NO_DURATION,
            ..Row::answered(t("2026-10-08T10:00") + i * 60_000, 5)
        });
    }
    let day = AgentDay {
        agent_key: "a1".into(),
        date: "2026-10-02".parse().unwrap(),
        scheduled_min: 480,
        logged_min: 480,
        adherent_min: 450,
        handling_min: 540,
        available_min: 60,
        night_min: 0,
    };
    let s = settle(&c, &table(&rows), &[], &[day], &[]);
    assert_eq!(s.usage.components["hours"].units, dec!(5));
    assert_eq!(s.usage.components["voice-contacts"].units, dec!(20));
}

fn shuffled(rows: &[Row], seed: u64) -> Vec<Row> {
    let mut v = rows.to_vec();
    let mut x = seed | 1;
    for i in (1..v.len()).rev() {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        v.swap(i, (x % (i as u64 + 1)) as usize);
    }
    v
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(24))]

    #[test]
    fn settlement_is_independent_of_row_order(seed in any::<u64>(), extra_late in 0usize..20) {
        let c = contract("", "same_invoice");
        let mut rows = voice_rows();
        for i in 0..extra_late {
            rows.push(Row::abandoned(t("2026-10-15T09:00") + i as i64 * 1000, 30));
        }
        rows.push(Row::exit(t("2026-10-16T09:00"), Outcome::Timeout));
        let a = settle(&c, &table(&rows), &[outage(true, vec![])], &[], &[]);
        let b = settle(&c, &table(&shuffled(&rows, seed)), &[outage(true, vec![])], &[], &[]);
        prop_assert_eq!(serde_json::to_string(&a).unwrap(), serde_json::to_string(&b).unwrap());
        let sum: Decimal = a.invoice.lines.iter().map(|l| l.amount).sum();
        prop_assert_eq!(sum, a.invoice.total);
        prop_assert!(a.credits.credit <= a.credits.monthly_cap);
    }
}

#[test]
fn fcr_sees_repeats_in_the_next_month_once_appended() {
    let extra = r#"
[[sla]]
id = "FCR"
name = "First-contact resolution"
metric = "fcr"
variant = "repeat_contact"
params = { window_days = 7, match_key = "customer_key", repeat_scope = "any" }
period = "month"
class = "key"
data_source = "acd"
targets = [{ effective_from = 2026-01-01, expected = 70 }]
"#;
    let c = contract(extra, "same_invoice");
    assert_eq!(pacta_settle::month::fcr_window_days(&c), 7);
    // Two customers handled on Oct 31; customer 1 calls again on Nov 2.
    let october = table(&[
        Row::answered(t("2026-10-31T10:00"), 5).customer(1),
        Row::answered(t("2026-10-31T11:00"), 5).customer(2),
    ]);
    let november = table(&[
        Row::answered(t("2026-11-02T10:00"), 5)
            .customer(1)
            .queue(Channel::VoiceIn, "q2"),
        Row::answered(t("2026-11-20T10:00"), 5).customer(2),
    ]);
    let alone = settle(&c, &october, &[], &[], &[]);
    assert_eq!(sla(&alone, "FCR").value.value, Some(100.0));
    // Without data past the month end the window is still open, and the settlement says so.
    assert_eq!(alone.fcr_window_open, Some(7));
    let mut both = october.clone();
    let (_, end) = ym(2026, 10).bounds_ms(&c.time_zone).unwrap();
    let limit = end + 7 * 86_400_000;
    both.append_rows(&november, |r| november.arrived_at_ms(r) < limit);
    assert_eq!(
        both.row_count(),
        3,
        "the Nov 20 contact is outside the window"
    );
    assert_eq!(both.queue_dict(), ["q1", "q2"]);
    let s = settle(&c, &both, &[], &[], &[]);
    assert_eq!(sla(&s, "FCR").value.value, Some(50.0));
    assert_eq!(s.fcr_window_open, None);
    // Usage and volumes still count October only.
    assert_eq!(s.usage.components["voice-contacts"].units, dec!(2));
}

/// A month, for tests.
fn ym(year: i16, month: i8) -> pacta_core::Month {
    pacta_core::Month::new(year, month).expect("a valid month")
}

#[test]
fn an_outcome_price_counts_a_disposition_however_it_is_padded_or_cased() {
    // The KPIs have always matched dispositions trimmed and lowercased; the outcome price
    // once compared them lowercased only, so a padded sale was counted but not billed.
    let c = contract(
        r#"
[[pricing.components]]
id = "sales"
unit = "outcome"
outcome = " Sale"
rate = 20
services = ["voice"]
"#,
        "same_invoice",
    );
    let mut rows = voice_rows()[..6].to_vec();
    let dispositions = [
        "\tsale",
        "SALE\u{a0}",
        "sale",
        "\u{3000}Sale ",
        "no_sale",
        "sales",
    ];
    for (row, d) in rows.iter_mut().zip(dispositions) {
        row.disposition = Some(d);
    }
    let s = settle(&c, &table(&rows), &[], &[], &[]);
    assert_eq!(s.usage.components["sales"].units, dec!(4));
    let line = s.invoice.lines.iter().find(|l| l.item == "sales").unwrap();
    assert_eq!(line.amount, dec!(80.00));
}
