//! Asterisk `queue_log`, in two forms detected from the first line:
//!
//! - **raw**: `epoch|callid|queue|agent|EVENT|data1|…|data5` (the file Asterisk writes);
//! - **table dump** (CSV with a header), either Asterisk's realtime table
//!   (`time,callid,queuename,agent,event,data1,…,data5`; `time` in epoch seconds or a
//!   naive `YYYY-MM-DD HH:MM:SS` in the import time zone) — read with the raw semantics —
//!   or the PBX table of `shared/data/asterisk-queue-log-mirta.csv`
//!   (`uid,date_time,callid,queue_name,type,event,param1,param2,param3,entpos,expos,htime,
//!   ttime,time`), where `date_time` is the epoch, `type` the agent, `htime` the hold
//!   (wait) time, `ttime` the talk time, `param1` the caller on ENTERQUEUE and `param3` the
//!   ring time on CONNECT.
//!
//! One offered contact per (callid, queue) from ENTERQUEUE; source id = `callid/queue`
//! (a call that re-enters the same queue after leaving it gets `callid/queue/2`, …). The
//! callid is Asterisk's uniqueid of the call, so the same call has the same source id in
//! whichever file or import its events are read.
//!
//! The files of one import are one stream, read in the order given (a log rotated at
//! midnight leaves calls open at the end of one file that end in the next). Events of a
//! call are sorted by time (then a fixed event order, then file and line), so lines may be
//! out of order. Raw-form fields:
//!
//! | event | meaning |
//! |---|---|
//! | ENTERQUEUE | arrival; data2 = caller id (pseudonymised) |
//! | CONNECT | answered; data1 = wait (s), data3 = ring time (s); answered = arrival + wait |
//! | COMPLETEAGENT, COMPLETECALLER | answered and finished; data1 = wait, data2 = talk (s) |
//! | TRANSFER (≤ 11), BLINDTRANSFER (≥ 12) | data1 = extension, data2 = context, data3 = wait, data4 = talk |
//! | ATTENDEDTRANSFER (≥ 12) | data1 = method, data2 = method data, data3 = wait, data4 = talk |
//! | ABANDON | `abandoned`; data3 = wait |
//! | EXITWITHTIMEOUT | `timeout`; data3 = wait |
//! | EXITEMPTY | `queue_empty`; data3 = wait |
//! | EXITWITHKEY | `callback` (the caller pressed the exit key, typically to ask for a callback or leave a message); data4 = wait |
//! | RINGNOANSWER, RINGCANCELED | an agent was rung (data1 in ms); part of the call, no effect on the record |
//!
//! A transfer after CONNECT is an answered contact with disposition `transferred`; when
//! an old TRANSFER line lacks data3/data4, talk = transfer time − answer time. Calls still
//! open at the end of the last file are `in_progress` (with answered_at when connected).
//! queue_log carries no hold or wrap time: those stay absent. Every other event (agent
//! events such as ADDMEMBER or PAUSE, system events, vendor events such as OUTDIAL) is
//! accepted and counted as `ignored event <NAME>`.
//!
//! A call event whose (callid, queue) has no ENTERQUEUE in the import's files (the log began
//! mid-call) continues the call when an earlier import stored it as `in_progress`
//! ([`super::ImportOptions::open_contacts`], matched by `callid/queue[/n]`): the call is
//! emitted again, with what was stored (arrival, answer, agent, caller pseudonym, channel)
//! and what this import adds, under the stored source id, and that event's row counts as
//! imported. Without such a stored call the event is quarantined. An ENTERQUEUE at the
//! stored call's arrival is that call read again (same source id); a later one is a
//! re-entry numbered after it. Limitation: re-entries are numbered from the entries this
//! import sees and the stored open one, so a re-entry in a later import than an entry that
//! was already complete when stored may reuse that entry's number.

use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::path::Path;

use pacta_contract::Channel;

use super::{CsvFile, ImportOptions, Imported, OpenContact, csv_error};
use crate::batch::InteractionRef;
use crate::model::Outcome;
use crate::pseudo::key_from_hex;
use crate::report::{Quarantined, source_file, unreadable_row};
use crate::time::TimestampParser;
use crate::{DataError, Result};

