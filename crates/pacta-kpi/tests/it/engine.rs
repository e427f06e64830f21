//! The engine end to end: tables built to realise known counts, run through `compute`.
#![allow(clippy::unwrap_used)]

use crate::common;

use common::{Row, at, contract, r2, table};
use pacta_contract::metrics::Direction;
use pacta_contract::{Channel, ContactScope, Contract, PeriodKind, SlaParams, SlaScope};
use pacta_data::model::Outcome;
use pacta_kpi::{GroupBy, KpiInputs, KpiRequest, compute, for_month_with_interval, share_meeting};

const UTC: &str = "UTC";

fn sl(id: &str, variant: &str, t: u32, s: Option<u32>) -> KpiRequest {
    let params = SlaParams {
        threshold_s: Some(t),
        short_abandon_s: s,
        ..SlaParams::default()
    };
    req(id, "service_level", variant, params)
}

fn req(id: &str, metric: &str, variant: &str, params: SlaParams) -> KpiRequest {
    KpiRequest::parse(id, metric, Some(variant), params).unwrap()
}

/// The request with its parameters changed (and parsed again).
fn with_params(r: &KpiRequest, id: &str, change: impl FnOnce(&mut SlaParams)) -> KpiRequest {
    let mut params = r.params.clone();
    change(&mut params);
    let mut n = req(
        id,
        r.measure.metric_name(),
        r.measure.variant_name(),
        params,
    );
    n.scope = r.scope.clone();
    n
}

/// The request restricted to a scope, resolved against the contract's services.
fn scoped(mut r: KpiRequest, id: &str, scope: SlaScope, c: &Contract) -> KpiRequest {
    r.id = id.into();
    r.scope = ContactScope::resolve(&scope, &c.doc.scope.services);
    r
}

/// A = 1000, Ab = 60, A≤20 = 860, Ab≤20 = 20, Ab≤5 = 10 (spread over March, 24/7 calendar).
fn worked_rows() -> Vec<Row> {
    let base = at(UTC, "2026-03-02T00:00:00");
    let mut rows = Vec::new();
    let mut k = 0i64;
    let mut next = || {
        k += 1;
        base + k * 1_500_000
    };
    for _ in 0..860 {
        rows.push(Row::answered(next(), 12));
    }
    for _ in 0..140 {
        rows.push(Row::answered(next(), 45));
    }
    for _ in 0..10 {
        rows.push(Row::abandoned(next(), 3));
    }
    for _ in 0..10 {
        rows.push(Row::abandoned(next(), 20)); // exactly T: inclusive
    }
    for _ in 0..40 {
        rows.push(Row::abandoned(next(), 50));
    }
    rows
}

#[test]
fn worked_example_of_kpi_definitions() {
    let c = contract(UTC, "", "");
    let t = table(&worked_rows());
    let reqs = vec![
        sl("ao", "answered_only", 20, Some(5)),
        sl("aa", "abandons_against", 20, Some(5)),
        sl("es", "exclude_short_abandons", 20, Some(5)),
        sl("at", "abandons_after_threshold", 20, Some(5)),
        sl("wm", "abandons_within_met", 20, Some(5)),
        sl("of", "offered", 20, Some(5)),
    ];
    let rep = compute(&c, ym(2026, 3), &KpiInputs::new(&t), &reqs, &[]).unwrap();
    let v = |id| r2(rep.single(id).and_then(|m| m.value));
    assert_eq!(v("ao"), Some(86.00));
    assert_eq!(v("aa"), Some(81.13));
    assert_eq!(v("es"), Some(81.90));
    assert_eq!(v("at"), Some(82.69));
    assert_eq!(v("wm"), Some(83.02));
    assert_eq!(v("of"), Some(83.02));
    let es = rep.single("es").unwrap();
    assert_eq!(es.formula, "A≤20 / (A + Ab − Ab≤5)");
    assert_eq!(es.inputs["A"], 1000.0);
    assert_eq!(es.inputs["Ab"], 60.0);
    assert_eq!(es.inputs["A<=T"], 860.0);
    assert_eq!(es.inputs["Ab<=T"], 20.0);
    assert_eq!(es.inputs["Ab<=S"], 10.0);
    assert_eq!((es.numerator, es.denominator), (860.0, 1050.0));
    assert!(!es.approximate);
}

