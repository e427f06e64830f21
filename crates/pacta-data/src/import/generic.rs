//! Generic CSV, JSON lines and Parquet with a column mapping.
//!
//! The mapping names, for each canonical field, the source column (CSV header name, or JSON
//! key; `a.b` reaches into nested objects). It comes from the contract's `[[data.sources]]`
//! (`mapping`, `timestamp_format`, `time_zone`) or a mapping file:
//!
//! ```toml
//! timestamp_format = "%d/%m/%Y %H:%M:%S"   # strftime; `epoch`, `epoch_ms`; default ISO 8601
//! time_zone = "America/Bogota"             # zone of naive times; default the contract's
//! delimiter = ";"                          # CSV only; default ","
//! channel = "voice_in"                     # when no channel column is mapped
//! derive_outcome = true                    # no outcome column: see below
//! [mapping]
//! source_id = "call_id"
//! queue = "skill"
//! arrived_at = "start_time"
//! [values.channel]                         # the export's names → pacta's (channel, outcome)
//! voice_inbound = "voice_in"
//! voice_outbound = "voice_out"
//! ```
//!
//! The same mapping reads CSV, JSON lines and Parquet (`pacta import --mapping FILE`).
//! `[values.channel]` and `[values.outcome]` translate an export's own names; a name neither
//! translated nor accepted quarantines its row, and the reason lists every accepted name.
//! `derive_outcome = true` reads a source with no outcome column: answered when it has
//! `answered_at`, abandoned when it only has `ended_at`, in progress with neither.
//!
//! `timestamp_format` is for timestamps written as text. A Parquet timestamp column is a time
//! already: a zoned one is that instant, a naive one a wall-clock time in `time_zone`.
//! Integer durations (Parquet integers, JSON integers) are whole seconds.
//!
//! Canonical fields (unmapped fields are looked up under their own name):
//!
//! | field | required | meaning |
//! |---|---|---|
//! | `source_id` | yes | the source's id; the store's duplicate key |
//! | `queue` | yes | queue / skill |
//! | `arrived_at` | yes | timestamp |
//! | `outcome` | yes (unless `derive_outcome`) | `answered`, `abandoned`, `timeout`, `queue_empty`, `overflow_out`, `callback`, `transferred_out`, `in_progress` (case-insensitive; also `abandon`, `handled`, `overflow`, `transferred`) |
//! | `channel` | no | `voice_in`, `voice_out`, `chat`, `email`, `social`, `sms`, `back_office` |
//! | `site`, `language`, `agent_key`, `disposition` | no | text |
//! | `customer_key` | no | the raw customer identifier (phone, e-mail, id): pseudonymised at import |
//! | `answered_at`, `ended_at`, `first_response_at` | no | timestamps |
//! | `wait_s` | no | seconds in queue: gives answered_at (answered) or ended_at (others) when those are not mapped |
//! | `talk_s`, `hold_s`, `wrap_s` | no | seconds (decimals allowed) |
//!
//! Empty cells are absent values. A required column missing from the header is an error
//! before anything is read; a cell that does not parse quarantines its row with the column,
//! value and the expected format.

use std::borrow::Cow;
use std::collections::{BTreeMap, HashMap};
use std::fs::File;
use std::io::BufReader;
use std::path::Path;

use pacta_contract::{Channel, DataSource};
use serde::Deserialize;

use super::csv_reader::{Read1, Record, RecordReader};
use super::filehash::{self, BlockHasher};
use super::{CsvFile, ImportOptions, Imported};
use crate::batch::InteractionRef;
use crate::columns::INTERACTION_COLUMNS;
use crate::model::Outcome;
use crate::report::{Quarantined, SourceFile, pseudonym_bytes, source_file};
use crate::time::{TimestampParser, seconds_to_ms, time_zone};
use crate::{DataError, Result};

/// Canonical fields a mapping can feed: the `field` of every column of
/// [`INTERACTION_COLUMNS`], in order, and `wait_s` (which has no column of its own: it gives
/// `answered_at` or `ended_at`) after `outcome`.
pub const FIELDS: [&str; INTERACTION_COLUMNS.len() + 1] = {
    let mut out = [""; INTERACTION_COLUMNS.len() + 1];
    let (mut i, mut j) = (0, 0);
    while i < INTERACTION_COLUMNS.len() {
        out[j] = INTERACTION_COLUMNS[i].field;
        j += 1;
        if eq(INTERACTION_COLUMNS[i].field, "outcome") {
            out[j] = "wait_s";
            j += 1;
        }
        i += 1;
    }
    out
};

const fn eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    if a.len() != b.len() {
        return false;
    }
    let mut i = 0;
    while i < a.len() {
        if a[i] != b[i] {
            return false;
        }
        i += 1;
    }
    true
}

/// Index of `name` in [`FIELDS`] (a compile error when it is not there).
const fn field(name: &str) -> usize {
    let mut i = 0;
    while i < FIELDS.len() {
        if eq(FIELDS[i], name) {
            return i;
        }
        i += 1;
    }
    panic!("not a mapping field")
}

// Indices of the fields the row mapper reads.
/// The longest a single duration of one contact may be (30 days, in ms).
const MAX_DURATION_MS: i64 = 30 * 86_400_000;
/// Arrivals from 1900-01-01 up to (not including) 9999-01-01 UTC: every month of them has a
/// partition name.
const EARLIEST_MS: i64 = -2_208_988_800_000;
const LATEST_MS: i64 = 253_370_764_800_000;

const SOURCE_ID: usize = field("source_id");
const CHANNEL: usize = field("channel");
const QUEUE: usize = field("queue");
const SITE: usize = field("site");
const LANGUAGE: usize = field("language");
const CUSTOMER_KEY: usize = field("customer_key");
const ARRIVED_AT: usize = field("arrived_at");
const ANSWERED_AT: usize = field("answered_at");
const ENDED_AT: usize = field("ended_at");
const OUTCOME: usize = field("outcome");
const WAIT_S: usize = field("wait_s");
const TALK_S: usize = field("talk_s");
const HOLD_S: usize = field("hold_s");
const WRAP_S: usize = field("wrap_s");
const AGENT_KEY: usize = field("agent_key");
const DISPOSITION: usize = field("disposition");
const FIRST_RESPONSE_AT: usize = field("first_response_at");

/// Fields that must be present.
pub const REQUIRED: [&str; 4] = ["source_id", "queue", "arrived_at", "outcome"];

/// A column mapping with its timestamp format and zone.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Mapping {
    /// Canonical field → source column.
    #[serde(default)]
    pub mapping: BTreeMap<String, String>,
    /// strftime format of timestamps (`epoch`, `epoch_ms` accepted).
    pub timestamp_format: Option<String>,
    /// Zone of naive timestamps.
    pub time_zone: Option<String>,
    /// CSV delimiter.
    pub delimiter: Option<char>,
    /// Channel when no column is mapped.
    pub channel: Option<String>,
    /// Import format (informative).
    pub format: Option<String>,
    /// Source value → canonical value, per enumerated field (`channel`, `outcome`): an
    /// export's `voice_inbound` read as `voice_in`, say. Values not listed are read as usual.
    #[serde(default)]
    pub values: BTreeMap<String, BTreeMap<String, String>>,
    /// With no outcome column: a contact is answered when it has `answered_at`, abandoned
    /// when it has `ended_at` and no `answered_at`, and in progress with neither.
    #[serde(default)]
    pub derive_outcome: bool,
}

/// Every channel name the importer accepts (aliases included), for messages.
pub const CHANNEL_NAMES: &str =
    "voice_in, voice, inbound, voice_out, outbound, chat, email, e-mail, social, sms, back_office";
/// Every outcome name the importer accepts (aliases included), for messages.
pub const OUTCOME_NAMES: &str = "answered, handled, abandoned, abandon, timeout, queue_empty, \
     overflow_out, overflow, callback, transferred_out, transferred, in_progress";
/// The enumerated fields a mapping's `values` may translate.
const VALUE_FIELDS: [&str; 2] = ["channel", "outcome"];

impl Mapping {
    /// The mapping of a contract data source.
    pub fn from_source(ds: &DataSource) -> Mapping {
        Mapping {
            mapping: ds.mapping.clone(),
            timestamp_format: ds.timestamp_format.clone(),
            time_zone: ds.time_zone.clone(),
            delimiter: None,
            channel: None,
            format: ds.format.clone(),
            values: BTreeMap::new(),
            derive_outcome: false,
        }
    }

    /// Parses a mapping file (TOML).
    pub fn from_toml(text: &str) -> Result<Mapping> {
        let m: Mapping = toml::from_str(text).map_err(|e| DataError::Mapping(e.to_string()))?;
        m.check()?;
        Ok(m)
    }

    /// Checks field names, zone and channel.
    pub fn check(&self) -> Result<()> {
        for k in self.mapping.keys() {
            if !FIELDS.contains(&k.as_str()) {
                return Err(DataError::Mapping(format!(
                    "unknown canonical field `{k}` (expected one of {})",
                    FIELDS.join(", ")
                )));
            }
        }
        if let Some(tz) = &self.time_zone {
            time_zone(tz)?;
        }
        if let Some(c) = &self.channel {
            parse_channel(c).ok_or_else(|| {
                DataError::Mapping(format!("unknown channel `{c}` (accepted: {CHANNEL_NAMES})"))
            })?;
        }
        for (field, map) in &self.values {
            let accepted = match field.as_str() {
                "channel" => CHANNEL_NAMES,
                "outcome" => OUTCOME_NAMES,
                _ => {
                    return Err(DataError::Mapping(format!(
                        "values.{field}: only {} take a value map",
                        VALUE_FIELDS.join(" and ")
                    )));
                }
            };
            for (from, to) in map {
                let known = match field.as_str() {
                    "channel" => parse_channel(to).is_some(),
                    _ => parse_outcome(to).is_some(),
                };
                if !known {
                    return Err(DataError::Mapping(format!(
                        "values.{field}.{from}: unknown {field} `{to}` (accepted: {accepted})"
                    )));
                }
            }
        }
        if self.derive_outcome
            && (self.mapping.contains_key("outcome") || self.values.contains_key("outcome"))
        {
            return Err(DataError::Mapping(
                "derive_outcome reads the outcome from answered_at and ended_at: it cannot \
                 also map an outcome column or its values"
                    .into(),
            ));
        }
        Ok(())
    }

