//! Settlement arithmetic against published mechanics (`docs/spec/contract-elements.md`) and hand-computed
//! cases.

use std::collections::BTreeMap;

use pacta_contract::{Contract, parse_str};
use pacta_terms::credits::{CreditStatement, MonthRecord};
use pacta_terms::pricing::{ComponentUsage, Invoice, LineKind, PriceTerms, Usage};
use pacta_terms::reconcile::{DiscrepancyKind, Reconciliation, VendorLine};
use pacta_terms::{SlaResult, Status, TermsError};
use proptest::prelude::*;
use rust_decimal::Decimal;
use rust_decimal_macros::dec;

// The cases here are of ordinary size: every figure fits in a decimal.

fn settle_credits(
    c: &Contract,
    month: pacta_core::Month,
    charges: Decimal,
    results: &[SlaResult],
    history: &[MonthRecord],
) -> CreditStatement {
    pacta_terms::credits::settle_credits(c, month, charges, results, history)
        .expect("credits of ordinary size")
}

fn price_month(
    terms: PriceTerms<'_>,
    month: pacta_core::Month,
    usage: &Usage,
    credits: Decimal,
    bonuses: Decimal,
) -> Invoice {
    pacta_terms::pricing::price_month(terms, month, usage, credits, bonuses)
        .expect("an invoice of ordinary size")
}

fn reconcile(terms: PriceTerms<'_>, invoice: &Invoice, vendor: &[VendorLine]) -> Reconciliation {
    pacta_terms::reconcile::reconcile(terms, invoice, vendor).expect("an invoice of ordinary size")
}

const HEAD: &str = r#"
[contract]
id = "T-1"
version = "1"
title = "Test"
currency = "USD"
time_zone = "America/Chicago"
effective_date = 2026-01-01
initial_term_months = 24
[parties.client]
legal_name = "Client"
[parties.provider]
legal_name = "Provider"
"#;

fn sla(id: &str, alloc: &str) -> String {
    format!(
        "[[sla]]\nid = \"{id}\"\nname = \"{id}\"\nmetric = \"service_level\"\nvariant = \"answered_only\"\nparams = {{ threshold_s = 20 }}\nperiod = \"month\"\nclass = \"critical\"\n{alloc}\ntargets = [{{ effective_from = 2026-01-01, expected = 80, minimum = 70 }}]\n"
    )
}

fn contract(body: &str) -> Contract {
    let text = format!("{HEAD}{body}");
    parse_str(&text).unwrap_or_else(|e| panic!("{e:#?}\n{text}"))
}

fn result(id: &str, measured: Decimal, status: Status) -> SlaResult {
    SlaResult {
        sla_id: id.into(),
        measured: Some(measured),
        expected: Some(dec!(80)),
        minimum: Some(dec!(70)),
        status,
    }
}

#[test]
fn texas_dir_credit_example() {
    // $100,000 invoice, at-risk 10 %, pool allocation 50 % × SL allocation 40 % → $2,000.
    let c = contract(&format!(
        "{}[credits]\nat_risk_percent = 10\npool_percent = 100\n",
        sla("SL1", "allocation_percent = 20 # 50 % × 40 %")
    ));
    let s = settle_credits(
        &c,
        ym(2026, 3),
        dec!(100000),
        &[result("SL1", dec!(75), Status::Missed)],
        &[],
    );
    assert_eq!(s.at_risk, dec!(10000));
    assert_eq!(s.credit, dec!(2000));
    assert_eq!(s.sla_credit["SL1"], dec!(2000));
}

#[test]
fn monthly_credits_never_exceed_the_at_risk_amount() {
    let body = format!(
        "{}{}{}[credits]\nat_risk_percent = 10\npool_percent = 150\n",
        sla("A", "allocation_percent = 60"),
        sla("B", "allocation_percent = 50"),
        sla("C", "allocation_percent = 40")
    );
    let c = contract(&body);
    let results: Vec<_> = ["A", "B", "C"]
        .iter()
        .map(|id| result(id, dec!(50), Status::BelowMinimum))
        .collect();
    let s = settle_credits(&c, ym(2026, 3), dec!(100000), &results, &[]);
    assert_eq!(s.gross, dec!(15000));
    assert_eq!(s.monthly_cap, dec!(10000));
    assert_eq!(s.credit, dec!(10000));
    // Pro-rata attribution keeps the total.
    assert_eq!(s.sla_credit.values().copied().sum::<Decimal>(), dec!(10000));
}

