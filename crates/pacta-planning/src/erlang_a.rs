//! Erlang A (M/M/N+M): Poisson arrivals λ, exponential handling (rate μ = 1/AHT), N agents,
//! first-come-first-served, and exponential patience with mean θ⁻¹: a caller still waiting
//! after an Exp(θ) time hangs up.
//!
//! # Method
//!
//! The queue is the birth–death chain with birth rate λ and death rate
//! min(k, N)·μ + max(k − N, 0)·θ in state k. It is stable for every N ≥ 0, so there is no
//! N > A condition and the staffing search starts at N = 1.
//!
//! Write A = λ/μ, b = Nμ/θ, c = λ/θ, and p_N for the probability of state N. Below N the
//! chain is the Erlang loss system, so Σ_{k<N} p_k = p_N·D with D = 1/B(N, A) − 1 from the
//! same positive recursion as Erlang C. Above N, p_{N+j} = p_N·u_j with
//! u_j = c^j / ((b+1)(b+2)…(b+j)).
//!
//! A caller who arrives with j callers waiting ahead has an *offered wait* V (the wait of a
//! caller with infinite patience) that is hypoexponential with rates Nμ + iθ, i = j, …, 0, and
//! is served iff his patience exceeds V. Summing over the arrival state (PASTA) gives the
//! incomplete-gamma form of Mandelbaum & Zeltyn ("The M/M/n+G queue: summary of performance
//! measures"; Garnett, Mandelbaum & Reiman 2002). For exponential patience, with
//! x = e^{−θt} and w(t) = x^b·e^{c(1−x)}:
//!
//! * P(V > t)             = p_N · w(t) · T₀(c·x)
//! * P(served, W > t)      = p_N · w(t) · x · T₁(c·x)
//! * P(abandon, W > t)     = p_N · w(t) · x · T₂(c·x)
//! * E[W · 1{served}]      = p_N · θ⁻¹ · T_H(c)
//!
//! where, with u_m(y) = y^m / ((b+1)…(b+m)),
//! T₀(y) = Σ u_m, T₁(y) = Σ u_m·b/(b+m+1), T₂(y) = Σ u_m·(m+1)/(b+m+1) and
//! T_H(y) = Σ u_m·b/(b+m+1)·Σ_{i=1}^{m+1} 1/(b+i). (T₀(y)·e^{−y}y^b/b is the lower incomplete
//! gamma γ(b, y); T₁ is the same for b + 1.) At t = 0 these give P(wait) = p_N·T₀(c),
//! P(abandon) = p_N·T₂(c) (which equals θ·E(queue length)/λ, as Little's law requires) and
//! p_N = 1 / (D + T₀(c)).
//!
//! Every series has positive terms only, so there is no cancellation. Terms are summed with a
//! running power-of-ten rescaling and everything is combined in log space, so 5,000 calls per
//! half hour and thousands of agents neither overflow nor underflow. Summation stops once the
//! geometric bound on the remaining tail is below 1e−17 of the sum. The cost of one evaluation
//! is about max(c − b, 0) + O(√c) terms; [`MAX_CALLERS_PER_PATIENCE`] bounds c.
//!
//! The results are checked against an independent mpmath implementation (the truncated chain
//! with a uniformised transient analysis of each waiting caller, 50 digits) and against a
//! discrete-event simulation in the test suite.

use serde::Serialize;

use crate::error::{self, Field, Model, PlanningError};
use crate::limits::{MAX_AGENTS, at_least, at_most};
use crate::target::{ServiceLevelVariant, ServiceTarget};

/// The largest λ/θ (calls arriving during one mean patience) Erlang A accepts; beyond it the
/// series get too long to be useful in a planning tool.
pub use crate::limits::MAX_CALLERS_PER_PATIENCE;

/// An Erlang A queue for one interval.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct ErlangA {
    lambda: f64,
    aht_s: f64,
    patience_s: f64,
    load: f64,
}

