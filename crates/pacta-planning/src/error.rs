//! Errors for invalid planning inputs and staffing that cannot be reached.

use std::fmt;

use serde::Serialize;

use crate::limits::{MAX_AGENTS, MAX_CALLERS_PER_PATIENCE};

/// Which input an error is about, named as in the input structs (and the CLI's columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Offered calls in the interval (the interval input's volume).
    Volume,
    /// Interval length in seconds.
    IntervalS,
    /// Average handling time in seconds.
    AhtS,
    /// Mean patience (time to abandon) in seconds.
    PatienceS,
    /// Service-level answer threshold in seconds.
    ThresholdS,
    /// Service-level target share.
    TargetShare,
    /// Short-abandon threshold in seconds.
    ShortAbandonS,
    /// Maximum average speed of answer in seconds.
    MaxAsaS,
    /// Maximum abandonment share.
    MaxAbandonShare,
    /// Maximum occupancy share.
    MaxOccupancy,
    /// Shrinkage component: breaks.
    ShrinkageBreaks,
    /// Shrinkage component: training.
    ShrinkageTraining,
    /// Shrinkage component: absence.
    ShrinkageAbsence,
    /// Shrinkage component: anything else (meetings, coaching, system downtime).
    ShrinkageOther,
    /// The combined shrinkage share.
    ShrinkageCombined,
    /// A number of planned agents.
    Agents,
}

impl Field {
    /// The field's name as written in inputs (`aht_s`, `target_share`, …).
    pub fn name(self) -> &'static str {
        match self {
            Field::Volume => "volume",
            Field::IntervalS => "interval_s",
            Field::AhtS => "aht_s",
            Field::PatienceS => "patience_s",
            Field::ThresholdS => "threshold_s",
            Field::TargetShare => "target_share",
            Field::ShortAbandonS => "short_abandon_s",
            Field::MaxAsaS => "max_asa_s",
            Field::MaxAbandonShare => "max_abandon_share",
            Field::MaxOccupancy => "max_occupancy",
            Field::ShrinkageBreaks => "shrinkage.breaks",
            Field::ShrinkageTraining => "shrinkage.training",
            Field::ShrinkageAbsence => "shrinkage.absence",
            Field::ShrinkageOther => "shrinkage.other",
            Field::ShrinkageCombined => "shrinkage (combined)",
            Field::Agents => "agents",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The queueing model an error or result belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// Erlang C (M/M/N, nobody abandons).
    ErlangC,
    /// Erlang A (M/M/N+M, exponential patience).
    ErlangA,
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Model::ErlangC => "Erlang C",
            Model::ErlangA => "Erlang A",
        })
    }
}

/// Why a planning computation was refused.
///
/// Every variant names the offending [`Field`] (or the model) so the caller can add the row
/// number and point at the column. [`PlanningError::code`] gives a stable kebab-case code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanningError {
    /// A number is NaN or infinite.
    #[error("`{field}` must be a finite number, got `{value}`")]
    NotFinite {
        /// The input.
        field: Field,
        /// The value given.
        value: f64,
    },
    /// The volume is negative (0 is allowed and needs 0 agents).
    #[error("`volume` must not be negative, got `{value}` calls")]
    NegativeVolume {
        /// The value given.
        value: f64,
    },
    /// A length of time that must be strictly positive (interval, AHT, patience, ASA cap).
    #[error("`{field}` must be greater than 0 seconds, got `{value}`")]
    NotPositive {
        /// The input.
        field: Field,
        /// The value given.
        value: f64,
    },
    /// A threshold in seconds that must not be negative.
    #[error("`{field}` must not be negative, got `{value}` seconds")]
    NegativeSeconds {
        /// The input.
        field: Field,
        /// The value given.
        value: f64,
    },
    /// A share that must lie in (0, 1] (write 80 % as `0.8`).
    #[error("`{field}` must be a share in (0, 1] (write 80 % as 0.8), got `{value}`")]
    ShareOutOfRange {
        /// The input.
        field: Field,
        /// The value given.
        value: f64,
    },
    /// A shrinkage share that must lie in [0, 1).
    #[error("`{field}` must be a share in [0, 1) (write 30 % as 0.3), got `{value}`")]
    ShrinkageOutOfRange {
        /// The component, or [`Field::ShrinkageCombined`] when the sum reaches 100 %.
        field: Field,
        /// The value given (or the combined share).
        value: f64,
    },
    /// No staffing up to [`MAX_AGENTS`] meets the targets.
    #[error("needs more than {max} agents ({model}, offered load {offered_load:.1} Erlang)", max = MAX_AGENTS)]
    TooManyAgents {
        /// The model that was searched.
        model: Model,
        /// Offered load in Erlang (volume × AHT / interval).
        offered_load: f64,
    },
    /// A planned staffing above [`MAX_AGENTS`] was given to evaluate.
    #[error("`agents` must be at most {max}, got `{value}`", max = MAX_AGENTS)]
    AgentsOutOfRange {
        /// The value given.
        value: u64,
    },
    /// The Erlang A series would need too many terms: arrivals per mean patience
    /// (volume / interval × patience) above [`MAX_CALLERS_PER_PATIENCE`].
    #[error(
        "`patience_s` {patience_s} s is too long for Erlang A at this volume: {callers_per_patience:.0} \
         calls arrive per mean patience, the limit is {limit}",
        limit = MAX_CALLERS_PER_PATIENCE
    )]
    PatienceTooLong {
        /// The patience given.
        patience_s: f64,
        /// Arrivals per mean patience (λ/θ).
        callers_per_patience: f64,
    },
}

