//! `pacta plan`: agents needed per interval and queue under Erlang C and Erlang A against the
//! contract's service level, the vendor's staffing plan checked against them, and a forecast
//! estimated from a month of history in the store.
//!
//! Forecast CSV columns: `interval_start,queue,volume,aht_s[,patience_s][,interval_minutes]`;
//! staffing CSV: `interval_start,queue,agents`. `interval_start` is RFC 3339 with an offset or
//! a local `YYYY-MM-DD HH:MM[:SS]` in the contract's time zone. Errors name file:row:column and
//! nothing is printed for a file with a bad row.

use std::collections::{BTreeMap, HashMap};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use jiff::Timestamp;
use jiff::tz::TimeZone;
use pacta_contract::{Channel, Contract, Lang, Sla};
use pacta_planning::{
    IntervalInput, PeriodSummary, PlanningError, ServiceTarget, Shrinkage, SlVariant,
    StaffingEvaluation, aggregate_month, evaluate_staffing, plan_interval, scheduled_agents_whole,
};
use rust_decimal::prelude::ToPrimitive;
use serde::Serialize;

use super::contract::load_contract;
use super::settle::{load_month, parse_month_arg};
use super::{CliError, CliResult, read_file, write_file};
use crate::text::t;

/// Output format of `plan`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum PlanFormat {
    /// Aligned table with totals.
    Table,
    /// Every interval and the totals as JSON.
    Json,
    /// One row per interval and queue.
    Csv,
}

#[derive(Args)]
pub struct PlanArgs {
    /// The contract (its service-level SLA gives T, the target and the variant).
    #[arg(long, value_name = "FILE")]
    contract: PathBuf,
    /// Forecast CSV: interval_start, queue, volume, aht_s[, patience_s][, interval_minutes].
    #[arg(long, value_name = "FILE", required_unless_present = "from_store")]
    forecast: Option<PathBuf>,
    /// Estimate the forecast from a month of data in the store (with --month): volume per
    /// weekday/weekend interval of day, AHT and patience per queue.
    #[arg(long, conflicts_with = "forecast", requires = "month")]
    from_store: bool,
    /// The month of history for --from-store (YYYY-MM); the plan covers the month after it.
    #[arg(long, value_name = "YYYY-MM")]
    month: Option<String>,
    /// Store directory (--from-store).
    #[arg(long, default_value = pacta_data::store::DEFAULT_DIR)]
    store: PathBuf,
    /// Channel planned from the store (--from-store).
    #[arg(long, default_value = "voice_in", value_parser = parse_channel)]
    channel: Channel,
    /// Also write the estimated forecast as CSV (--from-store).
    #[arg(long, value_name = "FILE", requires = "from_store")]
    write_forecast: Option<PathBuf>,
    /// The SLA whose target to staff for (default: the first service_level SLA on voice).
    #[arg(long, value_name = "ID")]
    sla: Option<String>,
    /// Answer threshold T in seconds (overrides the SLA).
    #[arg(long, value_name = "SECONDS")]
    threshold_s: Option<f64>,
    /// Target service level in percent, e.g. 80 (overrides the SLA).
    #[arg(long, value_name = "PERCENT")]
    target: Option<f64>,
    /// Service-level variant for Erlang A (overrides the SLA): answered_only,
    /// abandons_against, exclude_short_abandons, abandons_after_threshold,
    /// abandons_within_met, offered.
    #[arg(long, value_name = "VARIANT")]
    variant: Option<String>,
    /// Mean patience in seconds for rows without patience_s (enables Erlang A).
    #[arg(long, value_name = "SECONDS")]
    patience_s: Option<f64>,
    /// Maximum ASA in seconds.
    #[arg(long, value_name = "SECONDS")]
    max_asa_s: Option<f64>,
    /// Maximum abandonment in percent of offered (Erlang A).
    #[arg(long, value_name = "PERCENT")]
    max_abandon: Option<f64>,
    /// Maximum occupancy in percent, e.g. 85.
    #[arg(long, value_name = "PERCENT")]
    max_occupancy: Option<f64>,
    /// Shrinkage in percent (breaks, training, absence) turning agents into scheduled FTE.
    #[arg(long, value_name = "PERCENT", default_value = "30")]
    shrinkage: f64,
    /// Interval length in minutes for rows without interval_minutes.
    #[arg(long, value_name = "MINUTES", default_value = "30")]
    interval: u32,
    /// The vendor's staffing plan: CSV interval_start, queue, agents.
    #[arg(long, value_name = "FILE")]
    staffing: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: PlanFormat,
    /// Also write an HTML chart of required vs planned agents per interval.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

fn parse_channel(s: &str) -> Result<Channel, String> {
    pacta_data::import::generic::parse_channel(s).ok_or_else(|| format!("unknown channel `{s}`"))
}

/// One forecast row, validated.
#[derive(Debug, Clone)]
struct ForecastRow {
    row: u64,
    start: Timestamp,
    queue: String,
    volume: f64,
    aht_s: f64,
    patience_s: Option<f64>,
    interval_s: f64,
}

/// One planned interval, as printed.
#[derive(Debug, Clone, Serialize)]
pub struct PlannedInterval {
    interval_start: String,
    queue: String,
    interval_minutes: f64,
    volume: f64,
    aht_s: f64,
    patience_s: Option<f64>,
    offered_load: f64,
    erlang_c_agents: u32,
    erlang_c_service_level: f64,
    erlang_c_asa_s: Option<f64>,
    erlang_c_occupancy: f64,
    erlang_a_agents: Option<u32>,
    erlang_a_service_level: Option<f64>,
    erlang_a_abandon: Option<f64>,
    erlang_a_asa_s: Option<f64>,
    scheduled_agents: u32,
    planned_agents: Option<u32>,
    planned_service_level_c: Option<f64>,
    planned_service_level_a: Option<f64>,
    planned_abandon_a: Option<f64>,
    at_risk: Option<bool>,
}

/// Totals of a plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanTotals {
    intervals: usize,
    volume: f64,
    erlang_c_agent_hours: f64,
    erlang_a_agent_hours: Option<f64>,
    scheduled_fte_hours: f64,
    planned_agent_hours: Option<f64>,
    intervals_at_risk: Option<usize>,
    /// What the vendor's plan implies for the period (volume-pooled).
    planned_month: Option<PlanMonth>,
}

