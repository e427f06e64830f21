//! A forecast staffed against the contract: each interval's target from the service-level SLA
//! that covers its queue (options override threshold, target and variant), Erlang C and
//! Erlang A required agents, scheduled agents after shrinkage, totals, and what a vendor's
//! staffing plan delivers interval by interval and over the month.

use std::collections::{BTreeMap, HashMap, HashSet};

use jiff::civil;
use pacta_contract::{Contract, Measure, SlaTerms};
use serde::Serialize;

use crate::error::{Field, PlanningError, RowError, RowLocation, RowProblem};
use crate::forecast::{Forecast, ForecastRow, VendorStaffing, local_and_rfc3339};
use crate::interval::{
    IntervalInput, IntervalPlan, StaffingEvaluation, aggregate_month, evaluate_staffing,
    plan_interval,
};
use crate::shrinkage::{Shrinkage, fte_hours, scheduled_agents_whole};
use crate::target::{ServiceLevelVariant, ServiceTarget};

/// What a plan takes besides the contract and the forecast.
#[derive(Debug, Clone, PartialEq)]
pub struct PlanOptions {
    /// The service-level SLA every queue is planned against (default: the first one whose
    /// scope covers the queue, else the first one).
    pub sla: Option<String>,
    /// Answer threshold, seconds, instead of the SLA's.
    pub threshold_s: Option<f64>,
    /// Target share answered within the threshold, instead of the SLA's target in force.
    pub target: Option<f64>,
    /// Service-level variant instead of the SLA's.
    pub variant: Option<ServiceLevelVariant>,
    /// Maximum Erlang A abandonment share of offered calls.
    pub max_abandon: Option<f64>,
    /// Maximum average speed of answer, seconds.
    pub max_asa_s: Option<f64>,
    /// Maximum agent occupancy.
    pub max_occupancy: Option<f64>,
    /// Mean patience, seconds, for intervals without one (enables Erlang A).
    pub patience_s: Option<f64>,
    /// Shrinkage share turning agents in seat into scheduled agents.
    pub shrinkage: f64,
    /// Interval length, minutes, for forecast rows without one.
    pub interval_minutes: u32,
}

impl Default for PlanOptions {
    fn default() -> Self {
        PlanOptions {
            sla: None,
            threshold_s: None,
            target: None,
            variant: None,
            max_abandon: None,
            max_asa_s: None,
            max_occupancy: None,
            patience_s: None,
            shrinkage: 0.3,
            interval_minutes: 30,
        }
    }
}

impl PlanOptions {
    /// Checks every option is in range and returns the shrinkage they give. Errors are
    /// [`PlanningError::InvalidOption`], naming the option's [`Field`].
    pub fn validate(&self) -> Result<Shrinkage, PlanningError> {
        let invalid = |e: PlanningError| PlanningError::InvalidOption(Box::new(e));
        // Threshold and target are probed with harmless stand-ins when the contract gives them.
        let probe = ServiceTarget {
            threshold_s: self.threshold_s.unwrap_or(0.0),
            target_share: self.target.unwrap_or(1.0),
            variant: ServiceLevelVariant::AbandonsAgainst,
            short_abandon_s: None,
            max_asa_s: self.max_asa_s,
            max_abandon_share: self.max_abandon,
            max_occupancy: self.max_occupancy,
        };
        probe.validate().map_err(invalid)?;
        if let Some(p) = self.patience_s
            && !(p.is_finite() && p > 0.0)
        {
            return Err(invalid(PlanningError::NotPositive {
                field: Field::PatienceS,
                value: p,
            }));
        }
        if self.interval_minutes == 0 {
            return Err(invalid(PlanningError::NotPositive {
                field: Field::IntervalS,
                value: 0.0,
            }));
        }
        let shrinkage = Shrinkage {
            other: self.shrinkage,
            ..Shrinkage::default()
        };
        shrinkage.combined().map_err(invalid)?;
        Ok(shrinkage)
    }
}

/// Erlang C at the required staffing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErlangCStaffing {
    /// Required agents in seat (people: the slots divided by the queue's concurrency).
    pub agents: u32,
    /// Conversation slots Erlang C needs; equals `agents` when the concurrency is 1.
    pub slots: u32,
    /// Service level at that staffing.
    pub service_level: f64,
    /// Probability of waiting.
    pub p_wait: f64,
    /// Average speed of answer, seconds.
    pub asa_s: Option<f64>,
    /// Agent occupancy.
    pub occupancy: f64,
    /// Agents to schedule after shrinkage.
    pub scheduled_agents: u32,
    /// FTE hours in seat.
    pub fte_hours: f64,
    /// FTE hours scheduled.
    pub scheduled_fte_hours: f64,
}

