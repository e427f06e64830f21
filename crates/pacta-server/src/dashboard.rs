//! The dashboard: server-rendered pages (minijinja templates with HTML auto-escaping, no
//! script and no inline style: the CSS is `/static/pacta.css`), in English or Spanish by
//! `Accept-Language`. Every page reads through the same scoped queries as the API, so a
//! contract of another organisation answers the same 404 page as a missing one; every
//! figure is read from the saved settlement or a `pacta-ops` call, never computed here.

use std::sync::OnceLock;

use axum::extract::State;
use axum::http::{StatusCode, header};
use axum::response::{Html, IntoResponse, Response};
use minijinja::{AutoEscape, Environment, context};
use pacta_core::Lang;
use serde::Serialize;
use serde_json::Value;

use crate::auth::{Auth, SignedIn};
use crate::error::{Answer, ApiError};
use crate::state::{AppState, blocking};

/// The stylesheet every page links.
pub const CSS: &str = include_str!("../templates/pacta.css");

fn environment() -> &'static Environment<'static> {
    static ENV: OnceLock<Environment<'static>> = OnceLock::new();
    ENV.get_or_init(|| {
        let mut env = Environment::new();
        env.set_auto_escape_callback(|_| AutoEscape::Html);
        env.set_undefined_behavior(minijinja::UndefinedBehavior::Strict);
        for (name, text) in [
            ("layout.html", include_str!("../templates/layout.html")),
            (
                "portfolio.html",
                include_str!("../templates/portfolio.html"),
            ),
            ("month.html", include_str!("../templates/month.html")),
            (
                "intervals.html",
                include_str!("../templates/intervals.html"),
            ),
            ("disputes.html", include_str!("../templates/disputes.html")),
            (
                "obligations.html",
                include_str!("../templates/obligations.html"),
            ),
            ("notfound.html", include_str!("../templates/notfound.html")),
            ("error.html", include_str!("../templates/error.html")),
            ("audit.html", include_str!("../templates/audit.html")),
            ("admin.html", include_str!("../templates/admin.html")),
            ("what_if.html", include_str!("../templates/what_if.html")),
        ]
        .into_iter()
        // The month page lays out the credit statement and the invoice with the report's
        // own partials (`crate::month_pages`).
        .chain(pacta_report::SHARED_TEMPLATES)
        {
            // The templates are part of the binary: a syntax error fails the tests.
            if let Err(e) = env.add_template(name, text) {
                tracing::error!(error = %e, template = name, "template does not parse");
            }
        }
        env
    })
}

/// The words of the pages.
fn words(lang: Lang) -> Value {
    let w = |en: &str, es: &str| Value::String(lang.pick(en, es).to_string());
    serde_json::json!({
        "sign_out": w("Sign out", "Salir"),
        "portfolio": w("Portfolio", "Cartera"),
        "contract": w("Contract", "Contrato"),
        "version": w("Version", "Versión"),
        "client": w("Client", "Cliente"),
        "provider": w("Provider", "Proveedor"),
        "month": w("Latest month", "Último mes"),
        "slas": w("SLAs", "SLA"),
        "credit": w("Credit", "Crédito"),
        "met": w("met", "cumplidos"),
        "missed": w("missed", "incumplidos"),
        "excused": w("excused", "eximidos"),
        "disputes": w("Disputes", "Disputas"),
        "obligations": w("Obligations", "Obligaciones"),
        "no_contracts": w("No contracts.", "No hay contratos."),
        "version_saved": w("Saved version", "Versión guardada"),
        "name": w("Name", "Nombre"),
        "measured": w("Measured", "Medido"),
        "target": w("Target", "Objetivo"),
        "status": w("Status", "Estado"),
        "exclusions": w("exclusion(s)", "exclusión(es)"),
        "service_charges": w("Service charges", "Cargos de servicio"),
        "invoice_total": w("Invoice total", "Total de la factura"),
        "dispute": w("Dispute", "Disputa"),
        "subject": w("Subject", "Asunto"),
        "opened_by": w("Opened by", "Abierta por"),
        "step": w("Step", "Paso"),
        "deadline": w("Deadline", "Plazo"),
        "none": w("None.", "Ninguna."),
        "due": w("Due", "Vence"),
        "obligation": w("Obligation", "Obligación"),
        "calendar_link": w("Get a calendar link", "Obtener un enlace de calendario"),
        "calendar_ready": w(
            "Your calendar link (shown once; it reads calendars only):",
            "Su enlace de calendario (se muestra una vez; solo lee calendarios):"
        ),
        "calendar": w("calendar (.ics)", "calendario (.ics)"),
        "not_found": w("Not found", "No encontrado"),
        "open_dispute": w("Open a dispute", "Abrir una disputa"),
        "claim": w("Claim", "Reclamo"),
    })
}

