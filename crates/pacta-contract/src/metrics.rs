//! The catalog of KPI names and formula variants a contract may name.
//!
//! Names follow `docs/spec/kpi-definitions.md`. Contracts must be explicit about which
//! formula they mean because vendors disagree; the catalog is the single list that `check`
//! validates against, `review` reasons about and the KPI engine implements.

use serde::Serialize;

/// Whether a higher value of a metric is better for the client.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Direction {
    /// Service level, FCR, CSAT: more is better; the target is a floor.
    HigherIsBetter,
    /// ASA, abandonment, AHT, attrition: less is better; the target is a ceiling.
    LowerIsBetter,
}

/// The unit a metric's target is written in.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unit {
    /// A percentage, 0–100.
    Percent,
    /// Seconds.
    Seconds,
    /// Hours.
    Hours,
    /// A score on the metric's own scale (NPS −100…100, QA 0–100, CSAT mean 1–5).
    Score,
    /// A count (sales, contacts made).
    Count,
}

/// A parameter a metric may take in an SLA's `params` table.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Param {
    /// Answer threshold T, seconds.
    ThresholdS,
    /// Short-abandon threshold S, seconds.
    ShortAbandonS,
    /// Whether other exits count in the denominator as not met.
    IncludeExits,
    /// FCR repeat window, days.
    WindowDays,
    /// FCR customer match key.
    MatchKey,
    /// FCR: restrict repeats to the same queue or channel.
    RepeatScope,
    /// Survey scale maximum.
    Scale,
    /// Written channels: response threshold, hours.
    ResponseHours,
    /// Written channels: calendar or business hours.
    Clock,
    /// Abandonment `after_seconds(N)`.
    AfterSeconds,
    /// QA: evaluations per agent per period.
    EvaluationsPerAgent,
    /// Outcome disposition counted for business KPIs.
    Disposition,
}

impl Param {
    /// The key as written in a contract's `params` table.
    pub fn key(self) -> &'static str {
        match self {
            Param::ThresholdS => "threshold_s",
            Param::ShortAbandonS => "short_abandon_s",
            Param::IncludeExits => "include_exits",
            Param::WindowDays => "window_days",
            Param::MatchKey => "match_key",
            Param::RepeatScope => "repeat_scope",
            Param::Scale => "scale",
            Param::ResponseHours => "response_hours",
            Param::Clock => "clock",
            Param::AfterSeconds => "after_seconds",
            Param::EvaluationsPerAgent => "evaluations_per_agent",
            Param::Disposition => "disposition",
        }
    }
}

/// One metric of the catalog.
#[derive(Debug, Clone, Serialize)]
pub struct MetricDef {
    /// Stable machine name used in contract files and JSON.
    pub name: &'static str,
    /// English label.
    pub label_en: &'static str,
    /// Spanish label.
    pub label_es: &'static str,
    /// Formula variants; the first is the default.
    pub variants: &'static [&'static str],
    /// Parameters that must be present.
    pub required: &'static [Param],
    /// Parameters that may be present.
    pub optional: &'static [Param],
    /// Better direction.
    pub direction: Direction,
    /// Unit of targets.
    pub unit: Unit,
}

impl MetricDef {
    /// The default variant (the one marked **default** in `docs/spec/kpi-definitions.md`).
    pub fn default_variant(&self) -> &'static str {
        self.variants.first().copied().unwrap_or("default")
    }

    /// Whether `key` is a parameter this metric accepts.
    pub fn accepts(&self, key: &str) -> bool {
        self.required
            .iter()
            .chain(self.optional)
            .any(|p| p.key() == key)
    }

    /// The label in the requested language.
    pub fn label(&self, lang: crate::Lang) -> &'static str {
        match lang {
            crate::Lang::En => self.label_en,
            crate::Lang::Es => self.label_es,
        }
    }
}

use Param::*;

