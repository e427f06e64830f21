//! The other inputs — surveys, QA evaluations, roster, training, agent days, incidents,
//! vendor invoices — imported from CSV (comma-separated, header row, UTF-8) and stored as
//! Parquet under `<kind>/contract=<id>/part-<batch>.parquet`.
//!
//! Columns (required in **bold**; empty optional cells are absent; timestamps ISO 8601,
//! naive ones in the import time zone; dates `YYYY-MM-DD`; booleans `yes/no`, `true/false`,
//! `1/0`, `sí/si`; decimals with `.`):
//!
//! | kind | columns | one record per | duplicate key |
//! |---|---|---|---|
//! | `surveys` | **interaction_id**, **answered_at**, csat (1–5), nps (0–10), resolved | row | interaction_id |
//! | `qa` | **evaluation_id**, interaction_id, **agent_key**, **evaluated_at**, **item**, **score**, **max**, weight (default 1), critical (default no) | evaluation (rows grouped by evaluation_id) | evaluation_id/item |
//! | `roster` | **agent_key**, site, **hired_on**, left_on, separation (`voluntary`/`involuntary`) | row | agent_key/hired_on |
//! | `training` | **agent_key**, **date**, **hours**, **kind** (`initial`/`ongoing`) | row | agent_key/date/kind |
//! | `agent-days` | **agent_key**, **date**, **scheduled_min**, **logged_min**, adherent_min, handling_min, available_min, night_min (default 0) | row | agent_key/date |
//! | `incidents` | **incident_id**, **kind** (`outage`/`force_majeure`/`security_breach`/`client_caused`), **start**, **end**, queues (`;`-separated, empty = all), **declared_by**, **accepted** | row | incident_id |
//! | `invoices` | **invoice_id**, **period** (`YYYY-MM`), **item**, **quantity**, **unit**, **rate**, **amount**, **currency** | invoice (rows grouped by invoice_id) | invoice_id/item |
//!
//! Rows are stored one per source row (QA items, invoice lines) and grouped when loaded.

use std::collections::{BTreeMap, HashSet};
use std::fs::File;
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::Arc;

use arrow_array::cast::AsArray;
use arrow_array::types::{Date32Type, Int64Type, TimestampMillisecondType};
use arrow_array::{
    Array, ArrayRef, BooleanArray, Date32Array, Int64Array, RecordBatch, StringArray,
    TimestampMillisecondArray,
};
use arrow_schema::{DataType, Field, Schema, TimeUnit};
use jiff::Timestamp;
use jiff::civil::Date;
use jiff::tz::TimeZone;
use parquet::arrow::ArrowWriter;
use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
use rust_decimal::Decimal;

use crate::import::CsvFile;
use crate::model::{
    AgentDay, Incident, IncidentKind, InvoiceLine, QaEvaluation, QaItem, RosterEntry, Separation,
    Survey, TrainingKind, TrainingRecord, VendorInvoice,
};
use crate::report::{ImportReport, Quarantined, source_file};
use crate::store::{BatchRecord, CommitOptions, CommitSummary, Manifest, PartFile, Store, counts};
use crate::time::TimestampParser;
use crate::{DataError, Result};

/// The other kinds of input.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RecordKind {
    /// Surveys.
    Surveys,
    /// QA evaluation items.
    Qa,
    /// Roster.
    Roster,
    /// Training records.
    Training,
    /// Agent days.
    AgentDays,
    /// Incidents.
    Incidents,
    /// Vendor invoice lines.
    Invoices,
}

/// Type of a column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ColType {
    /// Text.
    Str,
    /// Integer.
    Int,
    /// Exact decimal (stored as text).
    Dec,
    /// Boolean.
    Bool,
    /// Instant (UTC ms).
    Ts,
    /// Civil date.
    Date,
}

/// A cell value.
#[derive(Debug, Clone, PartialEq)]
pub enum Cell {
    /// Absent.
    Null,
    /// Text or decimal text.
    Str(String),
    /// Integer.
    Int(i64),
    /// Boolean.
    Bool(bool),
    /// Instant, UTC ms.
    Ts(i64),
    /// Date.
    Date(Date),
}

