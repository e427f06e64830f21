//! The staffing plan as a self-contained HTML page: totals, the month-level service level the
//! vendor's plan implies, and one inline SVG chart per queue (no network).

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pacta_core::{Lang, html};
use pacta_planning::{PlanRow, StaffingPlan};

use crate::staffing_text::{opt, pct};

/// One inline SVG chart per queue: required agents (Erlang C, Erlang A) and planned agents
/// per interval, intervals at risk marked.
pub fn staffing_html(r: &StaffingPlan, lang: Lang) -> String {
    let mut by_queue: BTreeMap<&str, Vec<&PlanRow>> = BTreeMap::new();
    for row in &r.intervals {
        by_queue.entry(row.queue.as_str()).or_default().push(row);
    }
    let title = format!(
        "{} — {}",
        lang.pick("Staffing plan", "Plan de dotación"),
        r.contract_id
    );
    let mut h = String::new();
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\"><head><meta charset=\"utf-8\"><title>{}</title>\
         <style>body{{font-family:system-ui,sans-serif;margin:2em;color:#222}}\
         table{{border-collapse:collapse}}td,th{{border:1px solid #ccc;padding:.25em .6em;text-align:right}}\
         th{{background:#f3f3f3}}td:first-child,th:first-child{{text-align:left}}\
         .legend span{{margin-right:1.5em}}svg{{background:#fff;border:1px solid #ddd}}</style>\
         </head><body>\n<h1>{}</h1>\n<p>{} · {} {} · {} {}</p>\n",
        if lang == Lang::Es { "es" } else { "en" },
        html::escape(&title),
        html::escape(&title),
        html::escape(&r.source),
        lang.pick("shrinkage", "merma"),
        pct(r.shrinkage, lang),
        lang.pick("times in", "horas en"),
        html::escape(&r.time_zone),
    );
    let tt = &r.totals;
    let _ = write!(
        h,
        "<table><tr><th>{}</th><th>{}</th><th>{}</th></tr>\
         <tr><td>Erlang C</td><td>{:.1}</td><td>{:.1}</td></tr>",
        lang.pick("Total", "Total"),
        lang.pick("FTE hours in seat", "Horas FTE en puesto"),
        lang.pick("Scheduled FTE hours", "Horas FTE programadas"),
        tt.erlang_c_fte_hours,
        tt.erlang_c_scheduled_fte_hours
    );
    if tt.intervals_with_erlang_a > 0 {
        let _ = write!(
            h,
            "<tr><td>Erlang A</td><td>{:.1}</td><td>{:.1}</td></tr>",
            tt.erlang_a_fte_hours, tt.erlang_a_scheduled_fte_hours
        );
    }
    if let Some(p) = tt.planned_fte_hours {
        let _ = write!(
            h,
            "<tr><td>{}</td><td>{p:.1}</td><td></td></tr>",
            lang.pick("Vendor plan", "Plan del proveedor")
        );
    }
    h.push_str("</table>\n");
    if let Some(s) = &r.staffing {
        let _ = write!(
            h,
            "<h2>{}</h2><table><tr><th>SLA</th><th>{}</th><th>{}</th><th>Erlang C</th><th>Erlang A</th><th>{}</th><th>{}</th></tr>",
            lang.pick(
                "Service level the vendor's plan implies",
                "Nivel de servicio que implica el plan del proveedor"
            ),
            lang.pick("target", "objetivo"),
            lang.pick("intervals", "intervalos"),
            lang.pick("abandon (A)", "abandono (A)"),
            lang.pick("at risk", "en riesgo"),
        );
        for g in &s.by_target {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{} / {:.0} s ({})</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                html::escape(g.sla_id.as_deref().unwrap_or("--")),
                pct(g.target_share, lang),
                g.threshold_s,
                g.variant,
                g.intervals,
                opt(g.erlang_c_service_level, |v| pct(v, lang)),
                opt(g.erlang_a_service_level, |v| pct(v, lang)),
                opt(g.erlang_a_abandon_share, |v| pct(v, lang)),
                g.intervals_at_risk
            );
        }
        h.push_str("</table>\n");
    }
    let (w, hgt, ml, mr, mt, mb) = (960.0_f64, 300.0_f64, 50.0, 15.0, 15.0, 45.0);
    for (queue, rows) in &by_queue {
        let n = rows.len();
        let max_y = rows
            .iter()
            .map(|r| {
                let a = r.erlang_a.as_ref().map_or(0, |a| a.agents);
                let p = r.planned.as_ref().map_or(0, |p| p.agents);
                r.erlang_c.agents.max(a).max(p)
            })
            .max()
            .unwrap_or(1)
            .max(1) as f64
            * 1.1;
        let x = |i: usize| ml + (w - ml - mr) * (i as f64 + 0.5) / n.max(1) as f64;
        let y = |v: f64| mt + (hgt - mt - mb) * (1.0 - v / max_y);
        let line = |f: &dyn Fn(&PlanRow) -> Option<u32>| {
            let mut pts = String::new();
            for (i, r) in rows.iter().enumerate() {
                if let Some(v) = f(r) {
                    let _ = write!(pts, "{:.1},{:.1} ", x(i), y(f64::from(v)));
                }
            }
            pts
        };
        let _ = write!(
            h,
            "<h2>{} {}</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" height=\"{hgt}\" viewBox=\"0 0 {w} {hgt}\" role=\"img\" aria-label=\"{}\">",
            lang.pick("Queue", "Cola"),
            html::escape(queue),
            html::escape(&format!(
                "{} {queue}",
                lang.pick(
                    "required vs planned agents,",
                    "agentes requeridos vs planificados,"
                )
            ))
        );
        // Axes and y grid.
        for k in 0..=4 {
            let v = max_y / 1.1 * f64::from(k) / 4.0;
            let _ = write!(
                h,
                "<line x1=\"{ml}\" x2=\"{:.1}\" y1=\"{:.1}\" y2=\"{:.1}\" stroke=\"#eee\"/><text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"end\">{:.0}</text>",
                w - mr,
                y(v),
                y(v),
                ml - 4.0,
                y(v) + 4.0,
                v
            );
        }
        let ticks = 6.min(n);
        for k in 0..ticks {
            let i = if ticks > 1 {
                k * (n - 1) / (ticks - 1)
            } else {
                0
            };
            let _ = write!(
                h,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"10\" text-anchor=\"middle\">{}</text>",
                x(i),
                hgt - mb + 16.0,
                html::escape(&rows[i].local)
            );
        }
        let _ = write!(
            h,
            "<polyline fill=\"none\" stroke=\"#1f77b4\" stroke-width=\"1.5\" points=\"{}\"/>",
            line(&|r| Some(r.erlang_c.agents))
        );
        let a_pts = line(&|r| r.erlang_a.as_ref().map(|a| a.agents));
        if !a_pts.is_empty() {
            let _ = write!(
                h,
                "<polyline fill=\"none\" stroke=\"#ff7f0e\" stroke-width=\"1.5\" stroke-dasharray=\"4 2\" points=\"{a_pts}\"/>"
            );
        }
        let p_pts = line(&|r| r.planned.as_ref().map(|p| p.agents));
        if !p_pts.is_empty() {
            let _ = write!(
                h,
                "<polyline fill=\"none\" stroke=\"#2ca02c\" stroke-width=\"2\" points=\"{p_pts}\"/>"
            );
            for (i, r) in rows.iter().enumerate() {
                if let Some(p) = r.planned.as_ref().filter(|p| p.at_risk) {
                    let _ = write!(
                        h,
                        "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3\" fill=\"#d62728\"><title>{} {}</title></circle>",
                        x(i),
                        y(f64::from(p.agents)),
                        html::escape(&r.local),
                        lang.pick("at risk", "en riesgo")
                    );
                }
            }
        }
        h.push_str("</svg>\n");
        let _ = writeln!(
            h,
            "<p class=\"legend\"><span style=\"color:#1f77b4\">━ {}</span><span style=\"color:#ff7f0e\">╍ {}</span>{}</p>",
            lang.pick("required, Erlang C", "requeridos, Erlang C"),
            lang.pick("required, Erlang A", "requeridos, Erlang A"),
            if r.staffing.is_some() {
                format!(
                    "<span style=\"color:#2ca02c\">━ {}</span><span style=\"color:#d62728\">● {}</span>",
                    lang.pick("planned", "planificados"),
                    lang.pick("at risk", "en riesgo")
                )
            } else {
                String::new()
            }
        );
    }
    h.push_str("</body></html>\n");
    h
}

