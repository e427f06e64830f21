//! Requests parsed into metric kinds, and the counter layout of one scan cell.

use rust_decimal::prelude::ToPrimitive;

use crate::{KpiError, KpiRequest};

/// Service-level variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SlVariant {
    AnsweredOnly,
    AbandonsAgainst,
    ExcludeShort,
    AfterThreshold,
    WithinMet,
    Offered,
}

/// Abandonment variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AbVariant {
    OfOffered,
    OfAnsweredAndAbandoned,
    ExcludeShort,
    AfterSeconds,
}

/// Which other contacts count as a repeat.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum RepeatScope {
    Any,
    SameQueue,
    SameChannel,
}

/// AHT variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AhtVariant {
    Default,
    TalkOnly,
    TalkHold,
}

/// CSAT variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CsatVariant {
    Top2,
    Top,
    Mean,
}

/// A parsed request.
#[derive(Debug, Clone, PartialEq)]
pub enum Kind {
    ServiceLevel {
        v: SlVariant,
        t_s: u32,
        s_s: u32,
        exits: bool,
    },
    Abandonment {
        v: AbVariant,
        s_s: u32,
        n_s: u32,
    },
    Asa {
        of_offered: bool,
    },
    MaxWait,
    WaitPct(u32),
    Aht(AhtVariant),
    FcrRepeat {
        window_days: u32,
        scope: RepeatScope,
        /// The request's exclusion mask: rows it drops cannot be repeats either.
        exclude: u8,
    },
    FcrSurvey,
    FcrAgentFlag,
    Csat {
        v: CsatVariant,
        scale: u32,
    },
    Nps,
    QaScore,
    QaEvaluatedShare {
        n: u32,
    },
    ResponseTime {
        ms: i64,
        business: bool,
        hours: f64,
    },
    Occupancy,
    Adherence,
    Attrition {
        annualised: bool,
    },
    Training {
        initial: bool,
    },
    Conversion {
        disposition: String,
        of_dialled: bool,
    },
    Sales {
        disposition: String,
    },
    ContactsMade,
    ReportDelivery,
}

/// Default short-abandon threshold S, seconds.
pub const DEFAULT_S: u32 = 5;

fn bad_variant(r: &KpiRequest) -> KpiError {
    KpiError::UnknownVariant {
        metric: r.metric.clone(),
        variant: r.variant.clone(),
    }
}

fn bad_param(r: &KpiRequest, p: &str) -> KpiError {
    KpiError::BadParam {
        metric: r.metric.clone(),
        param: p.to_string(),
    }
}

impl Kind {
    /// Parses a request.
    pub fn parse(r: &KpiRequest) -> Result<Kind, KpiError> {
        let p = &r.params;
        let v = r.variant.as_str();
        let s_s = p.short_abandon_s.unwrap_or(DEFAULT_S);
        Ok(match r.metric.as_str() {
            "service_level" => Kind::ServiceLevel {
                v: match v {
                    "answered_only" => SlVariant::AnsweredOnly,
                    "abandons_against" => SlVariant::AbandonsAgainst,
                    "exclude_short_abandons" | "default" => SlVariant::ExcludeShort,
                    "abandons_after_threshold" => SlVariant::AfterThreshold,
                    "abandons_within_met" => SlVariant::WithinMet,
                    "offered" => SlVariant::Offered,
                    _ => return Err(bad_variant(r)),
                },
                t_s: p
                    .threshold_s
                    .ok_or_else(|| bad_param(r, "threshold_s is required"))?,
                s_s,
                exits: p.include_exits.unwrap_or(false),
            },
            "abandonment_rate" => Kind::Abandonment {
                v: match v {
                    "of_offered" | "default" => AbVariant::OfOffered,
                    "of_answered_and_abandoned" => AbVariant::OfAnsweredAndAbandoned,
                    "exclude_short" => AbVariant::ExcludeShort,
                    "after_seconds" => AbVariant::AfterSeconds,
                    _ => return Err(bad_variant(r)),
                },
                s_s,
                n_s: match (v, p.after_seconds) {
                    ("after_seconds", None) => {
                        return Err(bad_param(r, "after_seconds is required"));
                    }
                    (_, n) => n.unwrap_or(0),
                },
            },
            "asa" => Kind::Asa {
                of_offered: match v {
                    "default" => false,
                    "of_offered" => true,
                    _ => return Err(bad_variant(r)),
                },
            },
            "max_wait" => Kind::MaxWait,
            "wait_p80" => Kind::WaitPct(80),
            "wait_p90" => Kind::WaitPct(90),
            "wait_p95" => Kind::WaitPct(95),
            "aht" => Kind::Aht(match v {
                "default" => AhtVariant::Default,
                "talk_only" => AhtVariant::TalkOnly,
                "talk_hold" => AhtVariant::TalkHold,
                _ => return Err(bad_variant(r)),
            }),
            "fcr" => match v {
                "repeat_contact" | "default" => Kind::FcrRepeat {
                    window_days: p.window_days.unwrap_or(7),
                    scope: match p.repeat_scope.as_deref() {
                        None | Some("any") => RepeatScope::Any,
                        Some("same_queue") => RepeatScope::SameQueue,
                        Some("same_channel") => RepeatScope::SameChannel,
                        Some(_) => return Err(bad_param(r, "repeat_scope")),
                    },
                    exclude: r.exclude_marks,
                },
                "survey" => Kind::FcrSurvey,
                "agent_flag" => Kind::FcrAgentFlag,
                _ => return Err(bad_variant(r)),
            },
            "csat" => Kind::Csat {
                v: match v {
                    "top_2_box" | "default" => CsatVariant::Top2,
                    "top_box" => CsatVariant::Top,
                    "mean" => CsatVariant::Mean,
                    _ => return Err(bad_variant(r)),
                },
                scale: match p.scale.unwrap_or(5) {
                    s @ 2..=100 => s,
                    _ => return Err(bad_param(r, "scale")),
                },
            },
            "nps" => Kind::Nps,
            "qa_score" => match v {
                "weighted_critical" | "default" => Kind::QaScore,
                "evaluated_share" => Kind::QaEvaluatedShare {
                    n: p.evaluations_per_agent.unwrap_or(1),
                },
                _ => return Err(bad_variant(r)),
            },
            "response_time" => {
                let hours = p
                    .response_hours
                    .and_then(|h| h.to_f64())
                    .ok_or_else(|| bad_param(r, "response_hours is required"))?;
                let ms = p
                    .response_hours
                    .and_then(|h| {
                        (h * rust_decimal::Decimal::from(3_600_000))
                            .round()
                            .to_i64()
                    })
                    .ok_or_else(|| bad_param(r, "response_hours"))?;
                Kind::ResponseTime {
                    ms,
                    hours,
                    business: match p.clock.as_deref() {
                        None | Some("calendar") => false,
                        Some("business") => true,
                        Some(_) => return Err(bad_param(r, "clock")),
                    },
                }
            }
            "occupancy" => Kind::Occupancy,
            "adherence" => Kind::Adherence,
            "attrition" => Kind::Attrition {
                annualised: match v {
                    "monthly" | "default" => false,
                    "annualised" => true,
                    _ => return Err(bad_variant(r)),
                },
            },
            "training_hours" => Kind::Training {
                initial: match v {
                    "ongoing_per_agent" | "default" => false,
                    "initial_per_hire" => true,
                    _ => return Err(bad_variant(r)),
                },
            },
            "conversion" => Kind::Conversion {
                disposition: p.disposition.clone().unwrap_or_else(|| "sale".into()),
                of_dialled: match v {
                    "of_handled" | "default" => false,
                    "of_dialled" => true,
                    _ => return Err(bad_variant(r)),
                },
            },
            "sales" => Kind::Sales {
                disposition: p.disposition.clone().unwrap_or_else(|| "sale".into()),
            },
            "contacts_made" => Kind::ContactsMade,
            "report_delivery" => Kind::ReportDelivery,
            other => return Err(KpiError::UnknownMetric(other.to_string())),
        })
    }

