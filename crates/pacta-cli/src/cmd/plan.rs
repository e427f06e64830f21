//! `pacta plan`: Erlang C and Erlang A staffing against the contract's service level.
//!
//! Two sources of intervals:
//!
//! * `--forecast FILE`: a CSV with `interval_start, queue, volume, aht_s` and optionally
//!   `patience_s` and `interval_minutes`, one row per interval and queue;
//! * `--from-store --month M`: the month's interactions in the store, turned into a profile per
//!   queue, day type (weekday or weekend) and interval of the day (calls per day, AHT, mean
//!   patience = total time waited by all callers / abandoned callers, the maximum-likelihood
//!   estimate for exponential patience), laid over every day of the following month.
//!
//! Each interval is staffed with `pacta_planning::plan_interval` against the service-level
//! SLA that covers its queue (`--sla` picks one; flags override its threshold, target and
//! variant). `--staffing FILE` (the vendor's plan, agents in seat per interval) adds what the
//! plan delivers interval by interval and the month-level service level it implies.

use pacta_core::Localized;
use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use jiff::Timestamp;
use jiff::civil::{self, Weekday};
use jiff::tz::TimeZone;
use pacta_contract::model::Channel;
use pacta_contract::{Contract, Lang};
use pacta_contract::{Measure, SlaTerms};
use pacta_planning::{
    Field, IntervalInput, IntervalPlan, MAX_AGENTS, PlanningError, ServiceLevelVariant,
    ServiceTarget, Shrinkage, StaffingEvaluation, aggregate_month, evaluate_staffing, fte_hours,
    plan_interval, scheduled_agents_whole,
};
use serde::Serialize;

use super::contract::load_contract;
use super::{CliError, CliResult, read_file, write_file};
use crate::text::t;

/// Output format of `plan`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PlanFormat {
    /// Terminal table with totals.
    Table,
    /// Every interval and the totals as JSON.
    Json,
    /// One CSV row per interval and queue.
    Csv,
}

#[derive(Args)]
pub struct PlanArgs {
    /// The contract: its service-level SLA supplies the threshold, target and variant.
    #[arg(long, value_name = "FILE")]
    contract: PathBuf,
    /// Forecast CSV: interval_start (RFC 3339, or `YYYY-MM-DD HH:MM` in the contract's time
    /// zone), queue, volume, aht_s, and optionally patience_s and interval_minutes.
    #[arg(
        long,
        value_name = "FILE",
        required_unless_present = "from_store",
        conflicts_with = "from_store"
    )]
    forecast: Option<PathBuf>,
    /// Estimate the forecast from a month in the store and plan the following month.
    #[arg(long, requires = "month")]
    from_store: bool,
    /// With --from-store: the month of data to learn from, YYYY-MM.
    #[arg(long, value_name = "YYYY-MM", requires = "from_store")]
    month: Option<String>,
    /// Store directory (with --from-store).
    #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
    store: PathBuf,
    /// With --from-store: also write the estimated forecast as a forecast CSV.
    #[arg(long, value_name = "FILE", requires = "from_store")]
    write_forecast: Option<PathBuf>,
    /// The service-level SLA to plan against (default: the first `service_level` SLA whose
    /// scope covers the queue, else the first one).
    #[arg(long, value_name = "SLA_ID")]
    sla: Option<String>,
    /// Answer threshold T in seconds (overrides the SLA's `threshold_s`).
    #[arg(long, value_name = "T")]
    threshold_s: Option<f64>,
    /// Target share answered within T, e.g. 0.8 (overrides the SLA's target in force).
    #[arg(long, value_name = "SHARE")]
    target: Option<f64>,
    /// Service-level variant (how abandoned calls count under Erlang A), as the contract names
    /// it: exclude_short_abandons, answered_only, abandons_against, abandons_after_threshold,
    /// abandons_within_met, offered.
    #[arg(long, value_name = "VARIANT", value_parser = parse_variant)]
    variant: Option<ServiceLevelVariant>,
    /// Mean patience in seconds for rows without a patience_s value (enables Erlang A).
    #[arg(long, value_name = "P")]
    patience_s: Option<f64>,
    /// Also require Erlang A abandonment (share of offered) at most this, e.g. 0.05.
    #[arg(long, value_name = "SHARE")]
    max_abandon: Option<f64>,
    /// Also require the average speed of answer at most this many seconds.
    #[arg(long, value_name = "S")]
    max_asa_s: Option<f64>,
    /// Shrinkage share (breaks, training, absence…) turning agents into scheduled FTE.
    #[arg(long, value_name = "SHARE", default_value_t = 0.3)]
    shrinkage: f64,
    /// Maximum agent occupancy, e.g. 0.85 (none by default).
    #[arg(long, value_name = "SHARE")]
    max_occupancy: Option<f64>,
    /// Interval length in minutes for rows without interval_minutes.
    #[arg(long, value_name = "MINUTES", default_value_t = 30)]
    interval: u32,
    /// The vendor's staffing plan: CSV interval_start, queue, agents (agents in seat).
    #[arg(long, value_name = "FILE")]
    staffing: Option<PathBuf>,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value = "table")]
    format: PlanFormat,
    /// Also write a self-contained HTML chart of required vs planned agents.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

fn parse_variant(s: &str) -> Result<ServiceLevelVariant, String> {
    ServiceLevelVariant::from_name(s).ok_or_else(|| {
        format!(
            "unknown service-level variant `{s}` (use exclude_short_abandons, answered_only, \
             abandons_against, abandons_after_threshold, abandons_within_met or offered)"
        )
    })
}

fn tr(lang: Lang, en: String, es: String) -> String {
    match lang {
        Lang::En => en,
        Lang::Es => es,
    }
}

/// A planning error in the user's language (the library's messages are English only).
/// The command-line flag behind a planning field, for errors about flags.
fn flag_of(field: Field) -> &'static str {
    match field {
        Field::ThresholdS => "--threshold-s",
        Field::TargetShare => "--target",
        Field::MaxAsaS => "--max-asa-s",
        Field::MaxAbandonShare => "--max-abandon",
        Field::MaxOccupancy => "--max-occupancy",
        Field::PatienceS => "--patience-s",
        Field::IntervalS => "--interval",
        Field::ShrinkageBreaks
        | Field::ShrinkageTraining
        | Field::ShrinkageAbsence
        | Field::ShrinkageOther
        | Field::ShrinkageCombined => "--shrinkage",
        Field::Volume | Field::AhtS | Field::ShortAbandonS | Field::Agents => "--",
    }
}

// ------------------------------------------------------------------------------ input rows

/// One interval of one queue to staff.
#[derive(Debug, Clone)]
struct ForecastRow {
    /// Line in the forecast file (1 = header); 0 when estimated from the store.
    line: usize,
    start: Timestamp,
    queue: String,
    volume: f64,
    aht_s: f64,
    patience_s: Option<f64>,
    interval_minutes: f64,
}

/// Row errors collected while reading a file, each already located and worded.
struct RowErrors {
    path: String,
    list: Vec<String>,
}

impl RowErrors {
    fn new(path: &Path) -> Self {
        RowErrors {
            path: path.display().to_string(),
            list: Vec::new(),
        }
    }

    /// `file:line:col: column `name`: msg`.
    fn at(&mut self, line: usize, col: usize, name: &str, msg: String, lang: Lang) {
        let what = t(lang, "column", "columna");
        self.list.push(format!(
            "{}:{line}:{}: {what} `{name}`: {msg}",
            self.path,
            col + 1
        ));
    }

    fn whole(&mut self, line: usize, msg: String) {
        self.list.push(format!("{}:{line}: {msg}", self.path));
    }

    /// Prints every error and fails with a summary, or succeeds when there were none.
    fn finish(self, lang: Lang) -> Result<(), CliError> {
        if self.list.is_empty() {
            return Ok(());
        }
        const SHOWN: usize = 50;
        for e in self.list.iter().take(SHOWN) {
            eprintln!("error: {e}");
        }
        let n = self.list.len();
        if n > SHOWN {
            eprintln!(
                "{}",
                tr(
                    lang,
                    format!("… and {} more", n - SHOWN),
                    format!("… y {} más", n - SHOWN)
                )
            );
        }
        Err(CliError::Invalid(tr(
            lang,
            format!("{}: {n} invalid value(s); nothing was planned", self.path),
            format!(
                "{}: {n} valor(es) no válido(s); no se planificó nada",
                self.path
            ),
        )))
    }
}

/// A CSV file's header and records, with required and optional columns located.
struct Table {
    records: Vec<(usize, csv::StringRecord)>,
    cols: HashMap<&'static str, usize>,
}

