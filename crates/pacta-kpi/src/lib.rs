//! The KPI engine: every metric and variant of `docs/spec/kpi-definitions.md` over any scope and period, in one pass.
//!
//! # How it works
//!
//! 1. **Plan.** Each [`KpiRequest`] (usually built from an SLA with [`KpiRequest::from_sla`])
//!    is parsed into a metric kind. The plan collects every distinct answer/abandon threshold
//!    (T, S, `after_seconds`), FCR window, disposition and written-channel response threshold
//!    the requests need, and lays out one flat counter block per cell.
//! 2. **Periods.** Each request's periods (interval, day, ISO week, month, quarter) are cut in
//!    the contract's time zone with `jiff` and merged into one sorted list of UTC-ms
//!    boundaries; rows are bucketed by binary search over it (with a cache for time-ordered
//!    data), never by per-row time-zone conversion.
//! 3. **FCR structure.** When an FCR `repeat_contact` request exists, contacts with a known
//!    customer are radix-partitioned by a hash of the customer key, each partition is sorted by
//!    (customer, arrival) once, and every handled contact gets a bit saying whether another
//!    contact from the same customer arrives within the window after it.
//! 4. **One pass.** The interaction columns are scanned once (split across threads); each
//!    row adds to the counters of its cell: (channel, queue, site, language) combination ×
//!    inside/outside hours × base period bucket. Answered waits are kept only when a
//!    percentile is requested.
//! 5. **Aggregation.** For each request, group and period, cells in scope are summed and the
//!    formula applied. No request rescans the interaction columns.
//!
//! # Conventions
//!
//! - Rates are **percent (0–100)**, like contract targets; times are **seconds**; NPS is
//!   −100…+100; QA 0–100; counts are counts.
//! - `value: None` means "no data" (empty denominator); it is never reported as 0 or 100.
//! - Thresholds are inclusive (`wait ≤ T`). Counts are exact `u64`; rates are computed from
//!   the exact counts.
//! - Offered `O = A + Ab + X`; contacts still `in_progress` at the end of the data are not
//!   offered (their outcome is unknown) and are reported as an input.
//! - Contacts outside hours of operation (per channel, from the contract calendar; closed
//!   holidays have no hours) are excluded from interaction metrics and counted in the input
//!   `outside_hours`, unless `calendar.include_outside_hours`. `response_time` always keeps
//!   them: written channels are asynchronous and the business clock already skips closed time.
//! - Scope: an SLA scope's channels, queues, sites and languages are ANDed; its services are
//!   ORed, a service matching its channel and (when listed) its queues.
//! - Waits: answered wait = `answered_at − arrived_at`, abandon wait = `ended_at −
//!   arrived_at`. An answered contact without `answered_at` counts in A but not in A≤T, an
//!   abandon without `ended_at` counts in Ab but not in Ab≤T; either flags the value
//!   approximate. `max_wait` and the percentiles are over answered waits (nearest rank).
//! - AHT divides by answered contacts that carry talk time; missing hold or wrap counts as
//!   zero and flags the value approximate, as does an answered contact without talk time.
//! - FCR `repeat_contact`: "another contact" is an answered or abandoned contact of the same
//!   customer key (same queue or channel under `repeat_scope`) arriving strictly later and at
//!   most `window_days × 24 h` after the handled contact, anywhere in the table (the window may
//!   run past the period end). `agent_flag` counts answered contacts whose disposition is
//!   `resolved` (case-insensitive).
//! - `contacts_made` counts answered (connected) contacts; `sales` counts answered contacts
//!   with the disposition (default `sale`); `conversion` divides them by answered
//!   (`of_handled`) or offered (`of_dialled`) contacts.
//! - `response_time`: share of contacts whose first reply came within `response_hours`, in
//!   calendar time or in business time (open hours of the contact's channel, closed holidays
//!   excluded). A contact with no reply counts as not within.
//! - Surveys and QA evaluations are placed in periods by their own time stamps and in scope
//!   through the interaction they reference; records that reference no known interaction
//!   count only for unscoped requests (and are reported as `unlinked`).
//! - Roster-based metrics (attrition, training, occupancy, adherence) honour scope sites via
//!   the roster and use local dates; an `interval` period is treated as `day` for them.
//!   Attrition = separations / ((headcount at start + headcount at end) / 2) × 100, where
//!   headcount at start counts agents on the roster on the first day and at end those still
//!   on it after the last day; `annualised` = separations in the 12 months ending with the
//!   period / the mean of those months' average headcounts × 100.
//! - QA: an evaluation scores Σ(score × weight) / Σ(max × weight) × 100, or 0 when a critical
//!   item scored below its maximum; the period value is the mean of evaluations.
//!   `evaluated_share` = agents with at least N evaluations / agents on the roster during the
//!   period (agents seen in evaluations when there is no roster, flagged approximate).
//! - `report_delivery` needs [`ReportDelivery`] records; without them it is "no data".
//!
//! The library does no I/O and never reads the clock.

