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
use pacta_core::text_table::{Column, row};

/// Output format of `settle`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SettleFormat {
    /// Terminal scorecard.
    Table,
    /// The full settlement as JSON (schema: docs/settlement-json.md).
    Json,
    /// Markdown report.
    Markdown,
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
const INVOICE: [Column; 5] = [
    Column::left("  ", 28),
    Column::right(" ", 12),
    Column::left(" ", 16),
    Column::right(" × ", 10),
    Column::right(" = ", 14),
];

/// The invoice's total, under its amounts.
const INVOICE_TOTAL: [Column; 2] = [Column::left("  ", 28), Column::right(" ", 60)];

/// The reconciliation: item, kind of discrepancy, the figures.
const DISCREPANCIES: [Column; 3] = [
    Column::left("  ", 28),
    Column::left(" ", 12),
    Column::rest(" "),
];

/// The invoice as `explain` shows it: item, amount and how it was computed.
const AMOUNTS: [Column; 3] = [
    Column::left("  ", 28),
    Column::right(" ", 14),
    Column::rest("  "),
];

pub fn status_label(s: Status, lang: Lang) -> &'static str {
    s.label(lang)
}

/// A measured value in its unit, for terminal tables (`82.68 %`, `10.3 s`); `—` for no data.
pub fn unit_value(value: Option<f64>, unit: pacta_contract::metrics::Unit) -> String {
    use pacta_contract::metrics::Unit;
    match value {
        None => "—".into(),
        Some(v) => match unit {
            Unit::Percent => format!("{v:.2} %"),
            Unit::Seconds => format!("{v:.1} s"),
            Unit::Hours => format!("{v:.1} h"),
            Unit::Score => format!("{v:.2}"),
            Unit::Count => format!("{v:.0}"),
        },
    }
}

fn fmt_value(o: &pacta_settle::month::SlaOutcome) -> String {
    unit_value(o.value.value, o.unit)
}

fn fmt_target(o: &pacta_settle::month::SlaOutcome) -> String {
    let sign = if o.direction == pacta_contract::metrics::Direction::HigherIsBetter {
        "≥"
    } else {
        "≤"
    };
    match (&o.expected, o.periods) {
        (None, _) => "—".into(),
        (Some(e), Some(_)) => format!(
            "{sign} {e} in {} %",
            o.required_share.unwrap_or(Decimal::ONE_HUNDRED)
        ),
        (Some(e), None) => format!("{sign} {e}"),
    }
}

/// The terminal scorecard.
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

pub fn scorecard(s: &Settlement, lang: Lang) -> String {
    use std::fmt::Write;
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} · {} · {} {} ({} {})",
        lang.pick("Settlement", "Liquidación"),
        s.contract_id,
        s.month,
        s.rows.in_month,
        lang.pick("contacts in the month", "contactos en el mes"),
        s.rows.outside_hours,
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
                format!("{:?}", o.class).to_lowercase(),
                fmt_value(o),
                fmt_target(o),
                status,
            ],
        ));
    }
    let c = &s.credits;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}: {} {} · {}: {} · {}: {} · {}: {}",
        lang.pick("Service charges", "Cargos de servicio"),
        s.invoice.service_charges,
        s.currency,
        lang.pick("credits before caps", "créditos antes de topes"),
        c.gross,
        lang.pick("credit due", "crédito debido"),
        c.credit,
        lang.pick("net to client", "neto al cliente"),
        c.net_to_client()
    );
    for b in &c.bonuses {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            lang.pick("bonus", "bono"),
            b.bonus_id,
            b.amount
        );
    }
    for ch in &c.chronic {
        let _ = writeln!(
            out,
            "  {} {} ({}): {}",
            lang.pick("chronic trigger", "disparador crónico"),
            ch.trigger_id,
            ch.sla_id,
            ch.explanation
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", lang.pick("Invoice", "Factura"));
    for l in &s.invoice.lines {
        out.push_str(&row(
            &INVOICE,
            &[
                l.item.clone(),
                l.quantity.to_string(),
                l.unit.to_string(),
                l.rate.to_string(),
                l.amount.to_string(),
            ],
        ));
        // Under the default payment terms the credit line is last month's net, not the
        // credit computed above: say so, or the two figures look like a mistake.
        if matches!(
            l.kind,
            pacta_terms::pricing::LineKind::Credit | pacta_terms::pricing::LineKind::Bonus
        ) && s.credits_netted == pacta_contract::CreditNetting::NextInvoice
        {
            let _ = writeln!(
                out,
                "  {:<28} ↳ {} {} {}",
                "",
                lang.pick("net of", "neto de"),
                previous_month(&s.month),
                lang.pick(
                    "(credits are netted on the next invoice: payment terms)",
                    "(los créditos se compensan en la factura siguiente: condiciones de pago)"
                )
            );
        }
    }
    let total = format!("{} {}", s.invoice.total, s.currency);
    out.push_str(&row(&INVOICE_TOTAL, &[lang.pick("total", "total"), &total]));
    if let Some(r) = &s.reconciliation {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}: {} {} · {} {} · {} {}",
            lang.pick("Vendor invoice", "Factura del proveedor"),
            r.invoiced_total,
            s.currency,
            lang.pick("expected", "esperado"),
            r.expected_total,
            lang.pick("difference", "diferencia"),
            r.difference
        );
        for d in &r.discrepancies {
            let shown = |v: Option<Decimal>| v.map_or_else(|| "—".to_string(), |x| x.to_string());
            let figures = format!(
                "{} {} · {} {} · {} {}",
                lang.pick("expected", "esperado"),
                shown(d.expected),
                lang.pick("invoiced", "facturado"),
                shown(d.invoiced),
                lang.pick("difference", "diferencia"),
                d.difference
            );
            out.push_str(&row(
                &DISCREPANCIES,
                &[
                    d.item.clone(),
                    format!("{:?}", d.kind).to_lowercase(),
                    figures,
                ],
            ));
        }
    }
    out
}