    /// The canonical fields a source must have: the outcome only when it is not derived.
    pub fn required(&self) -> Vec<&'static str> {
        REQUIRED
            .iter()
            .copied()
            .filter(|f| !(self.derive_outcome && *f == "outcome"))
            .collect()
    }

    /// The source column feeding `field`.
    pub fn column<'a>(&'a self, field: &'a str) -> &'a str {
        self.mapping.get(field).map_or(field, String::as_str)
    }
}

/// Parses a channel name.
pub fn parse_channel(s: &str) -> Option<Channel> {
    let s = s.trim();
    // Exports almost always write the canonical lowercase name: match it without allocating.
    channel_named(s).or_else(|| channel_named(&s.to_ascii_lowercase()))
}

fn channel_named(s: &str) -> Option<Channel> {
    Some(match s {
        "voice_in" | "voice" | "inbound" => Channel::VoiceIn,
        "voice_out" | "outbound" => Channel::VoiceOut,
        "chat" => Channel::Chat,
        "email" | "e-mail" => Channel::Email,
        "social" => Channel::Social,
        "sms" => Channel::Sms,
        "back_office" => Channel::BackOffice,
        _ => return None,
    })
}

/// Parses an outcome name.
pub fn parse_outcome(s: &str) -> Option<Outcome> {
    let s = s.trim();
    outcome_named(s).or_else(|| outcome_named(&s.to_ascii_lowercase()))
}

fn outcome_named(s: &str) -> Option<Outcome> {
    Some(match s {
        "answered" | "handled" => Outcome::Answered,
        "abandoned" | "abandon" => Outcome::Abandoned,
        "timeout" => Outcome::Timeout,
        "queue_empty" => Outcome::QueueEmpty,
        "overflow_out" | "overflow" => Outcome::OverflowOut,
        "callback" => Outcome::Callback,
        "transferred_out" | "transferred" => Outcome::TransferredOut,
        "in_progress" => Outcome::InProgress,
        _ => return None,
    })
}

/// Maps one row whose cells are fetched by canonical field index.
struct RowMapper {
    tp: TimestampParser,
    channel: Channel,
    has: [bool; FIELDS.len()],
    /// The mapping's `values.channel`, parsed.
    channels: HashMap<String, Channel>,
    /// The mapping's `values.outcome`, parsed.
    outcomes: HashMap<String, Outcome>,
    derive_outcome: bool,
}

type RowErr = Box<Quarantined>;

/// One mapped cell as the reader found it. Text formats give text; Parquet gives typed
/// values, which reach the row as they are (no text round trip) and are rendered as text only
/// for a quarantine message or a text field.
#[derive(Debug, Clone)]
enum Cell<'a> {
    Text(Cow<'a, str>),
    /// A zoned timestamp column's value: an instant.
    Instant(jiff::Timestamp),
    /// A naive timestamp column's value: a wall-clock time in the mapping's zone.
    Civil(jiff::civil::DateTime),
    Int(i64),
}

impl<'a> Cell<'a> {
    fn is_blank(&self) -> bool {
        matches!(self, Cell::Text(s) if is_blank(s))
    }

    fn as_text(&self) -> Cow<'_, str> {
        match self {
            Cell::Text(s) => Cow::Borrowed(s),
            other => other.clone().into_text(),
        }
    }

    /// The cell as text: as the file has it, or the value's canonical form (RFC 3339 for
    /// instants, ISO 8601 for wall-clock times, decimal for integers).
    fn into_text(self) -> Cow<'a, str> {
        match self {
            Cell::Text(s) => s,
            Cell::Instant(t) => Cow::Owned(t.to_string()),
            Cell::Civil(dt) => Cow::Owned(dt.to_string()),
            Cell::Int(v) => Cow::Owned(v.to_string()),
        }
    }
}

impl RowMapper {
    fn map<'a>(
        &mut self,
        file: &str,
        line: u64,
        cols: &[String; FIELDS.len()],
        get: &dyn Fn(usize) -> Option<Cell<'a>>,
        opts: &ImportOptions<'_>,
        out: &mut Imported,
    ) -> std::result::Result<(), RowErr> {
        let q = |f: usize, v: &str, reason: String| -> RowErr {
            Box::new(Quarantined::new(file, line, &cols[f], v, reason))
        };
        let val = |f: usize| get(f).filter(|c| !c.is_blank());
        let text = |f: usize| val(f).map(Cell::into_text);
        let req = |f: usize| {
            text(f).ok_or_else(|| q(f, "", format!("empty required field `{}`", FIELDS[f])))
        };
        let source_id = req(SOURCE_ID)?;
        let queue = req(QUEUE)?;
        let given_outcome = if self.derive_outcome {
            None
        } else {
            let text = req(OUTCOME)?;
            let mapped = self.outcomes.get(text.trim()).copied();
            Some(mapped.or_else(|| parse_outcome(&text)).ok_or_else(|| {
                q(
                    OUTCOME,
                    &text,
                    format!(
                        "unknown outcome (accepted: {OUTCOME_NAMES}; translate others with \
                         [values.outcome] in the mapping file)"
                    ),
                )
            })?)
        };
        let channel = match text(CHANNEL) {
            Some(c) => {
                let mapped = self.channels.get(c.trim()).copied();
                mapped.or_else(|| parse_channel(&c)).ok_or_else(|| {
                    q(
                        CHANNEL,
                        &c,
                        format!(
                            "unknown channel (accepted: {CHANNEL_NAMES}; translate others with \
                             [values.channel] in the mapping file)"
                        ),
                    )
                })?
            }
            None => self.channel,
        };
        let mut ts = |f: usize| -> std::result::Result<Option<i64>, RowErr> {
            match val(f) {
                None => Ok(None),
                Some(Cell::Instant(t)) => Ok(Some(t.as_millisecond())),
                Some(Cell::Civil(dt)) => self
                    .tp
                    .civil_to_utc_ms(dt)
                    .map(Some)
                    .map_err(|reason| q(f, &dt.to_string(), reason)),
                Some(cell) => {
                    let v = cell.into_text();
                    self.tp
                        .parse(&v)
                        .map(Some)
                        .map_err(|reason| q(f, &v, reason))
                }
            }
        };
        let arrived = ts(ARRIVED_AT)?
            .ok_or_else(|| q(ARRIVED_AT, "", "empty required field `arrived_at`".into()))?;
        if !(EARLIEST_MS..LATEST_MS).contains(&arrived) {
            return Err(q(
                ARRIVED_AT,
                &text(ARRIVED_AT).unwrap_or_default(),
                "arrived_at is outside the years 1900 to 9998".into(),
            ));
        }
        let mut answered = ts(ANSWERED_AT)?;
        let mut ended = ts(ENDED_AT)?;
        let outcome = given_outcome.unwrap_or(match (answered, ended) {
            (Some(_), _) => Outcome::Answered,
            (None, Some(_)) => Outcome::Abandoned,
            (None, None) => Outcome::InProgress,
        });
        let first_response = ts(FIRST_RESPONSE_AT)?;
        let dur = |f: usize| -> std::result::Result<Option<i64>, RowErr> {
            let Some(cell) = val(f) else {
                return Ok(None);
            };
            let ms = match &cell {
                Cell::Int(v) => v.checked_mul(1000),
                other => seconds_to_ms(&other.as_text()),
            };
            match ms.filter(|ms| *ms >= 0) {
                Some(ms) if ms <= MAX_DURATION_MS => Ok(Some(ms)),
                // Sums of such values would overflow, and no contact lasts a month.
                Some(_) => Err(q(
                    f,
                    &cell.into_text(),
                    "more than 30 days: not a duration of one contact".into(),
                )),
                None => Err(q(
                    f,
                    &cell.into_text(),
                    "not a non-negative number of seconds".into(),
                )),
            }
        };
        let wait = dur(WAIT_S)?;
        let talk = dur(TALK_S)?;
        let hold = dur(HOLD_S)?;
        let wrap = dur(WRAP_S)?;
        if let Some(w) = wait {
            if outcome == Outcome::Answered {
                answered = answered.or(Some(arrived + w));
            } else if outcome != Outcome::InProgress {
                ended = ended.or(Some(arrived + w));
            }
        }
        if outcome == Outcome::Answered && answered.is_none() {
            return Err(q(
                ANSWERED_AT,
                "",
                "answered contact without answered_at (map answered_at or wait_s)".into(),
            ));
        }
        // A contact answered or ended before it arrived would count as answered in time.
        for (field, at) in [(ANSWERED_AT, answered), (ENDED_AT, ended)] {
            if at.is_some_and(|t| t < arrived) {
                return Err(q(
                    field,
                    &text(field).unwrap_or_default(),
                    format!("{} is before arrived_at", FIELDS[field]),
                ));
            }
        }
        let customer = match text(CUSTOMER_KEY) {
            Some(c) => opts.pseudonymizer.key64(&c),
            None => 0,
        };
        let site = text(SITE);
        let language = text(LANGUAGE);
        let agent = text(AGENT_KEY);
        let disposition = text(DISPOSITION);
        let r = InteractionRef {
            source_id: &source_id,
            channel,
            queue: &queue,
            site: site.as_deref(),
            language: language.as_deref(),
            customer,
            arrived_at_ms: arrived,
            answered_at_ms: answered,
            ended_at_ms: ended,
            outcome,
            talk_ms: talk,
            hold_ms: hold,
            wrap_ms: wrap,
            agent: agent.as_deref(),
            disposition: disposition.as_deref(),
            first_response_at_ms: first_response,
        };
        out.batch.push(&r);
        out.report.imported += 1;
        let _ = self.has;
        Ok(())
    }
}

