//! `pacta settle` and `pacta explain`: a month of data turned into verdicts, credits, the
//! invoice and the report.
//!
//! Each save is a new version of the month in the system of record (`pacta_ops::record`);
//! later months read the latest version of each earlier month. `--verify` recomputes a closed
//! month from what it recorded.

use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use pacta_contract::{Contract, Lang};

use pacta_settle::Settlement;
use pacta_terms::Status;
use pacta_terms::credits::MonthRecord;
use rust_decimal::Decimal;

use super::args::{ContractMonth, RecordArgs};
use super::{CliError, CliResult, write_file};
use crate::words;
use pacta_core::text_table::{Column, row};

/// Output format of `settle`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SettleFormat {
    /// Terminal scorecard.
    #[value(alias = "text")]
    Table,
    /// The full settlement as JSON (schema: docs/settlement-json.md).
    Json,
    /// Markdown report.
    Markdown,
    /// One CSV for spreadsheets: scorecard, credit lines, invoice lines and totals, a
    /// `section` column saying which.
    Csv,
}

#[derive(Args)]
pub struct SettleArgs {
    #[command(flatten)]
    target: ContractMonth,
    /// The vendor's invoice to reconcile: CSV with columns item,quantity,rate,amount (other
    /// columns such as invoice_id, period, unit, currency are ignored).
    #[arg(long, value_name = "FILE")]
    vendor_invoice: Option<PathBuf>,
    /// Output format on standard output.
    #[arg(long, value_enum, default_value = "table")]
    format: SettleFormat,
    /// Also write the self-contained HTML report to this file.
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
    /// Do not store the settlement (a dry run that later months will not see).
    #[arg(long)]
    no_save: bool,
    /// Settle even a month the store has no interactions for, or one before the contract's
    /// term (refused by default: such a report would carry credits later invoices net).
    #[arg(long)]
    allow_empty: bool,
    /// Recompute a closed month from the store snapshot, contract and history it recorded,
    /// and compare with the saved settlement byte for byte (exit 0 when it matches).
    #[arg(long, conflicts_with_all = ["vendor_invoice", "no_save", "allow_empty", "html"])]
    verify: bool,
    #[command(flatten)]
    records: RecordArgs,
    #[command(flatten)]
    engine: super::args::EngineArgs,
}

#[derive(Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    target: ContractMonth,
    #[command(flatten)]
    records: RecordArgs,
    /// SLA id to explain (omit to explain the credits and the invoice).
    sla: Option<String>,
    /// Also write the contacts behind the SLA's figure to this CSV file, each with its
    /// bucket (service-level and abandonment SLAs).
    #[arg(long, value_name = "FILE", requires = "sla")]
    contacts: Option<std::path::PathBuf>,
}

/// The scorecard: one row per SLA.
const SCORECARD: [Column; 5] = [
    Column::left("", 16),
    Column::left(" ", 10),
    Column::right(" ", 14),
    Column::right(" ", 18),
    Column::rest("  "),
];

/// The invoice: item, quantity, unit × rate = amount.
/// 99 columns: room for a Spanish unit ("nueva contratación") and peso amounts in the
/// hundreds of millions.
const INVOICE: [Column; 5] = [
    Column::left("  ", 28),
    Column::right(" ", 12),
    Column::left(" ", 20),
    Column::right(" × ", 14),
    Column::right(" = ", 15),
];

/// The invoice's total, under its amounts.
const INVOICE_TOTAL: [Column; 2] = [Column::left("  ", 28), Column::right(" ", 68)];

/// The reconciliation: item and kind of discrepancy (the figures follow on their own line).
const DISCREPANCIES: [Column; 2] = [Column::left("  ", 28), Column::rest(" ")];

/// The invoice as `explain` shows it: item, amount and how it was computed.
const AMOUNTS: [Column; 3] = [
    Column::left("  ", 28),
    Column::right(" ", 14),
    Column::rest("  "),
];

pub fn status_label(s: Status, lang: Lang) -> &'static str {
    s.label(lang)
}

/// A measured value in its unit, for terminal tables (`82.68 %` / `82,68 %`, `10.3 s`); `—`
/// for no data.
pub fn unit_value(value: Option<f64>, unit: pacta_contract::metrics::Unit, lang: Lang) -> String {
    words::unit_value(value, unit, lang)
}

fn fmt_value(o: &pacta_settle::month::SlaOutcome, lang: Lang) -> String {
    unit_value(o.value.value, o.unit, lang)
}

