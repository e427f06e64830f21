//! Interaction metrics from summed cell counters.

use rust_decimal::prelude::ToPrimitive;

use crate::MetricValue;
use pacta_contract::Measure;
use pacta_contract::measure::{AbandonmentVariant, AhtVariant, ServiceLevelVariant};

use crate::layout::{self, Layout};

/// Summed counters of one (request, group, period).
pub struct Sums<'a> {
    pub v: &'a [u64],
    pub l: &'a Layout,
    /// Contacts outside hours in scope (excluded unless `outside_included`).
    pub outside_rows: u64,
    pub outside_included: bool,
}

impl Sums<'_> {
    fn g(&self, i: usize) -> u64 {
        self.v.get(i).copied().unwrap_or(0)
    }
    fn o(&self) -> u64 {
        self.g(layout::A) + self.g(layout::AB) + self.g(layout::X)
    }
    fn a_le(&self, s: u32) -> u64 {
        self.g(self.l.a_le(self.l.theta(s)))
    }
    fn ab_le(&self, s: u32) -> u64 {
        self.g(self.l.ab_le(self.l.theta(s)))
    }
    fn waits_incomplete(&self) -> bool {
        self.g(layout::A) > self.g(layout::A_WAIT_KNOWN) || self.g(layout::AB_WAIT_UNKNOWN) > 0
    }
}

/// Nearest-rank percentile of `values` (reordered in place): the value at rank ⌈p/100 × n⌉.
pub fn nearest_rank(values: &mut [u32], p: u32) -> Option<(u32, usize)> {
    let n = values.len();
    if n == 0 {
        return None;
    }
    let rank = ((u64::from(p) * n as u64).div_ceil(100) as usize).clamp(1, n);
    let (_, v, _) = values.select_nth_unstable(rank - 1);
    Some((*v, rank))
}

fn f(x: u64) -> f64 {
    x as f64
}

