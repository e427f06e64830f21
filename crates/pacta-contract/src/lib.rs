//! The pacta contract model: TOML contract files parsed, validated and located.
//!
//! A contract goes through two stages, as ripgrep's arguments do:
//!
//! 1. **raw**: `toml` + serde turn the text into a [`ContractDoc`]; unknown keys, wrong
//!    types and missing keys fail here with the deserializer's span;
//! 2. **validated**: [`validate`](crate::validate) checks the cross-field rules (allocations
//!    within the pool, minimum not stricter than target, tiers that do not overlap, known
//!    metrics and variants, real time zones) and yields a [`Contract`].
//!
//! Every problem is a [`ValidationError`] with a stable code, a [`Location`] (line and
//! column) and a message and fix hint in English and Spanish. The crate does no I/O: callers
//! pass the text in.

pub mod date;
pub mod error;
pub mod measure;
pub mod metrics;
pub mod model;
pub mod money;
pub mod scope;
mod sla;
pub mod span;
mod validate;

use rust_decimal::Decimal;

pub use date::{Date, TimeOfDay};
pub use error::{Problem, ValidationError};
pub use measure::{Measure, ServiceLevelVariant};
pub use model::*;
pub use pacta_core::{Lang, Month};
pub use scope::ContactScope;
pub use sla::SlaTerms;
pub use span::{FieldPath, Location, Seg, SourceMap};
pub use validate::PricingSetting;

/// The largest contract file accepted (a real contract is a few tens of kilobytes).
pub const MAX_CONTRACT_BYTES: u64 = 4 * 1024 * 1024;

/// A validated contract, with the source it came from so findings can point into it.
#[derive(Debug)]
pub struct Contract {
    /// The contract content.
    pub doc: ContractDoc,
    /// The time zone periods are cut in.
    pub time_zone: jiff::tz::TimeZone,
    /// Decimal places of the contract currency.
    pub minor_units: u32,
    /// The source text and its positions.
    pub source: SourceMap,
    /// Every SLA, typed, in contract order.
    slas: Vec<SlaTerms>,
}

impl Contract {
    /// Every SLA as the contract means it, in contract order.
    pub fn slas(&self) -> &[SlaTerms] {
        &self.slas
    }

    /// The SLA with this id.
    pub fn sla(&self, id: &str) -> Option<&SlaTerms> {
        self.slas.iter().find(|s| s.id == id)
    }

    /// The target of a raw SLA entry in force on `date` (the latest effective on or before it).
    pub fn target_on<'a>(&self, sla: &'a Sla, date: Date) -> Option<&'a SlaTarget> {
        sla.targets.iter().rev().find(|t| t.effective_from <= date)
    }

    /// Rounds money to the contract currency with the contract's rounding rule.
    pub fn round_money(&self, amount: Decimal) -> Decimal {
        let rule = self
            .doc
            .pricing
            .as_ref()
            .map(|p| p.rounding)
            .unwrap_or_default();
        money::round(amount, self.minor_units, rule)
    }

    /// Locates a path in the source.
    pub fn locate(&self, path: &FieldPath) -> Location {
        self.source.locate(path)
    }

    /// The contract serialized back to TOML (comments are not kept).
    pub fn to_toml(&self) -> Result<String, toml::ser::Error> {
        toml::to_string_pretty(&self.doc)
    }
}

/// Checks a contract given as raw bytes (as read from a file).
pub fn parse_bytes(bytes: &[u8]) -> Result<Contract, Vec<ValidationError>> {
    if bytes.len() as u64 > MAX_CONTRACT_BYTES {
        return Err(vec![whole_file(Problem::TooLarge {
            size: bytes.len() as u64,
            max: MAX_CONTRACT_BYTES,
        })]);
    }
    match std::str::from_utf8(bytes) {
        Ok(text) => parse_str(text),
        Err(e) => {
            let offset = e.valid_up_to();
            let map = SourceMap::new(&String::from_utf8_lossy(&bytes[..offset]));
            let loc = map.location_of_span(offset..offset, true);
            Err(vec![ValidationError {
                code: "not-text",
                path: None,
                location: loc,
                problem: Problem::NotText { offset },
            }])
        }
    }
}

