//! The dashboard's governance pages: disputes (steps, deadlines, timeline, evidence names and
//! the actions the reader's side may take now), obligations (list and calendar), the audit
//! log with the chain's status, and administration (users and keys). Moved here from
//! `dashboard` with the disputes and obligations handlers.
//!
//! Like every page they read through the database's scoped calls (`Viewer`), so another
//! organisation's contract answers the not-found page, and every action is the `pacta-ops`
//! (or pacta-db) call the CLI makes: accepting an offer is `pacta_ops::dispute::accept`, which
//! also settles the month again when the offer carries an adjustment.

use std::collections::BTreeMap;
use std::path::PathBuf;
use std::sync::Arc;

use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use jiff::civil::{Date, DateTime};
use jiff::{Timestamp, ToSpan};
use minijinja::context;
use pacta_contract::Contract;
use pacta_core::{Lang, Localized, Month};
use pacta_db::{DbError, LogFilter, NewUser, Role};
use pacta_governance::dispute::{Action, Adjustment, Ladder, ReliefKind, Side, Status, kind_label};
use pacta_ops::adjust::{AdjustmentNote, NoteKind};
use pacta_ops::dispute::DisputeView;
use pacta_ops::record::Recorder;
use serde::Deserialize;
use serde::de::DeserializeOwned;
use serde_json::{Value, json};

use crate::api::{FEED_DAYS_AFTER, FEED_DAYS_BEFORE, acting_side, model, obligation_list, scoped};
use crate::auth::{Auth, SignedIn};
use crate::dashboard::{href, render, ser, text};
use crate::error::{Answer, ApiError};
use crate::state::{AppState, blocking};

/// Audit entries per page.
const AUDIT_PAGE: u32 = 50;

/// The words of these pages (the shared ones are `t`).
fn words(lang: Lang) -> Value {
    let pairs: &[(&str, &str, &str)] = &[
        ("audit", "Audit", "Auditoría"),
        ("admin", "Administration", "Administración"),
        (
            "chain_ok",
            "The audit chain verifies",
            "La cadena de auditoría se verifica",
        ),
        (
            "chain_broken",
            "The audit chain is broken",
            "La cadena de auditoría está rota",
        ),
        ("entries", "entries", "entradas"),
        ("head", "head hash", "hash de cabeza"),
        ("object", "Object (prefix)", "Objeto (prefijo)"),
        ("action", "Action", "Acción"),
        ("since", "After entry", "Después de la entrada"),
        ("filter", "Filter", "Filtrar"),
        ("seq", "#", "#"),
        ("at", "When (UTC)", "Cuándo (UTC)"),
        ("actor", "Actor", "Actor"),
        ("payload", "Payload", "Contenido"),
        ("next", "Next entries", "Entradas siguientes"),
        ("first", "First entries", "Primeras entradas"),
        ("no_entries", "No entries.", "No hay entradas."),
        ("users", "Users", "Usuarios"),
        ("user", "User", "Usuario"),
        ("org", "Organisation", "Organización"),
        ("role", "Role", "Rol"),
        ("created", "Created", "Creado"),
        (
            "keys",
            "API and calendar keys",
            "Claves de API y de calendario",
        ),
        ("key_id", "Id", "Id"),
        ("label", "Label", "Etiqueta"),
        ("owner", "Owner", "Titular"),
        ("purpose", "Purpose", "Uso"),
        ("revoked", "Revoked", "Revocada"),
        ("revoke", "Revoke", "Revocar"),
        ("add_user", "Add a user", "Añadir un usuario"),
        ("add", "Add", "Añadir"),
        (
            "one_time",
            "Password for the new user (shown once; give it to them and have them keep it):",
            "Contraseña del nuevo usuario (se muestra una vez; entréguesela para que la guarde):",
        ),
        ("no_keys", "No keys.", "No hay claves."),
        ("steps", "Steps", "Pasos"),
        ("days", "days", "días"),
        ("no_days", "until an outcome", "hasta una resolución"),
        ("current", "current", "actual"),
        (
            "escalate_from",
            "either side may escalate alone from",
            "cualquiera de las partes puede escalar sola desde",
        ),
        ("timeline", "Timeline", "Cronología"),
        ("opened", "opened", "abierta"),
        ("by", "By", "Parte"),
        ("detail", "Detail", "Detalle"),
        ("evidence", "Evidence", "Evidencia"),
        ("agreed", "Agreed adjustment", "Ajuste acordado"),
        ("claim", "Claim", "Reclamo"),
        ("month", "Month", "Mes"),
        (
            "you_may",
            "What your side may do now",
            "Lo que su parte puede hacer ahora",
        ),
        ("comment", "Comment", "Comentar"),
        ("propose", "Propose", "Proponer"),
        ("accept", "Accept the offer", "Aceptar la oferta"),
        ("escalate", "Escalate", "Escalar"),
        ("withdraw", "Withdraw", "Retirar"),
        ("text", "Text", "Texto"),
        ("offer", "Offer", "Oferta"),
        (
            "exclude",
            "Leave a window out of the measurement",
            "Excluir una ventana de la medición",
        ),
        ("start", "From (local time)", "Desde (hora local)"),
        ("end", "Until (local time)", "Hasta (hora local)"),
        ("relief", "Why", "Motivo"),
        ("queues", "Queues (blank: all)", "Colas (vacío: todas)"),
        ("outage", "outage", "caída"),
        ("force_majeure", "force majeure", "fuerza mayor"),
        (
            "client_caused",
            "caused by the client",
            "causado por el cliente",
        ),
        (
            "line_amount",
            "Or agree one invoice line's amount",
            "O acordar el importe de una línea de la factura",
        ),
        ("line", "Invoice line", "Línea de la factura"),
        ("amount", "Amount", "Importe"),
        ("reason", "Reason", "Motivo"),
        ("see_month", "See the month", "Ver el mes"),
        ("calendar_view", "Calendar", "Calendario"),
        ("list_view", "List", "Lista"),
        ("previous", "Previous month", "Mes anterior"),
        ("following", "Next month", "Mes siguiente"),
        ("not_permitted", "Not permitted", "No permitido"),
        ("error", "Refused", "Rechazado"),
        ("back", "Back", "Volver"),
    ];
    let mut map: serde_json::Map<String, Value> = pairs
        .iter()
        .map(|(key, en, es)| {
            (
                key.to_string(),
                Value::String(lang.pick(en, es).to_string()),
            )
        })
        .collect();
    map.insert(
        "weekdays".into(),
        json!((1..=7).map(|d| weekday(d, lang)).collect::<Vec<_>>()),
    );
    Value::Object(map)
}