/// Empty or only whitespace; the common non-blank cell answers from its first byte.
fn is_blank(s: &str) -> bool {
    match s.as_bytes().first() {
        None => true,
        Some(b) if b.is_ascii_graphic() => false,
        Some(_) => s.trim().is_empty(),
    }
}

fn setup<'m>(opts: &ImportOptions<'m>) -> Result<(Mapping, RowMapper)> {
    let mapping = opts.mapping.cloned().unwrap_or_default();
    mapping.check()?;
    let tz = match &mapping.time_zone {
        Some(z) => time_zone(z)?,
        None => opts.time_zone.clone(),
    };
    let channel = mapping
        .channel
        .as_deref()
        .and_then(parse_channel)
        .unwrap_or(opts.channel);
    let tp = TimestampParser::new(mapping.timestamp_format.as_deref(), tz);
    let mapper = RowMapper {
        tp,
        channel,
        has: [false; FIELDS.len()],
        channels: value_map(&mapping, "channel", parse_channel),
        outcomes: value_map(&mapping, "outcome", parse_outcome),
        derive_outcome: mapping.derive_outcome,
    };
    Ok((mapping, mapper))
}

/// The mapping's value map for `field`, parsed (`check` has refused unknown targets).
fn value_map<T>(
    mapping: &Mapping,
    field: &str,
    parse: fn(&str) -> Option<T>,
) -> HashMap<String, T> {
    mapping
        .values
        .get(field)
        .into_iter()
        .flatten()
        .filter_map(|(from, to)| Some((from.trim().to_string(), parse(to)?)))
        .collect()
}

fn tally(out: &mut Imported) {
    let mut counts = [0u64; 8];
    for &o in &out.batch.outcome {
        counts[usize::from(o).min(7)] += 1;
    }
    for (o, n) in Outcome::ALL.iter().zip(counts) {
        if n > 0 {
            *out.report
                .by_outcome
                .entry(o.as_str().to_string())
                .or_insert(0) += n;
        }
    }
}

/// Files smaller than this are parsed on one thread.
const PARALLEL_MIN_BYTES: u64 = 32 << 20;

/// Imports a CSV file with the mapping of `opts`.
///
/// Large files are parsed on every core: the file is cut after a newline near each
/// 1/threads of its length and each stretch is parsed on its own thread. A cut is only
/// trusted when the thread before it, reading on, finds a record starting exactly there (a
/// newline inside a quoted field is not a record boundary); otherwise the file is parsed
/// again on one thread. Rows, quarantine entries and line numbers come out as a sequential
/// parse gives them.
pub fn import_csv(path: &Path, opts: &ImportOptions<'_>) -> Result<Imported> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    import_csv_on(path, opts, threads, PARALLEL_MIN_BYTES)
}

fn import_csv_on(
    path: &Path,
    opts: &ImportOptions<'_>,
    threads: usize,
    parallel_min_bytes: u64,
) -> Result<Imported> {
    let (mapping, _) = setup(opts)?;
    let delim = u8::try_from(mapping.delimiter.unwrap_or(','))
        .map_err(|_| DataError::Mapping("the delimiter must be a single-byte character".into()))?;
    let required: Vec<&str> = mapping
        .required()
        .into_iter()
        .map(|f| mapping.column(f))
        .collect();
    let f = CsvFile::open(path, delim, &required)?;
    let cols: [String; FIELDS.len()] =
        std::array::from_fn(|i| mapping.column(FIELDS[i]).to_string());
    let layout = CsvLayout {
        idx: cols.iter().map(|c| f.col(c)).collect(),
        ncols: f.header.len(),
        name: f.name.clone(),
        delim,
        cols,
    };
    let size = std::fs::metadata(path).map_or(0, |m| m.len());
    let body_start = f.reader.position().byte();
    let first_line = f.reader.position().line();
    drop(f);
    let sequential = || -> Result<(Imported, Option<BlockHasher>)> {
        let (file, hasher) = open_hashing(path, body_start, size, size)?;
        let reader = RecordReader::new(file, delim, first_line).hash_into(body_start, hasher);
        let progress = |b: u64| {
            if let Some(p) = opts.progress {
                p(body_start + b);
            }
        };
        let expected = size.saturating_sub(body_start);
        let s = parse_stretch(reader, &layout, expected, opts, &progress)?;
        Ok((s.out, s.hash))
    };
    let (out, hashers) = if threads > 1 && size >= parallel_min_bytes {
        let cuts = cut_points(path, body_start, size, threads)?;
        match parse_in_parallel(path, &layout, &cuts, size, first_line, opts)? {
            Some(parsed) => parsed,
            None => {
                let (out, h) = sequential()?;
                (out, h.into_iter().collect())
            }
        }
    } else {
        let (out, h) = sequential()?;
        (out, h.into_iter().collect())
    };
    // The file's hash from the bytes just parsed; read again only if that came out short
    // (the file changed while it was read).
    finish_text_import(out, path, size, hashers, opts)
}

/// Completes a text import: the source file's record (its BLAKE3 from the stretches' own
/// reads; read again only if that came out short, the file having changed while it was
/// read), the progress at its end, and the outcome counts.
fn finish_text_import(
    mut out: Imported,
    path: &Path,
    size: u64,
    hashers: Vec<BlockHasher>,
    opts: &ImportOptions<'_>,
) -> Result<Imported> {
    let file = match filehash::combine(size, hashers) {
        Some(hash) => SourceFile {
            path: path.display().to_string(),
            bytes: size,
            blake3: hash.to_hex().to_string(),
        },
        None => source_file(path)?,
    };
    if let Some(p) = opts.progress {
        p(size);
    }
    out.report.files.insert(0, file);
    tally(&mut out);
    Ok(out)
}

/// Bytes read so far by each stretch of a file parsed on several threads, reported to the
/// caller's progress callback as one sum from the file's start.
struct StretchProgress<'o> {
    /// Bytes before the first stretch (a CSV header).
    base: u64,
    done: Vec<std::sync::atomic::AtomicU64>,
    progress: Option<&'o (dyn Fn(u64) + Sync)>,
}

impl<'o> StretchProgress<'o> {
    fn new(base: u64, stretches: usize, progress: Option<&'o (dyn Fn(u64) + Sync)>) -> Self {
        StretchProgress {
            base,
            done: (0..stretches)
                .map(|_| std::sync::atomic::AtomicU64::new(0))
                .collect(),
            progress,
        }
    }

    fn report(&self, stretch: usize, bytes: u64) {
        use std::sync::atomic::Ordering;
        self.done[stretch].store(bytes, Ordering::Relaxed);
        if let Some(p) = self.progress {
            p(self.base
                + self
                    .done
                    .iter()
                    .map(|d| d.load(Ordering::Relaxed))
                    .sum::<u64>());
        }
    }
}

/// Opens `path` for reading from `body_start`, with a hasher for the blocks starting in
/// `[start-of-file, to)` that has already taken the header's bytes.
fn open_hashing(path: &Path, body_start: u64, to: u64, size: u64) -> Result<(File, BlockHasher)> {
    use std::io::Read;
    let mut file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let mut head = vec![0u8; usize::try_from(body_start).unwrap_or(0)];
    file.read_exact(&mut head)
        .map_err(|e| DataError::io(path, e))?;
    let mut hasher = BlockHasher::new(0, to, size);
    hasher.feed(0, &head);
    Ok((file, hasher))
}

/// What every stretch of a CSV file needs to know about its columns.
struct CsvLayout {
    idx: Vec<Option<usize>>,
    ncols: usize,
    name: String,
    delim: u8,
    cols: [String; FIELDS.len()],
}

/// Byte offsets where stretches start: the first record, then just after the first newline
/// at or past each 1/threads of the rest (dropping cuts that coincide).
fn cut_points(path: &Path, body_start: u64, size: u64, threads: usize) -> Result<Vec<u64>> {
    use std::io::{Read, Seek, SeekFrom};
    let mut file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let mut cuts = vec![body_start];
    let mut buf = vec![0u8; 64 << 10];
    for k in 1..threads as u64 {
        let mut at = body_start + (size - body_start) * k / threads as u64;
        if at <= *cuts.last().unwrap_or(&0) {
            continue;
        }
        file.seek(SeekFrom::Start(at))
            .map_err(|e| DataError::io(path, e))?;
        let cut = loop {
            let n = file.read(&mut buf).map_err(|e| DataError::io(path, e))?;
            if n == 0 {
                break None;
            }
            if let Some(i) = buf[..n].iter().position(|&b| b == b'\n') {
                break Some(at + i as u64 + 1);
            }
            at += n as u64;
        };
        match cut {
            Some(c) if c < size && c > *cuts.last().unwrap_or(&0) => cuts.push(c),
            _ => break,
        }
    }
    Ok(cuts)
}

/// Longest record a stretch after a cut may read (see `parse_in_parallel`).
const SPECULATIVE_RECORD_LIMIT: usize = 64 << 20;

