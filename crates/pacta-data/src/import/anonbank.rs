//! The Technion SEE lab "Anonymous Bank" call log (Brown et al., JASA 2005).
//!
//! Columns: `vru+line,call_id,customer_id,priority,type,date,vru_entry,vru_exit,vru_time,
//! q_start,q_exit,q_time,outcome,ser_start,ser_exit,ser_time,server`.
//!
//! Mapping, per row:
//! - `outcome` = `PHANTOM` → dropped (rule `phantom`: a call the switch logged that never
//!   existed; the spec drops them).
//! - `outcome` = `HANG` and `q_start` = `0:00:00` → *not offered* (left in the IVR).
//! - `outcome` = `HANG` and `q_start` ≠ `0:00:00` → `abandoned`: ended = arrival + `q_time`.
//!   (126 such rows in August carry service times; they are still abandons per the spec and
//!   no talk time is recorded.)
//! - `outcome` = `AGENT` → `answered`: answered = arrival + `q_time` (0 for calls routed
//!   straight to an agent, `q_start` = `0:00:00`), talk = `ser_time`, ended = answered + talk.
//!   When `ser_start` = `0:00:00` and `ser_time` = 0 the service record is missing: talk is
//!   left absent rather than guessed as 0.
//! - arrival = `date` + `vru_exit` in the given zone. When `vru_exit` < `vru_entry` and
//!   `vru_entry` + `vru_time` reaches midnight, the call crossed midnight in the IVR and
//!   `vru_exit` is on the next day. (August has no such call, but 19 rows with `vru_exit`
//!   before `vru_entry` and a negative `vru_time` — a clock anomaly of the source; they keep
//!   `date` + `vru_exit` as the spec says and are imported.)
//! - queue = `type`; valid types are those of the Anonymous Bank documentation and data:
//!   `PS` (regular), `PE` (regular, English), `IN` (internet), `NE` (stock exchange), `NW`
//!   (new customer), `TT` (callback request left in the IVR). Anything else (e.g. `AA`) is
//!   quarantined.
//! - customer = pseudonym of `customer_id`, `0` = unknown; agent = `server`, `NO_SERVER` =
//!   none; source id = `date/vru+line/call_id` (`call_id` alone repeats across lines).
//! - Any field that does not parse, any other `outcome`, or a row with the wrong number of
//!   fields (a truncated last line) is quarantined with the line, field and reason.

use std::path::Path;

use jiff::civil::Date;

use super::{CsvFile, ImportOptions, Imported, csv_error};
use crate::Result;
use crate::batch::InteractionRef;
use crate::model::Outcome;
use crate::report::{Quarantined, pseudonym_bytes, pseudonym_value, source_file, unreadable_row};
use crate::time::{TimestampParser, parse_hms};

/// The columns of the call log, in order.
pub const COLUMNS: [&str; 17] = [
    "vru+line",
    "call_id",
    "customer_id",
    "priority",
    "type",
    "date",
    "vru_entry",
    "vru_exit",
    "vru_time",
    "q_start",
    "q_exit",
    "q_time",
    "outcome",
    "ser_start",
    "ser_exit",
    "ser_time",
    "server",
];

/// Index in [`COLUMNS`] of `customer_id`, the customer identifier.
const CUSTOMER_ID: usize = 2;

/// Valid values of `type` (the queue).
pub const TYPES: [&str; 6] = ["PS", "PE", "IN", "NE", "NW", "TT"];

