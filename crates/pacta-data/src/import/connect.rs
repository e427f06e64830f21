//! Amazon Connect contact trace records (CTR), as JSON lines, concatenated JSON objects (as
//! Kinesis Firehose writes them) or one JSON array.
//!
//! - Records arrive at least once: one is kept per `ContactId`, the one with the latest
//!   `LastUpdateTimestamp` (on a tie, the later in the input); the others are dropped as
//!   `superseded ContactId duplicate`.
//! - A record with no `Queue` or no `Queue.EnqueueTimestamp` never queued: *not offered*.
//! - outcome: `answered` with `Agent.ConnectedToAgentTimestamp`; otherwise `in_progress`
//!   when there is no `DisconnectTimestamp` yet, else `abandoned`.
//! - arrived = `Queue.EnqueueTimestamp`; answered = `Agent.ConnectedToAgentTimestamp`;
//!   ended = `Agent.AfterContactWorkStartTimestamp`, else `DisconnectTimestamp` (answered),
//!   `Queue.DequeueTimestamp`, else `DisconnectTimestamp` (abandoned).
//! - talk = `Agent.AgentInteractionDuration`, hold = `Agent.CustomerHoldDuration`, wrap =
//!   `Agent.AfterContactWorkDuration` (seconds); agent = `Agent.Username`; queue =
//!   `Queue.Name`; customer = pseudonym of `CustomerEndpoint.Address`; disposition =
//!   `DisconnectReason`.
//! - channel: `VOICE` → voice_in (voice_out when `InitiationMethod` is `OUTBOUND`), `CHAT`
//!   → chat, `TASK` → back_office, `EMAIL` → email; another channel is quarantined.
//! - Unknown fields are ignored. Row numbers are record numbers (1-based).

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use pacta_contract::Channel;
use serde_json::Value;

use super::{ImportOptions, Imported};
use crate::batch::InteractionRef;
use crate::model::Outcome;
use crate::report::{Quarantined, source_file};
use crate::{DataError, Result};

fn s<'v>(v: &'v Value, path: &[&str]) -> Option<&'v str> {
    let mut cur = v;
    for p in path {
        cur = cur.get(p)?;
    }
    cur.as_str().filter(|s| !s.is_empty())
}

fn present(v: &Value, path: &[&str]) -> bool {
    let mut cur = v;
    for p in path {
        match cur.get(p) {
            Some(x) => cur = x,
            None => return false,
        }
    }
    !cur.is_null()
}

/// Imports one CTR file.
pub fn import(path: &Path, opts: &ImportOptions<'_>) -> Result<Imported> {
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let mut records: Vec<(u64, Value)> = Vec::new();
    let stream = serde_json::Deserializer::from_reader(BufReader::new(file)).into_iter::<Value>();
    let mut out = Imported::default();
    out.report.files.push(source_file(path)?);
    let mut n = 0u64;
    for v in stream {
        match v {
            Ok(Value::Array(items)) => {
                for item in items {
                    n += 1;
                    records.push((n, item));
                }
            }
            Ok(v) => {
                n += 1;
                records.push((n, v));
            }
            Err(e) => {
                // A broken record ends the readable stream (truncated file).
                n += 1;
                out.report.rows_read += 1;
                out.report.quarantined.push(Quarantined::new(
                    &name,
                    n,
                    "*",
                    "",
                    format!(
                        "invalid JSON at line {} column {} (truncated file?): {e}",
                        e.line(),
                        e.column()
                    ),
                ));
                break;
            }
        }
    }
    out.report.rows_read += records.len() as u64;
    // Latest LastUpdateTimestamp per ContactId.
    let mut best: HashMap<String, (Option<i64>, usize)> = HashMap::new();
    let mut keep = vec![false; records.len()];
    for (i, (row, v)) in records.iter().enumerate() {
        let Some(id) = s(v, &["ContactId"]) else {
            out.report.quarantined.push(Quarantined::new(
                &name,
                *row,
                "ContactId",
                "",
                "missing ContactId",
            ));
            continue;
        };
        let upd = s(v, &["LastUpdateTimestamp"])
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_millisecond());
        match best.get_mut(id) {
            Some(b) => {
                out.report.drop_row("superseded ContactId duplicate");
                if upd >= b.0 {
                    keep[b.1] = false;
                    keep[i] = true;
                    *b = (upd, i);
                }
            }
            None => {
                best.insert(id.to_string(), (upd, i));
                keep[i] = true;
            }
        }
    }
    for (i, (row, v)) in records.iter().enumerate() {
        if !keep[i] {
            continue;
        }
        if let Err(q) = record(&name, *row, v, opts, &mut out) {
            out.report.quarantined.push(*q);
        }
    }
    Ok(out)
}