fn direction_sign(o: &pacta_settle::month::SlaOutcome) -> &'static str {
    if o.direction == pacta_contract::metrics::Direction::HigherIsBetter {
        "≥"
    } else {
        "≤"
    }
}

fn fmt_target(o: &pacta_settle::month::SlaOutcome, lang: Lang) -> String {
    let sign = direction_sign(o);
    match (&o.expected, o.periods) {
        (None, _) => "—".into(),
        (Some(e), Some(_)) => format!(
            "{sign} {} {} {}",
            words::number(*e, lang),
            lang.pick("in", "en el"),
            pacta_core::fmt::percent(o.required_share.unwrap_or(Decimal::ONE_HUNDRED), lang)
        ),
        (Some(e), None) => format!("{sign} {}{}", words::number(*e, lang), unit_suffix(o.unit)),
    }
}

/// The unit written after a target (`≥ 85 %`, `≤ 30 s`); nothing for scores and counts.
fn unit_suffix(unit: pacta_contract::metrics::Unit) -> &'static str {
    use pacta_contract::metrics::Unit;
    match unit {
        Unit::Percent => " %",
        Unit::Seconds => " s",
        Unit::Hours => " h",
        Unit::Score | Unit::Count => "",
    }
}

/// Why the verdict is what it is, in the reader's language, from the outcome's figures (the
/// settlement's own `reasoning` is a fixed English sentence kept for the JSON).
fn verdict_reason(o: &pacta_settle::month::SlaOutcome, lang: Lang) -> String {
    let mut why = match (o.periods, o.expected, o.value.value) {
        (_, None, _) => lang
            .pick(
                "no target in force this month (tracked only)",
                "sin objetivo vigente este mes (solo seguimiento)",
            )
            .to_string(),
        (Some((with_data, met)), Some(_), _) => {
            let periods = match (o.period == pacta_contract::PeriodKind::Interval, lang) {
                (true, Lang::En) => "intervals",
                (false, Lang::En) => "days",
                (true, Lang::Es) => "intervalos",
                (false, Lang::Es) => "días",
            };
            let required =
                pacta_core::fmt::percent(o.required_share.unwrap_or(Decimal::ONE_HUNDRED), lang);
            match lang {
                Lang::En => format!(
                    "{met} of {with_data} {periods} with data met the target in force; \
                     {required} required"
                ),
                Lang::Es => format!(
                    "{met} de {with_data} {periods} con datos cumplieron el objetivo vigente; \
                     se exige el {required}"
                ),
            }
        }
        (None, Some(_), None) if o.status == Status::Excused => lang
            .pick(
                "no data; the contract excuses missing data",
                "sin datos; el contrato exime los datos faltantes",
            )
            .to_string(),
        (None, Some(_), None) => lang
            .pick(
                "no data from the source of record counts as a miss",
                "la falta de datos de la fuente oficial cuenta como incumplimiento",
            )
            .to_string(),
        (None, Some(expected), Some(_)) => {
            let unit = unit_suffix(o.unit);
            let minimum = o
                .minimum
                .map(|m| {
                    format!(
                        ", {} {}{unit}",
                        lang.pick("minimum", "mínimo"),
                        words::number(m, lang)
                    )
                })
                .unwrap_or_default();
            format!(
                "{} {} {} {} {}{unit}{minimum}",
                lang.pick("measured", "medido"),
                fmt_value(o, lang),
                lang.pick("against", "frente a"),
                direction_sign(o),
                words::number(expected, lang)
            )
        }
    };
    if o.class == pacta_contract::SlaClass::Tracked && o.status.is_miss() {
        why.push_str(lang.pick(
            "; tracked only: no credit",
            "; solo seguimiento: sin crédito",
        ));
    }
    if o.reasoning.contains("volume above the flex band") {
        why.push_str(lang.pick(
            "; excused: volume above the flex band",
            "; eximido: volumen por encima de la banda",
        ));
    }
    why
}

/// `YYYY-MM` of the month before `month` (`YYYY-MM`); the input unchanged if unreadable.
fn previous_month(month: &str) -> String {
    match month
        .split_once('-')
        .and_then(|(y, m)| Some((y.parse::<i32>().ok()?, m.parse::<u32>().ok()?)))
    {
        Some((y, 1)) => format!("{}-12", y - 1),
        Some((y, m)) => format!("{y}-{:02}", m - 1),
        None => month.to_string(),
    }
}

