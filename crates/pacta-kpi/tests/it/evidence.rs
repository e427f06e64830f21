//! Evidence agrees with the engine: on generated rows (waits around the limits, outcomes of
//! every kind, rows outside hours, out of scope, out of the month and in exclusion windows,
//! customers coming back around the FCR window), and on generated surveys, QA evaluations and
//! roster entries, the items of each bucket add up to the engine's inputs, period by period.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{Row, at, contract, table};
use jiff::civil::Date;
use pacta_contract::{Channel, ContactScope, PeriodKind, SlaParams, SlaScope};
use pacta_data::model::{Outcome, QaEvaluation, QaItem, RosterEntry, Separation, Survey};
use pacta_kpi::evidence::{Bucket, NOT_COUNTS, interaction_contacts, record_items};
use pacta_kpi::{KpiInputs, KpiReport, KpiRequest, compute};
use rust_decimal::Decimal;

const CAL: &str = r#"
[calendar]
include_outside_hours = false
hours = [{ days = ["mon", "tue", "wed", "thu", "fri"], open = "08:00", close = "18:00" }]
"#;

fn req(id: &str, metric: &str, variant: &str, params: SlaParams) -> KpiRequest {
    KpiRequest::parse(id, metric, Some(variant), params).unwrap()
}

/// A small deterministic generator (xorshift), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn rows(seed: u64, n: usize) -> (Vec<Row>, Vec<u8>) {
    let mut g = Rng(seed | 1);
    let start = at("UTC", "2026-02-27T00:00:00");
    let span = at("UTC", "2026-04-02T00:00:00") - start;
    let mut rows = Vec::with_capacity(n);
    let mut marks = Vec::with_capacity(n);
    for _ in 0..n {
        let arrived = start + (g.below(span as u64 / 1000) as i64) * 1000;
        // Waits cluster around 5 s, 20 s and 60 s, to the millisecond.
        let wait = match g.below(4) {
            0 => 5_000 + g.below(3) as i64 - 1,
            1 => 20_000 + g.below(3) as i64 - 1,
            2 => 60_000 + g.below(3) as i64 - 1,
            _ => g.below(120_000) as i64,
        };
        let mut r = match g.below(10) {
            0..=5 => Row::answered(arrived, 0),
            6..=7 => Row::abandoned(arrived, 0),
            8 => Row::exit(arrived, Outcome::Callback),
            _ => Row::exit(arrived, Outcome::InProgress),
        };
        r.wait_ms = if g.below(50) == 0 { None } else { Some(wait) };
        r = match g.below(4) {
            0 => r.queue(Channel::VoiceIn, "q1"),
            1 => r.queue(Channel::VoiceIn, "q2"),
            2 => r.queue(Channel::Chat, "web"),
            _ => r.queue(Channel::Email, "mail"),
        };
        // Few customers, so repeats land on both sides of the 7-day window; 0 is unknown.
        r = r.customer(if g.below(20) == 0 {
            0
        } else {
            1 + g.below(400)
        });
        rows.push(r);
        marks.push(if g.below(20) == 0 {
            1 + g.below(2) as u8
        } else {
            0
        });
    }
    (rows, marks)
}

/// Every count input of every period equals the number of items whose bucket counts in it.
fn assert_counts(report: &KpiReport, id: &str, items: &[(usize, Bucket)], seed: u64) {
    let res = report.get(id).unwrap();
    for (pi, pv) in res.groups[0].periods.iter().enumerate() {
        for (key, v) in &pv.value.inputs {
            if NOT_COUNTS.contains(key) {
                continue;
            }
            let n = items
                .iter()
                .filter(|(p, b)| *p == pi && b.inputs().contains(key))
                .count();
            assert_eq!(n as f64, *v, "seed {seed} {id} period {pi} input {key}");
        }
    }
}

#[test]
fn bucket_codes_are_unique() {
    let codes: std::collections::BTreeSet<_> = Bucket::ALL.iter().map(|b| b.code()).collect();
    assert_eq!(codes.len(), Bucket::ALL.len());
}

