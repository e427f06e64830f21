//! Which days are business days for a contract, and the arithmetic deadlines need.
//!
//! A business day is a weekday listed in `calendar.business_days` (Monday to Friday when the
//! key is absent) that is not a holiday marked `closed`. The contact center's opening hours do
//! not matter here: a center open every day still sends its reports and notices from an office
//! that keeps office days. Holidays the center works through (`closed = false`) stay business
//! days, because the contract says the service runs on them.

use std::collections::BTreeSet;

use jiff::ToSpan;
use jiff::civil::{Date, Weekday};
use pacta_contract::Contract;

use crate::GovernanceError;

/// The weekdays deadlines count when the contract does not say.
pub const DEFAULT_BUSINESS_DAYS: [Weekday; 5] = [
    Weekday::Monday,
    Weekday::Tuesday,
    Weekday::Wednesday,
    Weekday::Thursday,
    Weekday::Friday,
];

/// How far a search for a business day goes before giving up: a calendar whose holidays
/// close a whole year is a mistake, not a reason to loop.
const MAX_SEARCH_DAYS: i32 = 366;

/// The business days of one contract.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct BusinessCalendar {
    weekdays: Vec<Weekday>,
    closed: BTreeSet<Date>,
}

impl BusinessCalendar {
    /// Builds a calendar from weekdays and closed dates.
    pub fn new(
        weekdays: impl IntoIterator<Item = Weekday>,
        closed: impl IntoIterator<Item = Date>,
    ) -> Result<Self, GovernanceError> {
        let mut weekdays: Vec<Weekday> = weekdays.into_iter().collect();
        weekdays.sort_by_key(|w| w.to_monday_zero_offset());
        weekdays.dedup();
        if weekdays.is_empty() {
            return Err(GovernanceError::NoBusinessDay);
        }
        Ok(BusinessCalendar {
            weekdays,
            closed: closed.into_iter().collect(),
        })
    }

    /// The calendar of a contract: `calendar.business_days` (or Monday to Friday) minus its
    /// closed holidays.
    pub fn from_contract(contract: &Contract) -> Result<Self, GovernanceError> {
        let cal = &contract.doc.calendar;
        let weekdays: Vec<Weekday> = match &cal.business_days {
            Some(days) => days.iter().map(|d| d.to_jiff()).collect(),
            None => DEFAULT_BUSINESS_DAYS.to_vec(),
        };
        let closed = cal
            .holidays
            .iter()
            .filter(|h| h.closed)
            .map(|h| h.date.civil());
        BusinessCalendar::new(weekdays, closed)
    }

    /// Whether `date` is a business day.
    pub fn is_business_day(&self, date: Date) -> bool {
        self.weekdays.contains(&date.weekday()) && !self.closed.contains(&date)
    }

    /// `date` itself when it is a business day, else the business day before it. Notice
    /// deadlines use this: a notice may always be given early, never late.
    pub fn on_or_before(&self, date: Date) -> Result<Date, GovernanceError> {
        let mut day = date;
        for _ in 0..MAX_SEARCH_DAYS {
            if self.is_business_day(day) {
                return Ok(day);
            }
            day = step(day, -1)?;
        }
        Err(GovernanceError::NoBusinessDay)
    }

    /// The `n`-th business day after `date` (`date` itself never counts). "Due five business
    /// days after October" is `add_business_days(October 31, 5)`.
    pub fn add_business_days(&self, date: Date, n: u32) -> Result<Date, GovernanceError> {
        let mut day = date;
        for _ in 0..n {
            let mut searched = 0;
            loop {
                day = step(day, 1)?;
                if self.is_business_day(day) {
                    break;
                }
                searched += 1;
                if searched >= MAX_SEARCH_DAYS {
                    return Err(GovernanceError::NoBusinessDay);
                }
            }
        }
        Ok(day)
    }
}

fn step(day: Date, days: i32) -> Result<Date, GovernanceError> {
    day.checked_add(days.days())
        .map_err(|_| GovernanceError::DateOutOfRange { from: day })
}

#[cfg(test)]
mod tests {
    use super::*;
    use jiff::civil::date;

    #[test]
    fn weekends_and_closed_holidays_are_skipped() -> Result<(), GovernanceError> {
        // 2026-12-25 is a Friday, closed.
        let cal = BusinessCalendar::new(DEFAULT_BUSINESS_DAYS, [date(2026, 12, 25)])?;
        assert!(!cal.is_business_day(date(2026, 12, 25)));
        assert!(!cal.is_business_day(date(2026, 12, 26)));
        assert_eq!(cal.on_or_before(date(2026, 12, 27))?, date(2026, 12, 24));
        assert_eq!(cal.on_or_before(date(2026, 12, 24))?, date(2026, 12, 24));
        // Thursday 24th + 1 business day skips Friday (closed) and the weekend.
        assert_eq!(
            cal.add_business_days(date(2026, 12, 24), 1)?,
            date(2026, 12, 28)
        );
        assert_eq!(
            cal.add_business_days(date(2026, 12, 24), 0)?,
            date(2026, 12, 24)
        );
        Ok(())
    }

    #[test]
    fn an_empty_week_is_refused() {
        assert_eq!(
            BusinessCalendar::new([], []),
            Err(GovernanceError::NoBusinessDay)
        );
    }

    #[test]
    fn a_calendar_closed_all_year_stops_searching() -> Result<(), GovernanceError> {
        let start = date(2025, 1, 1);
        let closed: Vec<Date> = (0..900)
            .filter_map(|d| start.checked_add(d.days()).ok())
            .collect();
        let cal = BusinessCalendar::new([Weekday::Monday], closed)?;
        assert_eq!(
            cal.on_or_before(date(2026, 6, 1)),
            Err(GovernanceError::NoBusinessDay)
        );
        assert_eq!(
            cal.add_business_days(date(2026, 6, 1), 1),
            Err(GovernanceError::NoBusinessDay)
        );
        Ok(())
    }
}