fn whole_file(problem: Problem) -> ValidationError {
    ValidationError {
        code: problem.code(),
        path: None,
        location: Location {
            span: 0..0,
            line: 1,
            col: 1,
            exact: false,
        },
        problem,
    }
}

/// The largest magnitude of any number in a contract (a thousand trillion): far above any
/// real amount or volume, and far enough below `Decimal::MAX` that products of an amount and
/// a volume or a percentage cannot overflow.
pub const MAX_NUMBER: u64 = 1_000_000_000_000_000;

/// Every number of the document whose magnitude is above [`MAX_NUMBER`], at its path.
fn numbers_too_large(value: &toml::Value, at: &FieldPath, out: &mut Vec<(FieldPath, Problem)>) {
    let too_large = match value {
        toml::Value::Integer(i) => i.unsigned_abs() > MAX_NUMBER,
        toml::Value::Float(f) => f.abs() > MAX_NUMBER as f64,
        toml::Value::Array(items) => {
            for (i, item) in items.iter().enumerate() {
                numbers_too_large(item, &at.index(i), out);
            }
            false
        }
        toml::Value::Table(table) => {
            for (k, v) in table {
                numbers_too_large(v, &at.key(k), out);
            }
            false
        }
        // Text is never summed: ids and names that look like numbers stay text.
        toml::Value::String(_) | toml::Value::Boolean(_) | toml::Value::Datetime(_) => false,
    };
    if too_large {
        out.push((
            at.clone(),
            Problem::NumberTooLarge {
                value: value.to_string(),
                max: MAX_NUMBER,
            },
        ));
    }
}

/// Parses and validates a contract's text.
pub fn parse_str(text: &str) -> Result<Contract, Vec<ValidationError>> {
    if text.trim().is_empty() {
        return Err(vec![whole_file(Problem::Empty)]);
    }
    if text.len() as u64 > MAX_CONTRACT_BYTES {
        return Err(vec![whole_file(Problem::TooLarge {
            size: text.len() as u64,
            max: MAX_CONTRACT_BYTES,
        })]);
    }
    let source = SourceMap::new(text);
    let doc: ContractDoc = match toml::from_str(text) {
        Ok(doc) => doc,
        Err(e) => return Err(vec![from_toml_error(&e, &source)]),
    };
    let table = text.parse::<toml::Table>().ok().map(toml::Value::Table);
    validated(doc, table.as_ref(), source)
}

/// A contract's model edited in memory (a what-if), validated as its text would be: the
/// same rules, every error at the path the edited field has. `source` is the text the
/// model was read from, so a location points at the field the edit replaced.
pub fn edited(doc: ContractDoc, source: &str) -> Result<Contract, Vec<ValidationError>> {
    let table = toml::Value::try_from(&doc).ok();
    validated(doc, table.as_ref(), SourceMap::new(source))
}

fn validated(
    doc: ContractDoc,
    table: Option<&toml::Value>,
    source: SourceMap,
) -> Result<Contract, Vec<ValidationError>> {
    let (mut findings, slas) = validate::validate(&doc);
    if let Some(table) = table {
        numbers_too_large(table, &FieldPath::root(), &mut findings.0);
    }
    if !findings.0.is_empty() {
        return Err(findings
            .0
            .into_iter()
            .map(|(path, problem)| ValidationError {
                code: problem.code(),
                location: source.locate(&path),
                path: Some(path),
                problem,
            })
            .collect());
    }
    let time_zone = jiff::tz::TimeZone::get(&doc.contract.time_zone).map_err(|_| {
        vec![whole_file(Problem::UnknownTimeZone {
            name: doc.contract.time_zone.clone(),
            suggestion: None,
        })]
    })?;
    let minor_units = money::minor_units(&doc.contract.currency).unwrap_or(2);
    Ok(Contract {
        doc,
        time_zone,
        minor_units,
        source,
        slas,
    })
}

