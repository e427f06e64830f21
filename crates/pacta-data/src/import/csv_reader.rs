//! Splits the body of a CSV file into records, fast on the lines machines write.
//!
//! A line without a quote (and without a carriage return other than a final one) is split on
//! the delimiter with `memchr`: no per-byte state machine, no copy of its cells. Any other
//! record (quoted cells, delimiters or newlines inside quotes, `""` escapes, lone carriage
//! returns) is handed to `csv_core`, so the result is the `csv` crate's for every input.
//! Blank lines are skipped, like `csv` does. Positions are the byte offset of each record's
//! first byte and its line number (lines counted by `\n`).

use std::io::Read;

use csv_core::ReadRecordResult;

use super::filehash::BlockHasher;

/// Where a record starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct RecordStart {
    /// Byte offset from the start of the reader.
    pub byte: u64,
    /// Line number (the reader's first line is the one given to [`RecordReader::new`]).
    pub line: u64,
}

/// One record: its bytes and where each cell starts and ends in them. The bytes are the
/// line as written (delimiters included) for a plain line, the unquoted cells end to end
/// otherwise.
#[derive(Debug, Default)]
pub(crate) struct Record {
    data: Vec<u8>,
    /// Where each cell ends (csv-core's output).
    ends: Vec<usize>,
    /// Where each cell starts; empty when cells are end to end.
    starts: Vec<usize>,
}

impl Record {
    /// Number of cells.
    pub fn len(&self) -> usize {
        self.ends.len()
    }
    /// The record's bytes (see the type docs).
    pub fn as_slice(&self) -> &[u8] {
        &self.data
    }
    /// Byte range of cell `i` within [`Record::as_slice`].
    pub fn range(&self, i: usize) -> Option<std::ops::Range<usize>> {
        let end = *self.ends.get(i)?;
        let start = match self.starts.get(i) {
            Some(&s) => s,
            None if i == 0 => 0,
            None => self.ends[i - 1],
        };
        Some(start..end)
    }
    /// Cell `i`.
    pub fn get(&self, i: usize) -> Option<&[u8]> {
        self.range(i).map(|r| &self.data[r])
    }
}

/// What a read gave.
#[derive(Debug, PartialEq, Eq)]
pub(crate) enum Read1 {
    /// A record, starting at the given place.
    Record(RecordStart),
    /// The input is exhausted.
    End,
    /// The record starting at `stop` (or later) was not read: see [`RecordReader::stop_at`].
    Stopped {
        /// The offset the next record would have started at.
        at: u64,
        /// Its line.
        line: u64,
    },
    /// One record grew past the limit of [`RecordReader::max_record_bytes`].
    TooLong,
}

/// Reads records from `R` (see the module docs).
pub(crate) struct RecordReader<R> {
    src: R,
    buf: Vec<u8>,
    /// Unconsumed bytes are `buf[pos..end]`.
    pos: usize,
    end: usize,
    eof: bool,
    /// Offset of `buf[0]` in the input.
    base: u64,
    line: u64,
    delim: u8,
    slow: csv_core::Reader,
    stop: Option<u64>,
    max_record_bytes: usize,
    /// Hashes the bytes as they are read; `origin` is the offset of the reader's first byte
    /// in the file.
    hasher: Option<(u64, BlockHasher)>,
}

const CHUNK: usize = 1 << 20;

impl<R: Read> RecordReader<R> {
    /// A reader of `src`, whose first byte is on line `first_line`.
    pub fn new(src: R, delim: u8, first_line: u64) -> Self {
        RecordReader {
            src,
            buf: vec![0; 2 * CHUNK],
            pos: 0,
            end: 0,
            eof: false,
            base: 0,
            line: first_line,
            delim,
            slow: csv_core::ReaderBuilder::new().delimiter(delim).build(),
            stop: None,
            max_record_bytes: usize::MAX,
            hasher: None,
        }
    }

    /// Feeds every byte read to `hasher`; the reader's first byte is at `origin` in the file.
    pub fn hash_into(mut self, origin: u64, hasher: BlockHasher) -> Self {
        self.hasher = Some((origin, hasher));
        self
    }