/// The value of an interaction metric. `exclude` is the request's exclusion mask (it selects
/// the FCR repeat flags computed without the rows the request drops).
pub fn interaction_value(
    measure: &Measure,
    exclude: u8,
    s: &Sums<'_>,
    waits: &mut [u32],
) -> MetricValue {
    let a = s.g(layout::A);
    let ab = s.g(layout::AB);
    let x = s.g(layout::X);
    let o = s.o();
    let mut mv = match measure {
        Measure::ServiceLevel {
            variant: v,
            threshold_s,
            short_abandon_s,
            include_exits: exits,
        } => {
            let (t, sh) = (*threshold_s, *short_abandon_s);
            let alt = s.a_le(t);
            let abt = s.ab_le(t);
            let abs = s.ab_le(sh);
            let (num, num_f, base, base_f) = match v {
                ServiceLevelVariant::AnsweredOnly => (alt, format!("A≤{t}"), a, "A".to_string()),
                ServiceLevelVariant::AbandonsAgainst => {
                    (alt, format!("A≤{t}"), a + ab, "A + Ab".into())
                }
                ServiceLevelVariant::ExcludeShortAbandons => (
                    alt,
                    format!("A≤{t}"),
                    a + ab - abs.min(ab),
                    format!("A + Ab − Ab≤{sh}"),
                ),
                ServiceLevelVariant::AbandonsAfterThreshold => (
                    alt,
                    format!("A≤{t}"),
                    a + ab - abt.min(ab),
                    format!("A + Ab − Ab≤{t}"),
                ),
                ServiceLevelVariant::AbandonsWithinMet => (
                    alt + abt,
                    format!("(A≤{t} + Ab≤{t})"),
                    a + ab,
                    "A + Ab".into(),
                ),
                ServiceLevelVariant::Offered => {
                    (alt + abt, format!("(A≤{t} + Ab≤{t})"), o, "O".into())
                }
            };
            let with_x = *exits && *v != ServiceLevelVariant::Offered;
            let (den, den_f) = if with_x {
                (base + x, format!("({base_f} + X)"))
            } else if base_f.contains(' ') {
                (base, format!("({base_f})"))
            } else {
                (base, base_f)
            };
            let mut m = MetricValue::ratio(f(num), f(den), 100.0, format!("{num_f} / {den_f}"))
                .with("A", f(a))
                .with("Ab", f(ab))
                .with("X", f(x))
                .with("O", f(o))
                .with("A<=T", f(alt))
                .with("Ab<=T", f(abt))
                .with("T_s", f64::from(t));
            if *v == ServiceLevelVariant::ExcludeShortAbandons {
                m = m.with("Ab<=S", f(abs)).with("S_s", f64::from(sh));
            }
            m.approximate = s.waits_incomplete();
            m
        }
        Measure::AbandonmentRate {
            variant: v,
            short_abandon_s: s_s,
            after_seconds: n_s,
        } => {
            let mut m = match v {
                AbandonmentVariant::OfOffered => {
                    MetricValue::ratio(f(ab), f(o), 100.0, "Ab / O".into())
                }
                AbandonmentVariant::OfAnsweredAndAbandoned => {
                    MetricValue::ratio(f(ab), f(a + ab), 100.0, "Ab / (A + Ab)".into())
                }
                AbandonmentVariant::ExcludeShort => {
                    let abs = s.ab_le(*s_s).min(ab);
                    MetricValue::ratio(
                        f(ab - abs),
                        f(o - abs),
                        100.0,
                        format!("(Ab − Ab≤{s_s}) / (O − Ab≤{s_s})"),
                    )
                    .with("Ab<=S", f(abs))
                    .with("S_s", f64::from(*s_s))
                }
                AbandonmentVariant::AfterSeconds => {
                    let abn = s.ab_le(*n_s).min(ab);
                    MetricValue::ratio(f(ab - abn), f(o), 100.0, format!("(Ab − Ab≤{n_s}) / O"))
                        .with("Ab<=N", f(abn))
                        .with("N_s", f64::from(*n_s))
                }
            };
            m = m
                .with("A", f(a))
                .with("Ab", f(ab))
                .with("X", f(x))
                .with("O", f(o));
            m.approximate = matches!(
                v,
                AbandonmentVariant::ExcludeShort | AbandonmentVariant::AfterSeconds
            ) && s.g(layout::AB_WAIT_UNKNOWN) > 0;
            m
        }
        Measure::Asa { of_offered } => {
            let sum = f(s.g(layout::SUM_WAIT)) / 1000.0;
            let known = s.g(layout::A_WAIT_KNOWN);
            let mut m = if *of_offered {
                MetricValue::ratio(sum, f(o), 1.0, "Σ wait(answered) / O".into())
            } else {
                MetricValue::ratio(sum, f(known), 1.0, "Σ wait(answered) / A".into())
            };
            m = m
                .with("A", f(a))
                .with("A_wait_known", f(known))
                .with("O", f(o))
                .with("sum_wait_s", sum);
            m.approximate = a > known;
            m
        }
        Measure::MaxWait => {
            let known = s.g(layout::A_WAIT_KNOWN);
            let max = f(s.g(layout::MAX_WAIT)) / 1000.0;
            let mut m = MetricValue {
                value: (known > 0).then_some(max),
                numerator: max,
                denominator: 1.0,
                approximate: a > known,
                inputs: Default::default(),
                formula: "max wait(answered)".into(),
            };
            m = m.with("A", f(a)).with("A_wait_known", f(known));
            m
        }
        Measure::WaitPercentile { percentile: p } => {
            let n = waits.len();
            let r = nearest_rank(waits, *p);
            let mut m = MetricValue {
                value: r.map(|(v, _)| f64::from(v) / 1000.0),
                numerator: r.map_or(0.0, |(v, _)| f64::from(v) / 1000.0),
                denominator: 1.0,
                approximate: a > s.g(layout::A_WAIT_KNOWN),
                inputs: Default::default(),
                formula: format!("wait(answered) at rank ⌈{p}/100 × n⌉ (nearest rank)"),
            };
            m = m
                .with("n", n as f64)
                .with("rank", r.map_or(0.0, |(_, k)| k as f64));
            m
        }
        Measure::Aht { variant: v } => {
            let handled = s.g(layout::HANDLED);
            let talk = s.g(layout::SUM_TALK);
            let hold = s.g(layout::SUM_HOLD);
            let wrap = s.g(layout::SUM_WRAP);
            let (num, formula, approx) = match v {
                AhtVariant::Default => (
                    talk + hold + wrap,
                    "(talk + hold + wrap) / handled",
                    s.g(layout::NO_HOLD) + s.g(layout::NO_WRAP) > 0,
                ),
                AhtVariant::TalkOnly => (talk, "talk / handled", false),
                AhtVariant::TalkHold => (
                    talk + hold,
                    "(talk + hold) / handled",
                    s.g(layout::NO_HOLD) > 0,
                ),
            };
            let mut m = MetricValue::ratio(f(num) / 1000.0, f(handled), 1.0, formula.into())
                .with("handled", f(handled))
                .with("talk_s", f(talk) / 1000.0)
                .with("hold_s", f(hold) / 1000.0)
                .with("wrap_s", f(wrap) / 1000.0)
                .with("missing_talk", f(s.g(layout::NO_TALK)))
                .with("missing_hold", f(s.g(layout::NO_HOLD)))
                .with("missing_wrap", f(s.g(layout::NO_WRAP)));
            m.approximate = approx || s.g(layout::NO_TALK) > 0;
            m
        }
        Measure::FcrRepeatContact {
            window_days,
            repeat_scope,
        } => {
            let known = s.g(layout::CUST_KNOWN);
            let config = (*repeat_scope, i64::from(*window_days) * 86_400_000, exclude);
            let j = s.l.fcr.iter().position(|c| *c == config).unwrap_or(0);
            let rep = s.g(s.l.repeat(j)).min(known);
            MetricValue::ratio(
                f(known - rep),
                f(known),
                100.0,
                format!("1 − repeated within {window_days} d / handled with known customer"),
            )
            .with("handled", f(a))
            .with("known_customer", f(known))
            .with("unknown_customer_excluded", f(s.g(layout::CUST_UNKNOWN)))
            .with("repeated", f(rep))
            .with("window_days", f64::from(*window_days))
        }
        Measure::FcrAgentFlag => {
            let d = disp_count(s, "resolved");
            MetricValue::ratio(f(d), f(a), 100.0, "resolved / handled".into())
                .with("resolved", f(d))
                .with("handled", f(a))
        }
        Measure::ResponseTime { response_hours, .. } => {
            let total = o + s.g(layout::IN_PROGRESS);
            let (ms, business) = layout::response_threshold(measure).unwrap_or((0, false));
            let hours = response_hours.to_f64().unwrap_or(f64::NAN);
            let r =
                s.l.resp
                    .iter()
                    .position(|c| c.0 == ms && c.1 == business)
                    .unwrap_or(0);
            let within = s.g(s.l.resp_within(r));
            let clock = if business { "business" } else { "calendar" };
            MetricValue::ratio(
                f(within),
                f(total),
                100.0,
                format!("replied within {hours} {clock} h / contacts"),
            )
            .with("contacts", f(total))
            .with("within", f(within))
            .with("no_reply", f(s.g(layout::RESP_NONE)))
        }
        Measure::Conversion {
            disposition,
            of_dialled,
        } => {
            let d = disp_count(s, disposition);
            let (den, den_f) = if *of_dialled { (o, "O") } else { (a, "A") };
            MetricValue::ratio(f(d), f(den), 100.0, format!("{disposition} / {den_f}"))
                .with("outcomes", f(d))
                .with("A", f(a))
                .with("O", f(o))
        }
        Measure::Sales { disposition } => {
            let d = disp_count(s, disposition);
            count_value(
                d,
                o + s.g(layout::IN_PROGRESS),
                format!("count({disposition})"),
            )
            .with("O", f(o))
        }
        Measure::ContactsMade => {
            count_value(a, o + s.g(layout::IN_PROGRESS), "count(answered)".into()).with("O", f(o))
        }
        _ => MetricValue::ratio(0.0, 0.0, 1.0, String::new()),
    };
    mv = mv.with("in_progress", f(s.g(layout::IN_PROGRESS)));
    mv = mv.with(
        if s.outside_included {
            "outside_hours_included"
        } else {
            "outside_hours_excluded"
        },
        f(s.outside_rows),
    );
    mv
}