fn read_table(
    path: &Path,
    required: &[&'static str],
    optional: &[&'static str],
    lang: Lang,
) -> Result<Table, CliError> {
    let bytes = read_file(path)?;
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .flexible(true)
        .from_reader(bytes.as_slice());
    let headers = rdr
        .headers()
        .map_err(|e| CliError::Invalid(format!("{}:1: {e}", path.display())))?
        .clone();
    let mut cols = HashMap::new();
    let find = |name: &str| {
        headers
            .iter()
            .position(|h| h.trim_start_matches('\u{feff}').eq_ignore_ascii_case(name))
    };
    for name in required {
        match find(name) {
            Some(i) => {
                cols.insert(*name, i);
            }
            None => {
                return Err(CliError::Invalid(tr(
                    lang,
                    format!(
                        "{}:1: missing column `{name}` (need {})",
                        path.display(),
                        required.join(", ")
                    ),
                    format!(
                        "{}:1: falta la columna `{name}` (se necesitan {})",
                        path.display(),
                        required.join(", ")
                    ),
                )));
            }
        }
    }
    for name in optional {
        if let Some(i) = find(name) {
            cols.insert(*name, i);
        }
    }
    let mut records = Vec::new();
    for rec in rdr.records() {
        let rec = rec.map_err(|e| {
            let line = e.position().map_or(0, |p| p.line());
            CliError::Invalid(format!("{}:{line}: {e}", path.display()))
        })?;
        let line = rec
            .position()
            .map_or(records.len() + 2, |p| p.line() as usize);
        if rec.iter().all(str::is_empty) {
            continue;
        }
        records.push((line, rec));
    }
    Ok(Table { records, cols })
}

/// Parses an interval start: RFC 3339 with an offset, or a local `YYYY-MM-DD HH:MM[:SS]` in
/// the contract's time zone (a local time skipped or repeated by a clock change resolves as
/// jiff's "compatible" rule: the later instant in a gap, the earlier in a fold).
fn parse_start(raw: &str, tz: &TimeZone) -> Option<Timestamp> {
    if let Ok(ts) = raw.parse::<Timestamp>() {
        return Some(ts);
    }
    let dt: civil::DateTime = raw.parse().ok()?;
    dt.to_zoned(tz.clone()).ok().map(|z| z.timestamp())
}

fn parse_num(raw: &str) -> Option<f64> {
    raw.parse::<f64>().ok().filter(|v| v.is_finite())
}

fn read_forecast(
    path: &Path,
    tz: &TimeZone,
    default_interval: f64,
    default_patience: Option<f64>,
    lang: Lang,
) -> Result<(Vec<ForecastRow>, HashMap<&'static str, usize>), CliError> {
    let table = read_table(
        path,
        &["interval_start", "queue", "volume", "aht_s"],
        &["patience_s", "interval_minutes"],
        lang,
    )?;
    let mut errors = RowErrors::new(path);
    let mut rows = Vec::with_capacity(table.records.len());
    let mut seen: HashMap<(i64, String), usize> = HashMap::with_capacity(table.records.len());
    for (line, rec) in &table.records {
        let line = *line;
        let ok_before = errors.list.len();
        let get = |name: &str| table.cols.get(name).map(|&c| (c, rec.get(c).unwrap_or("")));
        let field = |name: &'static str, errors: &mut RowErrors| -> Option<(usize, String)> {
            let (c, raw) = get(name)?;
            if raw.is_empty() {
                errors.at(
                    line,
                    c,
                    name,
                    t(lang, "missing value", "falta el valor").to_string(),
                    lang,
                );
                return None;
            }
            Some((c, raw.to_string()))
        };
        let start = field("interval_start", &mut errors).and_then(|(c, raw)| {
            let ts = parse_start(&raw, tz);
            if ts.is_none() {
                errors.at(
                    line,
                    c,
                    "interval_start",
                    tr(
                        lang,
                        format!(
                            "`{raw}` is not a timestamp; write RFC 3339 (2026-11-02T08:00:00+08:00) or YYYY-MM-DD HH:MM in the contract's time zone"
                        ),
                        format!(
                            "`{raw}` no es una fecha y hora; escriba RFC 3339 (2026-11-02T08:00:00+08:00) o AAAA-MM-DD HH:MM en la zona horaria del contrato"
                        ),
                    ),
                    lang,
                );
            }
            ts
        });
        let queue = field("queue", &mut errors).map(|(_, q)| q);
        let number = |name: &'static str, positive: bool, errors: &mut RowErrors| -> Option<f64> {
            let (c, raw) = get(name)?;
            if raw.is_empty() {
                return None;
            }
            match parse_num(raw) {
                None => {
                    errors.at(
                        line,
                        c,
                        name,
                        tr(
                            lang,
                            format!("`{raw}` is not a number"),
                            format!("`{raw}` no es un número"),
                        ),
                        lang,
                    );
                    None
                }
                Some(v) if positive && v <= 0.0 => {
                    errors.at(
                        line,
                        c,
                        name,
                        tr(
                            lang,
                            format!("must be greater than 0, got `{raw}`{}", hint_en(name)),
                            format!("debe ser mayor que 0, se recibió `{raw}`{}", hint_es(name)),
                        ),
                        lang,
                    );
                    None
                }
                Some(v) => Some(v),
            }
        };
        let volume = match get("volume") {
            Some((c, "")) => {
                errors.at(
                    line,
                    c,
                    "volume",
                    t(lang, "missing value", "falta el valor").to_string(),
                    lang,
                );
                None
            }
            _ => number("volume", true, &mut errors),
        };
        let aht_s = match get("aht_s") {
            Some((c, "")) => {
                errors.at(
                    line,
                    c,
                    "aht_s",
                    t(lang, "missing value", "falta el valor").to_string(),
                    lang,
                );
                None
            }
            _ => number("aht_s", true, &mut errors),
        };
        let patience_s = number("patience_s", true, &mut errors).or(default_patience);
        let interval_minutes = number("interval_minutes", true, &mut errors);
        if errors.list.len() > ok_before {
            continue;
        }
        if let (Some(start), Some(queue), Some(volume), Some(aht_s)) = (start, queue, volume, aht_s)
        {
            if let Some(first) = seen.insert((start.as_millisecond(), queue.clone()), line) {
                errors.whole(
                    line,
                    tr(
                        lang,
                        format!("queue `{queue}` has this interval already (line {first})"),
                        format!("la cola `{queue}` ya tiene este intervalo (línea {first})"),
                    ),
                );
                continue;
            }
            rows.push(ForecastRow {
                line,
                start,
                queue,
                volume,
                aht_s,
                patience_s,
                interval_minutes: interval_minutes.unwrap_or(default_interval),
            });
        }
    }
    if table.records.is_empty() {
        errors.whole(
            1,
            t(
                lang,
                "the forecast has no rows",
                "el pronóstico no tiene filas",
            )
            .to_string(),
        );
    }
    errors.finish(lang)?;
    Ok((rows, table.cols))
}

fn hint_en(name: &str) -> &'static str {
    match name {
        "volume" => " (leave intervals without calls out of the forecast)",
        "interval_minutes" => " (e.g. 30)",
        _ => "",
    }
}

fn hint_es(name: &str) -> &'static str {
    match name {
        "volume" => " (omita del pronóstico los intervalos sin llamadas)",
        "interval_minutes" => " (p. ej. 30)",
        _ => "",
    }
}

/// The vendor's plan: agents in seat per (interval start, queue), with its line.
struct Staffing {
    agents: HashMap<(i64, String), (u32, usize)>,
}

fn read_staffing(path: &Path, tz: &TimeZone, lang: Lang) -> Result<Staffing, CliError> {
    let table = read_table(path, &["interval_start", "queue", "agents"], &[], lang)?;
    let mut errors = RowErrors::new(path);
    let mut agents: HashMap<(i64, String), (u32, usize)> = HashMap::new();
    let (cs, cq, ca) = (
        table.cols.get("interval_start").copied().unwrap_or(0),
        table.cols.get("queue").copied().unwrap_or(1),
        table.cols.get("agents").copied().unwrap_or(2),
    );
    for (line, rec) in &table.records {
        let line = *line;
        let raw_s = rec.get(cs).unwrap_or("");
        let raw_q = rec.get(cq).unwrap_or("");
        let raw_a = rec.get(ca).unwrap_or("");
        let start = parse_start(raw_s, tz);
        if start.is_none() {
            errors.at(
                line,
                cs,
                "interval_start",
                tr(
                    lang,
                    format!("`{raw_s}` is not a timestamp"),
                    format!("`{raw_s}` no es una fecha y hora"),
                ),
                lang,
            );
        }
        if raw_q.is_empty() {
            errors.at(
                line,
                cq,
                "queue",
                t(lang, "missing value", "falta el valor").to_string(),
                lang,
            );
        }
        let n = match parse_num(raw_a) {
            Some(v) if v >= 0.0 && v.fract() == 0.0 && v <= f64::from(MAX_AGENTS) => Some(v as u32),
            Some(v) if v > f64::from(MAX_AGENTS) => {
                errors.at(
                    line,
                    ca,
                    "agents",
                    PlanningError::AgentsOutOfRange {
                        value: v.min(u64::MAX as f64) as u64,
                    }
                    .message(lang),
                    lang,
                );
                None
            }
            _ => {
                errors.at(
                    line,
                    ca,
                    "agents",
                    tr(
                        lang,
                        format!("`{raw_a}` is not a whole number of agents (0 or more)"),
                        format!("`{raw_a}` no es un número entero de agentes (0 o más)"),
                    ),
                    lang,
                );
                None
            }
        };
        if let (Some(s), Some(n)) = (start, n)
            && !raw_q.is_empty()
        {
            let key = (s.as_millisecond(), raw_q.to_string());
            if let Some((_, first)) = agents.get(&key) {
                errors.whole(
                    line,
                    tr(
                        lang,
                        format!("duplicate interval `{raw_s}` for queue `{raw_q}` (first on line {first})"),
                        format!("intervalo `{raw_s}` repetido para la cola `{raw_q}` (primero en la línea {first})"),
                    ),
                );
            } else {
                agents.insert(key, (n, line));
            }
        }
    }
    errors.finish(lang)?;
    Ok(Staffing { agents })
}

