//! Importers: each maps one source format onto the canonical model; every source row is
//! imported, counted as not offered / dropped by a documented rule / merged, or quarantined
//! with its file, row, field and reason (see [`crate::report::ImportReport`]).
//!
//! | format | module |
//! |---|---|
//! | Technion "Anonymous Bank" call log | [`anonbank`] |
//! | Asterisk `queue_log`, raw or table dump | [`asterisk`] |
//! | Amazon Connect contact trace records | [`connect`] |
//! | generic CSV / JSON lines with a column mapping | [`generic`] |
//! | surveys, QA, roster, training, agent days, incidents, invoices (CSV) | [`crate::record_kinds`] |

pub mod anonbank;
pub mod asterisk;
pub mod connect;
mod csv_reader;
mod filehash;
pub mod generic;

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use jiff::tz::TimeZone;
use pacta_contract::Channel;

use crate::batch::InteractionBatch;
use crate::pseudo::Pseudonymizer;
use crate::report::ImportReport;
use crate::{DataError, Result};

pub use generic::Mapping;

/// Interaction source formats.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Format {
    /// Technion "Anonymous Bank" call log.
    Anonbank,
    /// Asterisk `queue_log` (raw pipe-separated or table dump CSV; detected per file).
    Asterisk,
    /// Amazon Connect contact trace records (JSON lines, concatenated JSON or an array).
    AmazonConnect,
    /// CSV with a column mapping.
    Csv,
    /// JSON lines with a column mapping.
    Jsonl,
    /// Parquet with a column mapping.
    Parquet,
}

impl std::str::FromStr for Format {
    type Err = String;
    fn from_str(s: &str) -> std::result::Result<Self, String> {
        Ok(match s {
            "anonbank" => Format::Anonbank,
            "asterisk" | "queue_log" => Format::Asterisk,
            "amazon-connect" | "connect" | "ctr" => Format::AmazonConnect,
            "csv" => Format::Csv,
            "jsonl" | "json" => Format::Jsonl,
            "parquet" => Format::Parquet,
            other => {
                return Err(format!(
                    "unknown format `{other}` (use anonbank, asterisk, amazon-connect, csv, jsonl or parquet)"
                ));
            }
        })
    }
}

/// Options shared by importers.
pub struct ImportOptions<'a> {
    /// Zone of naive local times in the source (default: the contract's).
    pub time_zone: TimeZone,
    /// Makes customer pseudonyms (use the store's: [`crate::store::Store::pseudonymizer`]).
    pub pseudonymizer: &'a Pseudonymizer,
    /// Channel for sources that do not carry one (default voice_in).
    pub channel: Channel,
    /// Column mapping for the generic formats.
    pub mapping: Option<&'a Mapping>,
    /// Called now and then with the bytes read so far of the current file.
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
}

impl<'a> ImportOptions<'a> {
    /// Options with defaults: voice_in, no mapping, no progress.
    pub fn new(time_zone: TimeZone, pseudonymizer: &'a Pseudonymizer) -> Self {
        ImportOptions {
            time_zone,
            pseudonymizer,
            channel: Channel::VoiceIn,
            mapping: None,
            progress: None,
        }
    }
}

/// What an importer produced.
#[derive(Debug, Default)]
pub struct Imported {
    /// Canonical interactions.
    pub batch: InteractionBatch,
    /// Row accounting.
    pub report: ImportReport,
}

/// Imports interaction files of one format (reports are added up).
pub fn import_interactions(
    format: Format,
    paths: &[&Path],
    opts: &ImportOptions<'_>,
) -> Result<Imported> {
    let mut out = Imported::default();
    for path in paths {
        let one = match format {
            Format::Anonbank => anonbank::import(path, opts)?,
            Format::Asterisk => asterisk::import(path, opts)?,
            Format::AmazonConnect => connect::import(path, opts)?,
            Format::Csv => generic::import_csv(path, opts)?,
            Format::Jsonl => generic::import_jsonl(path, opts)?,
            Format::Parquet => generic::import_parquet(path, opts)?,
        };
        if out.batch.is_empty() {
            out.batch = one.batch;
        } else {
            out.batch.append(&one.batch);
        }
        out.report.absorb(one.report);
    }
    Ok(out)
}

/// A CSV file opened with its header checked (crate-internal helper).
#[doc(hidden)]
pub struct CsvFile {
    pub(crate) name: String,
    pub(crate) reader: csv::Reader<BufReader<File>>,
    pub(crate) header: Vec<String>,
    pub(crate) index: HashMap<String, usize>,
}

impl CsvFile {
    /// Opens `path` with `delimiter`, checks that `required` columns exist.
    pub(crate) fn open(path: &Path, delimiter: u8, required: &[&str]) -> Result<CsvFile> {
        let name = path.display().to_string();
        let f = File::open(path).map_err(|e| DataError::io(path, e))?;
        let mut reader = csv::ReaderBuilder::new()
            .delimiter(delimiter)
            .flexible(true)
            .buffer_capacity(1 << 20)
            .from_reader(BufReader::with_capacity(1 << 20, f));
        let header: Vec<String> = reader
            .headers()
            .map_err(|e| DataError::Malformed {
                file: name.clone(),
                line: 1,
                message: e.to_string(),
            })?
            .iter()
            .map(|h| h.trim().trim_start_matches('\u{feff}').to_string())
            .collect();
        if header.is_empty() || (header.len() == 1 && header[0].is_empty()) {
            return Err(DataError::Empty { file: name });
        }
        let mut index: HashMap<String, usize> = HashMap::with_capacity(header.len());
        for (i, h) in header.iter().enumerate() {
            // A repeated column would silently give one of the two; say which.
            if !h.is_empty()
                && let Some(first) = index.insert(h.clone(), i)
            {
                return Err(DataError::Malformed {
                    file: name,
                    line: 1,
                    message: format!(
                        "column `{h}` appears twice in the header (columns {} and {})",
                        first + 1,
                        i + 1
                    ),
                });
            }
        }
        check_header(&name, &header, &index, delimiter, required)?;
        Ok(CsvFile {
            name,
            reader,
            header,
            index,
        })
    }

    pub(crate) fn col(&self, name: &str) -> Option<usize> {
        self.index.get(name).copied()
    }
}

/// Missing-column and wrong-delimiter checks on a header.
pub(crate) fn check_header(
    file: &str,
    header: &[String],
    index: &HashMap<String, usize>,
    delimiter: u8,
    required: &[&str],
) -> Result<()> {
    let Some(missing) = required.iter().find(|c| !index.contains_key(**c)) else {
        return Ok(());
    };
    if header.len() == 1 {
        let guess = [b';', b',', b'\t', b'|']
            .into_iter()
            .filter(|&d| d != delimiter)
            .find(|&d| header[0].as_bytes().contains(&d));
        if let Some(g) = guess {
            return Err(DataError::WrongDelimiter {
                file: file.to_string(),
                expected: required.join(", "),
                found: header[0].clone(),
                guess: char::from(g),
            });
        }
    }
    Err(DataError::MissingColumn {
        file: file.to_string(),
        column: (*missing).to_string(),
        found: header.join(", "),
    })
}

/// A CSV read error at a record, as a fatal error.
pub(crate) fn csv_error(file: &str, e: &csv::Error) -> DataError {
    let line = e.position().map_or(0, csv::Position::line);
    DataError::Malformed {
        file: file.to_string(),
        line,
        message: e.to_string(),
    }
}
