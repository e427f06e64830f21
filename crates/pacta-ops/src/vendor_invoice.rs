//! The vendor's invoice as a CSV file: reading it for reconciliation, and writing one.
//!
//! Columns `item,quantity,rate,amount` are required, found by header name; other columns
//! (invoice_id, period, unit, currency…) are ignored. Cells are trimmed.
//!
//! Invoices come out of spreadsheets in either convention: `,` between fields with `22,610.00`
//! (a thousands comma, the cell quoted), or `;` between fields with `22.610,00` (a decimal
//! comma). The field separator decides which: a file whose header is split by `;` writes
//! decimal commas. A number written the other way (`22.610,00` in a comma file) is refused
//! as ambiguous, with its place, rather than guessed.

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
    /// A number written in the other convention than the file's separator implies (boxed:
    /// it is rare, and an error should stay small).
    #[error("{0}")]
    AmbiguousNumber(Box<AmbiguousNumber>),
}

/// A number written in the other convention than the file's separator implies.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error(
    "`{raw}` in column `{column}` writes a decimal {found}, but fields separated by \
     `{separator}` mean a decimal {expected}: write it as `{suggested}`"
)]
pub struct AmbiguousNumber {
    /// The cell's text.
    pub raw: String,
    /// The column's name.
    pub column: &'static str,
    /// The file's field separator.
    pub separator: char,
    /// The decimal mark the cell uses (`comma` or `point`).
    pub found: &'static str,
    /// The decimal mark the file's convention uses.
    pub expected: &'static str,
    /// The cell in the file's convention.
    pub suggested: String,
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
            (InvoiceProblem::AmbiguousNumber(a), Lang::Es) => {
                let AmbiguousNumber {
                    raw,
                    column,
                    separator,
                    found,
                    suggested,
                    ..
                } = a.as_ref();
                let (found, expected) = if *found == "comma" {
                    ("coma", "punto")
                } else {
                    ("punto", "coma")
                };
                format!(
                    "`{raw}` en la columna `{column}` usa {found} decimal, pero los campos \
                     separados por `{separator}` indican {expected} decimal: escríbalo `{suggested}`"
                )
            }
        }
    }

    pub(crate) fn code(&self) -> &'static str {
        match self {
            InvoiceProblem::Csv(_) => "vendor-invoice-csv",
            InvoiceProblem::MissingColumn(_) => "vendor-invoice-column-missing",
            InvoiceProblem::NotDecimal { .. } => "vendor-invoice-not-decimal",
            InvoiceProblem::AmbiguousNumber(_) => "vendor-invoice-number-ambiguous",
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
    let separator = separator_of(bytes);
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .delimiter(separator as u8)
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
            decimal(raw, separator, column).map_err(|problem| fail(Some(row), Some(c + 1), problem))
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

/// The field separator: `;` when the header line has more of them than commas.
fn separator_of(bytes: &[u8]) -> char {
    let header = bytes.split(|b| *b == b'\n').next().unwrap_or_default();
    let count = |c: u8| header.iter().filter(|b| **b == c).count();
    if count(b';') > count(b',') { ';' } else { ',' }
}

/// A cell as a decimal in the file's convention: with `,` between fields, a point marks the
/// decimals and commas group thousands (`22,610.00`); with `;`, a comma marks the decimals
/// and points group thousands (`22.610,00`). A cell that can only be read the other way is
/// ambiguous.
fn decimal(raw: &str, separator: char, column: &'static str) -> Result<Decimal, InvoiceProblem> {
    let (group, mark) = if separator == ';' {
        ('.', ',')
    } else {
        (',', '.')
    };
    let not_decimal = || InvoiceProblem::NotDecimal {
        raw: raw.to_string(),
        column,
    };
    let plain: String = raw.chars().filter(|c| *c != group).collect();
    let grouped_well = grouping_is_thousands(raw, group, mark);
    if grouped_well && let Ok(d) = plain.replace(mark, ".").parse::<Decimal>() {
        return Ok(d);
    }
    // Readable the other way round: say so rather than guess.
    let other: String = raw.chars().filter(|c| *c != mark).collect();
    if grouping_is_thousands(raw, mark, group)
        && other.replace(group, ".").parse::<Decimal>().is_ok()
    {
        let suggested = other.replace(group, &mark.to_string());
        let word = |c: char| if c == ',' { "comma" } else { "point" };
        return Err(InvoiceProblem::AmbiguousNumber(Box::new(AmbiguousNumber {
            raw: raw.to_string(),
            column,
            separator,
            found: word(group),
            expected: word(mark),
            suggested,
        })));
    }
    Err(not_decimal())
}

/// Whether `raw` groups thousands with `group` and marks decimals with `mark`: every `group`
/// stands before a run of exactly three digits of the integer part (`22,610.00`, not `2,61`),
/// and only digits follow the one `mark`.
fn grouping_is_thousands(raw: &str, group: char, mark: char) -> bool {
    let mut halves = raw.split(mark);
    let integer = halves.next().unwrap_or_default();
    let fraction_ok = halves
        .next()
        .is_none_or(|f| f.chars().all(|c| c.is_ascii_digit()));
    let mut groups = integer.split(group);
    groups.next();
    fraction_ok
        && halves.next().is_none()
        && groups.all(|p| p.len() == 3 && p.chars().all(|c| c.is_ascii_digit()))
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

    #[test]
    fn reads_spreadsheet_conventions_and_refuses_the_ambiguous() {
        let d = |s: &str| s.parse::<Decimal>().expect("decimal");
        // Commas between fields: thousands commas inside quoted cells.
        let (_a, comma) = write(
            "item,quantity,rate,amount\nvoice,\"22,610.00\",14.5,\"327,845.00\"\nfee,1,1.375,-26013.6\n",
        );
        let lines = read(&comma).expect("read");
        assert_eq!(
            (
                lines[0].quantity,
                lines[0].amount,
                lines[1].rate,
                lines[1].amount
            ),
            (d("22610.00"), d("327845.00"), d("1.375"), d("-26013.6"))
        );
        // Semicolons between fields: decimal commas, thousands points.
        let (_b, semi) = write(
            "item;quantity;rate;amount\nvoice;22.610,00;14,5;327.845,00\nfee;1;1,375;1.375\n",
        );
        let lines = read(&semi).expect("read");
        assert_eq!(
            (
                lines[0].quantity,
                lines[0].rate,
                lines[1].rate,
                lines[1].amount
            ),
            (d("22610.00"), d("14.5"), d("1.375"), d("1375"))
        );
        // A decimal comma in a comma file is not guessed: located, with the reading it means.
        let (_c, mixed) = write("item,quantity,rate,amount\nvoice,\"22.610,00\",14.5,1\n");
        let err = read(&mixed).expect_err("ambiguous");
        assert_eq!(err.code(), "vendor-invoice-number-ambiguous");
        let en = err.message(Lang::En);
        assert!(
            en.ends_with(
                "invoice.csv:2:2: `22.610,00` in column `quantity` writes a decimal comma, but \
                 fields separated by `,` mean a decimal point: write it as `22610.00`"
            ),
            "{en}"
        );
        assert!(
            err.message(Lang::Es).contains("usa coma decimal"),
            "{}",
            err.message(Lang::Es)
        );
        // `2,61` in a comma file can only be a decimal comma; `2,61,00` is no number at all.
        let (_e, comma_decimal) = write("item,quantity,rate,amount\nvoice,\"2,61\",1,1\n");
        let err = read(&comma_decimal).expect_err("ambiguous");
        assert!(err.message(Lang::En).ends_with("write it as `2.61`"));
        let (_f, odd) = write("item,quantity,rate,amount\nvoice,\"2,61,00\",1,1\n");
        assert_eq!(
            read(&odd).expect_err("refused").code(),
            "vendor-invoice-not-decimal"
        );
    }
}
