//! The column cache: a raw copy of each interactions file's columns beside the store, so a
//! month reads back at the speed of copying memory instead of decoding Parquet.
//!
//! The Parquet files stay the store's record (external engines read them; the manifest
//! checks them by BLAKE3). A cache file is derived from one of them and named after its
//! BLAKE3 (`cache/<blake3>.cols`), so a corrected or removed file can never be read through
//! a stale copy: a different file has a different name. Every section of a cache file
//! carries its own XXH3-64, checked on each read; a cache file that is missing, cut short,
//! damaged or written by another version is never trusted — the month is read from the
//! Parquet files instead, and the copy rebuilt.
//!
//! Layout: the columns' sections (little-endian values, one after another), then the header
//! as JSON, then a trailer of three `u64` (header length, the header's XXH3-64, [`MAGIC`]).
//! The header is at the end so sections stream out while their sizes and hashes are counted.

use std::collections::HashMap;
use std::fs::File;
use std::hash::Hasher as _;
use std::io::{BufWriter, Read, Seek, SeekFrom, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicU64, Ordering};

use serde::{Deserialize, Serialize};
use twox_hash::XxHash3_64;

use crate::batch::Dict;
use crate::model::InteractionTable;

/// The last eight bytes of a cache file: "PACTCOL" and the format's version.
const MAGIC: u64 = u64::from_le_bytes(*b"PACTCOL1");
/// The store's subdirectory of cache files.
pub(crate) const CACHE_DIR: &str = "cache";
/// Bytes read (and hashed) at a time.
const CHUNK: usize = 1 << 20;

/// A column's storage in [`InteractionTable`], by its name in the Parquet files.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Column {
    SourceId,
    Channel,
    Queue,
    Site,
    Language,
    Customer,
    Arrived,
    Answered,
    Ended,
    Outcome,
    Talk,
    Hold,
    Wrap,
    Agent,
    Disposition,
    FirstResponse,
}

impl Column {
    const ALL: [Column; 16] = [
        Column::SourceId,
        Column::Channel,
        Column::Queue,
        Column::Site,
        Column::Language,
        Column::Customer,
        Column::Arrived,
        Column::Answered,
        Column::Ended,
        Column::Outcome,
        Column::Talk,
        Column::Hold,
        Column::Wrap,
        Column::Agent,
        Column::Disposition,
        Column::FirstResponse,
    ];