type Spec = (&'static str, ColType, bool, &'static [&'static str]);

impl RecordKind {
    /// Directory / manifest name.
    pub fn as_str(self) -> &'static str {
        match self {
            RecordKind::Surveys => "surveys",
            RecordKind::Qa => "qa",
            RecordKind::Roster => "roster",
            RecordKind::Training => "training",
            RecordKind::AgentDays => "agent-days",
            RecordKind::Incidents => "incidents",
            RecordKind::Invoices => "invoices",
        }
    }

    /// Columns: (name, type, required, allowed values).
    pub fn columns(self) -> &'static [Spec] {
        use ColType::*;
        match self {
            RecordKind::Surveys => &[
                ("interaction_id", Str, true, &[]),
                ("answered_at", Ts, true, &[]),
                ("csat", Int, false, &[]),
                ("nps", Int, false, &[]),
                ("resolved", Bool, false, &[]),
            ],
            RecordKind::Qa => &[
                ("evaluation_id", Str, true, &[]),
                ("interaction_id", Str, false, &[]),
                ("agent_key", Str, true, &[]),
                ("evaluated_at", Ts, true, &[]),
                ("item", Str, true, &[]),
                ("score", Dec, true, &[]),
                ("max", Dec, true, &[]),
                ("weight", Dec, false, &[]),
                ("critical", Bool, false, &[]),
            ],
            RecordKind::Roster => &[
                ("agent_key", Str, true, &[]),
                ("site", Str, false, &[]),
                ("hired_on", Date, true, &[]),
                ("left_on", Date, false, &[]),
                ("separation", Str, false, &["voluntary", "involuntary"]),
            ],
            RecordKind::Training => &[
                ("agent_key", Str, true, &[]),
                ("date", Date, true, &[]),
                ("hours", Dec, true, &[]),
                ("kind", Str, true, &["initial", "ongoing"]),
            ],
            RecordKind::AgentDays => &[
                ("agent_key", Str, true, &[]),
                ("date", Date, true, &[]),
                ("scheduled_min", Int, true, &[]),
                ("logged_min", Int, true, &[]),
                ("adherent_min", Int, false, &[]),
                ("handling_min", Int, false, &[]),
                ("available_min", Int, false, &[]),
                ("night_min", Int, false, &[]),
            ],
            RecordKind::Incidents => &[
                ("incident_id", Str, true, &[]),
                (
                    "kind",
                    Str,
                    true,
                    &[
                        "outage",
                        "force_majeure",
                        "security_breach",
                        "client_caused",
                    ],
                ),
                ("start", Ts, true, &[]),
                ("end", Ts, true, &[]),
                ("queues", Str, false, &[]),
                ("declared_by", Str, true, &[]),
                ("accepted", Bool, true, &[]),
            ],
            RecordKind::Invoices => &[
                ("invoice_id", Str, true, &[]),
                ("period", Str, true, &[]),
                ("item", Str, true, &[]),
                ("quantity", Dec, true, &[]),
                ("unit", Str, true, &[]),
                ("rate", Dec, true, &[]),
                ("amount", Dec, true, &[]),
                ("currency", Str, true, &[]),
            ],
        }
    }

    fn key_columns(self) -> &'static [&'static str] {
        match self {
            RecordKind::Surveys => &["interaction_id"],
            RecordKind::Qa => &["evaluation_id", "item"],
            RecordKind::Roster => &["agent_key", "hired_on"],
            RecordKind::Training => &["agent_key", "date", "kind"],
            RecordKind::AgentDays => &["agent_key", "date"],
            RecordKind::Incidents => &["incident_id"],
            RecordKind::Invoices => &["invoice_id", "item"],
        }
    }
}

impl FromStr for RecordKind {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Ok(match s {
            "surveys" => RecordKind::Surveys,
            "qa" => RecordKind::Qa,
            "roster" => RecordKind::Roster,
            "training" => RecordKind::Training,
            "agent-days" | "agent_days" => RecordKind::AgentDays,
            "incidents" => RecordKind::Incidents,
            "invoices" => RecordKind::Invoices,
            other => return Err(format!("unknown kind `{other}`")),
        })
    }
}

/// Rows of one kind, typed by [`RecordKind::columns`], with their duplicate keys.
#[derive(Debug, Clone)]
pub struct RecordTable {
    /// Kind.
    pub kind: RecordKind,
    /// Rows, cells in column order.
    pub rows: Vec<Vec<Cell>>,
    /// Duplicate key of each row.
    pub keys: Vec<String>,
    /// Row accounting.
    pub report: ImportReport,
}

fn parse_bool(s: &str) -> Option<bool> {
    match s.trim().to_lowercase().as_str() {
        "yes" | "y" | "true" | "1" | "sí" | "si" | "s" => Some(true),
        "no" | "n" | "false" | "0" => Some(false),
        _ => None,
    }
}

