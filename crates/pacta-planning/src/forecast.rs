//! Forecast and staffing CSV files read from their text, every bad value located by file, line
//! and column; and a forecast written back as CSV.
//!
//! A forecast has `interval_start, queue, volume, aht_s` and optionally `patience_s` and
//! `interval_minutes`, one row per interval and queue. A staffing file (the vendor's plan) has
//! `interval_start, queue, agents`, agents in seat. Interval starts are RFC 3339, or
//! `YYYY-MM-DD HH:MM` in the contract's time zone. Column names match whatever their case, and
//! a leading byte-order mark is ignored.

use std::collections::HashMap;

use jiff::Timestamp;
use jiff::civil;
use jiff::tz::TimeZone;

use crate::error::{PlanningError, RowError, RowLocation, RowProblem};
use crate::limits::MAX_AGENTS;

/// One interval of one queue to staff.
#[derive(Debug, Clone, PartialEq)]
pub struct ForecastRow {
    /// Line in the forecast file (1 = header); 0 when estimated from the store.
    pub line: usize,
    /// The interval's start.
    pub start: Timestamp,
    /// The queue.
    pub queue: String,
    /// Calls offered in the interval (> 0 in a file, may be fractional).
    pub volume: f64,
    /// Average handling time, seconds.
    pub aht_s: f64,
    /// Mean patience, seconds (`None`: no Erlang A for this row).
    pub patience_s: Option<f64>,
    /// Interval length, minutes.
    pub interval_minutes: f64,
}

/// The intervals to staff and where they came from.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Forecast {
    /// Where the rows came from, for messages: a file path, or the store and month.
    pub source: String,
    /// The rows, in input order.
    pub rows: Vec<ForecastRow>,
    /// Column indices (from 0) by column name, for locating errors in a forecast file; empty
    /// for an estimated forecast.
    pub columns: HashMap<String, usize>,
}

/// The vendor's staffing plan: agents in seat per interval start and queue.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct VendorStaffing {
    /// The file's name, for messages.
    pub file: String,
    /// `(start in UTC milliseconds, queue)` → (agents, line).
    pub(crate) agents: HashMap<(i64, String), (u32, usize)>,
}

impl VendorStaffing {
    /// Agents planned for the interval starting at `start` in `queue`, if the plan has a row.
    pub fn agents(&self, start: Timestamp, queue: &str) -> Option<u32> {
        self.agents
            .get(&(start.as_millisecond(), queue.to_string()))
            .map(|(n, _)| *n)
    }

    /// Rows in the plan.
    pub fn len(&self) -> usize {
        self.agents.len()
    }

    /// Whether the plan has no rows.
    pub fn is_empty(&self) -> bool {
        self.agents.is_empty()
    }
}

/// A CSV file's records, with required and optional columns located.
struct Table {
    records: Vec<(usize, csv::StringRecord)>,
    cols: HashMap<&'static str, usize>,
}

fn read_table(
    bytes: &[u8],
    file: &str,
    required: &[&'static str],
    optional: &[&'static str],
) -> Result<Table, PlanningError> {
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| PlanningError::UnreadableHeader {
            file: file.to_string(),
            detail: e.to_string(),
        })?
        .clone();
    let mut cols = HashMap::new();
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    for name in required {
        let Some(i) = find(name) else {
            return Err(PlanningError::MissingColumn {
                file: file.to_string(),
                column: (*name).to_string(),
                required: required.iter().map(|s| (*s).to_string()).collect(),
            });
        };
        cols.insert(*name, i);
    }
    for name in optional {
        if let Some(i) = find(name) {
            cols.insert(*name, i);
        }
    }
    let mut records = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| PlanningError::UnreadableRecord {
            file: file.to_string(),
            line: e.position().map_or(0, |p| p.line()),
            detail: e.to_string(),
        })?;
        let line = rec
            .position()
            .map_or(records.len() + 2, |p| p.line() as usize);
        if rec.iter().all(str::is_empty) {
            continue;
        }
        records.push((line, rec));
    }
    Ok(Table { records, cols })
}

/// Problems collected while reading a file, each located.
struct Problems<'a> {
    file: &'a str,
    list: Vec<RowError>,
}

