//! Staffing a forecast against the contract's service level: the forecast read from a CSV file
//! (or text handed in), or estimated from a month in the store; the vendor's staffing plan read
//! the same way; then [`pacta_planning::staff`].
//!
//! Estimating from the store turns the month's inbound voice and chat contacts into a profile
//! per queue, day type (weekday or weekend) and interval of the day (calls per day, AHT, mean
//! patience = total time waited by all callers / abandoned callers, the maximum-likelihood
//! estimate for exponential patience), laid over every day of the following month.

use std::path::{Path, PathBuf};

use jiff::Timestamp;
use jiff::civil::{self, Weekday};
use pacta_contract::Contract;
use pacta_contract::model::Channel;
use pacta_core::{Lang, Month};
use pacta_planning::{
    Forecast, ForecastEstimate, ForecastRow, PlanOptions, QueueEstimate, StaffingPlan,
};

use crate::{OpError, OpResult, files};

/// A CSV input: a file, or text handed in (an upload), named for messages.
#[derive(Debug, Clone)]
pub enum CsvInput {
    /// A file on disk.
    File(PathBuf),
    /// Text handed in.
    Text {
        /// The name messages locate errors in (e.g. the uploaded file's name).
        name: String,
        /// The CSV text.
        bytes: Vec<u8>,
    },
}

impl CsvInput {
    fn read(&self) -> OpResult<(String, std::borrow::Cow<'_, [u8]>)> {
        match self {
            CsvInput::File(path) => Ok((path.display().to_string(), files::read(path)?.into())),
            CsvInput::Text { name, bytes } => Ok((name.clone(), bytes.as_slice().into())),
        }
    }
}

/// Reads a vendor's staffing plan (`interval_start,queue,agents`) as [`plan`] reads it, in
/// the contract's zone, so a file is refused on upload with the same located errors it would
/// get when planned; returns its number of rows.
pub fn check_staffing(contract: &Contract, input: &CsvInput) -> OpResult<usize> {
    let (name, bytes) = input.read()?;
    Ok(pacta_planning::parse_staffing(&bytes, &name, &contract.time_zone)?.len())
}

/// Where the intervals to staff come from.
#[derive(Debug, Clone)]
pub enum ForecastInput {
    /// A forecast CSV: `interval_start, queue, volume, aht_s` and optionally `patience_s` and
    /// `interval_minutes` ([`pacta_planning::parse_forecast`]).
    Csv(CsvInput),
    /// Estimated from `month` in the store, planned over the month after it.
    Store {
        /// The store directory.
        dir: PathBuf,
        /// The month of data to learn from.
        month: Month,
        /// Also write the estimated forecast there as a forecast CSV.
        write_forecast: Option<PathBuf>,
    },
}

/// What to plan: the forecast and, optionally, the vendor's staffing plan to check
/// (`interval_start, queue, agents`).
#[derive(Debug, Clone)]
pub struct PlanInput {
    /// The forecast.
    pub forecast: ForecastInput,
    /// The vendor's staffing plan.
    pub staffing: Option<CsvInput>,
}

/// Something worth telling the user while planning, in the order it happens.
#[derive(Debug, Clone, PartialEq)]
pub enum PlanNotice {
    /// A queue had contacts but none handled in the data month: it is left out of the plan.
    QueueWithoutHandledCalls {
        /// The queue.
        queue: String,
        /// The data month.
        month: Month,
    },
    /// The estimated forecast was written.
    ForecastWritten {
        /// The file.
        path: PathBuf,
    },
    /// Rows of the staffing plan match no forecast interval and were ignored.
    UnmatchedStaffingRows {
        /// The staffing file.
        file: String,
        /// How many rows.
        rows: usize,
    },
}

