//! Orchestration: plan, periods, FCR structure, the one pass, and per-request aggregation.

use std::collections::{BTreeMap, HashMap};

use pacta_contract::metrics::{Direction, Unit};
use pacta_contract::{Channel, Contract, PeriodKind, SlaScope};
use pacta_core::Month;
use pacta_data::model::{InteractionTable, NO_VALUE, channel_from_code};

use crate::calendar::Hours;
use crate::formulas::{Sums, interaction_value};
use crate::period::{BaseGrid, Period, periods};
use crate::plan::{self, Kind, Layout};
use crate::scan::{Accum, ComboKey, ScanCtx, scan};
use crate::{
    GroupBy, GroupResult, KpiError, KpiInputs, KpiReport, KpiRequest, MetricValue, PeriodValue,
    RequestResult, ScanSummary, records, repeat,
};

const UNLINKED: &str = "(unlinked)";
const NONE: &str = "(none)";
const ALL: &str = "(all)";

/// Computes every request for `month` over the inputs, broken down by `group_by`.
///
/// Interaction metrics share one scan of the table whatever the number of requests.
pub fn compute(
    contract: &Contract,
    month: Month,
    data: &KpiInputs<'_>,
    requests: &[KpiRequest],
    group_by: &[GroupBy],
) -> Result<KpiReport, KpiError> {
    let tz = &contract.time_zone;
    let table = data.interactions;
    check_table(table)?;
    if !data.exclusion_marks.is_empty() && data.exclusion_marks.len() != table.arrived_at_ms.len() {
        return Err(KpiError::RaggedTable {
            column: "exclusion_marks",
            len: data.exclusion_marks.len(),
            expected: table.arrived_at_ms.len(),
        });
    }
    let kinds: Vec<Kind> = requests.iter().map(Kind::parse).collect::<Result<_, _>>()?;
    if table.first_response_at_ms.is_empty()
        && !table.arrived_at_ms.is_empty()
        && let Some(r) = requests.iter().find(|r| r.metric == "response_time")
    {
        return Err(KpiError::FirstResponseNotLoaded { id: r.id.clone() });
    }
    let grids: Vec<Vec<Period>> = requests
        .iter()
        .zip(&kinds)
        .map(|(r, k)| {
            let kind = if k.is_date_based() && r.period == PeriodKind::Interval {
                PeriodKind::Day
            } else {
                r.period
            };
            periods(kind, r.interval_minutes, month, tz)
        })
        .collect::<Result<_, _>>()?;

    let inter: Vec<usize> = (0..kinds.len())
        .filter(|&i| kinds[i].is_interaction())
        .collect();
    let inter_kinds: Vec<Kind> = inter.iter().map(|&i| kinds[i].clone()).collect();
    let layout = Layout::new(&inter_kinds);
    let base = BaseGrid::new(inter.iter().map(|&i| grids[i].as_slice()));
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut summary = ScanSummary {
        rows: table.arrived_at_ms.len() as u64,
        ..ScanSummary::default()
    };
    let acc = if inter.is_empty() {
        None
    } else {
        let extra = if layout.resp.is_empty() { 1 } else { 62 };
        let hours = Hours::covering(&contract.doc.calendar, tz, base.start(), base.end(), extra)?;
        let fcr_bits = repeat::repeat_flags(table, &layout.fcr, data.exclusion_marks, threads);
        let disp_slot = table
            .disposition_dict
            .iter()
            .map(|d| {
                let d = d.trim().to_lowercase();
                layout
                    .disps
                    .iter()
                    .position(|x| *x == d)
                    .map_or(u8::MAX, |p| p.min(254) as u8)
            })
            .collect();
        let ctx = ScanCtx {
            t: table,
            grid: &base,
            hours: &hours,
            layout: &layout,
            fcr_bits: &fcr_bits,
            marks: data.exclusion_marks,
            disp_slot,
        };
        let acc = scan(&ctx, threads);
        summary.rows_in_periods = acc.in_periods;
        summary.invalid_rows = acc.invalid;
        summary.outside_hours = acc.outside;
        Some(acc)
    };

    let mut links: Option<Links<'_>> = None;
    let mut results = Vec::with_capacity(requests.len());
    for (i, req) in requests.iter().enumerate() {
        let kind = &kinds[i];
        let grid = &grids[i];
        let scoper = Scoper::new(&req.scope, contract);
        let groups = if kind.is_interaction() {
            match &acc {
                Some(acc) => interaction_groups(
                    contract,
                    table,
                    acc,
                    &layout,
                    &base,
                    kind,
                    grid,
                    &scoper,
                    req.exclude_marks,
                    group_by,
                ),
                None => Vec::new(),
            }
        } else if matches!(
            kind,
            Kind::Csat { .. } | Kind::Nps | Kind::FcrSurvey | Kind::QaScore
        ) {
            // Unscoped and ungrouped, every record counts wherever its interaction is: no
            // need to find the interaction rows (the most expensive step of survey metrics).
            let links: Option<&Links<'_>> = if scoper.is_empty() && group_by.is_empty() {
                None
            } else if table.source_id.is_empty() && !table.arrived_at_ms.is_empty() {
                return Err(KpiError::SourceIdsNotLoaded { id: req.id.clone() });
            } else {
                Some(links.get_or_insert_with(|| build_links(data)))
            };
            linked_groups(
                data,
                links,
                kind,
                grid,
                &scoper,
                req.exclude_marks,
                group_by,
            )
        } else {
            roster_groups(contract, data, kind, grid, &req.scope, group_by)
        };
        let def = pacta_contract::metrics::metric(&req.metric);
        let unit = match kind {
            Kind::Csat {
                v: plan::CsatVariant::Mean,
                ..
            } => Unit::Score,
            _ => def.map_or(Unit::Count, |d| d.unit),
        };
        results.push(RequestResult {
            request: req.clone(),
            unit,
            direction: def.map_or(Direction::HigherIsBetter, |d| d.direction),
            groups,
        });
    }
    Ok(KpiReport {
        month: month.to_string(),
        time_zone: tz.iana_name().unwrap_or("UTC").to_string(),
        group_by: group_by.to_vec(),
        results,
        scan: summary,
    })
}

