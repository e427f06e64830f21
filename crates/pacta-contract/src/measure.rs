//! What an SLA measures, typed: the metric, its formula variant and its parameters.
//!
//! A contract names a metric, a variant and parameters as strings and numbers
//! (`metric = "service_level"`, `variant = "offered"`, `params = { threshold_s = 20 }`).
//! [`Measure::parse`] turns them into one enum value, once, during validation; everything
//! downstream (the KPI engine, settlement, planning, review, render, the CLI) matches on the
//! enum and never compares metric or variant strings again. Defaults of `docs/spec/kpi-definitions.md`
//! (`short_abandon_s` 5, FCR window 7 days, CSAT scale 5, disposition `sale`) are applied here
//! and nowhere else.

use rust_decimal::Decimal;
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use crate::error::Problem;
use crate::metrics::{self, Direction, MetricDef, Param, Unit};
use crate::model::SlaParams;

/// Default short-abandon threshold S, seconds (`docs/spec/kpi-definitions.md` §1).
pub const DEFAULT_SHORT_ABANDON_S: u32 = 5;
/// Default FCR repeat window, days.
pub const DEFAULT_FCR_WINDOW_DAYS: u32 = 7;
/// Default CSAT scale maximum.
pub const DEFAULT_CSAT_SCALE: u32 = 5;
/// Default outcome disposition counted by sales and conversion.
pub const DEFAULT_DISPOSITION: &str = "sale";

/// How a service level treats abandoned and other contacts (`docs/spec/kpi-definitions.md` §1). The one
/// service-level variant type of pacta: the KPI engine, Erlang A planning and the CLI use it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum ServiceLevelVariant {
    /// `A≤T / (A + Ab − Ab≤S)`: short abandons leave the denominator (the default).
    ExcludeShortAbandons,
    /// `A≤T / A`: abandons ignored.
    AnsweredOnly,
    /// `A≤T / (A + Ab)`: every abandon counts against.
    AbandonsAgainst,
    /// `A≤T / (A + Ab − Ab≤T)`: only abandons after the threshold count against.
    AbandonsAfterThreshold,
    /// `(A≤T + Ab≤T) / (A + Ab)`: abandons within the threshold count as met.
    AbandonsWithinMet,
    /// `(A≤T + Ab≤T) / O`: share of everything offered.
    Offered,
}

impl ServiceLevelVariant {
    /// Every variant, the default first.
    pub const ALL: [ServiceLevelVariant; 6] = [
        ServiceLevelVariant::ExcludeShortAbandons,
        ServiceLevelVariant::AnsweredOnly,
        ServiceLevelVariant::AbandonsAgainst,
        ServiceLevelVariant::AbandonsAfterThreshold,
        ServiceLevelVariant::AbandonsWithinMet,
        ServiceLevelVariant::Offered,
    ];

    /// The name contracts use.
    pub fn name(self) -> &'static str {
        match self {
            ServiceLevelVariant::ExcludeShortAbandons => "exclude_short_abandons",
            ServiceLevelVariant::AnsweredOnly => "answered_only",
            ServiceLevelVariant::AbandonsAgainst => "abandons_against",
            ServiceLevelVariant::AbandonsAfterThreshold => "abandons_after_threshold",
            ServiceLevelVariant::AbandonsWithinMet => "abandons_within_met",
            ServiceLevelVariant::Offered => "offered",
        }
    }

    /// The variant a contract names, if it is one.
    pub fn from_name(name: &str) -> Option<ServiceLevelVariant> {
        Self::ALL.into_iter().find(|v| v.name() == name)
    }
}

/// Abandonment-rate variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AbandonmentVariant {
    /// `Ab / O` (the default).
    OfOffered,
    /// `Ab / (A + Ab)`.
    OfAnsweredAndAbandoned,
    /// `(Ab − Ab≤S) / (O − Ab≤S)`.
    ExcludeShort,
    /// `(Ab − Ab≤N) / O`.
    AfterSeconds,
}

/// Average-handle-time variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum AhtVariant {
    /// Talk + hold + wrap (the default).
    Default,
    /// Talk only.
    TalkOnly,
    /// Talk + hold.
    TalkHold,
}

/// Which later contacts count as a repeat for repeat-contact FCR.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum RepeatScope {
    /// Any contact of the same customer.
    Any,
    /// Only in the same queue.
    SameQueue,
    /// Only on the same channel.
    SameChannel,
}

