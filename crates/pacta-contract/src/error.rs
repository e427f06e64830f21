//! Validation errors: what is wrong, where, and how to fix it, in English and Spanish.

use rust_decimal::Decimal;
use serde::Serialize;

use crate::Lang;
use crate::span::{FieldPath, Location};

/// One problem found while checking a contract file.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ValidationError {
    /// Stable code, e.g. `allocations-exceed-pool`.
    pub code: &'static str,
    /// Path of the offending value, when known.
    pub path: Option<FieldPath>,
    /// Where it is in the source.
    pub location: Location,
    /// What is wrong.
    #[serde(skip)]
    pub problem: Problem,
}

impl ValidationError {
    /// The message in a language, prefixed by the field path when there is one.
    pub fn message(&self, lang: Lang) -> String {
        match &self.path {
            Some(path) if !path.0.is_empty() => format!("`{path}`: {}", self.problem.message(lang)),
            _ => self.problem.message(lang),
        }
    }

    /// A fix hint in a language.
    pub fn hint(&self, lang: Lang) -> Option<String> {
        self.problem.hint(lang)
    }
}

impl std::fmt::Display for ValidationError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}:{}: {}",
            self.location.line,
            self.location.col,
            self.message(Lang::En)
        )
    }
}

impl std::error::Error for ValidationError {}

