//! Generator tests: determinism, counts, hours, plausibility, invariants.

use std::collections::HashMap;

use pacta_contract::{Channel, Contract};
use pacta_data::model::{Interaction, Outcome};
use pacta_gen::{GenOptions, Generated, generate, generate_chunked, within_hours};

fn bank() -> Contract {
    let text = include_str!("../../../../examples/bank-inbound-manila.toml");
    pacta_contract::parse_str(text).expect("example contract is valid")
}

/// Simple KPI numbers computed straight from the rows.
#[derive(Debug, serde::Serialize)]
struct Stats {
    rows: usize,
    voice_sl_20_answered_only: f64,
    chat_sl_60_answered_only: f64,
    voice_abandonment: f64,
    chat_abandonment: f64,
    short_abandon_share: f64,
    repeat_7d: f64,
    unknown_customer: f64,
    voice_aht_s: f64,
    surveys: usize,
    csat_top2: f64,
    qa: usize,
    agents: usize,
    leavers: usize,
    hires: usize,
    incidents: usize,
}

fn pct(n: usize, d: usize) -> f64 {
    if d == 0 {
        return f64::NAN;
    }
    (10_000.0 * n as f64 / d as f64).round() / 100.0
}

fn sl(rows: &[Interaction], ch: Channel, t: i64) -> (f64, f64) {
    let of: Vec<&Interaction> = rows.iter().filter(|i| i.channel == ch).collect();
    let ans: Vec<_> = of
        .iter()
        .filter(|i| i.outcome == Outcome::Answered)
        .collect();
    let met = ans
        .iter()
        .filter(|i| i.wait_ms().is_some_and(|w| w <= t))
        .count();
    let ab = of
        .iter()
        .filter(|i| i.outcome == Outcome::Abandoned)
        .count();
    (pct(met, ans.len()), pct(ab, of.len()))
}

fn repeat_rate(rows: &[Interaction]) -> f64 {
    const WEEK: i64 = 7 * 86_400_000;
    let mut by_customer: HashMap<&str, Vec<i64>> = HashMap::new();
    for i in rows {
        if let (Some(k), Outcome::Answered | Outcome::Abandoned) = (&i.customer_key, i.outcome) {
            by_customer.entry(k).or_default().push(i.arrived_at_ms);
        }
    }
    for v in by_customer.values_mut() {
        v.sort_unstable();
    }
    let mut handled = 0;
    let mut repeated = 0;
    for i in rows {
        if i.outcome != Outcome::Answered {
            continue;
        }
        let Some(k) = &i.customer_key else { continue };
        handled += 1;
        let v = &by_customer[k.as_str()];
        let next = v.partition_point(|&t| t <= i.arrived_at_ms);
        if next < v.len() && v[next] <= i.arrived_at_ms + WEEK {
            repeated += 1;
        }
    }
    pct(repeated, handled)
}

fn stats(g: &Generated) -> Stats {
    let rows = &g.interactions;
    let (voice_sl, voice_ab) = sl(rows, Channel::VoiceIn, 20_000);
    let (chat_sl, chat_ab) = sl(rows, Channel::Chat, 60_000);
    let abandons: Vec<_> = rows
        .iter()
        .filter(|i| i.outcome == Outcome::Abandoned)
        .collect();
    let short = abandons
        .iter()
        .filter(|i| i.wait_ms().is_some_and(|w| w < 5_000))
        .count();
    let voice: Vec<_> = rows
        .iter()
        .filter(|i| i.channel == Channel::VoiceIn && i.outcome == Outcome::Answered)
        .collect();
    let handle: i64 = voice
        .iter()
        .map(|i| i.talk_ms.unwrap_or(0) + i.hold_ms.unwrap_or(0) + i.wrap_ms.unwrap_or(0))
        .sum();
    let csat: Vec<u8> = g.surveys.iter().filter_map(|s| s.csat).collect();
    Stats {
        rows: rows.len(),
        voice_sl_20_answered_only: voice_sl,
        chat_sl_60_answered_only: chat_sl,
        voice_abandonment: voice_ab,
        chat_abandonment: chat_ab,
        short_abandon_share: pct(short, abandons.len()),
        repeat_7d: repeat_rate(rows),
        unknown_customer: pct(
            rows.iter().filter(|i| i.customer_key.is_none()).count(),
            rows.len(),
        ),
        voice_aht_s: (handle as f64 / voice.len().max(1) as f64 / 1000.0).round(),
        surveys: g.surveys.len(),
        csat_top2: pct(csat.iter().filter(|&&c| c >= 4).count(), csat.len()),
        qa: g.qa.len(),
        agents: g.roster.len(),
        leavers: g.roster.iter().filter(|r| r.left_on.is_some()).count(),
        hires: g
            .roster
            .iter()
            .filter(|r| r.hired_on.month() == 3 && r.hired_on.year() == 2026)
            .count(),
        incidents: g.incidents.len(),
    }
}