/// What Erlang A predicts at a given staffing. Shares are of offered calls unless said.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ErlangAMetrics {
    /// Agents.
    pub agents: u32,
    /// Offered load in Erlang.
    pub offered_load: f64,
    /// Answer threshold T used for the `*_within` figures, seconds.
    pub threshold_s: f64,
    /// Short-abandon threshold S used for `p_abandon_within_short`, seconds.
    pub short_abandon_s: f64,
    /// P(an arriving caller finds every agent busy).
    pub p_wait: f64,
    /// P(abandon): share of offered callers who hang up before an answer.
    pub p_abandon: f64,
    /// Share of offered callers answered (1 − `p_abandon`).
    pub p_answered: f64,
    /// Share of offered callers answered within T (A≤T / offered).
    pub p_answered_within: f64,
    /// Share of offered callers who abandon within T (Ab≤T / offered).
    pub p_abandon_within: f64,
    /// Share of offered callers who abandon within S (Ab≤S / offered).
    pub p_abandon_within_short: f64,
    /// P(wait ≤ T | answered): A≤T / A. `None` when nobody is answered (0 agents).
    pub service_level_answered: Option<f64>,
    /// P(time in queue ≤ T) over all callers, answered or not: (A≤T + Ab≤T) / offered.
    pub p_wait_within: f64,
    /// Average speed of answer over answered callers only, seconds (callers who hung up are
    /// not in it). `None` when nobody is answered.
    pub asa_answered_s: Option<f64>,
    /// Agent occupancy: answered load / N = A·(1 − P(abandon)) / N.
    pub occupancy: f64,
}

impl ErlangAMetrics {
    /// Numerator and denominator of the service level under `variant`, as shares of offered
    /// calls (A≤T, A, Ab, … divided by offered). Summing `volume × share` over intervals and
    /// dividing gives the period's service level exactly as the contract measures it.
    pub fn service_level_fraction(&self, variant: ServiceLevelVariant) -> (f64, f64) {
        let a_t = self.p_answered_within;
        match variant {
            ServiceLevelVariant::AnsweredOnly => (a_t, self.p_answered),
            ServiceLevelVariant::AbandonsAgainst => (a_t, 1.0),
            ServiceLevelVariant::AbandonsWithinMet | ServiceLevelVariant::Offered => {
                (a_t + self.p_abandon_within, 1.0)
            }
            ServiceLevelVariant::AbandonsAfterThreshold => (a_t, 1.0 - self.p_abandon_within),
            ServiceLevelVariant::ExcludeShortAbandons => (a_t, 1.0 - self.p_abandon_within_short),
        }
    }

    /// The service level under `variant` (0 when its denominator is empty, e.g. nobody is
    /// answered with 0 agents under `answered_only`).
    pub fn service_level(&self, variant: ServiceLevelVariant) -> f64 {
        let (num, den) = self.service_level_fraction(variant);
        if den > 0.0 {
            (num / den).clamp(0.0, 1.0)
        } else {
            0.0
        }
    }
}

/// Positive-term sums T₀, T₁, T₂, T_H, all scaled by e^{ln_scale}.
#[derive(Debug, Clone, Copy)]
struct Sums {
    ln_scale: f64,
    t0: f64,
    t1: f64,
    t2: f64,
    th: f64,
}

/// Which optional parts of an evaluation to compute.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
struct Full {
    asa: bool,
    short: bool,
}

impl Full {
    const ALL: Full = Full {
        asa: true,
        short: true,
    };
}

const RESCALE: f64 = 1e250;
const TAIL_EPS: f64 = 1e-17;

/// Sums the series of the module docs for parameters `b` (≥ 0) and `y` (≥ 0).
fn series(b: f64, y: f64, with_h: bool) -> Sums {
    let mut s = Sums {
        ln_scale: 0.0,
        t0: 0.0,
        t1: 0.0,
        t2: 0.0,
        th: 0.0,
    };
    let mut u = 1.0_f64;
    let mut h = 0.0_f64;
    let mut m = 0.0_f64;
    loop {
        let inv = 1.0 / (b + m + 1.0);
        let f1 = u * b * inv;
        s.t0 += u;
        s.t1 += f1;
        s.t2 += u * (m + 1.0) * inv;
        if with_h {
            h += inv;
            s.th += f1 * h;
        }
        u *= y * inv;
        m += 1.0;
        if s.t0 > RESCALE {
            u /= RESCALE;
            s.t0 /= RESCALE;
            s.t1 /= RESCALE;
            s.t2 /= RESCALE;
            s.th /= RESCALE;
            s.ln_scale += RESCALE.ln();
        }
        let next_den = b + m + 1.0;
        if y < next_den {
            let r = y / next_den;
            let tail = u / (1.0 - r);
            let done0 = tail <= TAIL_EPS * s.t0;
            let done_h =
                !with_h || b == 0.0 || tail * (h + 1.0 / (next_den * (1.0 - r))) <= TAIL_EPS * s.th;
            if done0 && done_h {
                return s;
            }
        }
    }
}

