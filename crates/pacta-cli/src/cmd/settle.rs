//! `pacta settle`, `pacta explain` and `pacta demo`: a month of data turned into verdicts,
//! credits, the invoice and the report.
//!
//! Settlements are kept in the store directory under
//! `settlements/<contract id>/<YYYY-MM>.json` (the full settlement) and
//! `<YYYY-MM>.record.json` (what the month leaves for later months: charges, credits, statuses,
//! bonus pool). Settling a month again overwrites its files; later months read the records.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use pacta_contract::{Contract, Lang};

use pacta_settle::Settlement;
use pacta_terms::Status;
use pacta_terms::credits::MonthRecord;
use pacta_terms::reconcile::VendorLine;
use rust_decimal::Decimal;

use super::args::ContractMonth;
use super::{CliError, CliResult, write_file};
use crate::text::t;

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
}

#[derive(Args)]
pub struct ExplainArgs {
    #[command(flatten)]
    target: ContractMonth,
    /// SLA id to explain (omit to explain the credits and the invoice).
    sla: Option<String>,
}

fn read_vendor_invoice(path: &Path, lang: Lang) -> Result<Vec<VendorLine>, CliError> {
    let bytes = super::read_file(path)?;
    let mut rdr = csv::ReaderBuilder::new()
        .trim(csv::Trim::All)
        .from_reader(bytes.as_slice());
    let headers = rdr
        .headers()
        .map_err(|e| CliError::Other(format!("{}: {e}", path.display())))?
        .clone();
    let col = |name: &str| -> Result<usize, CliError> {
        headers.iter().position(|h| h == name).ok_or_else(|| {
            CliError::Other(match lang {
                Lang::En => format!(
                    "{}:1: missing column `{name}` (need item, quantity, rate, amount)",
                    path.display()
                ),
                Lang::Es => format!(
                    "{}:1: falta la columna `{name}` (se necesitan item, quantity, rate, amount)",
                    path.display()
                ),
            })
        })
    };
    let (ci, cq, cr, ca) = (col("item")?, col("quantity")?, col("rate")?, col("amount")?);
    let mut lines = Vec::new();
    for (n, rec) in rdr.records().enumerate() {
        let row = n + 2;
        let rec = rec.map_err(|e| CliError::Other(format!("{}:{row}: {e}", path.display())))?;
        let num = |c: usize, name: &str| -> Result<Decimal, CliError> {
            let raw = rec.get(c).unwrap_or("");
            raw.parse::<Decimal>().map_err(|_| {
                CliError::Other(match lang {
                    Lang::En => format!(
                        "{}:{row}:{}: `{raw}` in column `{name}` is not a decimal number",
                        path.display(),
                        c + 1
                    ),
                    Lang::Es => format!(
                        "{}:{row}:{}: `{raw}` en la columna `{name}` no es un número decimal",
                        path.display(),
                        c + 1
                    ),
                })
            })
        };
        lines.push(VendorLine {
            item: rec.get(ci).unwrap_or("").to_string(),
            quantity: num(cq, "quantity")?,
            rate: num(cr, "rate")?,
            amount: num(ca, "amount")?,
        });
    }
    Ok(lines)
}