impl Problems<'_> {
    fn at(&mut self, line: usize, column: usize, name: &str, problem: RowProblem) {
        self.list.push(RowError {
            file: self.file.to_string(),
            at: RowLocation::Cell {
                line,
                column,
                name: name.to_string(),
            },
            problem,
        });
    }

    fn whole(&mut self, line: usize, problem: RowProblem) {
        self.list.push(RowError {
            file: self.file.to_string(),
            at: RowLocation::Line { line },
            problem,
        });
    }

    fn finish(self) -> Result<(), PlanningError> {
        if self.list.is_empty() {
            return Ok(());
        }
        Err(PlanningError::InvalidRows {
            file: self.file.to_string(),
            errors: self.list,
        })
    }
}

/// Parses an interval start: RFC 3339 with an offset, or a local `YYYY-MM-DD HH:MM[:SS]` in
/// `tz` (a local time skipped or repeated by a clock change resolves as jiff's "compatible"
/// rule: the later instant in a gap, the earlier in a fold).
pub fn parse_start(raw: &str, tz: &TimeZone) -> Option<Timestamp> {
    if let Ok(ts) = raw.parse::<Timestamp>() {
        return Some(ts);
    }
    let dt: civil::DateTime = raw.parse().ok()?;
    dt.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

fn parse_num(raw: &str) -> Option<f64> {
    raw.parse::<f64>().ok().filter(|v| v.is_finite())
}

/// Reads a forecast CSV named `file` (for messages). Rows without `interval_minutes` get
/// `default_interval_minutes`; rows without `patience_s` get `default_patience_s`. Every bad
/// value is reported at once ([`PlanningError::InvalidRows`]).
pub fn parse_forecast(
    bytes: &[u8],
    file: &str,
    tz: &TimeZone,
    default_interval_minutes: f64,
    default_patience_s: Option<f64>,
) -> Result<Forecast, PlanningError> {
    let table = read_table(
        bytes,
        file,
        &["interval_start", "queue", "volume", "aht_s"],
        &["patience_s", "interval_minutes"],
    )?;
    let mut errors = Problems {
        file,
        list: Vec::new(),
    };
    let mut rows = Vec::with_capacity(table.records.len());
    let mut seen: HashMap<(i64, String), usize> = HashMap::with_capacity(table.records.len());
    for (line, rec) in &table.records {
        let line = *line;
        let ok_before = errors.list.len();
        let get = |name: &str| table.cols.get(name).map(|&c| (c, rec.get(c).unwrap_or("")));
        let field = |name: &'static str, errors: &mut Problems| -> Option<(usize, String)> {
            let (c, raw) = get(name)?;
            if raw.is_empty() {
                errors.at(line, c, name, RowProblem::MissingValue);
                return None;
            }
            Some((c, raw.to_string()))
        };
        let start = field("interval_start", &mut errors).and_then(|(c, raw)| {
            let ts = parse_start(&raw, tz);
            if ts.is_none() {
                errors.at(
                    line,
                    c,
                    "interval_start",
                    RowProblem::NotATimestamp { raw, explain: true },
                );
            }
            ts
        });
        let queue = field("queue", &mut errors).map(|(_, q)| q);
        let number = |name: &'static str, errors: &mut Problems| -> Option<f64> {
            let (c, raw) = get(name)?;
            if raw.is_empty() {
                return None;
            }
            match parse_num(raw) {
                None => {
                    errors.at(
                        line,
                        c,
                        name,
                        RowProblem::NotANumber {
                            raw: raw.to_string(),
                        },
                    );
                    None
                }
                Some(v) if v <= 0.0 => {
                    errors.at(
                        line,
                        c,
                        name,
                        RowProblem::NotPositive {
                            raw: raw.to_string(),
                            column: name.to_string(),
                        },
                    );
                    None
                }
                Some(v) => Some(v),
            }
        };
        let required_number = |name: &'static str, errors: &mut Problems| match get(name) {
            Some((c, "")) => {
                errors.at(line, c, name, RowProblem::MissingValue);
                None
            }
            _ => number(name, errors),
        };
        let volume = required_number("volume", &mut errors);
        let aht_s = required_number("aht_s", &mut errors);
        let patience_s = number("patience_s", &mut errors).or(default_patience_s);
        let interval_minutes = number("interval_minutes", &mut errors);
        if errors.list.len() > ok_before {
            continue;
        }
        if let (Some(start), Some(queue), Some(volume), Some(aht_s)) = (start, queue, volume, aht_s)
        {
            if let Some(first) = seen.insert((start.as_millisecond(), queue.clone()), line) {
                errors.whole(
                    line,
                    RowProblem::DuplicateInterval {
                        queue,
                        first_line: first,
                    },
                );
                continue;
            }
            rows.push(ForecastRow {
                line,
                start,
                queue,
                volume,
                aht_s,
                patience_s,
                interval_minutes: interval_minutes.unwrap_or(default_interval_minutes),
            });
        }
    }
    if table.records.is_empty() {
        errors.whole(1, RowProblem::NoRows);
    }
    errors.finish()?;
    Ok(Forecast {
        source: file.to_string(),
        rows,
        columns: table
            .cols
            .into_iter()
            .map(|(k, v)| (k.to_string(), v))
            .collect(),
    })
}