// ------------------------------------------------------------------------------ targets

/// Flags that override the contract.
#[derive(Clone, Copy)]
struct Overrides {
    threshold_s: Option<f64>,
    target: Option<f64>,
    variant: Option<ServiceLevelVariant>,
    max_abandon: Option<f64>,
    max_asa_s: Option<f64>,
    max_occupancy: Option<f64>,
}

/// Which SLA each queue is planned against.
struct Targets<'a> {
    contract: &'a Contract,
    forced: Option<&'a SlaTerms>,
    by_queue: HashMap<String, Option<&'a SlaTerms>>,
    flags: Overrides,
}

/// Whether an SLA covers the contacts of a forecast queue: the queue's channel is the one of
/// the contract service that lists it (a forecast has no channel of its own), and the SLA's
/// scope is read as everywhere else ([`pacta_contract::ContactScope::covers_queue`]).
fn covers(contract: &Contract, sla: &SlaTerms, queue: &str) -> bool {
    let channel = contract
        .doc
        .scope
        .services
        .iter()
        .find(|s| s.queues.iter().any(|q| q == queue))
        .map(|s| s.channel);
    sla.scope.covers_queue(channel, Some(queue))
}

impl<'a> Targets<'a> {
    fn new(
        contract: &'a Contract,
        sla_id: Option<&str>,
        flags: Overrides,
        lang: Lang,
    ) -> Result<Self, CliError> {
        let forced = match sla_id {
            None => None,
            Some(id) => {
                let Some(sla) = contract.sla(id) else {
                    let known: Vec<&str> = service_level_slas(contract)
                        .map(|s| s.id.as_str())
                        .collect();
                    return Err(CliError::Invalid(tr(
                        lang,
                        format!(
                            "--sla: no SLA `{id}` in the contract; service-level SLAs: {}",
                            known.join(", ")
                        ),
                        format!(
                            "--sla: el contrato no tiene el SLA `{id}`; SLA de nivel de servicio: {}",
                            known.join(", ")
                        ),
                    )));
                };
                if !matches!(sla.measure, Measure::ServiceLevel { .. }) {
                    return Err(CliError::Invalid(tr(
                        lang,
                        format!(
                            "--sla: `{id}` measures `{}`, not `service_level`",
                            sla.measure.metric_name()
                        ),
                        format!(
                            "--sla: `{id}` mide `{}`, no `service_level`",
                            sla.measure.metric_name()
                        ),
                    )));
                }
                Some(sla)
            }
        };
        Ok(Targets {
            contract,
            forced,
            by_queue: HashMap::new(),
            flags,
        })
    }

    fn sla_for(&mut self, queue: &str) -> Option<&'a SlaTerms> {
        if self.forced.is_some() {
            return self.forced;
        }
        if let Some(s) = self.by_queue.get(queue) {
            return *s;
        }
        let c = self.contract;
        let found = service_level_slas(c)
            .find(|s| covers(c, s, queue))
            .or_else(|| service_level_slas(c).next());
        self.by_queue.insert(queue.to_string(), found);
        found
    }

    /// The target for `queue` on local date `date`, or a message saying which flag is missing.
    fn resolve(
        &mut self,
        queue: &str,
        date: civil::Date,
        lang: Lang,
    ) -> Result<(Option<&'a SlaTerms>, ServiceTarget), String> {
        let sla = self.sla_for(queue);
        let f = self.flags;
        let level = sla.and_then(|s| match s.measure {
            Measure::ServiceLevel {
                variant,
                threshold_s,
                short_abandon_s,
                ..
            } => Some((variant, threshold_s, short_abandon_s)),
            _ => None,
        });
        let threshold = f
            .threshold_s
            .or_else(|| level.map(|(_, t, _)| f64::from(t)));
        let share = f.target.or_else(|| {
            sla.and_then(|s| {
                s.target_on(pacta_contract::Date(date))
                    .or(s.targets.first())
            })
            .and_then(|t| t.expected.to_string().parse::<f64>().ok())
            .map(|p| p / 100.0)
        });
        let variant = f
            .variant
            .or(level.map(|(v, _, _)| v))
            .unwrap_or(ServiceLevelVariant::ExcludeShortAbandons);
        let (Some(threshold_s), Some(target_share)) = (threshold, share) else {
            return Err(tr(
                lang,
                format!(
                    "no service-level SLA gives a threshold and target for queue `{queue}`; pass --threshold-s and --target"
                ),
                format!(
                    "ningún SLA de nivel de servicio da umbral y objetivo para la cola `{queue}`; indique --threshold-s y --target"
                ),
            ));
        };
        Ok((
            sla,
            ServiceTarget {
                threshold_s,
                target_share,
                variant,
                short_abandon_s: level.map(|(_, _, s)| f64::from(s)),
                max_asa_s: f.max_asa_s,
                max_abandon_share: f.max_abandon,
                max_occupancy: f.max_occupancy,
            },
        ))
    }
}

fn service_level_slas(c: &Contract) -> impl Iterator<Item = &SlaTerms> {
    c.slas()
        .iter()
        .filter(|s| matches!(s.measure, Measure::ServiceLevel { .. }))
}

/// Checks the flags once, so their errors name the flag rather than a row.
fn check_flags(args: &PlanArgs, lang: Lang) -> Result<Shrinkage, CliError> {
    let flag_err = |e: PlanningError| {
        let flag = e.field().map_or("--", flag_of);
        CliError::Invalid(format!("{flag}: {}", e.message(lang)))
    };
    let probe = ServiceTarget {
        threshold_s: args.threshold_s.unwrap_or(0.0),
        target_share: args.target.unwrap_or(1.0),
        variant: ServiceLevelVariant::AbandonsAgainst,
        short_abandon_s: None,
        max_asa_s: args.max_asa_s,
        max_abandon_share: args.max_abandon,
        max_occupancy: args.max_occupancy,
    };
    probe.validate().map_err(flag_err)?;
    if let Some(p) = args.patience_s
        && !(p.is_finite() && p > 0.0)
    {
        return Err(flag_err(PlanningError::NotPositive {
            field: Field::PatienceS,
            value: p,
        }));
    }
    if args.interval == 0 {
        return Err(flag_err(PlanningError::NotPositive {
            field: Field::IntervalS,
            value: 0.0,
        }));
    }
    let shrinkage = Shrinkage {
        other: args.shrinkage,
        ..Shrinkage::default()
    };
    shrinkage.combined().map_err(flag_err)?;
    Ok(shrinkage)
}

// ------------------------------------------------------------------------------ the plan

/// Erlang C at the required staffing.
#[derive(Serialize, Clone)]
struct CResult {
    agents: u32,
    service_level: f64,
    p_wait: f64,
    asa_s: Option<f64>,
    occupancy: f64,
    scheduled_agents: u32,
    fte_hours: f64,
    scheduled_fte_hours: f64,
}

/// Erlang A at its required staffing.
#[derive(Serialize, Clone)]
struct AResult {
    agents: u32,
    /// Under the target's variant.
    service_level: f64,
    abandon_share: f64,
    /// Of answered callers.
    asa_s: Option<f64>,
    occupancy: f64,
    scheduled_agents: u32,
    fte_hours: f64,
    scheduled_fte_hours: f64,
}

/// What the vendor's planned agents deliver.
#[derive(Serialize, Clone)]
struct Planned {
    agents: u32,
    /// No row in the staffing file: evaluated as 0 agents.
    missing: bool,
    erlang_c_service_level: f64,
    erlang_c_asa_s: Option<f64>,
    erlang_a_service_level: Option<f64>,
    erlang_a_abandon_share: Option<f64>,
    /// The model the verdict uses: Erlang A when a patience is known, else Erlang C.
    model: &'static str,
    meets_target: bool,
    /// Below target under `model`.
    at_risk: bool,
    /// Required agents under `model` minus planned (positive = short).
    shortfall_agents: i64,
    fte_hours: f64,
}

#[derive(Serialize, Clone)]
struct OutRow {
    interval_start: String,
    queue: String,
    sla_id: Option<String>,
    threshold_s: f64,
    target_share: f64,
    variant: &'static str,
    volume: f64,
    aht_s: f64,
    patience_s: Option<f64>,
    interval_minutes: f64,
    offered_load: f64,
    erlang_c: CResult,
    erlang_a: Option<AResult>,
    planned: Option<Planned>,
    #[serde(skip)]
    local: String,
    #[serde(skip)]
    eval: Option<StaffingEvaluation>,
}

