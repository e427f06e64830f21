//! Property: the report does not depend on the row order of the table.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{Row, at, contract, table};
use pacta_contract::{Channel, PeriodKind, SlaParams};
use pacta_data::model::Outcome;
use pacta_kpi::{GroupBy, KpiInputs, KpiRequest, compute};
use proptest::prelude::*;

fn requests() -> Vec<KpiRequest> {
    let mut out = Vec::new();
    let mut add = |id: &str, metric: &str, variant: &str, params: SlaParams| {
        out.push(KpiRequest::parse(id, metric, Some(variant), params).unwrap());
    };
    let t20 = SlaParams {
        threshold_s: Some(20),
        short_abandon_s: Some(5),
        ..SlaParams::default()
    };
    add("sl", "service_level", "exclude_short_abandons", t20.clone());
    add(
        "ab",
        "abandonment_rate",
        "exclude_short",
        SlaParams {
            short_abandon_s: Some(5),
            ..SlaParams::default()
        },
    );
    add("asa", "asa", "default", SlaParams::default());
    add("p90", "wait_p90", "nearest_rank", SlaParams::default());
    add("max", "max_wait", "default", SlaParams::default());
    add("aht", "aht", "default", SlaParams::default());
    add(
        "fcr",
        "fcr",
        "repeat_contact",
        SlaParams {
            window_days: Some(3),
            ..SlaParams::default()
        },
    );
    add(
        "fcrq",
        "fcr",
        "repeat_contact",
        SlaParams {
            window_days: Some(2),
            repeat_scope: Some("same_queue".into()),
            ..SlaParams::default()
        },
    );
    add(
        "rt",
        "response_time",
        "within_hours",
        SlaParams {
            response_hours: Some(2.into()),
            clock: Some("business".into()),
            ..SlaParams::default()
        },
    );
    let mut interval = out[0].clone();
    interval.id = "sl30".into();
    out.push(interval.with_period(PeriodKind::Interval, Some(30)));
    out
}

const CAL: &str = r#"
[calendar]
hours = [{ days = ["mon", "tue", "wed", "thu", "fri"], open = "08:00", close = "20:00" }]
"#;

fn row_strategy() -> impl Strategy<Value = Row> {
    let base = at("Europe/Madrid", "2026-03-01T00:00:00");
    (
        0i64..(33 * 86_400),
        0u8..5,
        0u64..6,
        0i64..90,
        0usize..3,
        prop::option::of(0i64..20_000),
    )
        .prop_map(move |(secs, oc, cust, wait, q, resp)| {
            let arr = base + secs * 1000;
            let mut r = match oc {
                0 | 1 => Row::answered(arr, wait),
                2 => Row::abandoned(arr, wait),
                3 => Row::exit(arr, Outcome::Timeout),
                _ => Row::exit(arr, Outcome::InProgress),
            };
            r = r.customer(cust);
            r = match q {
                0 => r,
                1 => r.queue(Channel::VoiceIn, "q2"),
                _ => r.queue(Channel::Email, "mail"),
            };
            r.first_response = resp.map_or(i64::MIN, |s| arr + s * 1000);
            r
        })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    #[test]
    fn shuffled_rows_give_the_identical_report(
        rows in prop::collection::vec(row_strategy(), 0..120),
        seed in any::<u64>(),
    ) {
        let c = contract("Europe/Madrid", CAL, "");
        let reqs = requests();
        let by = [GroupBy::Queue];
        let t1 = table(&rows);
        let mut shuffled = rows.clone();
        // Fisher–Yates with a simple LCG.
        let mut s = seed | 1;
        for i in (1..shuffled.len()).rev() {
            s = s.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
            let j = (s >> 33) as usize % (i + 1);
            shuffled.swap(i, j);
        }
        let t2 = table(&shuffled);
        let a = compute(&c, ym(2026, 3), &KpiInputs::new(&t1), &reqs, &by).unwrap();
        let b = compute(&c, ym(2026, 3), &KpiInputs::new(&t2), &reqs, &by).unwrap();
        prop_assert_eq!(a, b);
    }
}

#[test]
fn threaded_scan_matches_reversed_table() {
    // Above the threading threshold, so the scan is split and merged.
    let base = at("Europe/Madrid", "2026-03-01T00:00:00");
    let rows: Vec<Row> = (0..240_000i64)
        .map(|i| {
            let arr = base + i * 11_000;
            let r = match i % 7 {
                0 => Row::abandoned(arr, i % 40),
                1 => Row::exit(arr, Outcome::Timeout),
                _ => Row::answered(arr, i % 50),
            };
            let r = if i % 3 == 0 {
                r.queue(Channel::VoiceIn, "q2")
            } else {
                r
            };
            r.customer((i % 5000) as u64)
        })
        .collect();
    let c = contract("Europe/Madrid", CAL, "");
    let reqs = requests();
    let t1 = table(&rows);
    let mut rev = rows;
    rev.reverse();
    let t2 = table(&rev);
    let a = compute(
        &c,
        ym(2026, 3),
        &KpiInputs::new(&t1),
        &reqs,
        &[GroupBy::Queue],
    )
    .unwrap();
    let b = compute(
        &c,
        ym(2026, 3),
        &KpiInputs::new(&t2),
        &reqs,
        &[GroupBy::Queue],
    )
    .unwrap();
    assert_eq!(a, b);
    assert!(a.single("fcr").is_none()); // grouped: two groups
    assert_eq!(a.get("fcr").map(|r| r.groups.len()), Some(2));
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]
    /// Excluding rows by mark inside the one pass gives what computing over a copy of the table
    /// without those rows gives, for every metric (FCR included: an excluded contact is not a
    /// repeat), with requests of different masks sharing the pass.
    #[test]
    fn exclusion_marks_equal_removing_the_rows(
        rows in prop::collection::vec((row_strategy(), 0u8..4), 0..120),
    ) {
        let c = contract("Europe/Madrid", CAL, "");
        let by = [GroupBy::Queue];
        let all: Vec<Row> = rows.iter().map(|(r, _)| r.clone()).collect();
        let marks: Vec<u8> = rows.iter().map(|(_, m)| *m).collect();
        let t = table(&all);
        let mut shared = Vec::new();
        for mask in 0u8..4 {
            for mut r in requests() {
                r.id = format!("{}/{mask}", r.id);
                r.exclude_marks = mask;
                shared.push(r);
            }
        }
        let data = KpiInputs { exclusion_marks: &marks, ..KpiInputs::new(&t) };
        let one_pass = compute(&c, ym(2026, 3), &data, &shared, &by).unwrap();
        for mask in 0u8..4 {
            let kept: Vec<Row> = rows
                .iter()
                .filter(|(_, m)| m & mask == 0)
                .map(|(r, _)| r.clone())
                .collect();
            let tk = table(&kept);
            let copy = compute(&c, ym(2026, 3), &KpiInputs::new(&tk), &requests(), &by).unwrap();
            for expected in &copy.results {
                let id = format!("{}/{mask}", expected.request.id);
                let got = one_pass.get(&id).unwrap();
                prop_assert_eq!(&got.groups, &expected.groups, "request {}", id);
            }
        }
    }
}

/// A month, for tests.
fn ym(year: i16, month: i8) -> pacta_core::Month {
    pacta_core::Month::new(year, month).expect("a valid month")
}
