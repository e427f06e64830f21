//! One forecast interval staffed with both models, a vendor's staffing checked against them,
//! and a month of intervals summed up.

use serde::{Deserialize, Serialize};

use crate::erlang_a::{ErlangA, ErlangAMetrics};
use crate::erlang_c::{ErlangC, ErlangCMetrics};
use crate::error::PlanningError;
use crate::limits::{MAX_AGENTS, at_least, at_most};
use crate::target::ServiceTarget;

/// One forecast interval of one queue.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct IntervalInput {
    /// Calls offered in the interval (≥ 0, may be fractional).
    pub volume: f64,
    /// Interval length, seconds (> 0), e.g. 1800.
    pub interval_s: f64,
    /// Average handling time, seconds (> 0).
    pub aht_s: f64,
    /// Mean patience (time to abandon), seconds (> 0). `None` skips Erlang A.
    #[serde(default)]
    pub patience_s: Option<f64>,
    /// The contracted targets.
    pub target: ServiceTarget,
}

impl IntervalInput {
    fn queues(&self) -> Result<(ErlangC, Option<ErlangA>), PlanningError> {
        let c = ErlangC::new(self.volume, self.interval_s, self.aht_s)?;
        let a = self
            .patience_s
            .map(|p| ErlangA::new(self.volume, self.interval_s, self.aht_s, p))
            .transpose()?;
        self.target.validate()?;
        Ok((c, a))
    }
}

/// Erlang A's result at one staffing level, with the service level under the target variant.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct ErlangAOutcome {
    /// Service level under the target's variant.
    pub service_level: f64,
    /// Service-level numerator as a share of offered calls (for aggregation).
    pub sl_numerator: f64,
    /// Service-level denominator as a share of offered calls (for aggregation).
    pub sl_denominator: f64,
    /// Whether every target is met.
    pub meets_target: bool,
    /// All predicted figures.
    pub metrics: ErlangAMetrics,
}

/// Required staffing for one interval under both models.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct IntervalPlan {
    /// Offered load A = volume × AHT / interval, Erlang.
    pub offered_load: f64,
    /// Least agents under Erlang C and what Erlang C predicts there.
    pub erlang_c: ErlangCMetrics,
    /// Least agents under Erlang A and what Erlang A predicts there (`None` without patience).
    pub erlang_a: Option<ErlangAOutcome>,
}

impl IntervalPlan {
    /// Required agents under Erlang C.
    pub fn erlang_c_agents(&self) -> u32 {
        self.erlang_c.agents
    }

    /// Required agents under Erlang A, if a patience was given.
    pub fn erlang_a_agents(&self) -> Option<u32> {
        self.erlang_a.map(|a| a.metrics.agents)
    }
}

fn a_outcome(queue: &ErlangA, m: ErlangAMetrics, target: &ServiceTarget) -> ErlangAOutcome {
    let (sl_numerator, sl_denominator) = m.service_level_fraction(target.variant);
    ErlangAOutcome {
        service_level: m.service_level(target.variant),
        sl_numerator,
        sl_denominator,
        meets_target: queue.meets(&m, target),
        metrics: m,
    }
}

/// The least staffing meeting the interval's targets under Erlang C and (with a patience)
/// Erlang A, and what each model predicts at its own staffing.
pub fn plan_interval(input: &IntervalInput) -> Result<IntervalPlan, PlanningError> {
    let (c, a) = input.queues()?;
    let erlang_c = c.required_agents(&input.target)?;
    let erlang_a = match a {
        Some(q) => Some(a_outcome(
            &q,
            q.required_agents(&input.target)?,
            &input.target,
        )),
        None => None,
    };
    Ok(IntervalPlan {
        offered_load: c.offered_load(),
        erlang_c,
        erlang_a,
    })
}

/// What a given staffing (e.g. a vendor's plan) delivers in one interval.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct StaffingEvaluation {
    /// Calls offered in the interval.
    pub volume: f64,
    /// Agents evaluated.
    pub agents: u32,
    /// Offered load, Erlang.
    pub offered_load: f64,
    /// Erlang C's prediction.
    pub erlang_c: ErlangCMetrics,
    /// Whether Erlang C meets the SL, ASA and occupancy targets.
    pub erlang_c_meets_target: bool,
    /// Erlang A's prediction (`None` without patience).
    pub erlang_a: Option<ErlangAOutcome>,
}