/// Every SLA of the contract for `month`; with `interval_minutes`, interaction metrics are
/// measured per interval of that length instead of their contract period (`pacta kpi
/// --interval 30 --by queue,channel`).
pub fn for_month_with_interval(
    contract: &Contract,
    month: Month,
    data: &KpiInputs<'_>,
    interval_minutes: Option<u32>,
    group_by: &[GroupBy],
) -> Result<KpiReport, KpiError> {
    let mut reqs = contract
        .doc
        .slas
        .iter()
        .map(|s| KpiRequest::from_sla(s, contract))
        .collect::<Result<Vec<_>, _>>()?;
    if let Some(m) = interval_minutes {
        if !matches!(m, 15 | 30 | 60) {
            return Err(KpiError::BadInterval { minutes: m });
        }
        for r in reqs.iter_mut().filter(|r| r.uses_interactions()) {
            r.period = PeriodKind::Interval;
            r.interval_minutes = Some(m);
        }
    }
    compute(contract, month, data, &reqs, group_by)
}

fn check_table(t: &InteractionTable) -> Result<(), KpiError> {
    let n = t.arrived_at_ms.len();
    // `source_id` may be left empty (not loaded): only survey/QA linking reads it.
    let ids = if t.source_id.is_empty() {
        n
    } else {
        t.source_id.len()
    };
    let cols: [(&'static str, usize); 16] = [
        ("source_id", ids),
        ("channel", t.channel.len()),
        ("queue", t.queue.len()),
        ("site", t.site.len()),
        ("language", t.language.len()),
        ("customer", t.customer.len()),
        ("answered_at_ms", t.answered_at_ms.len()),
        ("ended_at_ms", t.ended_at_ms.len()),
        ("outcome", t.outcome.len()),
        ("talk_ms", t.talk_ms.len()),
        ("hold_ms", t.hold_ms.len()),
        ("wrap_ms", t.wrap_ms.len()),
        ("agent", t.agent.len()),
        ("disposition", t.disposition.len()),
        (
            "first_response_at_ms",
            if t.first_response_at_ms.is_empty() {
                n
            } else {
                t.first_response_at_ms.len()
            },
        ),
        ("arrived_at_ms", n),
    ];
    for (column, len) in cols {
        if len != n {
            return Err(KpiError::RaggedTable {
                column,
                len,
                expected: n,
            });
        }
    }
    Ok(())
}

/// An SLA scope resolved against the contract's services.
struct Scoper {
    channels: Vec<Channel>,
    queues: Vec<String>,
    sites: Vec<String>,
    languages: Vec<String>,
    services: Option<Vec<(Channel, Vec<String>)>>,
}

impl Scoper {
    fn new(scope: &SlaScope, contract: &Contract) -> Self {
        let services = (!scope.services.is_empty()).then(|| {
            contract
                .doc
                .scope
                .services
                .iter()
                .filter(|s| scope.services.contains(&s.id))
                .map(|s| (s.channel, s.queues.clone()))
                .collect()
        });
        Scoper {
            channels: scope.channels.clone(),
            queues: scope.queues.clone(),
            sites: scope.sites.clone(),
            languages: scope.languages.clone(),
            services,
        }
    }

    fn is_empty(&self) -> bool {
        self.channels.is_empty()
            && self.queues.is_empty()
            && self.sites.is_empty()
            && self.languages.is_empty()
            && self.services.is_none()
    }

    fn matches(
        &self,
        ch: Option<Channel>,
        queue: Option<&str>,
        site: Option<&str>,
        lang: Option<&str>,
    ) -> bool {
        let inn = |list: &[String], v: Option<&str>| {
            list.is_empty() || v.is_some_and(|v| list.iter().any(|x| x == v))
        };
        (self.channels.is_empty() || ch.is_some_and(|c| self.channels.contains(&c)))
            && inn(&self.queues, queue)
            && inn(&self.sites, site)
            && inn(&self.languages, lang)
            && self.services.as_ref().is_none_or(|svcs| {
                svcs.iter().any(|(c, qs)| {
                    ch == Some(*c)
                        && (qs.is_empty() || queue.is_some_and(|q| qs.iter().any(|x| x == q)))
                })
            })
    }
}

fn dict(d: &[String], i: u32) -> Option<&str> {
    if i == NO_VALUE {
        None
    } else {
        d.get(i as usize).map(String::as_str)
    }
}

fn combo_parts<'t>(
    t: &'t InteractionTable,
    k: &ComboKey,
) -> (
    Option<Channel>,
    Option<&'t str>,
    Option<&'t str>,
    Option<&'t str>,
) {
    (
        channel_from_code(k.ch),
        dict(&t.queue_dict, k.q),
        dict(&t.site_dict, k.s),
        dict(&t.language_dict, k.l),
    )
}

