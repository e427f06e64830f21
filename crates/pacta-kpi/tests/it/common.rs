//! Helpers shared by the integration tests: a small contract and a table builder.
#![allow(dead_code, clippy::unwrap_used)]

use pacta_contract::{Channel, Contract};
use pacta_data::model::{
    InteractionTable, NO_DURATION, NO_INSTANT, NO_VALUE, Outcome, channel_code,
};

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

fn intern(dict: &mut Vec<String>, v: Option<&str>) -> u32 {
    match v {
        None => NO_VALUE,
        Some(v) => match dict.iter().position(|d| d == v) {
            Some(i) => i as u32,
            None => {
                dict.push(v.to_string());
                (dict.len() - 1) as u32
            }
        },
    }
}

/// Builds the columns.
pub fn table(rows: &[Row]) -> InteractionTable {
    let mut t = InteractionTable::default();
    for (i, r) in rows.iter().enumerate() {
        t.source_id.push(format!("c{i}"));
        t.channel.push(channel_code(r.channel));
        let q = intern(&mut t.queue_dict, Some(r.queue));
        t.queue.push(q);
        let s = intern(&mut t.site_dict, r.site);
        t.site.push(s);
        t.language.push(NO_VALUE);
        t.customer.push(r.customer);
        t.arrived_at_ms.push(r.arrived);
        let answered = r.outcome == Outcome::Answered;
        t.answered_at_ms.push(match (answered, r.wait_ms) {
            (true, Some(w)) => r.arrived + w,
            _ => NO_INSTANT,
        });
        t.ended_at_ms.push(match (answered, r.wait_ms) {
            (false, Some(w)) => r.arrived + w,
            (true, Some(w)) => r.arrived + w + r.talk_ms.max(0),
            _ => NO_INSTANT,
        });
        t.outcome.push(r.outcome.code());
        t.talk_ms.push(r.talk_ms);
        t.hold_ms.push(r.hold_ms);
        t.wrap_ms.push(r.wrap_ms);
        t.agent.push(NO_VALUE);
        let d = intern(&mut t.disposition_dict, r.disposition);
        t.disposition.push(d);
        t.first_response_at_ms.push(r.first_response);
    }
    t
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
