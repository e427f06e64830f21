//! Evidence agrees with the engine: on generated rows (waits around the limits, outcomes of
//! every kind, rows outside hours, out of scope, out of the month and in exclusion windows),
//! the contacts of each bucket add up to the engine's inputs, period by period.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{Row, at, contract, table};
use pacta_contract::{Channel, ContactScope, PeriodKind, SlaParams, SlaScope};
use pacta_data::model::Outcome;
use pacta_kpi::evidence::interaction_contacts;
use pacta_kpi::{KpiInputs, KpiRequest, compute};

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
        rows.push(r);
        marks.push(if g.below(20) == 0 {
            1 + g.below(2) as u8
        } else {
            0
        });
    }
    (rows, marks)
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
    let requests = [sl, abn, after, chat_iv];
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
            let res = report.get(&r.id).unwrap();
            let periods = &res.groups[0].periods;
            assert_eq!(periods.len(), ev.periods.len());
            for (pi, pv) in periods.iter().enumerate() {
                for (key, v) in &pv.value.inputs {
                    if key.ends_with("_s") {
                        continue;
                    }
                    let n = ev
                        .contacts
                        .iter()
                        .filter(|e| e.period == pi && e.bucket.inputs().contains(key))
                        .count();
                    assert_eq!(n as f64, *v, "seed {seed} {} period {pi} input {key}", r.id);
                }
            }
        }
    }
}
