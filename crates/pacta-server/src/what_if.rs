//! What-if: a month re-settled with changed SLA terms, never saved — the JSON route and the
//! page. The changes are applied and validated by `pacta_ops::what_if`, the month is read
//! once and kept in the [`MonthCache`](crate::month_cache::MonthCache), and the settlement is
//! `pacta_ops::what_if::run`'s; nothing here computes a figure.

use std::collections::BTreeSet;

use axum::Json;
use axum::extract::{Path, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use jiff::Timestamp;
use minijinja::context;
use pacta_contract::{Contract, Exclusion};
use pacta_core::{Lang, Localized, Month};
use pacta_data::store::Store;
use pacta_db::Viewer;
use pacta_governance::dispute::ReliefKind;
use pacta_ops::OpError;
use pacta_ops::settle::{LoadKey, load_month};
use pacta_ops::what_if::{AmountDifference, Change, SlaSide, Status, WhatIf};
use rust_decimal::Decimal;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::api::{model, scoped};
use crate::auth::{Auth, SignedIn};
use crate::dashboard::{failure, href, render, ser};
use crate::error::{Answer, ApiError};
use crate::month_cache::CacheKey;
use crate::state::{AppState, blocking};

/// The body of `POST /api/contracts/{id}/months/{month}/what-if`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct WhatIfRequest {
    /// The edits, applied in order.
    pub changes: Vec<Change>,
}

/// A refusal with the JSON path of the bad field: `{"code", "message", "path"}`.
fn located(status: StatusCode, code: &str, message: String, path: &str) -> Response {
    (
        status,
        Json(json!({"code": code, "message": message, "path": path})),
    )
        .into_response()
}

/// The body read, or a 400 naming the JSON path where it went wrong.
fn read_request(body: &[u8], lang: Lang) -> Result<WhatIfRequest, Response> {
    let mut de = serde_json::Deserializer::from_slice(body);
    serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = match lang {
            Lang::En => format!("bad request at `{path}`: {inner}"),
            Lang::Es => format!("solicitud no válida en `{path}`: {inner}"),
        };
        located(StatusCode::BAD_REQUEST, "bad-request", message, &path)
    })
}

/// The answer of a refused what-if: the changes' problems with their paths (422), other
/// errors as the API answers them.
fn refusal(error: ApiError, lang: Lang) -> Response {
    if let ApiError::Op(OpError::WhatIfInvalid { problems }) = &error {
        let path = problems.first().map_or("changes", |p| p.path.as_str());
        let mut body = json!({
            "code": error.code(),
            "message": error.message(lang),
            "path": path,
        });
        body["problems"] = problems
            .iter()
            .map(|p| {
                json!({
                    "path": p.path,
                    "sla": p.sla,
                    "field": p.field,
                    "code": p.code(),
                    "message": p.message(lang),
                })
            })
            .collect();
        return (StatusCode::UNPROCESSABLE_ENTITY, Json(body)).into_response();
    }
    Answer { error, lang }.into_response()
}

/// The contract, the month and the what-if settled: the scoped read, the changes applied
/// and the month from the cache (read from the store on a miss only).
fn settle_what_if(
    state: &AppState,
    viewer: &Viewer,
    id: &str,
    month: Month,
    changes: &[Change],
) -> Result<(Contract, WhatIf), ApiError> {
    let db = state.db();
    let registered = scoped(&db, viewer, id)?;
    let contract = model(&registered)?;
    let scenario = pacta_ops::what_if::apply(&contract, month, changes)?;
    let dir = state.config().store_dir.clone().ok_or(ApiError::NoStore)?;
    let store = Store::open(&dir).map_err(OpError::from)?;
    let snapshot = store.snapshot_number().map_err(OpError::from)?;
    // Pinned, so the data read is exactly the snapshot the key names.
    let store = store.at_snapshot(snapshot).map_err(OpError::from)?;
    let key = CacheKey {
        store_snapshot: snapshot,
        load: LoadKey::of(&scenario.contract, month),
    };
    let loaded = state
        .month_cache()
        .get_or_load(key, || load_month(&store, &scenario.contract, month, false))?;
    let result = pacta_ops::what_if::run(Some(&db), &scenario, &loaded)?;
    Ok((contract, result))
}

