//! Obligations the imported data proves: attrition caps from the roster, training hours from
//! the training records, QA evaluations per agent-month from the evaluations.
//!
//! Nobody ticks these: once a month's records are in the store, the KPI engine measures the
//! month with the same formulas as an SLA would ([`requirement`] names the measure), and
//! [`judge`] compares the figure with the contract's number. This module only says what to
//! measure and how to read the result; it never measures (pacta-kpi does, called by
//! pacta-ops), so the figure here is the figure everywhere.

use std::collections::BTreeMap;

use pacta_contract::{Contract, Measure};
use rust_decimal::Decimal;
use rust_decimal::prelude::FromPrimitive;
use serde::Serialize;

use crate::kind::ObligationKind;

/// The kinds the data proves, in the order they are derived.
pub const DATA_PROVEN: [ObligationKind; 5] = [
    ObligationKind::AttritionMonthly,
    ObligationKind::AttritionAnnual,
    ObligationKind::InitialTraining,
    ObligationKind::OngoingTraining,
    ObligationKind::QaEvaluations,
];

/// Which imported records a kind is measured from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Evidence {
    /// The roster (hires and separations).
    Roster,
    /// Training records.
    Training,
    /// QA evaluations.
    QaEvaluations,
}

/// How a figure is compared with the contract's number.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Bound {
    /// The figure may not exceed the limit.
    AtMost,
    /// The figure must reach the limit.
    AtLeast,
    /// No hire of the month may have fewer hours than the limit.
    EveryHire,
    /// Every agent on the roster must have the evaluations (the share must be 100 %).
    EveryAgent,
}

/// What a data-proven obligation measures and the number it is held to.
#[derive(Debug, Clone, PartialEq)]
pub struct Requirement {
    /// The obligation's kind.
    pub kind: ObligationKind,
    /// The contract field that sets the number.
    pub source: &'static str,
    /// The number: a percent cap, hours, or evaluations per agent.
    pub limit: Decimal,
    /// How the figure is compared with it.
    pub bound: Bound,
    /// The KPI engine's measure (the month, every contact, as an SLA would be measured).
    pub measure: Measure,
    /// The records it is measured from.
    pub evidence: Evidence,
}

/// The requirement of a data-proven kind, when the contract sets its number.
pub fn requirement(contract: &Contract, kind: ObligationKind) -> Option<Requirement> {
    let people = contract.doc.people.as_ref();
    let quality = contract.doc.quality.as_ref();
    let (source, limit, bound, measure, evidence) = match kind {
        ObligationKind::AttritionMonthly => (
            "people.max_monthly_attrition_percent",
            people?.max_monthly_attrition_percent?,
            Bound::AtMost,
            Measure::Attrition { annualised: false },
            Evidence::Roster,
        ),
        ObligationKind::AttritionAnnual => (
            "people.max_annual_attrition_percent",
            people?.max_annual_attrition_percent?,
            Bound::AtMost,
            Measure::Attrition { annualised: true },
            Evidence::Roster,
        ),
        ObligationKind::InitialTraining => (
            "people.initial_training_hours",
            people?.initial_training_hours?,
            Bound::EveryHire,
            Measure::TrainingHours { initial: true },
            Evidence::Training,
        ),
        ObligationKind::OngoingTraining => (
            "people.ongoing_training_hours_per_month",
            people?.ongoing_training_hours_per_month?,
            Bound::AtLeast,
            Measure::TrainingHours { initial: false },
            Evidence::Training,
        ),
        ObligationKind::QaEvaluations => {
            let n = quality?.evaluations_per_agent_month?;
            (
                "quality.evaluations_per_agent_month",
                Decimal::from(n),
                Bound::EveryAgent,
                Measure::QaEvaluatedShare {
                    evaluations_per_agent: n,
                },
                Evidence::QaEvaluations,
            )
        }
        _ => return None,
    };
    Some(Requirement {
        kind,
        source,
        limit,
        bound,
        measure,
        evidence,
    })
}

/// What the KPI engine measured for the month, as its `MetricValue` reports it.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Figure {
    /// The value (`None`: nothing to divide by, e.g. no one on the roster).
    pub value: Option<f64>,
    /// The counts behind it, by the engine's names (`separations`, `hires_below_required`…).
    pub inputs: BTreeMap<String, f64>,
    /// The formula in words.
    pub formula: String,
    /// The value rests on incomplete data (QA without a roster).
    pub approximate: bool,
}

