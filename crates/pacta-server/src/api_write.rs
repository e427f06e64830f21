//! The JSON routes that change or compute: settle, close and verify a month, its KPIs, data
//! uploads, contract uploads, obligation actions and the caller's API keys.
//!
//! Like [`crate::api`], each handler authenticates the caller, reads the contract through the
//! scoped query (another organisation's contract answers 404 like a missing one), checks the
//! caller's side on it, and calls the same `pacta-ops` operation as the CLI. Who may do what:
//!
//! | action | who |
//! |---|---|
//! | settle a month, upload data | the contract's client manager or provider manager |
//! | close a month | the contract's client manager: the client pays on the closed figures and signs them off; the provider contests them through disputes, which adjust even a closed month |
//! | verify a month, read KPIs | anyone who reads the contract, auditors included |
//! | register a contract or a version | admins, and client managers for their own organisation's contracts |
//! | fulfil an obligation | a party's manager, for its own side's (and joint) obligations |
//! | waive an obligation | the client manager |
//! | list, create and revoke API keys | every user, for its own keys; admins for everyone's |

use std::path::Path as FilePath;
use std::sync::Arc;
use std::time::Duration;

use axum::Json;
use axum::body::Bytes;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use pacta_core::{Lang, Localized, Month};
use pacta_data::record_kinds::RecordKind;
use pacta_data::store::Store;
use pacta_db::{DbError, MonthState, Party, Role, VendorFile, Viewer};
use pacta_governance::obligation::{Obligation, Party as ObligationParty};
use pacta_ops::OpError;
use pacta_ops::import::{ImportKind, ImportRequest, Upload};
use pacta_ops::record::{Recorder, SaveTo};
use pacta_ops::settle::SettleOptions;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::api::{acting_side, contract_summary, model, scoped};
use crate::auth::Auth;
use crate::error::{Answer, ApiError};
use crate::state::{AppState, blocking};

type Reply = Result<Json<Value>, Answer>;
type Created = Result<(StatusCode, Json<Value>), Answer>;

/// How long a close waits for an import in progress to finish before it is refused.
const CLOSE_WAITS_FOR_IMPORT: Duration = Duration::from_secs(30);

fn answer(lang: Lang) -> impl Fn(ApiError) -> Answer {
    move |error| Answer { error, lang }
}

fn month_of(text: &str, lang: Lang) -> Result<Month, Answer> {
    Month::parse(text).map_err(|e| answer(lang)(ApiError::BadRequest(format!("month: {e}"))))
}

/// A JSON body of type `T`; an empty body is `T::default()` when `optional`.
fn json_body<T: DeserializeOwned + Default>(
    body: &[u8],
    optional: bool,
    expected: &str,
    lang: Lang,
) -> Result<T, Answer> {
    if optional && body.iter().all(u8::is_ascii_whitespace) {
        return Ok(T::default());
    }
    serde_json::from_slice(body)
        .map_err(|e| answer(lang)(ApiError::BadRequest(format!("expected {expected}: {e}"))))
}

/// The server's store; [`ApiError::NoStore`] when it runs without one.
fn open_store(store_dir: Option<&FilePath>) -> Result<Store, ApiError> {
    let dir = store_dir.ok_or(ApiError::NoStore)?;
    Ok(pacta_ops::store::open(dir)?)
}

fn recorder(state_db: &Arc<pacta_db::Db>, viewer: &Viewer) -> Recorder {
    Recorder {
        db: Arc::clone(state_db),
        actor: viewer.user().to_string(),
    }
}

fn not_permitted(action: &'static str) -> ApiError {
    ApiError::Db(DbError::NotPermitted { action })
}

/// What settling may take besides the store's data (the options of `pacta settle`).
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct SettleBody {
    #[serde(default)]
    allow_empty: bool,
    vendor_invoice_csv: Option<String>,
    #[serde(default)]
    uploaded_vendor_invoice: bool,
}

