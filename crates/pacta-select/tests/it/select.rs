//! Selection end to end on small evaluation files with hand-computed answers.
#![allow(clippy::unwrap_used)]

use pacta_select::{evaluate, parse};
use rust_decimal_macros::dec;

const HEAD: &str = r#"
[evaluation]
title = "t"
client = "c"
currency = "USD"
scale = 5
"#;

fn two_criteria(w1: &str, w2: &str, cands: &str) -> String {
    format!(
        "{HEAD}\n[[criteria]]\nid = \"quality\"\nweight = {w1}\n[[criteria]]\nid = \"price\"\nweight = {w2}\n{cands}"
    )
}

const AB: &str = r#"
[[candidates]]
id = "a"
name = "A"
scores = { quality = 5, price = 2 }
[[candidates]]
id = "b"
name = "B"
scores = { quality = 3, price = 4 }
"#;

#[test]
fn weights_not_summing_to_one_are_normalised_with_a_warning() {
    let e = parse(&two_criteria("3", "1", AB)).unwrap();
    assert_eq!(e.criteria[0].weight, 0.75);
    assert_eq!(e.criteria[1].weight, 0.25);
    assert!(
        e.warnings[0].contains("sum to 4, not 1: they were normalised"),
        "{:?}",
        e.warnings
    );
    let r = evaluate(&e, &[]).unwrap();
    // a = 0.75·5 + 0.25·2 = 4.25; b = 0.75·3 + 0.25·4 = 3.25.
    assert_eq!(r.ranking[0].id, "a");
    assert!((r.ranking[0].score - 4.25).abs() < 1e-12);
    assert!((r.ranking[1].score - 3.25).abs() < 1e-12);
    // a(x) = 2 + 3x, b(x) = 4 − x for the quality weight x: equal at x = 0.5, 25 points down.
    let s = &r.sensitivity[0];
    assert_eq!(s.criterion, "quality");
    assert!(s.up.is_none());
    let (d, who) = s.down.clone().unwrap();
    assert!((d - 0.25).abs() < 1e-12 && who == "b");
    // Negative weights are refused with their location.
    let err = parse(&two_criteria("-1", "3", AB)).unwrap_err();
    assert_eq!(
        (err[0].line, err[0].path.as_str()),
        (10, "criteria[0].weight")
    );
    assert!(err[0].message.contains("must be 0 or more"));
}

#[test]
fn inconsistent_pairwise_judgements_are_flagged() {
    let text = format!(
        "{HEAD}\n[[criteria]]\nid = \"x\"\n[[criteria]]\nid = \"y\"\n[[criteria]]\nid = \"z\"\n[pairwise]\njudgements = [ {{ a = \"x\", b = \"y\", value = 9 }}, {{ a = \"y\", b = \"z\", value = 9 }}, {{ a = \"z\", b = \"x\", value = 9 }} ]\n[[candidates]]\nid = \"a\"\nname = \"A\"\nscores = {{ x = 1, y = 2, z = 3 }}\n"
    );
    let e = parse(&text).unwrap();
    assert!(
        e.warnings
            .iter()
            .any(|w| w.contains("inconsistent") && w.contains("> 0.10")),
        "{:?}",
        e.warnings
    );
    match &e.weights {
        pacta_select::model::WeightMethod::Ahp(a) => assert!(a.consistency_ratio.unwrap() > 1.0),
        other => panic!("{other:?}"),
    }
    // A missing pair is an error naming it.
    let text = text.replace(", { a = \"z\", b = \"x\", value = 9 }", "");
    let err = parse(&text).unwrap_err();
    assert!(
        err[0].message.contains("judgements missing for pairs: x/z"),
        "{:?}",
        err
    );
}

#[test]
fn a_missing_score_is_located_and_named() {
    let cands = "[[candidates]]\nid = \"a\"\nname = \"A\"\nscores = { quality = 5 }\n";
    let err = parse(&two_criteria("0.5", "0.5", cands)).unwrap_err();
    assert_eq!(err.len(), 1);
    assert_eq!(err[0].line, 17); // the candidate's `scores` line
    assert!(
        err[0]
            .message
            .contains("candidate `a` has no score for criterion `price`")
    );
    let cands = "[[candidates]]\nid = \"a\"\nname = \"A\"\nscores = { quality = 5, price = 7 }\n";
    let err = parse(&two_criteria("0.5", "0.5", cands)).unwrap_err();
    assert!(
        err[0]
            .message
            .contains("score 7 for `price` is outside 1..5")
    );
    assert_eq!(err[0].path, "candidates[0].scores.price");
}