pub fn settle(args: SettleArgs, lang: Lang) -> CliResult {
    let (contract, month, store) = args.target.open(lang)?;
    let place = args.records.place(&args.target.store)?;
    if args.verify {
        return verify(&store, &place, &contract, month, lang);
    }
    let vendor = match &args.vendor_invoice {
        Some(p) => Some(pacta_ops::vendor_invoice::read(p)?),
        None => None,
    };
    let options = pacta_ops::settle::SettleOptions {
        vendor_invoice: vendor.as_deref(),
        allow_empty: args.allow_empty,
        adjustments: None,
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
            match lang {
                Lang::En => format!(
                    "saved {} {} as version {} (provisional until pacta month close)",
                    saved.contract_id, saved.month, saved.version
                ),
                Lang::Es => format!(
                    "guardada {} {} como versión {} (provisional hasta pacta month close)",
                    saved.contract_id, saved.month, saved.version
                ),
            }
        );
        done.outcome
    };
    let (s, history) = (outcome.settlement, outcome.history);
    if s.rows.in_month == 0 {
        eprintln!(
            "{}",
            match lang {
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
            }
        );
    }
    match args.format {
        SettleFormat::Table => print!("{}", scorecard(&s, lang)),
        SettleFormat::Json => println!("{}", super::to_json(&s)?),
        SettleFormat::Markdown => print!("{}", markdown_report(&contract, &s, &history, lang)?),
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
            match lang {
                Lang::En => format!(
                    "note: FCR looks {days} days past each contact and the store has no data after {}; contacts of the last {days} days count as resolved until next month is imported and the month is settled again",
                    s.month
                ),
                Lang::Es => format!(
                    "nota: la FCR mira {days} días después de cada contacto y el almacén no tiene datos posteriores a {}; los contactos de los últimos {days} días cuentan como resueltos hasta importar el mes siguiente y volver a liquidar",
                    s.month
                ),
            }
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

/// One `label: value` line of an explanation.
fn field(out: &mut String, label: &str, value: &str) {
    out.push_str(label);
    out.push_str(": ");
    out.push_str(value);
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
    println!(
        "{}",
        match lang {
            Lang::En => format!(
                "{} {}: closed settlement version {} reproduces byte for byte ({} bytes, BLAKE3 {}) from store snapshot {}, contract version {} (BLAKE3 {}), closed {} by {} with pacta {}",
                c.contract_id,
                c.month,
                c.version,
                v.bytes,
                c.settlement_hash,
                c.store_snapshot,
                c.contract_version,
                c.contract_hash,
                c.closed_at,
                c.closed_by,
                c.pacta_version
            ),
            Lang::Es => format!(
                "{} {}: la versión cerrada {} de la liquidación se reproduce byte a byte ({} bytes, BLAKE3 {}) desde la instantánea {} del almacén, versión de contrato {} (BLAKE3 {}), cerrada el {} por {} con pacta {}",
                c.contract_id,
                c.month,
                c.version,
                v.bytes,
                c.settlement_hash,
                c.store_snapshot,
                c.contract_version,
                c.contract_hash,
                c.closed_at,
                c.closed_by,
                c.pacta_version
            ),
        }
    );
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
            for (k, v) in &o.value.inputs {
                let _ = writeln!(out, "  {k:<14} {v}");
            }
            let _ = writeln!(
                out,
                "  {:<14} {} / {}",
                lang.pick("num / den", "num / den"),
                o.value.numerator,
                o.value.denominator
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
            field(&mut out, lang.pick("measured", "medido"), &fmt_value(o));
            let mut target = fmt_target(o);
            if let Some(d) = &o.target_from {
                target.push_str(&format!(" ({} {d})", lang.pick("since", "desde")));
            }
            field(
                &mut out,
                lang.pick("target in force", "objetivo vigente"),
                &target,
            );
            if let Some(m) = o.minimum {
                field(&mut out, lang.pick("minimum", "mínimo"), &m.to_string());
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
                    let _ = writeln!(
                        out,
                        "  {:?} {}: {} {} — {}",
                        e.kind,
                        e.reference,
                        e.contacts_removed,
                        lang.pick("contacts removed", "contactos excluidos"),
                        e.detail
                    );
                }
            }
            let verdict = format!("{} — {}", status_label(o.status, lang), o.reasoning);
            field(&mut out, lang.pick("verdict", "veredicto"), &verdict);
            if let Some(line) = s.credits.lines.iter().find(|l| &l.sla_id == id) {
                field(&mut out, lang.pick("credit", "crédito"), &line.explanation);
            }
            if let Some(c) = s.credits.sla_credit.get(id) {
                let after_caps = format!("{c} {}", s.currency);
                field(
                    &mut out,
                    lang.pick("credit after caps", "crédito tras topes"),
                    &after_caps,
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
            for step in &s.credits.steps {
                let _ = writeln!(out, "  {step}");
            }
            let _ = writeln!(out, "{}", lang.pick("Invoice", "Factura"));
            for l in &s.invoice.lines {
                out.push_str(&row(
                    &AMOUNTS,
                    &[l.item.clone(), l.amount.to_string(), l.note.clone()],
                ));
            }
            out.push_str(&row(
                &AMOUNTS,
                &["total".to_string(), s.invoice.total.to_string()],
            ));
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
