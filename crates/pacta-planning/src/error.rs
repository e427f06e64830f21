//! Errors for invalid planning inputs and staffing that cannot be reached.

use std::fmt;

use serde::Serialize;

use crate::limits::{MAX_AGENTS, MAX_CALLERS_PER_PATIENCE};

/// Which input an error is about, named as in the input structs (and the CLI's columns).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Field {
    /// Offered calls in the interval (the interval input's volume).
    Volume,
    /// Interval length in seconds.
    IntervalS,
    /// Average handling time in seconds.
    AhtS,
    /// Mean patience (time to abandon) in seconds.
    PatienceS,
    /// Service-level answer threshold in seconds.
    ThresholdS,
    /// Service-level target share.
    TargetShare,
    /// Short-abandon threshold in seconds.
    ShortAbandonS,
    /// Maximum average speed of answer in seconds.
    MaxAsaS,
    /// Maximum abandonment share.
    MaxAbandonShare,
    /// Maximum occupancy share.
    MaxOccupancy,
    /// Shrinkage component: breaks.
    ShrinkageBreaks,
    /// Shrinkage component: training.
    ShrinkageTraining,
    /// Shrinkage component: absence.
    ShrinkageAbsence,
    /// Shrinkage component: anything else (meetings, coaching, system downtime).
    ShrinkageOther,
    /// The combined shrinkage share.
    ShrinkageCombined,
    /// A number of planned agents.
    Agents,
}

impl Field {
    /// The field's name as written in inputs (`aht_s`, `target_share`, …).
    pub fn name(self) -> &'static str {
        match self {
            Field::Volume => "volume",
            Field::IntervalS => "interval_s",
            Field::AhtS => "aht_s",
            Field::PatienceS => "patience_s",
            Field::ThresholdS => "threshold_s",
            Field::TargetShare => "target_share",
            Field::ShortAbandonS => "short_abandon_s",
            Field::MaxAsaS => "max_asa_s",
            Field::MaxAbandonShare => "max_abandon_share",
            Field::MaxOccupancy => "max_occupancy",
            Field::ShrinkageBreaks => "shrinkage.breaks",
            Field::ShrinkageTraining => "shrinkage.training",
            Field::ShrinkageAbsence => "shrinkage.absence",
            Field::ShrinkageOther => "shrinkage.other",
            Field::ShrinkageCombined => "shrinkage (combined)",
            Field::Agents => "agents",
        }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// The queueing model an error or result belongs to.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Model {
    /// Erlang C (M/M/N, nobody abandons).
    ErlangC,
    /// Erlang A (M/M/N+M, exponential patience).
    ErlangA,
}

impl fmt::Display for Model {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Model::ErlangC => "Erlang C",
            Model::ErlangA => "Erlang A",
        })
    }
}