/// Parses each stretch on its own thread; `None` when a cut turned out not to be a record
/// boundary (or a stretch failed: the sequential parse then reports the error in place).
fn parse_in_parallel(
    path: &Path,
    layout: &CsvLayout,
    cuts: &[u64],
    size: u64,
    first_line: u64,
    opts: &ImportOptions<'_>,
) -> Result<Option<(Imported, Vec<BlockHasher>)>> {
    use std::io::{Seek, SeekFrom};
    let progress = StretchProgress::new(cuts[0], cuts.len(), opts.progress);
    let report = |k: usize, bytes: u64| progress.report(k, bytes);
    let results: Vec<Result<Stretch>> = std::thread::scope(|s| {
        let handles: Vec<_> = cuts
            .iter()
            .enumerate()
            .map(|(k, &start)| {
                let stop = cuts.get(k + 1).copied();
                let report = &report;
                s.spawn(move || {
                    let to = stop.unwrap_or(size);
                    let (file, hasher) = if k == 0 {
                        open_hashing(path, start, to, size)?
                    } else {
                        let mut file = File::open(path).map_err(|e| DataError::io(path, e))?;
                        file.seek(SeekFrom::Start(start))
                            .map_err(|e| DataError::io(path, e))?;
                        (file, BlockHasher::new(start, to, size))
                    };
                    // A stretch after a cut may start inside a quoted cell, which can make
                    // the rest of the file look like one record: such a stretch is given up
                    // (and the file read on one thread) before that costs memory.
                    let limit = if k == 0 {
                        usize::MAX
                    } else {
                        SPECULATIVE_RECORD_LIMIT
                    };
                    let reader = RecordReader::new(file, layout.delim, 1)
                        .stop_at(stop.map(|c| c - start))
                        .max_record_bytes(limit)
                        .hash_into(start, hasher);
                    // The first stretch's batch receives all the others at the end.
                    let expected = if k == 0 {
                        size - start
                    } else {
                        stop.unwrap_or(size) - start
                    };
                    parse_stretch(reader, layout, expected, opts, &|b| report(k, b))
                })
            })
            .collect();
        crate::threads::join_all(handles)
    });
    // Line of the first record of each stretch: the previous stretch saw it.
    let mut line = first_line;
    let mut parts = Vec::with_capacity(results.len());
    let mut hashers = Vec::new();
    for (k, r) in results.into_iter().enumerate() {
        let Ok(Stretch {
            out: mut part,
            sync_line: next_line,
            hash,
        }) = r
        else {
            return Ok(None);
        };
        hashers.extend(hash);
        for q in &mut part.report.quarantined {
            q.row += line - 1;
        }
        if k + 1 < cuts.len() {
            match next_line {
                Some(l) => line += l - 1,
                None => return Ok(None),
            }
        }
        parts.push(part);
    }
    if parts.is_empty() {
        return Ok(None);
    }
    Ok(Some((join_stretches(parts), hashers)))
}

/// What parsing a stretch gives: its rows; with a stop, the line of the record starting
/// exactly there (`None` when none does: the cut was inside a record); the hash of the
/// file's blocks it read.
struct Stretch {
    out: Imported,
    sync_line: Option<u64>,
    hash: Option<BlockHasher>,
}

/// Rows read before the batch's columns are sized for the rest of the input.
const SAMPLE_ROWS: u64 = 4096;

/// Sizes the columns for `expected_bytes` of input from what the first rows took.
fn reserve_from_sample(
    batch: &mut crate::batch::InteractionBatch,
    sample_bytes: u64,
    expected_bytes: u64,
) {
    let rows = batch.len() as u64;
    if rows == 0 || sample_bytes == 0 {
        return;
    }
    // 2 % over the estimate: rows vary in length, and running out means one doubling.
    let more_rows = (expected_bytes.saturating_sub(sample_bytes) * rows / sample_bytes) * 51 / 50;
    let id_bytes = batch.id_bytes() as u64 * more_rows / rows;
    batch.reserve(
        usize::try_from(more_rows).unwrap_or(0),
        usize::try_from(id_bytes).unwrap_or(0),
    );
}

/// Parses records from `reader` until its end, or until its stop (see [`Stretch`]).
fn parse_stretch<R: std::io::Read>(
    mut reader: RecordReader<R>,
    layout: &CsvLayout,
    expected_bytes: u64,
    opts: &ImportOptions<'_>,
    progress: &dyn Fn(u64),
) -> Result<Stretch> {
    let (_, mut mapper) = setup(opts)?;
    let mut out = Imported::default();
    let name = &layout.name;
    let ncols = layout.ncols;
    let idx = &layout.idx;
    let mut rec = Record::default();
    let mut sync_line = None;
    let mut n = 0u64;
    loop {
        let start = match reader.read(&mut rec) {
            Ok(Read1::Record(start)) => start,
            Ok(Read1::End) => break,
            Ok(Read1::Stopped { at, line }) => {
                sync_line = (Some(at) == reader.stop()).then_some(line);
                break;
            }
            Ok(Read1::TooLong) => {
                return Err(DataError::Mapping(format!(
                    "{name}: a record longer than the limit (an unclosed quote?)"
                )));
            }
            Err(e) => return Err(DataError::io(Path::new(name), e)),
        };
        out.report.rows_read += 1;
        n += 1;
        let line = start.line;
        if n.is_multiple_of(262_144) {
            progress(start.byte);
        }
        if n == SAMPLE_ROWS {
            reserve_from_sample(&mut out.batch, start.byte, expected_bytes);
        }
        if rec.len() != ncols {
            out.report.quarantined.push(Quarantined::new(
                name,
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
        // The record is checked for UTF-8 in one go and its mapped cells borrowed from it;
        // only when that fails are the mapped cells checked one by one (an unmapped column
        // may hold anything).
        let mut cells: [Option<&str>; FIELDS.len()] = [None; FIELDS.len()];
        let mut bad = None;
        if let Ok(whole) = std::str::from_utf8(rec.as_slice()) {
            for (fi, cell) in cells.iter_mut().enumerate() {
                *cell = idx[fi]
                    .and_then(|i| rec.range(i))
                    .and_then(|r| whole.get(r));
            }
        } else {
            for (fi, cell) in cells.iter_mut().enumerate() {
                if let Some(b) = idx[fi].and_then(|i| rec.get(i)) {
                    match std::str::from_utf8(b) {
                        Ok(v) => *cell = Some(v),
                        Err(_) => {
                            // A customer identifier shows as its pseudonym, never in clear.
                            let value = if fi == CUSTOMER_KEY {
                                pseudonym_bytes(opts.pseudonymizer, b)
                            } else {
                                String::from_utf8_lossy(b).into_owned()
                            };
                            bad = Some((fi, value));
                            break;
                        }
                    }
                }
            }
        }
        if let Some((fi, value)) = bad {
            out.report.quarantined.push(Quarantined::new(
                name,
                line,
                &layout.cols[fi],
                &value,
                "not valid UTF-8",
            ));
            continue;
        }
        let get =
            |fi: usize| -> Option<Cell<'_>> { cells[fi].map(|c| Cell::Text(Cow::Borrowed(c))) };
        if let Err(q) = mapper.map(name, line, &layout.cols, &get, opts, &mut out) {
            out.report.quarantined.push(*q);
        }
    }
    let hash = reader
        .finish_hash()
        .map_err(|e| DataError::io(Path::new(name), e))?;
    Ok(Stretch {
        out,
        sync_line,
        hash,
    })
}

/// A JSON object's top-level members, values left as unparsed JSON text borrowed from the
/// line: a row reads only its mapped members, and most of them are plain strings.
struct JsonObject<'a> {
    members: Vec<(Cow<'a, str>, &'a serde_json::value::RawValue)>,
}

impl<'a> JsonObject<'a> {
    fn parse(text: &'a str) -> serde_json::Result<Self> {
        serde_json::from_str(text)
    }

    /// The member at `path` (`a.b` reaches into nested objects); the last of duplicate keys,
    /// as a parsed object keeps it.
    fn lookup(&self, path: &str) -> Option<&'a serde_json::value::RawValue> {
        let (head, rest) = match path.split_once('.') {
            Some((h, r)) => (h, Some(r)),
            None => (path, None),
        };
        let raw = self.members.iter().rev().find(|(k, _)| k == head)?.1;
        match rest {
            None => Some(raw),
            Some(rest) => JsonObject::parse(raw.get()).ok()?.lookup(rest),
        }
    }

    /// The member names, sorted and without repeats (for a missing-column message).
    fn names(&self) -> String {
        let mut names: Vec<&str> = self.members.iter().map(|(k, _)| k.as_ref()).collect();
        names.sort_unstable();
        names.dedup();
        names.join(", ")
    }
}

impl<'de> serde::Deserialize<'de> for JsonObject<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Members;
        impl<'de> serde::de::Visitor<'de> for Members {
            type Value = JsonObject<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<M: serde::de::MapAccess<'de>>(
                self,
                mut map: M,
            ) -> std::result::Result<Self::Value, M::Error> {
                let mut members = Vec::with_capacity(map.size_hint().unwrap_or(16));
                while let Some(JsonKey(k)) = map.next_key()? {
                    members.push((k, map.next_value()?));
                }
                Ok(JsonObject { members })
            }
        }
        d.deserialize_map(Members)
    }
}

/// An object key, borrowed from the line unless it has escapes.
struct JsonKey<'a>(Cow<'a, str>);

impl<'de> serde::Deserialize<'de> for JsonKey<'de> {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> std::result::Result<Self, D::Error> {
        struct Key;
        impl<'de> serde::de::Visitor<'de> for Key {
            type Value = JsonKey<'de>;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a string")
            }
            fn visit_borrowed_str<E>(self, v: &'de str) -> std::result::Result<Self::Value, E> {
                Ok(JsonKey(Cow::Borrowed(v)))
            }
            fn visit_str<E>(self, v: &str) -> std::result::Result<Self::Value, E> {
                Ok(JsonKey(Cow::Owned(v.to_string())))
            }
        }
        d.deserialize_str(Key)
    }
}