#[derive(Serialize, Default)]
struct Totals {
    intervals: usize,
    volume: f64,
    erlang_c_fte_hours: f64,
    erlang_c_scheduled_fte_hours: f64,
    /// Intervals with a patience (Erlang A computed); the Erlang A totals cover only them.
    intervals_with_erlang_a: usize,
    erlang_a_fte_hours: f64,
    erlang_a_scheduled_fte_hours: f64,
    planned_fte_hours: Option<f64>,
}

/// The month-level service level the vendor's plan implies, per target.
#[derive(Serialize)]
struct GroupSummary {
    sla_id: Option<String>,
    threshold_s: f64,
    target_share: f64,
    variant: &'static str,
    intervals: usize,
    volume: f64,
    /// Σ volume × SL / Σ volume.
    erlang_c_service_level: Option<f64>,
    /// Pooled under the variant (Σ volume × numerator / Σ volume × denominator); only when
    /// every interval has a patience.
    erlang_a_service_level: Option<f64>,
    erlang_a_abandon_share: Option<f64>,
    intervals_at_risk: usize,
    /// The period service level (Erlang A if available, else C) reaches the target.
    meets_target: Option<bool>,
}

#[derive(Serialize)]
struct StaffingSummary {
    file: String,
    intervals_at_risk: usize,
    intervals_missing: usize,
    /// Staffing rows matching no forecast interval (ignored).
    unmatched_rows: usize,
    by_target: Vec<GroupSummary>,
}

#[derive(Serialize)]
struct QueueEstimate {
    queue: String,
    interactions: usize,
    answered: usize,
    abandoned: usize,
    aht_s: Option<f64>,
    abandon_share: f64,
    mean_wait_s: Option<f64>,
    patience_s: Option<f64>,
}

#[derive(Serialize)]
struct Estimate {
    data_month: String,
    plan_month: String,
    channels: Vec<&'static str>,
    weekdays_in_data_month: u32,
    weekend_days_in_data_month: u32,
    queues: Vec<QueueEstimate>,
}

#[derive(Serialize)]
struct Report {
    contract_id: String,
    time_zone: String,
    source: String,
    estimate: Option<Estimate>,
    shrinkage: f64,
    max_occupancy: Option<f64>,
    intervals: Vec<OutRow>,
    totals: Totals,
    staffing: Option<StaffingSummary>,
}

struct Job {
    input: IntervalInput,
    planned: Option<u32>,
}

type Outcome = Result<(IntervalPlan, Option<StaffingEvaluation>), PlanningError>;

fn run_job(j: &Job) -> Outcome {
    let plan = plan_interval(&j.input)?;
    let eval = j
        .planned
        .map(|n| evaluate_staffing(&j.input, n))
        .transpose()?;
    Ok((plan, eval))
}

