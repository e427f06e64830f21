//! The month cut into 30-minute intervals in the contract's time zone, and hours of operation.

use jiff::civil::{Date, Weekday};
use jiff::tz::TimeZone;
use pacta_contract::{Calendar, Channel, TimeOfDay};
use pacta_core::Month;

use crate::options::GenError;

/// Interval length, ms.
pub(crate) const INTERVAL_MS: i64 = 30 * 60 * 1000;
const DAY_S: i32 = 86_400;

/// One 30-minute interval of the month, cut in absolute time from local midnight of day 1, so
/// daylight-saving days simply have 46 or 50 intervals.
#[derive(Debug, Clone)]
pub(crate) struct Interval {
    pub start_ms: i64,
    pub end_ms: i64,
    /// Index of the local date in the month (0-based).
    pub day: usize,
    /// Local date.
    pub date: Date,
    /// Local second of day at the start.
    pub sec_of_day: i32,
    pub weekday: Weekday,
}

/// The month as intervals.
#[derive(Debug, Clone)]
pub(crate) struct MonthGrid {
    pub end_ms: i64,
    pub days: Vec<Date>,
    pub intervals: Vec<Interval>,
}

pub(crate) fn month_grid(tz: &TimeZone, month: Month) -> Result<MonthGrid, GenError> {
    let (start_ms, end_ms) = month.bounds_ms(tz)?;
    let days: Vec<Date> = month.days().collect();
    let mut intervals = Vec::with_capacity(days.len() * 48 + 2);
    let mut t = start_ms;
    while t < end_ms {
        let z = jiff::Timestamp::from_millisecond(t)
            .map_err(|e| GenError::Time(e.to_string()))?
            .to_zoned(tz.clone());
        let date = z.date();
        let day = usize::try_from(date.day() - 1).unwrap_or(0);
        let sec_of_day =
            i32::from(z.hour()) * 3600 + i32::from(z.minute()) * 60 + i32::from(z.second());
        // An interval never crosses local midnight: in zones whose offset is not a multiple of
        // 30 minutes, or on the odd transition, it is cut short there.
        let until_midnight = i64::from(DAY_S - sec_of_day) * 1000;
        let end = (t + INTERVAL_MS.min(until_midnight)).min(end_ms);
        intervals.push(Interval {
            start_ms: t,
            end_ms: end,
            day,
            date,
            sec_of_day,
            weekday: date.weekday(),
        });
        t = end;
    }
    Ok(MonthGrid {
        end_ms,
        days,
        intervals,
    })
}

fn secs(t: TimeOfDay) -> i32 {
    let c = t.civil();
    if c == jiff::civil::Time::MAX {
        return DAY_S;
    }
    i32::from(c.hour()) * 3600 + i32::from(c.minute()) * 60 + i32::from(c.second())
}

/// The open windows (local seconds of day, half-open) of a channel on a date.
pub(crate) fn windows(cal: &Calendar, channel: Channel, date: Date) -> Vec<(i32, i32)> {
    if cal
        .holidays
        .iter()
        .any(|h| h.closed && h.date.civil() == date)
    {
        return Vec::new();
    }
    if cal.hours.is_empty() {
        return vec![(0, DAY_S)];
    }
    let wd = date.weekday();
    let mut out = Vec::new();
    for h in &cal.hours {
        if !h.days.iter().any(|d| d.to_jiff() == wd) {
            continue;
        }
        if !h.channels.is_empty() && !h.channels.contains(&channel) {
            continue;
        }
        let (o, c) = (secs(h.open), secs(h.close));
        if c > o {
            out.push((o, c));
        } else if c < o {
            // A window written across midnight: the part of this date on each side.
            out.push((o, DAY_S));
            out.push((0, c));
        }
    }
    out
}

/// The open part of an interval for a channel, as absolute ms (the largest open piece).
pub(crate) fn open_range(cal: &Calendar, channel: Channel, iv: &Interval) -> Option<(i64, i64)> {
    let s0 = iv.sec_of_day;
    let s1 = s0 + i32::try_from((iv.end_ms - iv.start_ms) / 1000).unwrap_or(1800);
    let mut best: Option<(i32, i32)> = None;
    for (o, c) in windows(cal, channel, iv.date) {
        let lo = s0.max(o);
        let hi = s1.min(c);
        if hi > lo && best.is_none_or(|(bl, bh)| hi - lo > bh - bl) {
            best = Some((lo, hi));
        }
    }
    best.map(|(lo, hi)| {
        (
            iv.start_ms + i64::from(lo - s0) * 1000,
            (iv.start_ms + i64::from(hi - s0) * 1000).min(iv.end_ms),
        )
    })
}

/// Whether an instant (UTC ms) falls inside the calendar's hours of operation for a channel,
/// in the contract's time zone: not on a closed holiday, and inside one of the opening
/// windows of that weekday. An empty `hours` list means always open.
pub fn within_hours(cal: &Calendar, tz: &TimeZone, channel: Channel, at_ms: i64) -> bool {
    let Ok(ts) = jiff::Timestamp::from_millisecond(at_ms) else {
        return false;
    };
    let z = ts.to_zoned(tz.clone());
    let s = i32::from(z.hour()) * 3600 + i32::from(z.minute()) * 60 + i32::from(z.second());
    windows(cal, channel, z.date())
        .iter()
        .any(|&(o, c)| s >= o && s < c)
}

/// Whether a local second of day falls in a night window `[from, to)` that may wrap midnight.
pub(crate) fn in_window(s: i32, from: i32, to: i32) -> bool {
    if from <= to {
        s >= from && s < to
    } else {
        s >= from || s < to
    }
}

/// The night window from the contract's night shift multiplier, else 22:00–06:00.
pub(crate) fn night_window(contract: &pacta_contract::Contract) -> (i32, i32) {
    contract
        .doc
        .pricing
        .as_ref()
        .and_then(|p| {
            p.shift_multipliers
                .iter()
                .find(|m| m.kind == pacta_contract::ShiftKind::Night)
        })
        .and_then(|m| Some((secs(m.from?), secs(m.to?))))
        .unwrap_or((22 * 3600, 6 * 3600))
}

#[cfg(test)]
mod tests {
    fn ym(year: i16, month: i8) -> pacta_core::Month {
        pacta_core::Month::new(year, month).expect("a valid month")
    }

    use super::*;

    #[test]
    fn dst_days_have_46_and_50_intervals() {
        let tz = TimeZone::get("America/New_York").expect("tz");
        let g = month_grid(&tz, ym(2026, 3)).expect("grid");
        let per_day = |d: usize| g.intervals.iter().filter(|i| i.day == d).count();
        assert_eq!(per_day(7), 46); // 8 March 2026: spring forward
        assert_eq!(per_day(0), 48);
        let g = month_grid(&tz, ym(2026, 11)).expect("grid");
        assert_eq!(g.intervals.iter().filter(|i| i.day == 0).count(), 50); // 1 November
        assert_eq!(g.days.len(), 30);
    }
}