impl PlanNotice {
    /// The notice as the user reads it, in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (PlanNotice::QueueWithoutHandledCalls { queue, month }, Lang::En) => format!(
                "warning: queue `{queue}` has no handled calls in {month}; left out of the plan"
            ),
            (PlanNotice::QueueWithoutHandledCalls { queue, month }, Lang::Es) => format!(
                "aviso: la cola `{queue}` no tiene llamadas atendidas en {month}; queda fuera del plan"
            ),
            (PlanNotice::ForecastWritten { path }, _) => format!(
                "{} {}",
                lang.pick("forecast written to", "pronóstico escrito en"),
                path.display()
            ),
            (PlanNotice::UnmatchedStaffingRows { file, rows }, Lang::En) => format!(
                "warning: {rows} row(s) of {file} match no forecast interval and were ignored"
            ),
            (PlanNotice::UnmatchedStaffingRows { file, rows }, Lang::Es) => format!(
                "aviso: {rows} fila(s) de {file} no coinciden con ningún intervalo del pronóstico y se ignoraron"
            ),
        }
    }
}

/// Staffs `input`'s forecast against `contract` (see the module documentation). Nothing is
/// reported along the way: see [`plan_with_notices`].
pub fn plan(
    contract: &Contract,
    input: &PlanInput,
    options: &PlanOptions,
) -> OpResult<StaffingPlan> {
    plan_with_notices(contract, input, options, &mut |_| {})
}

/// [`plan`], telling `notice` what a user should hear as it happens (a queue left out, the
/// forecast written, staffing rows ignored).
pub fn plan_with_notices(
    contract: &Contract,
    input: &PlanInput,
    options: &PlanOptions,
    notice: &mut dyn FnMut(PlanNotice),
) -> OpResult<StaffingPlan> {
    options.validate()?;
    let tz = &contract.time_zone;
    let (forecast, estimate) = match &input.forecast {
        ForecastInput::Csv(csv) => {
            let (name, bytes) = csv.read()?;
            let forecast = pacta_planning::parse_forecast(
                &bytes,
                &name,
                tz,
                f64::from(options.interval_minutes),
                options.patience_s,
            )?;
            (forecast, None)
        }
        ForecastInput::Store {
            dir,
            month,
            write_forecast,
        } => {
            let (rows, estimate) = estimate_forecast(
                contract,
                dir,
                *month,
                options.interval_minutes,
                options.patience_s,
                notice,
            )?;
            if let Some(path) = write_forecast {
                files::write(path, pacta_planning::forecast_csv(&rows, tz)?.as_bytes())?;
                notice(PlanNotice::ForecastWritten { path: path.clone() });
            }
            if rows.is_empty() {
                return Err(OpError::NothingToEstimate { month: *month });
            }
            let forecast = Forecast {
                source: format!("store {} ({month})", dir.display()),
                rows,
                columns: Default::default(),
            };
            (forecast, Some(estimate))
        }
    };
    let staffing = match &input.staffing {
        Some(csv) => {
            let (name, bytes) = csv.read()?;
            Some(pacta_planning::parse_staffing(&bytes, &name, tz)?)
        }
        None => None,
    };
    let plan = pacta_planning::staff(contract, &forecast, staffing.as_ref(), options, estimate)?;
    if let Some(s) = &plan.staffing
        && s.unmatched_rows > 0
    {
        notice(PlanNotice::UnmatchedStaffingRows {
            file: s.file.clone(),
            rows: s.unmatched_rows,
        });
    }
    Ok(plan)
}

/// Per queue × day type × interval-of-day accumulators.
#[derive(Default, Clone, Copy)]
struct Acc {
    calls: u64,
    handled: u64,
    handle_ms: i128,
    abandoned: u64,
    waited: u64,
    wait_ms: i128,
}

impl Acc {
    fn add(&mut self, o: &Acc) {
        self.calls += o.calls;
        self.handled += o.handled;
        self.handle_ms += o.handle_ms;
        self.abandoned += o.abandoned;
        self.waited += o.waited;
        self.wait_ms += o.wait_ms;
    }

    fn aht_s(&self) -> Option<f64> {
        (self.handled > 0).then(|| self.handle_ms as f64 / self.handled as f64 / 1000.0)
    }