    /// The Parquet column's name (see [`crate::parquet_io::COLUMNS`]).
    fn name(self) -> &'static str {
        match self {
            Column::SourceId => "source_id",
            Column::Channel => "channel",
            Column::Queue => "queue",
            Column::Site => "site",
            Column::Language => "language",
            Column::Customer => "customer_key",
            Column::Arrived => "arrived_at",
            Column::Answered => "answered_at",
            Column::Ended => "ended_at",
            Column::Outcome => "outcome",
            Column::Talk => "talk_ms",
            Column::Hold => "hold_ms",
            Column::Wrap => "wrap_ms",
            Column::Agent => "agent_key",
            Column::Disposition => "disposition",
            Column::FirstResponse => "first_response_at",
        }
    }

    /// Bytes per row (source ids: their lengths; the text is a section of its own).
    fn width(self) -> u64 {
        match self {
            Column::Channel | Column::Outcome => 1,
            Column::SourceId
            | Column::Queue
            | Column::Site
            | Column::Language
            | Column::Agent
            | Column::Disposition => 4,
            _ => 8,
        }
    }

    /// The dictionary a column's codes index, if any.
    fn dict(self) -> Option<DictName> {
        match self {
            Column::Queue => Some(DictName::Queue),
            Column::Site => Some(DictName::Site),
            Column::Language => Some(DictName::Language),
            Column::Agent => Some(DictName::Agent),
            Column::Disposition => Some(DictName::Disposition),
            _ => None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum DictName {
    Queue,
    Site,
    Language,
    Agent,
    Disposition,
}

/// The text of source ids: its section's name in the header.
const SOURCE_ID_TEXT: &str = "source_id.text";

#[derive(Debug, Serialize, Deserialize)]
struct Header {
    /// BLAKE3 of the Parquet file the copy was made from.
    source_blake3: String,
    rows: u64,
    sections: Vec<Section>,
    queue: Vec<String>,
    site: Vec<String>,
    language: Vec<String>,
    agent: Vec<String>,
    disposition: Vec<String>,
}

impl Header {
    fn dict(&self, d: DictName) -> &[String] {
        match d {
            DictName::Queue => &self.queue,
            DictName::Site => &self.site,
            DictName::Language => &self.language,
            DictName::Agent => &self.agent,
            DictName::Disposition => &self.disposition,
        }
    }

    fn section(&self, name: &str) -> Option<&Section> {
        self.sections.iter().find(|s| s.name == name)
    }
}

#[derive(Debug, Serialize, Deserialize)]
struct Section {
    name: String,
    offset: u64,
    len: u64,
    xxh3: u64,
}

/// Why a cache file cannot be used. Never shown to a user: the caller reads the Parquet
/// files instead.
#[derive(Debug)]
pub(crate) enum CacheMiss {
    /// No cache file, or one of another format version.
    Absent,
    /// A cache file whose bytes do not check: it should be rebuilt.
    Damaged(PathBuf),
    /// Reading or writing failed.
    Io,
}

/// The cache file for the Parquet file whose BLAKE3 is `blake3`.
pub(crate) fn path(store_dir: &Path, blake3: &str) -> PathBuf {
    store_dir.join(CACHE_DIR).join(format!("{blake3}.cols"))
}

/// Writes the cache file of a Parquet file (BLAKE3 `source_blake3`) read whole into `t`:
/// to a temporary name, then renamed into place, so a reader never sees half a file. Not
/// synced: a copy lost in a crash is rebuilt.
pub(crate) fn write(
    path: &Path,
    source_blake3: &str,
    t: &InteractionTable,
) -> Result<(), CacheMiss> {
    static NEXT: AtomicU64 = AtomicU64::new(0);
    let dir = path.parent().ok_or(CacheMiss::Io)?;
    std::fs::create_dir_all(dir).map_err(|_| CacheMiss::Io)?;
    let tmp = dir.join(format!(
        ".{}.{}.tmp",
        std::process::id(),
        NEXT.fetch_add(1, Ordering::Relaxed)
    ));
    let result = write_to(&tmp, source_blake3, t)
        .and_then(|()| std::fs::rename(&tmp, path).map_err(|_| CacheMiss::Io));
    if result.is_err() {
        let _ = std::fs::remove_file(&tmp);
    }
    result
}

fn write_to(tmp: &Path, source_blake3: &str, t: &InteractionTable) -> Result<(), CacheMiss> {
    let rows = t.row_count();
    let file = File::create(tmp).map_err(|_| CacheMiss::Io)?;
    let mut out = SectionWriter {
        w: BufWriter::with_capacity(CHUNK, file),
        offset: 0,
        sections: Vec::new(),
    };
    for c in Column::ALL {
        if !t.column_loaded(c.name()) {
            return Err(CacheMiss::Io);
        }
        match c {
            Column::SourceId => {
                out.section(c.name(), |w| {
                    for s in &t.source_id {
                        let len = u32::try_from(s.len()).map_err(|_| CacheMiss::Io)?;
                        w.write_all(&len.to_le_bytes()).map_err(|_| CacheMiss::Io)?;
                    }
                    Ok(())
                })?;
                out.section(SOURCE_ID_TEXT, |w| {
                    for s in &t.source_id {
                        w.write_all(s.as_bytes()).map_err(|_| CacheMiss::Io)?;
                    }
                    Ok(())
                })?;
            }
            Column::Channel => out.bytes(c.name(), &t.channel)?,
            Column::Outcome => out.bytes(c.name(), &t.outcome)?,
            Column::Queue => out.values(c.name(), &t.queue, u32::to_le_bytes)?,
            Column::Site => out.values(c.name(), &t.site, u32::to_le_bytes)?,
            Column::Language => out.values(c.name(), &t.language, u32::to_le_bytes)?,
            Column::Agent => out.values(c.name(), &t.agent, u32::to_le_bytes)?,
            Column::Disposition => out.values(c.name(), &t.disposition, u32::to_le_bytes)?,
            Column::Customer => out.values(c.name(), &t.customer, u64::to_le_bytes)?,
            Column::Arrived => out.values(c.name(), &t.arrived_at_ms, i64::to_le_bytes)?,
            Column::Answered => out.values(c.name(), &t.answered_at_ms, i64::to_le_bytes)?,
            Column::Ended => out.values(c.name(), &t.ended_at_ms, i64::to_le_bytes)?,
            Column::Talk => out.values(c.name(), &t.talk_ms, i64::to_le_bytes)?,
            Column::Hold => out.values(c.name(), &t.hold_ms, i64::to_le_bytes)?,
            Column::Wrap => out.values(c.name(), &t.wrap_ms, i64::to_le_bytes)?,
            Column::FirstResponse => {
                out.values(c.name(), &t.first_response_at_ms, i64::to_le_bytes)?;
            }
        }
    }
    let header = Header {
        source_blake3: source_blake3.to_string(),
        rows: rows as u64,
        sections: out.sections,
        queue: t.queue_dict.clone(),
        site: t.site_dict.clone(),
        language: t.language_dict.clone(),
        agent: t.agent_dict.clone(),
        disposition: t.disposition_dict.clone(),
    };
    let json = serde_json::to_vec(&header).map_err(|_| CacheMiss::Io)?;
    let mut w = out.w;
    w.write_all(&json)
        .and_then(|()| w.write_all(&(json.len() as u64).to_le_bytes()))
        .and_then(|()| w.write_all(&XxHash3_64::oneshot(&json).to_le_bytes()))
        .and_then(|()| w.write_all(&MAGIC.to_le_bytes()))
        .and_then(|()| w.flush())
        .map_err(|_| CacheMiss::Io)
}

/// Writes sections one after another, hashing each.
struct SectionWriter {
    w: BufWriter<File>,
    offset: u64,
    sections: Vec<Section>,
}

/// A writer that hashes and counts what goes through it.
struct Hashing<'a> {
    w: &'a mut BufWriter<File>,
    hasher: XxHash3_64,
    len: u64,
}

impl Write for Hashing<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        self.w.write_all(buf)?;
        self.hasher.write(buf);
        self.len += buf.len() as u64;
        Ok(buf.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.w.flush()
    }
}