fn side_json(side: &SlaSide) -> Value {
    json!({
        "value": side.value,
        "status": side.status,
        "expected": side.expected,
        "minimum": side.minimum,
        "credit": side.credit,
    })
}

fn amount_json(d: &AmountDifference) -> Value {
    json!({"before": d.before, "after": d.after, "change": d.change})
}

/// `POST /api/contracts/{id}/months/{month}/what-if`: the month settled with the changes,
/// unsaved, and its differences from the latest saved version. Anyone who reads the
/// contract; it saves nothing and writes no audit entry.
pub async fn api_what_if(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, month)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let lang = auth.lang;
    let month = match Month::parse(&month) {
        Ok(m) => m,
        Err(e) => {
            let error = ApiError::BadRequest(format!("month: {e}"));
            return Answer { error, lang }.into_response();
        }
    };
    let request = match read_request(&body, lang) {
        Ok(r) => r,
        Err(response) => return response,
    };
    let result = blocking(move || {
        let (_, w) = settle_what_if(&state, &auth.viewer, &id, month, &request.changes)?;
        let settlement = serde_json::to_value(&w.outcome.settlement)
            .map_err(|e| ApiError::Internal(format!("settlement: {e}")))?;
        Ok(json!({
            "contract_id": w.outcome.settlement.contract_id,
            "month": month.to_string(),
            "saved": false,
            "compared_with_version": w.saved_version,
            "store_snapshot": w.outcome.store_snapshot,
            "changes": request.changes,
            "slas": w.slas.iter().map(|d| json!({
                "sla_id": d.sla_id,
                "name": d.name,
                "changed": d.changed,
                "before": d.before.as_ref().map(side_json),
                "after": side_json(&d.after),
            })).collect::<Vec<_>>(),
            "credit": amount_json(&w.credit),
            "net_to_client": amount_json(&w.net_to_client),
            "invoice_total": amount_json(&w.invoice_total),
            "settlement": settlement,
        }))
    })
    .await;
    match result {
        Ok(body) => Json(body).into_response(),
        Err(error) => refusal(error, lang),
    }
}

// ------------------------------------------------------------------------------------------
// The page

/// The page's own words.
fn words(lang: Lang) -> Value {
    let w = |en: &str, es: &str| Value::String(lang.pick(en, es).to_string());
    json!({
        "what_if": w("What-if", "Simulación"),
        "intro": w(
            "Change an SLA's terms and see the month settled again. Nothing is saved.",
            "Cambie los términos de un SLA y vea el mes liquidado de nuevo. No se guarda nada."
        ),
        "expected": w("Expected", "Esperado"),
        "minimum": w("Minimum", "Mínimo"),
        "threshold": w("Threshold (s)", "Umbral (s)"),
        "variant": w("Variant", "Variante"),
        "exclusions": w("Exclusions", "Exclusiones"),
        "window": w("Exclusion window", "Ventana de exclusión"),
        "window_help": w(
            "Local time of the contract, YYYY-MM-DD HH:MM; queues separated by commas (none: all).",
            "Hora local del contrato, AAAA-MM-DD HH:MM; colas separadas por comas (ninguna: todas)."
        ),
        "start": w("Start", "Inicio"),
        "end": w("End", "Fin"),
        "queues": w("Queues", "Colas"),
        "kind": w("Kind", "Tipo"),
        "none_kind": w("(none)", "(ninguna)"),
        "run": w("Re-settle without saving", "Liquidar de nuevo sin guardar"),
        "result": w("Result (not saved)", "Resultado (no guardado)"),
        "compared": w("Compared with saved version", "Comparado con la versión guardada"),
        "no_saved": w("No saved version to compare with.", "No hay versión guardada con la que comparar."),
        "before": w("Before", "Antes"),
        "after": w("After", "Después"),
        "measured": w("Measured", "Medido"),
        "target": w("Target", "Objetivo"),
        "status": w("Status", "Estado"),
        "credit": w("Credit", "Crédito"),
        "net": w("Net to the client", "Neto para el cliente"),
        "invoice_total": w("Invoice total", "Total de la factura"),
        "change": w("Change", "Cambio"),
        "problems": w("The changes are not valid:", "Los cambios no son válidos:"),
        "month_page": w("Month", "Mes"),
    })
}