fn disp_count(s: &Sums<'_>, d: &str) -> u64 {
    let d = pacta_data::model::disposition_key(d);
    s.l.disps
        .iter()
        .position(|x| *x == d)
        .map_or(0, |i| s.g(s.l.disp(i)))
}

fn count_value(n: u64, rows: u64, formula: String) -> MetricValue {
    MetricValue {
        value: (rows > 0).then_some(n as f64),
        numerator: n as f64,
        denominator: 1.0,
        approximate: false,
        inputs: Default::default(),
        formula,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank_percentiles() {
        let mut v: Vec<u32> = (1..=10).map(|x| x * 1000).collect();
        assert_eq!(nearest_rank(&mut v, 80), Some((8000, 8)));
        assert_eq!(nearest_rank(&mut v, 95), Some((10000, 10)));
        let mut w = vec![15u32, 20, 35, 40, 50];
        // Wikipedia's nearest-rank example: P30 = 20, P40 = 20, P50 = 35, P100 = 50.
        assert_eq!(nearest_rank(&mut w, 30).map(|r| r.0), Some(20));
        assert_eq!(nearest_rank(&mut w, 40).map(|r| r.0), Some(20));
        assert_eq!(nearest_rank(&mut w, 50).map(|r| r.0), Some(35));
        assert_eq!(nearest_rank(&mut w, 100).map(|r| r.0), Some(50));
        assert_eq!(nearest_rank(&mut [], 90), None);
    }
}
