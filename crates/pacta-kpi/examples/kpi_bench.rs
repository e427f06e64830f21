//! Times `compute` over a synthetic 10-million-row month for a bank-like contract.
//!
//! `cargo run --release -p pacta-kpi --example kpi_bench [rows]`
#![allow(clippy::print_stdout, clippy::unwrap_used)]

use std::time::Instant;

use pacta_contract::Channel;
use pacta_data::batch::{InteractionBatch, InteractionRef};
use pacta_data::model::{InteractionTable, Outcome};
use pacta_kpi::{GroupBy, KpiInputs, KpiRequest, compute, for_month_with_interval};

const CONTRACT: &str = r#"
[contract]
id = "BANK-BENCH"
version = "1"
title = "Bank inbound care (benchmark)"
currency = "USD"
time_zone = "Asia/Manila"
effective_date = 2026-01-01
initial_term_months = 36

[parties.client]
legal_name = "Bank"

[parties.provider]
legal_name = "Provider"

[[scope.services]]
id = "cards-voice"
channel = "voice_in"
queues = ["cards", "cards-platinum"]

[[scope.services]]
id = "retail-voice"
channel = "voice_in"
queues = ["retail"]

[[scope.services]]
id = "chat"
channel = "chat"
queues = ["web-chat"]

[calendar]
include_outside_hours = false
hours = [
  { days = ["mon", "tue", "wed", "thu", "fri"], open = "00:00", close = "24:00" },
  { days = ["sat", "sun"], open = "08:00", close = "22:00" },
]

[[sla]]
id = "SL-VOICE"
name = "Voice service level"
metric = "service_level"
variant = "exclude_short_abandons"
params = { threshold_s = 20, short_abandon_s = 5 }
scope = { services = ["cards-voice", "retail-voice"] }
period = "month"
class = "key"
targets = [{ effective_from = 2026-01-01, expected = 80 }]

[[sla]]
id = "ABN-VOICE"
name = "Voice abandonment"
metric = "abandonment_rate"
variant = "exclude_short"
params = { short_abandon_s = 5 }
scope = { channels = ["voice_in"] }
period = "month"
class = "key"
targets = [{ effective_from = 2026-01-01, expected = 5 }]

[[sla]]
id = "ASA-VOICE"
name = "Voice ASA"
metric = "asa"
variant = "default"
scope = { channels = ["voice_in"] }
period = "month"
class = "key"
targets = [{ effective_from = 2026-01-01, expected = 30 }]

[[sla]]
id = "AHT-VOICE"
name = "Voice AHT"
metric = "aht"
variant = "default"
scope = { channels = ["voice_in"] }
period = "month"
class = "tracked"
targets = [{ effective_from = 2026-01-01, expected = 330 }]

[[sla]]
id = "SL-CHAT-INTERVAL"
name = "Chat service level per interval"
metric = "service_level"
variant = "abandons_against"
params = { threshold_s = 60 }
scope = { services = ["chat"] }
period = "interval"
interval_minutes = 30
required_share_percent = 90
class = "key"
targets = [{ effective_from = 2026-01-01, expected = 80 }]

[[sla]]
id = "FCR"
name = "First-contact resolution"
metric = "fcr"
variant = "repeat_contact"
params = { window_days = 7, match_key = "customer_key", repeat_scope = "any" }
scope = { channels = ["voice_in", "chat"] }
period = "month"
class = "key"
targets = [{ effective_from = 2026-01-01, expected = 72 }]
"#;

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d1_049b_133e_b111);
        z ^ (z >> 31)
    }
    fn below(&mut self, n: u64) -> u64 {
        self.next() % n
    }
}