/// `POST /api/contracts/{id}/months/{month}/settle`: `pacta settle`, saved as the month's
/// next version, as a party's manager.
pub async fn settle(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, month)): Path<(String, String)>,
    body: Bytes,
) -> Created {
    let lang = auth.lang;
    let request: SettleBody = json_body(
        &body,
        true,
        "JSON {\"allow_empty\", \"vendor_invoice_csv\"}",
        lang,
    )?;
    let month = month_of(&month, lang)?;
    let db = state.db();
    let store_dir = state.config().store_dir.clone();
    let now = state.now();
    let viewer = auth.viewer;
    let body = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        acting_side(&viewer, &registered, "month.settle")?;
        let contract = model(&registered)?;
        let vendor = match (&request.vendor_invoice_csv, request.uploaded_vendor_invoice) {
            (Some(_), true) => {
                return Err(ApiError::BadRequest(
                    "give vendor_invoice_csv or uploaded_vendor_invoice, not both".into(),
                ));
            }
            (Some(text), false) => Some(pacta_ops::vendor_invoice::parse(
                FilePath::new("vendor_invoice_csv"),
                text.as_bytes(),
            )?),
            (None, true) => {
                let file = db
                    .vendor_file(pacta_db::VendorFile::Invoice, &registered.id, month)?
                    .ok_or(ApiError::NoVendorInvoice)?;
                Some(pacta_ops::vendor_invoice::parse(
                    FilePath::new(&file.name),
                    &file.bytes,
                )?)
            }
            (None, false) => None,
        };
        let store = open_store(store_dir.as_deref())?;
        let options = SettleOptions {
            vendor_invoice: vendor.as_deref(),
            allow_empty: request.allow_empty,
            adjustments: None,
            engine: None,
        };
        let done = pacta_ops::record::settle_and_save(
            &store,
            SaveTo::Recorder(&recorder(&db, &viewer)),
            &contract,
            month,
            &options,
            now,
        )?;
        let s = &done.outcome.settlement;
        let saved = &done.saved;
        let settlement: Value = serde_json::from_str(&saved.settlement_json)
            .map_err(|e| ApiError::Internal(format!("saved settlement: {e}")))?;
        Ok(json!({
            "contract_id": saved.contract_id,
            "month": saved.month.to_string(),
            "version": saved.version,
            "saved_at": saved.saved_at.to_string(),
            "saved_by": saved.actor,
            "settlement_hash": saved.settlement_hash,
            "state": "provisional",
            "rows_in_month": s.rows.in_month,
            "currency": s.currency,
            "credit": s.credits.credit.to_string(),
            "invoice_total": s.invoice.total.to_string(),
            "slas": s.slas.iter().map(|o| json!({"id": o.sla_id, "status": o.status})).collect::<Vec<_>>(),
            "reconciliation": s.reconciliation.as_ref().map(|r| json!({
                "invoiced_total": r.invoiced_total.to_string(),
                "expected_total": r.expected_total.to_string(),
                "difference": r.difference.to_string(),
                "discrepancies": r.discrepancies.len(),
            })),
            "fcr_window_open_days": done.outcome.fcr_window_open,
            "settlement": settlement,
        }))
    })
    .await
    .map_err(answer(lang))?;
    Ok((StatusCode::CREATED, Json(body)))
}

fn closed_json(c: &pacta_db::ClosedMonth) -> Value {
    json!({
        "contract_id": c.contract_id,
        "month": c.month.to_string(),
        "state": "closed",
        "version": c.version,
        "settlement_hash": c.settlement_hash,
        "store_snapshot": c.store_snapshot,
        "contract_version": c.contract_version,
        "contract_hash": c.contract_hash,
        "pacta_version": c.pacta_version,
        "closed_at": c.closed_at.to_string(),
        "closed_by": c.closed_by,
        "history": c.history.iter().map(|(m, v)| json!({"month": m.to_string(), "version": v})).collect::<Vec<_>>(),
    })
}

/// `POST /api/contracts/{id}/months/{month}/close`: `pacta month close`, as the contract's
/// client manager.
pub async fn close(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, month)): Path<(String, String)>,
) -> Reply {
    let lang = auth.lang;
    let month = month_of(&month, lang)?;
    let db = state.db();
    let store_dir = state.config().store_dir.clone();
    let now = state.now();
    let viewer = auth.viewer;
    let closed = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        if viewer.party_on(&registered) != Some(Party::Client) {
            return Err(not_permitted("month.close"));
        }
        let contract = model(&registered)?;
        let store = open_store(store_dir.as_deref())?;
        Ok(pacta_ops::record::close_month(
            &store,
            &recorder(&db, &viewer),
            &contract,
            month,
            now,
            Some(CLOSE_WAITS_FOR_IMPORT),
        )?)
    })
    .await
    .map_err(answer(lang))?;
    Ok(Json(closed_json(&closed)))
}