/// A pricing unit as the settlement names it (`logged hour`), in the reader's language.
fn unit_word(unit: &str, lang: Lang) -> String {
    if lang == Lang::En {
        return unit.to_string();
    }
    match unit {
        "logged hour" => "hora registrada",
        "productive hour" => "hora productiva",
        "handled contact" => "contacto atendido",
        "talk minute" => "minuto de conversación",
        "handle minute" => "minuto de gestión",
        "outcome" => "resultado",
        "month" => "mes",
        "new hire" => "nueva contratación",
        "fee" => "cargo",
        other => other,
    }
    .to_string()
}

/// The terminal scorecard: the verdicts, the credits and the invoice, within 100 columns.
pub fn scorecard(s: &Settlement, lang: Lang) -> String {
    use std::fmt::Write;
    let money = |d: Decimal| words::money(d, &s.currency, lang);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} · {} · {} {} ({} {})",
        lang.pick("Settlement", "Liquidación"),
        s.contract_id,
        s.month,
        pacta_core::fmt::integer(s.rows.in_month, lang),
        lang.pick("contacts in the month", "contactos en el mes"),
        pacta_core::fmt::integer(s.rows.outside_hours, lang),
        lang.pick("outside hours", "fuera de horario")
    );
    let _ = writeln!(out);
    out.push_str(&row(
        &SCORECARD,
        &[
            "SLA",
            lang.pick("class", "clase"),
            lang.pick("measured", "medido"),
            lang.pick("target", "objetivo"),
            lang.pick("status", "estado"),
        ],
    ));
    for o in &s.slas {
        let mut status = status_label(o.status, lang).to_string();
        if !o.exclusions.is_empty() {
            status.push_str(&format!(
                "  ({} {})",
                o.exclusions.len(),
                lang.pick("exclusion(s)", "exclusión(es)")
            ));
        }
        out.push_str(&row(
            &SCORECARD,
            &[
                o.sla_id.clone(),
                words::class(o.class, lang).to_string(),
                fmt_value(o, lang),
                fmt_target(o, lang),
                status,
            ],
        ));
    }
    let c = &s.credits;
    let _ = writeln!(out);
    const TOTALS: [Column; 2] = [Column::left("", 26), Column::right(" ", 20)];
    for (label, value) in [
        (
            lang.pick("Service charges", "Cargos de servicio"),
            s.invoice.service_charges,
        ),
        (
            lang.pick("Credits before caps", "Créditos antes de topes"),
            c.gross,
        ),
        (lang.pick("Credit due", "Crédito debido"), c.credit),
        (
            lang.pick("Net to client", "Neto al cliente"),
            c.net_to_client(),
        ),
    ] {
        out.push_str(&row(&TOTALS, &[format!("{label}:"), money(value)]));
    }
    for b in &c.bonuses {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            lang.pick("bonus", "bono"),
            b.bonus_id,
            money(b.amount)
        );
    }
    for ch in &c.chronic {
        let mut line = format!(
            "{} {} ({}): {}",
            lang.pick("chronic trigger", "disparador crónico"),
            ch.trigger_id,
            ch.sla_id,
            words::remedy(ch.remedy, lang)
        );
        if let Some(why) = words::chronic_why(&ch.explanation, lang) {
            line.push_str(&format!(" — {why}"));
        }
        let _ = writeln!(out, "{}", words::hanging(&line, "  ", "    ", words::WIDTH));
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", lang.pick("Invoice", "Factura"));
    for l in &s.invoice.lines {
        out.push_str(&row(
            &INVOICE,
            &[
                l.item.clone(),
                words::number(l.quantity, lang),
                unit_word(&l.unit, lang),
                words::rate(l.rate, &s.currency, lang),
                words::amount(l.amount, &s.currency, lang),
            ],
        ));
        // Under the default payment terms the credit line is last month's net, not the
        // credit computed above: say so, or the two figures look like a mistake.
        if matches!(
            l.kind,
            pacta_terms::pricing::LineKind::Credit | pacta_terms::pricing::LineKind::Bonus
        ) && s.credits_netted == pacta_contract::CreditNetting::NextInvoice
        {
            let note = format!(
                "↳ {} {} {}",
                lang.pick("net of", "neto de"),
                previous_month(&s.month),
                lang.pick(
                    "(credits are netted on the next invoice: payment terms)",
                    "(los créditos se compensan en la factura siguiente: condiciones de pago)"
                )
            );
            let _ = writeln!(out, "{}", words::wrap(&note, "    ", words::WIDTH));
        }
    }
    out.push_str(&row(
        &INVOICE_TOTAL,
        &[
            lang.pick("total", "total").to_string(),
            money(s.invoice.total),
        ],
    ));
    if let Some(r) = &s.reconciliation {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}: {} · {} {} · {} {}",
            lang.pick("Vendor invoice", "Factura del proveedor"),
            money(r.invoiced_total),
            lang.pick("expected", "esperado"),
            money(r.expected_total),
            lang.pick("difference", "diferencia"),
            money(r.difference)
        );
        for d in &r.discrepancies {
            out.push_str(&row(
                &DISCREPANCIES,
                &[d.item.clone(), words::discrepancy(d.kind, lang).to_string()],
            ));
            let amount =
                |x: Decimal| format!("{} {}", words::rate(x, &s.currency, lang), s.currency);
            let signed = |x: Decimal, shown: String| {
                if x > Decimal::ZERO {
                    format!("+{shown}")
                } else {
                    shown
                }
            };
            let figures = if d.kind == pacta_terms::reconcile::DiscrepancyKind::Quantity {
                // A quantity differs in its own unit, and costs money at the line's rate: each
                // difference with its unit, never hours next to dollars.
                let unit_name = s
                    .invoice
                    .lines
                    .iter()
                    .find(|l| l.item == d.item)
                    .map(|l| l.unit.clone())
                    .unwrap_or_default();
                let quantity = |q: Decimal| {
                    format!(
                        "{} {}",
                        words::number(q, lang),
                        pacta_report::labels::unit_counted(&unit_name, q, lang)
                    )
                };
                let shown = |v: Option<Decimal>| v.map_or_else(|| "—".to_string(), quantity);
                let quantity_difference = match (d.expected, d.invoiced) {
                    (Some(e), Some(i)) => signed(i - e, quantity(i - e)),
                    _ => "—".to_string(),
                };
                format!(
                    "{} {} · {} {} · {} {} · {} {}",
                    lang.pick("expected", "esperado"),
                    shown(d.expected),
                    lang.pick("invoiced", "facturado"),
                    shown(d.invoiced),
                    lang.pick("quantity difference", "diferencia de cantidad"),
                    quantity_difference,
                    lang.pick("amount difference", "diferencia de importe"),
                    signed(d.difference, amount(d.difference)),
                )
            } else {
                let shown = |v: Option<Decimal>| v.map_or_else(|| "—".to_string(), amount);
                format!(
                    "{} {} · {} {} · {} {}",
                    lang.pick("expected", "esperado"),
                    shown(d.expected),
                    lang.pick("invoiced", "facturado"),
                    shown(d.invoiced),
                    lang.pick("difference", "diferencia"),
                    signed(d.difference, amount(d.difference)),
                )
            };
            let _ = writeln!(out, "{}", words::wrap(&figures, "      ", words::WIDTH));
        }
    }
    out
}