/// Reads a vendor's staffing CSV named `file` (for messages). Every bad value is reported at
/// once ([`PlanningError::InvalidRows`]).
pub fn parse_staffing(
    bytes: &[u8],
    file: &str,
    tz: &TimeZone,
) -> Result<VendorStaffing, PlanningError> {
    let table = read_table(bytes, file, &["interval_start", "queue", "agents"], &[])?;
    let mut errors = Problems {
        file,
        list: Vec::new(),
    };
    let mut agents: HashMap<(i64, String), (u32, usize)> = HashMap::new();
    let (cs, cq, ca) = (
        table.cols.get("interval_start").copied().unwrap_or(0),
        table.cols.get("queue").copied().unwrap_or(1),
        table.cols.get("agents").copied().unwrap_or(2),
    );
    for (line, rec) in &table.records {
        let line = *line;
        let raw_s = rec.get(cs).unwrap_or("");
        let raw_q = rec.get(cq).unwrap_or("");
        let raw_a = rec.get(ca).unwrap_or("");
        let start = parse_start(raw_s, tz);
        if start.is_none() {
            errors.at(
                line,
                cs,
                "interval_start",
                RowProblem::NotATimestamp {
                    raw: raw_s.to_string(),
                    explain: false,
                },
            );
        }
        if raw_q.is_empty() {
            errors.at(line, cq, "queue", RowProblem::MissingValue);
        }
        let n = match parse_num(raw_a) {
            Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= f64::from(MAX_AGENTS) => Some(v as u32),
            Some(v) if v > f64::from(MAX_AGENTS) => {
                errors.at(
                    line,
                    ca,
                    "agents",
                    RowProblem::Planning(PlanningError::AgentsOutOfRange {
                        value: v.min(u64::MAX as f64) as u64,
                    }),
                );
                None
            }
            _ => {
                errors.at(
                    line,
                    ca,
                    "agents",
                    RowProblem::NotWholeAgents {
                        raw: raw_a.to_string(),
                    },
                );
                None
            }
        };
        if let (Some(s), Some(n)) = (start, n)
            && !raw_q.is_empty()
        {
            let key = (s.as_millisecond(), raw_q.to_string());
            if let Some((_, first)) = agents.get(&key) {
                errors.whole(
                    line,
                    RowProblem::DuplicateStaffing {
                        start: raw_s.to_string(),
                        queue: raw_q.to_string(),
                        first_line: *first,
                    },
                );
            } else {
                agents.insert(key, (n, line));
            }
        }
    }
    errors.finish()?;
    Ok(VendorStaffing {
        file: file.to_string(),
        agents,
    })
}

/// `YYYY-MM-DD HH:MM` local and RFC 3339 with the zone's offset, formatted by hand (this runs
/// for every row of a plan).
pub(crate) fn local_and_rfc3339(ts: Timestamp, tz: &TimeZone) -> (String, String) {
    let offset = tz.to_offset(ts);
    let dt = offset.to_datetime(ts);
    let secs = offset.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let (oh, om) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
    let date = format!("{:04}-{:02}-{:02}", dt.year(), dt.month(), dt.day());
    (
        format!("{date} {:02}:{:02}", dt.hour(), dt.minute()),
        format!(
            "{date}T{:02}:{:02}:{:02}{sign}{oh:02}:{om:02}",
            dt.hour(),
            dt.minute(),
            dt.second()
        ),
    )
}

