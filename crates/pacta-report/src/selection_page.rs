//! The vendor-selection page: ranking, weight sensitivity, cumulative cost over the term,
//! criteria bars and pilots, self-contained (inline SVG, no network). It shows what the
//! terminal shows, with the numbers in the reader's format.

use std::collections::BTreeMap;
use std::fmt::Write;

use pacta_core::Lang;
use pacta_core::html;
use pacta_select::SelectionOutcome;
use rust_decimal::prelude::ToPrimitive;

use crate::charts::nice_ticks;

const COLOURS: [&str; 6] = [
    "#1f4e79", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f",
];

const STYLE: &str = "body{font:15px/1.45 system-ui,sans-serif;max-width:920px;margin:24px auto;\
color:#222;padding:0 12px}table{border-collapse:collapse;width:100%}td,th{padding:4px 8px;\
border-bottom:1px solid #e0e0e0;text-align:left;vertical-align:top}.num{text-align:right;\
white-space:nowrap}section{margin:22px 0;break-inside:avoid}h2{break-after:avoid}\
.legend{display:flex;flex-wrap:wrap;gap:6px 18px;margin:6px 0 2px;font-size:14px}\
.swatch{display:inline-block;width:12px;height:12px;margin-right:6px;vertical-align:-1px}\
.nowrap{white-space:nowrap}.out{color:#777}.note{color:#555;font-size:14px}";

/// Whole currency units, grouped the reader's way.
fn money(d: rust_decimal::Decimal, lang: Lang) -> String {
    pacta_core::fmt::fixed(d, 0, lang)
}

fn percent(share: f64, lang: Lang) -> String {
    format!("{} %", pacta_core::fmt::float(share * 100.0, 1, lang))
}

/// A legend: one swatch per candidate, in ranking order.
fn legend(r: &SelectionOutcome, colour: &BTreeMap<&str, &str>) -> String {
    let mut out = String::from("<div class=\"legend\">");
    for c in &r.ranking {
        let _ = write!(
            out,
            "<span><span class=\"swatch\" style=\"background:{}\"></span>{} ({})</span>",
            colour.get(c.id.as_str()).copied().unwrap_or("#333"),
            html::escape(&c.name),
            html::escape(&c.id)
        );
    }
    out.push_str("</div>");
    out
}

fn ranking(r: &SelectionOutcome, colour: &BTreeMap<&str, &str>, lang: Lang) -> String {
    let mut rows = String::new();
    for c in &r.ranking {
        let place = c.rank.map_or("—".into(), |n| {
            format!("{n}{}", if c.tied { "=" } else { "" })
        });
        let knocked: Vec<String> = c
            .knocked_out
            .iter()
            .map(|k| html::escape(&format!("{} ({})", k.description, k.found)))
            .collect();
        let _ = write!(
            rows,
            "<tr{}><td>{place}</td><td><span class=\"swatch\" style=\"background:{}\"></span>{} \
             <span class=\"note\">{}</span></td><td class=num>{}</td><td>{}</td></tr>",
            if c.rank.is_none() {
                " class=\"out\""
            } else {
                ""
            },
            colour.get(c.id.as_str()).copied().unwrap_or("#333"),
            html::escape(&c.name),
            html::escape(&c.id),
            pacta_core::fmt::float(c.score, 2, lang),
            knocked.join("<br>")
        );
    }
    format!(
        "<table><tr><th>#</th><th>{}</th><th class=num>{} (1–{})</th><th>{}</th></tr>{rows}</table>",
        lang.pick("Candidate", "Candidato"),
        lang.pick("Weighted score", "Puntaje ponderado"),
        r.scale,
        lang.pick("Knock-outs failed", "Requisitos excluyentes incumplidos"),
    )
}