/// `GET /api/contracts/{id}/months/{month}/verify`: `pacta settle --verify`, with the
/// contract version the month was closed with (a later version does not change a closed
/// month).
pub async fn verify(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, month)): Path<(String, String)>,
) -> Reply {
    let lang = auth.lang;
    let month = month_of(&month, lang)?;
    let db = state.db();
    let store_dir = state.config().store_dir.clone();
    let viewer = auth.viewer;
    let body = blocking(move || {
        let latest = scoped(&db, &viewer, &id)?;
        let registered = match db.month_state(&latest.id, month)? {
            MonthState::Closed(closed) => db
                .contract_versions(&viewer, &latest.id)?
                .into_iter()
                .find(|c| c.contract_hash == closed.contract_hash)
                .unwrap_or(latest),
            MonthState::Provisional => latest,
        };
        let contract = model(&registered)?;
        let store = open_store(store_dir.as_deref())?;
        let v = pacta_ops::record::verify_month(&store, &db, &contract, month)?;
        let mut body = closed_json(&v.closed);
        body["reproduced"] = json!(true);
        body["bytes"] = json!(v.bytes);
        body["adjustments"] = json!(v.adjustments);
        Ok(body)
    })
    .await
    .map_err(answer(lang))?;
    Ok(Json(body))
}

/// Which KPIs.
#[derive(Deserialize)]
pub struct KpiParams {
    sla: Option<String>,
}

/// `GET /api/contracts/{id}/months/{month}/kpis?sla=A,B`: `pacta kpi` for the month.
pub async fn kpis(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, month)): Path<(String, String)>,
    Query(params): Query<KpiParams>,
) -> Reply {
    let lang = auth.lang;
    let month = month_of(&month, lang)?;
    let query = pacta_ops::kpi::KpiQuery {
        slas: params
            .sla
            .iter()
            .flat_map(|s| s.split(','))
            .map(str::trim)
            .filter(|s| !s.is_empty())
            .map(str::to_string)
            .collect(),
        ..Default::default()
    };
    let db = state.db();
    let store_dir = state.config().store_dir.clone();
    let viewer = auth.viewer;
    let body = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let contract = model(&registered)?;
        let store = open_store(store_dir.as_deref())?;
        let report = pacta_ops::kpi::measure(&store, &contract, month, &query)?;
        serde_json::to_value(&report).map_err(|e| ApiError::Internal(format!("KPI report: {e}")))
    })
    .await
    .map_err(answer(lang))?;
    Ok(Json(body))
}

/// What an upload is: the options of `pacta import`, as query parameters.
#[derive(Deserialize)]
pub struct ImportParams {
    kind: Option<String>,
    source: Option<String>,
    format: Option<String>,
    time_zone: Option<String>,
    max_quarantine_percent: Option<String>,
    replace: Option<String>,
    filename: Option<String>,
}

fn import_kind(name: &str) -> Option<ImportKind> {
    Some(match name {
        "interactions" => ImportKind::Interactions,
        "surveys" => ImportKind::Records(RecordKind::Surveys),
        "qa" => ImportKind::Records(RecordKind::Qa),
        "roster" => ImportKind::Records(RecordKind::Roster),
        "training" => ImportKind::Records(RecordKind::Training),
        "agent_days" => ImportKind::Records(RecordKind::AgentDays),
        "incidents" => ImportKind::Records(RecordKind::Incidents),
        "invoices" => ImportKind::Records(RecordKind::Invoices),
        _ => return None,
    })
}

/// The checked query of an upload.
fn import_request(params: &ImportParams) -> Result<(ImportKind, ImportRequest), ApiError> {
    let bad = |detail: &str| ApiError::BadRequest(detail.to_string());
    let kind = params
        .kind
        .as_deref()
        .ok_or_else(|| bad("kind is required"))?;
    let kind = import_kind(kind).ok_or_else(|| {
        bad("kind must be interactions, surveys, qa, roster, training, agent_days, incidents or invoices")
    })?;
    let max_quarantine_percent = match params.max_quarantine_percent.as_deref() {
        None => None,
        Some(text) => Some(
            text.parse::<f64>()
                .ok()
                .filter(|p| (0.0..=100.0).contains(p))
                .ok_or_else(|| bad("max_quarantine_percent must be a number from 0 to 100"))?,
        ),
    };
    let replace = match params.replace.as_deref() {
        None | Some("false") => false,
        Some("true") => true,
        Some(_) => return Err(bad("replace must be true or false")),
    };
    Ok((
        kind,
        ImportRequest {
            format: params.format.clone(),
            source: params.source.clone(),
            time_zone: params.time_zone.clone(),
            max_quarantine_percent,
            replace,
            ..ImportRequest::default()
        },
    ))
}