/// The rows as a forecast CSV (what [`parse_forecast`] reads), starts in RFC 3339 with `tz`'s
/// offset.
pub fn forecast_csv(rows: &[ForecastRow], tz: &TimeZone) -> Result<String, PlanningError> {
    let err = |e: &dyn std::fmt::Display| PlanningError::ForecastCsv {
        detail: e.to_string(),
    };
    let mut w = csv::Writer::from_writer(Vec::new());
    w.write_record([
        "interval_start",
        "queue",
        "volume",
        "aht_s",
        "patience_s",
        "interval_minutes",
    ])
    .map_err(|e| err(&e))?;
    for r in rows {
        w.write_record([
            local_and_rfc3339(r.start, tz).1,
            r.queue.clone(),
            format!("{:.3}", r.volume),
            format!("{:.1}", r.aht_s),
            r.patience_s.map(|p| format!("{p:.1}")).unwrap_or_default(),
            format!("{}", r.interval_minutes),
        ])
        .map_err(|e| err(&e))?;
    }
    let bytes = w.into_inner().map_err(|e| err(&e))?;
    String::from_utf8(bytes).map_err(|e| err(&e))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn tz() -> TimeZone {
        TimeZone::get("Asia/Manila").expect("zone")
    }

    #[test]
    fn a_forecast_reads_and_writes_back() {
        let text = "Interval_Start,queue,volume,aht_s,patience_s\n\
                    2026-11-02 08:00,cards,100,180,\n\
                    2026-11-02T08:30:00+08:00,cards,90.5,200,60\n";
        let f = parse_forecast(text.as_bytes(), "f.csv", &tz(), 30.0, None).expect("valid");
        assert_eq!(f.rows.len(), 2);
        assert_eq!(f.rows[0].line, 2);
        assert_eq!(f.rows[1].patience_s, Some(60.0));
        assert_eq!(f.rows[1].interval_minutes, 30.0);
        assert_eq!(f.columns.get("patience_s"), Some(&4));
        let csv = forecast_csv(&f.rows, &tz()).expect("written");
        let again = parse_forecast(csv.as_bytes(), "g.csv", &tz(), 30.0, None).expect("valid");
        assert_eq!(again.rows[0].start, f.rows[0].start);
        assert_eq!(again.rows[1].volume, 90.5);
    }

    #[test]
    fn bad_values_are_located_all_at_once() {
        let text = "interval_start,queue,volume,aht_s\n\
                    yesterday,cards,0,x\n\
                    2026-11-02 08:00,,10,100\n";
        let Err(PlanningError::InvalidRows { file, errors }) =
            parse_forecast(text.as_bytes(), "f.csv", &tz(), 30.0, None)
        else {
            panic!("rows should be refused");
        };
        assert_eq!(file, "f.csv");
        let en: Vec<String> = errors
            .iter()
            .map(|e| e.message(pacta_core::Lang::En))
            .collect();
        assert_eq!(en.len(), 4, "{en:?}");
        assert!(en[0].starts_with("f.csv:2:1: column `interval_start`: `yesterday` is not"));
        assert_eq!(
            en[1],
            "f.csv:2:3: column `volume`: must be greater than 0, got `0` (leave intervals without calls out of the forecast)"
        );
        assert_eq!(en[2], "f.csv:2:4: column `aht_s`: `x` is not a number");
        assert_eq!(en[3], "f.csv:3:2: column `queue`: missing value");
        assert_eq!(
            errors[3].message(pacta_core::Lang::Es),
            "f.csv:3:2: columna `queue`: falta el valor"
        );
    }

    #[test]
    fn a_missing_column_names_every_required_one() {
        let e = parse_forecast(b"interval_start,queue\n", "f.csv", &tz(), 30.0, None)
            .expect_err("no volume");
        assert_eq!(
            e.to_string(),
            "f.csv:1: missing column `volume` (need interval_start, queue, volume, aht_s)"
        );
    }

    #[test]
    fn staffing_rows_are_checked() {
        let text = "interval_start,queue,agents\n\
                    2026-11-02 08:00,cards,14\n\
                    2026-11-02 08:00,cards,15\n\
                    2026-11-02 08:30,cards,1.5\n";
        let Err(PlanningError::InvalidRows { errors, .. }) =
            parse_staffing(text.as_bytes(), "s.csv", &tz())
        else {
            panic!("rows should be refused");
        };
        let en: Vec<String> = errors
            .iter()
            .map(|e| e.message(pacta_core::Lang::En))
            .collect();
        assert_eq!(
            en,
            [
                "s.csv:3: duplicate interval `2026-11-02 08:00` for queue `cards` (first on line 2)",
                "s.csv:4:3: column `agents`: `1.5` is not a whole number of agents (0 or more)",
            ]
        );
        let ok = parse_staffing(
            b"interval_start,queue,agents\n2026-11-02 08:00,cards,14\n",
            "s",
            &tz(),
        )
        .expect("valid");
        let start = parse_start("2026-11-02 08:00", &tz()).expect("start");
        assert_eq!(ok.agents(start, "cards"), Some(14));
        assert_eq!(ok.agents(start, "retail"), None);
    }
}
