//! The JSON routes. Each authenticates the caller, reads the contract through the scoped
//! query (another organisation's contract is `None`, answered 404 like a missing one) and
//! calls the same `pacta-ops` operation as the CLI.

use std::sync::Arc;

use axum::Json;
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode};
use axum::response::{IntoResponse, Response};
use jiff::civil::Date;
use pacta_contract::Contract;
use pacta_core::{Lang, Month};
use pacta_data::store::Store;
use pacta_db::{Db, DbError, LogFilter, Party, RegisteredContract, Viewer};
use pacta_governance::dispute::{Action, Side};
use pacta_ops::governance::Plans;
use pacta_ops::record::Recorder;
use serde::Deserialize;
use serde_json::{Value, json};

use crate::auth::Auth;
use crate::error::ApiError;
use crate::error::{Answer, lang_of};
use crate::state::{AppState, blocking};

type Reply = Result<Json<Value>, Answer>;

fn answer(lang: Lang) -> impl Fn(ApiError) -> Answer {
    move |error| Answer { error, lang }
}

/// The contract `id` as the viewer may see it; [`ApiError::NotFound`] when it does not
/// exist or belongs to another organisation.
pub(crate) fn scoped(db: &Db, viewer: &Viewer, id: &str) -> Result<RegisteredContract, ApiError> {
    // PostgreSQL refuses a NUL in text: no contract has one.
    if id.contains('\0') {
        return Err(ApiError::NotFound);
    }
    db.contract(viewer, id)?.ok_or(ApiError::NotFound)
}

/// The registered text parsed into the contract model (it validated when registered).
pub(crate) fn model(registered: &RegisteredContract) -> Result<Contract, ApiError> {
    pacta_contract::parse_str(&registered.toml).map_err(|errors| {
        ApiError::Internal(format!(
            "registered contract {} no longer validates ({} problems)",
            registered.id,
            errors.len()
        ))
    })
}

pub(crate) fn contract_summary(c: &RegisteredContract) -> Value {
    json!({
        "id": c.id,
        "registration": c.n,
        "version": c.contract_version,
        "contract_hash": c.contract_hash,
        "client_org": c.client_org,
        "provider_org": c.provider_org,
        "registered_at": c.registered_at.to_string(),
        "registered_by": c.registered_by,
    })
}

/// `GET /api/me`.
pub async fn me(auth: Auth) -> Json<Value> {
    Json(json!({
        "user": auth.viewer.user(),
        "org": auth.viewer.org(),
        "role": auth.viewer.role().as_str(),
    }))
}

/// `GET /api/contracts`.
pub async fn contracts(State(state): State<AppState>, auth: Auth) -> Reply {
    let db = state.db();
    let viewer = auth.viewer;
    let list = blocking(move || Ok(db.contracts(&viewer)?))
        .await
        .map_err(answer(auth.lang))?;
    Ok(Json(Value::Array(
        list.iter().map(contract_summary).collect(),
    )))
}

/// `GET /api/contracts/{id}`.
pub async fn contract(State(state): State<AppState>, auth: Auth, Path(id): Path<String>) -> Reply {
    let db = state.db();
    let viewer = auth.viewer;
    let c = blocking(move || scoped(&db, &viewer, &id))
        .await
        .map_err(answer(auth.lang))?;
    let mut body = contract_summary(&c);
    body["toml"] = json!(c.toml);
    Ok(Json(body))
}

/// `GET /api/contracts/{id}/months`: `pacta month list`.
pub async fn months(State(state): State<AppState>, auth: Auth, Path(id): Path<String>) -> Reply {
    let db = state.db();
    let viewer = auth.viewer;
    let months = blocking(move || {
        let c = scoped(&db, &viewer, &id)?;
        Ok(pacta_ops::record::months(&db, &c.id)?)
    })
    .await
    .map_err(answer(auth.lang))?;
    let rows = months
        .iter()
        .map(|m| {
            json!({
                "month": m.latest.month.to_string(),
                "latest_version": m.latest.version,
                "versions": m.versions,
                "saved_at": m.latest.saved_at.to_string(),
                "settlement_hash": m.latest.settlement_hash,
                "state": if m.closed.is_some() { "closed" } else { "provisional" },
                "closed_at": m.closed.as_ref().map(|c| c.closed_at.to_string()),
            })
        })
        .collect();
    Ok(Json(Value::Array(rows)))
}

