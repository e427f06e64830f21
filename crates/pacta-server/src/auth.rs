//! Who is calling: a session cookie (browsers) or `Authorization: Bearer` (API keys), and
//! logging in and out.

use std::net::{IpAddr, Ipv4Addr, SocketAddr};

use axum::body::Bytes;
use axum::extract::{ConnectInfo, FromRequestParts, State};
use axum::http::request::Parts;
use axum::http::{Extensions, HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Redirect, Response};
use pacta_core::Lang;
use pacta_db::Viewer;
use serde::Deserialize;

use crate::error::ApiError;
use crate::error::{Answer, lang_of};
use crate::html::page;
use crate::state::{AppState, blocking};
use pacta_core::html::escape;

/// The session cookie's name. The `__Host-` prefix makes browsers refuse it unless it is
/// `Secure`, has `Path=/` and no `Domain`, so a sibling subdomain cannot plant one.
pub const SESSION_COOKIE: &str = "__Host-pacta_session";

/// The authenticated caller and the reader's language.
pub struct Auth {
    /// Who, with the scope every read takes.
    pub viewer: Viewer,
    /// `Accept-Language`.
    pub lang: Lang,
}

/// The value of `name` among the request's cookies.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// The bearer token of `Authorization`, if the header is present and of that scheme.
pub fn bearer(headers: &HeaderMap) -> Option<&str> {
    let value = headers.get(header::AUTHORIZATION)?.to_str().ok()?;
    let (scheme, token) = value.split_once(' ')?;
    scheme
        .eq_ignore_ascii_case("bearer")
        .then(|| token.trim())
        .filter(|t| !t.is_empty())
}

impl FromRequestParts<AppState> for Auth {
    type Rejection = Answer;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        let lang = lang_of(&parts.headers);
        let reject = |error| Answer { error, lang };
        let now = state.now();
        let db = state.db();
        let viewer = if let Some(key) = bearer(&parts.headers) {
            let key = key.to_string();
            blocking(move || Ok(db.api_key_viewer(&key, now)?)).await
        } else if let Some(token) = cookie(&parts.headers, SESSION_COOKIE) {
            let token = token.to_string();
            blocking(move || Ok(db.session_viewer(&token, now)?)).await
        } else {
            Ok(None)
        }
        .map_err(reject)?;
        match viewer {
            Some(viewer) => Ok(Auth { viewer, lang }),
            None => Err(reject(ApiError::Unauthenticated)),
        }
    }
}

/// The signed-in reader of a dashboard page. Signed out, or with a session that expired or
/// was revoked, the page answers with a redirect to the login form instead (JSON routes take
/// [`Auth`], which answers 401).
pub struct SignedIn(pub Auth);

impl FromRequestParts<AppState> for SignedIn {
    type Rejection = Redirect;

    async fn from_request_parts(
        parts: &mut Parts,
        state: &AppState,
    ) -> Result<Self, Self::Rejection> {
        Auth::from_request_parts(parts, state)
            .await
            .map(SignedIn)
            .map_err(|_| Redirect::to("/login"))
    }
}

#[derive(Deserialize)]
struct Credentials {
    user: String,
    password: String,
}

/// The client's address, as the rate limit keys it (unspecified when the server runs
/// without connection info, as in-process tests do).
fn client_ip(connect: Option<&ConnectInfo<SocketAddr>>) -> IpAddr {
    connect.map_or(IpAddr::V4(Ipv4Addr::UNSPECIFIED), |c| c.0.ip())
}

/// `POST /login`, form (`user`, `password`) or JSON: sets the session cookie. A form is
/// answered with a redirect to the portfolio, JSON with the user.
pub async fn login(
    State(state): State<AppState>,
    extensions: Extensions,
    headers: HeaderMap,
    body: Bytes,
) -> Response {
    let lang = lang_of(&headers);
    let connect = extensions.get::<ConnectInfo<SocketAddr>>();
    match login_inner(&state, connect, &headers, &body).await {
        Ok(response) => response,
        Err(error) if is_form(&headers) => form_refusal(error, lang),
        Err(error) => Answer { error, lang }.into_response(),
    }
}