/// CSAT variants.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum CsatVariant {
    /// Share of the two best answers (the default).
    Top2Box,
    /// Share of the best answer.
    TopBox,
    /// Mean answer.
    Mean,
}

/// The clock a written-response threshold runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ResponseClock {
    /// Every hour counts (the default).
    Calendar,
    /// Only open hours of the contact's channel count.
    Business,
}

/// One measurable quantity: a catalog metric with its variant and typed parameters.
#[derive(Debug, Clone, PartialEq, Serialize)]
#[serde(tag = "metric", rename_all = "snake_case")]
pub enum Measure {
    /// Share answered within `threshold_s`.
    ServiceLevel {
        /// Formula variant.
        variant: ServiceLevelVariant,
        /// Answer threshold T, seconds.
        threshold_s: u32,
        /// Short-abandon threshold S, seconds.
        short_abandon_s: u32,
        /// Other exits (overflow, timeout…) count in the denominator as not met.
        include_exits: bool,
    },
    /// Share of offered contacts abandoned.
    AbandonmentRate {
        /// Formula variant.
        variant: AbandonmentVariant,
        /// Short-abandon threshold S, seconds.
        short_abandon_s: u32,
        /// `after_seconds(N)`: abandons within N seconds are not counted (0 otherwise).
        after_seconds: u32,
    },
    /// Average speed of answer.
    Asa {
        /// Divide by offered contacts instead of answered ones.
        of_offered: bool,
    },
    /// Longest answered wait.
    MaxWait,
    /// A nearest-rank percentile of answered waits (80, 90 or 95).
    WaitPercentile {
        /// The percentile.
        percentile: u32,
    },
    /// Average handle time.
    Aht {
        /// Formula variant.
        variant: AhtVariant,
    },
    /// First-contact resolution: no repeat contact within a window.
    FcrRepeatContact {
        /// Repeat window, days.
        window_days: u32,
        /// Which contacts count as repeats.
        repeat_scope: RepeatScope,
    },
    /// First-contact resolution from survey answers.
    FcrSurvey,
    /// First-contact resolution from the agent's `resolved` disposition.
    FcrAgentFlag,
    /// Customer satisfaction.
    Csat {
        /// Formula variant.
        variant: CsatVariant,
        /// Scale maximum (2–100).
        scale: u32,
    },
    /// Net promoter score.
    Nps,
    /// Mean QA evaluation score (critical items zero the evaluation).
    QaScore,
    /// Share of agents with at least N QA evaluations.
    QaEvaluatedShare {
        /// Evaluations each agent needs.
        evaluations_per_agent: u32,
    },
    /// Share of written contacts replied to within a number of hours.
    ResponseTime {
        /// The threshold, hours.
        response_hours: Decimal,
        /// Calendar or business clock.
        clock: ResponseClock,
    },
    /// Agent occupancy.
    Occupancy,
    /// Schedule adherence.
    Adherence,
    /// Staff attrition.
    Attrition {
        /// Over the last 12 months instead of the month.
        annualised: bool,
    },
    /// Training hours.
    TrainingHours {
        /// Initial training per new hire instead of ongoing training per agent-month.
        initial: bool,
    },
    /// Sales conversion.
    Conversion {
        /// The disposition counted, as written (matched without regard to case).
        disposition: String,
        /// Divide by offered (dialled) contacts instead of handled ones.
        of_dialled: bool,
    },
    /// Sales closed.
    Sales {
        /// The disposition counted, as written (matched without regard to case).
        disposition: String,
    },
    /// Contacts made (answered).
    ContactsMade,
    /// Reports delivered on time.
    ReportDelivery,
}

/// A problem with a metric, variant or parameter, and where in the SLA it is (`metric`,
/// `variant`, `params` or `params.<key>`).
pub type MeasureProblem = (&'static str, Option<&'static str>, Problem);

