//! Amazon Connect contact trace records (CTR), as JSON lines, concatenated JSON objects (as
//! Kinesis Firehose writes them) or one JSON array.
//!
//! - Records arrive at least once, and a contact is written again as it progresses: one
//!   record is kept per `ContactId` over all the files of one import (read as one stream in
//!   the order given), the one with the latest `LastUpdateTimestamp`. A record without a
//!   parseable `LastUpdateTimestamp` counts as older than any record with one; between
//!   records with equal timestamps, or both without, the later in the input (file order, then
//!   record order) wins. A record superseded by another of the same file is dropped as
//!   `superseded ContactId duplicate`; one superseded by a record of another file is
//!   counted as `merged` (the contact's update, e.g. its completion, arrived later).
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
    import_files(&[path], opts)
}

/// One record read: its file (index into the import's files), record number and value.
struct Rec {
    file: usize,
    row: u64,
    value: Value,
}

/// Imports the CTR files of one import as one stream, in the order given: one record per
/// `ContactId` over all of them (see the module documentation).
pub fn import_files(paths: &[&Path], opts: &ImportOptions<'_>) -> Result<Imported> {
    let mut out = Imported::default();
    let mut names = Vec::with_capacity(paths.len());
    let mut records: Vec<Rec> = Vec::new();
    let mut done_before = 0u64;
    for (fi, path) in paths.iter().enumerate() {
        let name = path.display().to_string();
        let source = source_file(path)?;
        let size = source.bytes;
        out.report.files.push(source);
        read_file(path, fi, &name, &mut records, &mut out)?;
        names.push(name);
        done_before += size;
        if let Some(p) = opts.progress {
            p(done_before);
        }
    }
    out.report.rows_read += records.len() as u64;
    // Latest LastUpdateTimestamp per ContactId; records without one are older than any with
    // one; on a tie the later in the input wins (`>=` as records come in input order).
    let mut best: HashMap<&str, (Option<i64>, usize)> = HashMap::new();
    let mut ids: Vec<Option<&str>> = Vec::with_capacity(records.len());
    for (i, r) in records.iter().enumerate() {
        let Some(id) = s(&r.value, &["ContactId"]) else {
            ids.push(None);
            out.report.quarantined.push(Quarantined::new(
                &names[r.file],
                r.row,
                "ContactId",
                "",
                "missing ContactId",
            ));
            continue;
        };
        ids.push(Some(id));
        let upd = s(&r.value, &["LastUpdateTimestamp"])
            .and_then(|t| t.parse::<jiff::Timestamp>().ok())
            .map(|t| t.as_millisecond());
        match best.get_mut(id) {
            Some(b) if upd < b.0 => {}
            Some(b) => *b = (upd, i),
            None => {
                best.insert(id, (upd, i));
            }
        }
    }
    for (i, r) in records.iter().enumerate() {
        let Some(id) = ids[i] else { continue };
        let Some(&(_, winner)) = best.get(id) else {
            continue;
        };
        if winner != i {
            // Superseded: a duplicate within its file, an update from a later file.
            if records[winner].file == r.file {
                out.report.drop_row("superseded ContactId duplicate");
            } else {
                out.report.merged += 1;
            }
            continue;
        }
        if let Err(q) = record(&names[r.file], r.row, &r.value, opts, &mut out) {
            out.report.quarantined.push(*q);
        }
    }
    Ok(out)
}

/// Reads the records of one file; a broken record ends the file (quarantined).
fn read_file(
    path: &Path,
    fi: usize,
    name: &str,
    records: &mut Vec<Rec>,
    out: &mut Imported,
) -> Result<()> {
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let stream = serde_json::Deserializer::from_reader(BufReader::new(file)).into_iter::<Value>();
    let mut n = 0u64;
    for v in stream {
        match v {
            Ok(Value::Array(items)) => {
                for value in items {
                    n += 1;
                    records.push(Rec {
                        file: fi,
                        row: n,
                        value,
                    });
                }
            }
            Ok(value) => {
                n += 1;
                records.push(Rec {
                    file: fi,
                    row: n,
                    value,
                });
            }
            Err(e) => {
                // A broken record ends the readable stream (truncated file).
                n += 1;
                out.report.rows_read += 1;
                out.report.quarantined.push(Quarantined::new(
                    name,
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
    Ok(())
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
