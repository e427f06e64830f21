//! Erlang C (M/M/N): Poisson arrivals, exponential handling, N agents, nobody abandons.
//!
//! With offered load A = λ·AHT (Erlang) and N agents:
//!
//! * Erlang B by the stable recursion, carried as D(n) = 1/B(n) − 1:
//!   D(0) = 0, D(n) = (n/A)(1 + D(n−1)). All operations are on positive numbers, so there is
//!   no cancellation, and D only overflows where B underflows (far beyond the load, where the
//!   probability of waiting is below 1e−300 anyway).
//! * P(wait) = C(N, A) = N·B / (N − A(1 − B)) = N / (N + (N − A)·D(N)), for N > A.
//! * Service level P(W ≤ T) = 1 − C·exp(−(N − A)·T / AHT).
//! * ASA = C·AHT / (N − A); occupancy = A / N.
//!
//! For N ≤ A the queue is unstable: every caller waits, the service level is 0 and the ASA is
//! unbounded (`None`). The staffing search starts at the smallest stable N, ⌊A⌋ + 1, and walks
//! up one agent at a time, so it returns the least N meeting every constraint.

use serde::Serialize;

use crate::error::{self, Field, Model, PlanningError};
use crate::limits::{MAX_AGENTS, at_least, at_most};
use crate::target::ServiceTarget;

/// Erlang B blocking probability B(N, A) by the recursion B(n) = A·B(n−1) / (n + A·B(n−1)).
///
/// `load` is the offered load in Erlang (must be ≥ 0; 0 gives 0 for N ≥ 1).
pub fn erlang_b(load: f64, agents: u32) -> f64 {
    let mut b = 1.0_f64;
    for n in 1..=agents {
        b = load * b / (f64::from(n) + load * b);
    }
    b
}

/// D(N) = 1/B(N, A) − 1 by the positive recursion D(n) = (n/A)(1 + D(n−1)); requires A > 0.
pub(crate) fn inverse_b_minus_one(load: f64, agents: u32) -> f64 {
    let mut d = 0.0_f64;
    for n in 1..=agents {
        d = f64::from(n) / load * (1.0 + d);
    }
    d
}

/// Erlang C probability of waiting C(N, A); 1 when N ≤ A (unstable queue).
pub fn erlang_c(load: f64, agents: u32) -> f64 {
    if load <= 0.0 {
        return 0.0;
    }
    let n = f64::from(agents);
    if n <= load {
        return 1.0;
    }
    p_wait_from_d(load, n, inverse_b_minus_one(load, agents))
}

fn p_wait_from_d(load: f64, n: f64, d: f64) -> f64 {
    let p = n / (n + (n - load) * d);
    if p.is_finite() { p } else { 0.0 }
}

/// An Erlang C queue for one interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangC {
    load: f64,
    aht_s: f64,
}

/// What Erlang C predicts at a given staffing.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ErlangCMetrics {
    /// Agents (in seat, answering).
    pub agents: u32,
    /// Offered load in Erlang.
    pub offered_load: f64,
    /// Whether the queue is stable (N > A, or no calls).
    pub stable: bool,
    /// Probability an arriving caller waits (Erlang C formula).
    pub p_wait: f64,
    /// P(wait ≤ threshold). Nobody abandons in Erlang C, so every service-level variant equals
    /// this value.
    pub service_level: f64,
    /// Average speed of answer over all callers, seconds; `None` when unstable.
    pub asa_s: Option<f64>,
    /// Agent occupancy A / N (capped at 1 when unstable; 0 with no calls).
    pub occupancy: f64,
}

impl ErlangC {
    /// A queue with `volume` calls per interval of `interval_s` seconds and AHT `aht_s`.
    ///
    /// `volume` may be 0 (then 0 agents are needed); it may be fractional (a forecast).
    pub fn new(volume: f64, interval_s: f64, aht_s: f64) -> Result<Self, PlanningError> {
        let volume = error::volume(volume)?;
        let interval_s = error::positive_seconds(Field::IntervalS, interval_s)?;
        let aht_s = error::positive_seconds(Field::AhtS, aht_s)?;
        let load = volume * aht_s / interval_s;
        error::finite(Field::Volume, load)?;
        Ok(ErlangC { load, aht_s })
    }