pub fn status_label(s: Status, lang: Lang) -> &'static str {
    match (s, lang) {
        (Status::Met, Lang::En) => "met",
        (Status::Missed, Lang::En) => "MISSED",
        (Status::BelowMinimum, Lang::En) => "BELOW MINIMUM",
        (Status::Excused, Lang::En) => "excused",
        (Status::Met, Lang::Es) => "cumplido",
        (Status::Missed, Lang::Es) => "INCUMPLIDO",
        (Status::BelowMinimum, Lang::Es) => "BAJO EL MÍNIMO",
        (Status::Excused, Lang::Es) => "eximido",
    }
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
        t(lang, "Settlement", "Liquidación"),
        s.contract_id,
        s.month,
        s.rows.in_month,
        t(lang, "contacts in the month", "contactos en el mes"),
        s.rows.outside_hours,
        t(lang, "outside hours", "fuera de horario")
    );
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{:<16} {:<10} {:>14} {:>18}  {}",
        "SLA",
        t(lang, "class", "clase"),
        t(lang, "measured", "medido"),
        t(lang, "target", "objetivo"),
        t(lang, "status", "estado")
    );
    for o in &s.slas {
        let _ = writeln!(
            out,
            "{:<16} {:<10} {:>14} {:>18}  {}{}",
            o.sla_id,
            format!("{:?}", o.class).to_lowercase(),
            fmt_value(o),
            fmt_target(o),
            status_label(o.status, lang),
            if o.exclusions.is_empty() {
                String::new()
            } else {
                format!(
                    "  ({} {})",
                    o.exclusions.len(),
                    t(lang, "exclusion(s)", "exclusión(es)")
                )
            }
        );
    }
    let c = &s.credits;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}: {} {} · {}: {} · {}: {} · {}: {}",
        t(lang, "Service charges", "Cargos de servicio"),
        s.invoice.service_charges,
        s.currency,
        t(lang, "credits before caps", "créditos antes de topes"),
        c.gross,
        t(lang, "credit due", "crédito debido"),
        c.credit,
        t(lang, "net to client", "neto al cliente"),
        c.net_to_client()
    );
    for b in &c.bonuses {
        let _ = writeln!(
            out,
            "  {} {}: {}",
            t(lang, "bonus", "bono"),
            b.bonus_id,
            b.amount
        );
    }
    for ch in &c.chronic {
        let _ = writeln!(
            out,
            "  {} {} ({}): {}",
            t(lang, "chronic trigger", "disparador crónico"),
            ch.trigger_id,
            ch.sla_id,
            ch.explanation
        );
    }
    let _ = writeln!(out);
    let _ = writeln!(out, "{}", t(lang, "Invoice", "Factura"));
    for l in &s.invoice.lines {
        let _ = writeln!(
            out,
            "  {:<28} {:>12} {:<16} × {:>10} = {:>14}",
            l.item, l.quantity, l.unit, l.rate, l.amount
        );
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
                t(lang, "net of", "neto de"),
                previous_month(&s.month),
                t(
                    lang,
                    "(credits are netted on the next invoice: payment terms)",
                    "(los créditos se compensan en la factura siguiente: condiciones de pago)"
                )
            );
        }
    }
    let _ = writeln!(
        out,
        "  {:<28} {:>60}",
        t(lang, "total", "total"),
        format!("{} {}", s.invoice.total, s.currency)
    );
    if let Some(r) = &s.reconciliation {
        let _ = writeln!(out);
        let _ = writeln!(
            out,
            "{}: {} {} · {} {} · {} {}",
            t(lang, "Vendor invoice", "Factura del proveedor"),
            r.invoiced_total,
            s.currency,
            t(lang, "expected", "esperado"),
            r.expected_total,
            t(lang, "difference", "diferencia"),
            r.difference
        );
        for d in &r.discrepancies {
            let _ = writeln!(
                out,
                "  {:<28} {:<12} {} {} · {} {} · {} {}",
                d.item,
                format!("{:?}", d.kind).to_lowercase(),
                t(lang, "expected", "esperado"),
                d.expected.map(|x| x.to_string()).unwrap_or("—".into()),
                t(lang, "invoiced", "facturado"),
                d.invoiced.map(|x| x.to_string()).unwrap_or("—".into()),
                t(lang, "difference", "diferencia"),
                d.difference
            );
        }
    }
    out
}

