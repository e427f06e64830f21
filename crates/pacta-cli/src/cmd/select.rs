//! `pacta select`: rank candidate providers on weighted criteria with knock-outs and a
//! sensitivity analysis, price their proposals over the term, compare pilots.

use std::collections::BTreeMap;
use std::fmt::Write;
use std::path::PathBuf;
use std::process::ExitCode;

use clap::{Args, ValueEnum};
use pacta_contract::Lang;
use pacta_select::{Report, pilot};
use rust_decimal::prelude::ToPrimitive;

use super::{CliError, CliResult, read_file, write_file};
use crate::text::t;

/// Output format of `select`.
#[derive(Clone, Copy, ValueEnum, PartialEq, Eq)]
pub enum SelectFormat {
    /// Ranking, costs and pilots as text.
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
            t(
                lang,
                "problem(s); nothing evaluated",
                "problema(s); no se evaluó nada"
            )
        );
        CliError::Invalid(out)
    })?;
    let rows = match &args.pilot {
        Some(p) => {
            let bytes = read_file(p)?;
            pilot::parse(&String::from_utf8_lossy(&bytes))
                .map_err(|e| CliError::Invalid(format!("{}: {e}", p.display())))?
        }
        None => Vec::new(),
    };
    let report =
        pacta_select::evaluate(&eval, &rows).map_err(|e| CliError::Invalid(e.to_string()))?;
    for w in &report.warnings {
        eprintln!("{} {w}", t(lang, "warning:", "aviso:"));
    }
    match args.format {
        SelectFormat::Json => println!("{}", super::to_json(&report)?),
        SelectFormat::Table => print!("{}", table(&report, lang)),
    }
    if let Some(p) = &args.html {
        write_file(p, html(&report, lang).as_bytes())?;
        eprintln!(
            "{} {}",
            t(lang, "page written to", "página escrita en"),
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
pub fn table(r: &Report, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{} — {}", r.title, r.client);
    let method = match &r.weights {
        pacta_select::model::WeightMethod::Direct { .. } => {
            t(lang, "direct weights", "pesos directos").to_string()
        }
        pacta_select::model::WeightMethod::Equal => {
            t(lang, "equal weights", "pesos iguales").to_string()
        }
        pacta_select::model::WeightMethod::Ahp(a) => format!(
            "AHP, λmax {:.3}, {} {}",
            a.lambda_max,
            t(lang, "consistency ratio", "razón de consistencia"),
            a.consistency_ratio
                .map_or("—".into(), |c| format!("{c:.3}"))
        ),
    };
    let _ = writeln!(out, "{}: {method}", t(lang, "Criteria", "Criterios"));
    for c in &r.criteria {
        let _ = writeln!(
            out,
            "  {:<14} {:>6.1} %  {}",
            c.id,
            c.weight * 100.0,
            c.name
        );
    }
    let _ = writeln!(
        out,
        "\n{} (1–{})",
        t(lang, "Ranking", "Clasificación"),
        r.scale
    );
    for c in &r.ranking {
        let place = match (c.rank, c.tied) {
            (Some(n), false) => format!("{n}."),
            (Some(n), true) => format!("{n}= "),
            (None, _) => "—".into(),
        };
        let _ = writeln!(
            out,
            "  {place:<4} {:<12} {:>5.3}  {}",
            c.id, c.score, c.name
        );
        for k in &c.knocked_out {
            let _ = writeln!(
                out,
                "         {}: {} ({})",
                t(lang, "KNOCKED OUT", "DESCARTADO"),
                k.description,
                k.found
            );
        }
    }
    let _ = writeln!(
        out,
        "\n{}",
        t(
            lang,
            "Sensitivity (weight change that changes the winner)",
            "Sensibilidad (cambio de peso que cambia al ganador)"
        )
    );
    for s in &r.sensitivity {
        let f = |x: &Option<(f64, String)>, sign: &str| {
            x.as_ref()
                .map_or(t(lang, "none", "ninguno").to_string(), |(d, who)| {
                    format!("{sign}{:.1} pts → {who}", d * 100.0)
                })
        };
        let _ = writeln!(
            out,
            "  {:<14} {:>6.1} %   ↑ {:<22} ↓ {}",
            s.criterion,
            s.weight * 100.0,
            f(&s.up, "+"),
            f(&s.down, "−")
        );
    }
    if !r.costs.is_empty() {
        let months = r.costs.first().map_or(0, |c| c.monthly.len());
        let _ = writeln!(
            out,
            "\n{} ({} {}, {})",
            t(lang, "Total cost", "Costo total"),
            months,
            t(lang, "months", "meses"),
            r.currency
        );
        for c in &r.costs {
            let _ = writeln!(
                out,
                "  {:<12} {:>16}   {} {:>12}   {} {}",
                c.candidate,
                money(c.total, lang),
                t(lang, "one-time", "únicos"),
                money(c.one_time, lang),
                t(lang, "per contact", "por contacto"),
                c.per_contact.round_dp(3)
            );
            for risk in &c.risks {
                let _ = writeln!(
                    out,
                    "               {}: {risk}",
                    t(lang, "hidden-cost risk", "riesgo de costo oculto")
                );
            }
        }
        for b in &r.break_evens {
            let _ = writeln!(
                out,
                "  {} {} / {}: {} · {} {}",
                t(lang, "break-even", "punto de equilibrio"),
                b.a,
                b.b,
                if b.volumes.is_empty() {
                    t(
                        lang,
                        "none between 5 % and 500 % of the forecast",
                        "ninguno entre 5 % y 500 % del pronóstico",
                    )
                    .to_string()
                } else {
                    b.volumes
                        .iter()
                        .map(|v| format!("{v:.0} {}", t(lang, "contacts/month", "contactos/mes")))
                        .collect::<Vec<_>>()
                        .join(", ")
                },
                t(
                    lang,
                    "cheaper at the forecast:",
                    "más barato con el pronóstico:"
                ),
                b.cheaper_at_forecast
            );
        }
    }
    if !r.pilot.is_empty() {
        let _ = writeln!(
            out,
            "\n{}",
            t(
                lang,
                "Pilot (95 % interval of the difference)",
                "Piloto (intervalo del 95 % de la diferencia)"
            )
        );
        for p in &r.pilot {
            let _ = writeln!(
                out,
                "  {:<18} {} − {}: {:.4} − {:.4} = {:+.4}  [{:+.4}, {:+.4}]  {}",
                p.metric,
                p.a,
                p.b,
                p.value_a,
                p.value_b,
                p.difference,
                p.low,
                p.high,
                if p.significant {
                    t(lang, "larger than noise", "mayor que el ruido")
                } else {
                    t(lang, "within noise", "dentro del ruido")
                }
            );
        }
    }
    out
}

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

const COLOURS: [&str; 6] = [
    "#1f4e79", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f",
];

/// A self-contained page: ranking, cumulative cost over the term, criteria bars.
pub fn html(r: &Report, lang: Lang) -> String {
    let colour: BTreeMap<&str, &str> = r
        .ranking
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), COLOURS[i % COLOURS.len()]))
        .collect();
    let mut rows = String::new();
    for c in &r.ranking {
        let _ = write!(
            rows,
            "<tr><td>{}</td><td><span style=\"color:{}\">■</span> {}</td><td class=num>{:.3}</td><td>{}</td></tr>",
            c.rank.map_or("—".into(), |n| format!(
                "{n}{}",
                if c.tied { "=" } else { "" }
            )),
            colour.get(c.id.as_str()).copied().unwrap_or("#333"),
            esc(&c.name),
            c.score,
            c.knocked_out
                .iter()
                .map(|k| esc(&format!("{} ({})", k.description, k.found)))
                .collect::<Vec<_>>()
                .join("; ")
        );
    }
    // Cumulative cost lines.
    let cum = pacta_select::cost::cumulative(&r.costs);
    let mut cost_svg = String::new();
    if !cum.is_empty() {
        let (w, h, left, top, bottom) = (760.0, 260.0, 90.0, 16.0, 28.0);
        let n = cum.values().map(Vec::len).max().unwrap_or(1).max(2);
        let max = cum
            .values()
            .flat_map(|v| v.last())
            .filter_map(|d| d.to_f64())
            .fold(1.0, f64::max);
        let x = |i: usize| left + i as f64 * (w - left - 10.0) / (n - 1) as f64;
        let y = |v: f64| top + (h - top - bottom) * (1.0 - v / max);
        let _ = write!(
            cost_svg,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" font-family="system-ui,sans-serif" font-size="11">"#
        );
        for k in 0..=4 {
            let v = max * f64::from(k) / 4.0;
            let _ = write!(
                cost_svg,
                r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#e6e6e6"/><text x="{}" y="{:.1}" text-anchor="end" fill="#555">{}</text>"##,
                w - 10.0,
                y(v),
                y(v),
                left - 6.0,
                y(v) + 4.0,
                money(
                    rust_decimal::Decimal::from_f64_retain(v).unwrap_or_default(),
                    lang
                )
            );
        }
        for (id, vals) in &cum {
            let pts: Vec<String> = vals
                .iter()
                .enumerate()
                .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(v.to_f64().unwrap_or(0.0))))
                .collect();
            let _ = write!(
                cost_svg,
                r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2"><title>{}</title></polyline>"#,
                pts.join(" "),
                colour.get(id.as_str()).copied().unwrap_or("#333"),
                esc(id)
            );
        }
        let _ = write!(
            cost_svg,
            r##"<text x="{left}" y="{}" fill="#555">{} 1</text><text x="{}" y="{}" text-anchor="end" fill="#555">{} {n}</text></svg>"##,
            h - 8.0,
            t(lang, "month", "mes"),
            w - 10.0,
            h - 8.0,
            t(lang, "month", "mes")
        );
    }
    let mut cost_rows = String::new();
    for c in &r.costs {
        let _ = write!(
            cost_rows,
            "<tr><td>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td><td>{}</td></tr>",
            esc(&c.candidate),
            money(c.total, lang),
            money(c.one_time, lang),
            c.per_contact.round_dp(3),
            c.risks
                .iter()
                .map(|x| esc(x))
                .collect::<Vec<_>>()
                .join("<br>")
        );
    }
    let cost_table = if cost_rows.is_empty() {
        String::new()
    } else {
        format!(
            "<table><tr><th>{}</th><th class=num>{} ({})</th><th class=num>{}</th><th class=num>{}</th><th>{}</th></tr>{cost_rows}</table>",
            t(lang, "Candidate", "Candidato"),
            t(lang, "Total", "Total"),
            esc(&r.currency),
            t(lang, "One-time", "Únicos"),
            t(lang, "Per contact", "Por contacto"),
            t(lang, "Hidden-cost risks", "Riesgos de costo oculto")
        )
    };
    // Criteria bars: one group per criterion, one bar per candidate.
    let mut bars = String::new();
    {
        let groups = r.criteria.len().max(1) as f64;
        let cands = r.ranking.len().max(1) as f64;
        let (w, h, left, bottom) = (760.0, 240.0, 30.0, 60.0);
        let gw = (w - left) / groups;
        let bw = (gw * 0.8 / cands).max(2.0);
        let y = |s: f64| (h - bottom) * (1.0 - s / f64::from(r.scale));
        let _ = write!(
            bars,
            r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" font-family="system-ui,sans-serif" font-size="10">"#
        );
        for (gi, cr) in r.criteria.iter().enumerate() {
            let gx = left + gi as f64 * gw;
            for (ci, c) in r.ranking.iter().enumerate() {
                let score = c.contributions.get(gi).copied().unwrap_or(0.0) / cr.weight.max(1e-12);
                let _ = write!(
                    bars,
                    r#"<rect x="{:.1}" y="{:.1}" width="{bw:.1}" height="{:.1}" fill="{}"><title>{} · {}: {score:.1}</title></rect>"#,
                    gx + gw * 0.1 + ci as f64 * bw,
                    y(score),
                    (h - bottom) - y(score),
                    colour.get(c.id.as_str()).copied().unwrap_or("#333"),
                    esc(&c.id),
                    esc(&cr.id)
                );
            }
            let _ = write!(
                bars,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end" transform="rotate(-35 {:.1} {:.1})" fill="#333">{}</text>"##,
                gx + gw / 2.0,
                h - bottom + 14.0,
                gx + gw / 2.0,
                h - bottom + 14.0,
                esc(&cr.id)
            );
        }
        bars.push_str("</svg>");
    }
    format!(
        r#"<!doctype html>
<html lang="{code}"><head><meta charset="utf-8"><title>{title}</title>
<style>body{{font:14px/1.45 system-ui,sans-serif;max-width:900px;margin:24px auto;color:#222}}table{{border-collapse:collapse;width:100%}}td,th{{padding:4px 8px;border-bottom:1px solid #e0e0e0;text-align:left}}.num{{text-align:right}}section{{margin:18px 0}}</style>
</head><body><h1>{title}</h1><p>{client}</p>
<section><h2>{ranking}</h2><table><tr><th>#</th><th>{candidate}</th><th class=num>{score}</th><th>{knock}</th></tr>{rows}</table></section>
<section><h2>{cost}</h2>{cost_svg}{cost_table}</section>
<section><h2>{criteria}</h2>{bars}</section>
</body></html>
"#,
        code = if lang == Lang::Es { "es" } else { "en" },
        title = esc(&r.title),
        client = esc(&r.client),
        ranking = t(lang, "Ranking", "Clasificación"),
        candidate = t(lang, "Candidate", "Candidato"),
        score = t(lang, "Weighted score", "Puntaje ponderado"),
        knock = t(
            lang,
            "Knock-outs failed",
            "Requisitos excluyentes incumplidos"
        ),
        cost = t(
            lang,
            "Cumulative cost over the term",
            "Costo acumulado durante el plazo"
        ),
        criteria = t(lang, "Scores by criterion", "Puntajes por criterio"),
    )
}
