//! What-if: a month settled again with changed SLA terms, never saved, beside the month's
//! latest saved version.
//!
//! The changes are typed edits of the contract model ([`Change`]): an SLA's target in force
//! in the month, its answer threshold, its formula variant or its exclusions, and exclusion
//! windows (accepted relief for a span of time, as a dispute's accepted exclusion window
//! adds). The edited model is validated like a contract file ([`pacta_contract::edited`]),
//! and every problem names the change (`changes[1].expected`), the SLA and the field.
//!
//! Reading the month ([`crate::settle::load_month`]) is kept apart from settling it
//! ([`run`]), so a caller holding the loaded month (the server's cache) settles it again
//! for each what-if without reading the store.

use std::collections::BTreeMap;
use std::collections::BTreeSet;

use jiff::Timestamp;
use pacta_contract::{Contract, ContractDoc, Exclusion, Sla, SlaTarget, ValidationError};
use pacta_core::{Lang, Month};
use pacta_db::Db;
use pacta_governance::dispute::{Adjustment, ReliefKind};
use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

pub use pacta_terms::Status;

use crate::settle::{Adjusted, LoadedMonth, SettleOutcome, carried_adjustments, settle_loaded};
use crate::{OpError, OpResult};

/// One edit of a what-if.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "change", rename_all = "snake_case", deny_unknown_fields)]
pub enum Change {
    /// The SLA's target in force on the month's first day gets this expected level (and
    /// minimum, when given); without a target in force, one takes effect that day.
    Target {
        /// The SLA id.
        sla: String,
        /// The expected level (a number, or a decimal as text).
        #[serde(deserialize_with = "number::decimal")]
        expected: Decimal,
        /// The minimum level (the current one is kept when absent).
        #[serde(default, deserialize_with = "number::optional")]
        minimum: Option<Decimal>,
    },
    /// The SLA's answer threshold T (`params.threshold_s`), in seconds.
    Threshold {
        /// The SLA id.
        sla: String,
        /// Seconds.
        seconds: u32,
    },
    /// The SLA's formula variant.
    Variant {
        /// The SLA id.
        sla: String,
        /// A variant of the SLA's metric, e.g. `exclude_short_abandons`.
        variant: String,
    },
    /// The SLA's exclusions (the whole list).
    Exclusions {
        /// The SLA id.
        sla: String,
        /// The exclusions that apply.
        exclusions: Vec<Exclusion>,
    },
    /// Time taken out of the month as accepted relief, as an accepted dispute's exclusion
    /// window is: every SLA whose exclusions admit the kind leaves out the contacts of
    /// these queues (all of them when none is named) arriving in `[start, end)`.
    ExclusionWindow {
        /// Start, inclusive.
        start: Timestamp,
        /// End, exclusive.
        end: Timestamp,
        /// Queues (none: all).
        #[serde(default)]
        queues: Vec<String>,
        /// What relief it is.
        kind: ReliefKind,
    },
}

/// Decimals read from JSON numbers or text alike (a tagged enum hands the value over
/// already parsed, so the decimal's own reader, which wants text, would refuse `85`).
mod number {
    use rust_decimal::Decimal;
    use rust_decimal::prelude::FromPrimitive;
    use serde::de::Error;
    use serde::{Deserialize, Deserializer};

    #[derive(Deserialize)]
    #[serde(untagged)]
    enum Raw {
        Int(i64),
        Float(f64),
        Text(String),
    }

    pub fn decimal<'de, D: Deserializer<'de>>(d: D) -> Result<Decimal, D::Error> {
        match Raw::deserialize(d)? {
            Raw::Int(i) => Ok(Decimal::from(i)),
            Raw::Float(f) => Decimal::from_f64(f)
                .ok_or_else(|| D::Error::custom(format!("{f} is not a decimal"))),
            Raw::Text(t) => t
                .trim()
                .parse()
                .map_err(|_| D::Error::custom(format!("`{t}` is not a decimal number"))),
        }
    }