/// A member's value for the row mapper: strings as they are, integers as integers, other
/// numbers and booleans as their JSON text, nested values as compact JSON; `None` for null.
fn json_cell(raw: &serde_json::value::RawValue) -> Option<Cell<'_>> {
    let text = raw.get();
    match text.as_bytes().first() {
        Some(b'"') => Some(Cell::Text(match serde_json::from_str::<&str>(text) {
            Ok(s) => Cow::Borrowed(s),
            Err(_) => Cow::Owned(serde_json::from_str::<String>(text).ok()?),
        })),
        Some(b'n') => None,
        Some(b'-' | b'0'..=b'9') => {
            let n: serde_json::Number = serde_json::from_str(text).ok()?;
            Some(match n.as_i64() {
                Some(i) => Cell::Int(i),
                None => Cell::Text(Cow::Owned(n.to_string())),
            })
        }
        _ => {
            let v: serde_json::Value = serde_json::from_str(text).ok()?;
            Some(Cell::Text(Cow::Owned(v.to_string())))
        }
    }
}

/// Imports a JSON lines file (one object per line) with the mapping of `opts`.
///
/// A newline never occurs inside a JSON value, so every newline ends a record: a large file
/// is cut after a newline near each 1/threads of its length and the stretches are parsed on
/// their own threads. Rows, quarantine entries and line numbers come out as a sequential
/// parse gives them; the file's BLAKE3 comes from the same reads.
pub fn import_jsonl(path: &Path, opts: &ImportOptions<'_>) -> Result<Imported> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    import_jsonl_on(path, opts, threads, PARALLEL_MIN_BYTES)
}

fn import_jsonl_on(
    path: &Path,
    opts: &ImportOptions<'_>,
    threads: usize,
    parallel_min_bytes: u64,
) -> Result<Imported> {
    let (mapping, _) = setup(opts)?;
    let name = path.display().to_string();
    let cols: [String; FIELDS.len()] =
        std::array::from_fn(|i| mapping.column(FIELDS[i]).to_string());
    let size = std::fs::metadata(path)
        .map_err(|e| DataError::io(path, e))?
        .len();
    check_first_jsonl_record(path, &name, &mapping)?;
    let cuts = if threads > 1 && size >= parallel_min_bytes {
        cut_points(path, 0, size, threads)?
    } else {
        vec![0]
    };
    let progress = StretchProgress::new(0, cuts.len(), opts.progress);
    let report = |k: usize, bytes: u64| progress.report(k, bytes);
    let results: Vec<Result<(Imported, u64, BlockHasher)>> = std::thread::scope(|s| {
        let handles: Vec<_> = cuts
            .iter()
            .enumerate()
            .map(|(k, &start)| {
                let stop = cuts.get(k + 1).copied().unwrap_or(size);
                let (cols, name, report) = (&cols, &name, &report);
                s.spawn(move || {
                    parse_jsonl_stretch(path, name, start, stop, size, cols, opts, &|b| {
                        report(k, b)
                    })
                })
            })
            .collect();
        crate::threads::join_all(handles)
    });
    let mut hashers = Vec::new();
    let mut lines_before = 0u64;
    let mut parts = Vec::with_capacity(results.len());
    for r in results {
        let (mut part, lines, hasher) = r?;
        hashers.push(hasher);
        for q in &mut part.report.quarantined {
            q.row += lines_before;
        }
        lines_before += lines;
        parts.push(part);
    }
    let out = join_stretches(parts);
    finish_text_import(out, path, size, hashers, opts)
}

/// The rows and reports of a file's stretches, in order, as one: the first stretch's columns
/// are sized once for all the others, which join column by column (each freed once copied).
fn join_stretches(parts: Vec<Imported>) -> Imported {
    let (rows, id_bytes) = parts.iter().skip(1).fold((0, 0), |(r, b), p| {
        (r + p.batch.len(), b + p.batch.id_bytes())
    });
    let mut parts = parts.into_iter();
    let Some(mut out) = parts.next() else {
        return Imported::default();
    };
    out.batch.reserve(rows, id_bytes);
    for part in parts {
        out.batch.append_owned(part.batch);
        out.report.absorb(part.report);
    }
    out
}

/// Required fields are checked on the first record: a mapping error, not a row problem.
fn check_first_jsonl_record(path: &Path, name: &str, mapping: &Mapping) -> Result<()> {
    use std::io::BufRead;
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let mut reader = BufReader::new(file);
    let mut line = Vec::new();
    loop {
        line.clear();
        if reader
            .read_until(b'\n', &mut line)
            .map_err(|e| DataError::io(path, e))?
            == 0
        {
            return Ok(());
        }
        let Ok(text) = std::str::from_utf8(&line) else {
            return Ok(());
        };
        if text.trim().is_empty() {
            continue;
        }
        let Ok(object) = JsonObject::parse(text.trim_end()) else {
            return Ok(());
        };
        for f in mapping.required() {
            let c = mapping.column(f);
            if object.lookup(c).is_none() {
                return Err(DataError::MissingColumn {
                    file: name.to_string(),
                    column: c.to_string(),
                    found: object.names(),
                });
            }
        }
        return Ok(());
    }
}

/// Parses the lines of `[start, stop)`: the rows (quarantine rows numbered from 1 at
/// `start`), the number of lines, and the hash of the file's blocks that start there.
#[allow(clippy::too_many_arguments)]
fn parse_jsonl_stretch(
    path: &Path,
    name: &str,
    start: u64,
    stop: u64,
    size: u64,
    cols: &[String; FIELDS.len()],
    opts: &ImportOptions<'_>,
    progress: &dyn Fn(u64),
) -> Result<(Imported, u64, BlockHasher)> {
    use std::io::{Read, Seek, SeekFrom};
    let (_, mut mapper) = setup(opts)?;
    let mut file = File::open(path).map_err(|e| DataError::io(path, e))?;
    file.seek(SeekFrom::Start(start))
        .map_err(|e| DataError::io(path, e))?;
    let mut hasher = BlockHasher::new(start, stop, size);
    let mut out = Imported::default();
    // Read in large blocks, each hashed whole (BLAKE3 hashes many chunks at once when
    // given them together), and cut into lines in place.
    const READ: usize = 1 << 20;
    let mut buf: Vec<u8> = Vec::with_capacity(2 * READ);
    // File offset of `buf[0]`, and of the next byte to read.
    let mut buf_at = start;
    let mut read_at = start;
    let mut line_no = 0u64;
    let mut eof = false;
    loop {
        let mut pos = 0;
        while buf_at + (pos as u64) < stop {
            let rest = &buf[pos..];
            let (line, next) = match memchr::memchr(b'\n', rest) {
                Some(i) => (&rest[..=i], pos + i + 1),
                // The file's last line may have no newline.
                None if eof && !rest.is_empty() => (rest, buf.len()),
                None => break,
            };
            line_no += 1;
            if line_no.is_multiple_of(262_144) {
                progress(buf_at + next as u64 - start);
            }
            jsonl_row(&mut mapper, name, line_no, line, cols, opts, &mut out);
            pos = next;
        }
        buf.drain(..pos);
        buf_at += pos as u64;
        if buf_at >= stop || eof {
            break;
        }
        let old = buf.len();
        buf.resize(old + READ, 0);
        let n = loop {
            match file.read(&mut buf[old..]) {
                Ok(n) => break n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(DataError::io(path, e)),
            }
        };
        buf.truncate(old + n);
        hasher.feed(read_at, &buf[old..]);
        read_at += n as u64;
        eof = n == 0;
    }
    // The last block that starts here may run past what was read.
    while hasher.wants().is_some() {
        buf.resize(READ, 0);
        let n = match file.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
            Err(e) => return Err(DataError::io(path, e)),
        };
        hasher.feed(read_at, &buf[..n]);
        read_at += n as u64;
    }
    Ok((out, line_no, hasher))
}

/// Maps one line of a JSON lines file (with its newline) into `out`.
fn jsonl_row(
    mapper: &mut RowMapper,
    name: &str,
    line_no: u64,
    line: &[u8],
    cols: &[String; FIELDS.len()],
    opts: &ImportOptions<'_>,
    out: &mut Imported,
) {
    let Ok(text) = std::str::from_utf8(line) else {
        out.report.rows_read += 1;
        out.report
            .quarantined
            .push(Quarantined::new(name, line_no, "*", "", "not valid UTF-8"));
        return;
    };
    let text = text.strip_suffix('\n').unwrap_or(text);
    let text = text.strip_suffix('\r').unwrap_or(text);
    if text.trim().is_empty() {
        return;
    }
    out.report.rows_read += 1;
    let object = match JsonObject::parse(text) {
        Ok(o) => o,
        Err(_) => {
            // What is wrong with the line, in the words of a full parse.
            let reason = match serde_json::from_str::<serde_json::Value>(text) {
                Ok(_) => "not a JSON object".to_string(),
                Err(e) => format!("invalid JSON (truncated line?): {e}"),
            };
            out.report
                .quarantined
                .push(Quarantined::new(name, line_no, "*", "", reason));
            return;
        }
    };
    let get = |fi: usize| -> Option<Cell<'_>> { object.lookup(&cols[fi]).and_then(json_cell) };
    if let Err(q) = mapper.map(name, line_no, cols, &get, opts, out) {
        out.report.quarantined.push(*q);
    }
}

