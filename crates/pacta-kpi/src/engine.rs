//! Orchestration: plan, periods, FCR structure, the one pass, and per-request aggregation.

use std::collections::{BTreeMap, HashMap};

use pacta_contract::{Channel, ContactScope, Contract, Measure, PeriodKind};
use pacta_core::Month;
use pacta_data::model::{InteractionTable, channel_from_code};

use crate::calendar::Hours;
use crate::cells::{CellPlan, Dicts};
use crate::formulas::{Sums, interaction_value};
use crate::layout::{self, Layout};
use crate::period::{BaseGrid, Period, periods};
use crate::scan::{Accum, ComboKey, ScanCtx, scan};
use crate::{
    GroupBy, GroupResult, KpiError, KpiInputs, KpiReport, KpiRequest, MetricValue, PeriodValue,
    RequestResult, ScanSummary, record_metrics, repeat,
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
    if data.cells.is_none() {
        check_table(table)?;
        if !data.exclusion_marks.is_empty() && data.exclusion_marks.len() != table.row_count() {
            return Err(KpiError::RaggedTable {
                column: "exclusion_marks",
                len: data.exclusion_marks.len(),
                expected: table.row_count(),
            });
        }
        if !table.first_responses_loaded()
            && let Some(r) = requests.iter().find(|r| r.measure.reads_first_response())
        {
            return Err(KpiError::FirstResponseNotLoaded { id: r.id.clone() });
        }
    } else if !data.exclusion_marks.is_empty() && data.exclusion_windows.is_empty() {
        // An external engine marks rows from the windows; marks alone cannot reach it.
        return Err(KpiError::Engine(
            "exclusion marks were given without their windows".into(),
        ));
    }
    let Prepared {
        grids,
        inter,
        layout,
        base,
    } = prepare(contract, month, requests)?;
    let threads = std::thread::available_parallelism().map_or(1, |n| n.get());
    let mut summary = ScanSummary {
        rows: table.row_count() as u64,
        ..ScanSummary::default()
    };
    let mut dicts = Dicts::default();
    let acc = if inter.is_empty() {
        None
    } else {
        let hours = hours_for(contract, &layout, &base)?;
        let acc = match data.cells {
            Some(source) => {
                let plan = CellPlan {
                    layout: layout.clone(),
                    bounds: base.bounds.clone(),
                    open: hours.open_intervals(),
                    windows: data.exclusion_windows.to_vec(),
                };
                // cell_plan builds the same plan for `pacta engine sql`.
                let cells = source.cells(&plan)?;
                summary.rows = cells.rows;
                let (acc, external_dicts) = cells.into_accum(&plan)?;
                dicts = external_dicts;
                acc
            }
            None => {
                dicts = Dicts::of(table);
                local_scan(table, data, &layout, &base, &hours, threads)
            }
        };
        summary.rows_in_periods = acc.in_periods;
        summary.invalid_rows = acc.invalid;
        summary.outside_hours = acc.outside;
        Some(acc)
    };

    let mut links: Option<Links<'_>> = None;
    let mut results = Vec::with_capacity(requests.len());
    for (i, req) in requests.iter().enumerate() {
        let measure = &req.measure;
        let grid = &grids[i];
        let scope = &req.scope;
        let groups = if measure.reads_interactions() {
            match &acc {
                Some(acc) => interaction_groups(
                    contract,
                    &dicts,
                    acc,
                    &layout,
                    &base,
                    measure,
                    grid,
                    scope,
                    req.exclude_marks,
                    group_by,
                ),
                None => Vec::new(),
            }
        } else if matches!(
            measure,
            Measure::Csat { .. } | Measure::Nps | Measure::FcrSurvey | Measure::QaScore
        ) {
            // Unscoped and ungrouped, every record counts wherever its interaction is: no
            // need to find the interaction rows (the most expensive step of survey metrics).
            let links: Option<&Links<'_>> = if scope.is_everything() && group_by.is_empty() {
                None
            } else if !table.source_ids_loaded() {
                return Err(KpiError::SourceIdsNotLoaded { id: req.id.clone() });
            } else {
                Some(links.get_or_insert_with(|| build_links(data)))
            };
            linked_groups(
                data,
                links,
                measure,
                grid,
                scope,
                req.exclude_marks,
                group_by,
            )
        } else {
            roster_groups(contract, data, measure, grid, scope, group_by)
        };
        results.push(RequestResult {
            request: req.clone(),
            unit: measure.unit(),
            direction: measure.direction(),
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

/// What every way of counting shares: each request's periods, the requests that read
/// interactions, their counter layout and the base grid of periods.
struct Prepared {
    grids: Vec<Vec<Period>>,
    inter: Vec<usize>,
    layout: Layout,
    base: BaseGrid,
}

fn prepare(
    contract: &Contract,
    month: Month,
    requests: &[KpiRequest],
) -> Result<Prepared, KpiError> {
    let grids: Vec<Vec<Period>> = requests
        .iter()
        .map(|r| {
            let kind = if r.measure.is_date_based() && r.period == PeriodKind::Interval {
                PeriodKind::Day
            } else {
                r.period
            };
            periods(kind, r.interval_minutes, month, &contract.time_zone)
        })
        .collect::<Result<_, _>>()?;
    let inter: Vec<usize> = (0..requests.len())
        .filter(|&i| requests[i].measure.reads_interactions())
        .collect();
    let layout = Layout::new(
        inter
            .iter()
            .map(|&i| (&requests[i].measure, requests[i].exclude_marks)),
    );
    let base = BaseGrid::new(inter.iter().map(|&i| grids[i].as_slice()));
    Ok(Prepared {
        grids,
        inter,
        layout,
        base,
    })
}

/// Hours of operation over the base grid, and past it as far as a response can run.
fn hours_for(contract: &Contract, layout: &Layout, base: &BaseGrid) -> Result<Hours, KpiError> {
    let extra = if layout.resp.is_empty() { 1 } else { 62 };
    Hours::covering(
        &contract.doc.calendar,
        &contract.time_zone,
        base.start(),
        base.end(),
        extra,
    )
}

/// The cells [`compute`] would ask an external engine to count for these requests
/// (`None` when no request reads interactions), with rows marked by `windows`.
pub fn cell_plan(
    contract: &Contract,
    month: Month,
    requests: &[KpiRequest],
    windows: &[crate::ExclusionWindow],
) -> Result<Option<CellPlan>, KpiError> {
    let p = prepare(contract, month, requests)?;
    if p.inter.is_empty() {
        return Ok(None);
    }
    let hours = hours_for(contract, &p.layout, &p.base)?;
    Ok(Some(CellPlan {
        open: hours.open_intervals(),
        layout: p.layout,
        bounds: p.base.bounds,
        windows: windows.to_vec(),
    }))
}

/// The one pass over the local interaction columns.
fn local_scan(
    table: &InteractionTable,
    data: &KpiInputs<'_>,
    layout: &Layout,
    base: &BaseGrid,
    hours: &Hours,
    threads: usize,
) -> Accum {
    let fcr_bits = repeat::repeat_flags(table, &layout.fcr, data.exclusion_marks, threads);
    let disp_slot = table
        .disposition_dict()
        .iter()
        .map(|d| {
            let d = pacta_data::model::disposition_key(d);
            layout
                .disps
                .iter()
                .position(|x| *x == d)
                .map_or(u8::MAX, |p| p.min(254) as u8)
        })
        .collect();
    let ctx = ScanCtx {
        t: table,
        grid: base,
        hours,
        layout,
        fcr_bits: &fcr_bits,
        marks: data.exclusion_marks,
        disp_slot,
    };
    scan(&ctx, threads)
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
    let mut reqs: Vec<KpiRequest> = contract.slas().iter().map(KpiRequest::for_sla).collect();
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
    match t.ragged_column() {
        Some((column, len)) => Err(KpiError::RaggedTable {
            column,
            len,
            expected: t.row_count(),
        }),
        None => Ok(()),
    }
}

fn dict(d: &[String], i: u32) -> Option<&str> {
    if i == crate::scan::ABSENT {
        None
    } else {
        d.get(i as usize).map(String::as_str)
    }
}

fn combo_parts<'t>(
    t: &'t Dicts,
    k: &ComboKey,
) -> (
    Option<Channel>,
    Option<&'t str>,
    Option<&'t str>,
    Option<&'t str>,
) {
    (
        channel_from_code(k.ch),
        dict(&t.queue, k.q),
        dict(&t.site, k.s),
        dict(&t.language, k.l),
    )
}

fn combo_labels(t: &Dicts, k: &ComboKey, group_by: &[GroupBy]) -> Vec<String> {
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
    t: &Dicts,
    acc: &Accum,
    layout: &Layout,
    base: &BaseGrid,
    measure: &Measure,
    grid: &[Period],
    scope: &ContactScope,
    exclude: u8,
    group_by: &[GroupBy],
) -> Vec<GroupResult> {
    let outside_included =
        contract.doc.calendar.include_outside_hours || measure.reads_first_response();
    let mut groups: BTreeMap<Vec<String>, Vec<usize>> = BTreeMap::new();
    if group_by.is_empty() {
        groups.insert(Vec::new(), Vec::new());
    }
    for (slot, key) in acc.combos.iter().enumerate() {
        let (ch, q, s, l) = combo_parts(t, key);
        if key.x & exclude == 0 && scope.covers(ch, q, s, l) {
            groups
                .entry(combo_labels(t, key, group_by))
                .or_default()
                .push(slot);
        }
    }
    let k = layout.k;
    let nb = acc.nb;
    let want_waits = matches!(measure, Measure::WaitPercentile { .. });
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
                                    outside_rows += c[layout::A]
                                        + c[layout::AB]
                                        + c[layout::X]
                                        + c[layout::IN_PROGRESS];
                                }
                                if include {
                                    for (j, (d, x)) in v.iter_mut().zip(c).enumerate() {
                                        if j == layout::MAX_WAIT {
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
                        value: interaction_value(measure, exclude, &sums, &mut waits),
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
pub(crate) type Links<'a> = HashMap<&'a str, u32, ahash::RandomState>;

/// Interaction rows referenced by surveys and QA evaluations, by `source_id`.
pub(crate) fn build_links<'a>(data: &KpiInputs<'a>) -> Links<'a> {
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
    let t = data.interactions;
    let ids = (0..t.row_count()).map_while(|row| t.source_id(row).map(|id| (row, id)));
    for (row, id) in ids {
        if let Some(slot) = wanted.get_mut(id)
            && *slot == u32::MAX
        {
            *slot = row as u32;
        }
    }
    wanted.retain(|_, r| *r != u32::MAX);
    wanted
}

pub(crate) fn period_of(grid: &[Period], t: i64) -> Option<usize> {
    let i = grid.partition_point(|p| p.start_ms <= t);
    (i > 0 && grid[i - 1].contains(t)).then(|| i - 1)
}

fn linked_groups(
    data: &KpiInputs<'_>,
    links: Option<&Links<'_>>,
    measure: &Measure,
    grid: &[Period],
    scope: &ContactScope,
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
    let dicts = Dicts::of(t);
    let place = |id: Option<&str>| -> Result<Vec<String>, ()> {
        if links.is_none() {
            // Only built without links when unscoped and ungrouped: everything counts.
            return Ok(Vec::new());
        }
        match id.and_then(row_of) {
            Some(r) => {
                let key = ComboKey {
                    ch: t.channel_code(r),
                    q: t.queue(r),
                    s: t.site(r).unwrap_or(crate::scan::ABSENT),
                    l: t.language(r).unwrap_or(crate::scan::ABSENT),
                    x: 0,
                };
                let (ch, q, s, l) = combo_parts(&dicts, &key);
                if scope.covers(ch, q, s, l) {
                    Ok(combo_labels(&dicts, &key, group_by))
                } else {
                    Err(())
                }
            }
            None if scope.is_everything() => {
                Ok(group_by.iter().map(|_| UNLINKED.to_string()).collect())
            }
            None => Err(()),
        }
    };
    if matches!(measure, Measure::QaScore) {
        let bins = bin_by_period(
            data.qa,
            grid,
            group_by,
            |e| (e.evaluated_at_ms, e.interaction_id.as_deref()),
            &place,
            &row_of,
        );
        return bins.into_groups(grid, group_by, |items, unlinked| {
            record_metrics::qa_value(items, unlinked)
        });
    }
    let bins = bin_by_period(
        data.surveys,
        grid,
        group_by,
        |s| (s.answered_at_ms, Some(s.interaction_id.as_str())),
        &place,
        &row_of,
    );
    bins.into_groups(grid, group_by, |items, unlinked| {
        record_metrics::survey_value(measure, items, unlinked)
    })
}

/// Records (surveys or QA evaluations) placed in groups and periods, and per period the
/// records left out because they link to no interaction the request keeps.
struct Bins<'r, R> {
    by_group: BTreeMap<Vec<String>, Vec<Vec<&'r R>>>,
    unlinked_excluded: Vec<u64>,
}

impl<'r, R> Bins<'r, R> {
    fn into_groups(
        self,
        grid: &[Period],
        group_by: &[GroupBy],
        value: impl Fn(&[&'r R], u64) -> MetricValue,
    ) -> Vec<GroupResult> {
        let unlinked = &self.unlinked_excluded;
        self.by_group
            .into_iter()
            .map(|(labels, per)| GroupResult {
                group: group_map(group_by, &labels),
                periods: grid
                    .iter()
                    .zip(per)
                    .enumerate()
                    .map(|(pi, (p, items))| PeriodValue {
                        period: p.clone(),
                        value: value(&items, unlinked[pi]),
                    })
                    .collect(),
            })
            .collect()
    }
}

/// Where a record that links to an interaction (by source id) goes: its group labels, or
/// `Err` when the interaction is out of the request's scope.
type Placer<'p> = dyn Fn(Option<&str>) -> Result<Vec<String>, ()> + 'p;

/// Bins records by the period of their time stamp and the group of the interaction they
/// link to (`place`: the group labels, or `Err` when the record is out of scope).
fn bin_by_period<'r, R>(
    records: &'r [R],
    grid: &[Period],
    group_by: &[GroupBy],
    stamp_and_link: impl Fn(&R) -> (i64, Option<&str>),
    place: &Placer<'_>,
    row_of: &dyn Fn(&str) -> Option<usize>,
) -> Bins<'r, R> {
    let np = grid.len();
    let mut bins = Bins {
        by_group: BTreeMap::new(),
        unlinked_excluded: vec![0u64; np],
    };
    if group_by.is_empty() {
        bins.by_group.insert(Vec::new(), vec![Vec::new(); np]);
    }
    for record in records {
        let (at, link) = stamp_and_link(record);
        let Some(p) = period_of(grid, at) else {
            continue;
        };
        match place(link) {
            Ok(labels) => bins
                .by_group
                .entry(labels)
                .or_insert_with(|| vec![Vec::new(); np])[p]
                .push(record),
            Err(()) => {
                if link.and_then(row_of).is_none() {
                    bins.unlinked_excluded[p] += 1;
                }
            }
        }
    }
    bins
}

fn roster_groups(
    contract: &Contract,
    data: &KpiInputs<'_>,
    measure: &Measure,
    grid: &[Period],
    scope: &ContactScope,
    group_by: &[GroupBy],
) -> Vec<GroupResult> {
    let tz = &contract.time_zone;
    let site_ok = |s: Option<&str>| scope.covers_site(s);
    let all_sites = scope.written().sites.is_empty();
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
    if !by_site || matches!(measure, Measure::ReportDelivery) {
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
                    let value = match measure {
                        Measure::Attrition { annualised } => {
                            record_metrics::attrition(&roster, first, last, *annualised)
                        }
                        Measure::TrainingHours { initial } => record_metrics::training(
                            &roster,
                            data.training,
                            first,
                            last,
                            *initial,
                            required_initial,
                        ),
                        Measure::Occupancy | Measure::Adherence => {
                            let days: Vec<_> = data
                                .agent_days
                                .iter()
                                .filter(|d| first <= d.date && d.date <= last)
                                .filter(|d| {
                                    let site =
                                        agent_site.get(d.agent_key.as_str()).copied().flatten();
                                    (all_sites && !by_site) || in_group(&labels, site)
                                })
                                .collect();
                            record_metrics::agent_days(&days, matches!(measure, Measure::Adherence))
                        }
                        Measure::QaEvaluatedShare {
                            evaluations_per_agent: n,
                        } => {
                            let evals: Vec<_> = data
                                .qa
                                .iter()
                                .filter(|e| p.contains(e.evaluated_at_ms))
                                .collect();
                            record_metrics::qa_share(&evals, &roster, first, last, *n)
                        }
                        Measure::ReportDelivery => {
                            let items: Vec<_> = data
                                .report_deliveries
                                .iter()
                                .filter(|d| first <= d.due_on && d.due_on <= last)
                                .collect();
                            record_metrics::delivery(&items)
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