    pub fn optional<'de, D: Deserializer<'de>>(d: D) -> Result<Option<Decimal>, D::Error> {
        decimal(d).map(Some)
    }
}

impl Change {
    fn sla(&self) -> Option<&str> {
        match self {
            Change::Target { sla, .. }
            | Change::Threshold { sla, .. }
            | Change::Variant { sla, .. }
            | Change::Exclusions { sla, .. } => Some(sla),
            Change::ExclusionWindow { .. } => None,
        }
    }

    /// The field a contract rule refusing this edit at `path` is about.
    fn field_of(&self, path: Option<&pacta_contract::FieldPath>) -> &'static str {
        match self {
            Change::Target { minimum, .. } => {
                let about_minimum = path.is_some_and(|p| p.to_string().ends_with("minimum"));
                if about_minimum && minimum.is_some() {
                    "minimum"
                } else {
                    "expected"
                }
            }
            Change::Threshold { .. } => "seconds",
            Change::Variant { .. } => "variant",
            Change::Exclusions { .. } => "exclusions",
            Change::ExclusionWindow { .. } => "start",
        }
    }

    /// Applies the edit to the SLA's raw entry.
    fn edit(&self, sla: &mut Sla, first_day: pacta_contract::Date) {
        match self {
            Change::Target {
                expected, minimum, ..
            } => match sla
                .targets
                .iter_mut()
                .rev()
                .find(|t| t.effective_from <= first_day)
            {
                Some(target) => {
                    target.expected = *expected;
                    if minimum.is_some() {
                        target.minimum = *minimum;
                    }
                }
                None => {
                    sla.targets.insert(
                        0,
                        SlaTarget {
                            effective_from: first_day,
                            expected: *expected,
                            minimum: *minimum,
                            change_ref: Some("what-if".to_string()),
                        },
                    );
                }
            },
            Change::Threshold { seconds, .. } => sla.params.threshold_s = Some(*seconds),
            Change::Variant { variant, .. } => sla.variant = Some(variant.clone()),
            Change::Exclusions { exclusions, .. } => sla.exclusions = exclusions.clone(),
            Change::ExclusionWindow { .. } => {}
        }
    }
}

/// Why one change was refused.
#[derive(Debug, Clone)]
pub enum ChangeFault {
    /// The edited contract breaks a contract rule.
    Contract(ValidationError),
    /// No SLA has the id.
    UnknownSla {
        /// The SLA ids the contract has.
        known: Vec<String>,
    },
    /// The window ends at or before its start.
    EmptyWindow,
    /// The window does not overlap the month.
    WindowOutsideMonth {
        /// The month.
        month: Month,
    },
    /// A queue no service of the contract has.
    UnknownQueue {
        /// The queue.
        queue: String,
        /// The contract's queues.
        known: Vec<String>,
    },
}

/// A refused change: where it is in the request, which SLA and field, and why.
#[derive(Debug, Clone)]
pub struct ChangeProblem {
    /// The JSON path of the bad field in the request, e.g. `changes[1].expected`.
    pub path: String,
    /// The SLA the change names, when it names one.
    pub sla: Option<String>,
    /// The field, e.g. `expected`.
    pub field: &'static str,
    /// Why.
    pub fault: ChangeFault,
}