#[test]
fn cisco_example() {
    let c = contract(UTC, "", "");
    let base = at(UTC, "2026-03-03T10:00:00");
    let mut rows = Vec::new();
    for i in 0..100i64 {
        let arr = base + i * 60_000;
        rows.push(match i {
            0..70 => Row::answered(arr, 10),
            70..85 => Row::answered(arr, 40),
            85..95 => Row::abandoned(arr, 8),
            _ => Row::abandoned(arr, 60),
        });
    }
    let t = table(&rows);
    let reqs = vec![
        sl("positive", "abandons_within_met", 20, None),
        sl("negative", "abandons_against", 20, None),
        sl("ignore", "abandons_after_threshold", 20, None),
    ];
    let rep = compute(&c, ym(2026, 3), &KpiInputs::new(&t), &reqs, &[]).unwrap();
    let v = |id| r2(rep.single(id).and_then(|m| m.value));
    assert_eq!(v("positive"), Some(80.00));
    assert_eq!(v("negative"), Some(70.00));
    assert_eq!(v("ignore"), Some(77.78));
}

#[test]
fn exits_abandonment_and_asa() {
    let c = contract(UTC, "", "");
    let base = at(UTC, "2026-03-03T10:00:00");
    let rows = vec![
        Row::answered(base, 10),
        Row::answered(base + 1000, 30),
        Row::abandoned(base + 2000, 2),
        Row::abandoned(base + 3000, 40),
        Row::exit(base + 4000, Outcome::Timeout),
        Row::exit(base + 5000, Outcome::InProgress),
    ];
    let t = table(&rows);
    let with_x = with_params(&sl("slx", "answered_only", 20, None), "slx", |p| {
        p.include_exits = Some(true)
    });
    let ab = |v: &str, p: SlaParams| req(v, "abandonment_rate", v, p);
    let reqs = vec![
        with_x,
        sl("off", "offered", 20, None),
        ab("of_offered", SlaParams::default()),
        ab("of_answered_and_abandoned", SlaParams::default()),
        ab("exclude_short", SlaParams::default()),
        ab(
            "after_seconds",
            SlaParams {
                after_seconds: Some(30),
                ..SlaParams::default()
            },
        ),
        req("asa", "asa", "default", SlaParams::default()),
        req("asa_o", "asa", "of_offered", SlaParams::default()),
    ];
    let rep = compute(&c, ym(2026, 3), &KpiInputs::new(&t), &reqs, &[]).unwrap();
    let v = |id| r2(rep.single(id).and_then(|m| m.value));
    assert_eq!(v("slx"), Some(33.33)); // 1 / (2 + 1)
    assert_eq!(v("off"), Some(40.00)); // (1 + 1) / 5
    assert_eq!(v("of_offered"), Some(40.00)); // 2 / 5
    assert_eq!(v("of_answered_and_abandoned"), Some(50.00));
    assert_eq!(v("exclude_short"), Some(25.00)); // (2 − 1) / (5 − 1)
    assert_eq!(v("after_seconds"), Some(20.00)); // 1 / 5
    assert_eq!(v("asa"), Some(20.00));
    assert_eq!(v("asa_o"), Some(8.00));
    assert_eq!(rep.single("asa").unwrap().inputs["in_progress"], 1.0);
}