impl Measure {
    /// Parses a metric name, an optional variant name and parameters as a contract writes
    /// them. Every problem is returned, each with the key it is about: `("metric", None)`,
    /// `("variant", None)`, `("params", None)` or `("params", Some(key))`.
    pub fn parse(
        metric: &str,
        variant: Option<&str>,
        params: &SlaParams,
    ) -> Result<Measure, Vec<MeasureProblem>> {
        let Some(def) = metrics::metric(metric) else {
            return Err(vec![(
                "metric",
                None,
                Problem::UnknownMetric {
                    name: metric.to_string(),
                    suggestion: metrics::closest(metric, metrics::CATALOG.iter().map(|m| m.name))
                        .map(str::to_string),
                },
            )]);
        };
        let mut problems = Vec::new();
        let v = match variant {
            Some(v) if !def.variants.contains(&v) => {
                problems.push((
                    "variant",
                    None,
                    Problem::UnknownVariant {
                        metric: def.name.to_string(),
                        variant: v.to_string(),
                        allowed: def.variants.iter().map(|s| s.to_string()).collect(),
                    },
                ));
                def.default_variant()
            }
            Some(v) => v,
            None => def.default_variant(),
        };
        let given = given_params(params);
        for req in def.required {
            if !given.contains(&req.key()) {
                problems.push((
                    "params",
                    None,
                    Problem::MissingParam {
                        metric: def.name.into(),
                        param: req.key().into(),
                    },
                ));
            }
        }
        if def.name == "abandonment_rate" && v == "after_seconds" && params.after_seconds.is_none()
        {
            problems.push((
                "params",
                None,
                Problem::MissingParam {
                    metric: def.name.into(),
                    param: Param::AfterSeconds.key().into(),
                },
            ));
        }
        for g in &given {
            if !def.accepts(g) {
                problems.push((
                    "params",
                    Some(*g),
                    Problem::ParamNotAccepted {
                        metric: def.name.into(),
                        param: (*g).into(),
                    },
                ));
            }
        }
        let clock = match params.clock.as_deref() {
            None | Some("calendar") => ResponseClock::Calendar,
            Some("business") => ResponseClock::Business,
            Some(other) => {
                problems.push((
                    "params",
                    Some("clock"),
                    Problem::UnknownVariant {
                        metric: "response_time.clock".into(),
                        variant: other.to_string(),
                        allowed: vec!["calendar".into(), "business".into()],
                    },
                ));
                ResponseClock::Calendar
            }
        };
        let repeat_scope = match params.repeat_scope.as_deref() {
            None | Some("any") => RepeatScope::Any,
            Some("same_queue") => RepeatScope::SameQueue,
            Some("same_channel") => RepeatScope::SameChannel,
            Some(other) => {
                problems.push((
                    "params",
                    Some("repeat_scope"),
                    Problem::UnknownVariant {
                        metric: "fcr.repeat_scope".into(),
                        variant: other.to_string(),
                        allowed: vec!["any".into(), "same_queue".into(), "same_channel".into()],
                    },
                ));
                RepeatScope::Any
            }
        };
        let scale = params.scale.unwrap_or(DEFAULT_CSAT_SCALE);
        if def.name == "csat" && !(2..=100).contains(&scale) {
            problems.push((
                "params",
                Some("scale"),
                Problem::OutOfRange {
                    value: scale.into(),
                    min: Decimal::TWO,
                    max: Decimal::ONE_HUNDRED,
                },
            ));
        }
        let response_hours = params.response_hours.unwrap_or_default();
        if def.name == "response_time"
            && params.response_hours.is_some()
            && (response_hours <= Decimal::ZERO
                || (response_hours * Decimal::from(3_600_000))
                    .to_i64()
                    .is_none())
        {
            problems.push((
                "params",
                Some("response_hours"),
                Problem::OutOfRange {
                    value: response_hours,
                    min: Decimal::ZERO,
                    max: Decimal::from(1_000_000),
                },
            ));
        }
        if !problems.is_empty() {
            return Err(problems);
        }
        let short_abandon_s = params.short_abandon_s.unwrap_or(DEFAULT_SHORT_ABANDON_S);
        let disposition = || {
            params
                .disposition
                .clone()
                .unwrap_or_else(|| DEFAULT_DISPOSITION.to_string())
        };
        Ok(match (def.name, v) {
            ("service_level", v) => Measure::ServiceLevel {
                variant: ServiceLevelVariant::from_name(v)
                    .unwrap_or(ServiceLevelVariant::ExcludeShortAbandons),
                threshold_s: params.threshold_s.unwrap_or_default(),
                short_abandon_s,
                include_exits: params.include_exits.unwrap_or(false),
            },
            ("abandonment_rate", v) => Measure::AbandonmentRate {
                variant: match v {
                    "of_answered_and_abandoned" => AbandonmentVariant::OfAnsweredAndAbandoned,
                    "exclude_short" => AbandonmentVariant::ExcludeShort,
                    "after_seconds" => AbandonmentVariant::AfterSeconds,
                    _ => AbandonmentVariant::OfOffered,
                },
                short_abandon_s,
                after_seconds: params.after_seconds.unwrap_or(0),
            },
            ("asa", v) => Measure::Asa {
                of_offered: v == "of_offered",
            },
            ("max_wait", _) => Measure::MaxWait,
            ("wait_p80", _) => Measure::WaitPercentile { percentile: 80 },
            ("wait_p90", _) => Measure::WaitPercentile { percentile: 90 },
            ("wait_p95", _) => Measure::WaitPercentile { percentile: 95 },
            ("aht", v) => Measure::Aht {
                variant: match v {
                    "talk_only" => AhtVariant::TalkOnly,
                    "talk_hold" => AhtVariant::TalkHold,
                    _ => AhtVariant::Default,
                },
            },
            ("fcr", "survey") => Measure::FcrSurvey,
            ("fcr", "agent_flag") => Measure::FcrAgentFlag,
            ("fcr", _) => Measure::FcrRepeatContact {
                window_days: params.window_days.unwrap_or(DEFAULT_FCR_WINDOW_DAYS),
                repeat_scope,
            },
            ("csat", v) => Measure::Csat {
                variant: match v {
                    "top_box" => CsatVariant::TopBox,
                    "mean" => CsatVariant::Mean,
                    _ => CsatVariant::Top2Box,
                },
                scale,
            },
            ("nps", _) => Measure::Nps,
            ("qa_score", "evaluated_share") => Measure::QaEvaluatedShare {
                evaluations_per_agent: params.evaluations_per_agent.unwrap_or(1),
            },
            ("qa_score", _) => Measure::QaScore,
            ("response_time", _) => Measure::ResponseTime {
                response_hours,
                clock,
            },
            ("occupancy", _) => Measure::Occupancy,
            ("adherence", _) => Measure::Adherence,
            ("attrition", v) => Measure::Attrition {
                annualised: v == "annualised",
            },
            ("training_hours", v) => Measure::TrainingHours {
                initial: v == "initial_per_hire",
            },
            ("conversion", v) => Measure::Conversion {
                disposition: disposition(),
                of_dialled: v == "of_dialled",
            },
            ("sales", _) => Measure::Sales {
                disposition: disposition(),
            },
            ("contacts_made", _) => Measure::ContactsMade,
            _ => Measure::ReportDelivery,
        })
    }

