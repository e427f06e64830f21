//! Workforce planning: Erlang C and Erlang A staffing against a contracted service level.
//!
//! Pure arithmetic: no I/O, no clock, no printing.
//!
//! * [`mod@erlang_c`]: M/M/N. Probability of waiting, service level, ASA, occupancy, and the least
//!   staffing meeting a service level, an ASA cap and an occupancy cap together.
//! * [`erlang_a`]: M/M/N+M (exponential patience). Abandonment, service level under each of
//!   the contract's variants ([`ServiceLevelVariant`]), ASA of answered callers, least staffing.
//! * [`shrinkage`]: from required agents to scheduled agents and FTE hours.
//! * [`plan_interval`], [`evaluate_staffing`] and [`aggregate_month`] tie these together for
//!   one forecast interval and for a month of intervals.
//!
//! # Conventions
//!
//! * Volumes are calls offered per interval (fractional forecasts allowed); 0 calls need 0
//!   agents and report a service level of 1 (nobody waited). Negative volumes are errors.
//! * Shares are fractions in (0, 1]: write 80 % as `0.8`.
//! * Targets are compared with a 1e−12 relative tolerance (`A ≤ occ·N`, `SL ≥ target`), so a
//!   result that meets a target exactly on paper is not lost to float rounding.
//! * Staffing searches never skip a level: Erlang C from ⌊A⌋ + 1, Erlang A from 1.

pub mod erlang_a;
pub mod erlang_c;
pub mod error;
mod interval;
mod limits;
pub mod shrinkage;
mod target;

pub use erlang_a::{ErlangA, ErlangAMetrics};
pub use erlang_c::{ErlangC, ErlangCMetrics, erlang_b, erlang_c};
pub use error::{Field, Model, PlanningError};
pub use interval::{
    ErlangAOutcome, IntervalInput, IntervalPlan, PeriodSummary, StaffingEvaluation,
    aggregate_month, evaluate_staffing, plan_interval,
};
pub use limits::{DEFAULT_SHORT_ABANDON_S, MAX_AGENTS};
pub use shrinkage::{Combination, Shrinkage, fte_hours, scheduled_agents, scheduled_agents_whole};
pub use target::{ServiceLevelVariant, ServiceTarget};
