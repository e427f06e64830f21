//! Measurement periods cut in the contract's time zone.
//!
//! Every boundary is computed once, with `jiff`, as a UTC millisecond instant; rows are then
//! bucketed by binary search over those instants, never by converting each row's time stamp
//! to local time. Days are local calendar days, so a daylight-saving day has 23 or 25 hours
//! and its interval grid 46 or 50 half-hours. Interval boundaries step in absolute time from
//! local midnight, which keeps them on local clock multiples of the interval whenever the
//! zone shifts by whole hours.

use jiff::civil::Date;
use jiff::tz::TimeZone;
use jiff::{Timestamp, ToSpan};
use pacta_contract::PeriodKind;
use pacta_core::Month;
use serde::Serialize;

use crate::KpiError;

/// One measurement period: `[start_ms, end_ms)` in UTC milliseconds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Period {
    /// Granularity.
    pub kind: PeriodKind,
    /// Human label in the contract's zone: `2026-03-08T01:30-05:00`, `2026-03-08`, `2026-W10`,
    /// `2026-03`, `2026-Q1`.
    pub label: String,
    /// First instant, UTC ms (inclusive).
    pub start_ms: i64,
    /// End instant, UTC ms (exclusive).
    pub end_ms: i64,
}

impl Period {
    /// Whether `t` (UTC ms) falls in the period.
    pub fn contains(&self, t: i64) -> bool {
        self.start_ms <= t && t < self.end_ms
    }

    /// The local calendar dates the period covers, `[first, last]` (for day-based records).
    pub fn local_dates(&self, tz: &TimeZone) -> (Date, Date) {
        let first = local_date(tz, self.start_ms);
        let last = local_date(tz, self.end_ms - 1);
        (first, last)
    }
}

/// The local date of a UTC instant.
pub fn local_date(tz: &TimeZone, ms: i64) -> Date {
    match Timestamp::from_millisecond(ms) {
        Ok(ts) => ts.to_zoned(tz.clone()).date(),
        Err(_) => Date::ZERO,
    }
}

/// The first instant of a local day, UTC ms.
pub fn day_start(tz: &TimeZone, d: Date) -> Result<i64, KpiError> {
    d.to_zoned(tz.clone())
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|e| KpiError::Time(e.to_string()))
}

fn next_day(d: Date) -> Result<Date, KpiError> {
    d.tomorrow().map_err(|e| KpiError::Time(e.to_string()))
}

fn label_instant(tz: &TimeZone, ms: i64) -> String {
    match Timestamp::from_millisecond(ms) {
        Ok(ts) => ts
            .to_zoned(tz.clone())
            .strftime("%Y-%m-%dT%H:%M%:z")
            .to_string(),
        Err(_) => ms.to_string(),
    }
}

/// The periods of `kind` that intersect `month`, each with its full extent (an ISO week or
/// quarter may reach outside the month; data outside the month is used for it when present).
pub fn periods(
    kind: PeriodKind,
    interval_minutes: Option<u32>,
    month: Month,
    tz: &TimeZone,
) -> Result<Vec<Period>, KpiError> {
    let first = month.first_day();
    let last = month.last_day();
    let mut out = Vec::new();
    match kind {
        PeriodKind::Interval => {
            let minutes = interval_minutes.unwrap_or(30);
            if !matches!(minutes, 15 | 30 | 60) {
                return Err(KpiError::BadInterval { minutes });
            }
            let step = i64::from(minutes) * 60_000;
            let mut d = first;
            while d <= last {
                let s = day_start(tz, d)?;
                let e = day_start(tz, next_day(d)?)?;
                let mut t = s;
                while t < e {
                    let nt = (t + step).min(e);
                    out.push(Period {
                        kind,
                        label: label_instant(tz, t),
                        start_ms: t,
                        end_ms: nt,
                    });
                    t = nt;
                }
                d = next_day(d)?;
            }
        }
        PeriodKind::Day => {
            let mut d = first;
            while d <= last {
                let n = next_day(d)?;
                out.push(Period {
                    kind,
                    label: d.to_string(),
                    start_ms: day_start(tz, d)?,
                    end_ms: day_start(tz, n)?,
                });
                d = n;
            }
        }
        PeriodKind::Week => {
            let back = i64::from(first.weekday().to_monday_zero_offset());
            let mut w = first
                .checked_sub(back.days())
                .map_err(|e| KpiError::Time(e.to_string()))?;
            while w <= last {
                let n = w
                    .checked_add(7.days())
                    .map_err(|e| KpiError::Time(e.to_string()))?;
                let iso = w.iso_week_date();
                out.push(Period {
                    kind,
                    label: format!("{:04}-W{:02}", iso.year(), iso.week()),
                    start_ms: day_start(tz, w)?,
                    end_ms: day_start(tz, n)?,
                });
                w = n;
            }
        }
        PeriodKind::Month => {
            let n = next_day(last)?;
            out.push(Period {
                kind,
                label: month.to_string(),
                start_ms: day_start(tz, first)?,
                end_ms: day_start(tz, n)?,
            });
        }
        PeriodKind::Quarter => {
            let q = (month.month() - 1) / 3;
            let qs = Month::new(month.year(), q * 3 + 1).map_or(first, Month::first_day);
            let qe = qs
                .checked_add(3.months())
                .map_err(|e| KpiError::Time(e.to_string()))?;
            out.push(Period {
                kind,
                label: format!("{:04}-Q{}", month.year(), q + 1),
                start_ms: day_start(tz, qs)?,
                end_ms: day_start(tz, qe)?,
            });
        }
    }
    Ok(out)
}