/// Runs every job, spread over the machine's cores (rows interleaved so costly Erlang A rows
/// share out evenly).
fn run_jobs(jobs: &[Job]) -> Vec<Outcome> {
    let threads = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(jobs.len() / 256 + 1)
        .max(1);
    if threads == 1 {
        return jobs.iter().map(run_job).collect();
    }
    let parts: Vec<Vec<(usize, Outcome)>> = std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|k| {
                s.spawn(move || {
                    jobs.iter()
                        .enumerate()
                        .skip(k)
                        .step_by(threads)
                        .map(|(i, j)| (i, run_job(j)))
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        pacta_data::threads::join_all(handles)
    });
    let mut out: Vec<Option<Outcome>> = (0..jobs.len()).map(|_| None).collect();
    for (i, o) in parts.into_iter().flatten() {
        out[i] = Some(o);
    }
    out.into_iter()
        .map(|o| {
            o.unwrap_or(Err(PlanningError::NotFinite {
                field: Field::Volume,
                value: f64::NAN,
            }))
        })
        .collect()
}

fn fmt_local(ts: Timestamp, tz: &TimeZone) -> String {
    fmt_times(ts, tz).0
}

fn fmt_rfc3339(ts: Timestamp, tz: &TimeZone) -> String {
    fmt_times(ts, tz).1
}

/// `YYYY-MM-DD HH:MM` local and RFC 3339 with the zone's offset, formatted by hand (this runs
/// for every row of a plan).
fn fmt_times(ts: Timestamp, tz: &TimeZone) -> (String, String) {
    let offset = tz.to_offset(ts);
    let dt = offset.to_datetime(ts);
    let secs = offset.seconds();
    let sign = if secs < 0 { '-' } else { '+' };
    let (oh, om) = (secs.abs() / 3600, secs.abs() % 3600 / 60);
    let date = format!("{:04}-{:02}-{:02}", dt.year(), dt.month(), dt.day());
    (
        format!("{date} {:02}:{:02}", dt.hour(), dt.minute()),
        format!(
            "{date}T{:02}:{:02}:{:02}{sign}{oh:02}:{om:02}",
            dt.hour(),
            dt.minute(),
            dt.second()
        ),
    )
}

/// An estimated row, for errors: the source and the interval.
fn estimated_location(row: &ForecastRow, source: &str, tz: &TimeZone) -> String {
    format!("{source} ({} {})", row.queue, fmt_local(row.start, tz))
}

struct Built {
    rows: Vec<OutRow>,
    totals: Totals,
    staffing: Option<StaffingSummary>,
}

#[allow(clippy::too_many_arguments)]
fn build(
    contract: &Contract,
    rows: &[ForecastRow],
    source: &str,
    col_of: &dyn Fn(Field) -> Option<usize>,
    flags: Overrides,
    sla: Option<&str>,
    shrinkage: &Shrinkage,
    staffing: Option<(&Path, Staffing)>,
    lang: Lang,
) -> Result<Built, CliError> {
    let tz = &contract.time_zone;
    let mut targets = Targets::new(contract, sla, flags, lang)?;
    let mut jobs = Vec::with_capacity(rows.len());
    let mut slas: Vec<Option<&SlaTerms>> = Vec::with_capacity(rows.len());
    let mut missing = vec![false; rows.len()];
    let mut used = std::collections::HashSet::new();
    let mut target_errors = Vec::new();
    for (i, r) in rows.iter().enumerate() {
        let date = tz.to_datetime(r.start).date();
        let (s, target) = match targets.resolve(&r.queue, date, lang) {
            Ok(x) => x,
            Err(m) => {
                target_errors.push(m);
                continue;
            }
        };
        let planned = staffing.as_ref().map(|(_, st)| {
            let key = (r.start.as_millisecond(), r.queue.clone());
            match st.agents.get(&key) {
                Some((n, _)) => {
                    used.insert(key);
                    *n
                }
                None => {
                    missing[i] = true;
                    0
                }
            }
        });
        slas.push(s);
        jobs.push(Job {
            input: IntervalInput {
                volume: r.volume,
                interval_s: r.interval_minutes * 60.0,
                aht_s: r.aht_s,
                patience_s: r.patience_s,
                target,
            },
            planned,
        });
    }
    if let Some(m) = target_errors.first() {
        // Same cause for every row of a queue: report once.
        return Err(CliError::Invalid(m.clone()));
    }
    // Targets from flags are checked already; a contract target can still be out of range
    // (e.g. above 100 %): report it once, naming the SLA.
    for (j, s) in jobs.iter().zip(&slas) {
        if let Err(e) = j.input.target.validate() {
            let id = s.map_or("--", |s| s.id.as_str());
            return Err(CliError::Invalid(format!("SLA {id}: {}", e.message(lang))));
        }
    }
    let outcomes = run_jobs(&jobs);
    let mut errors = Vec::new();
    let mut out = Vec::with_capacity(rows.len());
    let mut totals = Totals::default();
    let mut last_times = (i64::MIN, (String::new(), String::new()));
    for (((r, job), s), (o, miss)) in rows
        .iter()
        .zip(&jobs)
        .zip(&slas)
        .zip(outcomes.into_iter().zip(&missing))
    {
        let (plan, eval) = match o {
            Ok(x) => x,
            Err(e) => {
                let loc = match (r.line, e.field().and_then(col_of)) {
                    (0, _) => estimated_location(r, source, tz),
                    (line, Some(c)) => format!(
                        "{source}:{line}:{}: {} `{}`",
                        c + 1,
                        t(lang, "column", "columna"),
                        e.field().map_or("volume", Field::name)
                    ),
                    (line, None) => match e {
                        PlanningError::TooManyAgents { .. } => format!(
                            "{source}:{line}:{}: {} `volume`",
                            col_of(Field::Volume).map_or(3, |c| c + 1),
                            t(lang, "column", "columna"),
                        ),
                        _ => format!("{source}:{line}"),
                    },
                };
                errors.push(format!("{loc}: {}", e.message(lang)));
                continue;
            }
        };
        let t_ = job.input.target;
        let ms = r.start.as_millisecond();
        if last_times.0 != ms {
            last_times = (ms, fmt_times(r.start, tz));
        }
        let times = last_times.1.clone();
        let interval_s = job.input.interval_s;
        let c = plan.erlang_c;
        let sched_c = scheduled_agents_whole(c.agents, shrinkage).unwrap_or(u32::MAX);
        let cres = CResult {
            agents: c.agents,
            service_level: c.service_level,
            p_wait: c.p_wait,
            asa_s: c.asa_s,
            occupancy: c.occupancy,
            scheduled_agents: sched_c,
            fte_hours: fte_hours(f64::from(c.agents), interval_s),
            scheduled_fte_hours: fte_hours(f64::from(sched_c), interval_s),
        };
        totals.intervals += 1;
        totals.volume += r.volume;
        totals.erlang_c_fte_hours += cres.fte_hours;
        totals.erlang_c_scheduled_fte_hours += cres.scheduled_fte_hours;
        let ares = plan.erlang_a.map(|a| {
            let m = a.metrics;
            let sched = scheduled_agents_whole(m.agents, shrinkage).unwrap_or(u32::MAX);
            AResult {
                agents: m.agents,
                service_level: a.service_level,
                abandon_share: m.p_abandon,
                asa_s: m.asa_answered_s,
                occupancy: m.occupancy,
                scheduled_agents: sched,
                fte_hours: fte_hours(f64::from(m.agents), interval_s),
                scheduled_fte_hours: fte_hours(f64::from(sched), interval_s),
            }
        });
        if let Some(a) = &ares {
            totals.intervals_with_erlang_a += 1;
            totals.erlang_a_fte_hours += a.fte_hours;
            totals.erlang_a_scheduled_fte_hours += a.scheduled_fte_hours;
        }
        let planned = eval.as_ref().map(|e| {
            let (model, meets, required) = match (&e.erlang_a, &ares) {
                (Some(a), Some(req)) => ("erlang_a", a.meets_target, req.agents),
                _ => ("erlang_c", e.erlang_c_meets_target, c.agents),
            };
            Planned {
                agents: e.agents,
                missing: *miss,
                erlang_c_service_level: e.erlang_c.service_level,
                erlang_c_asa_s: e.erlang_c.asa_s,
                erlang_a_service_level: e.erlang_a.map(|a| a.service_level),
                erlang_a_abandon_share: e.erlang_a.map(|a| a.metrics.p_abandon),
                model,
                meets_target: meets,
                at_risk: !meets,
                shortfall_agents: i64::from(required) - i64::from(e.agents),
                fte_hours: fte_hours(f64::from(e.agents), interval_s),
            }
        });
        if let Some(p) = &planned {
            *totals.planned_fte_hours.get_or_insert(0.0) += p.fte_hours;
        }
        out.push(OutRow {
            interval_start: times.1,
            local: times.0,
            queue: r.queue.clone(),
            sla_id: s.map(|s| s.id.clone()),
            threshold_s: t_.threshold_s,
            target_share: t_.target_share,
            variant: t_.variant.name(),
            volume: r.volume,
            aht_s: r.aht_s,
            patience_s: r.patience_s,
            interval_minutes: r.interval_minutes,
            offered_load: plan.offered_load,
            erlang_c: cres,
            erlang_a: ares,
            planned,
            eval,
        });
    }
    if !errors.is_empty() {
        let n = errors.len();
        for e in errors.iter().take(50) {
            eprintln!("error: {e}");
        }
        return Err(CliError::Invalid(tr(
            lang,
            format!("{source}: {n} interval(s) could not be staffed; nothing was planned"),
            format!("{source}: {n} intervalo(s) no se pudieron dimensionar; no se planificó nada"),
        )));
    }
    let staffing = staffing.map(|(path, st)| {
        let unmatched = st.agents.len().saturating_sub(used.len());
        summarise_staffing(path, &out, unmatched)
    });
    Ok(Built {
        rows: out,
        totals,
        staffing,
    })
}

fn summarise_staffing(path: &Path, rows: &[OutRow], unmatched: usize) -> StaffingSummary {
    type Key = (Option<String>, u64, u64, &'static str);
    let mut groups: BTreeMap<Key, Vec<&OutRow>> = BTreeMap::new();
    for r in rows {
        groups
            .entry((
                r.sla_id.clone(),
                r.threshold_s.to_bits(),
                r.target_share.to_bits(),
                r.variant,
            ))
            .or_default()
            .push(r);
    }
    let by_target = groups
        .into_iter()
        .map(|((sla_id, th, ta, variant), rs)| {
            let evals: Vec<StaffingEvaluation> = rs.iter().filter_map(|r| r.eval).collect();
            let p = aggregate_month(&evals);
            let target_share = f64::from_bits(ta);
            let sl = p.erlang_a_service_level.or(p.erlang_c_service_level);
            GroupSummary {
                sla_id,
                threshold_s: f64::from_bits(th),
                target_share,
                variant,
                intervals: p.intervals,
                volume: p.volume,
                erlang_c_service_level: p.erlang_c_service_level,
                erlang_a_service_level: p.erlang_a_service_level,
                erlang_a_abandon_share: p.erlang_a_abandon_share,
                intervals_at_risk: rs
                    .iter()
                    .filter(|r| r.planned.as_ref().is_some_and(|p| p.at_risk))
                    .count(),
                meets_target: sl.map(|v| v >= target_share * (1.0 - 1e-12)),
            }
        })
        .collect();
    StaffingSummary {
        file: path.display().to_string(),
        intervals_at_risk: rows
            .iter()
            .filter(|r| r.planned.as_ref().is_some_and(|p| p.at_risk))
            .count(),
        intervals_missing: rows
            .iter()
            .filter(|r| r.planned.as_ref().is_some_and(|p| p.missing))
            .count(),
        unmatched_rows: unmatched,
        by_target,
    }
}

// ------------------------------------------------------------------------------ from the store

/// Per queue × day type × interval-of-day accumulators.
#[derive(Default, Clone, Copy)]
struct Acc {
    calls: u64,
    handled: u64,
    handle_ms: i128,
    abandoned: u64,
    waited: u64,
    wait_ms: i128,
}

impl Acc {
    fn add(&mut self, o: &Acc) {
        self.calls += o.calls;
        self.handled += o.handled;
        self.handle_ms += o.handle_ms;
        self.abandoned += o.abandoned;
        self.waited += o.waited;
        self.wait_ms += o.wait_ms;
    }

    fn aht_s(&self) -> Option<f64> {
        (self.handled > 0).then(|| self.handle_ms as f64 / self.handled as f64 / 1000.0)
    }

    /// Mean patience: total time waited by every caller (answered callers' waits are censored
    /// patience) over the abandoned callers — the exponential maximum-likelihood estimate,
    /// i.e. the average wait divided by the abandonment ratio.
    fn patience_s(&self) -> Option<f64> {
        (self.abandoned > 0 && self.wait_ms > 0)
            .then(|| self.wait_ms as f64 / self.abandoned as f64 / 1000.0)
    }
}

/// Calls per day, AHT and mean patience estimated for one interval of the day.
type SlotEstimate = (f64, f64, Option<f64>);

/// Abandons an interval-of-day slot needs for its own patience estimate; fewer use the
/// queue's whole-month estimate.
const MIN_SLOT_ABANDONS: u64 = 10;

fn is_weekend(d: civil::Date) -> bool {
    matches!(d.weekday(), Weekday::Saturday | Weekday::Sunday)
}

fn estimate_forecast(
    contract: &Contract,
    store_dir: &Path,
    month_arg: &str,
    interval_min: u32,
    patience_flag: Option<f64>,
    lang: Lang,
) -> Result<(Vec<ForecastRow>, Estimate), CliError> {
    use pacta_data::model::{NO_DURATION, NO_INSTANT, Outcome as O, channel_code};
    let month = super::args::parse_month(month_arg, lang)?;
    if interval_min == 0 || 1440 % interval_min != 0 {
        return Err(CliError::Invalid(tr(
            lang,
            format!(
                "--interval {interval_min}: with --from-store the interval must divide the day (15, 30, 60…)"
            ),
            format!(
                "--interval {interval_min}: con --from-store el intervalo debe dividir el día (15, 30, 60…)"
            ),
        )));
    }
    let store =
        pacta_data::store::Store::open(store_dir).map_err(|e| CliError::Other(e.to_string()))?;
    let id = &contract.doc.contract.id;
    let m_str = month.to_string();
    if !store
        .months(id)
        .map_err(|e| CliError::Other(e.to_string()))?
        .contains(&month)
    {
        return Err(CliError::Invalid(tr(
            lang,
            format!(
                "no interactions for {id} in {m_str} in store {}; import the month first",
                store_dir.display()
            ),
            format!(
                "no hay interacciones de {id} en {m_str} en el almacén {}; importe el mes primero",
                store_dir.display()
            ),
        )));
    }
    let table = store
        .load_interactions(id, month)
        .map_err(|e| CliError::Other(e.to_string()))?;
    let (start_ms, end_ms) = month
        .bounds_ms(&contract.time_zone)
        .map_err(|e| CliError::Other(e.to_string()))?;
    let tz = &contract.time_zone;
    let slots = (1440 / interval_min) as usize;
    let channels = [Channel::VoiceIn, Channel::Chat];
    let codes: Vec<u8> = channels.iter().map(|c| channel_code(*c)).collect();
    // accumulators[queue dict index][weekend as usize][slot]
    let mut acc: Vec<[Vec<Acc>; 2]> = (0..table.queue_dict.len())
        .map(|_| [vec![Acc::default(); slots], vec![Acc::default(); slots]])
        .collect();
    let (answered, abandoned) = (O::Answered.code(), O::Abandoned.code());
    for r in 0..table.arrived_at_ms.len() {
        let at = table.arrived_at_ms[r];
        if at < start_ms || at >= end_ms || !codes.contains(&table.channel[r]) {
            continue;
        }
        let Ok(ts) = Timestamp::from_millisecond(at) else {
            continue;
        };
        let local = tz.to_datetime(ts);
        let slot = ((i32::from(local.hour()) * 60 + i32::from(local.minute())) as usize)
            / interval_min as usize;
        let Some(q) = acc.get_mut(table.queue[r] as usize) else {
            continue;
        };
        let a = &mut q[usize::from(is_weekend(local.date()))][slot.min(slots - 1)];
        a.calls += 1;
        let outcome = table.outcome[r];
        if outcome == answered {
            let talk = table.talk_ms[r];
            let handle = if talk != NO_DURATION {
                talk + table.hold_ms[r].max(0) + table.wrap_ms[r].max(0)
            } else if table.ended_at_ms[r] != NO_INSTANT && table.answered_at_ms[r] != NO_INSTANT {
                table.ended_at_ms[r] - table.answered_at_ms[r] + table.wrap_ms[r].max(0)
            } else {
                -1
            };
            if handle > 0 {
                a.handled += 1;
                a.handle_ms += i128::from(handle);
            }
            if table.answered_at_ms[r] != NO_INSTANT {
                a.waited += 1;
                a.wait_ms += i128::from((table.answered_at_ms[r] - at).max(0));
            }
        } else if table.ended_at_ms[r] != NO_INSTANT {
            // Abandoned callers' waits are their patience; other exits (timeouts, overflow)
            // are censored like answered ones.
            a.waited += 1;
            a.wait_ms += i128::from((table.ended_at_ms[r] - at).max(0));
            if outcome == abandoned {
                a.abandoned += 1;
            }
        }
    }
    let days: Vec<civil::Date> = month.days().collect();
    let weekend_days = days.iter().filter(|d| is_weekend(**d)).count() as u32;
    let weekdays = days.len() as u32 - weekend_days;
    let plan_month = month
        .next()
        .ok_or_else(|| CliError::Other(format!("{month} has no month after it")))?;
    let mut queues = Vec::new();
    // Per queue: whole-month totals, then the per-slot profile.
    let mut order: Vec<usize> = (0..acc.len()).collect();
    order.sort_by(|a, b| table.queue_dict[*a].cmp(&table.queue_dict[*b]));
    struct Profile {
        queue: String,
        per_type: [Vec<Option<SlotEstimate>>; 2],
    }
    let mut profiles = Vec::new();
    for qi in order {
        let mut total = Acc::default();
        for s in acc[qi].iter().flatten() {
            total.add(s);
        }
        if total.calls == 0 {
            continue;
        }
        let queue = table.queue_dict[qi].clone();
        let q_aht = total.aht_s();
        let q_patience = total.patience_s().or(patience_flag);
        queues.push(QueueEstimate {
            queue: queue.clone(),
            interactions: total.calls as usize,
            answered: total.handled as usize,
            abandoned: total.abandoned as usize,
            aht_s: q_aht,
            abandon_share: total.abandoned as f64 / total.calls as f64,
            mean_wait_s: (total.waited > 0)
                .then(|| total.wait_ms as f64 / total.waited as f64 / 1000.0),
            patience_s: q_patience,
        });
        let Some(q_aht) = q_aht else {
            eprintln!(
                "{}",
                tr(
                    lang,
                    format!(
                        "warning: queue `{queue}` has no handled calls in {m_str}; left out of the plan"
                    ),
                    format!(
                        "aviso: la cola `{queue}` no tiene llamadas atendidas en {m_str}; queda fuera del plan"
                    ),
                )
            );
            continue;
        };
        let per_type = [0usize, 1].map(|w| {
            let n_days = if w == 1 { weekend_days } else { weekdays };
            acc[qi][w]
                .iter()
                .map(|a| {
                    if a.calls == 0 || n_days == 0 {
                        return None;
                    }
                    let volume = a.calls as f64 / f64::from(n_days);
                    let aht = a.aht_s().unwrap_or(q_aht);
                    let patience = if a.abandoned >= MIN_SLOT_ABANDONS {
                        a.patience_s()
                    } else {
                        q_patience
                    };
                    Some((volume, aht, patience))
                })
                .collect::<Vec<_>>()
        });
        profiles.push(Profile { queue, per_type });
    }
    let mut rows = Vec::new();
    for d in plan_month.days() {
        let w = usize::from(is_weekend(d));
        for slot in 0..slots {
            let minute = slot as i32 * interval_min as i32;
            let Ok(start) = d
                .at((minute / 60) as i8, (minute % 60) as i8, 0, 0)
                .to_zoned(tz.clone())
            else {
                continue;
            };
            for p in &profiles {
                if let Some((volume, aht_s, patience_s)) = p.per_type[w][slot] {
                    rows.push(ForecastRow {
                        line: 0,
                        start: start.timestamp(),
                        queue: p.queue.clone(),
                        volume,
                        aht_s,
                        patience_s,
                        interval_minutes: f64::from(interval_min),
                    });
                }
            }
        }
    }
    Ok((
        rows,
        Estimate {
            data_month: m_str,
            plan_month: plan_month.to_string(),
            channels: channels.iter().map(|c| c.as_str()).collect(),
            weekdays_in_data_month: weekdays,
            weekend_days_in_data_month: weekend_days,
            queues,
        },
    ))
}

fn forecast_csv(rows: &[ForecastRow], tz: &TimeZone) -> Result<Vec<u8>, CliError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| CliError::Other(e.to_string());
    w.write_record([
        "interval_start",
        "queue",
        "volume",
        "aht_s",
        "patience_s",
        "interval_minutes",
    ])
    .map_err(err)?;
    for r in rows {
        w.write_record([
            fmt_rfc3339(r.start, tz),
            r.queue.clone(),
            format!("{:.3}", r.volume),
            format!("{:.1}", r.aht_s),
            r.patience_s.map(|p| format!("{p:.1}")).unwrap_or_default(),
            format!("{}", r.interval_minutes),
        ])
        .map_err(err)?;
    }
    w.into_inner().map_err(|e| CliError::Other(e.to_string()))
}

// ------------------------------------------------------------------------------ output

fn pct(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
}

fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map_or_else(|| "—".to_string(), f)
}

