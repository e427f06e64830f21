//! The login form (the dashboard's other pages are in `dashboard`). No script at all (the CSP
//! allows none inline); every value is escaped.

use axum::http::HeaderMap;
use axum::response::Html;

use crate::error::lang_of;
use crate::html::page;

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
