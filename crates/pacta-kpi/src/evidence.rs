//! Evidence: which contacts a figure counted, and in which bucket each fell.
//!
//! [`interaction_contacts`] walks the interaction rows with the same tests as the engine's
//! scan (the same validity check, period grid, hours, scope, exclusion marks, outcome codes
//! and `wait ≤ threshold` comparisons in milliseconds), so the number of rows in each
//! [`Bucket`] equals the corresponding input of the figure ([`Bucket::inputs`] says which).
//! A test compares the two on generated data.

use pacta_contract::measure::{AbandonmentVariant, ServiceLevelVariant};
use pacta_contract::{Contract, Measure};
use pacta_core::Month;
use pacta_data::model::{InteractionTable, Outcome, channel_from_code};

use crate::calendar::Hours;
use crate::period::{Period, periods};
use crate::{KpiError, KpiRequest};

/// Where a contact fell in a figure's formula. The codes ([`Bucket::code`]) are stable.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Bucket {
    /// Answered with a wait at or under the service-level threshold (`A≤T`).
    AnsweredWithinThreshold,
    /// Answered after the threshold.
    AnsweredLate,
    /// Answered, wait unknown (no answer time): counts in `A`, not in `A≤T`.
    AnsweredWaitUnknown,
    /// Answered (abandonment rate: the wait does not matter).
    Answered,
    /// Abandoned at or under the short-abandon limit (`Ab≤S`, or `Ab≤N` for `after_seconds`).
    AbandonedShort,
    /// Abandoned over the short limit but at or under the service-level threshold.
    AbandonedWithinThreshold,
    /// Abandoned after every limit of the formula.
    Abandoned,
    /// Abandoned, wait unknown (no end time).
    AbandonedWaitUnknown,
    /// Ended otherwise (transferred out, callback, …): `X`.
    Exit,
    /// Still in progress: not counted.
    InProgress,
    /// Arrived outside hours of operation: not counted (the contract excludes them).
    OutsideHours,
    /// Arrived in an accepted incident window the SLA excludes: not counted.
    ExcludedByIncident,
}

impl Bucket {
    /// The stable snake_case code.
    pub fn code(self) -> &'static str {
        match self {
            Bucket::AnsweredWithinThreshold => "answered_within_threshold",
            Bucket::AnsweredLate => "answered_late",
            Bucket::AnsweredWaitUnknown => "answered_wait_unknown",
            Bucket::Answered => "answered",
            Bucket::AbandonedShort => "abandoned_short",
            Bucket::AbandonedWithinThreshold => "abandoned_within_threshold",
            Bucket::Abandoned => "abandoned",
            Bucket::AbandonedWaitUnknown => "abandoned_wait_unknown",
            Bucket::Exit => "exit",
            Bucket::InProgress => "in_progress",
            Bucket::OutsideHours => "outside_hours",
            Bucket::ExcludedByIncident => "excluded_by_incident",
        }
    }

    /// The figure's inputs (keys of `MetricValue::inputs`) a contact of this bucket counts in.
    pub fn inputs(self) -> &'static [&'static str] {
        match self {
            Bucket::AnsweredWithinThreshold => &["A", "O", "A<=T"],
            Bucket::AnsweredLate | Bucket::AnsweredWaitUnknown | Bucket::Answered => &["A", "O"],
            Bucket::AbandonedShort => &["Ab", "O", "Ab<=T", "Ab<=S", "Ab<=N"],
            Bucket::AbandonedWithinThreshold => &["Ab", "O", "Ab<=T"],
            Bucket::Abandoned | Bucket::AbandonedWaitUnknown => &["Ab", "O"],
            Bucket::Exit => &["X", "O"],
            Bucket::InProgress => &["in_progress"],
            Bucket::OutsideHours => &["outside_hours_excluded"],
            Bucket::ExcludedByIncident => &[],
        }
    }

    /// Whether the contact counts in the figure's formula (in the offered count `O`).
    pub fn counted(self) -> bool {
        self.inputs().contains(&"O")
    }
}

