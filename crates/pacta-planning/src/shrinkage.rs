//! Shrinkage: from agents answering calls to agents on the schedule.
//!
//! Required agents (from Erlang C or A) are agents *in seat and available*. Breaks, training,
//! absence and other off-phone time take a share of paid time away, so the schedule needs
//! `scheduled = required / (1 − s)` agents, where `s` is the combined shrinkage share.
//!
//! Components combine in one of two explicit ways ([`Combination`]):
//!
//! * [`Combination::Multiplicative`] (default): each component removes its share of the time
//!   left by the others, `s = 1 − Π(1 − sᵢ)`. Use it when each share is measured against the
//!   time remaining (absence of rostered time, then breaks of time at work, …).
//! * [`Combination::Additive`]: `s = Σ sᵢ`, each share measured against the same paid hours.
//!   It must stay below 1.
//!
//! 10 % breaks + 5 % training + 8 % absence is 21.34 % multiplicatively and 23 % additively.

use serde::{Deserialize, Serialize};

use crate::error::{Field, PlanningError};

/// How shrinkage components combine.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Combination {
    /// s = 1 − Π(1 − sᵢ).
    #[default]
    Multiplicative,
    /// s = Σ sᵢ.
    Additive,
}

/// Shrinkage components, each a share in [0, 1).
#[derive(Debug, Clone, Copy, PartialEq, Default, Serialize, Deserialize)]
pub struct Shrinkage {
    /// Breaks and lunches.
    pub breaks: f64,
    /// Training and coaching.
    pub training: f64,
    /// Absence (sickness, leave, unplanned).
    pub absence: f64,
    /// Anything else off the phone (meetings, system downtime).
    pub other: f64,
    /// How the components combine.
    pub combination: Combination,
}

impl Shrinkage {
    /// The combined shrinkage share, in [0, 1).
    pub fn combined(&self) -> Result<f64, PlanningError> {
        let parts = [
            (Field::ShrinkageBreaks, self.breaks),
            (Field::ShrinkageTraining, self.training),
            (Field::ShrinkageAbsence, self.absence),
            (Field::ShrinkageOther, self.other),
        ];
        for (field, value) in parts {
            if !(value.is_finite() && (0.0..1.0).contains(&value)) {
                return Err(PlanningError::ShrinkageOutOfRange { field, value });
            }
        }
        let s = match self.combination {
            Combination::Multiplicative => {
                1.0 - parts.iter().map(|(_, v)| 1.0 - v).product::<f64>()
            }
            Combination::Additive => parts.iter().map(|(_, v)| v).sum(),
        };
        if s >= 1.0 {
            return Err(PlanningError::ShrinkageOutOfRange {
                field: Field::ShrinkageCombined,
                value: s,
            });
        }
        Ok(s)
    }
}

/// Scheduled agents for `required` available agents: `required / (1 − s)`, unrounded.
pub fn scheduled_agents(required: f64, shrinkage: &Shrinkage) -> Result<f64, PlanningError> {
    let s = shrinkage.combined()?;
    Ok(required / (1.0 - s))
}

/// Scheduled agents rounded up to whole people (a result within 1e−9 of an integer is taken as
/// that integer, so 14 / (1 − 0.3) is 20, not 21).
pub fn scheduled_agents_whole(required: u32, shrinkage: &Shrinkage) -> Result<u32, PlanningError> {
    let x = scheduled_agents(f64::from(required), shrinkage)?;
    let r = x.round();
    let whole = if (x - r).abs() <= 1e-9 * x.max(1.0) {
        r
    } else {
        x.ceil()
    };
    // Bounded: required ≤ u32::MAX and 1 − s ≥ f64::EPSILON keep this finite; saturate anyway.
    Ok(if whole >= f64::from(u32::MAX) {
        u32::MAX
    } else {
        whole as u32
    })
}

/// FTE hours an interval needs: agents × interval length in hours.
pub fn fte_hours(agents: f64, interval_s: f64) -> f64 {
    agents * interval_s / 3600.0
}
