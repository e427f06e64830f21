//! The pacta HTTP server: a JSON API and server-rendered pages over the same operations as the CLI, with sessions, API keys and roles enforced in the data layer.
//!
//! This is the only crate that knows HTTP. Handlers authenticate the caller into a
//! [`pacta_db::Viewer`], read through the database's scoped queries (a contract of another
//! organisation reads as absent and answers 404) and call `pacta-ops`; they compute nothing
//! of their own. The clock is passed in ([`Clock`]), like everywhere below the CLI, so tests
//! move time instead of sleeping.

mod api;
mod api_write;
mod auth;
mod dashboard;
mod error;
mod governance_pages;
mod guard;
mod html;
mod limit;
pub mod month_cache;
mod month_pages;
mod pages;
pub mod routes;
mod state;
mod what_if;

use std::future::Future;
use std::net::SocketAddr;

use axum::Router;
use axum::routing::{get, post};
use tokio::net::TcpListener;

pub use auth::SESSION_COOKIE;
pub use error::{ApiError, lang_of};
pub use month_cache::MonthCache;
pub use state::{AppState, Clock, ServerConfig};

/// The application: every route with its guards (request ids, logs, security headers, body
/// limit, CSRF).
pub fn router(state: AppState) -> Router {
    let routes = Router::new()
        .route("/", get(dashboard::portfolio))
        .route("/static/pacta.css", get(dashboard::stylesheet))
        .route(
            "/contracts/{id}/months/{month}",
            get(month_pages::month_page),
        )
        .route(
            "/contracts/{id}/months/{month}/intervals",
            get(month_pages::intervals_page),
        )
        .route(
            "/contracts/{id}/months/{month}/slas/{sla}/contacts.csv",
            get(month_pages::contacts_csv),
        )
        .route(
            "/contracts/{id}/disputes",
            get(governance_pages::disputes_page).post(governance_pages::open_dispute_form),
        )
        .route(
            "/contracts/{id}/obligations",
            get(governance_pages::obligations_page),
        )
        .route(
            "/contracts/{id}/calendar-link",
            post(governance_pages::calendar_link),
        )
        .route(
            "/contracts/{id}/months/{month}/disputes/{n}/actions",
            post(governance_pages::dispute_action_form),
        )
        .route("/audit", get(governance_pages::audit_page))
        .route("/admin", get(governance_pages::admin_page))
        .route("/admin/users", post(governance_pages::add_user_form))
        .route(
            "/admin/keys/revoke",
            post(governance_pages::revoke_key_form),
        )
        .route("/login", get(pages::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/api/openapi.json", get(routes::openapi_json))
        .route("/api/me", get(api::me))
        .route("/api/contracts/{id}", get(api::contract))
        .route("/api/contracts/{id}/months", get(api::months))
        .route(
            "/api/contracts/{id}/months/{month}/settlement",
            get(api::settlement),
        )
        .route("/api/contracts/{id}/obligations", get(api::obligations))
        .route(
            "/api/contracts/{id}/disputes",
            get(api::disputes).post(api::open_dispute),
        )
        .route(
            "/api/contracts/{id}/months/{month}/disputes/{n}/actions",
            post(api::act_on_dispute),
        )
        .route("/api/feeds", post(api::create_feed))
        .route("/feeds/{key}/contracts/{id}", get(api::feed))
        .route("/api/audit/verify", get(api::audit_verify))
        .route("/api/audit/log", get(api::audit_log))
        .route(
            "/api/contracts/{id}/months/{month}/settle",
            post(api_write::settle),
        )
        .route(
            "/api/contracts/{id}/months/{month}/close",
            post(api_write::close),
        )
        .route(
            "/api/contracts/{id}/months/{month}/verify",
            get(api_write::verify),
        )
        .route(
            "/api/contracts/{id}/months/{month}/kpis",
            get(api_write::kpis),
        )
        .route(
            "/api/contracts",
            get(api::contracts).post(api_write::register_contract),
        )
        .route(
            "/api/contracts/{id}/versions",
            post(api_write::register_version),
        )
        .route(
            "/api/contracts/{id}/obligations/actions",
            post(api_write::act_on_obligation),
        )
        .route(
            "/api/keys",
            get(api_write::keys).post(api_write::create_key),
        )
        .route("/api/keys/{key}/revoke", post(api_write::revoke_key))
        .route(
            "/api/contracts/{id}/evidence/{hash}",
            get(api_write::download_evidence),
        )
        .route(
            "/api/contracts/{id}/months/{month}/vendor-invoice",
            post(api_write::upload_vendor_invoice),
        )
        .route(
            "/api/contracts/{id}/months/{month}/staffing-plan",
            post(api_write::upload_staffing_plan),
        )
        .route(
            "/api/contracts/{id}/months/{month}/what-if",
            post(what_if::api_what_if),
        )
        .route(
            "/contracts/{id}/months/{month}/what-if",
            get(what_if::page_form).post(what_if::page_submit),
        )
        .fallback(api::not_found)
        .with_state(state.clone());
    // Uploads take files far larger than the other routes' bodies.
    let uploads = Router::new()
        .route("/api/contracts/{id}/imports", post(api_write::import))
        .route(
            "/api/contracts/{id}/months/{month}/disputes/{n}/evidence",
            post(api_write::upload_evidence),
        )
        .with_state(state.clone());
    let config = state.config();
    let routes = guard::limit_body(routes, config.body_limit)
        .merge(guard::limit_body(uploads, config.upload_limit));
    guard::wrap(routes)
}

/// Serves the application on `listener` until `shutdown` resolves, then finishes the
/// requests in flight.
pub async fn serve(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    let app = router(state).into_make_service_with_connect_info::<SocketAddr>();
    axum::serve(listener, app)
        .with_graceful_shutdown(shutdown)
        .await
}

/// Resolves on Ctrl-C or SIGTERM: the signal for a graceful shutdown.
pub async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let terminate = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let terminate = std::future::pending::<()>();
    tokio::select! {
        () = ctrl_c => {},
        () = terminate => {},
    }
}

/// Binds `addr` and serves until Ctrl-C or SIGTERM, on a runtime of its own (for a caller
/// without one, like the CLI). `on_bound` hears the address actually bound.
pub fn run(
    addr: SocketAddr,
    state: AppState,
    on_bound: impl FnOnce(SocketAddr),
) -> std::io::Result<()> {
    let runtime = tokio::runtime::Builder::new_multi_thread()
        .enable_all()
        .build()?;
    runtime.block_on(async move {
        let listener = TcpListener::bind(addr).await?;
        on_bound(listener.local_addr()?);
        serve(listener, state, shutdown_signal()).await
    })
}
