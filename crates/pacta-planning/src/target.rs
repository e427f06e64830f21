//! The contracted targets an interval is staffed against.

use serde::{Deserialize, Serialize};

use crate::error::{self, Field, PlanningError};
use crate::limits::DEFAULT_SHORT_ABANDON_S;

/// How abandoned calls count in the service level: the contract's own variant type. The
/// queue models have no exits other than abandons, so `offered` equals
/// `abandons_within_met` here.
pub use pacta_contract::ServiceLevelVariant;

/// The contracted targets an interval is staffed against.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct ServiceTarget {
    /// Answer threshold T, seconds (≥ 0).
    pub threshold_s: f64,
    /// Share of calls to answer within T, in (0, 1].
    pub target_share: f64,
    /// How abandoned calls count (Erlang A only).
    pub variant: ServiceLevelVariant,
    /// Short-abandon threshold S for [`ServiceLevelVariant::ExcludeShortAbandons`], seconds;
    /// [`DEFAULT_SHORT_ABANDON_S`] when `None`.
    #[serde(default)]
    pub short_abandon_s: Option<f64>,
    /// Maximum average speed of answer, seconds (> 0). Erlang A uses the ASA of answered
    /// callers.
    #[serde(default)]
    pub max_asa_s: Option<f64>,
    /// Maximum abandonment share of offered calls, in (0, 1] (Erlang A only).
    #[serde(default)]
    pub max_abandon_share: Option<f64>,
    /// Maximum agent occupancy, in (0, 1].
    #[serde(default)]
    pub max_occupancy: Option<f64>,
}

impl ServiceTarget {
    /// A service-level target with no other constraints: `target_share` within `threshold_s`.
    pub fn new(threshold_s: f64, target_share: f64, variant: ServiceLevelVariant) -> Self {
        ServiceTarget {
            threshold_s,
            target_share,
            variant,
            short_abandon_s: None,
            max_asa_s: None,
            max_abandon_share: None,
            max_occupancy: None,
        }
    }

    /// The short-abandon threshold in force.
    pub fn short_abandon(&self) -> f64 {
        self.short_abandon_s.unwrap_or(DEFAULT_SHORT_ABANDON_S)
    }

    /// Checks every field is in range.
    pub fn validate(&self) -> Result<(), PlanningError> {
        error::non_negative_seconds(Field::ThresholdS, self.threshold_s)?;
        error::share(Field::TargetShare, self.target_share)?;
        if let Some(s) = self.short_abandon_s {
            error::non_negative_seconds(Field::ShortAbandonS, s)?;
        }
        if let Some(v) = self.max_asa_s {
            error::positive_seconds(Field::MaxAsaS, v)?;
        }
        if let Some(v) = self.max_abandon_share {
            error::share(Field::MaxAbandonShare, v)?;
        }
        if let Some(v) = self.max_occupancy {
            error::share(Field::MaxOccupancy, v)?;
        }
        Ok(())
    }
}
