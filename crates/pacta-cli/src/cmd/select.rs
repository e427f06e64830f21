//! `pacta select`: rank candidate providers on weighted criteria with knock-outs and a
//! sensitivity analysis, price their proposals over the term, compare pilots.

use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use pacta_contract::Lang;
use pacta_select::{SelectionOutcome, pilot};

use super::{CliError, CliResult, read_file, write_file};
use pacta_core::text_table::{Column, row};

/// Output format of `select`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SelectFormat {
    /// Ranking, costs and pilots as text.
    #[value(alias = "text")]
    Table,
    /// The whole report as JSON.
    Json,
}

#[derive(Args)]
pub struct SelectArgs {
    /// The evaluation file (TOML; see examples/selection/).
    file: PathBuf,
    /// Pilot results to compare: CSV candidate,metric and successes,trials or mean,sd,n.
    #[arg(long, value_name = "CSV")]
    pilot: Option<PathBuf>,
    /// Output format.
    #[arg(long, value_enum, default_value = "table")]
    format: SelectFormat,
    /// Also write an HTML page (ranking, cost over the term, criteria chart).
    #[arg(long, value_name = "FILE")]
    html: Option<PathBuf>,
}

pub fn run(args: SelectArgs, lang: Lang) -> CliResult {
    let bytes = read_file(&args.file)?;
    let text = String::from_utf8_lossy(&bytes);
    let name = args.file.display().to_string();
    let eval = pacta_select::parse(&text).map_err(|errors| {
        let mut out = String::new();
        for e in &errors {
            let src = text.lines().nth(e.line.saturating_sub(1)).unwrap_or("");
            let _ = writeln!(
                out,
                "{name}:{}:{}: {}\n  {src}\n  {}^",
                e.line,
                e.col,
                e.message,
                " ".repeat(e.col.saturating_sub(1))
            );
        }
        let _ = write!(
            out,
            "{} {}",
            errors.len(),
            lang.pick(
                "problem(s); nothing evaluated",
                "problema(s); no se evaluó nada"
            )
        );
        CliError::Invalid(out)
    })?;
    let rows = match &args.pilot {
        Some(p) => {
            let bytes = read_file(p)?;
            pilot::parse(&String::from_utf8_lossy(&bytes)).map_err(|e| {
                use pacta_core::Localized;
                CliError::Invalid(format!("{}: {}", p.display(), e.message(lang)))
            })?
        }
        None => Vec::new(),
    };
    let report = pacta_select::evaluate(&eval, &rows).map_err(CliError::lib)?;
    for w in &report.warnings {
        eprintln!("{} {w}", lang.pick("warning:", "aviso:"));
    }
    match args.format {
        SelectFormat::Json => println!("{}", super::to_json(&report)?),
        SelectFormat::Table => print!("{}", table(&report, lang)),
    }
    if let Some(p) = &args.html {
        write_file(p, pacta_report::selection_html(&report, lang).as_bytes())?;
        eprintln!(
            "{} {}",
            lang.pick("page written to", "página escrita en"),
            p.display()
        );
    }
    Ok(ExitCode::SUCCESS)
}

/// Whole currency units, grouped the reader's way (the contract documents' formatting).
fn money(d: rust_decimal::Decimal, lang: Lang) -> String {
    pacta_core::fmt::fixed(d, 0, lang)
}

/// The text report.
/// Criteria: id, weight in percent, name.
const CRITERIA: [Column; 3] = [
    Column::left("  ", 14),
    Column::right(" ", 6),
    Column::rest(" %  "),
];

/// Ranking: place, candidate id, score, name.
const RANKING: [Column; 4] = [
    Column::left("  ", 4),
    Column::left(" ", 12),
    Column::right(" ", 5),
    Column::rest("  "),
];

/// Sensitivity: criterion, weight, the change up and the change down that flip the winner.
const SENSITIVITY: [Column; 4] = [
    Column::left("  ", 14),
    Column::right(" ", 6),
    Column::left(" %   ↑ ", 22),
    Column::rest(" ↓ "),
];

/// Total cost: candidate, total, one-time costs, cost per contact.
const COSTS: [Column; 5] = [
    Column::left("  ", 12),
    Column::right(" ", 16),
    Column::rest("   "),
    Column::right(" ", 12),
    Column::rest("   "),
];