fn past(month: pacta_core::Month, charges: Decimal, credit: Decimal) -> MonthRecord {
    MonthRecord {
        month,
        charges,
        credit,
        status: BTreeMap::new(),
        sla_credit: BTreeMap::new(),
        earned_back: BTreeMap::new(),
        bonus_pool_balance: Decimal::ZERO,
        net_to_client: credit,
    }
}

#[test]
fn accord_monthly_and_rolling_caps() {
    // Accord Project template: 10 % monthly and 10 % over a rolling 12 months, computed
    // against the last 11 months' charges and credits.
    let c = contract(&format!(
        "{}[credits]\nat_risk_percent = 10\npool_percent = 100\nmonthly_cap_percent = 10\nrolling_cap_percent = 10\n",
        sla("AV", "allocation_percent = 100")
    ));
    // 11 earlier months of 100,000 with 9,500 credits each: 104,500 credited.
    let history: Vec<_> = (1..=11)
        .map(|m| past(ym(2026, m), dec!(100000), dec!(9500)))
        .collect();
    let s = settle_credits(
        &c,
        ym(2026, 12),
        dec!(100000),
        &[result("AV", dec!(50), Status::BelowMinimum)],
        &history,
    );
    // Monthly: 10,000. Rolling: 10 % × 1,200,000 − 104,500 = 15,500 room → 10,000 stands.
    assert_eq!(s.rolling_room, Some(dec!(15500)));
    assert_eq!(s.credit, dec!(10000));
    // With heavier history the rolling cap binds: 11 × 10,000 = 110,000 → room 10,000… and
    // with 11 × 10,500 = 115,500 → room 4,500.
    let heavy: Vec<_> = (1..=11)
        .map(|m| past(ym(2026, m), dec!(100000), dec!(10500)))
        .collect();
    let s = settle_credits(
        &c,
        ym(2026, 12),
        dec!(100000),
        &[result("AV", dec!(50), Status::BelowMinimum)],
        &heavy,
    );
    assert_eq!(s.rolling_room, Some(dec!(4500)));
    assert_eq!(s.credit, dec!(4500));
    // Months outside the window are ignored.
    let old = vec![past(ym(2025, 12), dec!(100000), dec!(50000))];
    let s = settle_credits(
        &c,
        ym(2026, 12),
        dec!(100000),
        &[result("AV", dec!(50), Status::BelowMinimum)],
        &old,
    );
    assert_eq!(s.rolling_room, Some(dec!(10000)));
}

#[test]
fn tiers_scale_the_credit_by_shortfall() {
    let c = contract(&format!(
        "{}[credits]\nat_risk_percent = 10\npool_percent = 100\ntiers = [{{ shortfall_from = 0, shortfall_to = 5, credit_percent = 50 }}, {{ shortfall_from = 5, credit_percent = 100 }}]\n",
        sla("SL", "allocation_percent = 50")
    ));
    let s = settle_credits(
        &c,
        ym(2026, 3),
        dec!(100000),
        &[result("SL", dec!(77), Status::Missed)],
        &[],
    );
    assert_eq!(s.credit, dec!(2500)); // 10,000 × 50 % × 50 %
    let s = settle_credits(
        &c,
        ym(2026, 3),
        dec!(100000),
        &[result("SL", dec!(72), Status::Missed)],
        &[],
    );
    assert_eq!(s.credit, dec!(5000));
}

#[test]
fn without_a_target_in_force_the_shortfall_is_unknown_and_the_harshest_tier_applies() {
    let c = contract(&format!(
        "{}[credits]\nat_risk_percent = 10\npool_percent = 100\ntiers = [{{ shortfall_from = 0, shortfall_to = 5, credit_percent = 50 }}, {{ shortfall_from = 5, credit_percent = 100 }}]\n",
        sla("SL", "allocation_percent = 50")
    ));
    let untargeted = SlaResult {
        expected: None,
        ..result("SL", dec!(3), Status::Missed)
    };
    let s = settle_credits(&c, ym(2026, 3), dec!(100000), &[untargeted], &[]);
    // Not a shortfall of 3 from a target of 0: no target, so the harshest tier.
    assert_eq!(s.credit, dec!(5000));
    assert!(
        s.lines[0]
            .explanation
            .contains("shortfall unknown: no target in force"),
        "{}",
        s.lines[0].explanation
    );
}