fn sensitivity(r: &SelectionOutcome, lang: Lang) -> String {
    let names: BTreeMap<&str, &str> = r
        .criteria
        .iter()
        .map(|c| (c.id.as_str(), c.name.as_str()))
        .collect();
    let change = |x: &Option<(f64, String)>, sign: &str| {
        x.as_ref().map_or(
            format!(
                "<span class=\"note\">{}</span>",
                lang.pick("none", "ninguno")
            ),
            |(d, who)| {
                format!(
                    "{sign}{} {} → {}",
                    pacta_core::fmt::float(d * 100.0, 1, lang),
                    lang.pick("pts", "p. p."),
                    html::escape(who)
                )
            },
        )
    };
    let mut rows = String::new();
    for s in &r.sensitivity {
        let _ = write!(
            rows,
            "<tr><td>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td></tr>",
            html::escape(
                names
                    .get(s.criterion.as_str())
                    .unwrap_or(&s.criterion.as_str())
            ),
            percent(s.weight, lang),
            change(&s.up, "+"),
            change(&s.down, "\u{2212}"),
        );
    }
    format!(
        "<p class=\"note\">{}</p><table><tr><th>{}</th><th class=num>{}</th><th class=num>{}</th>\
         <th class=num>{}</th></tr>{rows}</table>",
        lang.pick(
            "How far each weight may move before another candidate leads.",
            "Cuánto puede moverse cada peso antes de que otro candidato pase a liderar."
        ),
        lang.pick("Criterion", "Criterio"),
        lang.pick("Weight", "Peso"),
        lang.pick(
            "Raise that changes the leader",
            "Aumento que cambia al líder"
        ),
        lang.pick(
            "Cut that changes the leader",
            "Reducción que cambia al líder"
        ),
    )
}

fn cost_chart(r: &SelectionOutcome, colour: &BTreeMap<&str, &str>, lang: Lang) -> String {
    let cum = pacta_select::cost::cumulative(&r.costs);
    if cum.is_empty() {
        return String::new();
    }
    let (w, h, left, top, bottom) = (760.0, 300.0, 110.0, 16.0, 48.0);
    let n = cum.values().map(Vec::len).max().unwrap_or(1).max(2);
    let max = cum
        .values()
        .flat_map(|v| v.last())
        .filter_map(|d| d.to_f64())
        .fold(1.0, f64::max);
    let ticks = nice_ticks(0.0, max, 5);
    let top_value = ticks.last().copied().unwrap_or(max).max(max);
    let x = |i: usize| left + i as f64 * (w - left - 10.0) / (n - 1) as f64;
    let y = |v: f64| top + (h - top - bottom) * (1.0 - v / top_value);
    let title = lang.pick(
        "Cumulative cost over the term",
        "Costo acumulado durante el plazo",
    );
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{title}" font-family="system-ui,sans-serif" font-size="13">"#
    );
    for v in &ticks {
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#e6e6e6"/><text x="{}" y="{:.1}" text-anchor="end" fill="#444">{}</text>"##,
            w - 10.0,
            y(*v),
            y(*v),
            left - 6.0,
            y(*v) + 4.0,
            pacta_core::fmt::float(*v, 0, lang)
        );
    }
    for (id, vals) in &cum {
        let pts: Vec<String> = vals
            .iter()
            .enumerate()
            .map(|(i, v)| format!("{:.1},{:.1}", x(i), y(v.to_f64().unwrap_or(0.0))))
            .collect();
        let _ = write!(
            svg,
            r#"<polyline points="{}" fill="none" stroke="{}" stroke-width="2.5"><title>{}</title></polyline>"#,
            pts.join(" "),
            colour.get(id.as_str()).copied().unwrap_or("#333"),
            html::escape(id)
        );
    }
    // Month ticks at 1 and every sixth month, and the last.
    let mut months: Vec<usize> = (1..=n).filter(|m| *m == 1 || m % 6 == 0).collect();
    if months.last() != Some(&n) {
        months.push(n);
    }
    for m in months {
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{}" text-anchor="middle" fill="#444">{m}</text>"##,
            x(m - 1),
            h - bottom + 18.0
        );
    }
    let _ = write!(
        svg,
        r##"<text x="{:.1}" y="{}" text-anchor="middle" fill="#222">{}</text><text x="14" y="{:.1}" text-anchor="middle" fill="#222" transform="rotate(-90 14 {:.1})">{} ({})</text></svg>"##,
        (left + w) / 2.0,
        h - 6.0,
        lang.pick("Month of the term", "Mes del plazo"),
        (top + h - bottom) / 2.0,
        (top + h - bottom) / 2.0,
        lang.pick("Cumulative cost", "Costo acumulado"),
        html::escape(&r.currency)
    );
    svg
}