fn weekday(d: i8, lang: Lang) -> &'static str {
    match d {
        1 => lang.pick("Mon", "lun"),
        2 => lang.pick("Tue", "mar"),
        3 => lang.pick("Wed", "mié"),
        4 => lang.pick("Thu", "jue"),
        5 => lang.pick("Fri", "vie"),
        6 => lang.pick("Sat", "sáb"),
        _ => lang.pick("Sun", "dom"),
    }
}

/// The page of a refusal: the not-found page for a missing (or another organisation's)
/// object, else the status with the error's message and code.
fn fail(error: ApiError, lang: Lang, auth: &Auth) -> Response {
    let status = error.status();
    if status == StatusCode::NOT_FOUND && matches!(error, ApiError::NotFound) {
        return render(
            "notfound.html",
            lang,
            Some(auth),
            lang.pick("Not found", "No encontrado"),
            status,
            context! {},
        );
    }
    if status.is_server_error() {
        return Answer { error, lang }.into_response();
    }
    let title = if status == StatusCode::FORBIDDEN {
        lang.pick("Not permitted", "No permitido")
    } else {
        lang.pick("Refused", "Rechazado")
    };
    render(
        "error.html",
        lang,
        Some(auth),
        title,
        status,
        context! {
            g => ser(&words(lang)),
            message => error.message(lang),
            code => error.code(),
        },
    )
}

/// A form's fields, posted as a form or as JSON (API clients and the tests).
fn fields<T: DeserializeOwned>(headers: &HeaderMap, body: &[u8]) -> Result<T, ApiError> {
    let form = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
    if form {
        serde_urlencoded::from_bytes(body).map_err(|e| ApiError::BadRequest(format!("form: {e}")))
    } else {
        serde_json::from_slice(body).map_err(|e| ApiError::BadRequest(format!("form: {e}")))
    }
}

fn recorder(db: &Arc<pacta_db::Db>, viewer: &pacta_db::Viewer) -> Recorder {
    Recorder {
        db: Arc::clone(db),
        actor: viewer.user().to_string(),
    }
}

/// A local time in the contract's zone: `2026-10-14 09:00 +08`.
fn local(contract: &Contract, t: Timestamp) -> String {
    t.to_zoned(contract.time_zone.clone())
        .strftime("%Y-%m-%d %H:%M %Z")
        .to_string()
}

fn action_word(name: &str, lang: Lang) -> &'static str {
    match name {
        "comment" => lang.pick("comment", "comentario"),
        "propose" => lang.pick("offer", "oferta"),
        "accept" => lang.pick("accepted", "aceptada"),
        "escalate" => lang.pick("escalation", "escalamiento"),
        "withdraw" => lang.pick("withdrawn", "retirada"),
        "record_outcome" => lang.pick("outcome", "resolución"),
        _ => "?",
    }
}

