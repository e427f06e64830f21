//! Calendar months, and their bounds and days in a time zone.
//!
//! A month is the unit a contract settles in. Its bounds are instants, cut in the contract's
//! zone: October 2026 in Asia/Manila starts at 2026-09-30T16:00Z. A month in a zone with DST
//! has one day of 23 or 25 hours; [`Month::local_days`] gives each day's real start.

use std::fmt;
use std::str::FromStr;

use jiff::civil::Date;
use jiff::tz::TimeZone;
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::{Lang, Localized};

/// A calendar month of a year (1–12), between years 1 and 9998, so that the month after and
/// the month before always exist as dates.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Month {
    year: i16,
    month: i8,
}

/// A month that does not exist or cannot be written as `YYYY-MM`.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum MonthError {
    /// Not `YYYY-MM`, or month outside 1–12.
    #[error("`{text}` is not a month; write YYYY-MM, e.g. 2026-10")]
    Invalid {
        /// What was given.
        text: String,
    },
    /// The year is outside 1–9998.
    #[error("the year of {year}-{month:02} is out of range (1–9998)")]
    OutOfRange {
        /// Year given.
        year: i32,
        /// Month given.
        month: i32,
    },
    /// The month's bounds do not exist in the time zone (a zone offset out of range).
    #[error("{month} cannot be cut in time zone {zone}")]
    Zone {
        /// The month.
        month: Month,
        /// The zone's name.
        zone: String,
    },
}

impl Localized for MonthError {
    fn code(&self) -> &'static str {
        match self {
            MonthError::Invalid { .. } => "month-invalid",
            MonthError::OutOfRange { .. } => "month-out-of-range",
            MonthError::Zone { .. } => "month-zone",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (_, Lang::En) => self.to_string(),
            (MonthError::Invalid { text }, Lang::Es) => {
                format!("`{text}` no es un mes; escriba AAAA-MM, p. ej. 2026-10")
            }
            (MonthError::OutOfRange { year, month }, Lang::Es) => {
                format!("el año de {year}-{month:02} está fuera de rango (1–9998)")
            }
            (MonthError::Zone { month, zone }, Lang::Es) => {
                format!("{month} no puede cortarse en la zona horaria {zone}")
            }
        }
    }
}

impl Month {
    /// The month `month` (1–12) of `year` (1–9998).
    pub fn new(year: i16, month: i8) -> Result<Month, MonthError> {
        if !(1..=12).contains(&month) {
            return Err(MonthError::Invalid {
                text: format!("{year:04}-{month:02}"),
            });
        }
        if !(1..=9998).contains(&year) {
            return Err(MonthError::OutOfRange {
                year: year.into(),
                month: month.into(),
            });
        }
        Ok(Month { year, month })
    }

    /// Parses `YYYY-MM` (four-digit year, two-digit month).
    pub fn parse(text: &str) -> Result<Month, MonthError> {
        let invalid = || MonthError::Invalid {
            text: text.to_string(),
        };
        let (y, m) = text.split_once('-').ok_or_else(invalid)?;
        if y.len() != 4 || m.len() != 2 || !y.bytes().chain(m.bytes()).all(|b| b.is_ascii_digit()) {
            return Err(invalid());
        }
        let year: i16 = y.parse().map_err(|_| invalid())?;
        let month: i8 = m.parse().map_err(|_| invalid())?;
        if !(1..=12).contains(&month) {
            return Err(invalid());
        }
        Month::new(year, month)
    }

    /// The month containing a date.
    pub fn of_date(date: Date) -> Result<Month, MonthError> {
        Month::new(date.year(), date.month())
    }

    /// The month an instant (UTC milliseconds) falls in, in `tz`.
    pub fn of_instant(ms: i64, tz: &TimeZone) -> Result<Month, MonthError> {
        let out_of_range = || MonthError::OutOfRange { year: 0, month: 0 };
        let ts = jiff::Timestamp::from_millisecond(ms).map_err(|_| out_of_range())?;
        Month::of_date(ts.to_zoned(tz.clone()).date())
    }

    /// The year.
    pub fn year(self) -> i16 {
        self.year
    }

    /// The month of the year, 1–12.
    pub fn month(self) -> i8 {
        self.month
    }

