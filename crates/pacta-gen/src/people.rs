//! Agents: sizing, hires and leavers, shifts, and the records derived from them (roster,
//! training, QA evaluations, agent days, surveys).

use jiff::civil::Date;
use pacta_contract::Contract;
use pacta_data::model::{
    AgentDay, QaEvaluation, QaItem, RosterEntry, Separation, Survey, TrainingKind, TrainingRecord,
};
use rust_decimal::Decimal;

use crate::calendar::{Interval, MonthGrid};
use crate::options::{GenError, GenOptions};
use crate::queues::{Queue, Service};
use crate::rng::{Rng, splitmix64};

/// Longest shift, intervals (8.5 h).
const SHIFT_CAP: u16 = 17;
/// Shortest rest between shifts, intervals (10 h).
const REST: u32 = 20;
/// Share of scheduled agent-days with an unplanned absence.
const ABSENCE: f64 = 0.03;

#[derive(Debug, Clone)]
pub(crate) struct Agent {
    pub key: String,
    pub site: Option<String>,
    pub hired_on: Date,
    pub left_on: Option<Date>,
    pub separation: Option<Separation>,
    /// First day index on which the agent takes contacts (after initial training).
    first_day: i64,
    /// Last day index employed (inclusive).
    last_day: i64,
    /// Weekly days off (0 = Monday).
    off: [u8; 2],
    skill: f64,
    new_hire: bool,
}

/// All agents and their running counters.
pub(crate) struct AgentBook {
    pub agents: Vec<Agent>,
    days: usize,
    logged: Vec<u16>,
    night: Vec<u16>,
    handling_ms: Vec<u64>,
    shift_len: Vec<u16>,
    last_off: Vec<u32>,
    on: Vec<bool>,
    qa_seen: Vec<u32>,
    qa_pick: Vec<Vec<(u64, i64)>>,
    qa_k: usize,
    salt: u64,
}

fn weekday_index(d: Date) -> u8 {
    (d.weekday().to_monday_zero_offset()) as u8
}

impl AgentBook {
    fn absent(&self, a: usize, day: usize) -> bool {
        let h = splitmix64(self.salt ^ ((a as u64) << 20) ^ day as u64);
        ((h >> 11) as f64 / (1u64 << 53) as f64) < ABSENCE
    }

    fn works(&self, a: usize, day: usize, date: Date) -> bool {
        let ag = &self.agents[a];
        let d = day as i64;
        d >= ag.first_day
            && d <= ag.last_day
            && !ag.off.contains(&weekday_index(date))
            && !self.absent(a, day)
    }

    /// Brings the queue's on-shift agents to `target`, then books the interval's time.
    pub(crate) fn shift(
        &mut self,
        q: &mut Queue,
        target: u32,
        concurrency: u32,
        iv: &Interval,
        k: usize,
        night: bool,
    ) {
        let target = target as usize;
        let k32 = u32::try_from(k).unwrap_or(u32::MAX);
        let mut changed = false;
        let before = q.on_shift.len();
        let day = iv.day as i64;
        let mut leaving = Vec::new();
        q.on_shift.retain(|&a| {
            let ag = &self.agents[a as usize];
            let keep = self.shift_len[a as usize] < SHIFT_CAP && day <= ag.last_day;
            if !keep {
                leaving.push(a);
            }
            keep
        });
        while q.on_shift.len() > target {
            leaving.push(q.on_shift.remove(0));
        }
        for a in leaving {
            self.on[a as usize] = false;
            self.shift_len[a as usize] = 0;
            self.last_off[a as usize] = k32;
        }
        changed |= q.on_shift.len() != before;
        let mut joined = Vec::new();
        let n = q.pool.len();
        let mut tries = 0;
        while q.on_shift.len() < target && tries < n {
            let a = q.pool[q.cursor % n];
            q.cursor = (q.cursor + 1) % n;
            tries += 1;
            let ai = a as usize;
            if self.on[ai] {
                continue;
            }
            let rested =
                self.last_off[ai] == u32::MAX || k32.saturating_sub(self.last_off[ai]) >= REST;
            if !rested || !self.works(ai, iv.day, iv.date) {
                continue;
            }
            self.on[ai] = true;
            q.on_shift.push(a);
            joined.push(a);
            changed = true;
        }
        if changed {
            let mut servers = std::mem::take(&mut q.servers).into_vec();
            servers.retain(|r| self.on[r.0.1 as usize]);
            for &a in &joined {
                for _ in 0..concurrency {
                    servers.push(std::cmp::Reverse((iv.start_ms, a)));
                }
            }
            q.servers = servers.into();
        }
        for &a in &q.on_shift {
            let ai = a as usize;
            self.shift_len[ai] += 1;
            let cell = ai * self.days + iv.day;
            self.logged[cell] += 1;
            if night {
                self.night[cell] += 1;
            }
        }
    }

