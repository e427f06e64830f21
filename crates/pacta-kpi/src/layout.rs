//! The counter layout of one scan cell: which counters the requests' measures need, and where.

use pacta_contract::Measure;
use pacta_contract::measure::{AbandonmentVariant, RepeatScope, ResponseClock};
use rust_decimal::prelude::ToPrimitive;

/// A written-channel response threshold as the scan counts it: milliseconds and whether the
/// business clock applies.
pub fn response_threshold(measure: &Measure) -> Option<(i64, bool)> {
    match measure {
        Measure::ResponseTime {
            response_hours,
            clock,
        } => Some((
            (*response_hours * rust_decimal::Decimal::from(3_600_000))
                .round()
                .to_i64()
                .unwrap_or(i64::MAX),
            *clock == ResponseClock::Business,
        )),
        _ => None,
    }
}

// Fixed counters of a cell.
pub const A: usize = 0;
pub const AB: usize = 1;
pub const X: usize = 2;
pub const IN_PROGRESS: usize = 3;
pub const A_WAIT_KNOWN: usize = 4;
pub const SUM_WAIT: usize = 5;
pub const MAX_WAIT: usize = 6;
pub const AB_WAIT_UNKNOWN: usize = 7;
pub const HANDLED: usize = 8;
pub const SUM_TALK: usize = 9;
pub const SUM_HOLD: usize = 10;
pub const SUM_WRAP: usize = 11;
pub const NO_TALK: usize = 12;
pub const NO_HOLD: usize = 13;
pub const NO_WRAP: usize = 14;
pub const CUST_KNOWN: usize = 15;
pub const CUST_UNKNOWN: usize = 16;
pub const RESP_NONE: usize = 17;
const FIXED: usize = 18;

/// What the scan must count, and where in a cell.
#[derive(Debug, Clone, Default)]
pub struct Layout {
    /// Distinct wait thresholds, ms, ascending.
    pub thetas_ms: Vec<i64>,
    /// Distinct FCR repeat configurations: (scope, window ms, the request's exclusion mask:
    /// rows it drops cannot be repeats either).
    pub fcr: Vec<(RepeatScope, i64, u8)>,
    /// Distinct dispositions of interest, lower case.
    pub disps: Vec<String>,
    /// Distinct response thresholds: (ms, business clock).
    pub resp: Vec<(i64, bool)>,
    /// Whether answered waits must be kept for percentiles.
    pub need_waits: bool,
    /// Counters per cell.
    pub k: usize,
}

impl Layout {
    /// The layout the requests need: each request's measure with its exclusion mask.
    pub fn new<'m>(requests: impl IntoIterator<Item = (&'m Measure, u8)>) -> Layout {
        let mut l = Layout::default();
        let add_theta = |l: &mut Layout, s: u32| {
            let ms = i64::from(s) * 1000;
            if !l.thetas_ms.contains(&ms) {
                l.thetas_ms.push(ms);
            }
        };
        for (measure, exclude) in requests {
            match measure {
                Measure::ServiceLevel {
                    threshold_s,
                    short_abandon_s,
                    ..
                } => {
                    add_theta(&mut l, *threshold_s);
                    add_theta(&mut l, *short_abandon_s);
                }
                Measure::AbandonmentRate {
                    variant,
                    short_abandon_s,
                    after_seconds,
                } => match variant {
                    AbandonmentVariant::ExcludeShort => add_theta(&mut l, *short_abandon_s),
                    AbandonmentVariant::AfterSeconds => add_theta(&mut l, *after_seconds),
                    _ => {}
                },
                Measure::WaitPercentile { .. } => l.need_waits = true,
                Measure::FcrRepeatContact {
                    window_days,
                    repeat_scope,
                } => {
                    let c = (*repeat_scope, i64::from(*window_days) * 86_400_000, exclude);
                    if !l.fcr.contains(&c) {
                        l.fcr.push(c);
                    }
                }
                Measure::FcrAgentFlag if !l.disps.iter().any(|d| d == "resolved") => {
                    l.disps.push("resolved".into());
                }
                Measure::Conversion { disposition, .. } | Measure::Sales { disposition } => {
                    let d = pacta_data::model::disposition_key(disposition);
                    if !l.disps.contains(&d) {
                        l.disps.push(d);
                    }
                }
                Measure::ResponseTime { .. } => {
                    if let Some(r) = response_threshold(measure)
                        && !l.resp.contains(&r)
                    {
                        l.resp.push(r);
                    }
                }
                _ => {}
            }
        }
        l.thetas_ms.sort_unstable();
        l.k = FIXED + 2 * l.thetas_ms.len() + l.fcr.len() + l.disps.len() + l.resp.len();
        l
    }

    /// Counter of answered contacts with wait ≤ θ.
    pub fn a_le(&self, i: usize) -> usize {
        FIXED + 2 * i
    }
    /// Counter of abandons with wait ≤ θ.
    pub fn ab_le(&self, i: usize) -> usize {
        FIXED + 2 * i + 1
    }
    /// Counter of handled contacts followed by a repeat, per FCR configuration.
    pub fn repeat(&self, j: usize) -> usize {
        FIXED + 2 * self.thetas_ms.len() + j
    }
    /// Counter of answered contacts with a disposition of interest.
    pub fn disp(&self, d: usize) -> usize {
        self.repeat(self.fcr.len()) + d
    }
    /// Counter of contacts replied to within a response threshold.
    pub fn resp_within(&self, r: usize) -> usize {
        self.disp(self.disps.len()) + r
    }
    /// Index of a threshold given in seconds.
    pub fn theta(&self, s: u32) -> usize {
        let ms = i64::from(s) * 1000;
        self.thetas_ms.iter().position(|&t| t == ms).unwrap_or(0)
    }
}