/// Every metric pacta knows, in the order of `docs/spec/kpi-definitions.md`.
pub const CATALOG: &[MetricDef] = &[
    MetricDef {
        name: "service_level",
        label_en: "Service level",
        label_es: "Nivel de servicio",
        variants: &[
            "exclude_short_abandons",
            "answered_only",
            "abandons_against",
            "abandons_after_threshold",
            "abandons_within_met",
            "offered",
        ],
        required: &[ThresholdS],
        optional: &[ShortAbandonS, IncludeExits],
        direction: Direction::HigherIsBetter,
        unit: Unit::Percent,
    },
    MetricDef {
        name: "abandonment_rate",
        label_en: "Abandonment rate",
        label_es: "Tasa de abandono",
        variants: &[
            "of_offered",
            "of_answered_and_abandoned",
            "exclude_short",
            "after_seconds",
        ],
        required: &[],
        optional: &[ShortAbandonS, AfterSeconds],
        direction: Direction::LowerIsBetter,
        unit: Unit::Percent,
    },
    MetricDef {
        name: "asa",
        label_en: "Average speed of answer",
        label_es: "Velocidad media de respuesta",
        variants: &["default", "of_offered"],
        required: &[],
        optional: &[],
        direction: Direction::LowerIsBetter,
        unit: Unit::Seconds,
    },
    MetricDef {
        name: "max_wait",
        label_en: "Longest wait",
        label_es: "Espera máxima",
        variants: &["default"],
        required: &[],
        optional: &[],
        direction: Direction::LowerIsBetter,
        unit: Unit::Seconds,
    },
    MetricDef {
        name: "wait_p80",
        label_en: "80th percentile wait",
        label_es: "Percentil 80 de espera",
        variants: &["nearest_rank"],
        required: &[],
        optional: &[],
        direction: Direction::LowerIsBetter,
        unit: Unit::Seconds,
    },
    MetricDef {
        name: "wait_p90",
        label_en: "90th percentile wait",
        label_es: "Percentil 90 de espera",
        variants: &["nearest_rank"],
        required: &[],
        optional: &[],
        direction: Direction::LowerIsBetter,
        unit: Unit::Seconds,
    },
    MetricDef {
        name: "wait_p95",
        label_en: "95th percentile wait",
        label_es: "Percentil 95 de espera",
        variants: &["nearest_rank"],
        required: &[],
        optional: &[],
        direction: Direction::LowerIsBetter,
        unit: Unit::Seconds,
    },
    MetricDef {
        name: "aht",
        label_en: "Average handle time",
        label_es: "Tiempo medio de gestión",
        variants: &["default", "talk_only", "talk_hold"],
        required: &[],
        optional: &[],
        direction: Direction::LowerIsBetter,
        unit: Unit::Seconds,
    },
    MetricDef {
        name: "fcr",
        label_en: "First-contact resolution",
        label_es: "Resolución en el primer contacto",
        variants: &["repeat_contact", "survey", "agent_flag"],
        required: &[],
        optional: &[WindowDays, MatchKey, RepeatScope],
        direction: Direction::HigherIsBetter,
        unit: Unit::Percent,
    },
    MetricDef {
        name: "csat",
        label_en: "Customer satisfaction",
        label_es: "Satisfacción del cliente",
        variants: &["top_2_box", "top_box", "mean"],
        required: &[],
        optional: &[Scale],
        direction: Direction::HigherIsBetter,
        unit: Unit::Percent,
    },
    MetricDef {
        name: "nps",
        label_en: "Net promoter score",
        label_es: "Índice de promotores netos",
        variants: &["default"],
        required: &[],
        optional: &[],
        direction: Direction::HigherIsBetter,
        unit: Unit::Score,
    },
    MetricDef {
        name: "qa_score",
        label_en: "Quality score",
        label_es: "Puntuación de calidad",
        variants: &["weighted_critical", "evaluated_share"],
        required: &[],
        optional: &[EvaluationsPerAgent],
        direction: Direction::HigherIsBetter,
        unit: Unit::Score,
    },
    MetricDef {
        name: "response_time",
        label_en: "Written response time",
        label_es: "Tiempo de respuesta escrita",
        variants: &["within_hours"],
        required: &[ResponseHours],
        optional: &[Clock],
        direction: Direction::HigherIsBetter,
        unit: Unit::Percent,
    },
    MetricDef {
        name: "occupancy",
        label_en: "Occupancy",
        label_es: "Ocupación",
        variants: &["default"],
        required: &[],
        optional: &[],
        direction: Direction::LowerIsBetter,
        unit: Unit::Percent,
    },
    MetricDef {
        name: "adherence",
        label_en: "Schedule adherence",
        label_es: "Adherencia al horario",
        variants: &["default"],
        required: &[],
        optional: &[],
        direction: Direction::HigherIsBetter,
        unit: Unit::Percent,
    },
    MetricDef {
        name: "attrition",
        label_en: "Attrition",
        label_es: "Rotación de personal",
        variants: &["monthly", "annualised"],
        required: &[],
        optional: &[],
        direction: Direction::LowerIsBetter,
        unit: Unit::Percent,
    },
    MetricDef {
        name: "training_hours",
        label_en: "Training hours per agent",
        label_es: "Horas de formación por agente",
        variants: &["ongoing_per_agent", "initial_per_hire"],
        required: &[],
        optional: &[],
        direction: Direction::HigherIsBetter,
        unit: Unit::Hours,
    },
    MetricDef {
        name: "conversion",
        label_en: "Sales conversion",
        label_es: "Conversión de ventas",
        variants: &["of_handled", "of_dialled"],
        required: &[],
        optional: &[Disposition],
        direction: Direction::HigherIsBetter,
        unit: Unit::Percent,
    },
    MetricDef {
        name: "sales",
        label_en: "Sales closed",
        label_es: "Ventas cerradas",
        variants: &["count"],
        required: &[],
        optional: &[Disposition],
        direction: Direction::HigherIsBetter,
        unit: Unit::Count,
    },
    MetricDef {
        name: "contacts_made",
        label_en: "Contacts made",
        label_es: "Contactos realizados",
        variants: &["count"],
        required: &[],
        optional: &[],
        direction: Direction::HigherIsBetter,
        unit: Unit::Count,
    },
    MetricDef {
        name: "report_delivery",
        label_en: "Reports delivered on time",
        label_es: "Informes entregados a tiempo",
        variants: &["on_time_share"],
        required: &[],
        optional: &[],
        direction: Direction::HigherIsBetter,
        unit: Unit::Percent,
    },
];

