//! Metrics over the other record kinds: surveys, QA evaluations, roster, training, agent
//! days and report deliveries.

use std::collections::{BTreeMap, BTreeSet};

use jiff::ToSpan;
use jiff::civil::Date;
use pacta_data::model::{
    AgentDay, QaEvaluation, RosterEntry, Survey, TrainingKind, TrainingRecord,
};
use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;

use crate::{MetricValue, ReportDelivery};
use pacta_contract::Measure;
use pacta_contract::measure::CsatVariant;

/// CSAT, NPS and FCR-by-survey over the surveys of one group and period.
pub fn survey_value(measure: &Measure, items: &[&Survey], unlinked_excluded: u64) -> MetricValue {
    let m = match measure {
        Measure::Csat { variant: v, scale } => {
            let scale = *scale;
            let mut n = 0u64;
            let mut invalid = 0u64;
            let mut top = 0u64;
            let mut top2 = 0u64;
            let mut sum = 0u64;
            for s in items {
                let Some(x) = s.csat else { continue };
                let x = u32::from(x);
                if x < 1 || x > scale {
                    invalid += 1;
                    continue;
                }
                n += 1;
                sum += u64::from(x);
                top += u64::from(x == scale);
                top2 += u64::from(x + 1 >= scale);
            }
            let m = match v {
                CsatVariant::Top2Box => MetricValue::ratio(
                    top2 as f64,
                    n as f64,
                    100.0,
                    format!("responses {}–{scale} / responses", scale - 1),
                ),
                CsatVariant::TopBox => MetricValue::ratio(
                    top as f64,
                    n as f64,
                    100.0,
                    format!("responses {scale} / responses"),
                ),
                CsatVariant::Mean => MetricValue::ratio(
                    sum as f64,
                    n as f64,
                    1.0,
                    format!("Σ score / responses (1–{scale})"),
                ),
            };
            m.with("responses", n as f64)
                .with("top_box", top as f64)
                .with("top_2_box", top2 as f64)
                .with("invalid", invalid as f64)
                .with("scale", f64::from(scale))
        }
        Measure::Nps => {
            let mut n = 0u64;
            let mut pro = 0u64;
            let mut det = 0u64;
            let mut invalid = 0u64;
            for s in items {
                let Some(x) = s.nps else { continue };
                if x > 10 {
                    invalid += 1;
                    continue;
                }
                n += 1;
                pro += u64::from(x >= 9);
                det += u64::from(x <= 6);
            }
            MetricValue::ratio(
                pro as f64 - det as f64,
                n as f64,
                100.0,
                "(promoters − detractors) / responses".into(),
            )
            .with("responses", n as f64)
            .with("promoters", pro as f64)
            .with("detractors", det as f64)
            .with("invalid", invalid as f64)
        }
        _ => {
            // FCR by survey.
            let n = items.iter().filter(|s| s.resolved.is_some()).count();
            let yes = items.iter().filter(|s| s.resolved == Some(true)).count();
            MetricValue::ratio(
                yes as f64,
                n as f64,
                100.0,
                "resolved = yes / answers".into(),
            )
            .with("answers", n as f64)
            .with("resolved", yes as f64)
        }
    };
    m.with("unlinked_excluded", unlinked_excluded as f64)
}

/// The score of one evaluation, 0–100; 0 when a critical item scored below its maximum.
pub fn evaluation_score(e: &QaEvaluation) -> Option<Decimal> {
    if e.items.iter().any(|i| i.critical && i.score < i.max) {
        return Some(Decimal::ZERO);
    }
    let num: Decimal = e.items.iter().map(|i| i.score * i.weight).sum();
    let den: Decimal = e.items.iter().map(|i| i.max * i.weight).sum();
    (den > Decimal::ZERO).then(|| num / den * Decimal::ONE_HUNDRED)
}

