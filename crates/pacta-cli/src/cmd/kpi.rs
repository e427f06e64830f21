//! `pacta kpi`: every KPI of a contract (or any catalog metric) for a month of data in the
//! store, by scope and period, as a table, JSON or CSV.
//!
//! These are raw measurements: SLA exclusions (accepted relief, volume above the flex band)
//! are applied by `pacta settle`, which is why its figures can differ.

use std::process::ExitCode;

use clap::{Args, ValueEnum};
use pacta_contract::Lang;
use pacta_contract::metrics::Unit;
use pacta_core::Localized;
use pacta_kpi::{GroupBy, KpiReport, MetricValue};

use super::args::ContractMonth;
use super::settle::unit_value;
use super::{CliError, CliResult};
use pacta_core::text_table::{Column, row};

/// Output format of `kpi`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum KpiFormat {
    /// Aligned table; long series are summarised (use csv or json for every period).
    #[value(alias = "text")]
    Table,
    /// The full report as JSON (schema: docs/kpi-json.md).
    Json,
    /// One row per SLA × group × period.
    Csv,
}

#[derive(Args)]
pub struct KpiArgs {
    #[command(flatten)]
    target: ContractMonth,
    /// Break down by these dimensions (comma-separated: channel, queue, site, language).
    #[arg(long, value_delimiter = ',', value_name = "DIMS")]
    by: Vec<GroupBy>,
    /// Measure interaction metrics per interval of this many minutes (15, 30 or 60) instead
    /// of each SLA's own period.
    #[arg(long, value_name = "MINUTES")]
    interval: Option<u32>,
    /// Only these SLAs of the contract (repeatable).
    #[arg(long = "sla", value_name = "ID")]
    slas: Vec<String>,
    /// Catalog metrics to compute besides (or, with --sla, instead of) the SLAs, as
    /// `metric` or `metric:variant` (repeatable), e.g. `--metric asa --metric wait_p90`.
    #[arg(long = "metric", value_name = "METRIC[:VARIANT]")]
    metrics: Vec<String>,
    /// Parameters for the --metric requests, `key=value` (repeatable or comma-separated), as
    /// in an SLA's `params`: threshold_s, short_abandon_s, window_days, after_seconds…
    #[arg(long = "param", value_delimiter = ',', value_name = "KEY=VALUE")]
    params: Vec<String>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: KpiFormat,
    #[command(flatten)]
    engine: super::args::EngineArgs,
}

/// `key=value` pairs read as an SLA `params` table (numbers and booleans as TOML values,
/// anything else as a string), with the contract's own validation of names and types.
/// A group's value over the whole month: group, value, numerator / denominator.
const GROUP_VALUE: [Column; 3] = [
    Column::left("  ", 32),
    Column::right(" ", 14),
    Column::rest("   "),
];

/// One period's value under its group.
const PERIOD_VALUE: [Column; 2] = [Column::left("    ", 30), Column::right(" ", 14)];

fn parse_params(pairs: &[String], lang: Lang) -> Result<pacta_contract::SlaParams, CliError> {
    let mut text = String::new();
    for pair in pairs {
        let Some((k, v)) = pair.split_once('=') else {
            return Err(CliError::Invalid(match lang {
                Lang::En => format!("--param `{pair}`: write key=value, e.g. threshold_s=20"),
                Lang::Es => format!("--param `{pair}`: escriba clave=valor, p. ej. threshold_s=20"),
            }));
        };
        let (k, v) = (k.trim(), v.trim());
        let literal = if toml::from_str::<toml::Table>(&format!("x = {v}")).is_ok() {
            v.to_string()
        } else {
            format!("{v:?}")
        };
        text.push_str(&format!("{k} = {literal}\n"));
    }
    toml::from_str(&text).map_err(|e| {
        CliError::Invalid(match lang {
            Lang::En => format!("--param: {}", e.message()),
            Lang::Es => format!("--param: {}", e.message()),
        })
    })
}

/// Above this many periods per group the table shows a summary, not every period.
const TABLE_MAX_PERIODS: usize = 31;