/// Imports CSV files of one kind.
pub fn import(kind: RecordKind, paths: &[&Path], tz: &TimeZone) -> Result<RecordTable> {
    let specs = kind.columns();
    let required: Vec<&str> = specs.iter().filter(|s| s.2).map(|s| s.0).collect();
    let mut table = RecordTable {
        kind,
        rows: Vec::new(),
        keys: Vec::new(),
        report: ImportReport::default(),
    };
    let mut tp = TimestampParser::new(None, tz.clone());
    let key_idx: Vec<usize> = kind
        .key_columns()
        .iter()
        .filter_map(|k| specs.iter().position(|s| s.0 == *k))
        .collect();
    let mut groups: HashSet<String> = HashSet::new();
    for path in paths {
        let mut f = CsvFile::open(path, b',', &required)?;
        table.report.files.push(source_file(path)?);
        let idx: Vec<Option<usize>> = specs.iter().map(|s| f.col(s.0)).collect();
        let ncols = f.header.len();
        let name = f.name.clone();
        let mut rec = csv::StringRecord::new();
        loop {
            match f.reader.read_record(&mut rec) {
                Ok(true) => {}
                Ok(false) => break,
                Err(e) => return Err(crate::import::csv_error(&name, &e)),
            }
            table.report.rows_read += 1;
            let line = rec.position().map_or(0, csv::Position::line);
            if rec.len() != ncols {
                table.report.quarantined.push(Quarantined::new(
                    &name,
                    line,
                    "*",
                    &format!("{} field(s)", rec.len()),
                    format!(
                        "row has {} field(s), expected {ncols} (truncated row?)",
                        rec.len()
                    ),
                ));
                continue;
            }
            let mut row = Vec::with_capacity(specs.len());
            let mut bad = None;
            for (spec, i) in specs.iter().zip(&idx) {
                let v = i.and_then(|i| rec.get(i)).unwrap_or("").trim();
                let cell = if v.is_empty() {
                    if spec.2 {
                        Err(format!("empty required field `{}`", spec.0))
                    } else {
                        Ok(Cell::Null)
                    }
                } else if !spec.3.is_empty() && !spec.3.contains(&v.to_lowercase().as_str()) {
                    Err(format!("expected one of {}", spec.3.join(", ")))
                } else {
                    match spec.1 {
                        ColType::Str if spec.3.is_empty() => Ok(Cell::Str(v.to_string())),
                        ColType::Str => Ok(Cell::Str(v.to_lowercase())),
                        ColType::Int => v
                            .parse::<i64>()
                            .map(Cell::Int)
                            .map_err(|_| "not an integer".to_string()),
                        ColType::Dec => Decimal::from_str(v)
                            .map(|d| Cell::Str(d.normalize().to_string()))
                            .map_err(|_| "not a decimal number".to_string()),
                        ColType::Bool => parse_bool(v)
                            .map(Cell::Bool)
                            .ok_or_else(|| "not yes/no".to_string()),
                        ColType::Ts => tp.parse(v).map(Cell::Ts),
                        ColType::Date => v
                            .parse::<Date>()
                            .map(Cell::Date)
                            .map_err(|_| "not a date YYYY-MM-DD".to_string()),
                    }
                };
                match cell {
                    Ok(c) => row.push(c),
                    Err(reason) => {
                        bad = Some(Quarantined::new(&name, line, spec.0, v, reason));
                        break;
                    }
                }
            }
            if bad.is_none() {
                bad = check_row(kind, &row).map(|(field, reason)| {
                    Quarantined::new(
                        &name,
                        line,
                        field,
                        &cell_text(&row[specs.iter().position(|s| s.0 == field).unwrap_or(0)]),
                        reason,
                    )
                });
            }
            if let Some(q) = bad {
                table.report.quarantined.push(q);
                continue;
            }
            let key = key_idx
                .iter()
                .map(|&i| cell_text(&row[i]))
                .collect::<Vec<_>>()
                .join("/");
            // QA items and invoice lines fold into one record per evaluation / invoice.
            if matches!(kind, RecordKind::Qa | RecordKind::Invoices) {
                if groups.insert(cell_text(&row[0])) {
                    table.report.imported += 1;
                } else {
                    table.report.merged += 1;
                }
            } else {
                table.report.imported += 1;
            }
            table.keys.push(key);
            table.rows.push(row);
        }
    }
    Ok(table)
}

fn check_row(kind: RecordKind, row: &[Cell]) -> Option<(&'static str, String)> {
    let int = |i: usize| match &row[i] {
        Cell::Int(v) => Some(*v),
        _ => None,
    };
    match kind {
        RecordKind::Surveys => {
            if int(2).is_some_and(|v| !(1..=5).contains(&v)) {
                return Some(("csat", "CSAT must be 1–5".into()));
            }
            if int(3).is_some_and(|v| !(0..=10).contains(&v)) {
                return Some(("nps", "NPS answer must be 0–10".into()));
            }
        }
        RecordKind::AgentDays => {
            for (i, s) in RecordKind::AgentDays.columns().iter().enumerate().skip(2) {
                if int(i).is_some_and(|v| !(0..=1440).contains(&v)) {
                    return Some((s.0, "minutes must be 0–1440".into()));
                }
            }
        }
        RecordKind::Incidents => {
            if let (Cell::Ts(a), Cell::Ts(b)) = (&row[2], &row[3])
                && b < a
            {
                return Some(("end", "end before start".into()));
            }
        }
        RecordKind::Invoices => {
            if let Cell::Str(p) = &row[1]
                && pacta_core::Month::parse(p).is_err()
            {
                return Some(("period", "not a month YYYY-MM".into()));
            }
        }
        _ => {}
    }
    None
}

fn cell_text(c: &Cell) -> String {
    match c {
        Cell::Null => String::new(),
        Cell::Str(s) => s.clone(),
        Cell::Int(v) | Cell::Ts(v) => v.to_string(),
        Cell::Bool(b) => b.to_string(),
        Cell::Date(d) => d.to_string(),
    }
}

fn arrow_type(t: ColType) -> DataType {
    match t {
        ColType::Str | ColType::Dec => DataType::Utf8,
        ColType::Int => DataType::Int64,
        ColType::Bool => DataType::Boolean,
        ColType::Ts => DataType::Timestamp(TimeUnit::Millisecond, Some("UTC".into())),
        ColType::Date => DataType::Date32,
    }
}