impl pacta_core::Localized for PlanningError {
    fn code(&self) -> &'static str {
        PlanningError::code(self)
    }

    fn message(&self, lang: pacta_core::Lang) -> String {
        if lang == pacta_core::Lang::En {
            return self.to_string();
        }
        match self {
            PlanningError::NotFinite { field, value } => {
                format!("`{field}` debe ser un número finito, se recibió `{value}`")
            }
            PlanningError::NegativeVolume { value } => {
                format!("`volume` no puede ser negativo, se recibió `{value}` llamadas")
            }
            PlanningError::NotPositive { field, value } => {
                format!("`{field}` debe ser mayor que 0 segundos, se recibió `{value}`")
            }
            PlanningError::NegativeSeconds { field, value } => {
                format!("`{field}` no puede ser negativo, se recibió `{value}` segundos")
            }
            PlanningError::ShareOutOfRange { field, value } => format!(
                "`{field}` debe ser una proporción en (0, 1] (escriba 80 % como 0.8), se recibió `{value}`"
            ),
            PlanningError::ShrinkageOutOfRange { field, value } => format!(
                "`{field}` debe ser una proporción en [0, 1) (escriba 30 % como 0.3), se recibió `{value}`"
            ),
            PlanningError::TooManyAgents {
                model,
                offered_load,
            } => format!(
                "necesita más de {MAX_AGENTS} agentes ({model}, carga ofrecida {offered_load:.1} Erlang)"
            ),
            PlanningError::AgentsOutOfRange { value } => {
                format!("`agents` debe ser como máximo {MAX_AGENTS}, se recibió `{value}`")
            }
            PlanningError::PatienceTooLong {
                patience_s,
                callers_per_patience,
            } => format!(
                "`patience_s` {patience_s} s es demasiado larga para Erlang A con este volumen: llegan \
             {callers_per_patience:.0} llamadas por paciencia media, el límite es {}",
                MAX_CALLERS_PER_PATIENCE
            ),
        }
    }
}

impl PlanningError {
    /// A stable kebab-case code for the error, for JSON output and documentation.
    pub fn code(&self) -> &'static str {
        match self {
            PlanningError::NotFinite { .. } => "not-finite",
            PlanningError::NegativeVolume { .. } => "negative-volume",
            PlanningError::NotPositive { .. } => "not-positive",
            PlanningError::NegativeSeconds { .. } => "negative-seconds",
            PlanningError::ShareOutOfRange { .. } => "share-out-of-range",
            PlanningError::ShrinkageOutOfRange { .. } => "shrinkage-out-of-range",
            PlanningError::TooManyAgents { .. } => "too-many-agents",
            PlanningError::AgentsOutOfRange { .. } => "agents-out-of-range",
            PlanningError::PatienceTooLong { .. } => "patience-too-long",
        }
    }

    /// The input the error is about, if it is about one input.
    pub fn field(&self) -> Option<Field> {
        match self {
            PlanningError::NotFinite { field, .. }
            | PlanningError::NotPositive { field, .. }
            | PlanningError::NegativeSeconds { field, .. }
            | PlanningError::ShareOutOfRange { field, .. }
            | PlanningError::ShrinkageOutOfRange { field, .. } => Some(*field),
            PlanningError::NegativeVolume { .. } => Some(Field::Volume),
            PlanningError::AgentsOutOfRange { .. } => Some(Field::Agents),
            PlanningError::PatienceTooLong { .. } => Some(Field::PatienceS),
            PlanningError::TooManyAgents { .. } => None,
        }
    }
}

/// Checks a value is finite.
pub(crate) fn finite(field: Field, value: f64) -> Result<f64, PlanningError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(PlanningError::NotFinite { field, value })
    }
}

/// Checks a duration is finite and > 0.
pub(crate) fn positive_seconds(field: Field, value: f64) -> Result<f64, PlanningError> {
    finite(field, value)?;
    if value > 0.0 {
        Ok(value)
    } else {
        Err(PlanningError::NotPositive { field, value })
    }
}

/// Checks a threshold is finite and ≥ 0.
pub(crate) fn non_negative_seconds(field: Field, value: f64) -> Result<f64, PlanningError> {
    finite(field, value)?;
    if value >= 0.0 {
        Ok(value)
    } else {
        Err(PlanningError::NegativeSeconds { field, value })
    }
}

/// Checks a share is finite and in (0, 1].
pub(crate) fn share(field: Field, value: f64) -> Result<f64, PlanningError> {
    finite(field, value)?;
    if value > 0.0 && value <= 1.0 {
        Ok(value)
    } else {
        Err(PlanningError::ShareOutOfRange { field, value })
    }
}

/// Checks a volume is finite and ≥ 0.
pub(crate) fn volume(value: f64) -> Result<f64, PlanningError> {
    finite(Field::Volume, value)?;
    if value >= 0.0 {
        Ok(value)
    } else {
        Err(PlanningError::NegativeVolume { value })
    }
}