/// `GET /api/contracts/{id}/months/{month}/settlement`: the latest saved version.
pub async fn settlement(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, month)): Path<(String, String)>,
) -> Reply {
    let lang = auth.lang;
    let month = Month::parse(&month)
        .map_err(|e| answer(lang)(ApiError::BadRequest(format!("month: {e}"))))?;
    let db = state.db();
    let viewer = auth.viewer;
    let saved = blocking(move || {
        let c = scoped(&db, &viewer, &id)?;
        db.latest_settlement(&c.id, month)?
            .ok_or(ApiError::NotFound)
    })
    .await
    .map_err(answer(lang))?;
    let settlement: Value = serde_json::from_str(&saved.settlement_json)
        .map_err(|e| answer(lang)(ApiError::Internal(format!("saved settlement: {e}"))))?;
    Ok(Json(json!({
        "contract_id": saved.contract_id,
        "month": saved.month.to_string(),
        "version": saved.version,
        "saved_at": saved.saved_at.to_string(),
        "saved_by": saved.actor,
        "settlement_hash": saved.settlement_hash,
        "settlement": settlement,
    })))
}

/// The date range of an obligations request.
#[derive(Deserialize)]
pub struct Range {
    from: Option<String>,
    to: Option<String>,
}

fn date(name: &str, text: Option<&str>) -> Result<Date, ApiError> {
    let text = text.ok_or_else(|| ApiError::BadRequest(format!("{name} is required")))?;
    text.parse()
        .map_err(|_| ApiError::BadRequest(format!("{name} must be a date, YYYY-MM-DD")))
}

/// `GET /api/contracts/{id}/obligations?from&to`: `pacta obligations` (listing records the
/// obligations derived, as the CLI does, with the caller as the actor).
pub async fn obligations(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    Query(range): Query<Range>,
) -> Reply {
    let lang = auth.lang;
    let from = date("from", range.from.as_deref()).map_err(answer(lang))?;
    let to = date("to", range.to.as_deref()).map_err(answer(lang))?;
    if from > to {
        return Err(answer(lang)(ApiError::BadRequest(
            "from is after to".into(),
        )));
    }
    let db = state.db();
    let store_dir = state.config().store_dir.clone();
    let now = state.now();
    let viewer = auth.viewer;
    let rows = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let (contract, list) =
            obligation_list(&db, store_dir, &viewer, &registered, from, to, now)?;
        let tz = &contract.time_zone;
        let rows: Vec<Value> = list
            .rows
            .iter()
            .map(|row| {
                json!({
                    "id": row.obligation.id,
                    "title": row.obligation.title(lang),
                    "due": row.obligation.due.last_day(tz).to_string(),
                    "status": row.status,
                    "status_label": row.status.label(lang),
                    "contract_version": row.contract_version,
                    "obligation": row.obligation,
                })
            })
            .collect();
        Ok(rows)
    })
    .await
    .map_err(answer(lang))?;
    Ok(Json(Value::Array(rows)))
}

/// The obligations of `from..=to` as `pacta obligations` lists (and records) them, with the
/// viewer as the actor.
pub(crate) fn obligation_list(
    db: &Arc<Db>,
    store_dir: Option<std::path::PathBuf>,
    viewer: &Viewer,
    registered: &RegisteredContract,
    from: Date,
    to: Date,
    now: jiff::Timestamp,
) -> Result<(Contract, pacta_ops::governance::ObligationList), ApiError> {
    let contract = model(registered)?;
    let recorder = Recorder {
        db: Arc::clone(db),
        actor: viewer.user().to_string(),
    };
    let store = match store_dir {
        Some(dir) if dir.is_dir() => Some(Store::open(&dir).map_err(pacta_ops::OpError::from)?),
        _ => None,
    };
    let history =
        pacta_ops::governance::history(&recorder, store.as_ref(), &contract, &Plans::default())?;
    let list = pacta_ops::governance::list(
        &recorder,
        store.as_ref(),
        &contract,
        &history,
        from,
        to,
        now,
    )?;
    Ok((contract, list))
}

/// `POST /api/feeds`: a calendar feed key for the caller (shown once) and the path of each
/// contract's feed under it. The key reads calendars only; `pacta token revoke ID` revokes
/// it.
pub async fn create_feed(
    State(state): State<AppState>,
    auth: Auth,
) -> Result<(StatusCode, Json<Value>), Answer> {
    let db = state.db();
    let now = state.now();
    let viewer = auth.viewer;
    let key = blocking(move || Ok(db.create_feed_key(viewer.user(), viewer.user(), now)?))
        .await
        .map_err(answer(auth.lang))?;
    Ok((
        StatusCode::CREATED,
        Json(json!({
            "id": key.id,
            "key": key.secret,
            "path": format!("/feeds/{}/contracts/{{id}}", key.secret),
        })),
    ))
}

/// Days before and after today a feed covers (as `pacta calendar` by default).
pub(crate) const FEED_DAYS_BEFORE: i64 = 31;
pub(crate) const FEED_DAYS_AFTER: i64 = 92;

