//! The contract month's pages: the month (scorecard, credit waterfall, invoice and the
//! reconciliation of the vendor's invoice, all read from the saved settlement and laid out
//! with pacta-report's view and partials, the same as the HTML report), its intervals (the
//! service level per interval as a day × interval heatmap, volume against the forecast band,
//! Erlang-required agents against the vendor's plan, through `pacta_ops::intervals`), and the
//! contacts behind a scorecard figure as CSV (`pacta explain --contacts`).

use axum::extract::{Path, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use minijinja::context;
use pacta_core::{Lang, Month, fmt};
use pacta_ops::intervals::{IntervalVerdict, NoStaffing, ServiceLevelGrid, StaffingGrid};
use pacta_report::charts::{self, DailyChart, DailyPoint};
use pacta_report::view;
use pacta_settle::month::ServiceVolume;
use pacta_terms::credits::CreditStatement;
use pacta_terms::pricing::Invoice;
use pacta_terms::reconcile::Reconciliation;
use rust_decimal::Decimal;
use serde_json::Value;

use crate::api::{model, scoped};
use crate::auth::SignedIn;
use crate::dashboard::{
    failure, href, measured, money, parse_settlement, render, ser, status_label, target, text,
};
use crate::error::ApiError;
use crate::state::{AppState, blocking};

/// The words of these pages (the shared ones are the layout's `t`; the report's partials read
/// the report's labels as `t` inside their block).
fn words(lang: Lang) -> Value {
    let words: &[(&str, &str, &str)] = &[
        ("intervals", "Intervals", "Intervalos"),
        (
            "what_if",
            "What if the terms changed?",
            "¿Y si cambiaran los términos?",
        ),
        (
            "intervals_link",
            "Service level by interval, volume and staffing",
            "Nivel de servicio por intervalo, volumen y dotación",
        ),
        (
            "contacts_csv",
            "Contacts behind this figure (CSV)",
            "Contactos detrás de esta cifra (CSV)",
        ),
        (
            "not_saved",
            "This saved settlement has no credit statement or invoice to show.",
            "Esta liquidación guardada no tiene estado de créditos ni factura que mostrar.",
        ),
        (
            "reconciliation",
            "Reconciliation with the vendor's invoice",
            "Conciliación con la factura del proveedor",
        ),
        (
            "no_vendor_invoice",
            "No vendor invoice was reconciled for this month.",
            "No se concilió ninguna factura del proveedor para este mes.",
        ),
        (
            "no_discrepancy",
            "The vendor's invoice matches pacta's line by line.",
            "La factura del proveedor coincide línea a línea con la de pacta.",
        ),
        (
            "invoiced_total",
            "Vendor's invoice total",
            "Total de la factura del proveedor",
        ),
        (
            "expected_total",
            "pacta's invoice total",
            "Total de la factura de pacta",
        ),
        (
            "total_difference",
            "Difference (vendor − pacta)",
            "Diferencia (proveedor − pacta)",
        ),
        ("item", "Item", "Concepto"),
        ("kind", "Difference in", "Diferencia en"),
        ("expected", "pacta expects", "pacta espera"),
        ("invoiced", "Vendor invoiced", "El proveedor facturó"),
        (
            "quantity_difference",
            "Quantity difference",
            "Diferencia de cantidad",
        ),
        (
            "money_difference",
            "Money difference",
            "Diferencia en dinero",
        ),
        (
            "no_store",
            "The interval data is not available: this server runs without the data store \
             (start it with pacta serve --store DIR).",
            "Los datos por intervalo no están disponibles: este servidor funciona sin el \
             almacén de datos (inícielo con pacta serve --store DIR).",
        ),
        (
            "heatmap_title",
            "Service level per interval against target",
            "Nivel de servicio por intervalo frente al objetivo",
        ),
        (
            "heatmap_note",
            "Each cell is one interval of one day (rows: days; columns: the interval's start, \
             local time). Its colour says whether the interval met the target in force that \
             day; hover a cell for its value and contacts. Raw measurement: the settlement's \
             exclusions are not applied.",
            "Cada celda es un intervalo de un día (filas: días; columnas: inicio del intervalo, \
             hora local). Su color indica si el intervalo cumplió el objetivo vigente ese día; \
             pase el cursor para ver su valor y contactos. Medición bruta: no se aplican las \
             exclusiones de la liquidación.",
        ),
        (
            "no_service_level",
            "The contract has no service-level SLA to show per interval.",
            "El contrato no tiene SLA de nivel de servicio que mostrar por intervalo.",
        ),
        ("day", "Day", "Día"),
        (
            "interval_start",
            "Interval start (local time)",
            "Inicio del intervalo (hora local)",
        ),
        ("legend", "Legend", "Leyenda"),
        ("met", "met the target", "cumplió el objetivo"),
        ("missed", "missed the target", "incumplió el objetivo"),
        ("no_traffic", "no traffic", "sin tráfico"),
        ("no_target", "no target in force", "sin objetivo vigente"),
        (
            "no_interval",
            "no such interval that day",
            "intervalo inexistente ese día",
        ),
        (
            "volume_title",
            "Volume against the forecast band",
            "Volumen frente a la banda de pronóstico",
        ),
        (
            "volume_note",
            "Offered contacts per service in the month against the contract's forecast and \
             its flex band, as settled; below, the offered contacts per day.",
            "Contactos ofrecidos por servicio en el mes frente al pronóstico del contrato y su \
             banda de flexibilidad, según la liquidación; debajo, los contactos ofrecidos por día.",
        ),
        (
            "no_volumes",
            "The saved settlement has no volume per service: the contract sets no forecast.",
            "La liquidación guardada no tiene volumen por servicio: el contrato no fija pronóstico.",
        ),
        ("service", "Service", "Servicio"),
        ("forecast", "Forecast", "Pronóstico"),
        ("band", "Band", "Banda"),
        ("offered", "Offered", "Ofrecidos"),
        ("vs_forecast", "vs forecast", "vs. pronóstico"),
        ("position", "Position", "Posición"),
        (
            "staffing_title",
            "Agents required (Erlang C) against the vendor's plan",
            "Agentes requeridos (Erlang C) frente al plan del proveedor",
        ),
        (
            "staffing_note",
            "Agents on the phones Erlang C requires per interval to meet the contract's \
             service level (all queues; shrinkage not included). The forecast is estimated \
             from the contacts of the month before, as pacta plan --from-store does:",
            "Agentes en línea que Erlang C requiere por intervalo para cumplir el nivel de \
             servicio del contrato (todas las colas; sin merma). El pronóstico se estima con \
             los contactos del mes anterior, como hace pacta plan --from-store:",
        ),
        (
            "forecast_contacts",
            "contacts forecast, estimated from",
            "contactos pronosticados, estimados con",
        ),
        (
            "no_forecast_interval",
            "no contacts forecast",
            "sin contactos pronosticados",
        ),
        ("summary_met", "Met", "Cumplidos"),
        ("summary_missed", "missed", "incumplidos"),
        ("summary_no_traffic", "without traffic", "sin tráfico"),
        (
            "csv_hint",
            "Each measured value links to the contacts behind it (CSV, customers pseudonymised).",
            "Cada valor medido enlaza a los contactos que lo componen (CSV, clientes seudonimizados).",
        ),
        (
            "no_forecast",
            "No forecast for this month: the store holds no data for the month before to \
             estimate it from (pacta plan --from-store), so the required agents cannot be \
             drawn.",
            "No hay pronóstico para este mes: el almacén no tiene datos del mes anterior para \
             estimarlo (pacta plan --from-store), así que no se pueden dibujar los agentes \
             requeridos.",
        ),
        (
            "no_vendor_plan",
            "No vendor staffing plan was uploaded for this month (the provider uploads one \
             as CSV interval_start,queue,agents), so only the required agents are shown.",
            "No se subió ningún plan de dotación del proveedor para este mes (el proveedor \
             sube uno como CSV interval_start,queue,agents), así que solo se muestran los \
             agentes requeridos.",
        ),
        (
            "vendor_plan",
            "The vendor's staffing plan",
            "El plan de dotación del proveedor",
        ),
        (
            "short_intervals",
            "intervals plan fewer agents than required",
            "intervalos planifican menos agentes de los requeridos",
        ),
        ("required", "agents required", "agentes requeridos"),
        (
            "short",
            "vendor planned fewer",
            "el proveedor planificó menos",
        ),
        (
            "covered",
            "vendor plan covers it",
            "el plan del proveedor lo cubre",
        ),
        ("contacts", "contacts", "contactos"),
        ("target_word", "target", "objetivo"),
        ("back", "Month", "Mes"),
        ("cells", "intervals", "intervalos"),
    ];
    Value::Object(
        words
            .iter()
            .map(|&(key, en, es)| (key.to_string(), Value::String(lang.pick(en, es).into())))
            .collect(),
    )
}

/// The settlement's currency's minor units (2 when unknown).
fn minor_units(s: &Value) -> u32 {
    s["currency"]
        .as_str()
        .and_then(pacta_contract::money::minor_units)
        .unwrap_or(2)
}

/// A part of the saved settlement as its typed value, `None` when the saved JSON lacks it.
fn part<T: serde::de::DeserializeOwned>(s: &Value, key: &str) -> Option<T> {
    serde_json::from_value(s.get(key)?.clone()).ok()
}

/// The month's page, its intervals and CSV links.
fn month_hrefs(id: &str, month: &str) -> (String, String) {
    (
        href(&["contracts", id, "months", month]),
        href(&["contracts", id, "months", month, "intervals"]),
    )
}

/// `GET /contracts/{id}/months/{month}`: the scorecard of the latest saved settlement (each
/// figure linking to its contacts as CSV), the credit waterfall and statement, the invoice
/// and the reconciliation of the vendor's invoice, every figure as saved.
pub async fn month_page(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((id, month)): Path<(String, String)>,
) -> Response {
    let lang = auth.lang;
    let db = state.db();
    let viewer = auth.viewer.clone();
    let result = blocking(move || {
        let c = scoped(&db, &viewer, &id)?;
        let month = Month::parse(&month).map_err(|_| ApiError::NotFound)?;
        let saved = db
            .latest_settlement(&c.id, month)?
            .ok_or(ApiError::NotFound)?;
        let closed = db.closed_months(&c.id)?.iter().any(|m| m.month == month);
        let contract = model(&c)?;
        Ok((c, contract, saved, closed))
    })
    .await;
    let (c, contract, saved, closed) = match result {
        Ok(found) => found,
        Err(error) => return failure(error, lang, &auth),
    };
    let s = match parse_settlement(&saved.settlement_json) {
        Ok(s) => s,
        Err(error) => return failure(error, lang, &auth),
    };
    let month = saved.month.to_string();
    let slas: Vec<Value> = s["slas"]
        .as_array()
        .map(|slas| {
            slas.iter()
                .map(|o| {
                    let status = o["status"].as_str().unwrap_or("");
                    let sla_id = text(&o["sla_id"]);
                    let csv = pacta_ops::evidence::can_list(&contract, &sla_id).then(|| {
                        href(&[
                            "contracts",
                            &c.id,
                            "months",
                            &month,
                            "slas",
                            &sla_id,
                            "contacts.csv",
                        ])
                    });
                    serde_json::json!({
                        "id": sla_id,
                        "name": text(&o["name"]),
                        "measured": measured(o, lang),
                        "target": target(o, lang),
                        "status": status,
                        "status_label": status_label(status, lang),
                        "exclusions": o["exclusions"].as_array().map_or(0, Vec::len),
                        "csv_href": csv,
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    let minor = minor_units(&s);
    let currency = text(&s["currency"]);
    let credits: Option<CreditStatement> = part(&s, "credits");
    let invoice: Option<Invoice> = part(&s, "invoice");
    let reconciliation: Option<Reconciliation> = part(&s, "reconciliation");
    let credits_view = credits.as_ref().map(|c| view::credits_view(c, minor, lang));
    let waterfall = credits
        .as_ref()
        .map(|c| view::waterfall_chart(c, minor, lang));
    let reconciliation_view = match (&reconciliation, &invoice) {
        (Some(r), Some(i)) => Some(view::reconciliation_view(r, i, &currency, minor, lang)),
        _ => None,
    };
    let (_, intervals_href) = month_hrefs(&c.id, &month);
    let month_text = month.clone();
    let title = format!("{} · {month}", c.id);
    render(
        "month.html",
        lang,
        Some(&auth),
        &title,
        StatusCode::OK,
        context! {
            m => ser(&words(lang)),
            rt => ser(&pacta_report::labels::table(lang)),
            contract => c.id.clone(),
            month => month,
            version => saved.version,
            state => if closed { lang.pick("closed", "cerrado") } else { lang.pick("provisional", "provisional") },
            slas => ser(&slas),
            currency => currency,
            service_charges => money(&s["invoice"]["service_charges"], &s["currency"], lang),
            credit => money(&s["credits"]["credit"], &s["currency"], lang),
            invoice_total => money(&s["invoice"]["total"], &s["currency"], lang),
            credits => ser(&credits_view),
            waterfall => waterfall,
            invoice => ser(&invoice.as_ref().map(|i| view::invoice_view(i, minor, lang))),
            has_invoice_part => invoice.is_some(),
            reconciliation => ser(&reconciliation_view),
            intervals_href => intervals_href,
            what_if_href => href(&["contracts", &c.id, "months", &month_text, "what-if"]),
            disputes_href => href(&["contracts", &c.id, "disputes"]),
            obligations_href => href(&["contracts", &c.id, "obligations"]),
        },
    )
}

/// A percentage (already rounded by the operation) in the reader's format: `85.2 %`.
fn percent(d: Decimal, lang: Lang) -> String {
    format!("{} %", fmt::number(d.normalize(), lang))
}

/// The heatmap of one SLA as the template lays it out: the columns and, per day, the class
/// and the words of each cell.
fn heatmap_view(g: &ServiceLevelGrid, m: &Value, lang: Lang) -> Value {
    let word = |k: &str| m[k].as_str().unwrap_or_default().to_string();
    let days: Vec<Value> = g
        .days
        .iter()
        .map(|d| {
            let cells: Vec<Value> = d
                .cells
                .iter()
                .zip(&g.starts)
                .map(|(cell, start)| match cell {
                    None => serde_json::json!({
                        "class": "none",
                        "text": word("no_interval"),
                        "title": format!("{} {start} · {}", d.day, word("no_interval")),
                    }),
                    Some(c) => {
                        let (class, said) = match c.verdict {
                            IntervalVerdict::Met => ("met", word("met")),
                            IntervalVerdict::Missed => ("missed", word("missed")),
                            IntervalVerdict::NoTraffic => ("no_traffic", word("no_traffic")),
                            IntervalVerdict::NoTarget => ("no_target", word("no_target")),
                        };
                        let value = c.value.map(|v| percent(v, lang));
                        let expected = c
                            .expected
                            .map(|e| format!(" ({} ≥ {})", word("target_word"), percent(e, lang)))
                            .unwrap_or_default();
                        let text = match &value {
                            Some(v) => format!("{v}{expected}, {said}"),
                            None => said.clone(),
                        };
                        serde_json::json!({
                            "class": class,
                            "text": text,
                            "title": format!(
                                "{} {} · {text} · {} {}",
                                d.day,
                                c.start,
                                fmt::integer(c.contacts, lang),
                                word("contacts"),
                            ),
                        })
                    }
                })
                .collect();
            serde_json::json!({"day": d.day, "cells": cells})
        })
        .collect();
    serde_json::json!({
        "sla_id": g.sla_id,
        "name": g.name,
        "interval_minutes": g.interval_minutes,
        "columns": columns(&g.starts),
        "days": days,
        "met": fmt::integer(g.met, lang),
        "missed": fmt::integer(g.missed, lang),
        "no_traffic": fmt::integer(g.no_traffic, lang),
    })
}

/// Column headers: the hour on the hour, the full start for screen readers on every column.
fn columns(starts: &[String]) -> Vec<Value> {
    starts
        .iter()
        .map(|s| {
            let shown = s.strip_suffix(":00").unwrap_or_default();
            serde_json::json!({"start": s, "shown": shown})
        })
        .collect()
}

fn staffing_view(g: &StaffingGrid, m: &Value, lang: Lang) -> Value {
    let word = |k: &str| m[k].as_str().unwrap_or_default().to_string();
    let days: Vec<Value> = g
        .days
        .iter()
        .map(|d| {
            let cells: Vec<Value> = d
                .cells
                .iter()
                .zip(&g.starts)
                .map(|(cell, start)| match cell {
                    None => serde_json::json!({"class": "none", "shown": "", "title": format!("{} {start}", d.day)}),
                    Some(c) => {
                        let class = match c.planned {
                            Some(p) if p < c.required => "short",
                            Some(_) => "covered",
                            None => "required",
                        };
                        let planned = c
                            .planned
                            .map(|p| format!(" · {} {}", fmt::integer(u64::from(p), lang), lang.pick("planned", "planificados")))
                            .unwrap_or_default();
                        serde_json::json!({
                            "class": class,
                            "shown": fmt::integer(u64::from(c.required), lang),
                            "title": format!(
                                "{} {} · {} {}{planned} · {} {}",
                                d.day,
                                c.start,
                                fmt::integer(u64::from(c.required), lang),
                                word("required"),
                                fmt::float(c.volume, 0, lang),
                                word("contacts"),
                            ),
                        })
                    }
                })
                .collect();
            serde_json::json!({"day": d.day, "cells": cells})
        })
        .collect();
    serde_json::json!({
        "from": g.estimated_from.to_string(),
        "forecast_contacts": fmt::float(g.forecast_contacts, 0, lang),
        "vendor_plan": g.vendor_plan,
        "short_intervals": fmt::integer(g.short_intervals, lang),
        "columns": columns(&g.starts),
        "days": days,
    })
}

/// Each service's offered contacts per day as a chart (the report's daily chart, without a
/// target line: the forecast band is monthly).
fn daily_volume_charts(volumes: &[ServiceVolume], lang: Lang) -> Vec<String> {
    let group = move |v: f64, places: usize| fmt::float(v, places, lang);
    volumes
        .iter()
        .filter(|v| !v.daily.is_empty())
        .map(|v| {
            let points: Vec<DailyPoint> = v
                .daily
                .iter()
                .map(|(day, n)| DailyPoint {
                    label: day
                        .rsplit('-')
                        .next()
                        .unwrap_or(day)
                        .trim_start_matches('0')
                        .to_string(),
                    value: Some(*n as f64),
                })
                .collect();
            let title = format!(
                "{} · {}",
                v.service,
                lang.pick("offered contacts per day", "contactos ofrecidos por día")
            );
            charts::daily(
                &DailyChart {
                    title: &title,
                    points: &points,
                    target: None,
                    minimum: None,
                    higher_is_better: true,
                    unit: "",
                    target_label: "",
                    minimum_label: "",
                    x_title: lang.pick("Day of month", "Día del mes"),
                    y_title: lang.pick("Contacts offered", "Contactos ofrecidos"),
                    legend: ["", "", ""],
                    provisional_from: None,
                    provisional_label: "",
                },
                &group,
            )
        })
        .collect()
}

/// What the intervals page found in the store.
enum IntervalData {
    /// The server runs without a store.
    NoStore,
    /// The grids and the staffing.
    Found {
        grids: Vec<ServiceLevelGrid>,
        staffing: Result<StaffingGrid, NoStaffing>,
        /// The latest vendor staffing plan's name and hash, if one was uploaded.
        plan_file: Option<(String, String)>,
    },
}

/// `GET /contracts/{id}/months/{month}/intervals`: the service level of each service-level
/// SLA per interval as a day × interval heatmap, the volume against the forecast band (from
/// the saved settlement), and the agents Erlang C requires against the vendor's plan.
pub async fn intervals_page(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((id, month)): Path<(String, String)>,
) -> Response {
    let lang = auth.lang;
    let db = state.db();
    let viewer = auth.viewer.clone();
    let store_dir = state.config().store_dir.clone();
    let result = blocking(move || {
        let c = scoped(&db, &viewer, &id)?;
        let month = Month::parse(&month).map_err(|_| ApiError::NotFound)?;
        let saved = db
            .latest_settlement(&c.id, month)?
            .ok_or(ApiError::NotFound)?;
        let data = match store_dir {
            Some(dir) if dir.is_dir() => {
                let store =
                    pacta_data::store::Store::open(&dir).map_err(pacta_ops::OpError::from)?;
                let contract = model(&c)?;
                let grids = pacta_ops::intervals::service_level_grids(&store, &contract, month)?;
                let plan = db.vendor_file(pacta_db::VendorFile::StaffingPlan, &c.id, month)?;
                let plan_file = plan.as_ref().map(|f| (f.name.clone(), f.hash.clone()));
                let vendor_plan = plan.map(|f| pacta_ops::plan::CsvInput::Text {
                    name: f.name,
                    bytes: f.bytes,
                });
                let staffing =
                    pacta_ops::intervals::staffing_grid(&store, &contract, month, vendor_plan)?;
                IntervalData::Found {
                    grids,
                    staffing,
                    plan_file,
                }
            }
            _ => IntervalData::NoStore,
        };
        Ok((c, saved, data))
    })
    .await;
    let (c, saved, data) = match result {
        Ok(found) => found,
        Err(error) => return failure(error, lang, &auth),
    };
    let s = match parse_settlement(&saved.settlement_json) {
        Ok(s) => s,
        Err(error) => return failure(error, lang, &auth),
    };
    let m = words(lang);
    let month = saved.month.to_string();
    let volumes: Vec<ServiceVolume> = part(&s, "volumes").unwrap_or_default();
    let (heatmaps, staffing, store, plan_file) = match &data {
        IntervalData::NoStore => (Vec::new(), Value::Null, false, Value::Null),
        IntervalData::Found {
            grids,
            staffing,
            plan_file,
        } => (
            grids.iter().map(|g| heatmap_view(g, &m, lang)).collect(),
            match staffing {
                Ok(g) => staffing_view(g, &m, lang),
                Err(NoStaffing::NoForecast { .. }) => Value::Null,
            },
            true,
            plan_file.as_ref().map_or(Value::Null, |(name, hash)| {
                serde_json::json!({
                    "name": name,
                    "href": href(&["api", "contracts", &c.id, "evidence", hash]),
                })
            }),
        ),
    };
    let (month_href, _) = month_hrefs(&c.id, &month);
    let title = format!(
        "{} · {} · {month}",
        lang.pick("Intervals", "Intervalos"),
        c.id
    );
    render(
        "intervals.html",
        lang,
        Some(&auth),
        &title,
        StatusCode::OK,
        context! {
            m => ser(&m),
            contract => c.id.clone(),
            month => month,
            month_href => month_href,
            time_zone => text(&s["time_zone"]),
            store => store,
            heatmaps => ser(&heatmaps),
            staffing => ser(&staffing),
            plan_file => ser(&plan_file),
            volume_rows => ser(&view::volume_rows(&volumes, lang)),
            volume_chart => view::volume_chart(&volumes, lang),
            daily_volume => daily_volume_charts(&volumes, lang),
        },
    )
}

/// A file name part: letters, digits, `.`, `_` and `-` kept, anything else `_`.
fn file_part(s: &str) -> String {
    s.chars()
        .map(|c| {
            if c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-') {
                c
            } else {
                '_'
            }
        })
        .collect()
}

/// `GET /contracts/{id}/months/{month}/slas/{sla}/contacts.csv`: the contacts behind SLA
/// `sla`'s figure, one row each, customers pseudonymised, as `pacta explain SLA --contacts`
/// writes them (the month settled afresh with its accepted adjustments, as the CLI does).
pub async fn contacts_csv(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((id, month, sla)): Path<(String, String, String)>,
) -> Response {
    let lang = auth.lang;
    let db = state.db();
    let viewer = auth.viewer.clone();
    let store_dir = state.config().store_dir.clone();
    let result = blocking(move || {
        let c = scoped(&db, &viewer, &id)?;
        let month = Month::parse(&month).map_err(|_| ApiError::NotFound)?;
        db.latest_settlement(&c.id, month)?
            .ok_or(ApiError::NotFound)?;
        let contract = model(&c)?;
        if contract.sla(&sla).is_none() {
            return Err(ApiError::NotFound);
        }
        let dir = store_dir.filter(|d| d.is_dir()).ok_or(ApiError::NoStore)?;
        let store = pacta_data::store::Store::open(&dir).map_err(pacta_ops::OpError::from)?;
        let settled = pacta_ops::settle::settle(
            &store,
            Some(db.as_ref()),
            &contract,
            month,
            &Default::default(),
        )?;
        let outcome = settled
            .settlement
            .slas
            .iter()
            .find(|o| o.sla_id == sla)
            .ok_or(ApiError::NotFound)?;
        let (bytes, _) = pacta_ops::evidence::contacts_csv(
            &store,
            &contract,
            month,
            outcome,
            &settled.adjustments,
            lang,
        )?;
        let name = format!(
            "contacts-{}-{month}-{}.csv",
            file_part(&c.id),
            file_part(&sla)
        );
        Ok((bytes, name))
    })
    .await;
    match result {
        Ok((bytes, name)) => {
            let disposition = HeaderValue::from_str(&format!("attachment; filename=\"{name}\""))
                .unwrap_or_else(|_| HeaderValue::from_static("attachment"));
            (
                [
                    (
                        header::CONTENT_TYPE,
                        HeaderValue::from_static("text/csv; charset=utf-8"),
                    ),
                    (header::CONTENT_DISPOSITION, disposition),
                ],
                bytes,
            )
                .into_response()
        }
        Err(error) => failure(error, lang, &auth),
    }
}