pub fn settle(args: SettleArgs, lang: Lang) -> CliResult {
    let (contract, month, store) = args.target.open(lang)?;
    let vendor = match &args.vendor_invoice {
        Some(p) => Some(read_vendor_invoice(p, lang)?),
        None => None,
    };
    let options = pacta_ops::settle::SettleOptions {
        vendor_invoice: vendor.as_deref(),
    };
    let outcome = pacta_ops::settle::settle(&store, &contract, month, &options)?;
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
    if !args.no_save {
        pacta_ops::settle::save(&store, &contract, &s)?;
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
            t(lang, "report written to", "informe escrito en"),
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

pub fn explain(args: ExplainArgs, lang: Lang) -> CliResult {
    use std::fmt::Write;
    let (contract, month, store) = args.target.open(lang)?;
    let s = pacta_ops::settle::settle(&store, &contract, month, &Default::default())?.settlement;
    let mut out = String::new();
    match &args.sla {
        Some(id) => {
            let Some(o) = s.slas.iter().find(|o| &o.sla_id == id) else {
                return Err(CliError::Op(pacta_ops::OpError::UnknownSla {
                    id: id.clone(),
                    known: s.slas.iter().map(|o| o.sla_id.clone()).collect(),
                }));
            };
            let _ = writeln!(out, "{} — {} ({})", o.sla_id, o.name, s.month);
            let _ = writeln!(
                out,
                "{}: {} / {}",
                t(lang, "metric", "métrica"),
                o.metric,
                o.variant
            );
            let _ = writeln!(
                out,
                "{}: {}",
                t(lang, "formula", "fórmula"),
                o.value.formula
            );
            let _ = writeln!(
                out,
                "{}:",
                t(
                    lang,
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
                t(lang, "num / den", "num / den"),
                o.value.numerator,
                o.value.denominator
            );
            if o.value.approximate {
                let _ = writeln!(
                    out,
                    "  {}",
                    t(
                        lang,
                        "approximate: some source fields were missing",
                        "aproximado: faltaban campos en el origen"
                    )
                );
            }
            let _ = writeln!(out, "{}: {}", t(lang, "measured", "medido"), fmt_value(o));
            let _ = writeln!(
                out,
                "{}: {}{}",
                t(lang, "target in force", "objetivo vigente"),
                fmt_target(o),
                o.target_from
                    .as_ref()
                    .map(|d| format!(" ({} {d})", t(lang, "since", "desde")))
                    .unwrap_or_default()
            );
            if let Some(m) = o.minimum {
                let _ = writeln!(out, "{}: {m}", t(lang, "minimum", "mínimo"));
            }
            if o.exclusions.is_empty() {
                let _ = writeln!(
                    out,
                    "{}",
                    t(
                        lang,
                        "exclusions applied: none",
                        "exclusiones aplicadas: ninguna"
                    )
                );
            } else {
                let _ = writeln!(
                    out,
                    "{}:",
                    t(lang, "exclusions applied", "exclusiones aplicadas")
                );
                for e in &o.exclusions {
                    let _ = writeln!(
                        out,
                        "  {:?} {}: {} {} — {}",
                        e.kind,
                        e.reference,
                        e.contacts_removed,
                        t(lang, "contacts removed", "contactos excluidos"),
                        e.detail
                    );
                }
            }
            let _ = writeln!(
                out,
                "{}: {} — {}",
                t(lang, "verdict", "veredicto"),
                status_label(o.status, lang),
                o.reasoning
            );
            if let Some(line) = s.credits.lines.iter().find(|l| &l.sla_id == id) {
                let _ = writeln!(
                    out,
                    "{}: {}",
                    t(lang, "credit", "crédito"),
                    line.explanation
                );
            }
            if let Some(c) = s.credits.sla_credit.get(id) {
                let _ = writeln!(
                    out,
                    "{}: {c} {}",
                    t(lang, "credit after caps", "crédito tras topes"),
                    s.currency
                );
            }
        }
        None => {
            let _ = writeln!(
                out,
                "{} {} {}",
                t(lang, "Credits for", "Créditos de"),
                s.contract_id,
                s.month
            );
            for step in &s.credits.steps {
                let _ = writeln!(out, "  {step}");
            }
            let _ = writeln!(out, "{}", t(lang, "Invoice", "Factura"));
            for l in &s.invoice.lines {
                let _ = writeln!(out, "  {:<28} {:>14}  {}", l.item, l.amount, l.note);
            }
            let _ = writeln!(out, "  {:<28} {:>14}", "total", s.invoice.total);
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}