/// Events that belong to a queued call.
const CALL_EVENTS: [&str; 14] = [
    "ENTERQUEUE",
    "CONNECT",
    "COMPLETEAGENT",
    "COMPLETECALLER",
    "TRANSFER",
    "BLINDTRANSFER",
    "ATTENDEDTRANSFER",
    "ABANDON",
    "EXITWITHTIMEOUT",
    "EXITEMPTY",
    "EXITWITHKEY",
    "RINGNOANSWER",
    "RINGCANCELED",
    "SYSCOMPAT",
];

/// One call event, normalised across forms.
#[derive(Debug, Clone)]
struct Ev {
    /// Index of the file in the import's files.
    file: usize,
    line: u64,
    ts_ms: i64,
    callid: String,
    queue: String,
    agent: Option<String>,
    event: String,
    wait_s: Option<i64>,
    talk_s: Option<i64>,
    caller: Option<String>,
    raw: String,
}

fn rank(event: &str) -> u8 {
    match event {
        "ENTERQUEUE" => 0,
        "RINGNOANSWER" | "RINGCANCELED" | "SYSCOMPAT" => 1,
        "CONNECT" => 2,
        _ => 3,
    }
}

fn num(s: Option<&str>) -> Option<i64> {
    s.map(str::trim)
        .filter(|s| !s.is_empty())
        .and_then(|s| s.parse::<i64>().ok())
}

/// Wait/talk/caller positions of the raw form: `data` is data1..data5.
fn raw_semantics(event: &str, data: &[&str]) -> (Option<i64>, Option<i64>, Option<String>) {
    let d = |i: usize| data.get(i).copied();
    match event {
        "ENTERQUEUE" => (
            None,
            None,
            d(1).filter(|s| !s.trim().is_empty()).map(str::to_string),
        ),
        "CONNECT" => (num(d(0)), None, None),
        "COMPLETEAGENT" | "COMPLETECALLER" => (num(d(0)), num(d(1)), None),
        "TRANSFER" | "BLINDTRANSFER" | "ATTENDEDTRANSFER" => (num(d(2)), num(d(3)), None),
        "ABANDON" | "EXITWITHTIMEOUT" | "EXITEMPTY" => (num(d(2)), None, None),
        "EXITWITHKEY" => (num(d(3)), None, None),
        _ => (None, None, None),
    }
}

/// Imports one queue_log file (form detected from its first line).
pub fn import(path: &Path, opts: &ImportOptions<'_>) -> Result<Imported> {
    import_files(&[path], opts)
}

/// Imports the queue_log files of one import as one stream, in the order given (e.g. the
/// days of a rotated log): a call that enters the queue in one file and ends in the next is
/// one contact. Each file's form is detected from its first line. Calls stored as
/// `in_progress` by an earlier import ([`ImportOptions::open_contacts`]) are continued by
/// their events here and emitted again, completed, under their stored source id.
pub fn import_files(paths: &[&Path], opts: &ImportOptions<'_>) -> Result<Imported> {
    let mut out = Imported::default();
    let mut names = Vec::with_capacity(paths.len());
    let mut events = Vec::new();
    let mut done_before = 0u64;
    for (fi, path) in paths.iter().enumerate() {
        let name = path.display().to_string();
        let file = File::open(path).map_err(|e| DataError::io(path, e))?;
        let mut first = String::new();
        BufReader::new(file)
            .read_line(&mut first)
            .map_err(|e| DataError::io(path, e))?;
        let first = first.trim_start_matches('\u{feff}');
        if first.trim().is_empty() {
            return Err(DataError::Empty { file: name });
        }
        let source = source_file(path)?;
        let size = source.bytes;
        out.report.files.push(source);
        let base = done_before;
        let progress = move |bytes: u64| {
            if let Some(p) = opts.progress {
                p(base + bytes);
            }
        };
        let starts_with_digit = first.bytes().next().is_some_and(|b| b.is_ascii_digit());
        let file_events = if starts_with_digit && first.contains('|') {
            read_raw(path, &name, fi, &progress, &mut out)?
        } else {
            read_table(path, &name, fi, opts, &progress, &mut out)?
        };
        events.extend(file_events);
        names.push(name);
        done_before += size;
        if let Some(p) = opts.progress {
            p(done_before);
        }
    }
    build(&names, events, opts, &mut out);
    Ok(out)
}