/// The period-level result of the vendor's plan.
#[derive(Debug, Clone, Serialize)]
pub struct PlanMonth {
    erlang_c_service_level: Option<f64>,
    erlang_a_service_level: Option<f64>,
    erlang_a_abandon: Option<f64>,
    meets_target: Option<bool>,
}

/// The whole plan, as the JSON output.
#[derive(Debug, Clone, Serialize)]
pub struct Plan {
    contract_id: String,
    time_zone: String,
    sla: Option<String>,
    threshold_s: f64,
    target_percent: f64,
    variant: SlVariant,
    shrinkage_percent: f64,
    intervals: Vec<PlannedInterval>,
    totals: PlanTotals,
    warnings: Vec<String>,
}

fn invalid(lang: Lang, en: String, es: String) -> CliError {
    CliError::Invalid(if lang == Lang::Es { es } else { en })
}

fn variant_from(name: &str) -> Option<SlVariant> {
    Some(match name {
        "answered_only" => SlVariant::AnsweredOnly,
        "abandons_against" => SlVariant::AbandonsAgainst,
        "exclude_short_abandons" => SlVariant::ExcludeShortAbandons,
        "abandons_after_threshold" => SlVariant::AbandonsAfterThreshold,
        "abandons_within_met" => SlVariant::AbandonsWithinMet,
        "offered" => SlVariant::Offered,
        _ => return None,
    })
}

/// The SLA to staff for: `--sla`, else the first `service_level` SLA scoped to voice, else the
/// first `service_level` SLA.
fn pick_sla<'c>(
    contract: &'c Contract,
    wanted: Option<&str>,
    lang: Lang,
) -> Result<Option<&'c Sla>, CliError> {
    let slas = &contract.doc.slas;
    if let Some(id) = wanted {
        return match slas.iter().find(|s| s.id == id) {
            Some(s) if s.metric == "service_level" => Ok(Some(s)),
            Some(s) => Err(invalid(
                lang,
                format!(
                    "SLA `{id}` measures `{}`, not service_level; staffing needs a service-level target",
                    s.metric
                ),
                format!(
                    "el SLA `{id}` mide `{}`, no service_level; la dotación necesita un objetivo de nivel de servicio",
                    s.metric
                ),
            )),
            None => Err(invalid(
                lang,
                format!("the contract has no SLA `{id}`"),
                format!("el contrato no tiene el SLA `{id}`"),
            )),
        };
    }
    let is_voice = |s: &Sla| {
        s.scope.channels.contains(&Channel::VoiceIn)
            || s.scope.services.iter().any(|id| {
                contract
                    .doc
                    .scope
                    .services
                    .iter()
                    .any(|svc| &svc.id == id && svc.channel == Channel::VoiceIn)
            })
    };
    let sl = slas.iter().filter(|s| s.metric == "service_level");
    Ok(sl
        .clone()
        .find(|s| is_voice(s))
        .or_else(|| sl.clone().next()))
}

fn parse_instant(s: &str, tz: &TimeZone) -> Option<Timestamp> {
    let s = s.trim();
    if let Ok(t) = s.parse::<Timestamp>() {
        return Some(t);
    }
    let dt: jiff::civil::DateTime = s.parse().ok()?;
    tz.to_ambiguous_timestamp(dt).compatible().ok()
}

fn local_label(t: Timestamp, tz: &TimeZone) -> String {
    t.to_zoned(tz.clone())
        .strftime("%Y-%m-%d %H:%M")
        .to_string()
}

/// A CSV with its header indexed; missing required columns are an error naming them.
struct Table {
    name: String,
    header: Vec<String>,
    rows: Vec<csv::StringRecord>,
}

impl Table {
    fn read(path: &Path, required: &[&str], lang: Lang) -> Result<Table, CliError> {
        let bytes = read_file(path)?;
        let name = path.display().to_string();
        let mut r = csv::ReaderBuilder::new()
            .trim(csv::Trim::All)
            .flexible(false)
            .from_reader(bytes.as_slice());
        let header: Vec<String> = r
            .headers()
            .map_err(|e| invalid(lang, format!("{name}: {e}"), format!("{name}: {e}")))?
            .iter()
            .map(str::to_string)
            .collect();
        for col in required {
            if !header.iter().any(|h| h == col) {
                return Err(invalid(
                    lang,
                    format!(
                        "{name}: missing required column `{col}` (found: {})",
                        header.join(", ")
                    ),
                    format!(
                        "{name}: falta la columna obligatoria `{col}` (encontradas: {})",
                        header.join(", ")
                    ),
                ));
            }
        }
        let mut rows = Vec::new();
        for rec in r.records() {
            let rec = rec.map_err(|e| {
                let line = e.position().map_or(0, csv::Position::line);
                invalid(
                    lang,
                    format!("{name}:{line}: {e}"),
                    format!("{name}:{line}: {e}"),
                )
            })?;
            rows.push(rec);
        }
        Ok(Table { name, header, rows })
    }

    fn col(&self, name: &str) -> Option<usize> {
        self.header.iter().position(|h| h == name)
    }

    /// The row's line in the file (header = line 1).
    fn line(&self, i: usize) -> u64 {
        self.rows[i]
            .position()
            .map_or(i as u64 + 2, csv::Position::line)
    }