#[test]
fn empty_denominator_is_no_data() {
    let c = contract(UTC, "", "");
    let t = table(&[Row::answered(at(UTC, "2026-02-10T10:00:00"), 5)]);
    let reqs = vec![
        sl("sl", "exclude_short_abandons", 20, None),
        req("ab", "abandonment_rate", "of_offered", SlaParams::default()),
        req("asa", "asa", "default", SlaParams::default()),
        req("p90", "wait_p90", "nearest_rank", SlaParams::default()),
        req("aht", "aht", "default", SlaParams::default()),
        req("fcr", "fcr", "repeat_contact", SlaParams::default()),
        req("csat", "csat", "top_2_box", SlaParams::default()),
        req("att", "attrition", "monthly", SlaParams::default()),
        req(
            "rd",
            "report_delivery",
            "on_time_share",
            SlaParams::default(),
        ),
        req("sales", "sales", "count", SlaParams::default()),
    ];
    let rep = compute(&c, ym(2026, 3), &KpiInputs::new(&t), &reqs, &[]).unwrap();
    for r in &reqs {
        let m = rep.single(&r.id).unwrap();
        assert_eq!(m.value, None, "{} should be no data", r.id);
    }
    // Only abandons in the month: answered_only has no data, abandons_against is 0 %.
    let t = table(&[Row::abandoned(at(UTC, "2026-03-10T10:00:00"), 50)]);
    let reqs = vec![
        sl("ao", "answered_only", 20, None),
        sl("aa", "abandons_against", 20, None),
    ];
    let rep = compute(&c, ym(2026, 3), &KpiInputs::new(&t), &reqs, &[]).unwrap();
    assert_eq!(rep.single("ao").unwrap().value, None);
    assert_eq!(rep.single("aa").unwrap().value, Some(0.0));
}

#[test]
fn dst_interval_grid_through_the_engine() {
    let ny = "America/New_York";
    let c = contract(ny, "", "");
    // 03:10 EDT on the spring-forward day, and 01:40 EST (the second 01:xx) in November.
    let spring = at(ny, "2026-03-08T03:10:00");
    let t = table(&[Row::answered(spring, 5), Row::answered(spring + 60_000, 5)]);
    let r = sl("sl", "answered_only", 20, None).with_period(PeriodKind::Interval, Some(30));
    let rep = compute(
        &c,
        ym(2026, 3),
        &KpiInputs::new(&t),
        std::slice::from_ref(&r),
        &[],
    )
    .unwrap();
    let periods = &rep.get("sl").unwrap().groups[0].periods;
    assert_eq!(periods.len(), 31 * 48 - 2);
    let day: Vec<_> = periods
        .iter()
        .filter(|p| p.period.label.starts_with("2026-03-08"))
        .collect();
    assert_eq!(day.len(), 46);
    let with_data: Vec<_> = periods.iter().filter(|p| p.value.value.is_some()).collect();
    assert_eq!(with_data.len(), 1);
    assert_eq!(with_data[0].period.label, "2026-03-08T03:00-04:00");
    assert_eq!(with_data[0].value.inputs["A"], 2.0);

    let fall = at(ny, "2026-11-01T01:00:00") + 3_600_000 + 40 * 60_000; // 01:40 EST
    let t = table(&[Row::answered(fall, 5)]);
    let rep = compute(&c, ym(2026, 11), &KpiInputs::new(&t), &[r], &[]).unwrap();
    let periods = &rep.get("sl").unwrap().groups[0].periods;
    assert_eq!(
        periods
            .iter()
            .filter(|p| p.period.label.starts_with("2026-11-01"))
            .count(),
        50
    );
    let hit: Vec<_> = periods.iter().filter(|p| p.value.value.is_some()).collect();
    assert_eq!(hit[0].period.label, "2026-11-01T01:30-05:00");
    // The share of intervals meeting a target counts only intervals with data.
    let share = share_meeting(periods, 80.0, Direction::HigherIsBetter);
    assert_eq!(share.value, Some(100.0));
    assert_eq!(share.inputs["periods_with_data"], 1.0);
}

const OFFICE: &str = r#"
[calendar]
include_outside_hours = INCLUDE
hours = [{ days = ["mon", "tue", "wed", "thu", "fri"], open = "08:00", close = "18:00" }]
holidays = [{ date = 2026-03-19, name = "San José", closed = true }]
"#;