fn march(rows: u64) -> GenOptions {
    GenOptions {
        outage_count: 2,
        ..GenOptions::new(ym(2026, 3), rows)
    }
}

fn contract_with_zone(zone: &str) -> Contract {
    let text = include_str!("../../../../examples/bank-inbound-manila.toml").replacen(
        "time_zone = \"Asia/Manila\"",
        &format!("time_zone = \"{zone}\""),
        1,
    );
    pacta_contract::parse_str(&text).expect("valid contract")
}

fn example(name: &str) -> Contract {
    let path = format!("{}/../../examples/{name}", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(path).expect("example readable");
    pacta_contract::parse_str(&text).expect("example valid")
}

fn csv_bytes(g: &Generated) -> Vec<u8> {
    let mut out = Vec::new();
    pacta_gen::csv::write_csv(&mut out, &g.interactions).expect("write");
    pacta_gen::csv::write_surveys_csv(&mut out, &g.surveys).expect("write");
    pacta_gen::csv::write_qa_csv(&mut out, &g.qa).expect("write");
    pacta_gen::csv::write_roster_csv(&mut out, &g.roster).expect("write");
    pacta_gen::csv::write_training_csv(&mut out, &g.training).expect("write");
    pacta_gen::csv::write_agent_days_csv(&mut out, &g.agent_days).expect("write");
    pacta_gen::csv::write_incidents_csv(&mut out, &g.incidents).expect("write");
    out
}

#[test]
fn same_inputs_give_identical_output() {
    let c = bank();
    let a = generate(&c, &march(20_000)).expect("generates");
    let b = generate(&c, &march(20_000)).expect("generates");
    assert_eq!(a, b);
    assert_eq!(csv_bytes(&a), csv_bytes(&b));
    let other = generate(
        &c,
        &GenOptions {
            seed: 7,
            ..march(20_000)
        },
    )
    .expect("generates");
    assert_ne!(a.interactions, other.interactions);
}

#[test]
fn chunked_stream_matches_in_memory_generation() {
    let c = bank();
    let opts = GenOptions {
        chunk_rows: 1000,
        ..march(20_000)
    };
    let whole = generate(&c, &opts).expect("generates");
    let mut streamed = Vec::new();
    let mut surveys = Vec::new();
    let mut chunks = 0;
    let rest = generate_chunked(&c, &opts, |chunk| {
        chunks += 1;
        assert!(
            chunk.interactions.len() <= 1000 + 2000,
            "a chunk ends after the interval passing chunk_rows"
        );
        streamed.extend_from_slice(chunk.interactions);
        surveys.extend_from_slice(chunk.surveys);
        Ok::<_, std::io::Error>(())
    })
    .expect("streams");
    assert!(chunks >= 31);
    assert_eq!(streamed, whole.interactions);
    assert_eq!(surveys, whole.surveys);
    assert_eq!(rest.roster, whole.roster);
    assert!(rest.interactions.is_empty());
    assert!(
        streamed
            .windows(2)
            .all(|w| w[0].arrived_at_ms <= w[1].arrived_at_ms)
    );
    // A sink error stops the stream and comes back.
    let err = generate_chunked(&c, &opts, |_| Err("disk full")).expect_err("sink fails");
    assert!(matches!(err, pacta_gen::StreamError::Sink("disk full")));
}

#[test]
fn row_count_is_the_requested_one() {
    for (contract, rows) in [
        (bank(), 100_000u64),
        (bank(), 12_345),
        (example("omnicanal-bogota.toml"), 50_000),
        (example("telecom-outbound-sales.toml"), 30_000),
    ] {
        let g = generate(&contract, &march(rows)).expect("generates");
        let n = g.interactions.len() as f64;
        assert!(
            (n - rows as f64).abs() <= rows as f64 * 0.01,
            "{n} for {rows}"
        );
        let mut ids: Vec<&str> = g
            .interactions
            .iter()
            .map(|i| i.source_id.as_str())
            .collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), g.interactions.len(), "source ids are unique");
    }
}