pub fn run(args: KpiArgs, lang: Lang) -> CliResult {
    let (contract, month, store) = args.target.open(lang)?;
    if let Some(m) = args.interval
        && !matches!(m, 15 | 30 | 60)
    {
        return Err(CliError::Invalid(match lang {
            Lang::En => format!("--interval {m}: intervals are 15, 30 or 60 minutes"),
            Lang::Es => format!("--interval {m}: los intervalos son de 15, 30 o 60 minutos"),
        }));
    }
    let query = pacta_ops::kpi::KpiQuery {
        slas: args.slas.clone(),
        metrics: args
            .metrics
            .iter()
            .map(|m| pacta_ops::kpi::MetricSpec(m.clone()))
            .collect(),
        params: parse_params(&args.params, lang)?,
        interval_minutes: args.interval,
        group_by: args.by.clone(),
    };
    let engine = args.engine.setup(lang)?;
    let report = pacta_ops::kpi::measure_on(&store, &contract, month, &query, engine.as_ref())
        .map_err(|e| match e {
            pacta_ops::OpError::Metric { .. } => {
                CliError::Invalid(format!("--metric {}", e.message(lang)))
            }
            pacta_ops::OpError::Kpi(e) => CliError::Invalid(format!(
                "{}: {}",
                lang.pick("cannot compute", "no se puede calcular"),
                e.message(lang)
            )),
            other => CliError::Op(other),
        })?;
    if report.scan.rows_in_periods == 0 {
        eprintln!(
            "{}",
            match lang {
                Lang::En => format!(
                    "warning: no interactions for {} in {} in store {}",
                    contract.doc.contract.id,
                    report.month,
                    args.target.store.display()
                ),
                Lang::Es => format!(
                    "aviso: no hay interacciones de {} en {} en el almacén {}",
                    contract.doc.contract.id,
                    report.month,
                    args.target.store.display()
                ),
            }
        );
    }
    match args.format {
        KpiFormat::Json => {
            let json = serde_json::to_string_pretty(&report)
                .map_err(|e| CliError::Output(e.to_string()))?;
            println!("{json}");
        }
        KpiFormat::Csv => print!("{}", csv_report(&report, &args.by)?),
        KpiFormat::Table => print!("{}", table(&report, lang)),
    }
    Ok(ExitCode::SUCCESS)
}

fn value_text(v: &MetricValue, unit: Unit, lang: Lang) -> String {
    let s = unit_value(v.value, unit, lang);
    if v.approximate && v.value.is_some() {
        format!("{s} ≈")
    } else {
        s
    }
}

/// A numerator or denominator: whole counts as integers, sums of seconds or scores with two
/// decimals, in the language's separators.
fn count_text(v: f64, lang: Lang) -> String {
    let places = if v.fract() == 0.0 { 0 } else { 2 };
    pacta_core::fmt::float(v, places, lang)
}

fn group_text(g: &std::collections::BTreeMap<String, String>, lang: Lang) -> String {
    if g.is_empty() {
        return lang.pick("(all)", "(todo)").into();
    }
    g.iter()
        .map(|(k, v)| format!("{k}={v}"))
        .collect::<Vec<_>>()
        .join(" ")
}