fn combo_labels(t: &InteractionTable, k: &ComboKey, group_by: &[GroupBy]) -> Vec<String> {
    let (ch, q, s, l) = combo_parts(t, k);
    group_by
        .iter()
        .map(|g| {
            match g {
                GroupBy::Channel => ch.map_or(NONE, |c| c.as_str()),
                GroupBy::Queue => q.unwrap_or(NONE),
                GroupBy::Site => s.unwrap_or(NONE),
                GroupBy::Language => l.unwrap_or(NONE),
            }
            .to_string()
        })
        .collect()
}

fn group_map(group_by: &[GroupBy], labels: &[String]) -> BTreeMap<String, String> {
    group_by
        .iter()
        .zip(labels)
        .map(|(g, l)| (g.as_str().to_string(), l.clone()))
        .collect()
}

#[allow(clippy::too_many_arguments)]
fn interaction_groups(
    contract: &Contract,
    t: &InteractionTable,
    acc: &Accum,
    layout: &Layout,
    base: &BaseGrid,
    kind: &Kind,
    grid: &[Period],
    scoper: &Scoper,
    exclude: u8,
    group_by: &[GroupBy],
) -> Vec<GroupResult> {
    let outside_included =
        contract.doc.calendar.include_outside_hours || matches!(kind, Kind::ResponseTime { .. });
    let mut groups: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    if group_by.is_empty() {
        groups.insert(Vec::new(), Vec::new());
    }
    for (slot, key) in acc.combos.iter().enumerate() {
        let (ch, q, s, l) = combo_parts(t, key);
        if key.x & exclude == 0 && scoper.matches(ch, q, s, l) {
            groups
                .entry(combo_labels(t, key, group_by))
                .or_default()
                .push(slot);
        }
    }
    let k = layout.k;
    let nb = acc.nb;
    let want_waits = matches!(kind, Kind::WaitPct(_));
    groups
        .into_iter()
        .map(|(labels, slots)| {
            let periods = grid
                .iter()
                .map(|p| {
                    let (b0, b1) = base.range_of(p);
                    let mut v = vec![0u64; k];
                    let mut outside_rows = 0u64;
                    let mut waits: Vec<u32> = Vec::new();
                    for &slot in &slots {
                        for outside in [false, true] {
                            let include = !outside || outside_included;
                            for b in b0..b1 {
                                let off = acc.cell(slot, outside, b);
                                let c = &acc.cells[off..off + k];
                                if outside {
                                    outside_rows += c[plan::A]
                                        + c[plan::AB]
                                        + c[plan::X]
                                        + c[plan::IN_PROGRESS];
                                }
                                if include {
                                    for (j, (d, x)) in v.iter_mut().zip(c).enumerate() {
                                        if j == plan::MAX_WAIT {
                                            *d = (*d).max(*x);
                                        } else {
                                            *d += x;
                                        }
                                    }
                                }
                            }
                            if include && want_waits {
                                let w = &acc.waits[slot];
                                let lo = (usize::from(outside) * nb + b0) as u32;
                                let hi = (usize::from(outside) * nb + b1) as u32;
                                let a = w.partition_point(|e| e.0 < lo);
                                let z = w.partition_point(|e| e.0 < hi);
                                waits.extend(w[a..z].iter().map(|e| e.1));
                            }
                        }
                    }
                    let sums = Sums {
                        v: &v,
                        l: layout,
                        outside_rows,
                        outside_included,
                    };
                    PeriodValue {
                        period: p.clone(),
                        value: interaction_value(kind, &sums, &mut waits),
                    }
                })
                .collect();
            GroupResult {
                group: group_map(group_by, &labels),
                periods,
            }
        })
        .collect()
}