fn record(
    file: &str,
    row: u64,
    v: &Value,
    opts: &ImportOptions<'_>,
    out: &mut Imported,
) -> std::result::Result<(), Box<Quarantined>> {
    let q = |field: &str, value: &str, reason: &str| {
        Box::new(Quarantined::new(file, row, field, value, reason))
    };
    let ts = |path: &[&str]| -> std::result::Result<Option<i64>, Box<Quarantined>> {
        match s(v, path) {
            None => Ok(None),
            Some(t) => t
                .parse::<jiff::Timestamp>()
                .map(|t| Some(t.as_millisecond()))
                .map_err(|_| q(&path.join("."), t, "not an ISO 8601 timestamp with offset")),
        }
    };
    let secs = |path: &[&str]| -> std::result::Result<Option<i64>, Box<Quarantined>> {
        let mut cur = v;
        for p in path {
            match cur.get(p) {
                Some(x) => cur = x,
                None => return Ok(None),
            }
        }
        match cur {
            Value::Null => Ok(None),
            Value::Number(n) => n
                .as_f64()
                .filter(|x| *x >= 0.0)
                .map(|x| Some((x * 1000.0).round() as i64))
                .ok_or_else(|| {
                    q(
                        &path.join("."),
                        &n.to_string(),
                        "not a non-negative number of seconds",
                    )
                }),
            other => Err(q(
                &path.join("."),
                &other.to_string(),
                "not a number of seconds",
            )),
        }
    };
    let id = s(v, &["ContactId"]).unwrap_or_default();
    if !present(v, &["Queue"]) || !present(v, &["Queue", "EnqueueTimestamp"]) {
        out.report.not_offered += 1;
        return Ok(());
    }
    let channel = match s(v, &["Channel"]).unwrap_or("VOICE") {
        "VOICE" if s(v, &["InitiationMethod"]) == Some("OUTBOUND") => Channel::VoiceOut,
        "VOICE" => Channel::VoiceIn,
        "CHAT" => Channel::Chat,
        "TASK" => Channel::BackOffice,
        "EMAIL" => Channel::Email,
        other => {
            return Err(q(
                "Channel",
                other,
                "unknown channel (expected VOICE, CHAT, TASK or EMAIL)",
            ));
        }
    };
    let queue = s(v, &["Queue", "Name"])
        .ok_or_else(|| q("Queue.Name", "", "queued contact without a queue name"))?;
    let arrived = ts(&["Queue", "EnqueueTimestamp"])?
        .ok_or_else(|| q("Queue.EnqueueTimestamp", "", "missing"))?;
    let connected = ts(&["Agent", "ConnectedToAgentTimestamp"])?;
    let disconnect = ts(&["DisconnectTimestamp"])?;
    let acw_start = ts(&["Agent", "AfterContactWorkStartTimestamp"])?;
    let dequeue = ts(&["Queue", "DequeueTimestamp"])?;
    let (outcome, ended) = match (connected, disconnect) {
        (Some(_), _) => (Outcome::Answered, acw_start.or(disconnect)),
        (None, None) => (Outcome::InProgress, None),
        (None, Some(d)) => (Outcome::Abandoned, dequeue.or(Some(d))),
    };
    let talk = secs(&["Agent", "AgentInteractionDuration"])?;
    let hold = secs(&["Agent", "CustomerHoldDuration"])?;
    let wrap = secs(&["Agent", "AfterContactWorkDuration"])?;
    let customer =
        s(v, &["CustomerEndpoint", "Address"]).map_or(0, |a| opts.pseudonymizer.key64(a));
    let r = InteractionRef {
        source_id: id,
        channel,
        queue,
        site: None,
        language: None,
        customer,
        arrived_at_ms: arrived,
        answered_at_ms: connected,
        ended_at_ms: ended,
        outcome,
        talk_ms: talk,
        hold_ms: hold,
        wrap_ms: wrap,
        agent: s(v, &["Agent", "Username"]),
        disposition: s(v, &["DisconnectReason"]),
        first_response_at_ms: None,
    };
    out.batch.push(&r);
    out.report.imported += 1;
    *out.report
        .by_outcome
        .entry(outcome.as_str().to_string())
        .or_insert(0) += 1;
    Ok(())
}
