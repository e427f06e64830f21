//! Interaction metrics from summed cell counters.

use crate::MetricValue;
use crate::plan::{self, AbVariant, AhtVariant, Kind, Layout, SlVariant};

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
        self.g(plan::A) + self.g(plan::AB) + self.g(plan::X)
    }
    fn a_le(&self, s: u32) -> u64 {
        self.g(self.l.a_le(self.l.theta(s)))
    }
    fn ab_le(&self, s: u32) -> u64 {
        self.g(self.l.ab_le(self.l.theta(s)))
    }
    fn waits_incomplete(&self) -> bool {
        self.g(plan::A) > self.g(plan::A_WAIT_KNOWN) || self.g(plan::AB_WAIT_UNKNOWN) > 0
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

/// The value of an interaction metric.
pub fn interaction_value(kind: &Kind, s: &Sums<'_>, waits: &mut [u32]) -> MetricValue {
    let a = s.g(plan::A);
    let ab = s.g(plan::AB);
    let x = s.g(plan::X);
    let o = s.o();
    let mut mv = match kind {
        Kind::ServiceLevel { v, t_s, s_s, exits } => {
            let (t, sh) = (*t_s, *s_s);
            let alt = s.a_le(t);
            let abt = s.ab_le(t);
            let abs = s.ab_le(sh);
            let (num, num_f, base, base_f) = match v {
                SlVariant::AnsweredOnly => (alt, format!("A≤{t}"), a, "A".to_string()),
                SlVariant::AbandonsAgainst => (alt, format!("A≤{t}"), a + ab, "A + Ab".into()),
                SlVariant::ExcludeShort => (
                    alt,
                    format!("A≤{t}"),
                    a + ab - abs.min(ab),
                    format!("A + Ab − Ab≤{sh}"),
                ),
                SlVariant::AfterThreshold => (
                    alt,
                    format!("A≤{t}"),
                    a + ab - abt.min(ab),
                    format!("A + Ab − Ab≤{t}"),
                ),
                SlVariant::WithinMet => (
                    alt + abt,
                    format!("(A≤{t} + Ab≤{t})"),
                    a + ab,
                    "A + Ab".into(),
                ),
                SlVariant::Offered => (alt + abt, format!("(A≤{t} + Ab≤{t})"), o, "O".into()),
            };
            let with_x = *exits && *v != SlVariant::Offered;
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
            if *v == SlVariant::ExcludeShort {
                m = m.with("Ab<=S", f(abs)).with("S_s", f64::from(sh));
            }
            m.approximate = s.waits_incomplete();
            m
        }
        Kind::Abandonment { v, s_s, n_s } => {
            let mut m = match v {
                AbVariant::OfOffered => MetricValue::ratio(f(ab), f(o), 100.0, "Ab / O".into()),
                AbVariant::OfAnsweredAndAbandoned => {
                    MetricValue::ratio(f(ab), f(a + ab), 100.0, "Ab / (A + Ab)".into())
                }
                AbVariant::ExcludeShort => {
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
                AbVariant::AfterSeconds => {
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
            m.approximate = matches!(v, AbVariant::ExcludeShort | AbVariant::AfterSeconds)
                && s.g(plan::AB_WAIT_UNKNOWN) > 0;
            m
        }
        Kind::Asa { of_offered } => {
            let sum = f(s.g(plan::SUM_WAIT)) / 1000.0;
            let known = s.g(plan::A_WAIT_KNOWN);
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
        Kind::MaxWait => {
            let known = s.g(plan::A_WAIT_KNOWN);
            let max = f(s.g(plan::MAX_WAIT)) / 1000.0;
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
        Kind::WaitPct(p) => {
            let n = waits.len();
            let r = nearest_rank(waits, *p);
            let mut m = MetricValue {
                value: r.map(|(v, _)| f64::from(v) / 1000.0),
                numerator: r.map_or(0.0, |(v, _)| f64::from(v) / 1000.0),
                denominator: 1.0,
                approximate: a > s.g(plan::A_WAIT_KNOWN),
                inputs: Default::default(),
                formula: format!("wait(answered) at rank ⌈{p}/100 × n⌉ (nearest rank)"),
            };
            m = m
                .with("n", n as f64)
                .with("rank", r.map_or(0.0, |(_, k)| k as f64));
            m
        }
        Kind::Aht(v) => {
            let handled = s.g(plan::HANDLED);
            let talk = s.g(plan::SUM_TALK);
            let hold = s.g(plan::SUM_HOLD);
            let wrap = s.g(plan::SUM_WRAP);
            let (num, formula, approx) = match v {
                AhtVariant::Default => (
                    talk + hold + wrap,
                    "(talk + hold + wrap) / handled",
                    s.g(plan::NO_HOLD) + s.g(plan::NO_WRAP) > 0,
                ),
                AhtVariant::TalkOnly => (talk, "talk / handled", false),
                AhtVariant::TalkHold => (
                    talk + hold,
                    "(talk + hold) / handled",
                    s.g(plan::NO_HOLD) > 0,
                ),
            };
            let mut m = MetricValue::ratio(f(num) / 1000.0, f(handled), 1.0, formula.into())
                .with("handled", f(handled))
                .with("talk_s", f(talk) / 1000.0)
                .with("hold_s", f(hold) / 1000.0)
                .with("wrap_s", f(wrap) / 1000.0)
                .with("missing_talk", f(s.g(plan::NO_TALK)))
                .with("missing_hold", f(s.g(plan::NO_HOLD)))
                .with("missing_wrap", f(s.g(plan::NO_WRAP)));
            m.approximate = approx || s.g(plan::NO_TALK) > 0;
            m
        }
        Kind::FcrRepeat {
            window_days,
            scope,
            exclude,
        } => {
            let known = s.g(plan::CUST_KNOWN);
            let config = (*scope, i64::from(*window_days) * 86_400_000, *exclude);
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
            .with("unknown_customer_excluded", f(s.g(plan::CUST_UNKNOWN)))
            .with("repeated", f(rep))
            .with("window_days", f64::from(*window_days))
        }
        Kind::FcrAgentFlag => {
            let d = disp_count(s, "resolved");
            MetricValue::ratio(f(d), f(a), 100.0, "resolved / handled".into())
                .with("resolved", f(d))
                .with("handled", f(a))
        }
        Kind::ResponseTime {
            ms,
            business,
            hours,
        } => {
            let total = o + s.g(plan::IN_PROGRESS);
            let r =
                s.l.resp
                    .iter()
                    .position(|c| c.0 == *ms && c.1 == *business)
                    .unwrap_or(0);
            let within = s.g(s.l.resp_within(r));
            let clock = if *business { "business" } else { "calendar" };
            MetricValue::ratio(
                f(within),
                f(total),
                100.0,
                format!("replied within {hours} {clock} h / contacts"),
            )
            .with("contacts", f(total))
            .with("within", f(within))
            .with("no_reply", f(s.g(plan::RESP_NONE)))
        }
        Kind::Conversion {
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
        Kind::Sales { disposition } => {
            let d = disp_count(s, disposition);
            count_value(
                d,
                o + s.g(plan::IN_PROGRESS),
                format!("count({disposition})"),
            )
            .with("O", f(o))
        }
        Kind::ContactsMade => {
            count_value(a, o + s.g(plan::IN_PROGRESS), "count(answered)".into()).with("O", f(o))
        }
        _ => MetricValue::ratio(0.0, 0.0, 1.0, String::new()),
    };
    mv = mv.with("in_progress", f(s.g(plan::IN_PROGRESS)));
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
    let d = d.trim().to_lowercase();
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
