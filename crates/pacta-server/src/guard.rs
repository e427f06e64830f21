//! What every request passes through: a request id, a log line without secrets, security
//! headers, a body limit, the CSRF check.

use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use axum::Router;
use axum::extract::Request;
use axum::http::{HeaderName, HeaderValue, Method, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use tower_http::limit::RequestBodyLimitLayer;
use tower_http::request_id::{
    MakeRequestId, PropagateRequestIdLayer, RequestId, SetRequestIdLayer,
};
use tower_http::set_header::SetResponseHeaderLayer;
use tower_http::trace::{DefaultOnResponse, TraceLayer};
use tracing::Level;

use crate::auth::bearer;
use crate::error::ApiError;
use crate::error::{Answer, lang_of};

/// The Content-Security-Policy of every response: nothing inline, nothing from elsewhere.
pub const CSP: &str = "default-src 'self'; script-src 'self'; style-src 'self'; \
     img-src 'self' data:; object-src 'none'; base-uri 'none'; form-action 'self'; \
     frame-ancestors 'none'";

const REQUEST_ID: HeaderName = HeaderName::from_static("x-request-id");

/// Request ids: a per-process counter (unique within a run, enough to match log lines to a
/// response's `x-request-id`).
#[derive(Clone, Default)]
struct Counter(Arc<AtomicU64>);

impl MakeRequestId for Counter {
    fn make_request_id<B>(&mut self, _: &axum::http::Request<B>) -> Option<RequestId> {
        let n = self.0.fetch_add(1, Ordering::Relaxed) + 1;
        HeaderValue::from_str(&format!("req-{n:08}"))
            .ok()
            .map(RequestId::new)
    }
}

/// The routes with a body limit: larger bodies get 413, a declared length too large before
/// any handler runs. Each group of routes gets its own (uploads take larger files).
pub fn limit_body(routes: Router, limit: usize) -> Router {
    routes
        .layer(RequestBodyLimitLayer::new(limit))
        .layer(axum::extract::DefaultBodyLimit::max(limit))
}

/// The routes (each group with its body limit: [`limit_body`]) wrapped in the guards,
/// outermost first: request id, log, its echo in the response, security headers, errors as
/// JSON, CSRF.
pub fn wrap(routes: Router) -> Router {
    let static_header = |name: HeaderName, value: &'static str| {
        SetResponseHeaderLayer::if_not_present(name, HeaderValue::from_static(value))
    };
    // The span names the method, the path (never the query, never a header: no cookie or
    // Authorization value can reach the log) and the request id.
    let trace = TraceLayer::new_for_http()
        .make_span_with(|req: &axum::http::Request<_>| {
            let id = req
                .headers()
                .get(&REQUEST_ID)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("-");
            tracing::info_span!("request", id, method = %req.method(), path = loggable_path(req.uri().path()))
        })
        .on_response(DefaultOnResponse::new().level(Level::INFO));
    routes
        .layer(middleware::from_fn(csrf))
        // Outside the body limits, which refuse a declared length too large before any
        // handler.
        .layer(middleware::from_fn(errors_as_json))
        .layer(static_header(header::CONTENT_SECURITY_POLICY, CSP))
        .layer(static_header(header::X_CONTENT_TYPE_OPTIONS, "nosniff"))
        .layer(static_header(header::X_FRAME_OPTIONS, "DENY"))
        .layer(static_header(header::REFERRER_POLICY, "no-referrer"))
        .layer(static_header(header::CACHE_CONTROL, "no-store"))
        .layer(PropagateRequestIdLayer::new(REQUEST_ID))
        .layer(trace)
        .layer(SetRequestIdLayer::new(REQUEST_ID, Counter::default()))
}

/// Answers the framework's own refusals (a path parameter or query that does not parse,
/// a method not allowed, a body over the limit or of the wrong type), which come as plain
/// text, in the API's shape: `{"code", "message"}` in the reader's language.
async fn errors_as_json(req: Request, next: Next) -> Response {
    let lang = lang_of(req.headers());
    let response = next.run(req).await;
    let status = response.status();
    let is_plain = response
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_none_or(|v| v.starts_with("text/plain"));
    if !status.is_client_error() || !is_plain {
        return response;
    }
    let (code, en, es) = match status.as_u16() {
        405 => (
            "method-not-allowed",
            "this route does not take that method",
            "esta ruta no admite ese método",
        ),
        413 => (
            "payload-too-large",
            "the request body is too large",
            "el cuerpo de la solicitud es demasiado grande",
        ),
        415 => (
            "unsupported-media-type",
            "the request body's type is not accepted here",
            "el tipo del cuerpo de la solicitud no se admite aquí",
        ),
        _ => (
            "bad-request",
            "the request cannot be understood",
            "no se entiende la solicitud",
        ),
    };
    let body = serde_json::json!({"code": code, "message": lang.pick(en, es)});
    (status, axum::Json(body)).into_response()
}

/// The path as logged: a calendar feed's key (it is the credential) masked.
fn loggable_path(path: &str) -> &str {
    if path.starts_with("/feeds/") {
        "/feeds/***"
    } else {
        path
    }
}

/// Refuses an unsafe request (anything but GET, HEAD, OPTIONS) unless the browser says it
/// comes from this site: `Sec-Fetch-Site: same-origin` or `none` (typed by the user), or,
/// without that header, an `Origin` whose host is the request's `Host`. A request that
/// carries a bearer key and no cookie is exempt: a browser attaches no `Authorization`
/// header to a cross-site request by itself, so it cannot be forged that way.
async fn csrf(req: Request, next: Next) -> Response {
    if is_safe(req.method())
        || is_api_key_call(req.headers())
        || comes_from_this_site(req.headers())
    {
        return next.run(req).await;
    }
    tracing::warn!(method = %req.method(), path = req.uri().path(), "cross-site request refused");
    Answer {
        error: ApiError::CrossSite,
        lang: lang_of(req.headers()),
    }
    .into_response()
}

fn is_safe(method: &Method) -> bool {
    matches!(*method, Method::GET | Method::HEAD | Method::OPTIONS)
}

fn is_api_key_call(headers: &axum::http::HeaderMap) -> bool {
    bearer(headers).is_some() && !headers.contains_key(header::COOKIE)
}

fn comes_from_this_site(headers: &axum::http::HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if let Some(site) = text("sec-fetch-site") {
        return site == "same-origin" || site == "none";
    }
    match (text("origin"), text("host")) {
        (Some(origin), Some(host)) => origin
            .split_once("://")
            .is_some_and(|(_, rest)| rest.trim_end_matches('/') == host),
        _ => false,
    }
}