/// The import report as the API answers it. Quarantined rows are located (file, row,
/// field) with the reason; the cell's value is left out, so that no customer data comes
/// back in an answer (the uploader has the file).
fn report_json(outcome: &pacta_ops::import::ImportOutcome) -> Value {
    let r = &outcome.report;
    let c = outcome.committed.as_ref();
    json!({
        "batch": c.and_then(|c| c.batch.clone()),
        "written": c.map_or(0, |c| c.written),
        "duplicates_skipped": c.map_or(0, |c| c.duplicates_skipped),
        "superseded": c.map_or(0, |c| c.superseded),
        "months_changed": c.map(|c| c.months_changed.clone()).unwrap_or_default(),
        "files": r.files.iter().map(|f| json!({"name": f.path, "bytes": f.bytes, "blake3": f.blake3})).collect::<Vec<_>>(),
        "rows_read": r.rows_read,
        "imported": r.imported,
        "not_offered": r.not_offered,
        "merged": r.merged,
        "dropped": r.dropped,
        "quarantine_percent": r.quarantine_percent(),
        "quarantined": r.quarantined.iter().map(|q| json!({
            "file": q.file, "row": q.row, "field": q.field, "reason": q.reason,
        })).collect::<Vec<_>>(),
    })
}

/// `POST /api/contracts/{id}/imports?kind=…`: `pacta import` of the file in the body, as a
/// party's manager. A file refused by the quarantine limit answers 422 `quarantine-limit`
/// with the report (nothing written).
pub async fn import(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(params): Query<ImportParams>,
    body: Bytes,
) -> Response {
    let lang = auth.lang;
    let (kind, request) = match import_request(&params) {
        Ok(r) => r,
        Err(error) => return Answer { error, lang }.into_response(),
    };
    let name = params.filename.clone().unwrap_or_else(|| "upload".into());
    let db = state.db();
    let store_dir = state.config().store_dir.clone();
    let now = state.now();
    let viewer = auth.viewer;
    let result = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        acting_side(&viewer, &registered, "data.import")?;
        let contract = model(&registered)?;
        let store = open_store(store_dir.as_deref())?;
        let outcome = pacta_ops::import::import_upload(
            &store,
            &recorder(&db, &viewer),
            &contract,
            kind,
            request.clone(),
            Upload {
                name: &name,
                bytes: &body[..],
            },
            now,
        )?;
        Ok((outcome.refusal(&request), report_json(&outcome)))
    })
    .await;
    match result {
        Ok((None, report)) => Json(report).into_response(),
        Ok((Some(refused), report)) => (
            StatusCode::UNPROCESSABLE_ENTITY,
            Json(json!({
                "code": refused.code(),
                "message": refused.message(lang),
                "report": report,
            })),
        )
            .into_response(),
        Err(error) => Answer { error, lang }.into_response(),
    }
}

/// The organisations of a new contract.
#[derive(Deserialize)]
pub struct ContractParties {
    client_org: Option<String>,
    provider_org: Option<String>,
}

