//! A month by interval of the day: each service-level SLA measured per interval and judged
//! against the target in force on that interval's date (the dashboard's day × interval
//! heatmap), and the agents Erlang C requires per interval of the month next to the vendor's
//! plan, from a forecast estimated the way `pacta plan --from-store` estimates it.
//!
//! Everything is laid out as days (rows) × intervals of the day (columns), in the contract's
//! zone, so a front end only draws it.

use std::collections::BTreeMap;

use pacta_contract::{Contract, Measure};
use pacta_core::Month;
use pacta_data::store::Store;
use pacta_planning::{PlanOptions, StaffingPlan};
use rust_decimal::Decimal;
use serde::Serialize;

use crate::kpi::{KpiQuery, measure};
use crate::plan::{ForecastInput, PlanInput, plan};
use crate::{OpError, OpResult};

/// The interval length of the heatmap of an SLA that does not name one (a month SLA).
pub const DEFAULT_INTERVAL_MINUTES: u32 = 30;

/// How one interval fared.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum IntervalVerdict {
    /// At or better than the target in force that day.
    Met,
    /// Worse than the target in force that day.
    Missed,
    /// No contacts counted in the interval: nothing to judge.
    NoTraffic,
    /// Contacts, but no target in force on that date.
    NoTarget,
}

/// One interval of one day.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalCell {
    /// Local start, `HH:MM`.
    pub start: String,
    /// The measured value (percent), `None` without traffic.
    pub value: Option<Decimal>,
    /// Contacts the value counts (the formula's denominator).
    pub contacts: u64,
    /// The expected level in force that day.
    pub expected: Option<Decimal>,
    /// The verdict.
    pub verdict: IntervalVerdict,
}

/// One local day's intervals, in time order.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct IntervalDay {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// One cell per column of the grid (`None`: the day has no such interval, as on the day a
    /// clock change skips an hour).
    pub cells: Vec<Option<IntervalCell>>,
}

/// One service-level SLA of the month as days × intervals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ServiceLevelGrid {
    /// SLA id.
    pub sla_id: String,
    /// SLA name.
    pub name: String,
    /// Interval length in minutes.
    pub interval_minutes: u32,
    /// The columns: local interval starts, `HH:MM`, in order.
    pub starts: Vec<String>,
    /// The rows.
    pub days: Vec<IntervalDay>,
    /// Cells per verdict.
    pub met: u64,
    /// Cells missed.
    pub missed: u64,
    /// Cells without traffic.
    pub no_traffic: u64,
}