/// One Parquet cell for the row mapper: strings as they are; integers as integers; zoned
/// timestamps as instants and naive ones as wall-clock times (the mapping's zone applies);
/// floats, booleans and dates as their text. `None` for nulls and unsupported types.
fn parquet_cell(col: &dyn arrow_array::Array, row: usize) -> Option<Cell<'_>> {
    use arrow_array::cast::AsArray;
    use arrow_array::types::*;
    use arrow_schema::{DataType, TimeUnit};
    if col.is_null(row) {
        return None;
    }
    let text = |s: String| Some(Cell::Text(Cow::Owned(s)));
    let int = |v: i64| Some(Cell::Int(v));
    match col.data_type() {
        DataType::Utf8 => Some(Cell::Text(Cow::Borrowed(col.as_string::<i32>().value(row)))),
        DataType::LargeUtf8 => Some(Cell::Text(Cow::Borrowed(col.as_string::<i64>().value(row)))),
        DataType::Utf8View => Some(Cell::Text(Cow::Borrowed(col.as_string_view().value(row)))),
        DataType::Boolean => text(col.as_boolean().value(row).to_string()),
        DataType::Int8 => int(i64::from(col.as_primitive::<Int8Type>().value(row))),
        DataType::Int16 => int(i64::from(col.as_primitive::<Int16Type>().value(row))),
        DataType::Int32 => int(i64::from(col.as_primitive::<Int32Type>().value(row))),
        DataType::Int64 => int(col.as_primitive::<Int64Type>().value(row)),
        DataType::UInt8 => int(i64::from(col.as_primitive::<UInt8Type>().value(row))),
        DataType::UInt16 => int(i64::from(col.as_primitive::<UInt16Type>().value(row))),
        DataType::UInt32 => int(i64::from(col.as_primitive::<UInt32Type>().value(row))),
        DataType::UInt64 => {
            let v = col.as_primitive::<UInt64Type>().value(row);
            match i64::try_from(v) {
                Ok(v) => int(v),
                Err(_) => text(v.to_string()),
            }
        }
        DataType::Float32 => text(col.as_primitive::<Float32Type>().value(row).to_string()),
        DataType::Float64 => text(col.as_primitive::<Float64Type>().value(row).to_string()),
        DataType::Date32 => {
            let days = col.as_primitive::<Date32Type>().value(row);
            let d = jiff::civil::date(1970, 1, 1)
                .checked_add(jiff::Span::new().days(i64::from(days)))
                .ok()?;
            text(d.to_string())
        }
        DataType::Timestamp(unit, zone) => {
            let v = match unit {
                TimeUnit::Second => col.as_primitive::<TimestampSecondType>().value(row),
                TimeUnit::Millisecond => col.as_primitive::<TimestampMillisecondType>().value(row),
                TimeUnit::Microsecond => col.as_primitive::<TimestampMicrosecondType>().value(row),
                TimeUnit::Nanosecond => col.as_primitive::<TimestampNanosecondType>().value(row),
            };
            let ns = match unit {
                TimeUnit::Second => i128::from(v) * 1_000_000_000,
                TimeUnit::Millisecond => i128::from(v) * 1_000_000,
                TimeUnit::Microsecond => i128::from(v) * 1_000,
                TimeUnit::Nanosecond => i128::from(v),
            };
            let t = jiff::Timestamp::from_nanosecond(ns).ok()?;
            Some(if zone.is_some() {
                Cell::Instant(t)
            } else {
                Cell::Civil(t.to_zoned(jiff::tz::TimeZone::UTC).datetime())
            })
        }
        _ => None,
    }
}

/// Imports a Parquet file with the mapping of `opts`. Rows are numbered from 1 in file order
/// (quarantine lines are row numbers, there being no text lines).
///
/// Only the mapped columns are decoded. The row groups are split into one contiguous range
/// per core, each decoded and mapped on its own thread; the ranges' rows are then joined in
/// file order, so rows and quarantine entries come out as one thread would give them.
pub fn import_parquet(path: &Path, opts: &ImportOptions<'_>) -> Result<Imported> {
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    import_parquet_on(path, opts, threads)
}