/// The terminal table: one line per SLA × group for single-period results, one per period
/// for short series, and min / median / max for long ones.
pub fn table(report: &KpiReport, lang: Lang) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "KPI {} · {} · {} {} ({} {})",
        report.month,
        report.time_zone,
        pacta_core::fmt::integer(report.scan.rows_in_periods, lang),
        lang.pick("contacts in the periods", "contactos en los periodos"),
        pacta_core::fmt::integer(report.scan.outside_hours, lang),
        lang.pick("outside hours", "fuera de horario")
    );
    for r in &report.results {
        let _ = writeln!(out);
        let variant = if r.request.measure.variant_name().is_empty() {
            String::new()
        } else {
            format!(" / {}", r.request.measure.variant_name())
        };
        let _ = writeln!(
            out,
            "{}  {}{}",
            r.request.id,
            r.request.measure.metric_name(),
            variant
        );
        for g in &r.groups {
            let label = group_text(&g.group, lang);
            match g.periods.as_slice() {
                [p] => {
                    out.push_str(&row(
                        &GROUP_VALUE,
                        &[
                            label,
                            value_text(&p.value, r.unit, lang),
                            format!(
                                "{} / {}",
                                count_text(p.value.numerator, lang),
                                count_text(p.value.denominator, lang)
                            ),
                        ],
                    ));
                }
                ps if ps.len() <= TABLE_MAX_PERIODS => {
                    let _ = writeln!(out, "  {label}");
                    for p in ps {
                        out.push_str(&row(
                            &PERIOD_VALUE,
                            &[p.period.label.clone(), value_text(&p.value, r.unit, lang)],
                        ));
                    }
                }
                ps => {
                    let mut vals: Vec<f64> = ps.iter().filter_map(|p| p.value.value).collect();
                    vals.sort_by(f64::total_cmp);
                    let pick = |q: f64| {
                        vals.get(((vals.len() as f64 - 1.0) * q).round() as usize)
                            .copied()
                    };
                    let fmt = |v: Option<f64>| unit_value(v, r.unit, lang);
                    // The group on its own line: the figures after it need the width.
                    let _ = writeln!(out, "  {label}");
                    let _ = writeln!(
                        out,
                        "    {} {} {} {}: {} {} {} {} {} {}",
                        pacta_core::fmt::integer(vals.len() as u64, lang),
                        lang.pick("of", "de"),
                        pacta_core::fmt::integer(ps.len() as u64, lang),
                        lang.pick("periods with data", "periodos con datos"),
                        lang.pick("min", "mín"),
                        fmt(pick(0.0)),
                        lang.pick("median", "mediana"),
                        fmt(pick(0.5)),
                        lang.pick("max", "máx"),
                        fmt(pick(1.0)),
                    );
                }
            }
        }
    }
    out
}

/// Long CSV: `id,metric,variant,<dims…>,period,period_start,period_end,value,numerator,
/// denominator,approximate,unit`; instants in RFC 3339 UTC, values unrounded.
pub fn csv_report(report: &KpiReport, by: &[GroupBy]) -> Result<String, CliError> {
    let mut w = csv::Writer::from_writer(Vec::new());
    let mut header: Vec<String> = ["id", "metric", "variant"].map(String::from).to_vec();
    header.extend(by.iter().map(|b| b.as_str().to_string()));
    header.extend(
        [
            "period",
            "period_start",
            "period_end",
            "value",
            "numerator",
            "denominator",
            "approximate",
            "unit",
        ]
        .map(String::from),
    );
    let err = |e: csv::Error| CliError::Output(e.to_string());
    w.write_record(&header).map_err(err)?;
    let instant = |ms: i64| {
        jiff::Timestamp::from_millisecond(ms).map_or_else(|_| ms.to_string(), |t| t.to_string())
    };
    for r in &report.results {
        let unit = serde_json::to_value(r.unit)
            .ok()
            .and_then(|v| v.as_str().map(String::from))
            .unwrap_or_default();
        for g in &r.groups {
            for p in &g.periods {
                let mut row = vec![
                    r.request.id.clone(),
                    r.request.measure.metric_name().to_string(),
                    r.request.measure.variant_name().to_string(),
                ];
                row.extend(
                    by.iter()
                        .map(|b| g.group.get(b.as_str()).cloned().unwrap_or_default()),
                );
                row.extend([
                    p.period.label.clone(),
                    instant(p.period.start_ms),
                    instant(p.period.end_ms),
                    p.value.value.map(|v| v.to_string()).unwrap_or_default(),
                    p.value.numerator.to_string(),
                    p.value.denominator.to_string(),
                    p.value.approximate.to_string(),
                    unit.clone(),
                ]);
                w.write_record(&row).map_err(err)?;
            }
        }
    }
    let bytes = w
        .into_inner()
        .map_err(|e| CliError::Output(e.to_string()))?;
    String::from_utf8(bytes).map_err(|e| CliError::Output(e.to_string()))
}