    /// The catalog entry of the metric.
    pub fn def(&self) -> &'static MetricDef {
        // Every variant of the enum names a catalog metric (a unit test checks it).
        metrics::metric(self.metric_name()).unwrap_or(&metrics::CATALOG[0])
    }

    /// The metric's machine name (`service_level`).
    pub fn metric_name(&self) -> &'static str {
        match self {
            Measure::ServiceLevel { .. } => "service_level",
            Measure::AbandonmentRate { .. } => "abandonment_rate",
            Measure::Asa { .. } => "asa",
            Measure::MaxWait => "max_wait",
            Measure::WaitPercentile { percentile: 80 } => "wait_p80",
            Measure::WaitPercentile { percentile: 95 } => "wait_p95",
            Measure::WaitPercentile { .. } => "wait_p90",
            Measure::Aht { .. } => "aht",
            Measure::FcrRepeatContact { .. } | Measure::FcrSurvey | Measure::FcrAgentFlag => "fcr",
            Measure::Csat { .. } => "csat",
            Measure::Nps => "nps",
            Measure::QaScore | Measure::QaEvaluatedShare { .. } => "qa_score",
            Measure::ResponseTime { .. } => "response_time",
            Measure::Occupancy => "occupancy",
            Measure::Adherence => "adherence",
            Measure::Attrition { .. } => "attrition",
            Measure::TrainingHours { .. } => "training_hours",
            Measure::Conversion { .. } => "conversion",
            Measure::Sales { .. } => "sales",
            Measure::ContactsMade => "contacts_made",
            Measure::ReportDelivery => "report_delivery",
        }
    }

    /// The variant's name as contracts write it (`exclude_short_abandons`).
    pub fn variant_name(&self) -> &'static str {
        match self {
            Measure::ServiceLevel { variant, .. } => variant.name(),
            Measure::AbandonmentRate { variant, .. } => match variant {
                AbandonmentVariant::OfOffered => "of_offered",
                AbandonmentVariant::OfAnsweredAndAbandoned => "of_answered_and_abandoned",
                AbandonmentVariant::ExcludeShort => "exclude_short",
                AbandonmentVariant::AfterSeconds => "after_seconds",
            },
            Measure::Asa { of_offered: true } => "of_offered",
            Measure::Aht { variant } => match variant {
                AhtVariant::Default => "default",
                AhtVariant::TalkOnly => "talk_only",
                AhtVariant::TalkHold => "talk_hold",
            },
            Measure::FcrRepeatContact { .. } => "repeat_contact",
            Measure::FcrSurvey => "survey",
            Measure::FcrAgentFlag => "agent_flag",
            Measure::Csat { variant, .. } => match variant {
                CsatVariant::Top2Box => "top_2_box",
                CsatVariant::TopBox => "top_box",
                CsatVariant::Mean => "mean",
            },
            Measure::QaScore => "weighted_critical",
            Measure::QaEvaluatedShare { .. } => "evaluated_share",
            Measure::ResponseTime { .. } => "within_hours",
            Measure::Attrition { annualised } => {
                if *annualised {
                    "annualised"
                } else {
                    "monthly"
                }
            }
            Measure::TrainingHours { initial } => {
                if *initial {
                    "initial_per_hire"
                } else {
                    "ongoing_per_agent"
                }
            }
            Measure::Conversion { of_dialled, .. } => {
                if *of_dialled {
                    "of_dialled"
                } else {
                    "of_handled"
                }
            }
            Measure::WaitPercentile { .. } => "nearest_rank",
            Measure::Sales { .. } | Measure::ContactsMade => "count",
            Measure::ReportDelivery => "on_time_share",
            Measure::Asa { of_offered: false }
            | Measure::MaxWait
            | Measure::Nps
            | Measure::Occupancy
            | Measure::Adherence => "default",
        }
    }

    /// The unit its values are in. A CSAT mean is a score on the survey's scale, and the
    /// evaluated share of QA a percentage, whatever the metric's usual unit.
    pub fn unit(&self) -> Unit {
        match self {
            Measure::Csat {
                variant: CsatVariant::Mean,
                ..
            } => Unit::Score,
            Measure::QaEvaluatedShare { .. } => Unit::Percent,
            _ => self.def().unit,
        }
    }

    /// Whether more is better (the target is a floor) or less is (a ceiling).
    pub fn direction(&self) -> Direction {
        self.def().direction
    }

    /// Whether the metric is computed from the interaction table.
    pub fn reads_interactions(&self) -> bool {
        matches!(
            self,
            Measure::ServiceLevel { .. }
                | Measure::AbandonmentRate { .. }
                | Measure::Asa { .. }
                | Measure::MaxWait
                | Measure::WaitPercentile { .. }
                | Measure::Aht { .. }
                | Measure::FcrRepeatContact { .. }
                | Measure::FcrAgentFlag
                | Measure::ResponseTime { .. }
                | Measure::Conversion { .. }
                | Measure::Sales { .. }
                | Measure::ContactsMade
        )
    }

    /// Whether the metric is measured on local dates (roster, agent days, deliveries), so an
    /// interval period means a day for it.
    pub fn is_date_based(&self) -> bool {
        matches!(
            self,
            Measure::Occupancy
                | Measure::Adherence
                | Measure::Attrition { .. }
                | Measure::TrainingHours { .. }
                | Measure::ReportDelivery
        )
    }

    /// Whether the metric reads survey answers or QA evaluations, which are placed in a scope
    /// through the interaction they reference.
    pub fn links_records_to_contacts(&self) -> bool {
        matches!(
            self,
            Measure::Csat { .. }
                | Measure::Nps
                | Measure::QaScore
                | Measure::QaEvaluatedShare { .. }
                | Measure::FcrSurvey
        )
    }

    /// Whether the metric reads first-response times (written channels).
    pub fn reads_first_response(&self) -> bool {
        matches!(self, Measure::ResponseTime { .. })
    }
}