/// Source id → interaction row. Keyed by a fast hasher: every row's id is probed once, and
/// SipHash made this lookup the engine's most expensive step.
type Links<'a> = HashMap<&'a str, u32, ahash::RandomState>;

/// Interaction rows referenced by surveys and QA evaluations, by `source_id`.
fn build_links<'a>(data: &KpiInputs<'a>) -> Links<'a> {
    let mut wanted: Links<'a> = HashMap::default();
    for s in data.surveys {
        wanted.insert(s.interaction_id.as_str(), u32::MAX);
    }
    for q in data.qa {
        if let Some(id) = &q.interaction_id {
            wanted.insert(id.as_str(), u32::MAX);
        }
    }
    if wanted.is_empty() {
        return wanted;
    }
    for (row, id) in data.interactions.source_id.iter().enumerate() {
        if let Some(slot) = wanted.get_mut(id.as_str())
            && *slot == u32::MAX
        {
            *slot = row as u32;
        }
    }
    wanted.retain(|_, r| *r != u32::MAX);
    wanted
}

fn period_of(grid: &[Period], t: i64) -> Option<usize> {
    let i = grid.partition_point(|p| p.start_ms <= t);
    (i > 0 && grid[i - 1].contains(t)).then(|| i - 1)
}

fn linked_groups(
    data: &KpiInputs<'_>,
    links: Option<&Links<'_>>,
    kind: &Kind,
    grid: &[Period],
    scoper: &Scoper,
    exclude: u8,
    group_by: &[GroupBy],
) -> Vec<GroupResult> {
    let t = data.interactions;
    let marks = data.exclusion_marks;
    // The row a record links to; a row the request excludes links nothing, as if it were not
    // in the table.
    let row_of = |id: &str| -> Option<usize> {
        let r = *links?.get(id)? as usize;
        (exclude == 0 || marks.get(r).is_none_or(|m| m & exclude == 0)).then_some(r)
    };
    let place = |id: Option<&str>| -> Result<Vec<String>, ()> {
        if links.is_none() {
            // Only built without links when unscoped and ungrouped: everything counts.
            return Ok(Vec::new());
        }
        match id.and_then(row_of) {
            Some(r) => {
                let key = ComboKey {
                    ch: t.channel[r],
                    q: t.queue[r],
                    s: t.site[r],
                    l: t.language[r],
                    x: 0,
                };
                let (ch, q, s, l) = combo_parts(t, &key);
                if scoper.matches(ch, q, s, l) {
                    Ok(combo_labels(t, &key, group_by))
                } else {
                    Err(())
                }
            }
            None if scoper.is_empty() => {
                Ok(group_by.iter().map(|_| UNLINKED.to_string()).collect())
            }
            None => Err(()),
        }
    };
    let np = grid.len();
    let mut unlinked_excluded = vec![0u64; np];
    let mut out: Vec<GroupResult> = Vec::new();
    if matches!(kind, Kind::QaScore) {
        let mut bins: BTreeMap<Vec<String>, Vec<Vec<&pacta_data::model::QaEvaluation>>> =
            BTreeMap::new();
        if group_by.is_empty() {
            bins.insert(Vec::new(), vec![Vec::new(); np]);
        }
        for e in data.qa {
            let Some(p) = period_of(grid, e.evaluated_at_ms) else {
                continue;
            };
            match place(e.interaction_id.as_deref()) {
                Ok(labels) => bins.entry(labels).or_insert_with(|| vec![Vec::new(); np])[p].push(e),
                Err(()) => {
                    let linked = e.interaction_id.as_deref().and_then(row_of).is_some();
                    if !linked {
                        unlinked_excluded[p] += 1;
                    }
                }
            }
        }
        for (labels, per) in bins {
            out.push(GroupResult {
                group: group_map(group_by, &labels),
                periods: grid
                    .iter()
                    .zip(per)
                    .enumerate()
                    .map(|(pi, (p, items))| PeriodValue {
                        period: p.clone(),
                        value: records::qa_value(&items, unlinked_excluded[pi]),
                    })
                    .collect(),
            });
        }
        return out;
    }
    let mut bins: BTreeMap<Vec<String>, Vec<Vec<&pacta_data::model::Survey>>> = BTreeMap::new();
    if group_by.is_empty() {
        bins.insert(Vec::new(), vec![Vec::new(); np]);
    }
    for s in data.surveys {
        let Some(p) = period_of(grid, s.answered_at_ms) else {
            continue;
        };
        match place(Some(s.interaction_id.as_str())) {
            Ok(labels) => bins.entry(labels).or_insert_with(|| vec![Vec::new(); np])[p].push(s),
            Err(()) => {
                if row_of(s.interaction_id.as_str()).is_none() {
                    unlinked_excluded[p] += 1;
                }
            }
        }
    }
    for (labels, per) in bins {
        out.push(GroupResult {
            group: group_map(group_by, &labels),
            periods: grid
                .iter()
                .zip(per)
                .enumerate()
                .map(|(pi, (p, items))| PeriodValue {
                    period: p.clone(),
                    value: records::survey_value(kind, &items, unlinked_excluded[pi]),
                })
                .collect(),
        });
    }
    out
}

