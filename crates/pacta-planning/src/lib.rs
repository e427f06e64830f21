//! Workforce planning: Erlang C and Erlang A staffing against a contracted service level.
//!
//! Pure arithmetic and parsing of text handed in: no I/O, no clock, no printing.
//!
//! * [`mod@erlang_c`]: M/M/N. Probability of waiting, service level, ASA, occupancy, and the least
//!   staffing meeting a service level, an ASA cap and an occupancy cap together.
//! * [`erlang_a`]: M/M/N+M (exponential patience). Abandonment, service level under each of
//!   the contract's variants ([`ServiceLevelVariant`]), ASA of answered callers, least staffing.
//! * [`concurrency`]: chat agents holding several conversations; Erlang's slots into people.
//! * [`shrinkage`]: from required agents to scheduled agents and FTE hours.
//! * [`plan_interval`], [`evaluate_staffing`] and [`aggregate_month`] tie these together for
//!   one forecast interval and for a month of intervals.
//! * [`staff`] staffs a whole forecast against a contract's service-level SLAs into a
//!   [`StaffingPlan`], checking a vendor's staffing plan when given; [`parse_forecast`] and
//!   [`parse_staffing`] read their CSV text with every bad value located.
//!
//! # Conventions
//!
//! * Volumes are calls offered per interval (fractional forecasts allowed); 0 calls need 0
//!   agents and report a service level of 1 (nobody waited). Negative volumes are errors.
//! * Shares are fractions in (0, 1]: write 80 % as `0.8`.
//! * Targets are compared with a 1e−12 relative tolerance (`A ≤ occ·N`, `SL ≥ target`), so a
//!   result that meets a target exactly on paper is not lost to float rounding.
//! * Staffing searches never skip a level: Erlang C from ⌊A⌋ + 1, Erlang A from 1.

pub mod concurrency;
pub mod erlang_a;
pub mod erlang_c;
pub mod error;
mod forecast;
mod interval;
mod limits;
pub mod shrinkage;
mod staffing_plan;
mod target;

pub use erlang_a::{ErlangA, ErlangAMetrics};
pub use erlang_c::{ErlangC, ErlangCMetrics, erlang_b, erlang_c};
pub use error::{Field, Model, PlanningError, RowError, RowLocation, RowProblem};
pub use forecast::{
    Forecast, ForecastRow, VendorStaffing, forecast_csv, parse_forecast, parse_staffing,
    parse_start,
};
pub use interval::{
    ErlangAOutcome, IntervalInput, IntervalPlan, PeriodSummary, StaffingEvaluation,
    aggregate_month, evaluate_staffing, plan_interval,
};
pub use limits::{DEFAULT_SHORT_ABANDON_S, MAX_AGENTS};
pub use shrinkage::{Combination, Shrinkage, fte_hours, scheduled_agents, scheduled_agents_whole};
pub use staffing_plan::{
    ErlangAStaffing, ErlangCStaffing, ForecastEstimate, PlanOptions, PlanRow, PlanTotals,
    PlannedStaffing, QueueEstimate, StaffingPlan, StaffingSummary, TargetSummary,
    queue_concurrency, sla_covers_queue, staff,
};
pub use target::{ServiceLevelVariant, ServiceTarget};
