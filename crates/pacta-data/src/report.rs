//! What an import did with every source row: imported, not offered, dropped by rule, merged
//! into another record, or quarantined with its location and reason.

use std::collections::BTreeMap;

use serde::{Deserialize, Serialize};

use crate::pseudo::{Pseudonymizer, key_hex};

/// What the quarantine shows instead of a value that may be a customer identifier and has
/// no pseudonym to show (the whole of a row whose fields cannot be aligned with the header).
pub const REDACTED: &str = "[redacted]";

/// A customer identifier as the quarantine shows it: `pseudonym:<hex>`, the pseudonym the
/// store would hold (the 16 hex digits of [`crate::model::Interaction::customer_key`]), or
/// [`REDACTED`] when it has none (an empty identifier). The quarantine never holds a customer
/// identifier in clear.
pub(crate) fn pseudonym_value(p: &Pseudonymizer, raw: &str) -> String {
    key_hex(p.key64(raw)).map_or_else(|| REDACTED.to_string(), |h| format!("pseudonym:{h}"))
}

/// A customer identifier that is not valid UTF-8, as the quarantine shows it (the
/// pseudonym of its lossy decoding).
pub(crate) fn pseudonym_bytes(p: &Pseudonymizer, raw: &[u8]) -> String {
    pseudonym_value(p, &String::from_utf8_lossy(raw))
}

/// Instead of a row that cannot be read field by field (invalid UTF-8, fields that do not
/// align with the header): its size only, never its bytes. The row number is in the entry.
pub(crate) fn unreadable_row(bytes: usize, fields: Option<usize>) -> String {
    match fields {
        Some(n) => format!("{REDACTED} {n} field(s), {bytes} byte(s)"),
        None => format!("{REDACTED} {bytes} byte(s)"),
    }
}

/// A source row that could not be mapped, with where and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Quarantined {
    /// Source file (as given).
    pub file: String,
    /// 1-based line number in the file (header = line 1), or record number for JSON.
    pub row: u64,
    /// Source column or field at fault (`*` for the whole row).
    pub field: String,
    /// The offending value (truncated to 200 characters).
    pub value: String,
    /// Why it was rejected.
    pub reason: String,
}

impl Quarantined {
    pub(crate) fn new(
        file: &str,
        row: u64,
        field: &str,
        value: &str,
        reason: impl Into<String>,
    ) -> Self {
        let value = if value.chars().count() > 200 {
            value.chars().take(200).collect::<String>() + "…"
        } else {
            value.to_string()
        };
        Quarantined {
            file: file.to_string(),
            row,
            field: field.to_string(),
            value,
            reason: reason.into(),
        }
    }
}

/// A source file read by an import, identified by its content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct SourceFile {
    /// Path as given.
    pub path: String,
    /// Size in bytes.
    pub bytes: u64,
    /// BLAKE3 of the content, hex.
    pub blake3: String,
}

/// The accounting of one import: every row read lands in exactly one bucket, so
/// `rows_read = imported + not_offered + Σ dropped + merged + quarantined` (see
/// [`ImportReport::reconciles`]).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Files read.
    pub files: Vec<SourceFile>,
    /// Data rows (or JSON records) read, header excluded.
    pub rows_read: u64,
    /// Canonical records produced (before the store's duplicate check).
    pub imported: u64,
    /// Rows describing contacts never offered to the provider (left in the IVR, no queue).
    pub not_offered: u64,
    /// Rows dropped by a documented rule, by rule (e.g. `phantom`, `ignored event OUTDIAL`).
    pub dropped: BTreeMap<String, u64>,
    /// Rows folded into a record produced from another row (Asterisk events after
    /// ENTERQUEUE, QA items after an evaluation's first, invoice lines).
    pub merged: u64,
    /// Rows rejected, with location and reason.
    pub quarantined: Vec<Quarantined>,
    /// Imported records by outcome (interactions only).
    pub by_outcome: BTreeMap<String, u64>,
}

impl ImportReport {
    /// True when every row read is accounted for exactly once.
    pub fn reconciles(&self) -> bool {
        self.rows_read
            == self.imported
                + self.not_offered
                + self.dropped.values().sum::<u64>()
                + self.merged
                + self.quarantined.len() as u64
    }

    /// Quarantined rows counted by reason.
    pub fn quarantine_by_reason(&self) -> BTreeMap<String, u64> {
        let mut m = BTreeMap::new();
        for q in &self.quarantined {
            *m.entry(q.reason.clone()).or_insert(0) += 1;
        }
        m
    }

    /// Quarantined rows as a share of rows read, in percent.
    pub fn quarantine_percent(&self) -> f64 {
        if self.rows_read == 0 {
            0.0
        } else {
            self.quarantined.len() as f64 * 100.0 / self.rows_read as f64
        }
    }

    /// Adds another file's report to this one.
    pub fn absorb(&mut self, other: ImportReport) {
        self.files.extend(other.files);
        self.rows_read += other.rows_read;
        self.imported += other.imported;
        self.not_offered += other.not_offered;
        for (k, v) in other.dropped {
            *self.dropped.entry(k).or_insert(0) += v;
        }
        self.merged += other.merged;
        self.quarantined.extend(other.quarantined);
        for (k, v) in other.by_outcome {
            *self.by_outcome.entry(k).or_insert(0) += v;
        }
    }

    pub(crate) fn drop_row(&mut self, rule: &str) {
        *self.dropped.entry(rule.to_string()).or_insert(0) += 1;
    }

    /// Writes the quarantine as CSV (`file,row,field,value,reason`).
    pub fn write_quarantine_csv<W: std::io::Write>(&self, w: W) -> std::io::Result<()> {
        let mut out = csv::Writer::from_writer(w);
        out.write_record(["file", "row", "field", "value", "reason"])?;
        for q in &self.quarantined {
            out.write_record([
                q.file.as_str(),
                &q.row.to_string(),
                &q.field,
                &q.value,
                &q.reason,
            ])?;
        }
        out.flush()
    }
}

/// Hashes a source file for the manifest (BLAKE3 of its bytes, what `b3sum` prints).
pub fn source_file(path: &std::path::Path) -> crate::Result<SourceFile> {
    use std::io::Read;
    let mut f = std::fs::File::open(path).map_err(|e| crate::DataError::io(path, e))?;
    let mut h = blake3::Hasher::new();
    // Large reads: BLAKE3 hashes many 1 KiB chunks at once when given them together.
    let mut buf = vec![0u8; 1 << 20];
    let mut bytes = 0u64;
    loop {
        match f.read(&mut buf) {
            Ok(0) => break,
            Ok(n) => {
                h.update(&buf[..n]);
                bytes += n as u64;
            }
            Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
            Err(e) => return Err(crate::DataError::io(path, e)),
        }
    }
    Ok(SourceFile {
        path: path.display().to_string(),
        bytes,
        blake3: h.finalize().to_hex().to_string(),
    })
}