fn cost_table(r: &SelectionOutcome, lang: Lang) -> String {
    if r.costs.is_empty() {
        return String::new();
    }
    let mut rows = String::new();
    for c in &r.costs {
        let risks: Vec<String> = c
            .risks
            .iter()
            .map(|x| html::escape(&x.describe(lang)))
            .collect();
        let _ = write!(
            rows,
            "<tr><td>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td><td>{}</td></tr>",
            html::escape(&c.candidate),
            money(c.total, lang),
            money(c.one_time, lang),
            pacta_core::fmt::fixed(c.per_contact, 3, lang),
            risks.join("<br>")
        );
    }
    let mut out = format!(
        "<table><tr><th>{}</th><th class=num>{} ({cur})</th><th class=num>{} ({cur})</th><th class=num>{} ({cur})</th><th>{}</th></tr>{rows}</table>",
        lang.pick("Candidate", "Candidato"),
        lang.pick("Total", "Total"),
        lang.pick("One-time", "Únicos"),
        lang.pick("Per contact", "Por contacto"),
        lang.pick("Hidden-cost risks", "Riesgos de costo oculto"),
        cur = html::escape(&r.currency),
    );
    if !r.break_evens.is_empty() {
        out.push_str("<ul>");
        for b in &r.break_evens {
            let volumes = if b.volumes.is_empty() {
                lang.pick(
                    "no break-even between 5 % and 500 % of the forecast",
                    "sin punto de equilibrio entre el 5 % y el 500 % del pronóstico",
                )
                .to_string()
            } else {
                let v: Vec<String> = b
                    .volumes
                    .iter()
                    .map(|v| {
                        format!(
                            "{} {}",
                            pacta_core::fmt::float(*v, 0, lang),
                            lang.pick("contacts a month", "contactos al mes")
                        )
                    })
                    .collect();
                format!(
                    "{} {}",
                    lang.pick("break-even at", "punto de equilibrio en"),
                    v.join(", ")
                )
            };
            let _ = write!(
                out,
                "<li>{} / {}: {volumes}; {} {}.</li>",
                html::escape(&b.a),
                html::escape(&b.b),
                lang.pick(
                    "cheaper at the forecast volume:",
                    "más barato con el volumen del pronóstico:"
                ),
                html::escape(&b.cheaper_at_forecast)
            );
        }
        out.push_str("</ul>");
    }
    out
}

/// One group per criterion, one bar per candidate, with the score written above each bar.
fn criteria_chart(r: &SelectionOutcome, colour: &BTreeMap<&str, &str>, lang: Lang) -> String {
    let groups = r.criteria.len().max(1) as f64;
    let cands = r.ranking.len().max(1) as f64;
    let (w, h, left, top, bottom) = (760.0, 320.0, 56.0, 14.0, 92.0);
    let gw = (w - left - 6.0) / groups;
    let bw = (gw * 0.8 / cands).max(2.0);
    let scale = f64::from(r.scale.max(1));
    let y = |s: f64| top + (h - top - bottom) * (1.0 - s / scale);
    let title = lang.pick("Scores by criterion", "Puntajes por criterio");
    let mut svg = format!(
        r#"<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {w} {h}" width="100%" role="img" aria-label="{title}" font-family="system-ui,sans-serif" font-size="12">"#
    );
    for k in 0..=r.scale {
        let v = f64::from(k);
        let _ = write!(
            svg,
            r##"<line x1="{left}" x2="{}" y1="{:.1}" y2="{:.1}" stroke="#e6e6e6"/><text x="{}" y="{:.1}" text-anchor="end" fill="#444" font-size="13">{k}</text>"##,
            w - 6.0,
            y(v),
            y(v),
            left - 6.0,
            y(v) + 4.0
        );
    }
    for (gi, cr) in r.criteria.iter().enumerate() {
        let gx = left + gi as f64 * gw;
        for (ci, c) in r.ranking.iter().enumerate() {
            let score = c.contributions.get(gi).copied().unwrap_or(0.0) / cr.weight.max(1e-12);
            let bx = gx + gw * 0.1 + ci as f64 * bw;
            let value = pacta_core::fmt::float(score, 1, lang);
            let _ = write!(
                svg,
                r##"<rect x="{bx:.1}" y="{:.1}" width="{:.1}" height="{:.1}" fill="{}"><title>{} · {}: {value}</title></rect><text x="{:.1}" y="{:.1}" text-anchor="middle" fill="#222" font-size="10">{value}</text>"##,
                y(score),
                (bw - 1.0).max(1.0),
                (h - bottom) - y(score),
                colour.get(c.id.as_str()).copied().unwrap_or("#333"),
                html::escape(&c.id),
                html::escape(&cr.name),
                bx + bw / 2.0,
                y(score) - 3.0
            );
        }
        let _ = write!(
            svg,
            r##"<text x="{:.1}" y="{:.1}" text-anchor="end" transform="rotate(-35 {:.1} {:.1})" fill="#222" font-size="13">{}</text>"##,
            gx + gw / 2.0,
            h - bottom + 16.0,
            gx + gw / 2.0,
            h - bottom + 16.0,
            html::escape(&cr.id)
        );
    }
    let _ = write!(
        svg,
        r##"<text x="14" y="{:.1}" text-anchor="middle" fill="#222" font-size="13" transform="rotate(-90 14 {:.1})">{} (1–{})</text></svg>"##,
        (top + h - bottom) / 2.0,
        (top + h - bottom) / 2.0,
        lang.pick("Score", "Puntaje"),
        r.scale
    );
    svg
}