/// `GET /feeds/{key}/contracts/{id}`: the contract's obligations as an RFC 5545 calendar,
/// for a calendar application that cannot sign in. A revoked or unknown key gets 401, a
/// contract outside the key owner's scope 404.
pub async fn feed(
    State(state): State<AppState>,
    headers: HeaderMap,
    Path((key, id)): Path<(String, String)>,
) -> Response {
    let lang = lang_of(&headers);
    let db = state.db();
    let store_dir = state.config().store_dir.clone();
    let now = state.now();
    let result = blocking(move || {
        let Some(viewer) = db.feed_viewer(&key, now)? else {
            return Err(ApiError::Unauthenticated);
        };
        let registered = scoped(&db, &viewer, &id)?;
        let today = now.to_zoned(jiff::tz::TimeZone::UTC).date();
        let from = today.saturating_sub(jiff::Span::new().days(FEED_DAYS_BEFORE));
        let to = today.saturating_add(jiff::Span::new().days(FEED_DAYS_AFTER));
        let (contract, list) =
            obligation_list(&db, store_dir, &viewer, &registered, from, to, now)?;
        Ok(pacta_ops::governance::calendar(
            &contract, &list.rows, lang, now,
        ))
    })
    .await;
    match result {
        Ok(ics) => (
            [(
                axum::http::header::CONTENT_TYPE,
                "text/calendar; charset=utf-8",
            )],
            ics,
        )
            .into_response(),
        Err(error) => Answer { error, lang }.into_response(),
    }
}

/// `GET /api/contracts/{id}/disputes`: `pacta dispute list`.
pub async fn disputes(State(state): State<AppState>, auth: Auth, Path(id): Path<String>) -> Reply {
    let lang = auth.lang;
    let db = state.db();
    let now = state.now();
    let viewer = auth.viewer;
    let rows = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let contract = model(&registered)?;
        let recorder = Recorder {
            db: Arc::clone(&db),
            actor: viewer.user().to_string(),
        };
        let views = pacta_ops::dispute::list(&recorder, &contract, now)?;
        let rows: Vec<Value> = views.iter().map(dispute_json).collect();
        Ok(rows)
    })
    .await
    .map_err(answer(lang))?;
    Ok(Json(Value::Array(rows)))
}

pub(crate) fn dispute_json(v: &pacta_ops::dispute::DisputeView) -> Value {
    json!({
        "id": v.record.id,
        "month": v.record.month.to_string(),
        "subject": v.record.subject,
        "opened_by": v.record.opened_by,
        "opened_at": v.record.opened_at.to_string(),
        "events": v.record.events.len(),
        "status": v.dispute.status,
        "step": v.dispute.step + 1,
        "steps": v.steps,
        "deadline": v.deadline.map(|t| t.to_string()),
        "client_may": v.client_may,
        "provider_may": v.provider_may,
    })
}

/// What opening a dispute takes.
#[derive(Deserialize)]
pub struct DisputeOpening {
    month: String,
    subject: String,
    claim: String,
}

/// `POST /api/contracts/{id}/disputes`: `pacta dispute open`, as the caller's side (a
/// party's manager; auditors and admins get 403).
pub async fn open_dispute(
    State(state): State<AppState>,
    auth: Auth,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Result<(StatusCode, Json<Value>), Answer> {
    let lang = auth.lang;
    let opening: DisputeOpening = serde_json::from_slice(&body).map_err(|_| {
        answer(lang)(ApiError::BadRequest(
            "expected JSON {\"month\", \"subject\", \"claim\"}".into(),
        ))
    })?;
    let month = Month::parse(&opening.month)
        .map_err(|e| answer(lang)(ApiError::BadRequest(format!("month: {e}"))))?;
    let db = state.db();
    let now = state.now();
    let viewer = auth.viewer;
    let view = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let side = acting_side(&viewer, &registered, "dispute.open")?;
        let contract = model(&registered)?;
        let recorder = Recorder {
            db: Arc::clone(&db),
            actor: viewer.user().to_string(),
        };
        Ok(pacta_ops::dispute::open(
            &recorder,
            &contract,
            month,
            &opening.subject,
            side,
            &opening.claim,
            now,
        )?)
    })
    .await
    .map_err(answer(lang))?;
    Ok((StatusCode::CREATED, Json(dispute_json(&view))))
}