    /// A queue with a given offered load in Erlang (arrival rate × AHT), as a simulation
    /// that computes its own load has it.
    pub fn with_load(load: f64, aht_s: f64) -> Result<Self, PlanningError> {
        let load = error::finite(Field::Volume, load)?.max(0.0);
        let aht_s = error::positive_seconds(Field::AhtS, aht_s)?;
        Ok(ErlangC { load, aht_s })
    }

    /// Offered load A in Erlang.
    pub fn offered_load(&self) -> f64 {
        self.load
    }

    /// Everything Erlang C predicts with `agents` agents and answer threshold `threshold_s`
    /// (≥ 0; a negative or NaN threshold is taken as 0).
    pub fn metrics(&self, agents: u32, threshold_s: f64) -> ErlangCMetrics {
        let threshold_s = threshold_s.max(0.0);
        if self.load <= 0.0 {
            return self.empty(agents);
        }
        let d = inverse_b_minus_one(self.load, agents);
        self.metrics_from_d(agents, d, threshold_s)
    }

    fn empty(&self, agents: u32) -> ErlangCMetrics {
        ErlangCMetrics {
            agents,
            offered_load: self.load,
            stable: true,
            p_wait: 0.0,
            service_level: 1.0,
            asa_s: Some(0.0),
            occupancy: 0.0,
        }
    }

    fn metrics_from_d(&self, agents: u32, d: f64, threshold_s: f64) -> ErlangCMetrics {
        let n = f64::from(agents);
        let a = self.load;
        if n <= a {
            return ErlangCMetrics {
                agents,
                offered_load: a,
                stable: false,
                p_wait: 1.0,
                service_level: 0.0,
                asa_s: None,
                occupancy: 1.0,
            };
        }
        let c = p_wait_from_d(a, n, d);
        let service_level = (1.0 - c * (-(n - a) * threshold_s / self.aht_s).exp()).clamp(0.0, 1.0);
        ErlangCMetrics {
            agents,
            offered_load: a,
            stable: true,
            p_wait: c,
            service_level,
            asa_s: Some(c * self.aht_s / (n - a)),
            occupancy: a / n,
        }
    }

    /// The least number of agents meeting every target at once: P(W ≤ T) ≥ target share
    /// (every service-level variant is the same without abandonment), ASA ≤ `max_asa_s`,
    /// occupancy A/N ≤ `max_occupancy` (compared as A ≤ occ·N with a 1e−12 relative
    /// tolerance, so 2.1 Erlang at 70 % gives 3 agents). `max_abandon_share` is met trivially.
    ///
    /// 0 calls need 0 agents. Otherwise the search starts at ⌊A⌋ + 1 (the smallest stable N)
    /// and never skips a staffing level. Fails with [`PlanningError::TooManyAgents`] beyond
    /// [`MAX_AGENTS`].
    pub fn required_agents(
        &self,
        targets: &ServiceTarget,
    ) -> Result<ErlangCMetrics, PlanningError> {
        targets.validate()?;
        if self.load <= 0.0 {
            return Ok(self.empty(0));
        }
        let too_many = PlanningError::TooManyAgents {
            model: Model::ErlangC,
            offered_load: self.load,
        };
        if self.load >= f64::from(MAX_AGENTS) {
            return Err(too_many);
        }
        // Smallest stable staffing: N > A.
        let start = self.load.floor() as u32 + 1;
        let mut d = 0.0_f64;
        for n in 1..=MAX_AGENTS {
            d = f64::from(n) / self.load * (1.0 + d);
            if n < start {
                continue;
            }
            if let Some(occ) = targets.max_occupancy {
                // A / N ≤ occ  ⇔  A ≤ occ·N, with a relative tolerance for the float product.
                if !at_most(self.load, occ * f64::from(n)) {
                    continue;
                }
            }
            let m = self.metrics_from_d(n, d, targets.threshold_s);
            if !m.stable || !at_least(m.service_level, targets.target_share) {
                continue;
            }
            if let Some(max_asa) = targets.max_asa_s {
                match m.asa_s {
                    Some(asa) if at_most(asa, max_asa) => {}
                    _ => continue,
                }
            }
            return Ok(m);
        }
        Err(too_many)
    }
}
