//! The simulation: arrivals, staffing, queues, repeats, and the records derived from them.

use pacta_planning::{ErlangC, ServiceLevelVariant, ServiceTarget};
use std::cmp::Reverse;
use std::collections::BinaryHeap;

use pacta_contract::Contract;
use pacta_data::model::{Interaction, Outcome, Survey};

use crate::calendar::{self, INTERVAL_MS, MonthGrid};
use crate::options::{GenError, GenOptions, MAX_ROWS, StreamError};
use crate::output::{Chunk, Generated};
use crate::params::{self, ChannelParams, Kind};
use crate::people::{self, AgentBook};
use crate::queues::{Arrival, Pending, Queue, Service};
use crate::rng::{Rng, splitmix64};

/// The target of `rows` spread over services in proportion to their forecasts.
fn allocate(total: u64, weights: &[f64]) -> Vec<u64> {
    let sum: f64 = weights.iter().sum();
    if sum <= 0.0 || weights.is_empty() {
        return vec![0; weights.len()];
    }
    let raw: Vec<f64> = weights.iter().map(|w| total as f64 * w / sum).collect();
    let mut out: Vec<u64> = raw.iter().map(|r| r.floor() as u64).collect();
    let mut left = total.saturating_sub(out.iter().sum());
    let mut order: Vec<usize> = (0..raw.len()).collect();
    order.sort_by(|&a, &b| {
        let fa = raw[a] - raw[a].floor();
        let fb = raw[b] - raw[b].floor();
        fb.total_cmp(&fa).then(a.cmp(&b))
    });
    for i in order {
        if left == 0 {
            break;
        }
        out[i] += 1;
        left -= 1;
    }
    out
}

fn cumulative(w: impl IntoIterator<Item = f64>) -> Vec<f64> {
    let mut acc = 0.0;
    w.into_iter()
        .map(|x| {
            acc += x.max(0.0);
            acc
        })
        .collect()
}

/// Smallest number of agents meeting a service level under Erlang C (pacta-planning's, the
/// same the `plan` command staffs with). A load beyond what planning staffs gets one agent
/// per Erlang and one more: the generated queue then simply runs long.
pub(crate) fn erlang_c_servers(load: f64, aht_s: f64, threshold_s: f64, target: f64) -> u32 {
    if load <= 0.0 || aht_s <= 0.0 {
        return 0;
    }
    let target = ServiceTarget::new(threshold_s, target, ServiceLevelVariant::AbandonsAgainst);
    ErlangC::with_load(load, aht_s)
        .and_then(|q| q.required_agents(&target))
        .map_or(load.ceil() as u32 + 1, |m| m.agents)
}

/// Renders a customer pseudonym.
fn customer_key(salt: u64, id: u64) -> String {
    format!("c{:016x}", splitmix64(id ^ salt))
}

pub(crate) struct Engine<'c> {
    contract: &'c Contract,
    opts: GenOptions,
    pub grid: MonthGrid,
    pub services: Vec<Service>,
    pub queues: Vec<Queue>,
    pub book: AgentBook,
    pub incidents: Vec<pacta_data::model::Incident>,
    prefix: String,
    customer_salt: u64,
    population: u64,
    zipf_power: f64,
    inbound_cum: Vec<f64>,
    inbound_ids: Vec<usize>,
    seq: u64,
    pending_seq: u64,
    conversion: f64,
}