/// Why a planning computation was refused.
///
/// Every variant names the offending [`Field`] (or the model) so the caller can add the row
/// number and point at the column. [`PlanningError::code`] gives a stable kebab-case code.
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum PlanningError {
    /// A number is NaN or infinite.
    #[error("`{field}` must be a finite number, got `{value}`")]
    NotFinite {
        /// The input.
        field: Field,
        /// The value given.
        value: f64,
    },
    /// The volume is negative (0 is allowed and needs 0 agents).
    #[error("`volume` must not be negative, got `{value}` calls")]
    NegativeVolume {
        /// The value given.
        value: f64,
    },
    /// A length of time that must be strictly positive (interval, AHT, patience, ASA cap).
    #[error("`{field}` must be greater than 0 seconds, got `{value}`")]
    NotPositive {
        /// The input.
        field: Field,
        /// The value given.
        value: f64,
    },
    /// A threshold in seconds that must not be negative.
    #[error("`{field}` must not be negative, got `{value}` seconds")]
    NegativeSeconds {
        /// The input.
        field: Field,
        /// The value given.
        value: f64,
    },
    /// A share that must lie in (0, 1] (write 80 % as `0.8`).
    #[error("`{field}` must be a share in (0, 1] (write 80 % as 0.8), got `{value}`")]
    ShareOutOfRange {
        /// The input.
        field: Field,
        /// The value given.
        value: f64,
    },
    /// A shrinkage share that must lie in [0, 1).
    #[error("`{field}` must be a share in [0, 1) (write 30 % as 0.3), got `{value}`")]
    ShrinkageOutOfRange {
        /// The component, or [`Field::ShrinkageCombined`] when the sum reaches 100 %.
        field: Field,
        /// The value given (or the combined share).
        value: f64,
    },
    /// No staffing up to [`MAX_AGENTS`] meets the targets.
    #[error("needs more than {max} agents ({model}, offered load {offered_load:.1} Erlang)", max = MAX_AGENTS)]
    TooManyAgents {
        /// The model that was searched.
        model: Model,
        /// Offered load in Erlang (volume × AHT / interval).
        offered_load: f64,
    },
    /// A planned staffing above [`MAX_AGENTS`] was given to evaluate.
    #[error("`agents` must be at most {max}, got `{value}`", max = MAX_AGENTS)]
    AgentsOutOfRange {
        /// The value given.
        value: u64,
    },
    /// The Erlang A series would need too many terms: arrivals per mean patience
    /// (volume / interval × patience) above [`MAX_CALLERS_PER_PATIENCE`].
    #[error(
        "`patience_s` {patience_s} s is too long for Erlang A at this volume: {callers_per_patience:.0} \
         calls arrive per mean patience, the limit is {limit}",
        limit = MAX_CALLERS_PER_PATIENCE
    )]
    PatienceTooLong {
        /// The patience given.
        patience_s: f64,
        /// Arrivals per mean patience (λ/θ).
        callers_per_patience: f64,
    },
    /// A planning option is out of range; the inner error names the [`Field`], so a front end
    /// can point at its own flag or form field.
    #[error("{0}")]
    InvalidOption(Box<PlanningError>),
    /// An input file's header line cannot be read as CSV.
    #[error("{file}:1: {detail}")]
    UnreadableHeader {
        /// The input's name (a file path).
        file: String,
        /// What the CSV reader said.
        detail: String,
    },
    /// A record of an input file cannot be read as CSV.
    #[error("{file}:{line}: {detail}")]
    UnreadableRecord {
        /// The input's name (a file path).
        file: String,
        /// The line (1 = header; 0 when unknown).
        line: u64,
        /// What the CSV reader said.
        detail: String,
    },
    /// An input file lacks a required column.
    #[error("{file}:1: missing column `{column}` (need {})", required.join(", "))]
    MissingColumn {
        /// The input's name (a file path).
        file: String,
        /// The missing column.
        column: String,
        /// Every required column.
        required: Vec<String>,
    },
    /// Rows of an input file hold invalid values; nothing was planned. `errors` locates each.
    #[error("{file}: {} invalid value(s); nothing was planned", errors.len())]
    InvalidRows {
        /// The input's name (a file path).
        file: String,
        /// Every problem, in file order.
        errors: Vec<RowError>,
    },
    /// Intervals of the forecast cannot be staffed; nothing was planned. `errors` locates each.
    #[error("{input}: {} interval(s) could not be staffed; nothing was planned", errors.len())]
    UnstaffedIntervals {
        /// Where the forecast came from (a file path, or the store and month).
        input: String,
        /// Every interval refused, in forecast order.
        errors: Vec<RowError>,
    },
    /// The SLA asked for is not in the contract.
    #[error("--sla: no SLA `{id}` in the contract; service-level SLAs: {}", known.join(", "))]
    NoSuchSla {
        /// The id asked for.
        id: String,
        /// The contract's service-level SLAs.
        known: Vec<String>,
    },
    /// The SLA asked for does not measure a service level.
    #[error("--sla: `{id}` measures `{metric}`, not `service_level`")]
    NotServiceLevel {
        /// The id asked for.
        id: String,
        /// The metric it measures.
        metric: String,
    },
    /// Neither the contract nor the options give a threshold and a target for a queue.
    #[error(
        "no service-level SLA gives a threshold and target for queue `{queue}`; pass --threshold-s and --target"
    )]
    NoTarget {
        /// The forecast queue.
        queue: String,
    },
    /// A contract SLA's target is out of range (e.g. above 100 %).
    #[error("SLA {sla_id}: {error}")]
    InvalidSlaTarget {
        /// The SLA (`--` when none applies).
        sla_id: String,
        /// What is wrong with the target.
        error: Box<PlanningError>,
    },
    /// The forecast could not be written as CSV.
    #[error("could not write the forecast as CSV: {detail}")]
    ForecastCsv {
        /// What the CSV writer said.
        detail: String,
    },
}

/// Where in an input a row problem is.
#[derive(Debug, Clone, PartialEq)]
pub enum RowLocation {
    /// One cell of a CSV file.
    Cell {
        /// The line (1 = header).
        line: usize,
        /// The column's index, from 0.
        column: usize,
        /// The column's (or the planning field's) name.
        name: String,
    },
    /// A whole line of a CSV file.
    Line {
        /// The line (1 = header).
        line: usize,
    },
    /// An interval estimated from the store, which has no line.
    Estimated {
        /// The queue.
        queue: String,
        /// The interval's local start, `YYYY-MM-DD HH:MM`.
        local: String,
    },
}

