//! Every formula variant of kpi-definitions.md written out in words, with the SLA's own
//! parameters substituted, and the SLA parameters described.

use pacta_contract::Lang;
use pacta_contract::metrics::{self, Direction, Unit};
use pacta_contract::model::{Sla, SlaParams};
use rust_decimal::Decimal;

use crate::phrases::t;
use pacta_core::fmt;

/// The default short-abandon threshold S of kpi-definitions.md, seconds.
const DEFAULT_SHORT_ABANDON_S: u32 = 5;
/// The default FCR repeat window, days.
const DEFAULT_WINDOW_DAYS: u32 = 7;

/// The variant an SLA uses (its own, or the metric's default).
pub(crate) fn variant(sla: &Sla) -> String {
    sla.variant.clone().unwrap_or_else(|| {
        metrics::metric(&sla.metric)
            .map(|m| m.default_variant().to_string())
            .unwrap_or_else(|| "default".to_string())
    })
}

/// The unit the SLA's targets are written in (the metric's, adjusted for variants that change
/// it: a CSAT mean is a score, the QA evaluated share a percentage).
pub(crate) fn unit(sla: &Sla) -> Unit {
    let v = variant(sla);
    match (sla.metric.as_str(), v.as_str()) {
        ("csat", "mean") => Unit::Score,
        ("qa_score", "evaluated_share") => Unit::Percent,
        _ => metrics::metric(&sla.metric).map_or(Unit::Score, |m| m.unit),
    }
}

