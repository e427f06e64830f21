//! The staffing plan as text: a terminal table and CSV.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use pacta_core::Lang;
use pacta_core::text_table::{Column, laid_out};
use pacta_planning::{PlannedStaffing, StaffingPlan};

/// `0.8` → `80.0 %` / `80,0 %`.
pub(crate) fn pct(v: f64, lang: Lang) -> String {
    format!("{} %", pacta_core::fmt::float(v * 100.0, 1, lang))
}

/// The value through `f`, or `—` when there is none.
pub(crate) fn opt<T>(v: Option<T>, f: impl Fn(T) -> String) -> String {
    v.map_or_else(|| "—".to_string(), f)
}

/// One interval: when, queue, calls, AHT, patience | Erlang C agents, service level, ASA |
/// Erlang A agents, service level, abandons | scheduled agents (C/A).
const INTERVALS: [Column; 12] = [
    Column::left("", 16),
    Column::left(" ", 14),
    Column::right(" ", 8),
    Column::right(" ", 6),
    Column::right(" ", 6),
    Column::right(" | ", 5),
    Column::right(" ", 7),
    Column::right(" ", 6),
    Column::right(" | ", 5),
    Column::right(" ", 7),
    Column::right(" ", 6),
    Column::right(" | ", 9),
];

/// The vendor's plan beside an interval: its agents, their service level, the risk.
const PLANNED: [Column; 3] = [
    Column::right(" | ", 5),
    Column::right(" ", 7),
    Column::rest("  "),
];

/// The plan as a terminal table, within 100 columns: the header, the estimate (if any), the
/// scheduled agents by weekday and time of day, each queue's peak, the intervals the
/// vendor's plan leaves at risk, and the totals. [`staffing_table_wide`] lists every
/// interval instead.
pub fn staffing_table(r: &StaffingPlan, lang: Lang) -> String {
    let mut out = String::new();
    header(&mut out, r, lang);
    let _ = writeln!(out);
    weekday_grid(&mut out, r, lang);
    let _ = writeln!(out);
    queue_peaks(&mut out, r, lang);
    at_risk(&mut out, r, lang);
    let _ = writeln!(out);
    totals(&mut out, r, lang);
    let _ = writeln!(
        out,
        "{}",
        lang.pick(
            "Every interval: --wide, or --format csv.",
            "Todos los intervalos: --wide, o --format csv."
        )
    );
    out
}

/// The plan with every interval on its own line (`pacta plan --wide`; 112 columns and more).
pub fn staffing_table_wide(r: &StaffingPlan, lang: Lang) -> String {
    let mut out = String::new();
    header(&mut out, r, lang);
    let _ = writeln!(out);
    every_interval(&mut out, r, lang);
    let _ = writeln!(out);
    totals(&mut out, r, lang);
    out
}

pub(crate) const WEEKDAYS_EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
pub(crate) const WEEKDAYS_ES: [&str; 7] = ["lun", "mar", "mié", "jue", "vie", "sáb", "dom"];

/// The local date and time of day of an interval (`2026-11-03 09:30`), with the date's
/// weekday (0 = Monday).
pub(crate) fn local_slot(local: &str) -> Option<(&str, &str, usize)> {
    let (date, time) = local.split_once(' ')?;
    let weekday = date.parse::<jiff::civil::Date>().ok()?.weekday();
    Some((
        date,
        time,
        usize::try_from(weekday.to_monday_zero_offset()).ok()?,
    ))
}

