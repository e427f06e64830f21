//! Every formula variant of `docs/spec/kpi-definitions.md` written out in words, with the SLA's own
//! parameters substituted, and the SLA parameters described.

use pacta_contract::measure::{
    AbandonmentVariant, AhtVariant, CsatVariant, RepeatScope, ResponseClock, ServiceLevelVariant,
};
use pacta_contract::metrics::{Direction, Unit};
use pacta_contract::model::SlaParams;
use pacta_contract::{Lang, Measure, SlaTerms};
use rust_decimal::Decimal;

use crate::phrases::t;
use pacta_core::fmt;

/// Whether a higher value is better (targets are floors) for the SLA's metric.
pub(crate) fn higher_is_better(sla: &SlaTerms) -> bool {
    sla.measure.direction() == Direction::HigherIsBetter
}

/// A value in the SLA's unit: "80 %", "20 s", "6 h", "4.5".
pub(crate) fn value(v: Decimal, unit: Unit, lang: Lang) -> String {
    match unit {
        Unit::Percent => fmt::percent(v, lang),
        Unit::Seconds => format!("{} s", fmt::number(v, lang)),
        Unit::Hours => format!("{} h", fmt::number(v, lang)),
        Unit::Score | Unit::Count => fmt::number(v, lang),
    }
}

/// A target bound: "≥ 80 %" for a floor, "≤ 5 %" for a ceiling.
pub(crate) fn bound(sla: &SlaTerms, v: Decimal, lang: Lang) -> String {
    let op = if higher_is_better(sla) { "≥" } else { "≤" };
    format!("{op} {}", value(v, sla.measure.unit(), lang))
}

fn secs(n: u32) -> String {
    format!("{n} s")
}

fn scale_text(max: u32, lang: Lang) -> String {
    match lang {
        Lang::En => format!("on a 1–{max} scale"),
        Lang::Es => format!("en una escala de 1 a {max}"),
    }
}