#[test]
fn points_scheme_turns_points_into_a_percentage() {
    // 5 points → 0 %, 10 → 2 %, 15 → 4 %, 20 → 6 %, 25 → 8 %, 30+ → 10 %.
    let c = contract(&format!(
        "{}{}[credits]\nat_risk_percent = 10\npool_percent = 100\npoints = [{{ points = 5, credit_percent = 0 }}, {{ points = 10, credit_percent = 2 }}, {{ points = 15, credit_percent = 4 }}, {{ points = 20, credit_percent = 6 }}, {{ points = 25, credit_percent = 8 }}, {{ points = 30, credit_percent = 10 }}]\n",
        sla("P1", "points_per_miss = 10"),
        sla("P2", "points_per_miss = 5")
    ));
    let both = [
        result("P1", dec!(60), Status::BelowMinimum),
        result("P2", dec!(60), Status::BelowMinimum),
    ];
    let s = settle_credits(&c, ym(2026, 3), dec!(50000), &both, &[]);
    assert_eq!(s.points_credit, dec!(2000)); // 15 points → 4 % of 50,000
    let one = [
        result("P1", dec!(60), Status::BelowMinimum),
        result("P2", dec!(90), Status::Met),
    ];
    assert_eq!(
        settle_credits(&c, ym(2026, 3), dec!(50000), &one, &[]).points_credit,
        dec!(1000)
    );
}

#[test]
fn earn_back_returns_a_credit_after_n_good_periods() {
    let c = contract(&format!(
        "{}[credits]\nat_risk_percent = 10\npool_percent = 100\nearn_back = {{ periods = 2, max_percent = 50 }}\n",
        sla("SL", "allocation_percent = 40")
    ));
    let mut jan = past(ym(2026, 1), dec!(100000), dec!(4000));
    jan.sla_credit.insert("SL".into(), dec!(4000));
    jan.status.insert("SL".into(), Status::Missed);
    let mut feb = past(ym(2026, 2), dec!(100000), Decimal::ZERO);
    feb.status.insert("SL".into(), Status::Met);
    let s = settle_credits(
        &c,
        ym(2026, 3),
        dec!(100000),
        &[result("SL", dec!(85), Status::Met)],
        &[jan.clone(), feb.clone()],
    );
    assert_eq!(s.earn_backs.len(), 1);
    assert_eq!(s.earn_backs[0].amount, dec!(2000));
    assert_eq!(s.net_to_client(), dec!(-2000));
    // A miss in between forfeits the earn-back.
    feb.status.insert("SL".into(), Status::Missed);
    let s = settle_credits(
        &c,
        ym(2026, 3),
        dec!(100000),
        &[result("SL", dec!(85), Status::Met)],
        &[jan, feb],
    );
    assert!(s.earn_backs.is_empty());
}

#[test]
fn chronic_failure_two_months_below_minimum_gives_termination_right() {
    let c = contract(&format!(
        "{}[credits]\nat_risk_percent = 10\npool_percent = 100\nchronic = [{{ id = \"CH\", kind = \"below_minimum_consecutive\", count = 2, remedy = \"termination_right\" }}]\n",
        sla("SL", "allocation_percent = 40")
    ));
    let mut feb = past(ym(2026, 2), dec!(100000), dec!(4000));
    feb.status.insert("SL".into(), Status::BelowMinimum);
    let s = settle_credits(
        &c,
        ym(2026, 3),
        dec!(100000),
        &[result("SL", dec!(60), Status::BelowMinimum)],
        &[feb.clone()],
    );
    assert_eq!(s.chronic.len(), 1);
    assert_eq!(s.chronic[0].trigger_id, "CH");
    feb.status.insert("SL".into(), Status::Missed);
    let s = settle_credits(
        &c,
        ym(2026, 3),
        dec!(100000),
        &[result("SL", dec!(60), Status::BelowMinimum)],
        &[feb],
    );
    assert!(s.chronic.is_empty());
}