/// A serialisable value as a template value.
pub(crate) fn ser<T: Serialize + ?Sized>(value: &T) -> minijinja::Value {
    minijinja::Value::from(minijinja::value::Serde(value))
}

#[derive(Serialize)]
struct ViewerView<'a> {
    user: &'a str,
    org: &'a str,
    role: &'a str,
}

/// Renders `template` with the shared context (language, words, the signed-in viewer).
pub(crate) fn render(
    template: &str,
    lang: Lang,
    auth: Option<&Auth>,
    title: &str,
    status: StatusCode,
    ctx: minijinja::Value,
) -> Response {
    let viewer = auth.map(|a| ViewerView {
        user: a.viewer.user(),
        org: a.viewer.org(),
        role: a.viewer.role().as_str(),
    });
    let base = context! {
        lang => lang.pick("en", "es"),
        t => ser(&words(lang)),
        viewer => ser(&viewer),
        nav => ser(&nav(lang, auth)),
        title => title,
    };
    let result = environment()
        .get_template(template)
        .and_then(|t| t.render(context! { ..ctx, ..base }));
    match result {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => Answer {
            error: ApiError::Internal(format!("template {template}: {e}")),
            lang,
        }
        .into_response(),
    }
}

/// An error as a page: the same 404 page for a missing contract and another
/// organisation's; other errors in the API's shape.
pub(crate) fn failure(error: ApiError, lang: Lang, auth: &Auth) -> Response {
    if matches!(error, ApiError::NotFound) {
        let title = lang.pick("Not found", "No encontrado");
        return render(
            "notfound.html",
            lang,
            Some(auth),
            title,
            StatusCode::NOT_FOUND,
            context! {},
        );
    }
    Answer { error, lang }.into_response()
}

/// `GET /static/pacta.css`.
pub async fn stylesheet() -> Response {
    (
        [
            (header::CONTENT_TYPE, "text/css; charset=utf-8"),
            (header::CACHE_CONTROL, "public, max-age=3600"),
        ],
        CSS,
    )
        .into_response()
}

/// A settlement's figure as saved: decimals are strings, some numbers are numbers.
pub(crate) fn text(v: &Value) -> String {
    match v {
        Value::String(s) => s.clone(),
        Value::Null => "—".into(),
        other => other.to_string(),
    }
}

/// A saved amount in the currency's minor units and the reader's number format
/// (`350,000.00` / `350.000,00`); as saved when it is not a number.
pub(crate) fn money(v: &Value, currency: &Value, lang: Lang) -> String {
    let plain = text(v);
    let minor = currency
        .as_str()
        .and_then(pacta_contract::money::minor_units)
        .unwrap_or(2);
    match plain.parse::<rust_decimal::Decimal>() {
        Ok(d) => pacta_core::fmt::amount(d, minor, lang),
        Err(_) => plain,
    }
}

pub(crate) fn status_label(status: &str, lang: Lang) -> &'static str {
    serde_json::from_value::<pacta_terms::Status>(Value::String(status.to_string()))
        .map_or("?", |s| s.label(lang))
}

/// The measured value in the reader's number format (`91,20 %` in Spanish).
pub(crate) fn measured(sla: &Value, lang: Lang) -> String {
    let Some(v) = sla["value"]["value"].as_f64() else {
        return "—".into();
    };
    let n = |places: usize| pacta_core::fmt::localize(&format!("{v:.places$}"), lang);
    match sla["unit"].as_str() {
        Some("percent") => format!("{} %", n(2)),
        Some("seconds") => format!("{} s", n(1)),
        Some("hours") => format!("{} h", n(1)),
        _ => n(2),
    }
}

pub(crate) fn target(sla: &Value, lang: Lang) -> String {
    let sign = if sla["direction"].as_str() == Some("higher_is_better") {
        "≥"
    } else {
        "≤"
    };
    match (&sla["expected"], &sla["periods"]) {
        (Value::Null, _) => "—".into(),
        (e, Value::Null) => format!("{sign} {}", pacta_core::fmt::localize(&text(e), lang)),
        (e, _) => format!(
            "{sign} {} {} {} %",
            pacta_core::fmt::localize(&text(e), lang),
            lang.pick("in", "en"),
            match &sla["required_share"] {
                Value::Null => "100".into(),
                s => pacta_core::fmt::localize(&text(s), lang),
            }
        ),
    }
}