impl<'c> Engine<'c> {
    pub(crate) fn new(contract: &'c Contract, opts: &GenOptions) -> Result<Self, GenError> {
        if opts.rows > MAX_ROWS {
            return Err(GenError::TooManyRows {
                rows: opts.rows,
                max: MAX_ROWS,
            });
        }
        let tz = &contract.time_zone;
        let grid = calendar::month_grid(tz, opts.month)?;
        let month_label = opts.month.to_string();
        let mut rng = Rng::new(opts.seed, 1);

        // Services with an interaction channel, and their share of the rows.
        let svcs: Vec<(&pacta_contract::Service, ChannelParams)> = contract
            .doc
            .scope
            .services
            .iter()
            .filter_map(|s| params::channel_params(s.channel).map(|p| (s, p)))
            .collect();
        if svcs.is_empty() {
            return Err(GenError::NoServices);
        }
        let known: Vec<u64> = svcs
            .iter()
            .filter_map(|(s, _)| s.forecast_monthly_volume)
            .collect();
        let fallback = if known.is_empty() {
            10_000.0
        } else {
            known.iter().sum::<u64>() as f64 / known.len() as f64
        };
        let weights: Vec<f64> = svcs
            .iter()
            .map(|(s, _)| s.forecast_monthly_volume.map_or(fallback, |v| v as f64))
            .collect();
        let volumes = allocate(opts.rows, &weights);

        // Day-level forecast error shared by the whole operation.
        let day_noise: Vec<f64> = grid
            .days
            .iter()
            .map(|_| rng.lognormal_mean(1.0, 0.06))
            .collect();

        let cal = &contract.doc.calendar;
        let mut services = Vec::new();
        let mut queues: Vec<Queue> = Vec::new();
        for ((s, p), volume) in svcs.iter().zip(volumes) {
            let open: Vec<Option<(i64, i64)>> = grid
                .intervals
                .iter()
                .map(|iv| calendar::open_range(cal, s.channel, iv))
                .collect();
            let w: Vec<f64> = grid
                .intervals
                .iter()
                .zip(&open)
                .map(|(iv, o)| match o {
                    None => 0.0,
                    Some((a, b)) => {
                        let mid =
                            f64::from(iv.sec_of_day) + (a + b - 2 * iv.start_ms) as f64 / 2000.0;
                        let holiday = cal.holidays.iter().any(|h| h.date.civil() == iv.date);
                        params::weekday_factor(iv.weekday)
                            * params::intraday_factor(mid)
                            * if holiday { params::HOLIDAY_FACTOR } else { 1.0 }
                            * ((b - a) as f64 / INTERVAL_MS as f64)
                    }
                })
                .collect();
            let wsum: f64 = w.iter().sum();
            if wsum <= 0.0 && volume > 0 {
                return Err(GenError::NeverOpen {
                    service: s.id.clone(),
                    month: month_label,
                });
            }
            let forecast: Vec<f64> = w
                .iter()
                .map(|x| {
                    if wsum > 0.0 {
                        volume as f64 * x / wsum
                    } else {
                        0.0
                    }
                })
                .collect();
            let counts = actual_counts(&mut rng, &grid, &forecast, &day_noise, volume);

            let names: Vec<String> = if s.queues.is_empty() {
                vec![s.id.clone()]
            } else {
                s.queues.clone()
            };
            let qw: Vec<f64> = (0..names.len()).map(|i| 0.38f64.powi(i as i32)).collect();
            let qsum: f64 = qw.iter().sum();
            let svc_idx = services.len();
            let mut qidx = Vec::new();
            for (name, wq) in names.into_iter().zip(&qw) {
                qidx.push(queues.len());
                queues.push(Queue {
                    name,
                    svc: svc_idx,
                    share: wq / qsum,
                    staffing: Vec::new(),
                    pool: Vec::new(),
                    cursor: 0,
                    on_shift: Vec::new(),
                    servers: BinaryHeap::new(),
                    arrivals: Vec::new(),
                });
            }
            let languages = if s.languages.is_empty() {
                contract.doc.contract.languages.clone()
            } else {
                s.languages.clone()
            };
            let lang_cum = cumulative((0..languages.len()).map(|i| if i == 0 { 6.0 } else { 1.0 }));
            services.push(Service {
                channel: s.channel,
                p: *p,
                queues: qidx,
                queue_cum: cumulative(qw),
                sites: s.sites.clone(),
                languages,
                lang_cum,
                aht_s: s
                    .forecast_aht_s
                    .map_or(p.default_aht_s, f64::from)
                    .max(10.0),
                volume,
                open,
                forecast,
                counts,
                pending: BinaryHeap::new(),
            });
        }

        let incidents = schedule_outages(&mut rng, opts, &grid, &services, &queues);
        staff(&mut rng, &grid, &services, &mut queues, &day_noise);
        let book = people::hire(contract, opts, &grid, &services, &mut queues)?;

        let inbound_ids: Vec<usize> = services
            .iter()
            .enumerate()
            .filter(|(_, s)| s.p.kind != Kind::Outbound && s.volume > 0)
            .map(|(i, _)| i)
            .collect();
        let inbound_cum = cumulative(inbound_ids.iter().map(|&i| services[i].volume as f64));
        let fresh = opts.rows.max(1);
        Ok(Engine {
            contract,
            opts: opts.clone(),
            grid,
            services,
            queues,
            book,
            incidents,
            prefix: format!("{:04}{:02}", opts.month.year(), opts.month.month()),
            customer_salt: splitmix64(opts.seed ^ 0x00C0_FFEE),
            population: (fresh as f64 * 1.3) as u64 + 200,
            zipf_power: 1.6,
            inbound_cum,
            inbound_ids,
            seq: 0,
            pending_seq: 0,
            conversion: Rng::new(opts.seed, 9).uniform(0.08, 0.15),
        })
    }