    fn cell<'a>(&'a self, i: usize, col: &str) -> Option<&'a str> {
        self.col(col)
            .and_then(|c| self.rows[i].get(c))
            .filter(|v| !v.is_empty())
    }

    fn number(&self, i: usize, col: &str, lang: Lang) -> Result<Option<f64>, CliError> {
        match self.cell(i, col) {
            None => Ok(None),
            Some(v) => match v.parse::<f64>() {
                Ok(x) if x.is_finite() => Ok(Some(x)),
                _ => Err(invalid(
                    lang,
                    format!(
                        "{}:{}: column `{col}`: `{v}` is not a number",
                        self.name,
                        self.line(i)
                    ),
                    format!(
                        "{}:{}: columna `{col}`: `{v}` no es un número",
                        self.name,
                        self.line(i)
                    ),
                )),
            },
        }
    }

    fn required_number(&self, i: usize, col: &str, lang: Lang) -> Result<f64, CliError> {
        self.number(i, col, lang)?.ok_or_else(|| {
            invalid(
                lang,
                format!("{}:{}: column `{col}` is empty", self.name, self.line(i)),
                format!(
                    "{}:{}: la columna `{col}` está vacía",
                    self.name,
                    self.line(i)
                ),
            )
        })
    }

    fn instant(&self, i: usize, tz: &TimeZone, lang: Lang) -> Result<Timestamp, CliError> {
        let v = self.cell(i, "interval_start").unwrap_or("");
        parse_instant(v, tz).ok_or_else(|| {
            invalid(
                lang,
                format!("{}:{}: column `interval_start`: `{v}` is not a time (write 2026-11-02 09:30 or RFC 3339)", self.name, self.line(i)),
                format!("{}:{}: columna `interval_start`: `{v}` no es una hora (escriba 2026-11-02 09:30 o RFC 3339)", self.name, self.line(i)),
            )
        })
    }

    fn text(&self, i: usize, col: &str, lang: Lang) -> Result<String, CliError> {
        self.cell(i, col).map(str::to_string).ok_or_else(|| {
            invalid(
                lang,
                format!("{}:{}: column `{col}` is empty", self.name, self.line(i)),
                format!(
                    "{}:{}: la columna `{col}` está vacía",
                    self.name,
                    self.line(i)
                ),
            )
        })
    }
}

fn read_forecast(
    path: &Path,
    tz: &TimeZone,
    default_interval: u32,
    lang: Lang,
) -> Result<Vec<ForecastRow>, CliError> {
    let table = Table::read(path, &["interval_start", "queue", "volume", "aht_s"], lang)?;
    let mut out = Vec::with_capacity(table.rows.len());
    for i in 0..table.rows.len() {
        let minutes = table
            .number(i, "interval_minutes", lang)?
            .unwrap_or(f64::from(default_interval));
        out.push(ForecastRow {
            row: table.line(i),
            start: table.instant(i, tz, lang)?,
            queue: table.text(i, "queue", lang)?,
            volume: table.required_number(i, "volume", lang)?,
            aht_s: table.required_number(i, "aht_s", lang)?,
            patience_s: table.number(i, "patience_s", lang)?,
            interval_s: minutes * 60.0,
        });
    }
    if out.is_empty() {
        return Err(invalid(
            lang,
            format!("{}: no forecast rows", path.display()),
            format!("{}: no hay filas de pronóstico", path.display()),
        ));
    }
    Ok(out)
}

fn read_staffing(
    path: &Path,
    tz: &TimeZone,
    lang: Lang,
) -> Result<HashMap<(i64, String), u32>, CliError> {
    let table = Table::read(path, &["interval_start", "queue", "agents"], lang)?;
    let mut out = HashMap::new();
    for i in 0..table.rows.len() {
        let start = table.instant(i, tz, lang)?;
        let queue = table.text(i, "queue", lang)?;
        let agents = table.required_number(i, "agents", lang)?;
        if agents < 0.0 || agents.fract() != 0.0 || agents > f64::from(pacta_planning::MAX_AGENTS) {
            return Err(invalid(
                lang,
                format!(
                    "{}:{}: column `agents`: `{agents}` must be a whole number from 0 to {}",
                    table.name,
                    table.line(i),
                    pacta_planning::MAX_AGENTS
                ),
                format!(
                    "{}:{}: columna `agents`: `{agents}` debe ser un entero de 0 a {}",
                    table.name,
                    table.line(i),
                    pacta_planning::MAX_AGENTS
                ),
            ));
        }
        out.insert((start.as_millisecond(), queue), agents as u32);
    }
    Ok(out)
}

/// A planning error on a forecast row, with the file, row and the column it concerns.
fn row_error(file: &str, row: u64, e: &PlanningError, lang: Lang) -> CliError {
    let col = e.field().map_or("*".to_string(), |f| f.name().to_string());
    invalid(
        lang,
        format!("{file}:{row}: {col}: {e}"),
        format!("{file}:{row}: {col}: {e}"),
    )
}

struct Settings {
    target: ServiceTarget,
    shrinkage: Shrinkage,
}