    /// Mean patience: total time waited by every caller (answered callers' waits are censored
    /// patience) over the abandoned callers — the exponential maximum-likelihood estimate,
    /// i.e. the average wait divided by the abandonment ratio.
    fn patience_s(&self) -> Option<f64> {
        (self.abandoned > 0 && self.wait_ms > 0)
            .then(|| self.wait_ms as f64 / self.abandoned as f64 / 1000.0)
    }
}

/// Calls per day, AHT and mean patience estimated for one interval of the day.
type SlotEstimate = (f64, f64, Option<f64>);

/// Abandons an interval-of-day slot needs for its own patience estimate; fewer use the
/// queue's whole-month estimate.
const MIN_SLOT_ABANDONS: u64 = 10;

fn is_weekend(d: civil::Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

/// The forecast for the month after `month`, estimated from its data in the store.
fn estimate_forecast(
    contract: &Contract,
    store_dir: &Path,
    month: Month,
    interval_min: u32,
    patience_option: Option<f64>,
    notice: &mut dyn FnMut(PlanNotice),
) -> OpResult<(Vec<ForecastRow>, ForecastEstimate)> {
    use pacta_data::model::{Outcome as O, channel_code};
    if interval_min == 0 || 1440 % interval_min != 0 {
        return Err(OpError::IntervalNotDividingDay {
            minutes: interval_min,
        });
    }
    let store = pacta_data::store::Store::open(store_dir)?;
    let id = &contract.doc.contract.id;
    if !store.months(id)?.contains(&month) {
        return Err(OpError::NoInteractions {
            contract_id: id.clone(),
            month,
            store: store_dir.to_path_buf(),
        });
    }
    let table = store.load_interactions(id, month)?;
    let (start_ms, end_ms) = month.bounds_ms(&contract.time_zone)?;
    let tz = &contract.time_zone;
    let slots = (1440 / interval_min) as usize;
    let channels = [Channel::VoiceIn, Channel::Chat];
    let codes: Vec<u8> = channels.iter().map(|c| channel_code(*c)).collect();
    // accumulators[queue dict index][weekend as usize][slot]
    let mut acc: Vec<[Vec<Acc>; 2]> = (0..table.queue_dict().len())
        .map(|_| [vec![Acc::default(); slots], vec![Acc::default(); slots]])
        .collect();
    let (answered, abandoned) = (O::Answered.code(), O::Abandoned.code());
    for r in 0..table.row_count() {
        let at = table.arrived_at_ms(r);
        if at < start_ms || at >= end_ms || !codes.contains(&table.channel_code(r)) {
            continue;
        }
        let Ok(ts) = Timestamp::from_millisecond(at) else {
            continue;
        };
        let local = tz.to_datetime(ts);
        let slot = ((i32::from(local.hour()) * 60 + i32::from(local.minute())) as usize)
            / interval_min as usize;
        let Some(q) = acc.get_mut(table.queue(r) as usize) else {
            continue;
        };
        let a = &mut q[usize::from(is_weekend(local.date()))][slot.min(slots - 1)];
        a.calls += 1;
        let outcome = table.outcome_code(r);
        if outcome == answered {
            if let Some(handle) = table.handle_time_ms(r) {
                a.handled += 1;
                a.handle_ms += i128::from(handle);
            }
            if let Some(answered_at) = table.answered_at_ms(r) {
                a.waited += 1;
                a.wait_ms += i128::from((answered_at - at).max(0));
            }
        } else if let Some(ended_at) = table.ended_at_ms(r) {
            // Abandoned callers' waits are their patience; other exits (timeouts, overflow)
            // are censored like answered ones.
            a.waited += 1;
            a.wait_ms += i128::from((ended_at - at).max(0));
            if outcome == abandoned {
                a.abandoned += 1;
            }
        }
    }
    let days: Vec<civil::Date> = month.days().collect();
    let weekend_days = days.iter().filter(|d| is_weekend(**d)).count() as u32;
    let weekdays = days.len() as u32 - weekend_days;
    let plan_month = month.next().ok_or(OpError::NoAdjacentMonth {
        month,
        before: false,
    })?;
    let mut queues = Vec::new();
    // Per queue: whole-month totals, then the per-slot profile.
    let mut order: Vec<usize> = (0..acc.len()).collect();
    let queues_of = table.queue_dict();
    order.sort_by(|a, b| queues_of[*a].cmp(&queues_of[*b]));
    struct Profile {
        queue: String,
        per_type: [Vec<Option<SlotEstimate>>; 2],
    }
    let mut profiles = Vec::new();
    for qi in order {
        let mut total = Acc::default();
        for s in acc[qi].iter().flatten() {
            total.add(s);
        }
        if total.calls == 0 {
            continue;
        }
        let queue = queues_of[qi].clone();
        let q_aht = total.aht_s();
        let q_patience = total.patience_s().or(patience_option);
        queues.push(QueueEstimate {
            queue: queue.clone(),
            interactions: total.calls as usize,
            answered: total.handled as usize,
            abandoned: total.abandoned as usize,
            aht_s: q_aht,
            abandon_share: total.abandoned as f64 / total.calls as f64,
            mean_wait_s: (total.waited > 0)
                .then(|| total.wait_ms as f64 / total.waited as f64 / 1000.0),
            patience_s: q_patience,
        });
        let Some(q_aht) = q_aht else {
            notice(PlanNotice::QueueWithoutHandledCalls { queue, month });
            continue;
        };
        let per_type = [0usize, 1].map(|w| {
            let n_days = if w == 1 { weekend_days } else { weekdays };
            acc[qi][w]
                .iter()
                .map(|a| {
                    if a.calls == 0 || n_days == 0 {
                        return None;
                    }
                    let volume = a.calls as f64 / f64::from(n_days);
                    let aht = a.aht_s().unwrap_or(q_aht);
                    let patience = if a.abandoned >= MIN_SLOT_ABANDONS {
                        a.patience_s()
                    } else {
                        q_patience
                    };
                    Some((volume, aht, patience))
                })
                .collect::<Vec<_>>()
        });
        profiles.push(Profile { queue, per_type });
    }
    let mut rows = Vec::new();
    for d in plan_month.days() {
        let w = usize::from(is_weekend(d));
        for slot in 0..slots {
            let minute = slot as i32 * interval_min as i32;
            let Ok(start) = d
                .at((minute / 60) as i8, (minute % 60) as i8, 0, 0)
                .to_zoned(tz.clone())
            else {
                continue;
            };
            for p in &profiles {
                if let Some((volume, aht_s, patience_s)) = p.per_type[w][slot] {
                    rows.push(ForecastRow {
                        line: 0,
                        start: start.timestamp(),
                        queue: p.queue.clone(),
                        volume,
                        aht_s,
                        patience_s,
                        interval_minutes: f64::from(interval_min),
                    });
                }
            }
        }
    }
    Ok((
        rows,
        ForecastEstimate {
            data_month: month.to_string(),
            plan_month: plan_month.to_string(),
            channels: channels.iter().map(|c| c.as_str()).collect(),
            weekdays_in_data_month: weekdays,
            weekend_days_in_data_month: weekend_days,
            queues,
        },
    ))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacta_planning::PlanningError;

    fn bank() -> Contract {
        let path =
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../examples/bank-inbound-manila.toml");
        crate::contract::load(&path).expect("the example contract loads")
    }

    fn text(name: &str, csv: &str) -> CsvInput {
        CsvInput::Text {
            name: name.into(),
            bytes: csv.as_bytes().to_vec(),
        }
    }

    const FORECAST: &str = "interval_start,queue,volume,aht_s,patience_s\n\
        2026-11-02 08:00,cards,100,180,\n\
        2026-11-02 08:00,web-chat,30,300,60\n";

    #[test]
    fn a_forecast_is_staffed_against_the_contract() {
        let input = PlanInput {
            forecast: ForecastInput::Csv(text("f.csv", FORECAST)),
            staffing: Some(text(
                "s.csv",
                "interval_start,queue,agents\n2026-11-02 08:00,cards,14\n2026-11-02 09:00,cards,3\n",
            )),
        };
        let mut notices = Vec::new();
        let plan = plan_with_notices(&bank(), &input, &PlanOptions::default(), &mut |n| {
            notices.push(n)
        })
        .expect("planned");
        assert_eq!(plan.contract_id, "AFB-MNL-2026");
        assert_eq!(plan.source, "f.csv");
        assert_eq!(plan.intervals.len(), 2);
        let cards = &plan.intervals[0];
        assert_eq!(cards.sla_id.as_deref(), Some("SL-VOICE"));
        assert_eq!(cards.interval_start, "2026-11-02T08:00:00+08:00");
        assert_eq!(cards.erlang_c.agents, 14);
        assert!(cards.erlang_a.is_none(), "no patience, no Erlang A");
        let chat = &plan.intervals[1];
        assert_eq!(chat.sla_id.as_deref(), Some("SL-CHAT-INTERVAL"));
        assert!(chat.erlang_a.is_some());
        let staffing = plan.staffing.as_ref().expect("checked");
        assert_eq!(staffing.intervals_missing, 1, "no web-chat row");
        assert_eq!(staffing.unmatched_rows, 1);
        assert!(plan.has_intervals_at_risk());
        assert_eq!(
            notices,
            [PlanNotice::UnmatchedStaffingRows {
                file: "s.csv".into(),
                rows: 1
            }]
        );
        assert_eq!(
            notices[0].message(Lang::Es),
            "aviso: 1 fila(s) de s.csv no coinciden con ningún intervalo del pronóstico y se ignoraron"
        );
    }

    #[test]
    fn options_are_checked_before_any_file_is_read() {
        let input = PlanInput {
            forecast: ForecastInput::Csv(CsvInput::File("/nonexistent/forecast.csv".into())),
            staffing: None,
        };
        let options = PlanOptions {
            target: Some(1.5),
            ..PlanOptions::default()
        };
        let err = plan(&bank(), &input, &options).expect_err("target above 100 %");
        assert!(matches!(
            err,
            OpError::Planning(PlanningError::InvalidOption(_))
        ));
        let err = plan(&bank(), &input, &PlanOptions::default()).expect_err("no such file");
        assert!(err.is_file_error());
    }

    #[test]
    fn an_unknown_sla_is_refused_with_the_service_level_ones() {
        let input = PlanInput {
            forecast: ForecastInput::Csv(text("f.csv", FORECAST)),
            staffing: None,
        };
        let options = PlanOptions {
            sla: Some("NOPE".into()),
            ..PlanOptions::default()
        };
        let err = plan(&bank(), &input, &options).expect_err("unknown SLA");
        assert_eq!(
            pacta_core::Localized::message(&err, Lang::En),
            "--sla: no SLA `NOPE` in the contract; service-level SLAs: SL-VOICE, SL-CHAT-INTERVAL"
        );
    }

    #[test]
    fn estimating_needs_the_month_in_the_store_and_intervals_dividing_the_day() {
        let dir = tempfile::tempdir().expect("temp dir");
        let month = Month::parse("2026-10").expect("month");
        let from_store = |interval_minutes| {
            let input = PlanInput {
                forecast: ForecastInput::Store {
                    dir: dir.path().to_path_buf(),
                    month,
                    write_forecast: None,
                },
                staffing: None,
            };
            let options = PlanOptions {
                interval_minutes,
                ..PlanOptions::default()
            };
            plan(&bank(), &input, &options).expect_err("nothing to estimate from")
        };
        assert!(matches!(
            from_store(7),
            OpError::IntervalNotDividingDay { minutes: 7 }
        ));
        let err = from_store(30);
        assert!(matches!(err, OpError::NoInteractions { .. }), "{err:?}");
        assert_eq!(pacta_core::Localized::code(&err), "month-no-interactions");
    }
}