fn synthetic(rows: usize) -> InteractionTable {
    let mut r = Rng(42);
    let start = 1_772_294_400_000i64; // 2026-02-28T16:00Z = 2026-03-01T00:00 Manila
    let span = 31 * 86_400_000i64;
    let queues = ["cards", "cards-platinum", "retail", "web-chat"];
    let sites = ["MNL-BGC", "MNL-ORT"];
    let agents: Vec<String> = (0..600).map(|i| format!("agent-{i}")).collect();
    let dispositions = ["resolved", "escalated", "sale"];
    let mut b = InteractionBatch::new();
    b.reserve(rows, 0);
    for i in 0..rows {
        let arr = start + (i as i64 * span) / rows as i64 + r.below(1000) as i64;
        let q = match r.below(10) {
            0..=4 => 0usize,
            5 => 1,
            6..=7 => 2,
            _ => 3,
        };
        let channel = if q == 3 {
            Channel::Chat
        } else {
            Channel::VoiceIn
        };
        let roll = r.below(100);
        let outcome = match roll {
            0..=89 => Outcome::Answered,
            90..=96 => Outcome::Abandoned,
            97..=98 => Outcome::Timeout,
            _ => Outcome::OverflowOut,
        };
        let wait = (r.below(60_000) * r.below(4)) as i64;
        let cust = if r.below(10) == 0 {
            0
        } else {
            r.below(2_000_000) + 1
        };
        let mut row = InteractionRef {
            source_id: "",
            channel,
            queue: queues[q],
            site: Some(sites[if q == 3 { 1 } else { i % 2 }]),
            language: Some("en"),
            customer: cust.wrapping_mul(0x2545_f491_4f6c_dd1d),
            arrived_at_ms: arr,
            answered_at_ms: None,
            ended_at_ms: Some(arr + wait),
            outcome,
            talk_ms: None,
            hold_ms: None,
            wrap_ms: None,
            agent: None,
            disposition: None,
            first_response_at_ms: None,
        };
        if outcome == Outcome::Answered {
            let talk = 60_000 + r.below(540_000) as i64;
            row.answered_at_ms = Some(arr + wait);
            row.ended_at_ms = Some(arr + wait + talk);
            row.talk_ms = Some(talk);
            row.hold_ms = Some(r.below(60_000) as i64);
            row.wrap_ms = Some(r.below(90_000) as i64);
            row.agent = Some(&agents[r.below(600) as usize]);
            row.disposition = Some(dispositions[r.below(3) as usize]);
        }
        b.push(&row);
    }
    b.to_table()
}

fn main() {
    let rows: usize = std::env::args()
        .nth(1)
        .and_then(|a| a.parse().ok())
        .unwrap_or(10_000_000);
    let contract = pacta_contract::parse_str(CONTRACT).unwrap_or_else(|e| panic!("{e:?}"));
    let t0 = Instant::now();
    let table = synthetic(rows);
    println!("generated {rows} rows in {:.2?}", t0.elapsed());
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    println!("threads available: {threads}");
    let data = KpiInputs::new(&table);
    let reqs: Vec<KpiRequest> = contract.slas().iter().map(KpiRequest::for_sla).collect();

    for run in 0..3 {
        let t = Instant::now();
        let rep = compute(&contract, ym(2026, 3), &data, &reqs, &[]).unwrap();
        let el = t.elapsed();
        println!(
            "run {run}: contract SLAs ({} requests, FCR included): {el:.2?}",
            reqs.len()
        );
        if run == 0 {
            for id in ["SL-VOICE", "ABN-VOICE", "ASA-VOICE", "AHT-VOICE", "FCR"] {
                let v = rep.single(id).and_then(|m| m.value);
                println!("  {id}: {v:?}");
            }
            println!("  scan: {:?}", rep.scan);
        }
    }
    let no_fcr: Vec<KpiRequest> = reqs
        .iter()
        .filter(|r| r.measure.metric_name() != "fcr")
        .cloned()
        .collect();
    let only_fcr: Vec<KpiRequest> = reqs
        .iter()
        .filter(|r| r.measure.metric_name() == "fcr")
        .cloned()
        .collect();
    for (name, rs) in [("without FCR", &no_fcr), ("FCR only", &only_fcr)] {
        let t = Instant::now();
        compute(&contract, ym(2026, 3), &data, rs, &[]).unwrap();
        println!("  {name}: {:.2?}", t.elapsed());
    }
    for run in 0..2 {
        let t = Instant::now();
        let rep = for_month_with_interval(
            &contract,
            ym(2026, 3),
            &data,
            Some(30),
            &[GroupBy::Queue, GroupBy::Channel],
        )
        .unwrap();
        let cells: usize = rep
            .results
            .iter()
            .map(|r| r.groups.iter().map(|g| g.periods.len()).sum::<usize>())
            .sum();
        println!(
            "run {run}: every SLA per 30-min interval by queue,channel ({cells} values): {:.2?}",
            t.elapsed()
        );
    }
}

/// A month, for tests.
fn ym(year: i16, month: i8) -> pacta_core::Month {
    pacta_core::Month::new(year, month).expect("a valid month")
}