/// Looks a metric up by its machine name.
pub fn metric(name: &str) -> Option<&'static MetricDef> {
    CATALOG.iter().find(|m| m.name == name)
}

/// The closest known name to `input`, for "did you mean" hints.
pub fn closest<'a>(input: &str, candidates: impl IntoIterator<Item = &'a str>) -> Option<&'a str> {
    candidates
        .into_iter()
        .map(|c| (edit_distance(input, c), c))
        .filter(|(d, c)| *d <= (c.len().max(input.len()) / 3).max(2))
        .min_by_key(|(d, _)| *d)
        .map(|(_, c)| c)
}

fn edit_distance(a: &str, b: &str) -> usize {
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.chars().enumerate() {
        let mut cur = vec![i + 1; b.len() + 1];
        for (j, cb) in b.iter().enumerate() {
            let cost = usize::from(ca != *cb);
            cur[j + 1] = (prev[j] + cost).min(prev[j + 1] + 1).min(cur[j] + 1);
        }
        prev = cur;
    }
    prev[b.len()]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn default_variants_match_the_spec() {
        let d = |n| metric(n).map(MetricDef::default_variant);
        assert_eq!(d("service_level"), Some("exclude_short_abandons"));
        assert_eq!(d("abandonment_rate"), Some("of_offered"));
        assert_eq!(d("fcr"), Some("repeat_contact"));
        assert_eq!(d("csat"), Some("top_2_box"));
        assert_eq!(metric("nope").map(|m| m.name), None);
    }

    #[test]
    fn closest_suggests_typos_only() {
        let names = CATALOG.iter().map(|m| m.name);
        assert_eq!(
            closest("service_levle", names.clone()),
            Some("service_level")
        );
        assert_eq!(closest("zzzzzzzz", names), None);
    }
}