impl SectionWriter {
    fn section(
        &mut self,
        name: &str,
        fill: impl FnOnce(&mut Hashing<'_>) -> Result<(), CacheMiss>,
    ) -> Result<(), CacheMiss> {
        let mut h = Hashing {
            w: &mut self.w,
            hasher: XxHash3_64::with_seed(0),
            len: 0,
        };
        fill(&mut h)?;
        let (len, xxh3) = (h.len, h.hasher.finish());
        self.sections.push(Section {
            name: name.to_string(),
            offset: self.offset,
            len,
            xxh3,
        });
        self.offset += len;
        Ok(())
    }

    fn bytes(&mut self, name: &str, v: &[u8]) -> Result<(), CacheMiss> {
        self.section(name, |w| w.write_all(v).map_err(|_| CacheMiss::Io))
    }

    fn values<T: Copy, const N: usize>(
        &mut self,
        name: &str,
        v: &[T],
        le: fn(T) -> [u8; N],
    ) -> Result<(), CacheMiss> {
        self.section(name, |w| {
            let mut buf = Vec::with_capacity(CHUNK);
            for chunk in v.chunks(CHUNK / N) {
                buf.clear();
                buf.extend(chunk.iter().flat_map(|&x| le(x)));
                w.write_all(&buf).map_err(|_| CacheMiss::Io)?;
            }
            Ok(())
        })
    }
}

/// One cache file, opened and its header checked.
struct Part {
    path: PathBuf,
    header: Header,
    /// For each dictionary, the global code of each of this file's codes; `None` when they
    /// are the same.
    remaps: HashMap<DictName, Vec<u32>>,
}

/// Reads `columns` (Parquet names; `arrived_at` always) of the cache files `files` (path and
/// the BLAKE3 of the Parquet file each must copy), in order, into one table, as
/// [`crate::store::Store::load_interactions_columns`] would from the Parquet files. The
/// columns are read on two threads.
pub(crate) fn read(
    files: &[(PathBuf, &str)],
    columns: &[&str],
) -> Result<InteractionTable, CacheMiss> {
    let mut parts = Vec::with_capacity(files.len());
    for (path, blake3) in files {
        parts.push(open(path, blake3)?);
    }
    let mut t = InteractionTable::default();
    let mut dicts: HashMap<DictName, Dict> = HashMap::new();
    for part in &mut parts {
        for d in [
            DictName::Queue,
            DictName::Site,
            DictName::Language,
            DictName::Agent,
            DictName::Disposition,
        ] {
            let global = dicts.entry(d).or_default();
            let map: Vec<u32> = part.header.dict(d).iter().map(|v| global.code(v)).collect();
            if map.iter().enumerate().any(|(i, &c)| i as u32 != c) {
                part.remaps.insert(d, map);
            }
        }
    }
    let rows: u64 = parts.iter().map(|p| p.header.rows).sum();
    let rows = usize::try_from(rows).map_err(|_| CacheMiss::Io)?;
    let wanted: Vec<Column> = Column::ALL
        .into_iter()
        .filter(|c| *c == Column::Arrived || columns.contains(&c.name()))
        .collect();
    // Two lists of columns of about equal bytes, one per thread.
    let mut jobs: [Vec<Job<'_>>; 2] = [Vec::new(), Vec::new()];
    let mut load = [0u64; 2];
    let mut source_ids = None;
    let InteractionTable {
        source_id,
        channel,
        queue,
        site,
        language,
        customer,
        arrived_at_ms,
        answered_at_ms,
        ended_at_ms,
        outcome,
        talk_ms,
        hold_ms,
        wrap_ms,
        agent,
        disposition,
        first_response_at_ms,
        ..
    } = &mut t;
    let mut dests: Vec<(Column, Dest<'_>)> = vec![
        (Column::Channel, Dest::U8(channel)),
        (Column::Outcome, Dest::U8(outcome)),
        (Column::Queue, Dest::U32(queue)),
        (Column::Site, Dest::U32(site)),
        (Column::Language, Dest::U32(language)),
        (Column::Agent, Dest::U32(agent)),
        (Column::Disposition, Dest::U32(disposition)),
        (Column::Customer, Dest::U64(customer)),
        (Column::Arrived, Dest::I64(arrived_at_ms)),
        (Column::Answered, Dest::I64(answered_at_ms)),
        (Column::Ended, Dest::I64(ended_at_ms)),
        (Column::Talk, Dest::I64(talk_ms)),
        (Column::Hold, Dest::I64(hold_ms)),
        (Column::Wrap, Dest::I64(wrap_ms)),
        (Column::FirstResponse, Dest::I64(first_response_at_ms)),
    ];
    dests.retain(|(c, _)| wanted.contains(c));
    dests.sort_by_key(|(c, _)| std::cmp::Reverse(c.width()));
    for (c, d) in dests {
        let k = usize::from(load[1] < load[0]);
        load[k] += c.width();
        jobs[k].push(d.with_column(c, rows));
    }
    if wanted.contains(&Column::SourceId) {
        source_ids = Some(source_id);
    }
    let parts = &parts;
    let results = std::thread::scope(|s| {
        let handles: Vec<_> = jobs
            .into_iter()
            .map(|list| {
                s.spawn(move || {
                    for job in list {
                        job.fill(parts)?;
                    }
                    Ok(())
                })
            })
            .collect();
        let ids = source_ids.map(|out| read_source_ids(parts, rows, out));
        let mut all = crate::threads::join_all(handles);
        if let Some(r) = ids {
            all.push(r);
        }
        all
    });
    for r in results {
        r?;
    }
    let mut take = |d: DictName| dicts.remove(&d).map(|d| d.values).unwrap_or_default();
    t.queue_dict = take(DictName::Queue);
    t.site_dict = take(DictName::Site);
    t.language_dict = take(DictName::Language);
    t.agent_dict = take(DictName::Agent);
    t.disposition_dict = take(DictName::Disposition);
    Ok(t)
}

/// Opens a cache file and checks its trailer, header and source.
fn open(path: &Path, blake3: &str) -> Result<Part, CacheMiss> {
    let damaged = || CacheMiss::Damaged(path.to_path_buf());
    let mut f = match File::open(path) {
        Ok(f) => f,
        Err(_) => return Err(CacheMiss::Absent),
    };
    let size = f.metadata().map_err(|_| CacheMiss::Io)?.len();
    if size < 24 {
        return Err(damaged());
    }
    let mut trailer = [0u8; 24];
    f.seek(SeekFrom::Start(size - 24))
        .and_then(|_| f.read_exact(&mut trailer))
        .map_err(|_| CacheMiss::Io)?;
    let word = |i: usize| {
        let mut b = [0u8; 8];
        b.copy_from_slice(&trailer[i * 8..i * 8 + 8]);
        u64::from_le_bytes(b)
    };
    let (header_len, header_hash, magic) = (word(0), word(1), word(2));
    if magic != MAGIC {
        // Another version's format, or not a cache file at all: rebuilt like a damaged one.
        return Err(damaged());
    }
    let body = size - 24;
    if header_len > body {
        return Err(damaged());
    }
    let mut json = vec![0u8; usize::try_from(header_len).map_err(|_| damaged())?];
    f.seek(SeekFrom::Start(body - header_len))
        .and_then(|_| f.read_exact(&mut json))
        .map_err(|_| CacheMiss::Io)?;
    if XxHash3_64::oneshot(&json) != header_hash {
        return Err(damaged());
    }
    let header: Header = serde_json::from_slice(&json).map_err(|_| damaged())?;
    let sections_end = body - header_len;
    let fits = header.sections.iter().all(|s| {
        s.offset
            .checked_add(s.len)
            .is_some_and(|e| e <= sections_end)
    });
    let sized = Column::ALL.iter().all(|c| {
        header
            .section(c.name())
            .is_some_and(|s| Some(s.len) == header.rows.checked_mul(c.width()))
    });
    if header.source_blake3 != blake3 || !fits || !sized || header.section(SOURCE_ID_TEXT).is_none()
    {
        return Err(damaged());
    }
    Ok(Part {
        path: path.to_path_buf(),
        header,
        remaps: HashMap::new(),
    })
}

/// A column of the table being filled.
enum Dest<'a> {
    U8(&'a mut Vec<u8>),
    U32(&'a mut Vec<u32>),
    U64(&'a mut Vec<u64>),
    I64(&'a mut Vec<i64>),
}

/// A column to fill from every part, in order.
struct Job<'a> {
    column: Column,
    dest: Dest<'a>,
}

impl<'a> Dest<'a> {
    fn with_column(self, column: Column, rows: usize) -> Job<'a> {
        let mut dest = self;
        match &mut dest {
            Dest::U8(v) => v.reserve_exact(rows),
            Dest::U32(v) => v.reserve_exact(rows),
            Dest::U64(v) => v.reserve_exact(rows),
            Dest::I64(v) => v.reserve_exact(rows),
        }
        Job { column, dest }
    }
}

impl Job<'_> {
    fn fill(mut self, parts: &[Part]) -> Result<(), CacheMiss> {
        for part in parts {
            let section = part
                .header
                .section(self.column.name())
                .ok_or(CacheMiss::Io)?;
            let start = match &self.dest {
                Dest::U32(v) => v.len(),
                _ => 0,
            };
            read_section(part, section, |chunk| match &mut self.dest {
                Dest::U8(v) => v.extend_from_slice(chunk),
                Dest::U32(v) => v.extend(
                    chunk
                        .chunks_exact(4)
                        .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]])),
                ),
                Dest::U64(v) => {
                    v.extend(chunk.chunks_exact(8).map(|b| {
                        u64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
                    }))
                }
                Dest::I64(v) => {
                    v.extend(chunk.chunks_exact(8).map(|b| {
                        i64::from_le_bytes([b[0], b[1], b[2], b[3], b[4], b[5], b[6], b[7]])
                    }))
                }
            })?;
            if let (Dest::U32(v), Some(map)) = (
                &mut self.dest,
                self.column.dict().and_then(|d| part.remaps.get(&d)),
            ) {
                for code in &mut v[start..] {
                    if *code != crate::model::NO_VALUE {
                        *code = *map
                            .get(*code as usize)
                            .ok_or_else(|| CacheMiss::Damaged(part.path.clone()))?;
                    }
                }
            }
        }
        Ok(())
    }
}