/// `POST /api/contracts?client_org&provider_org`: `pacta contract register` of the TOML in
/// the body. Admins name both organisations; a client manager registers for its own
/// organisation (client_org defaults to it, another is 403).
pub async fn register_contract(
    State(state): State<AppState>,
    auth: Auth,
    Query(parties): Query<ContractParties>,
    body: Bytes,
) -> Created {
    let lang = auth.lang;
    let viewer = auth.viewer;
    let client_org = match viewer.role() {
        Role::Admin => parties.client_org.clone(),
        Role::ClientManager => match &parties.client_org {
            Some(org) if org != viewer.org() => None,
            _ => Some(viewer.org().to_string()),
        },
        Role::ProviderManager | Role::Auditor => None,
    };
    let Some(client_org) = client_org else {
        let error = match viewer.role() {
            Role::Admin => ApiError::BadRequest("client_org is required".into()),
            _ => not_permitted("contract.register"),
        };
        return Err(answer(lang)(error));
    };
    let Some(provider_org) = parties.provider_org.clone() else {
        return Err(answer(lang)(ApiError::BadRequest(
            "provider_org is required".into(),
        )));
    };
    if [&client_org, &provider_org]
        .iter()
        .any(|org| org.chars().any(char::is_control))
    {
        return Err(answer(lang)(ApiError::BadRequest(
            "organisation names have no control characters".into(),
        )));
    }
    let db = state.db();
    let now = state.now();
    let (created, body) = blocking(move || {
        let contract = pacta_ops::contract::parse_upload("contract.toml", &body)?;
        let id = contract.doc.contract.id.clone();
        let visible = db.contract(&viewer, &id)?;
        let registered = match pacta_ops::contract::register(
            &db,
            &contract,
            &client_org,
            &provider_org,
            viewer.user(),
            now,
        ) {
            // The parties of a contract the caller cannot read are not named.
            Err(OpError::Db(DbError::ContractParties { .. })) if visible.is_none() => {
                return Err(ApiError::ContractIdTaken(id));
            }
            other => other?,
        };
        let created = visible.is_none_or(|v| v.n != registered.n);
        Ok((created, registered_json(&registered, created)))
    })
    .await
    .map_err(answer(lang))?;
    Ok((status_of(created), Json(body)))
}

fn status_of(created: bool) -> StatusCode {
    if created {
        StatusCode::CREATED
    } else {
        StatusCode::OK
    }
}

fn registered_json(c: &pacta_db::RegisteredContract, created: bool) -> Value {
    let mut body = contract_summary(c);
    body["created"] = json!(created);
    body
}

/// `POST /api/contracts/{id}/versions`: a new version of a contract the caller may edit
/// (its client manager, or an admin), between the same organisations.
pub async fn register_version(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> Created {
    let lang = auth.lang;
    let db = state.db();
    let now = state.now();
    let viewer = auth.viewer;
    let (created, body) = blocking(move || {
        let latest = scoped(&db, &viewer, &id)?;
        let may_edit =
            viewer.role() == Role::Admin || viewer.party_on(&latest) == Some(Party::Client);
        if !may_edit {
            return Err(not_permitted("contract.register"));
        }
        let contract = pacta_ops::contract::parse_upload("contract.toml", &body)?;
        if contract.doc.contract.id != latest.id {
            return Err(ApiError::ContractIdMismatch {
                found: contract.doc.contract.id.clone(),
                expected: latest.id.clone(),
            });
        }
        let registered = pacta_ops::contract::register(
            &db,
            &contract,
            &latest.client_org,
            &latest.provider_org,
            viewer.user(),
            now,
        )?;
        let created = registered.n != latest.n;
        Ok((created, registered_json(&registered, created)))
    })
    .await
    .map_err(answer(lang))?;
    Ok((status_of(created), Json(body)))
}

/// An action on an obligation.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct ObligationActionBody {
    obligation: String,
    action: String,
    reason: Option<String>,
    note: Option<String>,
}