/// Scheduled agents (Erlang C) over all queues, per time of day (rows) and weekday
/// (columns): each cell is the busiest date of that weekday in the month.
fn weekday_grid(out: &mut String, r: &StaffingPlan, lang: Lang) {
    let mut per_date: BTreeMap<(&str, &str), (usize, u32)> = BTreeMap::new();
    let mut unplaced = 0usize;
    for row in &r.intervals {
        match local_slot(&row.local) {
            Some((date, time, weekday)) => {
                let cell = per_date.entry((time, date)).or_insert((weekday, 0));
                cell.1 = cell.1.saturating_add(row.erlang_c.scheduled_agents);
            }
            None => unplaced += 1,
        }
    }
    let mut grid: BTreeMap<&str, [Option<u32>; 7]> = BTreeMap::new();
    for ((time, _), (weekday, agents)) in &per_date {
        let cell = &mut grid.entry(time).or_insert([None; 7])[*weekday];
        *cell = Some(cell.map_or(*agents, |v| v.max(*agents)));
    }
    let _ = writeln!(
        out,
        "{}",
        lang.pick(
            "Scheduled agents (Erlang C, all queues) by time of day and weekday, busiest date:",
            "Agentes programados (Erlang C, todas las colas) por hora y día, fecha de más carga:"
        )
    );
    let names = match lang {
        Lang::En => WEEKDAYS_EN,
        Lang::Es => WEEKDAYS_ES,
    };
    let _ = write!(out, "  {:<6}", lang.pick("time", "hora"));
    for name in names {
        let _ = write!(out, "{name:>6}");
    }
    let _ = writeln!(out);
    for (time, cells) in &grid {
        let _ = write!(out, "  {time:<6}");
        for cell in cells {
            let text = cell.map_or("·".to_string(), |v| {
                pacta_core::fmt::integer(u64::from(v), lang)
            });
            let _ = write!(out, "{text:>6}");
        }
        let _ = writeln!(out);
    }
    if unplaced > 0 {
        let _ = writeln!(
            out,
            "  {} {}",
            unplaced,
            lang.pick(
                "interval(s) without a local time are left out of this grid (--wide lists them)",
                "intervalo(s) sin hora local quedan fuera de esta tabla (--wide los muestra)"
            )
        );
    }
}

/// Each queue: its calls, agent hours in seat and its busiest interval.
fn queue_peaks(out: &mut String, r: &StaffingPlan, lang: Lang) {
    struct Queue<'a> {
        calls: f64,
        seat_hours: f64,
        peak: Option<(&'a str, u32)>,
    }
    let mut queues: BTreeMap<&str, Queue<'_>> = BTreeMap::new();
    for row in &r.intervals {
        let q = queues.entry(row.queue.as_str()).or_insert(Queue {
            calls: 0.0,
            seat_hours: 0.0,
            peak: None,
        });
        q.calls += row.volume;
        q.seat_hours += f64::from(row.erlang_c.agents) * row.interval_minutes / 60.0;
        let scheduled = row.erlang_c.scheduled_agents;
        if q.peak.is_none_or(|(_, p)| scheduled > p) {
            q.peak = Some((row.local.as_str(), scheduled));
        }
    }
    let _ = writeln!(
        out,
        "{}",
        lang.pick(
            "By queue (Erlang C): calls, agent hours in seat, peak scheduled agents",
            "Por cola (Erlang C): llamadas, horas de agente en puesto, pico de agentes programados"
        )
    );
    for (name, q) in &queues {
        let _ = writeln!(
            out,
            "  {:<16} {:>10} {}  {:>10} h  {} {} ({})",
            name,
            pacta_core::fmt::float(q.calls, 0, lang),
            lang.pick("calls", "llamadas"),
            pacta_core::fmt::float(q.seat_hours, 1, lang),
            lang.pick("peak", "pico"),
            q.peak.map_or("—".to_string(), |(_, p)| p.to_string()),
            q.peak.map_or("—", |(when, _)| when),
        );
    }
}

/// The most intervals the default table lists as at risk; `--wide` shows them all.
const AT_RISK_SHOWN: usize = 20;