/// One contact a figure looked at.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ContactEvidence {
    /// Row in the interaction table.
    pub row: usize,
    /// Index of the period (in the request's period grid) it arrived in.
    pub period: usize,
    /// Wait in ms as the formula compared it (answered: to answer; abandoned: to the end).
    pub wait_ms: Option<i64>,
    /// Its bucket.
    pub bucket: Bucket,
}

/// The contacts behind an interaction figure, with its period grid.
#[derive(Debug, Clone)]
pub struct InteractionEvidence {
    /// The request's periods.
    pub periods: Vec<Period>,
    /// One entry per contact in the request's scope and month, in row order.
    pub contacts: Vec<ContactEvidence>,
}

/// The limits a measure compares waits with, in seconds: (threshold, short limit).
fn limits(measure: &Measure) -> Option<(Option<u32>, Option<u32>)> {
    match measure {
        Measure::ServiceLevel {
            variant,
            threshold_s,
            short_abandon_s,
            ..
        } => Some((
            Some(*threshold_s),
            (*variant == ServiceLevelVariant::ExcludeShortAbandons).then_some(*short_abandon_s),
        )),
        Measure::AbandonmentRate {
            variant,
            short_abandon_s,
            after_seconds,
        } => Some((
            None,
            match variant {
                AbandonmentVariant::ExcludeShort => Some(*short_abandon_s),
                AbandonmentVariant::AfterSeconds => Some(*after_seconds),
                _ => None,
            },
        )),
        _ => None,
    }
}

/// Whether [`interaction_contacts`] can explain this measure (service level and abandonment).
pub fn explains(measure: &Measure) -> bool {
    limits(measure).is_some()
}

/// The bucket of a contact with outcome code `oc` and wait `wait_ms`, for a measure with
/// threshold `t_s` and short limit `s_s` (seconds). The comparisons are the scan's.
pub fn classify(oc: u8, wait_ms: Option<i64>, t_s: Option<u32>, s_s: Option<u32>) -> Bucket {
    let ms = |s: u32| i64::from(s) * 1000;
    if oc == Outcome::Answered.code() {
        match (t_s, wait_ms) {
            (None, _) => Bucket::Answered,
            (Some(_), None) => Bucket::AnsweredWaitUnknown,
            (Some(t), Some(w)) if w <= ms(t) => Bucket::AnsweredWithinThreshold,
            (Some(_), Some(_)) => Bucket::AnsweredLate,
        }
    } else if oc == Outcome::Abandoned.code() {
        match wait_ms {
            None => Bucket::AbandonedWaitUnknown,
            Some(w) if s_s.is_some_and(|s| w <= ms(s)) => Bucket::AbandonedShort,
            Some(w) if t_s.is_some_and(|t| w <= ms(t)) => Bucket::AbandonedWithinThreshold,
            Some(_) => Bucket::Abandoned,
        }
    } else if oc == Outcome::InProgress.code() {
        Bucket::InProgress
    } else {
        Bucket::Exit
    }
}