/// The formula of the SLA's metric and variant, in words, with its parameters.
pub(crate) fn formula(sla: &SlaTerms, lang: Lang) -> String {
    let p = &sla.params;
    let l = lang;
    let answered = t(l, "answered", "atendidos");
    let abandoned = t(l, "abandoned", "abandonados");
    let offered = t(l, "offered", "ofrecidos");
    let within = t(l, "within", "en");
    match &sla.measure {
        Measure::ServiceLevel {
            variant,
            threshold_s,
            short_abandon_s,
            include_exits,
        } => {
            let th = secs(*threshold_s);
            let a_t = format!("{answered} {within} {th}");
            let ab_t = format!("{abandoned} {within} {th}");
            let ab_s = format!("{abandoned} {within} {}", secs(*short_abandon_s));
            let text = match variant {
                ServiceLevelVariant::AnsweredOnly => format!("{a_t} / {answered}"),
                ServiceLevelVariant::AbandonsAgainst => {
                    format!("{a_t} / ({answered} + {abandoned})")
                }
                ServiceLevelVariant::ExcludeShortAbandons => {
                    format!("{a_t} / ({answered} + {abandoned} − {ab_s})")
                }
                ServiceLevelVariant::AbandonsAfterThreshold => {
                    format!("{a_t} / ({answered} + {abandoned} − {ab_t})")
                }
                ServiceLevelVariant::AbandonsWithinMet => {
                    format!("({a_t} + {ab_t}) / ({answered} + {abandoned})")
                }
                ServiceLevelVariant::Offered => format!(
                    "({a_t} + {ab_t}) / {offered} {}",
                    t(l, "(including other exits)", "(incluidas otras salidas)")
                ),
            };
            if *include_exits && *variant != ServiceLevelVariant::Offered {
                let extra = t(
                    l,
                    "; other exits (timeouts, overflow) count in the denominator as not met",
                    "; las demás salidas (tiempo agotado, desbordamiento) cuentan en el denominador como no cumplidas",
                );
                format!("{text}{extra}")
            } else {
                text
            }
        }
        Measure::AbandonmentRate {
            variant,
            short_abandon_s,
            after_seconds,
        } => {
            let ab_s = format!("{abandoned} {within} {}", secs(*short_abandon_s));
            match variant {
                AbandonmentVariant::OfOffered => format!("{abandoned} / {offered}"),
                AbandonmentVariant::OfAnsweredAndAbandoned => {
                    format!("{abandoned} / ({answered} + {abandoned})")
                }
                AbandonmentVariant::ExcludeShort => {
                    format!("({abandoned} − {ab_s}) / ({offered} − {ab_s})")
                }
                AbandonmentVariant::AfterSeconds => {
                    let n = secs(*after_seconds);
                    match l {
                        Lang::En => format!("abandoned after {n} / offered"),
                        Lang::Es => format!("abandonados después de {n} / ofrecidos"),
                    }
                }
            }
        }
        Measure::Asa { of_offered: false } => t(
            l,
            "total waiting time of answered contacts / answered",
            "tiempo total de espera de los contactos atendidos / atendidos",
        )
        .to_string(),
        Measure::Asa { of_offered: true } => t(
            l,
            "total waiting time of answered contacts / offered",
            "tiempo total de espera de los contactos atendidos / ofrecidos",
        )
        .to_string(),
        Measure::MaxWait => t(
            l,
            "longest waiting time of an answered contact",
            "mayor tiempo de espera de un contacto atendido",
        )
        .to_string(),
        Measure::WaitPercentile { percentile } => match l {
            Lang::En => format!(
                "{percentile}th percentile of the waiting times of answered contacts (nearest-rank method)"
            ),
            Lang::Es => format!(
                "percentil {percentile} de los tiempos de espera de los contactos atendidos (método del rango más próximo)"
            ),
        },
        Measure::Aht { variant } => match variant {
            AhtVariant::TalkOnly => t(
                l,
                "talk time / handled contacts",
                "tiempo de conversación / contactos gestionados",
            ),
            AhtVariant::TalkHold => t(
                l,
                "(talk time + hold time) / handled contacts",
                "(tiempo de conversación + tiempo en espera) / contactos gestionados",
            ),
            AhtVariant::Default => t(
                l,
                "(talk time + hold time + wrap-up time) / handled contacts",
                "(tiempo de conversación + tiempo en espera + tiempo de cierre) / contactos gestionados",
            ),
        }
        .to_string(),
        Measure::FcrSurvey => t(
            l,
            "survey answers “resolved = yes” / survey answers on resolution",
            "respuestas de encuesta «resuelto = sí» / respuestas de encuesta sobre la resolución",
        )
        .to_string(),
        Measure::FcrAgentFlag => t(
            l,
            "handled contacts with a resolved disposition / handled contacts",
            "contactos gestionados con disposición de resuelto / contactos gestionados",
        )
        .to_string(),
        Measure::FcrRepeatContact {
            window_days: n,
            repeat_scope,
        } => {
            let key = p.match_key.as_deref().unwrap_or("customer_key");
            let where_ = match (repeat_scope, l) {
                (RepeatScope::SameQueue, Lang::En) => "in the same queue",
                (RepeatScope::SameQueue, Lang::Es) => "en la misma cola",
                (RepeatScope::SameChannel, Lang::En) => "on the same channel",
                (RepeatScope::SameChannel, Lang::Es) => "en el mismo canal",
                (RepeatScope::Any, Lang::En) => "on any channel",
                (RepeatScope::Any, Lang::Es) => "en cualquier canal",
            };
            match l {
                Lang::En => format!(
                    "1 − handled contacts followed by another contact from the same customer ({key}) {where_} within {n} days / handled contacts with a known customer"
                ),
                Lang::Es => format!(
                    "1 − contactos gestionados seguidos de otro contacto del mismo cliente ({key}) {where_} en un plazo de {n} días / contactos gestionados con cliente identificado"
                ),
            }
        }
        Measure::Csat { variant, scale } => {
            let (max, scale) = (*scale, scale_text(*scale, l));
            match variant {
                CsatVariant::TopBox => match l {
                    Lang::En => format!("responses of {max} {scale} / responses"),
                    Lang::Es => format!("respuestas de {max} {scale} / respuestas"),
                },
                CsatVariant::Mean => match l {
                    Lang::En => format!("mean of the responses {scale}"),
                    Lang::Es => format!("media de las respuestas {scale}"),
                },
                CsatVariant::Top2Box => {
                    let below = max.saturating_sub(1);
                    match l {
                        Lang::En => format!("responses of {below} or {max} {scale} / responses"),
                        Lang::Es => format!("respuestas de {below} o {max} {scale} / respuestas"),
                    }
                }
            }
        }
        Measure::Nps => t(
            l,
            "% promoters (9–10) − % detractors (0–6), on a 0–10 scale",
            "% de promotores (9–10) − % de detractores (0–6), en una escala de 0 a 10",
        )
        .to_string(),
        Measure::QaEvaluatedShare { .. } => {
            let n = p
                .evaluations_per_agent
                .map_or_else(|| "N".to_string(), |n| n.to_string());
            match l {
                Lang::En => format!("agents evaluated at least {n} times in the period / agents"),
                Lang::Es => format!("agentes evaluados al menos {n} veces en el periodo / agentes"),
            }
        }
        Measure::QaScore => t(
            l,
            "mean over the period’s evaluations of Σ (item score × weight) / Σ (item maximum × weight) × 100; a failed critical item scores the evaluation 0",
            "media de las evaluaciones del periodo de Σ (puntuación del ítem × peso) / Σ (máximo del ítem × peso) × 100; un ítem crítico fallido anula la evaluación",
        )
        .to_string(),
        Measure::ResponseTime {
            response_hours,
            clock,
        } => {
            let h = fmt::number(*response_hours, l);
            let business = *clock == ResponseClock::Business;
            match l {
                Lang::En => format!(
                    "written contacts with a first response within {h} {} / written contacts",
                    if business { "business hours" } else { "calendar hours" }
                ),
                Lang::Es => format!(
                    "contactos escritos con primera respuesta en {h} {} / contactos escritos",
                    if business { "horas hábiles" } else { "horas naturales" }
                ),
            }
        }
        Measure::Occupancy => t(
            l,
            "handle time / (handle time + available idle time)",
            "tiempo de gestión / (tiempo de gestión + tiempo disponible inactivo)",
        )
        .to_string(),
        Measure::Adherence => t(
            l,
            "minutes in the scheduled state / scheduled minutes",
            "minutos en el estado planificado / minutos planificados",
        )
        .to_string(),
        Measure::Attrition { annualised: true } => t(
            l,
            "separations in the last 12 months / average headcount ((start + end) / 2)",
            "bajas de los últimos 12 meses / plantilla media ((inicial + final) / 2)",
        )
        .to_string(),
        Measure::Attrition { annualised: false } => t(
            l,
            "separations in the month / average headcount ((start + end) / 2)",
            "bajas del mes / plantilla media ((inicial + final) / 2)",
        )
        .to_string(),
        Measure::TrainingHours { initial: true } => t(
            l,
            "initial training hours received by each new hire",
            "horas de formación inicial recibidas por cada nueva incorporación",
        )
        .to_string(),
        Measure::TrainingHours { initial: false } => t(
            l,
            "training hours delivered in the month / agents",
            "horas de formación impartidas en el mes / agentes",
        )
        .to_string(),
        Measure::Conversion {
            disposition: d,
            of_dialled: true,
        } => match l {
            Lang::En => format!("contacts with the “{d}” disposition / dialled contacts"),
            Lang::Es => format!("contactos con la disposición «{d}» / contactos marcados"),
        },
        Measure::Conversion {
            disposition: d,
            of_dialled: false,
        } => match l {
            Lang::En => format!("contacts with the “{d}” disposition / handled contacts"),
            Lang::Es => format!("contactos con la disposición «{d}» / contactos gestionados"),
        },
        Measure::Sales { disposition: d } => match l {
            Lang::En => format!("number of contacts with the “{d}” disposition"),
            Lang::Es => format!("número de contactos con la disposición «{d}»"),
        },
        Measure::ContactsMade => t(
            l,
            "number of contacts made",
            "número de contactos realizados",
        )
        .to_string(),
        Measure::ReportDelivery => t(
            l,
            "reports delivered by their due date / reports due",
            "informes entregados en plazo / informes exigibles",
        )
        .to_string(),
    }
}