/// The intervals the vendor's plan leaves under the target, first ones first.
fn at_risk(out: &mut String, r: &StaffingPlan, lang: Lang) {
    if r.staffing.is_none() {
        return;
    }
    let risky: Vec<_> = r
        .intervals
        .iter()
        .filter(|row| row.planned.as_ref().is_some_and(|p| p.at_risk))
        .collect();
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}: {}",
        lang.pick(
            "Intervals the vendor's plan leaves at risk",
            "Intervalos que el plan del proveedor deja en riesgo"
        ),
        pacta_core::fmt::integer(risky.len() as u64, lang)
    );
    for row in risky.iter().take(AT_RISK_SHOWN) {
        if let Some(p) = &row.planned {
            let _ = writeln!(
                out,
                "  {} {:<16} {} {} ({} {})  {} C {} · A {}",
                row.local,
                row.queue,
                lang.pick("plan", "plan"),
                p.agents,
                lang.pick("SL", "NS"),
                pct(p.service_level(), lang),
                lang.pick("needs", "requiere"),
                row.erlang_c.agents,
                opt(row.erlang_a.as_ref(), |a| a.agents.to_string()),
            );
        }
    }
    if risky.len() > AT_RISK_SHOWN {
        let _ = writeln!(
            out,
            "  … {} {} (--wide)",
            pacta_core::fmt::integer((risky.len() - AT_RISK_SHOWN) as u64, lang),
            lang.pick("more", "más")
        );
    }
}

/// The header: contract, source, shrinkage, zone, and the estimate the forecast came from.
fn header(out: &mut String, r: &StaffingPlan, lang: Lang) {
    let _ = writeln!(
        out,
        "{} {} · {} · {} {} · {} {}",
        lang.pick("Staffing plan", "Plan de dotación"),
        r.contract_id,
        r.source,
        lang.pick("shrinkage", "merma"),
        pct(r.shrinkage, lang),
        lang.pick("times in", "horas en"),
        r.time_zone
    );
    if let Some(e) = &r.estimate {
        let _ = writeln!(
            out,
            "{} {} ({} {}, {} {}) → {} {}",
            lang.pick("Estimated from", "Estimado a partir de"),
            e.data_month,
            e.weekdays_in_data_month,
            lang.pick("weekdays", "días laborables"),
            e.weekend_days_in_data_month,
            lang.pick("weekend days", "días de fin de semana"),
            lang.pick("plan for", "plan para"),
            e.plan_month
        );
        for q in &e.queues {
            let _ = writeln!(
                out,
                "  {:<16} {:>8} {}  AHT {}  {} {}  {} {}",
                q.queue,
                pacta_core::fmt::integer(q.interactions as u64, lang),
                lang.pick("contacts", "contactos"),
                opt(q.aht_s, |v| format!("{v:.0} s")),
                lang.pick("abandoned", "abandonos"),
                pct(q.abandon_share, lang),
                lang.pick("patience", "paciencia"),
                opt(q.patience_s, |v| format!("{v:.0} s")),
            );
        }
    }
}

/// Every interval, one line each (`--wide`): when, queue, calls, AHT, patience, what
/// Erlang C and Erlang A need, the scheduled agents and the vendor's plan beside them.
fn every_interval(out: &mut String, r: &StaffingPlan, lang: Lang) {
    let has_plan = r.staffing.is_some();
    out.push_str(&laid_out(
        &INTERVALS,
        &[
            lang.pick("interval", "intervalo"),
            lang.pick("queue", "cola"),
            lang.pick("calls", "llamadas"),
            "AHT",
            lang.pick("pat.", "pac."),
            "C",
            "SL C",
            "ASA C",
            "A",
            "SL A",
            lang.pick("aband", "aband"),
            lang.pick("sched C/A", "prog. C/A"),
        ],
    ));
    if has_plan {
        out.push_str(&laid_out(
            &PLANNED,
            &[
                lang.pick("plan", "plan"),
                lang.pick("SL plan", "NS plan"),
                lang.pick("risk", "riesgo"),
            ],
        ));
    }
    out.push('\n');
    for row in &r.intervals {
        let c = &row.erlang_c;
        let a = row.erlang_a.as_ref();
        out.push_str(&laid_out(
            &INTERVALS,
            &[
                row.local.clone(),
                row.queue.clone(),
                pacta_core::fmt::float(row.volume, 1, lang),
                format!("{:.0}", row.aht_s),
                opt(row.patience_s, |v| format!("{v:.0}")),
                c.agents.to_string(),
                pct(c.service_level, lang),
                opt(c.asa_s, |v| pacta_core::fmt::float(v, 1, lang)),
                opt(a, |a| a.agents.to_string()),
                opt(a, |a| pct(a.service_level, lang)),
                opt(a, |a| pct(a.abandon_share, lang)),
                format!(
                    "{}/{}",
                    c.scheduled_agents,
                    opt(a, |a| a.scheduled_agents.to_string())
                ),
            ],
        ));
        if let Some(p) = &row.planned {
            let risk = if p.at_risk {
                lang.pick("AT RISK", "EN RIESGO")
            } else {
                ""
            };
            out.push_str(&laid_out(
                &PLANNED,
                &[
                    p.agents.to_string(),
                    pct(p.service_level(), lang),
                    risk.to_string(),
                ],
            ));
        }
        out.push('\n');
    }
}

