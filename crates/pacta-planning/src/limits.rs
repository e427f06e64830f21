//! The limits and tolerances every staffing search shares.

/// The most agents a search or an evaluation goes to for one interval.
pub const MAX_AGENTS: u32 = 100_000;

/// Short-abandon threshold used when the target does not give one, seconds (as in
/// `pacta-render`).
pub const DEFAULT_SHORT_ABANDON_S: f64 = pacta_contract::measure::DEFAULT_SHORT_ABANDON_S as f64;

const REL_TOL: f64 = 1e-12;

/// `value ≥ target`, allowing a 1e−12 relative shortfall.
pub(crate) fn at_least(value: f64, target: f64) -> bool {
    value >= target - REL_TOL * target.abs()
}

/// `value ≤ limit`, allowing a 1e−12 relative excess.
pub(crate) fn at_most(value: f64, limit: f64) -> bool {
    value <= limit + REL_TOL * limit.abs()
}

/// Callers per mean patience above which Erlang A's series is not attempted (see
/// [`crate::erlang_a`]).
pub const MAX_CALLERS_PER_PATIENCE: f64 = 1.0e6;