fn days(d: Date) -> i32 {
    d.since(Date::constant(1970, 1, 1))
        .map_or(0, |s| s.get_days())
}

fn write_parquet(path: &Path, kind: RecordKind, rows: &[&Vec<Cell>], keys: &[&str]) -> Result<()> {
    let specs = kind.columns();
    let mut fields = vec![Field::new("record_key", DataType::Utf8, false)];
    fields.extend(specs.iter().map(|s| Field::new(s.0, arrow_type(s.1), !s.2)));
    let schema = Arc::new(Schema::new(fields));
    let mut cols: Vec<ArrayRef> = vec![Arc::new(StringArray::from_iter_values(keys.iter()))];
    for (i, s) in specs.iter().enumerate() {
        let col: ArrayRef = match s.1 {
            ColType::Str | ColType::Dec => Arc::new(
                rows.iter()
                    .map(|r| match &r[i] {
                        Cell::Str(v) => Some(v.as_str()),
                        _ => None,
                    })
                    .collect::<StringArray>(),
            ),
            ColType::Int => Arc::new(
                rows.iter()
                    .map(|r| match &r[i] {
                        Cell::Int(v) => Some(*v),
                        _ => None,
                    })
                    .collect::<Int64Array>(),
            ),
            ColType::Bool => Arc::new(
                rows.iter()
                    .map(|r| match &r[i] {
                        Cell::Bool(v) => Some(*v),
                        _ => None,
                    })
                    .collect::<BooleanArray>(),
            ),
            ColType::Ts => Arc::new(
                rows.iter()
                    .map(|r| match &r[i] {
                        Cell::Ts(v) => Some(*v),
                        _ => None,
                    })
                    .collect::<TimestampMillisecondArray>()
                    .with_timezone("UTC"),
            ),
            ColType::Date => Arc::new(
                rows.iter()
                    .map(|r| match &r[i] {
                        Cell::Date(d) => Some(days(*d)),
                        _ => None,
                    })
                    .collect::<Date32Array>(),
            ),
        };
        cols.push(col);
    }
    let rb = RecordBatch::try_new(schema.clone(), cols)?;
    let file = File::create(path).map_err(|e| DataError::io(path, e))?;
    let mut w = ArrowWriter::try_new(file, schema, None).map_err(|e| DataError::pq(path, e))?;
    w.write(&rb).map_err(|e| DataError::pq(path, e))?;
    let file = w.into_inner().map_err(|e| DataError::pq(path, e))?;
    file.sync_all().map_err(|e| DataError::io(path, e))
}

/// Reads a records file into `out`; `with_keys`: also each row's duplicate key (only a
/// commit needs them).
fn read_parquet(
    path: &Path,
    kind: RecordKind,
    out: &mut RecordTable,
    with_keys: bool,
) -> Result<()> {
    let specs = kind.columns();
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.build())
        .map_err(|e| DataError::pq(path, e))?;
    for rb in reader {
        let rb = rb?;
        let keys = rb.column(0).as_string::<i32>();
        for r in 0..rb.num_rows() {
            if with_keys {
                out.keys.push(keys.value(r).to_string());
            }
            let mut row = Vec::with_capacity(specs.len());
            for (i, s) in specs.iter().enumerate() {
                let col = rb.column(i + 1);
                if col.is_null(r) {
                    row.push(Cell::Null);
                    continue;
                }
                row.push(match s.1 {
                    ColType::Str | ColType::Dec => {
                        Cell::Str(col.as_string::<i32>().value(r).to_string())
                    }
                    ColType::Int => Cell::Int(col.as_primitive::<Int64Type>().value(r)),
                    ColType::Bool => Cell::Bool(col.as_boolean().value(r)),
                    ColType::Ts => {
                        Cell::Ts(col.as_primitive::<TimestampMillisecondType>().value(r))
                    }
                    ColType::Date => Cell::Date(
                        Date::constant(1970, 1, 1)
                            .checked_add(
                                jiff::Span::new()
                                    .days(i64::from(col.as_primitive::<Date32Type>().value(r))),
                            )
                            .unwrap_or(Date::constant(1970, 1, 1)),
                    ),
                });
            }
            out.rows.push(row);
        }
    }
    Ok(())
}