    pub(crate) fn add_handling(&mut self, a: u32, day: usize, ms: i64, concurrency: u32) {
        let cell = a as usize * self.days + day;
        if let Some(h) = self.handling_ms.get_mut(cell) {
            *h += u64::try_from(ms).unwrap_or(0) / u64::from(concurrency.max(1));
        }
    }

    /// An agent for written work: someone on shift, else anyone in the pool.
    pub(crate) fn any_on_shift(&self, rng: &mut Rng, q: &Queue) -> Option<u32> {
        if !q.on_shift.is_empty() {
            return Some(q.on_shift[rng.below(q.on_shift.len() as u64) as usize]);
        }
        if q.pool.is_empty() {
            return None;
        }
        Some(q.pool[rng.below(q.pool.len() as u64) as usize])
    }

    /// Reservoir sampling of the contacts QA will evaluate.
    pub(crate) fn qa_candidate(&mut self, rng: &mut Rng, a: u32, seq: u64, answered: i64) {
        let ai = a as usize;
        self.qa_seen[ai] += 1;
        let picks = &mut self.qa_pick[ai];
        if picks.len() < self.qa_k {
            picks.push((seq, answered));
        } else {
            let j = rng.below(u64::from(self.qa_seen[ai])) as usize;
            if j < self.qa_k {
                picks[j] = (seq, answered);
            }
        }
    }
}

fn add_days(d: Date, n: i64) -> Date {
    d.checked_add(jiff::Span::new().days(n)).unwrap_or(d)
}