impl ChangeProblem {
    /// A stable code for the fault.
    pub fn code(&self) -> &'static str {
        match &self.fault {
            ChangeFault::Contract(e) => e.code,
            ChangeFault::UnknownSla { .. } => "sla-unknown",
            ChangeFault::EmptyWindow => "window-empty",
            ChangeFault::WindowOutsideMonth { .. } => "window-outside-month",
            ChangeFault::UnknownQueue { .. } => "queue-unknown",
        }
    }

    /// The problem in words, beginning with where it is.
    pub fn message(&self, lang: Lang) -> String {
        let why = match (&self.fault, lang) {
            (ChangeFault::Contract(e), _) => e.problem.message(lang),
            (ChangeFault::UnknownSla { known }, _) => format!(
                "{} {}",
                lang.pick(
                    "the contract has no such SLA; it has:",
                    "el contrato no tiene ese SLA; tiene:"
                ),
                known.join(", ")
            ),
            (ChangeFault::EmptyWindow, _) => lang
                .pick(
                    "the window must end after it starts",
                    "la ventana debe terminar después de empezar",
                )
                .to_string(),
            (ChangeFault::WindowOutsideMonth { month }, Lang::En) => {
                format!("the window does not overlap {month}")
            }
            (ChangeFault::WindowOutsideMonth { month }, Lang::Es) => {
                format!("la ventana no se solapa con {month}")
            }
            (ChangeFault::UnknownQueue { queue, known }, Lang::En) => format!(
                "the contract has no queue `{queue}`; its queues: {}",
                known.join(", ")
            ),
            (ChangeFault::UnknownQueue { queue, known }, Lang::Es) => format!(
                "el contrato no tiene la cola `{queue}`; sus colas: {}",
                known.join(", ")
            ),
        };
        match &self.sla {
            Some(sla) => format!("`{}` (SLA `{sla}`, {}): {why}", self.path, self.field),
            None => format!("`{}`: {why}", self.path),
        }
    }
}

/// A contract with a what-if's changes applied and validated, and its exclusion windows.
#[derive(Debug)]
pub struct Scenario {
    /// The edited contract.
    pub contract: Contract,
    /// The exclusion windows, as accepted adjustments of the month.
    pub windows: Vec<Adjusted>,
}

/// Applies `changes` to `contract` for `month`, in order, each validated on the contract
/// the earlier ones made; every refused change is reported ([`OpError::WhatIfInvalid`])
/// and nothing is settled.
pub fn apply(contract: &Contract, month: Month, changes: &[Change]) -> OpResult<Scenario> {
    let source = contract.source.text();
    let first_day = pacta_contract::Date(month.first_day());
    let (month_start, month_end) = month.bounds_ms(&contract.time_zone)?;
    let queues: BTreeSet<&str> = contract
        .doc
        .scope
        .services
        .iter()
        .flat_map(|s| s.queues.iter().map(String::as_str))
        .collect();
    let mut doc: ContractDoc = contract.doc.clone();
    let mut problems = Vec::new();
    let mut windows = Vec::new();
    for (i, change) in changes.iter().enumerate() {
        let problem = |field: &'static str, fault: ChangeFault| ChangeProblem {
            path: format!("changes[{i}].{field}"),
            sla: change.sla().map(str::to_string),
            field,
            fault,
        };
        if let Change::ExclusionWindow {
            start,
            end,
            queues: named,
            kind,
        } = change
        {
            let (s, e) = (start.as_millisecond(), end.as_millisecond());
            if e <= s {
                problems.push(problem("end", ChangeFault::EmptyWindow));
            } else if e <= month_start || s >= month_end {
                problems.push(problem("start", ChangeFault::WindowOutsideMonth { month }));
            }
            for (q, queue) in named.iter().enumerate() {
                if !queues.contains(queue.as_str()) {
                    problems.push(ChangeProblem {
                        path: format!("changes[{i}].queues[{q}]"),
                        sla: None,
                        field: "queues",
                        fault: ChangeFault::UnknownQueue {
                            queue: queue.clone(),
                            known: queues.iter().map(|q| q.to_string()).collect(),
                        },
                    });
                }
            }
            windows.push(Adjusted {
                dispute: format!("what-if {}", i + 1),
                adjustment: Adjustment::ExclusionWindow {
                    start: *start,
                    end: *end,
                    queues: named.clone(),
                    kind: *kind,
                },
            });
            continue;
        }
        let id = change.sla().unwrap_or_default();
        let Some(k) = doc.slas.iter().position(|s| s.id == id) else {
            let known = doc.slas.iter().map(|s| s.id.clone()).collect();
            problems.push(problem("sla", ChangeFault::UnknownSla { known }));
            continue;
        };
        let mut trial = doc.clone();
        change.edit(&mut trial.slas[k], first_day);
        match pacta_contract::edited(trial.clone(), source) {
            Ok(_) => doc = trial,
            Err(errors) => problems.extend(errors.into_iter().map(|e| {
                let field = change.field_of(e.path.as_ref());
                problem(field, ChangeFault::Contract(e))
            })),
        }
    }
    if !problems.is_empty() {
        return Err(OpError::WhatIfInvalid { problems });
    }
    let contract = pacta_contract::edited(doc, source).map_err(|errors| {
        // Each change validated on its own, so only their combination can fail here.
        let problems = errors
            .into_iter()
            .map(|e| ChangeProblem {
                path: "changes".to_string(),
                sla: None,
                field: "changes",
                fault: ChangeFault::Contract(e),
            })
            .collect();
        OpError::WhatIfInvalid { problems }
    })?;
    Ok(Scenario { contract, windows })
}