/// The totals, the vendor's plan and the month-level service level it implies.
fn totals(out: &mut String, r: &StaffingPlan, lang: Lang) {
    let tt = &r.totals;
    let _ = writeln!(
        out,
        "{}: {} {} · {} {}",
        lang.pick("Totals", "Totales"),
        pacta_core::fmt::integer(tt.intervals as u64, lang),
        lang.pick("intervals", "intervalos"),
        pacta_core::fmt::float(tt.volume, 0, lang),
        lang.pick("calls", "llamadas")
    );
    let _ = writeln!(
        out,
        "  Erlang C: {} {} {} · {} {}",
        pacta_core::fmt::float(tt.erlang_c_fte_hours, 1, lang),
        lang.pick("FTE hours", "horas FTE"),
        lang.pick("in seat", "en puesto"),
        pacta_core::fmt::float(tt.erlang_c_scheduled_fte_hours, 1, lang),
        lang.pick("scheduled", "programadas"),
    );
    if tt.intervals_with_erlang_a > 0 {
        let _ = writeln!(
            out,
            "  Erlang A: {} {} {} · {} {}\n    ({} {} {})",
            pacta_core::fmt::float(tt.erlang_a_fte_hours, 1, lang),
            lang.pick("FTE hours", "horas FTE"),
            lang.pick("in seat", "en puesto"),
            pacta_core::fmt::float(tt.erlang_a_scheduled_fte_hours, 1, lang),
            lang.pick("scheduled", "programadas"),
            pacta_core::fmt::integer(tt.intervals_with_erlang_a as u64, lang),
            lang.pick("intervals with patience of", "intervalos con paciencia de"),
            pacta_core::fmt::integer(tt.intervals as u64, lang)
        );
    }
    if let Some(s) = &r.staffing {
        let _ = writeln!(
            out,
            "  {}: {} {} · {} {} {}{}",
            lang.pick("Vendor plan", "Plan del proveedor"),
            pacta_core::fmt::float(tt.planned_fte_hours.unwrap_or(0.0), 1, lang),
            lang.pick("FTE hours in seat", "horas FTE en puesto"),
            s.intervals_at_risk,
            lang.pick("interval(s) at risk", "intervalo(s) en riesgo"),
            if s.intervals_missing > 0 {
                format!(
                    " ({} {})",
                    s.intervals_missing,
                    lang.pick("missing from the plan", "ausentes del plan")
                )
            } else {
                String::new()
            },
            if s.unmatched_rows > 0 {
                format!(
                    "\n    {} {}",
                    s.unmatched_rows,
                    lang.pick(
                        "plan row(s) outside the forecast ignored",
                        "fila(s) del plan fuera del pronóstico ignoradas"
                    )
                )
            } else {
                String::new()
            }
        );
        for g in &s.by_target {
            let _ = writeln!(
                out,
                "  {} {} ({}/{:.0} {}):\n    C {} · A {} · {} {} → {}",
                lang.pick(
                    "month service level implied",
                    "nivel de servicio del mes implícito"
                ),
                g.sla_id.as_deref().unwrap_or("--"),
                pct(g.target_share, lang),
                g.threshold_s,
                g.variant,
                opt(g.erlang_c_service_level, |v| pct(v, lang)),
                opt(g.erlang_a_service_level, |v| pct(v, lang)),
                lang.pick("abandon", "abandono"),
                opt(g.erlang_a_abandon_share, |v| pct(v, lang)),
                match g.meets_target {
                    Some(true) => lang.pick("meets target", "cumple el objetivo"),
                    Some(false) => lang.pick("BELOW TARGET", "BAJO EL OBJETIVO"),
                    None => "—",
                }
            );
        }
    }
}