/// Sizes each queue's pool from its staffing, then adds leavers and new hires.
pub(crate) fn hire(
    contract: &Contract,
    opts: &GenOptions,
    grid: &MonthGrid,
    services: &[Service],
    queues: &mut [Queue],
) -> Result<AgentBook, GenError> {
    let mut rng = Rng::new(opts.seed, 3);
    let days = grid.days.len();
    let first = opts.month.first_day();
    let mut agents: Vec<Agent> = Vec::new();
    let mut owner: Vec<usize> = Vec::new();
    for (qi, q) in queues.iter_mut().enumerate() {
        let svc = &services[q.svc];
        let mut per_day = vec![0.0f64; days];
        let mut peak = 0u32;
        for (k, iv) in grid.intervals.iter().enumerate() {
            per_day[iv.day] += f64::from(q.staffing[k]) * 0.5;
            peak = peak.max(q.staffing[k]);
        }
        if peak == 0 {
            continue;
        }
        let shifts = per_day.iter().copied().fold(0.0, f64::max) / 7.5;
        let size = (shifts.max(f64::from(peak) * 1.25) * 1.4 * 1.12).ceil() as usize + 1;
        for i in 0..size {
            let idx = agents.len();
            q.pool.push(u32::try_from(idx).unwrap_or(u32::MAX));
            let site = (!svc.sites.is_empty()).then(|| svc.sites[i % svc.sites.len()].clone());
            let o = (idx % 7) as u8;
            agents.push(Agent {
                key: String::new(),
                site,
                hired_on: add_days(first, -(30 + rng.below(1800) as i64)),
                left_on: None,
                separation: None,
                first_day: i64::MIN,
                last_day: i64::MAX,
                off: [o, (o + 1) % 7],
                skill: rng.uniform(0.80, 0.97),
                new_hire: false,
            });
            owner.push(qi);
        }
    }
    // Leavers: 3–5 % of the headcount.
    let base = agents.len();
    let mut leavers = (base as f64 * rng.uniform(0.03, 0.05)).round() as usize;
    if base >= 10 {
        leavers = leavers.max(1);
    }
    let mut order: Vec<usize> = (0..base).collect();
    for i in 0..leavers.min(base) {
        let j = i + rng.below((base - i) as u64) as usize;
        order.swap(i, j);
        let a = order[i];
        let d = rng.below(days as u64) as i64;
        agents[a].last_day = d;
        agents[a].left_on = Some(add_days(first, d));
        agents[a].separation = Some(if rng.chance(0.8) {
            Separation::Voluntary
        } else {
            Separation::Involuntary
        });
    }
    // Hires, roughly replacing the leavers, in initial training first.
    let hires = if leavers == 0 {
        0
    } else {
        (leavers + rng.below(3) as usize).saturating_sub(1)
    };
    let initial_h = contract
        .doc
        .people
        .as_ref()
        .and_then(|p| p.initial_training_hours)
        .and_then(|h| h.to_string().parse::<f64>().ok())
        .unwrap_or(120.0);
    let training_days = (initial_h / 8.0).ceil().max(0.0) as i64;
    let pool_cum: Vec<f64> = {
        let mut acc = 0.0;
        queues
            .iter()
            .map(|q| {
                acc += q.pool.len() as f64;
                acc
            })
            .collect()
    };
    for _ in 0..hires {
        let qi = rng.pick_cumulative(&pool_cum);
        let d = rng.below(((days as f64 * 0.7) as u64).max(1)) as i64;
        let hired = add_days(first, d);
        // Working days (Monday to Friday) of initial training.
        let mut left = training_days;
        let mut day = d;
        while left > 0 {
            if add_days(first, day).weekday().to_monday_zero_offset() < 5 {
                left -= 1;
            }
            day += 1;
        }
        let idx = agents.len();
        queues[qi].pool.push(u32::try_from(idx).unwrap_or(u32::MAX));
        let svc = &services[queues[qi].svc];
        let site = (!svc.sites.is_empty()).then(|| svc.sites[idx % svc.sites.len()].clone());
        let o = (idx % 7) as u8;
        agents.push(Agent {
            key: String::new(),
            site,
            hired_on: hired,
            left_on: None,
            separation: None,
            first_day: day,
            last_day: i64::MAX,
            off: [5, 6].map(|x: u8| if o < 5 { x } else { (x + o) % 7 }),
            skill: rng.uniform(0.75, 0.9),
            new_hire: true,
        });
        owner.push(qi);
    }
    for (i, a) in agents.iter_mut().enumerate() {
        a.key = format!("ag{:05}", i + 1);
    }
    let n = agents.len();
    let qa_k = qa_per_agent(contract) as usize;
    Ok(AgentBook {
        agents,
        days,
        logged: vec![0; n * days],
        night: vec![0; n * days],
        handling_ms: vec![0; n * days],
        shift_len: vec![0; n],
        last_off: vec![u32::MAX; n],
        on: vec![false; n],
        qa_seen: vec![0; n],
        qa_pick: vec![Vec::new(); n],
        qa_k,
        salt: splitmix64(opts.seed ^ 0xAB5E_11CE),
    })
}

fn qa_per_agent(contract: &Contract) -> u32 {
    contract
        .doc
        .quality
        .as_ref()
        .and_then(|q| q.evaluations_per_agent_month)
        .or_else(|| {
            contract
                .doc
                .slas
                .iter()
                .find_map(|s| s.params.evaluations_per_agent)
        })
        .unwrap_or(4)
}

/// The month's agent-side records.
pub(crate) struct Rest {
    pub roster: Vec<RosterEntry>,
    pub training: Vec<TrainingRecord>,
    pub qa: Vec<QaEvaluation>,
    pub agent_days: Vec<AgentDay>,
}