#[test]
fn holidays_and_outside_hours_are_excluded_and_counted() {
    let tz = "Europe/Madrid";
    let rows = vec![
        Row::answered(at(tz, "2026-03-18T09:00:00"), 10), // Wednesday, in hours, met
        Row::answered(at(tz, "2026-03-18T17:59:00"), 10), // in hours, met
        Row::answered(at(tz, "2026-03-18T18:00:00"), 90), // closing time: outside
        Row::answered(at(tz, "2026-03-19T10:00:00"), 90), // closed holiday
        Row::answered(at(tz, "2026-03-21T10:00:00"), 90), // Saturday
    ];
    let t = table(&rows);
    let r = sl("sl", "answered_only", 20, None);
    let c = contract(tz, &OFFICE.replace("INCLUDE", "false"), "");
    let rep = compute(
        &c,
        ym(2026, 3),
        &KpiInputs::new(&t),
        std::slice::from_ref(&r),
        &[],
    )
    .unwrap();
    let m = rep.single("sl").unwrap();
    assert_eq!(m.value, Some(100.0));
    assert_eq!(m.inputs["outside_hours_excluded"], 3.0);
    assert_eq!(rep.scan.outside_hours, 3);
    let c = contract(tz, &OFFICE.replace("INCLUDE", "true"), "");
    let rep = compute(&c, ym(2026, 3), &KpiInputs::new(&t), &[r], &[]).unwrap();
    let m = rep.single("sl").unwrap();
    assert_eq!(m.value, Some(40.0));
    assert_eq!(m.inputs["outside_hours_included"], 3.0);
}

#[test]
fn fcr_window_crosses_period_end_and_unknown_customers_are_counted() {
    let c = contract(UTC, "", "");
    let d = |s: &str| at(UTC, s);
    let rows = vec![
        // Customer 1: handled 30 March, calls again 2 April (in the table, next month).
        Row::answered(d("2026-03-30T10:00:00"), 5).customer(1),
        Row::answered(d("2026-04-02T10:00:00"), 5).customer(1),
        // Customer 2: handled 2 March, back on 20 March: outside a 7-day window.
        Row::answered(d("2026-03-02T10:00:00"), 5).customer(2),
        Row::answered(d("2026-03-20T10:00:00"), 5).customer(2),
        // Customer 3: handled 5 March, abandons on 6 March on chat: a repeat on any channel.
        Row::answered(d("2026-03-05T10:00:00"), 5).customer(3),
        Row::abandoned(d("2026-03-06T10:00:00"), 50)
            .queue(Channel::Chat, "web")
            .customer(3),
        // Customer 4: a timeout is not a contact offered to agents.
        Row::answered(d("2026-03-09T10:00:00"), 5).customer(4),
        Row::exit(d("2026-03-10T10:00:00"), Outcome::Timeout).customer(4),
        // Unknown customers: excluded and counted.
        Row::answered(d("2026-03-11T10:00:00"), 5),
        Row::answered(d("2026-03-11T10:05:00"), 5),
    ];
    let t = table(&rows);
    let any = with_params(
        &req("any", "fcr", "repeat_contact", SlaParams::default()),
        "any",
        |p| p.window_days = Some(7),
    );
    let same = with_params(&any, "same", |p| {
        p.repeat_scope = Some("same_channel".into())
    });
    let voice = scoped(
        any.clone(),
        "voice",
        SlaScope {
            channels: vec![Channel::VoiceIn],
            ..SlaScope::default()
        },
        &c,
    );
    let rep = compute(
        &c,
        ym(2026, 3),
        &KpiInputs::new(&t),
        &[any, same, voice],
        &[],
    )
    .unwrap();
    let m = rep.single("any").unwrap();
    // March handled with known customer: c1 (30th, repeated), c2 ×2 (2nd not repeated,
    // 20th not), c3 (repeated), c4 (not) = 5; repeats 2 → 60 %.
    assert_eq!(m.inputs["known_customer"], 5.0);
    assert_eq!(m.inputs["repeated"], 2.0);
    assert_eq!(m.inputs["unknown_customer_excluded"], 2.0);
    assert_eq!(m.value, Some(60.0));
    // Same channel: the chat abandon no longer counts.
    assert_eq!(rep.single("same").unwrap().inputs["repeated"], 1.0);
    assert_eq!(rep.single("voice").unwrap().inputs["repeated"], 2.0);
}