fn assert_inside_month_and_hours(c: &Contract, g: &Generated, month: pacta_core::Month) {
    let (y, m) = (month.year(), month.month());
    for i in &g.interactions {
        let z = jiff::Timestamp::from_millisecond(i.arrived_at_ms)
            .expect("instant")
            .to_zoned(c.time_zone.clone());
        assert_eq!(
            (z.year(), z.month()),
            (y, m),
            "{} arrives outside the month",
            i.source_id
        );
        assert!(
            within_hours(&c.doc.calendar, &c.time_zone, i.channel, i.arrived_at_ms),
            "{} arrives at {z} outside hours of {}",
            i.source_id,
            i.channel.as_str()
        );
    }
}

#[test]
fn arrivals_are_inside_the_month_and_the_hours_of_operation() {
    let c = bank();
    let g = generate(&c, &march(50_000)).expect("generates");
    assert_inside_month_and_hours(&c, &g, ym(2026, 3));
    // Weekend hours are 08:00–22:00 in Manila: some contacts near both edges, none outside.
    let c = example("omnicanal-bogota.toml");
    let g = generate(&c, &march(50_000)).expect("generates");
    assert_inside_month_and_hours(&c, &g, ym(2026, 3));
}

#[test]
fn daylight_saving_months_are_cut_in_local_time() {
    // New York springs forward on 8 March 2026 and falls back on 1 November 2026.
    for (zone, month) in [
        ("America/New_York", ym(2026, 3)),
        ("America/New_York", ym(2026, 11)),
        ("Europe/Madrid", ym(2026, 10)),
    ] {
        let c = contract_with_zone(zone);
        let g = generate(&c, &GenOptions::new(month, 20_000)).expect("generates");
        assert_eq!(g.interactions.len(), 20_000);
        assert_inside_month_and_hours(&c, &g, month);
    }
}

#[test]
fn bank_numbers_are_plausible() {
    let g = generate(&bank(), &march(100_000)).expect("generates");
    let s = stats(&g);
    assert!(
        (75.0..=90.0).contains(&s.voice_sl_20_answered_only),
        "{s:?}"
    );
    assert!((75.0..=95.0).contains(&s.chat_sl_60_answered_only), "{s:?}");
    assert!((2.0..=8.0).contains(&s.voice_abandonment), "{s:?}");
    assert!((2.0..=8.0).contains(&s.chat_abandonment), "{s:?}");
    assert!((20.0..=35.0).contains(&s.repeat_7d), "FCR 65–80 %: {s:?}");
    assert!((3.5..=6.5).contains(&s.unknown_customer), "{s:?}");
    assert!(s.short_abandon_share > 3.0, "short abandons present: {s:?}");
    assert!((280.0..=380.0).contains(&s.voice_aht_s), "{s:?}");
    assert!((75.0..=92.0).contains(&s.csat_top2), "{s:?}");
    let answered = g
        .interactions
        .iter()
        .filter(|i| i.outcome == Outcome::Answered)
        .count();
    let share = s.surveys as f64 / answered as f64;
    assert!((0.08..=0.12).contains(&share), "{share}");
    // Customer keys are pseudonyms, never phone numbers.
    assert!(
        g.interactions
            .iter()
            .filter_map(|i| i.customer_key.as_deref())
            .all(|k| {
                k.len() == 17 && k.starts_with('c') && k[1..].bytes().all(|b| b.is_ascii_hexdigit())
            })
    );
    // Other exits exist but stay rare.
    let other = g
        .interactions
        .iter()
        .filter(|i| i.outcome.is_other_exit())
        .count();
    assert!(
        other > 0 && (other as f64) < 0.03 * g.interactions.len() as f64,
        "{other}"
    );
    insta::assert_json_snapshot!("bank_march_100k", s);
}