/// The note of an applied adjustment in words: the new version, the credit before and after,
/// and the note owed.
fn note_text(note: &AdjustmentNote, lang: Lang) -> String {
    let minor = pacta_contract::money::minor_units(&note.currency).unwrap_or(2);
    let money = |d| {
        format!(
            "{} {}",
            pacta_core::fmt::amount(d, minor, lang),
            note.currency
        )
    };
    let owed = money(note.net_to_client.difference.abs());
    let kind = match note.kind {
        NoteKind::CreditNote => format!(
            "{}: {owed}",
            lang.pick("credit note to the client", "nota de crédito al cliente")
        ),
        NoteKind::DebitNote => format!(
            "{}: {owed}",
            lang.pick("debit note to the client", "nota de débito al cliente")
        ),
        NoteKind::NoChange => lang
            .pick(
                "no note: nothing owed changed",
                "sin nota: nada de lo adeudado cambió",
            )
            .to_string(),
    };
    match lang {
        Lang::En => format!(
            "The month was settled again as version {} (supersedes {}): credit {} → {}; {kind}.",
            note.version,
            note.supersedes,
            money(note.credit.before),
            money(note.credit.after)
        ),
        Lang::Es => format!(
            "El mes se liquidó de nuevo como versión {} (sustituye a la {}): crédito {} → {}; {kind}.",
            note.version,
            note.supersedes,
            money(note.credit.before),
            money(note.credit.after)
        ),
    }
}

/// One dispute as the page shows it.
fn dispute_view(
    db: &pacta_db::Db,
    contract: &Contract,
    ladder: &Ladder,
    v: &DisputeView,
    side: Option<Side>,
    invoice_lines: &[String],
    lang: Lang,
) -> Result<Value, ApiError> {
    let d = &v.dispute;
    let r = &v.record;
    let number =
        r.id.rsplit('/')
            .next()
            .unwrap_or("")
            .trim_start_matches('D');
    let month = d.opening.month.to_string();
    let steps: Vec<Value> = ladder
        .steps
        .iter()
        .enumerate()
        .map(|(i, s)| {
            json!({
                "n": i + 1,
                "kind": kind_label(s.kind, lang),
                "days": s.days,
                "current": i == d.step && d.status == Status::Open,
                "done": i < d.step,
            })
        })
        .collect();
    let mut events = Vec::with_capacity(d.events.len());
    for (e, rec) in d.events.iter().zip(&r.events) {
        let (detail, hashes): (String, &[String]) = match &e.action {
            Action::Comment { text, evidence } => (text.clone(), evidence),
            Action::Propose { text, adjustment } => (
                match adjustment {
                    Some(a) => format!("{text} — {}", a.describe(&contract.time_zone, lang)),
                    None => text.clone(),
                },
                &[],
            ),
            Action::RecordOutcome { text, upheld_for } => (
                match upheld_for {
                    Some(s) => format!(
                        "{text} — {} {}",
                        lang.pick("upheld for", "a favor de"),
                        s.label(lang)
                    ),
                    None => format!(
                        "{text} — {}",
                        lang.pick("split decision", "decisión dividida")
                    ),
                },
                &[],
            ),
            Action::Accept | Action::Escalate | Action::Withdraw => (String::new(), &[]),
        };
        let mut evidence = Vec::new();
        for hash in hashes {
            evidence.push(match db.evidence(hash)? {
                Some(file) => file.name,
                None => hash.chars().take(12).collect(),
            });
        }
        events.push(json!({
            "n": rec.n,
            "at": local(contract, e.at),
            "by": e.by.label(lang),
            "actor": rec.actor,
            "action": action_word(e.action.name(), lang),
            "detail": detail,
            "evidence": evidence,
        }));
    }
    let may: Vec<&str> = match side {
        Some(Side::Client) => v.client_may.clone(),
        Some(Side::Provider) => v.provider_may.clone(),
        None => Vec::new(),
    };
    Ok(json!({
        "id": r.id,
        "anchor": format!("d-{month}-{number}"),
        "subject": d.opening.subject,
        "month": month,
        "month_href": href(&["contracts", &r.contract_id, "months", &month]),
        "opened_by": d.opening.opened_by.label(lang),
        "opened_at": local(contract, d.opening.at),
        "claim": d.opening.claim,
        "status": d.status.label(lang),
        "step": d.step + 1,
        "steps": steps,
        "deadline": v.deadline.map(|t| local(contract, t)),
        "agreed": d.accepted_adjustment().map(|a| a.describe(&contract.time_zone, lang)),
        "events": events,
        "may": may,
        "action_href": href(&["contracts", &r.contract_id, "months", &month, "disputes", number, "actions"]),
        "invoice_lines": invoice_lines,
    }))
}

