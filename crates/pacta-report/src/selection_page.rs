//! The vendor-selection page: ranking, cumulative cost over the term, criteria bars and
//! pilots, self-contained (inline SVG, no network).

use std::collections::BTreeMap;
use std::fmt::Write;

use pacta_core::Lang;
use pacta_core::html;
use pacta_select::SelectionOutcome;
use rust_decimal::prelude::ToPrimitive;

const COLOURS: [&str; 6] = [
    "#1f4e79", "#ef6c00", "#2e7d32", "#6a1b9a", "#c62828", "#00838f",
];

/// A self-contained page: ranking, cumulative cost over the term, criteria bars.
/// Whole currency units, grouped the reader's way.
fn money(d: rust_decimal::Decimal, lang: Lang) -> String {
    pacta_core::fmt::fixed(d, 0, lang)
}

/// The page for a selection result, in `lang`.
pub fn selection_html(r: &SelectionOutcome, lang: Lang) -> String {
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
            html::escape(&c.name),
            c.score,
            c.knocked_out
                .iter()
                .map(|k| html::escape(&format!("{} ({})", k.description, k.found)))
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
                html::escape(id)
            );
        }
        let _ = write!(
            cost_svg,
            r##"<text x="{left}" y="{}" fill="#555">{} 1</text><text x="{}" y="{}" text-anchor="end" fill="#555">{} {n}</text></svg>"##,
            h - 8.0,
            lang.pick("month", "mes"),
            w - 10.0,
            h - 8.0,
            lang.pick("month", "mes")
        );
    }
    let mut cost_rows = String::new();
    for c in &r.costs {
        let _ = write!(
            cost_rows,
            "<tr><td>{}</td><td class=num>{}</td><td class=num>{}</td><td class=num>{}</td><td>{}</td></tr>",
            html::escape(&c.candidate),
            money(c.total, lang),
            money(c.one_time, lang),
            c.per_contact.round_dp(3),
            c.risks
                .iter()
                .map(|x| html::escape(x))
                .collect::<Vec<_>>()
                .join("<br>")
        );
    }
    let cost_table = if cost_rows.is_empty() {
        String::new()
    } else {
        format!(
            "<table><tr><th>{}</th><th class=num>{} ({})</th><th class=num>{}</th><th class=num>{}</th><th>{}</th></tr>{cost_rows}</table>",
            lang.pick("Candidate", "Candidato"),
            lang.pick("Total", "Total"),
            html::escape(&r.currency),
            lang.pick("One-time", "Únicos"),
            lang.pick("Per contact", "Por contacto"),
            lang.pick("Hidden-cost risks", "Riesgos de costo oculto")
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
                    html::escape(&c.id),
                    html::escape(&cr.id)
                );
            }
            let _ = write!(
                bars,
                r##"<text x="{:.1}" y="{:.1}" text-anchor="end" transform="rotate(-35 {:.1} {:.1})" fill="#333">{}</text>"##,
                gx + gw / 2.0,
                h - bottom + 14.0,
                gx + gw / 2.0,
                h - bottom + 14.0,
                html::escape(&cr.id)
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
        title = html::escape(&r.title),
        client = html::escape(&r.client),
        ranking = lang.pick("Ranking", "Clasificación"),
        candidate = lang.pick("Candidate", "Candidato"),
        score = lang.pick("Weighted score", "Puntaje ponderado"),
        knock = lang.pick("Knock-outs failed", "Requisitos excluyentes incumplidos"),
        cost = lang.pick(
            "Cumulative cost over the term",
            "Costo acumulado durante el plazo"
        ),
        criteria = lang.pick("Scores by criterion", "Puntajes por criterio"),
    )
}