const EXCLUSIONS: [(Exclusion, &str); 5] = [
    (Exclusion::AcceptedRelief, "accepted_relief"),
    (Exclusion::ForceMajeure, "force_majeure"),
    (Exclusion::VolumeAboveFlex, "volume_above_flex"),
    (Exclusion::ClientCaused, "client_caused"),
    (Exclusion::OutsideHours, "outside_hours"),
];

const RELIEF: [(ReliefKind, &str); 3] = [
    (ReliefKind::Outage, "outage"),
    (ReliefKind::ForceMajeure, "force_majeure"),
    (ReliefKind::ClientCaused, "client_caused"),
];

/// The form's fields, as submitted (or the contract's current terms).
#[derive(Debug, Clone, Default)]
struct Form {
    /// Field name → value (`expected.SL-VOICE`, `exclusion.SL-VOICE` repeated…).
    fields: Vec<(String, String)>,
}

impl Form {
    fn get(&self, name: &str) -> Option<&str> {
        self.fields
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.trim())
    }

    fn all(&self, name: &str) -> BTreeSet<&str> {
        self.fields
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }
}

/// The contract's current terms for the month, as the form shows them.
fn current_form(contract: &Contract, month: Month) -> Form {
    let first_day = pacta_contract::Date(month.first_day());
    let mut fields = Vec::new();
    for sla in &contract.doc.slas {
        let id = &sla.id;
        fields.push(("sla".to_string(), id.clone()));
        if let Some(t) = contract.target_on(sla, first_day) {
            fields.push((format!("expected.{id}"), t.expected.to_string()));
            if let Some(m) = t.minimum {
                fields.push((format!("minimum.{id}"), m.to_string()));
            }
        }
        if let Some(s) = sla.params.threshold_s {
            fields.push((format!("threshold.{id}"), s.to_string()));
        }
        if let Some(v) = &sla.variant {
            fields.push((format!("variant.{id}"), v.clone()));
        }
        for (e, name) in EXCLUSIONS {
            if sla.exclusions.contains(&e) {
                fields.push((format!("exclusion.{id}"), name.to_string()));
            }
        }
    }
    Form { fields }
}

/// A form field the page could not read: its name and why.
struct FieldError {
    field: String,
    message: String,
}