/// The disputes page, with the notice of an action just taken.
async fn disputes(
    state: AppState,
    lang: Lang,
    auth: Auth,
    id: String,
    notice: Option<Value>,
) -> Response {
    let db = state.db();
    let now = state.now();
    let viewer = auth.viewer.clone();
    let result = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let contract = model(&registered)?;
        let recorder = recorder(&db, &viewer);
        let views = pacta_ops::dispute::list(&recorder, &contract, now)?;
        let side = acting_side(&viewer, &registered, "dispute.act").ok();
        let ladder = Ladder::from_contract(&contract).map_err(pacta_ops::OpError::from)?;
        // The invoice lines an offer may agree an amount for, per month.
        let mut lines: BTreeMap<Month, Vec<String>> = BTreeMap::new();
        if side.is_some() {
            for v in &views {
                let month = v.record.month;
                if lines.contains_key(&month) {
                    continue;
                }
                let known = match db.latest_settlement(&registered.id, month)? {
                    Some(saved) => pacta_ops::dispute::subjects(&saved.settlement_json)?
                        .into_iter()
                        .filter_map(|s| s.strip_prefix("invoice/").map(str::to_string))
                        .collect(),
                    None => Vec::new(),
                };
                lines.insert(month, known);
            }
        }
        let mut rows = Vec::with_capacity(views.len());
        let mut details = Vec::with_capacity(views.len());
        for v in &views {
            rows.push(json!({
                "id": v.record.id,
                "subject": v.record.subject,
                "opened_by": v.dispute.opening.opened_by.label(lang),
                "status": v.dispute.status.label(lang),
                "step": v.dispute.step + 1,
                "steps": v.steps,
                "deadline": v.deadline.map_or_else(|| "—".to_string(), |t| local(&contract, t)),
            }));
            let invoice_lines = lines.get(&v.record.month).cloned().unwrap_or_default();
            details.push(dispute_view(
                &db,
                &contract,
                &ladder,
                v,
                side,
                &invoice_lines,
                lang,
            )?);
        }
        // A party's manager may open a dispute on a saved month; others see no form.
        let months: Vec<String> = if side.is_some() {
            pacta_ops::record::months(&db, &registered.id)?
                .iter()
                .rev()
                .map(|m| m.latest.month.to_string())
                .collect()
        } else {
            Vec::new()
        };
        let zone = contract.time_zone.iana_name().unwrap_or("UTC").to_string();
        Ok((registered.id, rows, details, months, zone))
    })
    .await;
    match result {
        Ok((id, rows, details, months, zone)) => {
            let title = format!("{} · {id}", lang.pick("Disputes", "Disputas"));
            render(
                "disputes.html",
                lang,
                Some(&auth),
                &title,
                StatusCode::OK,
                context! {
                    g => ser(&words(lang)),
                    contract => id.clone(),
                    disputes => ser(&rows),
                    details => ser(&details),
                    months => months,
                    zone => zone,
                    notice => ser(&notice),
                    open_action => href(&["contracts", &id, "disputes"]),
                },
            )
        }
        Err(error) => fail(error, lang, &auth),
    }
}

/// `GET /contracts/{id}/disputes`: every dispute with its steps, deadline, timeline and
/// evidence names, and the forms of what the reader's side may do now.
pub async fn disputes_page(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let lang = auth.lang;
    disputes(state, lang, auth, id, None).await
}

/// What the dispute form sends.
#[derive(Deserialize)]
struct Opening {
    month: String,
    subject: String,
    claim: String,
}

/// `POST /contracts/{id}/disputes`: the dispute form (`pacta dispute open` as the viewer's
/// side; auditors and admins 403), then back to the disputes page (303).
pub async fn open_dispute_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    body: axum::body::Bytes,
) -> Response {
    let lang = auth.lang;
    let opening: Opening = match fields(&headers, &body) {
        Ok(o) => o,
        Err(error) => return fail(error, lang, &auth),
    };
    let db = state.db();
    let now = state.now();
    let viewer = auth.viewer.clone();
    let result = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let side = acting_side(&viewer, &registered, "dispute.open")?;
        let month = Month::parse(&opening.month)
            .map_err(|e| ApiError::BadRequest(format!("month: {e}")))?;
        let contract = model(&registered)?;
        pacta_ops::dispute::open(
            &recorder(&db, &viewer),
            &contract,
            month,
            &opening.subject,
            side,
            &opening.claim,
            now,
        )?;
        Ok(href(&["contracts", &registered.id, "disputes"]))
    })
    .await;
    match result {
        Ok(to) => Redirect::to(&to).into_response(),
        Err(error) => fail(error, lang, &auth),
    }
}

/// What an action form sends; the fields an action does not use are left empty.
#[derive(Deserialize)]
struct ActionForm {
    action: String,
    #[serde(default)]
    text: String,
    #[serde(default)]
    exclude_start: String,
    #[serde(default)]
    exclude_end: String,
    #[serde(default)]
    relief: String,
    #[serde(default)]
    queues: String,
    #[serde(default)]
    line: String,
    #[serde(default)]
    amount: String,
    #[serde(default)]
    reason: String,
}