fn read_raw(
    path: &Path,
    name: &str,
    file_index: usize,
    progress: &dyn Fn(u64),
    out: &mut Imported,
) -> Result<Vec<Ev>> {
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let mut events = Vec::new();
    let mut buf = Vec::new();
    let mut reader = BufReader::new(file);
    let mut line_no = 0u64;
    let mut bytes = 0u64;
    loop {
        buf.clear();
        let n = reader
            .read_until(b'\n', &mut buf)
            .map_err(|e| DataError::io(path, e))?;
        if n == 0 {
            break;
        }
        line_no += 1;
        bytes += n as u64;
        if line_no.is_multiple_of(65_536) {
            progress(bytes);
        }
        let Ok(line) = std::str::from_utf8(&buf) else {
            // Not readable field by field: its caller id could be anywhere in it.
            out.report.rows_read += 1;
            let len = buf.trim_ascii_end().len();
            out.report.quarantined.push(Quarantined::new(
                name,
                line_no,
                "*",
                &unreadable_row(len, None),
                "not valid UTF-8",
            ));
            continue;
        };
        let line = line.trim_end_matches(['\r', '\n']);
        if line.trim().is_empty() {
            continue;
        }
        out.report.rows_read += 1;
        let f: Vec<&str> = line.split('|').collect();
        if f.len() < 5 {
            out.report.quarantined.push(Quarantined::new(
                name,
                line_no,
                "*",
                &unreadable_row(line.len(), Some(f.len())),
                format!(
                    "{} field(s), expected at least 5 (epoch|callid|queue|agent|EVENT; truncated line?)",
                    f.len()
                ),
            ));
            continue;
        }
        let Ok(epoch) = f[0].trim().parse::<i64>() else {
            out.report.quarantined.push(Quarantined::new(
                name,
                line_no,
                "epoch",
                f[0],
                "not a Unix time in seconds",
            ));
            continue;
        };
        let event = f[4].trim().to_string();
        let (wait_s, talk_s, caller) = raw_semantics(&event, &f[5..]);
        events.push(Ev {
            file: file_index,
            line: line_no,
            ts_ms: epoch.saturating_mul(1000),
            callid: f[1].trim().to_string(),
            queue: f[2].trim().to_string(),
            agent: agent_of(f[3]),
            event,
            wait_s,
            talk_s,
            caller,
            raw: format!("{}|…", f[..5].join("|")),
        });
    }
    Ok(events)
}

fn agent_of(s: &str) -> Option<String> {
    let s = s.trim();
    (!s.is_empty() && s != "NONE").then(|| s.to_string())
}