/// The data's verdict on one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Measured {
    /// Whether the month met the obligation.
    pub met: bool,
    /// The figure compared, rounded to six places (percent, hours, or percent of agents).
    pub value: Decimal,
    /// The contract's number.
    pub limit: Decimal,
    /// How they were compared.
    pub bound: Bound,
    /// The counts behind the figure.
    pub inputs: BTreeMap<String, f64>,
    /// The formula in words.
    pub formula: String,
    /// The value rests on incomplete data.
    pub approximate: bool,
}

/// Compares a month's figure with the requirement. `None` when the figure proves nothing
/// (no one on the roster to divide by): the obligation then stays open, as if no data had
/// been imported.
pub fn judge(requirement: &Requirement, figure: &Figure) -> Option<Measured> {
    let count = |name: &str| figure.inputs.get(name).copied();
    let (value, met) = match requirement.bound {
        Bound::EveryHire => {
            // A month without hires owes no initial training: met, with zero hours shown.
            let hires = count("hires")?;
            let below = count("hires_below_required").unwrap_or(0.0);
            let value = figure.value.map_or(Some(Decimal::ZERO), rounded)?;
            (value, hires == 0.0 || below == 0.0)
        }
        Bound::AtMost => {
            let value = rounded(figure.value?)?;
            (value, value <= requirement.limit)
        }
        Bound::AtLeast => {
            let value = rounded(figure.value?)?;
            (value, value >= requirement.limit)
        }
        Bound::EveryAgent => {
            let value = rounded(figure.value?)?;
            (value, value >= Decimal::ONE_HUNDRED)
        }
    };
    Some(Measured {
        met,
        value,
        limit: requirement.limit,
        bound: requirement.bound,
        inputs: figure.inputs.clone(),
        formula: figure.formula.clone(),
        approximate: figure.approximate,
    })
}

/// Six places, as settlement verdicts round, so that 4.0000000001 % from floating-point
/// division does not breach a 4 % cap.
fn rounded(x: f64) -> Option<Decimal> {
    Decimal::from_f64(x).map(|d| d.round_dp(6))
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    fn req(bound: Bound, limit: i64) -> Requirement {
        Requirement {
            kind: ObligationKind::AttritionMonthly,
            source: "x",
            limit: Decimal::from(limit),
            bound,
            measure: Measure::Attrition { annualised: false },
            evidence: Evidence::Roster,
        }
    }

    fn fig(value: Option<f64>, inputs: &[(&str, f64)]) -> Figure {
        Figure {
            value,
            inputs: inputs.iter().map(|(k, v)| (k.to_string(), *v)).collect(),
            formula: String::new(),
            approximate: false,
        }
    }

    #[test]
    fn caps_and_floors_compare_rounded_decimals() {
        // 4 separations over an average headcount of 100 is exactly at a 4 % cap; the
        // floating-point residue of another division must not breach it.
        let cap = req(Bound::AtMost, 4);
        assert!(judge(&cap, &fig(Some(4.000_000_000_1), &[])).unwrap().met);
        let over = judge(&cap, &fig(Some(4.01), &[])).unwrap();
        assert!(!over.met);
        assert_eq!(over.value.to_string(), "4.01");
        assert_eq!(judge(&cap, &fig(None, &[])), None);
        let floor = req(Bound::AtLeast, 6);
        assert!(judge(&floor, &fig(Some(6.0), &[])).unwrap().met);
        assert!(!judge(&floor, &fig(Some(5.999), &[])).unwrap().met);
    }

    #[test]
    fn every_hire_and_every_agent() {
        let hires = req(Bound::EveryHire, 120);
        // A month without hires owes nothing.
        let none = judge(&hires, &fig(None, &[("hires", 0.0)])).unwrap();
        assert!(none.met);
        assert_eq!(none.value, Decimal::ZERO);
        // The average reaches 120 but one hire is short: breached.
        let short = fig(
            Some(125.0),
            &[("hires", 4.0), ("hires_below_required", 1.0)],
        );
        assert!(!judge(&hires, &short).unwrap().met);
        let all = fig(
            Some(120.0),
            &[("hires", 4.0), ("hires_below_required", 0.0)],
        );
        assert!(judge(&hires, &all).unwrap().met);
        let agents = req(Bound::EveryAgent, 4);
        assert!(judge(&agents, &fig(Some(100.0), &[])).unwrap().met);
        assert!(!judge(&agents, &fig(Some(97.5), &[])).unwrap().met);
    }
}