/// Mean QA score of evaluations.
pub fn qa_value(items: &[&QaEvaluation], unlinked_excluded: u64) -> MetricValue {
    let mut n = 0u64;
    let mut sum = Decimal::ZERO;
    let mut zeroed = 0u64;
    let mut unscorable = 0u64;
    for e in items {
        match evaluation_score(e) {
            Some(s) => {
                n += 1;
                sum += s;
                zeroed += u64::from(e.items.iter().any(|i| i.critical && i.score < i.max));
            }
            None => unscorable += 1,
        }
    }
    MetricValue::ratio(
        sum.to_f64().unwrap_or(0.0),
        n as f64,
        1.0,
        "mean of Σ(score × weight) / Σ(max × weight) × 100 (critical failure → 0)".into(),
    )
    .with("evaluations", n as f64)
    .with("critical_zeroed", zeroed as f64)
    .with("unscorable", unscorable as f64)
    .with("unlinked_excluded", unlinked_excluded as f64)
}

/// Whether an agent is on the roster at some point of `[first, last]`.
pub fn active_during(r: &RosterEntry, first: Date, last: Date) -> bool {
    r.hired_on <= last && r.left_on.is_none_or(|l| l >= first)
}

/// Share of agents evaluated at least `n` times.
pub fn qa_share(
    evals: &[&QaEvaluation],
    roster: &[&RosterEntry],
    first: Date,
    last: Date,
    n: u32,
) -> MetricValue {
    let mut per_agent: BTreeMap<&str, u32> = BTreeMap::new();
    for e in evals {
        *per_agent.entry(e.agent_key.as_str()).or_default() += 1;
    }
    let (agents, approximate): (BTreeSet<&str>, bool) = if roster.is_empty() {
        (per_agent.keys().copied().collect(), true)
    } else {
        (
            roster
                .iter()
                .filter(|r| active_during(r, first, last))
                .map(|r| r.agent_key.as_str())
                .collect(),
            false,
        )
    };
    let met = agents
        .iter()
        .filter(|a| per_agent.get(*a).copied().unwrap_or(0) >= n)
        .count();
    let mut m = MetricValue::ratio(
        met as f64,
        agents.len() as f64,
        100.0,
        format!("agents with ≥ {n} evaluations / agents"),
    )
    .with("agents", agents.len() as f64)
    .with("agents_meeting", met as f64)
    .with("evaluations_required", f64::from(n));
    m.approximate = approximate;
    m
}

fn on_roster(r: &RosterEntry, d: Date) -> bool {
    r.hired_on <= d && r.left_on.is_none_or(|l| l >= d)
}

fn after_day(r: &RosterEntry, d: Date) -> bool {
    r.hired_on <= d && r.left_on.is_none_or(|l| l > d)
}

fn separations(roster: &[&RosterEntry], first: Date, last: Date) -> u64 {
    roster
        .iter()
        .filter(|r| r.left_on.is_some_and(|l| first <= l && l <= last))
        .count() as u64
}

/// Average headcount of `[first, last]`: (on the roster on the first day + still on it after
/// the last day) / 2.
fn avg_headcount(roster: &[&RosterEntry], first: Date, last: Date) -> (u64, u64, f64) {
    let start = roster.iter().filter(|r| on_roster(r, first)).count() as u64;
    let end = roster.iter().filter(|r| after_day(r, last)).count() as u64;
    (start, end, (start + end) as f64 / 2.0)
}