#[test]
fn bucket_counts_equal_the_engine_inputs() {
    let c = contract("Asia/Manila", CAL, "");
    let voice = ContactScope::resolve(
        &SlaScope {
            services: vec!["voice".into()],
            ..SlaScope::default()
        },
        &c.doc.scope.services,
    );
    let chat = ContactScope::resolve(
        &SlaScope {
            channels: vec![Channel::Chat],
            ..SlaScope::default()
        },
        &c.doc.scope.services,
    );
    let p = |t: Option<u32>, s: Option<u32>, n: Option<u32>| SlaParams {
        threshold_s: t,
        short_abandon_s: s,
        after_seconds: n,
        ..SlaParams::default()
    };
    let mut sl = req(
        "SL",
        "service_level",
        "exclude_short_abandons",
        p(Some(20), Some(5), None),
    );
    sl.scope = voice.clone();
    sl.exclude_marks = 1;
    let mut abn = req(
        "ABN",
        "abandonment_rate",
        "exclude_short",
        p(None, Some(5), None),
    );
    abn.scope = voice.clone();
    let mut after = req(
        "AFT",
        "abandonment_rate",
        "after_seconds",
        p(None, None, Some(20)),
    );
    after.exclude_marks = 3;
    let mut chat_iv = req(
        "CHAT",
        "service_level",
        "abandons_against",
        p(Some(60), None, None),
    )
    .with_period(PeriodKind::Interval, Some(30));
    chat_iv.scope = chat;
    chat_iv.exclude_marks = 2;
    let mut fcr = req(
        "FCR",
        "fcr",
        "repeat_contact",
        SlaParams {
            window_days: Some(7),
            ..SlaParams::default()
        },
    );
    fcr.exclude_marks = 1;
    let requests = [sl, abn, after, chat_iv, fcr];
    for seed in [1u64, 7, 42, 2026] {
        let (rs, marks) = rows(seed, 4000);
        let t = table(&rs);
        let mut data = KpiInputs::new(&t);
        data.exclusion_marks = &marks;
        let month = "2026-03".parse().unwrap();
        let report = compute(&c, month, &data, &requests, &[]).unwrap();
        for r in &requests {
            let excluded: Vec<bool> = marks.iter().map(|m| m & r.exclude_marks != 0).collect();
            let ev = interaction_contacts(&c, month, &t, r, &excluded).unwrap();
            assert_eq!(
                report.get(&r.id).unwrap().groups[0].periods.len(),
                ev.periods.len()
            );
            let items: Vec<(usize, Bucket)> =
                ev.contacts.iter().map(|e| (e.period, e.bucket)).collect();
            assert_counts(&report, &r.id, &items, seed);
            // A repeat names the customer's next contact, within the window.
            for e in ev.contacts.iter().filter(|e| e.bucket == Bucket::Repeated) {
                let next = e.repeat_row.unwrap();
                assert_eq!(t.customer(next), t.customer(e.row));
                let gap = t.arrived_at_ms(next) - t.arrived_at_ms(e.row);
                assert!(gap > 0 && gap <= 7 * 86_400_000, "{gap}");
            }
            if r.id == "FCR" {
                assert!(items.iter().any(|(_, b)| *b == Bucket::Repeated));
                assert!(items.iter().any(|(_, b)| *b == Bucket::CustomerUnknown));
            }
        }
    }
}