/// Every kind of problem `pacta check` reports.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum Problem {
    /// The text is not valid TOML.
    #[error("invalid TOML: {0}")]
    Syntax(String),
    /// A key the format does not know.
    #[error("unknown key: {detail}")]
    UnknownKey {
        /// The deserializer's message (names the key and the expected ones).
        detail: String,
    },
    /// A required key is absent.
    #[error("missing required key: {detail}")]
    MissingKey {
        /// The deserializer's message.
        detail: String,
    },
    /// A value of the wrong type or an unknown enum value.
    #[error("wrong type or value: {detail}")]
    WrongType {
        /// The deserializer's message.
        detail: String,
    },
    /// The file is not UTF-8 text.
    #[error("the file is not UTF-8 text (invalid byte at offset {offset})")]
    NotText {
        /// Offset of the first bad byte.
        offset: usize,
    },
    /// The file is too large to be a contract.
    #[error("the file is {size} bytes; a contract file may be at most {max} bytes")]
    TooLarge {
        /// Size of the file.
        size: u64,
        /// Limit.
        max: u64,
    },
    /// The file is empty.
    #[error("the file is empty")]
    Empty,
    /// A number too large for any contract, which money arithmetic would overflow.
    #[error("{value} is larger than any amount or quantity pacta computes with (at most {max})")]
    NumberTooLarge {
        /// The number as written.
        value: String,
        /// The largest magnitude accepted.
        max: u64,
    },
    /// Unknown IANA time zone.
    #[error("unknown time zone `{name}`")]
    UnknownTimeZone {
        /// What was written.
        name: String,
        /// Closest known zone.
        suggestion: Option<String>,
    },
    /// Unknown currency code.
    #[error("unknown currency `{code}`")]
    UnknownCurrency {
        /// What was written.
        code: String,
    },
    /// An SLA names a metric the catalog does not have.
    #[error("unknown metric `{name}`")]
    UnknownMetric {
        /// What was written.
        name: String,
        /// Closest metric name.
        suggestion: Option<String>,
    },
    /// An SLA names a variant its metric does not have.
    #[error("metric `{metric}` has no variant `{variant}`")]
    UnknownVariant {
        /// Metric.
        metric: String,
        /// What was written.
        variant: String,
        /// Variants the metric has.
        allowed: Vec<String>,
    },
    /// A metric parameter that must be given is absent.
    #[error("metric `{metric}` needs parameter `{param}`")]
    MissingParam {
        /// Metric.
        metric: String,
        /// Parameter key.
        param: String,
    },
    /// A parameter the metric does not take.
    #[error("metric `{metric}` does not take parameter `{param}`")]
    ParamNotAccepted {
        /// Metric.
        metric: String,
        /// Parameter key.
        param: String,
    },
    /// The minimum level is stricter than the expected level.
    #[error("minimum level {minimum} is stricter than the expected level {expected}")]
    MinimumAboveTarget {
        /// Expected level.
        expected: Decimal,
        /// Minimum level.
        minimum: Decimal,
        /// Higher is better for this metric.
        higher_is_better: bool,
    },
    /// A percentage outside its range.
    #[error("{value} is outside the allowed range {min}–{max}")]
    OutOfRange {
        /// Value.
        value: Decimal,
        /// Lower bound.
        min: Decimal,
        /// Upper bound.
        max: Decimal,
    },
    /// A service's concurrency (contacts per agent at once) out of range or on a channel
    /// where an agent handles one contact at a time.
    #[error(
        "concurrency {value} is not allowed on a `{channel}` service (chat only, from 1 to {max})"
    )]
    BadConcurrency {
        /// Value.
        value: Decimal,
        /// The service's channel.
        channel: String,
        /// The largest concurrency accepted.
        max: Decimal,
    },
    /// A value that must be positive is zero or negative.
    #[error("{value} must be greater than zero")]
    NotPositive {
        /// Value.
        value: Decimal,
    },
    /// A money amount or rate that is negative.
    #[error("{value} must not be negative")]
    Negative {
        /// Value.
        value: Decimal,
    },
    /// Critical SLA allocations add up to more than the pool.
    #[error("SLA allocations add up to {sum} %, above the pool of {pool} %")]
    AllocationsExceedPool {
        /// Sum of allocations.
        sum: Decimal,
        /// Pool.
        pool: Decimal,
    },
    /// A single allocation above the pool.
    #[error("the monthly credit cap {cap} % is above the at-risk amount {at_risk} %")]
    CapAboveAtRisk {
        /// Cap.
        cap: Decimal,
        /// At risk.
        at_risk: Decimal,
    },
    /// Two tiers overlap.
    #[error("tier {first} and tier {second} overlap")]
    OverlappingTiers {
        /// Index of the first tier.
        first: usize,
        /// Index of the second tier.
        second: usize,
    },
    /// A range that ends at or before it starts.
    #[error("ends ({end}) at or before it starts ({start})")]
    EndBeforeStart {
        /// Start.
        start: String,
        /// End.
        end: String,
    },
    /// A date before the contract's effective date.
    #[error("{date} is before the contract's effective date {effective}")]
    BeforeEffectiveDate {
        /// The date.
        date: String,
        /// Effective date.
        effective: String,
    },
    /// Two items share an id.
    #[error("duplicate {kind} id `{id}`")]
    DuplicateId {
        /// Kind of item.
        kind: &'static str,
        /// The id.
        id: String,
    },
    /// A reference to an id that does not exist.
    #[error("unknown {kind} `{id}`")]
    UnknownReference {
        /// Kind of item.
        kind: &'static str,
        /// The id.
        id: String,
        /// Known ids.
        known: Vec<String>,
    },
    /// An SLA without targets.
    #[error("SLA `{id}` has no target")]
    NoTargets {
        /// SLA id.
        id: String,
    },
    /// Two targets with the same effective date, or out of order.
    #[error("targets must have distinct effective dates in increasing order")]
    TargetsOutOfOrder,
    /// Interval SLA without interval length, or with an unsupported one.
    #[error("interval length {minutes} min is not supported (15, 30 or 60)")]
    BadInterval {
        /// Minutes given (0 when absent).
        minutes: u32,
    },
    /// Fields that only make sense together.
    #[error("`{field}` requires `{needs}`")]
    Requires {
        /// The field present.
        field: String,
        /// What it needs.
        needs: String,
    },
    /// A credit on a non-critical SLA.
    #[error("SLA `{id}` is `{class}` but carries a credit; only critical SLAs carry credits")]
    CreditOnNonCritical {
        /// SLA id.
        id: String,
        /// Its class.
        class: &'static str,
    },
    /// A malformed code (language, country, month).
    #[error("`{value}` is not a valid {what}")]
    BadCode {
        /// The value.
        value: String,
        /// What kind of code.
        what: &'static str,
    },
}

impl pacta_core::Localized for Problem {
    fn code(&self) -> &'static str {
        Problem::code(self)
    }
    fn message(&self, lang: Lang) -> String {
        Problem::message(self, lang)
    }
    fn hint(&self, lang: Lang) -> Option<String> {
        Problem::hint(self, lang)
    }
}