    /// Months since January of year 0: consecutive months have consecutive indices.
    pub fn index(self) -> i32 {
        i32::from(self.year) * 12 + i32::from(self.month) - 1
    }

    /// The month with this [`index`](Month::index), if it is in range.
    pub fn from_index(index: i32) -> Option<Month> {
        let year = i16::try_from(index.div_euclid(12)).ok()?;
        let month = i8::try_from(index.rem_euclid(12) + 1).ok()?;
        Month::new(year, month).ok()
    }

    /// The month `n` months later (earlier when negative), if it is in range.
    pub fn plus(self, n: i32) -> Option<Month> {
        Month::from_index(self.index().checked_add(n)?)
    }

    /// The next month (December 9998 has none).
    pub fn next(self) -> Option<Month> {
        self.plus(1)
    }

    /// The previous month (January of year 1 has none).
    pub fn prev(self) -> Option<Month> {
        self.plus(-1)
    }

    /// Whole months from `self` to `later` (negative when `later` is earlier).
    pub fn months_until(self, later: Month) -> i32 {
        later.index() - self.index()
    }

    /// The first day.
    pub fn first_day(self) -> Date {
        // In range by construction: 1 ≤ month ≤ 12 and 1 ≤ year ≤ 9998.
        Date::new(self.year, self.month, 1).unwrap_or(Date::MIN)
    }

    /// The last day.
    pub fn last_day(self) -> Date {
        self.first_day().last_of_month()
    }

    /// How many days the month has.
    pub fn days_in_month(self) -> i8 {
        self.first_day().days_in_month()
    }

    /// Every day of the month, in order.
    pub fn days(self) -> impl Iterator<Item = Date> {
        let first = self.first_day();
        (0..self.days_in_month())
            .filter_map(move |d| first.checked_add(jiff::Span::new().days(d)).ok())
    }

    /// The month's bounds as UTC milliseconds `[start, end)`, cut in `tz`: the start of its
    /// first local day and the start of the next month's.
    pub fn bounds_ms(self, tz: &TimeZone) -> Result<(i64, i64), MonthError> {
        let zone_err = || MonthError::Zone {
            month: self,
            zone: tz.iana_name().unwrap_or("UTC").to_string(),
        };
        let start_of = |d: Date| {
            d.to_zoned(tz.clone())
                .map(|z| z.timestamp().as_millisecond())
                .map_err(|_| zone_err())
        };
        let next_first = self
            .first_day()
            .checked_add(jiff::Span::new().months(1))
            .map_err(|_| zone_err())?;
        Ok((start_of(self.first_day())?, start_of(next_first)?))
    }

    /// Each local day of the month in `tz`: the UTC millisecond its day starts (the start of
    /// the month for the first day) and the date. A DST day is 23 or 25 hours long.
    pub fn local_days(self, tz: &TimeZone) -> Result<Vec<(i64, Date)>, MonthError> {
        let (start, end) = self.bounds_ms(tz)?;
        let mut out = Vec::with_capacity(31);
        for day in self.days() {
            let at = day
                .to_zoned(tz.clone())
                .map_err(|_| MonthError::Zone {
                    month: self,
                    zone: tz.iana_name().unwrap_or("UTC").to_string(),
                })?
                .timestamp()
                .as_millisecond();
            if at >= end {
                break;
            }
            out.push((at.max(start), day));
        }
        Ok(out)
    }
}

impl fmt::Display for Month {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{:04}-{:02}", self.year, self.month)
    }
}

impl FromStr for Month {
    type Err = MonthError;
    fn from_str(s: &str) -> Result<Month, MonthError> {
        Month::parse(s)
    }
}

/// Serialized as `"YYYY-MM"`.
impl Serialize for Month {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

impl<'de> Deserialize<'de> for Month {
    fn deserialize<D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let text = String::deserialize(d)?;
        Month::parse(&text).map_err(serde::de::Error::custom)
    }
}

/// Serde helpers for a month written as the pair `[year, month]`, the form settlement records
/// have been stored in since the first release (`#[serde(with = "pacta_core::month::as_pair")]`).
pub mod as_pair {
    use super::Month;
    use serde::{Deserialize, Deserializer, Serialize, Serializer};

