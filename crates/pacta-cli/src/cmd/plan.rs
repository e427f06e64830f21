//! `pacta plan`: Erlang C and Erlang A staffing against the contract's service level.
//!
//! Two sources of intervals:
//!
//! * `--forecast FILE`: a CSV with `interval_start, queue, volume, aht_s` and optionally
//!   `patience_s` and `interval_minutes`, one row per interval and queue;
//! * `--from-store --month M`: the month's interactions in the store, turned into a profile per
//!   queue, day type and interval of the day, laid over every day of the following month.
//!
//! The plan is computed by [`pacta_ops::plan`] (each interval staffed against the service-level
//! SLA that covers its queue; `--staffing FILE` adds what the vendor's plan delivers) and
//! presented by `pacta_report`; this module only turns flags into the call and prints.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use pacta_contract::{Lang, ServiceLevelVariant};
use pacta_core::Localized;
use pacta_ops::OpError;
use pacta_ops::plan::{CsvInput, ForecastInput, PlanInput};
use pacta_planning::{Field, PlanOptions, PlanningError, RowError};

use super::args::parse_month;
use super::contract::load_contract;
use super::{CliError, CliResult, to_json, write_file};

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
    /// Target percentage answered within T, e.g. 80 (overrides the SLA's target in force).
    #[arg(long, value_name = "PERCENT")]
    target: Option<f64>,
    /// Service-level variant (how abandoned calls count under Erlang A), as the contract names
    /// it: exclude_short_abandons, answered_only, abandons_against, abandons_after_threshold,
    /// abandons_within_met, offered.
    #[arg(long, value_name = "VARIANT", value_parser = parse_variant)]
    variant: Option<ServiceLevelVariant>,
    /// Mean patience in seconds for rows without a patience_s value (enables Erlang A).
    #[arg(long, value_name = "P")]
    patience_s: Option<f64>,
    /// Also require Erlang A abandonment (percentage of offered) at most this, e.g. 5.
    #[arg(long, value_name = "PERCENT")]
    max_abandon: Option<f64>,
    /// Also require the average speed of answer at most this many seconds.
    #[arg(long, value_name = "S")]
    max_asa_s: Option<f64>,
    /// Shrinkage percentage (breaks, training, absence…) turning agents into scheduled FTE,
    /// e.g. 30; 0 for none.
    #[arg(long, value_name = "PERCENT", default_value_t = 30.0)]
    shrinkage: f64,
    /// Maximum agent occupancy percentage, e.g. 85 (none by default).
    #[arg(long, value_name = "PERCENT")]
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
    /// With the table format: every interval on its own line (112 columns and more) instead
    /// of the summary by weekday and time of day.
    #[arg(long)]
    wide: bool,
    /// Also write a self-contained HTML page for a workforce review: totals, each queue's
    /// intraday profile, hours per day, the weekday × interval grid (heatmap and table).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

fn parse_variant(s: &str) -> Result<ServiceLevelVariant, String> {
    ServiceLevelVariant::from_name(s).ok_or_else(|| {
        let names: Vec<&str> = ServiceLevelVariant::ALL.iter().map(|v| v.name()).collect();
        let (last, init) = names.split_last().unwrap_or((&"", &[]));
        format!(
            "unknown service-level variant `{s}` (use {} or {last})",
            init.join(", ")
        )
    })
}

/// The command-line flag behind a planning option, for errors about flags.
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

/// Prints up to `shown` located problems, one `error:` line each.
fn print_rows(errors: &[RowError], shown: usize, lang: Lang) {
    for e in errors.iter().take(shown) {
        eprintln!("error: {}", e.message(lang));
    }
}

/// A planning failure as the CLI reports it: an option's error names its flag, and rows
/// refused are listed before the summary.
fn failure(e: OpError, lang: Lang) -> CliError {
    const SHOWN: usize = 50;
    match &e {
        OpError::Planning(PlanningError::InvalidOption(inner)) => CliError::Invalid(format!(
            "{}: {}",
            inner.field().map_or("--", flag_of),
            inner.message(lang)
        )),
        OpError::Planning(PlanningError::InvalidRows { errors, .. }) => {
            print_rows(errors, SHOWN, lang);
            if errors.len() > SHOWN {
                let more = errors.len() - SHOWN;
                eprintln!(
                    "{}",
                    match lang {
                        Lang::En => format!("… and {more} more"),
                        Lang::Es => format!("… y {more} más"),
                    }
                );
            }
            CliError::Op(e)
        }
        OpError::Planning(PlanningError::UnstaffedIntervals { errors, .. }) => {
            print_rows(errors, SHOWN, lang);
            CliError::Op(e)
        }
        _ => CliError::Op(e),
    }
}