    /// Whether the metric reads the interaction table.
    pub fn is_interaction(&self) -> bool {
        matches!(
            self,
            Kind::ServiceLevel { .. }
                | Kind::Abandonment { .. }
                | Kind::Asa { .. }
                | Kind::MaxWait
                | Kind::WaitPct(_)
                | Kind::Aht(_)
                | Kind::FcrRepeat { .. }
                | Kind::FcrAgentFlag
                | Kind::ResponseTime { .. }
                | Kind::Conversion { .. }
                | Kind::Sales { .. }
                | Kind::ContactsMade
        )
    }

    /// Whether the metric is measured on local dates (roster, agent days, deliveries).
    pub fn is_date_based(&self) -> bool {
        matches!(
            self,
            Kind::Occupancy
                | Kind::Adherence
                | Kind::Attrition { .. }
                | Kind::Training { .. }
                | Kind::ReportDelivery
        )
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
    /// Distinct FCR repeat configurations: (scope, window ms, exclusion mask).
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
    /// The layout the requests need.
    pub fn new(kinds: &[Kind]) -> Layout {
        let mut l = Layout::default();
        let add_theta = |l: &mut Layout, s: u32| {
            let ms = i64::from(s) * 1000;
            if !l.thetas_ms.contains(&ms) {
                l.thetas_ms.push(ms);
            }
        };
        for k in kinds {
            match k {
                Kind::ServiceLevel { t_s, s_s, .. } => {
                    add_theta(&mut l, *t_s);
                    add_theta(&mut l, *s_s);
                }
                Kind::Abandonment { v, s_s, n_s } => match v {
                    AbVariant::ExcludeShort => add_theta(&mut l, *s_s),
                    AbVariant::AfterSeconds => add_theta(&mut l, *n_s),
                    _ => {}
                },
                Kind::WaitPct(_) => l.need_waits = true,
                Kind::FcrRepeat {
                    window_days,
                    scope,
                    exclude,
                } => {
                    let c = (*scope, i64::from(*window_days) * 86_400_000, *exclude);
                    if !l.fcr.contains(&c) {
                        l.fcr.push(c);
                    }
                }
                Kind::FcrAgentFlag if !l.disps.iter().any(|d| d == "resolved") => {
                    l.disps.push("resolved".into());
                }
                Kind::Conversion { disposition, .. } | Kind::Sales { disposition } => {
                    let d = disposition.trim().to_lowercase();
                    if !l.disps.contains(&d) {
                        l.disps.push(d);
                    }
                }
                Kind::ResponseTime { ms, business, .. } if !l.resp.contains(&(*ms, *business)) => {
                    l.resp.push((*ms, *business));
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
