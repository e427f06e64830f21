//! Hours of operation and holidays of the contract calendar, as UTC intervals per channel.
//!
//! Rules (documented in the crate docs):
//! - an `[[calendar.hours]]` entry with `channels` applies to those channels only; a channel
//!   named by at least one entry uses only the entries naming it, the others use the entries
//!   without `channels`;
//! - `close = "24:00"` runs to the next local midnight; a close earlier than the open runs
//!   past midnight into the next day;
//! - a holiday with `closed = true` has no hours; a holiday with `closed = false` keeps the
//!   day's normal hours (only holiday rates change);
//! - a calendar with no hours is open around the clock except on closed holidays.
//!
//! Business time between two instants is the measure of open time between them, taken from
//! prefix sums over the merged intervals.

use std::collections::BTreeSet;

use jiff::civil::{Date, Time};
use jiff::tz::TimeZone;
use pacta_contract::Calendar;
use pacta_data::model::channel_from_code;

use crate::KpiError;
use crate::period::{day_start, local_date};

/// Open intervals of each channel over a covered range of days.
#[derive(Debug, Clone)]
pub struct Hours {
    per_channel: Vec<Open>,
}

#[derive(Debug, Clone, Default)]
struct Open {
    /// Sorted, disjoint `[start, end)` UTC ms.
    iv: Vec<(i64, i64)>,
    /// `prefix[i]` = open ms before interval `i`.
    prefix: Vec<i64>,
}

/// A cached answer of [`Hours::segment`]: `[lo, hi)` is uniformly open or closed.
#[derive(Debug, Clone, Copy)]
pub(crate) struct Segment {
    pub lo: i64,
    pub hi: i64,
    pub open: bool,
}

impl Segment {
    pub const EMPTY: Segment = Segment {
        lo: 0,
        hi: 0,
        open: false,
    };
}

impl Hours {
    /// Builds the open intervals of every channel for the local days `[from, to]`.
    pub fn build(cal: &Calendar, tz: &TimeZone, from: Date, to: Date) -> Result<Self, KpiError> {
        let closed: BTreeSet<Date> = cal
            .holidays
            .iter()
            .filter(|h| h.closed)
            .map(|h| h.date.civil())
            .collect();
        let mut per_channel = Vec::with_capacity(8);
        for code in 0..8u8 {
            let ch = channel_from_code(code);
            let named: Vec<_> = cal
                .hours
                .iter()
                .filter(|h| ch.is_some_and(|c| h.channels.contains(&c)))
                .collect();
            let entries = if named.is_empty() {
                cal.hours.iter().filter(|h| h.channels.is_empty()).collect()
            } else {
                named
            };
            let mut iv = Vec::new();
            let mut d = from;
            while d <= to {
                let next = d.tomorrow().map_err(|e| KpiError::Time(e.to_string()))?;
                if !closed.contains(&d) {
                    if cal.hours.is_empty() {
                        iv.push((day_start(tz, d)?, day_start(tz, next)?));
                    }
                    for h in &entries {
                        if !h.days.iter().any(|w| w.to_jiff() == d.weekday()) {
                            continue;
                        }
                        let open = at(tz, d, h.open.civil())?;
                        let close = if h.close.civil() == Time::MAX {
                            day_start(tz, next)?
                        } else if h.close.civil() <= h.open.civil() {
                            at(tz, next, h.close.civil())?
                        } else {
                            at(tz, d, h.close.civil())?
                        };
                        if close > open {
                            iv.push((open, close));
                        }
                    }
                }
                d = next;
            }
            iv.sort_unstable();
            let mut merged: Vec<(i64, i64)> = Vec::with_capacity(iv.len());
            for (s, e) in iv {
                match merged.last_mut() {
                    Some(last) if s <= last.1 => last.1 = last.1.max(e),
                    _ => merged.push((s, e)),
                }
            }
            let mut prefix = Vec::with_capacity(merged.len() + 1);
            let mut acc = 0;
            prefix.push(0);
            for (s, e) in &merged {
                acc += e - s;
                prefix.push(acc);
            }
            per_channel.push(Open { iv: merged, prefix });
        }
        Ok(Hours { per_channel })
    }