fn logaddexp(a: f64, b: f64) -> f64 {
    if a == f64::NEG_INFINITY {
        return b;
    }
    if b == f64::NEG_INFINITY {
        return a;
    }
    let m = a.max(b);
    if m == f64::INFINITY {
        return m;
    }
    m + (-(a - b).abs()).exp().ln_1p()
}

impl ErlangA {
    /// A queue with `volume` calls per `interval_s` seconds, AHT `aht_s` and mean patience
    /// `patience_s` (the mean time a caller waits before hanging up).
    pub fn new(
        volume: f64,
        interval_s: f64,
        aht_s: f64,
        patience_s: f64,
    ) -> Result<Self, PlanningError> {
        let volume = error::volume(volume)?;
        let interval_s = error::positive_seconds(Field::IntervalS, interval_s)?;
        let aht_s = error::positive_seconds(Field::AhtS, aht_s)?;
        let patience_s = error::positive_seconds(Field::PatienceS, patience_s)?;
        let lambda = volume / interval_s;
        let load = lambda * aht_s;
        error::finite(Field::Volume, load)?;
        let callers_per_patience = lambda * patience_s;
        if callers_per_patience.is_nan() || callers_per_patience > MAX_CALLERS_PER_PATIENCE {
            return Err(PlanningError::PatienceTooLong {
                patience_s,
                callers_per_patience,
            });
        }
        Ok(ErlangA {
            lambda,
            aht_s,
            patience_s,
            load,
        })
    }

    /// Offered load A in Erlang.
    pub fn offered_load(&self) -> f64 {
        self.load
    }

    /// Everything Erlang A predicts with `agents` agents, answer threshold `threshold_s` and
    /// short-abandon threshold `short_abandon_s` (both ≥ 0; a negative or NaN threshold is
    /// taken as 0).
    pub fn metrics(&self, agents: u32, threshold_s: f64, short_abandon_s: f64) -> ErlangAMetrics {
        // Unvalidated thresholds: negative or NaN count as 0 (see `ServiceTarget::validate`).
        let threshold_s = threshold_s.max(0.0);
        let short_abandon_s = short_abandon_s.max(0.0);
        if self.lambda <= 0.0 {
            return self.empty(agents, threshold_s, short_abandon_s);
        }
        let d = crate::erlang_c::inverse_b_minus_one(self.load, agents);
        self.eval(agents, d, threshold_s, short_abandon_s, Full::ALL)
    }

    fn empty(&self, agents: u32, threshold_s: f64, short_abandon_s: f64) -> ErlangAMetrics {
        ErlangAMetrics {
            agents,
            offered_load: self.load,
            threshold_s,
            short_abandon_s,
            p_wait: 0.0,
            p_abandon: 0.0,
            p_answered: 1.0,
            p_answered_within: 1.0,
            p_abandon_within: 0.0,
            p_abandon_within_short: 0.0,
            service_level_answered: Some(1.0),
            p_wait_within: 1.0,
            asa_answered_s: Some(0.0),
            occupancy: 0.0,
        }
    }

    /// P(served, W > t) and P(abandon, W > t) for t > 0, given ln p_N.
    fn tails(&self, b: f64, c: f64, ln_pn: f64, t: f64) -> (f64, f64) {
        let z = t / self.patience_s; // θt
        let x = (-z).exp();
        let s = series(b, c * x, false);
        let ln_w = -b * z + c * (-(-z).exp_m1());
        let k = (ln_pn + ln_w - z + s.ln_scale).exp();
        (k * s.t1, k * s.t2)
    }