mod calendar;
pub mod cells;
mod engine;
pub mod evidence;
mod formulas;
mod layout;
pub mod lower;
mod period;
mod record_metrics;
mod repeat;
mod scan;

use std::collections::BTreeMap;

use pacta_contract::metrics::{Direction, Unit};
use pacta_contract::{ContactScope, Measure, PeriodKind, SlaParams, SlaTerms};
use pacta_core::{Lang, Localized};
use pacta_data::model::{
    AgentDay, InteractionTable, QaEvaluation, RosterEntry, Survey, TrainingRecord,
};
use serde::Serialize;

pub use calendar::Hours;
pub use cells::{CellPlan, CellSource, ExclusionWindow, ExternalCell, ExternalCells};
pub use engine::{cell_plan, compute, for_month_with_interval};
pub use period::{Period, periods};

/// Errors of the KPI engine (bad requests or malformed tables; never data quality issues,
/// which are counted and reported instead).
#[derive(Debug, Clone, PartialEq, thiserror::Error)]
pub enum KpiError {
    /// A metric, variant or parameter given outside a contract (`pacta kpi --metric`) is
    /// not one the catalog knows.
    #[error(transparent)]
    Measure(pacta_contract::Problem),
    /// Interval length other than 15, 30 or 60 minutes.
    #[error("interval of {minutes} minutes (use 15, 30 or 60)")]
    BadInterval {
        /// Minutes given.
        minutes: u32,
    },
    /// The table's columns have different lengths.
    #[error("interaction table column `{column}` has {len} rows, expected {expected}")]
    RaggedTable {
        /// Column name.
        column: &'static str,
        /// Its length.
        len: usize,
        /// Length of `arrived_at_ms`.
        expected: usize,
    },
    /// A request links surveys or QA evaluations to interactions (it is scoped or grouped)
    /// but the table was loaded without its `source_id` column.
    #[error(
        "`{id}` needs the interactions' source ids to place surveys and QA evaluations; load the table with them"
    )]
    SourceIdsNotLoaded {
        /// Request id.
        id: String,
    },
    /// A `response_time` request, but the table was loaded without first-response times.
    #[error("`{id}` needs the interactions' first-response times; load the table with them")]
    FirstResponseNotLoaded {
        /// Request id.
        id: String,
    },
    /// A date or time computation failed (out of range).
    #[error("time computation failed: {0}")]
    Time(String),
    /// An external engine failed or returned counters pacta cannot use.
    #[error("external engine: {0}")]
    Engine(String),
}

impl Localized for KpiError {
    fn code(&self) -> &'static str {
        match self {
            KpiError::Measure(p) => p.code(),
            KpiError::BadInterval { .. } => "kpi-bad-interval",
            KpiError::RaggedTable { .. } => "kpi-ragged-table",
            KpiError::SourceIdsNotLoaded { .. } => "kpi-source-ids-not-loaded",
            KpiError::FirstResponseNotLoaded { .. } => "kpi-first-response-not-loaded",
            KpiError::Time(_) => "kpi-time",
            KpiError::Engine(_) => "kpi-engine",
        }
    }

    fn message(&self, lang: Lang) -> String {
        match (self, lang) {
            (KpiError::Measure(p), _) => p.message(lang),
            (_, Lang::En) => self.to_string(),
            (KpiError::BadInterval { minutes }, Lang::Es) => {
                format!("intervalo de {minutes} minutos (use 15, 30 o 60)")
            }
            (
                KpiError::RaggedTable {
                    column,
                    len,
                    expected,
                },
                Lang::Es,
            ) => format!(
                "la columna `{column}` de la tabla de interacciones tiene {len} filas, se esperaban {expected}"
            ),
            (KpiError::SourceIdsNotLoaded { id }, Lang::Es) => format!(
                "`{id}` necesita los identificadores de origen de las interacciones para ubicar encuestas y evaluaciones de calidad; cargue la tabla con ellos"
            ),
            (KpiError::FirstResponseNotLoaded { id }, Lang::Es) => format!(
                "`{id}` necesita los tiempos de primera respuesta de las interacciones; cargue la tabla con ellos"
            ),
            (KpiError::Time(detail), Lang::Es) => format!("falló un cálculo de fechas: {detail}"),
            (KpiError::Engine(detail), Lang::Es) => format!("motor externo: {detail}"),
        }
    }

    fn hint(&self, lang: Lang) -> Option<String> {
        match self {
            KpiError::Measure(p) => p.hint(lang),
            _ => None,
        }
    }
}