impl Store {
    /// Writes records of one kind for a contract as one batch (duplicates by key skipped).
    pub fn commit_records(
        &self,
        contract_id: &str,
        table: &RecordTable,
        now: Timestamp,
        opts: &CommitOptions,
    ) -> Result<CommitSummary> {
        let kind = table.kind.as_str();
        let _lock = self.lock_writer(now, opts.wait)?;
        let mut manifest = self.manifest()?;
        let existing = self.load_records(contract_id, table.kind)?;
        let mut seen: HashSet<u128> = existing
            .keys
            .iter()
            .map(|k| self.pseudonymizer().id_hash(k))
            .collect();
        let mut rows = Vec::new();
        let mut keys = Vec::new();
        let mut dups = 0u64;
        for (row, key) in table.rows.iter().zip(&table.keys) {
            if seen.insert(self.pseudonymizer().id_hash(key)) {
                rows.push(row);
                keys.push(key.as_str());
            } else {
                dups += 1;
            }
        }
        let mut summary = CommitSummary {
            duplicates_skipped: dups,
            ..CommitSummary::default()
        };
        if rows.is_empty() {
            return Ok(summary);
        }
        // Stable content whatever the input order.
        let mut order: Vec<usize> = (0..rows.len()).collect();
        order.sort_by(|&a, &b| keys[a].cmp(keys[b]));
        let rows: Vec<&Vec<Cell>> = order.iter().map(|&i| rows[i]).collect();
        let keys: Vec<&str> = order.iter().map(|&i| keys[i]).collect();
        if contract_id.contains(['/', '\\']) || contract_id.starts_with('.') {
            return Err(DataError::Store {
                path: self.dir().to_path_buf(),
                message: format!("bad contract id `{contract_id}`"),
            });
        }
        let batch_id = Store::next_batch_id_pub(&mut manifest);
        let rel = format!("{kind}/contract={contract_id}/part-{batch_id}.parquet");
        self.commit_files(
            &batch_id,
            1,
            |_, p| write_parquet(p, table.kind, &rows, &keys),
            std::slice::from_ref(&rel),
            opts,
        )?;
        summary.written = rows.len() as u64;
        let mut files = vec![PartFile {
            path: rel.clone(),
            month: None,
            rows: summary.written,
            bytes: None,
            blake3: None,
        }];
        if let Err(e) = self.seal(&mut files) {
            let _ = std::fs::remove_file(self.dir().join(&rel));
            return Err(e);
        }
        manifest.batches.push(BatchRecord {
            supersedes: Vec::new(),
            id: batch_id.clone(),
            kind: kind.to_string(),
            contract: contract_id.to_string(),
            imported_at: now,
            sources: table.report.files.clone(),
            counts: counts(&table.report, summary.written, dups),
            files,
        });
        if let Err(e) = self.write_manifest_pub(&manifest) {
            let _ = std::fs::remove_file(self.dir().join(&rel));
            return Err(e);
        }
        summary.batch = Some(batch_id);
        Ok(summary)
    }

    /// The vendor invoices stored for a contract whose period is `month`, invoices in id
    /// order and each one's lines in stored order; empty when none is stored.
    ///
    /// Unlike [`RecordTable::invoices`], a stored value that is not what the invoice kind
    /// declares (an amount that is not a decimal, a missing item) is an error located at its
    /// file and row ([`DataError::Malformed`], the row counted from 1 in that Parquet file),
    /// not a zero: these are the lines a settlement reconciles against.
    pub fn load_vendor_invoices(
        &self,
        contract_id: &str,
        month: pacta_core::Month,
    ) -> Result<Vec<VendorInvoice>> {
        let m = self.manifest()?;
        let kind = RecordKind::Invoices;
        let mut by: BTreeMap<String, VendorInvoice> = BTreeMap::new();
        for b in m
            .batches
            .iter()
            .filter(|b| b.kind == kind.as_str() && b.contract == contract_id)
        {
            for f in &b.files {
                let path = self.checked_path(b, f)?;
                let mut t = RecordTable {
                    kind,
                    rows: Vec::new(),
                    keys: Vec::new(),
                    report: ImportReport::default(),
                };
                read_parquet(&path, kind, &mut t, false)?;
                for (n, row) in t.rows.iter().enumerate() {
                    let at = InvoiceCells {
                        path: &path,
                        row: n as u64 + 1,
                        cells: row,
                    };
                    let period = at.text(1)?;
                    if pacta_core::Month::parse(&period)
                        .map_err(|_| at.bad(1, "not a month YYYY-MM"))?
                        != month
                    {
                        continue;
                    }
                    let id = at.text(0)?;
                    let line = InvoiceLine {
                        item: at.text(2)?,
                        quantity: at.decimal(3)?,
                        unit: at.text(4)?,
                        rate: at.decimal(5)?,
                        amount: at.decimal(6)?,
                        currency: at.text(7)?,
                    };
                    by.entry(id.clone())
                        .or_insert_with(|| VendorInvoice {
                            invoice_id: id,
                            period,
                            lines: Vec::new(),
                        })
                        .lines
                        .push(line);
                }
            }
        }
        Ok(by.into_values().collect())
    }

    /// All stored records of a kind for a contract.
    pub fn load_records(&self, contract_id: &str, kind: RecordKind) -> Result<RecordTable> {
        self.read_records(contract_id, kind, true)
    }

    /// Like [`Store::load_records`], without the rows' duplicate keys
    /// ([`RecordTable::keys`] stays empty): what reading a month for settlement needs.
    pub fn load_record_rows(&self, contract_id: &str, kind: RecordKind) -> Result<RecordTable> {
        self.read_records(contract_id, kind, false)
    }

    fn read_records(
        &self,
        contract_id: &str,
        kind: RecordKind,
        with_keys: bool,
    ) -> Result<RecordTable> {
        let m = self.manifest()?;
        let mut t = RecordTable {
            kind,
            rows: Vec::new(),
            keys: Vec::new(),
            report: ImportReport::default(),
        };
        for b in m
            .batches
            .iter()
            .filter(|b| b.kind == kind.as_str() && b.contract == contract_id)
        {
            for f in &b.files {
                read_parquet(&self.checked_path(b, f)?, kind, &mut t, with_keys)?;
            }
        }
        Ok(t)
    }