/// The changes the submitted form makes to the contract's current terms: a field whose
/// value differs from the current one becomes a change; SLAs not in the form are left.
fn changes_of(
    form: &Form,
    contract: &Contract,
    month: Month,
    lang: Lang,
) -> Result<Vec<Change>, Vec<FieldError>> {
    let current = current_form(contract, month);
    let mut changes = Vec::new();
    let mut errors = Vec::new();
    let decimal = |name: &str, text: &str, errors: &mut Vec<FieldError>| {
        let parsed = text.replace(',', ".").parse::<Decimal>();
        if parsed.is_err() {
            errors.push(FieldError {
                field: name.to_string(),
                message: format!(
                    "`{name}`: {} `{text}`",
                    lang.pick("not a number:", "no es un número:")
                ),
            });
        }
        parsed.ok()
    };
    let submitted: BTreeSet<&str> = form.all("sla");
    for sla in &contract.doc.slas {
        let id = sla.id.as_str();
        if !submitted.contains(id) {
            continue;
        }
        let field = |kind: &str| format!("{kind}.{id}");
        let differs = |name: &str| {
            let now = form.get(name).unwrap_or("");
            (!now.is_empty() && Some(now) != current.get(name)).then_some(now)
        };
        let minimum = match differs(&field("minimum")) {
            Some(text) => decimal(&field("minimum"), text, &mut errors),
            None => None,
        };
        if let Some(text) = differs(&field("expected")) {
            if let Some(expected) = decimal(&field("expected"), text, &mut errors) {
                changes.push(Change::Target {
                    sla: id.to_string(),
                    expected,
                    minimum,
                });
            }
        } else if let Some(minimum) = minimum {
            let expected = contract
                .target_on(sla, pacta_contract::Date(month.first_day()))
                .map(|t| t.expected);
            match expected {
                Some(expected) => changes.push(Change::Target {
                    sla: id.to_string(),
                    expected,
                    minimum: Some(minimum),
                }),
                None => errors.push(FieldError {
                    field: field("expected"),
                    message: format!(
                        "`{}`: {}",
                        field("expected"),
                        lang.pick(
                            "a minimum needs an expected level",
                            "un mínimo necesita un nivel esperado"
                        )
                    ),
                }),
            }
        }
        if let Some(text) = differs(&field("threshold")) {
            match text.parse::<u32>() {
                Ok(seconds) => changes.push(Change::Threshold {
                    sla: id.to_string(),
                    seconds,
                }),
                Err(_) => errors.push(FieldError {
                    field: field("threshold"),
                    message: format!(
                        "`{}`: {} `{text}`",
                        field("threshold"),
                        lang.pick(
                            "not a whole number of seconds:",
                            "no es un número entero de segundos:"
                        )
                    ),
                }),
            }
        }
        if let Some(text) = differs(&field("variant")) {
            changes.push(Change::Variant {
                sla: id.to_string(),
                variant: text.to_string(),
            });
        }
        let chosen = form.all(&field("exclusion"));
        if chosen != current.all(&field("exclusion")) {
            let exclusions = EXCLUSIONS
                .iter()
                .filter(|(_, name)| chosen.contains(name))
                .map(|(e, _)| *e)
                .collect();
            changes.push(Change::Exclusions {
                sla: id.to_string(),
                exclusions,
            });
        }
    }
    if let Some(kind) = form.get("window.kind").filter(|k| !k.is_empty()) {
        match window(form, kind, contract, lang) {
            Ok(change) => changes.push(change),
            Err(e) => errors.push(e),
        }
    }
    if errors.is_empty() {
        Ok(changes)
    } else {
        Err(errors)
    }
}

/// The exclusion window of the form, its times local to the contract's zone.
fn window(form: &Form, kind: &str, contract: &Contract, lang: Lang) -> Result<Change, FieldError> {
    let instant = |name: &str| -> Result<Timestamp, FieldError> {
        let text = form.get(name).unwrap_or("");
        text.replace(' ', "T")
            .parse::<jiff::civil::DateTime>()
            .ok()
            .and_then(|dt| dt.to_zoned(contract.time_zone.clone()).ok())
            .map(|z| z.timestamp())
            .ok_or_else(|| FieldError {
                field: name.to_string(),
                message: format!(
                    "`{name}`: {} `{text}`",
                    lang.pick(
                        "expected a local time YYYY-MM-DD HH:MM, got",
                        "se esperaba una hora local AAAA-MM-DD HH:MM, se recibió"
                    )
                ),
            })
    };
    let kind = RELIEF
        .iter()
        .find(|(_, name)| *name == kind)
        .map(|(k, _)| *k)
        .ok_or_else(|| FieldError {
            field: "window.kind".to_string(),
            message: format!("`window.kind`: `{kind}`"),
        })?;
    Ok(Change::ExclusionWindow {
        start: instant("window.start")?,
        end: instant("window.end")?,
        queues: form
            .get("window.queues")
            .unwrap_or("")
            .split(',')
            .map(str::trim)
            .filter(|q| !q.is_empty())
            .map(str::to_string)
            .collect(),
        kind,
    })
}