/// The parameters of `params` that `metric` takes, the others left out (for one set of
/// parameters given to several metrics at once, as `pacta kpi --param` does). An unknown
/// metric keeps everything, so that parsing reports the metric.
pub fn params_taken_by(metric: &str, params: &SlaParams) -> SlaParams {
    let Some(def) = metrics::metric(metric) else {
        return params.clone();
    };
    let mut p = params.clone();
    macro_rules! keep {
        ($($f:ident),*) => { $( if !def.accepts(stringify!($f)) { p.$f = None; } )* };
    }
    keep!(
        threshold_s,
        short_abandon_s,
        include_exits,
        window_days,
        match_key,
        repeat_scope,
        scale,
        response_hours,
        clock,
        after_seconds,
        evaluations_per_agent,
        disposition
    );
    p
}

/// The parameter keys an SLA's `params` table sets.
pub fn given_params(p: &SlaParams) -> Vec<&'static str> {
    let mut v = Vec::new();
    macro_rules! g {
        ($($f:ident),*) => { $( if p.$f.is_some() { v.push(stringify!($f)); } )* };
    }
    g!(
        threshold_s,
        short_abandon_s,
        include_exits,
        window_days,
        match_key,
        repeat_scope,
        scale,
        response_hours,
        clock,
        after_seconds,
        evaluations_per_agent,
        disposition
    );
    v
}