/// `POST /api/contracts/{id}/obligations/actions`: `pacta obligation fulfil|waive`. Each
/// side fulfils its own (and joint) obligations; only the client manager waives.
pub async fn act_on_obligation(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: Bytes,
) -> Reply {
    let lang = auth.lang;
    let request: ObligationActionBody = json_body(
        &body,
        false,
        "JSON {\"obligation\", \"action\": \"fulfil\"|\"waive\", \"reason\", \"note\"}",
        lang,
    )?;
    let fulfil = match request.action.as_str() {
        "fulfil" => true,
        "waive" => false,
        _ => {
            return Err(answer(lang)(ApiError::BadRequest(
                "action must be fulfil or waive".into(),
            )));
        }
    };
    let text_ok = |t: &Option<String>| {
        t.as_deref()
            .is_none_or(|t| !t.chars().any(|c| c.is_control() && c != '\n' && c != '\t'))
    };
    if !text_ok(&request.reason) || !text_ok(&request.note) {
        return Err(answer(lang)(ApiError::BadRequest(
            "reason and note take no control characters".into(),
        )));
    }
    let reason = match (&request.reason, fulfil) {
        (_, true) => String::new(),
        (Some(r), false) if !r.trim().is_empty() => r.clone(),
        (_, false) => {
            return Err(answer(lang)(ApiError::BadRequest(
                "a waiver needs a reason".into(),
            )));
        }
    };
    let db = state.db();
    let now = state.now();
    let viewer = auth.viewer;
    let body = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let side = acting_side(&viewer, &registered, "obligation.act")?;
        let unknown = || DbError::UnknownObligation {
            id: request.obligation.clone(),
        };
        if request.obligation.contains('\0') {
            return Err(unknown().into());
        }
        let record = db
            .obligation(&request.obligation)?
            .filter(|r| r.contract_id == registered.id)
            .ok_or_else(unknown)?;
        let obligation: Obligation = serde_json::from_str(&record.obligation_json)
            .map_err(|e| ApiError::Internal(format!("obligation {}: {e}", record.id)))?;
        let own = matches!(
            (side, obligation.party),
            (
                pacta_governance::dispute::Side::Client,
                ObligationParty::Client
            ) | (
                pacta_governance::dispute::Side::Provider,
                ObligationParty::Provider
            ) | (_, ObligationParty::Both)
        );
        let allowed = if fulfil {
            own
        } else {
            side == pacta_governance::dispute::Side::Client
        };
        if !allowed {
            return Err(not_permitted(if fulfil {
                "obligation.fulfil"
            } else {
                "obligation.waive"
            }));
        }
        let act = if fulfil {
            pacta_ops::governance::Act::Fulfil {
                evidence: None,
                note: request.note.clone(),
            }
        } else {
            pacta_ops::governance::Act::Waive { reason }
        };
        let event = pacta_ops::governance::act(
            &recorder(&db, &viewer),
            Some(registered.id.as_str()),
            &record.id,
            act,
            now,
        )?;
        Ok(json!({
            "obligation": record.id,
            "action": event.action,
            "at": event.at.to_string(),
            "actor": event.actor,
            "detail": serde_json::from_str::<Value>(&event.detail_json).unwrap_or(Value::Null),
        }))
    })
    .await
    .map_err(answer(lang))?;
    Ok(Json(body))
}

fn key_json(k: &pacta_db::KeyInfo) -> Value {
    json!({
        "id": k.id,
        "user": k.user,
        "purpose": k.purpose,
        "label": k.label,
        "created_at": k.created_at.to_string(),
        "revoked_at": k.revoked_at.map(|t| t.to_string()),
    })
}

/// `GET /api/keys`: the caller's keys (an admin's: everyone's), without secrets.
pub async fn keys(State(state): State<AppState>, auth: Auth) -> Reply {
    let db = state.db();
    let viewer = auth.viewer;
    let list = blocking(move || Ok(db.api_keys(&viewer)?))
        .await
        .map_err(answer(auth.lang))?;
    Ok(Json(Value::Array(list.iter().map(key_json).collect())))
}

/// What a new key is called.
#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
pub struct NewKey {
    label: Option<String>,
}

/// The longest label a key may have.
const LABEL_MAX: usize = 100;

/// `POST /api/keys`: an API key for the caller, shown once.
pub async fn create_key(State(state): State<AppState>, auth: Auth, body: Bytes) -> Created {
    let lang = auth.lang;
    let request: NewKey = json_body(&body, true, "JSON {\"label\"}", lang)?;
    let label = request.label.unwrap_or_else(|| "api".to_string());
    if label.chars().count() > LABEL_MAX || label.chars().any(char::is_control) {
        return Err(answer(lang)(ApiError::BadRequest(format!(
            "label: at most {LABEL_MAX} characters, no control characters"
        ))));
    }
    let db = state.db();
    let now = state.now();
    let viewer = auth.viewer;
    let body = blocking(move || {
        let key = db.create_api_key(viewer.user(), &label, viewer.user(), now)?;
        Ok(json!({
            "id": key.id,
            "key": key.secret,
            "user": viewer.user(),
            "label": label,
        }))
    })
    .await
    .map_err(answer(lang))?;
    Ok((StatusCode::CREATED, Json(body)))
}