/// Each SLA's row of the form: its terms as the form holds them.
fn form_rows(contract: &Contract, form: &Form) -> Vec<Value> {
    contract
        .doc
        .slas
        .iter()
        .map(|sla| {
            let id = &sla.id;
            let value = |kind: &str| form.get(&format!("{kind}.{id}")).unwrap_or("").to_string();
            let chosen = form.all(&format!("exclusion.{id}"));
            json!({
                "id": id,
                "name": sla.name,
                "metric": sla.metric,
                "expected": value("expected"),
                "minimum": value("minimum"),
                "threshold": value("threshold"),
                "has_threshold": sla.params.threshold_s.is_some(),
                "variant": value("variant"),
                "exclusions": EXCLUSIONS.iter().map(|(_, name)| json!({
                    "name": name,
                    "checked": chosen.contains(name),
                })).collect::<Vec<_>>(),
            })
        })
        .collect()
}

/// A value in the reader's number format, with the SLA's unit.
fn value_text(value: Option<f64>, unit: &str, lang: Lang) -> String {
    let Some(v) = value else {
        return "—".into();
    };
    let n = |places: usize| pacta_core::fmt::localize(&format!("{v:.places$}"), lang);
    match unit {
        "percent" => format!("{} %", n(2)),
        "seconds" => format!("{} s", n(1)),
        "hours" => format!("{} h", n(1)),
        _ => n(2),
    }
}

fn status_class(status: Status) -> &'static str {
    match status {
        Status::Met => "met",
        Status::Missed => "missed",
        Status::BelowMinimum => "below_minimum",
        Status::Excused => "excused",
    }
}

/// The result's rows: each SLA before → after, and the amounts.
fn result_view(w: &WhatIf, minor: u32, lang: Lang) -> Value {
    let amount = |d: Decimal| pacta_core::fmt::amount(d, minor, lang);
    let target = |s: &SlaSide| match s.expected {
        Some(e) => pacta_core::fmt::localize(&e.to_string(), lang),
        None => "—".into(),
    };
    let slas: Vec<Value> = w
        .slas
        .iter()
        .zip(&w.outcome.settlement.slas)
        .map(|(d, o)| {
            let unit = serde_json::to_value(o.unit)
                .ok()
                .and_then(|u| u.as_str().map(str::to_string))
                .unwrap_or_default();
            let side = |s: &SlaSide| {
                json!({
                    "measured": value_text(s.value, &unit, lang),
                    "target": target(s),
                    "status": status_class(s.status),
                    "status_label": s.status.label(lang),
                    "credit": amount(s.credit),
                })
            };
            json!({
                "id": d.sla_id,
                "name": d.name,
                "changed": d.changed,
                "before": d.before.as_ref().map(side),
                "after": side(&d.after),
            })
        })
        .collect();
    let diff = |d: &AmountDifference| {
        json!({
            "before": d.before.map(amount),
            "after": amount(d.after),
            "change": d.change.map(|c| {
                let sign = if c > Decimal::ZERO { "+" } else { "" };
                format!("{sign}{}", amount(c))
            }),
        })
    };
    json!({
        "version": w.saved_version,
        "slas": slas,
        "credit": diff(&w.credit),
        "net": diff(&w.net_to_client),
        "invoice_total": diff(&w.invoice_total),
    })
}