/// Whether any of `requests` reads first-response times (`response_time`). When none does,
/// callers may leave first responses unloaded (80 MB per 10 million rows).
pub fn needs_first_response(requests: &[KpiRequest]) -> bool {
    requests.iter().any(|r| r.measure.reads_first_response())
}

/// Whether any of `requests` must link surveys or QA evaluations to interaction rows (by
/// `source_id`), which a scoped or grouped survey/QA metric does. When none does, callers may
/// load the interaction table without its `source_id` column (at 10 million rows that column
/// alone is about half a gigabyte of strings) and leave it empty.
pub fn needs_source_ids(requests: &[KpiRequest], group_by: &[GroupBy]) -> bool {
    requests.iter().any(|r| {
        r.measure.links_records_to_contacts() && (!group_by.is_empty() || !r.scope.is_everything())
    })
}

/// One measured value with everything needed to explain it.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct MetricValue {
    /// The value in the metric's unit (percent for rates); `None` = no data.
    pub value: Option<f64>,
    /// Numerator of the formula (for means: the sum).
    pub numerator: f64,
    /// Denominator of the formula (for means: the count; 1 for counts).
    pub denominator: f64,
    /// The value rests on incomplete source data (e.g. no hold or wrap time).
    pub approximate: bool,
    /// The counts used, by the names the formula uses (`A`, `Ab`, `A<=T`, `Ab<=S`, `T_s`…).
    pub inputs: BTreeMap<&'static str, f64>,
    /// The formula with its parameters, e.g. `A≤20 / (A + Ab − Ab≤5)`.
    pub formula: String,
}

impl MetricValue {
    /// A ratio scaled by `scale` (100 for percent, 1 for a mean); no data when `den` is 0.
    pub fn ratio(num: f64, den: f64, scale: f64, formula: String) -> Self {
        MetricValue {
            value: (den > 0.0).then(|| num / den * scale),
            numerator: num,
            denominator: den,
            approximate: false,
            inputs: BTreeMap::new(),
            formula,
        }
    }

    /// Adds an input.
    pub fn with(mut self, key: &'static str, v: f64) -> Self {
        self.inputs.insert(key, v);
        self
    }
}

/// A dimension a report can be broken down by.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum GroupBy {
    /// Channel.
    Channel,
    /// Queue.
    Queue,
    /// Site.
    Site,
    /// Language.
    Language,
}

impl GroupBy {
    /// Machine name.
    pub fn as_str(self) -> &'static str {
        match self {
            GroupBy::Channel => "channel",
            GroupBy::Queue => "queue",
            GroupBy::Site => "site",
            GroupBy::Language => "language",
        }
    }
}

impl std::str::FromStr for GroupBy {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        Ok(match s.trim() {
            "channel" => GroupBy::Channel,
            "queue" => GroupBy::Queue,
            "site" => GroupBy::Site,
            "language" => GroupBy::Language,
            other => {
                return Err(format!(
                    "unknown grouping `{other}` (channel, queue, site, language)"
                ));
            }
        })
    }
}