fn roster_groups(
    contract: &Contract,
    data: &KpiInputs<'_>,
    kind: &Kind,
    grid: &[Period],
    scope: &SlaScope,
    group_by: &[GroupBy],
) -> Vec<GroupResult> {
    let tz = &contract.time_zone;
    let site_ok = |s: Option<&str>| {
        scope.sites.is_empty() || s.is_some_and(|s| scope.sites.iter().any(|x| x == s))
    };
    let labels_for = |site: Option<&str>| -> Vec<String> {
        group_by
            .iter()
            .map(|g| match g {
                GroupBy::Site => site.unwrap_or(NONE).to_string(),
                _ => ALL.to_string(),
            })
            .collect()
    };
    let by_site = group_by.contains(&GroupBy::Site);
    let agent_site: HashMap<&str, Option<&str>> = data
        .roster
        .iter()
        .map(|r| (r.agent_key.as_str(), r.site.as_deref()))
        .collect();
    let mut groups: BTreeMap<Vec<String>, ()> = BTreeMap::new();
    if !by_site || matches!(kind, Kind::ReportDelivery) {
        groups.insert(labels_for(None), ());
    } else {
        for r in data.roster.iter().filter(|r| site_ok(r.site.as_deref())) {
            groups.insert(labels_for(r.site.as_deref()), ());
        }
    }
    let in_group = |labels: &[String], site: Option<&str>| -> bool {
        site_ok(site) && (!by_site || labels_for(site) == labels)
    };
    let required_initial = contract
        .doc
        .people
        .as_ref()
        .and_then(|p| p.initial_training_hours);
    groups
        .into_keys()
        .map(|labels| {
            let roster: Vec<_> = data
                .roster
                .iter()
                .filter(|r| in_group(&labels, r.site.as_deref()))
                .collect();
            let periods = grid
                .iter()
                .map(|p| {
                    let (first, last) = p.local_dates(tz);
                    let value = match kind {
                        Kind::Attrition { annualised } => {
                            records::attrition(&roster, first, last, *annualised)
                        }
                        Kind::Training { initial } => records::training(
                            &roster,
                            data.training,
                            first,
                            last,
                            *initial,
                            required_initial,
                        ),
                        Kind::Occupancy | Kind::Adherence => {
                            let days: Vec<_> = data
                                .agent_days
                                .iter()
                                .filter(|d| first <= d.date && d.date <= last)
                                .filter(|d| {
                                    let site =
                                        agent_site.get(d.agent_key.as_str()).copied().flatten();
                                    (scope.sites.is_empty() && !by_site) || in_group(&labels, site)
                                })
                                .collect();
                            records::agent_days(&days, matches!(kind, Kind::Adherence))
                        }
                        Kind::QaEvaluatedShare { n } => {
                            let evals: Vec<_> = data
                                .qa
                                .iter()
                                .filter(|e| p.contains(e.evaluated_at_ms))
                                .collect();
                            records::qa_share(&evals, &roster, first, last, *n)
                        }
                        Kind::ReportDelivery => {
                            let items: Vec<_> = data
                                .report_deliveries
                                .iter()
                                .filter(|d| first <= d.due_on && d.due_on <= last)
                                .collect();
                            records::delivery(&items)
                        }
                        _ => MetricValue::ratio(0.0, 0.0, 1.0, String::new()),
                    };
                    PeriodValue {
                        period: p.clone(),
                        value,
                    }
                })
                .collect();
            GroupResult {
                group: group_map(group_by, &labels),
                periods,
            }
        })
        .collect()
}