/// Imports one call log file.
pub fn import(path: &Path, opts: &ImportOptions<'_>) -> Result<Imported> {
    let mut f = CsvFile::open(path, b',', &COLUMNS)?;
    let c: Vec<usize> = COLUMNS
        .iter()
        .map(|n| f.col(n).unwrap_or(usize::MAX))
        .collect();
    let mut out = Imported::default();
    out.report.files.push(source_file(path)?);
    let tp = TimestampParser::new(None, opts.time_zone.clone());
    let mut rec = csv::ByteRecord::new();
    let ncols = f.header.len();
    let name = f.name.clone();
    loop {
        match f.reader.read_byte_record(&mut rec) {
            Ok(true) => {}
            Ok(false) => break,
            Err(e) => return Err(csv_error(&name, &e)),
        }
        out.report.rows_read += 1;
        let line = rec.position().map_or(0, csv::Position::line);
        if out.report.rows_read % 65_536 == 0
            && let Some(p) = opts.progress
        {
            p(rec.position().map_or(0, csv::Position::byte));
        }
        if rec.len() != ncols {
            // Fields that do not align with the header: any of them may be the customer id,
            // so none is copied into the quarantine.
            out.report.quarantined.push(Quarantined::new(
                &name,
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
        match row(&name, line, &rec, &c, &tp, opts, &mut out) {
            Ok(()) => {}
            Err(q) => out.report.quarantined.push(*q),
        }
    }
    if let Some(p) = opts.progress {
        p(f.reader.position().byte());
    }
    Ok(out)
}

type RowErr = Box<Quarantined>;

#[allow(clippy::too_many_arguments)]
fn row(
    file: &str,
    line: u64,
    rec: &csv::ByteRecord,
    c: &[usize],
    tp: &TimestampParser,
    opts: &ImportOptions<'_>,
    out: &mut Imported,
) -> std::result::Result<(), RowErr> {
    let q = |field: &str, value: &str, reason: String| -> RowErr {
        Box::new(Quarantined::new(file, line, field, value, reason))
    };
    // Columns are found by header name; the customer id shows as its pseudonym only.
    let get = |i: usize| -> std::result::Result<&str, RowErr> {
        let b = rec.get(c[i]).unwrap_or_default();
        std::str::from_utf8(b).map(str::trim).map_err(|_| {
            let shown = if i == CUSTOMER_ID {
                pseudonym_bytes(opts.pseudonymizer, b)
            } else {
                String::from_utf8_lossy(b).into_owned()
            };
            q(COLUMNS[i], &shown, "not valid UTF-8".into())
        })
    };
    let outcome = get(12)?;
    match outcome {
        "PHANTOM" => {
            out.report.drop_row("phantom");
            return Ok(());
        }
        "AGENT" | "HANG" => {}
        other => {
            return Err(q(
                "outcome",
                other,
                "unknown outcome (expected AGENT, HANG or PHANTOM)".into(),
            ));
        }
    }
    let hms = |i: usize| -> std::result::Result<i64, RowErr> {
        let v = get(i)?;
        parse_hms(v).ok_or_else(|| q(COLUMNS[i], v, "not a time of day H:MM:SS".into()))
    };
    let secs = |i: usize| -> std::result::Result<i64, RowErr> {
        let v = get(i)?;
        v.parse::<i64>()
            .ok()
            .filter(|s| *s >= 0)
            .ok_or_else(|| q(COLUMNS[i], v, "not a non-negative number of seconds".into()))
    };
    let q_start = hms(9)?;
    if outcome == "HANG" && q_start == 0 {
        // Validate nothing else: the row is not an offered contact.
        out.report.not_offered += 1;
        return Ok(());
    }
    let queue = get(4)?;
    if !TYPES.contains(&queue) {
        return Err(q(
            "type",
            queue,
            format!("unknown call type (expected one of {})", TYPES.join(", ")),
        ));
    }
    let date_s = get(5)?;
    let date: Date = date_s
        .parse()
        .map_err(|_| q("date", date_s, "not a date YYYY-MM-DD".into()))?;
    let vru_entry = hms(6)?;
    let vru_exit = hms(7)?;
    let vru_time = get(8)?.parse::<i64>().unwrap_or(-1);
    let day = if vru_exit < vru_entry && vru_time >= 0 && vru_entry + vru_time >= 86_400 {
        date.tomorrow()
            .map_err(|e| q("date", date_s, e.to_string()))?
    } else {
        date
    };
    let h = i8::try_from(vru_exit / 3600).unwrap_or(0);
    let m = i8::try_from(vru_exit / 60 % 60).unwrap_or(0);
    let s = i8::try_from(vru_exit % 60).unwrap_or(0);
    let arrived = tp
        .civil_ms(day.at(h, m, s, 0))
        .map_err(|e| q("vru_exit", get(7).unwrap_or_default(), e))?;
    let wait_ms = secs(11)? * 1000;
    let customer_raw = get(CUSTOMER_ID)?;
    let customer = match customer_raw.parse::<u64>() {
        Ok(0) => 0,
        Ok(_) => opts.pseudonymizer.key64(customer_raw),
        Err(_) => {
            return Err(q(
                "customer_id",
                &pseudonym_value(opts.pseudonymizer, customer_raw),
                "not a numeric customer id".into(),
            ));
        }
    };
    let call_id = get(1)?;
    let line_id = get(0)?;
    let source_id = format!("{date}/{line_id}/{call_id}");
    let server = get(16)?;
    let agent = (!server.is_empty() && server != "NO_SERVER").then_some(server);
    let r = if outcome == "AGENT" {
        let ser_start = hms(13)?;
        let ser_time = secs(15)?;
        let talk = (!(ser_start == 0 && ser_time == 0)).then_some(ser_time * 1000);
        let answered = arrived + wait_ms;
        InteractionRef {
            source_id: &source_id,
            channel: opts.channel,
            queue,
            site: None,
            language: None,
            customer,
            arrived_at_ms: arrived,
            answered_at_ms: Some(answered),
            ended_at_ms: talk.map(|t| answered + t),
            outcome: Outcome::Answered,
            talk_ms: talk,
            hold_ms: None,
            wrap_ms: None,
            agent,
            disposition: None,
            first_response_at_ms: None,
        }
    } else {
        InteractionRef {
            source_id: &source_id,
            channel: opts.channel,
            queue,
            site: None,
            language: None,
            customer,
            arrived_at_ms: arrived,
            answered_at_ms: None,
            ended_at_ms: Some(arrived + wait_ms),
            outcome: Outcome::Abandoned,
            talk_ms: None,
            hold_ms: None,
            wrap_ms: None,
            agent: None,
            disposition: None,
            first_response_at_ms: None,
        }
    };
    out.batch.push(&r);
    out.report.imported += 1;
    *out.report
        .by_outcome
        .entry(r.outcome.as_str().to_string())
        .or_insert(0) += 1;
    Ok(())
}