fn half_hours(h: f64) -> Decimal {
    Decimal::new(((h * 2.0).round().max(1.0) as i64) * 5, 1)
}

pub(crate) fn finish(
    contract: &Contract,
    opts: &GenOptions,
    grid: &MonthGrid,
    book: &AgentBook,
    prefix: &str,
) -> Rest {
    let mut rng = Rng::new(opts.seed, 4);
    let days = grid.days.len();
    let roster = book
        .agents
        .iter()
        .map(|a| RosterEntry {
            agent_key: a.key.clone(),
            site: a.site.clone(),
            hired_on: a.hired_on,
            left_on: a.left_on,
            separation: a.separation,
        })
        .collect();

    let ongoing = contract
        .doc
        .people
        .as_ref()
        .and_then(|p| p.ongoing_training_hours_per_month)
        .and_then(|h| h.to_string().parse::<f64>().ok())
        .unwrap_or(6.0);
    let initial = contract
        .doc
        .people
        .as_ref()
        .and_then(|p| p.initial_training_hours)
        .and_then(|h| h.to_string().parse::<f64>().ok())
        .unwrap_or(120.0);
    let mut training = Vec::new();
    for a in &book.agents {
        let start_day = (a.hired_on - grid.days[0]).get_days().max(0) as usize;
        if a.new_hire {
            let mut left = initial;
            for (d, date) in grid.days.iter().enumerate().skip(start_day) {
                if left <= 0.0 {
                    break;
                }
                if weekday_index(*date) >= 5 {
                    continue;
                }
                let h = left.min(8.0);
                left -= h;
                training.push(TrainingRecord {
                    agent_key: a.key.clone(),
                    date: grid.days[d],
                    hours: half_hours(h),
                    kind: TrainingKind::Initial,
                });
            }
        } else if ongoing > 0.0 {
            let last = usize::try_from(a.last_day.min(days as i64 - 1)).unwrap_or(0);
            let total = (ongoing * rng.uniform(0.8, 1.25) * 2.0).round() / 2.0;
            let first = (total / 2.0 * 2.0).round() / 2.0;
            let mut sessions = vec![first, total - first];
            sessions.retain(|h| *h > 0.0);
            let mut dates: Vec<usize> = sessions
                .iter()
                .map(|_| rng.below(last as u64 + 1) as usize)
                .collect();
            dates.sort_unstable();
            for (h, d) in sessions.into_iter().zip(dates) {
                training.push(TrainingRecord {
                    agent_key: a.key.clone(),
                    date: grid.days[d],
                    hours: half_hours(h),
                    kind: TrainingKind::Ongoing,
                });
            }
        }
    }
    training.sort_by(|x, y| {
        x.date
            .cmp(&y.date)
            .then_with(|| x.agent_key.cmp(&y.agent_key))
    });

    // QA evaluations of the sampled contacts.
    let items: [(&str, u32, u32, bool); 6] = [
        ("greeting", 1, 5, false),
        ("identity_verification", 2, 1, true),
        ("accuracy", 3, 5, false),
        ("empathy", 2, 5, false),
        ("resolution", 3, 5, false),
        ("compliance_disclosure", 2, 1, true),
    ];
    let mut qa = Vec::new();
    let last_ms = grid.end_ms - 3_600_000;
    for (ai, a) in book.agents.iter().enumerate() {
        let mut picks = book.qa_pick[ai].clone();
        picks.sort_unstable_by_key(|p| p.1);
        for (seq, answered) in picks {
            let at = (answered + 86_400_000 + rng.below(2 * 86_400_000) as i64)
                .min(last_ms)
                .max(answered + 3_600_000);
            let its = items
                .iter()
                .map(|&(item, weight, max, critical)| {
                    let score = if critical {
                        u32::from(!rng.chance(0.01))
                    } else {
                        let s = f64::from(max) * a.skill + rng.normal() * 0.7;
                        s.round().clamp(1.0, f64::from(max)) as u32
                    };
                    QaItem {
                        item: item.to_string(),
                        score: Decimal::from(score),
                        max: Decimal::from(max),
                        weight: Decimal::from(weight),
                        critical,
                    }
                })
                .collect();
            qa.push(QaEvaluation {
                evaluation_id: String::new(),
                interaction_id: Some(format!("{prefix}-{seq:08}")),
                agent_key: a.key.clone(),
                evaluated_at_ms: at,
                items: its,
            });
        }
    }
    qa.sort_by(|x, y| {
        x.evaluated_at_ms
            .cmp(&y.evaluated_at_ms)
            .then_with(|| x.agent_key.cmp(&y.agent_key))
    });
    for (i, e) in qa.iter_mut().enumerate() {
        e.evaluation_id = format!("QA-{prefix}-{:06}", i + 1);
    }

    // Agent days.
    let mut agent_days = Vec::new();
    for d in 0..days {
        for ai in 0..book.agents.len() {
            let cell = ai * days + d;
            let logged = u32::from(book.logged[cell]) * 30;
            if logged > 0 {
                let handling = u32::try_from(book.handling_ms[cell] / 60_000)
                    .unwrap_or(u32::MAX)
                    .min(logged);
                let aux = ((f64::from(logged) * rng.uniform(0.05, 0.11)).round() as u32)
                    .min(logged - handling);
                let scheduled = logged + 5 * rng.below(4) as u32;
                let adherent =
                    ((f64::from(logged) * rng.uniform(0.86, 0.96)).round() as u32).min(scheduled);
                agent_days.push(AgentDay {
                    agent_key: book.agents[ai].key.clone(),
                    date: grid.days[d],
                    scheduled_min: scheduled,
                    logged_min: logged,
                    adherent_min: adherent,
                    handling_min: handling,
                    available_min: logged - handling - aux,
                    night_min: u32::from(book.night[cell]) * 30,
                });
            } else if book.absent(ai, d) && {
                let a = &book.agents[ai];
                let dd = d as i64;
                dd >= a.first_day
                    && dd <= a.last_day
                    && !a.off.contains(&weekday_index(grid.days[d]))
            } {
                agent_days.push(AgentDay {
                    agent_key: book.agents[ai].key.clone(),
                    date: grid.days[d],
                    scheduled_min: 480,
                    logged_min: 0,
                    adherent_min: 0,
                    handling_min: 0,
                    available_min: 0,
                    night_min: 0,
                });
            }
        }
    }
    Rest {
        roster,
        training,
        qa,
        agent_days,
    }
}