/// Every service-level SLA of `contract` measured per interval over `month`'s data (the
/// SLA's own interval length, [`DEFAULT_INTERVAL_MINUTES`] for a month SLA), each interval
/// judged with [`pacta_settle::month::period_verdict`]. Raw measurements, as `pacta kpi
/// --interval`: exclusions are settlement's.
pub fn service_level_grids(
    store: &Store,
    contract: &Contract,
    month: Month,
) -> OpResult<Vec<ServiceLevelGrid>> {
    let slas: Vec<_> = contract
        .slas()
        .iter()
        .filter(|s| matches!(s.measure, Measure::ServiceLevel { .. }))
        .collect();
    // One measurement per interval length (usually one for the whole contract).
    let mut by_length: BTreeMap<u32, Vec<String>> = BTreeMap::new();
    for s in &slas {
        by_length
            .entry(s.interval_minutes.unwrap_or(DEFAULT_INTERVAL_MINUTES))
            .or_default()
            .push(s.id.clone());
    }
    let mut grids = Vec::new();
    for (minutes, ids) in by_length {
        let query = KpiQuery {
            slas: ids.clone(),
            interval_minutes: Some(minutes),
            ..KpiQuery::default()
        };
        let report = measure(store, contract, month, &query)?;
        for id in ids {
            let sla = contract.sla(&id).ok_or_else(|| OpError::UnknownSla {
                id: id.clone(),
                known: contract.slas().iter().map(|s| s.id.clone()).collect(),
            })?;
            let periods = report
                .get(&id)
                .and_then(|r| r.groups.first())
                .map(|g| g.periods.as_slice())
                .unwrap_or_default();
            let mut rows: BTreeMap<String, BTreeMap<String, IntervalCell>> = BTreeMap::new();
            let (mut met, mut missed, mut no_traffic) = (0, 0, 0);
            for p in periods {
                let (day, start) = local_day_and_start(&p.period.label);
                let verdict = pacta_settle::month::period_verdict(contract, sla, p);
                let contacts = p.value.denominator.max(0.0).round() as u64;
                let cell = match (p.value.value, verdict) {
                    (None, _) => IntervalCell {
                        start: start.clone(),
                        value: None,
                        contacts,
                        expected: None,
                        verdict: IntervalVerdict::NoTraffic,
                    },
                    (Some(_), Some(v)) => IntervalCell {
                        start: start.clone(),
                        value: Some(v.value.round_dp(2)),
                        contacts,
                        expected: Some(v.expected),
                        verdict: if v.met_expected {
                            IntervalVerdict::Met
                        } else {
                            IntervalVerdict::Missed
                        },
                    },
                    (Some(value), None) => IntervalCell {
                        start: start.clone(),
                        value: Decimal::try_from(value).ok().map(|d| d.round_dp(2)),
                        contacts,
                        expected: None,
                        verdict: IntervalVerdict::NoTarget,
                    },
                };
                match cell.verdict {
                    IntervalVerdict::Met => met += 1,
                    IntervalVerdict::Missed => missed += 1,
                    IntervalVerdict::NoTraffic => no_traffic += 1,
                    IntervalVerdict::NoTarget => {}
                }
                // On the day clocks go back the repeated hour keeps its first occurrence in
                // the grid (the totals count both).
                rows.entry(day).or_default().entry(start).or_insert(cell);
            }
            let (starts, days) = lay_out(rows);
            let days = days
                .into_iter()
                .map(|(day, cells)| IntervalDay { day, cells })
                .collect();
            grids.push(ServiceLevelGrid {
                sla_id: sla.id.clone(),
                name: sla.name.clone(),
                interval_minutes: minutes,
                starts,
                days,
                met,
                missed,
                no_traffic,
            });
        }
    }
    // Contract order.
    grids.sort_by_key(|g| slas.iter().position(|s| s.id == g.sla_id));
    Ok(grids)
}

/// `2026-10-05T08:30+08:00` (or `2026-10-05 08:30`) → (`2026-10-05`, `08:30`).
fn local_day_and_start(label: &str) -> (String, String) {
    let (day, rest) = label.split_once(['T', ' ']).unwrap_or((label, "00:00"));
    (day.to_string(), rest.chars().take(5).collect())
}

/// Rows keyed by day and start → the columns (every start seen, in order) and each day's
/// cells in column order.
type Laid<T> = (Vec<String>, Vec<(String, Vec<Option<T>>)>);

fn lay_out<T>(rows: BTreeMap<String, BTreeMap<String, T>>) -> Laid<T> {
    let mut starts: Vec<String> = rows.values().flat_map(|r| r.keys().cloned()).collect();
    starts.sort();
    starts.dedup();
    let days = rows
        .into_iter()
        .map(|(day, mut cells)| {
            let cells = starts.iter().map(|s| cells.remove(s)).collect();
            (day, cells)
        })
        .collect();
    (starts, days)
}

/// One interval's staffing: what the forecast asks for and what the vendor planned.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffingCell {
    /// Local start, `HH:MM`.
    pub start: String,
    /// Forecast contacts (all queues).
    pub volume: f64,
    /// Agents Erlang C requires on the phones to meet the target (all queues).
    pub required: u32,
    /// Agents the vendor planned (all queues), when its plan was given.
    pub planned: Option<u32>,
}

/// One local day of the staffing grid.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffingDay {
    /// `YYYY-MM-DD`.
    pub day: String,
    /// One cell per column.
    pub cells: Vec<Option<StaffingCell>>,
}

/// The month's staffing as days × intervals.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct StaffingGrid {
    /// The month whose contacts the forecast was estimated from.
    pub estimated_from: Month,
    /// Contacts forecast over the month (all queues).
    pub forecast_contacts: f64,
    /// The columns.
    pub starts: Vec<String>,
    /// The rows.
    pub days: Vec<StaffingDay>,
    /// Whether the vendor's plan was given.
    pub vendor_plan: bool,
    /// Intervals where the vendor planned fewer agents than required.
    pub short_intervals: u64,
}