/// What is wrong with a row of a forecast or staffing file.
#[derive(Debug, Clone, PartialEq)]
pub enum RowProblem {
    /// A required value is empty.
    MissingValue,
    /// An interval start that is no timestamp; `explain` adds the accepted forms.
    NotATimestamp {
        /// The text found.
        raw: String,
        /// Whether to spell out the accepted forms.
        explain: bool,
    },
    /// A number that is not one.
    NotANumber {
        /// The text found.
        raw: String,
    },
    /// A number that must be greater than 0.
    NotPositive {
        /// The text found.
        raw: String,
        /// The column, for a hint on what to write instead.
        column: String,
    },
    /// A number of agents that is not a whole number ≥ 0.
    NotWholeAgents {
        /// The text found.
        raw: String,
    },
    /// The forecast has this queue and interval on an earlier line.
    DuplicateInterval {
        /// The queue.
        queue: String,
        /// The earlier line.
        first_line: usize,
    },
    /// The staffing file has this queue and interval on an earlier line.
    DuplicateStaffing {
        /// The interval start as written.
        start: String,
        /// The queue.
        queue: String,
        /// The earlier line.
        first_line: usize,
    },
    /// The forecast has no rows at all.
    NoRows,
    /// The staffing arithmetic refused the row.
    Planning(PlanningError),
}

/// A problem located in an input: the file, where in it, and what.
#[derive(Debug, Clone, PartialEq)]
pub struct RowError {
    /// The input's name (a file path, or the store and month for an estimated forecast).
    pub file: String,
    /// Where in the input.
    pub at: RowLocation,
    /// What is wrong.
    pub problem: RowProblem,
}

impl RowError {
    /// `file:line:col: column `name`: problem` (or `file:line: problem`, or
    /// `file (queue start): problem`) in `lang`.
    pub fn message(&self, lang: pacta_core::Lang) -> String {
        let what = self.problem.message(lang);
        let file = &self.file;
        match &self.at {
            RowLocation::Cell { line, column, name } => format!(
                "{file}:{line}:{}: {} `{name}`: {what}",
                column + 1,
                lang.pick("column", "columna")
            ),
            RowLocation::Line { line } => format!("{file}:{line}: {what}"),
            RowLocation::Estimated { queue, local } => format!("{file} ({queue} {local}): {what}"),
        }
    }
}

impl RowProblem {
    /// The problem in `lang`, without its location.
    pub fn message(&self, lang: pacta_core::Lang) -> String {
        use pacta_core::Lang::{En, Es};
        match (self, lang) {
            (RowProblem::MissingValue, _) => lang.pick("missing value", "falta el valor").into(),
            (RowProblem::NotATimestamp { raw, explain: true }, En) => format!(
                "`{raw}` is not a timestamp; write RFC 3339 (2026-11-02T08:00:00+08:00) or YYYY-MM-DD HH:MM in the contract's time zone"
            ),
            (RowProblem::NotATimestamp { raw, explain: true }, Es) => format!(
                "`{raw}` no es una fecha y hora; escriba RFC 3339 (2026-11-02T08:00:00+08:00) o AAAA-MM-DD HH:MM en la zona horaria del contrato"
            ),
            (
                RowProblem::NotATimestamp {
                    raw,
                    explain: false,
                },
                En,
            ) => {
                format!("`{raw}` is not a timestamp")
            }
            (
                RowProblem::NotATimestamp {
                    raw,
                    explain: false,
                },
                Es,
            ) => {
                format!("`{raw}` no es una fecha y hora")
            }
            (RowProblem::NotANumber { raw }, En) => format!("`{raw}` is not a number"),
            (RowProblem::NotANumber { raw }, Es) => format!("`{raw}` no es un número"),
            (RowProblem::NotPositive { raw, column }, En) => {
                let hint = match column.as_str() {
                    "volume" => " (leave intervals without calls out of the forecast)",
                    "interval_minutes" => " (e.g. 30)",
                    _ => "",
                };
                format!("must be greater than 0, got `{raw}`{hint}")
            }
            (RowProblem::NotPositive { raw, column }, Es) => {
                let hint = match column.as_str() {
                    "volume" => " (omita del pronóstico los intervalos sin llamadas)",
                    "interval_minutes" => " (p. ej. 30)",
                    _ => "",
                };
                format!("debe ser mayor que 0, se recibió `{raw}`{hint}")
            }
            (RowProblem::NotWholeAgents { raw }, En) => {
                format!("`{raw}` is not a whole number of agents (0 or more)")
            }
            (RowProblem::NotWholeAgents { raw }, Es) => {
                format!("`{raw}` no es un número entero de agentes (0 o más)")
            }
            (RowProblem::DuplicateInterval { queue, first_line }, En) => {
                format!("queue `{queue}` has this interval already (line {first_line})")
            }
            (RowProblem::DuplicateInterval { queue, first_line }, Es) => {
                format!("la cola `{queue}` ya tiene este intervalo (línea {first_line})")
            }
            (
                RowProblem::DuplicateStaffing {
                    start,
                    queue,
                    first_line,
                },
                En,
            ) => format!(
                "duplicate interval `{start}` for queue `{queue}` (first on line {first_line})"
            ),
            (
                RowProblem::DuplicateStaffing {
                    start,
                    queue,
                    first_line,
                },
                Es,
            ) => format!(
                "intervalo `{start}` repetido para la cola `{queue}` (primero en la línea {first_line})"
            ),
            (RowProblem::NoRows, _) => lang
                .pick("the forecast has no rows", "el pronóstico no tiene filas")
                .into(),
            (RowProblem::Planning(e), _) => pacta_core::Localized::message(e, lang),
        }
    }
}