pub fn run(args: PlanArgs, lang: Lang) -> CliResult {
    let contract = load_contract(&args.contract, lang)?;
    let tz = contract.time_zone.clone();
    if args.interval == 0 {
        return Err(invalid(
            lang,
            "--interval must be more than 0 minutes".into(),
            "--interval debe ser mayor que 0 minutos".into(),
        ));
    }
    let mut warnings = Vec::new();
    let (rows, source_name) = if args.from_store {
        let month_arg = args.month.as_deref().unwrap_or_default();
        let month = parse_month_arg(month_arg, lang)?;
        let est = estimate_forecast(&args, &contract, month, lang)?;
        if let Some(p) = &args.write_forecast {
            write_file(p, forecast_csv(&est, &tz).as_bytes())?;
            eprintln!(
                "{} {}",
                t(lang, "forecast written to", "pronóstico escrito en"),
                p.display()
            );
        }
        (est, format!("{} {month_arg}", args.store.display()))
    } else {
        let path = args.forecast.clone().unwrap_or_default();
        (
            read_forecast(&path, &tz, args.interval, lang)?,
            path.display().to_string(),
        )
    };

    // Targets: the SLA in force at the first interval, then the flags.
    let sla = pick_sla(&contract, args.sla.as_deref(), lang)?;
    let first_day = rows
        .iter()
        .map(|r| r.start)
        .min()
        .map(|t| t.to_zoned(tz.clone()).date());
    let sla_target = sla
        .zip(first_day)
        .and_then(|(s, d)| contract.target_on(s, pacta_contract::Date(d)));
    let threshold_s = args
        .threshold_s
        .or_else(|| sla.and_then(|s| s.params.threshold_s).map(f64::from))
        .ok_or_else(|| {
            invalid(
                lang,
                "no answer threshold: the contract has no service_level SLA with threshold_s; give --threshold-s".into(),
                "sin umbral de respuesta: el contrato no tiene un SLA service_level con threshold_s; indique --threshold-s".into(),
            )
        })?;
    let target_percent = args
        .target
        .or_else(|| sla_target.and_then(|t| t.expected.to_f64()))
        .ok_or_else(|| {
            invalid(
                lang,
                "no target: the SLA has no target in force for the forecast's dates; give --target".into(),
                "sin objetivo: el SLA no tiene objetivo vigente en las fechas del pronóstico; indique --target".into(),
            )
        })?;
    let variant_name = args
        .variant
        .clone()
        .or_else(|| sla.and_then(|s| s.variant.clone()))
        .unwrap_or_else(|| "exclude_short_abandons".into());
    let variant = variant_from(&variant_name).ok_or_else(|| {
        invalid(
            lang,
            format!("unknown service-level variant `{variant_name}`"),
            format!("variante de nivel de servicio desconocida `{variant_name}`"),
        )
    })?;
    let pct = |flag: &str, v: f64| -> Result<f64, CliError> {
        if v.is_finite() && v > 0.0 && v <= 100.0 {
            Ok(v / 100.0)
        } else {
            Err(invalid(
                lang,
                format!("{flag} {v}: a percentage above 0 and at most 100"),
                format!("{flag} {v}: un porcentaje mayor que 0 y como máximo 100"),
            ))
        }
    };
    let mut target = ServiceTarget::new(threshold_s, pct("--target", target_percent)?, variant);
    target.short_abandon_s = sla.and_then(|s| s.params.short_abandon_s).map(f64::from);
    target.max_asa_s = args.max_asa_s;
    target.max_abandon_share = args
        .max_abandon
        .map(|v| pct("--max-abandon", v))
        .transpose()?;
    target.max_occupancy = args
        .max_occupancy
        .map(|v| pct("--max-occupancy", v))
        .transpose()?;
    target
        .validate()
        .map_err(|e| invalid(lang, format!("{e}"), format!("{e}")))?;
    if !(0.0..100.0).contains(&args.shrinkage) {
        return Err(invalid(
            lang,
            format!(
                "--shrinkage {}: a percentage from 0 to below 100",
                args.shrinkage
            ),
            format!(
                "--shrinkage {}: un porcentaje de 0 a menos de 100",
                args.shrinkage
            ),
        ));
    }
    let settings = Settings {
        target,
        shrinkage: Shrinkage {
            other: args.shrinkage / 100.0,
            ..Shrinkage::default()
        },
    };
    let staffing = match &args.staffing {
        Some(p) => Some(read_staffing(p, &tz, lang)?),
        None => None,
    };
    let plan = build_plan(
        &contract,
        sla.map(|s| s.id.clone()),
        &rows,
        &source_name,
        args.patience_s,
        &settings,
        staffing.as_ref(),
        &mut warnings,
        lang,
    )?;
    for w in &plan.warnings {
        eprintln!("{} {w}", t(lang, "warning:", "aviso:"));
    }
    match args.format {
        PlanFormat::Json => {
            let json =
                serde_json::to_string_pretty(&plan).map_err(|e| CliError::Other(e.to_string()))?;
            println!("{json}");
        }
        PlanFormat::Csv => print!("{}", plan_csv(&plan)?),
        PlanFormat::Table => print!("{}", plan_table(&plan, lang)),
    }
    if let Some(p) = &args.html {
        write_file(p, plan_html(&plan, lang).as_bytes())?;
        eprintln!(
            "{} {}",
            t(lang, "chart written to", "gráfico escrito en"),
            p.display()
        );
    }
    let at_risk = plan.totals.intervals_at_risk.unwrap_or(0) > 0;
    Ok(if at_risk {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

#[allow(clippy::too_many_arguments)]
fn build_plan(
    contract: &Contract,
    sla: Option<String>,
    rows: &[ForecastRow],
    source: &str,
    default_patience: Option<f64>,
    settings: &Settings,
    staffing: Option<&HashMap<(i64, String), u32>>,
    warnings: &mut Vec<String>,
    lang: Lang,
) -> Result<Plan, CliError> {
    let tz = &contract.time_zone;
    let mut intervals = Vec::with_capacity(rows.len());
    let mut evaluations: Vec<StaffingEvaluation> = Vec::new();
    let (mut c_hours, mut a_hours, mut sched_hours, mut planned_hours) = (0.0, 0.0, 0.0, 0.0);
    let mut all_a = true;
    let mut at_risk = 0usize;
    let mut missing_staffing = 0usize;
    for r in rows {
        let input = IntervalInput {
            volume: r.volume,
            interval_s: r.interval_s,
            aht_s: r.aht_s,
            patience_s: r.patience_s.or(default_patience),
            target: settings.target,
        };
        let plan = plan_interval(&input).map_err(|e| row_error(source, r.row, &e, lang))?;
        let hours = r.interval_s / 3600.0;
        let required = plan.erlang_a_agents().unwrap_or(plan.erlang_c_agents());
        let scheduled = scheduled_agents_whole(required, &settings.shrinkage)
            .map_err(|e| row_error(source, r.row, &e, lang))?;
        c_hours += f64::from(plan.erlang_c_agents()) * hours;
        match plan.erlang_a_agents() {
            Some(a) => a_hours += f64::from(a) * hours,
            None => all_a = false,
        }
        sched_hours += f64::from(scheduled) * hours;
        let mut row = PlannedInterval {
            interval_start: local_label(r.start, tz),
            queue: r.queue.clone(),
            interval_minutes: r.interval_s / 60.0,
            volume: r.volume,
            aht_s: r.aht_s,
            patience_s: input.patience_s,
            offered_load: plan.offered_load,
            erlang_c_agents: plan.erlang_c_agents(),
            erlang_c_service_level: plan.erlang_c.service_level,
            erlang_c_asa_s: plan.erlang_c.asa_s,
            erlang_c_occupancy: plan.erlang_c.occupancy,
            erlang_a_agents: plan.erlang_a_agents(),
            erlang_a_service_level: plan.erlang_a.map(|a| a.service_level),
            erlang_a_abandon: plan.erlang_a.map(|a| a.metrics.p_abandon),
            erlang_a_asa_s: plan.erlang_a.and_then(|a| a.metrics.asa_answered_s),
            scheduled_agents: scheduled,
            planned_agents: None,
            planned_service_level_c: None,
            planned_service_level_a: None,
            planned_abandon_a: None,
            at_risk: None,
        };
        if let Some(plan_map) = staffing {
            let agents = match plan_map.get(&(r.start.as_millisecond(), r.queue.clone())) {
                Some(a) => *a,
                None => {
                    missing_staffing += 1;
                    0
                }
            };
            let e = evaluate_staffing(&input, agents)
                .map_err(|e| row_error(source, r.row, &e, lang))?;
            planned_hours += f64::from(agents) * hours;
            let meets = match e.erlang_a {
                Some(a) => a.meets_target,
                None => e.erlang_c_meets_target,
            };
            row.planned_agents = Some(agents);
            row.planned_service_level_c = Some(e.erlang_c.service_level);
            row.planned_service_level_a = e.erlang_a.map(|a| a.service_level);
            row.planned_abandon_a = e.erlang_a.map(|a| a.metrics.p_abandon);
            row.at_risk = Some(!meets && r.volume > 0.0);
            if !meets && r.volume > 0.0 {
                at_risk += 1;
            }
            evaluations.push(e);
        }
        intervals.push(row);
    }
    if missing_staffing > 0 {
        warnings.push(match lang {
            Lang::En => format!("{missing_staffing} forecast interval(s) have no row in the staffing plan and count as 0 agents"),
            Lang::Es => format!("{missing_staffing} intervalo(s) del pronóstico no tienen fila en el plan de dotación y cuentan como 0 agentes"),
        });
    }
    let planned_month = staffing.map(|_| {
        let s: PeriodSummary = aggregate_month(&evaluations);
        let level = s.erlang_a_service_level.or(s.erlang_c_service_level);
        PlanMonth {
            erlang_c_service_level: s.erlang_c_service_level,
            erlang_a_service_level: s.erlang_a_service_level,
            erlang_a_abandon: s.erlang_a_abandon_share,
            meets_target: level.map(|l| l + 1e-12 >= settings.target.target_share),
        }
    });
    Ok(Plan {
        contract_id: contract.doc.contract.id.clone(),
        time_zone: tz.iana_name().unwrap_or("UTC").to_string(),
        sla,
        threshold_s: settings.target.threshold_s,
        target_percent: settings.target.target_share * 100.0,
        variant: settings.target.variant,
        shrinkage_percent: settings.shrinkage.other * 100.0,
        totals: PlanTotals {
            intervals: intervals.len(),
            volume: rows.iter().map(|r| r.volume).sum(),
            erlang_c_agent_hours: c_hours,
            erlang_a_agent_hours: all_a.then_some(a_hours),
            scheduled_fte_hours: sched_hours,
            planned_agent_hours: staffing.map(|_| planned_hours),
            intervals_at_risk: staffing.map(|_| at_risk),
            planned_month,
        },
        intervals,
        warnings: std::mem::take(warnings),
    })
}

/// Per queue and interval of the day, weekdays and weekends apart: mean arrivals per day,
/// AHT of answered contacts and patience as Σ waits of all offered / abandons (the maximum
/// likelihood estimate under exponential patience), laid over the month after `month`.
fn estimate_forecast(
    args: &PlanArgs,
    contract: &Contract,
    month: (i16, i8),
    lang: Lang,
) -> Result<Vec<ForecastRow>, CliError> {
    use pacta_data::model::{NO_DURATION, NO_INSTANT, Outcome, channel_code};
    let tz = &contract.time_zone;
    let data = load_month(
        &args.store,
        contract,
        &pacta_settle::credits::month_str(month),
        false,
    )?;
    let table = &data.interactions;
    let (start, end) = pacta_settle::month::month_range(contract, month)
        .map_err(|e| CliError::Other(e.to_string()))?;
    let step_ms = i64::from(args.interval) * 60_000;
    if 86_400_000 % step_ms != 0 {
        return Err(invalid(
            lang,
            format!(
                "--interval {}: --from-store needs an interval that divides the day (15, 30, 60…)",
                args.interval
            ),
            format!(
                "--interval {}: --from-store necesita un intervalo que divida el día (15, 30, 60…)",
                args.interval
            ),
        ));
    }
    let code = channel_code(args.channel);
    // (queue, weekend, slot) → arrivals; queue → (handle ms, handled, wait ms, abandons).
    let mut arrivals: BTreeMap<(u32, bool, i64), f64> = BTreeMap::new();
    let mut per_queue: BTreeMap<u32, (f64, f64, f64, f64)> = BTreeMap::new();
    for i in 0..table.arrived_at_ms.len() {
        let at = table.arrived_at_ms[i];
        if table.channel[i] != code || at < start || at >= end {
            continue;
        }
        let outcome = Outcome::from_code(table.outcome[i]);
        if matches!(outcome, None | Some(Outcome::InProgress)) {
            continue;
        }
        let Ok(ts) = Timestamp::from_millisecond(at) else {
            continue;
        };
        let z = ts.to_zoned(tz.clone());
        let weekend = matches!(
            z.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        );
        let secs = i64::from(z.hour()) * 3600 + i64::from(z.minute()) * 60 + i64::from(z.second());
        let slot = secs * 1000 / step_ms;
        let q = table.queue[i];
        *arrivals.entry((q, weekend, slot)).or_default() += 1.0;
        let e = per_queue.entry(q).or_default();
        match outcome {
            Some(Outcome::Answered) => {
                let parts = [table.talk_ms[i], table.hold_ms[i], table.wrap_ms[i]];
                if parts[0] != NO_DURATION {
                    e.0 += parts.iter().filter(|p| **p != NO_DURATION).sum::<i64>() as f64;
                    e.1 += 1.0;
                }
                if table.answered_at_ms[i] != NO_INSTANT {
                    e.2 += (table.answered_at_ms[i] - at).max(0) as f64;
                }
            }
            Some(Outcome::Abandoned) => {
                e.3 += 1.0;
                if table.ended_at_ms[i] != NO_INSTANT {
                    e.2 += (table.ended_at_ms[i] - at).max(0) as f64;
                }
            }
            _ => {}
        }
    }
    if per_queue.is_empty() {
        return Err(invalid(
            lang,
            format!(
                "no {} contacts of {} in {} in store {}",
                args.channel.as_str(),
                contract.doc.contract.id,
                pacta_settle::credits::month_str(month),
                args.store.display()
            ),
            format!(
                "no hay contactos {} de {} en {} en el almacén {}",
                args.channel.as_str(),
                contract.doc.contract.id,
                pacta_settle::credits::month_str(month),
                args.store.display()
            ),
        ));
    }
    // Days of each type in the history month and in the month planned.
    let first = jiff::civil::date(month.0, month.1, 1);
    let next_first = first
        .checked_add(jiff::Span::new().months(1))
        .map_err(|e| CliError::Other(e.to_string()))?;
    let after = next_first
        .checked_add(jiff::Span::new().months(1))
        .map_err(|e| CliError::Other(e.to_string()))?;
    let is_weekend = |d: jiff::civil::Date| {
        matches!(
            d.weekday(),
            jiff::civil::Weekday::Saturday | jiff::civil::Weekday::Sunday
        )
    };
    let days = |from: jiff::civil::Date, to: jiff::civil::Date| {
        let mut v = Vec::new();
        let mut d = from;
        while d < to {
            v.push(d);
            d = d.tomorrow().unwrap_or(to);
        }
        v
    };
    let history_days = days(first, next_first);
    let weekend_days = history_days
        .iter()
        .filter(|d| is_weekend(**d))
        .count()
        .max(1) as f64;
    let weekday_days = history_days
        .iter()
        .filter(|d| !is_weekend(**d))
        .count()
        .max(1) as f64;
    let slots = 86_400_000 / step_ms;
    let mut out = Vec::new();
    let mut row = 0u64;
    for day in days(next_first, after) {
        let weekend = is_weekend(day);
        let per_day = if weekend { weekend_days } else { weekday_days };
        for slot in 0..slots {
            let local = day
                .to_datetime(jiff::civil::Time::midnight())
                .checked_add(jiff::Span::new().milliseconds(slot * step_ms))
                .map_err(|e| CliError::Other(e.to_string()))?;
            let Ok(start) = tz.to_ambiguous_timestamp(local).compatible() else {
                continue;
            };
            for (q, (handle_ms, handled, wait_ms, abandons)) in &per_queue {
                let n = arrivals.get(&(*q, weekend, slot)).copied().unwrap_or(0.0);
                if n == 0.0 || *handled == 0.0 {
                    continue;
                }
                row += 1;
                out.push(ForecastRow {
                    row,
                    start,
                    queue: table
                        .queue_dict
                        .get(*q as usize)
                        .cloned()
                        .unwrap_or_default(),
                    volume: (n / per_day * 100.0).round() / 100.0,
                    aht_s: (handle_ms / handled / 1000.0 * 10.0).round() / 10.0,
                    patience_s: (*abandons > 0.0)
                        .then(|| (wait_ms / abandons / 1000.0 * 10.0).round() / 10.0),
                    interval_s: step_ms as f64 / 1000.0,
                });
            }
        }
    }
    Ok(out)
}

fn forecast_csv(rows: &[ForecastRow], tz: &TimeZone) -> String {
    let mut s = String::from("interval_start,queue,volume,aht_s,patience_s,interval_minutes\n");
    for r in rows {
        s.push_str(&format!(
            "{},{},{},{},{},{}\n",
            local_label(r.start, tz),
            r.queue,
            r.volume,
            r.aht_s,
            r.patience_s.map(|p| p.to_string()).unwrap_or_default(),
            r.interval_s / 60.0
        ));
    }
    s
}

fn opt(v: Option<f64>, places: usize, scale: f64) -> String {
    v.map_or("—".into(), |x| format!("{:.places$}", x * scale))
}

fn plan_table(p: &Plan, lang: Lang) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} · {} · {} {} % ≤ {} s ({}) · {} {} %",
        t(lang, "Staffing plan", "Plan de dotación"),
        p.contract_id,
        p.time_zone,
        t(lang, "target", "objetivo"),
        p.target_percent,
        p.threshold_s,
        serde_json::to_value(p.variant)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default(),
        t(lang, "shrinkage", "merma"),
        p.shrinkage_percent
    );
    let planned = p.totals.planned_agent_hours.is_some();
    let _ = writeln!(
        out,
        "{:<17} {:<14} {:>8} {:>6} {:>6} {:>7} {:>6} {:>7} {:>7} {:>6}{}",
        t(lang, "interval", "intervalo"),
        t(lang, "queue", "cola"),
        t(lang, "volume", "volumen"),
        "AHT",
        "C",
        "SL C %",
        "A",
        "SL A %",
        "Ab A %",
        t(lang, "sched", "progr"),
        if planned {
            format!(" {:>7} {:>8}", t(lang, "planned", "plan"), "SL plan")
        } else {
            String::new()
        }
    );
    for r in &p.intervals {
        let _ = writeln!(
            out,
            "{:<17} {:<14} {:>8.1} {:>6.0} {:>6} {:>7.2} {:>6} {:>7} {:>7} {:>6}{}",
            r.interval_start,
            r.queue,
            r.volume,
            r.aht_s,
            r.erlang_c_agents,
            r.erlang_c_service_level * 100.0,
            r.erlang_a_agents.map_or("—".into(), |a| a.to_string()),
            opt(r.erlang_a_service_level, 2, 100.0),
            opt(r.erlang_a_abandon, 2, 100.0),
            r.scheduled_agents,
            match r.planned_agents {
                Some(a) => format!(
                    " {:>7} {:>8}{}",
                    a,
                    opt(
                        r.planned_service_level_a.or(r.planned_service_level_c),
                        2,
                        100.0
                    ),
                    if r.at_risk == Some(true) {
                        t(lang, "  AT RISK", "  EN RIESGO")
                    } else {
                        ""
                    }
                ),
                None => String::new(),
            }
        );
    }
    let tt = &p.totals;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}: {} · {} {:.1} · {} C {:.1} h · {} A {} h · {} {:.1} h",
        t(lang, "intervals", "intervalos"),
        tt.intervals,
        t(lang, "calls", "llamadas"),
        tt.volume,
        t(lang, "agent hours", "horas de agente"),
        tt.erlang_c_agent_hours,
        t(lang, "agent hours", "horas de agente"),
        opt(tt.erlang_a_agent_hours, 1, 1.0),
        t(lang, "scheduled FTE hours", "horas FTE programadas"),
        tt.scheduled_fte_hours
    );
    if let (Some(h), Some(risk), Some(m)) = (
        tt.planned_agent_hours,
        tt.intervals_at_risk,
        &tt.planned_month,
    ) {
        let _ = writeln!(
            out,
            "{}: {:.1} h · {} {} · {} SL C {} % · SL A {} % · {} A {} % · {}",
            t(lang, "vendor plan", "plan del proveedor"),
            h,
            t(lang, "intervals at risk", "intervalos en riesgo"),
            risk,
            t(lang, "month", "mes"),
            opt(m.erlang_c_service_level, 2, 100.0),
            opt(m.erlang_a_service_level, 2, 100.0),
            t(lang, "abandonment", "abandono"),
            opt(m.erlang_a_abandon, 2, 100.0),
            match m.meets_target {
                Some(true) => t(lang, "meets the target", "cumple el objetivo"),
                Some(false) => t(lang, "BELOW THE TARGET", "POR DEBAJO DEL OBJETIVO"),
                None => "—",
            }
        );
    }
    out
}