#[test]
fn record_buckets_equal_the_engine_inputs() {
    let c = contract("Asia/Manila", CAL, "");
    let day = |d: i64| {
        Date::new(2026, 3, 1)
            .unwrap()
            .checked_add(jiff::Span::new().days(d))
            .unwrap()
    };
    let chat = ContactScope::resolve(
        &SlaScope {
            channels: vec![Channel::Chat],
            ..SlaScope::default()
        },
        &c.doc.scope.services,
    );
    for seed in [3u64, 11, 99] {
        let (rs, marks) = rows(seed, 3000);
        let t = table(&rs);
        let mut g = Rng(seed * 31 + 1);
        let start = at("UTC", "2026-02-27T00:00:00");
        let span = (at("UTC", "2026-04-02T00:00:00") - start) as u64;
        // Surveys link to rows (some to ids that do not exist); scores include invalid ones.
        let surveys: Vec<Survey> = (0..1500)
            .map(|_| Survey {
                interaction_id: format!("c{}", g.below(3300)),
                csat: (g.below(10) != 0).then(|| g.below(7) as u8),
                nps: (g.below(10) != 0).then(|| g.below(12) as u8),
                resolved: (g.below(5) != 0).then(|| g.below(2) == 0),
                answered_at_ms: start + (g.below(span / 1000) as i64) * 1000,
            })
            .collect();
        let qa: Vec<QaEvaluation> = (0..600)
            .map(|k| {
                let item = |score: i64, max: i64, critical: bool| QaItem {
                    item: "x".into(),
                    score: Decimal::from(score),
                    max: Decimal::from(max),
                    weight: Decimal::ONE,
                    critical,
                };
                let max = if g.below(30) == 0 { 0 } else { 5 };
                QaEvaluation {
                    evaluation_id: format!("e{k}"),
                    interaction_id: (g.below(8) != 0).then(|| format!("c{}", g.below(3300))),
                    agent_key: format!("a{}", g.below(40)),
                    evaluated_at_ms: start + (g.below(span / 1000) as i64) * 1000,
                    items: vec![
                        item(g.below(6) as i64, max, false),
                        item(1, 1 + g.below(8) as i64 / 7, true),
                    ],
                }
            })
            .collect();
        let roster: Vec<RosterEntry> = (0..120)
            .map(|k| {
                let hired = day(g.below(80) as i64 - 60);
                let left = (g.below(3) == 0)
                    .then(|| day(g.below(60) as i64 - 20))
                    .filter(|l| *l >= hired);
                RosterEntry {
                    agent_key: format!("a{k}"),
                    site: None,
                    hired_on: hired,
                    left_on: left,
                    separation: left.map(|_| {
                        if g.below(2) == 0 {
                            Separation::Voluntary
                        } else {
                            Separation::Involuntary
                        }
                    }),
                }
            })
            .collect();
        let mut data = KpiInputs::new(&t);
        data.exclusion_marks = &marks;
        data.surveys = &surveys;
        data.qa = &qa;
        data.roster = &roster;
        let none = SlaParams::default();
        let mut requests = vec![
            req(
                "CSAT",
                "csat",
                "top_2_box",
                SlaParams {
                    scale: Some(5),
                    ..none.clone()
                },
            ),
            req("NPS", "nps", "default", none.clone()),
            req("FCRS", "fcr", "survey", none.clone()),
            req("QA", "qa_score", "weighted_critical", none.clone()),
            req("ATTR", "attrition", "monthly", none.clone()),
        ];
        // The same survey and QA figures scoped to chat, with exclusions: records must link.
        for (id, m, v) in [
            ("CSAT-CHAT", "csat", "top_box"),
            ("QA-CHAT", "qa_score", "weighted_critical"),
        ] {
            let scale = (m == "csat").then_some(5);
            let mut r = req(
                id,
                m,
                v,
                SlaParams {
                    scale,
                    ..none.clone()
                },
            );
            r.scope = chat.clone();
            r.exclude_marks = 1;
            requests.push(r);
        }
        let attr_daily = req("ATTR-DAY", "attrition", "monthly", none.clone())
            .with_period(PeriodKind::Day, None);
        requests.push(attr_daily);
        let month = "2026-03".parse().unwrap();
        let report = compute(&c, month, &data, &requests, &[]).unwrap();
        for r in &requests {
            let excluded: Vec<bool> = marks.iter().map(|m| m & r.exclude_marks != 0).collect();
            let ev = record_items(&c, month, &data, r, &excluded).unwrap();
            assert_eq!(
                report.get(&r.id).unwrap().groups[0].periods.len(),
                ev.periods.len()
            );
            let items: Vec<(usize, Bucket)> =
                ev.items.iter().map(|e| (e.period, e.bucket)).collect();
            assert!(!items.is_empty(), "{}", r.id);
            assert_counts(&report, &r.id, &items, seed);
            if r.id.starts_with("QA") {
                // The scores of the counted evaluations add up to the figure's numerator.
                let sum: Decimal = ev
                    .items
                    .iter()
                    .filter(|e| matches!(e.bucket, Bucket::Scored | Bucket::CriticalZeroed))
                    .filter_map(|e| e.score)
                    .sum();
                let num = report.single(&r.id).unwrap().numerator;
                assert!(
                    (rust_decimal::prelude::ToPrimitive::to_f64(&sum).unwrap() - num).abs() < 1e-6
                );
            }
        }
    }
}