/// The contacts of `month` behind a service-level or abandonment request, each in its bucket.
///
/// `excluded[row]` says whether the row arrived in an exclusion window the request's SLA
/// excludes (empty = none); such rows get [`Bucket::ExcludedByIncident`]. Contacts out of
/// the request's scope or month, and invalid rows the engine skips, are left out.
pub fn interaction_contacts(
    contract: &Contract,
    month: Month,
    table: &InteractionTable,
    request: &KpiRequest,
    excluded: &[bool],
) -> Result<InteractionEvidence, KpiError> {
    let tz = &contract.time_zone;
    let Some((t_s, s_s)) = limits(&request.measure) else {
        return Ok(InteractionEvidence {
            periods: Vec::new(),
            contacts: Vec::new(),
        });
    };
    let grid = periods(request.period, request.interval_minutes, month, tz)?;
    let (Some(first), Some(last)) = (grid.first(), grid.last()) else {
        return Ok(InteractionEvidence {
            periods: grid,
            contacts: Vec::new(),
        });
    };
    let hours = Hours::covering(&contract.doc.calendar, tz, first.start_ms, last.end_ms, 1)?;
    let outside_included = contract.doc.calendar.include_outside_hours;
    let (nq, ns, nl) = (
        table.queue_dict().len() as u32,
        table.site_dict().len() as u32,
        table.language_dict().len() as u32,
    );
    let mut contacts = Vec::new();
    for i in 0..table.row_count() {
        let ch = table.channel_code(i);
        let q = table.queue(i);
        let s = table.site(i);
        let lg = table.language(i);
        let oc = table.outcome_code(i);
        if ch > 7 || q >= nq || s.is_some_and(|s| s >= ns) || lg.is_some_and(|l| l >= nl) || oc > 7
        {
            continue;
        }
        let arr = table.arrived_at_ms(i);
        let p = grid.partition_point(|p| p.end_ms <= arr);
        if grid.get(p).is_none_or(|g| arr < g.start_ms) {
            continue;
        }
        let dict = |d: &'_ [String], x: Option<u32>| x.and_then(|x| d.get(x as usize).cloned());
        let queue = table.queue_dict().get(q as usize).map(String::as_str);
        let site = dict(table.site_dict(), s);
        let lang = dict(table.language_dict(), lg);
        if !request.scope.covers(
            channel_from_code(ch),
            queue,
            site.as_deref(),
            lang.as_deref(),
        ) {
            continue;
        }
        let wait_ms = if oc == Outcome::Answered.code() {
            table
                .answered_at_ms(i)
                .map(|a| a.saturating_sub(arr).max(0))
        } else if oc == Outcome::Abandoned.code() {
            table.ended_at_ms(i).map(|e| e.saturating_sub(arr))
        } else {
            None
        };
        let bucket = if excluded.get(i).copied().unwrap_or(false) {
            Bucket::ExcludedByIncident
        } else if !outside_included && !hours.is_open(ch, arr) {
            Bucket::OutsideHours
        } else {
            classify(oc, wait_ms, t_s, s_s)
        };
        contacts.push(ContactEvidence {
            row: i,
            period: p,
            wait_ms,
            bucket,
        });
    }
    Ok(InteractionEvidence {
        periods: grid,
        contacts,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn service_level_buckets_compare_waits_inclusively() {
        let ans = Outcome::Answered.code();
        let ab = Outcome::Abandoned.code();
        let sl = |oc, w| classify(oc, w, Some(20), Some(5));
        assert_eq!(sl(ans, Some(20_000)), Bucket::AnsweredWithinThreshold);
        assert_eq!(sl(ans, Some(20_001)), Bucket::AnsweredLate);
        assert_eq!(sl(ans, None), Bucket::AnsweredWaitUnknown);
        assert_eq!(sl(ab, Some(5_000)), Bucket::AbandonedShort);
        assert_eq!(sl(ab, Some(5_001)), Bucket::AbandonedWithinThreshold);
        assert_eq!(sl(ab, Some(20_000)), Bucket::AbandonedWithinThreshold);
        assert_eq!(sl(ab, Some(20_001)), Bucket::Abandoned);
        assert_eq!(sl(ab, None), Bucket::AbandonedWaitUnknown);
        assert_eq!(sl(Outcome::InProgress.code(), None), Bucket::InProgress);
        assert!(!Bucket::InProgress.counted());
    }

    #[test]
    fn abandonment_ignores_answer_waits() {
        let ans = Outcome::Answered.code();
        let ab = Outcome::Abandoned.code();
        assert_eq!(classify(ans, Some(99_000), None, Some(5)), Bucket::Answered);
        assert_eq!(
            classify(ab, Some(4_000), None, Some(5)),
            Bucket::AbandonedShort
        );
        assert_eq!(classify(ab, Some(6_000), None, Some(5)), Bucket::Abandoned);
        assert_eq!(classify(ab, Some(1_000), None, None), Bucket::Abandoned);
    }

    #[test]
    fn codes_are_stable_snake_case() {
        for b in [
            Bucket::AnsweredWithinThreshold,
            Bucket::AnsweredLate,
            Bucket::AbandonedShort,
            Bucket::Abandoned,
            Bucket::OutsideHours,
            Bucket::ExcludedByIncident,
        ] {
            assert!(b.code().chars().all(|c| c.is_ascii_lowercase() || c == '_'));
        }
    }
}