fn plan_csv(p: &Plan) -> Result<String, CliError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let err = |e: csv::Error| CliError::Other(e.to_string());
    w.write_record([
        "interval_start",
        "queue",
        "interval_minutes",
        "volume",
        "aht_s",
        "patience_s",
        "offered_load",
        "erlang_c_agents",
        "erlang_c_service_level",
        "erlang_c_asa_s",
        "erlang_c_occupancy",
        "erlang_a_agents",
        "erlang_a_service_level",
        "erlang_a_abandon",
        "erlang_a_asa_s",
        "scheduled_agents",
        "planned_agents",
        "planned_service_level_c",
        "planned_service_level_a",
        "planned_abandon_a",
        "at_risk",
    ])
    .map_err(err)?;
    let o = |v: Option<f64>| v.map(|x| x.to_string()).unwrap_or_default();
    for r in &p.intervals {
        w.write_record([
            r.interval_start.clone(),
            r.queue.clone(),
            r.interval_minutes.to_string(),
            r.volume.to_string(),
            r.aht_s.to_string(),
            o(r.patience_s),
            r.offered_load.to_string(),
            r.erlang_c_agents.to_string(),
            r.erlang_c_service_level.to_string(),
            o(r.erlang_c_asa_s),
            r.erlang_c_occupancy.to_string(),
            r.erlang_a_agents.map(|a| a.to_string()).unwrap_or_default(),
            o(r.erlang_a_service_level),
            o(r.erlang_a_abandon),
            o(r.erlang_a_asa_s),
            r.scheduled_agents.to_string(),
            r.planned_agents.map(|a| a.to_string()).unwrap_or_default(),
            o(r.planned_service_level_c),
            o(r.planned_service_level_a),
            o(r.planned_abandon_a),
            r.at_risk.map(|b| b.to_string()).unwrap_or_default(),
        ])
        .map_err(err)?;
    }
    let bytes = w.into_inner().map_err(|e| CliError::Other(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| CliError::Other(e.to_string()))
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

/// One step-line chart per queue: required agents (Erlang C, Erlang A) and planned agents per
/// interval, inline SVG, no script.
fn plan_html(p: &Plan, lang: Lang) -> String {
    let mut queues: BTreeMap<&str, Vec<&PlannedInterval>> = BTreeMap::new();
    for r in &p.intervals {
        queues.entry(r.queue.as_str()).or_default().push(r);
    }
    let mut body = String::new();
    for (q, rows) in &queues {
        let (w, h, left, top, bottom) = (900.0, 240.0, 44.0, 24.0, 28.0);
        let plot_w = w - left - 10.0;
        let plot_h = h - top - bottom;
        let max = rows
            .iter()
            .flat_map(|r| [Some(r.erlang_c_agents), r.erlang_a_agents, r.planned_agents])
            .flatten()
            .max()
            .unwrap_or(1)
            .max(1) as f64;
        let n = rows.len().max(1) as f64;
        let x = |i: usize| left + i as f64 * plot_w / n;
        let y = |v: f64| top + plot_h - v / max * plot_h;
        let path = |get: &dyn Fn(&PlannedInterval) -> Option<u32>| {
            let mut d = String::new();
            let mut pen = false;
            for (i, r) in rows.iter().enumerate() {
                match get(r) {
                    Some(v) => {
                        let yy = y(f64::from(v));
                        d.push_str(&format!(
                            "{}{:.1},{:.1} H{:.1} ",
                            if pen { "L" } else { "M" },
                            x(i),
                            yy,
                            x(i + 1)
                        ));
                        pen = true;
                    }
                    None => pen = false,
                }
            }
            d
        };
        let mut svg = format!(
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{q}" font-family="system-ui, sans-serif" font-size="11"><text x="{left}" y="15" font-weight="600">{q}</text>"#,
            q = esc(q)
        );
        for k in 0..=4 {
            let v = max * f64::from(k) / 4.0;
            svg.push_str(&format!(
                r##"<line x1="{left}" x2="{:.1}" y1="{:.1}" y2="{:.1}" stroke="#e6e6e6"/><text x="{:.1}" y="{:.1}" text-anchor="end" fill="#555">{:.0}</text>"##,
                left + plot_w,
                y(v),
                y(v),
                left - 6.0,
                y(v) + 4.0,
                v
            ));
        }
        let every = (rows.len() / 8).max(1);
        for (i, r) in rows.iter().enumerate().step_by(every) {
            svg.push_str(&format!(
                r##"<text x="{:.1}" y="{:.1}" fill="#555">{}</text>"##,
                x(i),
                h - 8.0,
                esc(&r.interval_start)
            ));
        }
        for (get, colour, dash) in [
            (
                &(|r: &PlannedInterval| Some(r.erlang_c_agents))
                    as &dyn Fn(&PlannedInterval) -> Option<u32>,
                "#1f4e79",
                "",
            ),
            (&|r: &PlannedInterval| r.erlang_a_agents, "#2e7d32", "4 3"),
            (&|r: &PlannedInterval| r.planned_agents, "#ef6c00", ""),
        ] {
            let d = path(get);
            if !d.is_empty() {
                svg.push_str(&format!(
                    r#"<path d="{}" fill="none" stroke="{colour}" stroke-width="1.5" stroke-dasharray="{dash}"/>"#,
                    d.trim_end()
                ));
            }
        }
        for (i, r) in rows.iter().enumerate() {
            if r.at_risk == Some(true) {
                svg.push_str(&format!(
                    r##"<rect x="{:.1}" y="{top}" width="{:.1}" height="4" fill="#c62828"><title>{}</title></rect>"##,
                    x(i),
                    (plot_w / n).max(1.0),
                    esc(&r.interval_start)
                ));
            }
        }
        svg.push_str("</svg>");
        body.push_str(&format!("<section>{svg}</section>\n"));
    }
    let legend = format!(
        r#"<p class="legend"><span style="color:#1f4e79">━ {}</span> <span style="color:#2e7d32">┅ {}</span> <span style="color:#ef6c00">━ {}</span> <span style="color:#c62828">▬ {}</span></p>"#,
        t(lang, "required, Erlang C", "requeridos, Erlang C"),
        t(lang, "required, Erlang A", "requeridos, Erlang A"),
        t(
            lang,
            "planned by the vendor",
            "planificados por el proveedor"
        ),
        t(lang, "interval at risk", "intervalo en riesgo")
    );
    let tt = &p.totals;
    let summary = format!(
        "{} {} · {} {} % ≤ {} s · {} C {:.1} h · {} {:.1} h{}",
        t(lang, "Contract", "Contrato"),
        esc(&p.contract_id),
        t(lang, "target", "objetivo"),
        p.target_percent,
        p.threshold_s,
        t(lang, "agent hours", "horas de agente"),
        tt.erlang_c_agent_hours,
        t(lang, "scheduled FTE hours", "horas FTE programadas"),
        tt.scheduled_fte_hours,
        match (tt.intervals_at_risk, &tt.planned_month) {
            (Some(r), Some(m)) => format!(
                " · {} {r} · {} {} %",
                t(lang, "intervals at risk", "intervalos en riesgo"),
                t(lang, "month SL of the plan", "NS mensual del plan"),
                opt(
                    m.erlang_a_service_level.or(m.erlang_c_service_level),
                    2,
                    100.0
                )
            ),
            _ => String::new(),
        }
    );
    format!(
        r#"<!doctype html>
<html lang="{lang_code}"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font:14px/1.4 system-ui,sans-serif;max-width:1000px;margin:24px auto;color:#222}}section{{border:1px solid #e0e0e0;border-radius:6px;padding:6px;margin:10px 0}}.legend span{{margin-right:14px}}</style>
</head><body><h1>{title}</h1><p>{summary}</p>{legend}
{body}</body></html>
"#,
        lang_code = if lang == Lang::Es { "es" } else { "en" },
        title = t(
            lang,
            "Required and planned agents per interval",
            "Agentes requeridos y planificados por intervalo"
        ),
    )
}