#[test]
fn nearest_rank_percentiles_and_max_wait() {
    let c = contract(UTC, "", "");
    let base = at(UTC, "2026-03-03T10:00:00");
    // Waits 1..=10 s, shuffled; plus an abandon with a long wait that must not count.
    let waits = [7, 3, 10, 1, 9, 2, 8, 4, 6, 5];
    let mut rows: Vec<Row> = waits
        .iter()
        .enumerate()
        .map(|(i, w)| Row::answered(base + i as i64 * 1000, *w))
        .collect();
    rows.push(Row::abandoned(base, 500));
    let t = table(&rows);
    let p = |m: &str| req(m, m, "nearest_rank", SlaParams::default());
    let reqs = vec![
        p("wait_p80"),
        p("wait_p90"),
        p("wait_p95"),
        req("max_wait", "max_wait", "default", SlaParams::default()),
    ];
    let rep = compute(&c, ym(2026, 3), &KpiInputs::new(&t), &reqs, &[]).unwrap();
    let v = |id| rep.single(id).and_then(|m| m.value);
    assert_eq!(v("wait_p80"), Some(8.0));
    assert_eq!(v("wait_p90"), Some(9.0));
    assert_eq!(v("wait_p95"), Some(10.0));
    assert_eq!(v("max_wait"), Some(10.0));
}

#[test]
fn aht_variants_and_approximate_flag() {
    let c = contract(UTC, "", "");
    let base = at(UTC, "2026-03-03T10:00:00");
    let mut b = Row::answered(base + 1000, 5);
    b.hold_ms = -1;
    b.wrap_ms = -1;
    b.talk_ms = 100_000;
    let t = table(&[Row::answered(base, 5), b]);
    let a = |v: &str| req(v, "aht", v, SlaParams::default());
    let rep = compute(
        &c,
        ym(2026, 3),
        &KpiInputs::new(&t),
        &[a("default"), a("talk_only"), a("talk_hold")],
        &[],
    )
    .unwrap();
    let d = rep.single("default").unwrap();
    assert_eq!(d.value, Some(175.0)); // (250 + 100) / 2
    assert!(d.approximate);
    let to = rep.single("talk_only").unwrap();
    assert_eq!(to.value, Some(150.0));
    assert!(!to.approximate);
    assert_eq!(rep.single("talk_hold").unwrap().value, Some(160.0));
}

const BUSINESS: &str = r#"
[calendar]
hours = [{ days = ["mon", "tue", "wed", "thu", "fri"], open = "08:00", close = "18:00" }]
"#;

#[test]
fn business_hours_response_time_across_a_weekend() {
    let tz = "America/Bogota";
    let c = contract(tz, BUSINESS, "");
    let mail = |arr: &str, reply: Option<&str>| {
        let mut r = Row::answered(at(tz, arr), 0).queue(Channel::Email, "mail");
        r.first_response = reply.map_or(i64::MIN, |s| at(tz, s));
        r
    };
    let t = table(&[
        // Friday 17:00 → Monday 09:00: 2 business hours, 64 calendar hours.
        mail("2026-03-13T17:00:00", Some("2026-03-16T09:00:00")),
        // Friday 10:00 → Monday 10:00: 10 business hours.
        mail("2026-03-13T10:00:00", Some("2026-03-16T10:00:00")),
        // Saturday 12:00 → Monday 08:30: 0.5 business hours (arrival outside hours is kept).
        mail("2026-03-14T12:00:00", Some("2026-03-16T08:30:00")),
        // Never answered.
        mail("2026-03-13T11:00:00", None),
    ]);
    let rt = |id: &str, clock: &str| {
        let params = SlaParams {
            response_hours: Some(4.into()),
            clock: Some(clock.into()),
            ..SlaParams::default()
        };
        let scope = SlaScope {
            services: vec!["mail".into()],
            ..SlaScope::default()
        };
        scoped(
            req(id, "response_time", "within_hours", params),
            id,
            scope,
            &c,
        )
    };
    let rep = compute(
        &c,
        ym(2026, 3),
        &KpiInputs::new(&t),
        &[rt("b", "business"), rt("c", "calendar")],
        &[],
    )
    .unwrap();
    let b = rep.single("b").unwrap();
    assert_eq!(b.value, Some(50.0));
    assert_eq!(b.inputs["no_reply"], 1.0);
    assert_eq!(rep.single("c").unwrap().value, Some(0.0));
}