pub(crate) fn parse_settlement(json: &str) -> Result<Value, ApiError> {
    serde_json::from_str(json).map_err(|e| ApiError::Internal(format!("saved settlement: {e}")))
}

pub(crate) fn href(parts: &[&str]) -> String {
    let mut out = String::new();
    for p in parts {
        out.push('/');
        out.push_str(&percent_path(p));
    }
    out
}

/// A path segment with everything but unreserved characters percent-encoded.
fn percent_path(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        if b.is_ascii_alphanumeric() || matches!(b, b'-' | b'_' | b'.' | b'~') {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

/// `GET /`: every contract in scope with its latest saved month's SLA statuses and credit;
/// a redirect to the login form when signed out.
pub async fn portfolio(State(state): State<AppState>, SignedIn(auth): SignedIn) -> Response {
    let lang = auth.lang;
    let db = state.db();
    let viewer = auth.viewer.clone();
    let rows = blocking(move || {
        let mut rows = Vec::new();
        for c in db.contracts(&viewer)? {
            let months = pacta_ops::record::months(&db, &c.id)?;
            let latest = months.iter().max_by_key(|m| m.latest.month);
            let mut row = serde_json::json!({
                "id": c.id,
                "version": c.contract_version,
                "client_org": c.client_org,
                "provider_org": c.provider_org,
                "month": Value::Null,
                "disputes_href": href(&["contracts", &c.id, "disputes"]),
                "obligations_href": href(&["contracts", &c.id, "obligations"]),
            });
            if let Some(m) = latest {
                let s = parse_settlement(&m.latest.settlement_json)?;
                let count = |status: &str| {
                    s["slas"].as_array().map_or(0, |slas| {
                        slas.iter().filter(|o| o["status"] == status).count()
                    })
                };
                let month = m.latest.month.to_string();
                row["month"] = Value::String(month.clone());
                row["month_href"] = Value::String(href(&["contracts", &c.id, "months", &month]));
                row["met"] = count("met").into();
                row["missed"] = (count("missed") + count("below_minimum")).into();
                row["excused"] = count("excused").into();
                row["credit"] = Value::String(money(&s["credits"]["credit"], &s["currency"], lang));
                row["currency"] = Value::String(text(&s["currency"]));
            }
            rows.push(row);
        }
        Ok(rows)
    })
    .await;
    match rows {
        Ok(rows) => render(
            "portfolio.html",
            lang,
            Some(&auth),
            lang.pick("Portfolio", "Cartera"),
            StatusCode::OK,
            context! { contracts => ser(&rows) },
        ),
        Err(error) => failure(error, lang, &auth),
    }
}

/// The header's role in words and navigation: portfolio for everyone, audit for auditors and
/// admins, administration for admins.
pub(crate) fn nav(lang: Lang, auth: Option<&Auth>) -> Value {
    let Some(auth) = auth else {
        return Value::Null;
    };
    let role = auth.viewer.role();
    let mut links =
        vec![serde_json::json!({"href": "/", "text": lang.pick("Portfolio", "Cartera")})];
    if role.reads_all() {
        links.push(serde_json::json!({"href": "/audit", "text": lang.pick("Audit", "Auditoría")}));
    }
    if role == pacta_db::Role::Admin {
        links
            .push(serde_json::json!({"href": "/admin", "text": lang.pick("Administration", "Administración")}));
    }
    serde_json::json!({"role": role.label(lang), "links": links})
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn saved_figures_are_shown_in_the_readers_format() {
        let usd = Value::String("USD".into());
        assert_eq!(
            money(&serde_json::json!(350000.0), &usd, Lang::En),
            "350,000.00"
        );
        assert_eq!(
            money(&serde_json::json!("24500.5"), &usd, Lang::Es),
            "24.500,50"
        );
        assert_eq!(money(&Value::Null, &usd, Lang::En), "—");
        let sla = serde_json::json!({
            "direction": "higher_is_better",
            "expected": "80.0",
            "periods": [10, 9],
            "required_share": "90.0",
            "value": {"value": 97.514},
            "unit": "percent",
        });
        assert_eq!(target(&sla, Lang::Es), "≥ 80,0 en 90,0 %");
        assert_eq!(target(&sla, Lang::En), "≥ 80.0 in 90.0 %");
        assert_eq!(measured(&sla, Lang::Es), "97,51 %");
        assert_eq!(measured(&sla, Lang::En), "97.51 %");
        assert_eq!(status_label("below_minimum", Lang::Es), "BAJO EL MÍNIMO");
        assert_eq!(
            href(&["contracts", "A B/<x>", "disputes"]),
            "/contracts/A%20B%2F%3Cx%3E/disputes"
        );
    }
}