fn table_text(r: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} · {} · {} {} · {} {}",
        t(lang, "Staffing plan", "Plan de dotación"),
        r.contract_id,
        r.source,
        t(lang, "shrinkage", "merma"),
        pct(r.shrinkage),
        t(lang, "times in", "horas en"),
        r.time_zone
    );
    if let Some(e) = &r.estimate {
        let _ = writeln!(
            out,
            "{} {} ({} {}, {} {}) → {} {}",
            t(lang, "Estimated from", "Estimado a partir de"),
            e.data_month,
            e.weekdays_in_data_month,
            t(lang, "weekdays", "días laborables"),
            e.weekend_days_in_data_month,
            t(lang, "weekend days", "días de fin de semana"),
            t(lang, "plan for", "plan para"),
            e.plan_month
        );
        for q in &e.queues {
            let _ = writeln!(
                out,
                "  {:<16} {:>8} {}  AHT {}  {} {}  {} {}",
                q.queue,
                q.interactions,
                t(lang, "contacts", "contactos"),
                opt(q.aht_s, |v| format!("{v:.0} s")),
                t(lang, "abandoned", "abandonos"),
                pct(q.abandon_share),
                t(lang, "patience", "paciencia"),
                opt(q.patience_s, |v| format!("{v:.0} s")),
            );
        }
    }
    let _ = writeln!(out);
    let has_plan = r.staffing.is_some();
    let _ = write!(
        out,
        "{:<16} {:<14} {:>8} {:>6} {:>6} | {:>5} {:>7} {:>6} | {:>5} {:>7} {:>6} | {:>9}",
        t(lang, "interval", "intervalo"),
        t(lang, "queue", "cola"),
        t(lang, "calls", "llamadas"),
        "AHT",
        t(lang, "pat.", "pac."),
        "C",
        "SL C",
        "ASA C",
        "A",
        "SL A",
        t(lang, "aband", "aband"),
        t(lang, "sched C/A", "prog. C/A"),
    );
    if has_plan {
        let _ = write!(
            out,
            " | {:>5} {:>7}  {}",
            t(lang, "plan", "plan"),
            t(lang, "SL plan", "NS plan"),
            t(lang, "risk", "riesgo")
        );
    }
    let _ = writeln!(out);
    for row in &r.intervals {
        let c = &row.erlang_c;
        let a = row.erlang_a.as_ref();
        let _ = write!(
            out,
            "{:<16} {:<14} {:>8.1} {:>6.0} {:>6} | {:>5} {:>7} {:>6} | {:>5} {:>7} {:>6} | {:>9}",
            row.local,
            row.queue,
            row.volume,
            row.aht_s,
            opt(row.patience_s, |v| format!("{v:.0}")),
            c.agents,
            pct(c.service_level),
            opt(c.asa_s, |v| format!("{v:.1}")),
            opt(a, |a| a.agents.to_string()),
            opt(a, |a| pct(a.service_level)),
            opt(a, |a| pct(a.abandon_share)),
            format!(
                "{}/{}",
                c.scheduled_agents,
                opt(a, |a| a.scheduled_agents.to_string())
            ),
        );
        if let Some(p) = &row.planned {
            let sl = if p.model == "erlang_a" {
                p.erlang_a_service_level.unwrap_or(p.erlang_c_service_level)
            } else {
                p.erlang_c_service_level
            };
            let _ = write!(
                out,
                " | {:>5} {:>7}  {}",
                p.agents,
                pct(sl),
                if p.at_risk {
                    t(lang, "AT RISK", "EN RIESGO")
                } else {
                    ""
                }
            );
        }
        let _ = writeln!(out);
    }
    let tt = &r.totals;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}: {} {} · {:.0} {}",
        t(lang, "Totals", "Totales"),
        tt.intervals,
        t(lang, "intervals", "intervalos"),
        tt.volume,
        t(lang, "calls", "llamadas")
    );
    let _ = writeln!(
        out,
        "  Erlang C: {:.1} {} {} · {:.1} {}",
        tt.erlang_c_fte_hours,
        t(lang, "FTE hours", "horas FTE"),
        t(lang, "in seat", "en puesto"),
        tt.erlang_c_scheduled_fte_hours,
        t(lang, "scheduled", "programadas"),
    );
    if tt.intervals_with_erlang_a > 0 {
        let _ = writeln!(
            out,
            "  Erlang A: {:.1} {} {} · {:.1} {} ({} {} {})",
            tt.erlang_a_fte_hours,
            t(lang, "FTE hours", "horas FTE"),
            t(lang, "in seat", "en puesto"),
            tt.erlang_a_scheduled_fte_hours,
            t(lang, "scheduled", "programadas"),
            tt.intervals_with_erlang_a,
            t(
                lang,
                "intervals with patience of",
                "intervalos con paciencia de"
            ),
            tt.intervals
        );
    }
    if let Some(s) = &r.staffing {
        let _ = writeln!(
            out,
            "  {}: {:.1} {} · {} {} {}{}",
            t(lang, "Vendor plan", "Plan del proveedor"),
            tt.planned_fte_hours.unwrap_or(0.0),
            t(lang, "FTE hours in seat", "horas FTE en puesto"),
            s.intervals_at_risk,
            t(lang, "interval(s) at risk", "intervalo(s) en riesgo"),
            if s.intervals_missing > 0 {
                format!(
                    " ({} {})",
                    s.intervals_missing,
                    t(lang, "missing from the plan", "ausentes del plan")
                )
            } else {
                String::new()
            },
            if s.unmatched_rows > 0 {
                format!(
                    " · {} {}",
                    s.unmatched_rows,
                    t(
                        lang,
                        "plan row(s) outside the forecast ignored",
                        "fila(s) del plan fuera del pronóstico ignoradas"
                    )
                )
            } else {
                String::new()
            }
        );
        for g in &s.by_target {
            let _ = writeln!(
                out,
                "  {} {} ({}/{:.0} {}): C {} · A {} · {} {} → {}",
                t(
                    lang,
                    "month service level implied",
                    "nivel de servicio del mes implícito"
                ),
                g.sla_id.as_deref().unwrap_or("--"),
                pct(g.target_share),
                g.threshold_s,
                g.variant,
                opt(g.erlang_c_service_level, pct),
                opt(g.erlang_a_service_level, pct),
                t(lang, "abandon", "abandono"),
                opt(g.erlang_a_abandon_share, pct),
                match g.meets_target {
                    Some(true) => t(lang, "meets target", "cumple el objetivo"),
                    Some(false) => t(lang, "BELOW TARGET", "BAJO EL OBJETIVO"),
                    None => "—",
                }
            );
        }
    }
    out
}