pub fn settle(args: SettleArgs, lang: Lang) -> CliResult {
    let (contract, month, store) = args.target.open(lang)?;
    let place = args.records.place(&args.target.store)?;
    if args.verify {
        if args.engine.engine != super::args::EngineChoice::Local {
            // Verification is the reference recomputation: pacta's own engine, whatever
            // engine the month was settled on.
            return Err(CliError::Invalid(
                lang.pick(
                    "--verify recomputes the month with pacta's own engine: leave out --engine",
                    "--verify recalcula el mes con el motor propio de pacta: quite --engine",
                )
                .to_string(),
            ));
        }
        return verify(&store, &place, &contract, month, lang);
    }
    let vendor = match &args.vendor_invoice {
        Some(p) => Some(pacta_ops::vendor_invoice::read(p)?),
        None => None,
    };
    let engine = args.engine.setup(lang)?;
    let options = pacta_ops::settle::SettleOptions {
        vendor_invoice: vendor.as_deref(),
        allow_empty: args.allow_empty,
        adjustments: None,
        engine: engine.as_ref(),
    };
    let outcome = if args.no_save {
        let existing = place.existing()?;
        pacta_ops::settle::settle(
            &store,
            existing.as_ref().map(|r| r.db.as_ref()),
            &contract,
            month,
            &options,
        )?
    } else {
        let done = pacta_ops::record::settle_and_save(
            &store,
            pacta_ops::record::SaveTo::Place(&place),
            &contract,
            month,
            &options,
            jiff::Timestamp::now(),
        )?;
        let saved = &done.saved;
        eprintln!(
            "{}",
            words::wrap(
                &match lang {
                    Lang::En => format!(
                        "saved {} {} as version {} (provisional until pacta month close)",
                        saved.contract_id, saved.month, saved.version
                    ),
                    Lang::Es => format!(
                        "guardada {} {} como versión {} (provisional hasta pacta month close)",
                        saved.contract_id, saved.month, saved.version
                    ),
                },
                "",
                words::WIDTH
            )
        );
        done.outcome
    };
    let (s, history) = (outcome.settlement, outcome.history);
    if s.rows.in_month == 0 {
        eprintln!(
            "{}",
            words::wrap(
                &match lang {
                    Lang::En => format!(
                        "warning: no interactions for {} in {} in store {}; every SLA without data counts as missed unless excused",
                        s.contract_id,
                        s.month,
                        args.target.store.display()
                    ),
                    Lang::Es => format!(
                        "aviso: no hay interacciones de {} en {} en el almacén {}; todo SLA sin datos cuenta como incumplido salvo eximición",
                        s.contract_id,
                        s.month,
                        args.target.store.display()
                    ),
                },
                "",
                words::WIDTH
            )
        );
    }
    match args.format {
        SettleFormat::Table => print!("{}", scorecard(&s, lang)),
        SettleFormat::Json => println!("{}", super::to_json(&s)?),
        SettleFormat::Markdown => print!("{}", markdown_report(&contract, &s, &history, lang)?),
        SettleFormat::Csv => print!("{}", pacta_report::settlement_csv(&s)),
    }
    if let Some(p) = &args.html {
        let html = html_report(&contract, &s, &history, lang)?;
        write_file(p, html.as_bytes())?;
        eprintln!(
            "{} {}",
            lang.pick("report written to", "informe escrito en"),
            p.display()
        );
    }
    if s.rows.in_month > 0
        && let Some(days) = outcome.fcr_window_open
    {
        eprintln!(
            "{}",
            words::wrap(
                &match lang {
                    Lang::En => format!(
                        "note: FCR looks {days} days past each contact and the store has no data after {}; contacts of the last {days} days count as resolved until next month is imported and the month is settled again",
                        s.month
                    ),
                    Lang::Es => format!(
                        "nota: la FCR mira {days} días después de cada contacto y el almacén no tiene datos posteriores a {}; los contactos de los últimos {days} días cuentan como resueltos hasta importar el mes siguiente y volver a liquidar",
                        s.month
                    ),
                },
                "",
                words::WIDTH
            )
        );
    }
    let any_miss = s.slas.iter().any(|o| o.status.is_miss());
    Ok(if any_miss {
        ExitCode::from(3)
    } else {
        ExitCode::SUCCESS
    })
}