#[test]
fn persistent_failure_ten_misses_in_twelve_months_escalates() {
    // 10 misses of one SLA in a rolling 12 months → 5 % of annual fees.
    let c = contract(&format!(
        "{}[credits]\nat_risk_percent = 10\npool_percent = 100\nchronic = [{{ id = \"PF\", kind = \"misses_in_window\", count = 10, window_months = 12, remedy = \"escalated_credit\", credit_percent_of_annual = 5, step_percent = 5 }}]\n",
        sla("SL", "allocation_percent = 10")
    ));
    let history: Vec<_> = (1..=11)
        .map(|m| {
            let mut r = past(ym(2025, m + 1), dec!(100000), dec!(1000));
            r.status.insert(
                "SL".into(),
                if m <= 9 { Status::Missed } else { Status::Met },
            );
            r
        })
        .collect();
    let s = settle_credits(
        &c,
        ym(2026, 1),
        dec!(100000),
        &[result("SL", dec!(70), Status::Missed)],
        &history,
    );
    assert_eq!(s.chronic.len(), 1);
    assert_eq!(s.chronic[0].credit, dec!(60000)); // 5 % × 1,200,000
}

#[test]
fn bonus_pool_adds_and_subtracts_and_pays_quarterly() {
    // Federal template: +5 % per met month, −10 % per missed month, paid quarterly.
    let c = contract(&format!(
        "{}[credits]\nat_risk_percent = 10\npool_percent = 100\nbonus_pool = {{ add_percent_per_met_month = 5, subtract_percent_per_missed_month = 10, paid = \"quarter\" }}\n",
        sla("SL", "allocation_percent = 10")
    ));
    let met = [result("SL", dec!(90), Status::Met)];
    let jan = settle_credits(&c, ym(2026, 1), dec!(100000), &met, &[]);
    assert_eq!(jan.bonus_pool.as_ref().map(|b| b.closing), Some(dec!(5000)));
    let jan_r = jan.record(ym(2026, 1), &met);
    let feb = settle_credits(
        &c,
        ym(2026, 2),
        dec!(100000),
        &met,
        std::slice::from_ref(&jan_r),
    );
    let feb_r = feb.record(ym(2026, 2), &met);
    let mar = settle_credits(
        &c,
        ym(2026, 3),
        dec!(100000),
        &[result("SL", dec!(70), Status::Missed)],
        &[jan_r, feb_r],
    );
    let pool = mar.bonus_pool.expect("pool");
    assert_eq!(
        (pool.opening, pool.change, pool.paid, pool.closing),
        (dec!(10000), dec!(-10000), dec!(0), dec!(0))
    );
}

#[test]
fn bonus_needs_all_conditions() {
    let c = contract(&format!(
        "{}[credits]\nat_risk_percent = 10\npool_percent = 100\nbonuses = [{{ id = \"B\", conditions = [{{ sla = \"SL\", level = 88 }}], percent = 2, cap = 1500 }}]\n",
        sla("SL", "allocation_percent = 10")
    ));
    let s = settle_credits(
        &c,
        ym(2026, 3),
        dec!(100000),
        &[result("SL", dec!(90), Status::Met)],
        &[],
    );
    assert_eq!(s.bonuses[0].amount, dec!(1500)); // 2 % = 2,000 capped at 1,500
    let s = settle_credits(
        &c,
        ym(2026, 3),
        dec!(100000),
        &[result("SL", dec!(87.9), Status::Met)],
        &[],
    );
    assert!(s.bonuses.is_empty());
}

const PRICING: &str = r#"
[pricing]
minimum_monthly_commitment = 20000
[[pricing.components]]
id = "hours"
unit = "productive_hour"
rate = 14.50
[[pricing.components]]
id = "contacts"
unit = "handled_contact"
rate = 3
included_units = 1000
tier_mode = "marginal"
tiers = [{ from = 0, to = 5000, rate = 3 }, { from = 5000, rate = 2.5 }]
[[pricing.shift_multipliers]]
kind = "night"
factor = 1.10
from = "22:00"
to = "06:00"
[[pricing.one_time_fees]]
id = "setup"
kind = "setup"
amount = 45000
invoice_month = "2026-01"
[[pricing.one_time_fees]]
id = "training"
kind = "initial_training"
amount = 850
per_hire = true
[[pricing.pass_through]]
id = "telecom"
description = "carrier"
monthly_cap = 1000
"#;