/// Whether a higher value is better (targets are floors) for the SLA's metric.
pub(crate) fn higher_is_better(sla: &Sla) -> bool {
    metrics::metric(&sla.metric).is_none_or(|m| m.direction == Direction::HigherIsBetter)
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
pub(crate) fn bound(sla: &Sla, v: Decimal, lang: Lang) -> String {
    let op = if higher_is_better(sla) { "≥" } else { "≤" };
    format!("{op} {}", value(v, unit(sla), lang))
}

fn secs(n: u32) -> String {
    format!("{n} s")
}

fn scale_text(p: &SlaParams, lang: Lang) -> String {
    let max = p.scale.unwrap_or(5);
    match lang {
        Lang::En => format!("on a 1–{max} scale"),
        Lang::Es => format!("en una escala de 1 a {max}"),
    }
}

/// The formula of the SLA's metric and variant, in words, with its parameters.
pub(crate) fn formula(sla: &Sla, lang: Lang) -> String {
    let p = &sla.params;
    let v = variant(sla);
    let th = p.threshold_s.map_or_else(|| "T".to_string(), secs);
    let s = secs(p.short_abandon_s.unwrap_or(DEFAULT_SHORT_ABANDON_S));
    let l = lang;
    let answered = t(l, "answered", "atendidos");
    let abandoned = t(l, "abandoned", "abandonados");
    let offered = t(l, "offered", "ofrecidos");
    let within = t(l, "within", "en");
    let a_t = format!("{answered} {within} {th}");
    let ab_t = format!("{abandoned} {within} {th}");
    let ab_s = format!("{abandoned} {within} {s}");
    let text = match (sla.metric.as_str(), v.as_str()) {
        ("service_level", "answered_only") => format!("{a_t} / {answered}"),
        ("service_level", "abandons_against") => format!("{a_t} / ({answered} + {abandoned})"),
        ("service_level", "exclude_short_abandons") => {
            format!("{a_t} / ({answered} + {abandoned} − {ab_s})")
        }
        ("service_level", "abandons_after_threshold") => {
            format!("{a_t} / ({answered} + {abandoned} − {ab_t})")
        }
        ("service_level", "abandons_within_met") => {
            format!("({a_t} + {ab_t}) / ({answered} + {abandoned})")
        }
        ("service_level", "offered") => format!(
            "({a_t} + {ab_t}) / {offered} {}",
            t(l, "(including other exits)", "(incluidas otras salidas)")
        ),
        ("abandonment_rate", "of_offered") => format!("{abandoned} / {offered}"),
        ("abandonment_rate", "of_answered_and_abandoned") => {
            format!("{abandoned} / ({answered} + {abandoned})")
        }
        ("abandonment_rate", "exclude_short") => {
            format!("({abandoned} − {ab_s}) / ({offered} − {ab_s})")
        }
        ("abandonment_rate", "after_seconds") => {
            let n = p.after_seconds.map_or_else(|| "N s".to_string(), secs);
            match l {
                Lang::En => format!("abandoned after {n} / offered"),
                Lang::Es => format!("abandonados después de {n} / ofrecidos"),
            }
        }
        ("asa", "default") => t(
            l,
            "total waiting time of answered contacts / answered",
            "tiempo total de espera de los contactos atendidos / atendidos",
        )
        .to_string(),
        ("asa", "of_offered") => t(
            l,
            "total waiting time of answered contacts / offered",
            "tiempo total de espera de los contactos atendidos / ofrecidos",
        )
        .to_string(),
        ("max_wait", _) => t(
            l,
            "longest waiting time of an answered contact",
            "mayor tiempo de espera de un contacto atendido",
        )
        .to_string(),
        ("wait_p80" | "wait_p90" | "wait_p95", _) => {
            let pct = &sla.metric[6..];
            match l {
                Lang::En => format!(
                    "{pct}th percentile of the waiting times of answered contacts (nearest-rank method)"
                ),
                Lang::Es => format!(
                    "percentil {pct} de los tiempos de espera de los contactos atendidos (método del rango más próximo)"
                ),
            }
        }
        ("aht", "talk_only") => t(
            l,
            "talk time / handled contacts",
            "tiempo de conversación / contactos gestionados",
        )
        .to_string(),
        ("aht", "talk_hold") => t(
            l,
            "(talk time + hold time) / handled contacts",
            "(tiempo de conversación + tiempo en espera) / contactos gestionados",
        )
        .to_string(),
        ("aht", _) => t(
            l,
            "(talk time + hold time + wrap-up time) / handled contacts",
            "(tiempo de conversación + tiempo en espera + tiempo de cierre) / contactos gestionados",
        )
        .to_string(),
        ("fcr", "survey") => t(
            l,
            "survey answers “resolved = yes” / survey answers on resolution",
            "respuestas de encuesta «resuelto = sí» / respuestas de encuesta sobre la resolución",
        )
        .to_string(),
        ("fcr", "agent_flag") => t(
            l,
            "handled contacts with a resolved disposition / handled contacts",
            "contactos gestionados con disposición de resuelto / contactos gestionados",
        )
        .to_string(),
        ("fcr", _) => {
            let n = p.window_days.unwrap_or(DEFAULT_WINDOW_DAYS);
            let key = p.match_key.as_deref().unwrap_or("customer_key");
            let where_ = match (p.repeat_scope.as_deref(), l) {
                (Some("same_queue"), Lang::En) => "in the same queue",
                (Some("same_queue"), Lang::Es) => "en la misma cola",
                (Some("same_channel"), Lang::En) => "on the same channel",
                (Some("same_channel"), Lang::Es) => "en el mismo canal",
                (_, Lang::En) => "on any channel",
                (_, Lang::Es) => "en cualquier canal",
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
        ("csat", "top_box") => {
            let max = p.scale.unwrap_or(5);
            match l {
                Lang::En => format!("responses of {max} {} / responses", scale_text(p, l)),
                Lang::Es => format!("respuestas de {max} {} / respuestas", scale_text(p, l)),
            }
        }
        ("csat", "mean") => match l {
            Lang::En => format!("mean of the responses {}", scale_text(p, l)),
            Lang::Es => format!("media de las respuestas {}", scale_text(p, l)),
        },
        ("csat", _) => {
            let max = p.scale.unwrap_or(5);
            let below = max.saturating_sub(1);
            match l {
                Lang::En => format!(
                    "responses of {below} or {max} {} / responses",
                    scale_text(p, l)
                ),
                Lang::Es => format!(
                    "respuestas de {below} o {max} {} / respuestas",
                    scale_text(p, l)
                ),
            }
        }
        ("nps", _) => t(
            l,
            "% promoters (9–10) − % detractors (0–6), on a 0–10 scale",
            "% de promotores (9–10) − % de detractores (0–6), en una escala de 0 a 10",
        )
        .to_string(),
        ("qa_score", "evaluated_share") => {
            let n = p
                .evaluations_per_agent
                .map_or_else(|| "N".to_string(), |n| n.to_string());
            match l {
                Lang::En => format!("agents evaluated at least {n} times in the period / agents"),
                Lang::Es => format!("agentes evaluados al menos {n} veces en el periodo / agentes"),
            }
        }
        ("qa_score", _) => t(
            l,
            "mean over the period’s evaluations of Σ (item score × weight) / Σ (item maximum × weight) × 100; a failed critical item scores the evaluation 0",
            "media de las evaluaciones del periodo de Σ (puntuación del ítem × peso) / Σ (máximo del ítem × peso) × 100; un ítem crítico fallido anula la evaluación",
        )
        .to_string(),
        ("response_time", _) => {
            let h = p
                .response_hours
                .map_or_else(|| "N".to_string(), |h| fmt::number(h, l));
            let business = p.clock.as_deref() == Some("business");
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
        ("occupancy", _) => t(
            l,
            "handle time / (handle time + available idle time)",
            "tiempo de gestión / (tiempo de gestión + tiempo disponible inactivo)",
        )
        .to_string(),
        ("adherence", _) => t(
            l,
            "minutes in the scheduled state / scheduled minutes",
            "minutos en el estado planificado / minutos planificados",
        )
        .to_string(),
        ("attrition", "annualised") => t(
            l,
            "separations in the last 12 months / average headcount ((start + end) / 2)",
            "bajas de los últimos 12 meses / plantilla media ((inicial + final) / 2)",
        )
        .to_string(),
        ("attrition", _) => t(
            l,
            "separations in the month / average headcount ((start + end) / 2)",
            "bajas del mes / plantilla media ((inicial + final) / 2)",
        )
        .to_string(),
        ("training_hours", "initial_per_hire") => t(
            l,
            "initial training hours received by each new hire",
            "horas de formación inicial recibidas por cada nueva incorporación",
        )
        .to_string(),
        ("training_hours", _) => t(
            l,
            "training hours delivered in the month / agents",
            "horas de formación impartidas en el mes / agentes",
        )
        .to_string(),
        ("conversion", "of_dialled") => {
            let d = p.disposition.as_deref().unwrap_or("sale");
            match l {
                Lang::En => format!("contacts with the “{d}” disposition / dialled contacts"),
                Lang::Es => format!("contactos con la disposición «{d}» / contactos marcados"),
            }
        }
        ("conversion", _) => {
            let d = p.disposition.as_deref().unwrap_or("sale");
            match l {
                Lang::En => format!("contacts with the “{d}” disposition / handled contacts"),
                Lang::Es => format!("contactos con la disposición «{d}» / contactos gestionados"),
            }
        }
        ("sales", _) => {
            let d = p.disposition.as_deref().unwrap_or("sale");
            match l {
                Lang::En => format!("number of contacts with the “{d}” disposition"),
                Lang::Es => format!("número de contactos con la disposición «{d}»"),
            }
        }
        ("contacts_made", _) => t(
            l,
            "number of contacts made",
            "número de contactos realizados",
        )
        .to_string(),
        ("report_delivery", _) => t(
            l,
            "reports delivered by their due date / reports due",
            "informes entregados en plazo / informes exigibles",
        )
        .to_string(),
        _ => t(l, "as defined by the parties", "según lo definido por las partes").to_string(),
    };
    if p.include_exits == Some(true) && sla.metric == "service_level" && v != "offered" {
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
    use pacta_contract::model::{SlaClass, SlaScope};

    fn sla(metric: &str, variant: &str, params: SlaParams) -> Sla {
        Sla {
            id: "X".into(),
            name: "X".into(),
            metric: metric.into(),
            variant: Some(variant.into()),
            params,
            scope: SlaScope::default(),
            period: None,
            interval_minutes: None,
            required_share_percent: None,
            class: SlaClass::Key,
            data_source: None,
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
    fn every_catalog_variant_has_a_formula() {
        for m in metrics::CATALOG {
            for v in m.variants {
                let s = sla(m.name, v, SlaParams::default());
                for lang in [Lang::En, Lang::Es] {
                    let f = formula(&s, lang);
                    assert!(
                        !f.contains("as defined by") && !f.contains("según lo definido"),
                        "{} {v}",
                        m.name
                    );
                }
            }
        }
    }
}