#[cfg(test)]
mod tests {
    use super::*;

    fn plan(queue: &str) -> StaffingPlan {
        let contract = pacta_contract::parse_bytes(
            include_str!("../../../examples/bank-inbound-manila.toml").as_bytes(),
        )
        .expect("the example contract is valid");
        let csv = format!(
            "interval_start,queue,volume,aht_s,patience_s\n2026-11-02 08:00,{queue},100,180,90\n"
        );
        let forecast = pacta_planning::parse_forecast(
            csv.as_bytes(),
            "f.csv",
            &contract.time_zone,
            30.0,
            None,
        )
        .expect("valid");
        let options = pacta_planning::PlanOptions::default();
        pacta_planning::staff(&contract, &forecast, None, &options, None).expect("planned")
    }

    #[test]
    fn the_page_escapes_what_the_user_wrote_and_speaks_both_languages() {
        let p = plan("<cards>");
        let en = staffing_html(&p, Lang::En);
        assert!(en.starts_with("<!DOCTYPE html>\n<html lang=\"en\">"));
        assert!(en.contains("<h2>Queue &lt;cards&gt;</h2>"));
        assert!(!en.contains("<cards>"));
        assert!(
            en.contains("stroke-dasharray"),
            "the Erlang A line is drawn"
        );
        let es = staffing_html(&p, Lang::Es);
        assert!(es.contains("<html lang=\"es\">") && es.contains("Plan de dotación"));
    }

    #[test]
    fn the_table_and_csv_have_one_line_per_interval() {
        let p = plan("cards");
        let table = crate::staffing_table_wide(&p, Lang::En);
        assert!(table.starts_with("Staffing plan AFB-MNL-2026 · f.csv · shrinkage 30.0 %"));
        assert!(table.contains("2026-11-02 08:00 cards"));
        // The summary: 2 November 2026 is a Monday; its 08:00 cell holds the scheduled agents.
        let summary = crate::staffing_table(&p, Lang::Es);
        let scheduled = p.intervals[0].erlang_c.scheduled_agents;
        assert!(
            summary.contains(&format!("  {:<6}{scheduled:>6}{:>6}", "08:00", "·")),
            "{summary}"
        );
        assert!(summary.contains("merma 30,0 %"), "{summary}");
        let csv = crate::staffing_csv(&p);
        let lines: Vec<&str> = csv.lines().collect();
        assert_eq!(lines.len(), 2);
        assert!(lines[1].starts_with("2026-11-02T08:00:00+08:00,cards,SL-VOICE,20,"));
    }
}