/// The SLA's parameters described, e.g. "answer threshold 20 s; short-abandon threshold 5 s".
pub(crate) fn params(p: &SlaParams, lang: Lang) -> Vec<String> {
    let l = lang;
    let mut out = Vec::new();
    if let Some(v) = p.threshold_s {
        out.push(format!(
            "{} {v} s",
            t(l, "answer threshold", "umbral de respuesta")
        ));
    }
    if let Some(v) = p.short_abandon_s {
        out.push(format!(
            "{} {v} s",
            t(l, "short-abandon threshold", "umbral de abandono corto")
        ));
    }
    if let Some(v) = p.include_exits {
        out.push(
            if v {
                t(
                    l,
                    "other exits count as not met",
                    "otras salidas cuentan como no cumplidas",
                )
            } else {
                t(l, "other exits excluded", "otras salidas excluidas")
            }
            .to_string(),
        );
    }
    if let Some(v) = p.window_days {
        out.push(format!(
            "{} {v} {}",
            t(l, "repeat window", "ventana de repetición"),
            t(
                l,
                if v == 1 { "day" } else { "days" },
                if v == 1 { "día" } else { "días" }
            )
        ));
    }
    if let Some(v) = &p.match_key {
        out.push(format!(
            "{} {v}",
            t(l, "customer match key", "clave de cliente")
        ));
    }
    if let Some(v) = &p.repeat_scope {
        let s = match (v.as_str(), l) {
            ("any", Lang::En) => "repeats on any channel".to_string(),
            ("any", Lang::Es) => "repeticiones en cualquier canal".to_string(),
            ("same_queue", Lang::En) => "repeats in the same queue".to_string(),
            ("same_queue", Lang::Es) => "repeticiones en la misma cola".to_string(),
            ("same_channel", Lang::En) => "repeats on the same channel".to_string(),
            ("same_channel", Lang::Es) => "repeticiones en el mismo canal".to_string(),
            (other, Lang::En) => format!("repeat scope {other}"),
            (other, Lang::Es) => format!("ámbito de repetición {other}"),
        };
        out.push(s);
    }
    if let Some(v) = p.scale {
        out.push(format!("{} 1–{v}", t(l, "scale", "escala")));
    }
    if let Some(v) = p.response_hours {
        out.push(format!(
            "{} {} h",
            t(l, "response within", "respuesta en"),
            fmt::number(v, l)
        ));
    }
    if let Some(v) = &p.clock {
        out.push(match (v.as_str(), l) {
            ("business", Lang::En) => "business hours".to_string(),
            ("business", Lang::Es) => "horas hábiles".to_string(),
            ("calendar", Lang::En) => "calendar hours".to_string(),
            ("calendar", Lang::Es) => "horas naturales".to_string(),
            (other, _) => other.to_string(),
        });
    }
    if let Some(v) = p.after_seconds {
        out.push(format!(
            "{} {v} s",
            t(l, "abandons after", "abandonos después de")
        ));
    }
    if let Some(v) = p.evaluations_per_agent {
        out.push(format!(
            "{v} {}",
            t(l, "evaluations per agent", "evaluaciones por agente")
        ));
    }
    if let Some(v) = &p.disposition {
        out.push(format!("{} {v}", t(l, "disposition", "disposición")));
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use pacta_contract::model::SlaClass;
    use pacta_contract::{ContactScope, PeriodKind};

    fn sla(metric: &str, variant: &str, params: SlaParams) -> SlaTerms {
        SlaTerms {
            id: "X".into(),
            name: "X".into(),
            index: 0,
            measure: Measure::parse(metric, Some(variant), &params).expect("a known measure"),
            params,
            scope: ContactScope::everything(),
            period: PeriodKind::Month,
            interval_minutes: None,
            required_share_percent: None,
            class: SlaClass::Key,
            exclusions: vec![],
            missing_data: Default::default(),
            allocation_percent: None,
            fixed_credit: None,
            points_per_miss: None,
            targets: vec![],
        }
    }

    #[test]
    fn service_level_formulas_substitute_thresholds() {
        let p = SlaParams {
            threshold_s: Some(20),
            short_abandon_s: Some(5),
            ..Default::default()
        };
        let s = sla("service_level", "exclude_short_abandons", p.clone());
        assert_eq!(
            formula(&s, Lang::En),
            "answered within 20 s / (answered + abandoned − abandoned within 5 s)"
        );
        assert_eq!(
            formula(&s, Lang::Es),
            "atendidos en 20 s / (atendidos + abandonados − abandonados en 5 s)"
        );
        let s = sla("service_level", "abandons_within_met", p);
        assert_eq!(
            formula(&s, Lang::En),
            "(answered within 20 s + abandoned within 20 s) / (answered + abandoned)"
        );
    }

    #[test]
    fn every_catalog_variant_has_a_formula_in_both_languages() {
        let p = SlaParams {
            threshold_s: Some(20),
            response_hours: Some(Decimal::from(24)),
            after_seconds: Some(10),
            ..Default::default()
        };
        for m in pacta_contract::metrics::CATALOG {
            for v in m.variants {
                let mut p = p.clone();
                if m.name != "service_level" {
                    p.threshold_s = None;
                }
                if m.name != "response_time" {
                    p.response_hours = None;
                }
                if m.name != "abandonment_rate" {
                    p.after_seconds = None;
                }
                let s = sla(m.name, v, p);
                let (en, es) = (formula(&s, Lang::En), formula(&s, Lang::Es));
                assert!(
                    !en.is_empty() && !es.is_empty() && en != es,
                    "{} {v}",
                    m.name
                );
            }
        }
    }
}