#[test]
fn knock_outs_and_ties() {
    let cands = r#"
[[requirements]]
id = "iso"
description = "ISO 27001"
fact = "iso27001"
[[requirements]]
id = "overlap"
fact = "overlap_h"
at_least = 6
[[candidates]]
id = "a"
name = "A"
facts = { iso27001 = true, overlap_h = 8 }
scores = { quality = 4, price = 4 }
[[candidates]]
id = "b"
name = "B"
facts = { iso27001 = true, overlap_h = 6.5 }
scores = { quality = 5, price = 3 }
[[candidates]]
id = "c"
name = "C"
facts = { iso27001 = false, overlap_h = 9 }
scores = { quality = 5, price = 5 }
[[candidates]]
id = "d"
name = "D"
facts = { iso27001 = true }
scores = { quality = 5, price = 5 }
"#;
    let e = parse(&two_criteria("0.5", "0.5", cands)).unwrap();
    let r = evaluate(&e, &[]).unwrap();
    let by = |id: &str| r.ranking.iter().find(|c| c.id == id).unwrap();
    // a and b both score 4.0: same rank, both flagged as tied.
    assert_eq!((by("a").rank, by("a").tied), (Some(1), true));
    assert_eq!((by("b").rank, by("b").tied), (Some(1), true));
    // c fails ISO, d has no overlap fact: knocked out despite the best scores.
    assert_eq!(by("c").rank, None);
    assert_eq!(by("c").knocked_out[0].found, "iso27001 = false");
    assert_eq!(by("d").knocked_out[0].found, "no `overlap_h` fact");
}

fn priced(
    pricing_a: &str,
    pricing_b: &str,
    forecast_extra: &str,
) -> pacta_select::SelectionOutcome {
    let text = format!(
        r#"{HEAD}
[[criteria]]
id = "quality"
weight = 1
[forecast]
start = "2027-01"
months = 3
occupancy_percent = 80
new_hires_first_month = 10
new_hires_per_month = 2
{forecast_extra}
[[forecast.services]]
id = "voice"
channel = "voice_in"
monthly_volume = 10000
aht_s = 288
talk_share = 0.75
outcome_rate = 0.1
[[candidates]]
id = "a"
name = "A"
scores = {{ quality = 3 }}
[candidates.pricing]
{pricing_a}
[[candidates]]
id = "b"
name = "B"
scores = {{ quality = 3 }}
[candidates.pricing]
{pricing_b}
"#
    );
    let e = parse(&text).unwrap_or_else(|e| panic!("{e:?}"));
    evaluate(&e, &[]).unwrap()
}

#[test]
fn total_cost_of_each_pricing_model_by_hand() {
    // 10,000 contacts × 288 s = 800 handle hours; at 80 % occupancy 1,000 productive hours;
    // 48,000 handle minutes, 36,000 talk minutes, 1,000 outcomes. Three months, no growth.
    let r = priced(
        "[[candidates.pricing.components]]\nid = \"hours\"\nunit = \"productive_hour\"\nrate = 15",
        "[[candidates.pricing.components]]\nid = \"contacts\"\nunit = \"handled_contact\"\nrate = 1.6",
        "",
    );
    let cost = |id: &str| r.costs.iter().find(|c| c.candidate == id).unwrap().clone();
    assert_eq!(cost("a").total, dec!(45000)); // 1,000 h × 15 × 3
    assert_eq!(cost("b").total, dec!(48000)); // 10,000 × 1.6 × 3
    assert_eq!(cost("b").per_contact, dec!(1.6));
    // Break-even in a steady month: 15 × 0.1 h/contact = 1.5 per contact vs 1.6: never.
    assert!(r.break_evens[0].volumes.is_empty());
    assert_eq!(r.break_evens[0].cheaper_at_forecast, "a");

    let r = priced(
        "[[candidates.pricing.components]]\nid = \"talk\"\nunit = \"talk_minute\"\nrate = 0.5",
        "[[candidates.pricing.components]]\nid = \"handle\"\nunit = \"handle_minute\"\nrate = 0.4",
        "",
    );
    let cost = |id: &str| r.costs.iter().find(|c| c.candidate == id).unwrap().clone();
    assert_eq!(cost("a").total, dec!(54000)); // 36,000 × 0.5 × 3
    assert_eq!(cost("b").total, dec!(57600)); // 48,000 × 0.4 × 3

    // Hybrid: flat 5,000 + per outcome 20 beyond 200 included, minimum commitment 25,000;
    // vs flat 30,000 with a setup fee, training per hire and a capped pass-through.
    let r = priced(
        "minimum_monthly_commitment = 25000\n[[candidates.pricing.components]]\nid = \"base\"\nunit = \"flat_monthly\"\nrate = 5000\n[[candidates.pricing.components]]\nid = \"sales\"\nunit = \"outcome\"\noutcome = \"sale\"\nrate = 20\nincluded_units = 200",
        "[[candidates.pricing.components]]\nid = \"flat\"\nunit = \"flat_monthly\"\nrate = 30000\n[[candidates.pricing.one_time_fees]]\nid = \"setup\"\nkind = \"setup\"\namount = 7000\n[[candidates.pricing.one_time_fees]]\nid = \"training\"\nkind = \"initial_training\"\namount = 500\nper_hire = true\n[[candidates.pricing.pass_through]]\nid = \"telecom\"\ndescription = \"carrier\"\nmonthly_cap = 1500",
        "pass_through = { telecom = 2000 }",
    );
    let cost = |id: &str| r.costs.iter().find(|c| c.candidate == id).unwrap().clone();
    // a: 5,000 + 20 × (1,000 − 200) = 21,000 < 25,000 → topped up to 25,000 a month.
    assert_eq!(cost("a").total, dec!(75000));
    // b: 30,000 × 3 + setup 7,000 (first month) + 500 × (10 + 2 + 2) hires + telecom capped
    // at 1,500 × 3.
    assert_eq!(
        cost("b").total,
        dec!(90000) + dec!(7000) + dec!(7000) + dec!(4500)
    );
    assert_eq!(cost("b").one_time, dec!(14000));
    // a declares no pass-through the forecast expects, no one-time fees, no indexation.
    use pacta_select::cost::Risk;
    assert_eq!(
        cost("a").risks,
        [
            Risk::NoOneTimeFees,
            Risk::UndeclaredPassThrough {
                id: "telecom".into()
            },
            Risk::NoIndexationClause,
            Risk::NoPaymentTerms,
            Risk::UndeclaredItemsAllowed,
        ]
    );
    assert!(
        !cost("b")
            .risks
            .iter()
            .any(|r| matches!(r, Risk::UncappedPassThrough { .. }))
    );
    // In words, in both languages, and as JSON (English, as before).
    let undeclared = &cost("a").risks[1];
    assert_eq!(
        undeclared.describe(pacta_core::Lang::Es),
        "el pronóstico prevé el costo trasladado «telecom», pero la propuesta no lo declara"
    );
    assert_eq!(
        serde_json::to_value(undeclared).unwrap(),
        "the forecast expects pass-through \u{201c}telecom\u{201d} but the proposal does not declare it"
    );
}