    /// `full` says whether to compute the ASA series and the short-abandon tail (the staffing
    /// search computes only what its targets need, then evaluates the answer in full).
    fn eval(
        &self,
        agents: u32,
        d: f64,
        threshold_s: f64,
        short_abandon_s: f64,
        full: Full,
    ) -> ErlangAMetrics {
        let Full {
            asa: with_asa,
            short: with_short,
        } = full;
        let n = f64::from(agents);
        let b = n * self.patience_s / self.aht_s;
        let c = self.lambda * self.patience_s;
        let s0 = series(b, c, with_asa);
        let ln_t0 = s0.ln_scale + s0.t0.ln();
        let ln_d = d.ln();
        let ln_pn = -logaddexp(ln_d, ln_t0);
        let k0 = (ln_pn + s0.ln_scale).exp();
        // P(W = 0) = D / (D + T₀): everyone who finds a free agent.
        let p_immediate = 1.0 / (1.0 + (ln_t0 - ln_d).exp());
        let p_wait = (k0 * s0.t0).min(1.0);
        let p_abandon = (k0 * s0.t2).min(1.0);
        let served_waiting = k0 * s0.t1;
        let p_answered = (p_immediate + served_waiting).min(1.0);

        let (served_gt_t, ab_gt_t) = if threshold_s > 0.0 {
            self.tails(b, c, ln_pn, threshold_s)
        } else {
            (served_waiting, p_abandon)
        };
        let ab_gt_s = if !with_short {
            f64::NAN
        } else if short_abandon_s == threshold_s {
            ab_gt_t
        } else if short_abandon_s > 0.0 {
            self.tails(b, c, ln_pn, short_abandon_s).1
        } else {
            p_abandon
        };
        let p_answered_within = (p_immediate + (served_waiting - served_gt_t).max(0.0)).min(1.0);
        let p_abandon_within = (p_abandon - ab_gt_t).max(0.0);
        let p_abandon_within_short = (p_abandon - ab_gt_s).max(0.0);
        let answered_any = p_answered > 0.0;
        let asa_answered_s = if with_asa && answered_any {
            Some(k0 * s0.th * self.patience_s / p_answered)
        } else {
            None
        };
        ErlangAMetrics {
            agents,
            offered_load: self.load,
            threshold_s,
            short_abandon_s,
            p_wait,
            p_abandon,
            p_answered,
            p_answered_within,
            p_abandon_within,
            p_abandon_within_short,
            service_level_answered: answered_any.then(|| (p_answered_within / p_answered).min(1.0)),
            p_wait_within: (p_answered_within + p_abandon_within).min(1.0),
            asa_answered_s,
            occupancy: if n > 0.0 {
                (self.load * p_answered / n).min(1.0)
            } else {
                0.0
            },
        }
    }

    /// Whether `m` meets every target in `target`.
    pub fn meets(&self, m: &ErlangAMetrics, target: &ServiceTarget) -> bool {
        if !at_least(m.service_level(target.variant), target.target_share) {
            return false;
        }
        if let Some(max_ab) = target.max_abandon_share
            && !at_most(m.p_abandon, max_ab)
        {
            return false;
        }
        if let Some(max_asa) = target.max_asa_s {
            match m.asa_answered_s {
                Some(asa) if at_most(asa, max_asa) => {}
                _ => return false,
            }
        }
        if let Some(occ) = target.max_occupancy
            && !at_most(self.load * m.p_answered, occ * f64::from(m.agents))
        {
            return false;
        }
        true
    }

    /// The least number of agents meeting every target at once (service level under the
    /// target's variant, abandonment share of offered, ASA of answered callers, occupancy).
    ///
    /// 0 calls need 0 agents. Otherwise every N from 1 upwards is tried, so the answer may be
    /// below the offered load when abandonment relieves the queue. Fails with
    /// [`PlanningError::TooManyAgents`] beyond [`MAX_AGENTS`].
    pub fn required_agents(&self, target: &ServiceTarget) -> Result<ErlangAMetrics, PlanningError> {
        target.validate()?;
        let t = target.threshold_s;
        let s = target.short_abandon();
        if self.lambda <= 0.0 {
            return Ok(self.empty(0, t, s));
        }
        let need = Full {
            asa: target.max_asa_s.is_some(),
            short: target.variant == ServiceLevelVariant::ExcludeShortAbandons,
        };
        let mut d = 0.0_f64;
        for n in 1..=MAX_AGENTS {
            d = f64::from(n) / self.load * (1.0 + d);
            let m = self.eval(n, d, t, s, need);
            if self.meets(&m, target) {
                return Ok(if need == Full::ALL {
                    m
                } else {
                    self.eval(n, d, t, s, Full::ALL)
                });
            }
        }
        Err(PlanningError::TooManyAgents {
            model: Model::ErlangA,
            offered_load: self.load,
        })
    }
}