impl pacta_core::Localized for PlanningError {
    fn code(&self) -> &'static str {
        PlanningError::code(self)
    }

    fn message(&self, lang: pacta_core::Lang) -> String {
        if lang == pacta_core::Lang::En {
            return self.to_string();
        }
        match self {
            PlanningError::NotFinite { field, value } => {
                format!("`{field}` debe ser un número finito, se recibió `{value}`")
            }
            PlanningError::NegativeVolume { value } => {
                format!("`volume` no puede ser negativo, se recibió `{value}` llamadas")
            }
            PlanningError::NotPositive { field, value } => {
                format!("`{field}` debe ser mayor que 0 segundos, se recibió `{value}`")
            }
            PlanningError::NegativeSeconds { field, value } => {
                format!("`{field}` no puede ser negativo, se recibió `{value}` segundos")
            }
            PlanningError::ShareOutOfRange { field, value } => format!(
                "`{field}` debe ser una proporción en (0, 1] (escriba 80 % como 0.8), se recibió `{value}`"
            ),
            PlanningError::ShrinkageOutOfRange { field, value } => format!(
                "`{field}` debe ser una proporción en [0, 1) (escriba 30 % como 0.3), se recibió `{value}`"
            ),
            PlanningError::TooManyAgents {
                model,
                offered_load,
            } => format!(
                "necesita más de {MAX_AGENTS} agentes ({model}, carga ofrecida {offered_load:.1} Erlang)"
            ),
            PlanningError::AgentsOutOfRange { value } => {
                format!("`agents` debe ser como máximo {MAX_AGENTS}, se recibió `{value}`")
            }
            PlanningError::PatienceTooLong {
                patience_s,
                callers_per_patience,
            } => format!(
                "`patience_s` {patience_s} s es demasiado larga para Erlang A con este volumen: llegan \
             {callers_per_patience:.0} llamadas por paciencia media, el límite es {}",
                MAX_CALLERS_PER_PATIENCE
            ),
            PlanningError::InvalidOption(e) => pacta_core::Localized::message(&**e, lang),
            PlanningError::UnreadableHeader { .. } | PlanningError::UnreadableRecord { .. } => {
                self.to_string()
            }
            PlanningError::MissingColumn {
                file,
                column,
                required,
            } => format!(
                "{file}:1: falta la columna `{column}` (se necesitan {})",
                required.join(", ")
            ),
            PlanningError::InvalidRows { file, errors } => format!(
                "{file}: {} valor(es) no válido(s); no se planificó nada",
                errors.len()
            ),
            PlanningError::UnstaffedIntervals { input, errors } => format!(
                "{input}: {} intervalo(s) no se pudieron dimensionar; no se planificó nada",
                errors.len()
            ),
            PlanningError::NoSuchSla { id, known } => format!(
                "--sla: el contrato no tiene el SLA `{id}`; SLA de nivel de servicio: {}",
                known.join(", ")
            ),
            PlanningError::NotServiceLevel { id, metric } => {
                format!("--sla: `{id}` mide `{metric}`, no `service_level`")
            }
            PlanningError::NoTarget { queue } => format!(
                "ningún SLA de nivel de servicio da umbral y objetivo para la cola `{queue}`; indique --threshold-s y --target"
            ),
            PlanningError::InvalidSlaTarget { sla_id, error } => {
                format!(
                    "SLA {sla_id}: {}",
                    pacta_core::Localized::message(&**error, lang)
                )
            }
            PlanningError::ForecastCsv { detail } => {
                format!("no se pudo escribir el pronóstico como CSV: {detail}")
            }
        }
    }
}