#[test]
fn break_even_between_per_contact_and_flat() {
    // 2.0 per contact vs 15,000 flat: equal at 7,500 contacts a month.
    let r = priced(
        "[[candidates.pricing.components]]\nid = \"contacts\"\nunit = \"handled_contact\"\nrate = 2",
        "[[candidates.pricing.components]]\nid = \"flat\"\nunit = \"flat_monthly\"\nrate = 15000",
        "",
    );
    let b = &r.break_evens[0];
    assert_eq!(b.volumes.len(), 1);
    assert!((b.volumes[0] - 7500.0).abs() <= 1.0, "{:?}", b.volumes);
    assert_eq!(b.cheaper_at_forecast, "b"); // 20,000 vs 15,000 at 10,000 contacts
}

#[test]
fn a_proposal_the_contract_validator_rejects_is_located() {
    let text = format!(
        "{HEAD}\n[[criteria]]\nid = \"q\"\nweight = 1\n[forecast]\nstart = \"2027-01\"\nmonths = 2\n[[forecast.services]]\nid = \"v\"\nchannel = \"voice_in\"\nmonthly_volume = 1\naht_s = 1\n[[candidates]]\nid = \"a\"\nname = \"A\"\nscores = {{ q = 1 }}\n[candidates.pricing]\n[[candidates.pricing.components]]\nid = \"x\"\nunit = \"per_banana\"\nrate = 1\n"
    );
    let err = parse(&text).unwrap_err();
    assert_eq!(err[0].path, "candidates[0].pricing");
    assert!(err[0].message.contains("per_banana"), "{}", err[0].message);
}

#[test]
fn a_proposal_too_large_to_price_is_an_error_not_a_panic() {
    use pacta_core::Localized;
    let text = format!(
        "{HEAD}\n[[criteria]]\nid = \"q\"\nweight = 1\n[forecast]\nstart = \"2027-01\"\nmonths = 2\n[[forecast.services]]\nid = \"v\"\nchannel = \"voice_in\"\nmonthly_volume = 100000\naht_s = 300\n[[candidates]]\nid = \"a\"\nname = \"A\"\nscores = {{ q = 1 }}\n[candidates.pricing]\nminimum_monthly_commitment = 7e28\n[[candidates.pricing.components]]\nid = \"x\"\nunit = \"handled_contact\"\nrate = 1e25\n"
    );
    let e = parse(&text).unwrap();
    let err = evaluate(&e, &[]).unwrap_err();
    assert_eq!(
        err.to_string(),
        "the proposal of `a` cannot be priced: the amount of `x` is too large to compute (above 79228162514264337593543950335); check the rates, amounts and quantities"
    );
    let pacta_select::EvaluateError::Cost(cost) = err else {
        panic!("a cost error");
    };
    assert_eq!(cost.code(), "money-overflow");
    assert!(
        cost.message(pacta_core::Lang::Es)
            .starts_with("la propuesta de `a`")
    );
}