/// Erlang A at its required staffing.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ErlangAStaffing {
    /// Required agents in seat (people: the slots divided by the queue's concurrency).
    pub agents: u32,
    /// Conversation slots Erlang A needs; equals `agents` when the concurrency is 1.
    pub slots: u32,
    /// Under the target's variant.
    pub service_level: f64,
    /// Abandoned share of offered calls.
    pub abandon_share: f64,
    /// Of answered callers.
    pub asa_s: Option<f64>,
    /// Agent occupancy.
    pub occupancy: f64,
    /// Agents to schedule after shrinkage.
    pub scheduled_agents: u32,
    /// FTE hours in seat.
    pub fte_hours: f64,
    /// FTE hours scheduled.
    pub scheduled_fte_hours: f64,
}

/// What the vendor's planned agents deliver.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlannedStaffing {
    /// Agents in seat in the vendor's plan.
    pub agents: u32,
    /// No row in the staffing file: evaluated as 0 agents.
    pub missing: bool,
    /// Erlang C service level at the planned agents.
    pub erlang_c_service_level: f64,
    /// Erlang C average speed of answer at the planned agents.
    pub erlang_c_asa_s: Option<f64>,
    /// Erlang A service level at the planned agents.
    pub erlang_a_service_level: Option<f64>,
    /// Erlang A abandoned share at the planned agents.
    pub erlang_a_abandon_share: Option<f64>,
    /// The model the verdict uses: `erlang_a` when a patience is known, else `erlang_c`.
    pub model: &'static str,
    /// Every target met under `model`.
    pub meets_target: bool,
    /// Below target under `model`.
    pub at_risk: bool,
    /// Required agents under `model` minus planned (positive = short).
    pub shortfall_agents: i64,
    /// FTE hours in seat planned.
    pub fte_hours: f64,
}

impl PlannedStaffing {
    /// The service level under the verdict's model.
    pub fn service_level(&self) -> f64 {
        if self.model == "erlang_a" {
            self.erlang_a_service_level
                .unwrap_or(self.erlang_c_service_level)
        } else {
            self.erlang_c_service_level
        }
    }
}

/// One interval of one queue, staffed.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PlanRow {
    /// Start, RFC 3339 with the contract zone's offset.
    pub interval_start: String,
    /// The queue.
    pub queue: String,
    /// The SLA planned against.
    pub sla_id: Option<String>,
    /// Answer threshold, seconds.
    pub threshold_s: f64,
    /// Target share.
    pub target_share: f64,
    /// Service-level variant.
    pub variant: &'static str,
    /// Calls offered.
    pub volume: f64,
    /// Average handling time, seconds.
    pub aht_s: f64,
    /// Mean patience, seconds.
    pub patience_s: Option<f64>,
    /// Interval length, minutes.
    pub interval_minutes: f64,
    /// Contacts one agent handles at once (the contract service's `concurrency`, else 1).
    pub concurrency: f64,
    /// Offered load, Erlang.
    pub offered_load: f64,
    /// Erlang C at its required staffing.
    pub erlang_c: ErlangCStaffing,
    /// Erlang A at its required staffing, when the interval has a patience.
    pub erlang_a: Option<ErlangAStaffing>,
    /// What the vendor's plan delivers, when a plan was given.
    pub planned: Option<PlannedStaffing>,
    /// Start, `YYYY-MM-DD HH:MM` in the contract's zone.
    #[serde(skip)]
    pub local: String,
    /// The vendor's plan evaluated, for month-level pooling.
    #[serde(skip)]
    pub evaluation: Option<StaffingEvaluation>,
}

/// The whole plan summed up.
#[derive(Debug, Clone, Default, PartialEq, Serialize)]
pub struct PlanTotals {
    /// Intervals staffed.
    pub intervals: usize,
    /// Calls offered.
    pub volume: f64,
    /// Erlang C FTE hours in seat.
    pub erlang_c_fte_hours: f64,
    /// Erlang C FTE hours scheduled.
    pub erlang_c_scheduled_fte_hours: f64,
    /// Intervals with a patience (Erlang A computed); the Erlang A totals cover only them.
    pub intervals_with_erlang_a: usize,
    /// Erlang A FTE hours in seat.
    pub erlang_a_fte_hours: f64,
    /// Erlang A FTE hours scheduled.
    pub erlang_a_scheduled_fte_hours: f64,
    /// The vendor's plan's FTE hours in seat.
    pub planned_fte_hours: Option<f64>,
}