/// A CSV field: quoted when it holds a comma, quote or line break.
fn csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// The plan as CSV, written by hand into one buffer (100,000 rows take a few tens of ms).
fn csv_text(r: &Report) -> String {
    let mut out = String::with_capacity(r.intervals.len() * 240 + 512);
    out.push_str(
        "interval_start,queue,sla_id,threshold_s,target_share,variant,volume,aht_s,patience_s,\
         interval_minutes,offered_load,erlang_c_agents,erlang_c_service_level,erlang_c_asa_s,\
         erlang_c_occupancy,erlang_c_scheduled_agents,erlang_a_agents,erlang_a_service_level,\
         erlang_a_abandon_share,erlang_a_asa_s,erlang_a_occupancy,erlang_a_scheduled_agents,\
         planned_agents,planned_service_level,planned_model,at_risk\n",
    );
    fn num(out: &mut String, v: Option<f64>) {
        if let Some(x) = v {
            let _ = write!(out, "{x:.6}");
        }
        out.push(',');
    }
    fn int(out: &mut String, v: Option<u32>) {
        if let Some(x) = v {
            let _ = write!(out, "{x}");
        }
        out.push(',');
    }
    for row in &r.intervals {
        let a = row.erlang_a.as_ref();
        let p = row.planned.as_ref();
        out.push_str(&row.interval_start);
        out.push(',');
        csv_field(&mut out, &row.queue);
        out.push(',');
        csv_field(&mut out, row.sla_id.as_deref().unwrap_or(""));
        let _ = write!(
            out,
            ",{},{},{},{:.3},{},",
            row.threshold_s, row.target_share, row.variant, row.volume, row.aht_s
        );
        if let Some(v) = row.patience_s {
            let _ = write!(out, "{v}");
        }
        let _ = write!(out, ",{},{:.6},", row.interval_minutes, row.offered_load);
        let c = &row.erlang_c;
        int(&mut out, Some(c.agents));
        num(&mut out, Some(c.service_level));
        num(&mut out, c.asa_s);
        num(&mut out, Some(c.occupancy));
        int(&mut out, Some(c.scheduled_agents));
        int(&mut out, a.map(|a| a.agents));
        num(&mut out, a.map(|a| a.service_level));
        num(&mut out, a.map(|a| a.abandon_share));
        num(&mut out, a.and_then(|a| a.asa_s));
        num(&mut out, a.map(|a| a.occupancy));
        int(&mut out, a.map(|a| a.scheduled_agents));
        int(&mut out, p.map(|p| p.agents));
        num(
            &mut out,
            p.map(|p| {
                if p.model == "erlang_a" {
                    p.erlang_a_service_level.unwrap_or(p.erlang_c_service_level)
                } else {
                    p.erlang_c_service_level
                }
            }),
        );
        if let Some(p) = p {
            let _ = write!(out, "{},{}", p.model, p.at_risk);
        } else {
            out.push(',');
        }
        out.push('\n');
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One inline SVG chart per queue: required agents (Erlang C, Erlang A) and planned agents
/// per interval, intervals at risk marked.
fn html_page(r: &Report, lang: Lang) -> String {
    let mut by_queue: BTreeMap<&str, Vec<&OutRow>> = BTreeMap::new();
    for row in &r.intervals {
        by_queue.entry(row.queue.as_str()).or_default().push(row);
    }
    let title = format!(
        "{} — {}",
        t(lang, "Staffing plan", "Plan de dotación"),
        r.contract_id
    );
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.25em .6em;text-align:right}}\
         th{{background:#f3f3f3}}td:first-child,th:first-child{{text-align:left}}\
         .legend span{{margin-right:1.5em}}svg{{background:#fff;border:1px solid #ddd}}</style>\
         </head><body>\n<h1>{}</h1>\n<p>{} · {} {} · {} {}</p>\n",
        if lang == Lang::Es { "es" } else { "en" },
        esc(&title),
        esc(&title),
        esc(&r.source),
        t(lang, "shrinkage", "merma"),
        pct(r.shrinkage),
        t(lang, "times in", "horas en"),
        esc(&r.time_zone),
    );
    let tt = &r.totals;
    let _ = write!(
        h,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>\
         <tr><td>Erlang C</td><td>{:.1}</td><td>{:.1}</td></tr>",
        t(lang, "Total", "Total"),
        t(lang, "FTE hours in seat", "Horas FTE en puesto"),
        t(lang, "Scheduled FTE hours", "Horas FTE programadas"),
        tt.erlang_c_fte_hours,
        tt.erlang_c_scheduled_fte_hours
    );
    if tt.intervals_with_erlang_a > 0 {
        let _ = write!(
            h,
            "<tr><td>Erlang A</td><td>{:.1}</td><td>{:.1}</td></tr>",
            tt.erlang_a_fte_hours, tt.erlang_a_scheduled_fte_hours
        );
    }
    if let Some(p) = tt.planned_fte_hours {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{p:.1}</td><td></td></tr>",
            t(lang, "Vendor plan", "Plan del proveedor")
        );
    }
    h.push_str("</table>\n");
    if let Some(s) = &r.staffing {
        let _ = write!(
            h,
            "<h2>{}</h2><table><tr><th>SLA</th><th>{}</th><th>{}</th><th>Erlang C</th><th>Erlang A</th><th>{}</th><th>{}</th></tr>",
            t(
                lang,
                "Service level the vendor's plan implies",
                "Nivel de servicio que implica el plan del proveedor"
            ),
            t(lang, "target", "objetivo"),
            t(lang, "intervals", "intervalos"),
            t(lang, "abandon (A)", "abandono (A)"),
            t(lang, "at risk", "en riesgo"),
        );
        for g in &s.by_target {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{} / {:.0} s ({})</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(g.sla_id.as_deref().unwrap_or("--")),
                pct(g.target_share),
                g.threshold_s,
                g.variant,
                g.intervals,
                opt(g.erlang_c_service_level, pct),
                opt(g.erlang_a_service_level, pct),
                opt(g.erlang_a_abandon_share, pct),
                g.intervals_at_risk
            );
        }
        h.push_str("</table>\n");
    }
    let (w, hgt, ml, mr, mt, mb) = (960.0_f64, 300.0_f64, 50.0, 15.0, 15.0, 45.0);
    for (queue, rows) in &by_queue {
        let n = rows.len();
        let max_y = rows
            .iter()
            .map(|r| {
                let a = r.erlang_a.as_ref().map_or(0, |a| a.agents);
                let p = r.planned.as_ref().map_or(0, |p| p.agents);
                r.erlang_c.agents.max(a).max(p)
            })
            .max()
            .unwrap_or(1)
            .max(1) as f64
            * 1.1;
        let x = |i: usize| ml + (w - ml - mr) * (i as f64 + 0.5) / n.max(1) as f64;
        let y = |v: f64| mt + (hgt - mt - mb) * (1.0 - v / max_y);
        let line = |f: &dyn Fn(&OutRow) -> Option<u32>| {
            let mut pts = String::new();
            for (i, r) in rows.iter().enumerate() {
                if let Some(v) = f(r) {
                    let _ = write!(pts, "{:.1},{:.1} ", x(i), y(f64::from(v)));
                }
            }
            pts
        };
        let _ = write!(
            h,
            "<h2>{} {}</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{hgt}\" viewBox=\"0 0 {w} {hgt}\" role=\"img\" aria-label=\"{}\">",
            t(lang, "Queue", "Cola"),
            esc(queue),
            esc(&format!(
                "{} {queue}",
                t(
                    lang,
                    "required vs planned agents,",
                    "agentes requeridos vs planificados,"
                )
            ))
        );
        // Axes and y grid.
        for k in 0..=4 {
            let v = max_y / 1.1 * f64::from(k) / 4.0;
            let _ = write!(
                h,
                "<line x1=\"{ml}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#eee\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{:.0}</text>",
                w - mr,
                y(v),
                y(v),
                ml - 4.0,
                y(v) + 4.0,
                v
            );
        }
        let ticks = 6.min(n);
        for k in 0..ticks {
            let i = if ticks > 1 {
                k * (n - 1) / (ticks - 1)
            } else {
                0
            };
            let _ = write!(
                h,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                x(i),
                hgt - mb + 16.0,
                esc(&rows[i].local)
            );
        }
        let _ = write!(
            h,
            "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"{}\"/>",
            line(&|r| Some(r.erlang_c.agents))
        );
        let a_pts = line(&|r| r.erlang_a.as_ref().map(|a| a.agents));
        if !a_pts.is_empty() {
            let _ = write!(
                h,
                "<polyline fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\" points=\"{a_pts}\"/>"
            );
        }
        let p_pts = line(&|r| r.planned.as_ref().map(|p| p.agents));
        if !p_pts.is_empty() {
            let _ = write!(
                h,
                "<polyline fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"2\" points=\"{p_pts}\"/>"
            );
            for (i, r) in rows.iter().enumerate() {
                if let Some(p) = r.planned.as_ref().filter(|p| p.at_risk) {
                    let _ = write!(
                        h,
                        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#d62728\"><title>{} {}</title></circle>",
                        x(i),
                        y(f64::from(p.agents)),
                        esc(&r.local),
                        t(lang, "at risk", "en riesgo")
                    );
                }
            }
        }
        h.push_str("</svg>\n");
        let _ = writeln!(
            h,
            "<p class=\"legend\"><span style=\"color:#1f77b4\">━ {}</span><span style=\"color:#ff7f0e\">╍ {}</span>{}</p>",
            t(lang, "required, Erlang C", "requeridos, Erlang C"),
            t(lang, "required, Erlang A", "requeridos, Erlang A"),
            if r.staffing.is_some() {
                format!(
                    "<span style=\"color:#2ca02c\">━ {}</span><span style=\"color:#d62728\">● {}</span>",
                    t(lang, "planned", "planificados"),
                    t(lang, "at risk", "en riesgo")
                )
            } else {
                String::new()
            }
        );
    }
    h.push_str("</body></html>\n");
    h
}

// ------------------------------------------------------------------------------ command

pub fn plan(args: PlanArgs, lang: Lang) -> CliResult {
    let contract = load_contract(&args.contract)?;
    let shrinkage = check_flags(&args, lang)?;
    let tz = contract.time_zone.clone();
    let flags = Overrides {
        threshold_s: args.threshold_s,
        target: args.target,
        variant: args.variant,
        max_abandon: args.max_abandon,
        max_asa_s: args.max_asa_s,
        max_occupancy: args.max_occupancy,
    };
    let default_interval = f64::from(args.interval);
    let (rows, source, estimate, col_map): (_, _, _, HashMap<&str, usize>) =
        match (&args.forecast, &args.month) {
            (Some(path), _) => {
                let (rows, cols) =
                    read_forecast(path, &tz, default_interval, args.patience_s, lang)?;
                (rows, path.display().to_string(), None, cols)
            }
            (None, Some(m)) => {
                let (rows, est) = estimate_forecast(
                    &contract,
                    &args.store,
                    m,
                    args.interval,
                    args.patience_s,
                    lang,
                )?;
                if let Some(p) = &args.write_forecast {
                    write_file(p, &forecast_csv(&rows, &tz)?)?;
                    eprintln!(
                        "{} {}",
                        t(lang, "forecast written to", "pronóstico escrito en"),
                        p.display()
                    );
                }
                if rows.is_empty() {
                    return Err(CliError::Invalid(tr(
                        lang,
                        format!("no inbound voice or chat contacts in {m} to estimate from"),
                        format!("no hay contactos de voz entrante o chat en {m} para estimar"),
                    )));
                }
                let src = format!("store {} ({m})", args.store.display());
                (rows, src, Some(est), HashMap::new())
            }
            (None, None) => {
                return Err(CliError::Invalid(
                    t(
                        lang,
                        "give --forecast FILE, or --from-store with --month",
                        "indique --forecast ARCHIVO, o --from-store con --month",
                    )
                    .to_string(),
                ));
            }
        };
    let staffing = match &args.staffing {
        Some(p) => Some((p.as_path(), read_staffing(p, &tz, lang)?)),
        None => None,
    };
    let col_of = |f: Field| -> Option<usize> {
        let name = match f {
            Field::Volume => "volume",
            Field::AhtS => "aht_s",
            Field::PatienceS => "patience_s",
            Field::IntervalS => "interval_minutes",
            _ => return None,
        };
        col_map.get(name).copied()
    };
    let built = build(
        &contract,
        &rows,
        &source,
        &col_of,
        flags,
        args.sla.as_deref(),
        &shrinkage,
        staffing,
        lang,
    )?;
    if let Some(s) = &built.staffing
        && s.unmatched_rows > 0
    {
        eprintln!(
            "{}",
            tr(
                lang,
                format!(
                    "warning: {} row(s) of {} match no forecast interval and were ignored",
                    s.unmatched_rows, s.file
                ),
                format!(
                    "aviso: {} fila(s) de {} no coinciden con ningún intervalo del pronóstico y se ignoraron",
                    s.unmatched_rows, s.file
                ),
            )
        );
    }
    // Exit 3 when the vendor's plan leaves intervals at risk, like `settle` on a missed SLA.
    let at_risk = built
        .staffing
        .as_ref()
        .is_some_and(|s| s.intervals_at_risk > 0);
    let report = Report {
        contract_id: contract.doc.contract.id.clone(),
        time_zone: contract.doc.contract.time_zone.clone(),
        source,
        estimate,
        shrinkage: args.shrinkage,
        max_occupancy: args.max_occupancy,
        intervals: built.rows,
        totals: built.totals,
        staffing: built.staffing,
    };
    match args.format {
        PlanFormat::Table => print!("{}", table_text(&report, lang)),
        PlanFormat::Json => println!(
            "{}",
            serde_json::to_string_pretty(&report).map_err(|e| CliError::Other(e.to_string()))?
        ),
        PlanFormat::Csv => {
            use std::io::Write;
            let text = csv_text(&report);
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .map_err(|e| CliError::Other(e.to_string()))?;
        }
    }
    if let Some(p) = &args.html {
        write_file(p, html_page(&report, lang).as_bytes())?;
        eprintln!(
            "{} {}",
            t(lang, "chart written to", "gráfico escrito en"),
            p.display()
        );
    }
    Ok(if at_risk {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}