/// One side of an SLA's comparison.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaSide {
    /// The month's value (share of periods for interval and day SLAs); `None`: no data.
    pub value: Option<f64>,
    /// The verdict.
    pub status: Status,
    /// The expected level in force.
    pub expected: Option<Decimal>,
    /// The minimum level in force.
    pub minimum: Option<Decimal>,
    /// The SLA's credit after caps.
    pub credit: Decimal,
}

impl SlaSide {
    /// Whether the two sides agree: the same verdict, levels and credit, and values equal
    /// but for the last bits a value read back from saved JSON may differ in.
    pub fn same_as(&self, other: &SlaSide) -> bool {
        let close = match (self.value, other.value) {
            (Some(a), Some(b)) => (a - b).abs() <= 1e-9 * a.abs().max(1.0),
            (a, b) => a.is_none() && b.is_none(),
        };
        close
            && self.status == other.status
            && self.expected == other.expected
            && self.minimum == other.minimum
            && self.credit == other.credit
    }
}

/// An SLA before (the saved latest version) and after (the what-if).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct SlaDifference {
    /// The SLA id.
    pub sla_id: String,
    /// Its name.
    pub name: String,
    /// As saved (`None`: no saved version, or the SLA is not in it).
    pub before: Option<SlaSide>,
    /// In the what-if.
    pub after: SlaSide,
    /// Whether anything of the two sides differs.
    pub changed: bool,
}

/// An amount before and after.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct AmountDifference {
    /// As saved (`None`: no saved version).
    pub before: Option<Decimal>,
    /// In the what-if.
    pub after: Decimal,
    /// `after − before` (`None`: no saved version).
    pub change: Option<Decimal>,
}

impl AmountDifference {
    fn of(before: Option<Decimal>, after: Decimal) -> AmountDifference {
        AmountDifference {
            before,
            after,
            change: before.map(|b| after - b),
        }
    }
}

/// A what-if's answer: the unsaved settlement and how it differs from the saved one.
#[derive(Debug, Clone)]
pub struct WhatIf {
    /// The settlement with the changes, never saved.
    pub outcome: SettleOutcome,
    /// The saved latest version compared against (`None`: the month has none).
    pub saved_version: Option<u32>,
    /// Per SLA, in contract order.
    pub slas: Vec<SlaDifference>,
    /// The credit due after caps.
    pub credit: AmountDifference,
    /// The net owed to the client.
    pub net_to_client: AmountDifference,
    /// The invoice total.
    pub invoice_total: AmountDifference,
}

/// What the comparison reads of a saved settlement (a version saved by an older pacta may
/// lack a part; it then reads as absent).
#[derive(Debug, Default, Deserialize)]
struct Saved {
    #[serde(default)]
    slas: Vec<SavedSla>,
    #[serde(default)]
    credits: Option<SavedCredits>,
    #[serde(default)]
    invoice: Option<SavedInvoice>,
}

#[derive(Debug, Deserialize)]
struct SavedSla {
    sla_id: String,
    value: SavedValue,
    status: Status,
    expected: Option<Decimal>,
    minimum: Option<Decimal>,
}

