//! The vendor's invoice as a CSV file: reading it for reconciliation, and writing one.
//!
//! Columns `item,quantity,rate,amount` are required, found by header name; other columns
//! (invoice_id, period, unit, currency…) are ignored. Cells are trimmed.

use std::path::Path;

use pacta_core::Lang;
use pacta_terms::reconcile::VendorLine;
use rust_decimal::Decimal;

use crate::{OpError, OpResult, files};

/// What is wrong at one place of a vendor invoice file.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum InvoiceProblem {
    /// The CSV itself cannot be read there (as the CSV reader words it).
    #[error("{0}")]
    Csv(String),
    /// A required column is missing from the header.
    #[error("missing column `{0}` (need item, quantity, rate, amount)")]
    MissingColumn(&'static str),
    /// A cell that must be a decimal number is not one.
    #[error("`{raw}` in column `{column}` is not a decimal number")]
    NotDecimal {
        /// The cell's text.
        raw: String,
        /// The column's name.
        column: &'static str,
    },
}

impl InvoiceProblem {
    pub(crate) fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) | (InvoiceProblem::Csv(_), _) => self.to_string(),
            (InvoiceProblem::MissingColumn(name), Lang::Es) => {
                format!("falta la columna `{name}` (se necesitan item, quantity, rate, amount)")
            }
            (InvoiceProblem::NotDecimal { raw, column }, Lang::Es) => {
                format!("`{raw}` en la columna `{column}` no es un número decimal")
            }
        }
    }

    pub(crate) fn code(&self) -> &'static str {
        match self {
            InvoiceProblem::Csv(_) => "vendor-invoice-csv",
            InvoiceProblem::MissingColumn(_) => "vendor-invoice-column-missing",
            InvoiceProblem::NotDecimal { .. } => "vendor-invoice-not-decimal",
        }
    }
}

/// Where in the file a problem is: `path`, `path:row` or `path:row:column`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct InvoiceLocation {
    /// 1-based row (the header is row 1), when the problem has one.
    pub row: Option<usize>,
    /// 1-based column, when the problem has one.
    pub column: Option<usize>,
}

impl std::fmt::Display for InvoiceLocation {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        if let Some(r) = self.row {
            write!(f, ":{r}")?;
        }
        if let Some(c) = self.column {
            write!(f, ":{c}")?;
        }
        Ok(())
    }
}

/// Reads a vendor invoice file; every error names the file, row and column.
pub fn read(path: &Path) -> OpResult<Vec<VendorLine>> {
    parse(path, &files::read(path)?)
}

/// Reads a vendor invoice from its bytes (an upload); errors name `path` (the name the
/// reader knows it by), the row and the column.
pub fn parse(path: &Path, bytes: &[u8]) -> OpResult<Vec<VendorLine>> {
    let fail = |row: Option<usize>, column: Option<usize>, problem: InvoiceProblem| {
        OpError::VendorInvoice {
            path: path.to_path_buf(),
            at: InvoiceLocation { row, column },
            problem,
        }
    };
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes);
    let headers = rdr
        .headers()
        .map_err(|e| fail(None, None, InvoiceProblem::Csv(e.to_string())))?
        .clone();
    let col = |name: &'static str| {
        headers
            .iter()
            .position(|h| h == name)
            .ok_or_else(|| fail(Some(1), None, InvoiceProblem::MissingColumn(name)))
    };
    let (ci, cq, cr, ca) = (col("item")?, col("quantity")?, col("rate")?, col("amount")?);
    let mut lines = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let row = n + 2;
        let rec = rec.map_err(|e| fail(Some(row), None, InvoiceProblem::Csv(e.to_string())))?;
        let num = |c: usize, column: &'static str| {
            let raw = rec.get(c).unwrap_or("");
            raw.parse::<Decimal>().map_err(|_| {
                fail(
                    Some(row),
                    Some(c + 1),
                    InvoiceProblem::NotDecimal {
                        raw: raw.to_string(),
                        column,
                    },
                )
            })
        };
        lines.push(VendorLine {
            item: rec.get(ci).unwrap_or("").to_string(),
            quantity: num(cq, "quantity")?,
            rate: num(cr, "rate")?,
            amount: num(ca, "amount")?,
        });
    }
    Ok(lines)
}

/// The invoice as the CSV file [`read`] reads.
pub fn to_csv(lines: &[VendorLine]) -> String {
    let mut s = String::from("item,quantity,rate,amount\n");
    for l in lines {
        s.push_str(&format!(
            "{},{},{},{}\n",
            l.item, l.quantity, l.rate, l.amount
        ));
    }
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacta_core::Localized;

    fn write(text: &str) -> (tempfile::TempDir, std::path::PathBuf) {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("invoice.csv");
        std::fs::write(&path, text).expect("written");
        (dir, path)
    }

    #[test]
    fn reads_what_it_writes() {
        let lines = vec![VendorLine {
            item: "voice".into(),
            quantity: Decimal::new(12345, 2),
            rate: Decimal::new(18, 0),
            amount: Decimal::new(222210, 2),
        }];
        let (_dir, path) = write(&to_csv(&lines));
        assert_eq!(read(&path).expect("read"), lines);
    }

    #[test]
    fn locates_a_bad_number_in_both_languages() {
        let (_dir, path) = write("item , quantity,rate,amount,currency\nvoice,12x,1,1,USD\n");
        let err = read(&path).expect_err("refused");
        let shown = err.message(Lang::En);
        assert!(
            shown.ends_with("invoice.csv:2:2: `12x` in column `quantity` is not a decimal number"),
            "{shown}"
        );
        assert!(
            err.message(Lang::Es).ends_with(
                "invoice.csv:2:2: `12x` en la columna `quantity` no es un número decimal"
            )
        );
        assert_eq!(err.code(), "vendor-invoice-not-decimal");
    }

    #[test]
    fn names_a_missing_column() {
        let (_dir, path) = write("item,quantity,amount\nvoice,1,1\n");
        let err = read(&path).expect_err("refused");
        assert!(
            err.message(Lang::En).ends_with(
                "invoice.csv:1: missing column `rate` (need item, quantity, rate, amount)"
            )
        );
    }
}