    fn fresh_customer(&self, rng: &mut Rng) -> u64 {
        if rng.chance(params::UNKNOWN_CUSTOMER) {
            return 0;
        }
        // Zipf-ish: a few customers call often, most once.
        1 + (self.population as f64 * rng.f64().powf(self.zipf_power)) as u64
    }

    fn schedule(&mut self, rng: &mut Rng, svc: usize, queue: usize, customer: u64, at: i64) {
        if at >= self.grid.end_ms || customer == 0 {
            return;
        }
        let (s, q) = if rng.chance(params::REPEAT_OTHER_SERVICE) && !self.inbound_ids.is_empty() {
            (
                self.inbound_ids[rng.pick_cumulative(&self.inbound_cum)],
                u32::MAX,
            )
        } else {
            (svc, u32::try_from(queue).unwrap_or(u32::MAX))
        };
        self.pending_seq += 1;
        self.services[s].pending.push(Reverse(Pending {
            at,
            seq: self.pending_seq,
            customer,
            queue: q,
        }));
    }

    /// Runs the month, handing interactions and surveys to `sink` one chunk at a time.
    pub(crate) fn run<E>(
        mut self,
        sink: &mut dyn FnMut(Chunk<'_>) -> Result<(), E>,
    ) -> Result<Generated, StreamError<E>> {
        let mut rng = Rng::new(self.opts.seed, 2);
        let mut out: Vec<Interaction> =
            Vec::with_capacity(self.opts.chunk_rows.min(1 << 20) + 4096);
        let mut surveys: Vec<Survey> = Vec::new();
        let mut batch: Vec<Interaction> = Vec::new();
        let (night_from, night_to) = calendar::night_window(self.contract);
        let mut current_day = usize::MAX;
        for k in 0..self.grid.intervals.len() {
            let iv = self.grid.intervals[k].clone();
            if iv.day != current_day {
                if !out.is_empty() {
                    emit(sink, &mut out, &mut surveys)?;
                }
                current_day = iv.day;
            }
            let night = calendar::in_window(iv.sec_of_day + 900, night_from, night_to);
            for q in 0..self.queues.len() {
                let open = self.services[self.queues[q].svc].open[k].is_some();
                let target = if open { self.queues[q].staffing[k] } else { 0 };
                let conc = self.services[self.queues[q].svc].p.concurrency;
                self.book
                    .shift(&mut self.queues[q], target, conc, &iv, k, night);
                self.outage(q, &iv);
            }
            // Arrivals per service, then per queue.
            for s in 0..self.services.len() {
                let Some((lo, hi)) = self.services[s].open[k] else {
                    continue;
                };
                let n = self.services[s].counts[k];
                let mut taken = 0u32;
                while taken < n {
                    let Some(Reverse(top)) = self.services[s].pending.peek().copied() else {
                        break;
                    };
                    if top.at >= hi {
                        break;
                    }
                    self.services[s].pending.pop();
                    let at = if top.at < lo {
                        lo + rng.below(((hi - lo) as u64).min(600_000)) as i64
                    } else {
                        top.at
                    };
                    let q = if top.queue == u32::MAX {
                        self.pick_queue(&mut rng, s)
                    } else {
                        top.queue as usize
                    };
                    self.queues[q].arrivals.push(Arrival {
                        at,
                        customer: top.customer,
                    });
                    taken += 1;
                }
                for _ in taken..n {
                    let at = lo + rng.below((hi - lo) as u64) as i64;
                    let customer = self.fresh_customer(&mut rng);
                    let q = self.pick_queue(&mut rng, s);
                    self.queues[q].arrivals.push(Arrival { at, customer });
                }
            }
            for q in 0..self.queues.len() {
                if self.queues[q].arrivals.is_empty() {
                    continue;
                }
                let mut arrivals = std::mem::take(&mut self.queues[q].arrivals);
                arrivals.sort_by_key(|a| (a.at, a.customer));
                for a in &arrivals {
                    self.serve(&mut rng, q, *a, &iv, &mut batch, &mut surveys);
                }
                arrivals.clear();
                self.queues[q].arrivals = arrivals;
            }
            batch.sort_by_key(|i| i.arrived_at_ms);
            out.append(&mut batch);
            if out.len() >= self.opts.chunk_rows {
                emit(sink, &mut out, &mut surveys)?;
            }
        }
        if !out.is_empty() || !surveys.is_empty() {
            emit(sink, &mut out, &mut surveys)?;
        }
        let rest = people::finish(
            self.contract,
            &self.opts,
            &self.grid,
            &self.book,
            &self.prefix,
        );
        Ok(Generated {
            interactions: Vec::new(),
            surveys: Vec::new(),
            qa: rest.qa,
            roster: rest.roster,
            training: rest.training,
            agent_days: rest.agent_days,
            incidents: self.incidents,
        })
    }

    /// During an outage most of the queue's agents cannot take contacts until it ends.
    fn outage(&mut self, q: usize, iv: &calendar::Interval) {
        let name = &self.queues[q].name;
        let Some(end) = self
            .incidents
            .iter()
            .filter(|inc| {
                inc.start_ms < iv.end_ms
                    && inc.end_ms > iv.start_ms
                    && (inc.queues.is_empty() || inc.queues.contains(name))
            })
            .map(|inc| inc.end_ms)
            .max()
        else {
            return;
        };
        let mut servers = std::mem::take(&mut self.queues[q].servers).into_vec();
        for (i, r) in servers.iter_mut().enumerate() {
            if (i as f64 / 4.0).fract() >= 1.0 - params::OUTAGE_STAFFING {
                continue;
            }
            r.0.0 = r.0.0.max(end);
        }
        self.queues[q].servers = servers.into();
    }

    fn pick_queue(&self, rng: &mut Rng, s: usize) -> usize {
        let svc = &self.services[s];
        svc.queues[rng.pick_cumulative(&svc.queue_cum)]
    }

    #[allow(clippy::too_many_lines)]
    fn serve(
        &mut self,
        rng: &mut Rng,
        q: usize,
        a: Arrival,
        iv: &calendar::Interval,
        batch: &mut Vec<Interaction>,
        surveys: &mut Vec<Survey>,
    ) {
        let s = self.queues[q].svc;
        let p = self.services[s].p;
        let aht = self.services[s].aht_s;
        self.seq += 1;
        let seq = self.seq;
        let sec = |x: f64| (x * 1000.0).round() as i64;
        let whole = |x: f64| (x.round().max(0.0) as i64) * 1000;

        let outcome;
        let mut answered_at = None;
        let ended_at;
        let mut agent: Option<u32> = None;
        let mut talk = None;
        let mut hold = None;
        let mut wrap = None;
        let mut first_response = None;
        let mut disposition: Option<&'static str> = None;
        let mut repeat = false;

        match p.kind {
            Kind::Written => {
                // A backlog worked within hours; a few wait for a third party for over a day.
                let delay_h = if rng.chance(0.04) {
                    rng.uniform(24.0, 40.0)
                } else {
                    rng.lognormal_mean(3.0, 0.9).min(23.0)
                };
                let handle = rng.lognormal_mean(aht, p.aht_sigma).clamp(30.0, 7200.0);
                let wr = (handle * rng.uniform(0.05, 0.15)).max(5.0);
                let compose = (handle - wr).max(10.0);
                let start = a.at + sec(delay_h * 3600.0);
                let ag = self.book.any_on_shift(rng, &self.queues[q]);
                outcome = Outcome::Answered;
                answered_at = Some(start);
                first_response = Some(start + whole(compose));
                ended_at = Some(start + whole(compose) + whole(wr));
                talk = Some(whole(compose));
                hold = Some(0);
                wrap = Some(whole(wr));
                agent = ag;
                if let Some(ag) = ag {
                    self.book
                        .add_handling(ag, iv.day, whole(compose) + whole(wr), 1);
                }
            }
            Kind::Live | Kind::Outbound => {
                let top = self.queues[q].servers.peek().map(|r| r.0);
                if p.kind == Kind::Outbound && rng.chance(params::OUTBOUND_NO_ANSWER) {
                    outcome = Outcome::Timeout;
                    ended_at = Some(a.at + sec(rng.uniform(15.0, 30.0)));
                } else if p.kind == Kind::Live && rng.chance(params::MISDIAL) {
                    outcome = Outcome::Abandoned;
                    ended_at = Some(a.at + sec(rng.uniform(0.5, 4.5)));
                } else if let Some((free, ag)) = top {
                    let vw = (free - a.at).max(0);
                    let ring = sec(rng.uniform(p.ring_s.0, p.ring_s.1));
                    let patience = sec(rng
                        .weibull_mean(p.patience_s, params::PATIENCE_SHAPE)
                        .min(1e7));
                    let vw_s = vw as f64 / 1000.0;
                    if p.callback_after_s.is_some_and(|c| vw_s > c) && rng.chance(0.15) {
                        outcome = Outcome::Callback;
                        ended_at = Some(a.at + sec(rng.uniform(25.0, 45.0)));
                    } else if patience < vw {
                        outcome = Outcome::Abandoned;
                        ended_at = Some(a.at + patience);
                    } else if vw_s > p.max_wait_s {
                        outcome = Outcome::Timeout;
                        ended_at = Some(a.at + sec(p.max_wait_s));
                    } else if p.overflow_after_s.is_some_and(|o| vw_s > o) && rng.chance(0.35) {
                        outcome = Outcome::OverflowOut;
                        ended_at = Some(a.at + sec(p.overflow_after_s.unwrap_or(0.0)));
                    } else {
                        outcome = Outcome::Answered;
                        let ans = a.at + vw + ring;
                        let handle = rng.lognormal_mean(aht, p.aht_sigma).clamp(20.0, 7200.0);
                        let h = if p.kind == Kind::Live && p.concurrency == 1 && rng.chance(0.3) {
                            handle * rng.uniform(0.05, 0.25)
                        } else {
                            0.0
                        };
                        let wr = (handle * rng.uniform(0.06, 0.16)).max(3.0);
                        let t = (handle - h - wr).max(5.0);
                        let (t, h, wr) = (whole(t), whole(h), whole(wr));
                        answered_at = Some(ans);
                        ended_at = Some(ans + t + h);
                        talk = Some(t);
                        hold = Some(h);
                        wrap = Some(wr);
                        agent = Some(ag);
                        let busy_until = ans + t + h + wr;
                        if let Some(mut top) = self.queues[q].servers.peek_mut() {
                            top.0 = (busy_until, ag);
                        }
                        self.book
                            .add_handling(ag, iv.day, t + h + wr, p.concurrency);
                    }
                } else {
                    outcome = Outcome::QueueEmpty;
                    ended_at = Some(a.at + sec(rng.uniform(1.0, 5.0)));
                }
            }
        }

        // Repeats, dispositions, surveys.
        let end = ended_at.unwrap_or(a.at);
        if outcome == Outcome::Answered {
            if p.kind == Kind::Outbound {
                disposition = Some(if rng.chance(self.conversion) {
                    "sale"
                } else if rng.chance(0.12) {
                    "callback_requested"
                } else {
                    "no_sale"
                });
            } else {
                repeat = a.customer != 0 && rng.chance(params::REPEAT_AFTER_HANDLED);
                disposition = Some(if repeat {
                    if rng.chance(0.45) {
                        "escalated"
                    } else {
                        "unresolved"
                    }
                } else if rng.chance(0.03) {
                    "escalated"
                } else {
                    "resolved"
                });
                if repeat {
                    let delay_h = if rng.chance(0.4) {
                        0.5 + rng.exp(3.0)
                    } else {
                        0.5 + rng.exp(60.0)
                    };
                    let at = end + sec(delay_h * 3600.0);
                    self.schedule(rng, s, q, a.customer, at);
                }
            }
        } else if p.kind == Kind::Live && a.customer != 0 {
            let p_retry = if outcome == Outcome::Abandoned {
                params::RETRY_AFTER_UNSERVED
            } else {
                0.3
            };
            if rng.chance(p_retry) {
                let at = end + sec(60.0 + rng.exp(900.0));
                self.schedule(rng, s, q, a.customer, at);
            }
        }

        let source_id = format!("{}-{seq:08}", self.prefix);
        if outcome == Outcome::Answered
            && p.kind != Kind::Outbound
            && rng.chance(params::SURVEY_RATE)
        {
            let wait_s = answered_at.map_or(0, |x| x - a.at) as f64 / 1000.0;
            let at = end + wrap.unwrap_or(0) + sec(60.0 + rng.exp(1200.0));
            surveys.push(people::survey(rng, source_id.clone(), !repeat, wait_s, at));
        }
        if let (Some(ag), Some(ans)) = (agent, answered_at) {
            self.book.qa_candidate(rng, ag, seq, ans);
        }

        let svc = &self.services[s];
        let site = match agent {
            Some(ag) => self.book.agents[ag as usize].site.clone(),
            None if svc.sites.is_empty() => None,
            None => Some(svc.sites[rng.below(svc.sites.len() as u64) as usize].clone()),
        };
        let language = if svc.languages.is_empty() {
            None
        } else {
            Some(svc.languages[rng.pick_cumulative(&svc.lang_cum)].clone())
        };
        batch.push(Interaction {
            source_id,
            channel: svc.channel,
            queue: self.queues[q].name.clone(),
            site,
            language,
            customer_key: (a.customer != 0).then(|| customer_key(self.customer_salt, a.customer)),
            arrived_at_ms: a.at,
            answered_at_ms: answered_at,
            ended_at_ms: ended_at,
            outcome,
            talk_ms: talk,
            hold_ms: hold,
            wrap_ms: wrap,
            agent_key: agent.map(|ag| self.book.agents[ag as usize].key.clone()),
            disposition: disposition.map(str::to_string),
            first_response_at_ms: first_response,
        });
    }
}

fn emit<E>(
    sink: &mut dyn FnMut(Chunk<'_>) -> Result<(), E>,
    out: &mut Vec<Interaction>,
    surveys: &mut Vec<Survey>,
) -> Result<(), StreamError<E>> {
    sink(Chunk {
        interactions: out,
        surveys,
    })
    .map_err(StreamError::Sink)?;
    out.clear();
    surveys.clear();
    Ok(())
}

/// Poisson counts around the forecast with day-level error, then nudged to the exact total.
fn actual_counts(
    rng: &mut Rng,
    grid: &MonthGrid,
    forecast: &[f64],
    day_noise: &[f64],
    volume: u64,
) -> Vec<u32> {
    let mut counts: Vec<u32> = grid
        .intervals
        .iter()
        .zip(forecast)
        .map(|(iv, f)| {
            let lam = f * day_noise[iv.day] * rng.lognormal_mean(1.0, 0.05);
            u32::try_from(rng.poisson(lam)).unwrap_or(u32::MAX)
        })
        .collect();
    let cum = cumulative(forecast.iter().copied());
    if cum.last().copied().unwrap_or(0.0) <= 0.0 {
        return vec![0; forecast.len()];
    }
    let mut total: u64 = counts.iter().map(|&c| u64::from(c)).sum();
    while total < volume {
        let i = rng.pick_cumulative(&cum);
        counts[i] += 1;
        total += 1;
    }
    let mut guard = 0u64;
    while total > volume && guard < volume.saturating_mul(50) + 1_000_000 {
        guard += 1;
        let i = rng.pick_cumulative(&cum);
        if counts[i] > 0 {
            counts[i] -= 1;
            total -= 1;
        }
    }
    counts
}

/// Outages: a weekday daytime window, all queues or one service's queues, one accepted.
fn schedule_outages(
    rng: &mut Rng,
    opts: &GenOptions,
    grid: &MonthGrid,
    services: &[Service],
    queues: &[Queue],
) -> Vec<pacta_data::model::Incident> {
    let candidates: Vec<usize> = grid
        .intervals
        .iter()
        .enumerate()
        .filter(|(k, iv)| {
            (8 * 3600..18 * 3600).contains(&iv.sec_of_day)
                && services
                    .iter()
                    .any(|s| s.volume > 0 && s.open[*k].is_some())
        })
        .map(|(k, _)| k)
        .collect();
    let mut out = Vec::new();
    if candidates.is_empty() {
        return out;
    }
    let svc_cum = cumulative(services.iter().map(|s| s.volume as f64));
    for i in 0..opts.outage_count {
        let k = candidates[rng.below(candidates.len() as u64) as usize];
        let iv = &grid.intervals[k];
        let start = iv.start_ms + rng.below(INTERVAL_MS as u64) as i64;
        let minutes = 30 + rng.below(91) as i64;
        let end = (start + minutes * 60_000).min(grid.end_ms);
        let scope: Vec<String> = if rng.chance(0.5) {
            Vec::new()
        } else {
            let s = &services[rng.pick_cumulative(&svc_cum)];
            s.queues.iter().map(|&q| queues[q].name.clone()).collect()
        };
        out.push(pacta_data::model::Incident {
            incident_id: format!(
                "INC-{:04}{:02}-{:02}",
                opts.month.year(),
                opts.month.month(),
                i + 1
            ),
            kind: pacta_data::model::IncidentKind::Outage,
            start_ms: start,
            end_ms: end,
            queues: scope,
            declared_by: "provider".to_string(),
            accepted: i == 0,
        });
    }
    out.sort_by_key(|x| x.start_ms);
    for (i, inc) in out.iter_mut().enumerate() {
        inc.incident_id = format!(
            "INC-{:04}{:02}-{:02}",
            opts.month.year(),
            opts.month.month(),
            i + 1
        );
    }
    out
}

/// Agents wanted per queue and interval: Erlang C on the forecast, with noise, some
/// understaffed intervals, and outages.
fn staff(
    rng: &mut Rng,
    grid: &MonthGrid,
    services: &[Service],
    queues: &mut [Queue],
    day_noise: &[f64],
) {
    for q in queues.iter_mut() {
        let svc = &services[q.svc];
        let p = svc.p;
        q.staffing = grid
            .intervals
            .iter()
            .enumerate()
            .map(|(k, iv)| {
                let Some((a, b)) = svc.open[k] else {
                    return 0;
                };
                // Intraday re-forecasting catches most of the day's deviation.
                let expected = svc.forecast[k] * q.share * day_noise[iv.day].powf(0.8);
                if expected <= 0.0 {
                    return 0;
                }
                let seconds = ((b - a) as f64 / 1000.0).max(1.0);
                let mut load = expected * svc.aht_s / seconds;
                if p.kind == Kind::Outbound {
                    load *= 1.0 - params::OUTBOUND_NO_ANSWER;
                }
                let servers = match p.kind {
                    Kind::Written => (load / 0.85).ceil() as u32,
                    _ => erlang_c_servers(load, svc.aht_s, p.sl_threshold_s, p.sl_target),
                };
                let agents = f64::from(servers.div_ceil(p.concurrency));
                // Scheduling error is relative: a team of 5 is often one agent short, a team
                // of 500 is staffed within a few percent.
                let rel = (8.0 / agents.max(1.0)).sqrt().min(1.0);
                let mut f = rng.lognormal_mean(1.0 - 0.03 * rel, 0.10 * rel);
                if rng.chance(0.15) {
                    f *= 1.0 - 0.15 * rel;
                }
                ((agents * f).round() as u32).max(1)
            })
            .collect();
    }
}