/// The month-level service level the vendor's plan implies, per target.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct TargetSummary {
    /// The SLA.
    pub sla_id: Option<String>,
    /// Answer threshold, seconds.
    pub threshold_s: f64,
    /// Target share.
    pub target_share: f64,
    /// Service-level variant.
    pub variant: &'static str,
    /// Intervals pooled.
    pub intervals: usize,
    /// Calls offered.
    pub volume: f64,
    /// Σ volume × SL / Σ volume.
    pub erlang_c_service_level: Option<f64>,
    /// Pooled under the variant (Σ volume × numerator / Σ volume × denominator); only when
    /// every interval has a patience.
    pub erlang_a_service_level: Option<f64>,
    /// Pooled Erlang A abandoned share.
    pub erlang_a_abandon_share: Option<f64>,
    /// Intervals below target.
    pub intervals_at_risk: usize,
    /// The period service level (Erlang A if available, else C) reaches the target.
    pub meets_target: Option<bool>,
}

/// The vendor's staffing plan checked against the forecast.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffingSummary {
    /// The staffing file.
    pub file: String,
    /// Intervals below target.
    pub intervals_at_risk: usize,
    /// Forecast intervals the plan has no row for.
    pub intervals_missing: usize,
    /// Staffing rows matching no forecast interval (ignored).
    pub unmatched_rows: usize,
    /// Month level per target.
    pub by_target: Vec<TargetSummary>,
}

/// One queue of the month a forecast was estimated from.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct QueueEstimate {
    /// The queue.
    pub queue: String,
    /// Inbound voice and chat contacts.
    pub interactions: usize,
    /// Contacts answered with a handle time.
    pub answered: usize,
    /// Contacts abandoned.
    pub abandoned: usize,
    /// Average handle time, seconds; `None` leaves the queue out of the plan.
    pub aht_s: Option<f64>,
    /// Abandoned share of contacts.
    pub abandon_share: f64,
    /// Mean wait of every caller with a wait, seconds.
    pub mean_wait_s: Option<f64>,
    /// Mean patience, seconds.
    pub patience_s: Option<f64>,
}

/// How a forecast was estimated from a month of data.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ForecastEstimate {
    /// The month learnt from, YYYY-MM.
    pub data_month: String,
    /// The month planned, YYYY-MM.
    pub plan_month: String,
    /// The channels counted.
    pub channels: Vec<&'static str>,
    /// Monday to Friday in the data month.
    pub weekdays_in_data_month: u32,
    /// Saturdays and Sundays in the data month.
    pub weekend_days_in_data_month: u32,
    /// Every queue with contacts.
    pub queues: Vec<QueueEstimate>,
}

/// A forecast staffed against the contract.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffingPlan {
    /// The contract's id.
    pub contract_id: String,
    /// The contract's time zone, as written.
    pub time_zone: String,
    /// Where the forecast came from.
    pub source: String,
    /// How the forecast was estimated, when it was.
    pub estimate: Option<ForecastEstimate>,
    /// Shrinkage share.
    pub shrinkage: f64,
    /// Maximum occupancy asked for.
    pub max_occupancy: Option<f64>,
    /// Every interval, in forecast order.
    pub intervals: Vec<PlanRow>,
    /// Totals.
    pub totals: PlanTotals,
    /// The vendor's plan checked, when one was given.
    pub staffing: Option<StaffingSummary>,
}

impl StaffingPlan {
    /// Whether the vendor's plan leaves any interval below target.
    pub fn has_intervals_at_risk(&self) -> bool {
        self.staffing
            .as_ref()
            .is_some_and(|s| s.intervals_at_risk > 0)
    }
}

/// Whether an SLA covers the contacts of a forecast queue: the queue's channel is the one of
/// the contract service that lists it (a forecast has no channel of its own), and the SLA's
/// scope is read as everywhere else ([`pacta_contract::ContactScope::covers_queue`]).
pub fn sla_covers_queue(contract: &Contract, sla: &SlaTerms, queue: &str) -> bool {
    let channel = contract
        .doc
        .scope
        .services
        .iter()
        .find(|s| s.queues.iter().any(|q| q == queue))
        .map(|s| s.channel);
    sla.scope.covers_queue(channel, Some(queue))
}

/// Contacts one agent of `queue` handles at once: the `concurrency` of the contract service
/// listing the queue, 1 when it has none (see [`crate::concurrency`]).
pub fn queue_concurrency(contract: &Contract, queue: &str) -> f64 {
    contract
        .doc
        .scope
        .services
        .iter()
        .find(|s| s.queues.iter().any(|q| q == queue))
        .and_then(|s| s.concurrency)
        .and_then(|c| c.to_string().parse::<f64>().ok())
        .map_or(1.0, crate::concurrency::effective)
}

fn service_level_slas(c: &Contract) -> impl Iterator<Item = &SlaTerms> {
    c.slas()
        .iter()
        .filter(|s| matches!(s.measure, Measure::ServiceLevel { .. }))
}