/// Renders the page: the form (with `form`'s values), and the result or the problems.
fn page(
    auth: &Auth,
    lang: Lang,
    contract: &Contract,
    month: Month,
    form: &Form,
    result: Option<Value>,
    problems: Vec<String>,
) -> Response {
    let id = &contract.doc.contract.id;
    let month_text = month.to_string();
    let title = format!(
        "{} · {id} · {month_text}",
        lang.pick("What-if", "Simulación")
    );
    let status = if problems.is_empty() {
        StatusCode::OK
    } else {
        StatusCode::UNPROCESSABLE_ENTITY
    };
    render(
        "what_if.html",
        lang,
        Some(auth),
        &title,
        status,
        context! {
            w => ser(&words(lang)),
            contract => id,
            month => month_text,
            currency => contract.doc.contract.currency.clone(),
            month_href => href(&["contracts", id, "months", &month.to_string()]),
            action => href(&["contracts", id, "months", &month.to_string(), "what-if"]),
            slas => ser(&form_rows(contract, form)),
            window_start => form.get("window.start").unwrap_or(""),
            window_end => form.get("window.end").unwrap_or(""),
            window_queues => form.get("window.queues").unwrap_or(""),
            window_kind => form.get("window.kind").unwrap_or(""),
            kinds => RELIEF.iter().map(|(_, n)| *n).collect::<Vec<_>>(),
            result => ser(&result),
            problems => problems,
        },
    )
}

/// `GET /contracts/{id}/months/{month}/what-if`: the form, with the contract's SLAs and
/// their current target and threshold.
pub async fn page_form(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path((id, month)): Path<(String, String)>,
) -> Response {
    let lang = auth.lang;
    let db = state.db();
    let viewer = auth.viewer.clone();
    let found = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let month = Month::parse(&month).map_err(|_| ApiError::NotFound)?;
        Ok((model(&registered)?, month))
    })
    .await;
    match found {
        Ok((contract, month)) => {
            let form = current_form(&contract, month);
            page(&auth, lang, &contract, month, &form, None, Vec::new())
        }
        Err(error) => failure(error, lang, &auth),
    }
}

/// `POST /contracts/{id}/months/{month}/what-if`: the form submitted; the page again with
/// the result (or the problems, 422). Saves nothing.
pub async fn page_submit(
    State(state): State<AppState>,
    headers: HeaderMap,
    SignedIn(auth): SignedIn,
    Path((id, month)): Path<(String, String)>,
    body: axum::body::Bytes,
) -> Response {
    let lang = auth.lang;
    let form_encoded = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    // Anything else (a JSON body) reads as an empty form: the current terms, no change.
    let fields: Vec<(String, String)> = if form_encoded {
        match serde_urlencoded::from_bytes(&body) {
            Ok(fields) => fields,
            Err(e) => {
                let error = ApiError::BadRequest(format!("what-if form: {e}"));
                return Answer { error, lang }.into_response();
            }
        }
    } else {
        Vec::new()
    };
    let db = state.db();
    let viewer = auth.viewer.clone();
    let found = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let month = Month::parse(&month).map_err(|_| ApiError::NotFound)?;
        Ok((model(&registered)?, month))
    })
    .await;
    let (contract, month) = match found {
        Ok(found) => found,
        Err(error) => return failure(error, lang, &auth),
    };
    let form = if fields.is_empty() {
        current_form(&contract, month)
    } else {
        Form { fields }
    };
    let changes = match changes_of(&form, &contract, month, lang) {
        Ok(changes) => changes,
        Err(errors) => {
            let problems = errors
                .into_iter()
                .map(|e| format!("{} — {}", e.field, e.message))
                .collect();
            return page(&auth, lang, &contract, month, &form, None, problems);
        }
    };
    let minor = contract.minor_units;
    let run_state = state.clone();
    let run_viewer = auth.viewer.clone();
    let id = contract.doc.contract.id.clone();
    let outcome = blocking(move || {
        settle_what_if(&run_state, &run_viewer, &id, month, &changes).map(|(_, w)| w)
    })
    .await;
    match outcome {
        Ok(w) => {
            let view = result_view(&w, minor, lang);
            page(&auth, lang, &contract, month, &form, Some(view), Vec::new())
        }
        Err(ApiError::Op(OpError::WhatIfInvalid { problems })) => {
            let problems = problems.iter().map(|p| p.message(lang)).collect();
            page(&auth, lang, &contract, month, &form, None, problems)
        }
        Err(error) => failure(error, lang, &auth),
    }
}
