//! Helpers shared by the integration tests: a small contract and a table builder.
#![allow(dead_code, clippy::unwrap_used)]

use pacta_contract::{Channel, Contract};
use pacta_data::batch::{InteractionBatch, InteractionRef};
use pacta_data::model::{InteractionTable, Outcome};

/// A [`Row`]'s absent duration.
pub const NO_DURATION: i64 = -1;
/// A [`Row`]'s absent instant.
pub const NO_INSTANT: i64 = i64::MIN;

/// A contract with three services (voice: q1, q2; chat: web; mail: mail) in `tz`.
pub fn contract(tz: &str, calendar: &str, slas: &str) -> Contract {
    let text = format!(
        r#"
[contract]
id = "T-1"
version = "1"
title = "Test"
currency = "USD"
time_zone = "{tz}"
effective_date = 2026-01-01
initial_term_months = 12

[parties.client]
legal_name = "Client"

[parties.provider]
legal_name = "Provider"

[[scope.services]]
id = "voice"
channel = "voice_in"
queues = ["q1", "q2"]

[[scope.services]]
id = "chat"
channel = "chat"
queues = ["web"]

[[scope.services]]
id = "mail"
channel = "email"
queues = ["mail"]

{calendar}

{slas}
"#
    );
    match pacta_contract::parse_str(&text) {
        Ok(c) => c,
        Err(e) => panic!("test contract invalid: {e:?}"),
    }
}

/// One row to add.
#[derive(Debug, Clone)]
pub struct Row {
    pub channel: Channel,
    pub queue: &'static str,
    pub site: Option<&'static str>,
    pub customer: u64,
    pub arrived: i64,
    pub outcome: Outcome,
    pub wait_ms: Option<i64>,
    pub talk_ms: i64,
    pub hold_ms: i64,
    pub wrap_ms: i64,
    pub disposition: Option<&'static str>,
    pub first_response: i64,
}

impl Row {
    pub fn answered(arrived: i64, wait_s: i64) -> Row {
        Row {
            channel: Channel::VoiceIn,
            queue: "q1",
            site: None,
            customer: 0,
            arrived,
            outcome: Outcome::Answered,
            wait_ms: Some(wait_s * 1000),
            talk_ms: 200_000,
            hold_ms: 20_000,
            wrap_ms: 30_000,
            disposition: None,
            first_response: NO_INSTANT,
        }
    }
    pub fn abandoned(arrived: i64, wait_s: i64) -> Row {
        Row {
            outcome: Outcome::Abandoned,
            talk_ms: NO_DURATION,
            hold_ms: NO_DURATION,
            wrap_ms: NO_DURATION,
            ..Row::answered(arrived, wait_s)
        }
    }
    pub fn exit(arrived: i64, outcome: Outcome) -> Row {
        Row {
            outcome,
            wait_ms: Some(60_000),
            ..Row::abandoned(arrived, 60)
        }
    }
    pub fn queue(mut self, ch: Channel, q: &'static str) -> Row {
        self.channel = ch;
        self.queue = q;
        self
    }
    pub fn customer(mut self, c: u64) -> Row {
        self.customer = c;
        self
    }
}

/// Builds the columns.
pub fn table(rows: &[Row]) -> InteractionTable {
    let mut b = InteractionBatch::new();
    let ms = |v: i64| (v != NO_DURATION).then_some(v);
    for (i, r) in rows.iter().enumerate() {
        let answered = r.outcome == Outcome::Answered;
        let id = format!("c{i}");
        b.push(&InteractionRef {
            source_id: &id,
            channel: r.channel,
            queue: r.queue,
            site: r.site,
            language: None,
            customer: r.customer,
            arrived_at_ms: r.arrived,
            answered_at_ms: match (answered, r.wait_ms) {
                (true, Some(w)) => Some(r.arrived + w),
                _ => None,
            },
            ended_at_ms: match (answered, r.wait_ms) {
                (false, Some(w)) => Some(r.arrived + w),
                (true, Some(w)) => Some(r.arrived + w + r.talk_ms.max(0)),
                _ => None,
            },
            outcome: r.outcome,
            talk_ms: ms(r.talk_ms),
            hold_ms: ms(r.hold_ms),
            wrap_ms: ms(r.wrap_ms),
            agent: None,
            disposition: r.disposition,
            first_response_at_ms: (r.first_response != NO_INSTANT).then_some(r.first_response),
        });
    }
    b.to_table()
}

/// UTC ms of a local civil time in `tz`.
pub fn at(tz: &str, s: &str) -> i64 {
    let dt: jiff::civil::DateTime = s.parse().unwrap();
    dt.to_zoned(jiff::tz::TimeZone::get(tz).unwrap())
        .unwrap()
        .timestamp()
        .as_millisecond()
}

/// Rounds to two decimals.
pub fn r2(v: Option<f64>) -> Option<f64> {
    v.map(|v| (v * 100.0).round() / 100.0)
}