/// `POST /api/contracts/{id}/months/{month}/disputes/{n}/actions`: `pacta dispute ACTION`
/// on dispute `ID/MONTH/Dn`, as the caller's side. The body is the action as the
/// governance model serialises it (`{"action": "comment", "text": "…", "evidence": []}`,
/// `{"action": "propose", "text": "…", "adjustment": null}`, `{"action": "accept"}`,
/// `escalate`, `withdraw`, `record_outcome`); evidence files are not uploaded here yet, so
/// a comment's `evidence` must be empty. Accepting an offer that carries an adjustment
/// settles the month again (`pacta_ops::dispute::accept`): the answer then has
/// `adjustment`, the note (new version, credit and amounts owed before and after).
pub async fn act_on_dispute(
    State(state): State<AppState>,
    auth: Auth,
    Path((id, month, n)): Path<(String, String, u64)>,
    body: axum::body::Bytes,
) -> Reply {
    let lang = auth.lang;
    let bad = |detail: String| answer(lang)(ApiError::BadRequest(detail));
    let action: Action = serde_json::from_slice(&body).map_err(|e| bad(format!("action: {e}")))?;
    if let Action::Comment { evidence, .. } = &action
        && !evidence.is_empty()
    {
        return Err(bad("evidence cannot be attached through the API yet".into()));
    }
    let month = Month::parse(&month).map_err(|e| bad(format!("month: {e}")))?;
    let db = state.db();
    let now = state.now();
    let store_dir = state.config().store_dir.clone().unwrap_or_default();
    let viewer = auth.viewer;
    let view = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let side = acting_side(&viewer, &registered, "dispute.act")?;
        let contract = model(&registered)?;
        let recorder = Recorder {
            db: Arc::clone(&db),
            actor: viewer.user().to_string(),
        };
        let dispute = pacta_db::dispute_id(&registered.id, month, n);
        if matches!(action, Action::Accept) {
            // Accepting an offer with an adjustment settles the month again, as the CLI does.
            let accepted =
                pacta_ops::dispute::accept(&store_dir, &recorder, &contract, &dispute, side, now)?;
            return Ok((accepted.view, accepted.applied.map(|a| a.note)));
        }
        let view = pacta_ops::dispute::act(&recorder, &contract, &dispute, side, action, &[], now)?;
        Ok((view, None))
    })
    .await
    .map_err(answer(lang))?;
    let (view, note) = view;
    let mut body = dispute_json(&view);
    if let Some(note) = note {
        body["adjustment"] = json!(note);
    }
    Ok(Json(body))
}

/// The side the viewer acts for on the contract, or [`DbError::NotPermitted`].
pub(crate) fn acting_side(
    viewer: &Viewer,
    registered: &RegisteredContract,
    action: &'static str,
) -> Result<Side, ApiError> {
    match viewer.party_on(registered) {
        Some(Party::Client) => Ok(Side::Client),
        Some(Party::Provider) => Ok(Side::Provider),
        None => Err(ApiError::Db(DbError::NotPermitted { action })),
    }
}

/// `GET /api/audit/verify`: auditors and admins (others 403).
pub async fn audit_verify(State(state): State<AppState>, auth: Auth) -> Reply {
    let db = state.db();
    let viewer = auth.viewer;
    let report = blocking(move || Ok(db.verify_as(&viewer)?))
        .await
        .map_err(answer(auth.lang))?;
    Ok(Json(json!({
        "entries": report.entries,
        "head_hash": report.head_hash,
    })))
}

/// Which entries of the audit log.
#[derive(Deserialize)]
pub struct LogQuery {
    since: Option<u64>,
    limit: Option<u32>,
    action: Option<String>,
    object: Option<String>,
}

/// The most entries one request returns.
const LOG_PAGE_MAX: u32 = 1000;

/// `GET /api/audit/log?since&limit&action&object`: auditors and admins (others 403).
pub async fn audit_log(
    State(state): State<AppState>,
    auth: Auth,
    Query(query): Query<LogQuery>,
) -> Reply {
    // PostgreSQL refuses a NUL in text; no action or object has one.
    if [&query.action, &query.object]
        .iter()
        .any(|t| t.as_deref().is_some_and(|t| t.contains('\0')))
    {
        return Err(answer(auth.lang)(ApiError::BadRequest(
            "action and object take no NUL".into(),
        )));
    }
    let filter = LogFilter {
        object_prefix: query.object,
        action: query.action,
        since_seq: query.since,
        limit: Some(query.limit.unwrap_or(100).min(LOG_PAGE_MAX)),
    };
    let db = state.db();
    let viewer = auth.viewer;
    let entries = blocking(move || Ok(db.log_as(&viewer, &filter)?))
        .await
        .map_err(answer(auth.lang))?;
    let rows = entries
        .iter()
        .map(|e| {
            json!({
                "seq": e.seq,
                "at": e.at.to_string(),
                "actor": e.actor,
                "action": e.action,
                "object": e.object,
                "payload": serde_json::from_str::<Value>(&e.payload).unwrap_or(Value::Null),
                "prev_hash": e.prev_hash,
                "hash": e.hash,
            })
        })
        .collect();
    Ok(Json(Value::Array(rows)))
}

/// Any other path: 404 in the API's shape.
pub async fn not_found(headers: HeaderMap) -> Response {
    Answer {
        error: ApiError::NotFound,
        lang: lang_of(&headers),
    }
    .into_response()
}
