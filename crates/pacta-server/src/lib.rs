//! The pacta HTTP server: a JSON API and server-rendered pages over the same operations as the CLI, with sessions, API keys and roles enforced in the data layer.
//!
//! This is the only crate that knows HTTP. Handlers authenticate the caller into a
//! [`pacta_db::Viewer`], read through the database's scoped queries (a contract of another
//! organisation reads as absent and answers 404) and call `pacta-ops`; they compute nothing
//! of their own. The clock is passed in ([`Clock`]), like everywhere below the CLI, so tests
//! move time instead of sleeping.

mod api;
mod auth;
mod dashboard;
mod error;
mod guard;
mod html;
mod limit;
pub mod month_cache;
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
        .route("/contracts/{id}/months/{month}", get(dashboard::month_page))
        .route(
            "/contracts/{id}/disputes",
            get(dashboard::disputes_page).post(dashboard::open_dispute_form),
        )
        .route(
            "/contracts/{id}/obligations",
            get(dashboard::obligations_page),
        )
        .route(
            "/contracts/{id}/calendar-link",
            post(dashboard::calendar_link),
        )
        .route("/login", get(pages::login_form).post(auth::login))
        .route("/logout", post(auth::logout))
        .route("/api/openapi.json", get(routes::openapi_json))
        .route("/api/me", get(api::me))
        .route("/api/contracts", get(api::contracts))
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
        // --- what-if ---
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
    guard::wrap(routes, state.config().body_limit)
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