fn is_form(headers: &HeaderMap) -> bool {
    headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"))
}

/// A refused form login, for a person: the same status and code, as a page that leads
/// back to the form.
fn form_refusal(error: ApiError, lang: Lang) -> Response {
    use pacta_core::Localized;
    let status = error.status();
    let body = format!(
        "<h1>pacta</h1><p role=\"alert\">{} <code>{}</code></p><p><a href=\"/login\">{}</a></p>",
        escape(&error.message(lang)),
        escape(error.code()),
        lang.pick("Try again", "Volver a intentarlo"),
    );
    (status, page(lang, lang.pick("Sign in", "Entrar"), &body)).into_response()
}

async fn login_inner(
    state: &AppState,
    connect: Option<&ConnectInfo<SocketAddr>>,
    headers: &HeaderMap,
    body: &[u8],
) -> Result<Response, ApiError> {
    let now = state.now();
    // Counted before the password is looked at: a guesser is slowed whether right or wrong.
    if !state.inner.login_limiter.allow(client_ip(connect), now) {
        return Err(ApiError::RateLimited);
    }
    let is_json = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("application/json"));
    let credentials: Credentials = if is_json {
        serde_json::from_slice(body)
            .map_err(|_| ApiError::BadRequest("expected {\"user\", \"password\"}".into()))?
    } else {
        serde_urlencoded::from_bytes(body)
            .map_err(|_| ApiError::BadRequest("expected the fields user and password".into()))?
    };
    let db = state.db();
    let ttl = state.config().session_ttl;
    let (viewer, session) = blocking(move || {
        let Some(viewer) = db.check_password(&credentials.user, &credentials.password)? else {
            return Err(ApiError::LoginFailed);
        };
        let session = db.create_session(&viewer, ttl, now)?;
        Ok((viewer, session))
    })
    .await?;
    tracing::info!(user = viewer.user(), "signed in");
    let cookie = format!(
        "{SESSION_COOKIE}={}; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age={}",
        session.secret,
        ttl.as_secs()
    );
    let cookie = HeaderValue::from_str(&cookie)
        .map_err(|e| ApiError::Internal(format!("session cookie: {e}")))?;
    let mut response = if is_json {
        axum::Json(serde_json::json!({
            "user": viewer.user(),
            "org": viewer.org(),
            "role": viewer.role().as_str(),
            "expires_at": session.expires_at.map(|t| t.to_string()),
        }))
        .into_response()
    } else {
        Redirect::to("/").into_response()
    };
    response.headers_mut().insert(header::SET_COOKIE, cookie);
    Ok(response)
}

/// `POST /logout`: revokes the session of the cookie and clears the cookie: 204, or for a
/// form (the dashboard's sign-out button) a redirect to the login form. 401 without a live
/// session.
pub async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    let lang = lang_of(&headers);
    let Some(token) = cookie(&headers, SESSION_COOKIE).map(str::to_string) else {
        return Answer {
            error: ApiError::Unauthenticated,
            lang,
        }
        .into_response();
    };
    let db = state.db();
    let now = state.now();
    match blocking(move || Ok(db.revoke_session(&token, now)?)).await {
        Ok(true) => {
            let clear =
                format!("{SESSION_COOKIE}=; Path=/; HttpOnly; Secure; SameSite=Strict; Max-Age=0");
            // A browser's sign-out button goes back to the login form; an API client
            // gets 204.
            let mut response = if is_form(&headers) {
                axum::response::Redirect::to("/login").into_response()
            } else {
                StatusCode::NO_CONTENT.into_response()
            };
            if let Ok(v) = HeaderValue::from_str(&clear) {
                response.headers_mut().insert(header::SET_COOKIE, v);
            }
            response
        }
        Ok(false) => Answer {
            error: ApiError::Unauthenticated,
            lang,
        }
        .into_response(),
        Err(error) => Answer { error, lang }.into_response(),
    }
}