fn usage(hours: Decimal, night: Decimal, contacts: Decimal) -> Usage {
    let mut u = Usage::default();
    u.components.insert(
        "hours".into(),
        ComponentUsage {
            units: hours,
            night_units: night,
            ..Default::default()
        },
    );
    u.components.insert(
        "contacts".into(),
        ComponentUsage {
            units: contacts,
            ..Default::default()
        },
    );
    u.new_hires = 3;
    u.pass_through.insert("telecom".into(), dec!(1234.56));
    u
}

#[test]
fn invoice_prices_every_model_by_hand() {
    let c = contract(PRICING);
    let inv = price_month(
        PriceTerms::of(&c),
        ym(2026, 1),
        &usage(dec!(1000), dec!(100), dec!(9000)),
        dec!(500),
        Decimal::ZERO,
    );
    let amount = |item: &str| inv.lines.iter().find(|l| l.item == item).map(|l| l.amount);
    assert_eq!(amount("hours"), Some(dec!(14500.00)));
    assert_eq!(amount("hours:night"), Some(dec!(145.00))); // 100 × 14.50 × 0.10
    // 9,000 − 1,000 included = 8,000: 5,000 × 3 + 3,000 × 2.5 = 22,500.
    assert_eq!(amount("contacts"), Some(dec!(22500.0)));
    assert_eq!(amount("minimum-commitment"), None);
    assert_eq!(amount("setup"), Some(dec!(45000)));
    assert_eq!(amount("training"), Some(dec!(2550)));
    assert_eq!(amount("telecom"), Some(dec!(1000))); // capped
    assert_eq!(amount("service-credits"), Some(dec!(-500)));
    assert_eq!(inv.service_charges, dec!(37145.00));
    assert_eq!(
        inv.total,
        dec!(37145) + dec!(45000) + dec!(2550) + dec!(1000) - dec!(500)
    );
    // February: no setup fee; low volume triggers the minimum commitment.
    let inv = price_month(
        PriceTerms::of(&c),
        ym(2026, 2),
        &usage(dec!(100), Decimal::ZERO, dec!(500)),
        Decimal::ZERO,
        Decimal::ZERO,
    );
    assert_eq!(
        inv.lines
            .iter()
            .find(|l| l.kind == LineKind::MinimumCommitment)
            .map(|l| l.amount),
        Some(dec!(18550.00))
    );
    assert_eq!(inv.service_charges, dec!(20000));
    assert!(inv.lines.iter().all(|l| l.item != "setup"));
}

#[test]
fn whole_volume_tiers_price_all_units_at_one_rate() {
    let c = contract(&PRICING.replace("tier_mode = \"marginal\"", "tier_mode = \"whole_volume\""));
    let inv = price_month(
        PriceTerms::of(&c),
        ym(2026, 2),
        &usage(Decimal::ZERO, Decimal::ZERO, dec!(9000)),
        Decimal::ZERO,
        Decimal::ZERO,
    );
    assert_eq!(
        inv.lines
            .iter()
            .find(|l| l.item == "contacts")
            .map(|l| l.amount),
        Some(dec!(20000.0))
    ); // 8,000 × 2.5
}

#[test]
fn reconciliation_finds_quantity_rate_and_hidden_charges() {
    let c = contract(PRICING);
    let inv = price_month(
        PriceTerms::of(&c),
        ym(2026, 2),
        &usage(dec!(1000), Decimal::ZERO, dec!(9000)),
        Decimal::ZERO,
        Decimal::ZERO,
    );
    let vendor = vec![
        VendorLine {
            item: "hours".into(),
            quantity: dec!(1040),
            rate: dec!(14.50),
            amount: dec!(15080),
        },
        VendorLine {
            item: "contacts".into(),
            quantity: dec!(8000),
            rate: dec!(2.8125),
            amount: dec!(22500),
        },
        VendorLine {
            item: "training".into(),
            quantity: dec!(3),
            rate: dec!(850),
            amount: dec!(2550),
        },
        VendorLine {
            item: "telecom".into(),
            quantity: dec!(1),
            rate: dec!(1000),
            amount: dec!(1000),
        },
        VendorLine {
            item: "platform-fee".into(),
            quantity: dec!(1),
            rate: dec!(2500),
            amount: dec!(2500),
        },
    ];
    let r = reconcile(PriceTerms::of(&c), &inv, &vendor);
    let kinds: Vec<_> = r
        .discrepancies
        .iter()
        .map(|d| (d.item.as_str(), d.kind, d.difference))
        .collect();
    assert!(
        kinds.contains(&("hours", DiscrepancyKind::Quantity, dec!(580))),
        "{kinds:?}"
    );
    assert!(
        kinds.contains(&("platform-fee", DiscrepancyKind::NotAllowed, dec!(2500))),
        "{kinds:?}"
    );
    assert_eq!(r.difference, dec!(580) + dec!(2500));
}