impl Problem {
    /// Stable machine code.
    pub fn code(&self) -> &'static str {
        match self {
            Problem::Syntax(_) => "syntax",
            Problem::UnknownKey { .. } => "unknown-key",
            Problem::MissingKey { .. } => "missing-key",
            Problem::WrongType { .. } => "wrong-type",
            Problem::NotText { .. } => "not-text",
            Problem::TooLarge { .. } => "too-large",
            Problem::Empty => "empty",
            Problem::NumberTooLarge { .. } => "number-too-large",
            Problem::UnknownTimeZone { .. } => "unknown-time-zone",
            Problem::UnknownCurrency { .. } => "unknown-currency",
            Problem::UnknownMetric { .. } => "unknown-metric",
            Problem::UnknownVariant { .. } => "unknown-variant",
            Problem::MissingParam { .. } => "missing-param",
            Problem::ParamNotAccepted { .. } => "param-not-accepted",
            Problem::MinimumAboveTarget { .. } => "minimum-above-target",
            Problem::OutOfRange { .. } => "out-of-range",
            Problem::NotPositive { .. } => "not-positive",
            Problem::BadConcurrency { .. } => "bad-concurrency",
            Problem::Negative { .. } => "negative",
            Problem::AllocationsExceedPool { .. } => "allocations-exceed-pool",
            Problem::CapAboveAtRisk { .. } => "cap-above-at-risk",
            Problem::OverlappingTiers { .. } => "overlapping-tiers",
            Problem::EndBeforeStart { .. } => "end-before-start",
            Problem::BeforeEffectiveDate { .. } => "before-effective-date",
            Problem::DuplicateId { .. } => "duplicate-id",
            Problem::UnknownReference { .. } => "unknown-reference",
            Problem::NoTargets { .. } => "no-targets",
            Problem::TargetsOutOfOrder => "targets-out-of-order",
            Problem::BadInterval { .. } => "bad-interval",
            Problem::Requires { .. } => "requires",
            Problem::CreditOnNonCritical { .. } => "credit-on-non-critical",
            Problem::BadCode { .. } => "bad-code",
        }
    }

    /// The message in `lang`.
    pub fn message(&self, lang: Lang) -> String {
        if lang == Lang::En {
            return self.to_string();
        }
        match self {
            Problem::Syntax(d) => format!("TOML no válido: {d}"),
            Problem::UnknownKey { detail } => format!("clave desconocida: {detail}"),
            Problem::MissingKey { detail } => format!("falta una clave obligatoria: {detail}"),
            Problem::WrongType { detail } => format!("tipo o valor incorrecto: {detail}"),
            Problem::NotText { offset } => {
                format!("el archivo no es texto UTF-8 (byte no válido en la posición {offset})")
            }
            Problem::TooLarge { size, max } => format!(
                "el archivo tiene {size} bytes; un contrato puede tener como máximo {max} bytes"
            ),
            Problem::Empty => "el archivo está vacío".into(),
            Problem::NumberTooLarge { value, max } => format!(
                "{value} es mayor que cualquier importe o cantidad con que pacta calcula (como máximo {max})"
            ),
            Problem::UnknownTimeZone { name, .. } => format!("zona horaria desconocida `{name}`"),
            Problem::UnknownCurrency { code } => format!("moneda desconocida `{code}`"),
            Problem::UnknownMetric { name, .. } => format!("métrica desconocida `{name}`"),
            Problem::UnknownVariant {
                metric, variant, ..
            } => {
                format!("la métrica `{metric}` no tiene la variante `{variant}`")
            }
            Problem::MissingParam { metric, param } => {
                format!("la métrica `{metric}` necesita el parámetro `{param}`")
            }
            Problem::ParamNotAccepted { metric, param } => {
                format!("la métrica `{metric}` no admite el parámetro `{param}`")
            }
            Problem::MinimumAboveTarget {
                expected, minimum, ..
            } => format!(
                "el nivel mínimo {minimum} es más exigente que el nivel esperado {expected}"
            ),
            Problem::OutOfRange { value, min, max } => {
                format!("{value} está fuera del rango permitido {min}–{max}")
            }
            Problem::NotPositive { value } => format!("{value} debe ser mayor que cero"),
            Problem::BadConcurrency {
                value,
                channel,
                max,
            } => format!(
                "la concurrencia {value} no está permitida en un servicio `{channel}` (solo chat, de 1 a {max})"
            ),
            Problem::Negative { value } => format!("{value} no puede ser negativo"),
            Problem::AllocationsExceedPool { sum, pool } => format!(
                "las asignaciones de los SLA suman {sum} %, por encima del fondo de {pool} %"
            ),
            Problem::CapAboveAtRisk { cap, at_risk } => format!(
                "el tope mensual de créditos {cap} % supera el importe en riesgo {at_risk} %"
            ),
            Problem::OverlappingTiers { first, second } => {
                format!("los tramos {first} y {second} se solapan")
            }
            Problem::EndBeforeStart { start, end } => {
                format!("termina ({end}) antes de empezar o al empezar ({start})")
            }
            Problem::BeforeEffectiveDate { date, effective } => {
                format!("{date} es anterior a la fecha de entrada en vigor {effective}")
            }
            Problem::DuplicateId { kind, id } => {
                format!("identificador de {kind} duplicado `{id}`")
            }
            Problem::UnknownReference { kind, id, .. } => format!("{kind} desconocido `{id}`"),
            Problem::NoTargets { id } => format!("el SLA `{id}` no tiene objetivo"),
            Problem::TargetsOutOfOrder => {
                "los objetivos deben tener fechas de vigencia distintas y en orden creciente".into()
            }
            Problem::BadInterval { minutes } => {
                format!("un intervalo de {minutes} min no está admitido (15, 30 o 60)")
            }
            Problem::Requires { field, needs } => format!("`{field}` requiere `{needs}`"),
            Problem::CreditOnNonCritical { id, class } => format!(
                "el SLA `{id}` es `{class}` pero lleva crédito; solo los SLA críticos llevan créditos"
            ),
            Problem::BadCode { value, what } => {
                let what_es = match *what {
                    "language code" => "código de idioma",
                    "country code" => "código de país",
                    "month (YYYY-MM)" => "mes (AAAA-MM)",
                    other => other,
                };
                format!("`{value}` no es un {what_es} válido")
            }
        }
    }

    /// A fix hint in `lang`.
    pub fn hint(&self, lang: Lang) -> Option<String> {
        let es = lang == Lang::Es;
        let h = match self {
            Problem::Syntax(_) => {
                if es {
                    "revise comillas, corchetes y signos `=` cerca de la posición indicada".into()
                } else {
                    "check quotes, brackets and `=` signs near the position shown".into()
                }
            }
            Problem::UnknownKey { .. } => {
                if es {
                    "corrija la ortografía o elimine la clave; `pacta schema` lista todas las claves".into()
                } else {
                    "fix the spelling or remove the key; `pacta schema` lists every key".into()
                }
            }
            Problem::MissingKey { .. } => {
                if es {
                    "añada la clave; `pacta init` genera un contrato completo de partida".into()
                } else {
                    "add the key; `pacta init` writes a complete starting contract".into()
                }
            }
            Problem::WrongType { .. } => return None,
            Problem::NumberTooLarge { .. } => {
                if es {
                    "escriba el importe real: ningún contrato se acerca a mil billones".into()
                } else {
                    "write the real amount: no contract comes near a thousand trillion".into()
                }
            }
            Problem::NotText { .. } | Problem::Empty | Problem::TooLarge { .. } => {
                if es {
                    "pase un archivo de contrato TOML; `pacta init` genera uno".into()
                } else {
                    "pass a TOML contract file; `pacta init` writes one".into()
                }
            }
            Problem::UnknownTimeZone { suggestion, .. } => match (suggestion, es) {
                (Some(s), false) => format!("did you mean `{s}`? Use an IANA name such as `America/Bogota`"),
                (Some(s), true) => format!("¿quiso decir `{s}`? Use un nombre IANA como `America/Bogota`"),
                (None, false) => "use an IANA name such as `Asia/Manila` or `America/Bogota`".into(),
                (None, true) => "use un nombre IANA como `Asia/Manila` o `America/Bogota`".into(),
            },
            Problem::UnknownCurrency { .. } => {
                if es {
                    "use un código ISO 4217 como `USD`, `EUR`, `COP` o `PHP`".into()
                } else {
                    "use an ISO 4217 code such as `USD`, `EUR`, `COP` or `PHP`".into()
                }
            }
            Problem::UnknownMetric { suggestion, .. } => {
                let list = crate::metrics::CATALOG
                    .iter()
                    .map(|m| m.name)
                    .collect::<Vec<_>>()
                    .join(", ");
                match (suggestion, es) {
                    (Some(s), false) => format!("did you mean `{s}`? Known metrics: {list}"),
                    (Some(s), true) => format!("¿quiso decir `{s}`? Métricas conocidas: {list}"),
                    (None, false) => format!("known metrics: {list}"),
                    (None, true) => format!("métricas conocidas: {list}"),
                }
            }
            Problem::UnknownVariant { allowed, .. } => {
                if es {
                    format!("variantes posibles: {}", allowed.join(", "))
                } else {
                    format!("possible variants: {}", allowed.join(", "))
                }
            }
            Problem::MissingParam { param, .. } => {
                if es {
                    format!("añada `{param}` en `params`, p. ej. `params = {{ {param} = 20 }}`")
                } else {
                    format!("add `{param}` to `params`, e.g. `params = {{ {param} = 20 }}`")
                }
            }
            Problem::ParamNotAccepted { .. } => {
                if es {
                    "elimine el parámetro o cambie de métrica".into()
                } else {
                    "remove the parameter or change the metric".into()
                }
            }
            Problem::MinimumAboveTarget { higher_is_better, .. } => match (higher_is_better, es) {
                (true, false) => "for this metric higher is better: the minimum must be at or below the expected level".into(),
                (true, true) => "en esta métrica más es mejor: el mínimo debe ser igual o inferior al nivel esperado".into(),
                (false, false) => "for this metric lower is better: the minimum (worst acceptable) must be at or above the expected level".into(),
                (false, true) => "en esta métrica menos es mejor: el mínimo (peor aceptable) debe ser igual o superior al esperado".into(),
            },
            Problem::OutOfRange { min, max, .. } => {
                if es {
                    format!("escriba un valor entre {min} y {max} (los porcentajes van como 80, no 0.8)")
                } else {
                    format!("write a value between {min} and {max} (percentages are written as 80, not 0.8)")
                }
            }
            Problem::NotPositive { .. } | Problem::Negative { .. } => return None,
            Problem::BadConcurrency { max, .. } => {
                if es {
                    format!("escriba los chats simultáneos por agente, de 1 a {max} (p. ej. `concurrency = 2.0`), o quite la clave")
                } else {
                    format!("write the chats one agent handles at once, 1 to {max} (e.g. `concurrency = 2.0`), or remove the key")
                }
            }
            Problem::AllocationsExceedPool { .. } => {
                if es {
                    "reduzca las asignaciones o amplíe `credits.pool_percent`".into()
                } else {
                    "lower the allocations or raise `credits.pool_percent`".into()
                }
            }
            Problem::CapAboveAtRisk { .. } => {
                if es {
                    "el tope mensual no puede superar `credits.at_risk_percent`".into()
                } else {
                    "the monthly cap cannot exceed `credits.at_risk_percent`".into()
                }
            }
            Problem::OverlappingTiers { .. } => {
                if es {
                    "haga que cada tramo empiece donde termina el anterior (`to` exclusivo)".into()
                } else {
                    "make each tier start where the previous one ends (`to` is exclusive)".into()
                }
            }
            Problem::EndBeforeStart { .. } => {
                if es { "intercambie los extremos o corríjalos".into() } else { "swap or correct the ends".into() }
            }
            Problem::BeforeEffectiveDate { .. } => {
                if es {
                    "use una fecha igual o posterior a `contract.effective_date`".into()
                } else {
                    "use a date on or after `contract.effective_date`".into()
                }
            }
            Problem::DuplicateId { .. } => {
                if es { "dé a cada elemento un id único".into() } else { "give each item a unique id".into() }
            }
            Problem::UnknownReference { known, .. } => {
                if known.is_empty() {
                    if es { "defina el elemento referenciado".into() } else { "define the referenced item".into() }
                } else if es {
                    format!("ids conocidos: {}", known.join(", "))
                } else {
                    format!("known ids: {}", known.join(", "))
                }
            }
            Problem::NoTargets { .. } => {
                if es {
                    "añada `[[sla.targets]]` con `effective_from` y `expected`".into()
                } else {
                    "add `[[sla.targets]]` with `effective_from` and `expected`".into()
                }
            }
            Problem::TargetsOutOfOrder => {
                if es { "ordene los objetivos por `effective_from`".into() } else { "order targets by `effective_from`".into() }
            }
            Problem::BadInterval { .. } => {
                if es { "use `interval_minutes = 15`, `30` o `60`".into() } else { "use `interval_minutes = 15`, `30` or `60`".into() }
            }
            Problem::Requires { needs, .. } => {
                if es { format!("añada `{needs}`") } else { format!("add `{needs}`") }
            }
            Problem::CreditOnNonCritical { .. } => {
                if es {
                    "cambie `class` a `critical` o elimine el crédito".into()
                } else {
                    "set `class = \"critical\"` or remove the credit".into()
                }
            }
            Problem::BadCode { what, .. } => match *what {
                "language code" => if es { "use un código ISO 639-1 como `en` o `es`".into() } else { "use an ISO 639-1 code such as `en` or `es`".into() },
                "country code" => if es { "use un código ISO 3166 de dos letras como `PH` o `CO`".into() } else { "use a two-letter ISO 3166 code such as `PH` or `CO`".into() },
                _ => return None,
            },
        };
        Some(h)
    }
}