/// The merged boundaries of every requested grid: the finest buckets the scan accumulates.
#[derive(Debug, Clone)]
pub(crate) struct BaseGrid {
    /// Sorted, distinct boundaries; bucket `k` is `[bounds[k], bounds[k + 1])`.
    pub bounds: Vec<i64>,
}

impl BaseGrid {
    pub fn new<'a>(grids: impl IntoIterator<Item = &'a [Period]>) -> Self {
        let mut bounds = Vec::new();
        for g in grids {
            for p in g {
                bounds.push(p.start_ms);
                bounds.push(p.end_ms);
            }
        }
        bounds.sort_unstable();
        bounds.dedup();
        BaseGrid { bounds }
    }

    /// Number of buckets.
    pub fn len(&self) -> usize {
        self.bounds.len().saturating_sub(1)
    }

    /// First instant covered.
    pub fn start(&self) -> i64 {
        self.bounds.first().copied().unwrap_or(0)
    }

    /// End of the covered range (exclusive).
    pub fn end(&self) -> i64 {
        self.bounds.last().copied().unwrap_or(0)
    }

    /// The bucket of `t`, if covered.
    #[inline]
    pub fn bucket(&self, t: i64) -> Option<usize> {
        if self.bounds.len() < 2 || t < self.start() || t >= self.end() {
            return None;
        }
        Some(self.bounds.partition_point(|&b| b <= t) - 1)
    }

    /// The bucket range `[a, b)` a period spans.
    pub fn range_of(&self, p: &Period) -> (usize, usize) {
        let a = self.bounds.partition_point(|&b| b < p.start_ms);
        let b = self.bounds.partition_point(|&b| b < p.end_ms);
        (a, b)
    }
}

#[cfg(test)]
mod tests {
    fn ym(year: i16, month: i8) -> pacta_core::Month {
        pacta_core::Month::new(year, month).expect("a valid month")
    }

    use super::*;

    #[test]
    fn dst_days_have_46_and_50_half_hours() {
        let tz = TimeZone::get("America/New_York").expect("tz");
        let march = periods(PeriodKind::Interval, Some(30), ym(2026, 3), &tz).expect("grid");
        let on = |day: &str| march.iter().filter(|p| p.label.starts_with(day)).count();
        assert_eq!(on("2026-03-07"), 48);
        assert_eq!(on("2026-03-08"), 46);
        assert_eq!(march.len(), 31 * 48 - 2);
        let nov = periods(PeriodKind::Interval, Some(30), ym(2026, 11), &tz).expect("grid");
        let days: Vec<_> = periods(PeriodKind::Day, None, ym(2026, 11), &tz).expect("days");
        let d1 = &days[0];
        assert_eq!(d1.end_ms - d1.start_ms, 25 * 3_600_000);
        assert_eq!(nov.iter().filter(|p| d1.contains(p.start_ms)).count(), 50);
        // Every interval of the fall-back day is 30 minutes of absolute time.
        assert!(nov.iter().all(|p| p.end_ms - p.start_ms == 1_800_000));
    }

    #[test]
    fn weeks_and_quarters_keep_their_full_extent() {
        let tz = TimeZone::UTC;
        let w = periods(PeriodKind::Week, None, ym(2026, 3), &tz).expect("weeks");
        assert_eq!(w[0].label, "2026-W09");
        assert_eq!(
            w.first().map(|p| p.end_ms - p.start_ms),
            Some(7 * 86_400_000)
        );
        let q = periods(PeriodKind::Quarter, None, ym(2026, 2), &tz).expect("q");
        assert_eq!(q[0].label, "2026-Q1");
        assert_eq!(q[0].end_ms - q[0].start_ms, 90 * 86_400_000);
        let grid = BaseGrid::new([w.as_slice(), q.as_slice()]);
        assert_eq!(grid.bucket(q[0].start_ms), Some(0));
        let last_week_end = w.last().map_or(0, |p| p.end_ms);
        assert!(last_week_end > q[0].end_ms);
        assert!(grid.bucket(q[0].end_ms).is_some());
        assert_eq!(grid.bucket(last_week_end), None);
    }
}