impl PlanningError {
    /// A stable kebab-case code for the error, for JSON output and documentation.
    pub fn code(&self) -> &'static str {
        match self {
            PlanningError::NotFinite { .. } => "not-finite",
            PlanningError::NegativeVolume { .. } => "negative-volume",
            PlanningError::NotPositive { .. } => "not-positive",
            PlanningError::NegativeSeconds { .. } => "negative-seconds",
            PlanningError::ShareOutOfRange { .. } => "share-out-of-range",
            PlanningError::ShrinkageOutOfRange { .. } => "shrinkage-out-of-range",
            PlanningError::TooManyAgents { .. } => "too-many-agents",
            PlanningError::AgentsOutOfRange { .. } => "agents-out-of-range",
            PlanningError::PatienceTooLong { .. } => "patience-too-long",
            PlanningError::InvalidOption(e) => e.code(),
            PlanningError::UnreadableHeader { .. } => "plan-csv-header-unreadable",
            PlanningError::UnreadableRecord { .. } => "plan-csv-record-unreadable",
            PlanningError::MissingColumn { .. } => "plan-csv-column-missing",
            PlanningError::InvalidRows { .. } => "plan-rows-invalid",
            PlanningError::UnstaffedIntervals { .. } => "plan-intervals-unstaffed",
            PlanningError::NoSuchSla { .. } => "plan-sla-unknown",
            PlanningError::NotServiceLevel { .. } => "plan-sla-not-service-level",
            PlanningError::NoTarget { .. } => "plan-target-missing",
            PlanningError::InvalidSlaTarget { error, .. } => error.code(),
            PlanningError::ForecastCsv { .. } => "plan-forecast-csv",
        }
    }

    /// The input the error is about, if it is about one input.
    pub fn field(&self) -> Option<Field> {
        match self {
            PlanningError::NotFinite { field, .. }
            | PlanningError::NotPositive { field, .. }
            | PlanningError::NegativeSeconds { field, .. }
            | PlanningError::ShareOutOfRange { field, .. }
            | PlanningError::ShrinkageOutOfRange { field, .. } => Some(*field),
            PlanningError::NegativeVolume { .. } => Some(Field::Volume),
            PlanningError::AgentsOutOfRange { .. } => Some(Field::Agents),
            PlanningError::PatienceTooLong { .. } => Some(Field::PatienceS),
            PlanningError::InvalidOption(e) | PlanningError::InvalidSlaTarget { error: e, .. } => {
                e.field()
            }
            PlanningError::TooManyAgents { .. }
            | PlanningError::UnreadableHeader { .. }
            | PlanningError::UnreadableRecord { .. }
            | PlanningError::MissingColumn { .. }
            | PlanningError::InvalidRows { .. }
            | PlanningError::UnstaffedIntervals { .. }
            | PlanningError::NoSuchSla { .. }
            | PlanningError::NotServiceLevel { .. }
            | PlanningError::NoTarget { .. }
            | PlanningError::ForecastCsv { .. } => None,
        }
    }
}

/// Checks a value is finite.
pub(crate) fn finite(field: Field, value: f64) -> Result<f64, PlanningError> {
    if value.is_finite() {
        Ok(value)
    } else {
        Err(PlanningError::NotFinite { field, value })
    }
}

/// Checks a duration is finite and > 0.
pub(crate) fn positive_seconds(field: Field, value: f64) -> Result<f64, PlanningError> {
    finite(field, value)?;
    if value > 0.0 {
        Ok(value)
    } else {
        Err(PlanningError::NotPositive { field, value })
    }
}

/// Checks a threshold is finite and ≥ 0.
pub(crate) fn non_negative_seconds(field: Field, value: f64) -> Result<f64, PlanningError> {
    finite(field, value)?;
    if value >= 0.0 {
        Ok(value)
    } else {
        Err(PlanningError::NegativeSeconds { field, value })
    }
}

/// Checks a share is finite and in (0, 1].
pub(crate) fn share(field: Field, value: f64) -> Result<f64, PlanningError> {
    finite(field, value)?;
    if value > 0.0 && value <= 1.0 {
        Ok(value)
    } else {
        Err(PlanningError::ShareOutOfRange { field, value })
    }
}

/// Checks a volume is finite and ≥ 0.
pub(crate) fn volume(value: f64) -> Result<f64, PlanningError> {
    finite(Field::Volume, value)?;
    if value >= 0.0 {
        Ok(value)
    } else {
        Err(PlanningError::NegativeVolume { value })
    }
}