/// One metric to compute: what, with which formula and parameters, where and how often.
#[derive(Debug, Clone, PartialEq)]
pub struct KpiRequest {
    /// SLA id (or a caller's label).
    pub id: String,
    /// What is measured.
    pub measure: Measure,
    /// The parameters as written (echoed in reports; the engine reads `measure`).
    pub params: SlaParams,
    /// Which contacts count.
    pub scope: ContactScope,
    /// Period granularity.
    pub period: PeriodKind,
    /// Interval length in minutes for `period = interval`.
    pub interval_minutes: Option<u32>,
    /// Exclusion classes this request drops: interactions whose
    /// [`KpiInputs::exclusion_marks`] intersect this mask are left out of the request (as if
    /// absent from the table: they neither count nor act as FCR repeats, and surveys or QA
    /// evaluations linked to them are unlinked). 0 keeps every row.
    pub exclude_marks: u8,
}

/// Serialized as the contract wrote it: metric and variant names, parameters and scope.
impl Serialize for KpiRequest {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        use serde::ser::SerializeStruct;
        let fields = if self.exclude_marks == 0 { 7 } else { 8 };
        let mut st = s.serialize_struct("KpiRequest", fields)?;
        st.serialize_field("id", &self.id)?;
        st.serialize_field("metric", self.measure.metric_name())?;
        st.serialize_field("variant", self.measure.variant_name())?;
        st.serialize_field("params", &self.params)?;
        st.serialize_field("scope", &self.scope)?;
        st.serialize_field("period", &self.period)?;
        st.serialize_field("interval_minutes", &self.interval_minutes)?;
        if self.exclude_marks != 0 {
            st.serialize_field("exclude_marks", &self.exclude_marks)?;
        }
        st.end()
    }
}

impl KpiRequest {
    /// A measure over the whole month, unscoped.
    pub fn new(id: &str, measure: Measure, params: SlaParams) -> Self {
        KpiRequest {
            id: id.to_string(),
            measure,
            params,
            scope: ContactScope::everything(),
            period: PeriodKind::Month,
            interval_minutes: None,
            exclude_marks: 0,
        }
    }

    /// A catalog metric named outside a contract (`metric` or `metric:variant` with
    /// parameters), checked as a contract's SLA would be; the error says what is wrong.
    pub fn parse(
        id: &str,
        metric: &str,
        variant: Option<&str>,
        params: SlaParams,
    ) -> Result<Self, KpiError> {
        let measure = Measure::parse(metric, variant, &params).map_err(|problems| {
            // The first problem is the one to fix first (an unknown metric hides the rest).
            let first = problems.into_iter().next().map(|(_, _, p)| p);
            KpiError::Measure(first.unwrap_or(pacta_contract::Problem::Empty))
        })?;
        Ok(KpiRequest::new(id, measure, params))
    }

    /// The request an SLA describes, over its scope and period.
    pub fn for_sla(sla: &SlaTerms) -> Self {
        KpiRequest {
            id: sla.id.clone(),
            measure: sla.measure.clone(),
            params: sla.params.clone(),
            scope: sla.scope.clone(),
            period: sla.period,
            interval_minutes: sla.interval_minutes,
            exclude_marks: 0,
        }
    }

    /// The same request with another period.
    pub fn with_period(mut self, period: PeriodKind, interval_minutes: Option<u32>) -> Self {
        self.period = period;
        self.interval_minutes = interval_minutes;
        self
    }

    /// Whether the metric is computed from the interaction table.
    pub fn uses_interactions(&self) -> bool {
        self.measure.reads_interactions()
    }
}

/// A report-delivery record (`report_delivery`): a report due on a date and when it arrived.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct ReportDelivery {
    /// Report id from `[quality.reports]`.
    pub report_id: String,
    /// Local due date.
    pub due_on: jiff::civil::Date,
    /// Local delivery date, if delivered.
    pub delivered_on: Option<jiff::civil::Date>,
}