#[derive(Debug, Deserialize)]
struct SavedValue {
    value: Option<f64>,
}

#[derive(Debug, Deserialize)]
struct SavedCredits {
    credit: Decimal,
    #[serde(default)]
    sla_credit: BTreeMap<String, Decimal>,
}

#[derive(Debug, Deserialize)]
struct SavedInvoice {
    total: Decimal,
}

#[derive(Debug, Default, Deserialize)]
struct SavedRecord {
    #[serde(default)]
    net_to_client: Option<Decimal>,
}

/// Settles the loaded month under the scenario's terms (the month's saved adjustments
/// still applied, the scenario's windows added, the latest saved version of each earlier
/// month as history) and compares it with the month's latest saved version. Reads the
/// database only; saves nothing and writes no audit entry.
pub fn run(db: Option<&Db>, scenario: &Scenario, loaded: &LoadedMonth) -> OpResult<WhatIf> {
    let contract = &scenario.contract;
    let month = loaded.key.month;
    let (history, versions) = match db {
        Some(db) => crate::settle::history(db, contract, month)?,
        None => (Vec::new(), Vec::new()),
    };
    let latest = match db {
        Some(db) => db.latest_settlement(&contract.doc.contract.id, month)?,
        None => None,
    };
    let mut adjustments = match &latest {
        Some(saved) => carried_adjustments(saved)?,
        None => Vec::new(),
    };
    adjustments.extend(scenario.windows.iter().cloned());
    let outcome = settle_loaded(loaded, contract, None, &adjustments, history, versions)?;
    let saved: Option<(Saved, SavedRecord)> = latest.as_ref().map(|v| {
        (
            serde_json::from_str(&v.settlement_json).unwrap_or_default(),
            serde_json::from_str(&v.record_json).unwrap_or_default(),
        )
    });
    let s = &outcome.settlement;
    let slas = s
        .slas
        .iter()
        .map(|o| {
            let after = SlaSide {
                value: o.value.value,
                status: o.status,
                expected: o.expected,
                minimum: o.minimum,
                credit: s
                    .credits
                    .sla_credit
                    .get(&o.sla_id)
                    .copied()
                    .unwrap_or_default(),
            };
            let before = saved.as_ref().and_then(|(saved, _)| {
                let sla = saved.slas.iter().find(|x| x.sla_id == o.sla_id)?;
                Some(SlaSide {
                    value: sla.value.value,
                    status: sla.status,
                    expected: sla.expected,
                    minimum: sla.minimum,
                    credit: saved
                        .credits
                        .as_ref()
                        .and_then(|c| c.sla_credit.get(&o.sla_id).copied())
                        .unwrap_or_default(),
                })
            });
            SlaDifference {
                sla_id: o.sla_id.clone(),
                name: o.name.clone(),
                changed: !before.as_ref().is_some_and(|b| b.same_as(&after)),
                before,
                after,
            }
        })
        .collect();
    let credits = saved.as_ref().and_then(|(s, _)| s.credits.as_ref());
    Ok(WhatIf {
        saved_version: latest.as_ref().map(|v| v.version),
        slas,
        credit: AmountDifference::of(credits.map(|c| c.credit), s.credits.credit),
        net_to_client: AmountDifference::of(
            saved.as_ref().and_then(|(_, r)| r.net_to_client),
            s.record.net_to_client,
        ),
        invoice_total: AmountDifference::of(
            saved
                .as_ref()
                .and_then(|(s, _)| s.invoice.as_ref().map(|i| i.total)),
            s.invoice.total,
        ),
        outcome,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn bank() -> Contract {
        let text = include_str!("../../../examples/bank-inbound-manila.toml");
        pacta_contract::parse_str(text).expect("the example validates")
    }

    fn october() -> Month {
        Month::parse("2026-10").expect("month")
    }

    fn changes(json: &str) -> Vec<Change> {
        serde_json::from_str(json).expect("changes")
    }

    #[test]
    fn a_target_change_edits_the_target_in_force_and_validates() {
        let contract = bank();
        let id = contract.slas()[0].id.clone();
        let before = contract.slas()[0]
            .target_on(pacta_contract::Date(october().first_day()))
            .expect("a target")
            .expected;
        let list = changes(&format!(
            r#"[{{"change": "target", "sla": "{id}", "expected": 50, "minimum": "40.5"}}]"#
        ));
        let scenario = apply(&contract, october(), &list).expect("valid");
        let after = scenario.contract.slas()[0]
            .target_on(pacta_contract::Date(october().first_day()))
            .expect("a target")
            .expected;
        assert_ne!(before, after);
        assert_eq!(after, Decimal::from(50));
        let minimum = scenario.contract.slas()[0]
            .target_on(pacta_contract::Date(october().first_day()))
            .and_then(|t| t.minimum);
        assert_eq!(minimum, Some(Decimal::new(405, 1)));
        // Alone, a lower expected level than the minimum in force is refused at `expected`.
        let alone = changes(&format!(
            r#"[{{"change": "target", "sla": "{id}", "expected": "50"}}]"#
        ));
        let Err(OpError::WhatIfInvalid { problems }) = apply(&contract, october(), &alone) else {
            panic!("expected the change refused");
        };
        assert_eq!(problems[0].path, "changes[0].expected");
        assert_eq!(problems[0].code(), "minimum-above-target");
        assert!(scenario.windows.is_empty());
    }

    #[test]
    fn refused_changes_name_their_path_sla_and_field() {
        let contract = bank();
        let id = contract.slas()[0].id.clone();
        let list = changes(&format!(
            r#"[
                {{"change": "threshold", "sla": "NOPE", "seconds": 20}},
                {{"change": "variant", "sla": "{id}", "variant": "no_such_variant"}},
                {{"change": "exclusion_window", "start": "2026-10-05T10:00:00Z",
                  "end": "2026-10-05T09:00:00Z", "kind": "outage"}},
                {{"change": "exclusion_window", "start": "2026-12-05T10:00:00Z",
                  "end": "2026-12-05T11:00:00Z", "queues": ["nowhere"], "kind": "outage"}}
            ]"#
        ));
        let Err(OpError::WhatIfInvalid { problems }) = apply(&contract, october(), &list) else {
            panic!("expected the changes refused");
        };
        let paths: Vec<&str> = problems.iter().map(|p| p.path.as_str()).collect();
        assert_eq!(
            paths,
            [
                "changes[0].sla",
                "changes[1].variant",
                "changes[2].end",
                "changes[3].start",
                "changes[3].queues[0]"
            ]
        );
        assert_eq!(problems[1].sla.as_deref(), Some(id.as_str()));
        let message = problems[1].message(Lang::En);
        assert!(message.starts_with(&format!("`changes[1].variant` (SLA `{id}`, variant)")));
        assert!(
            problems[0]
                .message(Lang::Es)
                .contains("el contrato no tiene ese SLA")
        );
        assert_eq!(problems[2].code(), "window-empty");
    }

    #[test]
    fn a_minimum_above_the_expected_level_is_refused_at_the_minimum() {
        let contract = bank();
        let id = contract.slas()[0].id.clone();
        let list = changes(&format!(
            r#"[{{"change": "target", "sla": "{id}", "expected": "50", "minimum": "60"}}]"#
        ));
        let Err(OpError::WhatIfInvalid { problems }) = apply(&contract, october(), &list) else {
            panic!("expected the change refused");
        };
        assert_eq!(problems[0].path, "changes[0].minimum");
    }

    #[test]
    fn unknown_fields_and_kinds_are_refused_when_read() {
        assert!(serde_json::from_str::<Vec<Change>>(r#"[{"change": "nope"}]"#).is_err());
        assert!(
            serde_json::from_str::<Vec<Change>>(
                r#"[{"change": "threshold", "sla": "X", "seconds": 20, "extra": 1}]"#
            )
            .is_err()
        );
    }
}
