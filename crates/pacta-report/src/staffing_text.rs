//! The staffing plan as text: a terminal table and CSV.

use std::fmt::Write as _;

use pacta_core::Lang;
use pacta_core::text_table::{Column, laid_out};
use pacta_planning::{PlannedStaffing, StaffingPlan};

/// `0.8` → `80.0 %` (the same in both languages, as the table has always written it).
pub(crate) fn pct(v: f64) -> String {
    format!("{:.1} %", v * 100.0)
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

/// The plan as a terminal table: the header, the estimate (if any), one line per interval
/// and the totals, with the vendor's plan and its month-level service level when given.
pub fn staffing_table(r: &StaffingPlan, lang: Lang) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} {} · {} · {} {} · {} {}",
        lang.pick("Staffing plan", "Plan de dotación"),
        r.contract_id,
        r.source,
        lang.pick("shrinkage", "merma"),
        pct(r.shrinkage),
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
                q.interactions,
                lang.pick("contacts", "contactos"),
                opt(q.aht_s, |v| format!("{v:.0} s")),
                lang.pick("abandoned", "abandonos"),
                pct(q.abandon_share),
                lang.pick("patience", "paciencia"),
                opt(q.patience_s, |v| format!("{v:.0} s")),
            );
        }
    }
    let _ = writeln!(out);
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
                format!("{:.1}", row.volume),
                format!("{:.0}", row.aht_s),
                opt(row.patience_s, |v| format!("{v:.0}")),
                c.agents.to_string(),
                pct(c.service_level),
                opt(c.asa_s, |v| format!("{v:.1}")),
                opt(a, |a| a.agents.to_string()),
                opt(a, |a| pct(a.service_level)),
                opt(a, |a| pct(a.abandon_share)),
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
                    pct(p.service_level()),
                    risk.to_string(),
                ],
            ));
        }
        out.push('\n');
    }
    let tt = &r.totals;
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "{}: {} {} · {:.0} {}",
        lang.pick("Totals", "Totales"),
        tt.intervals,
        lang.pick("intervals", "intervalos"),
        tt.volume,
        lang.pick("calls", "llamadas")
    );
    let _ = writeln!(
        out,
        "  Erlang C: {:.1} {} {} · {:.1} {}",
        tt.erlang_c_fte_hours,
        lang.pick("FTE hours", "horas FTE"),
        lang.pick("in seat", "en puesto"),
        tt.erlang_c_scheduled_fte_hours,
        lang.pick("scheduled", "programadas"),
    );
    if tt.intervals_with_erlang_a > 0 {
        let _ = writeln!(
            out,
            "  Erlang A: {:.1} {} {} · {:.1} {} ({} {} {})",
            tt.erlang_a_fte_hours,
            lang.pick("FTE hours", "horas FTE"),
            lang.pick("in seat", "en puesto"),
            tt.erlang_a_scheduled_fte_hours,
            lang.pick("scheduled", "programadas"),
            tt.intervals_with_erlang_a,
            lang.pick("intervals with patience of", "intervalos con paciencia de"),
            tt.intervals
        );
    }
    if let Some(s) = &r.staffing {
        let _ = writeln!(
            out,
            "  {}: {:.1} {} · {} {} {}{}",
            lang.pick("Vendor plan", "Plan del proveedor"),
            tt.planned_fte_hours.unwrap_or(0.0),
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
                    " · {} {}",
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
                "  {} {} ({}/{:.0} {}): C {} · A {} · {} {} → {}",
                lang.pick(
                    "month service level implied",
                    "nivel de servicio del mes implícito"
                ),
                g.sla_id.as_deref().unwrap_or("--"),
                pct(g.target_share),
                g.threshold_s,
                g.variant,
                opt(g.erlang_c_service_level, pct),
                opt(g.erlang_a_service_level, pct),
                lang.pick("abandon", "abandono"),
                opt(g.erlang_a_abandon_share, pct),
                match g.meets_target {
                    Some(true) => lang.pick("meets target", "cumple el objetivo"),
                    Some(false) => lang.pick("BELOW TARGET", "BAJO EL OBJETIVO"),
                    None => "—",
                }
            );
        }
    }
    out
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
