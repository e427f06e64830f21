//! The staffing plan as a self-contained HTML page for a workforce review, in the settlement
//! report's look (same palette, type and tables): summary cards, totals, the service level the
//! vendor's plan implies, each queue's intraday profile (average agents in seat per interval
//! of the day, weekdays apart from weekends, vendor plan beside it), required hours per day,
//! and the intraday grid of scheduled agents (weekday × interval) as a heatmap and a table.
//! Every number is written in the page's language (39,079.5 / 39.079,5). No network.

use std::collections::{BTreeMap, BTreeSet};
use std::fmt::Write as _;

use pacta_core::{Lang, html};
use pacta_planning::StaffingPlan;

use crate::staffing_text::{WEEKDAYS_EN, WEEKDAYS_ES, local_slot, opt, pct};

/// The settlement report's palette and typography (templates/report.html), plus the few
/// rules this page adds: long numeric headers wrap (the queue table has seven columns), and
/// the heatmap table and legends.
const STYLE: &str = r#":root { --met: #2e7d32; --missed: #ef6c00; --below: #c62828; --excused: #9e9e9e; --ink: #1f4e79; --rule: #e0e0e0; }
* { box-sizing: border-box; }
body { font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: #222; margin: 0; background: #fafafa; }
main { max-width: 1080px; margin: 0 auto; padding: 24px 28px 48px; background: #fff; }
h1 { font-size: 22px; margin: 0 0 4px; }
h2 { font-size: 17px; margin: 32px 0 8px; padding-bottom: 4px; border-bottom: 2px solid var(--ink); color: var(--ink); }
h3 { font-size: 14px; margin: 18px 0 6px; }
.meta { color: #555; margin: 0 0 16px; }
.meta span + span::before { content: " · "; color: #aaa; }
.cards { display: grid; grid-template-columns: repeat(auto-fit, minmax(150px, 1fr)); gap: 10px; }
.card { border: 1px solid var(--rule); border-radius: 6px; padding: 10px 12px; }
.card .k { color: #666; font-size: 12px; }
.card .v { font-size: 19px; font-weight: 600; font-variant-numeric: tabular-nums; }
.card.alert { border-color: var(--below); }
.card.alert .v { color: var(--below); }
table { border-collapse: collapse; width: 100%; margin: 6px 0 10px; font-variant-numeric: tabular-nums; }
th, td { text-align: left; padding: 5px 8px; border-bottom: 1px solid var(--rule); vertical-align: top; }
th { font-size: 12px; color: #555; font-weight: 600; background: #f4f6f8; }
td.num, th.num { text-align: right; white-space: nowrap; }
th.num { white-space: normal; }
td.name { white-space: nowrap; }
.pill { display: inline-block; padding: 1px 8px; border-radius: 10px; color: #fff; font-size: 12px; white-space: nowrap; }
.pill.met { background: var(--met); } .pill.below { background: var(--below); }
.small { font-size: 12px; color: #666; }
.chart { border: 1px solid var(--rule); border-radius: 6px; padding: 6px; margin: 6px 0 10px; }
.chart svg { display: block; width: 100%; height: auto; }
.note { color: #555; font-size: 13px; margin: 2px 0 8px; }
.legend { font-size: 12px; color: #444; margin: 4px 0 0 6px; }
.legend span { margin-right: 16px; white-space: nowrap; }
.legend i { display: inline-block; width: 18px; height: 3px; vertical-align: middle; margin-right: 5px; }
table.heat { width: auto; }
table.heat td { padding: 2px 8px; min-width: 52px; border-bottom: 1px solid #fff; }
footer { margin-top: 36px; color: #777; font-size: 12px; border-top: 1px solid var(--rule); padding-top: 8px; }
@media print { body { background: #fff; } main { padding: 0; } .chart, table { break-inside: avoid; }
  h2, h3 { break-after: avoid; break-inside: avoid; }
  h2 + *, h3 + * { break-before: avoid; }
  /* Room for a few lines under a heading, taken back by a negative margin: a heading near
     the page's foot moves to the next page with what it introduces. */
  h2::after, h3::after { content: ""; display: block; height: 8em; margin-bottom: -8em; } }"#;

/// Line colours: weekdays in the report's ink, Saturday and Sunday apart, the vendor's plan
/// in the "met" green and intervals at risk in the "below" red.
const WEEKDAYS_COLOUR: &str = "#1f4e79";
const SATURDAY_COLOUR: &str = "#ef6c00";
const SUNDAY_COLOUR: &str = "#8e24aa";
const PLAN_COLOUR: &str = "#2e7d32";
const RISK_COLOUR: &str = "#c62828";

/// Monday to Friday, Saturday, Sunday: the day types an intraday profile tells apart.
const DAY_TYPES: usize = 3;

fn day_type(weekday: usize) -> usize {
    match weekday {
        5 => 1,
        6 => 2,
        _ => 0,
    }
}

fn day_type_name(t: usize, lang: Lang) -> &'static str {
    match t {
        0 => lang.pick("Monday–Friday", "lunes a viernes"),
        1 => lang.pick("Saturday", "sábado"),
        _ => lang.pick("Sunday", "domingo"),
    }
}

fn day_type_colour(t: usize) -> &'static str {
    [WEEKDAYS_COLOUR, SATURDAY_COLOUR, SUNDAY_COLOUR][t.min(2)]
}

fn num(v: f64, places: usize, lang: Lang) -> String {
    pacta_core::fmt::float(v, places, lang)
}

/// `HH:MM` → minutes after midnight.
fn minute_of_day(time: &str) -> Option<u32> {
    let (h, m) = time.split_once(':')?;
    Some(h.parse::<u32>().ok()? * 60 + m.parse::<u32>().ok()?)
}

fn clock(minute: u32) -> String {
    format!("{:02}:{:02}", minute / 60, minute % 60)
}

/// A tick step of 1, 2, 2.5 or 5 × 10ⁿ giving about `ticks` ticks up to `max`, so axes read in
/// round numbers.
fn nice_step(max: f64, ticks: f64) -> f64 {
    if !(max.is_finite() && max > 0.0) {
        return 1.0;
    }
    let raw = max / ticks;
    let mag = 10f64.powf(raw.log10().floor());
    let step = [1.0, 2.0, 2.5, 5.0, 10.0]
        .into_iter()
        .map(|m| m * mag)
        .find(|s| *s >= raw)
        .unwrap_or(10.0 * mag);
    // Agents and hours are whole things: no tick at 2.5 agents.
    step.max(1.0)
}

/// One interval of the plan placed in the week.
struct Placed<'a> {
    date: &'a str,
    minute: u32,
    length: u32,
    weekday: usize,
    queue: &'a str,
    in_seat: f64,
    scheduled: f64,
    planned: Option<f64>,
    in_seat_hours: f64,
    planned_hours: Option<f64>,
    at_risk: bool,
}

fn placed(r: &StaffingPlan) -> (Vec<Placed<'_>>, usize) {
    let mut out = Vec::with_capacity(r.intervals.len());
    let mut unplaced = 0;
    for row in &r.intervals {
        let Some((date, time, weekday)) = local_slot(&row.local) else {
            unplaced += 1;
            continue;
        };
        let Some(minute) = minute_of_day(time) else {
            unplaced += 1;
            continue;
        };
        out.push(Placed {
            date,
            minute,
            length: row.interval_minutes.round().max(1.0) as u32,
            weekday,
            queue: &row.queue,
            in_seat: f64::from(row.erlang_c.agents),
            scheduled: f64::from(row.erlang_c.scheduled_agents),
            planned: row.planned.as_ref().map(|p| f64::from(p.agents)),
            in_seat_hours: row.erlang_c.fte_hours,
            planned_hours: row.planned.as_ref().map(|p| p.fte_hours),
            at_risk: row.planned.as_ref().is_some_and(|p| p.at_risk),
        });
    }
    (out, unplaced)
}

/// The page: see the module documentation.
pub fn staffing_html(r: &StaffingPlan, lang: Lang) -> String {
    let (rows, unplaced) = placed(r);
    let title = format!(
        "{} — {}",
        lang.pick("Staffing plan", "Plan de dotación"),
        r.contract_id
    );
    let mut h = String::with_capacity(64 * 1024);
    let _ = write!(
        h,
        "<!DOCTYPE html>\n<html lang=\"{}\">\n<head>\n<meta charset=\"utf-8\">\n\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n\
         <title>{}</title>\n<style>\n{STYLE}\n</style>\n</head>\n<body>\n<main>\n<h1>{}</h1>\n",
        if lang == Lang::Es { "es" } else { "en" },
        html::escape(&title),
        html::escape(&title),
    );
    meta(&mut h, r, lang);
    cards(&mut h, r, &rows, lang);
    totals_table(&mut h, r, lang);
    queues_table(&mut h, r, lang);
    implied_service_level(&mut h, r, lang);
    intraday_charts(&mut h, r, &rows, lang);
    daily_chart(&mut h, &rows, lang);
    heatmap(&mut h, r, &rows, lang);
    at_risk_table(&mut h, r, lang);
    if unplaced > 0 {
        let _ = writeln!(
            h,
            "<p class=\"note\">{} {}</p>",
            pacta_core::fmt::integer(unplaced as u64, lang),
            lang.pick(
                "interval(s) without a local time are left out of the charts (the CSV lists them).",
                "intervalo(s) sin hora local quedan fuera de los gráficos (el CSV los incluye)."
            )
        );
    }
    let _ = writeln!(
        h,
        "<footer>{}</footer>\n</main>\n</body>\n</html>",
        lang.pick(
            "Erlang C and Erlang A, each interval staffed against the contract's service-level SLA. \
             Agents in seat are those answering; scheduled agents add shrinkage. Chat agents \
             handling several chats at once count once per agent (the service's concurrency).",
            "Erlang C y Erlang A, cada intervalo dotado según el SLA de nivel de servicio del \
             contrato. Los agentes en puesto son los que atienden; los programados suman la merma. \
             Los agentes de chat que atienden varios chats a la vez cuentan una vez (la \
             concurrencia del servicio)."
        )
    );
    h
}

fn meta(h: &mut String, r: &StaffingPlan, lang: Lang) {
    let _ = write!(
        h,
        "<p class=\"meta\"><span>{} <strong>{}</strong></span><span>{} {}</span><span>{}: {}</span>",
        lang.pick("Forecast", "Pronóstico"),
        html::escape(&r.source),
        lang.pick("shrinkage", "merma"),
        pct(r.shrinkage, lang),
        lang.pick("times in", "horas en"),
        html::escape(&r.time_zone),
    );
    if let Some(o) = r.max_occupancy {
        let _ = write!(
            h,
            "<span>{} {}</span>",
            lang.pick("occupancy at most", "ocupación máxima"),
            pct(o, lang)
        );
    }
    h.push_str("</p>\n");
    if let Some(e) = &r.estimate {
        let _ = writeln!(
            h,
            "<p class=\"meta\"><span>{} {} ({} {}, {} {})</span><span>{} <strong>{}</strong></span></p>",
            lang.pick("Estimated from", "Estimado a partir de"),
            html::escape(&e.data_month),
            e.weekdays_in_data_month,
            lang.pick("weekdays", "días laborables"),
            e.weekend_days_in_data_month,
            lang.pick("weekend days", "días de fin de semana"),
            lang.pick("plan for", "plan para"),
            html::escape(&e.plan_month),
        );
    }
}

fn card(h: &mut String, key: &str, value: &str, alert: bool) {
    let _ = write!(
        h,
        "<div class=\"card{}\"><div class=\"k\">{}</div><div class=\"v\">{}</div></div>",
        if alert { " alert" } else { "" },
        html::escape(key),
        html::escape(value)
    );
}

fn cards(h: &mut String, r: &StaffingPlan, rows: &[Placed<'_>], lang: Lang) {
    let tt = &r.totals;
    let _ = write!(
        h,
        "<h2>{}</h2>\n<div class=\"cards\">",
        lang.pick("Summary", "Resumen")
    );
    card(
        h,
        lang.pick("Contacts forecast", "Contactos pronosticados"),
        &num(tt.volume, 0, lang),
        false,
    );
    card(
        h,
        lang.pick("FTE hours in seat (C)", "Horas FTE en puesto (C)"),
        &num(tt.erlang_c_fte_hours, 1, lang),
        false,
    );
    card(
        h,
        lang.pick("FTE hours scheduled (C)", "Horas FTE programadas (C)"),
        &num(tt.erlang_c_scheduled_fte_hours, 1, lang),
        false,
    );
    // The busiest moment of the plan: all queues summed per interval.
    let mut per_slot: BTreeMap<(&str, u32), f64> = BTreeMap::new();
    for p in rows {
        *per_slot.entry((p.date, p.minute)).or_default() += p.scheduled;
    }
    if let Some(((date, minute), peak)) = per_slot
        .iter()
        .max_by(|a, b| a.1.total_cmp(b.1).then(b.0.cmp(a.0)))
    {
        card(
            h,
            &format!(
                "{} ({} {})",
                lang.pick("Peak scheduled agents", "Pico de agentes programados"),
                date,
                clock(*minute)
            ),
            &num(*peak, 0, lang),
            false,
        );
    }
    if let Some(p) = tt.planned_fte_hours {
        card(
            h,
            lang.pick(
                "Vendor plan, FTE hours in seat",
                "Plan del proveedor, horas FTE en puesto",
            ),
            &num(p, 1, lang),
            false,
        );
    }
    if let Some(s) = &r.staffing {
        card(
            h,
            lang.pick("Intervals at risk", "Intervalos en riesgo"),
            &format!(
                "{} {} {}",
                pacta_core::fmt::integer(s.intervals_at_risk as u64, lang),
                lang.pick("of", "de"),
                pacta_core::fmt::integer(tt.intervals as u64, lang)
            ),
            s.intervals_at_risk > 0,
        );
    }
    h.push_str("</div>\n");
}

fn totals_table(h: &mut String, r: &StaffingPlan, lang: Lang) {
    let tt = &r.totals;
    let _ = write!(
        h,
        "<h2>{}</h2>\n<table><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        lang.pick("Totals", "Totales"),
        lang.pick("Model", "Modelo"),
        lang.pick("Intervals", "Intervalos"),
        lang.pick("FTE hours in seat", "Horas FTE en puesto"),
        lang.pick("FTE hours scheduled", "Horas FTE programadas"),
    );
    let _ = write!(
        h,
        "<tr><td>Erlang C</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
        pacta_core::fmt::integer(tt.intervals as u64, lang),
        num(tt.erlang_c_fte_hours, 1, lang),
        num(tt.erlang_c_scheduled_fte_hours, 1, lang),
    );
    if tt.intervals_with_erlang_a > 0 {
        let _ = write!(
            h,
            "<tr><td>Erlang A <span class=\"small\">({})</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            lang.pick("intervals with a patience", "intervalos con paciencia"),
            pacta_core::fmt::integer(tt.intervals_with_erlang_a as u64, lang),
            num(tt.erlang_a_fte_hours, 1, lang),
            num(tt.erlang_a_scheduled_fte_hours, 1, lang),
        );
    }
    if let Some(p) = tt.planned_fte_hours {
        let _ = write!(
            h,
            "<tr><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">—</td></tr>",
            lang.pick("Vendor plan", "Plan del proveedor"),
            pacta_core::fmt::integer(tt.intervals as u64, lang),
            num(p, 1, lang),
        );
    }
    h.push_str("</tbody></table>\n");
}

/// Each queue: contacts, concurrency, hours and its busiest interval.
fn queues_table(h: &mut String, r: &StaffingPlan, lang: Lang) {
    struct Queue<'a> {
        contacts: f64,
        concurrency: f64,
        in_seat_hours: f64,
        scheduled_hours: f64,
        peak: Option<(&'a str, u32)>,
    }
    let mut queues: BTreeMap<&str, Queue<'_>> = BTreeMap::new();
    for row in &r.intervals {
        let q = queues.entry(row.queue.as_str()).or_insert(Queue {
            contacts: 0.0,
            concurrency: row.concurrency,
            in_seat_hours: 0.0,
            scheduled_hours: 0.0,
            peak: None,
        });
        q.contacts += row.volume;
        q.in_seat_hours += row.erlang_c.fte_hours;
        q.scheduled_hours += row.erlang_c.scheduled_fte_hours;
        let s = row.erlang_c.scheduled_agents;
        if q.peak.is_none_or(|(_, p)| s > p) {
            q.peak = Some((row.local.as_str(), s));
        }
    }
    let _ = write!(
        h,
        "<h2>{}</h2>\n<table><thead><tr><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>",
        lang.pick("Queues (Erlang C)", "Colas (Erlang C)"),
        lang.pick("Queue", "Cola"),
        lang.pick("Contacts", "Contactos"),
        lang.pick(
            "Contacts at once per agent",
            "Contactos a la vez por agente"
        ),
        lang.pick("FTE hours in seat", "Horas FTE en puesto"),
        lang.pick("FTE hours scheduled", "Horas FTE programadas"),
        lang.pick("Peak scheduled agents", "Pico de agentes programados"),
        lang.pick("Peak interval", "Intervalo pico"),
    );
    for (name, q) in &queues {
        let _ = write!(
            h,
            "<tr><td class=\"name\"><strong>{}</strong></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
            html::escape(name),
            num(q.contacts, 0, lang),
            num(
                q.concurrency,
                if q.concurrency.fract() == 0.0 { 0 } else { 1 },
                lang
            ),
            num(q.in_seat_hours, 1, lang),
            num(q.scheduled_hours, 1, lang),
            opt(q.peak, |(_, p)| pacta_core::fmt::integer(
                u64::from(p),
                lang
            )),
            html::escape(q.peak.map_or("—", |(when, _)| when)),
        );
    }
    h.push_str("</tbody></table>\n");
}

fn implied_service_level(h: &mut String, r: &StaffingPlan, lang: Lang) {
    let Some(s) = &r.staffing else {
        return;
    };
    let _ = write!(
        h,
        "<h2>{}</h2>\n<p class=\"note\">{} <code>{}</code></p>\n<table><thead><tr><th>SLA</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">Erlang C</th><th class=\"num\">Erlang A</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th>{}</th></tr></thead><tbody>",
        lang.pick(
            "Service level the vendor's plan implies",
            "Nivel de servicio que implica el plan del proveedor"
        ),
        lang.pick("Vendor plan:", "Plan del proveedor:"),
        html::escape(&s.file),
        lang.pick("Target", "Objetivo"),
        lang.pick("Intervals", "Intervalos"),
        lang.pick("Abandoned (A)", "Abandono (A)"),
        lang.pick("At risk", "En riesgo"),
        lang.pick("Month", "Mes"),
    );
    for g in &s.by_target {
        let verdict = match g.meets_target {
            Some(true) => format!(
                "<span class=\"pill met\">{}</span>",
                lang.pick("meets target", "cumple el objetivo")
            ),
            Some(false) => format!(
                "<span class=\"pill below\">{}</span>",
                lang.pick("below target", "bajo el objetivo")
            ),
            None => "—".to_string(),
        };
        let _ = write!(
            h,
            "<tr><td><strong>{}</strong></td><td>{} / {} s <span class=\"small\">{}</span></td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td>{verdict}</td></tr>",
            html::escape(g.sla_id.as_deref().unwrap_or("--")),
            pct(g.target_share, lang),
            num(g.threshold_s, 0, lang),
            g.variant,
            pacta_core::fmt::integer(g.intervals as u64, lang),
            opt(g.erlang_c_service_level, |v| pct(v, lang)),
            opt(g.erlang_a_service_level, |v| pct(v, lang)),
            opt(g.erlang_a_abandon_share, |v| pct(v, lang)),
            pacta_core::fmt::integer(g.intervals_at_risk as u64, lang),
        );
    }
    h.push_str("</tbody></table>\n");
}

/// Plot geometry shared by the line and bar charts: the SVG's size and the margins that
/// leave room for tick labels and axis titles (the last tick label included).
struct Frame {
    width: f64,
    height: f64,
    left: f64,
    right: f64,
    top: f64,
    bottom: f64,
}

const FRAME: Frame = Frame {
    width: 1000.0,
    height: 320.0,
    left: 64.0,
    right: 28.0,
    top: 14.0,
    bottom: 52.0,
};

impl Frame {
    fn plot_width(&self) -> f64 {
        self.width - self.left - self.right
    }
    fn plot_height(&self) -> f64 {
        self.height - self.top - self.bottom
    }
    fn y(&self, v: f64, max: f64) -> f64 {
        self.top + self.plot_height() * (1.0 - v / max)
    }
}

/// The y axis: grid lines at round steps, their labels in the page's language and the
/// axis title; returns the axis maximum.
fn y_axis(h: &mut String, f: &Frame, data_max: f64, title: &str, lang: Lang) -> f64 {
    let step = nice_step(data_max.max(1.0), 5.0);
    let max = (data_max.max(1.0) / step).ceil() * step;
    let mut v = 0.0;
    while v <= max + step * 1e-9 {
        let y = f.y(v, max);
        let _ = write!(
            h,
            "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{y:.1}\" y2=\"{y:.1}\" stroke=\"{}\"/>\
             <text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#555\">{}</text>",
            f.left,
            f.width - f.right,
            if v == 0.0 { "#999" } else { "#e0e0e0" },
            f.left - 6.0,
            y + 4.0,
            num(v, if step.fract() == 0.0 { 0 } else { 1 }, lang)
        );
        v += step;
    }
    let cy = f.top + f.plot_height() / 2.0;
    let _ = write!(
        h,
        "<text x=\"16\" y=\"{cy:.1}\" font-size=\"12\" fill=\"#333\" text-anchor=\"middle\" transform=\"rotate(-90 16 {cy:.1})\">{}</text>",
        html::escape(title)
    );
    max
}

fn x_title(h: &mut String, f: &Frame, title: &str) {
    let _ = write!(
        h,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#333\" text-anchor=\"middle\">{}</text>",
        f.left + f.plot_width() / 2.0,
        f.height - 8.0,
        html::escape(title)
    );
}

fn svg_open(h: &mut String, f: &Frame, label: &str) {
    let _ = write!(
        h,
        "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {} {}\" role=\"img\" aria-label=\"{}\" font-family=\"system-ui, sans-serif\">",
        f.width,
        f.height,
        html::escape(label)
    );
}

/// A legend entry: a line sample in `colour` (dashed when `dash`) and its text.
fn legend_entry(colour: &str, dash: bool, text: &str) -> String {
    format!(
        "<span><i style=\"background:{}\"></i>{}</span>",
        if dash {
            format!("repeating-linear-gradient(90deg,{colour} 0 5px,transparent 5px 8px)")
        } else {
            colour.to_string()
        },
        html::escape(text)
    )
}

/// Averages per day type and interval of the day for one queue: Σ agents over the dates /
/// the number of dates of that day type in the plan (a closed interval counts as 0).
struct Profile {
    in_seat: BTreeMap<(usize, u32), f64>,
    planned: BTreeMap<(usize, u32), f64>,
    dates: [usize; DAY_TYPES],
    first_minute: u32,
    last_minute: u32,
    at_risk: BTreeMap<(usize, u32), usize>,
}

fn profile(rows: &[Placed<'_>], queue: &str) -> Profile {
    let mut dates: [BTreeSet<&str>; DAY_TYPES] = Default::default();
    let mut p = Profile {
        in_seat: BTreeMap::new(),
        planned: BTreeMap::new(),
        dates: [0; DAY_TYPES],
        first_minute: u32::MAX,
        last_minute: 0,
        at_risk: BTreeMap::new(),
    };
    for x in rows.iter().filter(|x| x.queue == queue) {
        let t = day_type(x.weekday);
        dates[t].insert(x.date);
        *p.in_seat.entry((t, x.minute)).or_default() += x.in_seat;
        if let Some(v) = x.planned {
            *p.planned.entry((t, x.minute)).or_default() += v;
        }
        if x.at_risk {
            *p.at_risk.entry((t, x.minute)).or_default() += 1;
        }
        p.first_minute = p.first_minute.min(x.minute);
        p.last_minute = p.last_minute.max(x.minute + x.length);
    }
    for (t, d) in dates.iter().enumerate() {
        p.dates[t] = d.len();
    }
    for ((t, _), v) in p.in_seat.iter_mut().chain(p.planned.iter_mut()) {
        *v /= p.dates[*t].max(1) as f64;
    }
    p
}

/// One chart per queue: average agents in seat Erlang C requires per interval of the day, a
/// line per day type, with the vendor's plan dashed beside it. Time ticks fall on whole
/// hours; a step line, since staffing holds for the whole interval.
fn intraday_charts(h: &mut String, r: &StaffingPlan, rows: &[Placed<'_>], lang: Lang) {
    let queues: BTreeSet<&str> = rows.iter().map(|p| p.queue).collect();
    if queues.is_empty() {
        return;
    }
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>",
        lang.pick(
            "Intraday profile: agents in seat required",
            "Perfil intradía: agentes en puesto requeridos"
        ),
        lang.pick(
            "Erlang C, average over the plan's dates of each day type, per interval of the day. \
             The vendor's plan is averaged the same way; red marks count intervals it leaves at risk.",
            "Erlang C, promedio de las fechas del plan de cada tipo de día, por intervalo del día. \
             El plan del proveedor se promedia igual; las marcas rojas cuentan los intervalos que deja en riesgo."
        )
    );
    let f = &FRAME;
    for queue in queues {
        let p = profile(rows, queue);
        if p.first_minute >= p.last_minute {
            continue;
        }
        // Whole hours around the open intervals.
        let start = p.first_minute / 60 * 60;
        let end = p.last_minute.div_ceil(60) * 60;
        let span = f64::from(end - start);
        let x = |m: u32| f.left + f.plot_width() * f64::from(m - start) / span;
        let data_max = p
            .in_seat
            .values()
            .chain(p.planned.values())
            .fold(0.0_f64, |a, b| a.max(*b));
        let _ = writeln!(
            h,
            "<h3>{} {}</h3>",
            lang.pick("Queue", "Cola"),
            html::escape(queue)
        );
        svg_open(
            h,
            f,
            &format!(
                "{} {queue}",
                lang.pick("Intraday profile of", "Perfil intradía de")
            ),
        );
        let max = y_axis(
            h,
            f,
            data_max,
            lang.pick("agents in seat", "agentes en puesto"),
            lang,
        );
        let hours = (end - start) / 60;
        let every = if hours <= 12 { 1 } else { 2 };
        let mut m = start;
        while m <= end {
            let _ = write!(
                h,
                "<line x1=\"{0:.1}\" x2=\"{0:.1}\" y1=\"{1:.1}\" y2=\"{2:.1}\" stroke=\"#999\"/>\
                 <text x=\"{0:.1}\" y=\"{3:.1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#555\">{4}</text>",
                x(m),
                f.height - f.bottom,
                f.height - f.bottom + 5.0,
                f.height - f.bottom + 19.0,
                clock(m)
            );
            m += every * 60;
        }
        x_title(
            h,
            f,
            &format!(
                "{} ({})",
                lang.pick("time of day", "hora del día"),
                r.time_zone
            ),
        );
        let length = rows
            .iter()
            .filter(|x| x.queue == queue)
            .map(|x| x.length)
            .min()
            .unwrap_or(30);
        let step_line = |values: &BTreeMap<(usize, u32), f64>, t: usize| -> String {
            let mut pts = String::new();
            let mut m = p.first_minute;
            while m < p.last_minute {
                let v = values.get(&(t, m)).copied().unwrap_or(0.0);
                let y = f.y(v, max);
                let _ = write!(pts, "{:.1},{y:.1} {:.1},{y:.1} ", x(m), x(m + length));
                m += length;
            }
            pts
        };
        let mut legend = Vec::new();
        // Weekend profiles estimated from one weekend pattern are the same: one line then.
        let same_weekend = p.dates[1] > 0
            && p.dates[2] > 0
            && (p.first_minute..p.last_minute).all(|m| {
                p.in_seat.get(&(1, m)) == p.in_seat.get(&(2, m))
                    && p.planned.get(&(1, m)) == p.planned.get(&(2, m))
            });
        for t in 0..DAY_TYPES {
            if p.dates[t] == 0 || (same_weekend && t == 1) {
                continue;
            }
            let colour = day_type_colour(t);
            let _ = write!(
                h,
                "<polyline fill=\"none\" stroke=\"{colour}\" stroke-width=\"2\" points=\"{}\"/>",
                step_line(&p.in_seat, t)
            );
            let (name, dates) = if same_weekend && t == 2 {
                (
                    lang.pick("Saturday and Sunday", "sábado y domingo"),
                    p.dates[1] + p.dates[2],
                )
            } else {
                (day_type_name(t, lang), p.dates[t])
            };
            legend.push(legend_entry(
                colour,
                false,
                &format!(
                    "{name} ({dates} {})",
                    match (dates, lang) {
                        (1, Lang::En) => "date",
                        (1, Lang::Es) => "fecha",
                        (_, Lang::En) => "dates",
                        (_, Lang::Es) => "fechas",
                    }
                ),
            ));
        }
        if !p.planned.is_empty() {
            for t in 0..DAY_TYPES {
                if p.dates[t] == 0 || (same_weekend && t == 1) {
                    continue;
                }
                let _ = write!(
                    h,
                    "<polyline fill=\"none\" stroke=\"{PLAN_COLOUR}\" stroke-width=\"1.5\" stroke-dasharray=\"5 3\" points=\"{}\"/>",
                    step_line(&p.planned, t)
                );
            }
            legend.push(legend_entry(
                PLAN_COLOUR,
                true,
                lang.pick(
                    "vendor plan (each day type)",
                    "plan del proveedor (cada tipo de día)",
                ),
            ));
        }
        if !p.at_risk.is_empty() {
            for ((t, m), n) in &p.at_risk {
                let v = p.in_seat.get(&(*t, *m)).copied().unwrap_or(0.0);
                let _ = write!(
                    h,
                    "<circle cx=\"{:.1}\" cy=\"{:.1}\" r=\"3.5\" fill=\"{RISK_COLOUR}\"><title>{} {}: {} {}</title></circle>",
                    x(*m) + f.plot_width() * f64::from(length) / span / 2.0,
                    f.y(v, max),
                    day_type_name(*t, lang),
                    clock(*m),
                    n,
                    lang.pick("interval(s) at risk", "intervalo(s) en riesgo")
                );
            }
            legend.push(format!(
                "<span><b style=\"color:{RISK_COLOUR}\">●</b> {}</span>",
                lang.pick("intervals at risk", "intervalos en riesgo")
            ));
        }
        let _ = writeln!(
            h,
            "</svg>\n<p class=\"legend\">{}</p></div>",
            legend.join("")
        );
    }
}

/// FTE hours in seat per date, all queues: bars, weekends in their colours, the vendor's plan
/// as a mark per day. One tick per date (every seventh beyond a month).
fn daily_chart(h: &mut String, rows: &[Placed<'_>], lang: Lang) {
    let mut per_date: BTreeMap<&str, (usize, f64, Option<f64>)> = BTreeMap::new();
    for x in rows {
        let e = per_date.entry(x.date).or_insert((x.weekday, 0.0, None));
        e.1 += x.in_seat_hours;
        if let Some(p) = x.planned_hours {
            *e.2.get_or_insert(0.0) += p;
        }
    }
    if per_date.len() < 2 {
        return;
    }
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<p class=\"note\">{}</p>",
        lang.pick("FTE hours in seat per day", "Horas FTE en puesto por día"),
        lang.pick(
            "Erlang C, all queues. Scheduled hours are these divided by (1 − shrinkage).",
            "Erlang C, todas las colas. Las horas programadas son estas divididas por (1 − merma)."
        )
    );
    let f = &FRAME;
    svg_open(
        h,
        f,
        lang.pick("FTE hours in seat per day", "Horas FTE en puesto por día"),
    );
    let data_max = per_date
        .values()
        .map(|(_, c, p)| c.max(p.unwrap_or(0.0)))
        .fold(0.0_f64, f64::max);
    let max = y_axis(h, f, data_max, lang.pick("FTE hours", "horas FTE"), lang);
    let n = per_date.len();
    let slot = f.plot_width() / n as f64;
    let one_month = per_date
        .keys()
        .map(|d| d.get(..7).unwrap_or(d))
        .collect::<BTreeSet<_>>()
        .len()
        == 1;
    let label_every = if n <= 31 { 1 } else { 7 };
    let mut has_plan = false;
    for (i, (date, (weekday, hours, planned))) in per_date.iter().enumerate() {
        let x0 = f.left + slot * i as f64;
        let colour = day_type_colour(day_type(*weekday));
        let y = f.y(*hours, max);
        let _ = write!(
            h,
            "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{colour}\" opacity=\"0.85\"><title>{date}: {}</title></rect>",
            x0 + slot * 0.15,
            slot * 0.7,
            (f.height - f.bottom - y).max(0.0),
            num(*hours, 1, lang)
        );
        if let Some(p) = planned {
            has_plan = true;
            let yp = f.y(*p, max);
            let _ = write!(
                h,
                "<line x1=\"{:.1}\" x2=\"{:.1}\" y1=\"{yp:.1}\" y2=\"{yp:.1}\" stroke=\"{PLAN_COLOUR}\" stroke-width=\"3\"><title>{date}: {}</title></line>",
                x0 + slot * 0.05,
                x0 + slot * 0.95,
                num(*p, 1, lang)
            );
        }
        if i % label_every == 0 {
            let label = if one_month {
                date.get(8..).unwrap_or(date).trim_start_matches('0')
            } else {
                date.get(5..).unwrap_or(date)
            };
            let _ = write!(
                h,
                "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"11\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
                x0 + slot / 2.0,
                f.height - f.bottom + 16.0,
                html::escape(label)
            );
        }
    }
    let month_title = if one_month {
        per_date
            .keys()
            .next()
            .and_then(|d| d.get(..10))
            .and_then(|d| d.parse::<jiff::civil::Date>().ok())
            .map(|d| {
                let m = pacta_core::fmt::month_name(d.month(), lang);
                match lang {
                    Lang::En => format!("day of {m} {}", d.year()),
                    Lang::Es => format!("día de {m} de {}", d.year()),
                }
            })
    } else {
        None
    };
    x_title(
        h,
        f,
        &month_title.unwrap_or_else(|| lang.pick("date", "fecha").to_string()),
    );
    let mut legend = vec![
        legend_entry(WEEKDAYS_COLOUR, false, day_type_name(0, lang)),
        legend_entry(SATURDAY_COLOUR, false, day_type_name(1, lang)),
        legend_entry(SUNDAY_COLOUR, false, day_type_name(2, lang)),
    ];
    if has_plan {
        legend.push(legend_entry(
            PLAN_COLOUR,
            false,
            lang.pick("vendor plan", "plan del proveedor"),
        ));
    }
    let _ = writeln!(
        h,
        "</svg>\n<p class=\"legend\">{}</p></div>",
        legend.join("")
    );
}

/// White to the report's ink (#1f4e79) as `share` goes from 0 to 1.
fn heat_colour(share: f64) -> String {
    let s = if share.is_finite() {
        share.clamp(0.0, 1.0)
    } else {
        0.0
    };
    let mix = |to: f64| (255.0 + (to - 255.0) * s).round() as u8;
    format!("#{:02x}{:02x}{:02x}", mix(31.0), mix(78.0), mix(121.0))
}

/// Scheduled agents (Erlang C, all queues) per weekday and interval of the day, averaged over
/// the plan's dates of that weekday: an SVG heatmap, then the same numbers as a table.
fn heatmap(h: &mut String, r: &StaffingPlan, rows: &[Placed<'_>], lang: Lang) {
    if rows.is_empty() {
        return;
    }
    let mut dates: [BTreeSet<&str>; 7] = Default::default();
    let mut sums: BTreeMap<(u32, usize), f64> = BTreeMap::new();
    for x in rows {
        dates[x.weekday].insert(x.date);
        *sums.entry((x.minute, x.weekday)).or_default() += x.scheduled;
    }
    let avg = |m: u32, w: usize| -> Option<f64> {
        (!dates[w].is_empty())
            .then(|| sums.get(&(m, w)).copied().unwrap_or(0.0) / dates[w].len() as f64)
    };
    let minutes: BTreeSet<u32> = sums.keys().map(|(m, _)| *m).collect();
    let max = sums
        .keys()
        .filter_map(|(m, w)| avg(*m, *w))
        .fold(0.0_f64, f64::max)
        .max(1.0);
    // Whole numbers stay whole (an estimated profile repeats each weekday exactly).
    let places = if sums
        .keys()
        .filter_map(|(m, w)| avg(*m, *w))
        .all(|v| (v - v.round()).abs() < 1e-9)
    {
        0
    } else {
        1
    };
    let names = match lang {
        Lang::En => WEEKDAYS_EN,
        Lang::Es => WEEKDAYS_ES,
    };
    let _ = writeln!(
        h,
        "<h2>{}</h2>\n<p class=\"note\">{} {}</p>",
        lang.pick(
            "Intraday grid: scheduled agents by weekday and interval",
            "Tabla intradía: agentes programados por día de la semana e intervalo"
        ),
        lang.pick(
            "Erlang C after shrinkage, all queues, average over the plan's dates of each weekday.",
            "Erlang C con la merma, todas las colas, promedio de las fechas del plan de cada día de la semana."
        ),
        lang.pick(
            "Darker is more agents.",
            "Más oscuro, más agentes."
        )
    );
    // Heatmap: intervals across, weekdays down.
    let (left, top, cell_h, right, bottom) = (64.0, 8.0, 26.0, 28.0, 62.0);
    let width = FRAME.width;
    let cols = minutes.len().max(1);
    let cell_w = (width - left - right) / cols as f64;
    let height = top + cell_h * 7.0 + bottom;
    let _ = write!(
        h,
        "<div class=\"chart\"><svg xmlns=\"http://www.w3.org/2000/svg\" viewBox=\"0 0 {width} {height}\" role=\"img\" aria-label=\"{}\" font-family=\"system-ui, sans-serif\">",
        html::escape(lang.pick(
            "Heatmap of scheduled agents",
            "Mapa de calor de agentes programados"
        ))
    );
    for (w, name) in names.iter().enumerate() {
        let y = top + cell_h * w as f64;
        let _ = write!(
            h,
            "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"end\" fill=\"#555\">{name}</text>",
            left - 8.0,
            y + cell_h / 2.0 + 4.0
        );
        for (i, m) in minutes.iter().enumerate() {
            let Some(v) = avg(*m, w) else {
                continue;
            };
            let _ = write!(
                h,
                "<rect x=\"{:.1}\" y=\"{y:.1}\" width=\"{:.1}\" height=\"{:.1}\" fill=\"{}\" stroke=\"#fff\" stroke-width=\"0.5\"><title>{name} {}: {}</title></rect>",
                left + cell_w * i as f64,
                cell_w,
                cell_h,
                heat_colour(v / max),
                clock(*m),
                num(v, places, lang)
            );
        }
    }
    // Ticks on whole hours only, every other hour when the day is long.
    let hour_columns: Vec<(usize, u32)> = minutes
        .iter()
        .enumerate()
        .filter(|(_, m)| *m % 60 == 0)
        .map(|(i, m)| (i, *m))
        .collect();
    let every = if hour_columns.len() > 12 { 2 } else { 1 };
    let axis_y = top + cell_h * 7.0;
    for (i, m) in hour_columns.iter().filter(|(_, m)| (m / 60) % every == 0) {
        let x = left + cell_w * *i as f64;
        let _ = write!(
            h,
            "<line x1=\"{x:.1}\" x2=\"{x:.1}\" y1=\"{axis_y:.1}\" y2=\"{:.1}\" stroke=\"#999\"/>\
             <text x=\"{x:.1}\" y=\"{:.1}\" font-size=\"12\" text-anchor=\"middle\" fill=\"#555\">{}</text>",
            axis_y + 5.0,
            axis_y + 19.0,
            clock(*m)
        );
    }
    let _ = write!(
        h,
        "<text x=\"{:.1}\" y=\"{:.1}\" font-size=\"12\" fill=\"#333\" text-anchor=\"middle\">{} ({})</text>",
        left + (width - left - right) / 2.0,
        axis_y + 38.0,
        lang.pick(
            "interval start, time of day",
            "inicio del intervalo, hora del día"
        ),
        html::escape(&r.time_zone)
    );
    // Colour scale.
    let scale_x = width - right - 240.0;
    let scale_y = height - 14.0;
    for k in 0..40 {
        let _ = write!(
            h,
            "<rect x=\"{:.1}\" y=\"{:.1}\" width=\"4.5\" height=\"8\" fill=\"{}\"/>",
            scale_x + 60.0 + 4.5 * f64::from(k),
            scale_y - 8.0,
            heat_colour(f64::from(k) / 39.0)
        );
    }
    let _ = write!(
        h,
        "<text x=\"{:.1}\" y=\"{scale_y:.1}\" font-size=\"11\" text-anchor=\"end\" fill=\"#555\">0</text>\
         <text x=\"{:.1}\" y=\"{scale_y:.1}\" font-size=\"11\" fill=\"#555\">{} {}</text>",
        scale_x + 56.0,
        scale_x + 60.0 + 4.5 * 40.0 + 4.0,
        num(max, 0, lang),
        lang.pick("agents", "agentes")
    );
    h.push_str("</svg></div>\n");
    // The same numbers as a table, each cell shaded like the heatmap.
    let _ = write!(
        h,
        "<table class=\"heat\"><thead><tr><th>{}</th>",
        lang.pick("Interval", "Intervalo")
    );
    for name in names {
        let _ = write!(h, "<th class=\"num\">{name}</th>");
    }
    h.push_str("</tr></thead><tbody>\n");
    for m in &minutes {
        let _ = write!(h, "<tr><td>{}</td>", clock(*m));
        for w in 0..7 {
            match avg(*m, w) {
                Some(v) => {
                    let share = v / max;
                    let _ = write!(
                        h,
                        "<td class=\"num\" style=\"background:{};color:{}\">{}</td>",
                        heat_colour(share),
                        if share > 0.55 { "#fff" } else { "#222" },
                        num(v, places, lang)
                    );
                }
                None => h.push_str("<td class=\"num\">—</td>"),
            }
        }
        h.push_str("</tr>\n");
    }
    h.push_str("</tbody></table>\n");
}

/// The most intervals at risk listed on the page; the CSV has them all.
const AT_RISK_SHOWN: usize = 40;

fn at_risk_table(h: &mut String, r: &StaffingPlan, lang: Lang) {
    let Some(s) = &r.staffing else {
        return;
    };
    let risky: Vec<_> = r
        .intervals
        .iter()
        .filter(|row| row.planned.as_ref().is_some_and(|p| p.at_risk))
        .collect();
    let _ = writeln!(
        h,
        "<h2>{}: {}</h2>",
        lang.pick(
            "Intervals the vendor's plan leaves at risk",
            "Intervalos que el plan del proveedor deja en riesgo"
        ),
        pacta_core::fmt::integer(s.intervals_at_risk as u64, lang)
    );
    if risky.is_empty() {
        return;
    }
    let _ = write!(
        h,
        "<table><thead><tr><th>{}</th><th>{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th><th class=\"num\">{}</th></tr></thead><tbody>",
        lang.pick("Interval", "Intervalo"),
        lang.pick("Queue", "Cola"),
        lang.pick("Contacts", "Contactos"),
        lang.pick("Planned agents", "Agentes planificados"),
        lang.pick("Required C / A", "Requeridos C / A"),
        lang.pick("Short by", "Faltan"),
        lang.pick(
            "Service level with the plan",
            "Nivel de servicio con el plan"
        ),
    );
    for row in risky.iter().take(AT_RISK_SHOWN) {
        if let Some(p) = &row.planned {
            let _ = write!(
                h,
                "<tr><td>{}</td><td>{}</td><td class=\"num\">{}</td><td class=\"num\">{}</td><td class=\"num\">{} / {}</td><td class=\"num\">{}</td><td class=\"num\">{}</td></tr>",
                html::escape(&row.local),
                html::escape(&row.queue),
                num(row.volume, 1, lang),
                pacta_core::fmt::integer(u64::from(p.agents), lang),
                pacta_core::fmt::integer(u64::from(row.erlang_c.agents), lang),
                opt(row.erlang_a.as_ref(), |a| pacta_core::fmt::integer(
                    u64::from(a.agents),
                    lang
                )),
                num(p.shortfall_agents as f64, 0, lang),
                pct(p.service_level(), lang),
            );
        }
    }
    h.push_str("</tbody></table>\n");
    if risky.len() > AT_RISK_SHOWN {
        let _ = writeln!(
            h,
            "<p class=\"small\">… {} {} (--format csv)</p>",
            pacta_core::fmt::integer((risky.len() - AT_RISK_SHOWN) as u64, lang),
            lang.pick("more", "más")
        );
    }
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
        assert!(en.contains("<h3>Queue &lt;cards&gt;</h3>"));
        assert!(!en.contains("<cards>"));
        let es = staffing_html(&p, Lang::Es);
        assert!(es.contains("<html lang=\"es\">") && es.contains("Plan de dotación"));
        assert!(es.contains("Perfil intradía") && es.contains("agentes en puesto"));
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

    /// Two queues over a Monday and a Saturday, chat at two chats per agent, and a vendor
    /// plan one agent short of Erlang A on the Monday 08:30 cards interval.
    fn review_plan() -> StaffingPlan {
        let text = include_str!("../../../examples/bank-inbound-manila.toml").replace(
            "queues = [\"web-chat\"]",
            "queues = [\"web-chat\"]\nconcurrency = 2",
        );
        let contract = pacta_contract::parse_bytes(text.as_bytes()).expect("valid contract");
        let mut csv = String::from("interval_start,queue,volume,aht_s,patience_s\n");
        let mut staffing = String::from("interval_start,queue,agents\n");
        for date in ["2026-11-02", "2026-11-07"] {
            for (time, cards, chat) in
                [("08:00", 900, 60), ("08:30", 1500, 90), ("09:00", 1200, 75)]
            {
                csv.push_str(&format!("{date} {time},cards,{cards},180,90\n"));
                csv.push_str(&format!("{date} {time},web-chat,{chat},540,120\n"));
            }
        }
        let forecast = pacta_planning::parse_forecast(
            csv.as_bytes(),
            "review.csv",
            &contract.time_zone,
            30.0,
            None,
        )
        .expect("valid forecast");
        let options = pacta_planning::PlanOptions::default();
        let required =
            pacta_planning::staff(&contract, &forecast, None, &options, None).expect("planned");
        for row in &required.intervals {
            // With a patience the verdict is Erlang A's: one agent below what it needs.
            let agents = if row.queue == "cards" && row.local == "2026-11-02 08:30" {
                row.erlang_a
                    .as_ref()
                    .map_or(row.erlang_c.agents, |a| a.agents)
                    - 1
            } else {
                row.erlang_c.agents + 1
            };
            staffing.push_str(&format!("{},{},{agents}\n", row.local, row.queue));
        }
        let vendor =
            pacta_planning::parse_staffing(staffing.as_bytes(), "vendor.csv", &contract.time_zone)
                .expect("valid staffing");
        pacta_planning::staff(&contract, &forecast, Some(&vendor), &options, None).expect("planned")
    }

    #[test]
    fn numbers_follow_the_page_language() {
        let p = review_plan();
        let volume = p.totals.volume;
        assert_eq!(volume, 7650.0);
        let en = staffing_html(&p, Lang::En);
        let es = staffing_html(&p, Lang::Es);
        assert!(
            en.contains("<div class=\"v\">7,650</div>"),
            "contacts card in English"
        );
        assert!(
            es.contains("<div class=\"v\">7.650</div>"),
            "contacts card in Spanish"
        );
        let hours = p.totals.erlang_c_scheduled_fte_hours;
        assert_eq!(hours, 612.0);
        assert!(en.contains("<td class=\"num\">612.0</td>"));
        assert!(es.contains("<td class=\"num\">612,0</td>"));
        // Every Spanish percentage uses the decimal comma.
        assert!(es.contains("80,0 %") && !es.contains("80.0 %"));
    }

    #[test]
    fn the_review_page_has_the_intraday_grid_a_legend_and_spanish_text() {
        let p = review_plan();
        let es = staffing_html(&p, Lang::Es);
        for expected in [
            "Tabla intradía: agentes programados por día de la semana e intervalo",
            "<th class=\"num\">lun</th>",
            "<th class=\"num\">sáb</th>",
            "class=\"legend\"",
            "lunes a viernes (1 fecha)",
            "plan del proveedor (cada tipo de día)",
            "intervalos en riesgo",
            "hora del día (Asia/Manila)",
            "agentes en puesto",
            "Contactos a la vez por agente",
        ] {
            assert!(es.contains(expected), "missing {expected:?}");
        }
        // Heatmap cells: 3 intervals × 7 weekdays, the 5 weekdays without a date left empty.
        assert_eq!(
            es.matches("stroke=\"#fff\" stroke-width=\"0.5\"").count(),
            3 * 2
        );
        // A day bar per date.
        assert_eq!(es.matches("opacity=\"0.85\"").count(), 2);
        insta::assert_snapshot!("staffing_review_es", es);
        insta::assert_snapshot!("staffing_review_en", staffing_html(&p, Lang::En));
    }

    #[test]
    fn ticks_are_round_numbers() {
        assert_eq!(nice_step(39.0, 5.0), 10.0);
        assert_eq!(nice_step(7.0, 5.0), 2.0);
        assert_eq!(nice_step(3.0, 5.0), 1.0);
        assert_eq!(nice_step(1200.0, 5.0), 250.0);
        assert_eq!(heat_colour(0.0), "#ffffff");
        assert_eq!(heat_colour(1.0), "#1f4e79");
    }
}