fn import_parquet_on(path: &Path, opts: &ImportOptions<'_>, threads: usize) -> Result<Imported> {
    use arrow_schema::DataType;
    use parquet::arrow::ProjectionMask;
    use parquet::arrow::arrow_reader::ArrowReaderMetadata;
    let (mapping, _) = setup(opts)?;
    let name = path.display().to_string();
    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
    let bad = |e: &dyn std::fmt::Display| DataError::Malformed {
        file: name.clone(),
        line: 0,
        message: format!("not a readable Parquet file: {e}"),
    };
    let meta = ArrowReaderMetadata::load(&file, Default::default()).map_err(|e| bad(&e))?;
    let schema = meta.schema().clone();
    let found = || {
        schema
            .fields()
            .iter()
            .map(|f| f.name().as_str())
            .collect::<Vec<_>>()
            .join(", ")
    };
    for f in mapping.required() {
        let c = mapping.column(f);
        if schema.index_of(c).is_err() {
            return Err(DataError::MissingColumn {
                file: name,
                column: c.to_string(),
                found: found(),
            });
        }
    }
    let cols: [String; FIELDS.len()] =
        std::array::from_fn(|i| mapping.column(FIELDS[i]).to_string());
    let idx: Vec<Option<usize>> = cols.iter().map(|c| schema.index_of(c).ok()).collect();
    // A mapped column of a type pacta cannot read is a mapping error up front, not a
    // quarantine of every row.
    for (fi, i) in idx.iter().enumerate() {
        if let Some(i) = i {
            let t = schema.field(*i).data_type();
            let readable = t.is_numeric()
                || matches!(
                    t,
                    DataType::Utf8
                        | DataType::LargeUtf8
                        | DataType::Utf8View
                        | DataType::Boolean
                        | DataType::Date32
                        | DataType::Timestamp(_, _)
                );
            let supported_numeric = !matches!(
                t,
                DataType::Float16
                    | DataType::Decimal32(_, _)
                    | DataType::Decimal64(_, _)
                    | DataType::Decimal128(_, _)
                    | DataType::Decimal256(_, _)
            );
            if !readable || !supported_numeric {
                return Err(DataError::Mapping(format!(
                    "{name}: column `{}` (field `{}`) has Parquet/Arrow type {t}, which pacta does not read; store it as text, integer, float, boolean, date or timestamp",
                    cols[fi], FIELDS[fi]
                )));
            }
        }
    }
    // Only the mapped columns are decoded; in the projected batches they keep the file's
    // order, so each field's position there is its rank among the mapped columns.
    let mut mapped: Vec<usize> = idx.iter().flatten().copied().collect();
    mapped.sort_unstable();
    mapped.dedup();
    let projected: Vec<Option<usize>> = idx
        .iter()
        .map(|i| i.and_then(|i| mapped.binary_search(&i).ok()))
        .collect();
    let projection = ProjectionMask::roots(meta.parquet_schema(), mapped.iter().copied());
    let group_rows: Vec<u64> = meta
        .metadata()
        .row_groups()
        .iter()
        .map(|g| u64::try_from(g.num_rows()).unwrap_or(0))
        .collect();
    let total_rows: u64 = group_rows.iter().sum();
    let file_len = std::fs::metadata(path).map_or(0, |m| m.len());
    // Contiguous ranges of row groups of about equal rows, one per thread.
    let mut ranges: Vec<(std::ops::Range<usize>, u64)> = Vec::new();
    let mut start = 0;
    let mut first_row = 0u64;
    let mut acc = 0u64;
    let parts = threads.clamp(1, group_rows.len().max(1)) as u64;
    for (g, rows) in group_rows.iter().enumerate() {
        acc += rows;
        let k = ranges.len() as u64 + 1;
        if acc * parts >= total_rows * k || g + 1 == group_rows.len() {
            ranges.push((start..g + 1, first_row));
            start = g + 1;
            first_row = acc;
        }
    }
    let rows_done = std::sync::atomic::AtomicU64::new(0);
    let results: Vec<Result<Imported>> = std::thread::scope(|s| {
        let handles: Vec<_> = ranges
            .iter()
            .map(|(groups, first_row)| {
                let (meta, projection, projected) = (&meta, &projection, &projected);
                let (cols, name, bad, rows_done) = (&cols, &name, &bad, &rows_done);
                s.spawn(move || -> Result<Imported> {
                    use parquet::arrow::arrow_reader::ParquetRecordBatchReaderBuilder;
                    let (_, mut mapper) = setup(opts)?;
                    let file = File::open(path).map_err(|e| DataError::io(path, e))?;
                    let reader =
                        ParquetRecordBatchReaderBuilder::new_with_metadata(file, meta.clone())
                            .with_row_groups(groups.clone().collect())
                            .with_projection(projection.clone())
                            .with_batch_size(65_536)
                            .build()
                            .map_err(|e| bad(&e))?;
                    let mut out = Imported::default();
                    let mut row_no = *first_row;
                    for batch in reader {
                        let batch = batch.map_err(|e| bad(&e))?;
                        let arrays: Vec<Option<&dyn arrow_array::Array>> = projected
                            .iter()
                            .map(|i| i.map(|i| batch.column(i).as_ref()))
                            .collect();
                        for r in 0..batch.num_rows() {
                            row_no += 1;
                            out.report.rows_read += 1;
                            let get =
                                |fi: usize| -> Option<Cell<'_>> { parquet_cell(arrays[fi]?, r) };
                            if let Err(q) = mapper.map(name, row_no, cols, &get, opts, &mut out) {
                                out.report.quarantined.push(*q);
                            }
                        }
                        let done = rows_done.fetch_add(
                            batch.num_rows() as u64,
                            std::sync::atomic::Ordering::Relaxed,
                        ) + batch.num_rows() as u64;
                        if let Some(p) = opts.progress {
                            p(done.min(total_rows) * file_len / total_rows.max(1));
                        }
                    }
                    Ok(out)
                })
            })
            .collect();
        crate::threads::join_all(handles)
    });
    let parts = results.into_iter().collect::<Result<Vec<_>>>()?;
    let mut out = join_stretches(parts);
    let hash = filehash::hash_file(path, file_len, threads).map_err(|e| DataError::io(path, e))?;
    out.report.files.insert(
        0,
        SourceFile {
            path: path.display().to_string(),
            bytes: file_len,
            blake3: hash.to_hex().to_string(),
        },
    );
    tally(&mut out);
    Ok(out)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use crate::pseudo::Pseudonymizer;

    const HEADER: &str = "source_id,channel,queue,site,language,customer_key,arrived_at,answered_at,ended_at,outcome,talk_s,hold_s,wrap_s,agent_key,disposition,first_response_at\n";

    /// A CSV with quoted cells holding newlines and delimiters, short rows, bad values and
    /// invalid UTF-8 spread through it, so that cuts land in every kind of place.
    fn messy_csv(rows: usize) -> Vec<u8> {
        let mut out = HEADER.as_bytes().to_vec();
        for i in 0..rows {
            let line = match i % 11 {
                3 => format!(
                    "id{i},voice_in,\"multi\nline, queue\",,en,+1 555 {i},2026-10-01T00:{:02}:00Z,2026-10-01T00:{:02}:05Z,,answered,30,,5,ag{},,\n",
                    i % 60,
                    i % 60,
                    i % 7
                ),
                5 => format!("id{i},voice_in,cards\n"),
                7 => format!("id{i},voice_in,cards,,,,yesterday,,,answered,,,,,,\n"),
                9 => {
                    let mut v = format!("id{i},voice_in,caf").into_bytes();
                    v.push(0xE9);
                    v.extend_from_slice(b",,,,2026-10-01T00:00:00Z,,,abandoned,,,,,,\n");
                    out.extend(v);
                    continue;
                }
                _ => format!(
                    "id{i},chat,\"q \"\"{}\"\"\",MNL,,c{},2026-10-0{}T01:00:00Z,,2026-10-0{}T01:00:09Z,abandoned,,,,,,\n",
                    i % 3,
                    i % 13,
                    1 + i % 5,
                    1 + i % 5
                ),
            };
            out.extend(line.into_bytes());
        }
        out
    }

    /// `out` with its file named `name` wherever the report names it (not the temporary path).
    fn named(mut out: Imported, name: &str) -> Imported {
        for q in &mut out.report.quarantined {
            q.file = name.into();
        }
        for f in &mut out.report.files {
            f.path = name.into();
        }
        out
    }

    fn import(bytes: &[u8], threads: usize) -> Imported {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("messy.csv");
        std::fs::write(&path, bytes).unwrap();
        let pseudo = Pseudonymizer::from_key([7; 32]);
        let opts = ImportOptions::new(jiff::tz::TimeZone::UTC, &pseudo);
        named(
            import_csv_on(&path, &opts, threads, 0).unwrap(),
            "messy.csv",
        )
    }

    #[test]
    fn parallel_parse_equals_sequential_whatever_the_cuts() {
        for rows in [1, 2, 10, 57, 400] {
            let bytes = messy_csv(rows);
            let one = import(&bytes, 1);
            assert_eq!(one.report.rows_read, rows as u64);
            for threads in [2, 3, 5, 8] {
                let many = import(&bytes, threads);
                assert_eq!(
                    many.batch.to_interactions(),
                    one.batch.to_interactions(),
                    "{rows} rows, {threads} threads"
                );
                assert_eq!(many.report, one.report, "{rows} rows, {threads} threads");
            }
        }
        // The quarantine keeps the file's own line numbers (a quoted newline makes a row
        // take two lines).
        let one = import(&messy_csv(400), 4);
        let short = one
            .report
            .quarantined
            .iter()
            .find(|q| q.value == "3 field(s)")
            .unwrap();
        assert_eq!(
            short.row, 8,
            "row 5 is on line 8 (header, rows 0-4, row 3 on two lines)"
        );
        let utf8 = one
            .report
            .quarantined
            .iter()
            .find(|q| q.reason == "not valid UTF-8")
            .unwrap();
        assert_eq!(utf8.field, "queue");
        assert!(one.report.quarantined.iter().any(|q| q.row > 400));
    }

    #[test]
    fn a_cut_inside_a_quoted_field_falls_back_to_one_thread() {
        // One huge quoted cell full of newlines: every cut lands inside it.
        let mut bytes = HEADER.as_bytes().to_vec();
        bytes.extend(b"a1,voice_in,\"");
        for i in 0..2000 {
            bytes.extend(format!("line {i}\n").into_bytes());
        }
        bytes.extend(b"\",,,,2026-10-01T00:00:00Z,,,abandoned,,,,,,\nb2,voice_in,q,,,,2026-10-01T00:00:01Z,,,abandoned,,,,,,\n");
        let one = import(&bytes, 1);
        let many = import(&bytes, 4);
        assert_eq!(one.report.rows_read, 2);
        assert_eq!(many.report, one.report);
        assert_eq!(many.batch.to_interactions(), one.batch.to_interactions());
    }

    #[test]
    fn bad_utf8_in_an_unmapped_column_does_not_quarantine_the_row() {
        let mut bytes = HEADER.trim_end().as_bytes().to_vec();
        bytes.extend(b",notes\nid1,voice_in,cards,,,,2026-10-01T00:00:00Z,,,abandoned,,,,,,,caf");
        bytes.push(0xE9);
        bytes.extend(b"\nid2,voice_in,caf");
        bytes.push(0xE9);
        bytes.extend(b",,,,2026-10-01T00:00:00Z,,,abandoned,,,,,,,ok\n");
        let out = import(&bytes, 1);
        assert_eq!(out.report.rows_read, 2);
        assert_eq!(out.report.imported, 1);
        assert_eq!(out.batch.source_id(0), "id1");
        assert_eq!(out.report.quarantined.len(), 1);
        assert_eq!(out.report.quarantined[0].field, "queue");
        assert_eq!(out.report.quarantined[0].row, 3);
    }

    #[test]
    fn the_source_hash_is_the_files_blake3_however_it_was_read() {
        // About 3 MB: several 1 MiB hash blocks, cuts that fall inside them.
        let bytes = messy_csv(30_000);
        assert!(bytes.len() > 2 << 20);
        let want = blake3::hash(&bytes).to_hex().to_string();
        for threads in [1, 2, 3, 7] {
            let out = import(&bytes, threads);
            assert_eq!(out.report.files[0].blake3, want, "{threads} threads");
            assert_eq!(out.report.files[0].bytes, bytes.len() as u64);
        }
        // A cut inside a quoted cell makes the parse start over on one thread: same hash.
        let mut quoted = HEADER.as_bytes().to_vec();
        quoted.extend(b"a1,voice_in,\"");
        for i in 0..200_000 {
            quoted.extend(format!("line {i}\n").into_bytes());
        }
        quoted.extend(b"\",,,,2026-10-01T00:00:00Z,,,abandoned,,,,,,\n");
        let out = import(&quoted, 4);
        assert_eq!(out.report.rows_read, 1);
        assert_eq!(
            out.report.files[0].blake3,
            blake3::hash(&quoted).to_hex().to_string()
        );
    }

    /// Typed columns as DuckDB or pandas write them: zoned timestamps with sub-millisecond
    /// digits, naive ones (in the mapping's zone, across Bogotá's lack of DST and a value
    /// per hour), integer and float durations, integer phone numbers, nulls and bad values.
    fn typed_rows(rows: usize) -> Vec<(&'static str, arrow_array::ArrayRef)> {
        use arrow_array::{
            ArrayRef, Float64Array, Int64Array, StringArray, TimestampMicrosecondArray,
            TimestampMillisecondArray,
        };
        use std::sync::Arc;
        // 2026-10-05T14:00:00Z in µs.
        let t0: i64 = 1_791_208_800_000_000;
        let arrived: Vec<i64> = (0..rows as i64).map(|i| t0 + i * 61_000_123).collect();
        let answered: Vec<Option<i64>> = (0..rows as i64)
            .map(|i| {
                (i % 4 != 1).then_some((t0 - 5 * 3_600_000_000 + i * 61_000_123) / 1000 + 20_000)
            })
            .collect();
        let wait: Vec<Option<i64>> = (0..rows as i64)
            .map(|i| match i % 17 {
                3 => Some(-4),
                5 => Some(40 * 86_400),
                6 => None,
                _ => Some(i % 50),
            })
            .collect();
        let talk: Vec<Option<f64>> = (0..rows)
            .map(|i| (i % 3 != 0).then_some(i as f64 * 0.25))
            .collect();
        vec![
            (
                "call_id",
                Arc::new(StringArray::from_iter_values(
                    (0..rows).map(|i| format!("c{i}")),
                )) as ArrayRef,
            ),
            (
                "skill",
                Arc::new(StringArray::from_iter_values(
                    (0..rows).map(|i| if i % 2 == 0 { "cards" } else { "retail" }),
                )),
            ),
            (
                "start_time",
                Arc::new(TimestampMicrosecondArray::from(arrived).with_timezone("UTC")),
            ),
            (
                "pickup",
                Arc::new(TimestampMillisecondArray::from(answered)),
            ),
            ("wait", Arc::new(Int64Array::from(wait))),
            ("talk", Arc::new(Float64Array::from(talk))),
            (
                "phone",
                Arc::new(Int64Array::from_iter_values(
                    (0..rows as i64).map(|i| 5_550_000 + i % 29),
                )),
            ),
        ]
    }

    const TYPED_MAPPING: &str = r#"
time_zone = "America/Bogota"
derive_outcome = true
[mapping]
source_id = "call_id"
queue = "skill"
arrived_at = "start_time"
answered_at = "pickup"
wait_s = "wait"
talk_s = "talk"
customer_key = "phone"
"#;

    fn write_typed(path: &Path, rows: usize, group_rows: usize) {
        use parquet::arrow::ArrowWriter;
        use parquet::file::properties::WriterProperties;
        let columns = typed_rows(rows);
        let fields: Vec<arrow_schema::Field> = columns
            .iter()
            .map(|(n, a)| arrow_schema::Field::new(*n, a.data_type().clone(), true))
            .collect();
        let schema = std::sync::Arc::new(arrow_schema::Schema::new(fields));
        let batch = arrow_array::RecordBatch::try_new(
            schema.clone(),
            columns.into_iter().map(|(_, a)| a).collect(),
        )
        .unwrap();
        let props = WriterProperties::builder()
            .set_max_row_group_row_count(Some(group_rows))
            .build();
        let file = File::create(path).unwrap();
        let mut w = ArrowWriter::try_new(file, schema, Some(props)).unwrap();
        w.write(&batch).unwrap();
        w.close().unwrap();
    }

    /// The same rows as CSV, each cell the text the typed value stands for.
    fn typed_as_csv(rows: usize) -> String {
        let columns = typed_rows(rows);
        let mut out = columns.iter().map(|c| c.0).collect::<Vec<_>>().join(",") + "\n";
        for r in 0..rows {
            let cells: Vec<String> = columns
                .iter()
                .map(|(_, a)| {
                    parquet_cell(a.as_ref(), r)
                        .map_or(String::new(), |c| c.into_text().into_owned())
                })
                .collect();
            out += &(cells.join(",") + "\n");
        }
        out
    }

    #[test]
    fn typed_parquet_imports_as_its_text_would_on_any_number_of_threads() {
        let dir = tempfile::tempdir().unwrap();
        let pseudo = Pseudonymizer::from_key([7; 32]);
        let mapping = Mapping::from_toml(TYPED_MAPPING).unwrap();
        let mut opts = ImportOptions::new(jiff::tz::TimeZone::UTC, &pseudo);
        opts.mapping = Some(&mapping);
        let rows = 1000;
        let csv = dir.path().join("calls.csv");
        std::fs::write(&csv, typed_as_csv(rows)).unwrap();
        let from_text = import_csv_on(&csv, &opts, 1, u64::MAX).unwrap();
        assert!(from_text.report.imported > 800, "{:?}", from_text.report);
        assert!(!from_text.report.quarantined.is_empty());
        for group_rows in [1000, 97, 10] {
            let pq = dir.path().join(format!("calls-{group_rows}.parquet"));
            write_typed(&pq, rows, group_rows);
            for threads in [1, 2, 3, 8] {
                let typed = import_parquet_on(&pq, &opts, threads).unwrap();
                let what = format!("{group_rows} rows per group, {threads} threads");
                assert_eq!(
                    typed.batch.to_interactions(),
                    from_text.batch.to_interactions(),
                    "{what}"
                );
                // The CSV's quarantine gives file lines (the header is line 1), Parquet's
                // gives row numbers.
                let strip = |r: &crate::report::ImportReport, header_lines: u64| {
                    let mut r = r.clone();
                    r.files.clear();
                    for q in &mut r.quarantined {
                        q.file.clear();
                        q.row -= header_lines;
                    }
                    r
                };
                assert!(
                    strip(&typed.report, 0) == strip(&from_text.report, 1),
                    "{what}"
                );
                let want = blake3::hash(&std::fs::read(&pq).unwrap())
                    .to_hex()
                    .to_string();
                assert_eq!(typed.report.files[0].blake3, want, "{what}");
            }
        }
    }

    #[test]
    fn a_naive_parquet_timestamp_needs_no_text_format() {
        // The mapping's format is for text cells; a typed timestamp is already a time.
        let dir = tempfile::tempdir().unwrap();
        let pq = dir.path().join("calls.parquet");
        write_typed(&pq, 40, 1000);
        let pseudo = Pseudonymizer::from_key([7; 32]);
        let mapping = Mapping::from_toml(&format!(
            "timestamp_format = \"%d/%m/%Y %H:%M\"\n{TYPED_MAPPING}"
        ))
        .unwrap();
        let mut opts = ImportOptions::new(jiff::tz::TimeZone::UTC, &pseudo);
        opts.mapping = Some(&mapping);
        let out = import_parquet_on(&pq, &opts, 2).unwrap();
        assert!(
            out.report.quarantined.iter().all(|q| q.field == "wait"),
            "{:?}",
            out.report.quarantined
        );
        let first = &out.batch.to_interactions()[0];
        // 2026-10-05 09:00:20 in Bogotá (UTC-5) is 14:00:20Z.
        assert_eq!(first.answered_at_ms, Some(1_791_208_820_000));
    }

    /// JSON lines with blank lines, CRLF endings, escapes, nested members, duplicate keys,
    /// numbers, invalid UTF-8, truncated lines and non-objects spread through it.
    fn messy_jsonl(rows: usize) -> Vec<u8> {
        let mut out = Vec::new();
        for i in 0..rows {
            let line = match i % 13 {
                2 => "\n".to_string(),
                4 => format!(
                    "{{\"source_id\":\"j{i}\",\"queue\":\"ca\\u00f1a \\\"q\\\"\",\"arrived_at\":\"2026-10-01T00:{:02}:00Z\",\"outcome\":\"abandoned\",\"meta\":{{\"customer\":{{\"key\":\"c{}\"}}}}}}\r\n",
                    i % 60,
                    i % 7
                ),
                6 => {
                    let mut v = format!("{{\"source_id\":\"j{i}\",\"queue\":\"caf").into_bytes();
                    v.push(0xE9);
                    v.extend_from_slice(b"\"}\n");
                    out.extend(v);
                    continue;
                }
                8 => format!("{{\"source_id\":\"j{i}\",\"queue\":\"cards\",\"arrived_at\":\n"),
                10 => "[1, 2, 3]\n".to_string(),
                11 => format!(
                    "{{\"source_id\":\"j{i}\",\"queue\":\"old\",\"queue\":\"cards\",\"arrived_at\":\"2026-10-02T01:00:00Z\",\"answered_at\":\"2026-10-02T01:00:07Z\",\"outcome\":\"answered\",\"talk_s\":{},\"wrap_s\":2.5,\"hold_s\":-1}}\n",
                    i % 90
                ),
                _ => format!(
                    "{{\"source_id\":\"j{i}\",\"queue\":\"cards\",\"arrived_at\":\"2026-10-0{}T01:00:00Z\",\"answered_at\":\"2026-10-0{}T01:00:20Z\",\"outcome\":\"answered\",\"talk_s\":{},\"wrap_s\":1.25,\"meta\":{{\"customer\":{{\"key\":\"c{}\"}}}}}}\n",
                    1 + i % 5,
                    1 + i % 5,
                    i % 300,
                    i % 11
                ),
            };
            out.extend(line.into_bytes());
        }
        out
    }

    fn import_json(bytes: &[u8], threads: usize) -> Imported {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("messy.jsonl");
        std::fs::write(&path, bytes).unwrap();
        let pseudo = Pseudonymizer::from_key([7; 32]);
        let mapping =
            Mapping::from_toml("[mapping]\ncustomer_key = \"meta.customer.key\"\n").unwrap();
        let mut opts = ImportOptions::new(jiff::tz::TimeZone::UTC, &pseudo);
        opts.mapping = Some(&mapping);
        named(
            import_jsonl_on(&path, &opts, threads, 0).unwrap(),
            "messy.jsonl",
        )
    }

    #[test]
    fn json_lines_parse_the_same_on_any_number_of_threads() {
        // 12,000 rows take several of the reader's 1 MiB blocks.
        for rows in [1, 3, 14, 80, 700, 12_000] {
            let bytes = messy_jsonl(rows);
            let one = import_json(&bytes, 1);
            assert_eq!(
                one.report.files[0].blake3,
                blake3::hash(&bytes).to_hex().to_string()
            );
            for threads in [2, 3, 8] {
                let many = import_json(&bytes, threads);
                assert_eq!(
                    many.batch.to_interactions(),
                    one.batch.to_interactions(),
                    "{rows} rows, {threads} threads"
                );
                assert!(many.report == one.report, "{rows} rows, {threads} threads");
            }
        }
        let out = import_json(&messy_jsonl(700), 4);
        let rows = out.batch.to_interactions();
        let by_id = |id: &str| rows.iter().find(|r| r.source_id == id).unwrap();
        // Escapes decoded; the last of duplicate keys; integers and decimals as seconds; a
        // nested member reached by its dotted path.
        assert_eq!(by_id("j4").queue, "caña \"q\"");
        assert_eq!(by_id("j4").customer_key, by_id("j26").customer_key);
        assert!(by_id("j4").customer_key.is_some());
        assert_eq!(by_id("j0").talk_ms, Some(0));
        assert_eq!(by_id("j1").talk_ms, Some(1000));
        assert_eq!(by_id("j1").wrap_ms, Some(1250));
        let reasons: Vec<(u64, &str)> = out
            .report
            .quarantined
            .iter()
            .take(4)
            .map(|q| (q.row, q.reason.as_str()))
            .collect();
        assert_eq!(reasons[0], (7, "not valid UTF-8"));
        assert_eq!(reasons[1].0, 9);
        assert!(
            reasons[1].1.starts_with("invalid JSON (truncated line?): "),
            "{reasons:?}"
        );
        assert_eq!(reasons[2], (11, "not a JSON object"));
        assert_eq!(reasons[3], (12, "not a non-negative number of seconds"));
        // Blank lines are not rows but keep their line numbers.
        assert_eq!(out.report.rows_read, 700 - 700 / 13 - 1);
        let last = out.report.quarantined.last().unwrap();
        assert!(last.row > 690, "{last:?}");
    }
}