/// Reads one section in chunks of whole values, checking its hash at the end.
fn read_section(
    part: &Part,
    section: &Section,
    mut take: impl FnMut(&[u8]),
) -> Result<(), CacheMiss> {
    let mut f = File::open(&part.path).map_err(|_| CacheMiss::Io)?;
    f.seek(SeekFrom::Start(section.offset))
        .map_err(|_| CacheMiss::Io)?;
    let mut hasher = XxHash3_64::with_seed(0);
    let mut buf = vec![0u8; CHUNK];
    let mut left = section.len;
    while left > 0 {
        let n = usize::try_from(left.min(CHUNK as u64)).map_err(|_| CacheMiss::Io)?;
        f.read_exact(&mut buf[..n]).map_err(|_| CacheMiss::Io)?;
        hasher.write(&buf[..n]);
        take(&buf[..n]);
        left -= n as u64;
    }
    if hasher.finish() == section.xxh3 {
        Ok(())
    } else {
        Err(CacheMiss::Damaged(part.path.clone()))
    }
}

/// Source ids: lengths, then text.
fn read_source_ids(parts: &[Part], rows: usize, out: &mut Vec<String>) -> Result<(), CacheMiss> {
    out.reserve_exact(rows);
    for part in parts {
        let damaged = || CacheMiss::Damaged(part.path.clone());
        let lens_section = part
            .header
            .section(Column::SourceId.name())
            .ok_or_else(damaged)?;
        let text_section = part.header.section(SOURCE_ID_TEXT).ok_or_else(damaged)?;
        let mut lens = Vec::with_capacity(usize::try_from(part.header.rows).unwrap_or(0));
        read_section(part, lens_section, |chunk| {
            lens.extend(
                chunk
                    .chunks_exact(4)
                    .map(|b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]) as usize),
            );
        })?;
        let mut text = Vec::with_capacity(usize::try_from(text_section.len).unwrap_or(0));
        read_section(part, text_section, |chunk| text.extend_from_slice(chunk))?;
        let mut at = 0usize;
        for len in lens {
            let s = text.get(at..at + len).ok_or_else(damaged)?;
            out.push(std::str::from_utf8(s).map_err(|_| damaged())?.to_string());
            at += len;
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::batch::InteractionBatch;
    use crate::model::{Interaction, Outcome};
    use pacta_contract::Channel;

    fn table(prefix: &str, n: usize) -> InteractionTable {
        let mut b = InteractionBatch::new();
        for i in 0..n {
            let known = i % 3 != 0;
            b.push_interaction(&Interaction {
                source_id: format!("{prefix}{i}"),
                channel: if i % 2 == 0 {
                    Channel::VoiceIn
                } else {
                    Channel::Chat
                },
                queue: format!("{prefix}q{}", i % 4),
                site: known.then(|| format!("s{}", i % 2)),
                language: None,
                customer_key: None,
                arrived_at_ms: 1_700_000_000_000 + i as i64 * 1_000,
                answered_at_ms: known.then_some(1_700_000_000_500 + i as i64 * 1_000),
                ended_at_ms: Some(1_700_000_090_000 + i as i64 * 1_000),
                outcome: if known {
                    Outcome::Answered
                } else {
                    Outcome::Abandoned
                },
                talk_ms: known.then_some(60_000),
                hold_ms: None,
                wrap_ms: Some(i as i64),
                agent_key: known.then(|| format!("{prefix}a{}", i % 5)),
                disposition: None,
                first_response_at_ms: None,
            });
        }
        b.to_table()
    }

    #[test]
    fn a_table_reads_back_equal_whole_projected_and_across_parts() {
        let dir = tempfile::tempdir().expect("tmp");
        let (a, b) = (table("a", 3_000), table("b", 1_000));
        let (pa, pb) = (dir.path().join("a.cols"), dir.path().join("b.cols"));
        write(&pa, "hash-a", &a).expect("write a");
        write(&pb, "hash-b", &b).expect("write b");
        let all = crate::parquet_io::COLUMNS;
        let one = read(&[(pa.clone(), "hash-a")], &all).expect("read a");
        assert_eq!(one, a);
        let both = read(&[(pa.clone(), "hash-a"), (pb.clone(), "hash-b")], &all).expect("both");
        let mut rows = a.rows();
        rows.extend(b.rows());
        assert_eq!(both.rows(), rows);
        assert_eq!(both.queue_dict().len(), 8, "a's four queues, then b's");
        let p = read(&[(pb.clone(), "hash-b")], &["queue"]).expect("projected");
        assert!(p.column_loaded("queue") && p.column_loaded("arrived_at"));
        assert!(!p.column_loaded("talk_ms") && !p.source_ids_loaded());
        assert!(
            matches!(
                read(&[(pa.clone(), "hash-b")], &all),
                Err(CacheMiss::Damaged(_))
            ),
            "a copy of another file is refused"
        );
        assert!(matches!(
            read(&[(dir.path().join("none.cols"), "x")], &all),
            Err(CacheMiss::Absent)
        ));
    }

    #[test]
    fn every_flipped_byte_is_caught() {
        let dir = tempfile::tempdir().expect("tmp");
        let t = table("a", 200);
        let path = dir.path().join("a.cols");
        write(&path, "h", &t).expect("write");
        let good = std::fs::read(&path).expect("read");
        for at in (0..good.len()).step_by(11) {
            let mut bytes = good.clone();
            bytes[at] ^= 0x10;
            std::fs::write(&path, &bytes).expect("damage");
            match read(&[(path.clone(), "h")], &crate::parquet_io::COLUMNS) {
                Err(CacheMiss::Damaged(_)) => {}
                other => panic!("byte {at}: {:?}", other.map(|t| t.row_count())),
            }
        }
    }
}