/// Which SLA each queue is planned against.
struct Targets<'a> {
    contract: &'a Contract,
    forced: Option<&'a SlaTerms>,
    by_queue: HashMap<String, Option<&'a SlaTerms>>,
    options: &'a PlanOptions,
}

impl<'a> Targets<'a> {
    fn new(contract: &'a Contract, options: &'a PlanOptions) -> Result<Self, PlanningError> {
        let forced = match options.sla.as_deref() {
            None => None,
            Some(id) => {
                let Some(sla) = contract.sla(id) else {
                    return Err(PlanningError::NoSuchSla {
                        id: id.to_string(),
                        known: service_level_slas(contract).map(|s| s.id.clone()).collect(),
                    });
                };
                if !matches!(sla.measure, Measure::ServiceLevel { .. }) {
                    return Err(PlanningError::NotServiceLevel {
                        id: id.to_string(),
                        metric: sla.measure.metric_name().to_string(),
                    });
                }
                Some(sla)
            }
        };
        Ok(Targets {
            contract,
            forced,
            by_queue: HashMap::new(),
            options,
        })
    }

    fn sla_for(&mut self, queue: &str) -> Option<&'a SlaTerms> {
        if self.forced.is_some() {
            return self.forced;
        }
        if let Some(s) = self.by_queue.get(queue) {
            return *s;
        }
        let c = self.contract;
        let found = service_level_slas(c)
            .find(|s| sla_covers_queue(c, s, queue))
            .or_else(|| service_level_slas(c).next());
        self.by_queue.insert(queue.to_string(), found);
        found
    }

    /// The target for `queue` on local date `date`.
    fn resolve(
        &mut self,
        queue: &str,
        date: civil::Date,
    ) -> Result<(Option<&'a SlaTerms>, ServiceTarget), PlanningError> {
        let sla = self.sla_for(queue);
        let f = self.options;
        let level = sla.and_then(|s| match s.measure {
            Measure::ServiceLevel {
                variant,
                threshold_s,
                short_abandon_s,
                ..
            } => Some((variant, threshold_s, short_abandon_s)),
            _ => None,
        });
        let threshold = f
            .threshold_s
            .or_else(|| level.map(|(_, t, _)| f64::from(t)));
        let share = f.target.or_else(|| {
            sla.and_then(|s| {
                s.target_on(pacta_contract::Date(date))
                    .or(s.targets.first())
            })
            .and_then(|t| t.expected.to_string().parse::<f64>().ok())
            .map(|p| p / 100.0)
        });
        let variant = f
            .variant
            .or(level.map(|(v, _, _)| v))
            .unwrap_or(ServiceLevelVariant::ExcludeShortAbandons);
        let (Some(threshold_s), Some(target_share)) = (threshold, share) else {
            return Err(PlanningError::NoTarget {
                queue: queue.to_string(),
            });
        };
        Ok((
            sla,
            ServiceTarget {
                threshold_s,
                target_share,
                variant,
                short_abandon_s: level.map(|(_, _, s)| f64::from(s)),
                max_asa_s: f.max_asa_s,
                max_abandon_share: f.max_abandon,
                max_occupancy: f.max_occupancy,
            },
        ))
    }
}

struct Job {
    input: IntervalInput,
    /// The vendor's planned conversation slots (agents × concurrency).
    planned: Option<u32>,
    /// The vendor's planned agents (people), as the staffing file gives them.
    planned_agents: Option<u32>,
}

type Outcome = Result<(IntervalPlan, Option<StaffingEvaluation>), PlanningError>;

fn run_job(j: &Job) -> Outcome {
    let plan = plan_interval(&j.input)?;
    let eval = j
        .planned
        .map(|n| evaluate_staffing(&j.input, n))
        .transpose()?;
    Ok((plan, eval))
}