    /// Writes `[year, month]`.
    pub fn serialize<S: Serializer>(m: &Month, s: S) -> Result<S::Ok, S::Error> {
        (m.year, m.month).serialize(s)
    }

    /// Reads `[year, month]`.
    pub fn deserialize<'de, D: Deserializer<'de>>(d: D) -> Result<Month, D::Error> {
        let (year, month) = <(i16, i8)>::deserialize(d)?;
        Month::new(year, month).map_err(serde::de::Error::custom)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    fn m(s: &str) -> Month {
        Month::parse(s).expect("a month")
    }

    #[test]
    fn parses_only_yyyy_mm() {
        assert_eq!(m("2026-10").year(), 2026);
        assert_eq!(m("2026-10").month(), 10);
        for bad in [
            "2026-13", "2026-00", "2026-1", "26-10", "2026/10", "+026-10", "2026-1a", "",
        ] {
            assert!(Month::parse(bad).is_err(), "{bad}");
        }
        assert_eq!(
            Month::parse("2026-13").map_err(|e| e.message(Lang::Es)),
            Err("`2026-13` no es un mes; escriba AAAA-MM, p. ej. 2026-10".to_string())
        );
    }

    #[test]
    fn steps_across_years() {
        assert_eq!(m("2026-12").next(), Some(m("2027-01")));
        assert_eq!(m("2027-01").prev(), Some(m("2026-12")));
        assert_eq!(m("2026-10").plus(-22), Some(m("2024-12")));
        assert_eq!(m("9998-12").next(), None);
        assert_eq!(m("0001-01").prev(), None);
        assert_eq!(m("2026-01").months_until(m("2027-03")), 14);
    }

    #[test]
    fn days_and_bounds_in_a_zone() {
        assert_eq!(m("2028-02").days_in_month(), 29);
        assert_eq!(m("2026-02").days().count(), 28);
        let manila = TimeZone::get("Asia/Manila").expect("zone");
        let (start, end) = m("2026-10").bounds_ms(&manila).expect("bounds");
        assert_eq!(start, 1_790_784_000_000); // 2026-09-30T16:00:00Z
        assert_eq!(end - start, 31 * 86_400_000);
    }

    #[test]
    fn dst_days_are_real_length() {
        // Europe/Madrid leaves summer time on the last Sunday of October: 2026-10-25 has 25 h.
        let madrid = TimeZone::get("Europe/Madrid").expect("zone");
        let days = m("2026-10").local_days(&madrid).expect("days");
        assert_eq!(days.len(), 31);
        let (_, end) = m("2026-10").bounds_ms(&madrid).expect("bounds");
        let lengths: Vec<i64> = days
            .windows(2)
            .map(|w| w[1].0 - w[0].0)
            .chain(days.last().map(|d| end - d.0))
            .collect();
        assert_eq!(lengths[24], 25 * 3_600_000);
        assert_eq!(lengths.iter().filter(|&&l| l == 86_400_000).count(), 30);
    }

    #[test]
    fn serializes_as_text_or_pair() {
        assert_eq!(
            serde_json::to_string(&m("2026-09")).ok().as_deref(),
            Some("\"2026-09\"")
        );
        #[derive(Serialize, Deserialize)]
        struct R {
            #[serde(with = "as_pair")]
            month: Month,
        }
        let r = R {
            month: m("2026-09"),
        };
        let text = serde_json::to_string(&r).unwrap_or_default();
        assert_eq!(text, r#"{"month":[2026,9]}"#);
        let back: R = serde_json::from_str(&text).expect("pair");
        assert_eq!(back.month, m("2026-09"));
        assert!(serde_json::from_str::<R>(r#"{"month":[2026,13]}"#).is_err());
    }

    proptest! {
        #[test]
        fn index_round_trips(year in 1i16..=9998, month in 1i8..=12) {
            let x = Month::new(year, month).expect("valid");
            prop_assert_eq!(Month::from_index(x.index()), Some(x));
            prop_assert_eq!(Month::parse(&x.to_string()), Ok(x));
            if let Some(n) = x.next() {
                prop_assert_eq!(n.prev(), Some(x));
                prop_assert_eq!(n.index(), x.index() + 1);
            }
        }
    }
}