/// Attrition over `[first, last]`, or annualised over the 12 months ending with `last`.
pub fn attrition(
    roster: &[&RosterEntry],
    first: Date,
    last: Date,
    annualised: bool,
) -> MetricValue {
    if !annualised {
        let sep = separations(roster, first, last);
        let (s, e, avg) = avg_headcount(roster, first, last);
        let vol = roster
            .iter()
            .filter(|r| {
                r.left_on.is_some_and(|l| first <= l && l <= last)
                    && r.separation == Some(pacta_data::model::Separation::Voluntary)
            })
            .count();
        return MetricValue::ratio(
            sep as f64,
            avg,
            100.0,
            "separations / ((headcount start + headcount end) / 2)".into(),
        )
        .with("separations", sep as f64)
        .with("voluntary", vol as f64)
        .with("headcount_start", s as f64)
        .with("headcount_end", e as f64)
        .with("average_headcount", avg);
    }
    let mut sep = 0u64;
    let mut avgs = 0.0;
    let end_month = last.first_of_month();
    for k in 0..12i32 {
        let Ok(m0) = end_month.checked_sub(k.months()) else {
            continue;
        };
        let m1 = m0.last_of_month();
        sep += separations(roster, m0, m1);
        avgs += avg_headcount(roster, m0, m1).2;
    }
    let avg = avgs / 12.0;
    MetricValue::ratio(
        sep as f64,
        avg,
        100.0,
        "separations in 12 months / mean monthly average headcount".into(),
    )
    .with("separations_12m", sep as f64)
    .with("average_headcount", avg)
}

/// Training hours: ongoing hours per active agent, or initial hours per hire of the period.
pub fn training(
    roster: &[&RosterEntry],
    records: &[TrainingRecord],
    first: Date,
    last: Date,
    initial: bool,
    required_initial: Option<Decimal>,
) -> MetricValue {
    let in_roster: BTreeSet<&str> = roster.iter().map(|r| r.agent_key.as_str()).collect();
    if initial {
        let hires: Vec<&str> = roster
            .iter()
            .filter(|r| first <= r.hired_on && r.hired_on <= last)
            .map(|r| r.agent_key.as_str())
            .collect();
        let mut per: BTreeMap<&str, Decimal> = hires.iter().map(|h| (*h, Decimal::ZERO)).collect();
        for t in records.iter().filter(|t| t.kind == TrainingKind::Initial) {
            if let Some(h) = per.get_mut(t.agent_key.as_str()) {
                *h += t.hours;
            }
        }
        let total: Decimal = per.values().copied().sum();
        let mut m = MetricValue::ratio(
            total.to_f64().unwrap_or(0.0),
            hires.len() as f64,
            1.0,
            "initial training hours of the period's hires / hires".into(),
        )
        .with("hires", hires.len() as f64);
        if let Some(req) = required_initial {
            let below = per.values().filter(|h| **h < req).count();
            m = m
                .with("hires_below_required", below as f64)
                .with("required_hours", req.to_f64().unwrap_or(0.0));
        }
        return m;
    }
    let agents = roster
        .iter()
        .filter(|r| active_during(r, first, last))
        .count();
    let hours: Decimal = records
        .iter()
        .filter(|t| {
            t.kind == TrainingKind::Ongoing
                && first <= t.date
                && t.date <= last
                && in_roster.contains(t.agent_key.as_str())
        })
        .map(|t| t.hours)
        .sum();
    MetricValue::ratio(
        hours.to_f64().unwrap_or(0.0),
        agents as f64,
        1.0,
        "ongoing training hours / agents on the roster".into(),
    )
    .with("agents", agents as f64)
}

/// Occupancy or adherence over agent days.
pub fn agent_days(days: &[&AgentDay], adherence: bool) -> MetricValue {
    let sum = |f: fn(&AgentDay) -> u32| days.iter().map(|d| u64::from(f(d))).sum::<u64>();
    if adherence {
        let adh = sum(|d| d.adherent_min);
        let sch = sum(|d| d.scheduled_min);
        MetricValue::ratio(
            adh as f64,
            sch as f64,
            100.0,
            "minutes in scheduled state / scheduled minutes".into(),
        )
        .with("adherent_min", adh as f64)
        .with("scheduled_min", sch as f64)
    } else {
        let h = sum(|d| d.handling_min);
        let a = sum(|d| d.available_min);
        MetricValue::ratio(
            h as f64,
            (h + a) as f64,
            100.0,
            "handle time / (handle time + available idle time)".into(),
        )
        .with("handling_min", h as f64)
        .with("available_min", a as f64)
    }
}