fn pilot(r: &SelectionOutcome, lang: Lang) -> String {
    let mut rows = String::new();
    for p in &r.pilot {
        let _ = write!(
            rows,
            "<tr><td>{}</td><td class=nowrap>{} − {}</td><td class=num>{}</td><td class=num>{}</td>\
             <td class=num>{}</td><td class=num>[{}, {}]</td><td>{}</td></tr>",
            html::escape(&p.metric),
            html::escape(&p.a),
            html::escape(&p.b),
            p.format_value(p.value_a, lang),
            p.format_value(p.value_b, lang),
            p.format_difference(p.difference, lang),
            p.format_difference(p.low, lang),
            p.format_difference(p.high, lang),
            p.verdict(lang)
        );
    }
    format!(
        "<table><tr><th>{}</th><th>{}</th><th class=num>{}</th><th class=num>{}</th>\
         <th class=num>{}</th><th class=num>{}</th><th>{}</th></tr>{rows}</table>",
        lang.pick("Metric", "Métrica"),
        lang.pick("Pair", "Par"),
        lang.pick("First", "Primero"),
        lang.pick("Second", "Segundo"),
        lang.pick("Difference", "Diferencia"),
        lang.pick("95 % interval", "Intervalo del 95 %"),
        lang.pick("Verdict", "Veredicto"),
    )
}

/// The page for a selection result, in `lang`.
pub fn selection_html(r: &SelectionOutcome, lang: Lang) -> String {
    let colour: BTreeMap<&str, &str> = r
        .ranking
        .iter()
        .enumerate()
        .map(|(i, c)| (c.id.as_str(), COLOURS[i % COLOURS.len()]))
        .collect();
    let mut body = String::new();
    let _ = write!(
        body,
        "<section><h2>{}</h2>{}</section>",
        lang.pick("Ranking", "Clasificación"),
        ranking(r, &colour, lang)
    );
    if !r.sensitivity.is_empty() {
        let _ = write!(
            body,
            "<section><h2>{}</h2>{}</section>",
            lang.pick("Weight sensitivity", "Sensibilidad de los pesos"),
            sensitivity(r, lang)
        );
    }
    if !r.costs.is_empty() {
        let months = r.costs.first().map_or(0, |c| c.monthly.len());
        let _ = write!(
            body,
            "<section><h2>{} ({months} {})</h2>{}{}{}</section>",
            lang.pick("Total cost over the term", "Costo total durante el plazo"),
            lang.pick("months", "meses"),
            legend(r, &colour),
            cost_chart(r, &colour, lang),
            cost_table(r, lang)
        );
    }
    let _ = write!(
        body,
        "<section><h2>{}</h2>{}{}</section>",
        lang.pick("Scores by criterion", "Puntajes por criterio"),
        legend(r, &colour),
        criteria_chart(r, &colour, lang)
    );
    if !r.pilot.is_empty() {
        let _ = write!(
            body,
            "<section><h2>{}</h2>{}</section>",
            lang.pick(
                "Pilot (95 % interval of the difference)",
                "Piloto (intervalo del 95 % de la diferencia)"
            ),
            pilot(r, lang)
        );
    }
    format!(
        "<!doctype html>\n<html lang=\"{code}\"><head><meta charset=\"utf-8\"><title>{title}</title>\
         <style>{STYLE}</style></head><body><h1>{title}</h1><p>{client}</p>{body}</body></html>\n",
        code = lang.pick("en", "es"),
        title = html::escape(&r.title),
        client = html::escape(&r.client),
    )
}
