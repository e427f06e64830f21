//! How an SLA fared in a month, as credits read it: the measured value, the target in force
//! and the verdict.

use rust_decimal::Decimal;
use serde::{Deserialize, Serialize};

/// How an SLA fared in a period.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Status {
    /// At or better than the expected level.
    Met,
    /// Worse than expected, not below the minimum.
    Missed,
    /// Worse than the minimum level.
    BelowMinimum,
    /// Excluded (accepted relief, late forecast, missing data excused by contract).
    Excused,
}

impl Status {
    /// The verdict in words, a miss in capitals so it stands out in a scorecard.
    pub fn label(self, lang: pacta_core::Lang) -> &'static str {
        match self {
            Status::Met => lang.pick("met", "cumplido"),
            Status::Missed => lang.pick("MISSED", "INCUMPLIDO"),
            Status::BelowMinimum => lang.pick("BELOW MINIMUM", "BAJO EL MÍNIMO"),
            Status::Excused => lang.pick("excused", "eximido"),
        }
    }

    /// Whether the period counts as a miss for credits and chronic triggers.
    pub fn is_miss(self) -> bool {
        matches!(self, Status::Missed | Status::BelowMinimum)
    }
}

/// What the KPI engine measured for one SLA in the month, and the verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SlaResult {
    /// SLA id.
    pub sla_id: String,
    /// Measured value in the metric's unit (percent for rates); `None` = no data.
    pub measured: Option<Decimal>,
    /// Target in force; `None` when no target is in force for the month (a tracked-only
    /// month, or a per-period SLA whose first target takes effect later in the month).
    pub expected: Option<Decimal>,
    /// Minimum level in force.
    pub minimum: Option<Decimal>,
    /// Verdict.
    pub status: Status,
}

/// Judges a measured value against the target in force.
///
/// `higher_is_better` comes from the metric catalog. A missing value is a miss unless the
/// contract excuses missing data (`missing_excused`).
pub fn judge(
    measured: Option<Decimal>,
    expected: Decimal,
    minimum: Option<Decimal>,
    higher_is_better: bool,
    missing_excused: bool,
) -> Status {
    let Some(v) = measured else {
        return if missing_excused {
            Status::Excused
        } else {
            Status::Missed
        };
    };
    let meets = |level: Decimal| {
        if higher_is_better {
            v >= level
        } else {
            v <= level
        }
    };
    if meets(expected) {
        Status::Met
    } else if minimum.is_some_and(|m| !meets(m)) {
        Status::BelowMinimum
    } else {
        Status::Missed
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use rust_decimal_macros::dec;

    #[test]
    fn judging_respects_direction_and_minimum() {
        assert_eq!(
            judge(Some(dec!(80)), dec!(80), Some(dec!(75)), true, false),
            Status::Met
        );
        assert_eq!(
            judge(Some(dec!(79.99)), dec!(80), Some(dec!(75)), true, false),
            Status::Missed
        );
        assert_eq!(
            judge(Some(dec!(74)), dec!(80), Some(dec!(75)), true, false),
            Status::BelowMinimum
        );
        assert_eq!(
            judge(Some(dec!(5)), dec!(5), Some(dec!(8)), false, false),
            Status::Met
        );
        assert_eq!(
            judge(Some(dec!(9)), dec!(5), Some(dec!(8)), false, false),
            Status::BelowMinimum
        );
        assert_eq!(judge(None, dec!(80), None, true, false), Status::Missed);
        assert_eq!(judge(None, dec!(80), None, true, true), Status::Excused);
    }
}