/// Share of reports delivered on or before their due date.
pub fn delivery(items: &[&ReportDelivery]) -> MetricValue {
    let on_time = items
        .iter()
        .filter(|d| d.delivered_on.is_some_and(|x| x <= d.due_on))
        .count();
    MetricValue::ratio(
        on_time as f64,
        items.len() as f64,
        100.0,
        "reports delivered by the due date / reports due".into(),
    )
    .with("due", items.len() as f64)
    .with("on_time", on_time as f64)
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacta_data::model::{QaItem, Separation};

    fn item(score: i64, max: i64, weight: i64, critical: bool) -> QaItem {
        QaItem {
            item: "i".into(),
            score: Decimal::from(score),
            max: Decimal::from(max),
            weight: Decimal::from(weight),
            critical,
        }
    }

    fn eval(items: Vec<QaItem>) -> QaEvaluation {
        QaEvaluation {
            evaluation_id: "e".into(),
            interaction_id: None,
            agent_key: "ag".into(),
            evaluated_at_ms: 0,
            items,
        }
    }

    #[test]
    fn qa_weighting_and_critical_zeroing() {
        // (4×2 + 3×1) / (5×2 + 5×1) = 11/15 = 73.33…
        let e1 = eval(vec![
            item(4, 5, 2, false),
            item(3, 5, 1, false),
            item(1, 1, 1, true),
        ]);
        // 1 of 3 weighted; 11+1 / 15+1 = 75 without the critical failure → 0 with it.
        let e2 = eval(vec![
            item(5, 5, 2, false),
            item(5, 5, 1, false),
            item(0, 1, 1, true),
        ]);
        let s1 = evaluation_score(&e1)
            .and_then(|d| d.to_f64())
            .unwrap_or(-1.0);
        assert!((s1 - 1200.0 / 16.0).abs() < 1e-9);
        assert_eq!(evaluation_score(&e2), Some(Decimal::ZERO));
        let m = qa_value(&[&e1, &e2], 0);
        assert!((m.value.unwrap_or(-1.0) - 75.0 / 2.0).abs() < 1e-9);
        assert_eq!(m.inputs["critical_zeroed"], 1.0);
        assert_eq!(qa_value(&[], 0).value, None);
    }

    fn agent(k: &str, hired: &str, left: Option<&str>) -> RosterEntry {
        RosterEntry {
            agent_key: k.into(),
            site: None,
            hired_on: hired.parse().expect("date"),
            left_on: left.map(|l| l.parse().expect("date")),
            separation: left.map(|_| Separation::Voluntary),
        }
    }

    #[test]
    fn attrition_arithmetic() {
        // 100 agents on 1 March; 5 leave during March; 3 are hired in March.
        let mut roster: Vec<RosterEntry> = (0..95)
            .map(|i| agent(&format!("a{i}"), "2025-01-01", None))
            .collect();
        for i in 0..5 {
            roster.push(agent(&format!("l{i}"), "2025-06-01", Some("2026-03-15")));
        }
        for i in 0..3 {
            roster.push(agent(&format!("h{i}"), "2026-03-10", None));
        }
        let refs: Vec<&RosterEntry> = roster.iter().collect();
        let d = |s: &str| s.parse::<Date>().expect("date");
        let m = attrition(&refs, d("2026-03-01"), d("2026-03-31"), false);
        // start 100, end 98, average 99 → 5 / 99 = 5.0505 %.
        assert_eq!(m.inputs["headcount_start"], 100.0);
        assert_eq!(m.inputs["headcount_end"], 98.0);
        assert!((m.value.unwrap_or(0.0) - 500.0 / 99.0).abs() < 1e-9);
        let y = attrition(&refs, d("2026-03-01"), d("2026-03-31"), true);
        assert_eq!(y.inputs["separations_12m"], 5.0);
        assert!(y.value.is_some_and(|v| v > 4.0 && v < 6.0));
        assert_eq!(
            attrition(&[], d("2026-03-01"), d("2026-03-31"), false).value,
            None
        );
    }
}