/// The self-contained HTML report (see the `pacta-report` crate).
pub fn html_report(
    contract: &Contract,
    s: &Settlement,
    history: &[MonthRecord],
    lang: Lang,
) -> Result<String, CliError> {
    Ok(pacta_report::html(contract, s, history, lang).map_err(pacta_ops::OpError::from)?)
}

fn markdown_report(
    contract: &Contract,
    s: &Settlement,
    history: &[MonthRecord],
    lang: Lang,
) -> Result<String, CliError> {
    Ok(pacta_report::markdown(contract, s, history, lang).map_err(pacta_ops::OpError::from)?)
}

/// One `label: value` line of an explanation, wrapped under itself past 100 columns.
fn field(out: &mut String, label: &str, value: &str) {
    out.push_str(&words::hanging(
        &format!("{label}: {value}"),
        "",
        "  ",
        words::WIDTH,
    ));
    out.push('\n');
}

/// `settle --verify`: a closed month recomputed from its recorded inputs.
fn verify(
    store: &pacta_data::store::Store,
    place: &pacta_ops::record::RecordPlace,
    contract: &Contract,
    month: pacta_core::Month,
    lang: Lang,
) -> CliResult {
    let Some(recorder) = place.existing()? else {
        return Err(CliError::Op(pacta_ops::OpError::MonthNotClosed {
            contract_id: contract.doc.contract.id.clone(),
            month,
        }));
    };
    let v = pacta_ops::record::verify_month(store, &recorder.db, contract, month)?;
    let c = &v.closed;
    // One fact a line: the two 64-digit hashes would not fit beside the rest.
    let bytes = pacta_core::fmt::integer(v.bytes as u64, lang);
    match lang {
        Lang::En => {
            println!(
                "{} {}: closed settlement version {} reproduces byte for byte",
                c.contract_id, c.month, c.version
            );
            println!(
                "  from store snapshot {}, contract version {}",
                c.store_snapshot, c.contract_version
            );
            println!("  settlement: {bytes} bytes, BLAKE3 {}", c.settlement_hash);
            println!("  contract: BLAKE3 {}", c.contract_hash);
            println!(
                "  closed {} by {} with pacta {}",
                c.closed_at, c.closed_by, c.pacta_version
            );
        }
        Lang::Es => {
            println!(
                "{} {}: la versión cerrada {} de la liquidación se reproduce byte a byte",
                c.contract_id, c.month, c.version
            );
            println!(
                "  desde la instantánea {} del almacén, versión de contrato {}",
                c.store_snapshot, c.contract_version
            );
            println!("  liquidación: {bytes} bytes, BLAKE3 {}", c.settlement_hash);
            println!("  contrato: BLAKE3 {}", c.contract_hash);
            println!(
                "  cerrada el {} por {} con pacta {}",
                c.closed_at, c.closed_by, c.pacta_version
            );
        }
    }
    Ok(ExitCode::SUCCESS)
}

