//! Server-rendered pages: the login form and the portfolio. No script at all (the CSP
//! allows none inline); every value is escaped.

use axum::extract::State;
use axum::http::HeaderMap;
use axum::response::{Html, IntoResponse, Redirect, Response};
use pacta_core::html::escape;

use crate::auth::Auth;
use crate::error::{Answer, lang_of};
use crate::html::page;
use crate::state::{AppState, blocking};

/// `GET /login`.
pub async fn login_form(headers: HeaderMap) -> Html<String> {
    let lang = lang_of(&headers);
    let body = format!(
        "<h1>pacta</h1><form method=\"post\" action=\"/login\">\
         <label>{} <input name=\"user\" autocomplete=\"username\" required></label> \
         <label>{} <input name=\"password\" type=\"password\" autocomplete=\"current-password\" required></label> \
         <button type=\"submit\">{}</button></form>",
        lang.pick("User", "Usuario"),
        lang.pick("Password", "Contraseña"),
        lang.pick("Sign in", "Entrar"),
    );
    page(lang, lang.pick("Sign in", "Entrar"), &body)
}

/// `GET /`: the contracts the viewer may read; a redirect to the login form when signed
/// out.
pub async fn portfolio(
    State(state): State<AppState>,
    headers: HeaderMap,
    auth: Result<Auth, Answer>,
) -> Response {
    let lang = lang_of(&headers);
    let Ok(auth) = auth else {
        return Redirect::to("/login").into_response();
    };
    let db = state.db();
    let viewer = auth.viewer.clone();
    let contracts = match blocking(move || Ok(db.contracts(&viewer)?)).await {
        Ok(c) => c,
        Err(error) => return Answer { error, lang }.into_response(),
    };
    let mut rows = String::new();
    for c in &contracts {
        rows.push_str(&format!(
            "<tr><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
            escape(&c.id),
            escape(&c.contract_version),
            escape(&c.client_org),
            escape(&c.provider_org)
        ));
    }
    let body = format!(
        "<h1>{}</h1><p>{} · {} · {}</p>\
         <table><thead><tr><th>{}</th><th>{}</th><th>{}</th><th>{}</th></tr></thead>\
         <tbody>{rows}</tbody></table>\
         <form method=\"post\" action=\"/logout\"><button type=\"submit\">{}</button></form>",
        lang.pick("Portfolio", "Cartera"),
        escape(auth.viewer.user()),
        escape(auth.viewer.org()),
        escape(auth.viewer.role().as_str()),
        lang.pick("Contract", "Contrato"),
        lang.pick("Version", "Versión"),
        lang.pick("Client", "Cliente"),
        lang.pick("Provider", "Proveedor"),
        lang.pick("Sign out", "Salir"),
    );
    page(lang, lang.pick("Portfolio", "Cartera"), &body).into_response()
}