/// Runs every job, spread over the machine's cores (rows interleaved so costly Erlang A rows
/// share out evenly).
fn run_jobs(jobs: &[Job]) -> Vec<Outcome> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len() / 256 + 1)
        .max(1);
    if threads == 1 {
        return jobs.iter().map(run_job).collect();
    }
    let parts: Vec<Vec<(usize, Outcome)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                s.spawn(move || {
                    jobs.iter()
                        .enumerate()
                        .skip(k)
                        .step_by(threads)
                        .map(|(i, j)| (i, run_job(j)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        // A worker's panic is re-raised with its own payload.
        handles
            .into_iter()
            .map(|h| h.join().unwrap_or_else(|e| std::panic::resume_unwind(e)))
            .collect()
    });
    let mut out: Vec<Option<Outcome>> = (0..jobs.len()).map(|_| None).collect();
    for (i, o) in parts.into_iter().flatten() {
        out[i] = Some(o);
    }
    out.into_iter()
        .map(|o| {
            o.unwrap_or(Err(PlanningError::NotFinite {
                field: Field::Volume,
                value: f64::NAN,
            }))
        })
        .collect()
}

/// Where a refused interval is, for its error: the forecast file's cell (or line), or the
/// estimated interval.
fn locate(row: &ForecastRow, forecast: &Forecast, e: &PlanningError, local: String) -> RowLocation {
    let col_of = |f: Field| -> Option<usize> {
        let name = match f {
            Field::Volume => "volume",
            Field::AhtS => "aht_s",
            Field::PatienceS => "patience_s",
            Field::IntervalS => "interval_minutes",
            _ => return None,
        };
        forecast.columns.get(name).copied()
    };
    match (row.line, e.field().and_then(col_of)) {
        (0, _) => RowLocation::Estimated {
            queue: row.queue.clone(),
            local,
        },
        (line, Some(column)) => RowLocation::Cell {
            line,
            column,
            name: e.field().map_or("volume", Field::name).to_string(),
        },
        (line, None) => match e {
            PlanningError::TooManyAgents { .. } => RowLocation::Cell {
                line,
                column: col_of(Field::Volume).unwrap_or(2),
                name: "volume".to_string(),
            },
            _ => RowLocation::Line { line },
        },
    }
}

/// Staffs every interval of `forecast` against `contract` (see the module documentation),
/// checking `staffing` when given. `estimate` is how the forecast was estimated, carried into
/// the plan. Options are checked first ([`PlanOptions::validate`]); intervals that cannot be
/// staffed are all reported at once ([`PlanningError::UnstaffedIntervals`]).
pub fn staff(
    contract: &Contract,
    forecast: &Forecast,
    staffing: Option<&VendorStaffing>,
    options: &PlanOptions,
    estimate: Option<ForecastEstimate>,
) -> Result<StaffingPlan, PlanningError> {
    let shrinkage = options.validate()?;
    let tz = &contract.time_zone;
    let rows = &forecast.rows;
    let mut targets = Targets::new(contract, options)?;
    let mut jobs = Vec::with_capacity(rows.len());
    let mut slas: Vec<Option<&SlaTerms>> = Vec::with_capacity(rows.len());
    let mut missing = vec![false; rows.len()];
    let mut used = HashSet::new();
    let mut first_target_error = None;
    let mut concurrency_of: HashMap<&str, f64> = HashMap::new();
    let mut concurrencies = Vec::with_capacity(rows.len());
    for (i, r) in rows.iter().enumerate() {
        let date = tz.to_datetime(r.start).date();
        let (s, target) = match targets.resolve(&r.queue, date) {
            Ok(x) => x,
            Err(e) => {
                first_target_error.get_or_insert(e);
                continue;
            }
        };
        let k = *concurrency_of
            .entry(r.queue.as_str())
            .or_insert_with(|| queue_concurrency(contract, &r.queue));
        let planned_agents = staffing.map(|st| {
            let key = (r.start.as_millisecond(), r.queue.clone());
            match st.agents.get(&key) {
                Some((n, _)) => {
                    used.insert(key);
                    *n
                }
                None => {
                    missing[i] = true;
                    0
                }
            }
        });
        let planned = planned_agents.map(|n| crate::concurrency::slots_for_agents(n, k));
        concurrencies.push(k);
        slas.push(s);
        jobs.push(Job {
            input: IntervalInput {
                volume: r.volume,
                interval_s: r.interval_minutes * 60.0,
                aht_s: r.aht_s,
                patience_s: r.patience_s,
                target,
            },
            planned,
            planned_agents,
        });
    }
    if let Some(e) = first_target_error {
        // Same cause for every row of a queue: report once.
        return Err(e);
    }
    // Targets from options are checked already; a contract target can still be out of range
    // (e.g. above 100 %): report it once, naming the SLA.
    for (j, s) in jobs.iter().zip(&slas) {
        if let Err(e) = j.input.target.validate() {
            return Err(PlanningError::InvalidSlaTarget {
                sla_id: s.map_or("--", |s| s.id.as_str()).to_string(),
                error: Box::new(e),
            });
        }
    }
    let outcomes = run_jobs(&jobs);
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    let mut totals = PlanTotals::default();
    let mut last_times = (i64::MIN, (String::new(), String::new()));
    for ((((r, job), s), (o, miss)), &k) in rows
        .iter()
        .zip(&jobs)
        .zip(&slas)
        .zip(outcomes.into_iter().zip(&missing))
        .zip(&concurrencies)
    {
        let (plan, eval) = match o {
            Ok(x) => x,
            Err(e) => {
                let at = locate(r, forecast, &e, local_and_rfc3339(r.start, tz).0);
                errors.push(RowError {
                    file: forecast.source.clone(),
                    at,
                    problem: RowProblem::Planning(e),
                });
                continue;
            }
        };
        let t_ = job.input.target;
        let ms = r.start.as_millisecond();
        if last_times.0 != ms {
            last_times = (ms, local_and_rfc3339(r.start, tz));
        }
        let times = last_times.1.clone();
        let interval_s = job.input.interval_s;
        let c = plan.erlang_c;
        let people_c = crate::concurrency::agents_for_slots(c.agents, k);
        let sched_c = scheduled_agents_whole(people_c, &shrinkage).unwrap_or(u32::MAX);
        let cres = ErlangCStaffing {
            agents: people_c,
            slots: c.agents,
            service_level: c.service_level,
            p_wait: c.p_wait,
            asa_s: c.asa_s,
            occupancy: c.occupancy,
            scheduled_agents: sched_c,
            fte_hours: fte_hours(f64::from(people_c), interval_s),
            scheduled_fte_hours: fte_hours(f64::from(sched_c), interval_s),
        };
        totals.intervals += 1;
        totals.volume += r.volume;
        totals.erlang_c_fte_hours += cres.fte_hours;
        totals.erlang_c_scheduled_fte_hours += cres.scheduled_fte_hours;
        let ares = plan.erlang_a.map(|a| {
            let m = a.metrics;
            let people = crate::concurrency::agents_for_slots(m.agents, k);
            let sched = scheduled_agents_whole(people, &shrinkage).unwrap_or(u32::MAX);
            ErlangAStaffing {
                agents: people,
                slots: m.agents,
                service_level: a.service_level,
                abandon_share: m.p_abandon,
                asa_s: m.asa_answered_s,
                occupancy: m.occupancy,
                scheduled_agents: sched,
                fte_hours: fte_hours(f64::from(people), interval_s),
                scheduled_fte_hours: fte_hours(f64::from(sched), interval_s),
            }
        });
        if let Some(a) = &ares {
            totals.intervals_with_erlang_a += 1;
            totals.erlang_a_fte_hours += a.fte_hours;
            totals.erlang_a_scheduled_fte_hours += a.scheduled_fte_hours;
        }
        let planned = eval.as_ref().map(|e| {
            let (model, meets, required) = match (&e.erlang_a, &ares) {
                (Some(a), Some(req)) => ("erlang_a", a.meets_target, req.agents),
                _ => ("erlang_c", e.erlang_c_meets_target, people_c),
            };
            // The evaluation ran on slots; the vendor's plan is read back in people.
            let planned_agents = job.planned_agents.unwrap_or(0);
            PlannedStaffing {
                agents: planned_agents,
                missing: *miss,
                erlang_c_service_level: e.erlang_c.service_level,
                erlang_c_asa_s: e.erlang_c.asa_s,
                erlang_a_service_level: e.erlang_a.map(|a| a.service_level),
                erlang_a_abandon_share: e.erlang_a.map(|a| a.metrics.p_abandon),
                model,
                meets_target: meets,
                at_risk: !meets,
                shortfall_agents: i64::from(required) - i64::from(planned_agents),
                fte_hours: fte_hours(f64::from(planned_agents), interval_s),
            }
        });
        if let Some(p) = &planned {
            *totals.planned_fte_hours.get_or_insert(0.0) += p.fte_hours;
        }
        out.push(PlanRow {
            interval_start: times.1,
            local: times.0,
            queue: r.queue.clone(),
            sla_id: s.map(|s| s.id.clone()),
            threshold_s: t_.threshold_s,
            target_share: t_.target_share,
            variant: t_.variant.name(),
            volume: r.volume,
            aht_s: r.aht_s,
            patience_s: r.patience_s,
            interval_minutes: r.interval_minutes,
            concurrency: k,
            offered_load: plan.offered_load,
            erlang_c: cres,
            erlang_a: ares,
            planned,
            evaluation: eval,
        });
    }
    if !errors.is_empty() {
        return Err(PlanningError::UnstaffedIntervals {
            input: forecast.source.clone(),
            errors,
        });
    }
    let staffing = staffing.map(|st| {
        let unmatched = st.agents.len().saturating_sub(used.len());
        summarise_staffing(&st.file, &out, unmatched)
    });
    Ok(StaffingPlan {
        contract_id: contract.doc.contract.id.clone(),
        time_zone: contract.doc.contract.time_zone.clone(),
        source: forecast.source.clone(),
        estimate,
        shrinkage: options.shrinkage,
        max_occupancy: options.max_occupancy,
        intervals: out,
        totals,
        staffing,
    })
}

fn summarise_staffing(file: &str, rows: &[PlanRow], unmatched: usize) -> StaffingSummary {
    type Key = (Option<String>, u64, u64, &'static str);
    let mut groups: BTreeMap<Key, Vec<&PlanRow>> = BTreeMap::new();
    for r in rows {
        groups
            .entry((
                r.sla_id.clone(),
                r.threshold_s.to_bits(),
                r.target_share.to_bits(),
                r.variant,
            ))
            .or_default()
            .push(r);
    }
    let at_risk = |r: &PlanRow| r.planned.as_ref().is_some_and(|p| p.at_risk);
    let by_target = groups
        .into_iter()
        .map(|((sla_id, th, ta, variant), rs)| {
            let evals: Vec<StaffingEvaluation> = rs.iter().filter_map(|r| r.evaluation).collect();
            let p = aggregate_month(&evals);
            let target_share = f64::from_bits(ta);
            let sl = p.erlang_a_service_level.or(p.erlang_c_service_level);
            TargetSummary {
                sla_id,
                threshold_s: f64::from_bits(th),
                target_share,
                variant,
                intervals: p.intervals,
                volume: p.volume,
                erlang_c_service_level: p.erlang_c_service_level,
                erlang_a_service_level: p.erlang_a_service_level,
                erlang_a_abandon_share: p.erlang_a_abandon_share,
                intervals_at_risk: rs.iter().filter(|r| at_risk(r)).count(),
                meets_target: sl.map(|v| v >= target_share * (1.0 - 1e-12)),
            }
        })
        .collect();
    StaffingSummary {
        file: file.to_string(),
        intervals_at_risk: rows.iter().filter(|r| at_risk(r)).count(),
        intervals_missing: rows
            .iter()
            .filter(|r| r.planned.as_ref().is_some_and(|p| p.missing))
            .count(),
        unmatched_rows: unmatched,
        by_target,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::forecast::{parse_forecast, parse_staffing};

    fn bank() -> Contract {
        let text = include_str!("../../../examples/bank-inbound-manila.toml");
        pacta_contract::parse_bytes(text.as_bytes()).expect("the example contract is valid")
    }

    fn forecast(contract: &Contract, csv: &str) -> Forecast {
        parse_forecast(csv.as_bytes(), "f.csv", &contract.time_zone, 30.0, None).expect("valid")
    }

    #[test]
    fn options_override_the_contract_target() {
        let c = bank();
        let f = forecast(
            &c,
            "interval_start,queue,volume,aht_s\n2026-11-02 08:00,cards,100,180\n",
        );
        let options = PlanOptions {
            threshold_s: Some(30.0),
            target: Some(0.9),
            variant: Some(ServiceLevelVariant::Offered),
            ..PlanOptions::default()
        };
        let plan = staff(&c, &f, None, &options, None).expect("planned");
        let row = &plan.intervals[0];
        assert_eq!((row.threshold_s, row.target_share), (30.0, 0.9));
        assert_eq!(row.variant, "offered");
        assert_eq!(row.local, "2026-11-02 08:00");
        assert_eq!(plan.totals.intervals, 1);
        assert_eq!(plan.totals.erlang_c_fte_hours, row.erlang_c.fte_hours);
        assert!(plan.staffing.is_none() && !plan.has_intervals_at_risk());
    }

    #[test]
    fn a_vendor_plan_is_pooled_per_target() {
        let c = bank();
        let f = forecast(
            &c,
            "interval_start,queue,volume,aht_s\n\
             2026-11-02 08:00,cards,100,180\n\
             2026-11-02 08:30,cards,300,180\n",
        );
        let s = parse_staffing(
            b"interval_start,queue,agents\n2026-11-02 08:00,cards,14\n2026-11-02 08:30,cards,31\n",
            "s.csv",
            &c.time_zone,
        )
        .expect("valid");
        let plan = staff(&c, &f, Some(&s), &PlanOptions::default(), None).expect("planned");
        let summary = plan.staffing.as_ref().expect("checked");
        assert_eq!(summary.file, "s.csv");
        assert_eq!(summary.intervals_at_risk, 1);
        assert_eq!(summary.by_target.len(), 1);
        let planned = plan.intervals[1].planned.as_ref().expect("planned row");
        assert_eq!(planned.model, "erlang_c");
        assert_eq!(
            planned.shortfall_agents,
            i64::from(plan.intervals[1].erlang_c.agents) - 31
        );
        assert_eq!(planned.service_level(), planned.erlang_c_service_level);
    }

    /// The bank contract with its chat service's agents holding `k` chats at once.
    fn bank_with_chat_concurrency(k: &str) -> Contract {
        let text = include_str!("../../../examples/bank-inbound-manila.toml").replace(
            "queues = [\"web-chat\"]",
            &format!("queues = [\"web-chat\"]\nconcurrency = {k}"),
        );
        pacta_contract::parse_bytes(text.as_bytes()).expect("a chat concurrency is valid")
    }

    #[test]
    fn chat_agents_are_the_erlang_slots_divided_by_the_concurrency() {
        let csv = "interval_start,queue,volume,aht_s,patience_s\n\
                   2026-11-02 08:00,web-chat,120,540,120\n\
                   2026-11-02 08:00,cards,100,180,90\n";
        let single = staff(
            &bank(),
            &forecast(&bank(), csv),
            None,
            &PlanOptions::default(),
            None,
        )
        .expect("planned");
        let c = bank_with_chat_concurrency("2.5");
        let double =
            staff(&c, &forecast(&c, csv), None, &PlanOptions::default(), None).expect("planned");
        let (one, two) = (&single.intervals[0], &double.intervals[0]);
        assert_eq!((one.concurrency, two.concurrency), (1.0, 2.5));
        // The queueing model is unchanged: the same slots, the same service level.
        assert_eq!(one.erlang_c.slots, one.erlang_c.agents);
        assert_eq!(two.erlang_c.slots, one.erlang_c.agents);
        assert_eq!(two.erlang_c.service_level, one.erlang_c.service_level);
        // 120 chats of 540 s in 30 min is 36 Erlang.
        // Erlang C needs 41 slots; at 2.5 chats each that is 16.4, so 17 agents.
        assert_eq!((two.erlang_c.slots, two.erlang_c.agents), (41, 17));
        let a = two.erlang_a.as_ref().expect("patience given");
        assert_eq!(f64::from(a.agents), (f64::from(a.slots) / 2.5).ceil());
        assert!(two.erlang_c.scheduled_agents < one.erlang_c.scheduled_agents);
        // Voice keeps one call per agent.
        assert_eq!(double.intervals[1], single.intervals[1]);
    }

    #[test]
    fn a_vendor_chat_plan_is_checked_in_slots_and_reported_in_people() {
        let c = bank_with_chat_concurrency("2");
        let f = forecast(
            &c,
            "interval_start,queue,volume,aht_s\n2026-11-02 08:00,web-chat,120,540\n",
        );
        let plan = staff(&c, &f, None, &PlanOptions::default(), None).expect("planned");
        let need = plan.intervals[0].erlang_c.agents;
        let staffing = |n: u32| {
            parse_staffing(
                format!("interval_start,queue,agents\n2026-11-02 08:00,web-chat,{n}\n").as_bytes(),
                "s.csv",
                &c.time_zone,
            )
            .expect("valid")
        };
        let enough =
            staff(&c, &f, Some(&staffing(need)), &PlanOptions::default(), None).expect("planned");
        let p = enough.intervals[0].planned.as_ref().expect("checked");
        assert_eq!((p.agents, p.shortfall_agents, p.at_risk), (need, 0, false));
        let short = staff(
            &c,
            &f,
            Some(&staffing(need - 1)),
            &PlanOptions::default(),
            None,
        )
        .expect("planned");
        let p = short.intervals[0].planned.as_ref().expect("checked");
        assert_eq!(
            (p.agents, p.shortfall_agents, p.at_risk),
            (need - 1, 1, true)
        );
        assert_eq!(enough.totals.planned_fte_hours, Some(f64::from(need) * 0.5));
    }

    #[test]
    fn intervals_that_cannot_be_staffed_are_located() {
        let c = bank();
        let f = forecast(
            &c,
            "interval_start,queue,volume,aht_s\n2026-11-02 08:00,cards,100000000,3000\n",
        );
        let Err(PlanningError::UnstaffedIntervals { input, errors }) =
            staff(&c, &f, None, &PlanOptions::default(), None)
        else {
            panic!("too many agents should be refused");
        };
        assert_eq!(input, "f.csv");
        assert!(
            errors[0]
                .message(pacta_core::Lang::En)
                .starts_with("f.csv:2:3: column `volume`: needs more than"),
            "{errors:?}"
        );
    }

    #[test]
    fn a_queue_without_target_names_the_flags() {
        let c = bank();
        let f = forecast(
            &c,
            "interval_start,queue,volume,aht_s\n2026-11-02 08:00,cards,10,180\n",
        );
        let options = PlanOptions {
            sla: Some("NOPE".into()),
            ..PlanOptions::default()
        };
        let err = staff(&c, &f, None, &options, None).expect_err("unknown SLA");
        assert_eq!(err.code(), "plan-sla-unknown");
        let options = PlanOptions {
            shrinkage: 1.0,
            ..PlanOptions::default()
        };
        let err = staff(&c, &f, None, &options, None).expect_err("shrinkage of 100 %");
        assert!(matches!(err, PlanningError::InvalidOption(_)));
        assert_eq!(err.field(), Some(Field::ShrinkageOther));
    }
}