/// A local date-time of the form (`2026-10-14T09:00`) in the contract's zone, or an RFC 3339
/// instant.
fn instant(contract: &Contract, field: &str, value: &str) -> Result<Timestamp, ApiError> {
    let value = value.trim();
    if let Ok(t) = value.parse::<Timestamp>() {
        return Ok(t);
    }
    let bad = |e: String| ApiError::BadRequest(format!("{field} `{value}`: {e}"));
    let local: DateTime = value.parse().map_err(|e: jiff::Error| bad(e.to_string()))?;
    local
        .to_zoned(contract.time_zone.clone())
        .map(|z| z.timestamp())
        .map_err(|e| bad(e.to_string()))
}

/// The action a form asks for, as `pacta dispute ACTION` would build it.
fn action_of(contract: &Contract, form: ActionForm) -> Result<Action, ApiError> {
    let bad = |detail: &str| ApiError::BadRequest(detail.to_string());
    match form.action.as_str() {
        "comment" => Ok(Action::Comment {
            text: form.text,
            evidence: Vec::new(),
        }),
        "accept" => Ok(Action::Accept),
        "escalate" => Ok(Action::Escalate),
        "withdraw" => Ok(Action::Withdraw),
        "propose" => {
            let adjustment =
                if !form.exclude_start.trim().is_empty() || !form.exclude_end.trim().is_empty() {
                    let start = instant(contract, "exclude_start", &form.exclude_start)?;
                    let end = instant(contract, "exclude_end", &form.exclude_end)?;
                    if end <= start {
                        return Err(bad("exclude_end: the end is not after the start"));
                    }
                    let kind = match form.relief.as_str() {
                        "" | "outage" => ReliefKind::Outage,
                        "force_majeure" => ReliefKind::ForceMajeure,
                        "client_caused" => ReliefKind::ClientCaused,
                        _ => return Err(bad("relief: outage, force_majeure or client_caused")),
                    };
                    let queues = form
                        .queues
                        .split([',', ' '])
                        .map(str::trim)
                        .filter(|q| !q.is_empty())
                        .map(str::to_string)
                        .collect();
                    Some(Adjustment::ExclusionWindow {
                        start,
                        end,
                        queues,
                        kind,
                    })
                } else if !form.line.trim().is_empty() && !form.amount.trim().is_empty() {
                    let amount = form
                        .amount
                        .trim()
                        .parse()
                        .map_err(|_| bad("amount: a decimal number, e.g. 1250.00"))?;
                    if form.reason.trim().is_empty() {
                        return Err(bad("reason: say why the amount is replaced"));
                    }
                    Some(Adjustment::LineOverride {
                        line: form.line.trim().to_string(),
                        amount,
                        reason: form.reason,
                    })
                } else {
                    None
                };
            Ok(Action::Propose {
                text: form.text,
                adjustment,
            })
        }
        other => Err(ApiError::BadRequest(format!(
            "action `{other}`: comment, propose, accept, escalate or withdraw"
        ))),
    }
}

/// `POST /contracts/{id}/months/{month}/disputes/{n}/actions`: an action form (`pacta dispute
/// comment|propose|accept|escalate|withdraw` as the viewer's side; auditors and admins 403),
/// answered with the disputes page and a notice of what was recorded. Accepting an offer
/// with an adjustment settles the month again (`pacta_ops::dispute::accept`); the notice
/// gives the new version and its note, with a link to the month.
pub async fn dispute_action_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    SignedIn(auth): SignedIn,
    Path((id, month, n)): Path<(String, String, u64)>,
    body: axum::body::Bytes,
) -> Response {
    let lang = auth.lang;
    let form: ActionForm = match fields(&headers, &body) {
        Ok(f) => f,
        Err(error) => return fail(error, lang, &auth),
    };
    let db = state.db();
    let now = state.now();
    let store_dir = state.config().store_dir.clone().unwrap_or_default();
    let viewer = auth.viewer.clone();
    let page_id = id.clone();
    let result = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let side = acting_side(&viewer, &registered, "dispute.act")?;
        let month =
            Month::parse(&month).map_err(|e| ApiError::BadRequest(format!("month: {e}")))?;
        let contract = model(&registered)?;
        let action = action_of(&contract, form)?;
        let dispute = pacta_db::dispute_id(&registered.id, month, n);
        let recorder = recorder(&db, &viewer);
        let name = action.name();
        let applied = if matches!(action, Action::Accept) {
            pacta_ops::dispute::accept(&store_dir, &recorder, &contract, &dispute, side, now)?
                .applied
        } else {
            pacta_ops::dispute::act(&recorder, &contract, &dispute, side, action, &[], now)?;
            None
        };
        let recorded = format!(
            "{} {dispute}: {}.",
            lang.pick("Recorded on", "Registrado en"),
            action_word(name, lang)
        );
        Ok(match applied {
            Some(a) => json!({
                "text": recorded,
                "note": note_text(&a.note, lang),
                "version": a.note.version,
                "href": href(&["contracts", &registered.id, "months", &month.to_string()]),
            }),
            None => json!({"text": recorded, "note": null, "version": null, "href": null}),
        })
    })
    .await;
    match result {
        Ok(notice) => disputes(state, lang, auth, page_id, Some(notice)).await,
        Err(error) => fail(error, lang, &auth),
    }
}