/// A survey answer for a handled contact; `resolved` is whether the customer did not come back.
pub(crate) fn survey(rng: &mut Rng, id: String, resolved: bool, wait_s: f64, at: i64) -> Survey {
    let said_resolved = if resolved {
        rng.chance(0.9)
    } else {
        rng.chance(0.25)
    };
    let dist: [f64; 5] = if said_resolved {
        [0.02, 0.03, 0.06, 0.27, 0.62]
    } else {
        [0.18, 0.17, 0.22, 0.25, 0.18]
    };
    let x = rng.f64();
    let mut acc = 0.0;
    let mut csat = 5u8;
    for (i, p) in dist.iter().enumerate() {
        acc += p;
        if x < acc {
            csat = i as u8 + 1;
            break;
        }
    }
    if wait_s > 60.0 && csat > 1 && rng.chance(0.3) {
        csat -= 1;
    }
    let (lo, hi) = match csat {
        5 => (8u64, 10u64),
        4 => (7, 9),
        3 => (5, 8),
        2 => (2, 6),
        _ => (0, 4),
    };
    let nps = (lo + rng.below(hi - lo + 1)) as u8;
    Survey {
        interaction_id: id,
        csat: (!rng.chance(0.03)).then_some(csat),
        nps: (!rng.chance(0.15)).then_some(nps),
        resolved: (!rng.chance(0.05)).then_some(said_resolved),
        answered_at_ms: at,
    }
}