    /// Builds hours covering the UTC range `[start_ms, end_ms)` with `extra_days` after it.
    pub fn covering(
        cal: &Calendar,
        tz: &TimeZone,
        start_ms: i64,
        end_ms: i64,
        extra_days: i64,
    ) -> Result<Self, KpiError> {
        use jiff::ToSpan;
        let from = local_date(tz, start_ms)
            .yesterday()
            .map_err(|e| KpiError::Time(e.to_string()))?;
        let to = local_date(tz, end_ms)
            .checked_add(extra_days.days())
            .map_err(|e| KpiError::Time(e.to_string()))?;
        Self::build(cal, tz, from, to)
    }

    /// Every open interval, as `(channel code, start, end)` UTC ms.
    pub(crate) fn open_intervals(&self) -> Vec<(u8, i64, i64)> {
        (0u8..)
            .zip(&self.per_channel)
            .flat_map(|(ch, o)| o.iv.iter().map(move |&(s, e)| (ch, s, e)))
            .collect()
    }

    /// Whether channel `ch` is open at `t`.
    pub fn is_open(&self, ch: u8, t: i64) -> bool {
        self.segment(ch, t).open
    }

    /// The maximal uniformly open or closed segment around `t`, for caching in a scan.
    pub(crate) fn segment(&self, ch: u8, t: i64) -> Segment {
        let Some(o) = self.per_channel.get(usize::from(ch)) else {
            return Segment {
                lo: i64::MIN,
                hi: i64::MAX,
                open: false,
            };
        };
        let idx = o.iv.partition_point(|iv| iv.0 <= t);
        if idx > 0 && t < o.iv[idx - 1].1 {
            return Segment {
                lo: o.iv[idx - 1].0,
                hi: o.iv[idx - 1].1,
                open: true,
            };
        }
        Segment {
            lo: if idx > 0 { o.iv[idx - 1].1 } else { i64::MIN },
            hi: o.iv.get(idx).map_or(i64::MAX, |iv| iv.0),
            open: false,
        }
    }

    fn cumulative(o: &Open, t: i64) -> i64 {
        let idx = o.iv.partition_point(|iv| iv.0 <= t);
        if idx == 0 {
            return 0;
        }
        let (s, e) = o.iv[idx - 1];
        o.prefix[idx - 1] + t.min(e) - s
    }

    /// Open (business) milliseconds of channel `ch` between `a` and `b`.
    pub fn open_ms_between(&self, ch: u8, a: i64, b: i64) -> i64 {
        if b <= a {
            return 0;
        }
        match self.per_channel.get(usize::from(ch)) {
            Some(o) => Self::cumulative(o, b) - Self::cumulative(o, a),
            None => 0,
        }
    }
}

fn at(tz: &TimeZone, d: Date, t: Time) -> Result<i64, KpiError> {
    d.to_datetime(t)
        .to_zoned(tz.clone())
        .map(|z| z.timestamp().as_millisecond())
        .map_err(|e| KpiError::Time(e.to_string()))
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacta_contract::{Date as CDate, Holiday, OpeningHours, TimeOfDay, Weekday};

    fn t(h: i8, m: i8) -> TimeOfDay {
        TimeOfDay(Time::new(h, m, 0, 0).expect("time"))
    }

    #[test]
    fn weekdays_holidays_and_business_time() {
        let cal = Calendar {
            hours: vec![OpeningHours {
                days: vec![
                    Weekday::Mon,
                    Weekday::Tue,
                    Weekday::Wed,
                    Weekday::Thu,
                    Weekday::Fri,
                ],
                open: t(8, 0),
                close: t(18, 0),
                channels: vec![],
            }],
            holidays: vec![Holiday {
                date: CDate::new(2026, 3, 9).expect("date"),
                name: "closed Monday".into(),
                closed: true,
            }],
            include_outside_hours: false,
            business_days: None,
        };
        let tz = TimeZone::UTC;
        let d = |day| Date::new(2026, 3, day).expect("d");
        let h = Hours::build(&cal, &tz, d(1), d(31)).expect("hours");
        let ms = |day, hh: i64| day_start(&tz, d(day)).expect("ms") + hh * 3_600_000;
        assert!(h.is_open(0, ms(6, 9))); // Friday 09:00
        assert!(!h.is_open(0, ms(7, 9))); // Saturday
        assert!(!h.is_open(0, ms(9, 9))); // closed holiday
        // Friday 17:00 → Tuesday 09:00: 1 h Friday + 1 h Tuesday (Monday is a holiday).
        assert_eq!(h.open_ms_between(0, ms(6, 17), ms(10, 9)), 2 * 3_600_000);
    }
}