#[test]
fn an_agreed_amount_replaces_its_line_before_anything_is_summed() {
    let c = contract(PRICING);
    let agreed = [pacta_terms::pricing::AgreedAmount {
        item: "hours".into(),
        amount: dec!(14000.004),
        reference: "C/2026-01/D1".into(),
    }];
    let u = usage(dec!(1000), dec!(100), dec!(9000));
    let plain = price_month(
        PriceTerms::of(&c),
        ym(2026, 1),
        &u,
        dec!(500),
        Decimal::ZERO,
    );
    let inv = price_month(
        PriceTerms::of(&c).with_agreed(&agreed),
        ym(2026, 1),
        &u,
        dec!(500),
        Decimal::ZERO,
    );
    let line = inv.lines.iter().find(|l| l.item == "hours").expect("hours");
    // Rounded to the currency; the rate follows the amount; the note names the agreement.
    assert_eq!(line.amount, dec!(14000.00));
    assert_eq!(line.rate, dec!(14));
    assert!(
        line.note
            .contains("agreed 14000.00 in C/2026-01/D1 (priced 14500.0)"),
        "{}",
        line.note
    );
    // A service line: the service charges (the credits' base) and the total both move by −500.
    assert_eq!(inv.service_charges, plain.service_charges - dec!(500));
    assert_eq!(inv.total, plain.total - dec!(500));
    assert_eq!(
        inv.lines.iter().map(|l| l.amount).sum::<Decimal>(),
        inv.total
    );
}

proptest! {
    #[test]
    fn invoice_lines_sum_to_the_total(hours in 0u32..100_000, night in 0u32..1000, contacts in 0u32..200_000, credit in 0u32..50_000) {
        let c = contract(PRICING);
        let inv = price_month(PriceTerms::of(&c), ym(2026, 1), &usage(Decimal::from(hours), Decimal::from(night.min(hours)), Decimal::from(contacts)), Decimal::from(credit), Decimal::ZERO);
        prop_assert_eq!(inv.lines.iter().map(|l| l.amount).sum::<Decimal>(), inv.total);
        prop_assert!(inv.service_charges >= dec!(20000));
    }

    #[test]
    fn credits_never_exceed_caps(
        charges in 1u32..5_000_000,
        allocs in proptest::collection::vec(1u32..100, 1..5),
        measured in proptest::collection::vec(0u32..100, 5),
        past_credits in proptest::collection::vec(0u32..20_000, 0..11),
    ) {
        let mut body = String::new();
        for (i, a) in allocs.iter().enumerate() {
            body.push_str(&sla(&format!("S{i}"), &format!("allocation_percent = {a}")));
        }
        body.push_str("[credits]\nat_risk_percent = 12\npool_percent = 500\nmonthly_cap_percent = 10\nrolling_cap_percent = 8\n");
        let c = contract(&body);
        let results: Vec<_> = allocs.iter().enumerate().map(|(i, _)| {
            let m = Decimal::from(measured[i % measured.len()]);
            let status = pacta_terms::judge(Some(m), dec!(80), Some(dec!(70)), true, false);
            SlaResult { sla_id: format!("S{i}"), measured: Some(m), expected: Some(dec!(80)), minimum: Some(dec!(70)), status }
        }).collect();
        let history: Vec<_> = past_credits.iter().enumerate().map(|(i, cr)| past(ym(2026, i8::try_from(i + 1).unwrap_or(1)), Decimal::from(charges), Decimal::from(*cr))).collect();
        let s = settle_credits(&c, ym(2026, 12), Decimal::from(charges), &results, &history);
        let charges = Decimal::from(charges);
        prop_assert!(s.credit <= charges * dec!(0.10) + dec!(0.01));
        prop_assert!(s.credit <= s.at_risk);
        prop_assert!(s.credit >= Decimal::ZERO);
        let window_charges: Decimal = history.iter().map(|h| h.charges).sum::<Decimal>() + charges;
        let window_credits: Decimal = history.iter().map(|h| h.credit).sum::<Decimal>();
        prop_assert!(s.credit <= (window_charges * dec!(0.08) - window_credits).max(Decimal::ZERO) + dec!(0.01));
    }

    #[test]
    fn credits_do_not_depend_on_result_order(seed in 0u64..1000) {
        let body = format!("{}{}{}[credits]\nat_risk_percent = 10\npool_percent = 150\nmonthly_cap_percent = 8\n", sla("A", "allocation_percent = 60"), sla("B", "allocation_percent = 50"), sla("C", "allocation_percent = 40"));
        let c = contract(&body);
        let mut results = vec![result("A", dec!(75), Status::Missed), result("B", dec!(60), Status::BelowMinimum), result("C", dec!(90), Status::Met)];
        let a = settle_credits(&c, ym(2026, 3), dec!(123456.78), &results, &[]);
        results.rotate_left((seed % 3) as usize);
        let b = settle_credits(&c, ym(2026, 3), dec!(123456.78), &results, &[]);
        prop_assert_eq!(a.credit, b.credit);
        prop_assert_eq!(a.sla_credit, b.sla_credit);
    }
}