fn read_table(
    path: &Path,
    name: &str,
    file_index: usize,
    opts: &ImportOptions<'_>,
    progress: &dyn Fn(u64),
    out: &mut Imported,
) -> Result<Vec<Ev>> {
    // Which table: the PBX dump (queue_name/type/param1..) or Asterisk realtime.
    let probe = CsvFile::open(path, b',', &[])?;
    let mirta = probe.col("queue_name").is_some();
    drop(probe);
    let required: &[&str] = if mirta {
        &[
            "date_time",
            "callid",
            "queue_name",
            "type",
            "event",
            "param1",
            "param2",
            "param3",
            "htime",
            "ttime",
        ]
    } else {
        &["time", "callid", "queuename", "agent", "event"]
    };
    let mut f = CsvFile::open(path, b',', required)?;
    let col = |n: &str| f.col(n).unwrap_or(usize::MAX);
    let (c_time, c_call, c_queue, c_agent, c_event) = if mirta {
        (
            col("date_time"),
            col("callid"),
            col("queue_name"),
            col("type"),
            col("event"),
        )
    } else {
        (
            col("time"),
            col("callid"),
            col("queuename"),
            col("agent"),
            col("event"),
        )
    };
    let data_cols: Vec<usize> = if mirta {
        ["param1", "param2", "param3", "htime", "ttime"]
            .iter()
            .map(|n| col(n))
            .collect()
    } else {
        ["data1", "data2", "data3", "data4", "data5"]
            .iter()
            .map(|n| col(n))
            .collect()
    };
    let mut tp = TimestampParser::new(None, opts.time_zone.clone());
    let ncols = f.header.len();
    let mut rec = csv::StringRecord::new();
    let mut events = Vec::new();
    loop {
        match f.reader.read_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => {
                // Invalid UTF-8 in a row: quarantine it and go on.
                if let csv::ErrorKind::Utf8 { pos, .. } = e.kind() {
                    out.report.rows_read += 1;
                    out.report.quarantined.push(Quarantined::new(
                        name,
                        pos.as_ref().map_or(0, csv::Position::line),
                        "*",
                        "",
                        "not valid UTF-8",
                    ));
                    continue;
                }
                return Err(csv_error(name, &e));
            }
        }
        out.report.rows_read += 1;
        let line = rec.position().map_or(0, csv::Position::line);
        if line.is_multiple_of(65_536) {
            progress(rec.position().map_or(0, csv::Position::byte));
        }
        if rec.len() != ncols {
            // Fields that do not align with the header: any of them may be the caller id.
            out.report.quarantined.push(Quarantined::new(
                name,
                line,
                "*",
                &unreadable_row(rec.as_slice().len(), Some(rec.len())),
                format!(
                    "row has {} field(s), expected {ncols} (truncated row?)",
                    rec.len()
                ),
            ));
            continue;
        }
        // Data fields may hold caller numbers: never copied into the quarantine.
        let raw = [c_time, c_call, c_queue, c_agent, c_event]
            .iter()
            .map(|&i| rec.get(i).unwrap_or(""))
            .collect::<Vec<_>>()
            .join(",")
            + ",…";
        let g = |i: usize| rec.get(i).unwrap_or("").trim();
        let t = g(c_time);
        let ts_ms = match t.parse::<i64>() {
            Ok(v) => v.saturating_mul(1000),
            Err(_) => match tp.parse(t) {
                Ok(v) => v,
                Err(reason) => {
                    let field = if mirta { "date_time" } else { "time" };
                    out.report
                        .quarantined
                        .push(Quarantined::new(name, line, field, t, reason));
                    continue;
                }
            },
        };
        let event = g(c_event).to_string();
        let data: Vec<&str> = data_cols.iter().map(|&i| g(i)).collect();
        let (wait_s, talk_s, caller) = if mirta {
            let d = |i: usize| data.get(i).copied();
            match event.as_str() {
                "ENTERQUEUE" => (
                    None,
                    None,
                    d(0).filter(|s| !s.is_empty()).map(str::to_string),
                ),
                "CONNECT" | "ABANDON" | "EXITWITHTIMEOUT" | "EXITEMPTY" | "EXITWITHKEY" => {
                    (num(d(3)), None, None)
                }
                "COMPLETEAGENT" | "COMPLETECALLER" | "TRANSFER" | "BLINDTRANSFER"
                | "ATTENDEDTRANSFER" => (num(d(3)), num(d(4)), None),
                _ => (None, None, None),
            }
        } else {
            raw_semantics(&event, &data)
        };
        events.push(Ev {
            file: file_index,
            line,
            ts_ms,
            callid: g(c_call).to_string(),
            queue: g(c_queue).to_string(),
            agent: agent_of(g(c_agent)),
            event,
            wait_s,
            talk_s,
            caller,
            raw,
        });
    }
    Ok(events)
}

#[derive(Debug)]
struct Open {
    source_id: String,
    channel: Channel,
    queue: String,
    site: Option<String>,
    language: Option<String>,
    caller: u64,
    arrived: i64,
    answered: Option<i64>,
    ended: Option<i64>,
    outcome: Option<Outcome>,
    talk: Option<i64>,
    agent: Option<String>,
    disposition: Option<&'static str>,
}