/// Expected service level, abandonment, ASA and occupancy with `agents` agents.
pub fn evaluate_staffing(
    input: &IntervalInput,
    agents: u32,
) -> Result<StaffingEvaluation, PlanningError> {
    if agents > MAX_AGENTS {
        return Err(PlanningError::AgentsOutOfRange {
            value: u64::from(agents),
        });
    }
    let (c, a) = input.queues()?;
    let t = &input.target;
    let cm = c.metrics(agents, t.threshold_s);
    let erlang_c_meets_target = cm.stable
        && at_least(cm.service_level, t.target_share)
        && t.max_asa_s
            .is_none_or(|max| cm.asa_s.is_some_and(|asa| at_most(asa, max)))
        && t.max_occupancy
            .is_none_or(|occ| at_most(c.offered_load(), occ * f64::from(agents)));
    let erlang_a = a.map(|q| a_outcome(&q, q.metrics(agents, t.threshold_s, t.short_abandon()), t));
    Ok(StaffingEvaluation {
        volume: input.volume,
        agents,
        offered_load: c.offered_load(),
        erlang_c: cm,
        erlang_c_meets_target,
        erlang_a,
    })
}

/// A month (or any period) of evaluated intervals, summarised.
#[derive(Debug, Clone, Copy, PartialEq, Serialize)]
pub struct PeriodSummary {
    /// Intervals aggregated.
    pub intervals: usize,
    /// Total calls offered.
    pub volume: f64,
    /// Erlang C service level for the period: Σ volumeᵢ·SLᵢ / Σ volumeᵢ. `None` with no calls.
    pub erlang_c_service_level: Option<f64>,
    /// Erlang A service level for the period under the target variant: Σ volumeᵢ·numᵢ /
    /// Σ volumeᵢ·denᵢ. `None` with no calls, or if any interval lacks an Erlang A result.
    pub erlang_a_service_level: Option<f64>,
    /// Erlang A abandonment share of offered for the period: Σ volumeᵢ·P(ab)ᵢ / Σ volumeᵢ.
    pub erlang_a_abandon_share: Option<f64>,
    /// Intervals where Erlang C meets every target.
    pub intervals_meeting_c: usize,
    /// Intervals where Erlang A meets every target.
    pub intervals_meeting_a: usize,
}

/// The period-level service level and abandonment a plan implies.
///
/// Service level is pooled the way a contract measures it over a month: total numerator over
/// total denominator. For Erlang C (and for variants whose denominator is all offered calls)
/// that is the volume-weighted mean Σ volumeᵢ × SLᵢ / Σ volumeᵢ; for variants that drop some
/// callers from the denominator (`answered_only`, `abandons_after_threshold`,
/// `exclude_short_abandons`) each interval weighs by the calls in its denominator.
pub fn aggregate_month(intervals: &[StaffingEvaluation]) -> PeriodSummary {
    let volume: f64 = intervals.iter().map(|e| e.volume).sum();
    let c_num: f64 = intervals
        .iter()
        .map(|e| e.volume * e.erlang_c.service_level)
        .sum();
    let all_a = intervals.iter().all(|e| e.erlang_a.is_some());
    let (mut a_num, mut a_den, mut a_ab) = (0.0, 0.0, 0.0);
    for e in intervals {
        if let Some(a) = e.erlang_a {
            a_num += e.volume * a.sl_numerator;
            a_den += e.volume * a.sl_denominator;
            a_ab += e.volume * a.metrics.p_abandon;
        }
    }
    let has_calls = volume > 0.0;
    PeriodSummary {
        intervals: intervals.len(),
        volume,
        erlang_c_service_level: has_calls.then(|| c_num / volume),
        erlang_a_service_level: (has_calls && all_a && a_den > 0.0).then(|| a_num / a_den),
        erlang_a_abandon_share: (has_calls && all_a).then(|| a_ab / volume),
        intervals_meeting_c: intervals.iter().filter(|e| e.erlang_c_meets_target).count(),
        intervals_meeting_a: intervals
            .iter()
            .filter(|e| e.erlang_a.is_some_and(|a| a.meets_target))
            .count(),
    }
}