#[test]
fn people_records_are_consistent() {
    let c = bank();
    let g = generate(&c, &march(100_000)).expect("generates");
    let s = stats(&g);
    let headcount = g.roster.iter().filter(|r| r.hired_on.month() != 3).count();
    let attrition = s.leavers as f64 / headcount as f64;
    assert!((0.025..=0.055).contains(&attrition), "{attrition}");
    assert!(s.hires > 0);
    assert!(
        g.training
            .iter()
            .any(|t| t.kind == pacta_data::model::TrainingKind::Initial)
    );
    assert!(
        g.training
            .iter()
            .any(|t| t.kind == pacta_data::model::TrainingKind::Ongoing)
    );
    for d in &g.agent_days {
        assert!(d.handling_min + d.available_min <= d.logged_min, "{d:?}");
        assert!(d.adherent_min <= d.scheduled_min, "{d:?}");
        assert!(d.night_min <= d.logged_min, "{d:?}");
    }
    assert!(g.agent_days.iter().any(|d| d.night_min > 0));
    // Four evaluations per agent who handled enough contacts; ~2 % fail a critical item.
    let mut per_agent: HashMap<&str, usize> = HashMap::new();
    for e in &g.qa {
        *per_agent.entry(e.agent_key.as_str()).or_default() += 1;
    }
    assert!(per_agent.values().all(|&n| n <= 4));
    assert!(per_agent.values().filter(|&&n| n == 4).count() * 10 >= per_agent.len() * 9);
    let failed =
        g.qa.iter()
            .filter(|e| e.items.iter().any(|i| i.critical && i.score < i.max))
            .count() as f64
            / g.qa.len() as f64;
    assert!((0.0..0.06).contains(&failed), "{failed}");
    // Incidents: the requested outages, exactly one accepted.
    assert_eq!(g.incidents.len(), 2);
    assert_eq!(g.incidents.iter().filter(|i| i.accepted).count(), 1);
    // Agents in the interactions are on the roster.
    let roster: std::collections::HashSet<&str> =
        g.roster.iter().map(|r| r.agent_key.as_str()).collect();
    assert!(
        g.interactions
            .iter()
            .filter_map(|i| i.agent_key.as_deref())
            .all(|a| roster.contains(a))
    );
}

#[test]
fn outages_raise_abandonment_while_they_last() {
    let c = bank();
    let g = generate(
        &c,
        &GenOptions {
            outage_count: 3,
            ..march(100_000)
        },
    )
    .expect("generates");
    let during = |i: &Interaction| {
        g.incidents.iter().any(|x| {
            i.arrived_at_ms >= x.start_ms
                && i.arrived_at_ms < x.end_ms
                && (x.queues.is_empty() || x.queues.contains(&i.queue))
        })
    };
    let voice: Vec<&Interaction> = g
        .interactions
        .iter()
        .filter(|i| i.channel == Channel::VoiceIn)
        .collect();
    let rate = |v: &[&Interaction]| {
        v.iter().filter(|i| i.outcome == Outcome::Abandoned).count() as f64 / v.len().max(1) as f64
    };
    let inside: Vec<&Interaction> = voice.iter().copied().filter(|i| during(i)).collect();
    let outside: Vec<&Interaction> = voice.iter().copied().filter(|i| !during(i)).collect();
    assert!(!inside.is_empty());
    assert!(
        rate(&inside) > 2.0 * rate(&outside),
        "{} vs {}",
        rate(&inside),
        rate(&outside)
    );
}