/// A month, for tests.
fn ym(year: i16, month: i8) -> pacta_core::Month {
    pacta_core::Month::new(year, month).expect("a valid month")
}

#[test]
fn absurd_rates_and_commitments_are_an_error_not_a_panic() {
    use pacta_core::Localized;
    // `check` refuses numbers above 10^15 in a contract; the terms must still refuse, not
    // panic, on what reaches them by other ways (a selection's growth, a model built in code).
    let absurd = |text: &str| text.parse::<Decimal>().expect("decimal");
    let mut c = contract(
        "[pricing]\nminimum_monthly_commitment = 1000\n[[pricing.components]]\nid = \"hours\"\nunit = \"productive_hour\"\nrate = 1\n",
    );
    if let Some(p) = c.doc.pricing.as_mut() {
        p.minimum_monthly_commitment = Some(absurd("70000000000000000000000000000"));
        p.components[0].rate = absurd("10000000000000000000000000");
    }
    let err = pacta_terms::pricing::price_month(
        PriceTerms::of(&c),
        ym(2026, 2),
        &usage(dec!(100000), Decimal::ZERO, Decimal::ZERO),
        Decimal::ZERO,
        Decimal::ZERO,
    )
    .expect_err("10⁵ hours at 10²⁵ do not fit");
    assert_eq!(
        err,
        TermsError::Overflow {
            item: "hours".into()
        }
    );
    assert_eq!(err.code(), "money-overflow");
    assert!(
        err.message(pacta_core::Lang::Es)
            .contains("demasiado grande")
    );

    // The commitment alone fits; with a fee on top the total does not.
    let mut c = contract(
        "[pricing]\nminimum_monthly_commitment = 1000\n[[pricing.components]]\nid = \"hours\"\nunit = \"productive_hour\"\nrate = 1\n[[pricing.one_time_fees]]\nid = \"setup\"\nkind = \"setup\"\namount = 1000\n",
    );
    if let Some(p) = c.doc.pricing.as_mut() {
        p.minimum_monthly_commitment = Some(absurd("70000000000000000000000000000"));
        p.one_time_fees[0].amount = absurd("20000000000000000000000000000");
    }
    let err = pacta_terms::pricing::price_month(
        PriceTerms::of(&c),
        ym(2026, 1),
        &usage(dec!(10), Decimal::ZERO, Decimal::ZERO),
        Decimal::ZERO,
        Decimal::ZERO,
    )
    .expect_err("7·10²⁸ + 2·10²⁸ does not fit");
    assert_eq!(
        err,
        TermsError::Overflow {
            item: "total".into()
        }
    );
}