    /// Every QA evaluation of a contract, as [`RecordTable::qa_evaluations`] gives them from
    /// [`Store::load_records`] (in evaluation-id order), read from the typed columns.
    pub fn load_qa(&self, contract_id: &str) -> Result<Vec<QaEvaluation>> {
        let m = self.manifest()?;
        let (mut index, mut out) = (std::collections::HashMap::new(), Vec::new());
        for b in m
            .batches
            .iter()
            .filter(|b| b.kind == RecordKind::Qa.as_str() && b.contract == contract_id)
        {
            for f in &b.files {
                read_qa(&self.checked_path(b, f)?, &mut index, &mut out)?;
            }
        }
        out.sort_unstable_by(|a, b| a.evaluation_id.cmp(&b.evaluation_id));
        Ok(out)
    }

    /// Every survey answer of a contract, as [`RecordTable::surveys`] gives them from
    /// [`Store::load_records`], read from the typed columns without the generic cells
    /// (surveys are about one contact in ten: a million rows in a large month).
    pub fn load_surveys(&self, contract_id: &str) -> Result<Vec<Survey>> {
        let m = self.manifest()?;
        let mut out = Vec::new();
        for b in m
            .batches
            .iter()
            .filter(|b| b.kind == RecordKind::Surveys.as_str() && b.contract == contract_id)
        {
            for f in &b.files {
                read_surveys(&self.checked_path(b, f)?, &mut out)?;
            }
        }
        Ok(out)
    }
}

/// The QA rows of one file, typed, grouped into `out` by evaluation id (`index`: position
/// of each id in `out`), with [`RecordTable::qa_evaluations`]' defaults for absent values.
fn read_qa(
    path: &Path,
    index: &mut std::collections::HashMap<String, usize>,
    out: &mut Vec<QaEvaluation>,
) -> Result<()> {
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.with_batch_size(1 << 16).build())
        .map_err(|e| DataError::pq(path, e))?;
    let unexpected = |what: &str| DataError::Store {
        path: path.to_path_buf(),
        message: format!("QA file: column {what} has an unexpected type"),
    };
    // Scores, maxima and weights repeat (a form's few levels): parse each text once.
    let mut decimals: std::collections::HashMap<String, Decimal> = std::collections::HashMap::new();
    let mut decimal = |text: &str| -> Decimal {
        if let Some(d) = decimals.get(text) {
            return *d;
        }
        let d = Decimal::from_str(text).unwrap_or_default();
        decimals.insert(text.to_string(), d);
        d
    };
    fn get(a: &arrow_array::StringArray, r: usize) -> Option<&str> {
        (!a.is_null(r)).then(|| a.value(r))
    }
    for rb in reader {
        let rb = rb?;
        if rb.num_columns() < 10 {
            return Err(unexpected("count"));
        }
        let text = |i: usize, name: &str| {
            rb.column(i)
                .as_string_opt::<i32>()
                .ok_or_else(|| unexpected(name))
        };
        let (eval, interaction, agent) = (
            text(1, "evaluation_id")?,
            text(2, "interaction_id")?,
            text(3, "agent_key")?,
        );
        let at = rb
            .column(4)
            .as_primitive_opt::<TimestampMillisecondType>()
            .ok_or_else(|| unexpected("evaluated_at"))?;
        let (item, score, max, weight) = (
            text(5, "item")?,
            text(6, "score")?,
            text(7, "max")?,
            text(8, "weight")?,
        );
        let critical = rb
            .column(9)
            .as_boolean_opt()
            .ok_or_else(|| unexpected("critical"))?;
        for r in 0..rb.num_rows() {
            let id = get(eval, r).unwrap_or_default();
            let k = match index.get(id) {
                Some(&k) => k,
                None => {
                    index.insert(id.to_string(), out.len());
                    out.push(QaEvaluation {
                        evaluation_id: id.to_string(),
                        interaction_id: get(interaction, r).map(str::to_string),
                        agent_key: get(agent, r).unwrap_or_default().to_string(),
                        evaluated_at_ms: if at.is_null(r) { 0 } else { at.value(r) },
                        items: Vec::new(),
                    });
                    out.len() - 1
                }
            };
            let item = QaItem {
                item: get(item, r).unwrap_or_default().to_string(),
                score: get(score, r).map(&mut decimal).unwrap_or_default(),
                max: get(max, r).map(&mut decimal).unwrap_or_default(),
                weight: get(weight, r).map_or(Decimal::ONE, &mut decimal),
                critical: !critical.is_null(r) && critical.value(r),
            };
            out[k].items.push(item);
        }
    }
    Ok(())
}