/// A CSV field: quoted when it holds a comma, quote or line break.
fn csv_field(out: &mut String, s: &str) {
    if s.contains([',', '"', '\n', '\r']) {
        out.push('"');
        out.push_str(&s.replace('"', "\"\""));
        out.push('"');
    } else {
        out.push_str(s);
    }
}

/// The plan as CSV, written by hand into one buffer (100,000 rows take a few tens of ms).
pub fn staffing_csv(r: &StaffingPlan) -> String {
    let mut out = String::with_capacity(r.intervals.len() * 240 + 512);
    out.push_str(
        "interval_start,queue,sla_id,threshold_s,target_share,variant,volume,aht_s,patience_s,\
         interval_minutes,offered_load,erlang_c_agents,erlang_c_service_level,erlang_c_asa_s,\
         erlang_c_occupancy,erlang_c_scheduled_agents,erlang_a_agents,erlang_a_service_level,\
         erlang_a_abandon_share,erlang_a_asa_s,erlang_a_occupancy,erlang_a_scheduled_agents,\
         planned_agents,planned_service_level,planned_model,at_risk\n",
    );
    fn num(out: &mut String, v: Option<f64>) {
        if let Some(x) = v {
            let _ = write!(out, "{x:.6}");
        }
        out.push(',');
    }
    fn int(out: &mut String, v: Option<u32>) {
        if let Some(x) = v {
            let _ = write!(out, "{x}");
        }
        out.push(',');
    }
    for row in &r.intervals {
        let a = row.erlang_a.as_ref();
        let p = row.planned.as_ref();
        out.push_str(&row.interval_start);
        out.push(',');
        csv_field(&mut out, &row.queue);
        out.push(',');
        csv_field(&mut out, row.sla_id.as_deref().unwrap_or(""));
        let _ = write!(
            out,
            ",{},{},{},{:.3},{},",
            row.threshold_s, row.target_share, row.variant, row.volume, row.aht_s
        );
        if let Some(v) = row.patience_s {
            let _ = write!(out, "{v}");
        }
        let _ = write!(out, ",{},{:.6},", row.interval_minutes, row.offered_load);
        let c = &row.erlang_c;
        int(&mut out, Some(c.agents));
        num(&mut out, Some(c.service_level));
        num(&mut out, c.asa_s);
        num(&mut out, Some(c.occupancy));
        int(&mut out, Some(c.scheduled_agents));
        int(&mut out, a.map(|a| a.agents));
        num(&mut out, a.map(|a| a.service_level));
        num(&mut out, a.map(|a| a.abandon_share));
        num(&mut out, a.and_then(|a| a.asa_s));
        num(&mut out, a.map(|a| a.occupancy));
        int(&mut out, a.map(|a| a.scheduled_agents));
        int(&mut out, p.map(|p| p.agents));
        num(&mut out, p.map(PlannedStaffing::service_level));
        if let Some(p) = p {
            let _ = write!(out, "{},{}", p.model, p.at_risk);
        } else {
            out.push(',');
        }
        out.push('\n');
    }
    out
}