pub fn explain(args: ExplainArgs, lang: Lang) -> CliResult {
    use std::fmt::Write;
    let (contract, month, store) = args.target.open(lang)?;
    let existing = args.records.place(&args.target.store)?.existing()?;
    let settled = pacta_ops::settle::settle(
        &store,
        existing.as_ref().map(|r| r.db.as_ref()),
        &contract,
        month,
        &Default::default(),
    )?;
    let s = &settled.settlement;
    let mut out = String::new();
    match &args.sla {
        Some(id) => {
            let Some(o) = s.slas.iter().find(|o| &o.sla_id == id) else {
                return Err(CliError::Op(pacta_ops::OpError::UnknownSla {
                    id: id.clone(),
                    known: s.slas.iter().map(|o| o.sla_id.clone()).collect(),
                }));
            };
            if let Some(path) = &args.contacts {
                let w = pacta_ops::evidence::write_contacts(
                    &store,
                    &contract,
                    month,
                    o,
                    &settled.adjustments,
                    path,
                    lang,
                )?;
                let _ = writeln!(
                    out,
                    "{} {} {}",
                    w.rows,
                    lang.pick("rows written to", "filas escritas en"),
                    path.display()
                );
            }
            let _ = writeln!(out, "{} — {} ({})", o.sla_id, o.name, s.month);
            let metric = format!("{} / {}", o.metric, o.variant);
            field(&mut out, lang.pick("metric", "métrica"), &metric);
            field(&mut out, lang.pick("formula", "fórmula"), &o.value.formula);
            let _ = writeln!(
                out,
                "{}:",
                lang.pick(
                    "inputs counted from the data",
                    "entradas contadas en los datos"
                )
            );
            let figure = |v: f64| {
                let places = if v.fract() == 0.0 { 0 } else { 2 };
                pacta_core::fmt::float(v, places, lang)
            };
            // Names line up under the longest (`outside_hours_excluded`), 14 at least.
            let name_width = o
                .value
                .inputs
                .keys()
                .map(|k| k.chars().count())
                .max()
                .unwrap_or(0)
                .max(14);
            for (k, v) in &o.value.inputs {
                let _ = writeln!(out, "  {k:<name_width$} {}", figure(*v));
            }
            let _ = writeln!(
                out,
                "  {:<name_width$} {} / {}",
                lang.pick("num / den", "num / den"),
                figure(o.value.numerator),
                figure(o.value.denominator)
            );
            if o.value.approximate {
                let _ = writeln!(
                    out,
                    "  {}",
                    lang.pick(
                        "approximate: some source fields were missing",
                        "aproximado: faltaban campos en el origen"
                    )
                );
            }
            field(
                &mut out,
                lang.pick("measured", "medido"),
                &fmt_value(o, lang),
            );
            let mut target = fmt_target(o, lang);
            if let Some(d) = &o.target_from {
                target.push_str(&format!(" ({} {d})", lang.pick("since", "desde")));
            }
            field(
                &mut out,
                lang.pick("target in force", "objetivo vigente"),
                &target,
            );
            if let Some(m) = o.minimum {
                let minimum = format!("{}{}", words::number(m, lang), unit_suffix(o.unit));
                field(&mut out, lang.pick("minimum", "mínimo"), &minimum);
            }
            if o.exclusions.is_empty() {
                let _ = writeln!(
                    out,
                    "{}",
                    lang.pick("exclusions applied: none", "exclusiones aplicadas: ninguna")
                );
            } else {
                let _ = writeln!(
                    out,
                    "{}:",
                    lang.pick("exclusions applied", "exclusiones aplicadas")
                );
                for e in &o.exclusions {
                    let mut line = format!(
                        "{} {}: {} {}",
                        words::exclusion(e.kind, lang),
                        e.reference,
                        pacta_core::fmt::integer(e.contacts_removed, lang),
                        lang.pick("contacts removed", "contactos excluidos"),
                    );
                    if let Some(detail) = exclusion_detail(&e.detail, lang) {
                        line.push_str(&format!(" — {detail}"));
                    }
                    let _ = writeln!(out, "{}", words::wrap(&line, "  ", words::WIDTH));
                }
            }
            let verdict = format!(
                "{} — {}",
                status_label(o.status, lang),
                verdict_reason(o, lang)
            );
            field(&mut out, lang.pick("verdict", "veredicto"), &verdict);
            if let Some(line) = s.credits.lines.iter().find(|l| &l.sla_id == id) {
                let credit = credit_arithmetic(&contract, s, line, lang);
                field(&mut out, lang.pick("credit", "crédito"), &credit);
            }
            if let Some(c) = s.credits.sla_credit.get(id) {
                field(
                    &mut out,
                    lang.pick("credit after caps", "crédito tras topes"),
                    &words::money(*c, &s.currency, lang),
                );
            }
        }
        None => {
            let _ = writeln!(
                out,
                "{} {} {}",
                lang.pick("Credits for", "Créditos de"),
                s.contract_id,
                s.month
            );
            out.push_str(&credit_steps(&contract, s, lang));
            let _ = writeln!(out, "{}", lang.pick("Invoice", "Factura"));
            for l in &s.invoice.lines {
                out.push_str(&row(
                    &AMOUNTS,
                    &[
                        l.item.clone(),
                        words::amount(l.amount, &s.currency, lang),
                        invoice_note(l, &s.currency, lang),
                    ],
                ));
            }
            out.push_str(&row(
                &AMOUNTS,
                &[
                    "total".to_string(),
                    words::amount(s.invoice.total, &s.currency, lang),
                    s.currency.clone(),
                ],
            ));
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// One SLA's credit before caps, as arithmetic on the contract's figures: the at-risk amount
/// × its allocation (× the tier's share when the credit is tiered), plus any fixed credit and
/// points.
fn credit_arithmetic(
    contract: &Contract,
    s: &Settlement,
    line: &pacta_terms::credits::CreditLine,
    lang: Lang,
) -> String {
    let money = |d: Decimal| words::money(d, &s.currency, lang);
    let allocation = contract
        .slas()
        .iter()
        .find(|t| t.id == line.sla_id)
        .and_then(|t| t.allocation_percent);
    let mut parts = Vec::new();
    if let Some(alloc) = allocation {
        let allocated = s.credits.at_risk * alloc / Decimal::ONE_HUNDRED;
        let mut formula = format!(
            "{} × {}",
            money(s.credits.at_risk),
            pacta_core::fmt::percent(alloc, lang)
        );
        // A tiered credit is a share of the allocation; show the share the tier gave.
        let rounded_allocated = contract.round_money(allocated);
        if !allocated.is_zero() && rounded_allocated != line.allocation_credit {
            let tier = (line.allocation_credit * Decimal::ONE_HUNDRED / allocated).round_dp(2);
            formula.push_str(&format!(
                " × {} {}",
                lang.pick("tier", "tramo"),
                pacta_core::fmt::percent(tier, lang)
            ));
        }
        formula.push_str(&format!(" = {}", money(line.allocation_credit)));
        parts.push(formula);
    }
    if !line.fixed_credit.is_zero() {
        parts.push(format!(
            "{} {}",
            lang.pick("fixed credit", "crédito fijo"),
            money(line.fixed_credit)
        ));
    }
    if line.points > 0 {
        parts.push(format!("{} {}", line.points, lang.pick("points", "puntos")));
    }
    if parts.is_empty() {
        parts.push(lang.pick("no credit", "sin crédito").to_string());
    }
    format!(
        "{} — {}",
        status_label(line.status, lang),
        parts.join(" + ")
    )
}

/// The month's credits step by step, from the settlement's figures: at risk, each SLA's
/// credit, the caps, earn-backs, bonuses and chronic triggers.
fn credit_steps(contract: &Contract, s: &Settlement, lang: Lang) -> String {
    use std::fmt::Write;
    let c = &s.credits;
    let money = |d: Decimal| words::money(d, &s.currency, lang);
    let mut out = String::new();
    let mut step = |text: String| {
        let _ = writeln!(out, "{}", words::wrap(&text, "  ", words::WIDTH));
    };
    if let Some(cr) = &contract.doc.credits {
        step(format!(
            "{} = {} × {} = {}",
            lang.pick("at-risk amount", "monto en riesgo"),
            money(c.charges),
            pacta_core::fmt::percent(cr.at_risk_percent, lang),
            money(c.at_risk)
        ));
    }
    for line in &c.lines {
        step(format!(
            "{}: {}",
            line.sla_id,
            credit_arithmetic(contract, s, line, lang)
        ));
    }
    if !c.points_credit.is_zero() {
        step(format!(
            "{}: {}",
            lang.pick("credit from points", "crédito por puntos"),
            money(c.points_credit)
        ));
    }
    step(format!(
        "{} {}; {} {} → {}",
        lang.pick("gross credits", "créditos brutos"),
        money(c.gross),
        lang.pick("monthly cap", "tope mensual"),
        money(c.monthly_cap),
        money(c.gross.min(c.monthly_cap))
    ));
    if let Some(room) = c.rolling_room {
        step(format!(
            "{}: {}",
            lang.pick(
                "room under the 12-month rolling cap",
                "margen bajo el tope móvil de 12 meses"
            ),
            money(room)
        ));
    }
    step(format!(
        "{}: {}",
        lang.pick("credit due", "crédito debido"),
        money(c.credit)
    ));
    for e in &c.earn_backs {
        step(format!(
            "{} {} ({}): {} {}",
            lang.pick("earn-back", "recuperación"),
            e.sla_id,
            e.from_month,
            money(e.amount),
            lang.pick("returned to the provider", "devuelto al proveedor")
        ));
    }
    for b in &c.bonuses {
        step(format!(
            "{} {}: {}",
            lang.pick("bonus earned", "bono ganado"),
            b.bonus_id,
            money(b.amount)
        ));
    }
    if let Some(p) = &c.bonus_pool {
        step(format!(
            "{}: {} → {} ({} {})",
            lang.pick("bonus pool", "fondo de bonos"),
            money(p.opening),
            money(p.closing),
            lang.pick("paid", "pagado"),
            money(p.paid)
        ));
    }
    for ch in &c.chronic {
        let mut text = format!(
            "{} {} {} {}: {}",
            lang.pick("chronic trigger", "disparador crónico"),
            ch.trigger_id,
            lang.pick("fired on", "activado en"),
            ch.sla_id,
            words::remedy(ch.remedy, lang)
        );
        if !ch.credit.is_zero() {
            text.push_str(&format!(" {}", money(ch.credit)));
        }
        if let Some(why) = words::chronic_why(&ch.explanation, lang) {
            text.push_str(&format!(" ({why})"));
        }
        step(text);
    }
    step(format!(
        "{}: {}",
        lang.pick("net to the client", "neto al cliente"),
        money(c.net_to_client())
    ));
    out
}

/// How an invoice line was computed, in the reader's language: its kind and, for charges by
/// the unit, quantity × rate.
fn invoice_note(l: &pacta_terms::pricing::InvoiceLine, currency: &str, lang: Lang) -> String {
    use pacta_terms::pricing::LineKind;
    let kind = words::line_kind(l.kind, lang);
    match l.kind {
        LineKind::Service | LineKind::ShiftPremium if l.unit != "month" => format!(
            "{kind}: {} {} × {}",
            words::number(l.quantity, lang),
            unit_word(&l.unit, lang),
            words::rate(l.rate, currency, lang)
        ),
        _ => kind.to_string(),
    }
}

/// Who declared an accepted incident and the window its contacts arrived in, in the reader's
/// language, read from the settlement's detail (`outage incident X declared by provider,
/// accepted; contacts arriving A – B in q removed`); English details of another shape are
/// shown as they are, and left out of Spanish output rather than shown untranslated.
fn exclusion_detail(detail: &str, lang: Lang) -> Option<String> {
    let declared = detail
        .split_once("declared by ")
        .and_then(|(_, rest)| rest.split_once(", accepted"))
        .map(|(who, _)| who);
    let window = detail
        .split_once("contacts arriving ")
        .and_then(|(_, rest)| rest.strip_suffix(" removed"));
    match (declared, window) {
        (Some(who), Some(window)) => {
            let who = match (who, lang) {
                ("provider", Lang::Es) => "el proveedor".to_string(),
                ("client", Lang::Es) => "el cliente".to_string(),
                (other, Lang::Es) => other.replacen("dispute", "la disputa", 1),
                (other, Lang::En) => other.to_string(),
            };
            let window = match lang {
                Lang::En => window.to_string(),
                Lang::Es => window.replacen(" in ", " en ", 1),
            };
            Some(match lang {
                Lang::En => format!("declared by {who}, contacts arriving {window}"),
                Lang::Es => format!("declarado por {who}, contactos llegados {window}"),
            })
        }
        _ => (lang == Lang::En).then(|| detail.to_string()),
    }
}