    /// Reads on as far as the hasher needs (past the last record read) and returns it.
    pub fn finish_hash(&mut self) -> std::io::Result<Option<BlockHasher>> {
        let Some((origin, mut h)) = self.hasher.take() else {
            return Ok(None);
        };
        let mut at = origin + self.base + self.end as u64;
        while h.wants().is_some() {
            let n = match self.src.read(&mut self.buf) {
                Ok(0) => break,
                Ok(n) => n,
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            h.feed(at, &self.buf[..n]);
            at += n as u64;
        }
        self.eof = true;
        self.pos = 0;
        self.end = 0;
        Ok(Some(h))
    }

    /// Stops before any record that would start at or past byte `stop`.
    pub fn stop_at(mut self, stop: Option<u64>) -> Self {
        self.stop = stop;
        self
    }

    /// Where reading stops, if anywhere.
    pub fn stop(&self) -> Option<u64> {
        self.stop
    }

    /// Gives up on a record longer than `max` bytes (a speculative start inside a quoted
    /// cell can make the rest of a file look like one record).
    pub fn max_record_bytes(mut self, max: usize) -> Self {
        self.max_record_bytes = max;
        self
    }

    /// Offset of the next unread byte.
    pub fn offset(&self) -> u64 {
        self.base + self.pos as u64
    }

    /// Moves unread bytes to the front and reads more; `false` at the end of the input.
    fn fill(&mut self) -> std::io::Result<bool> {
        if self.eof {
            return Ok(false);
        }
        if self.pos > 0 {
            self.buf.copy_within(self.pos..self.end, 0);
            self.base += self.pos as u64;
            self.end -= self.pos;
            self.pos = 0;
        }
        if self.buf.len() - self.end < CHUNK {
            self.buf.resize(self.buf.len() + CHUNK, 0);
        }
        loop {
            match self.src.read(&mut self.buf[self.end..]) {
                Ok(0) => {
                    self.eof = true;
                    return Ok(false);
                }
                Ok(n) => {
                    if let Some((origin, h)) = &mut self.hasher {
                        h.feed(
                            *origin + self.base + self.end as u64,
                            &self.buf[self.end..self.end + n],
                        );
                    }
                    self.end += n;
                    return Ok(true);
                }
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                Err(e) => return Err(e),
            }
        }
    }

    /// Reads the next record into `rec`.
    pub fn read(&mut self, rec: &mut Record) -> std::io::Result<Read1> {
        rec.data.clear();
        rec.ends.clear();
        rec.starts.clear();
        // Blank lines between records.
        loop {
            if let Some(stop) = self.stop
                && self.offset() >= stop
            {
                return Ok(Read1::Stopped {
                    at: self.offset(),
                    line: self.line,
                });
            }
            if self.pos == self.end && !self.fill()? {
                return Ok(Read1::End);
            }
            match self.buf[self.pos] {
                b'\n' => {
                    self.line += 1;
                    self.pos += 1;
                }
                b'\r' => self.pos += 1,
                _ => break,
            }
        }
        let start = RecordStart {
            byte: self.offset(),
            line: self.line,
        };
        // The whole line in the buffer (or the input's last bytes).
        let nl = loop {
            if let Some(i) = memchr::memchr(b'\n', &self.buf[self.pos..self.end]) {
                break Some(self.pos + i);
            }
            if self.end - self.pos > self.max_record_bytes {
                return Ok(Read1::TooLong);
            }
            if !self.fill()? {
                break None;
            }
        };
        let line_end = nl.unwrap_or(self.end);
        let mut body = &self.buf[self.pos..line_end];
        if let [rest @ .., b'\r'] = body {
            body = rest;
        }
        if memchr::memchr2(b'"', b'\r', body).is_none() {
            rec.data.extend_from_slice(body);
            split_cells(body, self.delim, rec);
            self.pos = nl.map_or(self.end, |i| i + 1);
            if nl.is_some() {
                self.line += 1;
            }
            return Ok(Read1::Record(start));
        }
        self.read_slow(rec)?;
        if rec.data.len() > self.max_record_bytes {
            return Ok(Read1::TooLong);
        }
        Ok(Read1::Record(start))
    }

    /// One record through `csv_core`, refilling the buffer as it asks for more.
    fn read_slow(&mut self, rec: &mut Record) -> std::io::Result<()> {
        rec.data.resize(256, 0);
        rec.ends.resize(32, 0);
        let (mut nout, mut nend) = (0, 0);
        loop {
            let input = &self.buf[self.pos..self.end];
            let (res, nin, o, e) =
                self.slow
                    .read_record(input, &mut rec.data[nout..], &mut rec.ends[nend..]);
            self.line += memchr::memchr_iter(b'\n', &input[..nin]).count() as u64;
            self.pos += nin;
            nout += o;
            nend += e;
            match res {
                ReadRecordResult::Record | ReadRecordResult::End => break,
                ReadRecordResult::OutputFull => {
                    if nout > self.max_record_bytes {
                        break;
                    }
                    rec.data.resize(rec.data.len() * 2, 0);
                }
                ReadRecordResult::OutputEndsFull => rec.ends.resize(rec.ends.len() * 2, 0),
                ReadRecordResult::InputEmpty => {
                    if self.pos == self.end {
                        // At the end, an empty input tells csv_core to finish the record.
                        self.fill()?;
                    }
                }
            }
        }
        rec.data.truncate(nout);
        rec.ends.truncate(nend);
        Ok(())
    }
}

/// Cell bounds of a line without quotes. Cells are short (about ten bytes), too short for
/// `memchr`'s setup to pay: eight bytes are tested at a time with word arithmetic instead.
fn split_cells(body: &[u8], delim: u8, rec: &mut Record) {
    const LOW7: u64 = 0x7f7f_7f7f_7f7f_7f7f;
    let pattern = u64::from_ne_bytes([delim; 8]);
    rec.starts.push(0);
    let mut push = |i: usize| {
        rec.ends.push(i);
        rec.starts.push(i + 1);
    };
    let words = body.chunks_exact(8);
    let tail = words.remainder();
    for (w, word) in words.enumerate() {
        let Ok(bytes) = <[u8; 8]>::try_from(word) else {
            continue;
        };
        let x = u64::from_le_bytes(bytes) ^ pattern;
        // The high bit of each byte of `found` is set exactly where `x` has a zero byte.
        let mut found = !(((x & LOW7) + LOW7) | x | LOW7);
        while found != 0 {
            push(w * 8 + (found.trailing_zeros() / 8) as usize);
            found &= found - 1;
        }
    }
    let base = body.len() - tail.len();
    for (i, &b) in tail.iter().enumerate() {
        if b == delim {
            push(base + i);
        }
    }
    rec.ends.push(body.len());
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Records as the `csv` crate reads them: (cells, byte, line).
    fn with_csv(input: &[u8], delim: u8) -> Vec<(Vec<Vec<u8>>, u64, u64)> {
        let mut r = csv::ReaderBuilder::new()
            .delimiter(delim)
            .flexible(true)
            .has_headers(false)
            .from_reader(input);
        let mut out = Vec::new();
        let mut rec = csv::ByteRecord::new();
        while r.read_byte_record(&mut rec).unwrap() {
            let p = rec.position().unwrap();
            out.push((rec.iter().map(<[u8]>::to_vec).collect(), p.byte(), p.line()));
        }
        out
    }

    fn with_records(input: &[u8], delim: u8, chunk: usize) -> Vec<(Vec<Vec<u8>>, u64, u64)> {
        /// Hands out at most `chunk` bytes per read, to exercise refills.
        struct Trickle<'a>(&'a [u8], usize);
        impl Read for Trickle<'_> {
            fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
                let n = self.0.len().min(self.1).min(buf.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let mut r = RecordReader::new(Trickle(input, chunk), delim, 1);
        let mut rec = Record::default();
        let mut out = Vec::new();
        loop {
            match r.read(&mut rec).unwrap() {
                Read1::Record(s) => out.push((
                    (0..rec.len())
                        .map(|i| rec.get(i).unwrap().to_vec())
                        .collect(),
                    s.byte,
                    s.line,
                )),
                Read1::End => break,
                other => panic!("{other:?}"),
            }
        }
        out
    }

    #[test]
    fn quoted_cells_escapes_and_line_ends_read_like_csv() {
        let input = b"a,b,c\n\"x,1\",\"say \"\"hi\"\"\",\"two\nlines\"\r\n\n\nlast,,\r\nlone\rcr,1\n\"ab\"cd,e\nno newline";
        let want = with_csv(input, b',');
        assert_eq!(want.len(), 7, "{want:?}");
        for chunk in [1, 2, 7, 1 << 20] {
            let got = with_records(input, b',', chunk);
            assert_eq!(
                got.iter().map(|g| &g.0).collect::<Vec<_>>(),
                want.iter().map(|w| &w.0).collect::<Vec<_>>(),
                "chunk {chunk}"
            );
        }
        let got = with_records(input, b',', 1 << 20);
        // Byte offsets and lines of each record's first byte.
        let starts: Vec<(u64, u64)> = got.iter().map(|g| (g.1, g.2)).collect();
        assert_eq!(
            starts,
            vec![(0, 1), (6, 2), (40, 6), (48, 7), (53, 7), (58, 8), (67, 9)]
        );
    }

    #[test]
    fn stops_at_the_cut_and_says_whether_a_record_starts_there() {
        let input = b"a,1\nb,2\n\"c\n3\",x\nd,4\n";
        let read_until = |stop: u64| {
            let mut r = RecordReader::new(&input[..], b',', 1).stop_at(Some(stop));
            let mut rec = Record::default();
            let mut n = 0;
            loop {
                match r.read(&mut rec).unwrap() {
                    Read1::Record(_) => n += 1,
                    other => return (n, other),
                }
            }
        };
        assert_eq!(read_until(4), (1, Read1::Stopped { at: 4, line: 2 }));
        // A cut inside the quoted cell: the record spanning it is read, the next one starts
        // past the cut.
        assert_eq!(read_until(11), (3, Read1::Stopped { at: 16, line: 5 }));
        assert_eq!(read_until(100), (4, Read1::End));
    }

    #[test]
    fn an_unclosed_quote_is_cut_short_by_the_record_limit() {
        let mut input = b"a,\"".to_vec();
        input.extend(std::iter::repeat_n(b'x', 10_000));
        let mut r = RecordReader::new(&input[..], b',', 1).max_record_bytes(1000);
        let mut rec = Record::default();
        assert_eq!(r.read(&mut rec).unwrap(), Read1::TooLong);
    }

    proptest! {
        #[test]
        fn any_input_reads_like_csv(
            cells in proptest::collection::vec(
                proptest::sample::select(vec![
                    "a", "bc", "", ",", ";", "\"", "\"\"", "\n", "\r", "\r\n", " ", "é",
                ]),
                0..60,
            ),
            chunk in 1usize..9,
            semicolon in any::<bool>(),
        ) {
            let input: Vec<u8> = cells.concat().into_bytes();
            let delim = if semicolon { b';' } else { b',' };
            let want = with_csv(&input, delim);
            let got = with_records(&input, delim, chunk);
            prop_assert_eq!(
                got.iter().map(|g| &g.0).collect::<Vec<_>>(),
                want.iter().map(|w| &w.0).collect::<Vec<_>>()
            );
        }
    }

    proptest! {
        #[test]
        fn word_at_a_time_split_finds_every_delimiter(
            body in proptest::collection::vec(
                proptest::sample::select(vec![b',', b'a', 0x2c ^ 0x80, 0xff, 0x00, 0x7f, b';']),
                0..80,
            ),
        ) {
            let mut rec = Record::default();
            split_cells(&body, b',', &mut rec);
            let want: Vec<&[u8]> = body.split(|&b| b == b',').collect();
            let got: Vec<&[u8]> = (0..rec.len()).map(|i| &body[rec.range(i).unwrap()]).collect();
            prop_assert_eq!(got, want);
        }
    }
}