#[test]
fn written_channels_get_first_responses_within_hours_and_some_after_a_day() {
    let c = example("omnicanal-bogota.toml");
    let g = generate(&c, &march(50_000)).expect("generates");
    let written: Vec<&Interaction> = g
        .interactions
        .iter()
        .filter(|i| i.channel.is_written())
        .collect();
    assert!(!written.is_empty());
    let delays: Vec<i64> = written
        .iter()
        .map(|i| {
            i.first_response_at_ms
                .expect("written contacts have a first response")
                - i.arrived_at_ms
        })
        .collect();
    let over_day = delays.iter().filter(|&&d| d > 86_400_000).count() as f64 / delays.len() as f64;
    let within_8h =
        delays.iter().filter(|&&d| d <= 8 * 3_600_000).count() as f64 / delays.len() as f64;
    assert!((0.01..0.10).contains(&over_day), "{over_day}");
    assert!(within_8h > 0.8, "{within_8h}");
}

#[test]
fn outbound_sales_convert_at_a_plausible_rate() {
    let c = example("telecom-outbound-sales.toml");
    let g = generate(&c, &march(30_000)).expect("generates");
    let connected: Vec<&Interaction> = g
        .interactions
        .iter()
        .filter(|i| i.channel == Channel::VoiceOut && i.outcome == Outcome::Answered)
        .collect();
    assert!(!connected.is_empty());
    let sales = connected
        .iter()
        .filter(|i| i.disposition.as_deref() == Some("sale"))
        .count() as f64
        / connected.len() as f64;
    assert!((0.07..=0.16).contains(&sales), "{sales}");
}

#[test]
fn bad_options_are_errors() {
    let c = bank();
    // A month that does not exist cannot be asked for: the type refuses it.
    assert!(pacta_core::Month::new(2026, 13).is_err());
    assert!(matches!(
        generate(&c, &GenOptions::new(ym(2026, 3), u64::MAX)),
        Err(pacta_gen::GenError::TooManyRows { .. })
    ));
    let g = generate(&c, &GenOptions::new(ym(2026, 3), 0)).expect("empty month");
    assert!(g.interactions.is_empty());
}

mod props {
    use super::*;
    use proptest::prelude::*;

    proptest! {
        #![proptest_config(ProptestConfig::with_cases(12))]
        #[test]
        fn times_are_ordered(seed in any::<u64>(), rows in 500u64..4000, month in 1i8..=12, which in 0usize..3) {
            let c = match which {
                0 => bank(),
                1 => example("omnicanal-bogota.toml"),
                _ => example("telecom-outbound-sales.toml"),
            };
            let g = generate(&c, &GenOptions { seed, outage_count: 2, ..GenOptions::new(ym(2026, month), rows) }).expect("generates");
            prop_assert_eq!(g.interactions.len() as u64, rows);
            for i in &g.interactions {
                prop_assert!(i.wait_ms().is_some_and(|w| w >= 0), "{:?}", i);
                if let Some(a) = i.answered_at_ms {
                    prop_assert!(a >= i.arrived_at_ms, "{:?}", i);
                    prop_assert!(i.ended_at_ms.is_some_and(|e| e >= a), "{:?}", i);
                    prop_assert!(i.agent_key.is_some());
                }
                prop_assert!(i.ended_at_ms.is_some_and(|e| e >= i.arrived_at_ms), "{:?}", i);
                for d in [i.talk_ms, i.hold_ms, i.wrap_ms].into_iter().flatten() {
                    prop_assert!(d >= 0);
                }
                if let Some(f) = i.first_response_at_ms {
                    prop_assert!(f >= i.arrived_at_ms);
                }
                prop_assert_eq!(i.outcome == Outcome::Answered, i.answered_at_ms.is_some());
            }
        }
    }
}

/// A month, for tests.
fn ym(year: i16, month: i8) -> pacta_core::Month {
    pacta_core::Month::new(year, month).expect("a valid month")
}