/// A percentage flag as the share the planner computes with. Every percentage in pacta is
/// written as 80, not 0.8; a value from 0 to 1 could mean either, so it is refused with the
/// percentage it probably meant rather than guessed (`zero_allowed`: 0 means none, as for
/// shrinkage, and is unambiguous).
fn percent_flag(flag: &str, value: f64, zero_allowed: bool, lang: Lang) -> Result<f64, CliError> {
    if zero_allowed && value == 0.0 {
        return Ok(0.0);
    }
    if value.is_finite() && value > 0.0 && value <= 1.0 {
        let meant = pacta_core::fmt::float(value * 100.0, 0, lang);
        return Err(CliError::Invalid(match lang {
            Lang::En => format!(
                "{flag} {value}: percentages are written as 80, not 0.8 — did you mean {flag} {meant}? \
                 (values up to 1 are refused rather than guessed)"
            ),
            Lang::Es => format!(
                "{flag} {value}: los porcentajes se escriben como 80, no 0.8 — ¿quiso decir {flag} {meant}? \
                 (los valores hasta 1 se rechazan en lugar de adivinarlos)"
            ),
        }));
    }
    // Shrinkage of 100 % would leave nobody on the phone; a target of 100 % is a target.
    let below_top = if zero_allowed {
        value < 100.0
    } else {
        value <= 100.0
    };
    if !(value.is_finite() && value > 1.0 && below_top) {
        let (low, high) = if zero_allowed {
            ("0", "less than 100")
        } else {
            ("1", "100")
        };
        return Err(CliError::Invalid(match lang {
            Lang::En => format!("{flag} {value}: give a percentage from {low} to {high}"),
            Lang::Es => format!(
                "{flag} {value}: indique un porcentaje de {low} a {}",
                if zero_allowed { "menos de 100" } else { high }
            ),
        }));
    }
    Ok(value / 100.0)
}

pub fn plan(args: PlanArgs, lang: Lang) -> CliResult {
    let share = |flag: &str, v: Option<f64>| -> Result<Option<f64>, CliError> {
        v.map(|v| percent_flag(flag, v, false, lang)).transpose()
    };
    let target = share("--target", args.target)?;
    let max_abandon = share("--max-abandon", args.max_abandon)?;
    let max_occupancy = share("--max-occupancy", args.max_occupancy)?;
    let shrinkage = percent_flag("--shrinkage", args.shrinkage, true, lang)?;
    let contract = load_contract(&args.contract)?;
    let options = PlanOptions {
        sla: args.sla.clone(),
        threshold_s: args.threshold_s,
        target,
        variant: args.variant,
        max_abandon,
        max_asa_s: args.max_asa_s,
        max_occupancy,
        patience_s: args.patience_s,
        shrinkage,
        interval_minutes: args.interval,
    };
    // Flags are checked before --month is read, so a bad flag is the error reported.
    options
        .validate()
        .map_err(|e| failure(OpError::from(e), lang))?;
    let forecast = match (&args.forecast, &args.month) {
        (Some(path), _) => ForecastInput::Csv(CsvInput::File(path.clone())),
        (None, Some(m)) => ForecastInput::Store {
            dir: args.store.clone(),
            month: parse_month(m, lang)?,
            write_forecast: args.write_forecast.clone(),
        },
        (None, None) => {
            return Err(CliError::Invalid(
                lang.pick(
                    "give --forecast FILE, or --from-store with --month",
                    "indique --forecast ARCHIVO, o --from-store con --month",
                )
                .to_string(),
            ));
        }
    };
    let input = PlanInput {
        forecast,
        staffing: args.staffing.clone().map(CsvInput::File),
    };
    let plan = pacta_ops::plan::plan_with_notices(&contract, &input, &options, &mut |n| {
        eprintln!("{}", n.message(lang));
    })
    .map_err(|e| failure(e, lang))?;
    match args.format {
        PlanFormat::Table if args.wide => {
            print!("{}", pacta_report::staffing_table_wide(&plan, lang));
        }
        PlanFormat::Table => print!("{}", pacta_report::staffing_table(&plan, lang)),
        PlanFormat::Json => println!("{}", to_json(&plan)?),
        PlanFormat::Csv => {
            use std::io::Write;
            let text = pacta_report::staffing_csv(&plan);
            let mut stdout = std::io::stdout().lock();
            stdout
                .write_all(text.as_bytes())
                .map_err(|e| CliError::Output(e.to_string()))?;
        }
    }
    if let Some(p) = &args.html {
        write_file(p, pacta_report::staffing_html(&plan, lang).as_bytes())?;
        eprintln!(
            "{} {}",
            lang.pick("page written to", "página escrita en"),
            p.display()
        );
    }
    // Exit 3 when the vendor's plan leaves intervals at risk, like `settle` on a missed SLA.
    Ok(if plan.has_intervals_at_risk() {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}