/// Deserializes and validates a `[pricing]` table on its own, without a contract around it
/// (a vendor's price proposal, priced before there is a contract).
///
/// The table is checked as it would be inside a contract with this `setting`, so each
/// [`ValidationError`] carries the path a contract would give it (`pricing.components[0].rate`,
/// `contract.currency`; none for a table that does not deserialize). Errors are located in
/// `source`, the text the table was read from, under `at`, the table's path there.
pub fn parse_pricing(
    table: toml::Value,
    setting: &PricingSetting<'_>,
    source: &SourceMap,
    at: &FieldPath,
) -> Result<Pricing, Vec<ValidationError>> {
    let refused = |problem: Problem| {
        vec![ValidationError {
            code: problem.code(),
            path: None,
            location: source.locate(at),
            problem,
        }]
    };
    // A table is read back through the TOML text deserializer, as a contract file is: toml's
    // `Value` deserializer hands a datetime over as a string, which would let a date with a
    // time of day pass for a date.
    let read = match table {
        toml::Value::Table(t) => toml::to_string(&t)
            .map_err(|e| Problem::Syntax(e.to_string()))
            .and_then(|text| {
                toml::from_str::<Pricing>(&text).map_err(|e| problem_of_toml_error(&e))
            }),
        other => other
            .try_into::<Pricing>()
            .map_err(|e| problem_of_toml_error(&e)),
    };
    let pricing = read.map_err(refused)?;
    let findings = validate::standalone_pricing(&pricing, setting);
    if findings.0.is_empty() {
        return Ok(pricing);
    }
    Err(findings
        .0
        .into_iter()
        .map(|(path, problem)| {
            // `pricing.x.y` sits at `at.x.y`; the setting's own paths have no place in the
            // source, so they point at the table.
            let mut there = at.clone();
            if let [Seg::Key(first), rest @ ..] = path.0.as_slice()
                && first == "pricing"
            {
                there.0.extend(rest.iter().cloned());
            }
            ValidationError {
                code: problem.code(),
                location: source.locate(&there),
                path: Some(path),
                problem,
            }
        })
        .collect())
}

/// The problem a deserializer error stands for, by its message.
fn problem_of_toml_error(e: &toml::de::Error) -> Problem {
    let detail = e.message().trim().to_string();
    if detail.starts_with("unknown field") {
        Problem::UnknownKey { detail }
    } else if detail.starts_with("missing field") {
        Problem::MissingKey { detail }
    } else if detail.starts_with("invalid type")
        || detail.starts_with("unknown variant")
        || detail.starts_with("invalid value")
        || detail.contains("not a valid")
        || detail.starts_with("expected a")
        || detail.contains("invalid digit")
        || detail.contains("number too large")
    {
        Problem::WrongType { detail }
    } else {
        Problem::Syntax(detail)
    }
}

fn from_toml_error(e: &toml::de::Error, source: &SourceMap) -> ValidationError {
    let problem = problem_of_toml_error(e);
    let location = match e.span() {
        Some(span) => source.location_of_span(span, true),
        None => Location {
            span: 0..0,
            line: 1,
            col: 1,
            exact: false,
        },
    };
    ValidationError {
        code: problem.code(),
        path: None,
        location,
        problem,
    }
}

/// The JSON Schema of the contract file format, for editors (Taplo, VS Code Even Better TOML).
pub fn json_schema() -> serde_json::Value {
    let schema = schemars::schema_for!(ContractDoc);
    serde_json::to_value(&schema).unwrap_or(serde_json::Value::Null)
}