#[test]
fn scope_services_and_grouping() {
    let c = contract(UTC, "", "");
    let base = at(UTC, "2026-03-03T10:00:00");
    let t = table(&[
        Row::answered(base, 5),
        Row::answered(base, 50).queue(Channel::VoiceIn, "q2"),
        Row::answered(base, 50).queue(Channel::VoiceIn, "other"),
        Row::answered(base, 5).queue(Channel::Chat, "web"),
    ]);
    let voice_only = SlaScope {
        services: vec!["voice".into()],
        ..SlaScope::default()
    };
    let r = scoped(
        sl("voice", "answered_only", 20, None),
        "voice",
        voice_only,
        &c,
    );
    let rep = compute(
        &c,
        ym(2026, 3),
        &KpiInputs::new(&t),
        std::slice::from_ref(&r),
        &[],
    )
    .unwrap();
    assert_eq!(rep.single("voice").unwrap().value, Some(50.0));
    let rep = compute(
        &c,
        ym(2026, 3),
        &KpiInputs::new(&t),
        &[r],
        &[GroupBy::Queue, GroupBy::Channel],
    )
    .unwrap();
    let groups = &rep.get("voice").unwrap().groups;
    assert_eq!(groups.len(), 2);
    assert_eq!(groups[0].group["queue"], "q1");
    assert_eq!(groups[0].group["channel"], "voice_in");
    assert_eq!(groups[0].periods[0].value.value, Some(100.0));
    assert_eq!(groups[1].periods[0].value.value, Some(0.0));
}

#[test]
fn contract_slas_with_interval_override() {
    let slas = r#"
[[sla]]
id = "SL"
name = "Voice SL"
metric = "service_level"
variant = "exclude_short_abandons"
params = { threshold_s = 20, short_abandon_s = 5 }
scope = { services = ["voice"] }
period = "month"
class = "key"
targets = [{ effective_from = 2026-01-01, expected = 80 }]

[[sla]]
id = "ATT"
name = "Attrition"
metric = "attrition"
variant = "monthly"
period = "month"
class = "tracked"
targets = [{ effective_from = 2026-01-01, expected = 5 }]
"#;
    let c = contract(UTC, "", slas);
    let t = table(&worked_rows());
    let rep = for_month_with_interval(&c, ym(2026, 3), &KpiInputs::new(&t), None, &[]).unwrap();
    assert_eq!(r2(rep.single("SL").and_then(|m| m.value)), Some(81.90));
    let rep = for_month_with_interval(
        &c,
        ym(2026, 3),
        &KpiInputs::new(&t),
        Some(30),
        &[GroupBy::Queue],
    )
    .unwrap();
    let sl = rep.get("SL").unwrap();
    assert_eq!(sl.groups[0].periods.len(), 31 * 48);
    let total: f64 = sl.groups[0]
        .periods
        .iter()
        .map(|p| p.value.inputs["A"])
        .sum();
    assert_eq!(total, 1000.0);
    // Attrition keeps its monthly period.
    assert_eq!(rep.get("ATT").unwrap().groups[0].periods.len(), 1);
    assert!(for_month_with_interval(&c, ym(2026, 3), &KpiInputs::new(&t), Some(20), &[]).is_err());
}

#[test]
fn ragged_table_is_an_error() {
    let c = contract(UTC, "", "");
    // Columns can only come out ragged by appending a table loaded without one of them
    // (first responses) to a table with it.
    let mut t = table(&[Row::answered(0, 1)]);
    let mut unloaded = table(&[Row::answered(1, 1)]);
    unloaded.drop_first_responses();
    t.append_rows(&unloaded, |_| true);
    let r = sl("sl", "answered_only", 20, None);
    assert!(compute(&c, ym(2026, 3), &KpiInputs::new(&t), &[r], &[]).is_err());
}