pub fn table(r: &SelectionOutcome, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", r.title, r.client);
    let method = match &r.weights {
        pacta_select::model::WeightMethod::Direct { .. } => {
            lang.pick("direct weights", "pesos directos").to_string()
        }
        pacta_select::model::WeightMethod::Equal => {
            lang.pick("equal weights", "pesos iguales").to_string()
        }
        pacta_select::model::WeightMethod::Ahp(a) => format!(
            "AHP, λmax {}, {} {}",
            pacta_core::fmt::float(a.lambda_max, 3, lang),
            lang.pick("consistency ratio", "razón de consistencia"),
            a.consistency_ratio
                .map_or("—".into(), |c| pacta_core::fmt::float(c, 3, lang))
        ),
    };
    let _ = writeln!(out, "{}: {method}", lang.pick("Criteria", "Criterios"));
    for c in &r.criteria {
        out.push_str(&row(
            &CRITERIA,
            &[
                c.id.clone(),
                pacta_core::fmt::float(c.weight * 100.0, 1, lang),
                c.name.clone(),
            ],
        ));
    }
    let _ = writeln!(
        out,
        "\n{} (1–{})",
        lang.pick("Ranking", "Clasificación"),
        r.scale
    );
    for c in &r.ranking {
        let place = match (c.rank, c.tied) {
            (Some(n), false) => format!("{n}."),
            (Some(n), true) => format!("{n}= "),
            (None, _) => "—".into(),
        };
        out.push_str(&row(
            &RANKING,
            &[
                place,
                c.id.clone(),
                pacta_core::fmt::float(c.score, 2, lang),
                c.name.clone(),
            ],
        ));
        for k in &c.knocked_out {
            let _ = writeln!(
                out,
                "         {}: {} ({})",
                lang.pick("KNOCKED OUT", "DESCARTADO"),
                k.description,
                k.found
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{}",
        lang.pick(
            "Sensitivity (weight change that changes the winner)",
            "Sensibilidad (cambio de peso que cambia al ganador)"
        )
    );
    for s in &r.sensitivity {
        let f = |x: &Option<(f64, String)>, sign: &str| {
            x.as_ref()
                .map_or(lang.pick("none", "ninguno").to_string(), |(d, who)| {
                    format!(
                        "{sign}{} {} → {who}",
                        pacta_core::fmt::float(d * 100.0, 1, lang),
                        lang.pick("pts", "p. p.")
                    )
                })
        };
        out.push_str(&row(
            &SENSITIVITY,
            &[
                s.criterion.clone(),
                pacta_core::fmt::float(s.weight * 100.0, 1, lang),
                f(&s.up, "+"),
                f(&s.down, "−"),
            ],
        ));
    }
    if !r.costs.is_empty() {
        let months = r.costs.first().map_or(0, |c| c.monthly.len());
        let _ = writeln!(
            out,
            "\n{} ({} {}, {})",
            lang.pick("Total cost", "Costo total"),
            months,
            lang.pick("months", "meses"),
            r.currency
        );
        for c in &r.costs {
            out.push_str(&row(
                &COSTS,
                &[
                    c.candidate.clone(),
                    money(c.total, lang),
                    lang.pick("one-time", "únicos").to_string(),
                    money(c.one_time, lang),
                    format!(
                        "{} {}",
                        lang.pick("per contact", "por contacto"),
                        pacta_core::fmt::fixed(c.per_contact, 3, lang)
                    ),
                ],
            ));
            if !c.risks.is_empty() {
                let _ = writeln!(
                    out,
                    "    {}:",
                    lang.pick("hidden-cost risks", "riesgos de costo oculto")
                );
            }
            for risk in &c.risks {
                let _ = writeln!(out, "      - {}", risk.describe(lang));
            }
        }
        for b in &r.break_evens {
            let _ = writeln!(
                out,
                "  {} {} / {}: {}\n    {} {}",
                lang.pick("break-even", "punto de equilibrio"),
                b.a,
                b.b,
                if b.volumes.is_empty() {
                    lang.pick(
                        "none between 5 % and 500 % of the forecast",
                        "ninguno entre 5 % y 500 % del pronóstico",
                    )
                    .to_string()
                } else {
                    b.volumes
                        .iter()
                        .map(|v| {
                            format!(
                                "{} {}",
                                pacta_core::fmt::float(*v, 0, lang),
                                lang.pick("contacts/month", "contactos/mes")
                            )
                        })
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                lang.pick("cheaper at the forecast:", "más barato con el pronóstico:"),
                b.cheaper_at_forecast
            );
        }
    }
    if !r.pilot.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            lang.pick(
                "Pilot (95 % interval of the difference)",
                "Piloto (intervalo del 95 % de la diferencia)"
            )
        );
        for p in &r.pilot {
            // Two lines per pair, so the interval fits 100 columns.
            let _ = writeln!(
                out,
                "  {:<18} {} − {}: {} − {} = {}",
                p.metric,
                p.a,
                p.b,
                p.format_value(p.value_a, lang),
                p.format_value(p.value_b, lang),
                p.format_difference(p.difference, lang),
            );
            let _ = writeln!(
                out,
                "  {:<18} [{}, {}]  {}",
                "",
                p.format_difference(p.low, lang),
                p.format_difference(p.high, lang),
                p.verdict(lang)
            );
        }
    }
    out
}