#[cfg(test)]
mod tests {
    use super::*;

    fn params(threshold_s: Option<u32>) -> SlaParams {
        SlaParams {
            threshold_s,
            ..SlaParams::default()
        }
    }

    #[test]
    fn every_catalog_variant_parses_and_names_itself_back() {
        for def in metrics::CATALOG {
            let mut p = SlaParams::default();
            for req in def.required {
                match req {
                    Param::ThresholdS => p.threshold_s = Some(20),
                    Param::ResponseHours => p.response_hours = Some(Decimal::from(24)),
                    _ => {}
                }
            }
            p.after_seconds = Some(10).filter(|_| def.name == "abandonment_rate");
            for variant in def.variants {
                let m = Measure::parse(def.name, Some(variant), &p)
                    .unwrap_or_else(|e| panic!("{}:{variant}: {e:?}", def.name));
                assert_eq!(m.metric_name(), def.name);
                assert_eq!(m.variant_name(), *variant, "{}", def.name);
                assert_eq!(m.def().name, def.name);
            }
        }
    }

    #[test]
    fn defaults_come_from_the_spec() {
        let m = Measure::parse("service_level", None, &params(Some(20)));
        assert_eq!(
            m,
            Ok(Measure::ServiceLevel {
                variant: ServiceLevelVariant::ExcludeShortAbandons,
                threshold_s: 20,
                short_abandon_s: 5,
                include_exits: false
            })
        );
        assert_eq!(
            Measure::parse("fcr", None, &SlaParams::default()),
            Ok(Measure::FcrRepeatContact {
                window_days: 7,
                repeat_scope: RepeatScope::Any
            })
        );
    }

    #[test]
    fn problems_say_which_key() {
        let e = Measure::parse("service_level", Some("nope"), &SlaParams::default())
            .err()
            .unwrap_or_default();
        let keys: Vec<_> = e.iter().map(|(k, p, _)| (*k, *p)).collect();
        assert_eq!(keys, [("variant", None), ("params", None)]);
        let bad_scale = SlaParams {
            scale: Some(1),
            ..SlaParams::default()
        };
        let e = Measure::parse("csat", None, &bad_scale)
            .err()
            .unwrap_or_default();
        assert_eq!(e.len(), 1);
        assert_eq!((e[0].0, e[0].1), ("params", Some("scale")));
        assert!(matches!(
            Measure::parse("servce_level", None, &SlaParams::default())
                .err()
                .as_deref(),
            Some([("metric", None, Problem::UnknownMetric { .. })])
        ));
    }

    #[test]
    fn units_follow_the_variant() {
        let mean = Measure::parse("csat", Some("mean"), &SlaParams::default());
        assert_eq!(mean.map(|m| m.unit()), Ok(Unit::Score));
        let share = Measure::parse("qa_score", Some("evaluated_share"), &SlaParams::default());
        assert_eq!(share.map(|m| m.unit()), Ok(Unit::Percent));
    }
}