/// The obligations page (list and calendar), with a new feed key's link when one was just
/// created. `month` is the calendar's month (default: this month); the list covers 31 days
/// ago to 92 days ahead, widened to that month.
async fn obligations(
    state: AppState,
    lang: Lang,
    auth: Auth,
    id: String,
    month: Option<String>,
    create_feed: bool,
) -> Response {
    let db = state.db();
    let store_dir: Option<PathBuf> = state.config().store_dir.clone();
    let now = state.now();
    let viewer = auth.viewer.clone();
    let result = blocking(move || {
        let registered = scoped(&db, &viewer, &id)?;
        let contract = model(&registered)?;
        let today = now.to_zoned(contract.time_zone.clone()).date();
        let shown = match month.as_deref().filter(|m| !m.is_empty()) {
            Some(m) => Month::parse(m).map_err(|e| ApiError::BadRequest(format!("month: {e}")))?,
            None => {
                Month::of_date(today).map_err(|e| ApiError::BadRequest(format!("month: {e}")))?
            }
        };
        let first = shown.first_day();
        let last = shown.last_day();
        let from = today
            .saturating_sub(jiff::Span::new().days(FEED_DAYS_BEFORE))
            .min(first);
        let to = today
            .saturating_add(jiff::Span::new().days(FEED_DAYS_AFTER))
            .max(last);
        let (contract, list) =
            obligation_list(&db, store_dir, &viewer, &registered, from, to, now)?;
        let tz = &contract.time_zone;
        let mut by_day: BTreeMap<Date, Vec<Value>> = BTreeMap::new();
        let rows: Vec<Value> = list
            .rows
            .iter()
            .map(|row| {
                let due = row.obligation.due.last_day(tz);
                let status = serde_json::to_value(row.status)
                    .ok()
                    .map_or_else(String::new, |s| text(&s));
                let item = json!({
                    "due": due.to_string(),
                    "title": row.obligation.title(lang),
                    "status": status,
                    "status_label": row.status.label(lang),
                });
                if due >= first && due <= last {
                    by_day.entry(due).or_default().push(item.clone());
                }
                item
            })
            .collect();
        let weeks = calendar_weeks(first, last, today, &by_day);
        let feed = if create_feed {
            let key = db.create_feed_key(viewer.user(), viewer.user(), now)?;
            Some(format!(
                "/feeds/{}{}",
                key.secret,
                href(&["contracts", &registered.id])
            ))
        } else {
            None
        };
        Ok((registered.id, rows, from, to, feed, shown, weeks))
    })
    .await;
    match result {
        Ok((id, rows, from, to, feed, shown, weeks)) => {
            let title = format!("{} · {id}", lang.pick("Obligations", "Obligaciones"));
            let base = href(&["contracts", &id, "obligations"]);
            let month_link = |m: Option<Month>| m.map(|m| format!("{base}?month={m}"));
            render(
                "obligations.html",
                lang,
                Some(&auth),
                &title,
                StatusCode::OK,
                context! {
                    g => ser(&words(lang)),
                    contract => id.clone(),
                    obligations => ser(&rows),
                    from => from.to_string(),
                    to => to.to_string(),
                    feed_action => href(&["contracts", &id, "calendar-link"]),
                    feed_href => feed,
                    calendar_month => pacta_core::fmt::month(shown, lang),
                    weeks => ser(&weeks),
                    previous_href => month_link(shown.prev()),
                    next_href => month_link(shown.next()),
                },
            )
        }
        Err(error) => fail(error, lang, &auth),
    }
}

/// The month's grid, Monday first: each week a row of seven cells (`null` outside the
/// month), each day with the obligations due on it.
fn calendar_weeks(
    first: Date,
    last: Date,
    today: Date,
    by_day: &BTreeMap<Date, Vec<Value>>,
) -> Vec<Vec<Value>> {
    let mut weeks = Vec::new();
    let mut week: Vec<Value> = Vec::with_capacity(7);
    let lead = first.weekday().to_monday_one_offset() - 1;
    for _ in 0..lead {
        week.push(Value::Null);
    }
    let mut day = first;
    loop {
        week.push(json!({
            "day": day.day(),
            "date": day.to_string(),
            "today": day == today,
            "due": by_day.get(&day).cloned().unwrap_or_default(),
        }));
        if week.len() == 7 {
            weeks.push(std::mem::take(&mut week));
        }
        if day >= last {
            break;
        }
        match day.checked_add(1.day()) {
            Ok(next) => day = next,
            Err(_) => break,
        }
    }
    if !week.is_empty() {
        while week.len() < 7 {
            week.push(Value::Null);
        }
        weeks.push(week);
    }
    weeks
}

