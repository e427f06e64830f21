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
pub(crate) mod filehash;
pub mod generic;

use std::collections::HashMap;
use std::fs::File;
use std::io::BufReader;
use std::path::Path;
use std::sync::atomic::{AtomicU64, Ordering};

use jiff::tz::TimeZone;
use pacta_contract::Channel;

use crate::batch::InteractionBatch;
use crate::model::{Interaction, InteractionTable, Outcome};
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
    /// Called now and then with the bytes read so far over all the files of the call (of
    /// [`import_interactions`]; a single-file importer reports its own file's bytes).
    pub progress: Option<&'a (dyn Fn(u64) + Sync)>,
    /// Contacts an earlier import stored as `in_progress`, which this import may complete
    /// (see [`OpenContacts`]; `None`: the files stand alone).
    pub open_contacts: Option<&'a OpenContacts>,
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
            open_contacts: None,
        }
    }
}

/// A contact an earlier import stored as `in_progress`: what an importer needs to carry on
/// its state machine when a later file completes it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct OpenContact {
    /// The stored source id; the completed row keeps it, so that it supersedes the stored one.
    pub source_id: String,
    /// Channel.
    pub channel: Channel,
    /// Queue.
    pub queue: String,
    /// Delivery site.
    pub site: Option<String>,
    /// Language.
    pub language: Option<String>,
    /// The customer's pseudonym as stored (hex, as [`Interaction::customer_key`]).
    pub customer_key: Option<String>,
    /// Entered the queue, UTC ms.
    pub arrived_at_ms: i64,
    /// Reached an agent, UTC ms (connected before the earlier import's files ended).
    pub answered_at_ms: Option<i64>,
    /// Agent identifier.
    pub agent_key: Option<String>,
}

impl OpenContact {
    /// The open part of a stored interaction.
    pub fn from_interaction(i: &Interaction) -> Self {
        OpenContact {
            source_id: i.source_id.clone(),
            channel: i.channel,
            queue: i.queue.clone(),
            site: i.site.clone(),
            language: i.language.clone(),
            customer_key: i.customer_key.clone(),
            arrived_at_ms: i.arrived_at_ms,
            answered_at_ms: i.answered_at_ms,
            agent_key: i.agent_key.clone(),
        }
    }
}

/// The contacts stored as `in_progress`, by source id: what a later import may complete.
///
/// A caller fills it from the store's interaction rows, e.g.
/// `OpenContacts::from_table(&table)` over the rows read back from the store (only rows whose
/// outcome is `in_progress` are kept), and passes it as [`ImportOptions::open_contacts`].
/// When a file completes one of them (an Asterisk CONNECT or COMPLETECALLER whose
/// ENTERQUEUE was in the earlier import), the importer emits the whole contact again under
/// the stored source id instead of quarantining the event; the store makes that row
/// supersede the stored one. Amazon Connect needs none: every record carries the whole
/// contact under its `ContactId`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct OpenContacts {
    by_id: HashMap<String, OpenContact>,
}

impl OpenContacts {
    /// None open.
    pub fn new() -> Self {
        OpenContacts::default()
    }

    /// Adds (or replaces) an open contact.
    pub fn insert(&mut self, c: OpenContact) {
        self.by_id.insert(c.source_id.clone(), c);
    }

    /// The `in_progress` ones of `rows`.
    pub fn from_interactions<'i>(rows: impl IntoIterator<Item = &'i Interaction>) -> Self {
        let mut out = OpenContacts::new();
        for r in rows {
            if r.outcome == Outcome::InProgress {
                out.insert(OpenContact::from_interaction(r));
            }
        }
        out
    }

    /// The `in_progress` rows of a table read from the store (a table read without its
    /// outcome column gives none).
    pub fn from_table(table: &InteractionTable) -> Self {
        let mut out = OpenContacts::new();
        for (i, &code) in table.outcome.iter().enumerate() {
            if Outcome::from_code(code) == Some(Outcome::InProgress) {
                out.insert(OpenContact::from_interaction(&table.row(i)));
            }
        }
        out
    }

    /// The open contact stored under `source_id`.
    pub fn get(&self, source_id: &str) -> Option<&OpenContact> {
        self.by_id.get(source_id)
    }

    /// All of them, in no particular order.
    pub fn iter(&self) -> impl Iterator<Item = &OpenContact> {
        self.by_id.values()
    }

    /// How many.
    pub fn len(&self) -> usize {
        self.by_id.len()
    }

    /// True when none.
    pub fn is_empty(&self) -> bool {
        self.by_id.is_empty()
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

impl Format {
    /// True for formats whose records of one contact may be spread over several files
    /// (Asterisk events, Amazon Connect updates): their files are read as one stream.
    pub fn is_stateful(self) -> bool {
        matches!(self, Format::Asterisk | Format::AmazonConnect)
    }
}

/// Imports interaction files of one format as one import.
///
/// The files of a stateful format ([`Format::is_stateful`]) are read as one stream in the
/// order given: an Asterisk call may enter the queue in one file and end in the next, and a
/// later Amazon Connect record of a contact supersedes an earlier one of another file. The
/// other formats are read file by file and their reports added up. `opts.progress` hears the
/// bytes read so far over all the files.
pub fn import_interactions(
    format: Format,
    paths: &[&Path],
    opts: &ImportOptions<'_>,
) -> Result<Imported> {
    type PerFile = fn(&Path, &ImportOptions<'_>) -> Result<Imported>;
    let per_file: PerFile = match format {
        Format::Asterisk => return asterisk::import_files(paths, opts),
        Format::AmazonConnect => return connect::import_files(paths, opts),
        Format::Anonbank => anonbank::import,
        Format::Csv => generic::import_csv,
        Format::Jsonl => generic::import_jsonl,
        Format::Parquet => generic::import_parquet,
    };
    let mut out = Imported::default();
    let done_before = AtomicU64::new(0);
    let overall = |bytes: u64| {
        if let Some(p) = opts.progress {
            p(done_before.load(Ordering::Relaxed) + bytes);
        }
    };
    for path in paths {
        let one_opts = ImportOptions {
            time_zone: opts.time_zone.clone(),
            pseudonymizer: opts.pseudonymizer,
            channel: opts.channel,
            mapping: opts.mapping,
            progress: opts.progress.map(|_| &overall as &(dyn Fn(u64) + Sync)),
            open_contacts: opts.open_contacts,
        };
        let one = per_file(path, &one_opts)?;
        let size = std::fs::metadata(path).map_or(0, |m| m.len());
        done_before.fetch_add(size, Ordering::Relaxed);
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