/// `POST /api/keys/{key}/revoke`: revokes one of the caller's keys (an admin: anyone's);
/// another user's key answers 404, as a missing one.
pub async fn revoke_key(
    State(state): State<AppState>,
    auth: Auth,
    Path(key): Path<String>,
) -> Reply {
    let db = state.db();
    let now = state.now();
    let viewer = auth.viewer;
    let body = blocking(move || {
        // Key ids are hex: anything else names no key (and never reaches the database).
        if key.is_empty() || key.len() > 64 || !key.chars().all(|c| c.is_ascii_alphanumeric()) {
            return Err(ApiError::NotFound);
        }
        let found = db.api_key(&viewer, &key)?.ok_or(ApiError::NotFound)?;
        if found.revoked_at.is_some() || !db.revoke_api_key(&found.id, viewer.user(), now)? {
            return Err(ApiError::KeyRevoked(found.id));
        }
        let revoked = db.api_key(&viewer, &found.id)?.ok_or(ApiError::NotFound)?;
        Ok(key_json(&revoked))
    })
    .await
    .map_err(answer(auth.lang))?;
    Ok(Json(body))
}

/// A comment carrying an evidence file.
#[derive(Deserialize)]
pub struct EvidenceParams {
    text: Option<String>,
    filename: Option<String>,
}

/// `POST /api/contracts/{id}/months/{month}/disputes/{n}/evidence?text&filename`: the file in
/// the body attached to a comment on dispute `n` of the month, as the caller's side (`pacta
/// dispute comment --evidence FILE`).
pub async fn upload_evidence(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, month, n)): Path<(String, String, u64)>,
    Query(params): Query<EvidenceParams>,
    body: Bytes,
) -> Reply {
    let lang = auth.lang;
    let month = month_of(&month, lang)?;
    if body.is_empty() {
        return Err(answer(lang)(ApiError::BadRequest(
            "the body is the evidence file; it is empty".into(),
        )));
    }
    let text = params.text.unwrap_or_default();
    if text
        .chars()
        .any(|c| c.is_control() && c != '\n' && c != '\t')
    {
        return Err(answer(lang)(ApiError::BadRequest(
            "text takes no control characters".into(),
        )));
    }
    let name = pacta_ops::import::upload_name(params.filename.as_deref().unwrap_or("evidence"));
    let db = state.db();
    let now = state.now();
    let viewer = auth.viewer;
    let body = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let side = acting_side(&viewer, &registered, "dispute.act")?;
        let contract = model(&registered)?;
        let hash = pacta_db::evidence_hash(&body);
        let bytes = body.len();
        let dispute = pacta_db::dispute_id(&registered.id, month, n);
        let view = pacta_ops::dispute::act_with_files(
            &recorder(&db, &viewer),
            &contract,
            &dispute,
            side,
            pacta_governance::dispute::Action::Comment {
                text,
                evidence: Vec::new(),
            },
            vec![(name.clone(), body.to_vec())],
            now,
        )?;
        Ok(json!({
            "evidence": {"hash": hash, "name": name, "bytes": bytes},
            "dispute": crate::api::dispute_json(&view),
        }))
    })
    .await
    .map_err(answer(lang))?;
    Ok(Json(body))
}

/// Whether `hash` is the evidence of an event of the contract: a dispute comment's or an
/// obligation's fulfilment.
fn evidence_of_contract(
    db: &pacta_db::Db,
    contract_id: &str,
    hash: &str,
) -> Result<bool, ApiError> {
    for dispute in db.disputes(contract_id)? {
        for event in &dispute.events {
            let parsed: Value = serde_json::from_str(&event.event_json).unwrap_or(Value::Null);
            let listed = [&parsed["action"]["evidence"], &parsed["evidence"]]
                .iter()
                .filter_map(|e| e.as_array())
                .any(|e| e.iter().any(|h| h == hash));
            if listed {
                return Ok(true);
            }
        }
    }
    let obligations = db.obligations(contract_id, "0000-01-01", "9999-12-31")?;
    Ok(obligations
        .iter()
        .flat_map(|o| &o.events)
        .any(|e| e.evidence_hash.as_deref() == Some(hash)))
}