impl Open {
    /// A call stored as `in_progress` by an earlier import, continued here.
    fn resumed(c: &OpenContact) -> Self {
        Open {
            source_id: c.source_id.clone(),
            channel: c.channel,
            queue: c.queue.clone(),
            site: c.site.clone(),
            language: c.language.clone(),
            caller: key_from_hex(c.customer_key.as_deref()),
            arrived: c.arrived_at_ms,
            answered: c.answered_at_ms,
            ended: None,
            outcome: None,
            talk: None,
            agent: c.agent_key.clone(),
            disposition: None,
        }
    }
}

/// The `callid/queue` source id of the `seq`-th entry of a call into a queue.
fn source_id_of(callid: &str, queue: &str, seq: u32) -> String {
    if seq <= 1 {
        format!("{callid}/{queue}")
    } else {
        format!("{callid}/{queue}/{seq}")
    }
}

/// The stored open calls by (callid, queue): the latest entry of each (highest `/n`).
fn open_calls<'o>(opts: &ImportOptions<'o>) -> HashMap<(String, String), (u32, &'o OpenContact)> {
    let mut by_call: HashMap<(String, String), (u32, &'o OpenContact)> = HashMap::new();
    let Some(open) = opts.open_contacts else {
        return by_call;
    };
    for c in open.iter() {
        let id = c.source_id.as_str();
        let suffix = format!("/{}", c.queue);
        let parsed = match id.strip_suffix(&suffix) {
            Some(callid) => Some((callid, 1)),
            None => id.rsplit_once('/').and_then(|(head, n)| {
                let n = n.parse::<u32>().ok().filter(|n| *n >= 2)?;
                Some((head.strip_suffix(&suffix)?, n))
            }),
        };
        let Some((callid, seq)) = parsed else {
            continue;
        };
        let key = (callid.to_string(), c.queue.clone());
        if by_call.get(&key).is_none_or(|(s, _)| *s < seq) {
            by_call.insert(key, (seq, c));
        }
    }
    by_call
}

fn build(names: &[String], events: Vec<Ev>, opts: &ImportOptions<'_>, out: &mut Imported) {
    let mut calls: BTreeMap<(String, String), Vec<Ev>> = BTreeMap::new();
    for ev in events {
        let is_call = CALL_EVENTS.contains(&ev.event.as_str())
            && ev.queue != "NONE"
            && !ev.queue.is_empty()
            && ev.callid != "NONE";
        if !is_call {
            out.report.drop_row(&format!("ignored event {}", ev.event));
            continue;
        }
        calls
            .entry((ev.callid.clone(), ev.queue.clone()))
            .or_default()
            .push(ev);
    }
    let name = |file: usize| names.get(file).map_or("", String::as_str);
    let mut stored = open_calls(opts);
    // Each contact with the place of its first event here, to keep the input's order.
    let mut contacts: Vec<((usize, u64), Open)> = Vec::new();
    for ((callid, queue), mut evs) in calls {
        evs.sort_by(|a, b| {
            (a.ts_ms, rank(&a.event), a.file, a.line).cmp(&(
                b.ts_ms,
                rank(&b.event),
                b.file,
                b.line,
            ))
        });
        let mut resumable = stored.remove(&(callid.clone(), queue.clone()));
        let mut open: Option<((usize, u64), Open)> = None;
        let mut seq = 0u32;
        for ev in evs {
            let at = (ev.file, ev.line);
            if ev.event == "ENTERQUEUE" {
                if let Some(o) = open.take() {
                    contacts.push(o);
                }
                seq += 1;
                let mut source_id = source_id_of(&callid, &queue, seq);
                if let Some((stored_seq, c)) = resumable {
                    if c.arrived_at_ms == ev.ts_ms {
                        // The stored call's own ENTERQUEUE read again: the same contact.
                        seq = stored_seq;
                        source_id = c.source_id.clone();
                        resumable = None;
                    } else if ev.ts_ms > c.arrived_at_ms && seq <= stored_seq {
                        // A later entry than the stored one: numbered after it.
                        seq = stored_seq + 1;
                        source_id = source_id_of(&callid, &queue, seq);
                        resumable = None;
                    }
                }
                let caller = ev
                    .caller
                    .as_deref()
                    .map_or(0, |c| opts.pseudonymizer.key64(c));
                open = Some((
                    at,
                    Open {
                        source_id,
                        channel: opts.channel,
                        queue: queue.clone(),
                        site: None,
                        language: None,
                        caller,
                        arrived: ev.ts_ms,
                        answered: None,
                        ended: None,
                        outcome: None,
                        talk: None,
                        agent: None,
                        disposition: None,
                    },
                ));
                out.report.imported += 1;
                continue;
            }
            let mut resumed = false;
            if open.is_none()
                && let Some((_, c)) = resumable.take()
            {
                // The call an earlier import left open goes on: this event is the row of
                // its record, emitted again under the stored source id.
                open = Some((at, Open::resumed(c)));
                out.report.imported += 1;
                resumed = true;
            }
            let Some((_, o)) = open.as_mut().filter(|(_, o)| o.outcome.is_none()) else {
                let reason = if open.is_some() {
                    format!("{} after the call already left the queue", ev.event)
                } else {
                    format!("{} without an ENTERQUEUE for this call and queue", ev.event)
                };
                // Ring events after the end are harmless echoes of the same call.
                if open.is_some() && rank(&ev.event) == 1 {
                    out.report.merged += 1;
                } else {
                    out.report.quarantined.push(Quarantined::new(
                        name(ev.file),
                        ev.line,
                        "event",
                        &ev.raw,
                        reason,
                    ));
                }
                continue;
            };
            if !resumed {
                out.report.merged += 1;
            }
            let wait_ms = ev.wait_s.map(|w| w.saturating_mul(1000));
            match ev.event.as_str() {
                "CONNECT" => {
                    o.answered = Some(wait_ms.map_or(ev.ts_ms, |w| o.arrived.saturating_add(w)));
                    o.agent = ev.agent.clone();
                }
                "COMPLETEAGENT" | "COMPLETECALLER" | "TRANSFER" | "BLINDTRANSFER"
                | "ATTENDEDTRANSFER" => {
                    if o.answered.is_none() {
                        o.answered =
                            Some(wait_ms.map_or(ev.ts_ms, |w| o.arrived.saturating_add(w)));
                    }
                    if ev.agent.is_some() {
                        o.agent = ev.agent.clone();
                    }
                    o.talk = ev
                        .talk_s
                        .map(|t| t.saturating_mul(1000))
                        .or_else(|| o.answered.map(|a| (ev.ts_ms - a).max(0)));
                    o.ended = Some(ev.ts_ms);
                    o.outcome = Some(Outcome::Answered);
                    if ev.event.contains("TRANSFER") {
                        o.disposition = Some("transferred");
                    }
                }
                "ABANDON" | "EXITWITHTIMEOUT" | "EXITEMPTY" | "EXITWITHKEY" => {
                    o.ended = Some(wait_ms.map_or(ev.ts_ms, |w| o.arrived.saturating_add(w)));
                    o.outcome = Some(match ev.event.as_str() {
                        "ABANDON" => Outcome::Abandoned,
                        "EXITWITHTIMEOUT" => Outcome::Timeout,
                        "EXITEMPTY" => Outcome::QueueEmpty,
                        _ => Outcome::Callback,
                    });
                }
                _ => {}
            }
        }
        if let Some(o) = open.take() {
            contacts.push(o);
        }
    }
    contacts.sort_by_key(|(at, _)| *at);
    let mut by_outcome: HashMap<Outcome, u64> = HashMap::new();
    for (_, o) in contacts {
        let outcome = o.outcome.unwrap_or(Outcome::InProgress);
        *by_outcome.entry(outcome).or_insert(0) += 1;
        out.batch.push(&InteractionRef {
            source_id: &o.source_id,
            channel: o.channel,
            queue: &o.queue,
            site: o.site.as_deref(),
            language: o.language.as_deref(),
            customer: o.caller,
            arrived_at_ms: o.arrived,
            answered_at_ms: o.answered,
            ended_at_ms: o.ended,
            outcome,
            talk_ms: o.talk,
            hold_ms: None,
            wrap_ms: None,
            agent: o.agent.as_deref(),
            disposition: o.disposition,
            first_response_at_ms: None,
        });
    }
    for (k, v) in by_outcome {
        *out.report
            .by_outcome
            .entry(k.as_str().to_string())
            .or_insert(0) += v;
    }
}