#[test]
fn surveys_link_to_interactions_for_scope() {
    use pacta_data::model::Survey;
    let c = contract(UTC, "", "");
    let base = at(UTC, "2026-03-03T10:00:00");
    let t = table(&[
        Row::answered(base, 5),
        Row::answered(base, 5).queue(Channel::Chat, "web"),
    ]);
    let s = |id: &str, csat: u8, nps: u8, resolved: bool| Survey {
        interaction_id: id.into(),
        csat: Some(csat),
        nps: Some(nps),
        resolved: Some(resolved),
        answered_at_ms: base + 3_600_000,
    };
    let surveys = vec![
        s("c0", 5, 10, true),
        s("c1", 3, 5, false),
        s("unknown", 4, 9, true),
    ];
    let data = KpiInputs {
        surveys: &surveys,
        ..KpiInputs::new(&t)
    };
    let voice = scoped(
        req("voice", "csat", "top_2_box", SlaParams::default()),
        "voice",
        SlaScope {
            channels: vec![Channel::VoiceIn],
            ..SlaScope::default()
        },
        &c,
    );
    let reqs = vec![
        req("all", "csat", "top_2_box", SlaParams::default()),
        voice,
        req("nps", "nps", "default", SlaParams::default()),
        req("fcr", "fcr", "survey", SlaParams::default()),
    ];
    let rep = compute(&c, ym(2026, 3), &data, &reqs, &[]).unwrap();
    assert_eq!(r2(rep.single("all").unwrap().value), Some(66.67));
    let v = rep.single("voice").unwrap();
    assert_eq!(v.value, Some(100.0));
    assert_eq!(v.inputs["unlinked_excluded"], 1.0);
    assert_eq!(r2(rep.single("nps").unwrap().value), Some(33.33)); // (2 − 1) / 3
    assert_eq!(r2(rep.single("fcr").unwrap().value), Some(66.67));

    // Only the scoped CSAT needs the interactions' source ids.
    assert!(pacta_kpi::needs_source_ids(&reqs, &[]));
    let unscoped: Vec<KpiRequest> = reqs.iter().filter(|r| r.id != "voice").cloned().collect();
    assert!(!pacta_kpi::needs_source_ids(&unscoped, &[]));
    assert!(pacta_kpi::needs_source_ids(&unscoped, &[GroupBy::Queue]));
    // Loaded without them, unscoped survey metrics give the same values; a scoped one refuses
    // rather than counting every survey as unlinked.
    let mut no_ids = t.clone();
    no_ids.drop_source_ids();
    let data = KpiInputs {
        surveys: &surveys,
        ..KpiInputs::new(&no_ids)
    };
    let rep = compute(&c, ym(2026, 3), &data, &unscoped, &[]).unwrap();
    assert_eq!(r2(rep.single("all").unwrap().value), Some(66.67));
    assert_eq!(r2(rep.single("nps").unwrap().value), Some(33.33));
    let err = compute(&c, ym(2026, 3), &data, &reqs, &[]).unwrap_err();
    assert_eq!(
        err,
        pacta_kpi::KpiError::SourceIdsNotLoaded { id: "voice".into() }
    );
}

#[test]
fn first_response_times_may_be_left_unloaded_unless_needed() {
    let c = contract(UTC, "", "");
    let mut t = table(&worked_rows());
    t.drop_first_responses();
    let sl = sl("sl", "answered_only", 20, None);
    let rt = req(
        "rt",
        "response_time",
        "within_hours",
        SlaParams {
            response_hours: Some(rust_decimal::Decimal::from(4)),
            ..SlaParams::default()
        },
    );
    assert!(!pacta_kpi::needs_first_response(std::slice::from_ref(&sl)));
    assert!(pacta_kpi::needs_first_response(&[sl.clone(), rt.clone()]));
    let rep = compute(
        &c,
        ym(2026, 3),
        &KpiInputs::new(&t),
        std::slice::from_ref(&sl),
        &[],
    )
    .unwrap();
    assert_eq!(rep.single("sl").unwrap().value, Some(86.0));
    let err = compute(&c, ym(2026, 3), &KpiInputs::new(&t), &[sl, rt], &[]).unwrap_err();
    assert_eq!(
        err,
        pacta_kpi::KpiError::FirstResponseNotLoaded { id: "rt".into() }
    );
}

/// A month, for tests.
fn ym(year: i16, month: i8) -> pacta_core::Month {
    pacta_core::Month::new(year, month).expect("a valid month")
}