/// Everything the engine reads.
#[derive(Debug, Clone, Copy)]
pub struct KpiInputs<'a> {
    /// Interactions as columns.
    pub interactions: &'a InteractionTable,
    /// Surveys.
    pub surveys: &'a [Survey],
    /// QA evaluations.
    pub qa: &'a [QaEvaluation],
    /// Roster.
    pub roster: &'a [RosterEntry],
    /// Training records.
    pub training: &'a [TrainingRecord],
    /// Agent days (scheduled, logged, handling, available minutes).
    pub agent_days: &'a [AgentDay],
    /// Report deliveries.
    pub report_deliveries: &'a [ReportDelivery],
    /// Per interaction row, a bitmask of the exclusion classes covering it (for example the
    /// kinds of accepted incidents whose windows it arrived in); empty = no row is marked.
    /// Settlement uses it so that one pass serves SLAs with different exclusions.
    pub exclusion_marks: &'a [u8],
    /// The windows `exclusion_marks` were computed from, for engines that mark rows
    /// themselves (empty with empty marks).
    pub exclusion_windows: &'a [ExclusionWindow],
    /// Where the interaction cells are counted: `None` scans `interactions` here; an external
    /// engine counts them from the store's files (then `interactions` may be empty, or hold
    /// only what surveys and QA evaluations link to).
    pub cells: Option<&'a dyn CellSource>,
}

impl<'a> KpiInputs<'a> {
    /// Inputs with interactions only.
    pub fn new(interactions: &'a InteractionTable) -> Self {
        KpiInputs {
            interactions,
            surveys: &[],
            qa: &[],
            roster: &[],
            training: &[],
            agent_days: &[],
            report_deliveries: &[],
            exclusion_marks: &[],
            exclusion_windows: &[],
            cells: None,
        }
    }
}

/// The value of one period.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct PeriodValue {
    /// The period.
    pub period: Period,
    /// Its value.
    pub value: MetricValue,
}

/// The values of one group (one combination of the `group_by` dimensions).
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct GroupResult {
    /// Dimension → value (`queue` → `cards`); empty when not grouped.
    pub group: BTreeMap<String, String>,
    /// One value per period, in time order.
    pub periods: Vec<PeriodValue>,
}

/// The result of one request.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct RequestResult {
    /// The request.
    pub request: KpiRequest,
    /// Unit of the values.
    pub unit: Unit,
    /// Better direction.
    pub direction: Direction,
    /// Per group.
    pub groups: Vec<GroupResult>,
}

/// Data-quality counts of the interaction scan.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct ScanSummary {
    /// Rows in the table.
    pub rows: u64,
    /// Rows arriving inside the periods measured.
    pub rows_in_periods: u64,
    /// Rows with an invalid code or dictionary index (skipped).
    pub invalid_rows: u64,
    /// Rows in the periods arriving outside hours of operation.
    pub outside_hours: u64,
}

/// Everything measured for one month.
#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct KpiReport {
    /// `YYYY-MM`.
    pub month: String,
    /// Time zone periods were cut in.
    pub time_zone: String,
    /// Grouping dimensions.
    pub group_by: Vec<GroupBy>,
    /// One result per request, in request order.
    pub results: Vec<RequestResult>,
    /// Scan counts.
    pub scan: ScanSummary,
}

impl KpiReport {
    /// The result of the request with this id.
    pub fn get(&self, id: &str) -> Option<&RequestResult> {
        self.results.iter().find(|r| r.request.id == id)
    }

    /// The value of an ungrouped request with a single period (e.g. a monthly SLA).
    pub fn single(&self, id: &str) -> Option<&MetricValue> {
        let r = self.get(id)?;
        match (
            r.groups.as_slice(),
            r.groups.first().map(|g| g.periods.as_slice()),
        ) {
            ([_], Some([p])) => Some(&p.value),
            _ => None,
        }
    }
}

/// For SLAs measured per interval (or day): the share of periods with data that meet the
/// target, in percent. Periods with no data are left out and counted in `no_data`.
pub fn share_meeting(values: &[PeriodValue], target: f64, direction: Direction) -> MetricValue {
    let mut met = 0u64;
    let mut with_data = 0u64;
    let mut empty = 0u64;
    for v in values {
        match v.value.value {
            Some(x) => {
                with_data += 1;
                let ok = match direction {
                    Direction::HigherIsBetter => x >= target,
                    Direction::LowerIsBetter => x <= target,
                };
                met += u64::from(ok);
            }
            None => empty += 1,
        }
    }
    MetricValue::ratio(
        met as f64,
        with_data as f64,
        100.0,
        format!("periods meeting {target} / periods with data"),
    )
    .with("periods_met", met as f64)
    .with("periods_with_data", with_data as f64)
    .with("no_data", empty as f64)
}