/// The surveys of one file, typed (columns as [`RecordKind::Surveys`] lists them, after the
/// key), with [`RecordTable::surveys`]' defaults for absent values.
fn read_surveys(path: &Path, out: &mut Vec<Survey>) -> Result<()> {
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let reader = ParquetRecordBatchReaderBuilder::try_new(file)
        .and_then(|b| b.with_batch_size(1 << 16).build())
        .map_err(|e| DataError::pq(path, e))?;
    let unexpected = |what: &str| DataError::Store {
        path: path.to_path_buf(),
        message: format!("surveys file: column {what} has an unexpected type"),
    };
    for rb in reader {
        let rb = rb?;
        if rb.num_columns() < 6 {
            return Err(unexpected("count"));
        }
        let ids = rb
            .column(1)
            .as_string_opt::<i32>()
            .ok_or_else(|| unexpected("interaction_id"))?;
        let at = rb
            .column(2)
            .as_primitive_opt::<TimestampMillisecondType>()
            .ok_or_else(|| unexpected("answered_at"))?;
        let csat = rb
            .column(3)
            .as_primitive_opt::<Int64Type>()
            .ok_or_else(|| unexpected("csat"))?;
        let nps = rb
            .column(4)
            .as_primitive_opt::<Int64Type>()
            .ok_or_else(|| unexpected("nps"))?;
        let resolved = rb
            .column(5)
            .as_boolean_opt()
            .ok_or_else(|| unexpected("resolved"))?;
        let small = |a: &arrow_array::Int64Array, r: usize| {
            (!a.is_null(r))
                .then(|| a.value(r))
                .and_then(|v| u8::try_from(v).ok())
        };
        out.reserve(rb.num_rows());
        for r in 0..rb.num_rows() {
            out.push(Survey {
                interaction_id: if ids.is_null(r) {
                    String::new()
                } else {
                    ids.value(r).to_string()
                },
                answered_at_ms: if at.is_null(r) { 0 } else { at.value(r) },
                csat: small(csat, r),
                nps: small(nps, r),
                resolved: (!resolved.is_null(r)).then(|| resolved.value(r)),
            });
        }
    }
    Ok(())
}

/// One stored invoice row, for errors located at its file and row.
struct InvoiceCells<'a> {
    path: &'a Path,
    row: u64,
    cells: &'a [Cell],
}

impl InvoiceCells<'_> {
    fn bad(&self, col: usize, what: &str) -> DataError {
        let name = RecordKind::Invoices.columns().get(col).map_or("?", |s| s.0);
        let value = self.cells.get(col).map(cell_text).unwrap_or_default();
        DataError::Malformed {
            file: self.path.display().to_string(),
            line: self.row,
            message: format!("stored invoice column `{name}` = `{value}`: {what}"),
        }
    }

    fn text(&self, col: usize) -> Result<String> {
        match self.cells.get(col) {
            Some(Cell::Str(v)) => Ok(v.clone()),
            _ => Err(self.bad(col, "missing")),
        }
    }

    fn decimal(&self, col: usize) -> Result<Decimal> {
        let v = self.text(col)?;
        Decimal::from_str(&v).map_err(|_| self.bad(col, "not a decimal number"))
    }
}

fn s(c: &Cell) -> Option<String> {
    match c {
        Cell::Str(v) => Some(v.clone()),
        _ => None,
    }
}
fn dec(c: &Cell) -> Decimal {
    s(c).and_then(|v| Decimal::from_str(&v).ok())
        .unwrap_or_default()
}
fn int(c: &Cell) -> Option<i64> {
    match c {
        Cell::Int(v) => Some(*v),
        _ => None,
    }
}
fn ts(c: &Cell) -> i64 {
    match c {
        Cell::Ts(v) => *v,
        _ => 0,
    }
}
fn date(c: &Cell) -> Option<Date> {
    match c {
        Cell::Date(d) => Some(*d),
        _ => None,
    }
}
fn boolean(c: &Cell) -> Option<bool> {
    match c {
        Cell::Bool(b) => Some(*b),
        _ => None,
    }
}
fn min(c: &Cell) -> u32 {
    int(c).and_then(|v| u32::try_from(v).ok()).unwrap_or(0)
}

impl RecordTable {
    /// Surveys.
    pub fn surveys(&self) -> Vec<Survey> {
        self.rows
            .iter()
            .map(|r| Survey {
                interaction_id: s(&r[0]).unwrap_or_default(),
                answered_at_ms: ts(&r[1]),
                csat: int(&r[2]).and_then(|v| u8::try_from(v).ok()),
                nps: int(&r[3]).and_then(|v| u8::try_from(v).ok()),
                resolved: boolean(&r[4]),
            })
            .collect()
    }

    /// QA evaluations, items grouped by evaluation id (in id order).
    pub fn qa_evaluations(&self) -> Vec<QaEvaluation> {
        let mut by: BTreeMap<String, QaEvaluation> = BTreeMap::new();
        for r in &self.rows {
            let id = s(&r[0]).unwrap_or_default();
            let e = by.entry(id.clone()).or_insert_with(|| QaEvaluation {
                evaluation_id: id,
                interaction_id: s(&r[1]),
                agent_key: s(&r[2]).unwrap_or_default(),
                evaluated_at_ms: ts(&r[3]),
                items: Vec::new(),
            });
            e.items.push(QaItem {
                item: s(&r[4]).unwrap_or_default(),
                score: dec(&r[5]),
                max: dec(&r[6]),
                weight: if r[7] == Cell::Null {
                    Decimal::ONE
                } else {
                    dec(&r[7])
                },
                critical: boolean(&r[8]).unwrap_or(false),
            });
        }
        by.into_values().collect()
    }