/// Which month the obligations calendar shows.
#[derive(Deserialize)]
pub struct CalendarQuery {
    month: Option<String>,
}

/// `GET /contracts/{id}/obligations?month=YYYY-MM`: the obligations from 31 days ago to 92
/// days ahead (listing records them, as the CLI and the API do), and the month's calendar.
pub async fn obligations_page(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
    Query(query): Query<CalendarQuery>,
) -> Response {
    let lang = auth.lang;
    obligations(state, lang, auth, id, query.month, false).await
}

/// `POST /contracts/{id}/calendar-link`: a new calendar feed key for the viewer (shown
/// once), on the obligations page.
pub async fn calendar_link(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Path(id): Path<String>,
) -> Response {
    let lang = auth.lang;
    obligations(state, lang, auth, id, None, true).await
}

/// The audit page's filter.
#[derive(Deserialize)]
pub struct AuditQuery {
    object: Option<String>,
    action: Option<String>,
    since: Option<String>,
}

/// `GET /audit?object&action&since`: the chain's verification (entries and head hash, or the
/// first broken link in words) and the entries that pass the filter, 50 a page (auditors and
/// admins; others get the 403 page).
pub async fn audit_page(
    State(state): State<AppState>,
    SignedIn(auth): SignedIn,
    Query(query): Query<AuditQuery>,
) -> Response {
    let lang = auth.lang;
    let nonempty = |s: Option<String>| s.map(|s| s.trim().to_string()).filter(|s| !s.is_empty());
    let object = nonempty(query.object);
    let action = nonempty(query.action);
    let since = match nonempty(query.since).map(|s| s.parse::<u64>()) {
        None => None,
        Some(Ok(n)) => Some(n),
        Some(Err(_)) => {
            let error = ApiError::BadRequest("since: an entry number".into());
            return fail(error, lang, &auth);
        }
    };
    let filter = LogFilter {
        object_prefix: object.clone(),
        action: action.clone(),
        since_seq: since,
        limit: Some(AUDIT_PAGE),
    };
    let db = state.db();
    let viewer = auth.viewer.clone();
    let result = blocking(move || {
        // The entries first: a role that may not read the log is refused here.
        let entries = db.log_as(&viewer, &filter)?;
        let chain = match db.verify_as(&viewer) {
            Ok(report) => json!({
                "ok": true,
                "entries": pacta_core::fmt::integer(report.entries, lang),
                "head": report.head_hash,
            }),
            Err(e @ DbError::ChainBroken { .. }) => json!({"ok": false, "text": e.message(lang)}),
            Err(e) => return Err(e.into()),
        };
        Ok((entries, chain))
    })
    .await;
    let (entries, chain) = match result {
        Ok(found) => found,
        Err(error) => return fail(error, lang, &auth),
    };
    let rows: Vec<Value> = entries
        .iter()
        .map(|e| {
            json!({
                "seq": e.seq,
                "at": e.at.strftime("%Y-%m-%d %H:%M:%S").to_string(),
                "actor": e.actor,
                "action": e.action,
                "object": e.object,
                "payload": e.payload,
            })
        })
        .collect();
    let query_of = |since: Option<u64>| {
        let mut pairs: Vec<(&str, String)> = Vec::new();
        if let Some(o) = &object {
            pairs.push(("object", o.clone()));
        }
        if let Some(a) = &action {
            pairs.push(("action", a.clone()));
        }
        if let Some(s) = since {
            pairs.push(("since", s.to_string()));
        }
        format!(
            "/audit?{}",
            serde_urlencoded::to_string(&pairs).unwrap_or_default()
        )
    };
    let next_href = (entries.len() == AUDIT_PAGE as usize)
        .then(|| entries.last().map(|e| query_of(Some(e.seq))))
        .flatten();
    let first_href = since.is_some().then(|| query_of(None));
    render(
        "audit.html",
        lang,
        Some(&auth),
        lang.pick("Audit", "Auditoría"),
        StatusCode::OK,
        context! {
            g => ser(&words(lang)),
            chain => ser(&chain),
            entries => ser(&rows),
            object => object.unwrap_or_default(),
            action => action.unwrap_or_default(),
            since => since.map(|s| s.to_string()).unwrap_or_default(),
            next_href => next_href,
            first_href => first_href,
        },
    )
}