/// `GET /api/contracts/{id}/evidence/{hash}`: an evidence file of the contract (a dispute
/// comment's or an obligation's), for anyone who reads the contract, auditors included. A
/// hash that is not this contract's answers 404, as a missing one.
pub async fn download_evidence(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, hash)): Path<(String, String)>,
) -> Response {
    let lang = auth.lang;
    let db = state.db();
    let viewer = auth.viewer;
    let result = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let is_hash = hash.len() == 64 && hash.chars().all(|c| c.is_ascii_hexdigit());
        if !is_hash || !evidence_of_contract(&db, &registered.id, &hash)? {
            return Err(ApiError::NotFound);
        }
        db.evidence(&hash)?.ok_or(ApiError::NotFound)
    })
    .await;
    match result {
        Ok(file) => {
            // Letters, digits, `.`, `-` and `_` only: a header value cannot be broken.
            let name = pacta_ops::import::upload_name(&file.name);
            (
                [
                    (
                        axum::http::header::CONTENT_TYPE,
                        "application/octet-stream".to_string(),
                    ),
                    (
                        axum::http::header::CONTENT_DISPOSITION,
                        format!("attachment; filename=\"{name}\""),
                    ),
                ],
                file.bytes,
            )
                .into_response()
        }
        Err(error) => Answer { error, lang }.into_response(),
    }
}

/// The name a vendor's file is kept under.
#[derive(Deserialize)]
pub struct VendorFileParams {
    filename: Option<String>,
}

/// `POST /api/contracts/{id}/months/{month}/vendor-invoice?filename`: the vendor's invoice
/// for the month (CSV `item,quantity,rate,amount`), checked as `pacta settle
/// --vendor-invoice` reads it (a bad file: 422, located, nothing kept), then kept as an
/// evidence file; settling with `uploaded_vendor_invoice` reconciles the latest one. A
/// party's manager.
pub async fn upload_vendor_invoice(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, month)): Path<(String, String)>,
    Query(params): Query<VendorFileParams>,
    body: Bytes,
) -> Created {
    let name = params.filename.as_deref().unwrap_or("vendor-invoice.csv");
    keep_vendor_file(
        state,
        auth,
        (id, month),
        VendorFile::Invoice,
        name,
        body,
        |_, name, bytes| {
            let lines = pacta_ops::vendor_invoice::parse(FilePath::new(name), bytes)?;
            let total: rust_decimal::Decimal = lines.iter().map(|l| l.amount).sum();
            Ok(json!({"lines": lines.len(), "invoiced_total": total.to_string()}))
        },
    )
    .await
}

/// `POST /api/contracts/{id}/months/{month}/staffing-plan?filename`: the vendor's staffing
/// plan for the month (CSV `interval_start,queue,agents`, local times in the contract's
/// zone), checked as `pacta plan --staffing` reads it (a bad file: 422, located, nothing
/// kept), then kept as an evidence file; the intervals page sets the latest one beside the
/// agents Erlang requires. A party's manager.
pub async fn upload_staffing_plan(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, month)): Path<(String, String)>,
    Query(params): Query<VendorFileParams>,
    body: Bytes,
) -> Created {
    let name = params.filename.as_deref().unwrap_or("staffing-plan.csv");
    keep_vendor_file(
        state,
        auth,
        (id, month),
        VendorFile::StaffingPlan,
        name,
        body,
        |contract, name, bytes| {
            let input = pacta_ops::plan::CsvInput::Text {
                name: name.to_string(),
                bytes: bytes.to_vec(),
            };
            let rows = pacta_ops::plan::check_staffing(contract, &input)?;
            Ok(json!({"rows": rows}))
        },
    )
    .await
}

/// A vendor's file for a month, as its side uploads it: read by `check` first (refused:
/// nothing kept, nothing audited), then kept with its audit entry; 201 with the file's hash
/// and name and what `check` found.
async fn keep_vendor_file(
    state: AppState,
    auth: Auth,
    (id, month): (String, String),
    kind: VendorFile,
    given_name: &str,
    body: Bytes,
    check: impl FnOnce(&pacta_contract::Contract, &str, &[u8]) -> Result<Value, ApiError>
    + Send
    + 'static,
) -> Created {
    let lang = auth.lang;
    let month = month_of(&month, lang)?;
    let name = pacta_ops::import::upload_name(given_name);
    let db = state.db();
    let now = state.now();
    let viewer = auth.viewer;
    let body = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        acting_side(&viewer, &registered, kind.upload_action())?;
        let mut found = check(&model(&registered)?, &name, &body)?;
        let hash = db.add_vendor_file(
            kind,
            &registered.id,
            month,
            &name,
            &body,
            viewer.user(),
            now,
        )?;
        found["contract_id"] = json!(registered.id);
        found["month"] = json!(month.to_string());
        found["hash"] = json!(hash);
        found["name"] = json!(name);
        Ok(found)
    })
    .await
    .map_err(answer(lang))?;
    Ok((StatusCode::CREATED, Json(body)))
}