    /// Roster entries.
    pub fn roster(&self) -> Vec<RosterEntry> {
        self.rows
            .iter()
            .map(|r| RosterEntry {
                agent_key: s(&r[0]).unwrap_or_default(),
                site: s(&r[1]),
                hired_on: date(&r[2]).unwrap_or(Date::constant(1970, 1, 1)),
                left_on: date(&r[3]),
                separation: s(&r[4]).map(|v| {
                    if v == "voluntary" {
                        Separation::Voluntary
                    } else {
                        Separation::Involuntary
                    }
                }),
            })
            .collect()
    }

    /// Training records.
    pub fn training(&self) -> Vec<TrainingRecord> {
        self.rows
            .iter()
            .map(|r| TrainingRecord {
                agent_key: s(&r[0]).unwrap_or_default(),
                date: date(&r[1]).unwrap_or(Date::constant(1970, 1, 1)),
                hours: dec(&r[2]),
                kind: if s(&r[3]).as_deref() == Some("initial") {
                    TrainingKind::Initial
                } else {
                    TrainingKind::Ongoing
                },
            })
            .collect()
    }

    /// Agent days.
    pub fn agent_days(&self) -> Vec<AgentDay> {
        self.rows
            .iter()
            .map(|r| AgentDay {
                agent_key: s(&r[0]).unwrap_or_default(),
                date: date(&r[1]).unwrap_or(Date::constant(1970, 1, 1)),
                scheduled_min: min(&r[2]),
                logged_min: min(&r[3]),
                adherent_min: min(&r[4]),
                handling_min: min(&r[5]),
                available_min: min(&r[6]),
                night_min: min(&r[7]),
            })
            .collect()
    }

    /// Incidents.
    pub fn incidents(&self) -> Vec<Incident> {
        self.rows
            .iter()
            .map(|r| Incident {
                incident_id: s(&r[0]).unwrap_or_default(),
                kind: match s(&r[1]).as_deref() {
                    Some("outage") => IncidentKind::Outage,
                    Some("force_majeure") => IncidentKind::ForceMajeure,
                    Some("security_breach") => IncidentKind::SecurityBreach,
                    _ => IncidentKind::ClientCaused,
                },
                start_ms: ts(&r[2]),
                end_ms: ts(&r[3]),
                queues: s(&r[4])
                    .map(|q| {
                        q.split(';')
                            .map(|x| x.trim().to_string())
                            .filter(|x| !x.is_empty())
                            .collect()
                    })
                    .unwrap_or_default(),
                declared_by: s(&r[5]).unwrap_or_default(),
                accepted: boolean(&r[6]).unwrap_or(false),
            })
            .collect()
    }

    /// Vendor invoices, lines grouped by invoice id (in id order).
    pub fn invoices(&self) -> Vec<VendorInvoice> {
        let mut by: BTreeMap<String, VendorInvoice> = BTreeMap::new();
        for r in &self.rows {
            let id = s(&r[0]).unwrap_or_default();
            let inv = by.entry(id.clone()).or_insert_with(|| VendorInvoice {
                invoice_id: id,
                period: s(&r[1]).unwrap_or_default(),
                lines: Vec::new(),
            });
            inv.lines.push(InvoiceLine {
                item: s(&r[2]).unwrap_or_default(),
                quantity: dec(&r[3]),
                unit: s(&r[4]).unwrap_or_default(),
                rate: dec(&r[5]),
                amount: dec(&r[6]),
                currency: s(&r[7]).unwrap_or_default(),
            });
        }
        by.into_values().collect()
    }
}

/// CSV export of every stored record kind (one file per contract and kind).
pub(crate) fn export_csv(store: &Store, m: &Manifest, out: &Path) -> Result<Vec<PathBuf>> {
    let mut pairs: Vec<(String, String)> = m
        .batches
        .iter()
        .filter(|b| b.kind != "interactions")
        .map(|b| (b.contract.clone(), b.kind.clone()))
        .collect();
    pairs.sort();
    pairs.dedup();
    let mut written = Vec::new();
    for (contract, kind) in pairs {
        let Ok(k) = kind.parse::<RecordKind>() else {
            continue;
        };
        let t = store.load_records(&contract, k)?;
        let path = out.join(format!("{kind}-{contract}.csv"));
        let f = File::create(&path).map_err(|e| DataError::io(&path, e))?;
        let mut w = csv::Writer::from_writer(f);
        let err = |e: csv::Error| DataError::Store {
            path: path.clone(),
            message: e.to_string(),
        };
        w.write_record(k.columns().iter().map(|s| s.0))
            .map_err(err)?;
        for r in &t.rows {
            w.write_record(r.iter().map(|c| {
                match c {
                    Cell::Ts(v) => Timestamp::from_millisecond(*v)
                        .map(|t| t.to_string())
                        .unwrap_or_default(),
                    other => cell_text(other),
                }
            }))
            .map_err(err)?;
        }
        w.flush().map_err(|e| DataError::io(&path, e))?;
        written.push(path);
    }
    Ok(written)
}