/// Why the month's staffing cannot be shown.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case", tag = "reason")]
pub enum NoStaffing {
    /// The store has no data for the month before, to estimate this month's forecast from.
    NoForecast {
        /// The month the forecast would be learnt from.
        from: Option<Month>,
    },
}

/// The staffing `month` needs: the forecast estimated from the month before in the store
/// (`pacta plan --from-store PREVIOUS`, which plans the month after it), staffed with
/// [`plan`] against the contract's service level with default options, checked against the
/// vendor's plan when one is given.
pub fn staffing_grid(
    store: &Store,
    contract: &Contract,
    month: Month,
    vendor_plan: Option<crate::plan::CsvInput>,
) -> OpResult<Result<StaffingGrid, NoStaffing>> {
    let Some(from) = month.prev() else {
        return Ok(Err(NoStaffing::NoForecast { from: None }));
    };
    let input = PlanInput {
        forecast: ForecastInput::Store {
            dir: store.dir().to_path_buf(),
            month: from,
            write_forecast: None,
        },
        staffing: vendor_plan,
    };
    let planned = match plan(contract, &input, &PlanOptions::default()) {
        Ok(p) => p,
        Err(OpError::NothingToEstimate { .. }) => {
            return Ok(Err(NoStaffing::NoForecast { from: Some(from) }));
        }
        Err(e) => return Err(e),
    };
    Ok(Ok(grid_of(&planned, from)))
}

fn grid_of(p: &StaffingPlan, estimated_from: Month) -> StaffingGrid {
    let mut rows: BTreeMap<String, BTreeMap<String, StaffingCell>> = BTreeMap::new();
    for r in &p.intervals {
        let (day, start) = local_day_and_start(&r.interval_start);
        let cell = rows
            .entry(day)
            .or_default()
            .entry(start.clone())
            .or_insert(StaffingCell {
                start,
                volume: 0.0,
                required: 0,
                planned: p.staffing.as_ref().map(|_| 0),
            });
        cell.volume += r.volume;
        cell.required += r.erlang_c.agents;
        if let (Some(total), Some(planned)) = (cell.planned.as_mut(), &r.planned) {
            *total += planned.agents;
        }
    }
    let short_intervals = rows
        .values()
        .flat_map(|r| r.values())
        .filter(|c| c.planned.is_some_and(|n| n < c.required))
        .count() as u64;
    let (starts, days) = lay_out(rows);
    let days = days
        .into_iter()
        .map(|(day, cells)| StaffingDay { day, cells })
        .collect();
    StaffingGrid {
        estimated_from,
        forecast_contacts: p.totals.volume,
        starts,
        days,
        vendor_plan: p.staffing.is_some(),
        short_intervals,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn labels_split_into_day_and_start() {
        assert_eq!(
            local_day_and_start("2026-10-05T08:30+08:00"),
            ("2026-10-05".into(), "08:30".into())
        );
        assert_eq!(
            local_day_and_start("2026-11-02 23:30"),
            ("2026-11-02".into(), "23:30".into())
        );
    }

    #[test]
    fn a_grid_has_every_start_as_a_column_and_gaps_as_none() {
        let cell = |start: &str| IntervalCell {
            start: start.into(),
            value: None,
            contacts: 0,
            expected: None,
            verdict: IntervalVerdict::NoTraffic,
        };
        let mut rows: BTreeMap<String, BTreeMap<String, IntervalCell>> = BTreeMap::new();
        for (day, start) in [("d1", "00:00"), ("d1", "00:30"), ("d2", "00:30")] {
            rows.entry(day.into())
                .or_default()
                .insert(start.into(), cell(start));
        }
        let (starts, days) = lay_out(rows);
        assert_eq!(starts, ["00:00", "00:30"]);
        assert_eq!(days.len(), 2);
        assert_eq!(days[1].0, "d2");
        assert!(days[1].1[0].is_none());
        assert_eq!(
            days[1].1[1].as_ref().map(|c| c.start.as_str()),
            Some("00:30")
        );
    }
}