/// The administration page, with the one-time password of a user just added.
async fn admin(state: AppState, lang: Lang, auth: Auth, added: Option<Value>) -> Response {
    let db = state.db();
    let viewer = auth.viewer.clone();
    let result = blocking(move || Ok((db.users_as(&viewer)?, db.keys_as(&viewer)?))).await;
    let (users, keys) = match result {
        Ok(found) => found,
        Err(error) => return fail(error, lang, &auth),
    };
    let when = |t: Timestamp| t.strftime("%Y-%m-%d %H:%M").to_string();
    let users: Vec<Value> = users
        .iter()
        .map(|u| {
            json!({
                "name": u.name,
                "org": u.org,
                "role": u.role.label(lang),
                "created": when(u.created_at),
            })
        })
        .collect();
    let keys: Vec<Value> = keys
        .iter()
        .map(|k| {
            json!({
                "id": k.id,
                "label": k.label,
                "owner": k.user,
                "purpose": match k.purpose.as_str() {
                    "feed" => lang.pick("calendar feed", "calendario"),
                    _ => lang.pick("API", "API"),
                },
                "created": when(k.created_at),
                "revoked": k.revoked_at.map(when),
            })
        })
        .collect();
    let roles: Vec<Value> = Role::ALL
        .iter()
        .map(|r| json!({"value": r.as_str(), "label": r.label(lang)}))
        .collect();
    render(
        "admin.html",
        lang,
        Some(&auth),
        lang.pick("Administration", "Administración"),
        StatusCode::OK,
        context! {
            g => ser(&words(lang)),
            users => ser(&users),
            keys => ser(&keys),
            roles => ser(&roles),
            added => ser(&added),
        },
    )
}

/// `GET /admin`: users (name, organisation, role in words) and keys (label, owner, created,
/// revoked; never a secret) with revoke buttons, and a form to add a user (admins only;
/// others get the 403 page).
pub async fn admin_page(State(state): State<AppState>, SignedIn(auth): SignedIn) -> Response {
    let lang = auth.lang;
    admin(state, lang, auth, None).await
}

/// What the add-user form sends.
#[derive(Deserialize)]
struct UserForm {
    name: String,
    org: String,
    role: String,
}

/// `POST /admin/users`: adds a user with a generated password (`pacta user add`), answered
/// with the administration page showing that password once (admins only).
pub async fn add_user_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    SignedIn(auth): SignedIn,
    body: axum::body::Bytes,
) -> Response {
    let lang = auth.lang;
    let form: UserForm = match fields(&headers, &body) {
        Ok(f) => f,
        Err(error) => return fail(error, lang, &auth),
    };
    let db = state.db();
    let now = state.now();
    let viewer = auth.viewer.clone();
    let result = blocking(move || {
        let role: Role = form.role.parse()?;
        let password = pacta_db::generate_password()?;
        let user = NewUser {
            name: form.name.trim().to_string(),
            org: form.org.trim().to_string(),
            role,
        };
        db.add_user_as(&viewer, &user, &password, now)?;
        Ok(json!({"name": user.name, "password": password}))
    })
    .await;
    match result {
        Ok(added) => admin(state, lang, auth, Some(added)).await,
        Err(error) => fail(error, lang, &auth),
    }
}

/// What a revoke button sends.
#[derive(Deserialize)]
struct RevokeForm {
    id: String,
}

/// `POST /admin/keys/revoke`: revokes the key `id` (`pacta token revoke`), then back to the
/// administration page (303; a key already revoked or unknown changes nothing). Admins only.
pub async fn revoke_key_form(
    State(state): State<AppState>,
    headers: HeaderMap,
    SignedIn(auth): SignedIn,
    body: axum::body::Bytes,
) -> Response {
    let lang = auth.lang;
    let form: RevokeForm = match fields(&headers, &body) {
        Ok(f) => f,
        Err(error) => return fail(error, lang, &auth),
    };
    let db = state.db();
    let now = state.now();
    let viewer = auth.viewer.clone();
    match blocking(move || Ok(db.revoke_api_key_as(&viewer, form.id.trim(), now)?)).await {
        Ok(_) => Redirect::to("/admin").into_response(),
        Err(error) => fail(error, lang, &auth),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_month_grid_starts_on_monday_and_marks_due_days() {
        // October 2026 starts on a Thursday and has 31 days: five weeks.
        let first: Date = "2026-10-01".parse().expect("date");
        let last: Date = "2026-10-31".parse().expect("date");
        let mut by_day = BTreeMap::new();
        by_day.insert(
            "2026-10-15".parse::<Date>().expect("date"),
            vec![json!({"title": "report"})],
        );
        let weeks = calendar_weeks(first, last, first, &by_day);
        assert_eq!(weeks.len(), 5);
        assert!(weeks.iter().all(|w| w.len() == 7));
        assert_eq!(weeks[0][..3], [Value::Null, Value::Null, Value::Null]);
        assert_eq!(weeks[0][3]["day"], 1);
        assert_eq!(weeks[0][3]["today"], true);
        assert_eq!(weeks[2][3]["day"], 15);
        assert_eq!(weeks[2][3]["due"][0]["title"], "report");
        assert_eq!(weeks[4][5]["day"], 31);
        assert_eq!(weeks[4][6], Value::Null);
    }
}
